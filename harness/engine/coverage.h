/*
 * coverage: which catalog requirements the cases check, and why the others
 * cannot be checked.
 *
 * The catalog (cases/catalog.c) is data: one row per requirement id with its
 * revisions, level, side and test kind, and, when no case of ours can check
 * it, the reason in a few words. Coverage joins it with the case registry by
 * the ids each case cites in .requirements.
 */
#ifndef MCPWIRE_COVERAGE_H
#define MCPWIRE_COVERAGE_H

#include <stddef.h>
#include <stdio.h>

#include "codec/dynbuf.h"
#include "engine/case.h"

/* How a requirement can be tested (the catalog's "test idea" prefix). */
enum req_kind {
  KIND_HS = 1,   /* the harness drives the target server (H→S) */
  KIND_MC = 2,   /* a mock server drives the target client (M→C) */
  KIND_BB = 4,   /* not observable black-box */
  KIND_INFO = 8  /* informational, or covered through other ids */
};

typedef struct requirement {
  const char *id;             /* "SHTTP-SESSION-08" */
  const char *revisions;      /* "2411", "2503+", "2506, 2511", "all", "HTTP" */
  const char *level;          /* as in the catalog: "MUST", "MUST*", "de facto", ... */
  const char *side;           /* "S", "C", "B", "S/C" */
  unsigned kind;              /* the first test kind the catalog proposes */
  unsigned other_kinds;       /* further kinds it mentions */
  const char *no_case_reason; /* why no case can check it; NULL when one can */
} requirement;

/* The catalog rows, in catalog order. Defined by cases/catalog.c (the engine
 * itself takes the catalog as an argument, so it links without the cases). */
const requirement *catalog_all(size_t *n);

/* What coverage joins: the catalog and the registered cases. */
typedef struct coverage_input {
  const requirement *catalog;
  size_t ncatalog;
  const case_def *const *cases;
  size_t ncases;
} coverage_input;

/* The row of `id`, or NULL. */
const requirement *catalog_find(const coverage_input *in, const char *id);
/* "H→S", "M→C", "BB-untestable" or "informational". */
const char *req_kind_name(unsigned kind);
/* The level carries a MUST or SHOULD keyword (MUST*, whatwg-must included). */
int requirement_is_normative(const requirement *r);
/* A requirement a case must cover: H→S, normative. */
int requirement_wants_case(const requirement *r);

typedef struct coverage_summary {
  size_t requirements;       /* catalog rows */
  size_t with_case;          /* rows some case cites */
  size_t hs_normative;       /* H→S rows at MUST/SHOULD level */
  size_t hs_with_case;       /* ... that some case cites */
  size_t hs_with_reason;     /* ... without a case but with a stated reason */
  size_t gaps;               /* ... with neither */
  size_t unknown_ids;        /* case citations of ids not in the catalog */
  size_t cases_without_faults; /* cases with neither .faults nor .no_fault_reason */
} coverage_summary;

/* Counts over the catalog and the given cases. */
coverage_summary coverage_count(const coverage_input *in);

/* The coverage table in a format: "text", "json" or "markdown". Returns 0,
 * or -1 for an unknown format or output past MCPWIRE_LIST_OUT_MAX. */
int coverage_write(dynbuf *out, const char *format, const coverage_input *in);

#endif
