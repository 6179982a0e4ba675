# strikemap report -o report.pdf: the pages and text (pdftotext), the
# verdict table flowing over pages with its header repeated, the map page as
# vectors (no raster images), fonts embedded, Arabic shaped text present,
# the same bytes twice, and errors leave an existing report unchanged.
source "$2/tests/cli/lib.sh"
EX="$SRC/examples/aleppo-2016.geojson"
export SOURCE_DATE_EPOCH=1455494400
"$SM" report "$EX" -o "$OUT/report.pdf" 2>"$OUT/stderr"
[ $? -eq 0 ] && pass || { fail "report exit status"; cat "$OUT/stderr"; }
pages=$(pdfinfo "$OUT/report.pdf" | awk '/^Pages:/ {print $2}')
[ "${pages:-0}" -ge 4 ] && pass || fail "pages: $pages"
pdfinfo "$OUT/report.pdf" | grep -q "^Title: *Could the claimed aircraft" && pass || fail "PDF title"
pdfinfo "$OUT/report.pdf" | grep -q "^Page size: *595.2" && pass || fail "A4 page size"
pdftotext -layout "$OUT/report.pdf" "$OUT/report.txt"
for want in "Key findings" "Verdicts" "The claims" "Method" "Reference figures used" \
            "WGS84" "Karney" "page 1 of $pages" "page $pages of $pages" \
            "s-maarat-tr" "a-su34-deir" "implausible" "plausible" "unknown" \
            "https://" "Natural Earth" "GeoNames"; do
  grep -qF "$want" "$OUT/report.txt" && pass || fail "PDF text lacks '$want'"
done
# every claim is listed with its source
for id in $(grep -o '"id": "[^"]*"' "$EX" | cut -d'"' -f4); do
  grep -qF "$id" "$OUT/report.txt" && pass || fail "claim $id missing"
done
# Arabic labels are there as text (shaped glyphs that map back to letters)
grep -qF "حلب" "$OUT/report.txt" && pass || fail "Arabic text missing"
# the map on page 1 is vector: no raster image on it
n_img=$(pdfimages -f 1 -l 1 -list "$OUT/report.pdf" | tail -n +3 | wc -l)
[ "$n_img" -eq 0 ] && pass || fail "page 1 has $n_img raster images"
# every font embedded
pdffonts "$OUT/report.pdf" | tail -n +3 | awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit bad }' &&
  pass || { fail "a font is not embedded"; pdffonts "$OUT/report.pdf"; }
# a long verdict table flows over pages, its header on each
bash "$SRC/tests/report/many.sh" 90 "$OUT/many.geojson"
"$SM" report "$OUT/many.geojson" -o "$OUT/many.pdf" --paper letter 2>"$OUT/stderr"
[ $? -eq 0 ] && pass || { fail "many: exit"; cat "$OUT/stderr"; }
pdfinfo "$OUT/many.pdf" | grep -q "^Page size: *612 x 792" && pass || fail "letter size"
pdftotext -layout "$OUT/many.pdf" "$OUT/many.txt"
heads=$(grep -c "Strike .*Aircraft .*Claimed by .*Verdict" "$OUT/many.txt")
[ "$heads" -ge 2 ] && pass || fail "table header repeated on $heads pages"
for i in 001 045 090; do grep -q "s-$i" "$OUT/many.txt" && pass || fail "row s-$i missing"; done
# same input, same bytes
"$SM" report "$EX" -o "$OUT/again.pdf" 2>/dev/null
cmp -s "$OUT/report.pdf" "$OUT/again.pdf" && pass || fail "PDF differs between runs"
# bad input or output: exit 2, an existing report unchanged
cp "$OUT/report.pdf" "$OUT/keep.pdf"
"$SM" report "$SRC/tests/data/bad/duplicate-id.geojson" -o "$OUT/keep.pdf" 2>/dev/null
[ $? -eq 2 ] && cmp -s "$OUT/keep.pdf" "$OUT/report.pdf" && pass || fail "bad claims clobbered the report"
"$SM" report "$EX" -o "$OUT/no-such-dir/r.pdf" 2>/dev/null; [ $? -eq 2 ] && pass || fail "unwritable path"
"$SM" report "$EX" -o "$OUT/r.docx" 2>/dev/null; [ $? -eq 2 ] && pass || fail "unknown extension"
[ -z "$(ls "$OUT" | grep tmp)" ] && pass || fail "temporary files left: $(ls "$OUT")"
finish
