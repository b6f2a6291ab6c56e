/* mcpwire client: serve scripted and hostile MCP exchanges to a client
 * under test, one scenario at a time, and judge what it sent. */
#define _GNU_SOURCE /* asprintf */
#include <fnmatch.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_text.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/report_output.h"
#include "engine/select.h"
#include "mcpwire_limits.h"
#include "scenarios/scenario.h"
#include "transport/transcript.h"

#ifndef MCPWIRE_VERSION
#define MCPWIRE_VERSION "0.0.0"
#endif

typedef struct client_options {
  const char *command, *suite, *baseline;
  const char *globs[MCPWIRE_CLIENT_SCENARIOS_MAX];
  size_t nglobs;
  long timeout_ms;
  int strict;
  report_paths reports;
} client_options;

static void client_usage(FILE *to) {
  fputs("usage: mcpwire client --command CMD [options]\n"
        "\n"
        "Tests an MCP client. For each scenario mcpwire serves a scripted MCP server\n"
        "on a fresh 127.0.0.1 port and runs CMD through /bin/sh with the server's URL\n"
        "appended as the last argument, in a process group of its own, with\n"
        "MCP_CONFORMANCE_SCENARIO (the scenario id), MCP_CONFORMANCE_PROTOCOL_VERSION\n"
        "and MCP_CONFORMANCE_CONTEXT (JSON) set as the official conformance suite's\n"
        "client mode sets them. The client is asked to list the tools, call the one\n"
        "listed and exit 0; verdicts come from what it sent on the wire, its exit\n"
        "status, whether it hung and its memory (see docs/CLIENT-TESTING.md).\n"
        "  --command CMD          the client (its adapter) to run; required\n"
        "  --scenario GLOB        scenarios whose id matches (repeatable; a section\n"
        "                         such as client/session selects all of its own)\n"
        "  --suite NAME           all (default), core (all but client/hostile), or an\n"
        "                         area: endpoint, lifecycle, post, session, version,\n"
        "                         modern, sse-shape, reconnect, server-request,\n"
        "                         stream, hostile\n"
        "  --timeout-ms N         deadline of one scenario from the client's start\n"
        "                         (default " CLI_NUMBER_TEXT(MCPWIRE_CLIENT_SCENARIO_TIMEOUT_MS)
        "); then SIGTERM to its group, SIGKILL after\n"
        "                         " CLI_NUMBER_TEXT(MCPWIRE_CLIENT_TERM_WAIT_MS) " ms\n"
        "  --strict               warnings fail the run\n"
        "  --baseline FILE        expected failures, one scenario id per line (# comments)\n"
        "  --json FILE  --junit FILE  --html FILE  --markdown FILE   reports ('-' stdout)\n"
        "'mcpwire list --side client' lists the scenarios.\n"
        "exit: 0 no failure, 1 failures, 2 usage error, 4 internal error\n",
        to);
}

#define usage_error(...) cli_usage_error("client", __VA_ARGS__)

enum { O_COMMAND = 256, O_SCENARIO, O_SUITE, O_TIMEOUT, O_STRICT, O_BASELINE, O_HELP };

/* Returns -1 to continue, else an exit code. */
static int parse_options(int argc, char **argv, client_options *o) {
  static const struct option longs[] = {
      {"command", required_argument, 0, O_COMMAND}, {"scenario", required_argument, 0, O_SCENARIO},
      {"suite", required_argument, 0, O_SUITE}, {"timeout-ms", required_argument, 0, O_TIMEOUT},
      {"strict", no_argument, 0, O_STRICT}, {"baseline", required_argument, 0, O_BASELINE},
      REPORT_OUTPUT_OPTIONS,
      {"help", no_argument, 0, O_HELP}, {0, 0, 0, 0}};
  opterr = 0;
  optind = 1;
  int c;
  char *end;
  while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
    if (report_output_option(&o->reports, c, optarg))
      continue;
    switch (c) {
    case O_COMMAND: o->command = optarg; break;
    case O_SCENARIO:
      if (o->nglobs >= MCPWIRE_CLIENT_SCENARIOS_MAX)
        return usage_error("too many --scenario options");
      o->globs[o->nglobs++] = optarg;
      break;
    case O_SUITE: o->suite = optarg; break;
    case O_TIMEOUT:
      o->timeout_ms = strtol(optarg, &end, 10);
      if (!*optarg || *end || o->timeout_ms < 500 || o->timeout_ms > 600000)
        return usage_error("--timeout-ms '%s' is not a number of ms (500..600000)", optarg);
      break;
    case O_STRICT: o->strict = 1; break;
    case O_BASELINE: o->baseline = optarg; break;
    case 'h':
    case O_HELP: client_usage(stdout); return MCPWIRE_EXIT_OK;
    default: return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc)
    return usage_error("unexpected argument '%s'", argv[optind]);
  if (!o->command || !*o->command)
    return usage_error("--command is required");
  if (strlen(o->command) > MCPWIRE_CLIENT_COMMAND_MAX)
    return usage_error("--command is longer than %d bytes", MCPWIRE_CLIENT_COMMAND_MAX);
  return -1;
}

/* A glob or a section name ("client/session") matches the id. */
static int glob_matches(const char *glob, const client_scenario *s) {
  return !fnmatch(glob, s->id, 0) || !strcmp(glob, s->section);
}

static int in_suite(const char *suite, const client_scenario *s) {
  if (!suite || !strcmp(suite, "all"))
    return 1;
  if (!strcmp(suite, "core"))
    return strcmp(s->section, "client/hostile") != 0;
  return !strcmp(s->section + strlen("client/"), suite);
}

/* The selected scenarios in table order; -1 with *bad set when a glob or
 * the suite matches nothing. */
static long select_scenarios(const client_options *o, const client_scenario **sel, const char **bad) {
  size_t n = 0, k = 0;
  const client_scenario *const *all = scenario_registry(&n);
  for (size_t g = 0; g < o->nglobs; g++) {
    size_t i = 0;
    while (i < n && !glob_matches(o->globs[g], all[i]))
      i++;
    if (i == n) {
      *bad = o->globs[g];
      return -1;
    }
  }
  for (size_t i = 0; i < n; i++) {
    int pick = in_suite(o->suite, all[i]);
    if (pick && o->nglobs) {
      pick = 0;
      for (size_t g = 0; g < o->nglobs && !pick; g++)
        pick = glob_matches(o->globs[g], all[i]);
    }
    if (pick)
      sel[k++] = all[i];
  }
  if (!k)
    *bad = o->suite ? o->suite : "(none)";
  return k ? (long)k : -1;
}

static void tally(run_result *r) {
  memset(r->counts, 0, sizeof r->counts);
  for (size_t i = 0; i < r->ncases; i++)
    r->counts[r->cases[i].verdict]++;
}

static void begin(run_result *r, const client_options *o) {
  char *target = NULL;
  if (asprintf(&target, "client: %s", o->command) < 0)
    target = NULL;
  r->target = target;
  r->started_at = report_output_now();
  r->tool_version = MCPWIRE_VERSION;
  r->strict = o->strict;
  r->profile.transport = strdup("client");
  r->profile.spec = strdup("per-scenario");
  r->profile.evidence = strdup("client mode: each scenario served on a fresh 127.0.0.1 port; "
                               "the command gets the URL as its last argument");
}

static int execute(const client_options *o, const client_scenario **sel, size_t nsel,
                   const baseline *b) {
  run_result r = {0};
  double t0 = clock_ms();
  begin(&r, o);
  r.cases = calloc(nsel, sizeof *r.cases);
  if (!r.cases || !r.target) {
    run_result_free(&r);
    return MCPWIRE_EXIT_INTERNAL;
  }
  int color = isatty(fileno(stdout)) && report_output_color_allowed();
  report_output_begin(&r, stdout, color);
  scenario_options so = {.command = o->command,
                         .timeout_ms = o->timeout_ms ? o->timeout_ms
                                                     : MCPWIRE_CLIENT_SCENARIO_TIMEOUT_MS};
  for (size_t i = 0; i < nsel; i++) {
    scenario_run(sel[i], &so, &r.cases[i]);
    r.ncases = i + 1;
    report_output_case(&r.cases[i], stdout, color, i + 1, nsel);
    fflush(stdout);
  }
  tally(&r);
  if (baseline_apply(b, &r)) {
    run_result_free(&r);
    return MCPWIRE_EXIT_INTERNAL;
  }
  r.duration_ms = clock_ms() - t0;
  return report_output_finish(&r, &o->reports, stdout, color);
}

int cmd_client(int argc, char **argv) {
  client_options o = {0};
  int rc = parse_options(argc, argv, &o);
  if (rc >= 0)
    return rc;
  size_t n = 0;
  scenario_registry(&n);
  const client_scenario **sel = calloc(n ? n : 1, sizeof *sel);
  if (!sel)
    return MCPWIRE_EXIT_INTERNAL;
  const char *bad = NULL;
  long nsel = select_scenarios(&o, sel, &bad);
  if (nsel < 0) {
    free(sel);
    return usage_error("'%s' selects no scenario (see 'mcpwire list --side client')", bad);
  }
  baseline b = {0};
  char why[600];
  if (o.baseline && baseline_load(&b, o.baseline, why, sizeof why)) {
    free(sel);
    return cli_fail("client", MCPWIRE_EXIT_USAGE, "%s", why);
  }
  if ((rc = report_output_prepare("client", &o.reports)) < 0) {
    /* a client that closes mid-write must not kill mcpwire; SIGINT and
     * SIGTERM (report_output) kill the client's group before mcpwire goes */
    signal(SIGPIPE, SIG_IGN);
    rc = execute(&o, sel, (size_t)nsel, &b);
  }
  baseline_free(&b);
  free(sel);
  return rc;
}
