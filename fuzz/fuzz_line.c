/*
 * fuzz_line: the stdio line codec (codec/line.c) against a trivial
 * whole-buffer splitter written here from the rules in line.h.
 *
 * Input: byte 0 picks the mode, byte 1 a parameter, the rest is the stream.
 *   mode & 3 == 0  feed in chunks of (param % 16) + 1 bytes
 *   mode & 3 == 1  feed byte by byte
 *   mode & 3 == 2  feed in pseudo-random chunk sizes seeded by the param
 *   mode & 3 == 3  feed in two pieces, cut at param / 255 of the stream
 *   mode & 4       small cap: line cap 1 + param % 32, so short inputs
 *                  reach the too-long paths (else MCPWIRE_STDIO_LINE_MAX)
 *   mode & 8       empty feeds between chunks
 * Oracles (abort on failure):
 *   - the events of one whole feed, and of the split feed, each equal the
 *     reference splitter's (terminator kind, number, offset, BOM flag,
 *     lone CRs, first NUL, first invalid UTF-8, the bytes);
 *   - no event reports a byte not yet fed (offset + length + terminator
 *     within the bytes fed so far), and after finish the accounting holds:
 *     fed == 3 * BOM + every line and its terminator + dropped.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/dynbuf.h"
#include "codec/line.h"
#include "mcpwire_limits.h"
#include "no_coverage.h"

enum { SPLIT_FIXED = 0, SPLIT_BYTES = 1, SPLIT_RANDOM = 2, SPLIT_TWO = 3 };
enum { MODE_SMALL_CAP = 4, MODE_EMPTY_FEEDS = 8 };

/* One event as a fixed record, followed by its bytes. */
typedef struct record {
  uint32_t end;
  uint32_t bom;
  uint64_t number, offset, lone_cr, len;
  int64_t first_nul, first_bad_utf8;
} record;

/* A log of records, plus what the feeding side knows while it runs. */
typedef struct event_log {
  dynbuf out;
  uint64_t fed;       /* bytes fed so far, the current feed included */
  uint64_t reported;  /* line bytes and terminators reported */
} event_log;

static event_log ref_log, whole_log, split_log;
static int logs_ready;

FUZZ_NO_COVERAGE static void die(const char *what) {
  fprintf(stderr, "ORACLE MISMATCH: %s\n", what);
  abort();
}

FUZZ_NO_COVERAGE static size_t end_bytes(line_end e) {
  return e == LINE_LF ? 1 : e == LINE_CRLF ? 2 : 0;
}

FUZZ_NO_COVERAGE static void log_add(event_log *log, const record *rec, const char *data) {
  if (dynbuf_add(&log->out, rec, sizeof *rec) != DYNBUF_OK ||
      dynbuf_add(&log->out, data, (size_t)rec->len) != DYNBUF_OK)
    die("event log over its cap");
}

/* The codec's callback: records the event and checks it against the bytes fed. */
FUZZ_NO_COVERAGE static void on_line(void *user, const line_event *ev) {
  event_log *log = user;
  record rec = {(uint32_t)ev->end, (uint32_t)ev->bom, ev->number, ev->offset,
                ev->lone_cr, ev->len, ev->first_nul, ev->first_bad_utf8};
  if (ev->end == LINE_TOO_LONG) {
    if (ev->data || ev->len)
      die("a too-long line came with data");
  } else {
    if (!ev->data && ev->len)
      die("a line with a length and no data");
    uint64_t n = ev->len + end_bytes(ev->end);
    if (ev->offset > log->fed || n > log->fed - ev->offset)
      die("a line reports bytes not fed yet");
    log->reported += n;
  }
  log_add(log, &rec, ev->data ? ev->data : "");
}

/* ---- the reference: the whole buffer, one byte at a time ---- */

/* Bytes a UTF-8 lead needs after it and the range of the first one; 0
 * when the byte cannot start a sequence (RFC 3629, Table 3-7 of Unicode). */
FUZZ_NO_COVERAGE static int utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi) {
  *lo = 0x80;
  *hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) return 1;
  if (c == 0xE0) { *lo = 0xA0; return 2; }
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return 2;
  if (c == 0xED) { *hi = 0x9F; return 2; }
  if (c == 0xF0) { *lo = 0x90; return 3; }
  if (c >= 0xF1 && c <= 0xF3) return 3;
  if (c == 0xF4) { *hi = 0x8F; return 3; }
  return 0;
}

FUZZ_NO_COVERAGE static int64_t ref_bad_utf8(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    unsigned char lo, hi;
    int need = utf8_lead(s[i], &lo, &hi);
    if (!need || n - i <= (size_t)need)
      return (int64_t)i;
    if (s[i + 1] < lo || s[i + 1] > hi)
      return (int64_t)i;
    for (int k = 2; k <= need; k++)
      if (s[i + (size_t)k] < 0x80 || s[i + (size_t)k] > 0xBF)
        return (int64_t)i;
    i += (size_t)need + 1;
  }
  return -1;
}

FUZZ_NO_COVERAGE static void ref_line(event_log *log, const unsigned char *s, size_t n, line_end end,
                     uint64_t number, uint64_t offset, int bom, size_t cap) {
  record rec = {(uint32_t)end, (uint32_t)bom, number, offset, 0, n, -1, -1};
  if (n > cap) {
    rec.end = LINE_TOO_LONG;
    rec.len = 0;
    log_add(log, &rec, "");
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\r')
      rec.lone_cr++;
    if (s[i] == 0 && rec.first_nul < 0)
      rec.first_nul = (int64_t)i;
  }
  rec.first_bad_utf8 = ref_bad_utf8(s, n);
  log_add(log, &rec, (const char *)s);
}

FUZZ_NO_COVERAGE static void reference(event_log *log, const unsigned char *buf, size_t len, size_t cap) {
  int bom = len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF;
  size_t pos = bom ? 3 : 0;
  uint64_t number = 0;
  while (pos < len) {
    size_t lf = pos;
    while (lf < len && buf[lf] != '\n')
      lf++;
    size_t stop = lf;
    line_end end = lf < len ? LINE_LF : LINE_UNTERMINATED;
    if (end == LINE_LF && stop > pos && buf[stop - 1] == '\r') {
      stop--;
      end = LINE_CRLF;
    }
    number++;
    ref_line(log, buf + pos, stop - pos, end, number, pos, number == 1 && bom, cap);
    pos = lf < len ? lf + 1 : len;
  }
}

/* ---- feeding the codec ---- */

typedef struct split_plan {
  unsigned kind, param;
  uint32_t rng;
  int empty_feeds;
  size_t cut;
} split_plan;

FUZZ_NO_COVERAGE static size_t plan_next_chunk(split_plan *plan, size_t off) {
  switch (plan->kind) {
  case SPLIT_FIXED: return (plan->param % 16) + 1;
  case SPLIT_BYTES: return 1;
  case SPLIT_TWO: return off < plan->cut ? plan->cut - off : SIZE_MAX;
  default: {
    uint32_t x = plan->rng ? plan->rng : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    plan->rng = x;
    return (x % 24) + 1;
  }
  }
}

FUZZ_NO_COVERAGE static void feed(line_reader *r, event_log *log, const unsigned char *buf, size_t n) {
  log->fed += n;
  if (line_feed(r, buf, n) != LINE_OK)
    die("line_feed failed on a small input");
}

/* Runs the stream through one reader; plan NULL means one whole feed. */
FUZZ_NO_COVERAGE static void run(event_log *log, const unsigned char *buf, size_t len, split_plan *plan,
                size_t cap) {
  line_reader *r = line_reader_new(on_line, log, cap);
  if (!r)
    abort();
  size_t off = 0;
  while (plan && off < len) {
    size_t n = plan_next_chunk(plan, off);
    if (n > len - off)
      n = len - off;
    if (plan->empty_feeds)
      feed(r, log, buf + off, 0);
    feed(r, log, buf + off, n);
    off += n;
  }
  if (!plan)
    feed(r, log, buf, len);
  line_finish(r);
  const line_stats *st = line_get_stats(r);
  if (st->bytes != len || st->bytes != 3 * st->bom + log->reported + st->dropped)
    die("bytes fed != BOM + lines and terminators + dropped");
  line_reader_free(r);
}

FUZZ_NO_COVERAGE static void log_reset(event_log *log) {
  dynbuf_reset(&log->out);
  log->fed = log->reported = 0;
}

FUZZ_NO_COVERAGE static void compare(const event_log *want, const event_log *got, const char *what) {
  if (want->out.len == got->out.len &&
      (!want->out.len || !memcmp(want->out.ptr, got->out.ptr, want->out.len)))
    return;
  fprintf(stderr, "logs: reference %zu bytes, codec %zu bytes\n", want->out.len, got->out.len);
  die(what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_NO_COVERAGE int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return fuzz_input_too_short();
  if (!logs_ready) {
    dynbuf_init(&ref_log.out, MCPWIRE_FUZZ_LOG_MAX);
    dynbuf_init(&whole_log.out, MCPWIRE_FUZZ_LOG_MAX);
    dynbuf_init(&split_log.out, MCPWIRE_FUZZ_LOG_MAX);
    logs_ready = 1;
  }
  uint8_t mode = data[0], param = data[1];
  const unsigned char *buf = data + 2;
  size_t len = size - 2;
  size_t cap = (mode & MODE_SMALL_CAP) ? 1 + param % 32u : MCPWIRE_STDIO_LINE_MAX;
  split_plan plan = {mode & 3u, param, 0x1234567u ^ param, (mode & MODE_EMPTY_FEEDS) != 0,
                     len * param / 255};
  log_reset(&ref_log);
  log_reset(&whole_log);
  log_reset(&split_log);
  reference(&ref_log, buf, len, cap);
  run(&whole_log, buf, len, NULL, cap);
  compare(&ref_log, &whole_log, "one whole feed differs from the reference splitter");
  run(&split_log, buf, len, &plan, cap);
  compare(&ref_log, &split_log, "a split feed differs from the reference splitter");
  return 0;
}
