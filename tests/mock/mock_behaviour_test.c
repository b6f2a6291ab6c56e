/*
 * mock_behaviour_test: mcpwire-mock without faults does what the spec asks,
 * checked over loopback with libcurl and decoded with our own codecs.
 * argv[1] is the mcpwire-mock binary.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check.h"
#include "mock_test_util.h"

static mk_server srv; /* the default server: sse replies, no faults */

static void server_starts_prints_listening_and_exits_cleanly(void) {
  mk_server s;
  CHECK_INT(start_with(&s, NULL, NULL, NULL), 0);
  CHECK(s.port > 0);
  CHECK_INT(mk_stop(&s), 0);
}

static int run_status(const char *args) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>&1", mock_bin, args);
  int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void options_help_lists_and_usage_errors(void) {
  CHECK_INT(run_status("--help"), 0);
  CHECK_INT(run_status("--list-faults"), 0);
  CHECK_INT(run_status("--list-wires"), 0);
  CHECK_INT(run_status("--fault no-such-fault"), 2);
  CHECK_INT(run_status("--responses xml"), 2);
  CHECK_INT(run_status("--port 70000"), 2);
  char cmd[512], line[512];
  snprintf(cmd, sizeof cmd, "%s --list-faults", mock_bin);
  FILE *f = popen(cmd, "r");
  int n = 0, tabs_ok = 1;
  while (f && fgets(line, sizeof line, f)) {
    n++;
    char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    tabs_ok &= t1 && t2 && t2 > t1 + 1; /* name, ids, description */
  }
  if (f)
    pclose(f);
  CHECK(n >= 50);
  CHECK(tabs_ok);
}

static int visible_ascii(const char *s) {
  for (; *s; s++)
    if (*s < 0x21 || *s > 0x7e)
      return 0;
  return 1;
}

static void initialize_issues_distinct_random_visible_session_ids(void) {
  mk_sess a, b;
  CHECK_INT(mk_init(&a, &srv, "2025-11-25", NULL, 1), 200);
  CHECK_INT(mk_init(&b, &srv, "2025-11-25", NULL, 1), 200);
  CHECK(strlen(a.id) >= 32);
  CHECK(visible_ascii(a.id));
  CHECK(strcmp(a.id, b.id) != 0);
}

static void initialize_echoes_supported_versions_and_counters_others(void) {
  static const char *const ok[] = {"2025-03-26", "2025-06-18", "2025-11-25"};
  mk_sess s;
  for (size_t i = 0; i < 3; i++) {
    CHECK_INT(mk_init(&s, &srv, ok[i], NULL, 1), 200);
    CHECK_STR(s.version, ok[i]);
  }
  mk_init(&s, &srv, "1999-01-01", NULL, 1);
  CHECK_STR(s.version, "2025-11-25");
  mk_init(&s, &srv, "2024-11-05", NULL, 1);
  CHECK_STR(s.version, "2025-11-25");
}

static void initialize_without_protocol_version_gets_invalid_params(void) {
  mk_sess s = {.srv = &srv};
  mk_resp r;
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"initialize\",\"params\":{}}", &r, NULL);
  CHECK_INT(reply_num(&r, "error.code"), -32602);
  CHECK_INT(reply_num(&r, "id"), 5);
  mk_resp_free(&r);
}

static void initialize_result_has_capabilities_and_server_info(void) {
  mk_sess s = {.srv = &srv};
  mk_resp r;
  char buf[256];
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
              "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
              "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", &r, NULL);
  CHECK_STR(reply_json(&r, "result.capabilities.tools", buf, sizeof buf), "{\"listChanged\":true}");
  CHECK_STR(reply_str(&r, "result.serverInfo.name", buf, sizeof buf), "mcpwire-mock");
  CHECK(mk_header(&r, "Mcp-Session-Id", buf, sizeof buf) != NULL);
  mk_resp_free(&r);
}

static void ping_answers_empty_object_before_and_after_initialized(void) {
  mk_sess s;
  mk_resp r;
  char buf[64];
  mk_init(&s, &srv, "2025-11-25", NULL, 0);
  mk_post(&s, PING("7"), &r, NULL);
  CHECK_STR(reply_json(&r, "result", buf, sizeof buf), "{}");
  CHECK_INT(reply_num(&r, "id"), 7);
  mk_resp_free(&r);
  mk_post(&s, NOTE("notifications/initialized"), &r, NULL);
  CHECK_INT(r.status, 202);
  mk_resp_free(&r);
  mk_post(&s, PING("\"p\""), &r, NULL);
  CHECK_STR(reply_json(&r, "result", buf, sizeof buf), "{}");
  CHECK_STR(reply_json(&r, "id", buf, sizeof buf), "\"p\"");
  mk_resp_free(&r);
}

static void session_header_missing_is_400_unknown_is_404(void) {
  mk_sess s;
  mk_resp r;
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_sess none = s;
  none.id[0] = '\0';
  mk_post(&none, PING("1"), &r, NULL);
  CHECK_INT(r.status, 400);
  mk_resp_free(&r);
  mk_sess forged = s;
  snprintf(forged.id, sizeof forged.id, "forged-session-id");
  mk_post(&forged, PING("1"), &r, NULL);
  CHECK_INT(r.status, 404);
  mk_resp_free(&r);
}

static void session_header_name_is_case_insensitive(void) {
  mk_sess s;
  mk_resp r;
  char hdr[300], buf[64];
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  snprintf(hdr, sizeof hdr, "mcp-session-id: %s", s.id);
  mk_sess bare = s;
  bare.id[0] = '\0';
  mk_post(&bare, PING("1"), &r, hdr);
  CHECK_INT(r.status, 200);
  CHECK_STR(reply_json(&r, "result", buf, sizeof buf), "{}");
  mk_resp_free(&r);
}

static void delete_ends_session_then_404(void) {
  mk_sess s;
  mk_resp r;
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_req q = {.method = "DELETE", .path = "/mcp"};
  char sid[300];
  snprintf(sid, sizeof sid, "Mcp-Session-Id: %s", s.id);
  q.headers[0] = sid;
  mk_do(&srv, &q, &r);
  CHECK_INT(r.status, 200);
  mk_resp_free(&r);
  mk_post(&s, PING("1"), &r, NULL);
  CHECK_INT(r.status, 404);
  mk_resp_free(&r);
  mk_do(&srv, &q, &r);
  CHECK_INT(r.status, 404);
  mk_resp_free(&r);
}

static void notifications_and_responses_get_202_with_empty_body(void) {
  mk_sess s;
  mk_resp r;
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_post(&s, NOTE("notifications/whatever"), &r, NULL);
  CHECK_INT(r.status, 202);
  CHECK_INT(r.body.len, 0);
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":\"nobody\",\"result\":{}}", &r, NULL);
  CHECK_INT(r.status, 202);
  CHECK_INT(r.body.len, 0);
  mk_resp_free(&r);
}

static void sse_reply_has_stream_headers_priming_and_retry_on_2025_11_25(void) {
  mk_sess s;
  mk_resp r;
  char buf[128];
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_post(&s, PING("1"), &r, NULL);
  CHECK_STR(mk_header(&r, "Content-Type", buf, sizeof buf), "text/event-stream");
  CHECK_STR(mk_header(&r, "Cache-Control", buf, sizeof buf), "no-cache");
  CHECK_STR(mk_header(&r, "X-Accel-Buffering", buf, sizeof buf), "no");
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK_INT(e->n, 2);
  CHECK_STR(e->ev[0].data, "");
  CHECK(e->ev[0].id[0] != '\0');
  CHECK(e->retries >= 1);
  CHECK(e->n == 2 && strcmp(e->ev[0].id, e->ev[1].id) != 0);
  mk_events_free(e);
  mk_resp_free(&r);
}

static void no_priming_event_before_2025_11_25(void) {
  mk_sess s;
  mk_resp r;
  mk_init(&s, &srv, "2025-06-18", NULL, 1);
  mk_post(&s, PING("1"), &r, NULL);
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK_INT(e->n, 1);
  CHECK_INT(e->retries, 0);
  CHECK(e->n == 1 && e->ev[0].id[0]);
  mk_events_free(e);
  mk_resp_free(&r);
}

static void json_reply_mode_answers_application_json_with_same_id(void) {
  mk_server js;
  CHECK_INT(start_with(&js, "--responses", "json", NULL), 0);
  mk_sess s;
  mk_resp r;
  char buf[128];
  CHECK_INT(mk_init(&s, &js, "2025-11-25", NULL, 1), 200);
  mk_post(&s, PING("\"abc\""), &r, NULL);
  CHECK_INT(r.status, 200);
  CHECK_STR(mk_header(&r, "Content-Type", buf, sizeof buf), "application/json");
  CHECK_STR(reply_json(&r, "id", buf, sizeof buf), "\"abc\"");
  mk_resp_free(&r);
  CHECK_INT(mk_stop(&js), 0);
}

static void version_header_bad_is_400_absent_is_fine(void) {
  mk_sess s;
  mk_resp r;
  mk_init(&s, &srv, "2025-06-18", NULL, 1);
  mk_sess nov = s;
  nov.send_version = 0;
  mk_post(&nov, PING("1"), &r, "MCP-Protocol-Version: 1999-01-01");
  CHECK_INT(r.status, 400);
  mk_resp_free(&r);
  mk_post(&nov, PING("1"), &r, "MCP-Protocol-Version: garbage");
  CHECK_INT(r.status, 400);
  mk_resp_free(&r);
  mk_post(&nov, PING("1"), &r, NULL);
  CHECK_INT(r.status, 200);
  mk_resp_free(&r);
  mk_sess fresh = {.srv = &srv};
  mk_post(&fresh, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                  "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                  "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
          &r, "MCP-Protocol-Version: 2099-01-01");
  CHECK_INT(r.status, 200);
  mk_resp_free(&r);
}

static void foreign_origin_and_host_get_403_local_ones_pass(void) {
  mk_sess s;
  mk_resp r;
  char buf[64];
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_post(&s, PING("1"), &r, "Origin: http://evil.example");
  CHECK_INT(r.status, 403);
  CHECK_INT(reply_num(&r, "error.code"), -32600);
  CHECK_STR(reply_json(&r, "id", buf, sizeof buf), "");
  mk_resp_free(&r);
  mk_post(&s, PING("1"), &r, "Origin: http://localhost:1234");
  CHECK_INT(r.status, 200);
  mk_resp_free(&r);
  mk_post(&s, PING("1"), &r, "Origin: http://[::1]");
  CHECK_INT(r.status, 200);
  mk_resp_free(&r);
  mk_post(&s, PING("1"), &r, "Origin: http://127.0.0.1.evil.example");
  CHECK_INT(r.status, 403);
  mk_resp_free(&r);
  mk_post(&s, PING("1"), &r, "Host: evil.example.com");
  CHECK_INT(r.status, 403);
  mk_resp_free(&r);
}

static void batches_only_on_2025_03_26(void) {
  mk_sess s;
  mk_resp r;
  mk_init(&s, &srv, "2025-03-26", NULL, 1);
  mk_post(&s, "[" PING("1") "," PING("2") "]", &r, NULL);
  CHECK_INT(r.status, 200);
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK_INT(mk_events_messages(e), 2);
  mk_events_free(e);
  mk_resp_free(&r);
  mk_post(&s, "[" NOTE("notifications/a") "," NOTE("notifications/b") "]", &r, NULL);
  CHECK_INT(r.status, 202);
  mk_resp_free(&r);
  mk_post(&s, "[{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"initialize\",\"params\":{"
              "\"protocolVersion\":\"2025-11-25\"}}]", &r, NULL);
  CHECK_INT(reply_num(&r, "error.code"), -32600); /* never inside a batch */
  mk_resp_free(&r);
  mk_post(&s, "[]", &r, NULL);
  CHECK_INT(r.status, 400);
  CHECK_INT(reply_num(&r, "error.code"), -32600);
  mk_resp_free(&r);
  mk_post(&s, "[1]", &r, NULL);
  CHECK_INT(r.status, 200);
  CHECK_INT(reply_num(&r, "error.code"), -32600);
  mk_resp_free(&r);
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_post(&s, "[" PING("1") "]", &r, NULL);
  CHECK_INT(r.status, 400);
  CHECK_INT(reply_num(&r, "error.code"), -32600);
  mk_resp_free(&r);
}

static void jsonrpc_errors_have_the_right_codes_and_ids(void) {
  mk_sess s;
  mk_resp r;
  char buf[64];
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_post(&s, "{\"jsonrpc\":", &r, NULL);
  CHECK_INT(r.status, 400);
  CHECK_INT(reply_num(&r, "error.code"), -32700);
  CHECK_STR(reply_json(&r, "id", buf, sizeof buf), "");
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":3}", &r, NULL);
  CHECK_INT(r.status, 400);
  CHECK_INT(reply_num(&r, "error.code"), -32600);
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"no/such\"}", &r, NULL);
  CHECK_INT(reply_num(&r, "error.code"), -32601);
  CHECK_INT(reply_num(&r, "id"), 4);
  mk_resp_free(&r);
  mk_post(&s, CALL("5", "no_such_tool", "{}"), &r, NULL);
  CHECK_INT(reply_num(&r, "error.code"), -32602);
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"1.0\",\"id\":6,\"method\":\"ping\"}", &r, NULL);
  CHECK_INT(r.status, 400);
  CHECK_INT(reply_num(&r, "error.code"), -32600);
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", &r, NULL);
  CHECK_INT(reply_num(&r, "error.code"), -32600);
  mk_resp_free(&r);
}

static void ids_echo_with_type_and_digits_kept(void) {
  static const char *const ids[] = {"\"abc\"", "42", "0", "-7", "\"7\"", "12345678901234567890"};
  mk_sess s;
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    char body[128], buf[64];
    mk_resp r;
    snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}", ids[i]);
    mk_post(&s, body, &r, NULL);
    CHECK_STR(reply_json(&r, "id", buf, sizeof buf), ids[i]);
    mk_resp_free(&r);
  }
}

static void accept_and_content_type_are_checked(void) {
  mk_req q = {.path = "/mcp", .body = PING("1")};
  mk_resp r;
  q.headers[0] = "Accept: application/json";
  q.headers[1] = "Content-Type: application/json";
  mk_do(&srv, &q, &r);
  CHECK_INT(r.status, 406);
  mk_resp_free(&r);
  q.headers[0] = "Accept: application/json, text/event-stream";
  q.headers[1] = "Content-Type: text/plain";
  mk_do(&srv, &q, &r);
  CHECK_INT(r.status, 415);
  mk_resp_free(&r);
  q.method = "PUT";
  mk_do(&srv, &q, &r);
  CHECK_INT(r.status, 405);
  mk_resp_free(&r);
}

static void tools_list_and_simple_tools(void) {
  mk_sess s;
  mk_resp r;
  char buf[256];
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", &r, NULL);
  static const char *const names[] = {"echo", "slow", "trigger_list_changed", "ask_client", "fail", "error"};
  for (size_t i = 0; i < 6; i++) {
    char path[64];
    snprintf(path, sizeof path, "result.tools[%zu].name", i);
    CHECK_STR(reply_str(&r, path, buf, sizeof buf), names[i]);
  }
  mk_resp_free(&r);
  mk_post(&s, CALL("2", "echo", "{\"text\":\"h\\u00e9llo \xe2\x9c\x93\"}"), &r, NULL);
  CHECK_STR(reply_str(&r, "result.content[0].text", buf, sizeof buf), "h\xc3\xa9llo \xe2\x9c\x93");
  mk_resp_free(&r);
  mk_post(&s, CALL("3", "fail", "{}"), &r, NULL);
  CHECK_STR(reply_json(&r, "result.isError", buf, sizeof buf), "true");
  mk_resp_free(&r);
  mk_post(&s, CALL("4", "error", "{}"), &r, NULL);
  CHECK_INT(reply_num(&r, "error.code"), -32603);
  mk_resp_free(&r);
}

static void slow_sends_increasing_progress_then_the_result(void) {
  mk_sess s;
  mk_resp r;
  mk_init(&s, &srv, "2025-06-18", NULL, 1);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\","
              "\"arguments\":{\"steps\":4},\"_meta\":{\"progressToken\":\"tok\"}}}", &r, NULL);
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK_INT(e->n, 5);
  double last = 0;
  for (size_t i = 0; i + 1 < e->n && e->n == 5; i++) {
    jsonrpc_msg *m = mk_json(e->ev[i].data);
    double p = 0;
    CHECK_STR(jsonrpc_get_string(m, "method"), "notifications/progress");
    CHECK_STR(jsonrpc_get_string(m, "params.progressToken"), "tok");
    CHECK(jsonrpc_get_number(m, "params.progress", &p) && p > last);
    last = p;
    jsonrpc_free(m);
  }
  CHECK_INT(reply_num(&r, "id"), 9);
  CHECK(r.curl_rc == CURLE_OK); /* the stream ended by itself */
  mk_events_free(e);
  mk_resp_free(&r);
}

static int has_event(void *arg) {
  const dynbuf *b = mk_stream_body(arg);
  return strstr(dynbuf_str(b), "notifications/progress") != NULL;
}

static int is_done(void *arg) { return mk_stream_done(arg); }

static void cancelled_slow_call_ends_without_response(void) {
  mk_sess s;
  mk_resp r;
  mk_init(&s, &srv, "2025-06-18", NULL, 1);
  mk_stream *st = mk_stream_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":\"c1\",\"method\":\"tools/call\","
                                     "\"params\":{\"name\":\"slow\",\"arguments\":{\"steps\":40},"
                                     "\"_meta\":{\"progressToken\":\"t\"}}}", NULL);
  CHECK(mk_pump_until(has_event, st, 3000));
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
              "\"params\":{\"requestId\":\"c1\"}}", &r, NULL);
  CHECK_INT(r.status, 202);
  mk_resp_free(&r);
  CHECK(mk_pump_until(is_done, st, 3000));
  CHECK(!strstr(dynbuf_str(mk_stream_body(st)), "\"result\""));
  mk_stream_close(st);
  /* A cancel for a request nobody knows is ignored. */
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
              "\"params\":{\"requestId\":\"zz\"}}", &r, NULL);
  CHECK_INT(r.status, 202);
  mk_resp_free(&r);
}

static void get_stream_is_single_and_carries_list_changed_only(void) {
  mk_sess s;
  mk_resp r;
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_stream *get = mk_stream_open(&s, "/mcp", NULL);
  mk_pump(100);
  CHECK_INT(mk_stream_status(get), 200);
  mk_get_for(&s, &r, NULL, 1000);
  CHECK_INT(r.status, 409);
  mk_resp_free(&r);
  mk_post(&s, CALL("1", "trigger_list_changed", "{}"), &r, NULL);
  CHECK(body_has(&r, "\"result\""));
  CHECK(!body_has(&r, "\"method\":\"notifications/tools/list_changed\""));
  mk_resp_free(&r);
  mk_post(&s, PING("\"only-on-post\""), &r, NULL);
  mk_resp_free(&r);
  mk_pump(150);
  const char *got = dynbuf_str(mk_stream_body(get));
  CHECK(strstr(got, "\"method\":\"notifications/tools/list_changed\"") != NULL);
  CHECK(strstr(got, "only-on-post") == NULL);
  CHECK(strstr(got, "\"result\"") == NULL);
  mk_stream_close(get);
}

static void no_get_stream_option_answers_405(void) {
  mk_server ng;
  CHECK_INT(start_with(&ng, "--no-get-stream", NULL, NULL), 0);
  mk_sess s;
  mk_resp r;
  mk_init(&s, &ng, "2025-11-25", NULL, 1);
  mk_get_for(&s, &r, NULL, 1000);
  CHECK_INT(r.status, 405);
  mk_resp_free(&r);
  CHECK_INT(mk_stop(&ng), 0);
}

/* The id of the last event in a body ("" when none). */
static void last_id(const dynbuf *b, char *out, size_t n) {
  mk_events *e = mk_events_parse(b->ptr, b->len);
  snprintf(out, n, "%s", e->n ? e->ev[e->n - 1].id : "");
  mk_events_free(e);
}

static void post_stream_resumes_by_get_with_last_event_id(void) {
  mk_server slow;
  CHECK_INT(start_with(&slow, "--slow-step-ms", "100", NULL), 0);
  mk_sess s;
  mk_resp r;
  char id[64], hdr[128];
  mk_init(&s, &slow, "2025-11-25", NULL, 1);
  /* Read the first events of a 6-step call, then hang up. */
  mk_post_for(&s, "{\"jsonrpc\":\"2.0\",\"id\":\"r1\",\"method\":\"tools/call\",\"params\":{"
                  "\"name\":\"slow\",\"arguments\":{\"steps\":6},\"_meta\":{\"progressToken\":1}}}",
              &r, NULL, 250);
  last_id(&r.body, id, sizeof id);
  CHECK(id[0] != '\0');
  CHECK(!body_has(&r, "\"result\""));
  mk_resp_free(&r);
  snprintf(hdr, sizeof hdr, "Last-Event-ID: %s", id);
  mk_get_for(&s, &r, hdr, 3000);
  CHECK_INT(r.status, 200);
  CHECK(r.curl_rc == CURLE_OK); /* replay, the rest, then the end */
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK(e->n >= 2);
  for (size_t i = 0; i < e->n; i++)
    CHECK(strcmp(e->ev[i].id, id) != 0);
  jsonrpc_msg *m = mk_reply(&r);
  CHECK_STR(m ? jsonrpc_get_string(m, "id") : NULL, "r1");
  jsonrpc_free(m);
  mk_events_free(e);
  mk_resp_free(&r);
  CHECK_INT(mk_stop(&slow), 0);
}

static void get_stream_resume_replays_only_its_own_later_events(void) {
  mk_sess s;
  mk_resp r;
  char id[64], hdr[128];
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_get_for(&s, &r, NULL, 200); /* priming only, then we leave */
  last_id(&r.body, id, sizeof id);
  mk_resp_free(&r);
  mk_post(&s, CALL("1", "trigger_list_changed", "{}"), &r, NULL);
  mk_resp_free(&r);
  mk_post(&s, PING("\"other-stream\""), &r, NULL);
  mk_resp_free(&r);
  snprintf(hdr, sizeof hdr, "Last-Event-ID: %s", id);
  mk_get_for(&s, &r, hdr, 300);
  CHECK_INT(r.status, 200);
  CHECK(body_has(&r, "notifications/tools/list_changed"));
  CHECK(!body_has(&r, "other-stream"));
  CHECK(!body_has(&r, "\"result\""));
  mk_resp_free(&r);
}

static int has_request(void *arg) {
  return strstr(dynbuf_str(mk_stream_body(arg)), "elicitation/create") != NULL;
}

static void ask_client_round_trips_through_the_client(void) {
  mk_sess s;
  mk_resp r;
  mk_init(&s, &srv, "2025-11-25", "{\"elicitation\":{}}", 1);
  mk_stream *st = mk_stream_post(&s, CALL("\"a1\"", "ask_client", "{}"), NULL);
  CHECK(mk_pump_until(has_request, st, 3000));
  const dynbuf *b = mk_stream_body(st);
  mk_events *e = mk_events_parse(b->ptr, b->len);
  jsonrpc_msg *req = e->n ? mk_json(e->ev[e->n - 1].data) : NULL;
  dynbuf id;
  dynbuf_init(&id, 256);
  CHECK(req && jsonrpc_kind_of(req) == JSONRPC_REQUEST);
  if (req)
    jsonrpc_get_json(req, "id", &id);
  char body[256];
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"action\":\"accept\","
           "\"content\":{\"answer\":\"forty-two\"}}}", dynbuf_str(&id));
  mk_post(&s, body, &r, NULL);
  CHECK_INT(r.status, 202);
  mk_resp_free(&r);
  CHECK(mk_pump_until(is_done, st, 3000));
  CHECK(strstr(dynbuf_str(b), "forty-two") != NULL);
  CHECK(strstr(dynbuf_str(b), "\"id\":\"a1\"") != NULL);
  dynbuf_free(&id);
  jsonrpc_free(req);
  mk_events_free(e);
  mk_stream_close(st);
}

static void idle_sessions_expire_after_ttl(void) {
  mk_server t;
  CHECK_INT(start_with(&t, "--session-ttl", "1", NULL), 0);
  mk_sess s;
  mk_resp r;
  mk_init(&s, &t, "2025-11-25", NULL, 1);
  usleep(2500 * 1000);
  mk_post(&s, PING("1"), &r, NULL);
  CHECK_INT(r.status, 404);
  mk_resp_free(&r);
  CHECK_INT(mk_stop(&t), 0);
}

static void idle_streams_get_heartbeat_comments(void) {
  mk_server t;
  CHECK_INT(start_with(&t, "--heartbeat-ms", "40", NULL), 0);
  mk_sess s;
  mk_resp r;
  mk_init(&s, &t, "2025-11-25", NULL, 1);
  mk_get_for(&s, &r, NULL, 400);
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK(e->comments >= 3);
  mk_events_free(e);
  mk_resp_free(&r);
  CHECK_INT(mk_stop(&t), 0);
}

static int events_at_least(const mk_stream *st, size_t n) {
  const dynbuf *b = mk_stream_body(st);
  mk_events *e = mk_events_parse(b->ptr, b->len);
  int ok = e->n >= n;
  mk_events_free(e);
  return ok;
}
static int one_event(void *st) { return events_at_least(st, 1); }
static int two_events(void *st) { return events_at_least(st, 2); }
static int three_events(void *st) { return events_at_least(st, 3); }

/* POSTs body to a legacy endpoint path; the status. */
static long legacy_post(const mk_server *s, const char *path, const char *body, mk_resp *r) {
  mk_req q = {.path = path, .body = body};
  q.headers[0] = "Content-Type: application/json";
  mk_do(s, &q, r);
  return r->status;
}

static void legacy_endpoint_first_then_responses_as_message_events(void) {
  mk_sess s = {.srv = &srv};
  mk_resp r;
  mk_stream *st = mk_stream_open(&s, "/sse", NULL);
  CHECK(mk_pump_until(one_event, st, 3000));
  const dynbuf *b = mk_stream_body(st);
  mk_events *e = mk_events_parse(b->ptr, b->len);
  char path[256] = "";
  if (e->n)
    snprintf(path, sizeof path, "%s", e->ev[0].data);
  CHECK_STR(e->n ? e->ev[0].type : NULL, "endpoint");
  CHECK(!strncmp(path, "/message?sessionId=", 19));
  mk_events_free(e);
  CHECK_INT(legacy_post(&srv, path, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                                    "\"protocolVersion\":\"2024-11-05\",\"capabilities\":{},"
                                    "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", &r), 202);
  CHECK_STR(dynbuf_str(&r.body), "Accepted");
  mk_resp_free(&r);
  CHECK(mk_pump_until(two_events, st, 3000));
  CHECK_INT(legacy_post(&srv, path, PING("\"lp\""), &r), 202);
  mk_resp_free(&r);
  CHECK(mk_pump_until(three_events, st, 3000));
  e = mk_events_parse(b->ptr, b->len);
  CHECK(e->n == 3 && !strcmp(e->ev[1].type, "message") && !strcmp(e->ev[2].type, "message"));
  jsonrpc_msg *m = e->n == 3 ? mk_json(e->ev[1].data) : NULL;
  CHECK_STR(m ? jsonrpc_get_string(m, "result.protocolVersion") : NULL, "2024-11-05");
  jsonrpc_free(m);
  CHECK(e->n == 3 && strstr(e->ev[2].data, "\"id\":\"lp\"") != NULL);
  mk_events_free(e);
  CHECK_INT(legacy_post(&srv, "/message?sessionId=bogus", PING("1"), &r), 404);
  mk_resp_free(&r);
  mk_stream_close(st);
  long status = 0; /* the server notices the hang-up within a few polls */
  for (int i = 0; i < 40 && status != 404; i++, usleep(25000)) {
    status = legacy_post(&srv, path, PING("1"), &r);
    mk_resp_free(&r);
  }
  CHECK_INT(status, 404);
}

/* One ping over SSE under a wire variant; the raw reply body. */
static void ping_under_wire(const char *variant, mk_resp *r) {
  mk_server w;
  mk_sess s;
  const char *extra[] = {"--wire", variant, NULL};
  memset(r, 0, sizeof *r);
  if (mk_start(&w, mock_bin, extra)) {
    CHECK(!"server starts");
    return;
  }
  mk_init(&s, &w, "2025-11-25", NULL, 1);
  CHECK_STR(s.version, "2025-11-25");
  mk_post(&s, PING("\"w\""), r, NULL);
  char buf[32];
  CHECK_STR(reply_json(r, "result", buf, sizeof buf), "{}");
  CHECK_STR(reply_json(r, "id", buf, sizeof buf), "\"w\"");
  CHECK_INT(mk_stop(&w), 0);
}

static int lf_only_after_cr(const dynbuf *b) {
  for (size_t i = 0; i < b->len; i++)
    if (b->ptr[i] == '\n' && (i == 0 || b->ptr[i - 1] != '\r'))
      return 0;
  return 1;
}

static void wire_variants_frame_differently_and_decode_the_same(void) {
  mk_resp r;
  ping_under_wire("crlf", &r);
  CHECK(body_has(&r, "\r\n\r\n") && lf_only_after_cr(&r.body));
  mk_resp_free(&r);
  ping_under_wire("cr", &r);
  CHECK(body_has(&r, "\r\r") && !body_has(&r, "\n"));
  mk_resp_free(&r);
  ping_under_wire("nospace", &r);
  CHECK(body_has(&r, "data:{") && !body_has(&r, "data: "));
  mk_resp_free(&r);
  ping_under_wire("comments", &r);
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK(e->comments >= 4);
  mk_events_free(e);
  mk_resp_free(&r);
  ping_under_wire("bom", &r);
  CHECK(r.body.len > 3 && !memcmp(r.body.ptr, "\xEF\xBB\xBF", 3));
  mk_resp_free(&r);
  ping_under_wire("multiline", &r);
  CHECK(body_has(&r, "data: {\ndata: \"jsonrpc\""));
  mk_resp_free(&r);
  ping_under_wire("split", &r);
  CHECK(body_has(&r, "\"id\":\"w\""));
  CHECK(r.writes >= r.body.len / 10); /* it arrived in pieces, not in one block */
  mk_resp_free(&r);
}

static void all_wire_variants_at_once_still_decode(void) {
  mk_server w;
  mk_sess s;
  mk_resp r;
  const char *extra[] = {"--wire", "crlf", "--wire", "nospace", "--wire", "comments", "--wire", "bom",
                         "--wire", "split", "--wire", "multiline", NULL};
  CHECK_INT(mk_start(&w, mock_bin, extra), 0);
  mk_init(&s, &w, "2025-11-25", NULL, 1);
  CHECK_STR(s.version, "2025-11-25");
  mk_post(&s, CALL("\"x\"", "echo", "{\"text\":\"a,b{c}[d]\"}"), &r, NULL);
  char buf[64];
  CHECK_STR(reply_str(&r, "result.content[0].text", buf, sizeof buf), "a,b{c}[d]");
  mk_resp_free(&r);
  CHECK_INT(mk_stop(&w), 0);
}

static void conformance_fixtures_answer_as_the_official_suite_expects(void) {
  mk_sess s;
  mk_resp r;
  char buf[512];
  mk_init(&s, &srv, "2025-11-25", "{\"sampling\":{}}", 1);
  mk_post(&s, CALL("1", "test_simple_text", "{}"), &r, NULL);
  CHECK_STR(reply_str(&r, "result.content[0].text", buf, sizeof buf),
            "This is a simple text response for testing.");
  mk_resp_free(&r);
  mk_post(&s, CALL("2", "test_error_handling", "{}"), &r, NULL);
  CHECK_STR(reply_json(&r, "result.isError", buf, sizeof buf), "true");
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
              "\"test_tool_with_progress\",\"arguments\":{},\"_meta\":{\"progressToken\":\"p\"}}}", &r, NULL);
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK_INT(mk_events_messages(e), 4); /* 0, 50, 100, then the result */
  mk_events_free(e);
  mk_resp_free(&r);
  mk_post(&s, CALL("4", "test_tool_with_logging", "{}"), &r, NULL);
  e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK_INT(mk_events_messages(e), 4);
  mk_events_free(e);
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/read\",\"params\":{\"uri\":"
              "\"test://template/123/data\"}}", &r, NULL);
  CHECK_STR(reply_str(&r, "result.contents[0].text", buf, sizeof buf),
            "{\"id\":\"123\",\"templateTest\":true,\"data\":\"Data for ID: 123\"}");
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"prompts/get\",\"params\":{\"name\":"
              "\"test_prompt_with_arguments\",\"arguments\":{\"arg1\":\"hello\",\"arg2\":\"world\"}}}", &r, NULL);
  CHECK_STR(reply_str(&r, "result.messages[0].content.text", buf, sizeof buf),
            "Prompt with arguments: arg1='hello', arg2='world'");
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"completion/complete\",\"params\":{\"ref\":"
              "{\"type\":\"ref/prompt\",\"name\":\"test_prompt_with_arguments\"},\"argument\":"
              "{\"name\":\"arg1\",\"value\":\"par\"}}}", &r, NULL);
  CHECK_STR(reply_json(&r, "result.completion.values", buf, sizeof buf), "[\"paris\",\"park\",\"party\"]");
  mk_resp_free(&r);
  mk_post(&s, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"resources/read\",\"params\":{\"uri\":"
              "\"test://nope\"}}", &r, NULL);
  CHECK_INT(reply_num(&r, "error.code"), -32002);
  mk_resp_free(&r);
}

static void reconnection_fixture_closes_early_and_resumes_by_get(void) {
  mk_sess s;
  mk_resp r;
  char id[64], hdr[128];
  mk_init(&s, &srv, "2025-11-25", NULL, 1);
  mk_post(&s, CALL("\"rc\"", "test_reconnection", "{}"), &r, NULL);
  CHECK(r.curl_rc == CURLE_OK);     /* the server ended the response itself */
  CHECK(!body_has(&r, "\"result\""));
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK(e->retries >= 1);            /* a retry came before the early close */
  snprintf(id, sizeof id, "%s", e->n ? e->ev[0].id : "");
  mk_events_free(e);
  mk_resp_free(&r);
  snprintf(hdr, sizeof hdr, "Last-Event-ID: %s", id);
  mk_get_for(&s, &r, hdr, 3000);
  CHECK(body_has(&r, "Reconnection test completed successfully"));
  CHECK(body_has(&r, "\"id\":\"rc\""));
  mk_resp_free(&r);
}

static void max_version_caps_negotiation_and_the_version_header(void) {
  mk_server old;
  CHECK_INT(start_with(&old, "--max-version", "2025-06-18", NULL), 0);
  mk_sess s;
  mk_resp r;
  mk_init(&s, &old, "2025-11-25", NULL, 1);
  CHECK_STR(s.version, "2025-06-18");
  mk_init(&s, &old, "2025-03-26", NULL, 1);
  CHECK_STR(s.version, "2025-03-26");
  s.send_version = 0;
  mk_post(&s, PING("1"), &r, "MCP-Protocol-Version: 2025-11-25");
  CHECK_INT(r.status, 400);
  mk_resp_free(&r);
  mk_post(&s, PING("1"), &r, NULL);
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK_INT(e->retries, 0); /* no 2025-11-25 priming */
  mk_events_free(e);
  mk_resp_free(&r);
  CHECK_INT(mk_stop(&old), 0);
  CHECK_INT(run_status("--max-version 2024-11-05"), 2);
  CHECK_INT(run_status("--max-version 2099-01-01"), 2);
}

/* --tools-page-size N: N tools per page, a nextCursor while more follow,
 * the same tools in the same order as one page; a made-up cursor is -32602. */
static void tools_page_size_pages_tools_list_with_cursors(void) {
  mk_server pg;
  CHECK_INT(start_with(&pg, "--tools-page-size", "2", NULL), 0);
  mk_sess whole, paged;
  mk_resp r;
  char buf[256], body[512], names[2][2048] = {"", ""};
  mk_init(&whole, &srv, "2025-11-25", NULL, 1);
  mk_post(&whole, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", &r, NULL);
  size_t total = 0;
  for (;; total++) {
    char path[64];
    snprintf(path, sizeof path, "result.tools[%zu].name", total);
    if (!*reply_str(&r, path, buf, sizeof buf))
      break;
    strncat(names[0], buf, sizeof names[0] - strlen(names[0]) - 2);
    strcat(names[0], ",");
  }
  CHECK_STR(reply_str(&r, "result.nextCursor", buf, sizeof buf), "");
  mk_resp_free(&r);
  CHECK(total > 4);
  mk_init(&paged, &pg, "2025-11-25", NULL, 1);
  char cursor[256] = "";
  size_t pages = 0, listed = 0;
  do {
    if (cursor[0])
      snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%zu,\"method\":\"tools/list\","
               "\"params\":{\"cursor\":\"%s\"}}", pages + 10, cursor);
    else
      snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%zu,\"method\":\"tools/list\"}",
               pages + 10);
    mk_post(&paged, body, &r, NULL);
    size_t n = 0;
    for (;; n++) {
      char path[64];
      snprintf(path, sizeof path, "result.tools[%zu].name", n);
      if (!*reply_str(&r, path, buf, sizeof buf))
        break;
      strncat(names[1], buf, sizeof names[1] - strlen(names[1]) - 2);
      strcat(names[1], ",");
    }
    listed += n;
    pages++;
    reply_str(&r, "result.nextCursor", cursor, sizeof cursor);
    CHECK(n == 2 || (n >= 1 && !cursor[0])); /* only the last page is short */
    mk_resp_free(&r);
  } while (cursor[0] && pages < 100);
  CHECK_INT(listed, total);
  CHECK_INT(pages, (total + 1) / 2);
  CHECK_STR(names[1], names[0]);
  mk_post(&paged, "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tools/list\","
                  "\"params\":{\"cursor\":\"made-up\"}}", &r, NULL);
  CHECK_INT(reply_num(&r, "error.code"), -32602);
  mk_resp_free(&r);
  CHECK_INT(mk_stop(&pg), 0);
  CHECK_INT(run_status("--tools-page-size 0"), 2);
}

static void poll_close_ends_post_streams_after_priming(void) {
  mk_server pc;
  CHECK_INT(start_with(&pc, "--poll-close", NULL, NULL), 0);
  mk_sess s;
  mk_resp r;
  char id[64], hdr[128];
  mk_init(&s, &pc, "2025-11-25", NULL, 1);
  CHECK_STR(s.version, "2025-11-25"); /* initialize itself is answered on its POST */
  mk_post(&s, PING("\"pp\""), &r, NULL);
  mk_events *e = mk_events_parse(r.body.ptr, r.body.len);
  CHECK_INT(e->n, 1);
  CHECK(e->retries >= 1);
  snprintf(id, sizeof id, "%s", e->n ? e->ev[0].id : "");
  mk_events_free(e);
  mk_resp_free(&r);
  snprintf(hdr, sizeof hdr, "Last-Event-ID: %s", id);
  mk_get_for(&s, &r, hdr, 2000);
  CHECK(body_has(&r, "\"id\":\"pp\""));
  CHECK(r.curl_rc == CURLE_OK);
  mk_resp_free(&r);
  CHECK_INT(mk_stop(&pc), 0);
}

static void unanswered_server_request_is_cancelled_after_the_timeout(void) {
  mk_server t;
  CHECK_INT(start_with(&t, "--ask-timeout-ms", "150", NULL), 0);
  mk_sess s;
  mk_resp r;
  mk_init(&s, &t, "2025-11-25", "{\"sampling\":{}}", 1);
  mk_post_for(&s, CALL("\"q\"", "ask_client", "{}"), &r, NULL, 3000);
  CHECK(r.curl_rc == CURLE_OK); /* the stream ended on its own */
  CHECK(body_has(&r, "sampling/createMessage"));
  CHECK(body_has(&r, "\"method\":\"notifications/cancelled\""));
  CHECK(body_has(&r, "\"requestId\":\"srv-1\""));
  char buf[64];
  CHECK_STR(reply_json(&r, "result.isError", buf, sizeof buf), "true");
  mk_resp_free(&r);
  CHECK_INT(mk_stop(&t), 0);
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  mock_bin = argv[1];
  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (start_with(&srv, NULL, NULL, NULL)) {
    fprintf(stderr, "cannot start %s\n", mock_bin);
    return 1;
  }
  server_starts_prints_listening_and_exits_cleanly();
  options_help_lists_and_usage_errors();
  initialize_issues_distinct_random_visible_session_ids();
  initialize_echoes_supported_versions_and_counters_others();
  initialize_without_protocol_version_gets_invalid_params();
  initialize_result_has_capabilities_and_server_info();
  ping_answers_empty_object_before_and_after_initialized();
  session_header_missing_is_400_unknown_is_404();
  session_header_name_is_case_insensitive();
  delete_ends_session_then_404();
  notifications_and_responses_get_202_with_empty_body();
  sse_reply_has_stream_headers_priming_and_retry_on_2025_11_25();
  no_priming_event_before_2025_11_25();
  json_reply_mode_answers_application_json_with_same_id();
  version_header_bad_is_400_absent_is_fine();
  foreign_origin_and_host_get_403_local_ones_pass();
  batches_only_on_2025_03_26();
  jsonrpc_errors_have_the_right_codes_and_ids();
  ids_echo_with_type_and_digits_kept();
  accept_and_content_type_are_checked();
  tools_list_and_simple_tools();
  slow_sends_increasing_progress_then_the_result();
  cancelled_slow_call_ends_without_response();
  get_stream_is_single_and_carries_list_changed_only();
  no_get_stream_option_answers_405();
  post_stream_resumes_by_get_with_last_event_id();
  get_stream_resume_replays_only_its_own_later_events();
  ask_client_round_trips_through_the_client();
  idle_sessions_expire_after_ttl();
  idle_streams_get_heartbeat_comments();
  legacy_endpoint_first_then_responses_as_message_events();
  wire_variants_frame_differently_and_decode_the_same();
  all_wire_variants_at_once_still_decode();
  conformance_fixtures_answer_as_the_official_suite_expects();
  reconnection_fixture_closes_early_and_resumes_by_get();
  max_version_caps_negotiation_and_the_version_header();
  poll_close_ends_post_streams_after_priming();
  tools_page_size_pages_tools_list_with_cursors();
  unanswered_server_request_is_cancelled_after_the_timeout();
  CHECK_INT(mk_stop(&srv), 0);
  mk_cleanup();
  curl_global_cleanup();
  return CHECK_DONE("mock_behaviour_test");
}
