#!/usr/bin/env bash
# Bad input and usage exit 2, say what is wrong, and leave an existing map
# byte for byte as it was, with no temporary file left behind; an
# unwritable output path exits 2; --help works; without -o the map goes to
# output/<claims>.png.
source "$(dirname "$0")/lib.sh"

EX=$SRC/examples/aleppo-2016.geojson
"$BIN" render "$EX" -o "$OUT/keep.png" 2>/dev/null || fail "cannot make the map to keep"
"$BIN" render "$EX" -o "$OUT/keep.svg" 2>/dev/null || fail "cannot make the SVG to keep"
cp "$OUT/keep.png" "$OUT/keep.orig"
cp "$OUT/keep.pgw" "$OUT/keep.pgw.orig"
cp "$OUT/keep.svg" "$OUT/keep.svg.orig"

# expect_bad NAME GREP ARGS...: exit 2, stderr mentions GREP, keep.png untouched
expect_bad() {
    local name=$1 pattern=$2
    shift 2
    "$BIN" render "$@" >"$OUT/out.txt" 2>"$OUT/err.txt"
    local rc=$?
    check "$name: exit 2 (got $rc)" test "$rc" -eq 2
    check "$name: message mentions '$pattern': $(head -c 300 "$OUT/err.txt")" grep -q -- "$pattern" "$OUT/err.txt"
    check "$name: existing PNG unchanged" cmp -s "$OUT/keep.png" "$OUT/keep.orig"
    check "$name: existing world file unchanged" cmp -s "$OUT/keep.pgw" "$OUT/keep.pgw.orig"
    check "$name: existing SVG unchanged" cmp -s "$OUT/keep.svg" "$OUT/keep.svg.orig"
    check "$name: no temporary file left" test -z "$(find "$OUT" -name '.*' -type f)"
}

expect_bad "truncated claims" "bad.geojson" "$DATA/bad.geojson" -o "$OUT/keep.png"
expect_bad "missing claims" "no-such-file" "$DATA/no-such-file.geojson" -o "$OUT/keep.png"
expect_bad "unknown CRS" "--crs" "$EX" --crs EPSG:999999 -o "$OUT/keep.png"
expect_bad "bad bbox" "--bbox" "$EX" --bbox 1,2,3 -o "$OUT/keep.png"
expect_bad "bbox south above north" "--bbox" "$EX" --bbox 30,40,40,30 -o "$OUT/keep.png"
expect_bad "bad size" "--size" "$EX" --size 10x10 -o "$OUT/keep.png"
expect_bad "bad dpi" "--dpi" "$EX" --dpi 0 -o "$OUT/keep.png"
printf 'colour.ocean = bluish\n' >"$OUT/bad.style"
expect_bad "bad style value" "colour.ocean" "$EX" --style "$OUT/bad.style" -o "$OUT/keep.png"
printf 'no.such.key = 1\n' >"$OUT/bad2.style"
expect_bad "unknown style key" "no.such.key" "$EX" --style "$OUT/bad2.style" -o "$OUT/keep.svg"
expect_bad "missing style file" "--style" "$EX" --style "$OUT/none.style" -o "$OUT/keep.svg"
expect_bad "missing basemap folder" "--basemap" "$EX" --basemap "$OUT/nowhere" -o "$OUT/keep.png"
expect_bad "unknown part" "try --help" "$EX" --no-such-part -o "$OUT/keep.png"
expect_bad "unknown format" ".png, .svg or .pdf" "$EX" -o "$OUT/keep.jpg"
expect_bad "no claims" "no claim files" -o "$OUT/keep.png"

# Unwritable output paths: a folder that is a file; a path under /proc.
: >"$OUT/afile"
expect_bad "output under a file" "afile" "$EX" -o "$OUT/afile/map.png"
expect_bad "output in /proc" "/proc" "$EX" -o /proc/strikemap-test.png
check "nothing written in /proc" test ! -e /proc/strikemap-test.png
if [ "$(id -u)" -ne 0 ]; then
    # (root writes anywhere, so this one only runs for other users)
    mkdir -p "$OUT/ro" && cp "$OUT/keep.png" "$OUT/ro/map.png" && chmod a-w "$OUT/ro"
    "$BIN" render "$EX" -o "$OUT/ro/map.png" 2>/dev/null
    check "read-only folder: exit 2" test $? -eq 2
    check "read-only folder: map unchanged" cmp -s "$OUT/ro/map.png" "$OUT/keep.orig"
    chmod u+w "$OUT/ro"
fi

"$BIN" render --help >"$OUT/help.txt"
check "--help exits 0" test $? -eq 0
check "--help lists the parts" grep -q "graticule" "$OUT/help.txt"
check "--help names the output formats" grep -q -- "-o, --output" "$OUT/help.txt"

# Default output: output/<claims file>.png in the current folder.
mkdir -p "$OUT/cwd"
(cd "$OUT/cwd" && "$BIN" render "$EX" 2>/dev/null)
check "default output exit 0" test $? -eq 0
check "default output is output/aleppo-2016.png" test -s "$OUT/cwd/output/aleppo-2016.png"
check "default output has its world file" test -s "$OUT/cwd/output/aleppo-2016.pgw"

finish
