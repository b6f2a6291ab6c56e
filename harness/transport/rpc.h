/*
 * rpc: JSON-RPC over a stream: build ids, await the response to one id.
 *
 * A response can come as an application/json body (Streamable HTTP) or as a
 * `message` event on an SSE stream (Streamable HTTP SSE replies, and the
 * legacy transport's GET stream). Both paths end in the jsonrpc codec; ids
 * are matched by raw text, so "1" never matches 1.
 */
#ifndef MCPWIRE_RPC_H
#define MCPWIRE_RPC_H

#include <stddef.h>

#include "codec/jsonrpc.h"
#include "transport/client.h"

/* Why an await ended without a response. */
typedef struct rpc_failure {
  char why[300];
} rpc_failure;

/* Waits on `s` for the response whose id equals id_raw. JSON bodies are
 * read whole; on SSE every `message` event is parsed and other messages
 * (requests, notifications) are passed over (and counted in *others when
 * not NULL). Returns the message (jsonrpc_free it) or NULL with f->why. */
jsonrpc_msg *rpc_await_response(http_stream *s, const char *id_raw, double deadline_ms,
                                rpc_failure *f, size_t *others);

/* The first message (any kind) of a JSON body or the next SSE message
 * event, or NULL with f->why. */
jsonrpc_msg *rpc_next_message(http_stream *s, double deadline_ms, rpc_failure *f);

/* 1 when the body has a JSON-RPC message of any kind (for "202 must have
 * no JSON-RPC body" checks). */
int rpc_body_has_message(const http_stream *s);

#endif
