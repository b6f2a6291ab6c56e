/* Server-to-client requests over verifier/peer (spec basic/lifecycle
 * #operation, client/sampling, client/elicitation): on stdio and on the
 * legacy transport, a request the server sends during a call of the
 * ASK_CLIENT fixture role. Streamable HTTP has its twins in http/lifecycle
 * and http/jsonrpc, which also say which stream carried the request. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/asking_client.h"
#include "verifier/call.h"
#include "verifier/message_check.h"
#include "verifier/peer.h"

/* One call of the fixture, read to its response. A server request is
 * answered (when `answer`) and its id kept in id (the first one); one of
 * sampling, elicitation or roots bumps *asked (unanswered, it ends the
 * read). 0 when the response came (or the request), -1 with the verdict
 * set. */
static int ask_once(peer *p, const fixture *fx, int answer, char *id, size_t idlen,
                    size_t *asked) {
  char call_id[64];
  peer_reply r;
  id[0] = '\0';
  if (peer_send_fixture(p, fx, call_unique_id("ask", call_id, sizeof call_id), NULL, &r)) {
    peer_unanswered(p, &r, fx->tool);
    return -1;
  }
  double end = ctx_step_deadline(p->ctx);
  jsonrpc_msg *m;
  while ((m = peer_next(p, end, &r.f))) {
    message_check_envelope(p->ctx, m, "a message of the ask_client fixture's call");
    size_t len = 0;
    const char *raw = jsonrpc_id_raw(m, &len);
    *asked += asking_is_client_request(m);
    if (jsonrpc_kind_of(m) == JSONRPC_REQUEST && raw && answer) {
      if (!id[0])
        snprintf(id, idlen, "%.*s", (int)len, raw);
      dynbuf b;
      dynbuf_init(&b, MCPWIRE_JSON_BODY_MAX);
      peer_reply ra;
      if (!asking_answer(m, &b))
        peer_call(p, dynbuf_str(&b), NULL, &ra);
      dynbuf_free(&b);
    }
    /* A request left unanswered holds the call: what it asked decides. */
    int done = message_answers(m, call_id) || (*asked && !answer);
    jsonrpc_free(m);
    if (done)
      return 0;
  }
  peer_unanswered(p, &r, fx->tool);
  return -1;
}

/* LIFE-OP-01: a client that declared no capabilities gets no sampling,
 * elicitation or roots request, whatever the tool does instead. */
static void no_undeclared_requests(case_ctx *ctx) {
  peer p;
  fixture fx;
  char id[64];
  size_t asked = 0;
  if (!peer_open(ctx, &p) && !peer_require_fixture(&p, FIXTURE_ASK_CLIENT, FIXTURE_PACE_FULL, &fx) &&
      !ask_once(&p, &fx, 0, id, sizeof id, &asked)) {
    char got[48];
    snprintf(got, sizeof got, "%zu such requests", asked);
    if (asked)
      ctx_violation(ctx, "no sampling, elicitation or roots request", got,
                    "the server asked a client that declared no capabilities (%s)", got);
    else
      ctx_checked(ctx, "no sampling, elicitation or roots request", got);
  }
  peer_free(&p);
}

/* JSONRPC-06: the server never reuses one of its request ids in a session. */
static void server_request_ids_unique(case_ctx *ctx) {
  peer p;
  fixture fx;
  char params[400], ids[2][64];
  size_t asked = 0;
  if (peer_open_with(ctx, &p, asking_initialize_params(params, sizeof params, ctx->cfg->spec)) ||
      peer_require_fixture(&p, FIXTURE_ASK_CLIENT, FIXTURE_PACE_FULL, &fx))
    goto done;
  for (int i = 0; i < 2; i++)
    if (ask_once(&p, &fx, 1, ids[i], sizeof ids[i], &asked))
      goto done;
  asking_judge_ids(ctx, fx.tool, ids[0], ids[1]);
done:
  peer_free(&p);
}

#define ASK_CASE(section_, name_) CASE_ID(section_, name_), \
  .transport = CASE_SSE | CASE_STDIO, .proof.transports = CASE_SSE | CASE_STDIO, \
  .fixtures = FX_ASK_CLIENT, .slow = 1

const case_def asking_cases[] = {
    /* 2025-06-18 on, which the legacy transport never negotiates: proven on stdio. */
    {CASE_ID("lifecycle", "no-undeclared-requests"), .transport = CASE_SSE | CASE_STDIO,
     .proof.transports = CASE_STDIO, .fixtures = FX_ASK_CLIENT, .slow = 1,
     .title = "No sampling, elicitation or roots request reaches a client that declared none",
     .revisions = REV_2025_06_18 | REV_2025_11_25, .level = LEVEL_MUST,
     .requirements = REQS("LIFE-OP-01"), .spec_ref = SPEC_2511 "basic/lifecycle#operation",
     .run = no_undeclared_requests, .faults = FAULTS("ask-undeclared-capability")},
    {ASK_CASE("jsonrpc", "server-request-ids-unique"),
     .title = "The server never reuses a request id of its own within a session",
     .revisions = REV_ALL, .level = LEVEL_MUST, .requirements = REQS("JSONRPC-06"),
     .spec_ref = SPEC_2511 "basic#requests", .run = server_request_ids_unique,
     .faults = FAULTS("reuse-server-request-ids")},
};
const size_t asking_ncases = NCASES(asking_cases);
