#include "cli/cli_text.h"
#include "cli/exit_codes.h"

#include <stdarg.h>

#include "codec/utf8.h"
#include "mcpwire_limits.h"

/* Code points a terminal must not get raw: C1 controls, bidirectional
 * controls, the line and paragraph separators. */
static int hidden(long cp) {
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
         cp == 0x2029;
}

static void put_ascii(FILE *to, unsigned char c) {
  if (c == '\r')
    fputs("\\r", to);
  else if (c == '\n')
    fputs("\\n", to);
  else if (c == '\t')
    fputs("\\t", to);
  else if (c == '\\')
    fputs("\\\\", to);
  else if (c < 0x20 || c == 0x7f)
    fprintf(to, "\\x%02x", c);
  else
    fputc(c, to);
}

void cli_put_visible(FILE *to, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t left = 0;
  while (p[left])
    left++;
  while (left) {
    if (*p < 0x80) {
      put_ascii(to, *p++);
      left--;
      continue;
    }
    long cp;
    size_t n = utf8_next(p, left, &cp);
    if (cp < 0)
      for (size_t i = 0; i < n; i++)
        fprintf(to, "\\x%02x", p[i]);
    else if (hidden(cp))
      fprintf(to, "\\u%04lx", cp);
    else
      fwrite(p, 1, n, to);
    p += n;
    left -= n;
  }
}

int cli_fail(const char *who, int code, const char *fmt, ...) {
  char msg[MCPWIRE_CLI_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fprintf(stderr, "mcpwire %s: ", who);
  cli_put_visible(stderr, msg);
  fputc('\n', stderr);
  return code;
}

int cli_usage_error(const char *who, const char *fmt, ...) {
  char msg[MCPWIRE_CLI_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return cli_fail(who, MCPWIRE_EXIT_USAGE, "%s (try 'mcpwire %s --help')", msg, who);
}
