/* stdio/framing and stdio/shutdown: what the stdio transport adds to the
 * messages (spec basic/transports#stdio): one message per line, ended by a
 * newline; nothing on stdout but MCP messages (logs go to stderr, which
 * is never judged); the server leaves when its stdin closes. Every stdout
 * line a case saw is judged, whenever it came: before initialize, between
 * answers, during shutdown. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/call.h"
#include "verifier/peer.h"

/* What a session's stdout held, line by line. */
typedef struct stdout_tally {
  size_t lines, messages;
  size_t not_message;      /* lines that are no JSON-RPC message */
  size_t fragments;        /* of them, pieces of JSON (a message spread over lines) */
  size_t too_long;
  size_t unterminated;     /* the last line, ended by stdout closing, not by LF */
  size_t pending;          /* bytes left waiting for a newline when an answer was due */
  char first_bad[320];     /* the first line that is no message, described */
} stdout_tally;

/* 1 for a line that holds a piece of JSON: a brace, bracket or member
 * alone (a pretty-printed message). */
static int is_fragment(const stdio_line *l) {
  const char *s = l->bytes;
  size_t i = 0;
  while (i < l->len && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i < l->len && strchr("{}[]\"", s[i]);
}

static void count_line(stdout_tally *t, const stdio_line *l) {
  t->lines++;
  t->unterminated += l->end == LINE_UNTERMINATED;
  if (l->kind == STDIO_LINE_MESSAGE) {
    t->messages++;
    return;
  }
  t->too_long += l->kind == STDIO_LINE_TOO_LONG;
  t->not_message++;
  t->fragments += l->kind == STDIO_LINE_NOT_MESSAGE && is_fragment(l);
  if (!t->first_bad[0]) {
    if (l->kind == STDIO_LINE_TOO_LONG)
      snprintf(t->first_bad, sizeof t->first_bad, "line %llu is over %u bytes",
               (unsigned long long)l->number, (unsigned)MCPWIRE_STDIO_LINE_MAX);
    else
      snprintf(t->first_bad, sizeof t->first_bad, "line %llu: \"%.120s\"%s (%.120s)",
               (unsigned long long)l->number, l->bytes, l->len > 120 ? "..." : "", l->why);
  }
}

/* Counts and drops the lines kept while answers were awaited. */
static void count_collected(peer *p, stdout_tally *t) {
  for (size_t i = 0; i < stdio_channel_collected_count(p->ch); i++)
    count_line(t, stdio_channel_collected_at(p->ch, i));
  stdio_channel_clear_collected(p->ch);
}

/* A request every server answers with a result: ping in the session era,
 * server/discover at 2026-07-28 (which has no ping, S26-LEGACY-06). */
static const char *small_request(const peer *p) { return p->stateless ? "server/discover" : "ping"; }

/* The response m to request id (NULL: none came, r says why) counted,
 * with the lines read while it was awaited. 0 when it came. */
static int counted(peer *p, jsonrpc_msg *m, const char *id, const peer_reply *r,
                   stdout_tally *t) {
  count_collected(p, t);
  if (m) {
    t->lines++, t->messages++;
  } else if (!r->send_failed) {
    t->pending = stdio_channel_pending(p->ch);
    ctx_note(p->ctx, "%s: %s", id, r->f.why);
  }
  int rc = m ? 0 : -1;
  jsonrpc_free(m);
  return rc;
}

/* One request of the peer's era awaited, and counted. 0 when it came. */
static int ask(peer *p, const char *method, const char *id, stdout_tally *t) {
  peer_reply r;
  return counted(p, peer_request(p, method, NULL, NULL, id, &r), id, &r, t);
}

/* The exchange's start, every line counted: initialize and initialized in
 * the session era, server/discover at 2026-07-28. 0 when it answered. */
static int start_counted(peer *p, stdout_tally *t) {
  peer_reply r;
  if (revision_is_stateless(p->ctx->cfg->spec)) {
    p->stateless = 1;
    return ask(p, "server/discover", "\"init\"", t);
  }
  char init[1200];
  shttp_initialize_request(init, sizeof init, "\"init\"", p->ctx->cfg->spec);
  static const char initialized[] =
      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
  if (counted(p, peer_call(p, init, "\"init\"", &r), "\"init\"", &r, t))
    return -1;
  peer_call(p, initialized, NULL, &r);
  return r.send_failed ? -1 : 0;
}

/* Starts the server, begins the exchange, asks tools/list and ping, closes its
 * stdin and reads stdout to its end: every line in t. -1 (verdict set)
 * when the server could not be started. */
static int exercise(case_ctx *ctx, peer *p, stdout_tally *t) {
  memset(t, 0, sizeof *t);
  if (peer_start(ctx, p))
    return -1;
  if (!start_counted(p, t)) {
    ask(p, "tools/list", "\"tl\"", t);
    ask(p, small_request(p), "\"pg\"", t);
  }
  peer_stop(p);
  stdio_line l;
  while (stdio_channel_next(p->ch, ctx_step_deadline(ctx), &l) == STDIO_CHANNEL_OK) {
    count_line(t, &l);
    stdio_line_free(&l);
  }
  ctx_note(ctx, "stdout: %zu lines, %zu messages, %zu not messages (%zu JSON fragments), %zu "
           "unterminated; %zu bytes waited for a newline", t->lines, t->messages,
           t->not_message, t->fragments, t->unterminated, t->pending);
  return 0;
}

/* STDIO-07 / S26-STDIO-03: stdout carries MCP messages and nothing else. */
static void stdout_only_messages(case_ctx *ctx) {
  peer p;
  stdout_tally t;
  if (!exercise(ctx, &p, &t)) {
    char got[64];
    snprintf(got, sizeof got, "%zu of %zu lines are not messages", t.not_message, t.lines);
    if (t.not_message)
      ctx_violation(ctx, "every stdout line a JSON-RPC message", got,
                    "stdout carries more than MCP messages: %s", t.first_bad);
    else if (!t.messages)
      ctx_skip(ctx, "the server wrote no stdout line to judge");
    else
      ctx_checked(ctx, "every stdout line a JSON-RPC message", got);
  }
  peer_free(&p);
}

/* STDIO-04 / S26-STDIO-01: each message is one line, ended by a newline,
 * with no newline inside. */
static void newline_delimited(case_ctx *ctx) {
  peer p;
  stdout_tally t;
  if (!exercise(ctx, &p, &t)) {
    char got[96];
    snprintf(got, sizeof got, "%zu fragment lines, %zu unterminated, %zu bytes without newline",
             t.fragments, t.unterminated, t.pending);
    if (t.fragments)
      ctx_violation(ctx, "one message a line", got,
                    "a message is spread over several lines: %s", t.first_bad);
    else if (t.pending || t.unterminated)
      ctx_violation(ctx, "every message ended by a newline", got,
                    "a message came without its newline (%s)",
                    t.pending ? "an answer waited a step for it" : "the last line at exit");
    else if (!t.messages)
      ctx_skip(ctx, "the server wrote no stdout line to judge");
    else
      ctx_checked(ctx, "one message a line, each ended by a newline", got);
  }
  peer_free(&p);
}

/* S26-STDIO-11 / STDIO-09: closing stdin is the shutdown signal; the
 * server exits without needing SIGTERM. */
static void exits_on_stdin_close(case_ctx *ctx) {
  peer p;
  if (!peer_begin(ctx, &p)) {
    peer_stop(&p);
    char got[96], want[64];
    snprintf(got, sizeof got, "%s after %.0f ms", stdio_stop_step_name(p.stop.step),
             p.stop.ms);
    snprintf(want, sizeof want, "exit within %d ms of stdin closing", MCPWIRE_STDIO_EOF_WAIT_MS);
    if (p.stop.step == STDIO_STOP_EOF || p.stop.step == STDIO_STOP_ALREADY)
      ctx_checked(ctx, want, got);
    else
      ctx_violation(ctx, want, got,
                    "the server did not leave when its stdin closed: %s", got);
  }
  peer_free(&p);
}

/* ---- 2026-07-28 on stdio (S26-STDIO): the request metadata without headers ---- */

/* A stateless request of the case's own on a fresh process: the response,
 * or NULL with the verdict set (peer_unanswered). */
static jsonrpc_msg *stateless_once(case_ctx *ctx, peer *p, const stateless_request *req) {
  if (peer_start(ctx, p))
    return NULL;
  peer_reply r;
  jsonrpc_msg *m = peer_stateless_call(p, req, &r);
  if (!m)
    peer_unanswered(p, &r, req->method);
  return m;
}

/* S26-STDIO-07 / S26-META-05: a request whose _meta lacks
 * clientCapabilities is refused with -32602, as over HTTP, only without a
 * status. */
static void meta_missing_32602(case_ctx *ctx) {
  peer p;
  stateless_request req = {.id_raw = "\"nocaps\"", .method = "tools/list",
                           .meta_capabilities = STATELESS_OMIT};
  jsonrpc_msg *m = stateless_once(ctx, &p, &req);
  long code = 0;
  char got[64];
  if (m) {
    if (jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE && jsonrpc_error_code(m, &code))
      snprintf(got, sizeof got, "error %ld", code);
    else
      snprintf(got, sizeof got, "%s", jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE
                                          ? "a result" : "no valid error");
    if (code == JSONRPC_INVALID_PARAMS)
      ctx_checked(ctx, "error -32602", got);
    else
      ctx_violation(ctx, "error -32602", got, "tools/list without _meta clientCapabilities got "
                    "%s: a request missing request metadata is malformed", got);
  }
  jsonrpc_free(m);
  peer_free(&p);
}

/* S26-STDIO-07 / S26-COMPAT-01 / S26-DISC-07: server/discover asking for
 * a revision the server does not serve gets -32022 listing the supported
 * ones in data.supported. */
static void unsupported_version_32022(case_ctx *ctx) {
  peer p;
  stateless_request req = {.id_raw = "\"v1999\"", .method = "server/discover",
                           .meta_version = "\"1999-01-01\""};
  jsonrpc_msg *m = stateless_once(ctx, &p, &req);
  long code = 0;
  char got[96];
  static const char want[] = "error -32022 with data.supported";
  if (m) {
    int error = jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE && jsonrpc_error_code(m, &code);
    int listed = jsonrpc_get_type(m, "error.data.supported") == JSONRPC_T_ARRAY;
    snprintf(got, sizeof got, "%s%s",
             !error ? "a result" : code == -32022 ? "error -32022" : "another error",
             error && !listed ? ", no data.supported" : "");
    if (!error)
      ctx_violation(ctx, want, got, "server/discover at 1999-01-01 was served: a version the "
                    "server does not serve must be refused");
    else if (code != -32022 || !listed)
      ctx_violation(ctx, want, got, "the refusal of 1999-01-01 is not an "
                    "UnsupportedProtocolVersionError listing the supported revisions (%s)", got);
    else
      ctx_checked(ctx, want, got);
  }
  jsonrpc_free(m);
  peer_free(&p);
}

/* S26-STDIO-14: a process is not a session; requests of two clients
 * (other clientInfo, other capabilities) interleaved on one process are
 * each served on their own _meta. */
static void clients_interleaved(case_ctx *ctx) {
  static const char *const who[] = {
      "{\"name\":\"mcpwire-a\",\"version\":\"1\"}",
      "{\"name\":\"mcpwire-b\",\"version\":\"1\"}"};
  static const char *const caps[] = {"{}", "{\"elicitation\":{}}"};
  /* Methods every 2026-07-28 server serves: ping is removed there (S26-LEGACY-06). */
  static const char *const methods[] = {"tools/list", "server/discover", "tools/list",
                                        "server/discover"};
  peer p;
  size_t served = 0;
  if (!peer_start(ctx, &p)) {
    for (size_t i = 0; i < 4 && !ctx->decided; i++) {
      char id[32];
      snprintf(id, sizeof id, "\"client-%c-%zu\"", (char)('a' + i % 2), i);
      stateless_request req = {.id_raw = id, .method = methods[i],
                               .meta_client_info = who[i % 2], .meta_capabilities = caps[i % 2]};
      peer_reply r;
      jsonrpc_msg *m = peer_stateless_call(&p, &req, &r);
      if (!m)
        peer_unanswered(&p, &r, methods[i]);
      else if (jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE)
        ctx_violation(ctx, "each request served on its own _meta", "an error",
                      "%s from client %c, after a request of client %c on the same process, "
                      "was refused: the process was taken for one client's session",
                      methods[i], (char)('a' + i % 2), (char)('a' + (i + 1) % 2));
      else
        served++;
      jsonrpc_free(m);
    }
    char got[48];
    snprintf(got, sizeof got, "%zu of 4 served", served);
    ctx_checked(ctx, "each request served on its own _meta", got);
  }
  peer_free(&p);
}

/* S26-STDIO-05: at 2026-07-28 the server writes no request to stdout; a
 * tool that needs the client's input answers with an InputRequiredResult
 * instead. The INPUT_REQUIRED role is called declaring every capability, so
 * a server that would ask has every reason to. */
static void no_server_requests(case_ctx *ctx) {
  peer p;
  fixture fx;
  dynbuf members;
  dynbuf_init(&members, MCPWIRE_JSON_BODY_MAX);
  if (peer_begin(ctx, &p) ||
      peer_require_fixture(&p, FIXTURE_INPUT_REQUIRED, FIXTURE_PACE_FULL, &fx))
    goto done;
  char id[64];
  if (fixture_call_members(&fx, NULL, &members)) {
    ctx_error(ctx, "internal: the %s call could not be built", fx.tool);
    goto done;
  }
  stateless_request req = {.id_raw = call_unique_id("ir", id, sizeof id), .method = "tools/call",
                           .params = dynbuf_str(&members),
                           .meta_capabilities = FIXTURE_ALL_CAPABILITIES};
  peer_reply r;
  jsonrpc_msg *m = peer_stateless_call(&p, &req, &r);
  /* The lines read while the answer was awaited: any request among them? */
  const char *method = NULL;
  for (size_t i = 0; i < stdio_channel_collected_count(p.ch) && !method; i++) {
    const stdio_line *l = stdio_channel_collected_at(p.ch, i);
    if (l->kind == STDIO_LINE_MESSAGE && jsonrpc_apparent_kind(l->msg) == JSONRPC_REQUEST)
      method = jsonrpc_method(l->msg);
  }
  if (method)
    ctx_violation(ctx, "no request on stdout", method, "during the %s call the server wrote the "
                  "request %s to stdout: at 2026-07-28 input is asked for with an "
                  "InputRequiredResult", fx.tool, method);
  else if (!m)
    peer_unanswered(&p, &r, fx.tool);
  else
    ctx_checked(ctx, "no request on stdout", "none; the call was answered");
  jsonrpc_free(m);
done:
  dynbuf_free(&members);
  peer_free(&p);
}

#define MODERN_STDIO_CASE(name_) CASE_ID("stdio/modern", name_), .transport = CASE_STDIO, \
  .revisions = REV_2026_07_28, .spec_ref = "https://modelcontextprotocol.io/specification/" \
  "2026-07-28/basic/transports#stdio"

/* proof.spec: a framing fault also breaks the profile's initialize, so the
 * prover names the revision (a --spec run goes on when the probe fails). */
/* _meta members padding a request to about `size` bytes; 0 on success. */
static int padding(dynbuf *b, size_t size) {
  if (dynbuf_adds(b, "\"mcpwire/padding\":\""))
    return -1;
  while (b->len + 8 < size)
    if (dynbuf_adds(b, "mcpwire "))
      return -1;
  return dynbuf_addc(b, '"');
}

/* STDIO-04 / JSONRPC-01: a message of several MiB is one line like any
 * other: it is answered (or refused with an error), and the framing holds
 * for the message after it. */
static void large_message(case_ctx *ctx) {
  peer p;
  dynbuf big;
  dynbuf_init(&big, MCPWIRE_STDIO_LARGE_MESSAGE + 256);
  if (!peer_begin(ctx, &p)) {
    peer_reply r;
    jsonrpc_msg *m = NULL, *after = NULL;
    if (padding(&big, MCPWIRE_STDIO_LARGE_MESSAGE)) {
      ctx_error(ctx, "internal: out of memory building the large message");
    } else {
      m = peer_request(&p, small_request(&p), NULL, dynbuf_str(&big), "\"big\"", &r);
      if (!m && r.send_failed)
        ctx_error(ctx, "the large message could not be written: %s", r.f.why);
      peer_reply r2;
      after = ctx->decided ? NULL
                           : peer_request(&p, small_request(&p), NULL, NULL, "\"after\"", &r2);
      char got[160];
      snprintf(got, sizeof got, "%zu-byte request %s; the one after it %s", big.len,
               !m ? "unanswered" : jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE ? "refused"
                                                                               : "answered",
               after ? "answered" : "unanswered");
      if (ctx->decided)
        ctx_note(ctx, "%s", got);
      else if (!after)
        ctx_violation(ctx, "the large message answered or refused, the next one answered", got,
                      "after a %zu-byte line the server lost the framing: %s", big.len, r2.f.why);
      else if (!m)
        ctx_violation(ctx, "the large message answered or refused", got,
                      "a %zu-byte request was dropped without an answer: %s", big.len, r.f.why);
      else
        ctx_checked(ctx, "the large message answered or refused, the next one answered", got);
    }
    jsonrpc_free(m);
    jsonrpc_free(after);
  }
  dynbuf_free(&big);
  peer_free(&p);
}

#define STDIO_CASE(section_, name_) CASE_ID(section_, name_), .transport = CASE_STDIO, \
  .revisions = REV_ALL | REV_2026_07_28, .proof.spec = REV_2025_11_25

const case_def stdio_cases[] = {
    {STDIO_CASE("stdio/framing", "stdout-only-messages"),
     .title = "stdout carries only MCP messages: no banner, no log line",
     .level = LEVEL_MUST, .requirements = REQS("STDIO-07", "S26-STDIO-03"),
     .spec_ref = SPEC_2511 "basic/transports#stdio", .run = stdout_only_messages,
     .faults = FAULTS("stdio-log-on-stdout", "stdio-pretty-printed")},
    {STDIO_CASE("stdio/framing", "newline-delimited"),
     .title = "Each message is one line ended by a newline, with none inside",
     .level = LEVEL_MUST, .requirements = REQS("STDIO-04", "S26-STDIO-01"),
     .spec_ref = SPEC_2511 "basic/transports#stdio", .run = newline_delimited,
     .faults = FAULTS("stdio-pretty-printed", "stdio-partial-last-line")},
    {STDIO_CASE("stdio/framing", "large-message"),
     .title = "A message of several MiB on one line is answered, and the framing holds after it",
     .level = LEVEL_MUST, .requirements = REQS("STDIO-04", "JSONRPC-01"),
     .spec_ref = SPEC_2511 "basic/transports#stdio", .run = large_message,
     .faults = FAULTS("stdio-drops-long-lines")},
    {STDIO_CASE("stdio/shutdown", "exits-on-stdin-close"),
     .title = "The server exits when its stdin closes, before any signal",
     .level = LEVEL_SHOULD, .requirements = REQS("S26-STDIO-11", "STDIO-09"),
     .spec_ref = SPEC_2511 "basic/lifecycle#stdio", .run = exits_on_stdin_close,
     .faults = FAULTS("stdio-ignores-eof")},
    {MODERN_STDIO_CASE("meta-missing-32602"),
     .title = "A request missing request metadata is refused with -32602 on stdio too",
     .level = LEVEL_MUST, .requirements = REQS("S26-STDIO-07", "S26-META-05"),
     .run = meta_missing_32602, .faults = FAULTS("s26-no-meta-check")},
    {MODERN_STDIO_CASE("unsupported-version-32022"),
     .title = "An unsupported revision gets -32022 listing the supported ones on stdio too",
     .level = LEVEL_MUST, .requirements = REQS("S26-STDIO-07", "S26-COMPAT-01", "S26-DISC-07"),
     .run = unsupported_version_32022,
     .faults = FAULTS("s26-version-error-shape", "s26-any-version")},
    {MODERN_STDIO_CASE("clients-interleaved"),
     .title = "Requests of two clients interleaved on one process are each served",
     .level = LEVEL_MUST, .requirements = REQS("S26-STDIO-14"),
     .run = clients_interleaved, .faults = FAULTS("stdio-binds-first-client")},
    {MODERN_STDIO_CASE("no-server-requests"),
     .title = "No request from the server on stdout: input is asked for with a result",
     .level = LEVEL_MUST, .requirements = REQS("S26-STDIO-05"), .fixtures = FX_INPUT_REQUIRED,
     .run = no_server_requests, .faults = FAULTS("s26-server-request-on-stream")},
};
const size_t stdio_ncases = NCASES(stdio_cases);
