/*
 * stdio_process.c: a child process on three pipes (contract in
 * stdio_process.h).
 *
 * Everything the child needs (path, argv, environment) is built before
 * fork, so the child calls only async-signal-safe functions: setpgid,
 * prctl, getppid, sigaction, sigprocmask, dup2, chdir, execve, write,
 * _exit. An exec or chdir failure comes back as an errno on a close-on-exec
 * pipe.
 */
#define _GNU_SOURCE /* pipe2: close-on-exec pipes, no window for another fork */
#include "transport/stdio_process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mcpwire_limits.h"
#include "transport/transcript.h"

extern char **environ;

struct stdio_process {
  pid_t pid;
  int in, out, err;   /* parent ends; -1 once closed */
  int reaped;
  int status;
  char chunk[MCPWIRE_STDIO_READ_CHUNK]; /* one read of stdout or stderr */
};

/* ---- before fork: what to execute ---- */

/* The file argv[0] names: itself with a '/', else the first executable
 * match in PATH. Returns 0, or an errno. */
static int resolve(const char *name, char *path, size_t path_len) {
  if (strchr(name, '/')) {
    snprintf(path, path_len, "%s", name);
    return 0;
  }
  const char *dirs = getenv("PATH");
  if (!dirs || !*dirs)
    dirs = "/usr/local/bin:/usr/bin:/bin";
  while (*dirs) {
    const char *colon = strchr(dirs, ':');
    size_t n = colon ? (size_t)(colon - dirs) : strlen(dirs);
    int w = snprintf(path, path_len, "%.*s/%s", (int)n, n ? dirs : ".", name);
    if (w > 0 && (size_t)w < path_len && access(path, X_OK) == 0)
      return 0;
    dirs += n + (colon ? 1 : 0);
  }
  return ENOENT;
}

/* Whether environment entry `e` is named like "NAME=..." entry `set`. */
static int same_name(const char *e, const char *set) {
  const char *eq = strchr(set, '=');
  size_t n = eq ? (size_t)(eq - set) : strlen(set);
  return !strncmp(e, set, n) && e[n] == '=';
}

/* The caller's environment with `extra` set on top; NULL when out of memory. */
static char **build_env(char *const *extra) {
  size_t n = 0, k = 0;
  while (environ && environ[n])
    n++;
  while (extra && extra[k])
    k++;
  char **env = calloc(n + k + 1, sizeof *env);
  if (!env)
    return NULL;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    int replaced = 0;
    for (size_t j = 0; j < k && !replaced; j++)
      replaced = same_name(environ[i], extra[j]);
    if (!replaced)
      env[m++] = environ[i];
  }
  for (size_t j = 0; j < k; j++)
    env[m++] = extra[j];
  env[m] = NULL;
  return env;
}

static void close_fd(int *fd) {
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

/* ---- in the child ---- */

/* Never returns: set up the child's side and exec, or report errno. */
static void child(int in[2], int out[2], int err[2], int report, const char *cwd,
                  const char *path, char *const *argv, char *const *env, pid_t parent) {
  setpgid(0, 0);
  /* Should mcpwire die without stopping it (a crash, SIGKILL), the child
   * gets SIGKILL too; one whose parent is already gone does not start. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    _exit(127);
  /* Dispositions the harness set (SIGPIPE ignored) and its blocked
   * signals would pass through exec: a child starts from the defaults. */
  static const int reset[] = {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD};
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (size_t i = 0; i < sizeof reset / sizeof *reset; i++)
    sigaction(reset[i], &dfl, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  int e = 0;
  if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
    e = errno;
  if (!e && cwd && chdir(cwd) != 0)
    e = errno;
  if (!e) {
    execve(path, argv, env);
    e = errno;
  }
  ssize_t w = write(report, &e, sizeof e);
  (void)w;
  _exit(127);
}

/* ---- start ---- */

static int pipes(int in[2], int out[2], int err[2], int report[2]) {
  int *all[4] = {in, out, err, report};
  for (int i = 0; i < 4; i++)
    if (pipe2(all[i], O_CLOEXEC) != 0)
      return -1;
  return 0;
}

static void close_pair(int fd[2]) {
  close_fd(&fd[0]);
  close_fd(&fd[1]);
}

/* The exec outcome: 0 when exec happened (the report pipe closed empty). */
static int exec_result(int report) {
  int e = 0;
  ssize_t n;
  do
    n = read(report, &e, sizeof e);
  while (n < 0 && errno == EINTR);
  return n == (ssize_t)sizeof e ? e : 0;
}

/* ---- live groups, for a signal handler ---- */

/* Process groups started and not yet reaped: slot values are pids (= group
 * ids), 0 free. Read by stdio_process_kill_all from a signal handler, so
 * only lock-free atomics. */
static _Atomic pid_t live_groups[MCPWIRE_STDIO_PROCESSES_MAX];
static atomic_ulong started_count, ended_count, ended_by[STDIO_STOP_FAILED + 1];

/* ---- the watchdog: no group outlives mcpwire, however it ends ---- */

static int watchdog_fd = -1; /* the write end of its lifeline; -1 when none */
static pthread_once_t watchdog_once = PTHREAD_ONCE_INIT;

/* The watchdog process: reads pids from the lifeline (positive: a group
 * started, negative: it ended); at the lifeline's EOF (mcpwire gone, even
 * by a crash or SIGKILL) SIGKILLs every group still listed. Forked from a
 * threaded process, it calls only async-signal-safe functions. */
static void watchdog(void) {
  pid_t groups[MCPWIRE_STDIO_PROCESSES_MAX] = {0}, v;
  for (;;) {
    ssize_t n = read(0, &v, sizeof v);
    if (n < 0 && errno == EINTR)
      continue;
    if (n != (ssize_t)sizeof v)
      break;
    for (size_t i = 0; i < MCPWIRE_STDIO_PROCESSES_MAX; i++)
      if (v > 0 ? !groups[i] : groups[i] == -v) {
        groups[i] = v > 0 ? v : 0;
        break;
      }
  }
  for (size_t i = 0; i < MCPWIRE_STDIO_PROCESSES_MAX; i++)
    if (groups[i] > 0)
      kill(-groups[i], SIGKILL);
  _exit(0);
}

/* Forks the watchdog in a process group of its own (a terminal's Ctrl-C
 * is mcpwire's to handle), its stdin the lifeline, every other descriptor
 * closed. */
static void watchdog_start(void) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC))
    return;
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    static const int quiet[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT};
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    for (size_t i = 0; i < sizeof quiet / sizeof *quiet; i++)
      sigaction(quiet[i], &ign, NULL);
    if (dup2(fds[0], 0) < 0)
      _exit(1);
    if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
      for (int fd = 3; fd < MCPWIRE_WATCHDOG_FDS_SCAN; fd++)
        close(fd);
    watchdog();
  }
  close(fds[0]);
  if (pid < 0)
    close(fds[1]);
  else
    watchdog_fd = fds[1];
}

/* Tells the watchdog a group started (pid) or ended (-pid). */
static void watchdog_tell(pid_t v) {
  pthread_once(&watchdog_once, watchdog_start);
  if (watchdog_fd >= 0) {
    ssize_t w = write(watchdog_fd, &v, sizeof v); /* under PIPE_BUF: atomic */
    (void)w;
  }
}

static void live_add(pid_t pid) {
  watchdog_tell(pid);
  for (size_t i = 0; i < MCPWIRE_STDIO_PROCESSES_MAX; i++) {
    pid_t free_slot = 0;
    if (atomic_compare_exchange_strong(&live_groups[i], &free_slot, pid))
      return;
  }
}

static void live_remove(pid_t pid) {
  watchdog_tell(-pid);
  for (size_t i = 0; i < MCPWIRE_STDIO_PROCESSES_MAX; i++) {
    pid_t mine = pid;
    if (atomic_compare_exchange_strong(&live_groups[i], &mine, 0))
      return;
  }
}

void stdio_process_kill_all(void) {
  for (size_t i = 0; i < MCPWIRE_STDIO_PROCESSES_MAX; i++) {
    pid_t pid = atomic_load(&live_groups[i]);
    if (pid > 0)
      kill(-pid, SIGKILL);
  }
}

stdio_process_counts stdio_process_counts_read(void) {
  stdio_process_counts c = {.started = atomic_load(&started_count),
                            .ended = atomic_load(&ended_count)};
  for (int s = 0; s <= STDIO_STOP_FAILED; s++)
    c.ended_by[s] = atomic_load(&ended_by[s]);
  return c;
}

static stdio_process *launch(const stdio_spawn *spec, const char *path, char *const *argv,
                             char *const *env, char *why, size_t why_len) {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, report[2] = {-1, -1};
  stdio_process *p = calloc(1, sizeof *p);
  if (!p || pipes(in, out, err, report) != 0) {
    snprintf(why, why_len, "cannot create pipes: %s", strerror(errno));
    close_pair(in), close_pair(out), close_pair(err), close_pair(report);
    free(p);
    return NULL;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0)
    child(in, out, err, report[1], spec->cwd, path, argv, env, parent);
  int fork_errno = errno;
  if (pid > 0)
    setpgid(pid, pid); /* also here: no race with a signal sent right away */
  close_fd(&in[0]), close_fd(&out[1]), close_fd(&err[1]), close_fd(&report[1]);
  int e = pid > 0 ? exec_result(report[0]) : fork_errno;
  close_fd(&report[0]);
  if (pid < 0 || e) {
    snprintf(why, why_len, "cannot %s %s: %s", pid < 0 ? "fork for" : "run", path, strerror(e));
    if (pid > 0)
      waitpid(pid, NULL, 0); /* it _exits right after the report */
    close_pair(in), close_pair(out), close_pair(err);
    free(p);
    return NULL;
  }
  p->pid = pid;
  live_add(pid);
  atomic_fetch_add(&started_count, 1);
  p->in = in[1];
  p->out = out[0];
  p->err = err[0];
  fcntl(p->in, F_SETFL, fcntl(p->in, F_GETFL) | O_NONBLOCK);
  fcntl(p->out, F_SETFL, fcntl(p->out, F_GETFL) | O_NONBLOCK);
  fcntl(p->err, F_SETFL, fcntl(p->err, F_GETFL) | O_NONBLOCK);
  return p;
}

stdio_process *stdio_process_start(const stdio_spawn *spec, char *why, size_t why_len) {
  char path[MCPWIRE_STDIO_PATH_MAX];
  /* execve's argv is char *const[]: it does not write the strings. */
  char *sh_argv[] = {"sh", "-c", (char *)(uintptr_t)spec->shell_command, NULL};
  char *const *argv = spec->shell_command ? sh_argv : spec->argv;
  if (!argv || !argv[0]) {
    snprintf(why, why_len, "no command to run");
    return NULL;
  }
  int e = spec->shell_command ? (snprintf(path, sizeof path, "/bin/sh"), 0)
                              : resolve(argv[0], path, sizeof path);
  if (e) {
    snprintf(why, why_len, "cannot run %s: not found in PATH", argv[0]);
    return NULL;
  }
  char **env = build_env(spec->env);
  if (!env) {
    snprintf(why, why_len, "out of memory");
    return NULL;
  }
  stdio_process *p = launch(spec, path, argv, env, why, why_len);
  free(env);
  return p;
}

pid_t stdio_process_pid(const stdio_process *p) { return p->pid; }

/* ---- I/O ---- */

/* Milliseconds left before the deadline, for poll (0 when past). */
static int ms_left(double deadline_ms) {
  double left = deadline_ms - clock_ms();
  if (left <= 0)
    return 0;
  return left > MCPWIRE_STDIO_POLL_SLICE_MS ? MCPWIRE_STDIO_POLL_SLICE_MS : (int)left + 1;
}

/* write() with SIGPIPE blocked for this thread and a pending one taken
 * back, so a closed pipe is EPIPE whatever the process's disposition. */
static ssize_t write_nosigpipe(int fd, const void *buf, size_t len) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  ssize_t n = write(fd, buf, len);
  int e = errno;
  if (n < 0 && e == EPIPE) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
      ;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  errno = e;
  return n;
}

stdio_io stdio_process_write(stdio_process *p, const void *buf, size_t len, double deadline_ms) {
  const char *s = buf;
  while (len) {
    if (p->in < 0)
      return STDIO_IO_CLOSED;
    ssize_t n = write_nosigpipe(p->in, s, len);
    if (n > 0) {
      s += n;
      len -= (size_t)n;
      continue;
    }
    if (n < 0 && errno == EPIPE)
      return STDIO_IO_CLOSED;
    if (n < 0 && errno != EAGAIN && errno != EINTR)
      return STDIO_IO_ERROR;
    if (clock_ms() >= deadline_ms)
      return STDIO_IO_TIMEOUT;
    struct pollfd pfd = {p->in, POLLOUT, 0};
    poll(&pfd, 1, ms_left(deadline_ms));
  }
  return STDIO_IO_OK;
}

/* Reads what one stream has; closes it at EOF. Returns bytes read. */
static size_t drain(int *fd, char *chunk, void (*sink)(void *, const char *, size_t),
                    void *user) {
  ssize_t n;
  do
    n = read(*fd, chunk, MCPWIRE_STDIO_READ_CHUNK);
  while (n < 0 && errno == EINTR);
  if (n > 0 && sink)
    sink(user, chunk, (size_t)n);
  if (n == 0 || (n < 0 && errno != EAGAIN))
    close_fd(fd);
  return n > 0 ? (size_t)n : 0;
}

stdio_io stdio_process_pump(stdio_process *p, const stdio_sinks *sinks, double deadline_ms) {
  static const stdio_sinks none = {NULL, NULL, NULL};
  if (!sinks)
    sinks = &none;
  for (;;) {
    if (p->out < 0 && p->err < 0)
      return STDIO_IO_CLOSED;
    struct pollfd pfd[2] = {{p->out, POLLIN, 0}, {p->err, POLLIN, 0}};
    int ready = poll(pfd, 2, ms_left(deadline_ms));
    if (ready < 0 && errno != EINTR)
      return STDIO_IO_ERROR;
    size_t got = 0;
    int closed = 0;
    if (ready > 0 && pfd[0].revents) {
      got += drain(&p->out, p->chunk, sinks->on_stdout, sinks->user);
      closed |= p->out < 0;
    }
    if (ready > 0 && pfd[1].revents) {
      got += drain(&p->err, p->chunk, sinks->on_stderr, sinks->user);
      closed |= p->err < 0;
    }
    if (got)
      return STDIO_IO_OK;
    if (!closed && clock_ms() >= deadline_ms)
      return STDIO_IO_TIMEOUT;
  }
}

void stdio_process_close_stdin(stdio_process *p) { close_fd(&p->in); }

/* ---- shutdown ---- */

/* Whether the child has exited, without reaping it: a zombie keeps its
 * pid and its group id reserved, so the group can still be signalled. */
static int exited(stdio_process *p) {
  if (p->reaped)
    return 1;
  siginfo_t info;
  memset(&info, 0, sizeof info);
  if (waitid(P_PID, (id_t)p->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
    return errno == ECHILD;
  return info.si_pid == p->pid;
}

/* Waits for the child's exit until the deadline, draining its output. */
static int wait_exit(stdio_process *p, double deadline_ms, const stdio_sinks *sinks) {
  while (!exited(p)) {
    if (clock_ms() >= deadline_ms)
      return 0;
    double slice = clock_ms() + MCPWIRE_STDIO_REAP_POLL_MS;
    if (p->out >= 0 || p->err >= 0)
      stdio_process_pump(p, sinks, slice < deadline_ms ? slice : deadline_ms);
    else {
      struct timespec ts = {0, MCPWIRE_STDIO_REAP_POLL_MS * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
  return 1;
}

/* The child has exited: kill what is left of its group, then reap it. */
static void reap(stdio_process *p) {
  if (p->reaped)
    return;
  kill(-p->pid, SIGKILL);
  int status = 0;
  pid_t r;
  do
    r = waitpid(p->pid, &status, 0);
  while (r < 0 && errno == EINTR);
  p->reaped = 1;
  p->status = status;
  live_remove(p->pid);
}

int stdio_process_stop(stdio_process *p, double eof_wait_ms, double term_wait_ms,
                       const stdio_sinks *sinks, stdio_stop *out) {
  double t0 = clock_ms();
  memset(out, 0, sizeof *out);
  out->step = STDIO_STOP_ALREADY;
  if (!exited(p)) {
    stdio_process_close_stdin(p);
    out->step = STDIO_STOP_EOF;
    if (!wait_exit(p, clock_ms() + eof_wait_ms, sinks)) {
      out->step = STDIO_STOP_SIGTERM;
      kill(-p->pid, SIGTERM);
      if (!wait_exit(p, clock_ms() + term_wait_ms, sinks)) {
        out->step = STDIO_STOP_SIGKILL;
        kill(-p->pid, SIGKILL);
        if (!wait_exit(p, clock_ms() + MCPWIRE_STDIO_KILL_WAIT_MS, sinks)) {
          out->step = STDIO_STOP_FAILED;
          out->ms = clock_ms() - t0;
          return -1;
        }
      }
    }
  }
  out->ms = clock_ms() - t0;
  int counted = !p->reaped;
  reap(p);
  /* What the child wrote just before it exited is still in the pipes. */
  double drain_end = clock_ms() + MCPWIRE_STDIO_FINAL_DRAIN_MS;
  while ((p->out >= 0 || p->err >= 0) &&
         stdio_process_pump(p, sinks, drain_end) == STDIO_IO_OK)
    ;
  if (counted) {
    atomic_fetch_add(&ended_count, 1);
    atomic_fetch_add(&ended_by[out->step], 1);
  }
  out->status = p->status;
  close_fd(&p->in), close_fd(&p->out), close_fd(&p->err);
  return 0;
}

void stdio_process_free(stdio_process *p) {
  if (!p)
    return;
  if (!p->reaped) {
    stdio_stop st;
    stdio_process_stop(p, MCPWIRE_STDIO_EOF_WAIT_MS, MCPWIRE_STDIO_TERM_WAIT_MS, NULL, &st);
  }
  close_fd(&p->in), close_fd(&p->out), close_fd(&p->err);
  free(p);
}

const char *stdio_stop_step_name(stdio_stop_step s) {
  switch (s) {
  case STDIO_STOP_ALREADY: return "already exited";
  case STDIO_STOP_EOF: return "exited on stdin EOF";
  case STDIO_STOP_SIGTERM: return "exited on SIGTERM";
  case STDIO_STOP_SIGKILL: return "killed by SIGKILL";
  case STDIO_STOP_FAILED: return "still running after SIGKILL";
  }
  return "?";
}
