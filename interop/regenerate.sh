#!/usr/bin/env bash
# regenerate.sh NAME...|all|stdio [--mcpwire PATH]: run each named configuration of
# interop/configs.txt (run-config.sh) and rewrite the verdict block of
# interop/expected/NAME.txt from that run, keeping everything else (the
# hand-written justification blocks). Then lists every fail or warn verdict
# without a justification block (`## CASE-ID`), and every block whose case
# no longer fails or warns. Exit 1 if any configuration did not run.
# `stdio` names every stdio configuration (SERVER stdio:...): after new stdio
# cases land, `interop/regenerate.sh stdio` rewrites their verdict blocks.
# MCPWIRE defaults to build/cli/mcpwire.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mcpwire="$here/../build/cli/mcpwire"
names=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mcpwire) mcpwire=$2; shift 2 ;;
    all) mapfile -t -O "${#names[@]}" names < <(awk '!/^#/ && NF { print $1 }' "$here/configs.txt"); shift ;;
    stdio) mapfile -t -O "${#names[@]}" names < <(awk '!/^#/ && $2 ~ /^stdio:/ { print $1 }' "$here/configs.txt"); shift ;;
    *) names+=("$1"); shift ;;
  esac
done
[[ ${#names[@]} -gt 0 ]] || { echo "usage: regenerate.sh NAME...|all|stdio [--mcpwire PATH]" >&2; exit 2; }
[[ -x $mcpwire ]] || { echo "regenerate: $mcpwire is not built" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/interop-regen.XXXXXX")"
trap 'rm -rf "$work"' EXIT

status=0
for name in "${names[@]}"; do
  if ! bash "$here/run-config.sh" "$name" "$work" "$mcpwire"; then status=1; continue; fi
  python3 "$here/lib/expected.py" rewrite "$here/expected/$name.txt" "$work/$name.verdicts" "$name" \
    "$(sed -n 's/^profile //p' "$work/$name.out" | head -n 1)" || status=1
  echo "regenerate: $name: $(cut -d' ' -f2-6 "$work/$name.summary" | awk '{printf "%s pass %s fail %s warn %s skip %s error", $1, $2, $3, $4, $5}')"
done
exit $status
