#!/usr/bin/env bash
# matrix.sh MCPWIRE MOCK: the buffering-proxy and reconnect scenario matrix.
# Each row: a mock variant (reference, json-replies or one fault), a path (direct, or the
# harness's own --proxy MODE), a case, and the verdict that cell must have.
# Prints every cell with its verdict and time; exits 1 on any mismatch.
set -u
mcpwire=$1 mock=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../harness/lib.sh
source "$here/../harness/lib.sh"
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT

# Fast mock clocks so a cell takes seconds: heartbeats 300 ms, retry 20 ms,
# slow-tool steps 5 ms. Harness steps 1 s (a case 4 s).
mock_opts=(--port 0 --heartbeat-ms 300 --retry-ms 20 --slow-step-ms 5)
run_opts=(--timeout-ms 1000)

# variant  path    case                                        verdict
read -r -d '' MATRIX <<'ROWS'
reference  pass    http/proxy/requests-complete-behind-buffer  pass
reference  pass    http/proxy/accel-buffering-header           pass
reference  pass    http/proxy/idle-heartbeat                   pass
reference  pass    http/proxy/resumable-event-ids              pass
reference  pass    http/proxy/get-stream-delivers              pass
reference  pass    http/reconnect/every-offset                 pass
reference  buffer  http/proxy/requests-complete-behind-buffer  pass
reference  buffer  http/proxy/accel-buffering-header           pass
reference  buffer  http/proxy/idle-heartbeat                   skip
reference  buffer  http/proxy/resumable-event-ids              pass
reference  buffer  http/proxy/get-stream-delivers              warn
reference  buffer  http/reconnect/every-offset                 pass
reference  slice=64 http/proxy/get-stream-delivers             pass
reference  slice=64 http/reconnect/every-offset                pass
no-heartbeat pass  http/proxy/idle-heartbeat                   warn
no-heartbeat pass  http/proxy/requests-complete-behind-buffer  pass
no-heartbeat buffer http/proxy/get-stream-delivers             warn
no-event-ids pass  http/proxy/resumable-event-ids              warn
no-event-ids pass  http/reconnect/every-offset                 skip
no-event-ids buffer http/proxy/requests-complete-behind-buffer pass
drop-replay pass   http/reconnect/every-offset                 warn
drop-replay pass   http/proxy/resumable-event-ids              pass
keep-post-stream-open pass http/proxy/requests-complete-behind-buffer warn
no-accel-buffering-header pass http/proxy/accel-buffering-header warn
json-replies buffer http/proxy/requests-complete-behind-buffer  pass
json-replies buffer http/proxy/resumable-event-ids              skip
json-replies pass  http/reconnect/every-offset                  skip
reference  pass    sse/reconnect/new-session-endpoint          pass
reference  buffer  sse/reconnect/new-session-endpoint          unreachable
legacy-accept-unknown-session pass sse/reconnect/new-session-endpoint warn
ROWS

bad=0 cells=0
printf '%-26s %-8s %-44s %-8s %-8s %s\n' variant path case want got ms
while read -r variant path case want; do
  [[ -z $variant ]] && continue
  args=("${mock_opts[@]}")
  case $variant in
    reference) ;;
    json-replies) args+=(--responses json) ;;   # requests answered application/json
    *) args+=(--fault "$variant") ;;
  esac
  start_server "$tmp/mock.out" "$mock" "${args[@]}" || exit 1
  proxy=()
  [[ $path != pass ]] && proxy=(--proxy "$path")
  opts=("${run_opts[@]}")
  # The offset sweep needs room, and so does a keep-alive watch that must
  # see nothing for 10 s (MCPWIRE_HEARTBEAT_MIN_WATCH_MS) before it warns.
  [[ $case == http/reconnect/* || $variant == no-heartbeat ]] && opts=(--timeout-ms 3000)
  rm -f "$tmp/r.json"
  t0=$(date +%s%N)
  endpoint=(--url "$base/mcp" --transport http)
  [[ $case == sse/* ]] && endpoint=(--url "$base/sse" --transport sse)
  timeout 60 "$mcpwire" run "${endpoint[@]}" "${opts[@]}" "${proxy[@]}" \
    --case "$case" --json "$tmp/r.json" >"$tmp/run.out" 2>&1
  rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  got=$(jq -r --arg id "$case" '.cases[] | select(.id == $id) | .verdict' "$tmp/r.json" 2>/dev/null)
  detail=$(jq -r --arg id "$case" '.cases[] | select(.id == $id) | ((if .verdict == "pass" then .actual else .reason end) // "")' \
    "$tmp/r.json" 2>/dev/null)
  # Exit 3: the probe found no MCP transport through this path at all.
  if [[ ! -s $tmp/r.json && $rc == 3 ]]; then
    got=unreachable
    detail=$(tail -2 "$tmp/run.out" | tr '\n' ' ')
  fi
  stop_server
  cells=$((cells + 1))
  mark=""
  if [[ $got != "$want" ]]; then
    mark="  <-- MISMATCH"
    bad=$((bad + 1))
  fi
  printf '%-26s %-8s %-44s %-8s %-8s %5s  %s%s\n' "$variant" "$path" "$case" "$want" "${got:-none}" \
    "$ms" "$detail" "$mark"
  [[ -n $mark ]] && sed 's/^/    | /' "$tmp/run.out" | tail -15
done <<<"$MATRIX"
echo "$cells cells, $bad mismatches"
[[ $bad == 0 ]]
