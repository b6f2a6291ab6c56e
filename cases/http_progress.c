/* http/progress: notifications/progress over Streamable HTTP (spec:
 * basic/utilities/progress). Uses the PROGRESS fixture role (a tool that
 * reports progress for the request's progressToken); ids and tokens are
 * unique in the run. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/exchange.h"
#include "verifier/message_check.h"
#include "verifier/call.h"
#include "verifier/progress_log.h"

/* Calls the PROGRESS fixture with progressToken `token` (JSON text),
 * reading the POST stream to its end and a quiet window past the response.
 * 0 when the call ran, -1 with a verdict set. */
static int run_progress_call(case_ctx *ctx, shttp *h, const char *token, progress_log *p) {
  fixture fx;
  char id[64];
  if (call_require_progress(ctx, h, FIXTURE_PACE_BRISK, &fx))
    return -1;
  http_stream *s = call_fixture_post(h, &fx, call_unique_id("prog", id, sizeof id), token);
  if (!s) {
    ctx_error(ctx, "%s: POST not started", fx.tool);
    return -1;
  }
  double end = ctx_step_deadline(ctx);
  for (;;) {
    rpc_failure f = {{0}};
    double until = p->answered ? exchange_quiet_deadline(ctx) : end;
    jsonrpc_msg *m = exchange_next(s, until < end ? until : end, &f);
    if (!m)
      break;
    message_check_envelope(ctx, m, "a message of the progress call");
    progress_log_note(ctx, p, m, token);
    jsonrpc_free(m);
    if (!s->is_sse)
      break;
  }
  if (!p->answered && http_stream_ended(s)) {
    /* A 2025-11-25 server may end the stream early and continue by polling. */
    ctx_skip(ctx, "the %s call's stream ended before its response (polling?): progress "
             "cannot be followed on it", fx.tool);
    return -1;
  }
  if (!p->answered) {
    ctx_error(ctx, "%s: no response within a step", fx.tool);
    return -1;
  }
  if (!p->count) {
    ctx_skip(ctx, "the target sent no progress notifications for the %s call (fixture "
             "progress, %s)", fx.tool, fx.source);
    return -1;
  }
  return 0;
}

/* LIFE-PROGRESS-02: each progress value is larger than the one before. */
static void values_increase(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  progress_log p = {0};
  char token[64];
  if (!ctx_http_session(ctx, &h) &&
      !run_progress_call(ctx, &h, call_unique_id("p", token, sizeof token), &p))
    progress_judge_increase(ctx, &p);
  shttp_free(&h);
}

/* LIFE-PROGRESS-03: progress carries our token, and stops at the response. */
static void token_and_stop(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  progress_log p = {0};
  char token[32];
  /* A number: its JSON type must come back unchanged too. */
  call_unique_id(NULL, token, sizeof token);
  if (!ctx_http_session(ctx, &h) && !run_progress_call(ctx, &h, token, &p))
    progress_judge_token(ctx, &p, token);
  shttp_free(&h);
}

#define PROGRESS_CASE(name_) CASE_ID("http/progress", name_), .transport = CASE_HTTP, \
  .revisions = REV_SHTTP, .spec_ref = SPEC_2511 "basic/utilities/progress"

const case_def http_progress_cases[] = {
    {PROGRESS_CASE("values-increase"),
     .title = "Progress values increase with every notification",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-PROGRESS-02"),
     .slow = 1, .run = values_increase,
     .fixtures = FX_PROGRESS,
     .faults = FAULTS("progress-not-increasing")},
    {PROGRESS_CASE("token-and-stop"),
     .title = "Progress carries the request's token and stops at the response",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-PROGRESS-03"),
     .slow = 1, .run = token_and_stop,
     .fixtures = FX_PROGRESS,
     .faults = FAULTS("progress-wrong-token", "progress-after-response")},
};
const size_t http_progress_ncases = NCASES(http_progress_cases);
