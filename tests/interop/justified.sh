#!/usr/bin/env bash
# justified.sh: every interop/expected/NAME.txt belongs to a configuration of
# interop/configs.txt (and each configuration has one), and every fail or warn
# in it has a justification block (`## CASE-ID VERDICT`), with no stale block.
# Needs no npm and no network.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
status=0
names="$(awk '!/^#/ && NF { print $1 }' "$root/interop/configs.txt")"
for n in $names; do
  f="$root/interop/expected/$n.txt"
  if [[ ! -f $f ]]; then echo "FAIL: configuration $n has no interop/expected/$n.txt"; status=1; continue; fi
  if out="$(python3 "$root/interop/lib/expected.py" check "$f")"; then echo "ok: $n"
  else echo "FAIL: $n"; echo "$out"; status=1; fi
done
for f in "$root"/interop/expected/*.txt; do
  n="$(basename "$f" .txt)"
  grep -qx "$n" <<<"$names" || { echo "FAIL: interop/expected/$n.txt has no configuration"; status=1; }
done
exit $status
