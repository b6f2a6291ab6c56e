/*
 * vector_input: the escapes of a golden vector's `input:` line, shared by
 * the SSE and stdio line vector tests (tests/vectors/sse, tests/vectors/stdio):
 * \r \n \t \\ and \xHH; a raw trailing space or tab is refused so that an
 * editor cannot change a vector unseen.
 */
#ifndef MCPWIRE_TESTS_VECTOR_INPUT_H
#define MCPWIRE_TESTS_VECTOR_INPUT_H

#include <stddef.h>

#include "codec/dynbuf.h"

static inline int vector_hex_digit(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes one `input:` value into out; NULL, or what is wrong with it. */
static inline const char *vector_input_decode(dynbuf *out, const char *s, size_t len) {
  if (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    return "raw trailing whitespace in input: write \\x20 or \\t";
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '\\') {
      dynbuf_addc(out, s[i]);
      continue;
    }
    if (++i >= len)
      return "backslash at end of input line";
    switch (s[i]) {
    case 'r': dynbuf_addc(out, '\r'); break;
    case 'n': dynbuf_addc(out, '\n'); break;
    case 't': dynbuf_addc(out, '\t'); break;
    case '\\': dynbuf_addc(out, '\\'); break;
    case 'x': {
      int hi = i + 1 < len ? vector_hex_digit(s[i + 1]) : -1;
      int lo = i + 2 < len ? vector_hex_digit(s[i + 2]) : -1;
      if (hi < 0 || lo < 0)
        return "\\x needs two hex digits";
      dynbuf_addc(out, (char)(hi * 16 + lo));
      i += 2;
      break;
    }
    default:
      return "unknown escape (use \\r \\n \\t \\\\ \\xHH)";
    }
  }
  return NULL;
}

#endif
