#include "engine/fixture_pace.h"

#include <stdio.h>
#include <string.h>

/* A tool whose length is an argument: the brisk arguments beside the ones
 * of the fixture's candidate table (engine/fixture.c), the same number of
 * steps (fixture.progress_events still holds). */
typedef struct brisk_args {
  const char *tool, *source, *args;
} brisk_args;

static const brisk_args brisk[] = {
    {"trigger-long-running-operation", "server-everything", "{\"duration\":0.1,\"steps\":5}"},
    {"longRunningOperation", "server-everything", "{\"duration\":0.1,\"steps\":5}"},
    {"start-notification-stream", "TypeScript SDK example", "{\"interval\":20,\"count\":5}"},
};

int fixture_pace_brisk(fixture *fx) {
  if (fx->role != FIXTURE_PROGRESS || !fx->source)
    return 0;
  for (size_t i = 0; i < sizeof brisk / sizeof brisk[0]; i++)
    if (!strcmp(fx->tool, brisk[i].tool) && !strcmp(fx->source, brisk[i].source)) {
      snprintf(fx->args, sizeof fx->args, "%s", brisk[i].args);
      return 1;
    }
  return 0;
}
