/*
 * line.c: the incremental stdio line codec (contract in line.h).
 *
 * State between feeds: `open` says a line has begun and not ended; its
 * bytes so far sit in `carry`, except a CR that ended the last feed, which
 * waits in `pending_cr` until the next byte says whether it is half of a
 * CRLF or a byte of the line. `discarding` skips a too-long line up to its
 * LF. Offsets are stream offsets: stats.bytes before the feed + position.
 */
#include "codec/line.h"

#include <stdlib.h>
#include <string.h>

#include "codec/dynbuf.h"
#include "codec/utf8.h"
#include "mcpwire_limits.h"

static const unsigned char BOM[3] = {0xEF, 0xBB, 0xBF};

struct line_reader {
  line_callback cb;
  void *user;
  size_t line_max;
  line_status err;
  line_stats stats;
  unsigned bom_matched; /* BOM bytes matched so far at stream start */
  int bom_done;
  int open;             /* a line has begun: carry (+ pending_cr) holds it */
  int pending_cr;       /* the last byte fed was a CR of the open line */
  int discarding;       /* dropping a too-long line up to its LF */
  uint64_t line_start;  /* stream offset of the open line */
  uint64_t number;      /* lines reported so far */
  dynbuf carry;
};

static void count(uint64_t *n, uint64_t by) {
  *n = *n > UINT64_MAX - by ? UINT64_MAX : *n + by;
}

line_reader *line_reader_new(line_callback cb, void *user, size_t line_max) {
  line_reader *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->cb = cb;
  r->user = user;
  r->line_max = line_max ? line_max : MCPWIRE_STDIO_LINE_MAX;
  dynbuf_init(&r->carry, r->line_max);
  return r;
}

void line_reader_free(line_reader *r) {
  if (!r)
    return;
  dynbuf_free(&r->carry);
  free(r);
}

/* ---- what a line holds ---- */

/* Offset of the first invalid UTF-8 sequence, or -1; ASCII words skipped. */
static int64_t first_bad_utf8(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    if (len - i >= 8) {
      uint64_t w;
      memcpy(&w, u + i, 8);
      if (!(w & 0x8080808080808080ull)) {
        i += 8;
        continue;
      }
    }
    long cp;
    size_t n = utf8_next(u + i, len - i, &cp);
    if (cp < 0)
      return (int64_t)i;
    i += n;
  }
  return -1;
}

static size_t count_cr(const char *s, size_t len) {
  size_t n = 0;
  const char *end = s + len;
  while (s < end && (s = memchr(s, '\r', (size_t)(end - s))) != NULL) {
    n++;
    s++;
  }
  return n;
}

/* Reports one line; `offset` is its stream offset. */
static void emit(line_reader *r, const char *data, size_t len, line_end end,
                 uint64_t offset) {
  line_event ev = {data, len, end, ++r->number, offset, 0, 0, -1, -1};
  ev.bom = ev.number == 1 && r->stats.bom;
  count(&r->stats.lines, 1);
  if (end == LINE_TOO_LONG) {
    ev.data = NULL;
    ev.len = 0;
    count(&r->stats.too_long, 1);
  } else {
    const char *nul = memchr(data, '\0', len);
    ev.first_nul = nul ? (int64_t)(nul - data) : -1;
    ev.lone_cr = count_cr(data, len);
    ev.first_bad_utf8 = first_bad_utf8(data, len);
    count(end == LINE_LF ? &r->stats.lines_lf
          : end == LINE_CRLF ? &r->stats.lines_crlf : &r->stats.unterminated, 1);
    count(&r->stats.lone_cr, ev.lone_cr != 0);
    count(&r->stats.with_nul, nul != NULL);
    count(&r->stats.bad_utf8, ev.first_bad_utf8 >= 0);
    if (len > r->stats.longest)
      r->stats.longest = len;
  }
  r->cb(r->user, &ev);
}

/* ---- the open line ---- */

/* The open line passed the cap: report it, drop what is held, skip to LF. */
static void overflow(line_reader *r) {
  count(&r->stats.dropped, r->carry.len);
  emit(r, NULL, 0, LINE_TOO_LONG, r->line_start);
  dynbuf_reset(&r->carry);
  r->pending_cr = 0;
  r->open = 0;
  r->discarding = 1;
}

/* Appends line bytes to the open line (opened at `at` if need be). Past
 * the cap the line is reported and these bytes are counted as dropped. */
static void carry_add(line_reader *r, const char *s, size_t len, uint64_t at) {
  if (!r->open) {
    r->open = 1;
    r->line_start = at;
  }
  if (len > r->line_max || r->carry.len > r->line_max - len) {
    overflow(r);
    count(&r->stats.dropped, len);
    return;
  }
  if (dynbuf_add(&r->carry, s, len) != DYNBUF_OK)
    r->err = LINE_ERR_NOMEM;
}

/* Ends the open line with the bytes [s, s+len) and terminator `end`. */
static void close_open(line_reader *r, const char *s, size_t len, line_end end) {
  carry_add(r, s, len, 0);
  if (r->discarding || r->err)
    return;
  count(&r->stats.split_lines, 1);
  emit(r, r->carry.ptr ? r->carry.ptr : "", r->carry.len, end, r->line_start);
  dynbuf_reset(&r->carry);
  r->open = 0;
}

/* Matches the BOM at stream start, byte by byte across feeds; the bytes of
 * a partial match that then fails open the first line. */
static const char *skip_bom(line_reader *r, const char *s, const char *end) {
  while (!r->bom_done && s < end) {
    if ((unsigned char)*s == BOM[r->bom_matched]) {
      s++;
      if (++r->bom_matched == 3) {
        r->bom_done = 1;
        r->stats.bom = 1;
      }
      continue;
    }
    r->bom_done = 1;
    if (r->bom_matched)
      carry_add(r, (const char *)BOM, r->bom_matched, 0);
  }
  return s;
}

/* The rest of a feed with no LF: the open line continues (a final CR may
 * be half of a CRLF). */
static void tail(line_reader *r, const char *s, const char *end, uint64_t at) {
  size_t n = (size_t)(end - s);
  int cr = n && end[-1] == '\r';
  carry_add(r, s, n - (size_t)cr, at);
  if (!r->discarding)
    r->pending_cr = cr;
  else if (cr)
    count(&r->stats.dropped, 1);
}

/* Skips a too-long line's bytes up to and including its LF. */
static const char *discard(line_reader *r, const char *s, const char *end) {
  const char *lf = memchr(s, '\n', (size_t)(end - s));
  const char *next = lf ? lf + 1 : end;
  count(&r->stats.dropped, (uint64_t)(next - s));
  if (lf)
    r->discarding = 0;
  return next;
}

/* A pending CR meets the next byte: CRLF, or a byte of the line. */
static const char *resolve_cr(line_reader *r, const char *s, uint64_t at) {
  r->pending_cr = 0;
  if (*s == '\n') {
    close_open(r, "", 0, LINE_CRLF);
    return s + 1;
  }
  carry_add(r, "\r", 1, at);
  return s;
}

/* One line that ends at `lf`, from `s`: in place unless a line is open. */
static void line_at(line_reader *r, const char *s, const char *lf, uint64_t at) {
  size_t n = (size_t)(lf - s);
  line_end end = LINE_LF;
  if (n && lf[-1] == '\r') {
    end = LINE_CRLF;
    n--;
  }
  if (r->open) {
    close_open(r, s, n, end);
    if (r->discarding) { /* carry_add counted the line bytes, not the end */
      count(&r->stats.dropped, (uint64_t)(lf + 1 - s) - n);
      r->discarding = 0;
    }
    return;
  }
  if (n > r->line_max) {
    count(&r->stats.dropped, (uint64_t)(lf + 1 - s));
    emit(r, NULL, 0, LINE_TOO_LONG, at);
    return;
  }
  emit(r, s, n, end, at);
}

line_status line_feed(line_reader *r, const void *buf, size_t len) {
  if (r->err || len == 0)
    return r->err;
  const char *start = buf, *s = start, *end = start + len;
  uint64_t base = r->stats.bytes;
  count(&r->stats.bytes, len);
  s = skip_bom(r, s, end);
  while (s < end && !r->err) {
    uint64_t at = base + (uint64_t)(s - start);
    if (r->discarding) {
      s = discard(r, s, end);
      continue;
    }
    if (r->pending_cr) {
      s = resolve_cr(r, s, at);
      continue;
    }
    const char *lf = memchr(s, '\n', (size_t)(end - s));
    if (!lf) {
      tail(r, s, end, at);
      break;
    }
    line_at(r, s, lf, at);
    s = lf + 1;
  }
  return r->err;
}

line_status line_finish(line_reader *r) {
  if (r->err)
    return r->err;
  if (!r->bom_done && r->bom_matched) { /* a BOM cut short is line bytes */
    r->bom_done = 1;
    carry_add(r, (const char *)BOM, r->bom_matched, 0);
  }
  r->bom_done = 1;
  if (r->pending_cr) {
    r->pending_cr = 0;
    carry_add(r, "\r", 1, 0);
  }
  if (r->open && !r->discarding && !r->err) {
    emit(r, r->carry.ptr ? r->carry.ptr : "", r->carry.len, LINE_UNTERMINATED,
         r->line_start);
    dynbuf_reset(&r->carry);
  }
  r->open = 0;
  r->discarding = 0;
  return r->err;
}

line_status line_error(const line_reader *r) { return r->err; }

size_t line_pending(const line_reader *r) {
  return r->open ? r->carry.len + (size_t)r->pending_cr : 0;
}

const line_stats *line_get_stats(const line_reader *r) { return &r->stats; }

const char *line_end_name(line_end e) {
  switch (e) {
  case LINE_LF: return "lf";
  case LINE_CRLF: return "crlf";
  case LINE_UNTERMINATED: return "unterminated";
  case LINE_TOO_LONG: return "too-long";
  }
  return "?";
}
