/* http/post: how the server answers POSTs (spec: basic/transports#sending-messages-to-the-server). */
#include <stdio.h>

#include "cases/cases.h"

/* SHTTP-POST-05: an accepted notification gets 202 with an empty body. */
static void notification_202(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (shttp_initialize_only(&h, ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
    ctx_error(ctx, "setup: initialize failed: %s", f.why);
    shttp_free(&h);
    return;
  }
  http_stream *s =
      shttp_post(&h, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", 0);
  if (verify_status(ctx, s, 202, "notifications/initialized")) {
    if (http_stream_wait_done(s, ctx_step_deadline(ctx)))
      ctx_violation(ctx, "empty body, response ended", "body still open",
                    "the 202 response did not end within the step deadline");
    else if (s->bytes) {
      char got[64];
      snprintf(got, sizeof got, "%llu body bytes", (unsigned long long)s->bytes);
      ctx_violation(ctx, "empty body", got, "the 202 response has a %llu-byte body",
                    (unsigned long long)s->bytes);
    } else
      ctx_checked(ctx, "HTTP 202, empty body", "HTTP 202, empty body");
  }
  shttp_free(&h);
}

const case_def http_post_cases[] = {
    {CASE_ID("http/post", "notification-202"),
     .title = "An accepted notification gets 202 Accepted with no body",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-POST-05"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = notification_202},
};
const size_t http_post_ncases = NCASES(http_post_cases);
