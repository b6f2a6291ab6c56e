#include "verifier/message_check.h"

#include <stdio.h>
#include <string.h>

int message_check_envelope(case_ctx *ctx, const jsonrpc_msg *m, const char *what) {
  if (!jsonrpc_is_json(m)) {
    ctx_violation(ctx, "a JSON-RPC message", "not JSON", "%s is not JSON", what);
    return 0;
  }
  const char *method = jsonrpc_method(m);
  if (method && !strncmp(method, "notifications/", 14) &&
      jsonrpc_get_type(m, "id") != JSONRPC_T_ABSENT) {
    ctx_violation(ctx, "a notification without id", "an id",
                  "%s: %s carries an id (JSONRPC-13)", what, method);
    return 0;
  }
  if (jsonrpc_is_valid(m))
    return 1;
  const jsonrpc_problem *p = jsonrpc_problem_count(m) ? jsonrpc_problem_at(m, 0) : NULL;
  ctx_violation(ctx, "a valid JSON-RPC message", p ? p->rule : "invalid",
                "%s breaks %s: %s", what, p ? p->rule : "the envelope", p ? p->reason : "");
  return 0;
}

int message_check_error(case_ctx *ctx, const jsonrpc_msg *m, const rpc_failure *f, long want,
                        const char *what) {
  char exp[48], got[96];
  snprintf(exp, sizeof exp, "error %ld", want);
  if (!m) {
    ctx_violation(ctx, exp, "no JSON-RPC reply", "%s: no error response (%s)", what, f->why);
    return 0;
  }
  long code = 0;
  if (jsonrpc_kind_of(m) != JSONRPC_ERROR_RESPONSE) {
    ctx_violation(ctx, exp, jsonrpc_kind_name(jsonrpc_kind_of(m)), "%s got a %s", what,
                  jsonrpc_kind_name(jsonrpc_kind_of(m)));
    return 0;
  }
  if (!jsonrpc_error_code(m, &code) || code != want) {
    snprintf(got, sizeof got, "error %ld", code);
    ctx_violation(ctx, exp, got, "%s got error code %ld", what, code);
    return 0;
  }
  ctx_checked(ctx, exp, exp);
  return 1;
}

const char *message_init_result_lacks(const jsonrpc_msg *m) {
  static const struct {
    const char *path;
    jsonrpc_type type;
  } members[] = {{"result.protocolVersion", JSONRPC_T_STRING},
                 {"result.capabilities", JSONRPC_T_OBJECT},
                 {"result.serverInfo", JSONRPC_T_OBJECT},
                 {"result.serverInfo.name", JSONRPC_T_STRING},
                 {"result.serverInfo.version", JSONRPC_T_STRING}};
  for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
    if (jsonrpc_get_type(m, members[i].path) != members[i].type)
      return members[i].path;
  return NULL;
}

int message_result_is_empty(const jsonrpc_msg *m) {
  if (jsonrpc_get_type(m, "result") != JSONRPC_T_OBJECT)
    return 0;
  size_t n = jsonrpc_get_count(m, "result");
  /* Every result may carry _meta (schema: Result); nothing else. */
  return n == 0 || (n == 1 && jsonrpc_get_type(m, "result._meta") == JSONRPC_T_OBJECT);
}

int message_answers(const jsonrpc_msg *m, const char *id_raw) {
  jsonrpc_kind k = jsonrpc_kind_of(m);
  size_t len = 0;
  const char *id = jsonrpc_id_raw(m, &len);
  return (k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE) && id &&
         jsonrpc_id_equal(id, len, id_raw, strlen(id_raw));
}
