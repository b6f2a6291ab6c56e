/*
 * legacy.c: HTTP+SSE (2024-11-05). GET /sse opens the session's stream and
 * announces the POST endpoint first; POST /message?sessionId=… answers 202
 * and the response travels as `event: message` on that stream. Closing the
 * stream ends the session (stream.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/queue.h>

#include <event2/keyvalq_struct.h>

#include "mcpwire_limits.h"
#include "mock.h"

void legacy_handle_sse(struct evhttp_request *req) {
  if (!http_check_security(req))
    return;
  if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
    evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET");
    http_reply(req, 405, "Method Not Allowed", NULL, NULL, 0);
    return;
  }
  session *s = session_create(1);
  if (s)
    session_opened_by(s, req);
  stream *st = s ? stream_create(s, 1) : NULL;
  if (!st) {
    if (s)
      session_destroy(s);
    http_reply(req, 503, "Service Unavailable", NULL, NULL, 0);
    return;
  }
  stream_attach(st, req);
  if (fault_on(FAULT_ENDPOINT_NOT_FIRST)) {
    static const char ping[] = "{\"jsonrpc\":\"2.0\",\"id\":\"srv-0\",\"method\":\"ping\"}";
    stream_send(st, ping, sizeof ping - 1);
  }
  if (fault_on(FAULT_NO_ENDPOINT_EVENT))
    return;
  char uri[192], id[64];
  snprintf(id, sizeof id, "%s", s->id);
  for (char *p = id; *p; p++)
    if (*p == ' ')
      *p = '+'; /* form-encoded space, decoded by the query parser */
  const char *host = http_header(req, "Host");
  const char *port = host ? strrchr(host, ':') : NULL;
  int cross = fault_on(FAULT_ENDPOINT_CROSS_ORIGIN) && port;
  /* localhost is another origin than 127.0.0.1 that still reaches us */
  snprintf(uri, sizeof uri, "%s%.8s%s?sessionId=%s", cross ? "http://localhost" : "",
           cross ? port : "", fault_on(FAULT_ENDPOINT_WRONG_PATH) ? "/messages" : "/message", id);
  stream_send_endpoint(st, uri);
}

/* The session named by ?sessionId=; NULL when absent or unknown. */
static session *legacy_session(struct evhttp_request *req) {
  const char *q = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
  struct evkeyvalq params;
  TAILQ_INIT(&params);
  if (!q || evhttp_parse_query_str(q, &params))
    return NULL;
  const char *sid = evhttp_find_header(&params, "sessionId");
  session *s = sid ? session_find(sid) : NULL;
  if (!s && sid) { /* a space in the id may arrive as '+' */
    char buf[64];
    snprintf(buf, sizeof buf, "%s", sid);
    for (char *p = buf; *p; p++)
      if (*p == '+')
        *p = ' ';
    s = session_find(buf);
  }
  evhttp_clear_headers(&params);
  return s && s->legacy && session_reachable(s, req) ? s : NULL;
}

/* Where responses go: the poster's stream (a fault picks the newest; the
 * initialize response is spared, exchange_respond, so the handshake of a
 * session never depends on which sessions happen to be open at the time).
 * Looked up at each send, so no exchange keeps a stream pointer. */
stream *legacy_stream_for(session *s) {
  if (!s)
    return NULL;
  if (!fault_on(FAULT_LEGACY_CROSS_ROUTING))
    return s->get_stream;
  for (session *o = the_mock.sessions; o; o = o->next)
    if (o->legacy && o->get_stream)
      return o->get_stream;
  return s->get_stream;
}

/* 400 with a JSON-RPC error body; legacy-reject-ends-session ends s too. */
static void refuse(struct evhttp_request *req, session *s, long code, const char *message) {
  http_reply_rpc_error(req, 400, "Bad Request", code, message);
  if (fault_on(FAULT_LEGACY_REJECT_ENDS_SESSION))
    session_destroy(s);
}

/* The code a refusal of m carries (the wrong-code faults apply here too). */
static long refusal_code(int parse) {
  if (parse)
    return fault_on(FAULT_PARSE_ERROR_WRONG_CODE) ? JSONRPC_INVALID_REQUEST : JSONRPC_PARSE_ERROR;
  return fault_on(FAULT_INVALID_REQUEST_WRONG_CODE) ? JSONRPC_METHOD_NOT_FOUND
                                                     : JSONRPC_INVALID_REQUEST;
}

static jsonrpc_msg *legacy_parse(struct evhttp_request *req, session *s) {
  const char *ctype = http_header(req, "Content-Type");
  int lenient = fault_on(FAULT_LEGACY_LENIENT_POST);
  if (!lenient && (!ctype || !strstr(ctype, "application/json"))) {
    refuse(req, s, -32000, "Content-Type must be application/json");
    return NULL;
  }
  size_t len = 0;
  char *body = http_body(req, &len);
  jsonrpc_msg *m = body ? jsonrpc_parse(body, len) : NULL;
  free(body);
  if (m && (!jsonrpc_is_json(m) || (jsonrpc_kind_of(m) != JSONRPC_BATCH &&
                                    rpc_effective_kind(m) == JSONRPC_INVALID))) {
    int parse = !jsonrpc_is_json(m);
    if (lenient) { /* acknowledged, then dropped */
      http_reply(req, 202, "Accepted", "text/plain", "Accepted", 8);
      jsonrpc_free(m);
      return NULL;
    }
    jsonrpc_free(m);
    refuse(req, s, refusal_code(parse), parse ? "Parse error" : "Invalid Request");
    return NULL;
  }
  if (!m)
    http_reply(req, 500, "Internal Server Error", NULL, NULL, 0);
  return m;
}

static int is_initialize(const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  return jsonrpc_kind_of(m) != JSONRPC_BATCH && rpc_effective_kind(m) == JSONRPC_REQUEST &&
         method && !strcmp(method, "initialize");
}

static void legacy_dispatch(struct evhttp_request *req, session *s, const jsonrpc_msg *m) {
  int inline_reply = fault_on(FAULT_POST_BODY_JSON_ON_LEGACY);
  exchange *ex = exchange_new(inline_reply ? EX_JSON : EX_LEGACY, s);
  if (!ex) {
    http_reply(req, 500, "Internal Server Error", NULL, NULL, 0);
    return;
  }
  ex->batch = jsonrpc_kind_of(m) == JSONRPC_BATCH;
  ex->initialize = is_initialize(m);
  ex->pending = rpc_count_requests(m) + 1;
  ex->hold = 1;
  if (inline_reply)
    ex->req = req;
  else
    http_reply(req, 202, "Accepted", "text/plain", "Accepted", 8);
  if (ex->batch)
    for (size_t i = 0; i < jsonrpc_batch_count(m); i++)
      rpc_handle(ex, jsonrpc_batch_at(m, i));
  else
    rpc_handle(ex, m);
  ex->hold = 0;
  exchange_release(ex);
}

void legacy_handle_message(struct evhttp_request *req) {
  if (!http_check_security(req))
    return;
  if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
    evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "POST");
    http_reply(req, 405, "Method Not Allowed", NULL, NULL, 0);
    return;
  }
  session *s = legacy_session(req);
  if (!s) {
    if (fault_on(FAULT_LEGACY_ACCEPT_UNKNOWN_SESSION)) {
      http_reply(req, 202, "Accepted", "text/plain", "Accepted", 8);
      return;
    }
    http_reply_rpc_error(req, 404, "Not Found", -32001, "Session not found");
    return;
  }
  jsonrpc_msg *m = legacy_parse(req, s);
  if (!m)
    return;
  if (fault_on(FAULT_HUGE_ID_DROPPED) && rpc_id_past_uint64(m)) { /* acknowledged, then lost */
    http_reply(req, 202, "Accepted", "text/plain", "Accepted", 8);
    jsonrpc_free(m);
    return;
  }
  session_touch(s);
  legacy_dispatch(req, s, m);
  jsonrpc_free(m);
}
