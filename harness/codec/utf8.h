/* utf8: one step of the WHATWG UTF-8 decoder, shared by every writer that
 * must turn received bytes into valid text. */
#ifndef MCPWIRE_UTF8_H
#define MCPWIRE_UTF8_H

#include <stddef.h>

/* Decodes the sequence at s (n > 0 bytes). Returns the bytes consumed, at
 * least 1. *cp gets the code point, or -1 for an invalid sequence, which then
 * spans its maximal subpart: the bytes one U+FFFD replaces. */
size_t utf8_next(const unsigned char *s, size_t n, long *cp);

#endif
