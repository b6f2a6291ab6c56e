/*
 * stateless: a request of the stateless era (MCP 2026-07-28) over HTTP.
 *
 * No initialize, no session: every POST carries the protocol context in
 * params._meta (io.modelcontextprotocol/protocolVersion, clientCapabilities,
 * clientInfo) and mirrors it in headers (MCP-Protocol-Version, Mcp-Method,
 * and Mcp-Name for tools/call, prompts/get and resources/read, sentinel
 * Base64 when the value is not header-safe). A case can replace or leave
 * out any header or _meta field, one at a time, for a negative probe.
 * Requests go through client_start like every other: same origin policy,
 * transcript and envelope checks.
 */
#ifndef MCPWIRE_STATELESS_H
#define MCPWIRE_STATELESS_H

#include "codec/jsonrpc.h"
#include "transport/client.h"
#include "transport/rpc.h"

/* The stateless revision mcpwire speaks. */
#define STATELESS_REVISION "2026-07-28"

/* An override that leaves the header or _meta field out. */
extern const char STATELESS_OMIT[];

typedef struct stateless_request {
  const char *id_raw;      /* JSON text of the id ("1", "\"a\""); NULL: a notification */
  const char *method;      /* body method, mirrored in Mcp-Method */
  const char *params;      /* params members besides _meta ("\"name\":\"echo\""), or NULL */
  const char *name;        /* the body value Mcp-Name mirrors (params.name or .uri), or NULL */
  /* Overrides, for negative probes: NULL keeps what a valid request sends,
   * STATELESS_OMIT leaves it out, anything else is sent instead (header
   * values as they are, _meta values as JSON text). */
  const char *version_header;    /* MCP-Protocol-Version: 2026-07-28 */
  const char *method_header;     /* Mcp-Method: <method> */
  const char *name_header;       /* Mcp-Name: <encoded name> */
  const char *meta_version;      /* "2026-07-28" */
  const char *meta_capabilities; /* {} */
  const char *meta_client_info;  /* {"name":"mcpwire","version":...} */
  const char *meta_extra;        /* more _meta members ("\"k\":1"), or NULL */
  int omit_meta;                 /* params without _meta at all */
  const char *const *extra;      /* more header lines, NULL-terminated (at most
                                    MCPWIRE_STATELESS_EXTRA_HEADERS_MAX) */
} stateless_request;

/* The header-safe form of a value (S26-B64-01, codec/mcp_header): the
 * value itself when it is printable ASCII without leading or trailing
 * whitespace and does not look like a sentinel, else "=?base64?" +
 * Base64(UTF-8) + "?=". Returns out, or NULL when it does not fit in len. */
const char *stateless_header_value(const char *value, char *out, size_t len);

/* Builds the JSON-RPC body of req into out (a dynbuf the caller inits and
 * frees). 0, or -1 when it does not fit. */
int stateless_body(const stateless_request *req, dynbuf *out);

/* POSTs req to url; NULL when the request could not start (transcript line). */
http_stream *stateless_post(client *c, const char *url, const stateless_request *req);

/* stateless_post, then the response to req->id_raw (JSON or SSE) before
 * deadline_ms; *post gets the stream when not NULL. NULL with f->why. */
jsonrpc_msg *stateless_call(client *c, const char *url, const stateless_request *req,
                            double deadline_ms, http_stream **post, rpc_failure *f);

#endif
