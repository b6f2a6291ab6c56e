#include "transport/redact.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "codec/endpoint_url.h"

/* What a redacted secret becomes in free text. */
#define REDACTED "***"

/* Standard request headers that carry no credential. */
static const char *const public_headers[] = {
    "Accept", "Accept-Encoding", "Accept-Language", "Content-Type", "Origin",
    "User-Agent", "MCP-Protocol-Version", "Mcp-Session-Id", "Last-Event-ID", "Mcp-Method",
    "Mcp-Name",
    "Cache-Control", "Connection", "Expect", "Host", "Referer", NULL};

int redact_header_is_public(const char *name, size_t name_len) {
  for (size_t i = 0; public_headers[i]; i++)
    if (strlen(public_headers[i]) == name_len && !strncasecmp(public_headers[i], name, name_len))
      return 1;
  return 0;
}

static uint64_t fingerprint_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

/* A per-process random key: fingerprints tell values apart within a run
 * and cannot be looked up across runs. */
static void make_key(void) {
  if (getrandom(&fingerprint_key, sizeof fingerprint_key, 0) != (ssize_t)sizeof fingerprint_key)
    fingerprint_key = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
}

/* FNV-1a over the key and the value, folded to 24 bits for display. */
static unsigned fingerprint(const char *p, size_t n) {
  pthread_once(&key_once, make_key);
  uint64_t h = 0xcbf29ce484222325ull;
  for (int i = 0; i < 8; i++) {
    h ^= (fingerprint_key >> (8 * i)) & 0xff;
    h *= 0x100000001b3ull;
  }
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)p[i];
    h *= 0x100000001b3ull;
  }
  return (unsigned)((h ^ (h >> 24) ^ (h >> 48)) & 0xffffff);
}

/* Splits "Name: value" into the name's length and the value (spaces
 * skipped); value is NULL when there is no colon. */
static size_t split_header(const char *line, const char **value) {
  const char *colon = strchr(line, ':');
  *value = NULL;
  if (!colon)
    return strlen(line);
  const char *v = colon + 1;
  while (*v == ' ' || *v == '\t')
    v++;
  *value = v;
  return (size_t)(colon - line);
}

/* 1 for the headers whose value is "Scheme credentials" (RFC 9110 11.6). */
static int is_auth_header(const char *name, size_t name_len) {
  return (name_len == 13 && !strncasecmp(name, "Authorization", 13)) ||
         (name_len == 19 && !strncasecmp(name, "Proxy-Authorization", 19));
}

/* Length of a leading auth scheme word ("Bearer", "Basic") followed by a
 * space and more text; 0 when the value has no such word. Only auth
 * headers have one: elsewhere a first word may be part of the secret. */
static size_t scheme_word(const char *name, size_t name_len, const char *v) {
  if (!is_auth_header(name, name_len))
    return 0;
  size_t n = strcspn(v, " ");
  if (!n || v[n] != ' ' || !v[n + 1] || n > 32)
    return 0;
  for (size_t i = 0; i < n; i++) {
    char c = v[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          c == '-'))
      return 0;
  }
  return n;
}

static void add_secret(secret_list *s, const char *p, size_t n) {
  if (n < MCPWIRE_SECRET_SCAN_MIN || s->n >= MCPWIRE_SECRETS_MAX)
    return;
  s->items[s->n].bytes = p;
  s->items[s->n].len = n;
  s->n++;
}

/* Appends base64(text) to out (NUL-terminated); the length written, or 0
 * when it does not fit. */
static size_t base64_put(const char *text, size_t n, char *out, size_t room) {
  static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t need = 4 * ((n + 2) / 3);
  if (need + 1 > room)
    return 0;
  size_t w = 0;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned char)text[i] << 16;
    if (i + 1 < n)
      v |= (unsigned char)text[i + 1] << 8;
    if (i + 2 < n)
      v |= (unsigned char)text[i + 2];
    out[w++] = abc[(v >> 18) & 63];
    out[w++] = abc[(v >> 12) & 63];
    out[w++] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
    out[w++] = i + 2 < n ? abc[v & 63] : '=';
  }
  out[w] = '\0';
  return w;
}

/* The Basic credentials libcurl makes of a URL's user and password. */
static void add_basic_credentials(secret_list *out, const char *user, const char *pw) {
  char plain[MCPWIRE_SECRET_URL_PASSWORD_MAX];
  int n = snprintf(plain, sizeof plain, "%s:%s", user, pw);
  if (n < 0 || (size_t)n >= sizeof plain)
    return;
  size_t w = base64_put(plain, (size_t)n, out->basic, sizeof out->basic);
  if (w)
    add_secret(out, out->basic, w);
}

static void collect_url_password(secret_list *out, const char *url) {
  endpoint_url_userinfo ui;
  endpoint_url_userinfo_get(url, &ui);
  const char *pw = ui.password;
  if (pw && strlen(pw) < sizeof out->url_password) {
    snprintf(out->url_password, sizeof out->url_password, "%s", pw);
    add_secret(out, out->url_password, strlen(out->url_password));
  }
  /* libcurl sends a URL's user and password as "Basic base64(user:pw)". */
  if (pw && ui.user)
    add_basic_credentials(out, ui.user, pw);
  /* Also as written in the URL (percent-encoded), since URLs are logged so. */
  const char *encoded = ui.password_encoded;
  if (encoded && pw && strcmp(encoded, pw) &&
      strlen(encoded) + strlen(pw) + 2 <= sizeof out->url_password) {
    size_t at = strlen(out->url_password) + 1;
    snprintf(out->url_password + at, sizeof out->url_password - at, "%s", encoded);
    add_secret(out, out->url_password + at, strlen(encoded));
  }
  endpoint_url_userinfo_free(&ui);
}

void redact_collect(secret_list *out, const char *const *headers, size_t nheaders,
                    const char *url) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < nheaders; i++) {
    const char *v;
    size_t name_len = split_header(headers[i], &v);
    if (!v || !*v || redact_header_is_public(headers[i], name_len))
      continue;
    size_t vlen = strlen(v);
    while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
      vlen--;
    add_secret(out, v, vlen);
    size_t w = scheme_word(headers[i], name_len, v);
    if (w)
      add_secret(out, v + w + 1, vlen - w - 1);
  }
  collect_url_password(out, url);
}

void redact_collect_env(secret_list *out, char *const *env, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *eq = strchr(env[i], '=');
    if (eq)
      add_secret(out, eq + 1, strlen(eq + 1));
  }
}

void redact_header_line(const char *line, char *out, size_t outlen) {
  const char *v;
  size_t name_len = split_header(line, &v);
  if (!v || !*v || redact_header_is_public(line, name_len)) {
    snprintf(out, outlen, "%s", line);
    return;
  }
  size_t vlen = strlen(v), w = scheme_word(line, name_len, v);
  const char *token = w ? v + w + 1 : v;
  size_t tlen = vlen - (size_t)(token - v);
  snprintf(out, outlen, "%.*s: %.*s%s" REDACTED " (%zu bytes, fp %06x)", (int)name_len, line,
           (int)w, v, w ? " " : "", tlen, fingerprint(token, tlen));
}

/* The listed secret that starts at p (at most left bytes), longest first
 * matched; its length, or 0. */
static size_t secret_at(const secret_list *s, const char *p, size_t left) {
  size_t best = 0;
  for (size_t i = 0; i < s->n; i++) {
    size_t n = s->items[i].len;
    if (n <= left && n > best && !memcmp(p, s->items[i].bytes, n))
      best = n;
  }
  return best;
}

size_t redact_scrub(const secret_list *s, char *text, size_t len) {
  if (!s || !s->n || !text)
    return len;
  size_t r = 0, w = 0;
  while (r < len) {
    size_t n = secret_at(s, text + r, len - r);
    if (n) {
      /* n >= MCPWIRE_SECRET_SCAN_MIN > strlen(REDACTED): w never passes r. */
      memcpy(text + w, REDACTED, sizeof REDACTED - 1);
      w += sizeof REDACTED - 1;
      r += n;
    } else {
      text[w++] = text[r++];
    }
  }
  if (w < len)
    text[w] = '\0';
  return w;
}

void redact_scrub_str(const secret_list *s, char *text) {
  if (text)
    redact_scrub(s, text, strlen(text));
}
