#!/usr/bin/env bash
# test_bounds.sh: `check --count` settles pairs by conservative bounds of the
# geodesics, both ways (src/lib/check/bounds.c), and must give the verdicts
# the exact geodesics give. SM_CHECK_EXACT=1 (tests only, src/lib/check/
# engine.h) makes a run solve every pair exactly, the pairs the chord bound
# leaves out included.
#  1. Hand-worked pairs 0.01 km either side of the cruise-reach and the
#     reach edges, placed and measured with PROJ's geod (the oracle); the
#     verdicts worked out by hand below.
#  2. A seeded random claim set (tests/cli/gen_bounds.py: tracks, Points,
#     bases, refuelled, unknown types, areas, windows, uncertainties, a
#     launcher, a group) in every pairing mode: the --count summary with
#     bounds equals the exact one, and the JSON listing (which settles the
#     unlisted pairs by bounds) is byte-identical to the exact run's.
. "$(dirname "$0")/lib.sh" "$@"
command -v geod >/dev/null || { fail "PROJ's geod is needed"; finish; }

# ---- 1. hand-worked edges ---------------------------------------------------
# Su-25: top speed 975 km/h, cruise 750 km/h (data/aircraft.csv); the strike
# names FAB-500: range 10 km, mean speed 800 km/h (data/weapons.csv). The fix
# is at 10:00Z, the strike at 10:30Z, no uncertainties: dt = 30 min.
#  cruise 750 <= 800, so it launches at the edge of range:
#    cruise reach = 750 x (0.5 h - 10/800 h) + 10 = 750 x 0.4875 + 10 = 375.625 km
#  top speed 975 > 800, so it flies all the way: reach = 975 x 0.5 = 487.5 km
# Strikes at 375.615 (plausible), 375.635 (marginal), 487.49 (marginal) and
# 487.51 km (implausible) from the fix, in four directions.
FLAT=35 FLON=38
cases="in_cruise 375.615 30 plausible
out_cruise 375.635 120 marginal
in_reach 487.49 210 marginal
out_reach 487.51 300 implausible"
{
  echo '{"type": "FeatureCollection", "features": ['
  while read -r id km az verdict; do
    read -r lat lon _ < <(echo "$FLAT $FLON $az $(awk -v k="$km" 'BEGIN { printf "%.3f", k * 1000 }')" |
      geod +ellps=WGS84 -f %.9f)
    echo "{\"type\": \"Feature\", \"properties\": {\"kind\": \"aircraft\", \"id\": \"a_$id\", \"type\": \"Su-25\", \"operator\": \"Russia\", \"time\": \"2016-02-15T10:00:00Z\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [$FLON, $FLAT]}},"
    echo "{\"type\": \"Feature\", \"properties\": {\"kind\": \"strike\", \"id\": \"s_$id\", \"time\": \"2016-02-15T10:30:00Z\", \"weapon\": \"FAB-500\", \"attributed_to\": \"a_$id\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [$lon, $lat]}},"
  done <<<"$cases"
} | sed '$ s/,$//' >"$OUT/edges.geojson"
echo ']}' >>"$OUT/edges.geojson"
# the oracle: each strike's written position is within 0.5 m of its distance
while read -r id km _ _; do
  got=$(grep "\"s_$id\"" "$OUT/edges.geojson" | sed 's/.*"coordinates": \[\([^,]*\), \([^]]*\)\].*/\2 \1/' |
    awk -v a="$FLAT" -v o="$FLON" '{ print a, o, $1, $2 }' | geod +ellps=WGS84 -I +units=km -f %.6f | awk '{ print $3 }')
  expect "geod -I: s_$id is $km km from its fix (got $got)" near "$got" "$km" 0.0005
done <<<"$cases"
"$SM" check --no-position-check -f csv -o "$OUT/edges.csv" "$OUT/edges.geojson" 2>"$OUT/edges.err" ||
  fail "check -o edges.csv: $(cat "$OUT/edges.err")"
while read -r id km _ verdict; do
  got=$(awk -F, -v s="s_$id" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["strike"] == s { print $c["verdict"] }' "$OUT/edges.csv")
  expect "s_$id at $km km: $verdict (got '$got')" test "$got" = "$verdict"
done <<<"$cases"
count() { # count ENV...: the --count summary
  env "$@" "$SM" check --no-position-check --count "$OUT/edges.geojson" 2>/dev/null
}
count SM_CHECK_EXACT=0 >"$OUT/edges-bounds.txt"
count SM_CHECK_EXACT=1 >"$OUT/edges-exact.txt"
expect "edges --count: 1 plausible, 2 marginal, 1 implausible with bounds" \
  grep -qz 'plausible 1.marginal 2.implausible 1.unknown 0' "$OUT/edges-bounds.txt"
expect "edges --count: the same exactly" \
  grep -qz 'plausible 1.marginal 2.implausible 1.unknown 0' "$OUT/edges-exact.txt"
# the bounds decide the two pairs inside an edge (0.01 km is ten times the
# upper bound's slack at 490 km) and leave the two just outside to the exact
# path (the chord is 28 m and 60 m short of the geodesic there)
expect "edges: exact geodesics only for the two pairs outside an edge" \
  grep -qx 'exact_distances 2' "$OUT/edges-bounds.txt"
expect "edges: one exact geodesic a pair on the exact path" \
  grep -qx 'exact_distances 4' "$OUT/edges-exact.txt"

# ---- 2. a random claim set, every mode ---------------------------------------
python3 "$SRC/tests/cli/gen_bounds.py" 7 600 50 "$OUT/random.geojson"
for mode in "" "--operator Russia" "--operator Syria" "--all-pairs" "--max-gap 90 --all-pairs"; do
  # shellcheck disable=SC2086 # mode is words
  "$SM" check --speed 800 --no-position-check $mode --count "$OUT/random.geojson" \
    >"$OUT/b.txt" 2>/dev/null || fail "check --count [$mode]"
  # shellcheck disable=SC2086
  SM_CHECK_EXACT=1 "$SM" check --speed 800 --no-position-check $mode --count \
    "$OUT/random.geojson" >"$OUT/e.txt" 2>/dev/null || fail "check --count exact [$mode]"
  expect "[$mode] --count with bounds = exactly" diff <(grep -v exact_ "$OUT/b.txt") <(grep -v exact_ "$OUT/e.txt")
  b=$(awk '/^exact_/ { print $2 }' "$OUT/b.txt") e=$(awk '/^exact_/ { print $2 }' "$OUT/e.txt")
  expect "[$mode] the bounds spared exact geodesics ($b against $e)" test "$b" -lt "$e"
  # shellcheck disable=SC2086
  "$SM" check --speed 800 --no-position-check $mode -f json -o "$OUT/b.json" "$OUT/random.geojson" 2>/dev/null
  # shellcheck disable=SC2086
  SM_CHECK_EXACT=1 "$SM" check --speed 800 --no-position-check $mode -f json -o "$OUT/e.json" \
    "$OUT/random.geojson" 2>/dev/null
  expect "[$mode] JSON listing with bounds = exactly" cmp -s "$OUT/b.json" "$OUT/e.json"
done
expect "the random set has every verdict" \
  awk '/^(plausible|marginal|implausible|unknown) / && $2 > 0 { n++ } END { exit n != 4 }' "$OUT/b.txt"
finish
