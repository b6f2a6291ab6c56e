/* http/session: session management over Streamable HTTP
 * (spec: basic/transports#session-management). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/call.h"
#include "mcpwire_limits.h"
#include "transport/session_ledger.h"
#include "transport/session_pacer.h"

static const char PING[] = "{\"jsonrpc\":\"2.0\",\"id\":901,\"method\":\"ping\"}";

/* Opens a session; skips when the server issues no session id (sessions are
 * optional, SHTTP-SESSION-01). */
static int open_session(case_ctx *ctx, shttp *h) {
  shttp_init(h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, h))
    return -1;
  if (!h->session_id) {
    ctx_skip(ctx, "target issued no Mcp-Session-Id (sessions are optional)");
    return -1;
  }
  return 0;
}

/* SHTTP-SESSION-03: the id is visible ASCII only. */
static void id_visible_ascii(case_ctx *ctx) {
  shttp h;
  if (!open_session(ctx, &h))
    verify_header_visible_ascii(ctx, "Mcp-Session-Id", h.session_id);
  shttp_free(&h);
}

/* SHTTP-SESSION-06: a request without the header, in a session, gets 400. */
static void missing_id_400(case_ctx *ctx) {
  shttp h;
  if (!open_session(ctx, &h))
    verify_status(ctx, shttp_post(&h, PING, SHTTP_OMIT_SESSION), 400,
                  "ping without Mcp-Session-Id");
  shttp_free(&h);
}

/* The final status of a GET of h's stream (flags: SHTTP_OMIT_SESSION or
 * 0), the stream closed at once; 0 with *why when none came in time. */
static long get_status(case_ctx *ctx, shttp *h, unsigned flags, const char **why) {
  http_stream *g = shttp_get(h, NULL, flags);
  long st = g && !http_stream_wait_headers(g, ctx_step_deadline(ctx)) ? g->status : 0;
  *why = !g ? "could not start the GET" : http_stream_ended(g) ? http_stream_error(g)
                                                               : "no answer before the deadline";
  if (g)
    http_stream_close(g);
  return st;
}

/* SHTTP-SESSION-06 (basic/transports#session-management: a server that
 * requires a session id SHOULD answer 400 to a request without one, other
 * than initialize), on GET: the standalone stream without Mcp-Session-Id.
 * Skips when the server offers no GET stream to the session itself. */
static void get_missing_id_400(case_ctx *ctx) {
  shttp h;
  const char *why = "";
  char got[48];
  if (open_session(ctx, &h))
    goto done;
  long st = get_status(ctx, &h, SHTTP_OMIT_SESSION, &why);
  snprintf(got, sizeof got, "HTTP %ld", st);
  if (st == 400) {
    ctx_checked(ctx, "HTTP 400", got);
  } else if (!st) {
    ctx_violation(ctx, "HTTP 400", why, "a GET without Mcp-Session-Id got no status within "
                  "%.0f ms (%s)", (double)ctx->cfg->step_timeout_ms, why);
  } else if (st == 405 && get_status(ctx, &h, 0, &why) == 405) {
    ctx_skip(ctx, "the server answers GET with 405 in the session too (no GET stream)");
  } else {
    ctx_violation(ctx, "HTTP 400", got, "a GET without Mcp-Session-Id, in a server that issued "
                  "one, got %s%s", got, st == 200 ? " (a stream, closed at once)" : "");
  }
done:
  shttp_free(&h);
}

/* SHTTP-SESSION-08 (de facto for ids never issued): a forged id gets 404. */
static void unknown_id_404(case_ctx *ctx) {
  shttp h;
  if (!open_session(ctx, &h)) {
    h.forged_session = strdup("mcpwire-forged-0000000000000000");
    http_stream *s = shttp_post(&h, PING, 0);
    if (h.forged_session && s && !http_stream_wait_headers(s, ctx_step_deadline(ctx)) &&
        s->status != 404) {
      char got[32];
      snprintf(got, sizeof got, "HTTP %ld", s->status);
      /* The spec speaks of terminated sessions; unknown ids get 404 by the
       * reference SDK's practice, so this is a warning. */
      ctx_warn(ctx, "HTTP 404", got, "ping with a never-issued session id answered HTTP %ld",
               s->status);
    } else {
      verify_status(ctx, s, 404, "ping with a never-issued session id");
    }
  }
  shttp_free(&h);
}

/* After a session ended, a new initialize gets a working session under a
 * new id (the client's recovery path, SHTTP-SESSION-09). */
static void verify_fresh_session(case_ctx *ctx, const char *old_id) {
  shttp again;
  shttp_init(&again, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &again)) {
    if (again.session_id && !strcmp(again.session_id, old_id))
      ctx_violation(ctx, "a new session id", "the deleted id again",
                    "initialize after DELETE issued the deleted id %.80s again", old_id);
    else if (verify_status(ctx, shttp_post(&again, PING, 0), 200, "ping in the new session"))
      ctx_checked(ctx, "HTTP 404 for the deleted id, a new session works",
                  "HTTP 404, then a new session with a new id");
  }
  shttp_free(&again);
}

/* The deleted id on GET and DELETE: 404 (405 when the method is not
 * offered at all); 1 when so. */
static int ended_for_other_methods(case_ctx *ctx, shttp *h) {
  http_stream *s[2] = {shttp_get(h, NULL, 0), shttp_delete(h, 0)};
  static const char *const what[2] = {"GET", "DELETE"};
  for (int i = 0; i < 2; i++) {
    if (!s[i] || http_stream_wait_headers(s[i], ctx_step_deadline(ctx))) {
      ctx_error(ctx, "%s with the deleted session id: no answer", what[i]);
      return 0;
    }
    if (s[i]->status != 404 && s[i]->status != 405) {
      char got[32];
      snprintf(got, sizeof got, "HTTP %ld", s[i]->status);
      ctx_violation(ctx, "HTTP 404", got, "%s with the deleted session id answered HTTP %ld",
                    what[i], s[i]->status);
      return 0;
    }
  }
  return 1;
}

/* SHTTP-SESSION-08: after DELETE, the old id gets 404. */
static void deleted_id_404(case_ctx *ctx) {
  shttp h;
  if (open_session(ctx, &h)) {
    shttp_free(&h);
    return;
  }
  http_stream *del = shttp_delete(&h, 0);
  if (!del || http_stream_wait_done(del, ctx_step_deadline(ctx)) || !del->status) {
    ctx_error(ctx, "DELETE got no answer: %s", del ? http_stream_error(del) : "not started");
  } else if (del->status == 405) {
    ctx_skip(ctx, "target does not allow clients to end sessions (DELETE answered 405)");
  } else if ((del->status < 200 || del->status > 299) && del->status != 404) {
    char got[32];
    snprintf(got, sizeof got, "HTTP %ld", del->status);
    /* No success status is specified: 2xx, 404 or 405 pass. */
    ctx_warn(ctx, "2xx, 404 or 405", got, "DELETE of the session answered HTTP %ld",
             del->status);
  } else {
    if (verify_status(ctx, shttp_post(&h, PING, 0), 404, "ping with the deleted session id") &&
        ended_for_other_methods(ctx, &h))
      verify_fresh_session(ctx, h.session_id);
  }
  shttp_free(&h);
}

/* ---- many sessions at once ---- */

/* POSTs initialize without any session header, not awaiting the answer. */
static http_stream *start_initialize(case_ctx *ctx, client *c) {
  char body[1200];
  shttp_initialize_request(body, sizeof body, "1", ctx->cfg->spec);
  return shttp_request(c, ctx->cfg->url, NULL, "POST", body, NULL, 0);
}

typedef struct stream_set {
  http_stream **s;
  size_t n;
} stream_set;

static int all_answered(void *arg) {
  const stream_set *set = arg;
  for (size_t i = 0; i < set->n; i++)
    if (set->s[i] && !set->s[i]->headers_done && !http_stream_ended(set->s[i]))
      return 0;
  return 1;
}

/* Ends the sampled sessions from a client of their own (the case's client
 * has spent its streams), waiting at most MCPWIRE_SESSION_END_WAIT_MS like
 * every session end (the sample kept that time back). Each answer goes to
 * the run's session ledger, like every session mcpwire ends. */
static void delete_sessions(case_ctx *ctx, char **ids, size_t n) {
  client *c = client_new(&ctx->transport, &ctx->log);
  http_stream *dels[MCPWIRE_SESSION_ID_SAMPLE];
  size_t k = 0;
  char sid[600], ver[64];
  /* The version header exists from 2025-06-18 (dates order as text). */
  snprintf(ver, sizeof ver, "MCP-Protocol-Version: %s", ctx->cfg->spec);
  const char *lines[3] = {sid, strcmp(ctx->cfg->spec, "2025-06-18") >= 0 ? ver : NULL, NULL};
  for (size_t i = 0; i < n && k < MCPWIRE_SESSION_ID_SAMPLE; i++) {
    if (!ids[i])
      continue;
    session_ledger_opened();
    snprintf(sid, sizeof sid, "Mcp-Session-Id: %.500s", ids[i]);
    http_request req = {"DELETE", session_ledger_target(ctx->cfg->url), lines, NULL, 0};
    dels[k++] = c ? client_start(c, &req) : NULL;
  }
  stream_set set = {dels, k};
  if (c)
    client_wait(c, all_answered, &set, clock_ms() + MCPWIRE_SESSION_END_WAIT_MS);
  for (size_t i = 0; i < k; i++)
    if (!dels[i])
      session_ledger_left_open("DELETE could not start (no client or stream)");
    else
      session_ledger_delete_answer(dels[i]->headers_done ? dels[i]->status : 0,
                                   http_stream_error(dels[i]));
  client_free(c);
}

static double earlier(double a, double b) { return a < b ? a : b; }

/* When a sample stops opening sessions: it keeps back the time to end them
 * (late initializes answered, then the DELETEs, each wait at most
 * MCPWIRE_SESSION_END_WAIT_MS), at most half of what the case has left. */
static double sample_window_end(const case_ctx *ctx) {
  double left = ctx->deadline_ms - clock_ms();
  return ctx->deadline_ms - earlier(2.0 * MCPWIRE_SESSION_END_WAIT_MS, left / 2);
}

/* Starts the next batch of initializes: as many as session_pacer gives
 * places now (at least one, waited for until deadline_ms). Returns how many
 * started into s; the places are held until session_pacer_leave. */
static size_t start_batch(case_ctx *ctx, http_stream **s, size_t want, size_t *held,
                          double deadline_ms) {
  shttp paced = {.opening = 1}; /* no session headers; the places are taken here */
  char body[1200];
  shttp_initialize_request(body, sizeof body, "1", ctx->cfg->spec);
  size_t k = 0;
  *held = 0;
  if (session_pacer_enter(ctx->client, deadline_ms))
    return 0;
  do {
    ++*held;
    s[k++] = shttp_request(ctx->client, ctx->cfg->url, &paced, "POST", body, NULL, 0);
  } while (k < want && !session_pacer_try());
  return k;
}

/* Opens MCPWIRE_SESSION_ID_SAMPLE sessions, at most
 * MCPWIRE_SESSION_OPENINGS_IN_FLIGHT at once (session_pacer: a gateway that
 * starts a process per session must not drown), and collects their ids
 * (malloc) in ids; returns how many have one. Sets the verdict (error or
 * skip) when the sample is unusable. */
static size_t sample_session_ids(case_ctx *ctx, char **ids) {
  http_stream *s[MCPWIRE_SESSION_ID_SAMPLE] = {0};
  size_t started = 0;
  double window_end = sample_window_end(ctx);
  while (started < MCPWIRE_SESSION_ID_SAMPLE && clock_ms() < window_end) {
    size_t held, k = start_batch(ctx, s + started, MCPWIRE_SESSION_ID_SAMPLE - started, &held,
                                 earlier(ctx_step_deadline(ctx), window_end));
    stream_set set = {s + started, k};
    client_wait(ctx->client, all_answered, &set, earlier(ctx_step_deadline(ctx), window_end));
    while (held--)
      session_pacer_leave();
    if (!k)
      break;
    started += k;
  }
  /* An initialize answered late opened a session all the same: its id is
   * waited for (bounded), so that session is ended too. */
  stream_set all = {s, started};
  client_wait(ctx->client, all_answered, &all,
              earlier(clock_ms() + MCPWIRE_SESSION_END_WAIT_MS, ctx->deadline_ms));
  size_t ok = 0, with_id = 0;
  for (size_t i = 0; i < MCPWIRE_SESSION_ID_SAMPLE; i++) {
    ids[i] = NULL;
    if (!s[i] || !s[i]->headers_done || s[i]->status != 200)
      continue;
    ok++;
    const char *id = http_stream_header(s[i], "Mcp-Session-Id", NULL);
    if (id && (ids[with_id] = strdup(id)))
      with_id++;
  }
  for (size_t i = with_id; i < MCPWIRE_SESSION_ID_SAMPLE; i++)
    ids[i] = NULL;
  ctx_note(ctx, "%zu of %zu initializes (at most %d at once) answered 200, %zu with a "
           "session id", ok, started, MCPWIRE_SESSION_OPENINGS_IN_FLIGHT, with_id);
  if (!ok)
    ctx_error(ctx, "setup: none of %zu initializes answered 200", started);
  else if (!with_id)
    ctx_skip(ctx, "target issued no Mcp-Session-Id (sessions are optional)");
  else if (with_id < 2)
    ctx_error(ctx, "setup: only %zu session id to compare", with_id);
  return with_id >= 2 ? with_id : 0;
}

static void free_ids(char **ids, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(ids[i]);
}

/* Pairs of equal ids in the sample, and one of them in `dup`. */
static size_t count_duplicates(char **ids, size_t n, const char **dup) {
  size_t pairs = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (!strcmp(ids[i], ids[j])) {
        pairs++;
        *dup = ids[i];
      }
  return pairs;
}

/* Sum over positions of log2(distinct characters seen there): what the
 * sample shows of per-position randomness (at most log2(n) a position). */
static double position_bits(char **ids, size_t n) {
  size_t minlen = strlen(ids[0]);
  for (size_t i = 1; i < n; i++)
    if (strlen(ids[i]) < minlen)
      minlen = strlen(ids[i]);
  double bits = 0;
  for (size_t pos = 0; pos < minlen; pos++) {
    unsigned char seen[256] = {0};
    int distinct = 0;
    for (size_t i = 0; i < n; i++)
      distinct += !seen[(unsigned char)ids[i][pos]]++;
    bits += log2((double)distinct);
  }
  return bits;
}

/* Shannon entropy of the pooled characters times the mean length: an
 * upper bound that a small alphabet or repeated text keeps low. */
static double pooled_bits(char **ids, size_t n) {
  double count[256] = {0}, total = 0, h = 0;
  for (size_t i = 0; i < n; i++)
    for (const char *p = ids[i]; *p; p++, total++)
      count[(unsigned char)*p]++;
  for (int c = 0; c < 256; c++)
    if (count[c] > 0)
      h -= count[c] / total * log2(count[c] / total);
  return total > 0 ? h * total / (double)n : 0;
}

/* 1 when the ids differ only in a hex/decimal run whose values lie close
 * together: a counter or a clock, whatever the decoration around it. */
static int looks_sequential(char **ids, size_t n) {
  size_t pre = strlen(ids[0]), suf = strlen(ids[0]);
  for (size_t i = 1; i < n; i++) {
    size_t k = 0, a = strlen(ids[0]), b = strlen(ids[i]);
    while (k < pre && ids[i][k] == ids[0][k])
      k++;
    pre = k;
    for (k = 0; k < suf && k < a && k < b && ids[i][b - 1 - k] == ids[0][a - 1 - k]; k++)
      ;
    suf = k;
  }
  unsigned long long lo = ~0ULL, hi = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(ids[i]);
    if (len < pre + suf || len - pre - suf > 15)
      return 0;
    char run[16];
    memcpy(run, ids[i] + pre, len - pre - suf);
    run[len - pre - suf] = '\0';
    char *end;
    unsigned long long v = strtoull(run, &end, 16);
    if (*end)
      return 0;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  return hi - lo < 64ULL * n;
}

/* SHTTP-SESSION-02: no two concurrently opened sessions share an id. */
static void ids_unique(case_ctx *ctx) {
  char *ids[MCPWIRE_SESSION_ID_SAMPLE];
  size_t n = sample_session_ids(ctx, ids);
  if (n) {
    const char *dup = NULL;
    size_t pairs = count_duplicates(ids, n, &dup);
    char got[200];
    snprintf(got, sizeof got, "%zu duplicate pair(s) among %zu ids", pairs, n);
    if (pairs)
      ctx_violation(ctx, "every session id distinct", got,
                    "two concurrent sessions got the same id %.80s: they would share state",
                    dup);
    else
      ctx_checked(ctx, "every session id distinct", got);
  }
  delete_sessions(ctx, ids, n);
  free_ids(ids, n);
}

/* SHTTP-SESSION-02/14: ids look random enough not to be guessed. */
static void ids_unguessable(case_ctx *ctx) {
  char *ids[MCPWIRE_SESSION_ID_SAMPLE];
  size_t n = sample_session_ids(ctx, ids);
  if (n) {
    const char *dup = NULL;
    double per_pos = position_bits(ids, n), pooled = pooled_bits(ids, n);
    double bits = per_pos < pooled ? per_pos : pooled;
    int sequential = looks_sequential(ids, n);
    size_t pairs = count_duplicates(ids, n, &dup);
    char got[240];
    snprintf(got, sizeof got,
             "~%.0f bits (per position %.0f, pooled %.0f) over %zu ids%s%s", bits, per_pos,
             pooled, n, sequential ? ", sequential" : "", pairs ? ", duplicates" : "");
    /* A statistic needs a sample: a handful of ids shows few distinct
     * characters per position whatever the generator. Duplicates count
     * at any size. */
    if (!pairs && n < MCPWIRE_SESSION_ID_SAMPLE_MIN)
      ctx_skip(ctx, "inconclusive: %zu session ids answered, %d needed to estimate their "
               "entropy (%s)", n, MCPWIRE_SESSION_ID_SAMPLE_MIN, got);
    else if (sequential || pairs || bits < MCPWIRE_SESSION_ID_MIN_BITS)
      ctx_violation(ctx, ">= 64 bits estimated, no counter or clock pattern", got,
                    "session ids look guessable (first %.60s, last %.60s)", ids[0],
                    ids[n - 1]);
    else
      ctx_checked(ctx, ">= 64 bits estimated, no counter or clock pattern", got);
  }
  delete_sessions(ctx, ids, n);
  free_ids(ids, n);
}

/* SHTTP-SESSION-13: initialize carries no session id and is served. */
static void initialize_needs_no_session(case_ctx *ctx) {
  http_stream *s = start_initialize(ctx, ctx->client);
  if (verify_status(ctx, s, 200, "initialize without Mcp-Session-Id")) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_await_response(s, "1", ctx_step_deadline(ctx), &f, NULL);
    if (verify_success_response(ctx, m, &f, "initialize without Mcp-Session-Id"))
      ctx_checked(ctx, "HTTP 200 and an InitializeResult", "HTTP 200 and an InitializeResult");
    jsonrpc_free(m);
  }
}

/* SHTTP-SESSION-17: header names are case-insensitive (RFC 9110). */
static void lowercase_header_honoured(case_ctx *ctx) {
  shttp h;
  if (!open_session(ctx, &h)) {
    char sid[600];
    const char *more[] = {sid, NULL};
    snprintf(sid, sizeof sid, "mcp-session-id: %s", h.session_id);
    http_stream *s = shttp_request(ctx->client, ctx->cfg->url, &h, "POST", PING, more,
                                   SHTTP_OMIT_SESSION);
    if (verify_status(ctx, s, 200, "ping with the header spelled mcp-session-id")) {
      rpc_failure f = {{0}};
      jsonrpc_msg *m = call_await(ctx, &h, s, "901", &f);
      verify_success_response(ctx, m, &f, "ping with the header spelled mcp-session-id");
      jsonrpc_free(m);
    }
  }
  shttp_free(&h);
}

/* One call of the isolation case: whose it is and what came back. */
typedef struct iso_call {
  int session, call;
  char token[48];  /* progress token, unique in the run */
  http_stream *post;
  shttp *h;
  client *poll;    /* its own client for resumptions: the case's is full */
  int progress;    /* progress notifications with its own token */
} iso_call;

/* When the call's stream ended early after an event id (2025-11-25
 * polling), its continuation by GET + Last-Event-ID; else NULL. */
static http_stream *iso_continue(case_ctx *ctx, const iso_call *c, http_stream *s) {
  size_t len = 0;
  const char *last = s->sse ? sse_last_event_id(s->sse, &len) : NULL;
  char id[256];
  if (s != c->post || !http_stream_ended(s) || !last || !len || len >= sizeof id)
    return NULL;
  snprintf(id, sizeof id, "%.*s", (int)len, last);
  ctx_note(ctx, "session %d call %d: polling with Last-Event-ID %s", c->session, c->call, id);
  client *own = c->h->c;
  c->h->c = c->poll;
  http_stream *get = shttp_get(c->h, id, 0);
  c->h->c = own;
  return get;
}

/* The request id of call number `call`: the same in every session on
 * purpose (ids are scoped to a session), so a server that finds calls by
 * id alone mixes them up. Messages are told apart by progress token only. */
static void iso_id(char *buf, size_t len, int call) { snprintf(buf, len, "\"iso-%d\"", call); }

/* Reads call c's stream to its response (its id, on its own session's
 * stream); 1 with `why` set when another call's progress token showed up. */
static int iso_read(case_ctx *ctx, iso_call *c, char *why, size_t len) {
  char own_id[24];
  iso_id(own_id, sizeof own_id, c->call);
  http_stream *s = c->post;
  for (;;) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
    http_stream *next = m ? NULL : iso_continue(ctx, c, s);
    if (next) {
      s = next;
      continue;
    }
    if (!m) {
      snprintf(why, len, "session %d call %d: no response (%.96s)", c->session, c->call, f.why);
      return 2;
    }
    size_t tlen = 0, idlen = 0;
    const char *token = jsonrpc_get_raw(m, "params.progressToken", &tlen);
    const char *method = jsonrpc_method(m);
    const char *id = jsonrpc_id_raw(m, &idlen);
    int progress = method && !strcmp(method, "notifications/progress") && token;
    int foreign = progress && !jsonrpc_id_equal(token, tlen, c->token, strlen(c->token));
    c->progress += progress && !foreign;
    if (foreign)
      snprintf(why, len, "session %d call %d's stream carried progress token %.*s, not %s",
               c->session, c->call, (int)(tlen > 60 ? 60 : tlen), token, c->token);
    int done = !method && id && jsonrpc_id_equal(id, idlen, own_id, strlen(own_id));
    jsonrpc_free(m);
    if (foreign)
      return 1;
    if (done)
      return 0;
  }
}

/* Opens the isolation sessions on their own client; 0 when all came up
 * and fx is resolved. */
static int iso_sessions(case_ctx *ctx, client *setup, shttp *h, int n, fixture *fx) {
  for (int i = 0; i < n; i++) {
    shttp_init(&h[i], setup, ctx->cfg->url);
    rpc_failure f = {{0}};
    if (shttp_initialize(&h[i], ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
      ctx_error(ctx, "setup: initialize of session %d failed: %s", i, f.why);
      return -1;
    }
    if (!h[i].session_id) {
      ctx_skip(ctx, "target issued no Mcp-Session-Id (sessions are optional)");
      return -1;
    }
  }
  return call_require_progress(ctx, &h[0], FIXTURE_PACE_BRISK, fx);
}

/* The verdict once every call was read. */
static void iso_judge(case_ctx *ctx, const iso_call *calls, int n, int bad, int lost,
                      const char *why) {
  int progress = 0;
  for (int i = 0; i < n; i++)
    progress += calls[i].progress;
  char got[160];
  snprintf(got, sizeof got, "%d sessions x %d calls, each answered on its own stream; %d "
           "progress notifications, each with its own call's token", MCPWIRE_ISOLATION_SESSIONS,
           MCPWIRE_ISOLATION_CALLS, progress);
  if (bad)
    ctx_violation(ctx, "each session's calls answered on its own streams", why,
                  "a message of one session reached another session's stream");
  else if (lost)
    ctx_error(ctx, "%d of %d calls got no response", lost, n);
  else if (!progress)
    ctx_skip(ctx, "inconclusive: the calls sent no progress notifications, and responses "
             "with the same id cannot be told apart across sessions");
  else
    ctx_checked(ctx, "each session's calls answered on its own streams", got);
}

/* SHTTP-MULTI-02 across sessions: many sessions with calls in flight at
 * once, each response and progress on its own session's stream only. */
static void isolation_concurrent(case_ctx *ctx) {
  enum { S = MCPWIRE_ISOLATION_SESSIONS, C = MCPWIRE_ISOLATION_CALLS };
  shttp h[S];
  iso_call calls[S * C];
  fixture fx;
  memset(h, 0, sizeof h);
  client *setup = client_new(&ctx->transport, &ctx->log);
  client *poll = client_new(&ctx->transport, &ctx->log);
  if (!setup || !poll || iso_sessions(ctx, setup, h, S, &fx)) {
    if (!setup || !poll)
      ctx_error(ctx, "setup: no client for the sessions");
    for (int i = 0; i < S; i++)
      shttp_free(&h[i]);
    client_free(setup);
    client_free(poll);
    return;
  }
  for (int i = 0; i < S * C; i++) {
    char id[24];
    iso_call *c = &calls[i];
    *c = (iso_call){i / C, i % C + 1, "", NULL, &h[i / C], poll, 0};
    call_unique_id("iso", c->token, sizeof c->token);
    iso_id(id, sizeof id, c->call);
    h[c->session].c = ctx->client;  /* calls run side by side on the case's client */
    c->post = call_fixture_post(&h[c->session], &fx, id, c->token);
  }
  char why[200] = "";
  int bad = 0, lost = 0;
  for (int i = 0; i < S * C && !bad; i++) {
    int r = iso_read(ctx, &calls[i], why, sizeof why);
    bad = r == 1;
    lost += r == 2;
    if (r == 2)
      ctx_note(ctx, "%s", why);
  }
  iso_judge(ctx, calls, S * C, bad, lost, why);
  http_stream *dels[S];
  for (int i = 0; i < S; i++) {
    h[i].c = setup;
    dels[i] = shttp_delete(&h[i], 0);
  }
  stream_set set = {dels, S};
  client_wait(setup, all_answered, &set, ctx_step_deadline(ctx));
  for (int i = 0; i < S; i++)
    shttp_free(&h[i]);
  client_free(setup);
  client_free(poll);
}

#define SESSION_REF SPEC_2511 "basic/transports#session-management"

const case_def http_session_cases[] = {
    {CASE_ID("http/session", "id-visible-ascii"),
     .title = "Session id holds only visible ASCII (0x21-0x7E)", .transport = CASE_HTTP,
     .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-SESSION-03", "SHTTP-SESSION-01"),
     .spec_ref = SESSION_REF, .run = id_visible_ascii, .faults = FAULTS("session-id-nonvisible")},
    {CASE_ID("http/session", "missing-id-400"),
     .title = "A request without Mcp-Session-Id in a session gets 400", .transport = CASE_HTTP,
     .revisions = REV_SHTTP, .level = LEVEL_SHOULD, .requirements = REQS("SHTTP-SESSION-06"),
     .spec_ref = SESSION_REF, .run = missing_id_400, .faults = FAULTS("no-session-required")},
    {CASE_ID("http/session", "get-missing-id-400"),
     .title = "A GET without Mcp-Session-Id, on a server that issued one, gets 400",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-SESSION-06"), .spec_ref = SESSION_REF,
     .run = get_missing_id_400, .faults = FAULTS("no-session-required")},
    {CASE_ID("http/session", "unknown-id-404"),
     .title = "A never-issued session id gets 404", .transport = CASE_HTTP,
     /* The spec names only terminated ids: a warning at most. */
     .revisions = REV_SHTTP, .level = LEVEL_SHOULD, .requirements = REQS("SHTTP-SESSION-08"),
     .spec_ref = SESSION_REF, .run = unknown_id_404, .faults = FAULTS("unknown-session-400")},
    {CASE_ID("http/session", "deleted-id-404"),
     .title = "After DELETE the old id gets 404 on POST, GET and DELETE; a new session works",
     .transport = CASE_HTTP,
     .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-SESSION-08", "SHTTP-SESSION-11"),
     .spec_ref = SESSION_REF, .run = deleted_id_404, .faults = FAULTS("no-404-after-delete")},
    {CASE_ID("http/session", "ids-unique"),
     .title = "Sessions opened at the same time never share an id", .transport = CASE_HTTP,
     .revisions = REV_SHTTP, .level = LEVEL_MUST, .requirements = REQS("SHTTP-SESSION-02"),
     .spec_ref = SESSION_REF, .run = ids_unique, .faults = FAULTS("session-id-collisions")},
    {CASE_ID("http/session", "ids-unguessable"),
     .title = "Session ids show at least 64 bits of randomness and no counter or clock",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-SESSION-02", "SHTTP-SESSION-14"),
     .spec_ref = SPEC_2511 "basic/security_best_practices#session-hijacking",
     .run = ids_unguessable,
     .faults = FAULTS("sequential-session-ids", "session-id-collisions")},
    {CASE_ID("http/session", "initialize-needs-no-session"),
     .title = "initialize without Mcp-Session-Id is served", .transport = CASE_HTTP,
     .revisions = REV_SHTTP, .level = LEVEL_MUST, .requirements = REQS("SHTTP-SESSION-13"),
     .spec_ref = SESSION_REF, .run = initialize_needs_no_session,
     .faults = FAULTS("session-required-on-initialize"),
     .proof.spec = REV_2025_11_25},
    {CASE_ID("http/session", "lowercase-header-honoured"),
     .title = "The session header is honoured when spelled mcp-session-id",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-SESSION-17"), .spec_ref = SESSION_REF,
     .run = lowercase_header_honoured, .faults = FAULTS("session-header-case-sensitive")},
    {CASE_ID("http/session", "isolation-concurrent"),
     .title = "16 sessions with calls in flight at once: each gets only its own messages",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-MULTI-02"), .spec_ref = SESSION_REF,
     .slow = 1, .run = isolation_concurrent, .faults = FAULTS("cross-session-calls"),
     .fixtures = FX_PROGRESS},
};
const size_t http_session_ncases = NCASES(http_session_cases);
