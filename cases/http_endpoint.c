/* http/endpoint: one MCP endpoint path serves POST and GET
 * (spec: basic/transports#streamable-http). */
#include <stdio.h>

#include "cases/cases.h"
#include "verifier/exchange.h"

SECTION_TABLE(http_endpoint)

/* SHTTP-EP-01: initialize POSTed to the endpoint gets 200, and GET on the
 * same path is the event stream or 405, never 404 (another path). */
static void one_path_post_and_get(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h)) {
    shttp_free(&h);
    return;
  }
  if (!verify_status(ctx, h.init_stream, 200, "initialize")) {
    shttp_free(&h);
    return;
  }
  http_stream *get = shttp_get(&h, NULL, 0);
  if (exchange_await_status(ctx, get, "GET on the endpoint")) {
    ;
  } else {
    char got[200];
    const char *ct = http_stream_header(get, "Content-Type", NULL);
    snprintf(got, sizeof got, "POST 200; GET HTTP %ld %.100s", get->status, ct ? ct : "");
    if (get->status == 405 || (get->status == 200 && http_stream_is_event_stream(get)))
      ctx_checked(ctx, "POST 200; GET 200 text/event-stream or 405", got);
    else
      ctx_violation(ctx, "POST 200; GET 200 text/event-stream or 405", got,
                    "the path that serves POST answers GET with HTTP %ld", get->status);
  }
  shttp_free(&h);
}

const case_def http_endpoint_cases[] = {
    {CASE_ID("http/endpoint", "one-path-post-and-get"),
     .title = "One endpoint path answers POST initialize and GET (stream or 405)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-EP-01"),
     .spec_ref = SPEC_2511 "basic/transports#streamable-http",
     .run = one_path_post_and_get, .faults = FAULTS("get-404", "get-wrong-content-type")},
};
const size_t http_endpoint_ncases = NCASES(http_endpoint_cases);
