#!/usr/bin/env bash
# mock_faults.sh MCPWIRE MOCK: the mock checks the generic matrix
# (tests/matrix) does not make: mock options that are not faults, which a
# conformant case must accept. expect() also takes --fault for one-off pairs
# the case table cannot hold.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT
failures=0 checks=0

start_mock() { start_server "$work/mock.out" "$mock" --port 0 "$@" || exit 1; }
stop_mock() { stop_server; }

# verdict_of JSON CASE: the case's verdict in a JSON report.
verdict_of() {
  python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(next((c["verdict"]+"\t"+(c.get("reason") or "") for c in d["cases"] if c["id"]==sys.argv[2]),"absent"))' "$1" "$2"
}

expect() { # PATH CASE WANT [mock args...]
  local path=$1 case=$2 want=$3; shift 3
  start_mock "$@"
  "$mcpwire" run --url "$base$path" --case "$case" --timeout-ms 4000 --json "$work/r.json" >"$work/run.out" 2>&1
  local got; got=$(verdict_of "$work/r.json" "$case")
  stop_mock
  checks=$((checks + 1))
  if [[ ${got%%$'\t'*} != "$want" ]]; then
    echo "FAIL: $case with [$*]: verdict '${got}', expected $want"
    sed 's/^/    /' "$work/run.out" | head -20
    failures=$((failures + 1))
  elif [[ $want != pass && -z ${got#*$'\t'} ]]; then
    echo "FAIL: $case with [$*]: $want without a reason"
    failures=$((failures + 1))
  else
    echo "ok: $case [$*] -> $got"
  fi
}

# The generic matrix (tests/matrix/matrix.sh) runs every case against the
# reference mock, its wire variants and JSON replies, and proves every fault a
# case lists in .faults; the hand-kept pairs that used to live here are all in
# the case table now. What stays: mock options that are not faults.

# Not a fault: a server without a GET stream (405) is conformant.
expect /mcp http/get/event-stream-or-405 pass --no-get-stream

# verdict_count JSON VERDICT: how many cases of a report have that verdict.
verdict_count() {
  python3 -c 'import json,sys
print(sum(c["verdict"]==sys.argv[2] for c in json.load(open(sys.argv[1]))["cases"]))' "$1" "$2"
}
# whole_run MAX_ERRORS MOCK_ARGS...: the whole case set against a conformant
# but unusual server has no fail and no warn, and at most MAX_ERRORS errors.
whole_run() {
  local max_errors=$1; shift
  start_mock --heartbeat-ms 1000 "$@"
  "$mcpwire" run --url "$base/mcp" --transport http --timeout-ms 4000 \
    --json "$work/w.json" >"$work/run.out" 2>&1
  stop_mock
  checks=$((checks + 1))
  local f w e
  f=$(verdict_count "$work/w.json" fail) w=$(verdict_count "$work/w.json" warn)
  e=$(verdict_count "$work/w.json" error)
  if [[ $f != 0 || $w != 0 || $e -gt $max_errors ]]; then
    echo "FAIL: whole run with [$*]: $f fail, $w warn, $e error"
    grep -E '\] (FAIL|WARN|ERROR)' "$work/run.out" | head -10 | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok: whole run with [$*]: no fail, no warn, $e error"
  fi
}
whole_run 0 --no-get-stream
whole_run 0 --max-version 2025-06-18
whole_run 0 --max-version 2025-03-26
# SEP-1699 polling (2025-11-25): the server closes POST streams after the
# priming event; the transport resumes them (GET + Last-Event-ID), so the
# whole run stays clean.
whole_run 0 --poll-close

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
