#!/usr/bin/env bash
# Themes and colours (issue 13): --theme dark makes the furniture's boxes
# dark too (the legend's and the scale bar's first fill in the SVG, read
# as rgb percentages), a style may name CSS colours (colour.ocean =
# steelblue: the pixel at sea off Lebanon, read with gdallocationinfo, is
# 70 130 180), an unknown theme or colour name is refused naming it.
source "$(dirname "$0")/lib.sh"

EX=$SRC/examples/aleppo-2016.geojson
"$BIN" render "$EX" --theme dark -o "$OUT/dark.svg" 2>/dev/null
"$BIN" render "$EX" -o "$OUT/light.svg" 2>/dev/null
# the first fill of a group, as "r g b" in 0-255
first_fill() {
    sed -n "/<g id=\"$2\">/,/<\\/g>/p" "$1" | grep -o 'fill:rgb([^)]*)' | head -1 |
        sed 's/fill:rgb(//; s/)//; s/%//g' | awk -F, '{ printf "%d %d %d\n", $1 * 2.55 + 0.5, $2 * 2.55 + 0.5, $3 * 2.55 + 0.5 }'
}
for g in legend scalebar; do
    dark=$(first_fill "$OUT/dark.svg" $g)
    light=$(first_fill "$OUT/light.svg" $g)
    check "dark theme: the $g box is dark ($dark)" awk -v c="$dark" 'BEGIN { split(c, a, " "); exit !(a[1] < 80 && a[2] < 80 && a[3] < 80) }'
    check "light theme: the $g box is white ($light)" is_colour "$light" 255 255 255 2
done
"$BIN" render "$EX" --theme dark -o "$OUT/dark.png" 2>/dev/null
check "dark theme renders a PNG" test -s "$OUT/dark.png"

printf 'colour.ocean = steelblue\n' >"$OUT/css.style"
"$BIN" render "$EX" --style "$OUT/css.style" --no-labels -o "$OUT/css.png" 2>"$OUT/err.txt"
check "a CSS colour name is taken: $(cat "$OUT/err.txt")" test -s "$OUT/css.png"
got=$(rgb_at "$OUT/css.png" 35.3 34.2)
check "the sea is steelblue (70 130 180), got '$got'" is_colour "$got" 70 130 180 3

"$BIN" render "$EX" --theme sepia -o "$OUT/bad.png" 2>"$OUT/err.txt"
rc=$?
check "an unknown theme: exit 2 (got $rc)" test "$rc" -eq 2
check "an unknown theme names --theme" grep -q 'field "--theme"' "$OUT/err.txt"
printf 'colour.ocean = bluish\n' >"$OUT/bad.style"
"$BIN" render "$EX" --style "$OUT/bad.style" -o "$OUT/bad.png" 2>"$OUT/err.txt"
rc=$?
check "an unknown colour name: exit 2 (got $rc)" test "$rc" -eq 2
check "... naming its key" grep -q 'colour.ocean' "$OUT/err.txt"
check "no file" test ! -e "$OUT/bad.png"
finish
