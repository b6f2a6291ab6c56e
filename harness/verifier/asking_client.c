#include "verifier/asking_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcpwire_limits.h"
#include "verifier/call.h"

const char *asking_initialize_params(char *buf, size_t len, const char *version) {
  snprintf(buf, len,
           "{\"protocolVersion\":\"%s\",\"capabilities\":%s,"
           "\"clientInfo\":{\"name\":\"mcpwire\",\"version\":\"0.1.0\"}}",
           version, ASKING_CAPABILITIES);
  return buf;
}

int asking_is_client_request(const jsonrpc_msg *m) {
  static const char *const methods[] = {"sampling/createMessage", "elicitation/create",
                                        "roots/list"};
  const char *method = jsonrpc_method(m);
  for (size_t i = 0; method && i < sizeof methods / sizeof methods[0]; i++)
    if (!strcmp(method, methods[i]))
      return 1;
  return 0;
}

int asking_answer(const jsonrpc_msg *req, dynbuf *out) {
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
  return jsonrpc_build_result(out, id, len, result);
}

void asking_judge_ids(case_ctx *ctx, const char *tool, const char *first, const char *second) {
  if (!first[0] || !second[0])
    ctx_skip(ctx, "%s sent no request to the client", tool);
  else if (jsonrpc_id_equal(first, strlen(first), second, strlen(second)))
    ctx_violation(ctx, "two distinct request ids", first,
                  "the server used request id %s twice in one session", first);
  else
    ctx_checked(ctx, "two distinct request ids", "distinct");
}

int asking_session(case_ctx *ctx, shttp *h) {
  char params[400];
  asking_initialize_params(params, sizeof params, ctx->cfg->spec);
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
  dynbuf answer;
  dynbuf_init(&answer, MCPWIRE_JSON_BODY_MAX);
  asking_answer(req, &answer);
  http_stream *s = shttp_post(h, dynbuf_str(&answer), 0);
  dynbuf_free(&answer);
  return s;
}
