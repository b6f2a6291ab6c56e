#!/usr/bin/env bash
# report_paths.sh MCPWIRE [MOCK]: report paths are checked before the run
# and written safely. A link, device, FIFO or folder at a report path, a
# missing or unwritable folder: exit 2 with one line, before any request,
# nothing outside written and no temporary file left. Links planted at the
# temporary names a writer could use are never followed. A normal path and
# '-' work. --header never echoes raw controls.
set -u
mcpwire=$1
work=$(mktemp -d)
chmod 755 "$work" # the unprivileged check below must reach its folder
umask 022
listener=
trap '[[ -n $listener ]] && kill "$listener" 2>/dev/null; rm -rf "$work"' EXIT
failures=0 checks=0
check() { checks=$((checks + 1)); if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; failures=$((failures + 1)); fi; }

# exit_of ARGS...: runs mcpwire, keeps stdout and stderr, prints the code.
exit_of() { "$mcpwire" "$@" >"$work/stdout" 2>"$work/err"; echo $?; }
one_line_error() { [[ $(wc -l <"$work/err") == 1 ]]; }
says() { grep -qF -- "$1" "$work/err"; }
# No hidden temporary file (".<name>.XXXXXX") left in a folder.
no_temp_in() { [[ -z $(find "$1" -maxdepth 1 -type f -name '.*') ]]; }

# Nothing listens on port 9: a run that got as far as the network exits 3.
unreachable=http://127.0.0.1:9/mcp
out=$work/reports
mkdir "$out"
# What a followed link would overwrite.
echo precious >"$work/victim"
victim_intact() { [[ $(cat "$work/victim") == precious ]]; }

# A loopback listener that notes every connection: proof that a refused run
# sent nothing at all (and, as a control, that a normal run does connect).
python3 - "$work/port" "$work/conns" <<'EOF' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    with open(sys.argv[2], "a") as f:
        f.write("connection\n")
    c.close()
EOF
listener=$!
for _ in $(seq 100); do [[ -s $work/port ]] && break; sleep 0.05; done
watched=http://127.0.0.1:$(cat "$work/port")/mcp
connections() { [[ -f $work/conns ]] && wc -l <"$work/conns" || echo 0; }

# ---- refused before the run ----
ln -s "$work/victim" "$out/link.json"
check "[[ $(exit_of run --url $unreachable --json $out/link.json) == 2 ]] && one_line_error && says \"--json $out/link.json: not a regular file (symbolic link); give a file path or '-'\"" "symlink at the destination: exit 2, one line naming path and kind"
check "[[ -L $out/link.json ]] && victim_intact" "symlink at the destination: the link and what it points to are untouched"
check "[[ $(exit_of run --url $watched --json $out/link.json --junit $out/ok.xml) == 2 ]] && [[ $(connections) == 0 ]]" "refused before any request: the listener saw no connection"
check "[[ ! -e $out/ok.xml ]] && no_temp_in $out" "refused: the other report's temporary file is removed, nothing written"

check "[[ $(exit_of run --url $unreachable --json /dev/full) == 2 ]] && one_line_error && says \"mcpwire run: --json /dev/full: not a regular file (character device); give a file path or '-'\"" "--json /dev/full: exit 2, one line"
check "[[ -c /dev/full ]]" "/dev/full is still a character device"
check "[[ $(exit_of run --url $unreachable --html /dev/null) == 2 ]] && says '(character device)' && [[ -c /dev/null ]]" "--html /dev/null: exit 2, /dev/null still a device"
mkfifo "$out/fifo"
check "[[ $(exit_of run --url $unreachable --markdown $out/fifo) == 2 ]] && says '(FIFO)' && [[ -p $out/fifo ]]" "FIFO at the destination: exit 2"
mkdir "$out/dir"
check "[[ $(exit_of run --url $unreachable --junit $out/dir) == 2 ]] && says '(directory)'" "folder at the destination: exit 2"
check "[[ $(exit_of run --url $unreachable --junit $out/dir/) == 2 ]] && says 'names a folder'" "path ending in /: exit 2"
check "[[ $(exit_of run --url $unreachable --json $work/no/such/folder/r.json) == 2 ]] && one_line_error && says 'cannot create a file in its folder (No such file or directory)'" "missing folder: exit 2, one line"

# An unwritable folder; root writes anywhere, so the run drops to nobody.
mkdir "$work/readonly"
chmod 555 "$work/readonly"
as_user=()
if [[ $(id -u) == 0 ]]; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if "${as_user[@]}" "$mcpwire" run --help >/dev/null 2>&1; then
  exit_of_as() { "${as_user[@]}" "$mcpwire" "$@" >"$work/stdout" 2>"$work/err"; echo $?; }
  check "[[ $(exit_of_as run --url $unreachable --json $work/readonly/r.json) == 2 ]] && one_line_error && says 'cannot create a file in its folder (Permission denied)'" "unwritable folder: exit 2, one line"
  check "[[ -z \$(ls -A $work/readonly) ]]" "unwritable folder: left empty"
else
  echo "FAIL: cannot run mcpwire as an unprivileged user for the unwritable-folder check"
  failures=$((failures + 1))
fi

# ---- planted links at temporary names are never followed ----
for name in planted.json.tmp .planted.json.tmp .planted.json.XXXXXX .planted.json.000000 planted.json~; do
  ln -s "$work/victim" "$out/$name"
done
check "[[ $(exit_of run --url $unreachable --json $out/planted.json) == 3 ]]" "links at likely temporary names: the run goes on (exit 3, unreachable)"
check "victim_intact && [[ -f $out/planted.json && ! -L $out/planted.json ]] && jq -e '.cases[0].id == \"run/profile\"' $out/planted.json >/dev/null" "links at temporary names: not followed, the report is a regular file"
check "[[ \$(find $out -maxdepth 1 -type l | wc -l) == 6 ]]" "the planted links are all still links (5 planted + link.json)"

# ---- normal paths and '-' ----
echo old >"$out/n.json"
check "[[ $(exit_of run --url $unreachable --json $out/n.json --junit $out/n.xml --html $out/n.html --markdown $out/n.md) == 3 ]]" "normal paths: the run goes on (exit 3, unreachable)"
check "jq -e '.schema == \"mcpwire-report/1\"' $out/n.json >/dev/null && xmllint --noout $out/n.xml && xmllint --noout $out/n.html && grep -q '^## mcpwire: FAILED' $out/n.md" "normal paths: all four reports written (an old file replaced)"
check "[[ \$(stat -c %a $out/n.json $out/n.xml $out/n.html $out/n.md | sort -u) == 644 ]]" "reports are mode 0644 under umask 022"
check "no_temp_in $out" "no temporary file left after a run"
check "[[ $(connections) == 0 && $(exit_of run --url $watched --json $out/w.json) == 3 && $(connections) -ge 1 ]]" "control: a run with a good path does reach the listener"
check "[[ $(exit_of run --url $unreachable --json -) == 3 ]] && grep -q '\"schema\": \"mcpwire-report/1\"' $work/stdout" "'-' writes the report to stdout"

# ---- --header never echoes raw controls ----
check "[[ $(exit_of run --url $unreachable --header $'X: a\r\nEvil: b') == 2 ]] && one_line_error && says 'X: a\\r\\nEvil: b' && ! grep -q \$'\\r' $work/err" "--header with CR LF: exit 2, one line, shown as \\r\\n"
check "[[ $(exit_of run --url $unreachable --header $'X\e[31m: v') == 2 ]] && says 'X\\x1b[31m: v' && ! grep -q \$'\\e' $work/err" "--header with ESC: shown as \\x1b"

echo "report_paths: $checks checks, $failures failed"
[[ $failures == 0 ]]
