#!/usr/bin/env bash
# cli.sh MCPWIRE MOCK: exit codes, one-line usage errors, list, --strict and
# --baseline behaviour of `mcpwire run`.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT
failures=0 checks=0
check() { checks=$((checks + 1)); if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; failures=$((failures + 1)); fi; }

# exit_of ARGS...: runs mcpwire, keeps stderr in $work/err, prints the code.
exit_of() { "$mcpwire" "$@" >"$work/out" 2>"$work/err"; echo $?; }
one_line_error() { [[ $(wc -l <"$work/err") == 1 ]]; }

check "[[ $(exit_of run --url not-a-url) == 2 ]] && one_line_error" "bad URL: exit 2, one line"
check "[[ $(exit_of run --url ftp://127.0.0.1/x) == 2 ]] && one_line_error" "non-http URL: exit 2"
check "[[ $(exit_of run) == 2 ]] && one_line_error" "missing --url: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --bogus) == 2 ]] && one_line_error" "unknown option: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --transport ws) == 2 ]] && one_line_error" "bad --transport: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --spec 2099-01-01) == 2 ]] && one_line_error" "bad --spec: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --case no/such/case) == 2 ]] && one_line_error" "unknown case: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --baseline $work/absent) == 2 ]] && one_line_error" "unreadable baseline: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --header 'no colon') == 2 ]] && one_line_error" "bad --header: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --cacert $work/absent.pem) == 2 ]] && one_line_error" "unreadable --cacert: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --timeout-ms 0) == 2 ]] && one_line_error" "bad --timeout-ms: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --jobs 0) == 2 ]] && one_line_error" "bad --jobs: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --instance ftp://127.0.0.1/x) == 2 ]] && one_line_error" "non-http --instance: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp $(for i in 1 2 3 4 5 6 7 8 9; do echo --instance http://127.0.0.1:$i/mcp; done)) == 2 ]] && one_line_error" "nine --instance: exit 2"
check "[[ $(exit_of run --command true --instance http://127.0.0.1:1/mcp) == 2 ]] && one_line_error" "--instance with --command: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --jobs 33) == 2 ]] && one_line_error" "--jobs past the most: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --transport sse --spec 2025-06-18) == 2 ]] && one_line_error" "sse with a Streamable revision: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --transport http --spec 2024-11-05) == 2 ]] && one_line_error" "http with 2024-11-05: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp) == 3 ]]" "unreachable 127.0.0.1:1: exit 3"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --transport http --spec 2025-06-18) == 3 ]]" "unreachable with a given profile: exit 3"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --transport sse --spec 2026-07-28) == 2 ]] && one_line_error" "sse with 2026-07-28: exit 2"
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --spec 2026-07-28) == 3 ]] && one_line_error" "--spec 2026-07-28 unreachable: exit 3"
schema=$(dirname "$0")/../../docs/report.schema.json
valid_report() { python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' "$1" "$schema"; }
# Nothing to test: still one line on stderr, and the reports say why.
check "[[ $(exit_of run --url http://127.0.0.1:1/mcp --json $work/u.json --junit $work/u.xml) == 3 ]] && one_line_error" "unreachable: exit 3, one line on stderr"
check "valid_report $work/u.json && python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); c=d[\"cases\"]
assert len(c)==1 and c[0][\"id\"]==\"run/profile\" and c[0][\"verdict\"]==\"error\" and \"unreachable\" in c[0][\"reason\"], c' $work/u.json" "unreachable: JSON report (schema-valid) holds the run/profile error"
check "xmllint --noout $work/u.xml && grep -q '<error message=\"LIFE-INIT-01: target http://127.0.0.1:1/mcp unreachable' $work/u.xml" "unreachable: JUnit holds the error"
check "[[ $(exit_of run --help) == 0 ]] && grep -q -- --baseline $work/out" "run --help"
check "[[ $(exit_of list --help) == 0 ]]" "list --help"
check "[[ $(exit_of parse --help) == 0 ]] && grep -q jsonrpc $work/out" "parse --help"
check "[[ $(exit_of proxy --help) == 0 ]] && grep -q -- --target $work/out" "proxy --help"
check "[[ $(exit_of list) == 0 ]] && grep -q '^http/session/unknown-id-404 ' $work/out" "list text"
check "grep -Eq '^sse/endpoint/first-event +MUST +sse +2024-11-05 +SSELEG-02' $work/out && grep -Eq '^http/session/unknown-id-404 +[A-Z]+ +http +2025-03-26\\+ ' $work/out" "list text names the revisions"
check "[[ $(exit_of list --format json) == 0 ]] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(c[\"id\"]==\"sse/endpoint/first-event\" and \"SSELEG-02\" in c[\"requirements\"] for c in d)' $work/out" "list json"
check "[[ $(exit_of list --format xml) == 2 ]]" "list bad format: exit 2"

start_mock() { start_server "$work/mock.out" "$mock" --port 0 "$@" || exit 1; }
stop_mock() { stop_server; }

# A server of the stateless era only (tests/targets/modern_target.py): the
# server/discover probe finds it and the 2026-07-28 cases run; a session-era
# --spec there is exit 3, one line naming the revision, not a false verdict.
start_server "$work/modern.out" python3 "$(dirname "$0")/../targets/modern_target.py" --lifetime 60 || exit 1
check "[[ $(exit_of run --url $base/mcp --case run/jsonrpc-envelope --json $work/m.json) == 0 ]]" "2026-07-28-only server: its run is of that revision, exit 0"
check "valid_report $work/m.json && python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); p=d[\"profile\"]; c=d[\"cases\"][0]
assert p[\"spec\"]==\"2026-07-28\" and p[\"modern_spec\"] is None and not p[\"dual_era\"] and c[\"revision\"]==\"2026-07-28\" and any(\"supportedVersions lists 2026-07-28\" in e for e in p[\"evidence\"]), d' $work/m.json" "2026-07-28-only server: the profile and the case name the revision, the evidence the discover answer"
check "[[ $(exit_of run --url $base/mcp --spec 2025-11-25 --json $work/m.json) == 3 ]] && one_line_error && grep -q 'speaks MCP 2026-07-28' $work/err" "2026-07-28-only server, --spec 2025-11-25: exit 3, one line naming the revision"
check "valid_report $work/m.json && python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); c=d[\"cases\"][0]
assert c[\"id\"]==\"run/profile\" and \"server/discover\" in c[\"actual\"], d' $work/m.json" "2026-07-28-only server, --spec 2025-11-25: run/profile holds the discover evidence"
stop_server

start_mock
check "[[ $(exit_of run --url $base/mcp --json $work/full.json --junit $work/full.xml) == 0 ]]" "reference mock: exit 0"
check "valid_report $work/full.json && xmllint --noout $work/full.xml" "a whole run's JSON report is schema-valid, its JUnit well-formed"
check "jq -e '.profile.detected and (.profile.evidence | length > 0)' $work/full.json >/dev/null" "profile evidence in the report"
check "[[ $(exit_of run --url $base/mcp --case http/session/unknown-id-404 --json $work/no/such/dir/r.json) == 2 ]] && one_line_error && grep -q 'r.json' $work/err" "unwritable report: refused before the run, exit 2"
printf 'http/session/no-such-case\n' >"$work/typo-baseline"
check "[[ $(exit_of run --url $base/mcp --case http/session/unknown-id-404 --baseline $work/typo-baseline) == 0 ]] && grep -q \"lists 'http/session/no-such-case', which is no case id\" $work/err" "baseline id that names no case: noted"
# Colour only on a terminal, never with NO_COLOR set to a non-empty value.
if script -qec true /dev/null >/dev/null 2>&1; then
  on_tty() { script -qec "$*" /dev/null </dev/null; }
  sgr=$'\e\\[[0-9;]*m' # a colour escape (the progress line's erase is not one)
  check "on_tty $mcpwire run --url $base/mcp --case http/session/unknown-id-404 | grep -Eq \"\$sgr\"" "colour on a terminal"
  check "! NO_COLOR=1 on_tty $mcpwire run --url $base/mcp --case http/session/unknown-id-404 | grep -Eq \"\$sgr\"" "NO_COLOR=1: no colour"
  check "! $mcpwire run --url $base/mcp --case http/session/unknown-id-404 | grep -Eq \"\$sgr\"" "no colour in a pipe"
else
  echo "note: no pseudo-terminal (script failed): colour checks skipped"
fi
# The section's size comes from the registry, so the check follows new cases.
n_session=$("$mcpwire" list | grep -c '^http/session/')
check "[[ $n_session -gt 1 && $(exit_of run --url $base/mcp --case http/session) == 0 ]] && [[ $(grep -c 'http/session/' $work/out) == $n_session ]]" "a section name selects its $n_session cases"
check "[[ $(exit_of run --url $base/mcp --case http/session --jobs 1) == 0 ]] && [[ $(grep -c 'http/session/' $work/out) == $n_session ]]" "--jobs 1: the section one case after the other"
# MCP-Protocol-Version goes on requests after initialize from 2025-06-18 on,
# never in a 2025-03-26 session; cases for later revisions skip there.
check "[[ $(exit_of run --url $base/mcp --spec 2025-03-26 --json $work/v1.json) == 0 ]]" "run at 2025-03-26"
check "python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
assert d[\"profile\"][\"spec\"]==\"2025-03-26\"
c={x[\"id\"]:x for x in d[\"cases\"]}
v=c[\"http/version/invalid-header-400\"]
assert v[\"verdict\"]==\"skip\" and \"2025-03-26\" in v[\"reason\"], v
# these two open sessions at other revisions on purpose
other={\"http/lifecycle/version-echo\",\"http/lifecycle/unsupported-version\"}
assert not any(\"> MCP-Protocol-Version:\" in x[\"transcript\"] for x in d[\"cases\"] if x[\"id\"] not in other)' $work/v1.json" "2025-03-26: no version header, version case skipped"
check "[[ $(exit_of run --url $base/mcp --spec 2025-06-18 --case http/session --json $work/v2.json) == 0 ]]" "run at 2025-06-18"
check "python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
t=\"\".join(x[\"transcript\"] for x in d[\"cases\"])
assert \"> MCP-Protocol-Version: 2025-06-18\" in t and \"2025-11-25\" not in t.split(\"protocolVersion\")[0]' $work/v2.json" "2025-06-18: version header after initialize"

# --header goes on every request of every case that ran, its value redacted.
check "[[ $(exit_of run --url $base/mcp --header 'X-Mcpwire-Test: yes 1' --header 'X-Second:two' --json $work/h.json) == 0 ]]" "run with --header"
check "python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
ran=[c for c in d[\"cases\"] if c[\"verdict\"]!=\"skip\"]
reqs=sum(t.count(\" > GET \")+t.count(\" > POST \")+t.count(\" > DELETE \") for t in (c[\"transcript\"] for c in ran))
hdrs=sum(c[\"transcript\"].count(\"> X-Mcpwire-Test: *** (5 bytes, fp \") for c in ran)
sec=sum(c[\"transcript\"].count(\"> X-Second: *** (3 bytes, fp \") for c in ran)
raw=sum(c[\"transcript\"].count(\"yes 1\") for c in d[\"cases\"])
assert ran and reqs>0 and hdrs==reqs==sec and raw==0, (reqs,hdrs,sec,raw)' $work/h.json" "custom headers on every request"
stop_mock

# SSE framing oddities are recorded in the transcript as information.
start_mock --wire crlf
check "[[ $(exit_of run --url $base/sse --case sse/endpoint/first-event --json $work/w.json) == 0 ]]" "run on CRLF framing"
check "python3 -c 'import json,sys,re
t=json.load(open(sys.argv[1]))[\"cases\"][0][\"transcript\"]
m=re.search(r\"line ends lf=(\\d+) crlf=(\\d+)\", t)
assert m and int(m.group(1))==0 and int(m.group(2))>0, t[-500:]' $work/w.json" "CRLF line ends counted in the transcript"
stop_mock

# A SHOULD broken: warn; exit 0, and 1 under --strict.
start_mock --fault no-session-required
check "[[ $(exit_of run --url $base/mcp --case http/session/missing-id-400) == 0 ]]" "warn only: exit 0"
check "[[ $(exit_of run --url $base/mcp --case http/session/missing-id-400 --strict) == 1 ]]" "warn under --strict: exit 1"
stop_mock

# A MUST broken: exit 1; listed in the baseline: exit 0 and reported excused.
start_mock --fault no-404-after-delete
printf '# known failures\nhttp/session/deleted-id-404  # ticket 12\n\nhttp/session/id-visible-ascii\n' >"$work/baseline"
check "[[ $(exit_of run --url $base/mcp --case 'http/session/*') == 1 ]]" "MUST failure: exit 1"
check "[[ $(exit_of run --url $base/mcp --case 'http/session/*' --baseline $work/baseline --json $work/r.json) == 0 ]]" "baseline excuses it: exit 0"
check "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c={x[\"id\"]:x for x in d[\"cases\"]}; assert c[\"http/session/deleted-id-404\"][\"verdict\"]==\"fail\"' $work/r.json" "excused case still reported as fail"
check "grep -q 'http/session/id-visible-ascii passes now' $work/out" "baseline case that passes is reported"
stop_mock

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
