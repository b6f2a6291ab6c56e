/* http/reconnect: a stream cut at every byte offset, then resumed as a
 * client would (GET + Last-Event-ID after the advertised retry), must lose
 * nothing, repeat nothing and carry nothing from another stream
 * (spec: basic/transports#resumability-and-redelivery). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/call.h"
#include "verifier/proxy_front.h"

SECTION_TABLE(http_reconnect)
SECTION_TABLE(sse_reconnect)

/* Distinct progress values kept: at most one per event of the uncut call. */
#define VALUES_MAX MCPWIRE_RECONNECT_EVENT_CUTS_MAX
/* No cut starts, and no resume is planned, this close to the case deadline:
 * the room a resume and its second leg need. */
#define SWEEP_TAIL_MS 2000

/* ---- the recorded exchange: raw bytes as the proxy counts them ---- */

typedef struct recording {
  dynbuf wire;           /* head then body with its chunked framing */
  size_t head_len;
} recording;

/* One call of the PROGRESS fixture: its run-unique id and token (JSON
 * texts), by which alone its messages are known. */
typedef struct call_tag {
  char id[48], token[48];
} call_tag;

static void tag_init(call_tag *t) {
  call_unique_id("rc", t->id, sizeof t->id);
  call_unique_id("rc", t->token, sizeof t->token);
}

/* The fixture call's request body for tag t; 0 on success. */
static int call_body(const fixture *fx, const call_tag *t, dynbuf *out) {
  return fixture_request(fx, t->id, t->token, NULL, out);
}

/* POSTs the fixture call once in raw mode (shttp_post_raw), to keep the
 * wire bytes (chunk framing too). 0 on success. */
static int record_exchange(case_ctx *ctx, shttp *h, const fixture *fx, recording *r) {
  call_tag tag;
  dynbuf body;
  tag_init(&tag);
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  http_stream *s = call_body(fx, &tag, &body)
                       ? NULL
                       : shttp_post_raw(h, dynbuf_str(&body), MCPWIRE_RECONNECT_RECORD_MAX);
  dynbuf_free(&body);
  if (!s)
    return -1;
  /* A stream left open after its response ends at the step deadline: still recorded. */
  int ended = !http_stream_wait_done(s, ctx_step_deadline(ctx));
  const char *how = !ended                     ? "open at the step deadline"
                    : http_stream_complete(s) ? "complete"
                                              : http_stream_error(s);
  int ok = (ended ? http_stream_complete(s) : !s->failure[0]) && s->wire.len > s->wire_head &&
           !dynbuf_add(&r->wire, s->wire.ptr, s->wire.len);
  r->head_len = s->wire_head;
  ctx_note(ctx, "recorded the %s call: %zu wire bytes (%zu head), %s", fx->tool, s->wire.len,
           s->wire_head, how);
  client_release(s);
  return ok ? 0 : -1;
}

/* ---- offsets: every event boundary +-1, then evenly spread ---- */

typedef struct offsets {
  size_t at[MCPWIRE_RECONNECT_OFFSETS_MAX];
  size_t n, boundaries;
  /* Events the uncut call dispatched: one cut right after each (the proxy's
   * cut-events), exact on every attempt's own stream, whose event ids may be
   * longer or shorter than the recording's; byte cuts land where the
   * recording says. */
  size_t nevents;
} offsets;

/* One planned cut: after `event` complete events (1..), else at byte `offset`. */
typedef struct cut_at {
  size_t offset, event;
} cut_at;

static void offsets_add(offsets *o, size_t v, size_t total) {
  if (v == 0 || v >= total || o->n >= MCPWIRE_RECONNECT_OFFSETS_MAX)
    return;
  for (size_t i = 0; i < o->n; i++)
    if (o->at[i] == v)
      return;
  o->at[o->n++] = v;
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* An event ends after a blank line: LF LF, or LF CR LF (CRLF framing). */
static int ends_event(const char *w, size_t i) {
  return (i >= 2 && w[i - 1] == '\n' && w[i - 2] == '\n') ||
         (i >= 3 && w[i - 1] == '\n' && w[i - 2] == '\r' && w[i - 3] == '\n');
}

static void offsets_plan(offsets *o, const recording *r) {
  size_t total = r->wire.len;
  o->n = 0;
  offsets_add(o, r->head_len, total);
  for (size_t i = r->head_len; i <= total; i++)
    if (ends_event(r->wire.ptr, i)) {
      offsets_add(o, i - 1, total);
      offsets_add(o, i, total);
      offsets_add(o, i + 1, total);
    }
  o->boundaries = o->n;
  size_t room = MCPWIRE_RECONNECT_OFFSETS_MAX - o->n;
  for (size_t k = 1; k <= room; k++)
    offsets_add(o, k * total / (room + 1), total);
  qsort(o->at, o->n, sizeof o->at[0], cmp_size);
}

/* ---- one cut and resume ---- */

/* The progress values of the uncut call, in order of first sight. */
typedef struct value_set {
  double v[VALUES_MAX];
  size_t n;
  int over;                  /* values past VALUES_MAX, counted as one */
} value_set;

/* Index of value x in vs, VALUES_MAX when it is not there. */
static size_t value_index(const value_set *vs, double x) {
  for (size_t i = 0; i < vs->n; i++)
    if (vs->v[i] == x)
      return i;
  return VALUES_MAX;
}

/* What one attempt saw, both legs together. */
typedef struct tally {
  const value_set *values;   /* the uncut call's; NULL while recording it */
  int progress[VALUES_MAX + 1]; /* count per value of `values`; [VALUES_MAX]: any other */
  int responses, foreign;
  int refused;               /* an error response, or a resume answered 429/503 */
  char foreign_what[96];
  char refused_what[96];     /* the error message or status */
} tally;

/* The target was busy: the first reason is kept. */
static void tally_refusal(tally *t, const char *why) {
  if (t->refused++ == 0)
    snprintf(t->refused_what, sizeof t->refused_what, "%.80s", why);
}

/* Counts a progress value: by its place among the uncut call's values, or
 * (recording that call) adding it there. */
static void tally_value(tally *t, double v, value_set *learn) {
  if (learn && value_index(learn, v) == VALUES_MAX) {
    if (learn->n < VALUES_MAX)
      learn->v[learn->n++] = v;
    else
      learn->over = 1;
  }
  const value_set *vs = learn ? learn : t->values;
  t->progress[vs ? value_index(vs, v) : VALUES_MAX]++;
}

/* 1 when the raw JSON value at `path` of m equals want (a JSON text). */
static int raw_is(const jsonrpc_msg *m, const char *path, const char *want) {
  size_t len = 0;
  const char *got = jsonrpc_get_raw(m, path, &len);
  return got && jsonrpc_id_equal(got, len, want, strlen(want));
}

/* Sorts one event of the call tagged `tag`: its progress, its response, or
 * a foreign message. learn: the uncut call's value set being filled. */
static void tally_event_learning(tally *t, const stream_event *ev, const call_tag *tag,
                                 value_set *learn) {
  if (!ev->data_len)
    return;   /* a priming event: no message */
  jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
  const char *method = m ? jsonrpc_method(m) : NULL;
  double v = 0;
  if (method && !strcmp(method, "notifications/progress") &&
      raw_is(m, "params.progressToken", tag->token) &&
      jsonrpc_get_number(m, "params.progress", &v))
    tally_value(t, v, learn);
  else if (!method && raw_is(m, "id", tag->id)) {
    t->responses++;
    if (jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE) {
      const char *why = jsonrpc_error_message(m);
      tally_refusal(t, why ? why : "(no message)");
    }
  }
  else if (t->foreign++ == 0)
    snprintf(t->foreign_what, sizeof t->foreign_what, "%.*s", (int)(ev->data_len > 80 ? 80 : ev->data_len),
             ev->data);
  jsonrpc_free(m);
}

static void tally_event(tally *t, const stream_event *ev, const call_tag *tag) {
  tally_event_learning(t, ev, tag, NULL);
}

typedef enum attempt_outcome {
  ATTEMPT_WHOLE,          /* nothing lost, nothing twice, nothing foreign */
  ATTEMPT_REFUSED,        /* the target was busy (error response, 429/503): not judged */
  ATTEMPT_UNRESUMABLE,    /* cut before any event id: a client cannot resume */
  ATTEMPT_BROKEN,         /* loss, duplicate or foreign message */
  ATTEMPT_LATE,           /* the advertised retry ends too near the case deadline: not judged */
  ATTEMPT_ERROR           /* the harness could not run it */
} attempt_outcome;

typedef struct attempt {
  size_t offset;
  size_t event;            /* cut after this many events; 0: at byte offset */
  int cut;                 /* the proxy fired */
  int resumed;             /* a GET with Last-Event-ID was sent */
  long resume_status;
  double retry_ms, waited_ms;
  char why[256];
} attempt;

/* Compares the tally with the uncut call's progress values. */
static attempt_outcome judge(const tally *t, const tally *expected, attempt *a) {
  size_t used = 0;
  a->why[0] = '\0';
  for (size_t i = 0; i <= VALUES_MAX; i++)
    if (t->progress[i] != expected->progress[i] && used + 48 < sizeof a->why) {
      if (i < VALUES_MAX)
        used += (size_t)snprintf(a->why + used, sizeof a->why - used, "%sprogress %g seen %d "
                                 "times", used ? ", " : "", expected->values->v[i], t->progress[i]);
      else
        used += (size_t)snprintf(a->why + used, sizeof a->why - used, "%s%d progress of values "
                                 "the uncut call did not send", used ? ", " : "", t->progress[i]);
    }
  if (t->responses != 1 && used + 40 < sizeof a->why)
    used += (size_t)snprintf(a->why + used, sizeof a->why - used, "%sresponse seen %d times",
                             used ? ", " : "", t->responses);
  if (t->foreign && used + 40 < sizeof a->why)
    snprintf(a->why + used, sizeof a->why - used, "%s%d foreign message(s): %s", used ? ", " : "",
             t->foreign, t->foreign_what);
  return a->why[0] ? ATTEMPT_BROKEN : ATTEMPT_WHOLE;
}

/* ---- cuts run side by side, each at its own pace ---- */

typedef enum slot_phase {
  PHASE_FIRST_LEG,   /* reading the POST stream the proxy cuts */
  PHASE_RETRY,       /* waiting the reconnection time that stream advertised */
  PHASE_RESUME,      /* the GET with Last-Event-ID sent, its headers awaited */
  PHASE_SECOND_LEG,  /* reading the resumed stream */
  PHASE_DRAIN,       /* after our response: the rest of the resumed stream */
  PHASE_DONE
} slot_phase;

/* One offset's attempt: its own proxy (cut once at the offset), its own
 * call tag, its POST and resume GET on the sweep's shared client. */
typedef struct slot {
  int active;
  shttp *h;                 /* the session this slot's calls belong to */
  attempt a;
  proxy_front pf;
  int proxied;
  tally t;
  call_tag tag;
  http_stream *post, *get;
  char *resume_id;          /* the POST stream's last event id */
  attempt_outcome out;
  slot_phase phase;
  double leg_deadline;      /* clock_ms() by which the current leg must end */
  double busy_until;        /* without its response, the call may run on the target until then */
  int second_try;           /* this offset was refused once already */
  double leg_ended;         /* when the first leg ended */
  double resume_at;         /* PHASE_RETRY: when the GET goes out */
} slot;

static void settle(slot *s, attempt_outcome out) {
  s->out = out;
  s->phase = PHASE_DONE;
}

/* What every slot shares: the fixture, and the uncut call's tally. */
typedef struct sweep_plan {
  const fixture *fx;
  const tally *expected;
  double call_ms;           /* the uncut call's length */
} sweep_plan;

/* Starts the slot's proxy and POSTs its fixture call through it. */
static void slot_start(case_ctx *ctx, shttp *h, slot *s, cut_at at, int second_try,
                       const sweep_plan *plan) {
  char modes[64];
  double call_ms = plan->call_ms;
  *s = (slot){.active = 1, .h = h, .a = {.offset = at.offset, .event = at.event, .retry_ms = -1},
              .second_try = second_try};
  s->t.values = plan->expected->values;
  tag_init(&s->tag);
  s->busy_until = clock_ms() + call_ms;   /* never past the case's deadline */
  if (s->busy_until > ctx->deadline_ms)
    s->busy_until = ctx->deadline_ms;
  if (at.event)
    snprintf(modes, sizeof modes, "cut-events=%zu,times=1", at.event);
  else
    snprintf(modes, sizeof modes, "cut-bytes=%zu,times=1", at.offset);
  s->leg_deadline = ctx_step_deadline(ctx);
  if (proxy_front_start(ctx, &s->pf, modes)) {
    settle(s, ATTEMPT_ERROR);
    return;
  }
  s->proxied = 1;
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  /* The session's own headers, sent to this slot's proxy. */
  if (!call_body(plan->fx, &s->tag, &body))
    s->post = shttp_request(h->c, s->pf.url, h, "POST", dynbuf_str(&body), NULL, 0);
  dynbuf_free(&body);
  if (!s->post)
    settle(s, ATTEMPT_ERROR);
}

/* Tallies the events already received, without waiting; 1 when the leg is
 * over: our response came, the stream ended or no event came for a step
 * timeout (each event starts a new one, as read_leg's waits do). */
static int leg_over(case_ctx *ctx, http_stream *st, slot *s, double now) {
  const stream_event *ev;
  while (!s->t.responses && (ev = http_stream_take_event(st))) {
    tally_event(&s->t, ev, &s->tag);
    s->leg_deadline = ctx_step_deadline(ctx);
  }
  return s->t.responses || http_stream_ended(st) || now >= s->leg_deadline;
}

/* The cut POST stream is over: keep its last event id and reconnection
 * time, and schedule the resume after that time (capped). */
static void first_leg_over(case_ctx *ctx, slot *s, double now) {
  s->a.cut = proxy_front_faults_fired(&s->pf) > 0;
  if (s->t.responses) {
    settle(s, ATTEMPT_WHOLE);
    return;
  }
  size_t len = 0;
  const char *last = s->post->sse ? sse_last_event_id(s->post->sse, &len) : NULL;
  if (!last || !len) {
    settle(s, ATTEMPT_UNRESUMABLE);
    return;
  }
  if (!(s->resume_id = strndup(last, len))) {
    settle(s, ATTEMPT_ERROR);
    return;
  }
  s->a.retry_ms = s->post->sse ? (double)sse_reconnection_ms(s->post->sse) : -1;
  double wait = s->a.retry_ms > 0 ? s->a.retry_ms : 0;
  if (wait > MCPWIRE_RETRY_WAIT_MAX_MS)
    wait = MCPWIRE_RETRY_WAIT_MAX_MS;
  if (now + wait + SWEEP_TAIL_MS > ctx->deadline_ms) {
    /* Resuming earlier than the stream asked is not what a client does,
     * and a resume at the deadline has no time left to be read. */
    settle(s, ATTEMPT_LATE);
    return;
  }
  s->leg_ended = now;
  s->resume_at = now + wait;
  s->phase = PHASE_RETRY;
}

/* Resumes the cut stream with GET + Last-Event-ID through its proxy. */
static void slot_resume(case_ctx *ctx, shttp *h, slot *s, double now) {
  s->a.resumed = 1;
  s->a.waited_ms = now - s->leg_ended;
  s->get = shttp_get_from(h, s->pf.url, s->resume_id, 0); /* through the slot's proxy */
  s->leg_deadline = ctx_step_deadline(ctx);
  s->phase = PHASE_RESUME;
}

static void resume_answered(slot *s, double now) {
  if (s->get && s->get->headers_done) {
    s->a.resume_status = s->get->status;
    if (s->get->status == 200 && http_stream_is_event_stream(s->get)) {
      s->phase = PHASE_SECOND_LEG;
      return;
    }
    if (s->get->status == 429 || s->get->status == 503) {
      char why[48]; /* "try later": the target is busy, not losing events */
      snprintf(why, sizeof why, "the resume GET was answered HTTP %ld", s->get->status);
      tally_refusal(&s->t, why);
      settle(s, ATTEMPT_REFUSED);
      return;
    }
    snprintf(s->a.why, sizeof s->a.why, "the resume GET got HTTP %ld", s->get->status);
    settle(s, ATTEMPT_BROKEN);
  } else if (!s->get || http_stream_ended(s->get) || now >= s->leg_deadline) {
    snprintf(s->a.why, sizeof s->a.why, "the resume GET got no response");
    settle(s, ATTEMPT_BROKEN);
  }
}

/* The resumed stream brought our response: whatever the replay sends after
 * it (another stream's messages, an event twice) is judged too, so it is
 * read until the stream ends, for MCPWIRE_STREAM_CLOSE_GRACE_MS at most. */
static void drain_start(case_ctx *ctx, slot *s, double now) {
  if (!s->t.responses || (http_stream_ended(s->get) && !http_stream_has_event(s->get))) {
    settle(s, ATTEMPT_WHOLE);
    return;
  }
  s->leg_deadline = now + MCPWIRE_STREAM_CLOSE_GRACE_MS;
  if (s->leg_deadline > ctx->deadline_ms)
    s->leg_deadline = ctx->deadline_ms;
  s->phase = PHASE_DRAIN;
}

/* Tallies what came after the response; 1 when the stream ended or the
 * grace is over. */
static int drain_over(slot *s, double now) {
  const stream_event *ev;
  while ((ev = http_stream_take_event(s->get)))
    tally_event(&s->t, ev, &s->tag);
  return http_stream_ended(s->get) || now >= s->leg_deadline;
}

/* Moves the slot on as far as what has arrived allows, never waiting. */
static void slot_advance(case_ctx *ctx, slot *s) {
  slot_phase before;
  do {
    double now = clock_ms();
    before = s->phase;
    switch (s->phase) {
    case PHASE_FIRST_LEG:
      if (leg_over(ctx, s->post, s, now))
        first_leg_over(ctx, s, now);
      break;
    case PHASE_RETRY:
      if (now >= s->resume_at)
        slot_resume(ctx, s->h, s, now);
      break;
    case PHASE_RESUME:
      resume_answered(s, now);
      break;
    case PHASE_SECOND_LEG:
      if (leg_over(ctx, s->get, s, now))
        drain_start(ctx, s, now);
      break;
    case PHASE_DRAIN:
      if (drain_over(s, now))
        settle(s, ATTEMPT_WHOLE);
      break;
    case PHASE_DONE:
      break;
    }
  } while (s->phase != before && s->phase != PHASE_DONE);
}

/* Whether the slot can move on now (client_wait's ready test). */
static int slot_ready(const slot *s, double now) {
  switch (s->phase) {
  case PHASE_FIRST_LEG:
    return http_stream_has_event(s->post) || http_stream_ended(s->post);
  case PHASE_RETRY:
    return now >= s->resume_at;
  case PHASE_RESUME:
    return !s->get || s->get->headers_done || http_stream_ended(s->get);
  case PHASE_SECOND_LEG:
  case PHASE_DRAIN:
    return http_stream_has_event(s->get) || http_stream_ended(s->get);
  case PHASE_DONE:
    return s->t.responses || now >= s->busy_until;
  }
  return 1;
}

/* Slots at most: MCPWIRE_RECONNECT_PARALLEL per session. */
#define SLOTS_MAX (MCPWIRE_RECONNECT_PARALLEL * MCPWIRE_RECONNECT_SESSIONS)

typedef struct pipeline {
  slot slots[SLOTS_MAX];
  size_t n;                 /* slots in use: MCPWIRE_RECONNECT_PARALLEL per session */
} pipeline;

static int any_slot_ready(void *arg) {
  pipeline *p = arg;
  double now = clock_ms();
  for (size_t i = 0; i < p->n; i++)
    if (p->slots[i].active && slot_ready(&p->slots[i], now))
      return 1;
  return 0;
}

/* The earliest time a slot must move on even if nothing arrives. */
static double next_due(const pipeline *p, const case_ctx *ctx) {
  double due = ctx->deadline_ms;
  for (size_t i = 0; i < p->n; i++) {
    const slot *s = &p->slots[i];
    double t = s->phase == PHASE_RETRY ? s->resume_at
               : s->phase == PHASE_DONE ? s->busy_until : s->leg_deadline;
    if (s->active && t < due)
      due = t;
  }
  return due;
}

/* ---- the case ---- */

/* One uncut call: its progress values (*expected, filling vs), how long it
 * took (*call_ms) and how many events it dispatched (*events, capped by
 * MCPWIRE_RECONNECT_EVENT_CUTS_MAX). 0 when it was answered on one SSE
 * stream. */
static int expected_progress(case_ctx *ctx, shttp *h, const fixture *fx, tally *expected,
                             value_set *vs, double *call_ms, size_t *events) {
  call_tag tag;
  dynbuf body;
  tag_init(&tag);
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  memset(expected, 0, sizeof *expected);
  expected->values = vs;
  double t0 = clock_ms();
  http_stream *post = call_body(fx, &tag, &body) ? NULL : shttp_post(h, dynbuf_str(&body), 0);
  dynbuf_free(&body);
  if (!post || http_stream_wait_headers(post, ctx_step_deadline(ctx)) ||
      !http_stream_is_event_stream(post))
    return -1;
  const stream_event *ev;
  while (!expected->responses && (ev = http_stream_next_event(post, ctx_step_deadline(ctx))))
    tally_event_learning(expected, ev, &tag, vs);
  *call_ms = clock_ms() - t0;
  const sse_stats *st = http_stream_sse_stats(post);
  *events = st ? (size_t)st->events : 0;
  if (*events > MCPWIRE_RECONNECT_EVENT_CUTS_MAX)
    *events = MCPWIRE_RECONNECT_EVENT_CUTS_MAX;
  return expected->responses == 1 && !expected->foreign && !expected->refused ? 0 : -1;
}

typedef struct sweep {
  size_t tried, cut, resumed, whole, unresumable, broken, errors;
  size_t late;                 /* cut, but the retry wait ran into the deadline: not judged */
  size_t refused;              /* refused twice: not judged */
  size_t requeued, nrequeue;   /* refused once: tried again at the end */
  cut_at again[MCPWIRE_RECONNECT_OFFSETS_MAX + MCPWIRE_RECONNECT_EVENT_CUTS_MAX];
  size_t events_started;       /* event cuts started (they go first) */
  char refused_what[96];
  attempt first_broken;
  double max_retry, max_waited;
} sweep;

/* k with its low `bits` bits reversed: visiting 0..2^bits-1 this way
 * spreads the first visits over the whole range (van der Corput). */
static size_t bit_reverse(size_t k, unsigned bits) {
  size_t r = 0;
  for (unsigned b = 0; b < bits; b++)
    r = (r << 1) | ((k >> b) & 1u);
  return r;
}

/* Which broken attempt the verdict names: the earliest cut in the stream
 * (after event 1, 2, ... first, then the lowest byte offset). */
static int comes_first(const attempt *a, const attempt *b) {
  if (a->event && b->event)
    return a->event < b->event;
  if (a->event || b->event)
    return a->event != 0;
  return a->offset < b->offset;
}

static void sweep_add(sweep *sw, const slot *s) {
  if (s->out == ATTEMPT_REFUSED && !sw->refused_what[0])
    snprintf(sw->refused_what, sizeof sw->refused_what, "%s", s->t.refused_what);
  if (s->out == ATTEMPT_REFUSED && !s->second_try &&
      sw->nrequeue < MCPWIRE_RECONNECT_OFFSETS_MAX + MCPWIRE_RECONNECT_EVENT_CUTS_MAX) {
    /* a busy target: try it once more later */
    sw->again[sw->nrequeue++] = (cut_at){s->a.offset, s->a.event};
    return;
  }
  if (s->a.retry_ms > sw->max_retry)
    sw->max_retry = s->a.retry_ms;
  if (s->out == ATTEMPT_LATE) {
    sw->late++;
    return;
  }
  sw->tried++;
  sw->cut += (size_t)s->a.cut;
  sw->resumed += (size_t)s->a.resumed;
  if (s->a.waited_ms > sw->max_waited)
    sw->max_waited = s->a.waited_ms;
  if (s->out == ATTEMPT_WHOLE)
    sw->whole++;
  else if (s->out == ATTEMPT_UNRESUMABLE)
    sw->unresumable++;
  else if (s->out == ATTEMPT_ERROR)
    sw->errors++;
  else if (s->out == ATTEMPT_REFUSED)
    sw->refused++;
  else if (sw->broken++ == 0 || comes_first(&s->a, &sw->first_broken))
    sw->first_broken = s->a;
}

/* Judges a finished attempt, counts it and frees its proxy and streams. */
static void slot_finish(slot *s, const tally *expected, sweep *sw) {
  if (s->t.refused)
    s->out = ATTEMPT_REFUSED;
  else if (s->out == ATTEMPT_WHOLE)
    s->out = judge(&s->t, expected, &s->a);
  sweep_add(sw, s);
  client_release(s->post);
  client_release(s->get);
  if (s->proxied)
    proxy_front_stop(&s->pf);
  free(s->resume_id);
  s->active = 0;
}

/* The next planned cut: after each event in turn, then byte offsets in
 * spread order (offsets spread evenly come first, so a deadline cuts
 * coverage, not range), then the ones the target refused once; 0 when none
 * is left. *second_try says which. */
static int next_cut(const offsets *o, unsigned bits, size_t *k, sweep *sw, cut_at *at,
                    int *second_try) {
  *second_try = 0;
  if (sw->events_started < o->nevents) {
    *at = (cut_at){0, ++sw->events_started};
    return 1;
  }
  for (; *k < ((size_t)1 << bits); (*k)++) {
    size_t i = bit_reverse(*k, bits);
    if (i < o->n) {
      (*k)++;
      *at = (cut_at){o->at[i], 0};
      return 1;
    }
  }
  if (sw->requeued < sw->nrequeue) {
    *at = sw->again[sw->requeued++];
    *second_try = 1;
    return 1;
  }
  return 0;
}

/* Runs every planned offset, MCPWIRE_RECONNECT_PARALLEL at a time in each
 * of the nh sessions: a slot that ends takes the next offset, and each
 * waits only its own stream's reconnection time. A slot whose attempt ended
 * without the call's response is held until call_ms (the uncut call's
 * length) after its start, as the cut call goes on running on the target:
 * so at most about MCPWIRE_RECONNECT_PARALLEL calls per session are in
 * flight there. No new offset starts in the case's last 2 s
 * (SWEEP_TAIL_MS) plus the longest retry wait seen so far. */
static void sweep_offsets(case_ctx *ctx, shttp *const *hs, size_t nh, const offsets *o,
                          const sweep_plan *plan, sweep *sw) {
  unsigned bits = 0;
  while (((size_t)1 << bits) < o->n)
    bits++;
  client *c = client_new(&ctx->transport, &ctx->log), *own[MCPWIRE_RECONNECT_SESSIONS];
  pipeline *p = calloc(1, sizeof *p);
  if (!c || !p) {
    sw->errors++;
    client_free(c);
    free(p);
    return;
  }
  for (size_t j = 0; j < nh; j++) {
    own[j] = hs[j]->c;
    hs[j]->c = c;
  }
  p->n = nh * MCPWIRE_RECONNECT_PARALLEL;
  size_t k = 0, active = 0;
  cut_at at;
  int second_try;
  for (;;) {
    /* The retry wait the target advertised so far (capped) must fit too. */
    double room = SWEEP_TAIL_MS + (sw->max_retry < MCPWIRE_RETRY_WAIT_MAX_MS
                                       ? sw->max_retry : MCPWIRE_RETRY_WAIT_MAX_MS);
    for (size_t i = 0; i < p->n; i++)
      if (!p->slots[i].active && clock_ms() + room < ctx->deadline_ms &&
          next_cut(o, bits, &k, sw, &at, &second_try)) {
        slot_start(ctx, hs[i % nh], &p->slots[i], at, second_try, plan);
        active++;
      }
    if (!active)
      break;
    client_wait(c, any_slot_ready, p, next_due(p, ctx));
    for (size_t i = 0; i < p->n; i++) {
      slot *s = &p->slots[i];
      if (!s->active)
        continue;
      slot_advance(ctx, s);
      if (s->phase == PHASE_DONE && slot_ready(s, clock_ms())) {
        slot_finish(s, plan->expected, sw);
        active--;
      }
    }
  }
  for (size_t j = 0; j < nh; j++)
    hs[j]->c = own[j];
  client_free(c);
  free(p);
}

static void report_sweep(case_ctx *ctx, const offsets *o, const sweep *sw, size_t total) {
  char got[800];
  if (sw->broken) {
    char where[80];
    if (sw->first_broken.event)
      snprintf(where, sizeof where, "right after event %zu", sw->first_broken.event);
    else
      snprintf(where, sizeof where, "at byte %zu of %zu", sw->first_broken.offset, total);
    snprintf(got, sizeof got, "first broken cut %s: %s (%zu of %zu cuts broken)", where,
             sw->first_broken.why, sw->broken, sw->tried);
    ctx_violation(ctx, "every event once after a resume, at any cut offset", got,
                  "a cut stream resumed with Last-Event-ID lost or repeated events: %s", got);
    return;
  }
  if (sw->errors || (!sw->tried && !sw->late) || (sw->tried && sw->refused == sw->tried)) {
    ctx_error(ctx, "%zu of %zu offsets could not be run%s%s%s", sw->errors + sw->refused,
              sw->tried, sw->refused ? " (refused twice by the busy target: " : "",
              sw->refused_what, sw->refused ? ")" : "");
    return;
  }
  char refused[256] = "";
  if (sw->nrequeue)
    snprintf(refused, sizeof refused, "; %zu attempts refused by the busy target (%.80s) and "
             "tried again, %zu refused twice (not judged)", sw->nrequeue, sw->refused_what,
             sw->refused);
  if (sw->late)
    snprintf(refused + strlen(refused), sizeof refused - strlen(refused), "; %zu cut too late "
             "to wait the retry before the case deadline (not judged)", sw->late);
  snprintf(got, sizeof got, "%zu of %zu planned cuts (right after each of %zu events, %zu byte "
           "offsets of which %zu at recorded event boundaries +-1) over %zu bytes: %zu cut, %zu "
           "resumed, %zu whole, %zu cut before any id (not resumable); retry %.0f ms, waited up "
           "to %.0f ms%s", sw->tried, o->nevents + o->n, o->nevents, o->n, o->boundaries, total,
           sw->cut, sw->resumed, sw->whole, sw->unresumable, sw->max_retry, sw->max_waited,
           refused);
  if (!sw->resumed && sw->late)
    ctx_skip(ctx, "no cut stream could be resumed: the advertised retry (%.0f ms, waited at "
             "most %d ms) leaves no room before the case deadline (raise --timeout-ms): %s",
             sw->max_retry, MCPWIRE_RETRY_WAIT_MAX_MS, got);
  else if (!sw->resumed)
    ctx_skip(ctx, "no cut stream could be resumed (no event ids before any cut): %s", got);
  else
    ctx_checked(ctx, "no loss, duplicate or foreign event at any cut offset", got);
}

/* Sessions beside *first for the sweep (as many as initialize, up to
 * MCPWIRE_RECONNECT_SESSIONS in all); hs[0] is first. Returns how many. */
static size_t open_sessions(case_ctx *ctx, shttp *first, shttp *more, shttp **hs) {
  size_t n = 0;
  hs[n++] = first;
  for (size_t j = 0; j + 1 < MCPWIRE_RECONNECT_SESSIONS; j++) {
    rpc_failure f = {{0}};
    shttp_init(&more[j], ctx->client, ctx->cfg->url);
    if (shttp_initialize(&more[j], first->protocol_version, ctx_step_deadline(ctx), &f)) {
      ctx_note(ctx, "a session more for the sweep could not be opened: %s", f.why);
      shttp_free(&more[j]);
      break;
    }
    hs[n++] = &more[j];
  }
  return n;
}

/* The sweep once the fixture is known: the uncut call, its recording,
 * the cuts. */
static void cut_and_compare(case_ctx *ctx, shttp *h, const fixture *fx, offsets *o,
                            recording *r) {
  shttp more[MCPWIRE_RECONNECT_SESSIONS], *hs[MCPWIRE_RECONNECT_SESSIONS];
  value_set vs = {{0}, 0, 0};
  tally expected;
  double call_ms = 0;
  if (expected_progress(ctx, h, fx, &expected, &vs, &call_ms, &o->nevents)) {
    ctx_skip(ctx, "the %s call is not answered as one SSE stream: nothing to cut", fx->tool);
    return;
  }
  if (record_exchange(ctx, h, fx, r)) {
    ctx_error(ctx, "could not record the %s call's wire bytes", fx->tool);
    return;
  }
  sweep sw = {0};
  sweep_plan plan = {fx, &expected, call_ms};
  offsets_plan(o, r);
  size_t nh = open_sessions(ctx, h, more, hs);
  ctx_note(ctx, "%zu cuts planned (after each of %zu events; %zu byte offsets, %zu at event "
           "boundaries +-1), %d at once in each of %zu sessions; the uncut %s call took %.1f ms "
           "with %zu progress value(s): an attempt that ends without the response keeps its "
           "place that long", o->nevents + o->n, o->nevents, o->n, o->boundaries,
           MCPWIRE_RECONNECT_PARALLEL, nh, fx->tool, call_ms, vs.n);
  sweep_offsets(ctx, hs, nh, o, &plan, &sw);
  report_sweep(ctx, o, &sw, r->wire.len);
  for (size_t j = 1; j < nh; j++)
    shttp_free(hs[j]);
}

/* SHTTP-RESUME-04/05: cut at every offset, resume as a client, compare. */
static void every_offset(case_ctx *ctx) {
  shttp h;
  fixture fx;
  recording r = {{0}, 0};
  offsets *o = calloc(1, sizeof *o);
  shttp_init(&h, ctx->client, ctx->cfg->url);
  dynbuf_init(&r.wire, MCPWIRE_RECONNECT_RECORD_MAX);
  if (ctx->cfg->quick)  /* hundreds of cuts, each a whole call: no quick check */
    ctx_skip(ctx, "--quick: the every-offset sweep (up to %d cuts, each a whole call) is left "
             "out", MCPWIRE_RECONNECT_OFFSETS_MAX + MCPWIRE_RECONNECT_EVENT_CUTS_MAX);
  else if (!o)
    ctx_error(ctx, "out of memory");
  else if (!ctx_http_session(ctx, &h) && !call_require_fixture(ctx, &h, FIXTURE_PROGRESS, &fx))
    cut_and_compare(ctx, &h, &fx, o, &r);
  dynbuf_free(&r.wire);
  free(o);
  shttp_free(&h);
}

/* ---- legacy HTTP+SSE: a reconnect is a new session ---- */

/* POSTs a ping to a legacy endpoint; returns the HTTP status (0: none). */
static long post_ping(case_ctx *ctx, legacy *l) {
  http_stream *s = legacy_post(l, "{\"jsonrpc\":\"2.0\",\"id\":\"old-ping\",\"method\":\"ping\"}");
  if (!s || http_stream_wait_headers(s, ctx_step_deadline(ctx)))
    return 0;
  return s->status;
}

/* SSELEG-02, SSELEG-14: 2024-11-05 has no resumption. A client whose
 * stream dropped opens a new one, which must start with a new endpoint
 * (a new session); the dropped session is gone. */
static void legacy_new_session(case_ctx *ctx) {
  legacy a, b;
  legacy_init(&a, ctx->client, ctx->cfg->url);
  legacy_init(&b, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (ctx_legacy_session(ctx, &a))
    goto out;
  ctx_note(ctx, "first stream's endpoint: %s; dropping it", a.endpoint_raw);
  http_stream_close(a.stream);
  client_idle_until(ctx->client, clock_ms() + 100);   /* let the server see the close */
  if (legacy_connect(&b, ctx_step_deadline(ctx), &f)) {
    ctx_violation(ctx, "an endpoint event on the new stream", f.why,
                  "reconnecting gave no usable endpoint: %s", f.why);
    goto out;
  }
  if (b.endpoint_foreign) {
    char why[600];
    ctx_skip(ctx, "new stream: %s", legacy_refuse_endpoint(&b, why, sizeof why));
    goto out;
  }
  if (!strcmp(a.endpoint_raw, b.endpoint_raw)) {
    ctx_violation(ctx, "a new session's endpoint", b.endpoint_raw,
                  "the new stream reuses the dropped stream's endpoint");
    goto out;
  }
  if (legacy_initialize(&b, ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
    ctx_violation(ctx, "initialize on the new session", f.why, "new session: %s", f.why);
    goto out;
  }
  long old = post_ping(ctx, &a);
  char got[300];
  snprintf(got, sizeof got, "new endpoint %s; the dropped session's endpoint answers HTTP %ld",
           b.endpoint_raw, old);
  if (old >= 200 && old < 300)
    ctx_violation(ctx, "new endpoint, and the dropped session rejects POSTs (4xx)", got,
                  "the session of a closed stream still accepts messages: %s", got);
  else
    ctx_checked(ctx, "new endpoint, and the dropped session rejects POSTs", got);
out:
  legacy_free(&b);
  legacy_free(&a);
}

const case_def sse_reconnect_cases[] = {
    {CASE_ID("sse/reconnect", "new-session-endpoint"),
     .title = "Reconnecting the legacy SSE stream gives a new endpoint; the old session is gone",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_SHOULD,
     .requirements = REQS("SSELEG-02", "SSELEG-14"),
     .spec_ref = SPEC_2411 "basic/transports#http-with-sse",
     .run = legacy_new_session, .faults = FAULTS("legacy-accept-unknown-session")},
};
const size_t sse_reconnect_ncases = NCASES(sse_reconnect_cases);

const case_def http_reconnect_cases[] = {
    {CASE_ID("http/reconnect", "every-offset"),
     .title = "A stream cut at any byte and resumed with Last-Event-ID loses and repeats nothing",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-RESUME-04", "SHTTP-RESUME-05", "SHTTP-RESUME-03"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .slow = 1, .run = every_offset, .fixtures = FX_PROGRESS,
     .faults = FAULTS("drop-replay", "replay-other-stream", "duplicate-event-ids")},
};
const size_t http_reconnect_ncases = NCASES(http_reconnect_cases);
