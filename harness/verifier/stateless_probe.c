#include "verifier/stateless_probe.h"

#include <stdio.h>
#include <string.h>

#include "mcpwire_limits.h"

jsonrpc_msg *stateless_probe_call(case_ctx *ctx, const stateless_request *req,
                                  http_stream **post, rpc_failure *f) {
  return stateless_call(ctx->client, ctx->cfg->url, req, ctx_step_deadline(ctx), post, f);
}

/* "HTTP 400, error -32020" or "HTTP 200, a result" for verdict lines. */
static void describe(const http_stream *s, const jsonrpc_msg *m, char *out, size_t len) {
  long code = 0;
  if (m && jsonrpc_error_code(m, &code))
    snprintf(out, len, "HTTP %ld, error %ld", s->status, code);
  else
    snprintf(out, len, "HTTP %ld, %s", s->status,
             m && jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE ? "a result"
             : m                                               ? "another message"
                                                               : "no JSON-RPC message");
}

/* The error's code against what the probe wants; 1 when it is right. */
static int judge_code(case_ctx *ctx, const stateless_refusal *want, const jsonrpc_msg *m,
                      const char *got, const char *expected, const char *what) {
  long code = 0;
  if (!m || !jsonrpc_error_code(m, &code)) {
    ctx_violation(ctx, expected, got, "%s: HTTP %ld without a JSON-RPC error", what,
                  want->status);
    return 0;
  }
  if (!want->code || code == want->code || (want->also && code == want->also))
    return 1;
  if (want->code_warns)
    ctx_warn(ctx, expected, got, "%s: error %ld, not %ld (the spec's text says %ld; the "
             "conformance suite grades it SHOULD, Y-04)", what, code, want->code, want->code);
  else
    ctx_violation(ctx, expected, got, "%s: error %ld, not %ld", what, code, want->code);
  return 0;
}

int stateless_probe_refused(case_ctx *ctx, const stateless_request *req,
                            const stateless_refusal *want, const char *what) {
  http_stream *s = stateless_post(ctx->client, ctx->cfg->url, req);
  if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "%s: no response: %s", what, s ? http_stream_error(s) : "not started");
    return 0;
  }
  rpc_failure f = {{0}};
  jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
  char expected[160], got[120];
  if (!want->code)
    snprintf(expected, sizeof expected, "HTTP %ld and a JSON-RPC error with id %s", want->status,
             req->id_raw);
  else if (want->also)
    snprintf(expected, sizeof expected, "HTTP %ld, error %ld (or %ld) with id %s", want->status,
             want->code, want->also, req->id_raw);
  else
    snprintf(expected, sizeof expected, "HTTP %ld, error %ld with id %s", want->status,
             want->code, req->id_raw);
  describe(s, m, got, sizeof got);
  int ok = 0;
  if (s->status != want->status)
    ctx_violation(ctx, expected, got, "%s: %s", what, got);
  else if (judge_code(ctx, want, m, got, expected, what) &&
           verify_jsonrpc_id_echo(ctx, m, req->id_raw)) /* S26-ERR-06 */
    ok = 1;
  if (ok)
    ctx_note(ctx, "%s: %s, as required", what, got);
  jsonrpc_free(m);
  return ok;
}

int stateless_probe_served(case_ctx *ctx, const stateless_request *req, const char *what,
                           jsonrpc_msg **out) {
  rpc_failure f = {{0}};
  http_stream *s = NULL;
  jsonrpc_msg *m = stateless_probe_call(ctx, req, &s, &f);
  char got[120];
  if (s && s->status && s->status != 200) {
    describe(s, m, got, sizeof got);
    ctx_violation(ctx, "HTTP 200 and a result", got, "%s: %s", what, got);
    jsonrpc_free(m);
    return 0;
  }
  if (!verify_success_response(ctx, m, &f, what)) {
    jsonrpc_free(m);
    return 0;
  }
  ctx_note(ctx, "%s: HTTP 200 and a result", what);
  if (out)
    *out = m;
  else
    jsonrpc_free(m);
  return 1;
}

int stateless_probe_not_header_refused(case_ctx *ctx, const stateless_request *req,
                                       const char *what) {
  rpc_failure f = {{0}};
  http_stream *s = NULL;
  jsonrpc_msg *m = stateless_probe_call(ctx, req, &s, &f);
  long code = 0;
  char got[120];
  int ok = 0;
  if (!s || !s->status)
    ctx_error(ctx, "%s: no response: %s", what, f.why);
  else if (m && jsonrpc_error_code(m, &code) && code == -32020) {
    describe(s, m, got, sizeof got);
    ctx_violation(ctx, "no -32020: the headers agree with the body", got,
                  "%s: refused as a header mismatch (%s)", what, got);
  } else {
    describe(s, m, got, sizeof got);
    ctx_note(ctx, "%s: %s (not a header refusal)", what, got);
    ok = 1;
  }
  jsonrpc_free(m);
  return ok;
}

/* One stateless tools/list page for ctx_walk_tools: params_json is "{}" or
 * {"cursor":...}, whose members go beside _meta. */
static jsonrpc_msg *tools_page(case_ctx *ctx, void *arg, const char *params_json,
                               rpc_failure *f) {
  (void)arg;
  size_t n = strlen(params_json);
  dynbuf members;
  dynbuf_init(&members, MCPWIRE_JSON_BODY_MAX);
  jsonrpc_msg *m = NULL;
  if (n < 2 || dynbuf_add(&members, params_json + 1, n - 2))
    snprintf(f->why, sizeof f->why, "tools/list params do not fit");
  else {
    stateless_request req = {.id_raw = "\"tools\"", .method = "tools/list",
                             .params = members.len ? dynbuf_str(&members) : NULL};
    m = stateless_probe_call(ctx, &req, NULL, f);
  }
  dynbuf_free(&members);
  return m;
}

/* ctx_walk_tools' page visitor handing each tool to a stateless_tool_visit. */
typedef struct tool_walk {
  stateless_tool_visit visit;
  void *arg;
} tool_walk;

static int visit_each_tool(void *arg, const jsonrpc_msg *page) {
  const tool_walk *w = arg;
  for (size_t i = 0; i < jsonrpc_get_count(page, "result.tools"); i++)
    if (w->visit(w->arg, page, i))
      return 1;
  return 0;
}

int stateless_probe_tools(case_ctx *ctx, stateless_tool_visit visit, void *arg, char *why,
                          size_t whylen) {
  tool_walk w = {visit, arg};
  int rc = ctx_walk_tools(ctx, tools_page, NULL, visit_each_tool, &w, why, whylen);
  if (rc < 0) {
    char first[400];
    snprintf(first, sizeof first, "%s", why);
    snprintf(why, whylen, "tools/list page 1: %.300s", first);
  }
  return rc;
}

typedef struct named_tool {
  const char *name;
} named_tool;

static int is_named(void *arg, const jsonrpc_msg *page, size_t i) {
  char at[64];
  snprintf(at, sizeof at, "result.tools[%zu].name", i);
  const char *name = jsonrpc_get_string(page, at);
  return name && !strcmp(name, ((const named_tool *)arg)->name);
}

int stateless_probe_require_tool(case_ctx *ctx, const char *tool) {
  char why[400];
  named_tool want = {tool};
  int rc = stateless_probe_tools(ctx, is_named, &want, why, sizeof why);
  if (rc < 0)
    ctx_error(ctx, "setup: %s", why);
  else if (!rc)
    ctx_skip(ctx, "the target has no tool %s (the conformance suite's name for it): %s", tool,
             why);
  return rc;
}

int stateless_probe_require_fixture(case_ctx *ctx, fixture_role role, stateless_fixture *sf) {
  jsonrpc_msg *disc = NULL;
  if (stateless_probe_discover(ctx, &disc))
    return -1;
  int rc = ctx_require_fixture_in(ctx, FIXTURE_STATELESS, tools_page, NULL, disc, role, &sf->fx);
  jsonrpc_free(disc);
  if (rc)
    return -1;
  dynbuf members;
  dynbuf_init(&members, sizeof sf->params - 1);
  rc = fixture_call_members(&sf->fx, NULL, &members);
  if (!rc)
    snprintf(sf->params, sizeof sf->params, "%s", dynbuf_str(&members));
  else
    ctx_error(ctx, "setup: the call of %s does not fit in FIXTURE_CALL_MEMBERS_MAX", sf->fx.tool);
  dynbuf_free(&members);
  return rc ? -1 : 0;
}

stateless_request stateless_fixture_call(const stateless_fixture *sf, const char *id_raw) {
  int declares = (sf->fx.role == FIXTURE_INPUT_REQUIRED || sf->fx.role == FIXTURE_REQUEST_STATE) &&
                 sf->fx.capabilities[0];
  stateless_request req = {.id_raw = id_raw, .method = "tools/call", .params = sf->params,
                           .name = sf->fx.tool,
                           .meta_capabilities = declares ? sf->fx.capabilities : NULL};
  return req;
}

int stateless_probe_discover(case_ctx *ctx, jsonrpc_msg **out) {
  stateless_request req = {.id_raw = "\"discover\"", .method = "server/discover"};
  rpc_failure f = {{0}};
  jsonrpc_msg *m = stateless_probe_call(ctx, &req, NULL, &f);
  if (!m || jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE) {
    ctx_error(ctx, "setup: server/discover: %s", m ? "not a result" : f.why);
    jsonrpc_free(m);
    return -1;
  }
  *out = m;
  return 0;
}
