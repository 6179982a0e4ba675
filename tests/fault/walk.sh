#!/usr/bin/env bash
# Allocation-failure walk (issue 9): for each of the example's load + check
# (JSON, CSV), render (PNG) and report (PDF, HTML), count the allocations
# libstrikemap makes, then run it again once per allocation N with the Nth
# made to fail (SM_FAIL_ALLOC=N, tests/fault/fault.c). Every run must end
# cleanly:
#   - exit 2 with "out of memory" on stderr and NO file left in its folder
#     (no output, no temporary), or
#   - exit 0 with outputs byte-identical to the run without failure (the
#     failed allocation had a fallback; nothing may be dropped);
#   - never a crash, a sanitizer report (ASan, UBSan, LSan), a hang, or
#     another exit status.
# Needs a build with -DSM_FAULT_INJECTION=ON (and -DSM_SANITIZE=ON for the
# memory checks).
#   walk.sh STRIKEMAP_BIN SOURCE_DIR OUT_DIR [CASES] [STRIDE]
# CASES: a comma-separated subset of json,csv,png,pdf,html (default all);
# STRIDE: walk N = 1, 1+S, 1+2S, ... (default 1: every allocation);
# SM_FAULT_JOBS: parallel runs (default: nproc); SM_FAULT_FROM: the first N
# to walk (default 1), to finish a long walk another run began.
set -u
BIN=$(readlink -f "$1")
SRC=$2
mkdir -p "$3" && OUT=$(cd "$3" && pwd)
CASES=${4:-json,csv,png,pdf,html}
STRIDE=${5:-1}
JOBS=${SM_FAULT_JOBS:-$(nproc)}
EX=$SRC/examples/aleppo-2016.geojson
rm -rf "$OUT"
mkdir -p "$OUT"
export STRIKEMAP_HOME=$SRC SOURCE_DATE_EPOCH=1700000000 LC_ALL=C.UTF-8
# Fast unwinding here (the walk is thousands of runs): strikemap's frames
# have frame pointers, so a leak strikemap makes shows where; the
# fontconfig/Pango caches, whose stacks stop inside those libraries without
# one, are matched by module in fault.supp.
export ASAN_OPTIONS=${SM_FAULT_ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86:handle_abort=1}
# (LSan reads one suppressions file: the two lists are joined)
cat "$SRC/.ci/lsan.supp" "$SRC/tests/fault/fault.supp" >"$OUT/lsan.supp"
export LSAN_OPTIONS=suppressions=$OUT/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export G_SLICE=always-malloc

args_of() {
    case $1 in
    json) echo "check $EX --threads 1 --format json -o out.json" ;;
    csv) echo "check $EX --threads 1 --format csv -o out.csv" ;;
    png) echo "render $EX -o out.png" ;;
    pdf) echo "report $EX -o out.pdf" ;;
    html) echo "report $EX -o out.html" ;;
    esac
}

# one run of CASE with the Nth allocation failing, in a folder of its own;
# prints one result line, keeps the folder (and a trace) only on failure
one() {
    local case=$1 n=$2 d="$OUT/$1/run-$2"
    mkdir -p "$d"
    # shellcheck disable=SC2046
    (cd "$d" && SM_FAIL_ALLOC=$n timeout 300 "$BIN" $(args_of "$case") >stdout.txt 2>stderr.txt)
    local rc=$? verdict
    local left
    left=$(cd "$d" && ls -A | grep -v -e '^stdout.txt$' -e '^stderr.txt$' | tr '\n' ' ')
    if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$d/stderr.txt"; then
        verdict=SANITIZER
    elif [ $rc -eq 2 ]; then
        if ! grep -qi "out of memory" "$d/stderr.txt"; then
            verdict=EXIT2-NO-OOM-MESSAGE
        elif [ -n "$left" ]; then
            verdict=LEFT-FILES
        else
            verdict=ok-nomem
        fi
    elif [ $rc -eq 0 ]; then
        verdict=ok-fallback
        for f in $(cd "$OUT/$case/ref" && ls -A | grep -v -e '^stdout.txt$' -e '^stderr.txt$'); do
            cmp -s "$OUT/$case/ref/$f" "$d/$f" || verdict="EXIT0-DIFFERENT-$f"
        done
    else
        verdict=EXIT$rc
    fi
    if [ "${verdict#ok}" = "$verdict" ] || [ "$verdict" = ok-fallback ]; then
        # where the failed allocation was made, and what went wrong
        (cd "$d" && SM_FAIL_ALLOC=$n SM_FAIL_ALLOC_TRACE=$n timeout 300 "$BIN" $(args_of "$case") \
            >/dev/null 2>trace.txt)
        symbolize "$d/trace.txt" >"$d/where.txt"
        echo "$case $n $verdict rc=$rc left=[$left] at: $(grep -v -e '^sm-fault' -e 'fault.c:' "$d/where.txt" |
            head -3 | tr '\n' ' ')"
        [ "$verdict" = ok-fallback ] && rm -rf "$d"
    else
        rm -rf "$d"
        echo "$case $n $verdict"
    fi
}
# file:line and function of each libstrikemap frame of a backtrace_symbols
# trace (the library is built with -g; its static functions are not in the
# dynamic symbol table, so addr2line reads them from the debug info)
symbolize() {
    local lib off sym base
    # ASan's stack printer already gives file:line
    if grep -q '^ *#[0-9]* 0x[0-9a-f]* in ' "$1"; then
        sed -n 's|^ *#[0-9]* 0x[0-9a-f]* in \([^ ]*\) [^ ]*/\([^/ ]*:[0-9]*\).*|\2 \1|p' "$1" |
            grep -v -e '^asan_' -e '^libc_start'
        return
    fi
    grep -o 'libstrikemap\.so[^ ]*' "$1" | while read -r fr; do
        lib=$(dirname "$BIN")/$(echo "$fr" | sed 's/(.*//')
        [ -f "$lib" ] || lib=$(ldd "$BIN" | awk '/libstrikemap/ {print $3}')
        off=$(echo "$fr" | sed -n 's/.*(+\(0x[0-9a-f]*\)).*/\1/p')
        if [ -z "$off" ]; then
            sym=$(echo "$fr" | sed -n 's/.*(\([^+]*\)+\(0x[0-9a-f]*\)).*/\1/p')
            off=$(echo "$fr" | sed -n 's/.*(\([^+]*\)+\(0x[0-9a-f]*\)).*/\2/p')
            base=$(nm -D --defined-only "$lib" | awk -v s="$sym" '$3 == s {print "0x" $1}')
            [ -n "$base" ] && off=$(printf '0x%x' $((base + off)))
        fi
        [ -n "$off" ] && addr2line -f -s -e "$lib" "$(printf '0x%x' $((off - 1)))" | paste -sd' ' |
            awk '{print $2 " " $1}'
    done
}
export -f one args_of symbolize
export BIN OUT EX

start=$(date +%s)
fails=0
for case in ${CASES//,/ }; do
    t0=$(date +%s)
    mkdir -p "$OUT/$case/ref"
    # shellcheck disable=SC2046
    (cd "$OUT/$case/ref" && SM_FAIL_ALLOC_REPORT=1 "$BIN" $(args_of "$case") >stdout.txt 2>stderr.txt)
    rc=$?
    total=$(sed -n 's/^sm-fault: \([0-9]*\) allocations.*/\1/p' "$OUT/$case/ref/stderr.txt")
    if [ $rc -ne 0 ] || [ -z "$total" ]; then
        echo "FAIL: $case: the run without failure: exit $rc, no allocation count" >&2
        cat "$OUT/$case/ref/stderr.txt" >&2
        fails=$((fails + 1))
        continue
    fi
    seq "${SM_FAULT_FROM:-1}" "$STRIDE" "$total" | xargs -P "$JOBS" -I{} bash -c "one $case {}" >"$OUT/$case/results.txt"
    walked=$(wc -l <"$OUT/$case/results.txt")
    bad=$(grep -vc " ok-" "$OUT/$case/results.txt")
    nomem=$(grep -c " ok-nomem" "$OUT/$case/results.txt")
    fb=$(grep -c " ok-fallback" "$OUT/$case/results.txt")
    echo "$case: $total allocations, $walked walked (stride $STRIDE): $nomem out-of-memory exits," \
         "$fb fallbacks, $bad failures, $(( $(date +%s) - t0 )) s" >&2
    if [ "$bad" -gt 0 ]; then
        sort -n -k2 "$OUT/$case/results.txt" | grep -v " ok-" | sed 's/^/FAIL: /' >&2
        fails=$((fails + bad))
    fi
done
echo "walk.sh: $fails failures in $(( $(date +%s) - start )) s (details in $OUT/CASE/run-N/)" >&2
[ "$fails" -eq 0 ]
