/*
 * probe: raw exchanges shared by the Streamable HTTP cases: POST a literal
 * body in a live session, judge every server message against the envelope
 * rules, watch a stream for messages that must not come, send a request
 * with chosen media-type headers.
 */
#ifndef MCPWIRE_CASES_PROBE_H
#define MCPWIRE_CASES_PROBE_H

#include "engine/case.h"

/* POSTs `body` as is in session h and returns the first message of the
 * reply (JSON body or SSE event), or NULL with f->why (202, 4xx without a
 * body...). *post gets the stream. */
jsonrpc_msg *probe_post(case_ctx *ctx, shttp *h, const char *body, http_stream **post,
                        rpc_failure *f);
/* What one POSTed body brought back: its stream, its first message (NULL
 * with f.why) and the HTTP status as text ("HTTP 400", "no response"). */
typedef struct probe_reply {
  http_stream *post;
  jsonrpc_msg *msg;
  rpc_failure f;
  char status[48];
} probe_reply;
/* probe_post into r, then verifies the envelope of the message when one
 * came and `envelope_what` names it (NULL: no check). Free r->msg. */
void probe_send(case_ctx *ctx, shttp *h, const char *body, const char *envelope_what,
                probe_reply *r);
/* 1 when the stream got an HTTP 4xx status. */
int probe_is_4xx(const http_stream *s);
/* The next message of a JSON body or SSE stream, passing over priming
 * events (empty data) and non-message events; NULL with f->why. */
jsonrpc_msg *probe_next(http_stream *s, double deadline_ms, rpc_failure *f);
/* JSONRPC-09/10/11/13: a server message obeys the envelope (result xor
 * error, result an object, integer code + string message, notifications
 * without id). 1 when it does, else a violation is set. */
int probe_verify_envelope(case_ctx *ctx, const jsonrpc_msg *m, const char *what);
/* An error response with code `want`; `what` names the request. 1 when so. */
int probe_verify_error(case_ctx *ctx, const jsonrpc_msg *m, const rpc_failure *f, long want,
                       const char *what);
/* Reads every message `s` carries until the deadline or its end, verifying
 * each envelope; counts responses (any id) and messages with method
 * `method` (NULL: none). Returns the number of messages read. */
size_t probe_drain(case_ctx *ctx, http_stream *s, double deadline_ms, size_t *responses,
                   const char *method, size_t *method_count);
/* Opens the session's GET stream to watch it: the stream when it answered
 * 200, else NULL with *why (when not NULL) "refused" or "not started". */
http_stream *probe_watch_get(case_ctx *ctx, shttp *h, const char **why);
/* Responses (any id) on `get` within the quiet window, each message's
 * envelope verified; 0 when get is NULL. */
size_t probe_quiet_responses(case_ctx *ctx, http_stream *get);
/* Starts a `method` request to h's URL with the session's headers and the
 * given Accept and Content-Type (NULL: none): probes of media types. */
http_stream *probe_request(shttp *h, const char *method, const char *body,
                           const char *content_type, const char *accept);
/* Idles the client through the routing settle window
 * (MCPWIRE_ROUTING_SETTLE_MS, within the case's deadline) so that messages
 * a server misroutes have arrived. */
void probe_settle(case_ctx *ctx);
/* POSTs a request (id_raw NULL: the session's next integer id) and awaits
 * its response, following 2025-11-25 polling (GET + Last-Event-ID) when
 * the server ends the POST stream early. NULL with f->why. */
jsonrpc_msg *probe_call(case_ctx *ctx, shttp *h, const char *id_raw, const char *method,
                        const char *params_json, http_stream **post, rpc_failure *f);
/* Pings in session h and writes the ping's raw id into id: a request
 * that has finished, which a notifications/cancelled may name harmlessly
 * (LIFE-CANCEL-06: a cancel that arrives after the response is a race
 * every receiver handles). 0 on success, else an error verdict. */
int probe_finished_request(case_ctx *ctx, shttp *h, char *id, size_t idlen);
/* A request that got no JSON-RPC response (post: its stream, f: why). A
 * cause on the target's side is a verdict (a violation of the case): 202
 * and nothing more is a lost response (SHTTP-POST-07), no status is a hang
 * (with the deadline), another status a refusal. mcpwire could not judge
 * (an error verdict) only when the request was never sent or the
 * connection failed before any status. */
void probe_unanswered(case_ctx *ctx, http_stream *post, const rpc_failure *f, const char *what);
/* Waits for s's HTTP status. 0 when one came; else -1 with the verdict
 * set: a hang (no status within the step deadline) is a violation of the
 * case, ERROR only when the request was never sent or the connection failed
 * before any status (mcpwire could not judge). */
int probe_await_status(case_ctx *ctx, http_stream *s, const char *what);
/* The verdict of probe_await_status for a request that has no status
 * (already waited for), without waiting again. */
void probe_no_status(case_ctx *ctx, http_stream *s, const char *what);
/* One tools/list page through probe_call in the session `h` (an shttp *):
 * a ctx_tools_page_fn for ctx_find_tool. */
jsonrpc_msg *probe_tools_page(case_ctx *ctx, void *h, const char *params_json, rpc_failure *f);
/* The first of result.protocolVersion, capabilities, serverInfo{name,
 * version} that an initialize response lacks or has with the wrong type;
 * NULL when all are there. */
const char *probe_init_result_lacks(const jsonrpc_msg *m);
/* 1 when the result is {} (a _meta member aside), as ping's must be. */
int probe_result_is_empty(const jsonrpc_msg *m);
/* The HTTP status as text, "no response" when none came. */
const char *probe_status(const http_stream *s, char *buf, size_t len);
/* clock_ms() deadline of a quiet window (MCPWIRE_QUIET_WINDOW_MS, within
 * the case's deadline). */
double probe_quiet_deadline(case_ctx *ctx);


/* ---- fixture roles (engine/fixture.h) in a Streamable HTTP session ---- */

/* ctx_require_fixture with tools/list read through probe_call in h. */
int probe_require_fixture(case_ctx *ctx, shttp *h, fixture_role role, fixture *fx);
/* A JSON string id or token unique in the whole run, "\"mcpwire-TAG-N\"";
 * with tag NULL a number, unique too. */
const char *probe_unique_id(const char *tag, char *buf, size_t len);
/* POSTs one call of the fixture with id id_raw and progress token
 * token_raw (JSON texts; token NULL: none). The stream, or NULL. */
http_stream *probe_fixture_post(shttp *h, const fixture *fx, const char *id_raw,
                                const char *token_raw);
/* Makes a LIST_CHANGED fixture send its notification once: subscribes to
 * a resource first when the tool works through resources/updated, and
 * switches a toggling tool off and on again when this session already
 * switched it on. Awaits the call's response; 0 when it was a result, else
 * -1 with why. *post (when not NULL) gets the call's POST stream. */
int probe_fixture_trigger(case_ctx *ctx, shttp *h, fixture *fx, http_stream **post, char *why,
                          size_t len);

#endif
