/*
 * stage: the scripted MCP server that `mcpwire client` puts in front of an
 * MCP client under test.
 *
 * One stage serves one scenario on a fresh 127.0.0.1 port, from a thread of
 * its own (libevent, raw bufferevents: every byte, split and pause of a
 * response is the script's). It plays a small MCP server with one tool
 * (STAGE_TOOL_NAME) on Streamable HTTP, HTTP+SSE or the stateless
 * 2026-07-28 transport, shapes its SSE with a wire_shape, and records every
 * request the client sent (connection, time, method, target, head, body)
 * for the scenario's checks. Hostile bodies are generated as the client
 * reads them, never held whole.
 */
#ifndef MCPWIRE_STAGE_H
#define MCPWIRE_STAGE_H

#include <stddef.h>

#include "codec/dynbuf.h"

/* The one tool the stage lists; a client that calls it read tools/list. */
#define STAGE_TOOL_NAME "mcpwire_probe"
/* The text of its result. */
#define STAGE_TOOL_TEXT "mcpwire-probe-ok"
/* Where the legacy endpoint event sends the client's POSTs (the query
 * holds a percent-encoded byte: it must come back as it was). */
#define STAGE_LEGACY_POST_PATH "/mcpwire/message?sessionId=Ab%2B1-x"
/* The id of the ping the stage sends the client (script.ask_ping). */
#define STAGE_PING_ID "\"mcpwire-ping-1\""

enum stage_transport { STAGE_SHTTP = 0, STAGE_LEGACY, STAGE_STATELESS };
/* How the legacy endpoint event names the POST URL. */
enum stage_endpoint {
  EP_PATH = 0,      /* "/mcpwire/message?sessionId=..." */
  EP_URL,           /* "http://127.0.0.1:PORT/mcpwire/message?sessionId=..." */
  EP_RELATIVE       /* "message?sessionId=..." (resolved against /mcpwire/sse) */
};
enum stage_hostile {
  HOSTILE_NONE = 0,
  HOSTILE_HUGE_LINE,     /* one data line of MCPWIRE_STAGE_HUGE_LINE_BYTES, no end */
  HOSTILE_ENDLESS,       /* notifications forever, no response */
  HOSTILE_BAD_UTF8,      /* the response's text holds invalid UTF-8 */
  HOSTILE_GARBAGE_AFTER, /* the response, then bytes that are no SSE, then close */
  HOSTILE_HEADERS_ONLY   /* 200 text/event-stream and then nothing */
};

/* How SSE bytes look on the wire: all valid, some unusual. */
typedef struct wire_shape {
  const char *eol;          /* line end: "\n" (NULL), "\r\n" or "\r" */
  unsigned split_bytes : 1; /* each byte its own write, paused */
  unsigned bom : 1;         /* a UTF-8 BOM before the first event */
  unsigned comments : 1;    /* a comment line before each event */
  unsigned multiline : 1;   /* the JSON spread over several data lines */
  unsigned unknown_fields : 1; /* a field no parser knows, before each event */
  unsigned event_name : 1;  /* "event: message" on each message (else none) */
  unsigned no_space : 1;    /* "data:{...}" without the optional space */
  unsigned empty_data : 1;  /* an event with an empty data line first */
} wire_shape;

/* What the stage does: the exchange and its wire shape. */
typedef struct stage_script {
  unsigned transport;       /* enum stage_transport */
  const char *revision;     /* the version it negotiates ("2025-11-25") */
  unsigned endpoint;        /* legacy: enum stage_endpoint */
  long endpoint_delay_ms;   /* legacy: the endpoint event this late */
  const char *session_id;   /* Streamable HTTP: issued at initialize (NULL: none);
                             * after an expiry the stage issues it + "~2" */
  unsigned sse_replies;     /* requests answered as text/event-stream (else JSON) */
  unsigned expire_session;  /* the first tools/call with the session gets 404 */
  /* The tools/call stream (SSE replies): a priming event (id, retry, empty
   * data), a log notification, the response. cut_after N: the stream ends
   * after N events, the rest is served on a GET with Last-Event-ID. */
  int cut_after;            /* 0: no cut */
  unsigned cut_mid_event;   /* also half of the next event, then a reset */
  long retry_ms;            /* retry field of the priming event (0: none) */
  unsigned ask_ping;        /* a ping to the client before the response */
  long think_ms;            /* the response this late ... */
  long keepalive_ms;        /* ... with a comment this often meanwhile */
  unsigned buffered;        /* a buffering proxy: the whole response at once, late */
  unsigned hostile;         /* enum stage_hostile, on the tools/call response */
  wire_shape shape;         /* every SSE response */
} stage_script;

/* One request the client sent. Strings are NUL-terminated copies. */
typedef struct stage_request {
  int conn;                 /* connection, from 1 in accept order */
  double t_ms;              /* head complete, from the stage's start */
  char method[16];
  char *target;             /* request-target as sent */
  char *head;               /* start line and headers as sent */
  char *body;               /* at most MCPWIRE_STAGE_BODY_MAX bytes */
  size_t body_len;          /* bytes kept */
  size_t body_total;        /* bytes received */
  int status;               /* what the stage answered (0: nothing yet) */
} stage_request;

/* Everything recorded; read it after stage_stop. */
typedef struct stage_log {
  stage_request *req;
  size_t n;
  size_t dropped;           /* requests past MCPWIRE_STAGE_REQUESTS_MAX */
  int conns;                /* connections accepted */
  double cut_ms;            /* when the tools/call stream was cut (-1: not) */
  double hostile_ms;        /* when the hostile body began (-1: not) */
  unsigned long long hostile_bytes; /* bytes of it written */
  dynbuf notes;             /* the stage's own lines ("t=12 ms: cut after event 1") */
} stage_log;

typedef struct stage stage;

/* Starts serving on 127.0.0.1, a port the kernel picks. NULL with why. */
stage *stage_start(const stage_script *script, char *why, size_t why_len);
/* The URL the client gets: /mcp, or /mcpwire/sse for the legacy transport. */
const char *stage_url(const stage *s);
/* Stops the thread and closes every connection; the log stays readable. */
void stage_stop(stage *s);
const stage_log *stage_get_log(const stage *s);
void stage_free(stage *s);

/* A header of a recorded request (case-insensitive name), copied into out
 * without surrounding whitespace. 1 when present (first occurrence). */
int stage_request_header(const stage_request *r, const char *name, char *out, size_t len);
/* Occurrences of a header in a request. */
int stage_request_header_count(const stage_request *r, const char *name);

#endif
