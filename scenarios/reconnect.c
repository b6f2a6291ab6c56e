/* client/reconnect: the tools/call stream cut at an event boundary or in
 * the middle of an event; the rest waits for a GET with Last-Event-ID,
 * which must not come sooner than `retry` (a lower bound only). */
#include <stdio.h>
#include <string.h>

#include "mcpwire_limits.h"
#include "scenarios/judge.h"
#include "scenarios/tables.h"

#define SPEC_RESUME SPEC_TRANSPORTS_2511 "#resumability-and-redelivery"

/* The first GET after the cut; -1. */
static long resume_get(const scenario_ctx *x) {
  for (size_t i = 0; i < x->log->n; i++)
    if (!strcmp(x->log->req[i].method, "GET") && x->log->req[i].t_ms >= x->log->cut_ms)
      return (long)i;
  return -1;
}

static void check_resume(scenario_ctx *x) {
  const stage_script *sc = &x->def->script;
  if (x->log->cut_ms < 0) {
    sc_error(x, "the stage never cut the call stream (no tools/call with SSE replies)");
    return;
  }
  long g = resume_get(x);
  if (g < 0) {
    sc_broken(x, LEVEL_SHOULD, "a GET with Last-Event-ID after the stream was cut "
              "(SHTTP-POLL-03, SHTTP-RESUME-04)", "no GET after the cut at t=%.0f ms",
              x->log->cut_ms);
    return;
  }
  const stage_request *r = &x->log->req[g];
  double waited = r->t_ms - x->log->cut_ms;
  if (sc->retry_ms > 0 && waited + MCPWIRE_STAGE_RETRY_SLACK_MS < (double)sc->retry_ms) {
    sc_broken(x, LEVEL_MUST, "the reconnect no sooner than retry (SHTTP-POLL-05)",
              "GET #%ld came %.0f ms after the cut; retry was %ld ms", g + 1, waited,
              sc->retry_ms);
    return;
  }
  char want[32], got[128];
  snprintf(want, sizeof want, "mcpwire-c%d", sc->cut_after - 1);
  if (!stage_request_header(r, "Last-Event-ID", got, sizeof got) || strcmp(got, want)) {
    sc_broken(x, LEVEL_SHOULD, "Last-Event-ID: the id of the last whole event "
              "(SHTTP-RESUME-04, SSEWIRE-21)", "GET #%ld: Last-Event-ID %s (want %s)", g + 1,
              stage_request_header(r, "Last-Event-ID", got, sizeof got) ? got : "absent", want);
    return;
  }
  if (!stage_request_header(r, "Mcp-Session-Id", NULL, 0)) {
    sc_broken(x, LEVEL_MUST, "the session id on the resumption GET (SHTTP-SESSION-05)",
              "GET #%ld carried no Mcp-Session-Id", g + 1);
    return;
  }
  long first = sc_find(x, "tools/call", 0);
  if (first >= 0 && sc_find(x, "tools/call", (size_t)first + 1) >= 0) {
    sc_broken(x, LEVEL_SHOULD, "resumption by GET only, the request not POSTed again "
              "(SHTTP-RESUME-07)", "tools/call POSTed twice");
    return;
  }
  sc_held(x, "GET #%ld with Last-Event-ID %s, %.0f ms after the cut (retry %ld ms)", g + 1, got,
          waited, sc->retry_ms);
}

#define RECONNECT_ROW(name_, title_, lv_, reqs_, fault_, cut_, mid_, retry_)                  \
  {.id = "client/reconnect/" name_, .section = "client/reconnect", .title = title_,            \
   .transport = "http", .level = lv_, .requirements = reqs_, .spec_ref = SPEC_RESUME,          \
   .script = {.transport = STAGE_SHTTP, .revision = "2025-11-25",                              \
              .session_id = "mcpwire-resume-1", .sse_replies = 1, .cut_after = cut_,           \
              .cut_mid_event = mid_, .retry_ms = retry_},                                      \
   .check = check_resume, .fault = fault_}

const client_scenario reconnect_scenarios[] = {
    RECONNECT_ROW("after-priming", "Stream ended after the priming event: GET with its id",
                  LEVEL_SHOULD, SREQS("SHTTP-POLL-03", "SHTTP-POLL-06", "SHTTP-RESUME-04"),
                  "no-last-event-id", 1, 0, 300),
    RECONNECT_ROW("after-event", "Stream ended after the second event: GET with the last id",
                  LEVEL_SHOULD, SREQS("SHTTP-RESUME-04", "SSEWIRE-14", "SHTTP-RESUME-07"),
                  "last-event-id-first", 2, 0, 300),
    RECONNECT_ROW("mid-event", "Stream cut in the middle of an event: that event is dropped",
                  LEVEL_SHOULD, SREQS("SSEWIRE-20", "SHTTP-RESUME-04"), "sse-dispatch-at-eof",
                  2, 1, 300),
    RECONNECT_ROW("retry-lower-bound", "retry: 1500 is waited for before reconnecting",
                  LEVEL_MUST, SREQS("SHTTP-POLL-05", "SSEWIRE-17"), "ignore-retry", 1, 0, 1500),
};
const size_t reconnect_nscenarios = sizeof reconnect_scenarios / sizeof reconnect_scenarios[0];
