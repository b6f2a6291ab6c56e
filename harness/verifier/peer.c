/* peer: one MCP session over the legacy transport or stdio (peer.h). */
#include "verifier/peer.h"

#include <stdio.h>
#include <string.h>

#include "codec/json_writer.h"
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
  size_t pending = stdio_channel_pending(p->ch);
  if (st == STDIO_CHANNEL_TIMEOUT && pending)
    snprintf(r->f.why, sizeof r->f.why, "no response line within a step: %zu bytes of a line "
             "wait for their newline (STDIO-04: each message ends with one)", pending);
  else
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

/* A response to another id among the lines collected while waiting: the
 * answer that came instead (an id echoed with another type or text). */
static void note_other_response(peer *p, const char *id_raw, peer_reply *r) {
  for (size_t i = 0; i < stdio_channel_collected_count(p->ch); i++) {
    const stdio_line *l = stdio_channel_collected_at(p->ch, i);
    jsonrpc_kind k = l->msg ? jsonrpc_apparent_kind(l->msg) : JSONRPC_INVALID;
    size_t len = 0;
    const char *id = l->msg ? jsonrpc_id_raw(l->msg, &len) : NULL;
    if ((k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE) && id) {
      snprintf(r->f.why, sizeof r->f.why, "a response with id %.*s came instead of id %s",
               (int)(len < 64 ? len : 64), id, id_raw);
      return;
    }
  }
}

static jsonrpc_msg *stdio_await(peer *p, const char *id_raw, peer_reply *r) {
  stdio_line l;
  stdio_channel_clear_collected(p->ch);
  stdio_channel_status st =
      stdio_channel_await_response(p->ch, id_raw, strlen(id_raw), ctx_step_deadline(p->ctx), &l);
  if (st != STDIO_CHANNEL_OK) {
    stdio_why(p, st, r);
    if (st == STDIO_CHANNEL_TIMEOUT)
      note_other_response(p, id_raw, r);
    return NULL;
  }
  return take_message(&l);
}

/* 1 when stdout broke the framing while an answer was awaited: bytes wait
 * for a newline, or lines came that are no message (a message spread over
 * lines). The answer may well be there: the case cannot judge its own
 * subject, and the stdio/framing cases judge the framing. */
static int stdio_framing_broken(peer *p) {
  if (stdio_channel_pending(p->ch))
    return 1;
  for (size_t i = 0; i < stdio_channel_collected_count(p->ch); i++)
    if (stdio_channel_collected_at(p->ch, i)->kind != STDIO_LINE_MESSAGE)
      return 1;
  return 0;
}

/* Skips a case whose answer was lost in broken framing; 1 when it did. */
static int skip_for_framing(peer *p, const char *what) {
  if (!p->stdio || !stdio_framing_broken(p))
    return 0;
  ctx_skip(p->ctx, "%s: no answer line, and stdout broke the framing (bytes without a newline "
           "or lines that are no message): stdio/framing/newline-delimited and "
           "stdout-only-messages judge that", what);
  return 1;
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
  char params[400];
  return peer_open_with(ctx, p, shttp_initialize_params(params, sizeof params, ctx->cfg->spec));
}

int peer_open_with(case_ctx *ctx, peer *p, const char *init_params) {
  if (peer_start(ctx, p))
    return -1;
  if (!p->stdio) {
    rpc_failure f = {{0}};
    if (legacy_initialize_with(&p->l, init_params, ctx_step_deadline(ctx), &f)) {
      ctx_error(ctx, "setup: initialize failed: %s", f.why);
      return -1;
    }
    return 0;
  }
  char body[1200];
  peer_reply r = {0};
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\","
           "\"params\":%s}", init_params);
  p->init_result = peer_call(p, body, "\"init\"", &r);
  if (!p->init_result || jsonrpc_kind_of(p->init_result) != JSONRPC_SUCCESS_RESPONSE) {
    if (p->init_result || !skip_for_framing(p, "setup: initialize"))
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

int peer_begin(case_ctx *ctx, peer *p) {
  if (!revision_is_stateless(ctx->cfg->spec) || !ctx->cfg->stdio)
    return peer_open(ctx, p);
  if (peer_start(ctx, p))
    return -1;
  p->stateless = 1;
  peer_reply r;
  p->init_result = peer_request(p, "server/discover", NULL, NULL, "\"discover\"", &r);
  if (p->init_result && jsonrpc_kind_of(p->init_result) == JSONRPC_SUCCESS_RESPONSE)
    return 0;
  if (p->init_result || !skip_for_framing(p, "setup: server/discover"))
    ctx_error(ctx, "setup: server/discover over stdio failed: %s",
              p->init_result ? "an error response" : r.f.why);
  return -1;
}

jsonrpc_msg *peer_request(peer *p, const char *method, const char *params, const char *meta,
                          const char *id_raw, peer_reply *r) {
  if (p->stateless) {
    stateless_request req = {.id_raw = id_raw, .method = method, .params = params,
                             .meta_extra = meta};
    return peer_stateless_call(p, &req, r);
  }
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  jsonrpc_msg *m = NULL;
  memset(r, 0, sizeof *r);
  int bad = dynbuf_printf(&body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":", id_raw) ||
            json_write_cstring(&body, method) || dynbuf_adds(&body, ",\"params\":{") ||
            (params && dynbuf_adds(&body, params)) ||
            (meta && (dynbuf_adds(&body, params ? ",\"_meta\":{" : "\"_meta\":{") ||
                      dynbuf_adds(&body, meta) || dynbuf_addc(&body, '}'))) ||
            dynbuf_adds(&body, "}}");
  if (bad) {
    r->send_failed = 1;
    snprintf(r->f.why, sizeof r->f.why, "internal: the %s request could not be built", method);
  } else {
    m = peer_call(p, dynbuf_str(&body), id_raw, r);
  }
  dynbuf_free(&body);
  return m;
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

jsonrpc_msg *peer_stateless_call(peer *p, const stateless_request *req, peer_reply *r) {
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  jsonrpc_msg *m = NULL;
  memset(r, 0, sizeof *r);
  if (stateless_body(req, &body)) {
    r->send_failed = 1;
    snprintf(r->f.why, sizeof r->f.why, "internal: the %s request could not be built",
             req->method);
  } else {
    m = peer_call(p, dynbuf_str(&body), req->id_raw, r);
  }
  dynbuf_free(&body);
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
  jsonrpc_kind k = jsonrpc_apparent_kind(m); /* by its members: a bad envelope is judged */
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

jsonrpc_msg *peer_next(peer *p, double deadline_ms, rpc_failure *f) {
  if (!p->stdio)
    return rpc_next_message(p->l.stream, deadline_ms, f);
  for (;;) {
    stdio_line l;
    stdio_channel_status st = stdio_channel_next(p->ch, deadline_ms, &l);
    if (st != STDIO_CHANNEL_OK) {
      peer_reply r = {0};
      stdio_why(p, st, &r);
      *f = r.f;
      return NULL;
    }
    if (l.kind == STDIO_LINE_MESSAGE)
      return take_message(&l);
    stdio_line_free(&l);
  }
}

/* One tools/list page through the peer (ctx_tools_page_fn), in its era. */
static jsonrpc_msg *tools_page(case_ctx *ctx, void *arg, const char *params_json,
                               rpc_failure *f) {
  (void)ctx;
  peer *p = arg;
  static _Atomic unsigned long pages;
  char id[48], members[MCPWIRE_CURSOR_PARAMS_MAX];
  snprintf(id, sizeof id, "\"mcpwire-tools-%lu\"", ++pages);
  /* params_json is an object ("{}" or {"cursor":...}): its members. */
  size_t len = strlen(params_json);
  if (len < 2 || len - 2 >= sizeof members) {
    snprintf(f->why, sizeof f->why, "tools/list params too long");
    return NULL;
  }
  memcpy(members, params_json + 1, len - 2);
  members[len - 2] = '\0';
  peer_reply r;
  jsonrpc_msg *m = peer_request(p, "tools/list", members[0] ? members : NULL, NULL, id, &r);
  if (!m)
    *f = r.f;
  return m;
}

int peer_require_fixture(peer *p, fixture_role role, fixture_pace pace, fixture *fx) {
  unsigned era = p->stateless ? FIXTURE_STATELESS : FIXTURE_SESSION;
  if (ctx_require_fixture_in(p->ctx, era, tools_page, p, peer_init_result(p), role, fx))
    return -1;
  if (role == FIXTURE_PROGRESS && p->ctx->cfg->quick && fixture_pace_set(fx, pace))
    ctx_note(p->ctx, "--quick: fixture progress called with %s", fx->args);
  return 0;
}

/* The body of a fixture call at 2026-07-28: the request metadata in
 * _meta, the progress token beside it. 0 on success. */
static int stateless_fixture_body(const fixture *fx, const char *id_raw, const char *token_raw,
                                  dynbuf *body) {
  dynbuf members;
  dynbuf_init(&members, MCPWIRE_JSON_BODY_MAX);
  char token[160];
  snprintf(token, sizeof token, "\"progressToken\":%s", token_raw ? token_raw : "null");
  int rc = fixture_call_members(fx, NULL, &members);
  if (!rc) {
    stateless_request req = {.id_raw = id_raw, .method = "tools/call",
                             .params = dynbuf_str(&members),
                             .meta_extra = token_raw ? token : NULL};
    rc = stateless_body(&req, body);
  }
  dynbuf_free(&members);
  return rc;
}

int peer_find_fixture(peer *p, fixture_role role, fixture *fx, char *why, size_t len) {
  unsigned era = p->stateless ? FIXTURE_STATELESS : FIXTURE_SESSION;
  return ctx_find_fixture_in(p->ctx, era, tools_page, p, peer_init_result(p), role, fx, why, len);
}

int peer_send_fixture(peer *p, const fixture *fx, const char *id_raw, const char *token_raw,
                      peer_reply *r) {
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  memset(r, 0, sizeof *r);
  int rc = -1;
  if (p->stateless ? stateless_fixture_body(fx, id_raw, token_raw, &body)
                   : fixture_request(fx, id_raw, token_raw, NULL, &body)) {
    snprintf(r->f.why, sizeof r->f.why, "the %s call does not fit MCPWIRE_JSON_BODY_MAX", fx->tool);
  } else {
    peer_call(p, dynbuf_str(&body), NULL, r);
    rc = r->send_failed || r->no_status || r->http_status >= 300 ? -1 : 0;
  }
  dynbuf_free(&body);
  return rc;
}

void peer_unanswered(peer *p, const peer_reply *r, const char *what) {
  case_ctx *ctx = p->ctx;
  double ms = (double)ctx->cfg->step_timeout_ms;
  char got[48];
  snprintf(got, sizeof got, "HTTP %ld", r->http_status);
  if (r->send_failed)
    ctx_error(ctx, "%s: %s", what, r->f.why);
  else if (skip_for_framing(p, what))
    return;
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
