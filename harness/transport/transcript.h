/*
 * transcript: the wire log of one case.
 *
 * Every exchange (request line, headers, body; status, headers; each SSE
 * event) is appended as text with the time since the case started. The log
 * is capped by MCPWIRE_TRANSCRIPT_MAX: past it, one marker line is written
 * and later lines are dropped, so a chatty target cannot grow memory.
 */
#ifndef MCPWIRE_TRANSCRIPT_H
#define MCPWIRE_TRANSCRIPT_H

#include <stddef.h>

#include "codec/dynbuf.h"

typedef struct transcript {
  dynbuf text;
  double t0_ms;       /* monotonic time of the case start */
  int truncated;
} transcript;

/* Monotonic milliseconds (CLOCK_MONOTONIC). */
double clock_ms(void);

void transcript_init(transcript *t);
void transcript_free(transcript *t);
/* One line "[   12.345 ms] text", text printf-style; LF added. */
void transcript_addf(transcript *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends bytes as printable text: CR, LF and other controls escaped, long
 * blocks cut at `show` bytes with a count of what was left out. */
void transcript_add_bytes(transcript *t, const char *prefix, const char *bytes,
                          size_t len, size_t show);

#endif
