/* http_framing_test: the HTTP/1.1 framing tracker on vectors, each fed whole,
 * byte by byte and split at every offset; all feeds must give the same log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* ---- allocation counter (linked with -Wl,--wrap=malloc,realloc,calloc) ---- */
static size_t allocations;
void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void *__real_calloc(size_t a, size_t b);
void *__wrap_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_malloc(size_t n) {
  allocations++;
  return __real_malloc(n);
}
void *__wrap_realloc(void *p, size_t n) {
  allocations++;
  return __real_realloc(p, n);
}
void *__wrap_calloc(size_t a, size_t b) {
  allocations++;
  return __real_calloc(a, b);
}
#include "codec/dynbuf.h"
#include "proxy/http_framing.h"

/* The log: one line per head and per message end (with the input offset
 * where the feed stopped), body bytes joined between them. */
typedef struct recorder {
  dynbuf log;
  dynbuf body;
  int message_ended;
} recorder;

static void flush_body(recorder *r) {
  if (r->body.len) {
    dynbuf_printf(&r->log, "body[%zu]=%s\n", r->body.len, dynbuf_str(&r->body));
    dynbuf_reset(&r->body);
  }
}

static const char *body_name(http_body_kind k) {
  static const char *const names[] = {"none", "length", "chunked", "close", "tunnel"};
  return names[k];
}

static void on_head(void *user, const http_head *h) {
  recorder *r = user;
  flush_body(r);
  if (h->is_response)
    dynbuf_printf(&r->log, "head status=%d body=%s", h->status, body_name(h->body));
  else
    dynbuf_printf(&r->log, "head method=%.*s body=%s", (int)h->method_len, h->method,
                  body_name(h->body));
  if (h->body == HTTP_BODY_LENGTH)
    dynbuf_printf(&r->log, " length=%llu", (unsigned long long)h->content_length);
  dynbuf_printf(&r->log, " raw=%zu\n", h->raw_len);
}

static void on_body(void *user, const char *data, size_t len) {
  recorder *r = user;
  dynbuf_add(&r->body, data, len);
}

static void on_end(void *user) {
  recorder *r = user;
  flush_body(r);
  r->message_ended = 1;
}

static const http_framing_callbacks callbacks = {on_head, on_body, on_end};

/* Feeds `in` in pieces of at most `step` bytes (first piece `first` bytes
 * when nonzero), looping on early stops; returns the log. */
static char *run(int is_response, const char *heads, const char *in, size_t len,
                 size_t first, size_t step) {
  recorder r;
  dynbuf_init(&r.log, 1u << 20);
  dynbuf_init(&r.body, 1u << 20);
  r.message_ended = 0;
  http_framing f;
  http_framing_init(&f, is_response, &callbacks, &r);
  for (const char *h = heads; h && *h; h++)
    http_framing_expect_response(&f, *h == 'H');
  size_t off = 0;
  while (off < len && !http_framing_error(&f)) {
    size_t piece = first && off == 0 ? first : step;
    if (piece > len - off)
      piece = len - off;
    size_t end = off + piece;
    while (off < end && !http_framing_error(&f)) {
      size_t n = http_framing_feed(&f, in + off, end - off);
      off += n;
      if (r.message_ended) {
        dynbuf_printf(&r.log, "end@%zu\n", off);
        r.message_ended = 0;
      }
      if (!n)
        break;
    }
  }
  http_framing_status st = http_framing_error(&f) ? http_framing_error(&f)
                                                  : http_framing_finish(&f);
  if (r.message_ended)
    dynbuf_printf(&r.log, "end@eof\n");
  flush_body(&r);
  dynbuf_printf(&r.log, "status=%s\n", http_framing_status_text(st));
  http_framing_free(&f);
  dynbuf_free(&r.body);
  return dynbuf_take(&r.log);
}

/* Whole, byte by byte, and every two-piece split give the expected log. */
static void check_vector(const char *name, int is_response, const char *heads, const char *in,
                         const char *want) {
  size_t len = strlen(in);
  char *whole = run(is_response, heads, in, len, 0, len ? len : 1);
  if (strcmp(whole, want)) {
    fprintf(stderr, "%s: whole feed\n--- got\n%s--- want\n%s", name, whole, want);
    check_failures++;
  }
  char *bytewise = run(is_response, heads, in, len, 0, 1);
  CHECK_STR(bytewise, want);
  for (size_t cut = 1; cut < len; cut++) {
    char *split = run(is_response, heads, in, len, cut, len);
    if (strcmp(split, want)) {
      fprintf(stderr, "%s: split at %zu differs:\n%s", name, cut, split);
      check_failures++;
    }
    free(split);
  }
  free(whole);
  free(bytewise);
}

static void framing_content_length_response(void) {
  check_vector("content-length", 1, NULL,
               "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
               "head status=200 body=length length=5 raw=38\nbody[5]=hello\nend@43\nstatus=ok\n");
}

static void framing_chunked_with_extensions_and_trailers(void) {
  check_vector("chunked", 1, NULL,
               "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
               "5;name=\"x;y\"\r\nhello\r\n"
               "A \r\n, world!!!\r\n"
               "0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n",
               "head status=200 body=chunked raw=53\nbody[15]=hello, world!!!\n"
               "end@121\nstatus=ok\n");
}

static void framing_chunked_sse_keeps_data_split_across_chunks(void) {
  check_vector("chunked-sse", 1, NULL,
               "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
               "Transfer-Encoding: chunked\r\n\r\n"
               "7\r\ndata: a\r\n3\r\n\n\nd\r\n0\r\n\r\n",
               "head status=200 body=chunked raw=80\nbody[10]=data: a\n\nd\nend@105\nstatus=ok\n");
}

static void framing_close_delimited_ends_at_eof(void) {
  check_vector("close-delimited", 1, NULL, "HTTP/1.1 200 OK\r\nX: y\r\n\r\nuntil eof",
               "head status=200 body=close raw=25\nbody[9]=until eof\nend@eof\nstatus=ok\n");
  check_vector("te-not-chunked", 1, NULL,
               "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nabc",
               "head status=200 body=close raw=63\nbody[3]=abc\nend@eof\nstatus=ok\n");
}

static void framing_no_body_for_204_304_1xx_and_head(void) {
  check_vector("204-304", 1, NULL,
               "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n"
               "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"
               "HTTP/1.1 100 Continue\r\n\r\n"
               "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz",
               "head status=204 body=none raw=47\nend@47\n"
               "head status=304 body=none raw=57\nend@104\n"
               "head status=100 body=none raw=25\nend@129\n"
               "head status=200 body=length length=1 raw=38\nbody[1]=z\nend@168\nstatus=ok\n");
  /* The first response answers a HEAD: its Content-Length has no body. */
  check_vector("head-request", 1, "HG",
               "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n"
               "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
               "head status=200 body=none raw=38\nend@38\n"
               "head status=200 body=length length=2 raw=38\nbody[2]=ok\nend@78\nstatus=ok\n");
}

static void framing_keep_alive_sequence_of_requests(void) {
  check_vector("requests", 0, NULL,
               "\r\nGET /mcp HTTP/1.1\r\nHost: a\r\n\r\n"
               "POST /mcp HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"
               "POST /mcp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n"
               "DELETE /mcp HTTP/1.0\n\n",
               "head method=GET body=none raw=30\nend@32\n"
               "head method=POST body=length length=2 raw=41\nbody[2]={}\nend@75\n"
               "head method=POST body=chunked raw=50\nbody[2]=[]\nend@137\n"
               "head method=DELETE body=none raw=22\nend@159\nstatus=ok\n");
}

static void framing_101_becomes_a_tunnel(void) {
  check_vector("upgrade", 1, NULL,
               "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n\x01\x02HTTP/1.1",
               "head status=101 body=tunnel raw=48\nbody[10]=\x01\x02HTTP/1.1\nend@eof\nstatus=ok\n");
}

static void framing_rejects_malformed_input(void) {
  check_vector("bad-status", 1, NULL, "HTTP/1.1 20 OK\r\n\r\n", "status=bad start line\n");
  check_vector("bad-cl", 1, NULL, "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
               "status=bad Content-Length\n");
  check_vector("cl-disagree", 1, NULL,
               "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
               "status=bad Content-Length\n");
  check_vector("cl-list-agrees", 1, NULL, "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab",
               "head status=200 body=length length=2 raw=41\nbody[2]=ab\nend@43\nstatus=ok\n");
  check_vector("bad-chunk", 1, NULL,
               "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
               "head status=200 body=chunked raw=47\nstatus=bad chunk framing\n");
  check_vector("chunk-no-crlf", 1, NULL,
               "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab",
               "head status=200 body=chunked raw=47\nbody[1]=a\nstatus=bad chunk framing\n");
  check_vector("request-te-gzip", 0, NULL,
               "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
               "status=request transfer coding is not chunked\n");
  check_vector("header-no-colon", 1, NULL, "HTTP/1.1 200 OK\r\nbroken\r\n\r\n",
               "status=bad header line\n");
  check_vector("truncated-length", 1, NULL, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab",
               "head status=200 body=length length=9 raw=38\nbody[2]=ab\nstatus=truncated message\n");
  check_vector("truncated-head", 1, NULL, "HTTP/1.1 200 OK\r\nX: 1\r\n",
               "status=truncated message\n");
  check_vector("empty", 1, NULL, "", "status=ok\n");
}

static void framing_caps_head_and_chunk_line(void) {
  size_t n = MCPWIRE_PROXY_HEAD_MAX + 100;
  char *big = malloc(n + 1);
  memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
  memset(big + 20, 'a', n - 20);
  big[n] = '\0';
  char *log = run(1, NULL, big, n, 0, 4096);
  CHECK_STR(log, "status=head too large\n");
  free(log);
  free(big);
  const char *prefix = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;";
  n = strlen(prefix) + MCPWIRE_PROXY_CHUNK_LINE_MAX + 10;
  big = malloc(n + 1);
  strcpy(big, prefix);
  memset(big + strlen(prefix), 'e', n - strlen(prefix));
  big[n] = '\0';
  log = run(1, NULL, big, n, 0, n);
  CHECK_STR(log, "head status=200 body=chunked raw=47\nstatus=chunk line too long\n");
  free(log);
  free(big);
}

static void framing_pipeline_is_capped(void) {
  http_framing f;
  http_framing_init(&f, 1, &callbacks, NULL);
  for (int i = 0; i < MCPWIRE_PROXY_PIPELINE_MAX; i++)
    CHECK_INT(http_framing_expect_response(&f, 0), HTTP_FRAMING_OK);
  CHECK_INT(http_framing_expect_response(&f, 0), HTTP_FRAMING_ERR_PIPELINE_FULL);
  http_framing_free(&f);
}

static void head_helpers_iterate_headers(void) {
  const char raw[] = "HTTP/1.1 200 OK\r\nA:  one \r\nB-Two:\r\n folded\r\nc:3\r\n\r\n";
  http_head h = {.raw = raw, .raw_len = sizeof raw - 1, .is_response = 1};
  CHECK_INT(http_head_start_line_len(&h), 17);
  size_t pos = 0;
  http_header hd;
  CHECK(http_head_next_header(&h, &pos, &hd) && http_header_name_is(&hd, "a") &&
        hd.value_len == 3 && !memcmp(hd.value, "one", 3) && hd.line_off == 17);
  CHECK(http_head_next_header(&h, &pos, &hd) && http_header_name_is(&hd, "B-TWO") &&
        hd.value_len == 0);
  CHECK(http_head_next_header(&h, &pos, &hd) && http_header_name_is(&hd, "C") &&
        hd.value_len == 1 && hd.line_len == 5);
  CHECK(!http_head_next_header(&h, &pos, &hd));
}

static void count_end(void *user) { (*(size_t *)user)++; }
static void ignore_head(void *user, const http_head *h) { (void)user, (void)h; }

static void framing_allocates_nothing_per_byte_or_message_once_warm(void) {
  static const char stream[] =
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Longer-Header: 0123456789\r\n\r\n"
      "3;e=1\r\nabc\r\n0\r\nT: 1\r\n\r\n"
      "HTTP/1.1 204 No Content\r\n\r\n";
  static const http_framing_callbacks cb = {ignore_head, NULL, count_end};
  size_t ends = 0;
  http_framing f;
  http_framing_init(&f, 1, &cb, &ends);
  size_t len = sizeof stream - 1;
  for (size_t off = 0; off < len;) /* warm-up: the head buffer grows once */
    off += http_framing_feed(&f, stream + off, len - off);
  size_t before = allocations;
  for (int round = 0; round < 1000; round++)
    for (size_t off = 0; off < len;) /* byte by byte */
      off += http_framing_feed(&f, stream + off, 1);
  CHECK_INT(allocations - before, 0);
  CHECK_INT(ends, 3 * 1001);
  CHECK_INT(http_framing_error(&f), HTTP_FRAMING_OK);
  http_framing_free(&f);
}

/* Deterministic PRNG (xorshift64*), so a failure replays. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}

/* Random messages and mutations: any three-piece split gives the same log as
 * one whole feed (the tracker's result never depends on how bytes arrive). */
static void framing_random_inputs_agree_across_splits(void) {
  static const char *const pieces[] = {
      "HTTP/1.1 200 OK\r\n", "HTTP/1.0 404 Nope\n", "HTTP/1.1 101 Up\r\n",
      "HTTP/1.1 204 X\r\n", "Content-Length: 4\r\n", "Content-Length: 4, 4\r\n",
      "Transfer-Encoding: chunked\r\n", "X: y\r\n", " folded\r\n", "\r\n", "\n",
      "4\r\n", "4;x=\"y\"\r\n", "data", "\r\n0\r\n\r\n", "0\r\nT: v\r\n\r\n", "zz"};
  char in[512];
  for (int n = 0; n < 3000; n++) {
    size_t len = 0;
    int parts = 1 + (int)(rng() % 12);
    for (int i = 0; i < parts; i++) {
      const char *p = pieces[rng() % (sizeof pieces / sizeof *pieces)];
      size_t k = strlen(p);
      if (len + k >= sizeof in)
        break;
      memcpy(in + len, p, k);
      len += k;
    }
    if (len && rng() % 4 == 0)
      in[rng() % len] = (char)rng(); /* one mutated byte */
    int is_response = (int)(rng() % 4 != 0);
    char *whole = run(is_response, NULL, in, len, 0, len ? len : 1);
    size_t a = len ? rng() % (len + 1) : 0, b = len ? rng() % (len + 1) : 0;
    char *split = run(is_response, NULL, in, len, a ? a : 1, b ? b : 1);
    if (strcmp(whole, split)) {
      fprintf(stderr, "random input %d differs (splits %zu, %zu):\n%s---\n%s", n, a, b, whole,
              split);
      check_failures++;
    }
    free(whole);
    free(split);
  }
}

int main(void) {
  framing_content_length_response();
  framing_chunked_with_extensions_and_trailers();
  framing_chunked_sse_keeps_data_split_across_chunks();
  framing_close_delimited_ends_at_eof();
  framing_no_body_for_204_304_1xx_and_head();
  framing_keep_alive_sequence_of_requests();
  framing_101_becomes_a_tunnel();
  framing_rejects_malformed_input();
  framing_caps_head_and_chunk_line();
  framing_pipeline_is_capped();
  head_helpers_iterate_headers();
  framing_allocates_nothing_per_byte_or_message_once_warm();
  framing_random_inputs_agree_across_splits();
  return CHECK_DONE("http_framing_test");
}
