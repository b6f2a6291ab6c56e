/* engine: selection, baseline, verdict mapping, transcript caps, runner. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "engine/case.h"
#include "engine/envelope.h"
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
  /* d, for the sse transport, is not applicable: listed apart, not a skip. */
  CHECK_INT(r.ncases, NDEFS - 1);
  CHECK_INT(r.nnot_applicable, 1);
  CHECK_STR(r.not_applicable[0], all_defs()[3]->id);
  CHECK_STR(r.not_applicable_transport, "sse");
  CHECK_INT(r.cases[3].verdict, VERDICT_SKIP);  /* e: revision not negotiated */
  CHECK(strstr(r.cases[3].reason, "2025-06-18") != NULL);
  CHECK_STR(r.cases[1].section, "http/session");
  CHECK_INT(r.counts[VERDICT_PASS], 1);
  CHECK_INT(r.counts[VERDICT_FAIL], 1);
  CHECK_INT(r.counts[VERDICT_WARN], 1);
  CHECK_INT(r.counts[VERDICT_SKIP], 1);
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

/* Cases that stay a while, counting how many run at the same time. */
static atomic_int in_flight, most_in_flight;
static void run_counting_overlap(case_ctx *ctx) {
  int now = atomic_fetch_add(&in_flight, 1) + 1;
  int seen = atomic_load(&most_in_flight);
  while (now > seen && !atomic_compare_exchange_weak(&most_in_flight, &seen, now))
    ;
  struct timespec ts = {0, 20 * 1000 * 1000};
  nanosleep(&ts, NULL);
  atomic_fetch_sub(&in_flight, 1);
  ctx_checked(ctx, "x", "x");
}

static int most_at_once(size_t jobs) {
  const case_def slow = {CASE_ID("http/session", "overlap"), .title = "o",
                         .transport = CASE_HTTP, .revisions = REV_SHTTP,
                         .level = LEVEL_MUST, .requirements = REQS("X-9"),
                         .spec_ref = "s", .run = run_counting_overlap};
  enum { N = 12 };
  const case_def *many[N];
  for (size_t i = 0; i < N; i++)
    many[i] = &slow;
  run_config cfg = test_config("http", "2025-03-26");
  cfg.jobs = jobs;
  run_result r = {0};
  atomic_store(&in_flight, 0);
  atomic_store(&most_in_flight, 0);
  CHECK_INT(runner_run(many, N, &cfg, &r, NULL, NULL), 0);
  CHECK_INT(r.counts[VERDICT_PASS], N);
  run_result_free(&r);
  return atomic_load(&most_in_flight);
}

/* --jobs: 1 runs cases one after the other; more lets them overlap, never
 * past the number given. */
static void runner_honours_jobs(void) {
  CHECK_INT(most_at_once(1), 1);
  int three = most_at_once(3);
  CHECK(three >= 2 && three <= 3);
  CHECK(most_at_once(0) <= MCPWIRE_CASES_IN_FLIGHT);
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

/* ---- the envelope check of every received message ---- */

static void check_msg(envelope_watch *w, long status, const char *body) {
  envelope_check(w, "#1 POST http://h/mcp: test", status, body, strlen(body));
}

static void envelope_flags_each_broken_rule_with_where_and_message(void) {
  case_result r = {0};
  transcript t;
  transcript_init(&t);
  envelope_watch w;
  envelope_attach(&w, &t, &r);
  CHECK(t.on_message != NULL);
  check_msg(&w, 200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
  CHECK_INT(r.envelope_messages, 1);
  CHECK_INT(r.nenvelope, 0);
  static const char both[] = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{},\"error\":"
                             "{\"code\":1,\"message\":\"m\"}}";
  check_msg(&w, 200, both);
  CHECK_INT(r.nenvelope, 1);
  CHECK_STR(r.envelope[0].rule, "JSONRPC-09");
  CHECK_INT(r.envelope[0].level, LEVEL_MUST);
  CHECK_STR(r.envelope[0].where, "#1 POST http://h/mcp: test");
  CHECK_STR(r.envelope[0].excerpt, both);
  CHECK_INT(r.envelope[0].message_len, strlen(both));
  CHECK(strstr(t.text.ptr, "envelope JSONRPC-09 (MUST) in #1 POST http://h/mcp: test: has both") != NULL);
  /* Not JSON at all in a 200 body; an error status with a body that does
   * not claim JSON-RPC is none of our business; one that claims it is. */
  check_msg(&w, 200, "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{},}");
  CHECK_STR(r.envelope[1].rule, "RFC8259");
  size_t before = r.envelope_messages;
  check_msg(&w, 401, "{\"error\":\"unauthorized\"}");
  check_msg(&w, 500, "Internal Server Error");
  CHECK_INT(r.envelope_messages, before);
  check_msg(&w, 400, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":\"x\",\"message\":\"m\"}}");
  CHECK_INT(r.envelope_messages, before + 1);
  CHECK_STR(r.envelope[2].rule, "JSONRPC-11");
  /* I-JSON points are SHOULD; a notification with an id is JSONRPC-13. */
  check_msg(&w, 200, "{\"jsonrpc\":\"2.0\",\"id\":4,\"id\":4,\"result\":{}}");
  CHECK_STR(r.envelope[3].rule, "I-JSON");
  CHECK_INT(r.envelope[3].level, LEVEL_SHOULD);
  check_msg(&w, 200, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"notifications/progress\"}");
  CHECK_STR(r.envelope[4].rule, "JSONRPC-13");
  CHECK(strstr(r.envelope[4].reason, "notifications/progress carries \"id\":9") != NULL);
  /* A batch element is named. */
  check_msg(&w, 200, "[{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{}},"
                     "{\"jsonrpc\":\"1.0\",\"id\":6,\"result\":{}}]");
  CHECK_STR(r.envelope[5].rule, "JSONRPC-02");
  CHECK(strncmp(r.envelope[5].reason, "batch element 1: ", 17) == 0);
  CHECK_INT(r.nenvelope, 6);
  for (size_t i = 0; i < r.nenvelope; i++)
    free(r.envelope[i].where), free(r.envelope[i].reason), free(r.envelope[i].excerpt);
  free(r.envelope);
  transcript_free(&t);
}

static void envelope_forgives_echoes_of_odd_ids_the_harness_sent(void) {
  case_result r = {0};
  transcript t;
  transcript_init(&t);
  envelope_watch w;
  envelope_attach(&w, &t, &r);
  static const char sent[] = "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}";
  t.on_message(t.on_message_user, 1, "#1 POST x", 0, sent, strlen(sent));
  CHECK_INT(r.envelope_messages, 0);
  check_msg(&w, 400, "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"error\":{\"code\":-32600,\"message\":\"m\"}}");
  CHECK_INT(r.nenvelope, 0);
  CHECK(strstr(t.text.ptr, "echoes an id the harness sent") != NULL);
  /* An odd id the harness never sent is the target's own. */
  check_msg(&w, 200, "{\"jsonrpc\":\"2.0\",\"id\":2.5,\"error\":{\"code\":-32600,\"message\":\"m\"}}");
  CHECK_INT(r.nenvelope, 1);
  CHECK_STR(r.envelope[0].rule, "JSONRPC-04");
  free(r.envelope[0].where), free(r.envelope[0].reason), free(r.envelope[0].excerpt);
  free(r.envelope);
  transcript_free(&t);
}

static void envelope_keeps_a_capped_list_and_excerpts_around_the_problem(void) {
  case_result r = {0};
  envelope_watch w;
  envelope_attach(&w, &(transcript){0}, &r);
  w.log = NULL; /* no transcript lines needed */
  for (int i = 0; i < MCPWIRE_ENVELOPE_PROBLEMS_MAX + 4; i++)
    check_msg(&w, 200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[]}");
  CHECK_INT(r.nenvelope, MCPWIRE_ENVELOPE_PROBLEMS_MAX);
  CHECK_INT(r.envelope_dropped, 4);
  CHECK_INT(r.envelope_messages, MCPWIRE_ENVELOPE_PROBLEMS_MAX + 4);
  for (size_t i = 0; i < r.nenvelope; i++)
    free(r.envelope[i].where), free(r.envelope[i].reason), free(r.envelope[i].excerpt);
  free(r.envelope);
  /* A long message: the excerpt is a window that holds the bad member. */
  case_result big = {0};
  w.res = &big;
  char body[4096];
  int n = snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":1,\"pad\":\"");
  memset(body + n, 'p', 3000);
  snprintf(body + n + 3000, sizeof body - (size_t)n - 3000, "\",\"result\":\"not an object\"}");
  check_msg(&w, 200, body);
  CHECK_INT(big.nenvelope, 1);
  CHECK(big.envelope[0].excerpt_offset > 0);
  CHECK(strlen(big.envelope[0].excerpt) <= MCPWIRE_ENVELOPE_EXCERPT_MAX);
  CHECK(strstr(big.envelope[0].excerpt, "\"result\":\"not an object\"") != NULL);
  free(big.envelope[0].where), free(big.envelope[0].reason), free(big.envelope[0].excerpt);
  free(big.envelope);
}

/* A run-wide case judges after every other and sees their results; its
 * early part runs first. */
static atomic_int wide_saw, wide_early_saw;
static int ended_cases(const case_ctx *ctx) {
  int done = 0;
  for (size_t i = 0; ctx->run && i < ctx->run->ncases; i++)
    done += ctx->run->cases[i].transcript != NULL; /* set when a case ends */
  return done;
}
static void run_wide_early(case_ctx *ctx) { atomic_store(&wide_early_saw, ended_cases(ctx)); }
static void run_wide_body(case_ctx *ctx) {
  atomic_store(&wide_saw, ended_cases(ctx));
  ctx_checked(ctx, "x", "x");
}

static const case_def wide[] = {
    {CASE_ID("run", "w"), .title = "w", .transport = CASE_ANY, .revisions = REV_ALL,
     .level = LEVEL_MUST, .requirements = REQS("X-9"), .spec_ref = "s", .run = run_wide_body,
     .run_wide = 1, .early = run_wide_early}};

static void run_wide_cases_come_along_and_run_last(void) {
  const case_def *set[NDEFS + 1];
  set[0] = &wide[0]; /* first in the table, still run last */
  for (size_t i = 0; i < NDEFS; i++)
    set[i + 1] = &DEFS[i];
  const case_def *out[NDEFS + 1];
  char bad[64];
  const char *g[] = {"http/session"};
  CHECK_INT(select_cases(set, NDEFS + 1, g, 1, out, bad, sizeof bad), 3);
  CHECK_STR(out[0]->id, "run/w");
  const char *alone[] = {"run/w"};
  CHECK_INT(select_cases(set, NDEFS + 1, alone, 1, out, bad, sizeof bad), 1);
  for (size_t jobs = 1; jobs <= 8; jobs += 7) {
    run_config cfg = test_config("http", "2025-11-25");
    cfg.jobs = jobs;
    run_result r = {0};
    atomic_store(&wide_saw, -1);
    atomic_store(&wide_early_saw, -1);
    CHECK_INT(runner_run(set, NDEFS + 1, &cfg, &r, NULL, NULL), 0);
    /* every other case had ended (the sse one, not applicable, never ran) */
    CHECK_INT(atomic_load(&wide_saw), (int)NDEFS - 1);
    if (jobs == 1) /* one at a time: the early part came before any other case */
      CHECK_INT(atomic_load(&wide_early_saw), 0);
    CHECK(atomic_load(&wide_early_saw) >= 0);
    CHECK_INT(r.cases[0].verdict, VERDICT_PASS);
    run_result_free(&r);
  }
}

static void names_of_verdicts_and_levels(void) {
  CHECK_STR(verdict_name(VERDICT_ERROR), "error");
  CHECK_STR(verdict_name(VERDICT_PASS), "pass");
  CHECK_STR(level_name(LEVEL_SHOULD), "SHOULD");
  CHECK_INT(revision_bit("2024-11-05"), REV_2024_11_05);
  CHECK_INT(revision_bit("2025-13-01"), 0);
}

/* A case of the other era is not applicable when detection found the
 * server does not speak it, and a skip when --spec chose the era. */
static const case_def ERAS[] = {
    {CASE_ID("http/x", "session"), .title = "t", .transport = CASE_HTTP,
     .revisions = REV_SHTTP, .level = LEVEL_MUST, .requirements = REQS("R"),
     .spec_ref = "s", .run = run_pass},
    {CASE_ID("modern/x", "stateless"), .title = "t", .transport = CASE_HTTP,
     .revisions = REV_2026_07_28, .level = LEVEL_MUST, .requirements = REQS("R"),
     .spec_ref = "s", .run = run_pass},
};

static void run_eras(run_config *cfg, run_result *r) {
  const case_def *set[] = {&ERAS[0], &ERAS[1]};
  memset(r, 0, sizeof *r);
  CHECK_INT(runner_run(set, 2, cfg, r, NULL, NULL), 0);
}

static void runner_sets_aside_cases_of_an_era_the_server_does_not_speak(void) {
  run_result r;
  run_config session = test_config("http", "2025-11-25");
  run_eras(&session, &r);
  CHECK_INT(r.ncases, 1);
  CHECK_INT(r.nnot_applicable, 1);
  CHECK_INT(r.nnot_applicable_era, 1);
  CHECK_STR(r.not_applicable[0], "modern/x/stateless");
  CHECK_STR(r.not_applicable_era, "2026-07-28");
  run_result_free(&r);
  run_config stateless = test_config("http", "2026-07-28");
  run_eras(&stateless, &r);
  CHECK_INT(r.nnot_applicable_era, 1);
  CHECK_STR(r.not_applicable[0], "http/x/session");
  CHECK_STR(r.not_applicable_era, "session");
  run_result_free(&r);
  stateless.dual_era = 1; /* it serves the session era too: the user can act */
  run_eras(&stateless, &r);
  CHECK_INT(r.nnot_applicable, 0);
  CHECK_INT(r.counts[VERDICT_SKIP], 1);
  run_result_free(&r);
  session.spec_forced = 1; /* --spec 2025-11-25 chose the era */
  run_eras(&session, &r);
  CHECK_INT(r.nnot_applicable, 0);
  CHECK_INT(r.counts[VERDICT_SKIP], 1);
  run_result_free(&r);
  session.spec_forced = 0;
  session.modern_spec = "2026-07-28"; /* a dual-era run: both run */
  run_eras(&session, &r);
  CHECK_INT(r.nnot_applicable, 0);
  CHECK_INT(r.counts[VERDICT_PASS], 2);
  run_result_free(&r);
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
  runner_honours_jobs();
  transcript_truncates_once_with_marker_within_cap();
  transcript_escapes_controls_and_counts_hidden_bytes();
  names_of_verdicts_and_levels();
  envelope_flags_each_broken_rule_with_where_and_message();
  envelope_forgives_echoes_of_odd_ids_the_harness_sent();
  envelope_keeps_a_capped_list_and_excerpts_around_the_problem();
  run_wide_cases_come_along_and_run_last();
  runner_sets_aside_cases_of_an_era_the_server_does_not_speak();
  runner_global_cleanup();
  return CHECK_DONE("engine_test");
}
