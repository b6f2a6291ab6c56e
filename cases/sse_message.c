/* sse/message: legacy server-to-client messages
 * (spec 2024-11-05: basic/transports#http-with-sse). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/exchange.h"
#include "verifier/legacy_setup.h"

/* SSELEG-06: the response to a POSTed request is a `message` event with the
 * request's id on the SSE stream. */
static void response_on_stream(case_ctx *ctx) {
  legacy l;
  if (legacy_setup_open(ctx, &l)) {
    legacy_free(&l);
    return;
  }
  http_stream *post = legacy_setup_post_initialize(ctx, &l, "\"init-7\"");
  if (exchange_await_status(ctx, post, "POST initialize to the endpoint")) {
    legacy_free(&l);
    return;
  }
  for (;;) {
    const stream_event *ev = http_stream_next_event(l.stream, ctx_step_deadline(ctx));
    if (!ev) {
      ctx_violation(ctx, "a message event with id \"init-7\"", "none",
                    "no response on the SSE stream (%s)",
                    http_stream_ended(l.stream) ? "stream ended" : "step deadline passed");
      break;
    }
    jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
    size_t len = 0;
    const char *id = m ? jsonrpc_id_raw(m, &len) : NULL;
    int ours = id && jsonrpc_id_equal(id, len, "\"init-7\"", 8) &&
               jsonrpc_kind_of(m) != JSONRPC_REQUEST;
    jsonrpc_free(m);
    if (!ours)
      continue;
    if (strcmp(ev->type, "message"))
      ctx_violation(ctx, "event type 'message'", ev->type,
                    "the response arrived as an event of type '%s'", ev->type);
    else
      ctx_checked(ctx, "message event with id \"init-7\"", "message event with id \"init-7\"");
    break;
  }
  legacy_free(&l);
}

const case_def sse_message_cases[] = {
    {CASE_ID("sse/message", "response-on-stream"),
     .title = "The response to a POSTed request arrives as a 'message' event on the stream",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_MUST,
     .requirements = REQS("SSELEG-06"),
     .spec_ref = SPEC_2411 "basic/transports#http-with-sse", .run = response_on_stream,
     .faults = FAULTS("legacy-wrong-event-type"),
     .proof.unbroken_by = FAULTS("endpoint-cross-origin")},
};
const size_t sse_message_ncases = NCASES(sse_message_cases);
