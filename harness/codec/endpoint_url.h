/*
 * endpoint_url: the legacy HTTP+SSE `endpoint` event, resolved.
 *
 * In 2024-11-05 the server's first SSE event carries the URI the client
 * POSTs to (SSELEG-02). It is a URI-reference: absolute, or relative to the
 * stream's URL (RFC 3986 section 5). Resolution goes through libcurl's
 * curl_url API so the harness resolves exactly as its transport will
 * connect. The result also says whether the POST target shares the stream's
 * origin (scheme, host, port): a cross-origin endpoint is worth a warning.
 */
#ifndef MCPWIRE_ENDPOINT_URL_H
#define MCPWIRE_ENDPOINT_URL_H

#include <stddef.h>

typedef struct endpoint_url {
  char *url;          /* absolute URL, malloc'd; NULL on error */
  int same_origin;    /* 1 when scheme, host and port equal the stream's */
  char error[200];    /* one line when resolution failed, else "" */
} endpoint_url;

/* Resolves `ref` (ref_len bytes, need not be NUL-terminated) against the
 * absolute `stream_url`. Returns 0 on success; on failure -1 with
 * out->error set (e.g. "endpoint contains a control byte 0x0a"). */
int endpoint_url_resolve(const char *stream_url, const char *ref,
                         size_t ref_len, endpoint_url *out);
void endpoint_url_free(endpoint_url *u);

/* Longest origin text endpoint_url_origin writes, NUL included. */
#define ENDPOINT_URL_ORIGIN_MAX 320

/* The origin of an absolute http(s) URL as "scheme://host:port": scheme and
 * host in lower case, the scheme's default port filled in, IPv6 hosts in
 * brackets. Two URLs share an origin exactly when these strings are equal.
 * 0 on success; -1 when url is not an absolute http or https URL or the
 * origin does not fit in ENDPOINT_URL_ORIGIN_MAX. */
int endpoint_url_origin(const char *url, char out[ENDPOINT_URL_ORIGIN_MAX]);

/* Host (IPv6 brackets removed) and port (the scheme's default filled in)
 * of an absolute http:// URL (not https: the fault proxy speaks no TLS);
 * 0 on success, -1 otherwise or when host does not fit in hostlen. */
int endpoint_url_http_host_port(const char *url, char *host, size_t hostlen, int *port);
/* url with its host and port replaced by 127.0.0.1:port (path and query
 * kept): the URL of a local proxy in front of it. malloc'd; NULL on error. */
char *endpoint_url_via_local(const char *url, int port);

/* The credentials a URL carries (http://user:password@host/): user and
 * password as the URL holds them (percent-encoding kept), and
 * password_encoded, libcurl's URL-encoded form of the password (it differs
 * when the password holds bytes a URL must encode); each malloc'd, NULL
 * when absent. */
typedef struct endpoint_url_userinfo {
  char *user, *password, *password_encoded;
} endpoint_url_userinfo;
/* Fills out from url; 0 when url parses (credentials or not), -1 when it
 * does not (out all NULL). Free with endpoint_url_userinfo_free. */
int endpoint_url_userinfo_get(const char *url, endpoint_url_userinfo *out);
void endpoint_url_userinfo_free(endpoint_url_userinfo *u);

#endif
