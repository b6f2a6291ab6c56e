#include "transport/transcript.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "mcpwire_limits.h"

/* Room kept back for the truncation marker. */
#define MARKER_ROOM 128

double clock_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void transcript_init(transcript *t) {
  dynbuf_init(&t->text, MCPWIRE_TRANSCRIPT_MAX);
  t->t0_ms = clock_ms();
  t->truncated = 0;
  t->on_message = NULL;
  t->on_message_user = NULL;
}

void transcript_free(transcript *t) { dynbuf_free(&t->text); }

static void mark_truncated(transcript *t) {
  if (t->truncated)
    return;
  t->truncated = 1;
  t->text.max = MCPWIRE_TRANSCRIPT_MAX + MARKER_ROOM;
  dynbuf_adds(&t->text, "[transcript truncated: MCPWIRE_TRANSCRIPT_MAX reached]\n");
  t->text.max = t->text.len;
}

/* Appends a whole line or nothing, keeping MARKER_ROOM free. */
static void add_line(transcript *t, const char *line, size_t len) {
  if (t->truncated)
    return;
  if (t->text.len + len + 1 > MCPWIRE_TRANSCRIPT_MAX - MARKER_ROOM ||
      dynbuf_add(&t->text, line, len) || dynbuf_addc(&t->text, '\n'))
    mark_truncated(t);
}

void transcript_addf(transcript *t, const char *fmt, ...) {
  if (t->truncated)
    return;
  dynbuf line;
  dynbuf_init(&line, MCPWIRE_TRANSCRIPT_MAX);
  dynbuf_printf(&line, "[%10.3f ms] ", clock_ms() - t->t0_ms);
  va_list ap;
  va_start(ap, fmt);
  int rc = dynbuf_vprintf(&line, fmt, ap);
  va_end(ap);
  if (rc)
    mark_truncated(t);
  else
    add_line(t, line.ptr, line.len);
  dynbuf_free(&line);
}

static void escape_byte(dynbuf *out, unsigned char c) {
  if (c == '\r')
    dynbuf_adds(out, "\\r");
  else if (c == '\n')
    dynbuf_adds(out, "\\n");
  else if (c == '\t')
    dynbuf_adds(out, "\\t");
  else if (c < 0x20 || c == 0x7f)
    dynbuf_printf(out, "\\x%02x", c);
  else if (c == '\\')
    dynbuf_adds(out, "\\\\");
  else
    dynbuf_addc(out, (char)c);
}

void transcript_add_bytes(transcript *t, const char *prefix, const char *bytes,
                          size_t len, size_t show) {
  if (t->truncated)
    return;
  dynbuf line;
  dynbuf_init(&line, MCPWIRE_TRANSCRIPT_MAX);
  dynbuf_printf(&line, "[%10.3f ms] %s", clock_ms() - t->t0_ms, prefix);
  size_t n = len < show ? len : show;
  for (size_t i = 0; i < n; i++)
    escape_byte(&line, (unsigned char)bytes[i]);
  if (n < len)
    dynbuf_printf(&line, "... [%zu more bytes]", len - n);
  add_line(t, line.ptr, line.len);
  dynbuf_free(&line);
}
