/*
 * credentials: the run's Authorization header, for the cases that check
 * what a target does with and without it (http/auth, modern/auth).
 */
#ifndef MCPWIRE_VERIFIER_CREDENTIALS_H
#define MCPWIRE_VERIFIER_CREDENTIALS_H

#include "engine/case.h"

/* 1 when the run sends an Authorization header; else the case skips. */
int credentials_required(case_ctx *ctx);

/* A client like the case's own without the run's Authorization header
 * (opt must outlive it); NULL with an error verdict. */
client *credentials_client_without(case_ctx *ctx, transport_options *opt);

#endif
