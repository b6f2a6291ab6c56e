#!/usr/bin/env bash
# tools_pages.sh MCPWIRE MOCK: cases that need a fixture tool find it on any
# tools/list page. Against mcpwire-mock --tools-page-size 1 (one tool per
# page, nextCursor to the next) every case ends as it does against the
# one-page mock: the same verdicts, no "has no tool" skip, and transcripts
# that say a tool was found past page 1.
set -u
mcpwire=$1 mock=$2
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT

for variant in one-page paged; do
  args=(--port 0 --heartbeat-ms 1000)
  [[ $variant == paged ]] && args+=(--tools-page-size 1)
  start_server "$work/mock.out" "$mock" "${args[@]}" || exit 1
  "$mcpwire" run --url "$base/mcp" --transport http --timeout-ms 4000 \
    --json "$work/$variant.json" >"$work/$variant.out" 2>&1
  echo "$variant: exit $?"
  stop_server
done

python3 - "$work/one-page.json" "$work/paged.json" <<'PY'
import json, re, sys
one, paged = (json.load(open(p)) for p in sys.argv[1:3])
a = {c["id"]: c for c in one["cases"]}
b = {c["id"]: c for c in paged["cases"]}
problems = []
for cid, c in a.items():
    d = b.get(cid)
    if d is None:
        problems.append("%s absent from the paged run" % cid)
    elif d["verdict"] != c["verdict"]:
        problems.append("%s: %s with one page, %s with paged tools/list (%s)"
                        % (cid, c["verdict"], d["verdict"], d.get("reason") or ""))
no_tool = [c["id"] for c in paged["cases"] if "has no tool" in (c.get("reason") or "")]
if no_tool:
    problems.append("skipped for a missing tool: " + ", ".join(no_tool))
pages = [int(m) for c in paged["cases"]
         for m in re.findall(r"found on tools/list page (\d+)", c["transcript"])]
need = sum(1 for c in one["cases"] if "tools/list" in c["transcript"] and c["verdict"] == "pass")
print("cases: %d; passing cases that read tools/list: %d; tools found past page 1: %d times "
      "(deepest page %d)" % (len(a), need, len(pages), max(pages or [0])))
if not pages or max(pages) < 2:
    problems.append("no transcript says a tool was found past page 1")
for p in problems:
    print("FAIL: " + p)
print("%d problems" % len(problems))
sys.exit(1 if problems else 0)
PY
