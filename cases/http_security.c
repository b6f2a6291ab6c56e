/* http/security: Origin and Host checks against DNS rebinding
 * (spec: basic/transports#security-warning). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cases/cases.h"
#include "verifier/exchange.h"

#define FOREIGN_ORIGIN "Origin: http://evil.example"

static const char PING[] = "{\"jsonrpc\":\"2.0\",\"id\":71,\"method\":\"ping\"}";

/* Starts `method` (POST carries body) with the session's headers, if any,
 * and up to two extra "Name: value" lines (extra1 first). */
static http_stream *send_with(case_ctx *ctx, shttp *h, const char *method, const char *body,
                              const char *extra1, const char *extra2) {
  const char *more[] = {extra1 ? extra1 : extra2, extra1 ? extra2 : NULL, NULL};
  return shttp_request(ctx->client, ctx->cfg->url, h, method, body, more, 0);
}

static int run_is_2511(case_ctx *ctx) {
  return ctx->cfg->spec && !strcmp(ctx->cfg->spec, "2025-11-25");
}

/* SHTTP-SEC-01/02: a foreign Origin is refused: 403 in 2025-11-25, any
 * 4xx before (X-04: no status given there, acceptance only warns). */
static int verify_origin_refused(case_ctx *ctx, http_stream *s, const char *what) {
  if (exchange_await_status(ctx, s, what))
    return 0;
  char got[32];
  snprintf(got, sizeof got, "HTTP %ld", s->status);
  int refused = s->status >= 400 && s->status < 500;
  if (run_is_2511(ctx) && s->status != 403) {
    ctx_violation(ctx, "HTTP 403", got, "%s answered HTTP %ld", what, s->status);
    return 0;
  }
  if (!refused) {
    ctx_warn(ctx, "HTTP 4xx", got, "%s was served (HTTP %ld): no Origin validation", what,
             s->status);
    return 0;
  }
  ctx_checked(ctx, run_is_2511(ctx) ? "HTTP 403" : "HTTP 4xx", got);
  return 1;
}

static void foreign_origin_post(case_ctx *ctx) {
  char body[1200];
  shttp_initialize_request(body, sizeof body, "1", ctx->cfg->spec);
  verify_origin_refused(ctx, send_with(ctx, NULL, "POST", body, FOREIGN_ORIGIN, NULL),
                        "initialize with Origin: http://evil.example");
}

/* 1 (with a skip) when `method` answers 405 even without Origin: a method
 * the target does not offer has nothing to protect. */
static int method_not_offered(case_ctx *ctx, shttp *h, const char *method, http_stream *foreign) {
  if (!foreign || http_stream_wait_headers(foreign, ctx_step_deadline(ctx)) ||
      foreign->status != 405)
    return 0;
  http_stream *plain = send_with(ctx, h, method, NULL, NULL, NULL);
  if (!plain || http_stream_wait_headers(plain, ctx_step_deadline(ctx)) || plain->status != 405)
    return 0;
  ctx_skip(ctx, "%s answers 405 without Origin too: the method is not offered", method);
  return 1;
}

static void foreign_origin_get(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s = send_with(ctx, &h, "GET", NULL, FOREIGN_ORIGIN, NULL);
    if (!method_not_offered(ctx, &h, "GET", s))
      verify_origin_refused(ctx, s, "GET with Origin: http://evil.example");
  }
  shttp_free(&h);
}

/* A refused DELETE must also leave the session alive. */
static void foreign_origin_delete(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  http_stream *s = NULL;
  if (!ctx_http_session(ctx, &h) &&
      !method_not_offered(ctx, &h, "DELETE",
                          s = send_with(ctx, &h, "DELETE", NULL, FOREIGN_ORIGIN, NULL)) &&
      verify_origin_refused(ctx, s, "DELETE with Origin: http://evil.example") && h.session_id)
    verify_status(ctx, shttp_post(&h, PING, 0), 200, "ping after the refused DELETE");
  /* A foreign DELETE that was served ended the session: no second DELETE. */
  if (s && s->headers_done && s->status >= 200 && s->status < 300)
    h.end_stream = s;
  shttp_free(&h);
}

/* Origins that only look local, or are not origins at all: none may pass
 * an allow-list of local origins (SHOULD: the spec names no parser). */
static void malformed_origin(case_ctx *ctx) {
  static const char *const bad[] = {"Origin: http://localhost.evil.example",
                                    "Origin: http://localhost:evil", "Origin: localhost",
                                    "Origin: null"};
  char body[1200];
  shttp_initialize_request(body, sizeof body, "1", ctx->cfg->spec);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    http_stream *s = send_with(ctx, NULL, "POST", body, bad[i], NULL);
    char what[80];
    snprintf(what, sizeof what, "initialize with %s", bad[i]);
    if (exchange_await_status(ctx, s, what))
      return;
    if (s->status < 400 || s->status > 499) {
      char got[32];
      snprintf(got, sizeof got, "HTTP %ld", s->status);
      ctx_violation(ctx, "HTTP 4xx", got, "initialize with %s was served", bad[i]);
      return;
    }
  }
  ctx_checked(ctx, "HTTP 4xx for 4 malformed or look-alike origins", "HTTP 4xx each time");
}

/* SHTTP-SEC-03: clients outside browsers send no Origin. */
static void absent_origin_accepted(case_ctx *ctx) {
  for (size_t i = 0; i < ctx->cfg->transport.nheaders; i++)
    if (!strncasecmp(ctx->cfg->transport.headers[i], "Origin:", 7)) {
      ctx_skip(ctx, "the run puts an Origin header on every request (--header)");
      return;
    }
  char body[1200];
  shttp_initialize_request(body, sizeof body, "1", ctx->cfg->spec);
  verify_status(ctx, send_with(ctx, NULL, "POST", body, NULL, NULL), 200,
                "initialize without Origin");
}

/* 1 when the URL names a loopback host (where DNS rebinding matters). */
static int url_is_loopback(const char *url) {
  static const char *const local[] = {"://127.0.0.1", "://localhost", "://[::1]"};
  for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
    if (strstr(url, local[i]))
      return 1;
  return 0;
}

/* SHTTP-SEC-06 (de facto): a local server refuses a foreign Host, as a
 * rebound name delivers it (same-origin, so possibly without Origin). */
static void foreign_host_rejected(case_ctx *ctx) {
  if (!url_is_loopback(ctx->cfg->url)) {
    ctx_skip(ctx, "target is not on a loopback address: Host checks are for local servers");
    return;
  }
  char body[1200];
  shttp_initialize_request(body, sizeof body, "1", ctx->cfg->spec);
  http_stream *s = send_with(ctx, NULL, "POST", body, "Host: evil.example", NULL);
  if (exchange_await_status(ctx, s, "initialize with Host: evil.example"))
    return;
  char got[32];
  snprintf(got, sizeof got, "HTTP %ld", s->status);
  if (s->status < 400 || s->status > 499)
    ctx_violation(ctx, "HTTP 4xx", got, "initialize with Host: evil.example was served");
  else
    ctx_checked(ctx, "HTTP 4xx", got);
}

#define SEC_REF SPEC_2511 "basic/transports#security-warning"

const case_def http_security_cases[] = {
    {CASE_ID("http/security", "foreign-origin-post"),
     .title = "POST with a foreign Origin is refused (403 from 2025-11-25)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-SEC-01", "SHTTP-SEC-02"), .spec_ref = SEC_REF,
     .run = foreign_origin_post, .faults = FAULTS("no-origin-check", "origin-wrong-status")},
    {CASE_ID("http/security", "foreign-origin-get"),
     .title = "GET with a foreign Origin is refused (403 from 2025-11-25)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-SEC-01", "SHTTP-SEC-02"), .spec_ref = SEC_REF,
     .run = foreign_origin_get, .faults = FAULTS("no-origin-check", "origin-wrong-status")},
    {CASE_ID("http/security", "foreign-origin-delete"),
     .title = "DELETE with a foreign Origin is refused and the session lives on",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-SEC-01", "SHTTP-SEC-02"), .spec_ref = SEC_REF,
     .run = foreign_origin_delete, .faults = FAULTS("no-origin-check", "origin-wrong-status")},
    {CASE_ID("http/security", "malformed-origin-refused"),
     .title = "Look-alike and malformed Origin values are refused",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-SEC-01"), .spec_ref = SEC_REF, .run = malformed_origin,
     .faults = FAULTS("no-origin-check")},
    {CASE_ID("http/security", "absent-origin-accepted"),
     .title = "A request without Origin is not refused for that",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-SEC-03"), .spec_ref = SEC_REF, .run = absent_origin_accepted,
     .faults = FAULTS("origin-required"), .proof.spec = REV_2025_11_25},
    {CASE_ID("http/security", "foreign-host-refused"),
     .title = "A local server refuses a foreign Host header (DNS rebinding)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-SEC-06"), .spec_ref = SEC_REF, .run = foreign_host_rejected,
     .faults = FAULTS("no-host-check")},
};
const size_t http_security_ncases = NCASES(http_security_cases);
