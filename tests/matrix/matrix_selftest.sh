#!/usr/bin/env bash
# matrix_selftest.sh MCPWIRE MOCK: the matrix can fail. A pairing that holds
# passes; a fault listed against a case it does not break, and a reference
# mock that is not clean, are each reported as matrix failures naming the
# culprit.
set -u
mcpwire=$1 mock=$2
matrix="$(dirname "$0")/matrix.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

check() { # NAME WANT_RC GREP_PATTERN MATRIX_ARGS...
  local name=$1 want=$2 pattern=$3; shift 3
  bash "$matrix" "$mcpwire" "$mock" "$@" >"$work/out" 2>&1
  local rc=$?
  if [[ $rc != "$want" ]]; then
    echo "FAIL: $name: matrix exited $rc, expected $want"; sed 's/^/    /' "$work/out" | tail -15
    failures=$((failures + 1))
  elif [[ -n $pattern ]] && ! grep -qE -- "$pattern" "$work/out"; then
    echo "FAIL: $name: output lacks /$pattern/"; sed 's/^/    /' "$work/out" | tail -15
    failures=$((failures + 1))
  else
    echo "ok: $name (exit $rc)"
  fi
}

# A true pairing (SHTTP-SESSION-08 against the fault that breaks it).
check "true pair holds" 0 'deleted-id-404 +no-404-after-delete +fail +fail' \
  --no-reference --only-pairs --pair http/session/deleted-id-404=no-404-after-delete
# A wrong pairing: this fault leaves ping alone.
check "wrong pair is a matrix failure" 1 \
  'MATRIX FAIL: fault no-404-after-delete does not turn http/lifecycle/ping-empty-result to fail.*got pass' \
  --no-reference --only-pairs --pair http/lifecycle/ping-empty-result=no-404-after-delete
# The same wrong pairing given through the environment.
MCPWIRE_MATRIX_PAIRS="http/lifecycle/ping-empty-result=no-404-after-delete" \
  check "wrong pair from MCPWIRE_MATRIX_PAIRS" 1 'MATRIX FAIL: .*ping-empty-result' \
  --no-reference --only-pairs
# A fault that does not exist in the mock cannot prove anything.
check "unknown fault is a matrix failure" 1 'MATRIX FAIL: fault no-such-fault' \
  --no-reference --only-pairs --pair http/session/deleted-id-404=no-such-fault
# A broken reference: a case that fails against it is a matrix failure.
check "broken reference is a matrix failure" 1 \
  'MATRIX FAIL: reference mcp: http/session/deleted-id-404 is fail' \
  --reference-args "--fault no-404-after-delete" --quick-reference --only-pairs

echo "$((5 - failures)) passed, $failures failed"
((failures == 0))
