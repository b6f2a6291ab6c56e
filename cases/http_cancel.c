/* http/cancel: notifications/cancelled over Streamable HTTP (spec:
 * basic/utilities/cancellation). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/watch.h"
#include "verifier/exchange.h"
#include "verifier/call.h"

/* POSTs a cancel notification with `params`; the POST stream, or NULL. */
static http_stream *post_cancel(case_ctx *ctx, shttp *h, const char *params) {
  char body[256];
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
           "\"params\":%s}", params);
  http_stream *s = shttp_post(h, body, 0);
  if (s)
    http_stream_wait_done(s, ctx_step_deadline(ctx));
  return s;
}

/* A cancel must not be answered with a JSON-RPC message (JSONRPC-14); 202
 * is the answer, a 4xx without a body is tolerated. 1 when fine. */
static int judge_cancel_reply(case_ctx *ctx, http_stream *s, const char *what) {
  char st[48];
  exchange_status(s, st, sizeof st);
  if (!s || !s->headers_done) {
    ctx_error(ctx, "%s: %s", what, st);
    return 0;
  }
  if (rpc_body_has_message(s)) {
    ctx_violation(ctx, "HTTP 202, no JSON-RPC error", "a JSON-RPC message in the body",
                  "%s was answered with a JSON-RPC message (%s)", what, st);
    return 0;
  }
  if (exchange_is_4xx(s)) {
    ctx_note(ctx, "%s got %s without a body: tolerated (X-13)", what, st);
    return 1;
  }
  if (s->status != 202) {
    ctx_violation(ctx, "HTTP 202", st, "%s got %s", what, st);
    return 0;
  }
  return 1;
}

/* LIFE-CANCEL-03: a cancelled PROGRESS fixture call sends no response
 * afterwards. */
static void slow_call_not_answered(case_ctx *ctx) {
  /* The silence that passes this case is watched for a step. */
  if (watch_left_out_by_quick(ctx, (double)ctx->cfg->step_timeout_ms))
    return;
  shttp h;
  fixture fx;
  char id[64], token[64], params[160];
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) || call_require_fixture(ctx, &h, FIXTURE_PROGRESS, &fx))
    goto done;
  call_unique_id("cancel", id, sizeof id);
  http_stream *call =
      call_fixture_post(&h, &fx, id, call_unique_id("cancel", token, sizeof token));
  rpc_failure f = {{0}};
  /* The first progress says the call is running. */
  jsonrpc_msg *first = call ? exchange_next(call, ctx_step_deadline(ctx), &f) : NULL;
  if (!first && call && http_stream_ended(call)) {
    ctx_skip(ctx, "the %s call's stream ended before any message (polling?)", fx.tool);
    goto done;
  }
  if (!first) {
    ctx_error(ctx, "%s call: %s", fx.tool, call ? f.why : "POST not started");
    goto done;
  }
  jsonrpc_kind k = jsonrpc_kind_of(first);
  jsonrpc_free(first);
  if (k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE) {
    ctx_skip(ctx, "the %s call was answered before it could be cancelled", fx.tool);
    goto done;
  }
  snprintf(params, sizeof params, "{\"requestId\":%s,\"reason\":\"mcpwire cancels\"}", id);
  judge_cancel_reply(ctx, post_cancel(ctx, &h, params), "the cancel");
  size_t responses = 0;
  exchange_drain(ctx, call, ctx_step_deadline(ctx), &responses, NULL, NULL);
  if (responses)
    ctx_violation(ctx, "no response after the cancel", "the response came",
                  "the cancelled call was answered anyway");
  else
    ctx_checked(ctx, "no response after the cancel",
                http_stream_ended(call) ? "none; the stream ended" : "none within a step");
done:
  shttp_free(&h);
}

/* LIFE-CANCEL-04 / LIFE-CANCEL-08: a cancel for an id never sent gets 202
 * and no error, on the POST or on the GET stream. */
static void unknown_id_ignored(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h))
    goto done;
  http_stream *get = exchange_watch_get(ctx, &h, NULL);
  if (!judge_cancel_reply(ctx, post_cancel(ctx, &h, "{\"requestId\":\"never-sent-77\"}"),
                          "a cancel for an unknown id"))
    goto done;
  if (exchange_quiet_responses(ctx, get))
    ctx_violation(ctx, "no JSON-RPC error anywhere", "a response on the GET stream",
                  "the cancel for an unknown id was answered on the GET stream");
  ctx_checked(ctx, "HTTP 202, no error anywhere", "no error");
done:
  shttp_free(&h);
}

/* LIFE-CANCEL-08: a cancel without requestId is ignored, not answered. */
static void malformed_ignored(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h) &&
      judge_cancel_reply(ctx, post_cancel(ctx, &h, "{\"reason\":\"no requestId\"}"),
                         "a cancel without requestId"))
    ctx_checked(ctx, "HTTP 202 (or a bare 4xx), no JSON-RPC error", "no error");
  shttp_free(&h);
}

/* LIFE-CANCEL-06: a cancel that arrives after the response leaves the
 * session usable. */
static void late_cancel_harmless(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h))
    goto done;
  rpc_failure f = {{0}};
  jsonrpc_msg *m = call_request(ctx, &h, "\"done-1\"", "ping", NULL, NULL,
                                 &f);
  int ok = verify_success_response(ctx, m, &f, "ping");
  jsonrpc_free(m);
  if (!ok)
    goto done;
  http_stream *c = post_cancel(ctx, &h, "{\"requestId\":\"done-1\"}");
  char st[48];
  ctx_note(ctx, "the late cancel got %s", exchange_status(c, st, sizeof st));
  m = call_request(ctx, &h, NULL, "ping", NULL, NULL, &f);
  if (!m || jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE)
    ctx_violation(ctx, "the next ping answered", m ? jsonrpc_kind_name(jsonrpc_kind_of(m)) : f.why,
                  "after a late cancel the session no longer answers ping");
  else
    ctx_checked(ctx, "the next ping answered", "answered");
  jsonrpc_free(m);
done:
  shttp_free(&h);
}

#define CANCEL_CASE(name_) CASE_ID("http/cancel", name_), .transport = CASE_HTTP, \
  .revisions = REV_SHTTP, .spec_ref = SPEC_2511 "basic/utilities/cancellation"

const case_def http_cancel_cases[] = {
    {CANCEL_CASE("slow-call-not-answered"),
     .title = "A cancelled slow call sends no response afterwards",
     .level = LEVEL_SHOULD, .requirements = REQS("LIFE-CANCEL-03"),
     .slow = 1, .run = slow_call_not_answered, .faults = FAULTS("respond-after-cancel"),
     .fixtures = FX_PROGRESS},
    {CANCEL_CASE("unknown-id-ignored"),
     .title = "A cancel for an id never sent gets 202 and no error anywhere",
     .level = LEVEL_SHOULD, .requirements = REQS("LIFE-CANCEL-04", "LIFE-CANCEL-08", "JSONRPC-14"),
     .slow = 1, .run = unknown_id_ignored, .faults = FAULTS("reject-invalid-cancel")},
    {CANCEL_CASE("malformed-ignored"),
     .title = "A cancel without requestId gets no JSON-RPC error (202, or a bare 4xx)",
     .level = LEVEL_SHOULD, .requirements = REQS("LIFE-CANCEL-08", "JSONRPC-14"),
     .run = malformed_ignored, .faults = FAULTS("reject-invalid-cancel")},
    {CANCEL_CASE("late-cancel-harmless"),
     .title = "A cancel arriving after the response leaves the session usable",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-CANCEL-06"),
     .run = late_cancel_harmless, .faults = FAULTS("late-cancel-breaks-session")},
};
const size_t http_cancel_ncases = NCASES(http_cancel_cases);
