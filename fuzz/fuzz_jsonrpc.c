/*
 * fuzz_jsonrpc: strict JSON parsing, JSON-RPC classification, path queries
 * and the builders.
 *
 * The whole input is one body. Oracles (abort on failure):
 *   - a message without problems that is a valid request, notification or
 *     response, rebuilt with the builders from what the getters return,
 *     parses again as the same kind, still valid, with the byte-identical
 *     raw id (ids are echoed, never re-printed), the same method and the
 *     same error code;
 *   - every raw id equals itself under jsonrpc_id_equal;
 *   - the compact JSON of any value (jsonrpc_get_json) of a problem-free body
 *     is itself well-formed JSON;
 *   - every member key reported by jsonrpc_get_key resolves to a present
 *     value when it is a plain identifier.
 * The last bytes of the input also serve as a random path for the getters.
 * The harness functions are left out of coverage tracing (no_coverage.h):
 * libFuzzer's tracing and feedback are spent on jsonrpc.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/jsonrpc.h"
#include "mcpwire_limits.h"
#include "no_coverage.h"

enum { WALK_DEPTH_MAX = 6, WALK_QUERIES_MAX = 200, PATH_MAX_LEN = 256 };

FUZZ_NO_COVERAGE static void die(const char *why, const char *detail) {
  fprintf(stderr, "ORACLE MISMATCH: %s: %s\n", why, detail ? detail : "");
  abort();
}

FUZZ_NO_COVERAGE static int is_plain_key(const char *k) {
  if (!k[0])
    return 0;
  for (const char *c = k; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
          (*c >= '0' && *c <= '9') || *c == '_' || *c == '$' || *c == '-'))
      return 0;
  return 1;
}

/* Every getter on one path; the results only need to be consistent. */
FUZZ_NO_COVERAGE static void query_path(const jsonrpc_msg *m, const char *path, int check_json) {
  jsonrpc_type t = jsonrpc_get_type(m, path);
  const char *s = jsonrpc_get_string(m, path);
  double num;
  (void)jsonrpc_get_number(m, path, &num); /* only must not crash */
  size_t count = jsonrpc_get_count(m, path);
  if ((s != NULL) != (t == JSONRPC_T_STRING))
    die("get_string disagrees with get_type", path);
  if (count && t != JSONRPC_T_ARRAY && t != JSONRPC_T_OBJECT)
    die("get_count is non-zero on a scalar", path);
  dynbuf out;
  dynbuf_init(&out, MCPWIRE_JSON_BODY_MAX);
  int rc = jsonrpc_get_json(m, path, &out);
  if ((rc == 0) != (t != JSONRPC_T_ABSENT) && t != JSONRPC_T_ABSENT)
    die("get_json failed on a present value", path);
  if (rc == 0 && check_json) {
    jsonrpc_msg *again = jsonrpc_parse(out.ptr ? out.ptr : "", out.len);
    if (!again)
      abort();
    if (!jsonrpc_is_json(again))
      die("get_json wrote text that is not JSON", out.ptr);
    jsonrpc_free(again);
  }
  dynbuf_free(&out);
}

typedef struct walk {
  const jsonrpc_msg *m;
  int queries;
  int check_json;
} walk;

FUZZ_NO_COVERAGE static void walk_value(walk *w, const char *path, int depth) {
  if (w->queries++ >= WALK_QUERIES_MAX)
    return;
  query_path(w->m, path, w->check_json);
  jsonrpc_type t = jsonrpc_get_type(w->m, path);
  if (depth >= WALK_DEPTH_MAX || (t != JSONRPC_T_OBJECT && t != JSONRPC_T_ARRAY))
    return;
  size_t n = jsonrpc_get_count(w->m, path);
  for (size_t i = 0; i < n && i < 8; i++) {
    char child[PATH_MAX_LEN];
    int len;
    if (t == JSONRPC_T_ARRAY) {
      len = snprintf(child, sizeof child, "%s[%zu]", path, i);
    } else {
      const char *k = jsonrpc_get_key(w->m, path, i);
      if (!k)
        die("get_key is NULL below get_count", path);
      if (!is_plain_key(k))
        continue;
      len = snprintf(child, sizeof child, "%s%s%s", path, path[0] ? "." : "", k);
    }
    if (len < 0 || (size_t)len >= sizeof child)
      continue;
    if (jsonrpc_get_type(w->m, child) == JSONRPC_T_ABSENT)
      die("a listed member or element is absent", child);
    walk_value(w, child, depth + 1);
  }
}

/* JSON text of the value at path as a C string (NULL when absent). */
FUZZ_NO_COVERAGE static char *value_json(const jsonrpc_msg *m, const char *path) {
  if (jsonrpc_get_type(m, path) == JSONRPC_T_ABSENT)
    return NULL;
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_JSON_BODY_MAX);
  if (jsonrpc_get_json(m, path, &b) != 0)
    die("get_json failed on a present value", path);
  return dynbuf_take(&b);
}

FUZZ_NO_COVERAGE static int build_again(const jsonrpc_msg *m, dynbuf *out) {
  size_t id_len = 0;
  const char *id = jsonrpc_id_raw(m, &id_len);
  char *id_c = id ? strndup(id, id_len) : NULL;
  char *params = value_json(m, "params");
  int rc = -1;
  long code;
  switch (jsonrpc_kind_of(m)) {
  case JSONRPC_REQUEST:
    rc = jsonrpc_build_request(out, id_c, jsonrpc_method(m), params);
    break;
  case JSONRPC_NOTIFICATION:
    rc = jsonrpc_build_notification(out, jsonrpc_method(m), params);
    break;
  case JSONRPC_SUCCESS_RESPONSE: {
    char *result = value_json(m, "result");
    rc = jsonrpc_build_result(out, id, id_len, result);
    free(result);
    break;
  }
  case JSONRPC_ERROR_RESPONSE:
    if (jsonrpc_error_code(m, &code) == 1 && jsonrpc_error_message(m)) {
      char *data = value_json(m, "error.data");
      rc = jsonrpc_build_error(out, id, id_len, code, jsonrpc_error_message(m), data);
      free(data);
    }
    break;
  default:
    break;
  }
  free(params);
  free(id_c);
  return rc;
}

FUZZ_NO_COVERAGE static int same_cstr(const char *a, const char *b) {
  return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Builders round-trip: rebuild a valid message and compare the envelope. */
FUZZ_NO_COVERAGE static void check_rebuild(const jsonrpc_msg *m) {
  dynbuf out;
  dynbuf_init(&out, MCPWIRE_JSON_BODY_MAX);
  if (build_again(m, &out) != 0) {
    dynbuf_free(&out);
    return;
  }
  jsonrpc_msg *again = jsonrpc_parse(out.ptr, out.len);
  if (!again)
    abort();
  if (jsonrpc_kind_of(again) != jsonrpc_kind_of(m) || !jsonrpc_is_valid(again))
    die("rebuilt message changed kind or validity", out.ptr);
  size_t a_len = 0, b_len = 0;
  const char *a = jsonrpc_id_raw(m, &a_len), *b = jsonrpc_id_raw(again, &b_len);
  if (!a && jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE) {
    a = "null"; /* an error without an id is rebuilt with "id":null */
    a_len = 4;
  }
  if ((a == NULL) != (b == NULL) || a_len != b_len || (a && memcmp(a, b, a_len)))
    die("rebuilt message has a different raw id", out.ptr);
  if (!same_cstr(jsonrpc_method(m), jsonrpc_method(again)))
    die("rebuilt message has a different method", out.ptr);
  long c1 = 0, c2 = 0;
  if (jsonrpc_error_code(m, &c1) != jsonrpc_error_code(again, &c2) || c1 != c2)
    die("rebuilt error has a different code", out.ptr);
  jsonrpc_free(again);
  dynbuf_free(&out);
}

FUZZ_NO_COVERAGE static void check_message(const jsonrpc_msg *m, int problem_free) {
  jsonrpc_kind k = jsonrpc_kind_of(m);
  if (!jsonrpc_kind_name(k))
    die("kind without a name", NULL);
  size_t id_len = 0;
  const char *id = jsonrpc_id_raw(m, &id_len);
  if (id && !jsonrpc_id_equal(id, id_len, id, id_len))
    die("a raw id is not equal to itself", id);
  long code;
  (void)jsonrpc_error_code(m, &code);
  (void)jsonrpc_error_message(m);
  (void)jsonrpc_method(m);
  if (problem_free && jsonrpc_is_valid(m) && k != JSONRPC_BATCH && k != JSONRPC_INVALID)
    check_rebuild(m);
}

FUZZ_NO_COVERAGE static void query_random_path(const jsonrpc_msg *m, const uint8_t *data, size_t size) {
  char path[32];
  size_t n = size < sizeof path - 1 ? size : sizeof path - 1;
  memcpy(path, data + size - n, n);
  path[n] = '\0';
  query_path(m, path, 0);
  (void)jsonrpc_get_key(m, path, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_NO_COVERAGE int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  jsonrpc_msg *m = jsonrpc_parse((const char *)data, size);
  if (!m)
    abort();
  size_t problems = jsonrpc_problem_count(m);
  for (size_t i = 0; i < problems && i < MCPWIRE_JSONRPC_PROBLEMS_MAX; i++) {
    const jsonrpc_problem *p = jsonrpc_problem_at(m, i);
    if (!p || !p->rule || strnlen(p->reason, sizeof p->reason) == sizeof p->reason)
      die("problem without a rule or an unterminated reason", NULL);
  }
  int problem_free = problems == 0 && jsonrpc_is_json(m);
  if (jsonrpc_is_valid(m) && !jsonrpc_is_json(m))
    die("valid JSON-RPC that is not JSON", NULL);
  check_message(m, problem_free);
  size_t n = jsonrpc_batch_count(m);
  for (size_t i = 0; i < n; i++) {
    const jsonrpc_msg *e = jsonrpc_batch_at(m, i);
    if (!e)
      die("batch element missing below batch_count", NULL);
    check_message(e, problem_free);
  }
  if (jsonrpc_is_json(m)) {
    walk w = {m, 0, problem_free};
    walk_value(&w, "", 0);
  }
  if (size)
    query_random_path(m, data, size);
  jsonrpc_free(m);
  return 0;
}
