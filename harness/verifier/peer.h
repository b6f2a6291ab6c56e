/*
 * peer: one MCP session with the target, whatever carries it: the legacy
 * HTTP+SSE transport (requests POSTed to the endpoint, answers on the
 * stream) or stdio (a server process of the case's own, one message per
 * line). Cases that judge messages only (lifecycle, the JSON-RPC envelope
 * and error codes) are written once against it and run on both; what
 * differs is said here once: a refusal may be an HTTP 4xx on HTTP and can
 * only be a JSON-RPC error on stdio, and a request that gets no answer is
 * a hang, a refusal or a lost response by what the transport showed.
 *
 * Streamable HTTP has its own cases (http/...), which also judge statuses
 * and headers; the peer does not serve it.
 */
#ifndef MCPWIRE_VERIFIER_PEER_H
#define MCPWIRE_VERIFIER_PEER_H

#include "engine/case.h"
#include "engine/fixture_pace.h"
#include "transport/stateless.h"
#include "transport/stdio_channel.h"
#include "transport/stdio_process.h"

typedef struct peer {
  case_ctx *ctx;
  int stdio;                 /* 1: a process of the case's own; 0: legacy HTTP+SSE */
  legacy l;                  /* legacy only */
  stdio_process *proc;       /* stdio only */
  stdio_channel *ch;
  jsonrpc_msg *init_result;  /* stdio: the initialize response (legacy: l.init_result) */
  stdio_stop stop;           /* stdio: how the process ended (peer_stop) */
  int stateless;             /* peer_begin at 2026-07-28: no initialize, _meta on each request */
  int stopped;
} peer;

/* What became of one message sent. */
typedef struct peer_reply {
  long http_status;   /* legacy: the POST's status; 0 when none came, always 0 on stdio */
  int no_status;      /* legacy: the POST got no HTTP status in a step (a hang) */
  int send_failed;    /* mcpwire could not send it (no connection, a broken pipe) */
  rpc_failure f;      /* why no response came */
  http_stream *post;  /* legacy: the POST (owned by the case's client), else NULL */
} peer_reply;

/* The transport's name in verdict lines: "stdio" or "the legacy transport". */
const char *peer_transport(const peer *p);

/* Starts p without initialize: the legacy stream up to its endpoint event,
 * or the server process. On failure the verdict is set (an error, or a skip
 * for an endpoint mcpwire may not send to) and -1 returned; peer_free
 * either way. */
int peer_start(case_ctx *ctx, peer *p);
/* peer_start, then initialize at the run's revision and
 * notifications/initialized. -1 with the verdict set on failure. */
int peer_open(case_ctx *ctx, peer *p);
/* peer_open with initialize's params given whole (a client declaring
 * capabilities: verifier/asking_client). */
int peer_open_with(case_ctx *ctx, peer *p, const char *init_params);
/* The start of an exchange in the run's era: peer_open in the session
 * era; at 2026-07-28 (stdio) peer_start and a server/discover, whose
 * answer stands for the initialize response. -1 with the verdict set. */
int peer_begin(case_ctx *ctx, peer *p);
/* One request in the peer's era, its response awaited: method, params
 * members besides _meta (NULL: none), _meta members of the caller's own
 * (NULL: none; at 2026-07-28 beside the request metadata), id (JSON text). */
jsonrpc_msg *peer_request(peer *p, const char *method, const char *params, const char *meta,
                          const char *id_raw, peer_reply *r);
/* The initialize response of peer_open (discover's after a stateless peer_begin). */
const jsonrpc_msg *peer_init_result(const peer *p);

/* Sends one message (compact JSON, no newline) and, when id_raw is not
 * NULL, awaits the response with that id for a step. Returns it (envelope
 * checked; jsonrpc_free it) or NULL with r saying why. */
jsonrpc_msg *peer_call(peer *p, const char *body, const char *id_raw, peer_reply *r);
/* A 2026-07-28 request on stdio (no initialize: req's _meta says who
 * asks and at which revision; headers do not exist there), its response
 * awaited when req->id_raw is set. As peer_call. */
jsonrpc_msg *peer_stateless_call(peer *p, const stateless_request *req, peer_reply *r);
/* Sends bytes as one message whatever they hold (a negative probe):
 * POSTed as the body, or written as one line. 0 when sent; r says what
 * the transport answered (legacy: the status, after a step at most). */
int peer_send_raw(peer *p, const char *bytes, size_t len, peer_reply *r);
/* The next error response whose id is id_raw, null or absent (a message
 * the server could not read), or a success response with id_raw, within a
 * step; NULL with r->f.why. */
jsonrpc_msg *peer_await_refusal(peer *p, const char *id_raw, peer_reply *r);

/* The next message the server sends (a notification, a request, a
 * response), within deadline_ms: on stdio the next line that is a message
 * (other lines are in the transcript; stdio/framing judges them), on the
 * legacy transport the next message event. NULL with f->why. */
jsonrpc_msg *peer_next(peer *p, double deadline_ms, rpc_failure *f);

/* Resolves a fixture role through the peer's tools/list, in its era (the
 * user's mapping first; engine/fixture.h). For PROGRESS, --quick shortens the
 * call as pace says. 0 with *fx set; -1 with the verdict set (a skip
 * naming the tools looked for). */
int peer_require_fixture(peer *p, fixture_role role, fixture_pace pace, fixture *fx);
/* peer_require_fixture without a verdict: 1 with *fx set, 0 when the
 * target cannot serve the role, -1 when tools/list failed (why says). */
int peer_find_fixture(peer *p, fixture_role role, fixture *fx, char *why, size_t len);
/* Sends one call of the fixture with id id_raw and progress token
 * token_raw (JSON texts; token NULL: none), not awaiting it. 0 when sent,
 * else -1 with r saying why. */
int peer_send_fixture(peer *p, const fixture *fx, const char *id_raw, const char *token_raw,
                      peer_reply *r);

/* The verdict for a request that got no response: on the legacy transport
 * a hang (no status), a refusal (an error status) or a lost response (2xx
 * and nothing on the stream); on stdio no response line within a step.
 * ERROR only when mcpwire could not send. */
void peer_unanswered(peer *p, const peer_reply *r, const char *what);

/* stdio: closes stdin and waits for the exit (then SIGTERM, SIGKILL), the
 * output drained into the transcript; p->stop says which step ended it.
 * Nothing on the legacy transport. Called by peer_free when not before. */
void peer_stop(peer *p);
void peer_free(peer *p);

#endif
