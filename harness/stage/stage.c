/* stage: the loopback server, its connections and their output programs
 * (contract in stage.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "mcpwire_limits.h"
#include "stage/stage_internal.h"
#include "transport/transcript.h"

double stage_now(const stage *s) { return clock_ms() - s->t0; }

void stage_note(stage *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char line[512];
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  dynbuf_printf(&s->log.notes, "t=%.0f ms stage: %s\n", stage_now(s), line);
}

/* ---- output program ---- */

static step *push(conn *c, step_kind k) {
  step *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->kind = k;
  if (c->tail)
    c->tail->next = s;
  else
    c->head = s;
  c->tail = s;
  return s;
}

static void push_data(conn *c, step_kind k, const char *data, size_t len, int chunk) {
  if (!len)
    return;
  step *s = push(c, k);
  if (!s || !(s->data = malloc(len)))
    return;
  memcpy(s->data, data, len);
  s->len = len;
  s->chunk = chunk;
}

void conn_bytes(conn *c, const char *d, size_t n, int chunk) { push_data(c, STEP_BYTES, d, n, chunk); }
void conn_split(conn *c, const char *d, size_t n, int chunk) { push_data(c, STEP_SPLIT, d, n, chunk); }

void conn_delay(conn *c, long ms) {
  step *s = push(c, STEP_DELAY);
  if (s)
    s->ms = ms;
}

void conn_gen(conn *c, unsigned gen, unsigned long long total) {
  step *s = push(c, STEP_GEN);
  if (s) {
    s->gen = gen;
    s->total = total;
    s->chunk = 1;
  }
}

void conn_close_after(conn *c) { push(c, STEP_CLOSE); }
void conn_wait_ping(conn *c) { push(c, STEP_WAIT_PING); }

void conn_mark(conn *c, unsigned mark) {
  step *s = push(c, STEP_MARK);
  if (s)
    s->mark = mark;
}

static void pop(conn *c) {
  step *s = c->head;
  c->head = s->next;
  if (!c->head)
    c->tail = NULL;
  free(s->data);
  free(s);
}

/* Bytes to the socket, in one HTTP chunk when asked. */
static void out(conn *c, const char *d, size_t n, int chunk) {
  struct evbuffer *o = bufferevent_get_output(c->bev);
  if (chunk)
    evbuffer_add_printf(o, "%zx\r\n", n);
  evbuffer_add(o, d, n);
  if (chunk)
    evbuffer_add(o, "\r\n", 2);
}

static void arm(conn *c, long ms) {
  c->armed = 1;
  struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
  evtimer_add(c->timer, &tv);
}

/* One slice of a generated body; 1 when the step is done. */
static int gen_slice(conn *c, step *s) {
  static char slice[MCPWIRE_STAGE_GEN_SLICE];
  size_t n = 0;
  if (s->gen == GEN_LINE) {
    n = sizeof slice;
    if (s->total - s->done < n)
      n = (size_t)(s->total - s->done);
    memset(slice, 'x', n);
  } else {
    static const char ev[] = "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                             "\"params\":{\"level\":\"info\",\"data\":\"endless\"}}\n\n";
    while (n + sizeof ev - 1 <= sizeof slice) {
      memcpy(slice + n, ev, sizeof ev - 1);
      n += sizeof ev - 1;
    }
  }
  out(c, slice, n, s->chunk);
  s->done += n;
  c->st->log.hostile_bytes += n;
  return s->done >= s->total;
}

static void conn_free(conn *c);

void conn_kick(conn *c) {
  struct evbuffer *o = bufferevent_get_output(c->bev);
  if (c->armed)
    return; /* a pause or a delay runs: on_timer comes back */
  while (c->head && !c->closing) {
    step *s = c->head;
    switch (s->kind) {
    case STEP_BYTES:
      out(c, s->data, s->len, s->chunk);
      pop(c);
      continue;
    case STEP_SPLIT: {
      size_t whole = s->len > MCPWIRE_STAGE_SPLIT_MAX ? s->len - MCPWIRE_STAGE_SPLIT_MAX : 0;
      if (s->off >= s->len - whole) {
        if (whole)
          out(c, s->data + s->off, whole, s->chunk);
        pop(c);
        continue;
      }
      out(c, s->data + s->off++, 1, s->chunk);
      arm(c, MCPWIRE_STAGE_SPLIT_PAUSE_MS);
      return;
    }
    case STEP_DELAY:
      if (!s->started) {
        s->started = 1;
        arm(c, s->ms);
        return;
      }
      pop(c);
      continue;
    case STEP_GEN:
      /* started: 1 writing, 2 pausing between two slices of events */
      if (s->started == 2 || evbuffer_get_length(o) > MCPWIRE_STAGE_GEN_SLICE)
        return; /* the timer or the write callback comes back */
      s->started = 1;
      if (gen_slice(c, s)) {
        pop(c);
        continue;
      }
      if (s->gen == GEN_EVENTS) {
        s->started = 2;
        arm(c, MCPWIRE_STAGE_ENDLESS_PAUSE_MS);
        return;
      }
      continue;
    case STEP_WAIT_PING:
      if (!c->st->ping_answered)
        return;
      pop(c);
      continue;
    case STEP_MARK:
      if (s->mark == MARK_CUT)
        c->st->log.cut_ms = stage_now(c->st);
      else
        c->st->log.hostile_ms = stage_now(c->st);
      pop(c);
      continue;
    case STEP_CLOSE:
      /* freed from a callback of its own once the output has gone */
      pop(c);
      c->closing = 1;
      bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
      if (!evbuffer_get_length(o))
        arm(c, 0);
      return;
    }
  }
}

static void on_timer(evutil_socket_t fd, short what, void *arg) {
  (void)fd;
  (void)what;
  conn *c = arg;
  c->armed = 0;
  if (c->closing) {
    conn_free(c);
    return;
  }
  if (c->head && c->head->kind == STEP_DELAY && c->head->started)
    pop(c);
  else if (c->head && c->head->kind == STEP_GEN && c->head->started == 2)
    c->head->started = 1;
  conn_kick(c);
}

/* ---- requests ---- */

static void on_head(void *user, const http_head *h) {
  conn *c = user;
  stage_log *lg = &c->st->log;
  if (lg->n + lg->dropped >= MCPWIRE_STAGE_SERVED_MAX) {
    if (!c->closing)
      stage_note(c->st, "connection %d: past %d requests, closed", c->id,
                 MCPWIRE_STAGE_SERVED_MAX);
    c->closing = 1;
    c->cur = NULL;
    arm(c, 0);
    return;
  }
  stage_request *r = &c->scratch;
  if (lg->n < MCPWIRE_STAGE_REQUESTS_MAX)
    r = &lg->req[lg->n++];
  else
    lg->dropped++;
  free(r->target);
  free(r->head);
  free(r->body);
  memset(r, 0, sizeof *r);
  r->conn = c->id;
  r->t_ms = stage_now(c->st);
  snprintf(r->method, sizeof r->method, "%.*s", (int)h->method_len, h->method);
  r->head = strndup(h->raw, h->raw_len);
  const char *sp = memchr(h->raw, ' ', h->raw_len);
  const char *sp2 = sp ? memchr(sp + 1, ' ', h->raw_len - (size_t)(sp + 1 - h->raw)) : NULL;
  r->target = sp && sp2 ? strndup(sp + 1, (size_t)(sp2 - sp - 1)) : strdup("");
  c->cur = r;
  dynbuf_reset(&c->body);
}

static void on_body(void *user, const char *d, size_t n) {
  conn *c = user;
  if (!c->cur)
    return;
  c->cur->body_total += n;
  size_t room = MCPWIRE_STAGE_BODY_MAX - c->body.len;
  dynbuf_add(&c->body, d, n < room ? n : room);
}

static void on_message_end(void *user) {
  conn *c = user;
  if (!c->cur)
    return;
  c->cur->body = malloc(c->body.len + 1);
  if (c->cur->body) {
    memcpy(c->cur->body, dynbuf_str(&c->body), c->body.len + 1);
    c->cur->body_len = c->body.len;
  }
  script_request(c);
  c->cur = NULL;
  conn_kick(c);
}

static void on_read(struct bufferevent *bev, void *arg) {
  conn *c = arg;
  struct evbuffer *in = bufferevent_get_input(bev);
  while (evbuffer_get_length(in) && !c->closing) {
    size_t n = evbuffer_get_contiguous_space(in);
    const char *p = (const char *)evbuffer_pullup(in, (ev_ssize_t)n);
    size_t used = http_framing_feed(&c->fr, p, n);
    evbuffer_drain(in, used);
    if (http_framing_error(&c->fr)) {
      stage_note(c->st, "connection %d: %s; closed", c->id,
                 http_framing_status_text(http_framing_error(&c->fr)));
      conn_free(c);
      return;
    }
  }
}

static void on_write(struct bufferevent *bev, void *arg) {
  conn *c = arg;
  if (c->closing) {
    if (!evbuffer_get_length(bufferevent_get_output(bev)))
      conn_free(c);
    return;
  }
  conn_kick(c);
}

static void on_event(struct bufferevent *bev, short what, void *arg) {
  (void)bev;
  conn *c = arg;
  if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
    conn_free(c);
}

static void conn_free(conn *c) {
  stage *s = c->st;
  script_conn_gone(c);
  if (c->prev)
    c->prev->next = c->next;
  else
    s->conns = c->next;
  if (c->next)
    c->next->prev = c->prev;
  s->nconns--;
  while (c->head)
    pop(c);
  bufferevent_free(c->bev);
  event_free(c->timer);
  http_framing_free(&c->fr);
  dynbuf_free(&c->body);
  free(c->scratch.target);
  free(c->scratch.head);
  free(c->scratch.body);
  free(c);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len,
                      void *arg) {
  (void)l;
  (void)sa;
  (void)len;
  stage *s = arg;
  conn *c = s->nconns < MCPWIRE_STAGE_CONNS_MAX ? calloc(1, sizeof *c) : NULL;
  if (!c) {
    evutil_closesocket(fd);
    stage_note(s, "connection refused: %d open", s->nconns);
    return;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->st = s;
  c->id = ++s->log.conns;
  c->bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
  c->timer = evtimer_new(s->base, on_timer, c);
  static const http_framing_callbacks cb = {on_head, on_body, on_message_end};
  http_framing_init(&c->fr, 0, &cb, c);
  dynbuf_init(&c->body, MCPWIRE_STAGE_BODY_MAX);
  c->next = s->conns;
  if (s->conns)
    s->conns->prev = c;
  s->conns = c;
  s->nconns++;
  bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
  bufferevent_setwatermark(c->bev, EV_WRITE, MCPWIRE_STAGE_GEN_SLICE, 0);
  bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

/* ---- the thread ---- */

static void on_stop(evutil_socket_t fd, short what, void *arg) {
  (void)fd;
  (void)what;
  event_base_loopbreak(((stage *)arg)->base);
}

static void *loop(void *arg) {
  stage *s = arg;
  event_base_dispatch(s->base);
  while (s->conns)
    conn_free(s->conns);
  return NULL;
}

stage *stage_start(const stage_script *script, char *why, size_t why_len) {
  stage *s = calloc(1, sizeof *s);
  if (!s) {
    snprintf(why, why_len, "out of memory");
    return NULL;
  }
  s->sc = *script;
  s->stop_fd[0] = s->stop_fd[1] = -1;
  s->log.req = calloc(MCPWIRE_STAGE_REQUESTS_MAX, sizeof *s->log.req);
  s->log.cut_ms = s->log.hostile_ms = -1;
  s->cut_at = -1;
  s->generation = 1;
  dynbuf_init(&s->log.notes, MCPWIRE_STAGE_NOTES_MAX);
  struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = 0};
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (!s->log.req || !(s->base = event_base_new()) || pipe(s->stop_fd)) {
    snprintf(why, why_len, "stage: cannot set up its event loop");
    stage_free(s);
    return NULL;
  }
  s->lis = evconnlistener_new_bind(s->base, on_accept, s, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
                                   64, (struct sockaddr *)&sin, sizeof sin);
  if (!s->lis) {
    snprintf(why, why_len, "stage: cannot listen on 127.0.0.1: %s", strerror(errno));
    stage_free(s);
    return NULL;
  }
  struct sockaddr_in got;
  socklen_t glen = sizeof got;
  getsockname(evconnlistener_get_fd(s->lis), (struct sockaddr *)&got, &glen);
  snprintf(s->origin, sizeof s->origin, "http://127.0.0.1:%u", ntohs(got.sin_port));
  snprintf(s->url, sizeof s->url, "%s%s", s->origin,
           script->transport == STAGE_LEGACY ? "/mcpwire/sse" : "/mcp");
  s->stop_ev = event_new(s->base, s->stop_fd[0], EV_READ, on_stop, s);
  event_add(s->stop_ev, NULL);
  s->t0 = clock_ms();
  if (pthread_create(&s->thread, NULL, loop, s)) {
    snprintf(why, why_len, "stage: cannot start its thread");
    stage_free(s);
    return NULL;
  }
  s->running = 1;
  return s;
}

const char *stage_url(const stage *s) { return s->url; }
const stage_log *stage_get_log(const stage *s) { return &s->log; }

void stage_stop(stage *s) {
  if (!s || !s->running)
    return;
  ssize_t w = write(s->stop_fd[1], "x", 1);
  (void)w;
  pthread_join(s->thread, NULL);
  s->running = 0;
}

void stage_free(stage *s) {
  if (!s)
    return;
  stage_stop(s);
  if (s->lis)
    evconnlistener_free(s->lis);
  if (s->stop_ev)
    event_free(s->stop_ev);
  if (s->base)
    event_base_free(s->base);
  for (int i = 0; i < 2; i++)
    if (s->stop_fd[i] >= 0)
      close(s->stop_fd[i]);
  for (size_t i = 0; s->log.req && i < s->log.n; i++) {
    free(s->log.req[i].target);
    free(s->log.req[i].head);
    free(s->log.req[i].body);
  }
  for (size_t i = 0; i < s->nevents; i++)
    free(s->events[i]);
  free(s->log.req);
  dynbuf_free(&s->log.notes);
  free(s);
}

/* ---- recorded headers ---- */

/* The i-th header named `name` of r's head (value trimmed); 1 when found. */
static int header_at(const stage_request *r, const char *name, int want, char *o, size_t len) {
  const char *p = r->head ? strchr(r->head, '\n') : NULL;
  size_t nl = strlen(name);
  int seen = 0;
  while (p && *++p && *p != '\r' && *p != '\n') {
    const char *e = strchr(p, '\n');
    size_t ll = e ? (size_t)(e - p) : strlen(p);
    if (ll > nl && p[nl] == ':' && !strncasecmp(p, name, nl) && seen++ == want) {
      const char *v = p + nl + 1, *ve = p + ll;
      while (v < ve && (*v == ' ' || *v == '\t'))
        v++;
      while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
        ve--;
      if (o)
        snprintf(o, len, "%.*s", (int)(ve - v), v);
      return 1;
    }
    p = e;
  }
  return 0;
}

int stage_request_header(const stage_request *r, const char *name, char *o, size_t len) {
  return header_at(r, name, 0, o, len);
}

int stage_request_header_count(const stage_request *r, const char *name) {
  int n = 0;
  while (header_at(r, name, n, NULL, 0))
    n++;
  return n;
}
