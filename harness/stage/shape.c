/* shape: SSE events written by the codec's writer, then given a wire
 * shape (line ends, BOM, comments, unknown fields, no space, multi-line). */
#include <stdio.h>
#include <string.h>

#include "codec/sse.h"
#include "mcpwire_limits.h"
#include "stage/stage_internal.h"

/* JSON text spread over lines: a LF after each ',' outside strings (a LF
 * is JSON whitespace, so the joined data is the same value). */
static int spread(dynbuf *out, const char *json) {
  int in_str = 0, esc = 0;
  for (const char *p = json; *p; p++) {
    if (dynbuf_addc(out, *p))
      return -1;
    if (in_str) {
      if (esc)
        esc = 0;
      else if (*p == '\\')
        esc = 1;
      else if (*p == '"')
        in_str = 0;
    } else if (*p == '"') {
      in_str = 1;
    } else if (*p == ',' && dynbuf_addc(out, '\n')) {
      return -1;
    }
  }
  return 0;
}

/* LF-ended lines of `in` to out with the shape's line end and spacing. */
static int reshape(dynbuf *out, const wire_shape *w, const char *in, size_t len) {
  const char *eol = w->eol ? w->eol : "\n";
  const char *p = in, *end = in + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (w->no_space && n >= 6 && !memcmp(p, "data: ", 6)) {
      if (dynbuf_add(out, "data:", 5) || dynbuf_add(out, p + 6, n - 6))
        return -1;
    } else if (dynbuf_add(out, p, n)) {
      return -1;
    }
    if (nl && dynbuf_adds(out, eol))
      return -1;
    p += n + (nl ? 1 : 0);
  }
  return 0;
}

int shape_event(dynbuf *out, const wire_shape *w, const char *id, long retry_ms,
                const char *json, int first) {
  dynbuf ev, data;
  dynbuf_init(&ev, MCPWIRE_SSE_EVENT_MAX);
  dynbuf_init(&data, MCPWIRE_SSE_EVENT_MAX);
  int rc = -1;
  if (json && (w->multiline ? spread(&data, json) : dynbuf_adds(&data, json)))
    goto done;
  if (first && w->bom && dynbuf_add(&ev, "\xEF\xBB\xBF", 3))
    goto done;
  if (w->unknown_fields && dynbuf_adds(&ev, "mcpwire-unknown: ignore me\n"))
    goto done;
  sse_out o = {.comment = w->comments ? "mcpwire comment" : NULL,
               .type = (w->event_name && json) ? "message" : NULL,
               .id = id, .retry_ms = retry_ms > 0 ? retry_ms : -1,
               .data = dynbuf_str(&data), .data_len = data.len, .has_data = 1};
  if (sse_write(&ev, &o) != SSE_WRITE_OK)
    goto done;
  rc = reshape(out, w, dynbuf_str(&ev), ev.len);
done:
  dynbuf_free(&ev);
  dynbuf_free(&data);
  return rc;
}

int shape_comment(dynbuf *out, const wire_shape *w, const char *text) {
  dynbuf c;
  dynbuf_init(&c, 1024);
  int rc = sse_write_comment(&c, text) ? -1 : reshape(out, w, dynbuf_str(&c), c.len);
  dynbuf_free(&c);
  return rc;
}
