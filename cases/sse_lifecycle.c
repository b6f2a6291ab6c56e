/* sse/lifecycle: initialize, version negotiation, ping and the JSON-RPC
 * envelope and error codes over the legacy HTTP+SSE transport (spec
 * 2024-11-05: basic/lifecycle, basic). Twins of the most important
 * http/lifecycle and http/jsonrpc cases: the answer comes on the SSE
 * stream, the POST only acknowledges. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/legacy_setup.h"
#include "verifier/exchange.h"
#include "verifier/message_check.h"

/* POSTs `body` (a request with the raw id id_raw) to the endpoint and
 * awaits its response on the stream. NULL with f->why; *post gets the POST
 * (NULL when it could not start). */
static jsonrpc_msg *legacy_send(case_ctx *ctx, legacy *l, const char *body, const char *id_raw,
                                http_stream **post, rpc_failure *f) {
  *post = legacy_post(l, body);
  if (!*post || http_stream_wait_headers(*post, ctx_step_deadline(ctx))) {
    snprintf(f->why, sizeof f->why, "the POST to the endpoint got no answer");
    return NULL;
  }
  /* A refused POST puts nothing on the stream: no point waiting for it. */
  if ((*post)->status >= 300) {
    snprintf(f->why, sizeof f->why, "the POST was refused with HTTP %ld", (*post)->status);
    return NULL;
  }
  jsonrpc_msg *m = rpc_await_response(l->stream, id_raw, ctx_step_deadline(ctx), f, NULL);
  if (m)
    message_check_envelope(ctx, m, "the response");
  return m;
}

/* POSTs a request with a raw id and awaits its response on the stream. */
static jsonrpc_msg *legacy_call_id(case_ctx *ctx, legacy *l, const char *id_raw,
                                   const char *method, http_stream **post, rpc_failure *f) {
  char body[256];
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"%s\"}", id_raw,
           method);
  return legacy_send(ctx, l, body, id_raw, post, f);
}

/* A request POSTed to the endpoint that got no response (post: its POST,
 * f: why). A cause on the target's side is a violation of the case: no
 * status is a hang, an error status a refusal, a 2xx with nothing on the
 * stream a lost response (SSELEG-06: responses travel on the stream).
 * ERROR only when mcpwire could not send or the connection failed. */
static void legacy_unanswered(case_ctx *ctx, const legacy *l, http_stream *post,
                              const rpc_failure *f, const char *what) {
  double ms = (double)ctx->cfg->step_timeout_ms;
  char got[48];
  exchange_status(post, got, sizeof got);
  if (!post)
    ctx_error(ctx, "%s: the request could not be sent", what);
  else if (!post->headers_done && http_stream_ended(post))
    ctx_error(ctx, "%s: the connection failed before any HTTP status (%s)", what,
              http_stream_error(post));
  else if (!post->headers_done)
    ctx_violation(ctx, "a response", "no HTTP status", "%s hung: no HTTP status within %.0f ms",
                  what, ms);
  else if (post->status >= 300)
    ctx_violation(ctx, "a response", got, "%s got %s and no JSON-RPC response", what, got);
  else
    ctx_violation(ctx, "a response on the SSE stream", got, "%s was acknowledged (%s) and never "
                  "answered on the stream%s (%s)", what, got,
                  http_stream_ended(l->stream) ? ", which ended" : "", f->why);
}

/* LIFE-INIT-04: protocolVersion, capabilities and serverInfo{name,version}. */
static void initialize_result(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (!ctx_legacy_session(ctx, &l)) {
    const char *lacks = message_init_result_lacks(l.init_result);
    if (lacks)
      ctx_violation(ctx, lacks, "absent or of the wrong type",
                    "InitializeResult lacks a valid %s", lacks);
    ctx_checked(ctx, "protocolVersion, capabilities, serverInfo{name,version}", "all present");
  }
  legacy_free(&l);
}

/* LIFE-PING-01: ping answers {}. */
static void ping_empty_result(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (!ctx_legacy_session(ctx, &l)) {
    rpc_failure f = {{0}};
    http_stream *post = NULL;
    jsonrpc_msg *m = legacy_call_id(ctx, &l, "\"p1\"", "ping", &post, &f);
    if (!ctx->decided && verify_success_response(ctx, m, &f, "ping")) {
      if (!message_result_is_empty(m))
        ctx_violation(ctx, "result {}", "another result", "ping's result is not {}");
      else
        ctx_checked(ctx, "result {}", "result {}");
    }
    jsonrpc_free(m);
  }
  legacy_free(&l);
}

/* JSONRPC-08: ids come back with their JSON type and exact text. */
static void id_echo_exact(case_ctx *ctx) {
  static const char *const ids[] = {"\"abc\"", "42", "0", "-7", "\"7\"", "9007199254740993"};
  enum { BEYOND_DOUBLE = 5 }; /* 2^53+1: warn only (I-JSON) */
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (!ctx_legacy_session(ctx, &l)) {
    for (size_t i = 0; i < sizeof ids / sizeof ids[0] && !ctx->decided; i++) {
      rpc_failure f = {{0}};
      http_stream *post = NULL;
      jsonrpc_msg *m = legacy_call_id(ctx, &l, ids[i], "ping", &post, &f);
      if (!m && i == BEYOND_DOUBLE &&
          (strstr(f.why, "came instead") || strstr(f.why, "refused")))
        /* Past 2^53 servers parsing ids as doubles round or refuse them
         * (RFC 7493): a warning that says which. */
        ctx_warn(ctx, ids[i], "another id or a refusal", "no response carrying id %s: %s",
                 ids[i], f.why);
      else if (!m && strstr(f.why, "came instead"))
        ctx_violation(ctx, ids[i], "no response with that id", "no response carrying id %s: %s",
                      ids[i], f.why);
      else if (!m) {
        char what[64];
        snprintf(what, sizeof what, "ping with id %s", ids[i]);
        legacy_unanswered(ctx, &l, post, &f, what);
      }
      else if (!ctx->decided && i == BEYOND_DOUBLE) {
        size_t len = 0;
        const char *got = jsonrpc_id_raw(m, &len);
        if (!got || !jsonrpc_id_equal(got, len, ids[i], strlen(ids[i])))
          ctx_warn(ctx, ids[i], "another id", "id %s did not come back exactly (rounded?)",
                   ids[i]);
      } else if (!ctx->decided)
        verify_jsonrpc_id_echo(ctx, m, ids[i]);
      jsonrpc_free(m);
    }
    ctx_checked(ctx, "ids \"abc\" 42 0 -7 \"7\" 2^53+1 echoed", "all echoed with type and text");
  }
  legacy_free(&l);
}

/* JSONRPC-18: an unknown method gets -32601 with the request's id. */
static void unknown_method_32601(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (!ctx_legacy_session(ctx, &l)) {
    rpc_failure f = {{0}};
    http_stream *post = NULL;
    jsonrpc_msg *m =
        legacy_call_id(ctx, &l, "\"no-such-3\"", "mcpwire/no-such-method", &post, &f);
    if (!m)
      legacy_unanswered(ctx, &l, post, &f, "mcpwire/no-such-method");
    else if (!ctx->decided &&
             message_check_error(ctx, m, &f, JSONRPC_METHOD_NOT_FOUND, "an unknown method"))
      verify_jsonrpc_id_echo(ctx, m, "\"no-such-3\"");
    jsonrpc_free(m);
  }
  legacy_free(&l);
}

/* LIFE-VER-03: initialize offering a revision no server supports gets a
 * result with a version the server supports, not an echo; an error instead
 * warns (X-09: the page shows a -32602 example beside the MUST). */
static void unsupported_version(case_ctx *ctx) {
  static const char offer[] = "1999-01-01", id[] = "\"v1999\"";
  static const char want[] = "a result with a supported protocolVersion";
  legacy l;
  jsonrpc_msg *m = NULL;
  if (legacy_setup_open(ctx, &l))
    goto done;
  char body[700], got[64];
  rpc_failure f = {{0}};
  http_stream *post = NULL;
  m = legacy_send(ctx, &l, shttp_initialize_request(body, sizeof body, id, offer),
                               id, &post, &f);
  const char *v = m ? jsonrpc_get_string(m, "result.protocolVersion") : NULL;
  if (!m && post && post->headers_done && post->status >= 400)
    ctx_warn(ctx, want, exchange_status(post, got, sizeof got),
             "initialize offering %s answered %s (an error, not a result)", offer, got);
  else if (!m)
    legacy_unanswered(ctx, &l, post, &f, "initialize offering 1999-01-01");
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
  legacy_free(&l);
}

/* The first error response on the stream whose id is id_raw, or null or
 * absent (a request the server could not read), before the step deadline;
 * a success response with id_raw comes back too. NULL with f->why. */
static jsonrpc_msg *await_refusal(case_ctx *ctx, legacy *l, const char *id_raw,
                                  rpc_failure *f) {
  double end = ctx_step_deadline(ctx);
  jsonrpc_msg *m;
  while ((m = rpc_next_message(l->stream, end, f))) {
    size_t len = 0;
    const char *id = jsonrpc_id_raw(m, &len);
    jsonrpc_kind k = jsonrpc_kind_of(m);
    int ours = id_raw && id && jsonrpc_id_equal(id, len, id_raw, strlen(id_raw));
    int unread = !id || (len == 4 && !memcmp(id, "null", 4));
    if ((k == JSONRPC_ERROR_RESPONSE && (ours || unread)) ||
        (k == JSONRPC_SUCCESS_RESPONSE && ours))
      return m;
    jsonrpc_free(m);
  }
  return NULL;
}

/* Judges the JSON-RPC error that refused a body: its code should be
 * `want` (the codes are a table with no MUST, X-22: a warning). */
static void judge_error_code(case_ctx *ctx, const jsonrpc_msg *m, const char *status, long want,
                             const char *what) {
  char exp[64], got[96];
  snprintf(exp, sizeof exp, "HTTP 4xx, or a JSON-RPC error (%ld)", want);
  long code = 0;
  if (jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE) {
    snprintf(got, sizeof got, "%s, a result", status);
    ctx_violation(ctx, exp, got, "%s was served (a result came on the stream)", what);
  } else if (jsonrpc_error_code(m, &code) && code != want) {
    snprintf(got, sizeof got, "%s, error %ld", status, code);
    ctx_violation(ctx, exp, got, "%s was refused with error %ld, not %ld (the codes are a "
                  "table with no MUST)", what, code, want);
  } else {
    snprintf(got, sizeof got, "%s, error %ld", status, code);
    ctx_checked(ctx, exp, got);
  }
}

/* X-22 / SSELEG-16 / JSONRPC-16/17 on the legacy transport: a body the
 * server cannot accept is refused with an HTTP 4xx (any body; when it is a
 * JSON-RPC error, its code is judged), or acknowledged and refused with a
 * JSON-RPC error on the stream. A 2xx with nothing on the stream, a 5xx or
 * a hang is not a refusal. id_raw: the body's id, NULL when unreadable. */
static void legacy_refusal(case_ctx *ctx, const char *body, const char *id_raw, long want,
                           const char *what) {
  legacy l;
  jsonrpc_msg *m = NULL;
  if (legacy_setup_open(ctx, &l))
    goto done;
  http_stream *post = legacy_post(&l, body);
  char status[48], exp[64];
  snprintf(exp, sizeof exp, "HTTP 4xx, or a JSON-RPC error (%ld)", want);
  rpc_failure f = {{0}};
  if (!post || http_stream_wait_headers(post, ctx_step_deadline(ctx))) {
    legacy_unanswered(ctx, &l, post, &f, what);
    goto done;
  }
  exchange_status(post, status, sizeof status);
  if (exchange_is_4xx(post)) {
    m = rpc_next_message(post, ctx_step_deadline(ctx), &f);
    if (m && jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE)
      judge_error_code(ctx, m, status, want, what);
    else
      ctx_checked(ctx, exp, status);
  } else if (post->status >= 300) {
    ctx_violation(ctx, exp, status, "%s got %s, not a refusal", what, status);
  } else if ((m = await_refusal(ctx, &l, id_raw, &f))) {
    message_check_envelope(ctx, m, "the refusal");
    if (!ctx->decided)
      judge_error_code(ctx, m, status, want, what);
  } else {
    ctx_violation(ctx, exp, status, "%s was acknowledged (%s) and never refused: no error on "
                  "the stream (%s)", what, status, f.why);
  }
  jsonrpc_free(m);
done:
  legacy_free(&l);
}

/* JSONRPC-16 / SSELEG-16: unparseable JSON is refused, -32700 when the
 * refusal is a JSON-RPC error. */
static void parse_error_32700(case_ctx *ctx) {
  legacy_refusal(ctx, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":", NULL, JSONRPC_PARSE_ERROR,
                 "unparseable JSON");
}

/* JSONRPC-17 / SSELEG-16: a request whose method is not a string is
 * refused, -32600 when the refusal is a JSON-RPC error. */
static void invalid_request_32600(case_ctx *ctx) {
  legacy_refusal(ctx, "{\"jsonrpc\":\"2.0\",\"id\":\"nm\",\"method\":42}", "\"nm\"",
                 JSONRPC_INVALID_REQUEST, "a request whose method is not a string");
}

#define SSE_CASE(name_) CASE_ID("sse/lifecycle", name_), .transport = CASE_SSE, \
  .revisions = REV_2024_11_05

const case_def sse_lifecycle_cases[] = {
    {SSE_CASE("initialize-result"),
     .title = "InitializeResult has protocolVersion, capabilities and serverInfo (legacy)",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-INIT-04"),
     .spec_ref = SPEC_2411 "basic/lifecycle#initialization", .run = initialize_result,
     .faults = FAULTS("init-missing-server-info")},
    {SSE_CASE("ping-empty-result"),
     .title = "ping is answered with an empty result object (legacy)",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-PING-01", "JSONRPC-10"),
     .spec_ref = SPEC_2411 "basic/utilities/ping", .run = ping_empty_result,
     .faults = FAULTS("ping-result-not-empty", "result-not-object")},
    {SSE_CASE("id-echo-exact"),
     .title = "Responses echo the request id with its JSON type and exact text (legacy)",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-08"),
     .spec_ref = SPEC_2411 "basic#responses", .run = id_echo_exact,
     .faults = FAULTS("id-as-number", "id-as-string")},
    {SSE_CASE("unknown-method-32601"),
     .title = "An unknown method gets error -32601 with the request id (legacy)",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-18"),
     .spec_ref = SPEC_2411 "basic#responses", .run = unknown_method_32601,
     .faults = FAULTS("unknown-method-result", "error-code-string", "result-and-error")},
    {SSE_CASE("unsupported-version"),
     .title = "An unsupported protocol revision gets one the server supports, not an echo "
              "(legacy)",
     .level = LEVEL_MUST, .requirements = REQS("LIFE-VER-03"),
     .spec_ref = SPEC_2411 "basic/lifecycle#version-negotiation", .run = unsupported_version,
     .faults = FAULTS("echo-unsupported-version")},
    {SSE_CASE("parse-error-32700"),
     .title = "Unparseable JSON is refused with -32700 on the stream, or with an HTTP 4xx "
              "(legacy)",
     /* X-22; the JSON-RPC codes are a table with no MUST. */
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-16", "SSELEG-16"),
     .spec_ref = SPEC_2411 "basic/transports#http-with-sse", .run = parse_error_32700,
     .faults = FAULTS("parse-error-wrong-code", "legacy-lenient-post")},
    {SSE_CASE("invalid-request-32600"),
     .title = "A request whose method is not a string is refused with -32600, or with an "
              "HTTP 4xx (legacy)",
     /* X-22; the JSON-RPC codes are a table with no MUST. */
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-17", "SSELEG-16"),
     .spec_ref = SPEC_2411 "basic/transports#http-with-sse", .run = invalid_request_32600,
     .faults = FAULTS("invalid-request-wrong-code", "legacy-lenient-post")},
};
const size_t sse_lifecycle_ncases = NCASES(sse_lifecycle_cases);
