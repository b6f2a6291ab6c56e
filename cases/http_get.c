/* http/get: the standalone GET stream (spec: basic/transports#listening-for-messages-from-the-server). */
#include <stdio.h>

#include "cases/cases.h"

/* SHTTP-GET-03 / SHTTP-EP-01: GET gives an event stream or 405, never 404. */
static void event_stream_or_405(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    http_stream *s = shttp_get(&h, NULL, 0);
    if (!s || http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
      ctx_error(ctx, "GET got no response: %s",
                s && http_stream_ended(s) ? http_stream_error(s) : "step deadline passed");
    } else {
      const char *ct = http_stream_header(s, "Content-Type", NULL);
      char got[200];
      snprintf(got, sizeof got, "HTTP %ld, Content-Type %.120s", s->status, ct ? ct : "(none)");
      if (s->status == 405 || (s->status == 200 && http_stream_is_event_stream(s)))
        ctx_checked(ctx, "HTTP 200 text/event-stream, or HTTP 405", got);
      else
        ctx_violation(ctx, "HTTP 200 text/event-stream, or HTTP 405", got,
                      "GET on the MCP endpoint answered %s", got);
    }
  }
  shttp_free(&h);
}

const case_def http_get_cases[] = {
    {CASE_ID("http/get", "event-stream-or-405"),
     .title = "GET on the MCP endpoint opens an event stream or answers 405",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-GET-03", "SHTTP-EP-01"),
     .spec_ref = SPEC_2511 "basic/transports#listening-for-messages-from-the-server",
     .run = event_stream_or_405},
};
const size_t http_get_ncases = NCASES(http_get_cases);
