/* modern/security: Origin checks on stateless requests (2026-07-28
 * catalog section 10, S26-SEC). */
#include <stdio.h>

#include "cases/cases.h"
#include "verifier/stateless_probe.h"

#define SECURITY_REF SPEC_2607 "basic/transports/streamable-http#security-warning"

/* S26-SEC-01: a valid stateless request with a foreign Origin gets exactly
 * 403; S26-SEC-02: the same request without Origin is served (every other
 * modern case sends none). */
static void foreign_origin_403(case_ctx *ctx) {
  static const char *const evil[] = {"Origin: http://evil.example", NULL};
  stateless_request req = {.id_raw = "1", .method = "server/discover", .extra = evil};
  http_stream *s = stateless_post(ctx->client, ctx->cfg->url, &req);
  if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "discover with a foreign Origin: no response: %s",
              s ? http_stream_error(s) : "not started");
    return;
  }
  char got[32];
  snprintf(got, sizeof got, "HTTP %ld", s->status);
  if (s->status != 403) {
    ctx_violation(ctx, "HTTP 403", got, "server/discover with Origin: http://evil.example got %s",
                  got);
    return;
  }
  req.id_raw = "2";
  req.extra = NULL;
  if (stateless_probe_served(ctx, &req, "server/discover without Origin", NULL))
    ctx_checked(ctx, "HTTP 403 with a foreign Origin, 200 without one", "as required");
}

const case_def modern_security_cases[] = {
    {CASE_ID("modern/security", "foreign-origin-403"),
     .title = "A stateless request with a foreign Origin gets 403", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-SEC-01", "S26-SEC-02", "S26-ERR-07"), .spec_ref = SECURITY_REF,
     .run = foreign_origin_403, .faults = FAULTS("s26-origin-unchecked")},
};
const size_t modern_security_ncases = NCASES(modern_security_cases);
