# launch.sh, sourced by interop/start-*.sh: start a loopback server in the
# background, bounded in lifetime, and return once it accepts TCP connections.
#   launch NAME PATH_SUFFIX LOG LIFETIME_S WAIT_S -- COMMAND...
# COMMAND must print, on stdout or stderr, either `listening http://127.0.0.1:PORT...`
# or (through loopback-only.mjs) `mcpwire-loopback listening 127.0.0.1:PORT`.
# On success prints `listening http://127.0.0.1:PORT<PATH_SUFFIX>` and `pid N`
# and returns 0; otherwise kills the server, shows the log's tail, returns 1.
launch() {
  local name=$1 path=$2 log=$3 lifetime=$4 wait_s=$5 pid bound=""
  shift 6
  timeout "$lifetime" "$@" </dev/null >"$log" 2>&1 &
  pid=$!
  for _ in $(seq $((wait_s * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    bound="$(sed -n -e 's/^mcpwire-loopback listening 127\.0\.0\.1:\([0-9]*\)$/\1/p' \
                    -e 's,^listening http://127\.0\.0\.1:\([0-9]*\).*$,\1,p' "$log" | head -n 1)"
    # Listening is not yet accepting: connect once to be sure.
    if [[ -n $bound ]] && (exec 3<>"/dev/tcp/127.0.0.1/$bound") 2>/dev/null; then
      echo "listening http://127.0.0.1:$bound$path"
      echo "pid $pid"
      return 0
    fi
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  echo "$name: did not accept connections within ${wait_s} s" >&2
  tail -n 20 "$log" >&2
  return 1
}
