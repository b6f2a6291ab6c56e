/* http/post: how the server answers POSTs (spec: basic/transports#sending-messages-to-the-server). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/asking_client.h"
#include "verifier/message_check.h"
#include "cases/cases.h"
#include "verifier/watch.h"
#include "verifier/exchange.h"
#include "verifier/call.h"
#include "mcpwire_limits.h"

/* SHTTP-POST-05: an accepted notification gets 202 with an empty body. */
static void notification_202(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (shttp_initialize_only(&h, ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
    ctx_error(ctx, "setup: initialize failed: %s", f.why);
    shttp_free(&h);
    return;
  }
  http_stream *s =
      shttp_post(&h, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", 0);
  if (verify_status(ctx, s, 202, "notifications/initialized")) {
    if (http_stream_wait_done(s, ctx_step_deadline(ctx)))
      ctx_violation(ctx, "empty body, response ended", "body still open",
                    "the 202 response did not end within the step deadline");
    else if (s->bytes) {
      char got[64];
      snprintf(got, sizeof got, "%llu body bytes", (unsigned long long)s->bytes);
      ctx_violation(ctx, "empty body", got, "the 202 response has a %llu-byte body",
                    (unsigned long long)s->bytes);
    } else
      ctx_checked(ctx, "HTTP 202, empty body", "HTTP 202, empty body");
  }
  shttp_free(&h);
}

/* SHTTP-POST-07: a request's reply is application/json or text/event-stream. */
static void request_content_type(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s = shttp_post(&h, "{\"jsonrpc\":\"2.0\",\"id\":71,\"method\":\"ping\"}", 0);
    if (verify_status(ctx, s, 200, "ping")) {
      const char *ct = http_stream_header(s, "Content-Type", NULL);
      char got[160];
      snprintf(got, sizeof got, "Content-Type: %.120s", ct ? ct : "(none)");
      int ok = ct && (http_media_type_is(ct, "application/json") ||
                      http_media_type_is(ct, "text/event-stream"));
      if (!ok)
        ctx_violation(ctx, "application/json or text/event-stream", got,
                      "the reply to a request is served as %s", ct ? ct : "(no Content-Type)");
      else
        ctx_checked(ctx, "application/json or text/event-stream", got);
    }
  }
  shttp_free(&h);
}

/* SHTTP-POST-06 (basic/transports#sending-messages-to-the-server): a
 * notification the server cannot accept gets "an HTTP error status"; the
 * body MAY be a JSON-RPC error. X-22: any 4xx with any body and any
 * Content-Type passes (the body is only noted); a 5xx is an error status
 * meant for the server's own faults (a warning); a 2xx or no answer fails.
 * The probe is a cancel of a finished ping (harmless once valid) with
 * jsonrpc "1.0": invalid for that one reason. */
static void invalid_notification_4xx(case_ctx *ctx) {
  shttp h;
  char id[64], body[200];
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) || call_finished_request(ctx, &h, id, sizeof id)) {
    shttp_free(&h);
    return;
  }
  snprintf(body, sizeof body, "{\"jsonrpc\":\"1.0\",\"method\":\"notifications/cancelled\","
           "\"params\":{\"requestId\":%s}}", id);
  http_stream *s = shttp_post(&h, body, 0);
  double deadline = ctx_step_deadline(ctx);
  if (!s) {
    ctx_error(ctx, "could not start the POST");
    shttp_free(&h);
    return;
  }
  char got[64];
  if (http_stream_wait_headers(s, deadline) || !s->status) {
    snprintf(got, sizeof got, "%s", http_stream_ended(s) ? http_stream_error(s) : "no answer");
    ctx_violation(ctx, "HTTP 4xx", got, "the invalid notification got no HTTP status within "
                  "%.0f ms (%s)", ctx->cfg->step_timeout_ms * 1.0, got);
    shttp_free(&h);
    return;
  }
  http_stream_wait_done(s, ctx_step_deadline(ctx));
  const char *ct = http_stream_header(s, "Content-Type", NULL);
  snprintf(got, sizeof got, "HTTP %ld", s->status);
  if (s->status >= 500)
    ctx_warn(ctx, "HTTP 4xx", got, "a notification with jsonrpc \"1.0\" got HTTP %ld: an error "
             "status, but one for the server's own faults", s->status);
  else if (s->status < 400)
    ctx_violation(ctx, "HTTP 4xx", got, "a notification with jsonrpc \"1.0\" answered HTTP %ld",
                  s->status);
  else {
    ctx_note(ctx, "the %s body: %zu bytes, Content-Type %s (any body passes: X-22)", got,
             s->body.len, ct ? ct : "(none)");
    ctx_checked(ctx, "HTTP 4xx, any body", got);
  }
  shttp_free(&h);
}


/* ---- helpers shared by the cases below ---- */

/* The final status of a probe, or 0 with the verdict set: a hang is the
 * target's (exchange_await_status), ERROR only when nothing could be sent. */
static long final_status(case_ctx *ctx, http_stream *s, const char *what) {
  return exchange_await_status(ctx, s, what) ? 0 : s->status;
}

/* A call whose SSE reply carried no response (not a polling close): a
 * lost or late response, judged by exchange_unanswered. */
static void response_missing(case_ctx *ctx, http_stream *s, const char *what) {
  rpc_failure f = {{0}};
  snprintf(f.why, sizeof f.why, "%s", http_stream_ended(s) ? "the stream ended without it"
                                                            : "the stream was still open");
  exchange_unanswered(ctx, s, &f, what);
}

/* The next JSON-RPC message of an SSE stream (priming and other empty
 * events skipped), or NULL once the stream ended or the deadline passed. */
static jsonrpc_msg *next_sse_message(http_stream *s, double deadline_ms) {
  for (;;) {
    const stream_event *ev = http_stream_next_event(s, deadline_ms);
    if (!ev)
      return NULL;
    if (!ev->data_len)
      continue;
    jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
    if (m)
      return m;
  }
}

/* 1 when m is notifications/progress carrying the token (raw JSON). */
static int is_progress_for(const jsonrpc_msg *m, const char *token_raw) {
  const char *method = jsonrpc_method(m);
  size_t len = 0;
  const char *tok = jsonrpc_get_raw(m, "params.progressToken", &len);
  return method && !strcmp(method, "notifications/progress") && tok &&
         len == strlen(token_raw) && !memcmp(tok, token_raw, len);
}

/* Opens the standalone GET stream when the server offers one (so a server
 * that wrongly moves traffic there is caught); NULL otherwise. */
static http_stream *open_get_if_offered(case_ctx *ctx, shttp *h) {
  http_stream *get = shttp_get(h, NULL, 0);
  if (!get || http_stream_wait_headers(get, ctx_step_deadline(ctx)) || get->status != 200 ||
      !http_stream_is_event_stream(get)) {
    ctx_note(ctx, "no standalone GET stream (HTTP %ld)", get ? get->status : 0L);
    return NULL;
  }
  return get;
}

/* POSTs a request and checks it was answered 200 as an SSE stream; else the
 * verdict (error, or skip for a JSON reply) is set and NULL returned. */
static http_stream *post_expecting_sse(case_ctx *ctx, shttp *h, const char *body,
                                       const char *what) {
  http_stream *s = shttp_post(h, body, 0);
  if (!verify_status(ctx, s, 200, what))
    return NULL;
  if (!http_stream_is_event_stream(s)) {
    ctx_skip(ctx, "target answered %s with application/json, not an SSE stream", what);
    return NULL;
  }
  return s;
}

/* 1 when a 2025-11-25 stream that ended early left an event id and a retry:
 * SSE polling (SHTTP-POLL-02), not a dropped response. */
static int ended_as_polling(case_ctx *ctx, http_stream *s) {
  size_t len = 0;
  const char *id = s->sse ? sse_last_event_id(s->sse, &len) : NULL;
  return !strcmp(ctx->cfg->spec, "2025-11-25") && id && len &&
         sse_reconnection_ms(s->sse) >= 0;
}

/* Reads an SSE reply to the response to id_raw; counts messages before it. */
static jsonrpc_msg *read_to_response_until(case_ctx *ctx, http_stream *s, const char *id_raw,
                                           const char *token_raw, int *progress, int *others,
                                           double until_ms) {
  for (jsonrpc_msg *m;
       (m = next_sse_message(s, until_ms > 0 ? until_ms : ctx_step_deadline(ctx)));) {
    if (message_answers(m, id_raw))
      return m;
    if (token_raw && is_progress_for(m, token_raw))
      (*progress)++;
    else if (others)
      (*others)++;
    jsonrpc_free(m);
  }
  return NULL;
}

/* Reads s until the response to id_raw (each message within a step). */
static jsonrpc_msg *read_to_response(case_ctx *ctx, http_stream *s, const char *id_raw,
                                     const char *token_raw, int *progress, int *others) {
  return read_to_response_until(ctx, s, id_raw, token_raw, progress, others, 0);
}

/* ---- SHTTP-POST-05 for a response ---- */

typedef struct watch2 {
  http_stream *a, *b;
} watch2;

static int either_has_event(void *arg) {
  watch2 *w = arg;
  int a_open = w->a && !http_stream_ended(w->a);
  int b_open = w->b && !http_stream_ended(w->b);
  return (w->a && w->a->next_event < w->a->nevents) ||
         (w->b && w->b->next_event < w->b->nevents) || (!a_open && !b_open);
}

/* The first server->client request on either stream (the POST stream or, for
 * servers that send it there, the GET stream), or NULL by the deadline. */
static jsonrpc_msg *await_server_request(http_stream *post, http_stream *get, double deadline,
                                         http_stream **from) {
  watch2 w = {post, get};
  while (!client_wait(post->owner, either_has_event, &w, deadline)) {
    http_stream *s = post->next_event < post->nevents ? post
                     : get && get->next_event < get->nevents ? get
                                                             : NULL;
    if (!s)
      return NULL;
    const stream_event *ev = &s->events[s->next_event++];
    jsonrpc_msg *m = ev->data_len ? jsonrpc_parse(ev->data, ev->data_len) : NULL;
    if (m && jsonrpc_kind_of(m) == JSONRPC_REQUEST) {
      *from = s;
      return m;
    }
    jsonrpc_free(m);
  }
  return NULL;
}

/* Checks the answer to the client's POSTed response: 202, empty body. */
static void verify_202_empty(case_ctx *ctx, http_stream *s, const char *what) {
  if (!verify_status(ctx, s, 202, what))
    return;
  if (http_stream_wait_done(s, ctx_step_deadline(ctx))) {
    ctx_violation(ctx, "empty body, response ended", "body still open",
                  "the 202 response did not end within the step deadline");
  } else if (s->bytes) {
    char got[64];
    snprintf(got, sizeof got, "%llu body bytes", (unsigned long long)s->bytes);
    ctx_violation(ctx, "empty body", got, "the 202 answering %s has a body", what);
  } else {
    ctx_checked(ctx, "HTTP 202, empty body", "HTTP 202, empty body");
  }
}

/* SHTTP-POST-05: a JSON-RPC response the client POSTs gets 202, no body. */
static void response_202(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  fixture fx;
  char id[64];
  if (asking_session(ctx, &h) || call_require_fixture(ctx, &h, FIXTURE_ASK_CLIENT, &fx)) {
    shttp_free(&h);
    return;
  }
  http_stream *get = open_get_if_offered(ctx, &h);
  http_stream *post = call_fixture_post(&h, &fx, call_unique_id("ask", id, sizeof id), NULL);
  /* A JSON reply holds its headers until the call ends: no status wait here. */
  http_stream *from = NULL;
  jsonrpc_msg *req = post ? await_server_request(post, get, ctx_step_deadline(ctx), &from) : NULL;
  if (!req)
    ctx_skip(ctx, "%s sent no request to the client (HTTP %ld; POST and GET streams)", fx.tool,
             post ? post->status : 0L);
  else {
    ctx_note(ctx, "answering the server's %s", jsonrpc_method(req));
    verify_202_empty(ctx, asking_post_answer(&h, req), "the client's response");
    jsonrpc_free(req);
  }
  shttp_free(&h);
}

/* SHTTP-POST-11: a request the server sends the client for a call comes
 * on that call's own SSE stream, not on the GET stream. */
static void request_on_post_stream(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  fixture fx;
  char id[64];
  if (asking_session(ctx, &h) || call_require_fixture(ctx, &h, FIXTURE_ASK_CLIENT, &fx)) {
    shttp_free(&h);
    return;
  }
  http_stream *get = open_get_if_offered(ctx, &h); /* where a misrouting server puts it */
  http_stream *post = call_fixture_post(&h, &fx, call_unique_id("ask", id, sizeof id), NULL);
  /* A JSON reply holds its headers until the call ends: find the request first. */
  http_stream *from = NULL;
  jsonrpc_msg *req = post ? await_server_request(post, get, ctx_step_deadline(ctx), &from) : NULL;
  if (!req) {
    ctx_skip(ctx, "%s sent no request to the client on either stream", fx.tool);
  } else {
    http_stream_wait_done(asking_post_answer(&h, req), ctx_step_deadline(ctx));
    char got[160];
    snprintf(got, sizeof got, "%.60s on the %s stream", jsonrpc_method(req),
             from == post ? "call's POST" : "GET");
    int answered = verify_status(ctx, post, 200, "the ask_client fixture's tools/call");
    if (!answered)
      ctx_note(ctx, "the call itself got no 200 reply");
    else if (!http_stream_is_event_stream(post))
      ctx_skip(ctx, "the call was answered with application/json, which cannot carry requests");
    else if (from == post)
      ctx_checked(ctx, "the call's request to the client on its POST stream", got);
    else
      ctx_violation(ctx, "the call's request to the client on its POST stream", got,
                    "the server sent the call's %.60s on the GET stream", jsonrpc_method(req));
  }
  jsonrpc_free(req);
  shttp_free(&h);
}

/* ---- reply shapes ---- */

/* SHTTP-POST-09: an application/json reply is one object with the request's id. */
static void json_reply_one_object(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s =
        shttp_post(&h, "{\"jsonrpc\":\"2.0\",\"id\":\"post-09\",\"method\":\"ping\"}", 0);
    if (verify_status(ctx, s, 200, "ping")) {
      if (http_stream_is_event_stream(s)) {
        ctx_skip(ctx, "target answered with an SSE stream: the JSON reply rule does not apply");
      } else if (http_stream_wait_done(s, ctx_step_deadline(ctx))) {
        ctx_violation(ctx, "a complete JSON body", "body still open",
                      "the application/json reply did not end within the step deadline");
      } else {
        jsonrpc_msg *m = jsonrpc_parse(s->body.ptr, s->body.len);
        jsonrpc_kind k = m ? jsonrpc_kind_of(m) : JSONRPC_INVALID;
        if (k != JSONRPC_SUCCESS_RESPONSE && k != JSONRPC_ERROR_RESPONSE)
          ctx_violation(ctx, "one JSON-RPC response object", m ? jsonrpc_kind_name(k) : "not JSON",
                        "the application/json reply is not one response object");
        else
          verify_jsonrpc_id_echo(ctx, m, "\"post-09\"");
        jsonrpc_free(m);
      }
    }
  }
  shttp_free(&h);
}

/* SHTTP-POST-10: an SSE reply eventually carries the response. */
static void sse_reply_carries_response(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h)) {
    shttp_free(&h);
    return;
  }
  open_get_if_offered(ctx, &h); /* a server that moves responses there is caught */
  http_stream *s = post_expecting_sse(
      ctx, &h,
      "{\"jsonrpc\":\"2.0\",\"id\":\"post-10\",\"method\":\"tools/list\"}", "tools/list");
  if (s) {
    int others = 0;
    jsonrpc_msg *m = read_to_response(ctx, s, "\"post-10\"", NULL, &others, NULL);
    rpc_failure f = {{0}};
    if (!m && http_stream_ended(s) && ended_as_polling(ctx, s))
      m = call_await(ctx, &h, s, "\"post-10\"", &f); /* resumed with GET */
    if (m)
      ctx_checked(ctx, "the response with id \"post-10\"", "the response with id \"post-10\"");
    else
      ctx_violation(ctx, "the response with id \"post-10\"",
                    http_stream_ended(s) ? "stream ended without it" : "nothing by the deadline",
                    "the SSE reply to tools/list never carried its response");
    jsonrpc_free(m);
  }
  shttp_free(&h);
}

/* The fixture's tools/call request as text in buf (empty when too long). */
static void fixture_body(const fixture *fx, const char *id, const char *token, char *buf,
                         size_t len) {
  dynbuf b;
  dynbuf_init(&b, len - 1);
  snprintf(buf, len, "%s", fixture_request(fx, id, token, NULL, &b) ? "" : dynbuf_str(&b));
  dynbuf_free(&b);
}

/* SHTTP-POST-11: progress for the request comes on its POST stream, first. */
static void progress_on_post_stream(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  fixture fx;
  char id[64], token[64], body[MCPWIRE_FIXTURE_ARGS_MAX + 400], want[160];
  if (ctx_http_session(ctx, &h) || call_require_progress(ctx, &h, FIXTURE_PACE_BRISK, &fx)) {
    shttp_free(&h);
    return;
  }
  open_get_if_offered(ctx, &h); /* where a misrouting server would put progress */
  fixture_body(&fx, call_unique_id("post", id, sizeof id),
               call_unique_id("p", token, sizeof token), body, sizeof body);
  snprintf(want, sizeof want, "progress with token %s on the POST stream before the response",
           token);
  http_stream *s = post_expecting_sse(ctx, &h, body, "the progress fixture's tools/call");
  if (s) {
    int progress = 0;
    jsonrpc_msg *m = read_to_response(ctx, s, id, token, &progress, NULL);
    char got[96];
    snprintf(got, sizeof got, "%d progress notification(s)%s", progress,
             m ? " before the response" : ", no response");
    if (!m && http_stream_ended(s) && ended_as_polling(ctx, s))
      ctx_skip(ctx, "the stream closed for polling before the response: progress order not "
                    "observable on it");
    else if (!m)
      response_missing(ctx, s, "the progress fixture's tools/call");
    else if (!progress && !fx.progress_events)
      ctx_skip(ctx, "the %s call sent no progress at all (fixture progress, %s)", fx.tool,
               fx.source);
    else if (!progress)
      ctx_violation(ctx, want, got, "no progress for the call came on its own stream");
    else
      ctx_checked(ctx, want, got);
    jsonrpc_free(m);
  }
  shttp_free(&h);
}

/* Whether the SSE reply `s` to request id_raw ran until its response
 * (2025-11-25: or closed as polling, the response then fetched by GET).
 * 1 when the response came; else 0 with the verdict set. */
static int open_until_response(case_ctx *ctx, shttp *h, http_stream *s, const char *id_raw,
                               const char *token_raw, const char *what) {
  int progress = 0;
  jsonrpc_msg *m = read_to_response(ctx, s, id_raw, token_raw, &progress, NULL);
  if (m) {
    jsonrpc_free(m);
    return 1;
  }
  if (!http_stream_ended(s)) {
    ctx_error(ctx, "%s: no response within the step deadline, stream still open", what);
  } else if (ended_as_polling(ctx, s)) {
    rpc_failure f = {{0}};
    m = call_await(ctx, h, s, id_raw, &f); /* resumed with GET */
    jsonrpc_free(m);
    if (m)
      return 1;
    ctx_violation(ctx, "the response after a polling close", "not on the resumed stream",
                  "%s: the stream closed early and resuming it did not yield the response", what);
  } else {
    ctx_violation(ctx, "stream open until the response", "closed before the response",
                  "%s: the POST stream ended before the response%s", what,
                  !strcmp(ctx->cfg->spec, "2025-11-25") ? " without an event id and retry" : "");
  }
  return 0;
}

/* tools/list, judged like the call (a server that closes early breaks it
 * already); a JSON reply is fine and not judged. 1 when it was answered. */
static int tools_list_open_until_response(case_ctx *ctx, shttp *h) {
  char id[64], body[128];
  call_unique_id("post", id, sizeof id);
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"tools/list\"}", id);
  http_stream *s = shttp_post(h, body, 0);
  if (!verify_status(ctx, s, 200, "tools/list"))
    return 0;
  return !http_stream_is_event_stream(s) ||
         open_until_response(ctx, h, s, id, NULL, "tools/list");
}

/* SHTTP-POST-12: the POST stream is not closed before the response (in
 * 2025-11-25 an early close that left an event id and a retry is polling).
 * Judged on tools/list, then on a call of the PROGRESS fixture, whose
 * stream carries events before its response. */
static void no_close_before_response(case_ctx *ctx) {
  shttp h;
  fixture fx;
  char id[64], token[64], body[MCPWIRE_FIXTURE_ARGS_MAX + 400];
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) || !tools_list_open_until_response(ctx, &h) ||
      call_require_progress(ctx, &h, FIXTURE_PACE_BRISK, &fx)) {
    shttp_free(&h);
    return;
  }
  fixture_body(&fx, call_unique_id("post", id, sizeof id),
               call_unique_id("p", token, sizeof token), body, sizeof body);
  http_stream *s = post_expecting_sse(ctx, &h, body, "the progress fixture's tools/call");
  if (s && open_until_response(ctx, &h, s, id, token, "the progress fixture's tools/call"))
    ctx_checked(ctx, "stream open until the response, or a 2025-11-25 polling close",
                "tools/list's and the call's responses arrived on their streams (or by "
                "polling)");
  shttp_free(&h);
}

/* SHTTP-POST-13: after the response the server ends the POST stream. */
static void closes_after_response(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h)) {
    shttp_free(&h);
    return;
  }
  http_stream *s = post_expecting_sse(
      ctx, &h, "{\"jsonrpc\":\"2.0\",\"id\":\"post-13\",\"method\":\"ping\"}", "ping");
  if (s) {
    int others = 0;
    jsonrpc_msg *m = read_to_response(ctx, s, "\"post-13\"", NULL, &others, NULL);
    if (!m && http_stream_ended(s) && ended_as_polling(ctx, s)) {
      ctx_skip(ctx, "the stream closed for polling before the response: nothing to judge");
    } else if (!m) {
      response_missing(ctx, s, "ping");
    } else if (http_stream_wait_done(s, clock_ms() + MCPWIRE_STREAM_CLOSE_GRACE_MS)) {
      char got[96];
      snprintf(got, sizeof got, "still open %d ms after the response",
               MCPWIRE_STREAM_CLOSE_GRACE_MS);
      ctx_violation(ctx, "stream ended after the response", got,
                    "the POST stream stayed open after its only response");
    } else {
      ctx_checked(ctx, "stream ended after the response", "stream ended after the response");
    }
    jsonrpc_free(m);
  }
  shttp_free(&h);
}

/* The id of the first progress event for the token, read off the stream
 * (malloc), or NULL when the stream ends or stalls first. */
static char *first_progress_event_id(case_ctx *ctx, http_stream *s, const char *token_raw) {
  for (;;) {
    const stream_event *ev = http_stream_next_event(s, ctx_step_deadline(ctx));
    if (!ev)
      return NULL;
    jsonrpc_msg *m = ev->data_len ? jsonrpc_parse(ev->data, ev->data_len) : NULL;
    int progress = m && is_progress_for(m, token_raw);
    jsonrpc_free(m);
    if (progress)
      return ev->id[0] ? strdup(ev->id) : NULL;
  }
}

/* SHTTP-POST-14: a dropped POST connection is not a cancel: the call runs
 * on, and resuming its stream yields the response. */
static void disconnect_not_cancel(case_ctx *ctx) {
  /* The resumed stream is watched up to a step for the call's end. */
  if (watch_left_out_by_quick(ctx, (double)ctx->cfg->step_timeout_ms))
    return;
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  fixture fx;
  char id[64], token[64], body[MCPWIRE_FIXTURE_ARGS_MAX + 400];
  if (ctx_http_session(ctx, &h) || call_require_fixture(ctx, &h, FIXTURE_PROGRESS, &fx)) {
    shttp_free(&h);
    return;
  }
  fixture_body(&fx, call_unique_id("post", id, sizeof id),
               call_unique_id("p", token, sizeof token), body, sizeof body);
  http_stream *s = post_expecting_sse(ctx, &h, body, "the progress fixture's tools/call");
  char *last = s ? first_progress_event_id(ctx, s, token) : NULL;
  if (s && !last)
    ctx_skip(ctx, "no progress event with an event id: the call cannot be followed after "
                  "a disconnect");
  if (last) {
    ctx_note(ctx, "disconnecting after event id %s", last);
    http_stream_close(s);
    exchange_settle(ctx);
    http_stream *get = shttp_get(&h, last, 0);
    if (!get || http_stream_wait_headers(get, ctx_step_deadline(ctx)) || get->status != 200) {
      ctx_skip(ctx, "resuming with Last-Event-ID answered HTTP %ld: the call's fate is not "
                    "observable", get ? get->status : 0L);
    } else {
      int progress = 0;
      jsonrpc_msg *m = read_to_response_until(ctx, get, id, token, &progress, NULL, 0);
      if (m && jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE)
        ctx_checked(ctx, "the call completes after the disconnect",
                    "its result came on the resumed stream");
      else
        ctx_violation(ctx, "the call completes after the disconnect",
                      m ? "an error response" : "no response on the resumed stream",
                      "dropping the POST connection ended the call");
      jsonrpc_free(m);
    }
  }
  free(last);
  shttp_free(&h);
}

/* ---- unacceptable bodies and headers ---- */

/* SHTTP-POST-02 (de facto): a POST whose Accept omits either media type
 * gets 406. */
static void accept_406(case_ctx *ctx) {
  static const char *const accepts[] = {"application/json", "text/event-stream"};
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h)) {
    shttp_free(&h);
    return;
  }
  char got[96] = "";
  for (size_t i = 0; i < sizeof accepts / sizeof accepts[0]; i++) {
    char what[64];
    snprintf(what, sizeof what, "POST with Accept: %s", accepts[i]);
    http_stream *s =
        exchange_request(&h, "POST", "{\"jsonrpc\":\"2.0\",\"id\":\"post-02\",\"method\":\"ping\"}",
                      "application/json", accepts[i]);
    long st = final_status(ctx, s, what);
    if (!st)
      break;
    size_t used = strlen(got);
    snprintf(got + used, sizeof got - used, "%sHTTP %ld", i ? ", " : "", st);
    if (st != 406) {
      ctx_violation(ctx, "HTTP 406", got, "a %s was answered HTTP %ld", what, st);
      break;
    }
  }
  ctx_checked(ctx, "HTTP 406 for each", got); /* kept only when nothing failed */
  shttp_free(&h);
}

/* SHTTP-POST-18 (de facto): a body sent as text/plain gets 415. */
static void content_type_415(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s =
        exchange_request(&h, "POST", "{\"jsonrpc\":\"2.0\",\"id\":\"post-18\",\"method\":\"ping\"}",
                      "text/plain", "application/json, text/event-stream");
    long st = final_status(ctx, s, "POST with Content-Type: text/plain");
    char got[32];
    snprintf(got, sizeof got, "HTTP %ld", st);
    if (st == 415)
      ctx_checked(ctx, "HTTP 415", got);
    else if (st)
      ctx_violation(ctx, "HTTP 415", got, "a text/plain POST body was answered %s", got);
  }
  shttp_free(&h);
}

/* SHTTP-POST-19 (de facto): unparseable JSON gets 400 and a -32700 error. */
static void parse_error_400(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h)) {
    shttp_free(&h);
    return;
  }
  http_stream *s = shttp_post(&h, "{", 0);
  long st = final_status(ctx, s, "POST {");
  if (st && http_stream_wait_done(s, ctx_step_deadline(ctx))) {
    char got[48];
    snprintf(got, sizeof got, "HTTP %ld, a body that never ended", st);
    ctx_violation(ctx, "HTTP 400 with a -32700 error", got, "the answer to an unparseable body "
                  "(HTTP %ld) did not end within %.0f ms", st, (double)ctx->cfg->step_timeout_ms);
  } else if (st) {
    jsonrpc_msg *m = s->is_sse ? NULL : jsonrpc_parse(s->body.ptr, s->body.len);
    long code = 0;
    int has_code = m && jsonrpc_error_code(m, &code);
    char got[96];
    snprintf(got, sizeof got, "HTTP %ld, %s %ld", st, has_code ? "code" : "no error code",
             has_code ? code : 0L);
    /* The spec pins neither the 4xx nor the body: de facto only. */
    if (st < 400 || st > 499 || !has_code || code != JSONRPC_PARSE_ERROR)
      ctx_violation(ctx, "HTTP 400 with a -32700 error", got,
                    "unparseable JSON was answered %s", got);
    else
      ctx_checked(ctx, "HTTP 400 with a -32700 error", got);
    jsonrpc_free(m);
  }
  shttp_free(&h);
}

/* SHTTP-POST-03: from 2025-06-18 a JSON array body is refused (reaction
 * unspecified: 4xx or a -32600 error). */
static void batch_refused(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h)) {
    shttp_free(&h);
    return;
  }
  http_stream *s = shttp_post(&h,
                              "[{\"jsonrpc\":\"2.0\",\"id\":\"b1\",\"method\":\"ping\"},"
                              "{\"jsonrpc\":\"2.0\",\"id\":\"b2\",\"method\":\"ping\"}]",
                              0);
  long st = final_status(ctx, s, "POST of a two-element array");
  char got[96];
  snprintf(got, sizeof got, "HTTP %ld", st);
  if (st >= 400 && st <= 499) {
    ctx_checked(ctx, "HTTP 4xx or a -32600 error", got);
  } else if (st) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
    long code = 0;
    if (m && jsonrpc_error_code(m, &code) && code == JSONRPC_INVALID_REQUEST)
      ctx_checked(ctx, "HTTP 4xx or a -32600 error", "a -32600 error");
    else
      ctx_violation(ctx, "HTTP 4xx or a -32600 error", got,
                    "a batch was served after 2025-03-26 (%s)", got);
    jsonrpc_free(m);
  }
  shttp_free(&h);
}

const case_def http_post_cases[] = {
    {CASE_ID("http/post", "notification-202"),
     .title = "An accepted notification gets 202 Accepted with no body",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-POST-05"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = notification_202, .faults = FAULTS("notification-not-202")},
    {CASE_ID("http/post", "request-content-type"),
     .title = "The reply to a request is application/json or text/event-stream",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-POST-07"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = request_content_type, .faults = FAULTS("wrong-content-type")},
    {CASE_ID("http/post", "invalid-notification-4xx"),
     .title = "A notification the server cannot accept gets an HTTP 4xx",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-POST-06"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = invalid_notification_4xx,
     .faults = FAULTS("accept-invalid-notification")},
    {CASE_ID("http/post", "response-202"),
     .title = "A JSON-RPC response the client POSTs gets 202 Accepted with no body",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-POST-05"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = response_202, .faults = FAULTS("notification-not-202"),
     .fixtures = FX_ASK_CLIENT},
    {CASE_ID("http/post", "json-reply-one-object"),
     .title = "An application/json reply is one response object with the request's id",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-POST-09"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = json_reply_one_object, .faults = FAULTS("json-reply-wrong-id"),
     .proof.needs = NEED_JSON_REPLIES},
    {CASE_ID("http/post", "sse-reply-carries-response"),
     .title = "An SSE reply to a request eventually carries its response",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POST-10"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = sse_reply_carries_response,
     .faults = FAULTS("close-before-response", "response-on-get-stream"),
     .proof.needs = NEED_SSE_REPLIES},
    {CASE_ID("http/post", "progress-on-post-stream"),
     .title = "A call's progress comes on its own POST stream, before the response",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POST-11"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .slow = 1, .run = progress_on_post_stream, .faults = FAULTS("progress-on-get-stream"),
     .fixtures = FX_PROGRESS,
     .proof.needs = NEED_SSE_REPLIES},
    {CASE_ID("http/post", "no-close-before-response"),
     .title = "The POST stream is not closed before the response (2025-11-25: unless polling)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POST-12", "SHTTP-POLL-02"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .slow = 1, .run = no_close_before_response, .fixtures = FX_PROGRESS,
     .faults = FAULTS("close-before-response", "no-retry-before-close"),
     .proof.needs = NEED_SSE_REPLIES},
    {CASE_ID("http/post", "closes-after-response"),
     .title = "The POST stream ends once the response is sent",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POST-13"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = closes_after_response, .faults = FAULTS("keep-post-stream-open"),
     .proof.needs = NEED_SSE_REPLIES},
    {CASE_ID("http/post", "accept-406"),
     .title = "A POST whose Accept lacks text/event-stream gets 406 (de facto)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_INFO,
     .requirements = REQS("SHTTP-POST-02"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = accept_406, .faults = FAULTS("no-accept-check")},
    {CASE_ID("http/post", "content-type-415"),
     .title = "A POST body sent as text/plain gets 415 (de facto)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_INFO,
     .requirements = REQS("SHTTP-POST-18"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = content_type_415, .faults = FAULTS("no-content-type-check")},
    {CASE_ID("http/post", "parse-error-400"),
     .title = "Unparseable JSON gets HTTP 400 with a -32700 error (de facto)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POST-19"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = parse_error_400, .faults = FAULTS("parse-error-wrong-code")},
    {CASE_ID("http/post", "batch-refused"),
     .title = "From 2025-06-18 a JSON array body is refused (4xx or -32600)",
     .transport = CASE_HTTP, .revisions = REV_2025_06_18 | REV_2025_11_25,
     .level = LEVEL_SHOULD, .requirements = REQS("SHTTP-POST-03"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = batch_refused, .faults = FAULTS("accept-batch-after-2503")},
    {CASE_ID("http/post", "disconnect-not-cancel"),
     .title = "Dropping the POST connection does not cancel the call",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POST-14"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .slow = 1, .run = disconnect_not_cancel, .faults = FAULTS("cancel-on-disconnect"),
     .fixtures = FX_PROGRESS,
     .proof.needs = NEED_SSE_REPLIES},
    {CASE_ID("http/post", "request-on-post-stream"),
     .title = "A call's request to the client comes on the call's own SSE stream",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-POST-11"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = request_on_post_stream, .faults = FAULTS("progress-on-get-stream"),
     .fixtures = FX_ASK_CLIENT,
     .proof.needs = NEED_SSE_REPLIES},
};
const size_t http_post_ncases = NCASES(http_post_cases);
