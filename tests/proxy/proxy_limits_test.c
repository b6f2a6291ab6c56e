/* proxy_limits_test: the proxy out of file descriptors. Accepting pauses
 * instead of spinning on the readable listener, and resumes once
 * descriptors are free again. Runs alone: it lowers RLIMIT_NOFILE. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "proxy/proxy.h"
#include "wire.h"

#define CLIENTS 24

static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

/* The lowest descriptor number not in use: what this process holds now. */
static int open_fds(void) {
  int fd = dup(0);
  if (fd >= 0)
    close(fd);
  return fd;
}

/* A child process that connects CLIENTS times once told to, holds the
 * connections until told again, then exits. */
static pid_t spawn_clients(int port, int *go_fd) {
  int go[2];
  if (pipe(go))
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    int fds[CLIENTS];
    close(go[1]);
    if (read(go[0], &c, 1) != 1)
      _exit(1);
    for (int i = 0; i < CLIENTS; i++)
      fds[i] = wire_connect(port);
    if (read(go[0], &c, 1) != 1) { /* hold until told (or the parent closes) */
    }
    for (int i = 0; i < CLIENTS; i++)
      if (fds[i] >= 0)
        close(fds[i]);
    _exit(0);
  }
  close(go[0]);
  *go_fd = go[1];
  return pid;
}

static void out_of_descriptors_pauses_accepting_and_recovers(void) {
  proxy_config cfg;
  char err[256];
  proxy_config_init(&cfg);
  strcpy(cfg.target_host, "127.0.0.1");
  int hold = -1;
  cfg.target_port = wire_refusing_port(&hold);
  proxy *px = proxy_start(&cfg, err, sizeof err);
  CHECK(px != NULL);
  if (!px) {
    close(hold);
    return;
  }
  int go = -1;
  pid_t child = spawn_clients(proxy_port(px), &go);
  CHECK(child > 0);
  /* No descriptor to spare in this process: accept() fails with EMFILE. */
  struct rlimit old, none;
  getrlimit(RLIMIT_NOFILE, &old);
  none = old;
  none.rlim_cur = (rlim_t)open_fds();
  CHECK_INT(setrlimit(RLIMIT_NOFILE, &none), 0);
  CHECK_INT(write(go, "c", 1), 1);
  usleep(200 * 1000);
  proxy_stats p0, before;
  proxy_get_stats(px, &p0);
  double cpu0 = cpu_ms();
  usleep(400 * 1000);
  double spent = cpu_ms() - cpu0;
  proxy_get_stats(px, &before);
  /* A listener spinning on EMFILE retries accept() thousands of times; one
   * that pauses tries once per pause (fewer when the machine is loaded). */
  uint64_t tries = before.accept_pauses - p0.accept_pauses;
  CHECK(p0.accept_pauses >= 1);   /* the EMFILE path was taken */
  CHECK(tries <= 400 / MCPWIRE_PROXY_ACCEPT_PAUSE_MS + 2);
  fprintf(stderr, "out of descriptors: %llu accept tries and %.1f ms cpu in 400 ms\n",
          (unsigned long long)tries, spent);
  CHECK(before.connections < CLIENTS); /* the limit did stop accepting */
  setrlimit(RLIMIT_NOFILE, &old);
  CHECK_INT(write(go, "q", 1), 1);
  close(go);
  waitpid(child, NULL, 0);
  /* The queued clients are taken once descriptors are back, and new ones. */
  wire_trace t;
  memset(&t, 0, sizeof t);
  int fd = wire_connect(proxy_port(px));
  CHECK(fd >= 0);
  if (fd >= 0) {
    wire_read(fd, &t, 0, 5000);
    close(fd);
  }
  CHECK(t.eof || t.error); /* closed by the proxy: the target is down */
  proxy_stats st;
  proxy_get_stats(px, &st);
  CHECK(st.connections > before.connections);
  proxy_stop(px);
  close(hold);
}

int main(void) {
  out_of_descriptors_pauses_accepting_and_recovers();
  return CHECK_DONE("proxy_limits_test");
}
