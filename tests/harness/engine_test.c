/* engine: selection, baseline, verdict mapping, transcript caps, runner. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "engine/case.h"
#include "engine/runner.h"
#include "engine/select.h"
#include "mcpwire_limits.h"

static atomic_int runs;

static void run_pass(case_ctx *ctx) {
  atomic_fetch_add(&runs, 1);
  ctx_checked(ctx, "x", "x");
}
static void run_violation(case_ctx *ctx) {
  atomic_fetch_add(&runs, 1);
  ctx_violation(ctx, "HTTP 404", "HTTP 400", "first problem");
  ctx_violation(ctx, "other", "other", "second problem");
}

static const case_def DEFS[] = {
    {CASE_ID("http/session", "a"), .title = "a", .transport = CASE_HTTP, .revisions = REV_SHTTP,
     .level = LEVEL_MUST, .requirements = REQS("X-1"), .spec_ref = "s", .run = run_pass},
    {CASE_ID("http/session", "b"), .title = "b", .transport = CASE_HTTP, .revisions = REV_SHTTP,
     .level = LEVEL_MUST, .requirements = REQS("X-2"), .spec_ref = "s", .run = run_violation},
    {CASE_ID("http/post", "c"), .title = "c", .transport = CASE_HTTP, .revisions = REV_SHTTP,
     .level = LEVEL_SHOULD, .requirements = REQS("X-3"), .spec_ref = "s", .run = run_violation},
    {CASE_ID("sse/endpoint", "d"), .title = "d", .transport = CASE_SSE,
     .revisions = REV_2024_11_05, .level = LEVEL_MUST, .requirements = REQS("X-4"),
     .spec_ref = "s", .run = run_pass},
    {CASE_ID("http/resume", "e"), .title = "e", .transport = CASE_HTTP,
     .revisions = REV_2025_11_25, .level = LEVEL_MUST, .requirements = REQS("X-5"),
     .spec_ref = "s", .run = run_pass},
};
#define NDEFS (sizeof DEFS / sizeof DEFS[0])

static const case_def *const *all_defs(void) {
  static const case_def *p[NDEFS];
  for (size_t i = 0; i < NDEFS; i++)
    p[i] = &DEFS[i];
  return p;
}

static void select_glob_star_crosses_slash_and_section_selects_cases(void) {
  const case_def *out[NDEFS];
  char bad[64];
  const char *g1[] = {"http/*"};
  CHECK_INT(select_cases(all_defs(), NDEFS, g1, 1, out, bad, sizeof bad), 4);
  const char *g2[] = {"http/session"};
  CHECK_INT(select_cases(all_defs(), NDEFS, g2, 1, out, bad, sizeof bad), 2);
  const char *g3[] = {"sse/endpoint/d", "*/c"};
  CHECK_INT(select_cases(all_defs(), NDEFS, g3, 2, out, bad, sizeof bad), 2);
  CHECK_STR(out[0]->id, "http/post/c");
  CHECK_INT(select_cases(all_defs(), NDEFS, NULL, 0, out, bad, sizeof bad), (long)NDEFS);
}

static void select_glob_matching_nothing_is_named(void) {
  const case_def *out[NDEFS];
  char bad[64] = "";
  const char *g[] = {"http/*", "http/sess"};
  CHECK_INT(select_cases(all_defs(), NDEFS, g, 2, out, bad, sizeof bad), -1);
  CHECK_STR(bad, "http/sess");
}

static const char *write_file(const char *text) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/mcpwire-engine-test-%d", (int)getpid());
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
  return path;
}

static void baseline_reads_ids_skipping_comments_and_blanks(void) {
  baseline b;
  char why[256];
  const char *p = write_file("# header\n\n  http/session/b  # known\r\nhttp/session/a\n");
  CHECK_INT(baseline_load(&b, p, why, sizeof why), 0);
  CHECK_INT(b.n, 2);
  CHECK(baseline_has(&b, "http/session/b"));
  CHECK(!baseline_has(&b, "http/post/c"));
  baseline_free(&b);
  unlink(p);
}

static void baseline_rejects_missing_file_and_overlong_line(void) {
  baseline b;
  char why[256];
  CHECK_INT(baseline_load(&b, "/nonexistent/baseline", why, sizeof why), -1);
  CHECK(strstr(why, "cannot read baseline /nonexistent/baseline") != NULL);
  char *big = malloc(MCPWIRE_BASELINE_LINE_MAX + 10);
  memset(big, 'a', MCPWIRE_BASELINE_LINE_MAX + 8);
  big[MCPWIRE_BASELINE_LINE_MAX + 8] = '\0';
  const char *p = write_file(big);
  CHECK_INT(baseline_load(&b, p, why, sizeof why), -1);
  CHECK(strstr(why, "longer than") != NULL);
  free(big);
  unlink(p);
}

static run_config test_config(const char *transport, const char *spec) {
  run_config cfg = {.url = "http://127.0.0.1:1/", .transport_name = transport, .spec = spec,
                    .step_timeout_ms = 100, .case_timeout_ms = 400};
  cfg.run_deadline_ms = clock_ms() + 60000;
  return cfg;
}

static void runner_maps_levels_skips_and_keeps_first_verdict(void) {
  run_config cfg = test_config("http", "2025-06-18");
  run_result r = {0};
  atomic_store(&runs, 0);
  CHECK_INT(runner_run(all_defs(), NDEFS, &cfg, &r, NULL, NULL), 0);
  CHECK_INT(atomic_load(&runs), 3); /* d: other transport; e: other revision */
  CHECK_INT(r.cases[0].verdict, VERDICT_PASS);
  CHECK_INT(r.cases[1].verdict, VERDICT_FAIL);  /* MUST violated */
  CHECK_STR(r.cases[1].reason, "first problem");
  CHECK_STR(r.cases[1].expected, "HTTP 404");
  CHECK_STR(r.cases[1].actual, "HTTP 400");
  CHECK(strstr(r.cases[1].transcript, "also fail: second problem") != NULL);
  CHECK_INT(r.cases[2].verdict, VERDICT_WARN);  /* SHOULD violated */
  CHECK_INT(r.cases[3].verdict, VERDICT_SKIP);
  CHECK(strstr(r.cases[3].reason, "sse transport") != NULL);
  CHECK_INT(r.cases[4].verdict, VERDICT_SKIP);
  CHECK(strstr(r.cases[4].reason, "2025-06-18") != NULL);
  CHECK_STR(r.cases[1].section, "http/session");
  CHECK_INT(r.counts[VERDICT_PASS], 1);
  CHECK_INT(r.counts[VERDICT_FAIL], 1);
  CHECK_INT(r.counts[VERDICT_WARN], 1);
  CHECK_INT(r.counts[VERDICT_SKIP], 2);
  CHECK_INT(run_blocking_failures(&r), 1);
  r.strict = 1;
  CHECK_INT(run_blocking_failures(&r), 2);
  run_result_free(&r);
}

static void baseline_excuses_failures_and_reports_fixed_cases(void) {
  run_config cfg = test_config("http", "2025-11-25");
  run_result r = {0};
  CHECK_INT(runner_run(all_defs(), NDEFS, &cfg, &r, NULL, NULL), 0);
  baseline b;
  char why[256];
  const char *p = write_file("http/session/b\nhttp/session/a\n");
  CHECK_INT(baseline_load(&b, p, why, sizeof why), 0);
  CHECK_INT(baseline_apply(&b, &r), 0);
  CHECK_INT(r.baseline_excused, 1);
  CHECK_INT(r.nbaseline_fixed, 1);
  CHECK_STR(r.baseline_fixed[0], "http/session/a");
  CHECK_INT(run_blocking_failures(&r), 0);
  baseline_free(&b);
  run_result_free(&r);
  unlink(p);
}

static void runner_runs_many_cases_each_once_concurrently(void) {
  enum { N = 3 * MCPWIRE_CASES_IN_FLIGHT + 1 };
  const case_def *many[N];
  for (size_t i = 0; i < N; i++)
    many[i] = &DEFS[0];
  run_config cfg = test_config("http", "2025-03-26");
  run_result r = {0};
  atomic_store(&runs, 0);
  CHECK_INT(runner_run(many, N, &cfg, &r, NULL, NULL), 0);
  CHECK_INT(atomic_load(&runs), N);
  CHECK_INT(r.counts[VERDICT_PASS], N);
  run_result_free(&r);
}

static void transcript_truncates_once_with_marker_within_cap(void) {
  transcript t;
  transcript_init(&t);
  char chunk[4096];
  memset(chunk, 'x', sizeof chunk);
  for (size_t i = 0; i < 2 * MCPWIRE_TRANSCRIPT_MAX / sizeof chunk; i++)
    transcript_add_bytes(&t, "> ", chunk, sizeof chunk, sizeof chunk);
  CHECK(t.truncated);
  CHECK(t.text.len <= MCPWIRE_TRANSCRIPT_MAX);
  const char *m = strstr(t.text.ptr, "[transcript truncated");
  CHECK(m != NULL);
  CHECK(m && strstr(m + 1, "[transcript truncated") == NULL);
  transcript_free(&t);
}

static void transcript_escapes_controls_and_counts_hidden_bytes(void) {
  transcript t;
  transcript_init(&t);
  transcript_add_bytes(&t, "< ", "a\r\nb\x01", 5, 4);
  CHECK(strstr(t.text.ptr, "< a\\r\\nb... [1 more bytes]") != NULL);
  transcript_free(&t);
}

static void names_of_verdicts_and_levels(void) {
  CHECK_STR(verdict_name(VERDICT_ERROR), "error");
  CHECK_STR(verdict_name(VERDICT_PASS), "pass");
  CHECK_STR(level_name(LEVEL_SHOULD), "SHOULD");
  CHECK_INT(revision_bit("2024-11-05"), REV_2024_11_05);
  CHECK_INT(revision_bit("2025-13-01"), 0);
}

int main(void) {
  runner_global_init();
  select_glob_star_crosses_slash_and_section_selects_cases();
  select_glob_matching_nothing_is_named();
  baseline_reads_ids_skipping_comments_and_blanks();
  baseline_rejects_missing_file_and_overlong_line();
  runner_maps_levels_skips_and_keeps_first_verdict();
  baseline_excuses_failures_and_reports_fixed_cases();
  runner_runs_many_cases_each_once_concurrently();
  transcript_truncates_once_with_marker_within_cap();
  transcript_escapes_controls_and_counts_hidden_bytes();
  names_of_verdicts_and_levels();
  runner_global_cleanup();
  return CHECK_DONE("engine_test");
}
