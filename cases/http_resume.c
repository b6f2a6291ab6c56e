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

/* Reads the resumed stream until the call's response. */
static jsonrpc_msg *read_resumed(case_ctx *ctx, http_stream *s, const char *call_id,
                                 progress_log *p) {
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

static void resume_after(case_ctx *ctx, shttp *h, const char *event_id, double gap,
                         progress_log *p) {
  /* Let the server produce events while we are away: twice its own pace. */
  double away = clock_ms() + 2.5 * gap;
  client_idle_until(ctx->client, away < ctx->deadline_ms ? away : ctx->deadline_ms);
  http_stream *get = shttp_get(h, event_id, 0);
  if (!verify_status(ctx, get, 200, "GET with Last-Event-ID"))
    return;
  jsonrpc_msg *resp = read_resumed(ctx, get, "\"resume-call\"", p);
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

/* SHTTP-RESUME-05/06: a GET with Last-Event-ID replays what followed. */
static void last_event_id_replay(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) || ctx_require_tool(ctx, &h, "slow")) {
    shttp_free(&h);
    return;
  }
  char body[256];
  snprintf(body, sizeof body,
           "{\"jsonrpc\":\"2.0\",\"id\":\"resume-call\",\"method\":\"tools/call\",\"params\":"
           "{\"name\":\"slow\",\"arguments\":{\"steps\":%d},\"_meta\":{\"progressToken\":"
           "\"resume\"}}}",
           SLOW_STEPS);
  http_stream *post = shttp_post(&h, body, 0);
  progress_log p = {{0}, 0};
  double gap = 0;
  char *event_id = NULL;
  if (!verify_status(ctx, post, 200, "tools/call slow")) {
  } else if (!http_stream_is_event_stream(post)) {
    ctx_skip(ctx, "target answered the call with application/json: no stream to resume");
  } else if (!(event_id = read_until_id(ctx, post, &p, &gap))) {
    ctx_skip(ctx, "no progress events with an event id: target offers no resumption");
  } else {
    ctx_note(ctx, "disconnecting after event id %s", event_id);
    http_stream_close(post);
    resume_after(ctx, &h, event_id, gap, &p);
  }
  free(event_id);
  shttp_free(&h);
}

const case_def http_resume_cases[] = {
    {CASE_ID("http/resume", "last-event-id-replay"),
     .title = "GET with Last-Event-ID replays the events that followed, then the response",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MAY,
     .requirements = REQS("SHTTP-RESUME-05", "SHTTP-RESUME-06"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .run = last_event_id_replay},
};
const size_t http_resume_ncases = NCASES(http_resume_cases);
