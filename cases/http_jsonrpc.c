/* http/jsonrpc: the JSON-RPC envelope over Streamable HTTP (spec: basic#responses). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/asking_client.h"
#include "cases/cases.h"
#include "verifier/exchange.h"
#include "verifier/message_check.h"
#include "verifier/call.h"
#include "mcpwire_limits.h"

/* JSONRPC-08: ids come back with the same type and value. */
static void id_echo_exact(case_ctx *ctx) {
  /* The last two are integers past 2^53 (index BEYOND_DOUBLE on). */
  static const char *const ids[] = {"\"abc\"", "42", "0", "-7", "\"7\"",
                                    "9007199254740993", "12345678901234567890"};
  enum { BEYOND_DOUBLE = 5 };
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) == 0) {
    for (size_t i = 0; i < sizeof ids / sizeof ids[0] && !ctx->decided; i++) {
      rpc_failure f = {{0}};
      http_stream *post = NULL;
      jsonrpc_msg *m = call_request(ctx, &h, ids[i], "ping", NULL, &post, &f);
      if (!m && strstr(f.why, "came instead") && i >= BEYOND_DOUBLE) {
        ctx_warn(ctx, ids[i], "another id", "no response carrying id %s (an integer past "
                 "2^53, rounded?): %s", ids[i], f.why);
      } else if (!m && strstr(f.why, "came instead")) {
        /* On SSE, responses are matched by raw id: another id came back. */
        ctx_violation(ctx, ids[i], "no response with that id",
                      "no response carrying id %s: %s", ids[i], f.why);
      } else if (!m && post && http_stream_ended(post) && post->status == 200) {
        /* No response at all (e.g. a stream closed for polling): other
         * cases judge that; ids cannot be. */
        ctx_skip(ctx, "ping with id %s: the POST stream ended without a response (%s)", ids[i],
                 f.why);
      } else if (!m) {
        char what[64];
        snprintf(what, sizeof what, "ping with id %s", ids[i]);
        exchange_unanswered(ctx, post, &f, what);
      } else if (message_check_envelope(ctx, m, "ping response") && i >= BEYOND_DOUBLE) {
        /* Integers past 2^53 are not interoperable in I-JSON (RFC 7493):
         * a server parsing ids as doubles rounds them. Warn only. */
        size_t len = 0;
        const char *got = jsonrpc_id_raw(m, &len);
        long code = 0;
        if (jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE && jsonrpc_error_code(m, &code))
          ctx_warn(ctx, ids[i], "a refusal", "the request with id %s (an integer past 2^53) "
                   "was refused with error %ld", ids[i], code);
        else if (!got || !jsonrpc_id_equal(got, len, ids[i], strlen(ids[i])))
          ctx_warn(ctx, ids[i], got ? "another id" : "no id",
                   "id %s came back as %.*s (an integer past 2^53, rounded?)", ids[i],
                   got ? (int)(len > 40 ? 40 : len) : 6, got ? got : "absent");
      } else if (!ctx->decided)
        verify_jsonrpc_id_echo(ctx, m, ids[i]);
      jsonrpc_free(m);
    }
    if (!ctx->decided)
      ctx_checked(ctx, "ids \"abc\" 42 0 -7 \"7\" 2^53+1 2^64-ish echoed",
                  "all echoed with type and text");
  }
  shttp_free(&h);
}

/* JSONRPC-18: an unknown method gets -32601 with the request's id. */
static void unknown_method_32601(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    rpc_failure f = {{0}};
    http_stream *post = NULL;
    jsonrpc_msg *m =
        call_request(ctx, &h, "\"no-such-91\"", "mcpwire/no-such-method", NULL, &post, &f);
    if (!m)
      exchange_unanswered(ctx, post, &f, "mcpwire/no-such-method");
    else if (message_check_envelope(ctx, m, "the error response") &&
             message_check_error(ctx, m, &f, JSONRPC_METHOD_NOT_FOUND, "an unknown method") &&
             verify_jsonrpc_id_echo(ctx, m, "\"no-such-91\""))
      ctx_checked(ctx, "error -32601 with the request id", "error -32601 with the request id");
    jsonrpc_free(m);
  }
  shttp_free(&h);
}

/* A request the server must refuse: 4xx, or a JSON-RPC error (any code is
 * a refusal; a code other than `want` warns). A success is a violation. */
static void expect_refusal(case_ctx *ctx, shttp *h, const char *body, long want,
                           long also, const char *what) {
  exchange_reply r;
  exchange_send(ctx, h, body, NULL, &r);
  jsonrpc_msg *m = r.msg;
  char exp[64], got[400];
  snprintf(exp, sizeof exp, "error %ld or HTTP 4xx", want);
  long code = 0;
  if (m && jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE) {
    snprintf(got, sizeof got, "%s with a result", r.status);
    ctx_violation(ctx, exp, got, "%s was served: %s", what, got);
  } else if (m && jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE) {
    jsonrpc_error_code(m, &code);
    snprintf(got, sizeof got, "%s, error %ld", r.status, code);
    if (code != want && code != also)
      ctx_warn(ctx, exp, got, "%s was refused with error %ld, not %ld", what, code, want);
    else
      ctx_checked(ctx, exp, got);
  } else if (exchange_is_4xx(r.post)) {
    ctx_checked(ctx, exp, r.status);
  } else if (r.post && r.post->headers_done && r.post->status == 202) {
    ctx_violation(ctx, exp, "HTTP 202 (taken as a notification)",
                  "%s was accepted as a notification", what);
  } else if (m) {
    ctx_violation(ctx, exp, jsonrpc_kind_name(jsonrpc_kind_of(m)), "%s got a %s", what,
                  jsonrpc_kind_name(jsonrpc_kind_of(m)));
  } else {
    snprintf(got, sizeof got, "%s, %s", r.status, r.f.why);
    ctx_violation(ctx, exp, got, "%s: no refusal (%s)", what, got);
  }
  jsonrpc_free(m);
}

/* expect_refusal in a fresh session. */
static void refused_in_session(case_ctx *ctx, const char *body, long want, long also,
                               const char *what) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h))
    expect_refusal(ctx, &h, body, want, also, what);
  shttp_free(&h);
}

/* JSONRPC-02: "jsonrpc":"1.0" is not JSON-RPC 2.0. */
static void jsonrpc_1_0_refused(case_ctx *ctx) {
  refused_in_session(ctx, "{\"jsonrpc\":\"1.0\",\"id\":\"v1\",\"method\":\"ping\"}",
                     JSONRPC_INVALID_REQUEST, JSONRPC_INVALID_REQUEST,
                     "a request with jsonrpc \"1.0\"");
}

/* JSONRPC-04: ids 1.5, true and {} are not ids. */
static void bad_id_types_refused(case_ctx *ctx) {
  static const char *const bodies[] = {
      "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}"};
  static const char *const names[] = {"id 1.5", "id true", "id {}"};
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h))
    for (size_t i = 0; i < 3 && !ctx->decided; i++)
      expect_refusal(ctx, &h, bodies[i], JSONRPC_INVALID_REQUEST, JSONRPC_INVALID_REQUEST,
                     names[i]);
  shttp_free(&h);
}

/* JSONRPC-05: id null is neither a request nor a notification. */
static void null_id_refused(case_ctx *ctx) {
  refused_in_session(ctx, "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
                     JSONRPC_INVALID_REQUEST, JSONRPC_INVALID_REQUEST, "a request with id null");
}

/* JSONRPC-07: MCP has no positional params. -32602 is as good as -32600. */
static void array_params_refused(case_ctx *ctx) {
  refused_in_session(ctx, "{\"jsonrpc\":\"2.0\",\"id\":\"ap\",\"method\":\"ping\",\"params\":[]}",
                     JSONRPC_INVALID_PARAMS, JSONRPC_INVALID_REQUEST, "ping with params []");
}

/* 1 when some result.content[].text of m holds `text`. */
static int result_holds(const jsonrpc_msg *m, const char *text) {
  size_t n = jsonrpc_get_count(m, "result.content");
  for (size_t i = 0; i < n; i++) {
    char path[64];
    snprintf(path, sizeof path, "result.content[%zu].text", i);
    const char *got = jsonrpc_get_string(m, path);
    if (got && strstr(got, text))
      return 1;
  }
  return 0;
}

/* JSONRPC-03: non-ASCII text survives the ECHO fixture byte for byte (its
 * result holds the text somewhere); a body that is not UTF-8 is a parse
 * error. */
static void utf8_round_trip(case_ctx *ctx) {
  static const char ascii[] = "mcpwire-utf8 "; /* the text's ASCII head */
  static const char text[] = "mcpwire-utf8 caf\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac "
                             "\xf0\x9f\x98\x80";
  shttp h;
  fixture fx;
  dynbuf params;
  dynbuf_init(&params, MCPWIRE_JSON_BODY_MAX);
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) || call_require_fixture(ctx, &h, FIXTURE_ECHO, &fx))
    goto done;
  rpc_failure f = {{0}};
  jsonrpc_msg *m = fixture_params(&fx, NULL, text, &params)
                       ? NULL
                       : call_request(ctx, &h, NULL, "tools/call", dynbuf_str(&params), NULL, &f);
  if (verify_success_response(ctx, m, &f, fx.tool) && !result_holds(m, text)) {
    if (result_holds(m, ascii))
      ctx_violation(ctx, text, "the text with its non-ASCII characters changed",
                    "non-ASCII text did not come back intact from %s", fx.tool);
    else
      ctx_skip(ctx, "the %s result does not hold the text it was given, not even its ASCII "
               "part: it does not echo (fixture echo, %s)", fx.tool, fx.source);
  }
  jsonrpc_free(m);
  if (ctx->decided)
    goto done;
  /* "café" in Latin-1: 0xE9 alone is not UTF-8. */
  exchange_reply r;
  exchange_send(ctx, &h, "{\"jsonrpc\":\"2.0\",\"id\":\"l1\",\"method\":\"ping\","
                      "\"params\":{\"_meta\":{\"x\":\"caf\xe9\"}}}",
             NULL, &r);
  long code = 0;
  if (r.msg && jsonrpc_kind_of(r.msg) == JSONRPC_ERROR_RESPONSE &&
      jsonrpc_error_code(r.msg, &code) && code == JSONRPC_PARSE_ERROR)
    ctx_checked(ctx, "text intact; Latin-1 body: error -32700", "both");
  else if (!r.msg && exchange_is_4xx(r.post))
    ctx_checked(ctx, "text intact; Latin-1 body: error -32700 or 4xx", r.status);
  else
    ctx_warn(ctx, "Latin-1 body: error -32700",
             r.msg ? jsonrpc_kind_name(jsonrpc_kind_of(r.msg)) : r.status,
             "a body with a Latin-1 byte (0xE9) was not refused as a parse error");
  jsonrpc_free(r.msg);
done:
  dynbuf_free(&params);
  shttp_free(&h);
}

/* JSONRPC-14 / JSONRPC-13: an unknown notification is never answered: 202,
 * no body, nothing on the GET stream either. */
static void notification_unanswered(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h))
    goto done;
  const char *no_get = NULL;
  http_stream *get = exchange_watch_get(ctx, &h, &no_get);
  exchange_reply r;
  exchange_send(ctx, &h, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/mcpwire_unknown_thing\"}",
             NULL, &r);
  if (r.msg)
    ctx_violation(ctx, "HTTP 202, no JSON-RPC message", jsonrpc_kind_name(jsonrpc_kind_of(r.msg)),
                  "the notification was answered on its POST (%s)", r.status);
  else if (!r.post || !r.post->headers_done || r.post->status != 202)
    ctx_violation(ctx, "HTTP 202", r.status, "an unknown notification got %s", r.status);
  else if (exchange_quiet_responses(ctx, get))
    ctx_violation(ctx, "no response anywhere", "a response on the GET stream",
                  "the notification was answered on the GET stream");
  if (!get)
    ctx_note(ctx, "no GET stream (%s): only the POST was watched", no_get);
  ctx_checked(ctx, "HTTP 202, no JSON-RPC message anywhere", "none");
  jsonrpc_free(r.msg);
done:
  shttp_free(&h);
}

/* The reply to a malformed request must be error `want`; a bare HTTP 4xx
 * only warns ("<what> got HTTP 4xx<bare_tail>"). 1 when error `want` came. */
static int error_or_bare_4xx(case_ctx *ctx, const exchange_reply *r, long want, const char *what,
                             const char *bare_tail) {
  if (!r->msg && exchange_is_4xx(r->post)) {
    char exp[48];
    snprintf(exp, sizeof exp, "error %ld", want);
    ctx_warn(ctx, exp, r->status, "%s got %s%s", what, r->status, bare_tail);
    return 0;
  }
  return !ctx->decided && message_check_error(ctx, r->msg, &r->f, want, what);
}

/* a body that is none of the shapes MCP allows owes "an HTTP error
 * status" (SHTTP-POST-06, basic/transports#sending-messages-to-the-server),
 * a JSON-RPC error body being a MAY; JSON-RPC 2.0 answers it with an error
 * instead. So a 4xx with any body, or a JSON-RPC error, is a refusal; when
 * the refusal is a JSON-RPC error its code should be `want` (the codes are
 * a table with no MUST: a warning). A result, a 202 or silence is not. */
static void judge_refusal(case_ctx *ctx, const exchange_reply *r, long want, const char *what) {
  char exp[64], got[160];
  snprintf(exp, sizeof exp, "HTTP 4xx, or a JSON-RPC error (%ld)", want);
  long code = 0;
  jsonrpc_kind k = r->msg ? jsonrpc_kind_of(r->msg) : JSONRPC_INVALID;
  if (k == JSONRPC_ERROR_RESPONSE && jsonrpc_error_code(r->msg, &code) && code != want) {
    snprintf(got, sizeof got, "%s, error %ld", r->status, code);
    ctx_violation(ctx, exp, got, "%s was refused with error %ld, not %ld (the codes are a table "
                  "with no MUST)", what, code, want);
  } else if (k == JSONRPC_ERROR_RESPONSE || exchange_is_4xx(r->post)) {
    snprintf(got, sizeof got, "%s%s", r->status, k == JSONRPC_ERROR_RESPONSE ? ", the error" : "");
    ctx_checked(ctx, exp, got);
  } else {
    snprintf(got, sizeof got, "%s%s%s", r->status, r->msg ? ", a " : "",
             r->msg ? jsonrpc_kind_name(k) : "");
    ctx_violation(ctx, exp, got, "%s was not refused (%s%s%s)", what, got, r->msg ? "" : ": ",
                  r->msg ? "" : r->f.why);
  }
}

/* JSONRPC-16 / SHTTP-POST-19: unparseable JSON is refused, -32700 when the
 * refusal is a JSON-RPC error. */
static void parse_error_32700(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    exchange_reply r;
    exchange_send(ctx, &h, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":", NULL, &r);
    judge_refusal(ctx, &r, JSONRPC_PARSE_ERROR, "unparseable JSON");
    jsonrpc_free(r.msg);
  }
  shttp_free(&h);
}

/* JSON-RPC 2.0 (the Server MUST reply, except to notifications; an id it
 * could not read MUST be Null) and JSONRPC-15 (2025-11-25 basic#responses:
 * no id then): unparseable JSON gets a refusal, and an error body, when
 * there is one, names no id. A 4xx with a body that is not JSON-RPC passes
 * (X-22). */
static void parse_error_refused(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    exchange_reply r;
    exchange_send(ctx, &h, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":", NULL, &r);
    if (r.msg && !exchange_is_4xx(r.post))
      message_check_envelope(ctx, r.msg, "the parse error");
    size_t len = 0;
    const char *id = r.msg ? jsonrpc_id_raw(r.msg, &len) : NULL;
    int is_error = r.msg && jsonrpc_kind_of(r.msg) == JSONRPC_ERROR_RESPONSE;
    if (ctx->decided)
      ;
    else if (!is_error && !exchange_is_4xx(r.post))
      ctx_violation(ctx, "HTTP 4xx or a JSON-RPC error", r.status,
                    "unparseable JSON was not refused (%s%s%s)", r.status, r.msg ? "" : ": ",
                    r.msg ? "" : r.f.why);
    else if (is_error && id && !(len == 4 && !memcmp(id, "null", 4)))
      ctx_violation(ctx, "id null or absent", "an id", "the parse error carries id %.*s",
                    (int)(len > 40 ? 40 : len), id);
    else
      ctx_checked(ctx, "HTTP 4xx or a JSON-RPC error, id null or absent",
                  is_error ? "a JSON-RPC error without id" : r.status);
    jsonrpc_free(r.msg);
  }
  shttp_free(&h);
}

/* JSONRPC-17: a request object whose method is not a string gets -32600
 * when the refusal is a JSON-RPC error. It has an id and a method member,
 * so it is request-shaped: {"jsonrpc":"2.0","id":"x"} would be a response,
 * and 202 the right reply to it. */
static void invalid_request_32600(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    exchange_reply r;
    exchange_send(ctx, &h, "{\"jsonrpc\":\"2.0\",\"id\":\"nm\",\"method\":42}", NULL, &r);
    if (r.msg && !exchange_is_4xx(r.post))
      message_check_envelope(ctx, r.msg, "the error response");
    if (!ctx->decided)
      judge_refusal(ctx, &r, JSONRPC_INVALID_REQUEST, "a request whose method is not a string");
    jsonrpc_free(r.msg);
  }
  shttp_free(&h);
}

/* JSONRPC-19, X-21: tools/call naming no tool. The tools page
 * (server/tools#error-handling) lists an unknown tool among protocol
 * errors with no MUST, and -32602 only in its example: any JSON-RPC error
 * passes; a result (SDK v1 servers send isError) is a warning, never a
 * failure. */
static void unknown_tool_32602(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) || ctx_require_capability(ctx, h.init_result, "tools"))
    goto done;
  rpc_failure f = {{0}};
  http_stream *post = NULL;
  jsonrpc_msg *m = call_request(ctx, &h, "\"ut\"", "tools/call",
                              "{\"name\":\"mcpwire-no-such-tool-5\",\"arguments\":{}}", &post, &f);
  long code = 0;
  char got[48];
  if (!m)
    exchange_unanswered(ctx, post, &f, "tools/call of an unknown tool");
  else if (!message_check_envelope(ctx, m, "the reply"))
    ;
  else if (jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE && jsonrpc_error_code(m, &code)) {
    snprintf(got, sizeof got, "error %ld", code);
    ctx_checked(ctx, "a JSON-RPC error (-32602 in the spec's example)", got);
  } else
    ctx_violation(ctx, "a JSON-RPC error (protocol error)",
                  jsonrpc_get_type(m, "result.isError") == JSONRPC_T_TRUE ? "a result with isError"
                                                                          : "a result",
                  "tools/call of an unknown tool was answered with a result, not a JSON-RPC "
                  "error (X-21: a warning, the spec has no MUST here)");
  jsonrpc_free(m);
done:
  shttp_free(&h);
}

/* JSONRPC-19: initialize without protocolVersion gets -32602. */
static void initialize_without_version(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  exchange_reply r;
  exchange_send(ctx, &h,
             "{\"jsonrpc\":\"2.0\",\"id\":\"iv\",\"method\":\"initialize\",\"params\":"
             "{\"capabilities\":{},\"clientInfo\":{\"name\":\"mcpwire\",\"version\":\"1\"}}}",
             NULL, &r);
  if (r.msg && jsonrpc_kind_of(r.msg) == JSONRPC_SUCCESS_RESPONSE)
    ctx_violation(ctx, "error -32602", "a result", "initialize without protocolVersion succeeded");
  else
    error_or_bare_4xx(ctx, &r, JSONRPC_INVALID_PARAMS, "initialize without protocolVersion",
                      ", no error");
  jsonrpc_free(r.msg);
  shttp_free(&h);
}

/* JSONRPC-22: an unknown _meta key is carried, not refused. */
static void meta_custom_key(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = call_request(ctx, &h, NULL, "ping",
                                "{\"_meta\":{\"example.com/trace\":\"t-1\"}}", NULL, &f);
    if (verify_success_response(ctx, m, &f, "ping with _meta {example.com/trace}"))
      ctx_checked(ctx, "a result", "a result");
    jsonrpc_free(m);
  }
  shttp_free(&h);
}

/* JSONRPC-09/10/11/13: results, errors and notifications the server sends
 * have the right shape: a success, an error and progress notifications. */
static void envelope_shapes(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h))
    goto done;
  rpc_failure f = {{0}};
  http_stream *post = NULL;
  jsonrpc_msg *m = call_request(ctx, &h, NULL, "ping", NULL, &post, &f);
  if (!m)
    exchange_unanswered(ctx, post, &f, "ping");
  else if (message_check_envelope(ctx, m, "the ping result") &&
           jsonrpc_get_type(m, "result") != JSONRPC_T_OBJECT)
    ctx_violation(ctx, "result an object", "not an object", "ping's result is not an object");
  jsonrpc_free(m);
  m = call_request(ctx, &h, NULL, "mcpwire/no-such-method", NULL, &post, &f);
  if (!m)
    exchange_unanswered(ctx, post, &f, "an unknown method");
  else
    message_check_envelope(ctx, m, "the error response");
  jsonrpc_free(m);
  /* Progress notifications, when the fixture tool is there. */
  if (!ctx->decided) {
    post = NULL;
    char body[200];
    snprintf(body, sizeof body,
             "{\"jsonrpc\":\"2.0\",\"id\":\"env-s\",\"method\":\"tools/call\",\"params\":"
             "{\"name\":\"slow\",\"arguments\":{\"steps\":2},"
             "\"_meta\":{\"progressToken\":\"e\"}}}");
    if (jsonrpc_get_type(h.init_result, "result.capabilities.tools") == JSONRPC_T_OBJECT &&
        (post = shttp_post(&h, body, 0)) != NULL)
      exchange_drain(ctx, post, ctx_step_deadline(ctx), NULL, NULL, NULL);
  }
  ctx_checked(ctx, "every message well-formed (result xor error, object result, "
              "integer code + string message, notifications without id)", "all well-formed");
done:
  shttp_free(&h);
}

/* JSONRPC-12: error messages are one short sentence: no line break, at
 * most MCPWIRE_ERROR_MESSAGE_SHORT_MAX bytes. */
static void error_message_short(case_ctx *ctx) {
  static const char *const methods[] = {"mcpwire/no-such-method", "tools/call"};
  static const char *const params[] = {NULL, "{\"name\":\"mcpwire-no-such-tool-5\"}"};
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h))
    goto done;
  size_t seen = 0;
  for (size_t i = 0; i < 2 && !ctx->decided; i++) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = call_request(ctx, &h, NULL, methods[i], params[i], NULL, &f);
    const char *msg = m && jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE
                          ? jsonrpc_error_message(m) : NULL;
    if (msg) {
      seen++;
      if (strpbrk(msg, "\r\n") || strlen(msg) > MCPWIRE_ERROR_MESSAGE_SHORT_MAX)
        ctx_violation(ctx, "one short line", strpbrk(msg, "\r\n") ? "a line break" : "too long",
                      "the %s error message is not one short sentence: %.*s...", methods[i],
                      (int)(strcspn(msg, "\r\n") < 80 ? strcspn(msg, "\r\n") : 80), msg);
    }
    jsonrpc_free(m);
  }
  if (!seen)
    ctx_skip(ctx, "no error response to judge");
  else
    ctx_checked(ctx, "one short line per error message", "all short");
done:
  shttp_free(&h);
}

/* A session whose client declares sampling and elicitation, so the
 * server may ask it things. 0 on success, else a verdict is set. */
static int session_that_answers(case_ctx *ctx, shttp *h) {
  char body[512];
  snprintf(body, sizeof body,
           "{\"jsonrpc\":\"2.0\",\"id\":\"init-s\",\"method\":\"initialize\",\"params\":"
           "{\"protocolVersion\":\"%s\",\"capabilities\":{\"sampling\":{},\"elicitation\":{}},"
           "\"clientInfo\":{\"name\":\"mcpwire\",\"version\":\"0\"}}}", ctx->cfg->spec);
  rpc_failure f = {{0}};
  http_stream *s = NULL;
  jsonrpc_msg *m = exchange_post(ctx, h, body, &s, &f);
  if (!m || jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE) {
    ctx_error(ctx, "setup: initialize declaring sampling: %s", m ? "not a result" : f.why);
    jsonrpc_free(m);
    return -1;
  }
  const char *sid = http_stream_header(s, "Mcp-Session-Id", NULL);
  const char *v = jsonrpc_get_string(m, "result.protocolVersion");
  h->session_id = sid ? strdup(sid) : NULL;
  snprintf(h->protocol_version, sizeof h->protocol_version, "%s", v ? v : ctx->cfg->spec);
  h->init_result = m;
  http_stream_wait_done(
      shttp_post(h, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", 0),
      ctx_step_deadline(ctx));
  return 0;
}

/* Calls the ASK_CLIENT fixture (run-unique id) and answers the server's
 * first request; copies that request's raw id into id (empty when none
 * came). 0 when the call was answered, 1 when its stream ended before any
 * message, -1 otherwise. */
static int ask_once(case_ctx *ctx, shttp *h, const fixture *fx, char *id, size_t idlen) {
  char call_id[64];
  http_stream *s = call_fixture_post(h, fx, call_unique_id("ask", call_id, sizeof call_id),
                                      NULL);
  id[0] = 0;
  double end = ctx_step_deadline(ctx);
  for (;;) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = s ? exchange_next(s, end, &f) : NULL;
    if (!m)
      return s && http_stream_ended(s) && !id[0] ? 1 : -1;
    message_check_envelope(ctx, m, "a message of the ask_client fixture's call");
    jsonrpc_kind k = jsonrpc_kind_of(m);
    size_t len = 0;
    const char *raw = jsonrpc_id_raw(m, &len);
    if (k == JSONRPC_REQUEST && raw && !id[0]) {
      snprintf(id, idlen, "%.*s", (int)len, raw);
      http_stream_wait_done(asking_post_answer(h, m), ctx_step_deadline(ctx));
    }
    int done = (k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE) && raw &&
               jsonrpc_id_equal(raw, len, call_id, strlen(call_id));
    jsonrpc_free(m);
    if (done)
      return 0;
  }
}

/* JSONRPC-06: the server never reuses one of its request ids in a session. */
static void server_request_ids_unique(case_ctx *ctx) {
  shttp h;
  fixture fx;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (session_that_answers(ctx, &h) || call_require_fixture(ctx, &h, FIXTURE_ASK_CLIENT, &fx))
    goto done;
  char ids[2][64];
  for (int i = 0; i < 2; i++) {
    int rc = ask_once(ctx, &h, &fx, ids[i], sizeof ids[i]);
    if (rc > 0 && !ctx->decided) {
      ctx_skip(ctx, "the %s call's stream ended before any message (polling?)", fx.tool);
      goto done;
    }
    if (rc && !ctx->decided) {
      ctx_error(ctx, "%s call %d did not end", fx.tool, i);
      goto done;
    }
  }
  if (ctx->decided)
    goto done;
  asking_judge_ids(ctx, fx.tool, ids[0], ids[1]);
done:
  shttp_free(&h);
}

/* The first response (any id) in the reply to `body`, passing over
 * notifications before it; NULL with f->why. Bounded by the step deadline
 * and the stream's event cap. */
static jsonrpc_msg *first_response(case_ctx *ctx, shttp *h, const char *body, http_stream **post,
                                   rpc_failure *f) {
  jsonrpc_msg *m = exchange_post(ctx, h, body, post, f);
  while (m && jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE &&
         jsonrpc_kind_of(m) != JSONRPC_ERROR_RESPONSE) {
    jsonrpc_free(m);
    m = exchange_next(*post, ctx_step_deadline(ctx), f);
  }
  return m;
}

/* 1 when m's id is absent or null: an error about an id the server could
 * not read (JSON-RPC 2.0: id Null then; JSONRPC-15). */
static int id_null_or_absent(const jsonrpc_msg *m) {
  size_t len = 0;
  const char *id = jsonrpc_id_raw(m, &len);
  return !id || (len == 4 && !memcmp(id, "null", 4));
}

/* Judges the reply to a ping with the huge integer id `id`: the id echoed
 * exactly, a JSON-RPC error with id null, or an HTTP 4xx is an answer; an
 * answer with another id (rounded) warns (RFC 7493: integers past 2^53 do
 * not interoperate); silence is a lost response. 1 when it answered. */
static int judge_huge_id(case_ctx *ctx, const char *id, const jsonrpc_msg *m, http_stream *post,
                         const rpc_failure *f) {
  char what[80];
  snprintf(what, sizeof what, "ping with id %.40s", id);
  size_t len = 0;
  const char *got = m ? jsonrpc_id_raw(m, &len) : NULL;
  int error = m && jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE;
  if (!m && exchange_is_4xx(post))
    ctx_note(ctx, "%s: refused with HTTP %ld", what, post->status);
  else if (!m)
    exchange_unanswered(ctx, post, f, what);
  else if (got && jsonrpc_id_equal(got, len, id, strlen(id)))
    ctx_note(ctx, "%s: a %s with the id echoed exactly", what, error ? "error" : "result");
  else if (error && id_null_or_absent(m))
    ctx_note(ctx, "%s: an error with id null or absent (the id could not be read)", what);
  else
    ctx_warn(ctx, id, got ? "another id" : "no id", "%s came back with id %.*s (rounded?)", what,
             got ? (int)(len > 40 ? 40 : len) : 6, got ? got : "absent");
  return !ctx->decided;
}

/* JSONRPC-04 / SHTTP-POST-07: an integer id is a valid id however long,
 * and a request owes a response even when the server cannot represent its
 * id; 2^64 and a 30-digit integer get the id back, or an error. */
static void huge_id_answered(case_ctx *ctx) {
  static const char *const ids[] = {"18446744073709551616", "123456789012345678901234567890"};
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h))
    goto done;
  for (size_t i = 0; i < sizeof ids / sizeof ids[0] && !ctx->decided; i++) {
    char body[160];
    snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}", ids[i]);
    rpc_failure f = {{0}};
    http_stream *post = NULL;
    jsonrpc_msg *m = first_response(ctx, &h, body, &post, &f);
    if (!m && post && post->status == 200 && http_stream_ended(post))
      m = call_await(ctx, &h, post, ids[i], &f); /* 2025-11-25 polling */
    if (!m && strstr(f.why, "came instead"))
      ctx_warn(ctx, ids[i], "another id", "ping with id %s: %s", ids[i], f.why);
    else
      judge_huge_id(ctx, ids[i], m, post, &f);
    jsonrpc_free(m);
  }
  if (!ctx->decided)
    ctx_checked(ctx, "ids 2^64 and a 30-digit integer answered",
                "each echoed, or refused with an error");
done:
  shttp_free(&h);
}

#define HTTP_CASE(name_) CASE_ID("http/jsonrpc", name_), .transport = CASE_HTTP, \
  .revisions = REV_SHTTP, .spec_ref = SPEC_2511 "basic#messages"

const case_def http_jsonrpc_cases[] = {
    {HTTP_CASE("id-echo-exact"),
     .title = "Responses echo the request id with its JSON type and exact text",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-08"), .run = id_echo_exact,
     .faults = FAULTS("id-as-number", "id-as-string")},
    {HTTP_CASE("huge-id-answered"),
     .title = "A request whose integer id is past 2^64 is answered, never dropped",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-04", "SHTTP-POST-07"),
     .run = huge_id_answered, .faults = FAULTS("huge-id-dropped")},
    {HTTP_CASE("unknown-method-32601"),
     .title = "An unknown method gets error -32601 Method not found",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-18"), .run = unknown_method_32601,
     .faults = FAULTS("unknown-method-result", "error-code-string", "result-and-error")},
    {HTTP_CASE("jsonrpc-1.0-refused"),
     .title = "A request with \"jsonrpc\":\"1.0\" is refused (-32600 or HTTP 4xx)",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-02"), .run = jsonrpc_1_0_refused,
     .faults = FAULTS("accept-jsonrpc-1.0")},
    {HTTP_CASE("bad-id-types-refused"),
     .title = "Request ids 1.5, true and {} are refused with -32600",
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-04"), .run = bad_id_types_refused,
     .faults = FAULTS("accept-fractional-id")},
    {HTTP_CASE("null-id-refused"),
     .title = "A request with id null gets an error, not a result",
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-05"), .run = null_id_refused,
     .faults = FAULTS("accept-null-id")},
    {HTTP_CASE("array-params-refused"),
     .title = "Positional params [] are refused (-32602 or -32600)",
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-07"), .run = array_params_refused,
     .faults = FAULTS("accept-array-params")},
    {HTTP_CASE("utf8-round-trip"),
     .title = "Non-ASCII text is echoed intact, and a Latin-1 body is a parse error",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-03"), .run = utf8_round_trip,
     .faults = FAULTS("mangle-utf8"), .fixtures = FX_ECHO},
    {HTTP_CASE("notification-unanswered"),
     .title = "An unknown notification gets 202 and no JSON-RPC message anywhere",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-14", "SHTTP-POST-05"),
     .slow = 1, .run = notification_unanswered,
     .faults = FAULTS("answer-notification", "notification-not-202")},
    {HTTP_CASE("parse-error-32700"),
     .title = "Unparseable JSON is refused with -32700 (or with an HTTP 4xx and any body)",
     /* X-22; the JSON-RPC codes are a table with no MUST. */
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-16", "SHTTP-POST-19"),
     .run = parse_error_32700, .faults = FAULTS("parse-error-wrong-code")},
    {HTTP_CASE("parse-error-refused"),
     .title = "Unparseable JSON gets HTTP 4xx or a JSON-RPC error, never with an id",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-15"),
     .run = parse_error_refused, .faults = FAULTS("parse-error-with-id")},
    {HTTP_CASE("invalid-request-32600"),
     .title = "A request whose method is not a string is refused with -32600 (or HTTP 4xx)",
     /* X-22; the JSON-RPC codes are a table with no MUST. */
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-17"), .run = invalid_request_32600,
     .faults = FAULTS("invalid-request-wrong-code")},
    {CASE_ID("http/jsonrpc", "unknown-tool-32602"), .transport = CASE_HTTP,
     .revisions = REV_SHTTP, .spec_ref = SPEC_2511 "server/tools#error-handling",
     .title = "tools/call of an unknown tool gets a JSON-RPC error (an isError result warns)",
     /* no MUST on the tools page; -32602 is only its example. */
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-19"), .run = unknown_tool_32602,
     .faults = FAULTS("unknown-tool-result")},
    {HTTP_CASE("initialize-without-version-32602"),
     .title = "initialize without protocolVersion gets -32602 Invalid params",
     /* The catalog grades this probe a warning: the code is by convention. */
     .level = LEVEL_SHOULD, .requirements = REQS("JSONRPC-19"), .run = initialize_without_version,
     .faults = FAULTS("initialize-without-version-accepted")},
    {HTTP_CASE("meta-custom-key"),
     .title = "A request whose _meta holds a custom key is served",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-22"), .run = meta_custom_key,
     .faults = FAULTS("reject-unknown-meta")},
    {HTTP_CASE("envelope-shapes"),
     .title = "Results, errors and notifications the server sends are well-formed",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-09", "JSONRPC-10", "JSONRPC-11",
                                               "JSONRPC-13"),
     .run = envelope_shapes,
     .faults = FAULTS("result-and-error", "result-not-object", "error-code-string",
                      "notification-with-id")},
    {HTTP_CASE("error-message-short"),
     .title = "Error messages are one short line",
     .level = LEVEL_INFO, .requirements = REQS("JSONRPC-12"), .run = error_message_short,
     .faults = FAULTS("error-message-multiline")},
    {HTTP_CASE("server-request-ids-unique"),
     .title = "The server never reuses a request id of its own within a session",
     .level = LEVEL_MUST, .requirements = REQS("JSONRPC-06"), .run = server_request_ids_unique,
     .faults = FAULTS("reuse-server-request-ids"), .fixtures = FX_ASK_CLIENT},
};
const size_t http_jsonrpc_ncases = NCASES(http_jsonrpc_cases);
