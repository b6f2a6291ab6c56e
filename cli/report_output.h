/*
 * report_output: the report files and the summary of a run, shared by
 * `mcpwire run` (servers) and `mcpwire client` (clients): every path is
 * prepared before anything is sent, written from the one result model
 * after, and removed when the run is interrupted.
 */
#ifndef MCPWIRE_REPORT_OUTPUT_H
#define MCPWIRE_REPORT_OUTPUT_H

#include <stdio.h>

#include "engine/result.h"

/* --json, --junit, --html, --markdown (NULL: not asked for; "-": stdout). */
typedef struct report_paths {
  const char *json, *junit, *html, *markdown;
} report_paths;

/* The four report options, for a command's getopt_long table: their
 * values are REPORT_OPTION_FIRST .. +3 (json, junit, html, markdown). */
#define REPORT_OPTION_FIRST 900
#define REPORT_OUTPUT_OPTIONS                                                              \
  {"json", required_argument, 0, REPORT_OPTION_FIRST},                                     \
      {"junit", required_argument, 0, REPORT_OPTION_FIRST + 1},                            \
      {"html", required_argument, 0, REPORT_OPTION_FIRST + 2},                             \
      {"markdown", required_argument, 0, REPORT_OPTION_FIRST + 3}
/* 1 when getopt's c is a report option (its path set from arg), else 0. */
int report_output_option(report_paths *p, int c, const char *arg);

/* Checks every path and creates its temporary file; a path that cannot be
 * written is one line naming the command ("mcpwire run: --json ...").
 * Returns -1 to continue, else an exit code. */
int report_output_prepare(const char *command, const report_paths *p);
/* Writes the reports asked for; 0, or -1 when one could not be written. */
int report_output_write(const run_result *r, const report_paths *p);
/* The console: the run's heading, then one line per case as it ends (the
 * report writers' console, or plain lines when they are not built in). */
void report_output_begin(const run_result *r, FILE *out, int color);
void report_output_case(const case_result *c, FILE *out, int color, size_t done, size_t total);
/* The counts and the baseline entries that pass now. */
void report_output_summary(const run_result *r, FILE *out, int color);
/* The end of a run: the summary, the reports asked for, the result freed.
 * Returns the exit code: MCPWIRE_EXIT_FAIL when a case blocks (fail, error,
 * warn under --strict, not in the baseline), MCPWIRE_EXIT_INTERNAL when a
 * report could not be written, else MCPWIRE_EXIT_OK. */
int report_output_finish(run_result *r, const report_paths *p, FILE *out, int color);
/* Now as RFC 3339 UTC (caller frees). */
char *report_output_now(void);
/* 1 unless NO_COLOR is set to a non-empty value (no-color.org). */
int report_output_color_allowed(void);

#endif
