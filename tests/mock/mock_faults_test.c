/*
 * mock_faults_test: every fault of `mcpwire-mock --list-faults` changes
 * the wire in the way it names. Each row runs its probe against a server
 * with the fault (the deviation must show) and against one without it (it
 * must not), so no probe can pass by accident. argv[1] is the binary.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check.h"
#include "mock_test_util.h"

static mk_resp last;         /* the last reply a probe read */
static char jbuf[4096];

static void post(const mk_sess *s, const char *body, const char *extra) {
  mk_resp_free(&last);
  mk_post(s, body, &last, extra);
}

static const char *jget(const char *path) { return reply_json(&last, path, jbuf, sizeof jbuf); }
static int has(const char *text) { return body_has(&last, text); }

static mk_sess sess(const mk_server *srv, const char *version) {
  mk_sess s;
  mk_init(&s, srv, version, NULL, 1);
  return s;
}

/* ---- legacy probes ---- */

typedef struct want_events {
  mk_stream *st;
  size_t n;
} want_events;

static int events_reached(void *arg) {
  want_events *w = arg;
  const dynbuf *b = mk_stream_body(w->st);
  mk_events *e = mk_events_parse(b->ptr, b->len);
  size_t n = e->n;
  mk_events_free(e);
  return n >= w->n;
}

/* Pumps until the stream has n events or ms pass; its events (caller frees). */
static mk_events *events_after(mk_stream *st, size_t n, long ms) {
  want_events w = {st, n};
  mk_pump_until(events_reached, &w, ms);
  const dynbuf *b = mk_stream_body(st);
  return mk_events_parse(b->ptr, b->len);
}

/* Opens /sse and waits (bounded) for its first event. */
static mk_events *sse_open(const mk_server *srv, mk_stream **out) {
  mk_sess s = {.srv = srv};
  *out = mk_stream_open(&s, "/sse", NULL);
  return events_after(*out, 1, 3000);
}

static const char *endpoint_of(const mk_events *e, char *buf, size_t n) {
  buf[0] = '\0';
  for (size_t i = 0; i < e->n; i++)
    if (!strcmp(e->ev[i].type, "endpoint"))
      snprintf(buf, n, "%s", e->ev[i].data);
  return buf;
}

static long legacy_post(const mk_server *srv, const char *path, const char *body) {
  mk_req q = {.path = path, .body = body};
  q.headers[0] = "Content-Type: application/json";
  mk_resp_free(&last);
  mk_do(srv, &q, &last);
  return last.status;
}

static int p_no_endpoint_event(const mk_server *srv) {
  mk_stream *st;
  mk_events *e = sse_open(srv, &st);
  char ep[256];
  int dev = !endpoint_of(e, ep, sizeof ep)[0];
  mk_events_free(e);
  mk_stream_close(st);
  return dev;
}

static int p_endpoint_not_first(const mk_server *srv) {
  mk_stream *st;
  mk_events *e = sse_open(srv, &st);
  int dev = e->n && strcmp(e->ev[0].type, "endpoint");
  mk_events_free(e);
  mk_stream_close(st);
  return dev;
}

static int p_endpoint_wrong_path(const mk_server *srv) {
  mk_stream *st;
  mk_events *e = sse_open(srv, &st);
  char ep[256];
  int dev = legacy_post(srv, endpoint_of(e, ep, sizeof ep), PING("1")) != 202;
  mk_events_free(e);
  mk_stream_close(st);
  return dev;
}

/* POSTs a ping through the stream's endpoint; the stream's events after. */
static mk_events *legacy_ping(const mk_server *srv, mk_stream **st) {
  mk_events *e = sse_open(srv, st);
  char ep[256];
  legacy_post(srv, endpoint_of(e, ep, sizeof ep), PING("\"lp\""));
  mk_events_free(e);
  return events_after(*st, 2, 3000);
}

static int p_legacy_wrong_event_type(const mk_server *srv) {
  mk_stream *st;
  mk_events *e = legacy_ping(srv, &st);
  int dev = e->n >= 2 && strcmp(e->ev[1].type, "message");
  mk_events_free(e);
  mk_stream_close(st);
  return dev;
}

static int p_post_body_json_on_legacy(const mk_server *srv) {
  mk_stream *st;
  mk_events *e = legacy_ping(srv, &st);
  int dev = last.status != 202 || has("jsonrpc");
  mk_events_free(e);
  mk_stream_close(st);
  return dev;
}

typedef struct two_streams {
  mk_stream *a, *b;
} two_streams;

static int either_has_mine(void *arg) {
  two_streams *t = arg;
  return strstr(dynbuf_str(mk_stream_body(t->a)), "\"mine\"") ||
         strstr(dynbuf_str(mk_stream_body(t->b)), "\"mine\"");
}

static int p_legacy_cross_routing(const mk_server *srv) {
  mk_stream *a, *b;
  mk_events *ea = sse_open(srv, &a), *eb = sse_open(srv, &b);
  char ep[256];
  two_streams t = {a, b};
  legacy_post(srv, endpoint_of(ea, ep, sizeof ep), PING("\"mine\""));
  mk_pump_until(either_has_mine, &t, 3000);
  int dev = strstr(dynbuf_str(mk_stream_body(b)), "\"mine\"") != NULL;
  mk_events_free(ea);
  mk_events_free(eb);
  mk_stream_close(a);
  mk_stream_close(b);
  return dev;
}

static int p_legacy_accept_unknown_session(const mk_server *srv) {
  return legacy_post(srv, "/message?sessionId=forged", PING("1")) != 404;
}

static int p_endpoint_cross_origin(const mk_server *srv) {
  mk_stream *st;
  mk_events *e = sse_open(srv, &st);
  char ep[256];
  int dev = strstr(endpoint_of(e, ep, sizeof ep), "://localhost:") != NULL;
  mk_events_free(e);
  mk_stream_close(st);
  return dev;
}

static int p_legacy_lenient_post(const mk_server *srv) {
  mk_stream *st;
  mk_events *e = sse_open(srv, &st);
  char ep[256];
  mk_req q = {.path = endpoint_of(e, ep, sizeof ep), .body = PING("1")};
  q.headers[0] = "Content-Type: text/plain";
  mk_resp_free(&last);
  mk_do(srv, &q, &last);
  int dev = last.status != 400;
  mk_events_free(e);
  mk_stream_close(st);
  return dev;
}

static int p_legacy_reject_ends_session(const mk_server *srv) {
  mk_stream *st;
  mk_events *e = sse_open(srv, &st);
  char ep[256];
  mk_req q = {.path = endpoint_of(e, ep, sizeof ep), .body = "{\"jsonrpc\":"};
  q.headers[0] = "Content-Type: application/json";
  mk_resp_free(&last);
  mk_do(srv, &q, &last);
  int dev = last.status == 400 && legacy_post(srv, ep, PING("1")) == 404;
  mk_events_free(e);
  mk_stream_close(st);
  return dev;
}

/* ---- Streamable HTTP probes ---- */

static int p_get_404(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_resp_free(&last);
  mk_get_for(&s, &last, NULL, 200);
  return last.status == 404;
}

static int p_notification_not_202(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, NOTE("notifications/initialized"), NULL);
  return last.status != 202 || last.body.len;
}

static int p_accept_invalid_notification(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, "{\"jsonrpc\":\"1.0\",\"method\":\"notifications/x\"}", NULL);
  return last.status >= 200 && last.status < 300; /* really served, not just unanswered */
}

static int p_wrong_content_type(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  char ct[128] = "";
  post(&s, PING("1"), NULL);
  mk_header(&last, "Content-Type", ct, sizeof ct);
  return !strstr(ct, "application/json") && !strstr(ct, "text/event-stream");
}

static int p_json_reply_wrong_id(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("5"), NULL);
  return strcmp(jget("id"), "5") != 0;
}

static int p_close_before_response(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-06-18");
  post(&s, PING("\"r\""), NULL);
  return !has("\"id\":\"r\"");
}

static int p_keep_post_stream_open(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-06-18");
  mk_resp_free(&last);
  mk_post_for(&s, PING("1"), &last, NULL, 500);
  return last.curl_rc == CURLE_OPERATION_TIMEDOUT;
}

static int p_progress_on_get_stream(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_stream *get = mk_stream_open(&s, "/mcp", NULL);
  mk_pump(100);
  post(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\","
           "\"arguments\":{\"steps\":2},\"_meta\":{\"progressToken\":\"t\"}}}", NULL);
  mk_pump(100);
  int dev = strstr(dynbuf_str(mk_stream_body(get)), "notifications/progress") != NULL;
  mk_stream_close(get);
  return dev;
}

static int p_list_changed_on_post(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, CALL("1", "trigger_list_changed", "{}"), NULL);
  return has("notifications/tools/list_changed");
}

static int p_response_on_get_stream(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_stream *get = mk_stream_open(&s, "/mcp", NULL);
  mk_pump(100);
  post(&s, PING("\"g\""), NULL);
  mk_pump(100);
  int dev = strstr(dynbuf_str(mk_stream_body(get)), "\"id\":\"g\"") != NULL || !has("\"id\":\"g\"");
  mk_stream_close(get);
  return dev;
}

static int p_get_wrong_content_type(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  char ct[128] = "";
  mk_resp_free(&last);
  mk_get_for(&s, &last, NULL, 200);
  mk_header(&last, "Content-Type", ct, sizeof ct);
  return last.status == 200 && strcmp(ct, "text/event-stream");
}

static int p_broadcast_to_all_streams(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_stream *get = mk_stream_open(&s, "/mcp", NULL);
  mk_stream *slow = mk_stream_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                                       "\"params\":{\"name\":\"slow\",\"arguments\":{\"steps\":6}}}", NULL);
  mk_pump(100);
  post(&s, CALL("2", "trigger_list_changed", "{}"), NULL);
  mk_pump(100);
  int dev = strstr(dynbuf_str(mk_stream_body(slow)), "\"method\":\"notifications/tools/list_changed\"") != NULL;
  mk_stream_close(slow);
  mk_stream_close(get);
  return dev;
}

/* ---- resumability and polling ---- */

static void collect_ids(const dynbuf *b, char ids[][64], size_t *n, size_t max) {
  mk_events *e = mk_events_parse(b->ptr, b->len);
  for (size_t i = 0; i < e->n && *n < max; i++)
    snprintf(ids[(*n)++], 64, "%s", e->ev[i].id);
  mk_events_free(e);
}

static int p_duplicate_event_ids(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  char ids[16][64];
  size_t n = 0;
  post(&s, PING("1"), NULL);
  collect_ids(&last.body, ids, &n, 16);
  post(&s, PING("2"), NULL);
  collect_ids(&last.body, ids, &n, 16);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (ids[i][0] && !strcmp(ids[i], ids[j]))
        return 1;
  return 0;
}

static int p_no_event_ids(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-06-18");
  post(&s, PING("1"), NULL);
  mk_events *e = mk_events_parse(last.body.ptr, last.body.len);
  int dev = e->n && !e->ev[e->n - 1].id[0];
  mk_events_free(e);
  return dev;
}

/* The first event id of the last reply. */
static void first_id(char *out, size_t n) {
  mk_events *e = mk_events_parse(last.body.ptr, last.body.len);
  snprintf(out, n, "%s", e->n ? e->ev[0].id : "");
  mk_events_free(e);
}

static int p_drop_replay(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  char id[64], hdr[128];
  mk_resp_free(&last);
  mk_post_for(&s, "{\"jsonrpc\":\"2.0\",\"id\":\"d\",\"method\":\"tools/call\",\"params\":{"
                  "\"name\":\"slow\",\"arguments\":{\"steps\":3}}}", &last, NULL, 60);
  first_id(id, sizeof id);
  usleep(400 * 1000); /* the call ends meanwhile; only replay can deliver it */
  snprintf(hdr, sizeof hdr, "Last-Event-ID: %s", id);
  mk_resp_free(&last);
  mk_get_for(&s, &last, hdr, 1000);
  return !has("\"id\":\"d\"");
}

static int p_replay_other_stream(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  char id[64], hdr[128];
  post(&s, PING("\"a\""), NULL);
  post(&s, PING("\"b\""), NULL);
  first_id(id, sizeof id);
  snprintf(hdr, sizeof hdr, "Last-Event-ID: %s", id);
  mk_resp_free(&last);
  mk_get_for(&s, &last, hdr, 1000);
  return has("\"id\":\"a\"");
}

static int p_no_priming_event(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("1"), NULL);
  mk_events *e = mk_events_parse(last.body.ptr, last.body.len);
  int dev = !e->n || e->ev[0].data[0] || !e->ev[0].id[0];
  mk_events_free(e);
  return dev;
}

static int p_no_retry_before_close(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, CALL("1", "slow", "{\"steps\":2}"), NULL);
  mk_events *e = mk_events_parse(last.body.ptr, last.body.len);
  int early = !has("\"result\"");
  int dev = early && !e->retries;
  mk_events_free(e);
  return dev;
}

static int p_no_heartbeat(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_resp_free(&last);
  mk_get_for(&s, &last, NULL, 300);
  mk_events *e = mk_events_parse(last.body.ptr, last.body.len);
  int dev = e->comments == 0;
  mk_events_free(e);
  return dev;
}

static int p_no_accel_buffering_header(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  char v[64] = "";
  mk_resp_free(&last);
  mk_get_for(&s, &last, NULL, 200);
  return last.status == 200 && !mk_header(&last, "X-Accel-Buffering", v, sizeof v);
}

/* ---- sessions ---- */

static int p_session_id_nonvisible(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  for (const char *p = s.id; *p; p++)
    if (*p < 0x21 || *p > 0x7e)
      return 1;
  return !s.id[0];
}

static int p_sequential_session_ids(const mk_server *srv) {
  mk_sess a = sess(srv, "2025-11-25"), b = sess(srv, "2025-11-25");
  return strlen(a.id) < 32 || !strncmp(a.id, b.id, 8);
}

static int p_no_session_required(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  s.id[0] = '\0';
  post(&s, PING("1"), NULL);
  return last.status != 400;
}

static mk_sess deleted_session(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_req q = {.method = "DELETE", .path = "/mcp"};
  char sid[300];
  snprintf(sid, sizeof sid, "Mcp-Session-Id: %s", s.id);
  q.headers[0] = sid;
  mk_resp_free(&last);
  mk_do(srv, &q, &last);
  return s;
}

static int p_no_404_after_delete(const mk_server *srv) {
  mk_sess s = deleted_session(srv);
  post(&s, PING("1"), NULL);
  return last.status != 404;
}

static int p_unknown_session_400(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  snprintf(s.id, sizeof s.id, "never-issued");
  post(&s, PING("1"), NULL);
  return last.status != 404;
}

/* A session's ping on a new connection (mk_do opens one per request). */
static int p_session_bound_to_connection(const mk_server *srv) {
  mk_sess s;
  mk_init(&s, srv, "2025-11-25", NULL, 0);
  post(&s, PING("1"), NULL);
  return last.status == 404;
}

/* A session opened on --port, pinged on the --also-port one. */
static int p_instance_local_sessions(const mk_server *srv) {
  mk_server other;
  if (mk_next_port(srv, &other))
    return -1;
  mk_sess s = sess(srv, "2025-11-25");
  s.srv = &other;
  post(&s, PING("1"), NULL);
  return last.status == 404;
}

static const char init_body[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
    "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

static int p_session_required_on_initialize(const mk_server *srv) {
  mk_sess s = {.srv = srv};
  post(&s, init_body, NULL);
  return last.status != 200;
}

static int p_session_header_case_sensitive(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  char hdr[300];
  snprintf(hdr, sizeof hdr, "mcp-session-id: %s", s.id);
  s.id[0] = '\0';
  post(&s, PING("1"), hdr);
  return last.status != 200;
}

static int p_session_id_collisions(const mk_server *srv) {
  char ids[40][256];
  for (int i = 0; i < 40; i++) {
    mk_sess s = sess(srv, "2025-11-25");
    snprintf(ids[i], sizeof ids[i], "%s", s.id);
  }
  for (int i = 0; i < 40; i++)
    for (int j = i + 1; j < 40; j++)
      if (ids[i][0] && !strcmp(ids[i], ids[j]))
        return 1;
  return 0;
}

typedef struct two_calls {
  mk_stream *a, *b;
} two_calls;

static int both_done(void *arg) {
  two_calls *t = arg;
  return mk_stream_done(t->a) && mk_stream_done(t->b);
}

/* Two sessions run a call with the same id at once; each must get its own. */
static int p_cross_session_calls(const mk_server *srv) {
  mk_sess a = sess(srv, "2025-11-25"), b = sess(srv, "2025-11-25");
  two_calls t;
  t.a = mk_stream_post(&a, CALL("\"same\"", "slow", "{\"steps\":2}"), NULL);
  t.b = mk_stream_post(&b, CALL("\"same\"", "slow", "{\"steps\":4}"), NULL);
  mk_pump_until(both_done, &t, 5000);
  int dev = !strstr(dynbuf_str(mk_stream_body(t.a)), "done after 2 steps") ||
            !strstr(dynbuf_str(mk_stream_body(t.b)), "done after 4 steps");
  mk_stream_close(t.a);
  mk_stream_close(t.b);
  return dev;
}

/* ---- version header ---- */

static int p_require_version_header(const mk_server *srv) {
  mk_sess s = {.srv = srv};
  post(&s, init_body, NULL);
  return last.status == 400;
}

/* initialize offering 2025-11-25 with a 2025-06-18 header: the body decides. */
static int p_init_version_mismatch_400(const mk_server *srv) {
  mk_sess s = {.srv = srv};
  post(&s, init_body, "MCP-Protocol-Version: 2025-06-18");
  return last.status != 200;
}

static int p_accept_bad_version_header(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  s.send_version = 0;
  post(&s, PING("1"), "MCP-Protocol-Version: 1999-01-01");
  return last.status != 400;
}

/* ---- security ---- */

static int p_no_origin_check(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("1"), "Origin: http://evil.example");
  return last.status >= 200 && last.status < 300; /* really served, not just unanswered */
}

static int p_origin_wrong_status(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("1"), "Origin: http://evil.example");
  return last.status != 403;
}

static int p_origin_required(const mk_server *srv) {
  mk_sess s = {.srv = srv};
  post(&s, init_body, NULL);
  return last.status != 200;
}

static int p_no_host_check(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("1"), "Host: evil.example.com");
  return last.status >= 200 && last.status < 300; /* really served, not just unanswered */
}

/* ---- authorization (mock started with --bearer TEST_TOKEN) ---- */

#define TEST_TOKEN "mcpwire-test-token"

static int p_auth_no_challenge(const mk_server *srv) {
  mk_sess s = {.srv = srv};
  char v[256];
  post(&s, init_body, NULL);
  return last.status == 401 && !mk_header(&last, "WWW-Authenticate", v, sizeof v);
}

static int p_auth_any_token(const mk_server *srv) {
  mk_sess s = {.srv = srv};
  post(&s, init_body, "Authorization: Bearer not-" TEST_TOKEN);
  return last.status == 200;
}

/* A session opened with the token, then a ping naming it without one. */
static int p_auth_session_is_credential(const mk_server *srv) {
  mk_sess s = {.srv = srv};
  post(&s, init_body, "Authorization: Bearer " TEST_TOKEN);
  if (last.status != 200 || !mk_header(&last, "Mcp-Session-Id", s.id, sizeof s.id))
    return -1;
  post(&s, PING("1"), NULL);
  return last.status == 200;
}

/* ---- lifecycle ---- */

static int p_init_missing_server_info(const mk_server *srv) {
  mk_sess s = {.srv = srv};
  post(&s, init_body, NULL);
  return !jget("result.serverInfo")[0];
}

static int p_initialize_without_version_accepted(const mk_server *srv) {
  mk_sess s = {.srv = srv};
  post(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
           "{\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", NULL);
  return jget("result.protocolVersion")[0] != 0;
}

static int p_request_before_initialized(const mk_server *srv) {
  mk_sess s;
  mk_init(&s, srv, "2025-11-25", NULL, 0);
  mk_resp_free(&last);
  mk_get_for(&s, &last, NULL, 200);
  return has("\"method\":\"roots/list\"");
}

static int p_ignore_requested_version(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-06-18");
  return strcmp(s.version, "2025-06-18") != 0;
}

static int p_echo_unsupported_version(const mk_server *srv) {
  mk_sess s = sess(srv, "1999-01-01");
  return !strcmp(s.version, "1999-01-01");
}

static int p_ping_result_not_empty(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("1"), NULL);
  return strcmp(jget("result"), "{}") != 0;
}

static int p_ping_before_init_rejected(const mk_server *srv) {
  mk_sess s;
  mk_init(&s, srv, "2025-11-25", NULL, 0);
  post(&s, PING("1"), NULL);
  return jget("error")[0] != '\0';
}

static int pred_progress(void *st) {
  return strstr(dynbuf_str(mk_stream_body(st)), "notifications/progress") != NULL;
}
static int pred_done(void *st) { return mk_stream_done(st); }

static int p_respond_after_cancel(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_stream *st = mk_stream_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":\"c\",\"method\":\"tools/call\","
                                     "\"params\":{\"name\":\"slow\",\"arguments\":{\"steps\":6},"
                                     "\"_meta\":{\"progressToken\":1}}}", NULL);
  mk_pump_until(pred_progress, st, 2000);
  post(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"c\"}}",
       NULL);
  mk_pump_until(pred_done, st, 2000);
  int dev = strstr(dynbuf_str(mk_stream_body(st)), "\"result\"") != NULL;
  mk_stream_close(st);
  return dev;
}

static int p_reject_invalid_cancel(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"zz\"}}",
       NULL);
  return last.status != 202;
}

/* A slow call with progress token "tok"; its events (caller frees). */
static mk_events *slow_events(const mk_server *srv, int steps) {
  mk_sess s = sess(srv, "2025-11-25");
  char body[256];
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"tools/call\",\"params\":{"
           "\"name\":\"slow\",\"arguments\":{\"steps\":%d},\"_meta\":{\"progressToken\":\"tok\"}}}", steps);
  post(&s, body, NULL);
  return mk_events_parse(last.body.ptr, last.body.len);
}

static int p_progress_not_increasing(const mk_server *srv) {
  mk_events *e = slow_events(srv, 3);
  double prev = -1;
  int dev = 0;
  for (size_t i = 0; i < e->n; i++) {
    jsonrpc_msg *m = mk_json(e->ev[i].data);
    double p;
    if (m && jsonrpc_get_number(m, "params.progress", &p)) {
      dev |= p <= prev;
      prev = p;
    }
    jsonrpc_free(m);
  }
  mk_events_free(e);
  return dev;
}

static int p_progress_after_response(const mk_server *srv) {
  mk_events *e = slow_events(srv, 2);
  int dev = e->n && strstr(e->ev[e->n - 1].data, "notifications/progress") != NULL;
  mk_events_free(e);
  return dev;
}

static int p_progress_wrong_token(const mk_server *srv) {
  mk_events *e = slow_events(srv, 2);
  int dev = 0;
  for (size_t i = 0; i < e->n; i++)
    if (strstr(e->ev[i].data, "notifications/progress"))
      dev |= !strstr(e->ev[i].data, "\"progressToken\":\"tok\"");
  mk_events_free(e);
  return dev;
}

/* ---- JSON-RPC envelope ---- */

/* 1 when the request got a result (the server served it). */
static int served(const mk_server *srv, const char *version, const char *body) {
  mk_sess s = sess(srv, version);
  post(&s, body, NULL);
  return jget("result")[0] != '\0';
}

static int p_accept_jsonrpc_1_0(const mk_server *srv) {
  return served(srv, "2025-11-25", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}");
}
static int p_accept_fractional_id(const mk_server *srv) {
  return served(srv, "2025-11-25", "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}");
}
static int p_accept_null_id(const mk_server *srv) {
  return served(srv, "2025-11-25", "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}");
}
static int p_accept_array_params(const mk_server *srv) {
  return served(srv, "2025-11-25", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":[]}");
}

static int p_mangle_utf8(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  char buf[64];
  post(&s, CALL("1", "echo", "{\"text\":\"caf\xc3\xa9\"}"), NULL);
  return strcmp(reply_str(&last, "result.content[0].text", buf, sizeof buf), "caf\xc3\xa9") != 0;
}

static int p_id_as_number(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("\"7\""), NULL);
  return strcmp(jget("id"), "\"7\"") != 0;
}

static int p_id_as_string(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("7"), NULL);
  return strcmp(jget("id"), "7") != 0;
}

static const char unknown_method[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no/such\"}";

static int p_result_and_error(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, unknown_method, NULL);
  return jget("result")[0] && jget("error")[0];
}

static int p_result_not_object(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("1"), NULL);
  return jget("result")[0] != '{';
}

static int p_error_code_string(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, unknown_method, NULL);
  return jget("error.code")[0] == '"';
}

static int p_error_message_multiline(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, unknown_method, NULL);
  return strstr(jget("error.message"), "\\n") != NULL;
}

static int p_notification_with_id(const mk_server *srv) {
  mk_events *e = slow_events(srv, 1);
  int dev = 0;
  for (size_t i = 0; i < e->n; i++) {
    jsonrpc_msg *m = mk_json(e->ev[i].data);
    dev |= m && jsonrpc_get_type(m, "method") == JSONRPC_T_STRING &&
           jsonrpc_get_type(m, "id") != JSONRPC_T_ABSENT;
    jsonrpc_free(m);
  }
  mk_events_free(e);
  return dev;
}

static int p_answer_notification(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, NOTE("notifications/unknown_thing"), NULL);
  return last.body.len > 0;
}

static int p_parse_error_with_id(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, "{\"jsonrpc\":", NULL);
  return jget("id")[0] && strcmp(jget("id"), "null");
}

static int p_parse_error_wrong_code(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, "{\"jsonrpc\":", NULL);
  return strcmp(jget("error.code"), "-32700") != 0;
}

static int p_invalid_request_wrong_code(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, "{\"jsonrpc\":\"2.0\",\"id\":3}", NULL);
  return strcmp(jget("error.code"), "-32600") != 0;
}

static int p_unknown_method_result(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, unknown_method, NULL);
  return strcmp(jget("error.code"), "-32601") != 0;
}

static int p_unknown_tool_result(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, CALL("1", "no_such_tool", "{}"), NULL);
  return strcmp(jget("error.code"), "-32602") != 0;
}

static int batch_status(const mk_server *srv, const char *version, const char *body) {
  mk_sess s = sess(srv, version);
  post(&s, body, NULL);
  return (int)last.status;
}

static int p_reject_batch(const mk_server *srv) {
  return batch_status(srv, "2025-03-26", "[" PING("1") "," PING("2") "]") != 200;
}
static int p_batch_notifications_not_202(const mk_server *srv) {
  return batch_status(srv, "2025-03-26", "[" NOTE("notifications/a") "]") != 202;
}
static int p_empty_batch_accepted(const mk_server *srv) {
  return batch_status(srv, "2025-03-26", "[]") != 400;
}
static int p_accept_batch_after_2503(const mk_server *srv) {
  return batch_status(srv, "2025-11-25", "[" PING("1") "]") == 200;
}

static int p_unterminated_final_event(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("1"), NULL);
  return last.body.len < 2 || memcmp(last.body.ptr + last.body.len - 2, "\n\n", 2);
}

/* ---- added rows: accept, disconnect, pre-init, capabilities, ids, _meta ---- */
/* A 2025-11-25 ping over an SSE reply: its raw body. */
static const dynbuf *ping_body(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("1"), NULL);
  return &last.body;
}

static int p_event_id_with_nul(const mk_server *srv) {
  const dynbuf *b = ping_body(srv);
  return b->len && memchr(b->ptr, '\0', b->len) != NULL;
}

static int p_data_stray_cr(const mk_server *srv) {
  const dynbuf *b = ping_body(srv);
  return b->len && memchr(b->ptr, '\r', b->len) != NULL;
}

static int p_no_cache_control(const mk_server *srv) {
  char v[64] = "";
  ping_body(srv);
  return last.status == 200 && !mk_header(&last, "Cache-Control", v, sizeof v);
}


static int p_no_accept_check(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_req q = {.path = "/mcp", .body = PING("1")};
  char sid[300], ver[64];
  snprintf(sid, sizeof sid, "Mcp-Session-Id: %s", s.id);
  snprintf(ver, sizeof ver, "MCP-Protocol-Version: %s", s.version);
  q.headers[0] = "Accept: application/json";
  q.headers[1] = "Content-Type: application/json";
  q.headers[2] = sid;
  q.headers[3] = ver;
  mk_resp_free(&last);
  mk_do(srv, &q, &last);
  return last.status != 406;
}

static int p_no_content_type_check(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_req q = {.path = "/mcp", .body = PING("1")};
  char sid[300], ver[64];
  snprintf(sid, sizeof sid, "Mcp-Session-Id: %s", s.id);
  snprintf(ver, sizeof ver, "MCP-Protocol-Version: %s", s.version);
  q.headers[0] = "Accept: application/json, text/event-stream";
  q.headers[1] = "Content-Type: text/plain";
  q.headers[2] = sid;
  q.headers[3] = ver;
  mk_resp_free(&last);
  mk_do(srv, &q, &last);
  return last.status != 415;
}

static int p_second_get_400(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_stream *get = mk_stream_open(&s, "/mcp", NULL);
  mk_pump(100);
  mk_resp_free(&last);
  mk_get_for(&s, &last, NULL, 200);
  mk_stream_close(get);
  return last.status != 409;
}

static int p_cancel_on_disconnect(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  char id[64], hdr[128];
  mk_resp_free(&last);
  mk_post_for(&s, "{\"jsonrpc\":\"2.0\",\"id\":\"k\",\"method\":\"tools/call\",\"params\":{"
                  "\"name\":\"slow\",\"arguments\":{\"steps\":3}}}", &last, NULL, 60);
  first_id(id, sizeof id);
  usleep(500 * 1000);
  snprintf(hdr, sizeof hdr, "Last-Event-ID: %s", id);
  mk_resp_free(&last);
  mk_get_for(&s, &last, hdr, 1000);
  return !has("\"id\":\"k\"");
}

static int p_serve_before_initialize(const mk_server *srv) {
  mk_sess s = {.srv = srv};
  post(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", NULL);
  return jget("result")[0] != '\0';
}

static int pred_sampling(void *st) {
  return strstr(dynbuf_str(mk_stream_body(st)), "sampling/createMessage") != NULL;
}

static int p_ask_undeclared_capability(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_stream *st = mk_stream_post(&s, CALL("1", "ask_client", "{}"), NULL);
  int dev = mk_pump_until(pred_sampling, st, 300);
  mk_stream_close(st);
  return dev;
}

static int p_late_cancel_breaks_session(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  post(&s, PING("\"done\""), NULL);
  post(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"done\"}}",
       NULL);
  post(&s, PING("2"), NULL);
  return last.status != 200;
}

static int pred_elicit(void *st) {
  return strstr(dynbuf_str(mk_stream_body(st)), "elicitation/create") != NULL;
}

/* One ask_client round trip; the id of the server's request. */
static void ask_once(const mk_sess *s, char *id, size_t n) {
  mk_stream *st = mk_stream_post(s, CALL("1", "ask_client", "{}"), NULL);
  mk_pump_until(pred_elicit, st, 2000);
  const dynbuf *b = mk_stream_body(st);
  mk_events *e = mk_events_parse(b->ptr, b->len);
  jsonrpc_msg *m = e->n ? mk_json(e->ev[e->n - 1].data) : NULL;
  dynbuf d;
  dynbuf_init(&d, 256);
  if (m)
    jsonrpc_get_json(m, "id", &d);
  snprintf(id, n, "%s", dynbuf_str(&d));
  char body[256];
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"action\":\"decline\"}}", id);
  post(s, body, NULL);
  mk_pump_until(pred_done, st, 2000);
  dynbuf_free(&d);
  jsonrpc_free(m);
  mk_events_free(e);
  mk_stream_close(st);
}

static int p_reuse_server_request_ids(const mk_server *srv) {
  mk_sess s;
  mk_init(&s, srv, "2025-11-25", "{\"elicitation\":{}}", 1);
  char a[64], b[64];
  ask_once(&s, a, sizeof a);
  ask_once(&s, b, sizeof b);
  return a[0] && !strcmp(a, b);
}

static int p_second_initialize_dropped(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_resp_free(&last);
  mk_post_for(&s, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"initialize\",\"params\":{"
              "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{"
              "\"name\":\"t\",\"version\":\"1\"}}}", &last, NULL, 1000);
  return last.status == 202;
}

static int p_huge_id_dropped(const mk_server *srv) {
  mk_sess s = sess(srv, "2025-11-25");
  mk_resp_free(&last);
  mk_post_for(&s, PING("18446744073709551616"), &last, NULL, 1000);
  return last.status == 202;
}

static int p_reject_unknown_meta(const mk_server *srv) {
  return !served(srv, "2025-11-25",
                 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"_meta\":{\"com.example/x\":1}}}");
}

/* ---- the table ---- */

#include "stateless_fault_probes.h" /* the s26-* rows */

typedef struct fault_case {
  const char *fault;
  int (*probe)(const mk_server *);
  const char *arg1, *arg2; /* server options both runs share */
} fault_case;

static const fault_case cases[] = {
    {"no-endpoint-event", p_no_endpoint_event, NULL, NULL},
    {"endpoint-not-first", p_endpoint_not_first, NULL, NULL},
    {"endpoint-wrong-path", p_endpoint_wrong_path, NULL, NULL},
    {"legacy-wrong-event-type", p_legacy_wrong_event_type, NULL, NULL},
    {"post-body-json-on-legacy", p_post_body_json_on_legacy, NULL, NULL},
    {"legacy-cross-routing", p_legacy_cross_routing, NULL, NULL},
    {"legacy-accept-unknown-session", p_legacy_accept_unknown_session, NULL, NULL},
    {"get-404", p_get_404, NULL, NULL},
    {"notification-not-202", p_notification_not_202_both, NULL, NULL},
    {"accept-invalid-notification", p_accept_invalid_notification_both, NULL, NULL},
    {"wrong-content-type", p_wrong_content_type_both, NULL, NULL},
    {"json-reply-wrong-id", p_json_reply_wrong_id, "--responses", "json"},
    {"close-before-response", p_close_before_response, NULL, NULL},
    {"keep-post-stream-open", p_keep_post_stream_open, NULL, NULL},
    {"endpoint-cross-origin", p_endpoint_cross_origin, NULL, NULL},
    {"legacy-lenient-post", p_legacy_lenient_post, NULL, NULL},
    {"progress-on-get-stream", p_progress_on_get_stream, "--slow-step-ms", "10"},
    {"list-changed-on-post", p_list_changed_on_post, NULL, NULL},
    {"response-on-get-stream", p_response_on_get_stream, NULL, NULL},
    {"get-wrong-content-type", p_get_wrong_content_type, NULL, NULL},
    {"second-get-400", p_second_get_400, NULL, NULL},
    {"broadcast-to-all-streams", p_broadcast_to_all_streams, "--slow-step-ms", "200"},
    {"duplicate-event-ids", p_duplicate_event_ids, NULL, NULL},
    {"no-event-ids", p_no_event_ids, NULL, NULL},
    {"drop-replay", p_drop_replay, "--slow-step-ms", "100"},
    {"replay-other-stream", p_replay_other_stream, NULL, NULL},
    {"no-priming-event", p_no_priming_event, NULL, NULL},
    {"no-retry-before-close", p_no_retry_before_close, NULL, NULL},
    {"no-heartbeat", p_no_heartbeat, "--heartbeat-ms", "40"},
    {"no-accel-buffering-header", p_no_accel_buffering_header, NULL, NULL},
    {"session-id-nonvisible", p_session_id_nonvisible, NULL, NULL},
    {"sequential-session-ids", p_sequential_session_ids, NULL, NULL},
    {"no-session-required", p_no_session_required, NULL, NULL},
    {"no-404-after-delete", p_no_404_after_delete, NULL, NULL},
    {"unknown-session-400", p_unknown_session_400, NULL, NULL},
    {"session-required-on-initialize", p_session_required_on_initialize, NULL, NULL},
    {"session-header-case-sensitive", p_session_header_case_sensitive, NULL, NULL},
    {"session-id-collisions", p_session_id_collisions, NULL, NULL},
    {"session-bound-to-connection", p_session_bound_to_connection, NULL, NULL},
    {"instance-local-sessions", p_instance_local_sessions, "--also-port", "0"},
    {"cross-session-calls", p_cross_session_calls, "--slow-step-ms", "100"},
    {"require-version-header", p_require_version_header, NULL, NULL},
    {"init-version-mismatch-400", p_init_version_mismatch_400, NULL, NULL},
    {"accept-bad-version-header", p_accept_bad_version_header, NULL, NULL},
    {"no-origin-check", p_no_origin_check, NULL, NULL},
    {"origin-wrong-status", p_origin_wrong_status, NULL, NULL},
    {"origin-required", p_origin_required, NULL, NULL},
    {"no-host-check", p_no_host_check, NULL, NULL},
    {"auth-no-challenge", p_auth_no_challenge, "--bearer", TEST_TOKEN},
    {"auth-any-token", p_auth_any_token, "--bearer", TEST_TOKEN},
    {"auth-session-is-credential", p_auth_session_is_credential, "--bearer", TEST_TOKEN},
    {"init-missing-server-info", p_init_missing_server_info, NULL, NULL},
    {"initialize-without-version-accepted", p_initialize_without_version_accepted, NULL, NULL},
    {"request-before-initialized", p_request_before_initialized, NULL, NULL},
    {"ignore-requested-version", p_ignore_requested_version, NULL, NULL},
    {"echo-unsupported-version", p_echo_unsupported_version, NULL, NULL},
    {"ping-result-not-empty", p_ping_result_not_empty, NULL, NULL},
    {"ping-before-init-rejected", p_ping_before_init_rejected, NULL, NULL},
    {"respond-after-cancel", p_respond_after_cancel, "--slow-step-ms", "60"},
    {"reject-invalid-cancel", p_reject_invalid_cancel, NULL, NULL},
    {"progress-not-increasing", p_progress_not_increasing, "--slow-step-ms", "1"},
    {"progress-after-response", p_progress_after_response, "--slow-step-ms", "1"},
    {"progress-wrong-token", p_progress_wrong_token, "--slow-step-ms", "1"},
    {"accept-jsonrpc-1.0", p_accept_jsonrpc_1_0, NULL, NULL},
    {"mangle-utf8", p_mangle_utf8, NULL, NULL},
    {"accept-fractional-id", p_accept_fractional_id, NULL, NULL},
    {"accept-null-id", p_accept_null_id, NULL, NULL},
    {"accept-array-params", p_accept_array_params, NULL, NULL},
    {"id-as-number", p_id_as_number, NULL, NULL},
    {"id-as-string", p_id_as_string, NULL, NULL},
    {"result-and-error", p_result_and_error, NULL, NULL},
    {"result-not-object", p_result_not_object, NULL, NULL},
    {"error-code-string", p_error_code_string, NULL, NULL},
    {"error-message-multiline", p_error_message_multiline, NULL, NULL},
    {"notification-with-id", p_notification_with_id, "--slow-step-ms", "1"},
    {"answer-notification", p_answer_notification, NULL, NULL},
    {"parse-error-with-id", p_parse_error_with_id, NULL, NULL},
    {"parse-error-wrong-code", p_parse_error_wrong_code, NULL, NULL},
    {"invalid-request-wrong-code", p_invalid_request_wrong_code, NULL, NULL},
    {"unknown-method-result", p_unknown_method_result, NULL, NULL},
    {"unknown-tool-result", p_unknown_tool_result, NULL, NULL},
    {"reject-batch", p_reject_batch, NULL, NULL},
    {"batch-notifications-not-202", p_batch_notifications_not_202, NULL, NULL},
    {"empty-batch-accepted", p_empty_batch_accepted, NULL, NULL},
    {"accept-batch-after-2503", p_accept_batch_after_2503_both, NULL, NULL},
    {"unterminated-final-event", p_unterminated_final_event, NULL, NULL},
    {"no-accept-check", p_no_accept_check, NULL, NULL},
    {"no-content-type-check", p_no_content_type_check, NULL, NULL},
    {"cancel-on-disconnect", p_cancel_on_disconnect, "--slow-step-ms", "100"},
    {"serve-before-initialize", p_serve_before_initialize, NULL, NULL},
    {"ask-undeclared-capability", p_ask_undeclared_capability, NULL, NULL},
    {"late-cancel-breaks-session", p_late_cancel_breaks_session, NULL, NULL},
    {"reuse-server-request-ids", p_reuse_server_request_ids, NULL, NULL},
    {"reject-unknown-meta", p_reject_unknown_meta_both, NULL, NULL},
    {"legacy-reject-ends-session", p_legacy_reject_ends_session, NULL, NULL},
    {"second-initialize-dropped", p_second_initialize_dropped, NULL, NULL},
    {"huge-id-dropped", p_huge_id_dropped, NULL, NULL},
    {"event-id-with-nul", p_event_id_with_nul, NULL, NULL},
    {"data-stray-cr", p_data_stray_cr, NULL, NULL},
    {"no-cache-control", p_no_cache_control, NULL, NULL},
    S26_FAULT_ROWS
};

static const fault_case *case_for(const char *fault) {
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (!strcmp(cases[i].fault, fault))
      return &cases[i];
  return NULL;
}

/* Runs the probe on a fresh server; -1 when it would not start. */
static int probe_on(const fault_case *c, const char *fault) {
  mk_server srv;
  const char *extra[6] = {0};
  size_t n = 0;
  if (fault) {
    extra[n++] = "--fault";
    extra[n++] = fault;
  }
  if (c->arg1) {
    extra[n++] = c->arg1;
    extra[n++] = c->arg2;
  }
  if (mk_start(&srv, mock_bin, extra))
    return -1;
  int dev = c->probe(&srv);
  if (mk_stop(&srv) != 0)
    dev = -1;
  return dev;
}

/* Every listed fault has a row, and every row names a listed fault. */
static void every_listed_fault_has_a_probe(int *listed) {
  char cmd[512], line[512];
  snprintf(cmd, sizeof cmd, "%s --list-faults", mock_bin);
  FILE *f = popen(cmd, "r");
  *listed = 0;
  while (f && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\t\n")] = '\0';
    if (!strncmp(line, "stdio-", 6))
      continue; /* --stdio faults: mock_stdio_test.py proves them */
    (*listed)++;
    if (!case_for(line)) {
      fprintf(stderr, "fault %s has no probe\n", line);
      CHECK(!"every fault has a probe");
    }
  }
  if (f)
    pclose(f);
  CHECK_INT(*listed, sizeof cases / sizeof cases[0]);
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  mock_bin = argv[1];
  const char *only = argc > 2 ? argv[2] : NULL;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int listed = 0;
  every_listed_fault_has_a_probe(&listed);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const fault_case *c = &cases[i];
    if (only && strcmp(only, c->fault))
      continue;
    int with = probe_on(c, c->fault), without = probe_on(c, NULL);
    if (with != 1 || without != 0)
      fprintf(stderr, "fault %s: deviation with=%d without=%d (want 1 and 0)\n", c->fault, with,
              without);
    CHECK_INT(with, 1);
    CHECK_INT(without, 0);
  }
  mk_resp_free(&last);
  mk_cleanup();
  curl_global_cleanup();
  fprintf(stderr, "%d faults listed, %zu probed both ways\n", listed, sizeof cases / sizeof cases[0]);
  return CHECK_DONE("mock_faults_test");
}
