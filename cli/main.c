/* mcpwire: conformance tests and fuzzing for MCP transports. */
#include <stdio.h>
#include <string.h>

#include "cli/cli_text.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "engine/case.h"
#include "engine/profile.h"

/* The proxy command is linked in when its source is part of the tree. */
#if __has_include("cli/cmd_proxy.c")
#define HAVE_PROXY 1
#else
#define HAVE_PROXY 0
#endif

#ifndef MCPWIRE_VERSION
#define MCPWIRE_VERSION "0.0.0"
#endif

static void usage(FILE *to) {
  fputs("usage: mcpwire <command> [options]\n"
        "\n"
        "commands:\n"
        "  run --url URL [options]      run the conformance cases against a server\n"
        "  client --command CMD [options]\n"
        "                               test an MCP client: serve it scenarios\n"
        "  list [--format text|json]    list the cases\n"
        "  list --side client [--format text|json]\n"
        "                               list the client scenarios\n"
        "  list --coverage [--format text|json|markdown]\n"
        "                               requirement ids and the cases that check them\n"
        "  parse sse|jsonrpc [FILE|-]   decode bytes with the reference codecs\n"
#if HAVE_PROXY
        "  proxy [options]              the fault proxy between a client and a target\n"
#endif
        "\n"
        "  --version                    the version and the spec revisions known\n"
        "\n"
        "Run 'mcpwire <command> --help' for a command's options.\n"
        "exit codes: 0 ok, 1 failures, 2 usage error, 3 target unreachable,\n"
        "            4 internal error\n",
        to);
}

/* The version, then the spec revisions with cases (oldest first) and the
 * stateless one marked. The first line alone is the tool and its version. */
static void version(void) {
  printf("mcpwire %s\n", MCPWIRE_VERSION);
  size_t n = 0;
  while (revision_names[n])
    n++;
  fputs("spec revisions tested:", stdout);
  for (size_t i = n; i-- > 0;)
    printf(" %s%s", revision_names[i],
           revision_is_stateless(revision_names[i]) ? " (stateless HTTP)" : "");
  putchar('\n');
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return MCPWIRE_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    usage(stdout);
    return MCPWIRE_EXIT_OK;
  }
  if (!strcmp(cmd, "--version")) {
    version();
    return MCPWIRE_EXIT_OK;
  }
  if (!strcmp(cmd, "run"))
    return cmd_run(argc - 1, argv + 1);
  if (!strcmp(cmd, "client"))
    return cmd_client(argc - 1, argv + 1);
  if (!strcmp(cmd, "list"))
    return cmd_list(argc - 1, argv + 1);
#if HAVE_PROXY
  if (!strcmp(cmd, "proxy"))
    return cmd_proxy(argc - 1, argv + 1);
#endif
  if (!strcmp(cmd, "parse"))
    return cmd_parse(argc - 1, argv + 1);
  fputs("mcpwire: unknown command '", stderr);
  cli_put_visible(stderr, cmd);
  fputs("' (try 'mcpwire --help')\n", stderr);
  return MCPWIRE_EXIT_USAGE;
}
