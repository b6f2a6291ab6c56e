/*
 * cases: the conformance cases, one file per spec section, each a table.
 * registry.c lists the sections; this header declares their tables.
 */
#ifndef MCPWIRE_CASES_H
#define MCPWIRE_CASES_H

#include <stddef.h>

#include "engine/case.h"

/* Every case of every section, in table order (static storage). */
const case_def *const *registry_all(size_t *n);
/* The id a renamed case has now, or NULL when id was never renamed
 * (--case and baseline files keep working with the old id). */
const char *registry_renamed(const char *id);

/* A section's table; SECTION_TABLE(name) declares name_cases[] and name_ncases. */
#define SECTION_TABLE(name)                 \
  extern const case_def name##_cases[];     \
  extern const size_t name##_ncases;

SECTION_TABLE(http_lifecycle)
SECTION_TABLE(http_session)
SECTION_TABLE(http_post)
SECTION_TABLE(http_get)
SECTION_TABLE(http_version)
SECTION_TABLE(http_jsonrpc)
SECTION_TABLE(http_resume)
SECTION_TABLE(sse_endpoint)
SECTION_TABLE(sse_message)

/* Spec anchors (the newest revision that holds the text). */
#define SPEC_2511 "https://modelcontextprotocol.io/specification/2025-11-25/"
#define SPEC_2411 "https://modelcontextprotocol.io/specification/2024-11-05/"

#define NCASES(table) (sizeof(table) / sizeof((table)[0]))

#endif
