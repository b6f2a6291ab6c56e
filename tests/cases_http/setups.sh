#!/usr/bin/env bash
# setups.sh MCPWIRE MOCK: every http/endpoint, http/post, http/get and
# http/multi case passes or skips against valid mcpwire-mock set-ups beyond
# the matrix's (GET answered 405, revisions 2025-03-26 and 2025-06-18, SSE and
# JSON replies), and the cases that need what a set-up lacks skip rather
# than pass: a check that cannot see its subject must say so.
set -u
mcpwire=$1 mock=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../harness/lib.sh"
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
failures=0 runs=0
SECTIONS=(--case http/endpoint --case http/post --case http/get --case http/multi)

# verdicts REPORT: "id verdict" lines of a mcpwire report.
verdicts() {
  node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));
    for (const c of (r.cases||r.results||[])) console.log(c.id + " " + c.verdict)' "$1"
}

# setup NAME MUST-SKIP-GLOB RUN-ARGS -- MOCK-ARGS...: one run of the sections.
setup() {
  local name=$1 must_skip=$2 run_args=$3; shift 4
  runs=$((runs + 1))
  start_server "$tmp/srv" "$mock" --port 0 "$@" || { failures=$((failures + 1)); return; }
  rm -f "$tmp/r.json"
  # shellcheck disable=SC2086 # run_args are plain option words
  "$mcpwire" run --url "$base/mcp" $run_args "${SECTIONS[@]}" --json "$tmp/r.json" \
    >"$tmp/run.out" 2>&1
  stop_server
  local bad n
  verdicts "$tmp/r.json" >"$tmp/v.txt" 2>/dev/null || : >"$tmp/v.txt"
  n=$(wc -l <"$tmp/v.txt")
  bad=$(awk '$2 != "pass" && $2 != "skip"' "$tmp/v.txt")
  if [[ -n $must_skip ]]; then
    # shellcheck disable=SC2053 # the glob is meant
    bad+=$(awk -v g="$must_skip" '$1 ~ g && $2 != "skip" {print "\n" $0 " (must skip here)"}' \
      "$tmp/v.txt")
  fi
  if ((n < 20)) || [[ -n $bad ]]; then
    echo "FAIL $name: $n cases; $bad"
    sed -n 1,40p "$tmp/run.out"
    failures=$((failures + 1))
  else
    echo "ok   $name: $n cases, $(awk '$2 == "skip"' "$tmp/v.txt" | wc -l) skipped"
  fi
}

GET_CASES='^http/get/(no-response-on-get|unrelated-messages-only|accept-406|second-get-409|retry-before-close)$'
SSE_CASES='^http/post/(sse-reply-carries-response|progress-on-post-stream|no-close-before-response|closes-after-response|disconnect-not-cancel|request-on-post-stream)$'
setup "GET 405, SSE replies" "$GET_CASES" "" -- --no-get-stream
setup "GET 405, JSON replies" "$GET_CASES|$SSE_CASES" "" -- --no-get-stream --responses json
for v in 2025-03-26 2025-06-18; do
  setup "$v, SSE replies" '^http/(get/retry-before-close|post/json-reply-one-object)$' \
    "--spec $v" -- --max-version "$v"
  setup "$v, JSON replies" "^http/get/retry-before-close\$|$SSE_CASES" "--spec $v" -- \
    --max-version "$v" --responses json
done

echo "setups: $runs runs, $failures failed"
[[ $failures -eq 0 ]]
