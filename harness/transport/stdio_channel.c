/*
 * stdio_channel.c: JSON-RPC lines over a child's pipes (contract in
 * stdio_channel.h).
 *
 * Stdout bytes go through the line codec; each line it reports is parsed,
 * logged and queued at once, so the transcript keeps wire order. The
 * queue is filled only when the caller has taken every line, so it holds
 * at most what one read chunk makes (MCPWIRE_STDIO_QUEUE_MAX).
 */
#include "transport/stdio_channel.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcpwire_limits.h"

/* Bytes of one line or stderr chunk shown in the transcript; the rest is counted. */
#define TRANSCRIPT_SHOW_BYTES (16u * 1024)

struct stdio_channel {
  stdio_process *proc;
  transcript *log;
  line_reader *reader;
  stdio_line *queue;       /* lines read, not yet taken: [head, len) */
  size_t head, len, cap;
  stdio_line *collected;
  size_t ncollected, collected_cap, collected_dropped;
  uint64_t sent_lines, stderr_bytes;
  int eof;                 /* stdout ended and line_finish ran */
  int failed;
  char error[300];
};

/* ---- lines ---- */

void stdio_line_free(stdio_line *l) {
  if (!l)
    return;
  jsonrpc_free(l->msg);
  free(l->bytes);
  memset(l, 0, sizeof *l);
}

const char *stdio_line_kind_name(stdio_line_kind k) {
  switch (k) {
  case STDIO_LINE_MESSAGE: return "message";
  case STDIO_LINE_NOT_MESSAGE: return "not-a-message";
  case STDIO_LINE_TOO_LONG: return "too-long";
  }
  return "?";
}

static void fail(stdio_channel *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The first ERROR's reason stays; it is logged once. */
static void fail(stdio_channel *c, const char *fmt, ...) {
  if (c->failed)
    return;
  c->failed = 1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->error, sizeof c->error, fmt, ap);
  va_end(ap);
  transcript_addf(c->log, "stdio ! %s", c->error);
}

/* Why a parsed line is no JSON-RPC message; "" when it is one. */
static void classify(stdio_line *l) {
  jsonrpc_kind k = jsonrpc_apparent_kind(l->msg);
  if (jsonrpc_is_json(l->msg) && k != JSONRPC_INVALID) {
    l->kind = STDIO_LINE_MESSAGE;
    return;
  }
  l->kind = STDIO_LINE_NOT_MESSAGE;
  const jsonrpc_problem *p = jsonrpc_problem_at(l->msg, 0);
  if (!l->len)
    snprintf(l->why, sizeof l->why, "an empty line");
  else if (jsonrpc_is_json(l->msg))
    snprintf(l->why, sizeof l->why, "JSON, but no JSON-RPC message%s%s",
             p ? ": " : "", p ? p->reason : "");
  else
    snprintf(l->why, sizeof l->why, "not JSON: %s, %s", p ? p->rule : "RFC8259",
             p ? p->reason : "unreadable");
}

/* Copies what the codec reported into l; -1 when out of memory. */
static int line_from_event(stdio_line *l, const line_event *ev) {
  memset(l, 0, sizeof *l);
  l->end = ev->end;
  l->number = ev->number;
  l->bom = ev->bom;
  l->lone_cr = ev->lone_cr;
  l->first_nul = ev->first_nul;
  l->first_bad_utf8 = ev->first_bad_utf8;
  if (ev->end == LINE_TOO_LONG) {
    l->kind = STDIO_LINE_TOO_LONG;
    return 0;
  }
  l->bytes = malloc(ev->len + 1);
  if (!l->bytes)
    return -1;
  memcpy(l->bytes, ev->data ? ev->data : "", ev->len);
  l->bytes[ev->len] = '\0';
  l->len = ev->len;
  l->msg = jsonrpc_parse(l->bytes, l->len);
  if (!l->msg)
    return -1;
  classify(l);
  return 0;
}

/* One transcript line per stdout line: number, end, oddities, then the bytes. */
static void log_line(stdio_channel *c, const stdio_line *l) {
  if (l->kind == STDIO_LINE_TOO_LONG) {
    transcript_addf(c->log, "stdio < line %llu: longer than MCPWIRE_STDIO_LINE_MAX (%u bytes), "
                    "dropped up to its LF", (unsigned long long)l->number,
                    (unsigned)MCPWIRE_STDIO_LINE_MAX);
    return;
  }
  char prefix[512];
  int n = snprintf(prefix, sizeof prefix, "stdio < line %llu (%s%s",
                   (unsigned long long)l->number, line_end_name(l->end), l->bom ? ", BOM" : "");
  if (l->lone_cr && n > 0 && (size_t)n < sizeof prefix)
    n += snprintf(prefix + n, sizeof prefix - (size_t)n, ", %zu lone CR", l->lone_cr);
  if (l->first_nul >= 0 && n > 0 && (size_t)n < sizeof prefix)
    n += snprintf(prefix + n, sizeof prefix - (size_t)n, ", NUL at %lld",
                  (long long)l->first_nul);
  if (l->first_bad_utf8 >= 0 && n > 0 && (size_t)n < sizeof prefix)
    n += snprintf(prefix + n, sizeof prefix - (size_t)n, ", bad UTF-8 at %lld",
                  (long long)l->first_bad_utf8);
  if (n > 0 && (size_t)n < sizeof prefix)
    snprintf(prefix + n, sizeof prefix - (size_t)n, "%s%.240s): ",
             l->kind == STDIO_LINE_NOT_MESSAGE ? ") not a JSON-RPC message (" : "",
             l->kind == STDIO_LINE_NOT_MESSAGE ? l->why : "");
  transcript_add_bytes(c->log, prefix, l->bytes, l->len, TRANSCRIPT_SHOW_BYTES);
}

/* Hands a received message to the transcript's observer (the envelope check). */
static void deliver(stdio_channel *c, const stdio_line *l) {
  if (l->kind != STDIO_LINE_MESSAGE || !c->log->on_message)
    return;
  char where[64];
  snprintf(where, sizeof where, "stdio stdout line %llu", (unsigned long long)l->number);
  c->log->on_message(c->log->on_message_user, 0, where, 0, l->bytes, l->len);
}

/* Appends to the queue, growing it geometrically up to its cap. */
static int enqueue(stdio_channel *c, stdio_line *l) {
  if (c->len == c->cap) {
    if (c->cap >= MCPWIRE_STDIO_QUEUE_MAX)
      return -1;
    size_t cap = c->cap ? c->cap * 2 : 16;
    if (cap > MCPWIRE_STDIO_QUEUE_MAX)
      cap = MCPWIRE_STDIO_QUEUE_MAX;
    stdio_line *q = realloc(c->queue, cap * sizeof *q);
    if (!q)
      return -1;
    c->queue = q;
    c->cap = cap;
  }
  c->queue[c->len++] = *l;
  return 0;
}

static void on_line(void *user, const line_event *ev) {
  stdio_channel *c = user;
  if (c->failed)
    return;
  stdio_line l;
  if (line_from_event(&l, ev)) {
    stdio_line_free(&l);
    fail(c, "out of memory reading stdout line %llu", (unsigned long long)ev->number);
    return;
  }
  log_line(c, &l);
  deliver(c, &l);
  if (enqueue(c, &l)) {
    stdio_line_free(&l);
    fail(c, "more than MCPWIRE_STDIO_QUEUE_MAX (%u) stdout lines unread",
         (unsigned)MCPWIRE_STDIO_QUEUE_MAX);
  }
}

/* ---- pipes ---- */

static void on_stdout(void *user, const char *bytes, size_t len) {
  stdio_channel *c = user;
  if (line_feed(c->reader, bytes, len) != LINE_OK)
    fail(c, "out of memory in the line codec");
}

/* stderr is the server's log (STDIO-05): recorded, never judged here. */
static void on_stderr(void *user, const char *bytes, size_t len) {
  stdio_channel *c = user;
  c->stderr_bytes += len;
  transcript_add_bytes(c->log, "stdio stderr (log): ", bytes, len, TRANSCRIPT_SHOW_BYTES);
}

/* Stdout has ended: the last line without LF, then a summary. */
static void finish_stdout(stdio_channel *c) {
  c->eof = 1;
  if (line_finish(c->reader) != LINE_OK)
    fail(c, "out of memory in the line codec");
  const line_stats *st = line_get_stats(c->reader);
  transcript_addf(c->log, "stdio stdout closed: %llu bytes, %llu lines (lf=%llu crlf=%llu "
                  "unterminated=%llu too-long=%llu), bom=%llu nul=%llu bad-utf8=%llu; stderr "
                  "%llu bytes", (unsigned long long)st->bytes, (unsigned long long)st->lines,
                  (unsigned long long)st->lines_lf, (unsigned long long)st->lines_crlf,
                  (unsigned long long)st->unterminated, (unsigned long long)st->too_long,
                  (unsigned long long)st->bom, (unsigned long long)st->with_nul,
                  (unsigned long long)st->bad_utf8, (unsigned long long)c->stderr_bytes);
}

/* ---- the channel ---- */

stdio_channel *stdio_channel_new(stdio_process *p, transcript *log) {
  stdio_channel *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->proc = p;
  c->log = log;
  c->reader = line_reader_new(on_line, c, 0);
  if (!c->reader) {
    free(c);
    return NULL;
  }
  return c;
}

void stdio_channel_free(stdio_channel *c) {
  if (!c)
    return;
  for (size_t i = c->head; i < c->len; i++)
    stdio_line_free(&c->queue[i]);
  free(c->queue);
  stdio_channel_clear_collected(c);
  free(c->collected);
  line_reader_free(c->reader);
  free(c);
}

/* err: the errno of the failed call, for STDIO_IO_ERROR. */
static stdio_channel_status from_io(stdio_channel *c, stdio_io r, int err, const char *what) {
  switch (r) {
  case STDIO_IO_OK: return STDIO_CHANNEL_OK;
  case STDIO_IO_TIMEOUT:
    transcript_addf(c->log, "stdio ! %s: deadline", what);
    return STDIO_CHANNEL_TIMEOUT;
  case STDIO_IO_CLOSED:
    transcript_addf(c->log, "stdio ! %s: the child closed its stdin", what);
    return STDIO_CHANNEL_CLOSED;
  case STDIO_IO_ERROR: break;
  }
  fail(c, "%s: %s", what, strerror(err));
  return STDIO_CHANNEL_ERROR;
}

/* Logs and hands over what is sent, then writes it. */
static stdio_channel_status write_line(stdio_channel *c, const char *bytes, size_t len,
                                       int add_lf, double deadline_ms) {
  char prefix[64], what[64];
  c->sent_lines++;
  snprintf(prefix, sizeof prefix, "stdio > line %llu%s: ", (unsigned long long)c->sent_lines,
           add_lf ? "" : " (raw)");
  transcript_add_bytes(c->log, prefix, bytes, len, TRANSCRIPT_SHOW_BYTES);
  snprintf(what, sizeof what, "stdio stdin line %llu", (unsigned long long)c->sent_lines);
  if (add_lf && c->log->on_message)
    c->log->on_message(c->log->on_message_user, 1, what, 0, bytes, len);
  stdio_io r = stdio_process_write(c->proc, bytes, len, deadline_ms);
  if (r == STDIO_IO_OK && add_lf)
    r = stdio_process_write(c->proc, "\n", 1, deadline_ms);
  int err = errno;
  snprintf(what, sizeof what, "writing stdin line %llu", (unsigned long long)c->sent_lines);
  return from_io(c, r, err, what);
}

stdio_channel_status stdio_channel_send(stdio_channel *c, const char *json, size_t len,
                                        double deadline_ms) {
  if (memchr(json, '\n', len) || memchr(json, '\r', len)) {
    fail(c, "a message to send holds CR or LF; nothing written (STDIO-04)");
    return STDIO_CHANNEL_ERROR;
  }
  return write_line(c, json, len, 1, deadline_ms);
}

stdio_channel_status stdio_channel_send_raw(stdio_channel *c, const void *bytes, size_t len,
                                            double deadline_ms) {
  return write_line(c, bytes, len, 0, deadline_ms);
}

/* Takes the oldest queued line into *out; 0 when the queue is empty. */
static int dequeue(stdio_channel *c, stdio_line *out) {
  if (c->head == c->len) {
    c->head = c->len = 0;
    return 0;
  }
  *out = c->queue[c->head++];
  return 1;
}

stdio_channel_status stdio_channel_next(stdio_channel *c, double deadline_ms, stdio_line *out) {
  stdio_sinks sinks = {on_stdout, on_stderr, c};
  for (;;) {
    if (dequeue(c, out))
      return STDIO_CHANNEL_OK;
    if (c->failed)
      return STDIO_CHANNEL_ERROR;
    if (c->eof)
      return STDIO_CHANNEL_CLOSED;
    stdio_io r = stdio_process_pump(c->proc, &sinks, deadline_ms);
    if (r == STDIO_IO_CLOSED)
      finish_stdout(c);
    else if (r == STDIO_IO_TIMEOUT)
      return STDIO_CHANNEL_TIMEOUT;
    else if (r == STDIO_IO_ERROR)
      fail(c, "reading the child's stdout and stderr: %s", strerror(errno));
  }
}

int stdio_channel_stop(stdio_channel *c, double eof_wait_ms, double term_wait_ms,
                       stdio_stop *out) {
  stdio_sinks sinks = {on_stdout, on_stderr, c};
  int rc = stdio_process_stop(c->proc, eof_wait_ms, term_wait_ms, &sinks, out);
  if (!c->eof)
    finish_stdout(c);
  transcript_addf(c->log, "stdio process %s after %.0f ms (status %d)",
                  stdio_stop_step_name(out->step), out->ms, out->status);
  return rc;
}

/* Keeps a line read while awaiting a response; past the cap it is counted. */
static void collect(stdio_channel *c, stdio_line *l) {
  if (c->ncollected == c->collected_cap && c->collected_cap < MCPWIRE_STDIO_COLLECTED_MAX) {
    size_t cap = c->collected_cap ? c->collected_cap * 2 : 8;
    if (cap > MCPWIRE_STDIO_COLLECTED_MAX)
      cap = MCPWIRE_STDIO_COLLECTED_MAX;
    stdio_line *v = realloc(c->collected, cap * sizeof *v);
    if (v) {
      c->collected = v;
      c->collected_cap = cap;
    }
  }
  if (c->ncollected < c->collected_cap) {
    c->collected[c->ncollected++] = *l;
    return;
  }
  c->collected_dropped++;
  stdio_line_free(l);
}

/* Whether l is the response (by its members, valid or not) to id_raw. */
static int is_response_to(const stdio_line *l, const char *id_raw, size_t id_len) {
  if (l->kind != STDIO_LINE_MESSAGE)
    return 0;
  jsonrpc_kind k = jsonrpc_apparent_kind(l->msg);
  if (k != JSONRPC_SUCCESS_RESPONSE && k != JSONRPC_ERROR_RESPONSE)
    return 0;
  size_t len;
  const char *id = jsonrpc_id_raw(l->msg, &len);
  return id && jsonrpc_id_equal(id, len, id_raw, id_len);
}

stdio_channel_status stdio_channel_await_response(stdio_channel *c, const char *id_raw,
                                                  size_t id_len, double deadline_ms,
                                                  stdio_line *out) {
  for (;;) {
    stdio_line l;
    stdio_channel_status st = stdio_channel_next(c, deadline_ms, &l);
    if (st != STDIO_CHANNEL_OK)
      return st;
    if (is_response_to(&l, id_raw, id_len)) {
      *out = l;
      return STDIO_CHANNEL_OK;
    }
    collect(c, &l);
  }
}

size_t stdio_channel_collected_count(const stdio_channel *c) { return c->ncollected; }

const stdio_line *stdio_channel_collected_at(const stdio_channel *c, size_t i) {
  return i < c->ncollected ? &c->collected[i] : NULL;
}

size_t stdio_channel_collected_dropped(const stdio_channel *c) { return c->collected_dropped; }

void stdio_channel_clear_collected(stdio_channel *c) {
  for (size_t i = 0; i < c->ncollected; i++)
    stdio_line_free(&c->collected[i]);
  c->ncollected = 0;
  c->collected_dropped = 0;
}

const char *stdio_channel_error(const stdio_channel *c) { return c->error; }

size_t stdio_channel_pending(const stdio_channel *c) { return line_pending(c->reader); }

uint64_t stdio_channel_stderr_bytes(const stdio_channel *c) { return c->stderr_bytes; }

const line_stats *stdio_channel_line_stats(const stdio_channel *c) {
  return line_get_stats(c->reader);
}
