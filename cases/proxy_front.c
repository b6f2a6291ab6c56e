/* proxy_front: a case's own fault proxy in front of the target. */
#include "cases/proxy_front.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Host (brackets removed) and port of an http:// URL; 0 on success. */
static int target_of(const char *url, proxy_config *pc) {
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL;
  int rc = -1;
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK && !strcmp(scheme, "http") &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    size_t n = strlen(host);
    if (n > 1 && host[0] == '[' && host[n - 1] == ']')
      snprintf(pc->target_host, sizeof pc->target_host, "%.*s", (int)(n - 2), host + 1);
    else
      snprintf(pc->target_host, sizeof pc->target_host, "%s", host);
    pc->target_port = atoi(port);
    rc = 0;
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return rc;
}

static char *url_via(const char *url, int port) {
  CURLU *u = curl_url();
  char ports[16], *s = NULL, *out = NULL;
  snprintf(ports, sizeof ports, "%d", port);
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_HOST, "127.0.0.1", 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_PORT, ports, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
    out = strdup(s);
  curl_free(s);
  curl_url_cleanup(u);
  return out;
}

int proxy_front_start(case_ctx *ctx, proxy_front *pf, const char *modes) {
  proxy_config pc;
  char err[256];
  memset(pf, 0, sizeof *pf);
  snprintf(pf->modes, sizeof pf->modes, "%s", modes);
  proxy_config_init(&pc);
  if (target_of(ctx->cfg->url, &pc)) {
    ctx_skip(ctx, "the fault proxy needs an http:// target (no TLS)");
    return -1;
  }
  if (proxy_config_parse(&pc, modes, err, sizeof err) ||
      !(pf->px = proxy_start(&pc, err, sizeof err))) {
    ctx_error(ctx, "setup: fault proxy '%s': %s", modes, err);
    return -1;
  }
  if (!(pf->url = url_via(ctx->cfg->url, proxy_port(pf->px)))) {
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
