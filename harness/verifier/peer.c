/* peer: one MCP session over the legacy transport or stdio (peer.h). */
#include "verifier/peer.h"

#include <stdio.h>
#include <string.h>

#include "verifier/exchange.h"
#include "verifier/legacy_setup.h"
#include "verifier/message_check.h"

const char *peer_transport(const peer *p) { return p->stdio ? "stdio" : "the legacy transport"; }

/* ---- stdio ---- */

static int stdio_start(case_ctx *ctx, peer *p) {
  char why[300];
  if (!ctx->cfg->stdio) {
    ctx_error(ctx, "internal: a stdio case without a command");
    return -1;
  }
  if (!(p->proc = stdio_process_start(ctx->cfg->stdio, why, sizeof why))) {
    ctx_error(ctx, "setup: the server command could not start: %s", why);
    return -1;
  }
  if (!(p->ch = stdio_channel_new(p->proc, &ctx->log))) {
    ctx_error(ctx, "internal: out of memory");
    return -1;
  }
  ctx_note(ctx, "stdio: server started, pid %ld", (long)stdio_process_pid(p->proc));
  return 0;
}

/* Writes one message line; 0, or -1 with r->f.why. */
static int stdio_write(peer *p, const char *body, size_t len, int raw, peer_reply *r) {
  double end = ctx_step_deadline(p->ctx);
  stdio_channel_status st = raw ? stdio_channel_send_raw(p->ch, body, len, end)
                                : stdio_channel_send(p->ch, body, len, end);
  if (st == STDIO_CHANNEL_OK)
    return 0;
  r->send_failed = 1;
  snprintf(r->f.why, sizeof r->f.why, "writing to the server's stdin: %s",
           st == STDIO_CHANNEL_TIMEOUT ? "the server did not read it within a step"
           : st == STDIO_CHANNEL_CLOSED ? "the server closed its stdin"
                                        : stdio_channel_error(p->ch));
  return -1;
}

/* Why a wait on stdout ended without the message. */
static void stdio_why(peer *p, stdio_channel_status st, peer_reply *r) {
  snprintf(r->f.why, sizeof r->f.why, "%s",
           st == STDIO_CHANNEL_TIMEOUT ? "no response line within a step"
           : st == STDIO_CHANNEL_CLOSED ? "the server closed its stdout (exited?) first"
                                        : stdio_channel_error(p->ch));
}

/* Takes the message out of a line (the line is freed). */
static jsonrpc_msg *take_message(stdio_line *l) {
  jsonrpc_msg *m = l->msg;
  l->msg = NULL;
  stdio_line_free(l);
  return m;
}

static jsonrpc_msg *stdio_await(peer *p, const char *id_raw, peer_reply *r) {
  stdio_line l;
  stdio_channel_status st =
      stdio_channel_await_response(p->ch, id_raw, strlen(id_raw), ctx_step_deadline(p->ctx), &l);
  if (st != STDIO_CHANNEL_OK) {
    stdio_why(p, st, r);
    return NULL;
  }
  return take_message(&l);
}

/* ---- legacy ---- */

/* POSTs body (a C string) to the endpoint: r gets the status (or the
 * hang). 0 when a 2xx came, so the answer is to be read on the stream. */
static int legacy_send(peer *p, const char *body, peer_reply *r) {
  http_stream *post = r->post = legacy_post(&p->l, body);
  if (!post) {
    r->send_failed = 1;
    snprintf(r->f.why, sizeof r->f.why, "the POST to the endpoint could not start");
    return -1;
  }
  if (http_stream_wait_headers(post, ctx_step_deadline(p->ctx))) {
    if (http_stream_ended(post)) {
      r->send_failed = 1;
      snprintf(r->f.why, sizeof r->f.why, "the POST's connection failed before any status (%s)",
               http_stream_error(post));
    } else {
      r->no_status = 1;
      snprintf(r->f.why, sizeof r->f.why, "the POST to the endpoint got no HTTP status");
    }
    return -1;
  }
  r->http_status = post->status;
  if (post->status >= 300) {
    snprintf(r->f.why, sizeof r->f.why, "the POST was refused with HTTP %ld", post->status);
    return -1;
  }
  return 0;
}

/* ---- both ---- */

int peer_start(case_ctx *ctx, peer *p) {
  memset(p, 0, sizeof *p);
  p->ctx = ctx;
  p->stdio = ctx->cfg->stdio != NULL;
  if (p->stdio)
    return stdio_start(ctx, p);
  return legacy_setup_open(ctx, &p->l);
}

int peer_open(case_ctx *ctx, peer *p) {
  if (peer_start(ctx, p))
    return -1;
  if (!p->stdio) {
    rpc_failure f = {{0}};
    if (legacy_initialize(&p->l, ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
      ctx_error(ctx, "setup: initialize failed: %s", f.why);
      return -1;
    }
    return 0;
  }
  char body[1200];
  peer_reply r = {0};
  shttp_initialize_request(body, sizeof body, "\"init\"", ctx->cfg->spec);
  p->init_result = peer_call(p, body, "\"init\"", &r);
  if (!p->init_result || jsonrpc_kind_of(p->init_result) != JSONRPC_SUCCESS_RESPONSE) {
    ctx_error(ctx, "setup: initialize over stdio failed: %s",
              p->init_result ? "an error response" : r.f.why);
    return -1;
  }
  static const char initialized[] = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
  if (stdio_write(p, initialized, sizeof initialized - 1, 0, &r)) {
    ctx_error(ctx, "setup: notifications/initialized: %s", r.f.why);
    return -1;
  }
  return 0;
}

const jsonrpc_msg *peer_init_result(const peer *p) {
  return p->stdio ? p->init_result : p->l.init_result;
}

jsonrpc_msg *peer_call(peer *p, const char *body, const char *id_raw, peer_reply *r) {
  memset(r, 0, sizeof *r);
  size_t len = strlen(body);
  if (p->stdio ? stdio_write(p, body, len, 0, r) : legacy_send(p, body, r))
    return NULL;
  if (!id_raw)
    return NULL;
  jsonrpc_msg *m = p->stdio ? stdio_await(p, id_raw, r)
                            : rpc_await_response(p->l.stream, id_raw,
                                                 ctx_step_deadline(p->ctx), &r->f, NULL);
  if (m)
    message_check_envelope(p->ctx, m, "the response");
  return m;
}

int peer_send_raw(peer *p, const char *bytes, size_t len, peer_reply *r) {
  memset(r, 0, sizeof *r);
  if (p->stdio) {
    char line[MCPWIRE_PEER_RAW_MAX + 1];
    if (len > MCPWIRE_PEER_RAW_MAX) {
      r->send_failed = 1;
      snprintf(r->f.why, sizeof r->f.why, "internal: a raw probe over MCPWIRE_PEER_RAW_MAX");
      return -1;
    }
    memcpy(line, bytes, len);
    line[len] = '\n'; /* the line's end: the probe is its content */
    return stdio_write(p, line, len + 1, 1, r);
  }
  legacy_send(p, bytes, r); /* bytes is a C string here: the probes hold no NUL */
  return r->send_failed || r->no_status ? -1 : 0;
}

/* Whether m refuses the message with id_raw (NULL: unreadable). */
static int is_refusal(const jsonrpc_msg *m, const char *id_raw) {
  size_t len = 0;
  const char *id = jsonrpc_id_raw(m, &len);
  jsonrpc_kind k = jsonrpc_kind_of(m);
  int ours = id_raw && id && jsonrpc_id_equal(id, len, id_raw, strlen(id_raw));
  int unread = !id || (len == 4 && !memcmp(id, "null", 4));
  return (k == JSONRPC_ERROR_RESPONSE && (ours || unread)) ||
         (k == JSONRPC_SUCCESS_RESPONSE && ours);
}

jsonrpc_msg *peer_await_refusal(peer *p, const char *id_raw, peer_reply *r) {
  double end = ctx_step_deadline(p->ctx);
  for (;;) {
    jsonrpc_msg *m = NULL;
    if (p->stdio) {
      stdio_line l;
      stdio_channel_status st = stdio_channel_next(p->ch, end, &l);
      if (st != STDIO_CHANNEL_OK) {
        stdio_why(p, st, r);
        return NULL;
      }
      if (l.kind != STDIO_LINE_MESSAGE) {
        stdio_line_free(&l);
        continue;
      }
      m = take_message(&l);
    } else if (!(m = rpc_next_message(p->l.stream, end, &r->f))) {
      return NULL;
    }
    if (m && is_refusal(m, id_raw)) {
      message_check_envelope(p->ctx, m, "the refusal");
      return m;
    }
    jsonrpc_free(m);
  }
}

void peer_unanswered(peer *p, const peer_reply *r, const char *what) {
  case_ctx *ctx = p->ctx;
  double ms = (double)ctx->cfg->step_timeout_ms;
  char got[48];
  snprintf(got, sizeof got, "HTTP %ld", r->http_status);
  if (r->send_failed)
    ctx_error(ctx, "%s: %s", what, r->f.why);
  else if (p->stdio)
    ctx_violation(ctx, "a response line", "none", "%s was never answered on stdout (%s)", what,
                  r->f.why);
  else if (r->no_status)
    ctx_violation(ctx, "a response", "no HTTP status", "%s hung: no HTTP status within %.0f ms",
                  what, ms);
  else if (r->http_status >= 300)
    ctx_violation(ctx, "a response", got, "%s got %s and no JSON-RPC response", what, got);
  else
    ctx_violation(ctx, "a response on the SSE stream", got, "%s was acknowledged (%s) and never "
                  "answered on the stream%s (%s)", what, got,
                  http_stream_ended(p->l.stream) ? ", which ended" : "", r->f.why);
}

void peer_stop(peer *p) {
  if (!p->stdio || !p->ch || p->stopped)
    return;
  p->stopped = 1;
  stdio_channel_stop(p->ch, MCPWIRE_STDIO_EOF_WAIT_MS, MCPWIRE_STDIO_TERM_WAIT_MS, &p->stop);
}

void peer_free(peer *p) {
  if (p->stdio) {
    peer_stop(p);
    stdio_channel_free(p->ch);
    stdio_process_free(p->proc);
    jsonrpc_free(p->init_result);
  } else {
    legacy_free(&p->l);
  }
  memset(p, 0, sizeof *p);
}
