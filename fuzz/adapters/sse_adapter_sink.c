/* The sink side of the adapter ABI: reports become canonical log lines. */
#include "adapters/sse_adapter_sink.h"

void sse_sink_event(sse_sink *sink, const char *type, size_t type_len,
                    const char *data, size_t data_len, const char *last_event_id,
                    size_t last_event_id_len) {
  sse_event_log_event(&sink->log, type, type_len, data, data_len, last_event_id,
                      last_event_id_len);
}

void sse_sink_retry(sse_sink *sink, const char *digits, size_t len) {
  /* Canonical retry text has no leading zeros ("0" for zero). */
  while (len > 1 && digits[0] == '0') {
    digits++;
    len--;
  }
  sse_event_log_retry(&sink->log, digits, len);
}
