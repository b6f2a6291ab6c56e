/* http/resume: resumption with Last-Event-ID
 * (spec: basic/transports#resumability-and-redelivery). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/call.h"
#include "mcpwire_limits.h"

/* ---- one call of the PROGRESS fixture, told apart by its run-unique id
 * and progress token only ---- */

typedef struct fixture_call {
  char id[64], token[64];  /* JSON texts, unique in the run */
  int progress;            /* notifications/progress with the call's token */
  int responses;           /* responses with the call's id */
  double started, length;  /* clock_ms() of the POST; ms to the response */
  double longest_gap;      /* ms between two messages of the call: the server's pace */
} fixture_call;

static void call_init(fixture_call *c, const char *tag) {
  memset(c, 0, sizeof *c);
  call_unique_id(tag, c->id, sizeof c->id);
  call_unique_id(tag, c->token, sizeof c->token);
}

/* 1 when the raw JSON value at `path` of m equals want (a JSON text). */
static int raw_is(const jsonrpc_msg *m, const char *path, const char *want) {
  size_t len = 0;
  const char *got = jsonrpc_get_raw(m, path, &len);
  return got && jsonrpc_id_equal(got, len, want, strlen(want));
}

static int is_response(const jsonrpc_msg *m) {
  jsonrpc_kind k = jsonrpc_kind_of(m);
  return k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE;
}

/* What a message is to call c: 1 its progress, 2 its response, 0 neither. */
static int belongs_to(const jsonrpc_msg *m, const fixture_call *c) {
  const char *method = jsonrpc_method(m);
  if (method && !strcmp(method, "notifications/progress") &&
      raw_is(m, "params.progressToken", c->token))
    return 1;
  return !method && is_response(m) && raw_is(m, "id", c->id) ? 2 : 0;
}

/* Counts one event's message for call c; 1 when it was c's. */
static int count_event(fixture_call *c, const stream_event *ev) {
  jsonrpc_msg *m = ev->data_len ? jsonrpc_parse(ev->data, ev->data_len) : NULL;
  int kind = m ? belongs_to(m, c) : 0;
  jsonrpc_free(m);
  c->progress += kind == 1;
  c->responses += kind == 2;
  return kind;
}

/* POSTs call c of the fixture; the SSE stream, or NULL with a verdict
 * (skip for a JSON reply: there is no stream to resume). */
static http_stream *post_call(case_ctx *ctx, shttp *h, const fixture *fx, fixture_call *c) {
  c->started = clock_ms();
  http_stream *s = call_fixture_post(h, fx, c->id, c->token);
  char what[MCPWIRE_FIXTURE_TOOL_MAX + 32];
  snprintf(what, sizeof what, "tools/call %s", fx->tool);
  if (!verify_status(ctx, s, 200, what))
    return NULL;
  if (!http_stream_is_event_stream(s)) {
    ctx_skip(ctx, "target answered %s with application/json: no stream to resume", what);
    return NULL;
  }
  return s;
}

/* Reads s until c's response (or the stream's end); measures the pace. */
static void read_call(case_ctx *ctx, http_stream *s, fixture_call *c) {
  double last = c->started;
  const stream_event *ev;
  while (!c->responses && (ev = http_stream_next_event(s, ctx_step_deadline(ctx)))) {
    double now = clock_ms();
    if (count_event(c, ev) && c->progress + c->responses > 1 && now - last > c->longest_gap)
      c->longest_gap = now - last;
    last = now;
  }
  c->length = clock_ms() - c->started;
}

/* An uncut call, made while the cut one is away, to learn how many
 * progress notifications the fixture sends and how long it runs. 0 when it
 * was answered with some progress. */
static int reference_call(case_ctx *ctx, shttp *h, const fixture *fx, fixture_call *ref) {
  call_init(ref, "resume-ref");
  http_stream *s = post_call(ctx, h, fx, ref);
  if (!s)
    return -1;
  read_call(ctx, s, ref);
  if (!ref->responses && http_stream_ended(s)) {
    ctx_skip(ctx, "the uncut %s call's stream ended before its response (2025-11-25 polling?): "
             "no whole stream to compare a cut one with", fx->tool);
    return -1;
  }
  if (!ref->responses) {
    ctx_error(ctx, "the uncut %s call got no response within a step", fx->tool);
    return -1;
  }
  if (!ref->progress) {
    ctx_skip(ctx, "the %s call sent no progress notifications: nothing to cut between", fx->tool);
    return -1;
  }
  return 0;
}

/* 1 when an event already received on s, not read yet, is c's response. */
static int response_waiting(const http_stream *s, const fixture_call *c) {
  for (size_t e = s->next_event; e < s->nevents; e++) {
    const stream_event *ev = &s->events[e];
    jsonrpc_msg *m = ev->data_len ? jsonrpc_parse(ev->data, ev->data_len) : NULL;
    int hit = m && belongs_to(m, c) == 2;
    jsonrpc_free(m);
    if (hit)
      return 1;
  }
  return 0;
}

/* A call cut by the client right after its first progress event that
 * carries an event id (so later progress and the response are left to the
 * replay). */
typedef struct cut_call {
  fixture_call c;
  char *event_id;          /* malloc; NULL when not cut */
  int finished;            /* its response had already arrived when it was cut */
} cut_call;

/* Starts call `cut`, reads to its first progress with an event id and
 * disconnects. 0 when cut, else -1 with the verdict set. */
static int start_and_cut(case_ctx *ctx, shttp *h, const fixture *fx, cut_call *cut) {
  call_init(&cut->c, "resume-cut");
  http_stream *post = post_call(ctx, h, fx, &cut->c);
  const stream_event *ev;
  while (post && !cut->c.responses && (ev = http_stream_next_event(post, ctx_step_deadline(ctx))))
    if (count_event(&cut->c, ev) == 1 && ev->id[0]) {
      if (!(cut->event_id = strdup(ev->id))) {
        ctx_error(ctx, "out of memory");
        return -1;
      }
      cut->finished = response_waiting(post, &cut->c);
      ctx_note(ctx, "disconnecting after progress event id %s%s", ev->id,
               cut->finished ? " (the call's response had already arrived)" : "");
      http_stream_close(post);
      return 0;
    }
  if (post && !ctx->decided)
    ctx_skip(ctx, "no progress event of the %s call carried an event id: target offers no "
             "resumption (%s)", fx->tool, cut->c.responses ? "answered" : "stream ended");
  return -1;
}

/* Lets the server produce what the cut call still had to send while we are
 * away: until the uncut call's length after the cut call started, plus
 * 2.5 times its pace; never more than half the case's time left. */
static void stay_away(case_ctx *ctx, const fixture_call *ref, const fixture_call *cut) {
  double now = clock_ms(), away = cut->started + ref->length + 2.5 * ref->longest_gap;
  double cap = now + (ctx->deadline_ms - now) / 2;
  client_idle_until(ctx->client, away < cap ? away : cap);
}

/* How long a resumed stream is read past c's response for what a replay
 * might still send: MCPWIRE_STREAM_CLOSE_GRACE_MS, under --quick 2.5 times
 * the fixture's pace (ref), at least MCPWIRE_WINDOW_MIN_MS: a replay comes
 * at once, so this window only confirms that nothing more does. */
static double grace_ms(const case_ctx *ctx, const fixture_call *ref) {
  double w = 2.5 * ref->longest_gap;
  if (!ctx->cfg->quick || w > MCPWIRE_STREAM_CLOSE_GRACE_MS)
    return MCPWIRE_STREAM_CLOSE_GRACE_MS;
  return w < MCPWIRE_WINDOW_MIN_MS ? MCPWIRE_WINDOW_MIN_MS : w;
}

/* Reads a resumed stream to c's response, then on to its end (at most
 * grace_ms), so what a replay sends after the response is seen too;
 * `other` (NULL: none) counts another call's. Without other, stops once
 * c's response came after as many progress notifications as ref had: the
 * verdict is decided. */
static void read_resumed(case_ctx *ctx, http_stream *s, fixture_call *c, fixture_call *other,
                         const fixture_call *ref) {
  double until = ctx_step_deadline(ctx);
  const stream_event *ev;
  while ((ev = http_stream_next_event(s, until))) {
    int had = c->responses;
    count_event(c, ev);
    if (other)
      count_event(other, ev);
    if (!other && c->responses && c->progress >= ref->progress)
      return;
    if (!had && c->responses)
      until = clock_ms() + grace_ms(ctx, ref);
  }
}

/* GET with the cut call's Last-Event-ID; the 200 event stream, or NULL
 * with the status in status. */
static http_stream *resume(case_ctx *ctx, shttp *h, const cut_call *cut, long *status) {
  http_stream *get = shttp_get(h, cut->event_id, 0);
  int ok = get && !http_stream_wait_headers(get, ctx_step_deadline(ctx)) && get->status == 200 &&
           http_stream_is_event_stream(get);
  *status = get ? get->status : 0L;
  return ok ? get : NULL;
}

/* SHTTP-RESUME-05: a GET with Last-Event-ID replays what followed. */
static void judge_replay(case_ctx *ctx, const fixture *fx, const fixture_call *ref,
                         const cut_call *cut, int before) {
  char got[200];
  int replayed = cut->c.progress - before;
  snprintf(got, sizeof got, "the uncut call sent %d progress notification(s); the cut one %d "
           "before the cut, %d replayed, response %s", ref->progress, before, replayed,
           cut->c.responses ? "replayed" : "missing");
  if (!cut->c.responses && cut->finished)
    ctx_skip(ctx, "the %s call had already ended when it was cut (its response had arrived), "
             "and the resumed stream did not replay it: a finished stream is not judged (%s)",
             fx->tool, got);
  else if (!cut->c.responses)
    ctx_violation(ctx, "remaining events and the response", got,
                  "resumed stream ended or stalled without the call's response");
  else if (cut->c.progress < ref->progress)
    ctx_violation(ctx, "every progress notification after the cut replayed", got,
                  "%d progress notification(s) were lost across the reconnect",
                  ref->progress - cut->c.progress);
  else
    ctx_checked(ctx, "events after Last-Event-ID replayed, then the response", got);
}

static void last_event_id_replay(case_ctx *ctx) {
  shttp h;
  fixture fx;
  fixture_call ref;
  cut_call cut = {0};
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h) && !call_require_progress(ctx, &h, FIXTURE_PACE_HALF, &fx) &&
      !start_and_cut(ctx, &h, &fx, &cut) && !reference_call(ctx, &h, &fx, &ref)) {
    int before = cut.c.progress;
    long status = 0;
    stay_away(ctx, &ref, &cut.c);
    http_stream *get = resume(ctx, &h, &cut, &status);
    if (!get)
      ctx_violation(ctx, "GET with Last-Event-ID answered 200 text/event-stream",
                    status ? "another status or type" : "no response",
                    "GET with Last-Event-ID answered HTTP %ld", status);
    else {
      read_resumed(ctx, get, &cut.c, NULL, &ref);
      judge_replay(ctx, &fx, &ref, &cut, before);
    }
  }
  free(cut.event_id);
  shttp_free(&h);
}

/* SHTTP-RESUME-06: resuming stream A never replays what stream B carried.
 * B is a second call of the fixture, made while A is away (the reference
 * call, uncut); its messages are known by its own id and token. */
static void no_cross_stream_replay(case_ctx *ctx) {
  shttp h;
  fixture fx;
  fixture_call other, ref;
  cut_call cut = {0};
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) || call_require_progress(ctx, &h, FIXTURE_PACE_HALF, &fx) ||
      start_and_cut(ctx, &h, &fx, &cut) || reference_call(ctx, &h, &fx, &other))
    goto done;
  ref = other; /* its length and pace, before the counts restart */
  int carried = other.progress + other.responses;
  ctx_note(ctx, "while the cut stream was away, the other call's stream carried %d of its "
           "messages; resuming the cut stream", carried);
  stay_away(ctx, &ref, &cut.c);
  other.progress = other.responses = 0; /* from here: what the resumed stream carries */
  long status = 0;
  http_stream *get = resume(ctx, &h, &cut, &status);
  if (!get) {
    ctx_skip(ctx, "the resume GET was answered HTTP %ld: no replay to judge", status);
    goto done;
  }
  read_resumed(ctx, get, &cut.c, &other, &ref);
  char got[200];
  snprintf(got, sizeof got, "%d progress and %d response(s) of the other call on the resumed "
           "stream; the cut call's response %s", other.progress, other.responses,
           cut.c.responses ? "replayed" : "not replayed");
  if (other.progress || other.responses)
    ctx_violation(ctx, "only the cut call's own events", got,
                  "the resumed stream replayed messages of the other call's stream");
  else if (!carried)
    ctx_skip(ctx, "the other call's stream carried nothing to be replayed wrongly: %s", got);
  else if (!cut.c.responses)
    ctx_skip(ctx, "the resumed stream did not replay the cut call (replay is judged by "
             "http/resume/last-event-id-replay), nothing foreign in what came: %s", got);
  else
    ctx_checked(ctx, "only the cut call's own events", got);
done:
  free(cut.event_id);
  shttp_free(&h);
}

/* 1 when a server notification is what a LIST_CHANGED fixture causes: any
 * notifications/.../list_changed, or notifications/resources/updated. */
static int is_change_notice(const char *method) {
  static const char tail[] = "/list_changed";
  size_t n = method ? strlen(method) : 0, t = sizeof tail - 1;
  return method && ((!strncmp(method, "notifications/", 14) && n > 14 + t &&
                     !strcmp(method + n - t, tail)) ||
                    !strcmp(method, "notifications/resources/updated"));
}

/* Event ids one stream carried, each once (an event without an id field
 * repeats the previous id: that repetition is not a new id). */
typedef struct id_list {
  char *ids[MCPWIRE_STREAM_EVENTS_MAX];
  size_t n;
} id_list;

/* Adds the event's id to l unless it repeats the previous one. */
static void note_id(id_list *l, const stream_event *ev) {
  if (ev->id[0] && (!l->n || strcmp(l->ids[l->n - 1], ev->id)) &&
      l->n < MCPWIRE_STREAM_EVENTS_MAX)
    l->ids[l->n++] = strdup(ev->id);
}

static void collect_ids(case_ctx *ctx, http_stream *s, id_list *l, const char *stop_id) {
  for (;;) {
    const stream_event *ev = http_stream_next_event(s, ctx_step_deadline(ctx));
    if (!ev)
      return;
    note_id(l, ev);
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

/* Makes the LIST_CHANGED fixture, when the target has one, put a
 * notification on the open GET stream and collects that stream's ids. */
static void gather_get_ids(case_ctx *ctx, shttp *h, http_stream *get, id_list *l) {
  fixture fx;
  char why[1200];
  if (ctx_find_fixture(ctx, call_tools_page, h, h->init_result, FIXTURE_LIST_CHANGED, &fx, why,
                       sizeof why) <= 0) {
    ctx_note(ctx, "nothing to make the GET stream carry: %s", why);
    return;
  }
  if (call_fixture_trigger(ctx, h, &fx, NULL, why, sizeof why))
    ctx_note(ctx, "%s: %s", fx.tool, why);
  /* The GET stream stays open: read until the notification, or a short
   * window when the target sends none. */
  double until = clock_ms() + MCPWIRE_STREAM_CLOSE_GRACE_MS;
  const stream_event *ev;
  while ((ev = http_stream_next_event(get, until))) {
    note_id(l, ev);
    jsonrpc_msg *n = jsonrpc_parse(ev->data, ev->data_len);
    int done = n && is_change_notice(jsonrpc_method(n));
    jsonrpc_free(n);
    if (done)
      return;
  }
}

/* Fills lists[0..2] from three POST replies and lists[3] from the GET
 * stream (one server notification on it when the fixture can cause one). */
static void gather_ids(case_ctx *ctx, shttp *h, id_list *lists) {
  static const char *const methods[] = {"ping", "tools/list", "ping"};
  http_stream *get = shttp_get(h, NULL, 0);
  for (int i = 0; i < 3; i++) {
    char id[64], body[160];
    call_unique_id("ids", id, sizeof id);
    snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"%s\"}", id,
             methods[i]);
    http_stream *s = shttp_post(h, body, 0);
    if (s && !http_stream_wait_headers(s, ctx_step_deadline(ctx)) &&
        http_stream_is_event_stream(s))
      collect_ids(ctx, s, &lists[i], id);
  }
  if (get && !http_stream_wait_headers(get, ctx_step_deadline(ctx)) && get->status == 200 &&
      http_stream_is_event_stream(get))
    gather_get_ids(ctx, h, get, &lists[3]);
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

/* Reads `s` until a change notice (is_change_notice); 1 when one came. */
static int await_change(http_stream *s, double until) {
  const stream_event *ev;
  while ((ev = http_stream_next_event(s, until))) {
    jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
    int hit = m && is_change_notice(jsonrpc_method(m));
    jsonrpc_free(m);
    if (hit)
      return 1;
  }
  return 0;
}

/* The LIST_CHANGED fixture once; a failed call is a note (its
 * notification is what the case awaits). */
static void trigger(case_ctx *ctx, shttp *h, fixture *fx) {
  char why[600];
  if (call_fixture_trigger(ctx, h, fx, NULL, why, sizeof why))
    ctx_note(ctx, "%s: %s", fx->tool, why);
}

/* Opens the GET stream, has the fixture put a notification on it and
 * copies the stream's last event id into last. 0 when so, else a skip. */
static int get_with_notice(case_ctx *ctx, shttp *h, fixture *fx, http_stream **get, char *last,
                           size_t len) {
  *get = shttp_get(h, NULL, 0);
  if (!*get || http_stream_wait_headers(*get, ctx_step_deadline(ctx)) || (*get)->status != 200 ||
      !http_stream_is_event_stream(*get)) {
    ctx_skip(ctx, "no standalone GET stream (HTTP %ld)", *get ? (*get)->status : 0L);
    return -1;
  }
  trigger(ctx, h, fx);
  if (!await_change(*get, ctx_step_deadline(ctx))) {
    ctx_skip(ctx, "%s put no list_changed or resources/updated notification on the GET stream",
             fx->tool);
    return -1;
  }
  size_t n = 0;
  const char *id = sse_last_event_id((*get)->sse, &n);
  snprintf(last, len, "%.*s", (int)(id && n < len ? n : 0), id ? id : "");
  if (!last[0]) {
    ctx_skip(ctx, "the GET stream's events carry no id: nothing to resume from");
    return -1;
  }
  return 0;
}

/* SHTTP-RESUME-05/07: the standalone GET stream resumes like a POST one:
 * what it would have carried while away comes after Last-Event-ID. */
static void get_stream_resume(case_ctx *ctx) {
  shttp h;
  fixture fx;
  http_stream *get = NULL;
  char last[256] = "";
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h) && !call_require_fixture(ctx, &h, FIXTURE_LIST_CHANGED, &fx) &&
      !get_with_notice(ctx, &h, &fx, &get, last, sizeof last)) {
    http_stream_close(get);
    trigger(ctx, &h, &fx);  /* sent while the stream is away */
    http_stream *again = shttp_get(&h, last, 0);
    if (verify_status(ctx, again, 200, "GET with Last-Event-ID of the GET stream")) {
      if (await_change(again, ctx_step_deadline(ctx)))
        ctx_checked(ctx, "the notification sent while away, replayed", "replayed");
      else
        ctx_violation(ctx, "the notification sent while away, replayed", "not replayed",
                      "resuming the GET stream after %s lost the notification %s sent meanwhile",
                      last, fx.tool);
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
     .slow = 2, .run = last_event_id_replay, .faults = FAULTS("drop-replay", "cancel-on-disconnect"),
     .fixtures = FX_PROGRESS},
    {CASE_ID("http/resume", "no-cross-stream-replay"),
     .title = "Resuming one stream never replays messages another stream carried",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-RESUME-06"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .slow = 2, .run = no_cross_stream_replay, .faults = FAULTS("replay-other-stream"),
     .fixtures = FX_PROGRESS},
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
     .run = get_stream_resume, .faults = FAULTS("drop-replay"),
     .fixtures = FX_LIST_CHANGED},
};
const size_t http_resume_ncases = NCASES(http_resume_cases);
