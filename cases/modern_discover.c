/* modern/discover: server/discover, the one call of the stateless era
 * every server implements (2026-07-28 catalog section 2, S26-DISC). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/stateless_probe.h"

#define DISCOVER_REF SPEC_2607 "server/discover"
#define SERVER_INFO "_meta[\"io.modelcontextprotocol/serverInfo\"]"

/* S26-DISC-01: a valid discover gets 200 and a result. */
static void discover_implemented(case_ctx *ctx) {
  stateless_request req = {.id_raw = "1", .method = "server/discover"};
  if (stateless_probe_served(ctx, &req, "server/discover", NULL))
    ctx_checked(ctx, "HTTP 200 and a DiscoverResult", "HTTP 200 and a result");
}

/* The first member of a DiscoverResult that is missing or of the wrong
 * shape (S26-DISC-03, S26-META-16); NULL when none. */
static const char *discover_result_lacks(const jsonrpc_msg *m) {
  size_t n = jsonrpc_get_count(m, "result.supportedVersions");
  if (jsonrpc_get_type(m, "result.supportedVersions") != JSONRPC_T_ARRAY || !n)
    return "supportedVersions (a non-empty array of strings)";
  int ours = 0;
  for (size_t i = 0; i < n; i++) {
    char at[64];
    snprintf(at, sizeof at, "result.supportedVersions[%zu]", i);
    const char *v = jsonrpc_get_string(m, at);
    if (!v)
      return "supportedVersions (every element a string)";
    ours |= !strcmp(v, STATELESS_REVISION);
  }
  if (!ours)
    return "supportedVersions listing " STATELESS_REVISION " (the probe was served at it)";
  if (jsonrpc_get_type(m, "result.capabilities") != JSONRPC_T_OBJECT)
    return "capabilities (an object)";
  jsonrpc_type it = jsonrpc_get_type(m, "result.instructions");
  if (it != JSONRPC_T_ABSENT && it != JSONRPC_T_STRING)
    return "instructions (a string when present)";
  const char *rt = jsonrpc_get_string(m, "result.resultType");
  if (!rt || strcmp(rt, "complete"))
    return "resultType \"complete\"";
  double ttl = -1;
  if (!jsonrpc_get_number(m, "result.ttlMs", &ttl) || ttl < 0)
    return "ttlMs (a number >= 0)";
  const char *scope = jsonrpc_get_string(m, "result.cacheScope");
  if (!scope || (strcmp(scope, "public") && strcmp(scope, "private")))
    return "cacheScope (\"public\" or \"private\")";
  return NULL;
}

/* S26-DISC-03: the DiscoverResult's members and cache hints. */
static void discover_result_shape(case_ctx *ctx) {
  stateless_request req = {.id_raw = "2", .method = "server/discover"};
  jsonrpc_msg *m = NULL;
  if (!stateless_probe_served(ctx, &req, "server/discover", &m))
    return;
  static const char want[] = "supportedVersions (strings, 2026-07-28 among them), capabilities, "
                             "resultType \"complete\", ttlMs >= 0, cacheScope public|private";
  const char *lacks = discover_result_lacks(m);
  if (lacks)
    ctx_violation(ctx, want, lacks, "the DiscoverResult lacks %s", lacks);
  else
    ctx_checked(ctx, want, "all present");
  jsonrpc_free(m);
}

/* S26-DISC-04, S26-META-09: serverInfo {name, version} in result._meta;
 * a body serverInfo alone is the pre-final drafts' place (Y-13). */
static void server_info_in_meta(case_ctx *ctx) {
  stateless_request req = {.id_raw = "3", .method = "server/discover"};
  jsonrpc_msg *m = NULL;
  if (!stateless_probe_served(ctx, &req, "server/discover", &m))
    return;
  static const char want[] = "result._meta[\"io.modelcontextprotocol/serverInfo\"] with string "
                             "name and version";
  if (jsonrpc_get_string(m, "result." SERVER_INFO ".name") &&
      jsonrpc_get_string(m, "result." SERVER_INFO ".version"))
    ctx_checked(ctx, want, "present");
  else if (jsonrpc_get_type(m, "result.serverInfo") == JSONRPC_T_OBJECT)
    ctx_violation(ctx, want, "result.serverInfo only",
                  "serverInfo is in the result body, where pre-final drafts put it (Y-13); "
                  "2026-07-28 puts it in result._meta");
  else
    ctx_violation(ctx, want, "absent", "the DiscoverResult does not identify the server");
  jsonrpc_free(m);
}

/* Every string of data.supported is in the discover's supportedVersions. */
static int supported_within(const jsonrpc_msg *err, const jsonrpc_msg *disc, char *odd,
                            size_t len) {
  size_t n = jsonrpc_get_count(err, "error.data.supported");
  size_t k = jsonrpc_get_count(disc, "result.supportedVersions");
  for (size_t i = 0; i < n; i++) {
    char at[64];
    snprintf(at, sizeof at, "error.data.supported[%zu]", i);
    const char *v = jsonrpc_get_string(err, at);
    int found = 0;
    for (size_t j = 0; v && j < k && !found; j++) {
      snprintf(at, sizeof at, "result.supportedVersions[%zu]", j);
      const char *w = jsonrpc_get_string(disc, at);
      found = w && !strcmp(v, w);
    }
    if (!found) {
      snprintf(odd, len, "%.60s", v ? v : "(not a string)");
      return 0;
    }
  }
  return 1;
}

/* S26-ERR-09: -32022's data: supported (strings, within supportedVersions,
 * S26-DISC-07) and requested echoing the version asked for. */
static void judge_version_data(case_ctx *ctx, const jsonrpc_msg *err, const char *asked) {
  static const char want[] = "error.data.supported (strings from supportedVersions) and "
                             "error.data.requested = 1900-01-01";
  jsonrpc_msg *disc = NULL;
  char odd[80] = "";
  const char *requested = jsonrpc_get_string(err, "error.data.requested");
  if (jsonrpc_get_type(err, "error.data.supported") != JSONRPC_T_ARRAY)
    ctx_violation(ctx, want, "no data.supported", "-32022 carries no data.supported array");
  else if (!requested || strcmp(requested, asked))
    ctx_violation(ctx, want, requested ? requested : "no data.requested",
                  "-32022's data.requested is %s, not the %s asked for",
                  requested ? requested : "absent", asked);
  else if (!stateless_probe_discover(ctx, &disc) && !supported_within(err, disc, odd, sizeof odd))
    ctx_violation(ctx, want, odd, "data.supported names %s, which discover's supportedVersions "
                  "does not list", odd);
  else if (!ctx->decided)
    ctx_checked(ctx, "HTTP 400, -32022, data.supported and data.requested", "as required");
  jsonrpc_free(disc);
}

/* S26-DISC-07, S26-HDR-04, S26-COMPAT-01: discover at a version the
 * server does not speak (1900-01-01 in header and _meta) gets 400 and
 * -32022 with data.supported and data.requested, not a DiscoverResult. */
static void unsupported_version(case_ctx *ctx) {
  static const char asked[] = "1900-01-01";
  stateless_request req = {.id_raw = "4", .method = "server/discover", .version_header = asked,
                           .meta_version = "\"1900-01-01\""};
  stateless_refusal want = {.status = 400, .code = -32022};
  if (!stateless_probe_refused(ctx, &req, &want, "server/discover at 1900-01-01"))
    return;
  /* The refusal held; read it again for its data. */
  rpc_failure f = {{0}};
  jsonrpc_msg *m = stateless_probe_call(ctx, &req, NULL, &f);
  if (!m)
    ctx_error(ctx, "second server/discover at 1900-01-01: %s", f.why);
  else
    judge_version_data(ctx, m, asked);
  jsonrpc_free(m);
}

/* S26-DISC-06: the declared capabilities match the handlers: each of
 * tools, prompts, resources declared answers its list call; one not
 * declared gets 404 and -32601. */
static void capabilities_match(case_ctx *ctx) {
  static const char *const caps[][2] = {
      {"tools", "tools/list"}, {"prompts", "prompts/list"}, {"resources", "resources/list"}};
  jsonrpc_msg *disc = NULL;
  if (stateless_probe_discover(ctx, &disc))
    return;
  char seen[160] = "";
  for (size_t i = 0; i < 3 && !ctx->decided; i++) {
    char at[64], id[16];
    snprintf(at, sizeof at, "result.capabilities.%s", caps[i][0]);
    snprintf(id, sizeof id, "%zu", 60 + i);
    stateless_request req = {.id_raw = id, .method = caps[i][1]};
    int declared = jsonrpc_get_type(disc, at) == JSONRPC_T_OBJECT;
    static const stateless_refusal unknown = {.status = 404, .code = -32601};
    int ok = declared ? stateless_probe_served(ctx, &req, caps[i][1], NULL)
                      : stateless_probe_refused(ctx, &req, &unknown, caps[i][1]);
    if (ok)
      snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s%s %s", *seen ? ", " : "",
               caps[i][0], declared ? "declared, served" : "not declared, 404");
  }
  jsonrpc_free(disc);
  if (!ctx->decided)
    ctx_checked(ctx, "declared lists served, the others 404 and -32601", seen);
}

/* S26-POST-05: a request is answered as application/json or
 * text/event-stream. */
static void reply_media_type(case_ctx *ctx) {
  stateless_request req = {.id_raw = "5", .method = "server/discover"};
  http_stream *s = stateless_post(ctx->client, ctx->cfg->url, &req);
  if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "server/discover: no response");
    return;
  }
  const char *ct = http_stream_header(s, "Content-Type", NULL);
  if (ct && (http_media_type_is(ct, "application/json") ||
             http_media_type_is(ct, "text/event-stream")))
    ctx_checked(ctx, "application/json or text/event-stream", ct);
  else
    ctx_violation(ctx, "application/json or text/event-stream", ct ? ct : "(none)",
                  "server/discover answered with Content-Type %s", ct ? ct : "(none)");
}

const case_def modern_discover_cases[] = {
    {CASE_ID("modern/discover", "implemented"),
     .title = "server/discover gets 200 and a result", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-DISC-01", "S26-POST-01", "S26-META-01"),
     .spec_ref = DISCOVER_REF, .run = discover_implemented, .faults = FAULTS("s26-no-discover")},
    {CASE_ID("modern/discover", "result-shape"),
     .title = "The DiscoverResult has supportedVersions, capabilities, resultType and cache hints",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-DISC-03", "S26-META-16"), .spec_ref = DISCOVER_REF,
     .run = discover_result_shape, .faults = FAULTS("s26-no-cache-hints", "s26-no-result-type")},
    {CASE_ID("modern/discover", "server-info-in-meta"),
     .title = "The DiscoverResult names the server in _meta io.modelcontextprotocol/serverInfo",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-DISC-04", "S26-META-09"), .spec_ref = DISCOVER_REF,
     .run = server_info_in_meta, .faults = FAULTS("s26-no-server-info")},
    {CASE_ID("modern/discover", "unsupported-version-32022"),
     .title = "server/discover at an unsupported version gets 400, -32022, data.supported and "
              "data.requested",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-DISC-07", "S26-HDR-04", "S26-COMPAT-01", "S26-ERR-09",
                          "S26-ERR-06"),
     .spec_ref = SPEC_2607 "basic/versioning", .run = unsupported_version,
     .faults = FAULTS("s26-any-version", "s26-version-error-shape")},
    {CASE_ID("modern/discover", "capabilities-match-handlers"),
     .title = "Declared tools, prompts and resources are served; the others get 404 and -32601",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-DISC-06", "S26-ERR-08"), .spec_ref = DISCOVER_REF,
     .run = capabilities_match, .faults = FAULTS("s26-declared-list-missing")},
    {CASE_ID("modern/discover", "reply-media-type"),
     .title = "A request is answered as application/json or text/event-stream",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-POST-05"), .spec_ref = SPEC_2607 "basic/transports/streamable-http",
     .run = reply_media_type, .faults = FAULTS("wrong-content-type")},
};
const size_t modern_discover_ncases = NCASES(modern_discover_cases);
