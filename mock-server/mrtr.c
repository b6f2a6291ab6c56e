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

/* One input request: its inputRequests key, method and params (method
 * NULL: elicitation if declared, else sampling, with the params below). */
typedef struct input_request {
  const char *key, *method, *params;
} input_request;

/* One tool (or prompt) that asks the client through MRTR. */
typedef struct asking_tool {
  const char *name;
  const input_request *asks;
  size_t nasks;
  int needs_state;                 /* the retry must bring the requestState back */
  int listed;                      /* in tools/list only on stateless sessions */
  int prompt;                      /* a prompts/get prompt, not a tool */
  const struct asking_tool *next;  /* a further round, asked once this one is answered */
} asking_tool;

static const char elicit_params[] =
    "{\"message\":\"What is your name?\",\"requestedSchema\":{\"type\":\"object\","
    "\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}}";
static const char sample_params[] =
    "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":"
    "\"mcpwire-mock asks\"}}],\"maxTokens\":16}";
/* The official suite's fixtures (input-required-result-* scenarios). */
static const char capital_params[] =
    "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":"
    "\"What is the capital of France?\"}}],\"maxTokens\":100}";
static const char greeting_params[] =
    "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":"
    "\"Generate a greeting\"}}],\"maxTokens\":50}";
static const char confirm_params[] =
    "{\"message\":\"Please confirm\",\"requestedSchema\":{\"type\":\"object\","
    "\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"]}}";
static const char step1_params[] =
    "{\"message\":\"Step 1: What is your name?\",\"requestedSchema\":{\"type\":\"object\","
    "\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}}";
static const char step2_params[] =
    "{\"message\":\"Step 2: What is your favorite color?\",\"requestedSchema\":{\"type\":"
    "\"object\",\"properties\":{\"color\":{\"type\":\"string\"}},\"required\":[\"color\"]}}";
static const char context_params[] =
    "{\"message\":\"What context should the prompt use?\",\"requestedSchema\":{\"type\":"
    "\"object\",\"properties\":{\"context\":{\"type\":\"string\"}},\"required\":[\"context\"]}}";

static const input_request ask_user_name[] = {{"user_name", "elicitation/create", elicit_params}};
static const input_request ask_confirm[] = {{"confirm", "elicitation/create", elicit_params}};
static const input_request ask_completion[] = {{"completion", "sampling/createMessage", sample_params}};
static const input_request ask_answer[] = {{"answer", "elicitation/create", elicit_params}};
static const input_request ask_either[] = {{"answer", NULL, NULL}};
static const input_request ask_capital[] = {{"capital_question", "sampling/createMessage", capital_params}};
static const input_request ask_roots[] = {{"client_roots", "roots/list", "{}"}};
static const input_request ask_three[] = {{"user_name", "elicitation/create", elicit_params},
                                          {"greeting", "sampling/createMessage", greeting_params},
                                          {"client_roots", "roots/list", "{}"}};
static const input_request ask_ok[] = {{"confirm", "elicitation/create", confirm_params}};
static const input_request ask_step1[] = {{"step1", "elicitation/create", step1_params}};
static const input_request ask_step2[] = {{"step2", "elicitation/create", step2_params}};
static const input_request ask_context[] = {{"user_context", "elicitation/create", context_params}};

#define ASKS(a) a, sizeof a / sizeof a[0]

/* Round two of test_input_required_result_multi_round: its own state name. */
static const asking_tool multi_round_2 = {"test_input_required_result_multi_round/2",
                                          ASKS(ask_step2), 1, 0, 0, NULL};

static const asking_tool asking[] = {
    {"test_input_required_result_elicitation", ASKS(ask_user_name), 0, 1, 0, NULL},
    {"test_input_required_result_request_state", ASKS(ask_confirm), 1, 1, 0, NULL},
    {"test_input_required_result_sampling", ASKS(ask_capital), 0, 1, 0, NULL},
    {"test_input_required_result_list_roots", ASKS(ask_roots), 0, 1, 0, NULL},
    {"test_input_required_result_multiple_inputs", ASKS(ask_three), 1, 1, 0, NULL},
    {"test_input_required_result_multi_round", ASKS(ask_step1), 1, 1, 0, &multi_round_2},
    {"test_input_required_result_tampered_state", ASKS(ask_ok), 1, 1, 0, NULL},
    {"test_input_required_result_capabilities", ASKS(ask_either), 0, 1, 0, NULL},
    {"test_input_required_result_prompt", ASKS(ask_context), 0, 0, 1, NULL},
    {"test_missing_capability", ASKS(ask_completion), 0, 1, 0, NULL},
    {"test_streaming_elicitation", ASKS(ask_answer), 0, 1, 0, NULL},
    {"ask_client", ASKS(ask_either), 0, 0, 0, NULL},
    {"test_sampling", ASKS(ask_completion), 0, 0, 0, NULL},
    {"test_elicitation", ASKS(ask_answer), 0, 0, 0, NULL},
    {"test_elicitation_sep1034_defaults", ASKS(ask_answer), 0, 0, 0, NULL},
    {"test_elicitation_sep1330_enums", ASKS(ask_answer), 0, 0, 0, NULL},
};
#define NASKING (sizeof asking / sizeof asking[0])

static const asking_tool *asking_find(const char *name, int prompt) {
  for (size_t i = 0; name && i < NASKING; i++)
    if (asking[i].prompt == prompt && !strcmp(asking[i].name, name))
      return &asking[i];
  return NULL;
}

static const char *ask_method(const input_request *r, const session *s) {
  if (r->method)
    return r->method;
  return s->cap_elicitation || !s->cap_sampling ? "elicitation/create" : "sampling/createMessage";
}

static const char *capability_of(const char *method) {
  if (!strcmp(method, "roots/list"))
    return "roots";
  return !strcmp(method, "sampling/createMessage") ? "sampling" : "elicitation";
}

const char *stateless_tool_needs(const char *method, const char *name, int sampling,
                                 int elicitation, int roots) {
  const asking_tool *t = asking_find(name, method && !strcmp(method, "prompts/get"));
  for (size_t i = 0; t && i < t->nasks; i++) {
    const char *m = t->asks[i].method;
    if (!m && !sampling && !elicitation) /* either will do */
      return "elicitation";
    const char *need = m ? capability_of(m) : NULL;
    if (need && !(!strcmp(need, "sampling")      ? sampling
                  : !strcmp(need, "elicitation") ? elicitation
                                                 : roots))
      return need;
  }
  return NULL;
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

/* Round one (or a repeat when an answer is missing): input_required. */
static void ask_input(exchange *ex, const jsonrpc_msg *m, const asking_tool *t) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  dynbuf_adds(&b, "{\"resultType\":\"input_required\",\"inputRequests\":{");
  for (size_t i = 0; i < t->nasks; i++) {
    const char *method = ask_method(&t->asks[i], ex->owner);
    const char *params = t->asks[i].params ? t->asks[i].params
                         : !strcmp(method, "sampling/createMessage") ? sample_params
                                                                     : elicit_params;
    if (fault_on(FAULT_S26_SERVER_REQUEST_ON_STREAM))
      emit_server_request(ex, method, params);
    dynbuf_printf(&b, "%s\"%s\":{\"method\":\"%s\",\"params\":%s}", i ? "," : "",
                  t->asks[i].key, method, params);
  }
  dynbuf_adds(&b, "},\"requestState\":\"");
  state_make(&b, t->name);
  dynbuf_adds(&b, "\"}");
  respond_result(ex, m, b.ptr);
  dynbuf_free(&b);
}

/* Every input this round asks for came back as an object. */
static int answered(const jsonrpc_msg *m, const asking_tool *t) {
  char path[128];
  for (size_t i = 0; i < t->nasks; i++) {
    snprintf(path, sizeof path, "params.inputResponses.%s", t->asks[i].key);
    if (jsonrpc_get_type(m, path) != JSONRPC_T_OBJECT)
      return 0;
  }
  return 1;
}

/* The prompt's GetPromptResult, built on the context it was given. */
static void answer_prompt(exchange *ex, const jsonrpc_msg *m, const asking_tool *t) {
  char path[128];
  snprintf(path, sizeof path, "params.inputResponses.%s.content.context", t->asks[0].key);
  const char *context = jsonrpc_get_string(m, path);
  dynbuf text, b;
  dynbuf_init(&text, MCPWIRE_MOCK_BODY_MAX);
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  dynbuf_printf(&text, "Answer with this context in mind: %s", context ? context : "(none given)");
  dynbuf_adds(&b, "{\"description\":\"A prompt built on input the client gave (MRTR)\","
                  "\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":");
  json_write_cstring(&b, dynbuf_str(&text));
  dynbuf_adds(&b, "}}]}");
  respond_result(ex, m, b.ptr);
  dynbuf_free(&text);
  dynbuf_free(&b);
}

/* The last round: the answer, as text ("Hello, NAME!" for an elicited
 * name, a sampled text as given, else the input received). */
static void answer(exchange *ex, const jsonrpc_msg *m, const asking_tool *t) {
  char path[128];
  if (t->prompt) {
    answer_prompt(ex, m, t);
    return;
  }
  if (t->needs_state) {
    respond_text(ex, m, "state-ok: the requestState came back intact");
    return;
  }
  const char *key = t->asks[0].key;
  snprintf(path, sizeof path, "params.inputResponses.%s.content.name", key);
  const char *name = jsonrpc_get_string(m, path);
  snprintf(path, sizeof path, "params.inputResponses.%s.content.text", key);
  const char *sampled = jsonrpc_get_string(m, path);
  dynbuf text, json;
  dynbuf_init(&text, MCPWIRE_MOCK_BODY_MAX);
  dynbuf_init(&json, MCPWIRE_MOCK_BODY_MAX);
  snprintf(path, sizeof path, "params.inputResponses.%s", key);
  if (name)
    dynbuf_printf(&text, "Hello, %s!", name);
  else if (sampled)
    dynbuf_adds(&text, sampled);
  else if (!jsonrpc_get_json(m, path, &json))
    dynbuf_printf(&text, "input received: %s", dynbuf_str(&json));
  respond_text(ex, m, dynbuf_str(&text));
  dynbuf_free(&text);
  dynbuf_free(&json);
}

static void run_asking(exchange *ex, const jsonrpc_msg *m, const asking_tool *t) {
  const char *state = jsonrpc_get_string(m, "params.requestState");
  if (jsonrpc_get_type(m, "params.requestState") != JSONRPC_T_ABSENT) {
    if (t->next && state && state_valid(state, t->next->name))
      t = t->next; /* a state of the next round: that round's answer is due */
    else if (!state || !state_valid(state, t->name)) {
      respond_error(ex, m, JSONRPC_INVALID_PARAMS, "requestState failed verification");
      return;
    }
  }
  if (!strcmp(t->name, "test_streaming_elicitation"))
    emit_progress(ex, m);
  /* a missing answer (or state) is asked for again (S26-MRTR-08) */
  if (state && !answered(m, t) && fault_on(FAULT_S26_MISSING_INPUT_ERROR))
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "inputResponses lacks an input asked for");
  else if (!answered(m, t) || (t->needs_state && !state))
    ask_input(ex, m, t);
  else if (t->next)
    ask_input(ex, m, t->next);
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

int stateless_prompt(exchange *ex, const jsonrpc_msg *m, const char *name) {
  const asking_tool *a = asking_find(name, 1);
  if (a)
    run_asking(ex, m, a);
  return a != NULL;
}

int stateless_tool(exchange *ex, const jsonrpc_msg *m, const char *name) {
  const asking_tool *a = asking_find(name, 0);
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
