/* proxy_cli_test: `mcpwire proxy` as a process. Its first line names the
 * port, it relays through the modes given, stops on SIGTERM with exit 0,
 * and refuses bad command lines with exit 2. argv[1]: the binary to run
 * (it is called as BINARY proxy ARGS...). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "wire.h"

static char *binary;

/* Runs BINARY proxy args... with stdout on a pipe; returns the pid. */
static pid_t spawn(char *const args[], int *out_fd) {
  int p[2]; /* a socket pair, not a pipe, so wire_read's recv works */
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, p))
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    char *argv[16] = {binary, "proxy"};
    for (int i = 0; args[i] && i < 13; i++)
      argv[i + 2] = args[i];
    execv(binary, argv);
    _exit(127);
  }
  close(p[1]);
  *out_fd = p[0];
  return pid;
}

/* Waits for the child's exit status, killing it after wait_ms. */
static int reap(pid_t pid, int wait_ms) {
  double deadline = wire_now_ms() + wait_ms;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (wire_now_ms() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    usleep(10000);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Reads stdout until EOF or wait_ms. */
static size_t read_all(int fd, char *buf, size_t cap, int wait_ms) {
  wire_trace *t = calloc(1, sizeof *t);
  wire_read(fd, t, 0, wait_ms);
  size_t n = t->len < cap - 1 ? t->len : cap - 1;
  memcpy(buf, t->bytes, n);
  buf[n] = '\0';
  free(t);
  return n;
}

static void cli_prints_listening_line_relays_and_stops_on_sigterm(void) {
  wire_origin *o = calloc(1, sizeof *o);
  static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Gone: 1\r\n\r\nhello";
  o->n_responses = 1;
  o->responses[0] = (wire_response){{resp}, 1, 0};
  CHECK_INT(wire_origin_start(o), 0);
  char target[64];
  snprintf(target, sizeof target, "127.0.0.1:%d", o->port);
  char *args[] = {"--target", target, "strip-header=x-gone", "slice=4:5", NULL};
  int out;
  pid_t pid = spawn(args, &out);
  char line[256] = "";
  wire_trace *t = calloc(1, sizeof *t);
  double deadline = wire_now_ms() + 5000; /* the line comes first; stdout stays open */
  while (!memchr(t->bytes, '\n', t->len) && !t->eof && wire_now_ms() < deadline)
    wire_read(out, t, t->len + 1, (int)(deadline - wire_now_ms()) + 1);
  int port = 0;
  CHECK(sscanf(t->bytes, "listening http://127.0.0.1:%d\n", &port) == 1 && port > 0);
  memcpy(line, t->bytes, t->len < 255 ? t->len : 255);
  free(t);
  int fd = port > 0 ? wire_connect(port) : -1;
  wire_trace *got = calloc(1, sizeof *got);
  if (fd >= 0) {
    wire_send(fd, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27);
    wire_read(fd, got, 0, 5000);
    close(fd);
  }
  CHECK(got->eof);
  CHECK_STR(got->bytes, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
  CHECK(got->reads >= 2); /* 4-byte writes */
  free(got);
  kill(pid, SIGTERM);
  CHECK_INT(reap(pid, 5000), 0);
  close(out);
  wire_origin_join(o);
  free(o);
}

static void cli_help_lists_every_mode(void) {
  char *args[] = {"--help", NULL};
  int out;
  pid_t pid = spawn(args, &out);
  char text[8192];
  read_all(out, text, sizeof text, 5000);
  close(out);
  CHECK_INT(reap(pid, 5000), 0);
  static const char *const modes[] = {"pass", "buffer", "buffer=N", "slice", "latency=MS",
                                      "cut-bytes=N", "cut-events=N", "stall=N", "reset=N",
                                      "strip-header=NAME", "set-header=NAME:VAL", "idle-cut=MS",
                                      "times=N"};
  for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
    if (!strstr(text, modes[i])) {
      fprintf(stderr, "--help does not mention %s\n", modes[i]);
      check_failures++;
    }
}

static void cli_refuses_bad_command_lines(void) {
  char *no_target[] = {"slice=1", NULL};
  char *bad_mode[] = {"--target", "127.0.0.1:9", "slice=x", NULL};
  char *bad_target[] = {"--target", "nowhere", NULL};
  char *public_listen[] = {"--target", "127.0.0.1:9", "--listen", "0.0.0.0:0", NULL};
  char **cases[] = {no_target, bad_mode, bad_target, public_listen};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int out;
    pid_t pid = spawn(cases[i], &out);
    char text[1024];
    CHECK_INT(read_all(out, text, sizeof text, 5000), 0); /* no listening line */
    close(out);
    CHECK_INT(reap(pid, 5000), 2);
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: proxy_cli_test BINARY\n");
    return 2;
  }
  binary = argv[1];
  signal(SIGPIPE, SIG_IGN);
  cli_prints_listening_line_relays_and_stops_on_sigterm();
  cli_help_lists_every_mode();
  cli_refuses_bad_command_lines();
  return CHECK_DONE("proxy_cli_test");
}
