/*
 * stdio_channel: JSON-RPC over a stdio_process, one message per line
 * (STDIO-03/04, S26-STDIO-01). `mcpwire run --command` speaks through
 * it (verifier/peer, engine/profile_stdio).
 *
 * Sending writes one message and an LF. Receiving splits the child's
 * stdout with codec/line and parses every line with codec/jsonrpc; each
 * line is handed over as a stdio_line, whatever it holds: a JSON-RPC
 * message (its envelope may still have problems), or a line that is not
 * one (a banner, a log line, one line of a pretty-printed message, an
 * empty line) with its bytes kept, as STDIO-07 evidence, or the report of
 * a line past MCPWIRE_STDIO_LINE_MAX. Nothing is skipped silently; the
 * channel judges nothing, the caller does.
 *
 * Every line both ways and every stderr chunk (marked as logs: STDIO-05)
 * goes into the transcript, prefixed "stdio"; each message sent and each
 * message received goes to the transcript's on_message observer, as the
 * HTTP transports do (where "stdio stdin line N" / "stdio stdout line N",
 * status 0). Lines that are not messages are not handed to the observer.
 *
 * Batches (2025-03-26) are messages of kind JSONRPC_BATCH; a response
 * inside a batch is not matched by stdio_channel_await_response.
 */
#ifndef MCPWIRE_STDIO_CHANNEL_H
#define MCPWIRE_STDIO_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "codec/jsonrpc.h"
#include "codec/line.h"
#include "transport/stdio_process.h"
#include "transport/transcript.h"

/* What one stdout line held. */
typedef enum stdio_line_kind {
  STDIO_LINE_MESSAGE = 0, /* JSON whose members make it a JSON-RPC message or batch */
  STDIO_LINE_NOT_MESSAGE, /* anything else: not JSON, or JSON that is no message */
  STDIO_LINE_TOO_LONG     /* past MCPWIRE_STDIO_LINE_MAX: reported, bytes dropped */
} stdio_line_kind;

typedef struct stdio_line {
  stdio_line_kind kind;
  jsonrpc_msg *msg;    /* the parse, for MESSAGE and NOT_MESSAGE; NULL for TOO_LONG */
  char *bytes;         /* the line without its terminator, NUL added; NULL for TOO_LONG */
  size_t len;
  line_end end;        /* LF, CRLF, UNTERMINATED (stdout ended first) or TOO_LONG */
  uint64_t number;     /* 1 for the first stdout line */
  int bom;
  size_t lone_cr;
  int64_t first_nul, first_bad_utf8; /* offsets in the line, or -1 */
  char why[240];       /* NOT_MESSAGE: why it is no message (first problem) */
} stdio_line;

void stdio_line_free(stdio_line *l);
const char *stdio_line_kind_name(stdio_line_kind k); /* "message", "not-a-message", "too-long" */

typedef enum stdio_channel_status {
  STDIO_CHANNEL_OK = 0,
  STDIO_CHANNEL_TIMEOUT,  /* the deadline passed first */
  STDIO_CHANNEL_CLOSED,   /* stdout (and stderr) ended, every line handed over */
  STDIO_CHANNEL_ERROR     /* a pipe error, out of memory, a cap, a message holding LF */
} stdio_channel_status;

typedef struct stdio_channel stdio_channel;

/* Over a started process (not owned: the caller stops and frees it after
 * the channel) and the case's transcript. NULL when out of memory. */
stdio_channel *stdio_channel_new(stdio_process *p, transcript *log);
void stdio_channel_free(stdio_channel *c);

/* Writes one message and an LF. A message holding CR or LF is refused
 * (ERROR, nothing written): STDIO-04 binds the harness too. */
stdio_channel_status stdio_channel_send(stdio_channel *c, const char *json, size_t len,
                                        double deadline_ms);
/* Writes bytes as given (a negative probe: a CRLF, a split message), logged
 * like a line; no LF added, no check. */
stdio_channel_status stdio_channel_send_raw(stdio_channel *c, const void *bytes, size_t len,
                                            double deadline_ms);

/* The next stdout line, in order: OK and *out filled (stdio_line_free it),
 * or TIMEOUT, CLOSED, ERROR (reason in stdio_channel_error). CLOSED comes
 * once stdout and stderr have both ended (stdio_process_pump); while a
 * descendant holds stderr open, a closed stdout ends the wait at its
 * deadline instead. A line still waiting for its LF is reported only when
 * stdout ends (LINE_UNTERMINATED), never at a deadline. */
stdio_channel_status stdio_channel_next(stdio_channel *c, double deadline_ms, stdio_line *out);

/* Reads lines until the response (success or error, by its members) whose
 * id equals id_raw (jsonrpc_id_equal: "1" never matches 1) and hands it
 * over in *out. Every other line read meanwhile (notifications, server
 * requests, other responses, lines that are not messages) is kept, in
 * order, in the collected list. */
stdio_channel_status stdio_channel_await_response(stdio_channel *c, const char *id_raw,
                                                  size_t id_len, double deadline_ms,
                                                  stdio_line *out);

/* Shuts the process down (stdio_process_stop: close stdin, wait, SIGTERM,
 * wait, SIGKILL) while still reading its output into lines, so what it
 * writes during shutdown is queued for stdio_channel_next like any other
 * line; stdout is then finished. The step that ended it goes to *out and
 * the transcript. Returns stdio_process_stop's value. */
int stdio_channel_stop(stdio_channel *c, double eof_wait_ms, double term_wait_ms,
                       stdio_stop *out);

/* Lines collected by await_response, oldest first; at most
 * MCPWIRE_STDIO_COLLECTED_MAX are kept, the rest only counted (they are in
 * the transcript). Clearing frees them. */
size_t stdio_channel_collected_count(const stdio_channel *c);
const stdio_line *stdio_channel_collected_at(const stdio_channel *c, size_t i);
size_t stdio_channel_collected_dropped(const stdio_channel *c);
void stdio_channel_clear_collected(stdio_channel *c);

/* The reason of the last ERROR ("" when none). */
const char *stdio_channel_error(const stdio_channel *c);
/* Bytes of a stdout line begun and not yet ended by its LF: a message
 * written without its newline shows here while its reader waits. */
size_t stdio_channel_pending(const stdio_channel *c);
/* Bytes the child wrote to stderr so far. */
uint64_t stdio_channel_stderr_bytes(const stdio_channel *c);
/* The line codec's counts over stdout (line ends, BOM, NUL, bad UTF-8). */
const line_stats *stdio_channel_line_stats(const stdio_channel *c);

#endif
