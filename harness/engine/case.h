/*
 * case: what a conformance case is, and the context it runs in.
 *
 * A case is one row of a table (cases/<section>.c): a stable path-like id,
 * a title, the transport and revisions it applies to, the requirement level
 * that decides how a violation counts (MUST → fail, otherwise warn), the
 * catalog ids it checks, the spec anchor it cites, and a run function.
 * The run function gets a case_ctx: its own client (own connections, own
 * session), its transcript, deadlines, and the verdict setters below.
 */
#ifndef MCPWIRE_CASE_H
#define MCPWIRE_CASE_H

#include <stddef.h>

#include "codec/jsonrpc.h"
#include "engine/fixture.h"
#include "engine/result.h"
#include "transport/client.h"
#include "transport/legacy.h"
#include "transport/shttp.h"
#include "transport/stdio_process.h"

/* Transports a case applies to. CASE_ANY is both HTTP transports (the
 * SSE wire cases); a case for stdio says so. */
enum case_transport {
  CASE_SSE = 1,
  CASE_HTTP = 2,
  CASE_ANY = CASE_SSE | CASE_HTTP,
  CASE_STDIO = 4,
  CASE_EVERY = CASE_ANY | CASE_STDIO
};

/* Protocol revisions, as bits. REV_SHTTP and REV_ALL are the session era
 * (initialize, sessions); 2026-07-28, the stateless era, is in neither: a
 * case names it on purpose (S26-COMPAT). */
enum revision_bit {
  REV_2024_11_05 = 1,
  REV_2025_03_26 = 2,
  REV_2025_06_18 = 4,
  REV_2025_11_25 = 8,
  REV_2026_07_28 = 16,
  REV_SHTTP = REV_2025_03_26 | REV_2025_06_18 | REV_2025_11_25,
  REV_ALL = REV_2024_11_05 | REV_SHTTP
};

/* Revision names newest first, NULL-terminated; the stateless one first. */
extern const char *const revision_names[];
/* Bit of a revision name, 0 when unknown. */
unsigned revision_bit(const char *name);
/* 1 for a revision of the stateless era (no initialize, no sessions). */
int revision_is_stateless(const char *name);
/* A case's transports as reports show them: "sse", "http", "any" (both
 * HTTP transports), "stdio", "sse/stdio", "http/stdio", "every". */
const char *case_transport_label(unsigned transports);
/* The enum case_transport bit of a run's profile transport name. */
unsigned case_transport_of_run(const char *transport_name);

/* Catalog ids as a static NULL-terminated list: REQS("SHTTP-SESSION-08"). */
#define REQS(...) ((const char *const[]){__VA_ARGS__, NULL})
/* Mock faults that break a case: FAULTS("no-404-after-delete"). */
#define FAULTS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Sets id and section of a table row from one section literal:
 * CASE_ID("http/session", "unknown-id-404"). */
#define CASE_ID(section_, name_) .id = section_ "/" name_, .section = section_

typedef struct case_ctx case_ctx;

/* What a mcpwire-mock set-up offers that a case may need (case_proof.needs). */
enum proof_need {
  NEED_GET_STREAM = 1,   /* a long-lived GET stream (legacy, or Streamable HTTP GET not 405) */
  NEED_SSE_REPLIES = 2,  /* POSTed requests answered as text/event-stream */
  NEED_JSON_REPLIES = 4  /* POSTed requests answered as application/json */
};
/* Credentials a case needs the mock to demand (case_proof.credentials). */
enum proof_credential { CRED_BEARER = 1 };

/* How the both-ways prover (tests/matrix/prove.py) runs a case, exported by
 * `mcpwire list --format json` as "proof". All zero: the defaults below. */
typedef struct case_proof {
  /* Revision bit its fault runs offer with --spec, for a fault that also
   * refuses the probe's initialize (auto detection finds no MCP).
   * 0: the case's newest revision (auto when that is the newest known). */
  unsigned spec;
  /* Transports its fault runs force, one run each (CASE_ANY: both).
   * 0: the case's own; an any-transport case runs on http. */
  unsigned transports;
  /* enum proof_credential: the mock demands them in every run of the case
   * and the run holds them; the mock without them must break the case. */
  unsigned credentials;
  /* enum proof_need: in a reference set-up offering none of these the
   * case must skip (a check that cannot see its subject says so). */
  unsigned needs;
  /* Faults that serve valid but unusual data to this case: under each the
   * case passes or skips with a reason, never fails or warns. */
  const char *const *unbroken_by;
  /* 1: the case judges instances of one deployment (--instance): the
   * prover runs it against a mock listening on a second port (--also-port,
   * shared sessions; instance-local-sessions unshares them) given as
   * --instance. Without --instance the case skips. */
  unsigned instances;
} case_proof;

typedef struct case_def {
  const char *id;             /* "http/session/unknown-id-404" */
  const char *section;        /* "http/session" */
  const char *title;
  unsigned transport;         /* enum case_transport */
  unsigned revisions;         /* enum revision_bit mask */
  level level;
  const char *const *requirements;
  const char *spec_ref;
  void (*run)(case_ctx *ctx);
  /* mcpwire-mock faults (--fault names) that must turn this case to fail
   * (MUST) or warn (otherwise): the "proven both ways" matrix runs each.
   * NULL only with a reason in no_fault_reason. */
  const char *const *faults;
  const char *no_fault_reason;
  /* How the prover runs it (set-up, transport, revision, credentials). */
  case_proof proof;
  /* Has fixed watch windows or a long sweep: started before the others so
   * the run does not end waiting on it alone (2: among the longest, started
   * before the 1s). Order of results is kept. */
  int slow;
  /* A run-wide case: run judges once every other selected case has ended
   * and reads their results (ctx->run). It is selected whenever any other
   * case is, since it judges their traffic. */
  int run_wide;
  /* Run-wide cases only (NULL: none): a part that needs no other result (an
   * exchange of its own), run at the start beside the other cases so the
   * judgement after them is all that is left at the end. Same ctx as run. */
  void (*early)(case_ctx *ctx);
  /* Fixture roles the case needs a target's tool to play (FX_PROGRESS |
   * ...; engine/fixture.h); `mcpwire list` shows them. 0: none. */
  unsigned fixtures;
} case_def;

/* What every case of a run shares. */
typedef struct run_config {
  const char *url;             /* the target's URL; for stdio the command, as shown */
  /* --command: the server each stdio case launches (its own process);
   * NULL for a URL. */
  const stdio_spawn *stdio;
  transport_options transport;
  const char *transport_name;  /* "http", "sse" or "stdio": the run's profile */
  const char *spec;            /* negotiated or given revision; for a case of
                                  the other era of a dual-era run, that era's */
  /* A dual-era run (S26-COMPAT-11): the stateless revision ("2026-07-28")
   * whose cases run beside spec's, each case in the era it applies to
   * (the session era when both); NULL when the run has one era. */
  const char *modern_spec;
  /* The server serves both eras on this URL, whatever this run tests
   * (profile.dual_era: DUAL_ERA_LISTED, DUAL_ERA_SERVED): 2026-only rules
   * (GET and DELETE 405, Y-16) do not bind it. */
  int dual_era;
  /* --spec named a revision: cases of the other era skip (running without
   * --spec would run them) instead of being not applicable. */
  int spec_forced;
  long step_timeout_ms;        /* one request, one wait */
  long case_timeout_ms;        /* one whole case */
  double run_deadline_ms;      /* clock_ms() value the run must end by */
  double rtt_ms;               /* the target's measured round trip; 0 unknown */
  size_t jobs;                 /* cases at once (--jobs); 0: MCPWIRE_CASES_IN_FLIGHT */
  int quick;                   /* --quick: watches over MCPWIRE_QUICK_WATCH_MAX_MS skip */
  const fixture_map *fixtures; /* --fixture / --fixtures; NULL: none given */
  /* --instance: URLs of other instances of the deployment --url reaches
   * (same path), home origins like --url; NULL when none. */
  const char *const *instances;
  size_t ninstances;
} run_config;

struct case_ctx {
  const case_def *def;
  const run_config *cfg;
  case_result *res;
  transcript log;
  /* The run's transport options, the case's own copy: a fault proxy the
   * case starts adds its origin to transport.origins (ctx_trust_origin).
   * Every client of the case is made with &ctx->transport. */
  transport_options transport;
  client *client;
  double deadline_ms;          /* of the whole case */
  int decided;                 /* a verdict other than pass was set */
  /* Run-wide cases only (NULL otherwise): the run with every other case
   * ended; its cases[] hold this case's own result too (ctx->res). */
  const run_result *run;
  /* The tools that played the case's fixture roles ("fixture progress:
   * test_tool_with_progress (conformance contract)"), added to `actual`. */
  char fixtures_used[MCPWIRE_FIXTURE_NOTE_MAX];
};

/* ---- for case bodies ---- */

/* Lets the case's clients send to url's origin with every header (a fault
 * proxy of the harness in front of the target). 0 on success. */
int ctx_trust_origin(case_ctx *ctx, const char *url);
/* Ends that trust (the proxy stopped; its port may be anyone's now). */
void ctx_untrust_origin(case_ctx *ctx, const char *url);

/* clock_ms() deadline of the next step: a step timeout from now, never past
 * the case's own deadline. */
double ctx_step_deadline(case_ctx *ctx);
/* Length of a watch for something that must not arrive: max_ms, shortened
 * to MCPWIRE_WINDOW_RTT_FACTOR round trips of a fast target (not below
 * MCPWIRE_WINDOW_MIN_MS). */
double ctx_window_ms(const case_ctx *ctx, double max_ms);
/* A line in the transcript. */
void ctx_note(case_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Verdicts. The first non-pass verdict stands; later ones go to the
 * transcript. expected / actual are one line each (may be NULL). */
/* A broken requirement: fail for a MUST case, warn otherwise. */
void ctx_violation(case_ctx *ctx, const char *expected, const char *actual,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A warning whatever the case's level (de facto behaviour, ambiguity). */
void ctx_warn(case_ctx *ctx, const char *expected, const char *actual, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ctx_skip(case_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An error, unless the case's client holds a stream whose response never
 * began while others were answered: then the warning ctx_stream_held. */
void ctx_error(case_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A warning for a stream whose response never began (no status, no
 * headers) before the case's deadline: the target or a proxy in front of
 * it holds it back. No MUST sets a time for the first byte, so never a
 * fail. answered: other requests of the case that were answered. */
void ctx_stream_held(case_ctx *ctx, const http_stream *s, size_t answered, const char *why);
/* Records what was checked on a pass (kept unless a verdict overrides). */
void ctx_checked(case_ctx *ctx, const char *expected, const char *actual);

/* Sets up an initialised Streamable HTTP session at the run's revision; on
 * failure sets an error verdict ("setup: ...") and returns -1. */
int ctx_http_session(case_ctx *ctx, shttp *h);
/* The legacy stream open through its endpoint event; on failure an error
 * "setup: SSE stream: ...", or a skip when the endpoint is on a foreign
 * origin (nothing can be sent there); -1 then. */
int ctx_legacy_open(case_ctx *ctx, legacy *l);
/* Same for the legacy transport: stream open, endpoint resolved, initialised. */
int ctx_legacy_session(case_ctx *ctx, legacy *l);
/* Skips unless the initialize result declares capabilities.<cap>. */
int ctx_require_capability(case_ctx *ctx, const jsonrpc_msg *init, const char *cap);

/* Called with each tools/list page in turn; 1 stops the walk. */
typedef int (*ctx_tools_visit_fn)(void *arg, const jsonrpc_msg *page);
/* One tools/list request with these params ("{}" or {"cursor":...}): the
 * response, or NULL with f->why. */
typedef jsonrpc_msg *(*ctx_tools_page_fn)(case_ctx *ctx, void *arg, const char *params_json,
                                          rpc_failure *f);
/* Looks for `tool` in tools/list, following nextCursor for at most
 * MCPWIRE_TOOLS_LIST_PAGES_MAX pages. 1 when found: *page (when not NULL)
 * gets the response holding it (jsonrpc_free it) and *index its position in
 * result.tools. 0 when the listing ended without it: why says how many pages
 * were read and, when the walk stopped early (a page refused or not a
 * result, a repeated or non-string cursor, the page cap), why. -1 when the
 * first page could not be read at all (why). Sets no verdict. */
int ctx_find_tool(case_ctx *ctx, ctx_tools_page_fn list, void *arg, const char *tool,
                  jsonrpc_msg **page, size_t *index, char *why, size_t whylen);
/* The walk under ctx_find_tool: every page to `visit` until it returns 1
 * or the listing ends (same limits and why). 1 when visit stopped it, 0 when
 * the listing ended, -1 when the first page could not be read. */
int ctx_walk_tools(case_ctx *ctx, ctx_tools_page_fn list, void *arg, ctx_tools_visit_fn visit,
                   void *visit_arg, char *why, size_t whylen);
/* Resolves a fixture role on the target (engine/fixture.h): the user's
 * mapping, else the first candidate in resolution order that tools/list
 * names with a fitting inputSchema. 0 with *fx set and the choice noted
 * (transcript, `actual`); -1 with a skip naming the role and the tools
 * looked for (or an error when tools/list failed). init: the initialize
 * response (the tools capability is required). */
int ctx_require_fixture(case_ctx *ctx, ctx_tools_page_fn list, void *arg,
                        const jsonrpc_msg *init, fixture_role role, fixture *fx);
/* ctx_require_fixture without a verdict, for a role a case can do without:
 * 1 with *fx set and noted, 0 when the target cannot serve it (no tools
 * capability, no fitting tool), -1 when tools/list failed; why says which. */
int ctx_find_fixture(case_ctx *ctx, ctx_tools_page_fn list, void *arg, const jsonrpc_msg *init,
                     fixture_role role, fixture *fx, char *why, size_t len);
/* The same for the era given (fixture_era bits: the candidates that serve
 * in it); caps: the response declaring the server's capabilities
 * (initialize's, or server/discover's in the stateless era). ctx_require_fixture
 * and ctx_find_fixture are these in FIXTURE_SESSION. */
int ctx_require_fixture_in(case_ctx *ctx, unsigned era, ctx_tools_page_fn list, void *arg,
                           const jsonrpc_msg *caps, fixture_role role, fixture *fx);
int ctx_find_fixture_in(case_ctx *ctx, unsigned era, ctx_tools_page_fn list, void *arg,
                        const jsonrpc_msg *caps, fixture_role role, fixture *fx, char *why,
                        size_t len);
/* Records that a fixture served the case: a transcript line, and the text
 * added to the case's `actual`. */
void ctx_use_fixture(case_ctx *ctx, const char *what);

/* ---- shared verifiers: 1 when the check held, else the verdict is set ---- */

/* The response's HTTP status is `want`; an absent response is an error. */
int verify_status(case_ctx *ctx, http_stream *s, long want, const char *what);
/* Header value made only of visible ASCII 0x21..0x7E (SHTTP-SESSION-03). */
int verify_header_visible_ascii(case_ctx *ctx, const char *name, const char *value);
/* The response's id is exactly id_raw: same JSON type and value. */
int verify_jsonrpc_id_echo(case_ctx *ctx, const jsonrpc_msg *m, const char *id_raw);
/* A success response (not an error, not invalid); f says why when m is NULL. */
int verify_success_response(case_ctx *ctx, const jsonrpc_msg *m, const rpc_failure *f,
                            const char *what);

#endif
