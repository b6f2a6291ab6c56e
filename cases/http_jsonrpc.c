/* http/jsonrpc: the JSON-RPC envelope over Streamable HTTP (spec: basic#responses). */
#include <stdio.h>

#include "cases/cases.h"

/* JSONRPC-08: ids come back with the same type and value. */
static void id_echo_exact(case_ctx *ctx) {
  static const char *const ids[] = {"\"abc\"", "42", "0", "-7", "\"7\"",
                                    "9007199254740993"};
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) == 0) {
    for (size_t i = 0; i < sizeof ids / sizeof ids[0] && !ctx->decided; i++) {
      rpc_failure f = {{0}};
      http_stream *post = NULL;
      jsonrpc_msg *m =
          shttp_call_id(&h, ids[i], "ping", NULL, ctx_step_deadline(ctx), &post, &f);
      if (!m && post && http_stream_ended(post) && post->status == 200) {
        /* On SSE, responses are matched by raw id: a stream that ended
         * without a match carried a mangled id (or none). */
        ctx_violation(ctx, ids[i], "no response with that id",
                      "no response carrying id %s: %s", ids[i], f.why);
      } else if (!m) {
        ctx_error(ctx, "ping with id %s: %s", ids[i], f.why);
      } else
        verify_jsonrpc_id_echo(ctx, m, ids[i]);
      jsonrpc_free(m);
    }
    if (!ctx->decided)
      ctx_checked(ctx, "ids \"abc\" 42 0 -7 \"7\" 9007199254740993 echoed",
                  "all echoed with type and value");
  }
  shttp_free(&h);
}

/* JSONRPC-18: an unknown method gets -32601 with the request's id. */
static void unknown_method_32601(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = shttp_call_id(&h, "\"no-such-91\"", "mcpwire/no-such-method", NULL,
                                   ctx_step_deadline(ctx), NULL, &f);
    long code = 0;
    if (!m)
      ctx_error(ctx, "mcpwire/no-such-method: %s", f.why);
    else if (jsonrpc_kind_of(m) != JSONRPC_ERROR_RESPONSE)
      ctx_violation(ctx, "error -32601", jsonrpc_kind_name(jsonrpc_kind_of(m)),
                    "an unknown method got a %s", jsonrpc_kind_name(jsonrpc_kind_of(m)));
    else if (!jsonrpc_error_code(m, &code) || code != JSONRPC_METHOD_NOT_FOUND) {
      char got[64];
      snprintf(got, sizeof got, "error %ld", code);
      ctx_violation(ctx, "error -32601", got, "an unknown method got error code %ld", code);
    } else if (verify_jsonrpc_id_echo(ctx, m, "\"no-such-91\""))
      ctx_checked(ctx, "error -32601 with the request id", "error -32601 with the request id");
    jsonrpc_free(m);
  }
  shttp_free(&h);
}

const case_def http_jsonrpc_cases[] = {
    {CASE_ID("http/jsonrpc", "id-echo-exact"),
     .title = "Responses echo the request id with its JSON type and exact value",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("JSONRPC-08"), .spec_ref = SPEC_2511 "basic#responses",
     .run = id_echo_exact},
    {CASE_ID("http/jsonrpc", "unknown-method-32601"),
     .title = "An unknown method gets error -32601 Method not found",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("JSONRPC-18"), .spec_ref = SPEC_2511 "basic#responses",
     .run = unknown_method_32601},
};
const size_t http_jsonrpc_ncases = NCASES(http_jsonrpc_cases);
