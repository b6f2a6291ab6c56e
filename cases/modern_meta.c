/* modern/meta: the stateless request model: no handshake, the protocol
 * context in every request's params._meta, resultType on every result
 * (2026-07-28 catalog section 1, S26-META). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "mcpwire_limits.h"
#include "verifier/stateless_probe.h"

#define META_REF SPEC_2607 "basic#_meta"

/* The list methods the server's discover capabilities offer, in order. */
static const char *const LISTS[][2] = {
    {"tools", "tools/list"}, {"prompts", "prompts/list"}, {"resources", "resources/list"}};

/* The first list method discover's capabilities offer, or NULL. */
static const char *offered_list(const jsonrpc_msg *disc) {
  for (size_t i = 0; i < sizeof LISTS / sizeof LISTS[0]; i++) {
    char path[64];
    snprintf(path, sizeof path, "result.capabilities.%s", LISTS[i][0]);
    if (jsonrpc_get_type(disc, path) == JSONRPC_T_OBJECT)
      return LISTS[i][1];
  }
  return NULL;
}

/* S26-META-01: with no handshake, a list call as the client's very first
 * request (no initialize, no session) is served; tools/list first, and
 * when the server has no tools (-32601) the first list discover offers. */
static void no_handshake(case_ctx *ctx) {
  stateless_request req = {.id_raw = "1", .method = "tools/list"};
  rpc_failure f = {{0}};
  jsonrpc_msg *m = stateless_probe_call(ctx, &req, NULL, &f);
  long code = 0;
  int no_tools = m && jsonrpc_error_code(m, &code) && code == -32601;
  jsonrpc_free(m);
  if (no_tools) {
    jsonrpc_msg *disc = NULL;
    if (stateless_probe_discover(ctx, &disc))
      return;
    req.method = offered_list(disc);
    jsonrpc_free(disc);
    if (!req.method || !strcmp(req.method, "tools/list")) {
      ctx_skip(ctx, "tools/list is unknown (-32601) and discover declares no prompts or "
               "resources: no list to call first");
      return;
    }
    ctx_note(ctx, "tools/list: -32601 (the server has no tools); %s instead", req.method);
  }
  req.id_raw = "2";
  char what[80];
  snprintf(what, sizeof what, "%s with no initialize before it", req.method);
  if (stateless_probe_served(ctx, &req, what, NULL))
    ctx_checked(ctx, "HTTP 200 and a result with no handshake", "HTTP 200 and a result");
}

/* S26-META-05: a request without _meta, without protocolVersion or
 * without clientCapabilities gets 400 and -32602 (the id echoed). */
static void missing_meta_400(case_ctx *ctx) {
  struct { const char *what; stateless_request req; long also; } probes[] = {
      {"server/discover without params._meta",
       {.id_raw = "11", .method = "server/discover", .omit_meta = 1}, 0},
      /* Y-05: with the header present, -32020 is a reading too. */
      {"server/discover without _meta protocolVersion",
       {.id_raw = "12", .method = "server/discover", .meta_version = STATELESS_OMIT}, -32020},
      {"server/discover without _meta clientCapabilities",
       {.id_raw = "13", .method = "server/discover", .meta_capabilities = STATELESS_OMIT}, 0},
  };
  for (size_t i = 0; i < sizeof probes / sizeof probes[0] && !ctx->decided; i++) {
    stateless_refusal want = {.status = 400, .code = -32602, .also = probes[i].also};
    stateless_probe_refused(ctx, &probes[i].req, &want, probes[i].what);
  }
  if (!ctx->decided)
    ctx_checked(ctx, "HTTP 400 and -32602 with the id, three times", "as required");
}

/* S26-META-06: clientInfo is optional: a discover without it is served. */
static void client_info_optional(case_ctx *ctx) {
  stateless_request req = {.id_raw = "21", .method = "server/discover",
                           .meta_client_info = STATELESS_OMIT};
  if (stateless_probe_served(ctx, &req, "server/discover without _meta clientInfo", NULL))
    ctx_checked(ctx, "HTTP 200 and a result", "HTTP 200 and a result");
}

/* One result's resultType (S26-META-16): 1 when it is "complete". */
static int result_type_complete(case_ctx *ctx, const jsonrpc_msg *m, const char *method) {
  const char *rt = jsonrpc_get_string(m, "result.resultType");
  if (rt && !strcmp(rt, "complete"))
    return 1;
  char got[80];
  snprintf(got, sizeof got, "%s: resultType %.40s", method, rt ? rt : "absent");
  ctx_violation(ctx, "resultType \"complete\" on every complete result", got,
                "the %s result has %s", method, rt ? "another resultType" : "no resultType");
  return 0;
}

/* S26-META-16: every result carries resultType ("complete" for these). */
static void result_type_on_results(case_ctx *ctx) {
  jsonrpc_msg *disc = NULL;
  if (stateless_probe_discover(ctx, &disc))
    return;
  size_t judged = 0;
  if (result_type_complete(ctx, disc, "server/discover"))
    judged++;
  for (size_t i = 0; i < sizeof LISTS / sizeof LISTS[0] && !ctx->decided; i++) {
    char path[64];
    snprintf(path, sizeof path, "result.capabilities.%s", LISTS[i][0]);
    if (jsonrpc_get_type(disc, path) != JSONRPC_T_OBJECT)
      continue;
    stateless_request req = {.id_raw = "31", .method = LISTS[i][1]};
    jsonrpc_msg *m = NULL;
    if (stateless_probe_served(ctx, &req, LISTS[i][1], &m) &&
        result_type_complete(ctx, m, LISTS[i][1]))
      judged++;
    jsonrpc_free(m);
  }
  jsonrpc_free(disc);
  if (!ctx->decided) {
    char got[80];
    snprintf(got, sizeof got, "resultType \"complete\" on %zu results", judged);
    ctx_checked(ctx, "resultType on every result", got);
  }
}

/* S26-META-15: a request whose _meta also holds a custom key and W3C
 * trace context (exempt from the prefix rule) is served unchanged. */
static void extra_meta_served(case_ctx *ctx) {
  stateless_request req = {.id_raw = "51", .method = "server/discover",
                           .meta_extra = "\"com.example/mcpwire\":1,\"traceparent\":"
                                         "\"00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01\""};
  if (stateless_probe_served(ctx, &req, "server/discover with com.example/mcpwire and "
                             "traceparent in _meta", NULL))
    ctx_checked(ctx, "HTTP 200 and a result", "HTTP 200 and a result");
}

/* Messages of one call's reply until its response: how many were
 * notifications/message; -1 with an error verdict when no response came. */
static int log_messages(case_ctx *ctx, const stateless_request *req) {
  http_stream *s = stateless_post(ctx->client, ctx->cfg->url, req);
  int logs = 0;
  for (int i = 0; i < MCPWIRE_STREAM_EVENTS_MAX; i++) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
    if (!m) {
      ctx_error(ctx, "%s: no response: %s", req->name, f.why);
      return -1;
    }
    const char *method = jsonrpc_method(m);
    logs += method && !strcmp(method, "notifications/message");
    jsonrpc_kind k = jsonrpc_kind_of(m);
    jsonrpc_free(m);
    if (k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE)
      return logs;
  }
  return logs;
}

/* S26-META-14: without _meta logLevel a call sends no notifications/
 * message; with logLevel "debug" the same call may (shown: the tool
 * logs at all, so its silence meant something). */
static void no_log_without_level(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_LOGGING, &sf))
    return;
  stateless_request req = stateless_fixture_call(&sf, "41");
  int quiet = log_messages(ctx, &req);
  if (quiet < 0)
    return;
  req.id_raw = "42";
  req.meta_extra = "\"io.modelcontextprotocol/logLevel\":\"debug\"";
  int loud = log_messages(ctx, &req);
  char got[96];
  snprintf(got, sizeof got, "%d log messages without logLevel, %d with debug", quiet, loud);
  if (quiet > 0)
    ctx_violation(ctx, "no notifications/message without _meta logLevel", got,
                  "the call sent %d log messages though it asked for none", quiet);
  else if (loud > 0)
    ctx_checked(ctx, "no notifications/message without _meta logLevel", got);
  else if (loud == 0)
    ctx_skip(ctx, "%s sent no log message even with logLevel debug: its silence without one "
             "proves nothing", sf.fx.tool);
}

/* 1 when m asks the client for input (an InputRequiredResult). */
static int asks_for_input(const jsonrpc_msg *m) {
  const char *rt = jsonrpc_get_string(m, "result.resultType");
  return (rt && !strcmp(rt, "input_required")) ||
         jsonrpc_get_type(m, "result.inputRequests") != JSONRPC_T_ABSENT;
}

/* S26-META-07: the needs-capability fixture called declaring what it
 * needs, then at once without it (same client, same connections), twice:
 * the second call never asks for input; -32021 or a plain result is fine. */
static void no_capability_carryover(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_NEEDS_CAPABILITY, &sf))
    return;
  if (!sf.fx.capabilities[0]) {
    ctx_skip(ctx, "%s relies on no client capability that could carry over", sf.fx.tool);
    return;
  }
  static const char *const ids[][2] = {{"\"with-1\"", "\"without-1\""},
                                       {"\"with-2\"", "\"without-2\""}};
  for (size_t i = 0; i < 2; i++) {
    stateless_request with = stateless_fixture_call(&sf, ids[i][0]);
    with.meta_capabilities = sf.fx.capabilities;
    rpc_failure f = {{0}};
    jsonrpc_msg *m = stateless_probe_call(ctx, &with, NULL, &f);
    jsonrpc_free(m);
    if (!m) {
      ctx_error(ctx, "%s declaring %s: %s", sf.fx.tool, sf.fx.capabilities, f.why);
      return;
    }
    stateless_request without = stateless_fixture_call(&sf, ids[i][1]);
    m = stateless_probe_call(ctx, &without, NULL, &f);
    if (!m) {
      ctx_error(ctx, "%s declaring nothing: %s", sf.fx.tool, f.why);
      return;
    }
    int asked = asks_for_input(m);
    jsonrpc_free(m);
    if (asked) {
      ctx_violation(ctx, "-32021 or a result that asks for nothing", "an InputRequiredResult",
                    "%s declaring no capability asked for input right after a request that "
                    "declared %s", sf.fx.tool, sf.fx.capabilities);
      return;
    }
  }
  ctx_checked(ctx, "no capability carried over from an earlier request", "as required");
}

/* The names of tools/list's first page, one per line, into out; 0, or -1
 * with a verdict (a skip when the server has no tools). */
static int tool_names(case_ctx *ctx, const char *id_raw, dynbuf *out) {
  stateless_request req = {.id_raw = id_raw, .method = "tools/list"};
  rpc_failure f = {{0}};
  jsonrpc_msg *m = stateless_probe_call(ctx, &req, NULL, &f);
  long code = 0;
  if (!m || jsonrpc_error_code(m, &code)) {
    if (m && code == -32601)
      ctx_skip(ctx, "tools/list: -32601 (no tools to list)");
    else
      ctx_error(ctx, "tools/list: %s", m ? "an error" : f.why);
    jsonrpc_free(m);
    return -1;
  }
  size_t n = jsonrpc_get_count(m, "result.tools");
  for (size_t i = 0; i < n; i++) {
    char path[48];
    snprintf(path, sizeof path, "result.tools[%zu].name", i);
    const char *name = jsonrpc_get_string(m, path);
    dynbuf_printf(out, "%s\n", name ? name : "");
  }
  jsonrpc_free(m);
  return 0;
}

/* 1 when the lines of a and b are the same multiset (order aside). */
static int same_names(const char *a, const char *b) {
  if (strlen(a) != strlen(b))
    return 0;
  for (const char *p = a; *p;) {
    const char *nl = strchr(p, '\n');
    size_t len = (size_t)(nl - p) + 1, in_a = 0, in_b = 0;
    for (const char *q = a; *q; q = strchr(q, '\n') + 1)
      in_a += !strncmp(q, p, len);
    for (const char *q = b; *q; q = strchr(q, '\n') + 1)
      in_b += !strncmp(q, p, len);
    if (in_a != in_b)
      return 0;
    p = nl + 1;
  }
  return 1;
}

/* S26-META-13: tools/list, a server/discover and a tools/list again: the
 * two lists name the same tools (order kept is a SHOULD: a warning). */
static void lists_stable(case_ctx *ctx) {
  dynbuf first, second;
  dynbuf_init(&first, MCPWIRE_JSON_BODY_MAX);
  dynbuf_init(&second, MCPWIRE_JSON_BODY_MAX);
  jsonrpc_msg *disc = NULL;
  if (!tool_names(ctx, "\"list-1\"", &first) && !stateless_probe_discover(ctx, &disc) &&
      !tool_names(ctx, "\"list-2\"", &second)) {
    const char *a = dynbuf_str(&first), *b = dynbuf_str(&second);
    if (!strcmp(a, b))
      ctx_checked(ctx, "the same tools in the same order", "as required");
    else if (same_names(a, b))
      ctx_warn(ctx, "the same tools in the same order", "the same tools, reordered",
               "tools/list gave its tools in another order the second time");
    else
      ctx_violation(ctx, "the same tools both times", "another set of tools",
                    "two tools/list calls a request apart named different tools");
  }
  jsonrpc_free(disc);
  dynbuf_free(&first);
  dynbuf_free(&second);
}

const case_def modern_meta_cases[] = {
    {CASE_ID("modern/meta", "no-handshake"),
     .title = "A list call as the very first request (no initialize) is served",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-META-01"), .spec_ref = SPEC_2607 "basic/versioning",
     .run = no_handshake, .faults = FAULTS("s26-handshake-required")},
    {CASE_ID("modern/meta", "missing-meta-400"),
     .title = "A request without _meta, protocolVersion or clientCapabilities gets 400 and "
              "-32602",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-META-05", "S26-ERR-07", "S26-ERR-06"), .spec_ref = META_REF,
     .run = missing_meta_400, .faults = FAULTS("s26-no-meta-check", "s26-meta-error-200")},
    {CASE_ID("modern/meta", "client-info-optional"),
     .title = "A request whose _meta has no clientInfo is served", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_MUST, .requirements = REQS("S26-META-06"),
     .spec_ref = META_REF, .run = client_info_optional,
     .faults = FAULTS("s26-client-info-required")},
    {CASE_ID("modern/meta", "result-type"),
     .title = "Every result carries resultType", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_MUST, .requirements = REQS("S26-META-16"),
     .spec_ref = SPEC_2607 "basic#resulttype", .run = result_type_on_results,
     .faults = FAULTS("s26-no-result-type")},
    {CASE_ID("modern/meta", "extra-meta-served"),
     .title = "A custom _meta key and traceparent beside the protocol fields are served",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-META-15"), .spec_ref = META_REF, .run = extra_meta_served,
     .faults = FAULTS("reject-unknown-meta")},
    {CASE_ID("modern/meta", "no-log-without-level"),
     .title = "A call without _meta logLevel gets no notifications/message",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-META-14"), .spec_ref = SPEC_2607 "server/utilities/logging",
     .run = no_log_without_level, .fixtures = FX_LOGGING,
     .faults = FAULTS("s26-log-without-level")},
    {CASE_ID("modern/meta", "no-capability-carryover"),
     .title = "A client capability declared by one request does not count for the next",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-META-07"), .spec_ref = META_REF, .run = no_capability_carryover,
     .fixtures = FX_NEEDS_CAPABILITY, .faults = FAULTS("s26-capabilities-remembered")},
    {CASE_ID("modern/meta", "lists-stable"),
     .title = "tools/list names the same tools whatever came before it",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-META-13"), .spec_ref = META_REF, .run = lists_stable,
     .faults = FAULTS("s26-list-varies")},
};
const size_t modern_meta_ncases = NCASES(modern_meta_cases);
