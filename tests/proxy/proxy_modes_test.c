/* proxy_modes_test: every proxy mode, seen on the wire. A loopback origin
 * sends a chunked SSE response with known bytes and pauses; a client records
 * what arrives, when, and in which reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "codec/dynbuf.h"
#include "codec/sse.h"
#include "proxy/http_framing.h"
#include "proxy/proxy.h"
#include "wire.h"

static const char sse_head[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
    "X-Remove: me\r\nCache-Control: no-cache\r\n\r\n";
static const char *const events[] = {"id: 1\r\ndata: one\r\n\r\n",
                                     "id: 2\r\ndata: two \xc3\xa9\r\n\r\n",
                                     "id: 3\r\ndata: three\r\n\r\n"};
static char chunks[3][64];
static const char last_chunk[] = "0\r\n\r\n";
static const char request[] =
    "GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";

static void make_chunks(void) {
  for (int i = 0; i < 3; i++)
    snprintf(chunks[i], sizeof chunks[i], "%zx\r\n%s\r\n", strlen(events[i]), events[i]);
}

/* The SSE response, in five parts sent gap_ms apart. */
static void sse_origin(wire_origin *o, int gap_ms, int hold_ms) {
  memset(o, 0, sizeof *o);
  o->n_responses = 1;
  wire_response *r = &o->responses[0];
  r->parts[0] = sse_head;
  for (int i = 0; i < 3; i++)
    r->parts[1 + i] = chunks[i];
  r->parts[4] = last_chunk;
  r->n_parts = 5;
  o->gap_ms = gap_ms;
  o->hold_ms = hold_ms;
}

static size_t response_bytes(const wire_response *r, size_t parts, char *out) {
  size_t n = 0;
  for (size_t i = 0; i < parts && i < r->n_parts; i++) {
    memcpy(out + n, r->parts[i], strlen(r->parts[i]));
    n += strlen(r->parts[i]);
  }
  return n;
}

static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t k) {
  for (size_t i = 0; i + k <= n; i++)
    if (!memcmp(hay + i, needle, k))
      return hay + i;
  return NULL;
}

/* ---- decoding what the client got ---- */

typedef struct decoded {
  dynbuf head, body;
  int complete;
  size_t events;
} decoded;

static void d_head(void *u, const http_head *h) { dynbuf_add(&((decoded *)u)->head, h->raw, h->raw_len); }
static void d_body(void *u, const char *p, size_t n) { dynbuf_add(&((decoded *)u)->body, p, n); }
static void d_end(void *u) { ((decoded *)u)->complete = 1; }
static void d_event(void *u, const sse_event *ev) {
  (void)ev;
  ((decoded *)u)->events++;
}

static void decode(const char *bytes, size_t len, int eof, decoded *d) {
  memset(d, 0, sizeof *d);
  dynbuf_init(&d->head, 1u << 20);
  dynbuf_init(&d->body, 1u << 20);
  static const http_framing_callbacks cb = {d_head, d_body, d_end};
  http_framing f;
  http_framing_init(&f, 1, &cb, d);
  size_t off = 0;
  while (off < len && !http_framing_error(&f) && !d->complete) {
    size_t n = http_framing_feed(&f, bytes + off, len - off);
    if (!n)
      break;
    off += n;
  }
  if (eof && !d->complete)
    http_framing_finish(&f);
  http_framing_free(&f);
  static const sse_callbacks scb = {d_event, NULL, NULL};
  sse_parser *p = sse_parser_new(&scb, d, 0, 0);
  sse_feed(p, d->body.ptr ? d->body.ptr : "", d->body.len);
  sse_parser_free(p);
}

static void decoded_free(decoded *d) {
  dynbuf_free(&d->head);
  dynbuf_free(&d->body);
}

/* ---- one exchange through the proxy ---- */

typedef struct exchange {
  wire_origin origin;
  wire_trace trace;
  proxy_stats stats;
  int fd;
  proxy *px;
} exchange;

static proxy *start_proxy(const char *modes, int target_port) {
  proxy_config cfg;
  char err[256];
  proxy_config_init(&cfg);
  snprintf(cfg.target_host, sizeof cfg.target_host, "127.0.0.1");
  cfg.target_port = target_port;
  if (modes && proxy_config_parse(&cfg, modes, err, sizeof err)) {
    fprintf(stderr, "modes '%s': %s\n", modes, err);
    return NULL;
  }
  proxy *px = proxy_start(&cfg, err, sizeof err);
  if (!px)
    fprintf(stderr, "proxy_start: %s\n", err);
  return px;
}

/* Starts origin and proxy, connects and sends the request. */
static int begin(exchange *x, const char *modes) {
  memset(&x->trace, 0, sizeof x->trace);
  x->fd = -1;
  if (wire_origin_start(&x->origin))
    return -1;
  x->px = start_proxy(modes, x->origin.port);
  if (!x->px)
    return -1;
  x->fd = wire_connect(proxy_port(x->px));
  if (x->fd < 0)
    return -1;
  x->trace.t_sent = wire_now_ms();
  return wire_send(x->fd, request, strlen(request));
}

static void end(exchange *x) {
  if (x->fd >= 0)
    close(x->fd);
  if (x->px) {
    proxy_get_stats(x->px, &x->stats);
    proxy_stop(x->px);
  }
  wire_origin_join(&x->origin);
}

/* Runs the SSE exchange under `modes`, reading until EOF or wait_ms. */
static int run_sse(exchange *x, const char *modes, int gap_ms, int hold_ms, size_t until, int wait_ms) {
  sse_origin(&x->origin, gap_ms, hold_ms);
  if (begin(x, modes)) {
    CHECK(!"exchange could not start");
    end(x);
    return -1;
  }
  wire_read(x->fd, &x->trace, until, wait_ms);
  return 0;
}

static size_t sse_total(char *out) { return response_bytes(&(wire_response){{sse_head, chunks[0], chunks[1], chunks[2], last_chunk}, 5, 0}, 5, out); }

/* ---- the modes ---- */

static void pass_relays_bytes_unchanged(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  if (run_sse(&x, "pass", 20, 0, 0, 5000))
    return;
  end(&x);
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.len, n);
  CHECK(!memcmp(x.trace.bytes, want, n));
  CHECK(strstr(x.origin.last_request, "GET /sse HTTP/1.1\r\n") == x.origin.last_request);
  CHECK_INT(x.stats.responses, 1);
}

static void buffer_sends_nothing_until_the_response_ends(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  if (run_sse(&x, "buffer", 80, 0, 0, 5000))
    return;
  end(&x);
  CHECK_INT(x.trace.len, n);
  CHECK(!memcmp(x.trace.bytes, want, n));
  /* Not before the origin began its last write (its end time races). */
  CHECK(x.trace.reads > 0 && x.trace.read_at[0] >= x.origin.t_part[0][4]);
}

static void buffer_n_sends_once_n_bytes_are_held(void) {
  exchange x;
  char want[1024], modes[64];
  size_t n = sse_total(want);
  size_t held = strlen(sse_head) + strlen(chunks[0]) + 5; /* reached inside part 2 */
  snprintf(modes, sizeof modes, "buffer=%zu", held);
  if (run_sse(&x, modes, 80, 0, 0, 5000))
    return;
  end(&x);
  CHECK_INT(x.trace.len, n);
  CHECK(!memcmp(x.trace.bytes, want, n));
  CHECK(x.trace.reads > 0 && x.trace.read_at[0] >= x.origin.t_part[0][2]);
  CHECK(x.trace.read_len[0] >= held || x.trace.reads == 1);
}

static void slice_1_delivers_one_byte_per_read(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  if (run_sse(&x, "slice=1:8", 0, 0, 0, 10000))
    return;
  end(&x);
  CHECK_INT(x.trace.len, n);
  CHECK(!memcmp(x.trace.bytes, want, n));
  size_t ones = 0;
  for (size_t i = 0; i < x.trace.reads; i++)
    ones += x.trace.read_len[i] == 1;
  /* A loaded machine may merge a few writes into one read; most stay apart. */
  CHECK(ones * 10 >= n * 9);
  fprintf(stderr, "slice=1: %zu bytes in %zu reads, %zu of one byte\n", n, x.trace.reads, ones);
}

static void slice_7_writes_7_byte_pieces(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  if (run_sse(&x, "slice=7:8", 0, 0, 0, 10000))
    return;
  end(&x);
  CHECK_INT(x.trace.len, n);
  CHECK(!memcmp(x.trace.bytes, want, n));
  size_t sevens = 0;
  for (size_t i = 0; i < x.trace.reads; i++)
    sevens += x.trace.read_len[i] == 7;
  CHECK(x.trace.reads >= n / 7 * 9 / 10);
  CHECK(sevens * 7 * 10 >= n * 8);
}

static void latency_delays_every_piece(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  if (run_sse(&x, "latency=150", 40, 0, 0, 5000))
    return;
  end(&x);
  CHECK_INT(x.trace.len, n);
  CHECK(!memcmp(x.trace.bytes, want, n));
  CHECK(x.trace.reads > 0 && x.trace.read_at[0] >= x.origin.t_first_send + 150);
  CHECK(x.trace.reads > 0 && x.trace.read_at[x.trace.reads - 1] >= x.origin.t_part[0][4] + 150);
  /* Pieces keep their spacing: the last byte is not sent with the first. */
  CHECK(x.trace.reads > 1 && x.trace.read_at[x.trace.reads - 1] - x.trace.read_at[0] >= 100);
}

static void cut_bytes_closes_after_n_bytes(void) {
  exchange x;
  char want[1024];
  sse_total(want);
  if (run_sse(&x, "cut-bytes=50", 20, 2000, 0, 5000))
    return;
  end(&x);
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.error, 0);
  CHECK_INT(x.trace.len, 50);
  CHECK(!memcmp(x.trace.bytes, want, 50));
  CHECK_INT(x.stats.cuts, 1);
}

static void cut_events_closes_right_after_the_nth_event(void) {
  exchange x;
  char want[1024];
  sse_total(want);
  if (run_sse(&x, "cut-events=2", 20, 2000, 0, 5000))
    return;
  end(&x);
  /* Up to the blank line of event 2: its chunk minus the chunk's CRLF. */
  size_t cut = strlen(sse_head) + strlen(chunks[0]) + strlen(chunks[1]) - 2;
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.len, cut);
  CHECK(!memcmp(x.trace.bytes, want, cut));
  decoded d;
  decode(x.trace.bytes, x.trace.len, 1, &d);
  CHECK_INT(d.events, 2);
  CHECK(!d.complete);
  decoded_free(&d);
}

static void stall_keeps_the_connection_open_and_silent(void) {
  exchange x;
  char want[1024];
  sse_total(want);
  if (run_sse(&x, "stall=60", 0, 0, 60, 5000))
    return;
  wire_read(x.fd, &x.trace, 0, 400); /* the origin has sent everything by now */
  CHECK_INT(x.trace.len, 60);
  CHECK(!x.trace.eof);
  CHECK_INT(x.trace.error, 0);
  CHECK(!memcmp(x.trace.bytes, want, 60));
  end(&x); /* proxy_stop with the stalled connection still open */
  CHECK_INT(x.stats.stalls, 1);
}

static void reset_sends_rst_after_n_bytes(void) {
  exchange x;
  char want[1024];
  sse_total(want);
  if (run_sse(&x, "reset=70", 20, 2000, 0, 5000))
    return;
  end(&x);
  CHECK_INT(x.trace.error, ECONNRESET);
  CHECK(!x.trace.eof);
  CHECK(x.trace.len <= 70);
  CHECK(!memcmp(x.trace.bytes, want, x.trace.len));
  CHECK_INT(x.stats.resets, 1);
}

static void header_rules_rewrite_the_head_and_keep_the_body(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  if (run_sse(&x, "strip-header=x-REMOVE,set-header=Cache-Control:no-store, private,"
                  "set-header=X-Added:yes",
              0, 0, 0, 5000))
    return;
  end(&x);
  decoded got, orig;
  decode(x.trace.bytes, x.trace.len, x.trace.eof, &got);
  decode(want, n, 1, &orig);
  const char *h = dynbuf_str(&got.head);
  CHECK(got.complete);
  CHECK(!strstr(h, "X-Remove"));
  CHECK(!strstr(h, "no-cache"));
  CHECK(strstr(h, "\r\nCache-Control: no-store, private\r\n") != NULL);
  CHECK(strstr(h, "\r\nX-Added: yes\r\n") != NULL);
  CHECK(strstr(h, "\r\nTransfer-Encoding: chunked\r\n") != NULL);
  CHECK(got.body.len == orig.body.len && !memcmp(got.body.ptr, orig.body.ptr, got.body.len));
  CHECK_INT(got.events, 3);
  decoded_free(&got);
  decoded_free(&orig);
}

static void stripping_transfer_encoding_reframes_the_body_by_close(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  if (run_sse(&x, "strip-header=Transfer-Encoding", 0, 2000, 0, 5000))
    return;
  end(&x);
  decoded orig;
  decode(want, n, 1, &orig);
  const char *end_of_head = strstr(x.trace.bytes, "\r\n\r\n");
  CHECK(x.trace.eof);
  CHECK(end_of_head != NULL);
  if (end_of_head) {
    size_t head_len = (size_t)(end_of_head - x.trace.bytes) + 4;
    CHECK(!find_bytes(x.trace.bytes, head_len, "Transfer-Encoding", 17));
    CHECK(find_bytes(x.trace.bytes, head_len, "\r\nConnection: close\r\n", 21) != NULL);
    CHECK_INT(x.trace.len - head_len, orig.body.len);
    CHECK(!memcmp(x.trace.bytes + head_len, orig.body.ptr, orig.body.len));
  }
  decoded_free(&orig);
}

static void idle_cut_closes_a_silent_connection(void) {
  exchange x;
  sse_origin(&x.origin, 0, 3000);
  x.origin.responses[0].n_parts = 2; /* head and one event, then silence */
  if (begin(&x, "idle-cut=200")) {
    CHECK(!"exchange could not start");
    end(&x);
    return;
  }
  wire_read(x.fd, &x.trace, 0, 5000);
  end(&x);
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.len, strlen(sse_head) + strlen(chunks[0]));
  CHECK(x.trace.t_end >= x.origin.t_part[0][1] + 200);
  CHECK(x.origin.peer_closed); /* the proxy closed, long before the origin would */
  CHECK_INT(x.stats.idle_cuts, 1);
}

static void head_response_on_keep_alive_is_framed_under_buffer(void) {
  exchange x;
  static const char r1[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  static const char r2[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  memset(&x.origin, 0, sizeof x.origin);
  x.origin.n_responses = 2;
  x.origin.responses[0] = (wire_response){{r1}, 1, 0};
  x.origin.responses[1] = (wire_response){{r2}, 1, 0};
  x.origin.hold_ms = 2000;
  memset(&x.trace, 0, sizeof x.trace);
  x.fd = -1;
  x.px = NULL;
  int ok = !wire_origin_start(&x.origin) && (x.px = start_proxy("buffer", x.origin.port)) &&
           (x.fd = wire_connect(proxy_port(x.px))) >= 0;
  CHECK(ok);
  if (ok) {
    wire_send(x.fd, "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", 28);
    wire_read(x.fd, &x.trace, strlen(r1), 3000);
    CHECK_INT(x.trace.len, strlen(r1));
    wire_send(x.fd, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27);
    wire_read(x.fd, &x.trace, strlen(r1) + strlen(r2), 3000);
    CHECK_INT(x.trace.len, strlen(r1) + strlen(r2));
    CHECK(!memcmp(x.trace.bytes + strlen(r1), r2, strlen(r2)));
  }
  end(&x);
  CHECK_INT(x.origin.requests_seen, 2);
  CHECK_INT(x.stats.responses, 2);
}

static void unreachable_target_closes_the_client(void) {
  int hold = -1;
  int port = wire_refusing_port(&hold);
  CHECK(port > 0);
  proxy *px = start_proxy(NULL, port);
  CHECK(px != NULL);
  if (!px) {
    close(hold);
    return;
  }
  wire_trace t;
  memset(&t, 0, sizeof t);
  int fd = wire_connect(proxy_port(px));
  CHECK(fd >= 0);
  if (fd >= 0) {
    wire_send(fd, request, strlen(request));
    wire_read(fd, &t, 0, 5000);
    close(fd);
  }
  CHECK(t.eof || t.error);
  CHECK_INT(t.len, 0);
  proxy_stats st;
  proxy_get_stats(px, &st);
  CHECK_INT(st.refused, 1);
  proxy_stop(px);
  close(hold);
}

/* ---- HTTP behaviour under the modes ---- */

/* Runs one request/response exchange with a custom origin. */
static int run_custom(exchange *x, const char *modes, const char *req, size_t until, int wait_ms) {
  memset(&x->trace, 0, sizeof x->trace);
  x->fd = -1;
  x->px = NULL;
  int ok = !wire_origin_start(&x->origin) && (x->px = start_proxy(modes, x->origin.port)) &&
           (x->fd = wire_connect(proxy_port(x->px))) >= 0 && !wire_send(x->fd, req, strlen(req));
  CHECK(ok);
  if (ok)
    wire_read(x->fd, &x->trace, until, wait_ms);
  return ok ? 0 : -1;
}

static void buffer_over_its_cap_forwards_the_response_as_is(void) {
  exchange x;
  static char head[128];
  size_t body = MCPWIRE_PROXY_BUFFER_MAX + 1024 * 1024;
  snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", body);
  memset(&x.origin, 0, sizeof x.origin);
  x.origin.n_responses = 1;
  x.origin.responses[0] = (wire_response){{head}, 1, body};
  run_custom(&x, "buffer", request, strlen(head) + body, 20000);
  end(&x);
  CHECK_INT(x.trace.len, strlen(head) + body);
  CHECK(!memcmp(x.trace.bytes, head, strlen(head)));
  CHECK(x.trace.bytes[strlen(head)] == 'x' && x.trace.bytes[WIRE_BYTES_MAX - 1] == 'x');
  CHECK_INT(x.stats.buffer_overflows, 1);
}

static void buffer_releases_a_close_delimited_body_at_eof(void) {
  exchange x;
  static const char *const parts[] = {"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n",
                                      "first ", "second"};
  memset(&x.origin, 0, sizeof x.origin);
  x.origin.n_responses = 1;
  x.origin.responses[0] = (wire_response){{parts[0], parts[1], parts[2]}, 3, 0};
  x.origin.gap_ms = 50;
  run_custom(&x, "buffer", request, 0, 5000);
  end(&x);
  char want[256];
  snprintf(want, sizeof want, "%s%s%s", parts[0], parts[1], parts[2]);
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.len, strlen(want));
  CHECK(!memcmp(x.trace.bytes, want, strlen(want)));
  CHECK(x.trace.reads > 0 && x.trace.read_at[0] >= x.origin.t_part[0][2]);
}

static void unframeable_response_is_relayed_raw(void) {
  exchange x;
  static const char bad[] = "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello";
  memset(&x.origin, 0, sizeof x.origin);
  x.origin.n_responses = 1;
  x.origin.responses[0] = (wire_response){{bad}, 1, 0};
  run_custom(&x, "buffer,set-header=X-Never:1", request, 0, 5000);
  end(&x);
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.len, strlen(bad));
  CHECK(!memcmp(x.trace.bytes, bad, strlen(bad)));
  CHECK_INT(x.stats.framing_errors, 1);
}

static void requests_reach_the_origin_byte_for_byte_on_keep_alive(void) {
  exchange x;
  static const char r1[] = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
  static const char r2[] =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 28\r\n\r\n"
      "data: a\n\ndata: b\n\ndata: c\n\n";
  /* Its body looks like a HEAD request: misframing it would misframe r2. */
  static const char post[] =
      "POST /mcp HTTP/1.1\r\nHost: a\r\nContent-Length: 19\r\n\r\nHEAD / HTTP/1.1\r\n\r\n";
  static const char get[] = "GET /mcp HTTP/1.1\r\nHost: a\r\n\r\n";
  memset(&x.origin, 0, sizeof x.origin);
  x.origin.n_responses = 3; /* the origin reads the POST body as a request */
  x.origin.responses[0] = (wire_response){{r1}, 1, 0};
  x.origin.responses[1] = (wire_response){{""}, 1, 0};
  x.origin.responses[2] = (wire_response){{r2}, 1, 0};
  x.origin.hold_ms = 2000;
  if (run_custom(&x, "cut-events=2", post, strlen(r1), 5000)) {
    end(&x);
    return;
  }
  CHECK_INT(x.trace.len, strlen(r1));
  wire_send(x.fd, get, strlen(get));
  wire_read(x.fd, &x.trace, 0, 5000);
  end(&x);
  char want_req[512];
  snprintf(want_req, sizeof want_req, "%s%s", post, get);
  CHECK_INT(x.origin.received_len, strlen(want_req));
  CHECK(!memcmp(x.origin.received, want_req, strlen(want_req)));
  /* The event count starts again with the second response. */
  size_t cut = strlen(r1) + strlen(r2) - strlen("data: c\n\n");
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.len, cut);
  CHECK(!memcmp(x.trace.bytes + strlen(r1), r2, cut - strlen(r1)));
}

static void cut_events_leaves_non_sse_responses_alone(void) {
  exchange x;
  static const char json[] =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n"
      "data: x\n\ndata: y\n\n\n\n";
  memset(&x.origin, 0, sizeof x.origin);
  x.origin.n_responses = 1;
  x.origin.responses[0] = (wire_response){{json}, 1, 0};
  run_custom(&x, "cut-events=1", request, 0, 5000);
  end(&x);
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.len, strlen(json));
  CHECK_INT(x.stats.cuts, 0);
}

static void informational_heads_are_not_rewritten(void) {
  exchange x;
  static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
  static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  memset(&x.origin, 0, sizeof x.origin);
  x.origin.n_responses = 1;
  x.origin.responses[0] = (wire_response){{cont, ok}, 2, 0};
  run_custom(&x, "set-header=X-Via:mcpwire", request, 0, 5000);
  end(&x);
  static const char want[] =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Via: mcpwire\r\n\r\nok";
  CHECK_INT(x.trace.len, strlen(want));
  CHECK(!memcmp(x.trace.bytes, want, strlen(want)));
}

static void connections_keep_their_own_state(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  sse_origin(&x.origin, 10, 0);
  x.origin.connections = 2;
  CHECK_INT(wire_origin_start(&x.origin), 0);
  proxy *px = start_proxy("slice=5:1,cut-events=3", x.origin.port);
  CHECK(px != NULL);
  if (!px) {
    wire_origin_join(&x.origin);
    return;
  }
  int a = wire_connect(proxy_port(px)), b = wire_connect(proxy_port(px));
  wire_send(a, request, strlen(request));
  wire_send(b, request, strlen(request));
  wire_trace *ta = calloc(1, sizeof *ta), *tb = calloc(1, sizeof *tb);
  wire_read(a, ta, 0, 10000);
  wire_read(b, tb, 0, 10000);
  close(a);
  close(b);
  proxy_stats st;
  proxy_get_stats(px, &st);
  proxy_stop(px);
  wire_origin_join(&x.origin);
  size_t cut = n - strlen(last_chunk) - 2; /* after event 3's blank line */
  CHECK(ta->eof && tb->eof);
  CHECK_INT(ta->len, cut);
  CHECK_INT(tb->len, cut);
  CHECK(!memcmp(ta->bytes, want, cut) && !memcmp(tb->bytes, want, cut));
  CHECK_INT(st.connections, 2);
  CHECK_INT(st.cuts, 2);
  free(ta);
  free(tb);
}

static void client_half_close_is_passed_on_and_the_response_still_arrives(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  sse_origin(&x.origin, 20, 3000);
  if (begin(&x, "pass")) {
    CHECK(!"exchange could not start");
    end(&x);
    return;
  }
  shutdown(x.fd, SHUT_WR);
  wire_read(x.fd, &x.trace, 0, 5000);
  end(&x);
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.len, n);
  CHECK(!memcmp(x.trace.bytes, want, n));
  CHECK(x.origin.peer_closed); /* the origin saw the FIN, long before its hold ran out */
}

static void slice_and_latency_combine(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  if (run_sse(&x, "slice=16:8,latency=100", 0, 0, 0, 10000))
    return;
  end(&x);
  CHECK_INT(x.trace.len, n);
  CHECK(!memcmp(x.trace.bytes, want, n));
  CHECK(x.trace.reads > 0 && x.trace.read_at[0] >= x.origin.t_first_send + 100);
  CHECK(x.trace.reads * 10 >= (n / 16) * 9);
}

static void cut_bytes_zero_closes_before_any_byte(void) {
  exchange x;
  if (run_sse(&x, "cut-bytes=0", 0, 2000, 0, 5000))
    return;
  end(&x);
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.len, 0);
  CHECK_INT(x.stats.cuts, 1);
}

static void a_cut_releases_what_buffer_held(void) {
  exchange x;
  char want[1024];
  sse_total(want);
  if (run_sse(&x, "buffer=1000,cut-bytes=100", 20, 2000, 0, 5000))
    return;
  end(&x);
  CHECK(x.trace.eof);
  CHECK_INT(x.trace.len, 100);
  CHECK(!memcmp(x.trace.bytes, want, 100));
}

static void idle_cut_counts_bytes_in_both_directions(void) {
  exchange x;
  sse_origin(&x.origin, 0, 4000);
  x.origin.responses[0].n_parts = 2; /* head and one event, then silence */
  if (begin(&x, "idle-cut=300")) {
    CHECK(!"exchange could not start");
    end(&x);
    return;
  }
  size_t got = strlen(sse_head) + strlen(chunks[0]);
  wire_read(x.fd, &x.trace, got, 5000);
  /* Client bytes every 100 ms for 900 ms keep the connection alive. */
  for (int i = 0; i < 9 && !x.trace.eof; i++) {
    wire_send(x.fd, "x", 1);
    wire_read(x.fd, &x.trace, 0, 100);
  }
  CHECK(!x.trace.eof);
  double quiet_from = wire_now_ms();
  wire_read(x.fd, &x.trace, 0, 3000);
  end(&x);
  CHECK(x.trace.eof);
  /* The last byte went out ~100 ms before quiet_from: the cut is ~200 ms after it. */
  CHECK(x.trace.t_end >= quiet_from + 150);
  CHECK_INT(x.trace.len, got);
  CHECK_INT(x.stats.idle_cuts, 1);
}

static void times_lets_a_fault_fire_only_n_times(void) {
  exchange x;
  char want[1024];
  size_t n = sse_total(want);
  sse_origin(&x.origin, 0, 0);
  x.origin.connections = 2;
  CHECK_INT(wire_origin_start(&x.origin), 0);
  proxy *px = start_proxy("cut-events=1,times=1", x.origin.port);
  CHECK(px != NULL);
  if (!px) {
    wire_origin_join(&x.origin);
    return;
  }
  wire_trace *first = calloc(1, sizeof *first), *second = calloc(1, sizeof *second);
  int a = wire_connect(proxy_port(px));
  wire_send(a, request, strlen(request));
  wire_read(a, first, 0, 5000);
  close(a);
  int b = wire_connect(proxy_port(px)); /* the reconnect: no fault left */
  wire_send(b, request, strlen(request));
  wire_read(b, second, 0, 5000);
  close(b);
  proxy_stats st;
  proxy_get_stats(px, &st);
  proxy_stop(px);
  wire_origin_join(&x.origin);
  size_t cut = strlen(sse_head) + strlen(chunks[0]) - 2;
  CHECK(first->eof && second->eof);
  CHECK_INT(first->len, cut);
  CHECK_INT(second->len, n);
  CHECK(!memcmp(second->bytes, want, n));
  CHECK_INT(st.cuts, 1);
  free(first);
  free(second);
}

int main(void) {
  make_chunks();
  pass_relays_bytes_unchanged();
  buffer_sends_nothing_until_the_response_ends();
  buffer_n_sends_once_n_bytes_are_held();
  slice_1_delivers_one_byte_per_read();
  slice_7_writes_7_byte_pieces();
  latency_delays_every_piece();
  cut_bytes_closes_after_n_bytes();
  cut_events_closes_right_after_the_nth_event();
  stall_keeps_the_connection_open_and_silent();
  reset_sends_rst_after_n_bytes();
  header_rules_rewrite_the_head_and_keep_the_body();
  stripping_transfer_encoding_reframes_the_body_by_close();
  idle_cut_closes_a_silent_connection();
  head_response_on_keep_alive_is_framed_under_buffer();
  unreachable_target_closes_the_client();
  buffer_over_its_cap_forwards_the_response_as_is();
  buffer_releases_a_close_delimited_body_at_eof();
  unframeable_response_is_relayed_raw();
  requests_reach_the_origin_byte_for_byte_on_keep_alive();
  cut_events_leaves_non_sse_responses_alone();
  informational_heads_are_not_rewritten();
  connections_keep_their_own_state();
  client_half_close_is_passed_on_and_the_response_still_arrives();
  slice_and_latency_combine();
  cut_bytes_zero_closes_before_any_byte();
  a_cut_releases_what_buffer_held();
  idle_cut_counts_bytes_in_both_directions();
  times_lets_a_fault_fire_only_n_times();
  return CHECK_DONE("proxy_modes_test");
}
