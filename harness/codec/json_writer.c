#include "codec/json_writer.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char HEX[] = "0123456789abcdef";

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there
 * are not one; *bad_len then gets the maximal subpart the WHATWG decoder
 * replaces with one U+FFFD (at least 1). */
static size_t utf8_sequence(const unsigned char *s, size_t n, size_t *bad_len) {
  unsigned char c = s[0];
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    need = 1;
  else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F; /* no surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    *bad_len = 1;
    return 0;
  }
  size_t i = 1;
  for (; i <= need; i++) {
    if (i >= n || s[i] < lo || s[i] > hi) {
      *bad_len = i; /* lead plus the continuation bytes that were valid */
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  return need + 1;
}

int json_write_string(dynbuf *out, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  int rc = dynbuf_addc(out, '"');
  size_t i = 0;
  while (rc == DYNBUF_OK && i < len) {
    /* Copy the longest run that needs no escaping in one append. */
    size_t run = i;
    while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
      run++;
    if (run > i) {
      rc = dynbuf_add(out, p + i, run - i);
      i = run;
      continue;
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
      size_t n = 2;
      switch (c) {
      case '"': esc[1] = '"'; break;
      case '\\': esc[1] = '\\'; break;
      case '\b': esc[1] = 'b'; break;
      case '\f': esc[1] = 'f'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\t': esc[1] = 't'; break;
      default:
        esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
        esc[4] = HEX[c >> 4]; esc[5] = HEX[c & 15];
        n = 6;
      }
      rc = dynbuf_add(out, esc, n);
      i++;
      continue;
    }
    size_t bad = 0, ok = utf8_sequence(p + i, len - i, &bad);
    if (ok) {
      rc = dynbuf_add(out, p + i, ok);
      i += ok;
    } else {
      rc = dynbuf_add(out, "\xEF\xBF\xBD", 3); /* U+FFFD */
      i += bad;
    }
  }
  if (rc == DYNBUF_OK)
    rc = dynbuf_addc(out, '"');
  return rc;
}

int json_write_cstring(dynbuf *out, const char *s) {
  return s ? json_write_string(out, s, strlen(s)) : dynbuf_adds(out, "null");
}

int json_write_int(dynbuf *out, long long v) { return dynbuf_printf(out, "%lld", v); }

int json_write_uint(dynbuf *out, uint64_t v) { return dynbuf_printf(out, "%" PRIu64, v); }

int json_write_double(dynbuf *out, double v) {
  if (!isfinite(v))
    return dynbuf_adds(out, "null");
  char buf[64];
  snprintf(buf, sizeof buf, "%.3f", v);
  /* Trim trailing zeros and a bare point: 12.500 -> 12.5, 3.000 -> 3. */
  char *end = buf + strlen(buf);
  while (end > buf && end[-1] == '0')
    *--end = '\0';
  if (end > buf && end[-1] == '.')
    *--end = '\0';
  if (!strcmp(buf, "-0"))
    strcpy(buf, "0");
  return dynbuf_adds(out, buf);
}
