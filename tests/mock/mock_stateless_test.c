/*
 * mock_stateless_test: mcpwire-mock speaks MCP 2026-07-28 (stateless HTTP)
 * on /mcp: by default beside the session-era revisions (--eras dual),
 * alone with --eras modern, not at all with --eras legacy. Each check
 * sends the requests a 2026-07-28 client sends (the _meta and the mirrored
 * headers written out in stateless_probe.h) and asserts the catalog's
 * answer (S26-* ids in /work/shared/spec/requirements-2026-07-28.md).
 * argv[1] is the binary.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "check.h"
#include "mock_test_util.h"
#include "stateless_probe.h"

static mk_resp r;
static char buf[8192];

static const char *json_at(const char *path) { return reply_json(&r, path, buf, sizeof buf); }
static const char *str_at(const char *path) { return reply_str(&r, path, buf, sizeof buf); }

typedef struct want {
  mk_stream *st;
  const char *method;
  size_t n;
} want;

static int reached(void *arg) {
  want *w = arg;
  return s26_count(w->st, w->method) >= w->n || mk_stream_done(w->st);
}

/* Pumps until the stream holds n messages of method (NULL any) or ms pass. */
static size_t await_messages(mk_stream *st, const char *method, size_t n, long ms) {
  want w = {st, method, n};
  mk_pump_until(reached, &w, ms);
  return s26_count(st, method);
}

static void discover_answers_what_the_server_speaks(const mk_server *srv) {
  CHECK_INT(s26_post(srv, S26_REQ("1", "server/discover", S26_META), "server/discover", NULL, NULL,
                     NULL, &r), 200); /* S26-DISC-01 */
  char h[256];
  CHECK(mk_header(&r, "Content-Type", h, sizeof h) && strstr(h, "text/event-stream"));
  CHECK(!mk_header(&r, "Mcp-Session-Id", h, sizeof h)); /* S26-LEGACY-03: none minted */
  CHECK(!body_has(&r, "\nid:") && !body_has(&r, "retry:")); /* S26-SSE-06 */
  CHECK_STR(json_at("result.supportedVersions"),
            "[\"2026-07-28\",\"2025-11-25\",\"2025-06-18\",\"2025-03-26\"]"); /* dual era */
  CHECK_STR(json_at("result.capabilities.tools"), "{\"listChanged\":true}");
  CHECK_STR(str_at("result.resultType"), "complete"); /* S26-META-16 */
  CHECK_STR(str_at("result._meta[\"io.modelcontextprotocol/serverInfo\"].name"), "mcpwire-mock");
  CHECK(reply_num(&r, "result.ttlMs") >= 0); /* S26-DISC-03 */
  CHECK_STR(str_at("result.cacheScope"), "public");
  CHECK(!body_has(&r, "\"serverInfo\":{\"name\":\"mcpwire-mock\",\"version\":\"0.1.0\"},\"supported"));
}

static void any_request_may_come_first(const mk_server *srv) {
  CHECK_INT(s26_post(srv, S26_REQ("2", "tools/list", S26_META), "tools/list", NULL, NULL, NULL, &r),
            200); /* S26-META-01: no handshake */
  CHECK(body_has(&r, "\"name\":\"mirror_params\"") && body_has(&r, "\"x-mcp-header\":\"Region\""));
  CHECK(body_has(&r, "\"name\":\"test_missing_capability\""));
  CHECK_STR(str_at("result.resultType"), "complete");
  CHECK(reply_num(&r, "result.ttlMs") >= 0);
  /* S26-META-06: clientInfo is optional */
  CHECK_INT(s26_post(srv,
                     S26_REQ("3", "server/discover",
                             "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                             "\"io.modelcontextprotocol/clientCapabilities\":{}}"),
                     "server/discover", NULL, NULL, NULL, &r), 200);
  /* S26-META-15: a custom _meta key is served; S26-DISC-06: a declared list too */
  CHECK_INT(s26_post(srv,
                     S26_REQ("5", "server/discover",
                             "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                             "\"io.modelcontextprotocol/clientCapabilities\":{},\"com.example/x\":1}"),
                     "server/discover", NULL, NULL, NULL, &r), 200);
  CHECK_INT(s26_post(srv, S26_REQ("6", "prompts/list", S26_META), "prompts/list", NULL, NULL, NULL,
                     &r), 200);
  /* S26-ERR-03: an unknown resource is -32602, never -32002 */
  s26_post(srv, S26_REQ("4", "resources/read", "\"uri\":\"test://nope\"," S26_META),
           "resources/read", "test://nope", NULL, NULL, &r);
  CHECK_INT(s26_code(&r), -32602);
}

static void missing_meta_is_400_32602(const mk_server *srv) {
  static const char *const bodies[] = {
      S26_REQ("101", "server/discover", ""),
      S26_REQ("102", "server/discover",
              "\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":{}}"),
      S26_REQ("104", "server/discover",
              "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}")};
  for (size_t i = 0; i < 3; i++) { /* S26-META-05, S26-ERR-06: the id echoed */
    CHECK_INT(s26_post(srv, bodies[i], "server/discover", NULL, NULL, NULL, &r), 400);
    CHECK_INT(s26_code(&r), -32602);
    CHECK_INT((long)reply_num(&r, "id"), (long)(i == 2 ? 104 : 101 + i));
  }
}

static void headers_must_match_the_body(const mk_server *srv) {
  static const char list[] = S26_REQ("5", "tools/list", S26_META);
  const char *h[MK_HEADERS_MAX];
  char nl[256];
  /* S26-HDR-09 (a) (b), S26-HDR-10 */
  CHECK_INT(s26_post(srv, list, "prompts/list", NULL, NULL, NULL, &r), 400);
  CHECK_INT(s26_code(&r), -32020);
  s26_headers(h, nl, sizeof nl, "tools/list", NULL, NULL, NULL, NULL);
  h[3] = NULL; /* no Mcp-Method */
  CHECK_INT(s26_raw(srv, list, h, &r), 400);
  CHECK_INT(s26_code(&r), -32020);
  const char *no_version[] = {"Accept: application/json, text/event-stream",
                              "Content-Type: application/json", "Mcp-Method: tools/list", NULL};
  CHECK_INT(s26_raw(srv, list, no_version, &r), 400); /* S26-HDR-05 */
  CHECK_INT(s26_code(&r), -32020);
  /* S26-HDR-08: names case-insensitive, values not */
  const char *lower[] = {"accept: application/json, text/event-stream",
                         "content-type: application/json", "mcp-protocol-version: 2026-07-28",
                         "MCP-METHOD: tools/list", NULL};
  CHECK_INT(s26_raw(srv, list, lower, &r), 200);
  CHECK_INT(s26_post(srv, list, "TOOLS/LIST", NULL, NULL, NULL, &r), 400);
  /* S26-HDR-03: header 2026-07-28, body another */
  CHECK_INT(s26_post(srv,
                     S26_REQ("6", "server/discover",
                             "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"v999.0.0\","
                             "\"io.modelcontextprotocol/clientCapabilities\":{}}"),
                     "server/discover", NULL, NULL, NULL, &r), 400);
  CHECK_INT(s26_code(&r), -32020);
  /* S26-HDR-09 (c) (d), S26-HDR-11, S26-B64-05 on Mcp-Name */
  static const char call[] = S26_CALL("7", "echo", "{\"text\":\"hi\"}", S26_META);
  CHECK_INT(s26_post(srv, call, "tools/call", NULL, NULL, NULL, &r), 400);
  CHECK_INT(s26_code(&r), -32020);
  CHECK_INT(s26_post(srv, call, "tools/call", "wrong_tool", NULL, NULL, &r), 400);
  CHECK_INT(s26_post(srv, call, "tools/call", "  echo  ", NULL, NULL, &r), 200);
  CHECK_INT(s26_post(srv, call, "tools/call", "=?base64?ZWNobw==?=", NULL, NULL, &r), 200);
  CHECK_INT(s26_post(srv, call, "tools/call", "=?BASE64?ZWNobw==?=", NULL, NULL, &r), 400);
  /* S26-B64-07: one marker only is a literal, compared as it is */
  CHECK_INT(s26_post(srv, S26_CALL("8", "=?base64?ZWNobw==", "{}", S26_META), "tools/call",
                     "=?base64?ZWNobw==", NULL, NULL, &r), 200);
  CHECK_INT(s26_code(&r), -32602); /* an unknown tool, in-band (S26-ERR-11) */
}

static void unsupported_version_is_32022(const mk_server *srv) {
  static const char body[] =
      S26_REQ("301", "server/discover",
              "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"v999.0.0\","
              "\"io.modelcontextprotocol/clientCapabilities\":{}}");
  const char *h[MK_HEADERS_MAX];
  char nl[64];
  s26_headers(h, nl, sizeof nl, "server/discover", NULL, NULL, NULL, NULL);
  h[2] = "MCP-Protocol-Version: v999.0.0";
  CHECK_INT(s26_raw(srv, body, h, &r), 400); /* S26-HDR-04, S26-DISC-07, S26-ERR-09 */
  CHECK_INT(s26_code(&r), -32022);
  CHECK_STR(json_at("error.data.supported"), "[\"2026-07-28\"]");
  CHECK_STR(str_at("error.data.requested"), "v999.0.0");
  CHECK_INT((long)reply_num(&r, "id"), 301);
}

static void param_headers_are_checked(const mk_server *srv) {
  static const char call[] =
      S26_CALL("8", "mirror_params", "{\"region\":\"us-west1\",\"priority\":42,\"query\":\"q\"}",
               S26_META);
  const char *name = "mirror_params";
  /* S26-PARAM-08: plain and Base64 values that decode to the body's */
  CHECK_INT(s26_post(srv, call, "tools/call", name, "Mcp-Param-Region: us-west1",
                     "Mcp-Param-Priority: 42", &r), 200);
  CHECK(body_has(&r, "us-west1"));
  CHECK_INT(s26_post(srv, call, "tools/call", name, "Mcp-Param-Region: =?base64?dXMtd2VzdDE=?=",
                     "Mcp-Param-Priority: 42.0", &r), 200); /* S26-B64-05, S26-HDR-12 */
  CHECK_INT(s26_post(srv, call, "tools/call", name, "Mcp-Param-Region: eu-west1",
                     "Mcp-Param-Priority: 42", &r), 400);
  CHECK_INT(s26_code(&r), -32020);
  /* S26-B64-06: malformed Base64 is refused, not decoded leniently */
  CHECK_INT(s26_post(srv, call, "tools/call", name, "Mcp-Param-Region: =?base64?dXMtd2VzdDE?=",
                     "Mcp-Param-Priority: 42", &r), 400);
  CHECK_INT(s26_code(&r), -32020);
  /* S26-PARAM-09: the body has it, the header is missing */
  CHECK_INT(s26_post(srv, call, "tools/call", name, "Mcp-Param-Priority: 42", NULL, &r), 400);
  CHECK_INT(s26_code(&r), -32020);
  /* S26-PARAM-10: an absent argument demands no header */
  CHECK_INT(s26_post(srv, S26_CALL("9", "mirror_params", "{\"query\":\"q\"}", S26_META),
                     "tools/call", name, NULL, NULL, &r), 200);
}

static void unknown_and_removed_methods_are_404(const mk_server *srv) {
  static const char *const methods[] = {"unknown/method", "initialize", "ping", "logging/setLevel",
                                        "resources/subscribe", "resources/unsubscribe"};
  char body[512];
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) { /* S26-ERR-08 */
    snprintf(body, sizeof body,
             "{\"jsonrpc\":\"2.0\",\"id\":500,\"method\":\"%s\",\"params\":{" S26_META "}}",
             methods[i]);
    CHECK_INT(s26_post(srv, body, methods[i], NULL, NULL, NULL, &r), 404);
    CHECK_INT(s26_code(&r), -32601);
    CHECK_INT((long)reply_num(&r, "id"), 500);
  }
}

static void shapes_that_are_not_requests(const mk_server *srv) {
  CHECK_INT(s26_post(srv, "[" S26_REQ("1", "tools/list", S26_META) "]", "tools/list", NULL, NULL,
                     NULL, &r), 400); /* S26-RPC-05 */
  CHECK_INT(s26_code(&r), -32600);
  CHECK_INT(s26_post(srv, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", "tools/list", NULL, NULL,
                     NULL, &r), 400); /* S26-POST-04, S26-ERR-12 */
  CHECK_INT(s26_post(srv, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                          "\"params\":{\"requestId\":1}}",
                     "notifications/cancelled", NULL, NULL, NULL, &r), 202); /* Y-01 */
  CHECK_INT((long)r.body.len, 0);
  CHECK_INT(s26_post(srv, "{\"jsonrpc\":\"1.0\",\"method\":\"notifications/cancelled\","
                          "\"params\":{\"requestId\":1}}",
                     "notifications/cancelled", NULL, NULL, NULL, &r), 400); /* S26-ERR-10 */
}

static void capabilities_are_per_request(const mk_server *srv) {
  static const char bare[] = S26_CALL("401", "test_missing_capability", "{}", S26_META);
  CHECK_INT(s26_post(srv, bare, "tools/call", "test_missing_capability", NULL, NULL, &r), 400);
  CHECK_INT(s26_code(&r), -32021); /* S26-META-08 */
  CHECK_STR(json_at("error.data.requiredCapabilities"), "{\"sampling\":{}}");
  static const char with[] =
      S26_CALL("402", "test_missing_capability", "{}", S26_META_WITH("{\"sampling\":{}}"));
  CHECK_INT(s26_post(srv, with, "tools/call", "test_missing_capability", NULL, NULL, &r), 200);
  CHECK_STR(str_at("result.resultType"), "input_required"); /* S26-MRTR-01 */
  CHECK_STR(str_at("result.inputRequests.completion.method"), "sampling/createMessage");
  /* S26-META-07: the next request declares nothing and is refused again */
  CHECK_INT(s26_post(srv, bare, "tools/call", "test_missing_capability", NULL, NULL, &r), 400);
}

#define ELICIT_META S26_META_WITH("{\"elicitation\":{}}")

static void input_required_round_trip(const mk_server *srv) {
  const char *tool = "test_input_required_result_elicitation";
  CHECK_INT(s26_post(srv, S26_CALL("11", "test_input_required_result_elicitation", "{}", ELICIT_META),
                     "tools/call", tool, NULL, NULL, &r), 200);
  CHECK_STR(str_at("result.resultType"), "input_required"); /* S26-MRTR-03 */
  CHECK_STR(str_at("result.inputRequests.user_name.method"), "elicitation/create");
  char state[512], body[2048];
  snprintf(state, sizeof state, "%s", str_at("result.requestState"));
  CHECK(state[0]);
  CHECK(s26_count_in(&r, NULL) == 1); /* S26-SSE-02: the result only, no request of ours */
  snprintf(body, sizeof body,
           "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/call\",\"params\":{\"name\":\"%s\","
           "\"arguments\":{},\"inputResponses\":{\"user_name\":{\"action\":\"accept\","
           "\"content\":{\"name\":\"Alice\"}}},\"requestState\":\"%s\"," ELICIT_META "}}",
           tool, state);
  CHECK_INT(s26_post(srv, body, "tools/call", tool, NULL, NULL, &r), 200);
  CHECK_STR(str_at("result.resultType"), "complete");
  CHECK(body_has(&r, "Hello, Alice!"));
  /* S26-MRTR-07: one byte changed */
  char *p = strstr(body, state);
  p[strlen(state) - 1] = p[strlen(state) - 1] == '0' ? '1' : '0';
  CHECK_INT(s26_post(srv, body, "tools/call", tool, NULL, NULL, &r), 200);
  CHECK_INT(s26_code(&r), -32602);
  /* S26-MRTR-08: no answer for the key: asked again */
  CHECK_INT(s26_post(srv,
                     S26_REQ("13", "tools/call",
                             "\"name\":\"test_input_required_result_elicitation\",\"arguments\":{},"
                             "\"inputResponses\":{\"other\":{}}," ELICIT_META),
                     "tools/call", tool, NULL, NULL, &r), 200);
  CHECK_STR(str_at("result.resultType"), "input_required");
}

#define ALL_META S26_META_WITH("{\"elicitation\":{},\"sampling\":{},\"roots\":{}}")

/* tools/call of tool with inputResponses responses and requestState state. */
static long retry(const mk_server *srv, const char *method, const char *tool, const char *responses,
                  const char *state) {
  char body[4096];
  snprintf(body, sizeof body,
           "{\"jsonrpc\":\"2.0\",\"id\":30,\"method\":\"%s\",\"params\":{\"name\":\"%s\",%s"
           "\"inputResponses\":%s,\"requestState\":\"%s\"," ALL_META "}}",
           method, tool, strcmp(method, "tools/call") ? "" : "\"arguments\":{},", responses, state);
  return s26_post(srv, body, method, tool, NULL, NULL, &r);
}

/* The official suite's input-required-result-* fixtures (its 0.2.0
 * prerelease): roots/list, several requests at once, a second round, a
 * prompt, and only declared capabilities asked for. */
static void input_required_suite_fixtures(const mk_server *srv) {
  const char *roots = "test_input_required_result_list_roots";
  CHECK_INT(s26_post(srv, S26_CALL("21", "test_input_required_result_list_roots", "{}", ELICIT_META),
                     "tools/call", roots, NULL, NULL, &r), 400);
  CHECK_INT(s26_code(&r), -32021); /* S26-MRTR-04: roots not declared */
  CHECK_STR(json_at("error.data.requiredCapabilities"), "{\"roots\":{}}");
  const char *three = "test_input_required_result_multiple_inputs";
  CHECK_INT(s26_post(srv, S26_CALL("22", "test_input_required_result_multiple_inputs", "{}", ALL_META),
                     "tools/call", three, NULL, NULL, &r), 200);
  CHECK_STR(str_at("result.inputRequests.user_name.method"), "elicitation/create");
  CHECK_STR(str_at("result.inputRequests.greeting.method"), "sampling/createMessage");
  CHECK_STR(str_at("result.inputRequests.client_roots.method"), "roots/list");
  char state[512];
  snprintf(state, sizeof state, "%s", str_at("result.requestState"));
  CHECK_INT(retry(srv, "tools/call", three, "{\"user_name\":{},\"greeting\":{}}", state), 200);
  CHECK_STR(str_at("result.resultType"), "input_required"); /* one answer missing */
  CHECK_INT(retry(srv, "tools/call", three, "{\"user_name\":{},\"greeting\":{},\"client_roots\":{}}",
                  state), 200);
  CHECK_STR(str_at("result.resultType"), "complete");
  /* multi-round: step1, then step2 under a new state, then the result */
  const char *rounds = "test_input_required_result_multi_round";
  CHECK_INT(s26_post(srv, S26_CALL("23", "test_input_required_result_multi_round", "{}", ALL_META),
                     "tools/call", rounds, NULL, NULL, &r), 200);
  CHECK_STR(str_at("result.inputRequests.step1.method"), "elicitation/create");
  char state2[512];
  snprintf(state, sizeof state, "%s", str_at("result.requestState"));
  CHECK_INT(retry(srv, "tools/call", rounds, "{\"step1\":{\"content\":{\"name\":\"A\"}}}", state), 200);
  CHECK_STR(str_at("result.inputRequests.step2.method"), "elicitation/create");
  snprintf(state2, sizeof state2, "%s", str_at("result.requestState"));
  CHECK(state2[0] && strcmp(state, state2));
  CHECK_INT(retry(srv, "tools/call", rounds, "{\"step2\":{\"content\":{\"color\":\"b\"}}}", state2), 200);
  CHECK_STR(str_at("result.resultType"), "complete");
  /* S26-MRTR-04: sampling declared alone, so no elicitation asked for */
  const char *caps = "test_input_required_result_capabilities";
  CHECK_INT(s26_post(srv,
                     S26_CALL("24", "test_input_required_result_capabilities", "{}",
                              S26_META_WITH("{\"sampling\":{}}")),
                     "tools/call", caps, NULL, NULL, &r), 200);
  CHECK_STR(str_at("result.inputRequests.answer.method"), "sampling/createMessage");
  /* MRTR on prompts/get */
  const char *prompt = "test_input_required_result_prompt";
  CHECK_INT(s26_post(srv,
                     S26_REQ("25", "prompts/get",
                             "\"name\":\"test_input_required_result_prompt\"," ALL_META),
                     "prompts/get", prompt, NULL, NULL, &r), 200);
  CHECK_STR(str_at("result.inputRequests.user_context.method"), "elicitation/create");
  snprintf(state, sizeof state, "%s", str_at("result.requestState"));
  CHECK_INT(retry(srv, "prompts/get", prompt, "{\"user_context\":{\"content\":{\"context\":\"c1\"}}}",
                  state), 200);
  CHECK_STR(str_at("result.resultType"), "complete");
  CHECK(body_has(&r, "\"messages\":[") && body_has(&r, "c1"));
  /* an unknown resource names its uri (the resources page's error data) */
  CHECK_INT(s26_post(srv, S26_REQ("26", "resources/read", "\"uri\":\"test://nope\"," S26_META),
                     "resources/read", "test://nope", NULL, NULL, &r), 200);
  CHECK_STR(str_at("error.data.uri"), "test://nope");
}

static void logs_only_with_a_log_level(const mk_server *srv) {
  const char *tool = "test_logging_tool";
  CHECK_INT(s26_post(srv, S26_CALL("21", "test_logging_tool", "{}", S26_META), "tools/call", tool,
                     NULL, NULL, &r), 200);
  CHECK(!body_has(&r, "notifications/message")); /* S26-META-14 */
  CHECK(body_has(&r, "Tool with logging executed"));
  CHECK_INT(s26_post(srv,
                     S26_CALL("22", "test_logging_tool", "{}",
                              "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                              "\"io.modelcontextprotocol/clientCapabilities\":{},"
                              "\"io.modelcontextprotocol/logLevel\":\"info\"}"),
                     "tools/call", tool, NULL, NULL, &r), 200);
  CHECK_INT(s26_count_in(&r, "notifications/message"), 3);
  CHECK_INT(s26_post(srv,
                     S26_CALL("23", "test_logging_tool", "{}",
                              "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                              "\"io.modelcontextprotocol/clientCapabilities\":{},"
                              "\"io.modelcontextprotocol/logLevel\":\"loud\"}"),
                     "tools/call", tool, NULL, NULL, &r), 400);
  CHECK_INT(s26_code(&r), -32602);
}

#define SLOW_META                                                                            \
  "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","                  \
  "\"io.modelcontextprotocol/clientCapabilities\":{},\"progressToken\":\"tok\"}"

static void progress_on_the_response_stream(const mk_server *srv) {
  CHECK_INT(s26_post(srv, S26_CALL("31", "slow", "{\"steps\":3}", SLOW_META), "tools/call", "slow",
                     NULL, NULL, &r), 200);
  CHECK_INT(s26_count_in(&r, "notifications/progress"), 3); /* S26-SSE-01 */
  CHECK(body_has(&r, "done after 3 steps"));
}

/* S26-CANCEL-01: closing the stream cancels the call; cancellations counts it. */
static void closing_the_stream_cancels(const mk_server *srv) {
  mk_stream *st = s26_stream(srv, S26_CALL("41", "slow", "{\"steps\":200}", SLOW_META), "tools/call",
                             "slow");
  CHECK_INT(await_messages(st, "notifications/progress", 1, 3000), 1);
  mk_stream_close(st);
  mk_pump(100);
  CHECK_INT(s26_post(srv, S26_CALL("42", "cancellations", "{}", S26_META), "tools/call",
                     "cancellations", NULL, NULL, &r), 200);
  CHECK(body_has(&r, "cancelledOnClose\\\":1"));
}

static void listen_acknowledges_filters_and_tags(const mk_server *srv) {
  mk_stream *tools = s26_stream(srv,
                                S26_REQ("\"sub-7\"", "subscriptions/listen",
                                        "\"notifications\":{\"toolsListChanged\":true,"
                                        "\"resourceSubscriptions\":[\"test://x\"]}," S26_META),
                                "subscriptions/listen", NULL);
  mk_stream *prompts = s26_stream(srv,
                                  S26_REQ("7", "subscriptions/listen",
                                          "\"notifications\":{\"promptsListChanged\":true}," S26_META),
                                  "subscriptions/listen", NULL);
  CHECK_INT(await_messages(tools, "notifications/subscriptions/acknowledged", 1, 3000), 1);
  CHECK_INT(await_messages(prompts, "notifications/subscriptions/acknowledged", 1, 3000), 1);
  char b[256];
  /* S26-LISTEN-02/03/04: the ack first, only what is honoured, the id with its type */
  CHECK_STR(s26_first(tools, "method", b, sizeof b), "\"notifications/subscriptions/acknowledged\"");
  CHECK_STR(s26_first(tools, "params.notifications", b, sizeof b), "{\"toolsListChanged\":true}");
  CHECK_STR(s26_first(tools, "params._meta[\"io.modelcontextprotocol/subscriptionId\"]", b,
                      sizeof b), "\"sub-7\"");
  CHECK_STR(s26_first(prompts, "params._meta[\"io.modelcontextprotocol/subscriptionId\"]", b,
                      sizeof b), "7");
  s26_post(srv, S26_CALL("51", "test_trigger_tool_change", "{}", S26_META), "tools/call",
           "test_trigger_tool_change", NULL, NULL, &r);
  CHECK_INT(await_messages(tools, "notifications/tools/list_changed", 1, 3000), 1);
  mk_pump(100);
  CHECK_INT(s26_count(prompts, "notifications/tools/list_changed"), 0); /* S26-LISTEN-05 */
  s26_post(srv, S26_CALL("52", "test_trigger_prompt_change", "{}", S26_META), "tools/call",
           "test_trigger_prompt_change", NULL, NULL, &r);
  CHECK_INT(await_messages(prompts, "notifications/prompts/list_changed", 1, 3000), 1);
  s26_post(srv, S26_CALL("53", "slow", "{\"steps\":2}", SLOW_META), "tools/call", "slow", NULL,
           NULL, &r);
  mk_pump(100);
  CHECK_INT(s26_count(tools, "notifications/progress"), 0); /* S26-LISTEN-06 */
  CHECK(!mk_stream_done(tools) && !mk_stream_done(prompts)); /* they stay open */
  mk_stream_close(tools);
  mk_stream_close(prompts);
}

/* S26-COMPAT-11: a session-era client on the same URL at the same time. */
static void both_eras_on_one_url(const mk_server *srv) {
  mk_sess s;
  CHECK_INT(mk_init(&s, srv, "2025-11-25", NULL, 1), 200);
  CHECK(s.id[0]);
  mk_resp_free(&r);
  CHECK_INT((mk_post(&s, PING("1"), &r, NULL), r.status), 200);
  CHECK(body_has(&r, "\"result\":{}"));
  /* S26-LEGACY-03: a modern request naming a session is served, none echoed */
  char sid[300], h[64];
  snprintf(sid, sizeof sid, "Mcp-Session-Id: %s", s.id);
  CHECK_INT(s26_post(srv, S26_REQ("2", "tools/list", S26_META), "tools/list", NULL,
                     "Mcp-Session-Id: deadbeef", NULL, &r), 200);
  CHECK(!mk_header(&r, "Mcp-Session-Id", h, sizeof h));
  CHECK_INT(s26_post(srv, S26_REQ("3", "tools/list", S26_META), "tools/list", NULL, sid,
                     "Last-Event-ID: 1-1", &r), 200); /* S26-LEGACY-04 */
  /* the session-era tools/list has no 2026-07-28 tools */
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}", &r, NULL);
  CHECK(body_has(&r, "\"echo\"") && !body_has(&r, "mirror_params") && !body_has(&r, "resultType"));
}

static void modern_only(void) {
  mk_server srv;
  if (start_with(&srv, "--eras", "modern", NULL)) {
    CHECK(!"mock started with --eras modern");
    return;
  }
  mk_sess none = {.srv = &srv};
  mk_resp_free(&r);
  mk_get_for(&none, &r, NULL, 2000);
  CHECK_INT(r.status, 405); /* S26-LEGACY-01 */
  mk_req del = {.method = "DELETE", .path = "/mcp", .headers = {"Mcp-Session-Id: deadbeef"}};
  mk_resp_free(&r);
  mk_do(&srv, &del, &r);
  CHECK_INT(r.status, 405); /* S26-LEGACY-02 */
  mk_resp_free(&r);
  mk_post(&none, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                 "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                 "\"clientInfo\":{\"name\":\"old\",\"version\":\"1\"}}}",
          &r, NULL);
  CHECK_INT(r.status, 400); /* S26-COMPAT-12/13 */
  CHECK_INT(s26_code(&r), -32022);
  CHECK_STR(json_at("error.data.supported"), "[\"2026-07-28\"]");
  CHECK_STR(str_at("error.data.requested"), "2025-11-25");
  mk_req sse = {.path = "/sse", .headers = {"Accept: text/event-stream"}, .timeout_ms = 2000};
  mk_resp_free(&r);
  mk_do(&srv, &sse, &r);
  CHECK_INT(r.status, 404);
  CHECK_INT(s26_post(&srv, S26_REQ("2", "server/discover", S26_META), "server/discover", NULL, NULL,
                     NULL, &r), 200);
  CHECK_STR(json_at("result.supportedVersions"), "[\"2026-07-28\"]");
  CHECK_INT(mk_stop(&srv), 0);
}

static void legacy_only_and_json_replies(void) {
  mk_server srv;
  if (start_with(&srv, "--eras", "legacy", NULL)) {
    CHECK(!"mock started with --eras legacy");
    return;
  }
  CHECK_INT(s26_post(&srv, S26_REQ("1", "server/discover", S26_META), "server/discover", NULL, NULL,
                     NULL, &r), 400); /* a session-era server: no session */
  CHECK(!body_has(&r, "supportedVersions"));
  CHECK_INT(mk_stop(&srv), 0);
  if (start_with(&srv, "--responses", "json", NULL)) {
    CHECK(!"mock started with --responses json");
    return;
  }
  CHECK_INT(s26_post(&srv, S26_REQ("1", "server/discover", S26_META), "server/discover", NULL, NULL,
                     NULL, &r), 200);
  char h[128];
  CHECK(mk_header(&r, "Content-Type", h, sizeof h) && !strcmp(h, "application/json"));
  CHECK_STR(str_at("result.resultType"), "complete");
  CHECK_INT(mk_stop(&srv), 0);
}

static void foreign_origin_is_403(const mk_server *srv) {
  CHECK_INT(s26_post(srv, S26_REQ("1", "server/discover", S26_META), "server/discover", NULL,
                     "Origin: http://evil.example", NULL, &r), 403); /* S26-SEC-01 */
  CHECK_INT(s26_post(srv, S26_REQ("2", "server/discover", S26_META), "server/discover", NULL,
                     "Origin: http://localhost:3000", NULL, &r), 200);
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  mock_bin = argv[1];
  curl_global_init(CURL_GLOBAL_DEFAULT);
  mk_server srv;
  if (start_with(&srv, "--slow-step-ms", "20", NULL) == 0) {
    discover_answers_what_the_server_speaks(&srv);
    any_request_may_come_first(&srv);
    missing_meta_is_400_32602(&srv);
    headers_must_match_the_body(&srv);
    unsupported_version_is_32022(&srv);
    param_headers_are_checked(&srv);
    unknown_and_removed_methods_are_404(&srv);
    shapes_that_are_not_requests(&srv);
    capabilities_are_per_request(&srv);
    input_required_round_trip(&srv);
    input_required_suite_fixtures(&srv);
    logs_only_with_a_log_level(&srv);
    progress_on_the_response_stream(&srv);
    closing_the_stream_cancels(&srv);
    listen_acknowledges_filters_and_tags(&srv);
    both_eras_on_one_url(&srv);
    foreign_origin_is_403(&srv);
    CHECK_INT(mk_stop(&srv), 0);
  } else {
    CHECK(!"mock started");
  }
  modern_only();
  legacy_only_and_json_replies();
  mk_resp_free(&r);
  mk_cleanup();
  curl_global_cleanup();
  return CHECK_DONE("mock_stateless_test");
}
