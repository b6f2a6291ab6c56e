/* lifecycle and jsonrpc: initialize, version negotiation, ping, and the
 * JSON-RPC ids and error codes, judged on the messages alone (spec
 * basic/lifecycle, basic). Written once over verifier/peer, so the same
 * cases run on the legacy HTTP+SSE transport (answers on the stream, the
 * POST only acknowledges) and on stdio (one message per line). Streamable
 * HTTP has its own http/lifecycle and http/jsonrpc cases, which judge
 * statuses and headers as well. Until 2026-12-07 these were
 * sse/lifecycle/<name>: registry.c maps the old ids. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/exchange.h"
#include "verifier/message_check.h"
#include "verifier/peer.h"

/* A request with a raw id and no params: sent, its response awaited. */
static jsonrpc_msg *call_id(peer *p, const char *id_raw, const char *method, peer_reply *r) {
  char body[256];
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"%s\"}", id_raw, method);
  return peer_call(p, body, id_raw, r);
}

/* LIFE-INIT-04: protocolVersion, capabilities and serverInfo{name,version}. */
static void initialize_result(case_ctx *ctx) {
  peer p;
  if (!peer_open(ctx, &p)) {
    const char *lacks = message_init_result_lacks(peer_init_result(&p));
    if (lacks)
      ctx_violation(ctx, lacks, "absent or of the wrong type",
                    "InitializeResult lacks a valid %s", lacks);
    ctx_checked(ctx, "protocolVersion, capabilities, serverInfo{name,version}", "all present");
  }
  peer_free(&p);
}

/* LIFE-PING-01: ping answers {}. */
static void ping_empty_result(case_ctx *ctx) {
  peer p;
  if (!peer_open(ctx, &p)) {
    peer_reply r;
    jsonrpc_msg *m = call_id(&p, "\"p1\"", "ping", &r);
    if (!m)
      peer_unanswered(&p, &r, "ping");
    else if (!ctx->decided && verify_success_response(ctx, m, &r.f, "ping")) {
      if (!message_result_is_empty(m))
        ctx_violation(ctx, "result {}", "another result", "ping's result is not {}");
      else
        ctx_checked(ctx, "result {}", "result {}");
    }
    jsonrpc_free(m);
  }
  peer_free(&p);
}

/* One id of id_echo_exact: 1 when the case may go on. */
static int echo_one(case_ctx *ctx, peer *p, const char *id, int beyond_double) {
  peer_reply r;
  jsonrpc_msg *m = call_id(p, id, "ping", &r);
  if (!m && beyond_double && (strstr(r.f.why, "came instead") || strstr(r.f.why, "refused")))
    /* Past 2^53 servers parsing ids as doubles round or refuse them
     * (RFC 7493): a warning that says which. */
    ctx_warn(ctx, id, "another id or a refusal", "no response carrying id %s: %s", id, r.f.why);
  else if (!m && strstr(r.f.why, "came instead"))
    ctx_violation(ctx, id, "no response with that id", "no response carrying id %s: %s", id,
                  r.f.why);
  else if (!m) {
    char what[64];
    snprintf(what, sizeof what, "ping with id %s", id);
    peer_unanswered(p, &r, what);
  } else if (!ctx->decided && beyond_double) {
    size_t len = 0;
    const char *got = jsonrpc_id_raw(m, &len);
    if (!got || !jsonrpc_id_equal(got, len, id, strlen(id)))
      ctx_warn(ctx, id, "another id", "id %s did not come back exactly (rounded?)", id);
  } else if (!ctx->decided)
    verify_jsonrpc_id_echo(ctx, m, id);
  jsonrpc_free(m);
  return !ctx->decided;
}

/* JSONRPC-08: ids come back with their JSON type and exact text. */
static void id_echo_exact(case_ctx *ctx) {
  static const char *const ids[] = {"\"abc\"", "42", "0", "-7", "\"7\"", "9007199254740993"};
  enum { BEYOND_DOUBLE = 5 }; /* 2^53+1: warn only (I-JSON) */
  peer p;
  if (!peer_open(ctx, &p)) {
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
      if (!echo_one(ctx, &p, ids[i], i == BEYOND_DOUBLE))
        break;
    ctx_checked(ctx, "ids \"abc\" 42 0 -7 \"7\" 2^53+1 echoed", "all echoed with type and text");
  }
  peer_free(&p);
}

/* JSONRPC-18: an unknown method gets -32601 with the request's id. */
static void unknown_method_32601(case_ctx *ctx) {
  peer p;
  if (!peer_open(ctx, &p)) {
    peer_reply r;
    jsonrpc_msg *m = call_id(&p, "\"no-such-3\"", "mcpwire/no-such-method", &r);
    if (!m)
      peer_unanswered(&p, &r, "mcpwire/no-such-method");
    else if (!ctx->decided &&
             message_check_error(ctx, m, &r.f, JSONRPC_METHOD_NOT_FOUND, "an unknown method"))
      verify_jsonrpc_id_echo(ctx, m, "\"no-such-3\"");
    jsonrpc_free(m);
  }
  peer_free(&p);
}

/* LIFE-VER-03: initialize offering a revision no server supports gets a
 * result with a version the server supports, not an echo; an error instead
 * warns (X-09: the page shows a -32602 example beside the MUST). */
static void unsupported_version(case_ctx *ctx) {
  static const char offer[] = "1999-01-01", id[] = "\"v1999\"";
  static const char want[] = "a result with a supported protocolVersion";
  peer p;
  jsonrpc_msg *m = NULL;
  if (peer_start(ctx, &p))
    goto done;
  char body[700], got[64];
  peer_reply r;
  m = peer_call(&p, shttp_initialize_request(body, sizeof body, id, offer), id, &r);
  const char *v = m ? jsonrpc_get_string(m, "result.protocolVersion") : NULL;
  snprintf(got, sizeof got, "HTTP %ld", r.http_status);
  if (!m && r.http_status >= 400)
    ctx_warn(ctx, want, got, "initialize offering %s answered %s (an error, not a result)", offer,
             got);
  else if (!m)
    peer_unanswered(&p, &r, "initialize offering 1999-01-01");
  else if (jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE)
    ctx_warn(ctx, want, "an error response",
             "initialize offering %s got an error instead of a result", offer);
  else if (!v)
    ctx_violation(ctx, "a supported protocolVersion", "none",
                  "initialize offering %s: the result has no protocolVersion", offer);
  else if (!strcmp(v, offer))
    ctx_violation(ctx, "a version the server supports", v,
                  "the server echoed the unsupported version %s", offer);
  else
    ctx_checked(ctx, "a version the server supports", v);
  jsonrpc_free(m);
done:
  peer_free(&p);
}

/* Judges the JSON-RPC error that refused a body: its code should be
 * `want` (the codes are a table with no MUST, X-22: a warning). */
static void judge_error_code(case_ctx *ctx, const jsonrpc_msg *m, const char *how, long want,
                             const char *exp, const char *what) {
  char got[96];
  long code = 0;
  if (jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE) {
    snprintf(got, sizeof got, "%s, a result", how);
    ctx_violation(ctx, exp, got, "%s was served (a result came)", what);
  } else if (jsonrpc_error_code(m, &code) && code != want) {
    snprintf(got, sizeof got, "%s, error %ld", how, code);
    ctx_violation(ctx, exp, got, "%s was refused with error %ld, not %ld (the codes are a "
                  "table with no MUST)", what, code, want);
  } else {
    snprintf(got, sizeof got, "%s, error %ld", how, code);
    ctx_checked(ctx, exp, got);
  }
}

/* X-22 / SSELEG-16 / JSONRPC-16/17: a body the server cannot accept is
 * refused. On the legacy transport an HTTP 4xx (any body; when it is a
 * JSON-RPC error its code is judged) or an acknowledgement and a JSON-RPC
 * error on the stream; on stdio a JSON-RPC error line (its id null when
 * the body could not be read). A 2xx with nothing after it, a 5xx, a hang
 * or silence is not a refusal. id_raw: the body's id, NULL when unreadable. */
static void refusal(case_ctx *ctx, const char *body, const char *id_raw, long want,
                    const char *what) {
  peer p;
  jsonrpc_msg *m = NULL;
  if (peer_open(ctx, &p))
    goto done;
  char exp[64], how[48];
  snprintf(exp, sizeof exp, "%sa JSON-RPC error (%ld)", p.stdio ? "" : "HTTP 4xx, or ", want);
  peer_reply r;
  if (peer_send_raw(&p, body, strlen(body), &r)) {
    peer_unanswered(&p, &r, what);
    goto done;
  }
  snprintf(how, sizeof how, p.stdio ? "on stdout" : "HTTP %ld", r.http_status);
  if (!p.stdio && r.http_status >= 400 && r.http_status <= 499) {
    /* Any body passes; a JSON-RPC error in it has its code judged. */
    m = rpc_next_message(r.post, ctx_step_deadline(ctx), &r.f);
    if (m && jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE)
      judge_error_code(ctx, m, how, want, exp, what);
    else
      ctx_checked(ctx, exp, how);
  } else if (!p.stdio && r.http_status >= 300)
    ctx_violation(ctx, exp, how, "%s got %s, not a refusal", what, how);
  else if ((m = peer_await_refusal(&p, id_raw, &r)))
    judge_error_code(ctx, m, how, want, exp, what);
  else
    ctx_violation(ctx, exp, how, "%s was %s never refused: no JSON-RPC error (%s)", what,
                  p.stdio ? "written and" : "acknowledged and", r.f.why);
  jsonrpc_free(m);
done:
  peer_free(&p);
}

/* JSONRPC-16 / SSELEG-16: unparseable JSON is refused, -32700 when the
 * refusal is a JSON-RPC error. */
static void parse_error_32700(case_ctx *ctx) {
  refusal(ctx, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":", NULL, JSONRPC_PARSE_ERROR,
          "unparseable JSON");
}

/* JSONRPC-17 / SSELEG-16: a request whose method is not a string is
 * refused, -32600 when the refusal is a JSON-RPC error. */
static void invalid_request_32600(case_ctx *ctx) {
  refusal(ctx, "{\"jsonrpc\":\"2.0\",\"id\":\"nm\",\"method\":42}", "\"nm\"",
          JSONRPC_INVALID_REQUEST, "a request whose method is not a string");
}

/* Two pings as one batch line; the answer awaited: the next message that
 * is a batch, or an error, within a step (NULL with f.why). */
static jsonrpc_msg *send_batch(peer *p, const char *a, const char *b, peer_reply *r) {
  char body[200];
  snprintf(body, sizeof body, "[{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"},"
           "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}]", a, b);
  if (peer_send_raw(p, body, strlen(body), r))
    return NULL;
  double end = ctx_step_deadline(p->ctx);
  jsonrpc_msg *m;
  while ((m = peer_next(p, end, &r->f))) {
    jsonrpc_kind k = jsonrpc_apparent_kind(m);
    if (k == JSONRPC_BATCH || k == JSONRPC_ERROR_RESPONSE || k == JSONRPC_SUCCESS_RESPONSE)
      return m;
    jsonrpc_free(m);
  }
  return NULL;
}

/* Whether the batch answer holds a response to id_raw. */
static int batch_answers(const jsonrpc_msg *m, const char *id_raw) {
  for (size_t i = 0; jsonrpc_kind_of(m) == JSONRPC_BATCH && i < jsonrpc_batch_count(m); i++) {
    size_t len = 0;
    const char *id = jsonrpc_id_raw(jsonrpc_batch_at(m, i), &len);
    if (id && jsonrpc_id_equal(id, len, id_raw, strlen(id_raw)))
      return 1;
  }
  return 0;
}

/* JSONRPC-BATCH-01 / STDIO-03 (2025-03-26): a batch of requests is
 * answered by one array holding a response to each. */
static void batch_2503_answered(case_ctx *ctx) {
  peer p;
  if (!peer_open(ctx, &p)) {
    peer_reply r;
    jsonrpc_msg *m = send_batch(&p, "\"b1\"", "\"b2\"", &r);
    const char *want = "one array with the responses to b1 and b2";
    if (!m && r.send_failed)
      ctx_error(ctx, "the batch could not be sent: %s", r.f.why);
    else if (!m)
      peer_unanswered(&p, &r, "a batch of two pings");
    else if (jsonrpc_kind_of(m) != JSONRPC_BATCH)
      ctx_violation(ctx, want, "a single message", "a 2025-03-26 batch of two pings was not "
                    "answered with an array (batches are to be supported in 2025-03-26)");
    else if (!batch_answers(m, "\"b1\"") || !batch_answers(m, "\"b2\""))
      ctx_violation(ctx, want, "an array missing one", "the batch answer lacks a response");
    else
      ctx_checked(ctx, want, "both in one array");
    jsonrpc_free(m);
  }
  peer_free(&p);
}

/* JSONRPC-BATCH-05 (2025-06-18 on): batching is gone; a batch is refused
 * with an error rather than served. A SHOULD: no text says how to refuse. */
static void batch_refused_after_2503(case_ctx *ctx) {
  peer p;
  if (!peer_open(ctx, &p)) {
    peer_reply r;
    jsonrpc_msg *m = send_batch(&p, "\"b3\"", "\"b4\"", &r);
    const char *want = "a JSON-RPC error, not the batch served";
    if (!m && r.send_failed)
      ctx_error(ctx, "the batch could not be sent: %s", r.f.why);
    else if (!m && r.http_status >= 400)
      ctx_checked(ctx, want, "an HTTP error status");
    else if (!m)
      ctx_violation(ctx, want, "nothing", "a batch got no answer at all (%s)", r.f.why);
    else if (jsonrpc_kind_of(m) == JSONRPC_BATCH)
      ctx_violation(ctx, want, "an array of responses", "a batch was served at %s, which has "
                    "no batches", ctx->cfg->spec);
    else if (jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE)
      ctx_checked(ctx, want, "an error");
    else
      ctx_violation(ctx, want, "a single result", "a batch was answered with a result");
    jsonrpc_free(m);
  }
  peer_free(&p);
}

/* Every session-era revision: the legacy transport negotiates 2024-11-05,
 * a stdio server any of them. */
#define PEER_CASE(section_, name_) CASE_ID(section_, name_), \
  .transport = CASE_SSE | CASE_STDIO, .revisions = REV_ALL,  \
  .proof.transports = CASE_SSE | CASE_STDIO
/* Batches exist in 2025-03-26 only, which the legacy transport never
 * negotiates: proven on stdio. */
#define BATCH_CASE(name_, revisions_) CASE_ID("jsonrpc", name_), \
  .transport = CASE_SSE | CASE_STDIO, .revisions = revisions_, .proof.transports = CASE_STDIO

const case_def lifecycle_cases[] = {
    {PEER_CASE("lifecycle", "initialize-result"),
     .title = "InitializeResult has protocolVersion, capabilities and serverInfo",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-INIT-04"),
     .spec_ref = SPEC_2511 "basic/lifecycle#initialization", .run = initialize_result,
     .faults = FAULTS("init-missing-server-info")},
    {PEER_CASE("lifecycle", "ping-empty-result"),
     .title = "ping is answered with an empty result object",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-PING-01", "JSONRPC-10"),
     .spec_ref = SPEC_2511 "basic/utilities/ping", .run = ping_empty_result,
     .faults = FAULTS("ping-result-not-empty", "result-not-object")},
    {PEER_CASE("lifecycle", "unsupported-version"),
     .title = "An unsupported protocol revision gets one the server supports, not an echo",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-VER-03"),
     .spec_ref = SPEC_2511 "basic/lifecycle#version-negotiation", .run = unsupported_version,
     .faults = FAULTS("echo-unsupported-version")},
    {PEER_CASE("jsonrpc", "id-echo-exact"),
     .title = "Responses echo the request id with its JSON type and exact text",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-08"),
     .spec_ref = SPEC_2511 "basic#responses", .run = id_echo_exact,
     .faults = FAULTS("id-as-number", "id-as-string")},
    {PEER_CASE("jsonrpc", "unknown-method-32601"),
     .title = "An unknown method gets error -32601 with the request id",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-18"),
     .spec_ref = SPEC_2511 "basic#responses", .run = unknown_method_32601,
     .faults = FAULTS("unknown-method-result", "error-code-string", "result-and-error")},
    {PEER_CASE("jsonrpc", "parse-error-32700"),
     .title = "Unparseable JSON is refused: -32700, or on the legacy transport an HTTP 4xx",
     /* X-22; the JSON-RPC codes are a table with no MUST. */
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-16", "SSELEG-16"),
     .spec_ref = SPEC_2511 "basic#responses", .run = parse_error_32700,
     .faults = FAULTS("parse-error-wrong-code", "legacy-lenient-post")},
    {PEER_CASE("jsonrpc", "invalid-request-32600"),
     .title = "A request whose method is not a string is refused: -32600, or on the legacy "
              "transport an HTTP 4xx",
     /* X-22; the JSON-RPC codes are a table with no MUST. */
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-17", "SSELEG-16"),
     .spec_ref = SPEC_2511 "basic#responses", .run = invalid_request_32600,
     .faults = FAULTS("invalid-request-wrong-code", "legacy-lenient-post")},
    {BATCH_CASE("batch-2503-answered", REV_2025_03_26),
     .title = "A 2025-03-26 batch of requests is answered with one array",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-BATCH-01", "STDIO-03"),
     .spec_ref = "https://modelcontextprotocol.io/specification/2025-03-26/basic#batching",
     .run = batch_2503_answered, .faults = FAULTS("reject-batch")},
    {BATCH_CASE("batch-refused-after-2503", REV_2025_06_18 | REV_2025_11_25),
     .title = "From 2025-06-18 a batch is refused, not served",
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-BATCH-05", "STDIO-03"),
     .spec_ref = SPEC_2511 "basic#messages", .run = batch_refused_after_2503,
     .faults = FAULTS("accept-batch-after-2503")},
};
const size_t lifecycle_ncases = NCASES(lifecycle_cases);
