/*
 * rpc.c: JSON-RPC dispatch shared by both transports. An exchange collects
 * the responses one POST owes and routes them (SSE stream, JSON body or the
 * legacy stream); calls are requests still running (slow tools, ask_client).
 */
#include <stdlib.h>
#include <string.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "mock.h"

exchange *exchange_new(enum exchange_kind kind, session *s) {
  exchange *ex = calloc(1, sizeof *ex);
  if (!ex)
    return NULL;
  ex->kind = kind;
  ex->owner = s;
  dynbuf_init(&ex->out, MCPWIRE_MOCK_EVENT_MAX);
  return ex;
}

static void exchange_free(exchange *ex) {
  if (ex->st && ex->st->ex == ex)
    ex->st->ex = NULL;
  dynbuf_free(&ex->out);
  free(ex);
}

/* Sends the collected application/json reply (202 when nothing was owed). */
static void json_reply(exchange *ex) {
  if (!ex->req)
    return;
  const char *ctype = fault_on(FAULT_WRONG_CONTENT_TYPE) ? "text/plain" : "application/json";
  if (!ex->nresp) {
    http_reply(ex->req, 202, "Accepted", NULL, NULL, 0);
  } else if (ex->batch) {
    dynbuf b;
    dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX + 2);
    dynbuf_addc(&b, '[');
    dynbuf_add(&b, ex->out.ptr, ex->out.len);
    dynbuf_addc(&b, ']');
    http_reply(ex->req, 200, "OK", ctype, b.ptr, b.len);
    dynbuf_free(&b);
  } else {
    http_reply(ex->req, 200, "OK", ctype, ex->out.ptr, ex->out.len);
  }
  ex->req = NULL;
}

/* A stdio batch's responses, as one array line. */
static void stdio_batch_reply(exchange *ex) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX + 2);
  dynbuf_addc(&b, '[');
  dynbuf_add(&b, ex->out.ptr, ex->out.len);
  dynbuf_addc(&b, ']');
  stdio_write(b.ptr, b.len);
  dynbuf_free(&b);
}

/* The last owed response is out: close what this exchange opened. */
static void exchange_done(exchange *ex) {
  if (ex->owner)
    session_reap_soon(ex->owner); /* a stateless session ends with its reply */
  if (ex->kind == EX_JSON)
    json_reply(ex);
  else if (ex->kind == EX_STDIO && ex->batch && ex->nresp)
    stdio_batch_reply(ex);
  else if (ex->kind == EX_SSE && ex->st) {
    ex->st->finished = 1;
    if (!fault_on(FAULT_KEEP_POST_STREAM_OPEN))
      stream_finish(ex->st);
  }
  exchange_free(ex);
}

void exchange_release(exchange *ex) {
  if (--ex->pending <= 0)
    exchange_done(ex);
}

/* Where the responses of an SSE exchange go (a fault moves them to GET). */
static stream *response_stream(exchange *ex) {
  session *s = ex->owner;
  if (fault_on(FAULT_RESPONSE_ON_GET_STREAM) && s && s->get_stream && s->get_stream->req)
    return s->get_stream;
  return ex->st;
}

void exchange_respond(exchange *ex, const char *json, size_t len) {
  int last = ex->pending - ex->hold == 1;
  if (ex->kind == EX_STDIO && !ex->batch) {
    stdio_write(json, len);
  } else if (ex->kind == EX_JSON || ex->kind == EX_STDIO) { /* collected */
    if (ex->nresp && dynbuf_addc(&ex->out, ',')) {
      exchange_release(ex);
      return;
    }
    dynbuf_add(&ex->out, json, len);
  } else if (ex->kind == EX_LEGACY) { /* routing faults spare initialize */
    stream *st = ex->initialize && ex->owner ? ex->owner->get_stream : legacy_stream_for(ex->owner);
    if (st)
      stream_send(st, json, len);
  } else if (!fault_on(FAULT_CLOSE_BEFORE_RESPONSE) || ex->initialize) {
    stream *st = response_stream(ex);
    if (st && last && st == ex->st && !ex->initialize)
      stream_send_final(st, json, len);
    else if (st && last && st == ex->st) /* stream faults spare initialize */
      stream_send(st, json, len);
    else if (st)
      stream_send(st, json, len);
  }
  ex->nresp++;
  exchange_release(ex);
}

void exchange_emit(exchange *ex, const char *json, size_t len) {
  stream *st = ex->kind == EX_LEGACY ? legacy_stream_for(ex->owner) : ex->st;
  if (ex->kind == EX_STDIO)
    stdio_write(json, len);
  else if (ex->kind != EX_JSON && st)
    stream_send(st, json, len);
}

/* ---- builders ---- */

/* The id as it goes back out (the id-as-* faults change its type). */
static void write_id(dynbuf *out, const char *id, size_t len) {
  int quoted = len >= 2 && id[0] == '"';
  int digits = len > 0;
  for (size_t i = quoted; i < len - quoted; i++)
    digits &= id[i] >= '0' && id[i] <= '9';
  if (quoted && digits && len > 2 && fault_on(FAULT_ID_AS_NUMBER))
    dynbuf_add(out, id + 1, len - 2);
  else if (!quoted && digits && fault_on(FAULT_ID_AS_STRING))
    dynbuf_printf(out, "\"%.*s\"", (int)len, id);
  else
    dynbuf_add(out, id, len);
}

void rpc_result(dynbuf *out, const char *id_raw, size_t id_len, const char *result) {
  dynbuf id;
  dynbuf_init(&id, 4096);
  write_id(&id, id_raw, id_len);
  jsonrpc_build_result(out, id.ptr, id.len, result);
  dynbuf_free(&id);
}

/* Built by hand: a NULL id is left out (2025-11-25 JSONRPC-15). */
void rpc_error(dynbuf *out, const char *id_raw, size_t id_len, long code, const char *message) {
  dynbuf_adds(out, "{\"jsonrpc\":\"2.0\",");
  if (id_raw) {
    dynbuf_adds(out, "\"id\":");
    write_id(out, id_raw, id_len);
    dynbuf_addc(out, ',');
  }
  if (fault_on(FAULT_RESULT_AND_ERROR))
    dynbuf_adds(out, "\"result\":{},");
  if (fault_on(FAULT_ERROR_CODE_STRING))
    dynbuf_printf(out, "\"error\":{\"code\":\"%ld\",\"message\":", code);
  else
    dynbuf_printf(out, "\"error\":{\"code\":%ld,\"message\":", code);
  if (fault_on(FAULT_ERROR_MESSAGE_MULTILINE)) {
    dynbuf m;
    dynbuf_init(&m, 4096);
    dynbuf_printf(&m, "%s\nsecond line\nthird line", message);
    json_write_string(out, m.ptr, m.len);
    dynbuf_free(&m);
  } else {
    json_write_cstring(out, message);
  }
  dynbuf_adds(out, "}}");
}

void rpc_notification(dynbuf *out, const char *method, const char *params) {
  if (!fault_on(FAULT_NOTIFICATION_WITH_ID)) {
    jsonrpc_build_notification(out, method, params);
    return;
  }
  dynbuf tmp;
  dynbuf_init(&tmp, MCPWIRE_MOCK_EVENT_MAX);
  jsonrpc_build_notification(&tmp, method, params);
  dynbuf_adds(out, "{\"id\":9999,");
  if (tmp.len > 1)
    dynbuf_add(out, tmp.ptr + 1, tmp.len - 1);
  dynbuf_free(&tmp);
}

void rpc_notify_session(session *s, const char *method, const char *params) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  rpc_notification(&b, method, params);
  if (fault_on(FAULT_BROADCAST_TO_ALL_STREAMS)) {
    for (stream *st = s->streams; st; st = st->next)
      if (st->req)
        stream_send(st, b.ptr, b.len);
  } else if (s->get_stream) {
    stream_send(s->get_stream, b.ptr, b.len); /* kept for replay if detached */
  } else if (the_mock.opt.stdio) {
    stdio_write(b.ptr, b.len); /* stdio: the one channel */
  }
  dynbuf_free(&b);
}

/* ---- dispatch ---- */

/* Invalid only for a rule whose accept-* fault is on: served anyway. */
static int fault_accepts(const jsonrpc_msg *m) {
  if (jsonrpc_get_type(m, "method") != JSONRPC_T_STRING)
    return 0;
  const char *v = jsonrpc_get_string(m, "jsonrpc");
  int bad_version = !v || strcmp(v, "2.0");
  size_t idlen = 0;
  const char *id = jsonrpc_id_raw(m, &idlen);
  jsonrpc_type idt = jsonrpc_get_type(m, "id");
  int fractional = idt == JSONRPC_T_NUMBER && id && memchr(id, '.', idlen);
  int null_id = idt == JSONRPC_T_NULL;
  int array_params = jsonrpc_get_type(m, "params") == JSONRPC_T_ARRAY;
  if (bad_version && !(fault_on(FAULT_ACCEPT_JSONRPC_1_0) ||
                       fault_on(FAULT_ACCEPT_INVALID_NOTIFICATION)))
    return 0;
  if (fractional && !fault_on(FAULT_ACCEPT_FRACTIONAL_ID))
    return 0;
  if (null_id && !fault_on(FAULT_ACCEPT_NULL_ID))
    return 0;
  if (array_params && !fault_on(FAULT_ACCEPT_ARRAY_PARAMS))
    return 0;
  return bad_version || fractional || null_id || array_params;
}

jsonrpc_kind rpc_effective_kind(const jsonrpc_msg *m) {
  jsonrpc_kind k = jsonrpc_kind_of(m);
  if (k != JSONRPC_INVALID || !fault_accepts(m))
    return k;
  return jsonrpc_get_type(m, "id") == JSONRPC_T_ABSENT ? JSONRPC_NOTIFICATION : JSONRPC_REQUEST;
}

static int owes_response(const jsonrpc_msg *m) {
  jsonrpc_kind k = rpc_effective_kind(m);
  return k == JSONRPC_REQUEST || k == JSONRPC_INVALID;
}

int rpc_count_requests(const jsonrpc_msg *m) {
  if (jsonrpc_kind_of(m) != JSONRPC_BATCH)
    return owes_response(m);
  int n = 0;
  for (size_t i = 0; i < jsonrpc_batch_count(m); i++)
    n += owes_response(jsonrpc_batch_at(m, i));
  return n;
}

int rpc_id_past_uint64(const jsonrpc_msg *m) {
  static const char max[] = "18446744073709551615"; /* 2^64-1 */
  size_t len = 0;
  const char *id = jsonrpc_kind_of(m) == JSONRPC_REQUEST ? jsonrpc_id_raw(m, &len) : NULL;
  if (!id || jsonrpc_get_type(m, "id") != JSONRPC_T_NUMBER)
    return 0;
  size_t i = id[0] == '-';
  for (size_t k = i; k < len; k++)
    if (id[k] < '0' || id[k] > '9')
      return 0; /* a fraction or an exponent: not an integer text */
  size_t digits = len - i;
  return digits > sizeof max - 1 || (digits == sizeof max - 1 && memcmp(id + i, max, digits) > 0);
}

/* An id usable in a reply: a string or an integer as received. */
const char *rpc_reply_id(const jsonrpc_msg *m, size_t *len) {
  jsonrpc_type t = jsonrpc_get_type(m, "id");
  const char *id = jsonrpc_id_raw(m, len);
  if (!id || (t != JSONRPC_T_STRING && t != JSONRPC_T_NUMBER && !fault_accepts(m)))
    return NULL;
  return id;
}

void respond_result(exchange *ex, const jsonrpc_msg *m, const char *result) {
  size_t len = 0;
  const char *id = rpc_reply_id(m, &len);
  dynbuf b, decorated;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  dynbuf_init(&decorated, MCPWIRE_MOCK_EVENT_MAX);
  if (ex->owner && ex->owner->modern) { /* 2026-07-28: resultType, serverInfo */
    stateless_decorate(ex->owner, result, &decorated);
    result = dynbuf_str(&decorated);
  }
  if (ex->kind == EX_JSON && fault_on(FAULT_JSON_REPLY_WRONG_ID))
    rpc_result(&b, "\"not-your-id\"", 13, result);
  else
    rpc_result(&b, id ? id : "null", id ? len : 4, result);
  exchange_respond(ex, b.ptr, b.len);
  dynbuf_free(&b);
  dynbuf_free(&decorated);
}

/* s26-undefined-error-code: a stateless call's -32602 (an unknown tool)
 * as -32030, a code the spec reserves but never defined. */
static long stateless_code_fault(const exchange *ex, const jsonrpc_msg *m, long code) {
  const char *method = jsonrpc_get_string(m, "method");
  if (!ex->owner || !ex->owner->modern || code != JSONRPC_INVALID_PARAMS || !method ||
      strcmp(method, "tools/call") || !fault_on(FAULT_S26_UNDEFINED_ERROR_CODE))
    return code;
  return -32030;
}

void respond_error(exchange *ex, const jsonrpc_msg *m, long code, const char *message) {
  size_t len = 0;
  const char *id = rpc_reply_id(m, &len);
  code = stateless_code_fault(ex, m, code);
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  rpc_error(&b, id, len, code, message);
  exchange_respond(ex, b.ptr, b.len);
  dynbuf_free(&b);
}

#define RESERVED_META_PREFIX "io.modelcontextprotocol/"

/* _meta with a key other than progressToken and the protocol's own
 * io.modelcontextprotocol/ ones (reject-unknown-meta). */
int rpc_has_foreign_meta(const jsonrpc_msg *m) {
  size_t n = jsonrpc_get_count(m, "params._meta");
  for (size_t i = 0; i < n; i++) {
    const char *k = jsonrpc_get_key(m, "params._meta", i);
    if (k && strcmp(k, "progressToken") &&
        strncmp(k, RESERVED_META_PREFIX, sizeof RESERVED_META_PREFIX - 1))
      return 1;
  }
  return 0;
}

static void handle_request(exchange *ex, const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  if (fault_on(FAULT_REJECT_UNKNOWN_META) && rpc_has_foreign_meta(m)) {
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "Unknown _meta key");
    return;
  }
  if (lifecycle_handle(ex, m, method) || tools_handle(ex, m, method) ||
      fixtures_handle(ex, m, method))
    return;
  if (fault_on(FAULT_UNKNOWN_METHOD_RESULT))
    respond_result(ex, m, "{}");
  else
    respond_error(ex, m, JSONRPC_METHOD_NOT_FOUND, "Method not found");
}

static void handle_cancel(session *s, const jsonrpc_msg *m) {
  dynbuf id;
  dynbuf_init(&id, 4096);
  if (!jsonrpc_get_json(m, "params.requestId", &id)) {
    call *c = call_find_by_id(s, id.ptr, id.len);
    if (c)
      tools_cancel(c);
    else if (fault_on(FAULT_LATE_CANCEL_BREAKS_SESSION))
      s->doomed = 1;
  }
  dynbuf_free(&id);
}

static void handle_notification(exchange *ex, const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  session *s = ex->owner;
  if (!s || !method)
    return;
  if (!strcmp(method, "notifications/initialized"))
    s->initialized = 1;
  else if (!strcmp(method, "notifications/cancelled"))
    handle_cancel(s, m);
}

static void handle_client_response(exchange *ex, const jsonrpc_msg *m) {
  size_t len = 0;
  const char *id = jsonrpc_id_raw(m, &len);
  call *c = ex->owner && id ? call_find_by_server_req(ex->owner, id, len) : NULL;
  if (c)
    tools_on_client_response(c, m);
}

void rpc_handle(exchange *ex, const jsonrpc_msg *m) {
  switch (rpc_effective_kind(m)) {
  case JSONRPC_REQUEST: handle_request(ex, m); break;
  case JSONRPC_NOTIFICATION: handle_notification(ex, m); break;
  case JSONRPC_SUCCESS_RESPONSE:
  case JSONRPC_ERROR_RESPONSE: handle_client_response(ex, m); break;
  case JSONRPC_INVALID: respond_error(ex, m, JSONRPC_INVALID_REQUEST, "Invalid Request"); break;
  case JSONRPC_BATCH: respond_error(ex, m, JSONRPC_INVALID_REQUEST, "Nested batch"); break;
  }
}

/* ---- calls ---- */

void call_free(call *c) {
  session *s = c->owner;
  call **pp = &s->calls;
  while (*pp && *pp != c)
    pp = &(*pp)->next;
  if (*pp)
    *pp = c->next;
  if (c->timer)
    event_free(c->timer);
  if (c->ex)
    exchange_release(c->ex);
  free(c->id_raw);
  free(c->progress_token);
  free(c->tool);
  free(c->server_req_id);
  free(c->arg);
  free(c);
}

call *call_find_by_id(session *s, const char *id_raw, size_t len) {
  for (call *c = s->calls; c; c = c->next)
    if (c->id_raw && jsonrpc_id_equal(c->id_raw, c->id_len, id_raw, len))
      return c;
  return NULL;
}

call *call_find_by_server_req(session *s, const char *id_raw, size_t len) {
  for (call *c = s->calls; c; c = c->next)
    if (c->server_req_id &&
        jsonrpc_id_equal(c->server_req_id, strlen(c->server_req_id), id_raw, len))
      return c;
  return NULL;
}
