/* modern/mrtr: what a server needs from the client comes back inside an
 * InputRequiredResult, never as a request of its own (2026-07-28 catalog
 * sections 1 and 5.3: S26-META-08, S26-SSE-02, S26-MRTR). The tools are
 * fixture roles (needs_capability, input_required, request_state): the
 * user's --fixture, else the conformance suite's tools, else the mock's;
 * a target without one skips. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "mcpwire_limits.h"
#include "verifier/stateless_probe.h"

#define MRTR_REF SPEC_2607 "basic/patterns/mrtr"

/* S26-META-08, S26-MRTR-04: a tool that needs a capability the request
 * did not declare: 400, -32021, data.requiredCapabilities an object. */
static void missing_capability(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_NEEDS_CAPABILITY, &sf))
    return;
  stateless_request req = stateless_fixture_call(&sf, "1");
  static const stateless_refusal want = {.status = 400, .code = -32021};
  char what[MCPWIRE_FIXTURE_TOOL_MAX + 32];
  snprintf(what, sizeof what, "%s with no capabilities", sf.fx.tool);
  if (!stateless_probe_refused(ctx, &req, &want, what))
    return;
  rpc_failure f = {{0}};
  req.id_raw = "2";
  jsonrpc_msg *m = stateless_probe_call(ctx, &req, NULL, &f);
  if (!m)
    ctx_error(ctx, "second call: %s", f.why);
  else if (jsonrpc_get_type(m, "error.data.requiredCapabilities") != JSONRPC_T_OBJECT)
    ctx_violation(ctx, "error.data.requiredCapabilities, an object like {\"sampling\":{}}",
                  jsonrpc_kind_name(jsonrpc_kind_of(m)),
                  "-32021 without data.requiredCapabilities as an object (S26-ERR-09)");
  else
    ctx_checked(ctx, "HTTP 400, -32021, data.requiredCapabilities an object", "as required");
  jsonrpc_free(m);
}

/* The first member of an InputRequiredResult that is wrong (S26-MRTR-03);
 * NULL when it is well formed. */
static const char *input_required_lacks(const jsonrpc_msg *m) {
  const char *rt = jsonrpc_get_string(m, "result.resultType");
  if (!rt || strcmp(rt, "input_required"))
    return "resultType \"input_required\"";
  size_t n = jsonrpc_get_count(m, "result.inputRequests");
  int state = jsonrpc_get_type(m, "result.requestState") == JSONRPC_T_STRING;
  if (!n && !state)
    return "inputRequests or requestState";
  for (size_t i = 0; i < n; i++) {
    const char *key = jsonrpc_get_key(m, "result.inputRequests", i);
    char at[300];
    snprintf(at, sizeof at, "result.inputRequests[\"%.200s\"].method", key ? key : "");
    const char *method = key && !strstr(key, "\"]") ? jsonrpc_get_string(m, at) : NULL;
    if (!method || (strcmp(method, "elicitation/create") &&
                    strcmp(method, "sampling/createMessage") && strcmp(method, "roots/list")))
      return "inputRequests values that are elicitation, sampling or roots requests";
  }
  return NULL;
}

/* S26-SSE-02, S26-MRTR-01, S26-MRTR-03: asked for input, the server sends
 * no request of its own on the stream (only notifications and the
 * response) and answers with a well-formed InputRequiredResult. */
static void input_required(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_INPUT_REQUIRED, &sf))
    return;
  stateless_request req = stateless_fixture_call(&sf, "3");
  http_stream *s = stateless_post(ctx->client, ctx->cfg->url, &req);
  for (int i = 0; i < MCPWIRE_STREAM_EVENTS_MAX && !ctx->decided; i++) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
    if (!m) {
      ctx_error(ctx, "%s: no response: %s", sf.fx.tool, f.why);
      return;
    }
    jsonrpc_kind k = jsonrpc_kind_of(m);
    const char *lacks = NULL;
    if (k == JSONRPC_REQUEST)
      ctx_violation(ctx, "notifications and the response only", jsonrpc_method(m),
                    "the server sent a request of its own (%s) on the call's stream",
                    jsonrpc_method(m));
    else if (k == JSONRPC_SUCCESS_RESPONSE && (lacks = input_required_lacks(m)))
      ctx_violation(ctx, "an InputRequiredResult", lacks, "the result lacks %s", lacks);
    else if (k == JSONRPC_SUCCESS_RESPONSE)
      ctx_checked(ctx, "no server request; an InputRequiredResult", "as required");
    else if (k == JSONRPC_ERROR_RESPONSE)
      ctx_error(ctx, "%s with %s declared answered an error: %s", sf.fx.tool,
                req.meta_capabilities ? req.meta_capabilities : "{}",
                jsonrpc_error_message(m) ? jsonrpc_error_message(m) : "(no message)");
    int last = k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE;
    jsonrpc_free(m);
    if (last)
      return;
  }
}

/* The retry of the fixture answering every input request with `state`
 * (JSON text); the response, or NULL with f->why. */
static jsonrpc_msg *retry_with(case_ctx *ctx, const stateless_fixture *sf, const char *id,
                               const char *answers, const char *state, rpc_failure *f) {
  char params[FIXTURE_CALL_MEMBERS_MAX + 2048];
  snprintf(params, sizeof params, "%s,\"inputResponses\":%s,\"requestState\":%s", sf->params,
           answers, state);
  stateless_request req = stateless_fixture_call(sf, id);
  req.params = params;
  return stateless_probe_call(ctx, &req, NULL, f);
}

/* The JSON value an accepting answer gives the requested property at
 * `prop`: its first enum value, true for a boolean, 1 for a number, else
 * "mcpwire" (the conformance fixtures ask for a name or an ok). */
static const char *answer_value(const jsonrpc_msg *m, const char *prop, char *buf, size_t len) {
  char at[448];
  size_t n = 0;
  snprintf(at, sizeof at, "%.400s.enum[0]", prop);
  const char *raw = jsonrpc_get_raw(m, at, &n);
  if (raw && n < len) {
    snprintf(buf, len, "%.*s", (int)n, raw);
    return buf;
  }
  snprintf(at, sizeof at, "%.400s.type", prop);
  const char *type = jsonrpc_get_string(m, at);
  if (type && !strcmp(type, "boolean"))
    return "true";
  if (type && (!strcmp(type, "number") || !strcmp(type, "integer")))
    return "1";
  return "\"mcpwire\"";
}

/* An accepting ElicitResult for each input request, each requested field
 * given answer_value; 0 on success. */
static int build_answers(const jsonrpc_msg *m, char *out, size_t len) {
  size_t used = (size_t)snprintf(out, len, "{");
  for (size_t i = 0; i < jsonrpc_get_count(m, "result.inputRequests") && used < len; i++) {
    const char *key = jsonrpc_get_key(m, "result.inputRequests", i);
    if (!key || strpbrk(key, "\"\\"))
      return -1;
    char props[300];
    snprintf(props, sizeof props,
             "result.inputRequests[\"%.200s\"].params.requestedSchema.properties", key);
    used += (size_t)snprintf(out + used, len - used, "%s\"%s\":{\"action\":\"accept\","
                             "\"content\":{", i ? "," : "", key);
    for (size_t k = 0; k < jsonrpc_get_count(m, props) && used < len; k++) {
      const char *p = jsonrpc_get_key(m, props, k);
      if (!p || strpbrk(p, "\"\\"))
        return -1;
      char prop[400], value[64];
      snprintf(prop, sizeof prop, "%s[\"%s\"]", props, p);
      used += (size_t)snprintf(out + used, len - used, "%s\"%s\":%s", k ? "," : "", p,
                               answer_value(m, prop, value, sizeof value));
    }
    used += (size_t)snprintf(out + used, len - used, "}}");
  }
  used += (size_t)snprintf(out + used, len - used, "}");
  return used < len ? 0 : -1;
}

/* requestState's JSON text with one character inside changed. */
static int tamper(const char *raw, size_t len, char *out, size_t outlen) {
  if (len < 3 || len >= outlen || raw[0] != '"' || raw[len - 1] != '"')
    return -1;
  memcpy(out, raw, len);
  out[len] = '\0';
  char *c = &out[len - 2];
  if (*c == '\\')
    return -1;
  *c = *c == 'a' ? 'b' : 'a';
  return 0;
}

/* S26-MRTR-07: a retry whose requestState was changed by one byte is
 * refused; the same retry with the state as given completes (so the
 * answers themselves are fine). */
static void tampered_state(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_REQUEST_STATE, &sf))
    return;
  stateless_request req = stateless_fixture_call(&sf, "4");
  rpc_failure f = {{0}};
  jsonrpc_msg *first = stateless_probe_call(ctx, &req, NULL, &f);
  size_t len = 0;
  const char *raw = first ? jsonrpc_get_raw(first, "result.requestState", &len) : NULL;
  char answers[1024], bad[512], good[512];
  if (!raw || len >= sizeof good || build_answers(first, answers, sizeof answers) ||
      tamper(raw, len, bad, sizeof bad)) {
    ctx_skip(ctx, "%s gave no requestState mcpwire can answer and change (%s)", sf.fx.tool,
             first ? "no string requestState, or inputRequests it cannot fill" : f.why);
    jsonrpc_free(first);
    return;
  }
  memcpy(good, raw, len);
  good[len] = '\0';
  jsonrpc_free(first);
  jsonrpc_msg *t = retry_with(ctx, &sf, "5", answers, bad, &f);
  const char *rt = t ? jsonrpc_get_string(t, "result.resultType") : NULL;
  int tampered_completed = t && jsonrpc_kind_of(t) == JSONRPC_SUCCESS_RESPONSE &&
                           (!rt || !strcmp(rt, "complete"));
  jsonrpc_free(t);
  jsonrpc_msg *g = retry_with(ctx, &sf, "6", answers, good, &f);
  rt = g ? jsonrpc_get_string(g, "result.resultType") : NULL;
  int good_completed = g && jsonrpc_kind_of(g) == JSONRPC_SUCCESS_RESPONSE &&
                       (!rt || !strcmp(rt, "complete"));
  jsonrpc_free(g);
  if (!good_completed)
    ctx_skip(ctx, "the retry with the untouched requestState did not complete either: "
             "mcpwire's answers do not satisfy %s, so a refusal proves nothing", sf.fx.tool);
  else if (tampered_completed)
    ctx_violation(ctx, "an error for the tampered requestState", "the call completed",
                  "a requestState changed by one byte was accepted");
  else
    ctx_checked(ctx, "tampered state refused, untouched state completed", "as required");
}

/* S26-MRTR-08 (SHOULD): the input-required fixture retried with its
 * requestState but no inputResponses is asked again (a new
 * InputRequiredResult), not answered with an error. */
static void missing_input_reasked(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_INPUT_REQUIRED, &sf))
    return;
  stateless_request req = stateless_fixture_call(&sf, "\"ask\"");
  rpc_failure f = {{0}};
  jsonrpc_msg *first = stateless_probe_call(ctx, &req, NULL, &f);
  size_t len = 0;
  const char *state = first ? jsonrpc_get_raw(first, "result.requestState", &len) : NULL;
  if (!first || input_required_lacks(first) || !state ||
      jsonrpc_get_type(first, "result.requestState") != JSONRPC_T_STRING) {
    if (!first)
      ctx_error(ctx, "%s: %s", sf.fx.tool, f.why);
    else
      ctx_skip(ctx, "%s's first answer is no InputRequiredResult with a requestState "
               "(modern/mrtr/input-required judges it)", sf.fx.tool);
    jsonrpc_free(first);
    return;
  }
  char params[FIXTURE_CALL_MEMBERS_MAX + MCPWIRE_MCP_HEADER_VALUE_MAX];
  snprintf(params, sizeof params, "%s,\"inputResponses\":{},\"requestState\":%.*s", sf.params,
           (int)len, state);
  jsonrpc_free(first);
  req.id_raw = "\"ask-again\"";
  req.params = params;
  jsonrpc_msg *again = stateless_probe_call(ctx, &req, NULL, &f);
  long code = 0;
  if (!again)
    ctx_error(ctx, "%s retried without inputs: %s", sf.fx.tool, f.why);
  else if (jsonrpc_error_code(again, &code))
    ctx_warn(ctx, "a new InputRequiredResult", "an error",
             "%s retried without its inputs answered error %ld instead of asking again",
             sf.fx.tool, code);
  else if (input_required_lacks(again))
    ctx_checked(ctx, "no error for missing inputs", "a complete result");
  else
    ctx_checked(ctx, "a new InputRequiredResult", "input asked again");
  jsonrpc_free(again);
}

const case_def modern_mrtr_cases[] = {
    {CASE_ID("modern/mrtr", "missing-capability-32021"),
     .title = "A tool needing an undeclared client capability gets 400 and -32021",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-META-08", "S26-MRTR-04", "S26-ERR-09"), .spec_ref = MRTR_REF,
     .run = missing_capability, .fixtures = FX_NEEDS_CAPABILITY,
     .faults = FAULTS("s26-capability-unchecked")},
    {CASE_ID("modern/mrtr", "input-required"),
     .title = "Input is asked for in an InputRequiredResult, never by a server request",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-SSE-02", "S26-MRTR-01", "S26-MRTR-03", "S26-POST-06"),
     .spec_ref = MRTR_REF, .run = input_required, .fixtures = FX_INPUT_REQUIRED,
     .faults = FAULTS("s26-server-request-on-stream")},
    {CASE_ID("modern/mrtr", "tampered-state-refused"),
     .title = "A retry with a tampered requestState is refused", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_MUST, .requirements = REQS("S26-MRTR-07"),
     .spec_ref = MRTR_REF, .run = tampered_state, .fixtures = FX_REQUEST_STATE,
     .faults = FAULTS("s26-mrtr-state-unchecked")},
    {CASE_ID("modern/mrtr", "missing-input-reasked"),
     .title = "A retry without the inputs asked for is asked again, not refused",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-MRTR-08"), .spec_ref = MRTR_REF, .run = missing_input_reasked,
     .fixtures = FX_INPUT_REQUIRED, .faults = FAULTS("s26-missing-input-error")},
};
const size_t modern_mrtr_ncases = NCASES(modern_mrtr_cases);
