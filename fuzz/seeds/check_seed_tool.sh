#!/usr/bin/env bash
# check_seed_tool.sh TOOL TESTDATA: seed_from_vectors decodes every escape,
# concatenates values without adding LF, splits vectors at `name:` and puts
# the --prefix bytes first.
set -euo pipefail
tool=$1 data=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$tool" "$out" "$data/escapes.txt"
cmp "$out/escapes.txt-0" "$data/escapes.expected-0"
cmp "$out/escapes.txt-1" "$data/escapes.expected-1"
mkdir "$out/p"
"$tool" --prefix 1c03 "$out/p" "$data/escapes.txt"
cmp <(printf '\x1c\x03'; cat "$data/escapes.expected-0") "$out/p/escapes.txt-0"
[[ ! -e $out/escapes.txt-2 ]]
echo "ok: escapes, concatenation, vector split and prefix"
