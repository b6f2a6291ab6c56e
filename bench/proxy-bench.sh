#!/usr/bin/env bash
# proxy-bench.sh [BUILD_DIR] [MIB] [PINGS]: the fault proxy in `pass` mode
# versus the same loopback origin reached directly, in one process run:
#   - throughput: one Content-Length response of MIB MiB, 64 KiB origin
#     writes, best of 3 (MB/s, and the proxy's share of direct);
#   - added latency: PINGS keep-alive request/response round trips on one
#     connection (median and p99, microseconds).
# Then `slice=64:0` and `latency=1`, to show what the shaping modes cost.
# Figures depend on the machine; compare the two columns of one run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
mib=${2:-256}
pings=${3:-5000}
bin=$build/bench/proxy_bench

if [ ! -x "$bin" ]; then
  cmake --build "$build" --target proxy_bench -j2
fi
echo "fault proxy vs direct on loopback ($(uname -m), $(nproc) cores)"
"$bin" --bytes $((mib * 1024 * 1024)) --pings "$pings" pass
"$bin" --bytes $((mib * 1024 * 1024 / 16)) --pings 1000 --rounds 1 slice=64:0
"$bin" --bytes $((mib * 1024 * 1024)) --pings 200 --rounds 1 latency=1
