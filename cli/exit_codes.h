/* Exit codes of the mcpwire CLI (documented in README and --help). */
#ifndef MCPWIRE_EXIT_CODES_H
#define MCPWIRE_EXIT_CODES_H

enum {
  MCPWIRE_EXIT_OK = 0,          /* no failure */
  MCPWIRE_EXIT_FAIL = 1,        /* a case failed (or parse: input invalid) */
  MCPWIRE_EXIT_USAGE = 2,       /* bad command line or unreadable input file */
  MCPWIRE_EXIT_UNREACHABLE = 3, /* the target could not be reached */
  MCPWIRE_EXIT_INTERNAL = 4     /* a harness fault */
};

#endif
