#!/usr/bin/env bash
# Issue 9, items 6, 7 and 11: texts of any length in any script, style
# files that are not regular files or have lines of any length, and claims
# at a pole. Each case once failed: a 200-character Arabic label or a long
# claimed_by was cut mid-character by fixed buffers ("drawing failed");
# a source URL ending in ')' lost it in the report's links; --style
# /dev/zero or a FIFO never returned; a style line over 1,023 bytes was
# split and misreported; a strike at latitude 90 failed with "field --crs:
# cannot measure the map's scale" though no --crs was given.
source "$(dirname "$0")/lib.sh"

# ---- long texts in every script -------------------------------------------
URL=$(for i in $(seq 66); do printf 'https://en.wikipedia.org/wiki/Spike_(missile)'; done)
AR=$(for i in $(seq 17); do printf 'حلب الشهباء '; done)
AR=${AR:0:200}
CY=$(for i in $(seq 6); do printf 'Алеппо, больница «Врачи без границ» '; done)
CB=$(for i in $(seq 50); do printf 'Министерство обороны России وزارة الدفاع '; done)
CB=${CB:0:2000}
TITLE=$(for i in $(seq 40); do printf 'Заголовок карты ج'; done)
cat >"$OUT/long.geojson" <<JSON
{"type": "FeatureCollection", "features": [
{"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.0, 36.2]},
 "properties": {"kind": "aircraft", "id": "a1", "type": "TESTJET", "time": "2020-01-01T10:00:00Z",
  "claimed_by": "$CB", "label": "$CY", "source": "$URL"}},
{"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.16, 36.2]},
 "properties": {"kind": "strike", "id": "s1", "time": "2020-01-01T11:00:00Z", "attributed_to": "a1",
  "claimed_by": "$CB", "label": "$AR", "source": "See $URL."}}
]}
JSON
check "the long URL is 2970 bytes" test "${#URL}" -eq 2970

# no_text_damage NAME: stderr of the last run shows no cut text
no_text_damage() {
    check "$1: no invalid UTF-8 reached Pango: $(head -c 300 "$OUT/err.txt")" \
        bash -c "! grep -qi 'utf-8\|drawing failed\|Pango' '$OUT/err.txt'"
}
for fmt in png svg pdf; do
    "$BIN" render "$OUT/long.geojson" "${TABLES[@]}" --title "$TITLE" -o "$OUT/long.$fmt" \
        2>"$OUT/err.txt"
    rc=$?
    check "render long texts .$fmt: exit 0 (got $rc)" test "$rc" -eq 0
    check "render long texts .$fmt: written" test -s "$OUT/long.$fmt"
    no_text_damage "render .$fmt"
done
# Long labels end in an ellipsis on the map rather than being left out.
check "render: no claim label left out" bash -c "! grep -q 'left out' '$OUT/err.txt'"
check "render PDF: the title's start is there" \
    bash -c "pdftotext '$OUT/long.pdf' - | grep -q 'Заголовок карты'"

"$BIN" report "$OUT/long.geojson" "${TABLES[@]}" --title "$TITLE" -o "$OUT/long-report.pdf" \
    2>"$OUT/err.txt"
rc=$?
check "report PDF with long texts: exit 0 (got $rc)" test "$rc" -eq 0
no_text_damage "report .pdf"
# The whole URL, its last ')' included, is the target of every link (the
# strike's source ends in '.', which is not part of the URL; the strike's
# row in the strike table links it too) ...
n=$(grep -c -F -a "/URI ($URL)" "$OUT/long-report.pdf")
all=$(grep -c -a "/URI (" "$OUT/long-report.pdf")
check "report PDF: every link carries the whole URL (found $n of $all)" \
    test "$n" -ge 2 -a "$n" -eq "$all"
# ... and the text, wrapped over lines, has all of it, twice.
pdftotext "$OUT/long-report.pdf" - | tr -d '\n ' >"$OUT/long-report.txt"
n=$(grep -o -F "$URL" "$OUT/long-report.txt" | wc -l)
check "report PDF text: the whole URL twice (found $n)" test "$n" -eq 2
# (pdftotext reorders the mixed Cyrillic and Arabic runs, so count the
# Cyrillic ones: every one of the claimant's, in each place it is shown)
want=$(printf '%s' "$CB" | tr -d ' ' | grep -o -F 'Министерствообороны' | wc -l)
got=$(grep -o -F 'Министерствообороны' "$OUT/long-report.txt" | wc -l)
check "report PDF text: the whole claimed_by, in 2 places ($want a time; found $got)" \
    test "$got" -ge $((2 * want))
# A valid PDF (SPEC §5: "qpdf --check clean"); cairo 1.16 once wrote links
# whose structure tree pointed at objects it never wrote.
if command -v qpdf >/dev/null 2>&1; then
    qpdf --check "$OUT/long-report.pdf" >"$OUT/qpdf.txt" 2>&1
    rc=$?
    check "report PDF: qpdf --check exits 0 (got $rc)" test "$rc" -eq 0
    check "report PDF: qpdf finds nothing to warn about: $(grep -m1 -i 'warning\|error' "$OUT/qpdf.txt")" \
        bash -c "! grep -qi 'warning\|damaged\|not found' '$OUT/qpdf.txt'"
else
    fail "qpdf not found (the tests need the Debian package qpdf)"
fi

"$BIN" report "$OUT/long.geojson" "${TABLES[@]}" --title "$TITLE" -o "$OUT/long-report.html" \
    2>"$OUT/err.txt"
rc=$?
check "report HTML with long texts: exit 0 (got $rc)" test "$rc" -eq 0
n=$(grep -o -F "href=\"$URL\"" "$OUT/long-report.html" | wc -l)
all=$(grep -o -F 'href="https://' "$OUT/long-report.html" | wc -l)
check "report HTML: every link carries the whole URL (found $n of $all)" \
    test "$n" -ge 2 -a "$n" -eq "$all"
check "report HTML: the whole Arabic label" grep -q -F "$AR" "$OUT/long-report.html"
check "report HTML: the whole claimed_by" grep -q -F "$CB" "$OUT/long-report.html"
check "report HTML: the whole title" grep -q -F "<h1>$TITLE</h1>" "$OUT/long-report.html"

# ---- style files ------------------------------------------------------------
EX=$SRC/examples/aleppo-2016.geojson
"$BIN" render "$EX" -o "$OUT/keep.png" 2>/dev/null || fail "cannot make the map to keep"
cp "$OUT/keep.png" "$OUT/keep.orig"

# bad_style NAME PATTERN STYLE: exit 2 within 20 s, the message, map kept
bad_style() {
    timeout 20 "$BIN" render "$EX" --style "$3" -o "$OUT/keep.png" >/dev/null 2>"$OUT/err.txt"
    local rc=$?
    check "$1: exit 2 promptly (got $rc)" test "$rc" -eq 2
    check "$1: message has '$2': $(head -c 300 "$OUT/err.txt")" grep -q -- "$2" "$OUT/err.txt"
    check "$1: message names the file" grep -q -F -- "$3" "$OUT/err.txt"
    check "$1: existing map unchanged" cmp -s "$OUT/keep.png" "$OUT/keep.orig"
}
bad_style "style /dev/zero" "expected a regular file" /dev/zero
bad_style "style /dev/urandom" "expected a regular file" /dev/urandom
mkfifo "$OUT/style.fifo"
bad_style "style FIFO" "expected a regular file" "$OUT/style.fifo"
rm -f "$OUT/style.fifo"
bad_style "style folder" "expected a regular file" "$OUT"

# A line of 3,000 bytes is one line: the bad key after it is on line 2.
{
    printf 'attribution = %s\n' "$(head -c 3000 /dev/zero | tr '\0' 'x')"
    printf 'no.such.key = 1\n'
} >"$OUT/long-line.style"
bad_style "long style line" "line 2: no such style key" "$OUT/long-line.style"
check "long style line: nothing reported for a line 3" bash -c "! grep -q 'line 3' '$OUT/err.txt'"
check "long style line: one error only" test "$(grep -c error "$OUT/err.txt")" -eq 1

printf 'colour.ocean = #123456\nattribution = Basemap \xff\xfe\n' >"$OUT/bad-utf8.style"
bad_style "style value not UTF-8" "line 2: the value is not valid UTF-8" "$OUT/bad-utf8.style"
check "style value not UTF-8: names the key" grep -q '"attribution"' "$OUT/err.txt"

head -c 1100000 /dev/zero | tr '\0' '#' >"$OUT/huge.style"
bad_style "style over 1 MiB" "at most 1048576 bytes" "$OUT/huge.style"

# An attribution over 511 bytes, in Arabic, and a font list of any length.
ATTR="Basemap: ACME $(for i in $(seq 60); do printf 'خريطة '; done)"
{
    printf 'attribution = %s\n' "$ATTR"
    printf 'font = %s\n' "$(for i in $(seq 100); do printf 'No Such Font %d,' "$i"; done)Noto Sans"
} >"$OUT/long.style"
"$BIN" render "$EX" --style "$OUT/long.style" -o "$OUT/long-style.pdf" 2>"$OUT/err.txt"
rc=$?
check "long attribution: exit 0 (got $rc)" test "$rc" -eq 0
no_text_damage "long attribution"
check "long attribution: drawn" bash -c "pdftotext '$OUT/long-style.pdf' - | grep -q 'Basemap: ACME'"

# ---- a strike at a pole -------------------------------------------------------
for lat in 90 -90; do
    cat >"$OUT/pole$lat.geojson" <<JSON
{"type": "FeatureCollection", "features": [
{"type": "Feature", "geometry": {"type": "Point", "coordinates": [0.0, $lat.0]},
 "properties": {"kind": "strike", "id": "s-pole", "time": "2020-01-01T11:00:00Z", "claimed_by": "Test"}}
]}
JSON
    "$BIN" render "$OUT/pole$lat.geojson" "${TABLES[@]}" -o "$OUT/pole$lat.png" 2>"$OUT/err.txt"
    rc=$?
    check "strike at latitude $lat: render exits 0 (got $rc): $(head -c 300 "$OUT/err.txt")" \
        test "$rc" -eq 0
    check "strike at latitude $lat: no --crs blamed" bash -c "! grep -q -- '--crs' '$OUT/err.txt'"
    # the strike colour (#c2185b) where the world file puts the pole
    check "strike at latitude $lat: the strike is drawn at the pole" \
        near_colour "$OUT/pole$lat.png" 0 "$lat" 194 24 91 40 4
    "$BIN" report "$OUT/pole$lat.geojson" "${TABLES[@]}" -o "$OUT/pole$lat.pdf" 2>"$OUT/err.txt"
    rc=$?
    check "strike at latitude $lat: report exits 0 (got $rc)" test "$rc" -eq 0
done

# ---- limits say so ------------------------------------------------------------
# 450 labelled strikes in a box: at most 400 claim labels are laid out and
# the rest are counted in a warning. The claims in a drawn pair go first:
# s0-s4, attributed to an aircraft, are on the bottom row, which reading
# order (the top of the map first) would leave out.
{
    printf '{"type": "FeatureCollection", "features": [\n'
    for i in $(seq 0 449); do
        extra=
        [ "$i" -lt 5 ] && extra=', "attributed_to": "a1", "time": "2016-02-15T10:30:00Z"'
        printf '%s{"type": "Feature", "geometry": {"type": "Point", "coordinates": [%s, %s]}, "properties": {"kind": "strike", "id": "s%d", "label": "L%d", "claimed_by": "Test"%s}}\n' \
            "$([ "$i" -gt 0 ] && echo ,)" "$(awk -v i="$i" 'BEGIN { printf "%.4f", 36 + (i % 30) * 0.05 }')" \
            "$(awk -v i="$i" 'BEGIN { printf "%.4f", 35 + int(i / 30) * 0.05 }')" "$i" "$i" "$extra"
    done
    printf ',{"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.1, 34.8]}, "properties": {"kind": "aircraft", "id": "a1", "type": "TESTJET", "time": "2016-02-15T10:00:00Z"}}\n'
    printf ']}\n'
} >"$OUT/many.geojson"
"$BIN" render "$OUT/many.geojson" "${TABLES[@]}" -o "$OUT/many.svg" 2>"$OUT/err.txt"
rc=$?
check "450 labels: exit 0 (got $rc)" test "$rc" -eq 0
check "450 labels (and the aircraft's): a warning counts the 51 left out: $(head -c 300 "$OUT/err.txt")" \
    grep -q '51 claim labels left out: a map lays out at most 400' "$OUT/err.txt"
for i in 0 1 2 3 4; do
    check "450 labels: s$i, in a pair, is labelled" grep -q ">L$i<" "$OUT/many.svg"
done

check "no temporary file left" test -z "$(find "$OUT" -name '.*' -type f)"
finish
