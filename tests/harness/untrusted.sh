#!/usr/bin/env bash
# untrusted.sh MCPWIRE MOCK: a hostile target never gets the user's
# credentials to another host, and no report keeps a secret the user gave.
#  - a legacy endpoint event naming another origin (127.0.0.2) or another
#    scheme: nothing is sent there; the run says so; same-origin warns;
#  - --allow-origin lets requests go there, without the --header values;
#  - a server that echoes every request header back: no report, console
#    line or error message holds the planted secrets;
#  - the reference mock with --bearer: the same, and the auth cases run;
#  - an event stream with no endpoint event is no MCP transport (exit 3);
#  - error lines echo what the user typed with controls escaped;
#  - a run stopped by SIGTERM or SIGHUP (or SIGINT) leaves no temporary report file.
set -u
mcpwire=$1 mock=$2
here=$(dirname "$0")
work=$(mktemp -d)
. "$here/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT
failures=0 checks=0
check() { checks=$((checks + 1)); if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; failures=$((failures + 1)); fi; }

# Planted secrets: a bearer token, an API key, and a URL password.
token="tok${RANDOM}${RANDOM}PlantedBearerSecret"
apikey="key${RANDOM}${RANDOM}PlantedApiKey"
urlpw="pw${RANDOM}PlantedUrlPassword"
auth=(--header "Authorization: Bearer $token" --header "X-Api-Key: $apikey")

# run_reports NAME ARGS...: runs mcpwire with every report into $work/NAME.*
run_reports() {
  local name=$1; shift
  "$mcpwire" run "$@" --timeout-ms 1500 --json "$work/$name.json" --junit "$work/$name.xml" \
    --html "$work/$name.html" --markdown "$work/$name.md" >"$work/$name.out" 2>"$work/$name.err"
  echo $? >"$work/$name.rc"
}

# no_secret NAME: no planted secret in any output of run NAME.
no_secret() {
  local name=$1 f hits=0
  for f in "$work/$name".{json,xml,html,md,out,err}; do
    [[ -e $f ]] || continue
    if grep -qF -e "$token" -e "$apikey" -e "$urlpw" "$f"; then
      echo "   a secret is in $f:"; grep -oF -e "$token" -e "$apikey" -e "$urlpw" "$f" | sort | uniq -c
      hits=$((hits + 1))
    fi
  done
  ((hits == 0))
}

verdict_of() { jq -r --arg id "$2" '.cases[] | select(.id == $id) | .verdict' "$work/$1.json"; }

# ---- 1. a legacy endpoint on another origin: nothing is sent there ----
start_server "$work/t.out" python3 "$here/../targets/thief_target.py" endpoint-elsewhere \
  --log "$work/stolen.jsonl" --lifetime 120 || exit 1
thief=$(awk '/^thief /{print $2; exit}' "$work/t.out")
: >"$work/stolen.jsonl"
run_reports elsewhere --url "$base/sse" "${auth[@]}"
check "[[ ! -s $work/stolen.jsonl ]]" "cross-origin endpoint: the other origin got no request ($(wc -l <"$work/stolen.jsonl") received)"
check "grep -q 'origin policy: [0-9]* requests\\? to another origin refused' $work/elsewhere.err" \
  "cross-origin endpoint: stderr says requests were refused"
check "grep -q 'origin policy' $work/elsewhere.json" "cross-origin endpoint: the JSON report's profile evidence says so"
check "[[ \$(verdict_of elsewhere sse/endpoint/same-origin) == warn ]]" \
  "cross-origin endpoint: sse/endpoint/same-origin warns (got $(verdict_of elsewhere sse/endpoint/same-origin))"
check "jq -e '[.cases[] | select(.verdict == \"skip\" and (.reason | test(\"outside the target.s origin\")))] | length > 0' $work/elsewhere.json >/dev/null" \
  "cross-origin endpoint: cases that would POST skip, naming the policy"
check "no_secret elsewhere" "cross-origin endpoint: no secret in any report or console output"

# ---- 2. --allow-origin: requests go there, the user's headers do not ----
: >"$work/stolen.jsonl"
run_reports allowed --url "$base/sse" "${auth[@]}" --allow-origin "$thief"
check "[[ -s $work/stolen.jsonl ]]" "--allow-origin: the named origin got requests ($(wc -l <"$work/stolen.jsonl"))"
check "! grep -qi -e authorization -e x-api-key -e \"$token\" -e \"$apikey\" $work/stolen.jsonl" \
  "--allow-origin: no --header value reached it"
check "[[ \$(cat $work/allowed.rc) != 2 ]]" "--allow-origin: accepted as an option"
stop_server

# ---- 3. a scheme change (http -> https on the same host and port) ----
start_server "$work/t.out" python3 "$here/../targets/thief_target.py" endpoint-downgrade \
  --log "$work/stolen.jsonl" --lifetime 120 || exit 1
run_reports downgrade --url "$base/sse" "${auth[@]}"
check "grep -q 'origin policy: [0-9]* requests\\? to another origin refused, none sent (first: https://' $work/downgrade.err" \
  "scheme change: refused as another origin"
check "no_secret downgrade" "scheme change: no secret in any output"
stop_server

# ---- 4. a server that echoes every header back ----
start_server "$work/t.out" python3 "$here/../targets/thief_target.py" echo \
  --log "$work/stolen.jsonl" --lifetime 120 || exit 1
echo_url=${base/http:\/\//http://user:$urlpw@}/mcp
run_reports echo --url "$echo_url" --transport http --spec 2025-06-18 "${auth[@]}" \
  --case 'http/lifecycle/*'
check "grep -q 'X-Seen-Headers' $work/echo.json" "echo: the echoed headers are in the transcript"
check "grep -q 'Bearer \\*\\*\\* ([0-9]* bytes, fp [0-9a-f]\\{6\\})' $work/echo.json" \
  "echo: the Authorization line shows the scheme, a length and a fingerprint"
check "no_secret echo" "echo: no echoed secret (token, API key, URL password) in any output"
stop_server

# ---- 5. the reference mock behind a bearer token ----
start_server "$work/m.out" "$mock" --port 0 --bearer "$token" --heartbeat-ms 500 --retry-ms 50 || exit 1
run_reports mock --url "$base/mcp" "${auth[@]}" --case 'http/auth/*' --case 'http/session/*' \
  --case 'http/lifecycle/*'
check "[[ \$(cat $work/mock.rc) == 0 ]]" "mock with --bearer: the run passes (exit $(cat "$work/mock.rc"))"
check "[[ \$(verdict_of mock http/auth/missing-token-401) == pass ]]" \
  "mock with --bearer: an auth case ran and passed ($(verdict_of mock http/auth/missing-token-401))"
check "no_secret mock" "mock with --bearer: no secret in any report or console output"
n=$(grep -o '\*\*\* ([0-9]* bytes, fp' "$work/mock.json" | wc -l)
check "(( n > 10 ))" "mock with --bearer: transcripts show the redacted header ($n times)"
stop_server

# ---- 6. an event stream that never names an endpoint is no MCP transport ----
start_server "$work/m.out" "$mock" --port 0 --fault no-endpoint-event || exit 1
"$mcpwire" run --url "$base/sse" --timeout-ms 800 >"$work/noep.out" 2>"$work/noep.err"
rc=$?
check "[[ $rc == 3 ]] && [[ \$(wc -l <$work/noep.err) == 1 ]]" "no endpoint event: exit 3 with one line (got $rc)"
check "grep -q 'sent no endpoint event' $work/noep.out" "no endpoint event: the probe evidence says why"
"$mcpwire" run --url "$base/sse" --transport sse --spec 2024-11-05 --case sse/endpoint/first-event \
  --timeout-ms 800 --json "$work/noep.json" >/dev/null 2>&1
check "[[ \$(verdict_of noep sse/endpoint/first-event) == fail ]]" \
  "no endpoint event, --transport sse --spec 2024-11-05 given: tested, first-event fails"
stop_server

# ---- 7. error lines never carry raw controls from the command line ----
raw_controls() { LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\r' "$1" || [[ $(wc -l <"$1") -gt 1 ]] ||
  grep -q $'\xe2\x80\xae' "$1"; }
evil=$'x\r\n\e[31mforged line\u202e'
"$mcpwire" run --url "http://$evil" 2>"$work/e1"; rc1=$?
"$mcpwire" "$evil" 2>"$work/e2"
"$mcpwire" list --format "$evil" 2>"$work/e3"
"$mcpwire" parse "$evil" 2>"$work/e4"
"$mcpwire" run --url http://127.0.0.1:9/mcp --header "X: $evil" 2>"$work/e5"
"$mcpwire" run --url http://127.0.0.1:9/mcp --case "$evil" 2>"$work/e6"
for i in 1 2 3 4 5 6; do
  check "! raw_controls $work/e$i && grep -q 'x\\\\r\\\\n\\\\x1b' $work/e$i" "error line $i: one line, controls escaped ($(head -c 120 "$work/e$i"))"
done
check "[[ $rc1 == 2 ]]" "a bad --url is still exit 2"

# ---- 8. interrupted: no temporary report file is left behind ----
start_server "$work/m.out" "$mock" --port 0 || exit 1
mkdir -p "$work/int"
for sig in TERM HUP; do  # (a background job ignores SIGINT, as it should)
  "$mcpwire" run --url "$base/mcp" --case 'wire/keepalive*' --case 'http/reconnect/*' \
    --json "$work/int/r.json" --html "$work/int/r.html" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 40); do compgen -G "$work/int/.r.json.*" >/dev/null && break; sleep 0.05; done
  sleep 0.5
  kill -$sig $pid; wait $pid 2>/dev/null
  check "[[ -z \$(ls -A $work/int) ]]" "SIG$sig during a run: no temporary or partial report left ($(ls -A "$work/int" | tr '\n' ' '))"
done
stop_server

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
