/* modern/auth: authorization without sessions (2026-07-28 catalog section
 * 10, S26-SEC-04): every stateless request is authenticated on its own.
 * The cases skip unless the run was given --header 'Authorization: ...'. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/credentials.h"
#include "verifier/stateless_probe.h"

#define AUTH_REF SPEC_2607 "basic/authorization"


/* A stateless discover from c (with `extra` header lines) answered 401
 * with a WWW-Authenticate challenge; 1 when so. */
static int challenged(case_ctx *ctx, client *c, const char *const *extra, const char *what) {
  stateless_request req = {.id_raw = "1", .method = "server/discover", .extra = extra};
  http_stream *s = stateless_post(c, ctx->cfg->url, &req);
  if (!verify_status(ctx, s, 401, what))
    return 0;
  if (http_stream_header(s, "WWW-Authenticate", NULL))
    return 1;
  ctx_violation(ctx, "WWW-Authenticate on the 401", "none", "%s: 401 without a challenge", what);
  return 0;
}

/* S26-SEC-04: with no session to lean on, the very first request without
 * credentials, and one with a token never issued, get 401 and a challenge;
 * the run's own credentials are served. */
static void every_request_authenticated(case_ctx *ctx) {
  static const char *const bogus[] = {"Authorization: Bearer mcpwire-bogus-token-0", NULL};
  transport_options opt;
  client *c;
  if (!credentials_required(ctx) || !(c = credentials_client_without(ctx, &opt)))
    return;
  if (challenged(ctx, c, NULL, "server/discover without credentials") &&
      challenged(ctx, c, bogus, "server/discover with a bogus bearer token")) {
    stateless_request req = {.id_raw = "2", .method = "server/discover"};
    if (stateless_probe_served(ctx, &req, "server/discover with the run's credentials", NULL))
      ctx_checked(ctx, "401 with a challenge twice; served with the credentials", "as required");
  }
  client_free(c);
}

const case_def modern_auth_cases[] = {
    {CASE_ID("modern/auth", "every-request-authenticated"),
     .title = "A stateless request without valid credentials gets 401 with WWW-Authenticate",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-SEC-04"), .spec_ref = AUTH_REF, .run = every_request_authenticated,
     .faults = FAULTS("auth-any-token", "auth-no-challenge"), .proof.credentials = CRED_BEARER},
};
const size_t modern_auth_ncases = NCASES(modern_auth_cases);
