/* http/resume: resumption with Last-Event-ID
 * (spec: basic/transports#resumability-and-redelivery). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/http_poll.h"
#include "mcpwire_limits.h"

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
  if (!ctx_http_session(ctx, &h) && !poll_require_tool(ctx, &h, "slow") &&
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
  if (ctx_http_session(ctx, &h) || poll_require_tool(ctx, &h, "slow") ||
      poll_require_tool(ctx, &h, "trigger_list_changed") ||
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

/* Event ids one stream carried, each once (an event without an id field
 * repeats the previous id: that repetition is not a new id). */
typedef struct id_list {
  char *ids[MCPWIRE_STREAM_EVENTS_MAX];
  size_t n;
} id_list;

static void collect_ids(case_ctx *ctx, http_stream *s, id_list *l, const char *stop_id) {
  for (;;) {
    const stream_event *ev = http_stream_next_event(s, ctx_step_deadline(ctx));
    if (!ev)
      return;
    if (ev->id[0] && (!l->n || strcmp(l->ids[l->n - 1], ev->id)) &&
        l->n < MCPWIRE_STREAM_EVENTS_MAX)
      l->ids[l->n++] = strdup(ev->id);
    jsonrpc_msg *m = stop_id ? jsonrpc_parse(ev->data, ev->data_len) : NULL;
    size_t len = 0;
    const char *id = m ? jsonrpc_id_raw(m, &len) : NULL;
    int done = id && !jsonrpc_method(m) && jsonrpc_id_equal(id, len, stop_id, strlen(stop_id));
    jsonrpc_free(m);
    if (done)
      return;
  }
}

static void free_id_list(id_list *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->ids[i]);
}

/* An id of list a that also appears in list b, or NULL. */
static const char *shared_id(const id_list *a, const id_list *b) {
  for (size_t i = 0; i < a->n; i++)
    for (size_t j = 0; j < b->n; j++)
      if (!strcmp(a->ids[i], b->ids[j]))
        return a->ids[i];
  return NULL;
}

enum { ID_STREAMS = 4 };  /* three POST replies and the GET stream */

/* Fills lists[0..2] from three POST replies and lists[3] from the GET
 * stream (one server notification on it when the fixture can cause one). */
static void gather_ids(case_ctx *ctx, shttp *h, id_list *lists) {
  static const char *const bodies[] = {
      "{\"jsonrpc\":\"2.0\",\"id\":\"ids-1\",\"method\":\"ping\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":\"ids-2\",\"method\":\"tools/list\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":\"ids-3\",\"method\":\"ping\"}"};
  static const char *const ids[] = {"\"ids-1\"", "\"ids-2\"", "\"ids-3\""};
  http_stream *get = shttp_get(h, NULL, 0);
  for (int i = 0; i < 3; i++) {
    http_stream *s = shttp_post(h, bodies[i], 0);
    if (s && !http_stream_wait_headers(s, ctx_step_deadline(ctx)) &&
        http_stream_is_event_stream(s))
      collect_ids(ctx, s, &lists[i], ids[i]);
  }
  if (!get || http_stream_wait_headers(get, ctx_step_deadline(ctx)) || get->status != 200 ||
      !http_stream_is_event_stream(get))
    return;
  rpc_failure f = {{0}};
  jsonrpc_free(shttp_call(h, "tools/call",
                          "{\"name\":\"trigger_list_changed\",\"arguments\":{}}",
                          ctx_step_deadline(ctx), NULL, &f));
  /* The GET stream stays open: read until the notification, or a short
   * window when the target sends none. */
  double until = clock_ms() + MCPWIRE_STREAM_CLOSE_GRACE_MS;
  const stream_event *ev;
  while ((ev = http_stream_next_event(get, until))) {
    if (ev->id[0] && (!lists[3].n || strcmp(lists[3].ids[lists[3].n - 1], ev->id)) &&
        lists[3].n < MCPWIRE_STREAM_EVENTS_MAX)
      lists[3].ids[lists[3].n++] = strdup(ev->id);
    jsonrpc_msg *n = jsonrpc_parse(ev->data, ev->data_len);
    const char *method = n ? jsonrpc_method(n) : NULL;
    int done = method && !strcmp(method, "notifications/tools/list_changed");
    jsonrpc_free(n);
    if (done)
      return;
  }
}

/* SHTTP-RESUME-02: event ids are unique across all streams of a session. */
static void event_ids_unique(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  id_list *lists = calloc(ID_STREAMS, sizeof *lists);  /* large: not on the stack */
  if (!lists) {
    ctx_error(ctx, "out of memory");
    shttp_free(&h);
    return;
  }
  if (!ctx_http_session(ctx, &h)) {
    gather_ids(ctx, &h, lists);
    size_t total = 0, streams = 0;
    const char *dup = NULL;
    for (int i = 0; i < ID_STREAMS; i++) {
      total += lists[i].n;
      streams += lists[i].n > 0;
      for (int j = i + 1; j < ID_STREAMS && !dup; j++)
        dup = shared_id(&lists[i], &lists[j]);
    }
    char got[160];
    snprintf(got, sizeof got, "%zu ids over %zu streams%s%.60s", total, streams,
             dup ? ", repeated: " : ", all distinct", dup ? dup : "");
    if (streams < 2)
      ctx_skip(ctx, "fewer than two streams carried event ids (ids are optional): %s", got);
    else if (dup)
      ctx_violation(ctx, "no event id on two streams", got,
                    "event id %.60s was used on two streams of one session", dup);
    else
      ctx_checked(ctx, "no event id on two streams", got);
  }
  for (int i = 0; i < ID_STREAMS; i++)
    free_id_list(&lists[i]);
  free(lists);
  shttp_free(&h);
}

/* Reads `s` until a message whose method is `method`; 1 when one came. */
static int await_method(case_ctx *ctx, http_stream *s, const char *method, double until) {
  const stream_event *ev;
  while ((ev = http_stream_next_event(s, until))) {
    jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
    const char *name = m ? jsonrpc_method(m) : NULL;
    int hit = name && !strcmp(name, method);
    jsonrpc_free(m);
    if (hit)
      return 1;
  }
  (void)ctx;
  return 0;
}

static void trigger_list_changed(case_ctx *ctx, shttp *h) {
  rpc_failure f = {{0}};
  jsonrpc_free(shttp_call(h, "tools/call",
                          "{\"name\":\"trigger_list_changed\",\"arguments\":{}}",
                          ctx_step_deadline(ctx), NULL, &f));
}

/* SHTTP-RESUME-05/07: the standalone GET stream resumes like a POST one:
 * what it would have carried while away comes after Last-Event-ID. */
static void get_stream_resume(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) || poll_require_tool(ctx, &h, "trigger_list_changed")) {
    shttp_free(&h);
    return;
  }
  static const char method[] = "notifications/tools/list_changed";
  http_stream *get = shttp_get(&h, NULL, 0);
  char last[256] = "";
  if (!get || http_stream_wait_headers(get, ctx_step_deadline(ctx)) || get->status != 200 ||
      !http_stream_is_event_stream(get)) {
    ctx_skip(ctx, "no standalone GET stream (HTTP %ld)", get ? get->status : 0L);
  } else {
    trigger_list_changed(ctx, &h);
    if (!await_method(ctx, get, method, ctx_step_deadline(ctx)))
      ctx_skip(ctx, "trigger_list_changed put no message on the GET stream");
    else {
      size_t len = 0;
      const char *id = sse_last_event_id(get->sse, &len);
      snprintf(last, sizeof last, "%.*s", (int)(id && len < sizeof last ? len : 0), id ? id : "");
      if (!last[0])
        ctx_skip(ctx, "the GET stream's events carry no id: nothing to resume from");
    }
  }
  if (!ctx->decided) {
    http_stream_close(get);
    trigger_list_changed(ctx, &h);  /* sent while the stream is away */
    http_stream *again = shttp_get(&h, last, 0);
    if (verify_status(ctx, again, 200, "GET with Last-Event-ID of the GET stream")) {
      if (await_method(ctx, again, method, ctx_step_deadline(ctx)))
        ctx_checked(ctx, "the notification sent while away, replayed", "replayed");
      else
        ctx_violation(ctx, "the notification sent while away, replayed", "not replayed",
                      "resuming the GET stream after %s lost the list_changed sent meanwhile",
                      last);
    }
  }
  shttp_free(&h);
}

const case_def http_resume_cases[] = {
    {CASE_ID("http/resume", "last-event-id-replay"),
     .title = "GET with Last-Event-ID replays the events that followed, then the response",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MAY,
     .requirements = REQS("SHTTP-RESUME-05"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .run = last_event_id_replay, .faults = FAULTS("drop-replay", "cancel-on-disconnect")},
    {CASE_ID("http/resume", "no-cross-stream-replay"),
     .title = "Resuming one stream never replays messages another stream carried",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-RESUME-06"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .run = no_cross_stream_replay, .faults = FAULTS("replay-other-stream")},
    {CASE_ID("http/resume", "event-ids-unique"),
     .title = "Event ids are unique across every stream of a session",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-RESUME-02"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .run = event_ids_unique, .faults = FAULTS("duplicate-event-ids")},
    {CASE_ID("http/resume", "get-stream-resume"),
     .title = "The standalone GET stream resumes with Last-Event-ID like a POST stream",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MAY,
     .requirements = REQS("SHTTP-RESUME-05", "SHTTP-RESUME-07"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .run = get_stream_resume, .faults = FAULTS("drop-replay")},
};
const size_t http_resume_ncases = NCASES(http_resume_cases);
