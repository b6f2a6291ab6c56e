/*
 * runner: runs selected cases, several at once, and fills a run_result.
 *
 * Independent cases run concurrently on up to run_config.jobs (default MCPWIRE_CASES_IN_FLIGHT)
 * threads, each case with its own client (its own CURLM) and session.
 * curl_global_init must have been called once before (runner_global_init).
 * A case for the transport the target does not speak is not run: its id
 * goes to run_result.not_applicable, outside cases[] and the counts. A case
 * that does not apply to the negotiated revision is skipped with that
 * reason (--spec could run it) without touching the network.
 */
#ifndef MCPWIRE_RUNNER_H
#define MCPWIRE_RUNNER_H

#include <stddef.h>

#include "engine/case.h"
#include "engine/result.h"

/* Called (serialised) after each case ends. */
typedef void (*runner_progress)(void *user, const case_result *c, size_t done, size_t total);

/* curl_global_init once per process; 0 on success. */
int runner_global_init(void);
void runner_global_cleanup(void);

/* Runs the applicable ones of `n` cases; out->cases / ncases / counts and
 * out->not_applicable are filled (the rest of out is the caller's); cases[]
 * keeps the selection's order. 0 on success, -1 when out of memory or threads fail. */
int runner_run(const case_def *const *cases, size_t n, const run_config *cfg,
               run_result *out, runner_progress progress, void *user);

/* Counts verdicts into r->counts. */
void runner_count(run_result *r);

#endif
