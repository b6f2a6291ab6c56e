/* sink: a report file written through a capped staging buffer into a
 * temporary file that was created before the run, then renamed into place. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "reports/report_private.h"

/* What a destination that is not a regular file is, for the refusal. */
static const char *file_kind(mode_t m) {
  if (S_ISLNK(m)) return "symbolic link";
  if (S_ISCHR(m)) return "character device";
  if (S_ISBLK(m)) return "block device";
  if (S_ISFIFO(m)) return "FIFO";
  if (S_ISSOCK(m)) return "socket";
  if (S_ISDIR(m)) return "directory";
  return "special file";
}

/* 0 when path is absent or a regular file (lstat: a link is not followed);
 * else -1 with why. */
static int check_destination(const char *path, char *why, size_t whylen) {
  struct stat st;
  if (lstat(path, &st) == 0) {
    if (S_ISREG(st.st_mode))
      return 0;
    snprintf(why, whylen, "not a regular file (%s); give a file path or '-'", file_kind(st.st_mode));
    return -1;
  }
  if (errno == ENOENT) /* absent; a missing folder is found by mkstemp */
    return 0;
  snprintf(why, whylen, "%s", strerror(errno));
  return -1;
}

/* "<folder>/.<name>.XXXXXX" for mkstemp (malloc'd), NULL when out of memory. */
static char *temp_template(const char *path) {
  const char *slash = strrchr(path, '/');
  int dirlen = slash ? (int)(slash - path) + 1 : 0;
  size_t n = strlen(path) + sizeof "..XXXXXX";
  char *t = malloc(n);
  if (t)
    snprintf(t, n, "%.*s.%s.XXXXXX", dirlen, path, path + dirlen);
  return t;
}

/* Creates the temporary file; 0, or -1 with why. */
static int create_temp(report_file *f, char *why, size_t whylen) {
  if (!(f->tmp_path = temp_template(f->path))) {
    snprintf(why, whylen, "%s", strerror(ENOMEM));
    return -1;
  }
  f->fd = mkstemp(f->tmp_path);
  if (f->fd < 0) {
    snprintf(why, whylen, "cannot create a file in its folder (%s)", strerror(errno));
    free(f->tmp_path);
    f->tmp_path = NULL;
    return -1;
  }
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(f->fd, 0644 & ~mask) || fcntl(f->fd, F_SETFD, FD_CLOEXEC)) {
    snprintf(why, whylen, "%s", strerror(errno));
    return -1;
  }
  return 0;
}

int report_file_prepare(report_file *f, const char *path, char *why, size_t whylen) {
  memset(f, 0, sizeof *f);
  f->fd = -1;
  if (!path || !*path) {
    snprintf(why, whylen, "empty path; give a file path or '-'");
    return -1;
  }
  if (!(f->path = strdup(path))) {
    snprintf(why, whylen, "%s", strerror(ENOMEM));
    return -1;
  }
  if (!strcmp(path, "-"))
    return 0;
  const char *slash = strrchr(path, '/');
  if (slash && !slash[1]) {
    snprintf(why, whylen, "names a folder; give a file path or '-'");
    report_file_discard(f);
    return -1;
  }
  if (check_destination(path, why, whylen) || create_temp(f, why, whylen)) {
    report_file_discard(f);
    return -1;
  }
  return 0;
}

void report_file_discard(report_file *f) {
  if (f->tmp_path) {
    close(f->fd);
    unlink(f->tmp_path);
  }
  free(f->tmp_path);
  free(f->path);
  memset(f, 0, sizeof *f);
  f->fd = -1;
}

int sink_write_path(const run_result *r, const char *path,
                    int (*writer)(const run_result *, report_file *)) {
  report_file f;
  char why[MCPWIRE_REPORT_WHY_MAX];
  if (report_file_prepare(&f, path, why, sizeof why)) {
    fprintf(stderr, "mcpwire: %s: %s\n", path && *path ? path : "report", why);
    return -1;
  }
  return writer(r, &f);
}

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

int sink_open(report_sink *s, report_file *f) {
  memset(s, 0, sizeof *s);
  if (!f->path) {
    fputs("mcpwire: report: no file prepared\n", stderr);
    return -1;
  }
  s->file = f->tmp_path ? fdopen(f->fd, "wb") : stdout;
  if (!s->file) {
    fprintf(stderr, "mcpwire: %s: %s\n", f->path, strerror(errno));
    report_file_discard(f);
    return -1;
  }
  dynbuf_init(&s->buf, MCPWIRE_REPORT_CHUNK_MAX);
  s->path = f->path;
  s->tmp_path = f->tmp_path;
  memset(f, 0, sizeof *f); /* the sink owns the file now */
  f->fd = -1;
  return 0;
}

/* Moves the whole report into place, over nothing or a regular file only. */
static void sink_rename(report_sink *s) {
  if (check_destination(s->path, s->why, sizeof s->why))
    sink_fail(s, 0);
  else if (rename(s->tmp_path, s->path))
    sink_fail(s, errno);
}

int sink_close(report_sink *s) {
  sink_write_out(s);
  if (s->file == stdout) {
    if (fflush(stdout))
      sink_fail(s, errno);
  } else if (fclose(s->file)) {
    sink_fail(s, errno);
  }
  if (!s->failed && s->tmp_path)
    sink_rename(s);
  if (s->failed) {
    fprintf(stderr, "mcpwire: %s: %s\n", s->path,
            s->why[0] ? s->why : s->err ? strerror(s->err) : "report text passed MCPWIRE_REPORT_CHUNK_MAX");
    if (s->tmp_path)
      unlink(s->tmp_path);
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
  case ESCAPE_XML_TEXT: sink_note(s, text_markup(&s->buf, text, len, MARKUP_XML_TEXT)); break;
  case ESCAPE_XML_ATTR: sink_note(s, text_markup(&s->buf, text, len, MARKUP_XML_ATTR)); break;
  case ESCAPE_PROSE: sink_note(s, text_markup(&s->buf, text, len, MARKUP_PROSE)); break;
  case ESCAPE_MD_CELL: sink_note(s, text_markdown_cell(&s->buf, text, len)); break;
  }
}

transcript_view sink_transcript_view(const report_sink *s, const case_result *c) {
  size_t recorded = c->transcript ? c->transcript_len : 0;
  size_t n = recorded > MCPWIRE_TRANSCRIPT_MAX ? MCPWIRE_TRANSCRIPT_MAX : recorded;
  transcript_view v = {n, c->transcript_truncated || n < recorded, 0};
  if (s->transcript_bytes >= MCPWIRE_REPORT_TRANSCRIPTS_MAX) {
    v.len = text_cut(c->transcript, n, MCPWIRE_REPORT_TRANSCRIPT_HEAD);
    v.omitted = n - v.len;
    v.truncated |= v.omitted > 0;
  }
  return v;
}

void sink_transcript(report_sink *s, text_escape how, const case_result *c, size_t len) {
  size_t before = sink_size(s);
  sink_escaped(s, how, c->transcript ? c->transcript : "", len);
  s->transcript_bytes += sink_size(s) - before;
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
