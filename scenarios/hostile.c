/* client/hostile: streams a client must survive. It must end by itself in
 * bounded time, without a crash and without memory growing with the
 * stream; what it did (exit status, hang, signal, growth) is reported.
 * No MUST sets these bounds: a breach warns (LIFE-TIMEOUT-01 and the
 * WHATWG decoding rules). */
#include "scenarios/judge.h"
#include "scenarios/tables.h"

#define SPEC_TIMEOUT "https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#timeouts"

#define HOSTILE_ROW(name_, title_, reqs_, fault_, kind_)                                      \
  {.id = "client/hostile/" name_, .section = "client/hostile", .title = title_,              \
   .transport = "http", .level = LEVEL_SHOULD, .requirements = reqs_,                        \
   .spec_ref = SPEC_TIMEOUT,                                                                  \
   .script = {.transport = STAGE_SHTTP, .revision = "2025-11-25",                            \
              .session_id = "mcpwire-hostile-1", .sse_replies = 1, .hostile = kind_},        \
   .expect = EXPECT_BOUNDED, .fault = fault_}

const client_scenario hostile_scenarios[] = {
    HOSTILE_ROW("huge-line", "A 100 MB data line with no end", SREQS("LIFE-TIMEOUT-01"),
                "unbounded-line", HOSTILE_HUGE_LINE),
    HOSTILE_ROW("endless", "Notifications without end and never a response",
                SREQS("LIFE-TIMEOUT-01", "LIFE-TIMEOUT-04"), "no-request-deadline",
                HOSTILE_ENDLESS),
    HOSTILE_ROW("bad-utf8", "Invalid UTF-8 in the response's text",
                SREQS("SSEWIRE-03", "JSONRPC-03"), "abort-on-bad-utf8", HOSTILE_BAD_UTF8),
    HOSTILE_ROW("garbage-after", "Bytes that are no SSE after a valid response event",
                SREQS("LIFE-TIMEOUT-01", "SSEWIRE-20"), "hang-on-garbage",
                HOSTILE_GARBAGE_AFTER),
    HOSTILE_ROW("headers-only", "A 200 text/event-stream head and then nothing",
                SREQS("LIFE-TIMEOUT-01"), "no-read-timeout", HOSTILE_HEADERS_ONLY),
};
const size_t hostile_nscenarios = sizeof hostile_scenarios / sizeof hostile_scenarios[0];
