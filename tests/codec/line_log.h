/*
 * line_log.h: the text log of the stdio line codec's events, the format of
 * the golden vectors in tests/vectors/stdio (README there). One line per
 * event, then one `done` line with the byte accounting:
 *
 *   lf n=1 at=0 "{}"
 *   crlf n=2 at=3 cr=1 nul=0 utf8=4 "\x00\r.\xff"
 *   too-long n=3 at=9
 *   unterminated n=4 at=20 bom ""
 *   done bytes=21 dropped=9
 */
#ifndef MCPWIRE_TEST_LINE_LOG_H
#define MCPWIRE_TEST_LINE_LOG_H

#include <inttypes.h>

#include "codec/dynbuf.h"
#include "codec/line.h"

static inline void line_log_escaped(dynbuf *out, const char *s, size_t len) {
  dynbuf_addc(out, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      dynbuf_addc(out, '\\');
      dynbuf_addc(out, (char)c);
    } else if (c == '\r') {
      dynbuf_adds(out, "\\r");
    } else if (c == '\t') {
      dynbuf_adds(out, "\\t");
    } else if (c < 0x20 || c > 0x7e) {
      dynbuf_printf(out, "\\x%02x", c);
    } else {
      dynbuf_addc(out, (char)c);
    }
  }
  dynbuf_addc(out, '"');
}

/* A line_callback: `user` is the dynbuf the log goes to. */
static inline void line_log_event(void *user, const line_event *ev) {
  dynbuf *out = user;
  dynbuf_printf(out, "%s n=%" PRIu64 " at=%" PRIu64, line_end_name(ev->end), ev->number,
                ev->offset);
  if (ev->bom)
    dynbuf_adds(out, " bom");
  if (ev->end != LINE_TOO_LONG) {
    if (ev->lone_cr)
      dynbuf_printf(out, " cr=%zu", ev->lone_cr);
    if (ev->first_nul >= 0)
      dynbuf_printf(out, " nul=%" PRId64, ev->first_nul);
    if (ev->first_bad_utf8 >= 0)
      dynbuf_printf(out, " utf8=%" PRId64, ev->first_bad_utf8);
    dynbuf_addc(out, ' ');
    line_log_escaped(out, ev->data, ev->len);
  }
  dynbuf_addc(out, '\n');
}

/* The closing line, after line_finish. */
static inline void line_log_done(dynbuf *out, const line_reader *r) {
  const line_stats *st = line_get_stats(r);
  dynbuf_printf(out, "done bytes=%" PRIu64 " dropped=%" PRIu64 "%s\n", st->bytes, st->dropped,
                line_error(r) ? " error=nomem" : "");
}

#endif
