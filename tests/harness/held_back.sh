#!/usr/bin/env bash
# held_back.sh MCPWIRE MOCK: behind a proxy that buffers whole responses,
# streams never begin while ordinary requests are answered. Those cases get
# a warning that names the effect and the likely cause, never a row of
# ERRORs, and never a fail for a hang no MUST times.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT
failures=0 checks=0
check() { checks=$((checks + 1)); if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; failures=$((failures + 1)); fi; }

start_server "$work/m.out" "$mock" --port 0 --heartbeat-ms 1000 --retry-ms 100 || exit 1
"$mcpwire" run --url "$base/mcp" --proxy buffer --timeout-ms 1500 --case 'http/get/*' \
  --case 'http/endpoint/*' --case 'http/poll/*' --json "$work/r.json" >"$work/out" 2>&1
errors=$(jq '[.cases[] | select(.verdict == "error")] | length' "$work/r.json")
held=$(jq '[.cases[] | select(.verdict == "warn" and ((.reason // "") | startswith("held back: no byte of the response to GET")))] | length' "$work/r.json")
fails=$(jq -r '[.cases[] | select(.verdict == "fail") | .id] | join(",")' "$work/r.json")
check "[[ $errors == 0 ]]" "behind --proxy buffer: no ERROR ($errors)"
check "(( held >= 4 ))" "behind --proxy buffer: held-back streams warn, naming the effect ($held cases)"
check "[[ -z '$fails' ]]" "behind --proxy buffer: no fail for a stream held back (${fails:-none})"
check "jq -e '[.cases[] | select((.reason // \"\") | startswith(\"held back\")) | .reason | test(\"proxy_buffering\")] | all and length > 0' $work/r.json >/dev/null" \
  "the reason names the likely cause"

# The same cases straight to the mock: they pass, so the warnings above are the proxy's.
"$mcpwire" run --url "$base/mcp" --timeout-ms 1500 --case 'http/get/*' --case 'http/endpoint/*' \
  --case 'http/poll/*' --json "$work/d.json" >"$work/dout" 2>&1
direct=$(jq '[.cases[] | select(.verdict == "warn" or .verdict == "error" or .verdict == "fail")] | length' "$work/d.json")
check "[[ $direct == 0 ]]" "straight to the mock: no warn, fail or error ($direct)"

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
