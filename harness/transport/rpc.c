#include "transport/rpc.h"

#include <stdio.h>
#include <string.h>

static jsonrpc_msg *fail(rpc_failure *f, const char *why, const char *detail) {
  snprintf(f->why, sizeof f->why, "%s%s%s", why, detail && *detail ? ": " : "",
           detail ? detail : "");
  return NULL;
}

static int id_matches(const jsonrpc_msg *m, const char *id_raw) {
  size_t len = 0;
  const char *id = jsonrpc_id_raw(m, &len);
  return id && jsonrpc_id_equal(id, len, id_raw, strlen(id_raw));
}

/* Raw id text without one pair of quotes (strings with escapes stay as is). */
static void unquote(const char **p, size_t *len) {
  if (*len >= 2 && (*p)[0] == '"' && (*p)[*len - 1] == '"' && !memchr(*p, '\\', *len)) {
    (*p)++;
    *len -= 2;
  }
}

/* Same value, possibly a different JSON type ("7" for 7): still the answer
 * to our request (ids are never reused within a session), so a case can
 * judge the mangled id instead of timing out on it. */
static int id_loosely_matches(const jsonrpc_msg *m, const char *id_raw) {
  size_t len = 0, want_len = strlen(id_raw);
  const char *id = jsonrpc_id_raw(m, &len);
  if (!id)
    return 0;
  unquote(&id, &len);
  unquote(&id_raw, &want_len);
  return len == want_len && !memcmp(id, id_raw, len);
}

static int is_response(const jsonrpc_msg *m) {
  jsonrpc_kind k = jsonrpc_kind_of(m);
  return k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE;
}

/* Reads a whole non-SSE body as one message. */
static jsonrpc_msg *body_message(http_stream *s, double deadline_ms, rpc_failure *f) {
  if (http_stream_wait_done(s, deadline_ms))
    return fail(f, "response body not complete before the deadline", NULL);
  if (s->failure[0] || s->curl_code != CURLE_OK)
    return fail(f, "transfer failed", http_stream_error(s));
  if (!s->body.len)
    return fail(f, "empty response body", NULL);
  jsonrpc_msg *m = jsonrpc_parse(s->body.ptr, s->body.len);
  if (!m)
    return fail(f, "out of memory", NULL);
  return m;
}

static jsonrpc_msg *event_message(http_stream *s, double deadline_ms, rpc_failure *f) {
  for (;;) {
    const stream_event *ev = http_stream_next_event(s, deadline_ms);
    if (!ev) {
      if (!http_stream_ended(s))
        return fail(f, "no message event before the deadline", NULL);
      return fail(f, "SSE stream ended without the message",
                  *http_stream_error(s) ? http_stream_error(s) : NULL);
    }
    if (strcmp(ev->type, "message"))
      continue;
    jsonrpc_msg *m = jsonrpc_parse(ev->data, ev->data_len);
    if (!m)
      return fail(f, "out of memory", NULL);
    return m;
  }
}

static void settle_media_type(http_stream *s) { http_stream_is_event_stream(s); }

jsonrpc_msg *rpc_next_message(http_stream *s, double deadline_ms, rpc_failure *f) {
  if (http_stream_wait_headers(s, deadline_ms)) {
    if (http_stream_ended(s))
      return fail(f, "no response", http_stream_error(s));
    return fail(f, "no response headers before the deadline", NULL);
  }
  settle_media_type(s);
  return s->is_sse ? event_message(s, deadline_ms, f) : body_message(s, deadline_ms, f);
}

jsonrpc_msg *rpc_await_response(http_stream *s, const char *id_raw, double deadline_ms,
                                rpc_failure *f, size_t *others) {
  /* A start that failed (origin refused, stream cap, memory): nothing sent. */
  if (!s)
    return fail(f, "the request was not sent", "see the transcript's '!' line");
  if (http_stream_wait_headers(s, deadline_ms)) {
    if (http_stream_ended(s))
      return fail(f, "no response", http_stream_error(s));
    return fail(f, "no response headers before the deadline", NULL);
  }
  settle_media_type(s);
  if (!s->is_sse) {
    jsonrpc_msg *m = body_message(s, deadline_ms, f);
    /* An invalid body is returned: the verifiers say what is wrong with it. */
    if (m && !is_response(m) && jsonrpc_kind_of(m) != JSONRPC_INVALID) {
      snprintf(f->why, sizeof f->why, "body is a JSON-RPC %s, not a response",
               jsonrpc_kind_name(jsonrpc_kind_of(m)));
      jsonrpc_free(m);
      return NULL;
    }
    return m;
  }
  char other_id[64] = "";
  for (;;) {
    jsonrpc_msg *m = event_message(s, deadline_ms, f);
    if (!m) {
      if (other_id[0]) {
        size_t n = strlen(f->why);
        snprintf(f->why + n, sizeof f->why - n, " (a response with id %s came instead of %.40s)",
                 other_id, id_raw);
      }
      return NULL;
    }
    /* A broken response (e.g. a non-object result) still answers our id;
     * it is returned so the case can judge it. */
    int answer = is_response(m) || jsonrpc_kind_of(m) == JSONRPC_INVALID;
    if (answer && id_matches(m, id_raw))
      return m;
    if (answer && id_loosely_matches(m, id_raw)) {
      transcript_addf(client_transcript(s->owner), "#%d note: response id differs in JSON type "
                      "from the request id %.40s", s->index, id_raw);
      return m;
    }
    size_t len = 0;
    const char *id = jsonrpc_id_raw(m, &len);
    if (answer && id && !other_id[0])
      snprintf(other_id, sizeof other_id, "%.*s", (int)(len < 40 ? len : 40), id);
    if (others)
      (*others)++;
    jsonrpc_free(m);
  }
}

int rpc_body_has_message(const http_stream *s) {
  if (!s->body.len)
    return 0;
  jsonrpc_msg *m = jsonrpc_parse(s->body.ptr, s->body.len);
  int has = m && jsonrpc_kind_of(m) != JSONRPC_INVALID;
  jsonrpc_free(m);
  return has;
}
