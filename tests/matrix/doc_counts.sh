#!/usr/bin/env bash
# doc_counts.sh MCPWIRE DOC: the case count the docs state ("N cases in M
# sections" in docs/HARNESS.md) is what `mcpwire list` says now.
set -u
read -r n m < <("$1" list --format json | python3 -c 'import json,sys
d=json.load(sys.stdin); print(len(d), len({c["id"].rsplit("/",1)[0] for c in d}))')
if grep -q "^$n cases in $m sections" "$2"; then
  echo "ok: $2 says $n cases in $m sections"
  echo "1 passed, 0 failed"
else
  echo "FAIL: mcpwire list has $n cases in $m sections; $2 says: $(grep -o '^[0-9]* cases in [0-9]* sections' "$2")"
  echo "0 passed, 1 failed"
  exit 1
fi
