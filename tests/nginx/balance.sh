#!/usr/bin/env bash
# balance.sh MCPWIRE MOCK: the lb cases both ways against real instances.
#  1. No balancer: one mcpwire-mock on two ports (--also-port: shared
#     sessions) given as --url and --instance, then two mock processes
#     (unshared): the lb/instances cases and lb/affinity pass, then warn.
#  2. Real nginx in front of the two unshared mocks, the configurations of
#     docs/LOAD-BALANCING.md, the lb/connection cases run through it. What
#     nginx does (measured): a hash whose key is empty for a request balances
#     that request round-robin, so a hash of the session id never sends the
#     request that opens a session (initialize; legacy GET /sse) where later
#     requests of that session hash to.
#       round-robin                            sessions break (warn)
#       hash $http_mcp_session_id consistent   Streamable HTTP: about half the
#                                              sessions break (warn); legacy
#                                              all round-robin (warn)
#       hash $arg_sessionId consistent         legacy: about half break (warn);
#                                              Streamable HTTP round-robin (warn)
#       hash $remote_addr consistent           client affinity: both work (pass)
#     each verdict must be the one `through` lists below.
#  3. mcpwire's own --proxy balance=round-robin and balance=session-hash over
#     the same two mocks: the verdicts nginx's round-robin and hash give.
# Exit 77 (skip) when nginx is not installed, unless CI is true.
set -u
mcpwire=$1 mock=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../harness/lib.sh
source "$here/../harness/lib.sh"
# shellcheck source=lib.sh
source "$here/lib.sh"
command -v jq >/dev/null || { echo "FAIL: jq is not installed"; exit 1; }
tmp=$(mktemp -d); [[ -n ${KEEP_TMP:-} ]] && echo "temp dir $tmp"
pids=()
stop_all() {
  stop_nginx
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
}
trap 'stop_all; [[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT

mock_args=(--heartbeat-ms 1000 --slow-step-ms 20)
start_server "$tmp/a.out" "$mock" --port 0 "${mock_args[@]}" || exit 1
pids+=("$server_pid"); a=$base
start_server "$tmp/b.out" "$mock" --port 0 "${mock_args[@]}" || exit 1
pids+=("$server_pid"); b=$base
start_server "$tmp/s.out" "$mock" --port 0 --also-port 0 "${mock_args[@]}" || exit 1
pids+=("$server_pid"); s1=$base
for _ in $(seq 100); do s2=$(awk '/^listening /{n++; if (n == 2) print $2}' "$tmp/s.out"); [[ -n $s2 ]] && break; sleep 0.05; done
[[ -n $s2 ]] || { echo "FAIL: the shared mock announced no second port"; exit 1; }

bad=0
# run NAME URL [mcpwire words...]: the lb cases; NAME.json and NAME.log in tmp.
run() {
  local name=$1 url=$2 t0; shift 2
  t0=$(date +%s%N)
  timeout 120 "$mcpwire" run --url "$url" --timeout-ms 3000 --case 'lb/*' "$@" \
    --json "$tmp/$name.json" >"$tmp/$name.log" 2>&1
  printf '%-22s %5d ms  %s\n' "$name" $(( ($(date +%s%N) - t0) / 1000000 )) \
    "$(grep '^load balancing:' "$tmp/$name.log" || echo '(no load balancing line)')"
}
# expect NAME CASE VERDICT: the case's verdict in run NAME.
expect() {
  local got
  got=$(jq -r --arg id "$2" '.cases[] | select(.id == $id) | .verdict' "$tmp/$1.json" 2>/dev/null)
  if [[ $got == "$3" ]]; then
    printf '  ok    %-44s %s\n' "$2" "$got"
  else
    printf '  WRONG %-44s %s, want %s: %s\n' "$2" "${got:-absent}" "$3" \
      "$(jq -r --arg id "$2" '.cases[] | select(.id == $id) | .reason // ""' "$tmp/$1.json" 2>/dev/null | cut -c1-200)"
    [[ -f $tmp/$1.log && -z $got ]] && tail -3 "$tmp/$1.log" | sed 's/^/        /'
    bad=$((bad + 1))
  fi
}

echo "== instances given with --instance (no balancer)"
run shared-http "$s1/mcp" --transport http --instance "$s2/mcp"
expect shared-http lb/instances/session-any-instance pass
expect shared-http lb/instances/resume-other-instance pass
expect shared-http lb/affinity pass
run shared-sse "$s1/sse" --transport sse --instance "$s2/sse"
expect shared-sse lb/instances/legacy-post-other-instance pass
expect shared-sse lb/affinity pass
run unshared-http "$a/mcp" --transport http --instance "$b/mcp"
expect unshared-http lb/instances/session-any-instance warn
expect unshared-http lb/instances/resume-other-instance warn
expect unshared-http lb/connection/fresh-per-request pass
expect unshared-http lb/affinity warn
run unshared-sse "$a/sse" --transport sse --instance "$b/sse"
expect unshared-sse lb/instances/legacy-post-other-instance warn
expect unshared-sse lb/affinity warn

# write_conf FILE PORT BALANCE: nginx in front of the two unshared mocks.
write_conf() {
  { conf_head; cat <<CONF; } >"$1"
  upstream mcp {
    $3
    server ${a#http://};
    server ${b#http://};
  }
  server {
    listen 127.0.0.1:$2;
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_buffering off;
      proxy_read_timeout 60s;
    }
  }
}
CONF
}

# through NAME BALANCE HTTP SSE: the lb/connection cases through nginx with
# that balancing directive; HTTP and SSE: the verdicts lb/connection/
# fresh-per-request and lb/connection/legacy-posts must have.
through() {
  echo "== nginx: ${2:-round-robin (no directive)}"
  start_nginx "$2" || { bad=$((bad + 1)); return; }
  run "$1-http" "$nginx_url/mcp" --transport http --spec 2025-11-25
  run "$1-sse" "$nginx_url/sse" --transport sse
  stop_nginx
  expect "$1-http" lb/connection/fresh-per-request "$3"
  expect "$1-sse" lb/connection/legacy-posts "$4"
  expect "$1-http" lb/affinity "$([[ $3 == pass ]] && echo pass || echo warn)"
  expect "$1-sse" lb/affinity "$([[ $4 == pass ]] && echo pass || echo warn)"
}
through round-robin "" warn warn
through header-hash 'hash $http_mcp_session_id consistent;' warn warn
through arg-hash 'hash $arg_sessionId consistent;' warn warn
through client-hash 'hash $remote_addr consistent;' pass pass

# The built-in proxy's balance modes model what nginx does (the --instance
# URLs are its other targets): the same verdicts as round-robin and a hash.
own() {
  echo "== mcpwire --proxy balance=$2"
  run "$1-http" "$a/mcp" --transport http --spec 2025-11-25 --instance "$b/mcp" --proxy "balance=$2"
  run "$1-sse" "$a/sse" --transport sse --instance "$b/sse" --proxy "balance=$2"
  expect "$1-http" lb/connection/fresh-per-request warn
  expect "$1-sse" lb/connection/legacy-posts warn
  expect "$1-http" lb/affinity warn
  expect "$1-sse" lb/affinity warn
}
own own-round-robin round-robin
own own-session-hash session-hash

# Told plainly: an lb verdict is pass, warn or skip; never fail or error.
for f in "$tmp"/*.json; do
  errs=$(jq -r '.cases[] | select(.id | startswith("lb/")) |
               select(.verdict == "fail" or .verdict == "error") | "\(.id): \(.reason)"' "$f")
  [[ -z $errs ]] && continue
  echo "fail or error in $(basename "$f" .json):"; echo "$errs" | sed 's/^/  /'
  bad=$((bad + $(echo "$errs" | wc -l)))
done
echo "$bad wrong verdict(s)"
[[ $bad == 0 ]]
