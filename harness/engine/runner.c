#include "engine/runner.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/envelope.h"
#include "mcpwire_limits.h"

int runner_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1; }

void runner_global_cleanup(void) { curl_global_cleanup(); }

typedef struct run_state {
  const case_def **cases;
  size_t n;
  const run_config *cfg;
  run_result *out;
  size_t *order;             /* starting order: indices into cases */
  atomic_size_t next;
  size_t done;
  size_t others_left;        /* cases not run-wide still to end */
  pthread_mutex_t lock;
  pthread_cond_t others_ended;
  runner_progress progress;
  void *user;
} run_state;

/* 1 when the case is for a transport the run does not speak: it is not run
 * and not counted (nothing a user could act on), only listed. */
static int other_transport(const case_def *d, const run_config *cfg) {
  return !(d->transport & case_transport_of_run(cfg->transport_name));
}

/* The revision the case runs at: the run's, or in a dual-era run the
 * stateless one for a case of that era only. */
static const char *case_revision(const case_def *d, const run_config *cfg) {
  if (cfg->modern_spec && !(d->revisions & revision_bit(cfg->spec)) &&
      (d->revisions & revision_bit(cfg->modern_spec)))
    return cfg->modern_spec;
  return cfg->spec;
}

/* Why the case does not apply to this run's revision, or NULL when it does
 * (a skip: running again with --spec REV would run it). */
static const char *not_applicable(const case_def *d, const run_config *cfg, char *buf,
                                  size_t len) {
  if (d->revisions & revision_bit(cfg->spec))
    return NULL;
  if (revision_is_stateless(cfg->spec))
    snprintf(buf, len, "the server speaks only the stateless revision %s; the case is for "
             "the session era", cfg->spec);
  else if (d->revisions == REV_2026_07_28)
    snprintf(buf, len, "revision %s was negotiated; the case is for the stateless revision "
             "2026-07-28 (--spec 2026-07-28 at a server of that era)", cfg->spec);
  else
    snprintf(buf, len, "revision %s was negotiated; the case does not apply to it", cfg->spec);
  return buf;
}

static void fill_static(case_result *r, const case_def *d) {
  r->id = d->id;
  r->section = d->section;
  r->title = d->title;
  r->spec_ref = d->spec_ref;
  r->transport = case_transport_label(d->transport);
  r->level = d->level;
  r->requirements = d->requirements;
  r->verdict = VERDICT_PASS;
}

/* Nothing the user gave as a secret stays in what reports show of a case,
 * whoever wrote it there (a server may echo a token back). */
static void redact_case(const secret_list *sl, case_result *r) {
  if (r->transcript)
    r->transcript_len = redact_scrub(sl, r->transcript, r->transcript_len);
  redact_scrub_str(sl, r->expected);
  redact_scrub_str(sl, r->actual);
  redact_scrub_str(sl, r->reason);
  for (size_t i = 0; i < r->nenvelope; i++) {
    envelope_problem *e = &r->envelope[i];
    redact_scrub_str(sl, e->where);
    redact_scrub_str(sl, e->reason);
    redact_scrub_str(sl, e->excerpt);
  }
}

static void *worker(void *arg);

static double case_deadline(const run_config *cfg, double from) {
  double end = from + (double)cfg->case_timeout_ms;
  return end < cfg->run_deadline_ms ? end : cfg->run_deadline_ms;
}

/* Returns once every case that is not run-wide has ended; meanwhile this
 * thread runs the cases not started yet, so no job slot stands idle. */
static void await_others(run_state *st) {
  worker(st);
  pthread_mutex_lock(&st->lock);
  while (st->others_left)
    pthread_cond_wait(&st->others_ended, &st->lock);
  pthread_mutex_unlock(&st->lock);
}

/* A run-wide case: its early part (an exchange of its own) runs beside the
 * first cases, its judgement once every other case has ended, with a case
 * deadline from then. Returns the ms it waited, which is not its duration. */
static double run_wide(case_ctx *ctx, run_state *st) {
  if (ctx->def->early)
    ctx->def->early(ctx);
  double t = clock_ms();
  await_others(st);
  double waited = clock_ms() - t;
  transcript_addf(&ctx->log, "the other cases ended after %.1f ms more", waited);
  ctx->deadline_ms = case_deadline(ctx->cfg, clock_ms());
  ctx->def->run(ctx);
  return waited;
}

/* A run-wide case gets the whole run (st->out) in ctx->run. */
static void run_case(const case_def *d, const run_config *run_cfg, case_result *r,
                     run_state *st) {
  /* A case of the other era of a dual-era run sees that era's revision. */
  run_config era = *run_cfg;
  era.spec = case_revision(d, run_cfg);
  const run_config *cfg = &era;
  fill_static(r, d);
  r->revision = era.spec;
  case_ctx ctx = {.def = d, .cfg = cfg, .res = r, .run = d->run_wide ? st->out : NULL,
                  .transport = cfg->transport};
  transcript_init(&ctx.log);
  envelope_watch watch;
  envelope_attach(&watch, &ctx.log, r);
  double start = ctx.log.t0_ms, waited = 0;
  ctx.deadline_ms = case_deadline(cfg, start);
  char why[200];
  transcript_addf(&ctx.log, "case %s (%s %s) against %s %s", d->id, level_name(d->level),
                  r->transport, cfg->transport_name, cfg->spec);
  if (not_applicable(d, cfg, why, sizeof why))
    ctx_skip(&ctx, "%s", why);
  else if (start >= cfg->run_deadline_ms)
    ctx_error(&ctx, "run deadline passed before the case started");
  else if (!(ctx.client = client_new(&ctx.transport, &ctx.log)))
    ctx_error(&ctx, "internal: could not create a client");
  else if (d->run_wide)
    waited = run_wide(&ctx, st);
  else
    d->run(&ctx);
  if (!ctx.decided && clock_ms() > ctx.deadline_ms + 1000)
    ctx_error(&ctx, "case overran its deadline");
  if (!ctx.decided)
    transcript_addf(&ctx.log, "verdict pass");
  client_free(ctx.client);
  r->duration_ms = clock_ms() - start - waited;
  r->transcript_truncated = ctx.log.truncated;
  r->transcript_len = ctx.log.text.len;
  r->transcript = dynbuf_take(&ctx.log.text);
  transcript_free(&ctx.log);
  redact_case(&cfg->transport.secrets, r);
}

static void case_done(run_state *st, size_t i) {
  pthread_mutex_lock(&st->lock);
  st->done++;
  if (!st->cases[i]->run_wide && --st->others_left == 0)
    pthread_cond_broadcast(&st->others_ended);
  if (st->progress)
    st->progress(st->user, &st->out->cases[i], st->done, st->n);
  pthread_mutex_unlock(&st->lock);
}

static void *worker(void *arg) {
  run_state *st = arg;
  for (;;) {
    size_t k = atomic_fetch_add(&st->next, 1);
    if (k >= st->n)
      return NULL;
    size_t i = st->order[k];
    run_case(st->cases[i], st->cfg, &st->out->cases[i], st);
    case_done(st, i);
  }
}

/* Indices of the cases in starting order: run-wide ones first (their
 * early part runs while the others do), then slow ones (slow 2 before
 * slow 1), then the rest; each group in registry order. *others gets how
 * many are not run-wide. */
static size_t *start_order(const case_def *const *cases, size_t n, size_t *others) {
  size_t *order = malloc((n ? n : 1) * sizeof *order), k = 0;
  if (!order)
    return NULL;
  *others = 0;
  for (int pass = 0; pass < 4; pass++)
    for (size_t i = 0; i < n; i++) {
      int group = cases[i]->run_wide ? 0 : cases[i]->slow >= 2 ? 1 : cases[i]->slow ? 2 : 3;
      if (group == pass)
        order[k++] = i;
      *others += pass == 0 && !cases[i]->run_wide;
    }
  return order;
}

void runner_count(run_result *r) {
  memset(r->counts, 0, sizeof r->counts);
  for (size_t i = 0; i < r->ncases; i++)
    r->counts[r->cases[i].verdict]++;
}

/* 1 when the case is for an era the server was found not to speak: a
 * session-era case at a server of the stateless revision alone, or a
 * stateless-only case at a server that did not answer server/discover.
 * Not when --spec chose the era (running without it would run them). */
static int other_era(const case_def *d, const run_config *cfg) {
  if (cfg->modern_spec || cfg->spec_forced || !cfg->spec || d->run_wide)
    return 0;
  if (revision_is_stateless(cfg->spec))
    return !(d->revisions & REV_2026_07_28) && !cfg->dual_era;
  return !(d->revisions & ~(unsigned)REV_2026_07_28);
}

/* Moves the ids of cases for the other transport or era to
 * out->not_applicable and the rest, in order, to keep[]; returns how many
 * were kept. */
static size_t set_aside_other_transport(const case_def *const *cases, size_t n,
                                        const run_config *cfg, const case_def **keep,
                                        run_result *out) {
  size_t k = 0;
  out->not_applicable = calloc(n ? n : 1, sizeof *out->not_applicable);
  out->nnot_applicable = 0;
  unsigned theirs = 0;
  out->nnot_applicable_era = 0;
  out->not_applicable_era = cfg->spec && revision_is_stateless(cfg->spec) ? "session" : "2026-07-28";
  for (size_t i = 0; i < n; i++) {
    int transport = other_transport(cases[i], cfg), era = !transport && other_era(cases[i], cfg);
    if (transport)
      theirs |= cases[i]->transport & ~case_transport_of_run(cfg->transport_name);
    if ((transport || era) && out->not_applicable) {
      out->not_applicable[out->nnot_applicable++] = cases[i]->id;
      out->nnot_applicable_era += era;
    } else {
      keep[k++] = cases[i];
    }
  }
  /* Named one by one in the summary line ("any" is a case's label). */
  out->not_applicable_transport = theirs == CASE_ANY ? "http/sse" : case_transport_label(theirs);
  return k;
}

int runner_run(const case_def *const *all, size_t nall, const run_config *cfg,
               run_result *out, runner_progress progress, void *user) {
  const case_def **cases = calloc(nall ? nall : 1, sizeof *cases);
  if (!cases)
    return -1;
  size_t n = set_aside_other_transport(all, nall, cfg, cases, out);
  out->cases = calloc(n ? n : 1, sizeof *out->cases);
  if (!out->cases) {
    free(cases);
    return -1;
  }
  out->ncases = n;
  run_state st = {.cases = cases, .n = n, .cfg = cfg, .out = out, .progress = progress,
                  .user = user};
  if (!(st.order = start_order(cases, n, &st.others_left))) {
    free(out->cases);
    free(cases);
    out->cases = NULL;
    return -1;
  }
  atomic_init(&st.next, 0);
  pthread_mutex_init(&st.lock, NULL);
  pthread_cond_init(&st.others_ended, NULL);
  size_t jobs = cfg->jobs ? cfg->jobs : MCPWIRE_CASES_IN_FLIGHT;
  if (jobs > MCPWIRE_CASES_IN_FLIGHT_MAX)
    jobs = MCPWIRE_CASES_IN_FLIGHT_MAX;
  size_t nthreads = n < jobs ? n : jobs;
  pthread_t threads[MCPWIRE_CASES_IN_FLIGHT_MAX];
  size_t started = 0;
  for (; started < nthreads; started++)
    if (pthread_create(&threads[started], NULL, worker, &st))
      break;
  if (started == 0 && n > 0)
    worker(&st);
  for (size_t i = 0; i < started; i++)
    pthread_join(threads[i], NULL);
  pthread_cond_destroy(&st.others_ended);
  pthread_mutex_destroy(&st.lock);
  free(st.order);
  free(cases);
  runner_count(out);
  return 0;
}
