#include "codec/dynbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dynbuf_init(dynbuf *b, size_t max) {
  b->ptr = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
}

void dynbuf_free(dynbuf *b) {
  free(b->ptr);
  b->ptr = NULL;
  b->len = 0;
  b->cap = 0;
}

void dynbuf_reset(dynbuf *b) {
  b->len = 0;
  if (b->ptr)
    b->ptr[0] = '\0';
}

int dynbuf_reserve(dynbuf *b, size_t extra) {
  if (extra > b->max || b->len > b->max - extra)
    return DYNBUF_TOO_BIG;
  size_t need = b->len + extra + 1; /* +1 for the NUL */
  if (need <= b->cap)
    return DYNBUF_OK;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
  if (cap > b->max + 1)
    cap = b->max + 1 > need ? b->max + 1 : need;
  char *p = realloc(b->ptr, cap);
  if (!p)
    return DYNBUF_NOMEM;
  b->ptr = p;
  b->cap = cap;
  return DYNBUF_OK;
}

int dynbuf_add(dynbuf *b, const void *data, size_t len) {
  int rc = dynbuf_reserve(b, len);
  if (rc != DYNBUF_OK)
    return rc;
  if (len)
    memcpy(b->ptr + b->len, data, len);
  b->len += len;
  b->ptr[b->len] = '\0';
  return DYNBUF_OK;
}

int dynbuf_addc(dynbuf *b, char c) { return dynbuf_add(b, &c, 1); }

int dynbuf_adds(dynbuf *b, const char *s) { return dynbuf_add(b, s, strlen(s)); }

int dynbuf_vprintf(dynbuf *b, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0)
    return DYNBUF_NOMEM;
  int rc = dynbuf_reserve(b, (size_t)n);
  if (rc != DYNBUF_OK)
    return rc;
  vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return DYNBUF_OK;
}

int dynbuf_printf(dynbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = dynbuf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

const char *dynbuf_str(const dynbuf *b) { return b->ptr ? b->ptr : ""; }

char *dynbuf_take(dynbuf *b) {
  char *p = b->ptr;
  b->ptr = NULL;
  b->len = 0;
  b->cap = 0;
  return p;
}
