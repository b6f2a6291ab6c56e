/* coverage: the catalog joined with the cases, as text, JSON or Markdown. */
#include "engine/coverage.h"

#include <string.h>

#include "codec/json_writer.h"

const char *req_kind_name(unsigned kind) {
  switch (kind) {
  case KIND_HS: return "H→S";
  case KIND_MC: return "M→C";
  case KIND_BB: return "BB-untestable";
  default: return "informational";
  }
}

int requirement_is_normative(const requirement *r) {
  /* Upper case only: "whatwg-must" is normative too, "should" in prose is not. */
  return strstr(r->level, "MUST") || strstr(r->level, "SHOULD") || strstr(r->level, "REQUIRED") ||
         strstr(r->level, "whatwg-must");
}

int requirement_wants_case(const requirement *r) {
  return r->kind == KIND_HS && requirement_is_normative(r);
}

const requirement *catalog_find(const coverage_input *in, const char *id) {
  for (size_t i = 0; i < in->ncatalog; i++)
    if (!strcmp(in->catalog[i].id, id))
      return &in->catalog[i];
  return NULL;
}

static int case_cites(const case_def *d, const char *id) {
  for (size_t k = 0; d->requirements && d->requirements[k]; k++)
    if (!strcmp(d->requirements[k], id))
      return 1;
  return 0;
}

static size_t citing_count(const coverage_input *in, const char *id) {
  size_t n = 0;
  for (size_t c = 0; c < in->ncases; c++)
    n += (size_t)case_cites(in->cases[c], id);
  return n;
}

static int case_lacks_faults(const case_def *d) {
  return !(d->faults && d->faults[0]) && !(d->no_fault_reason && d->no_fault_reason[0]);
}

/* "case", "reason", "gap" (a case is owed) or "open" (none owed, none given). */
static const char *requirement_status(const coverage_input *in, const requirement *r) {
  if (citing_count(in, r->id))
    return "case";
  if (r->no_case_reason)
    return "reason";
  return requirement_wants_case(r) ? "gap" : "open";
}

coverage_summary coverage_count(const coverage_input *in) {
  coverage_summary s = {0};
  s.requirements = in->ncatalog;
  for (size_t i = 0; i < in->ncatalog; i++) {
    const requirement *r = &in->catalog[i];
    const char *st = requirement_status(in, r);
    s.with_case += !strcmp(st, "case");
    if (!requirement_wants_case(r))
      continue;
    s.hs_normative++;
    s.hs_with_case += !strcmp(st, "case");
    s.hs_with_reason += !strcmp(st, "reason");
    s.gaps += !strcmp(st, "gap");
  }
  for (size_t c = 0; c < in->ncases; c++) {
    const case_def *d = in->cases[c];
    for (size_t k = 0; d->requirements && d->requirements[k]; k++)
      s.unknown_ids += !catalog_find(in, d->requirements[k]);
    s.cases_without_faults += (size_t)case_lacks_faults(d);
  }
  return s;
}

/* ---- text ---- */

static int text_citations(dynbuf *out, const coverage_input *in, const requirement *r) {
  int rc = 0, first = 1;
  for (size_t c = 0; c < in->ncases; c++)
    if (case_cites(in->cases[c], r->id)) {
      rc |= dynbuf_printf(out, "%s%s (%s)", first ? "" : ", ", in->cases[c]->id,
                          level_name(in->cases[c]->level));
      first = 0;
    }
  return rc;
}

static int text_problems(dynbuf *out, const coverage_input *in, const char *bullet) {
  int rc = 0;
  for (size_t c = 0; c < in->ncases; c++) {
    const case_def *d = in->cases[c];
    for (size_t k = 0; d->requirements && d->requirements[k]; k++)
      if (!catalog_find(in, d->requirements[k]))
        rc |= dynbuf_printf(out, "%s%s cites %s, which is not in the catalog\n", bullet, d->id,
                            d->requirements[k]);
    if (case_lacks_faults(d))
      rc |= dynbuf_printf(out, "%s%s has neither .faults nor .no_fault_reason\n", bullet, d->id);
  }
  return rc;
}

static int text_gaps(dynbuf *out, const coverage_input *in, const char *bullet) {
  int rc = 0;
  for (size_t i = 0; i < in->ncatalog; i++) {
    const requirement *r = &in->catalog[i];
    if (!strcmp(requirement_status(in, r), "gap"))
      rc |= dynbuf_printf(out, "%s%s (%s, %s, %s)\n", bullet, r->id, r->level, r->revisions,
                          req_kind_name(r->kind));
  }
  return rc;
}

static int summary_text(dynbuf *out, const coverage_summary *s, const char *bullet) {
  return dynbuf_printf(out,
                       "%s%zu requirements in the catalog, %zu cited by a case\n"
                       "%s%zu H→S requirements at MUST/SHOULD level: %zu with a case, "
                       "%zu with a stated reason, %zu with neither (gaps)\n"
                       "%s%zu citations of unknown ids, %zu cases without faults or a reason\n",
                       bullet, s->requirements, s->with_case, bullet, s->hs_normative,
                       s->hs_with_case, s->hs_with_reason, s->gaps, bullet, s->unknown_ids,
                       s->cases_without_faults);
}

static int coverage_text(dynbuf *out, const coverage_input *in) {
  int rc = 0;
  for (size_t i = 0; i < in->ncatalog && !rc; i++) {
    const requirement *r = &in->catalog[i];
    const char *st = requirement_status(in, r);
    rc |= dynbuf_printf(out, "%-18s %-10s %-16s %-3s %-13s ", r->id, r->revisions, r->level,
                        r->side, req_kind_name(r->kind));
    if (!strcmp(st, "case"))
      rc |= text_citations(out, in, r);
    else if (!strcmp(st, "reason"))
      rc |= dynbuf_printf(out, "- %s", r->no_case_reason);
    else
      rc |= dynbuf_adds(out, !strcmp(st, "gap") ? "GAP: no case, no reason" : "(no case)");
    rc |= dynbuf_adds(out, "\n");
  }
  coverage_summary s = coverage_count(in);
  rc |= dynbuf_adds(out, "\nsummary:\n") || summary_text(out, &s, "  ");
  if (s.gaps)
    rc |= dynbuf_adds(out, "gaps (H→S, MUST/SHOULD, no case and no reason):\n") ||
          text_gaps(out, in, "  GAP ");
  if (s.unknown_ids || s.cases_without_faults)
    rc |= dynbuf_adds(out, "case table problems:\n") || text_problems(out, in, "  ");
  return rc;
}

/* ---- JSON ---- */

static int json_kinds(dynbuf *out, unsigned kinds) {
  int rc = dynbuf_adds(out, "[");
  for (unsigned bit = KIND_HS, first = 1; bit <= KIND_INFO; bit <<= 1)
    if (kinds & bit) {
      rc |= dynbuf_adds(out, first ? "" : ",") || json_write_cstring(out, req_kind_name(bit));
      first = 0;
    }
  return rc | dynbuf_adds(out, "]");
}

static int json_requirement(dynbuf *out, const coverage_input *in, const requirement *r) {
  int rc = dynbuf_adds(out, "{\"id\":") || json_write_cstring(out, r->id);
  rc |= dynbuf_adds(out, ",\"revisions\":") || json_write_cstring(out, r->revisions);
  rc |= dynbuf_adds(out, ",\"level\":") || json_write_cstring(out, r->level);
  rc |= dynbuf_adds(out, ",\"side\":") || json_write_cstring(out, r->side);
  rc |= dynbuf_adds(out, ",\"kind\":") || json_write_cstring(out, req_kind_name(r->kind));
  rc |= dynbuf_adds(out, ",\"other_kinds\":") || json_kinds(out, r->other_kinds);
  rc |= dynbuf_printf(out, ",\"normative\":%s", requirement_is_normative(r) ? "true" : "false");
  rc |= dynbuf_adds(out, ",\"status\":") || json_write_cstring(out, requirement_status(in, r));
  rc |= dynbuf_adds(out, ",\"reason\":") || json_write_cstring(out, r->no_case_reason);
  rc |= dynbuf_adds(out, ",\"cases\":[");
  for (size_t c = 0, first = 1; c < in->ncases; c++)
    if (case_cites(in->cases[c], r->id)) {
      rc |= dynbuf_adds(out, first ? "{\"id\":" : ",{\"id\":") ||
            json_write_cstring(out, in->cases[c]->id);
      rc |= dynbuf_adds(out, ",\"level\":") ||
            json_write_cstring(out, level_name(in->cases[c]->level)) || dynbuf_adds(out, "}");
      first = 0;
    }
  return rc | dynbuf_adds(out, "]}");
}

static int json_summary(dynbuf *out, const coverage_summary *s) {
  return dynbuf_printf(out,
                       "\"summary\":{\"requirements\":%zu,\"with_case\":%zu,\"hs_normative\":%zu,"
                       "\"hs_with_case\":%zu,\"hs_with_reason\":%zu,\"gaps\":%zu,"
                       "\"unknown_ids\":%zu,\"cases_without_faults\":%zu}",
                       s->requirements, s->with_case, s->hs_normative, s->hs_with_case,
                       s->hs_with_reason, s->gaps, s->unknown_ids, s->cases_without_faults);
}

static int json_problems(dynbuf *out, const coverage_input *in) {
  int rc = dynbuf_adds(out, ",\n\"unknown_ids\":[");
  for (size_t c = 0, first = 1; c < in->ncases; c++) {
    const case_def *d = in->cases[c];
    for (size_t k = 0; d->requirements && d->requirements[k]; k++)
      if (!catalog_find(in, d->requirements[k])) {
        rc |= dynbuf_adds(out, first ? "{\"case\":" : ",{\"case\":") ||
              json_write_cstring(out, d->id) || dynbuf_adds(out, ",\"id\":") ||
              json_write_cstring(out, d->requirements[k]) || dynbuf_adds(out, "}");
        first = 0;
      }
  }
  rc |= dynbuf_adds(out, "],\n\"cases_without_faults\":[");
  for (size_t c = 0, first = 1; c < in->ncases; c++)
    if (case_lacks_faults(in->cases[c])) {
      rc |= dynbuf_adds(out, first ? "" : ",") || json_write_cstring(out, in->cases[c]->id);
      first = 0;
    }
  return rc | dynbuf_adds(out, "]");
}

static int coverage_json(dynbuf *out, const coverage_input *in) {
  coverage_summary s = coverage_count(in);
  int rc = dynbuf_adds(out, "{\"schema\":\"mcpwire-coverage/1\",\n") || json_summary(out, &s);
  rc |= dynbuf_adds(out, ",\n\"gaps\":[");
  for (size_t i = 0, first = 1; i < in->ncatalog; i++)
    if (!strcmp(requirement_status(in, &in->catalog[i]), "gap")) {
      rc |= dynbuf_adds(out, first ? "" : ",") || json_write_cstring(out, in->catalog[i].id);
      first = 0;
    }
  rc |= dynbuf_adds(out, "]") || json_problems(out, in);
  rc |= dynbuf_adds(out, ",\n\"requirements\":[");
  for (size_t i = 0; i < in->ncatalog && !rc; i++)
    rc |= dynbuf_adds(out, i ? ",\n " : "\n ") || json_requirement(out, in, &in->catalog[i]);
  return rc | dynbuf_adds(out, "\n]}\n");
}

/* ---- Markdown (docs/COVERAGE.md) ---- */

static int md_cell(dynbuf *out, const coverage_input *in, const requirement *r) {
  const char *st = requirement_status(in, r);
  int rc = 0;
  if (!strcmp(st, "case")) {
    for (size_t c = 0, first = 1; c < in->ncases; c++)
      if (case_cites(in->cases[c], r->id)) {
        rc |= dynbuf_printf(out, "%s`%s` (%s)", first ? "" : "<br>", in->cases[c]->id,
                            level_name(in->cases[c]->level));
        first = 0;
      }
    return rc;
  }
  if (!strcmp(st, "reason"))
    return dynbuf_printf(out, "*%s*", r->no_case_reason);
  return dynbuf_adds(out, !strcmp(st, "gap") ? "**GAP**" : "(none)");
}

static int coverage_markdown(dynbuf *out, const coverage_input *in) {
  coverage_summary s = coverage_count(in);
  int rc = dynbuf_adds(out,
                       "# Requirement coverage\n\n"
                       "Generated by `ci/coverage` (`mcpwire list --coverage --format markdown`); "
                       "do not edit by hand. Ids are those of the requirement catalog, kept as "
                       "data in `cases/catalog.c`.\n\n"
                       "Each requirement has a test kind: H→S (mcpwire drives the target "
                       "server), M→C (a mock would drive a target client), BB-untestable, or "
                       "informational. The last column names the cases that cite the id in "
                       "their `.requirements`, with their level; or, in italics, why no case "
                       "of ours can check it; or **GAP** for an H→S requirement at MUST/SHOULD "
                       "level that has neither. `(none)` marks a requirement no case is owed "
                       "(optional, de facto or informational) and none checks yet.\n\n"
                       "For case authors: cite catalog ids only (`catalog_check` fails on "
                       "others), list in `.faults` the mock faults that must break the case "
                       "(`tests/matrix/prove.py` proves each), and run `ci/coverage` after "
                       "adding cases.\n\n"
                       "## Summary\n\n");
  rc |= summary_text(out, &s, "- ");
  rc |= dynbuf_adds(out, "\n## Gaps\n\nH→S requirements at MUST/SHOULD level with neither a "
                         "case nor a stated reason:\n\n");
  rc |= s.gaps ? text_gaps(out, in, "- ") : dynbuf_adds(out, "- none\n");
  if (s.unknown_ids || s.cases_without_faults)
    rc |= dynbuf_adds(out, "\n## Case table problems\n\n") || text_problems(out, in, "- ");
  rc |= dynbuf_adds(out, "\n## Requirements\n\n| id | revisions | level | side | kind | "
                         "cases, or why none |\n| --- | --- | --- | --- | --- | --- |\n");
  for (size_t i = 0; i < in->ncatalog && !rc; i++) {
    const requirement *r = &in->catalog[i];
    rc |= dynbuf_printf(out, "| %s | %s | %s | %s | %s | ", r->id, r->revisions, r->level,
                        r->side, req_kind_name(r->kind));
    rc |= md_cell(out, in, r) || dynbuf_adds(out, " |\n");
  }
  return rc;
}

int coverage_write(dynbuf *out, const char *format, const coverage_input *in) {
  if (!strcmp(format, "text"))
    return coverage_text(out, in) ? -1 : 0;
  if (!strcmp(format, "json"))
    return coverage_json(out, in) ? -1 : 0;
  if (!strcmp(format, "markdown"))
    return coverage_markdown(out, in) ? -1 : 0;
  return -1;
}
