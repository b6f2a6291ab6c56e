/*
 * proxy.c: the fault-injecting relay (contract in proxy.h).
 *
 * One libevent loop in one thread. Each accepted client gets a connection to
 * the target. Response bytes flow through four stages:
 *   framing (http_framing: heads rewritten, body bytes located, SSE events
 *   counted) -> faults (cut, stall, reset at a byte or event count) ->
 *   buffering (hold whole response or N bytes) -> output (latency queue and
 *   re-slicing, then the client socket).
 * Memory is bounded per response (MCPWIRE_PROXY_HOLD_MAX), per connection
 * (MCPWIRE_PROXY_QUEUE_MAX towards the client) and for the whole proxy
 * (MCPWIRE_PROXY_HOLD_TOTAL_MAX): every buffer a response passes through is
 * counted in proxy.held, as a buffering proxy counts its buffers. Past a cap
 * a response stops being held and passes on (an overflow), and a connection
 * whose client side is full stops reading the origin (backpressure).
 * A connection is freed only from its finish event, never from inside a
 * stage, so no stage touches freed memory.
 */
#include "proxy/proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "codec/dynbuf.h"
#include "codec/sse.h"
#include "proxy/balance.h"
#include "proxy/http_framing.h"

/* Buffers of a connection whose bytes count in proxy.held. */
enum { ACCT_HOLD, ACCT_PENDING, ACCT_CLIENT_OUT, ACCT_UPSTREAM_IN, ACCT_N };

/* Bytes handled per step (a stack buffer). Under 32 KiB, so the evbuffer
 * chain that copies it stays under malloc's mmap threshold (a 64 KiB piece
 * made a 128 KiB chain: one mmap, page faults and munmap per piece). */
#define READ_PIECE (32 * 1024 - 256)
/* Per socket read or write: libevent's 16 KiB default costs a loop turn per
 * 16 KiB. */
#define SOCKET_IO_MAX (256 * 1024)
/* Pieces queued under `latency` this close together leave together (one
 * timer wake instead of several, each rounded up to a millisecond). */
#define LATENCY_JOIN_US 1000
/* How long accepting pauses when the process is out of descriptors. */
#define ACCEPT_PAUSE_MS MCPWIRE_PROXY_ACCEPT_PAUSE_MS

typedef enum after_action { AFTER_NONE = 0, AFTER_CLOSE, AFTER_RESET, AFTER_STALL } after_action;

typedef struct piece {
  size_t len;
  uint64_t due_us;
} piece;

typedef struct conn conn;

struct proxy {
  proxy_config cfg;
  struct event_base *base;
  struct evconnlistener *listener;
  struct event *wake_ev;
  struct event *relisten_ev;   /* re-enables accepting after EMFILE */
  int wake[2];
  pthread_t thread;
  int thread_started;
  /* The targets, resolved: [0] is target_host, then more_targets. */
  struct sockaddr_storage targets[MCPWIRE_PROXY_TARGETS_MAX];
  socklen_t target_lens[MCPWIRE_PROXY_TARGETS_MAX];
  size_t n_targets;
  uint64_t turn;               /* balance: the round-robin counter (loop thread) */
  int port;
  pthread_mutex_t lock;
  proxy_stats stats;
  conn *conns;
  size_t n_conns;
  uint64_t next_id;
  uint64_t faults_fired;       /* cut, stall and reset so far (loop thread) */
  size_t held;                 /* bytes in every connection's buffers (loop thread) */
};

struct conn {
  proxy *px;
  conn *prev, *next;
  uint64_t id;
  struct bufferevent *client, *upstream;
  http_framing req, resp;
  int req_raw, resp_raw;       /* framing gave up: relay raw bytes */
  /* The response being relayed. */
  uint64_t resp_bytes;         /* bytes that passed the fault stage */
  uint64_t resp_events;
  int resp_is_sse, resp_decode, resp_close_after, message_ended;
  const char *cut_ptr;         /* where cut-events stops, inside the feed */
  sse_parser *sse;
  /* Buffering and output. */
  struct evbuffer *hold;
  int hold_overflow;
  struct evbuffer *pending;
  piece pieces[MCPWIRE_PROXY_PIECES_MAX];
  size_t piece_start, piece_count;
  int slice_waiting;           /* a slice is being written; wait for drain */
  int upstream_paused;
  int upstream_eof;            /* EOF seen while input waited behind a pause */
  int client_eof;              /* the client shut its sending side */
  int done_forwarding;         /* no more response bytes will be queued */
  int connect_pending;         /* balance: connect once the first request head says where */
  int connect_failed;          /* that connect failed: end the connection */
  after_action after;
  struct event *pump_ev, *idle_ev, *finish_ev;
  struct evbuffer *acct_buf[ACCT_N];        /* the counted buffers ... */
  struct evbuffer_cb_entry *acct_cb[ACCT_N]; /* ... and their counting callbacks */
};

/* ---- small helpers ---- */

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static struct timeval ms_tv(uint64_t ms) {
  struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
  return tv;
}

#define STAT_ADD(px, field, n)                                             \
  do {                                                                     \
    pthread_mutex_lock(&(px)->lock);                                       \
    (px)->stats.field += (n);                                              \
    pthread_mutex_unlock(&(px)->lock);                                     \
  } while (0)

static void conn_log(conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void conn_log(conn *c, const char *fmt, ...) {
  FILE *log = c->px->cfg.log;
  if (!log)
    return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(log, "proxy: conn %llu: ", (unsigned long long)c->id);
  vfprintf(log, fmt, ap);
  fputc('\n', log);
  fflush(log);
  va_end(ap);
}

static void set_nodelay(struct bufferevent *bev) {
  int one = 1;
  evutil_socket_t fd = bufferevent_getfd(bev);
  if (fd >= 0)
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void touch(conn *c) {
  if (c->idle_ev) {
    struct timeval tv = ms_tv(c->px->cfg.idle_cut_ms);
    evtimer_add(c->idle_ev, &tv);
  }
}

/* ---- memory accounting ---- */

/* Keeps proxy.held equal to the bytes in every counted buffer. */
static void account_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg) {
  (void)buf;
  proxy *px = arg;
  px->held = px->held + info->n_added - info->n_deleted;
  if (info->n_added && px->held > px->stats.held_peak) {
    pthread_mutex_lock(&px->lock);
    px->stats.held_peak = px->held;
    pthread_mutex_unlock(&px->lock);
  }
}

static int track(conn *c, int which, struct evbuffer *buf) {
  c->acct_buf[which] = buf;
  c->acct_cb[which] = evbuffer_add_cb(buf, account_cb, c->px);
  return c->acct_cb[which] ? 0 : -1;
}

/* Takes what is still in a counted buffer off the total, before it goes. */
static void untrack(conn *c, int which) {
  if (!c->acct_cb[which])
    return;
  evbuffer_remove_cb_entry(c->acct_buf[which], c->acct_cb[which]);
  c->px->held -= evbuffer_get_length(c->acct_buf[which]);
  c->acct_cb[which] = NULL;
}

static void untrack_all(conn *c) {
  for (int i = 0; i < ACCT_N; i++)
    untrack(c, i);
}

/* Bytes queued towards the client: delayed or sliced, and in the socket's
 * output buffer. */
static size_t queued(const conn *c) {
  return evbuffer_get_length(c->pending) +
         (c->client ? evbuffer_get_length(bufferevent_get_output(c->client)) : 0);
}

/* The client side is full: this connection's queue is over its cap, or it
 * has bytes queued while the whole proxy holds more than its cap. A
 * connection with nothing queued may always read, so none starves. */
static int client_side_full(const conn *c) {
  size_t q = queued(c);
  return q > MCPWIRE_PROXY_QUEUE_MAX || (q && c->px->held > MCPWIRE_PROXY_HOLD_TOTAL_MAX);
}

/* ---- lifetime ---- */

static void conn_free(conn *c) {
  proxy *px = c->px;
  if (c->prev)
    c->prev->next = c->next;
  else
    px->conns = c->next;
  if (c->next)
    c->next->prev = c->prev;
  px->n_conns--;
  untrack_all(c);
  if (c->client)
    bufferevent_free(c->client);
  if (c->upstream)
    bufferevent_free(c->upstream);
  if (c->pump_ev)
    event_free(c->pump_ev);
  if (c->idle_ev)
    event_free(c->idle_ev);
  if (c->finish_ev)
    event_free(c->finish_ev);
  if (c->hold)
    evbuffer_free(c->hold);
  if (c->pending)
    evbuffer_free(c->pending);
  http_framing_free(&c->req);
  http_framing_free(&c->resp);
  sse_parser_free(c->sse);
  free(c);
}

static void request_finish(conn *c) { event_active(c->finish_ev, EV_TIMEOUT, 0); }

static int output_idle(conn *c) {
  return !c->piece_count && !evbuffer_get_length(c->hold) &&
         (!c->client || !evbuffer_get_length(bufferevent_get_output(c->client)));
}

/* Runs at top level: applies the pending after-action once all is written. */
static void finish_cb(evutil_socket_t fd, short what, void *arg) {
  (void)fd, (void)what;
  conn *c = arg;
  if (!c->done_forwarding || !output_idle(c) || c->after == AFTER_STALL)
    return;
  if (c->after == AFTER_RESET) {
    struct linger lg = {1, 0}; /* close now with RST, dropping nothing queued */
    setsockopt(bufferevent_getfd(c->client), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    conn_log(c, "reset sent to client");
  }
  conn_free(c);
}

static void drop_upstream(conn *c) {
  if (c->upstream) {
    untrack(c, ACCT_UPSTREAM_IN);
    bufferevent_free(c->upstream);
    c->upstream = NULL;
  }
}

/* ---- output stage: latency queue and slices ---- */

static void client_write(conn *c, struct evbuffer *from, size_t n) {
  evbuffer_remove_buffer(from, bufferevent_get_output(c->client), n);
  STAT_ADD(c->px, bytes_to_client, n);
  touch(c);
}

static void pump(conn *c) {
  const proxy_config *cfg = &c->px->cfg;
  uint64_t now = now_us();
  while (c->piece_count && !c->slice_waiting) {
    piece *p = &c->pieces[c->piece_start];
    if (p->due_us > now) {
      uint64_t wait = p->due_us - now;
      struct timeval tv = {(time_t)(wait / 1000000u), (suseconds_t)(wait % 1000000u)};
      /* The loop's cached clock is older than now_us(): refresh it, or the
       * timer fires early and costs one more (ms-rounded) wait. */
      event_base_update_cache_time(c->px->base);
      evtimer_add(c->pump_ev, &tv);
      return;
    }
    size_t n = p->len;
    if (cfg->slice) {
      n = n < cfg->slice ? n : (size_t)cfg->slice;
      c->slice_waiting = 1; /* the next slice waits for this one to drain */
    }
    client_write(c, c->pending, n);
    p->len -= n;
    if (!p->len) {
      c->piece_start = (c->piece_start + 1) % MCPWIRE_PROXY_PIECES_MAX;
      c->piece_count--;
    }
  }
  request_finish(c);
}

static void pump_cb(evutil_socket_t fd, short what, void *arg) {
  (void)fd, (void)what;
  pump(arg);
}

static void queue_out(conn *c, const char *data, size_t len) {
  const proxy_config *cfg = &c->px->cfg;
  if (!len)
    return;
  if (!cfg->latency_ms && !cfg->slice) {
    bufferevent_write(c->client, data, len);
    STAT_ADD(c->px, bytes_to_client, len);
    touch(c);
    return;
  }
  evbuffer_add(c->pending, data, len);
  uint64_t due = now_us() + (uint64_t)cfg->latency_ms * 1000u;
  piece *last = c->piece_count
                    ? &c->pieces[(c->piece_start + c->piece_count - 1) % MCPWIRE_PROXY_PIECES_MAX]
                    : NULL;
  if (last && (due - last->due_us < LATENCY_JOIN_US || c->piece_count == MCPWIRE_PROXY_PIECES_MAX)) {
    last->len += len; /* close behind the last piece, or the ring is full: join it */
    last->due_us = due; /* later, so no byte goes out before its delay */
  } else {
    piece *p = &c->pieces[(c->piece_start + c->piece_count) % MCPWIRE_PROXY_PIECES_MAX];
    p->len = len;
    p->due_us = due;
    c->piece_count++;
  }
  if (!evtimer_pending(c->pump_ev, NULL) && !c->slice_waiting)
    pump(c);
}

/* ---- buffering stage ---- */

static void flush_hold(conn *c) {
  size_t n = evbuffer_get_length(c->hold);
  while (n) {
    char tmp[READ_PIECE];
    size_t k = n < sizeof tmp ? n : sizeof tmp;
    evbuffer_remove(c->hold, tmp, k);
    queue_out(c, tmp, k);
    n -= k;
  }
}

/* Which hold cap `len` more bytes would pass, or NULL when they fit. */
static const char *hold_cap_passed(const conn *c, size_t len) {
  if (c->px->cfg.buffer_whole && evbuffer_get_length(c->hold) + len > MCPWIRE_PROXY_HOLD_MAX)
    return "MCPWIRE_PROXY_HOLD_MAX";
  if (c->px->held + len > MCPWIRE_PROXY_HOLD_TOTAL_MAX)
    return "MCPWIRE_PROXY_HOLD_TOTAL_MAX";
  return NULL;
}

static void buffer_stage(conn *c, const char *data, size_t len) {
  const proxy_config *cfg = &c->px->cfg;
  if ((!cfg->buffer_whole && !cfg->buffer_bytes) || c->hold_overflow) {
    queue_out(c, data, len);
    return;
  }
  const char *cap = hold_cap_passed(c, len);
  if (cap) {
    conn_log(c, "response over the hold cap %s after %zu bytes held: forwarded as-is", cap,
             evbuffer_get_length(c->hold));
    STAT_ADD(c->px, buffer_overflows, 1);
    c->hold_overflow = 1;
    flush_hold(c);
    queue_out(c, data, len);
    return;
  }
  evbuffer_add(c->hold, data, len);
  if (cfg->buffer_bytes && evbuffer_get_length(c->hold) >= cfg->buffer_bytes)
    flush_hold(c);
}

/* ---- fault stage ---- */

/* Whether `times=N` still lets a fault fire. */
static int faults_left(const conn *c) {
  return !c->px->cfg.fault_times || c->px->faults_fired < c->px->cfg.fault_times;
}

static void trigger(conn *c, after_action what, const char *name) {
  c->px->faults_fired++;
  c->done_forwarding = 1;
  c->after = what;
  conn_log(c, "%s after %llu response bytes, %llu events", name,
           (unsigned long long)c->resp_bytes, (unsigned long long)c->resp_events);
  if (what == AFTER_STALL) {
    STAT_ADD(c->px, stalls, 1);
    if (c->upstream)
      bufferevent_disable(c->upstream, EV_READ); /* half-open: both stay open */
  } else {
    if (what == AFTER_RESET)
      STAT_ADD(c->px, resets, 1);
    else
      STAT_ADD(c->px, cuts, 1);
    drop_upstream(c);
  }
  flush_hold(c); /* for the client, the response ends here */
  request_finish(c);
}

/* The first byte-count fault that applies, with its limit. */
static after_action byte_fault(const proxy_config *cfg, uint64_t *limit, const char **name) {
  after_action what = AFTER_NONE;
  *limit = UINT64_MAX;
  if (cfg->has_cut_bytes && cfg->cut_bytes < *limit)
    *limit = cfg->cut_bytes, what = AFTER_CLOSE, *name = "cut-bytes";
  if (cfg->has_stall && cfg->stall_bytes < *limit)
    *limit = cfg->stall_bytes, what = AFTER_STALL, *name = "stall";
  if (cfg->has_reset && cfg->reset_bytes < *limit)
    *limit = cfg->reset_bytes, what = AFTER_RESET, *name = "reset";
  return what;
}

static void fault_stage(conn *c, const char *data, size_t len) {
  if (c->done_forwarding)
    return;
  uint64_t limit;
  const char *name = "";
  after_action what = byte_fault(&c->px->cfg, &limit, &name);
  if (what != AFTER_NONE && c->resp_bytes + len >= limit && faults_left(c)) {
    size_t allowed = (size_t)(limit - c->resp_bytes);
    buffer_stage(c, data, allowed);
    c->resp_bytes += allowed;
    trigger(c, what, name);
    return;
  }
  buffer_stage(c, data, len);
  c->resp_bytes += len;
}

/* Passes response bytes up to a cut-events point, then cuts. */
static void forward_body(conn *c, const char *data, size_t len) {
  if (c->cut_ptr && c->cut_ptr >= data && c->cut_ptr <= data + len) {
    fault_stage(c, data, (size_t)(c->cut_ptr - data));
    if (!c->done_forwarding)
      trigger(c, AFTER_CLOSE, "cut-events");
    return;
  }
  fault_stage(c, data, len);
}

/* ---- response framing ---- */

static void on_sse_event(void *user, const sse_event *ev) {
  (void)ev;
  ((conn *)user)->resp_events++;
}

/* Feeds body bytes to the SSE parser a line at a time, to find the exact
 * byte where the N-th event ends. */
static void count_events(conn *c, const char *data, size_t len) {
  const char *p = data, *end = data + len;
  while (p < end && !c->cut_ptr) {
    const char *q = p;
    while (q < end && *q != '\n' && *q != '\r')
      q++;
    if (q < end)
      q++;
    sse_feed(c->sse, p, (size_t)(q - p));
    if (c->resp_events >= c->px->cfg.cut_events) {
      if (q < end && q[-1] == '\r' && *q == '\n')
        q++; /* keep a CRLF whole */
      c->cut_ptr = q;
    }
    p = q;
  }
}

static void on_resp_body(void *user, const char *data, size_t len) {
  conn *c = user;
  if (c->sse && c->resp_is_sse && !c->cut_ptr && faults_left(c))
    count_events(c, data, len);
  if (c->resp_decode)
    forward_body(c, data, len);
}

static void on_resp_end(void *user) { ((conn *)user)->message_ended = 1; }

static int rule_matches(const proxy_config *cfg, const char *name, size_t n) {
  for (size_t i = 0; i < cfg->n_rules; i++)
    if (strlen(cfg->rules[i].name) == n && !strncasecmp(cfg->rules[i].name, name, n))
      return 1;
  return 0;
}

static int is_framing_name(const char *name, size_t n) {
  return (n == 14 && !strncasecmp(name, "content-length", n)) ||
         (n == 17 && !strncasecmp(name, "transfer-encoding", n));
}

/* Whether a strip rule removes the header that frames this body. */
static int framing_stripped(const proxy_config *cfg, const http_head *h) {
  if (h->body != HTTP_BODY_LENGTH && h->body != HTTP_BODY_CHUNKED)
    return 0;
  size_t pos = 0;
  http_header hd;
  while (http_head_next_header(h, &pos, &hd))
    if (is_framing_name(hd.name, hd.name_len) && rule_matches(cfg, hd.name, hd.name_len))
      return 1;
  return 0;
}

/* Copies the head minus every ruled header (and the framing headers when the
 * body is re-framed by close), then adds the set-header lines. */
static void rewrite_head(conn *c, const http_head *h, dynbuf *out) {
  const proxy_config *cfg = &c->px->cfg;
  size_t first = http_head_start_line_len(h);
  dynbuf_add(out, h->raw, first);
  int keep = 1;
  const char *blank = "\r\n";
  for (size_t pos = first; pos < h->raw_len;) {
    const char *line = h->raw + pos;
    const char *lf = memchr(line, '\n', h->raw_len - pos);
    size_t len = (size_t)(lf - line) + 1;
    pos += len;
    if (len <= 2 && (len == 1 || line[0] == '\r')) {
      blank = len == 1 ? "\n" : "\r\n"; /* end the head as the origin did */
      break;
    }
    if (line[0] != ' ' && line[0] != '\t') {
      const char *colon = memchr(line, ':', len);
      size_t n = colon ? (size_t)(colon - line) : 0;
      int closing = c->resp_decode || cfg->balance;
      keep = !rule_matches(cfg, line, n) && !(c->resp_decode && is_framing_name(line, n)) &&
             !(closing && n == 10 && !strncasecmp(line, "connection", 10));
    }
    if (keep)
      dynbuf_add(out, line, len);
  }
  for (size_t i = 0; i < cfg->n_rules; i++)
    if (cfg->rules[i].set)
      dynbuf_printf(out, "%s: %s\r\n", cfg->rules[i].name, cfg->rules[i].value);
  if (c->resp_decode || cfg->balance)
    dynbuf_adds(out, "Connection: close\r\n");
  dynbuf_adds(out, blank);
}

static int is_event_stream(const http_head *h) {
  size_t pos = 0;
  http_header hd;
  while (http_head_next_header(h, &pos, &hd))
    if (http_header_name_is(&hd, "content-type"))
      return hd.value_len >= 17 && !strncasecmp(hd.value, "text/event-stream", 17);
  return 0;
}

static void on_resp_head(void *user, const http_head *h) {
  conn *c = user;
  const proxy_config *cfg = &c->px->cfg;
  STAT_ADD(c->px, responses, 1);
  c->resp_is_sse = is_event_stream(h);
  if (c->sse && c->resp_is_sse)
    sse_reset_stream(c->sse);
  if ((!cfg->n_rules && !cfg->balance) || h->status < 200) {
    fault_stage(c, h->raw, h->raw_len);
    return;
  }
  c->resp_decode = framing_stripped(cfg, h);
  /* balance: one request per client connection, so the next one chooses */
  c->resp_close_after = c->resp_decode || cfg->balance;
  dynbuf out;
  dynbuf_init(&out, MCPWIRE_PROXY_HEAD_MAX + MCPWIRE_PROXY_HEADER_RULES_MAX *
                                                 (2u * MCPWIRE_PROXY_HEADER_TEXT_MAX + 4u) + 32u);
  rewrite_head(c, h, &out);
  fault_stage(c, out.ptr, out.len);
  dynbuf_free(&out);
}

static void response_end(conn *c) {
  c->message_ended = 0;
  flush_hold(c);
  c->hold_overflow = 0;
  c->resp_bytes = 0;
  c->resp_events = 0;
  c->cut_ptr = NULL;
  c->resp_decode = 0;
  if (c->resp_close_after && !c->done_forwarding) {
    c->resp_close_after = 0;
    c->done_forwarding = 1; /* the body was re-framed by close */
    c->after = AFTER_CLOSE;
    drop_upstream(c);
    request_finish(c);
  }
}

static void give_up_framing(conn *c, const char *rest, size_t rest_len) {
  size_t head_len;
  const char *head = http_framing_head_bytes(&c->resp, &head_len);
  conn_log(c, "response framing: %s; relaying raw",
           http_framing_status_text(http_framing_error(&c->resp)));
  STAT_ADD(c->px, framing_errors, 1);
  c->resp_raw = 1;
  c->resp_decode = 0;
  flush_hold(c);
  c->hold_overflow = 1; /* no message end will come to release a hold */
  fault_stage(c, head, head_len);
  fault_stage(c, rest, rest_len);
}

static void response_feed(conn *c, const char *buf, size_t len) {
  size_t off = 0;
  while (off < len && !c->done_forwarding) {
    if (c->resp_raw) {
      fault_stage(c, buf + off, len - off);
      return;
    }
    int in_head = http_framing_in_head(&c->resp);
    size_t n = http_framing_feed(&c->resp, buf + off, len - off);
    if (!in_head && !c->resp_decode)
      forward_body(c, buf + off, n);
    off += n;
    if (http_framing_error(&c->resp)) {
      give_up_framing(c, buf + off, len - off);
      return;
    }
    if (c->message_ended)
      response_end(c);
    if (!n)
      break;
  }
}

/* ---- sockets ---- */

static void pause_upstream_if_full(conn *c) {
  if (c->upstream && !c->upstream_paused && client_side_full(c)) {
    bufferevent_disable(c->upstream, EV_READ);
    c->upstream_paused = 1;
    STAT_ADD(c->px, upstream_pauses, 1);
  }
}

/* Relays what the origin sent: first the bufferevent's input, then straight
 * from the socket (libevent 2.1 reads at most 4 KiB per event, which would
 * cap throughput). Returns 1 when the socket reported EOF. */
static int relay_upstream(conn *c) {
  char tmp[READ_PIECE];
  struct evbuffer *in = bufferevent_get_input(c->upstream);
  touch(c);
  while (!c->done_forwarding && !c->upstream_paused && evbuffer_get_length(in)) {
    int n = evbuffer_remove(in, tmp, sizeof tmp);
    if (n <= 0)
      break;
    response_feed(c, tmp, (size_t)n);
    pause_upstream_if_full(c);
  }
  /* Bounded: at most this many direct reads per event, then back to the loop. */
  for (int i = 0; i < 16 && !c->done_forwarding && !c->upstream_paused; i++) {
    ssize_t n = recv(bufferevent_getfd(c->upstream), tmp, sizeof tmp, MSG_DONTWAIT);
    if (n == 0)
      return 1;
    if (n < 0)
      break; /* EAGAIN, or an error the bufferevent will report */
    response_feed(c, tmp, (size_t)n);
    pause_upstream_if_full(c);
  }
  if (c->done_forwarding && c->upstream && c->after == AFTER_STALL)
    bufferevent_disable(c->upstream, EV_READ);
  return 0;
}

static void upstream_closed(conn *c);

static void upstream_read_cb(struct bufferevent *bev, void *arg) {
  (void)bev;
  conn *c = arg;
  if (relay_upstream(c))
    upstream_closed(c);
}

/* The origin closed: end a close-delimited body, then close the client
 * once everything queued is written. Runs once: it drops the upstream. */
static void upstream_closed(conn *c) {
  if (!c->upstream)
    return;
  if (!c->done_forwarding && !c->resp_raw) {
    size_t head_len;
    const char *head = http_framing_head_bytes(&c->resp, &head_len);
    fault_stage(c, head, head_len); /* a head cut by EOF is still relayed */
    http_framing_finish(&c->resp);
    if (c->message_ended)
      response_end(c);
    else if (http_framing_error(&c->resp))
      conn_log(c, "origin closed: %s", http_framing_status_text(http_framing_error(&c->resp)));
  }
  drop_upstream(c);
  if (!c->done_forwarding) {
    flush_hold(c); /* a truncated response still reaches the client */
    c->done_forwarding = 1;
    c->after = AFTER_CLOSE;
  }
  if (c->after != AFTER_STALL)
    request_finish(c);
}

static void upstream_event_cb(struct bufferevent *bev, short what, void *arg) {
  conn *c = arg;
  if (what & BEV_EVENT_CONNECTED) {
    bufferevent_set_timeouts(bev, NULL, NULL);
    set_nodelay(bev);
    if (c->client_eof && !evbuffer_get_length(bufferevent_get_output(bev)))
      shutdown(bufferevent_getfd(bev), SHUT_WR); /* the client shut before we connected */
    return;
  }
  if (what & BEV_EVENT_EOF) {
    if (c->upstream)
      relay_upstream(c);
    if (c->upstream_paused) {
      c->upstream_eof = 1; /* finish once the paused input is relayed */
      return;
    }
  } else {
    conn_log(c, "origin %s", (what & BEV_EVENT_TIMEOUT) ? "connect timeout"
                             : evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
    if (!http_framing_messages(&c->resp) && !c->resp_bytes)
      STAT_ADD(c->px, refused, 1);
  }
  upstream_closed(c);
}

/* The upstream's connect timeout, and its reading and writing on. */
static void upstream_arm(conn *c) {
  struct timeval tv = ms_tv(MCPWIRE_PROXY_CONNECT_TIMEOUT_MS);
  bufferevent_set_timeouts(c->upstream, &tv, &tv);
  bufferevent_enable(c->upstream, EV_READ | EV_WRITE);
}

/* balance: connects the connection's upstream to the target the first
 * request head picks (connect_failed when that fails). */
static void connect_balanced(conn *c, const http_head *h) {
  proxy *px = c->px;
  size_t i = balance_pick(px->cfg.balance, px->n_targets, h, &px->turn);
  c->connect_pending = 0;
  upstream_arm(c);
  conn_log(c, "balance=%s: target %zu of %zu", balance_name(px->cfg.balance), i + 1,
           px->n_targets);
  if (bufferevent_socket_connect(c->upstream, (struct sockaddr *)&px->targets[i],
                                 (int)px->target_lens[i])) {
    conn_log(c, "cannot connect to target %zu", i + 1);
    STAT_ADD(px, refused, 1);
    c->connect_failed = 1;
  }
}

static void on_req_head(void *user, const http_head *h) {
  conn *c = user;
  if (c->connect_pending)
    connect_balanced(c, h);
  int is_head = h->method_len == 4 && !memcmp(h->method, "HEAD", 4);
  if (http_framing_expect_response(&c->resp, is_head) && !c->resp_raw)
    conn_log(c, "too many pipelined requests; HEAD responses may be misframed");
}

static void track_requests(conn *c, const char *buf, size_t len) {
  size_t off = 0;
  while (off < len && !c->req_raw) {
    size_t n = http_framing_feed(&c->req, buf + off, len - off);
    off += n;
    if (http_framing_error(&c->req)) {
      conn_log(c, "request framing: %s; relaying raw",
               http_framing_status_text(http_framing_error(&c->req)));
      c->req_raw = 1;
    } else if (!n) {
      break;
    }
  }
}

static void client_read_cb(struct bufferevent *bev, void *arg) {
  conn *c = arg;
  struct evbuffer *in = bufferevent_get_input(bev);
  touch(c);
  if (!c->upstream || c->after == AFTER_STALL) { /* stalled or cut: requests go nowhere */
    evbuffer_drain(in, evbuffer_get_length(in));
    return;
  }
  while (evbuffer_get_length(in)) {
    char tmp[READ_PIECE];
    int n = evbuffer_remove(in, tmp, sizeof tmp);
    if (n <= 0)
      break;
    track_requests(c, tmp, (size_t)n);
    if (c->connect_failed) {
      conn_free(c);
      return;
    }
    if (c->after != AFTER_STALL) {
      bufferevent_write(c->upstream, tmp, (size_t)n);
      STAT_ADD(c->px, bytes_to_target, (uint64_t)n);
    }
  }
  if (evbuffer_get_length(bufferevent_get_output(c->upstream)) > MCPWIRE_PROXY_QUEUE_MAX)
    bufferevent_disable(bev, EV_READ); /* resumed when the origin drains */
}

static void upstream_write_cb(struct bufferevent *bev, void *arg) {
  conn *c = arg;
  if (c->client_eof)
    shutdown(bufferevent_getfd(bev), SHUT_WR); /* the request bytes are all out */
  else
    bufferevent_enable(c->client, EV_READ);
}

static void client_write_cb(struct bufferevent *bev, void *arg) {
  (void)bev;
  conn *c = arg;
  if (c->slice_waiting) {
    c->slice_waiting = 0;
    struct timeval tv = ms_tv(c->px->cfg.slice_gap_ms); /* a pause, so reads stay apart */
    evtimer_add(c->pump_ev, &tv);
  }
  if (c->upstream_paused && c->upstream && !c->done_forwarding &&
      evbuffer_get_length(c->pending) < MCPWIRE_PROXY_QUEUE_MAX / 2 && !client_side_full(c)) {
    c->upstream_paused = 0;
    bufferevent_enable(c->upstream, EV_READ);
    int eof = relay_upstream(c); /* bytes may wait in its input already */
    if ((eof || c->upstream_eof) && !c->upstream_paused)
      upstream_closed(c);
  }
  request_finish(c);
}

static void client_event_cb(struct bufferevent *bev, short what, void *arg) {
  conn *c = arg;
  if ((what & BEV_EVENT_EOF) && c->upstream && !c->done_forwarding && !c->client_eof) {
    /* A half-close is relayed as one, as a direct connection would show it;
     * the response keeps flowing until the origin closes. */
    conn_log(c, "client shut its side; passing it on");
    c->client_eof = 1;
    bufferevent_disable(bev, EV_READ);
    if (!evbuffer_get_length(bufferevent_get_output(c->upstream)))
      shutdown(bufferevent_getfd(c->upstream), SHUT_WR);
    return;
  }
  conn_log(c, "client %s", (what & BEV_EVENT_EOF) ? "closed" : "error");
  conn_free(c);
}

static void idle_cb(evutil_socket_t fd, short what, void *arg) {
  (void)fd, (void)what;
  conn *c = arg;
  conn_log(c, "idle-cut after %u ms", c->px->cfg.idle_cut_ms);
  STAT_ADD(c->px, idle_cuts, 1);
  conn_free(c);
}

/* ---- accept ---- */

/* Takes ownership of fd: on failure it is closed. */
static conn *conn_new(proxy *px, evutil_socket_t fd) {
  conn *c = calloc(1, sizeof *c);
  if (!c) {
    evutil_closesocket(fd);
    return NULL;
  }
  c->px = px;
  c->id = ++px->next_id;
  c->hold = evbuffer_new();
  c->pending = evbuffer_new();
  int untracked = !c->hold || !c->pending;
  c->finish_ev = event_new(px->base, -1, 0, finish_cb, c);
  c->pump_ev = evtimer_new(px->base, pump_cb, c);
  if (px->cfg.idle_cut_ms)
    c->idle_ev = evtimer_new(px->base, idle_cb, c);
  c->client = bufferevent_socket_new(px->base, fd, BEV_OPT_CLOSE_ON_FREE);
  c->upstream = bufferevent_socket_new(px->base, -1, BEV_OPT_CLOSE_ON_FREE);
  untracked = untracked || !c->client || !c->upstream || track(c, ACCT_HOLD, c->hold) ||
              track(c, ACCT_PENDING, c->pending) ||
              track(c, ACCT_CLIENT_OUT, bufferevent_get_output(c->client)) ||
              track(c, ACCT_UPSTREAM_IN, bufferevent_get_input(c->upstream));
  static const http_framing_callbacks req_cb = {on_req_head, NULL, NULL};
  static const http_framing_callbacks resp_cb = {on_resp_head, on_resp_body, on_resp_end};
  http_framing_init(&c->req, 0, &req_cb, c);
  http_framing_init(&c->resp, 1, &resp_cb, c);
  static const sse_callbacks sse_cb = {on_sse_event, NULL, NULL};
  if (px->cfg.has_cut_events)
    c->sse = sse_parser_new(&sse_cb, c, 0, 0);
  c->next = px->conns;
  if (px->conns)
    px->conns->prev = c;
  px->conns = c;
  px->n_conns++;
  if (untracked || !c->finish_ev || !c->pump_ev ||
      (px->cfg.idle_cut_ms && !c->idle_ev) || (px->cfg.has_cut_events && !c->sse)) {
    if (!c->client)
      evutil_closesocket(fd);
    conn_free(c);
    return NULL;
  }
  return c;
}

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen,
                      void *arg) {
  (void)l, (void)sa, (void)salen;
  proxy *px = arg;
  if (px->n_conns >= MCPWIRE_PROXY_CONNECTIONS_MAX) {
    evutil_closesocket(fd);
    STAT_ADD(px, refused, 1);
    return;
  }
  conn *c = conn_new(px, fd);
  if (!c) {
    STAT_ADD(px, refused, 1);
    return;
  }
  STAT_ADD(px, connections, 1);
  set_nodelay(c->client);
  bufferevent_set_max_single_read(c->client, SOCKET_IO_MAX);
  bufferevent_set_max_single_write(c->client, SOCKET_IO_MAX);
  bufferevent_set_max_single_read(c->upstream, SOCKET_IO_MAX);
  bufferevent_set_max_single_write(c->upstream, SOCKET_IO_MAX);
  bufferevent_setcb(c->client, client_read_cb, client_write_cb, client_event_cb, c);
  bufferevent_setcb(c->upstream, upstream_read_cb, upstream_write_cb, upstream_event_cb, c);
  bufferevent_enable(c->client, EV_READ | EV_WRITE);
  touch(c);
  conn_log(c, "accepted");
  if (px->cfg.balance) {
    c->connect_pending = 1; /* on_req_head picks the target */
    return;
  }
  upstream_arm(c);
  if (bufferevent_socket_connect(c->upstream, (struct sockaddr *)&px->targets[0],
                                 (int)px->target_lens[0])) {
    conn_log(c, "cannot connect to the target");
    STAT_ADD(px, refused, 1);
    conn_free(c);
  }
}

/* Out of descriptors: the pending connection stays queued and the socket
 * stays readable, so pause accepting for a moment instead of spinning. */
static void accept_error_cb(struct evconnlistener *l, void *arg) {
  proxy *px = arg;
  int err = EVUTIL_SOCKET_ERROR();
  if (px->cfg.log)
    fprintf(px->cfg.log, "proxy: accept: %s; pausing %d ms\n",
            evutil_socket_error_to_string(err), ACCEPT_PAUSE_MS);
  STAT_ADD(px, accept_pauses, 1);
  evconnlistener_disable(l);
  struct timeval tv = ms_tv(ACCEPT_PAUSE_MS);
  evtimer_add(px->relisten_ev, &tv);
}

static void relisten_cb(evutil_socket_t fd, short what, void *arg) {
  (void)fd, (void)what;
  evconnlistener_enable(((proxy *)arg)->listener);
}

/* ---- start / stop ---- */

static void wake_cb(evutil_socket_t fd, short what, void *arg) {
  (void)fd, (void)what;
  event_base_loopbreak(((proxy *)arg)->base);
}

static void *loop_main(void *arg) {
  proxy *px = arg;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE); /* a closed client must not kill the process */
  sigaddset(&set, SIGINT);  /* signals are for the thread that started us */
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  event_base_dispatch(px->base);
  return NULL;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (err && errlen)
    vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return -1;
}

static int resolve(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len,
                   char *err, size_t errlen) {
  char portstr[16];
  snprintf(portstr, sizeof portstr, "%d", port);
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
  int rc = getaddrinfo(host, portstr, &hints, &res);
  if (rc || !res)
    return fail(err, errlen, "cannot resolve %s: %s", host, gai_strerror(rc));
  memcpy(ss, res->ai_addr, res->ai_addrlen);
  *len = res->ai_addrlen;
  freeaddrinfo(res);
  return 0;
}

static int is_loopback(const struct sockaddr_storage *ss) {
  if (ss->ss_family == AF_INET)
    return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
  if (ss->ss_family == AF_INET6)
    return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
  return 0;
}

static int bind_listener(proxy *px, char *err, size_t errlen) {
  struct sockaddr_storage ss;
  socklen_t len;
  if (resolve(px->cfg.listen_host, px->cfg.listen_port, &ss, &len, err, errlen))
    return -1;
  if (!px->cfg.allow_public && !is_loopback(&ss))
    return fail(err, errlen, "%s is not a loopback address (allow it explicitly)",
                px->cfg.listen_host);
  px->listener = evconnlistener_new_bind(px->base, accept_cb, px,
                                         LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1,
                                         (struct sockaddr *)&ss, (int)len);
  if (!px->listener)
    return fail(err, errlen, "cannot listen on %s:%d: %s", px->cfg.listen_host,
                px->cfg.listen_port, strerror(errno));
  evconnlistener_set_error_cb(px->listener, accept_error_cb);
  struct sockaddr_storage bound;
  socklen_t blen = sizeof bound;
  getsockname(evconnlistener_get_fd(px->listener), (struct sockaddr *)&bound, &blen);
  px->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                               : ((struct sockaddr_in *)&bound)->sin_port);
  return 0;
}

/* A precise clock: libevent's default, CLOCK_MONOTONIC_COARSE, ticks every
 * few ms and would stretch every latency and slice pause. */
static struct event_base *new_base(void) {
  struct event_config *ec = event_config_new();
  if (!ec)
    return NULL;
  event_config_set_flag(ec, EVENT_BASE_FLAG_PRECISE_TIMER);
  struct event_base *base = event_base_new_with_config(ec);
  event_config_free(ec);
  return base;
}

static void proxy_free(proxy *px) {
  while (px->conns)
    conn_free(px->conns);
  if (px->listener)
    evconnlistener_free(px->listener);
  if (px->wake_ev)
    event_free(px->wake_ev);
  if (px->relisten_ev)
    event_free(px->relisten_ev);
  if (px->wake[0] >= 0)
    close(px->wake[0]);
  if (px->wake[1] >= 0)
    close(px->wake[1]);
  if (px->base)
    event_base_free(px->base);
  pthread_mutex_destroy(&px->lock);
  free(px);
}

proxy *proxy_start(const proxy_config *cfg, char *err, size_t errlen) {
  proxy *px = calloc(1, sizeof *px);
  if (!px) {
    fail(err, errlen, "out of memory");
    return NULL;
  }
  px->cfg = *cfg;
  px->wake[0] = px->wake[1] = -1;
  pthread_mutex_init(&px->lock, NULL);
  if (!cfg->target_host[0] || cfg->target_port <= 0) {
    fail(err, errlen, "no target");
    goto out;
  }
  if (resolve(cfg->target_host, cfg->target_port, &px->targets[0], &px->target_lens[0], err,
              errlen))
    goto out;
  for (px->n_targets = 1; px->n_targets <= cfg->n_more_targets; px->n_targets++) {
    const proxy_target *t = &cfg->more_targets[px->n_targets - 1];
    if (resolve(t->host, t->port, &px->targets[px->n_targets], &px->target_lens[px->n_targets],
                err, errlen))
      goto out;
  }
  px->base = new_base();
  if (!px->base || pipe(px->wake)) {
    fail(err, errlen, "cannot create the event loop");
    goto out;
  }
  evutil_make_socket_nonblocking(px->wake[0]);
  px->wake_ev = event_new(px->base, px->wake[0], EV_READ | EV_PERSIST, wake_cb, px);
  px->relisten_ev = evtimer_new(px->base, relisten_cb, px);
  if (!px->wake_ev || !px->relisten_ev || event_add(px->wake_ev, NULL) || bind_listener(px, err, errlen))
    goto out;
  if (pthread_create(&px->thread, NULL, loop_main, px)) {
    fail(err, errlen, "cannot start the proxy thread");
    goto out;
  }
  px->thread_started = 1;
  return px;
out:
  proxy_free(px);
  return NULL;
}

int proxy_port(const proxy *px) { return px->port; }

void proxy_get_stats(proxy *px, proxy_stats *out) {
  pthread_mutex_lock(&px->lock);
  *out = px->stats;
  pthread_mutex_unlock(&px->lock);
}

void proxy_stop(proxy *px) {
  if (!px)
    return;
  if (px->thread_started) {
    ssize_t w;
    do
      w = write(px->wake[1], "x", 1);
    while (w < 0 && errno == EINTR);
    pthread_join(px->thread, NULL);
  }
  proxy_free(px);
}
