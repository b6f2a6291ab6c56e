/*
 * progress_log: what one progress-reporting call showed (spec
 * basic/utilities/progress), whatever transport carried it, and the two
 * judgements made of it: the values increase (LIFE-PROGRESS-02), the
 * notifications carry the request's token and stop at the response
 * (LIFE-PROGRESS-03).
 */
#ifndef MCPWIRE_VERIFIER_PROGRESS_LOG_H
#define MCPWIRE_VERIFIER_PROGRESS_LOG_H

#include "engine/case.h"

typedef struct progress_log {
  size_t count;          /* progress notifications before the response */
  size_t after;          /* progress notifications after it */
  size_t wrong_token;    /* with a token other than ours */
  size_t not_increasing; /* progress <= the previous value */
  double last;
  int answered;          /* the call's response came */
} progress_log;

/* Counts one message of the call (token: ours, JSON text): a progress
 * notification, or the response (a success or an error). Other messages
 * are not counted. */
void progress_log_note(case_ctx *ctx, progress_log *p, const jsonrpc_msg *m, const char *token);

/* The verdicts: LIFE-PROGRESS-02 and LIFE-PROGRESS-03. */
void progress_judge_increase(case_ctx *ctx, const progress_log *p);
void progress_judge_token(case_ctx *ctx, const progress_log *p, const char *token);

#endif
