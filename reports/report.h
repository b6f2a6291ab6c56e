/*
 * report: every output of a run, written from the one result model
 * (engine/result.h). JSON is the source of truth (schema "mcpwire-report/1",
 * docs/report.schema.json); JUnit XML, HTML and Markdown are views of it.
 *
 * Writers read the model only. Text from the target (expected, actual,
 * reason, transcript) is hostile: it is escaped for each format, invalid
 * UTF-8 becomes U+FFFD and controls a format forbids are replaced.
 * A path of "-" writes to stdout. Any other path must be absent or a
 * regular file: a report is written to a temporary file that mkstemp
 * creates beside it (".<name>.XXXXXX", O_EXCL, so no planted link is
 * followed) and renamed over the path when whole. The CLI prepares every
 * report file before the run, so a path that cannot be written stops the
 * run before any request.
 */
#ifndef MCPWIRE_REPORT_H
#define MCPWIRE_REPORT_H

#include <stdio.h>

#include "engine/result.h"

/* A report file made ready before the run. */
typedef struct report_file {
  char *path;     /* as given */
  char *tmp_path; /* the temporary file beside it; NULL for "-" (stdout) */
  int fd;         /* open on tmp_path; meaningful only when tmp_path is set */
} report_file;

/* Checks the path and creates its temporary file (mode 0644 less the
 * umask; call it before threads start, it reads the umask). 0 on success;
 * -1 with one line in why, e.g. "not a regular file (character device);
 * give a file path or '-'". f is zeroed first. */
int report_file_prepare(report_file *f, const char *path, char *why, size_t whylen);
/* Closes and removes the temporary file of a report that will not be
 * written, and zeroes f. Harmless on a zeroed or already written file. */
void report_file_discard(report_file *f);

/* Write a report into a prepared file and rename it into place; f is
 * released either way. 0 on success; -1 after printing
 * "mcpwire: <path>: <why>" to stderr (nothing is left behind). */
int report_write_json_to(const run_result *r, report_file *f);
int report_write_junit_to(const run_result *r, report_file *f);
int report_write_html_to(const run_result *r, report_file *f);
int report_write_markdown_to(const run_result *r, report_file *f);

/* The same in one step: prepare path, then write. */
int report_write_json(const run_result *r, const char *path);
int report_write_junit(const run_result *r, const char *path);
int report_write_html(const run_result *r, const char *path);
int report_write_markdown(const run_result *r, const char *path);

/* Console. color=1 adds ANSI colors; the caller decides (isatty, NO_COLOR).
 * One line per case either way, so logs and terminals read the same. */
void console_begin(const run_result *r, FILE *out, int color);
void console_case(const case_result *c, FILE *out, int color, size_t done, size_t total);
void console_summary(const run_result *r, FILE *out, int color);

/* Verdict a case counts as: WARN becomes FAIL under --strict. */
verdict report_effective_verdict(const run_result *r, const case_result *c);
/* 1 when the case makes the run fail: its effective verdict is FAIL or
 * ERROR and the baseline does not excuse it. */
int report_case_blocks(const run_result *r, const case_result *c);
/* Cases that make the run fail; the CLI exits 1 when this is not 0. */
size_t report_blocking_count(const run_result *r);

#endif
