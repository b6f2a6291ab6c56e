/*
 * mock_client.h: what the mcpwire-mock tests need to drive the server:
 * start/stop it as a child process, blocking requests (libcurl easy, every
 * one with a deadline), concurrent streams (libcurl multi), and SSE / JSON
 * decoding with the project's own codecs.
 */
#ifndef MOCK_CLIENT_H
#define MOCK_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "codec/dynbuf.h"
#include "codec/jsonrpc.h"

typedef struct mk_server {
  pid_t pid;
  int port;
  char base[64];     /* http://127.0.0.1:PORT */
  int out_fd;        /* the child's stdout */
} mk_server;

/* Starts bin with --port 0 plus extra (NULL-terminated); 0 on success. */
int mk_start(mk_server *s, const char *bin, const char *const *extra);
/* The next port the server announced (--also-port): a copy of s at that
 * port in *other; 0 on success. */
int mk_next_port(const mk_server *s, mk_server *other);
/* SIGTERM, then waits (bounded); the exit status, or -1. */
int mk_stop(mk_server *s);
/* Resident set size of the server in KiB (from /proc), or -1. */
long mk_rss_kib(const mk_server *s);

typedef struct mk_resp {
  long status;
  int curl_rc;
  dynbuf headers;
  dynbuf body;
  size_t writes;      /* body deliveries by libcurl (how split it arrived) */
} mk_resp;

void mk_resp_free(mk_resp *r);
/* Value of the last header `name` (case-insensitive) or NULL; copied to buf. */
const char *mk_header(const mk_resp *r, const char *name, char *buf, size_t n);

#define MK_HEADERS_MAX 12
typedef struct mk_req {
  const char *method;                 /* NULL: GET, or POST with a body */
  const char *path;                   /* "/mcp" */
  const char *body;
  const char *headers[MK_HEADERS_MAX];/* "Name: value", NULL-ended */
  long timeout_ms;                    /* 0: 5000 */
} mk_req;

/* One blocking request; a timeout is not an error (streams). Fills r. */
int mk_do(const mk_server *s, const mk_req *q, mk_resp *r);

/* A Streamable HTTP client session (ids and versions as sent). */
typedef struct mk_sess {
  const mk_server *srv;
  char id[256];
  char version[16];
  int send_version;                  /* send MCP-Protocol-Version */
} mk_sess;

/* initialize (+ notifications/initialized when `ack`); the status of the
 * initialize POST. caps is the capabilities JSON ("{}" when NULL). */
long mk_init(mk_sess *ss, const mk_server *s, const char *version, const char *caps, int ack);
/* POST body on the session with the standard headers (+ extra, NULL ok). */
int mk_post(const mk_sess *ss, const char *body, mk_resp *r, const char *extra);
/* The same with a deadline (for streams that do not end). */
int mk_post_for(const mk_sess *ss, const char *body, mk_resp *r, const char *extra, long ms);
/* GET /mcp on the session for at most ms (extra header or NULL). */
int mk_get_for(const mk_sess *ss, mk_resp *r, const char *extra, long ms);

/* ---- SSE ---- */
typedef struct mk_event {
  char *type, *data, *id;
} mk_event;

typedef struct mk_events {
  size_t n;
  mk_event ev[512];
  int64_t retry;        /* last retry seen, -1 none */
  size_t retries;       /* retry fields seen */
  size_t comments;
  int bom;
} mk_events;

/* Parses an SSE body; the caller frees with mk_events_free. */
mk_events *mk_events_parse(const char *body, size_t len);
void mk_events_free(mk_events *e);
/* Events whose data is a JSON-RPC message (skips priming events). */
size_t mk_events_messages(const mk_events *e);

/* The JSON-RPC reply of a POST: the JSON body, or the last non-empty SSE
 * event's data. NULL when there is none. Free with jsonrpc_free. */
jsonrpc_msg *mk_reply(const mk_resp *r);
/* Parses a JSON text. */
jsonrpc_msg *mk_json(const char *text);

/* ---- concurrent streams (one shared curl multi handle) ---- */
typedef struct mk_stream mk_stream;
mk_stream *mk_stream_open(const mk_sess *ss, const char *path, const char *extra);
/* A POST whose (SSE) reply is read concurrently. */
mk_stream *mk_stream_post(const mk_sess *ss, const char *body, const char *extra);
/* A POST to /mcp with no session and these header lines besides Accept and
 * Content-Type (NULL-ended), read concurrently (2026-07-28 requests). */
mk_stream *mk_stream_post_headers(const mk_server *s, const char *body, const char *const *headers);
/* Runs every open transfer for ms milliseconds. */
void mk_pump(long ms);
/* Pumps until pred(arg) is true or ms pass; 1 when it became true. */
int mk_pump_until(int (*pred)(void *), void *arg, long ms);
long mk_stream_status(const mk_stream *st);
const dynbuf *mk_stream_body(const mk_stream *st);
/* The whole response so far (status, headers, body), for mk_header/mk_reply. */
const mk_resp *mk_stream_resp(const mk_stream *st);
int mk_stream_done(const mk_stream *st);
void mk_stream_close(mk_stream *st);
void mk_cleanup(void);

#endif
