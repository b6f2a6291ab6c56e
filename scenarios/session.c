/* client/session and client/version: Streamable HTTP sessions (the id
 * echoed byte for byte, 404 leads to a new initialize, DELETE on close)
 * and the protocol version header. */
#include <stdio.h>
#include <string.h>

#include "scenarios/judge.h"
#include "scenarios/tables.h"

/* Visible ASCII (SHTTP-SESSION-03) a careless client may mangle. */
#define SESSION_ID "mcpwire-0A.b_c~D+/="
#define SPEC_SESSION SPEC_TRANSPORTS_2511 "#session-management"
#define SPEC_VERSION SPEC_TRANSPORTS_2511 "#protocol-version-header"

/* Requests from `from` on carry the header `name` once, equal to want;
 * an initialize is left out (a new session starts without it). */
static int all_carry(scenario_ctx *x, size_t from, size_t to, const char *name, const char *want,
                     level lv, const char *expected) {
  char got[256], m[64];
  for (size_t i = from; i < to; i++) {
    const stage_request *r = &x->log->req[i];
    if (!strcmp(sc_method(r, m, sizeof m), "initialize"))
      continue;
    int n = stage_request_header_count(r, name);
    got[0] = 0;
    if (n == 1 && stage_request_header(r, name, got, sizeof got) && !strcmp(got, want))
      continue;
    if (n == 0)
      sc_broken(x, lv, expected, "request #%zu (%s) carried no %s", i + 1, r->method, name);
    else if (n > 1)
      sc_broken(x, lv, expected, "request #%zu (%s) carried %s %d times", i + 1, r->method,
                name, n);
    else
      sc_broken(x, lv, expected, "request #%zu (%s) carried %s: %s", i + 1, r->method, name,
                got);
    return 0;
  }
  return 1;
}

static void check_echo(scenario_ctx *x) {
  long init = sc_find(x, "initialize", 0);
  if (init < 0)
    return; /* the exchange check says the client never got going */
  if (stage_request_header(&x->log->req[init], "Mcp-Session-Id", NULL, 0))
    sc_broken(x, LEVEL_MUST, "initialize carries no session id (none was issued yet)",
              "request #%ld (initialize) carried Mcp-Session-Id", init + 1);
  if (all_carry(x, (size_t)init + 1, x->log->n, "Mcp-Session-Id", SESSION_ID, LEVEL_MUST,
                "every request after initialize carries Mcp-Session-Id: " SESSION_ID
                " byte for byte (SHTTP-SESSION-05)"))
    sc_held(x, "every request after initialize (%zu) with Mcp-Session-Id " SESSION_ID,
            x->log->n - (size_t)init - 1);
}

/* The stage's 404: a POST to the MCP endpoint (not a discovery GET). */
static int expiry(const stage_request *r) {
  return r->status == 404 && !strcmp(r->method, "POST") && !strcmp(r->target, "/mcp");
}

static void check_reinit(scenario_ctx *x) {
  size_t i = 0;
  while (i < x->log->n && !expiry(&x->log->req[i]))
    i++;
  if (i == x->log->n) {
    sc_error(x, "the stage never answered 404 (no tools/call carried the session id)");
    return;
  }
  long again = sc_find(x, "initialize", i + 1);
  size_t next_post = i + 1;
  while (next_post < x->log->n && strcmp(x->log->req[next_post].method, "POST"))
    next_post++;
  if (again < 0 || (size_t)again != next_post) {
    sc_broken(x, LEVEL_MUST, "the POST after a 404 is a new initialize (SHTTP-SESSION-09)",
              "after the 404 of request #%zu: %s", i + 1,
              again < 0 ? "no initialize" : "another request came first");
    return;
  }
  if (stage_request_header(&x->log->req[again], "Mcp-Session-Id", NULL, 0)) {
    sc_broken(x, LEVEL_MUST, "the new initialize carries no session id (SHTTP-SESSION-09)",
              "request #%ld (initialize) still carried Mcp-Session-Id", again + 1);
    return;
  }
  if (all_carry(x, (size_t)again + 1, x->log->n, "Mcp-Session-Id", SESSION_ID "~2", LEVEL_MUST,
                "the new session's id on every later request (SHTTP-SESSION-05)"))
    sc_held(x, "404 on request #%zu, new initialize #%ld without a session id, new id used",
            i + 1, again + 1);
}

static void check_delete(scenario_ctx *x) {
  char got[256];
  for (size_t i = 0; i < x->log->n; i++)
    if (!strcmp(x->log->req[i].method, "DELETE") &&
        stage_request_header(&x->log->req[i], "Mcp-Session-Id", got, sizeof got) &&
        !strcmp(got, SESSION_ID)) {
      sc_held(x, "DELETE with the session id (request #%zu)", i + 1);
      return;
    }
  sc_broken(x, LEVEL_SHOULD, "a DELETE with Mcp-Session-Id when the client is done "
            "(SHTTP-SESSION-10)", "no DELETE of the session (%zu requests)", x->log->n);
}

static void check_version(scenario_ctx *x) {
  long init = sc_find(x, "initialize", 0);
  if (init < 0)
    return;
  for (size_t i = (size_t)init + 1; i < x->log->n; i++) {
    char got[64], m[64];
    if (!strcmp(sc_method(&x->log->req[i], m, sizeof m), "initialize"))
      continue; /* a new session's handshake: no header yet */
    if (!stage_request_header(&x->log->req[i], "MCP-Protocol-Version", got, sizeof got)) {
      sc_broken(x, LEVEL_MUST, "MCP-Protocol-Version on every request after initialize "
                "(SHTTP-VERSION-01)", "request #%zu (%s) carried none", i + 1,
                x->log->req[i].method);
      return;
    }
    if (strcmp(got, x->def->script.revision)) {
      sc_broken(x, LEVEL_SHOULD, "the negotiated version in MCP-Protocol-Version "
                "(SHTTP-VERSION-02)", "request #%zu carried %s, negotiated %s", i + 1, got,
                x->def->script.revision);
      return;
    }
  }
  sc_held(x, "MCP-Protocol-Version: %s on the %zu requests after initialize",
          x->def->script.revision, x->log->n - (size_t)init - 1);
}

#define HTTP_SCRIPT(...) {.transport = STAGE_SHTTP, .revision = "2025-11-25", \
                          .session_id = SESSION_ID, __VA_ARGS__}

const client_scenario session_scenarios[] = {
    {.id = "client/session/id-echo", .section = "client/session",
     .title = "The session id is echoed byte for byte on every later request",
     .transport = "http", .level = LEVEL_MUST, .requirements = SREQS("SHTTP-SESSION-05"),
     .spec_ref = SPEC_SESSION, .script = HTTP_SCRIPT(.sse_replies = 0), .check = check_echo,
     .fault = "session-id-lowercase"},
    {.id = "client/session/expired-404", .section = "client/session",
     .title = "A 404 for the session leads to a new initialize without a session id",
     .transport = "http", .level = LEVEL_MUST,
     .requirements = SREQS("SHTTP-SESSION-09", "SHTTP-SESSION-05"), .spec_ref = SPEC_SESSION,
     .script = HTTP_SCRIPT(.expire_session = 1), .check = check_reinit,
     .fault = "no-reinitialize-on-404"},
    {.id = "client/session/delete-on-close", .section = "client/session",
     .title = "The client ends its session with DELETE", .transport = "http",
     .level = LEVEL_SHOULD, .requirements = SREQS("SHTTP-SESSION-10"), .spec_ref = SPEC_SESSION,
     .script = HTTP_SCRIPT(.sse_replies = 1), .check = check_delete, .fault = "no-delete"},
    {.id = "client/version/header", .section = "client/version",
     .title = "MCP-Protocol-Version carries the negotiated version on every later request",
     .transport = "http", .level = LEVEL_MUST,
     .requirements = SREQS("SHTTP-VERSION-01", "SHTTP-VERSION-02"), .spec_ref = SPEC_VERSION,
     .script = {.transport = STAGE_SHTTP, .revision = "2025-06-18", .session_id = SESSION_ID},
     .check = check_version, .fault = "no-version-header"},
};
const size_t session_nscenarios = sizeof session_scenarios / sizeof session_scenarios[0];
