/* transport: stream caps, NULL-safe waits, unreachable detection, deadlines. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "mcpwire_limits.h"
#include "transport/client.h"
#include "transport/rpc.h"

static const transport_options OPT = {.nheaders = 0};

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
  client *c = client_new(&opt, &t);
  static const char *const extra[] = {"Accept: text/event-stream", "Content-Type: a/b", NULL};
  http_request req = {"GET", "http://127.0.0.1:1/", extra, NULL, 0};
  CHECK(client_start(c, &req) != NULL);
  const char *log = dynbuf_str(&t.text);
  CHECK(strstr(log, "> Accept: text/event-stream") == NULL);
  CHECK(strstr(log, "> accept: application/json") != NULL);
  CHECK(strstr(log, "> Content-Type: a/b") != NULL);
  CHECK(strstr(log, "> X-Extra: 1") != NULL);
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
  client *c = client_new(&OPT, &t);
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/mcp", port);
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

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  client_refuses_streams_past_the_cap();
  released_streams_free_their_place();
  waits_on_a_failed_start_return_at_once();
  refused_connection_is_unreachable_with_a_reason();
  client_wait_returns_at_its_deadline();
  custom_header_replaces_the_transport_value();
  event_stream_without_bytes_has_zero_stats();
  curl_global_cleanup();
  return CHECK_DONE("transport_test");
}
