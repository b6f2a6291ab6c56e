#include "check.h"
#include "codec/json_writer.h"

static const char *written(dynbuf *b, const char *s, size_t n) {
  dynbuf_reset(b);
  CHECK_INT(json_write_string(b, s, n), DYNBUF_OK);
  return dynbuf_str(b);
}

static void json_writer_escapes_quotes_and_controls(void) {
  dynbuf b;
  dynbuf_init(&b, 4096);
  CHECK_STR(written(&b, "a\"b\\c", 5), "\"a\\\"b\\\\c\"");
  CHECK_STR(written(&b, "\n\r\t\b\f", 5), "\"\\n\\r\\t\\b\\f\"");
  CHECK_STR(written(&b, "\0\x1f\x7f", 3), "\"\\u0000\\u001f\x7f\"");
  CHECK_STR(written(&b, "", 0), "\"\"");
  dynbuf_free(&b);
}

/* Invalid UTF-8 becomes U+FFFD, one per maximal subpart (WHATWG decoder). */
static void json_writer_replaces_invalid_utf8_per_maximal_subpart(void) {
  dynbuf b;
  dynbuf_init(&b, 4096);
  CHECK_STR(written(&b, "\xC3\xA9", 2), "\"\xC3\xA9\"");               /* é kept */
  CHECK_STR(written(&b, "\xF0\x9F\x98\x80", 4), "\"\xF0\x9F\x98\x80\""); /* emoji */
  CHECK_STR(written(&b, "\xFF", 1), "\"\xEF\xBF\xBD\"");
  CHECK_STR(written(&b, "\xE2\x82", 2), "\"\xEF\xBF\xBD\"");           /* truncated: one */
  CHECK_STR(written(&b, "\xE2\x82" "A", 3), "\"\xEF\xBF\xBD" "A\"");   /* ASCII kept */
  CHECK_STR(written(&b, "\xED\xA0\x80", 3),                            /* surrogate: three */
            "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  CHECK_STR(written(&b, "\xC0\xAF", 2), "\"\xEF\xBF\xBD\xEF\xBF\xBD\""); /* overlong */
  /* Line and paragraph separators: escaped (the same text once decoded). */
  CHECK_STR(written(&b, "a\xE2\x80\xA8" "b\xE2\x80\xA9", 8), "\"a\\u2028b\\u2029\"");
  CHECK_STR(written(&b, "\xE2\x80\xAE", 3), "\"\xE2\x80\xAE\"");  /* U+202E kept exact */
  CHECK_STR(written(&b, "\xF4\x90\x80\x80", 4),                        /* > U+10FFFF */
            "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  dynbuf_free(&b);
}

static void json_writer_formats_numbers(void) {
  dynbuf b;
  dynbuf_init(&b, 4096);
  CHECK_INT(json_write_double(&b, 12.5), 0);
  CHECK_INT(dynbuf_addc(&b, ' '), 0);
  CHECK_INT(json_write_double(&b, 3.0), 0);
  CHECK_INT(dynbuf_addc(&b, ' '), 0);
  CHECK_INT(json_write_int(&b, -7), 0);
  CHECK_INT(dynbuf_addc(&b, ' '), 0);
  CHECK_INT(json_write_cstring(&b, NULL), 0);
  CHECK_STR(dynbuf_str(&b), "12.5 3 -7 null");
  dynbuf_free(&b);
}

int main(void) {
  json_writer_escapes_quotes_and_controls();
  json_writer_replaces_invalid_utf8_per_maximal_subpart();
  json_writer_formats_numbers();
  return CHECK_DONE("json_writer_test");
}
