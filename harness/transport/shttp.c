#include "transport/shttp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/sse.h"
#include "mcpwire_limits.h"
#include "transport/session_ledger.h"
#include "transport/session_pacer.h"
#include "transport/transcript.h"

/* Header lines one request can carry beyond the --header ones: the
 * method's two, the session's two, the caller's extra lines, the NULL. */
#define SHTTP_HEADERS_MAX (5 + MCPWIRE_SHTTP_EXTRA_HEADERS_MAX)

void shttp_init(shttp *h, client *c, const char *url) {
  memset(h, 0, sizeof *h);
  h->c = c;
  h->url = url;
  h->next_id = 1;
}

void shttp_keep(shttp *h, const char *why) { h->keep_why = why; }

/* The answer to the DELETE that ended the session, into the ledger. */
static void count_delete(http_stream *del) {
  if (del && !del->headers_done)
    http_stream_wait_headers(del, clock_ms() + MCPWIRE_SESSION_END_WAIT_MS);
  if (!del)
    session_ledger_left_open("DELETE could not start (no stream left in the case)");
  else
    session_ledger_delete_answer(del->headers_done ? del->status : 0, http_stream_error(del));
}

/* mcpwire is a guest: a session it opened does not outlive the case. */
static void end_session(shttp *h) {
  if (!h->session_id || !h->c)
    return;
  session_ledger_opened();
  if (h->end_stream && h->end_stream->owner == h->c) {
    count_delete(h->end_stream); /* the case ended it itself */
    return;
  }
  if (h->keep_why) {
    session_ledger_kept(h->keep_why);
    return;
  }
  char *forged = h->forged_session;
  h->forged_session = NULL; /* the real id, whatever the case sent */
  count_delete(shttp_request(h->c, session_ledger_target(h->url), h, "DELETE", NULL, NULL, 0));
  h->forged_session = forged;
}

void shttp_free(shttp *h) {
  end_session(h);
  free(h->session_id);
  free(h->forged_session);
  jsonrpc_free(h->init_result);
  memset(h, 0, sizeof *h);
}

/* Fills `lines` (NULL-terminated) with the session headers. */
static void session_headers(const shttp *h, unsigned flags, char store[2][600],
                            const char **lines, size_t *n) {
  const char *sid = h->forged_session ? h->forged_session : h->session_id;
  if (sid && !(flags & SHTTP_OMIT_SESSION)) {
    snprintf(store[0], sizeof store[0], "Mcp-Session-Id: %s", sid);
    lines[(*n)++] = store[0];
  }
  /* The header exists from 2025-06-18 on (SHTTP-VERSION-01). */
  if (h->protocol_version[0] && strcmp(h->protocol_version, "2025-06-18") >= 0 &&
      !(flags & SHTTP_OMIT_VERSION)) {
    snprintf(store[1], sizeof store[1], "MCP-Protocol-Version: %s", h->protocol_version);
    lines[(*n)++] = store[1];
  }
  lines[*n] = NULL;
}

/* shttp_request, in raw mode when raw is 1 (wire_max: the cap of s->wire). */
static http_stream *start_request(client *c, const char *url, const shttp *h,
                                  const char *method, const char *body,
                                  const char *const *extra, unsigned flags, int raw,
                                  size_t wire_max) {
  const char *lines[SHTTP_HEADERS_MAX];
  char store[2][600];
  size_t n = 0;
  if (!strcmp(method, "POST")) {
    lines[n++] = "Content-Type: application/json";
    lines[n++] = "Accept: application/json, text/event-stream";
  } else if (!strcmp(method, "GET")) {
    lines[n++] = "Accept: text/event-stream";
  }
  if (h)
    session_headers(h, flags, store, lines, &n);
  for (size_t i = 0; extra && i < MCPWIRE_SHTTP_EXTRA_HEADERS_MAX && extra[i]; i++)
    lines[n++] = extra[i];
  lines[n] = NULL;
  /* An initialize sent by hand opens a session too: it takes its turn. */
  if (!strcmp(method, "POST") && body && strstr(body, "\"initialize\"") &&
      !(h && (h->opening || h->session_id)))
    session_pacer_pace(c);
  http_request req = {method, url, lines, body, body ? strlen(body) : 0};
  http_stream *s = raw ? client_start_raw(c, &req, wire_max) : client_start(c, &req);
  /* An shttp session's own initialize: shttp_free ends that session. */
  if (s && h && h->opening)
    s->opens_session = 0;
  return s;
}

http_stream *shttp_request(client *c, const char *url, const shttp *h, const char *method,
                           const char *body, const char *const *extra, unsigned flags) {
  return start_request(c, url, h, method, body, extra, flags, 0, 0);
}

http_stream *shttp_post(shttp *h, const char *body, unsigned flags) {
  return shttp_request(h->c, h->url, h, "POST", body, NULL, flags);
}

http_stream *shttp_post_raw(shttp *h, const char *body, size_t wire_max) {
  return start_request(h->c, h->url, h, "POST", body, NULL, 0, 1, wire_max);
}

http_stream *shttp_get_from(shttp *h, const char *url, const char *last_event_id,
                            unsigned flags) {
  char resume[600];
  const char *extra[2] = {resume, NULL};
  if (last_event_id)
    snprintf(resume, sizeof resume, "Last-Event-ID: %s", last_event_id);
  return shttp_request(h->c, url, h, "GET", NULL, last_event_id ? extra : NULL, flags);
}

http_stream *shttp_get(shttp *h, const char *last_event_id, unsigned flags) {
  return shttp_get_from(h, h->url, last_event_id, flags);
}

http_stream *shttp_delete(shttp *h, unsigned flags) {
  http_stream *s = shttp_request(h->c, h->url, h, "DELETE", NULL, NULL, flags);
  /* A DELETE with the real id ends the session: shttp_free sends no other. */
  if (s && h->session_id && !h->forged_session && !(flags & SHTTP_OMIT_SESSION))
    h->end_stream = s;
  return s;
}

const char *shttp_initialize_params(char *buf, size_t len, const char *version) {
  snprintf(buf, len,
           "{\"protocolVersion\":\"%s\",\"capabilities\":{},"
           "\"clientInfo\":{\"name\":\"mcpwire\",\"version\":\"0.1.0\"}}",
           version);
  return buf;
}

const char *shttp_initialize_request(char *buf, size_t len, const char *id_raw,
                                     const char *version) {
  char params[512];
  snprintf(buf, len, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"initialize\",\"params\":%s}",
           id_raw, shttp_initialize_params(params, sizeof params, version));
  return buf;
}

http_stream *shttp_post_request(shttp *h, const char *id_raw, const char *method,
                                const char *params_json, rpc_failure *f) {
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  if (jsonrpc_build_request(&body, id_raw, method, params_json)) {
    dynbuf_free(&body);
    snprintf(f->why, sizeof f->why, "could not build the %s request", method);
    return NULL;
  }
  http_stream *s = shttp_post(h, dynbuf_str(&body), 0);
  dynbuf_free(&body);
  if (!s)
    snprintf(f->why, sizeof f->why, "could not start the POST");
  return s;
}

jsonrpc_msg *shttp_call_id(shttp *h, const char *id_raw, const char *method,
                           const char *params_json, double deadline_ms, http_stream **post,
                           rpc_failure *f) {
  http_stream *s = shttp_post_request(h, id_raw, method, params_json, f);
  if (post)
    *post = s;
  return s ? shttp_await_response(h, s, id_raw, 0, deadline_ms, f) : NULL;
}

static int keep_session(shttp *h, http_stream *s, rpc_failure *f);

/* Waits the reconnection time the stream advertised (capped), keeping the
 * client's other transfers flowing. */
void shttp_wait_retry(shttp *h, http_stream *s, double deadline_ms) {
  int64_t retry = s->sse ? sse_reconnection_ms(s->sse) : -1;
  if (retry <= 0)
    return;
  if (retry > MCPWIRE_RETRY_WAIT_MAX_MS)
    retry = MCPWIRE_RETRY_WAIT_MAX_MS;
  double until = clock_ms() + (double)retry;
  client_idle_until(h->c, until < deadline_ms ? until : deadline_ms);
}

/* The end of one wait that begins now: step_ms later (0: no step), never
 * past deadline_ms. */
static double wait_end(double step_ms, double deadline_ms) {
  double end = clock_ms() + step_ms;
  return step_ms > 0 && end < deadline_ms ? end : deadline_ms;
}

jsonrpc_msg *shttp_await_response(shttp *h, http_stream *s, const char *id_raw, double step_ms,
                                  double deadline_ms, rpc_failure *f) {
  jsonrpc_msg *m = rpc_await_response(s, id_raw, wait_end(step_ms, deadline_ms), f, NULL);
  for (int resumes = 0; !m && resumes < MCPWIRE_POLL_RESUMES_MAX; resumes++) {
    size_t len = 0;
    const char *last = s && s->sse ? sse_last_event_id(s->sse, &len) : NULL;
    char id[256];
    /* Only an SSE reply that ended after an event id can be resumed. */
    if (!s || !http_stream_ended(s) || !http_stream_is_event_stream(s) || !last || !len ||
        len >= sizeof id)
      return NULL;
    memcpy(id, last, len);
    id[len] = '\0';
    /* Polling on the initialize reply: the session id is on that POST. */
    if (!h->session_id && keep_session(h, s, f))
      return NULL;
    transcript_addf(client_transcript(h->c), "stream ended before the response: polling with "
                    "Last-Event-ID %s after the advertised retry", id);
    shttp_wait_retry(h, s, wait_end(step_ms, deadline_ms));
    s = shttp_get(h, id, 0);
    m = rpc_await_response(s, id_raw, wait_end(step_ms, deadline_ms), f, NULL);
  }
  return m;
}

jsonrpc_msg *shttp_call(shttp *h, const char *method, const char *params_json,
                        double deadline_ms, http_stream **post, rpc_failure *f) {
  char id[32];
  snprintf(id, sizeof id, "%ld", h->next_id++);
  return shttp_call_id(h, id, method, params_json, deadline_ms, post, f);
}

static int keep_session(shttp *h, http_stream *s, rpc_failure *f) {
  if (h->session_id)
    return 0; /* already taken while following a polling reply */
  const char *sid = http_stream_header(s, "Mcp-Session-Id", NULL);
  if (sid && !(h->session_id = strdup(sid))) {
    snprintf(f->why, sizeof f->why, "out of memory");
    return -1;
  }
  return 0;
}

/* The initialize exchange itself, with a session_pacer place held. */
static jsonrpc_msg *paced_initialize(shttp *h, const char *version, double deadline_ms,
                                     http_stream **s, rpc_failure *f) {
  char params[256];
  if (session_pacer_enter(h->c, deadline_ms)) {
    snprintf(f->why, sizeof f->why, "no turn to open a session before the deadline "
             "(MCPWIRE_SESSION_OPENINGS_IN_FLIGHT openings of this run in flight)");
    return NULL;
  }
  h->opening = 1;
  jsonrpc_msg *m = shttp_call(h, "initialize",
                              shttp_initialize_params(params, sizeof params, version),
                              deadline_ms, s, f);
  h->opening = 0;
  session_pacer_leave();
  return m;
}

int shttp_initialize_only(shttp *h, const char *version, double deadline_ms, rpc_failure *f) {
  http_stream *s = NULL;
  jsonrpc_msg *m = paced_initialize(h, version, deadline_ms, &s, f);
  h->init_stream = s;
  if (!m) {
    if (s && s->headers_done && s->status != 200)
      snprintf(f->why, sizeof f->why, "initialize answered HTTP %ld", s->status);
    return -1;
  }
  h->init_result = m;
  if (jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE) {
    const char *msg = jsonrpc_error_message(m);
    snprintf(f->why, sizeof f->why, "initialize returned an error: %s", msg ? msg : "(none)");
    return -1;
  }
  const char *v = jsonrpc_get_string(m, "result.protocolVersion");
  snprintf(h->protocol_version, sizeof h->protocol_version, "%s", v ? v : "");
  return keep_session(h, s, f);
}

int shttp_initialize(shttp *h, const char *version, double deadline_ms, rpc_failure *f) {
  if (shttp_initialize_only(h, version, deadline_ms, f))
    return -1;
  http_stream *s = shttp_post(h, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", 0);
  if (!s || http_stream_wait_done(s, deadline_ms)) {
    snprintf(f->why, sizeof f->why, "notifications/initialized got no answer in time");
    return -1;
  }
  return 0;
}
