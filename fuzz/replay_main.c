/*
 * replay_main: runs a fuzz target's LLVMFuzzerTestOneInput over corpus files
 * without libFuzzer, so any compiler (gcc with ASan+UBSan, valgrind) can
 * replay every corpus and crash file as an ordinary regression test.
 *
 *   <target>_replay FILE|DIR...     (directories: their regular files)
 *
 * Each input sits in a buffer of exactly its size, so an overread trips
 * ASan as it would under libFuzzer. Exits 1 when no input was found: an
 * empty corpus must not pass silently.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mcpwire_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || (uint64_t)st.st_size > MCPWIRE_FUZZ_INPUT_MAX) {
    fprintf(stderr, "replay: %s: skipped (larger than MCPWIRE_FUZZ_INPUT_MAX)\n", path);
    fclose(f);
    return -1;
  }
  size_t size = (size_t)st.st_size;
  /* malloc(0) may return NULL; an empty input still gets a valid pointer. */
  uint8_t *buf = malloc(size ? size : 1);
  if (!buf || fread(buf, 1, size, f) != size) {
    fprintf(stderr, "replay: %s: read failed\n", path);
    free(buf);
    fclose(f);
    return -1;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, size);
  free(buf);
  return 0;
}

static int name_compare(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays a directory's regular files in name order (stable logs). */
static long replay_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return -1;
  }
  size_t n = 0, cap = 0;
  char **names = NULL;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **grown = realloc(names, cap * sizeof *names);
      if (!grown)
        break;
      names = grown;
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, name_compare);
  long done = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(dir) + strlen(names[i]) + 2;
    char *path = malloc(len);
    struct stat st;
    if (path) {
      snprintf(path, len, "%s/%s", dir, names[i]);
      if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && replay_file(path) == 0)
        done++;
    }
    free(path);
    free(names[i]);
  }
  free(names);
  return done;
}

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  long total = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      return 2;
    }
    long n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : (replay_file(argv[i]) == 0);
    if (n > 0)
      total += n;
  }
  fprintf(stderr, "replay: %ld inputs ran without a crash\n", total);
  return total > 0 ? 0 : 1;
}
