#!/usr/bin/env bash
# run_command.sh MCPWIRE MOCK: `mcpwire run --command` end to end, against
# mcpwire-mock --stdio: the run's verdicts and process counts; a server that
# forks a child and ignores EOF is gone, children included, after a run and
# after SIGINT or SIGTERM, and after mcpwire is killed outright; --env values never reach a report; bad input is one line and a
# distinct exit code.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
check() { if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; failures=$((failures + 1)); fi; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# A marker no other process carries: what is left of a run is found by it.
marker="mcpwire-stdio-test-$$-$RANDOM"

# 1. The reference server: every stdio case passes, every process ended on EOF.
"$mcpwire" run --command "$mock --stdio" --json "$work/ok.json" >"$work/ok.txt" 2>&1
rc=$?
check "(( rc == 0 ))" "reference mock over stdio: exit 0 (got $rc)"
check "[[ \$(json $work/ok.json \"d['profile']['transport']\") == stdio ]]" "the profile says stdio"
check "[[ \$(json $work/ok.json \"d['summary']['fail'] + d['summary']['error']\") == 0 ]]" \
  "no fail, no error"
check "[[ \$(json $work/ok.json \"d['summary']['processes']['started'] == d['summary']['processes']['ended'] == d['summary']['processes']['on_eof'] > 1\") == True ]]" \
  "every process started ended on stdin EOF"
check "grep -q '^server processes: ' $work/ok.txt" "the console counts the processes"

# 2. A server that forks a child and ignores EOF: SIGTERM ends the group,
#    the child (sleep, carrying the marker) too.
cmd="sh -c 'sleep 300 $marker & exec $mock --stdio --fault stdio-ignores-eof'"
"$mcpwire" run --command "$cmd" --case stdio/shutdown/exits-on-stdin-close --json "$work/eof.json" \
  >"$work/eof.txt" 2>&1
check "[[ \$(json $work/eof.json \"d['cases'][0]['verdict']\") == warn ]]" \
  "a server ignoring EOF: exits-on-stdin-close warns"
check "[[ \$(json $work/eof.json \"d['summary']['processes']['by_sigterm']\") -ge 1 ]]" \
  "SIGTERM counted"
sleep 0.2
check "! pgrep -f $marker >/dev/null" "no forked child left after the run"

# 3. Ctrl-C (SIGINT) or a CI job's SIGTERM in the middle of a run: every
#    group is killed before mcpwire exits. Job control on, so the
#    background run does not start with SIGINT ignored.
set -m
for sig in INT TERM; do
  "$mcpwire" run --command "$cmd" --json "$work/$sig.json" >"$work/$sig.txt" 2>&1 &
  run=$!
  for _ in $(seq 100); do pgrep -f "$marker" >/dev/null && break; sleep 0.05; done
  sleep 0.3
  kill -"$sig" "$run"
  wait "$run"
  rc=$?
  sleep 0.2
  check "(( rc > 128 ))" "SIG$sig ends the run (exit $rc)"
  check "! pgrep -f $marker >/dev/null" "no server or child left after SIG$sig ($(pgrep -fc "$marker") left)"
  check "[[ ! -e $work/$sig.json ]]" "no half-written report after SIG$sig"
done
set +m

# 3b. mcpwire killed outright (SIGKILL: no handler runs): its watchdog sees
#     the lifeline close and kills every group, so no server lingers, even
#     one behind a shell that forks it.
srv="bash -c 'exec -a $marker-srv $mock --stdio --fault stdio-ignores-eof'"
"$mcpwire" run --command "$srv" --json "$work/kill.json" >/dev/null 2>&1 &
run=$!
# ^: the server's own command line (exec -a), not mcpwire's, which holds it too.
for _ in $(seq 100); do pgrep -f "^$marker-srv" >/dev/null && break; sleep 0.05; done
check "pgrep -f ^$marker-srv >/dev/null" "the server runs during the run"
kill -9 "$run"
wait "$run" 2>/dev/null
for _ in $(seq 40); do pgrep -f "^$marker-srv" >/dev/null || break; sleep 0.05; done
check "! pgrep -f ^$marker-srv >/dev/null" "no server left after mcpwire is SIGKILLed"

# 4. --env values are secrets: a server echoing one to stderr (kept in the
#    transcript) shows ***.
secret="mcpwire-secret-$RANDOM$RANDOM"
"$mcpwire" run --command "sh -c 'echo token=\$TOKEN >&2; exec $mock --stdio'" --env "TOKEN=$secret" \
  --case lifecycle/initialize-result --json "$work/env.json" >/dev/null 2>&1
check "grep -q 'token=\*\*\*' $work/env.json" "the echoed value is redacted in the transcript"
check "! grep -q $secret $work/env.json" "the --env value is in no report"

# 5. Bad input: one line, a distinct exit code.
"$mcpwire" run --command /nonexistent/server >"$work/bad.txt" 2>&1
rc=$?
check "(( rc == 3 ))" "a command that cannot run: exit 3 (got $rc)"
check "grep -q 'closed its stdout\|cannot run' $work/bad.txt" "it says why"
"$mcpwire" run --command "$mock --stdio" --url http://127.0.0.1:9/ >"$work/both.txt" 2>&1
rc=$?
check "(( rc == 2 ))" "--url with --command: usage error (got $rc)"
"$mcpwire" run --command "$mock --stdio" --header 'X: y' >/dev/null 2>&1
check "(( \$? == 2 ))" "--header with --command: usage error"
"$mcpwire" run --command "$mock --stdio" --cwd /nonexistent >/dev/null 2>&1
check "(( \$? == 2 ))" "--cwd that is no directory: usage error"
"$mcpwire" run --url http://127.0.0.1:9/ --env A=b >/dev/null 2>&1
check "(( \$? == 2 ))" "--env without --command: usage error"
echo "$failures failure(s)"
(( failures == 0 ))
