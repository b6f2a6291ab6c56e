/* client/modern: the 2026-07-28 stateless revision: no handshake, the
 * request metadata in params._meta and the standard headers on every POST. */
#include <stdio.h>
#include <string.h>

#include "codec/jsonrpc.h"
#include "scenarios/judge.h"
#include "scenarios/tables.h"

#define SPEC_2607 "https://modelcontextprotocol.io/specification/2026-07-28/"
#define META "params._meta[\"io.modelcontextprotocol/"

/* Each POSTed request (not a notification). */
static int is_request(const stage_request *r, char *method, size_t len) {
  return !strcmp(r->method, "POST") && *sc_method(r, method, len) &&
         sc_body_type(r, "id") != JSONRPC_T_ABSENT;
}

static void check_meta(scenario_ctx *x) {
  char m[64], v[64];
  size_t n = 0;
  int info = 1;
  for (size_t i = 0; i < x->log->n; i++) {
    const stage_request *r = &x->log->req[i];
    if (!is_request(r, m, sizeof m))
      continue;
    n++;
    if (!strcmp(m, "initialize")) {
      sc_broken(x, LEVEL_MUST, "no initialize in the stateless revision (S26-META-01)",
                "request #%zu is initialize", i + 1);
      return;
    }
    v[0] = 0;
    if (!sc_body_string(r, META "protocolVersion\"]", v, sizeof v) || strcmp(v, "2026-07-28")) {
      sc_broken(x, LEVEL_MUST, "params._meta io.modelcontextprotocol/protocolVersion "
                "\"2026-07-28\" on every request (S26-META-02)",
                "request #%zu (%s) has %s", i + 1, m, *v ? v : "none");
      return;
    }
    if (sc_body_type(r, META "clientCapabilities\"]") != JSONRPC_T_OBJECT) {
      sc_broken(x, LEVEL_MUST, "params._meta io.modelcontextprotocol/clientCapabilities, an "
                "object, on every request (S26-META-03)", "request #%zu (%s) has none", i + 1, m);
      return;
    }
    if (sc_body_type(r, META "clientInfo\"]") != JSONRPC_T_OBJECT)
      info = 0;
  }
  if (!info)
    sc_broken(x, LEVEL_SHOULD, "io.modelcontextprotocol/clientInfo on every request "
              "(S26-META-04)", "a request without clientInfo");
  sc_held(x, "%zu requests, each with protocolVersion and clientCapabilities in _meta", n);
}

/* One header equal to want (case-sensitive value, S26-HDR-08). */
static int header_is(scenario_ctx *x, size_t i, const char *name, const char *want,
                     const char *expected) {
  char got[256];
  if (stage_request_header(&x->log->req[i], name, got, sizeof got) && !strcmp(got, want))
    return 1;
  sc_broken(x, LEVEL_MUST, expected, "request #%zu: %s %s (want %s)", i + 1, name,
            stage_request_header(&x->log->req[i], name, got, sizeof got) ? got : "absent", want);
  return 0;
}

static void check_headers(scenario_ctx *x) {
  char m[64], name[128];
  size_t n = 0;
  for (size_t i = 0; i < x->log->n; i++) {
    const stage_request *r = &x->log->req[i];
    if (!is_request(r, m, sizeof m))
      continue;
    n++;
    if (!header_is(x, i, "MCP-Protocol-Version", "2026-07-28",
                   "MCP-Protocol-Version: 2026-07-28 on every POST (S26-HDR-01)") ||
        !header_is(x, i, "Mcp-Method", m, "Mcp-Method equal to the body's method (S26-HDR-06)"))
      return;
    if (!strcmp(m, "tools/call") && sc_body_string(r, "params.name", name, sizeof name) &&
        !header_is(x, i, "Mcp-Name", name, "Mcp-Name equal to params.name on tools/call "
                   "(S26-HDR-07)"))
      return;
  }
  sc_held(x, "%zu requests with MCP-Protocol-Version, Mcp-Method (and Mcp-Name on tools/call)", n);
}

#define MODERN_SCRIPT {.transport = STAGE_STATELESS, .revision = "2026-07-28", .sse_replies = 1}

const client_scenario modern_scenarios[] = {
    {.id = "client/modern/request-meta", .section = "client/modern",
     .title = "Every request carries the 2026-07-28 metadata in params._meta",
     .transport = "http", .level = LEVEL_MUST,
     .requirements = SREQS("S26-META-01", "S26-META-02", "S26-META-03", "S26-META-04"),
     .spec_ref = SPEC_2607 "basic/index", .script = MODERN_SCRIPT, .check = check_meta,
     .fault = "no-meta"},
    {.id = "client/modern/headers", .section = "client/modern",
     .title = "Every POST carries MCP-Protocol-Version, Mcp-Method and (tools/call) Mcp-Name",
     .transport = "http", .level = LEVEL_MUST,
     .requirements = SREQS("S26-HDR-01", "S26-HDR-06", "S26-HDR-07"),
     .spec_ref = SPEC_2607 "basic/transports", .script = MODERN_SCRIPT,
     .check = check_headers, .fault = "no-mcp-method"},
};
const size_t modern_nscenarios = sizeof modern_scenarios / sizeof modern_scenarios[0];
