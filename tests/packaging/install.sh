#!/usr/bin/env bash
# install.sh CMAKE BUILD_DIR PREFIX BINDIR MANDIR VERSION: `cmake --install`
# of the build tree into a temporary DESTDIR, then checks that mcpwire,
# mcpwire-mock and the man page are installed under GNUInstallDirs, that
# the installed mcpwire prints its version and spec revisions, and that the
# installed mock starts. Nothing outside the temporary directory is touched.
set -uo pipefail
cmake=$1 build=$2 prefix=$3 bindir=$4 mandir=$5 version=$6
tmp=$(mktemp -d)
mock_pid=
trap '[[ -n $mock_pid ]] && kill "$mock_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Relative BINDIR/MANDIR are under the prefix; GNUInstallDirs may give
# absolute ones (e.g. a packager's -DCMAKE_INSTALL_MANDIR=/usr/share/man).
under() { [[ $1 == /* ]] && echo "$1" || echo "$prefix/$1"; }

# 1. DESTDIR install of the configured prefix (what a distribution does).
dest=$tmp/destdir
if ! DESTDIR=$dest "$cmake" --install "$build" >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log"
  fail "cmake --install into DESTDIR=$dest failed"
fi
bin=$dest$(under "$bindir")
man=$dest$(under "$mandir")/man1/mcpwire.1
for f in "$bin/mcpwire" "$bin/mcpwire-mock"; do
  if [[ -f $f && -x $f ]]; then echo "ok: installed $f"; else fail "not installed: $f"; fi
done
if [[ -f $man ]]; then echo "ok: installed $man"; else fail "not installed: $man"; fi
# Nothing else: no tests, fuzz drivers, benchmarks or libraries.
extra=$(cd "$dest" && find . -type f | sort | grep -v -e '/mcpwire$' -e '/mcpwire-mock$' -e '/man1/mcpwire\.1$')
[[ -z $extra ]] || fail "installed more than the tools and the man page: $extra"

# 2. The installed binary: version first, then the revisions it knows.
if [[ -x $bin/mcpwire ]]; then
  out=$("$bin/mcpwire" --version 2>&1); rc=$?
  echo "$out" | sed 's/^/    /'
  ((rc == 0)) || fail "installed mcpwire --version exited $rc"
  [[ $(head -n 1 <<<"$out") == "mcpwire $version" ]] || fail "first line is not 'mcpwire $version'"
  for rev in 2024-11-05 2025-03-26 2025-06-18 2025-11-25 2026-07-28; do
    grep -q "tested:.* $rev" <<<"$out" || fail "--version does not name $rev as tested"
  done
fi

# 3. The installed mock starts and announces itself.
if [[ -x $bin/mcpwire-mock ]]; then
  "$bin/mcpwire-mock" --port 0 >"$tmp/mock.out" 2>&1 &
  mock_pid=$!
  for _ in $(seq 200); do
    grep -q '^listening http://' "$tmp/mock.out" && break
    sleep 0.05
  done
  if grep -q '^listening http://' "$tmp/mock.out"; then
    echo "ok: installed mcpwire-mock $(head -n 1 "$tmp/mock.out")"
  else
    fail "installed mcpwire-mock did not start: $(cat "$tmp/mock.out")"
  fi
  kill "$mock_pid" 2>/dev/null; wait "$mock_pid" 2>/dev/null; mock_pid=
fi

# 4. The man page: the version filled in, and it renders without warnings.
if [[ -f $man ]]; then
  grep -q "^\.TH MCPWIRE 1 .*\"mcpwire $version\"" "$man" || fail "man page .TH does not carry version $version"
  grep -q '@[A-Z_]*@' "$man" && fail "man page has an unfilled @VARIABLE@"
  for sect in NAME SYNOPSIS DESCRIPTION COMMANDS 'EXIT STATUS' EXAMPLES; do
    grep -q "^\.SH \"\?$sect\"\?\$" "$man" || fail "man page lacks section $sect"
  done
  for cmd in run list parse proxy; do
    grep -q "^\.SS \"mcpwire $cmd" "$man" || fail "man page lacks command $cmd"
  done
  # Every option `mcpwire run --help` prints is in the man page.
  if [[ -x $bin/mcpwire ]]; then
    for opt in $("$bin/mcpwire" run --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
      grep -qF -- "${opt//-/\\-}" "$man" || fail "man page lacks run option $opt"
    done
  fi
  if command -v groff >/dev/null; then
    warn=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
    [[ -z $warn ]] || fail "groff warns on the man page: $warn"
  else
    echo "note: groff not installed; the man page was not rendered"
  fi
fi

# 5. A staged install with another prefix (cmake --install --prefix).
alt=$tmp/alt
if DESTDIR= "$cmake" --install "$build" --prefix "$alt" >"$tmp/install2.log" 2>&1; then
  altbin=$bindir; [[ $altbin == /* ]] || altbin=$alt/$altbin
  [[ -x $altbin/mcpwire ]] && "$altbin/mcpwire" --version >/dev/null ||
    fail "cmake --install --prefix $alt: no working $altbin/mcpwire"
else
  cat "$tmp/install2.log"
  fail "cmake --install --prefix $alt failed"
fi

((fails == 0)) && echo "packaging: install ok" || echo "packaging: $fails failure(s)"
((fails == 0))
