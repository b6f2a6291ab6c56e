/*
 * line_vectors_test DIR [MIN]: runs every golden vector of the stdio line
 * codec in DIR (format: tests/vectors/stdio/README.md). Each input must
 * give the expected log fed whole, byte by byte and split in two at every
 * offset; and the log must keep the byte accounting of line.h. MIN is the
 * fewest vectors DIR must hold, so a wrong or emptied folder cannot pass.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/dynbuf.h"
#include "codec/line.h"
#include "codec/line_log.h"
#include "vector_input.h"

/* A vector file and its expected log are small; this bounds them. */
#define VECTOR_FILE_MAX (1u * 1024 * 1024)
#define VECTORS_MAX 1024

typedef struct vector {
  char name[256];
  dynbuf input;
  dynbuf expect;
  size_t line_max;
} vector;

static int failures;

static int starts(const char *line, const char *prefix) {
  return !strncmp(line, prefix, strlen(prefix));
}

/* One line of a vector file; NULL, or what is wrong with it. */
static const char *vector_line(vector *v, const char *line, size_t n) {
  if (starts(line, "input: "))
    return vector_input_decode(&v->input, line + 7, n - 7);
  if (starts(line, "expect: ")) {
    dynbuf_add(&v->expect, line + 8, n - 8);
    dynbuf_addc(&v->expect, '\n');
    return NULL;
  }
  if (starts(line, "line-max: ")) {
    char *end;
    unsigned long long m = strtoull(line + 10, &end, 10);
    if (line[10] < '1' || line[10] > '9' || *end || m > SIZE_MAX)
      return "line-max must be a positive decimal number";
    v->line_max = (size_t)m;
    return NULL;
  }
  return "unknown line (expected #, input:, expect:, line-max:)";
}

static int vector_load(vector *v, const char *dir, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  snprintf(v->name, sizeof v->name, "%s", name);
  dynbuf_init(&v->input, VECTOR_FILE_MAX);
  dynbuf_init(&v->expect, VECTOR_FILE_MAX);
  v->line_max = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
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
    if (n == 0 || line[0] == '#')
      continue;
    const char *why = vector_line(v, line, (size_t)n);
    if (why) {
      fprintf(stderr, "%s:%d: %s\n", path, lineno, why);
      bad = 1;
    }
  }
  free(line);
  fclose(f);
  if (!bad && !v->expect.len) {
    fprintf(stderr, "%s: no expect: lines\n", path);
    bad = 1;
  }
  return bad ? -1 : 0;
}

/* The log of feeding the input in pieces ending at cuts[0..ncuts). */
static void run(const vector *v, const size_t *cuts, size_t ncuts, dynbuf *log) {
  dynbuf_reset(log);
  line_reader *r = line_reader_new(line_log_event, log, v->line_max);
  if (!r) {
    fputs("out of memory\n", stderr);
    exit(4);
  }
  const char *input = v->input.ptr ? v->input.ptr : "";
  size_t from = 0;
  for (size_t i = 0; i <= ncuts; i++) {
    size_t to = i < ncuts ? cuts[i] : v->input.len;
    line_feed(r, input + from, to - from);
    from = to;
  }
  line_finish(r);
  line_log_done(log, r);
  line_reader_free(r);
}

static int compare(const vector *v, const dynbuf *log, const char *how) {
  if (log->len == v->expect.len && !memcmp(dynbuf_str(log), dynbuf_str(&v->expect), log->len))
    return 0;
  failures++;
  fprintf(stderr, "FAIL %s (%s)\n--- expected\n%s--- actual\n%s---\n", v->name, how,
          dynbuf_str(&v->expect), dynbuf_str(log));
  return 1;
}

/* Whole, byte by byte, then in two at every offset; stops at a failure. */
static void vector_check(const vector *v, dynbuf *log) {
  size_t n = v->input.len;
  run(v, NULL, 0, log);
  if (compare(v, log, "fed whole"))
    return;
  size_t *cuts = malloc((n ? n : 1) * sizeof *cuts);
  if (!cuts)
    exit(4);
  for (size_t i = 0; i + 1 < n; i++)
    cuts[i] = i + 1;
  run(v, cuts, n ? n - 1 : 0, log);
  int bad = compare(v, log, "fed byte by byte");
  for (size_t a = 0; a <= n && !bad; a++) {
    char how[64];
    cuts[0] = a;
    run(v, cuts, 1, log);
    snprintf(how, sizeof how, "split in two at offset %zu", a);
    bad = compare(v, log, how);
  }
  free(cuts);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs("usage: line_vectors_test DIR [MIN]\n", stderr);
    return 2;
  }
  long min = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
  DIR *d = opendir(argv[1]);
  if (!d) {
    fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
    return 2;
  }
  char *names[VECTORS_MAX];
  size_t count = 0;
  struct dirent *e;
  while ((e = readdir(d)) && count < VECTORS_MAX) {
    size_t len = strlen(e->d_name);
    if (len > 4 && !strcmp(e->d_name + len - 4, ".txt"))
      names[count++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, count, sizeof *names, by_name);
  dynbuf log;
  dynbuf_init(&log, VECTOR_FILE_MAX);
  for (size_t i = 0; i < count; i++) {
    vector v;
    if (vector_load(&v, argv[1], names[i]) == 0)
      vector_check(&v, &log);
    else
      failures++;
    dynbuf_free(&v.input);
    dynbuf_free(&v.expect);
    free(names[i]);
  }
  dynbuf_free(&log);
  if ((long)count < min) {
    fprintf(stderr, "only %zu vectors in %s, expected at least %ld\n", count, argv[1], min);
    failures++;
  }
  fprintf(stderr, "line_vectors_test: %zu vectors, %s (%d failed)\n", count,
          failures ? "FAILED" : "ok", failures);
  return failures ? 1 : 0;
}
