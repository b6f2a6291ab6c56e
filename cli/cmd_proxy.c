/* mcpwire proxy: run the fault-injecting proxy alone, in front of a target,
 * until SIGINT or SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_text.h"
#include "cli/exit_codes.h"
#include "proxy/proxy.h"

int cmd_proxy(int argc, char **argv);

static void proxy_usage(FILE *to) {
  fputs("usage: mcpwire proxy --target HOST:PORT [--target HOST:PORT]...\n"
        "                     [--listen HOST:PORT] [--public] [--verbose] [MODE[,MODE...]]...\n"
        "\n"
        "Relays HTTP/1.1 to the target and injects faults into responses. The\n"
        "first line printed is 'listening http://HOST:PORT'; it runs until\n"
        "SIGINT or SIGTERM. It listens on 127.0.0.1 on a free port by default;\n"
        "a non-loopback --listen address needs --public.\n"
        "\n"
        "modes (byte and event counts restart with every response; bytes are\n"
        "response bytes on the wire, head included):\n"
        "  pass                 relay unchanged (the default)\n"
        "  buffer               hold each response until it ends, then send it whole\n"
        "                       (over 16 MiB it is forwarded as-is, with a note)\n"
        "  buffer=N             hold until N bytes are held, then send; repeat\n"
        "  slice[=N[:MS]]       send in N-byte writes (default 1), each flushed on\n"
        "                       its own with a pause of MS ms (default 2) between\n"
        "  latency=MS           delay every forwarded piece by MS ms\n"
        "  cut-bytes=N          close the client connection after N response bytes\n"
        "  cut-events=N         close it right after the N-th complete SSE event\n"
        "  stall=N              after N bytes forward nothing more, keep both open\n"
        "  reset=N              after N bytes reset the client connection (RST)\n"
        "  strip-header=NAME    remove a response header (stripping Content-Length\n"
        "                       or Transfer-Encoding re-frames the body by close)\n"
        "  set-header=NAME:VAL  replace or add a response header\n"
        "  idle-cut=MS          close a connection idle for MS ms in both directions\n"
        "  times=N              cut-bytes, cut-events, stall and reset fire N times\n"
        "                       in all, then responses pass (a reconnect gets through)\n"
        "  balance=round-robin  each request to the next --target in turn (at most 8)\n"
        "  balance=session-hash each request to the --target its session key hashes\n"
        "                       to: Mcp-Session-Id, else the sessionId query parameter;\n"
        "                       a request without one goes round-robin (as nginx's\n"
        "                       hash does). In both, a client connection carries one\n"
        "                       request (responses get Connection: close)\n"
        "\n"
        "exit codes: 0 stopped by SIGINT/SIGTERM; 2 bad command line, target not\n"
        "resolvable, or cannot listen\n"
        "\n"
        "example: mcpwire proxy --target 127.0.0.1:3000 slice=1 cut-events=3\n",
        to);
}

static int parse_args(int argc, char **argv, proxy_config *cfg, int *verbose) {
  char err[256];
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--target") && i + 1 < argc) {
      if (proxy_config_add_target(cfg, argv[++i], err, sizeof err)) {
        cli_fail("proxy", 0, "--target: %s", err);
        return -1;
      }
    } else if (!strcmp(a, "--listen") && i + 1 < argc) {
      if (proxy_parse_hostport(argv[++i], cfg->listen_host, sizeof cfg->listen_host,
                               &cfg->listen_port)) {
        cli_fail("proxy", 0, "%s wants HOST:PORT, got '%s'", a, argv[i]);
        return -1;
      }
    } else if (!strcmp(a, "--public")) {
      cfg->allow_public = 1;
    } else if (!strcmp(a, "--verbose")) {
      *verbose = 1;
    } else if (a[0] == '-') {
      cli_fail("proxy", 0, "unknown option '%s' (try --help)", a);
      return -1;
    } else if (proxy_config_parse(cfg, a, err, sizeof err)) {
      cli_fail("proxy", 0, "%s", err);
      return -1;
    }
  }
  if (!cfg->target_host[0]) {
    fprintf(stderr, "mcpwire proxy: --target HOST:PORT is required\n");
    return -1;
  }
  return 0;
}

int cmd_proxy(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      proxy_usage(stdout);
      return MCPWIRE_EXIT_OK;
    }
  proxy_config cfg;
  int verbose = 0;
  proxy_config_init(&cfg);
  if (parse_args(argc, argv, &cfg, &verbose))
    return MCPWIRE_EXIT_USAGE;
  cfg.log = verbose ? stderr : NULL;
  /* Blocked before the loop thread starts, so only sigwait() sees them. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, NULL);
  char err[256];
  proxy *px = proxy_start(&cfg, err, sizeof err);
  if (!px) {
    fprintf(stderr, "mcpwire proxy: %s\n", err);
    return MCPWIRE_EXIT_USAGE;
  }
  char modes[512];
  proxy_config_describe(&cfg, modes, sizeof modes);
  int v6 = strchr(cfg.listen_host, ':') != NULL;
  printf("listening http://%s%s%s:%d\n", v6 ? "[" : "", cfg.listen_host, v6 ? "]" : "",
         proxy_port(px));
  fflush(stdout);
  fprintf(stderr, "mcpwire proxy: -> %s:%d%s, modes %s\n", cfg.target_host, cfg.target_port,
          cfg.n_more_targets ? " and more targets" : "", modes);
  int sig = 0;
  sigwait(&set, &sig);
  proxy_stats st;
  proxy_get_stats(px, &st);
  proxy_stop(px);
  fprintf(stderr,
          "mcpwire proxy: stopped by signal %d: %llu connections, %llu responses, "
          "%llu cuts, %llu stalls, %llu resets, %llu idle cuts\n",
          sig, (unsigned long long)st.connections, (unsigned long long)st.responses,
          (unsigned long long)st.cuts, (unsigned long long)st.stalls,
          (unsigned long long)st.resets, (unsigned long long)st.idle_cuts);
  return MCPWIRE_EXIT_OK;
}
