#!/usr/bin/env bash
# tools_only.sh CMAKE SOURCE_DIR CC: a packager's configure with
# -DBUILD_TESTING=OFF offers only the tools: mcpwire, mcpwire-mock and their
# libraries; no test, fuzz replay driver, benchmark or CTest entry. Configure
# only (seconds); the build of the tools is what every other build does.
set -uo pipefail
cmake=$1 src=$2 cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! "$cmake" -S "$src" -B "$tmp/b" -DCMAKE_C_COMPILER="$cc" -DBUILD_TESTING=OFF \
     -DCMAKE_BUILD_TYPE=Release >"$tmp/configure.log" 2>&1; then
  cat "$tmp/configure.log"; echo "FAIL: configure with -DBUILD_TESTING=OFF"; exit 1
fi
fails=0
# Executables the generated build system would link.
exes=$(cd "$tmp/b" && grep -rl --include=link.txt . . | sed -n 's|.*/\([^/]*\)\.dir/link\.txt$|\1|p' | sort)
for e in $exes; do
  case $e in
    mcpwire|mcpwire-mock|mcpwire_*) ;;  # the tools and their static libraries
    *) echo "FAIL: BUILD_TESTING=OFF still builds $e"; fails=$((fails + 1)) ;;
  esac
done
for want in mcpwire mcpwire-mock; do
  grep -qx "$want" <<<"$exes" || { echo "FAIL: BUILD_TESTING=OFF does not build $want"; fails=$((fails + 1)); }
done
if [[ -f $tmp/b/CTestTestfile.cmake ]] && grep -rq 'add_test' "$tmp/b" --include=CTestTestfile.cmake; then
  echo "FAIL: BUILD_TESTING=OFF still defines CTest tests"; fails=$((fails + 1))
fi
echo "targets with BUILD_TESTING=OFF: $(echo $exes)"
((fails == 0))
