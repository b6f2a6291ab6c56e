#!/usr/bin/env bash
# mock_faults.sh MCPWIRE MOCK: the mock checks the both-ways prover
# (tests/matrix/prove.py) does not make: mock options that are not faults,
# which a conformant case must accept. expect() also takes --fault for one-off pairs
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

# The both-ways prover (tests/matrix/prove.py) runs the whole case set
# against the reference mock set-ups (wire variants, JSON replies, no GET
# stream, --max-version, --poll-close: the whole runs that used to live here)
# and proves every fault a case lists in .faults. What stays: a verdict the
# prover only bounds (pass or skip) that must be a pass.

# Not a fault: a server without a GET stream (405) is conformant.
expect /mcp http/get/event-stream-or-405 pass --no-get-stream

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
