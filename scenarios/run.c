/* run: one scenario end to end (scenario.h): the stage, the client, the
 * checks, the transcript. */
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcpwire_limits.h"
#include "scenarios/judge.h"
#include "transport/transcript.h"

/* Body bytes of one request shown in the transcript. */
#define BODY_SHOWN 2048

static void put_request(dynbuf *t, size_t i, const stage_request *r) {
  dynbuf_printf(t, "#%zu t=%.0f ms conn %d: %s %s -> %d\n", i + 1, r->t_ms, r->conn, r->method,
                r->target ? r->target : "", r->status);
  const char *h = r->head ? strchr(r->head, '\n') : NULL;
  while (h && h[1] && h[1] != '\r' && h[1] != '\n') {
    const char *e = strchr(h + 1, '\n');
    size_t n = e ? (size_t)(e - h - 1) : strlen(h + 1);
    if (n && h[n] == '\r')
      n--;
    dynbuf_printf(t, "  %.*s\n", (int)n, h + 1);
    h = e;
  }
  if (r->body_total)
    dynbuf_printf(t, "  body (%zu bytes): %.*s%s\n", r->body_total,
                  (int)(r->body_len < BODY_SHOWN ? r->body_len : BODY_SHOWN), r->body,
                  r->body_len > BODY_SHOWN ? "..." : "");
}

static void put_transcript(case_result *res, const client_scenario *d, const char *url,
                           const scenario_options *o, const stage_log *lg,
                           const client_outcome *run) {
  dynbuf t;
  dynbuf_init(&t, MCPWIRE_TRANSCRIPT_MAX);
  char end[160] = "not started";
  if (run->started)
    sc_ending(run, end, sizeof end);
  dynbuf_printf(&t, "stage: %s (%s, %s)\nclient: /bin/sh -c '%s %s' (deadline %ld ms): %s\n", url,
                d->transport, d->script.revision, o->command, url, o->timeout_ms, end);
  for (size_t i = 0; i < lg->n; i++)
    put_request(&t, i, &lg->req[i]);
  if (lg->dropped)
    dynbuf_printf(&t, "(%zu more requests not kept)\n", lg->dropped);
  dynbuf_add(&t, lg->notes.ptr ? lg->notes.ptr : "", lg->notes.len);
  long peak = client_peak_kb(run, 0, 1e18);
  if (peak >= 0)
    dynbuf_printf(&t, "client memory: peak VmHWM %ld kB (%zu samples)\n", peak, run->nsamples);
  if (run->output_len)
    dynbuf_printf(&t, "client output (last %zu bytes):\n%s\n", run->output_len, run->output);
  res->transcript_truncated = t.len + 64 >= MCPWIRE_TRANSCRIPT_MAX;
  res->transcript_len = t.len;
  res->transcript = dynbuf_take(&t);
}

static void begin(case_result *res, const client_scenario *d) {
  memset(res, 0, sizeof *res);
  *res = (case_result){.id = d->id, .title = d->title, .section = d->section,
                       .spec_ref = d->spec_ref, .transport = d->transport, .level = d->level,
                       .requirements = d->requirements, .revision = d->script.revision,
                       .verdict = VERDICT_PASS};
}

int scenario_run(const client_scenario *d, const scenario_options *o, case_result *res) {
  begin(res, d);
  double t0 = clock_ms();
  char why[256];
  stage *st = stage_start(&d->script, why, sizeof why);
  if (!st) {
    res->verdict = VERDICT_ERROR;
    res->reason = strdup(why);
    return -1;
  }
  char *ctx_json = NULL;
  if (asprintf(&ctx_json, "{\"name\":\"%s\"}", d->id) < 0)
    ctx_json = NULL;
  client_launch l = {.command = o->command, .url = stage_url(st), .scenario = d->id,
                     .protocol_version = d->script.revision,
                     .context_json = ctx_json ? ctx_json : "{}", .t0 = t0,
                     .timeout_ms = o->timeout_ms};
  client_outcome run;
  int rc = client_process_run(&l, &run);
  stage_stop(st);
  scenario_ctx x = {.def = d, .log = stage_get_log(st), .run = &run, .res = res};
  dynbuf_init(&x.checked, 8192);
  if (rc) {
    sc_error(&x, "the client could not be started: %s", run.why);
  } else {
    if (d->check) /* first: its reason is the most precise */
      d->check(&x);
    sc_check_exchange(&x);
  }
  if (x.checked.len)
    res->actual = dynbuf_take(&x.checked);
  dynbuf_free(&x.checked);
  put_transcript(res, d, stage_url(st), o, x.log, &run);
  res->duration_ms = clock_ms() - t0;
  client_outcome_free(&run);
  stage_free(st);
  free(ctx_json);
  return rc;
}
