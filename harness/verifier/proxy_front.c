/* proxy_front: a case's own fault proxy in front of the target. */
#include "verifier/proxy_front.h"

#include "codec/endpoint_url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int proxy_front_start(case_ctx *ctx, proxy_front *pf, const char *modes) {
  proxy_config pc;
  char err[256];
  memset(pf, 0, sizeof *pf);
  snprintf(pf->modes, sizeof pf->modes, "%s", modes);
  proxy_config_init(&pc);
  if (endpoint_url_http_host_port(ctx->cfg->url, pc.target_host, sizeof pc.target_host,
                                  &pc.target_port)) {
    ctx_skip(ctx, "the fault proxy needs an http:// target (no TLS)");
    return -1;
  }
  if (proxy_config_parse(&pc, modes, err, sizeof err) ||
      !(pf->px = proxy_start(&pc, err, sizeof err))) {
    ctx_error(ctx, "setup: fault proxy '%s': %s", modes, err);
    return -1;
  }
  if (!(pf->url = endpoint_url_via_local(ctx->cfg->url, proxy_port(pf->px)))) {
    proxy_front_stop(pf);
    ctx_error(ctx, "setup: cannot rewrite the URL for the proxy");
    return -1;
  }
  if (ctx_trust_origin(ctx, pf->url)) {
    proxy_front_stop(pf);
    ctx_error(ctx, "setup: no room for the proxy's origin (MCPWIRE_HOME_ORIGINS_MAX)");
    return -1;
  }
  pf->ctx = ctx;
  ctx_note(ctx, "fault proxy %s in front of the target: %s", modes, pf->url);
  return 0;
}

uint64_t proxy_front_bytes_out(proxy_front *pf) {
  proxy_stats st;
  proxy_get_stats(pf->px, &st);
  return st.bytes_to_client;
}

uint64_t proxy_front_faults_fired(proxy_front *pf) {
  proxy_stats st;
  proxy_get_stats(pf->px, &st);
  return st.cuts + st.stalls + st.resets;
}

void proxy_front_stop(proxy_front *pf) {
  if (pf->ctx && pf->url)
    ctx_untrust_origin(pf->ctx, pf->url);
  pf->ctx = NULL;
  if (pf->px)
    proxy_stop(pf->px);
  free(pf->url);
  pf->px = NULL;
  pf->url = NULL;
}
