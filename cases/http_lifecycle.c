/* http/lifecycle: initialize over Streamable HTTP (spec: basic/lifecycle). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"

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
  static const struct {
    const char *path;
    jsonrpc_type type;
  } members[] = {{"result.protocolVersion", JSONRPC_T_STRING},
                 {"result.capabilities", JSONRPC_T_OBJECT},
                 {"result.serverInfo", JSONRPC_T_OBJECT},
                 {"result.serverInfo.name", JSONRPC_T_STRING},
                 {"result.serverInfo.version", JSONRPC_T_STRING}};
  for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
    if (jsonrpc_get_type(m, members[i].path) != members[i].type) {
      char expected[96];
      snprintf(expected, sizeof expected, "%s present", members[i].path);
      ctx_violation(ctx, expected,
                    jsonrpc_get_type(m, members[i].path) == JSONRPC_T_ABSENT ? "absent"
                                                                             : "wrong type",
                    "InitializeResult lacks a valid %s", members[i].path);
      goto done;
    }
  }
  ctx_checked(ctx, "protocolVersion, capabilities, serverInfo{name,version}", "all present");
done:
  shttp_free(&h);
}

/* LIFE-VER-02: every revision the server supports is echoed exactly. Each
 * offer is its own session. */
static void version_echo(case_ctx *ctx) {
  const char *offers[] = {"2025-03-26", "2025-06-18", "2025-11-25"};
  int echoed = 0;
  for (size_t i = 0; i < 3 && !ctx->decided; i++) {
    shttp h;
    shttp_init(&h, ctx->client, ctx->cfg->url);
    rpc_failure f = {{0}};
    if (shttp_initialize_only(&h, offers[i], ctx_step_deadline(ctx), &f) && !h.init_result) {
      ctx_error(ctx, "initialize offering %s: %s", offers[i], f.why);
    } else if (verify_success_response(ctx, h.init_result, &f, "initialize")) {
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
    if (h.session_id)
      http_stream_wait_done(shttp_delete(&h, 0), ctx_step_deadline(ctx));
    shttp_free(&h);
  }
  if (!ctx->decided) {
    char got[64];
    snprintf(got, sizeof got, "%d of 3 offered revisions echoed", echoed);
    ctx_checked(ctx, "each supported revision echoed exactly", got);
  }
}

/* LIFE-PING-01 / JSONRPC-10: ping answers with the empty object {}. */
static void ping_empty_result(case_ctx *ctx) {
  shttp h;
  shttp_init(&h, ctx->client, ctx->cfg->url);
  if (!ctx_http_session(ctx, &h)) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = shttp_call(&h, "ping", NULL, ctx_step_deadline(ctx), NULL, &f);
    if (verify_success_response(ctx, m, &f, "ping")) {
      dynbuf got;
      dynbuf_init(&got, 4096);
      int json = jsonrpc_get_json(m, "result", &got);
      char actual[160];
      snprintf(actual, sizeof actual, "result %.120s", json ? "(unreadable)" : dynbuf_str(&got));
      if (jsonrpc_get_type(m, "result") != JSONRPC_T_OBJECT ||
          jsonrpc_get_count(m, "result") != 0)
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
    ctx_error(ctx, "initialize offering %s: %s", offer, f.why);
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
  if (h.session_id)
    http_stream_wait_done(shttp_delete(&h, 0), ctx_step_deadline(ctx));
  shttp_free(&h);
}

const case_def http_lifecycle_cases[] = {
    {CASE_ID("http/lifecycle", "initialize-result"),
     .title = "InitializeResult has protocolVersion, capabilities and serverInfo",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("LIFE-INIT-04"),
     .spec_ref = SPEC_2511 "basic/lifecycle#initialization", .run = initialize_result},
    {CASE_ID("http/lifecycle", "version-echo"),
     .title = "A supported protocol revision offered at initialize is echoed exactly",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("LIFE-VER-02"),
     .spec_ref = SPEC_2511 "basic/lifecycle#version-negotiation", .run = version_echo},
    {CASE_ID("http/lifecycle", "ping-empty-result"),
     .title = "ping is answered with an empty result object",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("LIFE-PING-01", "JSONRPC-10"),
     .spec_ref = SPEC_2511 "basic/utilities/ping", .run = ping_empty_result},
    {CASE_ID("http/lifecycle", "unsupported-version"),
     .title = "An unsupported protocol revision gets one the server supports, not an echo",
     .transport = CASE_HTTP, .revisions = REV_SHTTP, .level = LEVEL_MUST,
     .requirements = REQS("LIFE-VER-03"),
     .spec_ref = SPEC_2511 "basic/lifecycle#version-negotiation", .run = unsupported_version},
};
const size_t http_lifecycle_ncases = NCASES(http_lifecycle_cases);
