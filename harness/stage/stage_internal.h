/*
 * stage_internal: what stage.c (server, connections, output steps),
 * script.c (the MCP exchange) and shape.c (SSE bytes) share.
 */
#ifndef MCPWIRE_STAGE_INTERNAL_H
#define MCPWIRE_STAGE_INTERNAL_H

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <pthread.h>

#include "proxy/http_framing.h"
#include "stage/stage.h"

/* What a connection writes, in order: an output program. */
typedef enum step_kind {
  STEP_BYTES,     /* data, at once */
  STEP_SPLIT,     /* data, one byte per write, paused */
  STEP_DELAY,     /* ms of nothing */
  STEP_GEN,       /* a generated body (gen), total bytes, as the client reads */
  STEP_CLOSE,     /* close after what is queued has gone */
  STEP_WAIT_PING, /* until the client answered the stage's ping */
  STEP_MARK       /* records a moment (mark) in the log */
} step_kind;

enum step_gen { GEN_LINE = 0, GEN_EVENTS };
enum step_mark { MARK_CUT = 0, MARK_HOSTILE };

typedef struct step {
  step_kind kind;
  char *data;
  size_t len, off;
  int chunk;                  /* wrap in HTTP chunked framing */
  long ms;
  unsigned gen, mark;
  unsigned long long total, done;
  int started;
  struct step *next;
} step;

typedef struct conn {
  struct stage *st;
  int id;
  struct bufferevent *bev;
  struct event *timer;
  http_framing fr;
  stage_request *cur;          /* the request being read (in the log), or NULL */
  stage_request scratch;       /* one past the log's cap */
  dynbuf body;                 /* its body, whole (up to the cap) */
  step *head, *tail;
  int closing;
  int armed;                   /* the timer is set: the program waits for it */
  int stream;                  /* an SSE stream left open (legacy GET, resumption) */
  struct conn *prev, *next;
} conn;

#define STAGE_CALL_EVENTS_MAX 4

struct stage {
  stage_script sc;
  char url[128];
  char origin[64];
  struct event_base *base;
  struct evconnlistener *lis;
  struct event *stop_ev;
  int stop_fd[2];
  pthread_t thread;
  int running;
  double t0;
  stage_log log;
  conn *conns;
  int nconns;
  /* the exchange's state */
  int generation;              /* session generation: 1, then 2 after an expiry */
  int expired;
  conn *legacy;                /* the legacy GET stream */
  int ping_answered;
  /* the tools/call stream's events (shape applied), kept for resumption */
  char *events[STAGE_CALL_EVENTS_MAX];
  size_t events_len[STAGE_CALL_EVENTS_MAX];
  size_t nevents;
  int cut_at;                  /* events written before the cut; -1: no cut */
};

/* ---- stage.c: output program of a connection ---- */
void conn_bytes(conn *c, const char *data, size_t len, int chunk);
void conn_split(conn *c, const char *data, size_t len, int chunk);
void conn_delay(conn *c, long ms);
void conn_gen(conn *c, unsigned gen, unsigned long long total);
void conn_close_after(conn *c);
void conn_wait_ping(conn *c);
void conn_mark(conn *c, unsigned mark);
/* Runs the program as far as it can go now. */
void conn_kick(conn *c);
/* A line in the log's notes, stamped with the time since the start. */
void stage_note(struct stage *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
double stage_now(const struct stage *s);

/* ---- script.c ---- */
/* A whole request arrived on c (c->cur, body in c->body). */
void script_request(conn *c);
/* c closes: forget it as a stream. */
void script_conn_gone(conn *c);
/* The ping's answer came (kicks the held streams). */
void script_ping_answered(struct stage *s);

/* ---- shape.c ---- */
/* One SSE event with the stage's shape: id / retry may be NULL / 0;
 * json NULL writes an empty data line; first: the stream's first bytes. */
int shape_event(dynbuf *out, const wire_shape *w, const char *id, long retry_ms,
                const char *json, int first);
/* A comment line (keep-alive) with the shape's line end. */
int shape_comment(dynbuf *out, const wire_shape *w, const char *text);

#endif
