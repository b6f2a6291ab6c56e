/* sse_unit_test: the SSE parser and writer API (sse.h) beyond the vectors:
 * stats, reconnect state, sticky errors, caps, the writer, round trips and
 * allocation behaviour. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codec/sse.h"
#include "codec/sse_log.h"
#include "mcpwire_limits.h"

/* ---- allocation counter (linked with -Wl,--wrap=malloc,realloc,calloc) ---- */

void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void *__real_calloc(size_t a, size_t b);
void *__wrap_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_calloc(size_t a, size_t b);

static unsigned long allocations;

void *__wrap_malloc(size_t n) {
  allocations++;
  return __real_malloc(n);
}
void *__wrap_realloc(void *p, size_t n) {
  allocations++;
  return __real_realloc(p, n);
}
void *__wrap_calloc(size_t a, size_t b) {
  allocations++;
  return __real_calloc(a, b);
}

/* ---- a recording consumer ---- */

typedef struct recorder {
  int events, retries, comments;
  char type[64], data[256], id[64];
  size_t data_len;
  uint64_t retry_ms;
  char retry_digits[64];
  char comment[64];
  unsigned long checksum; /* touches every event's data */
} recorder;

static void copy_out(char *dst, size_t cap, const char *s, size_t len) {
  size_t n = len < cap - 1 ? len : cap - 1;
  memcpy(dst, s, n);
  dst[n] = '\0';
}

static void rec_event(void *user, const sse_event *ev) {
  recorder *r = user;
  r->events++;
  copy_out(r->type, sizeof r->type, ev->type, ev->type_len);
  copy_out(r->data, sizeof r->data, ev->data, ev->data_len);
  copy_out(r->id, sizeof r->id, ev->last_event_id, ev->last_event_id_len);
  r->data_len = ev->data_len;
  r->checksum += ev->data_len + (ev->data_len ? (unsigned char)ev->data[0] : 0);
}

static void rec_retry(void *user, uint64_t ms, const char *digits, size_t len) {
  recorder *r = user;
  r->retries++;
  r->retry_ms = ms;
  copy_out(r->retry_digits, sizeof r->retry_digits, digits, len);
}

static void rec_comment(void *user, const char *text, size_t len) {
  recorder *r = user;
  r->comments++;
  copy_out(r->comment, sizeof r->comment, text, len);
}

static const sse_callbacks REC = {rec_event, rec_retry, rec_comment};

static sse_status feed_str(sse_parser *p, const char *s) { return sse_feed(p, s, strlen(s)); }

/* ---- parser ---- */

static void sse_stats_count_framing_oddities(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 0, 0);
  feed_str(p, "\xEF\xBB\xBF" "data:a\r\n"); /* BOM, no space, CRLF */
  feed_str(p, ": hi\r");                    /* comment, CR ... */
  feed_str(p, "\ndata\n");                  /* ... whose LF came late: CRLF */
  feed_str(p, "Data: x\rfoo: y\n");         /* unknown fields, CR */
  sse_feed(p, "id: a\0b\n", 8);             /* id with NUL */
  feed_str(p, "retry: 1.5\nretry:\n\n");    /* two invalid retries; event */
  feed_str(p, "\n");                        /* blank line firing nothing */
  feed_str(p, "data: sp");                  /* a line across feeds */
  feed_str(p, "lit\n\n");
  const sse_stats *st = sse_get_stats(p);
  CHECK_INT(st->bom, 1);
  CHECK_INT(st->lines_crlf, 2);
  CHECK_INT(st->lines_cr, 1);
  CHECK_INT(st->lines_lf, 9);
  CHECK_INT(st->comments, 1);
  CHECK_INT(r.comments, 1);
  CHECK_STR(r.comment, " hi");
  CHECK_INT(st->fields_no_space, 1); /* "data:a"; an empty value is not counted */
  CHECK_INT(st->fields_no_colon, 1);
  CHECK_INT(st->fields_unknown, 2);
  CHECK_INT(st->ids_with_nul, 1);
  CHECK_INT(st->retries_invalid, 2);
  CHECK_INT(st->empty_dispatches, 1);
  CHECK_INT(st->events, 2);
  CHECK_INT(st->split_lines, 1);
  CHECK_INT(r.events, 2);
  CHECK_STR(r.data, "split");
  CHECK_STR(r.id, ""); /* the only id held a NUL */
  CHECK_INT(st->bytes, 3 + 8 + 5 + 6 + 15 + 8 + 19 + 1 + 8 + 5);
  sse_parser_free(p);
}

static void sse_reset_stream_keeps_last_id_and_retry(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 0, 0);
  feed_str(p, "id: 7\nretry: 2500\ndata: x\n\nid: 8\ndata: pending\n");
  CHECK_INT(r.events, 1);
  CHECK_INT(sse_reconnection_ms(p), 2500);
  size_t len;
  CHECK_STR(sse_last_event_id(p, &len), "7"); /* id 8 never dispatched */
  CHECK_INT(len, 1);
  sse_reset_stream(p);
  CHECK_STR(sse_last_event_id(p, NULL), "7");
  CHECK_INT(sse_reconnection_ms(p), 2500);
  CHECK_INT(sse_get_stats(p)->bytes, 0);
  /* The pending event is gone; a BOM is again stripped; the id persists. */
  feed_str(p, "\xEF\xBB\xBF" "data: y\n\n");
  CHECK_INT(r.events, 2);
  CHECK_STR(r.data, "y");
  CHECK_STR(r.id, "7");
  CHECK_INT(sse_get_stats(p)->bom, 1);
  sse_parser_free(p);
}

static void sse_finish_drops_unterminated_event_but_keeps_retry(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 0, 0);
  CHECK_INT(sse_reconnection_ms(p), -1);
  feed_str(p, "retry: 10\ndata: a\n\ndata: b\nid: 9\n\ndata: lost\nid: 10\ndata: x");
  sse_finish(p);
  CHECK_INT(r.events, 2);
  CHECK_STR(r.data, "b");
  CHECK_STR(sse_last_event_id(p, NULL), "9");
  CHECK_INT(sse_reconnection_ms(p), 10);
  /* The id of the dropped block does not reach a later event either. */
  feed_str(p, "data: next\n\n");
  CHECK_STR(r.id, "9");
  sse_parser_free(p);
}

/* SSEWIRE-20: only a stream that ends inside an event counts as unterminated. */
static void sse_finish_counts_an_unterminated_final_event(void) {
  static const char *const ends[][2] = {
      {"data: a\n\n", "0"}, {"data: a\r\n\r\n", "0"}, {": only a comment\n", "0"},
      {"data: a\n\n: hb\n", "0"}, {"data: a\n\n\n", "0"},  {"data: a\n", "1"},
      {"data: a", "1"},       {"event: x\n", "1"},          {"id: 3\n", "1"},
      {"data: a\n\nda", "1"}, {"data:\n", "1"},            {"data: a\r", "1"},
  };
  for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
    recorder r = {0};
    sse_parser *p = sse_parser_new(&REC, &r, 0, 0);
    feed_str(p, ends[i][0]);
    CHECK_INT(sse_get_stats(p)->unterminated_at_end, 0);
    sse_finish(p);
    CHECK_INT(sse_get_stats(p)->unterminated_at_end, ends[i][1][0] - '0');
    sse_parser_free(p);
  }
}

static void sse_errors_are_sticky_until_reset(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 8, 64);
  CHECK_INT(feed_str(p, "data: 12\n\n"), SSE_OK); /* 8 bytes: at the cap */
  CHECK_INT(r.events, 1);
  CHECK_INT(feed_str(p, "data: 123\n\n"), SSE_ERR_LINE_TOO_LONG);
  CHECK_INT(sse_error(p), SSE_ERR_LINE_TOO_LONG);
  CHECK_INT(feed_str(p, "data: ok\n\n"), SSE_ERR_LINE_TOO_LONG);
  CHECK_INT(r.events, 1);
  CHECK_STR(sse_status_text(sse_error(p)), "line too long");
  CHECK_STR(sse_error_text(p), "line over the cap of 8 bytes");
  sse_reset_stream(p);
  CHECK_INT(sse_error(p), SSE_OK);
  CHECK_STR(sse_error_text(p), "ok");
  CHECK_INT(feed_str(p, "data: ok\n\n"), SSE_OK);
  CHECK_INT(r.events, 2);
  sse_parser_free(p);
}

static void sse_line_cap_holds_for_carried_lines(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 8, 64);
  CHECK_INT(feed_str(p, "data"), SSE_OK);
  CHECK_INT(feed_str(p, ": 12"), SSE_OK); /* 8 carried: at the cap */
  CHECK_INT(feed_str(p, "3"), SSE_ERR_LINE_TOO_LONG); /* before its end */
  sse_parser_free(p);
}

/* With the default caps the reason names MCPWIRE_SSE_LINE_MAX. */
static void sse_error_text_names_the_default_line_cap(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 0, 0);
  size_t n = (size_t)MCPWIRE_SSE_LINE_MAX + 1;
  char *line = malloc(n);
  memset(line, 'x', n);
  CHECK_INT(sse_feed(p, line, n), SSE_ERR_LINE_TOO_LONG);
  char want[64];
  snprintf(want, sizeof want, "line over the cap of %zu bytes", (size_t)MCPWIRE_SSE_LINE_MAX);
  CHECK_STR(sse_error_text(p), want);
  free(line);
  sse_parser_free(p);
}

static void sse_event_cap_counts_joined_data(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 64, 7);
  /* "abc\nabc" is 7 bytes as dispatched: at the cap. */
  CHECK_INT(feed_str(p, "data: abc\ndata: abc\n\n"), SSE_OK);
  CHECK_INT(r.events, 1);
  CHECK_INT(r.data_len, 7);
  CHECK_INT(feed_str(p, "data: abc\ndata: abcd\n\n"), SSE_ERR_EVENT_TOO_LARGE);
  CHECK_INT(r.events, 1);
  CHECK_STR(sse_error_text(p), "event data over the cap of 7 bytes");
  CHECK_STR(sse_status_text(SSE_ERR_EVENT_TOO_LARGE), "event too large");
  CHECK_STR(sse_status_text(SSE_ERR_NOMEM), "out of memory");
  CHECK_STR(sse_status_text(SSE_OK), "ok");
  sse_parser_free(p);
}

static void sse_retry_reports_exact_digits_and_saturates(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 0, 0);
  feed_str(p, "retry: 007\n");
  CHECK_STR(r.retry_digits, "7");
  CHECK_INT(r.retry_ms, 7);
  feed_str(p, "retry: 000\n");
  CHECK_STR(r.retry_digits, "0");
  CHECK_INT(sse_reconnection_ms(p), 0);
  feed_str(p, "retry: 99999999999999999999999\n");
  CHECK_STR(r.retry_digits, "99999999999999999999999");
  CHECK(r.retry_ms == UINT64_MAX);
  CHECK(sse_reconnection_ms(p) == INT64_MAX);
  feed_str(p, "retry: 18446744073709551615\n");
  CHECK(r.retry_ms == UINT64_MAX);
  feed_str(p, "retry: 18446744073709551614\n");
  CHECK(r.retry_ms == UINT64_MAX - 1);
  CHECK_INT(r.retries, 5);
  feed_str(p, "retry: 12a\nretry: -1\nretry: +1\nretry:  1\n");
  CHECK_INT(r.retries, 5);
  CHECK_INT(sse_get_stats(p)->retries_invalid, 4);
  sse_parser_free(p);
}

static void sse_event_pointers_cover_exact_bytes(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 0, 0);
  sse_feed(p, "event: a\0b\ndata: x\0y\n\n", 22);
  CHECK_INT(r.events, 1);
  CHECK_INT(r.data_len, 3);
  CHECK(!memcmp(r.data, "x\0y", 3));
  CHECK(!memcmp(r.type, "a\0b", 3));
  sse_parser_free(p);
}

/* Data read in place must be copied before sse_feed returns: the caller may
 * free or reuse its buffer (ASan and valgrind see any dangling read). */
static void sse_pending_data_survives_the_callers_buffer(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 0, 0);
  char *chunk = malloc(32);
  memcpy(chunk, "data: first\nid: 1\n", 18);
  sse_feed(p, chunk, 18);
  memset(chunk, 'Z', 32); /* reused, as a socket buffer would be */
  free(chunk);
  feed_str(p, "\n");
  CHECK_INT(r.events, 1);
  CHECK_STR(r.data, "first");
  CHECK_STR(r.id, "1");
  sse_parser_free(p);
}

/* ---- writer ---- */

static const char *written(dynbuf *b, const sse_out *ev, int want) {
  dynbuf_reset(b);
  CHECK_INT(sse_write(b, ev), want);
  return dynbuf_str(b);
}

static void sse_write_emits_fields_in_order_and_ends_with_blank_line(void) {
  dynbuf b;
  dynbuf_init(&b, 1024);
  sse_out ev = {.comment = "hi", .type = "message", .id = "42", .retry_ms = 1000,
                .data = "a\nb", .data_len = 3, .has_data = 1};
  CHECK_STR(written(&b, &ev, SSE_WRITE_OK),
            ": hi\nevent: message\nid: 42\nretry: 1000\ndata: a\ndata: b\n\n");
  sse_out only_id = {.id = "", .retry_ms = -1};
  CHECK_STR(written(&b, &only_id, SSE_WRITE_OK), "id:\n\n");
  sse_out empty_data = {.retry_ms = -1, .data = "", .has_data = 1};
  CHECK_STR(written(&b, &empty_data, SSE_WRITE_OK), "data:\n\n");
  sse_out trailing_lf = {.retry_ms = -1, .data = "x\n", .data_len = 2, .has_data = 1};
  CHECK_STR(written(&b, &trailing_lf, SSE_WRITE_OK), "data: x\ndata:\n\n");
  sse_out spaced = {.retry_ms = -1, .data = " x", .data_len = 2, .has_data = 1};
  CHECK_STR(written(&b, &spaced, SSE_WRITE_OK), "data:  x\n\n");
  dynbuf_reset(&b);
  CHECK_INT(sse_write_comment(&b, " keep-alive"), SSE_WRITE_OK);
  CHECK_INT(sse_write_comment(&b, ""), SSE_WRITE_OK);
  CHECK_STR(dynbuf_str(&b), ": keep-alive\n:\n");
  dynbuf_free(&b);
}

static void sse_write_rejects_bytes_the_wire_cannot_carry(void) {
  dynbuf b;
  dynbuf_init(&b, 1024);
  dynbuf_adds(&b, "kept");
  sse_out bad[] = {
      {.retry_ms = -1, .data = "a\rb", .data_len = 3, .has_data = 1},
      {.retry_ms = -1, .id = "a\nb"},
      {.retry_ms = -1, .id = "a\rb"},
      {.retry_ms = -1, .type = "a\nb"},
      {.retry_ms = -1, .type = "a\rb"},
      {.retry_ms = -1, .comment = "a\nb"},
      {.retry_ms = -1, .comment = "a\rb"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    CHECK_INT(sse_write(&b, &bad[i]), SSE_WRITE_INVALID);
  CHECK_INT(sse_write_comment(&b, "x\ny"), SSE_WRITE_INVALID);
  CHECK_INT(sse_write_comment(&b, "x\ry"), SSE_WRITE_INVALID);
  CHECK_STR(dynbuf_str(&b), "kept");
  /* Past the output cap: nothing is appended. */
  dynbuf small;
  dynbuf_init(&small, 12);
  sse_out big = {.retry_ms = -1, .data = "0123456789", .data_len = 10, .has_data = 1};
  CHECK_INT(sse_write(&small, &big), SSE_WRITE_TOO_BIG);
  CHECK_INT(small.len, 0);
  CHECK_INT(sse_write_comment(&small, "0123456789abc"), SSE_WRITE_TOO_BIG);
  CHECK_INT(small.len, 0);
  dynbuf_free(&small);
  dynbuf_free(&b);
}

/* A deterministic PRNG (xorshift64*) for generated events. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

/* Random bytes from an alphabet of the awkward ones (allow_lf for data). */
static void random_text(char *out, size_t n, int allow_lf) {
  static const char alphabet[] = " :a\xC3\xA9\x01{}\"\\0\tb\n";
  size_t k = sizeof alphabet - 1 - (allow_lf ? 0 : 1);
  for (size_t i = 0; i < n; i++)
    out[i] = alphabet[rng() % k];
  out[n] = '\0';
}

typedef struct expected_log {
  int seen, retries_seen, comments_seen;
  const char *type, *data, *id;
  size_t data_len;
  int64_t retry_ms;          /* -1: none expected */
  char comment[24];          /* the text after ':' the parser must report */
  int comment_expected;
} expected_log;

static void roundtrip_retry(void *user, uint64_t ms, const char *digits, size_t len) {
  expected_log *x = user;
  (void)digits;
  (void)len;
  x->retries_seen++;
  CHECK(x->retry_ms >= 0 && ms == (uint64_t)x->retry_ms);
}

static void roundtrip_comment(void *user, const char *text, size_t len) {
  expected_log *x = user;
  x->comments_seen++;
  CHECK(x->comment_expected && len == strlen(x->comment) && !memcmp(text, x->comment, len));
}

static void roundtrip_event(void *user, const sse_event *ev) {
  expected_log *x = user;
  x->seen++;
  CHECK_INT(ev->type_len, strlen(x->type));
  CHECK(!memcmp(ev->type, x->type, ev->type_len));
  CHECK_INT(ev->data_len, x->data_len);
  CHECK(!memcmp(ev->data, x->data, x->data_len));
  CHECK_INT(ev->last_event_id_len, strlen(x->id));
  CHECK(!memcmp(ev->last_event_id, x->id, ev->last_event_id_len));
}

static void sse_write_then_parse_gives_back_every_field(void) {
  static const sse_callbacks cb = {roundtrip_event, roundtrip_retry, roundtrip_comment};
  expected_log x = {0};
  sse_parser *p = sse_parser_new(&cb, &x, 0, 0);
  dynbuf wire;
  dynbuf_init(&wire, 1u << 20);
  char type[16], id[16], data[200], comment[16];
  const char *last_id = "";
  char last_id_buf[16] = "";
  for (int i = 0; i < 5000; i++) {
    random_text(type, rng() % 8, 0);
    random_text(id, rng() % 8, 0);
    random_text(comment, rng() % 8, 0);
    size_t data_len = rng() % 3 == 0 ? rng() % 4 : rng() % 199;
    random_text(data, data_len, 1);
    sse_out ev = {.comment = rng() % 4 ? NULL : comment,
                  .type = rng() % 3 ? type : NULL,
                  .id = rng() % 2 ? id : NULL,
                  .retry_ms = rng() % 5 ? -1 : (int64_t)(rng() % 100000),
                  .data = data, .data_len = data_len, .has_data = 1};
    if (ev.id) {
      strcpy(last_id_buf, id);
      last_id = last_id_buf;
    }
    dynbuf_reset(&wire);
    CHECK_INT(sse_write(&wire, &ev), SSE_WRITE_OK);
    x.type = ev.type && ev.type[0] ? ev.type : "message";
    x.data = data;
    x.data_len = data_len;
    x.id = last_id;
    x.retry_ms = ev.retry_ms;
    x.comment_expected = ev.comment != NULL;
    /* ": text" on the wire; the parser reports what follows the colon. */
    snprintf(x.comment, sizeof x.comment, "%s%s", comment[0] ? " " : "", comment);
    int retries_before = x.retries_seen, comments_before = x.comments_seen;
    /* Fed in random pieces, as a network would. */
    for (size_t at = 0; at < wire.len;) {
      size_t n = 1 + rng() % 40;
      if (n > wire.len - at)
        n = wire.len - at;
      CHECK_INT(sse_feed(p, wire.ptr + at, n), SSE_OK);
      at += n;
    }
    CHECK_INT(x.seen, i + 1);
    CHECK_INT(x.retries_seen - retries_before, ev.retry_ms >= 0);
    CHECK_INT(x.comments_seen - comments_before, ev.comment != NULL);
    if (x.seen != i + 1)
      break;
  }
  dynbuf_free(&wire);
  sse_parser_free(p);
}

/* ---- allocation ---- */

static void sse_feed_allocates_nothing_once_warm(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 0, 0);
  dynbuf wire;
  dynbuf_init(&wire, 1u << 24);
  char data[4200];
  for (int i = 0; i < 2000; i++) {
    size_t n = 16 + rng() % 4096;
    memset(data, 'a' + i % 26, n);
    sse_out ev = {.type = "message", .id = i % 2 ? "17" : "18", .retry_ms = -1,
                  .data = data, .data_len = n, .has_data = 1};
    sse_write(&wire, &ev);
    if (i % 3 == 0) /* multi-line data too */
      sse_write(&wire, &(sse_out){.retry_ms = -1, .data = "{\n}", .data_len = 3, .has_data = 1});
  }
  /* Warm up on the stream once, then count over a second pass. */
  for (size_t at = 0; at < wire.len; at += 1000)
    sse_feed(p, wire.ptr + at, wire.len - at < 1000 ? wire.len - at : 1000);
  int warm_events = r.events;
  unsigned long before = allocations;
  for (size_t at = 0; at < wire.len;) {
    size_t n = 1 + rng() % 16384;
    if (n > wire.len - at)
      n = wire.len - at;
    sse_feed(p, wire.ptr + at, n);
    at += n;
  }
  CHECK_INT(allocations - before, 0);
  CHECK_INT(r.events, 2 * warm_events);
  CHECK_INT(sse_error(p), SSE_OK);
  dynbuf_free(&wire);
  sse_parser_free(p);
}

static void sse_byte_by_byte_feed_allocates_logarithmically(void) {
  recorder r = {0};
  sse_parser *p = sse_parser_new(&REC, &r, 0, 0);
  unsigned long before = allocations;
  feed_str(p, "data: ");
  for (int i = 0; i < 100000; i++)
    sse_feed(p, "x", 1);
  feed_str(p, "\n\n");
  CHECK_INT(r.events, 1);
  CHECK_INT(r.data_len, 100000);
  CHECK(allocations - before < 40); /* buffers double; never per byte */
  sse_parser_free(p);
}

/* ---- differential: a plain reference parser over the whole input ---- */

/* The WHATWG steps written the obvious way (whole input, byte at a time, no
 * caps), to compare against. Output uses the same sse_log lines. */
static void reference_parse(const char *in, size_t n, sse_log *log) {
  dynbuf data, type, id_buf, id_str, line;
  dynbuf_init(&data, 1u << 20);
  dynbuf_init(&type, 1u << 20);
  dynbuf_init(&id_buf, 1u << 20);
  dynbuf_init(&id_str, 1u << 20);
  dynbuf_init(&line, 1u << 20);
  size_t i = 0;
  if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3))
    i = 3;
  while (i < n) {
    size_t start = i;
    while (i < n && in[i] != '\r' && in[i] != '\n')
      i++;
    if (i == n)
      break; /* unterminated: dropped */
    size_t len = i - start;
    if (in[i] == '\r' && i + 1 < n && in[i + 1] == '\n')
      i++;
    i++;
    const char *l = in + start;
    if (len == 0) {
      dynbuf_reset(&id_str);
      dynbuf_add(&id_str, id_buf.ptr ? id_buf.ptr : "", id_buf.len);
      if (data.len == 0) {
        dynbuf_reset(&type);
        continue;
      }
      sse_event ev = {type.len ? dynbuf_str(&type) : "message", type.len ? type.len : 7,
                      dynbuf_str(&data), data.len - 1, dynbuf_str(&id_str), id_str.len};
      sse_log_event(log, &ev);
      dynbuf_reset(&data);
      dynbuf_reset(&type);
      continue;
    }
    if (l[0] == ':')
      continue;
    const char *colon = memchr(l, ':', len);
    size_t name_len = colon ? (size_t)(colon - l) : len;
    const char *v = colon ? colon + 1 : l + len;
    if (colon && v < l + len && *v == ' ')
      v++;
    size_t vlen = (size_t)(l + len - v);
    if (name_len == 4 && !memcmp(l, "data", 4)) {
      dynbuf_add(&data, v, vlen);
      dynbuf_addc(&data, '\n');
    } else if (name_len == 5 && !memcmp(l, "event", 5)) {
      dynbuf_reset(&type);
      dynbuf_add(&type, v, vlen);
    } else if (name_len == 2 && !memcmp(l, "id", 2)) {
      if (!memchr(v, '\0', vlen)) {
        dynbuf_reset(&id_buf);
        dynbuf_add(&id_buf, v, vlen);
      }
    } else if (name_len == 5 && !memcmp(l, "retry", 5)) {
      size_t k = 0;
      while (k < vlen && v[k] >= '0' && v[k] <= '9')
        k++;
      if (vlen && k == vlen) {
        while (vlen > 1 && *v == '0')
          v++, vlen--;
        sse_log_retry(log, v, vlen);
      }
    }
  }
  dynbuf_free(&data);
  dynbuf_free(&type);
  dynbuf_free(&id_buf);
  dynbuf_free(&id_str);
  dynbuf_free(&line);
}

/* Random streams built from the pieces parsers get wrong. */
static size_t random_stream(char *out, size_t cap) {
  static const char *const pieces[] = {
      "data", "data:", "data: ", "id", "id:", "id: ", "event", "event:", "event: ",
      "retry", "retry:", "retry: ", ":", " ", "  ", "\r", "\n", "\r\n", "\n\n", "\r\r",
      "\xEF\xBB\xBF", "\xEF", "\xBB", "\x00", "0", "7", "12", "x", "message", "Data",
      "\xFF", "\xE2\x82", "\xC3\xA9", "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  };
  size_t n = 0, count = (size_t)(rng() % 60);
  for (size_t i = 0; i < count; i++) {
    const char *piece = pieces[rng() % (sizeof pieces / sizeof *pieces)];
    size_t len = piece[0] ? strlen(piece) : 0;
    if (!strcmp(piece, "\x00"))
      len = 1;
    if (n + len > cap)
      break;
    memcpy(out + n, piece, len);
    n += len;
  }
  return n;
}

static void parse_in_pieces(const char *in, size_t n, sse_log *log, int random_cuts) {
  sse_parser *p = sse_parser_new(sse_log_callbacks(), log, 0, 0);
  for (size_t at = 0; at < n;) {
    size_t k = random_cuts ? 1 + rng() % 24 : n;
    if (k > n - at)
      k = n - at;
    sse_feed(p, in + at, k);
    at += k;
  }
  sse_finish(p);
  sse_parser_free(p);
}

static void sse_parser_matches_plain_reference_on_random_streams(void) {
  sse_log want, got_whole, got_split;
  sse_log_init(&want, NULL);
  sse_log_init(&got_whole, NULL);
  sse_log_init(&got_split, NULL);
  char in[8192];
  int mismatches = 0;
  for (int i = 0; i < 20000 && mismatches < 3; i++) {
    size_t n = random_stream(in, sizeof in);
    dynbuf_reset(&want.out);
    dynbuf_reset(&got_whole.out);
    dynbuf_reset(&got_split.out);
    reference_parse(in, n, &want);
    parse_in_pieces(in, n, &got_whole, 0);
    parse_in_pieces(in, n, &got_split, 1);
    if (strcmp(dynbuf_str(&want.out), dynbuf_str(&got_whole.out)) ||
        strcmp(dynbuf_str(&want.out), dynbuf_str(&got_split.out))) {
      mismatches++;
      fprintf(stderr, "random stream %d differs:\n--- reference\n%s--- whole\n%s--- split\n%s",
              i, dynbuf_str(&want.out), dynbuf_str(&got_whole.out), dynbuf_str(&got_split.out));
    }
  }
  CHECK_INT(mismatches, 0);
  sse_log_free(&want);
  sse_log_free(&got_whole);
  sse_log_free(&got_split);
}

/* ---- log lines ---- */

static void sse_log_writes_lines_in_key_order(void) {
  sse_log log;
  sse_log_init(&log, NULL);
  sse_parser *p = sse_parser_new(sse_log_callbacks(), &log, 0, 0);
  feed_str(p, "retry: 0010\nid: \xFF\ndata: \"q\"\n\n");
  CHECK_STR(dynbuf_str(&log.out),
            "{\"retry\":10}\n"
            "{\"type\":\"message\",\"data\":\"\\\"q\\\"\",\"lastEventId\":\"\xEF\xBF\xBD\"}\n");
  dynbuf_reset(&log.out);
  CHECK_INT(sse_log_error(&log, "line over the cap of 8 bytes"), 0);
  CHECK_STR(dynbuf_str(&log.out), "{\"error\":\"line over the cap of 8 bytes\"}\n");
  CHECK_INT(log.failed, 0);
  sse_parser_free(p);
  sse_log_free(&log);
}

int main(void) {
  sse_stats_count_framing_oddities();
  sse_reset_stream_keeps_last_id_and_retry();
  sse_finish_drops_unterminated_event_but_keeps_retry();
  sse_finish_counts_an_unterminated_final_event();
  sse_errors_are_sticky_until_reset();
  sse_line_cap_holds_for_carried_lines();
  sse_error_text_names_the_default_line_cap();
  sse_event_cap_counts_joined_data();
  sse_retry_reports_exact_digits_and_saturates();
  sse_event_pointers_cover_exact_bytes();
  sse_pending_data_survives_the_callers_buffer();
  sse_write_emits_fields_in_order_and_ends_with_blank_line();
  sse_write_rejects_bytes_the_wire_cannot_carry();
  sse_write_then_parse_gives_back_every_field();
  sse_feed_allocates_nothing_once_warm();
  sse_byte_by_byte_feed_allocates_logarithmically();
  sse_log_writes_lines_in_key_order();
  sse_parser_matches_plain_reference_on_random_streams();
  return CHECK_DONE("sse_unit_test");
}
