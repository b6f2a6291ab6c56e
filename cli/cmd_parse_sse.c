/* mcpwire parse sse: the reference SSE decoder as JSON lines (sse_log.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "codec/sse.h"
#include "codec/sse_log.h"

/* Read size: events print as soon as the bytes holding them arrive. */
#define PARSE_SSE_CHUNK (64u * 1024)

static void parse_sse_usage(FILE *to) {
  fputs("usage: mcpwire parse sse [FILE|-]\n"
        "\n"
        "Feeds FILE (standard input when absent or '-') to mcpwire's SSE parser\n"
        "(WHATWG HTML server-sent events rules) chunk by chunk as read, and\n"
        "prints one JSON object per line, in stream order:\n"
        "  {\"type\":...,\"data\":...,\"lastEventId\":...}  a dispatched event\n"
        "  {\"retry\":N}                                 an accepted retry field\n"
        "  {\"error\":...}                               a parser error (exit 1)\n"
        "Invalid UTF-8 is shown as U+FFFD. Exit 2 when FILE cannot be read.\n",
        to);
}

/* Feeds everything readable from fd; returns 0, or errno on a read error. */
static int feed_fd(sse_parser *p, sse_log *log, int fd) {
  static char buf[PARSE_SSE_CHUNK];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errno;
    if (n == 0)
      return 0;
    sse_status s = sse_feed(p, buf, (size_t)n);
    if (s != SSE_OK)
      return 0;
    sse_log_flush(log);
    fflush(stdout);
  }
}

int cmd_parse_sse(int argc, char **argv) {
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      parse_sse_usage(stdout);
      return MCPWIRE_EXIT_OK;
    }
    if (path || (argv[i][0] == '-' && argv[i][1])) {
      parse_sse_usage(stderr);
      return MCPWIRE_EXIT_USAGE;
    }
    path = argv[i];
  }
  int fd = STDIN_FILENO;
  if (path && strcmp(path, "-")) {
    fd = open(path, O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "mcpwire parse sse: cannot read %s: %s\n", path, strerror(errno));
      return MCPWIRE_EXIT_USAGE;
    }
  }
  sse_log log;
  sse_log_init(&log, stdout);
  sse_parser *p = sse_parser_new(sse_log_callbacks(), &log, 0, 0);
  if (!p) {
    fputs("mcpwire parse sse: out of memory\n", stderr);
    sse_log_free(&log);
    return MCPWIRE_EXIT_INTERNAL;
  }
  int read_err = feed_fd(p, &log, fd);
  sse_status s = sse_error(p);
  sse_finish(p);
  if (s != SSE_OK)
    sse_log_error(&log, sse_error_text(p));
  sse_log_flush(&log);
  int rc = s != SSE_OK ? MCPWIRE_EXIT_FAIL : MCPWIRE_EXIT_OK;
  if (read_err) {
    fprintf(stderr, "mcpwire parse sse: cannot read %s: %s\n",
            path && strcmp(path, "-") ? path : "standard input", strerror(read_err));
    rc = MCPWIRE_EXIT_USAGE;
  }
  if (log.failed || fflush(stdout)) {
    fputs("mcpwire parse sse: cannot write the output\n", stderr);
    rc = MCPWIRE_EXIT_INTERNAL;
  }
  if (fd != STDIN_FILENO)
    close(fd);
  sse_parser_free(p);
  sse_log_free(&log);
  return rc;
}
