#include "verifier/asking_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcpwire_limits.h"
#include "verifier/call.h"

int asking_session(case_ctx *ctx, shttp *h) {
  char params[400];
  snprintf(params, sizeof params,
           "{\"protocolVersion\":\"%s\",\"capabilities\":{\"elicitation\":{},\"sampling\":{}},"
           "\"clientInfo\":{\"name\":\"mcpwire\",\"version\":\"0.1.0\"}}",
           ctx->cfg->spec);
  rpc_failure f = {{0}};
  http_stream *s = NULL;
  jsonrpc_msg *m = call_request(ctx, h, NULL, "initialize", params, &s, &f);
  if (!m || jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE) {
    ctx_error(ctx, "setup: initialize failed: %s", m ? "error response" : f.why);
    jsonrpc_free(m);
    return -1;
  }
  h->init_result = m;
  h->init_stream = s;
  const char *v = jsonrpc_get_string(m, "result.protocolVersion");
  const char *sid = http_stream_header(s, "Mcp-Session-Id", NULL);
  snprintf(h->protocol_version, sizeof h->protocol_version, "%s", v ? v : "");
  if (sid && !(h->session_id = strdup(sid))) {
    ctx_error(ctx, "setup: out of memory");
    return -1;
  }
  http_stream *n =
      shttp_post(h, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", 0);
  if (!n || http_stream_wait_done(n, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "setup: notifications/initialized got no answer in time");
    return -1;
  }
  return 0;
}

http_stream *asking_post_answer(shttp *h, const jsonrpc_msg *req) {
  size_t len = 0;
  const char *id = jsonrpc_id_raw(req, &len);
  const char *method = jsonrpc_method(req);
  const char *result =
      !method                                    ? "{}"
      : !strcmp(method, "sampling/createMessage") ? "{\"role\":\"assistant\",\"content\":"
                                                    "{\"type\":\"text\",\"text\":\"ok\"},"
                                                    "\"model\":\"mcpwire\"}"
      : !strcmp(method, "roots/list")             ? "{\"roots\":[]}"
                                                  : "{\"action\":\"decline\"}";
  dynbuf answer;
  dynbuf_init(&answer, MCPWIRE_JSON_BODY_MAX);
  jsonrpc_build_result(&answer, id, len, result);
  http_stream *s = shttp_post(h, dynbuf_str(&answer), 0);
  dynbuf_free(&answer);
  return s;
}
