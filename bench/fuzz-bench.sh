#!/usr/bin/env bash
# bench/fuzz-bench.sh [SECONDS] [TARGET...]: libFuzzer exec/s per fuzz target
# on one core.
#
# Builds every target with -fsanitize=fuzzer only (coverage, no ASan/UBSan,
# -O2) into build-fuzz-bench/, runs each for SECONDS (default 20) on a copy of
# its corpus with its dictionary and max_len, pinned to one CPU, and prints
# libFuzzer's average exec/s next to the goal. Goals: fuzz_sse >= 500,000/s,
# fuzz_jsonrpc >= 100,000/s. Note that fuzz_sse runs the parser twice per
# input (split and whole feed) plus its oracle, so its exec/s is a
# property of the target, not the parser's raw speed (bench/ has that).
# The working corpora go to /dev/shm when it is writable (MCPWIRE_FUZZ_TMP
# overrides): libFuzzer writes a file per new input, and on a disk file
# system those writes cost a visible share of a short run.
# Two figures per target: exec/s (libFuzzer's own, executions over wall
# time) and exec/cpu-s (executions over the user+system CPU time the fuzzer
# used, from /usr/bin/time), which another process sharing the core lowers
# much less; the verdict uses exec/s.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
seconds=${1:-20}
shift || true
only=("$@")
command -v clang-14 >/dev/null || { echo "fuzz-bench: clang-14 is required" >&2; exit 2; }
out=$repo/build-fuzz-bench
mkdir -p "$out"
tmp=${MCPWIRE_FUZZ_TMP:-}
[[ -z $tmp && -d /dev/shm && -w /dev/shm ]] && tmp=/dev/shm
work=$(mktemp -d "${tmp:-${TMPDIR:-/tmp}}/mcpwire-fuzz-bench.XXXXXX")
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

timer=()
[[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f '%U %S' -o "$work/cpu")

printf '%-20s %12s %12s %12s  %s\n' target exec/s exec/cpu-s goal result
for bin in "$out"/fuzz_*; do
  [[ -x $bin && ! $bin == *.* ]] || continue
  t=$(basename "$bin")
  if ((${#only[@]})) && [[ " ${only[*]} " != *" $t "* ]]; then continue; fi
  mkdir -p "$work/$t"
  cp "$repo/fuzz/corpus/$t"/* "$work/$t/" 2>/dev/null || true
  args=(-max_total_time="$seconds" -print_final_stats=1 -dict="$out/$t.dict")
  ml=$(sed -n 's/^max_len *= *\([0-9]*\).*/\1/p' "$out/$t.options")
  [[ -n $ml ]] && args+=(-max_len="$ml")
  log=$work/$t.log
  rm -f "$work/cpu"
  (cd "$work" && "${timer[@]}" "${pin[@]}" "$bin" "${args[@]}" "$work/$t" >"$log" 2>&1) || true
  eps=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\)/\1/p' "$log" | tail -1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$log" | tail -1 || true)
  cps=?
  if [[ -s $work/cpu && -n $runs ]]; then
    cps=$(awk -v n="$runs" '{ t = $1 + $2; if (t > 0) printf "%d", n / t; else print "?" }' "$work/cpu")
  fi
  goal=$(goal_of "$t")
  verdict=info
  if [[ $goal != - && -n $eps ]]; then
    if ((eps >= goal)); then verdict=meets; else verdict=below; fi
  fi
  printf '%-20s %12s %12s %12s  %s\n' "$t" "${eps:-?}" "$cps" "$goal" "$verdict"
done
