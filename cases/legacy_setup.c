#include "cases/legacy_setup.h"

#include <stdio.h>

int legacy_setup_open(case_ctx *ctx, legacy *l) {
  legacy_init(l, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (legacy_connect(l, ctx_step_deadline(ctx), &f)) {
    ctx_error(ctx, "setup: SSE stream: %s", f.why);
    return -1;
  }
  if (l->endpoint_foreign) {
    char why[600];
    ctx_skip(ctx, "%s", legacy_refuse_endpoint(l, why, sizeof why));
    return -1;
  }
  return 0;
}

http_stream *legacy_setup_post_initialize(case_ctx *ctx, legacy *l, const char *id_raw) {
  char body[700];
  return legacy_post(l, shttp_initialize_request(body, sizeof body, id_raw, ctx->cfg->spec));
}
