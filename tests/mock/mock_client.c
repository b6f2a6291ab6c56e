/* mock_client.c: see mock_client.h. */
#include "mock_client.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "codec/sse.h"
#include "mcpwire_limits.h"

#define MK_WAIT_MS 5000

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Reads the first stdout line of the child within the deadline. */
static int read_line(int fd, char *buf, size_t n, long deadline) {
  size_t len = 0;
  while (len + 1 < n) {
    struct pollfd p = {fd, POLLIN, 0};
    long left = deadline - now_ms();
    if (left <= 0 || poll(&p, 1, (int)left) <= 0)
      return -1;
    ssize_t r = read(fd, buf + len, 1);
    if (r <= 0)
      return -1;
    if (buf[len] == '\n')
      break;
    len++;
  }
  buf[len] = '\0';
  return 0;
}

int mk_start(mk_server *s, const char *bin, const char *const *extra) {
  /* execv takes char *const[]; the strings are never written. */
  char *argv[64] = {(char *)(uintptr_t)bin, (char *)(uintptr_t) "--port", (char *)(uintptr_t) "0"};
  size_t argc = 3;
  for (; extra && *extra && argc < 63; extra++)
    argv[argc++] = (char *)(uintptr_t)*extra;
  argv[argc] = NULL;
  int fds[2];
  if (pipe(fds))
    return -1;
  memset(s, 0, sizeof *s);
  s->pid = fork();
  if (s->pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execv(bin, argv);
    _exit(127);
  }
  close(fds[1]);
  s->out_fd = fds[0];
  char line[256];
  if (s->pid < 0 || read_line(s->out_fd, line, sizeof line, now_ms() + MK_WAIT_MS) ||
      sscanf(line, "listening http://127.0.0.1:%d", &s->port) != 1) {
    mk_stop(s);
    return -1;
  }
  snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
  return 0;
}

int mk_next_port(const mk_server *s, mk_server *other) {
  char line[256];
  *other = *s;
  if (read_line(s->out_fd, line, sizeof line, now_ms() + MK_WAIT_MS) ||
      sscanf(line, "listening http://127.0.0.1:%d", &other->port) != 1)
    return -1;
  snprintf(other->base, sizeof other->base, "http://127.0.0.1:%d", other->port);
  return 0;
}

int mk_stop(mk_server *s) {
  int status = -1;
  if (s->pid > 0) {
    kill(s->pid, SIGTERM);
    long deadline = now_ms() + 3 * MK_WAIT_MS; /* valgrind is slow */
    while (now_ms() < deadline) {
      pid_t r = waitpid(s->pid, &status, WNOHANG);
      if (r == s->pid)
        break;
      if (r < 0 && errno != EINTR)
        break;
      usleep(10000);
    }
    if (waitpid(s->pid, &status, WNOHANG) == 0) {
      kill(s->pid, SIGKILL);
      waitpid(s->pid, &status, 0);
      status = -1;
    }
  }
  if (s->out_fd > 0)
    close(s->out_fd);
  s->pid = 0;
  s->out_fd = 0;
  return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

long mk_rss_kib(const mk_server *s) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", (int)s->pid);
  FILE *f = fopen(path, "r");
  long kib = -1;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmRSS: %ld", &kib) == 1)
      break;
  if (f)
    fclose(f);
  return kib;
}

void mk_resp_free(mk_resp *r) {
  dynbuf_free(&r->headers);
  dynbuf_free(&r->body);
}

const char *mk_header(const mk_resp *r, const char *name, char *buf, size_t n) {
  const char *p = dynbuf_str(&r->headers), *found = NULL;
  size_t nl = strlen(name);
  for (; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
    if (!strncasecmp(p, name, nl) && p[nl] == ':')
      found = p + nl + 1;
  if (!found)
    return NULL;
  while (*found == ' ')
    found++;
  size_t len = strcspn(found, "\r\n");
  if (len >= n)
    len = n - 1;
  memcpy(buf, found, len);
  buf[len] = '\0';
  return buf;
}

static size_t on_body(char *p, size_t sz, size_t nm, void *u) {
  mk_resp *r = u;
  r->writes++;
  return dynbuf_add(&r->body, p, sz * nm) ? 0 : sz * nm;
}

/* A new status line (1xx, redirects) starts the header block again. */
static size_t on_header(char *p, size_t sz, size_t nm, void *u) {
  dynbuf *h = u;
  if (sz * nm > 5 && !strncmp(p, "HTTP/", 5))
    dynbuf_reset(h);
  return dynbuf_add(h, p, sz * nm) ? 0 : sz * nm;
}

static CURL *easy_for(const mk_server *s, const mk_req *q, mk_resp *r, struct curl_slist **hl) {
  char url[512];
  snprintf(url, sizeof url, "%s%s", s->base, q->path ? q->path : "/mcp");
  CURL *c = curl_easy_init();
  if (!c)
    return NULL;
  *hl = NULL;
  for (size_t i = 0; i < MK_HEADERS_MAX && q->headers[i]; i++)
    *hl = curl_slist_append(*hl, q->headers[i]);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hl);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, q->timeout_ms ? q->timeout_ms : (long)MK_WAIT_MS);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)MK_WAIT_MS);
  if (q->body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(q->body));
  }
  if (q->method)
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
  return c;
}

int mk_do(const mk_server *s, const mk_req *q, mk_resp *r) {
  dynbuf_init(&r->headers, MCPWIRE_HTTP_HEADERS_MAX);
  dynbuf_init(&r->body, MCPWIRE_HTTP_BODY_MAX);
  r->status = 0;
  r->writes = 0;
  struct curl_slist *hl;
  CURL *c = easy_for(s, q, r, &hl);
  if (!c)
    return -1;
  r->curl_rc = (int)curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
  curl_easy_cleanup(c);
  curl_slist_free_all(hl);
  return r->curl_rc == CURLE_OK || r->curl_rc == CURLE_OPERATION_TIMEDOUT ? 0 : -1;
}

/* ---- sessions ---- */

static void session_headers(const mk_sess *ss, mk_req *q, char *sid, char *ver, const char *extra) {
  size_t i = 0;
  q->headers[i++] = "Accept: application/json, text/event-stream";
  q->headers[i++] = "Content-Type: application/json";
  if (ss->id[0]) {
    snprintf(sid, 300, "Mcp-Session-Id: %s", ss->id);
    q->headers[i++] = sid;
  }
  if (ss->send_version && ss->version[0]) {
    snprintf(ver, 64, "MCP-Protocol-Version: %s", ss->version);
    q->headers[i++] = ver;
  }
  if (extra)
    q->headers[i++] = extra;
  q->headers[i] = NULL;
}

int mk_post_for(const mk_sess *ss, const char *body, mk_resp *r, const char *extra, long ms) {
  mk_req q = {0};
  char sid[300], ver[64];
  q.path = "/mcp";
  q.body = body;
  q.timeout_ms = ms;
  session_headers(ss, &q, sid, ver, extra);
  return mk_do(ss->srv, &q, r);
}

int mk_post(const mk_sess *ss, const char *body, mk_resp *r, const char *extra) {
  return mk_post_for(ss, body, r, extra, 0);
}

int mk_get_for(const mk_sess *ss, mk_resp *r, const char *extra, long ms) {
  mk_req q = {0};
  char sid[300], ver[64];
  q.path = "/mcp";
  q.timeout_ms = ms;
  session_headers(ss, &q, sid, ver, extra);
  q.headers[0] = "Accept: text/event-stream";
  return mk_do(ss->srv, &q, r);
}

long mk_init(mk_sess *ss, const mk_server *s, const char *version, const char *caps, int ack) {
  char body[1024], buf[200];
  memset(ss, 0, sizeof *ss);
  ss->srv = s;
  ss->send_version = 1;
  snprintf(body, sizeof body,
           "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
           "\"protocolVersion\":\"%s\",\"capabilities\":%s,"
           "\"clientInfo\":{\"name\":\"mock-test\",\"version\":\"1\"}}}",
           version, caps ? caps : "{}");
  mk_resp r;
  mk_post(ss, body, &r, NULL);
  long status = r.status;
  if (mk_header(&r, "Mcp-Session-Id", buf, sizeof buf))
    snprintf(ss->id, sizeof ss->id, "%s", buf);
  jsonrpc_msg *m = mk_reply(&r);
  const char *v = m ? jsonrpc_get_string(m, "result.protocolVersion") : NULL;
  snprintf(ss->version, sizeof ss->version, "%s", v ? v : "");
  jsonrpc_free(m);
  mk_resp_free(&r);
  if (ack && ss->id[0]) {
    mk_post(ss, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", &r, NULL);
    mk_resp_free(&r);
  }
  return status;
}

/* ---- SSE and JSON ---- */

static char *dup_n(const char *p, size_t n) {
  char *s = malloc(n + 1);
  if (s) {
    memcpy(s, p, n);
    s[n] = '\0';
  }
  return s;
}

static void on_event(void *u, const sse_event *ev) {
  mk_events *e = u;
  if (e->n >= sizeof e->ev / sizeof e->ev[0])
    return;
  mk_event *o = &e->ev[e->n++];
  o->type = dup_n(ev->type, ev->type_len);
  o->data = dup_n(ev->data, ev->data_len);
  o->id = dup_n(ev->last_event_id, ev->last_event_id_len);
}

static void on_retry(void *u, uint64_t ms, const char *d, size_t len) {
  (void)d; (void)len;
  mk_events *e = u;
  e->retry = (int64_t)ms;
  e->retries++;
}

static void on_comment(void *u, const char *t, size_t len) {
  (void)t; (void)len;
  ((mk_events *)u)->comments++;
}

mk_events *mk_events_parse(const char *body, size_t len) {
  mk_events *e = calloc(1, sizeof *e);
  sse_callbacks cb = {on_event, on_retry, on_comment};
  if (!e)
    return NULL;
  e->retry = -1;
  sse_parser *p = sse_parser_new(&cb, e, 0, 0);
  if (p) {
    sse_feed(p, body, len);
    sse_finish(p);
    e->bom = sse_get_stats(p)->bom != 0;
    sse_parser_free(p);
  }
  return e;
}

void mk_events_free(mk_events *e) {
  for (size_t i = 0; e && i < e->n; i++) {
    free(e->ev[i].type);
    free(e->ev[i].data);
    free(e->ev[i].id);
  }
  free(e);
}

size_t mk_events_messages(const mk_events *e) {
  size_t n = 0;
  for (size_t i = 0; i < e->n; i++)
    n += e->ev[i].data[0] != '\0';
  return n;
}

jsonrpc_msg *mk_json(const char *text) { return jsonrpc_parse(text, strlen(text)); }

jsonrpc_msg *mk_reply(const mk_resp *r) {
  char ct[128];
  if (!r->body.len)
    return NULL;
  if (!mk_header(r, "Content-Type", ct, sizeof ct) || !strstr(ct, "text/event-stream"))
    return jsonrpc_parse(r->body.ptr, r->body.len);
  mk_events *e = mk_events_parse(r->body.ptr, r->body.len);
  jsonrpc_msg *m = NULL;
  for (size_t i = e ? e->n : 0; i > 0 && !m; i--)
    if (e->ev[i - 1].data[0])
      m = mk_json(e->ev[i - 1].data);
  mk_events_free(e);
  return m;
}

/* ---- concurrent streams ---- */

struct mk_stream {
  char *body;                 /* POST body, kept while libcurl reads it */
  CURL *easy;
  struct curl_slist *hl;
  mk_resp r;
  int done;
};

static CURLM *multi;

static mk_stream *stream_new(const mk_sess *ss, const char *path, const char *body,
                             const char *extra) {
  mk_stream *st = calloc(1, sizeof *st);
  if (!st || (!multi && !(multi = curl_multi_init())) || (body && !(st->body = strdup(body)))) {
    free(st);
    return NULL;
  }
  mk_req q = {0};
  char sid[300], ver[64];
  session_headers(ss, &q, sid, ver, extra);
  if (!body)
    q.headers[0] = "Accept: text/event-stream";
  q.path = path;
  q.body = st->body;
  q.timeout_ms = 600000; /* bounded by the tests' own pump deadlines */
  dynbuf_init(&st->r.headers, MCPWIRE_HTTP_HEADERS_MAX);
  dynbuf_init(&st->r.body, MCPWIRE_HTTP_BODY_MAX);
  st->easy = easy_for(ss->srv, &q, &st->r, &st->hl);
  curl_easy_setopt(st->easy, CURLOPT_PRIVATE, st);
  curl_multi_add_handle(multi, st->easy);
  return st;
}

mk_stream *mk_stream_open(const mk_sess *ss, const char *path, const char *extra) {
  return stream_new(ss, path, NULL, extra);
}

mk_stream *mk_stream_post(const mk_sess *ss, const char *body, const char *extra) {
  return stream_new(ss, "/mcp", body, extra);
}

mk_stream *mk_stream_post_headers(const mk_server *s, const char *body, const char *const *headers) {
  mk_sess none = {.srv = s};
  mk_stream *st = stream_new(&none, "/mcp", body, NULL);
  if (!st)
    return NULL;
  curl_multi_remove_handle(multi, st->easy);
  for (size_t i = 0; headers && headers[i]; i++)
    st->hl = curl_slist_append(st->hl, headers[i]);
  curl_easy_setopt(st->easy, CURLOPT_HTTPHEADER, st->hl);
  curl_multi_add_handle(multi, st->easy);
  return st;
}

static void collect_done(void) {
  CURLMsg *msg;
  int left;
  while ((msg = curl_multi_info_read(multi, &left)))
    if (msg->msg == CURLMSG_DONE) {
      mk_stream *st;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&st);
      st->done = 1;
    }
}

void mk_pump(long ms) { mk_pump_until(NULL, NULL, ms); }

int mk_pump_until(int (*pred)(void *), void *arg, long ms) {
  long deadline = now_ms() + ms;
  int running = 0;
  while (multi) {
    curl_multi_perform(multi, &running);
    collect_done();
    if (pred && pred(arg))
      return 1;
    long left = deadline - now_ms();
    if (left <= 0)
      break;
    curl_multi_poll(multi, NULL, 0, (int)(left < 50 ? left : 50), NULL);
  }
  return pred ? pred(arg) : 0;
}

long mk_stream_status(const mk_stream *st) {
  long code = 0;
  curl_easy_getinfo(st->easy, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

const dynbuf *mk_stream_body(const mk_stream *st) { return &st->r.body; }
const mk_resp *mk_stream_resp(const mk_stream *st) { return &st->r; }
int mk_stream_done(const mk_stream *st) { return st->done; }

void mk_stream_close(mk_stream *st) {
  if (!st)
    return;
  curl_multi_remove_handle(multi, st->easy);
  curl_easy_cleanup(st->easy);
  curl_slist_free_all(st->hl);
  mk_resp_free(&st->r);
  free(st->body);
  free(st);
}

void mk_cleanup(void) {
  if (multi)
    curl_multi_cleanup(multi);
  multi = NULL;
}
