/* mock_test_util.h: small shared helpers of the mock tests (header-only). */
#ifndef MOCK_TEST_UTIL_H
#define MOCK_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

#include "mock_client.h"

static const char *mock_bin;

#define PING(id) "{\"jsonrpc\":\"2.0\",\"id\":" id ",\"method\":\"ping\"}"
#define CALL(id, tool, args)                                                       \
  "{\"jsonrpc\":\"2.0\",\"id\":" id ",\"method\":\"tools/call\",\"params\":{\"name\":\"" tool \
  "\",\"arguments\":" args "}}"
#define NOTE(method) "{\"jsonrpc\":\"2.0\",\"method\":\"" method "\"}"

/* Starts the mock with up to three extra arguments (NULL ends them). */
static inline int start_with(mk_server *s, const char *a, const char *b, const char *c) {
  const char *extra[] = {a, b, c, NULL};
  return mk_start(s, mock_bin, extra);
}

/* A reply's string / number at path; "" / -1 when absent. */
static inline const char *reply_str(const mk_resp *r, const char *path, char *buf, size_t n) {
  jsonrpc_msg *m = mk_reply(r);
  const char *v = m ? jsonrpc_get_string(m, path) : NULL;
  snprintf(buf, n, "%s", v ? v : "");
  jsonrpc_free(m);
  return buf;
}

static inline double reply_num(const mk_resp *r, const char *path) {
  jsonrpc_msg *m = mk_reply(r);
  double d = -1;
  if (!m || !jsonrpc_get_number(m, path, &d))
    d = -1;
  jsonrpc_free(m);
  return d;
}

/* Compact JSON of the value at path of the reply ("" when absent). */
static inline const char *reply_json(const mk_resp *r, const char *path, char *buf, size_t n) {
  jsonrpc_msg *m = mk_reply(r);
  dynbuf b;
  dynbuf_init(&b, 1 << 20);
  buf[0] = '\0';
  if (m && jsonrpc_get_type(m, path) != JSONRPC_T_ABSENT && !jsonrpc_get_json(m, path, &b))
    snprintf(buf, n, "%s", dynbuf_str(&b));
  dynbuf_free(&b);
  jsonrpc_free(m);
  return buf;
}

static inline int body_has(const mk_resp *r, const char *s) {
  return strstr(dynbuf_str(&r->body), s) != NULL;
}

#endif
