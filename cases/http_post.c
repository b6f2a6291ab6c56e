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

/* SHTTP-POST-06: a notification the server cannot accept gets an HTTP error;
 * a body, if any, is a JSON-RPC error without an id. */
static void invalid_notification_4xx(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h)) {
    shttp_free(&h);
    return;
  }
  http_stream *s =
      shttp_post(&h, "{\"jsonrpc\":\"1.0\",\"method\":\"notifications/initialized\"}", 0);
  if (!s || http_stream_wait_done(s, ctx_step_deadline(ctx)) || !s->status) {
    ctx_error(ctx, "the invalid notification got no complete answer");
    shttp_free(&h);
    return;
  }
  char got[64];
  snprintf(got, sizeof got, "HTTP %ld", s->status);
  if (s->status < 400 || s->status > 499) {
    ctx_violation(ctx, "HTTP 4xx", got, "a notification with jsonrpc \"1.0\" answered HTTP %ld",
                  s->status);
  } else if (s->body.len) {
    jsonrpc_msg *m = jsonrpc_parse(s->body.ptr, s->body.len);
    jsonrpc_type id = m ? jsonrpc_get_type(m, "id") : JSONRPC_T_ABSENT;
    if (!m || jsonrpc_get_type(m, "error") != JSONRPC_T_OBJECT)
      ctx_violation(ctx, "no body, or a JSON-RPC error", "another body",
                    "the HTTP %ld body is not a JSON-RPC error", s->status);
    else if (id == JSONRPC_T_NULL)
      ctx_warn(ctx, "an error without id", "\"id\":null",
               "the error answering a notification carries id null");
    else if (id != JSONRPC_T_ABSENT)
      ctx_violation(ctx, "an error without id", "an id",
                    "the error answering a notification carries an id");
    else
      ctx_checked(ctx, "HTTP 4xx, JSON-RPC error without id", got);
    jsonrpc_free(m);
  } else {
    ctx_checked(ctx, "HTTP 4xx", got);
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
    {CASE_ID("http/post", "invalid-notification-4xx"),
     .title = "A notification the server cannot accept gets an HTTP 4xx",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-POST-06"),
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .run = invalid_notification_4xx},
};
const size_t http_post_ncases = NCASES(http_post_cases);
