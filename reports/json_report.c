/* json_report: the source of truth, schema "mcpwire-report/1". */
#include <string.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "reports/report.h"
#include "reports/report_private.h"

#define JSON_SCHEMA_ID "mcpwire-report/1"

/* Durations: never negative; NaN and infinities become null. */
static void put_double(report_sink *s, double v) {
  if (!s->failed)
    sink_note(s, json_write_double(&s->buf, v < 0 ? 0.0 : v));
}

static void put_key(report_sink *s, const char *indent, const char *key) {
  sink_printf(s, ",\n%s\"%s\": ", indent, key);
}

static void write_evidence(report_sink *s, const char *evidence) {
  dynbuf scratch = {0};
  size_t left;
  const char *line = text_field(evidence, &left, &scratch);
  sink_puts(s, "[");
  /* One string per probe line; an empty log is an empty array. */
  for (size_t n = 0; line && left; n++) {
    const char *end = memchr(line, '\n', left);
    size_t len = end ? (size_t)(end - line) : left;
    sink_puts(s, n ? ",\n      " : "\n      ");
    sink_escaped(s, ESCAPE_JSON, line, len);
    line += len + (end ? 1 : 0);
    left -= len + (end ? 1 : 0);
  }
  sink_puts(s, evidence && *evidence ? "\n    ]" : "]");
  dynbuf_free(&scratch);
}

static void write_profile(report_sink *s, const profile *p) {
  sink_puts(s, ",\n  \"profile\": {\n    \"transport\": ");
  sink_field(s, ESCAPE_JSON, p->transport);
  put_key(s, "    ", "spec");
  sink_field(s, ESCAPE_JSON, p->spec);
  put_key(s, "    ", "modern_spec");
  sink_field(s, ESCAPE_JSON, p->modern_spec);
  put_key(s, "    ", "dual_era");
  sink_puts(s, p->dual_era ? "true" : "false");
  put_key(s, "    ", "detected");
  sink_puts(s, p->detected ? "true" : "false");
  put_key(s, "    ", "evidence");
  write_evidence(s, p->evidence);
  sink_puts(s, "\n  }");
}

/* Cases for the other transport or era: a count, theirs, and their ids, never in cases[]. */
static void write_not_applicable(report_sink *s, const run_result *r) {
  sink_printf(s, ",\n    \"not_applicable\": %zu,\n    \"not_applicable_transport\": ",
              r->nnot_applicable);
  sink_field(s, ESCAPE_JSON,
             r->nnot_applicable > r->nnot_applicable_era ? r->not_applicable_transport : NULL);
  sink_printf(s, ",\n    \"not_applicable_era\": ");
  sink_field(s, ESCAPE_JSON, r->nnot_applicable_era ? r->not_applicable_era : NULL);
  sink_puts(s, ",\n    \"not_applicable_cases\": [");
  for (size_t i = 0; i < r->nnot_applicable; i++) {
    sink_puts(s, i ? ", " : "");
    sink_field(s, ESCAPE_JSON, tally_str(r->not_applicable[i]));
  }
  sink_puts(s, "]");
}

static void write_sessions(report_sink *s, const session_summary *c) {
  sink_printf(s, ",\n    \"sessions\": {\"opened\": %zu, \"closed\": %zu, \"not_reusable\": %zu, "
                 "\"kept\": %zu, \"left_open\": %zu, \"left_open_reason\": ",
              c->opened, c->closed, c->not_offered, c->kept, c->left_open);
  sink_field(s, ESCAPE_JSON, c->left_open_why[0] ? c->left_open_why : NULL);
  sink_puts(s, "}");
}

/* Server processes of a --command run; absent for a URL. */
static void write_processes(report_sink *s, const process_summary *c) {
  if (!c->started)
    return;
  sink_printf(s, ",\n    \"processes\": {\"started\": %zu, \"ended\": %zu, \"on_eof\": %zu, "
                 "\"by_sigterm\": %zu, \"by_sigkill\": %zu, \"not_ended\": %zu}",
              c->started, c->ended, c->by_eof, c->by_sigterm, c->by_sigkill, c->not_ended);
}

/* The case whose keep-alive watch set the run's length, or null. */
static void write_keepalive_bound(report_sink *s, const run_result *r) {
  const case_result *c = tally_keepalive_bound(r);
  sink_puts(s, ",\n    \"run_length_set_by_keepalive\": ");
  if (!c) {
    sink_puts(s, "null");
    return;
  }
  sink_puts(s, "{\"case\": ");
  sink_field(s, ESCAPE_JSON, tally_str(c->id));
  sink_puts(s, ", \"wait_ms\": ");
  put_double(s, c->keepalive_wait_ms);
  sink_puts(s, "}");
}

static void write_summary(report_sink *s, const run_result *r) {
  tally t;
  tally_run(r, &t);
  sink_printf(s, ",\n  \"summary\": {\n    \"total\": %zu", r->ncases);
  for (int v = 0; v < VERDICT_COUNT; v++)
    sink_printf(s, ",\n    \"%s\": %zu", verdict_name((verdict)v), t.counts[v]);
  sink_printf(s, ",\n    \"blocking\": %zu,\n    \"baseline_excused\": %zu,\n"
                 "    \"baseline_fixed\": [", t.blocking, t.excused);
  for (size_t i = 0; i < r->nbaseline_fixed; i++) {
    sink_puts(s, i ? ", " : "");
    sink_field(s, ESCAPE_JSON, tally_str(r->baseline_fixed[i]));
  }
  tally_envelope e;
  tally_envelope_run(r, &e);
  sink_printf(s, "],\n    \"envelope\": {\"messages\": %zu, \"problems\": %zu, \"must\": %zu, "
                 "\"problems_dropped\": %zu, \"cases\": %zu}",
              e.messages, e.problems, e.must, e.dropped, e.cases);
  write_not_applicable(s, r);
  write_sessions(s, &r->sessions);
  write_processes(s, &r->processes);
  write_keepalive_bound(s, r);
  sink_puts(s, "\n  }");
}

/* The envelope check of the target's messages during the case. */
static void write_envelope(report_sink *s, const case_result *c) {
  sink_printf(s, "{\"messages\": %zu, \"problems_dropped\": %zu, \"problems\": [",
              c->envelope_messages, c->envelope_dropped);
  for (size_t i = 0; i < c->nenvelope; i++) {
    const envelope_problem *p = &c->envelope[i];
    const char *in = "          ";
    sink_puts(s, i ? ",\n        {\"rule\": " : "\n        {\"rule\": ");
    sink_field(s, ESCAPE_JSON, tally_str(p->rule));
    put_key(s, in, "level");
    sink_field(s, ESCAPE_JSON, level_name(p->level));
    put_key(s, in, "where");
    sink_field(s, ESCAPE_JSON, p->where);
    put_key(s, in, "reason");
    sink_field(s, ESCAPE_JSON, p->reason);
    put_key(s, in, "excerpt");
    sink_field(s, ESCAPE_JSON, tally_str(p->excerpt));
    sink_printf(s, ",\n%s\"excerpt_offset\": %zu,\n%s\"message_bytes\": %zu}", in,
                p->excerpt_offset, in, p->message_len);
  }
  sink_puts(s, c->nenvelope ? "\n      ]}" : "]}");
}

static void write_requirements(report_sink *s, const case_result *c) {
  sink_puts(s, "[");
  for (size_t i = 0; c->requirements && c->requirements[i]; i++) {
    sink_puts(s, i ? ", " : "");
    sink_field(s, ESCAPE_JSON, c->requirements[i]);
  }
  sink_puts(s, "]");
}

static void write_case(report_sink *s, const run_result *r, const case_result *c) {
  const char *in = "      ";
  sink_puts(s, "    {\n      \"id\": ");
  sink_field(s, ESCAPE_JSON, tally_str(c->id));
  put_key(s, in, "title");
  sink_field(s, ESCAPE_JSON, tally_str(c->title));
  put_key(s, in, "section");
  sink_field(s, ESCAPE_JSON, tally_str(c->section));
  put_key(s, in, "spec_ref");
  sink_field(s, ESCAPE_JSON, tally_str(c->spec_ref));
  put_key(s, in, "transport");
  sink_field(s, ESCAPE_JSON, tally_str(c->transport));
  put_key(s, in, "revision");
  sink_field(s, ESCAPE_JSON, c->revision);
  put_key(s, in, "level");
  sink_field(s, ESCAPE_JSON, level_name(c->level));
  put_key(s, in, "requirements");
  write_requirements(s, c);
  put_key(s, in, "verdict");
  sink_field(s, ESCAPE_JSON, verdict_name(tally_verdict(c)));
  put_key(s, in, "blocking");
  sink_puts(s, report_case_blocks(r, c) ? "true" : "false");
  put_key(s, in, "expected");
  sink_field(s, ESCAPE_JSON, c->expected);
  put_key(s, in, "actual");
  sink_field(s, ESCAPE_JSON, c->actual);
  put_key(s, in, "reason");
  sink_field(s, ESCAPE_JSON, c->reason);
  put_key(s, in, "duration_ms");
  put_double(s, c->duration_ms);
  put_key(s, in, "in_baseline");
  sink_puts(s, c->in_baseline ? "true" : "false");
  put_key(s, in, "envelope");
  write_envelope(s, c);
  transcript_view tv = sink_transcript_view(s, c);
  put_key(s, in, "transcript");
  sink_transcript(s, ESCAPE_JSON, c, tv.len);
  put_key(s, in, "transcript_truncated");
  sink_puts(s, tv.truncated ? "true" : "false");
  put_key(s, in, "transcript_omitted_bytes");
  sink_printf(s, "%zu\n    }", tv.omitted);
}

int report_write_json_to(const run_result *r, report_file *f) {
  report_sink s;
  if (sink_open(&s, f))
    return -1;
  sink_puts(&s, "{\n  \"schema\": \"" JSON_SCHEMA_ID "\",\n  \"tool\": {\"name\": \"mcpwire\", \"version\": ");
  sink_field(&s, ESCAPE_JSON, tally_str(r->tool_version));
  sink_puts(&s, "},\n  \"target\": ");
  sink_field(&s, ESCAPE_JSON, tally_str(r->target));
  sink_puts(&s, ",\n  \"started_at\": ");
  sink_field(&s, ESCAPE_JSON, tally_str(r->started_at));
  sink_puts(&s, ",\n  \"duration_ms\": ");
  put_double(&s, r->duration_ms);
  sink_printf(&s, ",\n  \"strict\": %s", r->strict ? "true" : "false");
  sink_printf(&s, ",\n  \"quick\": %s", r->quick ? "true" : "false");
  write_profile(&s, &r->profile);
  write_summary(&s, r);
  sink_puts(&s, ",\n  \"cases\": [");
  for (size_t i = 0; i < r->ncases; i++) {
    sink_puts(&s, i ? ",\n" : "\n");
    write_case(&s, r, &r->cases[i]);
  }
  sink_puts(&s, r->ncases ? "\n  ]\n}\n" : "]\n}\n");
  return sink_close(&s);
}

int report_write_json(const run_result *r, const char *path) {
  return sink_write_path(r, path, report_write_json_to);
}
