/* sse_adapter_sink: the sink behind the adapter ABI (fuzz_sse_diff only). */
#ifndef MCPWIRE_FUZZ_SSE_ADAPTER_SINK_H
#define MCPWIRE_FUZZ_SSE_ADAPTER_SINK_H

#include "adapters/sse_adapter.h"
#include "sse_event_log.h"

struct sse_sink {
  sse_event_log log; /* SSE_LOG_JSON */
};

#endif
