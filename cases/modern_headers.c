/* modern/headers: the headers a 2026-07-28 request mirrors from its body
 * (MCP-Protocol-Version, Mcp-Method, Mcp-Name) and their Base64 sentinel
 * form, checked by the server against the body (2026-07-28 catalog
 * sections 3.1 and 3.2, S26-HDR, S26-B64). Each probe changes one thing. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/stateless_probe.h"

#define HEADERS_REF SPEC_2607 "basic/transports/streamable-http#standard-request-headers"
#define ENCODING_REF SPEC_2607 "basic/transports/streamable-http#value-encoding"

/* A tool name no server has: the server compares Mcp-Name with it before
 * the call is dispatched (an unknown tool is the handler's error later). */
#define NO_TOOL "mcpwire-no-such-tool"
#define NO_TOOL_B64 "bWNwd2lyZS1uby1zdWNoLXRvb2w=" /* Base64 of NO_TOOL */
#define NO_TOOL_PARAMS "\"name\":\"" NO_TOOL "\",\"arguments\":{}"

/* 1 when discover declares tools (tools/call exists to carry Mcp-Name);
 * 0 with a skip; -1 with an error. */
static int tools_declared(case_ctx *ctx) {
  jsonrpc_msg *disc = NULL;
  if (stateless_probe_discover(ctx, &disc))
    return -1;
  int tools = jsonrpc_get_type(disc, "result.capabilities.tools") == JSONRPC_T_OBJECT;
  jsonrpc_free(disc);
  if (!tools)
    ctx_skip(ctx, "discover declares no tools: no tools/call to carry Mcp-Name");
  return tools ? 1 : 0;
}

/* S26-HDR-03: MCP-Protocol-Version and _meta protocolVersion differ: 400
 * and -32020. Each probe also names a version the server does not speak,
 * so -32022 is as right (Y-03: the order of checks is open). */
static void version_mismatch(case_ctx *ctx) {
  static const stateless_refusal want = {.status = 400, .code = -32020, .also = -32022};
  stateless_request a = {.id_raw = "1", .method = "server/discover",
                         .meta_version = "\"1900-01-01\""};
  stateless_request b = {.id_raw = "2", .method = "server/discover",
                         .version_header = "1900-01-01"};
  if (stateless_probe_refused(ctx, &a, &want, "header 2026-07-28, _meta 1900-01-01") &&
      stateless_probe_refused(ctx, &b, &want, "header 1900-01-01, _meta 2026-07-28"))
    ctx_checked(ctx, "HTTP 400 and -32020 (or -32022) both ways", "as required");
}

/* S26-HDR-05: a valid body without MCP-Protocol-Version: 400 and -32020
 * is the consistent answer (an assumed 2025-03-26 disagrees with the
 * body); a 200 skipped the header check (Y-02: a warning). */
static void missing_version_header(case_ctx *ctx) {
  static const stateless_refusal want = {.status = 400, .code = -32020, .code_warns = 1};
  stateless_request req = {.id_raw = "3", .method = "server/discover",
                           .version_header = STATELESS_OMIT};
  if (stateless_probe_refused(ctx, &req, &want, "server/discover without MCP-Protocol-Version"))
    ctx_checked(ctx, "HTTP 400 and -32020", "as required");
}

/* S26-HDR-08: header names are case-insensitive, values case-sensitive. */
static void header_name_case(case_ctx *ctx) {
  static const char *const lower[] = {"mcp-protocol-version: 2026-07-28",
                                      "mcp-method: server/discover", NULL};
  static const char *const upper[] = {"MCP-PROTOCOL-VERSION: 2026-07-28",
                                      "MCP-METHOD: server/discover", NULL};
  stateless_request req = {.id_raw = "4", .method = "server/discover",
                           .version_header = STATELESS_OMIT, .method_header = STATELESS_OMIT,
                           .extra = lower};
  if (!stateless_probe_served(ctx, &req, "header names in lower case", NULL))
    return;
  req.id_raw = "5";
  req.extra = upper;
  if (!stateless_probe_served(ctx, &req, "header names in upper case", NULL))
    return;
  stateless_request value = {.id_raw = "6", .method = "server/discover",
                             .method_header = "SERVER/DISCOVER"};
  static const stateless_refusal want = {.status = 400};
  if (stateless_probe_refused(ctx, &value, &want, "Mcp-Method: SERVER/DISCOVER (value case)"))
    ctx_checked(ctx, "names in any case served; a value in another case 400", "as required");
}

/* S26-HDR-09, S26-SEC-05: a mirrored header missing or disagreeing with
 * the body gets 400 (the code is modern/headers/rejection-code's). */
static void mirrored_mismatch(case_ctx *ctx) {
  static const stateless_refusal want = {.status = 400};
  stateless_request method = {.id_raw = "7", .method = "server/discover",
                              .method_header = "tools/list"};
  stateless_request no_method = {.id_raw = "8", .method = "server/discover",
                                 .method_header = STATELESS_OMIT};
  if (!stateless_probe_refused(ctx, &method, &want, "Mcp-Method: tools/list on server/discover") ||
      !stateless_probe_refused(ctx, &no_method, &want, "server/discover without Mcp-Method"))
    return;
  if (tools_declared(ctx) <= 0)
    return;
  struct { const char *what, *header; } names[] = {
      {"tools/call without Mcp-Name", STATELESS_OMIT},
      {"tools/call with Mcp-Name: wrong_tool", "wrong_tool"},
      {"tools/call with a raw non-ASCII byte in Mcp-Name", "mcpwire-\xc3\xbc"},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    stateless_request call = {.id_raw = "9", .method = "tools/call", .params = NO_TOOL_PARAMS,
                              .name = NO_TOOL, .name_header = names[i].header};
    if (!stateless_probe_refused(ctx, &call, &want, names[i].what))
      return;
  }
  ctx_checked(ctx, "HTTP 400 for each of five mismatches", "as required");
}

/* S26-HDR-10: the header rejection is 400 with HeaderMismatch -32020 (a
 * SHOULD here: the conformance suite grades it so, Y-04). */
static void rejection_code(case_ctx *ctx) {
  static const stateless_refusal want = {.status = 400, .code = -32020};
  stateless_request req = {.id_raw = "10", .method = "server/discover",
                           .method_header = "tools/list"};
  if (stateless_probe_refused(ctx, &req, &want, "Mcp-Method: tools/list on server/discover"))
    ctx_checked(ctx, "HTTP 400 and -32020", "as required");
}

/* S26-B64-05: Mcp-Name in the sentinel form is decoded before comparing:
 * a plain name sent encoded, and a non-ASCII one (which must be). */
static void sentinel_name_decoded(case_ctx *ctx) {
  if (tools_declared(ctx) <= 0)
    return;
  stateless_request plain = {.id_raw = "11", .method = "tools/call", .params = NO_TOOL_PARAMS,
                             .name = NO_TOOL,
                             .name_header = "=?base64?" NO_TOOL_B64 "?="};
  stateless_request accented = {.id_raw = "12", .method = "tools/call",
                                .params = "\"name\":\"mcpwire-\xc3\xbcnknown\",\"arguments\":{}",
                                .name = "mcpwire-\xc3\xbcnknown"};
  if (stateless_probe_not_header_refused(ctx, &plain, "Mcp-Name =?base64?" NO_TOOL_B64 "?=") &&
      stateless_probe_not_header_refused(ctx, &accented, "Mcp-Name for mcpwire-\xc3\xbcnknown "
                                                         "in the sentinel form"))
    ctx_checked(ctx, "both encoded names accepted as the body's", "no -32020");
}

/* S26-B64-03: the markers are case-sensitive: =?BASE64?...?= is a literal,
 * so it disagrees with the body: 400. */
static void markers_case_sensitive(case_ctx *ctx) {
  if (tools_declared(ctx) <= 0)
    return;
  static const stateless_refusal want = {.status = 400, .code = -32020, .code_warns = 1};
  stateless_request req = {.id_raw = "13", .method = "tools/call", .params = NO_TOOL_PARAMS,
                           .name = NO_TOOL, .name_header = "=?BASE64?" NO_TOOL_B64 "?="};
  if (stateless_probe_refused(ctx, &req, &want, "Mcp-Name =?BASE64?...?= (upper-case marker)"))
    ctx_checked(ctx, "HTTP 400 and -32020", "as required");
}

/* S26-B64-06 (de facto, Y-08): malformed Base64 inside the markers is
 * refused, not decoded leniently. */
static void malformed_base64(case_ctx *ctx) {
  if (tools_declared(ctx) <= 0)
    return;
  static const stateless_refusal want = {.status = 400, .code = -32020};
  static const char *const bad[] = {"=?base64?bWNwd2lyZS1uby1zdWNoLXRvb2w?=", /* no padding */
                                    "=?base64?bWNwd2lyZS1u!!!by1zdWNoLXRvb2w=?="};
  for (size_t i = 0; i < 2; i++) {
    char what[96];
    snprintf(what, sizeof what, "Mcp-Name %s", bad[i]);
    stateless_request req = {.id_raw = "14", .method = "tools/call", .params = NO_TOOL_PARAMS,
                             .name = NO_TOOL, .name_header = bad[i]};
    if (!stateless_probe_refused(ctx, &req, &want, what))
      return;
  }
  ctx_checked(ctx, "HTTP 400 and -32020 twice", "as required");
}

/* S26-B64-07: a value missing a marker is a literal: a tool name that
 * only begins like a sentinel, sent as it is, matches the body. */
static void partial_marker_literal(case_ctx *ctx) {
  if (tools_declared(ctx) <= 0)
    return;
  stateless_request req = {.id_raw = "15", .method = "tools/call",
                           .params = "\"name\":\"=?base64?bWNw\",\"arguments\":{}",
                           .name = "=?base64?bWNw"};
  if (stateless_probe_not_header_refused(ctx, &req, "Mcp-Name =?base64?bWNw (no closing "
                                                    "marker) for the same tool name"))
    ctx_checked(ctx, "the literal accepted as the body's name", "no -32020");
}

const case_def modern_headers_cases[] = {
    {CASE_ID("modern/headers", "version-mismatch-400"),
     .title = "MCP-Protocol-Version disagreeing with _meta gets 400 and -32020",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-HDR-03", "S26-ERR-07", "S26-ERR-06"), .spec_ref = HEADERS_REF,
     .run = version_mismatch, .faults = FAULTS("s26-no-header-check")},
    {CASE_ID("modern/headers", "missing-version-400"),
     .title = "A request without MCP-Protocol-Version gets 400 and -32020",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-HDR-05", "S26-HDR-01"), .spec_ref = HEADERS_REF,
     .run = missing_version_header, .faults = FAULTS("s26-no-header-check")},
    {CASE_ID("modern/headers", "name-case"),
     .title = "Header names in any case are served; a method value in another case gets 400",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-HDR-08"), .spec_ref = HEADERS_REF, .run = header_name_case,
     .faults = FAULTS("s26-no-header-check")},
    {CASE_ID("modern/headers", "mirrored-mismatch-400"),
     .title = "Mcp-Method or Mcp-Name missing, wrong or with invalid bytes gets 400",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-HDR-09", "S26-SEC-05"), .spec_ref = HEADERS_REF,
     .run = mirrored_mismatch, .faults = FAULTS("s26-no-header-check")},
    {CASE_ID("modern/headers", "rejection-code"),
     .title = "A header rejection carries HeaderMismatch -32020", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_SHOULD, .requirements = REQS("S26-HDR-10"),
     .spec_ref = HEADERS_REF, .run = rejection_code, .faults = FAULTS("s26-header-error-code")},
    {CASE_ID("modern/headers", "sentinel-name-decoded"),
     .title = "Mcp-Name in the =?base64?...?= form is decoded before it is compared",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-B64-05"), .spec_ref = ENCODING_REF, .run = sentinel_name_decoded,
     .faults = FAULTS("s26-no-base64-decode")},
    {CASE_ID("modern/headers", "markers-case-sensitive"),
     .title = "=?BASE64?...?= is a literal, not the sentinel form", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_MUST, .requirements = REQS("S26-B64-03"),
     .spec_ref = ENCODING_REF, .run = markers_case_sensitive,
     .faults = FAULTS("s26-base64-markers-any-case")},
    {CASE_ID("modern/headers", "malformed-base64-400"),
     .title = "Malformed Base64 inside the markers gets 400 and -32020 (de facto)",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_INFO,
     .requirements = REQS("S26-B64-06"), .spec_ref = ENCODING_REF, .run = malformed_base64,
     .faults = FAULTS("s26-lenient-base64")},
    {CASE_ID("modern/headers", "partial-marker-literal"),
     .title = "A value missing a marker is compared as the literal it is",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-B64-07"), .spec_ref = ENCODING_REF, .run = partial_marker_literal,
     .faults = FAULTS("s26-base64-partial-marker")},
};
const size_t modern_headers_ncases = NCASES(modern_headers_cases);
