/*
 * watch: how long a case may watch for something the server sends on its
 * own schedule (a keep-alive comment, a priming event, a close).
 *
 * A watch ends as soon as its verdict is decided. Under --quick a watch
 * longer than MCPWIRE_QUICK_WATCH_MAX_MS is cut to that: what arrives
 * within it is judged as usual, and when nothing did the case skips with
 * "--quick: watch of N s left out" instead of judging a cut watch.
 */
#ifndef MCPWIRE_VERIFIER_WATCH_H
#define MCPWIRE_VERIFIER_WATCH_H

#include "engine/case.h"
#include "mcpwire_limits.h"

/* The watch's length in this run: watch_ms, or the --quick cap. */
static inline double watch_length_ms(const case_ctx *ctx, double watch_ms) {
  return ctx->cfg->quick && watch_ms > MCPWIRE_QUICK_WATCH_MAX_MS ? MCPWIRE_QUICK_WATCH_MAX_MS
                                                                    : watch_ms;
}

/* 1 when --quick cut this watch (watch_ms over the cap). */
static inline int watch_cut_by_quick(const case_ctx *ctx, double watch_ms) {
  return watch_length_ms(ctx, watch_ms) < watch_ms;
}

/* The skip of a watch --quick cut and that saw nothing. */
static inline void watch_skip_quick(case_ctx *ctx, double watch_ms) {
  ctx_skip(ctx, "--quick: watch of %.0f s left out (nothing came in the first %d ms)",
           watch_ms / 1000.0, MCPWIRE_QUICK_WATCH_MAX_MS);
}

/* Records time spent waiting on the server's keep-alive interval, so the
 * summary can say when that set the run's length. */
static inline void watch_keepalive_waited(case_ctx *ctx, double waited_ms) {
  ctx->res->keepalive_wait_ms = waited_ms > 0 ? waited_ms : 0;
}

#endif
