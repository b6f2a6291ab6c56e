/*
 * sse_event_log: what an SSE parser produced, as bytes that can be compared.
 *
 * Two formats:
 *   SSE_LOG_EXACT  length-prefixed records of events, retries and comments,
 *                  byte-exact (for oracles inside our own parser);
 *   SSE_LOG_JSON   the canonical cross-parser log: one JSON line per event
 *                  {"type":…,"data":…,"lastEventId":…} and per accepted
 *                  retry {"retry":N}, strings as UTF-8 with U+FFFD for
 *                  invalid bytes (what a decoding parser sees), comments
 *                  left out. A retry above 2^53-1 is written as
 *                  {"retry":"unsafe"}: parsers in languages with double
 *                  numbers cannot carry it exactly.
 * The log is capped (MCPWIRE_FUZZ_LOG_MAX); once full it stops growing and
 * remembers that, so two logs of the same events still compare equal.
 */
#ifndef MCPWIRE_FUZZ_SSE_EVENT_LOG_H
#define MCPWIRE_FUZZ_SSE_EVENT_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "codec/dynbuf.h"
#include "codec/sse.h"

typedef enum sse_log_format { SSE_LOG_EXACT, SSE_LOG_JSON } sse_log_format;

typedef struct sse_event_log {
  dynbuf buf;
  sse_log_format format;
  int full;          /* an append hit the cap; later appends are dropped */
} sse_event_log;

void sse_event_log_init(sse_event_log *log, sse_log_format format);
void sse_event_log_free(sse_event_log *log);
void sse_event_log_reset(sse_event_log *log);

void sse_event_log_event(sse_event_log *log, const char *type, size_t type_len,
                         const char *data, size_t data_len, const char *id,
                         size_t id_len);
/* `digits`: the retry value without leading zeros ("0" for zero). */
void sse_event_log_retry(sse_event_log *log, const char *digits, size_t len);
void sse_event_log_comment(sse_event_log *log, const char *text, size_t len);

/* Marks the end of a stream (after sse_finish) and a reported error. */
void sse_event_log_note(sse_event_log *log, const char *what);

/* Parser callbacks whose user pointer is an sse_event_log. */
extern const sse_callbacks sse_event_log_callbacks;

int sse_event_log_equal(const sse_event_log *a, const sse_event_log *b);

/* Prints both logs and aborts: an oracle found a disagreement. */
void sse_event_log_die(const char *why, const sse_event_log *want,
                       const sse_event_log *got) __attribute__((noreturn));

#endif
