/*
 * proxy_front: a fault proxy a case starts in front of the run's target,
 * to see what a client behind a buffering or cutting proxy would see.
 */
#ifndef MCPWIRE_VERIFIER_PROXY_FRONT_H
#define MCPWIRE_VERIFIER_PROXY_FRONT_H

#include "engine/case.h"
#include "proxy/proxy.h"

typedef struct proxy_front {
  proxy *px;
  char *url;             /* the run's URL with host:port of the proxy */
  char modes[128];       /* as given, for evidence */
  case_ctx *ctx;         /* whose clients may send to url while it runs */
} proxy_front;

/* Starts the proxy in `modes` (proxy_config_parse syntax) in front of
 * ctx->cfg->url. 0 on success; -1 with an error verdict set. */
int proxy_front_start(case_ctx *ctx, proxy_front *pf, const char *modes);
/* Bytes the proxy has sent to clients so far. */
uint64_t proxy_front_bytes_out(proxy_front *pf);
/* Faults (cuts, stalls, resets) fired so far. */
uint64_t proxy_front_faults_fired(proxy_front *pf);
void proxy_front_stop(proxy_front *pf);

#endif
