/* client/lifecycle and client/post: the handshake (initialize first, with
 * its required members, then notifications/initialized) and what every
 * POST carries (Accept with both media types, Content-Type JSON, one
 * message per body). */
#include <string.h>
#include <strings.h>

#include "codec/jsonrpc.h"
#include "scenarios/judge.h"
#include "scenarios/tables.h"

#define SPEC_LIFECYCLE "https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#initialization"

static void check_handshake(scenario_ctx *x) {
  char m[64], v[128];
  long first = -1;
  for (size_t i = 0; i < x->log->n && first < 0; i++)
    if (!strcmp(x->log->req[i].method, "POST"))
      first = (long)i;
  if (first < 0)
    return; /* the exchange check says the client never got going */
  const stage_request *r = &x->log->req[first];
  if (strcmp(sc_method(r, m, sizeof m), "initialize")) {
    sc_broken(x, LEVEL_MUST, "initialize is the first message (LIFE-INIT-02)",
              "the first POST (#%ld) is %s", first + 1, *m ? m : "no request");
    return;
  }
  static const char *const need[] = {"params.protocolVersion", "params.clientInfo.name",
                                     "params.clientInfo.version"};
  for (size_t k = 0; k < 3; k++)
    if (!sc_body_string(r, need[k], v, sizeof v)) {
      sc_broken(x, LEVEL_MUST, "initialize with protocolVersion, capabilities and clientInfo "
                "{name, version} (LIFE-INIT-03)", "initialize has no string %s", need[k]);
      return;
    }
  if (sc_body_type(r, "params.capabilities") != JSONRPC_T_OBJECT) {
    sc_broken(x, LEVEL_MUST, "initialize with a capabilities object (LIFE-INIT-03)",
              "initialize has no capabilities object");
    return;
  }
  long note = sc_find(x, "notifications/initialized", (size_t)first + 1);
  long next = sc_find(x, "tools/list", (size_t)first + 1);
  if (note < 0 || (next >= 0 && next < note)) {
    sc_broken(x, LEVEL_MUST, "notifications/initialized after the initialize result, before "
              "other requests (LIFE-INIT-06)", "%s", note < 0 ? "no notifications/initialized"
                                                             : "tools/list came before it");
    return;
  }
  sc_held(x, "initialize first (#%ld, protocolVersion %s), notifications/initialized #%ld",
          first + 1, v, note + 1);
}

/* A media range of an Accept value (case-insensitive, parameters ignored). */
static int accepts(const char *accept, const char *type) {
  size_t n = strlen(type);
  for (const char *p = accept; *p;) {
    while (*p == ' ' || *p == ',')
      p++;
    if (!strncasecmp(p, type, n) && (p[n] == 0 || p[n] == ',' || p[n] == ';' || p[n] == ' '))
      return 1;
    p += strcspn(p, ",");
  }
  return 0;
}

static void check_post_headers(scenario_ctx *x) {
  char acc[512], ct[256];
  size_t posts = 0;
  for (size_t i = 0; i < x->log->n; i++) {
    const stage_request *r = &x->log->req[i];
    if (strcmp(r->method, "POST"))
      continue;
    posts++;
    acc[0] = ct[0] = 0;
    stage_request_header(r, "Accept", acc, sizeof acc);
    if (!accepts(acc, "application/json") || !accepts(acc, "text/event-stream")) {
      sc_broken(x, LEVEL_MUST, "Accept listing application/json and text/event-stream on every "
                "POST (SHTTP-POST-02)", "POST #%zu: Accept: %s", i + 1, *acc ? acc : "(none)");
      return;
    }
    jsonrpc_msg *m = jsonrpc_parse(r->body ? r->body : "", r->body_len);
    int single = m && jsonrpc_kind_of(m) != JSONRPC_BATCH && jsonrpc_is_json(m);
    jsonrpc_free(m);
    if (!single) {
      sc_broken(x, LEVEL_MUST, "one JSON-RPC message per POST body (SHTTP-POST-03)",
                "POST #%zu: the body is not one JSON object", i + 1);
      return;
    }
    stage_request_header(r, "Content-Type", ct, sizeof ct);
    if (strncasecmp(ct, "application/json", 16)) {
      sc_broken(x, LEVEL_SHOULD, "Content-Type: application/json (SHTTP-POST-18, de facto)",
                "POST #%zu: Content-Type: %s", i + 1, *ct ? ct : "(none)");
      return;
    }
  }
  sc_held(x, "%zu POSTs, each with Accept for both types, Content-Type JSON, one message", posts);
}

#define LIFE_SCRIPT {.transport = STAGE_SHTTP, .revision = "2025-11-25",                     \
                     .session_id = "mcpwire-life-1", .sse_replies = 1}

const client_scenario lifecycle_scenarios[] = {
    {.id = "client/lifecycle/handshake", .section = "client/lifecycle",
     .title = "initialize first, with its required members, then notifications/initialized",
     .transport = "http", .level = LEVEL_MUST,
     .requirements = SREQS("LIFE-INIT-02", "LIFE-INIT-03", "LIFE-INIT-06"),
     .spec_ref = SPEC_LIFECYCLE, .script = LIFE_SCRIPT, .check = check_handshake,
     .fault = "no-initialized"},
    {.id = "client/post/headers", .section = "client/post",
     .title = "Every POST: Accept with both types, Content-Type JSON, one message",
     .transport = "http", .level = LEVEL_MUST,
     .requirements = SREQS("SHTTP-POST-02", "SHTTP-POST-03", "SHTTP-POST-18"),
     .spec_ref = SPEC_TRANSPORTS_2511 "#sending-messages-to-the-server", .script = LIFE_SCRIPT,
     .check = check_post_headers, .fault = "accept-json-only"},
};
const size_t lifecycle_nscenarios = sizeof lifecycle_scenarios / sizeof lifecycle_scenarios[0];
