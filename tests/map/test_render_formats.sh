#!/usr/bin/env bash
# PNG, SVG and PDF of the same map: the vector files open (rsvg-convert,
# pdftoppm, pdfinfo) and, rasterised at the PNG's size, show the same map
# within a tolerance (text is anti-aliased differently by each renderer);
# every format gives the same bytes twice; the PNG's side files hold the
# georeferencing.
source "$(dirname "$0")/lib.sh"

EX=$SRC/examples/aleppo-2016.geojson
for ext in png svg pdf; do
    check "render .$ext" "$BIN" render "$EX" -o "$OUT/map.$ext"
    check "render .$ext again" "$BIN" render "$EX" -o "$OUT/again.$ext"
    check "same input, same bytes (.$ext)" cmp -s "$OUT/map.$ext" "$OUT/again.$ext"
done
check "same world file twice" cmp -s "$OUT/map.pgw" "$OUT/again.pgw"
check "same .aux.xml twice" cmp -s "$OUT/map.png.aux.xml" "$OUT/again.png.aux.xml"
check ".aux.xml holds the CRS" grep -q '<SRS dataAxisToSRSAxisMapping="1,2">PROJCRS' "$OUT/map.png.aux.xml"
check ".aux.xml holds the geotransform" grep -q '<GeoTransform>' "$OUT/map.png.aux.xml"
check "world file has six lines" test "$(wc -l <"$OUT/map.pgw")" -eq 6

# The PDF's date comes from SOURCE_DATE_EPOCH, else there is none.
check "no creation date without SOURCE_DATE_EPOCH" bash -c "! grep -aq CreationDate '$OUT/map.pdf'"
SOURCE_DATE_EPOCH=1455100000 "$BIN" render "$EX" -o "$OUT/dated.pdf"
check "creation date from SOURCE_DATE_EPOCH" \
    bash -c "pdfinfo '$OUT/dated.pdf' | grep -q 'CreationDate: *Wed Feb 10 10:26:40 2016 UTC'"

# 2000 x 1500 px at 200 dpi is 720 x 540 pt.
check "pdfinfo reads the PDF" bash -c "pdfinfo '$OUT/map.pdf' | grep -q 'Page size: *720 x 540 pts'"
check "rsvg-convert reads the SVG" rsvg-convert -w 2000 -h 1500 "$OUT/map.svg" -o "$OUT/svg.png"
check "pdftoppm reads the PDF" pdftoppm -r 200 -png -singlefile "$OUT/map.pdf" "$OUT/pdf"

compare() { # compare A B NAME MAX_MEAN MAX_SHARE
    local res mean share
    res=$("$IMGDIFF" "$1" "$2" "$OUT/diff_$3.png") || { fail "$3: cannot compare"; return; }
    mean=$(sed -n 's/.*mean=\([0-9.]*\).*/\1/p' <<<"$res")
    share=$(sed -n 's/.*over=\([0-9.]*\).*/\1/p' <<<"$res")
    echo "$3: $res" >&2
    if awk -v m="$mean" -v s="$share" -v mm="$4" -v ms="$5" 'BEGIN { exit !(m <= mm && s <= ms) }'; then
        ok
    else
        fail "$3: differs from the PNG: $res (allowed mean <= $4, share <= $5; see diff_$3.png)"
    fi
}
compare "$OUT/map.png" "$OUT/svg.png" svg 6 0.03
compare "$OUT/map.png" "$OUT/pdf.png" pdf 8 0.05
# and a different map is not "the same map" by these measures
"$BIN" render "$EX" --bbox 30,30,45,40 -o "$OUT/other.png" 2>/dev/null
res=$("$IMGDIFF" "$OUT/map.png" "$OUT/other.png")
if awk -v r="$res" 'BEGIN { split(r, a, /[= ]/); exit !(a[2] > 8 || a[4] > 0.05) }'; then
    ok
else
    fail "the comparison cannot tell two different maps apart: $res"
fi


# Country names are a part of their own (--no-country-names): the SVG's
# country labels are there by default and gone without, the fills stay.
check "the SVG names the countries" grep -q 'class="label-country"' "$OUT/map.svg"
check "render --no-country-names" "$BIN" render "$EX" --no-country-names -o "$OUT/nonames.svg"
check "--no-country-names: no country label" bash -c "! grep -q 'class=\"label-country\"' '$OUT/nonames.svg'"
check "--no-country-names: the countries still filled" grep -q '<g id="countries"' "$OUT/nonames.svg"

finish
