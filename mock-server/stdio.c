/*
 * stdio.c: mcpwire-mock --stdio, the stdio transport (STDIO-02..10). One
 * session-era session for the process; each stdin line is one JSON-RPC
 * message (or a 2025-03-26 batch), served by the same rpc/lifecycle/tools
 * code as Streamable HTTP; responses and notifications go to stdout one
 * per line; logs go to stderr. stdin closing ends the process once stdout
 * has drained (at most MCPWIRE_MOCK_STDIO_DRAIN_MS).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "codec/json_writer.h"
#include "codec/line.h"
#include "mcpwire_limits.h"
#include "mock.h"

static struct {
  session *s;
  struct event *in;          /* stdin readable */
  struct bufferevent *out;   /* stdout, written as the pipe allows */
  struct event *drain;       /* the deadline for draining stdout at exit */
  line_reader *lines;
  int closing;               /* exit once stdout has drained */
  int written;               /* messages written (stdio-partial-last-line) */
} io;

static void log_err(const char *what) { fprintf(stderr, "mcpwire-mock: stdio: %s\n", what); }

/* stdio-pretty-printed: the object's braces on lines of their own. */
static void add_pretty(struct evbuffer *b, const char *json, size_t len) {
  if (len < 2 || json[0] != '{' || json[len - 1] != '}') {
    evbuffer_add(b, json, len);
    return;
  }
  evbuffer_add(b, "{\n", 2);
  evbuffer_add(b, json + 1, len - 2);
  evbuffer_add(b, "\n}", 2);
}

size_t stdio_queued(void) {
  return io.out ? evbuffer_get_length(bufferevent_get_output(io.out)) : 0;
}

void stdio_write(const char *json, size_t len) {
  if (!io.out)
    return;
  if (stdio_queued() > MCPWIRE_MOCK_CLIENT_QUEUE_MAX) {
    log_err("stdout is not being read: message dropped");
    return;
  }
  struct evbuffer *b = bufferevent_get_output(io.out);
  const char *end = wire_on(WIRE_STDIO_CRLF) ? "\r\n" : "\n";
  if (fault_on(FAULT_STDIO_PARTIAL_LAST_LINE)) { /* each line ended by the next message */
    if (io.written)
      evbuffer_add(b, end, strlen(end));
    evbuffer_add(b, json, len);
  } else {
    if (fault_on(FAULT_STDIO_PRETTY_PRINTED))
      add_pretty(b, json, len);
    else
      evbuffer_add(b, json, len);
    evbuffer_add(b, end, strlen(end));
  }
  io.written++;
}

/* An error response with a null id (a line that is no message). */
static void write_error(long code, const char *message) {
  dynbuf b;
  dynbuf_init(&b, 1024);
  rpc_error(&b, "null", 4, code, message);
  stdio_write(b.ptr, b.len);
  dynbuf_free(&b);
}

/* invalid-request-wrong-code: a request whose method is not a string is
 * refused with -32601 instead of -32600. 1 when it was. */
static int refused_with_wrong_code(const jsonrpc_msg *m) {
  jsonrpc_type method = jsonrpc_get_type(m, "method");
  if (!fault_on(FAULT_INVALID_REQUEST_WRONG_CODE) || jsonrpc_kind_of(m) == JSONRPC_BATCH ||
      method == JSONRPC_T_ABSENT || method == JSONRPC_T_STRING)
    return 0;
  size_t len = 0;
  const char *id = rpc_reply_id(m, &len);
  dynbuf b;
  dynbuf_init(&b, 1024);
  rpc_error(&b, id, len, JSONRPC_METHOD_NOT_FOUND, "Method not found");
  stdio_write(b.ptr, b.len);
  dynbuf_free(&b);
  return 1;
}

static int is_initialize(const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  return method && !strcmp(method, "initialize");
}

/* Batches exist only in 2025-03-26 (reject-batch and accept-batch-after-2503
 * turn that around). */
static int batch_allowed(void) {
  int v2503 = !strcmp(session_version(io.s), MOCK_V2503);
  return v2503 ? !fault_on(FAULT_REJECT_BATCH) : fault_on(FAULT_ACCEPT_BATCH_AFTER_2503);
}

/* One parsed line: a message or a batch, in one exchange. */
static void serve(const jsonrpc_msg *m) {
  exchange *ex = exchange_new(EX_STDIO, io.s);
  if (!ex) {
    write_error(JSONRPC_INTERNAL_ERROR, "out of memory");
    return;
  }
  ex->batch = jsonrpc_kind_of(m) == JSONRPC_BATCH;
  ex->initialize = is_initialize(m);
  ex->pending = rpc_count_requests(m) + 1;
  ex->hold = 1;
  if (!ex->batch)
    rpc_handle(ex, m);
  for (size_t i = 0; ex->batch && i < jsonrpc_batch_count(m); i++)
    rpc_handle(ex, jsonrpc_batch_at(m, i));
  ex->hold = 0;
  exchange_release(ex);
}

/* An error response to m (its id, null when it has none) with data (JSON
 * text, NULL: none). */
static void write_error_to(const jsonrpc_msg *m, long code, const char *message,
                           const char *data) {
  size_t len = 0;
  const char *id = rpc_reply_id(m, &len);
  dynbuf b;
  dynbuf_init(&b, 4096);
  dynbuf_adds(&b, "{\"jsonrpc\":\"2.0\",\"id\":");
  dynbuf_add(&b, id ? id : "null", id ? len : 4);
  dynbuf_printf(&b, ",\"error\":{\"code\":%ld,\"message\":", code);
  json_write_cstring(&b, message);
  if (data)
    dynbuf_printf(&b, ",\"data\":%s", data);
  dynbuf_adds(&b, "}}");
  stdio_write(b.ptr, b.len);
  dynbuf_free(&b);
}

/* stdio-binds-first-client: 1 (and the refusal written) for a request
 * whose clientInfo name differs from the first request's, as a server
 * that takes its process for one client's session would (S26-STDIO-14). */
static int refused_as_other_client(const jsonrpc_msg *m) {
  static char first[128];
  const char *name = jsonrpc_get_string(m, META("clientInfo") ".name");
  if (!fault_on(FAULT_STDIO_BINDS_FIRST_CLIENT) || !name)
    return 0;
  if (!first[0]) {
    snprintf(first, sizeof first, "%s", name);
    return 0;
  }
  if (!strcmp(first, name))
    return 0;
  write_error_to(m, JSONRPC_INVALID_REQUEST, "this process serves another client", NULL);
  return 1;
}

/* Whether m is served as 2026-07-28: always under --eras modern, never
 * under --eras legacy; in a dual-era process (the default) when it carries
 * the _meta protocol version or asks server/discover, as over HTTP (where
 * headers can say so too). */
static int is_stateless(const jsonrpc_msg *m) {
  if (the_mock.opt.eras != ERAS_DUAL)
    return the_mock.opt.eras == ERAS_MODERN;
  const char *method = jsonrpc_kind_of(m) == JSONRPC_BATCH ? NULL : jsonrpc_get_string(m, "method");
  return jsonrpc_get_type(m, META_VERSION) != JSONRPC_T_ABSENT ||
         (method && !strcmp(method, "server/discover"));
}

/* notifications/cancelled at 2026-07-28 on stdio (S26-STDIO-08/09): the
 * call in flight with that requestId is cancelled, whichever stateless
 * session serves it (each request has its own). */
static void cancel_stateless_call(const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  dynbuf id;
  dynbuf_init(&id, 4096);
  if (method && !strcmp(method, "notifications/cancelled") &&
      !jsonrpc_get_json(m, "params.requestId", &id))
    for (session *s = the_mock.sessions; s; s = s->next) {
      call *c = s->modern ? call_find_by_id(s, id.ptr, id.len) : NULL;
      if (c) {
        tools_cancel(c);
        break;
      }
    }
  dynbuf_free(&id);
}

/* 2026-07-28: every request stands alone, its _meta says
 * who asks and at which revision (S26-STDIO-07: the META-05 and DISC-07
 * refusals without HTTP statuses); no batches; notifications are taken
 * and never answered. */
static void serve_stateless(const jsonrpc_msg *m) {
  if (jsonrpc_kind_of(m) == JSONRPC_BATCH) {
    write_error(JSONRPC_INVALID_REQUEST, "No batches in 2026-07-28");
    return;
  }
  if (rpc_effective_kind(m) != JSONRPC_REQUEST) {
    cancel_stateless_call(m);
    return;
  }
  const char *why = stateless_meta_problem(m), *asked = jsonrpc_get_string(m, META_VERSION);
  if (why) {
    write_error_to(m, JSONRPC_INVALID_PARAMS, why, NULL);
    return;
  }
  if (!stateless_version_served(asked)) {
    dynbuf d;
    dynbuf_init(&d, 1024);
    stateless_unsupported_data(asked, &d);
    write_error_to(m, ERR_UNSUPPORTED_VERSION, "Unsupported protocol version", d.ptr);
    dynbuf_free(&d);
    return;
  }
  if (!stateless_method_served(jsonrpc_get_string(m, "method"))) {
    write_error_to(m, JSONRPC_METHOD_NOT_FOUND, "Method not found", NULL); /* ping is gone */
    return;
  }
  if (refused_as_other_client(m))
    return;
  session *s = stateless_request_session(m);
  exchange *ex = s ? exchange_new(EX_STDIO, s) : NULL;
  if (!ex) {
    write_error_to(m, JSONRPC_INTERNAL_ERROR, "Too many requests", NULL);
    return;
  }
  ex->pending = 2; /* the response, and the hold while dispatching */
  ex->hold = 1;
  stateless_dispatch(ex, m);
}

static void on_line(void *user, const line_event *ev) {
  (void)user;
  if (ev->end == LINE_TOO_LONG) {
    write_error(JSONRPC_INVALID_REQUEST, "line too long");
    return;
  }
  if (!ev->len)
    return; /* a blank line carries no message */
  if (fault_on(FAULT_STDIO_DROPS_LONG_LINES) && ev->len > MCPWIRE_MOCK_STDIO_SHORT_LINE)
    return;
  jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->len);
  if (!m)
    write_error(JSONRPC_INTERNAL_ERROR, "out of memory");
  else if (!jsonrpc_is_json(m))
    write_error(fault_on(FAULT_PARSE_ERROR_WRONG_CODE) ? JSONRPC_INVALID_REQUEST
                                                       : JSONRPC_PARSE_ERROR, "Parse error");
  else if (jsonrpc_kind_of(m) == JSONRPC_BATCH && !jsonrpc_batch_count(m))
    write_error(JSONRPC_INVALID_REQUEST, "empty batch");
  else if (jsonrpc_kind_of(m) == JSONRPC_BATCH && !batch_allowed())
    write_error(JSONRPC_INVALID_REQUEST, "Batches are not supported in this protocol revision");
  else if (is_stateless(m))
    serve_stateless(m);
  else if (!refused_with_wrong_code(m))
    serve(m);
  jsonrpc_free(m);
}

/* Ends the loop once stdout is empty (called again as it drains). */
static void close_when_drained(void) {
  io.closing = 1;
  if (!stdio_queued())
    event_base_loopbreak(the_mock.base);
}

static void on_drain_deadline(evutil_socket_t fd, short what, void *arg) {
  (void)fd; (void)what; (void)arg;
  log_err("stdout did not drain in time");
  event_base_loopbreak(the_mock.base);
}

/* What stdio-writes-after-eof sends once stdin has closed. */
static const char after_eof[] = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                                "\"params\":{\"level\":\"info\",\"data\":\"stdin closed\"}}";

static void on_eof(void) {
  line_finish(io.lines); /* serves a last line without LF */
  event_del(io.in);
  if (fault_on(FAULT_STDIO_IGNORES_EOF)) {
    log_err("stdin closed; staying (stdio-ignores-eof)");
    return;
  }
  if (fault_on(FAULT_STDIO_WRITES_AFTER_EOF))
    stdio_write(after_eof, sizeof after_eof - 1);
  struct timeval tv = {MCPWIRE_MOCK_STDIO_DRAIN_MS / 1000,
                       (MCPWIRE_MOCK_STDIO_DRAIN_MS % 1000) * 1000};
  io.drain = evtimer_new(the_mock.base, on_drain_deadline, NULL);
  if (io.drain)
    evtimer_add(io.drain, &tv);
  close_when_drained();
}

static void on_stdin(evutil_socket_t fd, short what, void *arg) {
  (void)what; (void)arg;
  static char chunk[MCPWIRE_STDIO_READ_CHUNK];
  ssize_t n = read(fd, chunk, sizeof chunk);
  if (n > 0 && line_feed(io.lines, chunk, (size_t)n) != LINE_OK) {
    log_err("out of memory");
    event_base_loopbreak(the_mock.base);
  } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    on_eof();
  }
}

static void on_stdout_drained(struct bufferevent *bev, void *arg) {
  (void)bev; (void)arg;
  if (io.closing)
    close_when_drained();
}

static void on_stdout_event(struct bufferevent *bev, short what, void *arg) {
  (void)bev; (void)arg;
  if (what & (BEV_EVENT_ERROR | BEV_EVENT_EOF)) {
    log_err("stdout closed");
    event_base_loopbreak(the_mock.base);
  }
}

int stdio_start(void) {
  io.s = session_create(0);
  io.lines = line_reader_new(on_line, NULL, MCPWIRE_STDIO_LINE_MAX);
  if (!io.s || !io.lines || evutil_make_socket_nonblocking(STDIN_FILENO) ||
      evutil_make_socket_nonblocking(STDOUT_FILENO))
    return -1;
  io.in = event_new(the_mock.base, STDIN_FILENO, EV_READ | EV_PERSIST, on_stdin, NULL);
  io.out = bufferevent_socket_new(the_mock.base, STDOUT_FILENO, 0);
  if (!io.in || !io.out || event_add(io.in, NULL))
    return -1;
  bufferevent_setcb(io.out, NULL, on_stdout_drained, on_stdout_event, NULL);
  bufferevent_enable(io.out, EV_WRITE);
  if (fault_on(FAULT_STDIO_LOG_ON_STDOUT))
    evbuffer_add_printf(bufferevent_get_output(io.out), "mcpwire-mock: serving MCP on stdio\n");
  log_err(the_mock.opt.eras == ERAS_MODERN ? "serving 2026-07-28 (stateless) on stdin/stdout"
                                           : "serving the session era (initialize) on stdin/stdout");
  return 0;
}

void stdio_stop(void) {
  if (io.in)
    event_free(io.in);
  if (io.drain)
    event_free(io.drain);
  if (io.out) {
    bufferevent_flush(io.out, EV_WRITE, BEV_FINISHED);
    bufferevent_free(io.out);
  }
  line_reader_free(io.lines);
  memset(&io, 0, sizeof io);
}
