#!/usr/bin/env bash
# Render benchmark (SPEC §7): the same workload drawn by strikemap, by GMT
# and by MapServer's map2img, on this machine, in one run: median wall time
# and peak memory (/usr/bin/time -v) of each, and the ratios. Writes the
# "## render" section of bench/README.md.
#
#   bench/render/run.sh [--runs N] [--strikes N[,N...]] [--no-readme]
#
# --strikes takes one size or several (default 100000,1000000, the sizes
# of issue 12's acceptance): every size's workload is made first, then each
# round runs every tool at every size, so that all the figures of the table
# come from one run under the same load.
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
RUNS=3
STRIKES=100000,1000000
README=1
while [ $# -gt 0 ]; do
    case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --strikes) STRIKES=$2; shift 2 ;;
    --no-readme) README=0; shift ;;
    *) echo "usage: $0 [--runs N] [--strikes N[,N...]] [--no-readme]" >&2; exit 2 ;;
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
# One folder a size: the workload, the extent strikemap chooses handed to
# the peers, MapServer's mapfile and GMT's script.
# (--no-clusters: every strike its own circle, as the peers draw them;
# strikemap's default merges strikes that would overlap into counted
# clusters, drawn as vectors with Pango counts)
SM_SAME_ARGS=(--no-places --no-coast --no-labels --no-graticule --no-legend --no-inset --no-title
      --no-attribution --no-scalebar --no-north --no-uncertainty --no-clusters --no-country-names)
setup_size() { # N: makes $WORK/N
    local n=$1 dir=$WORK/$1
    mkdir -p "$dir/out"
    (
    cd "$dir"
    echo "run.sh: generating the workload ($n strikes)" >&2
    python3 "$HERE/gen.py" "$dir" --strikes "$n"
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
    SAME=("${SM_SAME_ARGS[@]}")
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
  SHAPEPATH "$dir"
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
cd "$dir"
export GMT_SESSION_NAME=bench\$\$
gmt begin out/gmt png E300
gmt set MAP_FRAME_PEN 0p
gmt basemap -R$LLX/$LLY/$URX/$URY+r -JS$LON0/$LAT0/13.3333i -B+n+g#d5e5ef
gmt plot countries.gmt -G#eeebe4 -W0.25p,#8e8a82
gmt plot tracks.gmt -W0.8p,#1f3a5f
gmt plot strikes.txt -Sc0.035c -G#c2185b -W0.1p,white
gmt end
EOF
    )
}
IFS=, read -r -a SIZES <<<"$STRIKES"
for n in "${SIZES[@]}"; do
    setup_size "$n"
done

# ---- timing -------------------------------------------------------------------
# Runs are interleaved (one run of every tool at every size, then the next
# round), so that a change in the machine's load touches every tool alike.
# Each run records "wall_seconds cpu_seconds peak_kilobytes" in
# N/NAME.runs.
TOOLS=(sm_same sm_full)
declare -A LABEL=([sm_same]="strikemap, same layers as the peers"
                  [sm_full]="strikemap, full map (default)"
                  [mapserver]="MapServer map2img (AGG)"
                  [gmt]="GMT (plot; PNG through Ghostscript)")
MISSING=()
if command -v map2img >/dev/null; then
    TOOLS+=(mapserver)
else
    MISSING+=("MapServer map2img: not installed (Debian package mapserver-bin)")
fi
if command -v gmt >/dev/null && command -v gs >/dev/null; then
    TOOLS+=(gmt)
else
    MISSING+=("GMT: not installed (Debian packages gmt, ghostscript)")
fi
tool_cmd() { # TOOL N: the command line, run by bash in $WORK/N
    local sm_args=(--no-position-check strikes.shp tracks.gpkg --size 4000x3000
                   --bbox 35.3,32.2,42.5,37.4) c
    case $1 in
    sm_same) printf -v c '%q ' "$BIN" render "${sm_args[@]}" "${SM_SAME_ARGS[@]}" \
                 -o out/strikemap_same.png ;;
    sm_full) printf -v c '%q ' "$BIN" render "${sm_args[@]}" -o out/strikemap_full.png ;;
    mapserver) c="map2img -m bench.map -o '$WORK/$2/out/mapserver.png'" ;;
    gmt) c="bash gmt.sh" ;;
    esac
    echo "$c"
}
for n in "${SIZES[@]}"; do
    for t in "${TOOLS[@]}"; do : >"$WORK/$n/$t.runs"; done
done

echo "run.sh: $RUNS rounds of ${#TOOLS[@]} tools at ${#SIZES[@]} sizes" >&2
for ((r = 0; r < RUNS; r++)); do
    for n in "${SIZES[@]}"; do
        for t in "${TOOLS[@]}"; do
            f=$WORK/$n/$t
            if ! (cd "$WORK/$n" && "$TIME" -v -o "$f.time" bash -c "$(tool_cmd "$t" "$n")" \
                      >"$f.log" 2>&1); then
                echo "run.sh: ${LABEL[$t]} failed at $n strikes; see $f.log" >&2
                exit 1
            fi
            awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                                                  for (i = 1; i <= n; i++) s = s * 60 + t[i] }
                        /User time/ { u = $2 } /System time/ { y = $2 }
                        /Maximum resident set size/ { kb = $2 }
                        END { print s, u + y, kb }' "$f.time" >>"$f.runs"
        done
    done
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
declare -A WALL CPUT PEAK
for n in "${SIZES[@]}"; do
    for t in "${TOOLS[@]}"; do
        f=$WORK/$n/$t.runs
        WALL[$n,$t]=$(cut -d' ' -f1 "$f" | median)
        CPUT[$n,$t]=$(cut -d' ' -f2 "$f" | median)
        PEAK[$n,$t]=$(cut -d' ' -f3 "$f" | median)
        echo "run.sh: $n strikes, ${LABEL[$t]}: median ${WALL[$n,$t]} s wall," \
            "${CPUT[$n,$t]} s CPU, $((${PEAK[$n,$t]} / 1024)) MB peak" >&2
    done
done

# ---- report ---------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == 0) print "–"; else printf "%.2f×", b / a }'; }
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
NCPU=$(nproc)
MEMT=$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
thousands() { sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$1"; }
{
    echo "## render"
    echo
    echo "The workload of SPEC §8: Natural Earth 1:10m countries (\`shapefiles/countries.shp\`),"
    echo "N strikes and 100 tracks of 100 fixes around Syria (\`bench/render/gen.py\`, seeded),"
    echo "to a 4000 × 3000 PNG, every tool in strikemap's projection and extent with the"
    echo "countries filled and outlined, the tracks as lines and the strikes as small circles."
    echo "Measured by \`bench/render/run.sh --strikes $STRIKES --runs $RUNS\` on $(date -u +%Y-%m-%d):"
    echo "$CPU, $NCPU cores, $MEMT; $RUNS interleaved rounds (each round runs every tool at"
    echo "every size), medians; peak memory is the maximum resident set size from"
    echo "\`/usr/bin/time -v\` (for GMT, its largest process). Load average at the end:"
    echo "$LOAD (the machine was shared)."
    echo
    echo "| strikes | tool | wall time | CPU time | peak memory | vs strikemap: wall | memory |"
    echo "|---:|---|---:|---:|---:|---:|---:|"
    for n in "${SIZES[@]}"; do
        for t in "${TOOLS[@]}"; do
            printf '| %s | %s | %.2f s | %.2f s | %d MB | %s | %s |\n' \
                "$(thousands "$n")" "${LABEL[$t]}" "${WALL[$n,$t]}" \
                "${CPUT[$n,$t]}" "$((${PEAK[$n,$t]} / 1024))" \
                "$(ratio "${WALL[$n,sm_same]}" "${WALL[$n,$t]}")" \
                "$(ratio "${PEAK[$n,sm_same]}" "${PEAK[$n,$t]}")"
        done
        for x in "${MISSING[@]}"; do
            echo "| $n | $x | – | – | – | – | – |"
        done
    done
    echo
    echo "\"vs strikemap\" is the tool's figure over strikemap's with the same layers"
    echo "(above 1×: strikemap is faster, or needs less memory). strikemap draws the PNG in"
    echo "bands on two threads, so its CPU time can exceed its wall time; MapServer and"
    echo "GMT each run on one core."
    echo
    echo "Issue 12's targets, from this table (strikemap with the same layers):"
    echo
    for n in "${SIZES[@]}"; do
        [ -n "${WALL[$n,mapserver]:-}" ] && [ -n "${WALL[$n,gmt]:-}" ] || continue
        sp=$(awk -v a="${WALL[$n,sm_same]}" -v b="${WALL[$n,mapserver]}" 'BEGIN { printf "%.2f", b / a }')
        fast=$(awk -v x="$sp" 'BEGIN { print (x >= 3) ? "met" : "not met" }')
        mem=$( [ "${PEAK[$n,sm_same]}" -lt "${PEAK[$n,gmt]}" ] && echo "met" || echo "not met")
        echo "- $(thousands "$n") strikes: ${sp}× map2img's speed (3× wanted: $fast);" \
            "$((${PEAK[$n,sm_same]} / 1024)) MB against GMT's $((${PEAK[$n,gmt]} / 1024)) MB (less wanted: $mem)."
    done
    if [ -f "$HERE/notes.md" ]; then
        echo
        cat "$HERE/notes.md"
    fi
    echo
    echo "The outputs of the last round are in \`bench/work/render/N/out/\`."
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
