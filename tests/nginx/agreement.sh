#!/usr/bin/env bash
# agreement.sh MCPWIRE MOCK: real nginx as a reverse proxy in front of
# mcpwire-mock, buffering on and off; the harness's verdicts through nginx
# must equal its verdicts through its own fault proxy in the mode that
# models what nginx does to a response its client keeps reading:
#   nginx proxy_buffering off                             <-> --proxy strip-header=X-Accel-Buffering
#   nginx proxy_buffering on (stock: honours X-Accel-Buffering)   <-> the same (must)
#   nginx proxy_buffering on, X-Accel-Buffering ignored   <-> the same (must)
# nginx forwards each upstream read to a reading client whatever
# proxy_buffering says (buffering absorbs slow clients), and it never passes
# X-Accel-* response headers on (proxy_hide_header default): that is the
# model. --proxy pass and --proxy buffer (a proxy that holds whole
# responses, as some CDNs and API gateways do) are compared for the record.
# Every difference is listed with the case id and both verdicts. Exit 77
# (skip) when nginx is not installed, unless CI is true.
set -u
mcpwire=$1 mock=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../harness/lib.sh
source "$here/../harness/lib.sh"
# shellcheck source=lib.sh
source "$here/lib.sh"
tmp=$(mktemp -d); [[ -n ${KEEP_TMP:-} ]] && echo "temp dir $tmp"
trap 'stop_nginx; stop_server; [[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT

cases=(--case http/proxy --case http/reconnect --case http/post --case http/get --case http/resume
       --case modern/proxy)
run_opts=(--transport http --timeout-ms 3000)

start_server "$tmp/mock.out" "$mock" --port 0 --heartbeat-ms 300 --retry-ms 20 --slow-step-ms 5 || exit 1
mock_hostport=${base#http://}

# write_conf FILE PORT BUFFERING EXTRA: one server, a plain reverse proxy.
write_conf() {
  { conf_head; cat <<CONF; } >"$1"
  server {
    listen 127.0.0.1:$2;
    location / {
      proxy_pass http://$mock_hostport;
      proxy_http_version ${NGINX_HTTP_VERSION:-1.1};
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_buffering $3;
      $4
      proxy_read_timeout 60s;
    }
  }
}
CONF
}

# verdicts URL OUT [--proxy MODE]: "case-id verdict" lines, sorted.
verdicts() {
  local url=$1 out=$2; shift 2
  timeout 300 "$mcpwire" run --url "$url/mcp" "${run_opts[@]}" "${cases[@]}" "$@" \
    --json "$out.json" >"$out.log" 2>&1
  jq -r '.cases[] | "\(.id) \(.verdict)"' "$out.json" | sort >"$out"
}

# Differences that are documented behaviour, not a harness error: case id,
# then why. They are printed, never counted. (None since the model strips
# X-Accel-Buffering as nginx does; kept for the record comparisons.)
declare -A KNOWN=()

# differences A B: "case verdict-in-A verdict-in-B" for every case they disagree on.
differences() {
  join -a1 -a2 -e none -o 0,1.2,2.2 "$1" "$2" | awk '$2 != $3'
}

bad=0
# compare NAME NGINX_FILE OWN_FILE OWN_MODE ENFORCE: prints agreement and differences.
compare() {
  local name=$1 ours=$3 mode=$4 enforce=$5 n unexplained=0
  n=$(wc -l <"$2")
  printf '%-26s vs --proxy %-34s (%d cases): ' "$name" "$mode" "$n"
  local diff
  diff=$(differences "$2" "$ours")
  if [[ -z $diff ]] && (( n > 0 )); then
    echo "agree"
    return
  fi
  echo "differ (case, nginx verdict, --proxy $mode verdict)"
  while read -r id v1 v2; do
    [[ -z $id ]] && continue
    if [[ -n ${KNOWN[$id]:-} ]]; then
      echo "  $id $v1 $v2  (known: ${KNOWN[$id]})"
    else
      echo "  $id $v1 $v2"
      unexplained=$((unexplained + 1))
    fi
  done <<<"$diff"
  (( n == 0 )) && unexplained=$((unexplained + 1))
  if [[ $enforce == must ]] && (( unexplained )); then
    bad=$((bad + unexplained))
  fi
}

timed() {
  local t0
  t0=$(date +%s%N)
  "$@"
  echo "  $(( ($(date +%s%N) - t0) / 1000000 )) ms: run through ${*:2:1}"
}

# The harness's own proxy, once per mode.
timed verdicts "$base" "$tmp/own-model" --proxy strip-header=X-Accel-Buffering
timed verdicts "$base" "$tmp/own-pass" --proxy pass
timed verdicts "$base" "$tmp/own-buffer" --proxy buffer
# nginx, four ways.
run_nginx() {
  echo "nginx proxy_buffering $2 $3"
  start_nginx "$2" "$3" || { bad=$((bad + 1)); : >"$tmp/nginx-$1"; return; }
  timed verdicts "$nginx_url" "$tmp/nginx-$1"
  stop_nginx
  jq -r '.cases[] | select(.id | test("get-stream-delivers|idle-heartbeat")) |
         "  nginx \(.id): \(.verdict) (\(.actual // .reason))"' "$tmp/nginx-$1.json"
}
run_nginx off off ""
run_nginx on-ignoring-accel on "proxy_ignore_headers X-Accel-Buffering;"
run_nginx on on ""
# HTTP/1.0 to the upstream: no chunked responses; nginx reads until close.
NGINX_HTTP_VERSION=1.0 run_nginx http10 on "proxy_ignore_headers X-Accel-Buffering;"

# The model must match every nginx run case by case; pass and buffer are
# printed for the record.
model=strip-header=X-Accel-Buffering
compare "nginx buffering off" "$tmp/nginx-off" "$tmp/own-model" "$model" must
compare "nginx buffering on" "$tmp/nginx-on" "$tmp/own-model" "$model" must
compare "nginx on, X-Accel ignored" "$tmp/nginx-on-ignoring-accel" "$tmp/own-model" "$model" must
compare "nginx buffering on" "$tmp/nginx-on" "$tmp/own-pass" pass record
compare "nginx on, X-Accel ignored" "$tmp/nginx-on-ignoring-accel" "$tmp/own-buffer" buffer record
compare "nginx HTTP/1.0 upstream" "$tmp/nginx-http10" "$tmp/own-model" "$model" record

# Told plainly: behind any of these proxies a stream held back is a verdict
# naming the effect, never an ERROR (an ERROR means mcpwire could not judge).
for run in nginx-off nginx-on nginx-on-ignoring-accel nginx-http10 own-buffer own-model own-pass; do
  errs=$(jq -r '.cases[] | select(.verdict == "error") | "\(.id): \(.reason)"' "$tmp/$run.json" 2>/dev/null)
  if [[ -n $errs ]]; then
    echo "ERROR verdicts through $run:"; echo "$errs" | sed 's/^/  /'
    bad=$((bad + $(echo "$errs" | wc -l)))
  else
    echo "no ERROR verdict through $run"
  fi
done
echo "$bad unexplained disagreement(s) or ERROR verdict(s)"
[[ $bad == 0 ]]
