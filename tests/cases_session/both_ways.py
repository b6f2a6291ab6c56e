#!/usr/bin/env python3
"""both_ways.py MCPWIRE MOCK: every http/{resume,poll,session,version,security,auth}
case passes or skips against the reference mock (SSE and JSON replies,
SSE polling, each revision) and fails (MUST) or warns (otherwise) under each fault it lists."""
import json, os, subprocess, sys, tempfile

CLI, MOCK = sys.argv[1], sys.argv[2]
SECTIONS = ("http/resume", "http/poll", "http/session", "http/version", "http/security",
            "http/auth")
# These faults refuse the probe's own initialize: name the revision instead.
PROBE_BREAKING = {"origin-required", "require-version-header", "session-required-on-initialize"}
HERE = os.path.dirname(os.path.abspath(__file__))
tmp = tempfile.mkdtemp(prefix="cases_session.")
failures = []


def start(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline().split()
    if len(line) < 2:
        p.kill()
        raise SystemExit(f"could not start {cmd}")
    url = line[1]
    return p, url if url.endswith("/mcp") else url.rstrip("/") + "/mcp"


def run(url, case_ids, cli_args):
    out = os.path.join(tmp, "r.json")
    if os.path.exists(out):
        os.unlink(out)
    args = [CLI, "run", "--url", url, "--transport", "http", "--json", out] + cli_args
    for c in case_ids:
        args += ["--case", c]
    p = subprocess.run(args, capture_output=True, text=True, timeout=300)
    if not os.path.exists(out):
        return {c: ("norun", p.stdout.strip()[-200:]) for c in case_ids}
    # Only the cases asked for: run-wide ones (run/jsonrpc-envelope) come
    # along with any selection and are proven by tests/harness/envelope.sh.
    got = {r["id"]: (r["verdict"], r.get("actual") or r.get("reason") or "")
           for r in json.load(open(out))["cases"] if r["id"] in case_ids}
    # A case asked for and absent from the report proves nothing: a failure.
    for c in case_ids:
        got.setdefault(c, ("absent", "not in the report"))
    return got


def check(label, verdicts, want):
    for cid, (v, why) in sorted(verdicts.items()):
        ok = v in want
        print(f"{'ok ' if ok else 'BAD'} {cid:46} {label:34} {v:5} {why[:90]}")
        if not ok:
            failures.append((cid, label, v))


listing = json.loads(subprocess.run([CLI, "list", "--format", "json"], capture_output=True,
                                    text=True, check=True).stdout)
mine = [c for c in listing if c["id"].startswith(SECTIONS)]
ids = [c["id"] for c in mine]

# Reference: pass or skip, never fail/warn/error.
for mock_args, cli_args in ([[], []], [["--responses", "json"], []], [["--poll-close"], []],
                            [[], ["--spec", "2025-06-18"]], [[], ["--spec", "2025-03-26"]]):
    m, url = start([MOCK, "--port", "0"] + mock_args)
    try:
        check("reference " + " ".join(mock_args + cli_args), run(url, ids, cli_args),
              ("pass", "skip"))
    finally:
        m.kill()
        m.wait()

# Each fault: every case listing it fails (MUST) or warns. Faults that
# refuse the probe's initialize are named in the case's no_fault_reason
# (the generic matrix runs with --spec auto) and proven here with --spec.
by_fault = {}
for c in mine:
    for f in c.get("faults") or []:
        by_fault.setdefault(f, []).append(c)
    for f in PROBE_BREAKING:
        if f in (c.get("no_fault_reason") or ""):
            by_fault.setdefault(f, []).append(c)
TOKEN = "mcpwire-good-token"
token = ["--header", "Authorization: Bearer " + TOKEN]
for f, cases in sorted(by_fault.items()):
    # auth-* faults act on a mock that demands a token; the run holds it.
    auth_fault = f.startswith("auth-")
    m, url = start([MOCK, "--port", "0", "--fault", f] + (["--bearer", TOKEN] if auth_fault else []))
    try:
        cli = ["--spec", "2025-11-25"] if f in PROBE_BREAKING else []
        cli += token if auth_fault else []
        got = run(url, [c["id"] for c in cases], cli)
        for c in cases:
            want = "fail" if c["level"] == "MUST" else "warn"
            check("fault " + f, {c["id"]: got.get(c["id"], ("missing", ""))}, (want,))
    finally:
        m.kill()
        m.wait()

# Auth: pass behind a mock that demands the token; fail against the open mock.
auth = [c for c in ids if c.startswith("http/auth/")]
for mock_args, label, want in ((["--bearer", TOKEN], "mock --bearer, token given", "pass"),
                               ([], "open mock, token given", "fail")):
    m, murl = start([MOCK, "--port", "0", "--responses", "json"] + mock_args)
    try:
        check(label, run(murl, auth, token), (want,))
    finally:
        m.kill()
        m.wait()

print(f"{len(failures)} unexpected verdicts")
sys.exit(1 if failures else 0)
