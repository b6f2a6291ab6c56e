#include "codec/json_writer.h"
#include "codec/utf8.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char HEX[] = "0123456789abcdef";

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
    long cp;
    size_t n = utf8_next(p + i, len - i, &cp);
    /* U+2028 and U+2029 are valid raw in JSON but end a line in JavaScript
     * source and in some viewers: escaped, the decoded text is the same. */
    if (cp == 0x2028 || cp == 0x2029)
      rc = dynbuf_adds(out, cp == 0x2028 ? "\\u2028" : "\\u2029");
    else if (cp >= 0)
      rc = dynbuf_add(out, p + i, n);
    else
      rc = dynbuf_add(out, "\xEF\xBF\xBD", 3); /* U+FFFD for the maximal subpart */
    i += n;
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
