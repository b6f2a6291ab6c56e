/* console: progress lines and the closing summary. Target text is made
 * terminal-safe (no escape sequence from a server reaches the terminal). */
#include <string.h>

#include "mcpwire_limits.h"
#include "reports/report.h"
#include "reports/report_private.h"

static const char *const SGR[VERDICT_COUNT] = {"32", "1;31", "33", "36", "1;35"};

static void paint_on(dynbuf *b, int color, const char *sgr) {
  if (color)
    dynbuf_printf(b, "\x1b[%sm", sgr);
}

static void paint_off(dynbuf *b, int color) {
  if (color)
    dynbuf_adds(b, "\x1b[0m");
}

/* Appends text clamped to max bytes (on a character boundary) plus "…". */
static void add_safe(dynbuf *b, const char *text, size_t max, int multiline, const char *indent) {
  size_t len = text ? strlen(text) : 0;
  size_t n = text_cut(text, len, max);
  text_console(b, text ? text : "", n, multiline, indent);
  if (n < len)
    dynbuf_adds(b, "…");
}

static void emit(dynbuf *b, FILE *out) {
  fputs(dynbuf_str(b), out);
  fflush(out);
  dynbuf_free(b);
}

void console_begin(const run_result *r, FILE *out, int color) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_REPORT_CHUNK_MAX);
  paint_on(&b, color, "1");
  dynbuf_adds(&b, "mcpwire ");
  add_safe(&b, tally_str(r->tool_version), 64, 0, NULL);
  paint_off(&b, color);
  dynbuf_adds(&b, "  target ");
  add_safe(&b, tally_str(r->target), MCPWIRE_CONSOLE_FIELD_MAX, 0, NULL);
  dynbuf_adds(&b, "\nprofile ");
  add_safe(&b, r->profile.transport ? r->profile.transport : "?", 64, 0, NULL);
  dynbuf_adds(&b, " ");
  add_safe(&b, r->profile.spec ? r->profile.spec : "?", 64, 0, NULL);
  if (r->profile.modern_spec) {
    dynbuf_adds(&b, " + ");
    add_safe(&b, r->profile.modern_spec, 64, 0, NULL);
  }
  dynbuf_printf(&b, " (%s)%s\n", r->profile.detected ? "detected" : "given",
                r->strict ? ", strict: warnings fail" : "");
  if (r->profile.evidence && *r->profile.evidence) {
    dynbuf_adds(&b, "  ");
    add_safe(&b, r->profile.evidence, MCPWIRE_CONSOLE_FIELD_MAX, 1, "  ");
    dynbuf_adds(&b, "\n");
  }
  emit(&b, out);
}

void console_case(const case_result *c, FILE *out, int color, size_t done, size_t total) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_REPORT_CHUNK_MAX);
  int width = 1;
  for (size_t t = total; t >= 10; t /= 10)
    width++;
  verdict v = tally_verdict(c);
  dynbuf_printf(&b, "[%*zu/%zu] ", width, done, total);
  paint_on(&b, color, SGR[v]);
  dynbuf_printf(&b, "%-5s", tally_verdict_label(v));
  paint_off(&b, color);
  dynbuf_adds(&b, " ");
  add_safe(&b, tally_str(c->id), 256, 0, NULL);
  /* The era of a stateless case (in a dual-era run the others are the
   * profile line's first revision). */
  if (c->revision && !strcmp(c->revision, "2026-07-28"))
    dynbuf_adds(&b, " [2026-07-28]");
  if (c->in_baseline && v != VERDICT_PASS)
    dynbuf_adds(&b, " (baseline)");
  if (v != VERDICT_PASS && c->reason && *c->reason) {
    dynbuf_adds(&b, color ? "  \x1b[2m" : "  ");
    add_safe(&b, c->reason, MCPWIRE_CONSOLE_REASON_MAX, 0, NULL);
    paint_off(&b, color);
  }
  dynbuf_adds(&b, "\n");
  emit(&b, out);
}

static void add_field(dynbuf *b, const char *label, const char *text) {
  if (!text)
    return;
  dynbuf_printf(b, "      %-9s ", label);
  add_safe(b, text, MCPWIRE_CONSOLE_FIELD_MAX, 1, "                ");
  dynbuf_adds(b, "\n");
}

static void add_failure(dynbuf *b, const run_result *r, const case_result *c, int color) {
  verdict v = tally_verdict(c);
  dynbuf_adds(b, "  ");
  paint_on(b, color, SGR[report_effective_verdict(r, c)]);
  dynbuf_printf(b, "%-5s", tally_verdict_label(v));
  paint_off(b, color);
  dynbuf_adds(b, " ");
  add_safe(b, tally_str(c->id), 256, 0, NULL);
  dynbuf_printf(b, "  [%s", level_name(c->level));
  if (c->requirements && c->requirements[0]) {
    dynbuf req;
    dynbuf_init(&req, MCPWIRE_CONSOLE_FIELD_MAX);
    tally_requirements(&req, c);
    dynbuf_adds(b, " ");
    add_safe(b, dynbuf_str(&req), MCPWIRE_CONSOLE_FIELD_MAX, 0, NULL);
    dynbuf_free(&req);
  }
  dynbuf_adds(b, "]\n");
  add_field(b, "expected:", c->expected);
  add_field(b, "actual:", c->actual);
  add_field(b, "reason:", c->reason);
}

/* Lists the cases that match: blocking ones, excused ones, or warnings. */
enum { LIST_BLOCKING, LIST_EXCUSED, LIST_WARNINGS };

static int listed(const run_result *r, const case_result *c, int which) {
  verdict e = report_effective_verdict(r, c);
  switch (which) {
  case LIST_BLOCKING: return report_case_blocks(r, c);
  case LIST_EXCUSED: return c->in_baseline && (e == VERDICT_FAIL || e == VERDICT_ERROR);
  default: return e == VERDICT_WARN;
  }
}

static void add_list(dynbuf *b, const run_result *r, int which, const char *title, int color) {
  size_t n = 0;
  for (size_t i = 0; i < r->ncases; i++)
    n += (size_t)listed(r, &r->cases[i], which);
  if (!n)
    return;
  dynbuf_printf(b, "\n%s (%zu):\n", title, n);
  for (size_t i = 0; i < r->ncases; i++)
    if (listed(r, &r->cases[i], which))
      add_failure(b, r, &r->cases[i], color);
}

/* Envelope problems listed in the summary; the JSON and HTML list all. */
#define CONSOLE_ENVELOPE_LINES 10
/* Bytes of each offending message shown there. */
#define CONSOLE_EXCERPT_MAX 160

/* The envelope problems of the run, by case, with the message. */
static void add_envelope(dynbuf *b, const run_result *r) {
  tally_envelope e;
  tally_envelope_run(r, &e);
  if (!e.problems && !e.dropped)
    return;
  dynbuf_printf(b, "\nJSON-RPC envelope problems (%zu, %zu MUST, during %zu case%s; %zu messages "
                   "checked):\n", e.problems + e.dropped, e.must, e.cases, e.cases == 1 ? "" : "s",
                e.messages);
  size_t shown = 0;
  for (size_t i = 0; i < r->ncases; i++) {
    const case_result *c = &r->cases[i];
    for (size_t k = 0; k < c->nenvelope && shown < CONSOLE_ENVELOPE_LINES; k++, shown++) {
      const envelope_problem *p = &c->envelope[k];
      dynbuf_adds(b, "  ");
      add_safe(b, tally_str(c->id), 256, 0, NULL);
      dynbuf_printf(b, "  %s (%s)  ", tally_str(p->rule), level_name(p->level));
      add_safe(b, tally_str(p->where), 256, 0, NULL);
      dynbuf_adds(b, "\n      ");
      add_safe(b, tally_str(p->reason), MCPWIRE_CONSOLE_REASON_MAX, 0, NULL);
      dynbuf_adds(b, "\n      message: ");
      add_safe(b, tally_str(p->excerpt), CONSOLE_EXCERPT_MAX, 0, NULL);
      dynbuf_adds(b, "\n");
    }
  }
  if (e.problems + e.dropped > shown)
    dynbuf_printf(b, "  ... %zu more (see the JSON or HTML report)\n", e.problems + e.dropped - shown);
}

static void add_counts(dynbuf *b, const run_result *r, const tally *t, int color) {
  dynbuf_printf(b, "\n%zu cases:", r->ncases);
  for (int v = 0; v < VERDICT_COUNT; v++) {
    dynbuf_adds(b, v ? ", " : " ");
    paint_on(b, color && t->counts[v] ? color : 0, SGR[v]);
    dynbuf_printf(b, "%zu %s", t->counts[v], verdict_name((verdict)v));
    paint_off(b, color && t->counts[v]);
  }
  dynbuf_printf(b, " in %.2f s\n", tally_ms(r->duration_ms) / 1000.0);
}

/* Cases not applicable, the sessions of the run, what set its length. */
static void add_run_notes(dynbuf *b, const run_result *r) {
  char line[400];
  for (size_t i = 0; i < TALLY_RUN_NOTES; i++)
    if (tally_run_notes[i](r, line, sizeof line)) {
      add_safe(b, line, sizeof line, 0, NULL);
      dynbuf_adds(b, "\n");
    }
}

static void add_baseline(dynbuf *b, const run_result *r, const tally *t) {
  if (t->excused)
    dynbuf_printf(b, "baseline: %zu failing case%s excused (listed as expected failures)\n", t->excused,
                  t->excused == 1 ? "" : "s");
  if (!r->nbaseline_fixed)
    return;
  dynbuf_printf(b, "baseline: %zu listed case%s now pass%s; remove %s from the baseline:\n",
                r->nbaseline_fixed, r->nbaseline_fixed == 1 ? "" : "s", r->nbaseline_fixed == 1 ? "es" : "",
                r->nbaseline_fixed == 1 ? "it" : "them");
  for (size_t i = 0; i < r->nbaseline_fixed; i++) {
    dynbuf_adds(b, "  ");
    add_safe(b, tally_str(r->baseline_fixed[i]), 256, 0, NULL);
    dynbuf_adds(b, "\n");
  }
}

void console_summary(const run_result *r, FILE *out, int color) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_REPORT_CHUNK_MAX);
  tally t;
  tally_run(r, &t);
  add_list(&b, r, LIST_BLOCKING, "failing", color);
  add_list(&b, r, LIST_WARNINGS, "warnings", color);
  add_list(&b, r, LIST_EXCUSED, "excused by the baseline", color);
  add_envelope(&b, r);
  add_counts(&b, r, &t, color);
  add_run_notes(&b, r);
  add_baseline(&b, r, &t);
  paint_on(&b, color, t.blocking ? "1;31" : "1;32");
  if (t.blocking)
    dynbuf_printf(&b, "FAILED: %zu blocking case%s", t.blocking, t.blocking == 1 ? "" : "s");
  else
    dynbuf_adds(&b, "OK: no blocking case");
  paint_off(&b, color);
  dynbuf_adds(&b, "\n");
  emit(&b, out);
}
