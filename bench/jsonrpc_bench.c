/* jsonrpc_bench: throughput of jsonrpc_parse (strict scan + cJSON tree +
 * classification) on typical MCP bodies. Not run by CTest.
 * usage: jsonrpc_bench [SECONDS_PER_WORKLOAD]  (default 0.5) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/dynbuf.h"
#include "codec/jsonrpc.h"
#include "mcpwire_limits.h"

/* Each workload runs until its time is up or this many parses. */
#define RUNS_MAX 10000000L

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(const char *name, const dynbuf *body, double seconds) {
  jsonrpc_msg *check = jsonrpc_parse(body->ptr, body->len);
  int valid = jsonrpc_is_valid(check);
  jsonrpc_free(check);
  long n = 0;
  double start = now(), elapsed = 0;
  while (n < RUNS_MAX && elapsed < seconds) {
    for (int k = 0; k < 16; k++, n++)
      jsonrpc_free(jsonrpc_parse(body->ptr, body->len));
    elapsed = now() - start;
  }
  printf("%-28s %9zu bytes %s %11.0f parses/s %9.1f MB/s\n", name, body->len,
         valid ? "valid  " : "INVALID", (double)n / elapsed,
         (double)n * (double)body->len / elapsed / 1e6);
}

static void ping(dynbuf *b) { dynbuf_adds(b, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"); }

static void tools_list(dynbuf *b) {
  dynbuf_adds(b, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[");
  for (int i = 0; i < 40; i++)
    dynbuf_printf(b, "%s{\"name\":\"tool_%d\",\"description\":\"Does thing %d with care\","
                     "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":"
                     "\"number\"},\"y\":{\"type\":\"string\"}},\"required\":[\"x\"]}}",
                  i ? "," : "", i, i);
  dynbuf_adds(b, "]}}");
}

/* A tool result carrying an image: one long base64 string. */
static void image_result(dynbuf *b) {
  dynbuf_adds(b, "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"content\":[{\"type\":\"image\","
                 "\"mimeType\":\"image/png\",\"data\":\"");
  for (int i = 0; i < 1 << 20; i++)
    dynbuf_addc(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i & 63]);
  dynbuf_adds(b, "\"}]}}");
}

/* Many small values: the scanner's per-token cost. */
static void number_table(dynbuf *b) {
  dynbuf_adds(b, "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"rows\":[");
  for (int i = 0; i < 20000; i++)
    dynbuf_printf(b, "%s{\"i\":%d,\"v\":%d.%d,\"ok\":%s}", i ? "," : "", i, i * 7, i % 10,
                  i & 1 ? "true" : "false");
  dynbuf_adds(b, "]}}");
}

static void batch(dynbuf *b) {
  dynbuf_addc(b, '[');
  for (int i = 0; i < 100; i++)
    dynbuf_printf(b, "%s{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":"
                     "{\"name\":\"echo\",\"arguments\":{\"text\":\"hello \\u00e9 %d\"}}}",
                  i ? "," : "", i, i);
  dynbuf_addc(b, ']');
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 0.5;
  if (seconds <= 0 || seconds > 60)
    seconds = 0.5;
  struct {
    const char *name;
    void (*make)(dynbuf *);
  } w[] = {{"ping request", ping},          {"tools/list result (40)", tools_list},
           {"1 MiB base64 image result", image_result}, {"20k-row number table", number_table},
           {"batch of 100 tools/call", batch}};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
    dynbuf b;
    dynbuf_init(&b, MCPWIRE_JSON_BODY_MAX);
    w[i].make(&b);
    run(w[i].name, &b, seconds);
    dynbuf_free(&b);
  }
  return 0;
}
