/*
 * stateless.c: MCP 2026-07-28 on /mcp. There is no initialize and no
 * session: every request carries its revision and client capabilities in
 * params._meta and mirrors method, name and version in headers (S26-META,
 * S26-HDR). A POST is checked in this order (Y-03): the body's shape, its
 * _meta (-32602), the mirrored headers against the body (-32020, through
 * codec/mcp_header), the revision (-32022), the method (404 -32601), the
 * client capabilities a tool needs (-32021); all 400 but the 404. Then it
 * is served in a throw-away session that ends with its response stream,
 * so the tools, progress and streams of the session era are reused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "codec/json_writer.h"
#include "codec/mcp_header.h"
#include "mcpwire_limits.h"
#include "mock.h"

#define META_LOG_LEVEL META("logLevel")

/* Error codes of 2026-07-28 (S26-ERR-01). */
enum { ERR_HEADER_MISMATCH = -32020, ERR_MISSING_CAPABILITY = -32021 };

/* Methods a stateless request may name (anything else is 404, S26-ERR-08). */
static const char *const served_methods[] = {
    "server/discover", "tools/list",      "tools/call",          "prompts/list",
    "prompts/get",     "resources/list",  "resources/read",      "resources/templates/list",
    "completion/complete", "subscriptions/listen"};
/* Methods 2026-07-28 removed; served only under s26-removed-methods-served. */
static const char *const removed_methods[] = {"ping", "logging/setLevel", "resources/subscribe",
                                              "resources/unsubscribe"};
/* Results a client may cache (S26-DISC-03, the caching scenario). */
static const char *const cacheable_methods[] = {"server/discover", "tools/list", "prompts/list",
                                                "resources/list", "resources/templates/list",
                                                "resources/read"};

static int listed(const char *const *list, size_t n, const char *s) {
  for (size_t i = 0; s && i < n; i++)
    if (!strcmp(list[i], s))
      return 1;
  return 0;
}
#define LISTED(list, s) listed(list, sizeof list / sizeof list[0], s)

int stateless_headers(struct evhttp_request *req) {
  const char *v = http_header(req, MCP_HEADER_PROTOCOL_VERSION);
  if (the_mock.opt.eras == ERAS_LEGACY)
    return 0;
  return http_header(req, MCP_HEADER_METHOD) || (v && !strcmp(v, MOCK_V2607));
}

static int has_meta_version(const jsonrpc_msg *m) {
  return jsonrpc_get_type(m, META_VERSION) != JSONRPC_T_ABSENT;
}

/* initialize as a 2025 client sends it: no modern header, no modern _meta. */
static int legacy_initialize(struct evhttp_request *req, const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  return method && !strcmp(method, "initialize") && !stateless_headers(req) && !has_meta_version(m);
}

int stateless_claims(struct evhttp_request *req, const jsonrpc_msg *m) {
  switch (the_mock.opt.eras) {
  case ERAS_LEGACY: return 0;
  case ERAS_MODERN: {
    if (!fault_on(FAULT_S26_INITIALIZE_ACCEPTED))
      return 1;
    const char *sid = http_header(req, "Mcp-Session-Id");
    session *live = sid ? session_find(sid) : NULL;
    return !legacy_initialize(req, m) && !(live && !live->legacy);
  }
  default: return stateless_headers(req) || has_meta_version(m);
  }
}

/* ---- replies with an HTTP status ---- */

/* A JSON-RPC error with data (NULL: none) and the request's id when it
 * has a usable one. */
static void reply_error(struct evhttp_request *req, int status, const char *reason,
                        const jsonrpc_msg *m, long code, const char *message, const char *data) {
  size_t len = 0;
  const char *id = m ? rpc_reply_id(m, &len) : NULL;
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_BODY_MAX);
  if (id)
    jsonrpc_build_error(&b, id, len, code, message, data);
  else
    jsonrpc_build_error_without_id(&b, code, message, data);
  http_reply(req, status, reason, "application/json", b.ptr, b.len);
  dynbuf_free(&b);
}

static void reply_bad(struct evhttp_request *req, const jsonrpc_msg *m, long code,
                      const char *message, const char *data) {
  reply_error(req, 400, "Bad Request", m, code, message, data);
}

void stateless_unsupported_data(const char *asked, dynbuf *d) {
  dynbuf_addc(d, '{');
  if (!fault_on(FAULT_S26_VERSION_ERROR_SHAPE))
    dynbuf_adds(d, "\"supported\":[\"" MOCK_V2607 "\"],");
  dynbuf_adds(d, "\"requested\":");
  json_write_cstring(d, asked ? asked : "");
  dynbuf_addc(d, '}');
}

/* 400 -32022 naming what is supported and what was asked (S26-HDR-04). */
static void reply_unsupported(struct evhttp_request *req, const jsonrpc_msg *m, const char *asked) {
  dynbuf d;
  dynbuf_init(&d, 4096);
  stateless_unsupported_data(asked, &d);
  reply_bad(req, m, ERR_UNSUPPORTED_VERSION, "Unsupported protocol version", d.ptr);
  dynbuf_free(&d);
}

/* ---- the checks, in order; each replies and returns 0 on a refusal ---- */

const char *stateless_meta_problem(const jsonrpc_msg *m) {
  const char *why = NULL;
  if (jsonrpc_get_type(m, "params._meta") != JSONRPC_T_OBJECT)
    why = "params._meta is required";
  else if (jsonrpc_get_type(m, META_VERSION) != JSONRPC_T_STRING)
    why = "_meta io.modelcontextprotocol/protocolVersion is required";
  else if (jsonrpc_get_type(m, META_CAPS) != JSONRPC_T_OBJECT)
    why = "_meta io.modelcontextprotocol/clientCapabilities is required";
  else if (fault_on(FAULT_S26_CLIENT_INFO_REQUIRED) &&
           jsonrpc_get_type(m, META("clientInfo")) != JSONRPC_T_OBJECT)
    why = "_meta io.modelcontextprotocol/clientInfo is required";
  return fault_on(FAULT_S26_NO_META_CHECK) ? NULL : why;
}

static int check_meta(struct evhttp_request *req, const jsonrpc_msg *m) {
  const char *why = stateless_meta_problem(m);
  if (!why)
    return 1;
  reply_error(req, fault_on(FAULT_S26_META_ERROR_200) ? 200 : 400,
              fault_on(FAULT_S26_META_ERROR_200) ? "OK" : "Bad Request", m, JSONRPC_INVALID_PARAMS,
              why, NULL);
  return 0;
}

/* What the header lookup sees: the request's headers, or under
 * s26-no-header-check the standard ones made up from the body. */
typedef struct header_view {
  struct evhttp_request *req;
  const char *version, *method; /* from the body, or NULL */
  char name[MCPWIRE_MCP_HEADER_WIRE_MAX];
  int fake;
  char scratch[2 * MCPWIRE_MCP_HEADER_WIRE_MAX]; /* a value a Base64 fault rewrote */
} header_view;

static int has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* The Base64 faults, as what the strict decoder is shown instead: an
 * undecoded value (encoded once more, so it decodes to itself), markers in
 * any case (lowered), one marker (the other added). */
static const char *base64_fault(header_view *v, const char *value) {
  static const char open[] = MCP_HEADER_SENTINEL_PREFIX, close[] = MCP_HEADER_SENTINEL_SUFFIX;
  size_t n = strlen(value), o = sizeof open - 1;
  int opened = !strncmp(value, open, o), closed = has_suffix(value, close);
  if (fault_on(FAULT_S26_NO_BASE64_DECODE) && opened)
    return mcp_header_encode(value, n, v->scratch, sizeof v->scratch) < 0 ? value : v->scratch;
  if (fault_on(FAULT_S26_BASE64_MARKERS_ANY_CASE) && !opened && !strncasecmp(value, open, o) &&
      n < sizeof v->scratch) {
    snprintf(v->scratch, sizeof v->scratch, "%s%s", open, value + o);
    return v->scratch;
  }
  if (fault_on(FAULT_S26_BASE64_PARTIAL_MARKER) && opened != closed && n + o < sizeof v->scratch) {
    const char *head = opened ? "" : open, *tail = closed ? "" : close;
    size_t h = strlen(head), t = strlen(tail);
    memcpy(v->scratch, head, h);
    memcpy(v->scratch + h, value, n);
    memcpy(v->scratch + h + n, tail, t + 1);
    return v->scratch;
  }
  return value;
}

static const char *view_lookup(void *arg, const char *name, size_t *len) {
  header_view *v = arg;
  const char *value = http_header(v->req, name);
  if (value && (!strcasecmp(name, MCP_HEADER_NAME) ||
                !strncasecmp(name, MCP_HEADER_PARAM_PREFIX, strlen(MCP_HEADER_PARAM_PREFIX))))
    value = base64_fault(v, value);
  /* s26-integer-compared-as-text: "42.0" is not the body's 42 */
  if (value && fault_on(FAULT_S26_INTEGER_COMPARED_AS_TEXT) && strchr(value, '.') &&
      !strncasecmp(name, MCP_HEADER_PARAM_PREFIX, strlen(MCP_HEADER_PARAM_PREFIX)))
    value = "mcpwire-mock-compares-text";
  if (v->fake && !strcasecmp(name, MCP_HEADER_PROTOCOL_VERSION))
    value = v->version;
  else if (v->fake && !strcasecmp(name, MCP_HEADER_METHOD))
    value = v->method;
  else if (v->fake && !strcasecmp(name, MCP_HEADER_NAME))
    value = v->name[0] ? v->name : NULL;
  if (value && len)
    *len = strlen(value);
  return value;
}

/* s26-no-header-check: the standard headers say what the body says. */
static void view_fake(header_view *v, const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  const char *name = method && !strcmp(method, "resources/read") ? jsonrpc_get_string(m, "params.uri")
                                                                 : jsonrpc_get_string(m, "params.name");
  v->fake = 1;
  v->version = jsonrpc_get_string(m, META_VERSION);
  v->method = method;
  if (!name || mcp_header_encode(name, strlen(name), v->name, sizeof v->name) < 0)
    v->name[0] = '\0';
}

/* The x-mcp-header schema of the tool a tools/call names, parsed, or NULL. */
static cJSON *param_schema(const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  if (!method || strcmp(method, "tools/call"))
    return NULL;
  const char *schema = stateless_tool_schema(jsonrpc_get_string(m, "params.name"));
  return schema ? cJSON_Parse(schema) : NULL;
}

/* s26-param-demanded-when-absent: a left-out annotated argument still
 * needs its header (S26-PARAM-10 says it must not). */
static mcp_mirror_status demand_absent_params(struct evhttp_request *req, const jsonrpc_msg *m,
                                              const cJSON *schema, char *why, size_t n) {
  mcp_param_annotation ann[8];
  size_t count = 0;
  char path[sizeof ann[0].path[0] + 32], header[sizeof MCP_HEADER_PARAM_PREFIX + sizeof ann[0].name];
  if (mcp_header_annotations(schema, ann, 8, &count, why, n))
    return MCP_MIRROR_OK;
  for (size_t i = 0; i < count; i++) {
    /* bounded by the field sizes: gcc -Os cannot see the terminators */
    snprintf(path, sizeof path, "params.arguments[\"%.*s\"]", (int)sizeof ann[i].path[0] - 1,
             ann[i].path[0]);
    snprintf(header, sizeof header, MCP_HEADER_PARAM_PREFIX "%.*s", (int)sizeof ann[i].name - 1,
             ann[i].name);
    if (ann[i].depth == 1 && jsonrpc_get_type(m, path) == JSONRPC_T_ABSENT &&
        !http_header(req, header)) {
      snprintf(why, n, "%s header missing", header);
      return MCP_MIRROR_PARAM_MISSING;
    }
  }
  return MCP_MIRROR_OK;
}

/* Mirrored headers against the body (S26-HDR-09, S26-PARAM-08..11). */
static int check_headers(struct evhttp_request *req, const jsonrpc_msg *m) {
  size_t len = 0;
  char *text = http_body(req, &len);
  cJSON *body = text ? cJSON_ParseWithLength(text, len) : NULL;
  cJSON *schema = param_schema(m);
  header_view *view = calloc(1, sizeof *view);
  if (!view) {
    cJSON_Delete(body);
    cJSON_Delete(schema);
    free(text);
    return 1; /* could not judge: served */
  }
  view->req = req;
  if (fault_on(FAULT_S26_NO_HEADER_CHECK))
    view_fake(view, m);
  char why[512] = "";
  mcp_mirror_status st =
      body ? mcp_header_check(body, fault_on(FAULT_S26_PARAM_UNCHECKED) ? NULL : schema,
                              view_lookup, view, why, sizeof why)
           : MCP_MIRROR_OK;
  if (st == MCP_MIRROR_OK && schema && fault_on(FAULT_S26_PARAM_DEMANDED_WHEN_ABSENT))
    st = demand_absent_params(req, m, schema, why, sizeof why);
  free(view);
  cJSON_Delete(body);
  cJSON_Delete(schema);
  free(text);
  if (st == MCP_MIRROR_BAD_BASE64 && fault_on(FAULT_S26_LENIENT_BASE64))
    return 1;
  if (!mcp_mirror_is_header_mismatch(st))
    return 1; /* a cap or a body problem is judged elsewhere, never a mismatch */
  long code = fault_on(FAULT_S26_HEADER_ERROR_CODE) ? JSONRPC_INVALID_REQUEST : ERR_HEADER_MISMATCH;
  reply_bad(req, m, code, why[0] ? why : "Header mismatch", NULL);
  return 0;
}

int stateless_version_served(const char *asked) {
  return !asked || !strcmp(asked, MOCK_V2607) || fault_on(FAULT_S26_ANY_VERSION);
}

static int check_version(struct evhttp_request *req, const jsonrpc_msg *m) {
  const char *asked = jsonrpc_get_string(m, META_VERSION);
  if (stateless_version_served(asked))
    return 1;
  reply_unsupported(req, m, asked);
  return 0;
}

/* An unknown logLevel SHOULD get -32602 (S26-META-14). */
static int check_log_level(struct evhttp_request *req, const jsonrpc_msg *m) {
  if (jsonrpc_get_type(m, META_LOG_LEVEL) == JSONRPC_T_ABSENT ||
      log_level_index(jsonrpc_get_string(m, META_LOG_LEVEL)) >= 0)
    return 1;
  reply_bad(req, m, JSONRPC_INVALID_PARAMS, "_meta io.modelcontextprotocol/logLevel is not a log level",
            NULL);
  return 0;
}

int stateless_method_served(const char *method) {
  if (!strcmp(method, "server/discover") && fault_on(FAULT_S26_NO_DISCOVER))
    return 0;
  if (!strcmp(method, "prompts/list") && fault_on(FAULT_S26_DECLARED_LIST_MISSING))
    return 0; /* discover still declares prompts */
  return LISTED(served_methods, method) ||
         (fault_on(FAULT_S26_REMOVED_METHODS_SERVED) && LISTED(removed_methods, method));
}

static int check_method(struct evhttp_request *req, const jsonrpc_msg *m) {
  if (stateless_method_served(jsonrpc_get_string(m, "method")))
    return 1;
  int ok = fault_on(FAULT_S26_UNKNOWN_METHOD_200);
  reply_error(req, ok ? 200 : 404, ok ? "OK" : "Not Found", m, JSONRPC_METHOD_NOT_FOUND,
              "Method not found", NULL);
  return 0;
}

/* s26-capabilities-remembered: a capability once declared by any
 * stateless request (the mock's memory), 1 when it counts for this one. */
static int remembered(const char *cap, int now) {
  static const char *const caps[] = {"sampling", "elicitation", "roots"};
  static int seen[sizeof caps / sizeof caps[0]];
  for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
    if (strcmp(cap, caps[i]))
      continue;
    seen[i] |= now;
    return seen[i] && fault_on(FAULT_S26_CAPABILITIES_REMEMBERED);
  }
  return 0;
}

static int declared(const jsonrpc_msg *m, const char *cap) {
  char path[128];
  snprintf(path, sizeof path, "%s.%s", META_CAPS, cap);
  int now = jsonrpc_get_type(m, path) == JSONRPC_T_OBJECT;
  return remembered(cap, now) || now;
}

/* -32021 when the tool needs a capability the request did not declare. */
static int check_capabilities(struct evhttp_request *req, const jsonrpc_msg *m) {
  const char *method = jsonrpc_get_string(m, "method");
  if ((strcmp(method, "tools/call") && strcmp(method, "prompts/get")) ||
      fault_on(FAULT_S26_CAPABILITY_UNCHECKED))
    return 1;
  const char *need =
      stateless_tool_needs(method, jsonrpc_get_string(m, "params.name"), declared(m, "sampling"),
                           declared(m, "elicitation"), declared(m, "roots"));
  if (!need || declared(m, need))
    return 1;
  char data[128];
  snprintf(data, sizeof data, "{\"requiredCapabilities\":{\"%s\":{}}}", need);
  reply_bad(req, m, ERR_MISSING_CAPABILITY, "Missing required client capability", data);
  return 0;
}

/* ---- results ---- */

/* Members every 2026-07-28 result carries that r lacks, each ending ','. */
static void decoration(const session *s, const jsonrpc_msg *r, dynbuf *out) {
  if (jsonrpc_get_type(r, "resultType") == JSONRPC_T_ABSENT && !fault_on(FAULT_S26_NO_RESULT_TYPE))
    dynbuf_adds(out, "\"resultType\":\"complete\",");
  if (jsonrpc_get_type(r, "_meta") == JSONRPC_T_ABSENT && !fault_on(FAULT_S26_NO_SERVER_INFO))
    dynbuf_adds(out, "\"_meta\":{\"io.modelcontextprotocol/serverInfo\":"
                     "{\"name\":\"mcpwire-mock\",\"version\":\"0.1.0\"}},");
  if (s->cacheable && jsonrpc_get_type(r, "ttlMs") == JSONRPC_T_ABSENT &&
      !fault_on(FAULT_S26_NO_CACHE_HINTS))
    dynbuf_printf(out, "\"ttlMs\":%d,\"cacheScope\":\"public\",", MCPWIRE_MOCK_CACHE_TTL_MS);
}

void stateless_decorate(const session *s, const char *result, dynbuf *out) {
  size_t n = strlen(result);
  jsonrpc_msg *r = jsonrpc_parse(result, n);
  if (!r || jsonrpc_get_type(r, "") != JSONRPC_T_OBJECT || result[0] != '{') {
    dynbuf_add(out, result, n); /* not ours to change */
    jsonrpc_free(r);
    return;
  }
  size_t start = out->len;
  dynbuf_addc(out, '{');
  decoration(s, r, out);
  if (jsonrpc_get_count(r, "") == 0 && out->len > start + 1)
    out->ptr[--out->len] = '\0'; /* {} gained members: drop the last comma */
  dynbuf_add(out, result + 1, n - 1);
  jsonrpc_free(r);
}

/* ---- serving ---- */

void stateless_discover(dynbuf *b) {
  dynbuf_adds(b, "{\"supportedVersions\":[\"" MOCK_V2607 "\"");
  for (const char *const *v = (const char *const[]){MOCK_V2511, MOCK_V2506, MOCK_V2503, NULL};
       the_mock.opt.eras == ERAS_DUAL && *v; v++)
    if (version_is_modern(*v))
      dynbuf_printf(b, ",\"%s\"", *v);
  dynbuf_adds(b, "],\"capabilities\":{\"tools\":{\"listChanged\":true},"
                 "\"prompts\":{\"listChanged\":true},\"resources\":{\"listChanged\":true},"
                 "\"completions\":{},\"logging\":{}},"
                 "\"instructions\":\"mcpwire reference server for transport tests\"}");
}

session *stateless_request_session(const jsonrpc_msg *m) {
  session *s = session_create_stateless();
  if (!s)
    return NULL;
  const char *method = jsonrpc_get_string(m, "method");
  s->cap_sampling = declared(m, "sampling");
  s->cap_elicitation = declared(m, "elicitation");
  int level = log_level_index(jsonrpc_get_string(m, META_LOG_LEVEL));
  /* no logLevel: no log messages at all (S26-META-14) */
  if (level < 0)
    level = fault_on(FAULT_S26_LOG_WITHOUT_LEVEL) ? 0 : LOG_LEVEL_NONE;
  s->log_level = level;
  s->cacheable = LISTED(cacheable_methods, method);
  return s;
}

/* s26-cancelled-on-call-stream: notifications/cancelled for the request's
 * own id on its response stream (S26-CANCEL-06 keeps it for listen). */
static void cancelled_on_call_stream(exchange *ex, const jsonrpc_msg *m) {
  size_t len = 0;
  const char *id = rpc_reply_id(m, &len);
  dynbuf p, b;
  dynbuf_init(&p, 4096);
  dynbuf_init(&b, 8192);
  dynbuf_adds(&p, "{\"requestId\":");
  dynbuf_add(&p, id ? id : "null", id ? len : 4);
  dynbuf_adds(&p, ",\"reason\":\"mcpwire-mock fault\"}");
  rpc_notification(&b, "notifications/cancelled", p.ptr);
  exchange_emit(ex, b.ptr, b.len);
  dynbuf_free(&p);
  dynbuf_free(&b);
}

void stateless_dispatch(exchange *ex, const jsonrpc_msg *m) {
  if (!strcmp(jsonrpc_get_string(m, "method"), "server/discover")) {
    dynbuf b;
    dynbuf_init(&b, 4096);
    stateless_discover(&b);
    respond_result(ex, m, b.ptr);
    dynbuf_free(&b);
  } else {
    rpc_handle(ex, m);
  }
  ex->hold = 0;
  exchange_release(ex);
}

static void serve(struct evhttp_request *req, session *s, const jsonrpc_msg *m) {
  int json = the_mock.opt.responses_json || fault_on(FAULT_WRONG_CONTENT_TYPE); /* text/plain */
  exchange *ex = exchange_new(json ? EX_JSON : EX_SSE, s);
  if (!ex || (!json && !(ex->st = stream_create(s, 0)))) {
    free(ex);
    session_reap_soon(s);
    http_reply(req, 500, "Internal Server Error", NULL, NULL, 0);
    return;
  }
  ex->pending = 2; /* the response, and the hold while dispatching */
  ex->hold = 1;
  if (json) {
    ex->req = req;
  } else {
    ex->st->ex = ex;
    stream_attach(ex->st, req);
  }
  if (ex->st && fault_on(FAULT_S26_CANCELLED_ON_CALL_STREAM))
    cancelled_on_call_stream(ex, m);
  stateless_dispatch(ex, m);
}

/* accept-invalid-notification: a message with a method and no id is
 * taken as a notification whatever its jsonrpc member says. */
static int invalid_notification_accepted(const jsonrpc_msg *m) {
  return fault_on(FAULT_ACCEPT_INVALID_NOTIFICATION) &&
         jsonrpc_get_type(m, "method") == JSONRPC_T_STRING &&
         jsonrpc_get_type(m, "id") == JSONRPC_T_ABSENT;
}

/* Answers what is not a single request: 202 for a notification (S26-HDR-13,
 * Y-01), 400 -32600 for the rest (S26-ERR-12). 1 when it answered. */
static int not_a_request(struct evhttp_request *req, const jsonrpc_msg *m) {
  switch (jsonrpc_kind_of(m)) {
  case JSONRPC_REQUEST: return 0;
  case JSONRPC_NOTIFICATION:
    if (fault_on(FAULT_NOTIFICATION_NOT_202))
      http_reply(req, 200, "OK", "application/json", "{}", 2);
    else
      http_reply(req, 202, "Accepted", NULL, NULL, 0);
    break;
  case JSONRPC_SUCCESS_RESPONSE:
  case JSONRPC_ERROR_RESPONSE:
    reply_bad(req, NULL, JSONRPC_INVALID_REQUEST, "Clients send no responses in 2026-07-28", NULL);
    break;
  default:
    if (invalid_notification_accepted(m))
      http_reply(req, 202, "Accepted", NULL, NULL, 0);
    else
      reply_bad(req, m, JSONRPC_INVALID_REQUEST, "Invalid Request", NULL);
  }
  return 1;
}

/* s26-handshake-required: everything but discover wants a session first. */
static int handshake_demanded(struct evhttp_request *req, const jsonrpc_msg *m) {
  const char *sid = http_header(req, "Mcp-Session-Id");
  if (!fault_on(FAULT_S26_HANDSHAKE_REQUIRED) || !strcmp(jsonrpc_get_string(m, "method"), "server/discover") ||
      (sid && session_find(sid)))
    return 0;
  reply_bad(req, m, JSONRPC_INVALID_REQUEST, "Send initialize first", NULL);
  return 1;
}

/* reject-unknown-meta: a _meta key neither reserved nor progressToken. */
static int foreign_meta_refused(struct evhttp_request *req, const jsonrpc_msg *m) {
  if (!fault_on(FAULT_REJECT_UNKNOWN_META) || !rpc_has_foreign_meta(m))
    return 0;
  reply_bad(req, m, JSONRPC_INVALID_PARAMS, "Unknown _meta key", NULL);
  return 1;
}

/* s26-last-event-id-honoured: a stateless POST is no resumption. */
static int last_event_id_refused(struct evhttp_request *req, const jsonrpc_msg *m) {
  if (!http_header(req, "Last-Event-ID") || !fault_on(FAULT_S26_LAST_EVENT_ID_HONOURED))
    return 0;
  reply_bad(req, m, -32000, "Unknown Last-Event-ID", NULL);
  return 1;
}

/* s26-session-header-honoured: an unknown session id is refused. */
static int session_header_refused(struct evhttp_request *req, const jsonrpc_msg *m) {
  const char *sid = http_header(req, "Mcp-Session-Id");
  if (!sid || !fault_on(FAULT_S26_SESSION_HEADER_HONOURED) || session_find(sid))
    return 0;
  reply_error(req, 404, "Not Found", m, -32001, "Session not found", NULL);
  return 1;
}

/* s26-reissue-refused: the call a cut stream lost still counts as running,
 * so its re-issue under a new id is refused. */
static int reissue_refused(struct evhttp_request *req, const jsonrpc_msg *m) {
  if (!fault_on(FAULT_S26_REISSUE_REFUSED) || strcmp(jsonrpc_get_string(m, "method"), "tools/call") ||
      !stream_take_cut_call(jsonrpc_get_string(m, "params.name")))
    return 0;
  reply_bad(req, m, JSONRPC_INTERNAL_ERROR, "A call is already running", NULL);
  return 1;
}

void stateless_post(struct evhttp_request *req, const jsonrpc_msg *m) {
  if (jsonrpc_get_type(m, "") == JSONRPC_T_ARRAY) {
    /* accept-batch-after-2503: a batch of one is served as its request */
    if (fault_on(FAULT_ACCEPT_BATCH_AFTER_2503) && jsonrpc_batch_count(m) == 1 &&
        jsonrpc_kind_of(jsonrpc_batch_at(m, 0)) == JSONRPC_REQUEST)
      stateless_post(req, jsonrpc_batch_at(m, 0));
    else
      reply_bad(req, NULL, JSONRPC_INVALID_REQUEST, "No batches in 2026-07-28", NULL);
    return;
  }
  if (not_a_request(req, m))
    return;
  if (legacy_initialize(req, m)) { /* a 2025 client at a modern-only server (S26-COMPAT-12) */
    reply_unsupported(req, m, jsonrpc_get_string(m, "params.protocolVersion"));
    return;
  }
  if (session_header_refused(req, m) || last_event_id_refused(req, m) || !check_meta(req, m) ||
      foreign_meta_refused(req, m) || handshake_demanded(req, m) || !check_headers(req, m) ||
      !check_version(req, m) || !check_log_level(req, m) || !check_method(req, m) ||
      !check_capabilities(req, m) || reissue_refused(req, m))
    return;
  session *s = stateless_request_session(m);
  if (!s) {
    reply_error(req, 503, "Service Unavailable", m, JSONRPC_INTERNAL_ERROR, "Too many requests", NULL);
    return;
  }
  if (!strcmp(jsonrpc_get_string(m, "method"), "subscriptions/listen"))
    subscription_open(req, s, m);
  else
    serve(req, s, m);
}

/* GET and DELETE at a modern-only /mcp: 405 (S26-LEGACY-01/02). */
void stateless_other_method(struct evhttp_request *req) {
  enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
  if (cmd == EVHTTP_REQ_GET && fault_on(FAULT_S26_GET_200)) {
    http_reply(req, 200, "OK", "text/event-stream", NULL, 0);
    return;
  }
  if (cmd == EVHTTP_REQ_DELETE && fault_on(FAULT_S26_DELETE_200)) {
    http_reply(req, 200, "OK", NULL, NULL, 0);
    return;
  }
  evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "POST");
  http_reply(req, 405, "Method Not Allowed", NULL, NULL, 0);
}
