/*
 * envelope: the JSON-RPC envelope of every message the target sends, in
 * every case, checked where the transport receives it.
 *
 * The runner attaches each case's transcript (envelope_attach); from then on
 * every client of that case hands over each JSON-RPC message it receives
 * (each SSE `message` event with data, each whole application/json body).
 * Each one goes through the jsonrpc codec's classification (RFC 8259,
 * UTF-8, jsonrpc "2.0", id types, result xor error, result an object, the
 * error object's code and message, ...) plus JSONRPC-13 (a notification
 * never carries an id). Every broken rule becomes an envelope_problem in
 * the case's result, with where the message came from and its raw bytes,
 * and one transcript line. The case's own verdict does not change: the
 * run-wide case run/jsonrpc-envelope (cases/run.c) judges them all.
 *
 * Error bodies (HTTP status 300 and up) are judged only when they claim to
 * be JSON-RPC (a JSON object with a "jsonrpc" member): the spec lets an HTTP
 * error carry any body.
 */
#ifndef MCPWIRE_ENVELOPE_H
#define MCPWIRE_ENVELOPE_H

#include <stddef.h>

#include "engine/case.h"
#include "mcpwire_limits.h"

/* The envelope check of one case: where its problems go, and the ids of an
 * odd type (neither a string nor an integer: 1.5, null, true) the harness
 * itself sent in its requests. A response that echoes such an id follows
 * JSON-RPC's rule (the id of the request, as given), so its id is not held
 * against the target; the cases that send them judge that exchange. */
typedef struct envelope_watch {
  case_result *res;
  transcript *log;             /* a line per problem; may be NULL */
  char sent_ids[MCPWIRE_ENVELOPE_SENT_IDS_MAX][64];
  size_t nsent_ids;
} envelope_watch;

/* Sets up w for the case and makes every client writing to `log` hand its
 * traffic to it (transcript.on_message). */
void envelope_attach(envelope_watch *w, transcript *log, case_result *res);

/* A request body the harness sent: its odd-typed ids are noted. */
void envelope_sent(envelope_watch *w, const char *data, size_t len);

/* Checks one message received in the case: counts it in
 * res->envelope_messages and records its problems in res. */
void envelope_check(envelope_watch *w, const char *where, long status, const char *data,
                    size_t len);

/* MUST, or SHOULD for rules that are interoperability advice (I-JSON). */
level envelope_rule_level(const char *rule);

#endif
