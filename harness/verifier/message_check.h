/*
 * message_check: judgments on one JSON-RPC message a case read: the
 * envelope rules, an expected error code, the members an initialize
 * result must have, ping's empty result.
 */
#ifndef MCPWIRE_VERIFIER_MESSAGE_CHECK_H
#define MCPWIRE_VERIFIER_MESSAGE_CHECK_H

#include "engine/case.h"

/* JSONRPC-09/10/11/13: a server message obeys the envelope (result xor
 * error, result an object, integer code + string message, notifications
 * without id). 1 when it does, else a violation is set. */
int message_check_envelope(case_ctx *ctx, const jsonrpc_msg *m, const char *what);
/* An error response with code `want`; `what` names the request. 1 when so. */
int message_check_error(case_ctx *ctx, const jsonrpc_msg *m, const rpc_failure *f, long want,
                        const char *what);
/* The first of result.protocolVersion, capabilities, serverInfo{name,
 * version} that an initialize response lacks or has with the wrong type;
 * NULL when all are there. */
const char *message_init_result_lacks(const jsonrpc_msg *m);
/* 1 when the result is {} (a _meta member aside), as ping's must be. */
int message_result_is_empty(const jsonrpc_msg *m);
/* 1 when m is a response (success or error) to the request id_raw (JSON
 * text, matched by type and value). */
int message_answers(const jsonrpc_msg *m, const char *id_raw);

#endif
