/* wire.h: a scripted loopback origin server and a recording client for the
 * proxy tests. Everything binds 127.0.0.1 port 0; every wait has a deadline. */
#ifndef MCPWIRE_TESTS_PROXY_WIRE_H
#define MCPWIRE_TESTS_PROXY_WIRE_H

#include <pthread.h>
#include <stddef.h>

#define WIRE_PARTS_MAX 16
#define WIRE_RESPONSES_MAX 4
#define WIRE_READS_MAX 8192
#define WIRE_BYTES_MAX (256 * 1024)

/* One response: parts sent with a pause between them, then bulk_bytes of
 * 'x' (for bodies too large to write out). */
typedef struct wire_response {
  const char *parts[WIRE_PARTS_MAX];
  size_t n_parts;
  size_t bulk_bytes;
} wire_response;

typedef struct wire_origin {
  wire_response responses[WIRE_RESPONSES_MAX];
  size_t n_responses;     /* one per request read on each connection */
  int connections;        /* accepted and served at once (0 means 1) */
  int gap_ms;             /* pause between parts */
  int hold_ms;            /* after the last response, keep the socket open this long */
  /* Filled in by the origin threads; times and bytes are of connection 0. */
  int port;
  int listen_fd;
  pthread_t thread;
  pthread_mutex_t lock;   /* guards requests_seen */
  char received[8192];    /* request bytes read on connection 0 */
  size_t received_len;
  /* ms on wire_now_ms(). t_part is taken just before each part's send, so
   * no byte of it can arrive earlier; t_last_send just after the last send
   * returned, so a fast relay may deliver before it. */
  double t_first_send, t_last_send, t_closed;
  double t_part[WIRE_RESPONSES_MAX][WIRE_PARTS_MAX];
  size_t requests_seen;
  int peer_closed;        /* the client side closed before hold_ms ran out */
  char last_request[4096];
} wire_origin;

/* What a client saw. Past WIRE_BYTES_MAX bytes are counted, not kept;
 * past WIRE_READS_MAX reads are counted, not timed. */
typedef struct wire_trace {
  char bytes[WIRE_BYTES_MAX];
  size_t len;
  size_t reads;
  size_t read_len[WIRE_READS_MAX];
  double read_at[WIRE_READS_MAX];
  int eof;          /* recv returned 0 */
  int error;        /* errno of a failed recv (ECONNRESET), 0 if none */
  double t_sent, t_end;
} wire_trace;

double wire_now_ms(void);
/* Starts the origin thread (listening before it returns). 0 on success. */
int wire_origin_start(wire_origin *o);
/* Waits for the origin thread (it ends by itself within its deadlines). */
void wire_origin_join(wire_origin *o);
/* A loopback port that refuses connections: bound, never listening, and
 * held (no other test can take it) until *hold_fd is closed. -1 on failure. */
int wire_refusing_port(int *hold_fd);
/* Connects to 127.0.0.1:port; -1 on failure. */
int wire_connect(int port);
/* Sends all of s. 0 on success. */
int wire_send(int fd, const char *s, size_t len);
/* Reads into t until EOF, an error, `until_bytes` bytes in total (0: no
 * limit) or wait_ms passes. */
void wire_read(int fd, wire_trace *t, size_t until_bytes, int wait_ms);

#endif
