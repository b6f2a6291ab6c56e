/*
 * mcp_header: values, x-mcp-header annotations and the header/body check
 * of 2026-07-28 Streamable HTTP requests (see mcp_header.h for the rules
 * and the readings chosen where the spec is open).
 */
#include "codec/mcp_header.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PREFIX_LEN (sizeof MCP_HEADER_SENTINEL_PREFIX - 1)
#define SUFFIX_LEN (sizeof MCP_HEADER_SENTINEL_SUFFIX - 1)
/* The largest integer a JSON number (a double) holds exactly: 2^53 - 1. */
#define SAFE_INTEGER_MAX 9007199254740991.0

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* ---- values ---- */

static int is_ows(unsigned char c) { return c == ' ' || c == '\t'; }

static int starts_with(const char *s, size_t len, const char *p, size_t plen) {
  return len >= plen && memcmp(s, p, plen) == 0;
}

static int ends_with(const char *s, size_t len, const char *p, size_t plen) {
  return len >= plen && memcmp(s + len - plen, p, plen) == 0;
}

/* The spec's "looks like a sentinel": both markers, even overlapping. */
static int sentinel_shaped(const char *v, size_t len) {
  return starts_with(v, len, MCP_HEADER_SENTINEL_PREFIX, PREFIX_LEN) &&
         ends_with(v, len, MCP_HEADER_SENTINEL_SUFFIX, SUFFIX_LEN);
}

/* What a decoder unwraps: both markers, not overlapping. */
static int sentinel_wrapped(const char *v, size_t len) {
  return len >= PREFIX_LEN + SUFFIX_LEN && sentinel_shaped(v, len);
}

int mcp_header_needs_encoding(const char *value, size_t len) {
  if (len == 0)
    return 2;
  if (is_ows((unsigned char)value[0]) || is_ows((unsigned char)value[len - 1]) ||
      sentinel_shaped(value, len))
    return 1;
  int tab = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)value[i];
    if (c == '\t')
      tab = 1;
    else if (c < 0x20 || c > 0x7e)
      return 1;
  }
  return tab ? 2 : 0;
}

static size_t b64_len(size_t n) { return 4 * ((n + 2) / 3); }

static void b64_encode(const unsigned char *in, size_t n, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16;
    if (i + 1 < n)
      v |= (uint32_t)in[i + 1] << 8;
    if (i + 2 < n)
      v |= in[i + 2];
    out[o++] = B64[(v >> 18) & 63];
    out[o++] = B64[(v >> 12) & 63];
    out[o++] = i + 1 < n ? B64[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < n ? B64[v & 63] : '=';
  }
}

int mcp_header_encode(const char *value, size_t len, char *out, size_t outlen) {
  if (!value || !out)
    return -1;
  if (mcp_header_needs_encoding(value, len) == 0) {
    if (len >= outlen || len > INT32_MAX)
      return -1;
    memcpy(out, value, len);
    out[len] = '\0';
    return (int)len;
  }
  if (len > (SIZE_MAX - PREFIX_LEN - SUFFIX_LEN) / 2)
    return -1;
  size_t total = PREFIX_LEN + b64_len(len) + SUFFIX_LEN;
  if (total >= outlen || total > INT32_MAX)
    return -1;
  memcpy(out, MCP_HEADER_SENTINEL_PREFIX, PREFIX_LEN);
  b64_encode((const unsigned char *)value, len, out + PREFIX_LEN);
  memcpy(out + total - SUFFIX_LEN, MCP_HEADER_SENTINEL_SUFFIX, SUFFIX_LEN);
  out[total] = '\0';
  return (int)total;
}

static int b64_value(unsigned char c) {
  const char *p = c ? strchr(B64, c) : NULL;
  return p ? (int)(p - B64) : -1;
}

/* Strict RFC 4648 Base64: whole quanta, padding only at the end. Returns
 * the bytes written, -1 malformed, -2 when out (NUL included) is short. */
static long b64_decode(const char *in, size_t n, char *out, size_t outlen) {
  if (n % 4)
    return -1;
  size_t o = 0;
  for (size_t i = 0; i < n; i += 4) {
    int last = i + 4 == n;
    int pad = (in[i + 3] == '=') + (in[i + 2] == '=' && in[i + 3] == '=');
    if (pad && !last)
      return -1;
    int v[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4 - pad; k++)
      if ((v[k] = b64_value((unsigned char)in[i + k])) < 0)
        return -1;
    uint32_t q = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
    if (o + 3 - (size_t)pad >= outlen)
      return -2;
    out[o++] = (char)(q >> 16);
    if (pad < 2)
      out[o++] = (char)(q >> 8);
    if (pad < 1)
      out[o++] = (char)q;
  }
  out[o] = '\0';
  return (long)o;
}

static int set_why(const char **why, const char *text, int rc) {
  if (why)
    *why = text;
  return rc;
}

/* Decodes one received value; sentinel_ok is 0 for headers that carry no
 * Base64 (MCP-Protocol-Version, Mcp-Method). */
static int decode_value(const char *value, size_t len, int sentinel_ok, char *out, size_t outlen,
                        const char **why) {
  if (!value || !out || outlen == 0)
    return set_why(why, "no value or no output buffer", -2);
  while (len && is_ows((unsigned char)value[0]))
    value++, len--;
  while (len && is_ows((unsigned char)value[len - 1]))
    len--;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)value[i];
    if ((c < 0x20 && c != '\t') || c > 0x7e)
      return set_why(why, "invalid character in header value", -1);
  }
  if (sentinel_ok && sentinel_wrapped(value, len)) {
    long n = b64_decode(value + PREFIX_LEN, len - PREFIX_LEN - SUFFIX_LEN, out, outlen);
    if (n == -1)
      return set_why(why, "malformed base64 in sentinel", -1);
    if (n < 0 || n > INT32_MAX)
      return set_why(why, "decoded value longer than the output buffer", -2);
    return (int)n;
  }
  if (len >= outlen || len > INT32_MAX)
    return set_why(why, "header value longer than the output buffer", -2);
  memcpy(out, value, len);
  out[len] = '\0';
  return (int)len;
}

int mcp_header_decode(const char *value, size_t len, char *out, size_t outlen, const char **why) {
  return decode_value(value, len, 1, out, outlen, why);
}

int mcp_header_from_json(const cJSON *arg, char *out, size_t outlen) {
  if (!arg || !out)
    return -1;
  int n;
  if (cJSON_IsString(arg) && arg->valuestring) {
    n = snprintf(out, outlen, "%s", arg->valuestring);
  } else if (cJSON_IsBool(arg)) {
    n = snprintf(out, outlen, "%s", cJSON_IsTrue(arg) ? "true" : "false");
  } else if (cJSON_IsNumber(arg)) {
    double v = arg->valuedouble;
    if (!isfinite(v) || v != floor(v) || fabs(v) > SAFE_INTEGER_MAX)
      return -1;
    n = snprintf(out, outlen, "%lld", (long long)v);
  } else {
    return -1;
  }
  return n < 0 || (size_t)n >= outlen ? -2 : 0;
}

/* Room for a value quoted by quote(): QUOTE_SHOWN bytes, each as \xNN at
 * most, the quotes, an ellipsis and the NUL. */
#define QUOTE_SHOWN 60
#define QUOTE_MAX (QUOTE_SHOWN * 4 + 8)

/* A value as one printable line: "text", bytes outside visible ASCII as
 * \xNN, cut after QUOTE_SHOWN bytes with "...". */
static const char *quote(char dst[QUOTE_MAX], const char *v, size_t len) {
  size_t o = 0;
  dst[o++] = '"';
  for (size_t i = 0; i < len && i < QUOTE_SHOWN; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
      dst[o++] = (char)c;
    else
      o += (size_t)snprintf(dst + o, QUOTE_MAX - o, "\\x%02x", c);
  }
  dst[o++] = '"';
  if (len > QUOTE_SHOWN)
    o += (size_t)snprintf(dst + o, QUOTE_MAX - o, "...");
  dst[o] = '\0';
  return dst;
}

/* ---- x-mcp-header annotations ---- */

typedef struct walker {
  mcp_param_annotation *out;
  size_t max, n;
  char path[MCPWIRE_MCP_PARAM_DEPTH_MAX][MCPWIRE_MCP_PARAM_KEY_MAX];
  size_t depth;      /* properties on the current path (may pass the cap) */
  int overflow;      /* path entries that did not fit (too deep or too long) */
  char *why;
  size_t whylen;
} walker;

static int walk_fail(walker *w, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int walk_fail(walker *w, int rc, const char *fmt, ...) {
  if (w->why && w->whylen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->why, w->whylen, fmt, ap);
    va_end(ap);
  }
  return rc;
}

/* RFC 9110 tchar. */
static int is_tchar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int is_token(const char *s) {
  for (const char *p = s; *p; p++)
    if (!is_tchar((unsigned char)*p))
      return 0;
  return s[0] != '\0';
}

/* The property's type, or -1 with the reason in *what. */
static int primitive_type(const cJSON *schema, const char **what) {
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(schema, "type");
  if (!t) {
    *what = "a property without a type";
    return -1;
  }
  if (!cJSON_IsString(t)) {
    *what = "a property whose type is not one string";
    return -1;
  }
  if (!strcmp(t->valuestring, "string"))
    return MCP_PARAM_STRING;
  if (!strcmp(t->valuestring, "integer"))
    return MCP_PARAM_INTEGER;
  if (!strcmp(t->valuestring, "boolean"))
    return MCP_PARAM_BOOLEAN;
  *what = !strcmp(t->valuestring, "number") ? "a number property" : "a non-primitive property";
  return -1;
}

/* The innermost property name on the path (for reasons). */
static const char *current_key(const walker *w) {
  return w->overflow || w->depth == 0 ? "..." : w->path[w->depth - 1];
}

static int annotate(walker *w, const cJSON *schema, const cJSON *ann, int reachable, const char *via) {
  char q[QUOTE_MAX];
  if (!reachable)
    return walk_fail(w, -1, "S26-PARAM-05(6): x-mcp-header under %s is not reachable from the "
                     "root through properties alone", quote(q, via, strlen(via)));
  if (w->depth == 0)
    return walk_fail(w, -1, "S26-PARAM-05(6): x-mcp-header on the root schema, not on a property");
  if (!cJSON_IsString(ann) || !ann->valuestring || !ann->valuestring[0])
    return walk_fail(w, -1, "S26-PARAM-05(1): x-mcp-header on property %s is %s",
                     quote(q, current_key(w), strlen(current_key(w))),
                     cJSON_IsString(ann) ? "empty" : "not a string");
  const char *name = ann->valuestring;
  if (!is_token(name))
    return walk_fail(w, -1, "S26-PARAM-05(2): x-mcp-header %s is not an RFC 9110 token",
                     quote(q, name, strlen(name)));
  const char *what = NULL;
  int type = primitive_type(schema, &what);
  if (type < 0)
    return walk_fail(w, -1, "S26-PARAM-05(4): x-mcp-header \"%.100s\" is on %s (only integer, string, "
                     "boolean)", name, what);
  for (size_t i = 0; i < w->n; i++)
    if (!strcasecmp(w->out[i].name, name))
      return walk_fail(w, -1, "S26-PARAM-05(3): x-mcp-header \"%.100s\" repeats \"%.100s\" (case ignored)",
                       name, w->out[i].name);
  if (strlen(name) >= MCPWIRE_MCP_PARAM_NAME_MAX || w->overflow || w->n >= w->max)
    return walk_fail(w, -2, "limit: x-mcp-header \"%.100s\" passes a cap (MCPWIRE_MCP_PARAM_*)", name);
  mcp_param_annotation *a = &w->out[w->n++];
  memset(a, 0, sizeof *a);
  snprintf(a->name, sizeof a->name, "%s", name);
  memcpy(a->path, w->path, sizeof a->path);
  a->depth = w->depth;
  a->type = (mcp_param_type)type;
  return 0;
}

static int walk_schema(walker *w, const cJSON *schema, int reachable, const char *via, int level);

/* Keywords whose value is data, not schemas: never annotations. */
static int is_data_keyword(const char *k) {
  return !strcmp(k, "enum") || !strcmp(k, "const") || !strcmp(k, "default") || !strcmp(k, "examples");
}

/* Keywords whose value maps names to schemas. */
static int is_schema_map(const char *k) {
  return !strcmp(k, "patternProperties") || !strcmp(k, "$defs") || !strcmp(k, "definitions") ||
         !strcmp(k, "dependentSchemas") || !strcmp(k, "dependencies");
}

static int walk_properties(walker *w, const cJSON *props, int reachable, const char *via, int level) {
  const cJSON *p;
  cJSON_ArrayForEach(p, props) {
    int fits = w->depth < MCPWIRE_MCP_PARAM_DEPTH_MAX && p->string &&
               strlen(p->string) < MCPWIRE_MCP_PARAM_KEY_MAX;
    if (fits)
      snprintf(w->path[w->depth], MCPWIRE_MCP_PARAM_KEY_MAX, "%s", p->string);
    else
      w->overflow++;
    w->depth++;
    int rc = walk_schema(w, p, reachable, via, level + 1);
    w->depth--;
    if (!fits)
      w->overflow--;
    if (rc)
      return rc;
  }
  return 0;
}

/* A member of a schema other than x-mcp-header: where its schemas lie. */
static int walk_member(walker *w, const cJSON *m, int reachable, int level) {
  const char *k = m->string ? m->string : "";
  if (is_data_keyword(k))
    return 0;
  if (!strcmp(k, "properties") && cJSON_IsObject(m))
    return walk_properties(w, m, reachable, "properties", level);
  const cJSON *c;
  if (cJSON_IsArray(m) || (cJSON_IsObject(m) && is_schema_map(k))) {
    cJSON_ArrayForEach(c, m) {
      int rc = walk_schema(w, c, 0, k, level + 1);
      if (rc)
        return rc;
    }
    return 0;
  }
  return cJSON_IsObject(m) ? walk_schema(w, m, 0, k, level + 1) : 0;
}

static int walk_schema(walker *w, const cJSON *schema, int reachable, const char *via, int level) {
  if (!cJSON_IsObject(schema))
    return 0;
  if (level > MCPWIRE_MCP_SCHEMA_DEPTH_MAX)
    return walk_fail(w, -2, "limit: inputSchema nested deeper than MCPWIRE_MCP_SCHEMA_DEPTH_MAX");
  const cJSON *m;
  cJSON_ArrayForEach(m, schema) {
    int rc = m->string && !strcmp(m->string, "x-mcp-header") ? annotate(w, schema, m, reachable, via)
                                                              : walk_member(w, m, reachable, level);
    if (rc)
      return rc;
  }
  return 0;
}

int mcp_header_annotations(const cJSON *input_schema, mcp_param_annotation *out, size_t max,
                           size_t *n, char *why, size_t whylen) {
  walker *w = calloc(1, sizeof *w);
  if (!w) {
    if (why && whylen)
      snprintf(why, whylen, "limit: out of memory");
    return -2;
  }
  w->out = out;
  w->max = out ? max : 0;
  w->why = why;
  w->whylen = whylen;
  if (why && whylen)
    why[0] = '\0';
  int rc = walk_schema(w, input_schema, 1, "", 0);
  if (n)
    *n = w->n;
  free(w);
  return rc;
}

/* ---- a request's mirrored headers ---- */

static const char *const STATUS_NAMES[] = {
    "ok", "version-missing", "method-missing", "name-missing", "param-missing", "mismatch",
    "invalid-chars", "bad-base64", "bad-schema", "not-request", "limit"};

const char *mcp_mirror_status_name(mcp_mirror_status s) {
  return (unsigned)s < sizeof STATUS_NAMES / sizeof *STATUS_NAMES ? STATUS_NAMES[s] : "unknown";
}

int mcp_mirror_is_header_mismatch(mcp_mirror_status s) {
  return s >= MCP_MIRROR_VERSION_MISSING && s <= MCP_MIRROR_BAD_BASE64;
}

/* What a request mirrors, read once from the body. */
typedef struct mirror_body {
  const char *method;
  const cJSON *params;       /* object or NULL */
  const char *version;       /* params._meta protocolVersion, or NULL */
  const char *name_key;      /* "name", "uri" or NULL: no Mcp-Name */
  const char *name;          /* params[name_key] when a string */
  int is_request;            /* has an id: absent headers are problems */
} mirror_body;

static const char *string_member(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* 0, or -1 when the body is not an object with a string method. */
static int read_body(const cJSON *body, mirror_body *b) {
  memset(b, 0, sizeof *b);
  if (!cJSON_IsObject(body) || !(b->method = string_member(body, "method")))
    return -1;
  b->is_request = cJSON_GetObjectItemCaseSensitive(body, "id") != NULL;
  const cJSON *params = cJSON_GetObjectItemCaseSensitive(body, "params");
  b->params = cJSON_IsObject(params) ? params : NULL;
  const cJSON *meta = cJSON_GetObjectItemCaseSensitive(b->params, "_meta");
  b->version = cJSON_IsObject(meta) ? string_member(meta, MCP_META_PROTOCOL_VERSION) : NULL;
  if (!strcmp(b->method, "tools/call") || !strcmp(b->method, "prompts/get"))
    b->name_key = "name";
  else if (!strcmp(b->method, "resources/read"))
    b->name_key = "uri";
  b->name = b->name_key ? string_member(b->params, b->name_key) : NULL;
  return 0;
}

/* The value at an annotation's path in params.arguments, or NULL. */
static const cJSON *argument_at(const mirror_body *b, const mcp_param_annotation *a) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(b->params, "arguments");
  for (size_t i = 0; i < a->depth && v; i++)
    v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, a->path[i]) : NULL;
  return v;
}

typedef struct checker {
  const mirror_body *b;
  mcp_header_lookup lookup;
  void *arg;
  char *why;
  size_t whylen;
  char value[MCPWIRE_MCP_HEADER_VALUE_MAX]; /* the header, decoded */
  size_t value_len;
  char text[MCPWIRE_MCP_HEADER_VALUE_MAX];  /* the body argument as header text */
} checker;

static mcp_mirror_status check_fail(checker *c, mcp_mirror_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static mcp_mirror_status check_fail(checker *c, mcp_mirror_status s, const char *fmt, ...) {
  if (c->why && c->whylen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, c->whylen, fmt, ap);
    va_end(ap);
  }
  return s;
}

/* Reads and decodes header `name` into c->value. MCP_MIRROR_OK with *present
 * set, or the problem of its raw value. */
static mcp_mirror_status read_header(checker *c, const char *name, int sentinel_ok, int *present) {
  size_t len = 0;
  const char *raw = c->lookup(c->arg, name, &len);
  *present = raw != NULL;
  if (!raw)
    return MCP_MIRROR_OK;
  const char *what = NULL;
  int n = decode_value(raw, len, sentinel_ok, c->value, sizeof c->value, &what);
  char q[QUOTE_MAX];
  if (n == -2)
    return check_fail(c, MCP_MIRROR_LIMIT, "%s: %s (MCPWIRE_MCP_HEADER_VALUE_MAX)", name, what);
  if (n < 0)
    return check_fail(c, strstr(what, "base64") ? MCP_MIRROR_BAD_BASE64 : MCP_MIRROR_INVALID_CHARS,
                      "%s: %s: %s", name, what, quote(q, raw, len));
  c->value_len = (size_t)n;
  return MCP_MIRROR_OK;
}

static int same_text(const checker *c, const char *body) {
  size_t n = strlen(body);
  return n == c->value_len && !memcmp(c->value, body, n);
}

/* A standard header: required on requests, equal to the body field when the
 * body has it (body_field NULL: the body's own error, not compared). */
static mcp_mirror_status check_standard(checker *c, const char *name, const char *body_field,
                                        const char *body_path, int sentinel_ok,
                                        mcp_mirror_status missing) {
  int present;
  mcp_mirror_status s = read_header(c, name, sentinel_ok, &present);
  if (s != MCP_MIRROR_OK)
    return s;
  if (!present)
    return c->b->is_request ? check_fail(c, missing, "%s header missing (body %s is %s)", name, body_path,
                                         body_field ? "present" : "absent")
                            : MCP_MIRROR_OK;
  char qh[QUOTE_MAX], qb[QUOTE_MAX];
  if (body_field && !same_text(c, body_field))
    return check_fail(c, MCP_MIRROR_MISMATCH, "%s header %s does not match body %s %s", name,
                      quote(qh, c->value, c->value_len), body_path, quote(qb, body_field, strlen(body_field)));
  return MCP_MIRROR_OK;
}

/* Header text of a decimal equal to the integer text want ("-7", "42"):
 * -?digits(.digits)?, leading zeros and a zero fraction allowed (S26-HDR-12). */
static int decimal_equals(const char *h, size_t len, const char *want) {
  size_t i = 0;
  int neg = len && h[0] == '-';
  i += (size_t)neg;
  size_t start = i;
  while (i < len && h[i] >= '0' && h[i] <= '9')
    i++;
  size_t end = i;
  if (end == start)
    return 0;
  if (i < len && h[i] == '.') {
    if (++i == len)
      return 0;
    for (; i < len; i++)
      if (h[i] != '0')
        return 0;
  }
  if (i != len)
    return 0;
  while (start + 1 < end && h[start] == '0')
    start++;
  int zero = end - start == 1 && h[start] == '0';
  const char *w = want;
  if (*w == '-') {
    if (!neg || zero)
      return 0;
    w++;
  } else if (neg && !zero) {
    return 0;
  }
  return strlen(w) == end - start && !memcmp(w, h + start, end - start);
}

/* One annotated argument (S26-PARAM-08..11). */
static mcp_mirror_status check_param(checker *c, const mcp_param_annotation *a) {
  char name[sizeof MCP_HEADER_PARAM_PREFIX + MCPWIRE_MCP_PARAM_NAME_MAX];
  snprintf(name, sizeof name, "%s%s", MCP_HEADER_PARAM_PREFIX, a->name);
  int present;
  mcp_mirror_status s = read_header(c, name, 1, &present);
  const cJSON *v = argument_at(c->b, a);
  if (s != MCP_MIRROR_OK || !v || cJSON_IsNull(v))
    return s;
  int rc = mcp_header_from_json(v, c->text, sizeof c->text);
  if (rc == -2)
    return check_fail(c, MCP_MIRROR_LIMIT, "%s: body argument longer than MCPWIRE_MCP_HEADER_VALUE_MAX", name);
  if (rc < 0)
    return MCP_MIRROR_OK; /* not mirrorable: argument validation's error */
  char qk[QUOTE_MAX], qh[QUOTE_MAX], qb[QUOTE_MAX];
  const char *key = a->path[a->depth - 1];
  if (!present)
    return c->b->is_request ? check_fail(c, MCP_MIRROR_PARAM_MISSING, "%s header missing while the body "
                                         "has argument %s", name, quote(qk, key, strlen(key)))
                            : MCP_MIRROR_OK;
  int equal = cJSON_IsNumber(v) ? decimal_equals(c->value, c->value_len, c->text) : same_text(c, c->text);
  return equal ? MCP_MIRROR_OK
               : check_fail(c, MCP_MIRROR_MISMATCH, "%s header %s does not match body argument %s %s", name,
                            quote(qh, c->value, c->value_len), quote(qk, key, strlen(key)),
                            quote(qb, c->text, strlen(c->text)));
}

static mcp_mirror_status check_params(checker *c, const cJSON *schema) {
  mcp_param_annotation *anns = calloc(MCPWIRE_MCP_PARAMS_MAX, sizeof *anns);
  if (!anns)
    return check_fail(c, MCP_MIRROR_LIMIT, "out of memory");
  size_t n = 0;
  int rc = mcp_header_annotations(schema, anns, MCPWIRE_MCP_PARAMS_MAX, &n, c->why, c->whylen);
  mcp_mirror_status s = rc == -1 ? MCP_MIRROR_BAD_SCHEMA : rc ? MCP_MIRROR_LIMIT : MCP_MIRROR_OK;
  for (size_t i = 0; i < n && s == MCP_MIRROR_OK; i++)
    s = check_param(c, &anns[i]);
  free(anns);
  return s;
}

/* Version, method, name, then params (tools/call with a schema). */
static mcp_mirror_status check_request(checker *c, const cJSON *schema) {
  const mirror_body *b = c->b;
  mcp_mirror_status s = check_standard(c, MCP_HEADER_PROTOCOL_VERSION, b->version,
                                       "params._meta protocolVersion", 0, MCP_MIRROR_VERSION_MISSING);
  if (s == MCP_MIRROR_OK)
    s = check_standard(c, MCP_HEADER_METHOD, b->method, "method", 0, MCP_MIRROR_METHOD_MISSING);
  if (s == MCP_MIRROR_OK && b->name_key)
    s = check_standard(c, MCP_HEADER_NAME, b->name, b->name_key[0] == 'n' ? "params.name" : "params.uri", 1,
                       MCP_MIRROR_NAME_MISSING);
  if (s == MCP_MIRROR_OK && schema && !strcmp(b->method, "tools/call"))
    s = check_params(c, schema);
  return s;
}

mcp_mirror_status mcp_header_check(const cJSON *body, const cJSON *input_schema_or_null,
                                   mcp_header_lookup lookup, void *arg, char *why, size_t whylen) {
  if (why && whylen)
    why[0] = '\0';
  mirror_body b;
  checker *c = calloc(1, sizeof *c);
  if (!c) {
    if (why && whylen)
      snprintf(why, whylen, "out of memory");
    return MCP_MIRROR_LIMIT;
  }
  c->b = &b;
  c->lookup = lookup;
  c->arg = arg;
  c->why = why;
  c->whylen = whylen;
  mcp_mirror_status s;
  if (!lookup || read_body(body, &b) != 0)
    s = check_fail(c, MCP_MIRROR_NOT_REQUEST, "body is not a JSON-RPC request or notification with a "
                   "string method");
  else
    s = check_request(c, input_schema_or_null);
  free(c);
  return s;
}

/* ---- building a request's headers ---- */

typedef struct builder {
  mcp_header_emit emit;
  void *arg;
  char *why;
  size_t whylen;
  char text[MCPWIRE_MCP_HEADER_VALUE_MAX];
  char wire[MCPWIRE_MCP_HEADER_WIRE_MAX];
} builder;

static int build_fail(builder *d, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int build_fail(builder *d, int rc, const char *fmt, ...) {
  if (d->why && d->whylen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->why, d->whylen, fmt, ap);
    va_end(ap);
  }
  return rc;
}

/* MCP-Protocol-Version and Mcp-Method carry no Base64: header-safe or nothing. */
static int emit_plain(builder *d, const char *name, const char *value, const char *body_path) {
  char q[QUOTE_MAX];
  if (!value)
    return build_fail(d, -1, "body has no %s to mirror into %s", body_path, name);
  if (mcp_header_needs_encoding(value, strlen(value)) != 0)
    return build_fail(d, -1, "body %s %s cannot be sent as a plain %s header", body_path,
                      quote(q, value, strlen(value)), name);
  return d->emit(d->arg, name, value, strlen(value));
}

static int emit_encoded(builder *d, const char *name, const char *value, size_t len) {
  int n = mcp_header_encode(value, len, d->wire, sizeof d->wire);
  if (n < 0)
    return build_fail(d, -2, "%s value longer than MCPWIRE_MCP_HEADER_WIRE_MAX", name);
  return d->emit(d->arg, name, d->wire, (size_t)n);
}

static int build_params(builder *d, const mirror_body *b, const cJSON *schema) {
  mcp_param_annotation *anns = calloc(MCPWIRE_MCP_PARAMS_MAX, sizeof *anns);
  if (!anns)
    return build_fail(d, -2, "out of memory");
  size_t n = 0;
  int rc = mcp_header_annotations(schema, anns, MCPWIRE_MCP_PARAMS_MAX, &n, d->why, d->whylen);
  for (size_t i = 0; i < n && rc == 0; i++) {
    const cJSON *v = argument_at(b, &anns[i]);
    int conv = v ? mcp_header_from_json(v, d->text, sizeof d->text) : -1;
    char name[sizeof MCP_HEADER_PARAM_PREFIX + MCPWIRE_MCP_PARAM_NAME_MAX];
    snprintf(name, sizeof name, "%s%s", MCP_HEADER_PARAM_PREFIX, anns[i].name);
    if (conv == -2)
      rc = build_fail(d, -2, "%s: argument longer than MCPWIRE_MCP_HEADER_VALUE_MAX", name);
    else if (conv == 0)
      rc = emit_encoded(d, name, d->text, strlen(d->text));
  }
  free(anns);
  return rc;
}

int mcp_header_build(const cJSON *body, const cJSON *input_schema_or_null, mcp_header_emit emit,
                     void *arg, char *why, size_t whylen) {
  if (why && whylen)
    why[0] = '\0';
  builder *d = calloc(1, sizeof *d);
  if (!d)
    return -2;
  *d = (builder){.emit = emit, .arg = arg, .why = why, .whylen = whylen};
  mirror_body b;
  int rc;
  if (!emit || read_body(body, &b) != 0)
    rc = build_fail(d, -1, "body is not a JSON-RPC request or notification with a string method");
  else if ((rc = emit_plain(d, MCP_HEADER_PROTOCOL_VERSION, b.version, "params._meta protocolVersion")) == 0 &&
           (rc = emit_plain(d, MCP_HEADER_METHOD, b.method, "method")) == 0 && b.name_key) {
    if (!b.name)
      rc = build_fail(d, -1, "body params.%s is not a string: no %s", b.name_key, MCP_HEADER_NAME);
    else
      rc = emit_encoded(d, MCP_HEADER_NAME, b.name, strlen(b.name));
  }
  if (rc == 0 && input_schema_or_null && !strcmp(b.method, "tools/call"))
    rc = build_params(d, &b, input_schema_or_null);
  free(d);
  return rc;
}
