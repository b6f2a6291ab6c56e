/* html_report: one self-contained page (inline CSS, no script, no fetches:
 * a Content-Security-Policy forbids them). Counts by section and level,
 * filter buttons (radio inputs and CSS), and per case a <details> with
 * requirement ids, expected vs actual, reason and the wire transcript. */
#include <stdlib.h>
#include <string.h>

#include "mcpwire_limits.h"
#include "reports/html_style.h"
#include "reports/report.h"
#include "reports/report_private.h"

/* No script may run; the inline stylesheet is the only thing allowed. */
#define HTML_CSP "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

static void put_head(report_sink *s, const run_result *r) {
  sink_puts(s, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
               "<meta http-equiv=\"Content-Security-Policy\" content=\"" HTML_CSP "\"/>\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
               "<title>mcpwire report: ");
  sink_field(s, ESCAPE_TEXT, r->target);
  sink_puts(s, "</title>\n<style>\n");
  sink_puts(s, HTML_STYLE);
  sink_puts(s, "</style>\n</head>\n");
}

static void put_meta_row(report_sink *s, const char *label, const char *value) {
  sink_printf(s, "<dt>%s</dt><dd>", label);
  sink_field(s, ESCAPE_TEXT, value);
  sink_puts(s, "</dd>\n");
}

static void put_header(report_sink *s, const run_result *r, const tally *t) {
  sink_puts(s, "<header>\n<h1>mcpwire report ");
  if (t->blocking)
    sink_printf(s, "<span class=\"badge verdict-big c-fail\">FAILED: %zu blocking</span>", t->blocking);
  else
    sink_puts(s, "<span class=\"badge verdict-big c-pass\">PASSED</span>");
  sink_puts(s, "</h1>\n<dl class=\"meta\">\n");
  put_meta_row(s, "target", r->target);
  sink_puts(s, "<dt>profile</dt><dd>");
  sink_field(s, ESCAPE_TEXT, r->profile.transport);
  sink_puts(s, " ");
  sink_field(s, ESCAPE_TEXT, r->profile.spec);
  if (r->profile.modern_spec) {
    sink_puts(s, " + ");
    sink_field(s, ESCAPE_TEXT, r->profile.modern_spec);
  }
  sink_printf(s, " (%s)</dd>\n", r->profile.detected ? "detected" : "given on the command line");
  put_meta_row(s, "started", r->started_at);
  sink_printf(s, "<dt>duration</dt><dd>%.2f s</dd>\n", r->duration_ms > 0 ? r->duration_ms / 1000.0 : 0.0);
  sink_printf(s, "<dt>strict</dt><dd>%s</dd>\n", r->strict ? "yes: warnings count as failures" : "no");
  put_meta_row(s, "mcpwire", r->tool_version);
  char note[400];
  for (size_t i = 0; i < TALLY_RUN_NOTES; i++)
    if (tally_run_notes[i](r, note, sizeof note))
      put_meta_row(s, "note", note);
  sink_puts(s, "</dl>\n</header>\n");
}

static void put_cards(report_sink *s, const run_result *r, const tally *t) {
  sink_printf(s, "<section class=\"cards\">\n<div class=\"card c-total\"><b>%zu</b><span>cases</span></div>\n",
              r->ncases);
  for (int v = 0; v < VERDICT_COUNT; v++)
    sink_printf(s, "<div class=\"card c-%s\"><b>%zu</b><span>%s</span></div>\n",
                verdict_name((verdict)v), t->counts[v], verdict_name((verdict)v));
  if (t->excused)
    sink_printf(s, "<div class=\"card c-error\"><b>%zu</b><span>excused by baseline</span></div>\n", t->excused);
  sink_puts(s, "</section>\n");
  if (r->profile.evidence && *r->profile.evidence) {
    sink_puts(s, "<details class=\"wire\"><summary>how the profile was chosen</summary><pre>");
    sink_field(s, ESCAPE_TEXT, r->profile.evidence);
    sink_puts(s, "</pre></details>\n");
  }
}

static void put_count_cells(report_sink *s, const size_t *counts) {
  size_t total = 0;
  for (int v = 0; v < VERDICT_COUNT; v++) {
    total += counts[v];
    if (counts[v] && v != VERDICT_PASS)
      sink_printf(s, "<td class=\"hot c-%s\">%zu</td>", verdict_name((verdict)v), counts[v]);
    else
      sink_printf(s, counts[v] ? "<td>%zu</td>" : "<td class=\"zero\">%zu</td>", counts[v]);
  }
  sink_printf(s, "<td>%zu</td></tr>\n", total);
}

static void put_table_head(report_sink *s, const char *first) {
  sink_printf(s, "<table>\n<thead><tr><th>%s</th>", first);
  for (int v = 0; v < VERDICT_COUNT; v++)
    sink_printf(s, "<th>%s</th>", verdict_name((verdict)v));
  sink_puts(s, "<th>total</th></tr></thead>\n<tbody>\n");
}

static void put_count_tables(report_sink *s, const run_result *r, const tally_section *secs, long nsec) {
  sink_puts(s, "<h2>By section</h2>\n");
  put_table_head(s, "section");
  for (long i = 0; i < nsec; i++) {
    sink_puts(s, "<tr><td>");
    sink_field(s, ESCAPE_TEXT, secs[i].name);
    sink_puts(s, "</td>");
    put_count_cells(s, secs[i].counts);
  }
  sink_puts(s, "</tbody>\n</table>\n<h2>By level</h2>\n");
  put_table_head(s, "level");
  size_t by_level[LEVEL_INFO + 1][VERDICT_COUNT];
  memset(by_level, 0, sizeof by_level);
  for (size_t i = 0; i < r->ncases; i++) {
    unsigned l = (unsigned)r->cases[i].level;
    by_level[l <= LEVEL_INFO ? l : LEVEL_INFO][tally_verdict(&r->cases[i])]++;
  }
  for (int l = 0; l <= LEVEL_INFO; l++) {
    sink_printf(s, "<tr><td>%s</td>", level_name((level)l));
    put_count_cells(s, by_level[l]);
  }
  sink_puts(s, "</tbody>\n</table>\n");
}

static void put_baseline(report_sink *s, const run_result *r, const tally *t) {
  if (!t->excused && !r->nbaseline_fixed)
    return;
  sink_puts(s, "<h2>Baseline</h2>\n");
  if (t->excused)
    sink_printf(s, "<p>%zu failing case%s excused: listed in the baseline as expected failures "
                   "(marked <span class=\"base\">baseline</span> below).</p>\n", t->excused,
                t->excused == 1 ? "" : "s");
  if (r->nbaseline_fixed) {
    sink_printf(s, "<p>%zu listed case%s now pass%s; remove %s so the baseline shrinks:</p>\n<ul>\n",
                r->nbaseline_fixed, r->nbaseline_fixed == 1 ? "" : "s", r->nbaseline_fixed == 1 ? "es" : "",
                r->nbaseline_fixed == 1 ? "it" : "them");
    for (size_t i = 0; i < r->nbaseline_fixed; i++) {
      sink_puts(s, "<li><code>");
      sink_field(s, ESCAPE_TEXT, r->baseline_fixed[i]);
      sink_puts(s, "</code></li>\n");
    }
    sink_puts(s, "</ul>\n");
  }
}

/* Every envelope problem of the run, by case: the detail behind the verdict
 * of run/jsonrpc-envelope. Nothing when none was found. */
static void put_envelope(report_sink *s, const run_result *r) {
  tally_envelope e;
  tally_envelope_run(r, &e);
  if (!e.problems && !e.dropped)
    return;
  sink_printf(s, "<h2>JSON-RPC envelope</h2>\n<p>%zu message%s from the target checked; %zu "
                 "problem%s (%zu MUST) during %zu case%s",
              e.messages, e.messages == 1 ? "" : "s", e.problems + e.dropped,
              e.problems + e.dropped == 1 ? "" : "s", e.must, e.cases, e.cases == 1 ? "" : "s");
  if (e.dropped)
    sink_printf(s, ", %zu of them counted but not listed", e.dropped);
  sink_puts(s, ". The cases' own verdicts do not change; <code>run/jsonrpc-envelope</code> "
               "judges them.</p>\n<table class=\"envelope\">\n<thead><tr><th>case</th><th>rule</th>"
               "<th>where</th><th>reason</th><th>message</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < r->ncases; i++) {
    const case_result *c = &r->cases[i];
    for (size_t k = 0; k < c->nenvelope; k++) {
      const envelope_problem *p = &c->envelope[k];
      sink_puts(s, "<tr><td><code>");
      sink_field(s, ESCAPE_TEXT, tally_str(c->id));
      sink_puts(s, "</code></td><td>");
      sink_field(s, ESCAPE_TEXT, tally_str(p->rule));
      sink_printf(s, " (%s)</td><td>", level_name(p->level));
      sink_field(s, ESCAPE_TEXT, p->where);
      sink_puts(s, "</td><td>");
      sink_field(s, ESCAPE_TEXT, p->reason);
      sink_puts(s, "</td><td><pre>");
      sink_field(s, ESCAPE_TEXT, p->excerpt);
      sink_printf(s, "</pre><span class=\"note\">bytes %zu-%zu of %zu</span></td></tr>\n",
                  p->excerpt_offset, p->excerpt_offset + (p->excerpt ? strlen(p->excerpt) : 0),
                  p->message_len);
    }
  }
  sink_puts(s, "</tbody>\n</table>\n");
}

/* Filters without a script: one radio input per filter, placed before the
 * sections so the stylesheet can hide cases with "#f-X:checked ~ .sec". */
static const char *const FILTERS[][2] = {
    {"all", "all"}, {"problems", "not passing"}, {"fail", "fail"}, {"warn", "warn"},
    {"error", "error"}, {"skip", "skip"}, {"pass", "pass"}};
#define NFILTERS (sizeof FILTERS / sizeof FILTERS[0])

static void put_filters(report_sink *s) {
  for (size_t i = 0; i < NFILTERS; i++)
    sink_printf(s, "<input type=\"radio\" class=\"filter\" name=\"filter\" id=\"f-%s\"%s/>\n",
                FILTERS[i][0], i ? "" : " checked=\"checked\"");
  sink_puts(s, "<div class=\"filters\">show:");
  for (size_t i = 0; i < NFILTERS; i++)
    sink_printf(s, " <label for=\"f-%s\">%s</label>", FILTERS[i][0], FILTERS[i][1]);
  sink_puts(s, "</div>\n");
}

static void put_pre_block(report_sink *s, const char *title, const char *text) {
  sink_printf(s, "<div><h4>%s</h4><pre>", title);
  if (text)
    sink_field(s, ESCAPE_TEXT, text);
  else
    sink_puts(s, "<span class=\"note\">(not recorded)</span>");
  sink_puts(s, "</pre></div>");
}

/* The wire log, cut to a head once the report's transcript budget is spent. */
static void put_transcript(report_sink *s, const case_result *c) {
  transcript_view tv = sink_transcript_view(s, c);
  if (!tv.len) {
    sink_puts(s, "<p class=\"note\">no transcript</p>\n");
    return;
  }
  sink_printf(s, "<details class=\"wire\"><summary>wire transcript (%zu bytes%s)</summary><pre>", tv.len,
              tv.truncated ? ", truncated" : "");
  sink_transcript(s, ESCAPE_TEXT, c, tv.len);
  sink_puts(s, "</pre></details>\n");
  if (tv.omitted)
    sink_printf(s, "<p class=\"note cut\">" TRANSCRIPT_BUDGET_NOTE "</p>\n",
                MCPWIRE_REPORT_TRANSCRIPTS_MAX, tv.omitted);
}

static void put_case_body(report_sink *s, const case_result *c) {
  sink_puts(s, "<div class=\"body\">\n");
  if (c->reason && *c->reason) {
    sink_puts(s, "<div class=\"reason\">");
    sink_field(s, ESCAPE_TEXT, c->reason);
    sink_puts(s, "</div>\n");
  }
  sink_puts(s, "<dl>\n<dt>requirements</dt><dd>");
  for (size_t i = 0; c->requirements && c->requirements[i]; i++) {
    sink_puts(s, i ? ", <code>" : "<code>");
    sink_field(s, ESCAPE_TEXT, c->requirements[i]);
    sink_puts(s, "</code>");
  }
  sink_printf(s, " (%s)</dd>\n", level_name(c->level));
  put_meta_row(s, "title", c->title);
  put_meta_row(s, "spec", c->spec_ref);
  put_meta_row(s, "transport", c->transport);
  put_meta_row(s, "revision", c->revision);
  sink_puts(s, "</dl>\n<div class=\"ea\">");
  put_pre_block(s, "expected", c->expected);
  put_pre_block(s, "actual", c->actual);
  sink_puts(s, "</div>\n");
  put_transcript(s, c);
  sink_puts(s, "</div>\n");
}

static void put_case(report_sink *s, const run_result *r, const case_result *c) {
  const char *v = verdict_name(tally_verdict(c));
  sink_printf(s, "<details class=\"case v-%s c-%s\"><summary><span class=\"badge\">%s</span> "
                 "<span class=\"id\">", v, v, tally_verdict_label(tally_verdict(c)));
  sink_field(s, ESCAPE_TEXT, c->id);
  sink_puts(s, "</span> <span class=\"title\">");
  sink_field(s, ESCAPE_TEXT, c->title);
  sink_printf(s, "</span>%s%s <span class=\"lvl\">%s</span> <span class=\"ms\">%.1f ms</span></summary>\n",
              c->in_baseline ? " <span class=\"base\">baseline</span>" : "",
              report_effective_verdict(r, c) != tally_verdict(c) ? " <span class=\"base\">strict: fail</span>" : "",
              level_name(c->level), c->duration_ms > 0 ? c->duration_ms : 0.0);
  put_case_body(s, c);
  sink_puts(s, "</details>\n");
}

static void put_cases(report_sink *s, const run_result *r, const tally_section *secs, long nsec,
                      const size_t *order) {
  sink_puts(s, "<h2>Cases</h2>\n<div class=\"cases\">\n");
  put_filters(s);
  for (long i = 0; i < nsec; i++) {
    sink_puts(s, "<section class=\"sec\"><h3>");
    sink_field(s, ESCAPE_TEXT, secs[i].name);
    sink_puts(s, "</h3>\n");
    for (size_t k = 0; k < secs[i].n; k++)
      put_case(s, r, &r->cases[order[secs[i].first + k]]);
    sink_puts(s, "</section>\n");
  }
  if (!r->ncases)
    sink_puts(s, "<p class=\"note\">No case ran.</p>\n");
  sink_puts(s, "</div>\n");
}

int report_write_html_to(const run_result *r, report_file *f) {
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
  tally t;
  tally_run(r, &t);
  put_head(&s, r);
  sink_puts(&s, "<body>\n");
  put_header(&s, r, &t);
  put_cards(&s, r, &t);
  put_count_tables(&s, r, secs, nsec);
  put_baseline(&s, r, &t);
  put_envelope(&s, r);
  put_cases(&s, r, secs, nsec, order);
  sink_puts(&s, "</body>\n</html>\n");
  free(secs), free(order);
  return sink_close(&s);
}

int report_write_html(const run_result *r, const char *path) {
  return sink_write_path(r, path, report_write_html_to);
}
