"""Expected-verdict files of the interop matrix (interop/expected/NAME.txt).

Layout: comment lines (#), then the verdict block between `# verdicts:` and
`# end of verdicts` (one `case-id verdict` line per case, sorted; written by
regenerate.sh), then one justification block per fail or warn:
`## CASE-ID VERDICT` followed by free text (spec, catalog id, URL, and a
curl command, or for a stdio configuration a `printf ... | CMD` pipeline).

A verdict is one of pass fail warn skip error, or `n/a` for a case the run
did not apply (the report's summary.not_applicable_cases). A case whose
verdict varies between runs of the same server lists the set it takes,
`case-id pass|warn  # why it varies` (the note is required; keep such sets
rare); any verdict of the set matches, rewrite keeps the set while the new
verdict is in it, and its block is `## CASE-ID V1|V2` with the set's fail
and warn members.

  expected.py rewrite FILE VERDICTS NAME PROFILE   replace the verdict block, keep the rest
  expected.py compare FILE VERDICTS                print differing lines; exit 1 on any
  expected.py check FILE                           list fail/warn lines without a block
"""
import sys

BEGIN, END = "# verdicts:", "# end of verdicts"
VERDICTS = ("pass", "fail", "warn", "skip", "error", "n/a")
JUSTIFIED = ("fail", "warn")  # verdicts that need a block


def read(path):
    try:
        return open(path, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return []


def verdict_lines(lines):
    if BEGIN not in lines or END not in lines:
        return []
    return [l for l in lines[lines.index(BEGIN) + 1:lines.index(END)] if l and not l.startswith("#")]


def parse(line):
    """(case, [verdicts], note) of one verdict line; note is '' without `#`."""
    body, _, note = line.partition("#")
    words = body.split()
    return words[0], words[1].split("|") if len(words) > 1 else [], note.strip()


def expected_sets(lines):
    return {case: (verdicts, note) for case, verdicts, note in map(parse, verdict_lines(lines))}


def justified_part(verdicts):
    """The block verdict a set needs: its fail/warn members, '|'-joined ('' for none)."""
    return "|".join(v for v in verdicts if v in JUSTIFIED)


def blocks(lines):
    return {l.split()[1]: l for l in lines if l.startswith("## ") and len(l.split()) >= 2}


def check(lines, out=sys.stdout):
    """Malformed lines, fail/warn verdicts without a justification block, and stale blocks."""
    problems = 0
    need = {}
    for case, (verdicts, note) in sorted(expected_sets(lines).items()):
        if not verdicts or any(v not in VERDICTS for v in verdicts):
            print(f"  not a verdict: {case} {'|'.join(verdicts)}", file=out)
            problems += 1
        elif len(verdicts) > 1 and not note:
            print(f"  a verdict set needs a note (`# why it varies`): {case}", file=out)
            problems += 1
        if justified_part(verdicts):
            need[case] = justified_part(verdicts)
    have = blocks(lines)
    for case, verdict in need.items():
        if case not in have:
            print(f"  no justification: {case} {verdict}", file=out)
            problems += 1
        elif have[case].split()[2:3] != [verdict]:
            print(f"  justification says {' '.join(have[case].split()[2:3])}, verdict is now {verdict}: {case}", file=out)
            problems += 1
    for case in sorted(set(have) - set(need)):
        print(f"  stale justification (the case no longer fails or warns): {case}", file=out)
        problems += 1
    return problems


def merged_line(line, old):
    """A new `case verdict` line, or the old set line when the verdict is in its set."""
    case, verdicts, _ = parse(line)
    if case in old and len(old[case][0]) > 1 and verdicts[0] in old[case][0]:
        return f"{case} {'|'.join(old[case][0])}  # {old[case][1]}"
    return line


def rewrite(path, verdicts_path, name, profile):
    lines = read(path)
    old = expected_sets(lines)
    new = [merged_line(l, old) for l in read(verdicts_path) if l.strip()]
    if BEGIN in lines and END in lines:
        head, tail = lines[:lines.index(BEGIN)], lines[lines.index(END) + 1:]
    else:
        head = [f"# interop/expected/{name}.txt: the verdicts mcpwire gives configuration {name}",
                "# of interop/configs.txt (profile " + profile + "). tests/interop/matrix.sh compares",
                "# a run with this block; interop/regenerate.sh rewrites it and keeps the rest.",
                "# Each fail and warn has a block below: the spec text that decides it and a"]
        head += (["# shell pipeline that shows the behaviour (CMD is what interop/stdio-command.sh",
                  "# prints for the configuration's SERVER; each pipeline starts its own process)."]
                 if profile.startswith("stdio") else
                 ["# curl command that shows the behaviour (start the server with",
                  "# interop/start-server.sh; URL is what it prints plus the configuration's path)."])
        tail = [""]
    open(path, "w", encoding="utf-8").write("\n".join(head + [BEGIN] + new + [END] + tail).rstrip("\n") + "\n")
    check(read(path))


def compare(path, verdicts_path):
    want = {case: verdicts for case, (verdicts, _) in expected_sets(read(path)).items()}
    got = dict(l.split()[:2] for l in read(verdicts_path) if l.strip())
    diff = 0
    for case in sorted(set(want) | set(got)):
        w, g = want.get(case), got.get(case)
        if w is None or g is None or g not in w:
            print(f"  {case}: expected {'|'.join(w) if w else 'no line'}, got {g or 'no line'}")
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
