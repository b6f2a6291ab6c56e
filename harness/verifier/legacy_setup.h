/*
 * legacy_setup: steps the sse/ cases share on the 2024-11-05 HTTP+SSE
 * transport: open the stream up to its endpoint event, POST initialize to
 * the endpoint it names.
 */
#ifndef MCPWIRE_VERIFIER_LEGACY_SETUP_H
#define MCPWIRE_VERIFIER_LEGACY_SETUP_H

#include "engine/case.h"

/* Starts l on the run's URL and opens its stream through the endpoint event;
 * on failure sets the error "setup: SSE stream: ..." and returns -1, and
 * skips (-1) when the endpoint is on a foreign origin (nothing can be sent
 * there). The caller frees l either way. */
int legacy_setup_open(case_ctx *ctx, legacy *l);
/* POSTs initialize at the run's revision, with the raw JSON id `id_raw`, to
 * l's endpoint: the POST stream, or NULL when it could not start. */
http_stream *legacy_setup_post_initialize(case_ctx *ctx, legacy *l, const char *id_raw);

#endif
