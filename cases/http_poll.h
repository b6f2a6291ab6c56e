/* http_poll.h: reading a response that SSE polling may move to a GET
 * (2025-11-25, SEP-1699), for cases in other sections. */
#ifndef MCPWIRE_CASES_HTTP_POLL_H
#define MCPWIRE_CASES_HTTP_POLL_H

#include "engine/case.h"

/* Awaits the response `id_raw` on `s`; when the server ends that stream
 * early after an event id (valid polling), waits the retry it advertised
 * (capped), resumes it once with GET and Last-Event-ID and awaits the
 * response there. NULL with f->why. */
jsonrpc_msg *poll_await_response(case_ctx *ctx, shttp *h, http_stream *s, const char *id_raw,
                                 rpc_failure *f);


#endif
