/* http/poll: SSE polling and server-initiated disconnect, 2025-11-25 only
 * (SEP-1699; spec: basic/transports#sending-messages-to-the-server). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/watch.h"

static const char PING[] = "{\"jsonrpc\":\"2.0\",\"id\":\"poll-1\",\"method\":\"ping\"}";

/* The last event id a stream carried, "" when none. */
static void last_id_of(http_stream *s, char *buf, size_t n) {
  size_t len = 0;
  const char *last = s->sse ? sse_last_event_id(s->sse, &len) : NULL;
  snprintf(buf, n, "%.*s", (int)(last && len < n ? len : 0), last ? last : "");
}

/* The first event of an open SSE stream: an id and empty data. */
static void verify_priming(case_ctx *ctx, http_stream *s, const char *what) {
  const stream_event *ev = http_stream_next_event(s, ctx_step_deadline(ctx));
  if (!ev) {
    ctx_violation(ctx, "a priming event (id, empty data) first", "no event",
                  "%s: no event arrived, so no priming event", what);
    return;
  }
  char got[200];
  snprintf(got, sizeof got, "id \"%.40s\", %zu data bytes", ev->id, ev->data_len);
  if (!ev->id[0] || ev->data_len)
    ctx_violation(ctx, "id set, data empty", got,
                  "%s: the first event is not a priming event", what);
  else
    ctx_checked(ctx, "id set, data empty", got);
}

/* SHTTP-POLL-01: a POST SSE reply starts with the priming event. */
static void priming_on_post(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s = shttp_post(&h, PING, 0);
    if (verify_status(ctx, s, 200, "ping")) {
      if (!http_stream_is_event_stream(s))
        ctx_skip(ctx, "target answered with application/json: no stream to prime");
      else
        verify_priming(ctx, s, "POST stream of a ping");
    }
  }
  shttp_free(&h);
}

/* SHTTP-POLL-08 via SHTTP-GET-09: the GET stream is primed too. */
static void priming_on_get(case_ctx *ctx) {
  /* An idle GET stream is watched up to a step for its first event. */
  if (watch_left_out_by_quick(ctx, (double)ctx->cfg->step_timeout_ms))
    return;
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s = shttp_get(&h, NULL, 0);
    if (!s || http_stream_wait_headers(s, ctx_step_deadline(ctx)))
      ctx_error(ctx, "GET got no answer");
    else if (s->status == 405 || !http_stream_is_event_stream(s))
      ctx_skip(ctx, "target offers no standalone GET stream (HTTP %ld)", s->status);
    else
      verify_priming(ctx, s, "GET stream");
  }
  shttp_free(&h);
}

/* After an early close, GET with Last-Event-ID brings the response
 * (SHTTP-POLL-02: the logical stream outlives the connection). */
static void poll_for_response(case_ctx *ctx, shttp *h, http_stream *post) {
  char id[256];
  last_id_of(post, id, sizeof id);
  if (!id[0]) {
    ctx_violation(ctx, "an event id before the close", "none",
                  "the stream closed early without any event id to resume from");
    return;
  }
  http_stream *get = shttp_get(h, id, 0);
  if (!verify_status(ctx, get, 200, "GET with Last-Event-ID after the early close"))
    return;
  rpc_failure f = {{0}};
  jsonrpc_msg *m = rpc_await_response(get, "\"poll-1\"", ctx_step_deadline(ctx), &f, NULL);
  if (m)
    ctx_checked(ctx, "retry before the close, then the response by polling",
                "retry sent; the response came on the resumed stream");
  else
    ctx_violation(ctx, "the response on the resumed stream", f.why,
                  "polling after the early close did not bring the response");
  jsonrpc_free(m);
}

/* SHTTP-POLL-04: a stream closed before its response sent `retry` first;
 * the response then comes by polling. */
static void retry_before_close(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s = shttp_post(&h, PING, 0);
    if (verify_status(ctx, s, 200, "ping") && !http_stream_is_event_stream(s)) {
      ctx_skip(ctx, "target answered with application/json: no stream to close");
    } else if (!ctx->decided) {
      rpc_failure f = {{0}};
      jsonrpc_msg *m = rpc_await_response(s, "\"poll-1\"", ctx_step_deadline(ctx), &f, NULL);
      if (m)
        ctx_checked(ctx, "retry before any early close",
                    "the stream stayed open to the response");
      else if (!http_stream_ended(s))
        ctx_error(ctx, "the ping stream stalled without the response: %s", f.why);
      else if (sse_reconnection_ms(s->sse) < 0)
        ctx_violation(ctx, "a retry field before the close", "closed with no retry",
                      "the stream closed before the response without sending retry");
      else
        poll_for_response(ctx, &h, s);
      jsonrpc_free(m);
    }
  }
  shttp_free(&h);
}

#define POLL_REF SPEC_2511 "basic/transports#sending-messages-to-the-server"

const case_def http_poll_cases[] = {
    {CASE_ID("http/poll", "priming-event-post"),
     .title = "A POST SSE stream starts with a priming event (id, empty data)",
     .transport = CASE_HTTP, .revisions = REV_2025_11_25, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POLL-01"), .spec_ref = POLL_REF, .run = priming_on_post,
     .faults = FAULTS("no-priming-event", "no-event-ids")},
    {CASE_ID("http/poll", "priming-event-get"),
     .title = "The standalone GET stream starts with a priming event too",
     .transport = CASE_HTTP, .revisions = REV_2025_11_25, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POLL-01", "SHTTP-POLL-08"),
     .spec_ref = SPEC_2511 "basic/transports#listening-for-messages-from-the-server",
     .slow = 1, .run = priming_on_get, .faults = FAULTS("no-priming-event", "no-event-ids")},
    {CASE_ID("http/poll", "retry-before-early-close"),
     .title = "A stream closed before its response sent retry, and polling brings the response",
     .transport = CASE_HTTP, .revisions = REV_2025_11_25, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POLL-02", "SHTTP-POLL-04"), .spec_ref = POLL_REF,
     .run = retry_before_close, .faults = FAULTS("no-retry-before-close")},
};
const size_t http_poll_ncases = NCASES(http_poll_cases);
