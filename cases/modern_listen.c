/* modern/listen: subscriptions/listen, the stateless era's notification
 * stream (2026-07-28 catalog section 7, S26-LISTEN): acknowledged first,
 * every message tagged with the listen request's id, only the types asked
 * for. A server that declares no listChanged may refuse listen (-32601,
 * S26-LISTEN-14): the cases skip then. The trigger of a tools/list_changed
 * is the list_changed fixture role. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "mcpwire_limits.h"
#include "verifier/stateless_probe.h"

#define LISTEN_REF SPEC_2607 "basic/patterns/subscriptions"
#define SUBSCRIPTION_ID "params._meta[\"io.modelcontextprotocol/subscriptionId\"]"
#define ACK "notifications/subscriptions/acknowledged"

/* 1 when discover declares a listChanged (a listen the server must serve). */
static int declares_list_changed(case_ctx *ctx) {
  jsonrpc_msg *disc = NULL;
  if (stateless_probe_discover(ctx, &disc))
    return -1;
  int any = 0;
  static const char *const caps[] = {"tools", "prompts", "resources"};
  for (size_t i = 0; i < 3; i++) {
    char at[80];
    snprintf(at, sizeof at, "result.capabilities.%s.listChanged", caps[i]);
    any |= jsonrpc_get_type(disc, at) == JSONRPC_T_TRUE;
  }
  jsonrpc_free(disc);
  return any;
}

/* POSTs listen with id_raw for `filter` (the notifications object); the
 * stream once its headers came, or NULL with a verdict (a skip when the
 * server declares no listChanged and refuses listen). */
static http_stream *listen_open(case_ctx *ctx, const char *id_raw, const char *filter) {
  char params[200];
  snprintf(params, sizeof params, "\"notifications\":%s", filter);
  stateless_request req = {.id_raw = id_raw, .method = "subscriptions/listen", .params = params};
  http_stream *s = stateless_post(ctx->client, ctx->cfg->url, &req);
  if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "subscriptions/listen: no response: %s", s ? http_stream_error(s) : "not sent");
    return NULL;
  }
  if (s->status == 200 && http_stream_is_event_stream(s))
    return s;
  char got[48];
  snprintf(got, sizeof got, "HTTP %ld", s->status);
  int declared = declares_list_changed(ctx);
  if (declared == 0)
    ctx_skip(ctx, "listen answered %s and discover declares no listChanged (S26-LISTEN-14)", got);
  else if (declared > 0)
    ctx_violation(ctx, "HTTP 200 and a text/event-stream", got,
                  "subscriptions/listen answered %s although discover declares listChanged", got);
  return NULL;
}

/* The tag of a listen-stream message equals id_raw, type kept. */
static int tagged(const jsonrpc_msg *m, const char *id_raw) {
  size_t len = 0;
  const char *raw = jsonrpc_get_raw(m, SUBSCRIPTION_ID, &len);
  return raw && jsonrpc_id_equal(raw, len, id_raw, strlen(id_raw));
}

/* The first message of a listen stream: the acknowledgement, tagged with
 * id_raw (S26-LISTEN-02, -04). 1 when so; else a verdict. */
static int acknowledged(case_ctx *ctx, http_stream *s, const char *id_raw) {
  rpc_failure f = {{0}};
  jsonrpc_msg *m = rpc_next_message(s, ctx_step_deadline(ctx), &f);
  const char *method = m ? jsonrpc_method(m) : NULL;
  int ok = 0;
  if (!m)
    ctx_violation(ctx, ACK " first", f.why, "listen %s: no first message: %s", id_raw, f.why);
  else if (!method || strcmp(method, ACK))
    ctx_violation(ctx, ACK " first", method ? method : jsonrpc_kind_name(jsonrpc_kind_of(m)),
                  "listen %s: the first message is %s", id_raw, method ? method : "not one");
  else if (!tagged(m, id_raw))
    ctx_violation(ctx, "_meta subscriptionId = the listen id, type kept", id_raw,
                  "listen %s: the acknowledgement's subscriptionId is not %s", id_raw, id_raw);
  else
    ok = 1;
  jsonrpc_free(m);
  return ok;
}

/* S26-LISTEN-01, -02, -04: listen with a string id and with an integer id
 * each get an event stream whose first message is the acknowledgement,
 * tagged with that id (type kept). */
static void ack_first_tagged(case_ctx *ctx) {
  static const char *const ids[] = {"\"sub-7\"", "7"};
  for (size_t i = 0; i < 2; i++) {
    http_stream *s = listen_open(ctx, ids[i], "{\"toolsListChanged\":true}");
    if (!s || !acknowledged(ctx, s, ids[i]))
      return;
    http_stream_close(s); /* the client ends a subscription by closing (S26-LISTEN-11) */
  }
  ctx_checked(ctx, "acknowledged first, tagged \"sub-7\" and 7", "as required");
}

/* Reads `s` for at most window_ms: 1 when a tools/list_changed came,
 * tagged with id_raw (an untagged one is a violation). */
static int list_changed_seen(case_ctx *ctx, http_stream *s, const char *id_raw, double window_ms) {
  double end = clock_ms() + window_ms;
  for (;;) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(s, end, &f);
    if (!m)
      return 0;
    const char *method = jsonrpc_method(m);
    int hit = method && !strcmp(method, "notifications/tools/list_changed");
    if (hit && !tagged(m, id_raw))
      ctx_violation(ctx, "_meta subscriptionId on every listen notification", "untagged",
                    "a tools/list_changed on listen %s carries no matching subscriptionId",
                    id_raw);
    jsonrpc_free(m);
    if (hit)
      return 1;
  }
}

/* S26-LISTEN-05: a listen for prompts only gets no tools/list_changed;
 * a listen for tools, open beside it, gets the one the trigger sends
 * (so the trigger worked). */
static void filter_honoured(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_LIST_CHANGED, &sf))
    return;
  http_stream *prompts = listen_open(ctx, "\"prompts-only\"", "{\"promptsListChanged\":true}");
  if (!prompts || !acknowledged(ctx, prompts, "\"prompts-only\""))
    return;
  http_stream *tools = listen_open(ctx, "\"tools\"", "{\"toolsListChanged\":true}");
  if (!tools || !acknowledged(ctx, tools, "\"tools\""))
    return;
  stateless_request trigger = stateless_fixture_call(&sf, "\"trigger\"");
  if (!stateless_probe_served(ctx, &trigger, sf.fx.tool, NULL))
    return;
  if (!list_changed_seen(ctx, tools, "\"tools\"", ctx_step_deadline(ctx) - clock_ms())) {
    if (!ctx->decided)
      ctx_skip(ctx, "%s sent no tools/list_changed to the listen that asked for it: the "
               "filter cannot be judged", sf.fx.tool);
    return;
  }
  double window = ctx_window_ms(ctx, MCPWIRE_QUIET_WINDOW_MS);
  if (list_changed_seen(ctx, prompts, "\"prompts-only\"", window))
    ctx_violation(ctx, "no tools/list_changed on a listen for prompts only",
                  "tools/list_changed", "a notification type the listen did not ask for came");
  else if (!ctx->decided)
    ctx_checked(ctx, "tools/list_changed only where asked for", "as required");
}

#define ALL_LISTS "\"toolsListChanged\":true,\"promptsListChanged\":true,\"resourcesListChanged\":true"

/* Reads listen stream s for window_ms: the first request-scoped
 * notification (progress or log message) seen there, or NULL. */
static const char *request_scoped_seen(http_stream *s, double window_ms) {
  double end = clock_ms() + window_ms;
  for (;;) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = rpc_next_message(s, end, &f);
    if (!m)
      return NULL;
    const char *method = jsonrpc_method(m);
    const char *hit = !method                                        ? NULL
                      : !strcmp(method, "notifications/progress")    ? "notifications/progress"
                      : !strcmp(method, "notifications/message")     ? "notifications/message"
                                                                     : NULL;
    jsonrpc_free(m);
    if (hit)
      return hit;
  }
}

/* S26-LISTEN-06: with a listen for every list open, a call of the
 * progress fixture with a progressToken and logLevel debug is served; its
 * progress and log messages never reach the listen stream. */
static void no_request_notifications(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_PROGRESS, &sf))
    return;
  http_stream *listen = listen_open(ctx, "\"quiet\"", "{" ALL_LISTS "}");
  if (!listen || !acknowledged(ctx, listen, "\"quiet\""))
    return;
  stateless_request call = stateless_fixture_call(&sf, "\"beside-listen\"");
  call.meta_extra = "\"progressToken\":\"mcpwire-beside-listen\","
                    "\"io.modelcontextprotocol/logLevel\":\"debug\"";
  if (!stateless_probe_served(ctx, &call, sf.fx.tool, NULL))
    return;
  const char *leak = request_scoped_seen(listen, ctx_window_ms(ctx, MCPWIRE_QUIET_WINDOW_MS));
  if (leak)
    ctx_violation(ctx, "no progress or log message on a listen stream", leak,
                  "%s of a call reached the listen stream", leak);
  else
    ctx_checked(ctx, "no progress or log message on the listen stream", "none");
}

/* The filter of the listen the ack case opens: every list, and a resource
 * subscription (a server that refuses that is asked again without it). */
static http_stream *listen_everything(case_ctx *ctx, int *with_uri) {
  char params[256];
  snprintf(params, sizeof params, "\"notifications\":{" ALL_LISTS
           ",\"resourceSubscriptions\":[\"mcpwire://listen/ack-subset\"]}");
  stateless_request req = {.id_raw = "\"ack-subset\"", .method = "subscriptions/listen",
                           .params = params};
  http_stream *s = stateless_post(ctx->client, ctx->cfg->url, &req);
  if (!http_stream_wait_headers(s, ctx_step_deadline(ctx)) && s->status == 200 &&
      http_stream_is_event_stream(s)) {
    *with_uri = 1;
    return s;
  }
  client_release(s);
  *with_uri = 0;
  return listen_open(ctx, "\"ack-subset\"", "{" ALL_LISTS "}");
}

/* Why an acked notification type is not one the server can honour (NULL:
 * it is): asked for, and declared in discover's capabilities. */
static const char *ack_field_wrong(const jsonrpc_msg *disc, const char *key, int with_uri) {
  static const char *const fields[][2] = {{"toolsListChanged", "tools.listChanged"},
                                          {"promptsListChanged", "prompts.listChanged"},
                                          {"resourcesListChanged", "resources.listChanged"},
                                          {"resourceSubscriptions", "resources.subscribe"}};
  for (size_t i = 0; i < 4; i++) {
    if (strcmp(key, fields[i][0]))
      continue;
    if (i == 3 && !with_uri)
      return "never asked for";
    char at[80];
    snprintf(at, sizeof at, "result.capabilities.%s", fields[i][1]);
    return jsonrpc_get_type(disc, at) == JSONRPC_T_TRUE ? NULL : "not declared in discover";
  }
  return "never asked for";
}

/* S26-LISTEN-03: the ack names only types asked for that the server
 * honours: each *ListChanged its discover declares listChanged for, and
 * resourceSubscriptions only with resources.subscribe. */
static void ack_subset(case_ctx *ctx) {
  jsonrpc_msg *disc = NULL;
  if (stateless_probe_discover(ctx, &disc))
    return;
  int with_uri = 0;
  http_stream *s = listen_everything(ctx, &with_uri);
  rpc_failure f = {{0}};
  jsonrpc_msg *ack = s ? rpc_next_message(s, ctx_step_deadline(ctx), &f) : NULL;
  const char *method = ack ? jsonrpc_method(ack) : NULL;
  if (s && (!method || strcmp(method, ACK)))
    ctx_skip(ctx, "the listen's first message is no acknowledgement (%s): "
             "modern/listen/ack-first-tagged judges that", ack ? "another message" : f.why);
  size_t n = method && !strcmp(method, ACK) ? jsonrpc_get_count(ack, "params.notifications") : 0;
  for (size_t i = 0; i < n && !ctx->decided; i++) {
    const char *key = jsonrpc_get_key(ack, "params.notifications", i);
    const char *wrong = key ? ack_field_wrong(disc, key, with_uri) : NULL;
    if (wrong)
      ctx_violation(ctx, "the ack names only types asked for and honoured", key,
                    "the ack names %s: %s", key, wrong);
  }
  if (!ctx->decided)
    ctx_checked(ctx, "the ack names only types asked for and honoured", "as required");
  jsonrpc_free(ack);
  jsonrpc_free(disc);
}

/* S26-LISTEN-07 (SHOULD): a server declaring tools listChanged sends
 * tools/list_changed to a listen that asked for it when the list_changed
 * fixture changes the list. */
static void list_changed_sent(case_ctx *ctx) {
  stateless_fixture sf;
  if (stateless_probe_require_fixture(ctx, FIXTURE_LIST_CHANGED, &sf))
    return;
  jsonrpc_msg *disc = NULL;
  if (stateless_probe_discover(ctx, &disc))
    return;
  int declared = jsonrpc_get_type(disc, "result.capabilities.tools.listChanged") == JSONRPC_T_TRUE;
  jsonrpc_free(disc);
  if (!declared) {
    ctx_skip(ctx, "discover declares no tools.listChanged: nothing is owed");
    return;
  }
  http_stream *tools = listen_open(ctx, "\"changes\"", "{\"toolsListChanged\":true}");
  if (!tools || !acknowledged(ctx, tools, "\"changes\""))
    return;
  stateless_request trigger = stateless_fixture_call(&sf, "\"change\"");
  if (!stateless_probe_served(ctx, &trigger, sf.fx.tool, NULL))
    return;
  if (list_changed_seen(ctx, tools, "\"changes\"", ctx_step_deadline(ctx) - clock_ms()))
    ctx_checked(ctx, "tools/list_changed on the listen stream", "tools/list_changed");
  else if (!ctx->decided)
    ctx_warn(ctx, "tools/list_changed on the listen stream", "none within the step",
             "%s changed the tool list and the listen for it got no tools/list_changed",
             sf.fx.tool);
}

const case_def modern_listen_cases[] = {
    {CASE_ID("modern/listen", "ack-first-tagged"),
     .title = "subscriptions/listen is acknowledged first, tagged with its id (type kept)",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-LISTEN-01", "S26-LISTEN-02", "S26-LISTEN-04"),
     .spec_ref = LISTEN_REF, .run = ack_first_tagged,
     .faults = FAULTS("s26-listen-no-ack", "s26-listen-untagged")},
    {CASE_ID("modern/listen", "filter-honoured"),
     .title = "A listen stream gets only the notification types it asked for",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-LISTEN-05"), .spec_ref = LISTEN_REF,
     .run = filter_honoured, .slow = 1, .fixtures = FX_LIST_CHANGED,
     .faults = FAULTS("s26-listen-ignores-filter")},
    {CASE_ID("modern/listen", "no-request-notifications"),
     .title = "A call's progress and log messages never travel on a listen stream",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-LISTEN-06"), .spec_ref = LISTEN_REF,
     .run = no_request_notifications, .slow = 1, .fixtures = FX_PROGRESS,
     .faults = FAULTS("s26-progress-on-listen")},
    {CASE_ID("modern/listen", "ack-subset"),
     .title = "The listen ack names only the types asked for that the server honours",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_MUST,
     .requirements = REQS("S26-LISTEN-03"), .spec_ref = LISTEN_REF, .run = ack_subset,
     .faults = FAULTS("s26-ack-echoes-filter")},
    {CASE_ID("modern/listen", "list-changed-sent"),
     .title = "A declared tools listChanged reaches a listen that asked for it",
     .transport = CASE_HTTP, .revisions = REV_2026_07_28, .level = LEVEL_SHOULD,
     .requirements = REQS("S26-LISTEN-07"), .spec_ref = LISTEN_REF,
     .run = list_changed_sent, .slow = 1, .fixtures = FX_LIST_CHANGED,
     .faults = FAULTS("s26-listen-silent")},
};
const size_t modern_listen_ncases = NCASES(modern_listen_cases);
