/* scenario_list: `mcpwire list --side client`, the client scenarios as
 * text or JSON (the fault of tests/clients that must break each). */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "codec/json_writer.h"
#include "mcpwire_limits.h"
#include "scenarios/scenario.h"

static void list_text(const client_scenario *const *all, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const client_scenario *s = all[i];
    printf("%-38s %-6s %-4s %-10s ", s->id, level_name(s->level), s->transport,
           s->script.revision);
    for (size_t r = 0; s->requirements[r]; r++)
      printf("%s%s", r ? "," : "", s->requirements[r]);
    printf("  %s\n", s->title);
  }
}

static int list_json(const client_scenario *const *all, size_t n) {
  dynbuf out;
  dynbuf_init(&out, MCPWIRE_LIST_OUT_MAX);
  int rc = dynbuf_adds(&out, "[");
  for (size_t i = 0; i < n && !rc; i++) {
    const client_scenario *s = all[i];
    rc |= dynbuf_adds(&out, i ? ",\n {\"id\":" : "\n {\"id\":") || json_write_cstring(&out, s->id);
    rc |= dynbuf_adds(&out, ",\"title\":") || json_write_cstring(&out, s->title);
    rc |= dynbuf_adds(&out, ",\"section\":") || json_write_cstring(&out, s->section);
    rc |= dynbuf_adds(&out, ",\"side\":\"client\",\"level\":") ||
          json_write_cstring(&out, level_name(s->level));
    rc |= dynbuf_adds(&out, ",\"transport\":") || json_write_cstring(&out, s->transport);
    rc |= dynbuf_adds(&out, ",\"revision\":") || json_write_cstring(&out, s->script.revision);
    rc |= dynbuf_adds(&out, ",\"requirements\":[");
    for (size_t r = 0; s->requirements[r]; r++)
      rc |= dynbuf_adds(&out, r ? "," : "") || json_write_cstring(&out, s->requirements[r]);
    rc |= dynbuf_adds(&out, "],\"spec_ref\":") || json_write_cstring(&out, s->spec_ref);
    rc |= dynbuf_adds(&out, ",\"expect\":") ||
          json_write_cstring(&out, s->expect == EXPECT_BOUNDED ? "bounded" : "complete");
    rc |= dynbuf_adds(&out, ",\"fault\":") || json_write_cstring(&out, s->fault);
    rc |= dynbuf_adds(&out, "}");
  }
  rc |= dynbuf_adds(&out, "\n]\n");
  if (!rc)
    fwrite(out.ptr, 1, out.len, stdout);
  dynbuf_free(&out);
  return rc ? MCPWIRE_EXIT_INTERNAL : MCPWIRE_EXIT_OK;
}

int list_scenarios(const char *format) {
  size_t n = 0;
  const client_scenario *const *all = scenario_registry(&n);
  if (!strcmp(format, "json"))
    return list_json(all, n);
  list_text(all, n);
  return MCPWIRE_EXIT_OK;
}
