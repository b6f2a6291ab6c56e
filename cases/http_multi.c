/* http/multi: several streams of one session at once
 * (spec: basic/transports#multiple-connections). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/asking_client.h"
#include "cases/cases.h"
#include "verifier/exchange.h"
#include "verifier/call.h"

SECTION_TABLE(http_multi)

/* Streams one case opens: GET, two PROGRESS fixture calls, the
 * LIST_CHANGED and ASK_CLIENT fixture calls (when the target has them), and
 * a PROGRESS call of a second session that reuses call A's id (a server
 * keying calls by id alone would cross them). */
enum { S_GET, S_SLOW_A, S_SLOW_B, S_TRIGGER, S_ASK, S_OTHER, S_COUNT };
static const char *const STREAM_NAMES[S_COUNT] = {"GET",        "progress call A",
                                                  "progress call B", "list_changed trigger",
                                                  "ask_client call", "other session's call"};
/* Messages remembered across all streams; more are counted, not compared. */
#define MULTI_MESSAGES_MAX 512

typedef struct multi_run {
  http_stream *s[S_COUNT];
  /* The id and progress token of each PROGRESS call (JSON texts, ""
   * elsewhere): unique in the run, but for S_OTHER's id, A's on purpose. */
  char id[S_COUNT][48], token[S_COUNT][48];
  struct {
    uint64_t hash;
    const char *data;
    size_t len;
    int stream;
  } seen[MULTI_MESSAGES_MAX];
  size_t nseen, overflow;
  int dup_a, dup_b;        /* streams of the first duplicate, -1 when none */
  char dup_what[120];
  char misrouted[200];     /* first message of one call found on another's stream */
} multi_run;

/* 1 when the raw JSON value at `path` of m is present and differs from want. */
static int differs(const jsonrpc_msg *m, const char *path, const char *want) {
  size_t len = 0;
  const char *got = jsonrpc_get_raw(m, path, &len);
  return got && (len != strlen(want) || memcmp(got, want, len));
}

/* A PROGRESS call's stream carries only that call's progress and response. */
static void check_own_call(multi_run *r, int stream, const char *data, size_t len) {
  if (!r->id[stream][0] || r->misrouted[0])
    return;
  jsonrpc_msg *m = jsonrpc_parse(data, len);
  jsonrpc_kind k = m ? jsonrpc_kind_of(m) : JSONRPC_INVALID;
  const char *method = m ? jsonrpc_method(m) : NULL;
  int foreign = ((k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE) &&
                 differs(m, "id", r->id[stream])) ||
                (method && !strcmp(method, "notifications/progress") &&
                 differs(m, "params.progressToken", r->token[stream]));
  if (foreign)
    snprintf(r->misrouted, sizeof r->misrouted, "on the %s stream: %.120s",
             STREAM_NAMES[stream], data);
  jsonrpc_free(m);
}

/* FNV-1a: cheap first filter before the byte comparison. */
static uint64_t fnv1a(const char *p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
  return h;
}

/* Remembers one message; notes the first one already seen on another
 * stream (the same bytes twice on one stream may be two messages). */
static void remember(multi_run *r, const char *data, size_t len, int stream) {
  uint64_t h = fnv1a(data, len);
  for (size_t i = 0; i < r->nseen; i++)
    if (r->seen[i].hash == h && r->seen[i].len == len && !memcmp(r->seen[i].data, data, len) &&
        r->seen[i].stream != stream && r->dup_a < 0) {
      r->dup_a = r->seen[i].stream;
      r->dup_b = stream;
      snprintf(r->dup_what, sizeof r->dup_what, "%.100s", data);
    }
  if (r->nseen == MULTI_MESSAGES_MAX) {
    r->overflow++;
    return;
  }
  r->seen[r->nseen].hash = h;
  r->seen[r->nseen].data = data;
  r->seen[r->nseen].len = len;
  r->seen[r->nseen].stream = stream;
  r->nseen++;
}

/* Hashes every JSON-RPC message each stream carried (SSE events with data,
 * or a JSON body). */
static void remember_all(multi_run *r) {
  for (int i = 0; i < S_COUNT; i++) {
    http_stream *s = r->s[i];
    if (!s)
      continue;
    if (!s->is_sse && s->body.len && i != S_OTHER)
      remember(r, s->body.ptr, s->body.len, i);
    for (size_t e = 0; s->is_sse && e < s->nevents; e++)
      if (s->events[e].data_len) {
        if (i != S_OTHER) /* another session may legitimately get equal bytes */
          remember(r, s->events[e].data, s->events[e].data_len, i);
        check_own_call(r, i, s->events[e].data, s->events[e].data_len);
      }
  }
}

/* 1 when the stream has carried a progress notification (or is no stream
 * to wait on: ended, or a JSON reply). */
static int progress_or_done(http_stream *s) {
  if (!s || http_stream_ended(s) || (s->headers_done && !s->is_sse))
    return 1;
  for (size_t e = 0; e < s->nevents; e++)
    if (s->events[e].data_len && strstr(s->events[e].data, "\"notifications/progress\""))
      return 1;
  return 0;
}

static int progress_calls_running(void *arg) {
  multi_run *r = arg;
  return progress_or_done(r->s[S_SLOW_A]) && progress_or_done(r->s[S_SLOW_B]) &&
         progress_or_done(r->s[S_OTHER]);
}

static int posts_done(void *arg) {
  multi_run *r = arg;
  for (int i = S_SLOW_A; i < S_COUNT; i++)
    if (r->s[i] && !http_stream_ended(r->s[i]))
      return 0;
  return 1;
}

/* The first server->client request any stream carried, or NULL. */
static jsonrpc_msg *find_server_request(multi_run *r) {
  for (int i = 0; i < S_COUNT; i++)
    for (size_t e = 0; r->s[i] && r->s[i]->is_sse && e < r->s[i]->nevents; e++) {
      const stream_event *ev = &r->s[i]->events[e];
      jsonrpc_msg *m = ev->data_len ? jsonrpc_parse(ev->data, ev->data_len) : NULL;
      if (m && jsonrpc_kind_of(m) == JSONRPC_REQUEST)
        return m;
      jsonrpc_free(m);
    }
  return NULL;
}

static int server_request_seen(void *arg) {
  jsonrpc_msg *m = find_server_request(arg);
  jsonrpc_free(m);
  return m != NULL || posts_done(arg);
}

/* Answers the ASK_CLIENT fixture's request to the client, wherever it came. */
static void answer_ask(case_ctx *ctx, shttp *h, multi_run *r, const fixture *ask) {
  client_wait(ctx->client, server_request_seen, r, ctx_step_deadline(ctx));
  jsonrpc_msg *req = find_server_request(r);
  if (!req) {
    ctx_note(ctx, "%s sent no request to the client", ask->tool);
    return;
  }
  asking_post_answer(h, req);
  jsonrpc_free(req);
}

/* The fixtures of one run: PROGRESS always, the others when the target
 * has them (each only widens the case). */
typedef struct multi_fixtures {
  fixture progress, change, ask;
  int has_change, has_ask;
} multi_fixtures;

/* POSTs PROGRESS call `stream` in h with its id and token. */
static void start_progress_call(shttp *h, multi_run *r, const fixture *fx, int stream) {
  r->s[stream] = call_fixture_post(h, fx, r->id[stream], r->token[stream]);
}

/* Starts the traffic: the PROGRESS calls, then (all running) the others. */
static void start_traffic(case_ctx *ctx, shttp *h, shttp *other, multi_run *r,
                          multi_fixtures *fx) {
  call_unique_id("multi", r->id[S_SLOW_A], sizeof r->id[S_SLOW_A]);
  call_unique_id("multi", r->id[S_SLOW_B], sizeof r->id[S_SLOW_B]);
  snprintf(r->id[S_OTHER], sizeof r->id[S_OTHER], "%s", r->id[S_SLOW_A]);
  for (int i = S_SLOW_A; i < S_COUNT; i++)
    if (r->id[i][0])
      call_unique_id("multi", r->token[i], sizeof r->token[i]);
  start_progress_call(h, r, &fx->progress, S_SLOW_A);
  start_progress_call(other, r, &fx->progress, S_OTHER);
  start_progress_call(h, r, &fx->progress, S_SLOW_B);
  client_wait(ctx->client, progress_calls_running, r, ctx_step_deadline(ctx));
  char why[600], id[48];
  if (fx->has_change &&
      call_fixture_trigger(ctx, h, &fx->change, &r->s[S_TRIGGER], why, sizeof why))
    ctx_note(ctx, "%s: %s", fx->change.tool, why);
  if (fx->has_ask) {
    r->s[S_ASK] = call_fixture_post(h, &fx->ask, call_unique_id("multi", id, sizeof id), NULL);
    answer_ask(ctx, h, r, &fx->ask);
  }
}

/* Resolves the fixtures: PROGRESS (else a skip), the others if offered. */
static int resolve_fixtures(case_ctx *ctx, shttp *h, multi_fixtures *fx) {
  char why[1200];
  if (call_require_progress(ctx, h, FIXTURE_PACE_BRISK, &fx->progress))
    return -1;
  fx->has_change = ctx_find_fixture(ctx, call_tools_page, h, h->init_result,
                                    FIXTURE_LIST_CHANGED, &fx->change, why, sizeof why) > 0;
  if (!fx->has_change)
    ctx_note(ctx, "no server notification to spread: %s", why);
  fx->has_ask = ctx_find_fixture(ctx, call_tools_page, h, h->init_result, FIXTURE_ASK_CLIENT,
                                 &fx->ask, why, sizeof why) > 0;
  if (!fx->has_ask)
    ctx_note(ctx, "no request to the client: %s", why);
  return 0;
}

/* SHTTP-MULTI-02: every server message goes on exactly one stream. */
static void no_duplicate_messages(case_ctx *ctx) {
  shttp h, other;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  shttp_init(&other, ctx->client, ctx->cfg->url);
  multi_run *r = calloc(1, sizeof *r);
  if (!r) {
    ctx_error(ctx, "out of memory");
    return;
  }
  r->dup_a = r->dup_b = -1;
  multi_fixtures fx;
  if (asking_session(ctx, &h) || resolve_fixtures(ctx, &h, &fx) || ctx_http_session(ctx, &other))
    goto out;
  r->s[S_GET] = shttp_get(&h, NULL, 0);
  if (http_stream_wait_headers(r->s[S_GET], ctx_step_deadline(ctx)) ||
      r->s[S_GET]->status != 200 || !http_stream_is_event_stream(r->s[S_GET]))
    r->s[S_GET] = NULL; /* 405 is valid: the POST streams are still compared */
  start_traffic(ctx, &h, &other, r, &fx);
  if (client_wait(ctx->client, posts_done, r, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "the concurrent calls did not all finish within the step deadline");
    goto out;
  }
  exchange_settle(ctx);
  remember_all(r);
  char got[200];
  int nstreams = 0;
  for (int i = 0; i < S_COUNT; i++)
    nstreams += r->s[i] != NULL;
  snprintf(got, sizeof got, "%zu messages on %d streams%s", r->nseen + r->overflow, nstreams,
           r->overflow ? " (some not compared)" : "");
  if (r->dup_a >= 0)
    ctx_violation(ctx, "each message on exactly one stream", r->dup_what,
                  "the same message came on the %s and %s streams", STREAM_NAMES[r->dup_a],
                  STREAM_NAMES[r->dup_b]);
  else if (r->misrouted[0])
    ctx_violation(ctx, "each call's progress and response on its own stream", r->misrouted,
                  "a message of one call came on another call's stream");
  else
    ctx_checked(ctx, "each message on exactly one stream, each call's on its own", got);
out:
  free(r);
  shttp_free(&other);
  shttp_free(&h);
}

const case_def http_multi_cases[] = {
    {CASE_ID("http/multi", "no-duplicate-messages"),
     .title = "With GET and several POST streams open, each message comes on one stream, "
              "a call's on its own",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-MULTI-02"),
     .spec_ref = SPEC_2511 "basic/transports#multiple-connections",
     .slow = 1, .run = no_duplicate_messages, .fixtures = FX_PROGRESS,
     .faults = FAULTS("broadcast-to-all-streams", "cross-session-calls")},
};
const size_t http_multi_ncases = NCASES(http_multi_cases);
