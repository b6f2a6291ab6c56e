/* balance.c: the target of a request (proxy/balance.h). */
#include "proxy/balance.h"

#include <string.h>
#include <strings.h>

static const char *const names[] = {NULL, "round-robin", "session-hash"};

const char *balance_name(int mode) {
  return mode > 0 && mode < (int)(sizeof names / sizeof *names) ? names[mode] : NULL;
}

int balance_parse(const char *name, size_t len) {
  for (int m = 1; m < (int)(sizeof names / sizeof *names); m++)
    if (strlen(names[m]) == len && !strncmp(name, names[m], len))
      return m;
  return -1;
}

static void copy_key(char *key, size_t keylen, const char *v, size_t n) {
  n = n < keylen - 1 ? n : keylen - 1;
  memcpy(key, v, n);
  key[n] = '\0';
}

/* sessionId=... in the request target's query (the start line). */
static int query_key(const http_head *h, char *key, size_t keylen) {
  size_t line = http_head_start_line_len(h);
  const char *q = memchr(h->raw, '?', line);
  const char *end = q ? memchr(q, ' ', line - (size_t)(q - h->raw)) : NULL;
  for (const char *p = q ? q + 1 : NULL; p && end && p < end;) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    const char *stop = amp ? amp : end;
    if (stop - p > 10 && !strncmp(p, "sessionId=", 10)) {
      copy_key(key, keylen, p + 10, (size_t)(stop - p - 10));
      return 1;
    }
    p = amp ? amp + 1 : NULL;
  }
  return 0;
}

int balance_session_key(const http_head *h, char *key, size_t keylen) {
  if (!keylen)
    return 0;
  key[0] = '\0';
  size_t pos = 0;
  http_header hd;
  while (http_head_next_header(h, &pos, &hd))
    if (http_header_name_is(&hd, "mcp-session-id") && hd.value_len) {
      copy_key(key, keylen, hd.value, hd.value_len);
      return 1;
    }
  return query_key(h, key, keylen);
}

size_t balance_pick(int mode, size_t n, const http_head *h, uint64_t *turn) {
  char key[512];
  if (n <= 1)
    return 0;
  if (mode == PROXY_BALANCE_SESSION_HASH && balance_session_key(h, key, sizeof key)) {
    uint32_t x = 2166136261u; /* FNV-1a */
    for (const char *p = key; *p; p++)
      x = (x ^ (unsigned char)*p) * 16777619u;
    return x % n;
  }
  return (size_t)((*turn)++ % n);
}
