# lib.sh: nginx for the test scripts of tests/nginx (sourced, not run).
# The script defines write_conf FILE PORT ARGS... and sets tmp (its
# temporary folder) before calling start_nginx.

# Sets nginx_bin; without nginx: exit 77 (skip), or 1 when CI is true.
nginx_bin=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
if [[ -z $nginx_bin ]]; then
  [[ ${CI:-} == true ]] && { echo "FAIL: nginx is not installed (CI=true; ci/setup installs nginx-light)"; exit 1; }
  echo "SKIP: nginx is not installed"
  exit 77
fi
nginx_pid=

# conf_head: the start of a configuration, up to inside its http block
# (one worker, logs and temporary files in $tmp); write_conf adds the rest.
conf_head() {
  mkdir -p "$tmp/temp"
  cat <<CONF
worker_processes 1;
error_log $tmp/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $tmp/temp/body;
  proxy_temp_path $tmp/temp/proxy;
  fastcgi_temp_path $tmp/temp/fastcgi;
  uwsgi_temp_path $tmp/temp/uwsgi;
  scgi_temp_path $tmp/temp/scgi;
CONF
}

# stop_nginx: QUIT, then KILL after 5 s; nothing when none runs.
stop_nginx() {
  [[ -n $nginx_pid ]] || return 0
  kill -QUIT "$nginx_pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$nginx_pid" 2>/dev/null
  wait "$nginx_pid" 2>/dev/null
  nginx_pid=
}

# start_nginx ARGS...: nginx with write_conf's configuration for ARGS on a
# free loopback port (a few tries); sets nginx_url and nginx_pid.
start_nginx() {
  local port
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    write_conf "$tmp/nginx.conf" "$port" "$@"
    "$nginx_bin" -e "$tmp/error.log" -p "$tmp" -c "$tmp/nginx.conf" \
      -g "daemon off; pid $tmp/nginx.pid;" 2>>"$tmp/error.log" &
    nginx_pid=$!
    for _ in $(seq 100); do
      curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && break
      kill -0 "$nginx_pid" 2>/dev/null || break
      sleep 0.05
    done
    if kill -0 "$nginx_pid" 2>/dev/null; then
      nginx_url="http://127.0.0.1:$port"
      return 0
    fi
    wait "$nginx_pid" 2>/dev/null
    nginx_pid=
  done
  echo "FAIL: nginx did not start:"; cat "$tmp/error.log"
  return 1
}
