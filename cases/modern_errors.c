/* modern/errors: HTTP statuses of the stateless era's errors (2026-07-28
 * catalog section 4, S26-ERR): an unknown or removed method is 404 with
 * -32601 and the request's id. */
#include <stdio.h>

#include "cases/cases.h"
#include "verifier/stateless_probe.h"

#define ERRORS_REF SPEC_2607 "basic/transports/streamable-http#error-handling"

/* S26-ERR-08, S26-LEGACY-06: an unknown method and each method this
 * revision removed, sent as valid stateless requests, get 404 and -32601. */
static void unknown_method_404(case_ctx *ctx) {
  static const char *const methods[] = {"mcpwire/no-such-method", "initialize", "ping",
                                        "logging/setLevel", "resources/subscribe",
                                        "resources/unsubscribe"};
  static const stateless_refusal want = {.status = 404, .code = -32601};
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
    char id[32], what[80];
    snprintf(id, sizeof id, "\"unknown-%zu\"", i); /* a string id: its type must come back */
    snprintf(what, sizeof what, "%s as a stateless request", methods[i]);
    stateless_request req = {.id_raw = id, .method = methods[i]};
    if (i == 3)
      req.params = "\"level\":\"info\"";
    else if (i >= 4)
      req.params = "\"uri\":\"mcpwire:///none\"";
    if (!stateless_probe_refused(ctx, &req, &want, what))
      return;
  }
  ctx_checked(ctx, "HTTP 404 and -32601 with the id, six times", "as required");
}

const case_def modern_errors_cases[] = {
    {CASE_ID("modern/errors", "unknown-method-404"),
     .title = "An unknown or removed method gets 404 and -32601 with the request's id",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-ERR-08", "S26-ERR-06", "S26-ERR-07", "S26-LEGACY-06",
                          "S26-COMPAT-14"),
     .spec_ref = ERRORS_REF, .run = unknown_method_404,
     .faults = FAULTS("s26-unknown-method-200", "s26-removed-methods-served")},
};
const size_t modern_errors_ncases = NCASES(modern_errors_cases);
