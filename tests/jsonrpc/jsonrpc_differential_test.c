/* Differential test of the strict JSON scanner: every vector body,
 * thousands of deterministic mutations of them, and random well-formed
 * documents (half of them mutated once) are judged by jsonrpc_parse
 * (json: yes/no) and by Node (TextDecoder with fatal errors, then
 * JSON.parse, an independent RFC 8259 / ECMA-404 parser). The verdicts must
 * agree, except where mcpwire's own caps (rule LIMIT) refuse the input.
 * Also: whatever the scanner accepts, cJSON must be able to build.
 * usage: jsonrpc_differential_test NODE ORACLE_JS VECTOR_DIR */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "codec/dynbuf.h"
#include "codec/jsonrpc.h"
#include "mcpwire_limits.h"
#include "vector_text.h"

/* Shape of the generated corpus: seeds longer than this are skipped. */
#define SEED_MAX_LEN 4096
#define MUTANTS_PER_SEED 100
#define INPUTS_MAX MCPWIRE_JSONRPC_DIFF_INPUTS_MAX
#define MISMATCHES_SHOWN 20
#define GENERATED_DOCS 6000

typedef struct corpus {
  dynbuf records;     /* 4-byte LE length + bytes, what the oracle reads */
  size_t count;
  size_t offset[INPUTS_MAX];
} corpus;

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void) { /* xorshift64: same corpus every run */
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* The body of a vector file (format in docs/JSONRPC.md). */
static void vector_body(const char *path, dynbuf *body) {
  FILE *f = fopen(path, "rb");
  char line[8192];
  while (f && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (!strncmp(line, "body:", 5))
      vector_unescape(body, line + 5 + (line[5] == ' '));
  }
  if (f)
    fclose(f);
}

static void corpus_add(corpus *c, const char *bytes, size_t len) {
  if (c->count == INPUTS_MAX)
    return;
  unsigned char hdr[4] = {(unsigned char)len, (unsigned char)(len >> 8),
                          (unsigned char)(len >> 16), (unsigned char)(len >> 24)};
  size_t at = c->records.len;
  if (dynbuf_add(&c->records, hdr, 4) || dynbuf_add(&c->records, bytes, len)) {
    c->records.len = at;
    return;
  }
  c->offset[c->count++] = at;
}

/* Bytes that move a JSON scanner between states. */
static const char INTERESTING[] = "01-+.eE\"\\{}[],: \n\t\r/'untfx\x00\x7f\x80\xbf\xc0\xc3\xe0\xed\xef\xf0\xf4\xff";

static void mutate(dynbuf *m) {
  int edits = 1 + (int)(next_random() % 3);
  for (int k = 0; k < edits; k++) {
    size_t len = m->len, at = len ? next_random() % len : 0;
    char b = INTERESTING[next_random() % (sizeof INTERESTING - 1)];
    switch (next_random() % 5) {
    case 0: /* replace */
      if (len)
        m->ptr[at] = b;
      break;
    case 1: /* insert */
      if (dynbuf_addc(m, 0) == 0) {
        memmove(m->ptr + at + 1, m->ptr + at, len - at);
        m->ptr[at] = b;
      }
      break;
    case 2: /* delete */
      if (len) {
        memmove(m->ptr + at, m->ptr + at + 1, len - at - 1);
        m->len--;
      }
      break;
    case 3: /* truncate */
      m->len = at;
      break;
    default: /* insert an escape-like sequence */
      {
        static const char *const seqs[] = {"\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00",
                                           "\\u00e9", "1e5", "-0", "\xef\xbb\xbf", "\xed\xa0\x80",
                                           "\xc0\xaf", "\xf0\x9f\x98\x80", "true", "null,"};
        const char *q = seqs[next_random() % (sizeof seqs / sizeof seqs[0])];
        size_t ql = strlen(q);
        if (dynbuf_reserve(m, ql) == 0) {
          memmove(m->ptr + at + ql, m->ptr + at, len - at);
          memcpy(m->ptr + at, q, ql);
          m->len += ql;
        }
      }
    }
  }
}

static void build_corpus(corpus *c, const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[4096];
  while (d && (e = readdir(d))) {
    size_t l = strlen(e->d_name);
    if (l < 5 || strcmp(e->d_name + l - 4, ".txt"))
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    dynbuf seed, m;
    dynbuf_init(&seed, MCPWIRE_JSONRPC_VECTOR_MAX);
    dynbuf_init(&m, MCPWIRE_JSONRPC_VECTOR_MAX);
    vector_body(path, &seed);
    if (seed.len < SEED_MAX_LEN) {
      corpus_add(c, seed.ptr ? seed.ptr : "", seed.len);
      for (int i = 0; i < MUTANTS_PER_SEED; i++) {
        dynbuf_reset(&m);
        dynbuf_add(&m, seed.ptr ? seed.ptr : "", seed.len);
        mutate(&m);
        corpus_add(c, m.ptr ? m.ptr : "", m.len);
      }
    }
    dynbuf_free(&seed);
    dynbuf_free(&m);
  }
  if (d)
    closedir(d);
}

/* ---- random well-formed documents: every grammar path, valid or not
 * after one light mutation ---- */

static void gen_ws(dynbuf *b) {
  static const char ws[] = " \t\r\n";
  for (uint64_t n = next_random() % 3 ? 0 : 1 + next_random() % 3; n > 0; n--)
    dynbuf_addc(b, ws[next_random() % 4]);
}

static void gen_string(dynbuf *b) {
  static const char *const parts[] = {"a", "Z", " ", "\\\"", "\\\\", "\\/", "\\b", "\\f",
                                      "\\n", "\\r", "\\t", "\\u00e9", "\\u20AC",
                                      "\\ud83d\\ude00", "\xc3\xa9", "\xe2\x82\xac",
                                      "\xf0\x9f\x98\x80", "\x7f", "id", "method"};
  dynbuf_addc(b, '"');
  for (uint64_t n = next_random() % 6; n > 0; n--)
    dynbuf_adds(b, parts[next_random() % (sizeof parts / sizeof parts[0])]);
  dynbuf_addc(b, '"');
}

static void gen_number(dynbuf *b) {
  if (next_random() % 2)
    dynbuf_addc(b, '-');
  if (next_random() % 3 == 0)
    dynbuf_addc(b, '0');
  else
    dynbuf_printf(b, "%llu", (unsigned long long)(next_random() % 100000) + 1);
  if (next_random() % 3 == 0)
    dynbuf_printf(b, ".%llu", (unsigned long long)(next_random() % 1000));
  if (next_random() % 4 == 0)
    dynbuf_printf(b, "%s%s%llu", next_random() % 2 ? "e" : "E",
                  (const char *const[]){"", "+", "-"}[next_random() % 3],
                  (unsigned long long)(next_random() % 400));
}

static void gen_value(dynbuf *b, int depth) {
  uint64_t pick = next_random() % (depth < 6 ? 8 : 5);
  gen_ws(b);
  if (pick == 0) dynbuf_adds(b, "null");
  else if (pick == 1) dynbuf_adds(b, next_random() % 2 ? "true" : "false");
  else if (pick == 2) gen_number(b);
  else if (pick <= 4) gen_string(b);
  else {
    int object = pick == 5 || pick == 7;
    dynbuf_addc(b, object ? '{' : '[');
    for (uint64_t n = next_random() % 5, i = 0; i < n; i++) {
      if (i)
        dynbuf_addc(b, ',');
      if (object) {
        gen_ws(b);
        gen_string(b);
        gen_ws(b);
        dynbuf_addc(b, ':');
      }
      gen_value(b, depth + 1);
    }
    gen_ws(b);
    dynbuf_addc(b, object ? '}' : ']');
  }
  gen_ws(b);
}

static void add_generated(corpus *c, int count) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_JSONRPC_VECTOR_MAX);
  for (int i = 0; i < count; i++) {
    dynbuf_reset(&b);
    gen_value(&b, 0);
    corpus_add(c, b.ptr, b.len);
    if (i % 2)
      continue;
    mutate(&b);
    corpus_add(c, b.ptr ? b.ptr : "", b.len);
  }
  dynbuf_free(&b);
}

static void show(const char *bytes, size_t len) {
  for (size_t i = 0; i < len && i < 160; i++) {
    unsigned char ch = (unsigned char)bytes[i];
    if (ch >= 0x20 && ch < 0x7f && ch != '\\')
      fputc(ch, stderr);
    else
      fprintf(stderr, "\\x%02x", ch);
  }
  fputc('\n', stderr);
}

/* Our verdict on one record: 1 JSON, 0 not, -1 refused by a cap. */
static int our_verdict(const char *bytes, size_t len, char *why, size_t whysize) {
  jsonrpc_msg *m = jsonrpc_parse(bytes, len);
  int json = jsonrpc_is_json(m);
  const jsonrpc_problem *p = jsonrpc_problem_at(m, 0);
  snprintf(why, whysize, "%s", p ? p->reason : "");
  for (size_t i = 0; i < jsonrpc_problem_count(m); i++)
    if (!strcmp(jsonrpc_problem_at(m, i)->rule, "INTERNAL")) {
      fprintf(stderr, "cJSON could not build what the scanner accepted: ");
      show(bytes, len);
      check_failures++;
    }
  if (!json && p && !strcmp(p->rule, "LIMIT"))
    json = -1;
  jsonrpc_free(m);
  return json;
}

int main(int argc, char **argv) {
  if (argc != 4 || strchr(argv[1], '\'') || strchr(argv[2], '\'')) {
    fprintf(stderr, "usage: jsonrpc_differential_test NODE ORACLE_JS VECTOR_DIR\n");
    return 2;
  }
  static corpus c;
  dynbuf_init(&c.records, MCPWIRE_JSON_BODY_MAX);
  build_corpus(&c, argv[3]);
  add_generated(&c, GENERATED_DOCS);
  char file[] = "/tmp/mcpwire-json-diff-XXXXXX";
  int fd = mkstemp(file);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  CHECK(f != NULL);
  if (!f)
    return CHECK_DONE("jsonrpc_differential_test");
  fwrite(c.records.ptr, 1, c.records.len, f);
  fclose(f);

  char cmd[8192];
  /* coreutils timeout: the wait for the oracle has a deadline. */
  snprintf(cmd, sizeof cmd, "timeout %d '%s' '%s' '%s'", MCPWIRE_JSONRPC_DIFF_ORACLE_S, argv[1],
           argv[2], file);
  FILE *oracle = popen(cmd, "r");
  CHECK(oracle != NULL);
  size_t agreed = 0, capped = 0, shown = 0, answered = 0, accepted = 0;
  char line[32], why[256];
  for (size_t i = 0; oracle && i < c.count && fgets(line, sizeof line, oracle); i++) {
    answered++;
    const char *rec = c.records.ptr + c.offset[i];
    size_t len = (unsigned char)rec[0] | (size_t)(unsigned char)rec[1] << 8 |
                 (size_t)(unsigned char)rec[2] << 16 | (size_t)(unsigned char)rec[3] << 24;
    int theirs = line[0] == '1';
    int ours = our_verdict(rec + 4, len, why, sizeof why);
    accepted += theirs;
    if (ours < 0) {
      capped++;
    } else if (ours == theirs) {
      agreed++;
    } else {
      check_failures++;
      if (shown++ < MISMATCHES_SHOWN) {
        fprintf(stderr, "disagree: mcpwire json=%d (%s), node json=%d on: ", ours, why, theirs);
        show(rec + 4, len);
      }
    }
  }
  if (oracle)
    CHECK_INT(pclose(oracle), 0);
  unlink(file);
  fprintf(stderr, "%zu inputs, %zu judged by node (%zu JSON), %zu agreed, %zu over a cap\n",
          c.count, answered, accepted, agreed, capped);
  CHECK_INT(answered, c.count);      /* the oracle answered every record */
  CHECK(c.count >= 5000);            /* a real corpus, not a handful */
  CHECK(accepted > c.count / 20);    /* both verdicts occur often */
  CHECK(accepted < c.count - c.count / 20);
  dynbuf_free(&c.records);
  return CHECK_DONE("jsonrpc_differential_test");
}
