#!/usr/bin/env bash
# The SVG a graphics desk can edit (SPEC §4, issue 13): text is <text>
# (fonts named), not glyph outlines; every strike's label of the example
# (each language, read from the example with ogr2ogr, split at " / ") is
# the text of a <text> element; each part is a named group; the file is
# valid XML (xmllint) and rsvg-convert draws it like the PNG.
source "$(dirname "$0")/lib.sh"

EX=$SRC/examples/aleppo-2016.geojson
"$BIN" render "$EX" -o "$OUT/map.svg" 2>"$OUT/err.txt"
check "render .svg: $(cat "$OUT/err.txt")" test -s "$OUT/map.svg"
check "no claim label left out: $(cat "$OUT/err.txt")" bash -c "! grep -q 'left out' '$OUT/err.txt'"
"$BIN" render "$EX" -o "$OUT/map.png" 2>/dev/null
check "xmllint parses the SVG" xmllint --noout "$OUT/map.svg"
check "no glyph outlines" bash -c "! grep -q '<symbol[^>]*id=\"glyph' '$OUT/map.svg'"

# the text of each <text> element, one a line
grep -o '<text[^>]*>[^<]*</text>' "$OUT/map.svg" | sed 's/<[^>]*>//g' |
    sed 's/&amp;/\&/g; s/&apos;/'"'"'/g; s/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g' >"$OUT/lines.txt"
check "found <text> elements ($(wc -l <"$OUT/lines.txt"))" test "$(wc -l <"$OUT/lines.txt")" -ge 40
n=0
while IFS= read -r label; do
    while IFS= read -r part; do
        [ -n "$part" ] || continue
        n=$((n + 1))
        check "claim label line '$part' is a <text>" grep -qxF -- "$part" "$OUT/lines.txt"
    done < <(sed 's| / |\n|g' <<<"$label")
done < <(ogr2ogr -f CSV /vsistdout/ "$EX" -where "kind = 'strike'" -select label 2>/dev/null |
    tail -n +2 |
    sed 's/^"//; s/"$//; s/""/"/g' | grep -v '^$')
check "found the example's strike label lines ($n)" test "$n" -ge 14
check "a <text> in the map's font" grep -q '<text[^>]*font-family="Noto Sans' "$OUT/map.svg"
check "claim labels carry their class" grep -q '<text class="label-strike"' "$OUT/map.svg"
for id in countries coast places graticule reach verdicts bases fixes strikes labels legend \
    scalebar title attribution; do
    check "a group <g id=\"$id\">" grep -q "<g id=\"$id\">" "$OUT/map.svg"
done

check "rsvg-convert draws it" rsvg-convert -w 2000 -h 1500 "$OUT/map.svg" -o "$OUT/svg.png"
res=$("$IMGDIFF" "$OUT/map.png" "$OUT/svg.png" "$OUT/diff.png")
echo "svg vs png: $res" >&2
check "drawn like the PNG (mean <= 6, share <= 0.03): $res" awk -v r="$res" \
    'BEGIN { split(r, a, /[= ]/); exit !(a[2] <= 6 && a[4] <= 0.03) }'
finish
