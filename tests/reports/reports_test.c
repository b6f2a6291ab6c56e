/* reports_test: one synthetic run with every verdict and hostile text,
 * written in every format and read back by independent parsers: the
 * project's strict JSON layer, JSON Schema (python3-jsonschema), xmllint.
 * Counts and escapes are checked too, so a writer that drops or mangles a
 * case fails here.
 *
 * argv: <docs/report.schema.json> <xmllint or "none"> <python3 or "none">.
 * MCPWIRE_REPORTS_KEEP=<dir> keeps the files there for a look. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "codec/utf8.h"
#include "mcpwire_limits.h"
#include "reports/report.h"
#include "reports/report_private.h"
#ifdef MCPWIRE_HAVE_JSONRPC
#include "codec/jsonrpc.h"
#endif

/* Hostile bytes: markup, a CDATA end, controls, an ANSI sequence, invalid
 * UTF-8, a UTF-8 surrogate, a noncharacter, and a remote image tag. */
#define NASTY "200 \"ok\" <b>&amp; ]]> \x01\x1b[31mred\x7f \xff\xfe bad \xed\xa0\x80 \xef\xbf\xbe " \
              "<img src=\"https://evil.example/x.png\">"
#define PIPE_REASON "server kept the session | after DELETE | twice\nsecond line"
/* A reason with a RIGHT-TO-LEFT OVERRIDE, a LINE SEPARATOR and an ALM. */
#define BIDI_REASON "refused \xe2\x80\xae" "gpj.exe\xe2\x80\xa8" "forged line \xd8\x9c" "end"
/* Each format must hold none of these byte sequences raw (JSON excepted). */
static const char *const REORDERING_UTF8[] = {"\xe2\x80\xae", "\xe2\x80\xa8", "\xd8\x9c"};

static const char *const REQ_DELETE[] = {"SHTTP-SESSION-10", "SHTTP-SESSION-11", NULL};
static const char *const REQ_ONE[] = {"SHTTP-SESSION-09", NULL};
static const char *const REQ_SSE[] = {"SSE-ENDPOINT-01", NULL};
static const char *const REQ_POST[] = {"SHTTP-POST-03", NULL};

/* ---- the synthetic run ---- */

static char *copy_text(const char *s) { return s ? strdup(s) : NULL; }

static case_result make_case(const char *id, const char *section, level l, const char *const *req,
                             verdict v, const char *reason) {
  case_result c;
  memset(&c, 0, sizeof c);
  c.id = id;
  c.title = "a title with <markup> & \"quotes\"";
  c.section = section;
  c.spec_ref = "basic/transports#session-management";
  c.transport = "http";
  c.level = l;
  c.requirements = req;
  c.verdict = v;
  c.reason = copy_text(reason);
  c.duration_ms = 12.5;
  return c;
}

static void set_transcript(case_result *c, const char *text, size_t len) {
  c->transcript = malloc(len + 1);
  memcpy(c->transcript, text, len);
  c->transcript[len] = '\0';
  c->transcript_len = len;
}

/* A transcript past MCPWIRE_TRANSCRIPT_MAX with NUL bytes and CRLFs. */
static void set_long_transcript(case_result *c) {
  static const char unit[] = "> POST /mcp HTTP/1.1\r\n< data: " NASTY "\r\n\0";
  size_t len = MCPWIRE_TRANSCRIPT_MAX + 100, off = 0;
  c->transcript = malloc(len + 1);
  for (; off < len; off += sizeof unit - 1)
    memcpy(c->transcript + off, unit, len - off < sizeof unit - 1 ? len - off : sizeof unit - 1);
  c->transcript[len] = '\0';
  c->transcript_len = len;
}

enum { NCASES = 8 };

/* Order interleaves sections so grouping is exercised. */
static void make_run(run_result *r, int strict) {
  memset(r, 0, sizeof *r);
  r->target = copy_text("http://127.0.0.1:3000/mcp?x=<y>&z");
  r->profile.transport = copy_text("http");
  r->profile.spec = copy_text("2025-11-25");
  r->profile.detected = 1;
  r->profile.evidence = copy_text("initialize 2025-11-25 -> 200\nprotocolVersion echoed: 2025-11-25");
  r->started_at = copy_text("2026-11-22T05:00:00Z");
  r->duration_ms = 1234.5;
  r->tool_version = "0.1.0";
  r->strict = strict;
  r->cases = calloc(NCASES, sizeof *r->cases);
  r->ncases = NCASES;
  case_result *c = r->cases;
  c[0] = make_case("http/session/unknown-id-404", "http/session", LEVEL_MUST, REQ_ONE, VERDICT_PASS, NULL);
  set_transcript(&c[0], "> DELETE /mcp\r\n< HTTP/1.1 404\r\n", 31);
  c[1] = make_case("sse/endpoint/first-event", "sse/endpoint", LEVEL_SHOULD, REQ_SSE, VERDICT_WARN,
                   "endpoint event came late (1200 ms) <warn-marker>");
  set_transcript(&c[1], "< event: endpoint\n< data: /messages?s=1\n", 40);
  c[2] = make_case("http/session/delete-ends", "http/session", LEVEL_MUST, REQ_DELETE, VERDICT_FAIL, PIPE_REASON);
  c[2].expected = copy_text("HTTP 404 for the deleted session");
  c[2].actual = copy_text(NASTY);
  set_long_transcript(&c[2]);
  c[3] = make_case("http/post/accept-both", "http/post", LEVEL_MUST, REQ_POST, VERDICT_ERROR,
                   BIDI_REASON);
  c[4] = make_case("sse/endpoint/relative-uri", "sse/endpoint", LEVEL_MAY, REQ_SSE, VERDICT_SKIP,
                   "server sent an absolute URI");
  c[5] = make_case("http/post/json-response", "http/post", LEVEL_MUST, REQ_POST, VERDICT_FAIL,
                   "excused-marker: known bug");
  c[5].in_baseline = 1;
  c[3].duration_ms = -3.0; /* a clock step */
  c[4].duration_ms = NAN;
  c[6] = make_case("http/get/sse-or-405", "http/get", LEVEL_INFO, NULL, VERDICT_PASS, NULL);
  c[6].in_baseline = 1; /* listed, passes now: the engine marks it and names it fixed */
  c[7] = make_case("sse-wire/crlf-split", "sse-wire", LEVEL_SHOULD, NULL, VERDICT_WARN, NULL);
  c[7].transcript_truncated = 1;
  set_transcript(&c[7], "x", 1);
  /* A passing case during which the target sent a broken envelope: the
   * case stays a pass, the problem is listed with hostile bytes. */
  c[0].envelope_messages = 3;
  c[0].envelope_dropped = 2;
  c[0].envelope = calloc(1, sizeof *c[0].envelope);
  c[0].envelope[0] = (envelope_problem){.rule = "JSONRPC-09", .level = LEVEL_MUST,
                                        .where = copy_text("#2 POST http://h/mcp | SSE event id=<7>"),
                                        .reason = copy_text("has both | \"result\" and \"error\""),
                                        .excerpt = copy_text("{\"result\":{},\"error\":\"" NASTY "\"}"),
                                        .excerpt_offset = 0, .message_len = 500};
  c[0].nenvelope = 1;
  r->baseline_fixed = calloc(1, sizeof *r->baseline_fixed);
  r->baseline_fixed[0] = copy_text("http/get/sse-or-405");
  r->nbaseline_fixed = 1;
}

static void free_run(run_result *r) {
  for (size_t i = 0; i < r->ncases; i++) {
    free(r->cases[i].expected), free(r->cases[i].actual);
    free(r->cases[i].reason), free(r->cases[i].transcript);
    for (size_t k = 0; k < r->cases[i].nenvelope; k++) {
      free(r->cases[i].envelope[k].where), free(r->cases[i].envelope[k].reason);
      free(r->cases[i].envelope[k].excerpt);
    }
    free(r->cases[i].envelope);
  }
  free(r->cases);
  for (size_t i = 0; i < r->nbaseline_fixed; i++)
    free(r->baseline_fixed[i]);
  free(r->baseline_fixed);
  free(r->target), free(r->started_at);
  free(r->profile.transport), free(r->profile.spec), free(r->profile.evidence);
}

/* ---- helpers ---- */

static char tmpdir[64];
static char *xmllint_path, *python_path, *schema_path;

static void path_in(char *out, size_t n, const char *name) { snprintf(out, n, "%s/%s", tmpdir, name); }

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  dynbuf b;
  dynbuf_init(&b, 64u * 1024 * 1024);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    dynbuf_add(&b, chunk, n);
  fclose(f);
  *len = b.len;
  char *s = dynbuf_take(&b);
  return s ? s : calloc(1, 1);
}

static size_t count(const char *hay, const char *needle) {
  size_t n = 0, k = strlen(needle);
  for (const char *p = strstr(hay, needle); p; p = strstr(p + k, needle))
    n++;
  return n;
}

/* Exit status of a shell command, -1 when it could not run. */
static int run_cmd(const char *cmd) {
  int st = system(cmd);
  return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

static int valid_utf8(const char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    long cp;
    i += utf8_next((const unsigned char *)s + i, len - i, &cp);
    if (cp < 0)
      return 0;
  }
  return 1;
}

/* XML 1.0 forbids these bytes anywhere; we also keep raw CR out. */
static size_t forbidden_bytes(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    n += (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F;
  }
  return n;
}

/* No bidirectional control or line separator left raw in a document. */
static int holds_reordering_raw(const char *doc) {
  for (size_t i = 0; i < sizeof REORDERING_UTF8 / sizeof REORDERING_UTF8[0]; i++)
    if (strstr(doc, REORDERING_UTF8[i]))
      return 1;
  return 0;
}

/* ---- JSON ---- */

static const char PY_CHECK[] =
    "import json,sys\n"
    "doc=json.load(open(sys.argv[2],encoding='utf-8'))\n"
    "s=doc['summary']\n"
    "assert s['total']==len(doc['cases'])==sum(s[k] for k in ('pass','fail','warn','skip','error')),'counts'\n"
    "try:\n import jsonschema\nexcept ImportError:\n sys.exit(3)\n"
    "V=jsonschema.Draft202012Validator\n"
    "schema=json.load(open(sys.argv[1],encoding='utf-8'))\n"
    "V.check_schema(schema)\n"
    "V(schema).validate(doc)\n"
    "def bad(f):\n d=json.loads(json.dumps(doc)); f(d); return V(schema).is_valid(d)\n"
    "assert not bad(lambda d:d['cases'][0].__setitem__('verdict','passed')),'bad verdict accepted'\n"
    "assert not bad(lambda d:d['summary'].pop('fail')),'missing count accepted'\n"
    "assert not bad(lambda d:d.__setitem__('schema','mcpwire-report/2')),'wrong schema id accepted'\n"
    "assert not bad(lambda d:d['cases'][0].__setitem__('extra',1)),'unknown case field accepted'\n"
    "p=doc['cases'][0]['envelope']['problems'][0]\n"
    "assert p['rule']=='JSONRPC-09' and p['level']=='MUST' and p['message_bytes']==500,'envelope'\n"
    "assert doc['summary']['envelope']=={'messages':3,'problems':1,'must':1,'problems_dropped':2,'cases':1}\n"
    "assert not bad(lambda d:d['cases'][0]['envelope']['problems'][0].__setitem__('level','MAY')),'bad level accepted'\n";

static void json_checks_with_python(const char *path) {
  if (!python_path || !*python_path) {
    fprintf(stderr, "reports_test: SKIP JSON Schema check: python3 not found\n");
    return;
  }
  char script[256], cmd[1024];
  path_in(script, sizeof script, "check.py");
  FILE *f = fopen(script, "w");
  CHECK(f != NULL);
  if (!f)
    return;
  fputs(PY_CHECK, f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' '%s'", python_path, script, schema_path, path);
  int rc = run_cmd(cmd);
  if (rc == 3)
    fprintf(stderr, "reports_test: SKIP JSON Schema check: install python3-jsonschema "
                    "(the report still parsed as JSON with matching counts)\n");
  else
    CHECK_INT(rc, 0);
}

#ifdef MCPWIRE_HAVE_JSONRPC
static void json_checks_with_strict_parser(const char *doc, size_t len) {
  jsonrpc_msg *m = jsonrpc_parse(doc, len);
  CHECK(m != NULL);
  if (!m)
    return;
  CHECK_INT(jsonrpc_is_json(m), 1);
  double d = -1;
  CHECK(jsonrpc_get_number(m, "summary.fail", &d) && d == 2);
  CHECK(jsonrpc_get_number(m, "summary.blocking", &d) && d == 2);
  CHECK_INT(jsonrpc_get_count(m, "cases"), NCASES);
  const char *reason = jsonrpc_get_string(m, "cases[2].reason");
  CHECK_STR(reason, PIPE_REASON);
  /* JSON stays exact: the reordering characters decode to themselves. */
  CHECK_STR(jsonrpc_get_string(m, "cases[3].reason"), BIDI_REASON);
  CHECK(jsonrpc_get_number(m, "cases[2].transcript_omitted_bytes", &d) && d == 0);
  /* Controls survive as escapes; invalid UTF-8 reads back as U+FFFD. */
  CHECK_STR(jsonrpc_get_string(m, "cases[2].actual"),
            "200 \"ok\" <b>&amp; ]]> \x01\x1b[31mred\x7f \xef\xbf\xbd\xef\xbf\xbd bad "
            "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbe <img src=\"https://evil.example/x.png\">");
  CHECK(jsonrpc_get_type(m, "cases[0].expected") == JSONRPC_T_NULL);
  CHECK(jsonrpc_get_type(m, "cases[2].transcript_truncated") == JSONRPC_T_TRUE);
  CHECK_STR(jsonrpc_get_string(m, "cases[0].envelope.problems[0].where"),
            "#2 POST http://h/mcp | SSE event id=<7>");
  CHECK(jsonrpc_get_number(m, "cases[0].envelope.problems_dropped", &d) && d == 2);
  CHECK(jsonrpc_get_number(m, "cases[1].envelope.messages", &d) && d == 0);
  CHECK_INT(jsonrpc_get_count(m, "cases[1].envelope.problems"), 0);
  jsonrpc_free(m);
}
#endif

static void json_report_round_trips(const run_result *r) {
  char path[128];
  path_in(path, sizeof path, "report.json");
  CHECK_INT(report_write_json(r, path), 0);
  size_t len = 0;
  char *doc = slurp(path, &len);
  CHECK(doc != NULL);
  if (!doc)
    return;
  CHECK(valid_utf8(doc, len));
  CHECK(strstr(doc, "\"schema\": \"mcpwire-report/1\"") != NULL);
  CHECK(strstr(doc, "\"total\": 8,") && strstr(doc, "\"fail\": 2,") && strstr(doc, "\"warn\": 2,"));
  CHECK(strstr(doc, "\"baseline_excused\": 1,") != NULL);
  CHECK(strstr(doc, "\"baseline_fixed\": [\"http/get/sse-or-405\"]") != NULL);
  /* Escapes: control as \u0001, ESC as \u001b, NUL in the transcript. */
  CHECK(strstr(doc, "\\u0001\\u001b[31mred\\u007f") || strstr(doc, "\\u0001\\u001b[31mred\x7f"));
  CHECK(strstr(doc, "\\u0000") != NULL);
  CHECK(strstr(doc, "\"transcript_truncated\": true") != NULL);
  CHECK_INT(count(doc, "\"transcript_truncated\": true"), 2);
  CHECK_INT(count(doc, "\"transcript_omitted_bytes\": 0\n"), NCASES); /* far under the budget */
  CHECK(strstr(doc, "\"duration_ms\": 0,") && strstr(doc, "\"duration_ms\": null,"));
  /* The transcript is clamped to its cap, escaped (so at most 6x). */
  CHECK(len < 6u * MCPWIRE_TRANSCRIPT_MAX + 65536);
#ifdef MCPWIRE_HAVE_JSONRPC
  json_checks_with_strict_parser(doc, len);
#else
  fprintf(stderr, "reports_test: SKIP strict JSON parse: mcpwire_jsonrpc not built yet\n");
#endif
  json_checks_with_python(path);
  free(doc);
}

/* ---- JUnit ---- */

static void xpath_counts_match(const char *path);

static void xmllint_accepts(const char *path, const char *mode) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "'%s' %s --noout '%s'", xmllint_path, mode, path);
  CHECK_INT(run_cmd(cmd), 0);
}

/* The check can fail: xmllint must reject a broken document. */
static void xmllint_rejects_broken_xml(void) {
  char path[128], cmd[1024];
  path_in(path, sizeof path, "broken.xml");
  FILE *f = fopen(path, "w");
  if (f) {
    fputs("<a><b>]]></b>\x01</a>", f);
    fclose(f);
  }
  snprintf(cmd, sizeof cmd, "'%s' --noout '%s' 2>/dev/null", xmllint_path, path);
  CHECK(run_cmd(cmd) > 0);
}

static void junit_report_is_valid_xml_with_right_counts(const run_result *r) {
  char path[128];
  path_in(path, sizeof path, "junit.xml");
  CHECK_INT(report_write_junit(r, path), 0);
  size_t len = 0;
  char *doc = slurp(path, &len);
  CHECK(doc != NULL);
  if (!doc)
    return;
  CHECK(valid_utf8(doc, len));
  CHECK_INT(forbidden_bytes(doc, len), 0);
  CHECK(strstr(doc, "]]>") == NULL); /* no CDATA, and none left raw */
  CHECK(strstr(doc, "<testsuites name=\"mcpwire\" tests=\"8\" failures=\"1\" errors=\"1\" skipped=\"2\"") != NULL);
  CHECK_INT(count(doc, "<testsuite "), 5);
  CHECK_INT(count(doc, "<testsuite name=\"http/session\" tests=\"2\" failures=\"1\" errors=\"0\""), 1);
  CHECK_INT(count(doc, "<testcase "), NCASES);
  CHECK_INT(count(doc, "<failure "), 1);
  CHECK_INT(count(doc, "<error "), 1);
  CHECK_INT(count(doc, "<skipped "), 2);
  CHECK(strstr(doc, "classname=\"mcpwire.http/session\" name=\"http/session/delete-ends\" time=\"0.013\"") ||
        strstr(doc, "classname=\"mcpwire.http/session\" name=\"http/session/delete-ends\" time=\"0.012\""));
  CHECK(strstr(doc, "<failure message=\"SHTTP-SESSION-10, SHTTP-SESSION-11: server kept the session | after "
                    "DELETE | twice&#10;second line\" type=\"MUST\">") != NULL);
  CHECK(strstr(doc, "actual: 200 &quot;ok&quot; &lt;b&gt;&amp;amp; ]]&gt; \xe2\x90\x81\xe2\x90\x9b[31mred") != NULL);
  CHECK(strstr(doc, "expected failure (baseline): SHTTP-POST-03: excused-marker") != NULL);
  CHECK(strstr(doc, "WARN\nrequirement: SSE-ENDPOINT-01") != NULL);
  CHECK(strstr(doc, "&lt;warn-marker&gt;") != NULL);
  CHECK(strstr(doc, "[transcript truncated]") != NULL);
  /* Reordering characters as references, in the message and the body. */
  CHECK(!holds_reordering_raw(doc));
  CHECK_INT(count(doc, "refused &#x202E;gpj.exe&#x2028;forged line &#x061C;end"), 2);
  if (xmllint_path && *xmllint_path) {
    xmllint_accepts(path, "");
    xmllint_rejects_broken_xml();
    xpath_counts_match(path);
  } else {
    fprintf(stderr, "reports_test: SKIP xmllint checks: install libxml2-utils\n");
  }
  free(doc);
}

static void junit_under_strict_turns_warnings_into_failures(void) {
  run_result r;
  make_run(&r, 1);
  char path[128];
  path_in(path, sizeof path, "junit-strict.xml");
  CHECK_INT(report_write_junit(&r, path), 0);
  CHECK_INT(report_blocking_count(&r), 4);
  size_t len = 0;
  char *doc = slurp(path, &len);
  CHECK(doc && strstr(doc, "tests=\"8\" failures=\"3\" errors=\"1\" skipped=\"2\""));
  CHECK(doc && count(doc, "type=\"SHOULD\"") == 2);
  free(doc);
  free_run(&r);
}

/* ---- HTML ---- */

/* Every attribute of every real tag: no src/href/url to anywhere. Hostile
 * '<' are escaped, so each raw '<' starts a tag we wrote. */
static size_t external_references(const char *doc) {
  size_t n = 0;
  for (const char *p = strchr(doc, '<'); p; p = strchr(p + 1, '<')) {
    const char *end = strchr(p, '>');
    if (!end)
      return n + 1;
    size_t k = (size_t)(end - p);
    char tag[4096];
    if (k >= sizeof tag)
      k = sizeof tag - 1;
    memcpy(tag, p, k);
    tag[k] = '\0';
    n += strstr(tag, "src=") || strstr(tag, "href=") || strstr(tag, "url(") || strstr(tag, "action=");
  }
  const char *style = strstr(doc, "<style>"), *style_end = strstr(doc, "</style>");
  if (!style || !style_end)
    return n + 1;
  for (const char *q = style; q < style_end; q++)
    n += !strncmp(q, "url(", 4) || !strncmp(q, "@import", 7) || !strncmp(q, "http", 4);
  return n;
}

/* libxml2's HTML parser knows HTML 4 only: HTML5 tags are "invalid" there,
 * anything else it reports is a real error. */
static void html_parses_with_xmllint(const char *path) {
  char errs[128], cmd[1024];
  path_in(errs, sizeof errs, "html-errors.txt");
  snprintf(cmd, sizeof cmd, "'%s' --html --noout '%s' 2>'%s'", xmllint_path, path, errs);
  CHECK_INT(run_cmd(cmd), 0);
  size_t len = 0;
  char *log = slurp(errs, &len);
  size_t real = 0;
  for (char *line = log ? strtok(log, "\n") : NULL; line; line = strtok(NULL, "\n")) {
    if (!strstr(line, "error :"))
      continue;
    int html5 = strstr(line, "Tag details invalid") || strstr(line, "Tag summary invalid") ||
                strstr(line, "Tag header invalid") || strstr(line, "Tag section invalid");
    if (!html5) {
      fprintf(stderr, "xmllint --html: %s\n", line);
      real++;
    }
  }
  CHECK_INT(real, 0);
  free(log);
  /* Polyglot: the page is also well-formed XML, a much stricter check. */
  xmllint_accepts(path, "");
}

static void html_report_is_self_contained_and_escaped(const run_result *r) {
  char path[128];
  path_in(path, sizeof path, "report.html");
  CHECK_INT(report_write_html(r, path), 0);
  size_t len = 0;
  char *doc = slurp(path, &len);
  CHECK(doc != NULL);
  if (!doc)
    return;
  CHECK(valid_utf8(doc, len));
  CHECK_INT(forbidden_bytes(doc, len), 0);
  CHECK_INT(external_references(doc), 0);
  CHECK(strstr(doc, "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                    "base-uri 'none'; form-action 'none'\"") != NULL);
  /* No script at all; the filters are radio inputs and CSS. */
  CHECK(strstr(doc, "<script") == NULL && strstr(doc, "script-src") == NULL);
  CHECK_INT(count(doc, "<input type=\"radio\" class=\"filter\""), 7);
  CHECK(strstr(doc, "#f-fail:checked~.sec .case:not(.v-fail)") != NULL);
  CHECK(!holds_reordering_raw(doc));
  CHECK(strstr(doc, "<div class=\"reason\">refused \\u202egpj.exe\\u2028forged line \\u061cend</div>") != NULL);
  CHECK(strstr(doc, "&lt;img src=&quot;https://evil.example/x.png&quot;&gt;") != NULL);
  CHECK_INT(count(doc, "<details class=\"case "), NCASES);
  CHECK_INT(count(doc, "class=\"case v-fail"), 2);
  CHECK_INT(count(doc, "class=\"case v-warn"), 2);
  CHECK_INT(count(doc, "class=\"case v-error"), 1);
  CHECK_INT(count(doc, "<section class=\"sec\">"), 5);
  CHECK(strstr(doc, "server kept the session | after DELETE | twice\nsecond line") != NULL);
  CHECK(strstr(doc, "excused-marker") != NULL);
  CHECK(strstr(doc, "FAILED: 2 blocking") != NULL);
  CHECK(strstr(doc, "<h2>JSON-RPC envelope</h2>\n<p>3 messages from the target checked; 3 problems "
                    "(1 MUST) during 1 case, 2 of them counted but not listed.") != NULL);
  CHECK(strstr(doc, "SSE event id=&lt;7&gt;</td>") != NULL);
  if (xmllint_path && *xmllint_path)
    html_parses_with_xmllint(path);
  free(doc);
}

/* ---- Markdown ---- */

/* Cell separators in a table row: pipes not escaped by a backslash. */
static size_t row_pipes(const char *line) {
  size_t n = 0;
  for (const char *p = line; *p && *p != '\n'; p++) {
    if (*p == '\\' && p[1])
      p++;
    else
      n += *p == '|';
  }
  return n;
}

static void markdown_summary_escapes_table_cells(const run_result *r) {
  char path[128];
  path_in(path, sizeof path, "summary.md");
  CHECK_INT(report_write_markdown(r, path), 0);
  size_t len = 0;
  char *doc = slurp(path, &len);
  CHECK(doc != NULL);
  if (!doc)
    return;
  CHECK(valid_utf8(doc, len));
  CHECK(len < MCPWIRE_REPORT_MD_MAX);
  CHECK(strstr(doc, "## mcpwire: FAILED, 2 blocking") != NULL);
  CHECK(strstr(doc, "server kept the session \\| after DELETE \\| twice<br>second line") != NULL);
  CHECK(!holds_reordering_raw(doc));
  CHECK(strstr(doc, "| refused \\u202egpj.exe\\u2028forged line \\u061cend |") != NULL);
  size_t rows = 0;
  for (const char *line = doc; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    if (*line != '|')
      continue;
    rows++;
    CHECK_INT(row_pipes(line), 6);
  }
  /* header, rule, and every non-passing case; then the envelope table */
  CHECK_INT(rows, 2 + 6 + 2 + 1);
  CHECK(strstr(doc, "**JSON-RPC envelope**: 3 problems (1 MUST) during 1 case") != NULL);
  CHECK(strstr(doc, "| http/session/unknown-id-404 | JSONRPC-09 (MUST) | #2 POST http://h/mcp \\| SSE") != NULL);
  CHECK(strstr(doc, "2 more not listed here") != NULL);
  /* Blocking cases lead the table; skips close it. */
  CHECK(strstr(doc, "| --- |\n| http/session/delete-ends | MUST |") != NULL);
  CHECK(strstr(doc, "| SKIP | server sent an absolute URI |\n\n") != NULL);
  CHECK(strstr(doc, "http/get/sse-or-405") != NULL); /* baseline can shrink */
  CHECK(strstr(doc, "&lt;warn-marker&gt;") != NULL);
  CHECK(strstr(doc, "<pre>&gt; POST /mcp HTTP/1.1&#13;") != NULL);
  CHECK(len < 64 * 1024); /* snippets capped, not the 1 MiB transcript */
  free(doc);
}

/* ---- console ---- */

static char *console_capture(const run_result *r, int color) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f)
    return NULL;
  console_begin(r, f, color);
  for (size_t i = 0; i < r->ncases; i++)
    console_case(&r->cases[i], f, color, i + 1, r->ncases);
  console_summary(r, f, color);
  fclose(f);
  return text;
}

static void console_plain_has_no_escape_bytes(const run_result *r) {
  char *out = console_capture(r, 0);
  CHECK(out != NULL);
  if (!out)
    return;
  char path[128];
  path_in(path, sizeof path, "console.txt"); /* for a look with MCPWIRE_REPORTS_KEEP */
  FILE *f = fopen(path, "w");
  if (f) {
    fputs(out, f);
    fclose(f);
  }
  CHECK(strchr(out, '\x1b') == NULL);
  CHECK(strstr(out, "[1/8] PASS  http/session/unknown-id-404\n") != NULL);
  CHECK(strstr(out, "[3/8] FAIL  http/session/delete-ends  server kept the session | after DELETE | twice\\nsecond line\n") != NULL);
  CHECK(strstr(out, "[6/8] FAIL  http/post/json-response (baseline)") != NULL);
  CHECK(strstr(out, "failing (2):") != NULL);
  CHECK(strstr(out, "[MUST SHTTP-SESSION-10, SHTTP-SESSION-11]") != NULL);
  CHECK(strstr(out, "expected: HTTP 404 for the deleted session") != NULL);
  CHECK(strstr(out, "\\x01\\x1b[31mred\\x7f") != NULL);
  CHECK(!holds_reordering_raw(out));
  CHECK(strstr(out, "[4/8] ERROR http/post/accept-both  refused \\u202egpj.exe\\u2028forged line \\u061cend\n") != NULL);
  CHECK(strstr(out, "      reason:   refused \\u202egpj.exe") != NULL);
  CHECK(strstr(out, "8 cases: 2 pass, 2 fail, 2 warn, 1 skip, 1 error") != NULL);
  CHECK(strstr(out, "1 listed case now passes; remove it from the baseline:\n  http/get/sse-or-405\n") != NULL);
  CHECK(strstr(out, "FAILED: 2 blocking cases") != NULL);
  CHECK(strstr(out, "JSON-RPC envelope problems (3, 1 MUST, during 1 case; 3 messages checked):\n"
                    "  http/session/unknown-id-404  JSONRPC-09 (MUST)  #2 POST") != NULL);
  CHECK(strstr(out, "      message: {\"result\":{},\"error\":\"200 \"ok\"") != NULL);
  CHECK(strstr(out, "  ... 2 more (see the JSON or HTML report)\n") != NULL);
  free(out);
}

static void console_color_only_uses_our_sequences(const run_result *r) {
  char *out = console_capture(r, 1);
  CHECK(out != NULL);
  if (!out)
    return;
  CHECK(strstr(out, "\x1b[1;31mFAIL \x1b[0m") != NULL);
  /* Each ESC we emit starts "ESC[" digits/';' "m"; the hostile one is text. */
  for (const char *p = strchr(out, '\x1b'); p; p = strchr(p + 1, '\x1b')) {
    size_t k = strspn(p + 2, "0123456789;");
    CHECK(p[1] == '[' && p[2 + k] == 'm');
  }
  free(out);
}

static void console_on_a_short_run_pads_counters(void) {
  run_result r;
  make_run(&r, 0);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  console_case(&r.cases[0], f, 0, 7, 140);
  fclose(f);
  CHECK_STR(text, "[  7/140] PASS  http/session/unknown-id-404\n");
  free(text);
  free_run(&r);
}

static void unwritable_path_reports_an_error(const run_result *r) {
  CHECK_INT(report_write_json(r, "/nonexistent-mcpwire-dir/report.json"), -1);
  CHECK_INT(report_write_junit(r, "/nonexistent-mcpwire-dir/junit.xml"), -1);
  CHECK_INT(report_write_html(r, ""), -1);
}

/* A write error (here ENOSPC on stdout) must surface as -1, not a short
 * report that looks whole. */
static void full_disk_reports_an_error(const run_result *r) {
  FILE *full = fopen("/dev/full", "w");
  if (!full) {
    fprintf(stderr, "reports_test: SKIP full-disk check: no /dev/full\n");
    return;
  }
  fflush(stdout);
  int saved = dup(fileno(stdout));
  dup2(fileno(full), fileno(stdout));
  int rc = report_write_json(r, "-");
  clearerr(stdout);
  dup2(saved, fileno(stdout));
  close(saved);
  fclose(full);
  CHECK_INT(rc, -1);
}

/* Links, devices and folders at a report path are refused, and what a
 * link points to is never written. */
static void unsafe_destinations_are_refused(const run_result *r) {
  char victim[128], link[128], why[MCPWIRE_REPORT_WHY_MAX];
  path_in(victim, sizeof victim, "victim.txt");
  path_in(link, sizeof link, "link.json");
  FILE *f = fopen(victim, "w");
  CHECK(f != NULL);
  if (!f)
    return;
  fputs("precious", f);
  fclose(f);
  CHECK_INT(symlink(victim, link), 0);
  CHECK_INT(report_write_json(r, link), -1);
  size_t len = 0;
  char *text = slurp(victim, &len);
  CHECK_STR(text, "precious");
  free(text);
  report_file rf;
  CHECK_INT(report_file_prepare(&rf, link, why, sizeof why), -1);
  CHECK_STR(why, "not a regular file (symbolic link); give a file path or '-'");
  CHECK_INT(report_file_prepare(&rf, "/dev/full", why, sizeof why), -1);
  CHECK_STR(why, "not a regular file (character device); give a file path or '-'");
  CHECK_INT(report_file_prepare(&rf, tmpdir, why, sizeof why), -1);
  CHECK_STR(why, "not a regular file (directory); give a file path or '-'");
  struct stat st;
  CHECK(lstat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
}

/* A prepared file is a hidden mkstemp file beside the path, mode 0644 less
 * the umask, renamed into place by the writer or removed by discard. */
static void prepared_files_are_renamed_or_removed(const run_result *r) {
  char path[128], why[MCPWIRE_REPORT_WHY_MAX], tmp[256];
  path_in(path, sizeof path, "prepared.json");
  mode_t old = umask(022);
  report_file rf;
  CHECK_INT(report_file_prepare(&rf, path, why, sizeof why), 0);
  umask(old);
  CHECK(rf.tmp_path && strstr(rf.tmp_path, "/.prepared.json.") && strlen(strrchr(rf.tmp_path, '.')) == 7);
  snprintf(tmp, sizeof tmp, "%s", rf.tmp_path ? rf.tmp_path : "");
  struct stat st;
  CHECK(lstat(tmp, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644);
  CHECK(access(path, F_OK) != 0); /* nothing at the path before the report is whole */
  CHECK_INT(report_write_json_to(r, &rf), 0);
  CHECK(rf.tmp_path == NULL && rf.path == NULL); /* released */
  CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644);
  CHECK(access(tmp, F_OK) != 0);
  CHECK_INT(report_file_prepare(&rf, path, why, sizeof why), 0);
  snprintf(tmp, sizeof tmp, "%s", rf.tmp_path ? rf.tmp_path : "");
  report_file_discard(&rf);
  report_file_discard(&rf); /* twice is harmless */
  CHECK(access(tmp, F_OK) != 0);
  CHECK_INT(report_file_prepare(&rf, "-", why, sizeof why), 0);
  CHECK(rf.tmp_path == NULL);
  report_file_discard(&rf);
}

/* ---- the transcript budget ---- */

enum { BUDGET_WHOLE = MCPWIRE_REPORT_TRANSCRIPTS_MAX / MCPWIRE_TRANSCRIPT_MAX, BUDGET_CUT = 4 };

/* Cases whose transcripts are each at the per-case cap, filled with fill
 * after a "case N here" line: BUDGET_WHOLE + BUDGET_CUT of them. */
static void make_flooded_run(run_result *r, char fill) {
  memset(r, 0, sizeof *r);
  r->ncases = BUDGET_WHOLE + BUDGET_CUT;
  r->cases = calloc(r->ncases, sizeof *r->cases);
  for (size_t i = 0; i < r->ncases; i++) {
    case_result *c = &r->cases[i];
    *c = make_case("http/flood/case", "http/flood", LEVEL_MUST, REQ_ONE, VERDICT_FAIL, "flooded");
    c->transcript = malloc(MCPWIRE_TRANSCRIPT_MAX + 1);
    memset(c->transcript, fill, MCPWIRE_TRANSCRIPT_MAX);
    int n = snprintf(c->transcript, 32, "case %zu here\n", i);
    c->transcript[n] = fill; /* snprintf's NUL */
    c->transcript[MCPWIRE_TRANSCRIPT_MAX] = '\0';
    c->transcript_len = MCPWIRE_TRANSCRIPT_MAX;
  }
}

/* Writes the flooded run with writer; returns the document (caller frees). */
static char *write_flood(const run_result *r, const char *name,
                         int (*writer)(const run_result *, const char *), size_t *len) {
  char path[128];
  path_in(path, sizeof path, name);
  CHECK_INT(writer(r, path), 0);
  char *doc = slurp(path, len);
  CHECK(doc != NULL);
  return doc;
}

static int holds_case(const char *doc, int i) {
  char mark[64];
  snprintf(mark, sizeof mark, "case %d here", i);
  return strstr(doc, mark) != NULL;
}

/* ASCII transcripts (escaped 1:1): BUDGET_WHOLE fill the budget exactly and
 * are kept whole; each later one keeps its head, with the note. */
static void transcript_budget_cuts_later_transcripts(void) {
  run_result r;
  make_flooded_run(&r, 'x');
  char note[256], omitted[96];
  snprintf(note, sizeof note, TRANSCRIPT_BUDGET_NOTE, MCPWIRE_REPORT_TRANSCRIPTS_MAX,
           (size_t)(MCPWIRE_TRANSCRIPT_MAX - MCPWIRE_REPORT_TRANSCRIPT_HEAD));
  snprintf(omitted, sizeof omitted, "\"transcript_omitted_bytes\": %u\n",
           MCPWIRE_TRANSCRIPT_MAX - MCPWIRE_REPORT_TRANSCRIPT_HEAD);
  static const char *const names[] = {"flood.json", "flood.html", "flood.xml"};
  int (*const writers[])(const run_result *, const char *) = {report_write_json, report_write_html,
                                                              report_write_junit};
  for (int k = 0; k < 3; k++) {
    size_t len = 0;
    char *doc = write_flood(&r, names[k], writers[k], &len);
    if (!doc)
      continue;
    /* Unbounded, this would be 20 MiB of transcripts. */
    CHECK(len > MCPWIRE_REPORT_TRANSCRIPTS_MAX);
    CHECK(len < MCPWIRE_REPORT_TRANSCRIPTS_MAX + BUDGET_CUT * MCPWIRE_REPORT_TRANSCRIPT_HEAD + 256 * 1024);
    CHECK(holds_case(doc, BUDGET_WHOLE - 1) && holds_case(doc, BUDGET_WHOLE + BUDGET_CUT - 1));
    if (k == 0) {
      CHECK_INT(count(doc, omitted), BUDGET_CUT);
      CHECK_INT(count(doc, "\"transcript_omitted_bytes\": 0\n"), BUDGET_WHOLE);
      CHECK_INT(count(doc, "\"transcript_truncated\": true"), BUDGET_CUT);
    } else {
      CHECK_INT(count(doc, note), BUDGET_CUT);
    }
    free(doc);
  }
  if (python_path && *python_path) {
    char cmd[1024], path[128];
    path_in(path, sizeof path, "flood.json");
    snprintf(cmd, sizeof cmd, "'%s' -c 'import json,sys\ntry:\n import jsonschema\nexcept ImportError:\n sys.exit(0)\n"
                              "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' '%s' '%s'",
             python_path, path, schema_path);
    CHECK_INT(run_cmd(cmd), 0);
  }
  free_run(&r);
}

/* The budget counts bytes as written: quotes grow six times in HTML
 * (&quot;), so fewer transcripts fit whole and the page stays bounded. */
static void transcript_budget_counts_escaped_bytes(void) {
  run_result r;
  make_flooded_run(&r, '"');
  size_t len = 0;
  char *doc = write_flood(&r, "quotes.html", report_write_html, &len);
  if (doc) {
    size_t whole = (MCPWIRE_REPORT_TRANSCRIPTS_MAX + 6 * MCPWIRE_TRANSCRIPT_MAX - 1) / (6 * MCPWIRE_TRANSCRIPT_MAX);
    CHECK_INT(count(doc, "reached: "), r.ncases - whole);
    /* The budget, the one transcript that crossed it, and the heads. */
    CHECK(len < MCPWIRE_REPORT_TRANSCRIPTS_MAX + 6 * MCPWIRE_TRANSCRIPT_MAX +
                    r.ncases * 6 * MCPWIRE_REPORT_TRANSCRIPT_HEAD + 256 * 1024);
    free(doc);
  }
  free_run(&r);
}

/* xmllint's XPath, an independent reader, must count what the attributes
 * claim. */
static void xpath_counts_match(const char *path) {
  static const char *const pairs[][2] = {
      {"count(//testcase)", "string(/testsuites/@tests)"},
      {"count(//testcase/failure)", "string(/testsuites/@failures)"},
      {"count(//testcase/error)", "string(/testsuites/@errors)"},
      {"count(//testcase/skipped)", "string(/testsuites/@skipped)"},
      {"count(//testsuite)", "5"}};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    char got[2][64] = {"", ""};
    for (int k = 0; k < 2; k++) {
      if (pairs[i][k][0] >= '0' && pairs[i][k][0] <= '9') {
        snprintf(got[k], sizeof got[k], "%s", pairs[i][k]);
        continue;
      }
      char cmd[1024];
      snprintf(cmd, sizeof cmd, "'%s' --xpath '%s' '%s'", xmllint_path, pairs[i][k], path);
      FILE *p = popen(cmd, "r");
      CHECK(p != NULL);
      if (!p)
        return;
      if (!fgets(got[k], sizeof got[k], p))
        got[k][0] = '\0';
      got[k][strcspn(got[k], "\n")] = '\0';
      pclose(p);
    }
    CHECK(got[0][0] != '\0');
    CHECK_STR(got[0], got[1]);
  }
}

static void empty_run_writes_valid_documents(void) {
  run_result r;
  memset(&r, 0, sizeof r);
  char path[128];
  path_in(path, sizeof path, "empty.xml");
  CHECK_INT(report_write_junit(&r, path), 0);
  if (xmllint_path && *xmllint_path)
    xmllint_accepts(path, "");
  path_in(path, sizeof path, "empty.json");
  CHECK_INT(report_write_json(&r, path), 0);
  size_t len = 0;
  char *doc = slurp(path, &len);
  CHECK(doc && strstr(doc, "\"cases\": []") && strstr(doc, "\"evidence\": []"));
  free(doc);
}

int main(int argc, char **argv) {
  schema_path = argc > 1 ? argv[1] : "docs/report.schema.json";
  xmllint_path = argc > 2 && strcmp(argv[2], "none") ? argv[2] : "";
  python_path = argc > 3 && strcmp(argv[3], "none") ? argv[3] : "";
  const char *keep = getenv("MCPWIRE_REPORTS_KEEP");
  if (keep && *keep) {
    snprintf(tmpdir, sizeof tmpdir, "%s", keep);
    mkdir(tmpdir, 0700);
  } else {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mcpwire-reports-XXXXXX");
    if (!mkdtemp(tmpdir)) {
      perror("mkdtemp");
      return 1;
    }
  }
  run_result r;
  make_run(&r, 0);
  CHECK_INT(report_blocking_count(&r), 2);
  json_report_round_trips(&r);
  junit_report_is_valid_xml_with_right_counts(&r);
  junit_under_strict_turns_warnings_into_failures();
  html_report_is_self_contained_and_escaped(&r);
  markdown_summary_escapes_table_cells(&r);
  console_plain_has_no_escape_bytes(&r);
  console_color_only_uses_our_sequences(&r);
  console_on_a_short_run_pads_counters();
  unwritable_path_reports_an_error(&r);
  empty_run_writes_valid_documents();
  full_disk_reports_an_error(&r);
  unsafe_destinations_are_refused(&r);
  prepared_files_are_renamed_or_removed(&r);
  transcript_budget_cuts_later_transcripts();
  transcript_budget_counts_escaped_bytes();
  free_run(&r);
  if (!(keep && *keep)) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    run_cmd(cmd);
  }
  return CHECK_DONE("reports_test");
}
