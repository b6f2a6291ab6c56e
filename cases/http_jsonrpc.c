/* http/jsonrpc: the JSON-RPC envelope over Streamable HTTP (spec: basic#responses). */
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

const case_def http_jsonrpc_cases[] = {
    {CASE_ID("http/jsonrpc", "id-echo-exact"),
     .title = "Responses echo the request id with its JSON type and exact value",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("JSONRPC-08"), .spec_ref = SPEC_2511 "basic#responses",
     .run = id_echo_exact},
};
const size_t http_jsonrpc_ncases = NCASES(http_jsonrpc_cases);
