/* http/get: the standalone GET stream (spec: basic/transports#listening-for-messages-from-the-server). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/exchange.h"
#include "verifier/call.h"
#include "verifier/watch.h"
#include "mcpwire_limits.h"

/* SHTTP-GET-03 / SHTTP-EP-01: GET gives an event stream or 405, never 404. */
static void event_stream_or_405(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s = shttp_get(&h, NULL, 0);
    if (!s || http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
      ctx_error(ctx, "GET got no response: %s",
                s && http_stream_ended(s) ? http_stream_error(s) : "step deadline passed");
    } else {
      const char *ct = http_stream_header(s, "Content-Type", NULL);
      char got[200];
      snprintf(got, sizeof got, "HTTP %ld, Content-Type %.120s", s->status, ct ? ct : "(none)");
      if (s->status == 405 || (s->status == 200 && http_stream_is_event_stream(s)))
        ctx_checked(ctx, "HTTP 200 text/event-stream, or HTTP 405", got);
      else
        ctx_violation(ctx, "HTTP 200 text/event-stream, or HTTP 405", got,
                      "GET on the MCP endpoint answered %s", got);
    }
  }
  shttp_free(&h);
}

/* Opens the standalone GET stream; skips the case when the server offers
 * none (405 is a valid answer, SHTTP-GET-03), errors on anything else. */
static http_stream *open_get_or_skip(case_ctx *ctx, shttp *h) {
  http_stream *get = shttp_get(h, NULL, 0);
  if (!get || http_stream_wait_headers(get, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "GET got no response");
    return NULL;
  }
  if (get->status == 405) {
    ctx_skip(ctx, "target offers no standalone GET stream (405)");
    return NULL;
  }
  if (get->status != 200 || !http_stream_is_event_stream(get)) {
    ctx_error(ctx, "setup: GET answered HTTP %ld without an event stream", get->status);
    return NULL;
  }
  return get;
}

/* What the GET stream carried, sorted by kind. */
typedef struct get_tally {
  int responses;      /* JSON-RPC responses (never allowed, SHTTP-GET-07) */
  int progress;       /* progress for our in-flight call (SHTTP-GET-06) */
  int list_changed;   /* notifications/tools/list_changed */
  char first_response[128];
} get_tally;

/* Sorts every message the GET stream has buffered so far. */
/* A notification a LIST_CHANGED fixture may cause: any
 * notifications/.../list_changed, or notifications/resources/updated. */
static int is_change_notice(const char *method) {
  size_t n = method ? strlen(method) : 0;
  return method && ((!strncmp(method, "notifications/", 14) && n > 13 &&
                     !strcmp(method + n - 13, "/list_changed")) ||
                    !strcmp(method, "notifications/resources/updated"));
}

static void tally_get(http_stream *get, const char *token_raw, get_tally *t) {
  while (get->next_event < get->nevents) {
    const stream_event *ev = &get->events[get->next_event++];
    jsonrpc_msg *m = ev->data_len ? jsonrpc_parse(ev->data, ev->data_len) : NULL;
    if (!m)
      continue;
    jsonrpc_kind k = jsonrpc_kind_of(m);
    const char *method = jsonrpc_method(m);
    size_t len = 0;
    const char *tok = jsonrpc_get_raw(m, "params.progressToken", &len);
    if (k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE) {
      const char *id = jsonrpc_id_raw(m, &len);
      if (!t->responses++)
        snprintf(t->first_response, sizeof t->first_response, "response with id %.*s",
                 id ? (int)(len < 80 ? len : 80) : 4, id ? id : "none");
    } else if (method && !strcmp(method, "notifications/progress") && tok && token_raw &&
               len == strlen(token_raw) && !memcmp(tok, token_raw, len)) {
      t->progress++;
    } else if (is_change_notice(method)) {
      t->list_changed++;
    }
    jsonrpc_free(m);
  }
}

/* SHTTP-GET-07: with a GET stream open, responses to POSTed requests never
 * come on it. */
static void no_response_on_get(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  http_stream *get = NULL;
  if (!ctx_http_session(ctx, &h) && (get = open_get_or_skip(ctx, &h))) {
    static const char *const calls[][2] = {
        {"ping", NULL},
        {"tools/list", NULL},
    };
    int answered = 0;
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
      rpc_failure f = {{0}};
      jsonrpc_msg *m = call_request(ctx, &h, NULL, calls[i][0], calls[i][1], NULL, &f);
      answered += m != NULL;
      if (!m)
        ctx_note(ctx, "%s: no response on its POST: %s", calls[i][0], f.why);
      jsonrpc_free(m);
    }
    exchange_settle(ctx);
    get_tally t = {0, 0, 0, ""};
    tally_get(get, NULL, &t);
    char got[200];
    snprintf(got, sizeof got, "%d response(s) on GET%s%s", t.responses,
             t.responses ? ", first " : "", t.first_response);
    if (t.responses)
      ctx_violation(ctx, "no response on the GET stream", got,
                    "the standalone GET stream carried a %s", t.first_response);
    else if (!answered)
      ctx_error(ctx, "the requests got no responses on their POSTs nor on GET");
    else
      ctx_checked(ctx, "no response on the GET stream", got);
  }
  shttp_free(&h);
}

/* Calls the PROGRESS fixture with progress token `token`, reading to its
 * response. */
static int progress_call(case_ctx *ctx, shttp *h, const fixture *fx, const char *token) {
  rpc_failure f = {{0}};
  char id[64];
  dynbuf params;
  dynbuf_init(&params, MCPWIRE_JSON_BODY_MAX);
  jsonrpc_msg *m = NULL;
  if (!fixture_params(fx, token, NULL, &params))
    m = call_request(ctx, h, call_unique_id("get", id, sizeof id), "tools/call",
                     dynbuf_str(&params), NULL, &f);
  dynbuf_free(&params);
  if (!m)
    ctx_note(ctx, "%s call: %s", fx->tool, f.why);
  jsonrpc_free(m);
  return m ? 0 : -1;
}

/* list_changed notifications among a stream's events. */
static int list_changed_events(const http_stream *s) {
  int n = 0;
  for (size_t e = 0; e < s->nevents; e++) {
    jsonrpc_msg *m = s->events[e].data_len
                         ? jsonrpc_parse(s->events[e].data, s->events[e].data_len)
                         : NULL;
    const char *method = m ? jsonrpc_method(m) : NULL;
    n += is_change_notice(method);
    jsonrpc_free(m);
  }
  return n;
}

typedef struct list_watch {
  http_stream *get;
  get_tally *t;
  const char *token;
} list_watch;

static int list_changed_seen(void *arg) {
  list_watch *w = arg;
  tally_get(w->get, w->token, w->t);
  return w->t->list_changed > 0 || http_stream_ended(w->get);
}

/* SHTTP-GET-06: the GET stream carries messages unrelated to in-flight
 * requests: a call's progress never, a list_changed notification yes. */
static void unrelated_messages_only(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  http_stream *get = NULL;
  fixture progress, change;
  char token[64], why[300];
  if (ctx_http_session(ctx, &h) || call_require_progress(ctx, &h, FIXTURE_PACE_BRISK, &progress) ||
      call_require_fixture(ctx, &h, FIXTURE_LIST_CHANGED, &change) ||
      !(get = open_get_or_skip(ctx, &h))) {
    shttp_free(&h);
    return;
  }
  get_tally t = {0, 0, 0, ""};
  call_unique_id("g", token, sizeof token);
  progress_call(ctx, &h, &progress, token);
  exchange_settle(ctx);
  tally_get(get, token, &t);
  http_stream *post = NULL;
  if (call_fixture_trigger(ctx, &h, &change, &post, why, sizeof why))
    ctx_note(ctx, "%s: %s", change.tool, why);
  int on_post = post && post->is_sse ? list_changed_events(post) : 0;
  list_watch w = {get, &t, token};
  if (!on_post) /* one that came on the POST stream is not coming on GET */
    client_wait(ctx->client, list_changed_seen, &w, ctx_step_deadline(ctx));
  tally_get(get, token, &t);
  char got[160];
  snprintf(got, sizeof got, "%d progress of the call, %d list_changed on GET, %d on POST",
           t.progress, t.list_changed, on_post);
  if (t.progress)
    ctx_violation(ctx, "no progress of an in-flight call on GET", got,
                  "the GET stream carried progress for the call (token %s)", token);
  else if (!t.list_changed)
    ctx_violation(ctx, "a list_changed (or resources/updated) notification on GET", got,
                  "%s put nothing on the GET stream", change.tool);
  else
    ctx_checked(ctx, "list_changed on GET, no progress of the call", got);
  shttp_free(&h);
}

/* Ready once the GET stream has ended or carried a retry: after a retry any
 * close is allowed, so there is nothing more to watch. */
static int closed_or_retry(void *arg) {
  http_stream *get = arg;
  return http_stream_ended(get) || (get->sse && sse_reconnection_ms(get->sse) >= 0);
}

/* SHTTP-GET-09 (2025-11-25): a server that closes the GET connection while
 * the session lives has sent a `retry` first, so the client knows when to
 * reconnect. A stream still open after the watch is judged only if a retry
 * already came. */
static void retry_before_get_close(case_ctx *ctx) {
  if (watch_left_out_by_quick(ctx, MCPWIRE_GET_WATCH_MS))
    return;
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  http_stream *get = NULL;
  if (!ctx_http_session(ctx, &h) && (get = open_get_or_skip(ctx, &h))) {
    double until = clock_ms() + MCPWIRE_GET_WATCH_MS;
    client_wait(ctx->client, closed_or_retry, get,
                until < ctx->deadline_ms ? until : ctx->deadline_ms);
    int closed = http_stream_ended(get);
    int64_t retry = get->sse ? sse_reconnection_ms(get->sse) : -1;
    char got[96];
    snprintf(got, sizeof got, "%s, retry %s", closed ? "server closed the GET stream" : "open",
             retry >= 0 ? "sent" : "not sent");
    if (closed && retry < 0)
      ctx_violation(ctx, "retry before the server closes the GET stream", got,
                    "the server closed the GET stream without sending retry first");
    else if (retry >= 0)
      ctx_checked(ctx, "retry before the server closes the GET stream", got);
    else
      ctx_skip(ctx, "the GET stream stayed open %d ms and sent no retry: nothing to judge",
               MCPWIRE_GET_WATCH_MS);
  }
  shttp_free(&h);
}

/* SHTTP-GET-02 (de facto): a GET whose Accept lacks text/event-stream gets 406. */
static void get_accept_406(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s = exchange_request(&h, "GET", NULL, NULL, "application/json");
    if (!s || http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
      ctx_error(ctx, "GET with Accept: application/json got no answer");
    } else {
      char got[32];
      snprintf(got, sizeof got, "HTTP %ld", s->status);
      if (s->status == 406)
        ctx_checked(ctx, "HTTP 406", got);
      else if (s->status == 405)
        ctx_skip(ctx, "target offers no GET stream at all (405)");
      else
        ctx_violation(ctx, "HTTP 406", got,
                      "a GET whose Accept lacks text/event-stream was answered %s", got);
    }
  }
  shttp_free(&h);
}

/* SHTTP-GET-10 (de facto): a second GET stream of a session gets 409. */
static void second_get_409(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h) && open_get_or_skip(ctx, &h)) {
    http_stream *second = shttp_get(&h, NULL, 0);
    if (!second || http_stream_wait_headers(second, ctx_step_deadline(ctx))) {
      ctx_error(ctx, "the second GET got no answer");
    } else {
      char got[64];
      snprintf(got, sizeof got, "HTTP %ld", second->status);
      if (second->status == 409)
        ctx_checked(ctx, "HTTP 409", got);
      else
        ctx_violation(ctx, "HTTP 409", got, "a second GET stream of the session was answered %s",
                      second->status == 200 ? "200 (two streams allowed)" : got);
    }
  }
  shttp_free(&h);
}

const case_def http_get_cases[] = {
    {CASE_ID("http/get", "event-stream-or-405"),
     .title = "GET on the MCP endpoint opens an event stream or answers 405",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-GET-03", "SHTTP-EP-01"),
     .spec_ref = SPEC_2511 "basic/transports#listening-for-messages-from-the-server",
     .run = event_stream_or_405,
     .faults = FAULTS("get-404", "get-wrong-content-type")},
    {CASE_ID("http/get", "no-response-on-get"),
     .title = "Responses to POSTed requests never come on the standalone GET stream",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-GET-07"),
     .spec_ref = SPEC_2511 "basic/transports#listening-for-messages-from-the-server",
     .slow = 1, .run = no_response_on_get, .faults = FAULTS("response-on-get-stream"),
     .proof.needs = NEED_GET_STREAM},
    {CASE_ID("http/get", "unrelated-messages-only"),
     .title = "The GET stream carries list_changed but never an in-flight call's progress",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-GET-06", "SHTTP-GET-05"),
     .spec_ref = SPEC_2511 "basic/transports#listening-for-messages-from-the-server",
     .slow = 1, .run = unrelated_messages_only,
     .faults = FAULTS("progress-on-get-stream", "list-changed-on-post"),
     .fixtures = FX_PROGRESS | FX_LIST_CHANGED,
     .proof.needs = NEED_GET_STREAM},
    {CASE_ID("http/get", "accept-406"),
     .title = "A GET whose Accept lacks text/event-stream gets 406 (de facto)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_INFO,
     .requirements = REQS("SHTTP-GET-02"),
     .spec_ref = SPEC_2511 "basic/transports#listening-for-messages-from-the-server",
     .run = get_accept_406, .faults = FAULTS("no-accept-check"),
     .proof.needs = NEED_GET_STREAM},
    {CASE_ID("http/get", "second-get-409"),
     .title = "A second GET stream of one session gets 409 Conflict (de facto)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_INFO,
     .requirements = REQS("SHTTP-GET-10"),
     .spec_ref = SPEC_2511 "basic/transports#listening-for-messages-from-the-server",
     .run = second_get_409, .faults = FAULTS("second-get-400"),
     .proof.needs = NEED_GET_STREAM},
    {CASE_ID("http/get", "retry-before-close"),
     .title = "A server closing the GET stream has sent retry first (2025-11-25)",
     .transport = CASE_HTTP, .revisions = REV_2025_11_25, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-GET-09"),
     .spec_ref = SPEC_2511 "basic/transports#listening-for-messages-from-the-server",
     .slow = 1, .run = retry_before_get_close, .faults = FAULTS("no-retry-before-close"),
     .proof.needs = NEED_GET_STREAM},
};
const size_t http_get_ncases = NCASES(http_get_cases);
