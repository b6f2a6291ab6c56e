/*
 * proxy: a fault-injecting, HTTP-aware TCP relay between a client and one
 * target, to turn any scenario into a buffering-proxy scenario.
 *
 * It runs its own libevent loop in a thread. The request direction passes
 * through untouched (its framing is tracked so keep-alive connections and
 * responses to HEAD are framed right). The response direction goes through
 * the modes of the config: header rewriting, faults (cut, stall, reset),
 * buffering, latency and re-slicing, in that order. Byte counts and event
 * counts restart with every response. Modes are documented in docs/PROXY.md
 * and in `mcpwire proxy --help`.
 */
#ifndef MCPWIRE_PROXY_H
#define MCPWIRE_PROXY_H

#include <stdint.h>
#include <stdio.h>

#include "mcpwire_limits.h"

typedef struct proxy_header_rule {
  char name[MCPWIRE_PROXY_HEADER_TEXT_MAX];
  char value[MCPWIRE_PROXY_HEADER_TEXT_MAX];
  int set;    /* 1 set-header (replace or add), 0 strip-header */
} proxy_header_rule;

/* Another target of a balancing proxy. */
typedef struct proxy_target {
  char host[256];
  int port;
} proxy_target;

typedef struct proxy_config {
  char listen_host[256];     /* default 127.0.0.1 */
  int listen_port;           /* default 0: any free port */
  int allow_public;          /* 0: refuse a non-loopback listen address */
  char target_host[256];
  int target_port;
  /* balance=MODE (enum proxy_balance, proxy/balance.h): each request goes
   * to target_host or one of more_targets, and its client connection
   * closes after the response (Connection: close), so the next request
   * chooses again. 0: one target, relayed per connection. */
  int balance;
  proxy_target more_targets[MCPWIRE_PROXY_TARGETS_MAX - 1];
  size_t n_more_targets;
  /* Response modes. A count of 0 means off unless its has_ flag is set. */
  int buffer_whole;          /* `buffer` */
  uint64_t buffer_bytes;     /* `buffer=N` */
  uint64_t slice;            /* `slice=N`: write size; 0 off */
  unsigned slice_gap_ms;     /* pause between slices (`slice=N:MS`) */
  unsigned latency_ms;       /* `latency=MS` */
  int has_cut_bytes, has_cut_events, has_stall, has_reset;
  uint64_t cut_bytes, cut_events, stall_bytes, reset_bytes;
  unsigned idle_cut_ms;      /* `idle-cut=MS`, 0 off */
  uint64_t fault_times;      /* `times=N`: cut, cut-events, stall and reset fire N times in all */
  proxy_header_rule rules[MCPWIRE_PROXY_HEADER_RULES_MAX];
  size_t n_rules;
  FILE *log;                 /* one line per connection event; NULL quiet */
} proxy_config;

typedef struct proxy proxy;

/* Counters, read with proxy_get_stats (taken under a lock). */
typedef struct proxy_stats {
  uint64_t connections;      /* accepted */
  uint64_t refused;          /* over MCPWIRE_PROXY_CONNECTIONS_MAX or target down */
  uint64_t responses;        /* response heads seen */
  uint64_t bytes_to_client, bytes_to_target;
  uint64_t cuts, stalls, resets, idle_cuts;
  uint64_t buffer_overflows; /* responses past a hold cap (per response or in all), sent as-is */
  uint64_t upstream_pauses;  /* reads from the origin stopped: the client side was full */
  uint64_t held_peak;        /* most bytes the proxy held at once, all connections */
  uint64_t framing_errors;   /* connections that fell back to raw relaying */
  uint64_t accept_pauses;    /* accept() failed (out of descriptors): paused */
} proxy_stats;

/* Defaults: listen 127.0.0.1:0, pass-through, no target. */
void proxy_config_init(proxy_config *cfg);
/* Adds the modes of "MODE[,MODE...]" to cfg. 0 on success; -1 with a
 * message in err. `pass` adds nothing. */
int proxy_config_parse(proxy_config *cfg, const char *modes, char *err, size_t errlen);
/* A target: the first sets target_host, later ones more_targets. 0 on
 * success; -1 with a message in err (bad HOST:PORT, too many). */
int proxy_config_add_target(proxy_config *cfg, const char *hostport, char *err, size_t errlen);
/* "HOST:PORT" or "[V6]:PORT" into host and port. 0 on success. */
int proxy_parse_hostport(const char *s, char *host, size_t hostlen, int *port);
/* One line describing the active modes, e.g. "slice=1:2,latency=50". */
void proxy_config_describe(const proxy_config *cfg, char *out, size_t outlen);

/* Binds, resolves the target and starts the loop thread. NULL with a
 * message in err on failure. The config is copied. */
proxy *proxy_start(const proxy_config *cfg, char *err, size_t errlen);
int proxy_port(const proxy *p);
void proxy_get_stats(proxy *p, proxy_stats *out);
/* Stops the loop, closes every connection, joins the thread, frees all. */
void proxy_stop(proxy *p);

#endif
