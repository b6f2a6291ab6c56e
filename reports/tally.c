/* tally: names, effective verdicts and counts, computed from the cases so
 * every format agrees with the others. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/dynbuf.h"
#include "reports/report.h"
#include "reports/report_private.h"

const char *tally_verdict_label(verdict v) {
  static const char *const labels[VERDICT_COUNT] = {"PASS", "FAIL", "WARN", "SKIP", "ERROR"};
  return (unsigned)v < VERDICT_COUNT ? labels[v] : "ERROR";
}

/* An out-of-range verdict from a confused engine is shown as an error,
 * never silently as a pass. */
static verdict verdict_checked(verdict v) {
  return (unsigned)v < VERDICT_COUNT ? v : VERDICT_ERROR;
}

verdict tally_verdict(const case_result *c) { return verdict_checked(c->verdict); }

verdict report_effective_verdict(const run_result *r, const case_result *c) {
  verdict v = verdict_checked(c->verdict);
  return v == VERDICT_WARN && r->strict ? VERDICT_FAIL : v;
}

int report_case_blocks(const run_result *r, const case_result *c) {
  verdict v = report_effective_verdict(r, c);
  return (v == VERDICT_FAIL || v == VERDICT_ERROR) && !c->in_baseline;
}

size_t report_blocking_count(const run_result *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->ncases; i++)
    n += (size_t)report_case_blocks(r, &r->cases[i]);
  return n;
}

void tally_run(const run_result *r, tally *t) {
  memset(t, 0, sizeof *t);
  for (size_t i = 0; i < r->ncases; i++) {
    const case_result *c = &r->cases[i];
    verdict v = report_effective_verdict(r, c);
    t->counts[verdict_checked(c->verdict)]++;
    if (v == VERDICT_FAIL || v == VERDICT_ERROR) {
      if (c->in_baseline)
        t->excused++;
      else
        t->blocking++;
    }
    if (c->duration_ms > 0)
      t->case_ms += c->duration_ms;
  }
}

void tally_envelope_run(const run_result *r, tally_envelope *e) {
  memset(e, 0, sizeof *e);
  for (size_t i = 0; i < r->ncases; i++) {
    const case_result *c = &r->cases[i];
    e->messages += c->envelope_messages;
    e->dropped += c->envelope_dropped;
    e->cases += c->nenvelope || c->envelope_dropped;
    for (size_t k = 0; k < c->nenvelope; k++) {
      e->problems++;
      e->must += c->envelope[k].level == LEVEL_MUST;
    }
  }
}

static size_t section_find(const tally_section *s, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(s[i].name, name))
      return i;
  return n;
}

long tally_sections(const run_result *r, tally_section **out, size_t **order) {
  size_t n = 0, alloc = r->ncases ? r->ncases : 1;
  tally_section *s = calloc(alloc, sizeof *s);
  size_t *ord = calloc(alloc, sizeof *ord);
  size_t *which = calloc(alloc, sizeof *which);
  if (!s || !ord || !which) {
    free(s), free(ord), free(which);
    return -1;
  }
  for (size_t i = 0; i < r->ncases; i++) {
    const case_result *c = &r->cases[i];
    const char *name = c->section && *c->section ? c->section : "(none)";
    size_t k = section_find(s, n, name);
    if (k == n)
      s[n++].name = name;
    s[k].counts[verdict_checked(c->verdict)]++;
    if (c->duration_ms > 0)
      s[k].case_ms += c->duration_ms;
    s[k].n++;
    which[i] = k;
  }
  for (size_t k = 1; k < n; k++)
    s[k].first = s[k - 1].first + s[k - 1].n;
  size_t *fill = calloc(n ? n : 1, sizeof *fill);
  if (!fill) {
    free(s), free(ord), free(which);
    return -1;
  }
  for (size_t i = 0; i < r->ncases; i++)
    ord[s[which[i]].first + fill[which[i]]++] = i;
  free(fill);
  free(which);
  *out = s;
  *order = ord;
  return (long)n;
}

int tally_requirements(dynbuf *out, const case_result *c) {
  int rc = DYNBUF_OK;
  for (size_t i = 0; c->requirements && c->requirements[i] && rc == DYNBUF_OK; i++) {
    if (i)
      rc = dynbuf_adds(out, ", ");
    if (rc == DYNBUF_OK)
      rc = dynbuf_adds(out, c->requirements[i]);
  }
  return rc;
}

/* Appends ", N what" to buf when n is not 0. */
static void add_count(char *buf, size_t len, size_t n, const char *what) {
  size_t used = strlen(buf);
  if (n && used < len)
    snprintf(buf + used, len - used, ", %zu %s", n, what);
}

int tally_sessions_note(const run_result *r, char *buf, size_t len) {
  const session_summary *c = &r->sessions;
  if (!c->opened)
    return 0;
  snprintf(buf, len, "sessions: %zu opened, %zu closed", c->opened, c->closed);
  add_count(buf, len, c->not_offered,
            "not reusable (DELETE answered 405: the server does not offer it)");
  add_count(buf, len, c->kept, "kept open by a case on purpose");
  add_count(buf, len, c->left_open, "left open");
  size_t used = strlen(buf);
  if ((c->left_open || c->kept) && c->left_open_why[0] && used < len)
    snprintf(buf + used, len - used, " (first: %s)", c->left_open_why);
  return 1;
}

int tally_processes_note(const run_result *r, char *buf, size_t len) {
  const process_summary *c = &r->processes;
  if (!c->started)
    return 0;
  snprintf(buf, len, "server processes: %zu started, %zu ended (%zu on stdin EOF, %zu by "
           "SIGTERM, %zu by SIGKILL)", c->started, c->ended, c->by_eof, c->by_sigterm,
           c->by_sigkill);
  add_count(buf, len, c->not_ended, "not ended");
  return 1;
}

int tally_not_applicable_note(const run_result *r, char *buf, size_t len) {
  if (!r->nnot_applicable)
    return 0;
  size_t era = r->nnot_applicable_era, transport = r->nnot_applicable - era;
  const char *theirs = tally_str(r->not_applicable_transport);
  buf[0] = '\0';
  if (transport)
    snprintf(buf, len, "%zu case%s for the %s transport%s not applicable: the target speaks %s",
             transport, transport == 1 ? "" : "s", theirs, strchr(theirs, '/') ? "s" : "",
             tally_str(r->profile.transport));
  size_t used = strlen(buf);
  if (era && used < len)
    snprintf(buf + used, len - used, "%s%zu case%s for %s not applicable: the target speaks %s",
             used ? "; " : "", era, era == 1 ? "" : "s",
             strcmp(tally_str(r->not_applicable_era), "session")
                 ? "the stateless revision 2026-07-28"
                 : "the session-era revisions",
             strcmp(tally_str(r->not_applicable_era), "session") ? "only the session era"
                                                                  : "only 2026-07-28");
  used = strlen(buf);
  if (used < len)
    snprintf(buf + used, len - used, " (not run, not counted)");
  return 1;
}

const case_result *tally_keepalive_bound(const run_result *r) {
  const case_result *longest = NULL;
  for (size_t i = 0; i < r->ncases; i++)
    if (r->cases[i].keepalive_wait_ms > 0 &&
        (!longest || r->cases[i].keepalive_wait_ms > longest->keepalive_wait_ms))
      longest = &r->cases[i];
  return longest && longest->keepalive_wait_ms * 2 > tally_ms(r->duration_ms) ? longest : NULL;
}

int tally_keepalive_note(const run_result *r, char *buf, size_t len) {
  const case_result *c = tally_keepalive_bound(r);
  if (!c)
    return 0;
  snprintf(buf, len, "run length set by the server's keep-alive interval: %s waited %.1f s for "
           "keep-alive comments (--quick leaves such watches out)", tally_str(c->id),
           c->keepalive_wait_ms / 1000.0);
  return 1;
}

const tally_note_fn tally_run_notes[TALLY_RUN_NOTES] = {
    tally_not_applicable_note, tally_sessions_note, tally_processes_note, tally_keepalive_note};
