#!/usr/bin/env bash
# catalog_check.sh MCPWIRE MOCK: the case table agrees with the catalog and
# the mock. Every requirement id a case cites is a catalog id; every case
# names the faults that break it or says why none can; every fault named is
# one mcpwire-mock knows; catalog ids are unique.
set -u
mcpwire=$1 mock=$2
# 1: offenders fail the test. 0: they are printed as warnings (only while
# other engineers are still filling in .faults; see docs/COVERAGE.md).
strict=${MCPWIRE_CATALOG_STRICT:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mcpwire" list --coverage --format json >"$work/coverage.json" || { echo "FAIL: list --coverage"; exit 1; }
"$mcpwire" list --format json >"$work/cases.json" || { echo "FAIL: list --format json"; exit 1; }
"$mock" --list-faults | cut -f1 >"$work/faults.txt" || { echo "FAIL: --list-faults"; exit 1; }
"$mcpwire" list --coverage >"$work/coverage.txt" || { echo "FAIL: list --coverage"; exit 1; }
"$mcpwire" list --coverage --format markdown >"$work/coverage.md" || { echo "FAIL: markdown"; exit 1; }
"$mcpwire" list --coverage --format yaml >/dev/null 2>&1
[[ $? == 2 ]] || { echo "FAIL: list --coverage --format yaml is not a usage error"; exit 1; }
python3 - "$work" "$strict" <<'PY'
import collections, json, sys
work, strict = sys.argv[1], sys.argv[2] == "1"
cov = json.load(open(work + "/coverage.json"))
cases = json.load(open(work + "/cases.json"))
faults = set(open(work + "/faults.txt").read().split())
offenders = []
for u in cov["unknown_ids"]:
    offenders.append("%s cites %s, which is not a catalog id" % (u["case"], u["id"]))
for cid in cov["cases_without_faults"]:
    offenders.append("%s has neither .faults nor .no_fault_reason" % cid)
for c in cases:
    for f in c.get("faults") or []:
        if f not in faults:
            offenders.append("%s lists fault %s, which mcpwire-mock does not know" % (c["id"], f))
ids = collections.Counter(r["id"] for r in cov["requirements"])
for rid, n in ids.items():
    if n > 1:
        offenders.append("catalog id %s appears %d times" % (rid, n))
if not cov["requirements"]:
    offenders.append("the catalog is empty")
# The three formats tell the same story.
s = cov["summary"]
line = "%d H→S requirements at MUST/SHOULD level: %d with a case, %d with a stated reason, " \
       "%d with neither (gaps)" % (s["hs_normative"], s["hs_with_case"], s["hs_with_reason"], s["gaps"])
for fmt in ("txt", "md"):
    text = open(work + "/coverage." + fmt).read()
    if line not in text:
        offenders.append("coverage.%s lacks the summary line %r" % (fmt, line))
    for rid in cov["gaps"]:
        if rid not in text:
            offenders.append("coverage.%s does not name gap %s" % (fmt, rid))
    rows = sum(1 for l in text.splitlines() if l.split(" ")[0] in ids or l.startswith("| " ) and l[2:].split(" ")[0] in ids)
    if rows != len(ids):
        offenders.append("coverage.%s has %d requirement rows, the JSON %d" % (fmt, rows, len(ids)))
s = cov["summary"]
print("catalog: %d requirements; %d cases; H→S MUST/SHOULD: %d, with a case %d, with a reason %d, gaps %d"
      % (s["requirements"], len(cases), s["hs_normative"], s["hs_with_case"], s["hs_with_reason"], s["gaps"]))
for o in offenders:
    print(("OFFENDER: " if strict else "warning: ") + o)
print("%d offenders%s" % (len(offenders), "" if strict or not offenders else " (warnings only: lenient mode)"))
sys.exit(1 if strict and offenders else 0)
PY
