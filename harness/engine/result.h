/*
 * result: the one result model every report is written from.
 *
 * The engine fills it while cases run; reports/ only reads it. Strings are
 * owned by the model (freed by run_result_free) unless noted "static".
 */
#ifndef MCPWIRE_RESULT_H
#define MCPWIRE_RESULT_H

#include <stddef.h>
#include <stdint.h>


/* The sessions mcpwire opened on the target during the run and how each
 * ended (the transport's session ledger, copied here by the CLI so that the
 * result model depends on no other layer). */
typedef struct session_summary {
  size_t opened;       /* sessions initialised */
  size_t closed;       /* ended: DELETE answered 2xx or 404, a legacy stream closed */
  size_t not_offered;  /* DELETE answered 405: not reusable by mcpwire */
  size_t kept;         /* a case deliberately left it open */
  size_t left_open;    /* ending failed */
  char left_open_why[200]; /* the first left-open (or kept) session's reason */
} session_summary;

/* Server processes launched for stdio (--command) and how each ended. */
typedef struct process_summary {
  size_t started;
  size_t ended;        /* reaped: every one, once the run is over */
  size_t by_eof;       /* exited after its stdin closed (or before) */
  size_t by_sigterm;   /* needed SIGTERM */
  size_t by_sigkill;   /* needed SIGKILL */
  size_t not_ended;    /* still there after SIGKILL's wait, or never stopped */
} process_summary;

typedef enum verdict {
  VERDICT_PASS = 0,
  VERDICT_FAIL,   /* a MUST broken */
  VERDICT_WARN,   /* a SHOULD broken, de facto behaviour, or an ambiguous point */
  VERDICT_SKIP,   /* not applicable; reason says why */
  VERDICT_ERROR,  /* the case could not run; reason says why */
  VERDICT_COUNT
} verdict;

/* "pass", "fail", "warn", "skip", "error" */
const char *verdict_name(verdict v);

typedef enum level { LEVEL_MUST = 0, LEVEL_SHOULD, LEVEL_MAY, LEVEL_INFO } level;
/* "MUST", "SHOULD", "MAY", "INFO" */
const char *level_name(level l);

/* A broken envelope rule in a message the target sent, seen while a case
 * ran (engine/envelope.c checks every JSON-RPC message of every case). */
typedef struct envelope_problem {
  const char *rule;         /* static: "JSONRPC-09", "RFC8259", "I-JSON", ... */
  level level;              /* MUST; SHOULD for I-JSON interoperability points */
  char *where;              /* "#4 POST http://…/mcp: SSE event id=3" */
  char *reason;             /* what is wrong, in the codec's words */
  char *excerpt;            /* raw bytes of the message around the problem */
  size_t excerpt_offset;    /* where the excerpt starts in the message */
  size_t message_len;       /* bytes of the whole message */
} envelope_problem;

/* One case's outcome. */
typedef struct case_result {
  const char *id;           /* static: "http/session/unknown-id-404" */
  const char *title;        /* static */
  const char *section;      /* static: "http/session" (the id's folder) */
  const char *spec_ref;     /* static: spec section anchor it cites */
  const char *transport;    /* static: "sse", "http" or "any" */
  level level;
  const char *const *requirements; /* static, NULL-terminated ids */
  /* The revision the case ran at (its era in a dual-era run); owned by the
   * run's profile (spec or modern_spec). */
  const char *revision;
  verdict verdict;
  char *expected;           /* what the requirement asks (may be NULL) */
  char *actual;             /* what was received (may be NULL) */
  char *reason;             /* one line: why this verdict (may be NULL) */
  double duration_ms;
  char *transcript;         /* the wire log, capped by MCPWIRE_TRANSCRIPT_MAX */
  size_t transcript_len;
  int transcript_truncated;
  int in_baseline;          /* listed in --baseline as an expected failure */
  /* Envelope check of the target's messages during this case. The case's
   * verdict does not depend on it; the run-wide case (run/jsonrpc-envelope)
   * judges them all. */
  size_t envelope_messages; /* JSON-RPC messages from the target checked */
  envelope_problem *envelope; /* at most MCPWIRE_ENVELOPE_PROBLEMS_MAX */
  size_t nenvelope;
  size_t envelope_dropped;  /* problems past that cap: counted, not kept */
  /* Time the case spent waiting for the server's own keep-alive interval
   * (a watch that cannot end sooner); 0 when none. */
  double keepalive_wait_ms;
} case_result;

enum dual_era_bits { DUAL_ERA_LISTED = 1, DUAL_ERA_SERVED = 2 };

/* Why the run is for this revision and transport: one line per probe. */
typedef struct profile {
  char *transport;          /* "sse" or "http" */
  char *spec;               /* "2025-11-25", ...; "2026-07-28" for a stateless-only run */
  /* "2026-07-28" when its cases run beside spec's (a dual-era run), NULL
   * when the run has one era. */
  char *modern_spec;
  /* The server serves both eras on this URL: DUAL_ERA_LISTED (discover's
   * supportedVersions names a session-era revision) | DUAL_ERA_SERVED (it
   * answered initialize); 0 when not. */
  int dual_era;
  int detected;             /* 1 when probed, 0 when given on the command line */
  char *evidence;           /* probe log, lines separated by LF */
  double rtt_ms;            /* slowest successful probe round trip; 0 unknown */
} profile;

typedef struct run_result {
  char *target;             /* the URL */
  profile profile;
  char *started_at;         /* RFC 3339 UTC */
  double duration_ms;
  const char *tool_version; /* static */
  int strict;               /* --strict: warnings count as failures */
  case_result *cases;
  size_t ncases;
  size_t counts[VERDICT_COUNT];
  /* Baseline accounting: failures excused by it, and listed cases that pass
   * now (the baseline can shrink). */
  size_t baseline_excused;
  char **baseline_fixed;    /* ids */
  size_t nbaseline_fixed;
  /* Cases for the transport the target does not speak, or for the era of
   * revisions it does not speak (the stateless 2026-07-28, or the session
   * era): not run, not in cases[] nor in counts, listed here (static ids). */
  const char **not_applicable;
  size_t nnot_applicable;
  const char *not_applicable_transport; /* static: theirs, "sse", "http", "stdio", "sse/stdio", ... */
  size_t nnot_applicable_era;           /* of them, those for the other era */
  const char *not_applicable_era;       /* static: "2026-07-28" or "session", theirs */
  /* Sessions opened on the target and how they ended (probe included). */
  session_summary sessions;
  /* Server processes launched for stdio; all zero for a URL. */
  process_summary processes;
  int quick;                /* --quick: watches over MCPWIRE_QUICK_WATCH_MAX_MS left out */
} run_result;

void run_result_free(run_result *r);

#endif
