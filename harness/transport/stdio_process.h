/*
 * stdio_process: a target launched as a child process for the stdio
 * transport (STDIO-02): pipes for its stdin, stdout and stderr, reads and
 * writes with deadlines, and the shutdown the spec describes (STDIO-09,
 * S26-STDIO-10): close stdin, wait, SIGTERM, wait, SIGKILL.
 *
 * The child runs in a process group of its own, and every signal goes to
 * the group, so what it forks goes too. Once the child has exited, whatever
 * is left in its group is killed before the child is reaped (its pid and
 * group id stay reserved until then), so no process is left behind. A
 * descendant that leaves the group (setsid, setpgid) is out of reach.
 * Should mcpwire die without stopping it (a crash, SIGKILL), a watchdog
 * process (forked at the first start, its stdin a pipe from mcpwire) sees
 * the pipe close and SIGKILLs every group still running; the child itself
 * also asks for SIGKILL on its parent's death (PR_SET_PDEATHSIG).
 *
 * Deadlines are absolute clock_ms() values (transcript.h). `mcpwire run
 * --command` launches every server through it.
 */
#ifndef MCPWIRE_STDIO_PROCESS_H
#define MCPWIRE_STDIO_PROCESS_H

#include <stddef.h>
#include <sys/types.h>

/* What to launch: a shell command line (run by /bin/sh -c) or an argv
 * array (argv[0] looked up in PATH when it has no '/'). */
typedef struct stdio_spawn {
  const char *shell_command; /* used when not NULL */
  char *const *argv;         /* NULL-terminated; used when shell_command is NULL */
  const char *cwd;           /* NULL: the caller's */
  char *const *env;          /* NULL-terminated "NAME=value" entries set on top of
                              * the caller's environment; NULL: none */
} stdio_spawn;

typedef struct stdio_process stdio_process;

/* Starts the child. Returns NULL with a one-line reason in `why` (a
 * command that cannot be run, a cwd that cannot be entered: the exec
 * failure is reported here, not as an exit status 127). */
stdio_process *stdio_process_start(const stdio_spawn *spec, char *why, size_t why_len);

pid_t stdio_process_pid(const stdio_process *p);

typedef enum stdio_io {
  STDIO_IO_OK = 0,    /* data moved */
  STDIO_IO_TIMEOUT,   /* the deadline passed first */
  STDIO_IO_CLOSED,    /* write: the child closed its stdin; pump: stdout and stderr at EOF */
  STDIO_IO_ERROR
} stdio_io;

/* Writes all of buf to the child's stdin before the deadline. A child
 * that stopped reading gives STDIO_IO_CLOSED, never a SIGPIPE. */
stdio_io stdio_process_write(stdio_process *p, const void *buf, size_t len, double deadline_ms);

/* Where pump hands the bytes it read; either may be NULL (bytes dropped). */
typedef struct stdio_sinks {
  void (*on_stdout)(void *user, const char *bytes, size_t len);
  void (*on_stderr)(void *user, const char *bytes, size_t len);
  void *user;
} stdio_sinks;

/* Waits until stdout or stderr has bytes and hands over what is there
 * (at most MCPWIRE_STDIO_READ_CHUNK per stream per call): STDIO_IO_OK, or
 * TIMEOUT, or CLOSED once both are at EOF. Both are read, so a child that
 * fills its stderr pipe never blocks. */
stdio_io stdio_process_pump(stdio_process *p, const stdio_sinks *sinks, double deadline_ms);

/* Closes the child's stdin (EOF) without waiting. */
void stdio_process_close_stdin(stdio_process *p);

/* The step that ended the child in stdio_process_stop. */
typedef enum stdio_stop_step {
  STDIO_STOP_ALREADY = 0, /* it had exited before stop was called */
  STDIO_STOP_EOF,         /* it exited after its stdin was closed */
  STDIO_STOP_SIGTERM,     /* after SIGTERM */
  STDIO_STOP_SIGKILL,     /* after SIGKILL */
  STDIO_STOP_FAILED       /* still there after SIGKILL's wait (reason given) */
} stdio_stop_step;

typedef struct stdio_stop {
  stdio_stop_step step;
  int status;            /* waitpid status (WIFEXITED, WTERMSIG, ...) */
  double ms;             /* from the call until the child had exited */
} stdio_stop;

/* Shuts the child down: closes stdin, waits eof_wait_ms, SIGTERM to the
 * group, waits term_wait_ms, SIGKILL to the group, waits at most
 * MCPWIRE_STDIO_KILL_WAIT_MS; stdout and stderr are drained into `sinks`
 * (NULL: dropped) meanwhile, so a child blocked on a full pipe still sees
 * its EOF. Then kills what is left of the group and reaps the child.
 * Returns 0, or -1 when the child could not be reaped (STDIO_STOP_FAILED). */
int stdio_process_stop(stdio_process *p, double eof_wait_ms, double term_wait_ms,
                       const stdio_sinks *sinks, stdio_stop *out);

/* Stops the child if need be (default waits) and frees everything. */
void stdio_process_free(stdio_process *p);

const char *stdio_stop_step_name(stdio_stop_step s);

/* SIGKILL to every process group started here and not yet reaped (at most
 * MCPWIRE_STDIO_PROCESSES_MAX tracked): async-signal-safe, for a SIGINT or
 * SIGTERM handler, so no child outlives mcpwire. */
void stdio_process_kill_all(void);

/* Processes started and ended (stopped by stdio_process_stop or _free)
 * since the program began, and by which step they ended. */
typedef struct stdio_process_counts {
  unsigned long started, ended;
  unsigned long ended_by[STDIO_STOP_FAILED + 1];
} stdio_process_counts;
stdio_process_counts stdio_process_counts_read(void);

#endif
