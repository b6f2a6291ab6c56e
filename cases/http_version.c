/* http/version: the MCP-Protocol-Version header (2025-06-18 and later;
 * spec: basic/transports#protocol-version-header). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/call.h"

/* Sends ping with the given header line instead of the negotiated one. */
static http_stream *ping_with_version(case_ctx *ctx, shttp *h, const char *value) {
  static const char body[] = "{\"jsonrpc\":\"2.0\",\"id\":81,\"method\":\"ping\"}";
  char version[200];
  const char *more[] = {version, NULL};
  snprintf(version, sizeof version, "MCP-Protocol-Version: %s", value);
  return shttp_request(ctx->client, ctx->cfg->url, h, "POST", body, more, SHTTP_OMIT_VERSION);
}

/* SHTTP-VERSION-04: an invalid or unsupported version header gets 400. */
static void invalid_header_400(case_ctx *ctx) {
  static const char *const bad[] = {"1999-01-01", "garbage"};
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    for (size_t i = 0; i < 2 && !ctx->decided; i++) {
      char what[80];
      snprintf(what, sizeof what, "ping with MCP-Protocol-Version: %s", bad[i]);
      verify_status(ctx, ping_with_version(ctx, &h, bad[i]), 400, what);
    }
    if (!ctx->decided)
      ctx_checked(ctx, "HTTP 400 for 1999-01-01 and garbage", "HTTP 400 both times");
  }
  shttp_free(&h);
}


static const char PING[] = "{\"jsonrpc\":\"2.0\",\"id\":82,\"method\":\"ping\"}";

/* SHTTP-VERSION-03: a request without the header after initialize is
 * processed (the server assumes the negotiated revision or 2025-03-26). */
static void missing_header_processed(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  /* The header on initialize too: allowed, and this case is about later requests. */
  snprintf(h.protocol_version, sizeof h.protocol_version, "%s", ctx->cfg->spec);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s = shttp_post(&h, PING, SHTTP_OMIT_VERSION);
    if (verify_status(ctx, s, 200, "ping without MCP-Protocol-Version")) {
      rpc_failure f = {{0}};
      jsonrpc_msg *m = call_await(ctx, &h, s, "82", &f);
      verify_success_response(ctx, m, &f, "ping without MCP-Protocol-Version");
      jsonrpc_free(m);
    }
  }
  shttp_free(&h);
}

/* SHTTP-VERSION-05: initialize needs no version header. */
static void initialize_without_header(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (!shttp_initialize_only(&h, ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
    ctx_checked(ctx, "HTTP 200 and an InitializeResult", "HTTP 200 and an InitializeResult");
  } else if (h.init_stream && h.init_stream->headers_done && h.init_stream->status != 200) {
    char got[32];
    snprintf(got, sizeof got, "HTTP %ld", h.init_stream->status);
    ctx_violation(ctx, "HTTP 200", got, "initialize without MCP-Protocol-Version refused: %s",
                  f.why);
  } else {
    ctx_error(ctx, "initialize failed: %s", f.why);
  }
  shttp_free(&h);
}

/* SHTTP-VERSION-05: on initialize the body's protocolVersion negotiates,
 * whatever a version header says (a 400 there breaks negotiation, X-01). */
static void initialize_header_disagrees(case_ctx *ctx) {
  const char *spec = ctx->cfg->spec;
  const char *other = strcmp(spec, "2025-06-18") ? "2025-06-18" : "2025-11-25";
  char body[1200], version[80];
  shttp_initialize_request(body, sizeof body, "1", spec);
  snprintf(version, sizeof version, "MCP-Protocol-Version: %s", other);
  const char *lines[] = {"Content-Type: application/json",
                         "Accept: application/json, text/event-stream", version, NULL};
  http_request req = {"POST", ctx->cfg->url, lines, body, strlen(body)};
  http_stream *s = client_start(ctx->client, &req);
  char what[120];
  snprintf(what, sizeof what, "initialize offering %s with MCP-Protocol-Version: %s", spec, other);
  if (!verify_status(ctx, s, 200, what))
    return;
  rpc_failure f = {{0}};
  jsonrpc_msg *m = rpc_await_response(s, "1", ctx_step_deadline(ctx), &f, NULL);
  if (verify_success_response(ctx, m, &f, what)) {
    const char *got = jsonrpc_get_string(m, "result.protocolVersion");
    if (!got || strcmp(got, spec))
      ctx_violation(ctx, spec, got ? got : "(none)",
                    "negotiated %s from the header instead of %s from the body",
                    got ? got : "nothing", spec);
    else
      ctx_checked(ctx, spec, got);
  }
  jsonrpc_free(m);
}

#define VERSION_REF SPEC_2511 "basic/transports#protocol-version-header"

const case_def http_version_cases[] = {
    {CASE_ID("http/version", "invalid-header-400"),
     .title = "An invalid or unsupported MCP-Protocol-Version gets 400",
     .transport = CASE_HTTP, .revisions = REV_2025_06_18 | REV_2025_11_25,
     .level = LEVEL_MUST, .requirements = REQS("SHTTP-VERSION-04"),
     .spec_ref = SPEC_2511 "basic/transports#protocol-version-header",
     .run = invalid_header_400, .faults = FAULTS("accept-bad-version-header")},
    {CASE_ID("http/version", "missing-header-processed"),
     .title = "A request without MCP-Protocol-Version after initialize is processed",
     .transport = CASE_HTTP, .revisions = REV_2025_06_18 | REV_2025_11_25,
     .level = LEVEL_SHOULD, .requirements = REQS("SHTTP-VERSION-03"), .spec_ref = VERSION_REF,
     .run = missing_header_processed,
     .faults = FAULTS("require-version-header"), .proof.spec = REV_2025_11_25},
    {CASE_ID("http/version", "initialize-without-header"),
     .title = "initialize without MCP-Protocol-Version is served",
     .transport = CASE_HTTP, .revisions = REV_2025_06_18 | REV_2025_11_25,
     .level = LEVEL_SHOULD, .requirements = REQS("SHTTP-VERSION-05"), .spec_ref = VERSION_REF,
     .run = initialize_without_header,
     .faults = FAULTS("require-version-header"), .proof.spec = REV_2025_11_25},
    {CASE_ID("http/version", "initialize-header-disagrees"),
     .title = "initialize negotiates from the body when the version header disagrees",
     .transport = CASE_HTTP, .revisions = REV_2025_06_18 | REV_2025_11_25,
     .level = LEVEL_SHOULD, .requirements = REQS("SHTTP-VERSION-05"), .spec_ref = VERSION_REF,
     .run = initialize_header_disagrees, .faults = FAULTS("init-version-mismatch-400")},
};
const size_t http_version_ncases = NCASES(http_version_cases);
