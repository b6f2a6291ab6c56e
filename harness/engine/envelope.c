#include "engine/envelope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcpwire_limits.h"

level envelope_rule_level(const char *rule) {
  return !strcmp(rule, "I-JSON") ? LEVEL_SHOULD : LEVEL_MUST;
}

static char *dup_bytes(const char *p, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    if (n)
      memcpy(d, p, n);
    d[n] = '\0';
  }
  return d;
}

static int is_continuation(unsigned char c) { return (c & 0xc0) == 0x80; }

/* The part of the message shown with a problem at `offset` (-1: unknown):
 * all of it when it fits, else MCPWIRE_ENVELOPE_EXCERPT_MAX bytes starting a
 * little before the offset, never splitting a UTF-8 sequence. */
static void excerpt_span(const char *data, size_t len, long offset, size_t *start,
                         size_t *n) {
  if (len <= MCPWIRE_ENVELOPE_EXCERPT_MAX) {
    *start = 0;
    *n = len;
    return;
  }
  size_t at = offset > 0 && (size_t)offset < len ? (size_t)offset : 0;
  size_t s = at > MCPWIRE_ENVELOPE_EXCERPT_MAX / 4 ? at - MCPWIRE_ENVELOPE_EXCERPT_MAX / 4 : 0;
  if (s > len - MCPWIRE_ENVELOPE_EXCERPT_MAX)
    s = len - MCPWIRE_ENVELOPE_EXCERPT_MAX;
  for (int k = 0; k < 3 && s < len && is_continuation((unsigned char)data[s]); k++)
    s++;
  size_t e = s + MCPWIRE_ENVELOPE_EXCERPT_MAX < len ? s + MCPWIRE_ENVELOPE_EXCERPT_MAX : len;
  for (int k = 0; k < 3 && e < len && e > s && is_continuation((unsigned char)data[e]); k++)
    e--;
  *start = s;
  *n = e - s;
}

static void record(envelope_watch *w, const char *where, const char *rule,
                   long offset, const char *reason, const char *data, size_t len) {
  case_result *r = w->res;
  transcript *log = w->log;
  level lv = envelope_rule_level(rule);
  if (log)
    transcript_addf(log, "envelope %s (%s) in %s: %s", rule, level_name(lv), where, reason);
  if (r->nenvelope >= MCPWIRE_ENVELOPE_PROBLEMS_MAX) {
    r->envelope_dropped++;
    return;
  }
  envelope_problem *grown = realloc(r->envelope, (r->nenvelope + 1) * sizeof *grown);
  if (!grown) {
    r->envelope_dropped++;
    return;
  }
  r->envelope = grown;
  size_t start, n;
  excerpt_span(data, len, offset, &start, &n);
  envelope_problem *p = &r->envelope[r->nenvelope];
  *p = (envelope_problem){.rule = rule, .level = lv, .excerpt_offset = start,
                          .message_len = len};
  p->where = strdup(where);
  p->reason = strdup(reason);
  p->excerpt = dup_bytes(data + start, n);
  if (!p->where || !p->reason || !p->excerpt) {
    free(p->where);
    free(p->reason);
    free(p->excerpt);
    r->envelope_dropped++;
    return;
  }
  r->nenvelope++;
}

/* JSONRPC-13: the codec reads a "notifications/..." method with an id as a
 * request; MCP says a notification never has one. */
static void check_notification_id(envelope_watch *w, const char *where,
                                  const jsonrpc_msg *m, int index, const char *data,
                                  size_t len) {
  const char *method = jsonrpc_method(m);
  if (!method || strncmp(method, "notifications/", 14) ||
      jsonrpc_get_type(m, "id") == JSONRPC_T_ABSENT)
    return;
  size_t idlen = 0;
  const char *id = jsonrpc_id_raw(m, &idlen);
  char element[40] = "";
  if (index >= 0)
    snprintf(element, sizeof element, "batch element %d: ", index);
  char reason[300];
  snprintf(reason, sizeof reason, "%s%.100s carries \"id\":%.*s: a notification never has one",
           element, method, id ? (int)(idlen > 40 ? 40 : idlen) : 4, id ? id : "null");
  record(w, where, "JSONRPC-13", -1, reason, data, len);
}

static int raw_is_integer(const char *raw, size_t len) {
  size_t i = raw[0] == '-' ? 1 : 0;
  if (i >= len)
    return 0;
  for (; i < len; i++)
    if (raw[i] < '0' || raw[i] > '9')
      return 0;
  return 1;
}

static int odd_id(const char *raw, size_t len) {
  return raw && len && raw[0] != '"' && !raw_is_integer(raw, len);
}

static void note_sent_id(envelope_watch *w, const jsonrpc_msg *m) {
  size_t len = 0;
  const char *id = jsonrpc_id_raw(m, &len);
  if (!odd_id(id, len) || len >= sizeof w->sent_ids[0] ||
      w->nsent_ids >= MCPWIRE_ENVELOPE_SENT_IDS_MAX)
    return;
  memcpy(w->sent_ids[w->nsent_ids], id, len);
  w->sent_ids[w->nsent_ids++][len] = '\0';
}

void envelope_sent(envelope_watch *w, const char *data, size_t len) {
  jsonrpc_msg *m = jsonrpc_parse(data, len);
  if (!m)
    return;
  if (jsonrpc_kind_of(m) == JSONRPC_BATCH)
    for (size_t i = 0; i < jsonrpc_batch_count(m); i++)
      note_sent_id(w, jsonrpc_batch_at(m, i));
  else if (jsonrpc_is_json(m))
    note_sent_id(w, m);
  jsonrpc_free(m);
}

/* 1 when the problem is about the id of a response (or batch element) that
 * echoes an odd-typed id the harness sent. */
static int echoes_sent_id(const envelope_watch *w, const jsonrpc_msg *m,
                          const jsonrpc_problem *p) {
  if (strcmp(p->rule, "JSONRPC-04") && strcmp(p->rule, "JSONRPC-08"))
    return 0;
  const jsonrpc_msg *el = p->batch_index >= 0 ? jsonrpc_batch_at(m, (size_t)p->batch_index) : m;
  jsonrpc_kind k = el ? jsonrpc_apparent_kind(el) : JSONRPC_INVALID;
  if (k != JSONRPC_SUCCESS_RESPONSE && k != JSONRPC_ERROR_RESPONSE)
    return 0;
  size_t len = 0;
  const char *id = jsonrpc_id_raw(el, &len);
  for (size_t i = 0; id && i < w->nsent_ids; i++)
    if (strlen(w->sent_ids[i]) == len && !memcmp(w->sent_ids[i], id, len))
      return 1;
  return 0;
}

void envelope_check(envelope_watch *w, const char *where, long status, const char *data,
                    size_t len) {
  jsonrpc_msg *m = jsonrpc_parse(data, len);
  if (!m)
    return; /* out of memory: nothing to judge with */
  /* An HTTP error may carry any body; one that claims JSON-RPC is judged. */
  if ((status < 200 || status >= 300) &&
      (!jsonrpc_is_json(m) || jsonrpc_get_type(m, "jsonrpc") == JSONRPC_T_ABSENT)) {
    jsonrpc_free(m);
    return;
  }
  w->res->envelope_messages++;
  for (size_t i = 0; i < jsonrpc_problem_count(m); i++) {
    const jsonrpc_problem *p = jsonrpc_problem_at(m, i);
    if (!strcmp(p->rule, "LIMIT") || !strcmp(p->rule, "INTERNAL")) {
      /* A cap of ours or our memory: nothing the target did wrong. */
      if (w->log)
        transcript_addf(w->log, "envelope: %s: %s (a limit of mcpwire, not held against the "
                        "target)", where, p->reason);
      continue;
    }
    if (echoes_sent_id(w, m, p)) {
      if (w->log)
        transcript_addf(w->log, "envelope: %s echoes an id the harness sent (%s), not held "
                        "against the target", where, p->reason);
      continue;
    }
    char reason[300];
    if (!strcmp(p->rule, "JSONRPC-BATCH-03") && p->batch_index < 0)
      /* A server's []: JSON-RPC 2.0 §6 has the server return nothing at
       * all when no Response is due, and forbids the empty Array (MUST NOT). */
      snprintf(reason, sizeof reason, "%.150s (from the server: JSON-RPC 2.0 section 6 "
               "forbids returning an empty Array, MUST NOT; nothing at all is owed)", p->reason);
    else if (p->batch_index >= 0)
      snprintf(reason, sizeof reason, "batch element %d: %s", p->batch_index, p->reason);
    else
      snprintf(reason, sizeof reason, "%s", p->reason);
    record(w, where, p->rule, p->offset, reason, data, len);
  }
  if (jsonrpc_problems_dropped(m)) {
    /* Past the codec's own cap: counted with the case's, not kept. */
    w->res->envelope_dropped += jsonrpc_problems_dropped(m);
    if (w->log)
      transcript_addf(w->log, "envelope: %zu more problems in %s (MCPWIRE_JSONRPC_PROBLEMS_MAX)",
                      jsonrpc_problems_dropped(m), where);
  }
  if (jsonrpc_kind_of(m) == JSONRPC_BATCH)
    for (size_t i = 0; i < jsonrpc_batch_count(m); i++)
      check_notification_id(w, where, jsonrpc_batch_at(m, i), (int)i, data, len);
  else if (jsonrpc_is_json(m))
    check_notification_id(w, where, m, -1, data, len);
  jsonrpc_free(m);
}

static void observe(void *user, int sent, const char *where, long status, const char *data,
                    size_t len) {
  envelope_watch *w = user;
  if (sent)
    envelope_sent(w, data, len);
  else
    envelope_check(w, where, status, data, len);
}

void envelope_attach(envelope_watch *w, transcript *log, case_result *res) {
  memset(w, 0, sizeof *w);
  w->res = res;
  w->log = log;
  log->on_message = observe;
  log->on_message_user = w;
}
