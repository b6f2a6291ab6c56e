/*
 * streamable.c: Streamable HTTP at /mcp (2025-03-26, 2025-06-18,
 * 2025-11-25). POST carries messages, GET opens the standalone stream or
 * resumes one by Last-Event-ID, DELETE ends the session. A POST of the
 * stateless 2026-07-28 era goes to stateless.c instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/queue.h>

#include <event2/keyvalq_struct.h>

#include "mcpwire_limits.h"
#include "mock.h"

static const char *session_header(struct evhttp_request *req) {
  if (!fault_on(FAULT_SESSION_HEADER_CASE_SENSITIVE))
    return http_header(req, "Mcp-Session-Id");
  struct evkeyval *kv;
  TAILQ_FOREACH(kv, evhttp_request_get_input_headers(req), next)
    if (!strcmp(kv->key, "Mcp-Session-Id"))
      return kv->value;
  return NULL;
}

/* The session a non-initialize request names; replies and returns NULL
 * when it is missing (400), unknown (404) or the version header is bad. */
static session *resolve_session(struct evhttp_request *req) {
  const char *sid = session_header(req);
  session *s = NULL;
  if (!sid && fault_on(FAULT_NO_SESSION_REQUIRED) && the_mock.newest && !the_mock.newest->legacy)
    s = the_mock.newest;
  else if (!sid) {
    http_reply_rpc_error(req, 400, "Bad Request", -32000, "Mcp-Session-Id header is required");
    return NULL;
  } else if (!(s = session_find(sid)) || s->legacy || !session_reachable(s, req)) {
    int wrong = fault_on(FAULT_UNKNOWN_SESSION_400);
    http_reply_rpc_error(req, wrong ? 400 : 404, wrong ? "Bad Request" : "Not Found", -32001,
                         "Session not found");
    return NULL;
  }
  const char *v = http_header(req, "MCP-Protocol-Version");
  int bad = v ? !version_is_modern(v) && !fault_on(FAULT_ACCEPT_BAD_VERSION_HEADER)
              : fault_on(FAULT_REQUIRE_VERSION_HEADER);
  if (bad) {
    http_reply_rpc_error(req, 400, "Bad Request", -32000,
                         "Unsupported or missing MCP-Protocol-Version");
    return NULL;
  }
  session_touch(s);
  return s;
}

static void reply_parse_error(struct evhttp_request *req) {
  dynbuf b;
  dynbuf_init(&b, 4096);
  long code = fault_on(FAULT_PARSE_ERROR_WRONG_CODE) ? JSONRPC_INVALID_REQUEST : JSONRPC_PARSE_ERROR;
  if (fault_on(FAULT_PARSE_ERROR_WITH_ID))
    rpc_error(&b, "0", 1, code, "Parse error");
  else
    rpc_error(&b, NULL, 0, code, "Parse error");
  http_reply(req, 400, "Bad Request", "application/json", b.ptr, b.len);
  dynbuf_free(&b);
}

static void reply_invalid(struct evhttp_request *req, const jsonrpc_msg *m, const char *why) {
  size_t len = 0;
  const char *id = m ? rpc_reply_id(m, &len) : NULL;
  long code = JSONRPC_INVALID_REQUEST;
  if (m && fault_on(FAULT_INVALID_REQUEST_WRONG_CODE) &&
      jsonrpc_get_type(m, "method") != JSONRPC_T_STRING)
    code = JSONRPC_METHOD_NOT_FOUND;
  dynbuf b;
  dynbuf_init(&b, 4096);
  rpc_error(&b, id, len, code, why);
  http_reply(req, 400, "Bad Request", "application/json", b.ptr, b.len);
  dynbuf_free(&b);
}

static int is_initialize(const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  return jsonrpc_kind_of(m) != JSONRPC_BATCH && rpc_effective_kind(m) == JSONRPC_REQUEST &&
         method && !strcmp(method, "initialize");
}

static int is_empty_batch(const jsonrpc_msg *m) {
  return jsonrpc_get_type(m, "") == JSONRPC_T_ARRAY && jsonrpc_get_count(m, "") == 0;
}

/* A batch none of whose members is an object ([1]): nothing to serve. */
static int is_batch_of_non_objects(const jsonrpc_msg *m) {
  size_t n = jsonrpc_get_type(m, "") == JSONRPC_T_ARRAY ? jsonrpc_get_count(m, "") : 0;
  char path[32];
  for (size_t i = 0; i < n; i++) {
    snprintf(path, sizeof path, "[%zu]", i);
    if (jsonrpc_get_type(m, path) == JSONRPC_T_OBJECT)
      return 0;
  }
  return n > 0;
}

static void dispatch_all(exchange *ex, const jsonrpc_msg *m) {
  if (jsonrpc_kind_of(m) != JSONRPC_BATCH) {
    rpc_handle(ex, m);
    return;
  }
  for (size_t i = 0; i < jsonrpc_batch_count(m); i++)
    rpc_handle(ex, jsonrpc_batch_at(m, i));
}

/* Faulty answers to bodies that owe nothing; 1 when one was sent. */
static int notification_fault_reply(struct evhttp_request *req, session *s, const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  int single_note = jsonrpc_kind_of(m) == JSONRPC_NOTIFICATION && method;
  if (jsonrpc_kind_of(m) == JSONRPC_BATCH && fault_on(FAULT_BATCH_NOTIFICATIONS_NOT_202)) {
    http_reply(req, 200, "OK", "application/json", "[]", 2);
  } else if (single_note && fault_on(FAULT_ANSWER_NOTIFICATION) &&
             strcmp(method, "notifications/initialized") &&
             strcmp(method, "notifications/cancelled")) {
    dynbuf b;
    dynbuf_init(&b, 4096);
    rpc_error(&b, "null", 4, JSONRPC_METHOD_NOT_FOUND, "Method not found");
    http_reply(req, 200, "OK", "application/json", b.ptr, b.len);
    dynbuf_free(&b);
  } else if (single_note && fault_on(FAULT_REJECT_INVALID_CANCEL) &&
             !strcmp(method, "notifications/cancelled")) {
    dynbuf id;
    dynbuf_init(&id, 4096);
    int known = !jsonrpc_get_json(m, "params.requestId", &id) && call_find_by_id(s, id.ptr, id.len);
    dynbuf_free(&id);
    if (known)
      return 0;
    http_reply_rpc_error(req, 400, "Bad Request", JSONRPC_INVALID_PARAMS, "Unknown requestId");
  } else {
    return 0;
  }
  return 1;
}

/* Notifications and responses only: handled, then 202 with no body. */
static void post_without_requests(struct evhttp_request *req, session *s, const jsonrpc_msg *m) {
  if (notification_fault_reply(req, s, m))
    return;
  exchange *ex = exchange_new(EX_JSON, s);
  if (ex) {
    ex->pending = ex->hold = 1;
    dispatch_all(ex, m);
    ex->hold = 0;
    exchange_release(ex);
  }
  if (fault_on(FAULT_NOTIFICATION_NOT_202))
    http_reply(req, 200, "OK", "application/json", "{}", 2);
  else
    http_reply(req, 202, "Accepted", NULL, NULL, 0);
  if (s && s->doomed)
    session_destroy(s);
}

static void post_with_requests(struct evhttp_request *req, session *s, const jsonrpc_msg *m,
                               int owed) {
  int json = the_mock.opt.responses_json || fault_on(FAULT_WRONG_CONTENT_TYPE) ||
             fault_on(FAULT_JSON_REPLY_WRONG_ID); /* the fault shows on JSON replies */
  exchange *ex = exchange_new(json ? EX_JSON : EX_SSE, s);
  if (!ex) {
    http_reply(req, 500, "Internal Server Error", NULL, NULL, 0);
    return;
  }
  ex->batch = jsonrpc_kind_of(m) == JSONRPC_BATCH;
  ex->initialize = is_initialize(m);
  ex->pending = owed + 1;
  ex->hold = 1;
  if (s && is_initialize(m))
    evhttp_add_header(evhttp_request_get_output_headers(req), "Mcp-Session-Id", s->id);
  if (json) {
    ex->req = req;
  } else if (s && (ex->st = stream_create(s, 0))) {
    ex->st->ex = ex;
    stream_attach(ex->st, req);
    stream_prime(ex->st);
    int early = fault_on(FAULT_NO_RETRY_BEFORE_CLOSE) || the_mock.opt.poll_close;
    if (early && !is_initialize(m) && !strcmp(session_version(s), MOCK_V2511))
      stream_detach(ex->st); /* SEP-1699 polling (the fault: with no retry sent) */
  } else {
    ex->kind = EX_JSON; /* no session (a failed initialize): plain JSON */
    ex->req = req;
  }
  dispatch_all(ex, m);
  ex->hold = 0;
  exchange_release(ex);
}

/* A new session for initialize; replies and returns NULL when refused. */
static session *open_session(struct evhttp_request *req, const jsonrpc_msg *m, int *failed) {
  *failed = 0;
  const char *asked = jsonrpc_get_string(m, "params.protocolVersion");
  const char *header = http_header(req, "MCP-Protocol-Version");
  if (fault_on(FAULT_INIT_VERSION_MISMATCH_400) && asked && header && strcmp(asked, header)) {
    http_reply_rpc_error(req, 400, "Bad Request", -32000, "MCP-Protocol-Version does not match");
    *failed = 1;
    return NULL;
  }
  if ((fault_on(FAULT_SESSION_REQUIRED_ON_INITIALIZE) && !session_header(req)) ||
      (fault_on(FAULT_REQUIRE_VERSION_HEADER) && !http_header(req, "MCP-Protocol-Version"))) {
    http_reply_rpc_error(req, 400, "Bad Request", -32000, "Bad Request");
    *failed = 1;
    return NULL;
  }
  if (!asked && fault_on(FAULT_INIT_WITHOUT_VERSION_ACCEPTED))
    asked = MOCK_V2511;
  if (!asked)
    return NULL; /* answered with -32602 and no session */
  session *s = session_create(0);
  if (!s) {
    http_reply_rpc_error(req, 503, "Service Unavailable", -32000, "Too many sessions");
    *failed = 1;
    return NULL;
  }
  snprintf(s->version, sizeof s->version, "%s", lifecycle_negotiate(s, asked));
  session_opened_by(s, req);
  return s;
}

/* Status checks shared by every POST: Accept, Content-Type, JSON. */
static jsonrpc_msg *post_parse(struct evhttp_request *req) {
  const char *ctype = http_header(req, "Content-Type");
  int accepted = http_accepts(req, "application/json") && http_accepts(req, "text/event-stream");
  if (!accepted && !fault_on(FAULT_NO_ACCEPT_CHECK)) {
    http_reply_rpc_error(req, 406, "Not Acceptable", -32000,
                         "Accept must list application/json and text/event-stream");
    return NULL;
  }
  if ((!ctype || !strstr(ctype, "application/json")) && !fault_on(FAULT_NO_CONTENT_TYPE_CHECK)) {
    http_reply_rpc_error(req, 415, "Unsupported Media Type", -32000,
                         "Content-Type must be application/json");
    return NULL;
  }
  size_t len = 0;
  char *body = http_body(req, &len);
  jsonrpc_msg *m = body ? jsonrpc_parse(body, len) : NULL;
  free(body);
  if (!m)
    http_reply(req, 500, "Internal Server Error", NULL, NULL, 0);
  else if (!jsonrpc_is_json(m)) {
    reply_parse_error(req);
    jsonrpc_free(m);
    m = NULL;
  }
  return m;
}

/* Batches exist only in 2025-03-26; 0 when refused (and replied). */
static int batch_allowed(struct evhttp_request *req, const session *s, const jsonrpc_msg *m) {
  if (!is_empty_batch(m) && jsonrpc_kind_of(m) != JSONRPC_BATCH)
    return 1;
  int v2503 = !strcmp(session_version(s), MOCK_V2503);
  if ((!v2503 && !fault_on(FAULT_ACCEPT_BATCH_AFTER_2503)) || (v2503 && fault_on(FAULT_REJECT_BATCH))) {
    reply_invalid(req, NULL, "Batches are not supported in this protocol revision");
    return 0;
  }
  if (is_empty_batch(m) && !fault_on(FAULT_EMPTY_BATCH_ACCEPTED)) {
    reply_invalid(req, NULL, "Empty batch");
    return 0;
  }
  if (is_empty_batch(m) || (is_batch_of_non_objects(m) && fault_on(FAULT_EMPTY_BATCH_ACCEPTED))) {
    /* empty-batch-accepted: taken like a batch of notifications */
    http_reply(req, 202, "Accepted", NULL, NULL, 0);
    return 0;
  }
  return 1;
}

/* Requests the lossy faults acknowledge (202) and never answer: an
 * initialize in a live session (second-initialize-dropped), an id past
 * 2^64-1 (huge-id-dropped). 1 when m was dropped so. */
static int dropped_by_fault(struct evhttp_request *req, const jsonrpc_msg *m) {
  const char *sid = session_header(req);
  session *live = sid ? session_find(sid) : NULL;
  int second_init = is_initialize(m) && live && !live->legacy &&
                    fault_on(FAULT_SECOND_INITIALIZE_DROPPED);
  if (!second_init && !(fault_on(FAULT_HUGE_ID_DROPPED) && rpc_id_past_uint64(m)))
    return 0;
  http_reply(req, 202, "Accepted", NULL, NULL, 0);
  return 1;
}

static void handle_post(struct evhttp_request *req) {
  jsonrpc_msg *m = post_parse(req);
  if (!m)
    return;
  if (stateless_claims(req, m)) { /* 2026-07-28 (stateless.c) */
    stateless_post(req, m);
    jsonrpc_free(m);
    return;
  }
  if (dropped_by_fault(req, m)) {
    jsonrpc_free(m);
    return;
  }
  session *s = NULL;
  int failed = 0;
  if (is_initialize(m))
    s = open_session(req, m, &failed);
  else if (!session_header(req) && fault_on(FAULT_SERVE_BEFORE_INITIALIZE))
    s = NULL; /* served with no session at all */
  else if (!(s = resolve_session(req)))
    failed = 1;
  if (failed || (s && !batch_allowed(req, s, m))) {
    jsonrpc_free(m);
    return;
  }
  int single = jsonrpc_kind_of(m) != JSONRPC_BATCH && !is_empty_batch(m);
  int owed = rpc_count_requests(m);
  if (single && rpc_effective_kind(m) == JSONRPC_INVALID)
    reply_invalid(req, m, "Invalid Request");
  else if (owed)
    post_with_requests(req, s, m, owed);
  else
    post_without_requests(req, s, m);
  jsonrpc_free(m);
}

/* --busy-resumes N: 1 for every Nth resume GET (a busy server's 503). */
static int busy_now(void) {
  static unsigned long resumes;
  int n = the_mock.opt.busy_resumes;
  return n > 0 && ++resumes % (unsigned long)n == 0;
}

/* GET with Last-Event-ID: replay that stream's later events, continue it. */
static void resume_stream(struct evhttp_request *req, session *s, const char *last) {
  unsigned no;
  uint64_t seq;
  stream *st = stream_parse_event_id(last, &no, &seq) ? stream_find(s, no) : NULL;
  if (!st) {
    http_reply_rpc_error(req, 400, "Bad Request", -32000, "Unknown Last-Event-ID");
    return;
  }
  if (stream_attached(st)) {
    http_reply_rpc_error(req, 409, "Conflict", -32000, "Stream already connected");
    return;
  }
  stream_attach(st, req);
  stream_replay(st, seq);
  if (st->finished)
    stream_detach(st);
}

static void open_get_stream(struct evhttp_request *req, session *s) {
  if (s->get_stream && stream_attached(s->get_stream)) {
    if (fault_on(FAULT_SECOND_GET_400))
      http_reply_rpc_error(req, 400, "Bad Request", -32000, "Only one GET stream per session");
    else
      http_reply_rpc_error(req, 409, "Conflict", -32000, "Only one GET stream per session");
    return;
  }
  stream *st = s->get_stream ? s->get_stream : stream_create(s, 1);
  if (!st) {
    http_reply(req, 500, "Internal Server Error", NULL, NULL, 0);
    return;
  }
  stream_attach(st, req);
  stream_prime(st);
  if (fault_on(FAULT_NO_RETRY_BEFORE_CLOSE) && !strcmp(session_version(s), MOCK_V2511)) {
    stream_detach(st); /* the fault closes GET too, after a priming with no retry */
    return;
  }
  if (fault_on(FAULT_REQUEST_BEFORE_INITIALIZED) && !s->initialized) {
    dynbuf b;
    dynbuf_init(&b, 1024);
    jsonrpc_build_request(&b, "\"srv-roots\"", "roots/list", NULL);
    stream_send(st, b.ptr, b.len);
    dynbuf_free(&b);
  }
}

static void handle_get(struct evhttp_request *req) {
  const char *last = http_header(req, "Last-Event-ID");
  if (fault_on(FAULT_GET_404)) {
    http_reply(req, 404, "Not Found", NULL, NULL, 0);
    return;
  }
  if (!last && the_mock.opt.no_get_stream) {
    evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "POST, DELETE");
    http_reply(req, 405, "Method Not Allowed", NULL, NULL, 0);
    return;
  }
  if (!http_accepts(req, "text/event-stream") && !fault_on(FAULT_NO_ACCEPT_CHECK)) {
    http_reply_rpc_error(req, 406, "Not Acceptable", -32000, "Accept must list text/event-stream");
    return;
  }
  session *s = resolve_session(req);
  if (!s)
    return;
  if (fault_on(FAULT_GET_WRONG_CONTENT_TYPE)) {
    http_reply(req, 200, "OK", "application/json", "{}", 2);
    return;
  }
  if (last && busy_now()) {
    evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "0");
    http_reply(req, 503, "Service Unavailable", "text/plain", "busy, try again\n", 16);
  } else if (last)
    resume_stream(req, s, last);
  else
    open_get_stream(req, s);
}

static void handle_delete(struct evhttp_request *req) {
  session *s = resolve_session(req);
  if (!s)
    return;
  if (!fault_on(FAULT_NO_404_AFTER_DELETE))
    session_destroy(s);
  http_reply(req, 200, "OK", NULL, NULL, 0);
}

void streamable_handle(struct evhttp_request *req) {
  if (!http_check_security(req))
    return;
  enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
  if (the_mock.opt.eras == ERAS_MODERN && cmd != EVHTTP_REQ_POST) {
    stateless_other_method(req); /* no GET stream, no session to DELETE */
    return;
  }
  switch (cmd) {
  case EVHTTP_REQ_POST: handle_post(req); break;
  case EVHTTP_REQ_GET: handle_get(req); break;
  case EVHTTP_REQ_DELETE: handle_delete(req); break;
  default:
    evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, POST, DELETE");
    http_reply(req, 405, "Method Not Allowed", NULL, NULL, 0);
  }
}
