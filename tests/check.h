/* check.h: the few assertions mcpwire's C tests need. A failed check prints
 * file:line and what differed, and the test's exit status counts failures. */
#ifndef MCPWIRE_CHECK_H
#define MCPWIRE_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,     \
              #cond);                                                      \
      check_failures++;                                                    \
    }                                                                      \
  } while (0)

#define CHECK_INT(got, want)                                               \
  do {                                                                     \
    long long g_ = (long long)(got), w_ = (long long)(want);               \
    if (g_ != w_) {                                                        \
      fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__,      \
              __LINE__, #got, g_, w_);                                     \
      check_failures++;                                                    \
    }                                                                      \
  } while (0)

#define CHECK_STR(got, want)                                               \
  do {                                                                     \
    const char *g_ = (got), *w_ = (want);                                  \
    if (!g_ || !w_ || strcmp(g_, w_)) {                                    \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__,  \
              __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");     \
      check_failures++;                                                    \
    }                                                                      \
  } while (0)

/* Returns the process exit status and prints a one-line summary. */
#define CHECK_DONE(name)                                                   \
  (fprintf(stderr, "%s: %s (%d failed checks)\n", (name),                  \
           check_failures ? "FAILED" : "ok", check_failures),              \
   check_failures ? 1 : 0)

#endif
