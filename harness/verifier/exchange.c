#include "verifier/exchange.h"

#include <stdio.h>
#include <string.h>

#include "mcpwire_limits.h"
#include "verifier/message_check.h"

jsonrpc_msg *exchange_post(case_ctx *ctx, shttp *h, const char *body, http_stream **post,
                           rpc_failure *f) {
  http_stream *s = shttp_post(h, body, 0);
  if (post)
    *post = s;
  if (!s) {
    snprintf(f->why, sizeof f->why, "could not start the POST");
    return NULL;
  }
  return exchange_next(s, ctx_step_deadline(ctx), f);
}

void exchange_send(case_ctx *ctx, shttp *h, const char *body, const char *envelope_what,
                   exchange_reply *r) {
  memset(r, 0, sizeof *r);
  r->msg = exchange_post(ctx, h, body, &r->post, &r->f);
  if (r->msg && envelope_what)
    message_check_envelope(ctx, r->msg, envelope_what);
  exchange_status(r->post, r->status, sizeof r->status);
}

int exchange_is_4xx(const http_stream *s) {
  return s && s->headers_done && s->status >= 400 && s->status < 500;
}

jsonrpc_msg *exchange_next(http_stream *s, double deadline_ms, rpc_failure *f) {
  if (http_stream_wait_headers(s, deadline_ms)) {
    snprintf(f->why, sizeof f->why, "%s",
             http_stream_ended(s) ? "no response" : "no response headers before the deadline");
    return NULL;
  }
  if (!http_stream_is_event_stream(s))
    return rpc_next_message(s, deadline_ms, f);
  for (;;) {
    const stream_event *ev = http_stream_next_event(s, deadline_ms);
    if (!ev) {
      snprintf(f->why, sizeof f->why, "%s",
               http_stream_ended(s) ? "the SSE stream ended" : "no event before the deadline");
      return NULL;
    }
    /* Priming events (id, empty data) and other event types carry no message. */
    if (!ev->data_len || strcmp(ev->type, "message"))
      continue;
    jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
    if (!m)
      snprintf(f->why, sizeof f->why, "out of memory");
    return m;
  }
}

static int is_response(const jsonrpc_msg *m) {
  jsonrpc_kind k = jsonrpc_kind_of(m);
  if (k == JSONRPC_INVALID)
    k = jsonrpc_apparent_kind(m);
  return k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE;
}

size_t exchange_drain(case_ctx *ctx, http_stream *s, double deadline_ms, size_t *responses,
                      const char *method, size_t *method_count) {
  size_t n = 0;
  if (!s || http_stream_wait_headers(s, deadline_ms))
    return 0;
  for (;;) {
    rpc_failure f = {{0}};
    if (!s->is_sse && n)
      break; /* a JSON body holds one message */
    jsonrpc_msg *m = exchange_next(s, deadline_ms, &f);
    if (!m)
      break;
    n++;
    message_check_envelope(ctx, m, "a server message");
    if (responses && is_response(m))
      (*responses)++;
    const char *mm = jsonrpc_method(m);
    if (method_count && method && mm && !strcmp(mm, method))
      (*method_count)++;
    jsonrpc_free(m);
  }
  return n;
}

const char *exchange_status(const http_stream *s, char *buf, size_t len) {
  if (!s || !s->headers_done)
    snprintf(buf, len, "no response");
  else
    snprintf(buf, len, "HTTP %ld", s->status);
  return buf;
}

double exchange_quiet_deadline(case_ctx *ctx) {
  double d = clock_ms() + ctx_window_ms(ctx, MCPWIRE_QUIET_WINDOW_MS);
  return d < ctx->deadline_ms ? d : ctx->deadline_ms;
}

http_stream *exchange_watch_get(case_ctx *ctx, shttp *h, const char **why) {
  http_stream *get = shttp_get(h, NULL, 0);
  if (get && !http_stream_wait_headers(get, ctx_step_deadline(ctx)) && get->status == 200)
    return get;
  if (why)
    *why = get ? "refused" : "not started";
  return NULL;
}

size_t exchange_quiet_responses(case_ctx *ctx, http_stream *get) {
  size_t responses = 0;
  exchange_drain(ctx, get, exchange_quiet_deadline(ctx), &responses, NULL, NULL);
  return responses;
}

http_stream *exchange_request(shttp *h, const char *method, const char *body,
                              const char *content_type, const char *accept) {
  char ct[160], ac[160], sid[600], ver[80];
  const char *lines[6];
  size_t n = 0;
  if (content_type) {
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
    lines[n++] = ct;
  }
  snprintf(ac, sizeof ac, "Accept: %s", accept);
  lines[n++] = ac;
  if (h->session_id) {
    snprintf(sid, sizeof sid, "Mcp-Session-Id: %s", h->session_id);
    lines[n++] = sid;
  }
  /* The version header exists from 2025-06-18 on (SHTTP-VERSION-01). */
  if (h->protocol_version[0] && strcmp(h->protocol_version, "2025-06-18") >= 0) {
    snprintf(ver, sizeof ver, "MCP-Protocol-Version: %s", h->protocol_version);
    lines[n++] = ver;
  }
  lines[n] = NULL;
  http_request req = {method, h->url, lines, body, body ? strlen(body) : 0};
  return client_start(h->c, &req);
}

void exchange_settle(case_ctx *ctx) {
  double until = clock_ms() + ctx_window_ms(ctx, MCPWIRE_ROUTING_SETTLE_MS);
  client_idle_until(ctx->client, until < ctx->deadline_ms ? until : ctx->deadline_ms);
}

void exchange_unanswered(case_ctx *ctx, http_stream *post, const rpc_failure *f, const char *what) {
  double ms = (double)ctx->cfg->step_timeout_ms;
  char got[48];
  exchange_status(post, got, sizeof got);
  if (!post)
    ctx_error(ctx, "%s: the request could not be sent (%s)", what, f->why);
  else if (!post->headers_done && http_stream_ended(post))
    ctx_error(ctx, "%s: the connection failed before any HTTP status (%s)", what,
              http_stream_error(post));
  else if (!post->headers_done)
    ctx_stream_held(ctx, post, client_take_census(ctx->client).answered, what);
  else if (post->status == 202)
    ctx_violation(ctx, "a response", "HTTP 202, then no response", "%s was accepted (HTTP 202) "
                  "and never answered within %.0f ms: a lost response (SHTTP-POST-07)", what, ms);
  else if (post->status >= 300)
    ctx_violation(ctx, "a response", got, "%s got %s and no JSON-RPC response", what, got);
  else
    ctx_violation(ctx, "a response", got, "%s got %s but no response within %.0f ms (%s)", what,
                  got, ms, f->why);
}

int exchange_await_status(case_ctx *ctx, http_stream *s, const char *what) {
  if (s && !http_stream_wait_headers(s, ctx_step_deadline(ctx)))
    return 0;
  exchange_no_status(ctx, s, what);
  return -1;
}

void exchange_no_status(case_ctx *ctx, http_stream *s, const char *what) {
  if (!s)
    ctx_error(ctx, "%s: the request could not be sent", what);
  else if (http_stream_ended(s))
    ctx_error(ctx, "%s: the connection failed before any HTTP status (%s)", what,
              http_stream_error(s));
  else
    ctx_stream_held(ctx, s, client_take_census(ctx->client).answered, what);
}
