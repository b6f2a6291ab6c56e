/*
 * hostile: loopback test targets that misbehave on purpose, so the harness
 * can prove it never hangs and never grows without bound.
 *
 *   hostile silent          accept, read, never answer
 *   hostile comments        200 text/event-stream, then SSE comments forever
 *   hostile endless-header  a status line, then header lines forever
 *   hostile endless-line    200 text/event-stream, then one data line that never ends
 *   hostile events          200 text/event-stream, then tiny valid events forever, as
 *                           fast as the reader takes them
 *   hostile close           accept, then close at once (an empty reply)
 *
 * Binds 127.0.0.1 port 0, prints "listening http://127.0.0.1:PORT", and
 * exits by itself after --lifetime seconds (default 60).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Connections served at once; more wait in the listen backlog. */
#define HOSTILE_CLIENTS_MAX 64

typedef enum mode { SILENT, COMMENTS, ENDLESS_HEADER, ENDLESS_LINE, CLOSE, EVENTS } mode;

/* Bytes of one write of the endless-line and events fillers. */
#define HOSTILE_FILL_BYTES (64 * 1024)

typedef struct conn {
  int fd;
  int started;   /* the preamble was written */
} conn;

static const char *preamble(mode m) {
  if (m == ENDLESS_LINE)
    return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: ";
  if (m == COMMENTS || m == EVENTS)
    return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n";
  if (m == ENDLESS_HEADER)
    return "HTTP/1.1 200 OK\r\n";
  return NULL;
}

static const char *filler(mode m) {
  if (m == COMMENTS)
    return ": still here, nothing to say\n";
  if (m == ENDLESS_LINE) {
    /* Big writes, so the reader's line cap is what ends it, not the clock. */
    static char line[HOSTILE_FILL_BYTES];
    if (!line[0])
      memset(line, 'x', sizeof line - 1);
    return line;
  }
  if (m == EVENTS) {
    /* Valid notifications, each under every per-event cap: only the byte
     * caps of a stream and a case can end it. */
    static const char ev[] = "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\"}\n\n";
    static char many[HOSTILE_FILL_BYTES];
    if (!many[0])
      for (size_t at = 0; at + sizeof ev < sizeof many; at += sizeof ev - 1)
        memcpy(many + at, ev, sizeof ev);
    return many;
  }
  return "X-Endless: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
}

static int listen_loopback(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 64) ||
      getsockname(fd, (struct sockaddr *)&a, &len))
    return -1;
  printf("listening http://127.0.0.1:%u\n", ntohs(a.sin_port));
  fflush(stdout);
  return fd;
}

static void drain(int fd) {
  char buf[4096];
  while (read(fd, buf, sizeof buf) > 0) {
  }
}

/* Writes one chunk; 0 when the peer is gone. */
static int feed(conn *c, mode m) {
  const char *text = c->started ? filler(m) : preamble(m);
  ssize_t n = write(c->fd, text, strlen(text));
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return 1;
  c->started = 1;
  return n > 0;
}

static void serve(int lfd, mode m, int lifetime_s) {
  conn conns[HOSTILE_CLIENTS_MAX];
  size_t n = 0;
  time_t end = time(NULL) + lifetime_s;
  while (time(NULL) < end) {
    struct pollfd p[HOSTILE_CLIENTS_MAX + 1];
    p[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
    for (size_t i = 0; i < n; i++)
      p[i + 1] = (struct pollfd){.fd = conns[i].fd,
                                 .events = POLLIN | (m == SILENT ? 0 : POLLOUT)};
    if (poll(p, n + 1, 100) < 0 && errno != EINTR)
      return;
    /* Connections polled this round first; a new one is polled next round
     * (its pollfd slot holds nothing yet). */
    for (size_t i = 0; i < n; i++) {
      int alive = 1;
      if (p[i + 1].revents & POLLIN)
        drain(conns[i].fd);
      if (p[i + 1].revents & (POLLHUP | POLLERR))
        alive = 0;
      else if (p[i + 1].revents & POLLOUT)
        alive = feed(&conns[i], m);
      if (!alive) {
        close(conns[i].fd);
        conns[i] = conns[n - 1];
        p[i + 1] = p[n];
        n--;
        i--;
      }
    }
    if ((p[0].revents & POLLIN) && n < HOSTILE_CLIENTS_MAX) {
      int fd = accept(lfd, NULL, NULL);
      if (fd >= 0 && m == CLOSE) {
        close(fd);
      } else if (fd >= 0) {
        fcntl(fd, F_SETFL, O_NONBLOCK);
        conns[n++] = (conn){fd, 0};
      }
    }
    /* Paces the comment stream: a trickle, as a stalling server would. */
    if (m == COMMENTS)
      usleep(2000);
  }
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2) {
    fputs("usage: hostile silent|comments|endless-header|endless-line|close|events"
          " [--lifetime S]\n",
          stderr);
    return 2;
  }
  static const char *const names[] = {"silent", "comments",     "endless-header",
                                      "endless-line", "close", "events"};
  int m = -1;
  for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
    if (!strcmp(argv[1], names[i]))
      m = i;
  if (m < 0) {
    fprintf(stderr, "hostile: unknown mode '%s'\n", argv[1]);
    return 2;
  }
  int lifetime = 60;
  if (argc >= 4 && !strcmp(argv[2], "--lifetime"))
    lifetime = atoi(argv[3]);
  int lfd = listen_loopback();
  if (lfd < 0) {
    perror("hostile: listen");
    return 1;
  }
  serve(lfd, (mode)m, lifetime > 0 ? lifetime : 60);
  return 0;
}
