#!/usr/bin/env bash
# Render benchmark (SPEC §7): the same workload drawn by strikemap, by GMT
# and by MapServer's map2img, on this machine, in one run: median wall time
# and peak memory (/usr/bin/time -v) of each, and the ratios. Writes the
# "## render" section of bench/README.md.
#
#   bench/render/run.sh [--runs N] [--strikes N] [--no-readme]
#
# Workload (gen.py, seeded): Natural Earth 1:10m country polygons
# (shapefiles/countries.shp, all 254 of them, clipped by each tool to the
# extent), 100,000 strikes and 100 tracks of 100 fixes around Syria, to a
# 4000 x 3000 PNG. Every tool draws the countries filled with their borders,
# the tracks as lines and the strikes as small filled circles, in the same
# projection (strikemap's oblique stereographic for the area) and extent.
# strikemap is timed twice: with only those layers, and as it draws by
# default (also coastline, places with names, graticule, legend, inset
# globe, scale bar, north arrow, title, attribution, labels). Its time
# includes reading and checking the claim files (OGR) and writing the
# world file and .aux.xml; the peers read ready-made shapefiles (MapServer)
# and GMT text files.
#
# Needs: gdal-bin, gmt, ghostscript (GMT's PNG), mapserver-bin, python3,
# GNU time (/usr/bin/time). Peers that are missing are reported as such.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUNS=5
STRIKES=100000
README=1
while [ $# -gt 0 ]; do
    case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --strikes) STRIKES=$2; shift 2 ;;
    --no-readme) README=0; shift ;;
    *) echo "usage: $0 [--runs N] [--strikes N] [--no-readme]" >&2; exit 2 ;;
    esac
done
BIN=${STRIKEMAP:-}
if [ -z "$BIN" ]; then
    for b in "$ROOT/build/strikemap" "$ROOT/build-bench/strikemap"; do
        [ -x "$b" ] && BIN=$b && break
    done
fi
if [ -z "$BIN" ]; then
    echo "run.sh: building strikemap in build-bench" >&2
    cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release -DSM_BUILD_TESTS=OFF >/dev/null
    cmake --build "$ROOT/build-bench" -j"$(nproc)" >/dev/null
    BIN=$ROOT/build-bench/strikemap
fi
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "run.sh: needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 1; }
WORK=$ROOT/bench/work/render
rm -rf "$WORK"
mkdir -p "$WORK/out"
cd "$WORK"
export LC_ALL=C

# ---- data -------------------------------------------------------------------
echo "run.sh: generating the workload ($STRIKES strikes)" >&2
python3 "$HERE/gen.py" "$WORK" --strikes "$STRIKES"
# strikemap reads claim files: strikes as a shapefile (as MapServer does),
# tracks as a GeoPackage (their "times" list does not fit a .dbf field).
ogr2ogr -f "ESRI Shapefile" strikes.shp strikes.csv -oo X_POSSIBLE_NAMES=lon \
    -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326 -lco ENCODING=UTF-8
ogr2ogr -f GPKG tracks.gpkg tracks.csv -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO \
    -nlt LINESTRING -a_srs EPSG:4326 -nln tracks
ogr2ogr -f "ESRI Shapefile" tracklines.shp tracks.gpkg -select id
cp "$ROOT"/shapefiles/countries.{shp,shx,dbf,prj,cpg} .
# GMT's own text formats
ogr2ogr -f OGR_GMT countries.gmt countries.shp
ogr2ogr -f OGR_GMT tracks.gmt tracklines.shp
tail -n +2 strikes.csv | cut -d, -f1,2 | tr , ' ' >strikes.txt

SM_ARGS=(--no-position-check strikes.shp tracks.gpkg --size 4000x3000 --bbox 35.3,32.2,42.5,37.4)
SAME=(--no-places --no-coast --no-labels --no-graticule --no-legend --no-inset --no-title
      --no-attribution --no-scalebar --no-north --no-uncertainty)

# The extent strikemap chooses, handed to the peers: its world file gives
# the projected corners of the whole image, its CRS the projection.
"$BIN" render "${SM_ARGS[@]}" "${SAME[@]}" -o out/probe.png 2>/dev/null
read -r A D B E C F < <(tr '\n' ' ' <out/probe.pgw; echo)
X0=$(awk -v c="$C" -v a="$A" 'BEGIN { printf "%.3f", c - a / 2 }')
Y1=$(awk -v f="$F" -v e="$E" 'BEGIN { printf "%.3f", f - e / 2 }')
X1=$(awk -v x="$X0" -v a="$A" 'BEGIN { printf "%.3f", x + 4000 * a }')
Y0=$(awk -v y="$Y1" -v e="$E" 'BEGIN { printf "%.3f", y + 3000 * e }')
PROJ4=$(gdalsrsinfo -o proj4 out/probe.png | tr -d "'" | grep '+proj' | sed 's/^ *//; s/ *$//')
LAT0=$(sed -n 's/.*+lat_0=\([-0-9.]*\).*/\1/p' <<<"$PROJ4")
LON0=$(sed -n 's/.*+lon_0=\([-0-9.]*\).*/\1/p' <<<"$PROJ4")
# lon/lat of the lower-left and upper-right corners, for GMT's -R...+r
# (gdaltransform writes lon, lat: GDAL's traditional GIS order)
read -r LLX LLY _ < <(echo "$X0 $Y0" | gdaltransform -s_srs "$PROJ4" -t_srs EPSG:4326)
read -r URX URY _ < <(echo "$X1 $Y1" | gdaltransform -s_srs "$PROJ4" -t_srs EPSG:4326)

cat >bench.map <<EOF
MAP
  NAME "bench"
  SIZE 4000 3000
  EXTENT $X0 $Y0 $X1 $Y1
  UNITS METERS
  SHAPEPATH "$WORK"
  IMAGECOLOR 213 229 239
  IMAGETYPE "png"
  PROJECTION "$PROJ4" END
  OUTPUTFORMAT
    NAME "png"
    DRIVER AGG/PNG
    MIMETYPE "image/png"
    IMAGEMODE RGB
    EXTENSION "png"
    FORMATOPTION "COMPRESSION=1"
  END
  SYMBOL NAME "circle" TYPE ELLIPSE FILLED TRUE POINTS 1 1 END END
  LAYER
    NAME "countries" TYPE POLYGON STATUS DEFAULT DATA "countries"
    PROJECTION "+proj=longlat +datum=WGS84 +no_defs" END
    CLASS STYLE COLOR 238 235 228 OUTLINECOLOR 142 138 130 WIDTH 1.5 END END
  END
  LAYER
    NAME "tracks" TYPE LINE STATUS DEFAULT DATA "tracklines"
    PROJECTION "+proj=longlat +datum=WGS84 +no_defs" END
    CLASS STYLE COLOR 31 58 95 WIDTH 3.3 END END
  END
  LAYER
    NAME "strikes" TYPE POINT STATUS DEFAULT DATA "strikes"
    PROJECTION "+proj=longlat +datum=WGS84 +no_defs" END
    CLASS STYLE SYMBOL "circle" SIZE 8 COLOR 194 24 91 OUTLINECOLOR 255 255 255 WIDTH 1 END END
  END
END
EOF

cat >gmt.sh <<EOF
set -e
cd "$WORK"
export GMT_SESSION_NAME=bench\$\$
gmt begin out/gmt png E300
gmt set MAP_FRAME_PEN 0p
gmt basemap -R$LLX/$LLY/$URX/$URY+r -JS$LON0/$LAT0/13.3333i -B+n+g#d5e5ef
gmt plot countries.gmt -G#eeebe4 -W0.25p,#8e8a82
gmt plot tracks.gmt -W0.8p,#1f3a5f
gmt plot strikes.txt -Sc0.035c -G#c2185b -W0.1p,white
gmt end
EOF

# ---- timing -------------------------------------------------------------------
# Runs are interleaved (one run of every tool, then the next round), so that
# a change in the machine's load touches every tool alike. Each run records
# "wall_seconds cpu_seconds peak_kilobytes" in NAME.runs.
NAMES=()
LABELS=()
CMDS=()
add_tool() { # NAME LABEL COMMAND (one string, run by bash)
    NAMES+=("$1")
    LABELS+=("$2")
    CMDS+=("$3")
    : >"$1.runs"
}
printf -v SM_SAME '%q ' "$BIN" render "${SM_ARGS[@]}" "${SAME[@]}" -o out/strikemap_same.png
printf -v SM_FULL '%q ' "$BIN" render "${SM_ARGS[@]}" -o out/strikemap_full.png
add_tool sm_same "strikemap, same layers as the peers" "$SM_SAME"
add_tool sm_full "strikemap, full map (default)" "$SM_FULL"
MISSING=()
if command -v map2img >/dev/null; then
    add_tool mapserver "MapServer map2img (AGG)" "map2img -m bench.map -o '$WORK/out/mapserver.png'"
else
    MISSING+=("MapServer map2img: not installed (Debian package mapserver-bin)")
fi
if command -v gmt >/dev/null && command -v gs >/dev/null; then
    add_tool gmt "GMT (plot; PNG through Ghostscript)" "bash gmt.sh"
else
    MISSING+=("GMT: not installed (Debian packages gmt, ghostscript)")
fi

echo "run.sh: $RUNS rounds of ${#NAMES[@]} tools" >&2
for ((r = 0; r < RUNS; r++)); do
    for i in "${!NAMES[@]}"; do
        name=${NAMES[$i]}
        if ! "$TIME" -v -o "$name.time" bash -c "${CMDS[$i]}" >"$name.log" 2>&1; then
            echo "run.sh: ${LABELS[$i]} failed; see $WORK/$name.log" >&2
            exit 1
        fi
        awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                                              for (i = 1; i <= n; i++) s = s * 60 + t[i] }
                    /User time/ { u = $2 } /System time/ { y = $2 }
                    /Maximum resident set size/ { kb = $2 }
                    END { print s, u + y, kb }' "$name.time" >>"$name.runs"
    done
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
results=()
for i in "${!NAMES[@]}"; do
    name=${NAMES[$i]}
    t=$(cut -d' ' -f1 "$name.runs" | median)
    c=$(cut -d' ' -f2 "$name.runs" | median)
    m=$(cut -d' ' -f3 "$name.runs" | median)
    results+=("$name|${LABELS[$i]}|$t|$m|$c")
    echo "run.sh: ${LABELS[$i]}: median $t s wall, $c s CPU, $((m / 1024)) MB peak" >&2
done

# ---- report ---------------------------------------------------------------------
get() { # NAME FIELD(3 wall, 4 memory, 5 cpu)
    local r
    for r in "${results[@]}"; do
        [ "${r%%|*}" = "$1" ] && { cut -d'|' -f"$2" <<<"$r"; return; }
    done
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == 0) print "–"; else printf "%.2f×", b / a }'; }
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
NCPU=$(nproc)
MEMT=$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
st=$(get sm_same 3)
sm=$(get sm_same 4)
sc=$(get sm_same 5)
{
    echo "## render"
    echo
    echo "The workload of SPEC §7: Natural Earth 1:10m countries (\`shapefiles/countries.shp\`),"
    echo "$STRIKES strikes and 100 tracks of 100 fixes around Syria (\`bench/render/gen.py\`, seeded),"
    echo "to a 4000 × 3000 PNG, every tool in strikemap's projection and extent with the"
    echo "countries filled and outlined, the tracks as lines and the strikes as small circles."
    echo "Measured by \`bench/render/run.sh\` on $(date -u +%Y-%m-%d): $CPU, $NCPU cores, $MEMT,"
    echo "$RUNS interleaved rounds (one run of each tool a round), medians; peak memory is"
    echo "the maximum resident set size from \`/usr/bin/time -v\` (for GMT, its largest"
    echo "process). Load average at the end: $LOAD (the machine was shared)."
    echo
    echo "| tool | wall time | CPU time | peak memory | vs strikemap: wall | memory |"
    echo "|---|---:|---:|---:|---:|---:|"
    for r in "${results[@]}"; do
        IFS='|' read -r name label t m c <<<"$r"
        printf '| %s | %.2f s | %.2f s | %d MB | %s | %s |\n' "$label" "$t" "$c" "$((m / 1024))" \
            "$(ratio "$st" "$t")" "$(ratio "$sm" "$m")"
    done
    for x in "${MISSING[@]}"; do
        echo "| $x | – | – | – | – | – |"
    done
    echo
    echo "\"vs strikemap\" is the tool's figure over strikemap's with the same layers"
    echo "(above 1×: strikemap is faster, or needs less memory). strikemap draws the PNG in"
    echo "bands on two threads, so its CPU time can exceed its wall time; MapServer and"
    echo "GMT each run on one core."
    echo
    echo "What strikemap's figures include: reading and checking the claim files"
    echo "through OGR (\`strikemap validate\` on the same files alone takes about a third of"
    echo "the time and 80 MB), the geodesic check of the claims, the world file and"
    echo "\`.aux.xml\`. Of its peak memory, about 45 MB are the shared libraries (GDAL,"
    echo "PROJ, cairo, Pango) and about 30 MB the loaded claims; the map itself (markers,"
    echo "paths, labels, two 128-row bands of the image) about 10 MB. GMT's figure is"
    echo "that of one of its processes (\`gmt plot\` reading text files, or Ghostscript"
    echo "rasterising in bands), neither of which holds the claims or links GDAL's drivers."
    echo "The outputs of the last round are in \`bench/work/render/out/\`."
} >"$WORK/section.md"
cat "$WORK/section.md"

if [ "$README" = 1 ]; then
    # Replace (or add) the "## render" section, leaving the others alone.
    f=$ROOT/bench/README.md
    [ -f "$f" ] || printf '# Benchmarks\n' >"$f"
    awk -v sec="$WORK/section.md" '
        /^## / { if (in_render) in_render = 0 }
        /^## render[ \t]*$/ { in_render = 1; while ((getline l < sec) > 0) print l; print ""; done = 1; next }
        !in_render { print }
        END { if (!done) { print ""; while ((getline l < sec) > 0) print l } }' "$f" >"$f.tmp"
    mv "$f.tmp" "$f"
    echo "run.sh: wrote the render section of $f" >&2
fi
