#!/usr/bin/env bash
# Maps at real size (SPEC §4, issue 13): 1,000 strikes in a 40 km box round
# Gaza City attributed to one operator (tests/data/gen/city.py). The map
# names the places of the box with 100,000 people or more (read from the
# basemap with ogr2ogr: Gaza, Khan Yunis, Jabalya, Rafah), draws clusters
# with counts that add up, draws no more than a few dozen verdict lines,
# and the strike whose coordinates are swapped (s-0007) does not stretch
# the frame but is drawn at its edge with its position written.
source "$(dirname "$0")/lib.sh"

python3 "$SRC/tests/data/gen/city.py" 1000 "$OUT/city.geojson"
for ext in png svg; do
    "$BIN" render "$OUT/city.geojson" -o "$OUT/city.$ext" 2>"$OUT/err_$ext.txt"
    check "render .$ext: $(tail -1 "$OUT/err_$ext.txt")" test -s "$OUT/city.$ext"
done
grep -o '<text[^>]*>[^<]*</text>' "$OUT/city.svg" | sed 's/<[^>]*>//g' >"$OUT/texts.txt"

n=0
while IFS=, read -r name pop; do
    n=$((n + 1))
    check "the map names $name (pop. $pop)" grep -qxF -- "$name" "$OUT/texts.txt"
done < <(ogr2ogr -f CSV /vsistdout/ "$SRC/shapefiles/places.shp" -spat 34.25 31.22 34.67 31.58 \
    -where "pop >= 100000" -select name,pop 2>/dev/null | tail -n +2 | tr -d '"')
check "found the box's large places in the basemap ($n)" test "$n" -ge 3
# counts for people: thousands separated, as in the reports
check "the subtitle counts 1,000 strikes" grep -q '^1,000 strikes, ' "$OUT/texts.txt"

# clusters: their counts (the numbers drawn in the strikes' group) add up to
# what the warning says, and the lone strikes make up the rest
read -r clustered nclusters < <(sed -n 's/.*"labels": \([0-9]*\) strikes are drawn in \([0-9]*\) clusters.*/\1 \2/p' \
    "$OUT/err_svg.txt")
check "strikes are clustered ($clustered in $nclusters)" test "${clustered:-0}" -ge 500
sum=$(sed -n '/<g id="strikes">/,/<\/g>/p' "$OUT/city.svg" | grep -o '<text[^>]*>[0-9]*</text>' |
    sed 's/<[^>]*>//g' | awk '{ s += $1; n++ } END { print s + 0, n + 0 }')
check "the clusters' counts add up to $clustered in $nclusters ($sum)" test "$sum" = "$clustered $nclusters"

# --no-clusters: every strike its own marker, no count drawn, no cluster warning
"$BIN" render "$OUT/city.geojson" --no-clusters -o "$OUT/each.svg" 2>"$OUT/err_each.txt"
check "--no-clusters renders" test -s "$OUT/each.svg"
check "--no-clusters: no cluster warning" bash -c "! grep -q 'drawn in [0-9]* clusters' '$OUT/err_each.txt'"
counts=$(sed -n '/<g id="strikes">/,/<\/g>/p' "$OUT/each.svg" | grep -c '<text[^>]*>[0-9]*</text>')
check "--no-clusters: no count drawn ($counts)" test "$counts" -eq 0

# verdict lines: the open subpaths of the verdicts group (each stroked
# twice: halo, then line; arrowheads are closed, with Z)
moves=$(sed -n '/<g id="verdicts">/,/^<\/g>/p' "$OUT/city.svg" | grep -o 'd="M [^"]*' |
    grep -v 'Z' | grep -o 'M ' | wc -l)
lines=$((moves / 2))
check "a few dozen verdict lines at most ($lines)" test "$lines" -ge 1 -a "$lines" -le 40

# the swapped strike: the frame stays on the box (under 2 degrees wide),
# the strike is written at the edge with its position
read -r west east < <(gdalinfo -json "$OUT/city.png" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
lons = [p[0] for p in d["wgs84Extent"]["coordinates"][0]]
print(min(lons), max(lons))')
check "the frame is not stretched to the swapped strike ($west to $east)" \
    awk -v w="$west" -v e="$east" 'BEGIN { exit !(e - w < 2.5 && w > 32) }'
check "the swapped strike is written at the edge" grep -q "^Strike 7: flagged, off the map at" \
    "$OUT/texts.txt"
finish
