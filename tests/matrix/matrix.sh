#!/usr/bin/env bash
# matrix.sh MCPWIRE MOCK [options]: every case proven both ways.
#
#  1. Against the reference mcpwire-mock, the whole case set runs once per
#     transport (/mcp, /sse), once with --responses json and once per --wire
#     variant: every case must pass, or skip with a reason.
#  2. For each fault a case lists in .faults (from `mcpwire list --format
#     json`), one `mcpwire-mock --fault NAME` serves just the cases listing
#     it: each must turn to fail (MUST case) or warn (other levels), with a
#     reason. Two faults run at a time.
#
# Options (also for testing the matrix itself):
#   --pair CASE=FAULT   expect FAULT to break CASE too (repeatable; also the
#                       space-separated list in $MCPWIRE_MATRIX_PAIRS)
#   --only-pairs        fault part: only the --pair pairs, not the table's
#   --no-reference      skip part 1
#   --jobs N            mocks at once (default 2)
#   --reference-args 'ARGS'  extra mcpwire-mock arguments for part 1 (to
#                       prove the reference part fails on a broken mock)
#   --quick-reference   part 1 on /mcp and /sse only
# Exit 0 when every check held, 1 otherwise.
set -u
mcpwire=$1 mock=$2; shift 2
read -r -a extra_pairs <<<"${MCPWIRE_MATRIX_PAIRS:-}"
only_pairs=0 reference=1 jobs=2 ref_args='' quick=0
while (($#)); do
  case $1 in
    --pair) extra_pairs+=("$2"); shift ;;
    --only-pairs) only_pairs=1 ;;
    --no-reference) reference=0 ;;
    --jobs) jobs=$2; shift ;;
    --reference-args) ref_args=$2; shift ;;
    --quick-reference) quick=1 ;;
    *) echo "matrix.sh: unknown option $1"; exit 2 ;;
  esac
  shift
done
here=$(dirname "$0")
work=$(mktemp -d)
started=$(date +%s.%N)
export RUN_DEADLINE_S=120   # one mcpwire run against one mock
# Every mock: keep-alive comments each second (a valid setting of the
# reference), so the keep-alive case needs not wait out the default interval.
MOCK_BASE_ARGS=${MCPWIRE_MATRIX_MOCK_ARGS---heartbeat-ms 1000}

# Every mock started by a job leaves its pid in $work/pids; all are ended on exit.
cleanup() {
  local p
  for p in $(cat "$work"/pids.* 2>/dev/null); do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$mcpwire" list --format json >"$work/cases.json" || { echo "FAIL: mcpwire list --format json"; exit 1; }

# job NAME MOCK_ARGS... -- PATH CASE_ARGS... [-- PATH CASE_ARGS...]: one mock,
# one or more runs; each run's report is $work/NAME.<k>.json.
job() {
  local name=$1; shift
  local t0=$SECONDS
  local margs=()
  while (($#)) && [[ $1 != -- ]]; do margs+=("$1"); shift; done
  # lib.sh's start_server sets server_pid and base.
  # shellcheck source=tests/harness/lib.sh
  . "$here/../harness/lib.sh"
  start_server "$work/$name.mock" "$mock" --port 0 $MOCK_BASE_ARGS "${margs[@]}" >"$work/$name.start" 2>&1 || {
    echo "could not start mcpwire-mock ${margs[*]}" >"$work/$name.error"; return; }
  echo "$server_pid" >"$work/pids.$name"
  local k=0
  while (($#)); do
    shift # the --
    local path=$1; shift
    local cargs=()
    while (($#)) && [[ $1 != -- ]]; do cargs+=("$1"); shift; done
    local transport=http
    [[ $path == /sse ]] && transport=sse
    timeout "$RUN_DEADLINE_S" "$mcpwire" run --url "$base$path" --transport "$transport" \
      --timeout-ms 4000 "${cargs[@]}" --json "$work/$name.$k.json" >"$work/$name.$k.out" 2>&1
    echo $? >"$work/$name.$k.rc"
    k=$((k + 1))
  done
  stop_server
  rm -f "$work/pids.$name"
  echo $((SECONDS - t0)) >"$work/$name.seconds"
}

# Runs "job" argument lists from $work/jobs (one per line, NUL-separated
# fields), $jobs at a time.
run_jobs() {
  local line
  while IFS= read -r -d $'\n' line; do
    while (($(jobs -rp | wc -l) >= jobs)); do wait -n; done
    local args=()
    IFS=$'\x1f' read -r -a args <<<"$line"
    job "${args[@]}" &
  done <"$work/jobs"
  wait
}

US=$'\x1f'
# Faults named auth-* act on a mock that requires this bearer token; their
# runs hold it (and the http/auth cases then test without it).
AUTH_TOKEN=mcpwire-matrix-token
: >"$work/jobs"
if ((reference)); then
  ra=''
  for a in $ref_args; do ra+="$a$US"; done   # word-split on purpose: plain option words
  echo "ref.mcp${US}${ra}--${US}/mcp" >>"$work/jobs"
  echo "ref.sse${US}${ra}--${US}/sse" >>"$work/jobs"
fi
if ((reference && !quick)); then
  echo "ref.json${US}${ra}--responses${US}json${US}--${US}/mcp" >>"$work/jobs"
  # Older Streamable HTTP revisions, for cases that apply only to them.
  echo "ref.rev${US}${ra}--${US}/mcp${US}--spec${US}2025-03-26${US}--${US}/mcp${US}--spec${US}2025-06-18" >>"$work/jobs"
  # Behind a bearer token, the run holding it: the http/auth cases run too.
  echo "ref.auth${US}${ra}--bearer${US}$AUTH_TOKEN${US}--${US}/mcp${US}--header${US}Authorization: Bearer $AUTH_TOKEN" >>"$work/jobs"
  for w in $("$mock" --list-wires | cut -f1); do
    echo "ref.wire-$w${US}${ra}--wire${US}$w${US}--${US}/mcp${US}--${US}/sse" >>"$work/jobs"
  done
fi

# The fault part: the pairs to prove, grouped by fault, as jobs.
python3 - "$work/cases.json" "$only_pairs" "${extra_pairs[@]}" >"$work/pairs.tsv" <<'PY' || exit 1
import json, sys
cases = {c["id"]: c for c in json.load(open(sys.argv[1]))}
only = sys.argv[2] == "1"
pairs = []
if not only:
    for c in cases.values():
        for f in c.get("faults") or []:
            pairs.append((c["id"], f, "table"))
for p in sys.argv[3:]:
    cid, _, f = p.partition("=")
    if cid not in cases or not f:
        sys.exit("matrix.sh: --pair %r: no such case, or no fault" % p)
    pairs.append((cid, f, "extra"))
for cid, f, src in pairs:
    c = cases[cid]
    revs = c.get("revisions") or []
    # The newest revision the case applies to; auto when that is the newest.
    # The legacy transport is given whole (--spec 2024-11-05 too): a fault
    # may break the stream so that detection would find no MCP (exit 3).
    spec = "2024-11-05" if c["transport"] == "sse" else \
        "auto" if not revs or revs[0] == "2025-11-25" else revs[0]
    print("\t".join([cid, f, c["level"], c["transport"], src, spec]))
PY
python3 - "$work/pairs.tsv" "$US" "$AUTH_TOKEN" >>"$work/jobs" <<'PY'
import sys
us, token = sys.argv[2], sys.argv[3]
by_fault = {}
for line in open(sys.argv[1]):
    cid, f, level, transport, src, spec = line.rstrip("\n").split("\t")
    runs = by_fault.setdefault(f, {})
    runs.setdefault(("/sse" if transport == "sse" else "/mcp", spec), set()).add(cid)
for f, runs in sorted(by_fault.items()):
    auth = f.startswith("auth-")
    args = ["fault." + f, "--fault", f] + (["--bearer", token] if auth else [])
    for (path, spec), ids in sorted(runs.items()):
        args += ["--", path, "--spec", spec] + [a for cid in sorted(ids) for a in ("--case", cid)]
        args += ["--header", "Authorization: Bearer " + token] if auth else []
    print(us.join(args))
PY
# --case takes globs: an id is its own exact glob unless it has glob characters.
if grep -q '[*?[]' <(cut -f1 "$work/pairs.tsv"); then
  echo "note: a case id holds glob characters; --case may select more than that case"
fi

run_jobs

python3 - "$work" "$work/cases.json" "$work/pairs.tsv" "$reference" <<'PY'
import glob, json, os, sys
work, cases_path, pairs_path, reference = sys.argv[1:5]
cases = [c["id"] for c in json.load(open(cases_path))]
problems = []

def reports(name):
    """Reports of a job: {k: report dict or None}, plus a start error."""
    err = os.path.join(work, name + ".error")
    if os.path.exists(err):
        return None, open(err).read().strip()
    out = {}
    # One .rc per run: a run that left no readable report is None.
    for rc_path in glob.glob(os.path.join(work, name + ".*.rc")):
        k = int(rc_path.rsplit(".", 2)[-2])
        try:
            out[k] = json.load(open(rc_path[:-3] + ".json"))
        except (OSError, ValueError):
            out[k] = None
    return out, None

def run_trouble(name, only=None):
    """Why a job's runs left no verdicts: exit codes (a signal past 128) and
    the last output line."""
    out = []
    for rc_path in sorted(glob.glob(os.path.join(work, name + ".*.rc"))):
        if only is not None and int(rc_path.rsplit(".", 2)[-2]) != only:
            continue
        rc = open(rc_path).read().strip()
        if rc in ("0", "1"):
            continue
        text = open(rc_path[:-3] + ".out", errors="replace").read().strip().splitlines()
        if rc == "124":
            why = "deadline of %s s hit" % os.environ.get("RUN_DEADLINE_S", "?")
        elif rc.isdigit() and int(rc) > 128:
            why = "killed by signal %d after: %s" % (int(rc) - 128, text[-1] if text else "")
        else:
            why = text[0] if text else ""
        out.append("mcpwire exited %s: %s" % (rc, why))
    return "; ".join(out) or "no report"

# ---- part 1: the reference ----
if reference == "1":
    names = sorted({os.path.basename(p).split(".")[0] + "." + os.path.basename(p).split(".")[1]
                    for p in glob.glob(os.path.join(work, "ref.*.rc"))} |
                   {os.path.basename(p)[:-len(".error")] for p in glob.glob(os.path.join(work, "ref.*.error"))})
    exercised = set()
    cols = []
    grid = {}
    for name in names:
        reps, err = reports(name)
        if err:
            problems.append("%s: %s" % (name, err))
            continue
        for k in sorted(reps):
            col = name[4:] + ("" if len(reps) == 1 else
                              ("/2025-03-26", "/2025-06-18")[k] if name == "ref.rev" else ("/mcp", "/sse")[k])
            cols.append(col)
            rep = reps[k]
            if rep is None:
                problems.append("reference %s: no JSON report (%s)" % (col, run_trouble(name, k)))
                continue
            seen = {c["id"]: c for c in rep["cases"]}
            # Cases for the other transport are listed as not applicable,
            # outside cases[] (runner: not run, not counted).
            na = set(rep.get("summary", {}).get("not_applicable_cases") or [])
            for cid in cases:
                c = seen.get(cid)
                if c is None and cid in na:
                    grid[(cid, col)] = "n/a"
                    continue
                if c is None:
                    problems.append("reference %s: %s absent from the report" % (col, cid))
                    continue
                v, why = c["verdict"], (c.get("reason") or "").strip()
                grid[(cid, col)] = v
                if v == "pass":
                    exercised.add(cid)
                elif v == "skip" and why:
                    pass
                else:
                    problems.append("reference %s: %s is %s (%s)" % (col, cid, v, why or "no reason"))
    print("reference mock: case x run (P pass, s skip, F fail, W warn, E error, . not applicable, - absent)")
    tags = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    tag = lambda i: tags[i] if i < len(tags) else "?"
    print("%-44s %s" % ("", " ".join(tag(i) for i in range(len(cols)))))
    for cid in cases:
        print("%-44s %s" % (cid, " ".join({"pass": "P", "skip": "s", "fail": "F", "warn": "W",
                                            "error": "E", "n/a": "."}.get(grid.get((cid, col)), "-")
                                           for col in cols)))
    for i, col in enumerate(cols):
        print("  %s = %s" % (tag(i), col))
    idle = [cid for cid in cases if cid not in exercised]
    if idle:
        print("note: never passed against the reference (skipped everywhere): " + ", ".join(idle))

# ---- part 2: the faults ----
pairs = [l.rstrip("\n").split("\t") for l in open(pairs_path)]

verdicts = {}
trouble = {}
for f in sorted({p[1] for p in pairs}):
    reps, err = reports("fault." + f)
    if err:
        problems.append("fault %s: %s" % (f, err))
        continue
    trouble[f] = run_trouble("fault." + f)
    for rep in reps.values():
        for c in (rep or {}).get("cases", []):
            verdicts[(c["id"], f)] = (c["verdict"], (c.get("reason") or "").strip())
if pairs:
    print("\nfaults: case x fault -> verdict (expected: fail for MUST cases, warn otherwise)")
    print("%-44s %-34s %-6s %-6s %s" % ("case", "fault", "want", "got", "reason"))
for cid, f, level, transport, src, spec in pairs:
    want = "fail" if level == "MUST" else "warn"
    got, why = verdicts.get((cid, f), ("absent", ""))
    ok = got == want and why
    print("%-44s %-34s %-6s %-6s %s%s" % (cid, f, want, got, "" if ok else "MISMATCH ",
                                          why[:100].replace("\n", " ")))
    if not ok:
        hint = ""
        if want == "fail" and got == "warn":
            hint = (" (a MUST case that only warns: if the deviation is an ambiguity, keep"
                    " the pair in tests/harness/mock_faults.sh, not in .faults)")
        if got == "absent" and trouble.get(f):
            hint += " (" + trouble[f] + ")"
        problems.append("fault %s does not turn %s to %s with a reason: got %s%s%s" %
                        (f, cid, want, got, " [" + src + " pair]" if src == "extra" else "", hint))

slow = sorted(((int(open(p).read()), os.path.basename(p)[:-len(".seconds")])
               for p in glob.glob(os.path.join(work, "*.seconds"))), reverse=True)[:5]
print("\nslowest mocks: " + ", ".join("%s %d s" % (n, t) for t, n in slow))
print()
for p in problems:
    print("MATRIX FAIL: " + p)
print("matrix: %d pairs, %d faults, %d problems" %
      (len(pairs), len({p[1] for p in pairs}), len(problems)))
sys.exit(1 if problems else 0)
PY
rc=$?
echo "matrix runtime: $(python3 -c "import time;print('%.1f s' % (time.time()-$started))")"
exit $rc
