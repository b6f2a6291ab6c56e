/*
 * report_private: what the writers share. A sink (buffered file with a
 * sticky error), text escapers for each format, and tallies of the model.
 * Not part of the public API.
 */
#ifndef MCPWIRE_REPORT_PRIVATE_H
#define MCPWIRE_REPORT_PRIVATE_H

#include <stdio.h>

#include "codec/dynbuf.h"
#include "engine/result.h"
#include "mcpwire_limits.h"
#include "reports/report.h"

/* ---- sink: a report file being written ---- */
typedef struct report_sink {
  FILE *file;
  dynbuf buf;     /* staging; flushed past MCPWIRE_REPORT_FLUSH_AT */
  char *path;     /* as given, for messages */
  char *tmp_path; /* the prepared temporary file, renamed on success; NULL for stdout */
  int failed;     /* sticky: every later write is a no-op */
  int err;        /* errno of the first failure, 0 for a full buffer */
  char why[MCPWIRE_REPORT_WHY_MAX]; /* what failed when err does not say, or "" */
  size_t flushed; /* bytes already handed to the file */
  size_t transcript_bytes; /* transcript text written so far, escaped */
} report_sink;

/* Takes over a prepared file (f is released: zeroed, nothing to discard);
 * 0 on success, -1 after printing why (the temporary file is removed). */
int sink_open(report_sink *s, report_file *f);
/* Writes out the rest and renames the file into place, unless the path has
 * meanwhile become something other than a regular file; 0 on success, -1
 * after printing (the temporary file is removed). */
int sink_close(report_sink *s);
/* report_write_<format>(r, path): prepares path and hands it to the writer. */
int sink_write_path(const run_result *r, const char *path,
                    int (*writer)(const run_result *, report_file *));
void sink_puts(report_sink *s, const char *text);
void sink_printf(report_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records a dynbuf status; flushes when the staging buffer is large. */
void sink_note(report_sink *s, int status);

/* How text is escaped: a JSON string, HTML element text or attribute, XML
 * (JUnit) element text or attribute, Markdown prose (quotes left readable)
 * or a Markdown table cell. */
typedef enum text_escape {
  ESCAPE_JSON, ESCAPE_TEXT, ESCAPE_ATTR, ESCAPE_XML_TEXT, ESCAPE_XML_ATTR, ESCAPE_PROSE,
  ESCAPE_MD_CELL
} text_escape;
/* Appends len bytes of text escaped as asked. */
void sink_escaped(report_sink *s, text_escape how, const char *text, size_t len);
/* Appends a model string: clamped by text_field(); NULL writes null in
 * JSON and nothing elsewhere. */
void sink_field(report_sink *s, text_escape how, const char *text);
/* Appends the case's requirement ids joined with ", ", escaped. */
void sink_requirements(report_sink *s, text_escape how, const case_result *c);

/* Bytes written so far, staged ones included. */
static inline size_t sink_size(const report_sink *s) { return s->flushed + s->buf.len; }

/* ---- text: escaping hostile bytes ---- */
/* Decodes one UTF-8 sequence; returns its length and sets *cp, or sets *cp
 * to -1 and returns the maximal invalid subpart (WHATWG), at least 1. */

/* TEXT and ATTR (HTML) and XML_TEXT and XML_ATTR (JUnit) escape quotes too
 * (safe anywhere); PROSE leaves them for Markdown, which people also read as
 * plain text. ATTR and XML_ATTR also encode TAB and LF. */
enum { MARKUP_TEXT, MARKUP_ATTR, MARKUP_PROSE, MARKUP_XML_TEXT, MARKUP_XML_ATTR };
/* XML 1.0 / HTML escaping: & < > " ' as entities, CR (and in attributes
 * TAB and LF) as character references, other C0 controls and DEL as Control
 * Pictures (U+2400..), C1 controls, U+FFFE, U+FFFF and invalid UTF-8 as
 * U+FFFD. Bidirectional controls and U+2028/U+2029 never pass raw: XML
 * modes write a character reference (&#x202E;), the others the visible
 * text \u202e. The result is well-formed in element content and in
 * attributes. */
int text_markup(dynbuf *out, const char *s, size_t len, int mode);
/* A GitHub Markdown table cell: markup escaping plus \| and backslash
 * escapes for inline syntax; line breaks become <br>. */
int text_markdown_cell(dynbuf *out, const char *s, size_t len);
/* Terminal-safe text: controls as \n, \t, \xNN or \u00NN, bidirectional
 * controls and U+2028/U+2029 as \u202e (no escape sequence and no reordering
 * reaches the terminal), invalid UTF-8 as U+FFFD. With multiline, LF is kept
 * and followed by indent. */
int text_console(dynbuf *out, const char *s, size_t len, int multiline, const char *indent);

/* Largest n <= max that does not split a UTF-8 sequence of s[0..len). */
size_t text_cut(const char *s, size_t len, size_t max);
/* A field ready to escape: s itself, or when longer than
 * MCPWIRE_REPORT_FIELD_MAX its head plus a "[cut ...]" marker held in
 * scratch (caller frees). NULL stays NULL; *len gets the length. */
const char *text_field(const char *s, size_t *len, dynbuf *scratch);
/* A case's transcript as a report holds it. */
typedef struct transcript_view {
  size_t len;     /* bytes to write: the head of c->transcript */
  int truncated;  /* cut by the engine, by MCPWIRE_TRANSCRIPT_MAX or by the budget */
  size_t omitted; /* bytes left out because the report's transcript budget was spent */
} transcript_view;
/* Clamped to MCPWIRE_TRANSCRIPT_MAX; once the transcripts this report has
 * written (escaped, in its own order) reach MCPWIRE_REPORT_TRANSCRIPTS_MAX,
 * only the first MCPWIRE_REPORT_TRANSCRIPT_HEAD bytes. */
transcript_view sink_transcript_view(const report_sink *s, const case_result *c);
/* Appends the first len bytes of c's transcript escaped as asked and counts
 * what was written against the report's transcript budget. */
void sink_transcript(report_sink *s, text_escape how, const case_result *c, size_t len);
/* The note written where a transcript was cut by the budget (printf format:
 * the budget, then the bytes left out). */
#define TRANSCRIPT_BUDGET_NOTE "transcript budget of this report (%u bytes) reached: %zu bytes of this transcript left out"

/* ---- tally: names and counts (verdict_name, level_name: the result model's) ---- */
const char *tally_verdict_label(verdict v);      /* "PASS", ... */
/* The case's own verdict; an out-of-range value reads as ERROR. */
verdict tally_verdict(const case_result *c);
static inline const char *tally_str(const char *s) { return s ? s : ""; }
/* A duration fit to print: negative (clock steps) and NaN read as 0. */
static inline double tally_ms(double ms) { return ms > 0 ? ms : 0.0; }

typedef struct tally {
  size_t counts[VERDICT_COUNT];
  size_t excused;   /* blocking cases the baseline excuses */
  size_t blocking;  /* cases that make the run fail */
  double case_ms;   /* sum of case durations */
} tally;
void tally_run(const run_result *r, tally *t);

/* Envelope problems of the run (every message the target sent, every case). */
typedef struct tally_envelope {
  size_t messages;  /* JSON-RPC messages from the target checked */
  size_t problems;  /* kept problems, all levels */
  size_t must;      /* of them at MUST level */
  size_t dropped;   /* counted past MCPWIRE_ENVELOPE_PROBLEMS_MAX */
  size_t cases;     /* cases that saw at least one */
} tally_envelope;
void tally_envelope_run(const run_result *r, tally_envelope *e);

/* Notes about the run itself, one line each in buf (plain text; the
 * reason inside may come from the target: escape it per format). Each
 * returns 0 when it has nothing to say. */
/* "sessions: 240 opened, 238 closed, 2 not reusable (DELETE answered 405:
 * the server does not offer it)" and any kept or left open, with why. */
int tally_sessions_note(const run_result *r, char *buf, size_t len);
int tally_processes_note(const run_result *r, char *buf, size_t len);
/* "21 cases for the sse transport not applicable: the target speaks http
 * (not run, not counted)". */
int tally_not_applicable_note(const run_result *r, char *buf, size_t len);
/* The case whose wait for the server's keep-alive interval set the run's
 * length (over half of it), or NULL. */
const case_result *tally_keepalive_bound(const run_result *r);
/* "run length set by the server's keep-alive interval: ID waited 15.0 s
 * (--quick leaves such watches out)". */
int tally_keepalive_note(const run_result *r, char *buf, size_t len);
/* The run's closing notes in the order every report shows them (cases not
 * applicable, sessions, what set the run's length); each writes one line
 * and returns 1, or 0 when it has nothing to say. */
typedef int (*tally_note_fn)(const run_result *r, char *buf, size_t len);
#define TALLY_RUN_NOTES 4
extern const tally_note_fn tally_run_notes[TALLY_RUN_NOTES];

/* Sections in order of first appearance, each with its case indexes. */
typedef struct tally_section {
  const char *name;
  size_t counts[VERDICT_COUNT];
  double case_ms;
  size_t first, n; /* its slice of the order array */
} tally_section;
/* Fills *out (malloc'd, caller frees) and returns how many; sets *order to
 * the case indexes grouped by section (malloc'd). -1 when out of memory. */
long tally_sections(const run_result *r, tally_section **out, size_t **order);
/* Requirement ids joined with ", " into out. */
int tally_requirements(dynbuf *out, const case_result *c);

#endif
