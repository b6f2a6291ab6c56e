/*
 * wire.c: how events look on the wire. The codec's sse_write() produces
 * plain LF framing; the --wire variants then rewrite it into other VALID
 * framings (CRLF, CR, no space, interleaved comments, BOM, multi-line JSON),
 * and the unterminated-final-event fault drops the last blank line.
 */
#include <string.h>

#include "codec/sse.h"
#include "mcpwire_limits.h"
#include "mock.h"

/* Compact JSON with a LF after every ',' '{' '[' outside strings: still
 * the same JSON once the data lines are joined with LF. */
static int multiline_json(dynbuf *out, const char *s, size_t n) {
  int in_str = 0, esc = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (dynbuf_addc(out, c))
      return -1;
    if (in_str) {
      if (esc)
        esc = 0;
      else if (c == '\\')
        esc = 1;
      else if (c == '"')
        in_str = 0;
    } else if (c == '"') {
      in_str = 1;
    } else if ((c == ',' || c == '{' || c == '[') && dynbuf_addc(out, '\n')) {
      return -1;
    }
  }
  return 0;
}

static const char *line_end(void) {
  if (wire_on(WIRE_CRLF))
    return "\r\n";
  return wire_on(WIRE_CR) ? "\r" : "\n";
}

/* One LF-ended line of sse_write output, rewritten by the variants. */
static int rewrite_line(dynbuf *out, const char *line, size_t n) {
  const char *colon = memchr(line, ':', n);
  int field = n && line[0] != ':' && colon;
  if (field && wire_on(WIRE_NOSPACE) && colon + 1 < line + n && colon[1] == ' ') {
    size_t head = (size_t)(colon - line) + 1;
    if (dynbuf_add(out, line, head) || dynbuf_add(out, colon + 2, n - head - 1))
      return -1;
  } else if (dynbuf_add(out, line, n)) {
    return -1;
  }
  if (dynbuf_adds(out, line_end()))
    return -1;
  if (field && wire_on(WIRE_COMMENTS))
    return dynbuf_printf(out, ": between fields%s", line_end());
  return 0;
}

/* Rewrites a whole LF-framed block; drop_blank leaves the event open. */
static int rewrite_block(dynbuf *out, const dynbuf *in, int first, int drop_blank) {
  if (first && wire_on(WIRE_BOM) && dynbuf_add(out, "\xEF\xBB\xBF", 3))
    return -1;
  const char *p = dynbuf_str(in), *end = p + in->len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    int blank = n == 0;
    if (!(blank && drop_blank) && (blank ? dynbuf_adds(out, line_end()) : rewrite_line(out, p, n)))
      return -1;
    p += n + 1;
  }
  return 0;
}

/* Whether a message's JSON holds "result":{} (ping's answer). */
static int has_empty_result(const char *data, size_t len) {
  static const char pat[] = "\"result\":{}";
  for (size_t i = 0; i + sizeof pat - 1 <= len; i++)
    if (!memcmp(data + i, pat, sizeof pat - 1))
      return 1;
  return 0;
}

/* The data-stray-cr fault: a raw CR after the first '{' of the data, so the
 * line ends there and the rest becomes an unknown field. */
static int stray_cr(dynbuf *block) {
  const char *p = dynbuf_str(block);
  const char *data = strstr(p, "data:");
  const char *brace = data ? strchr(data, '{') : NULL;
  if (!brace)
    return 0;
  size_t at = (size_t)(brace - p) + 1;
  dynbuf tail;
  dynbuf_init(&tail, MCPWIRE_MOCK_EVENT_MAX);
  int rc = dynbuf_add(&tail, p + at, block->len - at);
  block->len = at;
  rc = rc || dynbuf_addc(block, '\r') || dynbuf_add(block, dynbuf_str(&tail), tail.len);
  dynbuf_free(&tail);
  return rc;
}

int wire_format_event(dynbuf *out, const char *type, const char *id, int64_t retry_ms,
                      const char *data, size_t len, int first_on_stream, int final) {
  dynbuf json, plain;
  dynbuf_init(&json, MCPWIRE_MOCK_EVENT_MAX);
  dynbuf_init(&plain, MCPWIRE_MOCK_EVENT_MAX);
  int rc = 0;
  if (wire_on(WIRE_MULTILINE) && len) {
    rc = multiline_json(&json, data, len);
    data = dynbuf_str(&json);
    len = json.len;
  }
  sse_out ev = {NULL, type, id, retry_ms, data, len, 1};
  if (!rc)
    rc = sse_write(&plain, &ev);
  int drop = final && fault_on(FAULT_UNTERMINATED_FINAL_EVENT);
  if (!rc && fault_on(FAULT_DATA_STRAY_CR) && has_empty_result(data, len))
    rc = stray_cr(&plain);
  if (!rc && fault_on(FAULT_EVENT_ID_WITH_NUL)) /* ignored by consumers: only counted */
    rc = dynbuf_add(out, "id: a\0b", 7) || dynbuf_adds(out, line_end());
  if (!rc)
    rc = rewrite_block(out, &plain, first_on_stream, drop);
  dynbuf_free(&json);
  dynbuf_free(&plain);
  return rc;
}

int wire_format_comment(dynbuf *out, const char *text, int first_on_stream) {
  dynbuf plain;
  dynbuf_init(&plain, 1024);
  int rc = sse_write_comment(&plain, text);
  if (!rc)
    rc = rewrite_block(out, &plain, first_on_stream, 0);
  dynbuf_free(&plain);
  return rc;
}
