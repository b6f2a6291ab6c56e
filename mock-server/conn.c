/*
 * conn.c: the open connections. evhttp 2.1 has no connection cap, so each
 * connection is registered at its first request: past
 * MCPWIRE_MOCK_CONNECTIONS_MAX it gets 503 and is closed. The registry also
 * owns the one close callback per connection and passes a hang-up to the
 * stream the connection carries.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <event2/bufferevent.h>

#include "mcpwire_limits.h"
#include "mock.h"

typedef struct conn conn;
struct conn {
  struct evhttp_connection *evcon;
  stream *st;
  conn *hnext;
  uint64_t serial;          /* unique in the process */
  int local_port;           /* the port it was accepted on */
  uint64_t newest_session;  /* serial of the newest session opened on it */
};

#define CONN_BUCKETS 16384u
static conn *buckets[CONN_BUCKETS];
static size_t open_count;
static uint64_t serial_counter;

static unsigned bucket_of(const struct evhttp_connection *evcon) {
  return (unsigned)(((uintptr_t)evcon >> 4) % CONN_BUCKETS);
}

static conn **slot_of(const struct evhttp_connection *evcon) {
  conn **pp = &buckets[bucket_of(evcon)];
  while (*pp && (*pp)->evcon != evcon)
    pp = &(*pp)->hnext;
  return pp;
}

/* The local port of the connection's socket; 0 when unknown. */
static int port_of(struct evhttp_connection *evcon) {
  struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
  evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl))
    return 0;
  if (ss.ss_family == AF_INET6)
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  return ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port) : 0;
}

static conn *conn_of(struct evhttp_request *req) {
  struct evhttp_connection *evcon = req ? evhttp_request_get_connection(req) : NULL;
  return evcon ? *slot_of(evcon) : NULL;
}

uint64_t conn_serial(struct evhttp_request *req) {
  conn *c = conn_of(req);
  return c ? c->serial : 0;
}

int conn_local_port(struct evhttp_request *req) {
  conn *c = conn_of(req);
  return c ? c->local_port : 0;
}

void conn_set_newest_session(struct evhttp_request *req, uint64_t session_serial) {
  conn *c = conn_of(req);
  if (c)
    c->newest_session = session_serial;
}

uint64_t conn_newest_session(struct evhttp_request *req) {
  conn *c = conn_of(req);
  return c ? c->newest_session : 0;
}

static void on_close(struct evhttp_connection *evcon, void *arg) {
  (void)arg;
  conn **pp = slot_of(evcon);
  conn *c = *pp;
  if (!c)
    return;
  *pp = c->hnext;
  open_count--;
  stream *st = c->st;
  free(c);
  if (st)
    stream_on_gone(st);
}

int conn_admit(struct evhttp_request *req) {
  struct evhttp_connection *evcon = evhttp_request_get_connection(req);
  if (!evcon)
    return 1;
  if (*slot_of(evcon)) {
    evhttp_connection_set_closecb(evcon, on_close, NULL); /* cheap, and never stale */
    return 1;
  }
  conn *c = open_count < (size_t)the_mock.opt.max_connections ? calloc(1, sizeof *c) : NULL;
  if (!c) {
    evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
    http_reply(req, 503, "Service Unavailable", "text/plain", "too many connections\n", 21);
    return 0;
  }
  c->evcon = evcon;
  c->serial = ++serial_counter;
  c->local_port = port_of(evcon);
  c->hnext = buckets[bucket_of(evcon)];
  buckets[bucket_of(evcon)] = c;
  open_count++;
  evhttp_connection_set_closecb(evcon, on_close, NULL);
  return 1;
}

void conn_set_stream(struct evhttp_connection *evcon, stream *st) {
  conn *c = evcon ? *slot_of(evcon) : NULL;
  if (c)
    c->st = st;
}

size_t conn_count(void) { return open_count; }

/* After evhttp_free (which runs on_close for the connections it knew). */
void conn_free_all(void) {
  for (unsigned i = 0; i < CONN_BUCKETS; i++)
    while (buckets[i]) {
      conn *c = buckets[i];
      buckets[i] = c->hnext;
      free(c);
    }
  open_count = 0;
}
