#!/usr/bin/env python3
"""Proves cases both ways: each passes against mcpwire-mock, and each of its
listed faults turns it to fail (MUST) or warn (other levels).
usage: both_ways.py BUILD_DIR GLOB... [--extra-mock-args '...']"""
import json, os, subprocess, sys, tempfile, fnmatch

build, globs = sys.argv[1], sys.argv[2:]
mcpwire = os.path.join(build, "harness/cli/mcpwire")
mock = os.path.join(build, "mock-server/mcpwire-mock")
table = json.loads(subprocess.run([mcpwire, "list", "--format", "json"], check=True,
                                  capture_output=True, text=True).stdout)
cases = table["cases"] if isinstance(table, dict) else table
chosen = [c for c in cases if any(fnmatch.fnmatch(c["id"], g) for g in globs)]

def run(case_id, faults):
  try:
    return run1(case_id, faults)
  except Exception as e:
    return "crash", str(e)

def run1(case_id, faults):
    args = [mock, "--port", "0"] + sum((["--fault", f] for f in faults), [])
    p = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        sse = case_id.startswith("sse/")
        url = p.stdout.readline().split()[1] + ("/sse" if sse else "/mcp")
        with tempfile.NamedTemporaryFile(suffix=".json") as t:
            r = subprocess.run([mcpwire, "run", "--url", url, "--transport", "sse" if sse else "http", "--case", case_id,
                            "--json", t.name], capture_output=True, timeout=60)
            rep = json.load(open(t.name))
        if b"Sanitizer" in r.stderr or b"runtime error" in r.stderr:
            return "sanitizer", r.stderr.decode(errors="replace")[-300:]
        res = [r for r in rep["cases"] if r["id"] == case_id][0]
        return res["verdict"], res.get("reason") or ""
    finally:
        p.terminate(); p.wait(5)

bad = 0
for c in chosen:
    v, why = run(c["id"], [])
    ok = v == "pass"
    print(f"{'ok ' if ok else 'BAD'} {c['id']} clean: {v} {why if not ok else ''}")
    bad += not ok
    want = "fail" if c["level"] == "MUST" else "warn"
    for f in c.get("faults") or []:
        v, why = run(c["id"], [f])
        ok = v == want
        print(f"{'ok ' if ok else 'BAD'} {c['id']} --fault {f}: {v} (want {want}) {why[:150]}")
        bad += not ok
print(f"{len(chosen)} cases, {bad} bad")
sys.exit(1 if bad else 0)
