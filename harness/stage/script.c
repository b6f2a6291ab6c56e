/* script: the MCP exchange the stage plays (stage.h, stage_script). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/jsonrpc.h"
#include "mcpwire_limits.h"
#include "stage/stage_internal.h"

#define LEGACY_POST_PATH STAGE_LEGACY_POST_PATH
#define SERVER_INFO "\"serverInfo\":{\"name\":\"mcpwire-stage\",\"version\":\"1\"}"

static const char *shape_eol(const stage *s) { return s->sc.shape.eol ? s->sc.shape.eol : "\n"; }

/* ---- heads ---- */

static void session_header(stage *s, dynbuf *h) {
  if (s->sc.transport == STAGE_SHTTP && s->sc.session_id)
    dynbuf_printf(h, "Mcp-Session-Id: %s%s\r\n", s->sc.session_id,
                  s->generation > 1 ? "~2" : "");
}

static void head_status(conn *c, int status, const char *reason) {
  char h[160];
  int n = snprintf(h, sizeof h, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\n\r\n", status, reason);
  conn_bytes(c, h, (size_t)n, 0);
  if (c->cur)
    c->cur->status = status;
}

static void head_stream(conn *c) {
  dynbuf h;
  dynbuf_init(&h, 1024);
  dynbuf_adds(&h, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                  "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n");
  session_header(c->st, &h);
  dynbuf_adds(&h, "\r\n");
  conn_bytes(c, dynbuf_str(&h), h.len, 0);
  dynbuf_free(&h);
  if (c->cur)
    c->cur->status = 200;
}

/* An event with the script's shape, split or whole. */
static void send_event(conn *c, const char *id, long retry, const char *json, int first) {
  dynbuf ev;
  dynbuf_init(&ev, MCPWIRE_SSE_EVENT_MAX);
  if (!shape_event(&ev, &c->st->sc.shape, id, retry, json, first)) {
    if (c->st->sc.shape.split_bytes)
      conn_split(c, dynbuf_str(&ev), ev.len, 1);
    else
      conn_bytes(c, dynbuf_str(&ev), ev.len, 1);
  }
  dynbuf_free(&ev);
}

/* A JSON-RPC message as a response: JSON, or a one-event SSE stream. */
static void reply_json(conn *c, const char *msg) {
  stage *s = c->st;
  if (s->sc.sse_replies || s->sc.transport == STAGE_STATELESS) {
    head_stream(c);
    if (s->sc.shape.empty_data)
      send_event(c, "e0", 0, NULL, 1);
    send_event(c, NULL, 0, msg, !s->sc.shape.empty_data);
    conn_bytes(c, "0\r\n\r\n", 5, 0);
    return;
  }
  dynbuf h;
  dynbuf_init(&h, 1024);
  dynbuf_printf(&h, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n",
                strlen(msg));
  session_header(s, &h);
  dynbuf_adds(&h, "\r\n");
  dynbuf_adds(&h, msg);
  conn_bytes(c, dynbuf_str(&h), h.len, 0);
  dynbuf_free(&h);
  c->cur->status = 200;
}

/* The result of request m as a message text (caller frees). */
static char *result_of(const jsonrpc_msg *m, const char *result) {
  size_t idlen = 0;
  const char *id = jsonrpc_id_raw(m, &idlen);
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_SSE_EVENT_MAX);
  jsonrpc_build_result(&b, id, idlen, result);
  return dynbuf_take(&b);
}

static char *error_of(const jsonrpc_msg *m, long code, const char *text) {
  size_t idlen = 0;
  const char *id = jsonrpc_id_raw(m, &idlen);
  dynbuf b;
  dynbuf_init(&b, 4096);
  jsonrpc_build_error(&b, id, idlen, code, text, NULL);
  return dynbuf_take(&b);
}

/* ---- results ---- */

static const char *complete(const stage *s) {
  return s->sc.transport == STAGE_STATELESS ? ",\"resultType\":\"complete\"" : "";
}

static char *initialize_result(stage *s, const jsonrpc_msg *m) {
  char r[512];
  snprintf(r, sizeof r, "{\"protocolVersion\":\"%s\",\"capabilities\":{\"tools\":{}}," SERVER_INFO "}",
           s->sc.revision);
  return result_of(m, r);
}

static char *tools_result(stage *s, const jsonrpc_msg *m) {
  char r[512];
  snprintf(r, sizeof r, "{\"tools\":[{\"name\":\"" STAGE_TOOL_NAME "\",\"description\":\"mcpwire "
           "client probe\",\"inputSchema\":{\"type\":\"object\",\"properties\":{}}}]%s}",
           complete(s));
  return result_of(m, r);
}

static char *call_result(stage *s, const jsonrpc_msg *m, const char *text) {
  char r[512];
  snprintf(r, sizeof r, "{\"content\":[{\"type\":\"text\",\"text\":\"%s\"}],\"isError\":false%s}",
           text, complete(s));
  return result_of(m, r);
}

static char *discover_result(stage *s, const jsonrpc_msg *m) {
  char r[512];
  snprintf(r, sizeof r, "{\"supportedVersions\":[\"%s\"],\"capabilities\":{\"tools\":{}},"
           SERVER_INFO "%s}", s->sc.revision, complete(s));
  return result_of(m, r);
}

/* ---- the tools/call stream ---- */

static void keep_alive(conn *c) {
  const stage_script *sc = &c->st->sc;
  long every = sc->keepalive_ms > 0 ? sc->keepalive_ms : sc->think_ms;
  for (long t = 0; sc->think_ms > 0 && t < sc->think_ms; t += every) {
    conn_delay(c, every < sc->think_ms - t ? every : sc->think_ms - t);
    if (sc->keepalive_ms > 0) {
      dynbuf k;
      dynbuf_init(&k, 256);
      shape_comment(&k, &sc->shape, "keep-alive");
      conn_bytes(c, dynbuf_str(&k), k.len, 1);
      dynbuf_free(&k);
    }
  }
}

static void hostile_call(conn *c, const jsonrpc_msg *m) {
  stage *s = c->st;
  head_stream(c);
  conn_mark(c, MARK_HOSTILE);
  char *msg = NULL;
  switch (s->sc.hostile) {
  case HOSTILE_HUGE_LINE:
    conn_bytes(c, "data: ", 6, 1);
    conn_gen(c, GEN_LINE, MCPWIRE_STAGE_HUGE_LINE_BYTES);
    conn_close_after(c);
    stage_note(s, "tools/call answered by one data line of %u bytes with no end",
               MCPWIRE_STAGE_HUGE_LINE_BYTES);
    break;
  case HOSTILE_ENDLESS:
    conn_gen(c, GEN_EVENTS, ~0ull);
    stage_note(s, "tools/call answered by notifications without end, no response");
    break;
  case HOSTILE_BAD_UTF8:
    msg = call_result(s, m, "bad \xC3\x28 utf8 \xFF\xFE here");
    send_event(c, NULL, 0, msg, 1);
    conn_bytes(c, "0\r\n\r\n", 5, 0);
    stage_note(s, "tools/call answered with invalid UTF-8 (C3 28, FF FE) in its text");
    break;
  case HOSTILE_GARBAGE_AFTER: {
    msg = call_result(s, m, STAGE_TOOL_TEXT);
    send_event(c, NULL, 0, msg, 1);
    static const char junk[] = "\x00\xff\xfe{not sse at all\x01\x02\r\r\n\n:\n\x80\x80\x80";
    conn_bytes(c, junk, sizeof junk - 1, 1);
    conn_close_after(c);
    stage_note(s, "tools/call answered, then %zu bytes that are no SSE, then the connection closed",
               sizeof junk - 1);
    break;
  }
  case HOSTILE_HEADERS_ONLY:
    stage_note(s, "tools/call answered by a 200 text/event-stream head and then nothing");
    break;
  }
  free(msg);
}

/* The events of the call stream: priming, a log notification, the response. */
static void build_call_events(stage *s, const jsonrpc_msg *m) {
  dynbuf ev;
  char *resp = call_result(s, m, STAGE_TOOL_TEXT);
  const char *log = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                    "\"params\":{\"level\":\"info\",\"data\":\"working\"}}";
  const char *jsons[] = {NULL, log, resp};
  static const char *const ids[] = {"mcpwire-c0", "mcpwire-c1", "mcpwire-c2"};
  for (size_t i = 0; i < 3 && s->nevents < STAGE_CALL_EVENTS_MAX; i++) {
    dynbuf_init(&ev, MCPWIRE_SSE_EVENT_MAX);
    shape_event(&ev, &s->sc.shape, ids[i], i == 0 ? s->sc.retry_ms : 0, jsons[i], i == 0);
    s->events_len[s->nevents] = ev.len;
    s->events[s->nevents++] = dynbuf_take(&ev);
  }
  free(resp);
}

static void write_event(conn *c, size_t i) {
  if (c->st->sc.shape.split_bytes)
    conn_split(c, c->st->events[i], c->st->events_len[i], 1);
  else
    conn_bytes(c, c->st->events[i], c->st->events_len[i], 1);
}

static void call_stream(conn *c, const jsonrpc_msg *m) {
  stage *s = c->st;
  const stage_script *sc = &s->sc;
  if (sc->hostile) {
    hostile_call(c, m);
    return;
  }
  if (sc->buffered) {
    /* a buffering proxy: nothing until the stream has ended, then all */
    char *msg = call_result(s, m, STAGE_TOOL_TEXT);
    dynbuf all;
    dynbuf_init(&all, MCPWIRE_SSE_EVENT_MAX);
    for (long t = 0; sc->keepalive_ms > 0 && t < sc->think_ms; t += sc->keepalive_ms)
      shape_comment(&all, &sc->shape, "keep-alive");
    shape_event(&all, &sc->shape, NULL, 0, msg, 0);
    conn_delay(c, sc->think_ms);
    char h[256];
    int n = snprintf(h, sizeof h, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n", all.len);
    conn_bytes(c, h, (size_t)n, 0);
    conn_bytes(c, dynbuf_str(&all), all.len, 0);
    conn_close_after(c);
    c->cur->status = 200;
    stage_note(s, "tools/call held %ld ms as a buffering proxy does, then sent whole", sc->think_ms);
    dynbuf_free(&all);
    free(msg);
    return;
  }
  head_stream(c);
  if (sc->ask_ping) {
    dynbuf p;
    dynbuf_init(&p, 256);
    jsonrpc_build_request(&p, STAGE_PING_ID, "ping", NULL);
    send_event(c, "mcpwire-p1", 0, dynbuf_str(&p), 1);
    dynbuf_free(&p);
    conn_wait_ping(c);
  }
  keep_alive(c);
  build_call_events(s, m);
  int priming = sc->cut_after > 0 || sc->retry_ms > 0;
  size_t from = priming ? 0 : 2, upto = s->nevents;
  if (sc->cut_after > 0) {
    upto = (size_t)sc->cut_after < s->nevents ? (size_t)sc->cut_after : s->nevents;
    s->cut_at = (int)upto;
  }
  for (size_t i = from; i < upto; i++)
    write_event(c, i);
  if (sc->cut_after <= 0) {
    conn_bytes(c, "0\r\n\r\n", 5, 0);
    return;
  }
  if (sc->cut_mid_event && upto < s->nevents)
    conn_bytes(c, s->events[upto], s->events_len[upto] / 2, 1);
  else
    conn_bytes(c, "0\r\n\r\n", 5, 0);
  conn_mark(c, MARK_CUT);
  conn_close_after(c);
  stage_note(s, "tools/call stream: %zu event(s) then %s", upto,
             sc->cut_mid_event ? "half of the next and the connection closed"
                               : "the stream ended (the rest waits for a GET with Last-Event-ID)");
}

/* GET after a cut: the events after Last-Event-ID, then the stream stays. */
static void resume_stream(conn *c) {
  stage *s = c->st;
  char last[128] = "";
  int has = stage_request_header(c->cur, "Last-Event-ID", last, sizeof last);
  size_t from = (size_t)s->cut_at;
  for (size_t i = 0; has && i < s->nevents; i++) {
    char want[32];
    snprintf(want, sizeof want, "mcpwire-c%zu", i);
    if (!strcmp(last, want))
      from = i + 1;
  }
  head_stream(c);
  for (size_t i = from; i < s->nevents; i++)
    write_event(c, i);
  c->stream = 1;
  stage_note(s, "GET resumed the call stream from event %zu", from);
}

/* ---- Streamable HTTP and stateless ---- */

static int carries_session(const conn *c) {
  return stage_request_header(c->cur, "Mcp-Session-Id", NULL, 0);
}

static void post_request(conn *c, const jsonrpc_msg *m, const char *method) {
  stage *s = c->st;
  char *msg = NULL;
  int stateless = s->sc.transport == STAGE_STATELESS;
  if (!strcmp(method, "initialize") && !stateless) {
    if (s->expired)
      s->generation = 2;
    msg = initialize_result(s, m);
  } else if (!strcmp(method, "server/discover") && stateless) {
    msg = discover_result(s, m);
  } else if (!strcmp(method, "tools/list")) {
    msg = tools_result(s, m);
  } else if (!strcmp(method, "ping")) {
    msg = result_of(m, stateless ? "{\"resultType\":\"complete\"}" : "{}");
  } else if (!strcmp(method, "tools/call")) {
    if (s->sc.expire_session && !s->expired && carries_session(c)) {
      s->expired = 1;
      head_status(c, 404, "Not Found");
      stage_note(s, "tools/call with the session answered 404: the session expired");
      return;
    }
    if (s->sc.sse_replies || stateless) {
      call_stream(c, m);
      return;
    }
    msg = call_result(s, m, STAGE_TOOL_TEXT);
  } else {
    msg = error_of(m, JSONRPC_METHOD_NOT_FOUND, "method not found");
    if (stateless) {
      dynbuf h;
      dynbuf_init(&h, 1024);
      dynbuf_printf(&h, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                    "Content-Length: %zu\r\n\r\n%s", strlen(msg), msg);
      conn_bytes(c, dynbuf_str(&h), h.len, 0);
      c->cur->status = 404;
      dynbuf_free(&h);
      free(msg);
      return;
    }
  }
  reply_json(c, msg);
  free(msg);
}

static void post_message(conn *c) {
  jsonrpc_msg *m = jsonrpc_parse(c->cur->body ? c->cur->body : "", c->cur->body_len);
  jsonrpc_kind k = m ? jsonrpc_kind_of(m) : JSONRPC_INVALID;
  if (k == JSONRPC_REQUEST && jsonrpc_method(m)) {
    post_request(c, m, jsonrpc_method(m));
  } else if (k == JSONRPC_NOTIFICATION || k == JSONRPC_SUCCESS_RESPONSE || k == JSONRPC_ERROR_RESPONSE) {
    size_t n = 0;
    const char *id = k == JSONRPC_NOTIFICATION ? NULL : jsonrpc_id_raw(m, &n);
    head_status(c, 202, "Accepted");
    if (id && jsonrpc_id_equal(id, n, STAGE_PING_ID, strlen(STAGE_PING_ID)))
      script_ping_answered(c->st);
  } else {
    head_status(c, 400, "Bad Request");
  }
  jsonrpc_free(m);
}

static void serve_http(conn *c) {
  stage *s = c->st;
  const char *method = c->cur->method;
  if (strcmp(c->cur->target, "/mcp")) {
    head_status(c, 404, "Not Found");
  } else if (!strcmp(method, "POST")) {
    post_message(c);
  } else if (!strcmp(method, "GET") && s->cut_at >= 0 && s->sc.transport == STAGE_SHTTP) {
    resume_stream(c);
  } else if (!strcmp(method, "DELETE") && s->sc.transport == STAGE_SHTTP) {
    head_status(c, 200, "OK");
  } else {
    head_status(c, 405, "Method Not Allowed");
  }
}

/* ---- legacy HTTP+SSE ---- */

static void legacy_open(conn *c) {
  stage *s = c->st;
  char ep[256];
  if (s->sc.endpoint == EP_URL)
    snprintf(ep, sizeof ep, "%s%s", s->origin, LEGACY_POST_PATH);
  else if (s->sc.endpoint == EP_RELATIVE)
    snprintf(ep, sizeof ep, "%s", &LEGACY_POST_PATH[sizeof "/mcpwire/" - 1]);
  else
    snprintf(ep, sizeof ep, "%s", LEGACY_POST_PATH);
  head_stream(c);
  if (s->sc.endpoint_delay_ms > 0)
    conn_delay(c, s->sc.endpoint_delay_ms);
  dynbuf ev;
  dynbuf_init(&ev, 1024);
  {
    /* the endpoint event: raw text data, the shape's line ends */
    const char *eol = shape_eol(s);
    if (s->sc.shape.bom)
      dynbuf_add(&ev, "\xEF\xBB\xBF", 3);
    dynbuf_printf(&ev, "event: endpoint%sdata: %s%s%s", eol, ep, eol, eol);
  }
  conn_bytes(c, dynbuf_str(&ev), ev.len, 1);
  dynbuf_free(&ev);
  c->stream = 1;
  s->legacy = c;
  stage_note(s, "legacy stream open; endpoint event \"%s\"%s", ep,
             s->sc.endpoint_delay_ms > 0 ? " (late)" : "");
}

/* A message POSTed on the legacy transport: 202, the answer on the stream. */
static void legacy_post(conn *c) {
  stage *s = c->st;
  head_status(c, 202, "Accepted");
  jsonrpc_msg *m = jsonrpc_parse(c->cur->body ? c->cur->body : "", c->cur->body_len);
  const char *method = m && jsonrpc_kind_of(m) == JSONRPC_REQUEST ? jsonrpc_method(m) : NULL;
  char *msg = NULL;
  if (method && !strcmp(method, "initialize"))
    msg = initialize_result(s, m);
  else if (method && !strcmp(method, "tools/list"))
    msg = tools_result(s, m);
  else if (method && !strcmp(method, "tools/call"))
    msg = call_result(s, m, STAGE_TOOL_TEXT);
  else if (method && !strcmp(method, "ping"))
    msg = result_of(m, "{}");
  else if (method)
    msg = error_of(m, JSONRPC_METHOD_NOT_FOUND, "method not found");
  if (msg && s->legacy) {
    send_event(s->legacy, NULL, 0, msg, 0);
    conn_kick(s->legacy);
  }
  free(msg);
  jsonrpc_free(m);
}

static void serve_legacy(conn *c) {
  const char *method = c->cur->method, *t = c->cur->target;
  if (!strcmp(method, "GET") && !strcmp(t, "/mcpwire/sse"))
    legacy_open(c);
  else if (!strcmp(method, "POST") && !strcmp(t, LEGACY_POST_PATH))
    legacy_post(c);
  else
    head_status(c, 404, "Not Found");
}

void script_request(conn *c) {
  if (c->st->sc.transport == STAGE_LEGACY)
    serve_legacy(c);
  else
    serve_http(c);
}

void script_conn_gone(conn *c) {
  if (c->st->legacy == c)
    c->st->legacy = NULL;
}

void script_ping_answered(stage *s) {
  s->ping_answered = 1;
  stage_note(s, "the client answered the ping");
  for (conn *c = s->conns; c; c = c->next)
    if (c->head && c->head->kind == STEP_WAIT_PING)
      conn_kick(c);
}
