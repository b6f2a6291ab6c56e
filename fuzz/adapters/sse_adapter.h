/*
 * sse_adapter: the C ABI a third-party SSE parser implements to be fuzzed
 * differentially against mcpwire's reference parser (fuzz_sse_diff).
 *
 * An adapter wraps one parser. The differential target creates it, feeds it
 * a stream in chunks, ends the stream and frees it. Whenever the wrapped
 * parser dispatches an event or accepts a `retry`, the adapter reports it to
 * the sink it was given with sse_sink_event() / sse_sink_retry(); the sink
 * turns the reports into the canonical log (one JSON line per event or
 * retry, see fuzz/sse_event_log.h), which is compared with ours.
 *
 * Rules for an adapter:
 *   - report what the wrapped parser gives its user, unchanged: the event
 *     type as dispatched (an empty type means the parser left it empty; a
 *     WHATWG parser says "message"), the data, the last event ID string at
 *     dispatch (track it in the adapter if the parser only reports per-event
 *     ids), and each accepted retry as the decimal text of its value;
 *   - bytes in, bytes out: if the parser decodes UTF-8, report its strings
 *     re-encoded as UTF-8 (the canonical log replaces invalid bytes with
 *     U+FFFD on both sides, so decoding differences vanish);
 *   - no I/O, no global state shared between instances, bounded memory.
 * Link exactly one adapter into fuzz_sse_diff (see fuzz/CMakeLists.txt).
 */
#ifndef MCPWIRE_FUZZ_SSE_ADAPTER_H
#define MCPWIRE_FUZZ_SSE_ADAPTER_H

#include <stddef.h>

/* ---- provided by mcpwire (fuzz/adapters/sse_adapter_sink.c) ---- */
typedef struct sse_sink sse_sink;
void sse_sink_event(sse_sink *sink, const char *type, size_t type_len,
                    const char *data, size_t data_len, const char *last_event_id,
                    size_t last_event_id_len);
/* `digits`: decimal value, leading zeros allowed (they are removed). */
void sse_sink_retry(sse_sink *sink, const char *digits, size_t len);

/* ---- implemented by the adapter ---- */
typedef struct sse_adapter sse_adapter;

/* A short name for reports, e.g. "naive-reference" or "my-parser 1.2". */
const char *sse_adapter_name(void);
/* A parser at the start of a stream; NULL when out of memory. */
sse_adapter *sse_adapter_new(sse_sink *sink);
/* Bytes of the stream, in order; chunks may split anything (a CRLF, a BOM,
 * a UTF-8 sequence). Returns 0, or -1 when the parser gave up (the
 * differential target then compares only what was reported so far). */
int sse_adapter_feed(sse_adapter *a, const unsigned char *buf, size_t len);
/* End of stream (the connection closed). */
void sse_adapter_end(sse_adapter *a);
void sse_adapter_free(sse_adapter *a);

#endif
