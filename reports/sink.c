/* sink: a report file written through a capped staging buffer. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "reports/report_private.h"

static void sink_fail(report_sink *s, int err) {
  if (!s->failed) {
    s->failed = 1;
    s->err = err;
  }
}

static void sink_write_out(report_sink *s) {
  if (!s->failed && s->buf.len && fwrite(s->buf.ptr, 1, s->buf.len, s->file) != s->buf.len)
    sink_fail(s, errno ? errno : EIO);
  s->flushed += s->buf.len;
  dynbuf_reset(&s->buf);
}

int sink_open(report_sink *s, const char *path) {
  memset(s, 0, sizeof *s);
  dynbuf_init(&s->buf, MCPWIRE_REPORT_CHUNK_MAX);
  s->path = strdup(path ? path : "");
  if (!s->path || !path || !*path) {
    fprintf(stderr, "mcpwire: report: %s\n", path && *path ? strerror(ENOMEM) : "empty path");
    free(s->path);
    return -1;
  }
  if (!strcmp(path, "-")) {
    s->file = stdout;
    return 0;
  }
  size_t n = strlen(path) + sizeof ".tmp";
  s->tmp_path = malloc(n);
  if (s->tmp_path)
    snprintf(s->tmp_path, n, "%s.tmp", path);
  s->file = s->tmp_path ? fopen(s->tmp_path, "wb") : NULL;
  if (!s->file) {
    fprintf(stderr, "mcpwire: %s: %s\n", s->tmp_path ? s->tmp_path : path, strerror(errno ? errno : ENOMEM));
    free(s->tmp_path);
    free(s->path);
    return -1;
  }
  return 0;
}

int sink_close(report_sink *s) {
  sink_write_out(s);
  if (s->file == stdout) {
    if (fflush(stdout))
      sink_fail(s, errno);
  } else if (fclose(s->file)) {
    sink_fail(s, errno);
  }
  if (!s->failed && s->tmp_path && rename(s->tmp_path, s->path))
    sink_fail(s, errno);
  if (s->failed) {
    fprintf(stderr, "mcpwire: %s: %s\n", s->path,
            s->err ? strerror(s->err) : "report text passed MCPWIRE_REPORT_CHUNK_MAX");
    if (s->tmp_path)
      remove(s->tmp_path);
  }
  int rc = s->failed ? -1 : 0;
  dynbuf_free(&s->buf);
  free(s->tmp_path);
  free(s->path);
  return rc;
}

void sink_note(report_sink *s, int status) {
  if (status != DYNBUF_OK)
    sink_fail(s, status == DYNBUF_NOMEM ? ENOMEM : 0);
  if (s->buf.len >= MCPWIRE_REPORT_FLUSH_AT)
    sink_write_out(s);
}

void sink_puts(report_sink *s, const char *text) {
  if (!s->failed)
    sink_note(s, dynbuf_adds(&s->buf, text));
}

void sink_printf(report_sink *s, const char *fmt, ...) {
  if (s->failed)
    return;
  va_list ap;
  va_start(ap, fmt);
  int rc = dynbuf_vprintf(&s->buf, fmt, ap);
  va_end(ap);
  sink_note(s, rc);
}

void sink_escaped(report_sink *s, text_escape how, const char *text, size_t len) {
  if (s->failed)
    return;
  text = text ? text : "";
  switch (how) {
  case ESCAPE_JSON: sink_note(s, json_write_string(&s->buf, text, len)); break;
  case ESCAPE_TEXT: sink_note(s, text_markup(&s->buf, text, len, MARKUP_TEXT)); break;
  case ESCAPE_ATTR: sink_note(s, text_markup(&s->buf, text, len, MARKUP_ATTR)); break;
  case ESCAPE_PROSE: sink_note(s, text_markup(&s->buf, text, len, MARKUP_PROSE)); break;
  case ESCAPE_MD_CELL: sink_note(s, text_markdown_cell(&s->buf, text, len)); break;
  }
}

void sink_field(report_sink *s, text_escape how, const char *text) {
  if (!text) {
    if (how == ESCAPE_JSON)
      sink_puts(s, "null");
    return;
  }
  dynbuf scratch = {0};
  size_t len;
  const char *t = text_field(text, &len, &scratch);
  sink_escaped(s, how, t, len);
  dynbuf_free(&scratch);
}

void sink_requirements(report_sink *s, text_escape how, const case_result *c) {
  dynbuf ids;
  dynbuf_init(&ids, MCPWIRE_REPORT_FIELD_MAX);
  if (tally_requirements(&ids, c) == DYNBUF_OK)
    sink_escaped(s, how, dynbuf_str(&ids), ids.len);
  else
    sink_note(s, DYNBUF_TOO_BIG);
  dynbuf_free(&ids);
}
