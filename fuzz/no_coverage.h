/*
 * FUZZ_NO_COVERAGE: keeps libFuzzer's coverage and comparison tracing out of
 * a harness function (clang's no_sanitize("coverage"), clang 13 and later).
 *
 * A target's own bookkeeping (split plans, logs, digests, oracles) is not
 * what is being fuzzed, and traced per byte it costs more than the code
 * under test. Sanitizers (ASan, UBSan) still check these functions; only
 * the coverage feedback is left out. Other compilers: no effect.
 */
#ifndef MCPWIRE_FUZZ_NO_COVERAGE_H
#define MCPWIRE_FUZZ_NO_COVERAGE_H

#if defined(__clang__) && __clang_major__ >= 13
#define FUZZ_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define FUZZ_NO_COVERAGE
#endif

#endif
