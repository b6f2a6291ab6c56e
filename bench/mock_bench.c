/*
 * mock_bench: load for mcpwire-mock (run by bench/mock-bench.sh).
 *   mock_bench streams PORT PID N        N sessions, each holding a GET stream;
 *                                        prints the server's RSS per stream
 *   mock_bench rps PORT CLIENTS SECONDS  tools/call echo in a closed loop from
 *                                        CLIENTS concurrent clients; prints req/s
 * All HTTP through libcurl (tests/mock/mock_client.c); every wait bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <curl/curl.h>

#include "mock/mock_client.h"

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

typedef struct fleet {
  mk_stream **st;
  int n;
} fleet;

static int primed(const mk_stream *st) {
  return st && strstr(dynbuf_str(mk_stream_body(st)), "data:") != NULL;
}

static int all_primed(void *arg) {
  fleet *f = arg;
  for (int i = 0; i < f->n; i++)
    if (!primed(f->st[i]))
      return 0;
  return 1;
}

static int bench_streams(mk_server *srv, int n) {
  fleet f = {calloc((size_t)n, sizeof(mk_stream *)), n};
  mk_sess *ss = calloc((size_t)n, sizeof *ss);
  long rss0 = mk_rss_kib(srv);
  double t0 = now_s();
  for (int i = 0; i < n; i++) {
    mk_init(&ss[i], srv, "2025-11-25", NULL, 1);
    f.st[i] = mk_stream_open(&ss[i], "/mcp", NULL);
    if (i % 500 == 499)
      mk_pump(1); /* let connections establish as we go */
  }
  mk_pump_until(all_primed, &f, 120000);
  int ok = 0;
  for (int i = 0; i < n; i++)
    ok += primed(f.st[i]) && mk_stream_status(f.st[i]) == 200 && !mk_stream_done(f.st[i]);
  long rss = mk_rss_kib(srv);
  printf("streams: %d open of %d in %.1f s; server RSS %ld KiB (idle %ld KiB), %.1f KiB per stream\n",
         ok, n, now_s() - t0, rss, rss0, ok ? (double)(rss - rss0) / ok : 0.0);
  for (int i = 0; i < n; i++)
    mk_stream_close(f.st[i]);
  free(f.st);
  free(ss);
  return ok == n ? 0 : 1;
}

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

static const char echo_call[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
    "\"arguments\":{\"text\":\"hello, mcpwire\"}}}";

static int bench_rps(mk_server *srv, int clients, double seconds) {
  mk_sess *ss = calloc((size_t)clients, sizeof *ss);
  mk_stream **st = calloc((size_t)clients, sizeof *st);
  long done = 0, bad = 0;
  for (int i = 0; i < clients; i++) {
    mk_init(&ss[i], srv, "2025-11-25", NULL, 1);
    st[i] = mk_stream_post(&ss[i], echo_call, NULL);
  }
  double t0 = now_s(), end = t0 + seconds;
  pool p = {st, clients};
  while (now_s() < end) {
    mk_pump_until(any_done, &p, 1000);
    for (int i = 0; i < clients; i++) {
      if (!mk_stream_done(st[i]))
        continue;
      done++;
      bad += !strstr(dynbuf_str(mk_stream_body(st[i])), "hello, mcpwire");
      mk_stream_close(st[i]);
      st[i] = mk_stream_post(&ss[i], echo_call, NULL);
    }
  }
  double took = now_s() - t0;
  printf("rps: %d clients, %ld calls in %.1f s = %.0f calls/s (%ld bad)\n", clients, done, took,
         done / took, bad);
  for (int i = 0; i < clients; i++)
    mk_stream_close(st[i]);
  free(st);
  free(ss);
  return bad ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: mock_bench streams PORT PID N | rps PORT CLIENTS SECONDS\n");
    return 2;
  }
  raise_fd_limit();
  curl_global_init(CURL_GLOBAL_DEFAULT);
  mk_server srv = {0};
  srv.port = atoi(argv[2]);
  snprintf(srv.base, sizeof srv.base, "http://127.0.0.1:%d", srv.port);
  int rc;
  if (!strcmp(argv[1], "streams")) {
    srv.pid = (pid_t)atoi(argv[3]);
    rc = bench_streams(&srv, atoi(argv[4]));
  } else {
    rc = bench_rps(&srv, atoi(argv[3]), atof(argv[4]));
  }
  mk_cleanup();
  curl_global_cleanup();
  return rc;
}
