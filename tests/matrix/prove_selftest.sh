#!/usr/bin/env bash
# prove_selftest.sh MCPWIRE MOCK: the both-ways prover (prove.py) can fail.
# A pairing that holds passes; a fault that does not break its case, an
# unknown fault, a case missing from the report, a case with neither faults
# nor a reason, a fault that breaks a case it must leave alone, a set-up
# that lacks what a case needs while it does not skip, and a broken
# reference mock each make it exit 1 naming the culprit.
set -u
mcpwire=$1 mock=$2
prove="$(dirname "$0")/prove.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checks=0
"$mcpwire" list --format json >"$work/cases.json" || { echo "FAIL: mcpwire list --format json"; exit 1; }

# table NAME PYTHON: a copy of the case table edited by PYTHON (rows in `t`,
# one row by id with row(ID)); prints its path.
table() {
  python3 - "$work/cases.json" "$work/$1.json" "$2" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
row = lambda cid: next(c for c in t if c["id"] == cid)
exec(sys.argv[3])
json.dump(t, open(sys.argv[2], "w"))
PY
  echo "$work/$1.json"
}

check() { # NAME WANT_RC GREP_PATTERN PROVER_ARGS...
  local name=$1 want=$2 pattern=$3; shift 3
  checks=$((checks + 1))
  python3 "$prove" "$mcpwire" "$mock" "$@" >"$work/out" 2>&1
  local rc=$?
  if [[ $rc != "$want" ]]; then
    echo "FAIL: $name: prover exited $rc, expected $want"; tail -15 "$work/out" | sed 's/^/    /'
    failures=$((failures + 1))
  elif [[ -n $pattern ]] && ! grep -qE -- "$pattern" "$work/out"; then
    echo "FAIL: $name: output lacks /$pattern/"; tail -15 "$work/out" | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok: $name (exit $rc)"
  fi
}

# A true pairing (SHTTP-SESSION-08 against the fault that breaks it), in a
# table of that row alone: a row elsewhere still being written cannot fail it.
t=$(table one-row 't[:] = [row("http/session/deleted-id-404")]')
check "true pair holds" 0 'deleted-id-404 +no-404-after-delete +/mcp +fail +fail' \
  --part faults --table "$t" --only-pairs --pair http/session/deleted-id-404=no-404-after-delete
# A wrong pairing: this fault leaves ping alone.
check "wrong pair fails" 1 \
  'PROVER FAIL: fault no-404-after-delete on /mcp does not turn http/lifecycle/ping-empty-result to fail.*got pass' \
  --part faults --only-pairs --pair http/lifecycle/ping-empty-result=no-404-after-delete
MCPWIRE_PROVER_PAIRS="http/lifecycle/ping-empty-result=no-404-after-delete" \
  check "wrong pair from MCPWIRE_PROVER_PAIRS fails" 1 'PROVER FAIL: .*ping-empty-result' \
  --part faults --only-pairs
check "unknown --pair fault fails" 1 'PROVER FAIL: --pair .*no-such-fault is unknown' \
  --part faults --only-pairs --pair http/session/deleted-id-404=no-such-fault
# The same faults written into the case table's rows.
t=$(table wrong-fault 'row("http/lifecycle/ping-empty-result")["faults"] = ["no-404-after-delete"]')
check "table row with a fault that does not break it fails" 1 \
  'PROVER FAIL: fault no-404-after-delete on /mcp does not turn http/lifecycle/ping-empty-result' \
  --part faults --table "$t" --case http/lifecycle/ping-empty-result
t=$(table unknown-fault 'row("http/session/deleted-id-404")["faults"] = ["no-such-fault"]')
check "table row with an unknown fault fails" 1 \
  'PROVER FAIL: http/session/deleted-id-404 names fault no-such-fault, which mcpwire-mock does not know' \
  --part faults --table "$t" --case http/session/deleted-id-404
t=$(table no-faults 'c = row("http/session/deleted-id-404"); c["faults"] = []; c["no_fault_reason"] = None')
check "case with neither faults nor a reason fails" 1 \
  'PROVER FAIL: http/session/deleted-id-404 has neither .faults nor .no_fault_reason' \
  --part faults --table "$t" --case http/session/deleted-id-404
# A row mcpwire does not have: no run can report it.
t=$(table missing 'c = dict(row("http/session/deleted-id-404")); c["id"] = "http/session/no-such-case"; t.append(c)')
check "case missing from the report fails" 1 \
  'PROVER FAIL: fault no-404-after-delete on /mcp does not turn http/session/no-such-case to fail.*got absent' \
  --part faults --table "$t" --case http/session/no-such-case
# proof.unbroken_by: same-origin rightly warns there, so calling it unbroken fails.
t=$(table unbroken 'c = row("sse/endpoint/same-origin"); c["faults"] = []; c["no_fault_reason"] = "x"; c["proof"]["unbroken_by"] = ["endpoint-cross-origin"]')
check "a fault breaking a case it must leave alone fails" 1 \
  'PROVER FAIL: fault endpoint-cross-origin on /sse does not turn sse/endpoint/same-origin to pass.skip.*got warn' \
  --part faults --table "$t" --case sse/endpoint/same-origin
# proof.needs: ping cannot need JSON replies; the SSE-reply mock lets it pass.
t=$(table needs 'row("http/lifecycle/ping-empty-result")["proof"]["needs"] = ["json_replies"]')
check "a case that runs without what it needs fails" 1 \
  'PROVER FAIL: reference mcp: http/lifecycle/ping-empty-result is pass, but the set-up offers none of json_replies' \
  --part reference --quick-reference --table "$t"
# A broken reference: a case that fails against it.
check "broken reference fails" 1 'PROVER FAIL: reference mcp: http/session/deleted-id-404 is fail' \
  --part reference --quick-reference --reference-args "--fault no-404-after-delete"

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
