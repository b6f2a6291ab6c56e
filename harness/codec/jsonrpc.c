/*
 * jsonrpc: strict JSON scanner, then the cJSON tree, then JSON-RPC 2.0 / MCP
 * classification. The contract is in jsonrpc.h; docs/JSONRPC.md explains
 * each cJSON leniency and where this file catches it.
 *
 * Three passes over a body:
 *   1. scan: RFC 8259 grammar and UTF-8, first error reported precisely;
 *      I-JSON problems (duplicate keys, lone surrogates) and \u0000 (a
 *      LIMIT of this implementation) listed; the raw spans of the envelope
 *      members (id, jsonrpc, method, ...) of the message, or of each batch
 *      element, recorded.
 *   2. tree: cJSON parses a copy patched so that it cannot disagree with the
 *      scanner (see scan_patch_*).
 *   3. classify: the envelope rules, each broken one a problem citing the
 *      catalog id.
 */
#include "codec/jsonrpc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/json_writer.h"
#include "codec/utf8.h"
#include "mcpwire_limits.h"

/* cJSON copies a number into a 64-byte buffer; longer ones it rejects. */
#define CJSON_NUMBER_MAX 63
/* How much of a value or key a reason quotes. */
#define EXCERPT_MAX 40
/* A required builder argument was NULL (dynbuf codes are -1 and -2). */
#define BUILD_BAD_ARGS JSONRPC_BUILD_BAD_ARGS

/* ------------------------------------------------------------------ */
/* spans and messages                                                  */

typedef struct span {
  long start; /* byte offset in the body, -1 when absent */
  size_t len;
} span;

/* Envelope members whose raw text the scanner records. */
enum tracked { T_ID, T_JSONRPC, T_METHOD, T_PARAMS, T_RESULT, T_ERROR,
               T_CODE, T_MESSAGE, T_COUNT };
static const char *const TRACKED_NAME[T_COUNT] = {
    "id", "jsonrpc", "method", "params", "result", "error", "code", "message"};

typedef struct msg_spans {
  span self;
  span member[T_COUNT]; /* T_CODE / T_MESSAGE are inside "error" */
} msg_spans;

struct jsonrpc_msg {
  jsonrpc_kind kind;
  jsonrpc_kind apparent; /* what the members make it look like */
  int is_json;
  int batch_index;       /* -1 for a top-level message */
  const char *body;      /* the top message's copy */
  char *body_owned;
  size_t len;
  cJSON *node;           /* this message's value in the tree */
  cJSON *tree_owned;
  msg_spans spans;
  char *id_text;         /* NUL-terminated copy of the raw id */
  jsonrpc_problem *problems;
  size_t nproblems, dropped;
  struct jsonrpc_msg *elements;
  size_t nelements;
};

static void spans_clear(msg_spans *sp) {
  sp->self.start = -1;
  sp->self.len = 0;
  for (int t = 0; t < T_COUNT; t++) {
    sp->member[t].start = -1;
    sp->member[t].len = 0;
  }
}

__attribute__((format(printf, 5, 0)))
static void problem_vadd(jsonrpc_msg *m, const char *rule, long offset, int index,
                         const char *fmt, va_list ap) {
  if (m->nproblems == MCPWIRE_JSONRPC_PROBLEMS_MAX) {
    m->dropped++;
    return;
  }
  if (!m->problems) {
    m->problems = calloc(MCPWIRE_JSONRPC_PROBLEMS_MAX, sizeof *m->problems);
    if (!m->problems) {
      m->dropped++;
      return;
    }
  }
  jsonrpc_problem *p = &m->problems[m->nproblems++];
  p->rule = rule;
  p->offset = offset;
  p->batch_index = index;
  vsnprintf(p->reason, sizeof p->reason, fmt, ap);
}

__attribute__((format(printf, 5, 6)))
static void problem_add(jsonrpc_msg *m, const char *rule, long offset, int index,
                        const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  problem_vadd(m, rule, offset, index, fmt, ap);
  va_end(ap);
}

static void problem_copy(jsonrpc_msg *to, const jsonrpc_problem *p, int index) {
  problem_add(to, p->rule, p->offset, index, "%s", p->reason);
}

/* Printable-ASCII excerpt of raw bytes for a reason; others become '?'. */
static void excerpt(char *buf, size_t size, const char *s, size_t len) {
  size_t n = len > EXCERPT_MAX ? EXCERPT_MAX : len, o = 0;
  for (size_t i = 0; i < n && o + 1 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    buf[o++] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
  }
  if (n < len && o + 4 < size) {
    memcpy(buf + o, "...", 3);
    o += 3;
  }
  buf[o] = '\0';
}

/* "'x'" for printable ASCII, "byte 0xHH" otherwise. */
static void describe_byte(char *buf, size_t size, unsigned char c) {
  if (c >= 0x20 && c < 0x7F)
    snprintf(buf, size, "'%c'", c);
  else
    snprintf(buf, size, "byte 0x%02X", c);
}

/* ------------------------------------------------------------------ */
/* JSON string content: decoding one code point at a time              */

static int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The 4 hex digits at s[i..i+3] (caller checked the bounds), or -1. */
static long hex4(const unsigned char *s, size_t i) {
  long v = 0;
  for (size_t k = 0; k < 4; k++) {
    int h = hex_value(s[i + k]);
    if (h < 0)
      return -1;
    v = v * 16 + h;
  }
  return v;
}

/* Next code point of UTF-8 text s[*i..end), or -1 when malformed. */
static long utf8_code_point(const unsigned char *s, size_t end, size_t *i) {
  long cp;
  size_t n = utf8_next(s + *i, end - *i, &cp);
  if (cp >= 0)
    *i += n;
  return cp;
}

/* Next code point of string content s[*i..end), escapes decoded, pairs
 * joined, lone surrogates returned as themselves; -1 on malformed text. */
static long jstr_next(const unsigned char *s, size_t end, size_t *i) {
  unsigned char c = s[*i];
  if (c == '\\') {
    if (*i + 1 >= end)
      return -1;
    unsigned char e = s[*i + 1];
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit = e ? strchr(from, e) : NULL;
    if (hit) {
      *i += 2;
      return (unsigned char)to[hit - from];
    }
    if (e != 'u' || *i + 6 > end)
      return -1;
    long cp = hex4(s, *i + 2);
    if (cp < 0)
      return -1;
    *i += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF && *i + 6 <= end && s[*i] == '\\' &&
        s[*i + 1] == 'u') {
      long lo = hex4(s, *i + 2);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        *i += 6;
        return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      }
    }
    return cp;
  }
  return utf8_code_point(s, end, i);
}

/* 1 when string content s[a..aend) decodes to the same code points as
 * content s2[b..bend). */
static int jstr_same(const unsigned char *s, size_t a, size_t aend,
                     const unsigned char *s2, size_t b, size_t bend) {
  while (a < aend && b < bend) {
    long x = jstr_next(s, aend, &a), y = jstr_next(s2, bend, &b);
    if (x < 0 || y < 0 || x != y)
      return 0;
  }
  return a == aend && b == bend;
}

/* 1 when string content s[a..end) decodes to exactly the UTF-8 bytes w. */
static int jstr_equals_utf8(const unsigned char *s, size_t a, size_t end,
                            const char *w, size_t wlen) {
  const unsigned char *u = (const unsigned char *)w;
  size_t b = 0;
  while (a < end && b < wlen) {
    long x = jstr_next(s, end, &a), y = utf8_code_point(u, wlen, &b);
    if (x < 0 || y < 0 || x != y)
      return 0;
  }
  return a == end && b == wlen;
}

static uint32_t jstr_hash(const unsigned char *s, size_t a, size_t end) {
  uint32_t h = 2166136261u; /* FNV-1a over code points */
  while (a < end) {
    long cp = s[a] < 0x80 && s[a] != '\\' ? s[a++] : jstr_next(s, end, &a);
    if (cp < 0)
      break;
    h = (h ^ (uint32_t)cp) * 16777619u;
  }
  return h;
}

/* ------------------------------------------------------------------ */
/* the strict scanner                                                  */

typedef struct key_entry {
  uint32_t hash;
  uint32_t start; /* offset of the opening quote */
  uint32_t end;   /* offset of the closing quote */
} key_entry;

typedef struct frame {
  int is_object;
  long open_at;
  size_t count;     /* members or elements so far */
  int rec_msg;      /* span this container fills: spans[rec_msg] ... */
  int rec_member;   /* ... .member[rec_member], or .self when -1 */
  int msg;          /* this object is message spans[msg], else -1 */
  int error_of;     /* this object is the "error" of message error_of */
} frame;

typedef struct scanner {
  const unsigned char *s;
  size_t len, pos;
  jsonrpc_msg *m;        /* receives the error, I-JSON and \u0000 problems */
  int depth;
  int keys_ready;        /* keys[0..keys_ready) are initialised */
  size_t values;         /* values begun so far, against the values cap */
  dynbuf spans;          /* msg_spans per message (one, or per element) */
  span top;              /* the whole top-level value */
  int top_is_array;
  char *patched;         /* copy for cJSON, made on the first patch */
  int failed, bad_utf8;
  long too_deep_at;      /* first container past MCPWIRE_JSON_DEPTH_MAX, or -1 */
  dynbuf deep;           /* frames past MCPWIRE_JSON_DEPTH_MAX: grammar only */
  /* Where the value after the current key goes, if it is tracked. */
  int pend_msg, pend_member, pend_error_of;
  /* Last, and set up only as deep as the body goes: most bodies use a few
   * levels of the 64. */
  frame stack[MCPWIRE_JSON_DEPTH_MAX];
  dynbuf keys[MCPWIRE_JSON_DEPTH_MAX]; /* key_entry per open object */
} scanner;

/* The frame of nesting level d (0 outermost); past MCPWIRE_JSON_DEPTH_MAX
 * it lives in `deep`. */
static frame *frame_at(scanner *sc, int d) {
  return d < MCPWIRE_JSON_DEPTH_MAX ? &sc->stack[d]
                                    : &((frame *)(void *)sc->deep.ptr)[d - MCPWIRE_JSON_DEPTH_MAX];
}

static msg_spans *spans_at(scanner *sc, int i) {
  return &((msg_spans *)(void *)sc->spans.ptr)[i];
}

static span *target(scanner *sc, int msg, int member) {
  if (msg < 0)
    return NULL;
  msg_spans *sp = spans_at(sc, msg);
  return member < 0 ? &sp->self : &sp->member[member];
}

/* Index of the batch element being scanned, or -1. */
static int current_index(const scanner *sc) {
  if (!sc->top_is_array || sc->depth < 1 || !sc->stack[0].count)
    return -1;
  return (int)(sc->stack[0].count - 1);
}

/* A body that is not JSON has one problem: the error. I-JSON and \u0000
 * problems found before it are moot. */
static void scan_stop(scanner *sc) {
  sc->failed = 1;
  sc->m->nproblems = 0;
  sc->m->dropped = 0;
}

/* The scan ends here: the body is not JSON (rule RFC8259) or a cap refused
 * it (rule LIMIT). */
__attribute__((format(printf, 4, 0)))
static int scan_vstop(scanner *sc, const char *rule, size_t at, const char *fmt, va_list ap) {
  scan_stop(sc);
  problem_vadd(sc->m, rule, (long)at, -1, fmt, ap);
  return -1;
}

__attribute__((format(printf, 3, 4)))
static int scan_fail(scanner *sc, size_t at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  scan_vstop(sc, "RFC8259", at, fmt, ap);
  va_end(ap);
  return -1;
}

__attribute__((format(printf, 3, 4)))
static int scan_limit(scanner *sc, size_t at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  scan_vstop(sc, "LIMIT", at, fmt, ap);
  va_end(ap);
  return -1;
}

static int scan_fail_eof(scanner *sc, const char *what) {
  if (sc->depth > 0) {
    const frame *f = frame_at(sc, sc->depth - 1);
    return scan_fail(sc, sc->len,
                     "unexpected end of input at byte %zu %s: %s opened at byte %ld is not closed",
                     sc->len, what, f->is_object ? "object" : "array", f->open_at);
  }
  return scan_fail(sc, sc->len, "unexpected end of input at byte %zu %s", sc->len, what);
}

/* The copy cJSON reads: made once, on the first patch. */
static char *scan_patch_copy(scanner *sc) {
  if (!sc->patched) {
    sc->patched = malloc(sc->len + 1);
    if (sc->patched) {
      memcpy(sc->patched, sc->s, sc->len);
      sc->patched[sc->len] = '\0';
    }
  }
  return sc->patched;
}

/* cJSON truncates at \u0000 and rejects lone surrogates; both are listed as
 * problems, and its copy gets \uFFFD (same length) instead. */
static void scan_patch_escape(scanner *sc, size_t at) {
  char *p = scan_patch_copy(sc);
  if (p)
    memcpy(p + at, "\\ufffd", 6);
}

/* cJSON rejects numbers over 63 characters; its copy gets the same double
 * printed short, padded with spaces (whitespace is legal after a value). */
static void scan_patch_number(scanner *sc, size_t start, size_t end) {
  char *p = scan_patch_copy(sc);
  char *text = malloc(end - start + 1);
  if (!p || !text) {
    free(text);
    return;
  }
  memcpy(text, sc->s + start, end - start);
  text[end - start] = '\0';
  double v = strtod(text, NULL);
  free(text);
  char shortform[40];
  if (isfinite(v))
    snprintf(shortform, sizeof shortform, "%.17g", v);
  else
    snprintf(shortform, sizeof shortform, "%s", v < 0 ? "-1e999" : "1e999");
  size_t n = strlen(shortform);
  memset(p + start, ' ', end - start);
  memcpy(p + start, shortform, n);
}

__attribute__((format(printf, 3, 4)))
static void scan_ijson(scanner *sc, size_t at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  problem_vadd(sc->m, "I-JSON", (long)at, current_index(sc), fmt, ap);
  va_end(ap);
}

/* \u0000 is JSON and I-JSON, but cJSON and C strings end at a NUL: a limit
 * of this implementation (rule LIMIT), not a fault of the sender. */
static void scan_nul_escape(scanner *sc, size_t at) {
  problem_add(sc->m, "LIMIT", (long)at, current_index(sc),
              "\\u0000 (NUL) in string at byte %zu: cJSON and C strings truncate there", at);
  scan_patch_escape(sc, at);
}

static void skip_ws(scanner *sc) {
  const unsigned char *s = sc->s;
  size_t i = sc->pos, n = sc->len;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    i++;
  sc->pos = i;
}

/* Why the UTF-8 sequence at s[i] is invalid, or NULL with *n its length. */
static const char *utf8_fault(const unsigned char *s, size_t i, size_t len, size_t *n) {
  unsigned char c = s[i];
  if (c >= 0x80 && c <= 0xBF) return "continuation byte without a lead byte";
  if (c == 0xC0 || c == 0xC1) return "overlong encoding";
  if (c >= 0xF8) return "byte that never appears in UTF-8";
  if (c >= 0xF5) return "code point above U+10FFFF";
  size_t need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  long cp = need == 2 ? (c & 0x1F) : need == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < need; k++) {
    if (i + k >= len) return "sequence cut by the end of input";
    if ((s[i + k] & 0xC0) != 0x80) return "sequence cut short by a non-continuation byte";
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000)) return "overlong encoding";
  if (cp >= 0xD800 && cp <= 0xDFFF) return "UTF-16 surrogate encoded in UTF-8";
  if (cp > 0x10FFFF) return "code point above U+10FFFF";
  *n = need;
  return NULL;
}

/* One escape at s[i] == '\\'; returns the offset after it, 0 on error. */
static size_t scan_escape(scanner *sc, size_t i) {
  const unsigned char *s = sc->s;
  size_t n = sc->len;
  if (i + 1 >= n)
    return scan_fail_eof(sc, "inside a string escape"), 0;
  unsigned char e = s[i + 1];
  if (strchr("\"\\/bfnrt", e) && e)
    return i + 2;
  if (e != 'u') {
    char b[16];
    describe_byte(b, sizeof b, e);
    scan_fail(sc, i, "invalid escape '\\' followed by %s in string at byte %zu", b, i);
    return 0;
  }
  for (size_t k = 2; k < 6; k++) {
    if (i + k >= n)
      return scan_fail_eof(sc, "inside a \\u escape"), 0;
    if (hex_value(s[i + k]) < 0) {
      scan_fail(sc, i, "invalid \\u escape at byte %zu: expected 4 hex digits", i);
      return 0;
    }
  }
  long cp = hex4(s, i + 2);
  if (cp == 0) {
    scan_nul_escape(sc, i);
  } else if (cp >= 0xD800 && cp <= 0xDBFF) {
    long lo = (i + 12 <= n && s[i + 6] == '\\' && s[i + 7] == 'u') ? hex4(s, i + 8) : -1;
    if (lo >= 0xDC00 && lo <= 0xDFFF)
      return i + 12;
    scan_ijson(sc, i, "lone surrogate \\u%04lx at byte %zu: no low surrogate follows", cp, i);
    scan_patch_escape(sc, i);
  } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
    scan_ijson(sc, i, "lone surrogate \\u%04lx at byte %zu: no high surrogate before it", cp, i);
    scan_patch_escape(sc, i);
  }
  return i + 6;
}

/* 1 for bytes a string holds as they are: ASCII except controls, '"', '\\'.
 * One table lookup per byte keeps long strings (base64 images) fast. */
static const unsigned char plain_byte[256] = {
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    1,1,0,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,0,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
};

/* The string whose quote is at pos; pos ends after the closing quote. */
static int scan_string(scanner *sc) {
  const unsigned char *s = sc->s;
  size_t n = sc->len, open = sc->pos, i = open + 1;
  for (;;) {
    while (i < n && plain_byte[s[i]])
      i++;
    if (i >= n) {
      char what[64];
      snprintf(what, sizeof what, "inside the string opened at byte %zu", open);
      return scan_fail_eof(sc, what);
    }
    unsigned char c = s[i];
    if (c == '"') {
      sc->pos = i + 1;
      return 0;
    }
    if (c < 0x20)
      return scan_fail(sc, i, "raw control character U+%04X in string at byte %zu (must be escaped)",
                       c, i);
    if (c == '\\') {
      i = scan_escape(sc, i);
      if (!i)
        return -1;
      continue;
    }
    size_t k = 0;
    const char *why = utf8_fault(s, i, n, &k);
    if (why) {
      sc->bad_utf8 = 1;
      return scan_fail(sc, i, "invalid UTF-8 at byte %zu: %s", i, why);
    }
    i += k;
  }
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static int scan_number(scanner *sc) {
  const unsigned char *s = sc->s;
  size_t n = sc->len, start = sc->pos, i = start;
  if (s[i] == '-') {
    i++;
    if (i >= n)
      return scan_fail_eof(sc, "after '-' in a number");
    if (!is_digit(s[i])) {
      char b[16];
      describe_byte(b, sizeof b, s[i]);
      return scan_fail(sc, i, "expected a digit after '-' at byte %zu, found %s", i, b);
    }
  }
  if (s[i] == '0') {
    if (i + 1 < n && is_digit(s[i + 1]))
      return scan_fail(sc, i, "leading zero in number at byte %zu", i);
    i++;
  } else {
    while (i < n && is_digit(s[i]))
      i++;
  }
  if (i < n && s[i] == '.') {
    i++;
    if (i >= n)
      return scan_fail_eof(sc, "after the decimal point of a number");
    if (!is_digit(s[i]))
      return scan_fail(sc, i, "expected a digit after the decimal point at byte %zu", i);
    while (i < n && is_digit(s[i]))
      i++;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
      i++;
    if (i >= n)
      return scan_fail_eof(sc, "in the exponent of a number");
    if (!is_digit(s[i]))
      return scan_fail(sc, i, "expected a digit in the exponent at byte %zu", i);
    while (i < n && is_digit(s[i]))
      i++;
  }
  if (i - start > CJSON_NUMBER_MAX)
    scan_patch_number(sc, start, i);
  sc->pos = i;
  return 0;
}

static int is_word_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

/* true / false / null, or a precise reason why the word is not one. */
static int scan_literal(scanner *sc) {
  const unsigned char *s = sc->s;
  size_t start = sc->pos, i = start;
  while (i < sc->len && is_word_char(s[i]))
    i++;
  size_t wl = i - start;
  static const char *const lits[] = {"true", "false", "null"};
  for (int k = 0; k < 3; k++) {
    size_t ll = strlen(lits[k]);
    if (wl == ll && !memcmp(s + start, lits[k], ll)) {
      sc->pos = i;
      return 0;
    }
    if (i == sc->len && wl < ll && !memcmp(s + start, lits[k], wl))
      return scan_fail_eof(sc, "inside a literal");
  }
  char word[EXCERPT_MAX + 8];
  excerpt(word, sizeof word, (const char *)s + start, wl);
  if (!strcmp(word, "NaN") || !strcmp(word, "Infinity"))
    return scan_fail(sc, start, "%s at byte %zu is not a JSON value", word, start);
  return scan_fail(sc, start, "invalid literal '%s' at byte %zu", word, start);
}

/* A byte that cannot start a value: say what it is. */
static int scan_bad_value_start(scanner *sc, int after_comma) {
  size_t at = sc->pos;
  unsigned char c = sc->s[at];
  if (at == 0 && sc->len >= 3 && !memcmp(sc->s, "\xEF\xBB\xBF", 3))
    return scan_fail(sc, 0, "UTF-8 byte order mark at byte 0: JSON text must not begin with one");
  if (c == '\'')
    return scan_fail(sc, at, "single-quoted string at byte %zu (JSON strings use double quotes)", at);
  if (c == '/' || c == '#')
    return scan_fail(sc, at, "comment at byte %zu (JSON has no comments)", at);
  if (c == '+')
    return scan_fail(sc, at, "'+' sign on a number at byte %zu (JSON numbers have none)", at);
  if (c == '.')
    return scan_fail(sc, at, "number without an integer part at byte %zu", at);
  if (after_comma && (c == ']' || c == '}'))
    return scan_fail(sc, at, "trailing comma before '%c' at byte %zu", c, at);
  if (is_word_char(c))
    return scan_literal(sc);
  char b[16];
  describe_byte(b, sizeof b, c);
  return scan_fail(sc, at, "unexpected %s where a value was expected at byte %zu", b, at);
}

/* A container deeper than MCPWIRE_JSON_DEPTH_MAX: its grammar is still
 * checked (no spans, no duplicate keys), and the body is refused as LIMIT
 * once it is known to be JSON. */
static int scan_push_deep(scanner *sc, int is_object) {
  if (sc->depth == MCPWIRE_JSON_GRAMMAR_DEPTH_MAX)
    return scan_limit(sc, sc->pos, "nesting deeper than %d at byte %zu",
                      MCPWIRE_JSON_GRAMMAR_DEPTH_MAX, sc->pos);
  frame f = {.is_object = is_object, .open_at = (long)sc->pos, .count = 0, .rec_msg = -1,
             .rec_member = -1, .msg = -1, .error_of = -1};
  if (dynbuf_add(&sc->deep, &f, sizeof f) != DYNBUF_OK) {
    sc->failed = 1;
    problem_add(sc->m, "INTERNAL", (long)sc->pos, -1, "out of memory while scanning");
    return -1;
  }
  if (sc->too_deep_at < 0)
    sc->too_deep_at = (long)sc->pos;
  sc->depth++;
  sc->pos++;
  return 0;
}

static int scan_push(scanner *sc, int is_object, int rec_msg, int rec_member, int msg,
                     int error_of) {
  if (sc->depth >= MCPWIRE_JSON_DEPTH_MAX)
    return scan_push_deep(sc, is_object);
  frame *f = &sc->stack[sc->depth];
  f->is_object = is_object;
  f->open_at = (long)sc->pos;
  f->count = 0;
  f->rec_msg = rec_msg;
  f->rec_member = rec_member;
  f->msg = msg;
  f->error_of = error_of;
  if (sc->depth == sc->keys_ready)
    dynbuf_init(&sc->keys[sc->keys_ready++], (size_t)MCPWIRE_JSON_MEMBERS_MAX * sizeof(key_entry));
  dynbuf_reset(&sc->keys[sc->depth]);
  sc->depth++;
  sc->pos++;
  return 0;
}

/* The body being sorted; qsort has no context argument. */
static _Thread_local const unsigned char *sort_body;

/* Order of two string contents by decoded code points. */
static int jstr_compare(const unsigned char *s, size_t a, size_t aend, size_t b, size_t bend) {
  while (a < aend && b < bend) {
    long x = jstr_next(s, aend, &a), y = jstr_next(s, bend, &b);
    if (x != y)
      return x < y ? -1 : 1;
  }
  return (a < aend) - (b < bend);
}

/* By hash, then decoded content, then position: equal keys end up adjacent
 * in document order, so even colliding hashes cost O(n log n). */
static int key_order(const void *pa, const void *pb) {
  const key_entry *x = pa, *y = pb;
  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  int c = jstr_compare(sort_body, x->start + 1, x->end, y->start + 1, y->end);
  if (c)
    return c;
  return x->start < y->start ? -1 : x->start > y->start;
}

static void report_duplicate(scanner *sc, const key_entry *dup, const key_entry *first) {
  char key[EXCERPT_MAX + 8];
  excerpt(key, sizeof key, (const char *)sc->s + dup->start + 1, dup->end - dup->start - 1);
  scan_ijson(sc, dup->start, "duplicate key \"%s\" at byte %u (first at byte %u)", key,
             (unsigned)dup->start, (unsigned)first->start);
}

static int keys_same(const scanner *sc, const key_entry *a, const key_entry *b) {
  return a->hash == b->hash &&
         jstr_same(sc->s, a->start + 1, a->end, sc->s, b->start + 1, b->end);
}

/* Duplicate keys of the object closing now; small objects pairwise, large
 * ones sorted by hash so the check stays O(n log n). */
static void scan_check_duplicates(scanner *sc, dynbuf *keys) {
  key_entry *k = (key_entry *)(void *)keys->ptr;
  size_t n = keys->len / sizeof *k;
  if (n < 2)
    return;
  if (n <= 16) {
    for (size_t j = 1; j < n; j++)
      for (size_t i = 0; i < j; i++)
        if (keys_same(sc, &k[i], &k[j])) {
          report_duplicate(sc, &k[j], &k[i]);
          break;
        }
    return;
  }
  sort_body = sc->s;
  qsort(k, n, sizeof *k, key_order);
  size_t first = 0;
  for (size_t j = 1; j < n; j++) {
    if (keys_same(sc, &k[j - 1], &k[j]))
      report_duplicate(sc, &k[j], &k[first]);
    else
      first = j;
  }
}

static void scan_pop(scanner *sc) {
  sc->pos++;
  if (--sc->depth >= MCPWIRE_JSON_DEPTH_MAX) {
    sc->deep.len -= sizeof(frame); /* grammar only: nothing recorded */
    return;
  }
  frame *f = &sc->stack[sc->depth];
  span *t = target(sc, f->rec_msg, f->rec_member);
  if (t) {
    t->start = f->open_at;
    t->len = sc->pos - (size_t)f->open_at;
  }
  if (f->is_object)
    scan_check_duplicates(sc, &sc->keys[sc->depth]);
  if (sc->depth == 0) {
    sc->top.start = f->open_at;
    sc->top.len = sc->pos - (size_t)f->open_at;
  }
}

static int scan_new_message(scanner *sc) {
  msg_spans sp;
  spans_clear(&sp);
  if (dynbuf_add(&sc->spans, &sp, sizeof sp) != DYNBUF_OK)
    return -1;
  return (int)(sc->spans.len / sizeof sp) - 1;
}

/* Which member the next value fills, from the key just scanned. */
static void scan_note_key(scanner *sc, const key_entry *k) {
  const frame *f = frame_at(sc, sc->depth - 1);
  sc->pend_msg = sc->pend_member = sc->pend_error_of = -1;
  int owner = f->msg >= 0 ? f->msg : f->error_of;
  if (owner < 0)
    return;
  int lo = f->msg >= 0 ? T_ID : T_CODE, hi = f->msg >= 0 ? T_ERROR : T_MESSAGE;
  for (int t = lo; t <= hi; t++) {
    const char *name = TRACKED_NAME[t];
    if (!jstr_equals_utf8(sc->s, k->start + 1, k->end, name, strlen(name)))
      continue;
    if (spans_at(sc, owner)->member[t].start >= 0)
      return; /* a duplicate: the first one counts, as for cJSON's getter */
    sc->pend_msg = owner;
    sc->pend_member = t;
    if (t == T_ERROR)
      sc->pend_error_of = owner;
    return;
  }
}

/* A key, the ':' and the whitespace after it. */
static int scan_key(scanner *sc, int after_comma) {
  size_t at = sc->pos;
  if (at >= sc->len)
    return scan_fail_eof(sc, "where an object key was expected");
  unsigned char c = sc->s[at];
  if (c != '"') {
    if (c == '}' && after_comma)
      return scan_fail(sc, at, "trailing comma before '}' at byte %zu", at);
    if (c == '\'')
      return scan_fail(sc, at, "single-quoted key at byte %zu (JSON strings use double quotes)", at);
    if (c == '/' || c == '#')
      return scan_fail(sc, at, "comment at byte %zu (JSON has no comments)", at);
    char b[16];
    describe_byte(b, sizeof b, c);
    return scan_fail(sc, at, "object key must be a double-quoted string: found %s at byte %zu", b,
                     at);
  }
  if (scan_string(sc))
    return -1;
  frame *f = frame_at(sc, sc->depth - 1);
  key_entry k = {jstr_hash(sc->s, at + 1, sc->pos - 1), (uint32_t)at, (uint32_t)(sc->pos - 1)};
  int deep = sc->depth > MCPWIRE_JSON_DEPTH_MAX; /* no duplicate check there */
  if (deep ? f->count >= MCPWIRE_JSON_MEMBERS_MAX
           : dynbuf_add(&sc->keys[sc->depth - 1], &k, sizeof k) != DYNBUF_OK)
    return scan_limit(sc, at, "object opened at byte %ld has more than %d members", f->open_at,
                      MCPWIRE_JSON_MEMBERS_MAX);
  f->count++;
  scan_note_key(sc, &k);
  skip_ws(sc);
  if (sc->pos >= sc->len)
    return scan_fail_eof(sc, "where ':' was expected");
  if (sc->s[sc->pos] != ':') {
    char b[16];
    describe_byte(b, sizeof b, sc->s[sc->pos]);
    return scan_fail(sc, sc->pos, "expected ':' after object key at byte %zu, found %s", sc->pos, b);
  }
  sc->pos++;
  skip_ws(sc);
  return 0;
}

/* Decides which span the value starting at pos fills; -1 out of memory. */
static int scan_value_target(scanner *sc, int *rec_msg, int *rec_member, int *msg,
                              int *error_of) {
  *rec_msg = *rec_member = *msg = *error_of = -1;
  int opens_object = sc->s[sc->pos] == '{';
  if (sc->depth == 0 || (sc->top_is_array && sc->depth == 1)) {
    if (sc->depth == 1 && sc->stack[0].count > MCPWIRE_JSONRPC_BATCH_MAX)
      return 0; /* past the batch cap: classification reports it */
    if (sc->depth == 0 && sc->s[sc->pos] == '[') {
      sc->top_is_array = 1;
      return 0;
    }
    int i = scan_new_message(sc);
    *rec_msg = i;
    if (opens_object)
      *msg = i;
    return i < 0 ? -1 : 0;
  }
  *rec_msg = sc->pend_msg;
  *rec_member = sc->pend_member;
  if (opens_object)
    *error_of = sc->pend_error_of;
  sc->pend_msg = sc->pend_member = sc->pend_error_of = -1;
  return 0;
}

/* One value; a container is pushed here and closed by scan_body's loop. */
static int scan_value(scanner *sc, int after_comma) {
  if (sc->pos >= sc->len)
    return scan_fail_eof(sc, "where a value was expected");
  if (++sc->values > MCPWIRE_JSON_VALUES_MAX)
    return scan_limit(sc, sc->pos, "more than %u values at byte %zu",
                      (unsigned)MCPWIRE_JSON_VALUES_MAX, sc->pos);
  if (sc->depth > 0 && !frame_at(sc, sc->depth - 1)->is_object)
    frame_at(sc, sc->depth - 1)->count++;
  int rec_msg, rec_member, msg, error_of;
  if (scan_value_target(sc, &rec_msg, &rec_member, &msg, &error_of)) {
    sc->failed = 1;
    problem_add(sc->m, "INTERNAL", (long)sc->pos, -1, "out of memory while scanning");
    return -1;
  }
  size_t start = sc->pos;
  unsigned char c = sc->s[start];
  int rc;
  if (c == '{' || c == '[')
    return scan_push(sc, c == '{', rec_msg, rec_member, msg, error_of);
  if (c == '"')
    rc = scan_string(sc);
  else if (c == '-' || is_digit(c))
    rc = scan_number(sc);
  else if (c == 't' || c == 'f' || c == 'n')
    rc = scan_literal(sc);
  else
    rc = scan_bad_value_start(sc, after_comma);
  span *t = rc ? NULL : target(sc, rec_msg, rec_member);
  if (t) {
    t->start = (long)start;
    t->len = sc->pos - start;
  }
  if (!rc && sc->depth == 0) {
    sc->top.start = (long)start;
    sc->top.len = sc->pos - start;
  }
  return rc;
}

/* The whole body: an explicit stack, so depth costs no C stack. */
static int scan_body(scanner *sc) {
  skip_ws(sc);
  if (sc->pos >= sc->len)
    return sc->len ? scan_fail(sc, sc->len, "only whitespace, no JSON value (%zu bytes)", sc->len)
                   : scan_fail(sc, 0, "empty body: no JSON value");
  if (scan_value(sc, 0))
    return -1;
  for (;;) {
    skip_ws(sc);
    if (sc->depth == 0) {
      if (sc->pos < sc->len)
        return scan_fail(sc, sc->pos, "trailing data after the value at byte %zu", sc->pos);
      return 0;
    }
    frame *f = frame_at(sc, sc->depth - 1);
    if (sc->pos >= sc->len)
      return scan_fail_eof(sc, f->is_object ? "inside an object" : "inside an array");
    unsigned char c = sc->s[sc->pos];
    int empty = f->count == 0;
    if (c == (f->is_object ? '}' : ']')) {
      scan_pop(sc);
      continue;
    }
    if (!empty && c != ',') {
      char b[16];
      describe_byte(b, sizeof b, c);
      return scan_fail(sc, sc->pos, "expected ',' or '%c' after %s at byte %zu, found %s",
                       f->is_object ? '}' : ']', f->is_object ? "an object member" : "an array element",
                       sc->pos, b);
    }
    if (!empty) {
      sc->pos++;
      skip_ws(sc);
    }
    if (f->is_object && scan_key(sc, !empty))
      return -1;
    if (scan_value(sc, !empty))
      return -1;
  }
}

static void scanner_init(scanner *sc, jsonrpc_msg *m, const char *body, size_t len) {
  memset(sc, 0, offsetof(scanner, stack));
  sc->s = (const unsigned char *)body;
  sc->len = len;
  sc->m = m;
  sc->top.start = -1;
  sc->too_deep_at = -1;
  dynbuf_init(&sc->deep, (size_t)(MCPWIRE_JSON_GRAMMAR_DEPTH_MAX - MCPWIRE_JSON_DEPTH_MAX) *
                             sizeof(frame));
  sc->pend_msg = sc->pend_member = sc->pend_error_of = -1;
  dynbuf_init(&sc->spans, (size_t)MCPWIRE_JSONRPC_BATCH_MAX * sizeof(msg_spans));
}

static void scanner_free(scanner *sc) {
  for (int d = 0; d < sc->keys_ready; d++)
    dynbuf_free(&sc->keys[d]);
  dynbuf_free(&sc->deep);
  dynbuf_free(&sc->spans);
  free(sc->patched);
}

/* ------------------------------------------------------------------ */
/* classification                                                      */

const char *jsonrpc_kind_name(jsonrpc_kind k) {
  switch (k) {
  case JSONRPC_REQUEST: return "request";
  case JSONRPC_NOTIFICATION: return "notification";
  case JSONRPC_SUCCESS_RESPONSE: return "success_response";
  case JSONRPC_ERROR_RESPONSE: return "error_response";
  case JSONRPC_BATCH: return "batch";
  case JSONRPC_INVALID: break;
  }
  return "invalid";
}

static const char *raw_type_name(const char *raw) {
  switch (raw[0]) {
  case '"': return "a string";
  case '{': return "an object";
  case '[': return "an array";
  case 't': case 'f': return "a boolean";
  case 'n': return "null";
  default: return "a number";
  }
}

/* Raw text of a member; callers only ask for members cJSON found, whose
 * spans the scanner recorded, but an absent one reads as "?" not out of
 * bounds. */
static const char *member_raw(const jsonrpc_msg *m, int t) {
  return m->spans.member[t].start >= 0 ? m->body + m->spans.member[t].start : "?";
}

static long member_offset(const jsonrpc_msg *m, int t) {
  long at = m->spans.member[t].start;
  return at >= 0 ? at : m->spans.self.start;
}

/* The raw text of a member, quoted for a reason. */
static void member_excerpt(const jsonrpc_msg *m, int t, char *buf, size_t size) {
  excerpt(buf, size, member_raw(m, t), m->spans.member[t].start >= 0 ? m->spans.member[t].len : 1);
}

/* The member's excerpt and its JSON type, "12 (a number)"; a null says
 * what it is by itself: "null". */
static void member_described(const jsonrpc_msg *m, int t, char *buf, size_t size) {
  char ex[EXCERPT_MAX + 8];
  member_excerpt(m, t, ex, sizeof ex);
  const char *raw = member_raw(m, t);
  if (raw[0] == 'n')
    snprintf(buf, size, "%s", ex);
  else
    snprintf(buf, size, "%s (%s)", ex, raw_type_name(raw));
}

static int raw_is_integer(const char *raw, size_t len) {
  if (!len || (raw[0] != '-' && !is_digit((unsigned char)raw[0])))
    return 0;
  for (size_t i = 0; i < len; i++)
    if (raw[i] == '.' || raw[i] == 'e' || raw[i] == 'E')
      return 0;
  return 1;
}

static cJSON *member_node(const cJSON *o, const char *name) {
  return cJSON_GetObjectItemCaseSensitive(o, name);
}

static void check_version(jsonrpc_msg *m, int index) {
  cJSON *v = member_node(m->node, "jsonrpc");
  if (!v) {
    problem_add(m, "JSONRPC-02", m->spans.self.start, index,
                "\"jsonrpc\" member is missing (it must be the string \"2.0\")");
    return;
  }
  if (cJSON_IsString(v) && !strcmp(v->valuestring, "2.0"))
    return;
  char what[EXCERPT_MAX + 32];
  member_described(m, T_JSONRPC, what, sizeof what);
  problem_add(m, "JSONRPC-02", member_offset(m, T_JSONRPC), index,
              "\"jsonrpc\" is %s, expected the string \"2.0\"", what);
}

/* A request id (or a response id other than null): string or integer. */
static void check_id_type(jsonrpc_msg *m, int index, const char *who) {
  const char *raw = member_raw(m, T_ID);
  size_t len = m->spans.member[T_ID].len;
  if (raw[0] == '"' || raw_is_integer(raw, len))
    return;
  char ex[EXCERPT_MAX + 8];
  member_excerpt(m, T_ID, ex, sizeof ex);
  if (raw[0] == 'n')
    problem_add(m, "JSONRPC-05", member_offset(m, T_ID), index,
                "%s id is null: a request id must be a string or an integer, and a message with "
                "\"method\" and an id is never a notification", who);
  else if (raw[0] == '-' || is_digit((unsigned char)raw[0]))
    problem_add(m, "JSONRPC-04", member_offset(m, T_ID), index,
                "%s id %s has a fraction or exponent: ids are strings or integers", who, ex);
  else
    problem_add(m, "JSONRPC-04", member_offset(m, T_ID), index,
                "%s id is %s (%s): ids are strings or integers", who, ex, raw_type_name(raw));
}

static void classify_call(jsonrpc_msg *m, int index) {
  const cJSON *o = m->node;
  cJSON *method = member_node(o, "method"), *params = member_node(o, "params");
  char what[EXCERPT_MAX + 32];
  m->apparent = member_node(o, "id") ? JSONRPC_REQUEST : JSONRPC_NOTIFICATION;
  if (member_node(o, "result") || member_node(o, "error"))
    problem_add(m, "JSONRPC-01", m->spans.self.start, index,
                "has \"method\" and also \"%s\": a message is a request, a notification or a "
                "response, never both", member_node(o, "result") ? "result" : "error");
  if (!cJSON_IsString(method)) {
    member_described(m, T_METHOD, what, sizeof what);
    problem_add(m, "JSONRPC-07", member_offset(m, T_METHOD), index,
                "\"method\" is %s, expected a string", what);
  }
  if (params && !cJSON_IsObject(params))
    problem_add(m, "JSONRPC-07", member_offset(m, T_PARAMS), index,
                "\"params\" is %s: MCP params must be an object (no positional arrays)",
                raw_type_name(member_raw(m, T_PARAMS)));
  if (m->apparent == JSONRPC_REQUEST)
    check_id_type(m, index, "request");
}

/* error.code is not an integer in the text: another type, or a number
 * with a fraction or exponent (-3.26e4 has an integral value, but JSON-RPC
 * asks for an integer, and receivers parse the text). */
static void bad_error_code(jsonrpc_msg *m, int index) {
  char what[EXCERPT_MAX + 32];
  const char *raw = member_raw(m, T_CODE);
  if (raw[0] == '-' || is_digit((unsigned char)raw[0])) {
    member_excerpt(m, T_CODE, what, sizeof what);
    problem_add(m, "JSONRPC-11", member_offset(m, T_CODE), index,
                "\"error.code\" %s has a fraction or exponent: the code is an integer", what);
  } else {
    member_described(m, T_CODE, what, sizeof what);
    problem_add(m, "JSONRPC-11", member_offset(m, T_CODE), index,
                "\"error.code\" is %s, expected an integer", what);
  }
}

static void check_error_object(jsonrpc_msg *m, int index) {
  const cJSON *err = member_node(m->node, "error");
  char what[EXCERPT_MAX + 32];
  if (!cJSON_IsObject(err)) {
    member_described(m, T_ERROR, what, sizeof what);
    problem_add(m, "JSONRPC-11", member_offset(m, T_ERROR), index,
                "\"error\" is %s, expected an object with \"code\" and \"message\"", what);
    return;
  }
  if (m->spans.member[T_CODE].start < 0)
    problem_add(m, "JSONRPC-11", member_offset(m, T_ERROR), index, "error object has no \"code\"");
  else if (!raw_is_integer(member_raw(m, T_CODE), m->spans.member[T_CODE].len))
    bad_error_code(m, index);
  if (m->spans.member[T_MESSAGE].start < 0)
    problem_add(m, "JSONRPC-11", member_offset(m, T_ERROR), index,
                "error object has no \"message\"");
  else if (member_raw(m, T_MESSAGE)[0] != '"') {
    member_described(m, T_MESSAGE, what, sizeof what);
    problem_add(m, "JSONRPC-11", member_offset(m, T_MESSAGE), index,
                "\"error.message\" is %s, expected a string", what);
  }
}

static void classify_response(jsonrpc_msg *m, int index) {
  const cJSON *o = m->node;
  cJSON *result = member_node(o, "result"), *error = member_node(o, "error");
  m->apparent = error ? JSONRPC_ERROR_RESPONSE : JSONRPC_SUCCESS_RESPONSE;
  if (result && error)
    problem_add(m, "JSONRPC-09", m->spans.self.start, index,
                "has both \"result\" and \"error\": a response has exactly one");
  const char *id = m->spans.member[T_ID].start >= 0 ? member_raw(m, T_ID) : NULL;
  if (!error && !id)
    problem_add(m, "JSONRPC-08", m->spans.self.start, index,
                "success response has no \"id\": it must carry its request's id");
  else if (!error && id[0] == 'n')
    problem_add(m, "JSONRPC-08", member_offset(m, T_ID), index,
                "success response has \"id\":null: only an error about an unreadable request may");
  else if (id && id[0] != 'n')
    check_id_type(m, index, "response");
  if (result && !cJSON_IsObject(result)) {
    char what[EXCERPT_MAX + 32];
    member_described(m, T_RESULT, what, sizeof what);
    problem_add(m, "JSONRPC-10", member_offset(m, T_RESULT), index,
                "\"result\" is %s: it must be an object ({} when empty)", what);
  }
  if (error)
    check_error_object(m, index);
}

static void classify_single(jsonrpc_msg *m, int index) {
  const cJSON *o = m->node;
  if (!cJSON_IsObject(o)) {
    const char *raw = m->body + m->spans.self.start;
    problem_add(m, "JSONRPC-01", m->spans.self.start, index,
                index < 0 ? "the body is %s: a JSON-RPC message is an object (a batch an array)"
                          : "batch element is %s, not an object",
                raw_type_name(raw));
    return;
  }
  check_version(m, index);
  if (member_node(o, "method"))
    classify_call(m, index);
  else if (member_node(o, "result") || member_node(o, "error"))
    classify_response(m, index);
  else
    problem_add(m, "JSONRPC-07", m->spans.self.start, index,
                "no \"method\", \"result\" or \"error\" member: neither a request, a notification "
                "nor a response");
}

static void msg_finish(jsonrpc_msg *m) {
  m->kind = (m->nproblems || m->dropped) ? JSONRPC_INVALID : m->apparent;
  const span *id = &m->spans.member[T_ID];
  if (id->start >= 0) {
    m->id_text = malloc(id->len + 1);
    if (m->id_text) {
      memcpy(m->id_text, m->body + id->start, id->len);
      m->id_text[id->len] = '\0';
    }
  }
}

static int is_call(jsonrpc_kind k) { return k == JSONRPC_REQUEST || k == JSONRPC_NOTIFICATION; }
static int is_reply(jsonrpc_kind k) {
  return k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE;
}

/* Element i of a batch: its scanner problems, then its own rules. */
static void batch_element(jsonrpc_msg *top, jsonrpc_msg *el, int i, cJSON *node,
                          const msg_spans *sp, const jsonrpc_msg *scanned) {
  el->is_json = 1;
  el->batch_index = i;
  el->body = top->body;
  el->len = top->len;
  el->node = node;
  el->spans = *sp;
  for (size_t k = 0; k < scanned->nproblems; k++)
    if (scanned->problems[k].batch_index == i)
      problem_copy(el, &scanned->problems[k], i);
  classify_single(el, i);
  if (el->apparent == JSONRPC_REQUEST && el->node && cJSON_IsObject(el->node)) {
    const char *method = cJSON_GetStringValue(member_node(el->node, "method"));
    if (method && !strcmp(method, "initialize"))
      problem_add(el, "JSONRPC-BATCH-04", member_offset(el, T_METHOD), i,
                  "initialize must not travel inside a batch");
  }
  msg_finish(el);
  for (size_t k = 0; k < el->nproblems; k++)
    problem_copy(top, &el->problems[k], i);
  top->dropped += el->dropped;
}

static void classify_batch(jsonrpc_msg *m, scanner *sc) {
  size_t n = (size_t)cJSON_GetArraySize(m->node);
  jsonrpc_msg scanned = *m; /* the scanner's problems, handed out per element */
  m->problems = NULL;
  m->nproblems = 0;
  if (n == 0) {
    problem_add(m, "JSONRPC-BATCH-03", m->spans.self.start, -1,
                "empty batch: an array must hold at least one message");
  } else if (n > MCPWIRE_JSONRPC_BATCH_MAX) {
    problem_add(m, "LIMIT", m->spans.self.start, -1, "batch of %zu messages is over the cap of %d",
                n, MCPWIRE_JSONRPC_BATCH_MAX);
  } else if ((m->elements = calloc(n, sizeof *m->elements)) != NULL) {
    m->nelements = n;
    m->apparent = JSONRPC_BATCH;
    cJSON *node = m->node->child;
    int calls = 0, replies = 0;
    for (size_t i = 0; i < n; i++, node = node->next) {
      batch_element(m, &m->elements[i], (int)i, node, spans_at(sc, (int)i), &scanned);
      calls += is_call(m->elements[i].apparent);
      replies += is_reply(m->elements[i].apparent);
    }
    if (calls && replies)
      problem_add(m, "SHTTP-POST-04", m->spans.self.start, -1,
                  "batch mixes %d request(s)/notification(s) with %d response(s)", calls, replies);
  } else {
    problem_add(m, "INTERNAL", m->spans.self.start, -1, "out of memory for %zu batch elements", n);
  }
  if (!m->elements) {
    for (size_t k = 0; k < scanned.nproblems; k++)
      problem_copy(m, &scanned.problems[k], scanned.problems[k].batch_index);
  }
  free(scanned.problems);
  /* A non-empty array within the cap is a batch, valid or not. */
  m->kind = m->elements ? JSONRPC_BATCH : JSONRPC_INVALID;
}

/* ------------------------------------------------------------------ */
/* parse / free / accessors                                            */

/* cJSON_ParseWithLengthOpts resets a global error slot on every call: a
 * data race when cases parse on several threads, so parses take turns. */
static pthread_mutex_t cjson_parse_lock = PTHREAD_MUTEX_INITIALIZER;

static cJSON *tree_build(const char *text, size_t len) {
  const char *end = NULL;
  pthread_mutex_lock(&cjson_parse_lock);
  cJSON *tree = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  pthread_mutex_unlock(&cjson_parse_lock);
  return tree;
}

static void classify(jsonrpc_msg *m, scanner *sc) {
  const char *text = sc->patched ? sc->patched : m->body;
  m->tree_owned = tree_build(text, m->len);
  m->node = m->tree_owned;
  m->spans.self = sc->top;
  if (!m->node) {
    problem_add(m, "INTERNAL", -1, -1, "cJSON could not build the tree (out of memory?)");
    return;
  }
  if (sc->top_is_array) {
    classify_batch(m, sc);
    return;
  }
  m->spans = *spans_at(sc, 0);
  classify_single(m, -1);
  msg_finish(m);
}

jsonrpc_msg *jsonrpc_parse(const char *body, size_t len) {
  jsonrpc_msg *m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  m->batch_index = -1;
  spans_clear(&m->spans);
  if (len > MCPWIRE_JSON_BODY_MAX) {
    problem_add(m, "LIMIT", 0, -1, "body of %zu bytes is over the cap of %u bytes", len,
                (unsigned)MCPWIRE_JSON_BODY_MAX);
    return m;
  }
  m->body_owned = malloc(len + 1);
  if (!m->body_owned) {
    free(m);
    return NULL;
  }
  if (len)
    memcpy(m->body_owned, body, len);
  m->body_owned[len] = '\0';
  m->body = m->body_owned;
  m->len = len;
  scanner scan; /* about 5 KiB; keeps a malloc off every parse */
  scanner *sc = &scan;
  scanner_init(sc, m, m->body, len);
  if (scan_body(sc) == 0 && !sc->failed) {
    m->is_json = 1;
    if (sc->too_deep_at >= 0) /* JSON, but deeper than cJSON is let to read */
      problem_add(m, "LIMIT", sc->too_deep_at, -1, "nesting deeper than %d at byte %ld",
                  MCPWIRE_JSON_DEPTH_MAX, sc->too_deep_at);
    else
      classify(m, sc);
  } else if (sc->bad_utf8) {
    problem_add(m, "JSONRPC-03", m->problems ? m->problems[m->nproblems - 1].offset : 0, -1,
                "JSON-RPC messages must be UTF-8");
  }
  scanner_free(sc);
  return m;
}

static void msg_release(jsonrpc_msg *m) {
  for (size_t i = 0; i < m->nelements; i++)
    msg_release(&m->elements[i]);
  free(m->elements);
  free(m->problems);
  free(m->id_text);
  free(m->body_owned);
  cJSON_Delete(m->tree_owned);
}

void jsonrpc_free(jsonrpc_msg *m) {
  if (!m)
    return;
  msg_release(m);
  free(m);
}

int jsonrpc_is_json(const jsonrpc_msg *m) { return m && m->is_json; }
jsonrpc_kind jsonrpc_kind_of(const jsonrpc_msg *m) { return m ? m->kind : JSONRPC_INVALID; }
jsonrpc_kind jsonrpc_apparent_kind(const jsonrpc_msg *m) {
  return m ? m->apparent : JSONRPC_INVALID;
}

int jsonrpc_is_valid(const jsonrpc_msg *m) {
  return m && m->kind != JSONRPC_INVALID && !m->nproblems && !m->dropped;
}

size_t jsonrpc_problem_count(const jsonrpc_msg *m) { return m ? m->nproblems : 0; }
size_t jsonrpc_problems_dropped(const jsonrpc_msg *m) { return m ? m->dropped : 0; }

const jsonrpc_problem *jsonrpc_problem_at(const jsonrpc_msg *m, size_t i) {
  return m && i < m->nproblems ? &m->problems[i] : NULL;
}

size_t jsonrpc_batch_count(const jsonrpc_msg *m) { return m ? m->nelements : 0; }

const jsonrpc_msg *jsonrpc_batch_at(const jsonrpc_msg *m, size_t i) {
  return m && i < m->nelements ? &m->elements[i] : NULL;
}

const char *jsonrpc_method(const jsonrpc_msg *m) {
  if (!m || !cJSON_IsObject(m->node))
    return NULL;
  return cJSON_GetStringValue(member_node(m->node, "method"));
}

const char *jsonrpc_id_raw(const jsonrpc_msg *m, size_t *len) {
  if (len)
    *len = m && m->id_text ? m->spans.member[T_ID].len : 0;
  return m ? m->id_text : NULL;
}

int jsonrpc_error_code(const jsonrpc_msg *m, long *code) {
  if (!m || !m->node || m->spans.member[T_CODE].start < 0)
    return 0;
  const char *raw = member_raw(m, T_CODE);
  size_t len = m->spans.member[T_CODE].len;
  if (!raw_is_integer(raw, len) || len > 20)
    return 0;
  char text[24];
  memcpy(text, raw, len);
  text[len] = '\0';
  char *end = NULL;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (end != text + len || errno == ERANGE)
    return 0;
  if (code)
    *code = v;
  return 1;
}

const char *jsonrpc_error_message(const jsonrpc_msg *m) {
  if (!m || !cJSON_IsObject(m->node))
    return NULL;
  return cJSON_GetStringValue(member_node(member_node(m->node, "error"), "message"));
}

/* ------------------------------------------------------------------ */
/* path queries                                                        */

typedef struct path_seg {
  const char *key; /* NULL for an index */
  size_t key_len;
  size_t index;
} path_seg;

/* Splits "a.b[2].c" into segments; -1 when malformed or too deep. */
static int path_split(const char *path, path_seg *segs, int max) {
  int n = 0;
  const char *p = path;
  while (*p) {
    if (n == max)
      return -1;
    path_seg *s = &segs[n];
    if (p[0] == '[' && p[1] == '"') { /* ["a.b/c"]: a key with dots or brackets */
      const char *end = strstr(p + 2, "\"]");
      if (!end)
        return -1;
      s->key = p + 2;
      s->key_len = (size_t)(end - s->key);
      p = end + 2;
    } else if (*p == '[') {
      char *end = NULL;
      if (!is_digit((unsigned char)p[1]))
        return -1;
      unsigned long long v = strtoull(p + 1, &end, 10);
      if (*end != ']' || v > MCPWIRE_JSON_BODY_MAX)
        return -1;
      s->key = NULL;
      s->index = (size_t)v;
      p = end + 1;
    } else {
      if (*p == '.' && n > 0)
        p++;
      size_t k = strcspn(p, ".[");
      if (!k)
        return -1;
      s->key = p;
      s->key_len = k;
      p += k;
    }
    n++;
    if (*p && *p != '.' && *p != '[')
      return -1;
  }
  return n;
}

/* First member named exactly key (case-sensitive, like cJSON's getter). */
static cJSON *tree_member(const cJSON *o, const char *key, size_t len) {
  for (cJSON *c = o->child; c; c = c->next)
    if (c->string && strlen(c->string) == len && !memcmp(c->string, key, len))
      return c;
  return NULL;
}

static const cJSON *tree_find(const jsonrpc_msg *m, const char *path) {
  path_seg segs[MCPWIRE_JSON_DEPTH_MAX + 1];
  if (!m || !m->node || !path)
    return NULL;
  int n = path_split(path, segs, MCPWIRE_JSON_DEPTH_MAX + 1);
  if (n < 0)
    return NULL;
  const cJSON *v = m->node;
  for (int i = 0; i < n && v; i++) {
    if (segs[i].key)
      v = cJSON_IsObject(v) ? tree_member(v, segs[i].key, segs[i].key_len) : NULL;
    else
      v = cJSON_IsArray(v) && segs[i].index < (size_t)INT_MAX
              ? cJSON_GetArrayItem(v, (int)segs[i].index)
              : NULL;
  }
  return v;
}

jsonrpc_type jsonrpc_get_type(const jsonrpc_msg *m, const char *path) {
  const cJSON *v = tree_find(m, path);
  if (!v) return JSONRPC_T_ABSENT;
  if (cJSON_IsNull(v)) return JSONRPC_T_NULL;
  if (cJSON_IsFalse(v)) return JSONRPC_T_FALSE;
  if (cJSON_IsTrue(v)) return JSONRPC_T_TRUE;
  if (cJSON_IsNumber(v)) return JSONRPC_T_NUMBER;
  if (cJSON_IsString(v)) return JSONRPC_T_STRING;
  if (cJSON_IsArray(v)) return JSONRPC_T_ARRAY;
  return JSONRPC_T_OBJECT;
}

const char *jsonrpc_get_string(const jsonrpc_msg *m, const char *path) {
  return cJSON_GetStringValue(tree_find(m, path));
}

int jsonrpc_get_number(const jsonrpc_msg *m, const char *path, double *out) {
  const cJSON *v = tree_find(m, path);
  if (!cJSON_IsNumber(v))
    return 0;
  if (out)
    *out = v->valuedouble;
  return 1;
}

size_t jsonrpc_get_count(const jsonrpc_msg *m, const char *path) {
  const cJSON *v = tree_find(m, path);
  if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
    return 0;
  return (size_t)cJSON_GetArraySize(v);
}

const char *jsonrpc_get_key(const jsonrpc_msg *m, const char *path, size_t i) {
  const cJSON *v = tree_find(m, path);
  if (!cJSON_IsObject(v) || i >= (size_t)INT_MAX)
    return NULL;
  const cJSON *c = cJSON_GetArrayItem(v, (int)i);
  return c ? c->string : NULL;
}

/* ---- raw text walks: the body already passed the scanner ---- */

static size_t raw_skip_ws(const char *s, size_t i, size_t end) {
  while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    i++;
  return i;
}

/* s[i] is a quote; returns the offset after the closing one. */
static size_t raw_skip_string(const char *s, size_t i, size_t end) {
  for (i++; i < end && s[i] != '"'; i++)
    if (s[i] == '\\')
      i++;
  return i + 1;
}

static size_t raw_skip_value(const char *s, size_t i, size_t end) {
  if (s[i] == '"')
    return raw_skip_string(s, i, end);
  if (s[i] != '{' && s[i] != '[') {
    while (i < end && !strchr(",]} \t\r\n", s[i]))
      i++;
    return i;
  }
  size_t depth = 0;
  while (i < end) {
    char c = s[i];
    if (c == '"') {
      i = raw_skip_string(s, i, end);
      continue;
    }
    i++;
    if (c == '{' || c == '[')
      depth++;
    else if ((c == '}' || c == ']') && --depth == 0)
      break;
  }
  return i;
}

/* One step down from the value at *i; 0 when found. */
static int raw_step(const char *s, size_t *i, size_t end, const path_seg *seg) {
  const unsigned char *u = (const unsigned char *)s;
  char open = seg->key ? '{' : '[';
  if (s[*i] != open)
    return -1;
  size_t at = raw_skip_ws(s, *i + 1, end), n = 0;
  if (s[at] == (seg->key ? '}' : ']'))
    return -1;
  for (;;) {
    size_t value = at;
    int hit = 0;
    if (seg->key) {
      size_t key_end = raw_skip_string(s, at, end);
      hit = jstr_equals_utf8(u, at + 1, key_end - 1, seg->key, seg->key_len);
      value = raw_skip_ws(s, key_end, end);
      value = raw_skip_ws(s, value + 1, end); /* past ':' */
    } else {
      hit = n == seg->index;
    }
    if (hit) {
      *i = value;
      return 0;
    }
    n++;
    at = raw_skip_ws(s, raw_skip_value(s, value, end), end);
    if (at >= end || s[at] != ',')
      return -1;
    at = raw_skip_ws(s, at + 1, end);
  }
}

/* The raw span of the value at path inside m's own value. */
static int raw_find(const jsonrpc_msg *m, const char *path, span *out) {
  path_seg segs[MCPWIRE_JSON_DEPTH_MAX + 1];
  if (!m || !m->is_json || !path || m->spans.self.start < 0)
    return -1;
  int n = path_split(path, segs, MCPWIRE_JSON_DEPTH_MAX + 1);
  if (n < 0)
    return -1;
  size_t i = (size_t)m->spans.self.start, end = i + m->spans.self.len;
  for (int k = 0; k < n; k++)
    if (raw_step(m->body, &i, end, &segs[k]))
      return -1;
  out->start = (long)i;
  out->len = raw_skip_value(m->body, i, end) - i;
  return 0;
}

const char *jsonrpc_get_raw(const jsonrpc_msg *m, const char *path, size_t *len) {
  span sp;
  if (raw_find(m, path, &sp)) {
    if (len)
      *len = 0;
    return NULL;
  }
  if (len)
    *len = sp.len;
  return m->body + sp.start;
}

/* Compact copy of raw JSON: whitespace outside strings dropped, every
 * token kept byte for byte (numbers are never re-printed from a double). */
static int raw_compact(dynbuf *out, const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    size_t run = i;
    while (run < len && !strchr(" \t\r\n\"", s[run]))
      run++;
    if (run > i && dynbuf_add(out, s + i, run - i))
      return -1;
    i = run;
    if (i >= len)
      break;
    if (s[i] == '"') {
      size_t e = raw_skip_string(s, i, len);
      if (dynbuf_add(out, s + i, e - i))
        return -1;
      i = e;
    } else {
      i++;
    }
  }
  return 0;
}

int jsonrpc_get_json(const jsonrpc_msg *m, const char *path, dynbuf *out) {
  span sp;
  if (!out || raw_find(m, path, &sp))
    return -1;
  size_t mark = out->len;
  if (raw_compact(out, m->body + sp.start, sp.len)) {
    out->len = mark;
    if (out->ptr)
      out->ptr[mark] = '\0';
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* id equality                                                         */

static void trim(const char **s, size_t *len) {
  while (*len && strchr(" \t\r\n", (*s)[0])) {
    (*s)++;
    (*len)--;
  }
  while (*len && strchr(" \t\r\n", (*s)[*len - 1]))
    (*len)--;
}

/* 1 when s[0..len) is one complete JSON string token. */
static int raw_is_string_token(const char *s, size_t len) {
  if (len < 2 || s[0] != '"')
    return 0;
  return raw_skip_string(s, 0, len) == len && s[len - 1] == '"';
}

static int raw_is_number_start(char c) { return c == '-' || is_digit((unsigned char)c); }

int jsonrpc_id_equal(const char *a, size_t alen, const char *b, size_t blen) {
  if (!a || !b)
    return 0;
  trim(&a, &alen);
  trim(&b, &blen);
  if (!alen || !blen)
    return 0;
  if (a[0] == '"' || b[0] == '"') {
    if (!raw_is_string_token(a, alen) || !raw_is_string_token(b, blen))
      return 0;
    return jstr_same((const unsigned char *)a, 1, alen - 1, (const unsigned char *)b, 1,
                     blen - 1);
  }
  if (raw_is_number_start(a[0]) != raw_is_number_start(b[0]))
    return 0;
  return alen == blen && !memcmp(a, b, alen);
}

/* ------------------------------------------------------------------ */
/* builders                                                            */

/* On failure the output is left as it was. */
static int build_end(dynbuf *out, size_t mark, int rc) {
  if (rc) {
    out->len = mark;
    if (out->ptr)
      out->ptr[mark] = '\0';
  }
  return rc;
}

static int add_member(dynbuf *out, const char *name, const char *raw, size_t len) {
  int rc = dynbuf_printf(out, ",\"%s\":", name);
  return rc ? rc : dynbuf_add(out, raw, len);
}

int jsonrpc_build_request(dynbuf *out, const char *id_raw, const char *method,
                          const char *params_json) {
  if (!out || !id_raw || !method)
    return BUILD_BAD_ARGS;
  size_t mark = out->len;
  int rc = dynbuf_adds(out, "{\"jsonrpc\":\"2.0\"");
  if (!rc) rc = add_member(out, "id", id_raw, strlen(id_raw));
  if (!rc) rc = dynbuf_adds(out, ",\"method\":");
  if (!rc) rc = json_write_cstring(out, method);
  if (!rc && params_json) rc = add_member(out, "params", params_json, strlen(params_json));
  if (!rc) rc = dynbuf_addc(out, '}');
  return build_end(out, mark, rc);
}

int jsonrpc_build_notification(dynbuf *out, const char *method, const char *params_json) {
  if (!out || !method)
    return BUILD_BAD_ARGS;
  size_t mark = out->len;
  int rc = dynbuf_adds(out, "{\"jsonrpc\":\"2.0\",\"method\":");
  if (!rc) rc = json_write_cstring(out, method);
  if (!rc && params_json) rc = add_member(out, "params", params_json, strlen(params_json));
  if (!rc) rc = dynbuf_addc(out, '}');
  return build_end(out, mark, rc);
}

int jsonrpc_build_result(dynbuf *out, const char *id_raw, size_t id_len,
                         const char *result_json) {
  if (!out || !id_raw)
    return BUILD_BAD_ARGS;
  size_t mark = out->len;
  int rc = dynbuf_adds(out, "{\"jsonrpc\":\"2.0\"");
  if (!rc) rc = add_member(out, "id", id_raw, id_len);
  if (!rc) rc = result_json ? add_member(out, "result", result_json, strlen(result_json))
                            : dynbuf_adds(out, ",\"result\":{}");
  if (!rc) rc = dynbuf_addc(out, '}');
  return build_end(out, mark, rc);
}

/* The error object; shared by both error builders. */
static int add_error(dynbuf *out, long code, const char *message, const char *data_json) {
  int rc = dynbuf_printf(out, ",\"error\":{\"code\":%ld,\"message\":", code);
  if (!rc) rc = json_write_cstring(out, message ? message : "");
  if (!rc && data_json) rc = add_member(out, "data", data_json, strlen(data_json));
  if (!rc) rc = dynbuf_adds(out, "}}");
  return rc;
}

int jsonrpc_build_error(dynbuf *out, const char *id_raw, size_t id_len, long code,
                        const char *message, const char *data_json) {
  if (!out)
    return BUILD_BAD_ARGS;
  size_t mark = out->len;
  int rc = dynbuf_adds(out, "{\"jsonrpc\":\"2.0\"");
  if (!rc) rc = id_raw ? add_member(out, "id", id_raw, id_len) : dynbuf_adds(out, ",\"id\":null");
  if (!rc) rc = add_error(out, code, message, data_json);
  return build_end(out, mark, rc);
}

int jsonrpc_build_error_without_id(dynbuf *out, long code, const char *message,
                                   const char *data_json) {
  if (!out)
    return BUILD_BAD_ARGS;
  size_t mark = out->len;
  int rc = dynbuf_adds(out, "{\"jsonrpc\":\"2.0\"");
  if (!rc) rc = add_error(out, code, message, data_json);
  return build_end(out, mark, rc);
}
