/* wire.c: the loopback origin and recording client of the proxy tests. */
#include "wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The origin gives up on a silent client after this long. */
#define ORIGIN_WAIT_MS 5000

double wire_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int wait_fd(int fd, short events, double deadline) {
  for (;;) {
    double left = deadline - wire_now_ms();
    if (left <= 0)
      return 0;
    struct pollfd p = {fd, events, 0};
    int rc = poll(&p, 1, (int)left + 1);
    if (rc < 0 && errno == EINTR)
      continue;
    return rc > 0;
  }
}

int wire_send(int fd, const char *s, size_t len) {
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

/* Reads up to the next blank line: one request head (a body sent before it
 * is read as part of it). Connection 0 keeps what it read. */
static int read_request(int fd, wire_origin *o, int index) {
  char req[sizeof o->last_request];
  size_t len = 0;
  double deadline = wire_now_ms() + ORIGIN_WAIT_MS;
  while (len < sizeof req - 1) {
    if (!wait_fd(fd, POLLIN, deadline))
      return -1;
    ssize_t n = recv(fd, req + len, 1, 0); /* byte by byte: never eat the next request */
    if (n <= 0)
      return -1;
    if (index == 0 && o->received_len < sizeof o->received)
      o->received[o->received_len++] = req[len];
    len++;
    req[len] = '\0';
    if (len >= 4 && !memcmp(req + len - 4, "\r\n\r\n", 4)) {
      if (index == 0)
        memcpy(o->last_request, req, len + 1);
      return 0;
    }
  }
  return -1;
}

static void pause_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) && errno == EINTR) {
  }
}

static int send_bulk(int fd, size_t n) {
  char block[16384];
  memset(block, 'x', sizeof block);
  while (n) {
    size_t k = n < sizeof block ? n : sizeof block;
    if (wire_send(fd, block, k))
      return -1;
    n -= k;
  }
  return 0;
}

static int send_response(wire_origin *o, int fd, size_t r, int index) {
  const wire_response *resp = &o->responses[r];
  for (size_t i = 0; i < resp->n_parts; i++) {
    if (i && o->gap_ms)
      pause_ms(o->gap_ms);
    double t = wire_now_ms();
    if (wire_send(fd, resp->parts[i], strlen(resp->parts[i])))
      return -1;
    if (index == 0) {
      o->t_part[r][i] = t;
      if (!o->t_first_send)
        o->t_first_send = t;
      o->t_last_send = wire_now_ms();
    }
  }
  if (resp->bulk_bytes && send_bulk(fd, resp->bulk_bytes))
    return -1;
  if (index == 0)
    o->t_last_send = wire_now_ms();
  return 0;
}

static void serve(wire_origin *o, int fd, int index) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  for (size_t r = 0; r < o->n_responses; r++) {
    if (read_request(fd, o, index))
      return;
    pthread_mutex_lock(&o->lock);
    o->requests_seen++;
    pthread_mutex_unlock(&o->lock);
    if (send_response(o, fd, r, index))
      return;
  }
  /* Hold the socket open; stop early when the peer closes. */
  double deadline = wire_now_ms() + o->hold_ms;
  char sink[512];
  while (wait_fd(fd, POLLIN, deadline))
    if (recv(fd, sink, sizeof sink, 0) <= 0) {
      if (index == 0)
        o->peer_closed = 1;
      break;
    }
}

typedef struct served {
  wire_origin *o;
  int fd, index;
  pthread_t thread;
} served;

static void *serve_main(void *arg) {
  served *s = arg;
  serve(s->o, s->fd, s->index);
  if (s->index == 0)
    s->o->t_closed = wire_now_ms();
  close(s->fd);
  return NULL;
}

/* Accepts the expected connections, each served by its own thread. */
static void *origin_main(void *arg) {
  wire_origin *o = arg;
  served conns[8];
  int n = 0, want = o->connections > 0 ? o->connections : 1;
  double deadline = wire_now_ms() + ORIGIN_WAIT_MS;
  while (n < want && n < 8 && wait_fd(o->listen_fd, POLLIN, deadline)) {
    int fd = accept(o->listen_fd, NULL, NULL);
    if (fd < 0)
      break;
    conns[n] = (served){o, fd, n, 0};
    if (pthread_create(&conns[n].thread, NULL, serve_main, &conns[n])) {
      close(fd);
      break;
    }
    n++;
  }
  for (int i = 0; i < n; i++)
    pthread_join(conns[i].thread, NULL);
  close(o->listen_fd);
  pthread_mutex_destroy(&o->lock);
  return NULL;
}

int wire_origin_start(wire_origin *o) {
  pthread_mutex_init(&o->lock, NULL);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  o->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  if (o->listen_fd < 0 || bind(o->listen_fd, (struct sockaddr *)&sa, sizeof sa) ||
      listen(o->listen_fd, 8) || getsockname(o->listen_fd, (struct sockaddr *)&sa, &len))
    return -1;
  o->port = ntohs(sa.sin_port);
  return pthread_create(&o->thread, NULL, origin_main, o) ? -1 : 0;
}

void wire_origin_join(wire_origin *o) { pthread_join(o->thread, NULL); }

int wire_refusing_port(int *hold_fd) {
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) ||
      getsockname(fd, (struct sockaddr *)&sa, &len)) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  *hold_fd = fd;
  return ntohs(sa.sin_port);
}

int wire_connect(int port) {
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
    close(fd);
    return -1;
  }
  return fd;
}

void wire_read(int fd, wire_trace *t, size_t until_bytes, int wait_ms) {
  static __thread char scratch[256 * 1024];
  double deadline = wire_now_ms() + wait_ms;
  while (!t->eof && !t->error && (!until_bytes || t->len < until_bytes)) {
    if (!wait_fd(fd, POLLIN, deadline))
      break;
    ssize_t n = recv(fd, scratch, sizeof scratch, 0);
    double at = wire_now_ms();
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      t->error = errno;
    } else if (n == 0) {
      t->eof = 1;
    } else {
      size_t keep = t->len < sizeof t->bytes ? sizeof t->bytes - t->len : 0;
      if (keep)
        memcpy(t->bytes + t->len, scratch, keep < (size_t)n ? keep : (size_t)n);
      if (t->reads < WIRE_READS_MAX) {
        t->read_len[t->reads] = (size_t)n;
        t->read_at[t->reads] = at;
      }
      t->reads++;
      t->len += (size_t)n;
    }
    t->t_end = at;
  }
}
