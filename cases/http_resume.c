/* http/resume: resumption with Last-Event-ID
 * (spec: basic/transports#resumability-and-redelivery). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"

/* Steps asked of the fixture tool: enough to disconnect in the middle. */
#define SLOW_STEPS 8

typedef struct progress_log {
  int seen[SLOW_STEPS + 2];
  double total;
} progress_log;

/* Records a progress notification's value; 1 when `m` was one. */
static int note_progress(progress_log *p, const jsonrpc_msg *m) {
  const char *method = jsonrpc_method(m);
  double v = 0, t = 0;
  if (!method || strcmp(method, "notifications/progress") ||
      !jsonrpc_get_number(m, "params.progress", &v))
    return 0;
  if (jsonrpc_get_number(m, "params.total", &t))
    p->total = t;
  if (v >= 0 && v <= SLOW_STEPS + 1 && v == floor(v))
    p->seen[(int)v] = 1;
  return 1;
}

/* Reads progress events from the POST stream until three arrived and the
 * last carries an event id; returns that id (malloc) and the longest gap
 * between them, the server's own pace. */
static char *read_until_id(case_ctx *ctx, http_stream *s, progress_log *p, double *gap) {
  double last = 0;
  int seen = 0;
  for (;;) {
    const stream_event *ev = http_stream_next_event(s, ctx_step_deadline(ctx));
    if (!ev)
      return NULL;
    jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
    int progress = m && note_progress(p, m);
    jsonrpc_free(m);
    if (!progress)
      continue;
    double now = clock_ms();
    if (seen++ && now - last > *gap)
      *gap = now - last;
    last = now;
    if (seen >= 3)
      return ev->id[0] ? strdup(ev->id) : NULL;
  }
}

/* What a resumed stream carried besides the call's own traffic. */
typedef struct foreign_log {
  const char *watch;   /* a method that belongs to another stream, or NULL */
  int count;           /* messages with that method */
} foreign_log;

/* Reads the resumed stream until the call's response. */
static jsonrpc_msg *read_resumed(case_ctx *ctx, http_stream *s, const char *call_id,
                                 progress_log *p, foreign_log *foreign) {
  for (;;) {
    const stream_event *ev = http_stream_next_event(s, ctx_step_deadline(ctx));
    if (!ev)
      return NULL;
    jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
    if (!m)
      return NULL;
    size_t len = 0;
    const char *id = jsonrpc_id_raw(m, &len);
    jsonrpc_kind k = jsonrpc_kind_of(m);
    if ((k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE) && id &&
        jsonrpc_id_equal(id, len, call_id, strlen(call_id)))
      return m;
    const char *method = jsonrpc_method(m);
    if (foreign && foreign->watch && method && !strcmp(method, foreign->watch))
      foreign->count++;
    note_progress(p, m);
    jsonrpc_free(m);
  }
}

static int missing_steps(const progress_log *p, char *buf, size_t len) {
  int total = p->total > 0 && p->total <= SLOW_STEPS ? (int)p->total : 0;
  size_t used = 0;
  int missing = 0;
  buf[0] = '\0';
  for (int v = 1; v <= total; v++)
    if (!p->seen[v] && used + 8 < len) {
      used += (size_t)snprintf(buf + used, len - used, "%s%d", missing ? "," : "", v);
      missing++;
    }
  return missing;
}

/* Let the server produce events while we are away: twice its own pace. */
static void stay_away(case_ctx *ctx, double gap) {
  double away = clock_ms() + 2.5 * gap;
  client_idle_until(ctx->client, away < ctx->deadline_ms ? away : ctx->deadline_ms);
}

static void resume_after(case_ctx *ctx, shttp *h, const char *event_id, double gap,
                         progress_log *p) {
  stay_away(ctx, gap);
  http_stream *get = shttp_get(h, event_id, 0);
  if (!verify_status(ctx, get, 200, "GET with Last-Event-ID"))
    return;
  jsonrpc_msg *resp = read_resumed(ctx, get, "\"resume-call\"", p, NULL);
  if (!resp) {
    ctx_violation(ctx, "remaining events and the response", "no response on the resumed stream",
                  "resumed stream ended or stalled without the call's response");
    return;
  }
  jsonrpc_free(resp);
  char missing[128];
  if (missing_steps(p, missing, sizeof missing))
    ctx_violation(ctx, "every progress step replayed", missing,
                  "progress steps %s were lost across the reconnect", missing);
  else
    ctx_checked(ctx, "events after Last-Event-ID replayed, then the response",
                "all progress steps and the response arrived");
}

/* POSTs the slow fixture call, reads three progress events and disconnects.
 * Returns the last event id (malloc) or NULL with the verdict set. */
static char *start_and_drop_call(case_ctx *ctx, shttp *h, progress_log *p, double *gap) {
  char body[256];
  snprintf(body, sizeof body,
           "{\"jsonrpc\":\"2.0\",\"id\":\"resume-call\",\"method\":\"tools/call\",\"params\":"
           "{\"name\":\"slow\",\"arguments\":{\"steps\":%d},\"_meta\":{\"progressToken\":"
           "\"resume\"}}}",
           SLOW_STEPS);
  http_stream *post = shttp_post(h, body, 0);
  char *event_id = NULL;
  if (!verify_status(ctx, post, 200, "tools/call slow"))
    return NULL;
  if (!http_stream_is_event_stream(post)) {
    ctx_skip(ctx, "target answered the call with application/json: no stream to resume");
    return NULL;
  }
  if (!(event_id = read_until_id(ctx, post, p, gap))) {
    ctx_skip(ctx, "no progress events with an event id: target offers no resumption");
    return NULL;
  }
  ctx_note(ctx, "disconnecting after event id %s", event_id);
  http_stream_close(post);
  return event_id;
}

/* SHTTP-RESUME-05: a GET with Last-Event-ID replays what followed. */
static void last_event_id_replay(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  progress_log p = {{0}, 0};
  double gap = 0;
  char *event_id = NULL;
  if (!ctx_http_session(ctx, &h) && !ctx_require_tool(ctx, &h, "slow") &&
      (event_id = start_and_drop_call(ctx, &h, &p, &gap)))
    resume_after(ctx, &h, event_id, gap, &p);
  free(event_id);
  shttp_free(&h);
}

/* Opens the standalone GET stream and makes the server send a message on
 * it; returns the stream, with the method it carried in `method`. */
static http_stream *traffic_on_get_stream(case_ctx *ctx, shttp *h, char *method, size_t len) {
  http_stream *get = shttp_get(h, NULL, 0);
  if (!get || http_stream_wait_headers(get, ctx_step_deadline(ctx)) || get->status != 200 ||
      !http_stream_is_event_stream(get)) {
    ctx_skip(ctx, "no standalone GET stream to produce traffic on (HTTP %ld)",
             get ? get->status : 0L);
    return NULL;
  }
  rpc_failure f = {{0}};
  jsonrpc_msg *m = shttp_call(h, "tools/call", "{\"name\":\"trigger_list_changed\",\"arguments\":{}}",
                              ctx_step_deadline(ctx), NULL, &f);
  jsonrpc_free(m);
  for (;;) {
    const stream_event *ev = http_stream_next_event(get, ctx_step_deadline(ctx));
    jsonrpc_msg *n = ev ? jsonrpc_parse(ev->data, ev->data_len) : NULL;
    const char *name = n ? jsonrpc_method(n) : NULL;
    if (name)
      snprintf(method, len, "%s", name);
    jsonrpc_free(n);
    if (name)
      return get;
    if (!ev) {
      ctx_skip(ctx, "trigger_list_changed put no message on the GET stream");
      return NULL;
    }
  }
}

/* SHTTP-RESUME-06: resuming stream A never replays what stream B carried. */
static void no_cross_stream_replay(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  progress_log p = {{0}, 0};
  double gap = 0;
  char *event_id = NULL;
  char method[128] = "";
  if (ctx_http_session(ctx, &h) || ctx_require_tool(ctx, &h, "slow") ||
      ctx_require_tool(ctx, &h, "trigger_list_changed") ||
      !(event_id = start_and_drop_call(ctx, &h, &p, &gap)) ||
      !traffic_on_get_stream(ctx, &h, method, sizeof method)) {
    free(event_id);
    shttp_free(&h);
    return;
  }
  ctx_note(ctx, "the GET stream carried %s; resuming the call's stream", method);
  stay_away(ctx, gap);
  http_stream *resumed = shttp_get(&h, event_id, 0);
  foreign_log foreign = {method, 0};
  if (verify_status(ctx, resumed, 200, "GET with Last-Event-ID")) {
    jsonrpc_msg *resp = read_resumed(ctx, resumed, "\"resume-call\"", &p, &foreign);
    char got[200];
    snprintf(got, sizeof got, "%d %s message(s) from the GET stream", foreign.count, method);
    if (foreign.count)
      ctx_violation(ctx, "only the call's own events", got,
                    "the resumed stream replayed %s, which belonged to the GET stream", method);
    else if (!resp)
      ctx_error(ctx, "resumed stream ended or stalled without the call's response");
    else
      ctx_checked(ctx, "only the call's own events", "only the call's own events");
    jsonrpc_free(resp);
  }
  free(event_id);
  shttp_free(&h);
}

const case_def http_resume_cases[] = {
    {CASE_ID("http/resume", "last-event-id-replay"),
     .title = "GET with Last-Event-ID replays the events that followed, then the response",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MAY,
     .requirements = REQS("SHTTP-RESUME-05"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .run = last_event_id_replay},
    {CASE_ID("http/resume", "no-cross-stream-replay"),
     .title = "Resuming one stream never replays messages another stream carried",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-RESUME-06"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .run = no_cross_stream_replay},
};
const size_t http_resume_ncases = NCASES(http_resume_cases);
