/*
 * fuzz_mcp_header: the 2026-07-28 mirrored-header codec (codec/mcp_header).
 *
 * Byte 0 picks the mode (low two bits); the rest is the input.
 *   0  a header value. Oracles: encode gives a header-safe value (visible
 *      ASCII and inner spaces, no whitespace at either end) that is the
 *      value itself when mcp_header_needs_encoding says 0, else the
 *      sentinel; decode(encode(v)) is v byte for byte. decode(v) of the raw
 *      bytes (sized exactly, so an overread trips ASan) is -1 with a reason,
 *      or a value no longer than v that is v without its surrounding
 *      whitespace unless v is sentinel-wrapped; re-encoding and decoding it
 *      gives it back; an output buffer one byte short gives -2 and is never
 *      written past.
 *   1  a JSON document as an inputSchema, and as an argument. Oracles: valid
 *      annotations are RFC 9110 tokens, unique ignoring case, at depth >= 1;
 *      a reason is one line; from_json's text round-trips through the value
 *      codec.
 *   2  a request: body JSON, NUL, schema JSON, NUL, then header lines
 *      "Name:value" split at LF. Oracles: the check returns a known status
 *      with a one-line reason on the given headers; the headers
 *      mcp_header_build emits for the body pass the check; a request with
 *      any one of them left out, and any body with one of them changed, does
 *      not.
 * The harness functions are left out of coverage tracing (no_coverage.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "codec/mcp_header.h"
#include "mcpwire_limits.h"
#include "no_coverage.h"

enum { HEADERS_MAX = 24, HEADER_NAME_MAX = 128 };

FUZZ_NO_COVERAGE static void die(const char *why, const char *detail) {
  fprintf(stderr, "ORACLE MISMATCH: %s: %s\n", why, detail ? detail : "");
  abort();
}

FUZZ_NO_COVERAGE static int header_safe(const char *v, size_t len) {
  if (len && (v[0] == ' ' || v[len - 1] == ' '))
    return 0;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
      return 0;
  return 1;
}

FUZZ_NO_COVERAGE static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* Decodes into a heap buffer of exactly outlen bytes (ASan sees any
 * write past it). */
FUZZ_NO_COVERAGE static int decode_sized(const char *v, size_t len, size_t outlen, char **out) {
  *out = malloc(outlen ? outlen : 1);
  if (!*out)
    abort();
  const char *why = NULL;
  int n = mcp_header_decode(v, len, *out, outlen, &why);
  if (n < 0 && !why)
    die("decode failed without a reason", NULL);
  if (n >= 0 && (size_t)n >= outlen)
    die("decode reports more bytes than the buffer holds", NULL);
  return n;
}

/* Encoding v and decoding the result gives v back. */
FUZZ_NO_COVERAGE static void check_round_trip(const char *v, size_t len) {
  if (len >= MCPWIRE_MCP_HEADER_VALUE_MAX)
    return;
  static char enc[MCPWIRE_MCP_HEADER_WIRE_MAX];
  int e = mcp_header_encode(v, len, enc, sizeof enc);
  if (e < 0)
    die("encode failed within the caps", NULL);
  if (!header_safe(enc, (size_t)e))
    die("encode wrote a value that is not header-safe", enc);
  int plain = mcp_header_needs_encoding(v, len) == 0;
  if (plain != ((size_t)e == len && !memcmp(enc, v, len)))
    die("encode and needs_encoding disagree", enc);
  char *dec;
  int d = decode_sized(enc, (size_t)e, len + 1, &dec);
  if (d != (int)len || memcmp(dec, v, len))
    die("decode(encode(v)) is not v", enc);
  free(dec);
}

FUZZ_NO_COVERAGE static void fuzz_value(const char *v, size_t len) {
  check_round_trip(v, len);
  char *dec;
  int n = decode_sized(v, len, len + 1, &dec);
  if (n == -2)
    die("decode ran out of a buffer as long as its input", NULL);
  if (n >= 0) {
    size_t s = 0, e = len;
    while (s < e && is_ows(v[s]))
      s++;
    while (e > s && is_ows(v[e - 1]))
      e--;
    int wrapped = e - s >= 11 && !memcmp(v + s, "=?base64?", 9) && !memcmp(v + e - 2, "?=", 2);
    if (!wrapped && ((size_t)n != e - s || memcmp(dec, v + s, e - s)))
      die("a literal did not decode to itself without its whitespace", NULL);
    check_round_trip(dec, (size_t)n);
    char *tight;
    if (decode_sized(v, len, (size_t)n, &tight) != -2)
      die("a buffer one byte short did not give -2", NULL);
    free(tight);
  }
  free(dec);
}

/* cJSON reads a NUL-terminated copy: the codec, not cJSON, is under test. */
FUZZ_NO_COVERAGE static cJSON *parse_json(const char *s, size_t len) {
  char *copy = malloc(len + 1);
  if (!copy)
    abort();
  memcpy(copy, s, len);
  copy[len] = '\0';
  cJSON *doc = cJSON_ParseWithLength(copy, len);
  free(copy);
  return doc;
}

FUZZ_NO_COVERAGE static void check_why(const char *why, size_t cap) {
  if (strnlen(why, cap) == cap)
    die("reason not terminated", NULL);
  if (strchr(why, '\n') || strchr(why, '\r'))
    die("reason is not one line", why);
}

FUZZ_NO_COVERAGE static void fuzz_schema(const char *json, size_t len) {
  cJSON *doc = parse_json(json, len);
  if (!doc)
    return;
  static mcp_param_annotation anns[MCPWIRE_MCP_PARAMS_MAX];
  size_t n = 0;
  char why[MCPWIRE_MCP_HEADER_WHY_MAX];
  int rc = mcp_header_annotations(doc, anns, MCPWIRE_MCP_PARAMS_MAX, &n, why, sizeof why);
  if (rc != 0 && rc != -1 && rc != -2)
    die("annotations returned an unknown code", NULL);
  check_why(why, sizeof why);
  if (rc == -1 && !why[0])
    die("an invalid schema without a reason", NULL);
  for (size_t i = 0; rc == 0 && i < n; i++) {
    if (!anns[i].depth || anns[i].depth > MCPWIRE_MCP_PARAM_DEPTH_MAX || !anns[i].name[0])
      die("annotation without a path or a name", anns[i].name);
    for (const char *p = anns[i].name; *p; p++)
      if (!strchr("!#$%&'*+-.^_`|~", *p) && !(*p >= '0' && *p <= '9') && !((*p | 32) >= 'a' && (*p | 32) <= 'z'))
        die("annotation name is not a token", anns[i].name);
    for (size_t j = 0; j < i; j++)
      if (!strcasecmp(anns[i].name, anns[j].name))
        die("annotation names repeat", anns[i].name);
  }
  static char text[MCPWIRE_MCP_HEADER_VALUE_MAX];
  if (mcp_header_from_json(doc, text, sizeof text) == 0)
    check_round_trip(text, strlen(text));
  cJSON_Delete(doc);
}

typedef struct header_set {
  char names[HEADERS_MAX][HEADER_NAME_MAX];
  char *values[HEADERS_MAX];
  size_t lens[HEADERS_MAX];
  size_t count;
} header_set;

FUZZ_NO_COVERAGE static const char *lookup(void *arg, const char *name, size_t *len) {
  header_set *h = arg;
  for (size_t i = 0; i < h->count; i++)
    if (h->values[i] && !strcasecmp(h->names[i], name)) {
      *len = h->lens[i];
      return h->values[i];
    }
  return NULL;
}

FUZZ_NO_COVERAGE static int add(header_set *h, const char *name, size_t nlen, const char *value, size_t vlen) {
  if (h->count == HEADERS_MAX || nlen >= HEADER_NAME_MAX)
    return -1;
  memcpy(h->names[h->count], name, nlen);
  h->names[h->count][nlen] = '\0';
  h->values[h->count] = malloc(vlen ? vlen : 1); /* exact size: overreads trip ASan */
  if (!h->values[h->count])
    abort();
  memcpy(h->values[h->count], value, vlen);
  h->lens[h->count++] = vlen;
  return 0;
}

FUZZ_NO_COVERAGE static int emit(void *arg, const char *name, const char *value, size_t len) {
  if (strlen(value) != len || !header_safe(value, len))
    die("build emitted a value that is not header-safe", value);
  return add(arg, name, strlen(name), value, len) ? 1 : 0;
}

FUZZ_NO_COVERAGE static void free_set(header_set *h) {
  for (size_t i = 0; i < h->count; i++)
    free(h->values[i]);
  h->count = 0;
}

FUZZ_NO_COVERAGE static mcp_mirror_status check(const cJSON *body, const cJSON *schema, header_set *h) {
  char why[MCPWIRE_MCP_HEADER_WHY_MAX];
  mcp_mirror_status s = mcp_header_check(body, schema, lookup, h, why, sizeof why);
  if (s < MCP_MIRROR_OK || s > MCP_MIRROR_LIMIT || !strcmp(mcp_mirror_status_name(s), "unknown"))
    die("check returned an unknown status", NULL);
  check_why(why, sizeof why);
  if (s != MCP_MIRROR_OK && !why[0])
    die("a problem without a reason", mcp_mirror_status_name(s));
  return s;
}

/* Built headers pass; one left out (requests) or changed fails. */
FUZZ_NO_COVERAGE static void check_built(const cJSON *body, const cJSON *schema) {
  static header_set h;
  char why[MCPWIRE_MCP_HEADER_WHY_MAX];
  int rc = mcp_header_build(body, schema, emit, &h, why, sizeof why);
  check_why(why, sizeof why);
  if (rc == 0 && check(body, schema, &h) != MCP_MIRROR_OK)
    die("the headers build emitted do not pass the check", why);
  int request = cJSON_GetObjectItemCaseSensitive(body, "id") != NULL;
  for (size_t i = 0; rc == 0 && i < h.count; i++) {
    char *v = h.values[i];
    h.values[i] = NULL;
    if (request && check(body, schema, &h) == MCP_MIRROR_OK)
      die("a request passes without one of its headers", h.names[i]);
    char *changed = malloc(h.lens[i] + 1);
    if (!changed)
      abort();
    memcpy(changed, v, h.lens[i]);
    changed[h.lens[i]] = 'x';
    h.values[i] = changed;
    h.lens[i]++;
    if (check(body, schema, &h) == MCP_MIRROR_OK)
      die("a request passes with one of its headers changed", h.names[i]);
    h.lens[i]--;
    h.values[i] = v;
    free(changed);
  }
  free_set(&h);
}

/* The next NUL-separated part of the input. */
FUZZ_NO_COVERAGE static const char *part(const char **p, const char *end, size_t *len) {
  const char *s = *p;
  const char *nul = memchr(s, '\0', (size_t)(end - s));
  *len = (size_t)((nul ? nul : end) - s);
  *p = nul ? nul + 1 : end;
  return s;
}

FUZZ_NO_COVERAGE static void parse_headers(header_set *h, const char *p, const char *end) {
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *line_end = nl ? nl : end;
    const char *colon = memchr(p, ':', (size_t)(line_end - p));
    if (colon)
      (void)add(h, p, (size_t)(colon - p), colon + 1, (size_t)(line_end - colon - 1));
    p = nl ? nl + 1 : end;
  }
}

FUZZ_NO_COVERAGE static void fuzz_request(const char *in, size_t size) {
  const char *p = in, *end = in + size;
  size_t blen, slen;
  const char *b = part(&p, end, &blen), *s = part(&p, end, &slen);
  cJSON *body = parse_json(b, blen);
  cJSON *schema = slen ? parse_json(s, slen) : NULL;
  static header_set given;
  parse_headers(&given, p, end);
  mcp_mirror_status st = check(body, schema, &given); /* also on no body: the codec is reached */
  if (!body && st != MCP_MIRROR_NOT_REQUEST)
    die("no body is not called not-a-request", mcp_mirror_status_name(st));
  if (body)
    check_built(body, schema);
  free_set(&given);
  cJSON_Delete(body);
  cJSON_Delete(schema);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_NO_COVERAGE int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return fuzz_input_too_short();
  const char *in = (const char *)data + 1;
  switch (data[0] & 3) {
  case 0:
  case 3:
    fuzz_value(in, size - 1);
    break;
  case 1:
    fuzz_schema(in, size - 1);
    break;
  default:
    fuzz_request(in, size - 1);
    break;
  }
  return 0;
}
