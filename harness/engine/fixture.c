#include "engine/fixture.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "codec/json_writer.h"
#include "codec/jsonrpc.h"
#include "engine/case.h"

/* One tool that can play a role, with the arguments it takes. */
typedef struct candidate {
  fixture_role role;
  unsigned eras;                /* fixture_era bits it serves in */
  const char *tool;
  const char *args;             /* JSON object template */
  const char *source;           /* whose contract names it */
  const char *const *needs;     /* inputSchema properties the template relies on */
  int progress_events;          /* progress notifications per call; 0: none or unknown */
  int subscribe_first, toggles; /* LIST_CHANGED through resources/updated */
  const char *capabilities;     /* client capabilities it relies on; NULL: none */
} candidate;

#define NEEDS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define CONTRACT "conformance contract"
#define EVERYTHING "server-everything"
#define SDK_EXAMPLE "TypeScript SDK example"
#define MOCK "mcpwire-mock"
#define SESSION FIXTURE_SESSION
#define STATELESS FIXTURE_STATELESS
#define BOTH (FIXTURE_SESSION | FIXTURE_STATELESS)
#define ELICIT "{\"elicitation\":{}}"
#define SAMPLE "{\"sampling\":{}}"

/* In resolution order within each role. server-everything's names and
 * argument schemas are those of the pinned 2026.8.31 (older releases:
 * longRunningOperation, sampleLLM; no 2026-07-28 tools); see
 * docs/interop/server-everything.md. The stateless-era contract tools are
 * those of the conformance suite's 2026-07-28 scenarios (stateless.ts,
 * input-required-result.ts); its test_streaming_elicitation is left out of
 * INPUT_REQUIRED (the suite's own server answers it with a plain result).
 * The TypeScript SDK v2 ships no example server with a tool for a
 * stateless role. CANCEL_COUNT's only known tool is mcpwire-mock's. */
static const candidate candidates[] = {
    {FIXTURE_PROGRESS, BOTH, "test_tool_with_progress", "{}", CONTRACT, NULL, 3, 0, 0, NULL},
    {FIXTURE_PROGRESS, BOTH, "test_tool_with_logging", "{}", CONTRACT, NULL, 0, 0, 0, NULL},
    {FIXTURE_PROGRESS, BOTH, "trigger-long-running-operation", "{\"duration\":0.5,\"steps\":5}",
     EVERYTHING, NEEDS("duration", "steps"), 5, 0, 0, NULL},
    {FIXTURE_PROGRESS, BOTH, "longRunningOperation", "{\"duration\":0.5,\"steps\":5}",
     EVERYTHING, NEEDS("duration", "steps"), 5, 0, 0, NULL},
    {FIXTURE_PROGRESS, BOTH, "start-notification-stream", "{\"interval\":100,\"count\":5}",
     SDK_EXAMPLE, NEEDS("interval", "count"), 0, 0, 0, NULL},
    {FIXTURE_PROGRESS, BOTH, "slow", "{\"steps\":5}", MOCK, NEEDS("steps"), 5, 0, 0, NULL},
    {FIXTURE_ASK_CLIENT, SESSION, "test_sampling", "{\"prompt\":\"mcpwire asks\"}", CONTRACT,
     NEEDS("prompt"), 0, 0, 0, NULL},
    {FIXTURE_ASK_CLIENT, SESSION, "test_elicitation", "{\"message\":\"mcpwire asks\"}", CONTRACT,
     NEEDS("message"), 0, 0, 0, NULL},
    {FIXTURE_ASK_CLIENT, SESSION, "trigger-sampling-request",
     "{\"prompt\":\"mcpwire asks\",\"maxTokens\":16}", EVERYTHING, NEEDS("prompt"), 0, 0, 0, NULL},
    {FIXTURE_ASK_CLIENT, SESSION, "sampleLLM", "{\"prompt\":\"mcpwire asks\",\"maxTokens\":16}",
     EVERYTHING, NEEDS("prompt"), 0, 0, 0, NULL},
    {FIXTURE_ASK_CLIENT, SESSION, "trigger-elicitation-request", "{}", EVERYTHING, NULL, 0, 0, 0,
     NULL},
    {FIXTURE_ASK_CLIENT, SESSION, "collect-user-info", "{\"infoType\":\"contact\"}",
     SDK_EXAMPLE, NEEDS("infoType"), 0, 0, 0, NULL},
    {FIXTURE_ASK_CLIENT, SESSION, "ask_client", "{}", MOCK, NULL, 0, 0, 0, NULL},
    {FIXTURE_LIST_CHANGED, STATELESS, "test_trigger_tool_change", "{}", CONTRACT, NULL, 0, 0, 0,
     NULL},
    {FIXTURE_LIST_CHANGED, SESSION, "toggle-subscriber-updates", "{}", EVERYTHING, NULL, 0, 1, 1,
     NULL},
    {FIXTURE_LIST_CHANGED, BOTH, "trigger_list_changed", "{}", MOCK, NULL, 0, 0, 0, NULL},
    {FIXTURE_ECHO, BOTH, "echo", "{\"message\":" FIXTURE_TEXT_SLOT "}", EVERYTHING,
     NEEDS("message"), 0, 0, 0, NULL},
    {FIXTURE_ECHO, BOTH, "echo", "{\"text\":" FIXTURE_TEXT_SLOT "}", MOCK, NEEDS("text"), 0, 0, 0,
     NULL},
    {FIXTURE_NEEDS_CAPABILITY, STATELESS, "test_missing_capability", "{}", CONTRACT, NULL, 0, 0, 0,
     SAMPLE},
    {FIXTURE_NEEDS_CAPABILITY, STATELESS, "ask_client", "{}", MOCK, NULL, 0, 0, 0, ELICIT},
    {FIXTURE_INPUT_REQUIRED, STATELESS, "test_input_required_result_elicitation", "{}", CONTRACT,
     NULL, 0, 0, 0, ELICIT},
    {FIXTURE_INPUT_REQUIRED, STATELESS, "test_input_required_result_request_state", "{}", CONTRACT,
     NULL, 0, 0, 0, ELICIT},
    {FIXTURE_INPUT_REQUIRED, STATELESS, "test_input_required_result_sampling", "{}", CONTRACT, NULL,
     0, 0, 0, SAMPLE},
    {FIXTURE_INPUT_REQUIRED, STATELESS, "test_input_required_result_list_roots", "{}", CONTRACT,
     NULL, 0, 0, 0, "{\"roots\":{}}"},
    {FIXTURE_INPUT_REQUIRED, STATELESS, "ask_client", "{}", MOCK, NULL, 0, 0, 0, ELICIT},
    {FIXTURE_REQUEST_STATE, STATELESS, "test_input_required_result_tampered_state", "{}", CONTRACT,
     NULL, 0, 0, 0, ELICIT},
    {FIXTURE_REQUEST_STATE, STATELESS, "test_input_required_result_request_state", "{}", CONTRACT,
     NULL, 0, 0, 0, ELICIT},
    {FIXTURE_REQUEST_STATE, STATELESS, "ask_client", "{}", MOCK, NULL, 0, 0, 0, ELICIT},
    {FIXTURE_LOGGING, STATELESS, "test_logging_tool", "{}", CONTRACT, NULL, 0, 0, 0, NULL},
    {FIXTURE_LOGGING, STATELESS, "test_tool_with_logging", "{}", CONTRACT, NULL, 0, 0, 0, NULL},
    {FIXTURE_CANCEL_COUNT, STATELESS, "cancellations", "{}", MOCK, NULL, 0, 0, 0, NULL},
};
#define NCANDIDATES (sizeof candidates / sizeof candidates[0])

static const char *const role_names[FIXTURE_ROLE_COUNT] = {
    "progress", "ask_client", "list_changed", "echo", "needs_capability", "input_required",
    "request_state", "logging", "cancel_count"};

const char *fixture_role_name(fixture_role role) {
  return role < FIXTURE_ROLE_COUNT ? role_names[role] : "?";
}

int fixture_role_parse(const char *name) {
  for (int r = 0; r < FIXTURE_ROLE_COUNT; r++) {
    size_t i = 0;
    for (; name[i] && role_names[r][i]; i++) {
      char c = (char)tolower((unsigned char)name[i]);
      if ((c == '-' ? '_' : c) != role_names[r][i])
        break;
    }
    if (!name[i] && !role_names[r][i])
      return r;
  }
  return -1;
}

const char *fixture_roles_text(unsigned roles, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (int r = 0; r < FIXTURE_ROLE_COUNT && used < len; r++)
    if (roles & (1u << r))
      used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", role_names[r]);
  return buf;
}

const char *fixture_role_names(void) {
  return "progress, ask_client, list_changed, echo, needs_capability, input_required, "
         "request_state, logging, cancel_count";
}

/* 1 when `tool` is one of the comma-separated names in list. */
static int listed_in(const char *list, const char *tool) {
  size_t n = strlen(tool);
  for (const char *p = list; (p = strstr(p, tool)) != NULL; p += n)
    if ((p == list || p[-1] == ' ') && (p[n] == ',' || !p[n]))
      return 1;
  return 0;
}

const char *fixture_candidates_text(fixture_role role, unsigned eras, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < NCANDIDATES && used < len; i++)
    if (candidates[i].role == role && (candidates[i].eras & eras) &&
        !listed_in(buf, candidates[i].tool))
      used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                               candidates[i].tool);
  return buf;
}

/* ---- the user's mapping ---- */

/* 1 when text is one JSON object. */
static int is_json_object(const char *text) {
  char wrapped[MCPWIRE_FIXTURE_ARGS_MAX + 16];
  int n = snprintf(wrapped, sizeof wrapped, "{\"a\":%s}", text);
  if (n < 0 || (size_t)n >= sizeof wrapped)
    return 0;
  jsonrpc_msg *m = jsonrpc_parse(wrapped, (size_t)n);
  int ok = m && jsonrpc_is_json(m) && jsonrpc_get_type(m, "a") == JSONRPC_T_OBJECT;
  jsonrpc_free(m);
  return ok;
}

static const char *skip_space(const char *p) {
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

int fixture_map_add(fixture_map *map, const char *spec, char *err, size_t errlen) {
  const char *eq = strchr(spec, '=');
  char role_name[32];
  size_t rlen = eq ? (size_t)(eq - spec) : 0;
  if (!eq || !rlen || rlen >= sizeof role_name) {
    snprintf(err, errlen, "--fixture wants ROLE=TOOL [JSON arguments], got '%.60s'", spec);
    return -1;
  }
  snprintf(role_name, sizeof role_name, "%.*s", (int)rlen, spec);
  int role = fixture_role_parse(role_name);
  if (role < 0) {
    snprintf(err, errlen, "--fixture: unknown role '%s' (roles: %s)", role_name,
             fixture_role_names());
    return -1;
  }
  const char *tool = skip_space(eq + 1);
  size_t tlen = strcspn(tool, " \t");
  const char *args = skip_space(tool + tlen);
  size_t alen = strlen(args);
  while (alen && (args[alen - 1] == ' ' || args[alen - 1] == '\t' || args[alen - 1] == '\r'))
    alen--;
  if (!tlen || tlen >= MCPWIRE_FIXTURE_TOOL_MAX) {
    snprintf(err, errlen, "--fixture %s: the tool name is empty or longer than %d bytes",
             role_name, MCPWIRE_FIXTURE_TOOL_MAX - 1);
    return -1;
  }
  char argbuf[MCPWIRE_FIXTURE_ARGS_MAX];
  snprintf(argbuf, sizeof argbuf, "%.*s", alen ? (int)alen : 2, alen ? args : "{}");
  if (alen >= sizeof argbuf || !is_json_object(argbuf)) {
    snprintf(err, errlen, "--fixture %s=%.*s: the arguments are not one JSON object of at most "
             "%d bytes", role_name, (int)tlen, tool, MCPWIRE_FIXTURE_ARGS_MAX - 1);
    return -1;
  }
  snprintf(map->tool[role], sizeof map->tool[role], "%.*s", (int)tlen, tool);
  snprintf(map->args[role], sizeof map->args[role], "%s", argbuf);
  return 0;
}

int fixture_map_load(fixture_map *map, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "--fixtures %s: %s", path, strerror(errno));
    return -1;
  }
  char line[MCPWIRE_FIXTURE_ARGS_MAX + MCPWIRE_FIXTURE_TOOL_MAX + 64], why[400];
  int rc = 0;
  for (int no = 1; !rc && fgets(line, sizeof line, f); no++) {
    line[strcspn(line, "\r\n")] = '\0';
    const char *p = skip_space(line);
    if (!*p || *p == '#')
      continue;
    if (no > MCPWIRE_FIXTURE_FILE_LINES_MAX || fixture_map_add(map, p, why, sizeof why)) {
      snprintf(err, errlen, "%s:%d: %s", path, no,
               no > MCPWIRE_FIXTURE_FILE_LINES_MAX ? "too many lines" : why);
      rc = -1;
    }
  }
  fclose(f);
  return rc;
}

/* ---- calls ---- */

/* The template with the text written where FIXTURE_TEXT_SLOT stands. */
static int write_args(const fixture *fx, const char *text, dynbuf *out) {
  const char *slot = strstr(fx->args, FIXTURE_TEXT_SLOT);
  if (!slot)
    return dynbuf_adds(out, fx->args);
  if (dynbuf_add(out, fx->args, (size_t)(slot - fx->args)) ||
      json_write_cstring(out, text ? text : ""))
    return -1;
  return dynbuf_adds(out, slot + strlen(FIXTURE_TEXT_SLOT));
}

int fixture_call_members(const fixture *fx, const char *text, dynbuf *out) {
  int rc = dynbuf_adds(out, "\"name\":");
  rc |= json_write_cstring(out, fx->tool);
  rc |= dynbuf_adds(out, ",\"arguments\":");
  rc |= write_args(fx, text, out);
  return rc ? -1 : 0;
}

int fixture_params(const fixture *fx, const char *token_raw, const char *text, dynbuf *out) {
  int rc = dynbuf_adds(out, "{");
  rc |= fixture_call_members(fx, text, out);
  if (token_raw)
    rc |= dynbuf_printf(out, ",\"_meta\":{\"progressToken\":%s}", token_raw);
  rc |= dynbuf_adds(out, "}");
  return rc ? -1 : 0;
}

int fixture_request(const fixture *fx, const char *id_raw, const char *token_raw,
                    const char *text, dynbuf *out) {
  dynbuf params;
  dynbuf_init(&params, MCPWIRE_JSON_BODY_MAX);
  int rc = fixture_params(fx, token_raw, text, &params) ||
           jsonrpc_build_request(out, id_raw, "tools/call", dynbuf_str(&params));
  dynbuf_free(&params);
  return rc ? -1 : 0;
}

const char *fixture_describe(const fixture *fx, char *buf, size_t len) {
  snprintf(buf, len, "fixture %s: %s (%s)", fixture_role_name(fx->role), fx->tool, fx->source);
  return buf;
}

/* ---- resolution on the target ---- */

typedef struct search {
  fixture_role role;
  unsigned era;
  const fixture_map *map;
  long best;                /* index in candidates[], -1 none; NCANDIDATES: the user's */
  size_t pages, best_page;  /* pages seen; the page (1..) the best was found on */
} search;

/* 1 when the listed tool's inputSchema has every property c relies on. */
static int schema_fits(const jsonrpc_msg *page, size_t i, const candidate *c) {
  for (size_t k = 0; c->needs && c->needs[k]; k++) {
    char path[160];
    snprintf(path, sizeof path, "result.tools[%zu].inputSchema.properties.%s", i, c->needs[k]);
    if (jsonrpc_get_type(page, path) == JSONRPC_T_ABSENT)
      return 0;
  }
  return 1;
}

/* Index of the role's first candidate in the era (none better can come). */
static size_t first_candidate(fixture_role role, unsigned era) {
  size_t c = 0;
  while (c < NCANDIDATES && (candidates[c].role != role || !(candidates[c].eras & era)))
    c++;
  return c;
}

/* Looks at one tools/list page; 1 when nothing better can come. */
static int visit_page(void *arg, const jsonrpc_msg *page) {
  search *s = arg;
  const char *wanted = s->map ? s->map->tool[s->role] : "";
  size_t n = jsonrpc_get_count(page, "result.tools");
  long before = s->best;
  s->pages++;
  for (size_t i = 0; i < n; i++) {
    char path[64];
    snprintf(path, sizeof path, "result.tools[%zu].name", i);
    const char *name = jsonrpc_get_string(page, path);
    if (!name)
      continue;
    if (wanted[0]) {
      if (!strcmp(name, wanted)) {
        s->best = (long)NCANDIDATES;
        s->best_page = s->pages;
        return 1;
      }
      continue;
    }
    for (size_t c = 0; c < NCANDIDATES && (s->best < 0 || (long)c < s->best); c++)
      if (candidates[c].role == s->role && (candidates[c].eras & s->era) &&
          !strcmp(candidates[c].tool, name) &&
          schema_fits(page, i, &candidates[c]))
        s->best = (long)c;
  }
  if (s->best != before)
    s->best_page = s->pages;
  return !wanted[0] && s->best >= 0 && (size_t)s->best == first_candidate(s->role, s->era);
}

static void fill_fixture(fixture *fx, const search *s) {
  memset(fx, 0, sizeof *fx);
  fx->role = s->role;
  if ((size_t)s->best == NCANDIDATES) {
    snprintf(fx->tool, sizeof fx->tool, "%s", s->map->tool[s->role]);
    snprintf(fx->args, sizeof fx->args, "%s", s->map->args[s->role]);
    fx->source = "--fixture";
    if (s->role == FIXTURE_INPUT_REQUIRED || s->role == FIXTURE_REQUEST_STATE)
      snprintf(fx->capabilities, sizeof fx->capabilities, "%s", FIXTURE_ALL_CAPABILITIES);
    return;
  }
  const candidate *c = &candidates[s->best];
  snprintf(fx->tool, sizeof fx->tool, "%s", c->tool);
  snprintf(fx->args, sizeof fx->args, "%s", c->args);
  fx->source = c->source;
  fx->progress_events = c->progress_events;
  fx->subscribe_first = c->subscribe_first;
  fx->toggles = c->toggles;
  snprintf(fx->capabilities, sizeof fx->capabilities, "%s", c->capabilities ? c->capabilities : "");
}

int ctx_find_fixture_in(case_ctx *ctx, unsigned era, ctx_tools_page_fn list, void *arg,
                        const jsonrpc_msg *caps, fixture_role role, fixture *fx, char *why,
                        size_t len) {
  if (jsonrpc_get_type(caps, "result.capabilities.tools") != JSONRPC_T_OBJECT) {
    snprintf(why, len, "the server declares no tools capability");
    return 0;
  }
  search s = {role, era, ctx->cfg->fixtures, -1, 0, 0};
  char walk[600], names[400];
  if (ctx_walk_tools(ctx, list, arg, visit_page, &s, walk, sizeof walk) < 0) {
    snprintf(why, len, "tools/list: %s", walk);
    return -1;
  }
  if (s.best < 0) {
    const char *mapped = s.map ? s.map->tool[role] : "";
    if (mapped[0])
      snprintf(why, len, "fixture %s: the target has no tool '%s' (given with --fixture): %s",
               fixture_role_name(role), mapped, walk);
    else
      snprintf(why, len, "fixture %s: the target has none of the tools looked for (%s; or name "
               "one with --fixture %s=TOOL): %s", fixture_role_name(role),
               fixture_candidates_text(role, era, names, sizeof names), fixture_role_name(role),
               walk);
    return 0;
  }
  fill_fixture(fx, &s);
  ctx_note(ctx, "fixture %s: tool '%s' found on tools/list page %zu", fixture_role_name(role),
           fx->tool, s.best_page);
  ctx_use_fixture(ctx, fixture_describe(fx, names, sizeof names));
  return 1;
}

int ctx_require_fixture_in(case_ctx *ctx, unsigned era, ctx_tools_page_fn list, void *arg,
                           const jsonrpc_msg *caps, fixture_role role, fixture *fx) {
  if (ctx_require_capability(ctx, caps, "tools"))
    return -1;
  char why[1200];
  int rc = ctx_find_fixture_in(ctx, era, list, arg, caps, role, fx, why, sizeof why);
  if (rc < 0)
    ctx_error(ctx, "setup: %s", why);
  else if (!rc)
    ctx_skip(ctx, "%s", why);
  return rc > 0 ? 0 : -1;
}

int ctx_find_fixture(case_ctx *ctx, ctx_tools_page_fn list, void *arg, const jsonrpc_msg *init,
                     fixture_role role, fixture *fx, char *why, size_t len) {
  return ctx_find_fixture_in(ctx, FIXTURE_SESSION, list, arg, init, role, fx, why, len);
}

int ctx_require_fixture(case_ctx *ctx, ctx_tools_page_fn list, void *arg, const jsonrpc_msg *init,
                        fixture_role role, fixture *fx) {
  return ctx_require_fixture_in(ctx, FIXTURE_SESSION, list, arg, init, role, fx);
}
