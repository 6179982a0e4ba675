# lib.sh: what the map CLI tests share. Sourced with $1 the strikemap
# binary, $2 the source tree, $3 a folder for output, $4 the image differ.
set -u
BIN=$1
SRC=$2
OUT=$3
IMGDIFF=${4:-}
DATA=$SRC/tests/map/data
FAILS=0
CHECKS=0
rm -rf "$OUT"
mkdir -p "$OUT"
export LC_ALL=C.UTF-8

for tool in gdalinfo gdallocationinfo geod rsvg-convert pdftoppm cmp; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "FAIL: '$tool' not found (the map tests need gdal-bin, proj-bin, librsvg2-bin, poppler-utils)" >&2
        exit 1
    }
done

# The test aircraft table: TESTJET flies 600 km/h with a weapon of no range,
# so an hour gives a reach of exactly 600 km.
TABLES=(--aircraft "$DATA/aircraft.csv" --weapons "$DATA/weapons.csv" --no-position-check)

ok() { CHECKS=$((CHECKS + 1)); }
fail() {
    CHECKS=$((CHECKS + 1))
    FAILS=$((FAILS + 1))
    echo "FAIL: $*" >&2
}
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then ok; else fail "$what"; fi
}
finish() {
    echo "$(basename "$0"): $CHECKS checks, $FAILS failed" >&2
    [ "$FAILS" -eq 0 ]
    exit $?
}

# Pixel probes are batched: starting gdallocationinfo costs far more than
# reading a pixel, and it reads any number of points from stdin. probe FILE
# [-wgs84] X Y [X Y...] reads all the points (lon/lat with -wgs84, else
# pixel/line) in one run and keeps, for each, "r g b" in PROBE_RGB and
# "pixel line" in PROBE_PIX under the key "FILE|X Y" (the X and Y strings
# as given); a point off the image keeps "". rgb_at and pixel_of answer
# from these first, and run gdallocationinfo for a point not probed.
declare -A PROBE_RGB PROBE_PIX
probe() {
    local f=$1 geo=
    shift
    if [ "${1:-}" = -wgs84 ]; then
        geo=-wgs84
        shift
    fi
    local pts=()
    while [ $# -ge 2 ]; do
        pts+=("$1 $2")
        shift 2
    done
    [ ${#pts[@]} -gt 0 ] || return 0
    local i=0 px ln rgb
    while read -r px ln rgb; do
        PROBE_PIX["$f|$geo|${pts[i]}"]="$px $ln"
        PROBE_RGB["$f|$geo|${pts[i]}"]="$rgb"
        i=$((i + 1))
    done < <(printf '%s\n' "${pts[@]}" | gdallocationinfo $geo -xml "$f" 2>/dev/null | awk '
        /<Report/ {
            match($0, /pixel="-?[0-9]+"/); px = substr($0, RSTART + 7, RLENGTH - 8)
            match($0, /line="-?[0-9]+"/); ln = substr($0, RSTART + 6, RLENGTH - 7)
            n = 0; off = 0
        }
        /<Alert>/ { off = 1 }
        /<Value>/ { v = $0; gsub(/.*<Value>|<\/Value>.*/, "", v); val[n++] = v }
        /<\/Report>/ { print px, ln, (off || n < 3) ? "" : val[0] " " val[1] " " val[2] }')
}

# "r g b" of the pixel at lon/lat (WGS84), through the PNG's own
# georeferencing (world file + .aux.xml CRS).
rgb_at() {
    local k="$1|-wgs84|$2 $3"
    if [ -n "${PROBE_RGB[$k]+x}" ]; then
        echo "${PROBE_RGB[$k]}"
        return
    fi
    gdallocationinfo -wgs84 -valonly "$1" "$2" "$3" | tr '\n' ' ' | sed 's/ *$//'
}

# pixel and line of a lon/lat
pixel_of() {
    local k="$1|-wgs84|$2 $3"
    if [ -n "${PROBE_PIX[$k]+x}" ]; then
        echo "${PROBE_PIX[$k]}"
        return
    fi
    gdallocationinfo -wgs84 -xml "$1" "$2" "$3" |
        sed -n 's/.*pixel="\([0-9-]*\)" line="\([0-9-]*\)".*/\1 \2/p'
}

# probe_near FILE RADIUS LON LAT [LON LAT...]: the pixels within RADIUS
# of each lon/lat (already probed with -wgs84), in one run, for near_colour.
probe_near() {
    local f=$1 rad=$2
    shift 2
    local px=()
    while [ $# -ge 2 ]; do
        local pl
        pl=$(pixel_of "$f" "$1" "$2")
        shift 2
        [ -n "$pl" ] || continue
        local x=${pl% *} y=${pl#* } dx dy
        for ((dy = -rad; dy <= rad; dy++)); do
            for ((dx = -rad; dx <= rad; dx++)); do
                px+=("$((x + dx))" "$((y + dy))")
            done
        done
    done
    probe "$f" "${px[@]}"
}

# near_colour FILE LON LAT R G B TOL RADIUS: some pixel within RADIUS
# pixels of lon/lat has every channel within TOL of R G B.
near_colour() {
    local f=$1 lon=$2 lat=$3 r=$4 g=$5 b=$6 tol=$7 rad=$8
    local pl
    pl=$(pixel_of "$f" "$lon" "$lat")
    [ -n "$pl" ] || return 1
    local px=${pl% *} py=${pl#* }
    local dx dy
    for ((dy = -rad; dy <= rad; dy++)); do
        for ((dx = -rad; dx <= rad; dx++)); do
            local k="$f||$((px + dx)) $((py + dy))"
            if [ -n "${PROBE_RGB[$k]+x}" ]; then
                echo "${PROBE_RGB[$k]}"
            else
                echo "$((px + dx)) $((py + dy))" | gdallocationinfo -valonly "$f" 2>/dev/null |
                    paste - - -
            fi
        done
    done |
        awk -v r="$r" -v g="$g" -v b="$b" -v t="$tol" '
            function abs(x) { return x < 0 ? -x : x }
            abs($1 - r) <= t && abs($2 - g) <= t && abs($3 - b) <= t { found = 1 }
            END { exit found ? 0 : 1 }'
}

# is_colour "R G B" R G B TOL
is_colour() {
    echo "$1" | awk -v r="$2" -v g="$3" -v b="$4" -v t="$5" '
        function abs(x) { return x < 0 ? -x : x }
        { exit (NF == 3 && abs($1 - r) <= t && abs($2 - g) <= t && abs($3 - b) <= t) ? 0 : 1 }'
}

# geod_point LON LAT AZIMUTH DIST_KM: "lon lat" of the point reached, by
# PROJ's geod (an independent oracle for the ring).
# geod_points LON LAT: "lon lat" of the points reached from LON LAT for each
# "AZIMUTH DIST_KM" line on stdin, in one geod run.
geod_points() {
    awk -v lat="$2" -v lon="$1" '{ printf "%s %s %s %.3f\n", lat, lon, $1, $2 * 1000 }' |
        geod +ellps=WGS84 -f "%.10f" | awk '{ print $2, $1 }'
}

geod_point() {
    echo "$2 $1 $3 $(awk -v d="$4" 'BEGIN { printf "%.3f", d * 1000 }')" |
        geod +ellps=WGS84 -f "%.10f" | awk '{ print $2, $1 }'
}
