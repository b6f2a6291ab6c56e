/*
 * fuzz_endpoint_url: resolution of the legacy `endpoint` event (SSELEG-02).
 *
 * Input: byte 0 picks a stream URL from a fixed list (or, for 0xff, the
 * bytes up to the first LF are the stream URL); the rest is the reference.
 * Oracles (abort on failure):
 *   - failure gives url NULL and a non-empty, terminated error line;
 *   - success gives an absolute http(s) URL without control bytes or
 *     spaces, and an empty error;
 *   - same_origin equals an independent comparison of scheme, host and port
 *     (default ports filled in) of the stream URL and the result;
 *   - resolving the result again is a fixed point: same URL, same flag.
 */
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec/endpoint_url.h"

static const char *const STREAM_URLS[] = {
  "http://127.0.0.1:3000/sse",
  "http://localhost/mcp/sse?token=a%20b#frag",
  "https://example.com/a/b/c/",
  "http://[::1]:8080/sse",
  "https://user:pw@example.com:443/sse",
  "HTTP://Example.COM:80/x/../y/./sse",
  "http://127.0.0.1/",
  "https://xn--bcher-kva.example/sse;p?q=1",
};
enum { STREAM_URL_COUNT = sizeof STREAM_URLS / sizeof STREAM_URLS[0] };

static void die(const char *why, const char *base, const char *detail) {
  fprintf(stderr, "ORACLE MISMATCH: %s\n  stream: %s\n  detail: %s\n", why, base,
          detail ? detail : "");
  abort();
}

static char *part_of(CURLU *h, CURLUPart part) {
  char *v = NULL;
  if (curl_url_get(h, part, &v, part == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0) != CURLUE_OK)
    return NULL;
  return v;
}

/* -1 when either URL does not parse, else 1 for same origin, 0 for not. */
static int origin_compare(const char *a_url, const char *b_url) {
  CURLU *a = curl_url(), *b = curl_url();
  int same = -1;
  if (a && b && curl_url_set(a, CURLUPART_URL, a_url, 0) == CURLUE_OK &&
      curl_url_set(b, CURLUPART_URL, b_url, 0) == CURLUE_OK) {
    same = 1;
    CURLUPart parts[] = {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT};
    for (int i = 0; i < 3; i++) {
      char *x = part_of(a, parts[i]), *y = part_of(b, parts[i]);
      if ((x == NULL) != (y == NULL) || (x && strcasecmp(x, y)))
        same = 0;
      curl_free(x);
      curl_free(y);
    }
  }
  curl_url_cleanup(a);
  curl_url_cleanup(b);
  return same;
}

static int is_http_absolute(const char *url) {
  if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))
    return 0;
  for (const unsigned char *c = (const unsigned char *)url; *c; c++)
    if (*c <= 0x20 || *c == 0x7f)
      return 0;
  return 1;
}

static void check_result(const char *base, int rc, const endpoint_url *u) {
  if (rc != 0) {
    if (u->url || !u->error[0] || !memchr(u->error, '\0', sizeof u->error))
      die("failed resolution without a clean error", base, u->url);
    return;
  }
  if (!u->url || u->error[0])
    die("successful resolution without a URL or with an error", base, u->error);
  if (!is_http_absolute(u->url))
    die("result is not an absolute http(s) URL", base, u->url);
  int same = origin_compare(base, u->url);
  if (same >= 0 && same != u->same_origin)
    die("same_origin flag disagrees with scheme/host/port", base, u->url);
  endpoint_url again;
  if (endpoint_url_resolve(base, u->url, strlen(u->url), &again) != 0)
    die("the resolved URL does not resolve again", base, u->url);
  if (strcmp(again.url, u->url) || again.same_origin != u->same_origin)
    die("resolving the result again changes it", u->url, again.url);
  endpoint_url_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  char base_buf[512];
  const char *base = STREAM_URLS[data[0] % STREAM_URL_COUNT];
  const char *ref = (const char *)data + 1;
  size_t ref_len = size - 1;
  if (data[0] == 0xff) {
    const char *lf = memchr(ref, '\n', ref_len);
    size_t n = lf ? (size_t)(lf - ref) : ref_len;
    if (n >= sizeof base_buf || memchr(ref, '\0', n))
      return 0;
    memcpy(base_buf, ref, n);
    base_buf[n] = '\0';
    base = base_buf;
    ref += lf ? n + 1 : n;
    ref_len -= lf ? n + 1 : n;
  }
  endpoint_url u;
  int rc = endpoint_url_resolve(base, ref, ref_len, &u);
  check_result(base, rc, &u);
  endpoint_url_free(&u);
  return 0;
}
