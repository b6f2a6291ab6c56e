/* http/version: the MCP-Protocol-Version header (2025-06-18 and later;
 * spec: basic/transports#protocol-version-header). */
#include <stdio.h>

#include "cases/cases.h"

/* Sends ping with the given header line instead of the negotiated one. */
static http_stream *ping_with_version(case_ctx *ctx, shttp *h, const char *value) {
  const char *sid = h->session_id;
  char session[600], version[200];
  const char *lines[5];
  size_t n = 0;
  lines[n++] = "Content-Type: application/json";
  lines[n++] = "Accept: application/json, text/event-stream";
  if (sid) {
    snprintf(session, sizeof session, "Mcp-Session-Id: %s", sid);
    lines[n++] = session;
  }
  snprintf(version, sizeof version, "MCP-Protocol-Version: %s", value);
  lines[n++] = version;
  lines[n] = NULL;
  static const char body[] = "{\"jsonrpc\":\"2.0\",\"id\":81,\"method\":\"ping\"}";
  http_request req = {"POST", ctx->cfg->url, lines, body, sizeof body - 1};
  return client_start(ctx->client, &req);
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

const case_def http_version_cases[] = {
    {CASE_ID("http/version", "invalid-header-400"),
     .title = "An invalid or unsupported MCP-Protocol-Version gets 400",
     .transport = CASE_HTTP, .revisions = REV_2025_06_18 | REV_2025_11_25,
     .level = LEVEL_MUST, .requirements = REQS("SHTTP-VERSION-04"),
     .spec_ref = SPEC_2511 "basic/transports#protocol-version-header",
     .run = invalid_header_400},
};
const size_t http_version_ncases = NCASES(http_version_cases);
