/*
 * seed_from_vectors: golden vector files (tests/vectors/) into raw seeds.
 *
 *   seed_from_vectors [--prefix HEX] OUTDIR VECTOR_FILE...
 *
 * A vector's bytes are the values of its `input:` (SSE) or `body:` (JSON-RPC)
 * lines, concatenated with no implicit newline, after decoding the escapes
 * \r \n \t \\ \xHH (one space after the colon is syntax, not data). A line
 * `name:`, `case:` or `---` starts the next vector of the same file. Each
 * vector becomes OUTDIR/<file>-<n>, preceded by the --prefix bytes (the
 * mode bytes a target reads first, e.g. 0001 for fuzz_sse).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/dynbuf.h"
#include "mcpwire_limits.h"

static int hex_value(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = tolower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes one escaped value into out; -1 on a malformed escape. */
static int decode_value(const char *s, size_t len, dynbuf *out) {
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c != '\\') {
      if (dynbuf_addc(out, c))
        return -1;
      continue;
    }
    if (++i >= len)
      return -1;
    switch (s[i]) {
    case 'r': c = '\r'; break;
    case 'n': c = '\n'; break;
    case 't': c = '\t'; break;
    case '\\': c = '\\'; break;
    case 'x': {
      int hi = i + 1 < len ? hex_value(s[i + 1]) : -1;
      int lo = i + 2 < len ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0)
        return -1;
      c = (char)(hi * 16 + lo);
      i += 2;
      break;
    }
    default: return -1;
    }
    if (dynbuf_addc(out, c))
      return -1;
  }
  return 0;
}

typedef struct seed_writer {
  const char *outdir;
  const char *stem;
  const dynbuf *prefix;
  int index;
  int written;
} seed_writer;

static int write_seed(seed_writer *w, const dynbuf *bytes) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s-%d", w->outdir, w->stem, w->index++);
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    return -1;
  }
  fwrite(w->prefix->ptr ? w->prefix->ptr : "", 1, w->prefix->len, f);
  fwrite(bytes->ptr ? bytes->ptr : "", 1, bytes->len, f);
  w->written++;
  return fclose(f) ? -1 : 0;
}

static int value_of(const char *line, const char *key, const char **val) {
  size_t k = strlen(key);
  if (strncmp(line, key, k))
    return 0;
  *val = line + k;
  if (**val == ' ')
    (*val)++;
  return 1;
}

static int seed_file(const char *file, seed_writer *w) {
  FILE *f = fopen(file, "r");
  if (!f) {
    perror(file);
    return -1;
  }
  const char *slash = strrchr(file, '/');
  w->stem = slash ? slash + 1 : file;
  w->index = 0;
  dynbuf bytes;
  dynbuf_init(&bytes, MCPWIRE_FUZZ_INPUT_MAX);
  int have = 0, rc = 0;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) >= 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    const char *val;
    if (value_of(line, "input:", &val) || value_of(line, "body:", &val)) {
      if (decode_value(val, strlen(val), &bytes)) {
        fprintf(stderr, "%s: bad escape in: %s\n", file, line);
        rc = -1;
      }
      have = 1;
    } else if (have && (value_of(line, "name:", &val) || value_of(line, "case:", &val) ||
                        !strncmp(line, "---", 3))) {
      rc |= write_seed(w, &bytes);
      dynbuf_reset(&bytes);
      have = 0;
    }
  }
  if (have)
    rc |= write_seed(w, &bytes);
  free(line);
  dynbuf_free(&bytes);
  fclose(f);
  return rc;
}

int main(int argc, char **argv) {
  dynbuf prefix;
  dynbuf_init(&prefix, 64);
  int i = 1;
  if (argc > 2 && !strcmp(argv[1], "--prefix")) {
    const char *h = argv[2];
    for (; h[0] && h[1]; h += 2)
      if (hex_value(h[0]) < 0 || hex_value(h[1]) < 0 ||
          dynbuf_addc(&prefix, (char)(hex_value(h[0]) * 16 + hex_value(h[1])))) {
        fprintf(stderr, "seed_from_vectors: bad --prefix\n");
        return 2;
      }
    i = 3;
  }
  if (argc - i < 2) {
    fprintf(stderr, "usage: seed_from_vectors [--prefix HEX] OUTDIR VECTOR_FILE...\n");
    return 2;
  }
  seed_writer w = {argv[i], NULL, &prefix, 0, 0};
  int rc = 0;
  for (int j = i + 1; j < argc; j++)
    rc |= seed_file(argv[j], &w);
  fprintf(stderr, "seed_from_vectors: %d seeds in %s\n", w.written, argv[i]);
  dynbuf_free(&prefix);
  return rc ? 1 : 0;
}
