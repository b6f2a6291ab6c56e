/*
 * line_unit_test: what the golden vectors cannot show of the stdio line
 * codec: lines of several MiB in pipe-sized reads, the default cap, where
 * data points, and allocations (none per byte or per line).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codec/line.h"
#include "mcpwire_limits.h"

void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void *__real_calloc(size_t a, size_t b);
void *__wrap_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_calloc(size_t a, size_t b);

static unsigned long allocations;

void *__wrap_malloc(size_t n) {
  allocations++;
  return __real_malloc(n);
}
void *__wrap_realloc(void *p, size_t n) {
  allocations++;
  return __real_realloc(p, n);
}
void *__wrap_calloc(size_t a, size_t b) {
  allocations++;
  return __real_calloc(a, b);
}

/* What the callback saw: the last event, with its data checked against a
 * pattern (byte i of line k is 'a' + (i + k) % 26) instead of kept. */
typedef struct seen {
  int lines;
  line_event last;
  int bad_pattern;               /* lines whose bytes differ from it */
  const char *feed_lo, *feed_hi; /* the current feed buffer */
  int in_place;                  /* lines whose data pointed into it */
} seen;

static void on_line(void *user, const line_event *ev) {
  seen *s = user;
  s->lines++;
  s->last = *ev;
  for (size_t i = 0; i < ev->len; i++)
    if (ev->data[i] != (char)('a' + (i + ev->number) % 26)) {
      s->bad_pattern++;
      break;
    }
  if (ev->data && ev->data >= s->feed_lo && ev->data < s->feed_hi)
    s->in_place++;
}

static char *pattern_line(size_t len, uint64_t number) {
  char *b = malloc(len + 1);
  for (size_t i = 0; i < len; i++)
    b[i] = (char)('a' + (i + number) % 26);
  b[len] = '\n';
  return b;
}

/* Feeds [buf, buf+len) in reads of `chunk` bytes, as from a pipe. */
static void feed_chunks(line_reader *r, seen *s, const char *buf, size_t len, size_t chunk) {
  for (size_t off = 0; off < len; off += chunk) {
    size_t n = len - off < chunk ? len - off : chunk;
    s->feed_lo = buf + off;
    s->feed_hi = buf + off + n;
    CHECK_INT(line_feed(r, buf + off, n), LINE_OK);
  }
}

/* A 6 MiB line in 64 KiB reads: one line, whole, few allocations. */
static void test_several_mib_line(void) {
  size_t len = 6u * 1024 * 1024;
  char *line = pattern_line(len, 1);
  seen s = {0};
  line_reader *r = line_reader_new(on_line, &s, 0);
  unsigned long before = allocations;
  feed_chunks(r, &s, line, len + 1, 64 * 1024);
  CHECK_INT(s.lines, 1);
  CHECK_INT(s.last.len, len);
  CHECK_INT(s.last.end, LINE_LF);
  CHECK_INT(s.bad_pattern, 0);
  CHECK_INT(s.last.first_bad_utf8, -1);
  CHECK_INT(line_get_stats(r)->split_lines, 1);
  /* geometric growth: about log2(6 MiB / 64) reallocations, not 96 */
  CHECK(allocations - before <= 20);
  line_reader_free(r);
  free(line);
}

/* Past the default cap without an LF: reported once, memory stays at the
 * cap, the next line after the LF is whole. */
static void test_default_cap(void) {
  size_t len = MCPWIRE_STDIO_LINE_MAX + 4096;
  char *line = pattern_line(len, 1);
  seen s = {0};
  line_reader *r = line_reader_new(on_line, &s, 0);
  feed_chunks(r, &s, line, len, 64 * 1024); /* no LF yet */
  CHECK_INT(s.lines, 1);
  CHECK_INT(s.last.end, LINE_TOO_LONG);
  CHECK(s.last.data == NULL);
  feed_chunks(r, &s, line, len, 64 * 1024); /* still the same line */
  CHECK_INT(s.lines, 1);
  char *next = pattern_line(10, 2);
  feed_chunks(r, &s, "\n", 1, 1);
  feed_chunks(r, &s, next, 11, 11);
  CHECK_INT(s.lines, 2);
  CHECK_INT(s.last.number, 2);
  CHECK_INT(s.last.len, 10);
  CHECK_INT(s.bad_pattern, 0);
  CHECK_INT(s.last.offset, 2 * (uint64_t)len + 1);
  CHECK_INT(line_get_stats(r)->dropped, 2 * (uint64_t)len + 1);
  line_reader_free(r);
  free(line);
  free(next);
}

/* Lines whole inside a feed are handed over in place, without allocating. */
static void test_in_place(void) {
  size_t count = 1000, len = 100;
  char *buf = malloc(count * (len + 1));
  for (size_t k = 0; k < count; k++) {
    char *l = pattern_line(len, k + 1);
    memcpy(buf + k * (len + 1), l, len + 1);
    free(l);
  }
  seen s = {0};
  line_reader *r = line_reader_new(on_line, &s, 0);
  unsigned long before = allocations;
  feed_chunks(r, &s, buf, count * (len + 1), count * (len + 1));
  CHECK_INT(allocations - before, 0);
  CHECK_INT(s.lines, (int)count);
  CHECK_INT(s.in_place, (int)count);
  CHECK_INT(s.bad_pattern, 0);
  /* byte by byte: the one carry buffer is reused, no allocation per line */
  line_reader *r2 = line_reader_new(on_line, &s, 0);
  feed_chunks(r2, &s, buf, len + 1, 1); /* warms the buffer */
  before = allocations;
  feed_chunks(r2, &s, buf + len + 1, (count - 1) * (len + 1), 1);
  CHECK_INT(allocations - before, 0);
  CHECK_INT(s.lines, 2 * (int)count);
  line_reader_free(r);
  line_reader_free(r2);
  free(buf);
}

static void test_names(void) {
  CHECK_STR(line_end_name(LINE_LF), "lf");
  CHECK_STR(line_end_name(LINE_CRLF), "crlf");
  CHECK_STR(line_end_name(LINE_UNTERMINATED), "unterminated");
  CHECK_STR(line_end_name(LINE_TOO_LONG), "too-long");
}

int main(void) {
  test_several_mib_line();
  test_default_cap();
  test_in_place();
  test_names();
  return CHECK_DONE("line_unit_test");
}
