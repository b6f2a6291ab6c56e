/*
 * fuzz_sse_diff: a third-party SSE parser (an adapter, adapters/sse_adapter.h)
 * against mcpwire's reference parser.
 *
 * Input: byte 0 sets the adapter's chunk size ((b % 32) + 1, 0 for one
 * whole feed); the rest is the stream. Our parser takes the stream whole,
 * the adapter in chunks; both canonical logs (JSON lines, SSE_LOG_JSON)
 * must be equal, else abort with both logs. The shipped adapter is
 * naive_sse_adapter.c; link another one instead to fuzz that parser.
 * The adapter is traced for coverage, this harness is not (no_coverage.h),
 * and the two logs are allocated once per process.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "adapters/sse_adapter_sink.h"
#include "codec/sse.h"
#include "no_coverage.h"
#include "sse_event_log.h"

FUZZ_NO_COVERAGE static int reference_log(sse_event_log *log, const uint8_t *buf, size_t len) {
  sse_parser *p = sse_parser_new(&sse_event_log_callbacks, log, 0, 0);
  if (!p)
    abort();
  sse_feed(p, buf, len);
  sse_finish(p);
  int ok = sse_error(p) == SSE_OK;
  sse_parser_free(p);
  return ok;
}

/* Returns 0 when the adapter gave up (its log is then a prefix at best). */
FUZZ_NO_COVERAGE static int adapter_log(sse_sink *sink, const uint8_t *buf, size_t len, size_t chunk) {
  sse_adapter *a = sse_adapter_new(sink);
  if (!a)
    abort();
  int ok = 1;
  for (size_t off = 0; off < len && ok; off += chunk) {
    size_t n = len - off < chunk ? len - off : chunk;
    ok = sse_adapter_feed(a, buf + off, n) == 0;
  }
  sse_adapter_end(a);
  sse_adapter_free(a);
  return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sse_event_log ours;
static sse_sink theirs;
static int logs_ready;

FUZZ_NO_COVERAGE int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  size_t chunk = data[0] ? (size_t)(data[0] % 32) + 1 : size;
  const uint8_t *stream = data + 1;
  size_t len = size - 1;
  if (!logs_ready) {
    sse_event_log_init(&ours, SSE_LOG_JSON);
    sse_event_log_init(&theirs.log, SSE_LOG_JSON);
    logs_ready = 1;
  }
  sse_event_log_reset(&ours);
  sse_event_log_reset(&theirs.log);
  int ours_ok = reference_log(&ours, stream, len);
  int theirs_ok = adapter_log(&theirs, stream, len, chunk ? chunk : 1);
  if (ours_ok && theirs_ok && !sse_event_log_equal(&ours, &theirs.log)) {
    fprintf(stderr, "adapter: %s\n", sse_adapter_name());
    sse_event_log_die("third-party parser disagrees with mcpwire", &ours, &theirs.log);
  }
  return 0;
}
