/* A test-only stand-in for `mcpwire` that knows one command, until main.c
 * dispatches `mcpwire proxy` itself: proxy_cli_main proxy ARGS... */
#include <stdio.h>
#include <string.h>

int cmd_proxy(int argc, char **argv);

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "proxy")) {
    fprintf(stderr, "usage: %s proxy [options]\n", argv[0]);
    return 2;
  }
  return cmd_proxy(argc - 1, argv + 1);
}
