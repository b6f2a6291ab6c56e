/* http/batch: JSON-RPC batches by revision. 2025-03-26 requires them;
 * 2025-06-18 removed them (spec: 2025-03-26 basic#batching, transports). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/exchange.h"
#include "verifier/message_check.h"
#include "verifier/call.h"

static const char REV_BATCH[] = "2025-03-26";
#define SPEC_2503 "https://modelcontextprotocol.io/specification/2025-03-26/"

/* A fresh h initialised at `version`; skips when the server picks another
 * one. 0 on success. */
static int session_at(case_ctx *ctx, shttp *h, const char *version) {
  shttp_init(h, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (shttp_initialize(h, version, ctx_step_deadline(ctx), &f)) {
    ctx_error(ctx, "setup: initialize offering %s: %s", version, f.why);
    return -1;
  }
  if (strcmp(h->protocol_version, version)) {
    ctx_skip(ctx, "the target does not negotiate %s (answered %s)", version,
             h->protocol_version);
    return -1;
  }
  return 0;
}

/* 1 when m (a message or a batch member) is error -32600 Invalid Request. */
static int is_invalid_request(const jsonrpc_msg *m) {
  long code = 0;
  return m && jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE && jsonrpc_error_code(m, &code) &&
         code == JSONRPC_INVALID_REQUEST;
}

/* Adds the responses of one message (or of each batch member) to *seen,
 * as bits by id index in `ids`. */
static void mark_ids(const jsonrpc_msg *m, const char *const *ids, size_t n, unsigned *seen) {
  size_t count = jsonrpc_kind_of(m) == JSONRPC_BATCH ? jsonrpc_batch_count(m) : 1;
  for (size_t i = 0; i < count; i++) {
    const jsonrpc_msg *one = jsonrpc_kind_of(m) == JSONRPC_BATCH ? jsonrpc_batch_at(m, i) : m;
    size_t len = 0;
    const char *id = jsonrpc_id_raw(one, &len);
    for (size_t k = 0; id && k < n; k++)
      if (jsonrpc_kind_of(one) == JSONRPC_SUCCESS_RESPONSE &&
          jsonrpc_id_equal(id, len, ids[k], strlen(ids[k])))
        *seen |= 1u << k;
  }
}

/* JSONRPC-BATCH-01: a batch of two pings gets both answers (a JSON array
 * or SSE events, any order). */
static void requests_answered(case_ctx *ctx) {
  static const char *const ids[] = {"\"b1\"", "\"b2\""};
  shttp h;
  if (session_at(ctx, &h, REV_BATCH))
    goto done;
  http_stream *s = shttp_post(&h, "[{\"jsonrpc\":\"2.0\",\"id\":\"b1\",\"method\":\"ping\"},"
                                  "{\"jsonrpc\":\"2.0\",\"id\":\"b2\",\"method\":\"ping\"}]", 0);
  unsigned seen = 0;
  double end = ctx_step_deadline(ctx);
  while (s && seen != 3u) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = exchange_next(s, end, &f);
    if (!m)
      break;
    message_check_envelope(ctx, m, "the batch reply");
    mark_ids(m, ids, 2, &seen);
    jsonrpc_free(m);
    if (!s->is_sse)
      break;
  }
  char st[48], got[160];
  int hung = s && !http_stream_ended(s) && clock_ms() >= end;
  snprintf(got, sizeof got, "%s, %d of 2 answered%s", exchange_status(s, st, sizeof st),
           (seen & 1u) + ((seen >> 1) & 1u), hung ? ", the batch still open at the deadline" : "");
  if (seen != 3u && hung)
    ctx_violation(ctx, "both pings answered", got, "a 2025-03-26 batch of pings hung: %s after "
                  "%.0f ms", got, (double)ctx->cfg->step_timeout_ms);
  else if (seen != 3u)
    ctx_violation(ctx, "both pings answered", got, "a 2025-03-26 batch of pings: %s", got);
  else
    ctx_checked(ctx, "both pings answered", got);
done:
  shttp_free(&h);
}

/* JSONRPC-BATCH-02 / SHTTP-POST-05 (2025-03-26 basic/transports: input
 * "solely" of notifications or responses, accepted, gets 202 and no body).
 * The notifications are real and harmless: cancels of two pings that have
 * already finished (LIFE-CANCEL-06). */
static void notifications_202(case_ctx *ctx) {
  shttp h;
  char id1[64], id2[64], body[400];
  if (session_at(ctx, &h, REV_BATCH) || call_finished_request(ctx, &h, id1, sizeof id1) ||
      call_finished_request(ctx, &h, id2, sizeof id2))
    goto done;
  snprintf(body, sizeof body,
           "[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
           "{\"requestId\":%s,\"reason\":\"mcpwire batch probe\"}},"
           "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
           "{\"requestId\":%s,\"reason\":\"mcpwire batch probe\"}}]", id1, id2);
  http_stream *s = shttp_post(&h, body, 0);
  if (!s) {
    ctx_error(ctx, "could not start the POST");
    goto done;
  }
  int hung = http_stream_wait_done(s, ctx_step_deadline(ctx)) != 0;
  char st[48];
  exchange_status(s, st, sizeof st);
  if (!s->headers_done || hung)
    ctx_violation(ctx, "HTTP 202 with no body", st, "a batch of notifications %s within %.0f ms "
                  "(%s)", s->headers_done ? "did not complete" : "got no answer",
                  (double)ctx->cfg->step_timeout_ms, st);
  else if (s->status != 202 || rpc_body_has_message(s) || s->body.len)
    ctx_violation(ctx, "HTTP 202 with no body", st, "a batch of notifications got %s%s", st,
                  s->body.len ? " with a body" : "");
  else
    ctx_checked(ctx, "HTTP 202 with no body", st);
done:
  shttp_free(&h);
}

/* bodies MCP forbids (2025-03-26 basic/transports: a POST body is a
 * request, notification or response, or a batch of them) but JSON-RPC
 * answers. An HTTP 4xx with any body passes: 1 then (the verdict
 * set); otherwise the envelope of the reply, if any, is verified and 0. */
static int refused_either_way(case_ctx *ctx, const exchange_reply *r, const char *exp) {
  if (exchange_is_4xx(r->post)) {
    ctx_checked(ctx, exp, r->status);
    return 1;
  }
  if (r->msg)
    message_check_envelope(ctx, r->msg, "the reply");
  return 0;
}

/* Silence or a hang on a forbidden body: a finding, with the deadline. */
static void no_reply(case_ctx *ctx, const exchange_reply *r, const char *exp, const char *what) {
  ctx_violation(ctx, exp, r->status, "%s got %s within %.0f ms (%s)", what,
                r->post && r->post->headers_done ? "no answer" : "no HTTP status",
                (double)ctx->cfg->step_timeout_ms, r->f.why);
}

/* JSONRPC-BATCH-03, X-20: [] is one Invalid Request error in JSON-RPC 2.0
 * (a MUST there); MCP forbids the body, so an HTTP 4xx passes too, and a
 * 202 meets MCP's "solely (any number of) notifications or responses"
 * wording: a warning at most. */
static void empty_invalid(case_ctx *ctx) {
  static const char exp[] = "HTTP 4xx, or one error -32600";
  shttp h;
  if (session_at(ctx, &h, REV_BATCH))
    goto done;
  exchange_reply r;
  exchange_send(ctx, &h, "[]", NULL, &r);
  long code = 0;
  if (refused_either_way(ctx, &r, exp) || ctx->decided)
    ;
  else if (r.post && r.post->headers_done && r.post->status == 202)
    ctx_violation(ctx, exp, "HTTP 202", "[] was taken as a body of no requests (HTTP 202); "
                  "JSON-RPC 2.0 wants one Invalid Request error (X-20)");
  else if (r.msg && jsonrpc_kind_of(r.msg) == JSONRPC_BATCH)
    ctx_violation(ctx, exp, "an array", "[] was answered with an array, JSON-RPC 2.0 wants a "
                  "single error");
  else if (r.msg && jsonrpc_kind_of(r.msg) == JSONRPC_ERROR_RESPONSE &&
           jsonrpc_error_code(r.msg, &code) && code != JSONRPC_INVALID_REQUEST)
    ctx_violation(ctx, exp, "another error code", "[] got error %ld, not -32600", code);
  else if (r.msg && jsonrpc_kind_of(r.msg) == JSONRPC_ERROR_RESPONSE)
    ctx_checked(ctx, exp, "error -32600");
  else if (r.msg)
    ctx_violation(ctx, exp, jsonrpc_kind_name(jsonrpc_kind_of(r.msg)), "[] got a %s",
                  jsonrpc_kind_name(jsonrpc_kind_of(r.msg)));
  else
    no_reply(ctx, &r, exp, "[]");
  jsonrpc_free(r.msg);
done:
  shttp_free(&h);
}

/* JSONRPC-BATCH-03, X-20: [1] is a batch with one invalid member. JSON-RPC
 * 2.0 shows an array holding one -32600 error only as an example; MCP
 * forbids the body, so an HTTP 4xx passes too. Never a failure. */
static void invalid_member(case_ctx *ctx) {
  static const char exp[] = "HTTP 4xx, or [ error -32600 ]";
  shttp h;
  if (session_at(ctx, &h, REV_BATCH))
    goto done;
  exchange_reply r;
  exchange_send(ctx, &h, "[1]", NULL, &r);
  const jsonrpc_msg *m = r.msg;
  const jsonrpc_msg *one = m && jsonrpc_kind_of(m) == JSONRPC_BATCH && jsonrpc_batch_count(m) == 1
                               ? jsonrpc_batch_at(m, 0) : NULL;
  if (refused_either_way(ctx, &r, exp) || ctx->decided)
    ;
  else if (is_invalid_request(one))
    ctx_checked(ctx, exp, "[ error -32600 ]");
  else if (is_invalid_request(m) && r.post->is_sse)
    /* On SSE each response of a batch may be its own event. */
    ctx_checked(ctx, "error -32600 for the member", "error -32600 as an SSE event");
  else if (is_invalid_request(m))
    ctx_warn(ctx, exp, "error -32600 outside an array",
             "[1] got a single error, JSON-RPC 2.0's example shows an array of one");
  else if (r.post && r.post->headers_done && r.post->status == 202)
    ctx_violation(ctx, exp, "HTTP 202", "[1] got HTTP 202 and no answer: JSON-RPC 2.0 "
                  "answers an invalid member with an Invalid Request error");
  else if (m)
    ctx_violation(ctx, exp, jsonrpc_kind_name(jsonrpc_kind_of(m)),
                  "[1] was not answered with an Invalid Request error (%s)", r.status);
  else
    no_reply(ctx, &r, exp, "[1]");
  jsonrpc_free(r.msg);
done:
  shttp_free(&h);
}

/* JSONRPC-BATCH-05: after 2025-03-26 an array is refused (4xx or -32600);
 * serving it is tolerated with a warning. Runs at the run's own revision. */
static void refused_after_2503(case_ctx *ctx) {
  const char *version = ctx->cfg->spec;
  shttp h;
  if (session_at(ctx, &h, version))
    goto done;
  exchange_reply r;
  exchange_send(ctx, &h, "[{\"jsonrpc\":\"2.0\",\"id\":\"a1\",\"method\":\"ping\"}]", NULL, &r);
  int refused_rpc = is_invalid_request(r.msg);
  if (exchange_is_4xx(r.post) || refused_rpc)
    ctx_checked(ctx, "HTTP 4xx or error -32600", refused_rpc ? "error -32600" : r.status);
  else if (!ctx->decided)
    ctx_violation(ctx, "HTTP 4xx or error -32600",
                  r.msg ? jsonrpc_kind_name(jsonrpc_kind_of(r.msg)) : r.status,
                  "a batch was processed at %s, where batching no longer exists (%s)", version,
                  r.status);
  jsonrpc_free(r.msg);
done:
  shttp_free(&h);
}

#define BATCH_CASE(name_) CASE_ID("http/batch", name_), .transport = CASE_HTTP, \
  .revisions = REV_SHTTP, .spec_ref = SPEC_2503 "basic#batching"

const case_def http_batch_cases[] = {
    {BATCH_CASE("2503-requests-answered"),
     .title = "At 2025-03-26 a batch of two pings gets both responses",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-BATCH-01", "SHTTP-POST-04"),
     .run = requests_answered, .faults = FAULTS("reject-batch")},
    {BATCH_CASE("2503-notifications-202"),
     .title = "At 2025-03-26 a batch of notifications gets 202 with no body",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-BATCH-02"), .run = notifications_202,
     .faults = FAULTS("batch-notifications-not-202", "reject-batch")},
    {BATCH_CASE("2503-empty-invalid"),
     .title = "At 2025-03-26 an empty batch [] gets one -32600 error or an HTTP 4xx",
     /* MCP forbids the body; a 202 for it is a warning at most. */
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-BATCH-03"), .run = empty_invalid,
     .faults = FAULTS("empty-batch-accepted")},
    {BATCH_CASE("2503-invalid-member"),
     .title = "At 2025-03-26 the batch [1] gets [ -32600 ] or an HTTP 4xx",
     /* the array of errors is JSON-RPC's example, not a MUST. */
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-BATCH-03"), .run = invalid_member,
     .faults = FAULTS("empty-batch-accepted")},
    {CASE_ID("http/batch", "refused-after-2503"), .transport = CASE_HTTP,
     .spec_ref = SPEC_2511 "basic/transports#sending-messages-to-the-server",
     .title = "After 2025-03-26 a batch is refused (HTTP 4xx or -32600)",
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-BATCH-05", "SHTTP-POST-03"),
     .revisions = REV_2025_06_18 | REV_2025_11_25, .run = refused_after_2503,
     .faults = FAULTS("accept-batch-after-2503")},
};
const size_t http_batch_ncases = NCASES(http_batch_cases);
