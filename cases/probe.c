#include "cases/probe.h"

#include <stdio.h>
#include <string.h>

#include "cases/http_poll.h"
#include "codec/json_writer.h"
#include "mcpwire_limits.h"

jsonrpc_msg *probe_post(case_ctx *ctx, shttp *h, const char *body, http_stream **post,
                        rpc_failure *f) {
  http_stream *s = shttp_post(h, body, 0);
  if (post)
    *post = s;
  if (!s) {
    snprintf(f->why, sizeof f->why, "could not start the POST");
    return NULL;
  }
  return probe_next(s, ctx_step_deadline(ctx), f);
}

void probe_send(case_ctx *ctx, shttp *h, const char *body, const char *envelope_what,
                probe_reply *r) {
  memset(r, 0, sizeof *r);
  r->msg = probe_post(ctx, h, body, &r->post, &r->f);
  if (r->msg && envelope_what)
    probe_verify_envelope(ctx, r->msg, envelope_what);
  probe_status(r->post, r->status, sizeof r->status);
}

int probe_is_4xx(const http_stream *s) {
  return s && s->headers_done && s->status >= 400 && s->status < 500;
}

jsonrpc_msg *probe_next(http_stream *s, double deadline_ms, rpc_failure *f) {
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

int probe_verify_envelope(case_ctx *ctx, const jsonrpc_msg *m, const char *what) {
  if (!jsonrpc_is_json(m)) {
    ctx_violation(ctx, "a JSON-RPC message", "not JSON", "%s is not JSON", what);
    return 0;
  }
  const char *method = jsonrpc_method(m);
  if (method && !strncmp(method, "notifications/", 14) &&
      jsonrpc_get_type(m, "id") != JSONRPC_T_ABSENT) {
    ctx_violation(ctx, "a notification without id", "an id",
                  "%s: %s carries an id (JSONRPC-13)", what, method);
    return 0;
  }
  if (jsonrpc_is_valid(m))
    return 1;
  const jsonrpc_problem *p = jsonrpc_problem_count(m) ? jsonrpc_problem_at(m, 0) : NULL;
  ctx_violation(ctx, "a valid JSON-RPC message", p ? p->rule : "invalid",
                "%s breaks %s: %s", what, p ? p->rule : "the envelope", p ? p->reason : "");
  return 0;
}

int probe_verify_error(case_ctx *ctx, const jsonrpc_msg *m, const rpc_failure *f, long want,
                       const char *what) {
  char exp[48], got[96];
  snprintf(exp, sizeof exp, "error %ld", want);
  if (!m) {
    ctx_violation(ctx, exp, "no JSON-RPC reply", "%s: no error response (%s)", what, f->why);
    return 0;
  }
  long code = 0;
  if (jsonrpc_kind_of(m) != JSONRPC_ERROR_RESPONSE) {
    ctx_violation(ctx, exp, jsonrpc_kind_name(jsonrpc_kind_of(m)), "%s got a %s", what,
                  jsonrpc_kind_name(jsonrpc_kind_of(m)));
    return 0;
  }
  if (!jsonrpc_error_code(m, &code) || code != want) {
    snprintf(got, sizeof got, "error %ld", code);
    ctx_violation(ctx, exp, got, "%s got error code %ld", what, code);
    return 0;
  }
  ctx_checked(ctx, exp, exp);
  return 1;
}

static int is_response(const jsonrpc_msg *m) {
  jsonrpc_kind k = jsonrpc_kind_of(m);
  if (k == JSONRPC_INVALID)
    k = jsonrpc_apparent_kind(m);
  return k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE;
}

size_t probe_drain(case_ctx *ctx, http_stream *s, double deadline_ms, size_t *responses,
                   const char *method, size_t *method_count) {
  size_t n = 0;
  if (!s || http_stream_wait_headers(s, deadline_ms))
    return 0;
  for (;;) {
    rpc_failure f = {{0}};
    if (!s->is_sse && n)
      break; /* a JSON body holds one message */
    jsonrpc_msg *m = probe_next(s, deadline_ms, &f);
    if (!m)
      break;
    n++;
    probe_verify_envelope(ctx, m, "a server message");
    if (responses && is_response(m))
      (*responses)++;
    const char *mm = jsonrpc_method(m);
    if (method_count && method && mm && !strcmp(mm, method))
      (*method_count)++;
    jsonrpc_free(m);
  }
  return n;
}

const char *probe_status(const http_stream *s, char *buf, size_t len) {
  if (!s || !s->headers_done)
    snprintf(buf, len, "no response");
  else
    snprintf(buf, len, "HTTP %ld", s->status);
  return buf;
}

double probe_quiet_deadline(case_ctx *ctx) {
  double d = clock_ms() + ctx_window_ms(ctx, MCPWIRE_QUIET_WINDOW_MS);
  return d < ctx->deadline_ms ? d : ctx->deadline_ms;
}

http_stream *probe_watch_get(case_ctx *ctx, shttp *h, const char **why) {
  http_stream *get = shttp_get(h, NULL, 0);
  if (get && !http_stream_wait_headers(get, ctx_step_deadline(ctx)) && get->status == 200)
    return get;
  if (why)
    *why = get ? "refused" : "not started";
  return NULL;
}

size_t probe_quiet_responses(case_ctx *ctx, http_stream *get) {
  size_t responses = 0;
  probe_drain(ctx, get, probe_quiet_deadline(ctx), &responses, NULL, NULL);
  return responses;
}

http_stream *probe_request(shttp *h, const char *method, const char *body,
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

void probe_settle(case_ctx *ctx) {
  double until = clock_ms() + ctx_window_ms(ctx, MCPWIRE_ROUTING_SETTLE_MS);
  client_idle_until(ctx->client, until < ctx->deadline_ms ? until : ctx->deadline_ms);
}

jsonrpc_msg *probe_call(case_ctx *ctx, shttp *h, const char *id_raw, const char *method,
                        const char *params_json, http_stream **post, rpc_failure *f) {
  char id[32];
  if (!id_raw) {
    snprintf(id, sizeof id, "%ld", ++h->next_id);
    id_raw = id;
  }
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  http_stream *s = NULL;
  if (!jsonrpc_build_request(&body, id_raw, method, params_json))
    s = shttp_post(h, dynbuf_str(&body), 0);
  dynbuf_free(&body);
  if (post)
    *post = s;
  if (!s) {
    snprintf(f->why, sizeof f->why, "could not start the POST");
    return NULL;
  }
  return poll_await_response(ctx, h, s, id_raw, f);
}

int probe_finished_request(case_ctx *ctx, shttp *h, char *id, size_t idlen) {
  rpc_failure f = {{0}};
  snprintf(id, idlen, "\"mcpwire-done-%ld\"", ++h->next_id);
  jsonrpc_msg *m = probe_call(ctx, h, id, "ping", NULL, NULL, &f);
  int ok = m && jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE;
  if (!ok)
    ctx_error(ctx, "setup: a ping to cancel afterwards: %s", m ? "not a result" : f.why);
  jsonrpc_free(m);
  return ok ? 0 : -1;
}

void probe_unanswered(case_ctx *ctx, http_stream *post, const rpc_failure *f, const char *what) {
  double ms = (double)ctx->cfg->step_timeout_ms;
  char got[48];
  probe_status(post, got, sizeof got);
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

int probe_await_status(case_ctx *ctx, http_stream *s, const char *what) {
  if (s && !http_stream_wait_headers(s, ctx_step_deadline(ctx)))
    return 0;
  probe_no_status(ctx, s, what);
  return -1;
}

void probe_no_status(case_ctx *ctx, http_stream *s, const char *what) {
  if (!s)
    ctx_error(ctx, "%s: the request could not be sent", what);
  else if (http_stream_ended(s))
    ctx_error(ctx, "%s: the connection failed before any HTTP status (%s)", what,
              http_stream_error(s));
  else
    ctx_stream_held(ctx, s, client_take_census(ctx->client).answered, what);
}

jsonrpc_msg *probe_tools_page(case_ctx *ctx, void *h, const char *params_json, rpc_failure *f) {
  return probe_call(ctx, h, NULL, "tools/list", params_json, NULL, f);
}


const char *probe_init_result_lacks(const jsonrpc_msg *m) {
  static const struct {
    const char *path;
    jsonrpc_type type;
  } members[] = {{"result.protocolVersion", JSONRPC_T_STRING},
                 {"result.capabilities", JSONRPC_T_OBJECT},
                 {"result.serverInfo", JSONRPC_T_OBJECT},
                 {"result.serverInfo.name", JSONRPC_T_STRING},
                 {"result.serverInfo.version", JSONRPC_T_STRING}};
  for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
    if (jsonrpc_get_type(m, members[i].path) != members[i].type)
      return members[i].path;
  return NULL;
}

int probe_result_is_empty(const jsonrpc_msg *m) {
  if (jsonrpc_get_type(m, "result") != JSONRPC_T_OBJECT)
    return 0;
  size_t n = jsonrpc_get_count(m, "result");
  /* Every result may carry _meta (schema: Result); nothing else. */
  return n == 0 || (n == 1 && jsonrpc_get_type(m, "result._meta") == JSONRPC_T_OBJECT);
}

/* ---- fixture roles ---- */

int probe_require_fixture(case_ctx *ctx, shttp *h, fixture_role role, fixture *fx) {
  return ctx_require_fixture(ctx, probe_tools_page, h, h->init_result, role, fx);
}

const char *probe_unique_id(const char *tag, char *buf, size_t len) {
  static _Atomic unsigned long issued; /* ids and tokens given out in this run */
  unsigned long n = ++issued;
  if (tag)
    snprintf(buf, len, "\"mcpwire-%s-%lu\"", tag, n);
  else
    snprintf(buf, len, "%lu", 7100000ul + n);
  return buf;
}

http_stream *probe_fixture_post(shttp *h, const fixture *fx, const char *id_raw,
                                const char *token_raw) {
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  http_stream *s = NULL;
  if (!fixture_request(fx, id_raw, token_raw, NULL, &body))
    s = shttp_post(h, dynbuf_str(&body), 0);
  dynbuf_free(&body);
  return s;
}

/* Awaits `method` with params in h; 0 when it was a result (a tool's
 * isError counts as a failure), else -1 with why. */
static int call_ok(case_ctx *ctx, shttp *h, const char *method, const char *params,
                   http_stream **post, char *why, size_t len) {
  rpc_failure f = {{0}};
  jsonrpc_msg *m = probe_call(ctx, h, NULL, method, params, post, &f);
  int ok = m && jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE &&
           jsonrpc_get_type(m, "result.isError") != JSONRPC_T_TRUE;
  if (!ok) {
    const char *msg = m ? jsonrpc_error_message(m) : f.why;
    snprintf(why, len, "%s: %s", method, msg ? msg : "a tool error result");
  }
  jsonrpc_free(m);
  return ok ? 0 : -1;
}

/* resources/subscribe to the first resource listed (or a made-up URI). */
static int subscribe_to_a_resource(case_ctx *ctx, shttp *h, char *why, size_t len) {
  rpc_failure f = {{0}};
  jsonrpc_msg *list = probe_call(ctx, h, NULL, "resources/list", "{}", NULL, &f);
  const char *uri = list ? jsonrpc_get_string(list, "result.resources[0].uri") : NULL;
  dynbuf p;
  dynbuf_init(&p, MCPWIRE_JSON_BODY_MAX);
  dynbuf_adds(&p, "{\"uri\":");
  json_write_cstring(&p, uri ? uri : "mcpwire://fixture/watched");
  dynbuf_adds(&p, "}");
  jsonrpc_free(list);
  int rc = call_ok(ctx, h, "resources/subscribe", dynbuf_str(&p), NULL, why, len);
  dynbuf_free(&p);
  return rc;
}

static int call_fixture(case_ctx *ctx, shttp *h, const fixture *fx, http_stream **post,
                        char *why, size_t len) {
  dynbuf p;
  dynbuf_init(&p, MCPWIRE_JSON_BODY_MAX);
  int rc = fixture_params(fx, NULL, NULL, &p)
               ? -1
               : call_ok(ctx, h, "tools/call", dynbuf_str(&p), post, why, len);
  dynbuf_free(&p);
  return rc;
}

int probe_fixture_trigger(case_ctx *ctx, shttp *h, fixture *fx, http_stream **post, char *why,
                          size_t len) {
  snprintf(why, len, "could not build the call");
  if (fx->subscribe_first && !fx->toggled_on && subscribe_to_a_resource(ctx, h, why, len))
    return -1;
  if (fx->toggles && fx->toggled_on && call_fixture(ctx, h, fx, NULL, why, len))
    return -1; /* switched off; the next call switches on and notifies */
  if (call_fixture(ctx, h, fx, post, why, len))
    return -1;
  fx->toggled_on = fx->toggles;
  return 0;
}
