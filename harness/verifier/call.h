/*
 * call: a request in a Streamable HTTP session and its response, whatever
 * the reply's shape (an application/json body, an SSE stream, or a
 * 2025-11-25 polling close followed by GET + Last-Event-ID after `retry`:
 * shttp_await_response follows all three), within the case's deadlines;
 * and the fixture roles (engine/fixture.h) called that way.
 */
#ifndef MCPWIRE_VERIFIER_CALL_H
#define MCPWIRE_VERIFIER_CALL_H

#include "engine/case.h"
#include "engine/fixture_pace.h"

/* POSTs a request (id_raw NULL: the session's next integer id) and awaits
 * its response with call_await. *post (when not NULL) gets the POST
 * stream. NULL with f->why. */
jsonrpc_msg *call_request(case_ctx *ctx, shttp *h, const char *id_raw, const char *method,
                          const char *params_json, http_stream **post, rpc_failure *f);
/* Awaits the response `id_raw` on the reply `s` (a POST stream, or one a
 * case already read part of): shttp_await_response with each wait (the
 * reply, the advertised retry, each resumed GET) within a step and all
 * within the case's deadline. NULL with f->why. */
jsonrpc_msg *call_await(case_ctx *ctx, shttp *h, http_stream *s, const char *id_raw,
                        rpc_failure *f);
/* Pings in session h and writes the ping's raw id into id: a request
 * that has finished, which a notifications/cancelled may name harmlessly
 * (LIFE-CANCEL-06: a cancel that arrives after the response is a race
 * every receiver handles). 0 on success, else an error verdict. */
int call_finished_request(case_ctx *ctx, shttp *h, char *id, size_t idlen);
/* One tools/list page through call_request in the session `h` (an shttp
 * *): a ctx_tools_page_fn for ctx_find_tool. */
jsonrpc_msg *call_tools_page(case_ctx *ctx, void *h, const char *params_json, rpc_failure *f);
/* A JSON string id or token unique in the whole run, "\"mcpwire-TAG-N\"";
 * with tag NULL a number, unique too. */
const char *call_unique_id(const char *tag, char *buf, size_t len);

/* ---- fixture roles (engine/fixture.h) in a Streamable HTTP session ---- */

/* ctx_require_fixture with tools/list read through call_request in h. */
int call_require_fixture(case_ctx *ctx, shttp *h, fixture_role role, fixture *fx);
/* call_require_fixture for PROGRESS; under --quick the call is made
 * shorter as pace says (engine/fixture_pace.h; a note says so): BRISK for
 * a case that needs only a call that streams its progress, then its
 * result; HALF for one that cuts it and resumes; FULL (= call_require_fixture)
 * for one that watches what a disconnect leaves running. */
int call_require_progress(case_ctx *ctx, shttp *h, fixture_pace pace, fixture *fx);
/* POSTs one call of the fixture with id id_raw and progress token
 * token_raw (JSON texts; token NULL: none). The stream, or NULL. */
http_stream *call_fixture_post(shttp *h, const fixture *fx, const char *id_raw,
                               const char *token_raw);
/* Makes a LIST_CHANGED fixture send its notification once: subscribes to
 * a resource first when the tool works through resources/updated, and
 * switches a toggling tool off and on again when this session already
 * switched it on. Awaits the call's response; 0 when it was a result, else
 * -1 with why. *post (when not NULL) gets the call's POST stream. */
int call_fixture_trigger(case_ctx *ctx, shttp *h, fixture *fx, http_stream **post, char *why,
                         size_t len);

#endif
