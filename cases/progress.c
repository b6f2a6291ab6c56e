/* progress and cancel: notifications/progress and notifications/cancelled
 * judged on the messages alone (spec basic/utilities/progress and
 * cancellation), over verifier/peer: the legacy HTTP+SSE transport (the
 * call's messages on the stream) and stdio (one channel, S26-STDIO-06/09).
 * Streamable HTTP has http/progress and http/cancel, which follow the
 * call's own stream; the judgements are shared (verifier/progress_log).
 * The PROGRESS fixture role plays the call. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/call.h"
#include "verifier/message_check.h"
#include "verifier/peer.h"
#include "verifier/progress_log.h"
#include "verifier/watch.h"

/* Calls the PROGRESS fixture with token (JSON text) and reads the peer's
 * messages to the response and a quiet window past it. 0 when the call
 * ran and reported progress, -1 with the verdict set. */
static int run_progress_call(case_ctx *ctx, peer *p, const char *token, progress_log *log) {
  fixture fx;
  char id[64];
  peer_reply r;
  if (peer_require_fixture(p, FIXTURE_PROGRESS, FIXTURE_PACE_BRISK, &fx))
    return -1;
  if (peer_send_fixture(p, &fx, call_unique_id("prog", id, sizeof id), token, &r)) {
    peer_unanswered(p, &r, fx.tool);
    return -1;
  }
  double end = ctx_step_deadline(ctx);
  rpc_failure f = {{0}};
  jsonrpc_msg *m;
  while ((m = peer_next(p, log->answered ? ctx_window_ms(ctx, MCPWIRE_QUIET_WINDOW_MS) +
                                              clock_ms() : end, &f))) {
    message_check_envelope(ctx, m, "a message of the progress call");
    progress_log_note(ctx, log, m, token);
    jsonrpc_free(m);
  }
  if (!log->answered) {
    r.f = f;
    peer_unanswered(p, &r, fx.tool);
    return -1;
  }
  if (!log->count) {
    ctx_skip(ctx, "the target sent no progress notifications for the %s call (fixture "
             "progress, %s)", fx.tool, fx.source);
    return -1;
  }
  return 0;
}

/* LIFE-PROGRESS-02: each progress value is larger than the one before. */
static void values_increase(case_ctx *ctx) {
  peer p;
  progress_log log = {0};
  char token[64];
  if (!peer_open(ctx, &p) &&
      !run_progress_call(ctx, &p, call_unique_id("p", token, sizeof token), &log))
    progress_judge_increase(ctx, &log);
  peer_free(&p);
}

/* LIFE-PROGRESS-03: progress carries our token, and stops at the response. */
static void token_and_stop(case_ctx *ctx) {
  peer p;
  progress_log log = {0};
  char token[32];
  call_unique_id(NULL, token, sizeof token); /* a number: its JSON type must come back too */
  if (!peer_open(ctx, &p) && !run_progress_call(ctx, &p, token, &log))
    progress_judge_token(ctx, &log, token);
  peer_free(&p);
}

/* notifications/cancelled with these params members, in the peer's era
 * (at 2026-07-28 with the request metadata). 0 when sent. */
static int send_cancel(peer *p, const char *members, peer_reply *r) {
  if (p->stateless) {
    stateless_request req = {.method = "notifications/cancelled", .params = members};
    peer_stateless_call(p, &req, r);
  } else {
    char body[300];
    snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
             "\"params\":{%s}}", members);
    peer_call(p, body, NULL, r);
  }
  return r->send_failed ? -1 : 0;
}

/* LIFE-CANCEL-03 / S26-STDIO-09: a cancelled call sends no response (nor
 * progress) afterwards; watched for a step. */
static void cancelled_not_answered(case_ctx *ctx) {
  if (watch_left_out_by_quick(ctx, (double)ctx->cfg->step_timeout_ms))
    return;
  peer p;
  fixture fx;
  char id[64], token[64], cancel[200];
  peer_reply r;
  rpc_failure f = {{0}};
  if (peer_begin(ctx, &p) || peer_require_fixture(&p, FIXTURE_PROGRESS, FIXTURE_PACE_FULL, &fx))
    goto done;
  call_unique_id("cancel", id, sizeof id);
  if (peer_send_fixture(&p, &fx, id, call_unique_id("c", token, sizeof token), &r)) {
    peer_unanswered(&p, &r, fx.tool);
    goto done;
  }
  /* The first message says the call is running. */
  jsonrpc_msg *first = peer_next(&p, ctx_step_deadline(ctx), &f);
  jsonrpc_kind k = first ? jsonrpc_kind_of(first) : JSONRPC_INVALID;
  jsonrpc_free(first);
  if (!first) {
    r.f = f;
    peer_unanswered(&p, &r, fx.tool);
    goto done;
  }
  if (k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE) {
    ctx_skip(ctx, "the %s call was answered before it could be cancelled", fx.tool);
    goto done;
  }
  snprintf(cancel, sizeof cancel, "\"requestId\":%s,\"reason\":\"mcpwire cancels\"", id);
  if (send_cancel(&p, cancel, &r)) {
    ctx_error(ctx, "the cancel could not be sent: %s", r.f.why);
    goto done;
  }
  progress_log log = {0};
  jsonrpc_msg *m;
  double end = ctx_step_deadline(ctx);
  while (!log.answered && (m = peer_next(&p, end, &f))) {
    progress_log_note(ctx, &log, m, token);
    jsonrpc_free(m);
  }
  if (log.answered)
    ctx_violation(ctx, "no response after the cancel", "the response came",
                  "the cancelled %s call was answered anyway", fx.tool);
  else
    ctx_checked(ctx, "no response after the cancel", "none within a step");
done:
  peer_free(&p);
}

#define PEER_CASE_AT(section_, name_, revisions_) CASE_ID(section_, name_), \
  .transport = CASE_SSE | CASE_STDIO, .revisions = revisions_,  \
  .proof.transports = CASE_SSE | CASE_STDIO, .fixtures = FX_PROGRESS, .slow = 1
#define PEER_CASE(section_, name_) PEER_CASE_AT(section_, name_, REV_ALL)

const case_def progress_cases[] = {
    {PEER_CASE("progress", "values-increase"),
     .title = "Progress values increase with every notification",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-PROGRESS-02"),
     .spec_ref = SPEC_2511 "basic/utilities/progress", .run = values_increase,
     .faults = FAULTS("progress-not-increasing")},
    {PEER_CASE("progress", "token-and-stop"),
     .title = "Progress carries the request's token and stops at the response",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-PROGRESS-03"),
     .spec_ref = SPEC_2511 "basic/utilities/progress", .run = token_and_stop,
     .faults = FAULTS("progress-wrong-token", "progress-after-response")},
    /* SHOULD: LIFE-CANCEL-03 in the session era; S26-STDIO-09 (2026-07-28
     * on stdio) adds a MUST NOT to the SHOULD, which one level cannot say. */
    {PEER_CASE_AT("cancel", "not-answered-after-cancel", REV_ALL | REV_2026_07_28),
     .title = "A cancelled call sends no response afterwards",
     .level = LEVEL_SHOULD, .requirements = REQS("LIFE-CANCEL-03", "S26-STDIO-09"),
     .spec_ref = SPEC_2511 "basic/utilities/cancellation", .run = cancelled_not_answered,
     .faults = FAULTS("respond-after-cancel")},
};
const size_t progress_ncases = NCASES(progress_cases);
