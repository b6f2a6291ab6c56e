/*
 * sse.c: the incremental SSE parser and writer (contract in sse.h).
 *
 * Hot path: complete lines are found in the caller's buffer and handled in
 * place. Short lines end within a few 16-byte blocks tested with SSE2 (where
 * available); longer ones use memchr for LF with the position of the next CR
 * cached per feed, so an LF-only feed is scanned for CR at most once.
 * Event data is copied only when it must outlive the feed or join lines:
 *   - a single `data` line complete inside the feed is passed to the
 *     callback straight from the caller's buffer ("in place");
 *   - a `data` line that arrived across feeds already sits in the carry
 *     buffer, which then becomes the data buffer by swapping storage.
 */
#include "codec/sse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "mcpwire_limits.h"

static const unsigned char BOM[3] = {0xEF, 0xBB, 0xBF};

/* The prefix "data: " is the most a carried data line keeps in front of its
 * value when the carry buffer becomes the data buffer. */
#define DATA_PREFIX_MAX 6

struct sse_parser {
  sse_callbacks cb;
  void *user;
  size_t line_max, event_max;
  sse_status err;
  char err_text[64];    /* sse_error_text once err is set */
  sse_stats stats;

  unsigned bom_matched; /* BOM bytes matched so far at stream start */
  int bom_done;         /* the BOM check is over for this stream */
  int skip_lf;          /* the last feed ended in CR: a leading LF is its pair */

  dynbuf carry;         /* the start of a line split across feeds */

  /* The data buffer: data.ptr[data_start..data.len) holds value+LF per line.
   * When `inplace` is set, the data is that one value, still in the caller's
   * buffer, and `data` is unused. data_size is the logical size either way. */
  dynbuf data;
  size_t data_start;
  const char *inplace;
  size_t inplace_len;
  size_t data_size;

  dynbuf type;          /* event type buffer */
  /* The last event ID string, and the buffer `id` sets. While id_dirty is 0
   * the buffer equals the string and id_buf holds nothing useful; dispatch
   * swaps the two instead of copying. */
  dynbuf id_buf;
  dynbuf id_str;
  int id_dirty;
  int64_t retry_ms;     /* -1 until a valid `retry` */
};

/* dynbuf_reset for the hot path: inline, and no store when already empty. */
static void buf_clear(dynbuf *b) {
  if (b->len) {
    b->len = 0;
    b->ptr[0] = '\0';
  }
}

/* Whether [s, s+len) holds a NUL; short values (ids) without a call. */
static int has_nul(const char *s, size_t len) {
  if (len > 32)
    return memchr(s, '\0', len) != NULL;
  for (size_t i = 0; i < len; i++)
    if (!s[i])
      return 1;
  return 0;
}

static void count(uint64_t *n) {
  if (*n != UINT64_MAX)
    (*n)++;
}

/* The error as a reason: a cap error names the cap in bytes. */
static void describe_error(sse_parser *p) {
  if (p->err == SSE_ERR_LINE_TOO_LONG)
    snprintf(p->err_text, sizeof p->err_text, "line over the cap of %zu bytes", p->line_max);
  else if (p->err == SSE_ERR_EVENT_TOO_LARGE)
    snprintf(p->err_text, sizeof p->err_text, "event data over the cap of %zu bytes",
             p->event_max);
  else
    snprintf(p->err_text, sizeof p->err_text, "%s", sse_status_text(p->err));
}

static sse_status fail(sse_parser *p, sse_status s) {
  if (p->err == SSE_OK) {
    p->err = s;
    describe_error(p);
  }
  return p->err;
}

static sse_status from_dynbuf(int rc, sse_status too_big) {
  if (rc == DYNBUF_OK)
    return SSE_OK;
  return rc == DYNBUF_NOMEM ? SSE_ERR_NOMEM : too_big;
}

sse_parser *sse_parser_new(const sse_callbacks *cb, void *user,
                           size_t line_max, size_t event_max) {
  sse_parser *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->cb = *cb;
  p->user = user;
  p->line_max = line_max ? line_max : MCPWIRE_SSE_LINE_MAX;
  p->event_max = event_max ? event_max : MCPWIRE_SSE_EVENT_MAX;
  dynbuf_init(&p->carry, p->line_max);
  /* Room for a carried line's prefix: the carry may become the data. */
  dynbuf_init(&p->data, p->event_max + DATA_PREFIX_MAX + 1);
  dynbuf_init(&p->type, p->line_max);
  dynbuf_init(&p->id_buf, p->line_max);
  dynbuf_init(&p->id_str, p->line_max);
  p->retry_ms = -1;
  return p;
}

void sse_parser_free(sse_parser *p) {
  if (!p)
    return;
  dynbuf_free(&p->carry);
  dynbuf_free(&p->data);
  dynbuf_free(&p->type);
  dynbuf_free(&p->id_buf);
  dynbuf_free(&p->id_str);
  free(p);
}

/* ---- the data buffer ---- */

static void data_clear(sse_parser *p) {
  buf_clear(&p->data);
  p->data_start = 0;
  p->inplace = NULL;
  p->inplace_len = 0;
  p->data_size = 0;
}

/* Appends value + LF at the end of `b` with one reserve. */
static int append_line(dynbuf *b, const char *value, size_t len) {
  int rc = dynbuf_reserve(b, len + 1);
  if (rc != DYNBUF_OK)
    return rc;
  if (len)
    memcpy(b->ptr + b->len, value, len);
  b->len += len;
  b->ptr[b->len++] = '\n';
  b->ptr[b->len] = '\0';
  return DYNBUF_OK;
}

/* Copies an in-place value into the data buffer (it must outlive the feed). */
static sse_status data_materialize(sse_parser *p) {
  if (!p->inplace)
    return SSE_OK;
  dynbuf_reset(&p->data);
  p->data_start = 0;
  int rc = append_line(&p->data, p->inplace, p->inplace_len);
  p->inplace = NULL;
  return rc == DYNBUF_OK ? SSE_OK : fail(p, from_dynbuf(rc, SSE_ERR_EVENT_TOO_LARGE));
}

/* Swaps the storage of two buffers; each keeps its own ceiling. */
static void storage_swap(dynbuf *a, dynbuf *b) {
  dynbuf t = *a;
  a->ptr = b->ptr;
  a->len = b->len;
  a->cap = b->cap;
  b->ptr = t.ptr;
  b->len = t.len;
  b->cap = t.cap;
}

/* `data` field. `carried` says the line lives in p->carry. */
static sse_status data_append(sse_parser *p, const char *value, size_t len,
                              int carried) {
  /* The cap is on the data as it would be dispatched (without final LF). */
  if (len > p->event_max || p->data_size > p->event_max - len)
    return fail(p, SSE_ERR_EVENT_TOO_LARGE);
  if (p->data_size == 0 && !carried) {
    p->inplace = value;
    p->inplace_len = len;
    p->data_size = len + 1;
    return SSE_OK;
  }
  if (p->data_size == 0) {
    size_t offset = (size_t)(value - p->carry.ptr);
    storage_swap(&p->carry, &p->data);
    dynbuf_reset(&p->carry);
    p->data.len = offset + len;
    p->data_start = offset;
    int rc = dynbuf_addc(&p->data, '\n');
    p->data_size = len + 1;
    return rc == DYNBUF_OK ? SSE_OK : fail(p, from_dynbuf(rc, SSE_ERR_EVENT_TOO_LARGE));
  }
  sse_status s = data_materialize(p);
  if (s != SSE_OK)
    return s;
  int rc = append_line(&p->data, value, len);
  if (rc != DYNBUF_OK)
    return fail(p, from_dynbuf(rc, SSE_ERR_EVENT_TOO_LARGE));
  p->data_size += len + 1;
  return SSE_OK;
}

/* ---- fields ---- */

static sse_status buf_set(sse_parser *p, dynbuf *b, const char *v, size_t len) {
  if (len < b->cap) { /* fits: skip dynbuf's checks (len <= line_max here) */
    memcpy(b->ptr, v, len);
    b->ptr[len] = '\0';
    b->len = len;
    return SSE_OK;
  }
  dynbuf_reset(b);
  int rc = dynbuf_add(b, v, len);
  return rc == DYNBUF_OK ? SSE_OK : fail(p, from_dynbuf(rc, SSE_ERR_LINE_TOO_LONG));
}

static void retry_field(sse_parser *p, const char *v, size_t len) {
  size_t i = 0;
  while (i < len && v[i] >= '0' && v[i] <= '9')
    i++;
  if (len == 0 || i != len) {
    count(&p->stats.retries_invalid);
    return;
  }
  while (len > 1 && *v == '0') {
    v++;
    len--;
  }
  uint64_t ms = 0;
  for (i = 0; i < len; i++) {
    uint64_t d = (uint64_t)(v[i] - '0');
    ms = ms > (UINT64_MAX - d) / 10 ? UINT64_MAX : ms * 10 + d;
  }
  p->retry_ms = ms > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)ms;
  if (p->cb.on_retry)
    p->cb.on_retry(p->user, ms, v, len);
}

typedef enum field_kind {
  FIELD_UNKNOWN,
  FIELD_DATA,
  FIELD_EVENT,
  FIELD_ID,
  FIELD_RETRY
} field_kind;

/* The field a name denotes; names are case-sensitive. */
static field_kind field_named(const char *name, size_t len) {
  switch (len) {
  case 2:
    return !memcmp(name, "id", 2) ? FIELD_ID : FIELD_UNKNOWN;
  case 4:
    return !memcmp(name, "data", 4) ? FIELD_DATA : FIELD_UNKNOWN;
  case 5:
    if (!memcmp(name, "event", 5))
      return FIELD_EVENT;
    return !memcmp(name, "retry", 5) ? FIELD_RETRY : FIELD_UNKNOWN;
  }
  return FIELD_UNKNOWN;
}

static sse_status field(sse_parser *p, field_kind kind, const char *value,
                        size_t len, int carried) {
  switch (kind) {
  case FIELD_DATA:
    return data_append(p, value, len, carried);
  case FIELD_EVENT:
    return buf_set(p, &p->type, value, len);
  case FIELD_RETRY:
    retry_field(p, value, len);
    return SSE_OK;
  case FIELD_ID:
    if (has_nul(value, len)) {
      count(&p->stats.ids_with_nul);
      return SSE_OK;
    }
    p->id_dirty = 1;
    return buf_set(p, &p->id_buf, value, len);
  case FIELD_UNKNOWN:
    break;
  }
  count(&p->stats.fields_unknown);
  return SSE_OK;
}

/* ---- dispatch ---- */

static sse_status dispatch(sse_parser *p) {
  if (p->id_dirty) {
    p->id_dirty = 0;
    storage_swap(&p->id_str, &p->id_buf);
  }
  if (p->data_size == 0) {
    count(&p->stats.empty_dispatches);
    buf_clear(&p->type);
    return SSE_OK;
  }
  sse_event ev;
  if (p->inplace) {
    ev.data = p->inplace;
    ev.data_len = p->inplace_len;
  } else {
    ev.data = p->data.ptr + p->data_start;
    ev.data_len = p->data_size - 1; /* the final LF is removed */
  }
  if (p->type.len) {
    ev.type = p->type.ptr;
    ev.type_len = p->type.len;
  } else {
    ev.type = "message";
    ev.type_len = 7;
  }
  ev.last_event_id = p->id_str.ptr ? p->id_str.ptr : "";
  ev.last_event_id_len = p->id_str.len;
  count(&p->stats.events);
  p->cb.on_event(p->user, &ev);
  data_clear(p);
  buf_clear(&p->type);
  return SSE_OK;
}

/* Field names are short: look at the first bytes directly, then memchr. */
static const char *find_colon(const char *s, size_t len) {
  size_t head = len < 8 ? len : 8;
  for (size_t i = 0; i < head; i++)
    if (s[i] == ':')
      return s + i;
  return len > head ? memchr(s + head, ':', len - head) : NULL;
}

/* A field line's kind and colon (NULL when it has none). The four known
 * names are matched together with their colon first: one test finds both. */
static field_kind field_split(const char *s, size_t len, const char **colon) {
  if (len >= 5 && !memcmp(s, "data:", 5)) {
    *colon = s + 4;
    return FIELD_DATA;
  }
  if (len >= 3 && !memcmp(s, "id:", 3)) {
    *colon = s + 2;
    return FIELD_ID;
  }
  if (len >= 6 && !memcmp(s, "event:", 6)) {
    *colon = s + 5;
    return FIELD_EVENT;
  }
  if (len >= 6 && !memcmp(s, "retry:", 6)) {
    *colon = s + 5;
    return FIELD_RETRY;
  }
  *colon = find_colon(s, len);
  return field_named(s, *colon ? (size_t)(*colon - s) : len);
}

/* One complete line without its terminator. */
static sse_status line(sse_parser *p, const char *s, size_t len, int carried) {
  if (len == 0)
    return dispatch(p);
  if (s[0] == ':') {
    count(&p->stats.comments);
    if (p->cb.on_comment)
      p->cb.on_comment(p->user, s + 1, len - 1);
    return SSE_OK;
  }
  const char *end = s + len, *colon;
  field_kind kind = field_split(s, len, &colon);
  const char *value = end;
  if (colon) {
    value = colon + 1;
    if (value < end && *value == ' ')
      value++;
    else if (value < end)
      count(&p->stats.fields_no_space);
  } else {
    count(&p->stats.fields_no_colon);
  }
  return field(p, kind, value, (size_t)(end - value), carried);
}

/* ---- lines and feeds ---- */

/* A line end at `eol`: counts its kind and returns where the next line
 * starts. A CR at the end of the feed may be the first half of a CRLF. */
static const char *line_end(sse_parser *p, const char *eol, const char *end) {
  if (*eol == '\n') {
    count(&p->stats.lines_lf);
    return eol + 1;
  }
  if (eol + 1 == end) {
    count(&p->stats.lines_cr);
    p->skip_lf = 1;
    return end;
  }
  if (eol[1] == '\n') {
    count(&p->stats.lines_crlf);
    return eol + 2;
  }
  count(&p->stats.lines_cr);
  return eol + 1;
}

/* The LF that completes a CRLF split across feeds: reclassify the CR. */
static const char *skip_split_lf(sse_parser *p, const char *s, const char *end) {
  if (!p->skip_lf || s == end)
    return s;
  p->skip_lf = 0;
  if (*s != '\n')
    return s;
  if (p->stats.lines_cr && p->stats.lines_cr != UINT64_MAX)
    p->stats.lines_cr--;
  count(&p->stats.lines_crlf);
  return s + 1;
}

/* Matches the UTF-8 BOM at stream start, byte by byte across feeds. Bytes of
 * a partial match that then fails are ordinary line bytes. */
static const char *skip_bom(sse_parser *p, const char *s, const char *end) {
  while (!p->bom_done && s < end) {
    if ((unsigned char)*s == BOM[p->bom_matched]) {
      s++;
      if (++p->bom_matched == 3) {
        p->bom_done = 1;
        p->stats.bom = 1;
      }
      continue;
    }
    p->bom_done = 1;
    if (p->bom_matched) {
      int rc = dynbuf_add(&p->carry, BOM, p->bom_matched);
      if (rc != DYNBUF_OK)
        fail(p, from_dynbuf(rc, SSE_ERR_LINE_TOO_LONG));
    }
  }
  return s;
}

#if defined(__SSE2__)
/* 16-byte blocks tested inline before memchr takes over (32 bytes: event,
 * id and blank lines; measured fewest instructions on MCP streams). */
#define SSE_NEAR_BLOCKS 2

/* Short lines (event, id, retry, blank) end within a block or two: test them
 * for CR or LF without a call; longer lines go on to memchr, which is faster
 * over long runs. Returns the end, or NULL with *from moved past the blocks
 * tested. */
static const char *find_eol_near(const char **from, const char *end) {
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  const char *s = *from;
  for (int i = 0; i < SSE_NEAR_BLOCKS && end - s >= 16; i++, s += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
    if (m)
      return s + __builtin_ctz((unsigned)m);
  }
  *from = s;
  return NULL;
}
#endif

/* Finds the first CR or LF in [s, end). *next_cr caches the first CR at or
 * after the previous line start (end when none; NULL until needed), so a
 * CR-free feed is scanned for CR only once. */
static const char *find_eol(const char *s, const char *end, const char **next_cr) {
#if defined(__SSE2__)
  const char *near = find_eol_near(&s, end);
  if (near)
    return near;
  if (s == end)
    return NULL;
#endif
  if (!*next_cr || *next_cr < s) {
    const char *cr = memchr(s, '\r', (size_t)(end - s));
    *next_cr = cr ? cr : end;
  }
  const char *limit = *next_cr;
  const char *lf = memchr(s, '\n', (size_t)(limit - s));
  if (lf)
    return lf;
  return limit < end ? limit : NULL;
}

static sse_status carry_add(sse_parser *p, const char *s, size_t len) {
  if (len > p->line_max || p->carry.len > p->line_max - len)
    return fail(p, SSE_ERR_LINE_TOO_LONG);
  int rc = dynbuf_add(&p->carry, s, len);
  return rc == DYNBUF_OK ? SSE_OK : fail(p, from_dynbuf(rc, SSE_ERR_LINE_TOO_LONG));
}

/* Completes the carried line with the start of this feed, if it ends here. */
static const char *finish_carry(sse_parser *p, const char *s, const char *end,
                                const char **next_cr) {
  const char *eol = find_eol(s, end, next_cr);
  if (!eol) {
    carry_add(p, s, (size_t)(end - s));
    return end;
  }
  if (carry_add(p, s, (size_t)(eol - s)) != SSE_OK)
    return end;
  count(&p->stats.split_lines);
  line(p, p->carry.ptr, p->carry.len, 1);
  dynbuf_reset(&p->carry);
  return line_end(p, eol, end);
}

sse_status sse_feed(sse_parser *p, const void *buf, size_t len) {
  if (p->err != SSE_OK)
    return p->err;
  if (len == 0)
    return SSE_OK;
  const char *s = buf, *end = s + len;
  p->stats.bytes = p->stats.bytes > UINT64_MAX - len ? UINT64_MAX : p->stats.bytes + len;
  s = skip_bom(p, s, end);
  s = skip_split_lf(p, s, end);
  const char *next_cr = NULL; /* found when first needed */
  if (p->carry.len && s < end && p->err == SSE_OK)
    s = finish_carry(p, s, end, &next_cr);
  while (s < end && p->err == SSE_OK) {
    const char *eol = find_eol(s, end, &next_cr);
    if (!eol) {
      carry_add(p, s, (size_t)(end - s));
      break;
    }
    size_t n = (size_t)(eol - s);
    if (n > p->line_max)
      return fail(p, SSE_ERR_LINE_TOO_LONG);
    line(p, s, n, 0);
    s = line_end(p, eol, end);
  }
  /* An in-place value must not outlive the caller's buffer. */
  if (p->err == SSE_OK)
    data_materialize(p);
  return p->err;
}

void sse_finish(sse_parser *p) {
  /* A producer must close every event with a blank line (SSEWIRE-20). */
  if (p->carry.len || p->data_size || p->type.len || p->id_dirty)
    count(&p->stats.unterminated_at_end);
  dynbuf_reset(&p->carry);
  data_clear(p);
  dynbuf_reset(&p->type);
  p->skip_lf = 0;
  /* An `id` not yet dispatched goes with its event: the buffer is the
   * string again. */
  p->id_dirty = 0;
}

void sse_reset_stream(sse_parser *p) {
  sse_finish(p);
  p->err = SSE_OK;
  memset(&p->stats, 0, sizeof p->stats);
  p->bom_matched = 0;
  p->bom_done = 0;
}

sse_status sse_error(const sse_parser *p) { return p->err; }

const char *sse_error_text(const sse_parser *p) {
  return p->err == SSE_OK ? sse_status_text(SSE_OK) : p->err_text;
}

const char *sse_status_text(sse_status s) {
  switch (s) {
  case SSE_OK: return "ok";
  case SSE_ERR_LINE_TOO_LONG: return "line too long";
  case SSE_ERR_EVENT_TOO_LARGE: return "event too large";
  case SSE_ERR_NOMEM: return "out of memory";
  }
  return "unknown error";
}

const char *sse_last_event_id(const sse_parser *p, size_t *len) {
  if (len)
    *len = p->id_str.len;
  return dynbuf_str(&p->id_str);
}

int64_t sse_reconnection_ms(const sse_parser *p) { return p->retry_ms; }

const sse_stats *sse_get_stats(const sse_parser *p) { return &p->stats; }

/* ---- writer ---- */

static int has_any(const char *s, size_t len, const char *bytes, size_t nbytes) {
  for (size_t i = 0; i < nbytes; i++)
    if (memchr(s, bytes[i], len))
      return 1;
  return 0;
}

static int out_valid(const sse_out *ev) {
  if (ev->comment && has_any(ev->comment, strlen(ev->comment), "\r\n", 2))
    return 0;
  if (ev->type && has_any(ev->type, strlen(ev->type), "\r\n", 2))
    return 0;
  /* strlen stops at a NUL, so an id "with NUL" cannot be expressed here;
   * CR and LF would end the line early on the wire. */
  if (ev->id && has_any(ev->id, strlen(ev->id), "\r\n", 2))
    return 0;
  if (ev->has_data && ev->data_len && (!ev->data || memchr(ev->data, '\r', ev->data_len)))
    return 0;
  return 1;
}

/* "name: value\n", or "name:\n" for an empty value. */
static int write_field(dynbuf *out, const char *name, const char *v, size_t len) {
  int rc = dynbuf_adds(out, name);
  if (rc == DYNBUF_OK)
    rc = dynbuf_add(out, ": ", len ? 2 : 1);
  if (rc == DYNBUF_OK)
    rc = dynbuf_add(out, v, len);
  if (rc == DYNBUF_OK)
    rc = dynbuf_addc(out, '\n');
  return rc;
}

static int write_data(dynbuf *out, const char *data, size_t len) {
  const char *s = data, *end = data + len;
  for (;;) {
    const char *lf = s < end ? memchr(s, '\n', (size_t)(end - s)) : NULL;
    const char *stop = lf ? lf : end;
    int rc = write_field(out, "data", s, (size_t)(stop - s));
    if (rc != DYNBUF_OK || !lf)
      return rc;
    s = lf + 1;
  }
}

static int write_status(int rc) {
  if (rc == DYNBUF_OK)
    return SSE_WRITE_OK;
  return rc == DYNBUF_NOMEM ? SSE_WRITE_NOMEM : SSE_WRITE_TOO_BIG;
}

int sse_write(dynbuf *out, const sse_out *ev) {
  if (!out_valid(ev))
    return SSE_WRITE_INVALID;
  size_t before = out->len;
  int rc = DYNBUF_OK;
  if (ev->comment) {
    rc = dynbuf_addc(out, ':');
    if (rc == DYNBUF_OK && ev->comment[0])
      rc = dynbuf_addc(out, ' ');
    if (rc == DYNBUF_OK)
      rc = dynbuf_adds(out, ev->comment);
    if (rc == DYNBUF_OK)
      rc = dynbuf_addc(out, '\n');
  }
  if (rc == DYNBUF_OK && ev->type)
    rc = write_field(out, "event", ev->type, strlen(ev->type));
  if (rc == DYNBUF_OK && ev->id)
    rc = write_field(out, "id", ev->id, strlen(ev->id));
  if (rc == DYNBUF_OK && ev->retry_ms >= 0)
    rc = dynbuf_printf(out, "retry: %lld\n", (long long)ev->retry_ms);
  if (rc == DYNBUF_OK && ev->has_data)
    rc = write_data(out, ev->data ? ev->data : "", ev->data_len);
  if (rc == DYNBUF_OK)
    rc = dynbuf_addc(out, '\n');
  if (rc != DYNBUF_OK && out->ptr) {
    out->len = before; /* all or nothing */
    out->ptr[before] = '\0';
  }
  return write_status(rc);
}

int sse_write_comment(dynbuf *out, const char *text) {
  if (has_any(text, strlen(text), "\r\n", 2))
    return SSE_WRITE_INVALID;
  size_t before = out->len;
  int rc = dynbuf_addc(out, ':'); /* no space: the text is sent as given */
  if (rc == DYNBUF_OK)
    rc = dynbuf_adds(out, text);
  if (rc == DYNBUF_OK)
    rc = dynbuf_addc(out, '\n');
  if (rc != DYNBUF_OK && out->ptr) {
    out->len = before;
    out->ptr[before] = '\0';
  }
  return write_status(rc);
}
