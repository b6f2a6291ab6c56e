/*
 * stream.c: SSE streams. Every event of a Streamable HTTP session gets the
 * id "<stream number>-<sequence>", unique across the session and naming its
 * stream, so a GET with Last-Event-ID finds the stream to resume. Each
 * stream keeps its last events in a bounded ring for replay. A stream
 * outlives its connection: a POST-born stream can be resumed by GET.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "codec/sse.h"
#include "mcpwire_limits.h"
#include "mock.h"

static int stream_is_legacy(const stream *st) { return st->owner->legacy; }

int stream_attached(const stream *st) { return st->req && !st->end_after; }

/* Drops the oldest finished, unattached POST stream past the cap. */
static void stream_trim(session *s) {
  if (s->stream_count <= MCPWIRE_MOCK_STREAMS_PER_SESSION_MAX)
    return;
  stream *victim = NULL;
  for (stream *st = s->streams; st; st = st->next)
    if (st->finished && !st->req && !st->is_get)
      victim = st;
  if (victim)
    stream_free(victim);
}

stream *stream_create(session *s, int is_get) {
  stream *st = calloc(1, sizeof *st);
  if (!st)
    return NULL;
  st->owner = s;
  st->no = s->next_stream_no++;
  st->is_get = is_get;
  dynbuf_init(&st->outq, MCPWIRE_MOCK_CLIENT_QUEUE_MAX);
  st->next = s->streams;
  s->streams = st;
  s->stream_count++;
  if (is_get)
    s->get_stream = st;
  stream_trim(s);
  return st;
}

stream *stream_find(session *s, unsigned no) {
  for (stream *st = s->streams; st; st = st->next)
    if (st->no == no)
      return st;
  return NULL;
}

static void ring_free(stream *st) {
  for (size_t i = 0; i < st->ring_len; i++)
    free(st->ring[(st->ring_head + i) % MCPWIRE_MOCK_REPLAY_EVENTS_MAX]);
  free(st->ring);
  free(st->ring_seq);
  st->ring = NULL;
  st->ring_seq = NULL;
  st->ring_len = 0;
}

/* Ends the HTTP response now (pending split pieces are dropped). */
static void response_end(stream *st) {
  struct evhttp_request *req = st->req;
  st->req = NULL;
  st->end_after = 0;
  st->pumping = 0;
  st->outq_off = 0;
  dynbuf_reset(&st->outq);
  if (st->heartbeat)
    event_del(st->heartbeat);
  if (st->split_timer)
    event_del(st->split_timer);
  if (!req)
    return;
  struct evhttp_connection *evcon = evhttp_request_get_connection(req);
  conn_set_stream(evcon, NULL);
  evhttp_send_reply_end(req);
}

void stream_free(stream *st) {
  session *s = st->owner;
  stream **pp = &s->streams;
  while (*pp && *pp != st)
    pp = &(*pp)->next;
  if (*pp)
    *pp = st->next;
  s->stream_count--;
  if (s->get_stream == st)
    s->get_stream = NULL;
  if (st->ex)
    st->ex->st = NULL;
  response_end(st);
  if (st->heartbeat)
    event_free(st->heartbeat);
  if (st->split_timer)
    event_free(st->split_timer);
  ring_free(st);
  dynbuf_free(&st->outq);
  free(st);
}

/* 2026-07-28: a closed response stream cancels its request (S26-CANCEL-01);
 * the stateless session then goes. */
/* s26-reissue-refused: the tool of a call lost with its stream, whose
 * next call is refused once (stream_take_cut_call). */
static char cut_tool[MCPWIRE_FIXTURE_TOOL_MAX];

int stream_take_cut_call(const char *tool) {
  if (!tool || !*cut_tool || strcmp(tool, cut_tool))
    return 0;
  cut_tool[0] = '\0';
  return 1;
}

/* Remembers the tool of a call st's close left unanswered. */
static void note_cut_call(stream *st) {
  for (call *c = st->owner->calls; c; c = c->next)
    if (c->ex == st->ex && c->tool)
      snprintf(cut_tool, sizeof cut_tool, "%s", c->tool);
}

static void stateless_stream_gone(stream *st) {
  session *s = st->owner;
  if (st->ex && !st->finished && fault_on(FAULT_S26_REISSUE_REFUSED))
    note_cut_call(st);
  if (st->ex && !st->finished && !fault_on(FAULT_S26_NO_CANCEL_ON_CLOSE)) {
    for (call *c = s->calls; c; c = c->next)
      the_mock.cancelled_on_close += c->ex == st->ex;
    tools_cancel_exchange(s, st->ex);
  }
  session_reap_soon(s);
}

void stream_on_gone(stream *st) {
  struct evhttp_request *req = st->req;
  st->req = NULL;
  response_end(st);
  /* Detached by libevent (client EOF): the request is ours to free. */
  if (req && !evhttp_request_get_connection(req))
    evhttp_send_reply_end(req);
  if (st->owner->modern) {
    stateless_stream_gone(st);
    return;
  }
  if (fault_on(FAULT_CANCEL_ON_DISCONNECT) && st->ex && !st->finished)
    tools_cancel_exchange(st->owner, st->ex);
  if (stream_is_legacy(st) && st->is_get)
    session_destroy(st->owner); /* HTTP+SSE: the stream is the session */
}

static void pump_send(stream *st);

static void on_pause_over(evutil_socket_t fd, short what, void *arg) {
  (void)fd; (void)what;
  pump_send(arg);
}

/* A piece has left: pause, then the next one (pumping stays set). */
static void on_piece_out(struct evhttp_connection *evcon, void *arg) {
  (void)evcon;
  stream *st = arg;
  struct timeval tv = {0, MCPWIRE_MOCK_SPLIT_PAUSE_MS * 1000};
  if (!st->split_timer)
    st->split_timer = evtimer_new(the_mock.base, on_pause_over, st);
  if (!st->split_timer || evtimer_add(st->split_timer, &tv))
    pump_send(st);
}

/* Sends the next piece under --wire split, or finishes the queue. */
static void pump_send(stream *st) {
  st->pumping = 0;
  if (!st->req)
    return;
  size_t left = st->outq.len - st->outq_off;
  if (!left) {
    st->outq_off = 0;
    dynbuf_reset(&st->outq);
    if (st->end_after)
      response_end(st);
    return;
  }
  const char *p = st->outq.ptr + st->outq_off;
  size_t n = left / MCPWIRE_MOCK_SPLIT_PIECES;
  if (n < MCPWIRE_MOCK_SPLIT_CHUNK)
    n = MCPWIRE_MOCK_SPLIT_CHUNK;
  if (n > left)
    n = left;
  const char *cr = memchr(p, '\r', n);
  if (cr)
    n = (size_t)(cr - p) + 1; /* a CR ends a piece, its LF starts the next */
  struct evbuffer *buf = evbuffer_new();
  if (!buf)
    return;
  evbuffer_add(buf, p, n);
  st->outq_off += n;
  st->pumping = 1;
  evhttp_send_reply_chunk_with_cb(st->req, buf, on_piece_out, st);
  evbuffer_free(buf);
}

size_t stream_queued(const stream *st) {
  struct evhttp_connection *evcon = st->req ? evhttp_request_get_connection(st->req) : NULL;
  if (!evcon)
    return 0;
  struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
  return evbuffer_get_length(bufferevent_get_output(bev)) + (st->outq.len - st->outq_off);
}

/* Too much queued for a client that does not read: drop it. The socket is
 * shut down, and libevent's own error path then closes the connection
 * (freeing it here could pull it from under the request being handled). */
static int client_overloaded(stream *st) {
  struct evhttp_connection *evcon = evhttp_request_get_connection(st->req);
  if (st->dropped)
    return 1;
  if (!evcon)
    return 0;
  struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
  if (evbuffer_get_length(bufferevent_get_output(bev)) + st->outq.len <
      MCPWIRE_MOCK_CLIENT_QUEUE_MAX)
    return 0;
  st->dropped = 1;
  shutdown(bufferevent_getfd(bev), SHUT_RDWR);
  return 1;
}

static void stream_write(stream *st, const char *bytes, size_t len) {
  if (!st->req || !len || client_overloaded(st))
    return;
  st->started = 1;
  if (st->heartbeat && evtimer_pending(st->heartbeat, NULL))
    event_add(st->heartbeat, the_mock.heartbeat_tv); /* only idle streams need one */
  if (wire_on(WIRE_SPLIT)) {
    if (dynbuf_add(&st->outq, bytes, len) == DYNBUF_OK && !st->pumping)
      pump_send(st);
    return;
  }
  struct evbuffer *buf = evbuffer_new();
  if (!buf)
    return;
  evbuffer_add(buf, bytes, len);
  evhttp_send_reply_chunk(st->req, buf);
  evbuffer_free(buf);
}

static void on_heartbeat(evutil_socket_t fd, short what, void *arg) {
  (void)fd; (void)what;
  stream *st = arg;
  dynbuf b;
  dynbuf_init(&b, 1024);
  if (!wire_format_comment(&b, "keep-alive", !st->started))
    stream_write(st, b.ptr, b.len);
  dynbuf_free(&b);
}

static void heartbeat_start(stream *st) {
  mock *m = &the_mock;
  if (fault_on(FAULT_NO_HEARTBEAT))
    return;
  if (!m->heartbeat_tv) {
    struct timeval tv = {m->opt.heartbeat_ms / 1000, (m->opt.heartbeat_ms % 1000) * 1000};
    m->heartbeat_tv = event_base_init_common_timeout(m->base, &tv);
  }
  if (!st->heartbeat)
    st->heartbeat = event_new(m->base, -1, EV_PERSIST, on_heartbeat, st);
  if (st->heartbeat)
    event_add(st->heartbeat, m->heartbeat_tv);
}

/* A stream only writes: no read timeout; the write timeout stays. */
static void connection_tune(struct evhttp_connection *evcon) {
  struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
  struct timeval wt = {the_mock.opt.read_timeout_s, 0};
  bufferevent_set_timeouts(bev, NULL, &wt);
  if (wire_on(WIRE_SPLIT)) {
    int one = 1; /* pieces leave one by one */
    setsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
}

void stream_attach(stream *st, struct evhttp_request *req) {
  struct evkeyvalq *h = evhttp_request_get_output_headers(req);
  evhttp_add_header(h, "Content-Type", "text/event-stream");
  if (!fault_on(FAULT_NO_CACHE_CONTROL))
    evhttp_add_header(h, "Cache-Control", "no-cache");
  if (!fault_on(FAULT_NO_ACCEL_BUFFERING_HEADER))
    evhttp_add_header(h, "X-Accel-Buffering", "no");
  if (st->req)
    response_end(st);
  st->req = req;
  st->started = 0;
  st->dropped = 0;
  evhttp_send_reply_start(req, 200, "OK");
  struct evhttp_connection *evcon = evhttp_request_get_connection(req);
  if (evcon) {
    conn_set_stream(evcon, st);
    connection_tune(evcon);
  }
  heartbeat_start(st);
}

/* The event id text for seq on this stream; NULL when ids are off. */
static const char *event_id(const stream *st, uint64_t seq, char *buf, size_t n) {
  /* 2026-07-28 has no resumption: its streams carry no ids (S26-SSE-06) */
  if (stream_is_legacy(st) || st->owner->modern || fault_on(FAULT_NO_EVENT_IDS))
    return NULL;
  if (fault_on(FAULT_DUPLICATE_EVENT_IDS))
    snprintf(buf, n, "%llu", (unsigned long long)seq);
  else
    snprintf(buf, n, "%u-%llu", st->no, (unsigned long long)seq);
  return buf;
}

/* s26-events-held: a stateless call's events wait in outq (unused
 * without --wire split) for its response, as behind an output buffer. */
static int events_held(const stream *st) {
  return fault_on(FAULT_S26_EVENTS_HELD) && st->owner->modern && st->ex && !wire_on(WIRE_SPLIT);
}

/* Writes what s26-events-held kept back, all in one go. */
static void release_held(stream *st) {
  if (!events_held(st) || !st->outq.len)
    return;
  stream_write(st, st->outq.ptr, st->outq.len);
  dynbuf_reset(&st->outq);
}

static void write_event(stream *st, const char *type, uint64_t seq, int64_t retry,
                        const char *data, size_t len, int final) {
  char idbuf[48];
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
  if (!wire_format_event(&b, type, event_id(st, seq, idbuf, sizeof idbuf), retry, data, len,
                         !st->started, final)) {
    if (events_held(st) && dynbuf_add(&st->outq, b.ptr, b.len) == DYNBUF_OK) {
      if (final)
        release_held(st);
    } else {
      release_held(st);
      stream_write(st, b.ptr, b.len);
    }
  }
  dynbuf_free(&b);
}

static void ring_push(stream *st, const char *json, size_t len) {
  const size_t cap = MCPWIRE_MOCK_REPLAY_EVENTS_MAX;
  if (!st->ring) {
    st->ring = calloc(cap, sizeof *st->ring);
    st->ring_seq = calloc(cap, sizeof *st->ring_seq);
    if (!st->ring || !st->ring_seq) {
      ring_free(st);
      return;
    }
  }
  char *copy = malloc(len + 1);
  if (!copy)
    return;
  memcpy(copy, json, len);
  copy[len] = '\0';
  size_t slot = (st->ring_head + st->ring_len) % cap;
  if (st->ring_len == cap) { /* full: the oldest goes */
    free(st->ring[st->ring_head]);
    st->ring_head = (st->ring_head + 1) % cap;
    st->ring_len--;
  }
  st->ring[slot] = copy;
  st->ring_seq[slot] = st->seq;
  st->ring_len++;
}

static void send_event(stream *st, const char *json, size_t len, int final) {
  const char *type = "message";
  if (stream_is_legacy(st) && fault_on(FAULT_LEGACY_WRONG_EVENT_TYPE))
    type = "response";
  st->seq++;
  if (!stream_is_legacy(st) && !st->owner->modern)
    ring_push(st, json, len);
  write_event(st, type, st->seq, -1, json, len, final);
}

void stream_send(stream *st, const char *json, size_t len) { send_event(st, json, len, 0); }
void stream_send_final(stream *st, const char *json, size_t len) {
  send_event(st, json, len, 1);
}

void stream_send_endpoint(stream *st, const char *uri) {
  write_event(st, "endpoint", 0, -1, uri, strlen(uri), 0);
}

void stream_prime(stream *st) {
  if (strcmp(session_version(st->owner), MOCK_V2511) || fault_on(FAULT_NO_PRIMING_EVENT))
    return;
  int64_t retry = fault_on(FAULT_NO_RETRY_BEFORE_CLOSE) ? -1 : the_mock.opt.retry_ms;
  st->seq++;
  write_event(st, NULL, st->seq, retry, "", 0, 0);
}

void stream_detach(stream *st) {
  if (!st->req)
    return;
  release_held(st);
  if (st->pumping || st->outq_off < st->outq.len) {
    st->end_after = 1; /* the split pump ends it */
    return;
  }
  response_end(st);
}

void stream_finish(stream *st) {
  st->finished = 1;
  stream_detach(st);
}

static void replay_ring(stream *to, const stream *from, uint64_t after) {
  const size_t cap = MCPWIRE_MOCK_REPLAY_EVENTS_MAX;
  for (size_t i = 0; i < from->ring_len; i++) {
    size_t slot = (from->ring_head + i) % cap;
    if (from->ring_seq[slot] <= after)
      continue;
    char idbuf[48];
    const char *id = event_id(from, from->ring_seq[slot], idbuf, sizeof idbuf);
    dynbuf b;
    dynbuf_init(&b, MCPWIRE_MOCK_EVENT_MAX);
    const char *json = from->ring[slot];
    if (!wire_format_event(&b, "message", id, -1, json, strlen(json), !to->started, 0))
      stream_write(to, b.ptr, b.len);
    dynbuf_free(&b);
  }
}

void stream_replay(stream *st, uint64_t after_seq) {
  if (fault_on(FAULT_DROP_REPLAY))
    return;
  replay_ring(st, st, after_seq);
  if (!fault_on(FAULT_REPLAY_OTHER_STREAM))
    return;
  for (stream *o = st->owner->streams; o; o = o->next)
    if (o != st)
      replay_ring(st, o, 0);
}

int stream_parse_event_id(const char *id, unsigned *no, uint64_t *seq) {
  unsigned long long a, b;
  int used = 0;
  if (sscanf(id, "%llu-%llu%n", &a, &b, &used) != 2 || id[used] || a > 0xffffffffull)
    return 0;
  *no = (unsigned)a;
  *seq = b;
  return 1;
}
