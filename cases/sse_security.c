/* sse/security: what the legacy endpoints refuse
 * (spec 2024-11-05: basic/transports#security-warning). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/exchange.h"
#include "verifier/legacy_setup.h"

#define SECURITY_REF SPEC_2411 "basic/transports#security-warning"
#define LEGACY_REF SPEC_2411 "basic/transports#http-with-sse"
#define FOREIGN_ORIGIN "Origin: http://evil.example"

/* Judges a status that must be a refusal: any 4xx passes (no code pinned
 * for 2024-11-05), a 2xx is the violation, anything else is noted. */
static void judge_refusal(case_ctx *ctx, http_stream *s, const char *what, const char *want) {
  if (exchange_await_status(ctx, s, what))
    return;
  char got[32];
  snprintf(got, sizeof got, "HTTP %ld", s->status);
  if (s->status >= 400 && s->status <= 499)
    ctx_checked(ctx, want, got);
  else
    ctx_violation(ctx, want, got, "%s was answered HTTP %ld", what, s->status);
}

/* SSELEG-10: the SSE GET with a foreign Origin is refused. */
static void origin_get(case_ctx *ctx) {
  static const char *const lines[] = {"Accept: text/event-stream", FOREIGN_ORIGIN, NULL};
  http_request req = {"GET", ctx->cfg->url, lines, NULL, 0};
  http_stream *s = client_start(ctx->client, &req);
  judge_refusal(ctx, s, "a GET with Origin http://evil.example", "HTTP 4xx (403 preferred)");
}

/* POSTs body to a live session's endpoint with the given headers. */
static http_stream *post_to_session(case_ctx *ctx, legacy *l, const char *const *lines,
                                    const char *body) {
  if (legacy_setup_open(ctx, l))
    return NULL;
  http_request req = {"POST", l->endpoint.url, lines, body, strlen(body)};
  http_stream *s = client_start(ctx->client, &req);
  if (!s)
    ctx_error(ctx, "could not start the POST");
  return s;
}

static const char PING[] = "{\"jsonrpc\":\"2.0\",\"id\":\"sec-1\",\"method\":\"ping\"}";

/* SSELEG-10: a POST with a foreign Origin is refused. */
static void origin_post(case_ctx *ctx) {
  static const char *const lines[] = {"Content-Type: application/json", FOREIGN_ORIGIN, NULL};
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  http_stream *s = post_to_session(ctx, &l, lines, PING);
  if (s)
    judge_refusal(ctx, s, "a POST with Origin http://evil.example", "HTTP 4xx (403 preferred)");
  legacy_free(&l);
}

/* SSELEG-16 (de facto): a body that is not application/json gets 400. */
static void content_type_400(case_ctx *ctx) {
  static const char *const lines[] = {"Content-Type: text/plain", NULL};
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  http_stream *s = post_to_session(ctx, &l, lines, PING);
  if (s)
    judge_refusal(ctx, s, "a POST with Content-Type text/plain", "HTTP 400");
  legacy_free(&l);
}

/* SSELEG-16 (de facto): unparseable JSON gets 400. */
static void malformed_json_400(case_ctx *ctx) {
  static const char *const lines[] = {"Content-Type: application/json", NULL};
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  http_stream *s = post_to_session(ctx, &l, lines, "{\"jsonrpc\":\"2.0\",\"id\":1,");
  if (s)
    judge_refusal(ctx, s, "a POST of unparseable JSON", "HTTP 400");
  legacy_free(&l);
}

const case_def sse_security_cases[] = {
    {CASE_ID("sse/security", "origin-get-rejected"),
     .title = "The SSE GET with a foreign Origin is refused with 4xx",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_MUST,
     .requirements = REQS("SSELEG-10"), .spec_ref = SECURITY_REF, .run = origin_get,
     .faults = FAULTS("no-origin-check")},
    {CASE_ID("sse/security", "origin-post-rejected"),
     .title = "A POST to the endpoint with a foreign Origin is refused with 4xx",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_MUST,
     .requirements = REQS("SSELEG-10"), .spec_ref = SECURITY_REF, .run = origin_post,
     .faults = FAULTS("no-origin-check")},
    {CASE_ID("sse/security", "content-type-400"),
     .title = "A POST whose Content-Type is not application/json is refused",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_INFO,
     .requirements = REQS("SSELEG-16"), .spec_ref = LEGACY_REF, .run = content_type_400,
     .faults = FAULTS("legacy-lenient-post")},
    {CASE_ID("sse/security", "malformed-json-400"),
     .title = "A POST of unparseable JSON is refused",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_INFO,
     .requirements = REQS("SSELEG-16"), .spec_ref = LEGACY_REF, .run = malformed_json_400,
     .faults = FAULTS("legacy-lenient-post")},
};
const size_t sse_security_ncases = NCASES(sse_security_cases);
