/*
 * client_process: the MCP client under test, run once per scenario.
 *
 * `/bin/sh -c 'COMMAND URL'` in a process group of its own
 * (transport/stdio_process), the environment the official conformance
 * suite's client mode sets (MCP_CONFORMANCE_SCENARIO, _PROTOCOL_VERSION,
 * _CONTEXT), a deadline after which the whole group gets SIGTERM and then
 * SIGKILL, the tail of its output, and its memory sampled meanwhile
 * (/proc: VmRSS summed and VmHWM at most, over the group's processes).
 */
#ifndef MCPWIRE_CLIENT_PROCESS_H
#define MCPWIRE_CLIENT_PROCESS_H

#include <stddef.h>

typedef struct memory_sample {
  double t_ms;              /* on the caller's clock (clock_ms() - t0) */
  long rss_kb;              /* VmRSS summed over the group */
  long hwm_kb;              /* the largest VmHWM in the group */
} memory_sample;

typedef struct client_outcome {
  int started;              /* 0: could not start (why) */
  int hung;                 /* still running at the deadline, then stopped */
  int exited;               /* ended with an exit status (exit_code) */
  int exit_code;
  int signal;               /* ended by this signal (0: none) */
  double start_ms, end_ms;  /* on the caller's clock */
  char stop_step[40];       /* how it ended: "already exited", "killed by SIGKILL" */
  memory_sample *samples;
  size_t nsamples;
  char *output;             /* the last MCPWIRE_CLIENT_OUTPUT_MAX bytes of stdout+stderr */
  size_t output_len;
  char why[256];
} client_outcome;

typedef struct client_launch {
  const char *command;      /* the user's --command */
  const char *url;          /* appended as the last argument */
  const char *scenario;     /* MCP_CONFORMANCE_SCENARIO */
  const char *protocol_version; /* MCP_CONFORMANCE_PROTOCOL_VERSION */
  const char *context_json; /* MCP_CONFORMANCE_CONTEXT */
  double t0;                /* clock_ms() origin of the outcome's times */
  long timeout_ms;          /* from the start until the group is stopped */
} client_launch;

/* Runs the client to its end or the deadline; fills out (free it with
 * client_outcome_free). 0, or -1 when it could not start (out->why). */
int client_process_run(const client_launch *l, client_outcome *out);
void client_outcome_free(client_outcome *o);
/* The signal that ended the client: its own status, or the shell's
 * 128+N for a command it ran (sh reports a child's signal so); 0: none. */
int client_signal(const client_outcome *o);
/* The peak VmHWM up to t_ms, and after it (-1 when no sample). */
long client_peak_kb(const client_outcome *o, double from_ms, double to_ms);

#endif
