/* run: cases that judge the whole run rather than one exchange.
 *
 * run/jsonrpc-envelope gathers the envelope problems engine/envelope.c found
 * in every message the target sent during every case of the run (the other
 * cases' verdicts never change for them), adds those of a short exchange of
 * its own (so it means something when run alone), and fails when any MUST
 * rule was broken, naming the case, the stream and the message. On stdio
 * every stdout line that is a message is judged the same way. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "transport/stateless.h"
#include "verifier/call.h"
#include "verifier/message_check.h"
#include "verifier/peer.h"
#include "mcpwire_limits.h"

#define ENVELOPE_EXPECTED                                                                   \
  "every JSON-RPC message the target sends is well-formed: JSON (RFC 8259) in UTF-8, "    \
  "jsonrpc \"2.0\", string or integer ids, result xor error, an object result, an error " \
  "object with an integer code and a string message, notifications without id"

/* Bytes of the first bad message quoted in `actual`. */
#define ACTUAL_EXCERPT 200

/* A short Streamable HTTP exchange: ping, an unknown method (an error
 * response) and, when the target has a tool for the PROGRESS fixture role,
 * a call that sends progress (run-unique id and token). Only notes: the
 * messages themselves are what is judged. */
static void exchange_http(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (shttp_initialize(&h, ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
    ctx_note(ctx, "own exchange: initialize failed: %s", f.why);
    shttp_free(&h);
    return;
  }
  static const char *const methods[] = {"ping", "mcpwire/no-such-method"};
  for (size_t i = 0; i < 2; i++) {
    jsonrpc_msg *m = call_request(ctx, &h, NULL, methods[i], NULL, NULL, &f);
    if (!m)
      ctx_note(ctx, "own exchange: %s: %s", methods[i], f.why);
    jsonrpc_free(m);
  }
  fixture fx;
  char why[1200], id[64], token[64];
  if (ctx_find_fixture(ctx, call_tools_page, &h, h.init_result, FIXTURE_PROGRESS, &fx, why,
                       sizeof why) > 0) {
    if (ctx->cfg->quick) /* a call that streams progress is all it needs */
      fixture_pace_set(&fx, FIXTURE_PACE_BRISK);
    http_stream *post = call_fixture_post(&h, &fx, call_unique_id("envelope", id, sizeof id),
                                           call_unique_id("envelope", token, sizeof token));
    /* Every message of the reply passes the envelope check as it arrives. */
    if (post && !http_stream_wait_headers(post, ctx_step_deadline(ctx)))
      http_stream_wait_done(post, ctx_step_deadline(ctx));
  } else {
    ctx_note(ctx, "own exchange without a progress call: %s", why);
  }
  shttp_free(&h);
}

static void exchange_legacy(case_ctx *ctx) {
  legacy l;
  legacy_init(&l, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (legacy_connect(&l, ctx_step_deadline(ctx), &f) ||
      legacy_initialize(&l, ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
    ctx_note(ctx, "own exchange: %s", f.why);
    legacy_free(&l);
    return;
  }
  static const char *const methods[] = {"ping", "mcpwire/no-such-method"};
  for (size_t i = 0; i < 2; i++) {
    jsonrpc_msg *m = legacy_call(&l, methods[i], NULL, ctx_step_deadline(ctx), NULL, &f);
    if (!m)
      ctx_note(ctx, "own exchange: %s: %s", methods[i], f.why);
    jsonrpc_free(m);
  }
  legacy_free(&l);
}

typedef struct envelope_tally {
  size_t messages, problems, must, dropped, cases, listed;
  const case_result *first_case;   /* of the first problem at the worst level */
  const envelope_problem *first;
} envelope_tally;

static void list_problem(case_ctx *ctx, envelope_tally *t, const case_result *c,
                         const envelope_problem *p) {
  if (t->listed++ >= MCPWIRE_ENVELOPE_LISTED_MAX)
    return;
  transcript_addf(&ctx->log, "problem %zu: case %s, %s: %s (%s): %s", t->listed, c->id,
                  p->where, p->rule, level_name(p->level), p->reason);
  char prefix[96];
  snprintf(prefix, sizeof prefix, "    bytes %zu-%zu of %zu: ", p->excerpt_offset,
           p->excerpt_offset + strlen(p->excerpt), p->message_len);
  transcript_add_bytes(&ctx->log, prefix, p->excerpt, strlen(p->excerpt),
                       MCPWIRE_ENVELOPE_EXCERPT_MAX);
}

static void tally_case(case_ctx *ctx, envelope_tally *t, const case_result *c) {
  t->messages += c->envelope_messages;
  t->dropped += c->envelope_dropped;
  if (c->nenvelope || c->envelope_dropped)
    t->cases++;
  for (size_t k = 0; k < c->nenvelope; k++) {
    const envelope_problem *p = &c->envelope[k];
    t->problems++;
    t->must += p->level == LEVEL_MUST;
    if (!t->first || (p->level == LEVEL_MUST && t->first->level != LEVEL_MUST)) {
      t->first = p;
      t->first_case = c;
    }
    list_problem(ctx, t, c, p);
  }
}

/* The stateless era (2026-07-28): server/discover and an unknown method
 * (an error response), no session. */
static void exchange_stateless(case_ctx *ctx) {
  static const char *const methods[] = {"server/discover", "mcpwire/no-such-method"};
  for (size_t i = 0; i < 2; i++) {
    stateless_request req = {.id_raw = i ? "2" : "1", .method = methods[i]};
    rpc_failure f = {{0}};
    jsonrpc_msg *m = stateless_call(ctx->client, ctx->cfg->url, &req, ctx_step_deadline(ctx),
                                    NULL, &f);
    if (!m)
      ctx_note(ctx, "own exchange: %s: %s", methods[i], f.why);
    jsonrpc_free(m);
  }
}

/* stdio: ping, an unknown method and, when a tool plays PROGRESS, a call
 * read to its response, on a server process of the case's own. */
static void exchange_stdio(case_ctx *ctx) {
  peer p;
  if (peer_begin(ctx, &p)) {
    peer_free(&p);
    return;
  }
  static const char *const methods[] = {"ping", "mcpwire/no-such-method"};
  static const char *const ids[] = {"\"env-1\"", "\"env-2\""};
  for (size_t i = 0; i < 2; i++) {
    peer_reply r;
    jsonrpc_free(peer_request(&p, methods[i], NULL, NULL, ids[i], &r));
  }
  fixture fx;
  char why[1200], id[64], token[64];
  peer_reply r;
  if (peer_find_fixture(&p, FIXTURE_PROGRESS, &fx, why, sizeof why) > 0 &&
      !peer_send_fixture(&p, &fx, call_unique_id("envelope", id, sizeof id),
                         call_unique_id("envelope", token, sizeof token), &r)) {
    /* Every message passes the envelope check as it arrives. */
    jsonrpc_msg *m;
    rpc_failure f;
    double end = ctx_step_deadline(ctx);
    int done = 0;
    while (!done && (m = peer_next(&p, end, &f))) {
      done = message_answers(m, id);
      jsonrpc_free(m);
    }
  }
  peer_free(&p);
}

/* The case's own exchange, run at the start beside the other cases. */
static void own_exchange(case_ctx *ctx) {
  if (ctx->cfg->stdio)
    exchange_stdio(ctx);
  else if (!strcmp(ctx->cfg->transport_name, "sse"))
    exchange_legacy(ctx);
  else if (revision_is_stateless(ctx->cfg->spec))
    exchange_stateless(ctx);
  else
    exchange_http(ctx);
}

/* JSONRPC-01..13 on every message of the run, once every other case ended. */
static void jsonrpc_envelope(case_ctx *ctx) {
  envelope_tally t = {0};
  size_t ran = 0;
  /* The run's cases in table order; this one's own exchange among them. */
  for (size_t i = 0; ctx->run && i < ctx->run->ncases; i++) {
    const case_result *c = &ctx->run->cases[i];
    if (c->id)
      ran++, tally_case(ctx, &t, c);
  }
  if (!ctx->run)
    tally_case(ctx, &t, ctx->res);
  if (t.listed > MCPWIRE_ENVELOPE_LISTED_MAX)
    ctx_note(ctx, "%zu more problems not listed (MCPWIRE_ENVELOPE_LISTED_MAX)",
             t.listed - MCPWIRE_ENVELOPE_LISTED_MAX);
  ran = ran ? ran : 1;
  ctx_note(ctx, "JSON-RPC messages from the target checked: %zu in %zu case%s; problems: %zu "
           "(%zu MUST) during %zu case%s, and %zu more counted past MCPWIRE_ENVELOPE_PROBLEMS_MAX",
           t.messages, ran, ran == 1 ? "" : "s", t.problems, t.must, t.cases,
           t.cases == 1 ? "" : "s", t.dropped);
  if (!t.first && !t.dropped) {
    if (!t.messages) {
      ctx_skip(ctx, "no JSON-RPC message came from the target during the run");
      return;
    }
    char got[160];
    snprintf(got, sizeof got, "%zu messages during %zu case%s, all well-formed", t.messages,
             ran, ran == 1 ? "" : "s");
    ctx_checked(ctx, ENVELOPE_EXPECTED, got);
    return;
  }
  if (!t.first) { /* only counted, none kept: out of memory while keeping them */
    ctx_violation(ctx, ENVELOPE_EXPECTED, "problems counted but not kept",
                  "%zu envelope problems were counted in %zu cases", t.dropped, t.cases);
    return;
  }
  size_t len = strlen(t.first->excerpt), cut = len > ACTUAL_EXCERPT ? ACTUAL_EXCERPT : len;
  while (cut < len && cut > 0 && ((unsigned char)t.first->excerpt[cut] & 0xc0) == 0x80)
    cut--;
  char actual[ACTUAL_EXCERPT + 200];
  snprintf(actual, sizeof actual, "%s in %s: %.*s%s", t.first->rule, t.first_case->id,
           (int)cut, t.first->excerpt, cut < len || t.first->message_len > len ? "..." : "");
  size_t more = t.problems + t.dropped - 1;
  char tail[160] = "";
  if (more)
    snprintf(tail, sizeof tail, "; %zu more in %zu case%s (listed in the transcript)", more,
             t.cases, t.cases == 1 ? "" : "s");
  if (t.must)
    ctx_violation(ctx, ENVELOPE_EXPECTED, actual,
                  "%s (%s) in case %s, %s: %s%s", t.first->rule, level_name(t.first->level),
                  t.first_case->id, t.first->where, t.first->reason, tail);
  else
    ctx_warn(ctx, ENVELOPE_EXPECTED, actual, "%s (%s) in case %s, %s: %s%s", t.first->rule,
             level_name(t.first->level), t.first_case->id, t.first->where, t.first->reason,
             tail);
}

const case_def run_cases[] = {
    {CASE_ID("run", "jsonrpc-envelope"),
     .title = "Every JSON-RPC message the target sent, in every case of the run, is well-formed",
     .transport = CASE_EVERY, .revisions = REV_ALL | REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("JSONRPC-01", "JSONRPC-02", "JSONRPC-03", "JSONRPC-04", "JSONRPC-05",
                          "JSONRPC-07", "JSONRPC-08", "JSONRPC-09", "JSONRPC-10", "JSONRPC-11",
                          "JSONRPC-13", "S26-RPC-02", "S26-RPC-03", "S26-RPC-04"),
     .spec_ref = SPEC_2511 "basic#messages", .run = jsonrpc_envelope, .run_wide = 1,
     .proof.transports = CASE_HTTP | CASE_STDIO,
     .early = own_exchange,
     .faults = FAULTS("result-and-error", "result-not-object", "error-code-string",
                      "notification-with-id")},
};
const size_t run_ncases = NCASES(run_cases);
