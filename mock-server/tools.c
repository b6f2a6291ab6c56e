/*
 * tools.c: the transport-testing tools. echo, slow (progress on the POST
 * stream, cancellable), trigger_list_changed (GET stream), ask_client
 * (a server->client request, waits for the POSTed answer), fail (tool error
 * result) and error (a JSON-RPC error). Also the call machinery that tools
 * outliving their request share with fixtures.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "mock.h"

typedef struct tool_def {
  const char *name, *description, *schema;
  void (*run)(exchange *ex, const jsonrpc_msg *m);
} tool_def;

void tools_text_result(dynbuf *b, const char *text, size_t len, int is_error) {
  dynbuf_adds(b, "{\"content\":[{\"type\":\"text\",\"text\":");
  json_write_string(b, text, len);
  dynbuf_adds(b, is_error ? "}],\"isError\":true}" : "}]}");
}

static void respond_text(exchange *ex, const jsonrpc_msg *m, const char *text, int is_error) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  tools_text_result(&b, text, strlen(text), is_error);
  respond_result(ex, m, b.ptr);
  dynbuf_free(&b);
}

/* ---- calls that outlive their request ---- */

/* The fault cross-session-calls: calls are found by id alone, server-wide,
 * so a new call trades exchanges with a same-id call of another session. */
static void swap_with_namesake(call *c) {
  for (session *s = the_mock.sessions; s; s = s->next)
    for (call *o = s != c->owner ? s->calls : NULL; o; o = o->next)
      if (o->ex && jsonrpc_id_equal(o->id_raw, o->id_len, c->id_raw, c->id_len)) {
        exchange *mine = c->ex;
        c->ex = o->ex;
        o->ex = mine;
        return;
      }
}

call *tools_call_start(exchange *ex, const jsonrpc_msg *m) {
  session *s = ex->owner;
  size_t n = 0, len = 0;
  for (call *c = s ? s->calls : NULL; c; c = c->next)
    n++;
  const char *id = rpc_reply_id(m, &len);
  if (!s || !id || n >= MCPWIRE_MOCK_CALLS_PER_SESSION_MAX)
    return NULL;
  call *c = calloc(1, sizeof *c);
  if (!c || !(c->id_raw = strndup(id, len))) {
    free(c);
    return NULL;
  }
  c->id_len = len;
  c->owner = s;
  c->ex = ex;
  const char *tool = jsonrpc_get_string(m, "params.name");
  c->tool = tool ? strdup(tool) : NULL; /* NULL on failure: only s26-reissue-refused reads it */
  c->next = s->calls;
  s->calls = c;
  if (fault_on(FAULT_CROSS_SESSION_CALLS))
    swap_with_namesake(c);
  dynbuf tok;
  dynbuf_init(&tok, 4096);
  if (jsonrpc_get_type(m, "params._meta.progressToken") != JSONRPC_T_ABSENT &&
      !jsonrpc_get_json(m, "params._meta.progressToken", &tok))
    c->progress_token = dynbuf_take(&tok);
  dynbuf_free(&tok);
  return c;
}

/* Answers the call's request with result, keeping the call. */
static void call_answer(call *c, const char *result) {
  dynbuf b, decorated;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  dynbuf_init(&decorated, MCPWIRE_MOCK_EVENT_MAX);
  if (c->owner->modern) /* 2026-07-28: resultType, serverInfo */
    stateless_decorate(c->owner, result, &decorated);
  rpc_result(&b, c->id_raw, c->id_len, c->owner->modern ? dynbuf_str(&decorated) : result);
  dynbuf_free(&decorated);
  exchange *ex = c->ex;
  c->ex = NULL;
  if (ex)
    exchange_respond(ex, b.ptr, b.len);
  dynbuf_free(&b);
}

void tools_call_respond(call *c, const char *result) {
  call_answer(c, result);
  call_free(c);
}

void tools_call_emit(call *c, const char *json, size_t len) {
  if (c->ex)
    exchange_emit(c->ex, json, len);
}

static void on_timer(evutil_socket_t fd, short what, void *arg) {
  (void)fd; (void)what;
  call *c = arg;
  if (c->on_step)
    c->on_step(c);
}

void tools_call_after(call *c, int ms) {
  struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
  if (!c->timer)
    c->timer = evtimer_new(the_mock.base, on_timer, c);
  if (c->timer)
    evtimer_add(c->timer, &tv);
}

/* No answer in time: tell the client we gave up (LIFE-TIMEOUT-02), then
 * answer the tool call with an error. */
static void ask_timed_out(call *c) {
  dynbuf p, b;
  dynbuf_init(&p, 1024);
  dynbuf_init(&b, 2048);
  dynbuf_printf(&p, "{\"requestId\":%s,\"reason\":\"timed out\"}", c->server_req_id);
  rpc_notification(&b, "notifications/cancelled", p.ptr);
  tools_call_emit(c, b.ptr, b.len);
  dynbuf_reset(&p);
  tools_text_result(&p, "the client did not answer in time", 33, 1);
  tools_call_respond(c, p.ptr);
  dynbuf_free(&p);
  dynbuf_free(&b);
}

int tools_call_ask(call *c, const char *method, const char *params) {
  exchange *ex = c->ex;
  stream *to = !ex                    ? NULL
               : ex->kind == EX_JSON  ? c->owner->get_stream
               : ex->kind == EX_LEGACY ? legacy_stream_for(ex->owner)
                                       : ex->st;
  if (to && ex->kind == EX_SSE && fault_on(FAULT_PROGRESS_ON_GET_STREAM) &&
      c->owner->get_stream)
    to = c->owner->get_stream; /* the fault moves the call's requests too */
  if (!to && (!ex || ex->kind != EX_STDIO))
    return -1;
  char id[32];
  unsigned no = ++c->owner->next_server_req;
  snprintf(id, sizeof id, "\"srv-%u\"", fault_on(FAULT_REUSE_SERVER_REQUEST_IDS) ? 1u : no);
  free(c->server_req_id);
  c->server_req_id = strdup(id);
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  jsonrpc_build_request(&b, id, method, params);
  if (to)
    stream_send(to, b.ptr, b.len);
  else
    stdio_write(b.ptr, b.len);
  dynbuf_free(&b);
  c->on_step = ask_timed_out;
  tools_call_after(c, the_mock.opt.ask_timeout_ms);
  return 0;
}

void tools_on_client_response(call *c, const jsonrpc_msg *m) {
  if (c->on_answer) {
    c->on_answer(c, m);
    return;
  }
  dynbuf answer, b;
  dynbuf_init(&answer, MCPWIRE_MOCK_BODY_MAX);
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  int failed = jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE;
  jsonrpc_get_json(m, failed ? "error" : "result", &answer);
  tools_text_result(&b, dynbuf_str(&answer), answer.len, failed);
  tools_call_respond(c, b.ptr);
  dynbuf_free(&answer);
  dynbuf_free(&b);
}

void tools_cancel_exchange(session *s, const exchange *ex) {
  call *c = s->calls;
  while (c) {
    call *next = c->next;
    if (c->ex == ex)
      call_free(c);
    c = next;
  }
}

void tools_cancel(call *c) {
  c->cancelled = 1;
  if (fault_on(FAULT_RESPOND_AFTER_CANCEL))
    return;
  call_free(c); /* no response: the exchange just lets go of it */
}

static void respond_text_call(call *c, const char *text) {
  dynbuf b;
  dynbuf_init(&b, 4096);
  tools_text_result(&b, text, strlen(text), 0);
  tools_call_respond(c, b.ptr);
  dynbuf_free(&b);
}

/* ---- the tools ---- */

static void run_echo(exchange *ex, const jsonrpc_msg *m) {
  const char *text = jsonrpc_get_string(m, "params.arguments.text");
  if (!text) {
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "arguments.text must be a string");
    return;
  }
  char *copy = strdup(text);
  if (!copy) {
    respond_error(ex, m, JSONRPC_INTERNAL_ERROR, "out of memory");
    return;
  }
  for (char *p = copy; fault_on(FAULT_MANGLE_UTF8) && *p; p++)
    if ((unsigned char)*p >= 0x80)
      *p = '?';
  respond_text(ex, m, copy, 0);
  free(copy);
}

static void run_fail(exchange *ex, const jsonrpc_msg *m) {
  respond_text(ex, m, "this tool always fails", 1);
}

static void run_error(exchange *ex, const jsonrpc_msg *m) {
  respond_error(ex, m, JSONRPC_INTERNAL_ERROR, "Internal error (on purpose)");
}

static void run_list_changed(exchange *ex, const jsonrpc_msg *m) {
  if (ex->owner && fault_on(FAULT_LIST_CHANGED_ON_POST)) {
    dynbuf b;
    dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
    rpc_notification(&b, "notifications/tools/list_changed", NULL);
    exchange_emit(ex, b.ptr, b.len);
    dynbuf_free(&b);
  } else if (ex->owner) {
    rpc_notify_session(ex->owner, "notifications/tools/list_changed", NULL);
  }
  respond_text(ex, m, "list_changed notification sent", 0);
}

void tools_send_progress(call *c, int value, int total, const char *message) {
  if (!c->progress_token)
    return;
  dynbuf p, b;
  dynbuf_init(&p, 4096);
  dynbuf_init(&b, 8192);
  dynbuf_printf(&p, "{\"progressToken\":%s,\"progress\":%d,\"total\":%d",
                fault_on(FAULT_PROGRESS_WRONG_TOKEN) ? "\"not-your-token\"" : c->progress_token,
                fault_on(FAULT_PROGRESS_NOT_INCREASING) ? 1 : value, total);
  if (message) {
    dynbuf_adds(&p, ",\"message\":");
    json_write_cstring(&p, message);
  }
  dynbuf_addc(&p, '}');
  rpc_notification(&b, "notifications/progress", p.ptr);
  session *s = c->owner;
  if (fault_on(FAULT_PROGRESS_ON_GET_STREAM) && s->get_stream)
    stream_send(s->get_stream, b.ptr, b.len);
  else
    tools_call_emit(c, b.ptr, b.len);
  if (s->modern && fault_on(FAULT_S26_PROGRESS_ON_LISTEN))
    subscription_leak(b.ptr, b.len); /* S26-LISTEN-06 broken */
  dynbuf_free(&p);
  dynbuf_free(&b);
}

static void send_progress(call *c) {
  char message[32];
  snprintf(message, sizeof message, "step %d", c->step_no);
  tools_send_progress(c, c->step_no, c->step_no + c->steps_left, message);
}

void tools_finish_progress_call(call *c, const char *text, int next_value, int total) {
  dynbuf b;
  dynbuf_init(&b, 4096);
  tools_text_result(&b, text, strlen(text), 0);
  exchange *ex = c->ex;
  int extra = fault_on(FAULT_PROGRESS_AFTER_RESPONSE) && ex;
  if (extra)
    ex->pending++; /* hold the stream open for one more progress */
  call_answer(c, b.ptr);
  if (extra) {
    c->ex = ex;
    tools_send_progress(c, next_value, total, NULL);
    c->ex = NULL;
    exchange_release(ex);
  }
  dynbuf_free(&b);
  call_free(c);
}

static void slow_finish(call *c) {
  char text[64];
  snprintf(text, sizeof text, "done after %d steps", c->step_no);
  c->step_no++;
  tools_finish_progress_call(c, text, c->step_no, c->step_no + c->steps_left);
}

static void slow_step(call *c) {
  if (c->steps_left <= 0) {
    slow_finish(c);
    return;
  }
  c->step_no++;
  c->steps_left--;
  send_progress(c);
  tools_call_after(c, the_mock.opt.slow_step_ms);
}

static void run_slow(exchange *ex, const jsonrpc_msg *m) {
  double steps = 3;
  jsonrpc_get_number(m, "params.arguments.steps", &steps);
  if (steps < 0 || steps > MCPWIRE_MOCK_SLOW_STEPS_MAX) {
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "arguments.steps out of range");
    return;
  }
  call *c = tools_call_start(ex, m);
  if (!c) {
    respond_error(ex, m, JSONRPC_INTERNAL_ERROR, "too many calls in flight");
    return;
  }
  c->steps_left = (int)steps;
  c->on_step = slow_step;
  tools_call_after(c, 0);
}

/* One flood notification; waits while the client has not taken the last
 * ones (back-pressure), so a slow reader is paced and a stalled one is
 * left to the write timeout. */
static void flood_step(call *c) {
  stream *st = c->ex && c->ex->kind != EX_JSON ? c->ex->st : NULL;
  size_t queued = st                                    ? stream_queued(st)
                  : c->ex && c->ex->kind == EX_STDIO ? stdio_queued()
                                                     : 0;
  if (queued > MCPWIRE_MOCK_CLIENT_QUEUE_MAX / 4) {
    tools_call_after(c, 1);
    return;
  }
  if (c->steps_left-- <= 0) {
    respond_text_call(c, "flood sent");
    return;
  }
  tools_call_emit(c, c->arg, strlen(c->arg));
  tools_call_after(c, 0);
}

/* count notifications/message of `bytes` bytes each on the call's stream,
 * then the result: for clients' buffer limits and our slow-client handling. */
static void run_flood(exchange *ex, const jsonrpc_msg *m) {
  double count = 10, bytes = 1024;
  jsonrpc_get_number(m, "params.arguments.count", &count);
  jsonrpc_get_number(m, "params.arguments.bytes", &bytes);
  if (count < 0 || count > MCPWIRE_MOCK_FLOOD_COUNT_MAX || bytes < 0 ||
      bytes > MCPWIRE_MOCK_FLOOD_BYTES_MAX) {
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "arguments.count or bytes out of range");
    return;
  }
  call *c = tools_call_start(ex, m);
  if (!c) {
    respond_error(ex, m, JSONRPC_INTERNAL_ERROR, "too many calls in flight");
    return;
  }
  dynbuf note;
  dynbuf_init(&note, MCPWIRE_MOCK_FLOOD_BYTES_MAX + 256);
  dynbuf_adds(&note, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":"
                     "{\"level\":\"debug\",\"logger\":\"flood\",\"data\":\"");
  for (int i = 0; i < (int)bytes; i++)
    dynbuf_addc(&note, 'x');
  dynbuf_adds(&note, "\"}}");
  c->arg = dynbuf_take(&note);
  c->steps_left = (int)count;
  c->on_step = flood_step;
  tools_call_after(c, 0);
}

/* The request ask_client sends, chosen by what the client declared. */
static const char *ask_method(const session *s, const char **params) {
  if (s->cap_elicitation) {
    *params = "{\"message\":\"mcpwire-mock asks: what is your answer?\","
              "\"requestedSchema\":{\"type\":\"object\",\"properties\":"
              "{\"answer\":{\"type\":\"string\"}}}}";
    return "elicitation/create";
  }
  if (s->cap_sampling || fault_on(FAULT_ASK_UNDECLARED_CAPABILITY)) {
    *params = "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\","
              "\"text\":\"mcpwire-mock asks\"}}],\"maxTokens\":16}";
    return "sampling/createMessage";
  }
  return NULL;
}

static void run_ask_client(exchange *ex, const jsonrpc_msg *m) {
  const char *params = NULL;
  const char *method = ex->owner ? ask_method(ex->owner, &params) : NULL;
  if (!method) {
    respond_text(ex, m, "the client declared neither sampling nor elicitation", 1);
    return;
  }
  call *c = tools_call_start(ex, m);
  if (!c) {
    respond_error(ex, m, JSONRPC_INTERNAL_ERROR, "too many calls in flight");
    return;
  }
  if (tools_call_ask(c, method, params)) {
    c->ex = NULL; /* answered here instead */
    call_free(c);
    respond_text(ex, m, "no stream to send the request on (open GET /mcp)", 1);
  }
}

static const tool_def tools[] = {
    {"echo", "Returns its text argument.",
     "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}",
     run_echo},
    {"slow", "Sends `steps` progress notifications (with the request's progressToken), then the result.",
     "{\"type\":\"object\",\"properties\":{\"steps\":{\"type\":\"integer\"}}}", run_slow},
    {"trigger_list_changed", "Sends notifications/tools/list_changed on the GET stream.",
     "{\"type\":\"object\",\"properties\":{}}", run_list_changed},
    {"ask_client", "Sends elicitation/create or sampling/createMessage and returns the answer.",
     "{\"type\":\"object\",\"properties\":{}}", run_ask_client},
    {"fail", "Returns a tool error result (isError: true).",
     "{\"type\":\"object\",\"properties\":{}}", run_fail},
    {"error", "Answers with a JSON-RPC error (-32603).",
     "{\"type\":\"object\",\"properties\":{}}", run_error},
    {"flood", "Sends `count` log notifications of `bytes` bytes each, then the result.",
     "{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\"},"
     "\"bytes\":{\"type\":\"integer\"}}}",
     run_flood},
};

#define NTOOLS (sizeof tools / sizeof tools[0])
/* Cursors the mock hands out: this prefix and the offset of the next tool. */
#define CURSOR_PREFIX "mcpwire-tools-from-"

static void write_tool(dynbuf *out, size_t i) {
  if (i >= NTOOLS + fixtures_tool_count()) {
    stateless_write_tool(out, i - NTOOLS - fixtures_tool_count());
    return;
  }
  if (i >= NTOOLS) {
    fixtures_write_tool(out, i - NTOOLS);
    return;
  }
  dynbuf_adds(out, "{\"name\":");
  json_write_cstring(out, tools[i].name);
  dynbuf_adds(out, ",\"description\":");
  json_write_cstring(out, tools[i].description);
  dynbuf_printf(out, ",\"inputSchema\":%s}", tools[i].schema);
}

/* Every tool: ours, the fixtures, and on stateless sessions those of
 * 2026-07-28 (mrtr.c). */
static size_t tools_total(int modern) {
  return NTOOLS + fixtures_tool_count() + (modern ? stateless_tool_count() : 0);
}

void tools_write_list(dynbuf *out, size_t from, size_t page, int modern) {
  size_t total = tools_total(modern);
  size_t end = page && from + page < total ? from + page : total;
  static unsigned lists;
  if (modern && fault_on(FAULT_S26_LIST_VARIES) && lists++ % 2 && end == total && end > from)
    end--, total--; /* the list varies from call to call (S26-META-13) */
  dynbuf_adds(out, "{\"tools\":[");
  for (size_t i = from; i < end; i++) {
    if (i > from)
      dynbuf_addc(out, ',');
    write_tool(out, i);
  }
  dynbuf_adds(out, "]");
  if (end < total)
    dynbuf_printf(out, ",\"nextCursor\":\"" CURSOR_PREFIX "%zu\"", end);
  dynbuf_adds(out, "}");
}

/* The offset a cursor of ours names, or -1 for any other value. */
static long cursor_offset(const char *cursor, int modern) {
  size_t n = strlen(CURSOR_PREFIX);
  if (!cursor || strncmp(cursor, CURSOR_PREFIX, n) || !cursor[n])
    return -1;
  char *end;
  long v = strtol(cursor + n, &end, 10);
  size_t total = tools_total(modern);
  return *end || v < 1 || (size_t)v >= total ? -1 : v;
}

/* tools/list, one page at a time under --tools-page-size (SHTTP pagination:
 * an unknown cursor is -32602). */
static void handle_list(exchange *ex, const jsonrpc_msg *m) {
  long from = 0;
  int modern = ex->owner && ex->owner->modern;
  if (jsonrpc_get_type(m, "params.cursor") != JSONRPC_T_ABSENT &&
      (from = cursor_offset(jsonrpc_get_string(m, "params.cursor"), modern)) < 0) {
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "Invalid cursor");
    return;
  }
  dynbuf b;
  dynbuf_init(&b, 65536);
  tools_write_list(&b, (size_t)from, (size_t)the_mock.opt.tools_page_size, modern);
  respond_result(ex, m, b.ptr);
  dynbuf_free(&b);
}

static void handle_call(exchange *ex, const jsonrpc_msg *m) {
  const char *name = jsonrpc_get_string(m, "params.name");
  if (name && ex->owner && ex->owner->modern && stateless_tool(ex, m, name))
    return; /* 2026-07-28: its own tools, and MRTR for those that ask */
  for (size_t i = 0; name && i < sizeof tools / sizeof tools[0]; i++)
    if (!strcmp(name, tools[i].name)) {
      tools[i].run(ex, m);
      return;
    }
  if (name && fixtures_tool(ex, m, name))
    return;
  if (fault_on(FAULT_UNKNOWN_TOOL_RESULT))
    respond_text(ex, m, "unknown tool", 1);
  else
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "Unknown tool");
}

int tools_handle(exchange *ex, const jsonrpc_msg *m, const char *method) {
  if (!strcmp(method, "tools/list")) {
    handle_list(ex, m);
  } else if (!strcmp(method, "tools/call")) {
    handle_call(ex, m);
  } else {
    return 0;
  }
  return 1;
}
