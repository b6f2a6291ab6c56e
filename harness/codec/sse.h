/*
 * sse: an incremental Server-Sent Events parser and a writer.
 *
 * The parser follows the WHATWG HTML "server-sent events" parsing rules
 * (event stream interpretation, field processing, dispatch) exactly:
 *   - one UTF-8 BOM is skipped at the start of a stream (even when split
 *     across feeds); a second one is ordinary bytes;
 *   - lines end with CRLF, LF or a lone CR; a CRLF split across two feeds is
 *     one line end;
 *   - a blank line dispatches; a line starting with ':' is a comment; the
 *     field name is the text before the first ':' and the value the text
 *     after it, minus one leading space; a line with no ':' is a field with
 *     an empty value; field names are case-sensitive, unknown ones ignored;
 *   - `data` appends value + LF; `event` sets the type; `id` sets the last
 *     event ID buffer unless the value contains NUL; `retry` sets the
 *     reconnection time only when the value is one or more ASCII digits;
 *   - at dispatch the last event ID string takes the buffer's value (also
 *     when no event fires); empty data fires nothing and clears the type;
 *     the final LF of the data is removed; the type defaults to "message";
 *   - at end of stream an unterminated line and a pending event are dropped.
 *
 * The parser works on bytes. UTF-8 decoding with U+FFFD replacement is the
 * consumer's business: every character the rules look at is ASCII, so byte
 * processing gives the same result as decode-then-parse.
 *
 * Push API: sse_feed() any number of bytes, events arrive through callbacks
 * before sse_feed() returns. Complete lines are read in place; only a line
 * split across feeds and the data of an event are copied, into buffers that
 * are reused (no allocation per byte or per event once warm). Caps on line
 * and event size give an error; errors are sticky.
 */
#ifndef MCPWIRE_SSE_H
#define MCPWIRE_SSE_H

#include <stddef.h>
#include <stdint.h>

#include "codec/dynbuf.h"

/* One dispatched event. Pointers are valid only during the callback. */
typedef struct sse_event {
  /* Lengths are exact: the strings may hold NUL bytes and `data` is not
   * NUL-terminated (it may point into the caller's feed buffer). */
  const char *type;    /* "message" when the block had no (or empty) event */
  size_t type_len;
  const char *data;    /* data lines joined with LF, final LF removed */
  size_t data_len;
  const char *last_event_id; /* the last event ID string at dispatch */
  size_t last_event_id_len;
} sse_event;

typedef struct sse_callbacks {
  /* Called for every dispatched event. Required. */
  void (*on_event)(void *user, const sse_event *ev);
  /* Called for every `retry` field that sets the reconnection time. `digits`
   * is the value with leading zeros removed ("0" for zero); `ms` saturates at
   * UINT64_MAX. Optional. */
  void (*on_retry)(void *user, uint64_t ms, const char *digits, size_t len);
  /* Called for every comment line (text after the ':'). Optional. */
  void (*on_comment)(void *user, const char *text, size_t len);
} sse_callbacks;

typedef enum sse_status {
  SSE_OK = 0,
  SSE_ERR_LINE_TOO_LONG,  /* a line passed the line cap */
  SSE_ERR_EVENT_TOO_LARGE,/* an event's data passed the event cap */
  SSE_ERR_NOMEM
} sse_status;

/* Valid-but-unusual framing seen so far: what the harness reports as
 * information. Counts saturate; they never fail a parse. */
typedef struct sse_stats {
  uint64_t bytes;
  uint64_t events;           /* dispatched */
  uint64_t lines_lf, lines_crlf, lines_cr; /* line ends by kind */
  uint64_t comments;
  uint64_t bom;              /* 1 when the stream began with a BOM */
  uint64_t fields_no_space;  /* "name:value" without the optional space */
  uint64_t fields_no_colon;  /* a field line with no colon */
  uint64_t fields_unknown;   /* ignored field names */
  uint64_t ids_with_nul;     /* `id` fields ignored for a NUL */
  uint64_t retries_invalid;  /* `retry` fields ignored for non-digits */
  uint64_t empty_dispatches; /* blank lines that fired nothing */
  uint64_t split_lines;      /* lines that arrived across more than one feed */
  uint64_t unterminated_at_end; /* sse_finish dropped a line or event with no blank line */
} sse_stats;

typedef struct sse_parser sse_parser;

/* line_max / event_max of 0 mean MCPWIRE_SSE_LINE_MAX / MCPWIRE_SSE_EVENT_MAX.
 * Returns NULL only when out of memory. */
sse_parser *sse_parser_new(const sse_callbacks *cb, void *user,
                           size_t line_max, size_t event_max);
void sse_parser_free(sse_parser *p);

/* Feeds bytes; callbacks run before it returns. Once an error is returned,
 * every later call returns the same error and does nothing. Callbacks must
 * not call into the same parser (added note). */
sse_status sse_feed(sse_parser *p, const void *buf, size_t len);

/* End of stream: drops an unterminated line and any pending event. */
void sse_finish(sse_parser *p);

/* Starts a new stream on the same parser, as a reconnect does: the BOM
 * check, line and event state are reset; the last event ID string and the
 * reconnection time are kept. Clears a sticky error and the stats. */
void sse_reset_stream(sse_parser *p);

sse_status sse_error(const sse_parser *p);
/* The status's name, e.g. "line too long". */
const char *sse_status_text(sse_status s);
/* The parser's error as a reason: a cap error names its cap in bytes ("line
 * over the cap of 8388608 bytes", "event data over the cap of 16 bytes");
 * otherwise sse_status_text(sse_error(p)). Owned by the parser. */
const char *sse_error_text(const sse_parser *p);
/* The last event ID string (what a reconnect sends as Last-Event-ID). */
const char *sse_last_event_id(const sse_parser *p, size_t *len);
/* Reconnection time in ms, or -1 when no valid `retry` was seen. */
int64_t sse_reconnection_ms(const sse_parser *p);
const sse_stats *sse_get_stats(const sse_parser *p);

/* ---- writer ---- */

/* One event to serialise. NULL fields are left out. */
typedef struct sse_out {
  const char *comment;  /* written first as ": comment" (no CR or LF) */
  const char *type;     /* `event:` line (no CR or LF) */
  const char *id;       /* `id:` line (no NUL, CR or LF); "" writes `id:` */
  int64_t retry_ms;     /* `retry:` line when >= 0 */
  const char *data;     /* split on LF into `data:` lines; no CR allowed */
  size_t data_len;
  int has_data;         /* 1 to write data (also when data_len is 0) */
} sse_out;

typedef enum sse_write_status {
  SSE_WRITE_OK = 0,
  SSE_WRITE_INVALID = -1, /* a field holds a byte the wire cannot carry */
  SSE_WRITE_TOO_BIG = -2, /* the output buffer's cap */
  SSE_WRITE_NOMEM = -3    /* added: allocation failed (out is unchanged) */
} sse_write_status;

/* Appends one event, ended by a blank line, to `out`. A block with no data
 * still gets its blank line (it sets id / retry without firing). */
int sse_write(dynbuf *out, const sse_out *ev);
/* Appends one comment line ":" text "\n" (a keep-alive). */
int sse_write_comment(dynbuf *out, const char *text);

#endif
