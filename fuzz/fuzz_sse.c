/*
 * fuzz_sse: the incremental SSE parser and the SSE writer.
 *
 * Input: byte 0 picks the mode, byte 1 a parameter, the rest is the stream.
 *   mode & 3 == 0  feed in chunks of (param % 16) + 1 bytes
 *   mode & 3 == 1  feed byte by byte
 *   mode & 3 == 2  feed in pseudo-random chunk sizes seeded by the param
 *   mode & 3 == 3  structured: the rest describes sse_out events; write them,
 *                  parse the bytes, compare with what the events say
 *   mode & 4       small caps: line cap 4 + param % 64, event cap
 *                  4 + (param / 4) % 64 bytes, so short inputs reach the
 *                  error paths
 *   mode & 8       empty feeds between chunks
 *   mode & 16      a reconnect in the middle (finish + sse_reset_stream)
 * Oracle (split modes): the log of the split feed (events, retries,
 * comments, the final error, last event ID, reconnection time and, when no
 * error, the framing stats) equals the log of one whole feed. Any mismatch
 * aborts: line ends split across feeds (SSEWIRE-05), BOM split (SSEWIRE-04)
 * and in-place versus copied lines must all give the same result.
 *
 * Speed (docs/FUZZING.md, Throughput): the harness functions are left out of
 * coverage tracing (no_coverage.h), the two logs live for the whole process
 * and are only emptied between inputs, and appends to them are plain
 * copies; libFuzzer's tracing is spent on sse.c.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/sse.h"
#include "mcpwire_limits.h"
#include "no_coverage.h"
#include "sse_event_log.h"

enum { SPLIT_FIXED = 0, SPLIT_BYTES = 1, SPLIT_RANDOM = 2, STRUCTURED = 3 };
enum { MODE_SMALL_CAPS = 4, MODE_EMPTY_FEEDS = 8, MODE_RECONNECT = 16 };

typedef struct split_plan {
  unsigned kind;
  unsigned param;
  uint32_t rng;
  int empty_feeds;
} split_plan;

FUZZ_NO_COVERAGE static uint32_t rng_next(uint32_t *s) {
  uint32_t x = *s ? *s : 0x9e3779b9u;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x;
}

FUZZ_NO_COVERAGE static size_t plan_next_chunk(split_plan *plan) {
  switch (plan->kind) {
  case SPLIT_FIXED: return (plan->param % 16) + 1;
  case SPLIT_BYTES: return 1;
  default: return (rng_next(&plan->rng) % 24) + 1;
  }
}

FUZZ_NO_COVERAGE static void feed_split(sse_parser *p, const uint8_t *buf, size_t len, split_plan *plan) {
  size_t off = 0;
  while (off < len) {
    size_t n = plan_next_chunk(plan);
    if (n > len - off)
      n = len - off;
    if (plan->empty_feeds)
      sse_feed(p, buf + off, 0);
    sse_feed(p, buf + off, n);
    off += n;
  }
}

/* Appends the parser's final state to the log, so it is compared too. */
FUZZ_NO_COVERAGE static void log_final_state(sse_event_log *log, sse_parser *p, int with_stats) {
  size_t id_len = 0;
  const char *id = sse_last_event_id(p, &id_len);
  int64_t state[2] = {(int64_t)sse_error(p), sse_reconnection_ms(p)};
  /* Raw binary records (no printf: this runs twice per input). */
  sse_event_log_event(log, "final", 5, (const char *)state, sizeof state, id ? id : "",
                      id ? id_len : 0);
  if (!with_stats || sse_error(p) != SSE_OK)
    return;
  sse_stats s = *sse_get_stats(p);
  s.split_lines = 0; /* the one counter that depends on how bytes were fed */
  sse_event_log_event(log, "stats", 5, (const char *)&s, sizeof s, "", 0);
}

/* Runs the stream through one parser; plan NULL means one whole feed. */
FUZZ_NO_COVERAGE static void run_stream(sse_event_log *log, const uint8_t *buf, size_t len, size_t cut,
                       split_plan *plan, size_t line_max, size_t event_max) {
  sse_parser *p = sse_parser_new(&sse_event_log_callbacks, log, line_max, event_max);
  if (!p)
    abort();
  if (plan)
    feed_split(p, buf, cut, plan);
  else
    sse_feed(p, buf, cut);
  sse_finish(p);
  if (cut < len) {
    /* A reconnect: BOM and line state start over; id and retry stay. */
    log_final_state(log, p, 1);
    sse_reset_stream(p);
    if (plan)
      feed_split(p, buf + cut, len - cut, plan);
    else
      sse_feed(p, buf + cut, len - cut);
    sse_finish(p);
  }
  log_final_state(log, p, 1);
  sse_parser_free(p);
}

/* The two logs of the split oracle: kept for the whole process and emptied
 * per input, so their memory is allocated once, not per input. */
static sse_event_log whole_log, split_log;
static int logs_ready;

FUZZ_NO_COVERAGE static void fuzz_split(uint8_t mode, uint8_t param, const uint8_t *buf, size_t len) {
  size_t line_max = 0, event_max = 0;
  if (mode & MODE_SMALL_CAPS) {
    line_max = 4 + param % 64;
    event_max = 4 + (param / 4) % 64;
  }
  size_t cut = (mode & MODE_RECONNECT) ? len / 2 : len;
  split_plan plan = {mode & 3u, param, 0x1234567u ^ param, (mode & MODE_EMPTY_FEEDS) != 0};
  if (!logs_ready) {
    sse_event_log_init(&whole_log, SSE_LOG_EXACT);
    sse_event_log_init(&split_log, SSE_LOG_EXACT);
    logs_ready = 1;
  }
  sse_event_log_reset(&whole_log);
  sse_event_log_reset(&split_log);
  run_stream(&whole_log, buf, len, cut, NULL, line_max, event_max);
  run_stream(&split_log, buf, len, cut, &plan, line_max, event_max);
  if (!sse_event_log_equal(&whole_log, &split_log))
    sse_event_log_die("split feed differs from one whole feed", &whole_log, &split_log);
}

/* ---- structured mode: writer, then parser ---- */

typedef struct reader {
  const uint8_t *p;
  size_t left;
} reader;

FUZZ_NO_COVERAGE static uint8_t read_byte(reader *r) {
  if (!r->left)
    return 0;
  r->left--;
  return *r->p++;
}

/* A field string of up to 31 bytes, cut at the first NUL (C strings). */
FUZZ_NO_COVERAGE static void read_cstring(reader *r, char *out, size_t out_size) {
  size_t want = read_byte(r) % 32, n = 0;
  while (want-- && r->left && n + 1 < out_size) {
    char c = (char)read_byte(r);
    if (c == '\0')
      break;
    out[n++] = c;
  }
  out[n] = '\0';
}

FUZZ_NO_COVERAGE static int has_any(const char *s, size_t len, const char *bad) {
  for (size_t i = 0; i < len; i++)
    if (strchr(bad, s[i]) && s[i] != '\0')
      return 1;
  return 0;
}

typedef struct model {
  char last_id[32];
  sse_event_log expect;
} model;

/* Writes one event; when the writer accepts it, adds what a parser must
 * report for it to the model. */
FUZZ_NO_COVERAGE static void write_one(reader *r, dynbuf *wire, model *m) {
  char comment[32], type[32], id[32], data[256];
  uint8_t flags = read_byte(r);
  read_cstring(r, comment, sizeof comment);
  read_cstring(r, type, sizeof type);
  read_cstring(r, id, sizeof id);
  uint32_t retry = (uint32_t)read_byte(r) << 16 | (uint32_t)read_byte(r) << 8 | read_byte(r);
  size_t data_len = read_byte(r);
  for (size_t i = 0; i < data_len; i++)
    data[i] = (char)read_byte(r);
  sse_out ev = {(flags & 1) ? comment : NULL, (flags & 2) ? type : NULL,
                (flags & 4) ? id : NULL, (flags & 8) ? (int64_t)retry : -1,
                data, data_len, (flags & 16) != 0};
  int invalid = (ev.comment && has_any(comment, strlen(comment), "\r\n")) ||
                (ev.type && has_any(type, strlen(type), "\r\n")) ||
                (ev.id && has_any(id, strlen(id), "\r\n")) ||
                (ev.has_data && memchr(data, '\r', data_len));
  size_t before = wire->len;
  int rc = sse_write(wire, &ev);
  if (invalid != (rc == SSE_WRITE_INVALID)) {
    fprintf(stderr, "ORACLE MISMATCH: sse_write returned %d for an event that is %s\n", rc,
            invalid ? "invalid (CR/LF in a field or CR in data)" : "valid");
    abort();
  }
  if (rc != SSE_WRITE_OK) {
    wire->len = before; /* drop whatever a refused event left behind */
    return;
  }
  if (ev.id)
    memcpy(m->last_id, id, strlen(id) + 1);
  if (ev.retry_ms >= 0) {
    char digits[16];
    int n = snprintf(digits, sizeof digits, "%" PRIu32, retry);
    sse_event_log_retry(&m->expect, digits, (size_t)n);
  }
  if (ev.has_data) {
    const char *t = ev.type && ev.type[0] ? ev.type : "message";
    sse_event_log_event(&m->expect, t, strlen(t), data, data_len, m->last_id,
                        strlen(m->last_id));
  }
}

FUZZ_NO_COVERAGE static void fuzz_structured(const uint8_t *buf, size_t len) {
  reader r = {buf, len};
  dynbuf wire;
  dynbuf_init(&wire, MCPWIRE_FUZZ_LOG_MAX);
  model m;
  m.last_id[0] = '\0';
  sse_event_log_init(&m.expect, SSE_LOG_EXACT);
  for (int i = 0; i < 16 && r.left; i++)
    write_one(&r, &wire, &m);
  if (wire.len % 2 == 1 && sse_write_comment(&wire, "keep-alive") != SSE_WRITE_OK)
    abort();

  sse_event_log got;
  sse_event_log_init(&got, SSE_LOG_EXACT);
  sse_callbacks cb = sse_event_log_callbacks;
  cb.on_comment = NULL; /* the model does not predict comment text */
  sse_parser *p = sse_parser_new(&cb, &got, 0, 0);
  if (!p)
    abort();
  sse_feed(p, wire.ptr ? wire.ptr : "", wire.len);
  sse_finish(p);
  if (sse_error(p) != SSE_OK || !sse_event_log_equal(&m.expect, &got)) {
    fprintf(stderr, "wire (%zu bytes): %.*s\n", wire.len, (int)wire.len,
            wire.ptr ? wire.ptr : "");
    sse_event_log_die("parsing the writer's output differs from the events written",
                      &m.expect, &got);
  }
  sse_parser_free(p);
  sse_event_log_free(&got);
  sse_event_log_free(&m.expect);
  dynbuf_free(&wire);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_NO_COVERAGE int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return fuzz_input_too_short();
  uint8_t mode = data[0], param = data[1];
  if ((mode & 3) == STRUCTURED)
    fuzz_structured(data + 2, size - 2);
  else
    fuzz_split(mode, param, data + 2, size - 2);
  return 0;
}
