/*
 * stateless_fault_probes.h: the probes of mock_faults_test for the s26-*
 * faults (MCP 2026-07-28). Each returns 1 when the deviation its fault
 * names shows, 0 when the mock behaves. Included by mock_faults_test.c
 * after its own helpers (`last`, post-free).
 */
#ifndef STATELESS_FAULT_PROBES_H
#define STATELESS_FAULT_PROBES_H

#include "stateless_probe.h"

#define S26_ELICIT_META S26_META_WITH("{\"elicitation\":{}}")
#define S26_NO_INFO_META                                                                   \
  "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" S26_VERSION "\","           \
  "\"io.modelcontextprotocol/clientCapabilities\":{}}"
#define S26_EXTRA_META                                                                     \
  "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" S26_VERSION "\","           \
  "\"io.modelcontextprotocol/clientCapabilities\":{},\"com.example/x\":1}"
#define S26_NO_VERSION_META                                                                \
  "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"v999.0.0\","                  \
  "\"io.modelcontextprotocol/clientCapabilities\":{}}"

static long s26_discover(const mk_server *srv, const char *x1, const char *x2) {
  return s26_post(srv, S26_REQ("1", "server/discover", S26_META), "server/discover", NULL, x1, x2,
                  &last);
}

static const char *s26_json(const char *path, char *b, size_t n) { return reply_json(&last, path, b, n); }

static int p_s26_no_discover(const mk_server *srv) { return s26_discover(srv, NULL, NULL) == 404; }

static int p_s26_no_meta_check(const mk_server *srv) {
  return s26_post(srv, S26_REQ("1", "server/discover", ""), "server/discover", NULL, NULL, NULL,
                  &last) == 200;
}

static int p_s26_no_header_check(const mk_server *srv) {
  return s26_post(srv, S26_REQ("1", "tools/list", S26_META), "prompts/list", NULL, NULL, NULL,
                  &last) == 200;
}

static int p_s26_header_error_code(const mk_server *srv) {
  s26_post(srv, S26_REQ("1", "tools/list", S26_META), "prompts/list", NULL, NULL, NULL, &last);
  return last.status == 400 && s26_code(&last) != -32020;
}

#define S26_MIRROR_CALL S26_CALL("1", "mirror_params", "{\"region\":\"us-west1\"}", S26_META)

static int p_s26_lenient_base64(const mk_server *srv) {
  return s26_post(srv, S26_MIRROR_CALL, "tools/call", "mirror_params",
                  "Mcp-Param-Region: =?base64?dXMtd2VzdDE?=", NULL, &last) == 200;
}

/* echo named by its Base64 sentinel (ZWNobw== is "echo"). */
static int p_s26_no_base64_decode(const mk_server *srv) {
  return s26_post(srv, S26_CALL("1", "echo", "{\"text\":\"x\"}", S26_META), "tools/call",
                  "=?base64?ZWNobw==?=", NULL, NULL, &last) == 400;
}

static int p_s26_base64_markers_any_case(const mk_server *srv) {
  return s26_post(srv, S26_CALL("1", "echo", "{\"text\":\"x\"}", S26_META), "tools/call",
                  "=?BASE64?ZWNobw==?=", NULL, NULL, &last) == 200;
}

/* The body's name is the literal "=?base64?ZWNobw==" (no closing marker). */
static int p_s26_base64_partial_marker(const mk_server *srv) {
  return s26_post(srv, S26_CALL("1", "=?base64?ZWNobw==", "{}", S26_META), "tools/call",
                  "=?base64?ZWNobw==", NULL, NULL, &last) == 400;
}

static int p_s26_param_demanded_when_absent(const mk_server *srv) {
  return s26_post(srv, S26_CALL("1", "mirror_params", "{\"query\":\"q\"}", S26_META), "tools/call",
                  "mirror_params", NULL, NULL, &last) == 400;
}

static int p_s26_last_event_id_honoured(const mk_server *srv) {
  return s26_discover(srv, "Last-Event-ID: 1", NULL) == 400;
}

static int p_s26_param_unchecked(const mk_server *srv) {
  return s26_post(srv, S26_MIRROR_CALL, "tools/call", "mirror_params", NULL, NULL, &last) == 200;
}

/* v999.0.0 in the header and in _meta. */
static long s26_unsupported(const mk_server *srv) {
  const char *h[MK_HEADERS_MAX];
  char nl[8];
  s26_headers(h, nl, sizeof nl, "server/discover", NULL, NULL, NULL, NULL);
  h[2] = "MCP-Protocol-Version: v999.0.0";
  return s26_raw(srv, S26_REQ("1", "server/discover", S26_NO_VERSION_META), h, &last);
}

static int p_s26_any_version(const mk_server *srv) { return s26_unsupported(srv) == 200; }

static int p_s26_version_error_shape(const mk_server *srv) {
  char b[256];
  return s26_unsupported(srv) == 400 && !s26_json("error.data.supported", b, sizeof b)[0];
}

static int p_s26_meta_error_200(const mk_server *srv) {
  s26_post(srv, S26_REQ("1", "server/discover", ""), "server/discover", NULL, NULL, NULL, &last);
  return last.status == 200 && s26_code(&last) == -32602;
}

static int p_s26_unknown_method_200(const mk_server *srv) {
  s26_post(srv, S26_REQ("1", "unknown/method", S26_META), "unknown/method", NULL, NULL, NULL, &last);
  return last.status == 200 && s26_code(&last) == -32601;
}

static int p_s26_removed_methods_served(const mk_server *srv) {
  s26_post(srv, S26_REQ("1", "ping", S26_META), "ping", NULL, NULL, NULL, &last);
  return last.status == 200 && body_has(&last, "\"result\"");
}

static int p_s26_no_result_type(const mk_server *srv) {
  char b[64];
  s26_post(srv, S26_REQ("1", "tools/list", S26_META), "tools/list", NULL, NULL, NULL, &last);
  return last.status == 200 && !s26_json("result.resultType", b, sizeof b)[0];
}

static int p_s26_no_server_info(const mk_server *srv) {
  char b[256];
  return s26_discover(srv, NULL, NULL) == 200 &&
         !s26_json("result._meta[\"io.modelcontextprotocol/serverInfo\"]", b, sizeof b)[0];
}

static int p_s26_no_cache_hints(const mk_server *srv) {
  char b[64];
  s26_post(srv, S26_REQ("1", "tools/list", S26_META), "tools/list", NULL, NULL, NULL, &last);
  return last.status == 200 && !s26_json("result.ttlMs", b, sizeof b)[0];
}

static int p_s26_capability_unchecked(const mk_server *srv) {
  return s26_post(srv, S26_CALL("1", "test_missing_capability", "{}", S26_META), "tools/call",
                  "test_missing_capability", NULL, NULL, &last) == 200;
}

/* Round one of the elicitation tool: anything with both method and id on
 * the stream is a request of the server's own. */
static int p_s26_server_request_on_stream(const mk_server *srv) {
  s26_post(srv, S26_CALL("1", "test_input_required_result_elicitation", "{}", S26_ELICIT_META),
           "tools/call", "test_input_required_result_elicitation", NULL, NULL, &last);
  return s26_count_in(&last, "elicitation/create") > 0;
}

static int p_s26_mrtr_state_unchecked(const mk_server *srv) {
  static const char body[] = S26_REQ(
      "1", "tools/call",
      "\"name\":\"test_input_required_result_request_state\",\"arguments\":{},"
      "\"inputResponses\":{\"confirm\":{\"action\":\"accept\",\"content\":{}}},"
      "\"requestState\":\"test_input_required_result_request_state:0:0\"," S26_ELICIT_META);
  s26_post(srv, body, "tools/call", "test_input_required_result_request_state", NULL, NULL, &last);
  return last.status == 200 && body_has(&last, "state-ok");
}

static int p_s26_no_cancel_on_close(const mk_server *srv) {
  mk_stream *st = s26_stream(srv,
                             S26_CALL("1", "slow", "{\"steps\":200}",
                                      "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":"
                                      "\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\""
                                      ":{},\"progressToken\":1}"),
                             "tools/call", "slow");
  for (int i = 0; i < 100 && !s26_count(st, "notifications/progress"); i++)
    mk_pump(30);
  mk_stream_close(st);
  mk_pump(100);
  s26_post(srv, S26_CALL("2", "cancellations", "{}", S26_META), "tools/call", "cancellations", NULL,
           NULL, &last);
  return body_has(&last, "cancelledOnClose\\\":0");
}

#define S26_PROGRESS_META                                                                  \
  "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","                    \
  "\"io.modelcontextprotocol/clientCapabilities\":{},\"progressToken\":1}"

/* slow's progress (100 ms apart) reaches the client before its response. */
static int p_s26_events_held(const mk_server *srv) {
  mk_stream *st = s26_stream(srv, S26_CALL("1", "slow", "{\"steps\":3}", S26_PROGRESS_META),
                             "tools/call", "slow");
  mk_pump(250);
  int seen = s26_count(st, "notifications/progress");
  mk_stream_close(st);
  return seen == 0;
}

/* A call whose stream the client dropped; then the same tool again. */
static int p_s26_reissue_refused(const mk_server *srv) {
  mk_stream *st = s26_stream(srv, S26_CALL("1", "slow", "{\"steps\":200}", S26_PROGRESS_META),
                             "tools/call", "slow");
  for (int i = 0; i < 100 && !s26_count(st, "notifications/progress"); i++)
    mk_pump(30);
  mk_stream_close(st);
  mk_pump(100);
  return s26_post(srv, S26_CALL("2", "slow", "{\"steps\":0}", S26_META), "tools/call", "slow",
                  NULL, NULL, &last) == 400;
}

static int p_s26_log_without_level(const mk_server *srv) {
  s26_post(srv, S26_CALL("1", "test_logging_tool", "{}", S26_META), "tools/call", "test_logging_tool",
           NULL, NULL, &last);
  return s26_count_in(&last, "notifications/message") > 0;
}

/* A listen stream opened with body, read a while, then a while more after
 * the tool `trigger` (NULL: none) ran. */
static mk_stream *s26_listen(const mk_server *srv, const char *body, const char *trigger) {
  mk_stream *st = s26_stream(srv, body, "subscriptions/listen", NULL);
  mk_pump(300);
  if (trigger) {
    char call[512];
    snprintf(call, sizeof call,
             "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"%s\","
             "\"arguments\":{}," S26_META "}}",
             trigger);
    mk_resp r = {0};
    s26_post(srv, call, "tools/call", trigger, NULL, NULL, &r);
    mk_resp_free(&r);
    mk_pump(300);
  }
  return st;
}

#define S26_LISTEN(filter) \
  S26_REQ("\"sub-1\"", "subscriptions/listen", "\"notifications\":" filter "," S26_META)

static int p_s26_listen_no_ack(const mk_server *srv) {
  mk_stream *st = s26_listen(srv, S26_LISTEN("{\"toolsListChanged\":true}"), NULL);
  int dev = s26_count(st, "notifications/subscriptions/acknowledged") == 0;
  mk_stream_close(st);
  return dev;
}

static int p_s26_listen_untagged(const mk_server *srv) {
  char b[128];
  mk_stream *st = s26_listen(srv, S26_LISTEN("{\"toolsListChanged\":true}"), NULL);
  s26_first(st, "params._meta[\"io.modelcontextprotocol/subscriptionId\"]", b, sizeof b);
  mk_stream_close(st);
  return !strcmp(b, "-");
}

static int p_s26_listen_ignores_filter(const mk_server *srv) {
  mk_stream *st =
      s26_listen(srv, S26_LISTEN("{\"promptsListChanged\":true}"), "test_trigger_tool_change");
  int dev = s26_count(st, "notifications/tools/list_changed") > 0;
  mk_stream_close(st);
  return dev;
}

static int p_s26_progress_on_listen(const mk_server *srv) {
  mk_stream *st = s26_listen(srv, S26_LISTEN("{\"toolsListChanged\":true}"), NULL);
  s26_post(srv,
           S26_CALL("2", "slow", "{\"steps\":2}",
                    "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                    "\"io.modelcontextprotocol/clientCapabilities\":{},\"progressToken\":1}"),
           "tools/call", "slow", NULL, NULL, &last);
  mk_pump(200);
  int dev = s26_count(st, "notifications/progress") > 0;
  mk_stream_close(st);
  return dev;
}

static int p_s26_get_200(const mk_server *srv) {
  mk_sess none = {.srv = srv};
  mk_resp_free(&last);
  mk_get_for(&none, &last, NULL, 1000);
  return last.status == 200;
}

static int p_s26_delete_200(const mk_server *srv) {
  mk_req del = {.method = "DELETE", .path = "/mcp", .headers = {"Mcp-Session-Id: deadbeef"}};
  mk_resp_free(&last);
  mk_do(srv, &del, &last);
  return last.status == 200;
}

static int p_s26_session_header_honoured(const mk_server *srv) {
  return s26_discover(srv, "Mcp-Session-Id: deadbeef", NULL) == 404;
}

static int p_s26_initialize_accepted(const mk_server *srv) {
  mk_sess none = {.srv = srv};
  mk_resp_free(&last);
  mk_post(&none, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                 "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                 "\"clientInfo\":{\"name\":\"old\",\"version\":\"1\"}}}",
          &last, NULL);
  return last.status == 200;
}

static int p_s26_origin_unchecked(const mk_server *srv) {
  return s26_discover(srv, "Origin: http://evil.example", NULL) == 200;
}

static int p_s26_handshake_required(const mk_server *srv) {
  return s26_post(srv, S26_REQ("1", "tools/list", S26_META), "tools/list", NULL, NULL, NULL,
                  &last) == 400;
}

static int p_s26_client_info_required(const mk_server *srv) {
  return s26_post(srv, S26_REQ("1", "server/discover", S26_NO_INFO_META), "server/discover", NULL,
                  NULL, NULL, &last) == 400;
}

static int p_s26_declared_list_missing(const mk_server *srv) {
  return s26_post(srv, S26_REQ("1", "prompts/list", S26_META), "prompts/list", NULL, NULL, NULL,
                  &last) == 404;
}

static int p_s26_resource_not_found_32002(const mk_server *srv) {
  s26_post(srv, S26_REQ("1", "resources/read", "\"uri\":\"test://nope\"," S26_META),
           "resources/read", "test://nope", NULL, NULL, &last);
  return s26_code(&last) == -32002;
}

static int p_s26_undefined_error_code(const mk_server *srv) {
  s26_post(srv, S26_CALL("1", "no_such_tool", "{}", S26_META), "tools/call", "no_such_tool", NULL,
           NULL, &last);
  return s26_code(&last) == -32030;
}

/* ask_client declaring elicitation, then without it: served, not -32021. */
static int p_s26_capabilities_remembered(const mk_server *srv) {
  s26_post(srv, S26_CALL("1", "ask_client", "{}", S26_ELICIT_META), "tools/call", "ask_client", NULL,
           NULL, &last);
  return s26_post(srv, S26_CALL("2", "ask_client", "{}", S26_META), "tools/call", "ask_client",
                  NULL, NULL, &last) == 200;
}

static int p_s26_list_varies(const mk_server *srv) {
  s26_post(srv, S26_REQ("1", "tools/list", S26_META), "tools/list", NULL, NULL, NULL, &last);
  size_t first = last.body.len;
  s26_post(srv, S26_REQ("2", "tools/list", S26_META), "tools/list", NULL, NULL, NULL, &last);
  return last.body.len != first;
}

static int p_s26_ack_echoes_filter(const mk_server *srv) {
  char b[256];
  mk_stream *st = s26_listen(
      srv, S26_LISTEN("{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"test://x\"]}"), NULL);
  s26_first(st, "params.notifications.resourceSubscriptions", b, sizeof b);
  mk_stream_close(st);
  return b[0] == '[';
}

static int p_s26_listen_silent(const mk_server *srv) {
  mk_stream *st =
      s26_listen(srv, S26_LISTEN("{\"toolsListChanged\":true}"), "test_trigger_tool_change");
  int dev = s26_count(st, "notifications/tools/list_changed") == 0;
  mk_stream_close(st);
  return dev;
}

/* mirror_params' integer priority 42, mirrored as 42.0. */
static int p_s26_integer_compared_as_text(const mk_server *srv) {
  return s26_post(srv, S26_CALL("1", "mirror_params", "{\"priority\":42}", S26_META), "tools/call",
                  "mirror_params", "Mcp-Param-Priority: 42.0", NULL, &last) == 400;
}

static int p_s26_cancelled_on_call_stream(const mk_server *srv) {
  s26_discover(srv, NULL, NULL);
  return s26_count_in(&last, "notifications/cancelled") > 0;
}

/* ask_client retried with a valid requestState and no inputResponses. */
static int p_s26_missing_input_error(const mk_server *srv) {
  char state[512] = "", body[1024];
  s26_post(srv, S26_CALL("1", "ask_client", "{}", S26_ELICIT_META), "tools/call", "ask_client", NULL,
           NULL, &last);
  s26_json("result.requestState", state, sizeof state);
  snprintf(body, sizeof body,
           "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
           "\"ask_client\",\"arguments\":{},\"inputResponses\":{},\"requestState\":%s,"
           S26_ELICIT_META "}}",
           state[0] ? state : "\"none\"");
  s26_post(srv, body, "tools/call", "ask_client", NULL, NULL, &last);
  return s26_code(&last) == -32602;
}

/* The stateless half of faults that also break session-era traffic:
 * each 1 when the deviation shows on a 2026-07-28 request. */
static int s26_foreign_meta_refused(const mk_server *srv) {
  return s26_post(srv, S26_REQ("1", "server/discover", S26_EXTRA_META), "server/discover", NULL,
                  NULL, NULL, &last) == 400;
}

static int s26_batch_served(const mk_server *srv) {
  return s26_post(srv, "[" S26_REQ("1", "server/discover", S26_META) "]", "server/discover", NULL,
                  NULL, NULL, &last) == 200;
}

#define S26_CANCEL_NOTE(version)                                                           \
  "{\"jsonrpc\":\"" version "\",\"method\":\"notifications/cancelled\",\"params\":{"        \
  "\"requestId\":\"none\"," S26_META "}}"

static int s26_notification_not_202(const mk_server *srv) {
  s26_post(srv, S26_CANCEL_NOTE("2.0"), "notifications/cancelled", NULL, NULL, NULL, &last);
  return last.status != 202 || last.body.len;
}

static int s26_invalid_notification_accepted(const mk_server *srv) {
  return s26_post(srv, S26_CANCEL_NOTE("1.0"), "notifications/cancelled", NULL, NULL, NULL,
                  &last) == 202;
}

static int s26_wrong_content_type(const mk_server *srv) {
  char ct[128] = "";
  s26_discover(srv, NULL, NULL);
  mk_header(&last, "Content-Type", ct, sizeof ct);
  return !strstr(ct, "application/json") && !strstr(ct, "text/event-stream");
}

/* Session-era faults that mean the same on stateless traffic: the
 * deviation must show in both eras. */
static int p_reject_unknown_meta_both(const mk_server *srv) {
  return p_reject_unknown_meta(srv) && s26_foreign_meta_refused(srv);
}
static int p_accept_batch_after_2503_both(const mk_server *srv) {
  return p_accept_batch_after_2503(srv) && s26_batch_served(srv);
}
static int p_notification_not_202_both(const mk_server *srv) {
  return p_notification_not_202(srv) && s26_notification_not_202(srv);
}
static int p_accept_invalid_notification_both(const mk_server *srv) {
  return p_accept_invalid_notification(srv) && s26_invalid_notification_accepted(srv);
}
static int p_wrong_content_type_both(const mk_server *srv) {
  return p_wrong_content_type(srv) && s26_wrong_content_type(srv);
}

/* The rows, spliced into mock_faults_test's table. */
#define S26_FAULT_ROWS                                                                     \
  {"s26-no-discover", p_s26_no_discover, NULL, NULL},                                      \
  {"s26-no-meta-check", p_s26_no_meta_check, NULL, NULL},                                  \
  {"s26-no-header-check", p_s26_no_header_check, NULL, NULL},                              \
  {"s26-header-error-code", p_s26_header_error_code, NULL, NULL},                          \
  {"s26-lenient-base64", p_s26_lenient_base64, NULL, NULL},                                \
  {"s26-param-unchecked", p_s26_param_unchecked, NULL, NULL},                              \
  {"s26-no-base64-decode", p_s26_no_base64_decode, NULL, NULL},                            \
  {"s26-base64-markers-any-case", p_s26_base64_markers_any_case, NULL, NULL},              \
  {"s26-base64-partial-marker", p_s26_base64_partial_marker, NULL, NULL},                  \
  {"s26-param-demanded-when-absent", p_s26_param_demanded_when_absent, NULL, NULL},        \
  {"s26-last-event-id-honoured", p_s26_last_event_id_honoured, NULL, NULL},                \
  {"s26-any-version", p_s26_any_version, NULL, NULL},                                      \
  {"s26-version-error-shape", p_s26_version_error_shape, NULL, NULL},                      \
  {"s26-meta-error-200", p_s26_meta_error_200, NULL, NULL},                                \
  {"s26-unknown-method-200", p_s26_unknown_method_200, NULL, NULL},                        \
  {"s26-removed-methods-served", p_s26_removed_methods_served, NULL, NULL},                \
  {"s26-no-result-type", p_s26_no_result_type, NULL, NULL},                                \
  {"s26-no-server-info", p_s26_no_server_info, NULL, NULL},                                \
  {"s26-no-cache-hints", p_s26_no_cache_hints, NULL, NULL},                                \
  {"s26-capability-unchecked", p_s26_capability_unchecked, NULL, NULL},                    \
  {"s26-server-request-on-stream", p_s26_server_request_on_stream, NULL, NULL},            \
  {"s26-mrtr-state-unchecked", p_s26_mrtr_state_unchecked, NULL, NULL},                    \
  {"s26-no-cancel-on-close", p_s26_no_cancel_on_close, "--slow-step-ms", "20"},            \
  {"s26-events-held", p_s26_events_held, "--slow-step-ms", "100"},                      \
  {"s26-reissue-refused", p_s26_reissue_refused, "--slow-step-ms", "20"},                \
  {"s26-log-without-level", p_s26_log_without_level, NULL, NULL},                          \
  {"s26-listen-no-ack", p_s26_listen_no_ack, NULL, NULL},                                  \
  {"s26-listen-untagged", p_s26_listen_untagged, NULL, NULL},                              \
  {"s26-listen-ignores-filter", p_s26_listen_ignores_filter, NULL, NULL},                  \
  {"s26-progress-on-listen", p_s26_progress_on_listen, "--slow-step-ms", "10"},            \
  {"s26-get-200", p_s26_get_200, "--eras", "modern"},                                      \
  {"s26-delete-200", p_s26_delete_200, "--eras", "modern"},                                \
  {"s26-session-header-honoured", p_s26_session_header_honoured, NULL, NULL},              \
  {"s26-initialize-accepted-modern-only", p_s26_initialize_accepted, "--eras", "modern"},  \
  {"s26-origin-unchecked", p_s26_origin_unchecked, NULL, NULL},                          \
  {"s26-handshake-required", p_s26_handshake_required, NULL, NULL},                      \
  {"s26-client-info-required", p_s26_client_info_required, NULL, NULL},                  \
  {"s26-declared-list-missing", p_s26_declared_list_missing, NULL, NULL},                \
  {"s26-resource-not-found-32002", p_s26_resource_not_found_32002, NULL, NULL},          \
  {"s26-undefined-error-code", p_s26_undefined_error_code, NULL, NULL},                  \
  {"s26-capabilities-remembered", p_s26_capabilities_remembered, NULL, NULL},            \
  {"s26-list-varies", p_s26_list_varies, NULL, NULL},                                    \
  {"s26-ack-echoes-filter", p_s26_ack_echoes_filter, NULL, NULL},                        \
  {"s26-listen-silent", p_s26_listen_silent, NULL, NULL},                                \
  {"s26-integer-compared-as-text", p_s26_integer_compared_as_text, NULL, NULL},          \
  {"s26-cancelled-on-call-stream", p_s26_cancelled_on_call_stream, NULL, NULL},          \
  {"s26-missing-input-error", p_s26_missing_input_error, NULL, NULL},

#endif
