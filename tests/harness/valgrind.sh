#!/usr/bin/env bash
# valgrind.sh MCPWIRE MOCK: a whole run on both transports under memcheck:
# no invalid access, no definite or indirect leak.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT
start_server "$work/mock.out" "$mock" --port 0 || exit 1
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
