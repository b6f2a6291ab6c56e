/* client/endpoint: the legacy HTTP+SSE handshake (2024-11-05): the client
 * POSTs every message to the URL the `endpoint` event names, resolved
 * against the SSE URL by URL rules, query string kept byte for byte. */
#include <string.h>

#include "scenarios/judge.h"
#include "scenarios/tables.h"

#define SPEC_ENDPOINT "https://modelcontextprotocol.io/specification/2024-11-05/basic/transports#http-with-sse"

/* Every POST went to the endpoint, and at least one did. A POST to the
 * SSE URL before the GET is a dual client's probe (SHTTP-COMPAT-03). */
static void check_posts(scenario_ctx *x) {
  size_t posts = 0;
  int got = 0;
  for (size_t i = 0; i < x->log->n; i++) {
    const stage_request *r = &x->log->req[i];
    got |= !strcmp(r->method, "GET");
    if (strcmp(r->method, "POST") || (!got && !strcmp(r->target, "/mcpwire/sse")))
      continue;
    if (strcmp(r->target, STAGE_LEGACY_POST_PATH)) {
      sc_broken(x, LEVEL_MUST, "every POST to " STAGE_LEGACY_POST_PATH " (SSELEG-04)",
                "request #%zu POSTed to %s", i + 1, r->target);
      return;
    }
    posts++;
  }
  if (!posts)
    sc_broken(x, LEVEL_MUST, "the client POSTs to the endpoint it was given (SSELEG-04)",
              "no POST at all (%zu requests)", x->log->n);
  else
    sc_held(x, "%zu POSTs, all to %s", posts, STAGE_LEGACY_POST_PATH);
}

#define ENDPOINT_ROW(name_, title_, ep_, delay_, fault_)                                     \
  {.id = "client/endpoint/" name_, .section = "client/endpoint", .title = title_,            \
   .transport = "sse", .level = LEVEL_MUST,                                                  \
   .requirements = SREQS("SSELEG-02", "SSELEG-04", "SSELEG-05"), .spec_ref = SPEC_ENDPOINT,  \
   .script = {.transport = STAGE_LEGACY, .revision = "2024-11-05", .endpoint = ep_,          \
              .endpoint_delay_ms = delay_},                                                  \
   .check = check_posts, .fault = fault_}

const client_scenario endpoint_scenarios[] = {
    ENDPOINT_ROW("path", "An absolute-path endpoint is used with its query string as sent",
                 EP_PATH, 0, "endpoint-drop-query"),
    ENDPOINT_ROW("absolute-url", "An absolute same-origin endpoint URL is used as it is",
                 EP_URL, 0, "endpoint-url-as-path"),
    ENDPOINT_ROW("relative", "A relative endpoint resolves against the SSE URL (RFC 3986)",
                 EP_RELATIVE, 0, "endpoint-relative-to-root"),
    ENDPOINT_ROW("late", "An endpoint event sent 800 ms late is waited for", EP_PATH, 800,
                 "endpoint-no-wait"),
};
const size_t endpoint_nscenarios = sizeof endpoint_scenarios / sizeof endpoint_scenarios[0];
