/*
 * sse_adapter_child: any C ABI adapter (sse_adapter.h) as a subprocess that
 * speaks the line protocol of sse_diff_subprocess. Built with the naive
 * adapter, it is the self-test of the subprocess path: driver and child
 * must agree on every input.
 *
 *   stdin:  <chunk> <hex>\n per input      stdout: JSON log lines, then END
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/sse_adapter_sink.h"
#include "mcpwire_limits.h"

static int hex_digit(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes hex in place; returns the byte count or -1. */
static long decode_hex(char *s, size_t len) {
  if (len % 2)
    return -1;
  for (size_t i = 0; i < len; i += 2) {
    int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0)
      return -1;
    s[i / 2] = (char)(hi * 16 + lo);
  }
  return (long)(len / 2);
}

static void answer(const unsigned char *in, size_t len, size_t chunk) {
  sse_sink sink;
  sse_event_log_init(&sink.log, SSE_LOG_JSON);
  sse_adapter *a = sse_adapter_new(&sink);
  if (!a)
    abort();
  size_t step = chunk ? chunk : (len ? len : 1);
  for (size_t off = 0; off < len; off += step)
    if (sse_adapter_feed(a, in + off, len - off < step ? len - off : step))
      break;
  sse_adapter_end(a);
  sse_adapter_free(a);
  fwrite(dynbuf_str(&sink.log.buf), 1, sink.log.buf.len, stdout);
  fputs("END\n", stdout);
  fflush(stdout);
  sse_event_log_free(&sink.log);
}

int main(void) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) >= 0) {
    if ((size_t)n > MCPWIRE_FUZZ_PROTO_LINE_MAX)
      break;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    char *space = strchr(line, ' ');
    size_t chunk = strtoul(line, NULL, 10);
    char *hex = space ? space + 1 : line + n;
    long len = decode_hex(hex, strlen(hex));
    if (len < 0) {
      fputs("{\"error\":\"bad hex\"}\nEND\n", stdout);
      fflush(stdout);
      continue;
    }
    answer((const unsigned char *)hex, (size_t)len, chunk);
  }
  free(line);
  return 0;
}
