/*
 * shttp: a Streamable HTTP client session (2025-03-26 and later).
 *
 * POSTs carry `Accept: application/json, text/event-stream`; replies may be
 * JSON or SSE. After initialize the session id (Mcp-Session-Id) goes on
 * every request, and from 2025-06-18 the negotiated MCP-Protocol-Version
 * too. Flags let a case leave either out, or send a forged session id, to
 * test the server's answer. GET opens the standalone stream (optionally a
 * resumption with Last-Event-ID); DELETE ends the session.
 *
 * Every session initialised here is ended when its shttp is freed: DELETE
 * (counted in session_ledger), unless the case already sent DELETE itself
 * or called shttp_keep. Each opening waits its turn in session_pacer.
 */
#ifndef MCPWIRE_SHTTP_H
#define MCPWIRE_SHTTP_H

#include "codec/jsonrpc.h"
#include "transport/client.h"
#include "transport/rpc.h"

enum shttp_flags {
  SHTTP_OMIT_SESSION = 1,  /* no Mcp-Session-Id header */
  SHTTP_OMIT_VERSION = 2   /* no MCP-Protocol-Version header */
};

typedef struct shttp {
  client *c;
  const char *url;
  char *session_id;          /* as issued at initialize, or NULL */
  char *forged_session;      /* sent instead of session_id when set */
  char protocol_version[32]; /* negotiated, "" before initialize */
  long next_id;
  jsonrpc_msg *init_result;  /* the initialize response */
  http_stream *init_stream;  /* the POST that carried it */
  http_stream *end_stream;   /* the case's own DELETE of session_id, or NULL */
  const char *keep_why;      /* static: shttp_keep's reason, or NULL */
  int opening;               /* an initialize of ours holds a session_pacer place */
} shttp;

void shttp_init(shttp *h, client *c, const char *url);
/* Ends the session (DELETE with its id at the run's target, waiting at most
 * MCPWIRE_SESSION_END_WAIT_MS on h->c, which must still be alive) unless
 * the case deleted it or keeps it, then frees h. */
void shttp_free(shttp *h);
/* The case leaves this session open on purpose (e.g. to see it expire);
 * why (static) is counted with the run's sessions. */
void shttp_keep(shttp *h, const char *why);

http_stream *shttp_post(shttp *h, const char *body, unsigned flags);
/* Starts `method` on client c at url with the headers shttp_post, shttp_get
 * and shttp_delete send: the method's own, the session headers of h (NULL:
 * none; flags as above), then the NULL-terminated `extra` lines (NULL: none;
 * at most MCPWIRE_SHTTP_EXTRA_HEADERS_MAX). For cases that add or vary a header or send
 * from another client. body is for POST (may be NULL). */
http_stream *shttp_request(client *c, const char *url, const shttp *h, const char *method,
                           const char *body, const char *const *extra, unsigned flags);
/* shttp_post in raw mode (client_start_raw): the same headers, and the
 * response's bytes as they came in s->wire (at most wire_max). */
http_stream *shttp_post_raw(shttp *h, const char *body, size_t wire_max);
/* GET the standalone SSE stream; last_event_id NULL for a fresh one. */
http_stream *shttp_get(shttp *h, const char *last_event_id, unsigned flags);
/* The same GET sent to another URL (e.g. a fault proxy in front of the
 * target) with this session's headers. */
http_stream *shttp_get_from(shttp *h, const char *url, const char *last_event_id,
                            unsigned flags);
http_stream *shttp_delete(shttp *h, unsigned flags);

/* POSTs initialize offering `version`, keeps the result, the session id and
 * the negotiated version, then POSTs notifications/initialized. 0 on
 * success; -1 with f->why. */
int shttp_initialize(shttp *h, const char *version, double deadline_ms, rpc_failure *f);
/* POSTs only initialize (no initialized notification): for probes and for
 * cases that look at that exchange itself. */
int shttp_initialize_only(shttp *h, const char *version, double deadline_ms, rpc_failure *f);

/* POSTs the request `method` with the raw id id_raw (JSON text) in h: the
 * POST stream, or NULL with f->why. */
http_stream *shttp_post_request(shttp *h, const char *id_raw, const char *method,
                                const char *params_json, rpc_failure *f);
/* POSTs a request with the next integer id and awaits its response. *post
 * gets the POST stream when not NULL. */
jsonrpc_msg *shttp_call(shttp *h, const char *method, const char *params_json,
                        double deadline_ms, http_stream **post, rpc_failure *f);
/* Same with a caller-chosen raw id (JSON text, e.g. "\"abc\"" or "-7"). */
jsonrpc_msg *shttp_call_id(shttp *h, const char *id_raw, const char *method,
                           const char *params_json, double deadline_ms, http_stream **post,
                           rpc_failure *f);

/* Awaits the response `id_raw` on the POST reply `s`, whatever its shape:
 * an application/json body, an SSE stream, or (2025-11-25 polling,
 * SEP-1699) an SSE reply the server ends after an event id without the
 * response: then it waits the advertised retry (capped by
 * MCPWIRE_RETRY_WAIT_MAX_MS) and resumes with GET + Last-Event-ID (a
 * transcript line says so), at most MCPWIRE_POLL_RESUMES_MAX times. Each
 * wait (the reply, the retry, each resumed stream) ends step_ms after it
 * began (0: no step limit), all by deadline_ms. The one way mcpwire follows
 * a response; NULL with f->why. */
jsonrpc_msg *shttp_await_response(shttp *h, http_stream *s, const char *id_raw, double step_ms,
                                  double deadline_ms, rpc_failure *f);

/* Waits the reconnection time stream s advertised (its SSE `retry`,
 * capped by MCPWIRE_RETRY_WAIT_MAX_MS), no later than deadline_ms; returns
 * at once when it advertised none. */
void shttp_wait_retry(shttp *h, http_stream *s, double deadline_ms);

/* Params for initialize offering `version`. */
const char *shttp_initialize_params(char *buf, size_t len, const char *version);
/* A whole initialize request with id `id_raw` (JSON text) offering
 * `version`, for cases that send it by hand; returns buf. */
const char *shttp_initialize_request(char *buf, size_t len, const char *id_raw,
                                     const char *version);

#endif
