/* jsonrpc API: path queries, raw values, id equality, builders, accessors,
 * caps. The golden vectors cover classification; this covers the API. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codec/dynbuf.h"
#include "codec/jsonrpc.h"
#include "mcpwire_limits.h"

static jsonrpc_msg *parse(const char *s) { return jsonrpc_parse(s, strlen(s)); }

static int has_rule(const jsonrpc_msg *m, const char *rule) {
  for (size_t i = 0; i < jsonrpc_problem_count(m); i++)
    if (!strcmp(jsonrpc_problem_at(m, i)->rule, rule))
      return 1;
  return 0;
}

static int id_eq(const char *a, const char *b) {
  return jsonrpc_id_equal(a, strlen(a), b, strlen(b));
}

static void path_queries_reach_nested_values(void) {
  jsonrpc_msg *m = parse(
      "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"tools\":[{\"name\":\"echo\",\"n\":2.5},"
      "{\"name\":\"add\",\"ok\":true,\"no\":false,\"nil\":null}],\"Name\":\"upper\"}}");
  CHECK(jsonrpc_is_valid(m));
  CHECK_STR(jsonrpc_get_string(m, "result.tools[0].name"), "echo");
  CHECK_STR(jsonrpc_get_string(m, "result.tools[1].name"), "add");
  CHECK_STR(jsonrpc_get_string(m, "result.Name"), "upper");
  CHECK(jsonrpc_get_string(m, "result.name") == NULL); /* keys are case-sensitive */
  CHECK(jsonrpc_get_string(m, "result.tools[2].name") == NULL);
  CHECK(jsonrpc_get_string(m, "result.tools[0].n") == NULL); /* a number, not a string */
  double d = 0;
  CHECK(jsonrpc_get_number(m, "result.tools[0].n", &d));
  CHECK(d == 2.5);
  CHECK(!jsonrpc_get_number(m, "result.tools[0].name", &d));
  CHECK_INT(jsonrpc_get_type(m, ""), JSONRPC_T_OBJECT);
  CHECK_INT(jsonrpc_get_type(m, "result.tools"), JSONRPC_T_ARRAY);
  CHECK_INT(jsonrpc_get_type(m, "result.tools[1].ok"), JSONRPC_T_TRUE);
  CHECK_INT(jsonrpc_get_type(m, "result.tools[1].no"), JSONRPC_T_FALSE);
  CHECK_INT(jsonrpc_get_type(m, "result.tools[1].nil"), JSONRPC_T_NULL);
  CHECK_INT(jsonrpc_get_type(m, "id"), JSONRPC_T_NUMBER);
  CHECK_INT(jsonrpc_get_type(m, "jsonrpc"), JSONRPC_T_STRING);
  CHECK_INT(jsonrpc_get_type(m, "missing"), JSONRPC_T_ABSENT);
  CHECK_INT(jsonrpc_get_count(m, "result.tools"), 2);
  CHECK_INT(jsonrpc_get_count(m, "result"), 2);
  CHECK_INT(jsonrpc_get_count(m, "id"), 0);
  CHECK_STR(jsonrpc_get_key(m, "result", 0), "tools");
  CHECK_STR(jsonrpc_get_key(m, "result", 1), "Name");
  CHECK(jsonrpc_get_key(m, "result", 2) == NULL);
  CHECK(jsonrpc_get_key(m, "result.tools", 0) == NULL); /* arrays have no keys */
  jsonrpc_free(m);
}

static void malformed_paths_find_nothing(void) {
  jsonrpc_msg *m = parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"a\":[{\"b\":1}]}}");
  const char *bad[] = {"result..a", "result.a[x]", "result.a[", "result.a[0", "result.a[-1]",
                       "result.", ".result", "result.a[0]b", "result.a[]"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    dynbuf out;
    dynbuf_init(&out, 1024);
    if (jsonrpc_get_type(m, bad[i]) != JSONRPC_T_ABSENT || !jsonrpc_get_json(m, bad[i], &out)) {
      fprintf(stderr, "path \"%s\" should find nothing\n", bad[i]);
      check_failures++;
    }
    dynbuf_free(&out);
  }
  CHECK_INT(jsonrpc_get_type(m, "result.a[0].b"), JSONRPC_T_NUMBER);
  CHECK_INT(jsonrpc_get_type(m, "result.a[1]"), JSONRPC_T_ABSENT);
  CHECK_INT(jsonrpc_get_type(m, "id[0]"), JSONRPC_T_ABSENT);
  CHECK_INT(jsonrpc_get_type(m, "result[0]"), JSONRPC_T_ABSENT);
  jsonrpc_free(m);
}

static void get_json_is_compact_and_exact(void) {
  jsonrpc_msg *m = parse("{ \"jsonrpc\" : \"2.0\", \"id\" : 1, \"result\" : { \"big\" : "
                         "12345678901234567890 , \"s\" : \"a b\\u0041\\n\" ,\"arr\":[ 1 ,\r\n 2 ] } }");
  CHECK(jsonrpc_is_valid(m));
  dynbuf out;
  dynbuf_init(&out, 4096);
  CHECK_INT(jsonrpc_get_json(m, "result", &out), 0);
  CHECK_STR(dynbuf_str(&out), "{\"big\":12345678901234567890,\"s\":\"a b\\u0041\\n\",\"arr\":[1,2]}");
  dynbuf_reset(&out);
  CHECK_INT(jsonrpc_get_json(m, "result.arr[1]", &out), 0);
  CHECK_STR(dynbuf_str(&out), "2");
  dynbuf_reset(&out);
  CHECK_INT(jsonrpc_get_json(m, "", &out), 0);
  CHECK(strchr(dynbuf_str(&out), ' ') == strstr(dynbuf_str(&out), "a b") + 1);
  dynbuf_reset(&out);
  CHECK(jsonrpc_get_json(m, "result.none", &out) != 0);
  CHECK_INT(out.len, 0);
  dynbuf_free(&out);
  /* A cap too small for the value: nothing is appended. */
  dynbuf small;
  dynbuf_init(&small, 8);
  dynbuf_adds(&small, "ab");
  CHECK(jsonrpc_get_json(m, "result", &small) != 0);
  CHECK_STR(dynbuf_str(&small), "ab");
  dynbuf_free(&small);
  jsonrpc_free(m);
}

static void escaped_keys_match_their_decoded_name(void) {
  jsonrpc_msg *m = parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"na\\u006de\":\"x\",\"caf\\u00e9\":7}}");
  CHECK(jsonrpc_is_valid(m));
  CHECK_STR(jsonrpc_get_string(m, "result.name"), "x");
  size_t len = 0;
  const char *raw = jsonrpc_get_raw(m, "result.name", &len);
  CHECK(raw && len == 3 && !memcmp(raw, "\"x\"", 3));
  raw = jsonrpc_get_raw(m, "result.caf\xC3\xA9", &len);
  CHECK(raw && len == 1 && raw[0] == '7');
  CHECK_INT(jsonrpc_get_type(m, "result.caf\xC3\xA9"), JSONRPC_T_NUMBER);
  jsonrpc_free(m);
}

static void duplicate_keys_resolve_to_the_first_like_cjson(void) {
  jsonrpc_msg *m = parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"k\":1,\"k\":2}}");
  CHECK(!jsonrpc_is_valid(m));
  CHECK(jsonrpc_is_json(m));
  CHECK(has_rule(m, "I-JSON"));
  CHECK_INT(jsonrpc_apparent_kind(m), JSONRPC_SUCCESS_RESPONSE);
  size_t len = 0;
  const char *raw = jsonrpc_get_raw(m, "result.k", &len);
  double d = 0;
  CHECK(raw && len == 1 && raw[0] == '1');
  CHECK(jsonrpc_get_number(m, "result.k", &d) && d == 1);
  jsonrpc_free(m);
}

static void every_repeat_of_a_key_names_the_first(void) {
  dynbuf s;
  dynbuf_init(&s, 4096);
  dynbuf_adds(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"x\":0");
  for (int i = 0; i < 20; i++) /* over 16 members: the sorted check */
    dynbuf_printf(&s, ",\"k%d\":%d%s", i, i, i == 5 || i == 12 ? ",\"x\":1" : "");
  dynbuf_adds(&s, "}}");
  jsonrpc_msg *m = jsonrpc_parse(s.ptr, s.len);
  long first = (long)(strstr(s.ptr, "\"x\"") - s.ptr);
  char want[64];
  snprintf(want, sizeof want, "(first at byte %ld)", first);
  CHECK_INT(jsonrpc_problem_count(m), 2);
  for (size_t i = 0; i < jsonrpc_problem_count(m); i++) {
    CHECK_STR(jsonrpc_problem_at(m, i)->rule, "I-JSON");
    CHECK(strstr(jsonrpc_problem_at(m, i)->reason, want) != NULL);
    CHECK(jsonrpc_problem_at(m, i)->offset > first);
  }
  jsonrpc_free(m);
  dynbuf_free(&s);
}

static void raw_values_come_back_as_sent(void) {
  jsonrpc_msg *m = parse("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                         "\"params\":{\"requestId\": 98765432109876543210 ,\"reason\":\"x\"}}");
  CHECK_INT(jsonrpc_kind_of(m), JSONRPC_NOTIFICATION);
  size_t len = 0;
  const char *raw = jsonrpc_get_raw(m, "params.requestId", &len);
  CHECK(raw && len == 20 && !memcmp(raw, "98765432109876543210", 20));
  CHECK(jsonrpc_id_equal(raw, len, "98765432109876543210", 20));
  CHECK(jsonrpc_get_raw(m, "params.nothing", &len) == NULL && len == 0);
  CHECK(jsonrpc_id_raw(m, &len) == NULL && len == 0); /* notifications have none */
  jsonrpc_free(m);
}

static void ids_compare_by_type_and_raw_value(void) {
  CHECK(id_eq("1", "1"));
  CHECK(id_eq("\"1\"", "\"\\u0031\""));   /* strings by decoded content */
  CHECK(id_eq("\"a\\\"b\"", "\"a\\u0022b\""));
  CHECK(id_eq("\"\\ud83d\\ude00\"", "\"\xF0\x9F\x98\x80\""));
  CHECK(id_eq("\"\\/\"", "\"/\""));
  CHECK(id_eq(" 42\n", "42"));             /* surrounding whitespace is not the id */
  CHECK(id_eq("12345678901234567890", "12345678901234567890"));
  CHECK(!id_eq("12345678901234567890", "12345678901234567891"));
  CHECK(!id_eq("1", "\"1\""));             /* different types never match */
  CHECK(!id_eq("\"1\"", "1"));
  CHECK(!id_eq("1", "1.0"));               /* numbers by exact text */
  CHECK(!id_eq("0", "-0"));
  CHECK(!id_eq("\"a\"", "\"A\""));
  CHECK(!id_eq("\"ab\"", "\"a\""));
  CHECK(!id_eq("\"a", "\"a"));             /* not a complete string */
  CHECK(!id_eq("\"a\"b\"", "\"a\"b\""));
  CHECK(!id_eq("\"\\x\"", "\"\\x\""));     /* bad escape: never equal */
  CHECK(!id_eq("", ""));
  CHECK(!id_eq("null", "1"));
  CHECK(id_eq("null", "null"));
  CHECK(!jsonrpc_id_equal(NULL, 0, "1", 1));
}

static void builders_write_compact_json_that_parses_back(void) {
  dynbuf out;
  dynbuf_init(&out, MCPWIRE_JSON_BODY_MAX);
  CHECK_INT(jsonrpc_build_request(&out, "12345678901234567890", "tools/call",
                                  "{\"name\":\"echo\"}"), 0);
  CHECK_STR(dynbuf_str(&out), "{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,"
                              "\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}");
  jsonrpc_msg *m = jsonrpc_parse(out.ptr, out.len);
  size_t len = 0;
  CHECK_INT(jsonrpc_kind_of(m), JSONRPC_REQUEST);
  CHECK_STR(jsonrpc_id_raw(m, &len), "12345678901234567890");
  CHECK_INT(len, 20);
  CHECK_STR(jsonrpc_method(m), "tools/call");
  jsonrpc_free(m);

  dynbuf_reset(&out);
  CHECK_INT(jsonrpc_build_notification(&out, "we\"ird\n\x01/name", NULL), 0);
  CHECK_STR(dynbuf_str(&out), "{\"jsonrpc\":\"2.0\",\"method\":\"we\\\"ird\\n\\u0001/name\"}");
  m = jsonrpc_parse(out.ptr, out.len);
  CHECK_INT(jsonrpc_kind_of(m), JSONRPC_NOTIFICATION);
  CHECK_STR(jsonrpc_method(m), "we\"ird\n\x01/name");
  jsonrpc_free(m);

  dynbuf_reset(&out);
  CHECK_INT(jsonrpc_build_result(&out, "\"a\\u0062\"", 9, NULL), 0);
  CHECK_STR(dynbuf_str(&out), "{\"jsonrpc\":\"2.0\",\"id\":\"a\\u0062\",\"result\":{}}");
  m = jsonrpc_parse(out.ptr, out.len);
  CHECK_INT(jsonrpc_kind_of(m), JSONRPC_SUCCESS_RESPONSE);
  CHECK_STR(jsonrpc_id_raw(m, NULL), "\"a\\u0062\"");
  const char *id = jsonrpc_id_raw(m, &len);
  CHECK(jsonrpc_id_equal(id, len, "\"ab\"", 4));
  jsonrpc_free(m);
  dynbuf_free(&out);
}

static void builders_repair_invalid_utf8_in_names(void) {
  dynbuf out;
  dynbuf_init(&out, 4096);
  CHECK_INT(jsonrpc_build_request(&out, "1", "bad\xFF\xC3name", NULL), 0);
  jsonrpc_msg *m = jsonrpc_parse(out.ptr, out.len);
  CHECK(jsonrpc_is_valid(m)); /* the output is always valid UTF-8 JSON */
  CHECK_STR(jsonrpc_method(m), "bad\xEF\xBF\xBD\xEF\xBF\xBDname");
  jsonrpc_free(m);
  dynbuf_reset(&out);
  CHECK_INT(jsonrpc_build_error(&out, "\"x\"", 3, -32000, "line1\nline2\t\"q\"", NULL), 0);
  m = jsonrpc_parse(out.ptr, out.len);
  CHECK(jsonrpc_is_valid(m));
  CHECK_STR(jsonrpc_error_message(m), "line1\nline2\t\"q\"");
  jsonrpc_free(m);
  dynbuf_free(&out);
}

static void error_builders_and_accessors_agree(void) {
  dynbuf out;
  dynbuf_init(&out, 4096);
  CHECK_INT(jsonrpc_build_error(&out, "-7", 2, JSONRPC_METHOD_NOT_FOUND, "No \"such\" method",
                                "{\"m\":\"x\"}"), 0);
  CHECK_STR(dynbuf_str(&out), "{\"jsonrpc\":\"2.0\",\"id\":-7,\"error\":{\"code\":-32601,"
                              "\"message\":\"No \\\"such\\\" method\",\"data\":{\"m\":\"x\"}}}");
  jsonrpc_msg *m = jsonrpc_parse(out.ptr, out.len);
  long code = 0;
  CHECK_INT(jsonrpc_kind_of(m), JSONRPC_ERROR_RESPONSE);
  CHECK(jsonrpc_error_code(m, &code));
  CHECK_INT(code, -32601);
  CHECK_STR(jsonrpc_error_message(m), "No \"such\" method");
  CHECK_STR(jsonrpc_get_string(m, "error.data.m"), "x");
  jsonrpc_free(m);

  dynbuf_reset(&out);
  CHECK_INT(jsonrpc_build_error(&out, NULL, 0, JSONRPC_PARSE_ERROR, "Parse error", NULL), 0);
  CHECK_STR(dynbuf_str(&out),
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");
  m = jsonrpc_parse(out.ptr, out.len);
  CHECK(jsonrpc_is_valid(m));
  CHECK_STR(jsonrpc_id_raw(m, NULL), "null");
  jsonrpc_free(m);

  dynbuf_reset(&out);
  CHECK_INT(jsonrpc_build_error_without_id(&out, JSONRPC_INVALID_REQUEST, "Invalid Request", NULL), 0);
  m = jsonrpc_parse(out.ptr, out.len);
  CHECK_INT(jsonrpc_kind_of(m), JSONRPC_ERROR_RESPONSE);
  CHECK(jsonrpc_id_raw(m, NULL) == NULL);
  CHECK(jsonrpc_error_code(m, &code) && code == -32600);
  jsonrpc_free(m);
  dynbuf_free(&out);
}

static void error_code_accessor_needs_an_integer_that_fits(void) {
  const char *cases[] = {
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1.5,\"message\":\"m\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":99999999999999999999,\"message\":\"m\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"1\",\"message\":\"m\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
      "not json"};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    jsonrpc_msg *m = parse(cases[i]);
    long code = 12345;
    CHECK(!jsonrpc_error_code(m, &code));
    CHECK_INT(code, 12345);
    jsonrpc_free(m);
  }
  jsonrpc_msg *m = parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-9223372036854775808,"
                         "\"message\":\"m\"}}");
  long code = 0;
  CHECK(jsonrpc_error_code(m, &code));
  CHECK(code == -9223372036854775807L - 1);
  jsonrpc_free(m);
}

static void builders_leave_output_untouched_on_failure(void) {
  dynbuf small;
  dynbuf_init(&small, 24);
  dynbuf_adds(&small, "keep");
  CHECK(jsonrpc_build_request(&small, "1", "a/very/long/method/name", NULL) != 0);
  CHECK_STR(dynbuf_str(&small), "keep");
  CHECK(jsonrpc_build_error(&small, "1", 1, -32600, "a long message here", NULL) != 0);
  CHECK_STR(dynbuf_str(&small), "keep");
  CHECK_INT(jsonrpc_build_request(&small, NULL, "x", NULL), JSONRPC_BUILD_BAD_ARGS);
  CHECK_INT(jsonrpc_build_notification(&small, NULL, NULL), JSONRPC_BUILD_BAD_ARGS);
  CHECK_INT(jsonrpc_build_result(&small, NULL, 0, "{}"), JSONRPC_BUILD_BAD_ARGS);
  CHECK_STR(dynbuf_str(&small), "keep");
  dynbuf_free(&small);
}

static void batch_elements_are_messages_of_their_own(void) {
  jsonrpc_msg *m = parse("[{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"},"
                         " {\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\",\"params\":{\"k\":[5]}}]");
  CHECK_INT(jsonrpc_kind_of(m), JSONRPC_BATCH);
  CHECK(jsonrpc_is_valid(m));
  CHECK_INT(jsonrpc_batch_count(m), 2);
  const jsonrpc_msg *a = jsonrpc_batch_at(m, 0), *b = jsonrpc_batch_at(m, 1);
  CHECK_INT(jsonrpc_kind_of(a), JSONRPC_REQUEST);
  CHECK_STR(jsonrpc_id_raw(a, NULL), "\"a\"");
  CHECK_STR(jsonrpc_method(a), "ping");
  CHECK_INT(jsonrpc_kind_of(b), JSONRPC_NOTIFICATION);
  CHECK_STR(jsonrpc_method(b), "notifications/x");
  dynbuf out;
  dynbuf_init(&out, 1024);
  CHECK_INT(jsonrpc_get_json(b, "params", &out), 0);
  CHECK_STR(dynbuf_str(&out), "{\"k\":[5]}");
  dynbuf_reset(&out);
  CHECK_INT(jsonrpc_get_json(m, "[1].params.k[0]", &out), 0);
  CHECK_STR(dynbuf_str(&out), "5");
  dynbuf_free(&out);
  CHECK(jsonrpc_batch_at(m, 2) == NULL);
  CHECK(jsonrpc_method(m) == NULL);
  jsonrpc_free(m);
}

/* n copies of item joined by commas inside brackets. */
static char *repeat_array(const char *item, size_t n) {
  size_t il = strlen(item), len = 2 + n * (il + 1);
  char *s = malloc(len + 1), *p = s;
  *p++ = '[';
  for (size_t i = 0; i < n; i++) {
    if (i)
      *p++ = ',';
    memcpy(p, item, il);
    p += il;
  }
  *p++ = ']';
  *p = '\0';
  return s;
}

static void batch_cap_is_exact(void) {
  const char *note = "{\"jsonrpc\":\"2.0\",\"method\":\"n\"}";
  char *at = repeat_array(note, MCPWIRE_JSONRPC_BATCH_MAX);
  char *over = repeat_array(note, MCPWIRE_JSONRPC_BATCH_MAX + 1);
  jsonrpc_msg *m = parse(at);
  CHECK(jsonrpc_is_valid(m));
  CHECK_INT(jsonrpc_batch_count(m), MCPWIRE_JSONRPC_BATCH_MAX);
  jsonrpc_free(m);
  m = parse(over);
  CHECK(!jsonrpc_is_valid(m));
  CHECK(jsonrpc_is_json(m));
  CHECK(has_rule(m, "LIMIT"));
  jsonrpc_free(m);
  free(at);
  free(over);
}

static void problems_past_the_cap_are_counted(void) {
  char *s = repeat_array("1", 40);
  jsonrpc_msg *m = parse(s);
  CHECK_INT(jsonrpc_problem_count(m), MCPWIRE_JSONRPC_PROBLEMS_MAX);
  CHECK_INT(jsonrpc_problems_dropped(m), 40 - MCPWIRE_JSONRPC_PROBLEMS_MAX);
  CHECK_INT(jsonrpc_problem_at(m, 3)->batch_index, 3);
  CHECK(jsonrpc_problem_at(m, MCPWIRE_JSONRPC_PROBLEMS_MAX) == NULL);
  CHECK(!jsonrpc_is_valid(m));
  jsonrpc_free(m);
  free(s);
}

/* depth containers: the message object plus depth-1 nested arrays. */
static char *nested_request(int depth) {
  const char *head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"a\":";
  size_t hl = strlen(head), n = (size_t)depth - 2;
  char *s = malloc(hl + 2 * n + 3), *p = s;
  memcpy(p, head, hl);
  p += hl;
  memset(p, '[', n);
  p += n;
  memset(p, ']', n);
  p += n;
  strcpy(p, "}}");
  return s;
}

static void nesting_cap_is_exact(void) {
  char *at = nested_request(MCPWIRE_JSON_DEPTH_MAX);
  char *over = nested_request(MCPWIRE_JSON_DEPTH_MAX + 1);
  jsonrpc_msg *m = parse(at);
  CHECK(jsonrpc_is_valid(m));
  jsonrpc_free(m);
  m = parse(over);
  CHECK(jsonrpc_is_json(m)); /* the grammar is read past the cap */
  CHECK(jsonrpc_kind_of(m) == JSONRPC_INVALID);
  CHECK(has_rule(m, "LIMIT"));
  CHECK(strstr(jsonrpc_problem_at(m, 0)->reason, "nesting deeper than 64") != NULL);
  jsonrpc_free(m);
  free(at);
  free(over);
}

/* Past MCPWIRE_JSON_GRAMMAR_DEPTH_MAX nothing more is read: LIMIT, not JSON. */
static void grammar_depth_cap_is_exact(void) {
  size_t n = MCPWIRE_JSON_GRAMMAR_DEPTH_MAX;
  char *s = malloc(2 * n + 3);
  memset(s, '[', n);
  memset(s + n, ']', n);
  s[2 * n] = '\0';
  jsonrpc_msg *m = parse(s);
  CHECK(jsonrpc_is_json(m));
  CHECK(has_rule(m, "LIMIT"));
  jsonrpc_free(m);
  memmove(s + 1, s, 2 * n + 1); /* one more level */
  s[0] = '[';
  strcat(s, "]");
  m = parse(s);
  CHECK(!jsonrpc_is_json(m));
  CHECK(has_rule(m, "LIMIT"));
  CHECK(strstr(jsonrpc_problem_at(m, 0)->reason, "nesting deeper than 65536") != NULL);
  jsonrpc_free(m);
  free(s);
}

static void member_cap_is_exact(void) {
  dynbuf s;
  dynbuf_init(&s, MCPWIRE_JSON_BODY_MAX);
  dynbuf_adds(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{");
  for (int i = 0; i < MCPWIRE_JSON_MEMBERS_MAX; i++)
    dynbuf_printf(&s, "%s\"k%d\":%d", i ? "," : "", i, i);
  dynbuf_adds(&s, "}}");
  jsonrpc_msg *m = jsonrpc_parse(s.ptr, s.len);
  CHECK(jsonrpc_is_valid(m)); /* 4096 distinct keys: no false duplicate */
  jsonrpc_free(m);
  s.len -= 2;
  dynbuf_adds(&s, ",\"k0\":1}}");
  m = jsonrpc_parse(s.ptr, s.len);
  CHECK(!jsonrpc_is_json(m));
  CHECK(has_rule(m, "LIMIT"));
  jsonrpc_free(m);
  s.len -= 2 + 7;
  dynbuf_adds(&s, "}}");
  /* Replace the last member by a duplicate of k17: found among 4096. */
  char *last = strrchr(s.ptr, ',');
  strcpy(last, ",\"k17\":0}}");
  s.len = strlen(s.ptr);
  m = jsonrpc_parse(s.ptr, s.len);
  CHECK(jsonrpc_is_json(m));
  CHECK(has_rule(m, "I-JSON"));
  CHECK_INT(jsonrpc_problem_count(m), 1);
  jsonrpc_free(m);
  dynbuf_free(&s);
}

static void value_cap_is_exact(void) {
  char *at = repeat_array("0", MCPWIRE_JSON_VALUES_MAX - 1); /* + the array */
  char *over = repeat_array("0", MCPWIRE_JSON_VALUES_MAX);
  jsonrpc_msg *m = parse(at);
  CHECK(jsonrpc_is_json(m)); /* JSON; only the batch cap complains */
  CHECK(has_rule(m, "LIMIT"));
  CHECK(strstr(jsonrpc_problem_at(m, 0)->reason, "batch of") != NULL);
  jsonrpc_free(m);
  m = parse(over);
  CHECK(!jsonrpc_is_json(m));
  CHECK_INT(jsonrpc_problem_count(m), 1);
  CHECK(strstr(jsonrpc_problem_at(m, 0)->reason, "more than 1048576 values") != NULL);
  jsonrpc_free(m);
  free(at);
  free(over);
}

static void body_cap_is_enforced(void) {
  size_t n = (size_t)MCPWIRE_JSON_BODY_MAX + 1;
  char *big = malloc(n);
  memset(big, ' ', n);
  big[0] = '1';
  jsonrpc_msg *m = jsonrpc_parse(big, n);
  CHECK(!jsonrpc_is_json(m));
  CHECK(has_rule(m, "LIMIT"));
  jsonrpc_free(m);
  m = jsonrpc_parse(big, n - 1); /* exactly the cap: read, JSON, not a message */
  CHECK(jsonrpc_is_json(m));
  CHECK(has_rule(m, "JSONRPC-01"));
  jsonrpc_free(m);
  free(big);
}

static void nul_and_surrogate_escapes_do_not_truncate(void) {
  jsonrpc_msg *m = parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\\u0000b\","
                         "\"params\":{\"t\":\"x\\ud800y\"}}");
  CHECK(jsonrpc_is_json(m));
  CHECK_INT(jsonrpc_kind_of(m), JSONRPC_INVALID);
  CHECK_INT(jsonrpc_apparent_kind(m), JSONRPC_REQUEST);
  CHECK_INT(jsonrpc_problem_count(m), 2);
  /* I-JSON allows \u0000; only this implementation cannot hold it. */
  const jsonrpc_problem *nul = jsonrpc_problem_at(m, 0);
  CHECK(nul && !strcmp(nul->rule, "LIMIT") && strstr(nul->reason, "\\u0000 (NUL)"));
  CHECK(has_rule(m, "I-JSON")); /* the lone surrogate */
  CHECK_STR(jsonrpc_method(m), "a\xEF\xBF\xBD" "b"); /* U+FFFD, not "a" */
  CHECK_STR(jsonrpc_get_string(m, "params.t"), "x\xEF\xBF\xBDy");
  size_t len = 0;
  const char *raw = jsonrpc_get_raw(m, "params.t", &len);
  CHECK(raw && len == 10 && !memcmp(raw, "\"x\\ud800y\"", 10)); /* raw stays as sent */
  jsonrpc_free(m);
}

static void long_numbers_keep_their_text(void) {
  char body[512];
  char digits[201];
  memset(digits, '7', 200);
  digits[200] = '\0';
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"n\":-%s.5e-3}}",
           digits, digits);
  jsonrpc_msg *m = parse(body);
  CHECK(jsonrpc_is_valid(m));
  size_t len = 0;
  CHECK(jsonrpc_id_raw(m, &len) && len == 200);
  double d = 0;
  CHECK(jsonrpc_get_number(m, "result.n", &d) && d < -7e190);
  const char *raw = jsonrpc_get_raw(m, "result.n", &len);
  CHECK(raw && len == 206 && raw[0] == '-' && raw[205] == '3');
  jsonrpc_free(m);
}

/* cJSON copies at most 63 number characters; 63 and 64 sit on the edge. */
static void numbers_at_the_cjson_edge_parse(void) {
  for (int digits = 60; digits <= 66; digits++) {
    char body[256], num[80];
    memset(num, '9', (size_t)digits);
    num[0] = '1';
    num[digits] = '\0';
    snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"n\":%s,\"after\":true}}",
             num);
    jsonrpc_msg *m = parse(body);
    double d = 0;
    size_t len = 0;
    CHECK(jsonrpc_is_valid(m));
    CHECK(jsonrpc_get_number(m, "result.n", &d) && d > 1e59);
    CHECK_INT(jsonrpc_get_type(m, "result.after"), JSONRPC_T_TRUE);
    CHECK(jsonrpc_get_raw(m, "result.n", &len) && len == (size_t)digits);
    jsonrpc_free(m);
  }
}

static void grammar_errors_report_their_offset(void) {
  jsonrpc_msg *m = parse("{\"jsonrpc\":012}");
  CHECK(!jsonrpc_is_json(m));
  CHECK_INT(jsonrpc_kind_of(m), JSONRPC_INVALID);
  CHECK_INT(jsonrpc_problem_count(m), 1);
  CHECK_STR(jsonrpc_problem_at(m, 0)->rule, "RFC8259");
  CHECK_STR(jsonrpc_problem_at(m, 0)->reason, "leading zero in number at byte 11");
  CHECK_INT(jsonrpc_problem_at(m, 0)->offset, 11);
  CHECK_INT(jsonrpc_problem_at(m, 0)->batch_index, -1);
  CHECK_INT(jsonrpc_get_type(m, ""), JSONRPC_T_ABSENT);
  jsonrpc_free(m);
}

/* Each thread sorts keys of its own body (the thread-local sort context)
 * and builds cJSON trees at the same time as the others. */
static void *parse_many(void *arg) {
  const char *body = arg;
  long bad = 0;
  for (int i = 0; i < 300; i++) {
    jsonrpc_msg *m = parse(body);
    bad += jsonrpc_problem_count(m) != 1 || strcmp(jsonrpc_problem_at(m, 0)->rule, "I-JSON") ||
           jsonrpc_apparent_kind(m) != JSONRPC_SUCCESS_RESPONSE;
    jsonrpc_free(m);
  }
  return (void *)bad;
}

static void parses_agree_across_threads(void) {
  enum { THREADS = 4 };
  dynbuf bodies[THREADS];
  pthread_t tid[THREADS];
  for (int t = 0; t < THREADS; t++) {
    dynbuf_init(&bodies[t], 1 << 16);
    dynbuf_adds(&bodies[t], "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{");
    for (int k = 0; k < 40; k++) /* thread t repeats key t*5: one duplicate each */
      dynbuf_printf(&bodies[t], "%s\"t%d_%d\":%d", k ? "," : "", t, k == 39 ? t * 5 : k, k);
    dynbuf_adds(&bodies[t], "}}");
    CHECK_INT(pthread_create(&tid[t], NULL, parse_many, bodies[t].ptr), 0);
  }
  for (int t = 0; t < THREADS; t++) {
    void *bad = NULL;
    CHECK_INT(pthread_join(tid[t], &bad), 0);
    CHECK_INT((long)bad, 0);
    dynbuf_free(&bodies[t]);
  }
}

static void kind_names_are_stable(void) {
  CHECK_STR(jsonrpc_kind_name(JSONRPC_INVALID), "invalid");
  CHECK_STR(jsonrpc_kind_name(JSONRPC_REQUEST), "request");
  CHECK_STR(jsonrpc_kind_name(JSONRPC_NOTIFICATION), "notification");
  CHECK_STR(jsonrpc_kind_name(JSONRPC_SUCCESS_RESPONSE), "success_response");
  CHECK_STR(jsonrpc_kind_name(JSONRPC_ERROR_RESPONSE), "error_response");
  CHECK_STR(jsonrpc_kind_name(JSONRPC_BATCH), "batch");
}

static void null_message_is_harmless(void) {
  jsonrpc_free(NULL);
  CHECK(!jsonrpc_is_json(NULL));
  CHECK(!jsonrpc_is_valid(NULL));
  CHECK_INT(jsonrpc_kind_of(NULL), JSONRPC_INVALID);
  CHECK_INT(jsonrpc_problem_count(NULL), 0);
  CHECK(jsonrpc_method(NULL) == NULL);
  CHECK(jsonrpc_id_raw(NULL, NULL) == NULL);
  CHECK_INT(jsonrpc_get_type(NULL, ""), JSONRPC_T_ABSENT);
  CHECK(jsonrpc_get_string(NULL, "a") == NULL);
}

static void quoted_keys_reach_members_with_dots(void) {
  jsonrpc_msg *m = parse(
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"_meta\":{"
      "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"a[b]\":{\"c\":[7]}}}}");
  CHECK_STR(jsonrpc_get_string(m, "params._meta[\"io.modelcontextprotocol/protocolVersion\"]"),
            "2026-07-28");
  double d = 0;
  CHECK(jsonrpc_get_number(m, "params._meta[\"a[b]\"].c[0]", &d) && d == 7);
  CHECK_INT(jsonrpc_get_type(m, "params._meta[\"io\"]"), JSONRPC_T_ABSENT);
  CHECK_INT(jsonrpc_get_type(m, "params._meta[\"unterminated"), JSONRPC_T_ABSENT);
  CHECK_INT(jsonrpc_get_type(m, "params._meta[\"a[b]\"]x"), JSONRPC_T_ABSENT);
  jsonrpc_free(m);
}

int main(void) {
  path_queries_reach_nested_values();
  quoted_keys_reach_members_with_dots();
  malformed_paths_find_nothing();
  get_json_is_compact_and_exact();
  escaped_keys_match_their_decoded_name();
  duplicate_keys_resolve_to_the_first_like_cjson();
  every_repeat_of_a_key_names_the_first();
  raw_values_come_back_as_sent();
  ids_compare_by_type_and_raw_value();
  builders_write_compact_json_that_parses_back();
  error_builders_and_accessors_agree();
  builders_repair_invalid_utf8_in_names();
  error_code_accessor_needs_an_integer_that_fits();
  builders_leave_output_untouched_on_failure();
  batch_elements_are_messages_of_their_own();
  batch_cap_is_exact();
  problems_past_the_cap_are_counted();
  nesting_cap_is_exact();
  grammar_depth_cap_is_exact();
  member_cap_is_exact();
  value_cap_is_exact();
  body_cap_is_enforced();
  nul_and_surrogate_escapes_do_not_truncate();
  long_numbers_keep_their_text();
  numbers_at_the_cjson_edge_parse();
  grammar_errors_report_their_offset();
  parses_agree_across_threads();
  kind_names_are_stable();
  null_message_is_harmless();
  return CHECK_DONE("jsonrpc_unit_test");
}
