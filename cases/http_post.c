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

/* SHTTP-POST-07: a request's reply is application/json or text/event-stream. */
static void request_content_type(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s = shttp_post(&h, "{\"jsonrpc\":\"2.0\",\"id\":71,\"method\":\"ping\"}", 0);
    if (verify_status(ctx, s, 200, "ping")) {
      const char *ct = http_stream_header(s, "Content-Type", NULL);
      char got[160];
      snprintf(got, sizeof got, "Content-Type: %.120s", ct ? ct : "(none)");
      int ok = ct && (http_media_type_is(ct, "application/json") ||
                      http_media_type_is(ct, "text/event-stream"));
      if (!ok)
        ctx_violation(ctx, "application/json or text/event-stream", got,
                      "the reply to a request is served as %s", ct ? ct : "(no Content-Type)");
      else
        ctx_checked(ctx, "application/json or text/event-stream", got);
    }
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
    {CASE_ID("http/post", "request-content-type"),
     .title = "The reply to a request is application/json or text/event-stream",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-POST-07"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = request_content_type},
};
const size_t http_post_ncases = NCASES(http_post_cases);
