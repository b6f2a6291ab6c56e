/*
 * sse_bench: SSE parse throughput on MCP-shaped streams (run by
 * bench/sse-bench.sh; never timed in CTest).
 *
 *   sse_bench gen small|mixed|large FILE [MB]   write a stream (default 100 MB)
 *   sse_bench ours FILE [RUNS]                  mcpwire's parser
 *   sse_bench memchr FILE [RUNS]                memchr+memcpy per line: the limit
 *   sse_bench both FILE [RUNS]                  the two, run by run in turn, so
 *                                               a shared machine's load hits both
 *
 * Both consumers read the file into memory first, then feed it in 16 KiB
 * chunks as a network would, and touch each event's data alike: the checksum
 * adds its length, first byte and last byte. Output, one line:
 *   <impl> <MB/s> <events/s> <events> <checksum>
 * Best of RUNS (default 3), since the machine is shared.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/dynbuf.h"
#include "codec/sse.h"

/* Feed size: a typical socket read. */
#define BENCH_CHUNK (16u * 1024)
/* Ceiling of a generated or loaded stream. */
#define BENCH_FILE_MAX (2048u * 1024 * 1024)

typedef struct tally {
  uint64_t events, checksum;
} tally;

static void touch(tally *t, const unsigned char *data, size_t len) {
  t->events++;
  t->checksum += len + (len ? data[0] + data[len - 1] : 0);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: the same streams on every machine. */
static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint64_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static size_t payload_size(const char *mix) {
  if (!strcmp(mix, "small"))
    return 16;
  if (!strcmp(mix, "large"))
    return 64 * 1024;
  return 64 + (size_t)(rng() % (4096 - 64 + 1)); /* mixed */
}

static int cmd_gen(const char *mix, const char *path, size_t mb) {
  if (strcmp(mix, "small") && strcmp(mix, "mixed") && strcmp(mix, "large")) {
    fprintf(stderr, "sse_bench: unknown mix %s (small, mixed, large)\n", mix);
    return 2;
  }
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    return 2;
  }
  dynbuf ev;
  dynbuf_init(&ev, 1u << 20);
  static char text[64 * 1024 + 1];
  size_t total = 0, target = mb * 1024 * 1024;
  for (uint64_t id = 1; total < target; id++) {
    size_t n = payload_size(mix);
    for (size_t i = 0; i < n; i++)
      text[i] = (char)('a' + (id + i) % 26);
    dynbuf_reset(&ev);
    dynbuf_printf(&ev,
                  "event: message\nid: %llu\ndata: {\"jsonrpc\":\"2.0\",\"method\":"
                  "\"notifications/progress\",\"params\":{\"progressToken\":\"t1\","
                  "\"progress\":%llu,\"message\":\"%.*s\"}}\n\n",
                  (unsigned long long)id, (unsigned long long)id, (int)n, text);
    if (fwrite(ev.ptr, 1, ev.len, f) != ev.len) {
      perror(path);
      fclose(f);
      return 2;
    }
    total += ev.len;
  }
  dynbuf_free(&ev);
  return fclose(f) ? 2 : 0;
}

static int load(const char *path, dynbuf *out) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  dynbuf_init(out, BENCH_FILE_MAX);
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    if (dynbuf_add(out, buf, n) != DYNBUF_OK) {
      fclose(f);
      return -1;
    }
  fclose(f);
  return 0;
}

/* ---- ours ---- */

static void on_event(void *user, const sse_event *ev) {
  touch(user, (const unsigned char *)ev->data, ev->data_len);
}

static tally run_ours(const dynbuf *in) {
  static const sse_callbacks cb = {on_event, NULL, NULL};
  tally t = {0, 0};
  sse_parser *p = sse_parser_new(&cb, &t, 0, 0);
  for (size_t at = 0; at < in->len; at += BENCH_CHUNK) {
    size_t n = in->len - at < BENCH_CHUNK ? in->len - at : BENCH_CHUNK;
    if (sse_feed(p, in->ptr + at, n) != SSE_OK)
      break;
  }
  sse_finish(p);
  sse_parser_free(p);
  return t;
}

/* ---- memchr + memcpy: find each LF, copy each line out; a blank line ends an
 * event whose data is the last line starting with 'd' (after "data: "). ---- */

typedef struct line_state {
  dynbuf line;        /* the current line, copied */
  dynbuf data;        /* the last data line, whose value starts at byte 6 */
  tally t;
} line_state;

static void baseline_line(line_state *s) {
  if (s->line.len == 0) {
    if (s->data.len)
      touch(&s->t, (const unsigned char *)s->data.ptr + 6, s->data.len - 6);
    dynbuf_reset(&s->data);
  } else if (s->line.ptr[0] == 'd' && s->line.len >= 6) {
    /* Swap instead of copying again, as a careful parser would. */
    dynbuf tmp = s->data;
    s->data = s->line;
    s->line = tmp;
  }
  dynbuf_reset(&s->line);
}

static tally run_memchr(const dynbuf *in) {
  line_state s;
  dynbuf_init(&s.line, BENCH_FILE_MAX);
  dynbuf_init(&s.data, BENCH_FILE_MAX);
  s.t.events = s.t.checksum = 0;
  for (size_t at = 0; at < in->len; at += BENCH_CHUNK) {
    const char *p = in->ptr + at;
    const char *end = p + (in->len - at < BENCH_CHUNK ? in->len - at : BENCH_CHUNK);
    while (p < end) {
      const char *lf = memchr(p, '\n', (size_t)(end - p));
      const char *stop = lf ? lf : end;
      dynbuf_add(&s.line, p, (size_t)(stop - p));
      if (!lf)
        break;
      baseline_line(&s);
      p = lf + 1;
    }
  }
  dynbuf_free(&s.line);
  dynbuf_free(&s.data);
  return s.t;
}

typedef struct contender {
  const char *name;
  tally (*run)(const dynbuf *);
  double best;
  tally t;
} contender;

static int cmd_run(const char *impl, const char *path, int runs) {
  contender all[] = {{"ours", run_ours, 1e30, {0, 0}}, {"memchr", run_memchr, 1e30, {0, 0}}};
  int both = !strcmp(impl, "both");
  int first = both || !strcmp(impl, "ours") ? 0 : 1;
  int last = both || !strcmp(impl, "memchr") ? 1 : 0;
  if (!both && strcmp(impl, "ours") && strcmp(impl, "memchr")) {
    fprintf(stderr, "sse_bench: unknown implementation %s (ours, memchr, both)\n", impl);
    return 2;
  }
  dynbuf in;
  if (load(path, &in))
    return 2;
  for (int i = 0; i < runs; i++) {
    for (int k = first; k <= last; k++) {
      double t0 = now_s();
      all[k].t = all[k].run(&in);
      double dt = now_s() - t0;
      if (dt < all[k].best)
        all[k].best = dt;
    }
  }
  for (int k = first; k <= last; k++)
    printf("%s %.1f %.0f %llu %llu\n", all[k].name, (double)in.len / 1e6 / all[k].best,
           (double)all[k].t.events / all[k].best, (unsigned long long)all[k].t.events,
           (unsigned long long)all[k].t.checksum);
  dynbuf_free(&in);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "gen"))
    return cmd_gen(argv[2], argv[3], argc > 4 ? strtoul(argv[4], NULL, 10) : 100);
  if (argc >= 3 && strcmp(argv[1], "gen"))
    return cmd_run(argv[1], argv[2], argc > 3 ? atoi(argv[3]) : 3);
  fputs("usage: sse_bench gen small|mixed|large FILE [MB]\n"
        "       sse_bench ours|memchr|both FILE [RUNS]\n", stderr);
  return 2;
}
