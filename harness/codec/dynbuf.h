/*
 * dynbuf: a growable byte buffer with a named ceiling.
 *
 * Every buffer is created with a maximum from mcpwire_limits.h. An append that
 * would pass it fails (and leaves the buffer as it was), so a hostile peer
 * yields an error, never unbounded growth. Contents stay NUL-terminated.
 */
#ifndef MCPWIRE_DYNBUF_H
#define MCPWIRE_DYNBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct dynbuf {
  char *ptr;     /* NULL until the first append */
  size_t len;    /* bytes in use, not counting the terminating NUL */
  size_t cap;    /* bytes allocated */
  size_t max;    /* ceiling on len */
} dynbuf;

typedef enum {
  DYNBUF_OK = 0,
  DYNBUF_TOO_BIG = -1, /* the append would pass max */
  DYNBUF_NOMEM = -2
} dynbuf_status;

void dynbuf_init(dynbuf *b, size_t max);
void dynbuf_free(dynbuf *b);
/* Empties the buffer and keeps its memory for reuse. */
void dynbuf_reset(dynbuf *b);
int dynbuf_add(dynbuf *b, const void *data, size_t len);
int dynbuf_addc(dynbuf *b, char c);
int dynbuf_adds(dynbuf *b, const char *s);
int dynbuf_printf(dynbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int dynbuf_vprintf(dynbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Makes room for at least `extra` more bytes; 0 on success. */
int dynbuf_reserve(dynbuf *b, size_t extra);
/* Always a valid C string ("" when empty). */
const char *dynbuf_str(const dynbuf *b);
/* Hands the allocation to the caller (may be NULL when empty) and resets. */
char *dynbuf_take(dynbuf *b);

#endif
