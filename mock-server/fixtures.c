/*
 * fixtures.c: the tools, resources, prompts and completions the official
 * conformance suite (`@modelcontextprotocol/conformance server`) calls, so
 * that suite can run against mcpwire-mock. Names and payloads follow the
 * suite's scenario descriptions (see docs/MOCK.md, "Conformance fixtures").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "mock.h"

/* A 1x1 red PNG and a 1 ms 8 kHz 8-bit mono WAV. */
#define PNG_B64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
#define WAV_B64 "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA=="
#define NO_ARGS "{\"type\":\"object\",\"properties\":{}}"
#define FIXTURE_STEP_MS 50

/* ---- results that need no state ---- */

#define IMAGE_CONTENT "{\"type\":\"image\",\"data\":\"" PNG_B64 "\",\"mimeType\":\"image/png\"}"

static const char simple_text[] =
    "{\"content\":[{\"type\":\"text\",\"text\":\"This is a simple text response for testing.\"}]}";
static const char image_content[] = "{\"content\":[" IMAGE_CONTENT "]}";
static const char audio_content[] =
    "{\"content\":[{\"type\":\"audio\",\"data\":\"" WAV_B64 "\",\"mimeType\":\"audio/wav\"}]}";
static const char embedded_resource[] =
    "{\"content\":[{\"type\":\"resource\",\"resource\":{\"uri\":\"test://embedded-resource\","
    "\"mimeType\":\"text/plain\",\"text\":\"This is an embedded resource content.\"}}]}";
static const char mixed_content[] =
    "{\"content\":[{\"type\":\"text\",\"text\":\"Multiple content types test:\"}," IMAGE_CONTENT
    ",{\"type\":\"resource\",\"resource\":{\"uri\":\"test://mixed-content-resource\","
    "\"mimeType\":\"application/json\",\"text\":\"{\\\"test\\\":\\\"data\\\",\\\"value\\\":123}\"}}]}";
static const char error_result[] =
    "{\"content\":[{\"type\":\"text\",\"text\":\"This tool intentionally returns an error for "
    "testing\"}],\"isError\":true}";

/* ---- tools with steps: logging, progress, reconnection ---- */

static void respond_text_call(call *c, const char *text, int is_error) {
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  tools_text_result(&b, text, strlen(text), is_error);
  tools_call_respond(c, b.ptr);
  dynbuf_free(&b);
}

static void logging_step(call *c) {
  static const char *const lines[] = {"Tool execution started", "Tool processing data",
                                      "Tool execution completed"};
  if (c->step_no == 3) {
    respond_text_call(c, "Tool with logging executed successfully", 0);
    return;
  }
  if (c->owner->log_level <= 1) { /* info passes the session's level */
    dynbuf p, b;
    dynbuf_init(&p, 1024);
    dynbuf_init(&b, 2048);
    dynbuf_adds(&p, "{\"level\":\"info\",\"logger\":\"mcpwire-mock\",\"data\":");
    json_write_cstring(&p, lines[c->step_no]);
    dynbuf_addc(&p, '}');
    rpc_notification(&b, "notifications/message", p.ptr);
    tools_call_emit(c, b.ptr, b.len);
    dynbuf_free(&p);
    dynbuf_free(&b);
  }
  c->step_no++;
  tools_call_after(c, c->step_no == 3 ? 0 : FIXTURE_STEP_MS);
}

static void progress_step(call *c) {
  if (c->step_no == 3) {
    tools_finish_progress_call(c, "Tool with progress executed successfully", 100, 100);
    return;
  }
  tools_send_progress(c, c->step_no * 50, 100, NULL);
  c->step_no++;
  tools_call_after(c, c->step_no == 3 ? 0 : FIXTURE_STEP_MS);
}

static void reconnection_step(call *c) {
  respond_text_call(c, "Reconnection test completed successfully", 0);
}

/* Starts a stepped call; answers an error when it cannot. */
static call *start_stepped(exchange *ex, const jsonrpc_msg *m, void (*step)(call *)) {
  call *c = tools_call_start(ex, m);
  if (!c) {
    respond_error(ex, m, JSONRPC_INTERNAL_ERROR, "too many calls in flight");
    return NULL;
  }
  c->on_step = step;
  return c;
}

static void run_logging(exchange *ex, const jsonrpc_msg *m) {
  call *c = start_stepped(ex, m, logging_step);
  if (c)
    tools_call_after(c, 0);
}

static void run_progress(exchange *ex, const jsonrpc_msg *m) {
  call *c = start_stepped(ex, m, progress_step);
  if (c)
    tools_call_after(c, 0);
}

/* SEP-1699 polling: the connection closes after the priming event and the
 * result is delivered when the client resumes with GET + Last-Event-ID. */
static void run_reconnection(exchange *ex, const jsonrpc_msg *m) {
  call *c = start_stepped(ex, m, reconnection_step);
  if (!c)
    return;
  if (ex->kind == EX_SSE && ex->st && !strcmp(session_version(ex->owner), MOCK_V2511))
    stream_detach(ex->st);
  tools_call_after(c, 2 * FIXTURE_STEP_MS);
}

/* ---- tools that ask the client ---- */

static void answer_sampling(call *c, const jsonrpc_msg *m) {
  const char *text = jsonrpc_get_string(m, "result.content.text");
  if (jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE || !text) {
    respond_text_call(c, "sampling failed", 1);
    return;
  }
  dynbuf t;
  dynbuf_init(&t, MCPWIRE_MOCK_BODY_MAX);
  dynbuf_printf(&t, "LLM response: %s", text);
  respond_text_call(c, dynbuf_str(&t), 0);
  dynbuf_free(&t);
}

/* head action mid content tail: the elicitation tools' reply text. */
static void answer_elicitation_as(call *c, const jsonrpc_msg *m, const char *head, const char *mid,
                                  const char *tail) {
  dynbuf content, t;
  dynbuf_init(&content, MCPWIRE_MOCK_BODY_MAX);
  dynbuf_init(&t, MCPWIRE_MOCK_BODY_MAX);
  const char *action = jsonrpc_get_string(m, "result.action");
  if (jsonrpc_get_type(m, "result.content") == JSONRPC_T_ABSENT ||
      jsonrpc_get_json(m, "result.content", &content))
    dynbuf_adds(&content, "{}");
  dynbuf_printf(&t, "%s%s%s%s%s", head, action ? action : "none", mid, dynbuf_str(&content), tail);
  respond_text_call(c, dynbuf_str(&t), jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE);
  dynbuf_free(&content);
  dynbuf_free(&t);
}

static void answer_elicitation(call *c, const jsonrpc_msg *m) {
  answer_elicitation_as(c, m, "User response: <action: ", ", content: ", ">");
}

static void answer_completed(call *c, const jsonrpc_msg *m) {
  answer_elicitation_as(c, m, "Elicitation completed: action=", ", content=", "");
}

static void ask(exchange *ex, const jsonrpc_msg *m, int cap, const char *method, const char *params,
                void (*on_answer)(call *, const jsonrpc_msg *)) {
  if (!ex->owner || (!cap && !fault_on(FAULT_ASK_UNDECLARED_CAPABILITY))) {
    dynbuf b;
    dynbuf_init(&b, 1024);
    dynbuf_printf(&b, "the client did not declare the capability %s needs", method);
    respond_error(ex, m, JSONRPC_INVALID_REQUEST, dynbuf_str(&b));
    dynbuf_free(&b);
    return;
  }
  call *c = tools_call_start(ex, m);
  if (!c) {
    respond_error(ex, m, JSONRPC_INTERNAL_ERROR, "too many calls in flight");
    return;
  }
  c->on_answer = on_answer;
  if (tools_call_ask(c, method, params)) {
    c->ex = NULL;
    call_free(c);
    respond_error(ex, m, JSONRPC_INTERNAL_ERROR, "no stream to send the request on");
  }
}

static void run_sampling(exchange *ex, const jsonrpc_msg *m) {
  const char *prompt = jsonrpc_get_string(m, "params.arguments.prompt");
  dynbuf p;
  dynbuf_init(&p, MCPWIRE_MOCK_BODY_MAX);
  dynbuf_adds(&p, "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":");
  json_write_cstring(&p, prompt ? prompt : "");
  dynbuf_adds(&p, "}}],\"maxTokens\":100}");
  ask(ex, m, ex->owner && ex->owner->cap_sampling, "sampling/createMessage", p.ptr, answer_sampling);
  dynbuf_free(&p);
}

static void run_elicitation(exchange *ex, const jsonrpc_msg *m) {
  const char *message = jsonrpc_get_string(m, "params.arguments.message");
  dynbuf p;
  dynbuf_init(&p, MCPWIRE_MOCK_BODY_MAX);
  dynbuf_adds(&p, "{\"message\":");
  json_write_cstring(&p, message ? message : "");
  dynbuf_adds(&p, ",\"requestedSchema\":{\"type\":\"object\",\"properties\":{"
                  "\"username\":{\"type\":\"string\",\"description\":\"User's response\"},"
                  "\"email\":{\"type\":\"string\",\"description\":\"User's email address\"}},"
                  "\"required\":[\"username\",\"email\"]}}");
  ask(ex, m, ex->owner && ex->owner->cap_elicitation, "elicitation/create", p.ptr,
      answer_elicitation);
  dynbuf_free(&p);
}

static void run_sep1034(exchange *ex, const jsonrpc_msg *m) {
  static const char params[] =
      "{\"message\":\"Please review the defaults\",\"requestedSchema\":{\"type\":\"object\","
      "\"properties\":{"
      "\"name\":{\"type\":\"string\",\"default\":\"John Doe\"},"
      "\"age\":{\"type\":\"integer\",\"default\":30},"
      "\"score\":{\"type\":\"number\",\"default\":95.5},"
      "\"status\":{\"type\":\"string\",\"enum\":[\"active\",\"inactive\",\"pending\"],"
      "\"default\":\"active\"},"
      "\"verified\":{\"type\":\"boolean\",\"default\":true}}}}";
  ask(ex, m, ex->owner && ex->owner->cap_elicitation, "elicitation/create", params, answer_completed);
}

static void run_sep1330(exchange *ex, const jsonrpc_msg *m) {
  static const char params[] =
      "{\"message\":\"Please choose\",\"requestedSchema\":{\"type\":\"object\",\"properties\":{"
      "\"untitledSingle\":{\"type\":\"string\",\"enum\":[\"option1\",\"option2\",\"option3\"]},"
      "\"titledSingle\":{\"type\":\"string\",\"oneOf\":["
      "{\"const\":\"value1\",\"title\":\"First Option\"},"
      "{\"const\":\"value2\",\"title\":\"Second Option\"},"
      "{\"const\":\"value3\",\"title\":\"Third Option\"}]},"
      "\"legacyEnum\":{\"type\":\"string\",\"enum\":[\"opt1\",\"opt2\",\"opt3\"],"
      "\"enumNames\":[\"Option One\",\"Option Two\",\"Option Three\"]},"
      "\"untitledMulti\":{\"type\":\"array\",\"items\":{\"type\":\"string\","
      "\"enum\":[\"option1\",\"option2\",\"option3\"]}},"
      "\"titledMulti\":{\"type\":\"array\",\"items\":{\"anyOf\":["
      "{\"const\":\"value1\",\"title\":\"First Choice\"},"
      "{\"const\":\"value2\",\"title\":\"Second Choice\"},"
      "{\"const\":\"value3\",\"title\":\"Third Choice\"}]}}}}}";
  ask(ex, m, ex->owner && ex->owner->cap_elicitation, "elicitation/create", params, answer_completed);
}

/* ---- the tool table ---- */

typedef struct fixture_tool {
  const char *name, *description, *schema;
  const char *result;                               /* a fixed result, or */
  void (*run)(exchange *ex, const jsonrpc_msg *m);  /* a handler */
} fixture_tool;

static const fixture_tool fixture_tools[] = {
    {"test_simple_text", "Returns simple text content.", NO_ARGS, simple_text, NULL},
    {"test_image_content", "Returns a PNG image.", NO_ARGS, image_content, NULL},
    {"test_audio_content", "Returns a WAV clip.", NO_ARGS, audio_content, NULL},
    {"test_embedded_resource", "Returns an embedded text resource.", NO_ARGS, embedded_resource, NULL},
    {"test_multiple_content_types", "Returns text, image and resource content.", NO_ARGS,
     mixed_content, NULL},
    {"test_error_handling", "Always returns a tool error.", NO_ARGS, error_result, NULL},
    {"test_tool_with_logging", "Sends three info log messages, 50 ms apart.", NO_ARGS, NULL, run_logging},
    {"test_tool_with_progress", "Sends progress 0, 50 and 100 of 100, 50 ms apart.", NO_ARGS, NULL,
     run_progress},
    {"test_sampling", "Asks the client for an LLM completion.",
     "{\"type\":\"object\",\"properties\":{\"prompt\":{\"type\":\"string\"}},\"required\":[\"prompt\"]}",
     NULL, run_sampling},
    {"test_elicitation", "Asks the user for a username and email.",
     "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}},\"required\":[\"message\"]}",
     NULL, run_elicitation},
    {"test_elicitation_sep1034_defaults", "Elicitation with defaults for every primitive type.",
     NO_ARGS, NULL, run_sep1034},
    {"test_elicitation_sep1330_enums", "Elicitation with the five enum schema forms.", NO_ARGS, NULL,
     run_sep1330},
    {"test_reconnection", "Closes its SSE stream mid-call; the result comes on resumption.", NO_ARGS,
     NULL, run_reconnection},
    {"json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features",
     /* with the SEP-2106 keywords: $anchor, allOf/anyOf, if/then/else */
     "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
     "\"$defs\":{\"address\":{\"$anchor\":\"addressDef\",\"type\":\"object\",\"properties\":"
     "{\"street\":{\"type\":\"string\"},\"city\":{\"type\":\"string\"}}}},"
     "\"properties\":{\"name\":{\"type\":\"string\"},\"address\":{\"$ref\":\"#/$defs/address\"},"
     "\"contactMethod\":{\"type\":\"string\",\"enum\":[\"phone\",\"email\"]},"
     "\"phone\":{\"type\":\"string\"},\"email\":{\"type\":\"string\"}},"
     "\"allOf\":[{\"anyOf\":[{\"required\":[\"phone\"]},{\"required\":[\"email\"]}]}],"
     "\"if\":{\"properties\":{\"contactMethod\":{\"const\":\"phone\"}},"
     "\"required\":[\"contactMethod\"]},\"then\":{\"required\":[\"phone\"]},"
     "\"else\":{\"required\":[\"email\"]},\"additionalProperties\":false}",
     "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}", NULL},
};

size_t fixtures_tool_count(void) { return sizeof fixture_tools / sizeof fixture_tools[0]; }

void fixtures_write_tool(dynbuf *out, size_t i) {
  dynbuf_adds(out, "{\"name\":");
  json_write_cstring(out, fixture_tools[i].name);
  dynbuf_adds(out, ",\"description\":");
  json_write_cstring(out, fixture_tools[i].description);
  dynbuf_printf(out, ",\"inputSchema\":%s}", fixture_tools[i].schema);
}

int fixtures_tool(exchange *ex, const jsonrpc_msg *m, const char *name) {
  for (size_t i = 0; i < sizeof fixture_tools / sizeof fixture_tools[0]; i++) {
    const fixture_tool *t = &fixture_tools[i];
    if (strcmp(name, t->name))
      continue;
    if (t->run)
      t->run(ex, m);
    else
      respond_result(ex, m, t->result);
    return 1;
  }
  return 0;
}

/* ---- resources ---- */

static const char resources_list[] =
    "{\"resources\":["
    "{\"uri\":\"test://static-text\",\"name\":\"static-text\",\"description\":\"A static text "
    "resource\",\"mimeType\":\"text/plain\"},"
    "{\"uri\":\"test://static-binary\",\"name\":\"static-binary\",\"description\":\"A static PNG "
    "image\",\"mimeType\":\"image/png\"},"
    "{\"uri\":\"test://watched-resource\",\"name\":\"watched-resource\",\"description\":\"A resource "
    "to subscribe to\",\"mimeType\":\"text/plain\"}]}";

static const char templates_list[] =
    "{\"resourceTemplates\":[{\"uriTemplate\":\"test://template/{id}/data\",\"name\":\"template-data\","
    "\"description\":\"Data for an id\",\"mimeType\":\"application/json\"}]}";

/* The id in test://template/{id}/data, copied to buf; NULL otherwise. */
static const char *template_id(const char *uri, char *buf, size_t n) {
  static const char head[] = "test://template/", tail[] = "/data";
  size_t ul = strlen(uri), hl = sizeof head - 1, tl = sizeof tail - 1;
  if (ul <= hl + tl || strncmp(uri, head, hl) || strcmp(uri + ul - tl, tail) || ul - hl - tl >= n)
    return NULL;
  memcpy(buf, uri + hl, ul - hl - tl);
  buf[ul - hl - tl] = '\0';
  return strchr(buf, '/') ? NULL : buf;
}

/* {"contents":[{"uri":…,"mimeType":…,<field>:<value>}]} */
static void write_contents(dynbuf *b, const char *uri, const char *mime, const char *field,
                           const char *value) {
  dynbuf_adds(b, "{\"contents\":[{\"uri\":");
  json_write_cstring(b, uri);
  dynbuf_adds(b, ",\"mimeType\":");
  json_write_cstring(b, mime);
  dynbuf_printf(b, ",\"%s\":", field);
  json_write_cstring(b, value);
  dynbuf_adds(b, "}]}");
}

/* Resource not found, with the uri asked for as error data (the
 * resources page's example; the official suite's sep-2164-data-uri). */
static void not_found(exchange *ex, const jsonrpc_msg *m, long code, const char *uri) {
  size_t len = 0;
  const char *id = rpc_reply_id(m, &len);
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  rpc_error(&b, id, len, code, "Resource not found");
  if (b.len >= 2 && uri) { /* rpc_error ends with the error's and the message's "}}" */
    b.len -= 2;
    b.ptr[b.len] = '\0';
    dynbuf_adds(&b, ",\"data\":{\"uri\":");
    json_write_cstring(&b, uri);
    dynbuf_adds(&b, "}}}");
  }
  exchange_respond(ex, b.ptr, b.len);
  dynbuf_free(&b);
}

static void read_resource(exchange *ex, const jsonrpc_msg *m) {
  const char *uri = jsonrpc_get_string(m, "params.uri");
  char id[256], text[512];
  dynbuf b;
  dynbuf_init(&b, 8192);
  if (!uri)
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "params.uri is required");
  else if (!strcmp(uri, "test://static-text"))
    write_contents(&b, uri, "text/plain", "text", "This is the content of the static text resource.");
  else if (!strcmp(uri, "test://static-binary"))
    write_contents(&b, uri, "image/png", "blob", PNG_B64);
  else if (!strcmp(uri, "test://watched-resource"))
    write_contents(&b, uri, "text/plain", "text", "Watched resource content.");
  else if (template_id(uri, id, sizeof id)) {
    dynbuf j;
    dynbuf_init(&j, 1024);
    dynbuf_adds(&j, "{\"id\":");
    json_write_cstring(&j, id);
    snprintf(text, sizeof text, "Data for ID: %s", id);
    dynbuf_adds(&j, ",\"templateTest\":true,\"data\":");
    json_write_cstring(&j, text);
    dynbuf_addc(&j, '}');
    write_contents(&b, uri, "application/json", "text", dynbuf_str(&j));
    dynbuf_free(&j);
  } else
    /* 2026-07-28 retired -32002 for -32602 (S26-ERR-03), but for its fault */
    not_found(ex, m,
              ex->owner && ex->owner->modern && !fault_on(FAULT_S26_RESOURCE_NOT_FOUND_32002)
                  ? JSONRPC_INVALID_PARAMS
                  : -32002,
              uri);
  if (b.len)
    respond_result(ex, m, b.ptr);
  dynbuf_free(&b);
}

/* ---- prompts ---- */

static const char prompts_list[] =
    "{\"prompts\":["
    "{\"name\":\"test_simple_prompt\",\"description\":\"A prompt without arguments\"},"
    "{\"name\":\"test_prompt_with_arguments\",\"description\":\"A prompt with two arguments\","
    "\"arguments\":[{\"name\":\"arg1\",\"description\":\"First test argument\",\"required\":true},"
    "{\"name\":\"arg2\",\"description\":\"Second test argument\",\"required\":true}]},"
    "{\"name\":\"test_prompt_with_embedded_resource\",\"description\":\"A prompt embedding a resource\","
    "\"arguments\":[{\"name\":\"resourceUri\",\"description\":\"URI of the resource to embed\","
    "\"required\":true}]},"
    "{\"name\":\"test_prompt_with_image\",\"description\":\"A prompt with an image\"}]}";

static void text_message(dynbuf *b, const char *text) {
  dynbuf_adds(b, "{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":");
  json_write_cstring(b, text);
  dynbuf_adds(b, "}}");
}

/* Writes the prompt's result; 0 when it needs arguments it did not get. */
static int write_prompt(dynbuf *b, const jsonrpc_msg *m, const char *name) {
  dynbuf_adds(b, "{\"messages\":[");
  if (!strcmp(name, "test_simple_prompt")) {
    text_message(b, "This is a simple prompt for testing.");
  } else if (!strcmp(name, "test_prompt_with_arguments")) {
    const char *a1 = jsonrpc_get_string(m, "params.arguments.arg1");
    const char *a2 = jsonrpc_get_string(m, "params.arguments.arg2");
    if (!a1 || !a2)
      return 0;
    dynbuf t;
    dynbuf_init(&t, MCPWIRE_MOCK_BODY_MAX);
    dynbuf_printf(&t, "Prompt with arguments: arg1='%s', arg2='%s'", a1, a2);
    text_message(b, dynbuf_str(&t));
    dynbuf_free(&t);
  } else if (!strcmp(name, "test_prompt_with_embedded_resource")) {
    const char *uri = jsonrpc_get_string(m, "params.arguments.resourceUri");
    if (!uri)
      return 0;
    dynbuf_adds(b, "{\"role\":\"user\",\"content\":{\"type\":\"resource\",\"resource\":{\"uri\":");
    json_write_cstring(b, uri);
    dynbuf_adds(b, ",\"mimeType\":\"text/plain\",\"text\":\"Embedded resource content for testing.\"}}},");
    text_message(b, "Please process the embedded resource above.");
  } else {
    dynbuf_adds(b, "{\"role\":\"user\",\"content\":" IMAGE_CONTENT "},");
    text_message(b, "Please analyze the image above.");
  }
  dynbuf_adds(b, "]}");
  return 1;
}

static void get_prompt(exchange *ex, const jsonrpc_msg *m) {
  const char *name = jsonrpc_get_string(m, "params.name");
  if (name && ex->owner && ex->owner->modern && stateless_prompt(ex, m, name))
    return;
  if (!name || (strcmp(name, "test_simple_prompt") && strcmp(name, "test_prompt_with_arguments") &&
                strcmp(name, "test_prompt_with_embedded_resource") &&
                strcmp(name, "test_prompt_with_image"))) {
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "Unknown prompt");
    return;
  }
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  if (write_prompt(&b, m, name))
    respond_result(ex, m, b.ptr);
  else
    respond_error(ex, m, JSONRPC_INVALID_PARAMS, "Missing required prompt arguments");
  dynbuf_free(&b);
}

/* ---- completion ---- */

static void complete(exchange *ex, const jsonrpc_msg *m) {
  static const char *const words[] = {"paris", "park", "party"};
  const char *value = jsonrpc_get_string(m, "params.argument.value");
  size_t vl = value ? strlen(value) : 0, n = 0;
  dynbuf b;
  dynbuf_init(&b, 4096);
  dynbuf_adds(&b, "{\"completion\":{\"values\":[");
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (!strncmp(words[i], value ? value : "", vl)) {
      dynbuf_adds(&b, n++ ? "," : "");
      json_write_cstring(&b, words[i]);
    }
  dynbuf_printf(&b, "],\"total\":%zu,\"hasMore\":false}}", n);
  respond_result(ex, m, b.ptr);
  dynbuf_free(&b);
}

int fixtures_handle(exchange *ex, const jsonrpc_msg *m, const char *method) {
  if (!strcmp(method, "resources/list"))
    respond_result(ex, m, resources_list);
  else if (!strcmp(method, "resources/templates/list"))
    respond_result(ex, m, templates_list);
  else if (!strcmp(method, "resources/read"))
    read_resource(ex, m);
  else if (!strcmp(method, "resources/subscribe") || !strcmp(method, "resources/unsubscribe"))
    respond_result(ex, m, "{}");
  else if (!strcmp(method, "prompts/list"))
    respond_result(ex, m, prompts_list);
  else if (!strcmp(method, "prompts/get"))
    get_prompt(ex, m);
  else if (!strcmp(method, "completion/complete"))
    complete(ex, m);
  else
    return 0;
  return 1;
}
