#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/cli_text.h"
#include "cli/exit_codes.h"

static void parse_usage(FILE *to) {
  fputs("usage: mcpwire parse sse [FILE|-]\n"
        "       mcpwire parse jsonrpc [FILE|-]\n"
        "\n"
        "Decodes bytes with mcpwire's reference codecs and prints JSON lines.\n"
        "  sse      one object per dispatched event {\"type\",\"data\",\"lastEventId\"}\n"
        "           and per accepted retry field {\"retry\":N}; errors as\n"
        "           {\"error\":...} with exit 1 (WHATWG HTML server-sent events)\n"
        "  jsonrpc  {\"json\":bool,\"kind\":...,\"errors\":[...]}; exit 0 when the\n"
        "           bytes are one valid JSON-RPC 2.0 / MCP message (or batch)\n"
        "FILE defaults to standard input. Exit 2 when FILE cannot be read.\n",
        to);
}

int cmd_parse(int argc, char **argv) {
  if (argc < 2) {
    parse_usage(stderr);
    return MCPWIRE_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    parse_usage(stdout);
    return MCPWIRE_EXIT_OK;
  }
  if (!strcmp(argv[1], "sse"))
    return cmd_parse_sse(argc - 1, argv + 1);
  if (!strcmp(argv[1], "jsonrpc"))
    return cmd_parse_jsonrpc(argc - 1, argv + 1);
  return cli_fail("parse", MCPWIRE_EXIT_USAGE, "unknown format '%s' (expected sse or jsonrpc)",
                  argv[1]);
}
