/* client_process: the client under test as a process group (contract in
 * client_process.h). */
#define _GNU_SOURCE /* asprintf */
#include "stage/client_process.h"

#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mcpwire_limits.h"
#include "transport/stdio_process.h"
#include "transport/transcript.h"

/* The process group of a pid (/proc/PID/stat field 5); -1 when gone. */
static long pgrp_of(const char *pid) {
  char path[300], buf[512];
  snprintf(path, sizeof path, "/proc/%s/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  const char *p = strrchr(buf, ')'); /* the command may hold spaces */
  long pg = -1;
  if (p && sscanf(p + 1, " %*c %*d %ld", &pg) != 1)
    pg = -1;
  return pg;
}

static void add_status(const char *pid, long *rss, long *hwm) {
  char path[300], line[256];
  snprintf(path, sizeof path, "/proc/%s/status", pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return;
  long v;
  while (fgets(line, sizeof line, f)) {
    if (sscanf(line, "VmRSS: %ld", &v) == 1)
      *rss += v;
    else if (sscanf(line, "VmHWM: %ld", &v) == 1 && v > *hwm)
      *hwm = v;
  }
  fclose(f);
}

/* One memory sample of the group, appended (thinned by half when full). */
static void sample(client_outcome *o, long pgid, double t) {
  DIR *d = opendir("/proc");
  if (!d)
    return;
  long rss = 0, hwm = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (isdigit((unsigned char)e->d_name[0]) && pgrp_of(e->d_name) == pgid)
      add_status(e->d_name, &rss, &hwm);
  closedir(d);
  if (!rss && !hwm)
    return;
  if (o->nsamples == MCPWIRE_CLIENT_MEMORY_SAMPLES_MAX) {
    for (size_t i = 0; i < o->nsamples / 2; i++)
      o->samples[i] = o->samples[2 * i];
    o->nsamples /= 2;
  }
  o->samples[o->nsamples++] = (memory_sample){t, rss, hwm};
}

/* Keeps the last MCPWIRE_CLIENT_OUTPUT_MAX bytes. */
static void keep_output(void *user, const char *b, size_t n) {
  client_outcome *o = user;
  if (n >= MCPWIRE_CLIENT_OUTPUT_MAX) {
    b += n - MCPWIRE_CLIENT_OUTPUT_MAX;
    n = MCPWIRE_CLIENT_OUTPUT_MAX;
  }
  if (o->output_len + n > MCPWIRE_CLIENT_OUTPUT_MAX) {
    size_t drop = o->output_len + n - MCPWIRE_CLIENT_OUTPUT_MAX;
    memmove(o->output, o->output + drop, o->output_len - drop);
    o->output_len -= drop;
  }
  memcpy(o->output + o->output_len, b, n);
  o->output_len += n;
  o->output[o->output_len] = 0;
}

static void ending(client_outcome *o, const stdio_stop *st) {
  snprintf(o->stop_step, sizeof o->stop_step, "%s", stdio_stop_step_name(st->step));
  if (WIFEXITED(st->status)) {
    o->exited = 1;
    o->exit_code = WEXITSTATUS(st->status);
  } else if (WIFSIGNALED(st->status)) {
    o->signal = WTERMSIG(st->status);
  }
}

int client_process_run(const client_launch *l, client_outcome *o) {
  memset(o, 0, sizeof *o);
  o->samples = calloc(MCPWIRE_CLIENT_MEMORY_SAMPLES_MAX, sizeof *o->samples);
  o->output = calloc(1, MCPWIRE_CLIENT_OUTPUT_MAX + 1);
  size_t clen = strlen(l->command) + strlen(l->url) + 4;
  char *cmd = malloc(clen);
  char *env[4] = {NULL, NULL, NULL, NULL};
  if (asprintf(&env[0], "MCP_CONFORMANCE_SCENARIO=%s", l->scenario) < 0 ||
      asprintf(&env[1], "MCP_CONFORMANCE_PROTOCOL_VERSION=%s", l->protocol_version) < 0 ||
      asprintf(&env[2], "MCP_CONFORMANCE_CONTEXT=%s", l->context_json) < 0)
    env[0] = env[1] = env[2] = NULL;
  int rc = -1;
  if (!o->samples || !o->output || !cmd || !env[2]) {
    snprintf(o->why, sizeof o->why, "out of memory");
    goto done;
  }
  /* the URL is loopback, made by the stage: no quote to escape */
  snprintf(cmd, clen, "%s '%s'", l->command, l->url);
  stdio_spawn spec = {.shell_command = cmd, .env = env};
  o->start_ms = clock_ms() - l->t0;
  stdio_process *p = stdio_process_start(&spec, o->why, sizeof o->why);
  if (!p)
    goto done;
  o->started = 1;
  long pgid = (long)stdio_process_pid(p);
  stdio_sinks sinks = {keep_output, keep_output, o};
  double deadline = clock_ms() + (double)l->timeout_ms;
  stdio_io io = STDIO_IO_OK;
  while (io != STDIO_IO_CLOSED && clock_ms() < deadline) {
    double next = clock_ms() + MCPWIRE_CLIENT_MEMORY_SAMPLE_MS;
    io = stdio_process_pump(p, &sinks, next < deadline ? next : deadline);
    sample(o, pgid, clock_ms() - l->t0);
    if (io == STDIO_IO_ERROR)
      break;
  }
  double left = deadline - clock_ms();
  stdio_stop st;
  stdio_process_stop(p, left > 0 ? left : 0, MCPWIRE_CLIENT_TERM_WAIT_MS, &sinks, &st);
  o->hung = st.step == STDIO_STOP_SIGTERM || st.step == STDIO_STOP_SIGKILL ||
            st.step == STDIO_STOP_FAILED;
  ending(o, &st);
  o->end_ms = clock_ms() - l->t0;
  stdio_process_free(p);
  rc = 0;
done:
  free(cmd);
  for (int i = 0; i < 3; i++)
    free(env[i]);
  return rc;
}

long client_peak_kb(const client_outcome *o, double from_ms, double to_ms) {
  long peak = -1;
  for (size_t i = 0; i < o->nsamples; i++)
    if (o->samples[i].t_ms >= from_ms && o->samples[i].t_ms <= to_ms &&
        o->samples[i].hwm_kb > peak)
      peak = o->samples[i].hwm_kb;
  return peak;
}

int client_signal(const client_outcome *o) {
  if (o->signal)
    return o->signal;
  return o->exited && o->exit_code > 128 && o->exit_code < 128 + 32 ? o->exit_code - 128 : 0;
}

void client_outcome_free(client_outcome *o) {
  free(o->samples);
  free(o->output);
  memset(o, 0, sizeof *o);
}
