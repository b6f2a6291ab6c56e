/* registry: every client scenario, table by table. */
#include <stdlib.h>

#include "mcpwire_limits.h"
#include "scenarios/tables.h"

#define TABLE(name) {name##_scenarios, &name##_nscenarios}

static const struct {
  const client_scenario *rows;
  const size_t *n;
} tables[] = {TABLE(endpoint), TABLE(lifecycle), TABLE(session), TABLE(modern), TABLE(sse_shape),
              TABLE(reconnect), TABLE(exchange), TABLE(hostile)};

const client_scenario *const *scenario_registry(size_t *n) {
  static const client_scenario *all[MCPWIRE_CLIENT_SCENARIOS_MAX];
  static size_t count;
  if (!count)
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
      for (size_t i = 0; i < *tables[t].n && count < MCPWIRE_CLIENT_SCENARIOS_MAX; i++)
        all[count++] = &tables[t].rows[i];
  *n = count;
  return all;
}
