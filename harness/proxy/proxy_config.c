/*
 * proxy_config.c: parsing of "MODE[,MODE...]" into a proxy_config.
 *
 * A comma splits modes only when a mode keyword follows it, so a
 * set-header value may hold commas ("set-header=Cache-Control:no-cache, x").
 */
#include "proxy/proxy.h"
#include "proxy/balance.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const mode_names[] = {
    "pass", "buffer", "slice", "latency", "cut-bytes", "cut-events", "stall",
    "reset", "strip-header", "set-header", "idle-cut", "times", "balance"};

void proxy_config_init(proxy_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  strcpy(cfg->listen_host, "127.0.0.1");
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (err && errlen)
    vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return -1;
}

/* Whether text starts with a mode keyword ending at '=', ',' or the end. */
static size_t mode_keyword_len(const char *s) {
  for (size_t i = 0; i < sizeof mode_names / sizeof *mode_names; i++) {
    size_t n = strlen(mode_names[i]);
    if (!strncmp(s, mode_names[i], n) && (s[n] == '=' || s[n] == ',' || !s[n]))
      return n;
  }
  return 0;
}

/* End of the mode starting at s: the next comma followed by a keyword. */
static const char *mode_end(const char *s) {
  for (const char *c = strchr(s, ','); c; c = strchr(c + 1, ','))
    if (mode_keyword_len(c + 1))
      return c;
  return s + strlen(s);
}

static int parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out) {
  if (!n || n > 20)
    return -1;
  uint64_t x = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9' || x > (UINT64_MAX - 9) / 10)
      return -1;
    x = x * 10 + (uint64_t)(s[i] - '0');
  }
  if (x > max)
    return -1;
  *out = x;
  return 0;
}

static int is_token(const char *s, size_t n) {
  if (!n)
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c && strchr("!#$%&'*+-.^_`|~", c));
    if (!ok)
      return 0;
  }
  return 1;
}

static int is_framing_header(const char *name) {
  return !strcasecmp(name, "content-length") || !strcasecmp(name, "transfer-encoding");
}

static int add_header_rule(proxy_config *cfg, int set, const char *arg, size_t n, char *err,
                           size_t errlen) {
  if (cfg->n_rules == MCPWIRE_PROXY_HEADER_RULES_MAX)
    return fail(err, errlen, "too many header rules (at most %d)", MCPWIRE_PROXY_HEADER_RULES_MAX);
  const char *colon = set ? memchr(arg, ':', n) : NULL;
  if (set && !colon)
    return fail(err, errlen, "set-header needs NAME:VALUE");
  size_t name_len = set ? (size_t)(colon - arg) : n;
  size_t value_len = set ? n - name_len - 1 : 0;
  const char *value = set ? colon + 1 : "";
  while (value_len && (*value == ' ' || *value == '\t'))
    value++, value_len--;
  if (!is_token(arg, name_len))
    return fail(err, errlen, "header name '%.*s' is not a token", (int)name_len, arg);
  if (name_len >= MCPWIRE_PROXY_HEADER_TEXT_MAX || value_len >= MCPWIRE_PROXY_HEADER_TEXT_MAX)
    return fail(err, errlen, "header rule longer than %d bytes", MCPWIRE_PROXY_HEADER_TEXT_MAX - 1);
  for (size_t i = 0; i < value_len; i++)
    if (value[i] == '\r' || value[i] == '\n' || value[i] == '\0')
      return fail(err, errlen, "header value holds CR, LF or NUL");
  proxy_header_rule *r = &cfg->rules[cfg->n_rules];
  memcpy(r->name, arg, name_len);
  r->name[name_len] = '\0';
  memcpy(r->value, value, value_len);
  r->value[value_len] = '\0';
  r->set = set;
  if (set && is_framing_header(r->name))
    return fail(err, errlen, "set-header cannot change %s (the proxy keeps framing correct)", r->name);
  cfg->n_rules++;
  return 0;
}

static int parse_slice(proxy_config *cfg, const char *arg, size_t n, char *err, size_t errlen) {
  cfg->slice = 1;
  cfg->slice_gap_ms = MCPWIRE_PROXY_SLICE_GAP_MS;
  if (!arg)
    return 0;
  const char *colon = memchr(arg, ':', n);
  size_t size_len = colon ? (size_t)(colon - arg) : n;
  uint64_t gap = 0;
  if (parse_u64(arg, size_len, MCPWIRE_PROXY_QUEUE_MAX, &cfg->slice) || cfg->slice == 0)
    return fail(err, errlen, "slice=N needs 1 <= N <= %u", MCPWIRE_PROXY_QUEUE_MAX);
  if (colon) {
    if (parse_u64(colon + 1, n - size_len - 1, MCPWIRE_PROXY_DELAY_MAX_MS, &gap))
      return fail(err, errlen, "slice=N:MS needs MS <= %d", MCPWIRE_PROXY_DELAY_MAX_MS);
    cfg->slice_gap_ms = (unsigned)gap;
  }
  return 0;
}

/* The slot and on-flag of a byte or event count mode. */
static uint64_t *count_slot(proxy_config *cfg, const char *name, int **flag) {
  if (!strcmp(name, "cut-bytes")) return *flag = &cfg->has_cut_bytes, &cfg->cut_bytes;
  if (!strcmp(name, "cut-events")) return *flag = &cfg->has_cut_events, &cfg->cut_events;
  if (!strcmp(name, "stall")) return *flag = &cfg->has_stall, &cfg->stall_bytes;
  return *flag = &cfg->has_reset, &cfg->reset_bytes;
}

/* latency, idle-cut, times and the count modes: one number each. */
static int parse_number_mode(proxy_config *cfg, const char *name, const char *arg, size_t n,
                             char *err, size_t errlen) {
  int is_time = !strcmp(name, "latency") || !strcmp(name, "idle-cut");
  uint64_t v;
  if (!arg || parse_u64(arg, n, is_time ? MCPWIRE_PROXY_DELAY_MAX_MS : UINT64_MAX, &v))
    return fail(err, errlen, "%s needs a number%s", name,
                is_time ? " of ms (at most 600000)" : "");
  if ((!strcmp(name, "cut-events") || !strcmp(name, "times")) && v == 0)
    return fail(err, errlen, "%s needs N >= 1", name);
  if (!strcmp(name, "latency")) {
    cfg->latency_ms = (unsigned)v;
  } else if (!strcmp(name, "idle-cut")) {
    cfg->idle_cut_ms = (unsigned)v;
  } else if (!strcmp(name, "times")) {
    cfg->fault_times = v;
  } else {
    int *flag;
    *count_slot(cfg, name, &flag) = v;
    *flag = 1;
  }
  return 0;
}

static int parse_buffer(proxy_config *cfg, const char *arg, size_t n, char *err, size_t errlen) {
  if (!arg) {
    cfg->buffer_whole = 1;
    return 0;
  }
  if (parse_u64(arg, n, MCPWIRE_PROXY_HOLD_MAX, &cfg->buffer_bytes) || !cfg->buffer_bytes)
    return fail(err, errlen, "buffer=N needs 1 <= N <= %u", MCPWIRE_PROXY_HOLD_MAX);
  return 0;
}

static int parse_one(proxy_config *cfg, const char *s, size_t n, char *err, size_t errlen) {
  size_t kw = mode_keyword_len(s);
  if (!kw || kw > n)
    return fail(err, errlen, "unknown mode '%.*s'", (int)n, s);
  char name[16];
  memcpy(name, s, kw);
  name[kw] = '\0';
  const char *arg = kw < n ? s + kw + 1 : NULL;
  size_t arg_len = arg ? n - kw - 1 : 0;
  if (!strcmp(name, "balance")) {
    int m = arg ? balance_parse(arg, arg_len) : -1;
    if (m < 0)
      return fail(err, errlen, "balance needs round-robin or session-hash");
    cfg->balance = m;
    return 0;
  }
  if (!strcmp(name, "pass"))
    return arg ? fail(err, errlen, "pass takes no argument") : 0;
  if (!strcmp(name, "buffer"))
    return parse_buffer(cfg, arg, arg_len, err, errlen);
  if (!strcmp(name, "slice"))
    return parse_slice(cfg, arg, arg_len, err, errlen);
  if (!strcmp(name, "strip-header") || !strcmp(name, "set-header")) {
    if (!arg)
      return fail(err, errlen, "%s needs an argument", name);
    return add_header_rule(cfg, name[1] == 'e', arg, arg_len, err, errlen);
  }
  return parse_number_mode(cfg, name, arg, arg_len, err, errlen);
}

int proxy_config_parse(proxy_config *cfg, const char *modes, char *err, size_t errlen) {
  if (!modes || !*modes)
    return fail(err, errlen, "empty mode list");
  for (const char *s = modes;;) {
    const char *end = mode_end(s);
    if (parse_one(cfg, s, (size_t)(end - s), err, errlen))
      return -1;
    if (!*end)
      break;
    s = end + 1;
  }
  if (cfg->buffer_whole && cfg->buffer_bytes)
    return fail(err, errlen, "use either buffer or buffer=N");
  return 0;
}

int proxy_config_add_target(proxy_config *cfg, const char *hostport, char *err, size_t errlen) {
  int first = !cfg->target_host[0];
  if (!first && cfg->n_more_targets == MCPWIRE_PROXY_TARGETS_MAX - 1)
    return fail(err, errlen, "too many targets (at most %d)", MCPWIRE_PROXY_TARGETS_MAX);
  proxy_target *t = first ? NULL : &cfg->more_targets[cfg->n_more_targets];
  if (proxy_parse_hostport(hostport, first ? cfg->target_host : t->host, sizeof t->host,
                           first ? &cfg->target_port : &t->port))
    return fail(err, errlen, "a target is HOST:PORT, not '%s'", hostport);
  cfg->n_more_targets += !first;
  return 0;
}

int proxy_parse_hostport(const char *s, char *host, size_t hostlen, int *port) {
  const char *colon;
  const char *h = s;
  size_t hl;
  if (*s == '[') {
    const char *close = strchr(s, ']');
    if (!close || close[1] != ':')
      return -1;
    h = s + 1;
    hl = (size_t)(close - h);
    colon = close + 1;
  } else {
    colon = strrchr(s, ':');
    if (!colon)
      return -1;
    hl = (size_t)(colon - s);
  }
  uint64_t p;
  if (!hl || hl >= hostlen || parse_u64(colon + 1, strlen(colon + 1), 65535, &p))
    return -1;
  memcpy(host, h, hl);
  host[hl] = '\0';
  *port = (int)p;
  return 0;
}

static void append(char *out, size_t outlen, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *out, size_t outlen, size_t *used, const char *fmt, ...) {
  if (*used >= outlen)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(out + *used, outlen - *used, fmt, ap);
  va_end(ap);
  if (n > 0)
    *used += (size_t)n;
}

void proxy_config_describe(const proxy_config *c, char *out, size_t outlen) {
  size_t u = 0;
  if (!outlen)
    return;
  out[0] = '\0';
  if (c->buffer_whole) append(out, outlen, &u, ",buffer");
  if (c->buffer_bytes) append(out, outlen, &u, ",buffer=%llu", (unsigned long long)c->buffer_bytes);
  if (c->slice) append(out, outlen, &u, ",slice=%llu:%u", (unsigned long long)c->slice, c->slice_gap_ms);
  if (c->latency_ms) append(out, outlen, &u, ",latency=%u", c->latency_ms);
  if (c->has_cut_bytes) append(out, outlen, &u, ",cut-bytes=%llu", (unsigned long long)c->cut_bytes);
  if (c->has_cut_events) append(out, outlen, &u, ",cut-events=%llu", (unsigned long long)c->cut_events);
  if (c->has_stall) append(out, outlen, &u, ",stall=%llu", (unsigned long long)c->stall_bytes);
  if (c->has_reset) append(out, outlen, &u, ",reset=%llu", (unsigned long long)c->reset_bytes);
  for (size_t i = 0; i < c->n_rules; i++)
    append(out, outlen, &u, c->rules[i].set ? ",set-header=%s:%s" : ",strip-header=%s%s",
           c->rules[i].name, c->rules[i].set ? c->rules[i].value : "");
  if (c->idle_cut_ms) append(out, outlen, &u, ",idle-cut=%u", c->idle_cut_ms);
  if (c->fault_times) append(out, outlen, &u, ",times=%llu", (unsigned long long)c->fault_times);
  if (c->balance)
    append(out, outlen, &u, ",balance=%s over %zu targets", balance_name(c->balance),
           c->n_more_targets + 1);
  if (!out[0])
    snprintf(out, outlen, "pass");
  else
    memmove(out, out + 1, strlen(out));
}
