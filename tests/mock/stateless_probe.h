/*
 * stateless_probe.h: 2026-07-28 (stateless) requests for the mock tests,
 * written out by hand so each test shows exactly what goes on the wire:
 * the _meta every request carries and the headers that mirror it.
 * Header-only; include after mock_test_util.h.
 */
#ifndef STATELESS_PROBE_H
#define STATELESS_PROBE_H

#include <stdlib.h>
#include <string.h>

#include "mock_client.h"

#define S26_VERSION "2026-07-28"
#define S26_META_WITH(caps)                                                                \
  "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" S26_VERSION "\","          \
  "\"io.modelcontextprotocol/clientCapabilities\":" caps ","                              \
  "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"mock-test\",\"version\":\"1\"}}"
#define S26_META S26_META_WITH("{}")
/* A request; params_members is the inside of params (e.g. S26_META). */
#define S26_REQ(id, method, params_members)                                                \
  "{\"jsonrpc\":\"2.0\",\"id\":" id ",\"method\":\"" method "\",\"params\":{" params_members "}}"
#define S26_CALL(id, tool, args, meta)                                                     \
  S26_REQ(id, "tools/call", "\"name\":\"" tool "\",\"arguments\":" args "," meta)

/* Header lines of a valid request for method (Mcp-Name: name when not
 * NULL), then up to three more (NULL ends); into h, NULL-ended. */
static inline void s26_headers(const char **h, char *name_line, size_t n, const char *method,
                               const char *name, const char *x1, const char *x2, const char *x3) {
  static char method_line[128];
  size_t i = 0;
  h[i++] = "Accept: application/json, text/event-stream";
  h[i++] = "Content-Type: application/json";
  h[i++] = "MCP-Protocol-Version: " S26_VERSION;
  snprintf(method_line, sizeof method_line, "Mcp-Method: %s", method);
  h[i++] = method_line;
  if (name) {
    snprintf(name_line, n, "Mcp-Name: %s", name);
    h[i++] = name_line;
  }
  const char *x[] = {x1, x2, x3};
  for (size_t k = 0; k < 3 && x[k]; k++)
    h[i++] = x[k];
  h[i] = NULL;
}

/* POSTs body to /mcp with exactly these header lines (NULL-ended). */
static inline long s26_raw(const mk_server *srv, const char *body, const char *const *h, mk_resp *r) {
  mk_req q = {.path = "/mcp", .body = body, .timeout_ms = 3000};
  for (size_t i = 0; h[i] && i + 1 < MK_HEADERS_MAX; i++)
    q.headers[i] = h[i];
  mk_resp_free(r);
  mk_do(srv, &q, r);
  return r->status;
}

/* A valid request for method (and Mcp-Name name) plus up to two extra
 * header lines; the HTTP status. */
static inline long s26_post(const mk_server *srv, const char *body, const char *method,
                            const char *name, const char *x1, const char *x2, mk_resp *r) {
  const char *h[MK_HEADERS_MAX];
  char name_line[512];
  s26_headers(h, name_line, sizeof name_line, method, name, x1, x2, NULL);
  return s26_raw(srv, body, h, r);
}

/* The same, read concurrently (listen streams, calls cut short). */
static inline mk_stream *s26_stream(const mk_server *srv, const char *body, const char *method,
                                    const char *name) {
  const char *h[MK_HEADERS_MAX];
  char name_line[512];
  s26_headers(h, name_line, sizeof name_line, method, name, NULL, NULL, NULL);
  return mk_stream_post_headers(srv, body, h + 2); /* Accept and Content-Type come anyway */
}

/* The reply's error code (0 when none). */
static inline long s26_code(const mk_resp *r) {
  jsonrpc_msg *m = mk_reply(r);
  long code = 0;
  if (!m || !jsonrpc_error_code(m, &code))
    code = 0;
  jsonrpc_free(m);
  return code;
}

/* The messages of an SSE body whose method is `method` (NULL: all). */
static inline size_t s26_count_body(const dynbuf *b, const char *method) {
  mk_events *e = mk_events_parse(b->ptr, b->len);
  size_t n = 0;
  for (size_t i = 0; i < e->n; i++) {
    jsonrpc_msg *m = e->ev[i].data[0] ? mk_json(e->ev[i].data) : NULL;
    const char *got = m ? jsonrpc_get_string(m, "method") : NULL;
    n += m && (!method || (got && !strcmp(got, method)));
    jsonrpc_free(m);
  }
  mk_events_free(e);
  return n;
}

static inline size_t s26_count(const mk_stream *st, const char *method) {
  return s26_count_body(mk_stream_body(st), method);
}

static inline size_t s26_count_in(const mk_resp *r, const char *method) {
  return s26_count_body(&r->body, method);
}

/* Compact JSON at path of the stream's first message (or "" ). */
static inline const char *s26_first(const mk_stream *st, const char *path, char *buf, size_t n) {
  const dynbuf *b = mk_stream_body(st);
  mk_events *e = mk_events_parse(b->ptr, b->len);
  buf[0] = '\0';
  for (size_t i = 0; i < e->n && !buf[0]; i++) {
    jsonrpc_msg *m = e->ev[i].data[0] ? mk_json(e->ev[i].data) : NULL;
    dynbuf j;
    dynbuf_init(&j, 1 << 16);
    if (m && jsonrpc_get_type(m, path) != JSONRPC_T_ABSENT && !jsonrpc_get_json(m, path, &j))
      snprintf(buf, n, "%s", dynbuf_str(&j));
    else if (m)
      snprintf(buf, n, "-"); /* a first message without it */
    dynbuf_free(&j);
    jsonrpc_free(m);
  }
  mk_events_free(e);
  return buf;
}

#endif
