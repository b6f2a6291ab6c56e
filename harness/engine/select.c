#include "engine/select.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcpwire_limits.h"

static int glob_matches(const char *glob, const char *id) {
  if (!fnmatch(glob, id, 0))
    return 1;
  size_t n = strlen(glob);
  /* A section prefix ("http/session" or "http/session/") takes its cases. */
  if (n && glob[n - 1] == '/')
    n--;
  return n && !strncmp(glob, id, n) && id[n] == '/';
}

long select_cases(const case_def *const *all, size_t n, const char *const *globs,
                  size_t nglobs, const case_def **out, char *bad, size_t badlen) {
  for (size_t g = 0; g < nglobs; g++) {
    int hit = 0;
    for (size_t i = 0; i < n && !hit; i++)
      hit = glob_matches(globs[g], all[i]->id);
    if (!hit) {
      snprintf(bad, badlen, "%s", globs[g]);
      return -1;
    }
  }
  /* Run-wide cases judge the traffic of the others: they come along with
   * any of them. */
  int others = 0;
  for (size_t i = 0; i < n && !others; i++)
    for (size_t g = 0; g < nglobs && !others; g++)
      others = !all[i]->run_wide && glob_matches(globs[g], all[i]->id);
  long k = 0;
  for (size_t i = 0; i < n; i++) {
    int keep = nglobs == 0 || (others && all[i]->run_wide);
    for (size_t g = 0; g < nglobs && !keep; g++)
      keep = glob_matches(globs[g], all[i]->id);
    if (keep)
      out[k++] = all[i];
  }
  return k;
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

static int baseline_add(baseline *b, const char *id) {
  char **ids = realloc(b->ids, (b->n + 1) * sizeof *ids);
  if (!ids)
    return -1;
  b->ids = ids;
  if (!(b->ids[b->n] = strdup(id)))
    return -1;
  b->n++;
  return 0;
}

int baseline_load(baseline *b, const char *path, char *why, size_t whylen) {
  memset(b, 0, sizeof *b);
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(why, whylen, "cannot read baseline %s: %s", path, strerror(errno));
    return -1;
  }
  char line[MCPWIRE_BASELINE_LINE_MAX + 2];
  size_t lineno = 0;
  int rc = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    if (!strchr(line, '\n') && !feof(f)) {
      snprintf(why, whylen, "baseline %s line %zu is longer than %d bytes", path, lineno,
               MCPWIRE_BASELINE_LINE_MAX);
      rc = -1;
      break;
    }
    if (lineno > MCPWIRE_BASELINE_LINES_MAX) {
      snprintf(why, whylen, "baseline %s has more than %d lines", path,
               MCPWIRE_BASELINE_LINES_MAX);
      rc = -1;
      break;
    }
    char *hash = strchr(line, '#');
    if (hash)
      *hash = '\0';
    char *id = trim(line);
    if (*id && baseline_add(b, id)) {
      snprintf(why, whylen, "out of memory reading baseline %s", path);
      rc = -1;
      break;
    }
  }
  if (!rc && ferror(f)) {
    snprintf(why, whylen, "cannot read baseline %s: %s", path, strerror(errno));
    rc = -1;
  }
  fclose(f);
  if (rc)
    baseline_free(b);
  return rc;
}

void baseline_free(baseline *b) {
  for (size_t i = 0; i < b->n; i++)
    free(b->ids[i]);
  free(b->ids);
  b->ids = NULL;
  b->n = 0;
}

int baseline_has(const baseline *b, const char *id) {
  for (size_t i = 0; i < b->n; i++)
    if (!strcmp(b->ids[i], id))
      return 1;
  return 0;
}

static int counts_as_failure(const run_result *r, verdict v) {
  return v == VERDICT_FAIL || v == VERDICT_ERROR || (r->strict && v == VERDICT_WARN);
}

int baseline_apply(const baseline *b, run_result *r) {
  for (size_t i = 0; i < r->ncases; i++) {
    case_result *c = &r->cases[i];
    if (!baseline_has(b, c->id))
      continue;
    c->in_baseline = 1;
    if (counts_as_failure(r, c->verdict))
      r->baseline_excused++;
    else if (c->verdict == VERDICT_PASS) {
      char **fixed = realloc(r->baseline_fixed, (r->nbaseline_fixed + 1) * sizeof *fixed);
      if (!fixed)
        return -1;
      r->baseline_fixed = fixed;
      if (!(fixed[r->nbaseline_fixed] = strdup(c->id)))
        return -1;
      r->nbaseline_fixed++;
    }
  }
  return 0;
}

size_t run_blocking_failures(const run_result *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->ncases; i++)
    if (counts_as_failure(r, r->cases[i].verdict) && !r->cases[i].in_baseline)
      n++;
  return n;
}
