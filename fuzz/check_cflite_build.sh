#!/usr/bin/env bash
# check_cflite_build.sh REPO: runs .clusterfuzzlite/build.sh the way OSS-Fuzz
# / ClusterFuzzLite would (clang, libFuzzer, ASan), without Docker, and checks
# that every fuzzer lands in $OUT with its seed corpus, dictionary and options.
# Exit 77 (CTest skip) when clang-14 or zip is missing.
set -euo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
for tool in clang-14 clang++-14 zip unzip; do
  if ! command -v "$tool" >/dev/null; then
    echo "check_cflite_build: SKIP: $tool is not installed" >&2
    exit 77
  fi
done
out=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$out" "$work"' EXIT
export CC=clang-14 CXX=clang++-14
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SANITIZER=address
export SRC=$(dirname "$repo") OUT="$out" WORK="$work"
# build.sh expects the repository at $SRC/mcpwire (project.yaml's name); a
# checkout under another name is reached through MCPWIRE_SRC.
export MCPWIRE_SRC="$repo"
bash "$repo/.clusterfuzzlite/build.sh"

fail=0
for src in "$repo"/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  grep -q "LLVMFuzzerTestOneInput" "$src" || continue
  if [[ ! -x $out/$name ]]; then
    # A target whose codec is not written yet is left out by build.sh too.
    if grep -q "^$name: skipped" "$work/skipped.txt" 2>/dev/null; then
      echo "check_cflite_build: $name skipped by build.sh (codec missing)"
      continue
    fi
    echo "check_cflite_build: FAIL: $out/$name missing" >&2; fail=1; continue
  fi
  for side in _seed_corpus.zip .dict .options; do
    [[ -s $out/$name$side ]] || { echo "check_cflite_build: FAIL: $out/$name$side missing" >&2; fail=1; }
  done
  # The fuzzer must run its own seed corpus cleanly.
  mkdir -p "$work/seeds-$name"
  (cd "$work/seeds-$name" && unzip -q "$out/${name}_seed_corpus.zip")
  if ! "$out/$name" -runs=0 "$work/seeds-$name" >"$work/$name.log" 2>&1; then
    echo "check_cflite_build: FAIL: $name crashed on its seed corpus:" >&2
    tail -20 "$work/$name.log" >&2; fail=1
  else
    echo "check_cflite_build: $name ok ($(ls "$work/seeds-$name" | wc -l) seeds)"
  fi
done
exit $fail
