#!/usr/bin/env bash
# prove.sh MCPWIRE MOCK: the legacy, wire and compat cases proven both ways.
# Each row runs one case against mcpwire-mock (clean, with valid --wire
# variants, or with a fault) and checks the verdict in the JSON report.
set -u
mcpwire=$1 mock=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../harness/lib.sh"
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
failures=0 runs=0

# verdict_of REPORT CASE: the case's verdict in a mcpwire-report/1 file.
verdict_of() {
  node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));
    const c=(r.cases||r.results||[]).find(c=>c.id===process.argv[2]);
    console.log(c ? c.verdict : "absent")' "$1" "$2"
}

# row PATH CASE WANT MOCK-ARGS...: one run; WANT is a verdict or a|b list.
row() {
  local path=$1 case=$2 want=$3; shift 3
  runs=$((runs + 1))
  start_server "$tmp/srv" "$mock" --port 0 "$@" || { failures=$((failures + 1)); return; }
  rm -f "$tmp/r.json"
  # The legacy transport given, as a user testing a broken stream would: a
  # stream with no endpoint event is otherwise no MCP transport (exit 3).
  local targs=()
  [[ $path == /sse ]] && targs=(--transport sse --spec 2024-11-05)
  "$mcpwire" run --url "$base$path" "${targs[@]}" --case "$case" --json "$tmp/r.json" \
    >"$tmp/run.out" 2>&1
  local got
  got=$(verdict_of "$tmp/r.json" "$case")
  stop_server
  if [[ "|$want|" == *"|$got|"* ]]; then
    echo "ok   $case [$*] -> $got"
  else
    echo "FAIL $case [$*]: want $want, got $got"
    sed -n 1,40p "$tmp/run.out"
    failures=$((failures + 1))
  fi
}

# row_clean PATH GLOBS MOCK-ARGS...: one run of every case the comma-separated
# GLOBS select; each must pass, or skip with a reason.
row_clean() {
  local path=$1 glob=$2; shift 2
  runs=$((runs + 1))
  start_server "$tmp/srv" "$mock" --port 0 "$@" || { failures=$((failures + 1)); return; }
  rm -f "$tmp/r.json"
  local cargs=() g
  IFS=, read -r -a globs <<<"$glob"
  for g in "${globs[@]}"; do cargs+=(--case "$g"); done
  "$mcpwire" run --url "$base$path" "${cargs[@]}" --json "$tmp/r.json" >"$tmp/run.out" 2>&1
  stop_server
  local bad
  bad=$(node -e 'let r; try { r=JSON.parse(require("fs").readFileSync(process.argv[1])); }
    catch (e) { console.log("no report"); process.exit(0); }
    const bad=r.cases.filter(c=>!(c.verdict==="pass"||(c.verdict==="skip"&&c.reason)));
    console.log(r.cases.length ? bad.map(c=>c.id+"="+c.verdict).join(" ") : "no case")' "$tmp/r.json")
  if [[ -z $bad ]]; then
    echo "ok   $glob on $path [$*] -> all pass or skip"
  else
    echo "FAIL $glob on $path [$*]: $bad"
    sed -n 1,40p "$tmp/run.out"
    failures=$((failures + 1))
  fi
}

source "${ROWS:-$here/rows.sh}"

echo "prove: $runs runs, $failures failed"
[[ $failures -eq 0 ]]
