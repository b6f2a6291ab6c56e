/*
 * mcp_header: the 2026-07-28 header layer of Streamable HTTP as a codec.
 *
 * A stateless request mirrors body fields into HTTP headers (S26-HDR):
 * MCP-Protocol-Version (= params._meta "io.modelcontextprotocol/
 * protocolVersion"), Mcp-Method (= method), Mcp-Name (= params.name of
 * tools/call and prompts/get, params.uri of resources/read) and
 * Mcp-Param-{Name} for each tool argument whose inputSchema property
 * carries "x-mcp-header": "{Name}" (S26-PARAM). A value that is not
 * header-safe travels as "=?base64?" + standard Base64 + "?=" (S26-B64).
 *
 * Used by the harness (to build requests and judge a client's) and by
 * mcpwire-mock (to validate the requests it serves). No I/O, no clock;
 * trees are cJSON (parsed by the caller, e.g. after codec/jsonrpc's strict
 * scanner accepted the bytes). Every value is bounded by the caps in
 * mcpwire_limits.h (MCPWIRE_MCP_*): a cap is reported apart from a broken
 * rule (-2, MCP_MIRROR_LIMIT), so a cap never reads as a failure.
 *
 * Readings where the spec is open (catalog Y-08), chosen so that what
 * mcpwire sends is accepted by every reading and what it accepts is what
 * a strict reader would send or tolerate:
 *   - encoding: an empty value, and any TAB (even inside), are encoded
 *     (mcp_header_needs_encoding says 2: "mcpwire encodes; plain is not
 *     wrong"); some HTTP stacks (libcurl among them) drop empty headers;
 *   - decoding: optional whitespace around a received value is not part of
 *     it (RFC 9110, S26-HDR-11); an internal TAB in a literal is accepted;
 *     markers must not overlap ("=?base64?=" is a literal); the payload is
 *     strict RFC 4648 Base64 (padding required, standard alphabet, '='
 *     only as final padding); pad bits that are not zero are accepted (the
 *     bytes are unambiguous); the decoded bytes are not required to be
 *     UTF-8 (they then match no JSON string).
 */
#ifndef MCPWIRE_MCP_HEADER_H
#define MCPWIRE_MCP_HEADER_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcpwire_limits.h"

/* Header names (compare case-insensitively, S26-HDR-08) and the body key. */
#define MCP_HEADER_PROTOCOL_VERSION "MCP-Protocol-Version"
#define MCP_HEADER_METHOD "Mcp-Method"
#define MCP_HEADER_NAME "Mcp-Name"
#define MCP_HEADER_PARAM_PREFIX "Mcp-Param-"
#define MCP_META_PROTOCOL_VERSION "io.modelcontextprotocol/protocolVersion"
#define MCP_HEADER_SENTINEL_PREFIX "=?base64?"
#define MCP_HEADER_SENTINEL_SUFFIX "?="

/* ---- values ---- */

/* 0: header-safe as it is (visible ASCII and inner spaces, not
 *    sentinel-shaped);
 * 1: MUST be encoded (a byte outside 0x20-0x7E other than an inner TAB,
 *    leading or trailing whitespace, or sentinel-shaped: S26-B64-01/04);
 * 2: mcpwire encodes it but plain is not wrong (empty, or an inner TAB:
 *    Y-08). */
int mcp_header_needs_encoding(const char *value, size_t len);

/* Encodes a value for a mirrored header: plain when header-safe and not
 * sentinel-shaped, else =?base64?...?=. Returns the length written
 * (excluding NUL), or -1 if out is too small. */
int mcp_header_encode(const char *value, size_t len, char *out, size_t outlen);

/* Decodes a received header value: a sentinel-wrapped value is Base64-decoded
 * strictly (padding required, standard alphabet only); anything else is
 * returned as the literal. Optional whitespace around the value is dropped
 * first. Returns the length written to out (NUL-terminated; the bytes may
 * hold a NUL), or -1 with *why set ("malformed base64 in sentinel",
 * "invalid character in header value"), or -2 when out is too small (why
 * says so). why may be NULL. */
int mcp_header_decode(const char *value, size_t len, char *out, size_t outlen, const char **why);

/* Converts a JSON argument (string / integer / boolean) to its header text
 * before encoding (S26-PARAM-02): strings as they are, integers in decimal
 * (an integral number such as 42.0 or 1e3 counts; beyond +-(2^53-1) it
 * cannot be exact), booleans true / false. 0 on success, -1 for a type
 * that cannot be mirrored (number with fraction, object, array, null), -2
 * when out is too small. */
int mcp_header_from_json(const cJSON *arg, char *out, size_t outlen);

/* ---- x-mcp-header annotations (S26-PARAM-05) ---- */

typedef enum mcp_param_type {
  MCP_PARAM_STRING = 0,
  MCP_PARAM_INTEGER,
  MCP_PARAM_BOOLEAN
} mcp_param_type;

typedef struct mcp_param_annotation {
  char name[MCPWIRE_MCP_PARAM_NAME_MAX];   /* {Name}, as declared */
  char path[MCPWIRE_MCP_PARAM_DEPTH_MAX][MCPWIRE_MCP_PARAM_KEY_MAX]; /* property names from the root */
  size_t depth;                            /* entries of path in use (>= 1) */
  mcp_param_type type;                     /* the property's "type" */
} mcp_param_annotation;

/* The x-mcp-header annotations of a tool inputSchema: validates every one
 * (PARAM-05) and lists them as (header name, JSON path of property names)
 * pairs, in document order. Returns 0 when valid (*n set), -1 with why
 * naming the rule broken ("PARAM-05(3): ..."), -2 with why when a cap
 * (max, MCPWIRE_MCP_PARAM_*, MCPWIRE_MCP_SCHEMA_DEPTH_MAX) stopped the walk:
 * not a verdict. A schema that is not an object has no annotations. */
int mcp_header_annotations(const cJSON *input_schema, mcp_param_annotation *out, size_t max,
                           size_t *n, char *why, size_t whylen);

/* ---- a request's mirrored headers ---- */

typedef enum mcp_mirror_status {
  MCP_MIRROR_OK = 0,
  MCP_MIRROR_VERSION_MISSING,   /* no MCP-Protocol-Version (S26-HDR-01/05/09) */
  MCP_MIRROR_METHOD_MISSING,    /* no Mcp-Method (S26-HDR-06/09) */
  MCP_MIRROR_NAME_MISSING,      /* no Mcp-Name on tools/call, prompts/get, resources/read (S26-HDR-07/09) */
  MCP_MIRROR_PARAM_MISSING,     /* body has the argument, no Mcp-Param-{Name} (S26-PARAM-09) */
  MCP_MIRROR_MISMATCH,          /* a value differs from the body after decoding (S26-HDR-03/09, S26-PARAM-08) */
  MCP_MIRROR_INVALID_CHARS,     /* a byte no header value may hold (S26-HDR-09, S26-PARAM-11) */
  MCP_MIRROR_BAD_BASE64,        /* malformed Base64 inside the markers (S26-B64-06, de facto) */
  MCP_MIRROR_BAD_SCHEMA,        /* the tool's annotations break PARAM-05: params not checked */
  MCP_MIRROR_NOT_REQUEST,       /* body is not an object with a string method: nothing to mirror */
  MCP_MIRROR_LIMIT              /* a cap stopped the check: could not judge */
} mcp_mirror_status;

/* "ok", "version-missing", ..., "limit". */
const char *mcp_mirror_status_name(mcp_mirror_status s);
/* 1 for the statuses a server answers with 400 and -32020 (HeaderMismatch,
 * S26-HDR-10): missing, mismatch, invalid characters, malformed Base64. */
int mcp_mirror_is_header_mismatch(mcp_mirror_status s);

/* Looks a request header up by name, case-insensitively; NULL when absent
 * (a present empty header is "" with *len 0). */
typedef const char *(*mcp_header_lookup)(void *arg, const char *name, size_t *len);

/* Checks a request's mirrored headers against its body (the server-side
 * rule, S26-HDR-09, S26-PARAM-08..11): given the body (parsed) and a header
 * lookup callback (case-insensitive names), returns MCP_MIRROR_OK or the
 * first problem: missing version / method / name header, value mismatch
 * (after decoding), invalid characters, malformed base64, param header
 * missing while the body has the argument; with a one-line reason naming
 * header and values. The caller maps problems to 400 / -32020.
 *
 * Order: version, method, name, params. A body field that is absent or of
 * the wrong type (no _meta protocolVersion string, no params.name string)
 * is not compared: that is the body's own error (-32602, Y-05), left to the
 * caller; the header is still required. A notification (no id) is held
 * only to the headers it carries (S26-HDR-13). Params are checked for
 * tools/call when input_schema_or_null is given: a present Mcp-Param-*
 * header must decode; an absent or null argument demands none (PARAM-10);
 * integers compare numerically ("42.0" equals 42, S26-HDR-12); an argument
 * of a type that cannot be mirrored is left to argument validation. */
mcp_mirror_status mcp_header_check(const cJSON *body, const cJSON *input_schema_or_null,
                                   mcp_header_lookup lookup, void *arg, char *why, size_t whylen);

/* Receives one header a request needs: its name and the value to send
 * (encoded, header-safe, NUL-terminated). Non-zero stops the build. */
typedef int (*mcp_header_emit)(void *arg, const char *name, const char *value, size_t len);

/* The client rule: emits every mirrored header the body needs, in the order
 * MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Param-* (schema order).
 * An annotated argument that is absent, null or of a type that cannot be
 * mirrored gets no header (PARAM-03). Returns 0 when all were emitted (then
 * mcp_header_check on the same body, schema and headers says OK), -1 with
 * why when the body cannot be mirrored (no string method, no _meta
 * protocolVersion, a method or version that is not header-safe, a name that
 * is not a string, annotations that break PARAM-05), -2 for a cap, or the
 * emitter's non-zero value. */
int mcp_header_build(const cJSON *body, const cJSON *input_schema_or_null, mcp_header_emit emit,
                     void *arg, char *why, size_t whylen);

#endif
