/* modern/params: Mcp-Param-{Name} headers mirroring the tool arguments
 * whose inputSchema property carries x-mcp-header, checked by the server
 * against the body (2026-07-28 catalog section 3.3, S26-PARAM). The cases
 * look for such a tool in tools/list and skip when the target has none. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "mcpwire_limits.h"
#include "verifier/stateless_probe.h"

#define PARAMS_REF SPEC_2607 "basic/transports/streamable-http#custom-headers-from-tool-parameters"

/* A tool argument mirrored into a header. */
typedef struct mirrored {
  const char *type; /* the JSON Schema type wanted: "string", "integer" */
  char tool[128];
  char property[128];
  char header[MCPWIRE_MCP_PARAM_NAME_MAX]; /* the x-mcp-header value */
} mirrored;

/* A property of tools[i] of out->type annotated with x-mcp-header; 1 when found. */
static int annotated_property(const jsonrpc_msg *m, size_t i, mirrored *out) {
  char props[96];
  snprintf(props, sizeof props, "result.tools[%zu].inputSchema.properties", i);
  for (size_t k = 0; k < jsonrpc_get_count(m, props); k++) {
    const char *key = jsonrpc_get_key(m, props, k);
    if (!key || strstr(key, "\"]") || strlen(key) >= sizeof out->property)
      continue;
    char at[512];
    snprintf(at, sizeof at, "%s[\"%s\"][\"x-mcp-header\"]", props, key);
    const char *header = jsonrpc_get_string(m, at);
    snprintf(at, sizeof at, "%s[\"%s\"].type", props, key);
    const char *type = jsonrpc_get_string(m, at);
    if (header && type && !strcmp(type, out->type) && *header &&
        strlen(header) < sizeof out->header && !strpbrk(header, " :\"\\")) {
      snprintf(out->property, sizeof out->property, "%s", key);
      snprintf(out->header, sizeof out->header, "%s", header);
      return 1;
    }
  }
  return 0;
}

/* Visits one listed tool: 1 when it has a mirrored argument of the type. */
static int visit_mirrored(void *arg, const jsonrpc_msg *page, size_t i) {
  mirrored *out = arg;
  char at[64];
  snprintf(at, sizeof at, "result.tools[%zu].name", i);
  const char *name = jsonrpc_get_string(page, at);
  if (!name || strlen(name) >= sizeof out->tool || strpbrk(name, "\"\\") ||
      !annotated_property(page, i, out))
    return 0;
  snprintf(out->tool, sizeof out->tool, "%s", name);
  return 1;
}

/* The first tool in tools/list (every page, stateless_probe_tools) with a
 * mirrored argument of `type`: 0 with *out set, else a skip and -1. */
static int find_mirrored_of(case_ctx *ctx, mirrored *out, const char *type) {
  char why[400];
  out->type = type;
  int rc = stateless_probe_tools(ctx, visit_mirrored, out, why, sizeof why);
  if (rc > 0) {
    ctx_note(ctx, "tool %s mirrors its %s argument %s as Mcp-Param-%s", out->tool, type,
             out->property, out->header);
    return 0;
  }
  if (rc < 0)
    ctx_skip(ctx, "%s: no tool to mirror arguments of", why);
  else
    ctx_skip(ctx, "no tool in tools/list has a%s %s argument annotated with x-mcp-header (%s)",
             type[0] == 'i' ? "n" : "", type, why);
  return -1;
}

static int find_mirrored(case_ctx *ctx, mirrored *out) {
  return find_mirrored_of(ctx, out, "string");
}

/* A tools/call of the mirrored tool: its argument `value` (NULL: left
 * out) and the Mcp-Param header line `header_line` (NULL: none). */
static void mirrored_call(const mirrored *mt, const char *id, const char *value,
                          const char *header_line, stateless_request *req, char *params,
                          size_t len, const char **extra) {
  if (value)
    snprintf(params, len, "\"name\":\"%s\",\"arguments\":{\"%s\":\"%s\"}", mt->tool,
             mt->property, value);
  else
    snprintf(params, len, "\"name\":\"%s\",\"arguments\":{}", mt->tool);
  extra[0] = header_line;
  extra[1] = NULL;
  *req = (stateless_request){.id_raw = id, .method = "tools/call", .params = params,
                             .name = mt->tool, .extra = header_line ? extra : NULL};
}

/* One refusal probe on the mirrored tool; 1 when it held. */
static int refused_call(case_ctx *ctx, const mirrored *mt, const char *value,
                        const char *header_value, const char *what) {
  static const stateless_refusal want = {.status = 400, .code = -32020};
  char params[600], line[300];
  const char *extra[2];
  stateless_request req;
  if (header_value)
    snprintf(line, sizeof line, "Mcp-Param-%s: %s", mt->header, header_value);
  mirrored_call(mt, "\"param\"", value, header_value ? line : NULL, &req, params, sizeof params,
                extra);
  return stateless_probe_refused(ctx, &req, &want, what);
}

/* S26-PARAM-08: an Mcp-Param value that disagrees with the argument. */
static void param_mismatch(case_ctx *ctx) {
  mirrored mt;
  if (!find_mirrored(ctx, &mt) &&
      refused_call(ctx, &mt, "mcpwire-alpha", "mcpwire-beta",
                   "argument mcpwire-alpha, Mcp-Param header mcpwire-beta"))
    ctx_checked(ctx, "HTTP 400 and -32020", "as required");
}

/* S26-PARAM-09: the argument is in the body, its header is not. */
static void param_missing(case_ctx *ctx) {
  mirrored mt;
  if (!find_mirrored(ctx, &mt) &&
      refused_call(ctx, &mt, "mcpwire-alpha", NULL, "argument given, no Mcp-Param header"))
    ctx_checked(ctx, "HTTP 400 and -32020", "as required");
}

/* S26-PARAM-10: with the argument left out, no header is demanded. */
static void param_absent_not_demanded(case_ctx *ctx) {
  mirrored mt;
  if (find_mirrored(ctx, &mt))
    return;
  char params[600];
  const char *extra[2];
  stateless_request req;
  mirrored_call(&mt, "\"absent\"", NULL, NULL, &req, params, sizeof params, extra);
  if (stateless_probe_not_header_refused(ctx, &req, "argument and Mcp-Param header left out"))
    ctx_checked(ctx, "no header refusal", "no -32020");
}

/* S26-PARAM-11: a raw non-ASCII byte (not the Base64 form) in the value. */
static void param_invalid_chars(case_ctx *ctx) {
  mirrored mt;
  if (!find_mirrored(ctx, &mt) &&
      refused_call(ctx, &mt, "mcpwire-\xc3\xbc", "mcpwire-\xc3\xbc",
                   "Mcp-Param header with a raw UTF-8 byte (the argument the same text)"))
    ctx_checked(ctx, "HTTP 400 and -32020", "as required");
}

/* S26-HDR-12 (SHOULD): an integer argument 42 mirrored as "42.0" is
 * compared as a number, so no header refusal. */
static void integer_numeric(case_ctx *ctx) {
  mirrored mt;
  if (find_mirrored_of(ctx, &mt, "integer"))
    return;
  char params[600], line[300];
  snprintf(params, sizeof params, "\"name\":\"%s\",\"arguments\":{\"%s\":42}", mt.tool,
           mt.property);
  snprintf(line, sizeof line, "Mcp-Param-%s: 42.0", mt.header);
  const char *extra[] = {line, NULL};
  stateless_request req = {.id_raw = "\"integer\"", .method = "tools/call", .params = params,
                           .name = mt.tool, .extra = extra};
  if (stateless_probe_not_header_refused(ctx, &req, "argument 42, Mcp-Param header 42.0"))
    ctx_checked(ctx, "no header refusal: 42.0 equals 42", "no -32020");
}

const case_def modern_params_cases[] = {
    {CASE_ID("modern/params", "mismatch-400"),
     .title = "An Mcp-Param header that disagrees with its argument gets 400 and -32020",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-PARAM-08"), .spec_ref = PARAMS_REF, .run = param_mismatch,
     .faults = FAULTS("s26-param-unchecked")},
    {CASE_ID("modern/params", "missing-400"),
     .title = "An argument without its Mcp-Param header gets 400 and -32020",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-PARAM-09"), .spec_ref = PARAMS_REF, .run = param_missing,
     .faults = FAULTS("s26-param-unchecked")},
    {CASE_ID("modern/params", "absent-not-demanded"),
     .title = "An argument left out needs no Mcp-Param header", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_MUST, .requirements = REQS("S26-PARAM-10"),
     .spec_ref = PARAMS_REF, .run = param_absent_not_demanded,
     .faults = FAULTS("s26-param-demanded-when-absent")},
    {CASE_ID("modern/params", "invalid-chars-400"),
     .title = "An Mcp-Param value with a raw non-ASCII byte gets 400", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_MUST, .requirements = REQS("S26-PARAM-11"),
     .spec_ref = PARAMS_REF, .run = param_invalid_chars,
     .faults = FAULTS("s26-param-unchecked")},
    {CASE_ID("modern/params", "integer-numeric"),
     .title = "An integer argument mirrored as 42.0 matches the body's 42",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-HDR-12"), .spec_ref = PARAMS_REF, .run = integer_numeric,
     .faults = FAULTS("s26-integer-compared-as-text")},
};
const size_t modern_params_ncases = NCASES(modern_params_cases);
