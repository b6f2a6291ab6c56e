/*
 * session.c: sessions, their ids (getrandom, 128 bits, hex), lookup by id
 * and idle expiry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "mcpwire_limits.h"
#include "mock.h"

#define SESSION_BUCKETS 4096u
static session *buckets[SESSION_BUCKETS];

int64_t mock_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned bucket_of(const char *id) {
  unsigned h = 2166136261u; /* FNV-1a */
  for (; *id; id++)
    h = (h ^ (unsigned char)*id) * 16777619u;
  return h % SESSION_BUCKETS;
}

/* 128 bits from the kernel CSPRNG as 32 hex digits; 0 on success. */
static int random_id(char *out, size_t n) {
  unsigned char raw[16];
  if (n < 33 || getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
    return -1;
  for (size_t i = 0; i < sizeof raw; i++)
    snprintf(out + 2 * i, 3, "%02x", raw[i]);
  return 0;
}

static int make_id(char *out, size_t n) {
  if (fault_on(FAULT_SESSION_ID_COLLISIONS)) {
    unsigned char nibble = 0;
    if (getrandom(&nibble, 1, 0) != 1)
      return -1;
    snprintf(out, n, "collide-%x", nibble & 15u);
    return 0;
  }
  if (fault_on(FAULT_SEQUENTIAL_SESSION_IDS)) {
    snprintf(out, n, "session-%llu", (unsigned long long)++the_mock.session_counter);
    return 0;
  }
  if (random_id(out, n))
    return -1;
  if (fault_on(FAULT_SESSION_ID_NONVISIBLE))
    out[8] = ' ';
  return 0;
}

static int has_connection(const session *s) {
  for (const stream *st = s->streams; st; st = st->next)
    if (st->req)
      return 1;
  return 0;
}

/* At the cap, the session idle longest (no connection, no call running)
 * makes room: a client that opens sessions in a loop cannot lock others
 * out for the whole TTL. 0 when one was ended. */
static int evict_idlest(void) {
  session *oldest = NULL;
  for (session *s = the_mock.sessions; s; s = s->next)
    if (!s->modern && !s->calls && !has_connection(s) &&
        (!oldest || s->last_active_ms < oldest->last_active_ms))
      oldest = s;
  if (!oldest)
    return -1;
  session_destroy(oldest);
  return 0;
}

/* Links s at the head of the server's list. */
static void session_link(session *s) {
  mock *m = &the_mock;
  s->next = m->sessions;
  if (m->sessions)
    m->sessions->prev = s;
  m->sessions = s;
}

session *session_create(int legacy) {
  mock *m = &the_mock;
  if (m->session_count >= (size_t)m->opt.max_sessions && evict_idlest())
    return NULL;
  session *s = calloc(1, sizeof *s);
  if (!s || make_id(s->id, sizeof s->id)) {
    free(s);
    return NULL;
  }
  s->legacy = legacy;
  s->serial = ++m->session_counter_all;
  s->next_stream_no = 1;
  session_link(s);
  unsigned b = bucket_of(s->id);
  s->hnext = buckets[b];
  buckets[b] = s;
  m->session_count++;
  m->newest = s;
  session_touch(s);
  return s;
}

session *session_create_stateless(void) {
  if (the_mock.stateless_count >= MCPWIRE_MOCK_STATELESS_MAX)
    return NULL;
  session *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->modern = 1;
  s->next_stream_no = 1;
  snprintf(s->version, sizeof s->version, "%s", MOCK_V2607);
  session_link(s);
  the_mock.stateless_count++;
  session_touch(s);
  return s;
}

static void on_reap(evutil_socket_t fd, short what, void *arg) {
  (void)fd; (void)what;
  session *s = arg;
  if (!s->calls && !has_connection(s))
    session_destroy(s);
}

void session_reap_soon(session *s) {
  static const struct timeval now = {0, 0};
  if (!s->modern)
    return;
  if (!s->reap)
    s->reap = evtimer_new(the_mock.base, on_reap, s);
  if (s->reap)
    evtimer_add(s->reap, &now);
}

void session_opened_by(session *s, struct evhttp_request *req) {
  s->opened_on_conn = conn_serial(req);
  s->opened_on_port = conn_local_port(req);
  conn_set_newest_session(req, s->serial);
}

int session_reachable(const session *s, struct evhttp_request *req) {
  if (fault_on(FAULT_SESSION_BOUND_TO_CONNECTION) && !s->legacy &&
      (conn_serial(req) != s->opened_on_conn || conn_newest_session(req) != s->serial))
    return 0;
  return !fault_on(FAULT_INSTANCE_LOCAL_SESSIONS) || conn_local_port(req) == s->opened_on_port;
}

session *session_find(const char *id) {
  for (session *s = buckets[bucket_of(id)]; s; s = s->hnext)
    if (!strcmp(s->id, id))
      return s;
  return NULL;
}

static void unhash(session *s) {
  session **pp = &buckets[bucket_of(s->id)];
  while (*pp && *pp != s)
    pp = &(*pp)->hnext;
  if (*pp)
    *pp = s->hnext;
}

void session_destroy(session *s) {
  mock *m = &the_mock;
  while (s->calls)
    call_free(s->calls);
  while (s->streams)
    stream_free(s->streams);
  if (s->reap)
    event_free(s->reap);
  free(s->listen_id);
  if (s->modern)
    the_mock.stateless_count--;
  else
    unhash(s);
  if (s->prev)
    s->prev->next = s->next;
  else
    m->sessions = s->next;
  if (s->next)
    s->next->prev = s->prev;
  if (m->newest == s) {
    m->newest = m->sessions;
    while (m->newest && m->newest->modern)
      m->newest = m->newest->next;
  }
  if (!s->modern)
    m->session_count--;
  free(s);
}

void session_destroy_all(void) {
  while (the_mock.sessions)
    session_destroy(the_mock.sessions);
}

void session_touch(session *s) { s->last_active_ms = mock_now_ms(); }

const char *session_version(const session *s) {
  return s->version[0] ? s->version : MOCK_V2503;
}

/* Idle: nothing received for the TTL and no connection attached (a
 * stateless session: no call either, whatever its age). */
static int session_idle(const session *s, int64_t now) {
  if (s->modern)
    return !s->calls && !has_connection(s);
  if (s->legacy || now - s->last_active_ms < (int64_t)the_mock.opt.session_ttl_s * 1000)
    return 0;
  return !has_connection(s);
}

static void on_sweep(evutil_socket_t fd, short what, void *arg) {
  (void)fd; (void)what; (void)arg;
  int64_t now = mock_now_ms();
  session *s = the_mock.sessions;
  while (s) {
    session *next = s->next;
    if (session_idle(s, now))
      session_destroy(s);
    s = next;
  }
}

int session_sweep_start(void) {
  struct timeval tv = {1, 0};
  the_mock.sweep = event_new(the_mock.base, -1, EV_PERSIST, on_sweep, NULL);
  return the_mock.sweep ? event_add(the_mock.sweep, &tv) : -1;
}

static const char *const modern[] = {MOCK_V2503, MOCK_V2506, MOCK_V2511};

/* Not past --max-version (revision dates compare as strings). */
static int within_max(const char *v) {
  return !the_mock.opt.max_version || strcmp(v, the_mock.opt.max_version) <= 0;
}

int version_is_modern(const char *v) {
  for (size_t i = 0; v && i < sizeof modern / sizeof modern[0]; i++)
    if (!strcmp(v, modern[i]))
      return within_max(v);
  return 0;
}

int version_is_known(const char *v) {
  return version_is_modern(v) || (v && !strcmp(v, MOCK_V2411));
}

const char *version_newest(int legacy) {
  if (legacy)
    return MOCK_V2411;
  return the_mock.opt.max_version ? the_mock.opt.max_version : MOCK_V2511;
}

int version_valid_max(const char *v) {
  for (size_t i = 0; i < sizeof modern / sizeof modern[0]; i++)
    if (!strcmp(v, modern[i]))
      return 1;
  return 0;
}
