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

/* ---- sink: a report file being written ---- */
typedef struct report_sink {
  FILE *file;
  dynbuf buf;     /* staging; flushed past MCPWIRE_REPORT_FLUSH_AT */
  char *path;     /* as given, for messages */
  char *tmp_path; /* "<path>.tmp", renamed on success; NULL for stdout */
  int failed;     /* sticky: every later write is a no-op */
  int err;        /* errno of the first failure, 0 for a full buffer */
  size_t flushed; /* bytes already handed to the file */
} report_sink;

/* 0 on success; -1 after printing why. */
int sink_open(report_sink *s, const char *path);
/* Writes out the rest, renames into place; 0 on success, -1 after printing. */
int sink_close(report_sink *s);
void sink_puts(report_sink *s, const char *text);
void sink_printf(report_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records a dynbuf status; flushes when the staging buffer is large. */
void sink_note(report_sink *s, int status);

/* How text is escaped: a JSON string, XML/HTML element text or attribute,
 * Markdown prose (quotes left readable) or a Markdown table cell. */
typedef enum text_escape {
  ESCAPE_JSON, ESCAPE_TEXT, ESCAPE_ATTR, ESCAPE_PROSE, ESCAPE_MD_CELL
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

/* TEXT and ATTR escape quotes too (safe anywhere); PROSE leaves them for
 * Markdown, which people also read as plain text. */
enum { MARKUP_TEXT = 0, MARKUP_ATTR = 1, MARKUP_PROSE = 2 };
/* XML 1.0 / HTML escaping: & < > " ' as entities, CR (and in attributes
 * TAB and LF) as character references, other C0 controls and DEL as Control
 * Pictures (U+2400..), C1 controls, U+FFFE, U+FFFF and invalid UTF-8 as
 * U+FFFD. The result is well-formed in element content and in attributes. */
int text_markup(dynbuf *out, const char *s, size_t len, int mode);
/* A GitHub Markdown table cell: markup escaping plus \| and backslash
 * escapes for inline syntax; line breaks become <br>. */
int text_markdown_cell(dynbuf *out, const char *s, size_t len);
/* Terminal-safe text: controls as \n, \t, \xNN or \u00NN (no escape
 * sequences reach the terminal), invalid UTF-8 as U+FFFD. With multiline,
 * LF is kept and followed by indent. */
int text_console(dynbuf *out, const char *s, size_t len, int multiline, const char *indent);

/* Largest n <= max that does not split a UTF-8 sequence of s[0..len). */
size_t text_cut(const char *s, size_t len, size_t max);
/* A field ready to escape: s itself, or when longer than
 * MCPWIRE_REPORT_FIELD_MAX its head plus a "[cut ...]" marker held in
 * scratch (caller frees). NULL stays NULL; *len gets the length. */
const char *text_field(const char *s, size_t *len, dynbuf *scratch);
/* The transcript clamped to MCPWIRE_TRANSCRIPT_MAX; *cut set when clamped
 * or when the engine already truncated it. */
size_t text_transcript_len(const case_result *c, int *cut);

/* ---- tally: names and counts ---- */
const char *tally_verdict_name(verdict v);       /* "pass", ... */
const char *tally_verdict_label(verdict v);      /* "PASS", ... */
const char *tally_level_name(level l);           /* "MUST", ... */
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
