/* http/compat: serving 2024-11-05 clients next to Streamable HTTP
 * (spec 2025-11-25: basic/transports#backwards-compatibility). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/exchange.h"

/* The conventional legacy SSE URL next to the MCP endpoint: the last path
 * segment replaced by "sse" (http://h/mcp -> http://h/sse). */
static int legacy_url_beside(const char *url, char *out, size_t len) {
  const char *scheme_end = strstr(url, "://");
  const char *path = scheme_end ? strchr(scheme_end + 3, '/') : NULL;
  if (!path)
    return -1;
  const char *end = path + strcspn(path, "?#");
  const char *slash = end;
  while (slash > path && slash[-1] != '/')
    slash--;
  int n = snprintf(out, len, "%.*ssse", (int)(slash - url), url);
  return n > 0 && (size_t)n < len && strcmp(out, url) ? 0 : -1;
}

/* SHTTP-COMPAT-01: a server hosting both transports answers the legacy GET
 * with an endpoint event. Not hosting it is a valid choice, recorded. */
static void legacy_endpoint_hosted(case_ctx *ctx) {
  char sse_url[2048];
  if (legacy_url_beside(ctx->cfg->url, sse_url, sizeof sse_url)) {
    ctx_skip(ctx, "no legacy SSE path can be derived from the URL");
    return;
  }
  legacy l;
  legacy_init(&l, ctx->client, sse_url);
  rpc_failure f = {{0}};
  char got[300];
  if (!legacy_connect(&l, ctx_step_deadline(ctx), &f)) {
    snprintf(got, sizeof got, "GET %.100s: endpoint -> %.150s", sse_url, l.endpoint.url);
    ctx_checked(ctx, "a legacy SSE stream whose first event is 'endpoint'", got);
  } else if (!l.stream || !l.stream->headers_done) {
    /* A dropped connection says nothing about what is hosted (ERROR); a
     * path that hangs is the target's (a warning at this INFO level). */
    char what[160];
    snprintf(what, sizeof what, "GET %.100s", sse_url);
    exchange_no_status(ctx, l.stream, what);
  } else if (l.stream->status != 200 || !http_stream_is_event_stream(l.stream)) {
    snprintf(got, sizeof got, "GET %.100s: HTTP %ld, no event stream", sse_url,
             l.stream ? l.stream->status : 0L);
    ctx_checked(ctx, "the legacy transport, if hosted (optional)", got);
    ctx_note(ctx, "no legacy HTTP+SSE transport beside the MCP endpoint (allowed)");
  } else {
    snprintf(got, sizeof got, "first event: %.100s", l.first_type ? l.first_type : "none");
    ctx_violation(ctx, "first event 'endpoint' (SSELEG-02)", got,
                  "the legacy SSE path serves a stream without the endpoint event: %s", f.why);
  }
  legacy_free(&l);
}

const case_def http_compat_cases[] = {
    {CASE_ID("http/compat", "legacy-endpoint-hosted"),
     .title = "A legacy SSE path beside the MCP endpoint, if served, starts with 'endpoint'",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_INFO,
     .requirements = REQS("SHTTP-COMPAT-01", "SSELEG-02"),
     .spec_ref = SPEC_2511 "basic/transports#backwards-compatibility",
     .run = legacy_endpoint_hosted, .faults = FAULTS("no-endpoint-event", "endpoint-not-first")},
};
const size_t http_compat_ncases = NCASES(http_compat_cases);
