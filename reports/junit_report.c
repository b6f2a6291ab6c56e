/* junit_report: JUnit XML for CI, one <testsuite> per spec section.
 *
 * Mapping: FAIL (and WARN under --strict) -> <failure>, ERROR -> <error>,
 * SKIP -> <skipped>, a failure the baseline excuses -> <skipped> marked as
 * an expected failure (as pytest does for xfail), WARN -> a pass whose
 * <system-out> starts with the warning. No CDATA: everything is escaped. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "mcpwire_limits.h"
#include "reports/report.h"
#include "reports/report_private.h"

typedef enum junit_outcome { JU_PASS, JU_FAILURE, JU_ERROR, JU_SKIPPED } junit_outcome;

static junit_outcome junit_outcome_of(const run_result *r, const case_result *c) {
  verdict v = report_effective_verdict(r, c);
  if ((v == VERDICT_FAIL || v == VERDICT_ERROR) && c->in_baseline)
    return JU_SKIPPED;
  switch (v) {
  case VERDICT_FAIL: return JU_FAILURE;
  case VERDICT_ERROR: return JU_ERROR;
  case VERDICT_SKIP: return JU_SKIPPED;
  default: return JU_PASS;
  }
}

/* "SHTTP-SESSION-09: reason" for the message attribute. */
static void put_message(report_sink *s, const case_result *c, const char *prefix) {
  sink_puts(s, " message=\"");
  sink_puts(s, prefix);
  if (c->requirements && c->requirements[0]) {
    sink_requirements(s, ESCAPE_XML_ATTR, c);
    sink_puts(s, ": ");
  }
  sink_field(s, ESCAPE_XML_ATTR, c->reason ? c->reason : "(no reason given)");
  sink_puts(s, "\"");
}

/* Body of a failure or error: everything a reader needs without the HTML. */
static void put_details(report_sink *s, const case_result *c) {
  sink_puts(s, "requirement: ");
  sink_requirements(s, ESCAPE_XML_TEXT, c);
  sink_printf(s, " (%s)\nspec: ", level_name(c->level));
  sink_field(s, ESCAPE_XML_TEXT, c->spec_ref);
  sink_puts(s, "\nexpected: ");
  sink_field(s, ESCAPE_XML_TEXT, c->expected ? c->expected : "(not given)");
  sink_puts(s, "\nactual: ");
  sink_field(s, ESCAPE_XML_TEXT, c->actual ? c->actual : "(not given)");
  sink_puts(s, "\nreason: ");
  sink_field(s, ESCAPE_XML_TEXT, c->reason ? c->reason : "(not given)");
}

static void put_outcome(report_sink *s, const case_result *c, junit_outcome o) {
  switch (o) {
  case JU_FAILURE:
    sink_puts(s, "      <failure");
    put_message(s, c, "");
    sink_printf(s, " type=\"%s\">", level_name(c->level));
    put_details(s, c);
    sink_puts(s, "</failure>\n");
    break;
  case JU_ERROR:
    sink_puts(s, "      <error");
    put_message(s, c, "");
    sink_puts(s, " type=\"error\">");
    put_details(s, c);
    sink_puts(s, "</error>\n");
    break;
  case JU_SKIPPED:
    sink_puts(s, "      <skipped");
    put_message(s, c, tally_verdict(c) == VERDICT_SKIP ? "" : "expected failure (baseline): ");
    sink_puts(s, "/>\n");
    break;
  case JU_PASS:
    break;
  }
}

/* Warnings, excused failures and the transcript go to <system-out>. */
static void put_system_out(report_sink *s, const run_result *r, const case_result *c) {
  transcript_view tv = sink_transcript_view(s, c);
  size_t tlen = tv.len;
  verdict v = tally_verdict(c);
  int noted = v == VERDICT_WARN || (c->in_baseline && report_effective_verdict(r, c) != VERDICT_PASS &&
                                    v != VERDICT_SKIP);
  if (!noted && !tlen)
    return;
  sink_puts(s, "      <system-out>");
  if (noted) {
    sink_printf(s, "%s%s\n", tally_verdict_label(v), c->in_baseline ? " (in baseline)" : "");
    put_details(s, c);
    sink_puts(s, tlen ? "\n\n" : "");
  }
  if (tlen) {
    sink_puts(s, "--- transcript ---\n");
    sink_transcript(s, ESCAPE_XML_TEXT, c, tlen);
    sink_puts(s, tv.truncated ? "\n[transcript truncated]" : "");
    if (tv.omitted)
      sink_printf(s, "\n[" TRANSCRIPT_BUDGET_NOTE "]", MCPWIRE_REPORT_TRANSCRIPTS_MAX, tv.omitted);
  }
  sink_puts(s, "</system-out>\n");
}

static void put_case(report_sink *s, const run_result *r, const case_result *c) {
  junit_outcome o = junit_outcome_of(r, c);
  sink_puts(s, "    <testcase classname=\"mcpwire.");
  sink_escaped(s, ESCAPE_XML_ATTR, tally_str(c->section), strlen(tally_str(c->section)));
  sink_puts(s, "\" name=\"");
  sink_escaped(s, ESCAPE_XML_ATTR, tally_str(c->id), strlen(tally_str(c->id)));
  sink_printf(s, "\" time=\"%.3f\">\n", c->duration_ms > 0 ? c->duration_ms / 1000.0 : 0.0);
  put_outcome(s, c, o);
  put_system_out(s, r, c);
  sink_puts(s, "    </testcase>\n");
}

typedef struct junit_counts { size_t tests, failures, errors, skipped; double ms; } junit_counts;

static void count_cases(const run_result *r, const size_t *idx, size_t n, junit_counts *k) {
  for (size_t i = 0; i < n; i++) {
    const case_result *c = &r->cases[idx ? idx[i] : i];
    junit_outcome o = junit_outcome_of(r, c);
    k->tests++;
    k->failures += o == JU_FAILURE;
    k->errors += o == JU_ERROR;
    k->skipped += o == JU_SKIPPED;
    k->ms += c->duration_ms > 0 ? c->duration_ms : 0;
  }
}

static void put_counts(report_sink *s, const junit_counts *k) {
  sink_printf(s, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\"",
              k->tests, k->failures, k->errors, k->skipped, k->ms / 1000.0);
}

static void put_property(report_sink *s, const char *name, const char *value) {
  sink_printf(s, "      <property name=\"%s\" value=\"", name);
  sink_field(s, ESCAPE_XML_ATTR, tally_str(value));
  sink_puts(s, "\"/>\n");
}

/* Counts as properties: sessions, not-applicable cases (no testcase of
 * theirs), quick mode; the same lines the console prints. */
static void put_run_notes(report_sink *s, const run_result *r) {
  const session_summary *c = &r->sessions;
  char v[400];
  snprintf(v, sizeof v, "%zu", c->opened);
  put_property(s, "sessions_opened", v);
  snprintf(v, sizeof v, "%zu", c->closed);
  put_property(s, "sessions_closed", v);
  snprintf(v, sizeof v, "%zu", c->not_offered);
  put_property(s, "sessions_not_reusable", v);
  snprintf(v, sizeof v, "%zu", c->kept + c->left_open);
  put_property(s, "sessions_left_open", v);
  if (tally_sessions_note(r, v, sizeof v) && (c->kept || c->left_open))
    put_property(s, "sessions_note", v);
  snprintf(v, sizeof v, "%zu", r->nnot_applicable);
  put_property(s, "not_applicable", v);
  if (tally_not_applicable_note(r, v, sizeof v))
    put_property(s, "not_applicable_note", v);
  if (tally_keepalive_note(r, v, sizeof v))
    put_property(s, "run_length_note", v);
  put_property(s, "quick", r->quick ? "true" : "false");
}

static void put_properties(report_sink *s, const run_result *r) {
  sink_puts(s, "    <properties>\n");
  put_property(s, "target", r->target);
  put_property(s, "spec", r->profile.spec);
  if (r->profile.modern_spec)
    put_property(s, "modern_spec", r->profile.modern_spec);
  put_property(s, "transport", r->profile.transport);
  put_property(s, "detected", r->profile.detected ? "true" : "false");
  put_property(s, "strict", r->strict ? "true" : "false");
  put_property(s, "started_at", r->started_at);
  put_property(s, "mcpwire_version", r->tool_version);
  put_run_notes(s, r);
  sink_puts(s, "    </properties>\n");
}

static void put_suite(report_sink *s, const run_result *r, const tally_section *sec,
                      const size_t *order) {
  junit_counts k = {0};
  count_cases(r, order + sec->first, sec->n, &k);
  sink_puts(s, "  <testsuite name=\"");
  sink_escaped(s, ESCAPE_XML_ATTR, sec->name, strlen(sec->name));
  sink_puts(s, "\"");
  put_counts(s, &k);
  sink_puts(s, ">\n");
  put_properties(s, r);
  for (size_t i = 0; i < sec->n; i++)
    put_case(s, r, &r->cases[order[sec->first + i]]);
  sink_puts(s, "  </testsuite>\n");
}

int report_write_junit_to(const run_result *r, report_file *f) {
  tally_section *secs;
  size_t *order;
  long nsec = tally_sections(r, &secs, &order);
  if (nsec < 0) {
    fprintf(stderr, "mcpwire: %s: out of memory\n", f->path ? f->path : "report");
    report_file_discard(f);
    return -1;
  }
  report_sink s;
  if (sink_open(&s, f)) {
    free(secs), free(order);
    return -1;
  }
  junit_counts all = {0};
  count_cases(r, NULL, r->ncases, &all);
  sink_puts(&s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mcpwire\"");
  put_counts(&s, &all);
  sink_puts(&s, ">\n");
  for (long i = 0; i < nsec; i++)
    put_suite(&s, r, &secs[i], order);
  sink_puts(&s, "</testsuites>\n");
  free(secs), free(order);
  return sink_close(&s);
}

int report_write_junit(const run_result *r, const char *path) {
  return sink_write_path(r, path, report_write_junit_to);
}
