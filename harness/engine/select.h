/*
 * select: which cases a run includes (--case globs) and the baseline file
 * of expected failures (--baseline).
 */
#ifndef MCPWIRE_SELECT_H
#define MCPWIRE_SELECT_H

#include <stddef.h>

#include "engine/case.h"
#include "engine/result.h"

/* Keeps the cases whose id matches any glob (fnmatch; `*` crosses `/`, and
 * a bare section such as "http/session" matches every case under it). With
 * no globs every case is kept. Returns the count written to `out` (room for
 * n), or -1 with the first glob that matched nothing copied to `bad`.
 * Run-wide cases (case_def.run_wide) are kept whenever another case is. */
long select_cases(const case_def *const *all, size_t n, const char *const *globs,
                  size_t nglobs, const case_def **out, char *bad, size_t badlen);

typedef struct baseline {
  char **ids;
  size_t n;
} baseline;

/* Reads one case id per line; blank lines and `#` comments are ignored.
 * 0 on success; -1 with a one-line reason in `why`. */
int baseline_load(baseline *b, const char *path, char *why, size_t whylen);
void baseline_free(baseline *b);
int baseline_has(const baseline *b, const char *id);

/* Marks listed cases in_baseline, counts excused failures (fail, error, and
 * warn under strict) and records listed cases that now pass. */
int baseline_apply(const baseline *b, run_result *r);

/* Cases that decide the exit code: fail and error verdicts (and warn under
 * strict) not excused by the baseline. */
size_t run_blocking_failures(const run_result *r);

#endif
