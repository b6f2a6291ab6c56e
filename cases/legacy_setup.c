#include "cases/legacy_setup.h"

#include <stdio.h>

int legacy_setup_open(case_ctx *ctx, legacy *l) {
  legacy_init(l, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (!legacy_connect(l, ctx_step_deadline(ctx), &f))
    return 0;
  ctx_error(ctx, "setup: SSE stream: %s", f.why);
  return -1;
}

http_stream *legacy_setup_post_initialize(case_ctx *ctx, legacy *l, const char *id_raw) {
  char params[256], body[400];
  snprintf(body, sizeof body,
           "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"initialize\",\"params\":%s}", id_raw,
           shttp_initialize_params(params, sizeof params, ctx->cfg->spec));
  return legacy_post(l, body);
}
