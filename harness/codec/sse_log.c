#include "codec/sse_log.h"

#include "codec/json_writer.h"
#include "mcpwire_limits.h"

void sse_log_init(sse_log *log, FILE *sink) {
  dynbuf_init(&log->out, MCPWIRE_SSE_LOG_MAX);
  log->sink = sink;
  log->failed = 0;
}

void sse_log_free(sse_log *log) { dynbuf_free(&log->out); }

int sse_log_flush(sse_log *log) {
  if (!log->sink || !log->out.len)
    return 0;
  if (fwrite(log->out.ptr, 1, log->out.len, log->sink) != log->out.len)
    log->failed = 1;
  dynbuf_reset(&log->out);
  return log->failed ? -1 : 0;
}

/* Every line ends here: record a failure, flush when enough is pending. */
static int line_done(sse_log *log, int rc) {
  if (rc == DYNBUF_OK)
    rc = dynbuf_addc(&log->out, '\n');
  if (rc != DYNBUF_OK)
    log->failed = 1;
  else if (log->out.len >= MCPWIRE_SSE_LOG_FLUSH_AT && sse_log_flush(log))
    rc = -1;
  return rc;
}

int sse_log_event(sse_log *log, const sse_event *ev) {
  dynbuf *o = &log->out;
  int rc = dynbuf_adds(o, "{\"type\":");
  if (rc == DYNBUF_OK)
    rc = json_write_string(o, ev->type, ev->type_len);
  if (rc == DYNBUF_OK)
    rc = dynbuf_adds(o, ",\"data\":");
  if (rc == DYNBUF_OK)
    rc = json_write_string(o, ev->data, ev->data_len);
  if (rc == DYNBUF_OK)
    rc = dynbuf_adds(o, ",\"lastEventId\":");
  if (rc == DYNBUF_OK)
    rc = json_write_string(o, ev->last_event_id, ev->last_event_id_len);
  if (rc == DYNBUF_OK)
    rc = dynbuf_addc(o, '}');
  return line_done(log, rc);
}

int sse_log_retry(sse_log *log, const char *digits, size_t len) {
  int rc = dynbuf_adds(&log->out, "{\"retry\":");
  if (rc == DYNBUF_OK)
    rc = dynbuf_add(&log->out, digits, len);
  if (rc == DYNBUF_OK)
    rc = dynbuf_addc(&log->out, '}');
  return line_done(log, rc);
}

int sse_log_error(sse_log *log, const char *reason) {
  int rc = dynbuf_adds(&log->out, "{\"error\":");
  if (rc == DYNBUF_OK)
    rc = json_write_cstring(&log->out, reason);
  if (rc == DYNBUF_OK)
    rc = dynbuf_addc(&log->out, '}');
  return line_done(log, rc);
}

static void on_event(void *user, const sse_event *ev) { sse_log_event(user, ev); }

static void on_retry(void *user, uint64_t ms, const char *digits, size_t len) {
  (void)ms; /* the digits are exact where ms saturates */
  sse_log_retry(user, digits, len);
}

static const sse_callbacks LOG_CALLBACKS = {on_event, on_retry, NULL};

const sse_callbacks *sse_log_callbacks(void) { return &LOG_CALLBACKS; }
