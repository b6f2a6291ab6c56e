/*
 * sse_log: a parse as JSON lines, the output of `mcpwire parse sse` and the
 * `expect:` lines of the golden vectors (tests/vectors/sse).
 *
 *   {"type":"…","data":"…","lastEventId":"…"}   one per dispatched event
 *   {"retry":N}                                 one per accepted retry field
 *   {"error":"line over the cap of N bytes"}    a parser error (last line),
 *                                               sse_error_text
 *
 * Keys in that order, no spaces; strings via json_write_string (invalid
 * UTF-8 becomes U+FFFD); N is the retry digits without leading zeros, exact
 * however long.
 */
#ifndef MCPWIRE_SSE_LOG_H
#define MCPWIRE_SSE_LOG_H

#include <stdio.h>

#include "codec/dynbuf.h"
#include "codec/sse.h"

typedef struct sse_log {
  dynbuf out;   /* lines not yet flushed */
  FILE *sink;   /* when set, lines are written here as `out` fills */
  int failed;   /* a line could not be written (cap, memory or I/O) */
} sse_log;

/* `sink` may be NULL: the lines then stay in log->out. */
void sse_log_init(sse_log *log, FILE *sink);
void sse_log_free(sse_log *log);

/* Callbacks that log to the sse_log passed as the parser's `user`. */
const sse_callbacks *sse_log_callbacks(void);

int sse_log_event(sse_log *log, const sse_event *ev);
int sse_log_retry(sse_log *log, const char *digits, size_t len);
/* `reason`: sse_error_text of the failed parser. */
int sse_log_error(sse_log *log, const char *reason);

/* Writes pending lines to the sink (no-op without one); 0 on success. */
int sse_log_flush(sse_log *log);

#endif
