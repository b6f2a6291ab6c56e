/* sse/lifecycle: initialize, ping and the JSON-RPC envelope over the legacy
 * HTTP+SSE transport (spec 2024-11-05: basic/lifecycle, basic). Twins of
 * the most important http/lifecycle and http/jsonrpc cases. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/probe.h"

/* POSTs a request with a raw id and awaits its response on the stream. */
static jsonrpc_msg *legacy_call_id(case_ctx *ctx, legacy *l, const char *id_raw,
                                   const char *method, rpc_failure *f) {
  char body[256];
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"%s\"}", id_raw,
           method);
  http_stream *post = legacy_post(l, body);
  if (!post || http_stream_wait_headers(post, ctx_step_deadline(ctx))) {
    snprintf(f->why, sizeof f->why, "the POST to the endpoint got no answer");
    return NULL;
  }
  /* A refused POST puts nothing on the stream: no point waiting for it. */
  if (post->status >= 400) {
    snprintf(f->why, sizeof f->why, "the POST was refused with HTTP %ld", post->status);
    return NULL;
  }
  jsonrpc_msg *m = rpc_await_response(l->stream, id_raw, ctx_step_deadline(ctx), f, NULL);
  if (m)
    probe_verify_envelope(ctx, m, "the response");
  return m;
}

/* LIFE-INIT-04: protocolVersion, capabilities and serverInfo{name,version}. */
static void initialize_result(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (!ctx_legacy_session(ctx, &l)) {
    const char *lacks = probe_init_result_lacks(l.init_result);
    if (lacks)
      ctx_violation(ctx, lacks, "absent or of the wrong type",
                    "InitializeResult lacks a valid %s", lacks);
    ctx_checked(ctx, "protocolVersion, capabilities, serverInfo{name,version}", "all present");
  }
  legacy_free(&l);
}

/* LIFE-PING-01: ping answers {}. */
static void ping_empty_result(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (!ctx_legacy_session(ctx, &l)) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = legacy_call_id(ctx, &l, "\"p1\"", "ping", &f);
    if (!ctx->decided && verify_success_response(ctx, m, &f, "ping")) {
      if (!probe_result_is_empty(m))
        ctx_violation(ctx, "result {}", "another result", "ping's result is not {}");
      else
        ctx_checked(ctx, "result {}", "result {}");
    }
    jsonrpc_free(m);
  }
  legacy_free(&l);
}

/* JSONRPC-08: ids come back with their JSON type and exact text. */
static void id_echo_exact(case_ctx *ctx) {
  static const char *const ids[] = {"\"abc\"", "42", "0", "-7", "\"7\"", "9007199254740993"};
  enum { BEYOND_DOUBLE = 5 }; /* 2^53+1: warn only (I-JSON) */
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (!ctx_legacy_session(ctx, &l)) {
    for (size_t i = 0; i < sizeof ids / sizeof ids[0] && !ctx->decided; i++) {
      rpc_failure f = {{0}};
      jsonrpc_msg *m = legacy_call_id(ctx, &l, ids[i], "ping", &f);
      if (!m && i == BEYOND_DOUBLE &&
          (strstr(f.why, "came instead") || strstr(f.why, "refused")))
        /* Past 2^53 servers parsing ids as doubles round or refuse them
         * (RFC 7493): a warning that says which. */
        ctx_warn(ctx, ids[i], "another id or a refusal", "no response carrying id %s: %s",
                 ids[i], f.why);
      else if (!m && strstr(f.why, "came instead"))
        ctx_violation(ctx, ids[i], "no response with that id", "no response carrying id %s: %s",
                      ids[i], f.why);
      else if (!m)
        ctx_error(ctx, "ping with id %s: %s", ids[i], f.why);
      else if (!ctx->decided && i == BEYOND_DOUBLE) {
        size_t len = 0;
        const char *got = jsonrpc_id_raw(m, &len);
        if (!got || !jsonrpc_id_equal(got, len, ids[i], strlen(ids[i])))
          ctx_warn(ctx, ids[i], "another id", "id %s did not come back exactly (rounded?)",
                   ids[i]);
      } else if (!ctx->decided)
        verify_jsonrpc_id_echo(ctx, m, ids[i]);
      jsonrpc_free(m);
    }
    ctx_checked(ctx, "ids \"abc\" 42 0 -7 \"7\" 2^53+1 echoed", "all echoed with type and text");
  }
  legacy_free(&l);
}

/* JSONRPC-18: an unknown method gets -32601 with the request's id. */
static void unknown_method_32601(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (!ctx_legacy_session(ctx, &l)) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = legacy_call_id(ctx, &l, "\"no-such-3\"", "mcpwire/no-such-method", &f);
    if (!m)
      ctx_error(ctx, "mcpwire/no-such-method: %s", f.why);
    else if (!ctx->decided &&
             probe_verify_error(ctx, m, &f, JSONRPC_METHOD_NOT_FOUND, "an unknown method"))
      verify_jsonrpc_id_echo(ctx, m, "\"no-such-3\"");
    jsonrpc_free(m);
  }
  legacy_free(&l);
}

#define SSE_CASE(name_) CASE_ID("sse/lifecycle", name_), .transport = CASE_SSE, \
  .revisions = REV_2024_11_05

const case_def sse_lifecycle_cases[] = {
    {SSE_CASE("initialize-result"),
     .title = "InitializeResult has protocolVersion, capabilities and serverInfo (legacy)",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-INIT-04"),
     .spec_ref = SPEC_2411 "basic/lifecycle#initialization", .run = initialize_result,
     .faults = FAULTS("init-missing-server-info")},
    {SSE_CASE("ping-empty-result"),
     .title = "ping is answered with an empty result object (legacy)",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-PING-01", "JSONRPC-10"),
     .spec_ref = SPEC_2411 "basic/utilities/ping", .run = ping_empty_result,
     .faults = FAULTS("ping-result-not-empty", "result-not-object")},
    {SSE_CASE("id-echo-exact"),
     .title = "Responses echo the request id with its JSON type and exact text (legacy)",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-08"),
     .spec_ref = SPEC_2411 "basic#responses", .run = id_echo_exact,
     .faults = FAULTS("id-as-number", "id-as-string")},
    {SSE_CASE("unknown-method-32601"),
     .title = "An unknown method gets error -32601 with the request id (legacy)",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-18"),
     .spec_ref = SPEC_2411 "basic#responses", .run = unknown_method_32601,
     .faults = FAULTS("unknown-method-result", "error-code-string", "result-and-error")},
};
const size_t sse_lifecycle_ncases = NCASES(sse_lifecycle_cases);
