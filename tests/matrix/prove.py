#!/usr/bin/env python3
"""prove.py MCPWIRE MOCK [options]: every case proven both ways, driven by
the case table (`mcpwire list --format json`).

 1. Reference: the whole case set runs against clean mcpwire-mock set-ups
    (each transport, JSON replies, no GET stream, SSE polling, older
    revisions, a bearer token, one era alone, every --wire variant): every case passes, or
    skips with a reason; a case whose proof.needs the set-up does not offer
    must skip; a case absent from a report must be listed not applicable.
 2. Faults: for each fault a case lists in .faults, a mock with that fault
    (on each of the case's transports the fault can show on: fault_applies)
    serves the cases listing it: each turns to fail (MUST case) or warn
    (other levels) with a reason. Under a fault in proof.unbroken_by it
    passes or skips with a reason. A case with proof.credentials also
    fails (or warns) against a mock that does not demand them.
How each case is run comes from its row alone: transport (proof.transports,
else the case's own; any: http), revision (proof.spec, else auto when the
case applies to 2025-11-25, else the newest it applies to on that transport),
credentials (proof.credentials: the mock gets --bearer, the run the header),
instances (proof.instances: the mock listens on a second port, --also-port,
and the run names it with --instance; the reference set-up "instances" does
the same for every case).
Before running, the table itself is checked: every case lists faults or a
no_fault_reason, and every fault it names is one the mock knows.

prove.py --side client MCPWIRE [--jobs N] [--scenario GLOB]...: the client
scenarios of `mcpwire client` instead (tests/clients/prove_clients.py: each
passes against tests/clients/mcp_client.py and breaks under its FAULT).

Options (also for testing the prover itself):
  --part reference|faults|all  what to prove (default all)
  --shard K/N           only the K-th of N shares of the mocks (1-based)
  --jobs N              mocks at once (default 2)
  --table FILE          read the case table from FILE, not from mcpwire list
  --case GLOB           only cases matching GLOB in the fault part (repeatable)
  --pair CASE=FAULT     expect FAULT to break CASE too (repeatable; also the
                        space-separated list in $MCPWIRE_PROVER_PAIRS)
  --only-pairs          fault part: only the --pair pairs, not the table's
  --reference-args ARGS extra mcpwire-mock words for every reference set-up
  --quick-reference     reference on /mcp and /sse only
Exit 0 when every check held, 1 otherwise, 2 on a usage error.
"""
import argparse, concurrent.futures, fnmatch, json, os, shlex, shutil, signal, subprocess, sys
import tempfile, time

TOKEN = "mcpwire-prover-token"        # the bearer token of credential runs
NEWEST = "2025-11-25"                 # a case applying to it runs with --spec auto
RUN_DEADLINE_S = 120                  # one mcpwire run against one mock
START_DEADLINE_S = 20                 # one mock announcing its port
# Every mock: keep-alive comments each second (a valid setting of the
# reference), so the keep-alive cases need not wait out the default interval.
MOCK_BASE = shlex.split(os.environ.get("MCPWIRE_PROVER_MOCK_ARGS", "--heartbeat-ms 1000"))
HEADER = ["--header", "Authorization: Bearer " + TOKEN]
GET, SSE, JSON = "get_stream", "sse_replies", "json_replies"
INSTANCE = "@INSTANCE@"               # run word: the mock's second port, same path
TWO_PORTS = ["--also-port", "0"]      # mock words: a second port, shared sessions
STDIO = "stdio"                       # a run's "path" when it launches the mock for stdio

# Reference set-ups: name, mock words, runs [(path, run words)], what it offers.
def reference_setups(mock, quick):
    both = [("/mcp", []), ("/sse", [])]
    out = [("mcp", [], [("/mcp", [])], {GET, SSE}),
           ("sse", [], [("/sse", [])], {GET})]
    if quick:
        return out + [("stdio", [], [(STDIO, [])], set())]
    out += [("json", ["--responses", "json"], [("/mcp", [])], {GET, JSON}),
            ("noget", ["--no-get-stream"], [("/mcp", [])], {SSE}),
            ("noget-json", ["--no-get-stream", "--responses", "json"], [("/mcp", [])], {JSON}),
            ("poll", ["--poll-close"], [("/mcp", [])], {GET, SSE}),
            ("spec", [], [("/mcp", ["--spec", "2025-03-26"]), ("/mcp", ["--spec", "2025-06-18"])],
             {GET, SSE}),
            ("bearer", ["--bearer", TOKEN], [("/mcp", HEADER)], {GET, SSE}),
            # One era alone on /mcp: 2026-07-28 (stateless: no GET stream, no
            # session-era exchange to offer), or the session era.
            ("eras-modern", ["--eras", "modern"], [("/mcp", [])], set()),
            ("eras-legacy", ["--eras", "legacy"], [("/mcp", [])], {GET, SSE}),
            # Two ports of one process (shared sessions), the second named
            # with --instance: the lb/instances cases judge, every case runs.
            ("instances", TWO_PORTS, [(p, ["--instance", INSTANCE]) for p, _ in both],
             {GET, SSE})]
    for v in ("2025-03-26", "2025-06-18"):
        for mode, offers in (("sse", {GET, SSE}), ("json", {GET, JSON})):
            out.append(("max-%s-%s" % (v, mode), ["--max-version", v, "--responses", mode],
                        [("/mcp", ["--spec", v])], offers))
    wires = subprocess.run([mock, "--list-wires"], capture_output=True, text=True).stdout.split("\n")
    # stdio-* variants change only `mcpwire-mock --stdio`: no HTTP run shows them.
    for w in [l.split("\t")[0] for l in wires if l.strip() and not l.startswith("stdio-")]:
        out.append(("wire-" + w, ["--wire", w], both, {GET, SSE}))
    # stdio: `mcpwire run --command 'mcpwire-mock --stdio WORDS'`, and its variants.
    out.append(("stdio", [], [(STDIO, [])], set()))
    out.append(("stdio-spec", [], [(STDIO, ["--spec", v])
                                   for v in ("2025-03-26", "2025-06-18", "2026-07-28")], set()))
    for w in [l.split("\t")[0] for l in wires if l.startswith("stdio-")]:
        out.append(("wire-" + w, ["--wire", w], [(STDIO, [])], set()))
    out.append(("wires", ["--wire", "bom", "--wire", "crlf", "--wire", "split"], both, {GET, SSE}))
    return out


def case_runs(c):
    """(path, spec) of each fault run of case c, from its row: proof.spec, else
    auto when the case applies to NEWEST, else its newest revision there."""
    t = c["proof"]["transports"] or [c["transport"] if c["transport"] != "any" else "http"]
    out = []
    for tr in t:
        revs = [r for r in c["revisions"] if tr == "stdio" or (r == "2024-11-05") == (tr == "sse")]
        spec = c["proof"]["spec"] or ("2024-11-05" if tr == "sse" else
                                      "auto" if not revs or NEWEST in revs else revs[0])
        out.append((STDIO if tr == "stdio" else "/sse" if tr == "sse" else "/mcp", spec))
    return out


def fault_applies(fault, path):
    """Whether a fault can show on a run's transport: by the mock's naming,
    legacy-* faults live in the HTTP+SSE transport and stdio-* ones in
    `mcpwire-mock --stdio`; every other fault is in the shared message code."""
    if fault.startswith("stdio-"):
        return path == STDIO
    if fault.startswith("legacy-"):
        return path != STDIO
    return True


LIVE = set()  # every mock process not yet ended, for the SIGTERM handler


class Mock:
    """One mcpwire-mock: started, its base URL read from its first line
    (stdout goes to a file: a pipe nobody reads could fill and stall it)."""

    def __init__(self, mock, words, out, log):
        self.p, self.base, self.extra = None, None, None
        want = 2 if "--also-port" in words else 1
        for _ in range(3):  # a loaded 2-core machine can starve a start-up
            open(out, "w").close()
            with open(out, "a") as o:
                self.p = subprocess.Popen([mock, "--port", "0"] + MOCK_BASE + words,
                                          stdout=o, stderr=log)
            LIVE.add(self.p)
            end = time.monotonic() + START_DEADLINE_S
            while time.monotonic() < end and self.p.poll() is None:
                lines = [l.split() for l in open(out).read().splitlines()[:want]]
                if len(lines) == want and all(len(l) >= 2 and l[0] == "listening" for l in lines):
                    self.base = lines[0][1].rstrip("/")
                    self.extra = lines[-1][1].rstrip("/")
                    return
                time.sleep(0.02)
            self.stop()
        raise RuntimeError("could not start mcpwire-mock " + " ".join(words))

    def stop(self):
        if self.p and self.p.poll() is None:
            self.p.kill()
        if self.p:
            self.p.wait()
            LIVE.discard(self.p)


def on_term(signum, frame):
    """ctest's timeout: end every mock of ours, then exit."""
    for p in list(LIVE):
        p.kill()
    os._exit(1)


def run_cli(cli, url, path, words, out_json, stdio_command=None):
    """One mcpwire run; (report or None, why it left none). For path STDIO
    the run launches stdio_command instead of reaching url."""
    if path == STDIO:
        args = [cli, "run", "--command", stdio_command, "--timeout-ms", "4000", "--json", out_json]
    else:
        args = [cli, "run", "--url", url + path, "--transport", "sse" if path == "/sse" else "http",
                "--timeout-ms", "4000", "--json", out_json]
    args += words
    try:
        p = subprocess.run(args, capture_output=True, text=True, timeout=RUN_DEADLINE_S)
    except subprocess.TimeoutExpired:
        return None, "deadline of %d s hit" % RUN_DEADLINE_S
    try:
        return json.load(open(out_json)), ""
    except (OSError, ValueError):
        lines = (p.stdout + p.stderr).strip().splitlines()
        return None, "mcpwire exited %d: %s" % (p.returncode, lines[-1] if lines else "")


def job(cli, mock, work, name, mock_words, runs):
    """One mock, its runs in turn: [(report or None, why)], seconds, start error."""
    t0 = time.monotonic()
    stdio_command = shlex.join([mock, "--stdio"] + mock_words)
    with open(os.path.join(work, name + ".mock.err"), "w") as log:
        m = None
        if any(path != STDIO for path, _ in runs):  # an HTTP mock only when a run needs one
            try:
                m = Mock(mock, mock_words, os.path.join(work, name + ".mock.out"), log)
            except RuntimeError as e:
                return [], 0, str(e)
        try:
            reps = [run_cli(cli, m.base if m else "", path,
                            [m.extra + path if m and w == INSTANCE else w for w in words],
                            os.path.join(work, "%s.%d.json" % (name, k)), stdio_command)
                    for k, (path, words) in enumerate(runs)]
        finally:
            if m:
                m.stop()
    return reps, time.monotonic() - t0, ""


def table_problems(cases, known):
    out = []
    for c in cases:
        if not c.get("faults") and not c.get("no_fault_reason"):
            out.append("%s has neither .faults nor .no_fault_reason" % c["id"])
        for f in (c.get("faults") or []) + c["proof"]["unbroken_by"]:
            if f not in known:
                out.append("%s names fault %s, which mcpwire-mock does not know" % (c["id"], f))
    return out


def plan_faults(cases, known, extra, only_pairs, globs):
    """Fault jobs: {mock key: {(path, spec, creds): set(ids)}} and the pairs
    [(case, fault label, mock key, want, source)]."""
    by_id = {c["id"]: c for c in cases}
    pairs = []

    def add(c, fault, want, src):
        creds = bool(c["proof"]["credentials"])
        if fault == "no-credentials":  # the mock as is, the run holding the token
            pairs.append((c, fault, ((), False), creds, want, src))
        elif fault in known:
            pairs.append((c, fault, ((fault,), creds), creds, want, src))

    for c in cases:
        if only_pairs or (globs and not any(fnmatch.fnmatchcase(c["id"], g) for g in globs)):
            continue
        for f in c.get("faults") or []:
            add(c, f, "broken", "table")
        for f in c["proof"]["unbroken_by"]:
            add(c, f, "unbroken", "table")
        if c["proof"]["credentials"]:
            add(c, "no-credentials", "broken", "table")
    bad = []
    for p in extra:
        cid, _, f = p.partition("=")
        if cid not in by_id or not f:
            bad.append("--pair %r: no such case, or no fault" % p)
        elif f not in known:
            bad.append("--pair %s: fault %s is unknown to mcpwire-mock" % (p, f))
        else:
            add(by_id[cid], f, "broken", "extra")
    return pairs, bad


def fault_jobs(pairs):
    """One job per mock key; runs grouped by (path, spec, credentials)."""
    jobs, with_instance = {}, set()
    for c, fault, key, creds, want, src in pairs:
        runs = jobs.setdefault(key, {})
        for path, spec in case_runs(c):
            if fault_applies(fault, path):
                runs.setdefault((path, spec, creds), set()).add(c["id"])
        if c["proof"].get("instances"):
            with_instance.add(c["id"])
    out = []
    for (faults, bearer), runs in sorted(jobs.items()):
        name = "fault." + ("+".join(faults) or "no-credentials") + (".bearer" if bearer else "")
        words = [w for f in faults for w in ("--fault", f)] + (["--bearer", TOKEN] if bearer else [])
        if any(ids & with_instance for ids in runs.values()):
            words += TWO_PORTS
        rl = []
        for (path, spec, creds), ids in sorted(runs.items()):
            w = ["--spec", spec] + [a for cid in sorted(ids) for a in ("--case", cid)]
            w += ["--instance", INSTANCE] if ids & with_instance else []
            rl.append((path, w + (HEADER if creds else []), {"spec": spec, "creds": creds}))
        out.append((name, words, rl, (faults, bearer)))
    return out


def shard_of(jobs, k, n):
    """The k-th of n shares, balanced by a cost estimate (whole runs weigh more)."""
    loads, mine = [0.0] * n, []
    for j in sorted(jobs, key=lambda j: (-j["cost"], j["name"])):
        i = loads.index(min(loads))
        loads[i] += j["cost"]
        if i == k - 1:
            mine.append(j)
    return mine


def main():
    if "--side" in sys.argv[1:3] and sys.argv[sys.argv.index("--side") + 1:][:1] == ["client"]:
        # the client scenarios (mcpwire client): their own prover, the same two parts
        rest = [a for a in sys.argv[1:] if a not in ("--side", "client")]
        here = os.path.dirname(os.path.abspath(__file__))
        os.execv(sys.executable, [sys.executable, os.path.join(here, "..", "clients", "prove_clients.py")] + rest)
    ap = argparse.ArgumentParser(add_help=True)
    ap.add_argument("cli")
    ap.add_argument("mock")
    ap.add_argument("--part", choices=("reference", "faults", "all"), default="all")
    ap.add_argument("--shard", default="1/1")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--table")
    ap.add_argument("--case", action="append", default=[])
    ap.add_argument("--pair", action="append", default=[])
    ap.add_argument("--only-pairs", action="store_true")
    ap.add_argument("--reference-args", default="")
    ap.add_argument("--quick-reference", action="store_true")
    a = ap.parse_args()
    try:
        k, n = (int(x) for x in a.shard.split("/"))
        assert 1 <= k <= n
    except (ValueError, AssertionError):
        ap.error("--shard K/N with 1 <= K <= N")
    started = time.monotonic()
    signal.signal(signal.SIGTERM, on_term)
    work = tempfile.mkdtemp(prefix="prove.")
    if a.table:
        cases = json.load(open(a.table))
    else:
        cases = json.loads(subprocess.run([a.cli, "list", "--format", "json"], capture_output=True,
                                          text=True, check=True).stdout)
    faults_out = subprocess.run([a.mock, "--list-faults"], capture_output=True, text=True)
    known = {l.split("\t")[0] for l in faults_out.stdout.splitlines() if l.strip()}
    problems = table_problems(cases, known)
    if not known:
        problems.append("mcpwire-mock --list-faults named no fault")
    if a.part != "faults" and not a.quick_reference and \
            not any(j for j in reference_setups(a.mock, False) if j[0].startswith("wire-")):
        problems.append("mcpwire-mock --list-wires named no wire variant")
    ids = [c["id"] for c in cases]
    by_id = {c["id"]: c for c in cases}

    jobs = []
    if a.part in ("reference", "all"):
        for name, words, runs, offers in reference_setups(a.mock, a.quick_reference):
            rl = [(p, w, {"offers": offers}) for p, w in runs]
            jobs.append({"name": "ref." + name, "words": words + shlex.split(a.reference_args),
                         "runs": rl, "cost": sum(6 if p == "/mcp" else 2 for p, _, _ in rl)})
    pairs = []
    if a.part in ("faults", "all"):
        extra = a.pair + os.environ.get("MCPWIRE_PROVER_PAIRS", "").split()
        pairs, bad = plan_faults(cases, known, extra, a.only_pairs, a.case)
        problems += bad
        for name, words, rl, key in fault_jobs(pairs):
            # A slow case (watch windows, sweeps) may wait them out under a fault.
            slow = sum(1 for _, w, _ in rl for cid in w[1::2] if by_id.get(cid, {}).get("slow"))
            jobs.append({"name": name, "words": words, "runs": rl, "key": key,
                         "cost": len(rl) + 8 * slow})
    jobs = shard_of(jobs, k, n)
    keys = {j.get("key") for j in jobs}
    pairs = [p for p in pairs if p[2] in keys]

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        futs = {j["name"]: pool.submit(job, a.cli, a.mock, work, j["name"], j["words"],
                                       [(p, w) for p, w, _ in j["runs"]]) for j in jobs}
        done = {name: f.result() for name, f in futs.items()}

    # ---- reference ----
    cols, grid, exercised = [], {}, set()
    for j in [j for j in jobs if j["name"].startswith("ref.")]:
        reps, secs, err = done[j["name"]]
        if err:
            problems.append("%s: %s" % (j["name"], err))
            continue
        for (path, words, meta), (rep, why) in zip(j["runs"], reps):
            col = j["name"][4:] + ("" if len(j["runs"]) == 1 else
                                   " " + path + ("" if "--spec" not in words else
                                                 " " + words[words.index("--spec") + 1]))
            cols.append(col)
            if rep is None:
                problems.append("reference %s: no JSON report (%s)" % (col, why))
                continue
            seen = {c["id"]: c for c in rep["cases"]}
            na = set(rep.get("summary", {}).get("not_applicable_cases") or [])
            for cid in ids:
                c = seen.get(cid)
                if c is None:
                    grid[(cid, col)] = "n/a" if cid in na else "absent"
                    if cid not in na:
                        problems.append("reference %s: %s absent from the report" % (col, cid))
                    continue
                v, why = c["verdict"], (c.get("reason") or "").strip()
                grid[(cid, col)] = v
                needs = set(by_id[cid]["proof"]["needs"])
                if needs and not needs & meta["offers"] and v != "skip":
                    problems.append("reference %s: %s is %s, but the set-up offers none of %s: "
                                    "it must skip" % (col, cid, v, ", ".join(sorted(needs))))
                elif v == "pass":
                    exercised.add(cid)
                elif not (v == "skip" and why):
                    problems.append("reference %s: %s is %s (%s)" % (col, cid, v, why or "no reason"))
    if cols:
        tags = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        tag = lambda i: tags[i] if i < len(tags) else "?"
        print("reference mock: case x run (P pass, s skip, F fail, W warn, E error,"
              " . not applicable, - absent)")
        print("%-44s %s" % ("", " ".join(tag(i) for i in range(len(cols)))))
        letter = {"pass": "P", "skip": "s", "fail": "F", "warn": "W", "error": "E", "n/a": "."}
        for cid in ids:
            print("%-44s %s" % (cid, " ".join(letter.get(grid.get((cid, col)), "-") for col in cols)))
        for i, col in enumerate(cols):
            print("  %s = %s" % (tag(i), col))
        if k == n == 1 and a.part != "faults":
            idle = [cid for cid in ids if cid not in exercised]
            if idle:
                print("note: never passed against the reference (skipped everywhere): " + ", ".join(idle))

    # ---- faults ----
    verdicts, trouble = {}, {}
    for j in [j for j in jobs if "key" in j]:
        reps, secs, err = done[j["name"]]
        if err:
            problems.append("%s: %s" % (j["name"], err))
            continue
        for (path, words, meta), (rep, why) in zip(j["runs"], reps):
            if rep is None:
                trouble[j["key"]] = why
                continue
            for c in rep["cases"]:
                verdicts[(j["key"], path, meta["spec"], c["id"])] = (
                    c["verdict"], (c.get("reason") or "").strip())
    if pairs:
        print("\nfaults: case x fault -> verdict (broken: fail for MUST cases, warn otherwise;"
              " unbroken: pass or skip)")
        print("%-44s %-34s %-5s %-9s %-6s %s" % ("case", "fault", "path", "want", "got", "reason"))
    for c, fault, key, creds, want, src in pairs:
        for path, spec in [r for r in case_runs(c) if fault_applies(fault, r[0])]:
            got, why = verdicts.get((key, path, spec, c["id"]), ("absent", ""))
            if want == "broken":
                w = "fail" if c["level"] == "MUST" else "warn"
                ok = got == w and why
            else:
                w = "pass|skip"
                ok = got == "pass" or (got == "skip" and why)
            print("%-44s %-34s %-5s %-9s %-6s %s%s" % (c["id"], fault, path, w, got,
                                                      "" if ok else "MISMATCH ",
                                                      why[:90].replace("\n", " ")))
            if not ok:
                hint = " (%s)" % trouble[key] if got == "absent" and key in trouble else ""
                problems.append("fault %s on %s does not turn %s to %s with a reason: got %s%s%s" %
                                (fault, path, c["id"], w, got,
                                 " [--pair]" if src == "extra" else "", hint))

    slow = sorted(((done[j["name"]][1], j["name"]) for j in jobs), reverse=True)[:5]
    print("\nslowest mocks: " + ", ".join("%s %.1f s" % (nm, t) for t, nm in slow))
    for p in problems:
        print("PROVER FAIL: " + p)
    print("prove %s (shard %d/%d): %d mocks, %d pairs, %d problems, %.1f s" %
          (a.part, k, n, len(jobs), len(pairs), len(problems), time.monotonic() - started))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
