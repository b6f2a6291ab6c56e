#include "transport/client.h"

#include "transport/session_ledger.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Bytes of one body or event shown in the transcript; the rest is counted. */
#define TRANSCRIPT_SHOW_BYTES (16u * 1024)
/* Comment lines logged per stream; later ones only counted in the stats. */
#define TRANSCRIPT_COMMENTS_MAX 8
/* Longest single wait inside curl_multi_poll, so deadlines are re-checked. */
#define POLL_SLICE_MS 500

/* Requests refused for their origin, process-wide, and the first URL. */
static pthread_mutex_t refused_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long refused_count;
static char refused_first[ENDPOINT_URL_ORIGIN_MAX + 200];

int origin_policy_add(origin_policy *p, const char *url, int allowed) {
  char o[ENDPOINT_URL_ORIGIN_MAX];
  if (endpoint_url_origin(url, o))
    return -1;
  if (origin_policy_class(p, url) == (allowed ? ORIGIN_ALLOWED : ORIGIN_HOME))
    return 0;
  char (*list)[ENDPOINT_URL_ORIGIN_MAX] = allowed ? p->allowed : p->home;
  size_t *n = allowed ? &p->nallowed : &p->nhome;
  size_t cap = allowed ? MCPWIRE_ALLOWED_ORIGINS_MAX : MCPWIRE_HOME_ORIGINS_MAX;
  if (*n >= cap)
    return -1;
  memcpy(list[(*n)++], o, sizeof o);
  return 0;
}

void origin_policy_remove_home(origin_policy *p, const char *url) {
  char o[ENDPOINT_URL_ORIGIN_MAX];
  if (endpoint_url_origin(url, o))
    return;
  for (size_t i = 0; i < p->nhome; i++)
    if (!strcmp(p->home[i], o)) {
      memmove(p->home[i], p->home[i + 1], (p->nhome - i - 1) * sizeof p->home[0]);
      p->nhome--;
      return;
    }
}

origin_class origin_policy_class(const origin_policy *p, const char *url) {
  char o[ENDPOINT_URL_ORIGIN_MAX];
  if (endpoint_url_origin(url, o))
    return ORIGIN_FOREIGN;
  for (size_t i = 0; i < p->nhome; i++)
    if (!strcmp(p->home[i], o))
      return ORIGIN_HOME;
  for (size_t i = 0; i < p->nallowed; i++)
    if (!strcmp(p->allowed[i], o))
      return ORIGIN_ALLOWED;
  return ORIGIN_FOREIGN;
}

unsigned long client_refused_requests(char *first_url, size_t len) {
  pthread_mutex_lock(&refused_lock);
  unsigned long n = refused_count;
  if (first_url && len)
    snprintf(first_url, len, "%s", refused_first);
  pthread_mutex_unlock(&refused_lock);
  return n;
}

static void count_refusal(const char *url) {
  pthread_mutex_lock(&refused_lock);
  if (!refused_count++)
    snprintf(refused_first, sizeof refused_first, "%.*s", (int)(sizeof refused_first - 1), url);
  pthread_mutex_unlock(&refused_lock);
}

/* A session an initialize POSTed by a case itself opened: the client ends
 * it (DELETE) when it is freed, unless a DELETE with its id went out. */
typedef struct own_session {
  char *id;
  char *url;
  char version[32];          /* the revision the initialize offered, for the DELETE */
  http_stream *ended_by;     /* the case's own DELETE, or NULL */
} own_session;

struct client {
  CURLM *multi;
  const transport_options *opt;
  transcript *log;
  http_stream *streams[MCPWIRE_STREAMS_PER_CASE_MAX];
  size_t nstreams;
  int started;     /* streams ever started: each gets the next #index */
  uint64_t bytes;  /* received by all streams, against MCPWIRE_CASE_BYTES_MAX */
  own_session sessions[MCPWIRE_CLIENT_SESSIONS_MAX];
  size_t nsessions;
  int connections;  /* client_set_connections: CLIENT_CONN_* bits */
};

client *client_new(const transport_options *opt, transcript *log) {
  client *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->multi = curl_multi_init();
  if (!c->multi) {
    free(c);
    return NULL;
  }
  c->opt = opt;
  c->log = log;
  return c;
}

transcript *client_transcript(client *c) { return c->log; }

void client_set_connections(client *c, unsigned mode) { c->connections = (int)mode; }

long http_stream_local_port(const http_stream *s) {
  long port = 0;
  if (!s || !s->easy || curl_easy_getinfo(s->easy, CURLINFO_LOCAL_PORT, &port) != CURLE_OK)
    return 0;
  return port;
}

client_census client_take_census(const client *c) {
  client_census n = {0, 0, NULL};
  for (size_t i = 0; i < c->nstreams; i++) {
    const http_stream *s = c->streams[i];
    if (s->status >= 200 && s->headers_done)
      n.answered++;
    else if (s->state != STREAM_DONE || s->curl_code == CURLE_OK) {
      n.held++;
      if (!n.first_held)
        n.first_held = s;
    }
  }
  return n;
}

origin_class client_origin_class(const client *c, const char *url) {
  return origin_policy_class(&c->opt->origins, url);
}

static void stream_free(http_stream *s) {
  if (s->state == STREAM_RUNNING)
    curl_multi_remove_handle(s->owner->multi, s->easy);
  curl_easy_cleanup(s->easy);
  curl_slist_free_all(s->req_headers);
  for (size_t i = 0; i < s->nevents; i++) {
    free(s->events[i].type);
    free(s->events[i].data);
    free(s->events[i].id);
  }
  free(s->events);
  sse_parser_free(s->sse);
  dynbuf_free(&s->headers);
  dynbuf_free(&s->body);
  dynbuf_free(&s->wire);
  free(s->method);
  free(s->url);
  free(s->req_body);
  free(s);
}

static void log_sse_oddities(http_stream *s);

static void end_own_sessions(client *c);

void client_free(client *c) {
  if (!c)
    return;
  end_own_sessions(c);
  for (size_t i = 0; i < c->nstreams; i++) {
    http_stream_close(c->streams[i]);
    stream_free(c->streams[i]);
  }
  for (size_t i = 0; i < c->nsessions; i++) {
    free(c->sessions[i].id);
    free(c->sessions[i].url);
  }
  curl_multi_cleanup(c->multi);
  free(c);
}

/* ---- sessions a case opened by hand ---- */

/* The value of header `name` among "Name: value" lines, or NULL. */
static const char *line_value(const char *const *lines, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; lines && lines[i]; i++)
    if (!strncasecmp(lines[i], name, n) && lines[i][n] == ':') {
      const char *v = lines[i] + n + 1;
      while (*v == ' ' || *v == '\t')
        v++;
      return v;
    }
  return NULL;
}

static own_session *own_session_find(client *c, const char *id) {
  for (size_t i = 0; i < c->nsessions; i++)
    if (!strcmp(c->sessions[i].id, id))
      return &c->sessions[i];
  return NULL;
}

/* The revision an initialize body offers ("" when it names none). */
static void offered_version(const char *body, char *out, size_t len) {
  const char *p = body ? strstr(body, "\"protocolVersion\"") : NULL;
  const char *q = p ? strchr(p + 17, '"') : NULL;
  const char *e = q ? strchr(q + 1, '"') : NULL;
  out[0] = '\0';
  if (e && (size_t)(e - q - 1) < len)
    snprintf(out, len, "%.*s", (int)(e - q - 1), q + 1);
}

/* Final headers of an initialize the client tracks: a session id issued
 * is recorded, to be ended when the client is freed. */
static void note_session_opened(http_stream *s) {
  client *c = s->owner;
  const char *id = s->status == 200 ? http_stream_header(s, "Mcp-Session-Id", NULL) : NULL;
  if (!id || !*id || own_session_find(c, id))
    return;
  if (c->nsessions >= MCPWIRE_CLIENT_SESSIONS_MAX) {
    transcript_addf(c->log, "! session %.100s not tracked: MCPWIRE_CLIENT_SESSIONS_MAX", id);
    return;
  }
  own_session *o = &c->sessions[c->nsessions];
  o->id = strdup(id);
  o->url = strdup(s->url);
  o->ended_by = NULL;
  offered_version(s->req_body, o->version, sizeof o->version);
  if (o->id && o->url)
    c->nsessions++;
  else {
    free(o->id);
    free(o->url);
  }
}

/* A DELETE a case sends with a session id ends that session. */
static void note_session_delete(client *c, const http_request *req, http_stream *s) {
  const char *id = line_value(req->extra_headers, "Mcp-Session-Id");
  own_session *o = id ? own_session_find(c, id) : NULL;
  if (o && !o->ended_by)
    o->ended_by = s;
}

/* mcpwire is a guest: every session a case opened by hand is ended (and
 * counted) before its client goes. */
static void end_own_sessions(client *c) {
  for (size_t i = 0; i < c->nsessions; i++) {
    own_session *o = &c->sessions[i];
    session_ledger_opened();
    http_stream *del = o->ended_by;
    if (!del) {
      char sid[600], ver[64];
      snprintf(sid, sizeof sid, "Mcp-Session-Id: %.500s", o->id);
      snprintf(ver, sizeof ver, "MCP-Protocol-Version: %s", o->version);
      /* The version header exists from 2025-06-18 (dates order as text). */
      const char *lines[] = {sid, strcmp(o->version, "2025-06-18") >= 0 ? ver : NULL, NULL};
      http_request req = {"DELETE", session_ledger_target(o->url), lines, NULL, 0};
      del = client_start(c, &req);
    }
    if (!del) {
      session_ledger_left_open("DELETE could not start (no stream left in the case)");
      continue;
    }
    if (!del->headers_done)
      http_stream_wait_headers(del, clock_ms() + MCPWIRE_SESSION_END_WAIT_MS);
    session_ledger_delete_answer(del->headers_done ? del->status : 0, http_stream_error(del));
  }
}

/* ---- callbacks ---- */

static void stream_fail(http_stream *s, const char *why) {
  if (!s->failure[0])
    snprintf(s->failure, sizeof s->failure, "%s", why);
}

static char *dup_bytes(const char *p, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    if (n)
      memcpy(d, p, n);
    d[n] = '\0';
  }
  return d;
}

static int keep_event(http_stream *s, const sse_event *ev) {
  if (s->nevents == s->events_cap) {
    size_t cap = s->events_cap ? s->events_cap * 2 : 16;
    stream_event *e = realloc(s->events, cap * sizeof *e);
    if (!e)
      return -1;
    s->events = e;
    s->events_cap = cap;
  }
  stream_event *e = &s->events[s->nevents];
  e->type = dup_bytes(ev->type, ev->type_len);
  e->data = dup_bytes(ev->data, ev->data_len);
  e->id = dup_bytes(ev->last_event_id, ev->last_event_id_len);
  e->data_len = ev->data_len;
  if (!e->type || !e->data || !e->id) {
    free(e->type);
    free(e->data);
    free(e->id);
    return -1;
  }
  s->nevents++;
  return 0;
}

/* Hands one received JSON-RPC message to the transcript's observer. */
static void deliver(http_stream *s, const char *how, const char *data, size_t len) {
  transcript *t = s->owner->log;
  if (!t->on_message)
    return;
  /* Every field bounded (how: at most 259 bytes), so the label always fits. */
  char where[512];
  snprintf(where, sizeof where, "#%d %.16s %.200s: %.259s", s->index, s->method, s->url, how);
  t->on_message(t->on_message_user, 0, where, s->status, data, len);
}

static void on_sse_event(void *user, const sse_event *ev) {
  http_stream *s = user;
  if (s->failure[0])
    return;
  if (s->nevents >= MCPWIRE_STREAM_EVENTS_MAX) {
    stream_fail(s, "more events than MCPWIRE_STREAM_EVENTS_MAX on one stream");
    return;
  }
  if (keep_event(s, ev)) {
    stream_fail(s, "out of memory keeping an SSE event");
    return;
  }
  char prefix[600];
  snprintf(prefix, sizeof prefix, "#%d < event type=%.*s id=%.*s data=", s->index,
           (int)(ev->type_len > 200 ? 200 : ev->type_len), ev->type,
           (int)(ev->last_event_id_len > 200 ? 200 : ev->last_event_id_len),
           ev->last_event_id);
  transcript_add_bytes(s->owner->log, prefix, ev->data, ev->data_len, TRANSCRIPT_SHOW_BYTES);
  /* A `message` event with data carries one JSON-RPC message (or batch);
   * priming events (no data) and other event types carry none. */
  if (ev->data_len && ev->type_len == 7 && !memcmp(ev->type, "message", 7)) {
    char how[260];
    if (ev->last_event_id_len)
      snprintf(how, sizeof how, "SSE event id=%.*s",
               (int)(ev->last_event_id_len > 200 ? 200 : ev->last_event_id_len),
               ev->last_event_id);
    else
      snprintf(how, sizeof how, "SSE event (no id)");
    deliver(s, how, ev->data, ev->data_len);
  }
}

static void on_sse_retry(void *user, uint64_t ms, const char *digits, size_t len) {
  http_stream *s = user;
  (void)ms;
  transcript_addf(s->owner->log, "#%d < retry: %.*s", s->index, (int)(len > 40 ? 40 : len),
                  digits);
}

static void on_sse_comment(void *user, const char *text, size_t len) {
  http_stream *s = user;
  const sse_stats *st = sse_get_stats(s->sse);
  if (st && st->comments <= TRANSCRIPT_COMMENTS_MAX) {
    char prefix[64];
    snprintf(prefix, sizeof prefix, "#%d < comment: ", s->index);
    transcript_add_bytes(s->owner->log, prefix, text, len, 200);
  }
}

int http_media_type_is(const char *value, const char *want) {
  size_t n = strlen(want);
  while (*value == ' ' || *value == '\t')
    value++;
  if (strncasecmp(value, want, n))
    return 0;
  char end = value[n];
  return end == '\0' || end == ';' || end == ' ' || end == '\t';
}

int http_stream_is_event_stream(http_stream *s) {
  const char *ct = s->headers_done ? http_stream_header(s, "Content-Type", NULL) : NULL;
  if (ct && http_media_type_is(ct, "text/event-stream"))
    s->is_sse = 1;
  return s->is_sse;
}

static int start_body(http_stream *s) {
  const char *ct = http_stream_header(s, "Content-Type", NULL);
  s->is_sse = ct && http_media_type_is(ct, "text/event-stream");
  if (!s->is_sse)
    return 0;
  sse_callbacks cb = {on_sse_event, on_sse_retry, on_sse_comment};
  s->sse = sse_parser_new(&cb, s, 0, 0);
  return s->sse ? 0 : -1;
}

/* n bytes of the (decoded) body: to the SSE parser or the body buffer.
 * 0 on success, -1 with the stream failed. */
static int take_body(http_stream *s, const char *data, size_t n) {
  if (s->bytes == 0 && !s->sse && start_body(s)) {
    stream_fail(s, "out of memory starting the SSE parser");
    return -1;
  }
  s->bytes += n;
  s->owner->bytes += n;
  if (s->bytes > MCPWIRE_STREAM_BYTES_MAX) {
    stream_fail(s, "stream passed MCPWIRE_STREAM_BYTES_MAX bytes");
    return -1;
  }
  /* Many streams of one case each filling a line buffer add up: one budget. */
  if (s->owner->bytes > MCPWIRE_CASE_BYTES_MAX) {
    stream_fail(s, "the case's streams passed MCPWIRE_CASE_BYTES_MAX bytes in all");
    return -1;
  }
  if (s->is_sse) {
    sse_status st = sse_feed(s->sse, data, n);
    if (st != SSE_OK) {
      char why[128];
      snprintf(why, sizeof why, "SSE stream rejected: %s", sse_error_text(s->sse));
      stream_fail(s, why);
      return -1;
    }
  } else if (dynbuf_add(&s->body, data, n)) {
    stream_fail(s, "response body passed MCPWIRE_HTTP_BODY_MAX bytes");
    return -1;
  }
  return s->failure[0] ? -1 : 0;
}

/* ---- raw mode: the chunked framing libcurl leaves in, read off ---- */

enum { CHUNK_NONE = 0, CHUNK_SIZE, CHUNK_EXT, CHUNK_DATA, CHUNK_DATA_END, CHUNK_TRAILER,
       CHUNK_DONE };

static int hex_value(char c) {
  return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* The end of a size line (RFC 9112 7.1): the chunk's data next, or the
 * trailer after the last chunk. -1 when the line had no size. */
static int size_line_done(http_stream *s) {
  if (!s->dechunk.digits)
    return -1;
  s->dechunk.state = s->dechunk.left ? CHUNK_DATA : CHUNK_TRAILER;
  s->dechunk.line = 0;
  return 0;
}

/* One byte of framing outside a chunk's data; -1 on broken framing. */
static int dechunk_byte(http_stream *s, char c) {
  switch (s->dechunk.state) {
  case CHUNK_SIZE:
    if (hex_value(c) >= 0) {
      if (s->dechunk.left >> 60)
        return -1; /* a size past 2^64 */
      s->dechunk.left = s->dechunk.left * 16 + (uint64_t)hex_value(c);
      s->dechunk.digits++;
      return 0;
    }
    if (c == ';' || c == ' ' || c == '\t')
      s->dechunk.state = CHUNK_EXT;
    return c == '\n' ? size_line_done(s) : c == '\r' || s->dechunk.state == CHUNK_EXT ? 0 : -1;
  case CHUNK_EXT:
    return c == '\n' ? size_line_done(s) : 0;
  case CHUNK_DATA_END:
    if (c == '\n') {
      s->dechunk.state = CHUNK_SIZE;
      s->dechunk.digits = 0;
    }
    return c == '\n' || c == '\r' ? 0 : -1;
  case CHUNK_TRAILER:
    if (c == '\n' && !s->dechunk.line)
      s->dechunk.state = CHUNK_DONE;
    s->dechunk.line = c == '\n' ? 0 : s->dechunk.line + (c != '\r');
    return 0;
  default:
    return 0; /* after the last chunk: nothing more is body */
  }
}

/* Raw bytes of a chunked body: framing read off, chunk data to take_body. */
static int dechunk(http_stream *s, const char *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    if (s->dechunk.state == CHUNK_DATA) {
      size_t take = n - i < s->dechunk.left ? n - i : (size_t)s->dechunk.left;
      if (take_body(s, p + i, take))
        return -1;
      i += take;
      s->dechunk.left -= take;
      if (!s->dechunk.left)
        s->dechunk.state = CHUNK_DATA_END;
    } else if (dechunk_byte(s, p[i++])) {
      stream_fail(s, "broken chunked framing in a raw response");
      return -1;
    }
  }
  return 0;
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *user) {
  http_stream *s = user;
  size_t n = size * nmemb;
  if (!s->raw)
    return take_body(s, data, n) ? 0 : n;
  if (dynbuf_add(&s->wire, data, n)) {
    stream_fail(s, "raw response passed its cap (wire_max of client_start_raw)");
    return 0;
  }
  int rc = s->dechunk.state == CHUNK_NONE ? take_body(s, data, n) : dechunk(s, data, n);
  return rc ? 0 : n;
}

/* 1 when a Transfer-Encoding value names chunked (case-insensitive). */
static int names_chunked(const char *te) {
  for (; te && *te; te++)
    if (!strncasecmp(te, "chunked", 7))
      return 1;
  return 0;
}

/* Raw mode, final head complete: the wire starts with it; a chunked body
 * is read off its framing. -1 with the stream failed. */
static int start_raw_body(http_stream *s) {
  const char *te = http_stream_header(s, "Transfer-Encoding", NULL);
  dynbuf_reset(&s->wire);
  if (dynbuf_add(&s->wire, s->headers.ptr, s->headers.len)) {
    stream_fail(s, "raw response head passed its cap (wire_max of client_start_raw)");
    return -1;
  }
  s->wire_head = s->wire.len;
  s->dechunk.state = names_chunked(te) ? CHUNK_SIZE : CHUNK_NONE;
  return 0;
}

static void log_header_block(http_stream *s) {
  const char *p = s->headers.ptr ? s->headers.ptr : "";
  const char *end = p + s->headers.len;
  char prefix[32];
  snprintf(prefix, sizeof prefix, "#%d < ", s->index);
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    size_t show = len;
    if (show && p[show - 1] == '\r')
      show--;
    if (show)
      transcript_add_bytes(s->owner->log, prefix, p, show, 4096);
    p += len + (nl ? 1 : 0);
  }
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user) {
  http_stream *s = user;
  size_t n = size * nmemb;
  if (n >= 5 && !memcmp(data, "HTTP/", 5)) {
    /* A new status line (1xx, redirect or final): start the block over. */
    dynbuf_reset(&s->headers);
    s->headers_done = 0;
    const char *sp = memchr(data, ' ', n);
    s->status = sp ? strtol(sp + 1, NULL, 10) : 0;
  }
  if (dynbuf_add(&s->headers, data, n)) {
    stream_fail(s, "response headers passed MCPWIRE_HTTP_HEADERS_MAX bytes");
    return 0;
  }
  int blank = (n == 2 && data[0] == '\r') || (n == 1 && data[0] == '\n');
  if (blank && s->status >= 200) {
    s->headers_done = 1;
    log_header_block(s);
    if (s->owner->connections & CLIENT_CONN_NOTE)
      transcript_addf(s->owner->log, "#%d connection: local port %ld%s", s->index,
                      http_stream_local_port(s),
                      s->owner->connections & CLIENT_CONN_FRESH ? " (fresh, not reused)" : "");
    if (s->raw && start_raw_body(s))
      return 0;
    if (s->opens_session)
      note_session_opened(s);
    /* An event stream has stats before its first byte (an idle GET may send none). */
    if (!s->sse && start_body(s)) {
      stream_fail(s, "out of memory starting the SSE parser");
      return 0;
    }
  }
  return n;
}

/* ---- starting ---- */

static int add_header(struct curl_slist **list, const char *h) {
  struct curl_slist *n = curl_slist_append(*list, h);
  if (!n)
    return -1;
  *list = n;
  return 0;
}

/* 1 when the --header options name the header of line "Name: value". */
static int overridden(const client *c, const char *line) {
  size_t n = strcspn(line, ":");
  for (size_t i = 0; i < c->opt->nheaders; i++) {
    const char *h = c->opt->headers[i];
    if (strcspn(h, ":") == n && !strncasecmp(h, line, n))
      return 1;
  }
  return 0;
}

/* with_user: the --header values go along (home origins only). */
static int build_headers(client *c, http_stream *s, const http_request *req, int with_user) {
  /* A --header with the same name replaces the transport's own value. */
  for (size_t i = 0; req->extra_headers && req->extra_headers[i]; i++)
    if ((!with_user || !overridden(c, req->extra_headers[i])) &&
        add_header(&s->req_headers, req->extra_headers[i]))
      return -1;
  for (size_t i = 0; with_user && i < c->opt->nheaders; i++)
    if (add_header(&s->req_headers, c->opt->headers[i]))
      return -1;
  /* No "Expect: 100-continue" round trip on large POSTs. */
  return add_header(&s->req_headers, "Expect:");
}

static void log_request(http_stream *s) {
  transcript *t = s->owner->log;
  transcript_addf(t, "#%d > %s %s", s->index, s->method, s->url);
  char prefix[32];
  snprintf(prefix, sizeof prefix, "#%d > ", s->index);
  char shown[4200];
  for (struct curl_slist *h = s->req_headers; h; h = h->next)
    if (strcmp(h->data, "Expect:")) {
      redact_header_line(h->data, shown, sizeof shown);
      transcript_add_bytes(t, prefix, shown, strlen(shown), 4096);
    }
  if (s->req_body) {
    snprintf(prefix, sizeof prefix, "#%d > body: ", s->index);
    transcript_add_bytes(t, prefix, s->req_body, strlen(s->req_body), TRANSCRIPT_SHOW_BYTES);
  }
}

static int configure_easy(client *c, http_stream *s, const http_request *req) {
  CURL *e = s->easy;
  long connect_ms = c->opt->connect_timeout_ms ? c->opt->connect_timeout_ms
                                               : MCPWIRE_CONNECT_TIMEOUT_MS;
  curl_easy_setopt(e, CURLOPT_URL, s->url);
  curl_easy_setopt(e, CURLOPT_PRIVATE, s);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, s);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->curl_error);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, s->req_headers);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  if (c->opt->cacert)
    curl_easy_setopt(e, CURLOPT_CAINFO, c->opt->cacert);
  if (c->opt->insecure) {
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (s->raw) /* the body's bytes as they come, chunk framing and all */
    curl_easy_setopt(e, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
  if (req->body) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, s->req_body);
  }
  if (c->connections & CLIENT_CONN_FRESH) { /* a new TCP connection, closed after use */
    curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
  }
  if (strcmp(req->method, "GET") && strcmp(req->method, "POST"))
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, s->method);
  else if (!strcmp(req->method, "POST") && !req->body) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
  }
  return 0;
}

/* The origin policy's word on a request: 0 to send it, -1 refused (a
 * transcript line says why; nothing is sent). */
void client_refuse(client *c, const char *method, const char *url) {
  transcript_addf(c->log, "! refused: %s %.300s leaves the target's origin %s; mcpwire sends "
                  "nothing there unless --allow-origin names it", method, url,
                  c->opt->origins.nhome ? c->opt->origins.home[0] : "(none)");
  count_refusal(url);
}

static int origin_check(client *c, const http_request *req, origin_class *cls) {
  *cls = origin_policy_class(&c->opt->origins, req->url);
  if (*cls != ORIGIN_FOREIGN)
    return 0;
  client_refuse(c, req->method, req->url);
  return -1;
}

/* client_start and client_start_raw (raw 1): one path. */
static http_stream *start_stream(client *c, const http_request *req, int raw, size_t wire_max) {
  origin_class cls;
  if (origin_check(c, req, &cls))
    return NULL;
  if (c->nstreams >= MCPWIRE_STREAMS_PER_CASE_MAX) {
    transcript_addf(c->log, "! no stream started: MCPWIRE_STREAMS_PER_CASE_MAX reached");
    return NULL;
  }
  http_stream *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->owner = c;
  s->index = ++c->started;
  dynbuf_init(&s->headers, MCPWIRE_HTTP_HEADERS_MAX);
  dynbuf_init(&s->body, MCPWIRE_HTTP_BODY_MAX);
  dynbuf_init(&s->wire, wire_max);
  s->raw = raw;
  s->easy = curl_easy_init();
  s->method = strdup(req->method);
  s->url = strdup(req->url);
  if (req->body)
    s->req_body = dup_bytes(req->body, req->body_len);
  if (!s->easy || !s->method || !s->url || (req->body && !s->req_body) ||
      build_headers(c, s, req, cls == ORIGIN_HOME)) {
    s->state = STREAM_DONE;
    stream_free(s);
    return NULL;
  }
  configure_easy(c, s, req);
  /* An initialize a case POSTs itself opens a session the client ends. */
  s->opens_session = !strcmp(req->method, "POST") && req->body &&
                     strstr(s->req_body, "\"initialize\"") &&
                     !line_value(req->extra_headers, "Mcp-Session-Id");
  log_request(s);
  if (req->body && c->log->on_message) {
    char where[300];
    snprintf(where, sizeof where, "#%d %s %.200s", s->index, s->method, s->url);
    c->log->on_message(c->log->on_message_user, 1, where, 0, req->body, req->body_len);
  }
  s->started_ms = clock_ms();
  if (curl_multi_add_handle(c->multi, s->easy) != CURLM_OK) {
    s->state = STREAM_DONE;
    stream_free(s);
    return NULL;
  }
  c->streams[c->nstreams++] = s;
  if (!strcmp(req->method, "DELETE"))
    note_session_delete(c, req, s);
  return s;
}

http_stream *client_start(client *c, const http_request *req) {
  return start_stream(c, req, 0, 0);
}

http_stream *client_start_raw(client *c, const http_request *req, size_t wire_max) {
  return start_stream(c, req, 1, wire_max);
}

/* ---- driving ---- */

static void log_sse_oddities(http_stream *s) {
  const sse_stats *st = sse_get_stats(s->sse);
  if (!st)
    return;
  transcript_addf(s->owner->log,
                  "#%d sse: %llu bytes, %llu events, line ends lf=%llu crlf=%llu cr=%llu, "
                  "comments=%llu bom=%llu no-space=%llu no-colon=%llu unknown-fields=%llu "
                  "nul-ids=%llu bad-retry=%llu empty-dispatch=%llu",
                  s->index, (unsigned long long)st->bytes, (unsigned long long)st->events,
                  (unsigned long long)st->lines_lf, (unsigned long long)st->lines_crlf,
                  (unsigned long long)st->lines_cr, (unsigned long long)st->comments,
                  (unsigned long long)st->bom, (unsigned long long)st->fields_no_space,
                  (unsigned long long)st->fields_no_colon,
                  (unsigned long long)st->fields_unknown, (unsigned long long)st->ids_with_nul,
                  (unsigned long long)st->retries_invalid,
                  (unsigned long long)st->empty_dispatches);
  /* Counted only when the server ended the body (sse_finish ran): its last
   * event had no closing blank line and was dropped (SSEWIRE-20). */
  if (st->unterminated_at_end)
    transcript_addf(s->owner->log,
                    "#%d sse: the body ended inside an event (no blank line after its last "
                    "field); it was dropped as the WHATWG rules require (SSEWIRE-20)",
                    s->index);
}

static void stream_finished(http_stream *s, CURLcode code) {
  s->state = STREAM_DONE;
  s->curl_code = code;
  curl_multi_remove_handle(s->owner->multi, s->easy);
  if (s->sse)
    sse_finish(s->sse);
  else if (s->body.len)
    transcript_add_bytes(s->owner->log, "", s->body.ptr, s->body.len, TRANSCRIPT_SHOW_BYTES);
  if (s->sse)
    log_sse_oddities(s);
  /* A whole application/json body is one JSON-RPC message (or batch); a
   * body cut short by an error or a cap is not judged. */
  const char *ct = s->body.len ? http_stream_header(s, "Content-Type", NULL) : NULL;
  if (!s->sse && ct && http_media_type_is(ct, "application/json") && code == CURLE_OK &&
      !s->failure[0]) {
    char how[64];
    snprintf(how, sizeof how, "application/json body (HTTP %ld)", s->status);
    deliver(s, how, s->body.ptr, s->body.len);
  }
  transcript_addf(s->owner->log, "#%d done after %.1f ms: %s", s->index,
                  clock_ms() - s->started_ms,
                  code == CURLE_OK && !s->failure[0] ? "complete" : http_stream_error(s));
}

static void drain_messages(client *c) {
  CURLMsg *m;
  int left;
  while ((m = curl_multi_info_read(c->multi, &left))) {
    if (m->msg != CURLMSG_DONE)
      continue;
    http_stream *s = NULL;
    curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
    if (s && s->state == STREAM_RUNNING)
      stream_finished(s, m->data.result);
  }
}

int client_wait(client *c, int (*ready)(void *arg), void *arg, double deadline_ms) {
  for (;;) {
    int running = 0;
    curl_multi_perform(c->multi, &running);
    drain_messages(c);
    if (ready && ready(arg))
      return 0;
    double left = deadline_ms - clock_ms();
    if (!ready || left <= 0)
      return ready ? -1 : 0;
    int ms = left > POLL_SLICE_MS ? POLL_SLICE_MS : (int)left + 1;
    curl_multi_poll(c->multi, NULL, 0, ms, NULL);
  }
}

int http_stream_ended(const http_stream *s) { return s->state != STREAM_RUNNING; }

int http_stream_complete(const http_stream *s) {
  return s->state == STREAM_DONE && s->curl_code == CURLE_OK;
}

static int headers_ready(void *arg) {
  http_stream *s = arg;
  return s->headers_done || http_stream_ended(s);
}

int http_stream_wait_headers(http_stream *s, double deadline_ms) {
  if (!s)
    return -1;
  client_wait(s->owner, headers_ready, s, deadline_ms);
  return s->headers_done ? 0 : -1;
}

static int done_ready(void *arg) { return http_stream_ended(arg); }

int http_stream_wait_done(http_stream *s, double deadline_ms) {
  if (!s)
    return -1;
  return client_wait(s->owner, done_ready, s, deadline_ms);
}

static int event_ready(void *arg) {
  http_stream *s = arg;
  return http_stream_has_event(s) || http_stream_ended(s);
}

const stream_event *http_stream_next_event(http_stream *s, double deadline_ms) {
  if (!s)
    return NULL;
  client_wait(s->owner, event_ready, s, deadline_ms);
  return http_stream_take_event(s);
}

int http_stream_has_event(const http_stream *s) { return s && s->next_event < s->nevents; }

const stream_event *http_stream_take_event(http_stream *s) {
  return http_stream_has_event(s) ? &s->events[s->next_event++] : NULL;
}

const char *http_stream_header(http_stream *s, const char *name, size_t *count) {
  struct curl_header *h = NULL;
  if (count)
    *count = 0;
  if (curl_easy_header(s->easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h)
    return NULL;
  if (count)
    *count = h->amount;
  if (h->amount > 1)
    curl_easy_header(s->easy, name, h->amount - 1, CURLH_HEADER, -1, &h);
  return h->value;
}

static int never_ready(void *arg) {
  (void)arg;
  return 0;
}

void client_idle_until(client *c, double deadline_ms) {
  client_wait(c, never_ready, NULL, deadline_ms);
}

void http_stream_close(http_stream *s) {
  if (s->state != STREAM_RUNNING)
    return;
  curl_multi_remove_handle(s->owner->multi, s->easy);
  s->state = STREAM_CLOSED;
  if (s->sse)
    log_sse_oddities(s);
  transcript_addf(s->owner->log, "#%d closed by the harness after %.1f ms", s->index,
                  clock_ms() - s->started_ms);
}

void client_release(http_stream *s) {
  if (!s)
    return;
  client *c = s->owner;
  http_stream_close(s);
  for (size_t i = 0; i < c->nstreams; i++)
    if (c->streams[i] == s) {
      memmove(&c->streams[i], &c->streams[i + 1], (c->nstreams - i - 1) * sizeof c->streams[0]);
      c->nstreams--;
      break;
    }
  stream_free(s);
}

const char *http_stream_error(const http_stream *s) {
  if (s->failure[0])
    return s->failure;
  if (s->state == STREAM_DONE && s->curl_code != CURLE_OK)
    return s->curl_error[0] ? s->curl_error : curl_easy_strerror(s->curl_code);
  return "";
}

int http_stream_unreachable(const http_stream *s) {
  switch (s->curl_code) {
  case CURLE_COULDNT_CONNECT:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
    return s->state == STREAM_DONE && s->status == 0;
  default:
    return 0;
  }
}

const sse_stats *http_stream_sse_stats(const http_stream *s) {
  return s->sse ? sse_get_stats(s->sse) : NULL;
}
