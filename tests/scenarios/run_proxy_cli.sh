#!/usr/bin/env bash
# run_proxy_cli.sh MCPWIRE MOCK: `mcpwire run --proxy` as a user meets it:
# bad modes and https targets are usage errors (exit 2), --help lists it,
# the report's profile evidence names the mode and both URLs, and cases run
# through the proxy (a buffered GET stream is reported, not timed out silently).
set -u
mcpwire=$1 mock=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../harness/lib.sh
source "$here/../harness/lib.sh"
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
fails=0
check() {  # check "what" COND...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}

"$mcpwire" run --help | grep -q -- '--proxy MODE' ; check "--help lists --proxy" test $? = 0
"$mcpwire" run --url http://127.0.0.1:9/mcp --proxy bogus >/dev/null 2>"$tmp/err"
check "an unknown mode exits 2" test $? = 2
check "  and names the mode" grep -q "unknown mode 'bogus'" "$tmp/err"
"$mcpwire" run --url https://127.0.0.1:9/mcp --proxy buffer >/dev/null 2>"$tmp/err"
check "an https target with --proxy exits 2" test $? = 2

start_server "$tmp/mock.out" "$mock" --port 0 --heartbeat-ms 300 --retry-ms 20 --slow-step-ms 5 || exit 1
"$mcpwire" run --url "$base/mcp" --timeout-ms 1000 --proxy pass,latency=1 \
  --case http/proxy/get-stream-delivers --json "$tmp/pass.json" >"$tmp/pass.out" 2>&1
check "--proxy pass,latency=1 runs and passes" test $? = 0
ev=$(jq -r '.profile.evidence[]' "$tmp/pass.json")
check "  evidence names the mode and the target" \
  grep -q "^proxy: mcpwire fault proxy mode latency=1 in front of $base/mcp, run through http://127.0.0.1:" <<<"$ev"
check "  the report's target is the real URL" test "$(jq -r .target "$tmp/pass.json")" = "$base/mcp"
"$mcpwire" run --url "$base/mcp" --timeout-ms 1000 --proxy buffer \
  --case http/proxy/get-stream-delivers --json "$tmp/buf.json" >"$tmp/buf.out" 2>&1
check "--proxy buffer: the run completes (warnings do not fail it)" test $? = 0
check "  get-stream-delivers warns that streams do not survive" \
  grep -q "streams do not survive a buffering proxy" <(jq -r '.cases[0].reason // ""' "$tmp/buf.json")
echo "$fails failure(s)"
[[ $fails == 0 ]]
