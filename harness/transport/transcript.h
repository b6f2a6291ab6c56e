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

/* A body a client sent (sent = 1: every request body, as given) or a
 * JSON-RPC message it received (sent = 0). `where` names the stream and how
 * the message came ("#4 POST http://…/mcp: SSE event id=3"); `status` is
 * the HTTP status of the response that carried it (0 for sent bodies). */
typedef void (*transcript_message_fn)(void *user, int sent, const char *where, long status,
                                      const char *data, size_t len);

typedef struct transcript {
  dynbuf text;
  double t0_ms;       /* monotonic time of the case start */
  int truncated;
  /* When set, every client writing to this transcript hands it each
   * request body it sends and each message it receives: the data of every
   * SSE `message` event that has data, and every whole application/json
   * response body. All clients of a case share its transcript, so this sees
   * all of the case's traffic (the engine checks each received message's
   * envelope there: engine/envelope.c). */
  transcript_message_fn on_message;
  void *on_message_user;
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
