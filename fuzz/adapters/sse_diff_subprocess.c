/*
 * sse_diff_subprocess: mcpwire's SSE parser against a parser in any
 * language, run as a child process that speaks the line protocol of
 * docs/FUZZING.md ("Subprocess adapters"):
 *
 *   to the child, one line per input:   <chunk> <hex bytes>\n
 *       chunk 0 = feed the input whole, n = feed it n bytes at a time
 *   from the child, for each input:     canonical JSON log lines, then END
 *
 *   sse_diff_subprocess [--corpus DIR]... [--generate N] [--seed S]
 *                       [--chunks 0,1,7] [--save DIR] [--max-report K]
 *                       -- COMMAND [ARGS...]
 *
 * Corpus inputs are read whole (no mode bytes). Each disagreement is
 * minimised (bytes removed while the logs still differ), deduplicated by
 * its minimised form, printed with both logs, and saved under --save.
 * Exit 0 when both parsers agree on everything, 1 on disagreements, 2 on
 * usage or child errors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "codec/sse.h"
#include "mcpwire_limits.h"
#include "sse_event_log.h"

enum { CHUNKS_MAX = 8, FOUND_MAX = 256, MINIMISE_ROUNDS_MAX = 2000 };

typedef struct child {
  pid_t pid;
  int to, from;         /* its stdin (we write), its stdout (we read) */
  dynbuf pending;       /* bytes read past the last full line */
  char **argv;
} child;

typedef struct found {
  dynbuf input;
  size_t chunk;
  int hits;
} found;

typedef struct run {
  child kid;
  size_t chunks[CHUNKS_MAX];
  int chunk_count;
  found found[FOUND_MAX];
  int found_count;
  long inputs, disagreements;
  const char *save_dir;
  int max_report;
} run;

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int child_start(child *c) {
  int in[2], out[2];
  if (pipe(in) || pipe(out))
    return -1;
  c->pid = fork();
  if (c->pid < 0)
    return -1;
  if (c->pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]); close(in[1]); close(out[0]); close(out[1]);
    execvp(c->argv[0], c->argv);
    perror(c->argv[0]);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  c->to = in[1];
  c->from = out[0];
  fcntl(c->to, F_SETFL, O_NONBLOCK);
  fcntl(c->from, F_SETFL, O_NONBLOCK);
  dynbuf_init(&c->pending, MCPWIRE_FUZZ_PROTO_LINE_MAX);
  return 0;
}

static void child_stop(child *c) {
  if (c->pid <= 0)
    return;
  close(c->to);
  close(c->from);
  int64_t deadline = now_ms() + 2000;
  int status;
  while (waitpid(c->pid, &status, WNOHANG) == 0) {
    if (now_ms() > deadline) {
      kill(c->pid, SIGKILL);
      waitpid(c->pid, &status, 0);
      break;
    }
    usleep(10000);
  }
  c->pid = 0;
  dynbuf_free(&c->pending);
}

/* Writes everything or fails at the deadline. */
static int child_write(child *c, const char *buf, size_t len, int64_t deadline) {
  while (len) {
    struct pollfd p = {c->to, POLLOUT, 0};
    int64_t left = deadline - now_ms();
    if (left <= 0 || poll(&p, 1, (int)left) <= 0)
      return -1;
    ssize_t n = write(c->to, buf, len);
    if (n < 0 && errno != EAGAIN && errno != EINTR)
      return -1;
    if (n > 0) {
      buf += n;
      len -= (size_t)n;
    }
  }
  return 0;
}

/* Reads one line (without its LF) into line; -1 on EOF, error or deadline. */
static int child_read_line(child *c, dynbuf *line, int64_t deadline) {
  for (;;) {
    char *lf = c->pending.len ? memchr(c->pending.ptr, '\n', c->pending.len) : NULL;
    if (lf) {
      size_t n = (size_t)(lf - c->pending.ptr);
      dynbuf_reset(line);
      if (dynbuf_add(line, c->pending.ptr, n))
        return -1;
      memmove(c->pending.ptr, lf + 1, c->pending.len - n - 1);
      c->pending.len -= n + 1;
      return 0;
    }
    struct pollfd p = {c->from, POLLIN, 0};
    int64_t left = deadline - now_ms();
    if (left <= 0 || poll(&p, 1, (int)left) <= 0)
      return -1;
    char buf[65536];
    ssize_t n = read(c->from, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
      return -1;
    if (n > 0 && dynbuf_add(&c->pending, buf, (size_t)n))
      return -1;
  }
}

/* The child's log for one input; -1 when the child failed to answer. */
static int child_log(child *c, const uint8_t *in, size_t len, size_t chunk, sse_event_log *log) {
  static const char hex[] = "0123456789abcdef";
  dynbuf req;
  dynbuf_init(&req, MCPWIRE_FUZZ_PROTO_LINE_MAX);
  int rc = dynbuf_printf(&req, "%zu ", chunk);
  for (size_t i = 0; i < len && !rc; i++) {
    char pair[2] = {hex[in[i] >> 4], hex[in[i] & 15]};
    rc = dynbuf_add(&req, pair, 2);
  }
  rc = rc || dynbuf_addc(&req, '\n');
  int64_t deadline = now_ms() + MCPWIRE_FUZZ_DIFF_REPLY_MS;
  if (rc || child_write(c, req.ptr, req.len, deadline)) {
    dynbuf_free(&req);
    return -1;
  }
  dynbuf_free(&req);
  dynbuf line;
  dynbuf_init(&line, MCPWIRE_FUZZ_PROTO_LINE_MAX);
  int result = -1;
  while (child_read_line(c, &line, deadline) == 0) {
    if (!strcmp(dynbuf_str(&line), "END")) {
      result = 0;
      break;
    }
    if (log->full)
      continue;
    if (dynbuf_add(&log->buf, line.ptr ? line.ptr : "", line.len) || dynbuf_addc(&log->buf, '\n'))
      log->full = 1;
  }
  dynbuf_free(&line);
  return result;
}

static void our_log(const uint8_t *in, size_t len, sse_event_log *log) {
  sse_parser *p = sse_parser_new(&sse_event_log_callbacks, log, 0, 0);
  if (!p)
    abort();
  sse_feed(p, in, len);
  sse_finish(p);
  if (sse_error(p) != SSE_OK)
    sse_event_log_note(log, sse_status_text(sse_error(p)));
  sse_parser_free(p);
}

/* 1 when the two parsers disagree on this input, -1 when the child failed. */
static int disagree(run *r, const uint8_t *in, size_t len, size_t chunk,
                    sse_event_log *ours, sse_event_log *theirs) {
  sse_event_log_reset(ours);
  sse_event_log_reset(theirs);
  our_log(in, len, ours);
  if (child_log(&r->kid, in, len, chunk, theirs) != 0)
    return -1;
  return !sse_event_log_equal(ours, theirs);
}

/* Removes bytes (halves, then single bytes) while the disagreement stays. */
static void minimise(run *r, dynbuf *in, size_t chunk) {
  sse_event_log a, b;
  sse_event_log_init(&a, SSE_LOG_JSON);
  sse_event_log_init(&b, SSE_LOG_JSON);
  int rounds = 0;
  for (size_t width = in->len / 2; width >= 1 && rounds < MINIMISE_ROUNDS_MAX; width /= 2) {
    for (size_t at = 0; at + width <= in->len && rounds < MINIMISE_ROUNDS_MAX;) {
      dynbuf cut;
      dynbuf_init(&cut, in->max);
      dynbuf_add(&cut, in->ptr, at);
      dynbuf_add(&cut, in->ptr + at + width, in->len - at - width);
      rounds++;
      if (disagree(r, (const uint8_t *)cut.ptr, cut.len, chunk, &a, &b) == 1) {
        dynbuf_free(in);
        *in = cut;
      } else {
        dynbuf_free(&cut);
        at++;
      }
    }
    if (width == 1)
      break;
  }
  sse_event_log_free(&a);
  sse_event_log_free(&b);
}

static void print_escaped(FILE *to, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\r') fputs("\\r", to);
    else if (c == '\n') fputs("\\n", to);
    else if (c == '\t') fputs("\\t", to);
    else if (c == '\\') fputs("\\\\", to);
    else if (c < 0x20 || c >= 0x7f) fprintf(to, "\\x%02x", c);
    else fputc(c, to);
  }
}

static void save_found(const run *r, const found *f, int index) {
  if (!r->save_dir)
    return;
  char path[4096];
  snprintf(path, sizeof path, "%s/disagreement-%03d-chunk%zu", r->save_dir, index, f->chunk);
  FILE *out = fopen(path, "wb");
  if (!out)
    return;
  fwrite(f->input.ptr ? f->input.ptr : "", 1, f->input.len, out);
  fclose(out);
}

static void record(run *r, const uint8_t *in, size_t len, size_t chunk) {
  r->disagreements++;
  dynbuf m;
  dynbuf_init(&m, MCPWIRE_FUZZ_INPUT_MAX);
  if (dynbuf_add(&m, in, len)) {
    dynbuf_free(&m);
    return;
  }
  minimise(r, &m, chunk);
  for (int i = 0; i < r->found_count; i++)
    if (r->found[i].input.len == m.len && /* any chunk size: one finding */
        (m.len == 0 || !memcmp(r->found[i].input.ptr, m.ptr, m.len))) {
      r->found[i].hits++;
      dynbuf_free(&m);
      return;
    }
  if (r->found_count == FOUND_MAX) {
    dynbuf_free(&m);
    return;
  }
  found *f = &r->found[r->found_count++];
  f->input = m;
  f->chunk = chunk;
  f->hits = 1;
}

static int check_input(run *r, const uint8_t *in, size_t len) {
  sse_event_log a, b;
  sse_event_log_init(&a, SSE_LOG_JSON);
  sse_event_log_init(&b, SSE_LOG_JSON);
  int rc = 0;
  for (int i = 0; i < r->chunk_count && rc == 0; i++) {
    r->inputs++;
    int d = disagree(r, in, len, r->chunks[i], &a, &b);
    if (d < 0) {
      fprintf(stderr, "sse_diff_subprocess: the child did not answer (input of %zu bytes)\n", len);
      rc = -1;
    } else if (d) {
      record(r, in, len, r->chunks[i]);
    }
  }
  sse_event_log_free(&a);
  sse_event_log_free(&b);
  return rc;
}

static int check_file(run *r, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  dynbuf b;
  dynbuf_init(&b, MCPWIRE_FUZZ_INPUT_MAX);
  char buf[65536];
  size_t n;
  int too_big = 0;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    if (dynbuf_add(&b, buf, n))
      too_big = 1;
  fclose(f);
  int rc = too_big ? 0 : check_input(r, (const uint8_t *)b.ptr, b.len);
  dynbuf_free(&b);
  return rc;
}

static int check_dir(run *r, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return -1;
  }
  struct dirent *e;
  int rc = 0;
  while (rc == 0 && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
      rc = check_file(r, path);
  }
  closedir(d);
  return rc;
}

/* Pieces SSE streams are made of; inputs are random strings of them. */
static const char *const PIECES[] = {
  "data", "data:", "data: ", "event:", "event: ", "id:", "id: ", "retry:", "retry: ",
  ":", " ", "\n", "\r", "\r\n", "\n\n", "\xef\xbb\xbf", "x", "1", "0", "42", "-",
  "message", "endpoint", "{\"jsonrpc\":\"2.0\"}", "\xff", "\xc3\xa9", "\xed\xa0\x80",
  "\xf0\x9f\x98\x80", "\xe2\x82", "Data:", "data :", "ID:", "\t", "a b",
  "99999999999999999999", "9007199254740993", "1.5", "\xc3\xaf\xc2\xbb\xc2\xbf",
  "\xef\xbb", ("id: a\x00" "b"),
};
enum { PIECE_COUNT = sizeof PIECES / sizeof PIECES[0] };

static uint32_t rng_next(uint32_t *s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x;
}

static int check_generated(run *r, long count, uint32_t seed) {
  uint32_t s = seed ? seed : 1;
  for (long i = 0; i < count; i++) {
    uint8_t buf[512];
    size_t len = 0;
    int pieces = (int)(rng_next(&s) % 16) + 1;
    for (int p = 0; p < pieces; p++) {
      uint32_t k = rng_next(&s) % PIECE_COUNT;
      /* the NUL piece has an explicit length */
      size_t plen = k == PIECE_COUNT - 1 ? 8 : strlen(PIECES[k]);
      if (len + plen > sizeof buf)
        break;
      memcpy(buf + len, PIECES[k], plen);
      len += plen;
    }
    if (check_input(r, buf, len))
      return -1;
  }
  return 0;
}

static void report(run *r) {
  sse_event_log a, b;
  sse_event_log_init(&a, SSE_LOG_JSON);
  sse_event_log_init(&b, SSE_LOG_JSON);
  for (int i = 0; i < r->found_count && i < r->max_report; i++) {
    const found *f = &r->found[i];
    printf("== disagreement %d (seen %d times), chunk %zu, input (%zu bytes): ", i + 1,
           f->hits, f->chunk, f->input.len);
    print_escaped(stdout, f->input.ptr ? f->input.ptr : "", f->input.len);
    putchar('\n');
    if (disagree(r, (const uint8_t *)f->input.ptr, f->input.len, f->chunk, &a, &b) >= 0) {
      printf("-- mcpwire:\n%s-- other:\n%s", dynbuf_str(&a.buf), dynbuf_str(&b.buf));
    }
    save_found(r, f, i + 1);
  }
  printf("sse_diff_subprocess: %ld parses compared, %ld disagreed, %d distinct after minimising\n",
         r->inputs, r->disagreements, r->found_count);
  sse_event_log_free(&a);
  sse_event_log_free(&b);
}

static int parse_chunks(run *r, const char *list) {
  r->chunk_count = 0;
  char *copy = strdup(list), *save = NULL;
  for (char *t = strtok_r(copy, ",", &save); t && r->chunk_count < CHUNKS_MAX;
       t = strtok_r(NULL, ",", &save))
    r->chunks[r->chunk_count++] = strtoul(t, NULL, 10);
  free(copy);
  return r->chunk_count ? 0 : -1;
}

int main(int argc, char **argv) {
  static run r;
  const char *dirs[16];
  int ndirs = 0;
  long generate = 0;
  uint32_t seed = 1;
  r.max_report = 50;
  parse_chunks(&r, "0,1");
  int i = 1;
  while (i < argc && strcmp(argv[i], "--")) {
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v)
      break;
    if (!strcmp(argv[i], "--corpus") && ndirs < 16) dirs[ndirs++] = v;
    else if (!strcmp(argv[i], "--generate")) generate = strtol(v, NULL, 10);
    else if (!strcmp(argv[i], "--seed")) seed = (uint32_t)strtoul(v, NULL, 10);
    else if (!strcmp(argv[i], "--chunks")) { if (parse_chunks(&r, v)) break; }
    else if (!strcmp(argv[i], "--save")) r.save_dir = v;
    else if (!strcmp(argv[i], "--max-report")) r.max_report = atoi(v);
    else break;
    i += 2;
  }
  if (i >= argc - 1 || strcmp(argv[i], "--") || generate < 0 ||
      generate > MCPWIRE_FUZZ_DIFF_INPUTS_MAX) {
    fprintf(stderr, "usage: sse_diff_subprocess [--corpus DIR]... [--generate N<=%d] "
                    "[--seed S] [--chunks 0,1,7] [--save DIR] [--max-report K] -- CMD [ARGS]\n",
            MCPWIRE_FUZZ_DIFF_INPUTS_MAX);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  r.kid.argv = argv + i + 1;
  if (child_start(&r.kid)) {
    perror("sse_diff_subprocess: starting the child");
    return 2;
  }
  int rc = 0;
  for (int d = 0; d < ndirs && rc == 0; d++)
    rc = check_dir(&r, dirs[d]);
  if (rc == 0)
    rc = check_generated(&r, generate, seed);
  report(&r);
  child_stop(&r.kid);
  for (int f = 0; f < r.found_count; f++)
    dynbuf_free(&r.found[f].input);
  if (rc)
    return 2;
  return r.found_count ? 1 : 0;
}
