#include "codec/endpoint_url.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mcpwire_limits.h"

/* Sets the one-line error "what: detail" (detail may be NULL). */
static int fail(endpoint_url *out, const char *what, const char *detail) {
  snprintf(out->error, sizeof out->error, "%s%s%s", what, detail ? ": " : "",
           detail ? detail : "");
  free(out->url);
  out->url = NULL;
  return -1;
}

/* Rejects bytes no URI-reference may carry before libcurl sees them, so the
 * error names the byte rather than a generic parse failure. */
static int check_ref_bytes(const char *ref, size_t len, char *why, size_t whylen) {
  if (len == 0) {
    snprintf(why, whylen, "endpoint is empty");
    return -1;
  }
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)ref[i];
    if (c < 0x20 || c == 0x7f) {
      snprintf(why, whylen, "endpoint contains control byte 0x%02x at offset %zu", c, i);
      return -1;
    }
    if (c == ' ') {
      snprintf(why, whylen, "endpoint contains a space at offset %zu", i);
      return -1;
    }
  }
  return 0;
}

/* One part of a parsed URL, with default ports filled in; "" when absent. */
static char *url_part(CURLU *h, CURLUPart part) {
  char *v = NULL;
  unsigned flags = part == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0;
  if (curl_url_get(h, part, &v, flags) != CURLUE_OK || !v)
    return NULL;
  return v;
}

static int parts_equal(CURLU *a, CURLU *b, CURLUPart part) {
  char *x = url_part(a, part), *y = url_part(b, part);
  int eq = x && y && !strcasecmp(x, y);
  if (!x && !y)
    eq = 1;
  curl_free(x);
  curl_free(y);
  return eq;
}

static int same_origin(CURLU *a, CURLU *b) {
  return parts_equal(a, b, CURLUPART_SCHEME) && parts_equal(a, b, CURLUPART_HOST) &&
         parts_equal(a, b, CURLUPART_PORT);
}

int endpoint_url_resolve(const char *stream_url, const char *ref, size_t ref_len,
                         endpoint_url *out) {
  memset(out, 0, sizeof *out);
  char why[160];
  if (check_ref_bytes(ref, ref_len, why, sizeof why))
    return fail(out, why, NULL);
  char *refz = malloc(ref_len + 1);
  if (!refz)
    return fail(out, "out of memory", NULL);
  memcpy(refz, ref, ref_len);
  refz[ref_len] = '\0';

  CURLU *base = curl_url(), *res = curl_url();
  int rc = -1;
  CURLUcode uc;
  if (!base || !res) {
    fail(out, "out of memory", NULL);
    goto done;
  }
  if ((uc = curl_url_set(base, CURLUPART_URL, stream_url, 0)) != CURLUE_OK) {
    fail(out, "stream URL is not an absolute URL", curl_url_strerror(uc));
    goto done;
  }
  /* Setting a reference on a handle that holds an absolute URL resolves it
   * (RFC 3986 section 5.2) in libcurl. */
  if ((uc = curl_url_set(res, CURLUPART_URL, stream_url, 0)) != CURLUE_OK ||
      (uc = curl_url_set(res, CURLUPART_URL, refz, 0)) != CURLUE_OK) {
    fail(out, "endpoint is not a valid URI-reference", curl_url_strerror(uc));
    goto done;
  }
  char *scheme = url_part(res, CURLUPART_SCHEME);
  int web = scheme && (!strcasecmp(scheme, "http") || !strcasecmp(scheme, "https"));
  if (!web) {
    snprintf(why, sizeof why, "endpoint scheme '%s' is not http or https",
             scheme ? scheme : "");
    curl_free(scheme);
    fail(out, why, NULL);
    goto done;
  }
  curl_free(scheme);
  char *full = NULL;
  if ((uc = curl_url_get(res, CURLUPART_URL, &full, 0)) != CURLUE_OK) {
    fail(out, "endpoint cannot be rebuilt", curl_url_strerror(uc));
    goto done;
  }
  /* libcurl turns a numeric host into dotted IPv4 ("6" -> "0.0.0.6") only
   * when it is spelled out, not when it arrives percent-encoded ("//%36"
   * gives "https://6/"). Parse the rebuilt URL again until it no longer
   * changes, so the URL returned is the one libcurl will connect to and
   * resolving it again gives it back. */
  for (int pass = 1;; pass++) {
    CURLU *again = curl_url();
    char *next = NULL;
    if (!again) {
      curl_free(full);
      fail(out, "out of memory", NULL);
      goto done;
    }
    if ((uc = curl_url_set(again, CURLUPART_URL, full, 0)) != CURLUE_OK ||
        (uc = curl_url_get(again, CURLUPART_URL, &next, 0)) != CURLUE_OK) {
      curl_url_cleanup(again);
      snprintf(why, sizeof why, "resolved endpoint %.80s does not parse again", full);
      curl_free(full);
      fail(out, why, curl_url_strerror(uc));
      goto done;
    }
    curl_url_cleanup(again);
    int settled = !strcmp(next, full);
    curl_free(full);
    full = next;
    if (settled)
      break;
    if (pass == MCPWIRE_URL_SETTLE_PASSES_MAX) {
      curl_free(full);
      fail(out, "resolved endpoint keeps changing when parsed again", NULL);
      goto done;
    }
  }
  out->url = strdup(full);
  curl_free(full);
  if (!out->url) {
    fail(out, "out of memory", NULL);
    goto done;
  }
  /* The origin comes from a fresh parse of the URL returned: libcurl 7.88's
   * curl_url_get(CURLUPART_URL) re-encodes the stored host in place, so a
   * handle whose URL was fetched reports host "%25" where a fresh parse of
   * the same URL reports "%". */
  curl_url_cleanup(res);
  res = curl_url();
  if (!res || (uc = curl_url_set(res, CURLUPART_URL, out->url, 0)) != CURLUE_OK) {
    fail(out, "resolved endpoint does not parse again", res ? curl_url_strerror(uc) : NULL);
    goto done;
  }
  out->same_origin = same_origin(base, res);
  rc = 0;
done:
  curl_url_cleanup(base);
  curl_url_cleanup(res);
  free(refz);
  return rc;
}

void endpoint_url_free(endpoint_url *u) {
  free(u->url);
  u->url = NULL;
}

/* Lower-cases ASCII letters in place (hosts and schemes compare so). */
static void ascii_lower(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z')
      *s = (char)(*s - 'A' + 'a');
}

int endpoint_url_origin(const char *url, char out[ENDPOINT_URL_ORIGIN_MAX]) {
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL;
  int rc = -1;
  out[0] = '\0';
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      (scheme = url_part(u, CURLUPART_SCHEME)) && (host = url_part(u, CURLUPART_HOST)) &&
      (port = url_part(u, CURLUPART_PORT))) {
    ascii_lower(scheme);
    ascii_lower(host);
    int web = !strcmp(scheme, "http") || !strcmp(scheme, "https");
    int n = snprintf(out, ENDPOINT_URL_ORIGIN_MAX, "%s://%s:%s", scheme, host, port);
    rc = web && n > 0 && n < ENDPOINT_URL_ORIGIN_MAX ? 0 : -1;
  }
  if (rc)
    out[0] = '\0';
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return rc;
}

int endpoint_url_http_host_port(const char *url, char *host, size_t hostlen, int *port) {
  CURLU *u = curl_url();
  char *scheme = NULL, *h = NULL, *p = NULL;
  int rc = -1;
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK && !strcmp(scheme, "http") &&
      curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    size_t n = strlen(h);
    int bracketed = n > 1 && h[0] == '[' && h[n - 1] == ']';
    int w = snprintf(host, hostlen, "%.*s", (int)(bracketed ? n - 2 : n), h + bracketed);
    *port = atoi(p);
    rc = w >= 0 && (size_t)w < hostlen ? 0 : -1;
  }
  curl_free(scheme);
  curl_free(h);
  curl_free(p);
  curl_url_cleanup(u);
  return rc;
}

char *endpoint_url_via_local(const char *url, int port) {
  CURLU *u = curl_url();
  char ports[16], *s = NULL, *out = NULL;
  snprintf(ports, sizeof ports, "%d", port);
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_HOST, "127.0.0.1", 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_PORT, ports, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
    out = strdup(s);
  curl_free(s);
  curl_url_cleanup(u);
  return out;
}

/* A part of u as a malloc'd string (curl_free'd here), NULL when absent. */
static char *part_copy(CURLU *u, CURLUPart part, unsigned flags) {
  char *v = NULL, *out = NULL;
  if (curl_url_get(u, part, &v, flags) == CURLUE_OK && v)
    out = strdup(v);
  curl_free(v);
  return out;
}

int endpoint_url_userinfo_get(const char *url, endpoint_url_userinfo *out) {
  CURLU *u = url ? curl_url() : NULL;
  memset(out, 0, sizeof *out);
  int rc = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK ? 0 : -1;
  if (!rc) {
    out->user = part_copy(u, CURLUPART_USER, 0);
    out->password = part_copy(u, CURLUPART_PASSWORD, 0);
    out->password_encoded = part_copy(u, CURLUPART_PASSWORD, CURLU_URLENCODE);
  }
  curl_url_cleanup(u);
  return rc;
}

void endpoint_url_userinfo_free(endpoint_url_userinfo *u) {
  free(u->user);
  free(u->password);
  free(u->password_encoded);
  memset(u, 0, sizeof *u);
}
