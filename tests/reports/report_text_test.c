/* report_text_test: the escapers every report format relies on, checked
 * byte for byte on hostile input. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codec/utf8.h"
#include "mcpwire_limits.h"
#include "reports/report_private.h"

typedef int (*escaper)(dynbuf *, const char *, size_t);

static int markup_text(dynbuf *b, const char *s, size_t n) { return text_markup(b, s, n, MARKUP_TEXT); }
static int markup_attr(dynbuf *b, const char *s, size_t n) { return text_markup(b, s, n, MARKUP_ATTR); }
static int markup_prose(dynbuf *b, const char *s, size_t n) { return text_markup(b, s, n, MARKUP_PROSE); }
static int markup_xml_text(dynbuf *b, const char *s, size_t n) { return text_markup(b, s, n, MARKUP_XML_TEXT); }
static int markup_xml_attr(dynbuf *b, const char *s, size_t n) { return text_markup(b, s, n, MARKUP_XML_ATTR); }
static int console_line(dynbuf *b, const char *s, size_t n) { return text_console(b, s, n, 0, NULL); }
static int console_block(dynbuf *b, const char *s, size_t n) { return text_console(b, s, n, 1, "  "); }

static void expect_escape(escaper f, const char *in, size_t len, const char *want) {
  dynbuf b;
  dynbuf_init(&b, 4096);
  CHECK_INT(f(&b, in, len), DYNBUF_OK);
  CHECK_STR(dynbuf_str(&b), want);
  dynbuf_free(&b);
}
#define ESCAPE(f, lit, want) expect_escape(f, lit, sizeof lit - 1, want)

static void markup_escapes_entities_and_keeps_cdata_end_out(void) {
  ESCAPE(markup_text, "a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c&#39;");
  ESCAPE(markup_text, "x]]>y", "x]]&gt;y");
}

static void markup_keeps_tab_lf_in_text_and_encodes_them_in_attributes(void) {
  ESCAPE(markup_text, "a\tb\nc\r\nd", "a\tb\nc&#13;\nd");
  ESCAPE(markup_attr, "a\tb\nc\r", "a&#9;b&#10;c&#13;");
}

static void markup_replaces_controls_xml_forbids(void) {
  /* NUL -> U+2400, ESC -> U+241B, DEL -> U+2421, C1 NEL -> U+FFFD */
  ESCAPE(markup_text, "\x00|\x1b|\x7f|\xc2\x85", "\xe2\x90\x80|\xe2\x90\x9b|\xe2\x90\xa1|\xef\xbf\xbd");
  /* U+FFFE and U+FFFF are not XML characters. */
  ESCAPE(markup_text, "\xef\xbf\xbe\xef\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbd");
}

static void markup_replaces_invalid_utf8_by_maximal_subpart(void) {
  /* Truncated 4-byte sequence: one U+FFFD for all three bytes. */
  ESCAPE(markup_text, "\xf0\x9f\x98" "A", "\xef\xbf\xbd" "A");
  /* Overlong C0 80: two. Surrogate ED A0 80: three. Lone FF: one. */
  ESCAPE(markup_text, "\xc0\x80", "\xef\xbf\xbd\xef\xbf\xbd");
  ESCAPE(markup_text, "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  ESCAPE(markup_text, "\xff", "\xef\xbf\xbd");
  /* Valid multibyte text passes through untouched. */
  ESCAPE(markup_text, "h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

static void markdown_cell_escapes_pipes_syntax_and_line_breaks(void) {
  ESCAPE(text_markdown_cell, "a|b", "a\\|b");
  ESCAPE(text_markdown_cell, "x\\|y", "x\\\\\\|y");
  ESCAPE(text_markdown_cell, "*b* _i_ `c` [l](u) ~s~", "\\*b\\* \\_i\\_ \\`c\\` \\[l\\](u) \\~s\\~");
  ESCAPE(text_markdown_cell, "1\n2\r\n3\r4", "1<br>2<br>3<br>4");
  ESCAPE(text_markdown_cell, "<script>&", "&lt;script&gt;&amp;");
  ESCAPE(text_markdown_cell, "id \"a\" 'b'", "id \"a\" 'b'"); /* quotes stay readable */
}

static void console_never_passes_escape_sequences(void) {
  ESCAPE(console_line, "\x1b[31mred\x07", "\\x1b[31mred\\x07");
  ESCAPE(console_line, "a\nb\tc\r", "a\\nb\\tc\\r");
  ESCAPE(console_line, "\xc2\x9b" "2J", "\\u009b2J"); /* C1 CSI */
  ESCAPE(console_line, "\xff", "\xef\xbf\xbd");
  ESCAPE(console_block, "one\ntwo", "one\n  two");
}

/* Bidirectional controls and the line and paragraph separators. */
static const long REORDERING[] = {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D,
                                  0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029};
#define NREORDERING (sizeof REORDERING / sizeof REORDERING[0])

static int reordering(long cp) {
  for (size_t i = 0; i < NREORDERING; i++)
    if (REORDERING[i] == cp)
      return 1;
  return 0;
}

/* UTF-8 of a code point below U+10000 into b (NUL-terminated); its length. */
static size_t encode(long cp, char *b) {
  if (cp < 0x800) {
    b[0] = (char)(0xC0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3F)), b[2] = 0;
    return 2;
  }
  b[0] = (char)(0xE0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
  b[2] = (char)(0x80 | (cp & 0x3F)), b[3] = 0;
  return 3;
}

static void reordering_characters_are_escaped_visibly_in_each_format(void) {
  /* U+202E RIGHT-TO-LEFT OVERRIDE, U+2028 LINE SEPARATOR, U+061C ALM, U+2066 LRI, U+200F RLM */
  ESCAPE(markup_text, "a\xe2\x80\xae" "b", "a\\u202eb");
  ESCAPE(markup_attr, "a\xe2\x80\xae" "b", "a\\u202eb");
  ESCAPE(markup_prose, "a\xe2\x80\xa8" "b", "a\\u2028b");
  ESCAPE(markup_xml_text, "a\xe2\x80\xa8" "b\xe2\x80\xae", "a&#x2028;b&#x202E;");
  ESCAPE(markup_xml_attr, "\xd8\x9c", "&#x061C;");
  ESCAPE(text_markdown_cell, "x\xe2\x81\xa6y|", "x\\u2066y\\|");
  ESCAPE(console_line, "\xe2\x80\x8f" "abc", "\\u200fabc");
  ESCAPE(console_block, "l1\xe2\x80\xa9l2", "l1\\u2029l2");
}

/* Every character of the blocks that hold them: escaped exactly when it is
 * one of the listed ones, kept as it is otherwise (Arabic text, spaces,
 * joiners, U+202F, U+206A...). */
static void only_reordering_characters_are_escaped(void) {
  static const escaper fs[] = {markup_text, markup_attr, markup_prose, markup_xml_text,
                               markup_xml_attr, text_markdown_cell, console_line};
  static const long ranges[][2] = {{0x0600, 0x06FF}, {0x2000, 0x206F}};
  size_t escaped = 0, wrong = 0;
  for (size_t r = 0; r < 2; r++) {
    for (long cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
      char raw[4], lo[8], up[8];
      size_t n = encode(cp, raw);
      snprintf(lo, sizeof lo, "%04lx", cp);
      snprintf(up, sizeof up, "%04lX", cp);
      for (size_t k = 0; k < sizeof fs / sizeof fs[0]; k++) {
        dynbuf b;
        dynbuf_init(&b, 256);
        fs[k](&b, raw, n);
        const char *out = dynbuf_str(&b);
        int kept = !strcmp(out, raw);
        int shown = !strstr(out, raw) && (strstr(out, lo) || strstr(out, up));
        wrong += reordering(cp) ? !shown : !kept;
        escaped += shown;
        dynbuf_free(&b);
      }
    }
  }
  CHECK_INT(wrong, 0);
  CHECK_INT(escaped, NREORDERING * sizeof fs / sizeof fs[0]);
}

static void cut_never_splits_a_character(void) {
  const char *s = "ab\xe2\x82\xac" "cd"; /* a b € c d */
  CHECK_INT(text_cut(s, 7, 3), 2);
  CHECK_INT(text_cut(s, 7, 4), 2);
  CHECK_INT(text_cut(s, 7, 5), 5);
  CHECK_INT(text_cut(s, 7, 99), 7);
}

static void long_fields_are_cut_with_a_marker(void) {
  size_t n = MCPWIRE_REPORT_FIELD_MAX + 10;
  char *big = malloc(n + 1);
  CHECK(big != NULL);
  if (!big)
    return;
  memset(big, 'x', n);
  big[n] = '\0';
  dynbuf scratch = {0};
  size_t len;
  const char *t = text_field(big, &len, &scratch);
  CHECK(t != big);
  CHECK(len > MCPWIRE_REPORT_FIELD_MAX && len < n + 64);
  CHECK(t && strstr(t + MCPWIRE_REPORT_FIELD_MAX, "[cut: ") != NULL);
  dynbuf_free(&scratch);
  CHECK(text_field("short", &len, &scratch) != NULL && len == 5);
  CHECK(text_field(NULL, &len, &scratch) == NULL && len == 0);
  free(big);
}

/* xorshift: a fixed sequence, so a failure reproduces. */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;
static unsigned rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state >> 32);
}

static int output_is_clean(const char *s, size_t len, int console) {
  for (size_t i = 0; i < len;) {
    long cp;
    i += utf8_next((const unsigned char *)s + i, len - i, &cp);
    if (cp < 0 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
      return 0;
    if (cp < 0x20 && (console || (cp != '\t' && cp != '\n')))
      return 0;
    if (!console && (cp == '<' || cp == '"' || cp == 0xFFFE || cp == 0xFFFF))
      return 0;
    if (reordering(cp))
      return 0;
  }
  return 1;
}

static void random_bytes_always_escape_to_clean_text(void) {
  /* The oracle itself must catch dirt. */
  CHECK(!output_is_clean("<", 1, 0) && !output_is_clean("\x1b", 1, 1) && !output_is_clean("\xff", 1, 0));
  CHECK(!output_is_clean("\xc2\x9b", 2, 1) && output_is_clean("a\tb", 3, 0));
  CHECK(!output_is_clean("\xe2\x80\xae", 3, 0) && !output_is_clean("\xe2\x80\xa8", 3, 1));
  char in[64];
  int dirty = 0;
  for (int round = 0; round < 20000; round++) {
    size_t n = rng() % (sizeof in - 3);
    for (size_t i = 0; i < n; i++) {
      /* Now and then a reordering character among the random bytes. */
      if (rng() % 16 == 0 && i + 3 <= n)
        i += encode(REORDERING[rng() % NREORDERING], in + i) - 1;
      else
        in[i] = (char)(rng() & 0xFF);
    }
    dynbuf a, c;
    dynbuf_init(&a, 4096);
    dynbuf_init(&c, 4096);
    text_markup(&a, in, n, MARKUP_ATTR);
    text_console(&c, in, n, 0, NULL);
    dirty += !output_is_clean(a.ptr ? a.ptr : "", a.len, 0);
    dirty += !output_is_clean(c.ptr ? c.ptr : "", c.len, 1);
    dynbuf_free(&a);
    dynbuf_free(&c);
  }
  CHECK_INT(dirty, 0);
}

int main(void) {
  markup_escapes_entities_and_keeps_cdata_end_out();
  markup_keeps_tab_lf_in_text_and_encodes_them_in_attributes();
  markup_replaces_controls_xml_forbids();
  markup_replaces_invalid_utf8_by_maximal_subpart();
  markdown_cell_escapes_pipes_syntax_and_line_breaks();
  console_never_passes_escape_sequences();
  reordering_characters_are_escaped_visibly_in_each_format();
  only_reordering_characters_are_escaped();
  cut_never_splits_a_character();
  long_fields_are_cut_with_a_marker();
  random_bytes_always_escape_to_clean_text();
  return CHECK_DONE("report_text_test");
}
