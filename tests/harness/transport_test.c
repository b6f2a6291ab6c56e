/* transport: stream caps, NULL-safe waits, unreachable detection, deadlines. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "mcpwire_limits.h"
#include "transport/client.h"
#include "transport/rpc.h"

/* Every test here talks to 127.0.0.1; main() adds the ports to OPT's home origins. */
static transport_options OPT = {.nheaders = 0};

static void client_refuses_streams_past_the_cap(void) {
  transcript t;
  transcript_init(&t);
  client *c = client_new(&OPT, &t);
  http_request req = {"GET", "http://127.0.0.1:1/", NULL, NULL, 0};
  size_t started = 0;
  for (size_t i = 0; i < MCPWIRE_STREAMS_PER_CASE_MAX + 3; i++)
    if (client_start(c, &req))
      started++;
  CHECK_INT(started, MCPWIRE_STREAMS_PER_CASE_MAX);
  CHECK(strstr(dynbuf_str(&t.text), "MCPWIRE_STREAMS_PER_CASE_MAX reached") != NULL);
  client_free(c);
  transcript_free(&t);
}

/* A released stream frees its place under the cap; numbering goes on. */
static void released_streams_free_their_place(void) {
  transcript t;
  transcript_init(&t);
  client *c = client_new(&OPT, &t);
  http_request req = {"GET", "http://127.0.0.1:1/", NULL, NULL, 0};
  http_stream *s[MCPWIRE_STREAMS_PER_CASE_MAX];
  for (size_t i = 0; i < MCPWIRE_STREAMS_PER_CASE_MAX; i++)
    CHECK((s[i] = client_start(c, &req)) != NULL);
  CHECK(client_start(c, &req) == NULL);
  client_release(s[3]);
  client_release(NULL);
  http_stream *again = client_start(c, &req);
  CHECK(again != NULL);
  if (again)
    CHECK_INT(again->index, MCPWIRE_STREAMS_PER_CASE_MAX + 1);
  CHECK(!http_stream_has_event(again));
  CHECK(http_stream_take_event(again) == NULL);
  CHECK(http_stream_take_event(NULL) == NULL);
  CHECK(client_start(c, &req) == NULL);
  client_free(c);
  transcript_free(&t);
}

static void waits_on_a_failed_start_return_at_once(void) {
  CHECK_INT(http_stream_wait_headers(NULL, clock_ms() + 60000), -1);
  CHECK_INT(http_stream_wait_done(NULL, clock_ms() + 60000), -1);
  CHECK(http_stream_next_event(NULL, clock_ms() + 60000) == NULL);
}

static void refused_connection_is_unreachable_with_a_reason(void) {
  transcript t;
  transcript_init(&t);
  client *c = client_new(&OPT, &t);
  static const char *const extra[] = {"Accept: text/event-stream", NULL};
  http_request req = {"GET", "http://127.0.0.1:1/mcp", extra, NULL, 0};
  http_stream *s = client_start(c, &req);
  CHECK(s != NULL);
  CHECK_INT(http_stream_wait_done(s, clock_ms() + 10000), 0);
  CHECK(http_stream_unreachable(s));
  CHECK(strlen(http_stream_error(s)) > 0);
  CHECK_INT(s->status, 0);
  rpc_failure f = {{0}};
  CHECK(rpc_await_response(s, "1", clock_ms() + 1000, &f, NULL) == NULL);
  CHECK(strstr(f.why, "no response") != NULL);
  const char *log = dynbuf_str(&t.text);
  CHECK(strstr(log, "#1 > GET http://127.0.0.1:1/mcp") != NULL);
  CHECK(strstr(log, "#1 > Accept: text/event-stream") != NULL);
  client_free(c);
  transcript_free(&t);
}

static void custom_header_replaces_the_transport_value(void) {
  transcript t;
  transcript_init(&t);
  transport_options opt = {.headers = {"accept: application/json", "X-Extra: 1"}, .nheaders = 2};
  CHECK_INT(origin_policy_add(&opt.origins, "http://127.0.0.1:1/", 0), 0);
  client *c = client_new(&opt, &t);
  static const char *const extra[] = {"Accept: text/event-stream", "Content-Type: a/b", NULL};
  http_request req = {"GET", "http://127.0.0.1:1/", extra, NULL, 0};
  CHECK(client_start(c, &req) != NULL);
  const char *log = dynbuf_str(&t.text);
  CHECK(strstr(log, "> Accept: text/event-stream") == NULL);
  CHECK(strstr(log, "> accept: application/json") != NULL);
  CHECK(strstr(log, "> Content-Type: a/b") != NULL);
  /* A user header's value never reaches the transcript (redact.h). */
  CHECK(strstr(log, "> X-Extra: 1") == NULL);
  CHECK(strstr(log, "> X-Extra: *** (1 bytes, fp ") != NULL);
  client_free(c);
  transcript_free(&t);
}

static int never(void *arg) {
  (void)arg;
  return 0;
}

static void client_wait_returns_at_its_deadline(void) {
  transcript t;
  transcript_init(&t);
  client *c = client_new(&OPT, &t);
  double t0 = clock_ms();
  CHECK_INT(client_wait(c, never, NULL, t0 + 150), -1);
  double took = clock_ms() - t0;
  CHECK(took >= 150);
  CHECK(took < 150 + 2000); /* generous: a loaded machine, never a hang */
  client_free(c);
  transcript_free(&t);
}

/* A loopback server in the test's own thread: answers the first request
 * with event-stream headers and no body, driven from client_wait. */
typedef struct {
  int listener, conn;
  http_stream *s;
} silent_sse;

static int silent_sse_step(void *arg) {
  silent_sse *srv = arg;
  if (srv->conn < 0 && (srv->conn = accept(srv->listener, NULL, NULL)) >= 0) {
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                               "Cache-Control: no-cache\r\n\r\n";
    CHECK(write(srv->conn, head, sizeof head - 1) == (ssize_t)(sizeof head - 1));
  }
  return srv->s->headers_done;
}

static int silent_sse_listen(int *port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 4) ||
      getsockname(fd, (struct sockaddr *)&a, &len) || fcntl(fd, F_SETFL, O_NONBLOCK)) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  *port = ntohs(a.sin_port);
  return fd;
}

static void event_stream_without_bytes_has_zero_stats(void) {
  int port = 0;
  silent_sse srv = {silent_sse_listen(&port), -1, NULL};
  CHECK(srv.listener >= 0);
  if (srv.listener < 0)
    return;
  transcript t;
  transcript_init(&t);
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/mcp", port);
  transport_options opt = OPT;
  CHECK_INT(origin_policy_add(&opt.origins, url, 0), 0);
  client *c = client_new(&opt, &t);
  http_request req = {"GET", url, NULL, NULL, 0};
  srv.s = client_start(c, &req);
  CHECK(srv.s != NULL);
  if (srv.s) {
    CHECK_INT(client_wait(c, silent_sse_step, &srv, clock_ms() + 10000), 0);
    CHECK_INT(srv.s->status, 200);
    CHECK(http_stream_is_event_stream(srv.s));
    const sse_stats *st = http_stream_sse_stats(srv.s);
    CHECK(st != NULL);
    CHECK_INT(st ? st->events + st->comments + st->bytes : 1, 0);
  }
  client_free(c);
  transcript_free(&t);
  if (srv.conn >= 0)
    close(srv.conn);
  close(srv.listener);
}

/* A loopback server that writes one canned response and closes. */
typedef struct {
  int listener, conn;
  const char *response;
} canned;

static int canned_step(void *arg) {
  canned *srv = arg;
  if (srv->conn < 0 && (srv->conn = accept(srv->listener, NULL, NULL)) >= 0) {
    size_t n = strlen(srv->response);
    CHECK(write(srv->conn, srv->response, n) == (ssize_t)n);
    shutdown(srv->conn, SHUT_WR);
  }
  return srv->conn >= 0;
}

/* Raw mode: the wire keeps the head and the chunk framing, the parser gets
 * the body de-chunked (an event split across chunks, a chunk extension). */
static void raw_mode_keeps_the_wire_and_parses_the_body(void) {
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n";
  static const char body[] = "d\r\nid: 1\ndata: {\r\n"
                             "19;x=y\r\n\"jsonrpc\":\"2.0\",\"id\":1}\n\n\r\n"
                             "7\r\ndata: 2\r\n3\r\n\n\n\n\r\n0\r\n\r\n";
  char response[512];
  snprintf(response, sizeof response, "%s%s", head, body);
  int port = 0;
  canned srv = {silent_sse_listen(&port), -1, response};
  CHECK(srv.listener >= 0);
  if (srv.listener < 0)
    return;
  transcript t;
  transcript_init(&t);
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/mcp", port);
  transport_options opt = OPT;
  CHECK_INT(origin_policy_add(&opt.origins, url, 0), 0);
  client *c = client_new(&opt, &t);
  http_request req = {"POST", url, NULL, "{}", 2};
  http_stream *s = client_start_raw(c, &req, 4096);
  CHECK(s != NULL);
  if (s) {
    client_wait(c, canned_step, &srv, clock_ms() + 2000); /* sends the response */
    CHECK_INT(http_stream_wait_done(s, clock_ms() + 10000), 0);
    CHECK(http_stream_complete(s));
    CHECK_INT(s->wire_head, sizeof head - 1);
    CHECK_INT(s->wire.len, sizeof head - 1 + sizeof body - 1);
    CHECK(s->wire.ptr && !memcmp(s->wire.ptr, response, s->wire.len));
    const stream_event *a = http_stream_take_event(s), *b = http_stream_take_event(s);
    CHECK_STR(a ? a->data : "", "{\"jsonrpc\":\"2.0\",\"id\":1}");
    CHECK_STR(a ? a->id : "", "1");
    CHECK_STR(b ? b->data : "", "2");
    CHECK(http_stream_take_event(s) == NULL);
  }
  client_free(c);
  transcript_free(&t);
  if (srv.conn >= 0)
    close(srv.conn);
  close(srv.listener);
}

/* Origins: the same scheme, host and port, whatever the path or case. */
static void origins_compare_scheme_host_and_port(void) {
  origin_policy p = {0};
  CHECK_INT(origin_policy_add(&p, "http://Example.COM/mcp", 0), 0);
  CHECK_INT(origin_policy_add(&p, "https://allowed.example:8443/x", 1), 0);
  CHECK_INT(origin_policy_class(&p, "http://example.com:80/other?q=1"), ORIGIN_HOME);
  CHECK_INT(origin_policy_class(&p, "HTTP://EXAMPLE.com/"), ORIGIN_HOME);
  CHECK_INT(origin_policy_class(&p, "https://example.com/mcp"), ORIGIN_FOREIGN);  /* scheme */
  CHECK_INT(origin_policy_class(&p, "http://example.com:8080/mcp"), ORIGIN_FOREIGN);  /* port */
  CHECK_INT(origin_policy_class(&p, "http://example.com.evil/mcp"), ORIGIN_FOREIGN);
  CHECK_INT(origin_policy_class(&p, "http://user@example.org/"), ORIGIN_FOREIGN);
  CHECK_INT(origin_policy_class(&p, "https://allowed.example:8443/y"), ORIGIN_ALLOWED);
  CHECK_INT(origin_policy_class(&p, "ftp://example.com/"), ORIGIN_FOREIGN);
  CHECK_INT(origin_policy_class(&p, "not a url"), ORIGIN_FOREIGN);
  CHECK_INT(origin_policy_add(&p, "mailto:x@example.com", 0), -1);
  char o[ENDPOINT_URL_ORIGIN_MAX];
  CHECK_INT(endpoint_url_origin("http://[::1]:3000/mcp", o), 0);
  CHECK_STR(o, "http://[::1]:3000");
  CHECK_INT(endpoint_url_origin("https://Host.Example/", o), 0);
  CHECK_STR(o, "https://host.example:443");
}

/* A request to a foreign origin is refused before anything is sent; an
 * allowed one goes without the --header values. */
static void foreign_origins_get_nothing(void) {
  transcript t;
  transcript_init(&t);
  transport_options opt = {.headers = {"Authorization: Bearer sekrit-token-1"}, .nheaders = 1};
  CHECK_INT(origin_policy_add(&opt.origins, "http://127.0.0.1:1/", 0), 0);
  CHECK_INT(origin_policy_add(&opt.origins, "http://127.0.0.2:1/", 1), 0);
  client *c = client_new(&opt, &t);
  unsigned long before = client_refused_requests(NULL, 0);
  http_request foreign = {"POST", "http://127.0.0.3:1/steal", NULL, "{}", 2};
  CHECK(client_start(c, &foreign) == NULL);
  CHECK(client_refused_requests(NULL, 0) == before + 1);
  CHECK(strstr(dynbuf_str(&t.text), "! refused: POST http://127.0.0.3:1/steal") != NULL);
  http_request downgrade = {"POST", "https://127.0.0.1:1/", NULL, "{}", 2};
  CHECK(client_start(c, &downgrade) == NULL);
  http_request allowed = {"POST", "http://127.0.0.2:1/x", NULL, "{}", 2};
  http_stream *s = client_start(c, &allowed);
  CHECK(s != NULL);
  int has_auth = 0;
  for (struct curl_slist *h = s ? s->req_headers : NULL; h; h = h->next)
    has_auth |= !strncasecmp(h->data, "Authorization", 13);
  CHECK_INT(has_auth, 0);
  http_request home = {"POST", "http://127.0.0.1:1/mcp", NULL, "{}", 2};
  s = client_start(c, &home);
  has_auth = 0;
  for (struct curl_slist *h = s ? s->req_headers : NULL; h; h = h->next)
    has_auth |= !strncasecmp(h->data, "Authorization", 13);
  CHECK_INT(has_auth, 1);
  CHECK(strstr(dynbuf_str(&t.text), "sekrit-token-1") == NULL);
  CHECK(strstr(dynbuf_str(&t.text), "> Authorization: Bearer *** (14 bytes, fp ") != NULL);
  client_free(c);
  transcript_free(&t);
}

/* Header lines keep the scheme word, a length and a fingerprint; free text
 * loses every secret, however often and wherever it stands. */
static void secrets_are_redacted(void) {
  static const char *const headers[] = {"Authorization: Bearer abcdefgh12345",
                                        "X-Api-Key:   key-0000-1111 ", "Accept: text/plain",
                                        "X-Short: abc"};
  secret_list sl;
  redact_collect(&sl, headers, 4, "http://me:pass-word-9@127.0.0.1:3000/mcp");
  char line[256], again[256];
  redact_header_line(headers[0], line, sizeof line);
  CHECK(!strncmp(line, "Authorization: Bearer *** (13 bytes, fp ", 40));
  redact_header_line(headers[0], again, sizeof again);
  CHECK_STR(line, again);  /* the same value, the same fingerprint */
  redact_header_line("Authorization: Bearer abcdefgh12346", again, sizeof again);
  CHECK(strcmp(line, again) != 0);
  redact_header_line(headers[2], line, sizeof line);
  CHECK_STR(line, "Accept: text/plain");
  redact_header_line(headers[3], line, sizeof line);
  CHECK(!strncmp(line, "X-Short: *** (3 bytes", 21));
  char text[] = "a abcdefgh12345 b Bearer abcdefgh12345 c key-0000-1111d pass-word-9 "
                "bWU6cGFzcy13b3JkLTk= abc abcdefgh1234";
  size_t n = redact_scrub(&sl, text, strlen(text));
  CHECK_STR(text, "a *** b *** c ***d *** *** abc abcdefgh1234");
  CHECK_INT(n, strlen(text));
}

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CHECK_INT(origin_policy_add(&OPT.origins, "http://127.0.0.1:1/", 0), 0);
  origins_compare_scheme_host_and_port();
  foreign_origins_get_nothing();
  secrets_are_redacted();
  client_refuses_streams_past_the_cap();
  released_streams_free_their_place();
  waits_on_a_failed_start_return_at_once();
  refused_connection_is_unreachable_with_a_reason();
  client_wait_returns_at_its_deadline();
  custom_header_replaces_the_transport_value();
  event_stream_without_bytes_has_zero_stats();
  raw_mode_keeps_the_wire_and_parses_the_body();
  curl_global_cleanup();
  return CHECK_DONE("transport_test");
}
