/* judge: verdict setters and request look-ups for the scenario checks
 * (scenario.h), and the checks every scenario gets (the exchange). */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/jsonrpc.h"
#include "mcpwire_limits.h"
#include "scenarios/judge.h"

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vformat(const char *fmt, va_list ap) {
  char *s = NULL;
  if (vasprintf(&s, fmt, ap) < 0)
    return NULL;
  return s;
}

void sc_broken(scenario_ctx *x, level lv, const char *expected, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *why = vformat(fmt, ap);
  va_end(ap);
  if (!x->decided) {
    x->decided = 1;
    x->res->verdict = lv == LEVEL_MUST ? VERDICT_FAIL : VERDICT_WARN;
    x->res->expected = expected ? strdup(expected) : NULL;
    x->res->reason = why;
    return;
  }
  dynbuf_printf(&x->checked, "%salso: %s", x->checked.len ? "; " : "", why ? why : "");
  free(why);
}

void sc_held(scenario_ctx *x, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = vformat(fmt, ap);
  va_end(ap);
  if (s)
    dynbuf_printf(&x->checked, "%s%s", x->checked.len ? "; " : "", s);
  free(s);
}

void sc_error(scenario_ctx *x, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *why = vformat(fmt, ap);
  va_end(ap);
  if (x->decided) {
    free(why);
    return;
  }
  x->decided = 1;
  x->res->verdict = VERDICT_ERROR;
  x->res->reason = why;
}

const char *sc_method(const stage_request *r, char *out, size_t len) {
  out[0] = 0;
  jsonrpc_msg *m = r->body_len ? jsonrpc_parse(r->body, r->body_len) : NULL;
  const char *meth = m ? jsonrpc_method(m) : NULL;
  if (meth)
    snprintf(out, len, "%s", meth);
  jsonrpc_free(m);
  return out;
}

long sc_find(const scenario_ctx *x, const char *method, size_t from) {
  char m[64];
  for (size_t i = from; i < x->log->n; i++)
    if (!strcmp(sc_method(&x->log->req[i], m, sizeof m), method))
      return (long)i;
  return -1;
}

int sc_body_string(const stage_request *r, const char *path, char *out, size_t len) {
  jsonrpc_msg *m = r->body_len ? jsonrpc_parse(r->body, r->body_len) : NULL;
  const char *v = m ? jsonrpc_get_string(m, path) : NULL;
  if (v)
    snprintf(out, len, "%s", v);
  jsonrpc_free(m);
  return v != NULL;
}

int sc_body_type(const stage_request *r, const char *path) {
  jsonrpc_msg *m = r->body_len ? jsonrpc_parse(r->body, r->body_len) : NULL;
  int t = m ? (int)jsonrpc_get_type(m, path) : JSONRPC_T_ABSENT;
  jsonrpc_free(m);
  return t;
}

/* How the client ended, as one phrase. */
void sc_ending(const client_outcome *o, char *out, size_t len) {
  double ms = o->end_ms - o->start_ms;
  if (o->hung)
    snprintf(out, len, "still running after %.0f ms: stopped (%s)", ms, o->stop_step);
  else if (client_signal(o))
    snprintf(out, len, "killed by signal %d (%s) after %.0f ms", client_signal(o),
             strsignal(client_signal(o)), ms);
  else
    snprintf(out, len, "exit %d after %.0f ms", o->exit_code, ms);
}

/* The client listed the tools and called the one listed, then exited 0. */
static void check_complete(scenario_ctx *x) {
  const client_scenario *d = x->def;
  long call = sc_find(x, "tools/call", 0);
  char name[128] = "", end[160];
  while (call >= 0 && !(sc_body_string(&x->log->req[call], "params.name", name, sizeof name) &&
                        !strcmp(name, STAGE_TOOL_NAME)))
    call = sc_find(x, "tools/call", (size_t)call + 1);
  sc_ending(x->run, end, sizeof end);
  if (call < 0) {
    sc_broken(x, d->level, "the client lists the tools and calls " STAGE_TOOL_NAME,
              "no tools/call of " STAGE_TOOL_NAME " (%zu requests; client %s): a response of "
              "the stage was not read", x->log->n, end);
    return;
  }
  if (x->run->hung || client_signal(x->run) || x->run->exit_code) {
    sc_broken(x, d->level, "the client reads the tool's result and exits 0",
              "tools/call sent (request #%ld), then the client's %s", call + 1, end);
    return;
  }
  sc_held(x, "tools/call of " STAGE_TOOL_NAME " sent (request #%ld), result read: %s", call + 1,
          end);
}

/* A hostile stream: the client ends by itself, cleanly, memory bounded. */
static void check_bounded(scenario_ctx *x) {
  const client_outcome *o = x->run;
  char end[160];
  sc_ending(o, end, sizeof end);
  double at = x->log->hostile_ms >= 0 ? x->log->hostile_ms : 0;
  long before = client_peak_kb(o, 0, at), after = client_peak_kb(o, at, 1e18);
  long growth = before >= 0 && after > before ? after - before : 0;
  if (o->hung)
    sc_broken(x, LEVEL_SHOULD, "the client gives up on the stream by itself (LIFE-TIMEOUT-01)",
              "a hang: %s", end);
  else if (client_signal(o))
    sc_broken(x, LEVEL_SHOULD, "the client fails cleanly (an error, an exit status)",
              "a crash: %s", end);
  if ((unsigned long)growth * 1024 > MCPWIRE_CLIENT_GROWTH_WARN_BYTES)
    sc_broken(x, LEVEL_SHOULD, "memory bounded while the hostile body streams",
              "peak memory grew by %ld MB while %llu hostile bytes were sent (cap for a warning: "
              "%u MB)", growth / 1024, x->log->hostile_bytes,
              MCPWIRE_CLIENT_GROWTH_WARN_BYTES / (1024 * 1024));
  if (x->log->hostile_bytes)
    sc_held(x, "client %s; %llu generated bytes sent; peak memory growth %ld MB", end,
            x->log->hostile_bytes, growth / 1024);
  else
    sc_held(x, "client %s; peak memory growth %ld MB", end, growth / 1024);
}

void sc_check_exchange(scenario_ctx *x) {
  if (x->def->expect == EXPECT_BOUNDED)
    check_bounded(x);
  else
    check_complete(x);
}
