#include "sse_event_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "no_coverage.h"

/* Harness code: every function here is left out of coverage tracing
 * (no_coverage.h); appends that fit go straight to memory. */

/* Largest integer a double holds exactly (JavaScript's MAX_SAFE_INTEGER). */
static const char SAFE_INTEGER_MAX[] = "9007199254740991";

FUZZ_NO_COVERAGE void sse_event_log_init(sse_event_log *log, sse_log_format format) {
  dynbuf_init(&log->buf, MCPWIRE_FUZZ_LOG_MAX);
  log->format = format;
  log->full = 0;
}

FUZZ_NO_COVERAGE void sse_event_log_free(sse_event_log *log) { dynbuf_free(&log->buf); }

FUZZ_NO_COVERAGE void sse_event_log_reset(sse_event_log *log) {
  dynbuf_reset(&log->buf);
  log->full = 0;
}

/* Appends one whole record or nothing, so a full log ends on a boundary. */
FUZZ_NO_COVERAGE static void log_commit(sse_event_log *log, size_t start, int rc) {
  if (rc == 0)
    return;
  log->buf.len = start;
  if (log->buf.ptr)
    log->buf.ptr[start] = '\0';
  log->full = 1;
}

/* dynbuf_add without its checks when the bytes fit in what is allocated
 * (cap never passes max + 1, so the cap still holds). */
FUZZ_NO_COVERAGE static int put(dynbuf *b, const void *s, size_t len) {
  if (b->ptr && len < b->cap - b->len) {
    memcpy(b->ptr + b->len, s, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return 0;
  }
  return dynbuf_add(b, s, len);
}

FUZZ_NO_COVERAGE static int putc_(dynbuf *b, char c) { return put(b, &c, 1); }

/* Length as raw bytes then the bytes: cheap, and unambiguous. */
FUZZ_NO_COVERAGE static int add_exact_field(dynbuf *b, const char *s, size_t len) {
  return put(b, &len, sizeof len) || put(b, s, len);
}

FUZZ_NO_COVERAGE void sse_event_log_event(sse_event_log *log, const char *type, size_t type_len,
                         const char *data, size_t data_len, const char *id,
                         size_t id_len) {
  if (log->full)
    return;
  size_t start = log->buf.len;
  dynbuf *b = &log->buf;
  int rc;
  if (log->format == SSE_LOG_EXACT) {
    rc = putc_(b, 'E') || add_exact_field(b, type, type_len) ||
         add_exact_field(b, data, data_len) || add_exact_field(b, id, id_len) ||
         putc_(b, '\n');
  } else {
    rc = dynbuf_adds(b, "{\"type\":") || json_write_string(b, type, type_len) ||
         dynbuf_adds(b, ",\"data\":") || json_write_string(b, data, data_len) ||
         dynbuf_adds(b, ",\"lastEventId\":") || json_write_string(b, id, id_len) ||
         dynbuf_adds(b, "}\n");
  }
  log_commit(log, start, rc);
}

/* 1 when the digit string (no leading zeros) is at most 2^53-1. */
FUZZ_NO_COVERAGE static int retry_is_safe(const char *digits, size_t len) {
  size_t max_len = sizeof SAFE_INTEGER_MAX - 1;
  if (len != max_len)
    return len < max_len;
  return memcmp(digits, SAFE_INTEGER_MAX, len) <= 0;
}

FUZZ_NO_COVERAGE void sse_event_log_retry(sse_event_log *log, const char *digits, size_t len) {
  if (log->full)
    return;
  size_t start = log->buf.len;
  dynbuf *b = &log->buf;
  int rc;
  if (log->format == SSE_LOG_EXACT)
    rc = putc_(b, 'R') || add_exact_field(b, digits, len) || putc_(b, '\n');
  else if (retry_is_safe(digits, len))
    rc = dynbuf_adds(b, "{\"retry\":") || dynbuf_add(b, digits, len) || dynbuf_adds(b, "}\n");
  else
    rc = dynbuf_adds(b, "{\"retry\":\"unsafe\"}\n");
  log_commit(log, start, rc);
}

FUZZ_NO_COVERAGE void sse_event_log_comment(sse_event_log *log, const char *text, size_t len) {
  if (log->full || log->format != SSE_LOG_EXACT)
    return;
  size_t start = log->buf.len;
  int rc = putc_(&log->buf, 'C') || add_exact_field(&log->buf, text, len) ||
           putc_(&log->buf, '\n');
  log_commit(log, start, rc);
}

FUZZ_NO_COVERAGE void sse_event_log_note(sse_event_log *log, const char *what) {
  if (log->full)
    return;
  size_t start = log->buf.len;
  int rc = log->format == SSE_LOG_EXACT
               ? dynbuf_printf(&log->buf, "N%s\n", what)
               : dynbuf_printf(&log->buf, "{\"note\":\"%s\"}\n", what);
  log_commit(log, start, rc);
}

FUZZ_NO_COVERAGE static void on_event(void *user, const sse_event *ev) {
  sse_event_log_event(user, ev->type, ev->type_len, ev->data, ev->data_len,
                      ev->last_event_id, ev->last_event_id_len);
}

FUZZ_NO_COVERAGE static void on_retry(void *user, uint64_t ms, const char *digits, size_t len) {
  (void)ms;
  sse_event_log_retry(user, digits, len);
}

FUZZ_NO_COVERAGE static void on_comment(void *user, const char *text, size_t len) {
  sse_event_log_comment(user, text, len);
}

const sse_callbacks sse_event_log_callbacks = {on_event, on_retry, on_comment};

FUZZ_NO_COVERAGE int sse_event_log_equal(const sse_event_log *a, const sse_event_log *b) {
  return a->full == b->full && a->buf.len == b->buf.len &&
         (a->buf.len == 0 || memcmp(a->buf.ptr, b->buf.ptr, a->buf.len) == 0);
}

/* Prints a log with bytes outside printable ASCII as \xHH. */
FUZZ_NO_COVERAGE static void print_log(const char *label, const sse_event_log *log) {
  fprintf(stderr, "---- %s (%zu bytes%s)\n", label, log->buf.len, log->full ? ", full" : "");
  size_t shown = log->buf.len < 4096 ? log->buf.len : 4096;
  for (size_t i = 0; i < shown; i++) {
    unsigned char c = (unsigned char)log->buf.ptr[i];
    if (c == '\n' || (c >= 0x20 && c < 0x7f))
      fputc(c, stderr);
    else
      fprintf(stderr, "\\x%02x", c);
  }
  if (shown < log->buf.len)
    fputs("\n[... truncated]\n", stderr);
}

void sse_event_log_die(const char *why, const sse_event_log *want,
                       const sse_event_log *got) {
  fprintf(stderr, "ORACLE MISMATCH: %s\n", why);
  print_log("expected", want);
  print_log("got", got);
  abort();
}
