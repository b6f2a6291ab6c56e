#!/usr/bin/env bash
# stateless_fixtures.sh MCPWIRE MOCK: the 2026-07-28 cases find their tools
# by fixture role (engine/fixture.c) on the stateless tools/list. Against
# mcpwire-mock --eras modern each role resolves to the official suite's tool
# and the case passes naming it; with every role mapped by --fixture to the
# mock's own tools they pass naming those ("--fixture"), and the mapped
# tools are broken by the s26-* faults like the suite's; a mapping to a tool
# the target lacks skips, naming it. cancel_count's only known tool is the
# mock's own `cancellations`, so both runs name it.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT
problems=0
cases=(--case modern/mrtr --case modern/sse --case modern/listen/filter-honoured
       --case modern/meta/no-log-without-level --case modern/cancel/close-cancels)
own=(--fixture needs_capability=ask_client --fixture input_required=ask_client
     --fixture request_state=ask_client --fixture 'progress=slow {"steps":4}'
     --fixture list_changed=trigger_list_changed --fixture logging=test_tool_with_logging
     --fixture cancel_count=cancellations)

# run NAME [FAULT] -- ARGS...: one run against a fresh mock; JSON in $work/NAME.json.
run() {
  local name=$1 fault=$2; shift 3
  local args=(--port 0 --eras modern)
  [[ -n $fault ]] && args+=(--fault "$fault")
  start_server "$work/mock.out" "$mock" "${args[@]}" || exit 1
  "$mcpwire" run --url "$base/mcp" --timeout-ms 4000 --json "$work/$name.json" "$@" \
    >"$work/$name.out" 2>&1
  stop_server
}

# expect NAME CASE VERDICT TEXT: the case's verdict, and TEXT in its actual or reason.
expect() {
  if ! python3 - "$work/$1.json" "$2" "$3" "$4" <<'PY'; then problems=$((problems + 1)); fi
import json, sys
path, cid, verdict, text = sys.argv[1:]
c = next((c for c in json.load(open(path))["cases"] if c["id"] == cid), None)
said = (c or {}).get("actual") or (c or {}).get("reason") or ""
ok = c is not None and c["verdict"] == verdict and text in said
print("%s %s: %s, want %s with '%s' (%s)" % ("ok  " if ok else "FAIL", cid,
      c["verdict"] if c else "absent", verdict, text, said[:160]))
sys.exit(0 if ok else 1)
PY
}

run contract "" -- "${cases[@]}"
expect contract modern/mrtr/missing-capability-32021 pass "needs_capability: test_missing_capability (conformance contract)"
expect contract modern/mrtr/input-required pass "input_required: test_input_required_result_elicitation (conformance contract)"
expect contract modern/mrtr/tampered-state-refused pass "request_state: test_input_required_result_"
expect contract modern/sse/progress-before-response pass "progress: test_tool_with_progress (conformance contract)"
expect contract modern/listen/filter-honoured pass "list_changed: test_trigger_tool_change (conformance contract)"
expect contract modern/meta/no-log-without-level pass "logging: test_logging_tool (conformance contract)"
expect contract modern/cancel/close-cancels pass "cancel_count: cancellations (mcpwire-mock)"

run mapped "" -- "${cases[@]}" "${own[@]}"
expect mapped modern/mrtr/missing-capability-32021 pass "needs_capability: ask_client (--fixture)"
expect mapped modern/mrtr/input-required pass "input_required: ask_client (--fixture)"
expect mapped modern/mrtr/tampered-state-refused pass "request_state: ask_client (--fixture)"
expect mapped modern/sse/progress-before-response pass "4 progress with our token"
expect mapped modern/sse/ends-after-response pass "progress: slow (--fixture)"
expect mapped modern/listen/filter-honoured pass "list_changed: trigger_list_changed (--fixture)"
expect mapped modern/meta/no-log-without-level pass "logging: test_tool_with_logging (--fixture)"
expect mapped modern/cancel/close-cancels pass "cancel_count: cancellations (--fixture)"

for pair in s26-capability-unchecked:missing-capability-32021 \
            s26-server-request-on-stream:input-required \
            s26-mrtr-state-unchecked:tampered-state-refused; do
  fault=${pair%%:*} case=modern/mrtr/${pair#*:}
  run "$fault" "$fault" -- --case "$case" "${own[@]}"
  expect "$fault" "$case" fail "(--fixture)"
done

run missing "" -- --case modern/mrtr/input-required --fixture input_required=no_such_tool
expect missing modern/mrtr/input-required skip "the target has no tool 'no_such_tool' (given with --fixture)"

run no-counter "" -- --case modern/cancel/close-cancels --fixture cancel_count=no_such_counter
expect no-counter modern/cancel/close-cancels skip "fixture cancel_count: the target has no tool 'no_such_counter'"

echo "$problems problems"
[[ $problems -eq 0 ]]
