#!/usr/bin/env bash
# Operator render benchmark (issue 12): strikes attributed to an operator,
# not to an aircraft, so that each strike is paired with every aircraft of
# that operator. N strikes round Syria over 30 days, each with
# attributed_to "Russia", against 200 Russian tracks (Su-24M, Su-34) of 60
# timed fixes (gen_operator.py, seeded); `strikemap render` to a PNG with
# the default layers and size. For each N: wall time and peak memory
# (/usr/bin/time -v) of the render, and, to show where the time goes, of
# `strikemap validate` (loading alone) and `strikemap check --count` (the
# engine alone, every pair evaluated, nothing kept).
#
#   bench/render/operator.sh [--sizes "10000 20000 40000 200000"] [--runs N]
#                            [--before BIN]
#
# --before BIN also times another strikemap build (e.g. one of an older
# commit) on the same files, interleaved with this one in each round, so
# that the two are compared under the same load. Medians of --runs rounds
# (default 1). Writes bench/work/operator/report.md (a Markdown table) and
# prints it. Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SIZES="10000 20000 40000 200000"
RUNS=1
BEFORE=
while [ $# -gt 0 ]; do
    case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --before) BEFORE=$2; shift 2 ;;
    *) echo "usage: $0 [--sizes \"N ...\"] [--runs N] [--before BIN]" >&2; exit 2 ;;
    esac
done
BIN=${STRIKEMAP:-}
if [ -z "$BIN" ]; then
    for b in "$ROOT/build/strikemap" "$ROOT/build-bench/strikemap"; do
        [ -x "$b" ] && BIN=$b && break
    done
fi
if [ -z "$BIN" ]; then
    echo "operator.sh: building strikemap in build-bench" >&2
    cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release -DSM_BUILD_TESTS=OFF >/dev/null
    cmake --build "$ROOT/build-bench" -j"$(nproc)" >/dev/null
    BIN=$ROOT/build-bench/strikemap
fi
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "operator.sh: needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 1; }
WORK=$ROOT/bench/work/operator
mkdir -p "$WORK"
export LC_ALL=C

# One timed run: "seconds MB" (wall clock, peak resident set) on stdout;
# the command's own output in $WORK/last.out and last.err.
timed() {
    local log=$WORK/time.txt
    if ! "$TIME" -v -o "$log" "$@" >"$WORK/last.out" 2>"$WORK/last.err"; then
        echo "operator.sh: failed: $*" >&2
        tail -5 "$WORK/last.err" >&2
        exit 1
    fi
    awk -F': ' '/Elapsed \(wall clock\)/ {
                    n = split($2, t, ":"); s = 0
                    for (i = 1; i <= n; i++) s = s * 60 + t[i]
                    wall = s }
                /Maximum resident set size/ { mb = $2 / 1024 }
                END { printf "%.2f %.0f\n", wall, mb }' "$log"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

REPORT=$WORK/report.md
{
    echo "strikemap: $BIN${BEFORE:+; before: $BEFORE}; $RUNS round(s), medians"
    echo
    if [ -n "$BEFORE" ]; then
        echo "| strikes | pairs (decided) | before: render s | MB | render s | MB | validate s | MB | check --count s | MB |"
        echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    else
        echo "| strikes | pairs (decided) | render s | MB | validate s | MB | check --count s | MB |"
        echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    fi
} >"$REPORT"

for n in $SIZES; do
    data=$WORK/data-$n
    if [ ! -s "$data/strikes.csv" ]; then
        echo "operator.sh: generating $n strikes" >&2
        python3 "$HERE/gen_operator.py" "$data" --strikes "$n"
    fi
    in=("$data/strikes.csv" "$data/tracks.csv")
    : >"$WORK/r.txt"; : >"$WORK/b.txt"; : >"$WORK/v.txt"; : >"$WORK/c.txt"
    for r in $(seq "$RUNS"); do
        echo "operator.sh: $n strikes, round $r" >&2
        if [ -n "$BEFORE" ]; then
            timed "$BEFORE" render "${in[@]}" -o "$WORK/before-$n.png" >>"$WORK/b.txt"
        fi
        timed "$BIN" render "${in[@]}" -o "$WORK/map-$n.png" >>"$WORK/r.txt"
        cp "$WORK/last.err" "$WORK/render-$n.err"
        timed "$BIN" validate "${in[@]}" >>"$WORK/v.txt"
        timed "$BIN" check --count "${in[@]}" >>"$WORK/c.txt"
        cp "$WORK/last.out" "$WORK/check-$n.txt"
    done
    # the check's own counts: pairs considered, and the decided ones
    pairs=$(awk '$1 == "pairs" { print $2 }' "$WORK/check-$n.txt")
    decided=$(awk '$1 == "plausible" || $1 == "marginal" || $1 == "implausible" { s += $2 } END { print s + 0 }' \
        "$WORK/check-$n.txt")
    row="| $n | $pairs ($decided)"
    for f in b r v c; do
        [ "$f" = b ] && [ -z "$BEFORE" ] && continue
        s=$(awk '{ print $1 }' "$WORK/$f.txt" | median)
        mb=$(awk '{ print $2 }' "$WORK/$f.txt" | median)
        row="$row | $s | $mb"
    done
    echo "$row |" >>"$REPORT"
done
echo >>"$REPORT"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$REPORT"
cat "$REPORT"
