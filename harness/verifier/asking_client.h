/*
 * asking_client: the client side of server-to-client requests, for the
 * http/post and http/multi cases: a session whose client declares sampling
 * and elicitation (so an ASK_CLIENT fixture has something to ask), and
 * the client's answer to what the server asks.
 */
#ifndef MCPWIRE_VERIFIER_ASKING_CLIENT_H
#define MCPWIRE_VERIFIER_ASKING_CLIENT_H

#include "engine/case.h"

/* What an asking client declares. */
#define ASKING_CAPABILITIES "{\"elicitation\":{},\"sampling\":{}}"

/* initialize params at `version` declaring ASKING_CAPABILITIES; returns buf. */
const char *asking_initialize_params(char *buf, size_t len, const char *version);
/* 1 when m is a request a server sends a client: sampling, elicitation or
 * roots (each needs the client's capability, LIFE-OP-01). */
int asking_is_client_request(const jsonrpc_msg *m);
/* The client's answer to the server request req, into out: a sampling
 * result, an empty roots list, or an elicitation decline. 0 on success. */
int asking_answer(const jsonrpc_msg *req, dynbuf *out);

/* JSONRPC-06 judged on the ids of the server's first request in two calls
 * of tool (JSON texts, "" when none came): distinct, or a violation; a
 * skip when one call asked nothing. */
void asking_judge_ids(case_ctx *ctx, const char *tool, const char *first, const char *second);

/* Initialises h at the run's revision declaring elicitation and sampling,
 * then sends notifications/initialized. 0 on success, else the error
 * ("setup: ...") is set. */
int asking_session(case_ctx *ctx, shttp *h);
/* POSTs the client's answer to the server request `req` in h: a sampling
 * result for sampling/createMessage, an empty list for roots/list, an
 * elicitation decline otherwise. The POST stream, or NULL. */
http_stream *asking_post_answer(shttp *h, const jsonrpc_msg *req);

#endif
