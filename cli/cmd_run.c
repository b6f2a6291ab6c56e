/* mcpwire run: drive a target through the selected cases. */
#include <curl/curl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cases/cases.h"
#include "cli/commands.h"
#include "cli/cli_text.h"
#include "cli/exit_codes.h"
#include "cli/report_output.h"
#include "codec/endpoint_url.h"
#include "engine/profile.h"
#include "engine/runner.h"
#include "engine/select.h"
#include "mcpwire_limits.h"
#include "proxy/proxy.h"
#include "transport/session_ledger.h"
#include "transport/stdio_process.h"

#if __has_include("reports/report.h")
#include "reports/report.h"
#define HAVE_REPORTS 1
#else
#define HAVE_REPORTS 0
#endif

#ifndef MCPWIRE_VERSION
#define MCPWIRE_VERSION "0.0.0"
#endif

typedef struct run_options {
  const char *url, *transport, *spec, *baseline;
  const char *command, *cwd;   /* --command, --cwd: a server launched for stdio */
  char *env[MCPWIRE_STDIO_ENV_MAX + 1]; /* --env NAME=value, NULL-terminated */
  size_t nenv;
  stdio_spawn spawn;           /* built from the three above */
  report_paths reports;        /* --json, --junit, --html, --markdown */
  const char *proxy_modes;     /* --proxy: run through the in-process fault proxy */
  const char *globs[MCPWIRE_CASES_MAX];
  size_t nglobs;
  int strict;
  int quick;                   /* --quick: watches over MCPWIRE_QUICK_WATCH_MAX_MS left out */
  long timeout_ms;
  long jobs;
  const char *allow_origins[MCPWIRE_ALLOWED_ORIGINS_MAX]; /* --allow-origin */
  size_t nallow_origins;
  const char *instances[MCPWIRE_INSTANCES_MAX]; /* --instance */
  size_t ninstances;
  transport_options topt;
  fixture_map fixtures;        /* --fixture ROLE=TOOL [ARGS], --fixtures FILE */
  int has_fixtures;
} run_options;

/* A limit's value as text in a string literal. */
#define LIMIT_TEXT_(x) #x
#define LIMIT_TEXT(x) LIMIT_TEXT_(x)

static void run_usage(FILE *to) {
  fputs("usage: mcpwire run --url URL [options]\n"
        "       mcpwire run --command 'CMD ARGS' [--cwd DIR] [--env NAME=value]... [options]\n"
        "\n"
        "Runs the conformance cases against an MCP server and reports verdicts.\n"
        "  --url URL              the MCP endpoint (Streamable HTTP) or SSE URL (legacy)\n"
        "  --command 'CMD ARGS'   a server speaking stdio, run by /bin/sh -c: each case\n"
        "                         launches its own process (a process group), speaks\n"
        "                         one JSON-RPC message per line, keeps stderr as logs,\n"
        "                         and ends it by closing stdin, then SIGTERM, then\n"
        "                         SIGKILL (the step that ended it is in the transcript)\n"
        "  --cwd DIR              the server's working directory (with --command)\n"
        "  --env NAME=value       set in the server's environment (repeatable; values\n"
        "                         are secrets: never written to a report)\n"
        "  --transport auto|sse|http|stdio (default auto: probe Streamable HTTP, then\n"
        "                         SSE; stdio with --command)\n"
        "  --spec auto|2024-11-05|2025-03-26|2025-06-18|2025-11-25|2026-07-28\n"
        "                         (default auto: server/discover for the stateless\n"
        "                         2026-07-28, initialize for the session era; a server\n"
        "                         of both eras gets both eras' cases, each result\n"
        "                         labelled with its revision; --spec picks one era)\n"
        "  --case GLOB            run cases whose id matches (repeatable; a section\n"
        "                         name such as http/session selects all its cases;\n"
        "                         run/jsonrpc-envelope, which judges the envelope of\n"
        "                         every message of the run, always comes along)\n"
        "  --strict               warnings fail the run\n"
        "  --quick                leave out the cases that watch longer than half a\n"
        "                         second (keep-alive intervals, silences, idle GET\n"
        "                         streams: each skips and says so) and the\n"
        "                         every-offset sweep, and shorten the progress\n"
        "                         fixture's calls where their length does not matter\n"
        "  --baseline FILE        expected failures, one case id per line (# comments)\n"
        "  --json FILE  --junit FILE  --html FILE  --markdown FILE   reports ('-' stdout)\n"
        "  --header 'Name: value' extra request header (repeatable); sent only to the\n"
        "                         target's origin, and never written to a report: values\n"
        "                         show as '*** (N bytes, fp XXXXXX)', echoes as '***'\n"
        "  --allow-origin ORIGIN  let requests go to this origin too (a legacy endpoint\n"
        "                         on another host), without the --header values;\n"
        "                         otherwise nothing leaves the target's origin (repeatable)\n"
        "  --instance URL         another instance of the same deployment as --url (same\n"
        "                         path; repeatable, at most " LIMIT_TEXT(MCPWIRE_INSTANCES_MAX) "): the lb/instances\n"
        "                         cases use a session on each, and lb/affinity says in\n"
        "                         one line whether the deployment needs sticky sessions\n"
        "                         and on which key. Its origin is trusted like --url's\n"
        "                         (the --header values go there too)\n"
        "  --timeout-ms N         deadline of one step (default 5000; a case gets 4x)\n"
        "  --jobs N               cases at once (default " LIMIT_TEXT(MCPWIRE_CASES_IN_FLIGHT)
        ", at most " LIMIT_TEXT(MCPWIRE_CASES_IN_FLIGHT_MAX) ";\n"
        "                         1 runs them one after the other)\n"
        "  --fixture 'ROLE=TOOL [JSON args]'  the target's tool that plays a fixture role\n"
        "                         (progress, ask_client, list_changed, echo; for\n"
        "                         2026-07-28 also needs_capability, input_required,\n"
        "                         request_state, logging, cancel_count; repeatable;\n"
        "                         in echo args \"$TEXT\" stands for the text).\n"
        "                         Unmapped roles are looked up in tools/list\n"
        "                         (see 'mcpwire list')\n"
        "  --fixtures FILE        one --fixture value per line (# comments)\n"
        "  --cacert FILE          CA bundle for https targets\n"
        "  --insecure             do not verify TLS certificates\n"
        "  --proxy MODE[,MODE...] run through the built-in fault proxy in those modes\n"
        "                         (buffer, buffer=N, slice=N, latency=MS, cut-bytes=N,\n"
        "                         ...: see 'mcpwire proxy --help'); http:// targets only.\n"
        "                         balance=round-robin|session-hash spreads the requests\n"
        "                         over --url and each --instance, like a load balancer\n"
        "exit: 0 no failure, 1 failures, 2 usage error, 3 target unreachable or\n"
        "      not testable (no MCP transport answered, only a stateless revision\n"
        "      after 2026-07-28, or a session-era --spec at a 2026-07-28-only\n"
        "      server), 4 internal error\n",
        to);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...) {
  char msg[MCPWIRE_CLI_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return cli_fail("run", MCPWIRE_EXIT_USAGE, "%s (try 'mcpwire run --help')", msg);
}

static int one_of(const char *v, const char *const *allowed) {
  for (size_t i = 0; allowed[i]; i++)
    if (!strcmp(v, allowed[i]))
      return 1;
  return 0;
}

/* An absolute http:// or https:// URL (one with an origin). */
static int check_url(const char *url) {
  char origin[ENDPOINT_URL_ORIGIN_MAX];
  return !endpoint_url_origin(url, origin);
}

static int check_header(const char *h) {
  const char *colon = strchr(h, ':');
  if (!colon || colon == h || strpbrk(h, "\r\n"))
    return 0;
  for (const char *p = h; p < colon; p++)
    if (*p <= ' ' || *p >= 0x7f)
      return 0;
  return 1;
}

static int header_error(const char *h) {
  fputs("mcpwire run: --header '", stderr);
  cli_put_visible(stderr, h);
  fprintf(stderr, "' is not 'Name: value'%s (try 'mcpwire run --help')\n",
          strpbrk(h, "\r\n") ? " on one line" : "");
  return MCPWIRE_EXIT_USAGE;
}

enum { O_URL = 256, O_TRANSPORT, O_SPEC, O_CASE, O_STRICT, O_BASELINE, O_JSON, O_JUNIT,
       O_HTML, O_MARKDOWN, O_HEADER, O_TIMEOUT, O_CACERT, O_INSECURE, O_PROXY, O_JOBS, O_ALLOW_ORIGIN, O_QUICK, O_HELP,
       O_FIXTURE, O_FIXTURES, O_COMMAND, O_CWD, O_ENV, O_INSTANCE };

/* A decimal number in [lo, hi]; 0 on success, -1 when it is not one. */
static int parse_bounded(const char *s, long lo, long hi, long *out) {
  char *end = NULL;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

/* Returns -1 to continue, else an exit code. */
static int parse_options(int argc, char **argv, run_options *o) {
  static const struct option longs[] = {
      {"url", required_argument, 0, O_URL}, {"transport", required_argument, 0, O_TRANSPORT},
      {"spec", required_argument, 0, O_SPEC}, {"case", required_argument, 0, O_CASE},
      {"strict", no_argument, 0, O_STRICT}, {"baseline", required_argument, 0, O_BASELINE},
      {"json", required_argument, 0, O_JSON}, {"junit", required_argument, 0, O_JUNIT},
      {"html", required_argument, 0, O_HTML}, {"markdown", required_argument, 0, O_MARKDOWN},
      {"header", required_argument, 0, O_HEADER}, {"timeout-ms", required_argument, 0, O_TIMEOUT},
      {"cacert", required_argument, 0, O_CACERT}, {"insecure", no_argument, 0, O_INSECURE},
      {"proxy", required_argument, 0, O_PROXY}, {"jobs", required_argument, 0, O_JOBS},
      {"allow-origin", required_argument, 0, O_ALLOW_ORIGIN}, {"quick", no_argument, 0, O_QUICK},
      {"help", no_argument, 0, O_HELP}, {"fixture", required_argument, 0, O_FIXTURE},
      {"fixtures", required_argument, 0, O_FIXTURES}, {"command", required_argument, 0, O_COMMAND},
      {"cwd", required_argument, 0, O_CWD}, {"env", required_argument, 0, O_ENV},
      {"instance", required_argument, 0, O_INSTANCE}, {0, 0, 0, 0}};
  opterr = 0;
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
    switch (c) {
    case O_URL: o->url = optarg; break;
    case O_COMMAND: o->command = optarg; break;
    case O_CWD: o->cwd = optarg; break;
    case O_ENV:
      if (!strchr(optarg, '=') || *optarg == '=')
        return usage_error("--env '%s' is not NAME=value", optarg);
      if (o->nenv >= MCPWIRE_STDIO_ENV_MAX)
        return usage_error("more than MCPWIRE_STDIO_ENV_MAX --env options");
      o->env[o->nenv++] = optarg;
      break;
    case O_TRANSPORT: o->transport = optarg; break;
    case O_SPEC: o->spec = optarg; break;
    case O_CASE:
      if (o->nglobs >= MCPWIRE_CASES_MAX)
        return usage_error("too many --case options");
      o->globs[o->nglobs++] = optarg;
      break;
    case O_STRICT: o->strict = 1; break;
    case O_QUICK: o->quick = 1; break;
    case O_BASELINE: o->baseline = optarg; break;
    case O_JSON: o->reports.json = optarg; break;
    case O_JUNIT: o->reports.junit = optarg; break;
    case O_HTML: o->reports.html = optarg; break;
    case O_MARKDOWN: o->reports.markdown = optarg; break;
    case O_HEADER:
      if (!check_header(optarg))
        return header_error(optarg);
      if (o->topt.nheaders >= MCPWIRE_CUSTOM_HEADERS_MAX)
        return usage_error("more than MCPWIRE_CUSTOM_HEADERS_MAX --header options");
      o->topt.headers[o->topt.nheaders++] = optarg;
      break;
    case O_TIMEOUT:
      if (parse_bounded(optarg, MCPWIRE_STEP_TIMEOUT_MIN_MS, MCPWIRE_RUN_TIMEOUT_MS,
                        &o->timeout_ms))
        return usage_error("--timeout-ms '%s' is not a number of ms (%d..%d)", optarg,
                           MCPWIRE_STEP_TIMEOUT_MIN_MS, MCPWIRE_RUN_TIMEOUT_MS);
      break;
    case O_CACERT: o->topt.cacert = optarg; break;
    case O_INSECURE: o->topt.insecure = 1; break;
    case O_PROXY: o->proxy_modes = optarg; break;
    case O_ALLOW_ORIGIN:
      if (o->nallow_origins >= MCPWIRE_ALLOWED_ORIGINS_MAX)
        return usage_error("more than MCPWIRE_ALLOWED_ORIGINS_MAX --allow-origin options");
      o->allow_origins[o->nallow_origins++] = optarg;
      break;
    case O_INSTANCE:
      if (o->ninstances >= MCPWIRE_INSTANCES_MAX)
        return usage_error("more than MCPWIRE_INSTANCES_MAX (%d) --instance options",
                           MCPWIRE_INSTANCES_MAX);
      o->instances[o->ninstances++] = optarg;
      break;
    case O_JOBS:
      if (parse_bounded(optarg, 1, MCPWIRE_CASES_IN_FLIGHT_MAX, &o->jobs))
        return usage_error("--jobs '%s' is not a number of cases (1..%d)", optarg,
                           MCPWIRE_CASES_IN_FLIGHT_MAX);
      break;
    case O_FIXTURE:
    case O_FIXTURES: {
      char err[300];
      if (c == O_FIXTURE ? fixture_map_add(&o->fixtures, optarg, err, sizeof err)
                         : fixture_map_load(&o->fixtures, optarg, err, sizeof err))
        return usage_error("%s", err);
      o->has_fixtures = 1;
      break;
    }
    case 'h':
    case O_HELP: run_usage(stdout); return MCPWIRE_EXIT_OK;
    default:
      return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc)
    return usage_error("unexpected argument '%s'", argv[optind]);
  return -1;
}

/* ---- --proxy: the fault proxy in front of the target ---- */

static int check_proxy_modes(const run_options *o) {
  proxy_config pc;
  char err[256], host[256];
  int port = 0;
  proxy_config_init(&pc);
  if (proxy_config_parse(&pc, o->proxy_modes, err, sizeof err))
    return usage_error("--proxy '%s': %s", o->proxy_modes, err);
  if (endpoint_url_http_host_port(o->url, host, sizeof host, &port))
    return usage_error("--proxy needs an http:// URL (the proxy does not speak TLS)");
  return 0;
}

/* Starts the proxy in front of o->url; NULL with a message on stderr. */
static proxy *start_run_proxy(const run_options *o, char **proxied_url, char *desc,
                              size_t desclen) {
  proxy_config pc;
  char err[256];
  proxy_config_init(&pc);
  if (proxy_config_parse(&pc, o->proxy_modes, err, sizeof err) ||
      endpoint_url_http_host_port(o->url, pc.target_host, sizeof pc.target_host, &pc.target_port)) {
    fprintf(stderr, "mcpwire run: --proxy '%s': bad modes or URL\n", o->proxy_modes);
    return NULL;
  }
  /* balance=...: the --instance URLs are the other targets. */
  for (size_t i = 0; pc.balance && i < o->ninstances; i++) {
    proxy_target *t = &pc.more_targets[pc.n_more_targets];
    if (pc.n_more_targets + 1 >= MCPWIRE_PROXY_TARGETS_MAX ||
        endpoint_url_http_host_port(o->instances[i], t->host, sizeof t->host, &t->port)) {
      fprintf(stderr, "mcpwire run: --proxy balance: --instance '%s': not an http:// URL, or "
              "more than MCPWIRE_PROXY_TARGETS_MAX targets\n", o->instances[i]);
      return NULL;
    }
    pc.n_more_targets++;
  }
  proxy_config_describe(&pc, desc, desclen);
  proxy *px = proxy_start(&pc, err, sizeof err);
  if (!px) {
    fprintf(stderr, "mcpwire run: --proxy: %s\n", err);
    return NULL;
  }
  if (!(*proxied_url = endpoint_url_via_local(o->url, proxy_port(px)))) {
    proxy_stop(px);
    fputs("mcpwire run: --proxy: cannot rewrite the URL\n", stderr);
    return NULL;
  }
  return px;
}

/* Records the proxy in the profile evidence, where reports show it. */
static void note_proxy(profile *pf, const char *desc, const char *target, const char *via) {
  const char *old = pf->evidence ? pf->evidence : "";
  size_t n = strlen(old) + strlen(desc) + strlen(target) + strlen(via) + 96;
  char *ev = malloc(n);
  if (!ev)
    return;
  snprintf(ev, n, "%s%sproxy: mcpwire fault proxy mode %s in front of %s, run through %s",
           old, *old ? "\n" : "", *desc ? desc : "pass", target, via);
  free(pf->evidence);
  pf->evidence = ev;
}

/* --command's options: what applies to a launched server, and only there. */
static int validate_command(const run_options *o) {
  if (o->url)
    return usage_error("--url and --command exclude each other: one target a run");
  if (strcmp(o->transport, "auto") && strcmp(o->transport, "stdio"))
    return usage_error("--command speaks stdio, not --transport %s", o->transport);
  if (!*o->command)
    return usage_error("--command is empty");
  if (o->proxy_modes || o->topt.nheaders || o->nallow_origins || o->topt.cacert ||
      o->topt.insecure || o->ninstances)
    return usage_error("--proxy, --header, --allow-origin, --instance, --cacert and --insecure "
                       "are for a --url; a --command server gets credentials with --env");
  struct stat st;
  if (o->cwd && (stat(o->cwd, &st) || !S_ISDIR(st.st_mode) || access(o->cwd, X_OK)))
    return usage_error("--cwd '%s' is not a directory that can be entered", o->cwd);
  return -1;
}

static int validate(const run_options *o) {
  static const char *const transports[] = {"auto", "sse", "http", NULL};
  static const char *const specs[] = {"auto", "2024-11-05", "2025-03-26", "2025-06-18",
                                      "2025-11-25", PROFILE_STATELESS_REVISION, NULL};
  if (o->command && !one_of(o->spec, specs))
    return usage_error("--spec '%s' is not a known revision", o->spec);
  if (o->command)
    return validate_command(o);
  if (o->cwd || o->nenv)
    return usage_error("--cwd and --env are for a --command server");
  if (!strcmp(o->transport, "stdio"))
    return usage_error("--transport stdio needs --command (a server launched as a process)");
  if (!o->url)
    return usage_error("--url or --command is required");
  if (!check_url(o->url))
    return usage_error("--url '%s' is not an absolute http:// or https:// URL", o->url);
  if (!one_of(o->transport, transports))
    return usage_error("--transport '%s' is not auto, sse or http", o->transport);
  if (!one_of(o->spec, specs))
    return usage_error("--spec '%s' is not a known revision", o->spec);
  if (!strcmp(o->transport, "sse") && strcmp(o->spec, "auto") && strcmp(o->spec, "2024-11-05"))
    return usage_error("--transport sse exists only in revision 2024-11-05, not %s", o->spec);
  if (!strcmp(o->transport, "sse") && !strcmp(o->spec, PROFILE_STATELESS_REVISION))
    return usage_error("--transport sse exists only in revision 2024-11-05, not %s", o->spec);
  if (!strcmp(o->transport, "http") && !strcmp(o->spec, "2024-11-05"))
    return usage_error("--transport http (Streamable HTTP) starts with 2025-03-26, not 2024-11-05");
  if (o->proxy_modes && check_proxy_modes(o))
    return MCPWIRE_EXIT_USAGE;
  for (size_t i = 0; i < o->nallow_origins; i++)
    if (!check_url(o->allow_origins[i]))
      return usage_error("--allow-origin '%s' is not an http:// or https:// origin "
                         "(scheme://host[:port])", o->allow_origins[i]);
  for (size_t i = 0; i < o->ninstances; i++)
    if (!check_url(o->instances[i]))
      return usage_error("--instance '%s' is not an absolute http:// or https:// URL",
                         o->instances[i]);
  if (o->topt.cacert && access(o->topt.cacert, R_OK))
    return usage_error("--cacert '%s' cannot be read", o->topt.cacert);
  return -1;
}

typedef struct progress_out {
  FILE *out;
  int color;
  int tty;   /* a live status line under the case lines */
} progress_out;

/* The status line a terminal shows while cases run; erased before output. */
static void status_line(progress_out *p, size_t done, size_t total) {
  if (!p->tty)
    return;
  fputs("\r\033[K", p->out);
  if (done < total)
    fprintf(p->out, "  ... %zu of %zu cases done", done, total);
  fflush(p->out);
}

static void on_progress(void *user, const case_result *c, size_t done, size_t total) {
  progress_out *p = user;
  if (p->tty)
    fputs("\r\033[K", p->out);
#if HAVE_REPORTS
  console_case(c, p->out, p->color, done, total);
#else
  fprintf(p->out, "[%zu/%zu] %-5s %s%s%s\n", done, total, verdict_name(c->verdict), c->id,
          c->reason ? "  " : "", c->reason ? c->reason : "");
#endif
  status_line(p, done, total);
}

/* The id of the one result a run has when detection finds nothing to test. */
#define RUN_PROFILE_ID "run/profile"

/* What every result records about the run itself. */
static void result_begin(run_result *r, const run_options *o) {
  r->target = strdup(o->url ? o->url : o->command);
  redact_scrub_str(&o->topt.secrets, r->target);
  r->started_at = report_output_now();
  r->tool_version = MCPWIRE_VERSION;
  r->strict = o->strict;
  r->quick = o->quick;
}

/* A baseline written before a case was renamed still excuses it. */
static void rename_baseline_ids(baseline *b) {
  for (size_t i = 0; i < b->n; i++) {
    const char *now = registry_renamed(b->ids[i]);
    char *copy = now ? strdup(now) : NULL;
    if (copy) {
      free(b->ids[i]);
      b->ids[i] = copy;
    }
  }
}

/* A baseline id that names no case (a typo, or a case renamed since) would
 * silently excuse nothing: say so, without stopping the run. */
static void warn_unknown_baseline_ids(const baseline *b, const char *path,
                                      const case_def *const *all, size_t nall) {
  for (size_t i = 0; i < b->n; i++) {
    size_t k = 0;
    while (k < nall && strcmp(all[k]->id, b->ids[i]))
      k++;
    if (k == nall && strcmp(b->ids[i], RUN_PROFILE_ID))
      fprintf(stderr, "mcpwire run: note: baseline %s lists '%s', which is no case id\n", path,
              b->ids[i]);
  }
}

/* Detection found nothing to test: one line on stderr; the probe evidence
 * on stdout and, when asked for, reports holding one error verdict
 * (run/profile), so a pipeline reading the JUnit file sees why no case ran. */
static int detection_failed(run_result *r, const run_options *o, const char *why, double t0) {
  static const char *const initialization[] = {"LIFE-INIT-01", NULL};
  cli_fail("run", 0, "%s", why);
  /* What was to be detected was not found: say so rather than "auto". */
  if (!strcmp(o->transport, "auto")) {
    free(r->profile.transport);
    r->profile.transport = strdup("unknown");
  }
  if (!strcmp(o->spec, "auto")) {
    free(r->profile.spec);
    r->profile.spec = strdup("unknown");
  }
  result_begin(r, o);
  r->cases = calloc(1, sizeof *r->cases);
  int rc = MCPWIRE_EXIT_UNREACHABLE;
  if (r->cases) {
    case_result *c = &r->cases[0];
    *c = (case_result){.id = RUN_PROFILE_ID,
                       .title = "The target answers as an MCP server of a revision mcpwire tests",
                       .section = "run", .transport = "any", .level = LEVEL_MUST,
                       .spec_ref = "https://modelcontextprotocol.io/specification/2025-11-25/"
                                   "basic/lifecycle#initialization",
                       .requirements = initialization,
                       .verdict = VERDICT_ERROR};
    c->expected = strdup("2026-07-28: POST server/discover answered with a DiscoverResult; "
                         "Streamable HTTP: POST initialize answered with a result; "
                         "HTTP+SSE: GET answered with an endpoint event");
    c->reason = strdup(why);
    c->actual = strdup(r->profile.evidence ? r->profile.evidence : "");
    r->ncases = 1;
    r->counts[VERDICT_ERROR] = 1;
  }
  r->duration_ms = clock_ms() - t0;
  int tty = isatty(fileno(stdout));
#if HAVE_REPORTS
  console_begin(r, stdout, tty && report_output_color_allowed());
#endif
  if (report_output_write(r, &o->reports))
    rc = MCPWIRE_EXIT_INTERNAL;
  run_result_free(r);
  return rc;
}

/* Requests the origin policy refused: one line on stderr and in the
 * profile evidence, which every report shows. */
static void note_refusals(profile *pf, const secret_list *secrets) {
  char first[600];
  unsigned long n = client_refused_requests(first, sizeof first);
  if (!n)
    return;
  redact_scrub_str(secrets, first);
  char line[800];
  snprintf(line, sizeof line, "origin policy: %lu request%s to another origin refused, none "
           "sent (first: %.500s); --allow-origin ORIGIN allows one", n, n == 1 ? "" : "s",
           first);
  cli_fail("run", 0, "%s", line);
  const char *old = pf->evidence ? pf->evidence : "";
  size_t len = strlen(old) + strlen(line) + 2;
  char *ev = malloc(len);
  if (!ev)
    return;
  snprintf(ev, len, "%s%s%s", old, *old ? "\n" : "", line);
  free(pf->evidence);
  pf->evidence = ev;
}

/* The origin policy and the secrets of the command line: the target's
 * origin (and the run's proxy, when proxied is not NULL) gets every
 * request, the --allow-origin ones get requests without the --header values. */
static int set_origin_policy(run_options *o, const char *proxied) {
  origin_policy *p = &o->topt.origins;
  if (origin_policy_add(p, o->url, 0) || (proxied && origin_policy_add(p, proxied, 0)))
    return usage_error("--url '%s': no origin can be read from it", o->url);
  /* An instance is a target the user named: every request, every header. */
  for (size_t i = 0; i < o->ninstances; i++)
    if (origin_policy_add(p, o->instances[i], 0))
      return usage_error("--instance '%s': no origin can be read from it", o->instances[i]);
  for (size_t i = 0; i < o->nallow_origins; i++)
    if (origin_policy_add(p, o->allow_origins[i], 1))
      return usage_error("--allow-origin '%s': no origin can be read from it",
                         o->allow_origins[i]);
  return -1;
}

/* The transport's session ledger, as the result model holds it. */
static session_summary sessions_of_run(void) {
  session_counts c = session_ledger_read();
  session_summary s = {.opened = c.opened, .closed = c.closed, .not_offered = c.not_offered,
                       .kept = c.kept, .left_open = c.left_open};
  snprintf(s.left_open_why, sizeof s.left_open_why, "%s", c.left_open_why);
  return s;
}

/* The server processes launched for stdio, as the result model holds them. */
static process_summary processes_of_run(void) {
  stdio_process_counts c = stdio_process_counts_read();
  process_summary s = {.started = c.started, .ended = c.ended,
                       .by_eof = c.ended_by[STDIO_STOP_EOF] + c.ended_by[STDIO_STOP_ALREADY],
                       .by_sigterm = c.ended_by[STDIO_STOP_SIGTERM],
                       .by_sigkill = c.ended_by[STDIO_STOP_SIGKILL],
                       .not_ended = c.started - c.ended + c.ended_by[STDIO_STOP_FAILED]};
  return s;
}

/* url is where requests go: o->url, or the proxy in front of it when
 * proxy_desc (the proxy's modes) is not NULL. */
static int execute(const run_options *o, const case_def **sel, size_t nsel, const baseline *b,
                   const char *url, const char *proxy_desc) {
  run_config cfg = {.url = url, .transport = o->topt, .jobs = (size_t)o->jobs,
                    .quick = o->quick, .stdio = o->command ? &o->spawn : NULL};
  if (o->command && !o->jobs)
    cfg.jobs = MCPWIRE_STDIO_CASES_IN_FLIGHT;
  cfg.fixtures = o->has_fixtures ? &o->fixtures : NULL;
  cfg.instances = o->ninstances ? o->instances : NULL;
  cfg.ninstances = o->ninstances;
  cfg.step_timeout_ms = o->timeout_ms ? o->timeout_ms : MCPWIRE_STEP_TIMEOUT_MS;
  cfg.case_timeout_ms = o->timeout_ms ? 4 * o->timeout_ms : MCPWIRE_CASE_TIMEOUT_MS;
  run_result r = {0};
  char why[400] = "";
  double t0 = clock_ms();
  profile_status ps;
  if (o->command) {
    ps = profile_detect_stdio(cfg.stdio, o->spec, cfg.step_timeout_ms, &r.profile, why,
                              sizeof why);
  } else {
    session_ledger_begin(o->url); /* sessions end at the target, not at a --proxy */
    ps = profile_detect(url, o->transport, o->spec, &cfg.transport, cfg.step_timeout_ms,
                        &r.profile, why, sizeof why);
  }
  redact_scrub_str(&o->topt.secrets, why);
  redact_scrub_str(&o->topt.secrets, r.profile.evidence);
  if (ps != PROFILE_OK)
    return detection_failed(&r, o, why, t0);
  if (proxy_desc)
    note_proxy(&r.profile, proxy_desc, o->url, url);
  redact_scrub_str(&o->topt.secrets, r.profile.evidence);
  cfg.transport_name = r.profile.transport;
  cfg.spec = r.profile.spec;
  cfg.modern_spec = r.profile.modern_spec;
  cfg.dual_era = r.profile.dual_era;
  cfg.spec_forced = strcmp(o->spec, "auto") != 0;
  cfg.rtt_ms = r.profile.rtt_ms;
  cfg.run_deadline_ms = t0 + MCPWIRE_RUN_TIMEOUT_MS;
  result_begin(&r, o);
  int tty = isatty(fileno(stdout));
  int color = tty && report_output_color_allowed();
  progress_out po = {stdout, color, tty};
#if HAVE_REPORTS
  console_begin(&r, stdout, color);
#else
  printf("mcpwire %s: %s (%s %s)\n", MCPWIRE_VERSION, url, cfg.transport_name, cfg.spec);
#endif
  status_line(&po, 0, nsel);
  int failed = runner_run((const case_def *const *)sel, nsel, &cfg, &r, on_progress, &po);
  status_line(&po, nsel, nsel);
  if (failed ||
      baseline_apply(b, &r)) {
    fputs("mcpwire run: internal error: out of memory or threads\n", stderr);
    run_result_free(&r);
    return MCPWIRE_EXIT_INTERNAL;
  }
  r.duration_ms = clock_ms() - t0;
  r.sessions = sessions_of_run();
  r.processes = processes_of_run();
  note_refusals(&r.profile, &o->topt.secrets);
  return report_output_finish(&r, &o->reports, stdout, color);
}

int cmd_run(int argc, char **argv) {
  run_options o = {.transport = "auto", .spec = "auto"};
  int rc = parse_options(argc, argv, &o);
  if (rc >= 0)
    return rc;
  if ((rc = validate(&o)) >= 0)
    return rc;
  size_t nall = 0;
  const case_def *const *all = registry_all(&nall);
  for (size_t i = 0; i < o.nglobs; i++)
    if (registry_renamed(o.globs[i]))
      o.globs[i] = registry_renamed(o.globs[i]);
  const case_def **sel = calloc(nall ? nall : 1, sizeof *sel);
  if (!sel)
    return MCPWIRE_EXIT_INTERNAL;
  char bad[256];
  long nsel = select_cases(all, nall, o.globs, o.nglobs, sel, bad, sizeof bad);
  if (nsel < 0) {
    free(sel);
    return usage_error("--case '%s' matches no case (see 'mcpwire list')", bad);
  }
  baseline b = {0};
  char why[600];
  if (o.baseline && baseline_load(&b, o.baseline, why, sizeof why)) {
    free(sel);
    fprintf(stderr, "mcpwire run: %s\n", why);
    return MCPWIRE_EXIT_USAGE;
  }
  rename_baseline_ids(&b);
  warn_unknown_baseline_ids(&b, o.baseline, all, nall);
  if ((rc = report_output_prepare("run", &o.reports)) >= 0) {
    baseline_free(&b);
    free(sel);
    return rc;
  }
  /* A peer that resets a TLS connection must not kill the run. */
  signal(SIGPIPE, SIG_IGN);
  if (runner_global_init()) {
    free(sel);
    baseline_free(&b);
    fputs("mcpwire run: internal error: curl_global_init failed\n", stderr);
    return MCPWIRE_EXIT_INTERNAL;
  }
  proxy *px = NULL;
  char *proxied = NULL, desc[256] = "";
  redact_collect(&o.topt.secrets, o.topt.headers, o.topt.nheaders, o.url);
  redact_collect_env(&o.topt.secrets, o.env, o.nenv);
  o.spawn = (stdio_spawn){.shell_command = o.command, .cwd = o.cwd, .env = o.nenv ? o.env : NULL};
  if (o.command)
    rc = execute(&o, sel, (size_t)nsel, &b, o.command, NULL);
  else if (o.proxy_modes && !(px = start_run_proxy(&o, &proxied, desc, sizeof desc)))
    rc = MCPWIRE_EXIT_INTERNAL;
  else if ((rc = set_origin_policy(&o, proxied)) < 0)
    rc = execute(&o, sel, (size_t)nsel, &b, px ? proxied : o.url, px ? desc : NULL);
  if (px)
    proxy_stop(px);
  free(proxied);
  runner_global_cleanup();
  baseline_free(&b);
  free(sel);
  return rc;
}
