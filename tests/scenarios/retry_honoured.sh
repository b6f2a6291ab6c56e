#!/usr/bin/env bash
# retry_honoured.sh MCPWIRE MOCK: the harness waits the reconnection time a
# stream advertises (`retry`) before it reconnects, capped by
# MCPWIRE_RETRY_WAIT_MAX_MS. Two places wait:
#  - http/reconnect/every-offset: each cut stream waits its own retry before
#    the GET with Last-Event-ID (cases/http_reconnect.c, first_leg_over); the
#    report says "retry R ms, waited up to W ms".
#  - every shttp_call that follows 2025-11-25 polling (harness/transport/
#    shttp.c, wait_retry): against `mcpwire-mock --poll-close` the ping of
#    http/proxy/accel-buffering-header ends after its priming event, so the
#    case's duration holds one retry wait.
# Timing checks are lower bounds only (a wait is at least the advertised
# value; the run with retry 1500 ms takes at least about 1.5 s more than the
# one with 20 ms), except the cap: W at least the cap and under twice the cap,
# and the case within its deadline. Exits 1 on any failed check.
set -u
mcpwire=$1 mock=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../harness/lib.sh
source "$here/../harness/lib.sh"
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
cap=$(awk '$1 == "#define" && $2 == "MCPWIRE_RETRY_WAIT_MAX_MS" {print $3}' \
  "$here/../../harness/mcpwire_limits.h")
[[ $cap =~ ^[0-9]+$ ]] || { echo "FAIL: MCPWIRE_RETRY_WAIT_MAX_MS not found"; exit 1; }
fails=0
check() {  # check "what" COND...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# run_case RETRY_MS TIMEOUT_MS CASE [MOCK_ARG...]: one mock, one case; sets
# verdict, text (actual of a pass, else the reason), dur (duration_ms),
# retry and waited (every-offset's "retry R ms, waited up to W ms", else empty).
run_case() {
  local r=$1 t=$2 c=$3; shift 3
  start_server "$tmp/mock.out" "$mock" --port 0 --heartbeat-ms 300 --slow-step-ms 5 \
    --retry-ms "$r" "$@" || exit 1
  rm -f "$tmp/r.json"
  timeout 120 "$mcpwire" run --url "$base/mcp" --transport http --timeout-ms "$t" --case "$c" \
    --json "$tmp/r.json" >"$tmp/run.out" 2>&1
  stop_server
  local sel='.cases[] | select(.id == $id)'
  verdict=$(jq -r --arg id "$c" "$sel | .verdict" "$tmp/r.json" 2>/dev/null)
  text=$(jq -r --arg id "$c" "$sel | ((if .verdict == \"pass\" then .actual else .reason end) // \"\")" \
    "$tmp/r.json" 2>/dev/null)
  dur=$(jq -r --arg id "$c" "$sel | .duration_ms | floor" "$tmp/r.json" 2>/dev/null)
  retry=$(sed -n 's/.*; retry \([0-9]*\) ms, waited up to \([0-9]*\) ms.*/\1/p' <<<"$text")
  waited=$(sed -n 's/.*; retry \([0-9]*\) ms, waited up to \([0-9]*\) ms.*/\2/p' <<<"$text")
  printf '  %s, retry %s ms, --timeout-ms %s: %s in %s ms: %s\n' "$c" "$r" "$t" "${verdict:-none}" \
    "${dur:-?}" "$text"
  [[ $verdict == pass ]] || tail -5 "$tmp/run.out" | sed 's/^/    | /'
}

echo "every-offset: each cut stream waits its advertised retry (cap $cap ms)"
run_case 20 3000 http/reconnect/every-offset
v20=$verdict w20=${waited:-0} d20=${dur:-0}
check "retry 20: passes" test "$v20" = pass
check "  reports retry 20 ms" test "$retry" = 20
check "  waited at least 20 ms" ge "$w20" 20
run_case 1500 2000 http/reconnect/every-offset
v1500=$verdict w1500=${waited:-0} d1500=${dur:-0}
check "retry 1500: passes" test "$v1500" = pass
check "  reports retry 1500 ms" test "$retry" = 1500
check "  waited at least 1500 ms (got $w1500)" ge "$w1500" 1500
check "  waited about 1.5 s more than with retry 20 (${w1500} - ${w20} >= 1300)" \
  ge "$((w1500 - w20))" 1300
check "  the case took about 1.5 s more (${d1500} - ${d20} >= 1300)" ge "$((d1500 - d20))" 1300
# 60000 is over the cap: every resume waits the cap. A deadline of 4 x 2.5 s
# leaves room for one cap-long wait plus the resume; an uncapped wait would
# not fit, and such cuts are not judged (the case would skip).
run_case 60000 2500 http/reconnect/every-offset
check "retry 60000 (over the cap): passes" test "$verdict" = pass
check "  reports retry 60000 ms" test "$retry" = 60000
capped() { ge "$1" "$cap" && lt "$1" "$((2 * cap))"; }
check "  waited the cap: $cap <= ${waited:-none} < $((2 * cap))" capped "${waited:-0}"
check "  within the case deadline (4 x 2500 ms, +1000 the runner allows): ${dur:-none} ms" \
  lt "${dur:-999999}" 11000

echo "polling (shttp_call): the call's resume waits the retry of its closed stream"
run_case 20 4000 http/proxy/accel-buffering-header --poll-close
p20=$verdict pd20=${dur:-0}
run_case 1500 4000 http/proxy/accel-buffering-header --poll-close
check "retry 20 and 1500: both pass" test "$p20/$verdict" = pass/pass
check "  retry 1500: the case took at least 1500 ms (got ${dur:-none})" ge "${dur:-0}" 1500
check "  about 1.5 s more than with retry 20 (${dur:-0} - ${pd20} >= 1300)" \
  ge "$((${dur:-0} - pd20))" 1300

echo "$fails failure(s)"
[[ $fails == 0 ]]
