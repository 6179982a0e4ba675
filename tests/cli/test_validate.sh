# strikemap validate, --help, --version; the example validates clean; the
# same claims load alike from GeoJSON, GeoJSONSeq, CSV, GeoPackage and KML
# (converted by ogr2ogr, an independent writer).
source "$(dirname "$0")/lib.sh"
EX="$SRC/examples/aleppo-2016.geojson"
"$SM" --version | grep -qE '^strikemap [0-9]+\.[0-9]+\.[0-9]+ \(GDAL .*, PROJ .*, cairo .*, Pango .*\)$' && pass || fail "--version"
"$SM" --help | grep -q "check" && pass || fail "--help"
for c in validate check reach render report; do
  "$SM" $c --help | grep -q "Usage: strikemap $c" && pass || fail "$c --help"
done
"$SM" validate "$EX" >"$OUT/stdout" 2>"$OUT/stderr"
[ $? -eq 0 ] && pass || fail "example: exit status"
[ ! -s "$OUT/stderr" ] && pass || { fail "example: not clean"; cat "$OUT/stderr" >&2; }
grep -q "claims:    17: 7 strikes (7 with a time), 5 aircraft (0 tracks, 5 fixes), 3 bases, 2 launchers" "$OUT/stdout" && pass || { fail "example: counts"; cat "$OUT/stdout"; }
grep -q "result:    valid" "$OUT/stdout" && pass || fail "example: result"
# other formats through the same loader
summary() { "$SM" validate "$@" 2>/dev/null | grep '^claims:'; }
want=$(summary "$EX")
ogr2ogr -oo DATE_AS_STRING=YES -f GeoJSONSeq "$OUT/ex.geojsons" "$EX"
[ "$(summary "$OUT/ex.geojsons")" = "$want" ] && pass || fail "GeoJSONSeq"
ogr2ogr -oo DATE_AS_STRING=YES -f GPKG "$OUT/ex.gpkg" "$EX"
[ "$(summary "$OUT/ex.gpkg")" = "$want" ] && pass || fail "GeoPackage"
ogr2ogr -oo DATE_AS_STRING=YES -f CSV "$OUT/ex.csv" "$EX" -lco GEOMETRY=AS_XY
[ "$(summary "$OUT/ex.csv")" = "$want" ] && pass || fail "CSV with X/Y columns: $(summary "$OUT/ex.csv")"
ogr2ogr -oo DATE_AS_STRING=YES -f KML -nln aleppo "$OUT/ex.kml" "$EX" 2>/dev/null
[ "$(summary "$OUT/ex.kml")" = "$want" ] && pass || fail "KML: $(summary "$OUT/ex.kml")"
# several files merge into one claim set
ogr2ogr -oo DATE_AS_STRING=YES -f GeoJSON "$OUT/strikes.geojson" "$EX" -where "kind = 'strike'"
ogr2ogr -oo DATE_AS_STRING=YES -f GeoJSON "$OUT/others.geojson" "$EX" -where "kind <> 'strike'"
[ "$(summary "$OUT/strikes.geojson" "$OUT/others.geojson")" = "$want" ] && pass || fail "two files"
# a projected GeoPackage is read back in lon/lat
ogr2ogr -oo DATE_AS_STRING=YES -f GPKG -t_srs EPSG:3857 "$OUT/ex3857.gpkg" "$EX"
"$SM" validate "$OUT/ex3857.gpkg" | grep -q "extent:    35.42583,35.01180,50.00000,42.00000" && pass ||
  fail "EPSG:3857 source not read back in lon/lat: $("$SM" validate "$OUT/ex3857.gpkg" | grep extent)"
finish
