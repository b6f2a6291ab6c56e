/*
 * balance: which target of a balancing proxy a request goes to.
 *
 * round-robin: each request the next target in turn. session-hash: a hash
 * of the request's session key, the Mcp-Session-Id header (Streamable HTTP)
 * or else the sessionId query parameter (legacy HTTP+SSE); a request without
 * a key (initialize, GET /sse) goes round-robin, as nginx's `hash` directive
 * does with an empty key. Pure: no I/O.
 */
#ifndef MCPWIRE_PROXY_BALANCE_H
#define MCPWIRE_PROXY_BALANCE_H

#include <stddef.h>
#include <stdint.h>

#include "proxy/http_framing.h"

enum proxy_balance { PROXY_BALANCE_NONE = 0, PROXY_BALANCE_ROUND_ROBIN, PROXY_BALANCE_SESSION_HASH };

/* The session key of a request head: into key (NUL-terminated, cut at
 * keylen - 1); 0 when the head has none. */
int balance_session_key(const http_head *h, char *key, size_t keylen);
/* The target index (< n, n >= 1) for a request head; *turn is the
 * round-robin counter the caller keeps. */
size_t balance_pick(int mode, size_t n, const http_head *h, uint64_t *turn);
/* "round-robin", "session-hash", or NULL for an unknown mode. */
const char *balance_name(int mode);
/* The mode a name names, or -1. */
int balance_parse(const char *name, size_t len);

#endif
