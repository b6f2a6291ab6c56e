/*
 * exchange: raw exchanges the Streamable HTTP cases share: POST a literal
 * body in a live session and read what comes back, watch a stream for
 * messages that must not come, send a request with chosen media-type
 * headers, and the verdict of a request that got no status or no response.
 */
#ifndef MCPWIRE_VERIFIER_EXCHANGE_H
#define MCPWIRE_VERIFIER_EXCHANGE_H

#include "engine/case.h"

/* POSTs `body` as is in session h and returns the first message of the
 * reply (JSON body or SSE event), or NULL with f->why (202, 4xx without a
 * body...). *post gets the stream. */
jsonrpc_msg *exchange_post(case_ctx *ctx, shttp *h, const char *body, http_stream **post,
                           rpc_failure *f);
/* What one POSTed body brought back: its stream, its first message (NULL
 * with f.why) and the HTTP status as text ("HTTP 400", "no response"). */
typedef struct exchange_reply {
  http_stream *post;
  jsonrpc_msg *msg;
  rpc_failure f;
  char status[48];
} exchange_reply;
/* exchange_post into r, then checks the envelope of the message when one
 * came and `envelope_what` names it (NULL: no check). Free r->msg. */
void exchange_send(case_ctx *ctx, shttp *h, const char *body, const char *envelope_what,
                   exchange_reply *r);
/* 1 when the stream got an HTTP 4xx status. */
int exchange_is_4xx(const http_stream *s);
/* The next message of a JSON body or SSE stream, passing over priming
 * events (empty data) and non-message events; NULL with f->why. */
jsonrpc_msg *exchange_next(http_stream *s, double deadline_ms, rpc_failure *f);
/* Reads every message `s` carries until the deadline or its end, checking
 * each envelope; counts responses (any id) and messages with method
 * `method` (NULL: none). Returns the number of messages read. */
size_t exchange_drain(case_ctx *ctx, http_stream *s, double deadline_ms, size_t *responses,
                      const char *method, size_t *method_count);
/* Opens the session's GET stream to watch it: the stream when it answered
 * 200, else NULL with *why (when not NULL) "refused" or "not started". */
http_stream *exchange_watch_get(case_ctx *ctx, shttp *h, const char **why);
/* Responses (any id) on `get` within the quiet window, each message's
 * envelope checked; 0 when get is NULL. */
size_t exchange_quiet_responses(case_ctx *ctx, http_stream *get);
/* Starts a `method` request to h's URL with the session's headers and the
 * given Accept and Content-Type (NULL: none): probes of media types. */
http_stream *exchange_request(shttp *h, const char *method, const char *body,
                              const char *content_type, const char *accept);
/* Idles the client through the routing settle window
 * (MCPWIRE_ROUTING_SETTLE_MS, within the case's deadline) so that messages
 * a server misroutes have arrived. */
void exchange_settle(case_ctx *ctx);
/* A request that got no JSON-RPC response (post: its stream, f: why). A
 * cause on the target's side is a verdict (a violation of the case): 202
 * and nothing more is a lost response (SHTTP-POST-07), no status is a hang
 * (with the deadline), another status a refusal. mcpwire could not judge
 * (an error verdict) only when the request was never sent or the
 * connection failed before any status. */
void exchange_unanswered(case_ctx *ctx, http_stream *post, const rpc_failure *f,
                         const char *what);
/* Waits for s's HTTP status. 0 when one came; else -1 with the verdict
 * set: a hang (no status within the step deadline) is a violation of the
 * case, ERROR only when the request was never sent or the connection failed
 * before any status (mcpwire could not judge). */
int exchange_await_status(case_ctx *ctx, http_stream *s, const char *what);
/* The verdict of exchange_await_status for a request that has no status
 * (already waited for), without waiting again. */
void exchange_no_status(case_ctx *ctx, http_stream *s, const char *what);
/* The HTTP status as text, "no response" when none came. */
const char *exchange_status(const http_stream *s, char *buf, size_t len);
/* clock_ms() deadline of a quiet window (MCPWIRE_QUIET_WINDOW_MS, within
 * the case's deadline). */
double exchange_quiet_deadline(case_ctx *ctx);

#endif
