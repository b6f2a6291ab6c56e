/* proxy_balance_test: balance=... and repeated targets in the config, and
 * which target a request head picks (round-robin, session-hash). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "proxy/balance.h"
#include "proxy/http_framing.h"
#include "proxy/proxy.h"

typedef struct pick {
  int mode;
  size_t n;
  uint64_t turn;
  size_t got;
  char key[128];
  int has_key;
} pick;

static void on_head(void *user, const http_head *h) {
  pick *p = user;
  p->has_key = balance_session_key(h, p->key, sizeof p->key);
  p->got = balance_pick(p->mode, p->n, h, &p->turn);
}

/* The target the request head `req` picks. */
static size_t pick_for(pick *p, const char *req) {
  static const http_framing_callbacks cb = {on_head, NULL, NULL};
  http_framing f;
  http_framing_init(&f, 0, &cb, p);
  http_framing_feed(&f, req, strlen(req));
  http_framing_free(&f);
  return p->got;
}

static void config_takes_balance_and_targets(void) {
  proxy_config c;
  char err[256] = "";
  proxy_config_init(&c);
  CHECK_INT(proxy_config_parse(&c, "balance=session-hash", err, sizeof err), 0);
  CHECK_INT(c.balance, PROXY_BALANCE_SESSION_HASH);
  CHECK_INT(proxy_config_add_target(&c, "127.0.0.1:1001", err, sizeof err), 0);
  CHECK_INT(proxy_config_add_target(&c, "[::1]:1002", err, sizeof err), 0);
  CHECK_STR(c.target_host, "127.0.0.1");
  CHECK_INT(c.n_more_targets, 1);
  CHECK_STR(c.more_targets[0].host, "::1");
  CHECK_INT(c.more_targets[0].port, 1002);
  char desc[256];
  proxy_config_describe(&c, desc, sizeof desc);
  CHECK_STR(desc, "balance=session-hash over 2 targets");
  for (int i = 0; i < MCPWIRE_PROXY_TARGETS_MAX - 2; i++)
    CHECK_INT(proxy_config_add_target(&c, "127.0.0.1:1003", err, sizeof err), 0);
  CHECK_INT(proxy_config_add_target(&c, "127.0.0.1:1004", err, sizeof err), -1);
  CHECK_INT(proxy_config_add_target(&c, "no-port", err, sizeof err), -1);
  proxy_config_init(&c);
  CHECK_INT(proxy_config_parse(&c, "balance=sticky", err, sizeof err), -1);
  CHECK_INT(proxy_config_parse(&c, "balance", err, sizeof err), -1);
}

static void round_robin_takes_turns(void) {
  pick p = {.mode = PROXY_BALANCE_ROUND_ROBIN, .n = 3};
  const char *req = "POST /mcp HTTP/1.1\r\nMcp-Session-Id: abc\r\nContent-Length: 0\r\n\r\n";
  CHECK_INT(pick_for(&p, req), 0);
  CHECK_INT(pick_for(&p, req), 1);
  CHECK_INT(pick_for(&p, req), 2);
  CHECK_INT(pick_for(&p, req), 0);
}

static void session_hash_follows_the_key(void) {
  pick p = {.mode = PROXY_BALANCE_SESSION_HASH, .n = 2};
  char req[256];
  size_t seen[2] = {0};
  for (int i = 0; i < 16; i++) {
    snprintf(req, sizeof req, "GET /mcp HTTP/1.1\r\nmcp-session-id:  id-%d \r\n\r\n", i);
    size_t first = pick_for(&p, req);
    CHECK(p.has_key);
    CHECK_INT(pick_for(&p, req), first); /* the same key, the same target */
    seen[first]++;
  }
  CHECK(seen[0] && seen[1]); /* keys spread over both */
  /* legacy: the sessionId query parameter, among others */
  size_t a = pick_for(&p, "POST /message?x=1&sessionId=id-3&y=2 HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  CHECK_STR(p.key, "id-3");
  CHECK_INT(a, pick_for(&p, "GET /mcp HTTP/1.1\r\nMcp-Session-Id: id-3\r\n\r\n"));
  /* no key: round-robin, as nginx's hash does with an empty key */
  uint64_t before = p.turn;
  pick_for(&p, "POST /mcp HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  CHECK(!p.has_key);
  pick_for(&p, "GET /sse?other=1 HTTP/1.1\r\n\r\n");
  CHECK(!p.has_key);
  CHECK_INT(p.turn, before + 2);
}

int main(void) {
  config_takes_balance_and_targets();
  round_robin_takes_turns();
  session_hash_follows_the_key();
  return CHECK_DONE("proxy_balance_test");
}
