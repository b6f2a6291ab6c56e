/* http/proxy: what survives a buffering proxy, and the target's mitigations
 * (heartbeats, X-Accel-Buffering: no, prompt stream close, event ids).
 * Cases that measure a mitigation talk to the run's URL; the survival cases
 * put the harness's own `buffer` proxy in front, or run through whatever
 * path the run was given (mcpwire run --proxy, nginx). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/watch.h"
#include "verifier/call.h"
#include "verifier/proxy_front.h"

SECTION_TABLE(http_proxy)

/* One call of the ECHO fixture, its response awaited (polling followed). */
static jsonrpc_msg *echo_call(case_ctx *ctx, shttp *h, const fixture *fx, http_stream **post,
                              rpc_failure *f) {
  char id[64];
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  *post = fixture_request(fx, call_unique_id("echo", id, sizeof id), NULL, "mcpwire", &body)
              ? NULL
              : shttp_post(h, dynbuf_str(&body), 0);
  dynbuf_free(&body);
  return call_await(ctx, h, *post, id, f);
}

/* ms from now until the stream ends (capped by the step deadline); -1 when
 * it did not end in time. */
static double ms_until_end(case_ctx *ctx, http_stream *s) {
  double t0 = clock_ms();
  if (http_stream_wait_done(s, ctx_step_deadline(ctx)))
    return -1;
  return clock_ms() - t0;
}

/* SHTTP-POST-13: a POST stream that ends right after its response lets a
 * buffering proxy release it; one that stays open never arrives. */
static void requests_complete_behind_buffer(case_ctx *ctx) {
  shttp h;
  proxy_front pf = {0};
  shttp_init(&h, ctx->client, ctx->cfg->url);
  fixture fx;
  if (ctx_http_session(ctx, &h) || call_require_fixture(ctx, &h, FIXTURE_ECHO, &fx)) {
    shttp_free(&h);
    return;
  }
  rpc_failure f = {{0}};
  http_stream *post = NULL;
  jsonrpc_msg *m = echo_call(ctx, &h, &fx, &post, &f);
  double linger = m && post ? ms_until_end(ctx, post) : -1;
  int sse = post && http_stream_is_event_stream(post);
  jsonrpc_free(m);
  if (!m) {
    ctx_error(ctx, "direct tools/call echo failed: %s", f.why);
    shttp_free(&h);
    return;
  }
  ctx_note(ctx, "direct: %s reply; stream ended %.0f ms after the response",
           sse ? "SSE" : "JSON", linger);
  if (proxy_front_start(ctx, &pf, "buffer")) {
    shttp_free(&h);
    return;
  }
  h.url = pf.url;
  double t0 = clock_ms();
  m = echo_call(ctx, &h, &fx, &post, &f);
  double took = clock_ms() - t0;
  char got[256];
  if (!m) {
    snprintf(got, sizeof got, "no response through the buffer in %.0f ms; direct, the %s "
             "stream %s", took, sse ? "SSE" : "JSON",
             linger < 0 ? "stayed open after its response" : "ended");
    ctx_violation(ctx, "the response, released when the POST stream ends", got,
                  "requests do not complete behind a buffering proxy: %s", got);
  } else if (linger > MCPWIRE_POST_CLOSE_PROMPT_MS) {
    snprintf(got, sizeof got, "stream ended %.0f ms after the response (buffered call %.0f ms)",
             linger, took);
    ctx_violation(ctx, "POST stream ends right after the response", got,
                  "a buffering proxy delays every response by the linger: %s", got);
  } else {
    snprintf(got, sizeof got, "completed in %.0f ms through the buffer (%s reply, stream "
             "ended %.0f ms after the response)", took, sse ? "SSE" : "JSON", linger);
    ctx_checked(ctx, "requests complete behind a buffering proxy", got);
  }
  jsonrpc_free(m);
  h.url = ctx->cfg->url;
  shttp_free(&h);
  proxy_front_stop(&pf);
}

/* Counts SSE responses and those carrying X-Accel-Buffering: no. */
typedef struct accel_count {
  int sse, marked;
  char missing[160];
} accel_count;

static void accel_note(accel_count *a, http_stream *s, const char *what) {
  if (!s || !http_stream_is_event_stream(s))
    return;
  a->sse++;
  const char *v = http_stream_header(s, "X-Accel-Buffering", NULL);
  if (v && !strcmp(v, "no"))
    a->marked++;
  else
    snprintf(a->missing + strlen(a->missing), sizeof a->missing - strlen(a->missing), "%s%s",
             *a->missing ? ", " : "", what);
}

/* SSEWIRE-24: nginx releases each SSE write at once when the response says
 * X-Accel-Buffering: no, whatever its proxy_buffering. */
static void accel_buffering_header(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  accel_count a = {0, 0, ""};
  if (ctx_http_session(ctx, &h)) {
    shttp_free(&h);
    return;
  }
  accel_note(&a, h.init_stream, "POST initialize");
  rpc_failure f = {{0}};
  http_stream *post = NULL;
  jsonrpc_msg *m = call_request(ctx, &h, NULL, "ping", "{}", &post, &f);
  jsonrpc_free(m);
  accel_note(&a, post, "POST ping");
  http_stream *get = shttp_get(&h, NULL, 0);
  if (get && !http_stream_wait_headers(get, ctx_step_deadline(ctx)) && get->status == 200)
    accel_note(&a, get, "GET stream");
  char got[256];
  snprintf(got, sizeof got, "%d of %d SSE responses marked%s%s", a.marked, a.sse,
           *a.missing ? "; unmarked: " : "", a.missing);
  if (!a.sse)
    ctx_skip(ctx, "no SSE response (JSON replies, no GET stream): nothing for a proxy to buffer");
  else if (a.marked < a.sse)
    ctx_violation(ctx, "X-Accel-Buffering: no on every SSE response", got,
                  "nginx will buffer these streams unless its operator turns buffering off: %s; "
                  "the header did not reach mcpwire: the server did not send it, or something "
                  "in between removed it (nginx itself never passes X-Accel-* headers on)",
                  got);
  else
    ctx_checked(ctx, "X-Accel-Buffering: no on every SSE response", got);
  shttp_free(&h);
}

/* What an idle stream carried while watched. */
typedef struct idle_watch {
  http_stream *s;
  uint64_t comments;     /* count at the last look */
  size_t events;
} idle_watch;

static int idle_changed(void *arg) {
  idle_watch *w = arg;
  const sse_stats *st = http_stream_sse_stats(w->s);
  return http_stream_ended(w->s) || (st && st->comments != w->comments) ||
         w->s->nevents != w->events;
}

/* Watches the stream until the first keep-alive after a quiet start;
 * returns its delay in ms, -1 when none came before watch_end. */
static double first_keepalive(case_ctx *ctx, http_stream *s, double watch_end) {
  idle_watch w = {s, 0, s->nevents};
  double quiet_since = clock_ms();
  const sse_stats *st = http_stream_sse_stats(s);
  w.comments = st ? st->comments : 0;
  while (clock_ms() < watch_end) {
    if (client_wait(ctx->client, idle_changed, &w, watch_end) || http_stream_ended(s))
      return -1;
    st = http_stream_sse_stats(s);
    if (st && st->comments != w.comments)
      return clock_ms() - quiet_since;
    w.events = s->nevents;      /* an event restarts the quiet period */
    quiet_since = clock_ms();
  }
  return -1;
}

/* SSEWIRE-24: an idle stream needs keep-alives, or proxies and load
 * balancers cut it (nginx proxy_read_timeout and most LBs: 60 s). */
static void idle_heartbeat(case_ctx *ctx) {
  if (watch_left_out_by_quick(ctx, MCPWIRE_HEARTBEAT_WATCH_MS))
    return;
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h)) {
    shttp_free(&h);
    return;
  }
  http_stream *get = shttp_get(&h, NULL, 0);
  double t0 = clock_ms();
  if (!get || http_stream_wait_headers(get, ctx_step_deadline(ctx))) {
    ctx_skip(ctx, "the GET stream's head did not come in %.0f ms (a buffering proxy in the "
             "path holds it): no idle stream to watch", clock_ms() - t0);
    shttp_free(&h);
    return;
  }
  if (get->status != 200 || !http_stream_is_event_stream(get)) {
    ctx_skip(ctx, "no standalone GET stream to watch (HTTP %ld)", get->status);
    shttp_free(&h);
    return;
  }
  double end = clock_ms() + MCPWIRE_HEARTBEAT_WATCH_MS;
  if (end > ctx->deadline_ms - 500)
    end = ctx->deadline_ms - 500;
  double started = clock_ms(), watched = end - started;
  double delay = first_keepalive(ctx, get, end);
  watch_keepalive_waited(ctx, clock_ms() - started);
  if (delay < 0 && http_stream_ended(get))
    watched = clock_ms() - started; /* the watch ended with the stream */
  char got[200];
  if (delay < 0 && watched < MCPWIRE_HEARTBEAT_MIN_WATCH_MS && !http_stream_ended(get)) {
    ctx_skip(ctx, "no keep-alive in the %.0f ms the case deadline left to watch (under %d ms "
             "proves nothing: raise --timeout-ms)", watched, MCPWIRE_HEARTBEAT_MIN_WATCH_MS);
  } else if (delay < 0) {
    snprintf(got, sizeof got, "no keep-alive in %.0f ms of an idle GET stream%s", watched,
             http_stream_ended(get) ? " (the stream ended)" : "");
    ctx_violation(ctx, "a comment keep-alive on an idle stream (about every 15 s)", got,
                  "idle streams will be cut by proxies' read timeouts: %s", got);
  } else if (delay > MCPWIRE_HEARTBEAT_WARN_MS) {
    snprintf(got, sizeof got, "first keep-alive after %.0f ms idle", delay);
    ctx_violation(ctx, "a keep-alive within 30 s of silence", got, "%s", got);
  } else {
    snprintf(got, sizeof got, "keep-alive after %.0f ms idle", delay);
    ctx_checked(ctx, "a comment keep-alive on an idle stream", got);
  }
  shttp_free(&h);
}

/* Waits for a message other than a response on the GET stream. */
static const char *next_notification(case_ctx *ctx, http_stream *get, char *buf, size_t len) {
  for (;;) {
    const stream_event *ev = http_stream_next_event(get, ctx_step_deadline(ctx));
    if (!ev)
      return NULL;
    jsonrpc_msg *n = jsonrpc_parse(ev->data, ev->data_len);
    const char *name = n ? jsonrpc_method(n) : NULL;
    if (name)
      snprintf(buf, len, "%s", name);
    jsonrpc_free(n);
    if (name)
      return buf;
  }
}

/* The path from harness to target (direct, --proxy, nginx) must deliver a
 * GET stream's messages while the stream stays open. */
static void get_stream_delivers(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  fixture fx;
  char why[300];
  if (ctx_http_session(ctx, &h) || call_require_fixture(ctx, &h, FIXTURE_LIST_CHANGED, &fx)) {
    shttp_free(&h);
    return;
  }
  http_stream *get = shttp_get(&h, NULL, 0);
  double t0 = clock_ms();
  if (!get || http_stream_wait_headers(get, ctx_step_deadline(ctx))) {
    double waited = clock_ms() - t0;
    char got[200];
    snprintf(got, sizeof got, "no response head in %.0f ms (a buffer holds the whole "
             "response until the stream ends)", waited);
    ctx_violation(ctx, "GET stream head and messages as they are sent", got,
                  "streams do not survive a buffering proxy: %s", got);
    shttp_free(&h);
    return;
  }
  if (get->status != 200 || !http_stream_is_event_stream(get)) {
    ctx_skip(ctx, "no standalone GET stream (HTTP %ld)", get->status);
    shttp_free(&h);
    return;
  }
  if (call_fixture_trigger(ctx, &h, &fx, NULL, why, sizeof why))
    ctx_note(ctx, "%s: %s", fx.tool, why);
  double sent = clock_ms();
  char method[128], got[256];
  if (next_notification(ctx, get, method, sizeof method)) {
    snprintf(got, sizeof got, "%s delivered %.0f ms after the trigger's response", method,
             clock_ms() - sent);
    ctx_checked(ctx, "GET stream messages delivered while the stream is open", got);
  } else {
    snprintf(got, sizeof got, "list_changed not delivered in %.0f ms on the open GET stream",
             clock_ms() - sent);
    ctx_violation(ctx, "GET stream messages delivered while the stream is open", got,
                  "streams do not survive a buffering proxy: %s", got);
  }
  shttp_free(&h);
}

/* Reads a stream to its end; counts events and those with an id. */
static void count_ids(case_ctx *ctx, http_stream *s, int *events, int *with_id) {
  const stream_event *ev;
  while ((ev = http_stream_next_event(s, ctx_step_deadline(ctx)))) {
    (*events)++;
    if (ev->id[0])
      (*with_id)++;
  }
}

/* SHTTP-RESUME-01: only events with ids can be resumed after a proxy or
 * load balancer cuts the stream. */
static void resumable_event_ids(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  fixture fx;
  char id[64], token[64];
  if (ctx_http_session(ctx, &h) || call_require_progress(ctx, &h, FIXTURE_PACE_BRISK, &fx)) {
    shttp_free(&h);
    return;
  }
  http_stream *post = call_fixture_post(&h, &fx, call_unique_id("ids", id, sizeof id),
                                         call_unique_id("ids", token, sizeof token));
  if (!verify_status(ctx, post, 200, "the progress fixture's tools/call")) {
    shttp_free(&h);
    return;
  }
  if (!http_stream_is_event_stream(post)) {
    ctx_skip(ctx, "JSON reply: no stream for a proxy to cut");
    shttp_free(&h);
    return;
  }
  int events = 0, with_id = 0;
  count_ids(ctx, post, &events, &with_id);
  int64_t retry = post->sse ? sse_reconnection_ms(post->sse) : -1;
  char got[200];
  snprintf(got, sizeof got, "%d of %d events with an id; retry %s%lld ms", with_id, events,
           retry < 0 ? "not sent" : "", retry < 0 ? 0LL : (long long)retry);
  if (retry < 0)
    got[strlen(got) - 4] = '\0';   /* drop the "0 ms" after "not sent" */
  if (!events)
    ctx_skip(ctx, "the POST stream carried no message (closed early for polling): nothing "
             "on it for a proxy to cut");
  else if (with_id < events)
    ctx_violation(ctx, "an id on every event, so a cut stream resumes", got,
                  "a stream cut by a proxy cannot be resumed past events without ids: %s", got);
  else
    ctx_checked(ctx, "an id on every event, so a cut stream resumes", got);
  shttp_free(&h);
}

const case_def http_proxy_cases[] = {
    {CASE_ID("http/proxy", "requests-complete-behind-buffer"),
     .title = "A request completes through a proxy that buffers whole responses",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POST-13"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = requests_complete_behind_buffer, .faults = FAULTS("keep-post-stream-open"),
     .fixtures = FX_ECHO},
    {CASE_ID("http/proxy", "accel-buffering-header"),
     .title = "SSE responses say X-Accel-Buffering: no (nginx streams them)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SSEWIRE-24"),
     .spec_ref = "https://html.spec.whatwg.org/multipage/server-sent-events.html#authoring-notes",
     .run = accel_buffering_header, .faults = FAULTS("no-accel-buffering-header")},
    {CASE_ID("http/proxy", "idle-heartbeat"),
     .title = "An idle GET stream gets comment keep-alives (measured interval)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SSEWIRE-24"),
     .spec_ref = "https://html.spec.whatwg.org/multipage/server-sent-events.html#authoring-notes",
     .slow = 1, .run = idle_heartbeat, .faults = FAULTS("no-heartbeat")},
    {CASE_ID("http/proxy", "resumable-event-ids"),
     .title = "Every event of a POST stream has an id, so a cut stream can resume",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MAY,
     .requirements = REQS("SHTTP-RESUME-01"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .slow = 1, .run = resumable_event_ids, .faults = FAULTS("no-event-ids"),
     .fixtures = FX_PROGRESS},
    {CASE_ID("http/proxy", "get-stream-delivers"),
     .title = "The path to the target delivers GET stream messages while the stream is open",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SSEWIRE-24"),
     .spec_ref = SPEC_2511 "basic/transports#listening-for-messages-from-the-server",
     .run = get_stream_delivers, .fixtures = FX_LIST_CHANGED,
     .no_fault_reason = "tests the path (a proxy in front), not the server: tests/scenarios "
                        "runs it with --proxy buffer, tests/nginx behind nginx"},
};
const size_t http_proxy_ncases = NCASES(http_proxy_cases);
