/* proxy_config_test: the MODE[,MODE...] grammar, its limits and its errors. */
#include <string.h>

#include "check.h"
#include "proxy/proxy.h"

static int parse(proxy_config *cfg, const char *modes, char *err) {
  proxy_config_init(cfg);
  return proxy_config_parse(cfg, modes, err, 256);
}

static void config_parses_every_mode(void) {
  proxy_config c;
  char err[256] = "";
  CHECK_INT(parse(&c, "buffer=100,slice=3:7,latency=20,cut-bytes=0,cut-events=2,stall=9,"
                      "reset=11,idle-cut=500,times=3,strip-header=X-A,set-header=X-B: v, w",
                  err), 0);
  CHECK_INT(c.buffer_bytes, 100);
  CHECK_INT(c.slice, 3);
  CHECK_INT(c.slice_gap_ms, 7);
  CHECK_INT(c.latency_ms, 20);
  CHECK(c.has_cut_bytes && c.cut_bytes == 0);
  CHECK(c.has_cut_events && c.cut_events == 2);
  CHECK(c.has_stall && c.stall_bytes == 9);
  CHECK(c.has_reset && c.reset_bytes == 11);
  CHECK_INT(c.idle_cut_ms, 500);
  CHECK_INT(c.fault_times, 3);
  CHECK_INT(c.n_rules, 2);
  CHECK_STR(c.rules[0].name, "X-A");
  CHECK(!c.rules[0].set);
  CHECK_STR(c.rules[1].name, "X-B");
  CHECK_STR(c.rules[1].value, "v, w"); /* a comma not followed by a mode stays in the value */
  char desc[512];
  proxy_config_describe(&c, desc, sizeof desc);
  CHECK_STR(desc, "buffer=100,slice=3:7,latency=20,cut-bytes=0,cut-events=2,stall=9,reset=11,"
                  "strip-header=X-A,set-header=X-B:v, w,idle-cut=500,times=3");
}

static void config_defaults_are_loopback_and_pass(void) {
  proxy_config c;
  char err[256];
  CHECK_INT(parse(&c, "pass", err), 0);
  CHECK_STR(c.listen_host, "127.0.0.1");
  CHECK_INT(c.listen_port, 0);
  char desc[64];
  proxy_config_describe(&c, desc, sizeof desc);
  CHECK_STR(desc, "pass");
  CHECK_INT(parse(&c, "slice", err), 0);
  CHECK_INT(c.slice, 1);
  CHECK_INT(c.slice_gap_ms, MCPWIRE_PROXY_SLICE_GAP_MS);
  CHECK_INT(parse(&c, "buffer", err), 0);
  CHECK(c.buffer_whole);
}

static void config_rejects_bad_modes(void) {
  static const struct {
    const char *modes, *message;
  } bad[] = {
      {"", "empty mode list"},
      {"bogus", "unknown mode 'bogus'"},
      {"pass=1", "pass takes no argument"},
      {"slice=0", "slice=N needs 1 <= N <= 4194304"},
      {"buffer=0", "buffer=N needs 1 <= N <= 16777216"},
      {"buffer,buffer=10", "use either buffer or buffer=N"},
      {"latency=600001", "latency needs a number of ms (at most 600000)"},
      {"latency", "latency needs a number of ms (at most 600000)"},
      {"cut-bytes=-1", "cut-bytes needs a number"},
      {"cut-bytes=99999999999999999999", "cut-bytes needs a number"},
      {"cut-events=0", "cut-events needs N >= 1"},
      {"times=0", "times needs N >= 1"},
      {"strip-header", "strip-header needs an argument"},
      {"strip-header=Bad Name", "header name 'Bad Name' is not a token"},
      {"set-header=NoColon", "set-header needs NAME:VALUE"},
      {"set-header=Content-Length:5",
       "set-header cannot change Content-Length (the proxy keeps framing correct)"},
      {"passx", "unknown mode 'passx'"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    proxy_config c;
    char err[256] = "";
    CHECK_INT(parse(&c, bad[i].modes, err), -1);
    CHECK_STR(err, bad[i].message);
  }
}

static void config_caps_header_rules(void) {
  proxy_config c;
  char err[256];
  proxy_config_init(&c);
  for (int i = 0; i < MCPWIRE_PROXY_HEADER_RULES_MAX; i++)
    CHECK_INT(proxy_config_parse(&c, "strip-header=X", err, sizeof err), 0);
  CHECK_INT(proxy_config_parse(&c, "strip-header=X", err, sizeof err), -1);
}

static void hostport_parses_v4_v6_and_rejects_junk(void) {
  char host[64];
  int port = 0;
  CHECK_INT(proxy_parse_hostport("127.0.0.1:8080", host, sizeof host, &port), 0);
  CHECK_STR(host, "127.0.0.1");
  CHECK_INT(port, 8080);
  CHECK_INT(proxy_parse_hostport("[::1]:0", host, sizeof host, &port), 0);
  CHECK_STR(host, "::1");
  CHECK_INT(port, 0);
  CHECK_INT(proxy_parse_hostport("localhost", host, sizeof host, &port), -1);
  CHECK_INT(proxy_parse_hostport("a:65536", host, sizeof host, &port), -1);
  CHECK_INT(proxy_parse_hostport(":80", host, sizeof host, &port), -1);
  CHECK_INT(proxy_parse_hostport("[::1]80", host, sizeof host, &port), -1);
}

static void start_refuses_public_listen_and_missing_target(void) {
  proxy_config c;
  char err[256] = "";
  proxy_config_init(&c);
  CHECK(proxy_start(&c, err, sizeof err) == NULL);
  CHECK_STR(err, "no target");
  strcpy(c.target_host, "127.0.0.1");
  c.target_port = 9;
  strcpy(c.listen_host, "0.0.0.0");
  CHECK(proxy_start(&c, err, sizeof err) == NULL);
  CHECK_STR(err, "0.0.0.0 is not a loopback address (allow it explicitly)");
}

int main(void) {
  config_parses_every_mode();
  config_defaults_are_loopback_and_pass();
  config_rejects_bad_modes();
  config_caps_header_rules();
  hostport_parses_v4_v6_and_rejects_junk();
  start_refuses_public_listen_and_missing_target();
  return CHECK_DONE("proxy_config_test");
}
