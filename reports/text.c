/* text: escaping bytes received from a target for each output format. */
#include <string.h>

#include "codec/utf8.h"
#include "mcpwire_limits.h"
#include "reports/report_private.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* U+2400 + c: a visible stand-in for a C0 control; U+2421 for DEL. */
static int add_control_picture(dynbuf *out, unsigned c) {
  unsigned cp = c == 0x7F ? 0x2421 : 0x2400 + c;
  char b[3] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
               (char)(0x80 | (cp & 0x3F))};
  return dynbuf_add(out, b, 3);
}

/* Characters that reorder or break the text around them where people read
 * it: the bidirectional controls (ALM, LRM, RLM, LRE..RLO, LRI..PDI) and
 * the line and paragraph separators. Never written raw outside JSON. */
static int reorders_text(long cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

static int markup_is_attr(int mode) { return mode == MARKUP_ATTR || mode == MARKUP_XML_ATTR; }

/* A reordering character: a character reference in XML (JUnit, where a
 * parser restores it), the visible text \u202e in HTML and Markdown. At
 * most 4 bytes out per byte in, within the 6 the staging buffer allows. */
static int add_reordering(dynbuf *out, long cp, int mode) {
  if (mode == MARKUP_XML_TEXT || mode == MARKUP_XML_ATTR)
    return dynbuf_printf(out, "&#x%04lX;", cp);
  return dynbuf_printf(out, "\\u%04lx", cp);
}

static const char *markup_entity(long cp, int mode) {
  switch (cp) {
  case '&': return "&amp;";
  case '<': return "&lt;";
  case '>': return "&gt;"; /* also keeps "]]>" out of content */
  case '"': return mode == MARKUP_PROSE ? NULL : "&quot;";
  case '\'': return mode == MARKUP_PROSE ? NULL : "&#39;";
  case '\r': return "&#13;"; /* parsers would fold CR LF into LF */
  case '\t': return markup_is_attr(mode) ? "&#9;" : NULL;
  case '\n': return markup_is_attr(mode) ? "&#10;" : NULL;
  default: return NULL;
  }
}

/* Bytes that need no attention: printable ASCII without markup. */
static int markup_plain(unsigned char c) {
  return c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"' &&
         c != '\'';
}

int text_markup(dynbuf *out, const char *s, size_t len, int mode) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  int rc = DYNBUF_OK;
  while (rc == DYNBUF_OK && i < len) {
    size_t run = i;
    while (run < len && markup_plain(p[run]))
      run++;
    if (run > i) {
      rc = dynbuf_add(out, p + i, run - i);
      i = run;
      continue;
    }
    long cp;
    size_t n = utf8_next(p + i, len - i, &cp);
    const char *entity = markup_entity(cp, mode);
    if (entity)
      rc = dynbuf_adds(out, entity);
    else if (cp == '\t' || cp == '\n' || cp == '"' || cp == '\'')
      rc = dynbuf_addc(out, (char)cp);
    else if ((cp >= 0 && cp < 0x20) || cp == 0x7F)
      rc = add_control_picture(out, (unsigned)cp);
    else if (cp < 0 || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF)
      rc = dynbuf_adds(out, REPLACEMENT);
    else if (reorders_text(cp))
      rc = add_reordering(out, cp, mode);
    else
      rc = dynbuf_add(out, p + i, n);
    i += n;
  }
  return rc;
}

int text_markdown_cell(dynbuf *out, const char *s, size_t len) {
  size_t i = 0, start = 0;
  int rc = DYNBUF_OK;
  for (; rc == DYNBUF_OK && i < len; i++) {
    const char *esc = NULL;
    size_t skip = 1;
    switch (s[i]) {
    case '|': esc = "\\|"; break; /* GFM splits cells on any unescaped pipe */
    case '\\': esc = "\\\\"; break;
    case '*': esc = "\\*"; break;
    case '_': esc = "\\_"; break;
    case '`': esc = "\\`"; break;
    case '[': esc = "\\["; break;
    case ']': esc = "\\]"; break;
    case '~': esc = "\\~"; break;
    case '\n': esc = "<br>"; break;
    case '\r':
      esc = "<br>";
      if (i + 1 < len && s[i + 1] == '\n')
        skip = 2;
      break;
    default: continue;
    }
    rc = text_markup(out, s + start, i - start, MARKUP_PROSE);
    if (rc == DYNBUF_OK)
      rc = dynbuf_adds(out, esc);
    i += skip - 1;
    start = i + 1;
  }
  if (rc == DYNBUF_OK && start < len)
    rc = text_markup(out, s + start, len - start, MARKUP_PROSE);
  return rc;
}

static int console_control(dynbuf *out, long cp, int multiline, const char *indent) {
  if (cp == '\n' && multiline)
    return dynbuf_printf(out, "\n%s", indent ? indent : "");
  switch (cp) {
  case '\n': return dynbuf_adds(out, "\\n");
  case '\r': return dynbuf_adds(out, "\\r");
  case '\t': return dynbuf_adds(out, multiline ? "\t" : "\\t");
  default:
    return cp < 0x80 ? dynbuf_printf(out, "\\x%02lx", cp) : dynbuf_printf(out, "\\u%04lx", cp);
  }
}

int text_console(dynbuf *out, const char *s, size_t len, int multiline, const char *indent) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  int rc = DYNBUF_OK;
  while (rc == DYNBUF_OK && i < len) {
    size_t run = i;
    while (run < len && p[run] >= 0x20 && p[run] < 0x7F)
      run++;
    if (run > i) {
      rc = dynbuf_add(out, p + i, run - i);
      i = run;
      continue;
    }
    long cp;
    size_t n = utf8_next(p + i, len - i, &cp);
    if (cp < 0)
      rc = dynbuf_adds(out, REPLACEMENT);
    else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || reorders_text(cp))
      rc = console_control(out, cp, multiline, indent);
    else
      rc = dynbuf_add(out, p + i, n);
    i += n;
  }
  return rc;
}

const char *text_field(const char *s, size_t *len, dynbuf *scratch) {
  size_t n = s ? strlen(s) : 0;
  *len = n;
  if (n <= MCPWIRE_REPORT_FIELD_MAX)
    return s;
  dynbuf_init(scratch, MCPWIRE_REPORT_FIELD_MAX + 64);
  if (dynbuf_add(scratch, s, MCPWIRE_REPORT_FIELD_MAX) ||
      dynbuf_printf(scratch, " [cut: %zu bytes in all]", n)) {
    *len = MCPWIRE_REPORT_FIELD_MAX; /* out of memory: the head alone */
    return s;
  }
  *len = scratch->len;
  return scratch->ptr;
}

size_t text_cut(const char *s, size_t len, size_t max) {
  if (len <= max)
    return len;
  size_t n = max;
  /* Back off over continuation bytes, at most three. */
  for (int i = 0; i < 3 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; i++)
    n--;
  return n;
}
