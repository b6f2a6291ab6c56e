/* judge: helpers of the scenario checks beyond scenario.h. */
#ifndef MCPWIRE_JUDGE_H
#define MCPWIRE_JUDGE_H

#include "scenarios/scenario.h"

/* A string member of a request's body ("params.name"); 1 when present. */
int sc_body_string(const stage_request *r, const char *path, char *out, size_t len);
/* The jsonrpc_type of a member of a request's body (JSONRPC_T_ABSENT: 0). */
int sc_body_type(const stage_request *r, const char *path);
/* "exit 0 after 512 ms", "still running after 15000 ms: stopped (...)". */
void sc_ending(const client_outcome *o, char *out, size_t len);
/* The check every scenario gets: the exchange (EXPECT_COMPLETE) or a
 * bounded end (EXPECT_BOUNDED). */
void sc_check_exchange(scenario_ctx *x);

#endif
