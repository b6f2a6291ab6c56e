#!/usr/bin/env bash
# bench/fuzz-bench.sh [SECONDS]: libFuzzer exec/s per fuzz target on one core.
#
# Builds every target with -fsanitize=fuzzer only (coverage, no ASan/UBSan,
# -O2) into build-fuzz-bench/, runs each for SECONDS (default 20) on a copy of
# its corpus with its dictionary and max_len, pinned to one CPU, and prints
# libFuzzer's average exec/s next to the goal. Goals: fuzz_sse >= 500,000/s,
# fuzz_jsonrpc >= 100,000/s. Note that fuzz_sse runs the parser twice per
# input (split and whole feed) plus its oracle, so its exec/s is a
# property of the target, not the parser's raw speed (bench/ has that).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
seconds=${1:-20}
command -v clang-14 >/dev/null || { echo "fuzz-bench: clang-14 is required" >&2; exit 2; }
out=$repo/build-fuzz-bench
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Same compile as .clusterfuzzlite/build.sh, with the benchmark's flags.
(
  export SRC=$(dirname "$repo") OUT=$out WORK=$work MCPWIRE_SRC=$repo
  export CC=clang-14 CXX=clang++-14
  export CFLAGS="-O2 -g -fsanitize=fuzzer-no-link" CXXFLAGS="-O2 -g -fsanitize=fuzzer-no-link"
  export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
  bash "$repo/.clusterfuzzlite/build.sh" >/dev/null
)

goal_of() {
  case $1 in
    fuzz_sse) echo 500000 ;;
    fuzz_jsonrpc) echo 100000 ;;
    *) echo "-" ;;
  esac
}
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)

printf '%-20s %12s %12s  %s\n' target exec/s goal result
for bin in "$out"/fuzz_*; do
  [[ -x $bin && ! $bin == *.* ]] || continue
  t=$(basename "$bin")
  mkdir -p "$work/$t"
  cp "$repo/fuzz/corpus/$t"/* "$work/$t/" 2>/dev/null || true
  args=(-max_total_time="$seconds" -print_final_stats=1 -dict="$out/$t.dict")
  ml=$(sed -n 's/^max_len *= *\([0-9]*\).*/\1/p' "$out/$t.options")
  [[ -n $ml ]] && args+=(-max_len="$ml")
  log=$work/$t.log
  (cd "$work" && "${pin[@]}" "$bin" "${args[@]}" "$work/$t" >"$log" 2>&1) || true
  eps=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\)/\1/p' "$log" | tail -1 || true)
  goal=$(goal_of "$t")
  verdict=info
  if [[ $goal != - && -n $eps ]]; then
    if ((eps >= goal)); then verdict=meets; else verdict=below; fi
  fi
  printf '%-20s %12s %12s  %s\n' "$t" "${eps:-?}" "$goal" "$verdict"
done
