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
for want in "Key findings" "The strikes" "Decided pairs" "The claims" "Method" "Reference figures used" \
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
# A valid PDF (SPEC §5): qpdf finds nothing, poppler reads it without a
# complaint (cairo 1.16 once wrote links that pointed at missing objects,
# and pdftotext printed thousands of "Syntax Error" lines).
qpdf --check "$OUT/report.pdf" >"$OUT/qpdf.txt" 2>&1
[ $? -eq 0 ] && ! grep -qiE 'warning|error:|damaged|not found' "$OUT/qpdf.txt" && pass ||
  { fail "qpdf --check"; head -5 "$OUT/qpdf.txt"; }
pdftotext "$OUT/report.pdf" "$OUT/plain.txt" 2>"$OUT/poppler.txt"
[ ! -s "$OUT/poppler.txt" ] && pass || { fail "pdftotext complains"; head -3 "$OUT/poppler.txt"; }
# Text for an editor: no verdict word broken with a hyphen or over a line,
# counts with their plural and thousands separators, and the reference
# figures without the tables' internal markers or pointers to our files.
grep -qE '(implausi|plausi|margi|unkno)-?$' "$OUT/plain.txt" && fail "a verdict word is broken" || pass
grep -q "7 strikes, 5 aircraft, 2 launchers, 3 bases\. 19 pairs checked" "$OUT/report.txt" && pass ||
  fail "summary counts: $(grep -m1 'pairs checked' "$OUT/report.txt")"
grep -qE 'ESTIMATE|UNCERTAIN|POLICY|REMOVED|README' "$OUT/report.txt" && fail "internal notes in the report" || pass
grep -q "top speed .*1,700 km/h" "$OUT/report.txt" && pass || fail "reference table lacks Su-24M top speed"
# each figure cites the sentence of its source that gives it (the Su-24M's
# cruise speed once cited its top speed's sentence)
grep -q "cruise speed .*900 km/h Cruise estimate 900 km/h" "$OUT/report.txt" && pass ||
  fail "Su-24M cruise speed: $(grep -m1 'cruise speed  ' "$OUT/report.txt")"
grep -q "combat radius .*615 km Combat radius 615 km" "$OUT/report.txt" && pass ||
  fail "Su-24M combat radius: $(grep -m1 'combat radius  ' "$OUT/report.txt")"
# A source URL with brackets (and a quote, a backslash, Arabic) stays one
# whole link in the PDF (the annotation's /URI, read back with qpdf) and in
# the HTML (the href, escaped).
python3 - "$EX" "$OUT/paren.geojson" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [f for f in d["features"] if f["properties"]["kind"] == "strike"]
s[0]["properties"]["source"] = "https://en.wikipedia.org/wiki/Spike_(missile)"
s[1]["properties"]["source"] = "see https://example.org/a'b\\c/حلب (archived)"
json.dump(d, open(sys.argv[2], "w"))
PY
"$SM" report "$OUT/paren.geojson" -o "$OUT/paren.pdf" 2>/dev/null && pass || fail "paren report"
qpdf --qdf --object-streams=disable "$OUT/paren.pdf" "$OUT/paren-qdf.pdf"
grep -aqF '/URI (https://en.wikipedia.org/wiki/Spike_\(missile\))' "$OUT/paren-qdf.pdf" && pass ||
  { fail "PDF link to Spike_(missile) cut"; grep -a '/URI' "$OUT/paren-qdf.pdf" | head -3; }
grep -aqF "/URI (https://example.org/a%27b%5Cc/%D8%AD%D9%84%D8%A8)" "$OUT/paren-qdf.pdf" && pass ||
  { fail "PDF link with a quote, backslash and Arabic"; grep -a '/URI' "$OUT/paren-qdf.pdf" | head -5; }
"$SM" report "$OUT/paren.geojson" -o "$OUT/paren.html" 2>/dev/null
grep -qF 'href="https://en.wikipedia.org/wiki/Spike_(missile)"' "$OUT/paren.html" && pass ||
  fail "HTML link to Spike_(missile) cut"
grep -qF "href=\"https://example.org/a&#39;b\\c/حلب\"" "$OUT/paren.html" && pass ||
  fail "HTML link with a quote and a backslash"
# Real size (SPEC §5, issue 13): 1,000 strikes in a 40 km box round Gaza,
# one operator, four aircraft: at most 40 pages, valid, one row per strike,
# the swapped strike marked with its warning beside it.
python3 "$SRC/tests/data/gen/city.py" 1000 "$OUT/city.geojson"
"$SM" report "$OUT/city.geojson" -o "$OUT/city.pdf" 2>/dev/null && pass || fail "city report"
cpages=$(pdfinfo "$OUT/city.pdf" | awk '/^Pages:/ {print $2}')
[ "${cpages:-99}" -le 40 ] && pass || fail "1,000 strikes take $cpages pages (at most 40)"
qpdf --check "$OUT/city.pdf" >/dev/null 2>&1 && pass || fail "city: qpdf --check"
pdftotext -layout "$OUT/city.pdf" "$OUT/city.txt" 2>"$OUT/poppler.txt"
[ ! -s "$OUT/poppler.txt" ] && pass || fail "city: pdftotext complains"
grep -q "1,000 strikes, 4 aircraft, no bases\. 4,000 pairs checked" "$OUT/city.txt" && pass ||
  fail "city summary: $(grep -m1 'pairs checked' "$OUT/city.txt")"
rows=$(grep -cE '^ *(⚠ )?s-[0-9]{4} · Strike [0-9]+ +[0-9no]' "$OUT/city.txt")
[ "$rows" -eq 1000 ] && pass || fail "strike table rows: $rows, want 1000"
grep -A1 '⚠ s-0007 · Strike 7' "$OUT/city.txt" | grep -q 'geometry: .*swapped' && pass ||
  fail "the swapped strike's warning is not beside it"
grep -q "1 claim is flagged" "$OUT/city.txt" && pass || fail "findings do not mention the flagged claim"
grep -q "undecided (unknown): counted here, not listed" "$OUT/city.txt" && pass || fail "unknown pairs not counted"
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
