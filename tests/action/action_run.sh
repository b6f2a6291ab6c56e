#!/usr/bin/env bash
# action_run.sh ACTION_RUN MCPWIRE MOCK: runs `ci/action-run run` as the
# GitHub Action does (INPUT_* variables, GITHUB_STEP_SUMMARY and
# GITHUB_OUTPUT pointed at temporary files) against mcpwire-mock: a passing
# run, a MUST failure, a warning under strict, a baseline, an unreachable
# target and usage errors; a stdio server given as the command input (with
# cwd and env, whose value must show nowhere) passing and failing, and the
# url/command alternatives; each time the exit code must be mcpwire's and the
# summary, JUnit file and outputs must be there.
set -uo pipefail
action=$1 mcpwire=$2 mock=$3
source "$(dirname "$0")/../harness/lib.sh"
work=$(mktemp -d)
trap 'stop_server; rm -rf "$work"' EXIT
cd "$work"
checks=0 failures=0
check() { # check COND TEXT
  checks=$((checks + 1))
  if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; failures=$((failures + 1)); fi
}
# act NAME [VAR=value...]: one run of the action script in a clean
# environment of inputs; its exit code in $rc, its output in NAME.log.
act() {
  local name=$1; shift
  rm -f "$work/out-$name"
  env -u INPUT_URL -u INPUT_COMMAND -u INPUT_CWD -u INPUT_ENV -u INPUT_TRANSPORT -u INPUT_SPEC -u INPUT_CASES -u INPUT_BASELINE -u INPUT_STRICT \
      -u INPUT_FIXTURE -u INPUT_EXTRA_ARGS -u INPUT_JUNIT -u INPUT_JSON -u INPUT_MARKDOWN \
      GITHUB_ACTIONS=true MCPWIRE="$mcpwire" GITHUB_STEP_SUMMARY="$work/summary.md" \
      GITHUB_OUTPUT="$work/out-$name" "$@" bash "$action" run >"$work/$name.log" 2>&1
  rc=$?
  echo "   ($name: exit $rc)"
}
out_of() { sed -n "s/^$2=//p" "$work/out-$1"; }
headings() { grep -c '^## mcpwire' "$work/summary.md" 2>/dev/null || echo 0; }

# 0. action.yml and the script agree: every input but install-dependencies
# reaches the run step as INPUT_<NAME>, which ci/action-run reads; every
# step runs ci/action-run. (Needs python3 with PyYAML; skipped without.)
yml=$(dirname "$action")/../action.yml
if python3 -c 'import yaml' 2>/dev/null; then
  check "python3 - '$yml' '$action' <<'PY'
import re, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
script = open(sys.argv[2]).read()
assert d['runs']['using'] == 'composite', d['runs']['using']
steps = d['runs']['steps']
assert all('ci/action-run' in s['run'] and s['shell'] == 'bash' for s in steps)
env = next(s for s in steps if s.get('id') == 'run')['env']
for name in d['inputs']:
    if name == 'install-dependencies':
        continue
    var = 'INPUT_' + name.upper().replace('-', '_')
    assert env.get(var) == '\${{ inputs.%s }}' % name, (var, env.get(var))
    assert var in script, var + ' not read by ci/action-run'
    assert '\${{ inputs' not in next(s for s in steps if s.get('id') == 'run')['run']
for out in d['outputs'].values():
    m = re.match(r'\\$\{\{ steps\.(run|build)\.outputs\.([a-z-]+) \}\}', out['value'])
    assert m and 'output ' + m.group(2) + ' ' in script, out['value']
PY" "action.yml inputs and outputs match ci/action-run"
else
  echo "note: python3 yaml missing; action.yml not cross-checked"
fi

start_server "$work/mock.out" "$mock" --port 0 || exit 1

# 1. Passing run: exit 0; summary appended, JUnit at the asked path (in a
# directory that does not exist yet), outputs set; quoted extra args kept
# whole; each fixture line passed as --fixture; case globs
# never expanded against files here.
mkdir -p http && touch http/lifecycle-looks-like-a-glob-match
act pass INPUT_URL="$base/mcp" INPUT_CASES='http/lifecycle/*, http/jsonrpc/id-*' INPUT_STRICT=true \
    INPUT_EXTRA_ARGS="--header 'X-Action-Test: a b' --timeout-ms 4000" INPUT_FIXTURE=$'echo=echo\n# a comment\n' \
    INPUT_JUNIT="$work/reports/junit/pass.xml"
check "[[ $rc == 0 ]]" "passing run exits 0"
check "[[ \$(headings) == 1 ]]" "the Markdown summary is appended to GITHUB_STEP_SUMMARY"
check "grep -q 'passed' $work/summary.md" "the summary says the run passed"
check "[[ -s $work/reports/junit/pass.xml ]]" "JUnit XML written at the junit input's path"
check "grep -q '<testsuites' $work/reports/junit/pass.xml" "the JUnit file is JUnit XML"
if command -v xmllint >/dev/null; then
  check "xmllint --noout $work/reports/junit/pass.xml" "the JUnit file is well-formed XML"
fi
check "[[ \$(out_of pass junit) == $work/reports/junit/pass.xml ]]" "step output junit names the file"
check "[[ \$(out_of pass exit-code) == 0 ]]" "step output exit-code is 0"
check "[[ -s mcpwire-reports/report.json && -s mcpwire-reports/summary.md ]]" "default JSON and Markdown paths written"
check "grep -q -- \"--header 'X-Action-Test: a b'\" $work/pass.log" "a quoted extra argument stays one argument"
check "grep -q -- '--fixture echo=echo' $work/pass.log && ! grep -q -- '--fixture .# a comment' $work/pass.log" "fixture: each mapping line passed as --fixture, comments skipped"
check "grep -q 'http/lifecycle/initialize-result' $work/reports/junit/pass.xml &&
       grep -q 'http/jsonrpc/id-' $work/reports/junit/pass.xml &&
       ! grep -q 'http/session/' $work/reports/junit/pass.xml" "the case globs selected the cases, and only those"

# 2. Failures pass through: a MUST failure exits 1, still with summary and JUnit.
stop_server
start_server "$work/mock.out" "$mock" --port 0 --fault no-404-after-delete || exit 1
act fail INPUT_URL="$base/mcp" INPUT_CASES='http/session/deleted-id-404'
check "[[ $rc == 1 ]]" "a MUST failure exits 1"
check "[[ \$(headings) == 2 ]]" "its summary is appended after the first"
check "grep -q 'FAIL' $work/summary.md" "the summary shows the failure"
check "grep -q '<failure' mcpwire-reports/junit.xml" "the JUnit file has the failure"
check "[[ \$(out_of fail exit-code) == 1 ]]" "step output exit-code is 1"
check "grep -q '::error::mcpwire: failures' $work/fail.log" "an error annotation for the failures"
# The baseline input excuses it.
printf 'http/session/deleted-id-404\n' >"$work/baseline.txt"
act baseline INPUT_URL="$base/mcp" INPUT_CASES='http/session/deleted-id-404' INPUT_BASELINE="$work/baseline.txt"
check "[[ $rc == 0 ]]" "the baseline input excuses a known failure: exit 0"

# 3. Strict: a warning alone exits 0, with strict: true exits 1.
stop_server
start_server "$work/mock.out" "$mock" --port 0 --fault no-session-required || exit 1
act warn INPUT_URL="$base/mcp" INPUT_CASES='http/session/missing-id-400' INPUT_STRICT=false
check "[[ $rc == 0 ]]" "a warning without strict: exit 0"
act strict INPUT_URL="$base/mcp" INPUT_CASES='http/session/missing-id-400' INPUT_STRICT=true
check "[[ $rc == 1 ]]" "a warning with strict: true: exit 1"
stop_server

# 4. Unreachable: exit 3, and the JUnit file still says why (run/profile).
act down INPUT_URL="http://127.0.0.1:1/mcp" INPUT_JUNIT="$work/down.xml"
check "[[ $rc == 3 ]]" "an unreachable target exits 3"
check "grep -q 'run/profile' $work/down.xml" "its JUnit file holds run/profile"

# 5. Usage errors exit 2 and still leave a line in the summary.
before=$(headings)
act badspec INPUT_URL="http://127.0.0.1:1/mcp" INPUT_SPEC=1999-01-01
check "[[ $rc == 2 ]]" "a bad spec input exits 2"
check "[[ \$(headings) == $((before + 1)) ]] && grep -q 'exited 2 before writing a summary' $work/summary.md" \
      "a run that wrote no summary leaves a line saying so"
act nourl
check "[[ $rc == 2 ]]" "no url input: exit 2"
act badstrict INPUT_URL="http://127.0.0.1:1/mcp" INPUT_STRICT=maybe
check "[[ $rc == 2 ]]" "strict neither true nor false: exit 2"
act badquote INPUT_URL="http://127.0.0.1:1/mcp" INPUT_EXTRA_ARGS="--header 'X: unterminated"
check "[[ $rc == 2 ]]" "extra-args with an unmatched quote: exit 2"
act nocase INPUT_URL="http://127.0.0.1:1/mcp" INPUT_CASES='no/such/case'
check "[[ $rc == 2 ]]" "a case glob that matches nothing: exit 2 (mcpwire's)"

# 6. A stdio server as the command input: mcpwire runs it with /bin/sh -c in
# cwd, with env's variables, one process per case; the value never shows.
mkdir -p "$work/srv"
act stdio INPUT_COMMAND="pwd >>seen; printf '%s\\n' \"\$ACTION_SECRET\" >>seen; exec '$mock' --stdio" \
    INPUT_CWD="$work/srv" INPUT_ENV=$'# the server\'s variables\nACTION_SECRET=s3cret value\n' \
    INPUT_CASES='lifecycle/*' INPUT_TRANSPORT=auto INPUT_JUNIT="$work/stdio.xml"
check "[[ $rc == 0 ]]" "command: a conformant stdio server exits 0"
check "grep -q 'lifecycle/initialize-result' $work/stdio.xml && grep -q 'profile stdio' $work/stdio.log" \
      "command: the cases ran over stdio and are in the JUnit file"
check "[[ \$(grep -c . $work/srv/seen) -ge 2 ]] && ! grep -qv -e '^$work/srv\$' -e '^s3cret value\$' $work/srv/seen" \
      "command: the server ran in cwd with env's variable"
check "grep -q -- \"--env 'ACTION_SECRET=(hidden)'\" $work/stdio.log && ! grep -rq 's3cret' $work/stdio.log $work/stdio.xml mcpwire-reports $work/summary.md" \
      "env: the value is in no log, report or summary"
act stdiofail INPUT_COMMAND="exec '$mock' --stdio --fault id-as-string" INPUT_CASES='jsonrpc/id-echo-exact'
check "[[ $rc == 1 ]]" "command: a stdio server breaking a MUST exits 1"
check "grep -q '<failure' mcpwire-reports/junit.xml" "command: the JUnit file has the failure"
act both INPUT_URL="http://127.0.0.1:1/mcp" INPUT_COMMAND="exec '$mock' --stdio"
check "[[ $rc == 2 ]] && grep -q 'alternatives' $work/both.log" "url and command together: exit 2"
check "grep -q 'one of the url and command inputs is required' $work/nourl.log" "neither url nor command: the error names both"
act urlenv INPUT_URL="http://127.0.0.1:1/mcp" INPUT_ENV='A=b'
check "[[ $rc == 2 ]]" "env with url: exit 2"
act badenv INPUT_COMMAND="exec '$mock' --stdio" INPUT_ENV='not an assignment'
check "[[ $rc == 2 ]]" "an env line that is not NAME=value: exit 2"

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
