#include "verifier/call.h"

#include <stdio.h>
#include <string.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"

jsonrpc_msg *call_await(case_ctx *ctx, shttp *h, http_stream *s, const char *id_raw,
                        rpc_failure *f) {
  return shttp_await_response(h, s, id_raw, (double)ctx->cfg->step_timeout_ms, ctx->deadline_ms,
                              f);
}

jsonrpc_msg *call_request(case_ctx *ctx, shttp *h, const char *id_raw, const char *method,
                          const char *params_json, http_stream **post, rpc_failure *f) {
  char id[32];
  if (!id_raw) {
    snprintf(id, sizeof id, "%ld", ++h->next_id);
    id_raw = id;
  }
  http_stream *s = shttp_post_request(h, id_raw, method, params_json, f);
  if (post)
    *post = s;
  return s ? call_await(ctx, h, s, id_raw, f) : NULL;
}

int call_finished_request(case_ctx *ctx, shttp *h, char *id, size_t idlen) {
  rpc_failure f = {{0}};
  snprintf(id, idlen, "\"mcpwire-done-%ld\"", ++h->next_id);
  jsonrpc_msg *m = call_request(ctx, h, id, "ping", NULL, NULL, &f);
  int ok = m && jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE;
  if (!ok)
    ctx_error(ctx, "setup: a ping to cancel afterwards: %s", m ? "not a result" : f.why);
  jsonrpc_free(m);
  return ok ? 0 : -1;
}

jsonrpc_msg *call_tools_page(case_ctx *ctx, void *h, const char *params_json, rpc_failure *f) {
  return call_request(ctx, h, NULL, "tools/list", params_json, NULL, f);
}


/* ---- fixture roles ---- */

int call_require_fixture(case_ctx *ctx, shttp *h, fixture_role role, fixture *fx) {
  return ctx_require_fixture(ctx, call_tools_page, h, h->init_result, role, fx);
}

int call_require_progress(case_ctx *ctx, shttp *h, fixture_pace pace, fixture *fx) {
  if (call_require_fixture(ctx, h, FIXTURE_PROGRESS, fx))
    return -1;
  if (ctx->cfg->quick && fixture_pace_set(fx, pace))
    ctx_note(ctx, "--quick: fixture progress called with %s", fx->args);
  return 0;
}

const char *call_unique_id(const char *tag, char *buf, size_t len) {
  static _Atomic unsigned long issued; /* ids and tokens given out in this run */
  unsigned long n = ++issued;
  if (tag)
    snprintf(buf, len, "\"mcpwire-%s-%lu\"", tag, n);
  else
    snprintf(buf, len, "%lu", 7100000ul + n);
  return buf;
}

http_stream *call_fixture_post(shttp *h, const fixture *fx, const char *id_raw,
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
  jsonrpc_msg *m = call_request(ctx, h, NULL, method, params, post, &f);
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
  jsonrpc_msg *list = call_request(ctx, h, NULL, "resources/list", "{}", NULL, &f);
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

int call_fixture_trigger(case_ctx *ctx, shttp *h, fixture *fx, http_stream **post, char *why,
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
