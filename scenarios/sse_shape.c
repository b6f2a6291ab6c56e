/* client/sse-shape: valid but unusual SSE on the POST response streams
 * (WHATWG event stream interpretation). The stage's tools/list and
 * tools/call responses come in the shape; a client that calls the listed
 * tool and exits 0 read both. */
#include "scenarios/judge.h"
#include "scenarios/tables.h"

#define SHAPE_ROW(name_, title_, reqs_, fault_, ...)                                         \
  {.id = "client/sse-shape/" name_, .section = "client/sse-shape", .title = title_,          \
   .transport = "http", .level = LEVEL_MUST, .requirements = reqs_, .spec_ref = WHATWG_SSE,  \
   .script = {.transport = STAGE_SHTTP, .revision = "2025-11-25",                            \
              .session_id = "mcpwire-shape-1", .sse_replies = 1, .shape = {__VA_ARGS__}},    \
   .fault = fault_}

const client_scenario sse_shape_scenarios[] = {
    SHAPE_ROW("crlf-split", "CRLF line ends, multi-line data, every byte its own write",
              SREQS("SSEWIRE-05", "SSEWIRE-12", "SHTTP-POST-08"), "sse-crlf-split-twice",
              .eol = "\r\n", .split_bytes = 1, .multiline = 1),
    SHAPE_ROW("cr", "Lone CR line ends", SREQS("SSEWIRE-05"), "sse-no-cr", .eol = "\r"),
    SHAPE_ROW("bom", "A UTF-8 BOM before the first event of each stream", SREQS("SSEWIRE-04"),
              "sse-keep-bom", .bom = 1),
    SHAPE_ROW("comments", "A comment line before every event", SREQS("SSEWIRE-07"),
              "sse-comment-as-data", .comments = 1),
    SHAPE_ROW("multi-line-data", "The JSON spread over several data lines",
              SREQS("SSEWIRE-12"), "sse-last-data-line", .multiline = 1),
    SHAPE_ROW("unknown-field", "A field no parser knows before every event",
              SREQS("SSEWIRE-10"), "sse-unknown-field-as-data", .unknown_fields = 1),
    SHAPE_ROW("event-message", "Messages typed with event: message", SREQS("SSEWIRE-11"),
              "sse-untyped-only", .event_name = 1),
    SHAPE_ROW("no-event-name", "Messages with no event field (type message by default)",
              SREQS("SSEWIRE-11", "SSELEG-08"), "sse-require-event-name", .event_name = 0),
    SHAPE_ROW("no-space", "data:{...} without the optional space", SREQS("SSEWIRE-08"),
              "sse-strip-six", .no_space = 1),
    SHAPE_ROW("empty-data", "An event with an empty data line (a priming event) first",
              SREQS("SSEWIRE-19", "SHTTP-POLL-06"), "sse-parse-empty-data", .empty_data = 1),
};
const size_t sse_shape_nscenarios = sizeof sse_shape_scenarios / sizeof sse_shape_scenarios[0];
