/*
 * watch: how long a case may watch for something the server sends on its
 * own schedule (a keep-alive comment, a priming event, a close).
 *
 * A watch ends as soon as its verdict is decided. Under --quick a case
 * whose watch is longer than MCPWIRE_QUICK_WATCH_MAX_MS does not run: it
 * skips with "--quick: watch of N s left out".
 */
#ifndef MCPWIRE_VERIFIER_WATCH_H
#define MCPWIRE_VERIFIER_WATCH_H

#include "engine/case.h"
#include "mcpwire_limits.h"

/* Under --quick a case whose watch is longer than MCPWIRE_QUICK_WATCH_MAX_MS
 * is left out before it opens anything: skips and returns 1. Called first in
 * the case, so a --quick verdict never depends on how soon a server happens
 * to send something. */
static inline int watch_left_out_by_quick(case_ctx *ctx, double watch_ms) {
  if (!ctx->cfg->quick || watch_ms <= MCPWIRE_QUICK_WATCH_MAX_MS)
    return 0;
  ctx_skip(ctx, "--quick: watch of %.0f s left out (--quick runs no watch over %d ms)",
           watch_ms / 1000.0, MCPWIRE_QUICK_WATCH_MAX_MS);
  return 1;
}

/* Records time spent waiting on the server's keep-alive interval, so the
 * summary can say when that set the run's length. */
static inline void watch_keepalive_waited(case_ctx *ctx, double waited_ms) {
  ctx->res->keepalive_wait_ms = waited_ms > 0 ? waited_ms : 0;
}

#endif
