/* report_output: report files and the run summary (contract in
 * report_output.h), shared by mcpwire run and mcpwire client. */
#include "cli/report_output.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_text.h"
#include "cli/exit_codes.h"
#include "engine/select.h"
#include "mcpwire_limits.h"
#include "transport/stdio_process.h"

#if __has_include("reports/report.h")
#include "reports/report.h"
#define HAVE_REPORTS 1
#else
#define HAVE_REPORTS 0
#endif

#if HAVE_REPORTS
/* Report files opened before the run (prepare_reports) and written after
 * it (write_reports); whatever was not written is removed at exit. */
static struct { report_file json, junit, html, markdown; } prepared;

static void discard_reports(void) {
  report_file_discard(&prepared.json);
  report_file_discard(&prepared.junit);
  report_file_discard(&prepared.html);
  report_file_discard(&prepared.markdown);
}

/* Ctrl-C or a CI job's SIGTERM: the temporary files go (unlink is
 * async-signal-safe), then the signal does what it would have done. */
static void discard_on_signal(int sig) {
  stdio_process_kill_all(); /* no process mcpwire started outlives the run */
  report_file *all[] = {&prepared.json, &prepared.junit, &prepared.html, &prepared.markdown};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    if (all[i]->tmp_path)
      unlink(all[i]->tmp_path);
  signal(sig, SIG_DFL);
  raise(sig);
}

/* A signal the parent set to be ignored (nohup, a background job's
 * SIGINT) stays ignored. */
static void catch_unless_ignored(int sig) {
  if (signal(sig, discard_on_signal) == SIG_IGN)
    signal(sig, SIG_IGN);
}

/* 0, or -1 after one line naming the option, the path and why. */
static int prepare_one(const char *command, report_file *f, const char *option,
                       const char *path) {
  char why[MCPWIRE_REPORT_WHY_MAX];
  if (!path || !report_file_prepare(f, path, why, sizeof why))
    return 0;
  cli_fail(command, 0, "%s %s: %s", option, path, why);
  return -1;
}
#endif

/* Every report path is checked and its temporary file created before any
 * request, so a path that cannot be written stops the run at once (exit 2).
 * Returns -1 to continue, else an exit code. */
int report_output_prepare(const char *command, const report_paths *o) {
#if HAVE_REPORTS
  static int registered;
  if (!registered && !atexit(discard_reports)) {
    registered = 1;
    catch_unless_ignored(SIGINT);
    catch_unless_ignored(SIGTERM);
    catch_unless_ignored(SIGHUP);
  }
  if (prepare_one(command, &prepared.json, "--json", o->json) || prepare_one(command, &prepared.junit, "--junit", o->junit) ||
      prepare_one(command, &prepared.html, "--html", o->html) ||
      prepare_one(command, &prepared.markdown, "--markdown", o->markdown)) {
    discard_reports();
    return MCPWIRE_EXIT_USAGE;
  }
#else
  (void)o;
  (void)command;
#endif
  return -1;
}

int report_output_write(const run_result *r, const report_paths *o) {
#if HAVE_REPORTS
  int rc = 0;
  if (o->json && report_write_json_to(r, &prepared.json))
    rc = -1;
  if (o->junit && report_write_junit_to(r, &prepared.junit))
    rc = -1;
  if (o->html && report_write_html_to(r, &prepared.html))
    rc = -1;
  if (o->markdown && report_write_markdown_to(r, &prepared.markdown))
    rc = -1;
  return rc;
#else
  if (o->json || o->junit || o->html || o->markdown)
    fputs("mcpwire: report writers are not built in; reports skipped\n", stderr);
  (void)r;
  return 0;
#endif
}

void report_output_begin(const run_result *r, FILE *out, int color) {
#if HAVE_REPORTS
  console_begin(r, out, color);
#else
  (void)color;
  fprintf(out, "mcpwire %s: %s\n", r->tool_version, r->target ? r->target : "");
#endif
}

void report_output_case(const case_result *c, FILE *out, int color, size_t done, size_t total) {
#if HAVE_REPORTS
  console_case(c, out, color, done, total);
#else
  (void)color;
  fprintf(out, "[%zu/%zu] %-5s %s%s%s\n", done, total, verdict_name(c->verdict), c->id,
          c->reason ? "  " : "", c->reason ? c->reason : "");
#endif
}

void report_output_summary(const run_result *r, FILE *out, int color) {
#if HAVE_REPORTS
  console_summary(r, out, color);
#else
  (void)color;
  fprintf(out, "%zu cases: %zu pass, %zu fail, %zu warn, %zu skip, %zu error\n", r->ncases,
          r->counts[VERDICT_PASS], r->counts[VERDICT_FAIL], r->counts[VERDICT_WARN],
          r->counts[VERDICT_SKIP], r->counts[VERDICT_ERROR]);
#endif
  for (size_t i = 0; i < r->nbaseline_fixed; i++)
    fprintf(out, "baseline: %s passes now; remove it from the baseline\n",
            r->baseline_fixed[i]);
  /* lb/affinity's answer, one line, when it judged (docs/LOAD-BALANCING.md). */
  for (size_t i = 0; i < r->ncases; i++)
    if (!strcmp(r->cases[i].id, "lb/affinity") && r->cases[i].actual &&
        (r->cases[i].verdict == VERDICT_PASS || r->cases[i].verdict == VERDICT_WARN))
      fprintf(out, "load balancing: %s\n", r->cases[i].actual);
}

int report_output_option(report_paths *p, int c, const char *arg) {
  const char **slot[] = {&p->json, &p->junit, &p->html, &p->markdown};
  if (c < REPORT_OPTION_FIRST || c > REPORT_OPTION_FIRST + 3)
    return 0;
  *slot[c - REPORT_OPTION_FIRST] = arg;
  return 1;
}

int report_output_finish(run_result *r, const report_paths *p, FILE *out, int color) {
  report_output_summary(r, out, color);
  int rc = run_blocking_failures(r) ? MCPWIRE_EXIT_FAIL : MCPWIRE_EXIT_OK;
  if (report_output_write(r, p))
    rc = MCPWIRE_EXIT_INTERNAL;
  run_result_free(r);
  return rc;
}

char *report_output_now(void) {
  char buf[32];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return strdup(buf);
}

/* Colour unless NO_COLOR is set to a non-empty value (no-color.org). */
int report_output_color_allowed(void) {
  const char *v = getenv("NO_COLOR");
  return !v || !*v;
}
