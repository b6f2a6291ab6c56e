/* http/auth: the wire-visible part of authorization, for targets that need
 * credentials. Every case skips unless the run was given them with
 * --header 'Authorization: ...' (spec: basic/authorization). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/credentials.h"

static const char PING[] = "{\"jsonrpc\":\"2.0\",\"id\":61,\"method\":\"ping\"}";


/* POSTs body from c with the session (if any) and one extra header line. */
static http_stream *post_from(case_ctx *ctx, client *c, const char *body, const shttp *h,
                              const char *extra) {
  const char *more[] = {extra, NULL};
  return shttp_request(c, ctx->cfg->url, h, "POST", body, more, 0);
}

/* HTTP 401 with a WWW-Authenticate challenge (RFC 9110 requires one on
 * every 401; SHTTP-AUTH-08 points it at the resource metadata). */
static void verify_challenge(case_ctx *ctx, http_stream *s, const char *what) {
  if (!verify_status(ctx, s, 401, what))
    return;
  const char *challenge = http_stream_header(s, "WWW-Authenticate", NULL);
  if (!challenge)
    ctx_violation(ctx, "WWW-Authenticate on the 401", "none", "%s: 401 without a challenge",
                  what);
  else
    ctx_checked(ctx, "HTTP 401 with WWW-Authenticate", challenge);
}

/* SHTTP-AUTH-06/08: no credentials, 401 and a challenge. */
static void missing_token_401(case_ctx *ctx) {
  transport_options opt;
  client *c;
  char body[1200];
  if (!credentials_required(ctx) || !(c = credentials_client_without(ctx, &opt)))
    return;
  shttp_initialize_request(body, sizeof body, "1", ctx->cfg->spec);
  verify_challenge(ctx, post_from(ctx, c, body, NULL, NULL), "initialize without credentials");
  client_free(c);
}

/* SHTTP-AUTH-05: a token the server never issued gets 401. */
static void bogus_token_401(case_ctx *ctx) {
  transport_options opt;
  client *c;
  char body[1200];
  if (!credentials_required(ctx) || !(c = credentials_client_without(ctx, &opt)))
    return;
  shttp_initialize_request(body, sizeof body, "1", ctx->cfg->spec);
  verify_challenge(ctx,
                   post_from(ctx, c, body, NULL, "Authorization: Bearer mcpwire-bogus-token-0"),
                   "initialize with a bogus bearer token");
  client_free(c);
}

/* SHTTP-SESSION-16: a valid session id is no credential. */
static void session_is_not_credential(case_ctx *ctx) {
  transport_options opt;
  client *c;
  shttp h;
  if (!credentials_required(ctx))
    return;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    if (!h.session_id)
      ctx_skip(ctx, "target issued no Mcp-Session-Id");
    else if ((c = credentials_client_without(ctx, &opt))) {
      verify_challenge(ctx, post_from(ctx, c, PING, &h, NULL),
                       "ping with a valid session id and no credentials");
      client_free(c);
    }
  }
  shttp_free(&h);
}

#define AUTH_REF SPEC_2511 "basic/authorization"

const case_def http_auth_cases[] = {
    {CASE_ID("http/auth", "missing-token-401"),
     .title = "A request without credentials gets 401 with WWW-Authenticate",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-AUTH-06", "SHTTP-AUTH-08"), .spec_ref = AUTH_REF,
     .run = missing_token_401, .faults = FAULTS("auth-no-challenge"),
     .proof.credentials = CRED_BEARER},
    {CASE_ID("http/auth", "bogus-token-401"),
     .title = "A bearer token the server never issued gets 401",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-AUTH-05", "SHTTP-AUTH-07"), .spec_ref = AUTH_REF,
     .run = bogus_token_401, .faults = FAULTS("auth-any-token", "auth-no-challenge"),
     .proof.credentials = CRED_BEARER},
    {CASE_ID("http/auth", "session-is-not-credential"),
     .title = "A valid session id without credentials gets 401",
     .transport = CASE_HTTP, .revisions = REV_2025_06_18 | REV_2025_11_25, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-SESSION-16"),
     .spec_ref = SPEC_2511 "basic/security_best_practices#session-hijacking",
     .run = session_is_not_credential,
     .faults = FAULTS("auth-session-is-credential", "auth-no-challenge"),
     .proof.credentials = CRED_BEARER},
};
const size_t http_auth_ncases = NCASES(http_auth_cases);
