#!/usr/bin/env bash
# mock_faults.sh MCPWIRE MOCK: every starter case passes against the
# reference mock, and each fault that breaks a case's requirement turns that
# case's verdict to fail (MUST) or warn (SHOULD / ambiguous), with a reason.
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

# The reference: every case passes on its transport.
for c in http/lifecycle/initialize-result http/lifecycle/version-echo \
         http/session/id-visible-ascii http/session/missing-id-400 \
         http/session/unknown-id-404 http/session/deleted-id-404 \
         http/post/notification-202 http/jsonrpc/id-echo-exact \
         http/resume/last-event-id-replay http/resume/no-cross-stream-replay \
         http/post/request-content-type http/get/event-stream-or-405 \
         http/lifecycle/ping-empty-result http/jsonrpc/unknown-method-32601 \
         http/version/invalid-header-400 http/lifecycle/unsupported-version \
         http/post/invalid-notification-4xx; do
  expect /mcp "$c" pass
done
for c in sse/endpoint/first-event sse/endpoint/post-202 sse/message/response-on-stream \
         sse/endpoint/unknown-session-rejected; do
  expect /sse "$c" pass
done

# Each fault: the case that checks its requirement notices.
expect /mcp http/lifecycle/initialize-result fail --fault init-missing-server-info
expect /mcp http/lifecycle/version-echo warn --fault ignore-requested-version
expect /mcp http/session/id-visible-ascii fail --fault session-id-nonvisible
expect /mcp http/session/missing-id-400 warn --fault no-session-required
expect /mcp http/session/unknown-id-404 warn --fault unknown-session-400
expect /mcp http/session/deleted-id-404 fail --fault no-404-after-delete
expect /mcp http/post/notification-202 fail --fault notification-not-202
expect /mcp http/jsonrpc/id-echo-exact fail --fault id-as-number
expect /mcp http/jsonrpc/id-echo-exact fail --fault id-as-string
expect /mcp http/resume/last-event-id-replay warn --fault drop-replay
expect /mcp http/resume/no-cross-stream-replay fail --fault replay-other-stream
expect /mcp http/post/request-content-type fail --fault wrong-content-type
expect /mcp http/get/event-stream-or-405 fail --fault get-404
expect /mcp http/get/event-stream-or-405 fail --fault get-wrong-content-type
expect /mcp http/get/event-stream-or-405 pass --no-get-stream
expect /mcp http/lifecycle/ping-empty-result fail --fault ping-result-not-empty
expect /mcp http/lifecycle/ping-empty-result fail --fault result-not-object
expect /mcp http/jsonrpc/unknown-method-32601 fail --fault unknown-method-result
expect /mcp http/version/invalid-header-400 fail --fault accept-bad-version-header
expect /mcp http/lifecycle/unsupported-version fail --fault echo-unsupported-version
expect /mcp http/post/invalid-notification-4xx fail --fault accept-invalid-notification
expect /sse sse/endpoint/unknown-session-rejected warn --fault legacy-accept-unknown-session
expect /sse sse/endpoint/first-event fail --fault endpoint-not-first
expect /sse sse/endpoint/first-event fail --fault no-endpoint-event
expect /sse sse/endpoint/post-202 warn --fault post-body-json-on-legacy
expect /sse sse/message/response-on-stream fail --fault legacy-wrong-event-type

# Valid but unusual framing and JSON replies: whole runs stay clean.
whole_run() { # PATH [mock args...]
  local path=$1; shift
  start_mock "$@"
  "$mcpwire" run --url "$base$path" --timeout-ms 4000 >"$work/run.out" 2>&1
  local rc=$?
  stop_mock
  checks=$((checks + 1))
  if [[ $rc != 0 ]]; then
    echo "FAIL: whole run on $path with [$*] exited $rc"
    grep -vE '^\[ *[0-9]+/[0-9]+\] (PASS|SKIP)' "$work/run.out" | head -12 | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok: whole run on $path with [$*] exit 0"
  fi
}
for w in crlf cr nospace comments bom split multiline; do
  whole_run /mcp --wire "$w"
  whole_run /sse --wire "$w"
done
whole_run /mcp --responses json

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
