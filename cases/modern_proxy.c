/* modern/proxy: the proxy scenarios where the 2026-07-28 revision allows
 * them (issue #15). Its only streams are a request's response stream and
 * subscriptions/listen streams, with no resumption: a cut stream loses its
 * request, and the client re-issues it under a new id (S26-CANCEL-05,
 * S26-SSE-06, -07). Cases that test the path talk to the run's URL (direct,
 * mcpwire run --proxy, nginx); the cut cases put the harness's own fault
 * proxy in front of it. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "mcpwire_limits.h"
#include "verifier/proxy_front.h"
#include "verifier/stateless_probe.h"

#define SSE_REF SPEC_2607 "basic/transports/streamable-http#sending-messages-to-the-server"
#define CANCEL_REF SPEC_2607 "basic/utilities/cancellation"
#define LISTEN_REF SPEC_2607 "basic/patterns/subscriptions"
#define TOKEN "\"mcpwire-modern-proxy\""
#define REISSUE_TOKEN "\"mcpwire-modern-proxy-reissue\""
#define SUBSCRIPTION_ID "params._meta[\"io.modelcontextprotocol/subscriptionId\"]"
#define ACK "notifications/subscriptions/acknowledged"
#define TOOLS_FILTER "{\"toolsListChanged\":true}"
/* The likely cause named by every "held back" verdict of the section. */
#define HELD_CAUSE "the server, or a proxy in front of it that buffers responses (nginx: " \
                   "proxy_buffering without X-Accel-Buffering: no, or HTTP/1.0 to the upstream)"

/* What one progress call's stream showed, and when. */
typedef struct call_read {
  int progress;            /* notifications/progress with the call's token */
  int stale;               /* messages of an earlier, cut call (its token or id) */
  int answered;            /* the response to the call's id came */
  int with_id;             /* events carrying an SSE id: field */
  double first_progress;   /* clock_ms() at the first progress; 0: none */
  double response;         /* clock_ms() at the response; 0: none */
} call_read;

/* Why a stream has no response head, for a verdict line. */
static const char *no_head_why(http_stream *s) {
  const char *e = s ? http_stream_error(s) : "not sent";
  return e && *e ? e : "none within the step";
}

static int raw_is(const jsonrpc_msg *m, const char *path, const char *raw) {
  size_t len = 0;
  const char *v = jsonrpc_get_raw(m, path, &len);
  return v && raw && jsonrpc_id_equal(v, len, raw, strlen(raw));
}

/* Reads s until the response to id_raw (or the stream ends); stale_*:
 * the token and id of a cut call whose messages must not show up. */
static void read_call(case_ctx *ctx, http_stream *s, const char *id_raw, const char *token,
                      const char *stale_id, const char *stale_token, call_read *r) {
  memset(r, 0, sizeof *r);
  for (int i = 0; i < MCPWIRE_STREAM_EVENTS_MAX && !r->answered; i++) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
    if (!m)
      break;
    const char *method = jsonrpc_method(m);
    int progress = method && !strcmp(method, "notifications/progress");
    if ((progress && raw_is(m, "params.progressToken", stale_token)) ||
        (!method && raw_is(m, "id", stale_id)))
      r->stale++;
    else if (progress && raw_is(m, "params.progressToken", token) && !r->progress++)
      r->first_progress = clock_ms();
    else if (!method && raw_is(m, "id", id_raw)) {
      r->answered = 1;
      r->response = clock_ms();
    }
    jsonrpc_free(m);
  }
  for (size_t i = 0; i < s->nevents; i++)
    r->with_id += s->events[i].id && s->events[i].id[0];
}

/* POSTs the progress fixture with id_raw and token to url; the stream once
 * its head came and it is an event stream, else NULL with a verdict (an
 * error becomes the held-back warning when other requests were answered). */
static http_stream *progress_post(case_ctx *ctx, const stateless_fixture *sf, const char *url,
                                  const char *id_raw, const char *token) {
  stateless_request req = stateless_fixture_call(sf, id_raw);
  char extra[96];
  snprintf(extra, sizeof extra, "\"progressToken\":%s", token);
  req.meta_extra = extra;
  http_stream *s = stateless_post(ctx->client, url, &req);
  if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "%s: no response head: %s", sf->fx.tool, no_head_why(s));
    return NULL;
  }
  if (!http_stream_is_event_stream(s)) {
    ctx_skip(ctx, "%s was answered as one JSON body (HTTP %ld): no response stream to carry "
             "progress through a proxy", sf->fx.tool, s->status);
    return NULL;
  }
  return s;
}

/* "X-Accel-Buffering: no" reached mcpwire on s. */
static int accel_marked(http_stream *s) {
  const char *v = http_stream_header(s, "X-Accel-Buffering", NULL);
  return v && !strcmp(v, "no");
}

/* S26-SSE-01, -04: through the run's path, a call's progress arrives while
 * the call runs, not held back until its response. */
static void progress_while_running(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_PROGRESS, &sf))
    return;
  double t0 = clock_ms();
  http_stream *s = progress_post(ctx, &sf, ctx->cfg->url, "\"proxy-progress\"", TOKEN);
  if (!s)
    return;
  call_read r;
  read_call(ctx, s, "\"proxy-progress\"", TOKEN, NULL, NULL, &r);
  if (!r.answered) {
    ctx_error(ctx, "%s: the stream ended without the response", sf.fx.tool);
    return;
  }
  if (!r.progress) {
    ctx_skip(ctx, "%s sent no progress with the call's token: nothing to see held", sf.fx.tool);
    return;
  }
  double ahead = r.response - r.first_progress;
  char got[200];
  snprintf(got, sizeof got, "%d progress, the first %.0f ms before the response (call %.0f ms)",
           r.progress, ahead, r.response - t0);
  static const char want[] = "progress delivered while the call runs";
  if (ahead >= MCPWIRE_PROGRESS_AHEAD_MIN_MS)
    ctx_checked(ctx, want, got);
  else
    ctx_violation(ctx, want, got,
                  "held back: the call's %d progress notifications came with its response "
                  "(%.0f ms apart, the call took %.0f ms); %s holds the stream's events%s",
                  r.progress, ahead, r.response - t0, HELD_CAUSE,
                  accel_marked(s) ? "" : "; X-Accel-Buffering: no did not reach mcpwire");
}

/* POSTs subscriptions/listen with id_raw to url; the stream once its head
 * came, or NULL with a verdict (a skip when listen is refused by a server
 * that may refuse it, S26-LISTEN-14). */
static http_stream *listen_post(case_ctx *ctx, const char *url, const char *id_raw) {
  stateless_request req = {.id_raw = id_raw, .method = "subscriptions/listen",
                           .params = "\"notifications\":" TOOLS_FILTER};
  http_stream *s = stateless_post(ctx->client, url, &req);
  if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    client_census n = client_take_census(ctx->client);
    if (s && !s->status && http_stream_ended(s) && n.answered)
      ctx_stream_held(ctx, s, n.answered, "the connection closed before any byte of the "
                      "listen's response: held back until a timer in the path cut it");
    else
      ctx_error(ctx, "subscriptions/listen %s: no response head: %s", id_raw,
                no_head_why(s));
    return NULL;
  }
  if (s->status == 200 && http_stream_is_event_stream(s))
    return s;
  ctx_skip(ctx, "subscriptions/listen answered HTTP %ld, not an event stream (modern/listen "
           "judges whether it may refuse, S26-LISTEN-14): no listen stream", s->status);
  return NULL;
}

/* The first message on s is the ack tagged id_raw (S26-LISTEN-02, -04);
 * 1 when so, else a violation naming `when`. */
static int ack_first(case_ctx *ctx, http_stream *s, const char *id_raw, const char *when) {
  rpc_failure f = {{0}};
  jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
  const char *method = m ? jsonrpc_method(m) : NULL;
  int ok = method && !strcmp(method, ACK) && raw_is(m, SUBSCRIPTION_ID, id_raw);
  if (!ok)
    ctx_violation(ctx, ACK " first, tagged with the listen id", m ? (method ? method : "not a "
                  "notification") : f.why, "%s: listen %s: %s", when, id_raw,
                  !m ? "no acknowledgement while the stream was open"
                  : method && !strcmp(method, ACK) ? "the acknowledgement is not tagged with its id"
                                                    : "the first message is not the acknowledgement");
  jsonrpc_free(m);
  return ok;
}

/* S26-SSE-04: every event stream says X-Accel-Buffering: no, so nginx
 * passes its events on as they are written: a listen stream, and the
 * response stream of a tools/list answered as one (a JSON reply has no
 * stream to mark; modern/sse/accel-buffering-no judges a call's). */
static void accel_buffering_streams(case_ctx *ctx) {
  stateless_request list = {.id_raw = "\"proxy-accel-list\"", .method = "tools/list"};
  http_stream *reply = stateless_post(ctx->client, ctx->cfg->url, &list);
  if (http_stream_wait_headers(reply, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "tools/list: no response head: %s", no_head_why(reply));
    return;
  }
  int sse = http_stream_is_event_stream(reply), list_ok = !sse || accel_marked(reply);
  http_stream *listen = listen_post(ctx, ctx->cfg->url, "\"proxy-accel-listen\"");
  if (!listen)
    return;
  int listen_ok = accel_marked(listen), marked = list_ok + listen_ok - !sse;
  char got[200];
  snprintf(got, sizeof got, "%d of %d event streams marked%s%s%s%s", marked, 1 + sse,
           list_ok && listen_ok ? "" : "; unmarked:", list_ok ? "" : " the tools/list response "
           "stream", !list_ok && !listen_ok ? "," : "", listen_ok ? "" : " the listen stream");
  static const char want[] = "X-Accel-Buffering: no on every event stream (listen, response)";
  if (list_ok && listen_ok)
    ctx_checked(ctx, want, got);
  else
    ctx_violation(ctx, want, got,
                  "nginx will buffer these streams unless its operator turns buffering off: "
                  "%s; the header did not reach mcpwire: the server did not send it, or "
                  "something in between removed it (nginx itself never passes X-Accel-* "
                  "headers on)", got);
  http_stream_close(reply);
  http_stream_close(listen);
}

/* Reads listen stream s for window_ms: 1 when a tools/list_changed came. */
static int list_changed_on(http_stream *s, double window_ms) {
  double end = clock_ms() + window_ms;
  for (;;) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(s, end, &f);
    if (!m)
      return 0;
    const char *method = jsonrpc_method(m);
    int hit = method && !strcmp(method, "notifications/tools/list_changed");
    jsonrpc_free(m);
    if (hit)
      return 1;
  }
}

/* S26-LISTEN-02, -07: through the run's path, a listen stream delivers its
 * ack and a list_changed while it is open. */
static void listen_delivers(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_LIST_CHANGED, &sf))
    return;
  double t0 = clock_ms();
  http_stream *s = listen_post(ctx, ctx->cfg->url, "\"proxy-listen\"");
  if (!s || !ack_first(ctx, s, "\"proxy-listen\"", "through the path"))
    return;
  double acked = clock_ms() - t0;
  stateless_request trigger = stateless_fixture_call(&sf, "\"proxy-trigger\"");
  if (!stateless_probe_served(ctx, &trigger, sf.fx.tool, NULL))
    return;
  double sent = clock_ms();
  char got[200];
  if (list_changed_on(s, ctx_step_deadline(ctx) - clock_ms())) {
    snprintf(got, sizeof got, "ack %.0f ms after the listen, tools/list_changed %.0f ms after "
             "the trigger's response", acked, clock_ms() - sent);
    ctx_checked(ctx, "ack and list_changed while the listen stream is open", got);
  } else if (!ctx->decided) {
    snprintf(got, sizeof got, "no tools/list_changed in %.0f ms on the open listen stream%s",
             clock_ms() - sent, http_stream_ended(s) ? " (it ended)" : "");
    ctx_violation(ctx, "ack and list_changed while the listen stream is open", got,
                  "%s changed the tool list: %s; %s may hold it", sf.fx.tool, got, HELD_CAUSE);
  }
  http_stream_close(s);
}

/* The cut call: through a proxy that drops it after its first event. 0
 * with the stream cut before the response; else a verdict (-1). */
static int cut_call(case_ctx *ctx, proxy_front *pf, const stateless_fixture *sf) {
  http_stream *s = progress_post(ctx, sf, pf->url, "\"proxy-cut\"", TOKEN);
  if (!s)
    return -1;
  call_read r;
  read_call(ctx, s, "\"proxy-cut\"", TOKEN, NULL, NULL, &r);
  if (r.answered || !proxy_front_faults_fired(pf)) {
    ctx_skip(ctx, "the proxy's cut-events=1 did not cut %s before its response (one event "
             "only): no broken stream to re-issue after", sf->fx.tool);
    return -1;
  }
  ctx_note(ctx, "the proxy cut %s's stream after its first event (%d progress, no response)",
           sf->fx.tool, r.progress);
  if (r.with_id)
    ctx_note(ctx, "INFO: %d event(s) carried an SSE id: field, which has no meaning in "
             "2026-07-28 (S26-SSE-06); mcpwire does not resume", r.with_id);
  return 0;
}

/* The re-issue of the cut call (new id, new token) through pf's URL, once
 * its head came, whatever the reply's type; NULL with a verdict. */
static http_stream *reissue_post(case_ctx *ctx, const stateless_fixture *sf, const char *url) {
  stateless_request req = stateless_fixture_call(sf, "\"proxy-reissue\"");
  req.meta_extra = "\"progressToken\":" REISSUE_TOKEN;
  http_stream *s = stateless_post(ctx->client, url, &req);
  if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "the re-issued %s: no response head: %s", sf->fx.tool,
              no_head_why(s));
    return NULL;
  }
  return s;
}

/* A JSON reply to the re-issue: answered, or the refusal's code in why. */
static void read_body(case_ctx *ctx, http_stream *s, call_read *r, char *why, size_t len) {
  rpc_failure f = {{0}};
  jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
  long code = 0;
  if (m && jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE && raw_is(m, "id", "\"proxy-reissue\""))
    r->answered = 1;
  else if (m && jsonrpc_error_code(m, &code))
    snprintf(why, len, "error %ld", code);
  else
    snprintf(why, len, "%s", m ? "another message" : f.why);
  jsonrpc_free(m);
}

/* S26-META-01, S26-SSE-06: a call whose stream a proxy cut is lost;
 * re-issued under a new id and token (the client's duty, S26-CANCEL-05) it
 * gets a complete answer, and its stream replays nothing of the cut call.
 * SHOULD: each request stands alone (an implied MUST), and no MUST says a
 * refused re-issue breaks the revision, so a refusal warns. */
static void reissue_after_cut(case_ctx *ctx) {
  stateless_fixture sf;
  proxy_front pf = {0};
  if (stateless_probe_require_fixture(ctx, FIXTURE_PROGRESS, &sf) ||
      proxy_front_start(ctx, &pf, "cut-events=1,times=1"))
    return;
  if (cut_call(ctx, &pf, &sf)) {
    proxy_front_stop(&pf);
    return;
  }
  http_stream *s = reissue_post(ctx, &sf, pf.url);
  call_read r = {0};
  char refusal[320] = "";
  if (s && http_stream_is_event_stream(s))
    read_call(ctx, s, "\"proxy-reissue\"", REISSUE_TOKEN, "\"proxy-cut\"", TOKEN, &r);
  else if (s)
    read_body(ctx, s, &r, refusal, sizeof refusal);
  char got[480];
  snprintf(got, sizeof got, "re-issued call: HTTP %ld, %s, %d progress of its own, %d "
           "message(s) of the cut call", s ? s->status : 0L, r.answered ? "answered" :
           *refusal ? refusal : "no response", r.progress, r.stale);
  static const char want[] = "a complete answer under the new id, nothing of the cut call";
  if (!s) {
    /* reissue_post set the verdict */
  } else if (!r.answered) {
    ctx_violation(ctx, want, got, "after a proxy cut the first call's stream, the re-issued "
                  "request (new id, new token) was not answered: %s; the lost call must not "
                  "block it", got);
  } else if (r.stale) {
    ctx_violation(ctx, want, got, "the re-issued call's stream carried %d message(s) of the cut "
                  "call: no replay in 2026-07-28 (S26-SSE-06), a stream carries its own "
                  "request's messages (S26-SSE-01)", r.stale);
  } else {
    ctx_checked(ctx, want, got);
  }
  proxy_front_stop(&pf);
}

/* Waits until s ends or max_ms pass; 1 when it ended. */
static int ends_within(case_ctx *ctx, http_stream *s, double max_ms) {
  double end = clock_ms() + max_ms;
  if (end > ctx_step_deadline(ctx))
    end = ctx_step_deadline(ctx);
  return !http_stream_wait_done(s, end) && http_stream_ended(s);
}

/* S26-LISTEN-02, -04, -10: a load balancer cuts an idle listen stream; a
 * new listen (new id) through it gets a fresh ack tagged with the new id. */
static void relisten_after_idle_cut(case_ctx *ctx) {
  proxy_front pf = {0};
  char modes[64];
  snprintf(modes, sizeof modes, "idle-cut=%d", MCPWIRE_PROXY_IDLE_CUT_PROBE_MS);
  if (proxy_front_start(ctx, &pf, modes))
    return;
  /* a discover first: the path answers a request that ends */
  stateless_request disc = {.id_raw = "\"proxy-discover\"", .method = "server/discover"};
  rpc_failure f = {{0}};
  jsonrpc_msg *m = stateless_call(ctx->client, pf.url, &disc, ctx_step_deadline(ctx), NULL, &f);
  jsonrpc_free(m);
  if (!m) {
    ctx_error(ctx, "server/discover through the idle-cut proxy: %s", f.why);
    proxy_front_stop(&pf);
    return;
  }
  http_stream *first = listen_post(ctx, pf.url, "\"proxy-listen-1\"");
  if (!first || !ack_first(ctx, first, "\"proxy-listen-1\"", "before the cut")) {
    proxy_front_stop(&pf);
    return;
  }
  if (ends_within(ctx, first, 4.0 * MCPWIRE_PROXY_IDLE_CUT_PROBE_MS))
    ctx_note(ctx, "the proxy cut the idle listen stream (idle-cut=%d)",
             MCPWIRE_PROXY_IDLE_CUT_PROBE_MS);
  else
    ctx_note(ctx, "keep-alives kept the listen stream open past %d ms idle; closing it as a "
             "cut would", MCPWIRE_PROXY_IDLE_CUT_PROBE_MS);
  http_stream_close(first);
  http_stream *again = listen_post(ctx, pf.url, "\"proxy-listen-2\"");
  if (again && ack_first(ctx, again, "\"proxy-listen-2\"", "after the cut"))
    ctx_checked(ctx, "a fresh ack tagged with the new listen id", "acknowledged \"proxy-listen-2\"");
  proxy_front_stop(&pf);
}

const case_def modern_proxy_cases[] = {
    {CASE_ID("modern/proxy", "progress-while-running"),
     .title = "Through the path to the target a call's progress arrives while it runs",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-SSE-01", "S26-SSE-04"), .spec_ref = SSE_REF,
     .run = progress_while_running, .fixtures = FX_PROGRESS,
     .faults = FAULTS("s26-events-held")},
    {CASE_ID("modern/proxy", "accel-buffering-streams"),
     .title = "Listen and response event streams say X-Accel-Buffering: no",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-SSE-04"), .spec_ref = SSE_REF, .run = accel_buffering_streams,
     .faults = FAULTS("no-accel-buffering-header")},
    {CASE_ID("modern/proxy", "listen-delivers"),
     .title = "Through the path to the target a listen stream delivers its ack and a "
              "list_changed while open",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-LISTEN-02", "S26-LISTEN-07"), .spec_ref = LISTEN_REF,
     .run = listen_delivers, .fixtures = FX_LIST_CHANGED,
     .faults = FAULTS("s26-listen-no-ack")},
    {CASE_ID("modern/proxy", "reissue-after-cut"),
     .title = "A call whose stream a proxy cut, re-issued under a new id, gets a complete answer",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-META-01", "S26-SSE-06"),
     .spec_ref = CANCEL_REF, .run = reissue_after_cut, .fixtures = FX_PROGRESS,
     .faults = FAULTS("s26-reissue-refused")},
    {CASE_ID("modern/proxy", "relisten-after-idle-cut"),
     .title = "After an idle cut of a listen stream a new listen gets a fresh ack",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-LISTEN-02", "S26-LISTEN-04", "S26-LISTEN-10"),
     .spec_ref = LISTEN_REF, .run = relisten_after_idle_cut, .slow = 1,
     .faults = FAULTS("s26-listen-no-ack", "s26-listen-untagged")},
};
const size_t modern_proxy_ncases = NCASES(modern_proxy_cases);
