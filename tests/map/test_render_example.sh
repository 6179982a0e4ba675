#!/usr/bin/env bash
# The README's first command: the bundled example renders, every strike is
# drawn where it is (the pixel at each strike's lon/lat, read with
# ogr2ogr from the example itself, is one of the strike colours), and no
# claim label had to be left out for lack of room.
source "$(dirname "$0")/lib.sh"

EX=$SRC/examples/aleppo-2016.geojson
(cd "$SRC" && "$BIN" render examples/aleppo-2016.geojson -o "$OUT/aleppo-2016.png") 2>"$OUT/err.txt"
rc=$? # the render's own status, taken before anything else runs
check "render exits 0 (got $rc): $(cat "$OUT/err.txt")" test "$rc" -eq 0
check "render wrote the PNG" test -s "$OUT/aleppo-2016.png"
check "no claim label left out: $(cat "$OUT/err.txt")" bash -c "! grep -q 'left out' '$OUT/err.txt'"
check "size 2000x1500" bash -c "gdalinfo '$OUT/aleppo-2016.png' | grep -q 'Size is 2000, 1500'"

# the default strike colours, by grading (map_style.c)
colours="194 24 91|122 10 62|228 95 146|243 166 196|189 189 189"
# the strikes' positions, then their pixels in one gdallocationinfo run
mapfile -t XY < <(ogr2ogr -f CSV /vsistdout/ "$EX" -where "kind = 'strike'" -lco GEOMETRY=AS_XY \
    -select kind 2>/dev/null | tail -n +2 | cut -d, -f1,2)
# shellcheck disable=SC2046
probe "$OUT/aleppo-2016.png" -wgs84 $(printf '%s\n' "${XY[@]}" | tr ',' ' ')
n=0
while IFS=, read -r x y; do
    n=$((n + 1))
    got=$(rgb_at "$OUT/aleppo-2016.png" "$x" "$y")
    hit=0
    IFS='|' read -ra cs <<<"$colours"
    for c in "${cs[@]}"; do
        # shellcheck disable=SC2086
        is_colour "$got" $c 10 && hit=1
    done
    check "strike at $x $y is drawn in a strike colour, got '$got'" test $hit -eq 1
done < <(printf '%s\n' "${XY[@]}")
check "found the example's strikes ($n)" test "$n" -ge 7

finish
