/* progress_log: progress notifications of one call, judged (progress_log.h). */
#include "verifier/progress_log.h"

#include <stdio.h>
#include <string.h>

static void note_progress(case_ctx *ctx, progress_log *p, const jsonrpc_msg *m,
                          const char *token) {
  size_t len = 0;
  const char *raw = jsonrpc_get_raw(m, "params.progressToken", &len);
  double v = 0;
  int has_value = jsonrpc_get_number(m, "params.progress", &v);
  if (p->answered) {
    p->after++;
    return;
  }
  if (!raw || !jsonrpc_id_equal(raw, len, token, strlen(token))) {
    p->wrong_token++;
    ctx_note(ctx, "progress token %.*s, ours is %s", raw ? (int)(len > 40 ? 40 : len) : 6,
             raw ? raw : "absent", token);
  }
  if (!has_value || (p->count && v <= p->last))
    p->not_increasing++;
  p->last = v;
  p->count++;
}

void progress_log_note(case_ctx *ctx, progress_log *p, const jsonrpc_msg *m, const char *token) {
  const char *method = jsonrpc_method(m);
  jsonrpc_kind k = jsonrpc_kind_of(m);
  if (method && !strcmp(method, "notifications/progress"))
    note_progress(ctx, p, m, token);
  else if (k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE)
    p->answered = 1;
}

void progress_judge_increase(case_ctx *ctx, const progress_log *p) {
  char got[96];
  snprintf(got, sizeof got, "%zu of %zu notifications did not increase", p->not_increasing,
           p->count);
  if (p->not_increasing)
    ctx_violation(ctx, "strictly increasing progress", got, "progress went backwards or "
                  "stood still (%s)", got);
  else
    ctx_checked(ctx, "strictly increasing progress", got);
}

void progress_judge_token(case_ctx *ctx, const progress_log *p, const char *token) {
  char got[96], want[96];
  snprintf(want, sizeof want, "progressToken %s on every notification", token);
  snprintf(got, sizeof got, "%zu with another token, %zu after the response", p->wrong_token,
           p->after);
  if (p->wrong_token)
    ctx_violation(ctx, want, got, "progress notifications carry another token (%s)", got);
  else if (p->after)
    ctx_violation(ctx, "no progress after the response", got,
                  "progress continued after the response (%s)", got);
  else
    ctx_checked(ctx, want, got);
}
