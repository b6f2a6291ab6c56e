#!/usr/bin/env bash
# busy_target.sh MCPWIRE MOCK: a target that is busy now and then is not
# called lossy. mcpwire-mock --busy-resumes 3 answers every third GET with
# Last-Event-ID 503 Service Unavailable (Retry-After: 0), as a loaded server
# may. The mock really does (checked with curl), and
# http/reconnect/every-offset still passes there: refused resumes are tried
# again, counted in the evidence, never judged as lost events.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT
failures=0
check() { if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; failures=$((failures + 1)); fi; }

start_server "$work/mock.out" "$mock" --port 0 --retry-ms 20 --slow-step-ms 5 --busy-resumes 3 || exit 1

# Three resume GETs in a row (unknown ids: 400 when not busy): the third is 503.
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}'
sid=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' --data "$init" "$base/mcp" |
  tr -d '\r' | sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: //p')
statuses=""
for _ in 1 2 3; do
  statuses+="$(curl -s -o /dev/null -D "$work/h" -w '%{http_code} ' -H 'Accept: text/event-stream' \
    -H "Mcp-Session-Id: $sid" -H 'MCP-Protocol-Version: 2025-11-25' \
    -H 'Last-Event-ID: 999/1' --max-time 5 "$base/mcp")"
done
check "[[ -n '$sid' && '$statuses' == '400 400 503 ' ]]" "every third resume GET is 503 (got: $statuses)"
check "grep -qi '^Retry-After: 0' $work/h" "the 503 says Retry-After: 0"

"$mcpwire" run --url "$base/mcp" --transport http --case http/reconnect/every-offset \
  --json "$work/r.json" >"$work/r.out" 2>&1
echo "every-offset against the busy mock: exit $?"
check "python3 -c 'import json,sys
c=json.load(open(sys.argv[1]))[\"cases\"][0]
a=c.get(\"actual\") or \"\"
print(\"   \", c[\"verdict\"], a[-160:])
assert c[\"verdict\"]==\"pass\", c.get(\"reason\")
assert \"refused by the busy target (the resume GET was answered HTTP 503) and tried again\" in a' $work/r.json" \
  "every-offset passes, counting the refused resumes"

echo "$failures problems"
exit $((failures > 0))
