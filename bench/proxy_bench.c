/*
 * proxy_bench: throughput and added latency of the fault proxy, against the
 * same loopback origin reached directly. Usage:
 *   proxy_bench [--bytes N] [--pings N] [--rounds N] [MODES]
 * MODES defaults to "pass". Prints one line per measurement.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proxy/proxy.h"

/* Every wait of the benchmark gives up after this long. */
#define BENCH_WAIT_MS 30000
#define BULK_WRITE (64 * 1024)

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int wait_in(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, BENCH_WAIT_MS) > 0;
}

static int send_all(int fd, const char *s, size_t len) {
  while (len) {
    ssize_t n = send(fd, s, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return -1;
    s += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Reads one request head into buf; 0 on success, -1 at EOF or error. */
static int read_head(int fd, char *buf, size_t cap) {
  size_t len = 0;
  while (len + 1 < cap) {
    if (!wait_in(fd))
      return -1;
    ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
    if (n <= 0)
      return -1;
    len += (size_t)n;
    buf[len] = '\0';
    if (strstr(buf, "\r\n\r\n"))
      return 0; /* the bench client never pipelines */
  }
  return -1;
}

typedef struct origin {
  int listen_fd, port;
  pthread_t thread;
} origin;

static void serve_bulk(int fd, unsigned long long n) {
  static char block[BULK_WRITE];
  memset(block, 'x', sizeof block);
  char head[128];
  int hl = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %llu\r\n\r\n", n);
  if (send_all(fd, head, (size_t)hl))
    return;
  while (n) {
    size_t k = n < sizeof block ? (size_t)n : sizeof block;
    if (send_all(fd, block, k))
      return;
    n -= k;
  }
}

static void *origin_main(void *arg) {
  origin *o = arg;
  for (;;) {
    int fd = accept(o->listen_fd, NULL, NULL);
    if (fd < 0)
      return NULL; /* the listening socket was shut down */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char req[4096];
    static const char pong[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    while (!read_head(fd, req, sizeof req)) {
      unsigned long long n;
      if (sscanf(req, "GET /bulk/%llu ", &n) == 1)
        serve_bulk(fd, n);
      else if (send_all(fd, pong, sizeof pong - 1))
        break;
    }
    close(fd);
  }
}

static int origin_start(origin *o) {
  struct sockaddr_in sa = {.sin_family = AF_INET};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  o->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  if (o->listen_fd < 0 || bind(o->listen_fd, (struct sockaddr *)&sa, sizeof sa) ||
      listen(o->listen_fd, 16) || getsockname(o->listen_fd, (struct sockaddr *)&sa, &len))
    return -1;
  o->port = ntohs(sa.sin_port);
  return pthread_create(&o->thread, NULL, origin_main, o);
}

static int connect_to(int port) {
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

/* Reads until `want` bytes arrived; returns the count read. */
static unsigned long long read_n(int fd, unsigned long long want) {
  static char buf[256 * 1024];
  unsigned long long got = 0;
  while (got < want) {
    if (!wait_in(fd))
      break;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    got += (unsigned long long)n;
  }
  return got;
}

/* MB/s of one bulk response of `bytes` body bytes (best of `rounds`). */
static double throughput(int port, unsigned long long bytes, int rounds) {
  double best = 0;
  char req[128], head[128];
  int hl = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %llu\r\n\r\n", bytes);
  int rl = snprintf(req, sizeof req, "GET /bulk/%llu HTTP/1.1\r\nHost: b\r\n\r\n", bytes);
  for (int r = 0; r < rounds; r++) {
    int fd = connect_to(port);
    if (fd < 0)
      return -1;
    double t0 = now_ms();
    unsigned long long got = send_all(fd, req, (size_t)rl) ? 0 : read_n(fd, bytes + (unsigned)hl);
    double dt = now_ms() - t0;
    close(fd);
    if (got != bytes + (unsigned)hl)
      return -1;
    double mbs = (double)bytes / (1024.0 * 1024.0) / (dt / 1000.0);
    if (mbs > best)
      best = mbs;
  }
  return best;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Round trips of a tiny keep-alive request: median and p99 in microseconds. */
static int ping(int port, int count, double *median, double *p99) {
  static const char req[] = "GET /ping HTTP/1.1\r\nHost: b\r\n\r\n";
  const unsigned long long resp_len = 40; /* the pong response */
  double *rtt = calloc((size_t)count, sizeof *rtt);
  int fd = connect_to(port);
  if (fd < 0 || !rtt) {
    free(rtt);
    return -1;
  }
  int done = 0;
  for (; done < count; done++) {
    double t0 = now_ms();
    if (send_all(fd, req, sizeof req - 1) || read_n(fd, resp_len) != resp_len)
      break;
    rtt[done] = (now_ms() - t0) * 1000.0;
  }
  close(fd);
  if (done < count) {
    free(rtt);
    return -1;
  }
  qsort(rtt, (size_t)count, sizeof *rtt, cmp_double);
  *median = rtt[count / 2];
  *p99 = rtt[(count * 99) / 100];
  free(rtt);
  return 0;
}

int main(int argc, char **argv) {
  unsigned long long bytes = 256ull * 1024 * 1024;
  int pings = 5000, rounds = 3;
  const char *modes = "pass";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--bytes") && i + 1 < argc)
      bytes = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--pings") && i + 1 < argc)
      pings = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
      rounds = atoi(argv[++i]);
    else
      modes = argv[i];
  }
  if (pings < 1 || rounds < 1 || !bytes) {
    fprintf(stderr, "usage: proxy_bench [--bytes N] [--pings N] [--rounds N] [MODES]\n");
    return 2;
  }
  origin o;
  if (origin_start(&o)) {
    perror("origin");
    return 1;
  }
  proxy_config cfg;
  char err[256];
  proxy_config_init(&cfg);
  strcpy(cfg.target_host, "127.0.0.1");
  cfg.target_port = o.port;
  if (proxy_config_parse(&cfg, modes, err, sizeof err)) {
    fprintf(stderr, "proxy_bench: %s\n", err);
    return 2;
  }
  proxy *px = proxy_start(&cfg, err, sizeof err);
  if (!px) {
    fprintf(stderr, "proxy_bench: %s\n", err);
    return 1;
  }
  double direct = throughput(o.port, bytes, rounds);
  double proxied = throughput(proxy_port(px), bytes, rounds);
  printf("throughput  %llu MiB body, best of %d: direct %.0f MB/s, proxy (%s) %.0f MB/s (%.0f%%)\n",
         bytes >> 20, rounds, direct, modes, proxied, direct > 0 ? 100.0 * proxied / direct : 0);
  double dmed, dp99, pmed, pp99;
  if (ping(o.port, pings, &dmed, &dp99) || ping(proxy_port(px), pings, &pmed, &pp99)) {
    fprintf(stderr, "proxy_bench: ping failed\n");
    return 1;
  }
  printf("round trip  %d keep-alive requests: direct median %.1f us p99 %.1f us; "
         "proxy median %.1f us p99 %.1f us; added median %.1f us\n",
         pings, dmed, dp99, pmed, pp99, pmed - dmed);
  proxy_stop(px);
  shutdown(o.listen_fd, SHUT_RDWR);
  close(o.listen_fd);
  pthread_join(o.thread, NULL);
  return direct > 0 && proxied > 0 ? 0 : 1;
}
