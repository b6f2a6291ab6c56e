#include "transport/legacy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcpwire_limits.h"
#include "transport/session_ledger.h"
#include "transport/session_pacer.h"
#include "transport/shttp.h"

void legacy_init(legacy *l, client *c, const char *sse_url) {
  memset(l, 0, sizeof *l);
  l->c = c;
  l->sse_url = sse_url;
  l->next_id = 1;
}

void legacy_keep(legacy *l, const char *why) { l->keep_why = why; }

/* The session ends with its stream: close it unless it is kept. */
static void end_session(legacy *l) {
  if (!l->opened)
    return;
  session_ledger_opened();
  if (l->keep_why)
    session_ledger_kept(l->keep_why);
  else {
    http_stream_close(l->stream); /* no-op when the server ended it */
    session_ledger_closed();
  }
}

void legacy_free(legacy *l) {
  end_session(l);
  free(l->first_type);
  free(l->endpoint_raw);
  endpoint_url_free(&l->endpoint);
  jsonrpc_free(l->init_result);
  memset(l, 0, sizeof *l);
}

static int open_stream(legacy *l, double deadline_ms, rpc_failure *f);

/* Opening the stream is a session opening: it takes its turn. */
int legacy_connect(legacy *l, double deadline_ms, rpc_failure *f) {
  if (session_pacer_enter(l->c, deadline_ms)) {
    snprintf(f->why, sizeof f->why, "no turn to open a session before the deadline "
             "(MCPWIRE_SESSION_OPENINGS_IN_FLIGHT openings of this run in flight)");
    return -1;
  }
  int r = open_stream(l, deadline_ms, f);
  session_pacer_leave();
  return r;
}

static int open_stream(legacy *l, double deadline_ms, rpc_failure *f) {
  static const char *const accept[] = {"Accept: text/event-stream", NULL};
  http_request req = {"GET", l->sse_url, accept, NULL, 0};
  l->stream = client_start(l->c, &req);
  if (!l->stream) {
    snprintf(f->why, sizeof f->why, "could not start the GET");
    return -1;
  }
  if (http_stream_wait_headers(l->stream, deadline_ms)) {
    snprintf(f->why, sizeof f->why, "GET %s: %s", l->sse_url,
             http_stream_ended(l->stream) ? http_stream_error(l->stream)
                                          : "no response headers before the deadline");
    return -1;
  }
  if (l->stream->status != 200 || !http_stream_is_event_stream(l->stream)) {
    const char *ct = http_stream_header(l->stream, "Content-Type", NULL);
    snprintf(f->why, sizeof f->why, "GET answered HTTP %ld with Content-Type %.100s",
             l->stream->status, ct ? ct : "(none)");
    return -1;
  }
  const stream_event *ev = http_stream_next_event(l->stream, deadline_ms);
  if (!ev) {
    const char *err = http_stream_error(l->stream);
    snprintf(f->why, sizeof f->why, "no event on the SSE stream %s%s%.200s",
             http_stream_ended(l->stream) ? "before it ended" : "before the deadline",
             *err ? ": " : "", err);
    return -1;
  }
  l->first_type = strdup(ev->type);
  l->endpoint_raw = strdup(ev->data);
  if (!l->first_type || !l->endpoint_raw) {
    snprintf(f->why, sizeof f->why, "out of memory");
    return -1;
  }
  if (strcmp(ev->type, "endpoint")) {
    snprintf(f->why, sizeof f->why, "first event is '%.100s', not 'endpoint'", ev->type);
    return -1;
  }
  l->opened = 1; /* the server made a session for this stream */
  if (endpoint_url_resolve(l->sse_url, ev->data, ev->data_len, &l->endpoint)) {
    snprintf(f->why, sizeof f->why, "endpoint '%.60s': %.180s", ev->data, l->endpoint.error);
    return -1;
  }
  l->endpoint_foreign = client_origin_class(l->c, l->endpoint.url) == ORIGIN_FOREIGN;
  transcript_addf(client_transcript(l->c), "endpoint resolved to %s (%s origin%s)",
                  l->endpoint.url, l->endpoint.same_origin ? "same" : "other",
                  l->endpoint_foreign ? ", refused by the origin policy" : "");
  return 0;
}

const char *legacy_refuse_endpoint(legacy *l, char *buf, size_t len) {
  client_refuse(l->c, "POST", l->endpoint.url ? l->endpoint.url : "");
  char origin[ENDPOINT_URL_ORIGIN_MAX];
  if (endpoint_url_origin(l->endpoint.url ? l->endpoint.url : "", origin))
    snprintf(origin, sizeof origin, "(no origin)");
  snprintf(buf, len, "the endpoint event names %.200s, on %s, outside the target's origin: "
           "mcpwire sends nothing there (--allow-origin %s would allow it, without the "
           "--header values)", l->endpoint.url ? l->endpoint.url : "", origin, origin);
  return buf;
}

http_stream *legacy_post(legacy *l, const char *body) {
  static const char *const lines[] = {"Content-Type: application/json", NULL};
  http_request req = {"POST", l->endpoint.url, lines, body, strlen(body)};
  return client_start(l->c, &req);
}

jsonrpc_msg *legacy_call(legacy *l, const char *method, const char *params_json,
                         double deadline_ms, http_stream **post, rpc_failure *f) {
  char id[32];
  snprintf(id, sizeof id, "%ld", l->next_id++);
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  if (jsonrpc_build_request(&body, id, method, params_json)) {
    dynbuf_free(&body);
    snprintf(f->why, sizeof f->why, "could not build the %s request", method);
    return NULL;
  }
  http_stream *s = legacy_post(l, dynbuf_str(&body));
  dynbuf_free(&body);
  if (post)
    *post = s;
  if (!s) {
    snprintf(f->why, sizeof f->why, "could not start the POST");
    return NULL;
  }
  return rpc_await_response(l->stream, id, deadline_ms, f, NULL);
}

int legacy_initialize(legacy *l, const char *version, double deadline_ms, rpc_failure *f) {
  char params[256];
  return legacy_initialize_with(l, shttp_initialize_params(params, sizeof params, version),
                                deadline_ms, f);
}

int legacy_initialize_with(legacy *l, const char *params, double deadline_ms, rpc_failure *f) {
  jsonrpc_msg *m = legacy_call(l, "initialize", params, deadline_ms, NULL, f);
  if (!m)
    return -1;
  l->init_result = m;
  if (jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE) {
    snprintf(f->why, sizeof f->why, "initialize returned an error");
    return -1;
  }
  const char *v = jsonrpc_get_string(m, "result.protocolVersion");
  snprintf(l->protocol_version, sizeof l->protocol_version, "%s", v ? v : "");
  http_stream *s = legacy_post(l, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
  if (!s || http_stream_wait_done(s, deadline_ms)) {
    snprintf(f->why, sizeof f->why, "notifications/initialized got no answer in time");
    return -1;
  }
  return 0;
}
