# Published tables read as they are (SPEC §7, issue 10): an ACLED export, an
# Airwars incident table, a UCDP GED file, OpenSky state vectors and a CSV
# read by --map, each in its published layout (small files written for
# these tests, tests/data/profiles). Windows are worked by hand from the tz
# database's rules (Europe/Kyiv +02:00 until 27 March 2022, then +03:00;
# Asia/Gaza +03:00 in October 2023; Asia/Damascus +02:00 in February 2016);
# distances come from PROJ's geod. Rows that must be left out are named.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/profiles
props() { # props FILE ID KEY...: the properties of one feature of a claim file
  python3 - "$@" <<'PY'
import json, sys
f = {x["properties"]["id"]: x for x in json.load(open(sys.argv[1]))["features"]}[sys.argv[2]]
print(" ".join(str(f["properties"].get(k)) if k != "geom" else
               "%s:%d" % (f["geometry"]["type"], len(f["geometry"]["coordinates"]) if f["geometry"]["type"] != "Point" else 1)
               for k in sys.argv[3:]))
PY
}
ids() { python3 -c 'import json,sys; print(" ".join(sorted(f["properties"]["id"] for f in json.load(open(sys.argv[1]))["features"])))' "$1"; }
# utc FILE ID KEY: a time property as UTC seconds (python's own parser)
utc() { python3 -c '
import json, sys, datetime
f = {x["properties"]["id"]: x for x in json.load(open(sys.argv[1]))["features"]}[sys.argv[2]]
print(datetime.datetime.fromisoformat(f["properties"][sys.argv[3]]).astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$@"; }

# ---- ACLED: detected from its header, one command, no conversion ----------
"$SM" import "$D/acled.csv" -o "$OUT/acled.geojson" 2>"$OUT/acled.err"
[ $? -eq 0 ] && pass || { fail "acled: import"; cat "$OUT/acled.err" >&2; }
[ "$(ids "$OUT/acled.geojson")" = "UKR9001 UKR9003 UKR9004" ] && pass || fail "acled: strikes $(ids "$OUT/acled.geojson")"
# time_precision 1: the local day; 2: the 7 days centred on it; 3: the month
# (Kyiv moved to +03:00 on 27 March 2022, so March ends at 21:00Z)
for c in "UKR9001 time_start 2022-03-15T22:00:00Z" "UKR9001 time_end 2022-03-16T22:00:00Z" \
         "UKR9003 time_start 2022-03-10T22:00:00Z" "UKR9003 time_end 2022-03-17T22:00:00Z" \
         "UKR9004 time_start 2022-02-28T22:00:00Z" "UKR9004 time_end 2022-03-31T21:00:00Z"; do
  set -- $c
  got=$(utc "$OUT/acled.geojson" "$1" "$2")
  [ "$got" = "$3" ] && pass || fail "acled: $1 $2 is $got, expected $3"
done
[ "$(props "$OUT/acled.geojson" UKR9001 attributed_to geo_precision claimed_by)" = "Russia 1 ACLED" ] && pass ||
  fail "acled: UKR9001 attribution: $(props "$OUT/acled.geojson" UKR9001 attributed_to geo_precision claimed_by)"
grep -qF 'acled.csv: feature 4 (id "UKR9005"): field "latitude": empty: the row has no coordinates' "$OUT/acled.err" && pass ||
  fail "acled: the row without latitude is not named"
grep -qF 'acled.csv: feature 5 (id "UKR9006"): field "event_date": "2022-02-30" is not a date' "$OUT/acled.err" && pass ||
  fail "acled: the row with 30 February is not named"
grep -qF 'acled profile: 2 rows left out' "$OUT/acled.err" && grep -qF 'acled profile: 2 rows are not air/drone strikes' "$OUT/acled.err" &&
  pass || { fail "acled: counts"; cat "$OUT/acled.err" >&2; }
# checked in one command, with the distance PROJ's geod gives
cat >"$OUT/su34.geojson" <<'EOF'
{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[37.0,47.5]},
 "properties":{"kind":"aircraft","id":"a-su34","type":"Su-34","operator":"Russia","time":"2022-03-16T10:00:00+02:00"}}]}
EOF
"$SM" check "$D/acled.csv" "$OUT/su34.geojson" --format csv -o "$OUT/acled-v.csv" 2>/dev/null
want=$(echo "47.5 37.0 47.0951 37.5413" | geod +ellps=WGS84 -I +units=km -f %.3f | awk '{print $3}')
got=$(python3 -c 'import csv,sys; print([r["distance_km"] for r in csv.DictReader(open(sys.argv[1])) if r["strike"]=="UKR9001"][0])' "$OUT/acled-v.csv")
near "$got" "$want" 0.002 && pass || fail "acled: UKR9001 to a-su34 is $got km, geod says $want"
# the profile named gives the same; standard input too
"$SM" import --profile acled "$D/acled.csv" -o "$OUT/acled2.geojson" 2>/dev/null
cmp -s "$OUT/acled.geojson" "$OUT/acled2.geojson" && pass || fail "acled: --profile acled differs from detection"
"$SM" validate - <"$D/acled.csv" >"$OUT/stdout" 2>/dev/null
grep -q 'claims: *3: 3 strikes (3 with a time)' "$OUT/stdout" && pass || fail "acled on standard input"

# ---- Airwars: local days in the theatre's zone, hours from the assessment ----
"$SM" import "$D/airwars.csv" -o "$OUT/aw.geojson" 2>"$OUT/aw.err"
[ $? -eq 0 ] && [ "$(ids "$OUT/aw.geojson")" = "ISPT9001 ISPT9002 ISPT9003" ] && pass ||
  { fail "airwars: import"; cat "$OUT/aw.err" >&2; }
for c in "ISPT9001 time 2023-10-07T18:41:00Z" "ISPT9002 time_start 2023-10-09T16:00:00Z" \
         "ISPT9002 time_end 2023-10-09T17:30:00Z" "ISPT9003 time_start 2023-10-09T21:00:00Z" \
         "ISPT9003 time_end 2023-10-10T21:00:00Z"; do
  set -- $c
  got=$(utc "$OUT/aw.geojson" "$1" "$2")
  [ "$got" = "$3" ] && pass || fail "airwars: $1 $2 is $got, expected $3"
done
[ "$(props "$OUT/aw.geojson" ISPT9002 attributed_to grading)" = "Israel confirmed" ] && pass ||
  fail "airwars: 'Israeli Military' (known belligerent) does not resolve to Israel"
for w in 'feature 3 (id "ISPT9004"): field "long": empty' 'feature 4 (id "ISPT9005"): field "grading": "Maybe"' \
         'feature 5 (id "ISPT9006"): field "Incidence_date": "octobre-13-2023" is not a date' 'airwars profile: 3 rows left out'; do
  grep -qF "$w" "$OUT/aw.err" && pass || fail "airwars: not said: $w"
done
# --tz sets the zone: UTC days
"$SM" import --tz UTC "$D/airwars.csv" -o "$OUT/aw-utc.geojson" 2>/dev/null
[ "$(utc "$OUT/aw-utc.geojson" ISPT9003 time_start)" = 2023-10-10T00:00:00Z ] && pass || fail "airwars: --tz UTC"
"$SM" import --tz Asia/Gazza "$D/airwars.csv" -o "$OUT/x.geojson" 2>"$OUT/stderr"
[ $? -eq 2 ] && [ ! -e "$OUT/x.geojson" ] && grep -qF '"Asia/Gazza" is not a zone of the tz database' "$OUT/stderr" && pass ||
  fail "airwars: unknown zone"
# both "long" and "lon": a row where they disagree is left out, naming both
python3 - "$D/airwars.csv" "$OUT/aw-lon.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
rows[0].append("lon")
for r in rows[1:]:
    r.append(r[4])
rows[2][-1] = "34.99"
csv.writer(open(sys.argv[2], "w", newline="")).writerows(rows)
PY
"$SM" import --profile airwars "$OUT/aw-lon.csv" -o "$OUT/aw-lon.geojson" 2>"$OUT/stderr"
[ "$(ids "$OUT/aw-lon.geojson")" = "ISPT9001 ISPT9003" ] &&
  grep -qF 'feature 1 (id "ISPT9002"): field "lon": 34.99 disagrees with column "long"' "$OUT/stderr" && pass ||
  { fail "airwars: long and lon disagreeing"; cat "$OUT/stderr" >&2; }

# ---- UCDP GED --------------------------------------------------------------
"$SM" import "$D/ucdp.csv" -o "$OUT/ucdp.geojson" 2>"$OUT/ucdp.err"
[ $? -eq 0 ] && [ "$(ids "$OUT/ucdp.geojson")" = "990001 990002" ] && pass || { fail "ucdp: import"; cat "$OUT/ucdp.err" >&2; }
for c in "990001 time_start 2016-02-14T22:00:00Z" "990001 time_end 2016-02-15T22:00:00Z" \
         "990002 time_start 2016-02-13T22:00:00Z" "990002 time_end 2016-02-16T22:00:00Z"; do
  set -- $c
  got=$(utc "$OUT/ucdp.geojson" "$1" "$2")
  [ "$got" = "$3" ] && pass || fail "ucdp: $1 $2 is $got, expected $3"
done
[ "$(props "$OUT/ucdp.geojson" 990001 attributed_to location_uncertainty_km)" = "Russia 25.0" ] && pass ||
  fail "ucdp: 990001: $(props "$OUT/ucdp.geojson" 990001 attributed_to location_uncertainty_km)"
grep -qF 'feature 2 (id "990003"): field "where_prec": "9" is not a UCDP where_prec code' "$OUT/ucdp.err" &&
  grep -qF 'feature 3 (id "990004"): field "longitude": empty' "$OUT/ucdp.err" && pass || fail "ucdp: dropped rows not named"

# ---- OpenSky: tracks per icao24 and sortie -----------------------------------
"$SM" import "$D/opensky.csv" --types "$D/opensky-types.csv" --speed 900 -o "$OUT/sky.geojson" 2>"$OUT/sky.err"
[ $? -eq 0 ] && [ "$(ids "$OUT/sky.geojson")" = "155a1b-1 155a1b-2 4b1805-1" ] && pass || { fail "opensky: import"; cat "$OUT/sky.err" >&2; }
[ "$(props "$OUT/sky.geojson" 155a1b-1 type geom label)" = "Su-24M LineString:5 RFF1234" ] && pass ||
  fail "opensky: first sortie: $(props "$OUT/sky.geojson" 155a1b-1 type geom label)"
[ "$(props "$OUT/sky.geojson" 155a1b-2 geom times)" = "LineString:2 2016-02-15T16:00:00Z;2016-02-15T16:02:00Z" ] && pass ||
  fail "opensky: second sortie after the 7 h gap: $(props "$OUT/sky.geojson" 155a1b-2 geom times)"
[ "$(props "$OUT/sky.geojson" 4b1805-1 geom time type)" = "Point:1 2016-02-15T09:00:00Z None" ] && pass || fail "opensky: a single fix"
grep -qF 'feature 5 (id "155a1b"): field "lon": empty' "$OUT/sky.err" && grep -qF '1 row repeat a time' "$OUT/sky.err" && pass ||
  fail "opensky: dropped and repeated rows not said"
"$SM" import "$D/opensky.csv" --type Su-24M --sortie-gap 8h -o "$OUT/sky8.geojson" 2>/dev/null
[ "$(ids "$OUT/sky8.geojson")" = "155a1b-1 4b1805-1" ] && [ "$(props "$OUT/sky8.geojson" 155a1b-1 geom)" = "LineString:7" ] && pass ||
  fail "opensky: --sortie-gap 8h keeps one sortie"
"$SM" import "$D/opensky.csv" -o "$OUT/sky.gpkg" --type Su-24M 2>/dev/null
ogrinfo -q -al "$OUT/sky.gpkg" | grep -c 'LINESTRING' | grep -qx 2 && pass || fail "opensky: GeoPackage output"
"$SM" validate "$OUT/sky.gpkg" >/dev/null 2>&1 && pass || fail "opensky: the GeoPackage written does not validate"

# ---- any CSV by --map, with a time format and zone ---------------------------
printf 'ref,when,lat_deg,lon_deg,who\nr1,15/02/2016 09:30,36.2,37.1,Syrian Arab Air Force\nr2,31/02/2016 09:30,36.2,37.1,x\n' >"$OUT/own.csv"
"$SM" import --map id=ref --map time=when --map lat=lat_deg --map lon=lon_deg --map attributed_to=who \
  --time-format '%d/%m/%Y %H:%M' --tz Asia/Damascus "$OUT/own.csv" -o "$OUT/own.geojson" 2>"$OUT/stderr"
[ "$(utc "$OUT/own.geojson" r1 time)" = 2016-02-15T07:30:00Z ] && pass || { fail "--map: time"; cat "$OUT/stderr" >&2; }
grep -qF 'feature 1 (id "r2"): field "time": "31/02/2016 09:30" does not read as --time-format' "$OUT/stderr" && pass ||
  fail "--map: the impossible date is not named"

# ---- names that are not known are errors with a did-you-mean ------------------
"$SM" validate --profile acleed "$D/acled.csv" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF '"acleed" is not a profile (did you mean "acled"?)' "$OUT/stderr" && pass ||
  { fail "unknown profile"; cat "$OUT/stderr" >&2; }
"$SM" import "$SRC/examples/aleppo-2016.geojson" -o "$OUT/x.geojson" 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF 'is a claim file already' "$OUT/stderr" && pass || fail "import of a claim file"
"$SM" import "$D/acled.csv" -o "$D/acled.csv" 2>/dev/null
[ $? -eq 2 ] && cmp -s "$D/acled.csv" <(git -C "$SRC" show HEAD:tests/data/profiles/acled.csv 2>/dev/null || cat "$D/acled.csv") && pass ||
  fail "import over its own table"
finish
