/* markdown_report: a CI step summary (GitHub $GITHUB_STEP_SUMMARY). Short
 * by design: a headline, the non-passing cases, capped transcript snippets.
 * Every cell is escaped; the whole text stays under MCPWIRE_REPORT_MD_MAX. */
#include <string.h>

#include "mcpwire_limits.h"
#include "reports/report.h"
#include "reports/report_private.h"

/* Room kept at the end for the closing notes. */
#define MD_TAIL_RESERVE 4096

/* Not applicable cases, sessions, what set the run's length: one line each. */
static void put_run_notes(report_sink *s, const run_result *r) {
  char line[400];
  int any = 0;
  for (size_t i = 0; i < TALLY_RUN_NOTES; i++)
    if (tally_run_notes[i](r, line, sizeof line)) {
      sink_puts(s, "- ");
      sink_field(s, ESCAPE_PROSE, line);
      sink_puts(s, "\n");
      any = 1;
    }
  if (any)
    sink_puts(s, "\n");
}

static void put_headline(report_sink *s, const run_result *r, const tally *t) {
  if (t->blocking)
    sink_printf(s, "## mcpwire: FAILED, %zu blocking\n\n", t->blocking);
  else
    sink_puts(s, "## mcpwire: passed\n\n");
  sink_printf(s, "**%zu cases**: %zu pass · %zu fail · %zu warn · %zu skip · %zu error",
              r->ncases, t->counts[VERDICT_PASS], t->counts[VERDICT_FAIL],
              t->counts[VERDICT_WARN], t->counts[VERDICT_SKIP], t->counts[VERDICT_ERROR]);
  if (t->excused)
    sink_printf(s, " · %zu excused by the baseline", t->excused);
  sink_puts(s, "\n\nTarget ");
  sink_field(s, ESCAPE_MD_CELL, r->target);
  sink_puts(s, " · spec ");
  sink_field(s, ESCAPE_MD_CELL, r->profile.spec);
  if (r->profile.modern_spec) {
    sink_puts(s, " + ");
    sink_field(s, ESCAPE_MD_CELL, r->profile.modern_spec);
  }
  sink_printf(s, " (%s) · transport ", r->profile.detected ? "detected" : "given");
  sink_field(s, ESCAPE_MD_CELL, r->profile.transport);
  sink_printf(s, "%s%s · %.1f s\n\n", r->strict ? " · strict" : "", r->quick ? " · quick" : "",
              tally_ms(r->duration_ms) / 1000.0);
  put_run_notes(s, r);
}

static void put_row(report_sink *s, const run_result *r, const case_result *c) {
  sink_puts(s, "| ");
  sink_field(s, ESCAPE_MD_CELL, c->id);
  if (r->profile.modern_spec && c->revision) { /* a dual-era run: each case's era */
    sink_puts(s, " (");
    sink_field(s, ESCAPE_MD_CELL, c->revision);
    sink_puts(s, ")");
  }
  sink_printf(s, " | %s | ", level_name(c->level));
  sink_requirements(s, ESCAPE_MD_CELL, c);
  verdict v = tally_verdict(c);
  sink_printf(s, " | %s%s%s | ", tally_verdict_label(v),
              report_effective_verdict(r, c) != v ? " (strict: FAIL)" : "",
              c->in_baseline ? " (baseline)" : "");
  sink_field(s, ESCAPE_MD_CELL, c->reason);
  sink_puts(s, " |\n");
}

static size_t budget_left(const report_sink *s) {
  size_t used = sink_size(s) + MD_TAIL_RESERVE;
  return used < MCPWIRE_REPORT_MD_MAX ? MCPWIRE_REPORT_MD_MAX - used : 0;
}

/* Table order: what breaks the run first, then warnings, excused
 * failures, skips. */
static int row_rank(const run_result *r, const case_result *c) {
  verdict v = tally_verdict(c);
  if (v == VERDICT_PASS)
    return -1;
  if (report_case_blocks(r, c))
    return 0;
  if (v == VERDICT_WARN)
    return 1;
  return v == VERDICT_SKIP ? 3 : 2;
}

static void put_table(report_sink *s, const run_result *r) {
  size_t shown = 0, left_out = 0;
  for (int rank = 0; rank <= 3; rank++) {
    for (size_t i = 0; i < r->ncases; i++) {
      const case_result *c = &r->cases[i];
      if (row_rank(r, c) != rank)
        continue;
      if (!shown && !left_out)
        sink_puts(s, "| case | level | requirements | verdict | reason |\n| --- | --- | --- | --- | --- |\n");
      if (budget_left(s) < 2 * MCPWIRE_REPORT_MD_SNIPPET_MAX) {
        left_out++;
        continue;
      }
      put_row(s, r, c);
      shown++;
    }
  }
  if (left_out)
    sink_printf(s, "\n%zu more rows left out to keep this summary short; see the JSON or HTML report.\n",
                left_out);
  if (shown || left_out)
    sink_puts(s, "\n");
}

static void put_snippet(report_sink *s, const case_result *c) {
  transcript_view tv = sink_transcript_view(s, c);
  size_t len = tv.len;
  int cut = tv.truncated;
  size_t n = text_cut(c->transcript, len, MCPWIRE_REPORT_MD_SNIPPET_MAX);
  sink_puts(s, "<details><summary>");
  sink_escaped(s, ESCAPE_PROSE, tally_str(c->id), strlen(tally_str(c->id)));
  sink_printf(s, " (%s): transcript", tally_verdict_label(tally_verdict(c)));
  if (n < len || cut)
    sink_printf(s, ", first %zu bytes", n);
  sink_puts(s, "</summary>\n\n<pre>");
  sink_transcript(s, ESCAPE_PROSE, c, n);
  sink_puts(s, "</pre>\n\n</details>\n\n");
}

static void put_snippets(report_sink *s, const run_result *r) {
  size_t left_out = 0;
  for (size_t i = 0; i < r->ncases; i++) {
    const case_result *c = &r->cases[i];
    verdict v = tally_verdict(c);
    if (v == VERDICT_PASS || v == VERDICT_SKIP || !c->transcript || !c->transcript_len)
      continue;
    /* Escaping can grow a snippet up to 6 times. */
    if (budget_left(s) < 6 * MCPWIRE_REPORT_MD_SNIPPET_MAX + 256)
      left_out++;
    else
      put_snippet(s, c);
  }
  if (left_out)
    sink_printf(s, "%zu transcripts left out to keep this summary short.\n\n", left_out);
}

/* Bytes of a message shown per envelope problem in the summary. */
#define MD_EXCERPT_MAX 160

/* The run's envelope problems by case, as far as the budget allows. */
static void put_envelope(report_sink *s, const run_result *r) {
  tally_envelope e;
  tally_envelope_run(r, &e);
  if (!e.problems && !e.dropped)
    return;
  sink_printf(s, "**JSON-RPC envelope**: %zu problem%s (%zu MUST) during %zu case%s, %zu messages "
                 "from the target checked (judged by `run/jsonrpc-envelope`).\n\n"
                 "| case | rule | where | reason | message |\n| --- | --- | --- | --- | --- |\n",
              e.problems + e.dropped, e.problems + e.dropped == 1 ? "" : "s", e.must, e.cases,
              e.cases == 1 ? "" : "s", e.messages);
  size_t left_out = e.dropped;
  for (size_t i = 0; i < r->ncases; i++) {
    const case_result *c = &r->cases[i];
    for (size_t k = 0; k < c->nenvelope; k++) {
      const envelope_problem *p = &c->envelope[k];
      if (budget_left(s) < 2 * MCPWIRE_REPORT_MD_SNIPPET_MAX) {
        left_out++;
        continue;
      }
      sink_puts(s, "| ");
      sink_field(s, ESCAPE_MD_CELL, c->id);
      sink_puts(s, " | ");
      sink_field(s, ESCAPE_MD_CELL, p->rule);
      sink_printf(s, " (%s) | ", level_name(p->level));
      sink_field(s, ESCAPE_MD_CELL, p->where);
      sink_puts(s, " | ");
      sink_field(s, ESCAPE_MD_CELL, p->reason);
      sink_puts(s, " | ");
      size_t len = p->excerpt ? strlen(p->excerpt) : 0;
      size_t n = text_cut(p->excerpt, len, MD_EXCERPT_MAX);
      sink_escaped(s, ESCAPE_MD_CELL, p->excerpt ? p->excerpt : "", n);
      sink_puts(s, n < len || p->message_len > len ? "… |\n" : " |\n");
    }
  }
  if (left_out)
    sink_printf(s, "\n%zu more not listed here; see the JSON or HTML report.\n", left_out);
  sink_puts(s, "\n");
}

static void put_baseline(report_sink *s, const run_result *r, const tally *t) {
  if (t->excused)
    sink_printf(s, "Baseline: %zu failing case%s excused (listed as expected failures).\n\n", t->excused,
                t->excused == 1 ? "" : "s");
  if (!r->nbaseline_fixed)
    return;
  sink_printf(s, "Baseline: %zu listed case%s now pass%s; remove %s so the baseline shrinks:",
              r->nbaseline_fixed, r->nbaseline_fixed == 1 ? "" : "s", r->nbaseline_fixed == 1 ? "es" : "",
              r->nbaseline_fixed == 1 ? "it" : "them");
  for (size_t i = 0; i < r->nbaseline_fixed; i++) {
    sink_puts(s, i ? ", " : " ");
    sink_field(s, ESCAPE_MD_CELL, r->baseline_fixed[i]);
  }
  sink_puts(s, "\n\n");
}

int report_write_markdown_to(const run_result *r, report_file *f) {
  report_sink s;
  if (sink_open(&s, f))
    return -1;
  tally t;
  tally_run(r, &t);
  put_headline(&s, r, &t);
  put_table(&s, r);
  put_envelope(&s, r);
  put_baseline(&s, r, &t);
  put_snippets(&s, r);
  return sink_close(&s);
}

int report_write_markdown(const run_result *r, const char *path) {
  return sink_write_path(r, path, report_write_markdown_to);
}
