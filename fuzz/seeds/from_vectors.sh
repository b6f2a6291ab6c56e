#!/usr/bin/env bash
# fuzz/seeds/from_vectors.sh BUILD_DIR: decode the golden vectors
# (tests/vectors/) into seeds under fuzz/corpus/<target>/ (files vec-*).
# fuzz_sse seeds get mode bytes for three feeding plans; fuzz_sse_diff one
# chunk-size byte. Run `ci/fuzz --merge` afterwards to keep only the seeds
# that add coverage.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build-fuzz-gcc}
cmake --build "$build" --target seed_from_vectors -- --no-print-directory >/dev/null
tool=$build/fuzz/seed_from_vectors
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

emit() { # emit TARGET PREFIX_HEX TAG KIND
  local out=$tmp/$1-$3
  mkdir -p "$out" "fuzz/corpus/$1"
  "$tool" --prefix "$2" "$out" tests/vectors/"$4"/*.txt
  for f in "$out"/*; do cp "$f" "fuzz/corpus/$1/vec-$3-$(basename "$f")"; done
}
emit fuzz_sse 0000 c1 sse       # chunks of one byte via the fixed plan
emit fuzz_sse 0207 rnd sse      # pseudo-random chunks
emit fuzz_sse 1c03 rc sse       # reconnect in the middle, empty feeds, small caps
emit fuzz_sse_diff 00 whole sse
emit fuzz_sse_diff 02 c3 sse
emit fuzz_jsonrpc "" v jsonrpc
