#!/usr/bin/env bash
# valgrind.sh MCPWIRE MOCK: a whole run on both transports under memcheck:
# no invalid access, no definite or indirect leak.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
"$mock" --port 0 >"$work/mock.out" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 400); do grep -q '^listening ' "$work/mock.out" && break; sleep 0.05; done
base=$(awk '/^listening /{print $2; exit}' "$work/mock.out")
failures=0
for path in /mcp /sse; do
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
    "$mcpwire" run --url "$base$path" >"$work/out" 2>"$work/err"
  rc=$?
  if [[ $rc != 0 ]]; then
    echo "FAIL: run on $path under valgrind exited $rc"; head -40 "$work/err"; failures=$((failures + 1))
  else
    echo "ok: run on $path clean under valgrind"
  fi
done
echo "$((2 - failures)) passed, $failures failed"
((failures == 0))
