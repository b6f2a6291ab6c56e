/*
 * sse_vectors_test DIR [MIN]: runs every golden vector in DIR (format in
 * docs/SSE.md). Each input must give the expected JSON lines fed whole, byte
 * by byte, split in two at every offset and, for short inputs, in three at
 * every pair of offsets. MIN is the fewest vectors DIR must hold, so a wrong
 * or emptied folder cannot pass.
 */
#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/dynbuf.h"
#include "codec/sse.h"
#include "codec/sse_log.h"
#include "vector_input.h"

/* A vector file and the expected output are small; these bound them. */
#define VECTOR_FILE_MAX (4u * 1024 * 1024)
/* Inputs up to this long are also tried in three pieces (n^2/2 runs). */
#define THREE_WAY_MAX 96

typedef struct vector {
  char name[256];
  dynbuf input;
  dynbuf expect;   /* expected lines, each ending in LF */
  size_t line_max, event_max;
} vector;

/* A cap header: a positive decimal number and nothing else. */
static const char *parse_cap(const char *s, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(s, &end, 10);
  if (s[0] < '1' || s[0] > '9' || *end || errno || n > SIZE_MAX)
    return "a cap must be a positive decimal number";
  *out = (size_t)n;
  return NULL;
}

static int starts(const char *line, const char *prefix) {
  return !strncmp(line, prefix, strlen(prefix));
}

/* Parses one vector file; prints the problem and returns -1 when malformed. */
static int vector_load(vector *v, const char *dir, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  snprintf(v->name, sizeof v->name, "%s", name);
  dynbuf_init(&v->input, VECTOR_FILE_MAX);
  dynbuf_init(&v->expect, VECTOR_FILE_MAX);
  v->line_max = v->event_max = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int lineno = 0, bad = 0;
  while (!bad && (n = getline(&line, &cap, f)) >= 0) {
    lineno++;
    if (n > 0 && line[n - 1] == '\n')
      line[--n] = '\0';
    const char *why = NULL;
    if (n == 0 || line[0] == '#')
      continue;
    if (starts(line, "input: "))
      why = vector_input_decode(&v->input, line + 7, (size_t)n - 7);
    else if (starts(line, "expect: ")) {
      dynbuf_add(&v->expect, line + 8, (size_t)n - 8);
      dynbuf_addc(&v->expect, '\n');
    } else if (starts(line, "line-max: "))
      why = parse_cap(line + 10, &v->line_max);
    else if (starts(line, "event-max: "))
      why = parse_cap(line + 11, &v->event_max);
    else
      why = "unknown line (expected #, input:, expect:, line-max:, event-max:)";
    if (why) {
      fprintf(stderr, "%s:%d: %s\n", path, lineno, why);
      bad = 1;
    }
  }
  free(line);
  fclose(f);
  return bad ? -1 : 0;
}

static void vector_free(vector *v) {
  dynbuf_free(&v->input);
  dynbuf_free(&v->expect);
}

/* The log of feeding the input in pieces ending at cuts[0..ncuts). */
static void run(const vector *v, const size_t *cuts, size_t ncuts, sse_log *log) {
  dynbuf_reset(&log->out);
  log->failed = 0;
  sse_parser *p = sse_parser_new(sse_log_callbacks(), log, v->line_max, v->event_max);
  if (!p) {
    fputs("out of memory\n", stderr);
    exit(4);
  }
  const char *input = v->input.ptr ? v->input.ptr : ""; /* empty vectors */
  size_t from = 0;
  sse_status s = SSE_OK;
  for (size_t i = 0; i <= ncuts && s == SSE_OK; i++) {
    size_t to = i < ncuts ? cuts[i] : v->input.len;
    s = sse_feed(p, input + from, to - from);
    from = to;
  }
  sse_finish(p);
  if (s != SSE_OK)
    sse_log_error(log, sse_error_text(p));
  sse_parser_free(p);
}

static int failures;

static int compare(const vector *v, const sse_log *log, const char *how) {
  if (!log->failed && log->out.len == v->expect.len &&
      !memcmp(dynbuf_str(&log->out), dynbuf_str(&v->expect), v->expect.len))
    return 0;
  failures++;
  fprintf(stderr, "FAIL %s (%s)\n--- expected\n%s--- actual\n%s---\n", v->name, how,
          dynbuf_str(&v->expect), dynbuf_str(&log->out));
  return 1;
}

/* Runs one vector every way; stops at its first failing split. */
static void vector_check(const vector *v, sse_log *log) {
  char how[128];
  size_t n = v->input.len;
  run(v, NULL, 0, log);
  if (compare(v, log, "fed whole"))
    return;
  size_t *cuts = malloc((n ? n : 1) * sizeof *cuts);
  for (size_t i = 0; i + 1 < n; i++)
    cuts[i] = i + 1;
  run(v, cuts, n ? n - 1 : 0, log);
  int bad = compare(v, log, "fed byte by byte");
  for (size_t a = 0; a <= n && !bad; a++) {
    cuts[0] = a;
    run(v, cuts, 1, log);
    snprintf(how, sizeof how, "split in two at offset %zu", a);
    bad = compare(v, log, how);
  }
  for (size_t a = 1; n <= THREE_WAY_MAX && a < n && !bad; a++) {
    for (size_t b = a + 1; b < n && !bad; b++) {
      cuts[0] = a;
      cuts[1] = b;
      run(v, cuts, 2, log);
      snprintf(how, sizeof how, "split in three at offsets %zu and %zu", a, b);
      bad = compare(v, log, how);
    }
  }
  free(cuts);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs("usage: sse_vectors_test DIR [MIN]\n", stderr);
    return 2;
  }
  long min = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
  DIR *d = opendir(argv[1]);
  if (!d) {
    fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
    return 2;
  }
  char *names[4096];
  size_t count = 0;
  struct dirent *e;
  while ((e = readdir(d)) && count < sizeof names / sizeof *names) {
    size_t len = strlen(e->d_name);
    if (len > 4 && !strcmp(e->d_name + len - 4, ".txt"))
      names[count++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, count, sizeof *names, by_name);
  sse_log log;
  sse_log_init(&log, NULL);
  for (size_t i = 0; i < count; i++) {
    vector v;
    if (vector_load(&v, argv[1], names[i]) == 0)
      vector_check(&v, &log);
    else
      failures++;
    vector_free(&v);
    free(names[i]);
  }
  sse_log_free(&log);
  if ((long)count < min) {
    fprintf(stderr, "only %zu vectors in %s, expected at least %ld\n", count, argv[1], min);
    failures++;
  }
  fprintf(stderr, "sse_vectors_test: %zu vectors, %s (%d failed)\n", count,
          failures ? "FAILED" : "ok", failures);
  return failures ? 1 : 0;
}
