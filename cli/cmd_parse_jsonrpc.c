/* `mcpwire parse jsonrpc [FILE|-]`: one JSON line saying whether the bytes
 * are JSON, which JSON-RPC kind they are, and every rule they break. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "codec/dynbuf.h"
#include "codec/json_writer.h"
#include "codec/jsonrpc.h"
#include "mcpwire_limits.h"

static void jsonrpc_usage(FILE *to) {
  fputs("usage: mcpwire parse jsonrpc [FILE|-]\n"
        "\n"
        "Checks that FILE (or standard input) holds one JSON-RPC 2.0 / MCP message\n"
        "or batch, with strict RFC 8259 JSON, and prints one line:\n"
        "  {\"json\":true|false,\"kind\":\"request|notification|success_response|\n"
        "   error_response|batch|invalid\",\"errors\":[{\"rule\":\"JSONRPC-02\",\n"
        "   \"reason\":\"...\",\"offset\":N[,\"index\":I]}]}\n"
        "\"index\" names the batch element a problem concerns. Whitespace around\n"
        "the value (a trailing newline) is allowed.\n"
        "exit: 0 valid, 1 invalid, 2 usage error or unreadable FILE\n",
        to);
}

enum read_result { READ_OK, READ_TOO_BIG, READ_FAILED, READ_NOMEM };

/* The whole stream into buf, at most its cap. */
static enum read_result read_all(FILE *in, dynbuf *buf) {
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
    int rc = dynbuf_add(buf, chunk, n);
    if (rc == DYNBUF_TOO_BIG)
      return READ_TOO_BIG;
    if (rc)
      return READ_NOMEM;
  }
  return ferror(in) ? READ_FAILED : READ_OK;
}

static void write_problem(dynbuf *out, const jsonrpc_problem *p, int first) {
  dynbuf_adds(out, first ? "{\"rule\":" : ",{\"rule\":");
  json_write_cstring(out, p->rule);
  dynbuf_adds(out, ",\"reason\":");
  json_write_cstring(out, p->reason);
  dynbuf_printf(out, ",\"offset\":%ld", p->offset);
  if (p->batch_index >= 0)
    dynbuf_printf(out, ",\"index\":%d", p->batch_index);
  dynbuf_addc(out, '}');
}

static void write_verdict(dynbuf *out, const jsonrpc_msg *m) {
  dynbuf_printf(out, "{\"json\":%s,\"kind\":\"%s\",\"errors\":[",
                jsonrpc_is_json(m) ? "true" : "false",
                jsonrpc_kind_name(jsonrpc_kind_of(m)));
  for (size_t i = 0; i < jsonrpc_problem_count(m); i++)
    write_problem(out, jsonrpc_problem_at(m, i), i == 0);
  dynbuf_adds(out, "]}\n");
}

/* Input over the body cap is never handed to the parser. */
static void write_too_big(dynbuf *out) {
  jsonrpc_problem p = {"LIMIT", "", (long)MCPWIRE_JSON_BODY_MAX, -1};
  snprintf(p.reason, sizeof p.reason, "input is over the cap of %u bytes",
           (unsigned)MCPWIRE_JSON_BODY_MAX);
  dynbuf_adds(out, "{\"json\":false,\"kind\":\"invalid\",\"errors\":[");
  write_problem(out, &p, 1);
  dynbuf_adds(out, "]}\n");
}

/* Verdict for the bytes read; the exit code. */
static int judge(const dynbuf *body, int too_big) {
  dynbuf out;
  dynbuf_init(&out, MCPWIRE_JSON_BODY_MAX);
  int code = MCPWIRE_EXIT_FAIL;
  if (too_big) {
    write_too_big(&out);
  } else {
    jsonrpc_msg *m = jsonrpc_parse(body->ptr ? body->ptr : "", body->len);
    if (!m) {
      fputs("mcpwire parse jsonrpc: out of memory\n", stderr);
      dynbuf_free(&out);
      return MCPWIRE_EXIT_INTERNAL;
    }
    write_verdict(&out, m);
    if (jsonrpc_is_valid(m))
      code = MCPWIRE_EXIT_OK;
    jsonrpc_free(m);
  }
  fwrite(out.ptr, 1, out.len, stdout);
  fflush(stdout);
  dynbuf_free(&out);
  return code;
}

int cmd_parse_jsonrpc(int argc, char **argv) {
  const char *file = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      jsonrpc_usage(stdout);
      return MCPWIRE_EXIT_OK;
    }
    if (file || (argv[i][0] == '-' && argv[i][1])) {
      jsonrpc_usage(stderr);
      return MCPWIRE_EXIT_USAGE;
    }
    file = argv[i];
  }
  FILE *in = stdin;
  if (file && strcmp(file, "-")) {
    in = fopen(file, "rb");
    if (!in) {
      fprintf(stderr, "mcpwire parse jsonrpc: cannot read %s: %s\n", file, strerror(errno));
      return MCPWIRE_EXIT_USAGE;
    }
  }
  dynbuf body;
  dynbuf_init(&body, MCPWIRE_JSON_BODY_MAX);
  enum read_result rc = read_all(in, &body);
  int err = errno;
  if (in != stdin)
    fclose(in);
  int code;
  if (rc == READ_FAILED || rc == READ_NOMEM) {
    fprintf(stderr, "mcpwire parse jsonrpc: cannot read %s: %s\n", file ? file : "standard input",
            rc == READ_FAILED ? strerror(err) : "out of memory");
    code = rc == READ_FAILED ? MCPWIRE_EXIT_USAGE : MCPWIRE_EXIT_INTERNAL;
  } else {
    code = judge(&body, rc == READ_TOO_BIG);
  }
  dynbuf_free(&body);
  return code;
}
