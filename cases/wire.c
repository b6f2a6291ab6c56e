/* wire: the SSE wire format of every stream the server serves, on both
 * transports (WHATWG event-stream rules as MCP relies on them).
 *
 * Each case drives one ordinary exchange (initialize, initialized, ping and,
 * on Streamable HTTP, the standalone GET stream) and then judges every
 * stream it opened. Valid-but-unusual framing (CRLF, CR, no space, comments,
 * BOM, split lines) only becomes transcript notes, never a verdict. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/call.h"
#include "verifier/watch.h"

#define WIRE_REF "https://html.spec.whatwg.org/multipage/server-sent-events.html"
#define WIRE_STREAMS_MAX 8

/* The streams of one exchange. */
typedef struct wire_run {
  legacy l;
  shttp h;
  int is_legacy;
  http_stream *s[WIRE_STREAMS_MAX];
  size_t n;
} wire_run;

static void run_add(wire_run *r, http_stream *s) {
  if (s && r->n < WIRE_STREAMS_MAX)
    r->s[r->n++] = s;
}

/* One transcript line of the framing a stream used: information only. */
static void note_framing(case_ctx *ctx, http_stream *s) {
  const sse_stats *st = http_stream_sse_stats(s);
  if (!st)
    return;
  ctx_note(ctx,
           "#%d framing: events=%llu lf=%llu crlf=%llu cr=%llu comments=%llu bom=%llu "
           "no-space=%llu split-lines=%llu unterminated-at-end=%llu",
           s->index, (unsigned long long)st->events, (unsigned long long)st->lines_lf,
           (unsigned long long)st->lines_crlf, (unsigned long long)st->lines_cr,
           (unsigned long long)st->comments, (unsigned long long)st->bom,
           (unsigned long long)st->fields_no_space, (unsigned long long)st->split_lines,
           (unsigned long long)st->unterminated_at_end);
}

static int exercise_legacy(case_ctx *ctx, wire_run *r) {
  legacy_init(&r->l, ctx->client, ctx->cfg->url);
  r->is_legacy = 1;
  if (ctx_legacy_session(ctx, &r->l))
    return -1;
  run_add(r, r->l.stream);
  rpc_failure f = {{0}};
  jsonrpc_msg *m = legacy_call(&r->l, "ping", NULL, ctx_step_deadline(ctx), NULL, &f);
  if (!m) /* its events are judged all the same */
    ctx_note(ctx, "ping got no usable response: %s", f.why);
  jsonrpc_free(m);
  return 0;
}

static int exercise_http(case_ctx *ctx, wire_run *r) {
  shttp_init(&r->h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &r->h))
    return -1;
  run_add(r, r->h.init_stream);
  http_stream *post = NULL;
  rpc_failure f = {{0}};
  jsonrpc_msg *m = call_request(ctx, &r->h, NULL, "ping", NULL, &post, &f);
  if (!m) /* its events are judged all the same */
    ctx_note(ctx, "ping got no usable response: %s", f.why);
  jsonrpc_free(m);
  run_add(r, post);
  http_stream *get = shttp_get(&r->h, NULL, 0);
  if (!http_stream_wait_headers(get, ctx_step_deadline(ctx)) && get->status != 405)
    run_add(r, get);
  /* POST streams end once answered: let them finish before judging. */
  for (size_t i = 0; i < r->n; i++)
    if (r->s[i] != get)
      http_stream_wait_done(r->s[i], ctx_step_deadline(ctx));
  return 0;
}

/* Runs the exchange for the run's transport; -1 when the verdict is set. */
static int exercise(case_ctx *ctx, wire_run *r) {
  memset(r, 0, sizeof *r);
  int rc = strcmp(ctx->cfg->transport_name, "sse") ? exercise_http(ctx, r)
                                                     : exercise_legacy(ctx, r);
  for (size_t i = 0; i < r->n; i++)
    note_framing(ctx, r->s[i]);
  return rc;
}

static void run_free(wire_run *r) {
  if (r->is_legacy)
    legacy_free(&r->l);
  else
    shttp_free(&r->h);
}

/* SSEWIRE-01: the long-lived stream (legacy GET, Streamable HTTP GET) and
 * every SSE reply are 200 text/event-stream; parameters are ignored. */
static void stream_content_type(case_ctx *ctx) {
  wire_run r;
  if (!exercise(ctx, &r)) {
    size_t streams = 0;
    for (size_t i = 0; i < r.n; i++) {
      http_stream *s = r.s[i];
      int must_stream = !strcmp(s->method, "GET");
      if (!must_stream && !http_stream_is_event_stream(s))
        continue; /* a JSON reply: another section's business */
      if (must_stream && (s->status < 200 || s->status > 299))
        continue; /* a refused GET: judged by the GET cases */
      const char *ct = http_stream_header(s, "Content-Type", NULL);
      char got[160];
      snprintf(got, sizeof got, "#%d %s: HTTP %ld %.100s", s->index, s->method, s->status,
               ct ? ct : "(no Content-Type)");
      if (s->status != 200 || !http_stream_is_event_stream(s)) {
        ctx_violation(ctx, "HTTP 200 text/event-stream", got, "a stream response is not SSE");
        break;
      }
      streams++;
    }
    char got[64];
    snprintf(got, sizeof got, "%zu stream responses, all 200 text/event-stream", streams);
    if (!streams)
      ctx_skip(ctx, "the target served no stream (JSON replies and no GET stream)");
    else
      ctx_checked(ctx, "HTTP 200 text/event-stream", got);
  }
  run_free(&r);
}

/* 1 when the server itself ended the stream (not us, not an error). */
static int ended_by_server(const http_stream *s) {
  return http_stream_complete(s);
}

/* SSEWIRE-20: a stream the server ends has no event left open at EOF. */
static void final_event_terminated(case_ctx *ctx) {
  wire_run r;
  if (!exercise(ctx, &r)) {
    size_t judged = 0;
    for (size_t i = 0; i < r.n; i++) {
      const sse_stats *st = http_stream_sse_stats(r.s[i]);
      if (!st || !ended_by_server(r.s[i]))
        continue;
      judged++;
      if (st->unterminated_at_end) {
        char got[96];
        snprintf(got, sizeof got, "#%d ended inside an event (no blank line)", r.s[i]->index);
        ctx_violation(ctx, "every event closed by a blank line before EOF", got,
                      "the final event was left unterminated: a consumer drops it");
        break;
      }
    }
    char got[64];
    snprintf(got, sizeof got, "%zu server-ended streams, all events terminated", judged);
    if (!judged)
      ctx_skip(ctx, "no SSE stream was ended by the server (legacy stream or JSON replies)");
    else
      ctx_checked(ctx, "every event closed by a blank line before EOF", got);
  }
  run_free(&r);
}

/* SSEWIRE-13: server event ids carry no NUL (CR and LF cannot survive
 * framing: they would end the line). */
static void event_ids_clean(case_ctx *ctx) {
  wire_run r;
  if (!exercise(ctx, &r)) {
    unsigned long long nul = 0;
    for (size_t i = 0; i < r.n; i++) {
      const sse_stats *st = http_stream_sse_stats(r.s[i]);
      nul += st ? st->ids_with_nul : 0;
    }
    char got[64];
    snprintf(got, sizeof got, "%llu id fields with a NUL", nul);
    if (nul)
      ctx_violation(ctx, "no id field with NUL, CR or LF", got,
                    "consumers ignore such ids, so resumption loses its place");
    else
      ctx_checked(ctx, "no id field with NUL, CR or LF", got);
  }
  run_free(&r);
}

/* SSEWIRE-26: each message event's joined data lines are one JSON text. */
static void data_is_json(case_ctx *ctx) {
  wire_run r;
  if (!exercise(ctx, &r)) {
    size_t judged = 0;
    for (size_t i = 0; i < r.n && !ctx->decided; i++) {
      http_stream *s = r.s[i];
      for (size_t e = 0; e < s->nevents; e++) {
        const stream_event *ev = &s->events[e];
        if (!ev->data_len || !strcmp(ev->type, "endpoint"))
          continue; /* priming events and the legacy endpoint carry no JSON */
        jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
        int ok = m && jsonrpc_is_json(m);
        jsonrpc_free(m);
        judged++;
        if (!ok) {
          char got[160];
          snprintf(got, sizeof got, "#%d event %zu data: %.100s", s->index, e + 1, ev->data);
          ctx_violation(ctx, "data lines joined with LF form valid JSON", got,
                        "an event's data is not JSON");
          break;
        }
      }
    }
    char got[64];
    snprintf(got, sizeof got, "%zu events, each data valid JSON", judged);
    if (!judged)
      ctx_skip(ctx, "no SSE event carried data");
    else
      ctx_checked(ctx, "data lines joined with LF form valid JSON", got);
  }
  run_free(&r);
}

/* SSEWIRE-25: stream responses say Cache-Control: no-cache (or no-store). */
static void cache_control(case_ctx *ctx) {
  wire_run r;
  if (!exercise(ctx, &r)) {
    size_t judged = 0;
    for (size_t i = 0; i < r.n && !ctx->decided; i++) {
      http_stream *s = r.s[i];
      if (!http_stream_is_event_stream(s))
        continue;
      judged++;
      const char *cc = http_stream_header(s, "Cache-Control", NULL);
      if (!cc || (!strstr(cc, "no-cache") && !strstr(cc, "no-store"))) {
        char got[160];
        snprintf(got, sizeof got, "#%d %s: Cache-Control %.100s", s->index, s->method,
                 cc ? cc : "absent");
        ctx_violation(ctx, "Cache-Control: no-cache", got,
                      "a cache or proxy may hold the stream back");
      }
    }
    if (!judged)
      ctx_skip(ctx, "the target served no stream");
    else if (!ctx->decided)
      ctx_checked(ctx, "Cache-Control: no-cache", "every stream response");
  }
  run_free(&r);
}

/* The long-lived stream of the exchange: legacy GET or Streamable HTTP GET. */
static http_stream *idle_stream(wire_run *r) {
  for (size_t i = 0; i < r->n; i++)
    if (!strcmp(r->s[i]->method, "GET") && http_stream_is_event_stream(r->s[i]))
      return r->s[i];
  return NULL;
}

/* clock_ms() when the stream's next comment came, -1 when none came by
 * `until` (never past the case deadline). */
static double await_comment(case_ctx *ctx, http_stream *s, double until) {
  if (until > ctx->deadline_ms - MCPWIRE_CASE_POLL_MS)
    until = ctx->deadline_ms - MCPWIRE_CASE_POLL_MS;
  uint64_t before = http_stream_sse_stats(s)->comments;
  while (clock_ms() < until && !http_stream_ended(s)) {
    client_idle_until(ctx->client, clock_ms() + MCPWIRE_CASE_POLL_MS);
    if (http_stream_sse_stats(s)->comments > before)
      return clock_ms();
  }
  return -1;
}

/* Watches an idle stream for keep-alive comments: ends at the second
 * comment (the interval measured) or, when the first came late, at the
 * first. Returns the first comment's time or -1; *second gets the second's
 * or -1. */
static double watch_comments(case_ctx *ctx, http_stream *s, double start, double watch_ms,
                             double *second) {
  double first = await_comment(ctx, s, start + watch_ms);
  /* A quick first comment leaves time to measure the interval itself. */
  *second = first >= 0 && first - start < watch_ms / 4
                ? await_comment(ctx, s, first + watch_ms / 4)
                : -1;
  return first;
}

/* SSEWIRE-24: an idle stream gets keep-alive comments (~15 s is usual). */
static void keepalive_comments(case_ctx *ctx) {
  if (watch_left_out_by_quick(ctx, MCPWIRE_KEEPALIVE_WATCH_MS))
    return;
  wire_run r;
  if (!exercise(ctx, &r)) {
    http_stream *s = idle_stream(&r);
    if (!s) {
      ctx_skip(ctx, "the target offers no long-lived stream to watch");
    } else {
      double start = clock_ms(), second;
      double first = watch_comments(ctx, s, start, MCPWIRE_KEEPALIVE_WATCH_MS, &second);
      watch_keepalive_waited(ctx, clock_ms() - start);
      char got[128];
      if (first >= 0) {
        if (second >= 0)
          snprintf(got, sizeof got, "first comment after %.0f ms idle, interval %.0f ms",
                   first - start, second - first);
        else
          snprintf(got, sizeof got, "first comment after %.0f ms idle", first - start);
        ctx_checked(ctx, "a keep-alive comment on an idle stream", got);
      } else {
        snprintf(got, sizeof got, "none in %.0f ms%s", clock_ms() - start,
                 http_stream_ended(s) ? " (stream ended)" : "");
        ctx_violation(ctx, "a keep-alive comment on an idle stream", got,
                      "idle streams without keep-alives are cut by proxies");
      }
    }
  }
  run_free(&r);
}

const case_def wire_cases[] = {
    {CASE_ID("wire", "stream-content-type"),
     .title = "Stream responses are HTTP 200 text/event-stream (parameters ignored)",
     .transport = CASE_ANY, .revisions = REV_ALL, .level = LEVEL_MUST,
     .requirements = REQS("SSEWIRE-01"), .spec_ref = WIRE_REF "#text/event-stream",
     .run = stream_content_type, .faults = FAULTS("get-wrong-content-type"),
     .proof.needs = NEED_GET_STREAM | NEED_SSE_REPLIES},
    {CASE_ID("wire", "final-event-terminated"),
     .title = "Every event ends with a blank line before the server closes the stream",
     .transport = CASE_ANY, .revisions = REV_ALL, .level = LEVEL_MUST,
     .requirements = REQS("SSEWIRE-20"), .spec_ref = WIRE_REF "#event-stream-interpretation",
     .run = final_event_terminated, .faults = FAULTS("unterminated-final-event"),
     .proof.needs = NEED_SSE_REPLIES},
    {CASE_ID("wire", "event-ids-clean"),
     .title = "Event ids contain no NUL, CR or LF",
     .transport = CASE_ANY, .revisions = REV_ALL, .level = LEVEL_MUST,
     .requirements = REQS("SSEWIRE-13"), .spec_ref = WIRE_REF "#event-stream-interpretation",
     .run = event_ids_clean, .faults = FAULTS("event-id-with-nul"),
     .proof.transports = CASE_ANY},
    {CASE_ID("wire", "data-is-json"),
     .title = "Each event's data lines, joined, are valid JSON",
     .transport = CASE_ANY, .revisions = REV_ALL, .level = LEVEL_MUST,
     .requirements = REQS("SSEWIRE-26", "SSELEG-06"), .spec_ref = WIRE_REF "#parsing-an-event-stream",
     .run = data_is_json, .faults = FAULTS("data-stray-cr"),
     .proof.transports = CASE_ANY},
    {CASE_ID("wire", "cache-control"),
     .title = "Stream responses disable caching (Cache-Control: no-cache)",
     .transport = CASE_ANY, .revisions = REV_ALL, .level = LEVEL_INFO,
     .requirements = REQS("SSEWIRE-25"), .spec_ref = WIRE_REF "#authoring-notes",
     .run = cache_control, .faults = FAULTS("no-cache-control"),
     .proof.transports = CASE_ANY},
    {CASE_ID("wire", "keepalive-comments"),
     .title = "An idle stream gets keep-alive comments",
     .transport = CASE_ANY, .revisions = REV_ALL, .level = LEVEL_SHOULD,
     .requirements = REQS("SSEWIRE-24"), .spec_ref = WIRE_REF "#authoring-notes",
     .slow = 1, .run = keepalive_comments, .faults = FAULTS("no-heartbeat"),
     .proof.transports = CASE_ANY},
};
const size_t wire_ncases = NCASES(wire_cases);
