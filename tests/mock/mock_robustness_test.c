/*
 * mock_robustness_test: mcpwire-mock stays up and bounded under garbage,
 * oversize bodies and headers, slow and half-open clients, and 1,000
 * concurrent SSE streams. argv[1] is the binary; argv[2] the stream count.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check.h"
#include "mcpwire_limits.h"
#include "mock_test_util.h"

static long ms_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* The server still answers a ping on a new session. */
static int still_serving(const mk_server *srv) {
  mk_sess s;
  mk_resp r;
  char buf[16];
  if (mk_init(&s, srv, "2025-11-25", NULL, 1) != 200)
    return 0;
  mk_post(&s, PING("1"), &r, NULL);
  int ok = !strcmp(reply_json(&r, "result", buf, sizeof buf), "{}");
  mk_resp_free(&r);
  return ok;
}

static void oversize_body_gets_413(const mk_server *srv) {
  size_t n = MCPWIRE_MOCK_BODY_MAX + 1;
  char *big = malloc(n + 1);
  memset(big, ' ', n);
  big[n] = '\0';
  mk_sess s;
  mk_resp r;
  mk_init(&s, srv, "2025-11-25", NULL, 1);
  mk_post(&s, big, &r, NULL);
  CHECK_INT(r.status, 413);
  mk_resp_free(&r);
  free(big);
  CHECK(still_serving(srv));
}

static void oversize_headers_are_refused(const mk_server *srv) {
  size_t n = MCPWIRE_MOCK_HEADERS_MAX + 16;
  char *h = malloc(n + 16);
  memcpy(h, "X-Big: ", 7);
  memset(h + 7, 'a', n);
  h[n + 7] = '\0';
  mk_sess s;
  mk_resp r;
  mk_init(&s, srv, "2025-11-25", NULL, 1);
  mk_post(&s, PING("1"), &r, h);
  CHECK(r.status == 0 || r.status >= 400); /* refused or dropped, never served */
  mk_resp_free(&r);
  free(h);
  CHECK(still_serving(srv));
}

/* A raw connection through libcurl (CONNECT_ONLY) that sends bytes. */
static CURL *raw_connect(const mk_server *srv, const char *bytes, size_t len) {
  CURL *c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, srv->base);
  curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (curl_easy_perform(c) != CURLE_OK) {
    curl_easy_cleanup(c);
    return NULL;
  }
  size_t sent = 0;
  long deadline = ms_now() + 2000;
  while (sent < len && ms_now() < deadline) {
    size_t n = 0;
    CURLcode rc = curl_easy_send(c, bytes + sent, len - sent, &n);
    if (rc != CURLE_OK && rc != CURLE_AGAIN)
      break;
    sent += n;
  }
  return c;
}

/* Reads until the server closes or ms pass; 1 when it closed. Any reply
 * bytes land in out (may be NULL). */
static int raw_wait_close(CURL *c, long ms, dynbuf *out) {
  long deadline = ms_now() + ms;
  char buf[4096];
  while (ms_now() < deadline) {
    size_t n = 0;
    CURLcode rc = curl_easy_recv(c, buf, sizeof buf, &n);
    if (rc == CURLE_AGAIN) {
      usleep(10000);
      continue;
    }
    if (rc != CURLE_OK || n == 0)
      return 1;
    if (out)
      dynbuf_add(out, buf, n);
  }
  return 0;
}

static void garbage_requests_get_400_or_a_close(const mk_server *srv) {
  static const char *const junk[] = {
      "\x00\x01\x02 garbage\r\n\r\n", "GET\r\n\r\n", "POST /mcp HTTP/9.9\r\n\r\n",
      "POST /mcp HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
      "POST /mcp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET /mcp HTTP/1.1\r\nHost\r\n\r\n"};
  for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
    size_t len = i == 0 ? 14 : strlen(junk[i]);
    CURL *c = raw_connect(srv, junk[i], len);
    dynbuf got;
    dynbuf_init(&got, 65536);
    CHECK(c != NULL);
    if (c)
      CHECK(raw_wait_close(c, 3000, &got) || strstr(dynbuf_str(&got), " 400 ") != NULL);
    if (c)
      curl_easy_cleanup(c);
    dynbuf_free(&got);
  }
  CHECK(still_serving(srv));
}

static void slow_and_half_open_clients_are_dropped(const mk_server *srv) {
  static const char partial[] = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le";
  CURL *slow = raw_connect(srv, partial, sizeof partial - 1);
  CURL *silent = raw_connect(srv, "", 0);
  CHECK(slow && silent);
  if (slow)
    CHECK(raw_wait_close(slow, 4000, NULL)); /* --read-timeout 1 */
  if (silent)
    CHECK(raw_wait_close(silent, 4000, NULL));
  if (slow)
    curl_easy_cleanup(slow);
  if (silent)
    curl_easy_cleanup(silent);
  CHECK(still_serving(srv));
}

/* A client that asks for 6.4 MB and reads nothing is paced (the server
 * holds back) and then dropped by the write timeout; one that reads gets it
 * all. Either way the server stays small. */
static void client_that_does_not_read_is_paced_then_dropped(const mk_server *srv) {
  mk_sess s;
  mk_init(&s, srv, "2025-11-25", NULL, 1);
  static const char call[] =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"flood\","
      "\"arguments\":{\"count\":400,\"bytes\":16000}}}";
  char req[1024];
  int n = snprintf(req, sizeof req,
                   "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json, "
                   "text/event-stream\r\nContent-Type: application/json\r\nMcp-Session-Id: %s\r\n"
                   "Content-Length: %zu\r\n\r\n%s",
                   s.id, sizeof call - 1, call);
  long rss0 = mk_rss_kib(srv);
  CURL *c = raw_connect(srv, req, (size_t)n);
  CHECK(c != NULL);
  if (!c)
    return;
  usleep(2500 * 1000); /* past the 1 s write timeout: the server gives up */
  long rss = mk_rss_kib(srv);
  CHECK(rss > 0 && rss - rss0 < 32 * 1024); /* growth, so sanitizer builds compare too */
  dynbuf got;
  dynbuf_init(&got, 16u * 1024 * 1024);
  CHECK(raw_wait_close(c, 8000, &got)); /* dropped: the stream never ends normally */
  fprintf(stderr, "non-reading client got %zu of ~6.4 MB before the drop; server RSS %ld KiB\n",
          got.len, rss);
  CHECK(got.len < 400u * 16000u);
  CHECK(!strstr(dynbuf_str(&got), "flood sent"));
  dynbuf_free(&got);
  curl_easy_cleanup(c);
  CHECK(still_serving(srv));
  mk_resp r; /* the same call read normally completes */
  mk_post_for(&s, call, &r, NULL, 10000);
  CHECK(body_has(&r, "flood sent"));
  CHECK(r.body.len > 400u * 16000u);
  mk_resp_free(&r);
}

static int has_status(void *st) { return mk_stream_status(st) != 0 || mk_stream_done(st); }

/* A GET stream that holds a connection; retried while the server has not
 * yet seen earlier connections close (they count until it has). */
static mk_stream *held_stream(const mk_sess *s) {
  for (int i = 0; i < 40; i++) {
    mk_stream *st = mk_stream_open(s, "/mcp", NULL);
    mk_pump_until(has_status, st, 2000);
    if (mk_stream_status(st) == 200)
      return st;
    mk_stream_close(st);
    usleep(25000);
  }
  return NULL;
}

static void connections_past_the_cap_get_503(void) {
  mk_server cap;
  CHECK_INT(start_with(&cap, "--max-connections", "3", NULL), 0);
  mk_sess s[3];
  mk_stream *st[3];
  for (int i = 0; i < 3; i++)
    mk_init(&s[i], &cap, "2025-11-25", NULL, 1);
  for (int i = 0; i < 3; i++) {
    st[i] = held_stream(&s[i]); /* each holds a connection */
    CHECK(st[i] != NULL);
  }
  mk_resp r;
  mk_post(&s[0], PING("1"), &r, NULL);
  CHECK_INT(r.status, 503);
  mk_resp_free(&r);
  mk_stream_close(st[0]);
  long status = 0; /* the freed slot is found within a few tries */
  for (int i = 0; i < 40 && status != 200; i++, usleep(25000)) {
    mk_post(&s[1], PING("2"), &r, NULL);
    status = r.status;
    mk_resp_free(&r);
  }
  CHECK_INT(status, 200);
  mk_stream_close(st[1]);
  mk_stream_close(st[2]);
  CHECK_INT(mk_stop(&cap), 0);
}

/* Past the session cap the session idle longest makes room: a client that
 * opens sessions in a loop cannot lock others out for the whole TTL, and a
 * session with a live stream is never the one ended. */
static void sessions_past_the_cap_end_the_idlest(void) {
  mk_server cap;
  CHECK_INT(start_with(&cap, "--max-sessions", "4", NULL), 0);
  mk_sess busy, flood[12];
  CHECK_INT(mk_init(&busy, &cap, "2025-11-25", NULL, 1), 200);
  mk_stream *held = held_stream(&busy);
  CHECK(held != NULL);
  for (int i = 0; i < 12; i++)
    CHECK_INT(mk_init(&flood[i], &cap, "2025-11-25", NULL, 1), 200);
  mk_resp r;
  mk_post(&busy, PING("1"), &r, NULL);
  CHECK_INT(r.status, 200);  /* the session with a stream survived the flood */
  mk_resp_free(&r);
  mk_post(&flood[11], PING("2"), &r, NULL);
  CHECK_INT(r.status, 200);  /* the newest is there */
  mk_resp_free(&r);
  mk_post(&flood[0], PING("3"), &r, NULL);
  CHECK_INT(r.status, 404);  /* the idlest was ended */
  mk_resp_free(&r);
  mk_stream_close(held);
  CHECK_INT(mk_stop(&cap), 0);
}

typedef struct fleet {
  mk_stream **st;
  int n;
} fleet;

/* Every stream has its priming event. */
static int all_primed(void *arg) {
  fleet *f = arg;
  for (int i = 0; i < f->n; i++)
    if (!f->st[i] || !strstr(dynbuf_str(mk_stream_body(f->st[i])), "data:"))
      return 0;
  return 1;
}

static void many_concurrent_streams_stay_bounded(const mk_server *srv, int n) {
  struct rlimit rl;
  if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t)n + 64) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)n + 64) {
      n = (int)rl.rlim_cur - 64; /* a small hard limit: as many as it allows */
      fprintf(stderr, "descriptor limit %lu: testing %d streams\n", (unsigned long)rl.rlim_cur, n);
    }
  }
  fleet f = {calloc((size_t)n, sizeof(mk_stream *)), n};
  mk_sess *ss = calloc((size_t)n, sizeof *ss);
  long rss0 = mk_rss_kib(srv);
  for (int i = 0; i < n; i++) {
    mk_init(&ss[i], srv, "2025-11-25", NULL, 1);
    f.st[i] = mk_stream_open(&ss[i], "/mcp", NULL);
  }
  CHECK(mk_pump_until(all_primed, &f, 30000));
  int ok = 0;
  for (int i = 0; i < n; i++)
    ok += f.st[i] && mk_stream_status(f.st[i]) == 200 && !mk_stream_done(f.st[i]);
  CHECK_INT(ok, n);
  long rss = mk_rss_kib(srv);
  fprintf(stderr, "%d streams: server RSS %ld KiB (was %ld KiB)\n", n, rss, rss0);
  CHECK(rss > 0 && rss - rss0 < 100 * 1024); /* growth: sanitizers inflate the base */
  CHECK(still_serving(srv));
  for (int i = 0; i < n; i++)
    mk_stream_close(f.st[i]);
  free(f.st);
  free(ss);
  CHECK(still_serving(srv));
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  mock_bin = argv[1];
  int streams = argc > 2 ? atoi(argv[2]) : 1000;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  mk_server srv;
  if (start_with(&srv, "--read-timeout", "1", NULL)) {
    fprintf(stderr, "cannot start %s\n", mock_bin);
    return 1;
  }
  oversize_body_gets_413(&srv);
  oversize_headers_are_refused(&srv);
  garbage_requests_get_400_or_a_close(&srv);
  slow_and_half_open_clients_are_dropped(&srv);
  client_that_does_not_read_is_paced_then_dropped(&srv);
  many_concurrent_streams_stay_bounded(&srv, streams);
  connections_past_the_cap_get_503();
  sessions_past_the_cap_end_the_idlest();
  CHECK_INT(mk_stop(&srv), 0);
  mk_cleanup();
  curl_global_cleanup();
  return CHECK_DONE("mock_robustness_test");
}
