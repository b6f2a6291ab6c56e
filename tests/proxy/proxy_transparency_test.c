/* proxy_transparency_test: modes that only shape timing never change bytes.
 * Random responses (valid, truncated, over-long, mutated, not HTTP at all)
 * go through pass, buffer, buffer=N, slice, latency, and rules or faults
 * that never match or fire; the client must get
 * exactly what the origin sent, then EOF. Random requests reach the origin
 * byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "proxy/proxy.h"
#include "wire.h"

#define INPUTS 150
#define INPUT_MAX 2048

static const char *const modes[] = {"pass", "buffer", "buffer=7", "slice=13:0", "latency=1",
                                    "buffer=100,slice=64:0,latency=1",
                                    "strip-header=X-Not-There,cut-events=1000,cut-bytes=100000"};

/* Deterministic PRNG (xorshift64*), so a failure replays. */
static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint64_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}

static size_t add(char *out, size_t len, const char *s) {
  size_t n = strlen(s);
  if (len + n >= INPUT_MAX)
    return len;
  memcpy(out + len, s, n);
  return len + n;
}

static size_t add_body(char *out, size_t len, size_t n) {
  for (size_t i = 0; i < n && len + 1 < INPUT_MAX; i++)
    out[len++] = "data: x\r\n"[rng() % 9];
  return len;
}

/* One response (or two) with framing that is right, wrong or missing. */
static size_t make_input(char *out) {
  size_t len = 0, body = rng() % 300;
  char line[64];
  int kind = (int)(rng() % 5);
  len = add(out, len, rng() % 8 ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.0 404 Not Found\n");
  len = add(out, len, "Content-Type: text/event-stream\r\n");
  if (kind == 0 || kind == 1) { /* Content-Length: exact, or off by some bytes */
    snprintf(line, sizeof line, "Content-Length: %zu\r\n\r\n", kind ? body + rng() % 20 : body);
    len = add(out, len, line);
    len = add_body(out, len, body);
  } else if (kind == 2) { /* chunked, in a few chunks */
    len = add(out, len, "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 3; i++) {
      size_t k = rng() % 40 + 1;
      snprintf(line, sizeof line, "%zx%s\r\n", k, rng() % 2 ? ";ext=1" : "");
      len = add(out, len, line);
      len = add_body(out, len, k);
      len = add(out, len, "\r\n");
    }
    len = add(out, len, rng() % 2 ? "0\r\n\r\n" : "0\r\nX-T: 1\r\n\r\n");
  } else if (kind == 3) { /* close-delimited */
    len = add(out, len, "\r\n");
    len = add_body(out, len, body);
  } else { /* not HTTP */
    len = add_body(out, len, body + 1);
  }
  if (rng() % 3 == 0) /* a second response, or trailing junk */
    len = add(out, len, "HTTP/1.1 204 No Content\r\n\r\nJUNK");
  if (len && rng() % 4 == 0)
    out[rng() % len] = (char)rng(); /* one mutated byte */
  return len;
}

static int relay_once(const char *mode, const char *in, size_t len) {
  static char input[INPUT_MAX + 1];
  memcpy(input, in, len);
  input[len] = '\0';
  size_t sent_len = strlen(input); /* the origin sends C strings: stop at a NUL */
  wire_origin *o = calloc(1, sizeof *o);
  wire_trace *t = calloc(1, sizeof *t);
  o->n_responses = 1;
  o->responses[0] = (wire_response){{input}, 1, 0};
  proxy *px = NULL;
  proxy_config cfg;
  char err[256];
  proxy_config_init(&cfg);
  strcpy(cfg.target_host, "127.0.0.1");
  int ok = !wire_origin_start(o);
  cfg.target_port = o->port;
  ok = ok && !proxy_config_parse(&cfg, mode, err, sizeof err) &&
       (px = proxy_start(&cfg, err, sizeof err)) != NULL;
  int fd = ok ? wire_connect(proxy_port(px)) : -1;
  if (fd >= 0) {
    wire_send(fd, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27);
    wire_read(fd, t, 0, 5000);
    close(fd);
  }
  if (px)
    proxy_stop(px);
  wire_origin_join(o);
  int same = fd >= 0 && t->eof && t->len == sent_len && !memcmp(t->bytes, input, sent_len);
  if (!same)
    fprintf(stderr, "mode %s: sent %zu bytes, got %zu (eof %d)\n", mode, sent_len, t->len, t->eof);
  free(o);
  free(t);
  return same;
}

static void shaping_modes_deliver_exactly_the_origin_bytes(void) {
  char in[INPUT_MAX];
  for (int i = 0; i < INPUTS; i++) {
    size_t len = make_input(in);
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++)
      if (!relay_once(modes[m], in, len)) {
        fprintf(stderr, "input %d differs under %s\n", i, modes[m]);
        check_failures++;
      }
  }
}

/* A request: head, maybe a body, maybe mutated; no blank line inside
 * (the origin reads up to the first one), one at the end. */
static size_t make_request(char *out) {
  static const char *const heads[] = {
      "POST /mcp HTTP/1.1\r\nContent-Length: 5\r\nHost: a",
      "POST /mcp HTTP/1.1\r\nTransfer-Encoding: chunked\r\nHost: a",
      "GET /mcp HTTP/1.1\r\nAccept: text/event-stream\r\nLast-Event-ID: 7",
      "HEAD / HTTP/1.0", "DELETE /mcp HTTP/1.1\r\nMcp-Session-Id: abc", "garbage"};
  size_t len = add(out, 0, heads[rng() % (sizeof heads / sizeof *heads)]);
  size_t extra = rng() % 100;
  for (size_t i = 0; i < extra && len + 1 < INPUT_MAX - 8; i++)
    out[len++] = "ab{}\":,\r\n"[rng() % 10];
  if (len && rng() % 4 == 0)
    out[rng() % len] = (char)(rng() % 255 + 1);
  for (size_t i = 3; i < len; i++) /* no blank line before the end */
    if (out[i] == '\n' && (out[i - 1] == '\n' || (out[i - 1] == '\r' && out[i - 2] == '\n')))
      out[i] = 'n';
  if (out[len - 1] == '\r' || out[len - 1] == '\n')
    out[len++] = 'x'; /* or the terminator would make an earlier blank line */
  return add(out, len, "\r\n\r\n");
}

static int request_once(const char *mode, const char *req, size_t len) {
  static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  wire_origin *o = calloc(1, sizeof *o);
  wire_trace *t = calloc(1, sizeof *t);
  o->n_responses = 1;
  o->responses[0] = (wire_response){{resp}, 1, 0};
  proxy *px = NULL;
  proxy_config cfg;
  char err[256];
  proxy_config_init(&cfg);
  strcpy(cfg.target_host, "127.0.0.1");
  int ok = !wire_origin_start(o);
  cfg.target_port = o->port;
  ok = ok && !proxy_config_parse(&cfg, mode, err, sizeof err) &&
       (px = proxy_start(&cfg, err, sizeof err)) != NULL;
  int fd = ok ? wire_connect(proxy_port(px)) : -1;
  if (fd >= 0) {
    wire_send(fd, req, len);
    wire_read(fd, t, 0, 5000);
    close(fd);
  }
  if (px)
    proxy_stop(px);
  wire_origin_join(o);
  int same = fd >= 0 && o->received_len == len && !memcmp(o->received, req, len);
  if (!same)
    fprintf(stderr, "mode %s: sent %zu request bytes, origin got %zu\n", mode, len,
            o->received_len);
  free(o);
  free(t);
  return same;
}

static void requests_reach_the_origin_unchanged(void) {
  char req[INPUT_MAX];
  for (int i = 0; i < INPUTS; i++) {
    size_t len = make_request(req);
    if (!request_once(i % 2 ? "pass" : "cut-events=1,set-header=X-A:1,buffer", req, len)) {
      fprintf(stderr, "request %d differs\n", i);
      check_failures++;
    }
  }
}

int main(void) {
  shaping_modes_deliver_exactly_the_origin_bytes();
  requests_reach_the_origin_unchanged();
  return CHECK_DONE("proxy_transparency_test");
}
