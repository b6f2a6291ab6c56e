#!/usr/bin/env bash
# sse-bench.sh [BUILD_DIR] [MB] [RUNS]: SSE parse throughput on the same bytes
# for mcpwire's parser, a memchr+memcpy line splitter (the practical limit)
# and the npm package eventsource-parser (pinned in bench/node).
#
# Three mixes of MCP `message` events with ids: small (16-byte payloads, like
# progress notifications), mixed (64 B..4 KiB, fixed PRNG), large (64 KiB).
# Each implementation reads the file into memory and is fed 16 KiB chunks;
# best of RUNS. Targets: ours >= 1.5x eventsource-parser, >= 0.5x memchr.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
mb=${2:-100}
runs=${3:-3}
bin=$build/bench/sse_bench

if [ ! -x "$bin" ]; then
  cmake --build "$build" --target sse_bench -j2
fi
command -v node >/dev/null || { echo "sse-bench: node is required" >&2; exit 2; }
(cd "$root/bench/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "SSE parse, ${mb} MB per mix, 16 KiB feeds, best of $runs ($(uname -m), $(nproc) cores)"
printf '%-7s %-19s %10s %12s %10s\n' mix implementation MB/s events/s checksum
status=0
for mix in small mixed large; do
  file=$tmp/$mix.sse
  "$bin" gen "$mix" "$file" "$mb"
  # Ours and the baseline alternate run by run, so load hits both alike.
  pair=$("$bin" both "$file" "$runs")
  ours=$(echo "$pair" | sed -n 1p)
  base=$(echo "$pair" | sed -n 2p)
  peer=$(cd "$root/bench/node" && node esp-bench.mjs "$file" "$runs")
  for line in "$ours" "$base" "$peer"; do
    set -- $line
    printf '%-7s %-19s %10s %12s %10s\n' "$mix" "$1" "$2" "$3" "$5"
  done
  # Same events and checksum, or one of them parsed the stream wrongly.
  sums=$(printf '%s\n%s\n%s\n' "$ours" "$base" "$peer" | awk '{print $4, $5}' | sort -u | wc -l)
  if [ "$sums" != 1 ]; then
    echo "  checksums differ on $mix" >&2
    status=1
  fi
  awk -v a="$ours" -v b="$base" -v c="$peer" 'BEGIN {
    split(a, o); split(b, m); split(c, e)
    r1 = o[2] / e[2]; r2 = o[2] / m[2]
    printf "  ours/eventsource-parser %.2fx (target >= 1.5) %s, ours/memchr %.2fx (target >= 0.5) %s\n",
      r1, ((r1 >= 1.5) ? "ok" : "BELOW"), r2, ((r2 >= 0.5) ? "ok" : "BELOW")
  }'
done
exit $status
