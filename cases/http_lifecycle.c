/* http/lifecycle: initialize over Streamable HTTP (spec: basic/lifecycle). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "verifier/exchange.h"
#include "verifier/message_check.h"
#include "verifier/asking_client.h"
#include "verifier/call.h"
#include "mcpwire_limits.h"

/* LIFE-INIT-04: protocolVersion, capabilities and serverInfo are present. */
static void initialize_result(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  jsonrpc_msg *m = NULL;
  if (shttp_initialize_only(&h, ctx->cfg->spec, ctx_step_deadline(ctx), &f) && !h.init_result) {
    ctx_error(ctx, "initialize: %s", f.why);
    goto done;
  }
  m = h.init_result;
  if (!verify_success_response(ctx, m, &f, "initialize"))
    goto done;
  const char *lacks = message_init_result_lacks(m);
  if (lacks) {
    char expected[96];
    snprintf(expected, sizeof expected, "%s present", lacks);
    ctx_violation(ctx, expected,
                  jsonrpc_get_type(m, lacks) == JSONRPC_T_ABSENT ? "absent" : "wrong type",
                  "InitializeResult lacks a valid %s", lacks);
    goto done;
  }
  /* Every declared capability is an object (schema: ServerCapabilities). */
  for (size_t i = 0; i < jsonrpc_get_count(m, "result.capabilities"); i++) {
    const char *key = jsonrpc_get_key(m, "result.capabilities", i);
    char path[128];
    snprintf(path, sizeof path, "result.capabilities.%s", key ? key : "");
    if (key && !strchr(key, '.') && jsonrpc_get_type(m, path) != JSONRPC_T_OBJECT) {
      ctx_violation(ctx, "each capability an object", key,
                    "capabilities.%s is not an object", key);
      goto done;
    }
  }
  jsonrpc_type title = jsonrpc_get_type(m, "result.serverInfo.title");
  if (title != JSONRPC_T_ABSENT && title != JSONRPC_T_STRING) {
    ctx_violation(ctx, "serverInfo.title a string when present", "another type",
                  "serverInfo.title is not a string");
    goto done;
  }
  jsonrpc_type instr = jsonrpc_get_type(m, "result.instructions");
  if (instr != JSONRPC_T_ABSENT && instr != JSONRPC_T_STRING) {
    ctx_violation(ctx, "instructions a string when present", "another type",
                  "InitializeResult.instructions is not a string");
    goto done;
  }
  ctx_checked(ctx, "protocolVersion, capabilities, serverInfo{name,version}", "all present");
done:
  shttp_free(&h);
}

/* initialize offering `version` in a fresh h, with no initialized after
 * it. 1 when a success response came, else the verdict is set. */
static int offer_version(case_ctx *ctx, shttp *h, const char *version) {
  shttp_init(h, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (shttp_initialize_only(h, version, ctx_step_deadline(ctx), &f) && !h->init_result) {
    ctx_error(ctx, "initialize offering %s: %s", version, f.why);
    return 0;
  }
  return verify_success_response(ctx, h->init_result, &f, "initialize");
}

/* Ends a probe session with DELETE when the server issued an id; frees h. */
static void end_session(case_ctx *ctx, shttp *h) {
  if (h->session_id)
    http_stream_wait_done(shttp_delete(h, 0), ctx_step_deadline(ctx));
  shttp_free(h);
}

/* LIFE-VER-02: every revision the server supports is echoed exactly. Each
 * offer is its own session. */
static void version_echo(case_ctx *ctx) {
  const char *offers[] = {"2025-03-26", "2025-06-18", "2025-11-25"};
  int echoed = 0;
  for (size_t i = 0; i < 3 && !ctx->decided; i++) {
    shttp h;
    if (offer_version(ctx, &h, offers[i])) {
      const char *v = jsonrpc_get_string(h.init_result, "result.protocolVersion");
      /* An older answer means the server does not support this one: fine
       * (LIFE-VER-03). Only a supported revision must come back as is. */
      int supported_by_claim = v && revision_bit(v) && strcmp(v, offers[i]) > 0;
      if (!v)
        ctx_violation(ctx, offers[i], "no protocolVersion", "no protocolVersion in the result");
      else if (supported_by_claim)
        /* Black-box ambiguity: a server that dropped the older revision may
         * answer its newest (LIFE-VER-03), so this is a warning. */
        ctx_warn(ctx, offers[i], v,
                 "offered %s, got %s: if the server supports %s it must echo it", offers[i],
                 v, offers[i]);
      else if (!strcmp(v, offers[i]))
        echoed++;
      else
        ctx_note(ctx, "offered %s, server chose %s", offers[i], v);
    }
    end_session(ctx, &h);
  }
  if (!ctx->decided) {
    char got[64];
    snprintf(got, sizeof got, "%d of 3 offered revisions echoed", echoed);
    ctx_checked(ctx, "each supported revision echoed exactly", got);
  }
}

/* LIFE-VER-02: the revision this run negotiated (so one the server
 * supports) is echoed by a fresh initialize offering it. */
static void version_echo_negotiated(case_ctx *ctx) {
  shttp h;
  if (offer_version(ctx, &h, ctx->cfg->spec)) {
    const char *v = jsonrpc_get_string(h.init_result, "result.protocolVersion");
    if (!v || strcmp(v, ctx->cfg->spec))
      ctx_violation(ctx, ctx->cfg->spec, v ? v : "none", "offered the negotiated %s, got %s",
                    ctx->cfg->spec, v ? v : "no protocolVersion");
    else
      ctx_checked(ctx, ctx->cfg->spec, v);
  }
  end_session(ctx, &h);
}

/* LIFE-PING-01 / JSONRPC-10: ping answers with the empty object {}. */
static void ping_empty_result(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = call_request(ctx, &h, NULL, "ping", NULL, NULL, &f);
    if (verify_success_response(ctx, m, &f, "ping")) {
      dynbuf got;
      dynbuf_init(&got, 4096);
      int json = jsonrpc_get_json(m, "result", &got);
      char actual[160];
      snprintf(actual, sizeof actual, "result %.120s", json ? "(unreadable)" : dynbuf_str(&got));
      if (!message_result_is_empty(m))
        ctx_violation(ctx, "result {}", actual, "ping answered with %s", actual);
      else
        ctx_checked(ctx, "result {}", actual);
      dynbuf_free(&got);
    }
    jsonrpc_free(m);
  }
  shttp_free(&h);
}

/* LIFE-VER-03: an unsupported offer gets a version the server supports, as
 * a result. */
static void unsupported_version(case_ctx *ctx) {
  static const char offer[] = "1999-01-01";
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  shttp_initialize_only(&h, offer, ctx_step_deadline(ctx), &f);
  const jsonrpc_msg *m = h.init_result;
  const char *v = m ? jsonrpc_get_string(m, "result.protocolVersion") : NULL;
  if (!m && h.init_stream && h.init_stream->headers_done && h.init_stream->status >= 400) {
    char got[64];
    snprintf(got, sizeof got, "HTTP %ld", h.init_stream->status);
    ctx_warn(ctx, "a result with a supported protocolVersion", got,
             "initialize offering %s answered HTTP %ld (an error, not a result)", offer,
             h.init_stream->status);
  } else if (!m) {
    exchange_unanswered(ctx, h.init_stream, &f, "initialize offering 1999-01-01");
  } else if (jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE) {
    /* The spec shows a -32602 example next to the MUST: ambiguous. */
    ctx_warn(ctx, "a result with a supported protocolVersion", "an error response",
             "initialize offering %s got an error instead of a result", offer);
  } else if (!v) {
    ctx_violation(ctx, "a supported protocolVersion", "none",
                  "initialize offering %s: the result has no protocolVersion", offer);
  } else if (!strcmp(v, offer)) {
    ctx_violation(ctx, "a version the server supports", v,
                  "the server echoed the unsupported version %s", offer);
  } else {
    ctx_checked(ctx, "a version the server supports", v);
  }
  end_session(ctx, &h);
}

/* A fresh h initialised at the run's revision, not yet sent initialized. 0
 * on success, else the error "setup: initialize: ..." is set. */
static int session_before_initialized(case_ctx *ctx, shttp *h) {
  shttp_init(h, ctx->client, ctx->cfg->url);
  rpc_failure f = {{0}};
  if (!shttp_initialize_only(h, ctx->cfg->spec, ctx_step_deadline(ctx), &f))
    return 0;
  ctx_error(ctx, "setup: initialize: %s", f.why);
  return -1;
}

/* LIFE-PING-05 / LIFE-PING-01: ping between initialize and initialized is
 * answered with {}. */
static void ping_before_initialized(case_ctx *ctx) {
  shttp h;
  if (session_before_initialized(ctx, &h))
    goto done;
  rpc_failure f = {{0}};
  jsonrpc_msg *m = call_request(ctx, &h, NULL, "ping", NULL, NULL, &f);
  if (m)
    message_check_envelope(ctx, m, "the ping response");
  if (!ctx->decided && verify_success_response(ctx, m, &f, "ping before initialized")) {
    if (!message_result_is_empty(m))
      ctx_violation(ctx, "result {}", "another result", "ping before initialized: result not {}");
    else
      ctx_checked(ctx, "result {} before initialized", "result {}");
  }
  jsonrpc_free(m);
done:
  shttp_free(&h);
}

/* Requests a server may send before initialized: ping only (LIFE-INIT-08). */
static int allowed_before_initialized(const jsonrpc_msg *m) {
  const char *method = jsonrpc_method(m);
  return jsonrpc_kind_of(m) != JSONRPC_REQUEST || (method && !strcmp(method, "ping"));
}

/* LIFE-INIT-08: with initialized withheld, a GET stream sees no server
 * request other than ping. */
static void quiet_before_initialized(case_ctx *ctx) {
  shttp h;
  if (session_before_initialized(ctx, &h))
    goto done;
  http_stream *get = exchange_watch_get(ctx, &h, NULL);
  if (!get) {
    ctx_skip(ctx, "the target offers no GET stream to watch");
    goto done;
  }
  double until = clock_ms() + ctx_window_ms(ctx, MCPWIRE_PRE_INITIALIZED_WATCH_MS);
  if (until > ctx->deadline_ms)
    until = ctx->deadline_ms;
  size_t seen = 0;
  rpc_failure f = {{0}};
  for (;;) {
    jsonrpc_msg *m = exchange_next(get, until, &f);
    if (!m)
      break;
    message_check_envelope(ctx, m, "a GET stream message");
    if (!allowed_before_initialized(m)) {
      const char *method = jsonrpc_method(m);
      ctx_violation(ctx, "no request but ping before initialized", method ? method : "?",
                    "the server sent %s before notifications/initialized", method ? method : "?");
    }
    seen++;
    jsonrpc_free(m);
  }
  if (!ctx->decided) {
    char got[64];
    snprintf(got, sizeof got, "%zu messages, no request but ping", seen);
    ctx_checked(ctx, "no request but ping before initialized", got);
  }
done:
  shttp_free(&h);
}

/* LIFE-INIT-09: a request with no initialize at all is refused. How is
 * unspecified, so this only informs. */
static void request_before_initialize(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  exchange_reply r;
  exchange_send(ctx, &h, "{\"jsonrpc\":\"2.0\",\"id\":\"early\",\"method\":\"tools/list\"}", NULL,
             &r);
  jsonrpc_msg *m = r.msg;
  if (!r.post || !r.post->headers_done)
    exchange_no_status(ctx, r.post, "tools/list without initialize");
  else if (m && jsonrpc_kind_of(m) == JSONRPC_SUCCESS_RESPONSE)
    ctx_violation(ctx, "a refusal (4xx or a JSON-RPC error)", "a result",
                  "tools/list without initialize was served (%s)", r.status);
  else if ((m && jsonrpc_kind_of(m) == JSONRPC_ERROR_RESPONSE) || r.post->status >= 400)
    ctx_checked(ctx, "a refusal (4xx or a JSON-RPC error)",
                m ? jsonrpc_kind_name(jsonrpc_kind_of(m)) : r.status);
  else
    ctx_violation(ctx, "a refusal (4xx or a JSON-RPC error)", r.status,
                  "tools/list without initialize was neither refused nor answered (%s)",
                  r.status);
  jsonrpc_free(m);
  shttp_free(&h);
}

/* Adopts the session a second initialize opened (a new Mcp-Session-Id on
 * its reply) into `again`, so that it is ended too. 1 when there was one. */
static int adopt_new_session(shttp *again, const shttp *h, http_stream *post) {
  const char *sid = post && post->headers_done ? http_stream_header(post, "Mcp-Session-Id", NULL)
                                               : NULL;
  if (!sid || !strcmp(sid, h->session_id))
    return 0;
  again->session_id = strdup(sid);
  snprintf(again->protocol_version, sizeof again->protocol_version, "%s", h->protocol_version);
  return again->session_id != NULL;
}

/* What a second initialize brought back, one line into got. */
static void describe_second_init(const exchange_reply *r, int new_session, char *got, size_t len) {
  long code = 0;
  const char *v = r->msg ? jsonrpc_get_string(r->msg, "result.protocolVersion") : NULL;
  if (r->msg && jsonrpc_kind_of(r->msg) == JSONRPC_ERROR_RESPONSE &&
      jsonrpc_error_code(r->msg, &code))
    snprintf(got, len, "%s, error %ld", r->status, code);
  else if (r->msg)
    snprintf(got, len, "%s, a %s (protocolVersion %.20s)%s", r->status,
             jsonrpc_kind_name(jsonrpc_kind_of(r->msg)), v ? v : "none",
             new_session ? ", a new Mcp-Session-Id" : ", the same session");
  else
    snprintf(got, len, "%s, no JSON-RPC body", r->status);
}

/* LIFE-INIT-02 / SHTTP-POST-07: initialize sent again in a live session.
 * No revision's lifecycle page says what a server does with it: refusing
 * it (4xx or a JSON-RPC error) and serving it (often as a new session) are
 * both reported, never judged. Only silence breaks a MUST: a request owes
 * a response (SHTTP-POST-07), so 202 and nothing more is a lost response. */
static void second_initialize(case_ctx *ctx) {
  shttp h, again;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  shttp_init(&again, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h))
    goto done;
  if (!h.session_id) {
    ctx_skip(ctx, "the server issued no Mcp-Session-Id: there is no live session to "
             "initialize again");
    goto done;
  }
  char body[700], got[160];
  exchange_reply r;
  exchange_send(ctx, &h, shttp_initialize_request(body, sizeof body, "\"init-again\"",
                                               ctx->cfg->spec), "the reply", &r);
  int new_session = adopt_new_session(&again, &h, r.post);
  describe_second_init(&r, new_session, got, sizeof got);
  static const char want[] = "an answer: a result, a JSON-RPC error or HTTP 4xx";
  if (ctx->decided)
    ;
  else if (r.msg || exchange_is_4xx(r.post))
    ctx_checked(ctx, want, got);
  else if (r.post && r.post->headers_done && r.post->status >= 500)
    ctx_warn(ctx, want, got, "a second initialize got %s (a server error, where a refusal "
             "would do)", r.status);
  else
    exchange_unanswered(ctx, r.post, &r.f, "a second initialize in a live session");
  jsonrpc_free(r.msg);
  if (ctx->decided)
    goto done;
  /* What became of the first session is left open too: informs. */
  rpc_failure f = {{0}};
  jsonrpc_msg *m = call_request(ctx, &h, NULL, "ping", NULL, NULL, &f);
  ctx_note(ctx, "after it, the first session %s", m && jsonrpc_kind_of(m) ==
           JSONRPC_SUCCESS_RESPONSE ? "still answers ping" : "no longer answers ping");
  jsonrpc_free(m);
done:
  shttp_free(&again);
  shttp_free(&h);
}

/* The ASK_CLIENT fixture called by a client that declared no capabilities:
 * whatever the tool does then (an error, a result without asking), no such
 * request may come. */
static void no_undeclared_requests(case_ctx *ctx) {
  shttp h;
  fixture fx;
  char id_raw[64];
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (ctx_http_session(ctx, &h) || call_require_fixture(ctx, &h, FIXTURE_ASK_CLIENT, &fx))
    goto done;
  http_stream *get = exchange_watch_get(ctx, &h, NULL);
  http_stream *call = call_fixture_post(&h, &fx, call_unique_id("ask", id_raw, sizeof id_raw),
                                         NULL);
  double end = ctx_step_deadline(ctx);
  const char *bad = NULL;
  char method[64] = "";
  for (int answered = 0; call && !answered && !bad;) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = exchange_next(call, end, &f);
    if (!m)
      break;
    message_check_envelope(ctx, m, "a message of the call");
    if (asking_is_client_request(m)) {
      snprintf(method, sizeof method, "%s", jsonrpc_method(m));
      bad = "on the POST stream";
    }
    answered = message_answers(m, id_raw);
    jsonrpc_free(m);
  }
  double quiet = exchange_quiet_deadline(ctx);
  while (get && !bad) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = exchange_next(get, quiet, &f);
    if (!m)
      break;
    if (asking_is_client_request(m)) {
      snprintf(method, sizeof method, "%s", jsonrpc_method(m));
      bad = "on the GET stream";
    }
    jsonrpc_free(m);
  }
  if (bad)
    ctx_violation(ctx, "no sampling, elicitation or roots request", method,
                  "the server sent %s %s to a client that declared no capabilities", method,
                  bad);
  else
    ctx_checked(ctx, "no sampling, elicitation or roots request", "none");
done:
  shttp_free(&h);
}

const case_def http_lifecycle_cases[] = {
    {CASE_ID("http/lifecycle", "initialize-result"),
     .title = "InitializeResult has protocolVersion, capabilities and serverInfo",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("LIFE-INIT-04"),
     .spec_ref = SPEC_2511 "basic/lifecycle#initialization", .run = initialize_result,
     .faults = FAULTS("init-missing-server-info")},
    {CASE_ID("http/lifecycle", "version-echo-negotiated"),
     .title = "The negotiated protocol revision, offered again, is echoed exactly",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("LIFE-VER-02"),
     .spec_ref = SPEC_2511 "basic/lifecycle#version-negotiation", .run = version_echo_negotiated,
     .no_fault_reason = "profiling negotiates through this same echo: a server that breaks it "
                        "for its newest revision cannot be profiled at that revision"},
    {CASE_ID("http/lifecycle", "version-echo"),
     .title = "Each Streamable HTTP revision offered is echoed, or answered with an older one",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("LIFE-VER-02", "LIFE-VER-03"),
     .spec_ref = SPEC_2511 "basic/lifecycle#version-negotiation", .run = version_echo,
     .faults = FAULTS("ignore-requested-version")},
    {CASE_ID("http/lifecycle", "ping-empty-result"),
     .title = "ping is answered with an empty result object",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("LIFE-PING-01", "JSONRPC-10"),
     .spec_ref = SPEC_2511 "basic/utilities/ping", .run = ping_empty_result,
     .faults = FAULTS("ping-result-not-empty", "result-not-object")},
    {CASE_ID("http/lifecycle", "unsupported-version"),
     .title = "An unsupported protocol revision gets one the server supports, not an echo",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("LIFE-VER-03"),
     .spec_ref = SPEC_2511 "basic/lifecycle#version-negotiation", .run = unsupported_version,
     .faults = FAULTS("echo-unsupported-version")},
    {CASE_ID("http/lifecycle", "ping-before-initialized"),
     .title = "ping between initialize and initialized is answered with {}",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("LIFE-PING-05", "LIFE-PING-01"),
     .spec_ref = SPEC_2511 "basic/lifecycle#initialization", .run = ping_before_initialized,
     .faults = FAULTS("ping-before-init-rejected")},
    {CASE_ID("http/lifecycle", "quiet-before-initialized"),
     .title = "Before initialized the server sends no request but ping",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_SHOULD,
     .requirements = REQS("LIFE-INIT-08"),
     .spec_ref = SPEC_2511 "basic/lifecycle#initialization", .slow = 1, .run = quiet_before_initialized,
     .faults = FAULTS("request-before-initialized")},
    {CASE_ID("http/lifecycle", "request-before-initialize"),
     .title = "A request sent with no initialize at all is refused",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_INFO,
     .requirements = REQS("LIFE-INIT-09", "LIFE-INIT-02"),
     .spec_ref = SPEC_2511 "basic/lifecycle#initialization", .run = request_before_initialize,
     .faults = FAULTS("serve-before-initialize")},
    {CASE_ID("http/lifecycle", "second-initialize"),
     .title = "A second initialize in a live session gets an answer (what it is: reported)",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("SHTTP-POST-07", "LIFE-INIT-02"),
     .spec_ref = SPEC_2511 "basic/lifecycle#initialization", .run = second_initialize,
     .faults = FAULTS("second-initialize-dropped")},
    {CASE_ID("http/lifecycle", "no-undeclared-requests"),
     .title = "No sampling, elicitation or roots request reaches a client that declared none",
     .transport = CASE_HTTP, .revisions = REV_2025_06_18 | REV_2025_11_25, .level = LEVEL_MUST,
     .requirements = REQS("LIFE-OP-01"),
     .spec_ref = SPEC_2511 "basic/lifecycle#operation", .slow = 1, .run = no_undeclared_requests,
     .faults = FAULTS("ask-undeclared-capability"), .fixtures = FX_ASK_CLIENT},
};
const size_t http_lifecycle_ncases = NCASES(http_lifecycle_cases);
