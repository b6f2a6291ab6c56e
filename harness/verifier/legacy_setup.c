#include "verifier/legacy_setup.h"

#include <stdio.h>

int legacy_setup_open(case_ctx *ctx, legacy *l) {
  legacy_init(l, ctx->client, ctx->cfg->url);
  return ctx_legacy_open(ctx, l);
}

http_stream *legacy_setup_post_initialize(case_ctx *ctx, legacy *l, const char *id_raw) {
  char body[700];
  return legacy_post(l, shttp_initialize_request(body, sizeof body, id_raw, ctx->cfg->spec));
}
