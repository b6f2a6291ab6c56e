/* The table of contents: every section of cases, in run order. */
#include "cases/cases.h"
#include "mcpwire_limits.h"

typedef struct section {
  const case_def *cases;
  const size_t *n;
} section;

static const section SECTIONS[] = {
    {http_lifecycle_cases, &http_lifecycle_ncases}, /* initialize, version negotiation */
    {http_session_cases, &http_session_ncases},     /* Mcp-Session-Id */
    {http_post_cases, &http_post_ncases},           /* POST answers */
    {http_get_cases, &http_get_ncases},             /* the standalone GET stream */
    {http_version_cases, &http_version_ncases},     /* MCP-Protocol-Version header */
    {http_jsonrpc_cases, &http_jsonrpc_ncases},     /* JSON-RPC envelope over HTTP */
    {http_resume_cases, &http_resume_ncases},       /* Last-Event-ID resumption */
    {sse_endpoint_cases, &sse_endpoint_ncases},     /* legacy endpoint event */
    {sse_message_cases, &sse_message_ncases},       /* legacy message routing */
};

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
