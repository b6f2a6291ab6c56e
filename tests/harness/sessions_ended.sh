#!/usr/bin/env bash
# sessions_ended.sh MCPWIRE MOCK: every session id the target issues in a
# whole run is ended by a DELETE carrying it, in the same case, whoever
# opened it (an shttp session, or an initialize a case POSTs itself), and
# the summary's counts agree: opened == closed (also in the HTML report).
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT
start_server "$work/m.out" "$mock" --port 0 --heartbeat-ms 500 --retry-ms 50 || exit 1
"$mcpwire" run --url "$base/mcp" --json "$work/r.json" --html "$work/r.html" >"$work/out" 2>&1
python3 - "$work/r.json" "$work/r.html" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
bad, issued_all = [], 0
for c in d["cases"]:
    methods, issued, deleted = {}, set(), set()
    for line in (c.get("transcript") or "").splitlines():
        m = re.search(r"\] #(\d+) > (GET|POST|DELETE) ", line)
        if m:
            methods[m.group(1)] = m.group(2)
        m = re.search(r"\] #(\d+) < Mcp-Session-Id: (\S+)", line, re.I)
        if m:
            issued.add(m.group(2))
        m = re.search(r"\] #(\d+) > Mcp-Session-Id: (\S+)", line, re.I)
        if m and methods.get(m.group(1)) == "DELETE":
            deleted.add(m.group(2))
    issued_all += len(issued)
    if issued - deleted:
        bad.append((c["id"], sorted(issued - deleted)))
s = d["summary"]["sessions"]
print(f"{issued_all} session ids issued in {len(d['cases'])} cases; summary {s}")
for cid, ids in bad:
    print(f"FAIL: {cid}: session {ids[0]} issued and never deleted")
note = "<dt>note</dt><dd>sessions: %d opened, %d closed" % (s["opened"], s["closed"])
if note not in open(sys.argv[2]).read():
    bad.append(("html", ["the HTML report lacks the line " + note]))
    print("FAIL: the HTML report does not show the sessions")
ok = not bad and issued_all > 100 and s["opened"] == s["closed"] and s["left_open"] == 0
print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
sys.exit(0 if ok else 1)
PY
