#!/usr/bin/env bash
# polite.sh MCPWIRE MOCK: mcpwire is a polite guest (issue #13 items 3, 6).
# Every session a run opens is ended and counted (console, JSON, JUnit);
# cases for the transport the target does not speak are listed apart, not
# skipped; a target holding few sessions at once (--max-sessions 40) and a
# slow one (every response 30 ms late through --proxy latency=30) get
# verdicts, no ERROR; --quick leaves out the 15 s keep-alive watch and says so;
# the 64-session samples end every session they open on a slow target.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT
failures=0
check() { if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; failures=$((failures + 1)); fi; }
# json FILE EXPR: a Python expression over the report d.
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

start_server "$work/mock.out" "$mock" --port 0 --retry-ms 20 --slow-step-ms 5 --heartbeat-ms 200 \
  --max-sessions 40 || exit 1

# Streamable HTTP: sessions ended, sse cases not applicable.
"$mcpwire" run --url "$base/mcp" --json "$work/h.json" --junit "$work/h.xml" >"$work/h.txt" 2>&1
rc=$?
check "[[ $rc == 0 ]]" "a run against --max-sessions 40 passes (exit $rc)"
s=$(json "$work/h.json" "'%d %d %d %d' % tuple(d['summary']['sessions'][k] for k in ('opened','closed','kept','left_open'))")
read -r opened closed kept left <<<"$s"
check "(( opened > 100 && closed == opened && kept == 0 && left == 0 ))" \
  "every session opened is closed (opened $opened, closed $closed, kept $kept, left $left)"
check "[[ \$(json $work/h.json \"d['summary']['error']\") == 0 ]]" "no ERROR verdict"
check "grep -q '^sessions: $opened opened, $closed closed$' $work/h.txt" "the console counts them"
na=$(json "$work/h.json" "d['summary']['not_applicable']")
check "(( na > 0 ))" "sse cases are not applicable ($na)"
check "[[ \$(json $work/h.json \"sum(c['id'].startswith('sse/') for c in d['cases'])\") == 0 ]]" \
  "no sse case among the verdicts"
"$mcpwire" list --format json >"$work/list.json"
check "[[ \$(json $work/h.json \"all('http' not in t[i].split('/') and t[i] != 'any' for t in [{c['id']: c['transport'] for c in json.load(open('$work/list.json'))}] for i in d['summary']['not_applicable_cases'])\") == True ]]" \
  "the not applicable list holds the cases for other transports (sse, stdio)"
check "grep -q '^$na cases for the sse/stdio transports not applicable' $work/h.txt" "the console lists them apart"
check "! grep -q 'testcase name=\"sse/' $work/h.xml && grep -q 'name=\"sessions_opened\" value=\"$opened\"' $work/h.xml" \
  "JUnit: no sse testcase, sessions_opened property"
check "! grep -q 'case is for the sse transport' $work/h.json" "no skip says 'case is for the sse transport'"

# Legacy: the GET stream is the session; the http cases are not applicable.
"$mcpwire" run --url "$base/sse" --json "$work/s.json" >"$work/s.txt" 2>&1
s=$(json "$work/s.json" "'%d %d' % (d['summary']['sessions']['opened'], d['summary']['sessions']['closed'])")
read -r opened closed <<<"$s"
check "(( opened > 5 && closed == opened ))" "legacy sessions closed (opened $opened, closed $closed)"
check "[[ \$(json $work/s.json \"d['summary']['not_applicable_transport']\") == http/stdio ]]" "legacy: http and stdio cases not applicable"

# Slow but correct: every response 30 ms late (the built-in fault proxy).
"$mcpwire" run --url "$base/mcp" --proxy latency=30 --json "$work/slow.json" >"$work/slow.txt" 2>&1
check "[[ \$(json $work/slow.json \"d['summary']['error']\") == 0 ]]" \
  "a slow target gets verdicts, no ERROR ($(grep -o '^[0-9]* cases:.*' "$work/slow.txt"))"
stop_server

# The mock's default keep-alive interval (15 s): --quick leaves the watch out.
start_server "$work/mock2.out" "$mock" --port 0 --retry-ms 20 --slow-step-ms 5 || exit 1
t0=$(date +%s%N)
"$mcpwire" run --url "$base/mcp" --quick --case wire/keepalive-comments --case http/proxy/idle-heartbeat \
  --json "$work/q.json" >"$work/q.txt" 2>&1
ms=$((($(date +%s%N) - t0) / 1000000))
check "(( ms < 8000 ))" "--quick run of the keep-alive watches took $ms ms"
check "grep -q -- '--quick: watch of 16 s left out' $work/q.json" "wire/keepalive-comments says what --quick left out"
check "grep -q -- '--quick: watch of 20 s left out' $work/q.json" "http/proxy/idle-heartbeat too"
check "[[ \$(json $work/q.json \"d['quick']\") == True ]]" "the JSON report says quick"

# A slow target (every response 300 ms late) and a short case budget (4 s):
# the 64-session samples fill their time, yet keep back enough to end every
# session they opened, and neither starves the other of openings (no ERROR).
"$mcpwire" run --url "$base/mcp" --case 'http/session/ids-*' --proxy latency=300 --timeout-ms 1000 \
  --json "$work/ids.json" >"$work/ids.txt" 2>&1
s=$(json "$work/ids.json" "'%d %d %d %d' % tuple(d['summary']['sessions'][k] for k in ('opened','closed','left_open','kept'))")
read -r opened closed left kept <<<"$s"
check "(( opened > 20 && closed == opened && left == 0 && kept == 0 ))" \
  "sampled sessions all ended on a slow target (opened $opened, closed $closed, left $left)"
check "[[ \$(json $work/ids.json \"d['summary']['error']\") == 0 ]]" \
  "no ERROR there ($(grep -o '^[0-9]* cases:.*' "$work/ids.txt"))"

echo "$failures failure(s)"
[[ $failures == 0 ]]
