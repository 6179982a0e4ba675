#!/usr/bin/env bash
# The map from streamed strikes (issue 12; SPEC §8): `render` reads the
# strikes as a stream by default, the map takes them in passes from a
# temporary file and keeps no array over them; `--in-memory` holds them
# whole. The same claims must give the same files, to the byte, both ways:
# clusters, labels, edge marks of flagged strikes, verdict lines and their
# bundles, rings, a selection (--strike, --where), every format. Past
# SM__SMARK_RUN markers the strike markers go to a scratch file in sorted
# runs; SM_MAP_MARK_RUN makes the runs small, so that a small map takes
# that path: any run size must give the map one run gives. The tracks
# measured and the strikes projected on a second thread give the same
# files as on one. A TMPDIR that
# cannot hold the strikes is an error naming it, and nothing is written.
source "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=0

EX=$SRC/examples/aleppo-2016.geojson
python3 "$SRC/tests/data/gen/city.py" 1000 "$OUT/city.geojson"
python3 "$SRC/tests/data/gen/city.py" 6000 "$OUT/city6k.geojson"
python3 "$SRC/bench/render/gen_operator.py" "$OUT/op" --strikes 2000 --tracks 40 --fixes 30 \
    >/dev/null
OP=("$OUT/op/strikes.csv" "$OUT/op/tracks.csv")

# both NAME EXT ARGS...: render streamed and held; the files (and a PNG's
# side files) must be the same bytes
both() {
    local name=$1 ext=$2
    shift 2
    local s="$OUT/$name.s.$ext" h="$OUT/$name.h.$ext" rs rh
    "$BIN" render "$@" -o "$s" 2>"$OUT/$name.s.err"
    rs=$?
    "$BIN" render --in-memory "$@" -o "$h" 2>"$OUT/$name.h.err"
    rh=$?
    if [ $rs -ne 0 ] || [ $rh -ne 0 ]; then
        fail "$name.$ext: exit $rs streamed, $rh held: $(tail -1 "$OUT/$name.s.err")"
        return
    fi
    check "$name.$ext: streamed and held differ" cmp -s "$s" "$h"
    if [ "$ext" = png ]; then
        check "$name.pgw: streamed and held differ" cmp -s "${s%.png}.pgw" "${h%.png}.pgw"
        check "$name.png.aux.xml: streamed and held differ" cmp -s "$s.aux.xml" "$h.aux.xml"
    fi
}

for ext in png svg pdf; do
    both example $ext "$EX"
done
both example_all png "$EX" --all-pairs
both example_box svg "$EX" --bbox 36,35.5,38,36.8
both city png "$OUT/city.geojson"
both city svg "$OUT/city.geojson"
both city_each png "$OUT/city.geojson" --no-clusters
both city_each svg "$OUT/city.geojson" --no-clusters
both operator png "${OP[@]}" --size 1200x900
both operator svg "${OP[@]}" --size 1200x900
both ring png "${TABLES[@]}" "$DATA/ring.geojson" --bbox 12,0,29,20
both arabic svg "${TABLES[@]}" "$DATA/arabic.geojson"
both strike png "$EX" --strike "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print([f["properties"]["id"] for f in d["features"] if f["properties"].get("kind") == "strike"][1])' "$EX")"
both where svg "$OUT/city.geojson" --where "claimed_by=Airwars"

# The flagged strike of city.py (s-0007, "Strike 7", its coordinates
# swapped: lon 31.41559, lat 34.48358, at sea off Egypt) is drawn at the
# frame's edge with its position written, both ways: the warning the run
# adds reaches the map from the replayed records.
for way in s h; do
    check "the flagged strike's edge label ($way)" \
        grep -q 'Strike 7: flagged, off the map at 34.4836°N 31.4156°E' "$OUT/city_each.$way.svg"
done

# ---- the markers' runs: any size gives the same map ----------------------
for ext in png svg; do
    "$BIN" render "$OUT/city6k.geojson" --no-clusters --size 1000x750 \
        -o "$OUT/runs.one.$ext" 2>/dev/null
    for run in 1000 61; do
        SM_MAP_MARK_RUN=$run "$BIN" render "$OUT/city6k.geojson" --no-clusters --size 1000x750 \
            -o "$OUT/runs.$run.$ext" 2>/dev/null
        check "6,000 markers in runs of $run ($ext): not the map of one run" \
            cmp -s "$OUT/runs.one.$ext" "$OUT/runs.$run.$ext"
    done
    SM_MAP_MARK_RUN=61 "$BIN" render --in-memory "$OUT/city6k.geojson" --no-clusters \
        --size 1000x750 -o "$OUT/runs.held.$ext" 2>/dev/null
    check "6,000 markers held, in runs of 61 ($ext): not the map of one run" \
        cmp -s "$OUT/runs.one.$ext" "$OUT/runs.held.$ext"
done
# the markers are drawn: the PNG of the runs differs from one with no strikes
"$BIN" render "$OUT/city6k.geojson" --no-strikes --size 1000x750 -o "$OUT/runs.none.png" \
    2>/dev/null
cmp -s "$OUT/runs.one.png" "$OUT/runs.none.png" && fail "the strikes drew nothing" || ok

# ---- tracks measured on a second thread ---------------------------------------
# Past SM__TRACKS_THREAD_FIXES fixes the tracks' geodesics are measured on
# a second thread while the layout goes on (map_tracks.c); below it, in
# place. SM_MAP_TRACKS_THREAD moves the threshold: the 40 sorties of 30
# fixes, one way and the other, held and streamed, must be the same files.
for ext in png svg; do
    for way in 1 100000000; do
        SM_MAP_TRACKS_THREAD=$way "$BIN" render "${OP[@]}" --size 1200x900 \
            -o "$OUT/tracks.$way.$ext" 2>/dev/null
    done
    check "tracks measured on a thread and in place ($ext): not the same file" \
        cmp -s "$OUT/tracks.1.$ext" "$OUT/tracks.100000000.$ext"
    SM_MAP_TRACKS_THREAD=1 "$BIN" render --in-memory "${OP[@]}" --size 1200x900 \
        -o "$OUT/tracks.held.$ext" 2>/dev/null
    check "tracks measured on a thread, strikes held ($ext): not the same file" \
        cmp -s "$OUT/tracks.1.$ext" "$OUT/tracks.held.$ext"
done
# the tracks are drawn: 40 track lines in the SVG's tracks group
n=$(sed -n '/<g id="tracks">/,/^<\/g>/p' "$OUT/tracks.1.svg" | grep -c '<path ')
check "the tracks group of the SVG has paths ($n)" test "$n" -ge 1
"$BIN" render "${OP[@]}" --size 1200x900 --no-tracks -o "$OUT/tracks.none.png" 2>/dev/null
cmp -s "$OUT/tracks.1.png" "$OUT/tracks.none.png" && fail "the tracks drew nothing" || ok

# ---- strikes projected on two threads -------------------------------------
# Past SM__MAP_TEAM_STRIKES strikes the pass that counts those in view
# projects them on two threads (map_project.c); SM_MAP_PROJECT_THREAD moves
# the threshold, and SM_MAP_PROJECT_HELPER=1 leaves every piece to the
# helper (else a helper slow to wake may take none of a small map's): 6,000
# strikes one way and the other, held and streamed, must be the same files.
for ext in png svg; do
    SM_MAP_PROJECT_THREAD=1 SM_MAP_PROJECT_HELPER=1 "$BIN" render "$OUT/city6k.geojson" \
        --no-clusters --size 1000x750 -o "$OUT/team.1.$ext" 2>/dev/null
    SM_MAP_PROJECT_THREAD=100000000 "$BIN" render "$OUT/city6k.geojson" --no-clusters \
        --size 1000x750 -o "$OUT/team.100000000.$ext" 2>/dev/null
    check "strikes projected on the helper thread and on one ($ext): not the same file" \
        cmp -s "$OUT/team.1.$ext" "$OUT/team.100000000.$ext"
    SM_MAP_PROJECT_THREAD=1 SM_MAP_PROJECT_HELPER=1 "$BIN" render --in-memory \
        "$OUT/city6k.geojson" --no-clusters --size 1000x750 -o "$OUT/team.held.$ext" 2>/dev/null
    check "strikes projected on the helper thread, held ($ext): not the same file" \
        cmp -s "$OUT/team.1.$ext" "$OUT/team.held.$ext"
done
SM_MAP_PROJECT_THREAD=1 "$BIN" render "$OUT/city6k.geojson" --no-clusters --size 1000x750 \
    -o "$OUT/team.both.png" 2>/dev/null
check "strikes projected by both threads: not the same file" \
    cmp -s "$OUT/team.both.png" "$OUT/team.100000000.png"

# ---- TMPDIR -----------------------------------------------------------------
TMPDIR=$OUT/no-such-folder "$BIN" render "$EX" -o "$OUT/tmpdir.png" 2>"$OUT/tmpdir.err"
rc=$?
[ $rc -eq 2 ] && grep -qF "no-such-folder: cannot hold a temporary copy of the strikes" \
    "$OUT/tmpdir.err" && [ ! -e "$OUT/tmpdir.png" ] && ok ||
    fail "TMPDIR unusable: exit $rc, $(head -2 "$OUT/tmpdir.err")"
mkdir -p "$OUT/tmp"
TMPDIR=$OUT/tmp SM_MAP_MARK_RUN=61 "$BIN" render "$OUT/city.geojson" --no-clusters \
    -o "$OUT/tmpdir2.png" 2>/dev/null && [ -z "$(ls -A "$OUT/tmp")" ] && ok ||
    fail "a temporary file was left in TMPDIR"
finish
