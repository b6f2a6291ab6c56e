/*
 * asking_client: the client side of server-to-client requests, for the
 * http/post and http/multi cases: a session whose client declares sampling
 * and elicitation (so an ASK_CLIENT fixture has something to ask), and
 * the client's answer to what the server asks.
 */
#ifndef MCPWIRE_VERIFIER_ASKING_CLIENT_H
#define MCPWIRE_VERIFIER_ASKING_CLIENT_H

#include "engine/case.h"

/* Initialises h at the run's revision declaring elicitation and sampling,
 * then sends notifications/initialized. 0 on success, else the error
 * ("setup: ...") is set. */
int asking_session(case_ctx *ctx, shttp *h);
/* POSTs the client's answer to the server request `req` in h: a sampling
 * result for sampling/createMessage, an empty list for roots/list, an
 * elicitation decline otherwise. The POST stream, or NULL. */
http_stream *asking_post_answer(shttp *h, const jsonrpc_msg *req);

#endif
