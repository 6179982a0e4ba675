#!/usr/bin/env bash
# Run a libFuzzer target for a bounded time over its seed corpus and kept
# corpus (see README.md). Exits non-zero on a finding and leaves the input
# in OUT/crash-*; nothing in the source tree is written.
#   tests/fuzz/run.sh BUILD_DIR TARGET SECONDS [OUT_DIR]
# BUILD_DIR is a clang build with -DSM_FUZZ=ON -DSM_SANITIZE=ON.
set -euo pipefail
build=$1
target=$2
secs=$3
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${4:-$build/fuzz-out/$target}
rm -rf "$out"
mkdir -p "$out/work" "$out/seeds"
case $target in
fuzz_claims)
    max_len=16384
    seeds=("$src"/tests/data/bad/* "$src"/tests/data/warn/* "$src"/tests/data/input/*
           "$src"/examples/*.geojson) ;;
fuzz_tables)
    max_len=65536 # data/aircraft.csv is 44 kB
    seeds=("$src"/data/*.csv "$src"/tests/data/tables/*) ;;
*) echo "run.sh: unknown target $target" >&2; exit 2 ;;
esac
for f in "${seeds[@]}"; do
    [ -f "$f" ] && cp "$f" "$out/seeds/$(echo "${f#"$src"/}" | tr / _)"
done
export STRIKEMAP_HOME=$src
# Our own options, not the caller's: .ci/run's slow full-stack unwinding
# (for the suite's leak reports) would cut the executions several times.
export ASAN_OPTIONS=${SM_FUZZ_ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=suppressions=$src/.ci/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# new inputs go to work/; seeds and the kept corpus are only read
set +e
"$build/tests/fuzz/$target" -max_total_time="$secs" -max_len="$max_len" -timeout=20 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/" \
    "$out/work" "$out/seeds" $( [ -d "$src/tests/fuzz/corpus/$target" ] && echo "$src/tests/fuzz/corpus/$target") \
    >"$out/log" 2>&1
rc=$?
set -e
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^Done|^INFO: seed corpus" "$out/log" >&2 || true
if [ $rc -ne 0 ]; then
    tail -60 "$out/log" >&2
    echo "run.sh: $target found something (exit $rc); the input is in $out/" >&2
fi
exit $rc
