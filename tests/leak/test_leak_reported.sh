#!/usr/bin/env bash
# The LSan suppressions (.ci/lsan.supp) must not hide a leak strikemap makes
# (issue 9, item 13). leak_probe leaks a cairo surface, a Pango layout and an
# OGR feature in turn; under the suppressions CI uses, each run must exit
# non-zero with a leak report that names the probe's frame and the library
# call that made the object. A control run that leaks nothing must exit 0:
# the suppressions cover what the libraries themselves keep.
#   bash test_leak_reported.sh LEAK_PROBE SOURCE_DIR OUTPUT_DIR
set -u
PROBE=$1
SRC=$2
OUT=$3
rm -rf "$OUT"
mkdir -p "$OUT"
FAILS=0
CHECKS=0
ok() { CHECKS=$((CHECKS + 1)); }
fail() { CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1)); echo "FAIL: $*" >&2; }

# The options .ci/run uses; exitcode 23 tells a leak from a crash.
# GLib 2.74 carves GObjects out of GSlice magazines unless told otherwise,
# and a leaked object inside a live magazine is invisible to LSan.
export G_SLICE=always-malloc G_DEBUG=gc-friendly
export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=256:abort_on_error=0
export LSAN_OPTIONS=suppressions=$SRC/.ci/lsan.supp:print_suppressions=1:exitcode=23
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

"$PROBE" none >"$OUT/none.out" 2>"$OUT/none.err"
rc=$?
[ $rc -eq 0 ] && ok || { fail "control run (no leak): exit $rc, expected 0"; cat "$OUT/none.err" >&2; }
grep -q "leak_probe none: done" "$OUT/none.out" && ok || fail "control run did not finish"

# what: a pattern for the library frame that made the object (a module where
# the library's function is internal and stripped), and the probe function
# that leaks it. The object is reported as a direct leak, or as an indirect
# one when it sits in a cycle (a Pango layout and its lines point to each
# other); either way the report must carry both frames.
while read -r what made fn; do
    "$PROBE" "$what" >"$OUT/$what.out" 2>"$OUT/$what.err"
    rc=$?
    [ $rc -eq 23 ] && ok || fail "$what: exit $rc, expected 23 (LSan's leak exit code)"
    grep -q "ERROR: LeakSanitizer: detected memory leaks" "$OUT/$what.err" && ok ||
        fail "$what: no leak report"
    # one leak report block per paragraph, kept if it names the probe function
    awk -v fn=" in $fn " 'BEGIN { RS = "" } /(Direct|Indirect) leak/ && index($0, fn)' \
        "$OUT/$what.err" >"$OUT/$what.blocks"
    [ -s "$OUT/$what.blocks" ] && ok || fail "$what: no leak reported from $fn"
    grep -qE "$made" "$OUT/$what.blocks" && ok || fail "$what: no leak from $fn made in /$made/"
    [ $FAILS -eq 0 ] || cat "$OUT/$what.err" >&2
done <<'LIST'
cairo libcairo\.so leak_cairo
pango pango_layout_new use_pango
ogr OGR_F_Create|OGRFeature::CreateFeature leak_ogr
LIST

echo "$(basename "$0"): $CHECKS checks, $FAILS failed" >&2
[ "$FAILS" -eq 0 ]
