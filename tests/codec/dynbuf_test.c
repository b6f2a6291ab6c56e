#include "check.h"
#include "codec/dynbuf.h"

#include <stdlib.h>

static void dynbuf_refuses_to_pass_its_cap(void) {
  dynbuf b;
  dynbuf_init(&b, 8);
  CHECK_INT(dynbuf_adds(&b, "12345678"), DYNBUF_OK);
  CHECK_INT(dynbuf_addc(&b, '9'), DYNBUF_TOO_BIG);
  CHECK_STR(dynbuf_str(&b), "12345678"); /* unchanged by the failed append */
  dynbuf_reset(&b);
  CHECK_INT(b.len, 0);
  CHECK_STR(dynbuf_str(&b), "");
  CHECK_INT(dynbuf_printf(&b, "%d-%s", 42, "ab"), DYNBUF_OK);
  CHECK_STR(dynbuf_str(&b), "42-ab");
  CHECK_INT(dynbuf_printf(&b, "%s", "toolong"), DYNBUF_TOO_BIG);
  dynbuf_free(&b);
}

static void dynbuf_grows_and_hands_over(void) {
  dynbuf b;
  dynbuf_init(&b, 1u << 20);
  CHECK_STR(dynbuf_str(&b), "");
  for (int i = 0; i < 10000; i++)
    CHECK_INT(dynbuf_addc(&b, (char)('a' + i % 26)), DYNBUF_OK);
  CHECK_INT(b.len, 10000);
  CHECK(b.cap > b.len);
  char *p = dynbuf_take(&b);
  CHECK(p && p[0] == 'a' && p[10000] == '\0');
  CHECK_INT(b.len, 0);
  free(p);
  dynbuf_free(&b);
}

int main(void) {
  dynbuf_refuses_to_pass_its_cap();
  dynbuf_grows_and_hands_over();
  return CHECK_DONE("dynbuf_test");
}
