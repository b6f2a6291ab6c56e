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

/* Checks every path and creates its temporary file; a path that cannot be
 * written is one line naming the command ("mcpwire run: --json ...").
 * Returns -1 to continue, else an exit code. */
int report_output_prepare(const char *command, const report_paths *p);
/* Writes the reports asked for; 0, or -1 when one could not be written. */
int report_output_write(const run_result *r, const report_paths *p);
/* The counts and the baseline entries that pass now. */
void report_output_summary(const run_result *r, FILE *out, int color);
/* Now as RFC 3339 UTC (caller frees). */
char *report_output_now(void);
/* 1 unless NO_COLOR is set to a non-empty value (no-color.org). */
int report_output_color_allowed(void);

#endif
