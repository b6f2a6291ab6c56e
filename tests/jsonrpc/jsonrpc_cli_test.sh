#!/bin/sh
# Runs the real `mcpwire parse jsonrpc` on a few bodies and checks its one
# output line and its exit code (0 valid, 1 invalid, 2 unreadable or usage).
# usage: jsonrpc_cli_test.sh MCPWIRE VECTOR_DIR
set -u
bin=$1
vectors=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect NAME WANT_CODE WANT_STDOUT CMD...: run CMD, compare stdout and code.
expect() {
  name=$1 want_code=$2 want_out=$3
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  code=$?
  out=$(cat "$tmp/out")
  if [ "$code" != "$want_code" ] || [ "$out" != "$want_out" ]; then
    echo "FAIL $name: exit $code (want $want_code)" >&2
    echo "  got:  $out" >&2
    echo "  want: $want_out" >&2
    failures=$((failures + 1))
  fi
}

# The body line of a single-line vector file.
body_of() { sed -n 's/^body: //p' "$vectors/$1"; }

printf '%s\n' "$(body_of 001-request-ping.txt)" >"$tmp/ping.json"
expect valid-request-file 0 '{"json":true,"kind":"request","errors":[]}' \
  "$bin" parse jsonrpc "$tmp/ping.json"

expect valid-request-stdin 0 '{"json":true,"kind":"request","errors":[]}' \
  sh -c "\"\$0\" parse jsonrpc - <\"\$1\"" "$bin" "$tmp/ping.json"

expect valid-request-stdin-default 0 '{"json":true,"kind":"request","errors":[]}' \
  sh -c "\"\$0\" parse jsonrpc <\"\$1\"" "$bin" "$tmp/ping.json"

printf '{"jsonrpc":"2.0","id":012,"method":"ping"}' >"$tmp/zero.json"
expect leading-zero 1 \
  '{"json":false,"kind":"invalid","errors":[{"rule":"RFC8259","reason":"leading zero in number at byte 22","offset":22}]}' \
  "$bin" parse jsonrpc "$tmp/zero.json"

printf '[]' >"$tmp/empty-batch.json"
expect empty-batch 1 \
  '{"json":true,"kind":"invalid","errors":[{"rule":"JSONRPC-BATCH-03","reason":"empty batch: an array must hold at least one message","offset":0}]}' \
  "$bin" parse jsonrpc "$tmp/empty-batch.json"

printf '[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":null,"method":"ping"}]' >"$tmp/batch.json"
expect batch-element-index 1 \
  '{"json":true,"kind":"batch","errors":[{"rule":"JSONRPC-05","reason":"request id is null: a request id must be a string or an integer, and a message with \"method\" and an id is never a notification","offset":64,"index":1}]}' \
  "$bin" parse jsonrpc "$tmp/batch.json"

printf '["caf\351"]' >"$tmp/latin1.json"
expect latin1-escaped-in-output 1 \
  '{"json":false,"kind":"invalid","errors":[{"rule":"RFC8259","reason":"invalid UTF-8 at byte 5: sequence cut short by a non-continuation byte","offset":5},{"rule":"JSONRPC-03","reason":"JSON-RPC messages must be UTF-8","offset":5}]}' \
  "$bin" parse jsonrpc "$tmp/latin1.json"

expect missing-file 2 '' "$bin" parse jsonrpc "$tmp/no-such-file.json"
if ! grep -q "no-such-file.json" "$tmp/err"; then
  echo "FAIL missing-file: stderr does not name the file" >&2
  failures=$((failures + 1))
fi
expect two-files 2 '' "$bin" parse jsonrpc "$tmp/ping.json" "$tmp/ping.json"
expect directory-is-unreadable 2 '' "$bin" parse jsonrpc "$tmp"
expect unknown-option 2 '' "$bin" parse jsonrpc --frobnicate

# One byte over MCPWIRE_JSON_BODY_MAX (16 MiB): refused without parsing.
head -c 16777217 /dev/zero | tr '\000' ' ' >"$tmp/big.json"
expect over-body-cap 1 \
  '{"json":false,"kind":"invalid","errors":[{"rule":"LIMIT","reason":"input is over the cap of 16777216 bytes","offset":16777216}]}' \
  "$bin" parse jsonrpc "$tmp/big.json"
rm -f "$tmp/big.json"

"$bin" parse jsonrpc --help >"$tmp/out" 2>&1
code=$?
if [ "$code" != 0 ] || ! grep -q "usage: mcpwire parse jsonrpc" "$tmp/out"; then
  echo "FAIL help: exit $code" >&2
  failures=$((failures + 1))
fi

# Every vector agrees with the CLI on json/kind/valid.
count=0
for f in "$vectors"/*.txt; do
  count=$((count + 1))
  want_valid=$(sed -n 's/^valid: //p' "$f")
  want_json=$(sed -n 's/^json: //p' "$f")
  want_kind=$(sed -n 's/^kind: //p' "$f")
  # Rebuild the body: join the body lines, expand \r \n \t \\ \xHH.
  sed -n 's/^body: \{0,1\}//p' "$f" | LC_ALL=C awk '
    BEGIN { for (i = 0; i < 256; i++) { hex[sprintf("%02x", i)] = i; hex[sprintf("%02X", i)] = i } }
    { s = s $0 }
    END {
      n = length(s)
      for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c != "\\") { printf "%s", c; continue }
        e = substr(s, ++i, 1)
        if (e == "n") printf "\n"
        else if (e == "r") printf "\r"
        else if (e == "t") printf "\t"
        else if (e == "\\") printf "\\"
        else if (e == "x") { printf "%c", hex[substr(s, i + 1, 2)]; i += 2 }
      }
    }' >"$tmp/body"
  "$bin" parse jsonrpc "$tmp/body" >"$tmp/out" 2>/dev/null
  code=$?
  want_code=1
  [ "$want_valid" = true ] && want_code=0
  if [ "$code" != "$want_code" ] || ! grep -q "^{\"json\":$want_json,\"kind\":\"$want_kind\"" "$tmp/out"; then
    echo "FAIL $(basename "$f"): exit $code, $(cat "$tmp/out")" >&2
    failures=$((failures + 1))
  fi
  # The verdict is exactly one line of well-formed JSON (our own parser says so).
  "$bin" parse jsonrpc "$tmp/out" >"$tmp/again" 2>/dev/null
  if [ "$(wc -l <"$tmp/out")" != 1 ] || ! grep -q '^{"json":true,' "$tmp/again"; then
    echo "FAIL $(basename "$f"): output is not one line of JSON: $(cat "$tmp/out")" >&2
    failures=$((failures + 1))
  fi
done
[ "$count" -ge 80 ] || { echo "FAIL only $count vectors" >&2; failures=$((failures + 1)); }

echo "jsonrpc_cli_test: $failures failure(s), $count vectors" >&2
[ "$failures" = 0 ]
