/* credentials: the run's Authorization header, given or left out. */
#include "verifier/credentials.h"

#include <strings.h>

static int is_authorization(const char *header_line) {
  return !strncasecmp(header_line, "Authorization:", 14);
}

int credentials_required(case_ctx *ctx) {
  for (size_t i = 0; i < ctx->cfg->transport.nheaders; i++)
    if (is_authorization(ctx->cfg->transport.headers[i]))
      return 1;
  ctx_skip(ctx, "no credentials given (--header 'Authorization: ...'): target treated as open");
  return 0;
}

client *credentials_client_without(case_ctx *ctx, transport_options *opt) {
  *opt = ctx->cfg->transport;
  opt->nheaders = 0;
  for (size_t i = 0; i < ctx->cfg->transport.nheaders; i++)
    if (!is_authorization(ctx->cfg->transport.headers[i]))
      opt->headers[opt->nheaders++] = ctx->cfg->transport.headers[i];
  client *c = client_new(opt, &ctx->log);
  if (!c)
    ctx_error(ctx, "setup: no client");
  return c;
}
