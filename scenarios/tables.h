/* tables: the scenario tables, one per area; registry.c lists them. */
#ifndef MCPWIRE_TABLES_H
#define MCPWIRE_TABLES_H

#include <stddef.h>

#include "scenarios/scenario.h"

#define SCENARIO_TABLE(name)                        \
  extern const client_scenario name##_scenarios[];  \
  extern const size_t name##_nscenarios;

SCENARIO_TABLE(endpoint)
SCENARIO_TABLE(session)
SCENARIO_TABLE(lifecycle)
SCENARIO_TABLE(modern)
SCENARIO_TABLE(sse_shape)
SCENARIO_TABLE(reconnect)
SCENARIO_TABLE(exchange)
SCENARIO_TABLE(hostile)

#define SPEC_TRANSPORTS_2511 "https://modelcontextprotocol.io/specification/2025-11-25/basic/transports"
#define WHATWG_SSE "https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation"

#endif
