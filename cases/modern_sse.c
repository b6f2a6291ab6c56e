/* modern/sse: a request's SSE response stream in the stateless era
 * (2026-07-28 catalog section 5.2, S26-SSE): the call's own progress
 * before its response, the stream ended by the response, never before
 * it, and X-Accel-Buffering: no. On the progress fixture role (the user's
 * --fixture, the conformance suite's test_tool_with_progress, ..., the
 * mock's slow); a target without one, or one that answers with JSON, skips. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "mcpwire_limits.h"
#include "verifier/stateless_probe.h"

#define SSE_REF SPEC_2607 "basic/transports/streamable-http#sending-messages-to-the-server"
#define TOKEN "\"mcpwire-modern-progress\""

/* What one call's stream showed. */
typedef struct call_stream {
  stateless_fixture sf; /* the progress fixture called */
  http_stream *s;
  int progress;        /* progress notifications with our token */
  int foreign;         /* progress notifications with another token */
  int not_increasing;  /* progress values that did not increase */
  int after_response;  /* messages after the response */
  int answered;        /* the response came */
} call_stream;

/* One progress notification: token ours, value above the last. */
static void note_progress(call_stream *cs, const jsonrpc_msg *m, double *last) {
  size_t len = 0;
  const char *tok = jsonrpc_get_raw(m, "params.progressToken", &len);
  if (!tok || !jsonrpc_id_equal(tok, len, TOKEN, strlen(TOKEN))) {
    cs->foreign++;
    return;
  }
  double v = 0;
  if (!jsonrpc_get_number(m, "params.progress", &v) || (cs->progress && v <= *last))
    cs->not_increasing++;
  *last = v;
  cs->progress++;
}

/* Calls the progress tool and reads its stream to the end (or a grace
 * after the response); 0, or -1 with a verdict (skip or error). */
static int progress_call(case_ctx *ctx, call_stream *cs) {
  memset(cs, 0, sizeof *cs);
  if (stateless_probe_require_fixture(ctx, FIXTURE_PROGRESS, &cs->sf))
    return -1;
  const char *tool = cs->sf.fx.tool;
  stateless_request req = stateless_fixture_call(&cs->sf, "\"modern-progress\"");
  req.meta_extra = "\"progressToken\":" TOKEN;
  cs->s = stateless_post(ctx->client, ctx->cfg->url, &req);
  if (http_stream_wait_headers(cs->s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "%s: no response", tool);
    return -1;
  }
  if (!http_stream_is_event_stream(cs->s)) {
    ctx_skip(ctx, "%s was answered with %s, not an event stream", tool,
             http_stream_header(cs->s, "Content-Type", NULL) ? "another media type" : "no type");
    return -1;
  }
  double last = 0, grace_end = 0;
  for (int i = 0; i < MCPWIRE_STREAM_EVENTS_MAX; i++) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(cs->s, cs->answered ? grace_end : ctx_step_deadline(ctx),
                                      &f);
    if (!m)
      break;
    const char *method = jsonrpc_method(m);
    jsonrpc_kind k = jsonrpc_kind_of(m);
    if (cs->answered)
      cs->after_response++;
    else if (method && !strcmp(method, "notifications/progress"))
      note_progress(cs, m, &last);
    else if (k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE) {
      cs->answered = 1;
      grace_end = clock_ms() + MCPWIRE_STREAM_CLOSE_GRACE_MS;
    }
    jsonrpc_free(m);
  }
  return 0;
}

/* S26-SSE-01: the call's progress notifications carry its token,
 * increase, and come before the response (none after it). */
static void progress_before_response(case_ctx *ctx) {
  call_stream cs;
  if (progress_call(ctx, &cs))
    return;
  char got[160];
  snprintf(got, sizeof got, "%d progress with our token, %d other, %d not increasing, %d "
           "messages after the response%s", cs.progress, cs.foreign, cs.not_increasing,
           cs.after_response, cs.answered ? "" : ", no response");
  static const char want[] = "progress with the request's token, increasing, before the response";
  if (!cs.answered)
    ctx_error(ctx, "%s: the stream ended without the response", cs.sf.fx.tool);
  else if (cs.foreign || cs.not_increasing || cs.after_response)
    ctx_violation(ctx, want, got, "the call's stream: %s", got);
  else if (!cs.progress)
    ctx_skip(ctx, "%s sent no progress notification: nothing to judge", cs.sf.fx.tool);
  else
    ctx_checked(ctx, want, got);
}

/* tools/list's reply, when it is an event stream, must carry the
 * response before it ends (a server that closes early breaks the tool
 * lookup itself, so it is judged there first). 1 when it held. */
static int list_stream_answered(case_ctx *ctx) {
  stateless_request req = {.id_raw = "\"list-stream\"", .method = "tools/list"};
  http_stream *s = stateless_post(ctx->client, ctx->cfg->url, &req);
  rpc_failure f = {{0}};
  jsonrpc_msg *m = rpc_await_response(s, req.id_raw, ctx_step_deadline(ctx), &f, NULL);
  int ok = m || !s || !http_stream_is_event_stream(s) || !http_stream_ended(s);
  jsonrpc_free(m);
  if (!ok)
    ctx_violation(ctx, "the response before the stream ends", "the stream ended first",
                  "tools/list's event stream ended before its response: the request is lost "
                  "(S26-SSE-07)");
  return ok;
}

/* S26-SSE-03, S26-SSE-07: the stream does not end before the response,
 * and ends soon after it. */
static void ends_after_response(case_ctx *ctx) {
  call_stream cs;
  if (!list_stream_answered(ctx) || progress_call(ctx, &cs))
    return;
  if (!cs.answered)
    ctx_violation(ctx, "the response before the stream ends", "the stream ended first",
                  "the stream ended before the response: the request is lost (S26-SSE-07)");
  else if (!http_stream_ended(cs.s))
    ctx_violation(ctx, "the stream ends after the response", "still open",
                  "the stream was still open %d ms after the response",
                  MCPWIRE_STREAM_CLOSE_GRACE_MS);
  else
    ctx_checked(ctx, "ended by the response", "ended by the response");
}

/* S26-SSE-04: a response that opens an event stream says
 * X-Accel-Buffering: no. */
static void accel_buffering(case_ctx *ctx) {
  call_stream cs;
  if (progress_call(ctx, &cs))
    return;
  const char *v = http_stream_header(cs.s, "X-Accel-Buffering", NULL);
  if (v && !strcmp(v, "no"))
    ctx_checked(ctx, "X-Accel-Buffering: no", "X-Accel-Buffering: no");
  else
    ctx_violation(ctx, "X-Accel-Buffering: no", v ? v : "absent",
                  "the event stream response has X-Accel-Buffering %s (a buffering proxy "
                  "holds its events)", v ? v : "absent");
}

const case_def modern_sse_cases[] = {
    {CASE_ID("modern/sse", "progress-before-response"),
     .title = "A call's progress carries its token, increases and precedes the response",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-SSE-01"), .spec_ref = SSE_REF, .run = progress_before_response,
     .fixtures = FX_PROGRESS, .faults = FAULTS("progress-not-increasing", "progress-wrong-token",
                      "progress-after-response")},
    {CASE_ID("modern/sse", "ends-after-response"),
     .title = "A call's stream ends with its response, not before", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-SSE-03", "S26-SSE-07"), .spec_ref = SSE_REF,
     .run = ends_after_response, .fixtures = FX_PROGRESS,
     .faults = FAULTS("close-before-response")},
    {CASE_ID("modern/sse", "accel-buffering-no"),
     .title = "An event-stream response says X-Accel-Buffering: no", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_SHOULD, .requirements = REQS("S26-SSE-04"),
     .spec_ref = SSE_REF, .run = accel_buffering, .fixtures = FX_PROGRESS,
     .faults = FAULTS("no-accel-buffering-header")},
};
const size_t modern_sse_ncases = NCASES(modern_sse_cases);
