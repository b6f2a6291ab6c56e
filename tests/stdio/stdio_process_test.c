/*
 * stdio_process_test: the stdio transport's child process, with real
 * children (/bin/sh, cat, sleep): launching (argv and shell, cwd, extra
 * environment, failures), the three pipes, deadlines, and each step of the
 * shutdown, including a child that ignores SIGTERM and forks a grandchild:
 * no process may survive (checked by pid).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "codec/dynbuf.h"
#include "transport/stdio_process.h"
#include "transport/transcript.h"

#define OUT_MAX (4u * 1024 * 1024)
#define SHORT_WAIT_MS 300.0

typedef struct output {
  dynbuf out, err;
} output;

static void on_out(void *user, const char *b, size_t n) { dynbuf_add(&((output *)user)->out, b, n); }
static void on_err(void *user, const char *b, size_t n) { dynbuf_add(&((output *)user)->err, b, n); }

static void output_init(output *o) {
  dynbuf_init(&o->out, OUT_MAX);
  dynbuf_init(&o->err, OUT_MAX);
}

static void output_free(output *o) {
  dynbuf_free(&o->out);
  dynbuf_free(&o->err);
}

/* Pumps until stdout holds `want` bytes or the pipes close or 5 s pass. */
static void pump_until(stdio_process *p, output *o, size_t want_out, size_t want_err) {
  stdio_sinks sinks = {on_out, on_err, o};
  double deadline = clock_ms() + 5000;
  while ((o->out.len < want_out || o->err.len < want_err) && clock_ms() < deadline)
    if (stdio_process_pump(p, &sinks, deadline) == STDIO_IO_CLOSED)
      break;
}

static stdio_process *start_sh(const char *cmd) {
  char why[256] = "";
  stdio_spawn spec = {cmd, NULL, NULL, NULL};
  stdio_process *p = stdio_process_start(&spec, why, sizeof why);
  if (!p)
    fprintf(stderr, "start failed: %s\n", why);
  CHECK(p != NULL);
  return p;
}

/* Whether pid is gone: no such process, or a zombie (dead, waiting for a
 * parent that may never reap it in a container). Waits up to 2 s. */
static int gone(pid_t pid) {
  double deadline = clock_ms() + 2000;
  do {
    if (kill(pid, 0) != 0 && errno == ESRCH)
      return 1;
    char path[64], stat[256] = "";
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f) {
      size_t n = fread(stat, 1, sizeof stat - 1, f);
      stat[n] = '\0';
      fclose(f);
      const char *paren = strrchr(stat, ')');
      if (paren && paren[1] == ' ' && paren[2] == 'Z')
        return 1;
    }
    struct timespec ts = {0, 10 * 1000000L};
    nanosleep(&ts, NULL);
  } while (clock_ms() < deadline);
  return 0;
}

/* argv: cat echoes what is written; closing stdin ends it (EOF step). */
static void test_argv_echo(void) {
  char *argv[] = {"cat", NULL};
  stdio_spawn spec = {NULL, argv, NULL, NULL};
  char why[256];
  stdio_process *p = stdio_process_start(&spec, why, sizeof why);
  CHECK(p != NULL);
  if (!p)
    return;
  const char *msg = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n";
  CHECK_INT(stdio_process_write(p, msg, strlen(msg), clock_ms() + 2000), STDIO_IO_OK);
  output o;
  output_init(&o);
  pump_until(p, &o, strlen(msg), 0);
  CHECK_STR(dynbuf_str(&o.out), msg);
  stdio_stop st;
  CHECK_INT(stdio_process_stop(p, SHORT_WAIT_MS, SHORT_WAIT_MS, NULL, &st), 0);
  CHECK_INT(st.step, STDIO_STOP_EOF);
  CHECK(WIFEXITED(st.status) && WEXITSTATUS(st.status) == 0);
  stdio_process_free(p);
  output_free(&o);
}

/* Shell form with cwd and an extra variable; stdout and stderr apart. */
static void test_shell_cwd_env(void) {
  char dir[] = "/tmp/mcpwire-stdio-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char *env[] = {"MCPWIRE_STDIO_T=from-test", "PATH=/usr/bin:/bin", NULL};
  stdio_spawn spec = {"printf '%s|%s\\n' \"$PWD\" \"$MCPWIRE_STDIO_T\"; echo on-stderr >&2",
                      NULL, dir, env};
  char why[256];
  stdio_process *p = stdio_process_start(&spec, why, sizeof why);
  CHECK(p != NULL);
  if (!p)
    return;
  output o;
  output_init(&o);
  pump_until(p, &o, SIZE_MAX, SIZE_MAX); /* until both close */
  char want[128];
  snprintf(want, sizeof want, "%s|from-test\n", dir);
  CHECK_STR(dynbuf_str(&o.out), want);
  CHECK_STR(dynbuf_str(&o.err), "on-stderr\n");
  stdio_stop st;
  stdio_process_stop(p, SHORT_WAIT_MS, SHORT_WAIT_MS, NULL, &st);
  CHECK(st.step == STDIO_STOP_ALREADY || st.step == STDIO_STOP_EOF);
  stdio_process_free(p);
  output_free(&o);
  rmdir(dir);
}

/* A command that cannot run, a cwd that cannot be entered: a reason. */
static void test_start_failures(void) {
  char why[256] = "";
  char *argv[] = {"mcpwire-no-such-command-here", NULL};
  stdio_spawn spec = {NULL, argv, NULL, NULL};
  CHECK(stdio_process_start(&spec, why, sizeof why) == NULL);
  CHECK(strstr(why, "mcpwire-no-such-command-here") != NULL);
  char *cat[] = {"cat", NULL};
  stdio_spawn bad_cwd = {NULL, cat, "/nonexistent/mcpwire", NULL};
  why[0] = '\0';
  CHECK(stdio_process_start(&bad_cwd, why, sizeof why) == NULL);
  CHECK(strstr(why, "No such file") != NULL);
  char *dir_argv[] = {"/tmp", NULL};
  stdio_spawn not_exec = {NULL, dir_argv, NULL, NULL};
  CHECK(stdio_process_start(&not_exec, why, sizeof why) == NULL);
  CHECK(strstr(why, "Permission denied") != NULL);
}

/* A child ignoring EOF that SIGTERM ends. */
static void test_sigterm_step(void) {
  stdio_process *p = start_sh("exec sleep 100");
  if (!p)
    return;
  stdio_stop st;
  CHECK_INT(stdio_process_stop(p, SHORT_WAIT_MS, SHORT_WAIT_MS, NULL, &st), 0);
  CHECK_INT(st.step, STDIO_STOP_SIGTERM);
  CHECK(WIFSIGNALED(st.status) && WTERMSIG(st.status) == SIGTERM);
  CHECK(st.ms >= SHORT_WAIT_MS && st.ms < SHORT_WAIT_MS + 2000);
  stdio_process_free(p);
}

/* Reads the first line of stdout as a pid (the grandchild's). */
static pid_t read_pid(stdio_process *p, output *o) {
  stdio_sinks sinks = {on_out, on_err, o};
  double deadline = clock_ms() + 5000;
  while (!strchr(dynbuf_str(&o->out), '\n') && clock_ms() < deadline)
    if (stdio_process_pump(p, &sinks, deadline) == STDIO_IO_CLOSED)
      break;
  pid_t pid = (pid_t)atoi(dynbuf_str(&o->out));
  fprintf(stderr, "grandchild pid %d\n", (int)pid); /* to find a survivor */
  return pid;
}

/* A child that ignores SIGTERM and forked a grandchild that ignores it
 * too: SIGKILL ends both; no survivor by pid. */
static void test_sigkill_step_no_survivor(void) {
  stdio_process *p = start_sh("trap '' TERM; sleep 100 & echo $!; wait; wait; wait");
  if (!p)
    return;
  output o;
  output_init(&o);
  pid_t grandchild = read_pid(p, &o);
  pid_t child = stdio_process_pid(p);
  CHECK(grandchild > 1 && grandchild != child);
  stdio_stop st;
  CHECK_INT(stdio_process_stop(p, SHORT_WAIT_MS, SHORT_WAIT_MS, NULL, &st), 0);
  CHECK_INT(st.step, STDIO_STOP_SIGKILL);
  CHECK(WIFSIGNALED(st.status) && WTERMSIG(st.status) == SIGKILL);
  CHECK(gone(child));
  CHECK(gone(grandchild));
  stdio_process_free(p);
  output_free(&o);
}

/* A child that exits on EOF but leaves a grandchild running: the group is
 * killed as the child is reaped. */
static void test_eof_exit_leaves_nothing(void) {
  stdio_process *p = start_sh("sleep 100 & echo $!; read line; exit 3");
  if (!p)
    return;
  output o;
  output_init(&o);
  pid_t grandchild = read_pid(p, &o);
  CHECK(grandchild > 1);
  CHECK(kill(grandchild, 0) == 0); /* alive before the stop */
  stdio_stop st;
  CHECK_INT(stdio_process_stop(p, 2000, SHORT_WAIT_MS, NULL, &st), 0);
  CHECK_INT(st.step, STDIO_STOP_EOF);
  CHECK(WIFEXITED(st.status) && WEXITSTATUS(st.status) == 3);
  CHECK(gone(grandchild));
  stdio_process_free(p);
  output_free(&o);
}

/* Writing to a child that is gone: CLOSED, and no SIGPIPE kills us. */
static void test_write_after_exit(void) {
  signal(SIGPIPE, SIG_DFL);
  stdio_process *p = start_sh("exit 0");
  if (!p)
    return;
  output o;
  output_init(&o);
  pump_until(p, &o, SIZE_MAX, SIZE_MAX);
  static char big[256 * 1024];
  memset(big, 'x', sizeof big);
  CHECK_INT(stdio_process_write(p, big, sizeof big, clock_ms() + 2000), STDIO_IO_CLOSED);
  stdio_stop st;
  stdio_process_stop(p, SHORT_WAIT_MS, SHORT_WAIT_MS, NULL, &st);
  CHECK(st.step == STDIO_STOP_ALREADY || st.step == STDIO_STOP_EOF); /* exit races the pipes closing */
  stdio_process_free(p);
  output_free(&o);
}

/* Nothing on the pipes: pump returns at its deadline. A child that does
 * not read its stdin: write returns at its deadline. */
static void test_deadlines(void) {
  stdio_process *p = start_sh("exec sleep 100");
  if (!p)
    return;
  double t0 = clock_ms();
  CHECK_INT(stdio_process_pump(p, NULL, t0 + 150), STDIO_IO_TIMEOUT);
  double took = clock_ms() - t0;
  CHECK(took >= 149 && took < 1000);
  static char big[1024 * 1024]; /* more than a pipe holds */
  t0 = clock_ms();
  CHECK_INT(stdio_process_write(p, big, sizeof big, t0 + 150), STDIO_IO_TIMEOUT);
  took = clock_ms() - t0;
  CHECK(took >= 149 && took < 1000);
  stdio_stop st;
  stdio_process_stop(p, SHORT_WAIT_MS, SHORT_WAIT_MS, NULL, &st);
  CHECK_INT(st.step, STDIO_STOP_SIGTERM);
  stdio_process_free(p);
}

/* A child that writes 1 MiB to stderr before it reads stdin: pump reads
 * both, so it never blocks. */
static void test_stderr_flood(void) {
  stdio_process *p = start_sh("head -c 1048576 /dev/zero >&2; exec cat");
  if (!p)
    return;
  output o;
  output_init(&o);
  pump_until(p, &o, 0, 1048576);
  CHECK_INT(o.err.len, 1048576);
  CHECK_INT(stdio_process_write(p, "x\n", 2, clock_ms() + 2000), STDIO_IO_OK);
  pump_until(p, &o, 2, 0);
  CHECK_STR(dynbuf_str(&o.out), "x\n");
  stdio_stop st;
  stdio_process_stop(p, SHORT_WAIT_MS, SHORT_WAIT_MS, NULL, &st);
  CHECK_INT(st.step, STDIO_STOP_EOF);
  stdio_process_free(p);
  output_free(&o);
}

int main(void) {
  test_argv_echo();
  test_shell_cwd_env();
  test_start_failures();
  test_sigterm_step();
  test_sigkill_step_no_survivor();
  test_eof_exit_leaves_nothing();
  test_write_after_exit();
  test_deadlines();
  test_stderr_flood();
  CHECK_INT(stdio_stop_step_name(STDIO_STOP_SIGKILL)[0], 'k');
  return CHECK_DONE("stdio_process_test");
}
