#!/usr/bin/env bash
# Rings where maps go wrong: across the antimeridian (no stripe across the
# map, both halves drawn) and around a pole (the polar cap filled, not the
# rest of the world), in the default projection and in CRSs that tear at
# the antimeridian or turn the pole into a line. Fills are opaque green
# (fill.style), so any fill in the wrong place shows.
source "$(dirname "$0")/lib.sh"

# Markers are left out: on a world map a strike covers a few degrees.
NOT=(--no-labels --no-places --no-legend --no-inset --no-strikes --no-fixes --no-verdicts
     --no-uncertainty)

green() { is_colour "$1" 0 255 0 60; }

# ring_checks PNG LON LAT R: inside at 0.9 R green, outside at 1.1 R not,
# in eight directions (geod's points).
ring_checks() {
    local png=$1 lon0=$2 lat0=$3 r=$4 name=$5
    # geod's points, then the pixels there, each in one run; a point on the
    # 180th meridian is on the frame of a lon/lat world map
    local pts=() k=0
    mapfile -t pts < <(for az in 0 45 90 135 180 225 270 315; do
        for f in 0.9 1.1; do echo "$az $(awk -v r="$r" -v f="$f" 'BEGIN { print r * f }')"; done
    done | geod_points "$lon0" "$lat0" |
        awk '{ print ($1 > 179.5 ? 179.2 : ($1 < -179.5 ? -179.2 : $1)), $2 }')
    # shellcheck disable=SC2068
    probe "$png" -wgs84 ${pts[@]}
    for az in 0 45 90 135 180 225 270 315; do
        for f in 0.9 1.1; do
            local lon lat got
            read -r lon lat <<<"${pts[k]}"
            k=$((k + 1))
            got=$(rgb_at "$png" "$lon" "$lat")
            if [ "$f" = 0.9 ]; then
                check "$name: inside the ring at azimuth $az ($lon $lat) is filled, got '$got'" green "$got"
            elif green "$got"; then
                fail "$name: outside the ring at azimuth $az ($lon $lat) is filled"
            else
                ok
            fi
        done
    done
}

# not_filled PNG NAME LON LAT...
not_filled() {
    local png=$1 name=$2
    shift 2
    probe "$png" -wgs84 "$@"
    while [ $# -ge 2 ]; do
        local got
        got=$(rgb_at "$png" "$1" "$2")
        if green "$got"; then fail "$name: stripe: $1 $2 is filled"; else ok; fi
        shift 2
    done
}

# --- antimeridian: TESTJET fix at 179E 17S, a strike at 169W 16S (about
# 1,280 km off) an hour later: R = 600 km, the pair implausible, so its ring
# is filled; the ring spans about 173.4E to 175.4W.
AM=("${TABLES[@]}" "$DATA/antimeridian.geojson" --style "$DATA/fill.style" "${NOT[@]}")
for variant in world4326 local pacific3832; do
    png=$OUT/am_$variant.png
    case $variant in
    world4326) args=(--crs EPSG:4326 --bbox -180,-60,180,60) ;;
    local) args=(--bbox 170,-25,-170,-8) ;;
    pacific3832) args=(--crs EPSG:3832 --bbox 165,-30,-165,0) ;;
    esac
    if ! "$BIN" render "${AM[@]}" "${args[@]}" -o "$png" 2>"$OUT/err_am_$variant.txt"; then
        fail "antimeridian $variant: render failed: $(cat "$OUT/err_am_$variant.txt")"
        continue
    fi
    ring_checks "$png" 179 -17 600 "antimeridian $variant"
done
# A stripe would join the two halves across the whole map at 16-18S.
not_filled "$OUT/am_world4326.png" "antimeridian world4326" \
    0 -17 90 -17 -90 -17 45 -16 -45 -18 135 -17 -135 -17 -170 -30 170 -5
not_filled "$OUT/am_local.png" "antimeridian local" 171 -10 -171 -24 171 -24 -171 -10

# --- pole: TESTJET fix at 0E 85N, a strike at 90E 70N (about 1,770 km off)
# 100 minutes later: R = 1000 km, implausible (filled), more than the 557 km
# to the pole, so the ring holds the North Pole; over the pole it reaches
# 86N on the 180th meridian.
PO=("${TABLES[@]}" "$DATA/pole.geojson" --style "$DATA/fill.style" "${NOT[@]}")
for variant in world4326 local polar3413; do
    png=$OUT/pole_$variant.png
    case $variant in
    world4326) args=(--crs EPSG:4326 --bbox -180,40,180,90) ;;
    local) args=(--bbox -180,70,180,90) ;;
    polar3413) args=(--crs EPSG:3413 --bbox -180,70,180,90) ;;
    esac
    if ! "$BIN" render "${PO[@]}" "${args[@]}" -o "$png" 2>"$OUT/err_pole_$variant.txt"; then
        fail "pole $variant: render failed: $(cat "$OUT/err_pole_$variant.txt")"
        continue
    fi
    ring_checks "$png" 0 85 1000 "pole $variant"
    probe "$png" -wgs84 0 89.5 90 89.5 -90 89.5 179.2 87 -179 87 179 87
    for pt in "0 89.5" "90 89.5" "-90 89.5" "179.2 87" "-179 87" "179 87"; do
        got=$(rgb_at "$png" $pt)
        check "pole $variant: the cap is filled at $pt, got '$got'" green "$got"
    done
    not_filled "$png" "pole $variant" 179.2 84.5 0 72 90 75 -90 75
done
# The wrong cap (the rest of the world filled) would show far south.
not_filled "$OUT/pole_world4326.png" "pole world4326" 0 45 100 50 -100 50 170 60

finish
