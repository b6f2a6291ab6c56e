/* vector_text: the escapes of golden vector values (docs/JSONRPC.md,
 * "Vector format"), shared by the JSON-RPC test programs. */
#ifndef MCPWIRE_VECTOR_TEXT_H
#define MCPWIRE_VECTOR_TEXT_H

#include "codec/dynbuf.h"

static int vector_hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Appends s with \r \n \t \\ \xHH expanded; -1 on any other escape (the
 * output then holds what came before it). */
static int vector_unescape(dynbuf *out, const char *s) {
  for (size_t i = 0; s[i]; i++) {
    char c = s[i];
    if (c != '\\') {
      dynbuf_addc(out, c);
      continue;
    }
    char e = s[++i];
    if (e == 'r') dynbuf_addc(out, '\r');
    else if (e == 'n') dynbuf_addc(out, '\n');
    else if (e == 't') dynbuf_addc(out, '\t');
    else if (e == '\\') dynbuf_addc(out, '\\');
    else if (e == 'x' && vector_hex(s[i + 1]) >= 0 && vector_hex(s[i + 2]) >= 0) {
      dynbuf_addc(out, (char)(vector_hex(s[i + 1]) * 16 + vector_hex(s[i + 2])));
      i += 2;
    } else
      return -1;
  }
  return 0;
}

#endif
