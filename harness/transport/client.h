/*
 * client: the HTTP side of one case, over libcurl's multi interface.
 *
 * One client (one CURLM) per case; one http_stream (one easy handle) per
 * request or stream, found again through CURLOPT_PRIVATE. Everything is
 * driven by curl_multi_poll until a caller's deadline: there is no
 * CURLOPT_TIMEOUT (SSE streams are long-lived by design) and no signal
 * (CURLOPT_NOSIGNAL). The header callback starts over at every status line,
 * so 1xx responses and redirects never leak into the final headers; final
 * values are read with curl_easy_header. A text/event-stream body goes byte
 * for byte through sse_feed; anything else is kept, capped, as the body.
 * Every request, response and event goes to the case transcript.
 */
#ifndef MCPWIRE_CLIENT_H
#define MCPWIRE_CLIENT_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/dynbuf.h"
#include "codec/endpoint_url.h"
#include "transport/redact.h"
#include "codec/sse.h"
#include "mcpwire_limits.h"
#include "transport/transcript.h"

/* Where requests may go. A server names URLs (the legacy `endpoint` event)
 * and a hostile one names another host to collect the user's credentials:
 * every request is checked here before it is sent. */
typedef struct origin_policy {
  /* The target's origin, and the harness's own proxies in front of it:
   * requests go there with every header. */
  char home[MCPWIRE_HOME_ORIGINS_MAX][ENDPOINT_URL_ORIGIN_MAX];
  size_t nhome;
  /* Origins the user allowed by name (--allow-origin): requests go there
   * without the --header values. */
  char allowed[MCPWIRE_ALLOWED_ORIGINS_MAX][ENDPOINT_URL_ORIGIN_MAX];
  size_t nallowed;
} origin_policy;

typedef enum origin_class { ORIGIN_HOME = 0, ORIGIN_ALLOWED, ORIGIN_FOREIGN } origin_class;

/* Adds url's origin to the home (allowed = 0) or allowed list; 0 on
 * success, -1 when url is not an absolute http(s) URL or the list is full.
 * An origin already listed is not added twice. */
int origin_policy_add(origin_policy *p, const char *url, int allowed);
/* Removes url's origin from the home list (no-op when absent). */
void origin_policy_remove_home(origin_policy *p, const char *url);
/* How the policy treats a request to url (FOREIGN when url has no origin). */
origin_class origin_policy_class(const origin_policy *p, const char *url);

/* What every case's client shares: the command line's transport options. */
typedef struct transport_options {
  /* "Name: value" on every request; one whose name the transport also sets
   * (Accept, Content-Type, ...) replaces the transport's value. */
  const char *headers[MCPWIRE_CUSTOM_HEADERS_MAX];
  size_t nheaders;
  const char *cacert;        /* --cacert, or NULL */
  int insecure;              /* --insecure */
  long connect_timeout_ms;   /* 0: MCPWIRE_CONNECT_TIMEOUT_MS */
  origin_policy origins;     /* no home origin listed: every request refused */
  secret_list secrets;       /* redact_collect of the headers and the URL */
} transport_options;

/* One SSE event kept from a stream. */
typedef struct stream_event {
  char *type;
  char *data;
  size_t data_len;
  char *id;          /* last event ID string at dispatch ("" when none) */
} stream_event;

typedef enum stream_state {
  STREAM_RUNNING = 0,
  STREAM_DONE,       /* the transfer ended (see curl_code for how) */
  STREAM_CLOSED      /* closed by us (http_stream_close) */
} stream_state;

typedef struct client client;

typedef struct http_stream {
  client *owner;
  CURL *easy;
  int index;                 /* "#N" in the transcript */
  char *method;
  char *url;
  struct curl_slist *req_headers;
  char *req_body;            /* kept alive for libcurl */
  double started_ms;

  long status;               /* final status, 0 until a final status line */
  int headers_done;          /* final header block complete */
  dynbuf headers;            /* raw final header block */
  int is_sse;                /* Content-Type is text/event-stream */
  dynbuf body;               /* non-SSE body */
  uint64_t bytes;            /* body bytes received */

  /* An initialize POSTed by a case itself: the session it opens is ended
   * by the client when it is freed. An owner that ends it itself (an
   * shttp session) clears this right after client_start. */
  int opens_session;
  sse_parser *sse;
  stream_event *events;      /* events kept (MCPWIRE_STREAM_EVENTS_MAX) */
  size_t nevents, events_cap, next_event;

  /* Raw mode (client_start_raw): transfer decoding is off; the final head
   * and the body as they came (chunk framing kept) are in `wire`, the head
   * its first wire_head bytes, while the body goes de-chunked to the SSE
   * parser or `body` as in any stream. */
  int raw;
  dynbuf wire;
  size_t wire_head;
  struct {
    int state;               /* where in the chunked framing the reader is */
    int digits;              /* hex digits of the size line so far */
    uint64_t left;           /* bytes of the chunk still to come */
    size_t line;             /* bytes of the current trailer line */
  } dechunk;

  stream_state state;
  CURLcode curl_code;
  char curl_error[CURL_ERROR_SIZE];
  char failure[256];         /* a cap we hit or a codec error; "" if none */
} http_stream;

client *client_new(const transport_options *opt, transcript *log);
/* Closes every stream and the multi handle. */
void client_free(client *c);

/* How a client uses TCP connections (client_set_connections; default 0:
 * libcurl reuses idle connections to the same origin). */
enum client_connections {
  CLIENT_CONN_FRESH = 1, /* every stream on a new connection, closed after it
                            (CURLOPT_FRESH_CONNECT + CURLOPT_FORBID_REUSE) */
  CLIENT_CONN_NOTE = 2   /* a transcript line names each stream's local port */
};
/* Applies to the streams started from now on. */
void client_set_connections(client *c, unsigned mode);
/* The local TCP port of the connection s ran on (0 before it connected or
 * when unknown): two streams on one port shared a connection. */
long http_stream_local_port(const http_stream *s);
transcript *client_transcript(client *c);

/* A request to start. extra_headers are "Name: value" (NULL-terminated, may
 * be NULL); a header given with an empty value ("Accept:") removes it. */
typedef struct http_request {
  const char *method;             /* "GET", "POST", "DELETE" */
  const char *url;
  const char *const *extra_headers;
  const char *body;               /* NULL: no body */
  size_t body_len;
} http_request;

/* Starts a stream; NULL with a transcript line when the cap on streams per
 * case (MCPWIRE_STREAMS_PER_CASE_MAX) or memory is exhausted, or when the
 * URL's origin is foreign to the origin policy (nothing is sent then). */
http_stream *client_start(client *c, const http_request *req);
/* client_start in raw mode, for a case that needs the response's bytes as
 * they came (a byte-offset sweep): the same origin policy, headers (a
 * --header replaces a header of the same name), transcript and envelope
 * check, and besides s->wire holds the final head and the body with its
 * transfer framing, at most wire_max bytes (past that the stream fails). */
http_stream *client_start_raw(client *c, const http_request *req, size_t wire_max);

/* Streams still without a final header block that no transport error
 * ended (held: the peer, or something between, is holding them), and
 * streams that got a final status (answered). first_held gets the oldest
 * held one (may be NULL). */
typedef struct client_census {
  size_t held, answered;
  const http_stream *first_held;
} client_census;
client_census client_take_census(const client *c);

/* How this client's origin policy treats a request to url. */
origin_class client_origin_class(const client *c, const char *url);

/* Refuses a request to url as client_start does for a foreign origin
 * (transcript line, counted), for a caller that knows it will not try. */
void client_refuse(client *c, const char *method, const char *url);

/* Requests client_start refused for their origin, in the whole process;
 * the first refused URL goes to first_url (may be NULL) when there was one. */
unsigned long client_refused_requests(char *first_url, size_t len);

/* Drives transfers until ready(arg) is true (returns 0) or the deadline
 * (clock_ms) passes (returns -1). ready may be NULL: one poll round. */
int client_wait(client *c, int (*ready)(void *arg), void *arg, double deadline_ms);

/* The waits below take a NULL stream (a start that failed) as "never". */
/* Waits for the final header block; 0 when it came, -1 when the stream ended
 * without one or the deadline passed. */
int http_stream_wait_headers(http_stream *s, double deadline_ms);
/* Waits for the transfer to end; 0 when it did, -1 at the deadline. */
int http_stream_wait_done(http_stream *s, double deadline_ms);
/* The next unread SSE event, or NULL when the stream ended or the deadline
 * passed first. */
const stream_event *http_stream_next_event(http_stream *s, double deadline_ms);
/* 1 when an event has arrived and not been read (NULL: 0). */
int http_stream_has_event(const http_stream *s);
/* The next event already received, without driving transfers; NULL when
 * none is waiting (for a case that drives many streams with client_wait). */
const stream_event *http_stream_take_event(http_stream *s);
/* Final value of a response header (case-insensitive name), last one when
 * repeated; NULL when absent. *count gets how many there were. */
const char *http_stream_header(http_stream *s, const char *name, size_t *count);
/* 1 when a Content-Type value names the media type `want` (case-insensitive,
 * parameters ignored). */
int http_media_type_is(const char *value, const char *want);
/* 1 when the final headers say Content-Type: text/event-stream. */
int http_stream_is_event_stream(http_stream *s);
/* Drives every transfer of the client until the deadline (a wait that
 * keeps streams flowing, never a bare sleep). */
void client_idle_until(client *c, double deadline_ms);
/* Ends the transfer now (the client disconnects). */
void http_stream_close(http_stream *s);
/* Closes the stream if running and frees it: it no longer counts against
 * MCPWIRE_STREAMS_PER_CASE_MAX (for a case that runs many streams in turn).
 * s is invalid afterwards; NULL is ignored. */
void client_release(http_stream *s);
/* One line saying why the stream ended badly, "" when it did not. */
const char *http_stream_error(const http_stream *s);
/* 1 when libcurl could not connect at all (refused, resolve, timeout). */
int http_stream_unreachable(const http_stream *s);
/* 1 when the stream ended (by server, error or close). */
int http_stream_ended(const http_stream *s);
/* 1 when the transfer ended by itself, without an error or a cap: the
 * server finished the response. */
int http_stream_complete(const http_stream *s);
/* The SSE parser's stats: non-NULL as soon as the final headers say
 * text/event-stream (zeros until bytes come), NULL for other bodies. */
const sse_stats *http_stream_sse_stats(const http_stream *s);

#endif
