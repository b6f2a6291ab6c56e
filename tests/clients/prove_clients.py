#!/usr/bin/env python3
"""Proves every client scenario both ways (issue #17 item 3).

  prove_clients.py MCPWIRE [--jobs N] [--scenario GLOB]...

1. `mcpwire client` runs every scenario against tests/clients/mcp_client.py
   (correct by the spec): each must pass.
2. Each scenario runs again with FAULT=<its fault> (from `mcpwire list
   --side client --format json`): it must fail (a MUST scenario) or warn
   (otherwise). Two runs at a time by default.
Every scenario must name a fault the client knows. Then the command line:
usage errors exit 2; --strict turns a warn into exit 1 and --baseline
excuses it. Exit 0 when all hold; otherwise one line per problem and exit 1.
"""
import concurrent.futures
import fnmatch
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = os.path.join(HERE, "mcp_client.py")
TIMEOUT_MS = "6000"


def run(mcpwire, scenarios, fault=None):
    """{id: (verdict, reason)} of one `mcpwire client` run."""
    env = dict(os.environ)
    env.pop("FAULT", None)
    if fault:
        env["FAULT"] = fault
    with tempfile.NamedTemporaryFile(suffix=".json") as rep:
        cmd = [mcpwire, "client", "--command", "%s %s" % (sys.executable, CLIENT),
               "--timeout-ms", TIMEOUT_MS, "--json", rep.name]
        for s in scenarios:
            cmd += ["--scenario", s]
        p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=600)
        if p.returncode not in (0, 1):
            raise SystemExit("mcpwire client exited %d: %s" % (p.returncode, p.stderr.strip()))
        report = json.load(open(rep.name))
    return {c["id"]: (c["verdict"], c.get("reason") or "") for c in report["cases"]}


def cli_checks(mcpwire):
    """Exit codes of `mcpwire client`: usage, --strict, --baseline."""
    problems = []
    client = "%s %s" % (sys.executable, CLIENT)

    def rc(args, fault=None, want=0):
        env = dict(os.environ)
        env.pop("FAULT", None)
        if fault:
            env["FAULT"] = fault
        p = subprocess.run([mcpwire, "client"] + args, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=120)
        if p.returncode != want:
            problems.append("mcpwire client %s%s: exit %d, want %d (%s)" % (
                " ".join(args), " FAULT=" + fault if fault else "", p.returncode, want,
                p.stderr.strip()[:200]))

    rc([], want=2)
    rc(["--command", client, "--scenario", "client/no-such"], want=2)
    rc(["--command", client, "--suite", "no-such-area"], want=2)
    rc(["--command", client, "--timeout-ms", "12"], want=2)
    one = ["--command", client, "--scenario", "client/session/delete-on-close"]
    rc(one, fault="no-delete", want=0)                 # a warn does not fail the run
    rc(one + ["--strict"], fault="no-delete", want=1)  # unless --strict
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as b:
        b.write("# expected\nclient/session/delete-on-close\n")
        b.flush()
        rc(one + ["--strict", "--baseline", b.name], fault="no-delete", want=0)
    return problems


def known_faults():
    src = open(CLIENT).read()
    return src


def main(argv):
    mcpwire = argv[1]
    jobs = 2
    globs = []
    i = 2
    while i < len(argv):
        if argv[i] == "--jobs":
            jobs = int(argv[i + 1])
            i += 2
        elif argv[i] == "--scenario":
            globs.append(argv[i + 1])
            i += 2
        else:
            raise SystemExit("usage: prove_clients.py MCPWIRE [--jobs N] [--scenario GLOB]...")
    listed = json.loads(subprocess.run([mcpwire, "list", "--side", "client", "--format", "json"],
                                       capture_output=True, text=True, check=True).stdout)
    rows = [r for r in listed if not globs or any(fnmatch.fnmatch(r["id"], g) for g in globs)]
    problems = []
    source = known_faults()
    for r in rows:
        if not r["fault"] or ('"%s"' % r["fault"]) not in source:
            problems.append("%s: fault %r is not one of mcp_client.py's" % (r["id"], r["fault"]))
    ids = [r["id"] for r in rows]
    # 1. the correct client: every scenario passes (two halves in parallel)
    halves = [ids[k::jobs] for k in range(jobs)]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        correct = {}
        for part in pool.map(lambda h: run(mcpwire, h) if h else {}, halves):
            correct.update(part)
    for sid in ids:
        verdict, reason = correct.get(sid, ("missing", ""))
        if verdict != "pass":
            problems.append("%s: %s against the correct client (%s)" % (sid, verdict, reason))
    # 2. each scenario under its fault breaks
    def broken(row):
        got = run(mcpwire, [row["id"]], row["fault"]).get(row["id"], ("missing", ""))
        want = "fail" if row["level"] == "MUST" else "warn"
        return row, want, got

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for row, want, (verdict, reason) in pool.map(broken, rows):
            mark = "ok " if verdict == want else "BAD"
            print("%s %-38s FAULT=%-26s %s (%s)" % (mark, row["id"], row["fault"], verdict,
                                                     reason[:90]))
            if verdict != want:
                problems.append("%s: %s under FAULT=%s, want %s" % (row["id"], verdict,
                                                                  row["fault"], want))
    problems += cli_checks(mcpwire)
    for p in problems:
        print("problem: " + p)
    print("%d scenarios: %d pass on the correct client, %d broken by their fault; %d problems"
          % (len(ids), sum(1 for s in ids if correct.get(s, ("",))[0] == "pass"),
             len(ids) - sum(1 for p in problems if "under FAULT" in p), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
