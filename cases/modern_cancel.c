/* modern/cancel: cancellation in the stateless era (2026-07-28 catalog
 * section 6, S26-CANCEL). Closing a request's response stream cancels
 * the request (S26-CANCEL-01, the reverse of SHTTP-POST-14); the server
 * sends notifications/cancelled only to end a listen (S26-CANCEL-06). Once the
 * stream is closed the wire shows nothing more, so the case needs a tool
 * that reports cancellations: the cancel_count fixture role (engine/fixture.h).
 * A target without one skips. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "mcpwire_limits.h"
#include "verifier/stateless_probe.h"

#define CANCEL_REF SPEC_2607 "basic/utilities/cancellation"
#define COUNT_MEMBER "cancelledOnClose"
/* The largest count read: one a long holds on every platform. */
#define COUNT_CEILING 2147483647.0
#define TOKEN "\"mcpwire-modern-cancel\""
/* Between two reads of the counter while the server notices the close. */
#define COUNTER_POLL_MS 50

/* The non-negative integer at path in m, -1 when there is none. */
static long count_at(const jsonrpc_msg *m, const char *path) {
  double d = -1;
  if (!m || !jsonrpc_get_number(m, path, &d) || d < 0 || d > COUNT_CEILING ||
      (double)(long)d != d)
    return -1;
  return (long)d;
}

/* The role's count per its contract: result.structuredContent first, then a
 * JSON object in the first text content; -1 when neither holds one. */
static long count_in_result(const jsonrpc_msg *m) {
  long n = count_at(m, "result.structuredContent." COUNT_MEMBER);
  const char *text = jsonrpc_get_string(m, "result.content[0].text");
  if (n >= 0 || !text)
    return n;
  jsonrpc_msg *obj = jsonrpc_parse(text, strlen(text));
  n = obj && jsonrpc_is_json(obj) ? count_at(obj, COUNT_MEMBER) : -1;
  jsonrpc_free(obj);
  return n;
}

/* The counter's value: >= 0, or -1 with a verdict. */
static long cancel_count(case_ctx *ctx, const stateless_fixture *counter, const char *id_raw) {
  stateless_request req = stateless_fixture_call(counter, id_raw);
  jsonrpc_msg *m = NULL;
  if (!stateless_probe_served(ctx, &req, counter->fx.tool, &m))
    return -1;
  long n = count_in_result(m);
  if (n < 0)
    ctx_error(ctx, "%s answered without a count of cancelled calls (an integer "
              COUNT_MEMBER ")", counter->fx.tool);
  jsonrpc_free(m);
  return n;
}

/* Starts the progress fixture and closes its stream after the first
 * progress notification. 0 when cut short; else a verdict (-1). */
static int call_cut_short(case_ctx *ctx, const stateless_fixture *sf) {
  stateless_request req = stateless_fixture_call(sf, "\"modern-cancel\"");
  req.meta_extra = "\"progressToken\":" TOKEN;
  http_stream *s = stateless_post(ctx->client, ctx->cfg->url, &req);
  if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "%s: no response: %s", sf->fx.tool, s ? http_stream_error(s) : "not sent");
    return -1;
  }
  if (!http_stream_is_event_stream(s)) {
    ctx_skip(ctx, "%s was answered as one JSON body: no stream to close while it runs",
             sf->fx.tool);
    return -1;
  }
  for (int i = 0; i < MCPWIRE_STREAM_EVENTS_MAX; i++) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
    const char *method = m ? jsonrpc_method(m) : NULL;
    int progress = method && !strcmp(method, "notifications/progress");
    int answered = m && !method;
    jsonrpc_free(m);
    if (progress) {
      http_stream_close(s); /* the client disconnects mid-call */
      return 0;
    }
    if (!m || answered) {
      ctx_skip(ctx, "%s %s before any progress: nothing left to cancel", sf->fx.tool,
               m ? "answered" : "ended");
      return -1;
    }
  }
  ctx_skip(ctx, "%s sent no progress in %d messages", sf->fx.tool, MCPWIRE_STREAM_EVENTS_MAX);
  return -1;
}

/* S26-CANCEL-01: the progress fixture's stream closed after its first
 * progress; the server's count of calls cancelled that way rises. */
static void close_cancels(case_ctx *ctx) {
  stateless_fixture counter, sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_CANCEL_COUNT, &counter) ||
      stateless_probe_require_fixture(ctx, FIXTURE_PROGRESS, &sf))
    return;
  long before = cancel_count(ctx, &counter, "\"count-before\"");
  if (before < 0 || call_cut_short(ctx, &sf))
    return;
  long after = before;
  double end = clock_ms() + ctx_window_ms(ctx, MCPWIRE_STREAM_CLOSE_GRACE_MS);
  while (after == before && !ctx->decided && clock_ms() < end) {
    client_idle_until(ctx->client, clock_ms() + COUNTER_POLL_MS);
    after = cancel_count(ctx, &counter, "\"count-after\"");
  }
  if (ctx->decided)
    return;
  char got[MCPWIRE_FIXTURE_TOOL_MAX + 64];
  snprintf(got, sizeof got, "%s: %ld before, %ld after", counter.fx.tool, before, after);
  if (after > before)
    ctx_checked(ctx, "the call cancelled when its stream closed", got);
  else
    ctx_violation(ctx, "the call cancelled when its stream closed", got,
                  "%s ran on after the client closed its response stream", sf.fx.tool);
}

#define LISTEN_ID "\"mcpwire-cancel-listen\""

/* Messages of one stateless request's reply up to its response: how many
 * were notifications/cancelled; -1 with an error verdict when none came. */
static int cancelled_in_reply(case_ctx *ctx, const stateless_request *req) {
  http_stream *s = stateless_post(ctx->client, ctx->cfg->url, req);
  int cancelled = 0;
  for (int i = 0; i < MCPWIRE_STREAM_EVENTS_MAX; i++) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
    if (!m) {
      ctx_error(ctx, "%s: no response: %s", req->method, f.why);
      return -1;
    }
    const char *method = jsonrpc_method(m);
    cancelled += method && !strcmp(method, "notifications/cancelled");
    jsonrpc_free(m);
    if (!method)
      break; /* the response */
  }
  client_release(s);
  return cancelled;
}

/* notifications/cancelled on the listen stream not naming its own id. */
static int foreign_cancels_on_listen(http_stream *listen, double window_ms) {
  double end = clock_ms() + window_ms;
  int foreign = 0;
  for (;;) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(listen, end, &f);
    if (!m)
      return foreign;
    const char *method = jsonrpc_method(m);
    size_t len = 0;
    const char *id = jsonrpc_get_raw(m, "params.requestId", &len);
    foreign += method && !strcmp(method, "notifications/cancelled") &&
               !(id && jsonrpc_id_equal(id, len, LISTEN_ID, strlen(LISTEN_ID)));
    jsonrpc_free(m);
  }
}

/* S26-CANCEL-06: with a listen open, server/discover and tools/list are
 * answered without any notifications/cancelled on their streams, and the
 * listen stream carries none but for its own id. */
static void cancelled_only_for_listen(case_ctx *ctx) {
  stateless_request listen = {.id_raw = LISTEN_ID, .method = "subscriptions/listen",
                              .params = "\"notifications\":{\"toolsListChanged\":true}"};
  http_stream *ls = stateless_post(ctx->client, ctx->cfg->url, &listen);
  int listening = !http_stream_wait_headers(ls, ctx_step_deadline(ctx)) && ls->status == 200 &&
                  http_stream_is_event_stream(ls);
  if (!listening)
    ctx_note(ctx, "subscriptions/listen: not a stream (HTTP %ld): request streams judged alone",
             ls ? ls->status : 0L);
  static const char *const methods[] = {"server/discover", "tools/list"};
  for (size_t i = 0; i < 2; i++) {
    stateless_request req = {.id_raw = i ? "\"cancel-list\"" : "\"cancel-discover\"",
                             .method = methods[i]};
    int n = cancelled_in_reply(ctx, &req);
    if (n < 0)
      return;
    if (n > 0) {
      ctx_violation(ctx, "notifications/cancelled only to end a listen", methods[i],
                    "the reply to %s carried notifications/cancelled", methods[i]);
      return;
    }
  }
  if (listening && foreign_cancels_on_listen(ls, ctx_window_ms(ctx, MCPWIRE_QUIET_WINDOW_MS))) {
    ctx_violation(ctx, "notifications/cancelled only for the listen's own id", "another id",
                  "the listen stream carried notifications/cancelled for another request");
    return;
  }
  ctx_checked(ctx, "no notifications/cancelled but to end a listen", "none");
}

const case_def modern_cancel_cases[] = {
    {CASE_ID("modern/cancel", "close-cancels"),
     .title = "Closing a call's response stream cancels the call",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-CANCEL-01"), .spec_ref = CANCEL_REF, .run = close_cancels,
     .fixtures = FX_CANCEL_COUNT | FX_PROGRESS,
     .faults = FAULTS("s26-no-cancel-on-close")},
    {CASE_ID("modern/cancel", "cancelled-only-for-listen"),
     .title = "notifications/cancelled is sent only to end a listen, naming its id",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-CANCEL-06"), .spec_ref = CANCEL_REF,
     .run = cancelled_only_for_listen, .faults = FAULTS("s26-cancelled-on-call-stream")},
};
const size_t modern_cancel_ncases = NCASES(modern_cancel_cases);
