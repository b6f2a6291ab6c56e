/*
 * fixture: the roles a case needs a target's tools to play, and which tool
 * plays each on a given target.
 *
 * A role is what a case needs, never a tool name: PROGRESS (a call that
 * streams several notifications/progress, then its result), ASK_CLIENT (a
 * call during which the server sends the client a request), LIST_CHANGED (a
 * call that makes the server send a notifications/.../list_changed or a
 * resource update on the standalone stream; in the stateless era a
 * tools/list_changed to the listen streams that asked for it) and ECHO (a
 * call whose result holds a string argument it was given). The stateless
 * era (2026-07-28) adds NEEDS_CAPABILITY (a call that relies on a client
 * capability, refused with -32021 when the request declares none),
 * INPUT_REQUIRED (a call answered with an InputRequiredResult),
 * REQUEST_STATE (one whose InputRequiredResult carries a requestState the
 * server checks on the retry), LOGGING (a call that sends
 * notifications/message when _meta asks for a log level) and CANCEL_COUNT
 * (a call whose result reports, as an integer cancelledOnClose in its
 * structuredContent or in a JSON object in its first text content, how
 * many calls the server ended because the client closed their response
 * stream). A role is
 * resolved from the target's own tools/list in the era the case speaks,
 * every page: first the user's mapping (--fixture ROLE=TOOL [ARGS],
 * --fixtures FILE), then the official conformance suite's server contract,
 * server-everything, the TypeScript SDK's example servers, and last
 * mcpwire-mock's own tools; a candidate counts only in the eras it serves
 * (server-everything's subscriber toggle needs a session, the contract's
 * test_trigger_tool_change a listen stream). Each candidate carries a JSON
 * argument template; a progress token always goes in
 * params._meta.progressToken (protocol, not tool-specific).
 */
#ifndef MCPWIRE_ENGINE_FIXTURE_H
#define MCPWIRE_ENGINE_FIXTURE_H

#include <stddef.h>

#include "codec/dynbuf.h"
#include "mcpwire_limits.h"

typedef enum fixture_role {
  FIXTURE_PROGRESS,
  FIXTURE_ASK_CLIENT,
  FIXTURE_LIST_CHANGED,
  FIXTURE_ECHO,
  FIXTURE_NEEDS_CAPABILITY,
  FIXTURE_INPUT_REQUIRED,
  FIXTURE_REQUEST_STATE,
  FIXTURE_LOGGING,
  FIXTURE_CANCEL_COUNT,
  FIXTURE_ROLE_COUNT
} fixture_role;

/* The era a role is resolved in, as bits (a candidate may serve both). */
typedef enum fixture_era {
  FIXTURE_SESSION = 1u << 0,   /* 2024-11-05 to 2025-11-25: initialize, a session */
  FIXTURE_STATELESS = 1u << 1, /* 2026-07-28: discover, every request on its own */
} fixture_era;

/* Roles as bits, for case_def.fixtures. */
#define FX_PROGRESS (1u << FIXTURE_PROGRESS)
#define FX_ASK_CLIENT (1u << FIXTURE_ASK_CLIENT)
#define FX_LIST_CHANGED (1u << FIXTURE_LIST_CHANGED)
#define FX_ECHO (1u << FIXTURE_ECHO)
#define FX_NEEDS_CAPABILITY (1u << FIXTURE_NEEDS_CAPABILITY)
#define FX_INPUT_REQUIRED (1u << FIXTURE_INPUT_REQUIRED)
#define FX_REQUEST_STATE (1u << FIXTURE_REQUEST_STATE)
#define FX_LOGGING (1u << FIXTURE_LOGGING)
#define FX_CANCEL_COUNT (1u << FIXTURE_CANCEL_COUNT)

/* In an ECHO argument template, this JSON string stands for the text. */
#define FIXTURE_TEXT_SLOT "\"$TEXT\""

/* The client capabilities a tool the user mapped to INPUT_REQUIRED or
 * REQUEST_STATE is called with: every kind of input request. */
#define FIXTURE_ALL_CAPABILITIES "{\"elicitation\":{},\"sampling\":{},\"roots\":{}}"
/* A capabilities object of a candidate ("{\"elicitation\":{}}"), NUL included. */
#define FIXTURE_CAPABILITIES_MAX 64
/* tools/call params members "name":...,"arguments":... (the name JSON-escaped). */
#define FIXTURE_CALL_MEMBERS_MAX (6 * MCPWIRE_FIXTURE_TOOL_MAX + MCPWIRE_FIXTURE_ARGS_MAX + 32)

/* The user's mapping of roles to tools (--fixture, --fixtures). */
typedef struct fixture_map {
  char tool[FIXTURE_ROLE_COUNT][MCPWIRE_FIXTURE_TOOL_MAX];   /* "" when not mapped */
  char args[FIXTURE_ROLE_COUNT][MCPWIRE_FIXTURE_ARGS_MAX];   /* JSON object */
} fixture_map;

/* A role resolved on the target. */
typedef struct fixture {
  fixture_role role;
  char tool[MCPWIRE_FIXTURE_TOOL_MAX];
  char args[MCPWIRE_FIXTURE_ARGS_MAX]; /* JSON object, ECHO's text at FIXTURE_TEXT_SLOT */
  const char *source;      /* "conformance contract", "server-everything", ... */
  /* The client capabilities the tool relies on (JSON object; "" unknown):
   * declared on a call of INPUT_REQUIRED and REQUEST_STATE, left out on a
   * call of NEEDS_CAPABILITY. */
  char capabilities[FIXTURE_CAPABILITIES_MAX];
  int progress_events;     /* progress notifications one call sends; 0: none or unknown */
  int subscribe_first;     /* LIST_CHANGED through a resource update: subscribe first */
  int toggles;             /* LIST_CHANGED by a tool that switches updates on and off */
  int toggled_on;          /* this session switched it on already */
} fixture;

/* "progress", "ask_client", "list_changed", "echo", "needs_capability",
 * "input_required", "request_state", "logging", "cancel_count". */
const char *fixture_role_name(fixture_role role);
/* Role of a name (case-insensitive, '-' or '_'), -1 when unknown. */
int fixture_role_parse(const char *name);
/* The roles of a bit set as "progress, list_changed" ("" for none). */
const char *fixture_roles_text(unsigned roles, char *buf, size_t len);
/* Every role name, "progress, ask_client, ..." (for messages). */
const char *fixture_role_names(void);
/* Tool names looked for, in order, for a role in the eras given (bits):
 * "test_tool_with_progress, trigger-long-running-operation, ...". */
const char *fixture_candidates_text(fixture_role role, unsigned eras, char *buf, size_t len);

/* Adds one mapping "ROLE=TOOL" or "ROLE=TOOL {json args}" to map. 0 on
 * success, else -1 with a one-line reason in err. */
int fixture_map_add(fixture_map *map, const char *spec, char *err, size_t errlen);
/* Adds every line of a file (blank lines and # comments skipped). 0 on
 * success, else -1 with "FILE:LINE: reason" in err. */
int fixture_map_load(fixture_map *map, const char *path, char *err, size_t errlen);

/* The members of tools/call params without _meta, '"name":...,"arguments":...'
 * with text in ECHO's slot (NULL: none), as a stateless request takes them.
 * 0 on success. */
int fixture_call_members(const fixture *fx, const char *text, dynbuf *out);
/* tools/call params for one call: {"name":...,"arguments":...} with text
 * in ECHO's slot (NULL: none) and token_raw (JSON text, NULL: none) as
 * _meta.progressToken. 0 on success. */
int fixture_params(const fixture *fx, const char *token_raw, const char *text, dynbuf *out);
/* The whole tools/call request with id id_raw (JSON text). 0 on success. */
int fixture_request(const fixture *fx, const char *id_raw, const char *token_raw,
                    const char *text, dynbuf *out);
/* "fixture progress: test_tool_with_progress (conformance contract)". */
const char *fixture_describe(const fixture *fx, char *buf, size_t len);

#endif
