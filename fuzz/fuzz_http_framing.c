/*
 * fuzz_http_framing: the fault proxy's HTTP/1.1 message framing tracker
 * (harness/proxy/http_framing.c), one direction of a connection.
 *
 * Input: byte 0 the mode, byte 1 a parameter, byte 2 the pending requests,
 * then the bytes of the stream.
 *   mode & 1       responses (else requests)
 *   mode >> 1 & 3  0: chunks of (param % 16) + 1 bytes; 1: byte by byte;
 *                  2: pseudo-random chunks of 1..24 bytes seeded by param;
 *                  3: two pieces, cut at param * len / 256
 *   mode & 8       an empty feed before every chunk
 *   byte 2         responses: (b & 7) requests were sent before the stream,
 *                  request i a HEAD when bit 3 + i is set
 * Every chunk is fed the way the proxy feeds it: http_framing_feed again on
 * the rest after each early stop, until the chunk is used up or an error.
 *
 * Oracles (abort on failure):
 *   - the log of the split feed equals the log of one whole feed: every
 *     head (kind, status, method, body framing, Content-Length, raw bytes),
 *     the body bytes of each message joined, the stream offset of each
 *     message end, then the final status, the message count and, after an
 *     error, the stream offset where the head bytes not yet handed out
 *     begin; how bytes arrive must never change what the tracker reports;
 *   - a feed call with bytes and no error consumes at least one byte, and
 *     never more than it was given;
 *   - one call hands out head or body, never both: after on_head only an
 *     on_message_end (a message without body) may follow in that call, and
 *     nothing follows an on_message_end;
 *   - body bytes are handed out in place: inside the buffer of that call;
 *   - a message framed by Content-Length that ends has exactly that many
 *     body bytes;
 *   - the head bytes still held (http_framing_head_bytes) are the stream
 *     bytes just before the consumed offset;
 *   - http_head_next_header gives names and values inside the raw head.
 * The harness functions are left out of coverage tracing (no_coverage.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/dynbuf.h"
#include "mcpwire_limits.h"
#include "no_coverage.h"
#include "proxy/http_framing.h"

enum { SPLIT_FIXED = 0, SPLIT_BYTES = 1, SPLIT_RANDOM = 2, SPLIT_TWO = 3 };
enum { HEADER_BYTES = 3 };

/* What one run reported, as bytes that compare exactly. */
typedef struct run_log {
  dynbuf buf;
  size_t body_len_at;  /* offset of the open body record's length, or 0 */
  /* Checks within one feed call. */
  const char *call_buf;
  size_t call_len;
  int head_in_call, end_in_call;
  /* The message being read. */
  http_body_kind body;
  uint64_t content_length, body_bytes;
  int overflow;        /* the log hit its cap: compared as such */
} run_log;

static run_log whole_log, split_log;
static int logs_ready;

FUZZ_NO_COVERAGE static void die(const char *why) {
  fprintf(stderr, "ORACLE MISMATCH: %s\n", why);
  abort();
}

FUZZ_NO_COVERAGE static void put(run_log *l, const void *p, size_t n) {
  dynbuf *b = &l->buf;
  if (l->overflow)
    return;
  if (b->ptr && n < b->cap - b->len) {
    memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
  } else if (dynbuf_add(b, p, n) != DYNBUF_OK) {
    l->overflow = 1;
  }
}

FUZZ_NO_COVERAGE static void put_u64(run_log *l, uint64_t v) { put(l, &v, sizeof v); }

FUZZ_NO_COVERAGE static void put_tag(run_log *l, char tag) {
  l->body_len_at = 0;
  put(l, &tag, 1);
}

FUZZ_NO_COVERAGE static void check_headers(const http_head *h) {
  size_t pos = 0, lines = 0;
  http_header hd;
  while (http_head_next_header(h, &pos, &hd)) {
    const char *end = h->raw + h->raw_len;
    if (hd.name != h->raw + hd.line_off || hd.line_off + hd.line_len > h->raw_len ||
        hd.value < hd.name + hd.name_len || hd.value + hd.value_len > end ||
        hd.line_off + hd.line_len > pos)
      die("http_head_next_header gave a header outside the head");
    if (++lines > h->raw_len)
      die("http_head_next_header does not advance");
  }
  if (http_head_start_line_len(h) > h->raw_len)
    die("start line longer than the head");
}

FUZZ_NO_COVERAGE static void on_head(void *user, const http_head *h) {
  run_log *l = user;
  if (l->head_in_call || l->end_in_call)
    die("a second head, or a head after a message end, in one feed call");
  l->head_in_call = 1;
  check_headers(h);
  put_tag(l, 'H');
  put_u64(l, (uint64_t)h->is_response);
  put_u64(l, (uint64_t)h->status);
  put_u64(l, (uint64_t)h->body);
  put_u64(l, h->content_length);
  put_u64(l, h->method ? h->method_len : UINT64_MAX);
  if (h->method)
    put(l, h->method, h->method_len);
  put_u64(l, h->raw_len);
  put(l, h->raw, h->raw_len);
  l->body = h->body;
  l->content_length = h->content_length;
  l->body_bytes = 0;
}

FUZZ_NO_COVERAGE static void on_body(void *user, const char *data, size_t len) {
  run_log *l = user;
  if (l->head_in_call || l->end_in_call)
    die("body bytes in the same feed call as a head or after a message end");
  if (!len)
    die("on_body with no bytes");
  if (data < l->call_buf || len > l->call_len || data > l->call_buf + (l->call_len - len))
    die("body bytes not in the caller's buffer");
  l->body_bytes += len;
  if (l->overflow)
    return;
  /* Body bytes are joined into one record however they were handed out. */
  if (!l->body_len_at) {
    put_tag(l, 'B');
    size_t at = l->buf.len;
    put_u64(l, 0);
    l->body_len_at = l->overflow ? 0 : at;
  }
  put(l, data, len);
  if (l->body_len_at && !l->overflow) {
    uint64_t n;
    memcpy(&n, l->buf.ptr + l->body_len_at, sizeof n);
    n += len;
    memcpy(l->buf.ptr + l->body_len_at, &n, sizeof n);
  }
}

FUZZ_NO_COVERAGE static void on_end(void *user) {
  run_log *l = user;
  if (l->end_in_call)
    die("two message ends in one feed call");
  l->end_in_call = 1;
  if (l->body == HTTP_BODY_LENGTH && l->body_bytes != l->content_length)
    die("a Content-Length message ended with another number of body bytes");
  put_tag(l, 'E');
}

static const http_framing_callbacks callbacks = {on_head, on_body, on_end};

typedef struct split_plan {
  unsigned kind, param;
  uint32_t rng;
  int empty_feeds;
  size_t cut;
} split_plan;

FUZZ_NO_COVERAGE static size_t plan_next(split_plan *p, size_t off) {
  uint32_t x;
  switch (p->kind) {
  case SPLIT_FIXED: return (p->param % 16) + 1;
  case SPLIT_BYTES: return 1;
  case SPLIT_RANDOM:
    x = p->rng ? p->rng : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    p->rng = x;
    return (x % 24) + 1;
  default: return off < p->cut ? p->cut - off : (size_t)-1;
  }
}

/* One feed call with its checks; returns the bytes consumed. */
FUZZ_NO_COVERAGE static size_t feed_once(http_framing *f, run_log *l, const char *p,
                                         size_t n) {
  l->call_buf = p;
  l->call_len = n;
  l->head_in_call = l->end_in_call = 0;
  size_t used = http_framing_feed(f, p, n);
  if (used > n)
    die("http_framing_feed consumed more than it was given");
  return used;
}

/* Runs the stream through one tracker; plan NULL means one whole feed. */
FUZZ_NO_COVERAGE static void run(run_log *l, int is_response, uint8_t pending,
                                 const uint8_t *in, size_t len, split_plan *plan) {
  dynbuf_reset(&l->buf);
  l->body_len_at = 0;
  l->overflow = 0;
  l->body = HTTP_BODY_NONE;
  l->content_length = l->body_bytes = 0;
  http_framing f;
  http_framing_init(&f, is_response, &callbacks, l);
  if (is_response)
    for (unsigned i = 0; i < (pending & 7u); i++)
      if (http_framing_expect_response(&f, i < 5 && (pending >> (3 + i)) & 1u))
        die("expect_response failed below the pipeline cap");
  const char *s = (const char *)in;
  size_t off = 0;
  while (off < len && !http_framing_error(&f)) {
    size_t piece = plan ? plan_next(plan, off) : len;
    if (piece > len - off)
      piece = len - off;
    size_t end = off + piece;
    if (plan && plan->empty_feeds && http_framing_feed(&f, s + off, 0) != 0)
      die("an empty feed consumed bytes");
    while (off < end && !http_framing_error(&f)) {
      size_t n = feed_once(&f, l, s + off, end - off);
      off += n;
      if (l->end_in_call) {
        put_tag(l, '@');
        put_u64(l, off);
      }
      if (!n && !http_framing_error(&f))
        die("http_framing_feed consumed nothing without an error");
    }
  }
  http_framing_status st = http_framing_error(&f);
  size_t held = 0;
  const char *head = http_framing_head_bytes(&f, &held);
  if (held > off || (held && memcmp(head, s + off - held, held)))
    die("the head bytes held are not the stream bytes before the consumed offset");
  put_tag(l, 'S');
  put_u64(l, (uint64_t)st);
  if (st) {
    /* Where a relay giving up must start forwarding again. */
    put_u64(l, (uint64_t)(off - held));
  } else {
    l->head_in_call = l->end_in_call = 0;
    l->call_buf = s;
    l->call_len = 0;
    st = http_framing_finish(&f);
    put_u64(l, (uint64_t)st);
    put_u64(l, (uint64_t)l->end_in_call);
  }
  put_u64(l, http_framing_messages(&f));
  put_u64(l, (uint64_t)l->overflow);
  http_framing_free(&f);
}

/* Prints a log with bytes outside printable ASCII as \xHH. */
FUZZ_NO_COVERAGE static void print_log(const char *label, const run_log *l) {
  fprintf(stderr, "---- %s (%zu bytes%s)\n", label, l->buf.len,
          l->overflow ? ", overflowed" : "");
  size_t shown = l->buf.len < 4096 ? l->buf.len : 4096;
  for (size_t i = 0; i < shown; i++) {
    unsigned char c = (unsigned char)l->buf.ptr[i];
    if (c == '\n' || (c >= 0x20 && c < 0x7f))
      fputc(c, stderr);
    else
      fprintf(stderr, "\\x%02x", c);
  }
  fputc('\n', stderr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_NO_COVERAGE int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < HEADER_BYTES)
    return fuzz_input_too_short();
  uint8_t mode = data[0], param = data[1], pending = data[2];
  const uint8_t *in = data + HEADER_BYTES;
  size_t len = size - HEADER_BYTES;
  if (!logs_ready) {
    dynbuf_init(&whole_log.buf, MCPWIRE_FUZZ_LOG_MAX);
    dynbuf_init(&split_log.buf, MCPWIRE_FUZZ_LOG_MAX);
    logs_ready = 1;
  }
  split_plan plan = {(mode >> 1) & 3u, param, 0x2545f491u ^ param, (mode & 8) != 0,
                     (size_t)param * len / 256};
  run(&whole_log, mode & 1, pending, in, len, NULL);
  run(&split_log, mode & 1, pending, in, len, &plan);
  if (whole_log.buf.len != split_log.buf.len || whole_log.overflow != split_log.overflow ||
      (whole_log.buf.len && memcmp(whole_log.buf.ptr, split_log.buf.ptr, whole_log.buf.len))) {
    print_log("one whole feed", &whole_log);
    print_log("split feed", &split_log);
    die("split feed differs from one whole feed");
  }
  return 0;
}
