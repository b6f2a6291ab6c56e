#include "engine/fixture_pace.h"

#include <stdio.h>
#include <string.h>

/* A tool whose length is an argument: its arguments at the shorter paces,
 * beside the full ones of the candidate table (engine/fixture.c), with the
 * same number of steps (fixture.progress_events still holds). */
typedef struct paced_args {
  const char *tool, *source;
  const char *half, *brisk;
} paced_args;

static const paced_args paced[] = {
    {"trigger-long-running-operation", "server-everything", "{\"duration\":0.25,\"steps\":5}",
     "{\"duration\":0.1,\"steps\":5}"},
    {"longRunningOperation", "server-everything", "{\"duration\":0.25,\"steps\":5}",
     "{\"duration\":0.1,\"steps\":5}"},
    {"start-notification-stream", "TypeScript SDK example", "{\"interval\":50,\"count\":5}",
     "{\"interval\":20,\"count\":5}"},
};

int fixture_pace_set(fixture *fx, fixture_pace pace) {
  if (fx->role != FIXTURE_PROGRESS || !fx->source || pace == FIXTURE_PACE_FULL)
    return 0;
  for (size_t i = 0; i < sizeof paced / sizeof paced[0]; i++)
    if (!strcmp(fx->tool, paced[i].tool) && !strcmp(fx->source, paced[i].source)) {
      snprintf(fx->args, sizeof fx->args, "%s",
               pace == FIXTURE_PACE_HALF ? paced[i].half : paced[i].brisk);
      return 1;
    }
  return 0;
}
