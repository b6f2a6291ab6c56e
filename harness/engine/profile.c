#include "engine/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/dynbuf.h"
#include "engine/case.h"
#include "mcpwire_limits.h"
#include "transport/legacy.h"
#include "transport/rpc.h"
#include "transport/shttp.h"
#include "transport/stateless.h"

typedef struct probe {
  const char *url;
  const transport_options *opt;
  long step_ms;
  dynbuf evidence;
  double rtt_ms;     /* slowest successful probe exchange */
  int reached;       /* some probe got an HTTP response */
  int unreachable;   /* some probe could not connect */
  char error[300];
} probe;

static void evidence(probe *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void evidence(probe *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (p->evidence.len)
    dynbuf_addc(&p->evidence, '\n');
  dynbuf_vprintf(&p->evidence, fmt, ap);
  va_end(ap);
}

static void note_stream(probe *p, http_stream *s) {
  if (!s)
    return;
  if (s->status)
    p->reached = 1;
  else if (http_stream_unreachable(s)) {
    p->unreachable = 1;
    snprintf(p->error, sizeof p->error, "%s", http_stream_error(s));
  }
}

/* A probe exchange took ms (connection set-up included: an upper bound). */
static void note_rtt(probe *p, double ms) {
  if (ms > p->rtt_ms)
    p->rtt_ms = ms;
}

/* POST initialize offering `version`; the answered revision in `got`.
 * Returns 0 on success, -1 when the server answered otherwise, -2 when no
 * HTTP response came at all (older offers would fare no better). */
static int probe_http(probe *p, const char *version, char *got, size_t gotlen) {
  transcript log;
  transcript_init(&log);
  client *c = client_new(p->opt, &log);
  shttp h;
  shttp_init(&h, c, p->url);
  rpc_failure f = {{0}};
  double t0 = clock_ms();
  int ok = c && !shttp_initialize_only(&h, version, t0 + (double)p->step_ms, &f);
  if (ok)
    note_rtt(p, clock_ms() - t0);
  note_stream(p, h.init_stream);
  int answered = h.init_stream && h.init_stream->status;
  const char *ct = h.init_stream ? http_stream_header(h.init_stream, "Content-Type", NULL) : NULL;
  if (ok) {
    snprintf(got, gotlen, "%s", h.protocol_version);
    evidence(p, "POST initialize offering %s: HTTP %ld %s, protocolVersion %s%s%s", version,
             h.init_stream->status, ct ? ct : "", h.protocol_version,
             h.session_id ? ", session id issued" : "", "");
    if (h.session_id)
      http_stream_wait_done(shttp_delete(&h, 0), clock_ms() + (double)p->step_ms);
  } else {
    evidence(p, "POST initialize offering %s: %s", version, f.why);
  }
  shttp_free(&h);
  client_free(c);
  transcript_free(&log);
  return ok ? 0 : answered ? -1 : -2;
}

/* Reads on after a first event that was not `endpoint`: 0 when an
 * endpoint event comes among the next MCPWIRE_PROBE_ENDPOINT_EVENTS_MAX events
 * before the deadline. */
static int await_endpoint_event(legacy *l, double deadline_ms) {
  for (int i = 0; i < MCPWIRE_PROBE_ENDPOINT_EVENTS_MAX; i++) {
    const stream_event *ev = http_stream_next_event(l->stream, deadline_ms);
    if (!ev)
      return -1;
    if (!strcmp(ev->type, "endpoint"))
      return 0;
  }
  return -1;
}

static int probe_sse(probe *p) {
  transcript log;
  transcript_init(&log);
  client *c = client_new(p->opt, &log);
  legacy l;
  legacy_init(&l, c, p->url);
  rpc_failure f = {{0}};
  double t0 = clock_ms();
  int ok = c && !legacy_connect(&l, t0 + (double)p->step_ms, &f);
  if (ok)
    note_rtt(p, clock_ms() - t0);
  note_stream(p, l.stream);
  if (ok)
    evidence(p, "GET (Accept: text/event-stream): HTTP 200, first event 'endpoint' -> %s",
             l.endpoint.url);
  else
    evidence(p, "GET (Accept: text/event-stream): %s", f.why);
  /* An event stream that sends an endpoint event is the legacy transport
   * even when that event is late or broken: the cases will say how. One
   * that sends none is not testable as MCP (any SSE feed would pass). */
  if (!ok && l.stream && l.stream->status == 200 && http_stream_is_event_stream(l.stream)) {
    if (l.first_type && !strcmp(l.first_type, "endpoint"))
      ok = 1;
    else
      ok = !await_endpoint_event(&l, t0 + (double)p->step_ms);
    evidence(p, ok ? "an endpoint event came: legacy HTTP+SSE assumed"
                   : "the event stream sent no endpoint event before the step deadline: "
                     "not the legacy transport");
  }
  legacy_free(&l);
  client_free(c);
  transcript_free(&log);
  return ok ? 0 : -1;
}

/* What the server/discover probe found. */
typedef struct modern_probe {
  char versions[400];   /* the listed revisions, "a, b" */
  int later;            /* lists a revision after PROFILE_LAST_SESSION_REVISION */
  int ours;             /* lists PROFILE_STATELESS_REVISION, which mcpwire tests */
  int session;          /* lists a session-era revision mcpwire tests */
  int refused;          /* the list came with error -32022, not a DiscoverResult */
} modern_probe;

/* Reads the strings of the array at `path` into mp (dates order as text). */
static void modern_versions(const jsonrpc_msg *m, const char *path, modern_probe *mp) {
  size_t n = jsonrpc_get_count(m, path), used = 0, len = sizeof mp->versions;
  for (size_t i = 0; i < n && i < MCPWIRE_DISCOVER_VERSIONS_MAX; i++) {
    char at[64];
    snprintf(at, sizeof at, "%s[%zu]", path, i);
    const char *v = jsonrpc_get_string(m, at);
    if (!v)
      continue;
    mp->later |= strcmp(v, PROFILE_LAST_SESSION_REVISION) > 0;
    mp->ours |= !strcmp(v, PROFILE_STATELESS_REVISION);
    mp->session |= revision_bit(v) && !revision_is_stateless(v);
    if (used < len)
      used += (size_t)snprintf(mp->versions + used, len - used, "%s%.40s", used ? ", " : "", v);
  }
}

#define DISCOVER_PROBE "POST server/discover (stateless, " PROFILE_STATELESS_REVISION ")"

/* POSTs a valid stateless server/discover (version in _meta and in the
 * MCP-Protocol-Version header, Mcp-Method mirrored; S26-COMPAT, catalog
 * section 15.1 step 1). A DiscoverResult, or error -32022 with
 * data.supported, fills mp; 1 when it names a revision after 2025-11-25. */
static int probe_modern(probe *p, modern_probe *mp) {
  transcript log;
  transcript_init(&log);
  client *c = client_new(p->opt, &log);
  rpc_failure f = {{0}};
  stateless_request req = {.id_raw = "1", .method = "server/discover"};
  http_stream *s = NULL;
  double t0 = clock_ms();
  jsonrpc_msg *m = c ? stateless_call(c, p->url, &req, t0 + (double)p->step_ms, &s, &f) : NULL;
  note_stream(p, s);
  long code = 0;
  const char *path = NULL;
  if (m && jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE)
    path = "result.supportedVersions";
  else if (m && jsonrpc_error_code(m, &code) && code == -32022)
    path = "error.data.supported";
  if (path) {
    modern_versions(m, path, mp);
    mp->refused = code == -32022;
  }
  if (mp->later) {
    note_rtt(p, clock_ms() - t0);
    evidence(p, DISCOVER_PROBE ": HTTP %ld, %s lists %s", s->status, path, mp->versions);
  } else if (m)
    evidence(p, DISCOVER_PROBE ": HTTP %ld, no revision after " PROFILE_LAST_SESSION_REVISION
             " named", s->status);
  else
    evidence(p, DISCOVER_PROBE ": %s", s && s->status ? "no JSON-RPC response" : f.why);
  jsonrpc_free(m);
  client_free(c);
  transcript_free(&log);
  return mp->later;
}

/* A session-era revision mcpwire tests (initialize cannot agree to a stateless one). */
static int known_revision(const char *v) { return revision_bit(v) && !revision_is_stateless(v); }

/* Tries each revision newest first (or only `spec`); the answered one wins. */
static int detect_http(probe *p, const char *spec, char *got, size_t gotlen) {
  for (size_t i = 0; revision_names[i]; i++) {
    const char *v = revision_names[i];
    /* 2024-11-05 has no Streamable HTTP: its probe is the legacy GET. */
    if (!strcmp(v, "2024-11-05"))
      break;
    if (revision_is_stateless(v))
      continue; /* no initialize: probe_modern asks */
    if (strcmp(spec, "auto") && strcmp(spec, v))
      continue;
    int rc = probe_http(p, v, got, gotlen);
    if (rc == 0) {
      if (!known_revision(got)) {
        evidence(p, "server answered unknown revision '%s'; using %s", got, v);
        snprintf(got, gotlen, "%s", v);
      } else if (strcmp(got, v))
        /* LIFE-VER-03: the server picks another revision it supports; the
         * session runs at that one, so only its cases apply. */
        evidence(p, "offered %s, the server agreed to %s: running the cases of %s", v, got,
                 got);
      return 0;
    }
    if (p->unreachable || rc == -2)
      return -1;
  }
  return -1;
}

static void fill(profile *out, const char *transport, const char *spec, int detected,
                 probe *p) {
  out->transport = strdup(transport);
  out->spec = strdup(spec);
  out->detected = detected;
  if (p->rtt_ms > 0)
    evidence(p, "round trip %.1f ms (slowest probe exchange): windows that watch for silence "
             "last %d round trips, at least %d ms", p->rtt_ms, MCPWIRE_WINDOW_RTT_FACTOR,
             MCPWIRE_WINDOW_MIN_MS);
  out->rtt_ms = p->rtt_ms;
  out->evidence = dynbuf_take(&p->evidence);
}

/* The server/discover probe named 2026-07-28: the stateless era, alone or
 * beside the session era on the same URL (S26-COMPAT-11). Probes
 * initialize too unless --spec asked for one era; fills out. */
static profile_status found_modern(probe *p, const char *spec, const modern_probe *mp,
                                   int detected, profile *out) {
  char got[32] = "";
  /* One initialize, at the newest session revision: a dual-era server
   * answers it (or agrees to an older one, LIFE-VER-03). With --spec
   * 2026-07-28 too: the stateless cases need to know (Y-16). */
  int session = !detect_http(p, PROFILE_LAST_SESSION_REVISION, got, sizeof got);
  int dual = (mp->session ? DUAL_ERA_LISTED : 0) | (session ? DUAL_ERA_SERVED : 0);
  if (mp->refused)
    evidence(p, "server/discover at " PROFILE_STATELESS_REVISION " was refused with -32022 "
             "although data.supported lists it (S26-DISC-07): running its cases anyway");
  if (session && strcmp(spec, "auto")) {
    evidence(p, "initialize answered too (dual-era server); --spec " PROFILE_STATELESS_REVISION
             " runs the stateless cases only");
    fill(out, "http", PROFILE_STATELESS_REVISION, detected, p);
  } else if (session) {
    evidence(p, "both eras on one URL (dual-era server): the cases of %s and of "
             PROFILE_STATELESS_REVISION " run, each case labelled with its revision "
             "(--spec picks one)", got);
    fill(out, "http", got, detected, p);
    out->modern_spec = strdup(PROFILE_STATELESS_REVISION);
  } else {
    if (dual)
      evidence(p, "discover lists a session-era revision too (dual-era server)%s",
               strcmp(spec, "auto") ? "; --spec " PROFILE_STATELESS_REVISION
                                      " runs the stateless cases only" : "");
    else if (!strcmp(spec, "auto"))
      evidence(p, "the stateless era only: the cases of " PROFILE_STATELESS_REVISION " run");
    fill(out, "http", PROFILE_STATELESS_REVISION, detected, p);
  }
  out->dual_era = dual;
  return PROFILE_OK;
}

/* Nothing answered as the era asked for: why and the status. */
static profile_status not_found(probe *p, const char *url, const char *transport,
                                const char *spec, int detected, profile *out, char *why,
                                size_t whylen) {
  profile_status st = p->unreachable && !p->reached ? PROFILE_UNREACHABLE : PROFILE_NOT_MCP;
  /* Both given: the user says what the target is; a reachable target that
   * probes badly is tested anyway, and the cases say what is wrong. */
  if (st == PROFILE_NOT_MCP && !detected) {
    evidence(p, "probe failed; running as --transport %s --spec %s as given", transport, spec);
    fill(out, transport, spec, 0, p);
    return PROFILE_OK;
  }
  if (st == PROFILE_UNREACHABLE)
    snprintf(why, whylen, "target %s unreachable: %s", url, p->error);
  else
    snprintf(why, whylen, "no MCP transport answered at %s (see the probe evidence)", url);
  fill(out, transport, spec, detected, p);
  return st;
}

profile_status profile_detect(const char *url, const char *transport, const char *spec,
                              const transport_options *opt, long step_timeout_ms,
                              profile *out, char *why, size_t whylen) {
  probe p = {.url = url, .opt = opt, .step_ms = step_timeout_ms};
  dynbuf_init(&p.evidence, MCPWIRE_PROFILE_EVIDENCE_MAX);
  memset(out, 0, sizeof *out);
  int stateless = revision_is_stateless(spec);
  /* 2026-07-28 has one transport here (Streamable HTTP): --spec names both. */
  if (stateless && !strcmp(transport, "auto"))
    transport = "http";
  int detected = !strcmp(transport, "auto") || !strcmp(spec, "auto");
  modern_probe mp;
  memset(&mp, 0, sizeof mp);
  /* Step 1 of the catalog's section 15.1: the stateless probe first. */
  int modern = (stateless || !strcmp(spec, "auto")) && strcmp(transport, "sse") &&
               probe_modern(&p, &mp);
  if (modern && mp.ours)
    return found_modern(&p, spec, &mp, detected, out);
  if (stateless || p.unreachable)
    return not_found(&p, url, transport, spec, detected, out, why, whylen);
  char got[32] = "";
  if (strcmp(transport, "sse") && !detect_http(&p, spec, got, sizeof got)) {
    fill(out, "http", got, detected, &p);
    return PROFILE_OK;
  }
  if (strcmp(transport, "http") && !p.unreachable && !probe_sse(&p)) {
    /* HTTP+SSE exists only in 2024-11-05, whatever --spec offered. */
    if (strcmp(spec, "auto") && strcmp(spec, "2024-11-05"))
      evidence(&p, "offered %s, the target speaks only HTTP+SSE: running the cases of "
               "2024-11-05", spec);
    fill(out, "sse", "2024-11-05", detected, &p);
    return PROFILE_OK;
  }
  /* A session-era --spec at a stateless server, or a later stateless
   * revision only: recognised, nothing to run. */
  if (!modern && strcmp(transport, "sse") && p.reached && strcmp(spec, "auto"))
    modern = probe_modern(&p, &mp);
  if (modern && detected) {
    snprintf(why, whylen, "%s speaks MCP %s (stateless HTTP; supported: %s): %s", url,
             mp.ours ? PROFILE_STATELESS_REVISION : "after " PROFILE_STATELESS_REVISION,
             mp.versions, mp.ours ? "run with --spec auto or --spec " PROFILE_STATELESS_REVISION
                                  : "mcpwire has cases up to " PROFILE_STATELESS_REVISION " only");
    fill(out, transport, spec, detected, &p);
    return PROFILE_MODERN;
  }
  return not_found(&p, url, transport, spec, detected, out, why, whylen);
}
