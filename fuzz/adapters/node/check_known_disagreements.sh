#!/usr/bin/env bash
# check_known_disagreements.sh DRIVER FUZZ_DIR: runs sse_diff_subprocess
# against eventsource-parser (the corpus plus a fixed generated set) and
# compares the distinct minimised disagreements with known-disagreements.txt.
# A new disagreement fails (a regression on either side, or a finding to
# write up); a known one that vanished fails too (update the list and
# docs/eventsource-parser-differential.md). Exit 77 without node or when
# `npm ci` has not been run in fuzz/adapters/node.
set -euo pipefail
driver=$1
fuzz=$2
here=$fuzz/adapters/node
command -v node >/dev/null || { echo "SKIP: node is not installed"; exit 77; }
[[ -d $here/node_modules/eventsource-parser ]] || {
  echo "SKIP: run 'npm ci' in $here first"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
"$driver" --corpus "$here/findings" \
  --generate 20000 --seed 1 --chunks 0,1,3 --max-report 1000 \
  -- node "$here/eventsource-parser-adapter.mjs" >"$out" 2>&1
rc=$?
set -e
if ((rc == 2)); then cat "$out"; echo "FAIL: the driver or the child failed"; exit 1; fi
grep '^sse_diff_subprocess:' "$out"
got=$(sed -n 's/^== disagreement [0-9]* (seen [0-9]* times), chunk [0-9]*, input ([0-9]* bytes): //p' "$out" | sort)
want=$( (grep -v '^#' "$here/known-disagreements.txt" || true) | sed '/^$/d' | sort)
if [[ "$got" != "$want" ]]; then
  echo "FAIL: disagreements differ from known-disagreements.txt"
  diff <(echo "$want") <(echo "$got") | sed 's/^</known but not found: /; s/^>/new: /' | grep -E '^(known|new)'
  cat "$out"
  exit 1
fi
echo "ok: $(grep -c . <<<"$want") known disagreement(s), no new ones"
