# lib.sh: helpers shared by the harness test scripts (sourced, not run).

# start_server OUTFILE CMD...: starts CMD in the background with stdout in
# OUTFILE and waits for its "listening URL" line; sets server_pid and base.
# A server that has not announced itself within 20 s is killed and started
# again (twice at most): a loaded 2-core CI machine can starve a start-up.
start_server() {
  local out=$1; shift
  local attempt
  for attempt in 1 2 3; do
    # Emptied here, not by the child's redirection, which runs later: the
    # wait below must never read the previous server's address.
    : >"$out"
    "$@" >>"$out" 2>"$out.err" &
    server_pid=$!
    local _
    for _ in $(seq 400); do
      grep -q '^listening ' "$out" 2>/dev/null && break
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.05
    done
    base=$(awk '/^listening /{print $2; exit}' "$out")
    [[ -n $base ]] && return 0
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "note: $1 did not announce itself in 20 s (attempt $attempt); restarting"
      kill "$server_pid" 2>/dev/null
    else
      echo "note: $1 exited before listening (attempt $attempt):"
      cat "$out.err"
    fi
    wait "$server_pid" 2>/dev/null
  done
  echo "FAIL: could not start $*"
  return 1
}

# stop_server: ends the server started last.
stop_server() {
  [[ -n ${server_pid:-} ]] || return 0
  kill "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=
}
