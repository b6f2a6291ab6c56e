/*
 * jsonrpc: strict JSON parsing and JSON-RPC 2.0 / MCP classification.
 *
 * The only module that touches cJSON. cJSON is lenient (see docs/JSONRPC.md):
 * it accepts leading zeros, `1.`, trailing garbage, raw control characters,
 * invalid UTF-8, duplicate keys, and truncates at `\u0000`. So every body is
 * first checked by a strict RFC 8259 scanner here, which also records the raw
 * text of each message's `id`; only then does cJSON build the tree.
 *
 * Classification follows JSON-RPC 2.0 plus MCP's stricter rules (ids are
 * strings or integers, never null in requests; params is an object; result
 * is an object). Each broken rule is a problem with the catalog id it breaks
 * (e.g. "JSONRPC-02") or "RFC8259" / "I-JSON" for the JSON layer, and a
 * precise reason. Ids are compared by their raw text, never re-printed from a
 * double, so large integers and strings echo exactly.
 */
#ifndef MCPWIRE_JSONRPC_H
#define MCPWIRE_JSONRPC_H

#include <stddef.h>

#include "codec/dynbuf.h"

typedef enum jsonrpc_kind {
  JSONRPC_INVALID = 0,
  JSONRPC_REQUEST,
  JSONRPC_NOTIFICATION,
  JSONRPC_SUCCESS_RESPONSE,
  JSONRPC_ERROR_RESPONSE,
  JSONRPC_BATCH
} jsonrpc_kind;

/* Printable names: "invalid", "request", "notification",
 * "success_response", "error_response", "batch". */
const char *jsonrpc_kind_name(jsonrpc_kind k);

typedef struct jsonrpc_problem {
  const char *rule;   /* "RFC8259", "I-JSON", "JSONRPC-02", ... (static) */
  char reason[200];   /* e.g. "leading zero in number at byte 12" */
  long offset;        /* byte offset in the body, or -1 */
  int batch_index;    /* element of a batch it concerns, or -1 */
} jsonrpc_problem;

typedef struct jsonrpc_msg jsonrpc_msg;

/* Parses and classifies a body of known length (it need not be
 * NUL-terminated). Never returns NULL except when out of memory: invalid
 * input gives a message of kind JSONRPC_INVALID with its problems. */
jsonrpc_msg *jsonrpc_parse(const char *body, size_t len);
void jsonrpc_free(jsonrpc_msg *m);

/* 1 when the bytes are well-formed JSON (RFC 8259 grammar, UTF-8). Such a
 * body can still hold interoperability problems (duplicate keys,
 * lone surrogates), which are listed as problems. */
int jsonrpc_is_json(const jsonrpc_msg *m);
jsonrpc_kind jsonrpc_kind_of(const jsonrpc_msg *m);
/* 1 when the body is a valid JSON-RPC message of a non-invalid kind (a batch
 * is valid only when every element is). */
int jsonrpc_is_valid(const jsonrpc_msg *m);
size_t jsonrpc_problem_count(const jsonrpc_msg *m);
const jsonrpc_problem *jsonrpc_problem_at(const jsonrpc_msg *m, size_t i);

/* Batches: the elements, each a message of its own kind. */
size_t jsonrpc_batch_count(const jsonrpc_msg *m);
const jsonrpc_msg *jsonrpc_batch_at(const jsonrpc_msg *m, size_t i);

/* Envelope of a single message (NULL / 0 when absent). */
const char *jsonrpc_method(const jsonrpc_msg *m);
/* Raw JSON text of the `id` value exactly as received ("42", "\"a\"", "null"). */
const char *jsonrpc_id_raw(const jsonrpc_msg *m, size_t *len);
/* Same JSON type and value: strings compare by decoded content, numbers by
 * their text. Takes raw id texts. */
int jsonrpc_id_equal(const char *a, size_t alen, const char *b, size_t blen);
/* Error responses: 1 and *code set when `error.code` is an integer. */
int jsonrpc_error_code(const jsonrpc_msg *m, long *code);
const char *jsonrpc_error_message(const jsonrpc_msg *m);

/* Path queries into a single message: "params.protocolVersion",
 * "result.tools[0].name", "" for the root. Keys match case-sensitively.
 * A key holding dots or brackets is written quoted in brackets:
 * params._meta["io.modelcontextprotocol/protocolVersion"] (no escapes; the
 * key cannot contain `"]`). */
typedef enum jsonrpc_type {
  JSONRPC_T_ABSENT = 0, JSONRPC_T_NULL, JSONRPC_T_FALSE, JSONRPC_T_TRUE,
  JSONRPC_T_NUMBER, JSONRPC_T_STRING, JSONRPC_T_ARRAY, JSONRPC_T_OBJECT
} jsonrpc_type;
jsonrpc_type jsonrpc_get_type(const jsonrpc_msg *m, const char *path);
const char *jsonrpc_get_string(const jsonrpc_msg *m, const char *path);
int jsonrpc_get_number(const jsonrpc_msg *m, const char *path, double *out);
/* Elements of an array or members of an object; 0 otherwise. */
size_t jsonrpc_get_count(const jsonrpc_msg *m, const char *path);
/* Name of the i-th member of the object at path, or NULL. */
const char *jsonrpc_get_key(const jsonrpc_msg *m, const char *path, size_t i);
/* Appends the compact JSON of the value at path; 0 on success. */
int jsonrpc_get_json(const jsonrpc_msg *m, const char *path, dynbuf *out);

/* ---- builders: compact JSON appended to out; 0 on success ----
 * id_raw, params_json, result_json and data_json are JSON texts spliced in
 * as given (an id echoed from jsonrpc_id_raw() stays byte-exact). NULL
 * params / data are left out; a NULL id_raw in an error writes "id":null. */
int jsonrpc_build_request(dynbuf *out, const char *id_raw, const char *method,
                          const char *params_json);
int jsonrpc_build_notification(dynbuf *out, const char *method,
                               const char *params_json);
int jsonrpc_build_result(dynbuf *out, const char *id_raw, size_t id_len,
                         const char *result_json);
int jsonrpc_build_error(dynbuf *out, const char *id_raw, size_t id_len,
                        long code, const char *message, const char *data_json);

/* Standard codes. */
enum {
  JSONRPC_PARSE_ERROR = -32700,
  JSONRPC_INVALID_REQUEST = -32600,
  JSONRPC_METHOD_NOT_FOUND = -32601,
  JSONRPC_INVALID_PARAMS = -32602,
  JSONRPC_INTERNAL_ERROR = -32603
};

/* ---- additions (the declarations above are frozen) ----
 * Besides "RFC8259", "I-JSON" and catalog ids, a problem's rule can be
 * "LIMIT" (one of the caps in mcpwire_limits.h refused the body, or a
 * `\u0000` escape, which cJSON and C strings cannot hold) or
 * "INTERNAL" (out of memory). */

/* The kind the members make a message look like, even when it is invalid
 * (a request whose params is an array still looks like a request). */
jsonrpc_kind jsonrpc_apparent_kind(const jsonrpc_msg *m);
/* Problems past MCPWIRE_JSONRPC_PROBLEMS_MAX: counted here, not kept. */
size_t jsonrpc_problems_dropped(const jsonrpc_msg *m);
/* Raw JSON text of the value at path exactly as received (not
 * NUL-terminated), e.g. params.requestId to compare with
 * jsonrpc_id_equal(). NULL when absent. */
const char *jsonrpc_get_raw(const jsonrpc_msg *m, const char *path, size_t *len);
/* An error response with no `id` member at all (2025-11-25, for a request
 * whose id could not be read: JSONRPC-15). */
int jsonrpc_build_error_without_id(dynbuf *out, long code, const char *message,
                                   const char *data_json);
/* Builders return a dynbuf_status, or this when a required argument is NULL. */
#define JSONRPC_BUILD_BAD_ARGS (-3)

#endif
