/*
 * legacy: a client of the 2024-11-05 HTTP+SSE transport.
 *
 * GET the SSE URL; the first event must be `endpoint`, whose data is
 * resolved against the stream URL (endpoint_url). Messages are POSTed there;
 * the POST only acknowledges, and responses come back as `message` events on
 * the GET stream, matched by id.
 */
#ifndef MCPWIRE_LEGACY_H
#define MCPWIRE_LEGACY_H

#include "codec/endpoint_url.h"
#include "codec/jsonrpc.h"
#include "transport/client.h"
#include "transport/rpc.h"

typedef struct legacy {
  client *c;
  const char *sse_url;
  http_stream *stream;       /* the GET stream */
  char *first_type;          /* type of the first event seen, or NULL */
  char *endpoint_raw;        /* data of the endpoint event */
  endpoint_url endpoint;     /* resolved */
  /* The endpoint's origin is neither the target's nor one --allow-origin
   * names: the client refuses every POST there (legacy_connect says so). */
  int endpoint_foreign;
  char protocol_version[32];
  long next_id;
  jsonrpc_msg *init_result;
  int opened;                /* the endpoint event came: a session of ours */
  const char *keep_why;      /* static: legacy_keep's reason, or NULL */
} legacy;

void legacy_init(legacy *l, client *c, const char *sse_url);
/* Closes the session's GET stream (its client must still be alive) unless
 * the case keeps it, then frees l. */
void legacy_free(legacy *l);
/* The case leaves the stream open on purpose; why (static) is counted. */
void legacy_keep(legacy *l, const char *why);

/* Opens the stream and reads the first event. 0 when it is an endpoint
 * event that resolves; -1 with f->why otherwise (first_type tells what came).
 * A resolved endpoint on a foreign origin still returns 0, with
 * endpoint_foreign set and the refusal's reason in legacy_refuse_endpoint. */
int legacy_connect(legacy *l, double deadline_ms, rpc_failure *f);
/* For a foreign endpoint: records the POST mcpwire will not send (a
 * refusal, counted as client_start counts one) and returns the reason, one
 * line in buf. */
const char *legacy_refuse_endpoint(legacy *l, char *buf, size_t len);
/* POSTs one message to the endpoint (NULL when the origin policy refuses it). */
http_stream *legacy_post(legacy *l, const char *body);
/* POSTs a request and awaits its response on the GET stream. */
jsonrpc_msg *legacy_call(legacy *l, const char *method, const char *params_json,
                         double deadline_ms, http_stream **post, rpc_failure *f);
/* initialize + notifications/initialized. */
int legacy_initialize(legacy *l, const char *version, double deadline_ms, rpc_failure *f);
/* The same with initialize's params given whole (a client declaring
 * capabilities). */
int legacy_initialize_with(legacy *l, const char *params, double deadline_ms, rpc_failure *f);

#endif
