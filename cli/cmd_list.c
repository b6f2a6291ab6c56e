/* mcpwire list: the case table, as text or JSON. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "cli/commands.h"
#include "cli/cli_text.h"
#include "cli/exit_codes.h"
#include "codec/json_writer.h"
#include "engine/coverage.h"
#include "mcpwire_limits.h"

static void list_usage(FILE *to) {
  fputs("usage: mcpwire list [--format text|json]\n"
        "       mcpwire list --side client [--format text|json]\n"
        "       mcpwire list --coverage [--format text|json|markdown]\n"
        "\n"
        "Lists every case: id, level, transport, revisions (all, a date, or\n"
        "FIRST+ for that revision and every later one), requirement ids, title,\n"
        "and the fixture roles it needs a target's tool to play (progress,\n"
        "ask_client, list_changed, echo, needs_capability, input_required,\n"
        "request_state, logging, cancel_count; see 'mcpwire run --fixture').\n"
        "--format json adds the mock faults that must break each case and how\n"
        "the both-ways prover runs it (\"proof\": revision, transports,\n"
        "credentials, what the mock must offer; tests/matrix/prove.py).\n"
        "--side client lists the client scenarios of 'mcpwire client' instead\n"
        "(--side server, the default, the server cases); JSON adds each one's\n"
        "fault of tests/clients/mcp_client.py.\n"
        "--coverage lists every catalog requirement instead: the cases that cite\n"
        "it, or why none can, then the gaps (see docs/COVERAGE.md).\n",
        to);
}

/* The session-era revisions of a case: "all" (2024-11-05 to 2025-11-25),
 * "2025-03-26+" (that one and every later session-era one), or the dates
 * joined with commas. */
static const char *session_label(unsigned revisions, char *buf, size_t len) {
  revisions &= REV_ALL;
  if (revisions == REV_ALL)
    return "all";
  size_t n = 0, used = 0, first = 0, newest_run; /* revision_names is newest first */
  while (revision_names[n])
    n++;
  while (first < n && revision_is_stateless(revision_names[first]))
    first++;
  newest_run = first;
  while (newest_run < n && (revisions & revision_bit(revision_names[newest_run])))
    newest_run++;
  if (newest_run >= first + 2) {
    unsigned run = 0;
    for (size_t k = first; k < newest_run; k++)
      run |= revision_bit(revision_names[k]);
    if (run == revisions) {
      snprintf(buf, len, "%s+", revision_names[newest_run - 1]);
      return buf;
    }
  }
  buf[0] = '\0';
  for (size_t k = n; k-- > first;)
    if ((revisions & revision_bit(revision_names[k])) && used < len)
      used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "",
                               revision_names[k]);
  return buf;
}

/* The revisions a case applies to: the session-era label, then
 * "2026-07-28" (the stateless era) when the case has it. */
static const char *revisions_label(unsigned revisions, char *buf, size_t len) {
  char session[64];
  const char *s = session_label(revisions, session, sizeof session);
  if (revisions & REV_2026_07_28)
    snprintf(buf, len, "%s%s2026-07-28", s, *s ? "," : "");
  else
    snprintf(buf, len, "%s", s);
  return buf;
}

static void list_text(const case_def *const *all, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const case_def *d = all[i];
    char revs[96]; /* the session label (under 64) and ",2026-07-28" */
    printf("%-36s %-6s %-4s %-11s ", d->id, level_name(d->level), case_transport_label(d->transport),
           revisions_label(d->revisions, revs, sizeof revs));
    for (size_t r = 0; d->requirements[r]; r++)
      printf("%s%s", r ? "," : "", d->requirements[r]);
    char roles[96];
    if (d->fixtures)
      printf("  %s [fixtures: %s]\n", d->title, fixture_roles_text(d->fixtures, roles, sizeof roles));
    else
      printf("  %s\n", d->title);
  }
}

/* A NULL-terminated name list as a JSON array. */
static int json_names(dynbuf *out, const char *const *names) {
  int rc = dynbuf_adds(out, "[");
  for (size_t i = 0; names && names[i]; i++)
    rc |= dynbuf_adds(out, i ? "," : "") || json_write_cstring(out, names[i]);
  return rc | dynbuf_adds(out, "]");
}

/* How the both-ways prover runs a case (case_proof), as a JSON object:
 * {"spec":null|REV,"transports":[...],"credentials":[...],"needs":[...],
 *  "unbroken_by":[...],"instances":0|1}. */
static int json_proof(dynbuf *out, const case_proof *p) {
  static const char *const need_names[] = {"get_stream", "sse_replies", "json_replies"};
  const char *spec = NULL, *transports[3] = {NULL}, *needs[4] = {NULL};
  for (size_t k = 0; revision_names[k]; k++)
    if (p->spec == revision_bit(revision_names[k]))
      spec = revision_names[k];
  size_t nt = 0, nn = 0;
  if (p->transports & CASE_HTTP)
    transports[nt++] = "http";
  if (p->transports & CASE_SSE)
    transports[nt++] = "sse";
  if (p->transports & CASE_STDIO)
    transports[nt++] = "stdio";
  for (size_t k = 0; k < 3; k++)
    if (p->needs & (1u << k))
      needs[nn++] = need_names[k];
  const char *const bearer[] = {(p->credentials & CRED_BEARER) ? "bearer" : NULL, NULL};
  int rc = dynbuf_adds(out, "{\"spec\":") || json_write_cstring(out, spec);
  rc |= dynbuf_adds(out, ",\"transports\":") || json_names(out, transports);
  rc |= dynbuf_adds(out, ",\"credentials\":") || json_names(out, bearer);
  rc |= dynbuf_adds(out, ",\"needs\":") || json_names(out, needs);
  rc |= dynbuf_adds(out, ",\"unbroken_by\":") || json_names(out, p->unbroken_by);
  rc |= dynbuf_adds(out, p->instances ? ",\"instances\":1" : ",\"instances\":0");
  return rc | dynbuf_adds(out, "}");
}

static int list_json(const case_def *const *all, size_t n) {
  dynbuf out;
  dynbuf_init(&out, MCPWIRE_LIST_OUT_MAX);
  int rc = dynbuf_adds(&out, "[");
  for (size_t i = 0; i < n && !rc; i++) {
    const case_def *d = all[i];
    rc |= dynbuf_adds(&out, i ? ",\n {\"id\":" : "\n {\"id\":");
    rc |= json_write_cstring(&out, d->id);
    rc |= dynbuf_adds(&out, ",\"title\":") || json_write_cstring(&out, d->title);
    rc |= dynbuf_adds(&out, ",\"section\":") || json_write_cstring(&out, d->section);
    rc |= dynbuf_adds(&out, ",\"level\":") || json_write_cstring(&out, level_name(d->level));
    rc |= dynbuf_adds(&out, ",\"transport\":") ||
          json_write_cstring(&out, case_transport_label(d->transport));
    rc |= dynbuf_adds(&out, ",\"revisions\":[");
    for (size_t k = 0, first = 1; revision_names[k]; k++)
      if (d->revisions & revision_bit(revision_names[k])) {
        rc |= dynbuf_adds(&out, first ? "" : ",") || json_write_cstring(&out, revision_names[k]);
        first = 0;
      }
    rc |= dynbuf_adds(&out, "],\"requirements\":[");
    for (size_t r = 0; d->requirements[r]; r++)
      rc |= dynbuf_adds(&out, r ? "," : "") || json_write_cstring(&out, d->requirements[r]);
    rc |= dynbuf_adds(&out, "],\"spec_ref\":") || json_write_cstring(&out, d->spec_ref);
    rc |= dynbuf_adds(&out, ",\"faults\":") || json_names(&out, d->faults);
    rc |= dynbuf_adds(&out, ",\"no_fault_reason\":") ||
          json_write_cstring(&out, d->no_fault_reason);
    rc |= dynbuf_adds(&out, ",\"proof\":") || json_proof(&out, &d->proof);
    rc |= dynbuf_adds(&out, d->slow ? ",\"slow\":true" : ",\"slow\":false");
    rc |= dynbuf_adds(&out, d->run_wide ? ",\"run_wide\":true" : ",\"run_wide\":false");
    rc |= dynbuf_adds(&out, ",\"fixtures\":[");
    for (int f = 0, first = 1; f < FIXTURE_ROLE_COUNT; f++)
      if (d->fixtures & (1u << f)) {
        rc |= dynbuf_adds(&out, first ? "" : ",") ||
              json_write_cstring(&out, fixture_role_name((fixture_role)f));
        first = 0;
      }
    rc |= dynbuf_adds(&out, "]}");
  }
  rc |= dynbuf_adds(&out, "\n]\n");
  if (!rc)
    fwrite(out.ptr, 1, out.len, stdout);
  dynbuf_free(&out);
  return rc ? MCPWIRE_EXIT_INTERNAL : MCPWIRE_EXIT_OK;
}

static int list_coverage(const case_def *const *all, size_t n, const char *format) {
  coverage_input in = {.cases = all, .ncases = n};
  in.catalog = catalog_all(&in.ncatalog);
  dynbuf out;
  dynbuf_init(&out, MCPWIRE_LIST_OUT_MAX);
  int rc = coverage_write(&out, format, &in);
  if (!rc)
    fwrite(out.ptr, 1, out.len, stdout);
  dynbuf_free(&out);
  return rc ? MCPWIRE_EXIT_INTERNAL : MCPWIRE_EXIT_OK;
}

int cmd_list(int argc, char **argv) {
  const char *format = "text", *side = "server";
  int coverage = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      list_usage(stdout);
      return MCPWIRE_EXIT_OK;
    }
    if (!strcmp(argv[i], "--coverage"))
      coverage = 1;
    else if (!strcmp(argv[i], "--side") && i + 1 < argc)
      side = argv[++i];
    else if (!strcmp(argv[i], "--format") && i + 1 < argc)
      format = argv[++i];
    else if (!strncmp(argv[i], "--format=", 9))
      format = argv[i] + 9;
    else {
      return cli_fail("list", MCPWIRE_EXIT_USAGE,
                      "unknown argument '%s' (try 'mcpwire list --help')", argv[i]);
    }
  }
  if (strcmp(side, "server") && strcmp(side, "client"))
    return cli_fail("list", MCPWIRE_EXIT_USAGE, "--side '%s' is not server or client", side);
  if (!strcmp(side, "client")) {
    if (coverage || (strcmp(format, "text") && strcmp(format, "json")))
      return cli_fail("list", MCPWIRE_EXIT_USAGE, "--side client takes --format text or json");
    return list_scenarios(format);
  }
  size_t n = 0;
  const case_def *const *all = registry_all(&n);
  if (coverage) {
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "markdown")) {
      return cli_fail("list", MCPWIRE_EXIT_USAGE, "--format '%s' is not text, json or markdown",
                      format);
    }
    return list_coverage(all, n, format);
  }
  if (!strcmp(format, "text")) {
    list_text(all, n);
    return MCPWIRE_EXIT_OK;
  }
  if (!strcmp(format, "json"))
    return list_json(all, n);
  return cli_fail("list", MCPWIRE_EXIT_USAGE, "--format '%s' is not text or json", format);
}
