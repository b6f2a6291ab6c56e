/*
 * fixture: the roles a case needs a target's tools to play, and which tool
 * plays each on a given target.
 *
 * A role is what a case needs, never a tool name: PROGRESS (a call that
 * streams several notifications/progress, then its result), ASK_CLIENT (a
 * call during which the server sends the client a request), LIST_CHANGED (a
 * call that makes the server send a notifications/.../list_changed or a
 * resource update on the standalone stream) and ECHO (a call whose result
 * holds a string argument it was given). A role is resolved from the
 * target's own tools/list, every page: first the user's mapping
 * (--fixture ROLE=TOOL [ARGS], --fixtures FILE), then the official
 * conformance suite's server contract, server-everything, the TypeScript
 * SDK's example servers, and last mcpwire-mock's own tools. Each candidate
 * carries a JSON argument template; a progress token always goes in
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
  FIXTURE_ROLE_COUNT
} fixture_role;

/* Roles as bits, for case_def.fixtures. */
#define FX_PROGRESS (1u << FIXTURE_PROGRESS)
#define FX_ASK_CLIENT (1u << FIXTURE_ASK_CLIENT)
#define FX_LIST_CHANGED (1u << FIXTURE_LIST_CHANGED)
#define FX_ECHO (1u << FIXTURE_ECHO)

/* In an ECHO argument template, this JSON string stands for the text. */
#define FIXTURE_TEXT_SLOT "\"$TEXT\""

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
  int progress_events;     /* progress notifications one call sends; 0: none or unknown */
  int subscribe_first;     /* LIST_CHANGED through a resource update: subscribe first */
  int toggles;             /* LIST_CHANGED by a tool that switches updates on and off */
  int toggled_on;          /* this session switched it on already */
} fixture;

/* "progress", "ask_client", "list_changed", "echo". */
const char *fixture_role_name(fixture_role role);
/* Role of a name (case-insensitive, '-' or '_'), -1 when unknown. */
int fixture_role_parse(const char *name);
/* The roles of a bit set as "progress, list_changed" ("" for none). */
const char *fixture_roles_text(unsigned roles, char *buf, size_t len);
/* Tool names looked for, in order, for a role: "test_tool_with_progress,
 * trigger-long-running-operation, ...". */
const char *fixture_candidates_text(fixture_role role, char *buf, size_t len);

/* Adds one mapping "ROLE=TOOL" or "ROLE=TOOL {json args}" to map. 0 on
 * success, else -1 with a one-line reason in err. */
int fixture_map_add(fixture_map *map, const char *spec, char *err, size_t errlen);
/* Adds every line of a file (blank lines and # comments skipped). 0 on
 * success, else -1 with "FILE:LINE: reason" in err. */
int fixture_map_load(fixture_map *map, const char *path, char *err, size_t errlen);

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
