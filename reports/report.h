/*
 * report: every output of a run, written from the one result model
 * (engine/result.h). JSON is the source of truth (schema "mcpwire-report/1",
 * docs/report.schema.json); JUnit XML, HTML and Markdown are views of it.
 *
 * Writers read the model only. Text from the target (expected, actual,
 * reason, transcript) is hostile: it is escaped for each format, invalid
 * UTF-8 becomes U+FFFD and controls a format forbids are replaced.
 * A path of "-" writes to stdout; any other path is written to "<path>.tmp"
 * and renamed, so a report on disk is always whole.
 */
#ifndef MCPWIRE_REPORT_H
#define MCPWIRE_REPORT_H

#include <stdio.h>

#include "engine/result.h"

/* 0 on success; -1 after printing "mcpwire: <path>: <why>" to stderr. */
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
