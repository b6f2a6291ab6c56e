#!/usr/bin/env bash
# mock-bench.sh [BUILD_DIR] [STREAMS] [CLIENTS] [SECONDS]: mcpwire-mock under
# load. Idle SSE streams held and server RSS per stream (target: 10,000
# streams under 100 MB), then tools/call echo calls/s in sse and json reply
# modes. Not part of CTest.
set -euo pipefail
build=${1:-build}
streams=${2:-10000}
clients=${3:-16}
seconds=${4:-5}
mock=$build/mock-server/mcpwire-mock
bench=$build/bench/mock_bench
work=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

start() { # mock options...
  "$mock" --port 0 "$@" >"$work/out" 2>"$work/err" &
  pid=$!
  for _ in $(seq 100); do grep -q '^listening ' "$work/out" 2>/dev/null && break; sleep 0.05; done
  port=$(sed -n 's/^listening http:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$work/out")
  [[ -n $port ]] || { cat "$work/err"; exit 1; }
}
stop() { kill "$pid"; wait "$pid"; pid=; }

echo "== $streams idle GET streams"
start
"$bench" streams "$port" "$pid" "$streams"
stop
for mode in sse json; do
  echo "== tools/call echo, --responses $mode"
  start --responses "$mode"
  "$bench" rps "$port" "$clients" "$seconds"
  stop
done
