#!/usr/bin/env bash
# The PNG read back through GDAL: gdalinfo shows a geotransform and the
# CRS; the pixel at a strike's lon/lat (gdallocationinfo -wgs84, i.e. the
# world file and the .aux.xml CRS) is the strike marker's colour; and the
# reach ring of a fix passes through the points R away from it that PROJ's
# geod computes, in eight directions, in several CRSs.
source "$(dirname "$0")/lib.sh"

# ring.geojson: TESTJET fix at 20E 10N at 10:00, a confirmed strike at
# 23E 10.5N at 11:00 attributed to it: reach R = 600 km/h x 1 h = 600 km,
# the strike about 330 km off (plausible: the ring is drawn, not fitted, so
# --bbox shows all of it).
R=600
COMMON=("${TABLES[@]}" "$DATA/ring.geojson" --bbox 12,0,29,20 --style "$DATA/rings.style"
        --no-labels --no-places --no-legend --no-inset)

AZ=(0 45 90 135 180 225 270 315)
FR=(0.95 1.05)
# geod's points, all at once: on the ring, and 5 % inside and outside it
mapfile -t RING < <(for az in "${AZ[@]}"; do echo "$az $R"; done | geod_points 20 10)
mapfile -t OFF < <(for az in "${AZ[@]}"; do
    for f in 0.95 1.05; do echo "$az $(awk -v r="$R" -v f="$f" 'BEGIN { print r * f }')"; done
done | geod_points 20 10)

for crs in default EPSG:3857 EPSG:4326 EPSG:32634; do
    tag=${crs//:/_}
    png=$OUT/ring_$tag.png
    args=()
    [ "$crs" = default ] || args=(--crs "$crs")
    if ! "$BIN" render "${COMMON[@]}" "${args[@]}" -o "$png" 2>"$OUT/err_$tag.txt"; then
        fail "$crs: render failed: $(cat "$OUT/err_$tag.txt")"
        continue
    fi
    info=$(gdalinfo "$png" 2>&1)
    check "$crs: gdalinfo shows a geotransform" grep -q '^Origin = (' <<<"$info"
    check "$crs: gdalinfo shows a pixel size" grep -q '^Pixel Size = (' <<<"$info"
    check "$crs: gdalinfo shows the CRS" grep -Eq '^(PROJCRS|GEOGCRS)\[' <<<"$info"
    check "$crs: world file written" test -s "${png%.png}.pgw"
    case $crs in
    default) check "default CRS is the oblique stereographic" grep -q 'Oblique Stereographic' <<<"$info" ;;
    EPSG:3857) check "3857 named" grep -q 'Pseudo-Mercator' <<<"$info" ;;
    EPSG:4326) check "4326 named" grep -q 'WGS 84' <<<"$info" ;;
    esac

    # every pixel this image is asked for, in two gdallocationinfo runs
    # shellcheck disable=SC2068
    probe "$png" -wgs84 23.0 10.5 20.0 10.0 ${RING[@]} ${OFF[@]}
    # shellcheck disable=SC2068
    probe_near "$png" 1 ${RING[@]}

    got=$(rgb_at "$png" 23.0 10.5)
    check "$crs: pixel at the strike (23E 10.5N) is the strike colour, got '$got'" \
        is_colour "$got" 255 0 255 12

    for i in "${!AZ[@]}"; do
        az=${AZ[i]}
        read -r lon lat <<<"${RING[i]}"
        check "$crs: ring passes through geod's point $R km at azimuth $az ($lon $lat)" \
            near_colour "$png" "$lon" "$lat" 0 255 0 60 1
        # and only there: 5 % inside and outside is not the ring
        for j in 0 1; do
            read -r lon lat <<<"${OFF[2 * i + j]}"
            got=$(rgb_at "$png" "$lon" "$lat")
            if is_colour "$got" 0 255 0 60; then
                fail "$crs: ring colour at $lon $lat (${FR[j]} R), azimuth $az"
            else
                ok
            fi
        done
    done
done

# The fix itself is drawn where it is: the pixel at 20E 10N is the
# aircraft's colour (dark navy, from the default style).
got=$(rgb_at "$OUT/ring_default.png" 20.0 10.0)
check "pixel at the fix is the aircraft colour, got '$got'" is_colour "$got" 31 58 95 30

finish
