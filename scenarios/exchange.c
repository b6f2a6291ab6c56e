/* client/server-request and client/stream: a request from the server on
 * the call stream answered on the right path, keep-alive comments through
 * a long think time, and a buffering proxy that sends the stream whole. */
#include <string.h>

#include "codec/jsonrpc.h"
#include "scenarios/judge.h"
#include "scenarios/tables.h"

#define SPEC_PING "https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/ping"

static void check_ping_answer(scenario_ctx *x) {
  for (size_t i = 0; i < x->log->n; i++) {
    const stage_request *r = &x->log->req[i];
    jsonrpc_msg *m = r->body_len ? jsonrpc_parse(r->body, r->body_len) : NULL;
    size_t n = 0;
    const char *id = m ? jsonrpc_id_raw(m, &n) : NULL;
    int answer = id && !jsonrpc_method(m) &&
                 jsonrpc_id_equal(id, n, STAGE_PING_ID, strlen(STAGE_PING_ID));
    int empty = answer && jsonrpc_get_type(m, "result") == JSONRPC_T_OBJECT &&
                jsonrpc_get_count(m, "result") == 0;
    jsonrpc_free(m);
    if (!answer)
      continue;
    if (strcmp(r->method, "POST") || strcmp(r->target, "/mcp"))
      sc_broken(x, LEVEL_MUST, "the answer POSTed to the MCP endpoint (SHTTP-POST-01)",
                "request #%zu: %s %s", i + 1, r->method, r->target);
    else if (!empty)
      sc_broken(x, LEVEL_MUST, "an empty result {} for ping (LIFE-PING-01)",
                "request #%zu answered the ping without an empty result", i + 1);
    else if (!stage_request_header(r, "Mcp-Session-Id", NULL, 0))
      sc_broken(x, LEVEL_MUST, "the session id on the answer's POST (SHTTP-SESSION-05)",
                "request #%zu carried no Mcp-Session-Id", i + 1);
    else
      sc_held(x, "ping answered with {} by POST /mcp (request #%zu)", i + 1);
    return;
  }
  sc_broken(x, LEVEL_MUST, "the server's ping answered with {} (LIFE-PING-01)",
            "no answer to ping " STAGE_PING_ID " (%zu requests)", x->log->n);
}

#define CALL_SCRIPT(...) {.transport = STAGE_SHTTP, .revision = "2025-11-25",               \
                          .session_id = "mcpwire-call-1", .sse_replies = 1, __VA_ARGS__}

const client_scenario exchange_scenarios[] = {
    {.id = "client/server-request/ping", .section = "client/server-request",
     .title = "A ping from the server on the call stream is answered by POST",
     .transport = "http", .level = LEVEL_MUST,
     .requirements = SREQS("LIFE-PING-01", "SHTTP-POST-01", "SSEWIRE-27"), .spec_ref = SPEC_PING,
     .script = CALL_SCRIPT(.ask_ping = 1), .check = check_ping_answer,
     .fault = "ignore-server-requests"},
    {.id = "client/stream/keep-alive", .section = "client/stream",
     .title = "2 s of think time with keep-alive comments every 250 ms", .transport = "http",
     .level = LEVEL_SHOULD, .requirements = SREQS("SSEWIRE-07", "SSEWIRE-24", "LIFE-TIMEOUT-04"),
     .spec_ref = WHATWG_SSE, .script = CALL_SCRIPT(.think_ms = 2000, .keepalive_ms = 250),
     .fault = "short-deadline"},
    {.id = "client/stream/buffering-proxy", .section = "client/stream",
     .title = "A buffering proxy: the call stream held 1.5 s, then whole with a Content-Length",
     .transport = "http", .level = LEVEL_MUST, .requirements = SREQS("SHTTP-POST-08", "SSEWIRE-27"),
     .spec_ref = SPEC_TRANSPORTS_2511 "#sending-messages-to-the-server",
     .script = CALL_SCRIPT(.buffered = 1, .think_ms = 1500, .keepalive_ms = 250),
     .fault = "sse-needs-chunked"},
};
const size_t exchange_nscenarios = sizeof exchange_scenarios / sizeof exchange_scenarios[0];
