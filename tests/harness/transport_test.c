/* transport: stream caps, NULL-safe waits, unreachable detection, deadlines. */
#include <string.h>

#include "check.h"
#include "mcpwire_limits.h"
#include "transport/client.h"
#include "transport/rpc.h"

static const transport_options OPT = {.nheaders = 0};

static void client_refuses_streams_past_the_cap(void) {
  transcript t;
  transcript_init(&t);
  client *c = client_new(&OPT, &t);
  http_request req = {"GET", "http://127.0.0.1:1/", NULL, NULL, 0};
  size_t started = 0;
  for (size_t i = 0; i < MCPWIRE_STREAMS_PER_CASE_MAX + 3; i++)
    if (client_start(c, &req))
      started++;
  CHECK_INT(started, MCPWIRE_STREAMS_PER_CASE_MAX);
  CHECK(strstr(dynbuf_str(&t.text), "MCPWIRE_STREAMS_PER_CASE_MAX reached") != NULL);
  client_free(c);
  transcript_free(&t);
}

static void waits_on_a_failed_start_return_at_once(void) {
  CHECK_INT(http_stream_wait_headers(NULL, clock_ms() + 60000), -1);
  CHECK_INT(http_stream_wait_done(NULL, clock_ms() + 60000), -1);
  CHECK(http_stream_next_event(NULL, clock_ms() + 60000) == NULL);
}

static void refused_connection_is_unreachable_with_a_reason(void) {
  transcript t;
  transcript_init(&t);
  client *c = client_new(&OPT, &t);
  static const char *const extra[] = {"Accept: text/event-stream", NULL};
  http_request req = {"GET", "http://127.0.0.1:1/mcp", extra, NULL, 0};
  http_stream *s = client_start(c, &req);
  CHECK(s != NULL);
  CHECK_INT(http_stream_wait_done(s, clock_ms() + 10000), 0);
  CHECK(http_stream_unreachable(s));
  CHECK(strlen(http_stream_error(s)) > 0);
  CHECK_INT(s->status, 0);
  rpc_failure f = {{0}};
  CHECK(rpc_await_response(s, "1", clock_ms() + 1000, &f, NULL) == NULL);
  CHECK(strstr(f.why, "no response") != NULL);
  const char *log = dynbuf_str(&t.text);
  CHECK(strstr(log, "#1 > GET http://127.0.0.1:1/mcp") != NULL);
  CHECK(strstr(log, "#1 > Accept: text/event-stream") != NULL);
  client_free(c);
  transcript_free(&t);
}

static void custom_header_replaces_the_transport_value(void) {
  transcript t;
  transcript_init(&t);
  transport_options opt = {.headers = {"accept: application/json", "X-Extra: 1"}, .nheaders = 2};
  client *c = client_new(&opt, &t);
  static const char *const extra[] = {"Accept: text/event-stream", "Content-Type: a/b", NULL};
  http_request req = {"GET", "http://127.0.0.1:1/", extra, NULL, 0};
  CHECK(client_start(c, &req) != NULL);
  const char *log = dynbuf_str(&t.text);
  CHECK(strstr(log, "> Accept: text/event-stream") == NULL);
  CHECK(strstr(log, "> accept: application/json") != NULL);
  CHECK(strstr(log, "> Content-Type: a/b") != NULL);
  CHECK(strstr(log, "> X-Extra: 1") != NULL);
  client_free(c);
  transcript_free(&t);
}

static int never(void *arg) {
  (void)arg;
  return 0;
}

static void client_wait_returns_at_its_deadline(void) {
  transcript t;
  transcript_init(&t);
  client *c = client_new(&OPT, &t);
  double t0 = clock_ms();
  CHECK_INT(client_wait(c, never, NULL, t0 + 150), -1);
  double took = clock_ms() - t0;
  CHECK(took >= 150);
  CHECK(took < 150 + 2000); /* generous: a loaded machine, never a hang */
  client_free(c);
  transcript_free(&t);
}

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  client_refuses_streams_past_the_cap();
  waits_on_a_failed_start_return_at_once();
  refused_connection_is_unreachable_with_a_reason();
  client_wait_returns_at_its_deadline();
  custom_header_replaces_the_transport_value();
  curl_global_cleanup();
  return CHECK_DONE("transport_test");
}
