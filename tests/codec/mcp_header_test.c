/* mcp_header_test: the 2026-07-28 mirrored-header codec against golden
 * vectors (the spec's encoding table, S26-B64, S26-PARAM-02/05, S26-HDR-09)
 * and the header/body check each way: accepted, and each problem kind. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "codec/mcp_header.h"

/* ---- values ---- */

static void check_encode(const char *value, size_t len, const char *want) {
  char out[MCPWIRE_MCP_HEADER_WIRE_MAX];
  int n = mcp_header_encode(value, len, out, sizeof out);
  CHECK_INT(n, (long long)strlen(want));
  CHECK_STR(out, want);
  /* and back */
  char back[MCPWIRE_MCP_HEADER_VALUE_MAX];
  const char *why = NULL;
  CHECK_INT(mcp_header_decode(out, (size_t)n, back, sizeof back, &why), (long long)len);
  CHECK(memcmp(back, value, len) == 0);
}

static void test_encode_vectors(void) {
  check_encode("us-west1", 8, "us-west1");
  check_encode("Hello, \xe4\xb8\x96\xe7\x95\x8c", 13, "=?base64?SGVsbG8sIOS4lueVjA==?=");
  check_encode(" padded ", 8, "=?base64?IHBhZGRlZCA=?=");
  check_encode("line1\nline2", 11, "=?base64?bGluZTEKbGluZTI=?=");
  check_encode("line1\r\nline2", 12, "=?base64?bGluZTENCmxpbmUy?=");
  check_encode("\tindented", 9, "=?base64?CWluZGVudGVk?=");
  check_encode("=?base64?literal?=", 18, "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
  check_encode("=?base64?=", 10, "=?base64?PT9iYXNlNjQ/PQ==?=");
  check_encode("us west 1", 9, "us west 1");
  check_encode("=?BASE64?SGVsbG8=?=", 19, "=?BASE64?SGVsbG8=?=");
  check_encode("", 0, "=?base64?" "?="); /* (no trigraph) */
  check_encode("a\tb", 3, "=?base64?YQli?=");
  check_encode("h\xc3\xa9llo", 6, "=?base64?aMOpbGxv?=");
  check_encode("a\0b", 3, "=?base64?YQBi?=");
  CHECK_INT(mcp_header_needs_encoding("us west 1", 9), 0);
  CHECK_INT(mcp_header_needs_encoding(" x", 2), 1);
  CHECK_INT(mcp_header_needs_encoding("x\x7f", 2), 1);
  CHECK_INT(mcp_header_needs_encoding("=?base64?literal?=", 18), 1);
  CHECK_INT(mcp_header_needs_encoding("", 0), 2);
  CHECK_INT(mcp_header_needs_encoding("a\tb", 3), 2);
  char small[12];
  CHECK_INT(mcp_header_encode("us-west1", 8, small, 8), -1);
  CHECK_INT(mcp_header_encode(" padded ", 8, small, sizeof small), -1);
}

static void check_decode(const char *value, const char *want, const char *want_why) {
  char out[MCPWIRE_MCP_HEADER_VALUE_MAX];
  const char *why = NULL;
  int n = mcp_header_decode(value, strlen(value), out, sizeof out, &why);
  if (want) {
    CHECK_INT(n, (long long)strlen(want));
    CHECK_STR(out, want);
  } else {
    CHECK_INT(n, -1);
    CHECK_STR(why, want_why);
  }
}

static void test_decode_vectors(void) {
  const char *bad64 = "malformed base64 in sentinel", *badch = "invalid character in header value";
  check_decode("=?base64?SGVsbG8=?=", "Hello", NULL);
  check_decode("=?base64?SGVsbG8sIOS4lueVjA==?=", "Hello, \xe4\xb8\x96\xe7\x95\x8c", NULL);
  check_decode("=?BASE64?SGVsbG8=?=", "=?BASE64?SGVsbG8=?=", NULL); /* markers are case-sensitive */
  check_decode("SGVsbG8=", "SGVsbG8=", NULL);                       /* no markers: a literal */
  check_decode("=?base64?SGVsbG8=", "=?base64?SGVsbG8=", NULL);     /* one marker: a literal */
  check_decode("SGVsbG8=?=", "SGVsbG8=?=", NULL);
  check_decode("=?base64?=", "=?base64?=", NULL);                   /* overlapping markers */
  check_decode("=?base64?" "?=", "", NULL);
  check_decode("us west 1", "us west 1", NULL);
  check_decode("   tool  ", "tool", NULL);                          /* OWS is not the value */
  check_decode("\t=?base64?IHBhZGRlZCA=?= ", " padded ", NULL);
  check_decode("a\tb", "a\tb", NULL);                               /* inner TAB: RFC 9110 allows it */
  check_decode("=?base64?SGVsbG8?=", NULL, bad64);                   /* padding missing */
  check_decode("=?base64?SGVsbG8==?=", NULL, bad64);
  check_decode("=?base64?SGVs!!!bG8=?=", NULL, bad64);               /* outside the alphabet */
  check_decode("=?base64?SGVs bG8=?=", NULL, bad64);
  check_decode("=?base64?SGVsbG8-?=", NULL, bad64);                  /* base64url is not standard */
  check_decode("=?base64?SG=sbG8=?=", NULL, bad64);                  /* '=' inside */
  check_decode("=?base64?SGVs=bG8?=", NULL, bad64);
  check_decode("=?base64?S===?=", NULL, bad64);
  check_decode("=?base64?=?=", NULL, bad64);
  check_decode("caf\xc3\xa9", NULL, badch);                          /* raw non-ASCII */
  check_decode("a\rb", NULL, badch);
  check_decode("a\nb", NULL, badch);
  check_decode("a\x7f", NULL, badch);
  /* the length, not a NUL, ends the value; a NUL inside is invalid */
  char out[8];
  const char *why = NULL;
  CHECK_INT(mcp_header_decode("ab\0cd", 5, out, sizeof out, &why), -1);
  CHECK_INT(mcp_header_decode("=?base64?YQBi?=", 15, out, sizeof out, NULL), 3);
  CHECK(memcmp(out, "a\0b", 3) == 0);
  /* out too small: -2, never written past outlen */
  char tiny[5] = {'#', '#', '#', '#', '#'};
  CHECK_INT(mcp_header_decode("Hello", 5, tiny, 4, &why), -2);
  CHECK_INT(tiny[4], '#');
  CHECK_INT(mcp_header_decode("=?base64?SGVsbG8=?=", 19, tiny, 4, &why), -2);
  CHECK_INT(tiny[4], '#');
  CHECK_INT(mcp_header_decode("=?base64?SGVsbA==?=", 19, tiny, 5, &why), 4);
  CHECK_STR(tiny, "Hell");
}

static void check_from_json(const char *json, int want_rc, const char *want) {
  cJSON *v = cJSON_Parse(json);
  CHECK(v != NULL);
  char out[64] = "";
  CHECK_INT(mcp_header_from_json(v, out, sizeof out), want_rc);
  if (want_rc == 0)
    CHECK_STR(out, want);
  cJSON_Delete(v);
}

static void test_from_json(void) {
  check_from_json("\"us-west1\"", 0, "us-west1");
  check_from_json("\"\"", 0, "");
  check_from_json("42", 0, "42");
  check_from_json("-7", 0, "-7");
  check_from_json("0", 0, "0");
  check_from_json("-0", 0, "0");
  check_from_json("42.0", 0, "42");
  check_from_json("1e3", 0, "1000");
  check_from_json("9007199254740991", 0, "9007199254740991");
  check_from_json("-9007199254740991", 0, "-9007199254740991");
  check_from_json("9007199254740993", -1, NULL); /* beyond 2^53-1: not exact */
  check_from_json("true", 0, "true");
  check_from_json("false", 0, "false");
  check_from_json("3.14159", -1, NULL);
  check_from_json("null", -1, NULL);
  check_from_json("{}", -1, NULL);
  check_from_json("[1]", -1, NULL);
  cJSON *s = cJSON_CreateString("longer than four");
  char out[4];
  CHECK_INT(mcp_header_from_json(s, out, sizeof out), -2);
  cJSON_Delete(s);
}

/* ---- annotations ---- */

static int annotations_of(const char *schema_json, mcp_param_annotation *out, size_t max, size_t *n,
                          char *why, size_t whylen) {
  cJSON *schema = cJSON_Parse(schema_json);
  CHECK(schema != NULL);
  int rc = mcp_header_annotations(schema, out, max, n, why, whylen);
  cJSON_Delete(schema);
  return rc;
}

/* An invalid schema: -1 and a reason citing the rule. */
static void check_invalid(const char *schema_json, const char *rule) {
  mcp_param_annotation anns[4];
  size_t n = 0;
  char why[MCPWIRE_MCP_HEADER_WHY_MAX] = "";
  CHECK_INT(annotations_of(schema_json, anns, 4, &n, why, sizeof why), -1);
  if (!strstr(why, rule))
    fprintf(stderr, "schema %s: why \"%s\" does not cite %s\n", schema_json, why, rule);
  CHECK(strstr(why, rule) != NULL);
}

static void test_annotations_valid(void) {
  mcp_param_annotation anns[8];
  size_t n = 0;
  char why[MCPWIRE_MCP_HEADER_WHY_MAX];
  const char *schema =
      "{\"type\":\"object\",\"properties\":{"
      "\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},"
      "\"query\":{\"type\":\"string\"},"
      "\"priority\":{\"type\":\"integer\",\"x-mcp-header\":\"Priority\"},"
      "\"cfg\":{\"type\":\"object\",\"properties\":{\"dry\":{\"type\":\"boolean\",\"x-mcp-header\":\"Dry-Run\"}}},"
      "\"x-mcp-header\":{\"type\":\"string\"}},"
      "\"$defs\":{\"x-mcp-header\":{\"type\":\"string\"}},"
      "\"default\":{\"x-mcp-header\":\"not a schema\"},"
      "\"examples\":[{\"x-mcp-header\":\"data\"}],"
      "\"required\":[\"region\"]}";
  CHECK_INT(annotations_of(schema, anns, 8, &n, why, sizeof why), 0);
  CHECK_INT(n, 3);
  CHECK_STR(anns[0].name, "Region");
  CHECK_INT(anns[0].depth, 1);
  CHECK_STR(anns[0].path[0], "region");
  CHECK_INT(anns[0].type, MCP_PARAM_STRING);
  CHECK_STR(anns[1].name, "Priority");
  CHECK_INT(anns[1].type, MCP_PARAM_INTEGER);
  CHECK_STR(anns[2].name, "Dry-Run");
  CHECK_INT(anns[2].depth, 2);
  CHECK_STR(anns[2].path[0], "cfg");
  CHECK_STR(anns[2].path[1], "dry");
  CHECK_INT(anns[2].type, MCP_PARAM_BOOLEAN);
  CHECK_INT(annotations_of("{\"type\":\"object\"}", anns, 8, &n, why, sizeof why), 0);
  CHECK_INT(n, 0);
  CHECK_INT(annotations_of("true", anns, 8, &n, why, sizeof why), 0);
  CHECK_INT(n, 0);
  /* every tchar is allowed */
  CHECK_INT(annotations_of("{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":"
                           "\"!#$%&'*+-.^_`|~09azAZ\"}}}", anns, 8, &n, why, sizeof why), 0);
}

static void test_annotations_invalid(void) {
#define PROP(ann, type) "{\"properties\":{\"p\":{\"type\":\"" type "\",\"x-mcp-header\":" ann "}}}"
  check_invalid(PROP("\"\"", "string"), "PARAM-05(1)");
  check_invalid(PROP("42", "string"), "PARAM-05(1)");
  check_invalid(PROP("\"My Header\"", "string"), "PARAM-05(2)");
  check_invalid(PROP("\"A:B\"", "string"), "PARAM-05(2)");
  check_invalid(PROP("\"R\\u00e9gion\"", "string"), "PARAM-05(2)");
  check_invalid(PROP("\"A\\r\\nB\"", "string"), "PARAM-05(2)");
  check_invalid(PROP("\"A\\tB\"", "string"), "PARAM-05(2)");
  check_invalid(PROP("\"A(B)\"", "string"), "PARAM-05(2)");
  check_invalid(PROP("\"X\"", "number"), "PARAM-05(4)");
  check_invalid(PROP("\"X\"", "object"), "PARAM-05(4)");
  check_invalid(PROP("\"X\"", "array"), "PARAM-05(4)");
  check_invalid(PROP("\"X\"", "null"), "PARAM-05(4)");
  check_invalid("{\"properties\":{\"p\":{\"x-mcp-header\":\"X\"}}}", "PARAM-05(4)");
  check_invalid("{\"properties\":{\"p\":{\"type\":[\"string\",\"null\"],\"x-mcp-header\":\"X\"}}}",
                "PARAM-05(4)");
  check_invalid("{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},"
                "\"b\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"}}}", "PARAM-05(3)");
  check_invalid("{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},"
                "\"b\":{\"type\":\"object\",\"properties\":{\"c\":{\"type\":\"string\",\"x-mcp-header\":\"rEGION\"}}}}}",
                "PARAM-05(3)");
  check_invalid("{\"properties\":{\"list\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"x-mcp-header\":\"X\"}}}}",
                "PARAM-05(6)");
  check_invalid("{\"properties\":{\"a\":{\"oneOf\":[{\"type\":\"string\",\"x-mcp-header\":\"X\"}]}}}", "PARAM-05(6)");
  check_invalid("{\"anyOf\":[{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"X\"}}}]}", "PARAM-05(6)");
  check_invalid("{\"allOf\":[{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"X\"}}}]}", "PARAM-05(6)");
  check_invalid("{\"not\":{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"X\"}}}}", "PARAM-05(6)");
  check_invalid("{\"if\":{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"X\"}}}}", "PARAM-05(6)");
  check_invalid("{\"properties\":{\"a\":{\"$ref\":\"#/$defs/r\"}},"
                "\"$defs\":{\"r\":{\"type\":\"string\",\"x-mcp-header\":\"X\"}}}", "PARAM-05(6)");
  check_invalid("{\"additionalProperties\":{\"type\":\"string\",\"x-mcp-header\":\"X\"}}", "PARAM-05(6)");
  check_invalid("{\"patternProperties\":{\"^a\":{\"type\":\"string\",\"x-mcp-header\":\"X\"}}}", "PARAM-05(6)");
  check_invalid("{\"type\":\"string\",\"x-mcp-header\":\"X\"}", "PARAM-05(6)");
#undef PROP
}

static void test_annotations_caps(void) {
  mcp_param_annotation anns[1];
  size_t n = 0;
  char why[MCPWIRE_MCP_HEADER_WHY_MAX];
  /* more annotations than room: a limit, not a verdict */
  CHECK_INT(annotations_of("{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"A\"},"
                           "\"b\":{\"type\":\"string\",\"x-mcp-header\":\"B\"}}}", anns, 1, &n, why, sizeof why), -2);
  CHECK(strstr(why, "limit") != NULL);
  /* an annotation deeper than MCPWIRE_MCP_PARAM_DEPTH_MAX properties */
  char deep[2048] = "";
  size_t o = 0;
  for (int i = 0; i <= MCPWIRE_MCP_PARAM_DEPTH_MAX; i++)
    o += (size_t)snprintf(deep + o, sizeof deep - o, "{\"properties\":{\"k\":");
  o += (size_t)snprintf(deep + o, sizeof deep - o, "{\"type\":\"string\",\"x-mcp-header\":\"D\"}");
  for (int i = 0; i <= MCPWIRE_MCP_PARAM_DEPTH_MAX; i++)
    o += (size_t)snprintf(deep + o, sizeof deep - o, "}}");
  CHECK_INT(annotations_of(deep, anns, 1, &n, why, sizeof why), -2);
}

/* ---- the header/body check ---- */

typedef struct header_set {
  const char *names[16];
  const char *values[16];
  size_t count;
} header_set;

static const char *lookup(void *arg, const char *name, size_t *len) {
  header_set *h = arg;
  for (size_t i = 0; i < h->count; i++)
    if (!strcasecmp(h->names[i], name)) {
      *len = strlen(h->values[i]);
      return h->values[i];
    }
  return NULL;
}

static void put(header_set *h, const char *name, const char *value) {
  for (size_t i = 0; i < h->count; i++)
    if (!strcasecmp(h->names[i], name)) {
      h->values[i] = value;
      return;
    }
  h->names[h->count] = name;
  h->values[h->count++] = value;
}

static void drop(header_set *h, const char *name) {
  for (size_t i = 0; i < h->count; i++)
    if (!strcasecmp(h->names[i], name)) {
      h->names[i] = h->names[--h->count];
      h->values[i] = h->values[h->count];
      return;
    }
}

#define META "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"," \
             "\"io.modelcontextprotocol/clientCapabilities\":{}}"
static const char *TOOL_SCHEMA =
    "{\"type\":\"object\",\"properties\":{"
    "\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},"
    "\"priority\":{\"type\":\"integer\",\"x-mcp-header\":\"Priority\"},"
    "\"verbose\":{\"type\":\"boolean\",\"x-mcp-header\":\"Verbose\"},"
    "\"cfg\":{\"type\":\"object\",\"properties\":{\"zone\":{\"type\":\"string\",\"x-mcp-header\":\"Zone\"}}},"
    "\"query\":{\"type\":\"string\"}}}";

/* The request every check case starts from, with its correct headers. */
static header_set good_call(void) {
  header_set h = {{0}, {0}, 0};
  put(&h, "MCP-Protocol-Version", "2026-07-28");
  put(&h, "Mcp-Method", "tools/call");
  put(&h, "Mcp-Name", "execute_sql");
  put(&h, "Mcp-Param-Region", "us-west1");
  put(&h, "Mcp-Param-Priority", "42");
  put(&h, "Mcp-Param-Zone", "=?base64?SGVsbG8sIOS4lueVjA==?=");
  return h;
}

static const char *GOOD_CALL =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{" META ","
    "\"name\":\"execute_sql\",\"arguments\":{\"region\":\"us-west1\",\"priority\":42,\"verbose\":null,"
    "\"cfg\":{\"zone\":\"Hello, \xe4\xb8\x96\xe7\x95\x8c\"},\"query\":\"SELECT 1\"}}}";

static mcp_mirror_status run_check(const char *body_json, const char *schema_json, header_set *h,
                                   char *why, size_t whylen) {
  cJSON *body = cJSON_Parse(body_json);
  cJSON *schema = schema_json ? cJSON_Parse(schema_json) : NULL;
  CHECK(body != NULL);
  mcp_mirror_status s = mcp_header_check(body, schema, lookup, h, why, whylen);
  cJSON_Delete(body);
  cJSON_Delete(schema);
  return s;
}

static void expect(const char *body, header_set h, mcp_mirror_status want, const char *why_has) {
  char why[MCPWIRE_MCP_HEADER_WHY_MAX] = "";
  mcp_mirror_status s = run_check(body, TOOL_SCHEMA, &h, why, sizeof why);
  if (s != want || (why_has && !strstr(why, why_has)))
    fprintf(stderr, "check: got %s (%s), expected %s with \"%s\"\n", mcp_mirror_status_name(s), why,
            mcp_mirror_status_name(want), why_has ? why_has : "");
  CHECK_INT(s, want);
  if (why_has)
    CHECK(strstr(why, why_has) != NULL);
  CHECK(strchr(why, '\n') == NULL);
}

static void test_check_accepts(void) {
  expect(GOOD_CALL, good_call(), MCP_MIRROR_OK, NULL);
  header_set h = good_call();
  put(&h, "mcp-name", "=?base64?ZXhlY3V0ZV9zcWw=?=");   /* an encoded safe value is fine */
  put(&h, "MCP-PARAM-REGION", "  us-west1 ");           /* names ignore case, OWS dropped */
  put(&h, "Mcp-Param-Priority", "42.0");                /* numeric comparison, S26-HDR-12 */
  put(&h, "Mcp-Param-Verbose", "whatever");             /* null argument: not expected, not compared */
  expect(GOOD_CALL, h, MCP_MIRROR_OK, NULL);
  h = good_call();
  put(&h, "Mcp-Param-Priority", "0042");
  expect(GOOD_CALL, h, MCP_MIRROR_OK, NULL);
  /* absent arguments need no header (PARAM-10) */
  h = good_call();
  drop(&h, "Mcp-Param-Region");
  drop(&h, "Mcp-Param-Priority");
  drop(&h, "Mcp-Param-Zone");
  expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{" META ","
         "\"name\":\"execute_sql\",\"arguments\":{\"query\":\"x\"}}}", h, MCP_MIRROR_OK, NULL);
  /* an argument that cannot be mirrored (an object, a fraction) is left to
   * argument validation: no header demanded */
  h = good_call();
  drop(&h, "Mcp-Param-Region");
  drop(&h, "Mcp-Param-Priority");
  expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{" META ","
         "\"name\":\"execute_sql\",\"arguments\":{\"region\":{\"a\":1},\"priority\":4.5,"
         "\"cfg\":{\"zone\":\"Hello, \xe4\xb8\x96\xe7\x95\x8c\"}}}}", h, MCP_MIRROR_OK, NULL);
  /* the literal sentinel look-alike of S26-B64-07 */
  h = good_call();
  put(&h, "Mcp-Param-Region", "=?base64?SGVsbG8=");
  expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{" META ","
         "\"name\":\"execute_sql\",\"arguments\":{\"region\":\"=?base64?SGVsbG8=\",\"priority\":42,"
         "\"cfg\":{\"zone\":\"Hello, \xe4\xb8\x96\xe7\x95\x8c\"}}}}", h, MCP_MIRROR_OK, NULL);
  /* a request without Mcp-Name, and resources/read by uri */
  header_set l = {{0}, {0}, 0};
  put(&l, "MCP-Protocol-Version", "2026-07-28");
  put(&l, "Mcp-Method", "tools/list");
  expect("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/list\",\"params\":{" META "}}", l, MCP_MIRROR_OK, NULL);
  put(&l, "Mcp-Method", "resources/read");
  put(&l, "Mcp-Name", "=?base64?ZmlsZTovLy9kYXRhL8O8bsOvLnR4dA==?=");
  expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"resources/read\",\"params\":{" META ","
         "\"uri\":\"file:///data/\xc3\xbcn\xc3\xaf.txt\"}}", l, MCP_MIRROR_OK, NULL);
  /* a notification is held only to the headers it carries (S26-HDR-13) */
  header_set none = {{0}, {0}, 0};
  expect("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{}}", none, MCP_MIRROR_OK, NULL);
  /* a body without _meta protocolVersion is the body's error (-32602), not compared */
  put(&l, "Mcp-Method", "tools/list");
  drop(&l, "Mcp-Name");
  expect("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{}}", l, MCP_MIRROR_OK, NULL);
}

static void test_check_rejects(void) {
  header_set h = good_call();
  drop(&h, "MCP-Protocol-Version");
  expect(GOOD_CALL, h, MCP_MIRROR_VERSION_MISSING, "MCP-Protocol-Version header missing");
  h = good_call();
  put(&h, "MCP-Protocol-Version", "1900-01-01");
  expect(GOOD_CALL, h, MCP_MIRROR_MISMATCH, "\"1900-01-01\" does not match body params._meta protocolVersion \"2026-07-28\"");
  h = good_call();
  drop(&h, "Mcp-Method");
  expect(GOOD_CALL, h, MCP_MIRROR_METHOD_MISSING, "Mcp-Method header missing");
  h = good_call();
  put(&h, "Mcp-Method", "TOOLS/CALL"); /* values are case-sensitive */
  expect(GOOD_CALL, h, MCP_MIRROR_MISMATCH, "Mcp-Method header \"TOOLS/CALL\"");
  h = good_call();
  drop(&h, "Mcp-Name");
  expect(GOOD_CALL, h, MCP_MIRROR_NAME_MISSING, "Mcp-Name header missing");
  h = good_call();
  put(&h, "Mcp-Name", "wrong_tool");
  expect(GOOD_CALL, h, MCP_MIRROR_MISMATCH, "Mcp-Name header \"wrong_tool\" does not match body params.name \"execute_sql\"");
  h = good_call();
  put(&h, "Mcp-Name", "ex\xc3\xa9");
  expect(GOOD_CALL, h, MCP_MIRROR_INVALID_CHARS, "Mcp-Name: invalid character in header value: \"ex\\xc3\\xa9\"");
  h = good_call();
  put(&h, "Mcp-Name", "=?base64?ZXhlY3V0ZV9zcWw?=");
  expect(GOOD_CALL, h, MCP_MIRROR_BAD_BASE64, "malformed base64");
  h = good_call();
  put(&h, "MCP-Protocol-Version", "=?base64?MjAyNi0wNy0yOA==?="); /* no Base64 for the version */
  expect(GOOD_CALL, h, MCP_MIRROR_MISMATCH, "MCP-Protocol-Version");
  h = good_call();
  drop(&h, "Mcp-Param-Region");
  expect(GOOD_CALL, h, MCP_MIRROR_PARAM_MISSING, "Mcp-Param-Region header missing while the body has argument \"region\"");
  h = good_call();
  put(&h, "Mcp-Param-Region", "eu-west1");
  expect(GOOD_CALL, h, MCP_MIRROR_MISMATCH, "Mcp-Param-Region header \"eu-west1\" does not match body argument \"region\" \"us-west1\"");
  h = good_call();
  put(&h, "Mcp-Param-Priority", "43");
  expect(GOOD_CALL, h, MCP_MIRROR_MISMATCH, "Mcp-Param-Priority");
  h = good_call();
  put(&h, "Mcp-Param-Priority", "42.5");
  expect(GOOD_CALL, h, MCP_MIRROR_MISMATCH, "Mcp-Param-Priority");
  h = good_call();
  put(&h, "Mcp-Param-Priority", "4.2e1");
  expect(GOOD_CALL, h, MCP_MIRROR_MISMATCH, "Mcp-Param-Priority");
  h = good_call();
  put(&h, "Mcp-Param-Zone", "Hello, \xe4\xb8\x96\xe7\x95\x8c"); /* raw UTF-8: PARAM-11 */
  expect(GOOD_CALL, h, MCP_MIRROR_INVALID_CHARS, "Mcp-Param-Zone");
  h = good_call();
  put(&h, "Mcp-Param-Zone", "=?BASE64?SGVsbG8sIOS4lueVjA==?="); /* a literal: mismatch, S26-B64-03 */
  expect(GOOD_CALL, h, MCP_MIRROR_MISMATCH, "Mcp-Param-Zone");
  h = good_call();
  put(&h, "Mcp-Param-Zone", "=?base64?SGVs!!!bG8=?=");
  expect(GOOD_CALL, h, MCP_MIRROR_BAD_BASE64, "Mcp-Param-Zone: malformed base64 in sentinel");
  h = good_call();
  put(&h, "Mcp-Param-Verbose", "=?base64?SGVsbG8?="); /* a recognised header must decode, even unneeded */
  expect(GOOD_CALL, h, MCP_MIRROR_BAD_BASE64, "Mcp-Param-Verbose");
  /* a notification's present headers still must match */
  header_set n = {{0}, {0}, 0};
  put(&n, "Mcp-Method", "notifications/other");
  expect("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\"}", n, MCP_MIRROR_MISMATCH, "Mcp-Method");
  /* not a request at all */
  expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", n, MCP_MIRROR_NOT_REQUEST, "string method");
  expect("[1]", n, MCP_MIRROR_NOT_REQUEST, NULL);
}

static void test_check_schema_problems(void) {
  header_set h = good_call();
  char why[MCPWIRE_MCP_HEADER_WHY_MAX];
  CHECK_INT(run_check(GOOD_CALL, "{\"properties\":{\"p\":{\"type\":\"number\",\"x-mcp-header\":\"P\"}}}", &h,
                      why, sizeof why), MCP_MIRROR_BAD_SCHEMA);
  CHECK(strstr(why, "PARAM-05(4)") != NULL);
  /* params are only checked for tools/call with a schema */
  CHECK_INT(run_check(GOOD_CALL, NULL, &h, why, sizeof why), MCP_MIRROR_OK);
  CHECK(mcp_mirror_is_header_mismatch(MCP_MIRROR_PARAM_MISSING));
  CHECK(mcp_mirror_is_header_mismatch(MCP_MIRROR_BAD_BASE64));
  CHECK(!mcp_mirror_is_header_mismatch(MCP_MIRROR_OK));
  CHECK(!mcp_mirror_is_header_mismatch(MCP_MIRROR_BAD_SCHEMA));
  CHECK(!mcp_mirror_is_header_mismatch(MCP_MIRROR_LIMIT));
  CHECK_STR(mcp_mirror_status_name(MCP_MIRROR_BAD_BASE64), "bad-base64");
  CHECK_STR(mcp_mirror_status_name((mcp_mirror_status)99), "unknown");
}

/* ---- building: the client rule, checked by the server rule ---- */

/* Copies the emitted headers keep until free_set. */
static char *owned[64];
static size_t owned_count;

static const char *keep(const char *s) {
  char *copy = strdup(s);
  if (copy && owned_count < sizeof owned / sizeof *owned)
    owned[owned_count++] = copy;
  return copy;
}

static int collect(void *arg, const char *name, const char *value, size_t len) {
  header_set *h = arg;
  CHECK_INT(strlen(value), len);
  put(h, keep(name), keep(value));
  return 0;
}

static void free_set(header_set *h) {
  while (owned_count)
    free(owned[--owned_count]);
  h->count = 0;
}

static void test_build(void) {
  cJSON *body = cJSON_Parse(GOOD_CALL), *schema = cJSON_Parse(TOOL_SCHEMA);
  header_set h = {{0}, {0}, 0};
  char why[MCPWIRE_MCP_HEADER_WHY_MAX];
  CHECK_INT(mcp_header_build(body, schema, collect, &h, why, sizeof why), 0);
  CHECK_INT(h.count, 6);
  size_t len;
  CHECK_STR(lookup(&h, "MCP-Protocol-Version", &len), "2026-07-28");
  CHECK_STR(lookup(&h, "Mcp-Method", &len), "tools/call");
  CHECK_STR(lookup(&h, "Mcp-Name", &len), "execute_sql");
  CHECK_STR(lookup(&h, "Mcp-Param-Region", &len), "us-west1");
  CHECK_STR(lookup(&h, "Mcp-Param-Priority", &len), "42");
  CHECK_STR(lookup(&h, "Mcp-Param-Zone", &len), "=?base64?SGVsbG8sIOS4lueVjA==?=");
  CHECK(lookup(&h, "Mcp-Param-Verbose", &len) == NULL); /* null: no header */
  CHECK_INT(mcp_header_check(body, schema, lookup, &h, why, sizeof why), MCP_MIRROR_OK);
  free_set(&h);
  cJSON_Delete(body);
  /* a body that cannot be mirrored */
  body = cJSON_Parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}");
  CHECK_INT(mcp_header_build(body, NULL, collect, &h, why, sizeof why), -1);
  CHECK(strstr(why, "protocolVersion") != NULL);
  free_set(&h);
  cJSON_Delete(body);
  body = cJSON_Parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{" META "}}");
  CHECK_INT(mcp_header_build(body, NULL, collect, &h, why, sizeof why), -1);
  CHECK(strstr(why, "params.name") != NULL);
  free_set(&h);
  cJSON_Delete(body);
  cJSON_Delete(schema);
}

int main(void) {
  test_encode_vectors();
  test_decode_vectors();
  test_from_json();
  test_annotations_valid();
  test_annotations_invalid();
  test_annotations_caps();
  test_check_accepts();
  test_check_rejects();
  test_check_schema_problems();
  test_build();
  return CHECK_DONE("mcp_header_test");
}
