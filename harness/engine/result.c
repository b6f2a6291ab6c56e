#include "engine/result.h"

#include <stdlib.h>

const char *verdict_name(verdict v) {
  static const char *const names[VERDICT_COUNT] = {"pass", "fail", "warn", "skip", "error"};
  /* Out of range: a name every report's schema accepts. */
  return (unsigned)v < VERDICT_COUNT ? names[v] : "error";
}

const char *level_name(level l) {
  switch (l) {
  case LEVEL_MUST: return "MUST";
  case LEVEL_SHOULD: return "SHOULD";
  case LEVEL_MAY: return "MAY";
  case LEVEL_INFO: return "INFO";
  }
  return "INFO";
}

static void case_result_free(case_result *c) {
  for (size_t i = 0; i < c->nenvelope; i++) {
    free(c->envelope[i].where);
    free(c->envelope[i].reason);
    free(c->envelope[i].excerpt);
  }
  free(c->envelope);
  free(c->expected);
  free(c->actual);
  free(c->reason);
  free(c->transcript);
}

void run_result_free(run_result *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->ncases; i++)
    case_result_free(&r->cases[i]);
  free(r->cases);
  for (size_t i = 0; i < r->nbaseline_fixed; i++)
    free(r->baseline_fixed[i]);
  free(r->baseline_fixed);
  free(r->not_applicable);
  r->not_applicable = NULL;
  r->nnot_applicable = 0;
  free(r->target);
  free(r->profile.transport);
  free(r->profile.spec);
  free(r->profile.modern_spec);
  free(r->profile.evidence);
  free(r->started_at);
  r->cases = NULL;
  r->ncases = 0;
  r->baseline_fixed = NULL;
  r->nbaseline_fixed = 0;
  r->target = r->started_at = NULL;
  r->profile.transport = r->profile.spec = r->profile.evidence = NULL;
  r->profile.modern_spec = NULL;
}
