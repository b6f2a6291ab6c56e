#!/usr/bin/env bash
# matrix.sh MCPWIRE MOCK [REGEX]: the buffering-proxy and reconnect scenario matrix.
# Each row: a mock variant (reference, json-replies or one fault), a path (direct, or the
# harness's own --proxy MODE), a case, and the verdict that cell must have.
# Prints every cell with its verdict and time; exits 1 on any mismatch.
# REGEX (grep -E) runs only the rows it matches, e.g. 'idle-cut|latency'.
set -u
mcpwire=$1 mock=$2 only=${3:-}
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
# "pass" as the path is direct (no proxy); other paths are `mcpwire run --proxy PATH`.
# Paths: idle-cut=1000 is a load balancer closing connections idle for 1 s
# (3 heartbeats of the mock); slice=1:0 sends every byte as its own write
# without the default 2 ms pause (with it, 1 KiB takes seconds and setup
# alone outlasts a step); buffer=4096 holds a GET stream's head (a
# heartbeat is ~20 bytes every 300 ms), buffer=64 lets heads and messages
# through but holds each heartbeat until the next.
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
reference  slice=1:0 http/reconnect/every-offset               pass
reference  slice=1:0 http/resume/last-event-id-replay          pass
reference  slice=1:0 http/resume/no-cross-stream-replay        pass
reference  slice=1:0 sse/reconnect/new-session-endpoint        pass
reference  buffer=4096 http/proxy/requests-complete-behind-buffer pass
reference  buffer=4096 http/proxy/idle-heartbeat               skip
reference  buffer=4096 http/proxy/resumable-event-ids          pass
reference  buffer=4096 http/proxy/get-stream-delivers          warn
reference  buffer=4096 http/reconnect/every-offset             pass
reference  buffer=64 http/proxy/idle-heartbeat                 pass
reference  buffer=64 http/proxy/get-stream-delivers            pass
reference  buffer=64 http/reconnect/every-offset               pass
reference  latency=50 http/proxy/requests-complete-behind-buffer pass
reference  latency=50 http/proxy/accel-buffering-header        pass
reference  latency=50 http/proxy/idle-heartbeat                pass
reference  latency=50 http/proxy/resumable-event-ids           pass
reference  latency=50 http/proxy/get-stream-delivers           pass
reference  latency=50 http/reconnect/every-offset              pass
reference  latency=50 sse/reconnect/new-session-endpoint       pass
reference  idle-cut=1000 http/proxy/idle-heartbeat             pass
reference  idle-cut=1000 http/proxy/get-stream-delivers        pass
reference  idle-cut=1000 http/proxy/requests-complete-behind-buffer pass
reference  idle-cut=1000 http/reconnect/every-offset           pass
reference  strip-header=X-Accel-Buffering http/proxy/accel-buffering-header warn
reference  strip-header=X-Accel-Buffering http/proxy/get-stream-delivers pass
reference  strip-header=X-Accel-Buffering http/proxy/requests-complete-behind-buffer pass
no-heartbeat pass  http/proxy/idle-heartbeat                   warn
no-heartbeat pass  http/proxy/requests-complete-behind-buffer  pass
no-heartbeat buffer http/proxy/get-stream-delivers             warn
no-heartbeat idle-cut=1000 http/proxy/idle-heartbeat           warn
no-heartbeat idle-cut=1000 http/proxy/get-stream-delivers      pass
no-event-ids pass  http/proxy/resumable-event-ids              warn
no-event-ids pass  http/reconnect/every-offset                 skip
no-event-ids buffer http/proxy/requests-complete-behind-buffer pass
drop-replay pass   http/reconnect/every-offset                 warn
drop-replay pass   http/proxy/resumable-event-ids              pass
replay-other-stream pass http/reconnect/every-offset           warn
duplicate-event-ids pass http/reconnect/every-offset           warn
keep-post-stream-open pass http/proxy/requests-complete-behind-buffer warn
no-accel-buffering-header pass http/proxy/accel-buffering-header warn
json-replies buffer http/proxy/requests-complete-behind-buffer  pass
json-replies buffer http/proxy/resumable-event-ids              skip
json-replies pass  http/reconnect/every-offset                  skip
reference  pass    sse/reconnect/new-session-endpoint          pass
reference  buffer  sse/reconnect/new-session-endpoint          unreachable
legacy-accept-unknown-session pass sse/reconnect/new-session-endpoint warn
reference  pass    modern/proxy/progress-while-running         pass
reference  pass    modern/proxy/accel-buffering-streams        pass
reference  pass    modern/proxy/listen-delivers                pass
reference  pass    modern/proxy/reissue-after-cut              pass
reference  pass    modern/proxy/relisten-after-idle-cut        pass
reference  buffer  modern/proxy/progress-while-running         warn
reference  buffer  modern/proxy/accel-buffering-streams        warn
reference  buffer  modern/proxy/listen-delivers                warn
reference  buffer  modern/proxy/reissue-after-cut              pass
reference  buffer  modern/proxy/relisten-after-idle-cut        warn
reference  buffer=64 modern/proxy/progress-while-running       pass
reference  idle-cut=1000 modern/proxy/listen-delivers          pass
reference  latency=50 modern/proxy/progress-while-running      pass
reference  latency=50 modern/proxy/reissue-after-cut           pass
reference  strip-header=X-Accel-Buffering modern/proxy/accel-buffering-streams warn
reference  strip-header=X-Accel-Buffering modern/proxy/progress-while-running pass
s26-events-held pass modern/proxy/progress-while-running       warn
s26-reissue-refused pass modern/proxy/reissue-after-cut        warn
no-accel-buffering-header pass modern/proxy/accel-buffering-streams warn
json-replies buffer modern/proxy/progress-while-running         skip
ROWS

bad=0 cells=0 began=$(date +%s%N)
printf '%-26s %-13s %-44s %-8s %-8s %s\n' variant path case want got ms
while read -r variant path case want; do
  [[ -z $variant ]] && continue
  [[ -n $only ]] && ! grep -qE -- "$only" <<<"$variant $path $case $want" && continue
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
  [[ $case == http/reconnect/* || ($variant == no-heartbeat && $case == */idle-heartbeat) ]] &&
    opts=(--timeout-ms 3000)
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
  # Exit 3: the probe found no MCP transport through this path at all (the
  # report, if any, holds only run/profile's error, with the reason).
  if [[ -z $got && $rc == 3 ]]; then
    got=unreachable
    detail=$(jq -r '.cases[] | select(.id == "run/profile") | .reason // empty' "$tmp/r.json" 2>/dev/null)
    [[ -n $detail ]] || detail=$(tail -2 "$tmp/run.out" | tr '\n' ' ')
  fi
  stop_server
  cells=$((cells + 1))
  mark=""
  if [[ $got != "$want" ]]; then
    mark="  <-- MISMATCH"
    bad=$((bad + 1))
  fi
  printf '%-26s %-13s %-44s %-8s %-8s %5s  %s%s\n' "$variant" "$path" "$case" "$want" "${got:-none}" \
    "$ms" "$detail" "$mark"
  [[ -n $mark ]] && sed 's/^/    | /' "$tmp/run.out" | tail -15
done <<<"$MATRIX"
echo "$cells cells, $bad mismatches in $(( ($(date +%s%N) - began) / 1000000 )) ms"
[[ $bad == 0 ]]
