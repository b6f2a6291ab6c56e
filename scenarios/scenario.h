/*
 * scenario: what a client scenario is (the client side of mcpwire).
 *
 * A scenario is one row of a table (scenarios/<area>.c): a stable id under
 * client/, a title, the revision the stage serves, the requirement level,
 * the catalog ids it checks (the M→C items of requirements.md and the
 * client items of requirements-2026-07-28.md), the spec anchor, the
 * scripted exchange and wire shape the stage plays (stage/stage.h), what
 * the client must achieve, a check over what it sent, and the fault of
 * tests/clients that must break it. Verdicts go into the same result model
 * as the server cases (engine/result.h), so reports, baselines and exit
 * codes are the same.
 */
#ifndef MCPWIRE_SCENARIO_H
#define MCPWIRE_SCENARIO_H

#include <stddef.h>

#include "engine/result.h"
#include "stage/client_process.h"
#include "stage/stage.h"

/* What the client must achieve. */
enum scenario_expect {
  /* list the tools, call the one listed, exit 0 by itself */
  EXPECT_COMPLETE = 0,
  /* a hostile stream: end by itself in time, without a crash, without
   * memory growing with the stream (what it did is reported) */
  EXPECT_BOUNDED
};

typedef struct scenario_ctx scenario_ctx;

typedef struct client_scenario {
  const char *id;             /* "client/session/id-echo" */
  const char *section;        /* "client/session" */
  const char *title;
  const char *transport;      /* "http", "sse" (legacy) */
  level level;                /* of the checks that can fail it */
  const char *const *requirements;
  const char *spec_ref;
  stage_script script;        /* the exchange and the wire shape (revision inside) */
  unsigned expect;            /* enum scenario_expect */
  void (*check)(scenario_ctx *x); /* NULL: the exchange is the check */
  /* The fault of tests/clients/mcp_client.py (FAULT=name) that must turn
   * it to fail (MUST) or warn (otherwise). */
  const char *fault;
} client_scenario;

/* What a check sees. */
struct scenario_ctx {
  const client_scenario *def;
  const stage_log *log;
  const client_outcome *run;
  case_result *res;
  int decided;                /* a verdict other than pass was set */
  dynbuf checked;             /* what passed, for `actual` */
};

/* Catalog ids and fault names as static lists, as the server cases write them. */
#define SREQS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Every scenario, in table order. */
const client_scenario *const *scenario_registry(size_t *n);

/* ---- verdicts for checks: the first non-pass stands ---- */
/* A broken requirement of level lv: fail for MUST, warn otherwise. */
void sc_broken(scenario_ctx *x, level lv, const char *expected, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* What held, added to the result's `actual`. */
void sc_held(scenario_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ERROR: mcpwire could not judge. */
void sc_error(scenario_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the recorded requests ---- */
/* The i-th recorded request's JSON-RPC method ("" for a response or a
 * non-request), into out. */
const char *sc_method(const stage_request *r, char *out, size_t len);
/* Index of the first request with this JSON-RPC method at or after from; -1. */
long sc_find(const scenario_ctx *x, const char *method, size_t from);

/* Runs one scenario: the stage, the client (command + stage URL), the
 * checks; fills res (strings owned by it). 0, or -1 when mcpwire itself
 * failed (res holds an error verdict). */
typedef struct scenario_options {
  const char *command;
  long timeout_ms;
} scenario_options;
int scenario_run(const client_scenario *def, const scenario_options *o, case_result *res);

#endif
