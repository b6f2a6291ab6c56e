/* modern/errors: HTTP statuses of the stateless era's errors (2026-07-28
 * catalog section 4, S26-ERR): an unknown or removed method is 404 with
 * -32601 and the request's id. */
#include <stdio.h>
#include <string.h>

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

/* Headers of a valid stateless POST for `method` (no body changes). */
#define STATELESS_LINES(method)                                                      \
  {"Content-Type: application/json", "Accept: application/json, text/event-stream", \
   "MCP-Protocol-Version: " STATELESS_REVISION, "Mcp-Method: " method, NULL}

#define META_OBJECT                                                                  \
  "{\"io.modelcontextprotocol/protocolVersion\":\"" STATELESS_REVISION "\","          \
  "\"io.modelcontextprotocol/clientCapabilities\":{}}"

/* POSTs body with lines; the stream once done, or NULL with an error. */
static http_stream *post_raw(case_ctx *ctx, const char *const *lines, const char *body,
                             const char *what) {
  http_request req = {"POST", ctx->cfg->url, lines, body, strlen(body)};
  http_stream *s = client_start(ctx->client, &req);
  if (http_stream_wait_done(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "%s: no whole response: %s", what, s ? http_stream_error(s) : "not sent");
    return NULL;
  }
  return s;
}

/* S26-RPC-05: no batching: an array of one valid request is not served
 * (a 4xx, or a JSON-RPC error; an answer holding a result breaks it). */
static void batch_refused(case_ctx *ctx) {
  static const char *const lines[] = STATELESS_LINES("server/discover");
  static const char body[] = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\","
                             "\"params\":{\"_meta\":" META_OBJECT "}}]";
  http_stream *s = post_raw(ctx, lines, body, "a batch of one server/discover");
  if (!s)
    return;
  const char *text = s->is_sse ? "" : dynbuf_str(&s->body);
  char got[64];
  snprintf(got, sizeof got, "HTTP %ld%s", s->status,
           strstr(text, "\"result\"") ? " with a result" : "");
  if (s->status >= 400 && s->status < 500)
    ctx_checked(ctx, "the batch refused", got);
  else if (s->status == 200 && !strstr(text, "\"result\"") && strstr(text, "\"error\""))
    ctx_checked(ctx, "the batch refused", "HTTP 200 with a JSON-RPC error");
  else
    ctx_violation(ctx, "a 4xx (or a JSON-RPC error): no batching", got,
                  "a batch was served (%s)", got);
}

/* S26-ERR-10: a notification the server accepts gets 202 with no body,
 * one it cannot accept an HTTP error: an unknown-id cancel is 202 or a
 * 4xx (the core defines no client notification on HTTP, S26-POST-08);
 * one with "jsonrpc":"1.0" is a 4xx. */
static void notification_answers(case_ctx *ctx) {
  static const char *const lines[] = STATELESS_LINES("notifications/cancelled");
  static const char cancel[] = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                               "\"params\":{\"requestId\":\"mcpwire-never-sent\",\"_meta\":"
                               META_OBJECT "}}";
  static const char bad[] = "{\"jsonrpc\":\"1.0\",\"method\":\"notifications/cancelled\","
                            "\"params\":{\"requestId\":\"mcpwire-never-sent\",\"_meta\":"
                            META_OBJECT "}}";
  http_stream *s = post_raw(ctx, lines, cancel, "notifications/cancelled for an unknown id");
  if (!s)
    return;
  char got[64];
  snprintf(got, sizeof got, "HTTP %ld, %zu body bytes", s->status, (size_t)s->bytes);
  int accepted = s->status == 202 && !s->bytes;
  if (!accepted && !(s->status >= 400 && s->status < 500)) {
    ctx_violation(ctx, "202 with no body, or a 4xx", got,
                  "notifications/cancelled for an unknown id got %s", got);
    return;
  }
  ctx_note(ctx, "notifications/cancelled for an unknown id: %s (%s)", got,
           accepted ? "accepted" : "refused: no core notification on HTTP");
  if (!(s = post_raw(ctx, lines, bad, "a notification with jsonrpc 1.0")))
    return;
  snprintf(got, sizeof got, "HTTP %ld", s->status);
  if (s->status >= 400 && s->status < 500)
    ctx_checked(ctx, "an unacceptable notification refused with a 4xx", got);
  else
    ctx_violation(ctx, "a 4xx for a notification with jsonrpc 1.0", got,
                  "a notification with jsonrpc 1.0 got %s", got);
}

/* A request whose error code the case judges, and the one reserved code
 * (-32020..-32099) its meaning allows (0: none). */
typedef struct code_probe {
  const char *what;
  stateless_request req;
  long allowed;
} code_probe;

/* The error code of probe p's answer: 1 with *code, 0 when no JSON-RPC
 * error came back (a result, or none: nothing to judge). */
static int probe_code(case_ctx *ctx, const code_probe *p, long *code) {
  rpc_failure f = {{0}};
  jsonrpc_msg *m = stateless_probe_call(ctx, &p->req, NULL, &f);
  int got = m && jsonrpc_error_code(m, code);
  if (!got)
    ctx_note(ctx, "%s: %s", p->what, m ? "no error" : f.why);
  jsonrpc_free(m);
  return got;
}

/* S26-ERR-01, -03: the errors of an unknown method, tool and resource, a
 * header mismatch and an unsupported version carry no code of the spec's
 * band (-32020..-32099) but the one defined for that meaning, and never
 * the retired -32002 or -32042. */
static void defined_codes(case_ctx *ctx) {
  const code_probe probes[] = {
      {"an unknown method", {.id_raw = "\"codes-1\"", .method = "mcpwire/no-such-method"}, 0},
      {"tools/call of an unknown tool",
       {.id_raw = "\"codes-2\"", .method = "tools/call",
        .params = "\"name\":\"mcpwire-no-such-tool\",\"arguments\":{}",
        .name = "mcpwire-no-such-tool"}, 0},
      {"resources/read of an unknown URI",
       {.id_raw = "\"codes-3\"", .method = "resources/read",
        .params = "\"uri\":\"mcpwire://no-such-resource\"", .name = "mcpwire://no-such-resource"},
       0},
      {"server/discover with Mcp-Method: tools/list",
       {.id_raw = "\"codes-4\"", .method = "server/discover", .method_header = "tools/list"},
       -32020},
      {"server/discover at version 1999-01-01",
       {.id_raw = "\"codes-5\"", .method = "server/discover", .version_header = "1999-01-01",
        .meta_version = "\"1999-01-01\""}, -32022},
  };
  char seen[160] = "";
  for (size_t i = 0; i < sizeof probes / sizeof probes[0] && !ctx->decided; i++) {
    long code = 0;
    if (!probe_code(ctx, &probes[i], &code))
      continue;
    size_t n = strlen(seen);
    snprintf(seen + n, sizeof seen - n, "%s%ld", n ? ", " : "", code);
    char got[96];
    snprintf(got, sizeof got, "%s: %ld", probes[i].what, code);
    if (code == -32002 || code == -32042)
      ctx_violation(ctx, "no -32002 or -32042 in 2026-07-28 (-32602 replaces -32002)", got,
                    "%s got the retired code %ld", probes[i].what, code);
    else if (code <= -32020 && code >= -32099 && code != probes[i].allowed)
      ctx_violation(ctx, "-32020..-32099 only as the spec defines them", got,
                    "%s got %ld, a reserved code not defined for that", probes[i].what, code);
  }
  if (!ctx->decided)
    ctx_checked(ctx, "no undefined reserved code, no -32002 or -32042",
                seen[0] ? seen : "no error codes");
}

const case_def modern_errors_cases[] = {
    {CASE_ID("modern/errors", "unknown-method-404"),
     .title = "An unknown or removed method gets 404 and -32601 with the request's id",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-ERR-08", "S26-ERR-06", "S26-ERR-07", "S26-LEGACY-06",
                          "S26-COMPAT-14"),
     .spec_ref = ERRORS_REF, .run = unknown_method_404,
     .faults = FAULTS("s26-unknown-method-200", "s26-removed-methods-served")},
    {CASE_ID("modern/errors", "batch-refused"),
     .title = "A JSON-RPC batch is not served", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_MUST, .requirements = REQS("S26-RPC-05"),
     .spec_ref = SPEC_2607 "basic#messages", .run = batch_refused,
     .faults = FAULTS("accept-batch-after-2503")},
    {CASE_ID("modern/errors", "notification-answers"),
     .title = "A notification gets 202 with no body or a 4xx; an invalid one a 4xx",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-ERR-10", "S26-HDR-13"), .spec_ref = ERRORS_REF,
     .run = notification_answers,
     .faults = FAULTS("notification-not-202", "accept-invalid-notification")},
    {CASE_ID("modern/errors", "defined-codes"),
     .title = "Errors use only the spec's reserved codes for their meaning, never -32002 or -32042",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-ERR-01", "S26-ERR-03"), .spec_ref = ERRORS_REF,
     .run = defined_codes,
     .faults = FAULTS("s26-undefined-error-code", "s26-resource-not-found-32002")},
};
const size_t modern_errors_ncases = NCASES(modern_errors_cases);
