/*
 * fixture_pace: how long a PROGRESS fixture call runs. Some candidate tools
 * take their length as an argument (server-everything's long-running
 * operation: a duration and a number of steps); the fixture's arguments ask
 * for a call of half a second, long enough for a case that watches what
 * follows a disconnect while the call runs. Under --quick a case may ask
 * for a shorter call with the same number of progress notifications:
 * brisk (a fifth of the length) when it needs only "a call that streams
 * its progress, then its result", quarter-second when it cuts the call
 * after its first progress and resumes it (time enough for the cut to land
 * before the call ends). Tools mapped by the user (--fixture) keep their
 * arguments, and so do tools whose length is not an argument (mcpwire-mock's
 * `slow` follows its --slow-step-ms).
 */
#ifndef MCPWIRE_ENGINE_FIXTURE_PACE_H
#define MCPWIRE_ENGINE_FIXTURE_PACE_H

#include "engine/fixture.h"

typedef enum fixture_pace {
  FIXTURE_PACE_FULL,    /* the candidate table's arguments */
  FIXTURE_PACE_HALF,    /* half the length: cut and resumed */
  FIXTURE_PACE_BRISK,   /* a fifth: only its progress and result matter */
} fixture_pace;

/* Replaces fx's arguments by those of its tool at pace; 1 when it did, 0
 * when its length is not an argument known here or pace is FULL (fx
 * unchanged). */
int fixture_pace_set(fixture *fx, fixture_pace pace);

#endif
