#!/usr/bin/env bash
# mock_faults.sh MCPWIRE MOCK: the fault checks the generic matrix
# (tests/matrix) does not make: hand-kept case/fault pairs the case table does
# not list, or grades otherwise, and mock options that are not faults. Each
# fault turns the case's verdict to fail (MUST) or warn (SHOULD / ambiguous),
# with a reason.
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
# case lists in .faults. What stays here: pairs the table does not list (or
# grades otherwise: a MUST case that rightly only warns on an ambiguity), and
# mock options that are not faults.
"$mcpwire" list --format json >"$work/cases.json"
# in_matrix CASE FAULT WANT: the matrix already proves this pair.
in_matrix() {
  python3 -c 'import json,sys
cases={c["id"]:c for c in json.load(open(sys.argv[1]))}
c=cases.get(sys.argv[2])
want="fail" if c and c["level"]=="MUST" else "warn"
sys.exit(0 if c and sys.argv[3] in (c.get("faults") or []) and sys.argv[4]==want else 1)' \
    "$work/cases.json" "$1" "$2" "$3"
}
pair() { # PATH CASE WANT FAULT
  if in_matrix "$2" "$4" "$3"; then
    echo "ok: $2 [--fault $4] -> proven by the matrix"
  else
    expect "$1" "$2" "$3" --fault "$4"
  fi
}
pair /mcp http/lifecycle/initialize-result fail init-missing-server-info
pair /mcp http/lifecycle/version-echo warn ignore-requested-version
pair /mcp http/session/id-visible-ascii fail session-id-nonvisible
pair /mcp http/session/missing-id-400 warn no-session-required
pair /mcp http/session/unknown-id-404 warn unknown-session-400
pair /mcp http/session/deleted-id-404 fail no-404-after-delete
pair /mcp http/post/notification-202 fail notification-not-202
pair /mcp http/jsonrpc/id-echo-exact fail id-as-number
pair /mcp http/jsonrpc/id-echo-exact fail id-as-string
pair /mcp http/resume/last-event-id-replay warn drop-replay
pair /mcp http/resume/no-cross-stream-replay fail replay-other-stream
pair /mcp http/post/request-content-type fail wrong-content-type
pair /mcp http/get/event-stream-or-405 fail get-404
pair /mcp http/get/event-stream-or-405 fail get-wrong-content-type
pair /mcp http/lifecycle/ping-empty-result fail ping-result-not-empty
pair /mcp http/lifecycle/ping-empty-result fail result-not-object
pair /mcp http/jsonrpc/unknown-method-32601 fail unknown-method-result
pair /mcp http/version/invalid-header-400 fail accept-bad-version-header
pair /mcp http/lifecycle/unsupported-version fail echo-unsupported-version
pair /mcp http/post/invalid-notification-4xx fail accept-invalid-notification
pair /sse sse/endpoint/unknown-session-rejected warn legacy-accept-unknown-session
pair /sse sse/endpoint/first-event fail endpoint-not-first
pair /sse sse/endpoint/first-event fail no-endpoint-event
pair /sse sse/endpoint/post-202 warn post-body-json-on-legacy
pair /sse sse/message/response-on-stream fail legacy-wrong-event-type

# Not a fault: a server without a GET stream (405) is conformant.
expect /mcp http/get/event-stream-or-405 pass --no-get-stream

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
