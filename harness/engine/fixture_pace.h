/*
 * fixture_pace: how long a PROGRESS fixture call runs. Some candidate tools
 * take their length as an argument (server-everything's long-running
 * operation: a duration and a number of steps); the fixture's arguments ask
 * for a call of half a second, long enough for a case that acts while the
 * call runs (a disconnect, a resumption, a cancel). A case that needs only
 * "a call that streams its progress, then its result" may ask for a brisk
 * one under --quick: the same number of progress notifications, sooner.
 * Tools mapped by the user (--fixture) keep their arguments.
 */
#ifndef MCPWIRE_ENGINE_FIXTURE_PACE_H
#define MCPWIRE_ENGINE_FIXTURE_PACE_H

#include "engine/fixture.h"

/* Replaces fx's arguments by the brisk ones of its tool; 1 when it did, 0
 * when its length is not an argument known here (fx unchanged). */
int fixture_pace_brisk(fixture *fx);

#endif
