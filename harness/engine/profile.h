/*
 * profile: which transport and revision a run targets, and why.
 *
 * --transport auto probes Streamable HTTP first (POST initialize offering
 * the newest revision, then older ones), then the legacy transport (GET,
 * expect an `endpoint` event). --spec auto takes the revision the server
 * answered. Each probe adds one evidence line to the profile. When neither
 * answers, a stateless `server/discover` (2026-07-28) tells a server of
 * that era, which mcpwire has no cases for yet, from one that is not MCP.
 */
#ifndef MCPWIRE_PROFILE_H
#define MCPWIRE_PROFILE_H

#include <stddef.h>

#include "engine/result.h"
#include "transport/client.h"

/* The first revision without initialize (stateless HTTP), which mcpwire
 * recognises but has no cases for yet, and the last one it tests. */
#define PROFILE_STATELESS_REVISION "2026-07-28"
#define PROFILE_LAST_SESSION_REVISION "2025-11-25"

typedef enum profile_status {
  PROFILE_OK = 0,
  PROFILE_UNREACHABLE,   /* no connection could be made */
  PROFILE_NOT_MCP,       /* connected, but no transport answered as MCP */
  PROFILE_MODERN         /* an MCP server of the stateless era (2026-07-28 on) only */
} profile_status;

/* transport: "auto", "http" or "sse"; spec: "auto" or a revision.
 * Fills out (strings owned by it). `why` gets one line on failure. */
profile_status profile_detect(const char *url, const char *transport, const char *spec,
                              const transport_options *opt, long step_timeout_ms,
                              profile *out, char *why, size_t whylen);

#endif
