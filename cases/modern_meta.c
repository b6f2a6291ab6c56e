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
};
const size_t modern_meta_ncases = NCASES(modern_meta_cases);
