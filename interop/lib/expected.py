"""Expected-verdict files of the interop matrix (interop/expected/NAME.txt).

Layout: comment lines (#), then the verdict block between `# verdicts:` and
`# end of verdicts` (one `case-id verdict` line per case, sorted; written by
regenerate.sh), then one justification block per fail or warn:
`## CASE-ID VERDICT` followed by free text (spec, catalog id, URL, curl).

  expected.py rewrite FILE VERDICTS NAME PROFILE   replace the verdict block, keep the rest
  expected.py compare FILE VERDICTS                print differing lines; exit 1 on any
  expected.py check FILE                           list fail/warn lines without a block
"""
import sys

BEGIN, END = "# verdicts:", "# end of verdicts"


def read(path):
    try:
        return open(path, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return []


def verdict_lines(lines):
    if BEGIN not in lines or END not in lines:
        return []
    return [l for l in lines[lines.index(BEGIN) + 1:lines.index(END)] if l and not l.startswith("#")]


def blocks(lines):
    return {l.split()[1]: l for l in lines if l.startswith("## ") and len(l.split()) >= 2}


def check(lines, out=sys.stdout):
    """Fail/warn verdicts without a justification block, and stale blocks."""
    bad = {l.split()[0]: l.split()[1] for l in verdict_lines(lines) if l.split()[1] in ("fail", "warn")}
    have = blocks(lines)
    problems = 0
    for case, verdict in sorted(bad.items()):
        if case not in have:
            print(f"  no justification: {case} {verdict}", file=out)
            problems += 1
        elif have[case].split()[2:3] != [verdict]:
            print(f"  justification says {' '.join(have[case].split()[2:3])}, verdict is now {verdict}: {case}", file=out)
            problems += 1
    for case in sorted(set(have) - set(bad)):
        print(f"  stale justification (the case no longer fails or warns): {case}", file=out)
        problems += 1
    return problems


def rewrite(path, verdicts_path, name, profile):
    lines = read(path)
    new = [l for l in read(verdicts_path) if l.strip()]
    if BEGIN in lines and END in lines:
        head, tail = lines[:lines.index(BEGIN)], lines[lines.index(END) + 1:]
    else:
        head = [f"# interop/expected/{name}.txt: the verdicts mcpwire gives configuration {name}",
                "# of interop/configs.txt (profile " + profile + "). tests/interop/matrix.sh compares",
                "# a run with this block; interop/regenerate.sh rewrites it and keeps the rest.",
                "# Each fail and warn has a block below: the spec text that decides it and a",
                "# curl command that shows the behaviour (start the server with",
                "# interop/start-server.sh; URL is what it prints plus the configuration's path)."]
        tail = [""]
    open(path, "w", encoding="utf-8").write("\n".join(head + [BEGIN] + new + [END] + tail).rstrip("\n") + "\n")
    check(read(path))


def compare(path, verdicts_path):
    want = dict(l.split()[:2] for l in verdict_lines(read(path)))
    got = dict(l.split()[:2] for l in read(verdicts_path) if l.strip())
    diff = 0
    for case in sorted(set(want) | set(got)):
        w, g = want.get(case, "(absent)"), got.get(case, "(absent)")
        if w != g:
            print(f"  {case}: expected {w}, got {g}")
            diff += 1
    return diff


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "rewrite" and len(sys.argv) == 6:
        rewrite(*sys.argv[2:6])
    elif cmd == "compare" and len(sys.argv) == 4:
        sys.exit(1 if compare(*sys.argv[2:4]) else 0)
    elif cmd == "check" and len(sys.argv) == 3:
        sys.exit(1 if check(read(sys.argv[2])) else 0)
    else:
        sys.exit(__doc__)
