#!/usr/bin/env bash
# tls.sh MCPWIRE: --cacert and --insecure reach libcurl. Against a loopback
# `openssl s_server` with a self-signed certificate (it speaks no MCP): by
# default the certificate is refused (exit 3, says why); with --insecure or
# with --cacert naming that certificate the TLS handshake succeeds and the
# run gets as far as finding no MCP there.
set -u
mcpwire=$1
work=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
failures=0 checks=0
check() { checks=$((checks + 1)); if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; failures=$((failures + 1)); fi; }

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
  -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
timeout 120 openssl s_server -accept 127.0.0.1:0 -cert "$work/cert.pem" -key "$work/key.pem" \
  -www -naccept 100 >"$work/server.out" 2>&1 &
pid=$!
for _ in $(seq 400); do grep -q '^ACCEPT' "$work/server.out" && break; sleep 0.05; done
port=$(awk '/^ACCEPT/{n=split($2,a,":"); print a[n]; exit}' "$work/server.out")
url=https://127.0.0.1:$port/mcp

run() { "$mcpwire" run --url "$url" --timeout-ms 300 "$@" >"$work/out" 2>"$work/err"; echo $?; }
check "[[ $(run) == 3 ]] && grep -q 'certificate' $work/err" "self-signed refused by default (exit 3, certificate named)"
check "[[ $(run --insecure) == 3 ]] && grep -q 'no MCP transport answered' $work/err && ! grep -q certificate $work/err" "--insecure: handshake passes"
check "[[ $(run --cacert $work/cert.pem) == 3 ]] && grep -q 'no MCP transport answered' $work/err && ! grep -q certificate $work/err" "--cacert: handshake passes"

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
