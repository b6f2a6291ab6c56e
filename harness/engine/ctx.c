#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/json_writer.h"
#include "engine/case.h"
#include "mcpwire_limits.h"

const char *const revision_names[] = {"2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26",
                                      "2024-11-05", NULL};

unsigned revision_bit(const char *name) {
  static const unsigned bits[] = {REV_2026_07_28, REV_2025_11_25, REV_2025_06_18, REV_2025_03_26,
                                  REV_2024_11_05};
  for (size_t i = 0; name && revision_names[i]; i++)
    if (!strcmp(name, revision_names[i]))
      return bits[i];
  return 0;
}

int revision_is_stateless(const char *name) { return revision_bit(name) == REV_2026_07_28; }

const char *case_transport_label(unsigned t) {
  static const char *const labels[] = {"none", "sse", "http", "any", "stdio", "sse/stdio",
                                       "http/stdio", "every"};
  return labels[t & CASE_EVERY];
}

unsigned case_transport_of_run(const char *transport_name) {
  if (transport_name && !strcmp(transport_name, "stdio"))
    return CASE_STDIO;
  return transport_name && !strcmp(transport_name, "sse") ? CASE_SSE : CASE_HTTP;
}

double ctx_step_deadline(case_ctx *ctx) {
  double d = clock_ms() + (double)ctx->cfg->step_timeout_ms;
  return d < ctx->deadline_ms ? d : ctx->deadline_ms;
}

double ctx_window_ms(const case_ctx *ctx, double max_ms) {
  double rtt = ctx->cfg->rtt_ms;
  if (rtt <= 0)
    return max_ms;
  double w = rtt * MCPWIRE_WINDOW_RTT_FACTOR;
  if (w < MCPWIRE_WINDOW_MIN_MS)
    w = MCPWIRE_WINDOW_MIN_MS;
  return w < max_ms ? w : max_ms;
}

void ctx_note(case_ctx *ctx, const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  transcript_addf(&ctx->log, "note: %s", line);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* `actual` with the tools that played the case's fixture roles. */
static char *actual_with_fixtures(const case_ctx *ctx, const char *actual) {
  if (!actual || !ctx->fixtures_used[0])
    return dup_or_null(actual);
  size_t len = strlen(actual) + strlen(ctx->fixtures_used) + 4;
  char *s = malloc(len);
  if (s)
    snprintf(s, len, "%s [%s]", actual, ctx->fixtures_used);
  return s;
}

static void set_verdict(case_ctx *ctx, verdict v, const char *expected, const char *actual,
                        const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static void set_verdict(case_ctx *ctx, verdict v, const char *expected, const char *actual,
                        const char *fmt, va_list ap) {
  char reason[1024];
  vsnprintf(reason, sizeof reason, fmt, ap);
  if (ctx->decided) {
    transcript_addf(&ctx->log, "also %s: %s", verdict_name(v), reason);
    return;
  }
  ctx->decided = 1;
  case_result *r = ctx->res;
  r->verdict = v;
  free(r->reason);
  r->reason = strdup(reason);
  if (expected || actual) {
    free(r->expected);
    free(r->actual);
    r->expected = dup_or_null(expected);
    r->actual = actual_with_fixtures(ctx, actual);
  }
  transcript_addf(&ctx->log, "verdict %s: %s", verdict_name(v), reason);
}

static void set_verdictf(case_ctx *ctx, verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_verdictf(case_ctx *ctx, verdict v, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set_verdict(ctx, v, NULL, NULL, fmt, ap);
  va_end(ap);
}

void ctx_violation(case_ctx *ctx, const char *expected, const char *actual, const char *fmt,
                   ...) {
  va_list ap;
  va_start(ap, fmt);
  set_verdict(ctx, ctx->def->level == LEVEL_MUST ? VERDICT_FAIL : VERDICT_WARN, expected,
              actual, fmt, ap);
  va_end(ap);
}

void ctx_warn(case_ctx *ctx, const char *expected, const char *actual, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set_verdict(ctx, VERDICT_WARN, expected, actual, fmt, ap);
  va_end(ap);
}

void ctx_skip(case_ctx *ctx, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set_verdict(ctx, VERDICT_SKIP, NULL, NULL, fmt, ap);
  va_end(ap);
}

void ctx_stream_held(case_ctx *ctx, const http_stream *s, size_t answered, const char *why) {
  double secs = (clock_ms() - s->started_ms) / 1000.0;
  char got[600], others[96] = "";
  snprintf(got, sizeof got, "%s %.200s: no response headers after %.1f s", s->method, s->url,
           secs);
  if (answered)
    snprintf(others, sizeof others, " while %zu other request%s of the case %s answered",
             answered, answered == 1 ? "" : "s", answered == 1 ? "was" : "were");
  ctx_warn(ctx, "a response that begins (status and headers) while the stream is open", got,
           "held back: no byte of the response to %s %.200s within %.1f s%s; the server, or a "
           "proxy in front of it that buffers responses (nginx: proxy_buffering, or HTTP/1.0 "
           "to the upstream), holds it back (%s)",
           s->method, s->url, secs, others, why);
}

/* A case gives up on a stream whose response never began while others of
 * the case were answered: the target, or a proxy in front of it, holds
 * that stream back. Behaviour to report, not mcpwire failing to judge. */
static int held_back(case_ctx *ctx, const char *why) {
  if (!ctx->client || ctx->decided)
    return 0;
  client_census n = client_take_census(ctx->client);
  if (!n.held || !n.answered)
    return 0;
  ctx_stream_held(ctx, n.first_held, n.answered, why);
  return 1;
}

void ctx_error(case_ctx *ctx, const char *fmt, ...) {
  char why[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  if (!held_back(ctx, why))
    set_verdictf(ctx, VERDICT_ERROR, "%s", why);
}

void ctx_checked(case_ctx *ctx, const char *expected, const char *actual) {
  if (ctx->decided)
    return;
  free(ctx->res->expected);
  free(ctx->res->actual);
  ctx->res->expected = dup_or_null(expected);
  ctx->res->actual = actual_with_fixtures(ctx, actual);
}

int ctx_http_session(case_ctx *ctx, shttp *h) {
  rpc_failure f = {{0}};
  if (shttp_initialize(h, ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
    ctx_error(ctx, "setup: initialize failed: %s", f.why);
    return -1;
  }
  return 0;
}

int ctx_trust_origin(case_ctx *ctx, const char *url) {
  return origin_policy_add(&ctx->transport.origins, url, 0);
}

void ctx_untrust_origin(case_ctx *ctx, const char *url) {
  /* The target's own origin stays, should a proxy share it. */
  if (origin_policy_class(&ctx->cfg->transport.origins, url) != ORIGIN_HOME)
    origin_policy_remove_home(&ctx->transport.origins, url);
}

int ctx_legacy_open(case_ctx *ctx, legacy *l) {
  rpc_failure f = {{0}};
  if (legacy_connect(l, ctx_step_deadline(ctx), &f)) {
    ctx_error(ctx, "setup: SSE stream: %s", f.why);
    return -1;
  }
  if (l->endpoint_foreign) {
    char why[600];
    ctx_skip(ctx, "%s", legacy_refuse_endpoint(l, why, sizeof why));
    return -1;
  }
  return 0;
}

int ctx_legacy_session(case_ctx *ctx, legacy *l) {
  rpc_failure f = {{0}};
  if (ctx_legacy_open(ctx, l))
    return -1;
  if (legacy_initialize(l, ctx->cfg->spec, ctx_step_deadline(ctx), &f)) {
    ctx_error(ctx, "setup: initialize failed: %s", f.why);
    return -1;
  }
  return 0;
}

int ctx_require_capability(case_ctx *ctx, const jsonrpc_msg *init, const char *cap) {
  char path[128];
  snprintf(path, sizeof path, "result.capabilities.%s", cap);
  if (init && jsonrpc_get_type(init, path) == JSONRPC_T_OBJECT)
    return 0;
  ctx_skip(ctx, "target did not declare the '%s' capability", cap);
  return -1;
}

/* Position of `tool` in the page's result.tools, or -1. */
static long tool_index(const jsonrpc_msg *m, const char *tool) {
  size_t n = jsonrpc_get_count(m, "result.tools");
  for (size_t i = 0; i < n; i++) {
    char path[64];
    snprintf(path, sizeof path, "result.tools[%zu].name", i);
    const char *name = jsonrpc_get_string(m, path);
    if (name && !strcmp(name, tool))
      return (long)i;
  }
  return -1;
}

/* The walk of ctx_walk_tools; when visit stops it, *keep (when not NULL)
 * gets that page. */
static int walk_tools(case_ctx *ctx, ctx_tools_page_fn list, void *arg, ctx_tools_visit_fn visit,
                      void *visit_arg, jsonrpc_msg **keep, char *why, size_t whylen) {
  char cursor[512] = "", params[6 * sizeof cursor + 16] = "{}";
  size_t pages = 0;
  const char *stop = NULL;
  char stopbuf[400];
  while (!stop) {
    rpc_failure f = {{0}};
    jsonrpc_msg *m = list(ctx, arg, params, &f);
    if (!m && !pages) {
      snprintf(why, whylen, "%s", f.why);
      return -1;
    }
    if (!m || jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE) {
      const char *msg = m ? jsonrpc_error_message(m) : NULL;
      snprintf(stopbuf, sizeof stopbuf, "page %zu (cursor %.100s) %s%.200s", pages + 1, cursor,
               m ? "was no result" : "failed: ", m ? (msg ? msg : "") : f.why);
      jsonrpc_free(m);
      stop = stopbuf;
      break;
    }
    pages++;
    if (visit(visit_arg, m)) {
      if (keep)
        *keep = m;
      else
        jsonrpc_free(m);
      snprintf(why, whylen, "found on page %zu", pages);
      return 1;
    }
    jsonrpc_type t = jsonrpc_get_type(m, "result.nextCursor");
    const char *next = jsonrpc_get_string(m, "result.nextCursor");
    if (t == JSONRPC_T_ABSENT) {
      jsonrpc_free(m);
      break; /* the last page */
    }
    if (!next || !*next || strlen(next) >= sizeof cursor - 1)
      stop = "its nextCursor is not a usable string";
    else if (!strcmp(next, cursor))
      stop = "it repeated the cursor it was given";
    else if (pages >= MCPWIRE_TOOLS_LIST_PAGES_MAX)
      stop = "MCPWIRE_TOOLS_LIST_PAGES_MAX pages were read";
    else {
      snprintf(cursor, sizeof cursor, "%s", next);
      dynbuf b;
      dynbuf_init(&b, sizeof params - 1);
      dynbuf_adds(&b, "{\"cursor\":");
      json_write_cstring(&b, cursor);
      dynbuf_adds(&b, "}");
      snprintf(params, sizeof params, "%s", dynbuf_str(&b));
      dynbuf_free(&b);
    }
    jsonrpc_free(m);
  }
  if (stop)
    snprintf(why, whylen, "%zu tools/list page%s read; the walk stopped: %s", pages,
             pages == 1 ? "" : "s", stop);
  else
    snprintf(why, whylen, "%zu tools/list page%s read", pages, pages == 1 ? "" : "s");
  return 0;
}

int ctx_walk_tools(case_ctx *ctx, ctx_tools_page_fn list, void *arg, ctx_tools_visit_fn visit,
                   void *visit_arg, char *why, size_t whylen) {
  return walk_tools(ctx, list, arg, visit, visit_arg, NULL, why, whylen);
}

/* What ctx_find_tool looks for, and where it was found. */
typedef struct tool_search {
  const char *tool;
  long at;
  size_t pages;
} tool_search;

static int visit_for_tool(void *arg, const jsonrpc_msg *page) {
  tool_search *s = arg;
  s->pages++;
  s->at = tool_index(page, s->tool);
  return s->at >= 0;
}

int ctx_find_tool(case_ctx *ctx, ctx_tools_page_fn list, void *arg, const char *tool,
                  jsonrpc_msg **page, size_t *index, char *why, size_t whylen) {
  tool_search s = {tool, -1, 0};
  int rc = walk_tools(ctx, list, arg, visit_for_tool, &s, page, why, whylen);
  if (rc > 0 && index)
    *index = (size_t)s.at;
  if (rc > 0 && s.pages > 1)
    ctx_note(ctx, "tool '%s' found on tools/list page %zu", tool, s.pages);
  return rc;
}

void ctx_use_fixture(case_ctx *ctx, const char *what) {
  size_t used = strlen(ctx->fixtures_used);
  snprintf(ctx->fixtures_used + used, sizeof ctx->fixtures_used - used, "%s%s",
           used ? "; " : "", what);
  transcript_addf(&ctx->log, "%s", what);
}


/* ---- verifiers ---- */

int verify_status(case_ctx *ctx, http_stream *s, long want, const char *what) {
  if (!s) {
    ctx_error(ctx, "%s: request not started", what);
    return 0;
  }
  if (http_stream_wait_headers(s, ctx_step_deadline(ctx))) {
    ctx_error(ctx, "%s: no response: %s", what,
              http_stream_ended(s) ? http_stream_error(s) : "step deadline passed");
    return 0;
  }
  char exp[64], got[64];
  snprintf(exp, sizeof exp, "HTTP %ld", want);
  snprintf(got, sizeof got, "HTTP %ld", s->status);
  if (s->status != want) {
    ctx_violation(ctx, exp, got, "%s answered HTTP %ld, expected %ld", what, s->status, want);
    return 0;
  }
  ctx_checked(ctx, exp, got);
  return 1;
}

int verify_header_visible_ascii(case_ctx *ctx, const char *name, const char *value) {
  for (size_t i = 0; value[i]; i++) {
    unsigned char c = (unsigned char)value[i];
    if (c < 0x21 || c > 0x7e) {
      char actual[96];
      snprintf(actual, sizeof actual, "byte 0x%02x at offset %zu", c, i);
      ctx_violation(ctx, "only bytes 0x21..0x7E", actual,
                    "%s holds byte 0x%02x at offset %zu, outside visible ASCII", name, c, i);
      return 0;
    }
  }
  if (!value[0]) {
    ctx_violation(ctx, "at least one visible ASCII byte", "empty value", "%s is empty", name);
    return 0;
  }
  ctx_checked(ctx, "only bytes 0x21..0x7E", value);
  return 1;
}

int verify_jsonrpc_id_echo(case_ctx *ctx, const jsonrpc_msg *m, const char *id_raw) {
  size_t len = 0;
  const char *got = jsonrpc_id_raw(m, &len);
  char actual[128];
  snprintf(actual, sizeof actual, "id %.*s", got ? (int)(len > 100 ? 100 : len) : 6,
           got ? got : "absent");
  char expected[128];
  snprintf(expected, sizeof expected, "id %s", id_raw);
  if (!got || !jsonrpc_id_equal(got, len, id_raw, strlen(id_raw))) {
    ctx_violation(ctx, expected, actual, "response id is %s, request id was %s", actual + 3,
                  id_raw);
    return 0;
  }
  ctx_checked(ctx, expected, actual);
  return 1;
}

int verify_success_response(case_ctx *ctx, const jsonrpc_msg *m, const rpc_failure *f,
                            const char *what) {
  if (!m) {
    ctx_error(ctx, "%s: %s", what, f->why);
    return 0;
  }
  if (!jsonrpc_is_valid(m)) {
    const jsonrpc_problem *p = jsonrpc_problem_count(m) ? jsonrpc_problem_at(m, 0) : NULL;
    ctx_violation(ctx, "a valid JSON-RPC response", "an invalid message", "%s: %s %s", what,
                  p ? p->rule : "invalid", p ? p->reason : "");
    return 0;
  }
  if (jsonrpc_kind_of(m) != JSONRPC_SUCCESS_RESPONSE) {
    const char *msg = jsonrpc_error_message(m);
    ctx_violation(ctx, "a success response", jsonrpc_kind_name(jsonrpc_kind_of(m)),
                  "%s: got %s%s%s", what, jsonrpc_kind_name(jsonrpc_kind_of(m)),
                  msg ? ": " : "", msg ? msg : "");
    return 0;
  }
  return 1;
}
