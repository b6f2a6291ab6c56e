#include "transport/stateless.h"

#include <stdio.h>
#include <string.h>

#include "codec/mcp_header.h"
#include "mcpwire_limits.h"

const char STATELESS_OMIT[] = "(omit)";

/* Content-Type, Accept, the three mirrored headers, the extras, NULL. */
#define STATELESS_HEADERS_MAX (6 + MCPWIRE_STATELESS_EXTRA_HEADERS_MAX)

#define CLIENT_INFO "{\"name\":\"mcpwire\",\"version\":\"0.1.0\"}"

const char *stateless_header_value(const char *value, char *out, size_t len) {
  return mcp_header_encode(value, strlen(value), out, len) < 0 ? NULL : out;
}

/* One "key":value member of _meta, unless omitted; *sep between members. */
static int meta_member(dynbuf *b, const char *key, const char *over, const char *dflt,
                       const char **sep) {
  if (over == STATELESS_OMIT)
    return 0;
  int rc = dynbuf_printf(b, "%s\"io.modelcontextprotocol/%s\":%s", *sep, key, over ? over : dflt);
  *sep = ",";
  return rc;
}

static int params_json(const stateless_request *r, dynbuf *b) {
  const char *sep = "";
  int rc = dynbuf_adds(b, "{");
  if (!r->omit_meta) {
    rc |= dynbuf_adds(b, "\"_meta\":{");
    rc |= meta_member(b, "protocolVersion", r->meta_version, "\"" STATELESS_REVISION "\"", &sep);
    rc |= meta_member(b, "clientCapabilities", r->meta_capabilities, "{}", &sep);
    rc |= meta_member(b, "clientInfo", r->meta_client_info, CLIENT_INFO, &sep);
    if (r->meta_extra)
      rc |= dynbuf_printf(b, "%s%s", sep, r->meta_extra);
    rc |= dynbuf_adds(b, "}");
  }
  if (r->params && *r->params)
    rc |= dynbuf_printf(b, "%s%s", r->omit_meta ? "" : ",", r->params);
  return rc | dynbuf_adds(b, "}");
}

int stateless_body(const stateless_request *req, dynbuf *out) {
  dynbuf params;
  dynbuf_init(&params, MCPWIRE_JSON_BODY_MAX);
  int rc = params_json(req, &params);
  if (!rc)
    rc = req->id_raw ? jsonrpc_build_request(out, req->id_raw, req->method, dynbuf_str(&params))
                     : jsonrpc_build_notification(out, req->method, dynbuf_str(&params));
  dynbuf_free(&params);
  return rc ? -1 : 0;
}

/* "Name: value" into store unless omitted; the default when over is NULL. */
static void header_line(const char *name, const char *over, const char *dflt, char *store,
                        size_t len, const char **lines, size_t *n) {
  const char *v = over ? over : dflt;
  if (over == STATELESS_OMIT || !v)
    return;
  snprintf(store, len, "%s: %s", name, v);
  lines[(*n)++] = store;
}

http_stream *stateless_post(client *c, const char *url, const stateless_request *req) {
  enum { LINE = 64 + MCPWIRE_STATELESS_HEADER_VALUE_MAX };
  char store[3][LINE], name[MCPWIRE_STATELESS_HEADER_VALUE_MAX];
  const char *lines[STATELESS_HEADERS_MAX];
  size_t n = 0;
  lines[n++] = "Content-Type: application/json";
  lines[n++] = "Accept: application/json, text/event-stream";
  header_line("MCP-Protocol-Version", req->version_header, STATELESS_REVISION, store[0], LINE,
              lines, &n);
  header_line("Mcp-Method", req->method_header, req->method, store[1], LINE, lines, &n);
  const char *encoded = req->name ? stateless_header_value(req->name, name, sizeof name) : NULL;
  header_line("Mcp-Name", req->name_header, encoded, store[2], LINE, lines, &n);
  for (size_t i = 0; req->extra && i < MCPWIRE_STATELESS_EXTRA_HEADERS_MAX && req->extra[i]; i++)
    lines[n++] = req->extra[i];
  lines[n] = NULL;
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  http_stream *s = NULL;
  if (!stateless_body(req, &body)) {
    http_request hr = {"POST", url, lines, dynbuf_str(&body), body.len};
    s = client_start(c, &hr);
  }
  dynbuf_free(&body);
  return s;
}

jsonrpc_msg *stateless_call(client *c, const char *url, const stateless_request *req,
                            double deadline_ms, http_stream **post, rpc_failure *f) {
  http_stream *s = stateless_post(c, url, req);
  if (post)
    *post = s;
  if (!s) {
    snprintf(f->why, sizeof f->why, "could not start the %s POST", req->method);
    return NULL;
  }
  return rpc_await_response(s, req->id_raw, deadline_ms, f, NULL);
}
