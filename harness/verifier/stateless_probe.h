/*
 * stateless_probe: 2026-07-28 requests in a case (transport/stateless to
 * the run's URL within the case's deadlines) and the judgments the
 * modern cases share: a refusal with a given HTTP status and JSON-RPC
 * code carrying the request's id (S26-ERR-06/07), or a request served.
 */
#ifndef MCPWIRE_VERIFIER_STATELESS_PROBE_H
#define MCPWIRE_VERIFIER_STATELESS_PROBE_H

#include "engine/case.h"
#include "transport/stateless.h"

/* The spec anchor of the stateless revision. */
#define SPEC_2607 "https://modelcontextprotocol.io/specification/2026-07-28/"

/* req to the run's URL; the response (JSON or SSE) before the step
 * deadline. *post (when not NULL) gets the stream. NULL with f->why. */
jsonrpc_msg *stateless_probe_call(case_ctx *ctx, const stateless_request *req,
                                  http_stream **post, rpc_failure *f);

/* What a negative probe must get back. */
typedef struct stateless_refusal {
  long status;       /* HTTP status */
  long code;         /* JSON-RPC error code the spec names; 0: any error */
  long also;         /* another code that is as right (combined faults, Y-03); 0: none */
  int code_warns;    /* another code is only a warning (the spec's reading is open, Y-04) */
} stateless_refusal;

/* Sends req and judges the answer: the status, then a JSON-RPC error
 * carrying req's id with the code. 1 when everything held; else the
 * verdict is set (a violation of the case's level, an error when no
 * answer came) and 0. `what` names the probe in the verdict. */
int stateless_probe_refused(case_ctx *ctx, const stateless_request *req,
                            const stateless_refusal *want, const char *what);

/* Sends req and wants it served: HTTP 200 and a success response to its
 * id. The response in *out when not NULL (jsonrpc_free it). 1 when so;
 * else the verdict is set and 0. */
int stateless_probe_served(case_ctx *ctx, const stateless_request *req, const char *what,
                           jsonrpc_msg **out);

/* Sends req, whose mirrored headers agree with its body, and wants no
 * header refusal (-32020): a result or any other error (an unknown tool,
 * in-band or not, S26-ERR-11) passes. 1 when so; else the verdict is set. */
int stateless_probe_not_header_refused(case_ctx *ctx, const stateless_request *req,
                                       const char *what);

/* Walks tools/list (every page, at most MCPWIRE_TOOLS_LIST_PAGES_MAX)
 * calling visit(arg, page, i) for each tool until it returns 1. 1 when a
 * visit stopped the walk, 0 when the list ended; -1 when a page could not
 * be read (why says so). Sets no verdict. */
typedef int (*stateless_tool_visit)(void *arg, const jsonrpc_msg *page, size_t i);
int stateless_probe_tools(case_ctx *ctx, stateless_tool_visit visit, void *arg, char *why,
                          size_t whylen);
/* 1 when tools/list names `tool`; else a skip naming it (0) or an error (-1). */
int stateless_probe_require_tool(case_ctx *ctx, const char *tool);

/* A fixture role resolved on a stateless target, with its call. */
typedef struct stateless_fixture {
  fixture fx;
  char params[FIXTURE_CALL_MEMBERS_MAX]; /* tools/call params members: name, arguments */
} stateless_fixture;
/* Resolves `role` (engine/fixture.h) from the stateless tools/list, every
 * page, as a session-era case does (the user's --fixture first, then the
 * candidates that serve the stateless era), after a discover that must
 * declare tools. 0 with *sf set and the tool noted; -1 with a skip naming
 * the role and the tools looked for, or an error. */
int stateless_probe_require_fixture(case_ctx *ctx, fixture_role role, stateless_fixture *sf);
/* A tools/call of sf with id id_raw: its params, Mcp-Name, and for
 * INPUT_REQUIRED and REQUEST_STATE the client capabilities the tool relies
 * on (every other role declares none). A case adds its own overrides. */
stateless_request stateless_fixture_call(const stateless_fixture *sf, const char *id_raw);

/* The server's capabilities from a valid server/discover (*out, free it
 * with jsonrpc_free); 0, or -1 with an error verdict. */
int stateless_probe_discover(case_ctx *ctx, jsonrpc_msg **out);

#endif
