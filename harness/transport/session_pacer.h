/*
 * session_pacer: how fast mcpwire opens sessions on one target.
 *
 * A gateway that starts a process per session falls over under a burst of
 * initializes, and its errors would be ours. Every session opening of the
 * process (shttp initialize, a legacy GET stream) passes here: at most
 * MCPWIRE_SESSION_OPENINGS_IN_FLIGHT at once, and once that many started
 * close together the next waits MCPWIRE_SESSION_BURST_GAP_MS after the
 * burst's first. The waits drive the caller's client, so its streams keep
 * flowing.
 */
#ifndef MCPWIRE_SESSION_PACER_H
#define MCPWIRE_SESSION_PACER_H

#include "transport/client.h"

/* Waits for a place (driving c's transfers; c may be NULL), until
 * deadline_ms; openers already waiting go first. 0 with a place taken (give
 * it back with session_pacer_leave once the opening is answered or failed);
 * -1 at the deadline, nothing taken. */
int session_pacer_enter(client *c, double deadline_ms);
/* Takes a place only when one is free now and no opener waits for one (a
 * batch's extra places); 0 when taken, -1 otherwise. */
int session_pacer_try(void);
void session_pacer_leave(void);
/* For an opening whose answer the caller does not await (an initialize
 * POSTed by hand): waits for its turn in the bursts, takes nothing. Starts
 * anyway after MCPWIRE_SESSION_PACER_WAIT_MAX_MS: pacing never stops a case. */
void session_pacer_pace(client *c);

#endif
