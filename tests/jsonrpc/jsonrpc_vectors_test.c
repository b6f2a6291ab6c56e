/* Golden JSON-RPC vectors: every tests/vectors/jsonrpc/NNN-*.txt is parsed
 * and its expectations checked (format in docs/JSONRPC.md). On top of what a
 * file states, every vector checks the invariants of the API: a valid body
 * has no problems, a non-JSON body has one grammar problem, offsets fall in
 * the body, and a valid message survives get_json and the builders with its
 * id byte for byte. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codec/dynbuf.h"
#include "codec/jsonrpc.h"
#include "mcpwire_limits.h"
#include "vector_text.h"

#define VECTORS_MIN 80

typedef struct vector {
  const char *file;
  dynbuf body, id;
  int has_id, has_offset, has_count;
  int json, valid;
  char kind[32];
  long offset;
  long batch_count;
  char rules[32][48];
  int nrules;
  char reasons[8][160];
  int nreasons;
  int has_json, has_kind, has_valid, has_comment;
} vector;

static int vector_failed;

#define VFAIL(v, ...)                                                      \
  do {                                                                     \
    fprintf(stderr, "%s: ", (v)->file);                                    \
    fprintf(stderr, __VA_ARGS__);                                          \
    fputc('\n', stderr);                                                   \
    vector_failed = 1;                                                     \
    check_failures++;                                                      \
  } while (0)

static int parse_bool(const char *s, int *out) {
  if (!strcmp(s, "true")) { *out = 1; return 0; }
  if (!strcmp(s, "false")) { *out = 0; return 0; }
  return -1;
}

/* One "name: value" line into v; -1 when the line is not understood. */
static int vector_line(vector *v, char *line) {
  if (line[0] == '#') {
    v->has_comment = 1;
    return 0;
  }
  if (!line[0])
    return 0;
  char *colon = strchr(line, ':');
  if (!colon)
    return -1;
  *colon = '\0';
  const char *name = line, *val = colon[1] == ' ' ? colon + 2 : colon + 1;
  if (!strcmp(name, "body"))
    return vector_unescape(&v->body, val);
  if (!strcmp(name, "id")) {
    v->has_id = 1;
    return vector_unescape(&v->id, val);
  }
  if (!strcmp(name, "json")) {
    v->has_json = 1;
    return parse_bool(val, &v->json);
  }
  if (!strcmp(name, "valid")) {
    v->has_valid = 1;
    return parse_bool(val, &v->valid);
  }
  if (!strcmp(name, "kind")) {
    v->has_kind = 1;
    snprintf(v->kind, sizeof v->kind, "%s", val);
    return 0;
  }
  if (!strcmp(name, "offset")) {
    v->has_offset = 1;
    v->offset = strtol(val, NULL, 10);
    return 0;
  }
  if (!strcmp(name, "batch-count")) {
    v->has_count = 1;
    v->batch_count = strtol(val, NULL, 10);
    return 0;
  }
  if (!strcmp(name, "rule") && v->nrules < 32 && strlen(val) < sizeof v->rules[0]) {
    snprintf(v->rules[v->nrules++], sizeof v->rules[0], "%s", val);
    return 0;
  }
  /* Too many, or too long to keep whole: the line is refused, never cut. */
  if (!strcmp(name, "reason-contains") && v->nreasons < 8 && strlen(val) < sizeof v->reasons[0]) {
    snprintf(v->reasons[v->nreasons++], sizeof v->reasons[0], "%s", val);
    return 0;
  }
  return -1;
}

static int vector_load(vector *v, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  dynbuf text;
  dynbuf_init(&text, MCPWIRE_JSONRPC_VECTOR_MAX);
  char chunk[4096];
  size_t n;
  int rc = 0;
  while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
    rc = dynbuf_add(&text, chunk, n);
  fclose(f);
  char *save = NULL;
  for (char *line = rc ? NULL : strtok_r(text.ptr, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    if (vector_line(v, line)) {
      VFAIL(v, "cannot read line \"%s\"", line);
      rc = -1;
    }
  }
  dynbuf_free(&text);
  return rc;
}

static const char *problems_text(const jsonrpc_msg *m, char *buf, size_t size) {
  size_t o = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < jsonrpc_problem_count(m) && o < size; i++) {
    const jsonrpc_problem *p = jsonrpc_problem_at(m, i);
    o += (size_t)snprintf(buf + o, size - o, "\n    %s@%d: %s (offset %ld)", p->rule,
                          p->batch_index, p->reason, p->offset);
  }
  return buf;
}

/* "JSONRPC-05" or "JSONRPC-05@1" (the batch element). */
static int has_rule(const jsonrpc_msg *m, const char *want) {
  char rule[48];
  snprintf(rule, sizeof rule, "%s", want);
  char *at = strchr(rule, '@');
  int index = -2;
  if (at) {
    *at = '\0';
    index = atoi(at + 1);
  }
  for (size_t i = 0; i < jsonrpc_problem_count(m); i++) {
    const jsonrpc_problem *p = jsonrpc_problem_at(m, i);
    if (!strcmp(p->rule, rule) && (index == -2 || p->batch_index == index))
      return 1;
  }
  return 0;
}

static int has_reason(const jsonrpc_msg *m, const char *text) {
  for (size_t i = 0; i < jsonrpc_problem_count(m); i++)
    if (strstr(jsonrpc_problem_at(m, i)->reason, text))
      return 1;
  return 0;
}

/* A valid single message rebuilt from its parts parses to the same kind
 * and the same id bytes. */
static void check_rebuild(vector *v, const jsonrpc_msg *m) {
  jsonrpc_kind k = jsonrpc_kind_of(m);
  size_t idlen = 0;
  const char *id = jsonrpc_id_raw(m, &idlen);
  dynbuf params, out;
  dynbuf_init(&params, MCPWIRE_JSON_BODY_MAX);
  dynbuf_init(&out, MCPWIRE_JSON_BODY_MAX);
  const char *part = k == JSONRPC_SUCCESS_RESPONSE ? "result" : "params";
  int has_part = jsonrpc_get_json(m, part, &params) == 0;
  int rc = -1;
  if (k == JSONRPC_REQUEST)
    rc = jsonrpc_build_request(&out, id, jsonrpc_method(m), has_part ? params.ptr : NULL);
  else if (k == JSONRPC_NOTIFICATION)
    rc = jsonrpc_build_notification(&out, jsonrpc_method(m), has_part ? params.ptr : NULL);
  else if (k == JSONRPC_SUCCESS_RESPONSE)
    rc = jsonrpc_build_result(&out, id, idlen, params.ptr);
  else if (k == JSONRPC_ERROR_RESPONSE) {
    long code = 0;
    CHECK(jsonrpc_error_code(m, &code) || jsonrpc_get_type(m, "error.code") == JSONRPC_T_NUMBER);
    rc = id ? jsonrpc_build_error(&out, id, idlen, code, jsonrpc_error_message(m), NULL)
            : jsonrpc_build_error_without_id(&out, code, jsonrpc_error_message(m), NULL);
  }
  if (rc) {
    VFAIL(v, "rebuilding the %s failed (%d)", jsonrpc_kind_name(k), rc);
  } else {
    jsonrpc_msg *again = jsonrpc_parse(out.ptr, out.len);
    size_t alen = 0;
    const char *aid = jsonrpc_id_raw(again, &alen);
    if (jsonrpc_kind_of(again) != k)
      VFAIL(v, "rebuilt %s parses as %s: %s", jsonrpc_kind_name(k),
            jsonrpc_kind_name(jsonrpc_kind_of(again)), out.ptr);
    if ((id == NULL) != (aid == NULL) || (id && (alen != idlen || memcmp(id, aid, idlen))))
      VFAIL(v, "rebuilt message changed the id: %s", out.ptr);
    jsonrpc_free(again);
  }
  dynbuf_free(&params);
  dynbuf_free(&out);
}

/* get_json("") of a valid body is compact JSON of the same kind. */
static void check_compact(vector *v, const jsonrpc_msg *m) {
  dynbuf out;
  dynbuf_init(&out, MCPWIRE_JSON_BODY_MAX);
  if (jsonrpc_get_json(m, "", &out)) {
    VFAIL(v, "get_json of the root failed");
  } else {
    jsonrpc_msg *again = jsonrpc_parse(out.ptr, out.len);
    if (jsonrpc_kind_of(again) != jsonrpc_kind_of(m) || !jsonrpc_is_valid(again))
      VFAIL(v, "compact form %s is no longer a valid %s", out.ptr,
            jsonrpc_kind_name(jsonrpc_kind_of(m)));
    jsonrpc_free(again);
  }
  dynbuf_free(&out);
}

static void check_invariants(vector *v, const jsonrpc_msg *m, size_t len) {
  size_t n = jsonrpc_problem_count(m);
  if (jsonrpc_is_valid(m) && (n || jsonrpc_kind_of(m) == JSONRPC_INVALID || !jsonrpc_is_json(m)))
    VFAIL(v, "valid yet with problems or of kind invalid");
  if (!jsonrpc_is_valid(m) && n == 0)
    VFAIL(v, "invalid with no problem saying why");
  if (!jsonrpc_is_json(m)) {
    const jsonrpc_problem *p = jsonrpc_problem_at(m, 0);
    if (jsonrpc_kind_of(m) != JSONRPC_INVALID || !p ||
        (strcmp(p->rule, "RFC8259") && strcmp(p->rule, "LIMIT")))
      VFAIL(v, "not JSON, yet not a single grammar problem first");
  }
  for (size_t i = 0; i < n; i++) {
    const jsonrpc_problem *p = jsonrpc_problem_at(m, i);
    if (p->offset < -1 || p->offset > (long)len || !p->reason[0])
      VFAIL(v, "problem %zu has offset %ld outside the %zu-byte body", i, p->offset, len);
  }
  if (jsonrpc_is_valid(m)) {
    check_compact(v, m);
    if (jsonrpc_kind_of(m) != JSONRPC_BATCH)
      check_rebuild(v, m);
  }
}

static void check_expectations(vector *v, const jsonrpc_msg *m) {
  char text[2048];
  if (v->json != jsonrpc_is_json(m))
    VFAIL(v, "json: expected %d, got %d%s", v->json, jsonrpc_is_json(m),
          problems_text(m, text, sizeof text));
  if (strcmp(v->kind, jsonrpc_kind_name(jsonrpc_kind_of(m))))
    VFAIL(v, "kind: expected %s, got %s%s", v->kind, jsonrpc_kind_name(jsonrpc_kind_of(m)),
          problems_text(m, text, sizeof text));
  if (v->valid != jsonrpc_is_valid(m))
    VFAIL(v, "valid: expected %d, got %d%s", v->valid, jsonrpc_is_valid(m),
          problems_text(m, text, sizeof text));
  for (int i = 0; i < v->nrules; i++)
    if (!has_rule(m, v->rules[i]))
      VFAIL(v, "rule %s expected, got:%s", v->rules[i], problems_text(m, text, sizeof text));
  for (int i = 0; i < v->nreasons; i++)
    if (!has_reason(m, v->reasons[i]))
      VFAIL(v, "no reason contains \"%s\":%s", v->reasons[i], problems_text(m, text, sizeof text));
  if (v->has_offset) {
    const jsonrpc_problem *p = jsonrpc_problem_at(m, 0);
    if (!p || p->offset != v->offset)
      VFAIL(v, "first problem offset: expected %ld, got %ld", v->offset, p ? p->offset : -2);
  }
  if (v->has_id) {
    size_t len = 0;
    const char *id = jsonrpc_id_raw(m, &len);
    if (!id || len != v->id.len || memcmp(id, v->id.ptr, len))
      VFAIL(v, "id: expected %s, got %.*s", v->id.ptr ? v->id.ptr : "", (int)len,
            id ? id : "(none)");
  }
  if (v->has_count && (long)jsonrpc_batch_count(m) != v->batch_count)
    VFAIL(v, "batch-count: expected %ld, got %zu", v->batch_count, jsonrpc_batch_count(m));
}

static void run_vector(const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  vector v;
  memset(&v, 0, sizeof v);
  v.file = name;
  dynbuf_init(&v.body, MCPWIRE_JSONRPC_VECTOR_MAX);
  dynbuf_init(&v.id, MCPWIRE_JSONRPC_VECTOR_MAX);
  vector_failed = 0;
  if (vector_load(&v, path) == 0) {
    if (!v.has_json || !v.has_kind || !v.has_valid || !v.has_comment)
      VFAIL(&v, "needs a # comment and json:, kind: and valid: lines");
    if (!v.valid && !v.nrules)
      VFAIL(&v, "an invalid vector names at least one rule:");
    if (!v.valid && !v.nreasons)
      VFAIL(&v, "an invalid vector gives at least one reason-contains:");
    /* An exact-size copy, not NUL-terminated, so ASan sees any over-read. */
    char *body = malloc(v.body.len ? v.body.len : 1);
    if (v.body.len)
      memcpy(body, v.body.ptr, v.body.len);
    jsonrpc_msg *m = jsonrpc_parse(body, v.body.len);
    CHECK(m != NULL);
    if (m) {
      check_expectations(&v, m);
      check_invariants(&v, m, v.body.len);
    }
    jsonrpc_free(m);
    free(body);
  } else if (!vector_failed) {
    VFAIL(&v, "cannot read the file");
  }
  dynbuf_free(&v.body);
  dynbuf_free(&v.id);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: jsonrpc_vectors_test DIR\n");
    return 2;
  }
  DIR *d = opendir(argv[1]);
  if (!d) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  char *names[4096];
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 4096) {
    size_t l = strlen(e->d_name);
    if (l > 4 && !strcmp(e->d_name + l - 4, ".txt"))
      names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof names[0], by_name);
  for (size_t i = 0; i < n; i++) {
    run_vector(argv[1], names[i]);
    free(names[i]);
  }
  fprintf(stderr, "%zu vectors\n", n);
  CHECK(n >= VECTORS_MIN); /* an emptied folder must not pass */
  return CHECK_DONE("jsonrpc_vectors_test");
}
