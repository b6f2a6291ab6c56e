/* profile_stdio: the revision of a server launched as a command (stdio). */
#include "engine/profile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/dynbuf.h"
#include "engine/case.h"
#include "mcpwire_limits.h"
#include "transport/shttp.h"
#include "transport/stateless.h"
#include "transport/stdio_channel.h"

static void add(dynbuf *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(dynbuf *ev, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (ev->len)
    dynbuf_addc(ev, '\n');
  dynbuf_vprintf(ev, fmt, ap);
  va_end(ap);
}

/* Why a wait for the initialize response ended without it. */
static const char *no_answer(stdio_channel_status st, const stdio_channel *ch) {
  if (st == STDIO_CHANNEL_TIMEOUT && stdio_channel_pending(ch))
    return "no response line in time: bytes of a line wait for their newline (STDIO-04)";
  return st == STDIO_CHANNEL_TIMEOUT  ? "no response line in time"
         : st == STDIO_CHANNEL_CLOSED ? "the server closed its stdout (it exited)"
                                      : stdio_channel_error(ch);
}

/* offer when the DiscoverResult m lists it in supportedVersions, else NULL. */
static const char *discover_lists(const jsonrpc_msg *m, const char *offer) {
  size_t n = jsonrpc_get_count(m, "result.supportedVersions");
  for (size_t i = 0; i < n && i < MCPWIRE_DISCOVER_VERSIONS_MAX; i++) {
    char path[64];
    snprintf(path, sizeof path, "result.supportedVersions[%zu]", i);
    const char *v = jsonrpc_get_string(m, path);
    if (v && !strcmp(v, offer))
      return offer;
  }
  return NULL;
}

/* Initialize (server/discover for 2026-07-28) offering `offer` over a fresh process; the answered revision
 * in got. PROFILE_OK, PROFILE_UNREACHABLE (it did not start or answered
 * nothing) or PROFILE_NOT_MCP (it answered otherwise). */
static profile_status probe(const stdio_spawn *spawn, const char *offer, long step_ms,
                            dynbuf *ev, char *got, size_t gotlen, char *why, size_t whylen,
                            int *wrote) {
  transcript log;
  transcript_init(&log);
  stdio_process *proc = stdio_process_start(spawn, why, whylen);
  if (!proc) {
    transcript_free(&log);
    add(ev, "launch: %s", why);
    return PROFILE_UNREACHABLE;
  }
  stdio_channel *ch = stdio_channel_new(proc, &log);
  profile_status ps = PROFILE_UNREACHABLE;
  char body[1200];
  dynbuf discover;
  dynbuf_init(&discover, sizeof body);
  /* 2026-07-28 has no initialize: server/discover with the request _meta. */
  stateless_request req = {.id_raw = "\"mcpwire-probe\"", .method = "server/discover"};
  if (revision_is_stateless(offer) && !stateless_body(&req, &discover))
    snprintf(body, sizeof body, "%s", dynbuf_str(&discover));
  else
    shttp_initialize_request(body, sizeof body, "\"mcpwire-probe\"", offer);
  dynbuf_free(&discover);
  /* While stdout stays silent the answer may wait for a cold start (npx
   * fetching a package); once bytes came, a step. */
  double t0 = clock_ms(), end = t0 + MCPWIRE_STDIO_FIRST_ANSWER_MS + (double)step_ms;
  stdio_line l = {0};
  stdio_channel_status st = ch ? stdio_channel_send(ch, body, strlen(body), end)
                               : STDIO_CHANNEL_ERROR;
  while (st == STDIO_CHANNEL_OK || st == STDIO_CHANNEL_TIMEOUT) {
    double slice = clock_ms() + (double)step_ms;
    st = stdio_channel_await_response(ch, "\"mcpwire-probe\"", 15, slice < end ? slice : end, &l);
    if (st != STDIO_CHANNEL_TIMEOUT || stdio_channel_line_stats(ch)->bytes ||
        stdio_channel_pending(ch) || clock_ms() >= end)
      break;
  }
  const char *v = st != STDIO_CHANNEL_OK          ? NULL
                  : revision_is_stateless(offer) ? discover_lists(l.msg, offer)
                                                 : jsonrpc_get_string(l.msg, "result.protocolVersion");
  if (st != STDIO_CHANNEL_OK) {
    snprintf(why, whylen, "initialize over stdio offering %s: %s", offer,
             ch ? no_answer(st, ch) : "out of memory");
  } else if (!v) {
    ps = PROFILE_NOT_MCP;
    snprintf(why, whylen, "%s over stdio offering %s: the answer has no %s",
             revision_is_stateless(offer) ? "server/discover" : "initialize", offer,
             revision_is_stateless(offer) ? "result.supportedVersions naming it"
                                          : "result.protocolVersion");
  } else {
    ps = PROFILE_OK;
    snprintf(got, gotlen, "%s", v);
  }
  *wrote = ch && (stdio_channel_line_stats(ch)->bytes || stdio_channel_pending(ch));
  add(ev, "stdio %s offering %s: %s (%.0f ms)",
      revision_is_stateless(offer) ? "server/discover" : "initialize", offer,
      ps == PROFILE_OK ? got : why, clock_ms() - t0);
  stdio_line_free(&l);
  stdio_stop stop = {0};
  if (ch)
    stdio_channel_stop(ch, MCPWIRE_STDIO_EOF_WAIT_MS, MCPWIRE_STDIO_TERM_WAIT_MS, &stop);
  else
    stdio_process_stop(proc, MCPWIRE_STDIO_EOF_WAIT_MS, MCPWIRE_STDIO_TERM_WAIT_MS, NULL, &stop);
  add(ev, "stdio probe process %s after %.0f ms", stdio_stop_step_name(stop.step), stop.ms);
  stdio_channel_free(ch);
  stdio_process_free(proc);
  transcript_free(&log);
  return ps;
}

profile_status profile_detect_stdio(const stdio_spawn *spawn, const char *spec, long step_ms,
                                    profile *out, char *why, size_t whylen) {
  dynbuf ev;
  dynbuf_init(&ev, MCPWIRE_PROFILE_EVIDENCE_MAX);
  memset(out, 0, sizeof *out);
  int autodetect = !strcmp(spec, "auto");
  const char *offer = autodetect ? PROFILE_LAST_SESSION_REVISION : spec;
  char got[64] = "";
  int wrote = 0;
  profile_status ps = probe(spawn, offer, step_ms, &ev, got, sizeof got, why, whylen, &wrote);
  /* A 2026-07-28-only server answers initialize otherwise: ask discover. */
  if (autodetect && ps == PROFILE_NOT_MCP) {
    char why2[300];
    offer = PROFILE_STATELESS_REVISION;
    if (probe(spawn, offer, step_ms, &ev, got, sizeof got, why2, sizeof why2, &wrote) ==
        PROFILE_OK)
      ps = PROFILE_OK;
  }
  /* --spec named the revision: a server that started and answered wrongly
   * is still run as given, so the cases say what is wrong. */
  if (!autodetect && ps != PROFILE_OK && wrote) {
    add(&ev, "running %s as given (--spec) all the same", spec);
    snprintf(got, sizeof got, "%s", spec);
    ps = PROFILE_OK;
  }
  if (ps == PROFILE_OK) {
    unsigned bit = revision_bit(got);
    const char *run = bit ? got : offer;
    if (strcmp(run, got))
      add(&ev, "server answered revision '%s', which mcpwire does not test; using %s", got, run);
    else if (strcmp(run, offer))
      add(&ev, "offered %s, the server agreed to %s: running the cases of %s", offer, got, got);
    out->transport = strdup("stdio");
    out->spec = strdup(run);
    out->detected = autodetect;
  }
  out->evidence = dynbuf_take(&ev);
  return ps;
}
