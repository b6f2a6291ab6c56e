/*
 * naive_sse_adapter: a deliberately plain second SSE parser, written from the
 * WHATWG steps one byte at a time with no in-place fast path, to prove the
 * adapter ABI and to cross-check the reference parser (fuzz_sse_diff).
 */
#include <stdlib.h>
#include <string.h>

#include "adapters/sse_adapter.h"
#include "codec/dynbuf.h"
#include "mcpwire_limits.h"

static const unsigned char BOM[3] = {0xef, 0xbb, 0xbf};

struct sse_adapter {
  sse_sink *sink;
  unsigned char held[3]; /* bytes that may still turn out to be the BOM */
  size_t held_len;
  int bom_done;
  int after_cr;          /* a LF right after a CR ends no extra line */
  int failed;
  dynbuf line, data, type, id_buffer, last_id;
};

const char *sse_adapter_name(void) { return "naive-reference"; }

sse_adapter *sse_adapter_new(sse_sink *sink) {
  sse_adapter *a = calloc(1, sizeof *a);
  if (!a)
    return NULL;
  a->sink = sink;
  dynbuf_init(&a->line, MCPWIRE_SSE_LINE_MAX);
  dynbuf_init(&a->data, MCPWIRE_SSE_EVENT_MAX);
  dynbuf_init(&a->type, MCPWIRE_SSE_LINE_MAX);
  dynbuf_init(&a->id_buffer, MCPWIRE_SSE_LINE_MAX);
  dynbuf_init(&a->last_id, MCPWIRE_SSE_LINE_MAX);
  return a;
}

void sse_adapter_free(sse_adapter *a) {
  if (!a)
    return;
  dynbuf_free(&a->line);
  dynbuf_free(&a->data);
  dynbuf_free(&a->type);
  dynbuf_free(&a->id_buffer);
  dynbuf_free(&a->last_id);
  free(a);
}

static int set_buf(dynbuf *b, const char *s, size_t len) {
  dynbuf_reset(b);
  return dynbuf_add(b, s, len);
}

static void dispatch(sse_adapter *a) {
  if (set_buf(&a->last_id, a->id_buffer.ptr, a->id_buffer.len))
    a->failed = 1;
  if (a->data.len == 0) {
    dynbuf_reset(&a->type);
    return;
  }
  size_t data_len = a->data.len - 1; /* every data line ended with LF */
  const char *type = a->type.len ? a->type.ptr : "message";
  size_t type_len = a->type.len ? a->type.len : 7;
  sse_sink_event(a->sink, type, type_len, a->data.ptr, data_len,
                 a->last_id.ptr ? a->last_id.ptr : "", a->last_id.len);
  dynbuf_reset(&a->data);
  dynbuf_reset(&a->type);
}

static int all_digits(const char *s, size_t len) {
  if (len == 0)
    return 0;
  for (size_t i = 0; i < len; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static void process_field(sse_adapter *a, const char *name, size_t name_len,
                          const char *value, size_t value_len) {
  int rc = 0;
  if (name_len == 5 && !memcmp(name, "event", 5))
    rc = set_buf(&a->type, value, value_len);
  else if (name_len == 4 && !memcmp(name, "data", 4))
    rc = dynbuf_add(&a->data, value, value_len) || dynbuf_addc(&a->data, '\n');
  else if (name_len == 2 && !memcmp(name, "id", 2)) {
    if (!memchr(value, '\0', value_len))
      rc = set_buf(&a->id_buffer, value, value_len);
  } else if (name_len == 5 && !memcmp(name, "retry", 5)) {
    if (all_digits(value, value_len))
      sse_sink_retry(a->sink, value, value_len);
  }
  if (rc)
    a->failed = 1;
}

static void process_line(sse_adapter *a) {
  const char *line = a->line.ptr ? a->line.ptr : "";
  size_t len = a->line.len;
  if (len == 0) {
    dispatch(a);
  } else if (line[0] != ':') {
    const char *colon = memchr(line, ':', len);
    size_t name_len = colon ? (size_t)(colon - line) : len;
    const char *value = colon ? colon + 1 : line + len;
    size_t value_len = colon ? len - name_len - 1 : 0;
    if (value_len && value[0] == ' ') {
      value++;
      value_len--;
    }
    process_field(a, line, name_len, value, value_len);
  }
  dynbuf_reset(&a->line);
}

static void take_byte(sse_adapter *a, unsigned char c) {
  int was_cr = a->after_cr;
  a->after_cr = 0;
#ifndef NAIVE_ADAPTER_MUTANT_CRLF
  if (c == '\n' && was_cr)
    return;
#else
  (void)was_cr; /* the CRLF bug, on purpose: proves fuzz_sse_diff can fail */
#endif
  if (c == '\r' || c == '\n') {
    a->after_cr = c == '\r';
    process_line(a);
  } else if (dynbuf_addc(&a->line, (char)c)) {
    a->failed = 1;
  }
}

/* The first three bytes wait until they are known to be (or not be) a BOM. */
static void take_start_byte(sse_adapter *a, unsigned char c) {
  a->held[a->held_len++] = c;
  if (c != BOM[a->held_len - 1]) {
    a->bom_done = 1;
    for (size_t i = 0; i < a->held_len; i++)
      take_byte(a, a->held[i]);
  } else if (a->held_len == 3) {
    a->bom_done = 1;
  }
}

int sse_adapter_feed(sse_adapter *a, const unsigned char *buf, size_t len) {
  for (size_t i = 0; i < len && !a->failed; i++) {
    if (a->bom_done)
      take_byte(a, buf[i]);
    else
      take_start_byte(a, buf[i]);
  }
  return a->failed ? -1 : 0;
}

void sse_adapter_end(sse_adapter *a) {
  /* An unterminated line and a pending event are dropped (SSEWIRE-20);
   * bytes held as a possible BOM are an unterminated line too. */
  (void)a;
}
