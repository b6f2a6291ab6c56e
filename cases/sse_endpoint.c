/* sse/endpoint: the legacy transport's endpoint event
 * (spec 2024-11-05: basic/transports#http-with-sse). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/legacy_setup.h"
#include "verifier/exchange.h"

/* SSELEG-02/03: the first event is `endpoint`, its data a URI-reference. */
static void first_event(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (!legacy_connect(&l, ctx_step_deadline(ctx), &f)) {
    char got[300];
    snprintf(got, sizeof got, "endpoint -> %.250s", l.endpoint.url);
    ctx_checked(ctx, "first event 'endpoint' with a URI-reference", got);
    if (!l.endpoint.same_origin)
      ctx_note(ctx, "the endpoint is on another origin than the stream (sse/endpoint/same-origin)");
  } else if (!l.stream || !l.stream->headers_done) {
    exchange_no_status(ctx, l.stream, "the SSE GET");
  } else if (l.stream->status != 200 || !http_stream_is_event_stream(l.stream)) {
    char got[160];
    const char *ct = http_stream_header(l.stream, "Content-Type", NULL);
    snprintf(got, sizeof got, "HTTP %ld %.100s", l.stream->status, ct ? ct : "");
    ctx_violation(ctx, "HTTP 200 text/event-stream", got, "the SSE GET answered %s (%s)", got,
                  f.why);
  } else if (!l.first_type) {
    ctx_violation(ctx, "an 'endpoint' event", "no event", "%s", f.why);
  } else if (strcmp(l.first_type, "endpoint")) {
    ctx_violation(ctx, "first event 'endpoint'", l.first_type, "%s", f.why);
  } else {
    ctx_violation(ctx, "a URI-reference", l.endpoint_raw, "%s", f.why);
  }
  legacy_free(&l);
}

/* SSELEG-07: the POST only acknowledges (2xx, typically 202, no JSON-RPC). */
static void post_202(case_ctx *ctx) {
  legacy l;
  if (legacy_setup_open(ctx, &l)) {
    legacy_free(&l);
    return;
  }
  http_stream *s = legacy_setup_post_initialize(ctx, &l, "1");
  if (exchange_await_status(ctx, s, "POST initialize to the endpoint")) {
    ;
  } else if (http_stream_wait_done(s, ctx_step_deadline(ctx))) {
    ctx_violation(ctx, "HTTP 2xx (202), no JSON-RPC body", "an answer that never ended",
                  "the POST's answer (HTTP %ld) did not end within %.0f ms", s->status,
                  (double)ctx->cfg->step_timeout_ms);
  } else if (s->status < 200 || s->status > 299) {
    char got[32];
    snprintf(got, sizeof got, "HTTP %ld", s->status);
    ctx_violation(ctx, "HTTP 2xx (202)", got, "POST to the endpoint answered HTTP %ld",
                  s->status);
  } else if (rpc_body_has_message(s)) {
    ctx_warn(ctx, "no JSON-RPC in the POST body", "a JSON-RPC message in the body",
             "the POST answered HTTP %ld with a JSON-RPC body; responses belong on the stream",
             s->status);
  } else {
    char got[32];
    snprintf(got, sizeof got, "HTTP %ld, no JSON-RPC body", s->status);
    ctx_checked(ctx, "HTTP 2xx (202), no JSON-RPC body", got);
  }
  legacy_free(&l);
}

/* Copies url with the value of its sessionId parameter replaced; 0 when the
 * URL has such a parameter. */
static int forge_session(const char *url, char *out, size_t len) {
  const char *p = strstr(url, "sessionId=");
  if (!p || (p > url && p[-1] != '?' && p[-1] != '&'))
    return -1;
  p += strlen("sessionId=");
  const char *end = p + strcspn(p, "&#");
  int n = snprintf(out, len, "%.*smcpwire-forged-session%s", (int)(p - url), url, end);
  return n > 0 && (size_t)n < len ? 0 : -1;
}

/* SSELEG-15 (de facto): a POST for an unknown session is rejected. */
static void unknown_session_rejected(case_ctx *ctx) {
  legacy l;
  char forged[2048];
  if (legacy_setup_open(ctx, &l)) {
    legacy_free(&l);
    return;
  }
  if (forge_session(l.endpoint.url, forged, sizeof forged)) {
    ctx_skip(ctx, "the endpoint URL carries no sessionId parameter to forge");
  } else {
    static const char *const lines[] = {"Content-Type: application/json", NULL};
    static const char body[] = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}";
    http_request req = {"POST", forged, lines, body, sizeof body - 1};
    http_stream *s = client_start(ctx->client, &req);
    if (!s) {
      ctx_error(ctx, "could not start the POST with a forged sessionId");
    } else if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
      /* The stream works, so a POST left hanging is behaviour to report. */
      const char *why = http_stream_error(s);
      ctx_warn(ctx, "HTTP 4xx or 5xx", why[0] ? why : "no answer",
               "a POST for a session that does not exist got no status: %s",
               why[0] ? why : "no answer before the step deadline");
    } else {
      char got[32];
      snprintf(got, sizeof got, "HTTP %ld", s->status);
      if (s->status >= 200 && s->status <= 299)
        ctx_violation(ctx, "HTTP 4xx or 5xx", got,
                      "a POST for a session that does not exist was accepted (HTTP %ld)",
                      s->status);
      else
        ctx_checked(ctx, "HTTP 4xx or 5xx", got);
    }
  }
  legacy_free(&l);
}

/* SSELEG-01: the SSE GET is 200 text/event-stream and the advertised POST
 * endpoint accepts initialize with 2xx. */
static void two_endpoints(case_ctx *ctx) {
  legacy l;
  if (legacy_setup_open(ctx, &l)) {
    legacy_free(&l);
    return;
  }
  http_stream *s = legacy_setup_post_initialize(ctx, &l, "1");
  if (exchange_await_status(ctx, s, "POST initialize to the endpoint")) {
    ;
  } else {
    char got[300];
    snprintf(got, sizeof got, "GET HTTP %ld; POST %.200s: HTTP %ld", l.stream->status,
             l.endpoint.url, s->status);
    if (s->status < 200 || s->status > 299)
      ctx_violation(ctx, "GET 200 text/event-stream; POST to the endpoint 2xx", got,
                    "the advertised POST endpoint refused initialize");
    else
      ctx_checked(ctx, "GET 200 text/event-stream; POST to the endpoint 2xx", got);
  }
  legacy_free(&l);
}

/* SSELEG-05 (de facto): clients refuse an endpoint on another origin, so a
 * server should advertise one on the stream's own origin. */
static void same_origin(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (legacy_connect(&l, ctx_step_deadline(ctx), &f)) {
    ctx_error(ctx, "setup: SSE stream: %s", f.why);
  } else {
    char got[300];
    snprintf(got, sizeof got, "%.120s -> %.150s", l.endpoint_raw, l.endpoint.url);
    if (l.endpoint.same_origin)
      ctx_checked(ctx, "an endpoint on the stream's origin", got);
    else
      ctx_warn(ctx, "an endpoint on the stream's origin", got,
               "common clients refuse a cross-origin endpoint%s",
               l.endpoint_foreign ? "; so does mcpwire: no request was sent there" : "");
  }
  legacy_free(&l);
}

#define LEGACY_REF SPEC_2411 "basic/transports#http-with-sse"

const case_def sse_endpoint_cases[] = {
    {CASE_ID("sse/endpoint", "first-event"),
     .title = "The first SSE event is 'endpoint' carrying the POST URI",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_MUST,
     .requirements = REQS("SSELEG-02", "SSELEG-03"), .spec_ref = LEGACY_REF,
     .run = first_event, .faults = FAULTS("no-endpoint-event", "endpoint-not-first"),
     .proof.unbroken_by = FAULTS("endpoint-cross-origin")},
    {CASE_ID("sse/endpoint", "two-endpoints"),
     .title = "The SSE GET streams events and the advertised POST endpoint accepts messages",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_MUST,
     .requirements = REQS("SSELEG-01"), .spec_ref = LEGACY_REF, .run = two_endpoints,
     .faults = FAULTS("endpoint-wrong-path"),
     .proof.unbroken_by = FAULTS("endpoint-cross-origin")},
    {CASE_ID("sse/endpoint", "same-origin"),
     .title = "The endpoint event names a URI on the stream's own origin",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_SHOULD,
     .requirements = REQS("SSELEG-05", "SSELEG-02"), .spec_ref = LEGACY_REF, .run = same_origin,
     .faults = FAULTS("endpoint-cross-origin")},
    {CASE_ID("sse/endpoint", "post-202"),
     .title = "A POST to the endpoint is acknowledged with 2xx and no JSON-RPC body",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_SHOULD,
     .requirements = REQS("SSELEG-07"), .spec_ref = LEGACY_REF, .run = post_202,
     .faults = FAULTS("post-body-json-on-legacy")},
    {CASE_ID("sse/endpoint", "unknown-session-rejected"),
     .title = "A POST for a session that does not exist is rejected",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_INFO,
     .requirements = REQS("SSELEG-15"), .spec_ref = LEGACY_REF,
     .run = unknown_session_rejected, .faults = FAULTS("legacy-accept-unknown-session")},
};
const size_t sse_endpoint_ncases = NCASES(sse_endpoint_cases);
