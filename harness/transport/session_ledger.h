/*
 * session_ledger: every session mcpwire opens on the target, and how it
 * ended, for the whole process (the probe and every case of a run).
 *
 * mcpwire is a guest: each session it initialises is ended before the run
 * ends (shttp_free sends DELETE, legacy_free closes the GET stream) unless
 * the case ended it itself or deliberately keeps it. The run's summary
 * reports these counts; a session left open says why.
 */
#ifndef MCPWIRE_SESSION_LEDGER_H
#define MCPWIRE_SESSION_LEDGER_H

#include <stddef.h>

typedef struct session_counts {
  size_t opened;       /* sessions initialised (an id issued, or a legacy stream with its endpoint) */
  size_t closed;       /* ended: DELETE answered 2xx or 404, a legacy stream closed */
  size_t not_offered;  /* DELETE answered 405: the server keeps it; mcpwire never reuses it */
  size_t kept;         /* a case deliberately left it open (e.g. to let it expire) */
  size_t left_open;    /* ending failed: no answer, another status, no stream left */
  char left_open_why[200]; /* the first left-open (or kept) session's reason, "" if none */
} session_counts;

/* Forgets every count and sets the URL sessions are ended at (the run's
 * target; NULL: each session's own URL). Call before the probe. */
void session_ledger_begin(const char *target_url);
/* The URL DELETEs go to (the run's target), or fallback when none is set. */
const char *session_ledger_target(const char *fallback);

void session_ledger_opened(void);
void session_ledger_closed(void);
/* DELETE answered 405. */
void session_ledger_not_offered(void);
/* A case keeps the session on purpose; why is one line. */
void session_ledger_kept(const char *why);
/* Ending failed; why is one line (printf format). */
void session_ledger_left_open(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Classifies the answer to a DELETE that ended a session: status 0 means
 * no answer came (why says what happened). */
void session_ledger_delete_answer(long status, const char *why);

/* A copy of the counts so far. */
session_counts session_ledger_read(void);

#endif
