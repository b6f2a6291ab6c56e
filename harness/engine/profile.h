/*
 * profile: which transport and revision a run targets, and why.
 *
 * --transport auto probes Streamable HTTP first (POST initialize offering
 * the newest revision, then older ones), then the legacy transport (GET,
 * expect an `endpoint` event). --spec auto takes the revision the server
 * answered. Each probe adds one evidence line to the profile.
 *
 * --spec auto starts with a stateless `server/discover` (2026-07-28, the
 * catalog's section 15.1): a server that lists 2026-07-28 is of the
 * stateless era; initialize is then probed too, and a server that also
 * answers it serves both eras on one URL (dual era: both eras' cases run).
 * --spec 2026-07-28 probes discover (initialize only to learn whether the
 * server is of both eras; naming the transport too, it
 * runs as given when discover fails on a reachable target); a session-era --spec only
 * initialize (and discover at the end, to say why nothing answered).
 */
#ifndef MCPWIRE_PROFILE_H
#define MCPWIRE_PROFILE_H

#include <stddef.h>

#include "engine/result.h"
#include "transport/client.h"
#include "transport/stateless.h"
#include "transport/stdio_process.h"

/* The first revision without initialize (stateless HTTP), and the last
 * one with it. */
#define PROFILE_STATELESS_REVISION STATELESS_REVISION
#define PROFILE_LAST_SESSION_REVISION "2025-11-25"

typedef enum profile_status {
  PROFILE_OK = 0,
  PROFILE_UNREACHABLE,   /* no connection could be made */
  PROFILE_NOT_MCP,       /* connected, but no transport answered as MCP */
  PROFILE_MODERN         /* a stateless-era server mcpwire cannot run: a later revision
                            only, or a session-era --spec at a 2026-07-28-only server */
} profile_status;

/* transport: "auto", "http" or "sse"; spec: "auto" or a revision.
 * Fills out (strings owned by it). `why` gets one line on failure. */
profile_status profile_detect(const char *url, const char *transport, const char *spec,
                              const transport_options *opt, long step_timeout_ms,
                              profile *out, char *why, size_t whylen);

/* A server launched as a command (stdio, the session era): one process
 * gets initialize offering spec (auto: the newest session-era revision)
 * and is shut down; the answered revision is the run's. PROFILE_UNREACHABLE
 * when it did not start or answered nothing, PROFILE_NOT_MCP when it
 * answered otherwise, PROFILE_MODERN for --spec 2026-07-28 (not tested on
 * stdio yet). */
profile_status profile_detect_stdio(const stdio_spawn *spawn, const char *spec, long step_ms,
                                    profile *out, char *why, size_t whylen);

#endif
