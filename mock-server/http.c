/*
 * http.c: evhttp glue. Listening, routing by path, reply helpers, and the
 * Host / Origin checks every transport shares.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "mock.h"

static void route(struct evhttp_request *req, void *arg) {
  (void)arg;
  if (!conn_admit(req))
    return;
  const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
  if (!path)
    path = "";
  if (!strcmp(path, "/mcp"))
    streamable_handle(req);
  else if (!strcmp(path, "/sse") && the_mock.opt.eras != ERAS_MODERN)
    legacy_handle_sse(req);
  else if (!strcmp(path, "/message") && the_mock.opt.eras != ERAS_MODERN)
    legacy_handle_message(req);
  else
    http_reply(req, 404, "Not Found", "text/plain", "not found\n", 10);
}

/* Prints the one line tests and users wait for; 0 on success. */
static int announce(struct evhttp_bound_socket *bound) {
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&ss, &sl))
    return -1;
  if (ss.ss_family == AF_INET6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    port = ntohs(a->sin6_port);
    printf("listening http://[%s]:%d\n", host, port);
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    port = ntohs(a->sin_port);
    printf("listening http://%s:%d\n", host, port);
  }
  return fflush(stdout) ? -1 : 0;
}

/* Binds one more port to the one evhttp (same sessions) and announces it. */
static int listen_on(int port) {
  mock *m = &the_mock;
  struct evhttp_bound_socket *bound =
      evhttp_bind_socket_with_handle(m->http, m->opt.bind, (ev_uint16_t)port);
  if (!bound) {
    fprintf(stderr, "mcpwire-mock: cannot listen on %s:%d\n", m->opt.bind, port);
    return -1;
  }
  return announce(bound);
}

int http_start(void) {
  mock *m = &the_mock;
  m->http = evhttp_new(m->base);
  if (!m->http)
    return -1;
  evhttp_set_max_body_size(m->http, MCPWIRE_MOCK_BODY_MAX);
  evhttp_set_max_headers_size(m->http, MCPWIRE_MOCK_HEADERS_MAX);
  evhttp_set_timeout(m->http, m->opt.read_timeout_s);
  /* Every method reaches route(), so /mcp can answer 405 itself. */
  evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                          EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                          EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
  evhttp_set_gencb(m->http, route, NULL);
  if (listen_on(m->opt.port))
    return -1;
  for (int i = 0; i < m->opt.nextra_ports; i++)
    if (listen_on(m->opt.extra_ports[i]))
      return -1;
  return 0;
}

void http_stop(void) {
  if (the_mock.http)
    evhttp_free(the_mock.http);
  the_mock.http = NULL;
  conn_free_all();
}

const char *http_header(struct evhttp_request *req, const char *name) {
  return evhttp_find_header(evhttp_request_get_input_headers(req), name);
}

void http_reply(struct evhttp_request *req, int code, const char *reason,
                const char *ctype, const char *body, size_t len) {
  struct evbuffer *buf = evbuffer_new();
  struct evkeyvalq *h = evhttp_request_get_output_headers(req);
  if (ctype)
    evhttp_add_header(h, "Content-Type", ctype);
  if (buf && body && len)
    evbuffer_add(buf, body, len);
  evhttp_send_reply(req, code, reason, buf);
  if (buf)
    evbuffer_free(buf);
}

void http_reply_rpc_error(struct evhttp_request *req, int code, const char *reason,
                          long rpc_code, const char *message) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_BODY_MAX);
  rpc_error(&b, NULL, 0, rpc_code, message);
  http_reply(req, code, reason, "application/json", b.ptr, b.len);
  dynbuf_free(&b);
}

/* h names the --bind address ("[::2]" for IPv6); a wildcard bind names
 * no host. */
static int host_is_bind(const char *h, size_t n) {
  const char *b = the_mock.opt.bind;
  size_t bl = strlen(b);
  if (!strcmp(b, "0.0.0.0") || !strcmp(b, "::"))
    return 0;
  if (strchr(b, ':')) /* IPv6: compare inside the brackets */
    return n == bl + 2 && h[0] == '[' && !strncasecmp(h + 1, b, bl);
  return n == bl && !strncasecmp(h, b, n);
}

/* localhost, 127.0.0.1, [::1] or the address we were told to bind. */
static int host_is_local(const char *h, size_t n) {
  static const char *const ok[] = {"localhost", "127.0.0.1", "[::1]"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (strlen(ok[i]) == n && !strncasecmp(h, ok[i], n))
      return 1;
  return host_is_bind(h, n);
}

/* "host[:port]" with a local host. */
static int authority_is_local(const char *a) {
  const char *end = a[0] == '[' ? strchr(a, ']') : strchr(a, ':');
  size_t n = end ? (size_t)(end - a) + (a[0] == '[') : strlen(a);
  const char *rest = a + n;
  if (*rest == ':') {
    rest++;
    if (!*rest)
      return 0;
    while (*rest >= '0' && *rest <= '9')
      rest++;
  }
  return !*rest && host_is_local(a, n);
}

static int origin_is_local(const char *o) {
  if (!strncasecmp(o, "http://", 7))
    return authority_is_local(o + 7);
  if (!strncasecmp(o, "https://", 8))
    return authority_is_local(o + 8);
  return 0;
}

/* The request's bearer token, or NULL (scheme matched case-insensitively). */
static const char *bearer_token(struct evhttp_request *req) {
  const char *a = http_header(req, "Authorization");
  if (!a || strncasecmp(a, "Bearer ", 7))
    return NULL;
  a += 7;
  while (*a == ' ')
    a++;
  return *a ? a : NULL;
}

/* With --bearer: is the request authorized? A fault may widen what passes. */
static int authorized(struct evhttp_request *req) {
  const char *token = bearer_token(req);
  if (token && (!strcmp(token, the_mock.opt.bearer) || fault_on(FAULT_AUTH_ANY_TOKEN)))
    return 1;
  const char *sid = http_header(req, "Mcp-Session-Id");
  return fault_on(FAULT_AUTH_SESSION_IS_CREDENTIAL) && sid && session_find(sid);
}

/* 401 with a Bearer challenge naming the resource metadata (RFC 9728), and
 * error="invalid_token" when a token was sent (RFC 6750). */
static void reply_unauthorized(struct evhttp_request *req) {
  if (!fault_on(FAULT_AUTH_NO_CHALLENGE)) {
    char challenge[512];
    const char *host = http_header(req, "Host");
    snprintf(challenge, sizeof challenge,
             "Bearer resource_metadata=\"http://%s/.well-known/oauth-protected-resource\"%s",
             host && strlen(host) < 200 ? host : "127.0.0.1",
             bearer_token(req) ? ", error=\"invalid_token\"" : "");
    evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate", challenge);
  }
  http_reply_rpc_error(req, 401, "Unauthorized", JSONRPC_INVALID_REQUEST, "Unauthorized");
}

int http_check_security(struct evhttp_request *req) {
  const char *host = http_header(req, "Host");
  const char *origin = http_header(req, "Origin");
  if (host && !fault_on(FAULT_NO_HOST_CHECK) && !authority_is_local(host)) {
    http_reply_rpc_error(req, 403, "Forbidden", JSONRPC_INVALID_REQUEST,
                         "Host not allowed (DNS rebinding protection)");
    return 0;
  }
  int bad = origin ? !origin_is_local(origin) : fault_on(FAULT_ORIGIN_REQUIRED);
  if (bad && fault_on(FAULT_S26_ORIGIN_UNCHECKED) && stateless_headers(req))
    bad = 0; /* the fault spares requests that look stateless */
  if (bad && !fault_on(FAULT_NO_ORIGIN_CHECK)) {
    int wrong = fault_on(FAULT_ORIGIN_WRONG_STATUS);
    http_reply_rpc_error(req, wrong ? 400 : 403, wrong ? "Bad Request" : "Forbidden",
                         JSONRPC_INVALID_REQUEST, "Origin not allowed");
    return 0;
  }
  if (the_mock.opt.bearer && !authorized(req)) {
    reply_unauthorized(req);
    return 0;
  }
  return 1;
}

int http_accepts(struct evhttp_request *req, const char *type) {
  const char *a = http_header(req, "Accept");
  return a && strstr(a, type) != NULL;
}

char *http_body(struct evhttp_request *req, size_t *len) {
  struct evbuffer *in = evhttp_request_get_input_buffer(req);
  size_t n = evbuffer_get_length(in);
  char *p = malloc(n + 1);
  if (!p)
    return NULL;
  evbuffer_copyout(in, p, n);
  p[n] = '\0';
  *len = n;
  return p;
}
