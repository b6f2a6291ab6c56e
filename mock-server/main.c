/*
 * main.c: options, the event loop and clean shutdown of mcpwire-mock.
 *
 * The server is one process with one libevent loop; its state lives in the
 * single `the_mock` (a program-wide singleton, like the loop itself).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <event2/event.h>

#include "mcpwire_limits.h"
#include "mock.h"

mock the_mock;

static void usage(FILE *f) {
  fputs(
      "usage: mcpwire-mock [options]\n"
      "A reference MCP server (Streamable HTTP at /mcp, HTTP+SSE at /sse;\n"
      "MCP 2026-07-28, stateless, on /mcp too, see --eras) with named faults.\n\n"
      "  --bind ADDR          address to listen on (default 127.0.0.1)\n"
      "  --port N             port, 0 picks a free one (default 0)\n"
      "  --also-port N        listen on port N too (0: a free one; repeatable, at\n"
      "                       most 8): instances of one deployment that share\n"
      "                       their sessions (instance-local-sessions unshares them)\n"
      "  --responses json|sse reply mode for POSTed requests (default sse)\n"
      "  --session-ttl S      idle session expiry in seconds\n"
      "  --no-get-stream      answer GET /mcp with 405\n"
      "  --heartbeat-ms MS    keep-alive comment interval on idle streams\n"
      "  --read-timeout S     drop clients silent this long\n"
      "  --retry-ms MS        retry: value on 2025-11-25 streams\n"
      "  --slow-step-ms MS    delay between the slow tool's steps\n"
      "  --max-version V      newest session-era revision to negotiate (e.g. 2025-06-18)\n"
      "  --eras dual|modern|legacy\n"
      "                       which protocol eras /mcp serves (default dual): modern is\n"
      "                       2026-07-28 alone (stateless: no initialize, no sessions;\n"
      "                       GET and DELETE 405, /sse 404), legacy the session-era\n"
      "                       revisions alone (initialize, 2024-11-05 to 2025-11-25),\n"
      "                       dual both on one URL: a POST with the 2026-07-28 _meta or\n"
      "                       headers is served statelessly, initialize opens a session\n"
      "  --ask-timeout-ms MS  wait for a client's answer to a server request\n"
      "  --bearer TOKEN       require 'Authorization: Bearer TOKEN' on every\n"
      "                       request (401 with a WWW-Authenticate challenge)\n"
      "  --poll-close         2025-11-25 POST streams end after the priming event;\n"
      "                       clients fetch the rest with GET + Last-Event-ID\n"
      "  --max-connections N  connections served at once (default and ceiling\n"
      "                       MCPWIRE_MOCK_CONNECTIONS_MAX)\n"
      "  --max-sessions N     sessions kept at once (default and ceiling\n"
      "                       MCPWIRE_MOCK_SESSIONS_MAX); a new one past it ends\n"
      "                       the session idle longest (no connection, no call)\n"
      "  --tools-page-size N  tools/list answers N tools per page with a nextCursor\n"
      "                       (default: all in one page)\n"
      "  --busy-resumes N     every Nth GET with Last-Event-ID is answered 503\n"
      "                       Service Unavailable with Retry-After: 0, as a busy\n"
      "                       server may (clients try again)\n"
      "  --stdio              serve the stdio transport instead of HTTP: one\n"
      "                       JSON-RPC message per line on stdin and stdout, logs on\n"
      "                       stderr, exit when stdin closes; --eras as over HTTP:\n"
      "                       a line carrying the 2026-07-28 _meta (or asking\n"
      "                       server/discover) is served statelessly, initialize\n"
      "                       opens the process's session\n"
      "  --fault NAME         turn a fault on (repeatable; stdio-* with --stdio)\n"
      "  --wire VARIANT       valid unusual SSE framing, or stdio-crlf (repeatable)\n"
      "  --list-faults        print every fault: name, ids, description\n"
      "  --list-wires         print every wire variant\n"
      "  --help               this text\n\n"
      "Over HTTP, the first line on stdout is `listening http://HOST:PORT`, then one\n"
      "such line per --also-port, in order.\n",
      f);
}

static void options_defaults(mock_options *o) {
  memset(o, 0, sizeof *o);
  o->bind = "127.0.0.1";
  o->session_ttl_s = MCPWIRE_MOCK_SESSION_TTL_S;
  o->heartbeat_ms = MCPWIRE_MOCK_HEARTBEAT_MS;
  o->read_timeout_s = MCPWIRE_MOCK_READ_TIMEOUT_S;
  o->retry_ms = MCPWIRE_MOCK_RETRY_MS;
  o->slow_step_ms = MCPWIRE_MOCK_SLOW_STEP_MS;
  o->max_connections = MCPWIRE_MOCK_CONNECTIONS_MAX;
  o->max_sessions = MCPWIRE_MOCK_SESSIONS_MAX;
  o->ask_timeout_ms = MCPWIRE_MOCK_ASK_TIMEOUT_MS;
}

/* A bounded decimal option; -1 when it is not one. */
static long parse_num(const char *s, long lo, long hi) {
  char *end;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < lo || v > hi)
    return -1;
  return v;
}

enum { O_BIND = 256, O_PORT, O_ALSO, O_RESP, O_TTL, O_NOGET, O_HB, O_RTO, O_RETRY,
       O_SLOW, O_MAXV, O_ERAS, O_MAXC, O_MAXS, O_POLL, O_ASK, O_BEARER, O_PAGE, O_BUSY, O_STDIO, O_FAULT, O_WIRE, O_LISTF, O_LISTW, O_HELP };

static const struct option long_opts[] = {
    {"bind", required_argument, 0, O_BIND},
    {"port", required_argument, 0, O_PORT},
    {"also-port", required_argument, 0, O_ALSO},
    {"responses", required_argument, 0, O_RESP},
    {"session-ttl", required_argument, 0, O_TTL},
    {"no-get-stream", no_argument, 0, O_NOGET},
    {"heartbeat-ms", required_argument, 0, O_HB},
    {"read-timeout", required_argument, 0, O_RTO},
    {"retry-ms", required_argument, 0, O_RETRY},
    {"slow-step-ms", required_argument, 0, O_SLOW},
    {"max-version", required_argument, 0, O_MAXV},
    {"eras", required_argument, 0, O_ERAS},
    {"max-connections", required_argument, 0, O_MAXC},
    {"max-sessions", required_argument, 0, O_MAXS},
    {"poll-close", no_argument, 0, O_POLL},
    {"ask-timeout-ms", required_argument, 0, O_ASK},
    {"bearer", required_argument, 0, O_BEARER},
    {"tools-page-size", required_argument, 0, O_PAGE},
    {"busy-resumes", required_argument, 0, O_BUSY},
    {"stdio", no_argument, 0, O_STDIO},
    {"fault", required_argument, 0, O_FAULT},
    {"wire", required_argument, 0, O_WIRE},
    {"list-faults", no_argument, 0, O_LISTF},
    {"list-wires", no_argument, 0, O_LISTW},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0}};

/* Sets one numeric option; 0 when the value is out of range. */
static int set_num(int *dst, const char *arg, long lo, long hi) {
  long v = parse_num(arg, lo, hi);
  if (v < 0)
    return 0;
  *dst = (int)v;
  return 1;
}

/* 0 to run, 1 to exit 0 (help, lists), 2 on a usage error. */
static int options_parse(mock_options *o, int argc, char **argv) {
  int c, i;
  while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
    switch (c) {
    case O_BIND: o->bind = optarg; break;
    case O_PORT: if (!set_num(&o->port, optarg, 0, 65535)) return 2; break;
    case O_ALSO:
      if (o->nextra_ports >= MCPWIRE_MOCK_EXTRA_PORTS_MAX ||
          !set_num(&o->extra_ports[o->nextra_ports++], optarg, 0, 65535)) return 2;
      break;
    case O_RESP:
      if (strcmp(optarg, "json") && strcmp(optarg, "sse")) return 2;
      o->responses_json = !strcmp(optarg, "json");
      break;
    case O_TTL: if (!set_num(&o->session_ttl_s, optarg, 1, 86400 * 30)) return 2; break;
    case O_NOGET: o->no_get_stream = 1; break;
    case O_HB: if (!set_num(&o->heartbeat_ms, optarg, 1, 3600000)) return 2; break;
    case O_RTO: if (!set_num(&o->read_timeout_s, optarg, 1, 86400)) return 2; break;
    case O_RETRY: if (!set_num(&o->retry_ms, optarg, 0, 3600000)) return 2; break;
    case O_SLOW: if (!set_num(&o->slow_step_ms, optarg, 0, 60000)) return 2; break;
    case O_MAXV: o->max_version = optarg; break;
    case O_ERAS:
      if (!strcmp(optarg, "dual")) o->eras = ERAS_DUAL;
      else if (!strcmp(optarg, "modern")) o->eras = ERAS_MODERN;
      else if (!strcmp(optarg, "legacy")) o->eras = ERAS_LEGACY;
      else return 2;
      break;
    case O_POLL: o->poll_close = 1; break;
    case O_BEARER:
      if (!*optarg || strlen(optarg) > MCPWIRE_MOCK_BEARER_MAX) return 2;
      o->bearer = optarg;
      break;
    case O_PAGE: if (!set_num(&o->tools_page_size, optarg, 1, 1000)) return 2; break;
    case O_BUSY: if (!set_num(&o->busy_resumes, optarg, 1, 1000000)) return 2; break;
    case O_ASK: if (!set_num(&o->ask_timeout_ms, optarg, 1, 3600000)) return 2; break;
    case O_MAXC:
      if (!set_num(&o->max_connections, optarg, 1, MCPWIRE_MOCK_CONNECTIONS_MAX)) return 2;
      break;
    case O_MAXS:
      if (!set_num(&o->max_sessions, optarg, 1, MCPWIRE_MOCK_SESSIONS_MAX)) return 2;
      break;
    case O_STDIO: o->stdio = 1; break;
    case O_FAULT:
      if ((i = fault_find(optarg)) < 0) {
        fprintf(stderr, "mcpwire-mock: unknown fault %s (see --list-faults)\n", optarg);
        return 2;
      }
      o->faults[i] = 1;
      break;
    case O_WIRE:
      if ((i = wire_find(optarg)) < 0) {
        fprintf(stderr, "mcpwire-mock: unknown wire variant %s (see --list-wires)\n", optarg);
        return 2;
      }
      o->wires[i] = 1;
      break;
    case O_LISTF: fault_print_list(); return 1;
    case O_LISTW: wire_print_list(); return 1;
    case O_HELP: usage(stdout); return 1;
    default: return 2;
    }
  }
  if (o->max_version && !version_valid_max(o->max_version))
    return 2;
  /* these break what only a 2026-07-28-only server must do: they imply it */
  if (o->faults[FAULT_S26_GET_200] || o->faults[FAULT_S26_DELETE_200] ||
      o->faults[FAULT_S26_INITIALIZE_ACCEPTED])
    o->eras = ERAS_MODERN;
  return optind == argc ? 0 : 2;
}

/* Enough descriptors for the connection cap, when the hard limit allows. */
static void raise_fd_limit(void) {
  struct rlimit rl;
  rlim_t want = MCPWIRE_MOCK_CONNECTIONS_MAX + 256;
  if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= want)
    return;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
}

/* The loop; --stdio avoids epoll, which refuses regular files and
 * /dev/null as stdin (poll takes them). */
static struct event_base *new_base(int stdio) {
  struct event_config *cfg = stdio ? event_config_new() : NULL;
  if (!cfg)
    return event_base_new();
  event_config_avoid_method(cfg, "epoll");
  struct event_base *b = event_base_new_with_config(cfg);
  event_config_free(cfg);
  return b;
}

static void on_signal(evutil_socket_t sig, short what, void *arg) {
  (void)sig; (void)what; (void)arg;
  event_base_loopbreak(the_mock.base);
}

/* Runs the loop until SIGINT/SIGTERM; 0 on a clean stop. */
static int run(void) {
  struct event *sigint = evsignal_new(the_mock.base, SIGINT, on_signal, NULL);
  struct event *sigterm = evsignal_new(the_mock.base, SIGTERM, on_signal, NULL);
  int rc = 4;
  /* Signals first: the `listening` line http_start prints lets a test send
   * SIGTERM at once, which must end the loop, not the process. */
  if (sigint && sigterm && !evsignal_add(sigint, NULL) && !evsignal_add(sigterm, NULL) &&
      (the_mock.opt.stdio ? !stdio_start() : !http_start() && !session_sweep_start()))
    rc = event_base_dispatch(the_mock.base) < 0 ? 4 : 0;
  session_destroy_all();
  if (the_mock.opt.stdio)
    stdio_stop();
  else
    http_stop();
  if (the_mock.sweep)
    event_free(the_mock.sweep);
  if (sigint)
    event_free(sigint);
  if (sigterm)
    event_free(sigterm);
  return rc;
}

int main(int argc, char **argv) {
  options_defaults(&the_mock.opt);
  int rc = options_parse(&the_mock.opt, argc, argv);
  if (rc == 1)
    return 0;
  if (rc == 2) {
    usage(stderr);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN); /* a client that hangs up must not kill us */
  raise_fd_limit();
  the_mock.base = new_base(the_mock.opt.stdio);
  if (!the_mock.base)
    return 4;
  rc = run();
  event_base_free(the_mock.base);
  libevent_global_shutdown();
  return rc;
}
