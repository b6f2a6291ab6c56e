/*
 * subscription.c: subscriptions/listen (2026-07-28, S26-LISTEN). A listen
 * request is a POST whose SSE reply stays open: first
 * notifications/subscriptions/acknowledged naming the filter the mock
 * honours, then the list_changed notifications the filter asked for, each
 * tagged with the listen request's id (type kept) in
 * _meta io.modelcontextprotocol/subscriptionId. The client ends it by
 * closing the stream; the stateless session then goes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcpwire_limits.h"
#include "mock.h"

typedef struct filter_field {
  unsigned bit;
  const char *name;
} filter_field;

/* The list_changed kinds the mock offers; resourceSubscriptions is not
 * one, so the ack leaves it out (S26-LISTEN-03). */
static const filter_field fields[] = {{LISTEN_TOOLS, "toolsListChanged"},
                                      {LISTEN_PROMPTS, "promptsListChanged"},
                                      {LISTEN_RESOURCES, "resourcesListChanged"}};
#define NFIELDS (sizeof fields / sizeof fields[0])

static unsigned filter_of(const jsonrpc_msg *m) {
  unsigned bits = 0;
  char path[96];
  for (size_t i = 0; i < NFIELDS; i++) {
    snprintf(path, sizeof path, "params.notifications.%s", fields[i].name);
    if (jsonrpc_get_type(m, path) == JSONRPC_T_TRUE)
      bits |= fields[i].bit;
  }
  return bits;
}

/* {"_meta":{"io.modelcontextprotocol/subscriptionId":ID}} plus `more`
 * members (each ending with ','), as params. */
static void tagged_params(dynbuf *p, const session *s, const char *more) {
  dynbuf_addc(p, '{');
  dynbuf_adds(p, more);
  if (fault_on(FAULT_S26_LISTEN_UNTAGGED)) {
    if (p->len > 1)
      p->ptr[--p->len] = '\0';
  } else {
    dynbuf_printf(p, "\"_meta\":{\"io.modelcontextprotocol/subscriptionId\":%s}", s->listen_id);
  }
  dynbuf_addc(p, '}');
}

static void send_tagged(session *s, const char *method, const char *more) {
  dynbuf p, b;
  dynbuf_init(&p, 4096);
  dynbuf_init(&b, 8192);
  tagged_params(&p, s, more);
  rpc_notification(&b, method, p.ptr);
  if (s->streams)
    stream_send(s->streams, b.ptr, b.len);
  dynbuf_free(&p);
  dynbuf_free(&b);
}

/* s26-ack-echoes-filter: the filter as asked, whatever the mock honours. */
static void send_ack_echo(session *s, const jsonrpc_msg *m) {
  dynbuf f;
  dynbuf_init(&f, 8192);
  dynbuf_adds(&f, "\"notifications\":");
  if (jsonrpc_get_json(m, "params.notifications", &f))
    dynbuf_adds(&f, "{}");
  dynbuf_addc(&f, ',');
  send_tagged(s, "notifications/subscriptions/acknowledged", f.ptr);
  dynbuf_free(&f);
}

static void send_ack(session *s) {
  dynbuf f;
  dynbuf_init(&f, 1024);
  dynbuf_adds(&f, "\"notifications\":{");
  size_t start = f.len;
  for (size_t i = 0; i < NFIELDS; i++)
    if (s->listen_filter & fields[i].bit)
      dynbuf_printf(&f, "%s\"%s\":true", f.len > start ? "," : "", fields[i].name);
  dynbuf_adds(&f, "},");
  send_tagged(s, "notifications/subscriptions/acknowledged", f.ptr);
  dynbuf_free(&f);
}

void subscription_open(struct evhttp_request *req, session *s, const jsonrpc_msg *m) {
  size_t len = 0;
  const char *id = rpc_reply_id(m, &len);
  stream *st = id ? stream_create(s, 0) : NULL;
  if (!st || !(s->listen_id = strndup(id, len))) {
    session_reap_soon(s);
    http_reply(req, 500, "Internal Server Error", NULL, NULL, 0);
    return;
  }
  s->listen_filter = fault_on(FAULT_S26_LISTEN_IGNORES_FILTER) ? ~0u : filter_of(m);
  stream_attach(st, req);
  if (fault_on(FAULT_S26_ACK_ECHOES_FILTER))
    send_ack_echo(s, m);
  else if (!fault_on(FAULT_S26_LISTEN_NO_ACK))
    send_ack(s);
}

void subscription_leak(const char *json, size_t len) {
  for (session *s = the_mock.sessions; s; s = s->next)
    if (s->modern && s->listen_id && s->streams && stream_attached(s->streams))
      stream_send(s->streams, json, len);
}

void subscription_notify(unsigned kind, const char *method) {
  if (fault_on(FAULT_S26_LISTEN_SILENT))
    return;
  for (session *s = the_mock.sessions; s; s = s->next)
    if (s->modern && s->listen_id && (s->listen_filter & kind) && s->streams &&
        stream_attached(s->streams))
      send_tagged(s, method, "");
}
