#!/usr/bin/env bash
# sse_cli_parse_test.sh MCPWIRE VECTOR_DIR: runs the real `mcpwire parse sse`
# on every golden vector (default caps only), from a file and from stdin, and
# checks its file and usage handling.
set -u
mcpwire=$1
dir=$2
if [ ! -x "$mcpwire" ]; then
  echo "FAIL mcpwire binary not built: $mcpwire" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ran=0

fail() {
  echo "FAIL $*" >&2
  fails=$((fails + 1))
}

# Decodes the input: lines of a vector (escapes \r \n \t \\ \xHH) into $1.
decode_input() {
  local vector=$1 out=$2 line
  : >"$out"
  while IFS= read -r line; do
    case $line in
      "input: "*) printf '%b' "${line#input: }" >>"$out" ;;
    esac
  done <"$vector"
}

for vector in "$dir"/*.txt; do
  # Vectors with small caps need the test runner; the CLI uses the defaults.
  if grep -qE '^(line|event)-max: ' "$vector"; then
    continue
  fi
  ran=$((ran + 1))
  name=$(basename "$vector")
  decode_input "$vector" "$tmp/input"
  grep '^expect: ' "$vector" | sed 's/^expect: //' >"$tmp/expect"
  want_rc=0
  grep -q '^{"error":' "$tmp/expect" && want_rc=1
  "$mcpwire" parse sse "$tmp/input" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ "$rc" = "$want_rc" ] || fail "$name: exit $rc, expected $want_rc ($(cat "$tmp/err"))"
  cmp -s "$tmp/out" "$tmp/expect" || {
    fail "$name: output differs"
    diff "$tmp/expect" "$tmp/out" >&2
  }
  "$mcpwire" parse sse - <"$tmp/input" >"$tmp/out-stdin" 2>/dev/null
  cmp -s "$tmp/out-stdin" "$tmp/expect" || fail "$name: output from stdin differs"
done
[ "$ran" -ge 60 ] || fail "only $ran vectors ran"

# No FILE argument means stdin too.
printf 'data: x\n\n' | "$mcpwire" parse sse >"$tmp/out" || fail "stdin without '-' exited $?"
[ "$(cat "$tmp/out")" = '{"type":"message","data":"x","lastEventId":""}' ] || fail "stdin without '-' printed $(cat "$tmp/out")"

# An unreadable file: exit 2 and one line on stderr naming it.
"$mcpwire" parse sse "$tmp/does-not-exist" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] || fail "missing file: exit $rc, expected 2"
[ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "does-not-exist" "$tmp/err" || fail "missing file: stderr was: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "missing file: printed to stdout"

# --help goes to stdout with exit 0; an unknown option is a usage error.
"$mcpwire" parse sse --help >"$tmp/out" 2>&1 || fail "--help exited $?"
grep -q 'usage: mcpwire parse sse' "$tmp/out" || fail "--help printed no usage"
"$mcpwire" parse sse --bogus >/dev/null 2>&1
rc=$?
[ "$rc" = 2 ] || fail "--bogus: exit $rc, expected 2"

# A retry beyond 64 bits is printed exactly.
printf 'retry: 000123456789012345678901234567890\n' | "$mcpwire" parse sse >"$tmp/out"
[ "$(cat "$tmp/out")" = '{"retry":123456789012345678901234567890}' ] || fail "huge retry printed $(cat "$tmp/out")"

echo "sse_cli_parse_test: $ran vectors, $fails failures" >&2
[ "$fails" = 0 ]
