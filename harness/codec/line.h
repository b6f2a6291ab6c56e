/*
 * line: an incremental line codec for the stdio transport (STDIO-03/04,
 * S26-STDIO-01): newline-delimited JSON-RPC on a child's stdout.
 *
 * The codec splits bytes into lines and shows everything a conformance
 * harness must judge rather than normalising it away:
 *   - LF ends a line. A CR right before the LF makes the terminator CRLF
 *     (reported, STDIO-12); any other CR is a byte inside the line, counted
 *     in `lone_cr` (the spec knows no CR terminator);
 *   - a line longer than the cap (terminator not counted) is reported once,
 *     as LINE_TOO_LONG with no data, as soon as the cap is passed; its bytes
 *     up to and including the next LF are dropped, then lines resume;
 *   - line_finish() reports a last line that has no LF (LINE_UNTERMINATED);
 *   - each line reports its first NUL byte and the start of its first
 *     invalid UTF-8 sequence (RFC 3629: overlongs, surrogates and code
 *     points past U+10FFFF are invalid), as offsets inside the line;
 *   - one UTF-8 BOM at the very start of the stream (even split across
 *     feeds) is taken out of the first line and reported (`bom` on line 1
 *     and in the stats); a partial BOM is ordinary line bytes.
 *
 * Push API: line_feed() any slicing of the stream, events arrive through
 * the callback before it returns, identical for every slicing. A line
 * complete inside one feed is handed over in place; only a line split
 * across feeds is copied, into one buffer grown geometrically up to the
 * cap (no allocation per byte or per line once warm).
 * Accounting: after line_finish(), bytes fed == 3 * bom + the sum of every
 * reported line's length and terminator (LF 1, CRLF 2) + stats.dropped.
 */
#ifndef MCPWIRE_LINE_H
#define MCPWIRE_LINE_H

#include <stddef.h>
#include <stdint.h>

/* How a reported line ended. */
typedef enum line_end {
  LINE_LF = 0,       /* "\n" */
  LINE_CRLF,         /* "\r\n" */
  LINE_UNTERMINATED, /* the stream ended first (line_finish) */
  LINE_TOO_LONG      /* over the cap: no data, the rest is dropped */
} line_end;

/* One line. Pointers are valid only during the callback; `data` may point
 * into the caller's feed buffer and is not NUL-terminated. */
typedef struct line_event {
  const char *data;   /* the line without its terminator; NULL for LINE_TOO_LONG */
  size_t len;
  line_end end;
  uint64_t number;    /* 1 for the first line; a too-long line counts */
  uint64_t offset;    /* stream offset of the line's first byte (a BOM counts) */
  int bom;            /* line 1 of a stream that began with a BOM */
  size_t lone_cr;     /* CR bytes inside the line (not the CR of a CRLF) */
  int64_t first_nul;  /* offset in the line of the first NUL, or -1 */
  int64_t first_bad_utf8; /* offset in the line where the first invalid
                           * UTF-8 sequence starts, or -1 */
} line_event;

typedef void (*line_callback)(void *user, const line_event *ev);

/* Counts over the stream; they saturate and never fail a parse. */
typedef struct line_stats {
  uint64_t bytes;        /* fed so far */
  uint64_t lines;        /* reported, every kind */
  uint64_t lines_lf, lines_crlf, unterminated, too_long;
  uint64_t lone_cr;      /* lines with at least one lone CR */
  uint64_t with_nul;     /* lines with a NUL */
  uint64_t bad_utf8;     /* lines with invalid UTF-8 */
  uint64_t bom;          /* 1 when the stream began with a BOM */
  uint64_t dropped;      /* bytes of too-long lines, terminators included */
  uint64_t split_lines;  /* lines that arrived across feeds (depends on slicing) */
  uint64_t longest;      /* longest reported line's length */
} line_stats;

typedef enum line_status {
  LINE_OK = 0,
  LINE_ERR_NOMEM
} line_status;

typedef struct line_reader line_reader;

/* line_max 0 means MCPWIRE_STDIO_LINE_MAX. NULL only when out of memory. */
line_reader *line_reader_new(line_callback cb, void *user, size_t line_max);
void line_reader_free(line_reader *r);

/* Feeds bytes; the callback runs before it returns and must not call into
 * the same reader. An error is sticky: later calls return it and do nothing. */
line_status line_feed(line_reader *r, const void *buf, size_t len);

/* End of stream: reports a last line without LF (a too-long line was
 * reported already). Call it once; bytes fed after it start a new line. */
line_status line_finish(line_reader *r);

line_status line_error(const line_reader *r);
const line_stats *line_get_stats(const line_reader *r);
/* Bytes of a line begun and not yet ended (held until its LF or the end). */
size_t line_pending(const line_reader *r);
/* "lf", "crlf", "unterminated", "too-long". */
const char *line_end_name(line_end e);

#endif
