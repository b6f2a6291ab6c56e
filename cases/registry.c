/* The table of contents: every section of cases, in run order. */
#include <string.h>

#include "cases/cases.h"
#include "mcpwire_limits.h"

SECTION_TABLE(http_proxy)     /* declared here: cases.h belongs to the case API */
SECTION_TABLE(http_reconnect)
SECTION_TABLE(sse_reconnect)

SECTION_TABLE(http_batch)
SECTION_TABLE(http_cancel)
SECTION_TABLE(http_progress)
SECTION_TABLE(lifecycle)
SECTION_TABLE(stdio)
SECTION_TABLE(progress)
SECTION_TABLE(asking)


SECTION_TABLE(http_poll)
SECTION_TABLE(http_security)
SECTION_TABLE(http_auth)

SECTION_TABLE(http_endpoint)
SECTION_TABLE(http_multi)

SECTION_TABLE(http_compat)    /* legacy transport hosted beside the MCP endpoint */
SECTION_TABLE(sse_session)
SECTION_TABLE(sse_security)
SECTION_TABLE(wire)
SECTION_TABLE(run)
SECTION_TABLE(modern_discover) /* 2026-07-28, the stateless era */
SECTION_TABLE(modern_meta)
SECTION_TABLE(modern_headers)
SECTION_TABLE(modern_params)
SECTION_TABLE(modern_errors)
SECTION_TABLE(modern_legacy)
SECTION_TABLE(modern_mrtr)
SECTION_TABLE(modern_security)
SECTION_TABLE(modern_listen)
SECTION_TABLE(modern_sse)
SECTION_TABLE(modern_proxy)
SECTION_TABLE(modern_cancel)
SECTION_TABLE(modern_auth)
SECTION_TABLE(balance)       /* lb: load balancers, connections and instances */

typedef struct section {
  const case_def *cases;
  const size_t *n;
} section;

static const section SECTIONS[] = {
    {http_endpoint_cases, &http_endpoint_ncases},   /* one path for POST and GET */
    {http_lifecycle_cases, &http_lifecycle_ncases}, /* initialize, version negotiation */
    {http_session_cases, &http_session_ncases},     /* Mcp-Session-Id */
    {http_post_cases, &http_post_ncases},           /* POST answers */
    {http_get_cases, &http_get_ncases},             /* the standalone GET stream */
    {http_multi_cases, &http_multi_ncases},         /* several streams at once */
    {http_version_cases, &http_version_ncases},     /* MCP-Protocol-Version header */
    {http_jsonrpc_cases, &http_jsonrpc_ncases},     /* JSON-RPC envelope over HTTP */
    {http_batch_cases, &http_batch_ncases},         /* JSON-RPC batches by revision */
    {http_cancel_cases, &http_cancel_ncases},       /* notifications/cancelled */
    {http_progress_cases, &http_progress_ncases},   /* notifications/progress */
    {http_resume_cases, &http_resume_ncases},       /* Last-Event-ID resumption */
    {http_poll_cases, &http_poll_ncases},           /* SSE polling (2025-11-25) */
    {http_security_cases, &http_security_ncases},   /* Origin and Host checks */
    {http_auth_cases, &http_auth_ncases},           /* 401 when credentials are given */
    {http_proxy_cases, &http_proxy_ncases},         /* buffering proxies, mitigations */
    {http_reconnect_cases, &http_reconnect_ncases}, /* cut at every offset, resume */
    {sse_endpoint_cases, &sse_endpoint_ncases},     /* legacy endpoint event */
    {sse_message_cases, &sse_message_ncases},       /* legacy message routing */
    {sse_reconnect_cases, &sse_reconnect_ncases},   /* a new stream is a new session */
    {lifecycle_cases, &lifecycle_ncases},   /* initialize, ping, ids: legacy and stdio */
    {progress_cases, &progress_ncases},             /* progress, cancel: legacy and stdio */
    {asking_cases, &asking_ncases},                 /* server-to-client requests: legacy, stdio */
    {stdio_cases, &stdio_ncases},                   /* stdio framing and shutdown */
    {sse_session_cases, &sse_session_ncases},       /* legacy sessions: routing, close */
    {sse_security_cases, &sse_security_ncases},     /* legacy Origin, content type, JSON */
    {http_compat_cases, &http_compat_ncases},       /* legacy transport beside Streamable HTTP */
    {wire_cases, &wire_ncases},                     /* SSE wire format of every stream */
    {modern_discover_cases, &modern_discover_ncases}, /* 2026-07-28: server/discover */
    {modern_meta_cases, &modern_meta_ncases},       /* 2026-07-28: _meta, no handshake */
    {modern_headers_cases, &modern_headers_ncases}, /* 2026-07-28: mirrored headers, Base64 */
    {modern_params_cases, &modern_params_ncases},   /* 2026-07-28: Mcp-Param-* headers */
    {modern_errors_cases, &modern_errors_ncases},   /* 2026-07-28: error statuses */
    {modern_sse_cases, &modern_sse_ncases},         /* 2026-07-28: response streams */
    {modern_proxy_cases, &modern_proxy_ncases},     /* 2026-07-28: proxies, cuts, re-issue */
    {modern_cancel_cases, &modern_cancel_ncases},   /* 2026-07-28: a closed stream cancels */
    {modern_mrtr_cases, &modern_mrtr_ncases},       /* 2026-07-28: input-required results */
    {modern_listen_cases, &modern_listen_ncases},   /* 2026-07-28: subscriptions/listen */
    {modern_legacy_cases, &modern_legacy_ncases},   /* 2026-07-28: session-era traffic */
    {modern_security_cases, &modern_security_ncases}, /* 2026-07-28: Origin */
    {modern_auth_cases, &modern_auth_ncases},       /* 2026-07-28: per-request credentials */
    {balance_cases, &balance_ncases},               /* lb: connections, instances, affinity */
    {run_cases, &run_ncases},                       /* the whole run's traffic, judged last */
};

/* Ids a case had before it was renamed: old, new. */
static const char *const RENAMED[][2] = {
    {"sse/lifecycle/initialize-result", "lifecycle/initialize-result"},
    {"sse/lifecycle/ping-empty-result", "lifecycle/ping-empty-result"},
    {"sse/lifecycle/unsupported-version", "lifecycle/unsupported-version"},
    {"sse/lifecycle/id-echo-exact", "jsonrpc/id-echo-exact"},
    {"sse/lifecycle/unknown-method-32601", "jsonrpc/unknown-method-32601"},
    {"sse/lifecycle/parse-error-32700", "jsonrpc/parse-error-32700"},
    {"sse/lifecycle/invalid-request-32600", "jsonrpc/invalid-request-32600"},
};

const char *registry_renamed(const char *id) {
  for (size_t i = 0; i < sizeof RENAMED / sizeof RENAMED[0]; i++)
    if (!strcmp(id, RENAMED[i][0]))
      return RENAMED[i][1];
  return NULL;
}

const case_def *const *registry_all(size_t *n) {
  static const case_def *all[MCPWIRE_CASES_MAX];
  static size_t count;
  if (!count) {
    for (size_t s = 0; s < sizeof SECTIONS / sizeof SECTIONS[0]; s++)
      for (size_t i = 0; i < *SECTIONS[s].n && count < MCPWIRE_CASES_MAX; i++)
        all[count++] = &SECTIONS[s].cases[i];
  }
  *n = count;
  return all;
}
