#!/usr/bin/env bash
# Strikes attributed to an operator (issue 12): each strike is paired with
# every aircraft of the operator, most pairs undecided (no fix within the
# maximum gap). The map draws rings and lines for the decided pairs only
# (a fix binds: the time test was made from it), each ring once, bundled
# and thinned as docs/render.md says; what it counts in its warnings is
# checked against `strikemap check --format csv` (the engine's own listing,
# read independently here), and the rings it draws against PROJ's geod.
source "$(dirname "$0")/lib.sh"

# ---- 2,000 strikes round Syria over 30 days, 40 Russian tracks -------------
# (the frame wider than the strikes, so that the rings that rule a claim
# out, up to 900 km, are on it; nothing drawn over them)
python3 "$SRC/bench/render/gen_operator.py" "$OUT/op" --strikes 2000 --tracks 40 --fixes 30
IN=("$OUT/op/strikes.csv" "$OUT/op/tracks.csv")
"$BIN" check --format csv "${IN[@]}" >"$OUT/pairs.csv" 2>/dev/null
check "check --format csv" test -s "$OUT/pairs.csv"
# every verdict pure green, rings 1 pt wide (their dashes, which scale
# with the width, then shorter than a probe's 5 x 5 pixels)
sed 's/^width.ring = .*/width.ring = 1/' "$DATA/rings.style" >"$OUT/op.style"
for ext in png svg; do
    "$BIN" render "${IN[@]}" --style "$OUT/op.style" --bbox 30,25,49,45 --size 1200x900 \
        --no-labels --no-places --no-legend --no-inset --no-north --no-scalebar \
        -o "$OUT/op.$ext" 2>"$OUT/err_$ext.txt"
    check "render .$ext: $(tail -1 "$OUT/err_$ext.txt")" test -s "$OUT/op.$ext"
done

# From the listing: the decided pairs (time_margin_km written: the time
# test was made from a binding fix), their distinct rings (fix, reach,
# verdict), those that rule a claim out or nearly, their bundles (fix
# position to 1e-5 degree, verdict): "decided rings rings_out bundles";
# then the 8 widest rings that rule a claim out, "lon lat reach" a line.
python3 - "$OUT/pairs.csv" >"$OUT/expect.txt" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
dec = [r for r in rows if r["time_margin_km"] != "" and r["aircraft_kind"] == "aircraft"]
rings = {(r["fix_lon"], r["fix_lat"], r["reach_km"], r["verdict"]) for r in dec
         if r["reach_km"] != "" and float(r["reach_km"]) > 0}
out = sorted((k for k in rings if k[3] in ("implausible", "marginal")),
             key=lambda k: -float(k[2]))
bundles = {(round(float(r["fix_lon"]) * 1e5), round(float(r["fix_lat"]) * 1e5), r["verdict"])
           for r in dec if r["verdict"] != "unknown"}
print(len(dec), len(rings), len(out), len(bundles))
for k in out[:8]:
    print(k[0], k[1], k[2])
EOF
read -r decided rings rings_out bundles <"$OUT/expect.txt"
check "the listing has $decided decided pairs, $rings distinct rings, $rings_out that rule out" \
    test "${decided:-0}" -gt 40 -a "${rings:-0}" -gt 24 -a "${rings_out:-0}" -ge 1

# Past 24 distinct rings, only those that rule a claim out, the 8 widest:
# the warning counts the rest of the distinct rings.
drawn=$((rings_out < 8 ? rings_out : 8))
left=$(sed -n 's/.*"reach": \([0-9]*\) reach rings left out.*/\1/p' "$OUT/err_png.txt")
check "reach rings left out: $((rings - drawn)) of the $rings distinct rings (warning: ${left:-none})" \
    test "${left:-x}" = "$((rings - drawn))"
# The reach group of the SVG: at most 8 rings, none plausible (the
# rings.style colours every verdict alike, so read the dash: plausible
# rings are solid).
npaths=$(sed -n '/<g id="reach">/,/^<\/g>/p' "$OUT/op.svg" | grep -c '<path ')
solid=$(sed -n '/<g id="reach">/,/^<\/g>/p' "$OUT/op.svg" | grep '<path ' | grep -vc 'stroke-dasharray')
check "1 to $drawn rings drawn ($npaths), none of them solid (plausible) ($solid)" \
    test "$npaths" -ge 1 -a "$npaths" -le "$drawn" -a "$solid" -eq 0

# Bundles: every decided pair's line is in a bundle, drawn or counted, and
# the bundles are the distinct fix positions and verdicts.
read -r p_drawn b_drawn < <(sed -n 's/.*lines of \([0-9]*\) pairs are drawn as \([0-9]*\) bundles.*/\1 \2/p' \
    "$OUT/err_png.txt")
read -r b_left p_left < <(sed -n 's/.*"verdicts": \([0-9]*\) more bundles (the lines of \([0-9]*\) pairs).*/\1 \2/p' \
    "$OUT/err_png.txt")
check "bundled pairs: ${p_drawn:-?} drawn + ${p_left:-0} left out = $decided decided" \
    test "$((${p_drawn:-0} + ${p_left:-0}))" -eq "$decided"
check "bundles: ${b_drawn:-?} drawn + ${b_left:-0} left out = $bundles distinct" \
    test "$((${b_drawn:-0} + ${b_left:-0}))" -eq "$bundles"

# The rings drawn are those 8, each around its fix: geod's points at its
# reach, in 16 directions, are on it (dashed: two thirds of those on the
# image at least); 10 % inside and outside mostly are not. The first three rings
# with three or more of the points on the image are judged; all points are
# read in three gdallocationinfo runs.
AZ=(0 22.5 45 67.5 90 112.5 135 157.5 180 202.5 225 247.5 270 292.5 315 337.5)
mapfile -t RINGS < <(tail -n +2 "$OUT/expect.txt")
ON=()
for r in "${RINGS[@]}"; do
    read -r wlon wlat wreach <<<"$r"
    mapfile -t -O "${#ON[@]}" ON < <(for az in "${AZ[@]}"; do echo "$az $wreach"; done |
        geod_points "$wlon" "$wlat")
done
# shellcheck disable=SC2068
probe "$OUT/op.png" -wgs84 ${ON[@]}
JUDGE=() on=() OFF=()
for k in "${!RINGS[@]}"; do
    pts=()
    for ((i = 16 * k; i < 16 * (k + 1); i++)); do
        read -r lon lat <<<"${ON[i]}"
        [ -n "$(rgb_at "$OUT/op.png" "$lon" "$lat")" ] && pts+=("$lon" "$lat")
    done
    [ ${#pts[@]} -ge 6 ] && [ ${#JUDGE[@]} -lt 3 ] || continue
    JUDGE+=("$k")
    on+=("${pts[@]}")
    read -r wlon wlat wreach <<<"${RINGS[k]}"
    mapfile -t -O "${#OFF[@]}" OFF < <(for az in "${AZ[@]}"; do
        for f in 0.9 1.1; do echo "$az $(awk -v r="$wreach" -v f="$f" 'BEGIN { print r * f }')"; done
    done | geod_points "$wlon" "$wlat")
done
# shellcheck disable=SC2068
probe "$OUT/op.png" -wgs84 ${OFF[@]}
probe_near "$OUT/op.png" 2 "${on[@]}"
judged=0
for k in "${JUDGE[@]}"; do
    on_img=0 hits=0
    for ((i = 16 * k; i < 16 * (k + 1); i++)); do
        read -r lon lat <<<"${ON[i]}"
        [ -n "$(rgb_at "$OUT/op.png" "$lon" "$lat")" ] || continue
        on_img=$((on_img + 1))
        near_colour "$OUT/op.png" "$lon" "$lat" 0 255 0 60 2 && hits=$((hits + 1))
    done
    judged=$((judged + 1))
    check "the ring ${RINGS[k]} (lon lat km) passes through geod's points: $hits of $on_img" \
        test "$((3 * hits))" -ge "$((2 * on_img))"
done
off_img=0 off_hits=0
for p in "${OFF[@]}"; do
    read -r lon lat <<<"$p"
    got=$(rgb_at "$OUT/op.png" "$lon" "$lat")
    [ -n "$got" ] || continue
    off_img=$((off_img + 1))
    is_colour "$got" 0 255 0 60 && off_hits=$((off_hits + 1))
done
check "rings judged against geod ($judged)" test "$judged" -ge 1
check "and not 10 % inside or outside: $off_hits of $off_img" test "$((4 * off_hits))" -le "$off_img"

# ---- one ring shared by 30 pairs: drawn ----------------------------------
# 30 strikes at 11:00 attributed to the TESTJET fix at 20E 10N at 10:00:
# every pair has the same ring (600 km, plausible: the strikes 260 to 450
# km away, within cruise reach, and not so near that the ring is the thin
# one of an easy reach). One ring is
# readable: it is drawn, and nothing is left out (counting pairs, not
# rings, took this map for a crowd of 30 rings and left the ring out).
python3 - "$OUT/shared.geojson" <<'EOF'
import json, sys
f = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.0, 10.0]},
      "properties": {"kind": "aircraft", "id": "a1", "type": "TESTJET",
                     "time": "2020-01-01T10:00:00Z", "claimed_by": "Test"}}]
for i in range(30):
    f.append({"type": "Feature",
              "geometry": {"type": "Point",
                           "coordinates": [22.4 + (i % 6) * 0.3, 10.0 + (i // 6) * 0.25]},
              "properties": {"kind": "strike", "id": "s%d" % i, "time": "2020-01-01T11:00:00Z",
                             "attributed_to": "a1", "claimed_by": "Test"}})
json.dump({"type": "FeatureCollection", "features": f}, open(sys.argv[1], "w"))
EOF
"$BIN" render "${TABLES[@]}" "$OUT/shared.geojson" --bbox 12,0,29,20 --style "$DATA/rings.style" \
    --no-labels --no-places --no-legend --no-inset -o "$OUT/shared.png" 2>"$OUT/err_shared.txt"
check "render the shared ring: $(tail -1 "$OUT/err_shared.txt")" test -s "$OUT/shared.png"
check "no reach ring left out" bash -c "! grep -q 'reach rings left out' '$OUT/err_shared.txt'"
mapfile -t RING < <(for az in 0 90 180 270; do echo "$az 600"; done | geod_points 20 10)
# shellcheck disable=SC2068
probe "$OUT/shared.png" -wgs84 ${RING[@]}
# shellcheck disable=SC2068
probe_near "$OUT/shared.png" 1 ${RING[@]}
for p in "${RING[@]}"; do
    read -r lon lat <<<"$p"
    check "the shared ring passes through geod's point 600 km away ($lon $lat)" \
        near_colour "$OUT/shared.png" "$lon" "$lat" 0 255 0 60 1
done
finish
