/* endpoint_url: resolution of the legacy `endpoint` event's URI-reference. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codec/endpoint_url.h"

static const char *STREAM = "http://127.0.0.1:8080/mcp/sse?x=1";

/* Resolves ref against STREAM; returns the URL (static copy) or the error. */
static const char *resolve(const char *base, const char *ref, int *same, int *rc) {
  static char text[512];
  endpoint_url u;
  *rc = endpoint_url_resolve(base, ref, strlen(ref), &u);
  *same = u.same_origin;
  snprintf(text, sizeof text, "%s", *rc == 0 ? u.url : u.error);
  endpoint_url_free(&u);
  return text;
}

static void endpoint_resolves_absolute_path_against_stream(void) {
  int same, rc;
  CHECK_STR(resolve(STREAM, "/messages?sessionId=abc", &same, &rc),
            "http://127.0.0.1:8080/messages?sessionId=abc");
  CHECK_INT(rc, 0);
  CHECK_INT(same, 1);
}

static void endpoint_resolves_relative_path_against_stream_directory(void) {
  int same, rc;
  CHECK_STR(resolve(STREAM, "messages?s=1", &same, &rc),
            "http://127.0.0.1:8080/mcp/messages?s=1");
  CHECK_INT(same, 1);
  CHECK_STR(resolve(STREAM, "../up", &same, &rc), "http://127.0.0.1:8080/up");
}

static void endpoint_absolute_same_origin_with_explicit_default_port(void) {
  int same, rc;
  CHECK_STR(resolve("http://Example.com/sse", "http://example.com:80/post", &same, &rc),
            "http://example.com:80/post");
  CHECK_INT(rc, 0);
  CHECK_INT(same, 1);
}

static void endpoint_other_port_or_host_or_scheme_is_cross_origin(void) {
  int same, rc;
  resolve(STREAM, "http://127.0.0.1:9090/messages", &same, &rc);
  CHECK_INT(rc, 0);
  CHECK_INT(same, 0);
  resolve(STREAM, "http://localhost:8080/messages", &same, &rc);
  CHECK_INT(same, 0);
  resolve(STREAM, "https://127.0.0.1:8080/messages", &same, &rc);
  CHECK_INT(same, 0);
}

static void endpoint_rejects_control_bytes_and_spaces_with_offset(void) {
  int same, rc;
  CHECK_STR(resolve(STREAM, "/a\nb", &same, &rc),
            "endpoint contains control byte 0x0a at offset 2");
  CHECK_INT(rc, -1);
  CHECK_STR(resolve(STREAM, "/a b", &same, &rc), "endpoint contains a space at offset 2");
  CHECK_STR(resolve(STREAM, "", &same, &rc), "endpoint is empty");
}

static void endpoint_rejects_embedded_nul(void) {
  endpoint_url u;
  CHECK_INT(endpoint_url_resolve(STREAM, "/a\0b", 4, &u), -1);
  CHECK_STR(u.error, "endpoint contains control byte 0x00 at offset 2");
  CHECK(u.url == NULL);
  endpoint_url_free(&u);
}

static void endpoint_rejects_non_http_scheme(void) {
  int same, rc;
  CHECK_STR(resolve(STREAM, "ftp://127.0.0.1/x", &same, &rc),
            "endpoint scheme 'ftp' is not http or https");
  CHECK_INT(rc, -1);
}

static void endpoint_rejects_relative_stream_url(void) {
  int same, rc;
  const char *err = resolve("/not-absolute", "/x", &same, &rc);
  CHECK_INT(rc, -1);
  CHECK(!strncmp(err, "stream URL is not an absolute URL: ", 35));
}

/* A numeric host that arrives percent-encoded: libcurl rebuilds "//%36" as
 * "https://6/" and only a second parse makes it "https://0.0.0.6/"; the URL
 * returned is the settled one, which resolves to itself (found by
 * fuzz_endpoint_url; fuzz/corpus/fuzz_endpoint_url/regress-percent-encoded-numeric-host). */
static void endpoint_percent_encoded_numeric_host_settles(void) {
  int same, rc;
  CHECK_STR(resolve("https://example.com/sse", "//%36", &same, &rc), "https://0.0.0.6/");
  CHECK_INT(rc, 0);
  CHECK_INT(same, 0);
  CHECK_STR(resolve("https://example.com/sse", "https://0.0.0.6/", &same, &rc),
            "https://0.0.0.6/");
  CHECK_STR(resolve(STREAM, "//%30x7f.1:8080/m", &same, &rc), "http://127.0.0.1:8080/m");
  CHECK_INT(same, 1);
}

/* libcurl 7.88 re-encodes a handle's host in place when the URL is fetched
 * ("%" becomes "%25"), so the origin must come from a fresh parse: a host
 * "%" is still the stream's origin (found by fuzz_endpoint_url;
 * fuzz/corpus/fuzz_endpoint_url/regress-percent-host-origin). */
static void endpoint_percent_host_keeps_its_origin(void) {
  int same, rc;
  CHECK_STR(resolve("http://%25/", "/x", &same, &rc), "http://%25/x");
  CHECK_INT(rc, 0);
  CHECK_INT(same, 1);
  CHECK_STR(resolve("http:/%", "/..x", &same, &rc), "http://%25/..x");
  CHECK_INT(same, 1);
}

/* The fault proxy's view of a target: host and port, and the URL through it. */
static void http_host_port_and_local_proxy_url(void) {
  char host[64];
  int port = 0;
  CHECK_INT(endpoint_url_http_host_port("http://example.com/mcp?x=1", host, sizeof host, &port), 0);
  CHECK_STR(host, "example.com");
  CHECK_INT(port, 80);
  CHECK_INT(endpoint_url_http_host_port("http://[::1]:3000/mcp", host, sizeof host, &port), 0);
  CHECK_STR(host, "::1");
  CHECK_INT(port, 3000);
  CHECK_INT(endpoint_url_http_host_port("https://example.com/mcp", host, sizeof host, &port), -1);
  CHECK_INT(endpoint_url_http_host_port("http://a-long-host.example/", host, 8, &port), -1);
  char *via = endpoint_url_via_local("http://example.com:8080/mcp?s=1", 4321);
  CHECK_STR(via ? via : "", "http://127.0.0.1:4321/mcp?s=1");
  free(via);
}

/* The URL's credentials, for redaction (transport/redact.c). */
static void userinfo_as_the_url_holds_it(void) {
  endpoint_url_userinfo ui;
  CHECK_INT(endpoint_url_userinfo_get("http://al%40ce:p%20w@example.com/mcp", &ui), 0);
  CHECK_STR(ui.user ? ui.user : "", "al%40ce");
  CHECK_STR(ui.password ? ui.password : "", "p%20w");
  CHECK_STR(ui.password_encoded ? ui.password_encoded : "", "p%20w");
  endpoint_url_userinfo_free(&ui);
  CHECK_INT(endpoint_url_userinfo_get("http://example.com/mcp", &ui), 0);
  CHECK(!ui.user && !ui.password && !ui.password_encoded);
  CHECK_INT(endpoint_url_userinfo_get("not a url", &ui), -1);
  CHECK(!ui.user && !ui.password && !ui.password_encoded);
}

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  http_host_port_and_local_proxy_url();
  userinfo_as_the_url_holds_it();
  endpoint_resolves_absolute_path_against_stream();
  endpoint_resolves_relative_path_against_stream_directory();
  endpoint_absolute_same_origin_with_explicit_default_port();
  endpoint_other_port_or_host_or_scheme_is_cross_origin();
  endpoint_rejects_control_bytes_and_spaces_with_offset();
  endpoint_rejects_embedded_nul();
  endpoint_rejects_non_http_scheme();
  endpoint_rejects_relative_stream_url();
  endpoint_percent_encoded_numeric_host_settles();
  endpoint_percent_host_keeps_its_origin();
  curl_global_cleanup();
  return CHECK_DONE("endpoint_url_test");
}
