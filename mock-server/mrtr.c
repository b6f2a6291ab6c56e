/*
 * mrtr.c: the tools of the stateless era (2026-07-28). A server there
 * never sends a request of its own: a tool that needs the client's input
 * answers with an InputRequiredResult (inputRequests plus a requestState)
 * and the client calls again with inputResponses and the requestState
 * echoed (S26-MRTR). The session-era tools that ask the client
 * (ask_client, test_sampling, test_elicitation*) take this form on a
 * stateless session. Also here: the list-change triggers for
 * subscriptions/listen, a tool whose arguments are mirrored in Mcp-Param-*
 * headers (x-mcp-header, S26-PARAM) and a counter of calls cancelled by a
 * closed stream (S26-CANCEL-01).
 *
 * requestState is "<tool>:<nonce>:<check>", the check a keyed FNV-1a sum
 * (a per-process random key) over the rest: it rejects tampered or
 * foreign states in tests; it is not a cryptographic MAC.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "mock.h"

/* One tool that asks the client through MRTR. */
typedef struct asking_tool {
  const char *name;
  const char *key;          /* its inputRequests key */
  const char *method;       /* NULL: elicitation if declared, else sampling */
  int needs_state;          /* the retry must bring the requestState back */
  int listed;               /* in tools/list only on stateless sessions */
} asking_tool;

static const char elicit_params[] =
    "{\"message\":\"What is your name?\",\"requestedSchema\":{\"type\":\"object\","
    "\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}}";
static const char sample_params[] =
    "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":"
    "\"mcpwire-mock asks\"}}],\"maxTokens\":16}";

static const asking_tool asking[] = {
    {"test_input_required_result_elicitation", "user_name", "elicitation/create", 0, 1},
    {"test_input_required_result_request_state", "confirm", "elicitation/create", 1, 1},
    {"test_missing_capability", "completion", "sampling/createMessage", 0, 1},
    {"test_streaming_elicitation", "answer", "elicitation/create", 0, 1},
    {"ask_client", "answer", NULL, 0, 0},
    {"test_sampling", "completion", "sampling/createMessage", 0, 0},
    {"test_elicitation", "answer", "elicitation/create", 0, 0},
    {"test_elicitation_sep1034_defaults", "answer", "elicitation/create", 0, 0},
    {"test_elicitation_sep1330_enums", "answer", "elicitation/create", 0, 0},
};
#define NASKING (sizeof asking / sizeof asking[0])

static const asking_tool *asking_find(const char *name) {
  for (size_t i = 0; name && i < NASKING; i++)
    if (!strcmp(asking[i].name, name))
      return &asking[i];
  return NULL;
}

static const char *ask_method(const asking_tool *t, const session *s) {
  if (t->method)
    return t->method;
  return s->cap_elicitation || !s->cap_sampling ? "elicitation/create" : "sampling/createMessage";
}

static const char *capability_of(const char *method) {
  return !strcmp(method, "sampling/createMessage") ? "sampling" : "elicitation";
}

const char *stateless_tool_needs(const char *name, int sampling, int elicitation) {
  const asking_tool *t = asking_find(name);
  if (!t)
    return NULL;
  if (!t->method) /* ask_client: either will do */
    return sampling || elicitation ? NULL : "elicitation";
  return capability_of(t->method);
}

/* ---- requestState ---- */

static uint64_t keyed_sum(const char *text, size_t len) {
  static unsigned char key[16];
  static int have;
  if (!have && getrandom(key, sizeof key, 0) == (ssize_t)sizeof key)
    have = 1;
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < sizeof key; i++)
    h = (h ^ key[i]) * 1099511628211ull;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)text[i]) * 1099511628211ull;
  for (size_t i = 0; i < sizeof key; i++)
    h = (h ^ key[i]) * 1099511628211ull;
  return h;
}

static void state_make(dynbuf *out, const char *tool) {
  uint64_t nonce = 0;
  if (getrandom(&nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce)
    nonce = (uint64_t)mock_now_ms();
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_MOCK_REQUEST_STATE_MAX);
  dynbuf_printf(&body, "%s:%016" PRIx64, tool, nonce);
  dynbuf_printf(out, "%s:%016" PRIx64, dynbuf_str(&body), keyed_sum(body.ptr, body.len));
  dynbuf_free(&body);
}

/* The state names this tool and its check holds (s26-mrtr-state-unchecked:
 * anything passes). */
static int state_valid(const char *state, const char *tool) {
  if (fault_on(FAULT_S26_MRTR_STATE_UNCHECKED))
    return 1;
  size_t n = strlen(tool), len = strlen(state);
  const char *colon = strrchr(state, ':');
  if (len > MCPWIRE_MOCK_REQUEST_STATE_MAX || !colon || strncmp(state, tool, n) || state[n] != ':')
    return 0;
  char want[17];
  snprintf(want, sizeof want, "%016" PRIx64, keyed_sum(state, (size_t)(colon - state)));
  return !strcmp(colon + 1, want);
}

/* ---- the round trip ---- */

static void respond_text(exchange *ex, const jsonrpc_msg *m, const char *text) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  tools_text_result(&b, text, strlen(text), 0);
  respond_result(ex, m, b.ptr);
  dynbuf_free(&b);
}

/* s26-server-request-on-stream: the old way, a request of our own. */
static void emit_server_request(exchange *ex, const char *method, const char *params) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  jsonrpc_build_request(&b, "\"srv-1\"", method, params);
  exchange_emit(ex, b.ptr, b.len);
  dynbuf_free(&b);
}

/* A progress notification for the request's token, if it has one. */
static void emit_progress(exchange *ex, const jsonrpc_msg *m) {
  dynbuf tok, p, b;
  dynbuf_init(&tok, 4096);
  dynbuf_init(&p, 8192);
  dynbuf_init(&b, 8192);
  if (jsonrpc_get_type(m, "params._meta.progressToken") != JSONRPC_T_ABSENT &&
      !jsonrpc_get_json(m, "params._meta.progressToken", &tok)) {
    dynbuf_printf(&p, "{\"progressToken\":%s,\"progress\":1,\"total\":2}", dynbuf_str(&tok));
    rpc_notification(&b, "notifications/progress", p.ptr);
    exchange_emit(ex, b.ptr, b.len);
  }
  dynbuf_free(&tok);
  dynbuf_free(&p);
  dynbuf_free(&b);
}

/* Round one (or a repeat when the answer is missing): input_required. */
static void ask_input(exchange *ex, const jsonrpc_msg *m, const asking_tool *t) {
  const char *method = ask_method(t, ex->owner);
  const char *params = !strcmp(method, "sampling/createMessage") ? sample_params : elicit_params;
  if (fault_on(FAULT_S26_SERVER_REQUEST_ON_STREAM))
    emit_server_request(ex, method, params);
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  dynbuf_printf(&b, "{\"resultType\":\"input_required\",\"inputRequests\":{\"%s\":"
                    "{\"method\":\"%s\",\"params\":%s}},\"requestState\":\"",
                t->key, method, params);
  state_make(&b, t->name);
  dynbuf_adds(&b, "\"}");
  respond_result(ex, m, b.ptr);
  dynbuf_free(&b);
}

/* Round two: the answer, as text ("Hello, NAME!" for an elicited name). */
static void answer(exchange *ex, const jsonrpc_msg *m, const asking_tool *t) {
  char path[128];
  if (t->needs_state) {
    respond_text(ex, m, "state-ok: the requestState came back intact");
    return;
  }
  snprintf(path, sizeof path, "params.inputResponses.%s.content.name", t->key);
  const char *name = jsonrpc_get_string(m, path);
  dynbuf text, json;
  dynbuf_init(&text, MCPWIRE_MOCK_BODY_MAX);
  dynbuf_init(&json, MCPWIRE_MOCK_BODY_MAX);
  snprintf(path, sizeof path, "params.inputResponses.%s", t->key);
  if (name)
    dynbuf_printf(&text, "Hello, %s!", name);
  else if (!jsonrpc_get_json(m, path, &json))
    dynbuf_printf(&text, "input received: %s", dynbuf_str(&json));
  respond_text(ex, m, dynbuf_str(&text));
  dynbuf_free(&text);
  dynbuf_free(&json);
}

static void run_asking(exchange *ex, const jsonrpc_msg *m, const asking_tool *t) {
  const char *state = jsonrpc_get_string(m, "params.requestState");
  char path[128];
  snprintf(path, sizeof path, "params.inputResponses.%s", t->key);
  if (jsonrpc_get_type(m, "params.requestState") != JSONRPC_T_ABSENT &&
      (!state || !state_valid(state, t->name))) {
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "requestState failed verification");
    return;
  }
  if (!strcmp(t->name, "test_streaming_elicitation"))
    emit_progress(ex, m);
  /* a missing answer (or state) is asked for again (S26-MRTR-08) */
  if (jsonrpc_get_type(m, path) != JSONRPC_T_OBJECT || (t->needs_state && !state))
    ask_input(ex, m, t);
  else
    answer(ex, m, t);
}

/* ---- the other stateless tools ---- */

typedef struct plain_tool {
  const char *name, *description, *schema;
  void (*run)(exchange *ex, const jsonrpc_msg *m);
} plain_tool;

static void run_logging(exchange *ex, const jsonrpc_msg *m) {
  fixtures_tool(ex, m, "test_tool_with_logging");
}

static void notify(exchange *ex, const jsonrpc_msg *m, unsigned kind, const char *method) {
  subscription_notify(kind, method);
  respond_text(ex, m, "list_changed sent to the listen streams that asked for it");
}

static void run_tools_changed(exchange *ex, const jsonrpc_msg *m) {
  notify(ex, m, LISTEN_TOOLS, "notifications/tools/list_changed");
}

static void run_prompts_changed(exchange *ex, const jsonrpc_msg *m) {
  notify(ex, m, LISTEN_PROMPTS, "notifications/prompts/list_changed");
}

static void run_resources_changed(exchange *ex, const jsonrpc_msg *m) {
  notify(ex, m, LISTEN_RESOURCES, "notifications/resources/list_changed");
}

/* Echoes the arguments its headers mirror (the header check ran before). */
static void run_mirror_params(exchange *ex, const jsonrpc_msg *m) {
  dynbuf args;
  dynbuf_init(&args, MCPWIRE_MOCK_BODY_MAX);
  if (jsonrpc_get_type(m, "params.arguments") == JSONRPC_T_ABSENT ||
      jsonrpc_get_json(m, "params.arguments", &args))
    dynbuf_adds(&args, "{}");
  respond_text(ex, m, dynbuf_str(&args));
  dynbuf_free(&args);
}

static void run_cancellations(exchange *ex, const jsonrpc_msg *m) {
  char text[96];
  snprintf(text, sizeof text, "{\"cancelledOnClose\":%lu}", the_mock.cancelled_on_close);
  respond_text(ex, m, text);
}

#define NO_ARGS "{\"type\":\"object\",\"properties\":{}}"
/* x-mcp-header on a string, an integer and a boolean; query is not mirrored. */
#define MIRROR_SCHEMA                                                                        \
  "{\"type\":\"object\",\"properties\":{"                                                    \
  "\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},"                            \
  "\"priority\":{\"type\":\"integer\",\"x-mcp-header\":\"Priority\"},"                       \
  "\"verbose\":{\"type\":\"boolean\",\"x-mcp-header\":\"Verbose\"},"                         \
  "\"query\":{\"type\":\"string\"}}}"

static const plain_tool plain[] = {
    {"test_logging_tool", "Sends three info log messages, only with _meta logLevel.", NO_ARGS,
     run_logging},
    {"test_trigger_tool_change", "Sends tools/list_changed to listen streams.", NO_ARGS,
     run_tools_changed},
    {"trigger_list_changed", "Sends tools/list_changed to listen streams.", NO_ARGS,
     run_tools_changed},
    {"test_trigger_prompt_change", "Sends prompts/list_changed to listen streams.", NO_ARGS,
     run_prompts_changed},
    {"test_trigger_resource_change", "Sends resources/list_changed to listen streams.", NO_ARGS,
     run_resources_changed},
    {"mirror_params", "Returns its arguments; region, priority and verbose travel as Mcp-Param-*.",
     MIRROR_SCHEMA, run_mirror_params},
    {"cancellations", "Counts calls ended because the client closed their stream.", NO_ARGS,
     run_cancellations},
};
#define NPLAIN (sizeof plain / sizeof plain[0])

static const plain_tool *plain_find(const char *name) {
  for (size_t i = 0; name && i < NPLAIN; i++)
    if (!strcmp(plain[i].name, name))
      return &plain[i];
  return NULL;
}

const char *stateless_tool_schema(const char *name) {
  const plain_tool *t = plain_find(name);
  return t && strstr(t->schema, "x-mcp-header") ? t->schema : NULL;
}

int stateless_tool(exchange *ex, const jsonrpc_msg *m, const char *name) {
  const asking_tool *a = asking_find(name);
  const plain_tool *p = a ? NULL : plain_find(name);
  if (a)
    run_asking(ex, m, a);
  else if (p)
    p->run(ex, m);
  return a || p;
}

/* Listed: the asking tools of this era, then the plain ones not already
 * in the session-era list (trigger_list_changed is). */
size_t stateless_tool_count(void) {
  size_t n = 0;
  for (size_t i = 0; i < NASKING; i++)
    n += asking[i].listed;
  return n + NPLAIN - 1;
}

void stateless_write_tool(dynbuf *out, size_t i) {
  const char *name = NULL, *description = NULL, *schema = NO_ARGS;
  for (size_t k = 0; k < NASKING && !name; k++)
    if (asking[k].listed && i-- == 0) {
      name = asking[k].name;
      description = "Asks the client through an input-required result (MRTR).";
    }
  for (size_t k = 0; k < NPLAIN && !name; k++)
    if (strcmp(plain[k].name, "trigger_list_changed") && i-- == 0) {
      name = plain[k].name;
      description = plain[k].description;
      schema = plain[k].schema;
    }
  dynbuf_adds(out, "{\"name\":");
  json_write_cstring(out, name ? name : "");
  dynbuf_adds(out, ",\"description\":");
  json_write_cstring(out, description ? description : "");
  dynbuf_printf(out, ",\"inputSchema\":%s}", schema);
}
