/*
 * http_framing.c: the HTTP/1.1 framing tracker (contract in http_framing.h).
 *
 * Heads are gathered line by line with memchr; chunk framing goes through a
 * small byte state machine; body data is handed out in place.
 */
#include "proxy/http_framing.h"

#include <string.h>
#include <strings.h>

enum {
  ST_HEAD = 0,
  ST_BODY_LENGTH,
  ST_BODY_UNTIL_EOF,    /* close-delimited body or tunnel */
  ST_CHUNK_SIZE,
  ST_CHUNK_EXT,         /* skipping `;ext` (or whitespace) up to the LF */
  ST_CHUNK_SIZE_LF,     /* CR seen after the size line */
  ST_CHUNK_DATA,
  ST_CHUNK_DATA_CR,
  ST_CHUNK_DATA_LF,
  ST_TRAILER_LINE_START,
  ST_TRAILER_LINE,
  ST_TRAILER_END_LF,
  ST_DONE               /* after finish */
};

void http_framing_init(http_framing *f, int is_response,
                       const http_framing_callbacks *cb, void *user) {
  memset(f, 0, sizeof *f);
  f->cb = *cb;
  f->user = user;
  f->is_response = is_response;
  f->state = ST_HEAD;
  dynbuf_init(&f->head, MCPWIRE_PROXY_HEAD_MAX);
}

void http_framing_free(http_framing *f) { dynbuf_free(&f->head); }

http_framing_status http_framing_error(const http_framing *f) { return f->error; }
int http_framing_in_head(const http_framing *f) {
  return f->state == ST_HEAD && !f->error;
}
http_body_kind http_framing_body(const http_framing *f) { return f->body; }
uint64_t http_framing_messages(const http_framing *f) { return f->messages; }
const char *http_framing_head_bytes(const http_framing *f, size_t *len) {
  *len = f->state == ST_HEAD ? f->head.len : 0;
  return f->head.ptr ? f->head.ptr : "";
}

const char *http_framing_status_text(http_framing_status s) {
  switch (s) {
  case HTTP_FRAMING_OK: return "ok";
  case HTTP_FRAMING_ERR_HEAD_TOO_LARGE: return "head too large";
  case HTTP_FRAMING_ERR_START_LINE: return "bad start line";
  case HTTP_FRAMING_ERR_HEADER_LINE: return "bad header line";
  case HTTP_FRAMING_ERR_CONTENT_LENGTH: return "bad Content-Length";
  case HTTP_FRAMING_ERR_TRANSFER_CODING: return "request transfer coding is not chunked";
  case HTTP_FRAMING_ERR_CHUNK: return "bad chunk framing";
  case HTTP_FRAMING_ERR_CHUNK_LINE_TOO_LONG: return "chunk line too long";
  case HTTP_FRAMING_ERR_TRAILERS_TOO_LARGE: return "trailers too large";
  case HTTP_FRAMING_ERR_PIPELINE_FULL: return "too many pipelined requests";
  case HTTP_FRAMING_ERR_TRUNCATED: return "truncated message";
  case HTTP_FRAMING_ERR_NOMEM: return "out of memory";
  }
  return "unknown";
}

http_framing_status http_framing_expect_response(http_framing *f, int is_head) {
  if (f->error)
    return f->error;
  if (f->pending_len == MCPWIRE_PROXY_PIPELINE_MAX)
    return f->error = HTTP_FRAMING_ERR_PIPELINE_FULL;
  size_t at = (f->pending_start + f->pending_len) % MCPWIRE_PROXY_PIPELINE_MAX;
  f->head_requests[at] = (unsigned char)(is_head != 0);
  f->pending_len++;
  return HTTP_FRAMING_OK;
}

/* A final response answers the oldest pending request: was it a HEAD? */
static int pop_head_request(http_framing *f) {
  if (!f->pending_len)
    return 0;
  int is_head = f->head_requests[f->pending_start];
  f->pending_start = (f->pending_start + 1) % MCPWIRE_PROXY_PIPELINE_MAX;
  f->pending_len--;
  return is_head;
}

/* ---- head helpers ---- */

static int is_tchar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c && strchr("!#$%&'*+-.^_`|~", c));
}

static size_t line_content_len(const char *line, size_t len_with_lf) {
  size_t n = len_with_lf - 1;
  return n && line[n - 1] == '\r' ? n - 1 : n;
}

size_t http_head_start_line_len(const http_head *h) {
  const char *lf = memchr(h->raw, '\n', h->raw_len);
  return lf ? (size_t)(lf - h->raw) + 1 : h->raw_len;
}

int http_head_next_header(const http_head *h, size_t *pos, http_header *out) {
  if (*pos == 0)
    *pos = http_head_start_line_len(h);
  while (*pos < h->raw_len) {
    const char *line = h->raw + *pos;
    const char *lf = memchr(line, '\n', h->raw_len - *pos);
    size_t with_lf = lf ? (size_t)(lf - line) + 1 : h->raw_len - *pos;
    size_t n = line_content_len(line, with_lf);
    size_t off = *pos;
    *pos += with_lf;
    if (n == 0)
      return 0;
    if (line[0] == ' ' || line[0] == '\t')
      continue; /* obsolete line folding: a continuation, not a header */
    const char *colon = memchr(line, ':', n);
    if (!colon)
      continue;
    const char *v = colon + 1, *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
      v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
      end--;
    out->name = line;
    out->name_len = (size_t)(colon - line);
    out->value = v;
    out->value_len = (size_t)(end - v);
    out->line_off = off;
    out->line_len = with_lf;
    return 1;
  }
  return 0;
}

int http_header_name_is(const http_header *hd, const char *name) {
  return strlen(name) == hd->name_len && !strncasecmp(hd->name, name, hd->name_len);
}

/* ---- head parsing ---- */

static int parse_status_line(const char *s, size_t n, int *status) {
  if (n < 12 || memcmp(s, "HTTP/1.", 7) || s[7] < '0' || s[7] > '9' || s[8] != ' ')
    return -1;
  for (int i = 9; i < 12; i++)
    if (s[i] < '0' || s[i] > '9')
      return -1;
  if (n > 12 && s[12] != ' ')
    return -1;
  *status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
  return *status >= 100 ? 0 : -1;
}

static int parse_request_line(const char *s, size_t n, size_t *method_len) {
  size_t i = 0;
  while (i < n && is_tchar((unsigned char)s[i]))
    i++;
  if (i == 0 || i >= n || s[i] != ' ')
    return -1;
  if (n < i + 10)
    return -1;
  const char *ver = s + n - 8;
  if (memcmp(ver, "HTTP/1.", 7) || ver[-1] != ' ')
    return -1;
  *method_len = i;
  return 0;
}

/* Content-Length: comma-separated digits, all equal (RFC 9110 8.6). */
static int parse_content_length(const char *v, size_t n, int *seen, uint64_t *out) {
  size_t i = 0;
  while (i <= n) {
    while (i < n && (v[i] == ' ' || v[i] == '\t'))
      i++;
    uint64_t x = 0;
    size_t digits = 0;
    for (; i < n && v[i] >= '0' && v[i] <= '9'; i++, digits++) {
      if (x > (UINT64_MAX - 9) / 10)
        return -1;
      x = x * 10 + (uint64_t)(v[i] - '0');
    }
    while (i < n && (v[i] == ' ' || v[i] == '\t'))
      i++;
    if (!digits || (i < n && v[i] != ','))
      return -1;
    if (*seen && x != *out)
      return -1;
    *seen = 1;
    *out = x;
    i++;
  }
  return 0;
}

/* Whether the last coding in a Transfer-Encoding value is `chunked`. */
static int last_coding_is_chunked(const char *v, size_t n) {
  size_t start = 0, end = n;
  for (size_t i = 0; i < n; i++)
    if (v[i] == ',')
      start = i + 1;
  for (size_t i = start; i < n; i++)
    if (v[i] == ';') { /* parameters of the coding */
      end = i;
      break;
    }
  while (start < end && (v[start] == ' ' || v[start] == '\t'))
    start++;
  while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
    end--;
  return end - start == 7 && !strncasecmp(v + start, "chunked", 7);
}

/* Reads the framing headers; the last Transfer-Encoding header decides. */
static http_framing_status scan_framing_headers(http_head *h, int *has_te, int *te_chunked,
                                                int *has_cl) {
  size_t pos = 0;
  http_header hd;
  size_t start = http_head_start_line_len(h);
  for (size_t p = start; p < h->raw_len;) {
    const char *line = h->raw + p;
    const char *lf = memchr(line, '\n', h->raw_len - p);
    size_t with_lf = (size_t)(lf - line) + 1, n = line_content_len(line, with_lf);
    p += with_lf;
    if (n == 0)
      break;
    if (line[0] == ' ' || line[0] == '\t')
      continue;
    size_t i = 0;
    while (i < n && is_tchar((unsigned char)line[i]))
      i++;
    if (i == 0 || i >= n || line[i] != ':')
      return HTTP_FRAMING_ERR_HEADER_LINE;
  }
  while (http_head_next_header(h, &pos, &hd)) {
    if (http_header_name_is(&hd, "transfer-encoding")) {
      *has_te = 1;
      *te_chunked = last_coding_is_chunked(hd.value, hd.value_len);
    } else if (http_header_name_is(&hd, "content-length")) {
      if (parse_content_length(hd.value, hd.value_len, has_cl, &h->content_length))
        return HTTP_FRAMING_ERR_CONTENT_LENGTH;
    }
  }
  return HTTP_FRAMING_OK;
}

static http_framing_status decide_response_body(http_framing *f, http_head *h, int has_te,
                                                int te_chunked, int has_cl) {
  if (h->status >= 200 || h->status == 101) {
    if (pop_head_request(f) && h->status != 101) {
      h->body = HTTP_BODY_NONE;
      return HTTP_FRAMING_OK;
    }
  }
  if (h->status == 101)
    h->body = HTTP_BODY_TUNNEL;
  else if (h->status < 200 || h->status == 204 || h->status == 304)
    h->body = HTTP_BODY_NONE;
  else if (has_te)
    h->body = te_chunked ? HTTP_BODY_CHUNKED : HTTP_BODY_CLOSE;
  else if (has_cl)
    h->body = HTTP_BODY_LENGTH;
  else
    h->body = HTTP_BODY_CLOSE;
  return HTTP_FRAMING_OK;
}

static http_framing_status decide_request_body(http_head *h, int has_te, int te_chunked,
                                               int has_cl) {
  if (has_te) {
    if (!te_chunked)
      return HTTP_FRAMING_ERR_TRANSFER_CODING;
    h->body = HTTP_BODY_CHUNKED;
  } else {
    h->body = has_cl ? HTTP_BODY_LENGTH : HTTP_BODY_NONE;
  }
  return HTTP_FRAMING_OK;
}

static http_framing_status parse_head(http_framing *f, http_head *h) {
  memset(h, 0, sizeof *h);
  h->raw = f->head.ptr;
  h->raw_len = f->head.len;
  h->is_response = f->is_response;
  size_t first = http_head_start_line_len(h);
  size_t n = line_content_len(h->raw, first);
  if (f->is_response ? parse_status_line(h->raw, n, &h->status)
                     : parse_request_line(h->raw, n, &h->method_len))
    return HTTP_FRAMING_ERR_START_LINE;
  if (!f->is_response)
    h->method = h->raw;
  int has_te = 0, te_chunked = 0, has_cl = 0;
  http_framing_status st = scan_framing_headers(h, &has_te, &te_chunked, &has_cl);
  if (st)
    return st;
  if (!has_cl)
    h->content_length = 0;
  st = f->is_response ? decide_response_body(f, h, has_te, te_chunked, has_cl)
                      : decide_request_body(h, has_te, te_chunked, has_cl);
  if (h->body == HTTP_BODY_LENGTH && h->content_length == 0)
    h->body = HTTP_BODY_NONE;
  return st;
}

static void end_message(http_framing *f) {
  f->state = ST_HEAD;
  f->messages++;
  dynbuf_reset(&f->head);
  f->line_start = 0;
  if (f->cb.on_message_end)
    f->cb.on_message_end(f->user);
}

static void start_body(http_framing *f, const http_head *h) {
  f->body = h->body;
  switch (h->body) {
  case HTTP_BODY_NONE: end_message(f); break;
  case HTTP_BODY_LENGTH: f->remaining = h->content_length; f->state = ST_BODY_LENGTH; break;
  case HTTP_BODY_CHUNKED:
    f->state = ST_CHUNK_SIZE;
    f->remaining = 0;
    f->chunk_digits = 0;
    f->chunk_line_len = 0;
    break;
  case HTTP_BODY_CLOSE:
  case HTTP_BODY_TUNNEL: f->state = ST_BODY_UNTIL_EOF; break;
  }
}

static size_t head_complete(http_framing *f, size_t consumed) {
  http_head h;
  http_framing_status st = parse_head(f, &h);
  if (st) {
    f->error = st;
    return consumed;
  }
  f->cb.on_head(f->user, &h);
  start_body(f, &h);
  return consumed;
}

/* Gathers head lines; stops right after the blank line that ends the head. */
static size_t feed_head(http_framing *f, const char *buf, size_t len) {
  size_t i = 0;
  while (i < len) {
    const char *lf = memchr(buf + i, '\n', len - i);
    size_t take = lf ? (size_t)(lf - (buf + i)) + 1 : len - i;
    int rc = dynbuf_add(&f->head, buf + i, take);
    if (rc) {
      f->error = rc == DYNBUF_TOO_BIG ? HTTP_FRAMING_ERR_HEAD_TOO_LARGE : HTTP_FRAMING_ERR_NOMEM;
      return i;
    }
    i += take;
    if (!lf)
      break;
    size_t line_len = f->head.len - f->line_start;
    int blank = line_len == 1 || (line_len == 2 && f->head.ptr[f->line_start] == '\r');
    if (blank && f->line_start == 0) {
      dynbuf_reset(&f->head); /* an empty line before the start line is skipped */
      continue;
    }
    if (blank)
      return head_complete(f, i);
    f->line_start = f->head.len;
  }
  return i;
}

static void emit_body(http_framing *f, const char *p, size_t n) {
  if (n && f->cb.on_body)
    f->cb.on_body(f->user, p, n);
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The size line ended: data follows, or the trailer section for size 0. */
static int chunk_size_line_done(http_framing *f) {
  if (!f->chunk_digits) {
    f->error = HTTP_FRAMING_ERR_CHUNK;
    return -1;
  }
  if (f->remaining) {
    f->state = ST_CHUNK_DATA;
  } else {
    f->state = ST_TRAILER_LINE_START;
    f->trailer_len = 0;
  }
  return 0;
}

static int chunk_line_byte(http_framing *f) {
  if (++f->chunk_line_len > MCPWIRE_PROXY_CHUNK_LINE_MAX) {
    f->error = HTTP_FRAMING_ERR_CHUNK_LINE_TOO_LONG;
    return -1;
  }
  return 0;
}

static int trailer_byte(http_framing *f) {
  if (++f->trailer_len > MCPWIRE_PROXY_TRAILERS_MAX) {
    f->error = HTTP_FRAMING_ERR_TRAILERS_TOO_LARGE;
    return -1;
  }
  return 0;
}

static int chunk_error(http_framing *f) {
  f->error = HTTP_FRAMING_ERR_CHUNK;
  return -1;
}

/* A byte of the chunk-size line: hex digits, then extensions, then CRLF. */
static int chunk_size_byte(http_framing *f, char c) {
  if (f->state == ST_CHUNK_SIZE_LF)
    return c == '\n' ? chunk_size_line_done(f) : chunk_error(f);
  if (chunk_line_byte(f))
    return -1;
  if (f->state == ST_CHUNK_EXT)
    return c == '\n' ? chunk_size_line_done(f) : 0;
  int v = hex_value(c);
  if (v >= 0) {
    if (f->chunk_digits == 15) /* 15 hex digits: far past any sane chunk */
      return chunk_error(f);
    f->remaining = f->remaining * 16 + (uint64_t)v;
    f->chunk_digits++;
  } else if (c == ';' || c == ' ' || c == '\t') {
    f->state = ST_CHUNK_EXT;
  } else if (c == '\r') {
    f->state = ST_CHUNK_SIZE_LF;
  } else if (c == '\n') {
    return chunk_size_line_done(f);
  } else {
    return chunk_error(f);
  }
  return 0;
}

/* The CRLF after a chunk's data; then the next size line starts. */
static int chunk_data_end_byte(http_framing *f, char c) {
  if (c == '\r' && f->state == ST_CHUNK_DATA_CR) {
    f->state = ST_CHUNK_DATA_LF;
    return 0;
  }
  if (c != '\n')
    return chunk_error(f);
  f->state = ST_CHUNK_SIZE;
  f->remaining = 0;
  f->chunk_digits = 0;
  f->chunk_line_len = 0;
  return 0;
}

/* A byte of the trailer section; an empty line ends the message (1). */
static int trailer_state_byte(http_framing *f, char c) {
  if (trailer_byte(f))
    return -1;
  switch (f->state) {
  case ST_TRAILER_LINE_START:
    if (c == '\n')
      return 1;
    f->state = c == '\r' ? ST_TRAILER_END_LF : ST_TRAILER_LINE;
    return 0;
  case ST_TRAILER_END_LF:
    if (c == '\n')
      return 1;
    f->state = ST_TRAILER_LINE; /* a CR inside a trailer line */
    return 0;
  default:
    if (c == '\n')
      f->state = ST_TRAILER_LINE_START;
    return 0;
  }
}

/* One framing byte of a chunked body (everything but chunk data).
 * Returns 1 when the message ended, -1 on error, 0 otherwise. */
static int chunk_framing_byte(http_framing *f, char c) {
  switch (f->state) {
  case ST_CHUNK_SIZE:
  case ST_CHUNK_EXT:
  case ST_CHUNK_SIZE_LF:
    return chunk_size_byte(f, c);
  case ST_CHUNK_DATA_CR:
  case ST_CHUNK_DATA_LF:
    return chunk_data_end_byte(f, c);
  default:
    return trailer_state_byte(f, c);
  }
}

static size_t feed_chunked(http_framing *f, const char *buf, size_t len) {
  size_t i = 0;
  while (i < len) {
    if (f->state == ST_CHUNK_DATA) {
      size_t n = len - i < f->remaining ? len - i : (size_t)f->remaining;
      emit_body(f, buf + i, n);
      i += n;
      f->remaining -= n;
      if (!f->remaining)
        f->state = ST_CHUNK_DATA_CR;
      continue;
    }
    int rc = chunk_framing_byte(f, buf[i]);
    if (rc < 0)
      return i;
    i++;
    if (rc == 1) {
      end_message(f);
      return i;
    }
  }
  return i;
}

size_t http_framing_feed(http_framing *f, const char *buf, size_t len) {
  if (f->error || f->state == ST_DONE || !len)
    return 0;
  switch (f->state) {
  case ST_HEAD:
    return feed_head(f, buf, len);
  case ST_BODY_LENGTH: {
    size_t n = len < f->remaining ? len : (size_t)f->remaining;
    emit_body(f, buf, n);
    f->remaining -= n;
    if (!f->remaining)
      end_message(f);
    return n;
  }
  case ST_BODY_UNTIL_EOF:
    emit_body(f, buf, len);
    return len;
  default:
    return feed_chunked(f, buf, len);
  }
}

http_framing_status http_framing_finish(http_framing *f) {
  if (f->error)
    return f->error;
  if (f->state == ST_BODY_UNTIL_EOF) {
    end_message(f);
  } else if (f->state != ST_DONE && (f->state != ST_HEAD || f->head.len)) {
    f->error = HTTP_FRAMING_ERR_TRUNCATED;
    return f->error;
  }
  f->state = ST_DONE;
  return HTTP_FRAMING_OK;
}
