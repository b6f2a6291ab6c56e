/* coverage_test: the catalog joined with cases, on a small catalog of our own. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine/coverage.h"
#include "mcpwire_limits.h"

static const requirement CAT[] = {
    {"T-HS-MUST", "2503+", "MUST", "S", KIND_HS, 0, NULL},
    {"T-HS-SHOULD", "all", "SHOULD NOT", "S", KIND_HS, 0, NULL},
    {"T-HS-DEFACTO", "2503+", "de facto", "S", KIND_HS, 0, NULL},
    {"T-HS-EXPLAINED", "2511", "MUST*", "S", KIND_HS, 0, "needs a set-up we lack"},
    {"T-MC", "all", "MUST", "C", KIND_MC, KIND_HS, "client-side"},
    {"T-WHATWG", "HTTP", "whatwg-must", "S", KIND_HS, 0, NULL},
};

static void no_run(case_ctx *ctx) { (void)ctx; }

static const case_def CASES[] = {
    {.id = "a/cites-must", .level = LEVEL_MUST, .requirements = REQS("T-HS-MUST"),
     .faults = FAULTS("some-fault"), .run = no_run},
    {.id = "a/cites-unknown", .level = LEVEL_SHOULD, .requirements = REQS("T-NOT-THERE", "T-MC"),
     .no_fault_reason = "nothing to break", .run = no_run},
    {.id = "a/no-faults", .level = LEVEL_MUST, .requirements = REQS("T-HS-MUST"), .run = no_run},
};

static coverage_input input(void) {
  static const case_def *all[3] = {&CASES[0], &CASES[1], &CASES[2]};
  return (coverage_input){CAT, sizeof CAT / sizeof CAT[0], all, 3};
}

static void counts_follow_status(void) {
  coverage_input in = input();
  coverage_summary s = coverage_count(&in);
  CHECK_INT((long)s.requirements, 6);
  CHECK_INT((long)s.with_case, 2);       /* T-HS-MUST, T-MC */
  CHECK_INT((long)s.hs_normative, 4);    /* MUST, SHOULD NOT, MUST*, whatwg-must */
  CHECK_INT((long)s.hs_with_case, 1);
  CHECK_INT((long)s.hs_with_reason, 1);
  CHECK_INT((long)s.gaps, 2);            /* T-HS-SHOULD, T-WHATWG */
  CHECK_INT((long)s.unknown_ids, 1);
  CHECK_INT((long)s.cases_without_faults, 1);
}

static void levels_sort_normative(void) {
  CHECK(requirement_is_normative(&CAT[1]));
  CHECK(!requirement_is_normative(&CAT[2]));
  CHECK(requirement_wants_case(&CAT[5]));
  CHECK(!requirement_wants_case(&CAT[4])); /* M→C first, even if H→S is mentioned */
}

static char *written(const char *format) {
  coverage_input in = input();
  dynbuf out;
  dynbuf_init(&out, MCPWIRE_LIST_OUT_MAX);
  CHECK_INT(coverage_write(&out, format, &in), 0);
  return dynbuf_take(&out);
}

static void text_names_gaps_and_offenders(void) {
  char *t = written("text");
  CHECK(t && strstr(t, "GAP T-HS-SHOULD"));
  CHECK(t && strstr(t, "GAP T-WHATWG"));
  CHECK(t && !strstr(t, "GAP T-HS-DEFACTO"));
  CHECK(t && strstr(t, "a/cites-unknown cites T-NOT-THERE"));
  CHECK(t && strstr(t, "a/no-faults has neither"));
  CHECK(t && strstr(t, "a/cites-must (MUST), a/no-faults (MUST)"));
  free(t);
}

static void json_and_markdown_agree(void) {
  char *j = written("json");
  CHECK(j && strstr(j, "\"gaps\":[\"T-HS-SHOULD\",\"T-WHATWG\"]"));
  CHECK(j && strstr(j, "{\"case\":\"a/cites-unknown\",\"id\":\"T-NOT-THERE\"}"));
  CHECK(j && strstr(j, "\"cases_without_faults\":[\"a/no-faults\"]"));
  CHECK(j && strstr(j, "\"status\":\"open\""));
  free(j);
  char *m = written("markdown");
  CHECK(m && strstr(m, "| T-HS-EXPLAINED | 2511 | MUST* | S | H→S | *needs a set-up we lack* |"));
  CHECK(m && strstr(m, "| T-HS-SHOULD | all | SHOULD NOT | S | H→S | **GAP** |"));
  free(m);
  coverage_input in = input();
  dynbuf out;
  dynbuf_init(&out, 64);
  CHECK_INT(coverage_write(&out, "yaml", &in), -1);
  CHECK_INT(coverage_write(&out, "json", &in), -1); /* past the cap */
  dynbuf_free(&out);
}

int main(void) {
  counts_follow_status();
  levels_sort_normative();
  text_names_gaps_and_offenders();
  json_and_markdown_agree();
  return CHECK_DONE("coverage_test");
}
