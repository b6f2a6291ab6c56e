/*
 * stdio_channel_test: JSON-RPC lines over a real child (/bin/sh scripts
 * printing canned lines): a response matched by id past a log line on
 * stdout, a notification, a server request and another response; CRLF; a
 * pretty-printed message; a complete message without its LF; a child that
 * dies mid-message; a line past the cap; deadlines; sends refused or
 * failing; and what the transcript and its observer get.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "transport/stdio_channel.h"

#define SHORT_WAIT_MS 300.0
#define STEP_MS 5000.0

/* What the transcript's observer saw. */
typedef struct seen {
  int sent, received;
  char last_where[128];
} seen;

static void observe(void *user, int sent, const char *where, long status, const char *data,
                    size_t len) {
  seen *s = user;
  (void)status, (void)data, (void)len;
  if (sent)
    s->sent++;
  else
    s->received++;
  snprintf(s->last_where, sizeof s->last_where, "%s", where);
}

typedef struct rig {
  stdio_process *proc;
  stdio_channel *ch;
  transcript log;
  seen seen;
} rig;

static void rig_start(rig *r, const char *script) {
  memset(r, 0, sizeof *r);
  transcript_init(&r->log);
  r->log.on_message = observe;
  r->log.on_message_user = &r->seen;
  char why[256] = "";
  stdio_spawn spec = {script, NULL, NULL, NULL};
  r->proc = stdio_process_start(&spec, why, sizeof why);
  if (!r->proc)
    fprintf(stderr, "start failed: %s\n", why);
  CHECK(r->proc != NULL);
  r->ch = r->proc ? stdio_channel_new(r->proc, &r->log) : NULL;
  CHECK(r->ch != NULL);
}

static void rig_stop(rig *r) {
  stdio_stop st;
  stdio_channel_free(r->ch);
  if (r->proc)
    stdio_process_stop(r->proc, SHORT_WAIT_MS, SHORT_WAIT_MS, NULL, &st);
  stdio_process_free(r->proc);
  transcript_free(&r->log);
}

static int logged(rig *r, const char *text) {
  dynbuf_addc(&r->log.text, '\0');
  r->log.text.len--;
  return strstr(r->log.text.ptr, text) != NULL;
}

static const char *method_of(const stdio_line *l) { return jsonrpc_method(l->msg); }

/* A response found past a log line, a notification, a server request and
 * a response to another id; the line sent reached the child. */
static void test_await_collects(void) {
  rig r;
  rig_start(&r, "read line; printf '%s\\n' \"$line\" >&2;"
                "echo 'server starting';"
                "printf '%s\\n' '{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                "\"params\":{}}';"
                "printf '%s\\n' '{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"method\":\"ping\"}';"
                "printf '%s\\n' '{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}';"
                "printf '%s\\r\\n' '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}';"
                "cat >/dev/null");
  const char *ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
  CHECK_INT(stdio_channel_send(r.ch, ping, strlen(ping), clock_ms() + STEP_MS), STDIO_CHANNEL_OK);
  stdio_line resp;
  CHECK_INT(stdio_channel_await_response(r.ch, "1", 1, clock_ms() + STEP_MS, &resp),
            STDIO_CHANNEL_OK);
  CHECK_INT(resp.kind, STDIO_LINE_MESSAGE);
  CHECK_INT(resp.end, LINE_CRLF);
  CHECK_INT(resp.number, 5);
  CHECK(jsonrpc_is_valid(resp.msg));
  CHECK_INT(jsonrpc_get_type(resp.msg, "result.ok"), JSONRPC_T_TRUE);
  CHECK_INT(stdio_channel_collected_count(r.ch), 4);
  const stdio_line *banner = stdio_channel_collected_at(r.ch, 0);
  CHECK(banner && banner->kind == STDIO_LINE_NOT_MESSAGE);
  CHECK(banner && !strcmp(banner->bytes, "server starting"));
  CHECK(banner && strstr(banner->why, "not JSON"));
  const stdio_line *note = stdio_channel_collected_at(r.ch, 1);
  CHECK(note && jsonrpc_kind_of(note->msg) == JSONRPC_NOTIFICATION);
  CHECK(note && method_of(note) && !strcmp(method_of(note), "notifications/message"));
  const stdio_line *req = stdio_channel_collected_at(r.ch, 2);
  CHECK(req && jsonrpc_kind_of(req->msg) == JSONRPC_REQUEST);
  const stdio_line *other = stdio_channel_collected_at(r.ch, 3);
  CHECK(other && jsonrpc_kind_of(other->msg) == JSONRPC_SUCCESS_RESPONSE);
  CHECK_INT(stdio_channel_collected_dropped(r.ch), 0);
  /* the envelope observer: one message sent, four received (not the banner) */
  CHECK_INT(r.seen.sent, 1);
  CHECK_INT(r.seen.received, 4);
  CHECK_STR(r.seen.last_where, "stdio stdout line 5");
  CHECK(logged(&r, "stdio > line 1: {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"));
  CHECK(logged(&r, "stdio < line 1 (lf) not a JSON-RPC message (not JSON"));
  CHECK(logged(&r, "): server starting"));
  CHECK(logged(&r, "stdio < line 5 (crlf): {"));
  /* nothing more: a deadline, not a hang */
  stdio_line more;
  double t0 = clock_ms();
  CHECK_INT(stdio_channel_next(r.ch, t0 + 200, &more), STDIO_CHANNEL_TIMEOUT);
  CHECK(clock_ms() - t0 < 1500);
  /* stderr arrives beside stdout; by now the child has echoed the line it read */
  CHECK(logged(&r, "stdio stderr (log): {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\\n"));
  CHECK(stdio_channel_stderr_bytes(r.ch) == strlen(ping) + 1);
  stdio_line_free(&resp);
  stdio_channel_clear_collected(r.ch);
  CHECK_INT(stdio_channel_collected_count(r.ch), 0);
  rig_stop(&r);
}

/* Ids match by type and value: a string "1" is no answer to 1. */
static void test_id_types(void) {
  rig r;
  rig_start(&r, "printf '%s\\n' '{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{}}'"
                " '{\"jsonrpc\":\"1.0\",\"id\":1,\"result\":{},\"error\":{}}'; cat >/dev/null");
  stdio_line resp;
  CHECK_INT(stdio_channel_await_response(r.ch, "1", 1, clock_ms() + STEP_MS, &resp),
            STDIO_CHANNEL_OK);
  CHECK_INT(resp.number, 2);
  /* matched by its members although its envelope is broken: the case judges */
  CHECK_INT(resp.kind, STDIO_LINE_MESSAGE);
  CHECK(!jsonrpc_is_valid(resp.msg));
  CHECK_INT(stdio_channel_collected_count(r.ch), 1);
  stdio_line_free(&resp);
  rig_stop(&r);
}

/* A pretty-printed message is four lines, none a message (STDIO-04). */
static void test_pretty_printed(void) {
  rig r;
  rig_start(&r, "printf '{\\n  \"jsonrpc\": \"2.0\",\\n  \"method\": \"x\"\\n}\\n'");
  const char *want[] = {"{", "  \"jsonrpc\": \"2.0\",", "  \"method\": \"x\"", "}"};
  for (int i = 0; i < 4; i++) {
    stdio_line l;
    CHECK_INT(stdio_channel_next(r.ch, clock_ms() + STEP_MS, &l), STDIO_CHANNEL_OK);
    CHECK_INT(l.kind, STDIO_LINE_NOT_MESSAGE);
    CHECK_INT(l.number, i + 1);
    CHECK_STR(l.bytes, want[i]);
    stdio_line_free(&l);
  }
  stdio_line l;
  CHECK_INT(stdio_channel_next(r.ch, clock_ms() + STEP_MS, &l), STDIO_CHANNEL_CLOSED);
  CHECK_INT(r.seen.received, 0);
  CHECK(logged(&r, "stdio stdout closed: 40 bytes, 4 lines (lf=4"));
  rig_stop(&r);
}

/* A whole message without its LF, then a child that dies mid-message. */
static void test_unterminated(void) {
  rig r;
  rig_start(&r, "printf '%s' '{\"jsonrpc\":\"2.0\",\"method\":\"n\"}'");
  stdio_line l;
  CHECK_INT(stdio_channel_next(r.ch, clock_ms() + STEP_MS, &l), STDIO_CHANNEL_OK);
  CHECK_INT(l.kind, STDIO_LINE_MESSAGE);
  CHECK_INT(l.end, LINE_UNTERMINATED);
  stdio_line_free(&l);
  CHECK_INT(stdio_channel_next(r.ch, clock_ms() + STEP_MS, &l), STDIO_CHANNEL_CLOSED);
  rig_stop(&r);

  rig_start(&r, "printf '%s\\n%s' '{\"jsonrpc\":\"2.0\",\"method\":\"n\"}'"
                " '{\"jsonrpc\":\"2.0\",\"id\":1,\"res'; exit 3");
  stdio_line resp;
  CHECK_INT(stdio_channel_await_response(r.ch, "1", 1, clock_ms() + STEP_MS, &resp),
            STDIO_CHANNEL_CLOSED);
  CHECK_INT(stdio_channel_collected_count(r.ch), 2);
  const stdio_line *cut = stdio_channel_collected_at(r.ch, 1);
  CHECK(cut && cut->kind == STDIO_LINE_NOT_MESSAGE && cut->end == LINE_UNTERMINATED);
  CHECK(cut && !strcmp(cut->bytes, "{\"jsonrpc\":\"2.0\",\"id\":1,\"res"));
  CHECK(logged(&r, "stdio < line 2 (unterminated) not a JSON-RPC message"));
  rig_stop(&r);
}

/* A line past MCPWIRE_STDIO_LINE_MAX is reported, the next one read. */
static void test_too_long(void) {
  rig r;
  rig_start(&r, "head -c 17000000 /dev/zero | tr '\\000' a; echo;"
                "printf '%s\\n' '{\"jsonrpc\":\"2.0\",\"method\":\"n\"}'");
  stdio_line l;
  CHECK_INT(stdio_channel_next(r.ch, clock_ms() + 20000, &l), STDIO_CHANNEL_OK);
  CHECK_INT(l.kind, STDIO_LINE_TOO_LONG);
  CHECK(l.bytes == NULL && l.msg == NULL);
  stdio_line_free(&l);
  CHECK_INT(stdio_channel_next(r.ch, clock_ms() + 20000, &l), STDIO_CHANNEL_OK);
  CHECK_INT(l.kind, STDIO_LINE_MESSAGE);
  CHECK_INT(l.number, 2);
  stdio_line_free(&l);
  CHECK(logged(&r, "stdio < line 1: longer than MCPWIRE_STDIO_LINE_MAX"));
  rig_stop(&r);
}

/* JSON that is no message, an empty line, CR inside, a BOM and a NUL. */
static void test_oddities(void) {
  rig r;
  rig_start(&r, "printf '\\357\\273\\277{\"level\":\"info\"}\\n\\na\\rb\\n\\000x\\n'");
  stdio_line l;
  CHECK_INT(stdio_channel_next(r.ch, clock_ms() + STEP_MS, &l), STDIO_CHANNEL_OK);
  CHECK(l.kind == STDIO_LINE_NOT_MESSAGE && l.bom);
  CHECK(strstr(l.why, "JSON, but no JSON-RPC message") != NULL);
  stdio_line_free(&l);
  CHECK_INT(stdio_channel_next(r.ch, clock_ms() + STEP_MS, &l), STDIO_CHANNEL_OK);
  CHECK_STR(l.why, "an empty line");
  stdio_line_free(&l);
  CHECK_INT(stdio_channel_next(r.ch, clock_ms() + STEP_MS, &l), STDIO_CHANNEL_OK);
  CHECK_INT(l.lone_cr, 1);
  stdio_line_free(&l);
  CHECK_INT(stdio_channel_next(r.ch, clock_ms() + STEP_MS, &l), STDIO_CHANNEL_OK);
  CHECK_INT(l.first_nul, 0);
  CHECK_INT(l.len, 2);
  stdio_line_free(&l);
  CHECK(logged(&r, "stdio < line 1 (lf, BOM) not a JSON-RPC message"));
  CHECK(logged(&r, "stdio < line 3 (lf, 1 lone CR) not a JSON-RPC message"));
  CHECK(logged(&r, "stdio < line 4 (lf, NUL at 0)"));
  rig_stop(&r);
}

/* Sending: a message holding LF is refused; a child that closed its stdin. */
static void test_send(void) {
  rig r;
  rig_start(&r, "exec 0<&-; sleep 3");
  const char *bad = "{\"jsonrpc\":\"2.0\",\n\"method\":\"n\"}";
  CHECK_INT(stdio_channel_send(r.ch, bad, strlen(bad), clock_ms() + STEP_MS),
            STDIO_CHANNEL_ERROR);
  CHECK(strstr(stdio_channel_error(r.ch), "CR or LF") != NULL);
  CHECK_INT(r.seen.sent, 0);
  rig_stop(&r);

  rig_start(&r, "exec 0<&-; sleep 3");
  const char *ok = "{\"jsonrpc\":\"2.0\",\"method\":\"n\"}";
  stdio_channel_status st = STDIO_CHANNEL_OK;
  double deadline = clock_ms() + STEP_MS;
  /* the shell may not have closed its stdin yet: the pipe buffer takes the first lines */
  for (int i = 0; i < 100000 && st == STDIO_CHANNEL_OK && clock_ms() < deadline; i++)
    st = stdio_channel_send(r.ch, ok, strlen(ok), deadline);
  CHECK_INT(st, STDIO_CHANNEL_CLOSED);
  CHECK(logged(&r, "the child closed its stdin"));
  rig_stop(&r);

  rig_start(&r, "cat >/dev/null");
  CHECK_INT(stdio_channel_send_raw(r.ch, "{}\r\n", 4, clock_ms() + STEP_MS), STDIO_CHANNEL_OK);
  CHECK(logged(&r, "stdio > line 1 (raw): {}\\r\\n"));
  CHECK_INT(r.seen.sent, 0);
  rig_stop(&r);
}

int main(void) {
  test_await_collects();
  test_id_types();
  test_pretty_printed();
  test_unterminated();
  test_too_long();
  test_oddities();
  test_send();
  return CHECK_DONE("stdio_channel_test");
}
