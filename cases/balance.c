/* lb: load balancers. Whether a session survives requests on fresh TCP
 * connections, and across the instances of one deployment (--instance):
 * facts for an operator (does the deployment need session affinity, and on
 * which key), never a fail: the spec asks for no deployment. See
 * docs/LOAD-BALANCING.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/call.h"
#include "mcpwire_limits.h"

#define LB_REF SPEC_2511 "basic/transports#session-management"
#define LEGACY_REF SPEC_2411 "basic/transports#http-with-sse"
/* The key that keeps a session on its instance. A hash of the id alone
 * does not do: the request that opens a session carries none, and nginx
 * balances an empty key round-robin (docs/LOAD-BALANCING.md, measured). */
#define KEY_HEADER "key: the Mcp-Session-Id header as learned from the initialize response, " \
                   "or the client address (a hash of the header alone misses the initialize)"
#define KEY_QUERY "key: the client address (the GET that opens a legacy session carries no " \
                  "sessionId to hash)"

/* ---- one step of a session, judged the same way everywhere ---- */

/* What a request of a live session got: 0 answered (the response to
 * id_raw; for a GET 200, 405 or 409; for a notification any 2xx), else a line
 * in why. */
static int step_answered(case_ctx *ctx, shttp *h, http_stream *s, const char *id_raw,
                         const char *what, char *why, size_t len) {
  if (!s || http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    snprintf(why, len, "%s: no answer (%s)", what, s ? http_stream_error(s) : "not started");
    return -1;
  }
  /* A GET stream (200), none offered (405), or one already open (409): the
   * session is known there. A notification: 202 (any 2xx: other cases
   * judge the status). */
  int get = !strcmp(s->method, "GET");
  if ((get && (s->status == 200 || s->status == 405 || s->status == 409)) ||
      (!get && !id_raw && s->status >= 200 && s->status < 300)) {
    http_stream_close(s);
    return 0;
  }
  if (s->status != 200) {
    snprintf(why, len, "%s at %.200s answered HTTP %ld", what, s->url, s->status);
    return -1;
  }
  rpc_failure f = {"a 200 where none was due"};
  jsonrpc_msg *m = id_raw ? shttp_await_response(h, s, id_raw, (double)ctx->cfg->step_timeout_ms,
                                                  ctx->deadline_ms, &f)
                          : NULL; /* a request: only then is a 200 still open here */
  int ok = m && jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE;
  if (!ok)
    snprintf(why, len, "%s at %.200s: HTTP 200 but %s", what, s->url,
             m ? "an error response" : f.why);
  jsonrpc_free(m);
  return ok ? 0 : -1;
}

/* A ping of session h sent to url (h's own URL when NULL), under an id
 * unique in the run; *sent (when not NULL) gets its stream. */
static int ping_at(case_ctx *ctx, shttp *h, const char *url, http_stream **sent, char *why,
                   size_t len) {
  char id[64], body[160];
  call_unique_id("lb-ping", id, sizeof id);
  snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}", id);
  const char *home = h->url;
  if (url)
    h->url = url;
  http_stream *s = shttp_post(h, body, 0);
  if (sent)
    *sent = s;
  int rc = step_answered(ctx, h, s, id, "ping", why, len);
  h->url = home;
  return rc;
}

/* notifications/initialized of session h, on its own connection. */
static int notify(case_ctx *ctx, shttp *h, char *why, size_t len) {
  static const char note[] = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
  return step_answered(ctx, h, shttp_post(h, note, 0), NULL, "notifications/initialized", why,
                       len);
}

/* The standalone GET of session h at url: 200 or 405 both count. */
static int get_at(case_ctx *ctx, shttp *h, const char *url, char *why, size_t len) {
  return step_answered(ctx, h, shttp_get_from(h, url ? url : h->url, NULL, 0), NULL, "GET stream",
                       why, len);
}

/* ---- resumption elsewhere (another connection or instance) ---- */

typedef struct cut {
  fixture fx;
  char id[64], token[64];
  char *event_id;          /* malloc; the first progress event's id */
} cut;

/* Calls the progress fixture in h and cuts it after its first event with an
 * id. 1 cut, 0 not possible here (why says so: no fixture, JSON reply, no
 * ids), -1 the session broke on the way (why: tools/list or the call
 * refused), -2 an error verdict. */
static int start_and_cut(case_ctx *ctx, shttp *h, cut *c, char *why, size_t len) {
  int found = ctx_find_fixture(ctx, call_tools_page, h, h->init_result, FIXTURE_PROGRESS, &c->fx,
                               why, len);
  if (found <= 0)
    return found; /* -1: tools/list failed in a session that answered before */
  call_unique_id("lb-resume", c->id, sizeof c->id);
  call_unique_id("lb-token", c->token, sizeof c->token);
  http_stream *s = call_fixture_post(h, &c->fx, c->id, c->token);
  if (!s || http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "tools/call %s: %s", c->fx.tool, s ? http_stream_error(s) : "not started");
    return -2;
  }
  if (s->status != 200) {
    snprintf(why, len, "tools/call %s at %.200s answered HTTP %ld", c->fx.tool, s->url,
             s->status);
    return -1;
  }
  if (!http_stream_is_event_stream(s)) {
    snprintf(why, len, "tools/call %s answered with application/json: no stream to resume",
             c->fx.tool);
    return 0;
  }
  const stream_event *ev;
  while ((ev = http_stream_next_event(s, ctx_step_deadline(ctx))))
    if (ev->id[0] && ev->data_len && strstr(ev->data, "notifications/progress")) {
      c->event_id = strdup(ev->id);
      ctx_note(ctx, "cut the %s call after progress event id %s", c->fx.tool, ev->id);
      http_stream_close(s);
      if (!c->event_id)
        ctx_error(ctx, "out of memory");
      return c->event_id ? 1 : -2;
    }
  snprintf(why, len, "no progress event of the %s call carried an event id (no resumption)",
           c->fx.tool);
  return 0;
}

/* GET with the cut call's Last-Event-ID at url: 0 when its response came,
 * -1 refused (no 200 event stream: the session or stream is not known
 * there), -3 a 200 stream without the response (resumption itself failed:
 * the http/resume cases judge that, and the server may have ended the call
 * when its stream was cut). */
static int resume_at(case_ctx *ctx, shttp *h, const cut *c, const char *url, char *why,
                     size_t len) {
  http_stream *g = shttp_get_from(h, url, c->event_id, 0);
  if (!g || http_stream_wait_headers(g, ctx_step_deadline(ctx))) {
    snprintf(why, len, "GET with Last-Event-ID at %.200s: no answer", url);
    return -1;
  }
  if (g->status != 200 || !http_stream_is_event_stream(g)) {
    snprintf(why, len, "GET with Last-Event-ID %s at %.200s answered HTTP %ld", c->event_id, url,
             g->status);
    return -1;
  }
  rpc_failure f = {{0}};
  jsonrpc_msg *m = rpc_await_response(g, c->id, ctx_step_deadline(ctx), &f, NULL);
  if (!m)
    snprintf(why, len, "GET with Last-Event-ID %s at %.200s: HTTP 200, but the call's response "
             "never came (%s)", c->event_id, url, f.why);
  jsonrpc_free(m);
  http_stream_close(g);
  return m ? 0 : -3;
}

/* Cuts a progress call in h and resumes it at url. 1 resumed, 0 not
 * tried (why: a note), -1 refused there (why), -3 resumed without the
 * response (why), -2 an error verdict is set. */
static int resume_elsewhere(case_ctx *ctx, shttp *h, const char *url, char *why, size_t len) {
  cut c = {0};
  int rc = start_and_cut(ctx, h, &c, why, len);
  if (rc == 1) {
    rc = resume_at(ctx, h, &c, url, why, len);
    rc = rc ? rc : 1;
  }
  free(c.event_id);
  return rc;
}

/* ---- lb/connection ---- */

/* Opens session h: initialize, then its notifications/initialized as a
 * step. 0 open, 1 broken (why), 2 no session id issued, -1 an error
 * verdict is set. */
static int open_session(case_ctx *ctx, shttp *h, char *why, size_t len) {
  rpc_failure f = {{0}};
  if (shttp_initialize_only(h, ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
    ctx_error(ctx, "setup: initialize failed: %s", f.why);
    return -1;
  }
  if (!h->session_id)
    return 2;
  return notify(ctx, h, why, len) ? 1 : 0;
}

/* One session on client c (every request on a new connection): opened,
 * pinged, its GET opened; the first one (rwhy not NULL) also cuts a
 * progress call and resumes it. 0 answered, 1 broken (why), 2 no session
 * id, -1 an error verdict. */
static int fresh_session(case_ctx *ctx, client *c, char *why, size_t len, char *rwhy,
                         size_t rlen, int *resumed) {
  shttp h;
  shttp_init(&h, c, ctx->cfg->url);
  int r = open_session(ctx, &h, why, len);
  if (!r)
    r = ping_at(ctx, &h, NULL, NULL, why, len) || get_at(ctx, &h, NULL, why, len) ? 1 : 0;
  if (!r && rwhy) {
    *resumed = resume_elsewhere(ctx, &h, ctx->cfg->url, rwhy, rlen);
    if (*resumed == -1) { /* refused: the session is not known where the GET went */
      snprintf(why, len, "%s", rwhy);
      r = 1;
    } else if (*resumed == -2) {
      r = -1;
    }
  }
  shttp_free(&h);
  return r;
}

/* MCPWIRE_LB_SESSIONS sessions, every request on a new TCP connection
 * (CLIENT_CONN_FRESH): through a balancer, each request picks an instance. */
static void fresh_per_request(case_ctx *ctx) {
  char why[600] = "", first[600] = "", rwhy[600] = "";
  size_t broken = 0, n = 0;
  int resumed = 0;
  for (; n < MCPWIRE_LB_SESSIONS && !ctx->decided; n++) {
    client *c = client_new(&ctx->transport, &ctx->log);
    if (!c) {
      ctx_error(ctx, "out of memory");
      return;
    }
    client_set_connections(c, CLIENT_CONN_FRESH | CLIENT_CONN_NOTE);
    int r = fresh_session(ctx, c, why, sizeof why, n ? NULL : rwhy, sizeof rwhy, &resumed);
    client_free(c);
    if (r == 2)
      ctx_skip(ctx, "target issued no Mcp-Session-Id: no session to carry across connections");
    if (r == 1 && !broken++)
      snprintf(first, sizeof first, "%s", why);
    if (r < 0 || r == 2)
      return;
  }
  char got[800];
  snprintf(got, sizeof got, "%zu of %zu sessions lost on a new connection; first: %s", broken, n,
           first);
  if (broken)
    ctx_violation(ctx, "every session answers on any TCP connection", got,
                  "%zu of %zu sessions were refused or lost on a new TCP connection (first: %s): "
                  "the server, or a balancer in front of instances that do not share sessions, "
                  "ties a session to where it was opened", broken, n, first);
  else {
    if (!resumed)
      ctx_note(ctx, "resumption not tried: %s", rwhy);
    if (resumed == -3)
      ctx_note(ctx, "resumption answered, without the call's response (%s): not held against "
               "the connection, the http/resume cases judge resumption itself", rwhy);
    snprintf(got, sizeof got, "%zu sessions: initialize, initialized, ping, GET%s, each request "
             "on its own new connection", n, resumed == 1 ? " and a resumption" : "");
    ctx_checked(ctx, "every session answers on any TCP connection", got);
  }
}

/* Two sessions interleaved on one kept-alive connection. */
static void shared_two_sessions(case_ctx *ctx) {
  shttp a, b;
  char why[600] = "";
  client_set_connections(ctx->client, CLIENT_CONN_NOTE);
  shttp_init(&a, ctx->client, ctx->cfg->url);
  shttp_init(&b, ctx->client, ctx->cfg->url);
  int ra = open_session(ctx, &a, why, sizeof why);
  int rb = ra ? ra : open_session(ctx, &b, why, sizeof why);
  if (ra == 2 || rb == 2)
    ctx_skip(ctx, "target issued no Mcp-Session-Id: no sessions to tell apart");
  if (ra < 0 || rb < 0 || ra == 2 || rb == 2)
    goto done;
  http_stream *pa = NULL;
  if (!ra && !rb) {
    if (ping_at(ctx, &a, NULL, &pa, why, sizeof why) ||
        ping_at(ctx, &b, NULL, NULL, why, sizeof why))
      ra = 1;
  }
  if (ra || rb) {
    ctx_violation(ctx, "both sessions answer on the connection they share", why,
                  "two sessions on one kept-alive connection: %s (the server, or a balancer "
                  "in front, does not serve every session on every connection)", why);
    goto done;
  }
  long pb = http_stream_local_port(b.init_stream), pp = http_stream_local_port(pa);
  if (pb != pp) {
    ctx_skip(ctx, "the connection was not kept alive (the second session opened on local port "
             "%ld, the first one's ping went on %ld): nothing shared to judge", pb, pp);
    goto done;
  }
  ctx_checked(ctx, "both sessions answer on the connection they share",
              "two sessions opened and pinged in turn on one connection");
done:
  shttp_free(&b);
  shttp_free(&a);
}

/* One legacy session through --url: stream, then initialize POSTed to
 * its endpoint (a new connection: the stream holds its own). 0 answered
 * on the stream, 1 refused or lost (why), -1 an error verdict. */
static int legacy_round(case_ctx *ctx, char *why, size_t len) {
  legacy l;
  char init[1200];
  legacy_init(&l, ctx->client, ctx->cfg->url);
  int r = -1;
  if (ctx_legacy_open(ctx, &l))
    goto done;
  http_stream *s =
      legacy_post(&l, shttp_initialize_request(init, sizeof init, "\"lb-init\"", ctx->cfg->spec));
  if (!s || http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "POST to %s: no answer", l.endpoint.url);
    goto done;
  }
  r = 1;
  if (s->status < 200 || s->status > 299) {
    snprintf(why, len, "POST at %.200s answered HTTP %ld", l.endpoint.url, s->status);
    goto done;
  }
  rpc_failure f = {{0}};
  jsonrpc_msg *m = rpc_await_response(l.stream, "\"lb-init\"", ctx_step_deadline(ctx), &f, NULL);
  if (!m)
    snprintf(why, len, "POST at %.200s answered HTTP %ld, but its response never came on the "
             "stream (%s)", l.endpoint.url, s->status, f.why);
  r = m ? 0 : 1;
  jsonrpc_free(m);
done:
  legacy_free(&l);
  return r;
}

/* MCPWIRE_LB_SESSIONS legacy sessions through --url: each POST reaches the
 * instance holding its stream (through a balancer, only with affinity on
 * the sessionId query parameter, or on the client). */
static void legacy_posts(case_ctx *ctx) {
  char why[600] = "", first[600] = "";
  size_t broken = 0, n = 0;
  for (; n < MCPWIRE_LB_SESSIONS; n++) {
    int r = legacy_round(ctx, why, sizeof why);
    if (r < 0)
      return;
    if (r && !broken++)
      snprintf(first, sizeof first, "%s", why);
  }
  char got[800];
  snprintf(got, sizeof got, "%zu of %zu POSTs refused or lost; first: %s", broken, n, first);
  if (broken)
    ctx_violation(ctx, "every POST answered on its session's stream", got,
                  "%zu of %zu legacy sessions lost their initialize (first: %s): the POST "
                  "reached an instance that does not hold the stream; the deployment needs "
                  "affinity, " KEY_QUERY, broken, n, first);
  else
    ctx_checked(ctx, "every POST answered on its session's stream",
                "each session's initialize POST was answered on its own stream");
}

/* ---- lb/instances (--instance) ---- */

static int need_instances(case_ctx *ctx) {
  if (ctx->cfg->ninstances)
    return 0;
  ctx_skip(ctx, "no --instance given: one URL, one instance as far as mcpwire knows");
  return -1;
}

/* A session opened on --url, then used on every instance. */
static void session_any_instance(case_ctx *ctx) {
  shttp h;
  char why[600] = "", bad[1200] = "";
  size_t broken = 0;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (need_instances(ctx) || ctx_http_session(ctx, &h))
    goto done;
  if (!h.session_id) {
    ctx_checked(ctx, "the session answers on every instance",
                "no Mcp-Session-Id issued: nothing ties a client to an instance");
    goto done;
  }
  for (size_t i = 0; i < ctx->cfg->ninstances; i++) {
    const char *u = ctx->cfg->instances[i];
    if (ping_at(ctx, &h, u, NULL, why, sizeof why) || get_at(ctx, &h, u, why, sizeof why)) {
      broken++;
      size_t n = strlen(bad);
      snprintf(bad + n, sizeof bad - n, "%s%s", n ? "; " : "", why);
    }
  }
  if (broken)
    ctx_violation(ctx, "the session answers on every instance", bad,
                  "a session opened on %s is refused by %zu of %zu other instance(s): sessions "
                  "live on their own instance; the deployment needs affinity, " KEY_HEADER,
                  ctx->cfg->url, broken, ctx->cfg->ninstances);
  else
    ctx_checked(ctx, "the session answers on every instance",
                "ping and GET answered on every instance: sessions are shared");
done:
  shttp_free(&h);
}

/* A stream cut on --url, resumed with Last-Event-ID on each instance. */
static void resume_other_instance(case_ctx *ctx) {
  shttp h;
  char why[600] = "";
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (need_instances(ctx) || ctx_http_session(ctx, &h))
    goto done;
  /* The control: resumed on --url itself, or there is nothing to compare. */
  int home = resume_elsewhere(ctx, &h, ctx->cfg->url, why, sizeof why);
  if (home == 0)
    ctx_skip(ctx, "%s", why);
  else if (home == -1 || home == -3)
    ctx_skip(ctx, "a cut stream does not resume even on --url, which holds it (%s): the "
             "http/resume cases judge that; nothing to compare", why);
  if (home != 1)
    goto done;
  for (size_t i = 0; i < ctx->cfg->ninstances && !ctx->decided; i++) {
    int r = resume_elsewhere(ctx, &h, ctx->cfg->instances[i], why, sizeof why);
    if (r == 0)
      ctx_skip(ctx, "%s", why);
    else if (r == -1 || r == -3)
      ctx_violation(ctx, "Last-Event-ID honoured on another instance", why,
                    "a stream cut on %s does not resume on another instance (%s): the "
                    "deployment needs affinity for resumption too, " KEY_HEADER, ctx->cfg->url, why);
  }
  if (!ctx->decided)
    ctx_checked(ctx, "Last-Event-ID honoured on another instance",
                "the cut call's response came on every other instance");
done:
  shttp_free(&h);
}

/* The legacy endpoint resolved against instance url (a relative endpoint,
 * as a balancer sees it: the path and sessionId query). NULL with a skip. */
static char *endpoint_on(case_ctx *ctx, const legacy *l, const char *url) {
  endpoint_url u = {0};
  if (strstr(l->endpoint_raw, "://")) {
    ctx_skip(ctx, "the endpoint event names an absolute URL (%.200s): its POSTs go where the "
             "server said, not through the balancer", l->endpoint_raw);
    return NULL;
  }
  if (endpoint_url_resolve(url, l->endpoint_raw, strlen(l->endpoint_raw), &u)) {
    ctx_error(ctx, "endpoint '%.100s' against %.200s: %s", l->endpoint_raw, url, u.error);
    endpoint_url_free(&u);
    return NULL;
  }
  return u.url; /* the caller frees it */
}

/* A legacy POST to the endpoint of --url's stream, sent to another
 * instance: is it answered on the stream? */
static void legacy_post_other_instance(case_ctx *ctx) {
  legacy l;
  char *url = NULL, init[1200];
  legacy_init(&l, ctx->client, ctx->cfg->url);
  if (need_instances(ctx) || ctx_legacy_open(ctx, &l) ||
      !(url = endpoint_on(ctx, &l, ctx->cfg->instances[0])))
    goto done;
  http_request req = {"POST", url, (const char *const[]){"Content-Type: application/json", NULL},
                      shttp_initialize_request(init, sizeof init, "\"lb-init\"", ctx->cfg->spec),
                      0};
  req.body_len = strlen(req.body);
  http_stream *s = client_start(ctx->client, &req);
  if (!s || http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "POST to %s: no answer", url);
    goto done;
  }
  char got[300];
  snprintf(got, sizeof got, "POST at %.200s answered HTTP %ld", url, s->status);
  if (s->status < 200 || s->status > 299) {
    ctx_violation(ctx, "the POST answered on the stream of --url", got,
                  "a legacy POST that lands on another instance than its stream's is refused "
                  "(%s): the deployment needs affinity, " KEY_QUERY, got);
    goto done;
  }
  rpc_failure f = {{0}};
  jsonrpc_msg *m = rpc_await_response(l.stream, "\"lb-init\"", ctx_step_deadline(ctx), &f, NULL);
  if (!m)
    ctx_violation(ctx, "the POST answered on the stream of --url", f.why,
                  "%s, but its response never came on the stream (%s): lost on the other "
                  "instance; the deployment needs affinity, " KEY_QUERY, got, f.why);
  else
    ctx_checked(ctx, "the POST answered on the stream of --url",
                "accepted by the other instance, answered on the stream");
  jsonrpc_free(m);
done:
  free(url);
  legacy_free(&l);
}

/* ---- the run's answer in one line ---- */

static const case_result *result_of(const run_result *r, const char *id) {
  for (size_t i = 0; r && i < r->ncases; i++)
    if (!strcmp(r->cases[i].id, id))
      return &r->cases[i];
  return NULL;
}

static int warned(const run_result *r, const char *id) {
  const case_result *c = result_of(r, id);
  return c && (c->verdict == VERDICT_WARN || c->verdict == VERDICT_FAIL);
}

static int passed(const run_result *r, const char *id) {
  const case_result *c = result_of(r, id);
  return c && c->verdict == VERDICT_PASS;
}

/* Reads the lb cases' verdicts and says whether affinity is needed, and on
 * which key. */
static void affinity(case_ctx *ctx) {
  const run_result *r = ctx->run;
  int shttp_bad = warned(r, "lb/instances/session-any-instance") ||
                  warned(r, "lb/instances/resume-other-instance");
  int legacy_bad = warned(r, "lb/instances/legacy-post-other-instance");
  int conn_bad = warned(r, "lb/connection/fresh-per-request") ||
                 warned(r, "lb/connection/shared-two-sessions");
  legacy_bad |= warned(r, "lb/connection/legacy-posts");
  int good = passed(r, "lb/instances/session-any-instance") ||
             passed(r, "lb/instances/resume-other-instance") ||
             passed(r, "lb/instances/legacy-post-other-instance");
  char line[600];
  if (shttp_bad || legacy_bad) {
    snprintf(line, sizeof line, "affinity needed%s%s%s%s", shttp_bad ? " for Streamable HTTP (" : "",
             shttp_bad ? KEY_HEADER ")" : "", legacy_bad ? " for legacy HTTP+SSE (" : "",
             legacy_bad ? KEY_QUERY ")" : "");
    ctx_warn(ctx, "sessions usable on any instance", line, "%s", line);
  } else if (conn_bad) {
    snprintf(line, sizeof line, "affinity needed: sessions are lost on new TCP connections (the "
             "server ties them to one, or a balancer spreads them over instances that do not "
             "share them); " KEY_HEADER);
    ctx_warn(ctx, "sessions usable on any connection", line, "%s", line);
  } else if (good) {
    ctx_checked(ctx, "sessions usable on any instance", "no affinity needed: sessions, streams "
                "and legacy POSTs answered on every instance given");
  } else if (passed(r, "lb/connection/fresh-per-request") ||
             passed(r, "lb/connection/legacy-posts")) {
    ctx_checked(ctx, "sessions usable on any connection", "sessions survive new TCP "
                "connections (one URL: give --instance to judge a deployment)");
  } else {
    ctx_skip(ctx, "no lb case judged anything in this run (select lb/* or give --instance)");
  }
}

const case_def balance_cases[] = {
    {CASE_ID("lb/connection", "fresh-per-request"),
     .title = "A session answers when every request goes on a new TCP connection",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-SESSION-05", "SHTTP-POST-14", "SHTTP-POLL-02"),
     .spec_ref = LB_REF, .run = fresh_per_request,
     .faults = FAULTS("session-bound-to-connection")},
    {CASE_ID("lb/connection", "shared-two-sessions"),
     .title = "Two sessions interleaved on one kept-alive connection both answer",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-SESSION-05", "SHTTP-SESSION-01"),
     .spec_ref = LB_REF, .run = shared_two_sessions,
     .faults = FAULTS("session-bound-to-connection")},
    {CASE_ID("lb/connection", "legacy-posts"),
     .title = "Legacy POSTs on new connections are answered on their session's stream",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_SHOULD,
     .requirements = REQS("SSELEG-09"), .spec_ref = LEGACY_REF, .run = legacy_posts,
     .no_fault_reason = "one mcpwire-mock process holds every legacy stream its port "
                        "serves; tests/nginx/balance.sh proves it both ways: nginx round-robin "
                        "over two mock processes breaks it, client-address affinity does not"},
    {CASE_ID("lb/instances", "session-any-instance"),
     .title = "A session opened on one instance answers on every --instance",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-SESSION-01", "SHTTP-SESSION-05"),
     .spec_ref = LB_REF, .run = session_any_instance,
     .faults = FAULTS("instance-local-sessions"), .proof = {.instances = 1}},
    {CASE_ID("lb/instances", "resume-other-instance"),
     .title = "A stream cut on one instance resumes with Last-Event-ID on another",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-RESUME-05", "SHTTP-POST-14"),
     .spec_ref = SPEC_2511 "basic/transports#resumability-and-redelivery",
     .run = resume_other_instance, .faults = FAULTS("instance-local-sessions"),
     .proof = {.instances = 1, .needs = NEED_SSE_REPLIES}, .fixtures = FX_PROGRESS},
    {CASE_ID("lb/instances", "legacy-post-other-instance"),
     .title = "A legacy POST that lands on another instance is answered on its stream",
     .transport = CASE_SSE, .revisions = REV_2024_11_05, .level = LEVEL_SHOULD,
     .requirements = REQS("SSELEG-09"), .spec_ref = LEGACY_REF,
     .run = legacy_post_other_instance, .faults = FAULTS("instance-local-sessions"),
     .proof = {.instances = 1}},
    {CASE_ID("lb", "affinity"),
     .title = "Does the deployment need session affinity, and on which key (one line)",
     .transport = CASE_ANY, .revisions = REV_ALL, .level = LEVEL_SHOULD,
     .requirements = REQS("SHTTP-SESSION-01", "SSELEG-09"), .spec_ref = LB_REF,
     .run = affinity, .run_wide = 1,
     .faults = FAULTS("instance-local-sessions", "session-bound-to-connection"),
     .proof = {.instances = 1}},
};
const size_t balance_ncases = NCASES(balance_cases);
