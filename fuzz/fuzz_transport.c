/*
 * fuzz_transport: server bytes into the harness's libcurl client.
 *
 * As in curl-fuzzer, no network is used: the input (after one mode byte) is
 * the whole HTTP response of a "server" on an abstract unix socket (see
 * below), followed by the end of the connection: status line, headers, a
 * body that may be chunked, SSE or JSON.
 *   mode & 1 == 0  GET with Accept: text/event-stream (a stream)
 *   mode & 1 == 1  POST of an initialize request (JSON or SSE reply)
 * Oracles: no crash, leak or UB in client.c, sse.c and the caps; the
 * transfer ends before its deadline once the server has closed; no more
 * events are kept than MCPWIRE_STREAM_EVENTS_MAX, and every kept event has
 * its strings; and for a plain response (exactly PLAIN_SSE_HEAD, then the
 * body until close) that ended without error, the events kept are exactly
 * those our parser finds in the body: no byte lost, added or reordered.
 */
#include <curl/curl.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mcpwire_limits.h"
#include "transport/client.h"
#include "transport/transcript.h"
#include "sse_event_log.h"

/* Long enough never to fire on a loaded machine, short enough to be a hang. */
enum { TRANSFER_DEADLINE_MS = 5000 };

/* The "server": a listening socket in the abstract unix namespace (no file,
 * no network), bound once. libcurl connects to it (CURLOPT_ABSTRACT_UNIX_SOCKET);
 * once connected, before it sends the request, CURLOPT_PREREQFUNCTION runs
 * and we accept, write the whole response and shut the write side.
 * (curl-fuzzer hands libcurl a socketpair through CURLOPT_OPENSOCKETFUNCTION
 * instead, but libcurl 7.88 ignores CURL_SOCKOPT_ALREADY_CONNECTED and
 * connect()s the socket anyway: curl issue #10626, fixed in 8.0.) */
static int listener = -1;
static char listener_name[64];

typedef struct wire {
  const uint8_t *bytes;
  size_t len;
  int served;        /* accepted fd, -1 before */
} wire;

static int listen_once(void) {
  if (listener >= 0)
    return 0;
  listener = socket(AF_UNIX, SOCK_STREAM, 0);
  if (listener < 0)
    return -1;
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  snprintf(listener_name, sizeof listener_name, "mcpwire-fuzz-transport-%ld", (long)getpid());
  memcpy(a.sun_path + 1, listener_name, strlen(listener_name));
  socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(listener_name));
  if (bind(listener, (struct sockaddr *)&a, alen) || listen(listener, 8)) {
    close(listener);
    listener = -1;
    return -1;
  }
  fcntl(listener, F_SETFL, O_NONBLOCK);
  return 0;
}

/* Connected, request not yet sent: the server answers all at once. */
static int serve(void *user, char *conn_ip, char *local_ip, int conn_port, int local_port) {
  wire *w = user;
  (void)conn_ip;
  (void)local_ip;
  (void)conn_port;
  (void)local_port;
  if (w->served >= 0)
    return CURL_PREREQFUNC_ABORT; /* one connection per input */
  w->served = accept(listener, NULL, NULL);
  if (w->served < 0)
    return CURL_PREREQFUNC_ABORT;
  fcntl(w->served, F_SETFL, O_NONBLOCK);
  size_t off = 0;
  while (off < w->len) {
    ssize_t n = write(w->served, w->bytes + off, w->len - off);
    if (n <= 0)
      break; /* past the socket buffer: the rest is cut off */
    off += (size_t)n;
  }
  shutdown(w->served, SHUT_WR);
  return CURL_PREREQFUNC_OK;
}

/* Connections libcurl made that never reached serve() must not be served
 * to the next input. */
static void drain_backlog(void) {
  int fd;
  while ((fd = accept(listener, NULL, NULL)) >= 0)
    close(fd);
}

/* A response that is exactly this header block, then the body until the
 * connection closes, hands the body to the SSE parser byte for byte. */
static const char PLAIN_SSE_HEAD[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";

/* Type and id are kept as C strings by the client: compare up to a NUL. */
static void log_event_cstr(sse_event_log *log, const char *type, size_t type_len,
                           const char *data, size_t data_len, const char *id, size_t id_len) {
  const char *nul = memchr(type, '\0', type_len);
  sse_event_log_event(log, type, nul ? (size_t)(nul - type) : type_len, data, data_len, id,
                      id_len);
}

static void on_expected_event(void *user, const sse_event *ev) {
  log_event_cstr(user, ev->type, ev->type_len, ev->data, ev->data_len, ev->last_event_id,
                 ev->last_event_id_len);
}

/* The events our parser finds in the body, as the client must keep them. */
static void expected_events(sse_event_log *want, const uint8_t *body, size_t len) {
  sse_callbacks cb = {on_expected_event, NULL, NULL};
  sse_parser *p = sse_parser_new(&cb, want, 0, 0);
  if (!p)
    abort();
  sse_feed(p, body, len);
  sse_finish(p);
  sse_parser_free(p);
}

static void check_events(http_stream *s, const uint8_t *response, size_t len) {
  sse_event_log got;
  sse_event_log_init(&got, SSE_LOG_EXACT);
  size_t seen = 0;
  const stream_event *ev;
  /* A deadline in the past: only what already arrived. */
  while ((ev = http_stream_next_event(s, clock_ms() - 1)) != NULL) {
    if (!ev->type || !ev->id || (!ev->data && ev->data_len))
      abort();
    log_event_cstr(&got, ev->type, strlen(ev->type), ev->data, ev->data_len, ev->id,
                   strlen(ev->id));
    seen++;
  }
  if (seen > MCPWIRE_STREAM_EVENTS_MAX || s->nevents > MCPWIRE_STREAM_EVENTS_MAX) {
    fprintf(stderr, "ORACLE MISMATCH: %zu events kept, cap %d\n", seen,
            MCPWIRE_STREAM_EVENTS_MAX);
    abort();
  }
  size_t head = sizeof PLAIN_SSE_HEAD - 1;
  if (len >= head && !memcmp(response, PLAIN_SSE_HEAD, head) && !http_stream_error(s)[0]) {
    sse_event_log want;
    sse_event_log_init(&want, SSE_LOG_EXACT);
    expected_events(&want, response + head, len - head);
    if (!sse_event_log_equal(&want, &got))
      sse_event_log_die("the client kept other events than the body holds", &want, &got);
    sse_event_log_free(&want);
  }
  sse_event_log_free(&got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  return listen_once();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  if (listen_once())
    abort();
  wire w = {data + 1, size - 1, -1};
  static const char *const sse_accept[] = {"Accept: text/event-stream", NULL};
  static const char *const post_headers[] = {
      "Accept: application/json, text/event-stream", "Content-Type: application/json", NULL};
  static const char init[] =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}";
  http_request req = {"GET", "http://127.0.0.1:9/mcp", sse_accept, NULL, 0};
  if (data[0] & 1) {
    req.method = "POST";
    req.extra_headers = post_headers;
    req.body = init;
    req.body_len = sizeof init - 1;
  }
  static transport_options opt;
  if (!opt.origins.nhome)
    origin_policy_add(&opt.origins, "http://127.0.0.1:9/", 0);
  transcript log;
  transcript_init(&log);
  client *c = client_new(&opt, &log);
  http_stream *s = c ? client_start(c, &req) : NULL;
  if (s) {
    curl_easy_setopt(s->easy, CURLOPT_ABSTRACT_UNIX_SOCKET, listener_name);
    curl_easy_setopt(s->easy, CURLOPT_PREREQFUNCTION, serve);
    curl_easy_setopt(s->easy, CURLOPT_PREREQDATA, &w);
    if (getenv("MCPWIRE_FUZZ_TRANSCRIPT"))
      curl_easy_setopt(s->easy, CURLOPT_VERBOSE, 1L);
    if (http_stream_wait_done(s, clock_ms() + TRANSFER_DEADLINE_MS) != 0) {
      fprintf(stderr, "ORACLE MISMATCH: the transfer did not end after the server closed\n");
      abort();
    }
    size_t count = 0;
    (void)http_stream_header(s, "content-type", &count);
    (void)http_stream_is_event_stream(s);
    (void)http_stream_error(s);
    check_events(s, data + 1, size - 1);
  }
  if (c)
    client_free(c);
  if (getenv("MCPWIRE_FUZZ_TRANSCRIPT")) /* debugging: what the client saw */
    fprintf(stderr, "%s\n", dynbuf_str(&log.text));
  transcript_free(&log);
  if (w.served >= 0)
    close(w.served);
  drain_backlog();
  return 0;
}
