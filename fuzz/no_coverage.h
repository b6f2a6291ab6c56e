/*
 * FUZZ_NO_COVERAGE: keeps libFuzzer's coverage and comparison tracing out of
 * a harness function (clang's no_sanitize("coverage"), clang 13 and later).
 *
 * A target's own bookkeeping (split plans, logs, digests, oracles) is not
 * what is being fuzzed, and traced per byte it costs more than the code
 * under test. Sanitizers (ASan, UBSan) still check these functions; only
 * the coverage feedback is left out. Other compilers: no effect.
 *
 * A traced-out LLVMFuzzerTestOneInput that returns early for an input too
 * short to reach the code under test (its mode bytes missing) must return
 * fuzz_input_too_short() there. Started without a corpus, libFuzzer runs
 * one 1-byte input; when that input covers no edge at all it stops with
 * "no interesting inputs were found" instead of fuzzing. The helper is
 * traced and never inlined, so that input covers one edge and the fuzzing
 * starts. CTest fuzz_libfuzzer_starts_from_empty_corpus_<target> checks it.
 */
#ifndef MCPWIRE_FUZZ_NO_COVERAGE_H
#define MCPWIRE_FUZZ_NO_COVERAGE_H

#if defined(__clang__) && __clang_major__ >= 13
#define FUZZ_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define FUZZ_NO_COVERAGE
#endif

#if defined(__clang__)
__attribute__((noinline))
#endif
static inline int fuzz_input_too_short(void) {
  static volatile unsigned seen; /* a side effect: the call is kept */
  seen++;
  return 0;
}

#endif
