#!/usr/bin/env bash
# envelope.sh MCPWIRE MOCK: the envelope of every message the target sends is
# checked in every case, proven both ways.
#
#  - Against the reference mcpwire-mock (Streamable HTTP with SSE and with
#    JSON replies, and the legacy transport) whole runs check hundreds of
#    messages and find no problem: run/jsonrpc-envelope passes, exit 0.
#  - Under a fault that breaks the envelope of a message other cases only
#    use (ping answers "result":[]), cases that do not judge ping's result
#    still pass, but run/jsonrpc-envelope fails naming such a case, the
#    stream and the raw message; every report format shows it; exit 1. The
#    baseline can excuse it like any case.
#  - The legacy GET stream and application/json bodies are watched too.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT
failures=0 checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# run_mcpwire NAME PATH [mcpwire args...]: a run against the mock started
# last; report files $work/NAME.{json,out,md,html,xml}, exit code in $rc.
run_mcpwire() {
  local name=$1 path=$2; shift 2
  "$mcpwire" run --url "$base$path" --timeout-ms 4000 --json "$work/$name.json" \
    --markdown "$work/$name.md" --html "$work/$name.html" --junit "$work/$name.xml" "$@" \
    >"$work/$name.out" 2>&1
  rc=$?
}

# py NAME 'python expression over the report r': prints its value.
py() {
  python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
case=lambda i: next((c for c in r["cases"] if c["id"]==i), None)
print(eval(sys.argv[2]))' "$work/$1.json" "$2"
}

expect_eq() { # WHAT GOT WANT
  checks=$((checks + 1))
  if [[ $2 == "$3" ]]; then ok "$1: $2"; else fail "$1: got '$2', expected '$3'"; fi
}

expect_grep() { # WHAT FILE PATTERN
  checks=$((checks + 1))
  if grep -qF -- "$3" "$2"; then ok "$1"; else
    fail "$1: $(basename "$2") lacks: $3"; sed 's/^/    /' "$2" | tail -15
  fi
}

# ---- the reference: no problem in hundreds of messages ----
# Each variant with the fewest messages a whole run must check (the legacy
# transport has few cases).
for variant in "sse /mcp 500" "json /mcp 200" "sse /sse 30"; do
  read -r replies path least <<<"$variant"
  start_server "$work/mock.out" "$mock" --port 0 --heartbeat-ms 1000 --responses "$replies" || exit 1
  name=ref-$replies-${path#/}
  run_mcpwire "$name" "$path"
  stop_server
  expect_eq "$name: exit code" "$rc" 0
  expect_eq "$name: run/jsonrpc-envelope" "$(py "$name" 'case("run/jsonrpc-envelope")["verdict"]')" pass
  expect_eq "$name: envelope problems" "$(py "$name" 'r["summary"]["envelope"]["problems"]')" 0
  # Not vacuous: the check saw the run's traffic, case by case.
  echo "$name: $(py "$name" "r['summary']['envelope']['messages']") messages checked"
  expect_eq "$name: at least $least messages checked, counted per case" \
    "$(py "$name" "r['summary']['envelope']['messages'] >= $least and sum(c['envelope']['messages'] for c in r['cases']) == r['summary']['envelope']['messages']")" True
done

# ---- a fault: ping answers "result":[] ----
start_server "$work/mock.out" "$mock" --port 0 --fault result-not-object || exit 1
# Two cases that ping along the way but judge something else.
bystanders=(http/session/deleted-id-404 http/post/request-content-type)
run_mcpwire fault /mcp --case "${bystanders[0]}" --case "${bystanders[1]}"
rc_fault=$rc
run_mcpwire fault-baseline /mcp --case "${bystanders[0]}" \
  --baseline <(echo run/jsonrpc-envelope)
stop_server
expect_eq "fault: exit code" "$rc_fault" 1
expect_eq "fault: only run/jsonrpc-envelope blocks" \
  "$(py fault '[c["id"] for c in r["cases"] if c["blocking"]]')" "['run/jsonrpc-envelope']"
for c in "${bystanders[@]}"; do
  expect_eq "fault: $c keeps its own verdict" "$(py fault "case('$c')['verdict']")" pass
  expect_eq "fault: $c lists the problem" \
    "$(py fault "[(p['rule'], p['level'], '\"result\":[]' in p['excerpt'], 'SSE event' in p['where']) for p in case('$c')['envelope']['problems']][:1]")" \
    "[('JSONRPC-10', 'MUST', True, True)]"
done
expect_eq "fault: run/jsonrpc-envelope" "$(py fault 'case("run/jsonrpc-envelope")["verdict"]')" fail
expect_eq "fault: its reason names the first case" \
  "$(py fault 'case("run/jsonrpc-envelope")["reason"].startswith("JSONRPC-10 (MUST) in case http/session/deleted-id-404, #")')" True
expect_eq "fault: its actual quotes the message" \
  "$(py fault 'case("run/jsonrpc-envelope")["actual"]' | grep -c '"result":\[\]')" 1
expect_eq "fault: its transcript lists every problem" \
  "$(py fault 'sum(l.startswith("problem ", 16) for l in case("run/jsonrpc-envelope")["transcript"].splitlines()) == r["summary"]["envelope"]["problems"] >= 3')" True
expect_grep "fault: console lists case and message" "$work/fault.out" \
  "  http/session/deleted-id-404  JSONRPC-10 (MUST)  #"
expect_grep "fault: console quotes the message" "$work/fault.out" '      message: {"jsonrpc":"2.0","id":'
expect_grep "fault: console exit line" "$work/fault.out" "FAILED: 1 blocking case"
expect_grep "fault: Markdown table row" "$work/fault.md" "| http/session/deleted-id-404 | JSONRPC-10 (MUST) |"
expect_grep "fault: HTML section" "$work/fault.html" "<h2>JSON-RPC envelope</h2>"
expect_grep "fault: JUnit failure" "$work/fault.xml" 'name="run/jsonrpc-envelope"'
expect_grep "fault: JUnit failure message" "$work/fault.xml" "JSONRPC-10 (MUST) in case http/session/deleted-id-404"
expect_eq "fault-baseline: exit code" "$rc" 0
expect_eq "fault-baseline: excused" "$(py fault-baseline 'r["summary"]["baseline_excused"]')" 1

# ---- the same fault over application/json bodies ----
start_server "$work/mock.out" "$mock" --port 0 --fault result-not-object --responses json || exit 1
run_mcpwire json /mcp --case "${bystanders[0]}"
stop_server
expect_eq "json: exit code" "$rc" 1
expect_eq "json: problem in a JSON body" \
  "$(py json "[p['rule'] for p in case('${bystanders[0]}')['envelope']['problems'] if 'application/json body (HTTP 200)' in p['where']][:1]")" \
  "['JSONRPC-10']"

# ---- the legacy transport: responses on the GET stream ----
start_server "$work/mock.out" "$mock" --port 0 --fault error-code-string || exit 1
run_mcpwire legacy /sse --case run/jsonrpc-envelope
stop_server
expect_eq "legacy: exit code" "$rc" 1
expect_eq "legacy: problem on the GET stream" \
  "$(py legacy "[(p['rule'], p['where'].split(' ')[1]) for p in case('run/jsonrpc-envelope')['envelope']['problems']]")" \
  "[('JSONRPC-11', 'GET')]"

echo "$((checks - failures)) of $checks checks passed"
((failures == 0))
