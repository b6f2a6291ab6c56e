#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script for mcpwire.
#
# Follows the OSS-Fuzz conventions: compiles with $CC $CFLAGS, links with
# $CXX $CXXFLAGS ... $LIB_FUZZING_ENGINE, and writes for every target
#   $OUT/<fuzzer>  $OUT/<fuzzer>_seed_corpus.zip  $OUT/<fuzzer>.dict
#   $OUT/<fuzzer>.options
# The repository is $SRC/mcpwire (MCPWIRE_SRC overrides it, for the local
# check fuzz/check_cflite_build.sh). No CMake: a plain compile keeps the
# instrumentation flags exactly as the fuzzing infrastructure sets them.
SRCDIR=${MCPWIRE_SRC:-$SRC/mcpwire}
WORKDIR=${WORK:-$(mktemp -d)}
OBJ=$WORKDIR/mcpwire-obj
mkdir -p "$OBJ" "$OUT"
: >"$WORKDIR/skipped.txt"
cd "$SRCDIR"

DEPS_CFLAGS=$(pkg-config --cflags libcjson libcurl)
DEPS_LIBS=$(pkg-config --libs libcjson libcurl)
COMMON="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iharness -I. -Ifuzz $DEPS_CFLAGS"

compile() { # compile SOURCE -> prints the object path
  local o
  o=$OBJ/$(echo "$1" | tr '/' '_').o
  $CC $CFLAGS $COMMON -c "$1" -o "$o"
  echo "$o"
}

# Every codec and the transport into one archive; the linker takes what
# each target needs.
codec_objs=()
for c in harness/codec/*.c harness/transport/*.c; do
  [[ -f $c ]] && codec_objs+=("$(compile "$c")")
done
rm -f "$OBJ/libmcpwire_codec.a"
ar rcs "$OBJ/libmcpwire_codec.a" "${codec_objs[@]}"

# fuzzer  codec it needs  dictionary  extra sources
TARGETS=(
  "fuzz_sse|harness/codec/sse.c|sse|fuzz/sse_event_log.c"
  "fuzz_sse_diff|harness/codec/sse.c|sse|fuzz/sse_event_log.c fuzz/adapters/sse_adapter_sink.c fuzz/adapters/naive_sse_adapter.c"
  "fuzz_jsonrpc|harness/codec/jsonrpc.c|jsonrpc|"
  "fuzz_endpoint_url|harness/codec/endpoint_url.c|url|"
  "fuzz_transport|harness/transport/client.c|http|fuzz/sse_event_log.c"
  "fuzz_http_framing|harness/proxy/http_framing.c|http_framing|harness/proxy/http_framing.c"
  "fuzz_mcp_header|harness/codec/mcp_header.c|mcp_header|"
  "fuzz_line|harness/codec/line.c|line|"
)
for spec in "${TARGETS[@]}"; do
  IFS='|' read -r name needs dict extra <<<"$spec"
  if [[ ! -f $needs ]]; then
    echo "$name: skipped ($needs not written yet)" | tee -a "$WORKDIR/skipped.txt"
    continue
  fi
  objs=("$(compile "fuzz/$name.c")")
  for e in $extra; do objs+=("$(compile "$e")"); done
  $CXX $CXXFLAGS "${objs[@]}" "$OBJ/libmcpwire_codec.a" $LIB_FUZZING_ENGINE $DEPS_LIBS -lm \
      -o "$OUT/$name"
  rm -f "$OUT/${name}_seed_corpus.zip"
  (cd "fuzz/corpus/$name" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
  cp "fuzz/dict/$dict.dict" "$OUT/$name.dict"
  cp "fuzz/$name.options" "$OUT/$name.options"
  echo "$name: built"
done
