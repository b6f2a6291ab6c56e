/* modern/legacy: session-era traffic at a 2026-07-28 server (2026-07-28
 * catalog section 8, S26-LEGACY, and S26-COMPAT-12): no GET stream, no
 * DELETE, session ids and Last-Event-ID ignored, initialize answered with
 * the versions it speaks. A server that serves the session era too (dual
 * era) keeps that era's GET, DELETE and initialize (Y-16): those cases skip. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/stateless_probe.h"

#define LEGACY_REF SPEC_2607 "basic/transports/streamable-http#backward-compatibility"

#define ANY_DUAL (DUAL_ERA_LISTED | DUAL_ERA_SERVED)

/* 1 (with a skip) when the server serves the session era on this URL
 * (which of DUAL_ERA_LISTED, DUAL_ERA_SERVED count: `bits`). */
static int dual_era_exempt(case_ctx *ctx, int bits) {
  if (!(ctx->cfg->dual_era & bits))
    return 0;
  ctx_skip(ctx, "the server serves the session era on this URL too (dual era): GET, DELETE "
           "and initialize may serve that era (Y-16)");
  return 1;
}

/* Sends a bodiless request with `lines` and wants 405; 1 when so. */
static int method_405(case_ctx *ctx, const char *method, const char *const *lines,
                      const char *what) {
  http_request req = {method, ctx->cfg->url, lines, NULL, 0};
  http_stream *s = client_start(ctx->client, &req);
  if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "%s: no response: %s", what, s ? http_stream_error(s) : "not started");
    return 0;
  }
  long status = s->status;
  http_stream_close(s); /* a 200 event stream would stay open */
  char got[32];
  snprintf(got, sizeof got, "HTTP %ld", status);
  if (status == 405) {
    ctx_note(ctx, "%s: HTTP 405", what);
    return 1;
  }
  ctx_violation(ctx, "HTTP 405", got, "%s: %s", what, got);
  return 0;
}

/* S26-LEGACY-01: GET at a 2026-07-28-only endpoint is 405, with and
 * without Last-Event-ID. */
static void get_405(case_ctx *ctx) {
  static const char *const plain[] = {"Accept: text/event-stream", NULL};
  static const char *const resume[] = {"Accept: text/event-stream", "Last-Event-ID: 1", NULL};
  if (!dual_era_exempt(ctx, ANY_DUAL) &&
      method_405(ctx, "GET", plain, "GET (Accept: text/event-stream)") &&
      method_405(ctx, "GET", resume, "GET with Last-Event-ID: 1"))
    ctx_checked(ctx, "HTTP 405 twice", "HTTP 405 twice");
}

/* S26-LEGACY-02: DELETE is 405, with and without Mcp-Session-Id. */
static void delete_405(case_ctx *ctx) {
  static const char *const plain[] = {NULL};
  static const char *const sid[] = {"Mcp-Session-Id: mcpwire-no-such-session", NULL};
  if (!dual_era_exempt(ctx, ANY_DUAL) && method_405(ctx, "DELETE", plain, "DELETE") &&
      method_405(ctx, "DELETE", sid, "DELETE with Mcp-Session-Id"))
    ctx_checked(ctx, "HTTP 405 twice", "HTTP 405 twice");
}

/* S26-LEGACY-03: a stateless request naming a session is served as any
 * other, and no session id comes back. */
static void session_header_ignored(case_ctx *ctx) {
  static const char *const sid[] = {"Mcp-Session-Id: mcpwire-no-such-session", NULL};
  stateless_request req = {.id_raw = "1", .method = "server/discover", .extra = sid};
  rpc_failure f = {{0}};
  http_stream *s = NULL;
  jsonrpc_msg *m = stateless_probe_call(ctx, &req, &s, &f);
  const char *issued = s ? http_stream_header(s, "Mcp-Session-Id", NULL) : NULL;
  char got[120];
  snprintf(got, sizeof got, "HTTP %ld%s", s ? s->status : 0L,
           issued ? ", an Mcp-Session-Id in the response" : "");
  if (s && s->status && s->status != 200)
    ctx_violation(ctx, "HTTP 200 and a result, no Mcp-Session-Id", got,
                  "server/discover with Mcp-Session-Id: %s", got);
  else if (verify_success_response(ctx, m, &f, "server/discover with Mcp-Session-Id") && issued)
    ctx_violation(ctx, "no Mcp-Session-Id in the response", got,
                  "a stateless response carries a session id");
  else if (!ctx->decided)
    ctx_checked(ctx, "HTTP 200 and a result, no Mcp-Session-Id", got);
  jsonrpc_free(m);
}

/* S26-LEGACY-04: Last-Event-ID on a POST is ignored: a fresh request. */
static void last_event_id_ignored(case_ctx *ctx) {
  static const char *const resume[] = {"Last-Event-ID: 1", NULL};
  stateless_request req = {.id_raw = "2", .method = "server/discover", .extra = resume};
  if (stateless_probe_served(ctx, &req, "server/discover with Last-Event-ID: 1", NULL))
    ctx_checked(ctx, "HTTP 200 and a result", "HTTP 200 and a result");
}

/* S26-COMPAT-12, S26-COMPAT-13: a 2025-style initialize (no modern
 * headers, no _meta) at a 2026-07-28-only server gets a 4xx whose body
 * names the revision it speaks (e.g. -32022 with data.supported). */
static void initialize_names_versions(case_ctx *ctx) {
  /* Exempt when discover lists a session-era revision; a server that
   * lists only 2026-07-28 yet serves initialize is judged (its discover
   * or its initialize misleads a legacy client). */
  if (dual_era_exempt(ctx, DUAL_ERA_LISTED))
    return;
  char body[1200];
  shttp_initialize_request(body, sizeof body, "1", "2025-11-25");
  http_stream *s = shttp_request(ctx->client, ctx->cfg->url, NULL, "POST", body, NULL, 0);
  if (http_stream_wait_done(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "initialize: no whole response: %s", s ? http_stream_error(s) : "not started");
    return;
  }
  const char *text = s->is_sse ? "" : dynbuf_str(&s->body);
  char got[120];
  snprintf(got, sizeof got, "HTTP %ld%s", s->status,
           strstr(text, STATELESS_REVISION) ? ", body names " STATELESS_REVISION : "");
  static const char want[] = "a 4xx whose body names 2026-07-28";
  if (s->status < 400 || s->status > 499)
    ctx_violation(ctx, want, got, "a 2025-style initialize got %s although discover lists only "
                  "stateless revisions (supportedVersions should name the session-era ones it "
                  "serves, or initialize be refused naming %s)", got, STATELESS_REVISION);
  else if (!strstr(text, STATELESS_REVISION))
    ctx_violation(ctx, want, got, "the refusal of initialize does not name %s (a legacy "
                  "client's only hint)", STATELESS_REVISION);
  else
    ctx_checked(ctx, want, got);
}

const case_def modern_legacy_cases[] = {
    {CASE_ID("modern/legacy", "get-405"),
     .title = "GET at a 2026-07-28-only endpoint gets 405", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-LEGACY-01", "S26-COMPAT-13"), .spec_ref = LEGACY_REF,
     .run = get_405, .faults = FAULTS("s26-get-200")},
    {CASE_ID("modern/legacy", "delete-405"),
     .title = "DELETE at a 2026-07-28-only endpoint gets 405", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_SHOULD, .requirements = REQS("S26-LEGACY-02"),
     .spec_ref = LEGACY_REF, .run = delete_405, .faults = FAULTS("s26-delete-200")},
    {CASE_ID("modern/legacy", "session-header-ignored"),
     .title = "Mcp-Session-Id on a stateless request is ignored, and none is issued",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-LEGACY-03"), .spec_ref = LEGACY_REF,
     .run = session_header_ignored, .faults = FAULTS("s26-session-header-honoured")},
    {CASE_ID("modern/legacy", "last-event-id-ignored"),
     .title = "Last-Event-ID on a POST is ignored: the request is served fresh",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-LEGACY-04"), .spec_ref = LEGACY_REF, .run = last_event_id_ignored,
     .faults = FAULTS("s26-last-event-id-honoured")},
    {CASE_ID("modern/legacy", "initialize-names-versions"),
     .title = "A 2025-style initialize at a 2026-07-28-only server gets a 4xx naming 2026-07-28",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-COMPAT-12", "S26-COMPAT-13"), .spec_ref = LEGACY_REF,
     .run = initialize_names_versions, .faults = FAULTS("s26-initialize-accepted-modern-only")},
};
const size_t modern_legacy_ncases = NCASES(modern_legacy_cases);
