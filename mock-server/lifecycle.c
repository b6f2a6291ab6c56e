/*
 * lifecycle.c: initialize (version negotiation, capabilities), ping and
 * logging/setLevel. notifications/initialized is handled in rpc.c.
 */
#include <stdio.h>
#include <string.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "mock.h"

/* Echo a supported request; otherwise the newest we speak on this transport. */
const char *lifecycle_negotiate(const session *s, const char *asked) {
  int supported = s->legacy ? version_is_known(asked) : version_is_modern(asked);
  if (fault_on(FAULT_ECHO_UNSUPPORTED_VERSION))
    return asked;
  if (fault_on(FAULT_IGNORE_REQUESTED_VERSION) || !supported)
    return version_newest(s->legacy);
  return asked;
}

static void remember_client(session *s, const jsonrpc_msg *m, const char *version) {
  snprintf(s->version, sizeof s->version, "%s", version);
  s->cap_sampling = jsonrpc_get_type(m, "params.capabilities.sampling") == JSONRPC_T_OBJECT;
  s->cap_elicitation =
      jsonrpc_get_type(m, "params.capabilities.elicitation") == JSONRPC_T_OBJECT;
}

static void write_init_result(dynbuf *b, const char *version) {
  dynbuf_adds(b, "{\"protocolVersion\":");
  json_write_cstring(b, version);
  dynbuf_adds(b, ",\"capabilities\":{\"tools\":{\"listChanged\":true},\"logging\":{},"
                 "\"prompts\":{\"listChanged\":true},"
                 "\"resources\":{\"subscribe\":true,\"listChanged\":true},\"completions\":{}}");
  if (!fault_on(FAULT_INIT_MISSING_SERVER_INFO))
    dynbuf_adds(b, ",\"serverInfo\":{\"name\":\"mcpwire-mock\",\"version\":\"0.1.0\"}");
  if (strcmp(version, MOCK_V2411))
    dynbuf_adds(b, ",\"instructions\":\"mcpwire reference server for transport tests\"");
  dynbuf_addc(b, '}');
}

static void handle_initialize(exchange *ex, const jsonrpc_msg *m) {
  const char *asked = jsonrpc_get_string(m, "params.protocolVersion");
  if (ex->batch) { /* LIFE-INIT-05: it would renegotiate a live session */
    respond_error(ex, m, JSONRPC_INVALID_REQUEST, "initialize cannot be batched");
    return;
  }
  if (!asked && fault_on(FAULT_INIT_WITHOUT_VERSION_ACCEPTED))
    asked = MOCK_V2511;
  if (!asked || !ex->owner) {
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "params.protocolVersion is required");
    return;
  }
  const char *version = lifecycle_negotiate(ex->owner, asked);
  remember_client(ex->owner, m, version);
  dynbuf b;
  dynbuf_init(&b, 4096);
  write_init_result(&b, ex->owner->version);
  respond_result(ex, m, b.ptr);
  dynbuf_free(&b);
}

static void handle_ping(exchange *ex, const jsonrpc_msg *m) {
  if (fault_on(FAULT_PING_BEFORE_INIT_REJECTED) && ex->owner && !ex->owner->initialized)
    respond_error(ex, m, JSONRPC_INVALID_REQUEST, "Server not initialized");
  else if (fault_on(FAULT_RESULT_NOT_OBJECT))
    respond_result(ex, m, "[]");
  else if (fault_on(FAULT_PING_RESULT_NOT_EMPTY))
    respond_result(ex, m, "{\"pong\":true}");
  else
    respond_result(ex, m, "{}");
}

static const char *const log_levels[] = {"debug",    "info",  "notice", "warning",
                                         "error",    "critical", "alert", "emergency"};

int log_level_index(const char *name) {
  for (int i = 0; name && i < (int)(sizeof log_levels / sizeof log_levels[0]); i++)
    if (!strcmp(name, log_levels[i]))
      return i;
  return -1;
}

static void handle_set_level(exchange *ex, const jsonrpc_msg *m) {
  int level = log_level_index(jsonrpc_get_string(m, "params.level"));
  if (level < 0) {
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "params.level is not a log level");
    return;
  }
  if (ex->owner)
    ex->owner->log_level = level;
  respond_result(ex, m, "{}");
}

int lifecycle_handle(exchange *ex, const jsonrpc_msg *m, const char *method) {
  if (!strcmp(method, "initialize"))
    handle_initialize(ex, m);
  else if (!strcmp(method, "ping"))
    handle_ping(ex, m);
  else if (!strcmp(method, "logging/setLevel"))
    handle_set_level(ex, m);
  else
    return 0;
  return 1;
}
