/*
 * mock_bench: load for an MCP Streamable HTTP server at 127.0.0.1:PORT/mcp
 * (run by bench/mock-bench.sh against mcpwire-mock and, with the same
 * arguments, against @modelcontextprotocol/server-everything).
 *   mock_bench streams PORT PID N
 *       N sessions (initialize + notifications/initialized each), each holding
 *       a GET /mcp stream; prints how many are open and the RSS growth of
 *       process PID per open stream.
 *   mock_bench rps PORT CLIENTS SECONDS [ARG]
 *       CLIENTS sessions, each calling tools/call echo in a closed loop for
 *       SECONDS after a 1 s warm-up; prints calls/s and how the replies came
 *       (SSE or JSON).
 *       ARG names the echo tool's string argument: "text" (mcpwire-mock, the
 *       default) or "message" (server-everything).
 * A stream counts as open once its 200 response headers with Content-Type
 * text/event-stream have arrived and it has not ended (server-everything sends
 * no event on an idle GET stream; the mock sends a priming event). A call
 * counts as good when its reply (JSON body, or the last SSE event with data)
 * is a result whose first content text contains the text sent.
 * All HTTP through libcurl (tests/mock/mock_client.c); every wait bounded,
 * counts capped by MCPWIRE_BENCH_* (harness/mcpwire_limits.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <curl/curl.h>

#include "mcpwire_limits.h"
#include "mock/mock_client.h"

#define PROTOCOL_VERSION "2025-11-25" /* both servers accept it */
#define ECHO_TEXT "hello, mcpwire"
#define WARM_UP_S 1.0 /* calls before the counted SECONDS */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void raise_fd_limit(void) {
  struct rlimit rl;
  if (!getrlimit(RLIMIT_NOFILE, &rl)) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

/* initialize + notifications/initialized; 0 when the server gave a session,
 * else -1 with the initialize POST's status (0: no response) in *status. */
static int open_session(mk_sess *ss, const mk_server *srv, long *status) {
  *status = mk_init(ss, srv, PROTOCOL_VERSION, NULL, 1);
  return *status == 200 && ss->id[0] && ss->version[0] ? 0 : -1;
}

/* ---- idle streams ---- */

static int stream_open(const mk_stream *st) {
  char ct[128];
  return st && !mk_stream_done(st) && mk_stream_status(st) == 200 &&
         mk_header(mk_stream_resp(st), "Content-Type", ct, sizeof ct) &&
         strstr(ct, "text/event-stream");
}

typedef struct fleet {
  mk_stream **st;
  int n;
} fleet;

static int all_settled(void *arg) {
  fleet *f = arg;
  for (int i = 0; i < f->n; i++)
    if (f->st[i] && !mk_stream_done(f->st[i]) && !stream_open(f->st[i]))
      return 0;
  return 1;
}

static int bench_streams(mk_server *srv, int n) {
  fleet f = {calloc((size_t)n, sizeof(mk_stream *)), n};
  mk_sess *ss = calloc((size_t)n, sizeof *ss);
  if (!f.st || !ss)
    return 1;
  long rss0 = mk_rss_kib(srv);
  double t0 = now_s(), setup_end = t0 + MCPWIRE_BENCH_SETUP_S;
  int tried = 0, no_session = 0;
  for (int i = 0; i < n && now_s() < setup_end; i++, tried++) {
    long status;
    if (open_session(&ss[i], srv, &status)) {
      no_session++;
      continue;
    }
    f.st[i] = mk_stream_open(&ss[i], "/mcp", NULL);
    if (i % 500 == 499)
      mk_pump(1); /* let connections establish as we go */
  }
  double left = setup_end - now_s();
  mk_pump_until(all_settled, &f, left > 10 ? (long)(left * 1000) : 10000);
  mk_pump(1000); /* one more second, so the server's RSS is settled too */
  int ok = 0;
  for (int i = 0; i < n; i++)
    ok += stream_open(f.st[i]);
  long rss = mk_rss_kib(srv);
  printf("streams: %d open of %d in %.1f s (%d tried, %d without a session); "
         "server RSS %ld KiB (idle %ld KiB), %.1f KiB per stream\n",
         ok, n, now_s() - t0, tried, no_session, rss, rss0,
         ok ? (double)(rss - rss0) / ok : 0.0);
  for (int i = 0; i < n; i++)
    mk_stream_close(f.st[i]);
  free(f.st);
  free(ss);
  return ok == n && rss0 > 0 && rss > 0 ? 0 : 1;
}

/* ---- echo calls per second ---- */

typedef struct pool {
  mk_stream **st;
  int n;
} pool;

static int any_done(void *arg) {
  pool *p = arg;
  for (int i = 0; i < p->n; i++)
    if (mk_stream_done(p->st[i]))
      return 1;
  return 0;
}

static mk_stream *post_echo(const mk_sess *ss, const char *arg, long id) {
  char body[256];
  snprintf(body, sizeof body,
           "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"tools/call\",\"params\":{"
           "\"name\":\"echo\",\"arguments\":{\"%s\":\"" ECHO_TEXT "\"}}}",
           id, arg);
  return mk_stream_post(ss, body, NULL);
}

typedef struct tally {
  long good, bad, sse, json;
} tally;

/* Classifies one finished echo call. */
static void judge(const mk_stream *st, tally *t) {
  const mk_resp *r = mk_stream_resp(st);
  char ct[128];
  if (mk_header(r, "Content-Type", ct, sizeof ct) && strstr(ct, "text/event-stream"))
    t->sse++;
  else
    t->json++;
  jsonrpc_msg *m = mk_stream_status(st) == 200 ? mk_reply(r) : NULL;
  const char *text = m ? jsonrpc_get_string(m, "result.content[0].text") : NULL;
  if (text && strstr(text, ECHO_TEXT) && jsonrpc_get_type(m, "error") == JSONRPC_T_ABSENT)
    t->good++;
  else
    t->bad++;
  jsonrpc_free(m);
}

static int bench_rps(mk_server *srv, int clients, double seconds, const char *arg) {
  mk_sess *ss = calloc((size_t)clients, sizeof *ss);
  mk_stream **st = calloc((size_t)clients, sizeof *st);
  long *ids = calloc((size_t)clients, sizeof *ids);
  tally t = {0};
  if (!ss || !st || !ids)
    return 1;
  for (int i = 0; i < clients; i++) {
    long status;
    if (open_session(&ss[i], srv, &status)) {
      fprintf(stderr,
              "mock_bench: client %d got no session from initialize (HTTP %ld, session id %s, "
              "protocol version %s)\n",
              i, status, ss[i].id[0] ? "given" : "none", ss[i].version[0] ? ss[i].version : "none");
      return 1;
    }
  }
  for (int i = 0; i < clients; i++)
    st[i] = post_echo(&ss[i], arg, ids[i] = 2);
  /* Calls finished in the first WARM_UP_S are judged but not counted, so a
   * JIT-compiled server is measured warm. */
  double t0 = now_s() + WARM_UP_S, end = t0 + seconds;
  tally warm = {0};
  pool p = {st, clients};
  while (now_s() < end) {
    mk_pump_until(any_done, &p, 1000);
    for (int i = 0; i < clients; i++) {
      if (!mk_stream_done(st[i]))
        continue;
      judge(st[i], now_s() < t0 ? &warm : &t);
      mk_stream_close(st[i]);
      st[i] = post_echo(&ss[i], arg, ++ids[i]);
    }
  }
  double took = now_s() - t0;
  long done = t.good + t.bad;
  printf("rps: %d clients, %ld calls in %.1f s = %.0f calls/s (%ld bad; replies: %ld sse, %ld json)"
         " after %.0f s warm-up (%ld calls, %ld bad)\n",
         clients, done, took, t.good / took, t.bad, t.sse, t.json, WARM_UP_S, warm.good + warm.bad,
         warm.bad);
  for (int i = 0; i < clients; i++)
    mk_stream_close(st[i]);
  free(st);
  free(ss);
  free(ids);
  return t.bad || warm.bad || !t.good ? 1 : 0;
}

static int usage(void) {
  fprintf(stderr, "usage: mock_bench streams PORT PID N\n"
                  "       mock_bench rps PORT CLIENTS SECONDS [ARG]\n"
                  "  N <= %d, CLIENTS <= %d, SECONDS <= %d; ARG: the echo tool's argument "
                  "(text for mcpwire-mock, message for server-everything)\n",
          MCPWIRE_BENCH_STREAMS_MAX, MCPWIRE_BENCH_CLIENTS_MAX, MCPWIRE_BENCH_SECONDS_MAX);
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 5 || argc > 6)
    return usage();
  mk_server srv = {0};
  srv.port = atoi(argv[2]);
  if (srv.port <= 0 || srv.port > 65535)
    return usage();
  snprintf(srv.base, sizeof srv.base, "http://127.0.0.1:%d", srv.port);
  int streams = !strcmp(argv[1], "streams");
  if (streams) {
    srv.pid = (pid_t)atoi(argv[3]);
    int n = atoi(argv[4]);
    if (argc != 5 || srv.pid <= 0 || n <= 0 || n > MCPWIRE_BENCH_STREAMS_MAX)
      return usage();
  } else if (strcmp(argv[1], "rps")) {
    return usage();
  }
  int clients = atoi(argv[3]);
  double seconds = atof(argv[4]);
  const char *arg = argc == 6 ? argv[5] : "text";
  if (!streams && (clients <= 0 || clients > MCPWIRE_BENCH_CLIENTS_MAX || !(seconds > 0) ||
                   seconds > MCPWIRE_BENCH_SECONDS_MAX || strlen(arg) > 64 ||
                   strpbrk(arg, "\"\\")))
    return usage();
  raise_fd_limit();
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int rc = streams ? bench_streams(&srv, atoi(argv[4])) : bench_rps(&srv, clients, seconds, arg);
  mk_cleanup();
  curl_global_cleanup();
  return rc;
}
