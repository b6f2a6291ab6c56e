#!/usr/bin/env bash
# layers.sh COMPILE_COMMANDS SOURCE_DIR: each layer's sources compile with
# include folders that reach that layer's headers and those below, and never
# a header of a layer above: a wrong-way include fails to compile. Every
# layer is tried both ways, so the check cannot pass by failing everything.
set -u
db=$1 top=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checks=0
[[ -s $db ]] || { echo "FAIL: no $db (CMAKE_EXPORT_COMPILE_COMMANDS)"; exit 1; }

# The compiler and -I flags one source of each layer is built with.
declare -A flags
cc=
for pair in codec=harness/codec/sse.c transport=harness/transport/client.c \
            result=harness/engine/result.c engine=harness/engine/runner.c \
            reports=reports/sink.c verifier=harness/verifier/exchange.c \
            cases=cases/registry.c proxy=harness/proxy/proxy.c; do
  layer=${pair%%=*} src=$top/${pair#*=}
  line=$(python3 - "$db" "$src" <<'PY'
import json, shlex, sys
for e in json.load(open(sys.argv[1])):
    if e["file"] == sys.argv[2]:
        args = e.get("arguments") or shlex.split(e["command"])
        incs = [a for a in args if a.startswith("-I")]
        i = 0
        while i < len(args):
            if args[i] in ("-I", "-isystem") and i + 1 < len(args):
                incs.append("-I" + args[i + 1])
            i += 1
        print(args[0], *incs)
        break
PY
)
  [[ -n $line ]] || { echo "FAIL: $src is not in $db"; exit 1; }
  cc=${line%% *}
  flags[$layer]=${line#* }
done

# try LAYER HEADER WANT(ok|fail)
try() {
  local layer=$1 header=$2 want=$3
  local -a f
  read -r -a f <<<"${flags[$layer]}"
  printf '#include "%s"\nint layers_probe;\n' "$header" >"$work/probe.c"
  local got=fail
  "$cc" -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -fsyntax-only "${f[@]}" \
    "$work/probe.c" 2>"$work/err" && got=ok
  checks=$((checks + 1))
  if [[ $got == "$want" ]]; then
    echo "ok: $layer including $header: $got"
  else
    echo "FAIL: $layer including $header: want $want, got $got"; head -3 "$work/err"
    failures=$((failures + 1))
  fi
}

# Lowest first: what each layer may see, then one header of each layer above.
try codec codec/sse.h ok
try codec mcpwire_limits.h ok
try codec transport/client.h fail
try codec engine/case.h fail
try codec verifier/exchange.h fail
try codec cases/cases.h fail
try codec reports/report.h fail
try transport transport/client.h ok
try transport codec/jsonrpc.h ok
try transport engine/result.h fail
try transport engine/case.h fail
try transport verifier/call.h fail
try transport cases/cases.h fail
try result engine/result.h ok
try result engine/case.h fail
try result transport/client.h fail
try engine engine/case.h ok
try engine transport/legacy.h ok
try engine verifier/exchange.h fail
try engine cases/cases.h fail
try engine reports/report.h fail
try reports reports/report.h ok
try reports engine/result.h ok
try reports engine/case.h fail
try reports transport/client.h fail
try reports verifier/exchange.h fail
try reports cases/cases.h fail
try verifier verifier/exchange.h ok
try verifier engine/case.h ok
try verifier proxy/proxy.h ok
try verifier cases/cases.h fail
try verifier reports/report.h fail
try cases cases/cases.h ok
try cases verifier/call.h ok
try cases proxy/proxy.h ok
try cases reports/report.h fail
try proxy proxy/proxy.h ok
try proxy transport/client.h fail
try proxy engine/case.h fail
try proxy verifier/exchange.h fail

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
