/*
 * mock.h: the shared types of mcpwire-mock.
 *
 * Ownership: the server owns sessions; a session owns its streams and its
 * in-flight calls; an exchange (one POST that carried requests) lives until
 * its last response is out. Everything runs on one libevent loop, so there
 * are no locks.
 */
#ifndef MOCK_H
#define MOCK_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <event2/http.h>

#include "codec/dynbuf.h"
#include "codec/jsonrpc.h"
#include "fault.h"

/* ---- options (main.c) ---- */
typedef struct mock_options {
  const char *bind;
  int port;
  int extra_ports[MCPWIRE_MOCK_EXTRA_PORTS_MAX]; /* --also-port, in order */
  int nextra_ports;
  int responses_json;       /* --responses json */
  int session_ttl_s;
  int no_get_stream;
  int heartbeat_ms;
  int read_timeout_s;
  int retry_ms;
  int slow_step_ms;
  const char *max_version;  /* --max-version: newest revision offered */
  int max_connections;      /* --max-connections */
  int max_sessions;         /* --max-sessions */
  int poll_close;           /* --poll-close: POST streams end after priming */
  int ask_timeout_ms;       /* --ask-timeout-ms */
  const char *bearer;       /* --bearer: the one token accepted; NULL open */
  int tools_page_size;      /* --tools-page-size: tools per tools/list page, 0 all */
  int busy_resumes;         /* --busy-resumes N: every Nth resume GET gets 503, 0 never */
  int eras;                 /* --eras: ERAS_DUAL (default), ERAS_MODERN, ERAS_LEGACY */
  int stdio;                /* --stdio: serve stdin/stdout, not HTTP */
  unsigned char faults[FAULT_COUNT];
  unsigned char wires[WIRE_COUNT];
} mock_options;

/* Which protocol eras /mcp serves: the stateless 2026-07-28 one, the
 * session-era revisions (initialize, 2025-03-26 to 2025-11-25), or both. */
enum mock_eras { ERAS_DUAL = 0, ERAS_MODERN, ERAS_LEGACY };

typedef struct session session;
typedef struct stream stream;
typedef struct exchange exchange;
typedef struct call call;

/* ---- the server (one instance, see main.c) ---- */
typedef struct mock {
  mock_options opt;
  struct event_base *base;
  struct evhttp *http;
  struct event *sweep;      /* session TTL sweep */
  const struct timeval *heartbeat_tv; /* common timeout */
  session *sessions;        /* doubly linked */
  size_t session_count;
  uint64_t session_counter; /* for sequential-session-ids */
  uint64_t session_counter_all; /* session.serial */
  session *newest;          /* for faults that pick "the newest" */
  size_t stateless_count;   /* 2026-07-28 requests in flight (their sessions) */
  unsigned long cancelled_on_close; /* 2026-07-28 calls ended by a closed stream */
} mock;

extern mock the_mock;

static inline int fault_on(int f) { return the_mock.opt.faults[f]; }
static inline int wire_on(int w) { return the_mock.opt.wires[w]; }

/* ---- versions ---- */
#define MOCK_V2411 "2024-11-05"
#define MOCK_V2503 "2025-03-26"
#define MOCK_V2506 "2025-06-18"
#define MOCK_V2511 "2025-11-25"
#define MOCK_V2607 "2026-07-28" /* stateless: no initialize, no sessions */
/* A Streamable HTTP revision we speak (not past --max-version). */
int version_is_modern(const char *v);
int version_is_known(const char *v);   /* the same, or 2024-11-05 */
/* What initialize answers to a version we do not speak. */
const char *version_newest(int legacy);
/* A usable --max-version value: a Streamable HTTP revision. */
int version_valid_max(const char *v);

/* ---- sessions (session.c) ---- */
struct session {
  session *prev, *next;
  session *hnext;               /* hash bucket chain */
  char id[64];
  int legacy;                   /* HTTP+SSE session */
  char version[16];             /* negotiated */
  int initialized;              /* notifications/initialized seen */
  int doomed;                   /* late-cancel-breaks-session: end after this POST */
  int cap_sampling, cap_elicitation;
  int log_level;                /* logging/setLevel, index into the RFC 5424 names */
  int64_t last_active_ms;
  /* Where it was opened: the TCP connection (conn_serial) and the local
   * port (an instance, --also-port), for session_reachable. */
  uint64_t opened_on_conn;
  uint64_t serial;              /* unique in the process, from 1 */
  int opened_on_port;
  unsigned next_stream_no;
  stream *streams;              /* newest first */
  size_t stream_count;
  stream *get_stream;           /* standalone GET stream, or the legacy one */
  call *calls;                  /* in flight */
  unsigned next_server_req;     /* ids of server->client requests */
  /* 2026-07-28: a throw-away session carrying one stateless request */
  int modern;
  int cacheable;                /* its result gets ttlMs and cacheScope */
  struct event *reap;           /* frees it once its stream and calls are done */
  char *listen_id;              /* subscriptions/listen: the request id, raw */
  unsigned listen_filter;       /* LISTEN_* bits the subscription honours */
};

session *session_create(int legacy);
/* A session for one 2026-07-28 request: no id, not findable, not counted
 * against --max-sessions; NULL past MCPWIRE_MOCK_STATELESS_MAX. */
session *session_create_stateless(void);
/* Frees a stateless session soon (from the loop) once it has no call and
 * no attached stream; a no-op for other sessions. */
void session_reap_soon(session *s);
session *session_find(const char *id);
/* Records the connection and port of the request that opened s. */
void session_opened_by(session *s, struct evhttp_request *req);
/* 0 when a fault keeps s from being served on req's connection or port:
 * session-bound-to-connection (a Streamable HTTP session only on the
 * connection it was opened on, and only while it is that connection's
 * newest), instance-local-sessions (only on the port it was opened on). */
int session_reachable(const session *s, struct evhttp_request *req);
void session_destroy(session *s);
void session_touch(session *s);
void session_destroy_all(void);
int session_sweep_start(void);
int64_t mock_now_ms(void);
/* Version in force for a request: the negotiated one. */
const char *session_version(const session *s);

/* ---- SSE streams (stream.c) ---- */
struct stream {
  stream *next;                 /* in the session's list */
  session *owner;
  unsigned no;                  /* stream number within the session */
  uint64_t seq;                 /* last event sequence number */
  int is_get;                   /* the standalone GET (or legacy) stream */
  int finished;                 /* logical end: nothing more will come */
  int started;                  /* bytes written (for the BOM) */
  int dropped;                  /* its client stopped reading; being closed */
  struct evhttp_request *req;   /* attached connection, or NULL */
  struct event *heartbeat;
  /* replay ring: the last MCPWIRE_MOCK_REPLAY_EVENTS_MAX events */
  char **ring;
  uint64_t *ring_seq;
  size_t ring_len, ring_head;
  exchange *ex;                 /* the POST exchange feeding it, if any */
  /* --wire split: bytes waiting to go out piece by piece */
  dynbuf outq;
  size_t outq_off;
  int pumping;                  /* a piece is in flight or paused */
  struct event *split_timer;    /* the pause between pieces */
  int end_after;                /* end the response once outq drains */
};

stream *stream_create(session *s, int is_get);
void stream_free(stream *st);
/* Starts the SSE reply on req and attaches it; extra headers already set. */
void stream_attach(stream *st, struct evhttp_request *req);
/* The priming event (id + empty data) and retry, for 2025-11-25. */
void stream_prime(stream *st);
/* Sends one JSON-RPC message as an event; "message" typed on legacy. */
void stream_send(stream *st, const char *json, size_t len);
/* The same, marking the stream's last event (unterminated-final-event). */
void stream_send_final(stream *st, const char *json, size_t len);
void stream_send_endpoint(stream *st, const char *uri);
/* Ends the attached response (the logical stream may continue). */
void stream_detach(stream *st);
/* Logical end; detaches. */
void stream_finish(stream *st);
/* Replays events after seq (and, with a fault, other streams' events). */
void stream_replay(stream *st, uint64_t after_seq);
stream *stream_find(session *s, unsigned no);
/* Bytes written to the stream's client but not yet sent. */
size_t stream_queued(const stream *st);
/* A connection is attached and not being wound down. */
int stream_attached(const stream *st);
/* "<no>-<seq>" parsing; 0 when it is not one of ours. */
int stream_parse_event_id(const char *id, unsigned *no, uint64_t *seq);
void stream_on_gone(stream *st); /* connection closed under us */
/* s26-reissue-refused: 1 once for a call of the tool whose stateless call
 * lost its stream unanswered. */
int stream_take_cut_call(const char *tool);

/* ---- exchanges and calls (rpc.c) ---- */
enum exchange_kind { EX_SSE, EX_JSON, EX_LEGACY, EX_STDIO };
struct exchange {
  enum exchange_kind kind;
  session *owner;
  stream *st;                   /* EX_SSE / EX_LEGACY */
  struct evhttp_request *req;   /* EX_JSON until replied */
  int pending;                  /* responses still owed, plus hold */
  int hold;                     /* 1 while the POST is being dispatched */
  int batch;                    /* reply is an array (EX_JSON) */
  int initialize;               /* carries initialize: stream faults spare it */
  size_t nresp;
  dynbuf out;                   /* EX_JSON collected responses */
};

struct call {
  call *next;
  session *owner;
  exchange *ex;
  char *id_raw;                 /* request id as received */
  size_t id_len;
  char *progress_token;         /* raw JSON or NULL */
  char *tool;
  int steps_left, step_no;
  int cancelled;
  struct event *timer;
  char *server_req_id;          /* ask_client: id of our request */
  void (*on_step)(call *c);     /* timer-driven tools: one step */
  void (*on_answer)(call *c, const jsonrpc_msg *m); /* the client's reply */
  char *arg;                    /* a tool argument kept for later steps */
};

/* Handles one parsed message (not a batch) inside an exchange. */
void rpc_handle(exchange *ex, const jsonrpc_msg *m);
/* Number of requests among a message or batch (what needs responses). */
int rpc_count_requests(const jsonrpc_msg *m);
/* Sends a response for the exchange; frees it with the last one. */
void exchange_respond(exchange *ex, const char *json, size_t len);
/* Related notifications / requests on the exchange's stream. */
void exchange_emit(exchange *ex, const char *json, size_t len);
void exchange_release(exchange *ex); /* an owed response that never comes */
exchange *exchange_new(enum exchange_kind kind, session *s);
void call_free(call *c);
call *call_find_by_id(session *s, const char *id_raw, size_t len);
call *call_find_by_server_req(session *s, const char *id_raw, size_t len);

/* The kind after the accept-* faults have had their say. */
jsonrpc_kind rpc_effective_kind(const jsonrpc_msg *m);
/* _meta holds a key other than progressToken and io.modelcontextprotocol/ ones. */
int rpc_has_foreign_meta(const jsonrpc_msg *m);
/* An id usable in a reply (string or integer), or NULL. */
const char *rpc_reply_id(const jsonrpc_msg *m, size_t *len);
/* 1 when m is a request whose id is an integer text past 2^64-1 (either
 * sign): the ids huge-id-dropped loses. */
int rpc_id_past_uint64(const jsonrpc_msg *m);
/* Responses to request m within the exchange. */
void respond_result(exchange *ex, const jsonrpc_msg *m, const char *result);
void respond_error(exchange *ex, const jsonrpc_msg *m, long code, const char *message);
/* Builders honouring the envelope faults. */
void rpc_result(dynbuf *out, const char *id_raw, size_t id_len, const char *result);
void rpc_error(dynbuf *out, const char *id_raw, size_t id_len, long code,
               const char *message);
void rpc_notification(dynbuf *out, const char *method, const char *params);
/* Sends a server notification not tied to any request (GET stream). */
void rpc_notify_session(session *s, const char *method, const char *params);

/* ---- lifecycle (lifecycle.c) and tools (tools.c) ---- */
/* Each returns 1 when it handled the method (and responded / started). */
/* The version initialize would settle on for `asked`. */
const char *lifecycle_negotiate(const session *s, const char *asked);
/* Index of an RFC 5424 level name ("debug" 0 .. "emergency" 7), or -1. */
int log_level_index(const char *name);
/* A session log level above every name: no notifications/message. */
#define LOG_LEVEL_NONE 8
int lifecycle_handle(exchange *ex, const jsonrpc_msg *m, const char *method);
int tools_handle(exchange *ex, const jsonrpc_msg *m, const char *method);
void tools_cancel(call *c);
/* Ends every call answering into ex, with no response. */
void tools_cancel_exchange(session *s, const exchange *ex);
void tools_on_client_response(call *c, const jsonrpc_msg *m);
/* One tools/list page: the tools from `from` on, at most `page` of them (0:
 * all), and a nextCursor when more follow. */
void tools_write_list(dynbuf *out, size_t from, size_t page, int modern);
/* For tools that outlive their request (fixtures.c too). */
call *tools_call_start(exchange *ex, const jsonrpc_msg *m);
void tools_call_respond(call *c, const char *result);   /* ends the call */
void tools_call_emit(call *c, const char *json, size_t len);
/* A notifications/progress for the call's token (none without one), with
 * the progress faults applied; message NULL: none. */
void tools_send_progress(call *c, int value, int total, const char *message);
/* Answers the call with a text result and ends it (progress-after-response:
 * one more progress, next_value of total, after the response). */
void tools_finish_progress_call(call *c, const char *text, int next_value, int total);
/* Runs c->on_step after ms. */
void tools_call_after(call *c, int ms);
/* Sends a server->client request on the call's stream; the answer goes to
 * c->on_answer. 0 when sent. */
int tools_call_ask(call *c, const char *method, const char *params);
/* A text content result, as JSON. */
void tools_text_result(dynbuf *b, const char *text, size_t len, int is_error);

/* ---- conformance-suite fixtures (fixtures.c) ---- */
/* The fixture tools, listed after the transport-testing ones. */
size_t fixtures_tool_count(void);
void fixtures_write_tool(dynbuf *out, size_t i);
int fixtures_tool(exchange *ex, const jsonrpc_msg *m, const char *name);
/* The resources, prompts and completion methods; 1 when handled. */
int fixtures_handle(exchange *ex, const jsonrpc_msg *m, const char *method);

/* ---- 2026-07-28, stateless (stateless.c, subscription.c, mrtr.c) ---- */
/* Paths of the request metadata in a 2026-07-28 request. */
#define META(key) "params._meta[\"io.modelcontextprotocol/" key "\"]"
#define META_VERSION META("protocolVersion")
#define META_CAPS META("clientCapabilities")
/* -32022: the protocolVersion asked is not served (S26-DISC-07). */
#define ERR_UNSUPPORTED_VERSION (-32022)
/* This POST belongs to the stateless era (its _meta or headers say so, or
 * the mock serves nothing else). */
int stateless_claims(struct evhttp_request *req, const jsonrpc_msg *m);
/* Serves one stateless POST (m already parsed as JSON). */
void stateless_post(struct evhttp_request *req, const jsonrpc_msg *m);
/* The request's headers mark it as 2026-07-28 (before its body is read). */
int stateless_headers(struct evhttp_request *req);
/* Appends result to out with what every 2026-07-28 result carries
 * (resultType, _meta serverInfo, cache hints when s->cacheable). */
void stateless_decorate(const session *s, const char *result, dynbuf *out);
/* What the request's _meta lacks (S26-META-05), or NULL when it is served
 * (s26-no-meta-check serves every one). */
const char *stateless_meta_problem(const jsonrpc_msg *m);
/* 1 when a 2026-07-28 request may ask method (ping, initialize and the
 * other removed methods may not; faults aside). */
int stateless_method_served(const char *method);
/* 1 when the _meta protocolVersion asked (NULL: none) is served. */
int stateless_version_served(const char *asked);
/* The data of a -32022 error: supported and requested (S26-DISC-07). */
void stateless_unsupported_data(const char *asked, dynbuf *d);
/* A DiscoverResult's members, into b. */
void stateless_discover(dynbuf *b);
/* Serves request m in ex (held by the caller, ex->hold 1): a DiscoverResult
 * for server/discover, else the method's handler; then lets the hold go. */
void stateless_dispatch(exchange *ex, const jsonrpc_msg *m);
/* The throw-away session a request is served in, set from its _meta. */
session *stateless_request_session(const jsonrpc_msg *m);
/* GET, DELETE and the rest at a modern-only /mcp: 405 (or a fault). */
void stateless_other_method(struct evhttp_request *req);
/* The modern-only tools (mrtr.c), listed after the others on stateless
 * sessions. */
size_t stateless_tool_count(void);
void stateless_write_tool(dynbuf *out, size_t i);
/* A tools/call on a stateless session; 1 when handled. */
int stateless_tool(exchange *ex, const jsonrpc_msg *m, const char *name);
/* A prompts/get of a prompt that asks through MRTR (stateless only); 1 when handled. */
int stateless_prompt(exchange *ex, const jsonrpc_msg *m, const char *name);
/* The inputSchema of a tool whose arguments are mirrored in Mcp-Param-*
 * headers, or NULL. */
const char *stateless_tool_schema(const char *name);
/* The client capability (its ClientCapabilities key) a stateless
 * tools/call or prompts/get (`method`) of `name` needs, given what the
 * request declared; NULL when none. */
const char *stateless_tool_needs(const char *method, const char *name, int sampling,
                                 int elicitation, int roots);
/* subscriptions/listen: what a filter asks for. */
enum { LISTEN_TOOLS = 1, LISTEN_PROMPTS = 2, LISTEN_RESOURCES = 4 };
/* Opens a listen stream on req for the request m of session s. */
void subscription_open(struct evhttp_request *req, session *s, const jsonrpc_msg *m);
/* Sends a list_changed notification to every listen stream that asked for it. */
void subscription_notify(unsigned kind, const char *method);
/* s26-progress-on-listen: a request's notification on every listen stream. */
void subscription_leak(const char *json, size_t len);

/* ---- HTTP glue (http.c) ---- */
int http_start(void);
void http_stop(void);
const char *http_header(struct evhttp_request *req, const char *name);
void http_reply(struct evhttp_request *req, int code, const char *reason,
                const char *ctype, const char *body, size_t len);
/* A JSON-RPC error body with no id, with an HTTP status. */
void http_reply_rpc_error(struct evhttp_request *req, int code, const char *reason,
                          long rpc_code, const char *message);
/* Host and Origin checks; replies and returns 0 when refused. */
int http_check_security(struct evhttp_request *req);
int http_accepts(struct evhttp_request *req, const char *type);
/* Reads the whole body into a malloc'd buffer (NUL-terminated). */
char *http_body(struct evhttp_request *req, size_t *len);

/* ---- connections (conn.c) ---- */
/* Registers the request's connection; 0 when over the cap (replied 503). */
int conn_admit(struct evhttp_request *req);
/* The stream a connection carries (NULL when none). */
void conn_set_stream(struct evhttp_connection *evcon, stream *st);
size_t conn_count(void);
/* The request's connection: a serial number unique in the process (0 when
 * unknown), and the local port it was accepted on (0 when unknown). */
uint64_t conn_serial(struct evhttp_request *req);
int conn_local_port(struct evhttp_request *req);
/* The newest session opened on the request's connection (set, read). */
void conn_set_newest_session(struct evhttp_request *req, uint64_t session_serial);
uint64_t conn_newest_session(struct evhttp_request *req);
void conn_free_all(void);

/* ---- transports ---- */
void streamable_handle(struct evhttp_request *req);
void legacy_handle_sse(struct evhttp_request *req);
void legacy_handle_message(struct evhttp_request *req);
/* The stream a legacy session's messages go on (NULL when none). */
stream *legacy_stream_for(session *s);

/* ---- stdio transport (stdio.c) ---- */
/* Serves the session era on stdin/stdout; 0 when started. */
int stdio_start(void);
void stdio_stop(void);
/* One message as one stdout line (the stdio faults applied). */
void stdio_write(const char *json, size_t len);
/* Bytes written to stdout but not yet taken by the client. */
size_t stdio_queued(void);

/* ---- wire variants (wire.c) ---- */
/* Serialises one event with the active variants; returns 0 on success. */
int wire_format_event(dynbuf *out, const char *type, const char *id,
                      int64_t retry_ms, const char *data, size_t len,
                      int first_on_stream, int final);
int wire_format_comment(dynbuf *out, const char *text, int first_on_stream);

#endif
