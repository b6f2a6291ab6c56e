#include "codec/utf8.h"

size_t utf8_next(const unsigned char *s, size_t n, long *cp) {
  unsigned char c = s[0];
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  long v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    v = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F; /* surrogates are not characters */
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    v = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    *cp = -1;
    return 1;
  }
  for (size_t i = 1; i <= need; i++) {
    if (i >= n || s[i] < lo || s[i] > hi) {
      *cp = -1;
      return i; /* the lead plus the continuation bytes that fit */
    }
    v = (v << 6) | (s[i] & 0x3F);
    lo = 0x80;
    hi = 0xBF;
  }
  *cp = v;
  return need + 1;
}
