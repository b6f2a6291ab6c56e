/* sse/session: one legacy session per SSE stream
 * (spec 2024-11-05: basic/transports#http-with-sse, basic/lifecycle#shutdown). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/exchange.h"

#define LEGACY_REF SPEC_2411 "basic/transports#http-with-sse"

/* Which of the two probe ids a stream saw. */
typedef struct route_tally {
  int own, foreign;
} route_tally;

/* 1 when an event carries a response whose id is exactly id_raw. */
static int event_answers(const stream_event *ev, const char *id_raw) {
  jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
  size_t len = 0;
  const char *id = m ? jsonrpc_id_raw(m, &len) : NULL;
  int hit = id && jsonrpc_kind_of(m) != JSONRPC_REQUEST &&
            jsonrpc_id_equal(id, len, id_raw, strlen(id_raw));
  jsonrpc_free(m);
  return hit;
}

/* Reads what has arrived on one stream, for a few ms at most. */
static void tally_events(http_stream *s, const char *own, const char *foreign, route_tally *t) {
  const stream_event *ev;
  while ((ev = http_stream_next_event(s, clock_ms() + MCPWIRE_CASE_POLL_MS))) {
    t->own += event_answers(ev, own);
    t->foreign += event_answers(ev, foreign);
  }
}

static int post_ping(legacy *l, const char *id_raw) {
  char body[128];
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}", id_raw);
  return legacy_post(l, body) ? 0 : -1;
}

/* SSELEG-09: two streams, two pings; each answer only on its own stream. */
static void routing_per_stream(case_ctx *ctx) {
  static const char *const ids[2] = {"\"route-a\"", "\"route-b\""};
  legacy l[2];
  legacy_init(&l[0], ctx->client, ctx->cfg->url);
  legacy_init(&l[1], ctx->client, ctx->cfg->url);
  route_tally t[2] = {{0, 0}, {0, 0}};
  if (ctx_legacy_session(ctx, &l[0]) || ctx_legacy_session(ctx, &l[1]))
    goto out;
  if (post_ping(&l[0], ids[0]) || post_ping(&l[1], ids[1])) {
    ctx_error(ctx, "could not start the two POSTs");
    goto out;
  }
  double deadline = ctx_step_deadline(ctx);
  while (clock_ms() < deadline && !(t[0].foreign || t[1].foreign) && !(t[0].own && t[1].own))
    for (int i = 0; i < 2; i++)
      tally_events(l[i].stream, ids[i], ids[1 - i], &t[i]);
  char got[160];
  snprintf(got, sizeof got, "stream A: own %d, other's %d; stream B: own %d, other's %d",
           t[0].own, t[0].foreign, t[1].own, t[1].foreign);
  if (t[0].foreign || t[1].foreign)
    ctx_violation(ctx, "each response only on its own session's stream", got,
                  "a response arrived on the other session's stream");
  else if (!t[0].own || !t[1].own)
    ctx_violation(ctx, "each response on its own session's stream", got,
                  "a response never arrived on its stream");
  else
    ctx_checked(ctx, "each response only on its own session's stream", got);
out:
  legacy_free(&l[0]);
  legacy_free(&l[1]);
}

/* SSELEG-14: closing the stream ends the session; its endpoint then refuses. */
static void closed_stream_ends_session(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (ctx_legacy_session(ctx, &l)) {
    legacy_free(&l);
    return;
  }
  http_stream_close(l.stream);
  /* Let the server see the close before the POST. */
  client_idle_until(ctx->client, clock_ms() + MCPWIRE_LEGACY_CLOSE_SETTLE_MS);
  http_stream *s = legacy_post(&l, "{\"jsonrpc\":\"2.0\",\"id\":\"after-close\",\"method\":\"ping\"}");
  if (!s) {
    ctx_error(ctx, "could not start the POST to the old endpoint");
  } else if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    /* A live server that leaves the POST hanging is behaviour to report. */
    const char *why = http_stream_error(s);
    ctx_warn(ctx, "an error status (de facto 404, 400 or 500)", why[0] ? why : "no answer",
             "the POST to a closed stream's endpoint got no status: %s",
             why[0] ? why : "no answer before the step deadline");
  } else {
    char got[32];
    snprintf(got, sizeof got, "HTTP %ld", s->status);
    if (s->status >= 200 && s->status <= 299)
      ctx_violation(ctx, "an error status (de facto 404, 400 or 500)", got,
                    "the endpoint of a closed stream still accepted a POST");
    else
      ctx_checked(ctx, "an error status (de facto 404, 400 or 500)", got);
  }
  legacy_free(&l);
}

/* POSTs body to l's endpoint with Content-Type ctype; the HTTP status as
 * text into got ("no status" when none came before the step deadline). */
static void post_refused_body(case_ctx *ctx, legacy *l, const char *ctype, const char *body,
                              char *got, size_t len) {
  const char *lines[] = {ctype, NULL};
  http_request req = {"POST", l->endpoint.url, lines, body, strlen(body)};
  http_stream *s = client_start(ctx->client, &req);
  if (s && !http_stream_wait_headers(s, ctx_step_deadline(ctx)))
    snprintf(got, len, "HTTP %ld", s->status);
  else
    snprintf(got, len, "no status");
}

/* SSELEG-16 (de facto) / SSELEG-06: POSTs the server refuses (a wrong
 * Content-Type, then unparseable JSON) leave the session alive: a ping
 * POSTed after them is still answered on the stream. No text says a
 * refusal may or may not end a session, so this warns at most. */
static void survives_rejected_posts(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (ctx_legacy_session(ctx, &l))
    goto done;
  char plain[32], bad_json[32], got[160];
  post_refused_body(ctx, &l, "Content-Type: text/plain",
                    "{\"jsonrpc\":\"2.0\",\"id\":\"rej-1\",\"method\":\"ping\"}", plain,
                    sizeof plain);
  post_refused_body(ctx, &l, "Content-Type: application/json", "{\"jsonrpc\":\"2.0\",\"id\":",
                    bad_json, sizeof bad_json);
  ctx_note(ctx, "text/plain POST: %s; unparseable JSON: %s", plain, bad_json);
  rpc_failure f = {{0}};
  http_stream *post = NULL;
  jsonrpc_msg *m = legacy_call(&l, "ping", NULL, ctx_step_deadline(ctx), &post, &f);
  static const char want[] = "the later ping answered on the stream";
  if (m) {
    snprintf(got, sizeof got, "answered after %s and %s", plain, bad_json);
    ctx_checked(ctx, want, got);
  } else if (!post) {
    ctx_error(ctx, "could not start the ping after the refused POSTs");
  } else {
    char status[48];
    snprintf(got, sizeof got, "ping POST: %s%s", exchange_status(post, status, sizeof status),
             http_stream_ended(l.stream) ? "; the SSE stream ended" : "");
    ctx_violation(ctx, want, got, "after two refused POSTs the session no longer answers: %s "
                  "(%s)", got, f.why);
  }
  jsonrpc_free(m);
done:
  legacy_free(&l);
}

const case_def sse_session_cases[] = {
    {CASE_ID("sse/session", "routing-per-stream"),
     .title = "Each session's responses arrive only on that session's SSE stream",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_MUST,
     .requirements = REQS("SSELEG-09"), .spec_ref = LEGACY_REF, .run = routing_per_stream,
     .faults = FAULTS("legacy-cross-routing")},
    {CASE_ID("sse/session", "closed-stream-ends-session"),
     .title = "After the client closes the SSE stream, a POST to its endpoint is refused",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_SHOULD,
     .requirements = REQS("SSELEG-14", "LIFE-OP-02"),
     .spec_ref = SPEC_2411 "basic/lifecycle#shutdown", .run = closed_stream_ends_session,
     .faults = FAULTS("legacy-accept-unknown-session")},
    {CASE_ID("sse/session", "survives-rejected-posts"),
     .title = "A refused POST (wrong Content-Type, unparseable JSON) does not end the session",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_SHOULD,
     .requirements = REQS("SSELEG-16", "SSELEG-06"), .spec_ref = LEGACY_REF,
     .run = survives_rejected_posts, .faults = FAULTS("legacy-reject-ends-session")},
};
const size_t sse_session_ncases = NCASES(sse_session_cases);
