# Input that real tables carry and that broke the loader (issue 9): ids as
# numbers, typed columns, typed date-times with negative offsets, numbers
# beyond physical bounds, invalid UTF-8, text of any length, FIFOs, GDAL's
# virtual paths, and several files with errors in each.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/input
EX=$SRC/examples/aleppo-2016.geojson
csvfield() { # csvfield FILE ROW COLUMN_NAME: a value of a strikemap CSV output
  python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(r[int(sys.argv[2])][sys.argv[3]])' "$@"
}

# 1. Numeric ids (OGR formats them into a buffer its next call reuses: the
#    loader used to keep that pointer and print freed memory as ids).
"$SM" validate "$D/numeric-ids.geojson" >"$OUT/stdout" 2>"$OUT/stderr"
[ $? -eq 0 ] && pass || { fail "numeric ids: validate exit"; cat "$OUT/stderr" >&2; }
grep -q duplicate "$OUT/stderr" && fail "numeric ids: false duplicate" || pass
"$SM" check "$D/numeric-ids.geojson" --format csv -o "$OUT/numid.csv" 2>"$OUT/stderr"
[ "$(csvfield "$OUT/numid.csv" 0 strike)" = 5 ] && pass || fail "numeric ids: strike id not 5"
[ "$(csvfield "$OUT/numid.csv" 0 aircraft)" = 7 ] && pass || fail "numeric ids: aircraft id not 7"
[ "$(csvfield "$OUT/numid.csv" 0 verdict)" = plausible ] && pass || fail "numeric ids: attribution to 7 lost"

# 2. A negative UTC offset in a typed DateTime column (GeoPackage,
#    GeoJSONSeq): the fix is at 04:00-05:00 = 09:00Z, the strike at 09:30Z,
#    so 30 minutes, not the 330 of a dropped offset. 1,380 km in 30 min is
#    beyond a Su-24M (1,700 km/h) with any of its weapons.
ogr2ogr -f GPKG "$OUT/neg.gpkg" "$D/negative-offset.geojson" 2>/dev/null
ogr2ogr -f GeoJSONSeq "$OUT/neg.geojsonl" "$D/negative-offset.geojson" 2>/dev/null
ogrinfo -al "$OUT/neg.gpkg" | grep -q 'time (DateTime) = 2016/02/15 04:00:00-05' && pass ||
  fail "GPKG does not carry a typed -05 date-time (the test would test nothing)"
for f in "$D/negative-offset.geojson" "$OUT/neg.gpkg" "$OUT/neg.geojsonl"; do
  "$SM" check "$f" --format csv -o "$OUT/neg.csv" 2>"$OUT/stderr"
  [ "$(csvfield "$OUT/neg.csv" 0 available_minutes)" = 30 ] && pass ||
    fail "$(basename "$f"): available_minutes $(csvfield "$OUT/neg.csv" 0 available_minutes), expected 30"
  [ "$(csvfield "$OUT/neg.csv" 0 verdict)" = implausible ] && pass || fail "$(basename "$f"): not implausible"
done

# 3. Table columns typed by a .csvt sidecar read the same as untyped ones.
cp "$SRC/data/aircraft.csv" "$OUT/typed-aircraft.csv"
cp "$SRC/data/weapons.csv" "$OUT/typed-weapons.csv"
echo 'String,String,Real,Real,Real,String,String,String' >"$OUT/typed-aircraft.csvt"
echo 'String,String,Real,String,String,String' >"$OUT/typed-weapons.csvt"
"$SM" check "$EX" --format csv -o "$OUT/plain.csv" 2>/dev/null
"$SM" check "$EX" --aircraft "$OUT/typed-aircraft.csv" --weapons "$OUT/typed-weapons.csv" \
  --format csv -o "$OUT/typed.csv" 2>"$OUT/stderr"
[ $? -eq 0 ] && cmp -s "$OUT/plain.csv" "$OUT/typed.csv" && pass ||
  { fail "typed tables give other verdicts"; head -3 "$OUT/stderr" >&2; }

# 4. Numbers beyond physical bounds in a table are errors naming the field.
awk -F, 'BEGIN{OFS=","} NR==2{$3="1e300"} {print}' "$SRC/data/weapons.csv" >"$OUT/huge-weapons.csv"
"$SM" validate --weapons "$OUT/huge-weapons.csv" "$EX" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF 'huge-weapons.csv: feature 0 (id "' "$OUT/stderr" &&
  grep -qF 'field "range_km": "1e300" is not a range; expected a number of km from 0 to 20004' "$OUT/stderr" &&
  pass || { fail "range 1e300 accepted"; cat "$OUT/stderr" >&2; }
awk -F, 'BEGIN{OFS=","} NR==2{$3="40000"} {print}' "$SRC/data/aircraft.csv" >"$OUT/fast-aircraft.csv"
"$SM" validate --aircraft "$OUT/fast-aircraft.csv" "$EX" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF 'field "max_speed_kmh": "40000" is not a speed' "$OUT/stderr" && pass ||
  { fail "speed 40000 accepted"; cat "$OUT/stderr" >&2; }
"$SM" validate --speed 40000 "$EX" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && pass || fail "--speed 40000 accepted"

# 5. Invalid UTF-8 in a table names the row and column.
python3 - "$SRC/data/weapons.csv" "$OUT/latin1-weapons.csv" <<'PY'
import sys
rows = open(sys.argv[1], 'rb').read().split(b'\n')
rows[1] = rows[1].replace(b',', b' \xe9,', 1)  # a Latin-1 e-acute after the name
open(sys.argv[2], 'wb').write(b'\n'.join(rows))
PY
"$SM" validate --weapons "$OUT/latin1-weapons.csv" "$EX" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qE 'latin1-weapons.csv: feature 0 \(no id\): field "name": byte [0-9]+ \(0xE9\) is not valid UTF-8' "$OUT/stderr" &&
  pass || { fail "invalid UTF-8 in a table"; cat "$OUT/stderr" >&2; }

# 6. A FIFO as claims or as a table is refused at once, never a hang.
mkfifo "$OUT/claims.geojson" "$OUT/table.csv"
timeout 20 "$SM" validate "$OUT/claims.geojson" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF 'claims.geojson: is not a regular file' "$OUT/stderr" && pass || fail "FIFO claims"
timeout 20 "$SM" validate --aircraft "$OUT/table.csv" "$EX" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF 'table.csv: is not a regular file' "$OUT/stderr" && pass || fail "FIFO table"
rm -f "$OUT/claims.geojson" "$OUT/table.csv"

# 7. GDAL's virtual file systems are GDAL's to open (no access() pre-check).
(cd "$SRC/examples" && python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"w"); z.write("aleppo-2016.geojson"); z.close()' "$OUT/ex.zip")
"$SM" validate "/vsizip/$OUT/ex.zip/aleppo-2016.geojson" >"$OUT/stdout" 2>"$OUT/stderr"
[ $? -eq 0 ] && grep -q 'result: *valid' "$OUT/stdout" && pass || { fail "/vsizip/ input"; cat "$OUT/stderr" >&2; }
"$SM" validate "/vsizip/$OUT/ex.zip/missing.geojson" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF 'missing.geojson: cannot be read' "$OUT/stderr" && pass || fail "missing file in a zip"

# 8. Several files: each one's errors are reported (the second is not
#    hidden behind "holds no features").
"$SM" validate "$SRC/tests/data/bad/no-id.geojson" "$SRC/tests/data/bad/bad-kind.geojson" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && pass || fail "two bad files: exit"
grep -qF "no-id.geojson: $(cat "$SRC/tests/data/bad/no-id.expect")" "$OUT/stderr" &&
  grep -qF "bad-kind.geojson: $(cat "$SRC/tests/data/bad/bad-kind.expect")" "$OUT/stderr" && pass ||
  { fail "two bad files: an error is missing"; cat "$OUT/stderr" >&2; }
grep -qF 'holds no features' "$OUT/stderr" && fail "two bad files: false 'holds no features'" || pass

# 9. Text of any length in any script reaches the outputs whole: a
#    200-character Arabic label, a 3,000-character URL with parentheses, a
#    2,000-character claimant.
python3 - "$OUT/long.geojson" <<'PY'
import json, sys
label = ('حلب ' * 50)[:200]
url = 'https://en.wikipedia.org/wiki/Spike_(missile)?' + 'x' * 2950 + '_(end)'
who = 'Министерство обороны ' * 95
fc = {"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.16, 36.2]},
   "properties": {"kind": "strike", "id": "s-long", "label": label, "source": url, "claimed_by": who,
                  "time": "2016-02-15T09:30:00Z", "attributed_to": "a-1"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.0, 36.0]},
   "properties": {"kind": "aircraft", "id": "a-1", "type": "Su-24M", "time": "2016-02-15T09:00:00Z"}}]}
json.dump(fc, open(sys.argv[1], 'w'), ensure_ascii=False)
PY
"$SM" validate "$OUT/long.geojson" >/dev/null 2>"$OUT/stderr"
[ $? -eq 0 ] && pass || { fail "long texts: validate"; cat "$OUT/stderr" >&2; }
"$SM" check "$OUT/long.geojson" --format json -o "$OUT/long.json" 2>"$OUT/stderr"
python3 - "$OUT/long.geojson" "$OUT/long.json" <<'PY' && pass || fail "long texts: JSON output"
import json, sys
src = json.load(open(sys.argv[1]))["features"][0]["properties"]
out = json.load(open(sys.argv[2], encoding='utf-8'))
p = out["pairs"][0]
assert p["strike"] == "s-long", p["strike"]
for k in ("strike_label", "strike_claimed_by"):
    if k in p:
        assert p[k] == src[k.split("_", 1)[1]], k
PY
# 10. A column name that is not UTF-8 (a fuzzing finding): the warning
#     does not quote it, and stderr stays valid UTF-8.
printf 'kind,id,lon,lat,time,na\xefme\nstrike,s1,37.1,36.2,2016-02-15T09:00:00Z,x\n' >"$OUT/latin1-header.csv"
"$SM" validate "$OUT/latin1-header.csv" >/dev/null 2>"$OUT/stderr"
[ $? -eq 0 ] && grep -qF 'latin1-header.csv: column 6 has a name that is not valid UTF-8 (byte 2)' "$OUT/stderr" &&
  python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$OUT/stderr" && pass ||
  { fail "invalid UTF-8 column name"; cat "$OUT/stderr" >&2; }
# and a GDAL message quoting broken bytes is made valid text (U+FFFD)
printf '{"type":"FeatureCollection","features":[\xff\xfe' >"$OUT/garbage.geojson"
"$SM" validate "$OUT/garbage.geojson" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$OUT/stderr" && pass ||
  { fail "GDAL message with broken bytes"; cat "$OUT/stderr" >&2; }
# 11. A strike attributed to 150 names: the report's facts list them all
#     (the list was cut at 400 bytes, mid-character for Arabic names).
python3 - "$OUT/many-attr.geojson" <<'PY'
import json, sys
names = [f"جماعة-{i}" for i in range(150)]
fc = {"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.16, 36.2]},
   "properties": {"kind": "strike", "id": "s1", "time": "2016-02-15T09:30:00Z", "attributed_to": names}}]}
json.dump(fc, open(sys.argv[1], "w"), ensure_ascii=False)
PY
"$SM" report "$OUT/many-attr.geojson" -o "$OUT/many-attr.html" 2>/dev/null
grep -qF "جماعة-149" "$OUT/many-attr.html" && pass || fail "report: a long attribution list is cut"
# 12. A warning about a claim travels with it into every verdict output
#     (issue 10's complaint: the swapped strike was published as plausible
#     with no word of it): a time without offset, a swapped position, an
#     attribution to nothing known; in JSON, CSV and GeoJSON alike.
W=$D/warnings-travel.geojson
"$SM" check "$W" --format json -o "$OUT/w.json" 2>/dev/null
"$SM" check "$W" --format csv -o "$OUT/w.csv" 2>/dev/null
"$SM" check "$W" -o "$OUT/w.geojson" 2>/dev/null
python3 - "$OUT/w.json" "$OUT/w.csv" "$OUT/w.geojson" <<'PY' && pass || fail "warnings do not travel with their claims"
import csv, json, sys
j = {p["strike"]: p["warnings"] or "" for p in json.load(open(sys.argv[1]))["pairs"]}
c = {r["strike"]: r["warnings"] for r in csv.DictReader(open(sys.argv[2]))}
g = {f["properties"]["strike"]: f["properties"]["warnings"] or "" for f in json.load(open(sys.argv[3]))["features"]}
ok = True
for src in (j, c, g):
    ok &= "strike s-baghdad: time:" in src["s-baghdad"] and "no UTC offset" in src["s-baghdad"]
    ok &= "strike s-swapped: geometry:" in src["s-swapped"] and "are they swapped?" in src["s-swapped"]
    ok &= "Wagner Group" in src["s-mosul"] and "attributed_to" in src["s-mosul"]
    ok &= "swapped" not in src["s-mosul"]
sys.exit(0 if ok else 1)
PY
# 13. Round trips through GDAL (issue 10): ogr2ogr writes typed dates in
#     OGR's own text ("2016/02/10 12:55:00+02") to CSV and KML; both
#     validate and check exactly like the GeoJSON they came from.
ogr2ogr -f CSV "$OUT/rt.csv" "$EX" -lco GEOMETRY=AS_XY 2>/dev/null
ogr2ogr -f KML "$OUT/rt.kml" "$EX" 2>/dev/null
grep -q '2016/02/10 12:55:00+02' "$OUT/rt.csv" && pass || fail "ogr2ogr CSV has no OGR-style date (the test would test nothing)"
"$SM" check "$EX" --format csv -o "$OUT/rt-ref.csv" 2>/dev/null
for f in "$OUT/rt.csv" "$OUT/rt.kml"; do
  "$SM" validate "$f" >"$OUT/stdout" 2>"$OUT/stderr"
  [ $? -eq 0 ] && grep -q 'claims: *17: 7 strikes (7 with a time)' "$OUT/stdout" && pass ||
    { fail "$(basename "$f"): does not validate"; head -3 "$OUT/stderr" >&2; }
  "$SM" check "$f" --format csv -o "$OUT/rt-out.csv" 2>/dev/null
  cmp -s "$OUT/rt-ref.csv" "$OUT/rt-out.csv" && pass || fail "$(basename "$f"): other verdicts than the GeoJSON"
done
# a negative offset with minutes in OGR's text: 04:00-0530 is 09:30Z
printf 'kind,id,lon,lat,time\nstrike,s1,37.1,36.2,2016/02/15 04:00:00-0530\n' >"$OUT/ogrneg.csv"
"$SM" validate "$OUT/ogrneg.csv" >"$OUT/stdout" 2>"$OUT/stderr"
grep -q 'time span: 2016-02-15T09:30:00Z to 2016-02-15T09:30:00Z' "$OUT/stdout" && pass ||
  { fail "OGR date with -0530"; cat "$OUT/stdout" "$OUT/stderr" >&2; }
# what OGR's lenient parser would take but OGR never writes stays an error
for t in '2016/02/10 12:55:00+02 junk' '12:55' '2016/02/30 10:00:00' '2016/02/10 12:55' '10/02/2016 12:55:00'; do
  printf 'kind,id,lon,lat,time\nstrike,s1,37.1,36.2,%s\n' "$t" >"$OUT/baddate.csv"
  "$SM" validate "$OUT/baddate.csv" >/dev/null 2>"$OUT/stderr"
  [ $? -eq 2 ] && grep -qF "field \"time\": \"$t\" is not a time" "$OUT/stderr" && pass ||
    { fail "\"$t\" accepted as a time"; cat "$OUT/stderr" >&2; }
done

# 14. Standard input: "-" and /vsistdin/, any format OGR reads, checked like
#     the file; empty, a terminal or read twice is an error, never a hang.
cat "$EX" | "$SM" check - --format csv -o "$OUT/stdin.csv" 2>/dev/null
cmp -s "$OUT/rt-ref.csv" "$OUT/stdin.csv" && pass || fail "cat claims.geojson | strikemap check - differs"
ogr2ogr -f GPKG "$OUT/rt.gpkg" "$EX" 2>/dev/null
ogr2ogr -f GeoJSONSeq "$OUT/rt.geojsonl" "$EX" 2>/dev/null
for f in "$OUT/rt.csv" "$OUT/rt.kml" "$OUT/rt.gpkg" "$OUT/rt.geojsonl"; do
  timeout 20 "$SM" check /vsistdin/ --format csv -o "$OUT/stdin.csv" <"$f" 2>"$OUT/stderr"
  cmp -s "$OUT/rt-ref.csv" "$OUT/stdin.csv" && pass || { fail "$(basename "$f") on /vsistdin/"; head -3 "$OUT/stderr" >&2; }
done
timeout 20 "$SM" validate - </dev/null >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF -- '-: standard input is empty' "$OUT/stderr" && pass || fail "empty stdin"
timeout 20 "$SM" validate - - <"$EX" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF 'standard input was already read' "$OUT/stderr" && pass || fail "stdin twice"
if command -v script >/dev/null; then
  timeout 20 script -qec "$SM validate -" /dev/null </dev/null >"$OUT/stdout" 2>&1
  grep -qF 'standard input is a terminal' "$OUT/stdout" && pass || fail "stdin on a terminal"
fi

# 15. A CSV with two longitude columns ("long" and "lon") is an error
#     naming both, not a silent pick.
printf 'kind,id,lon,long,lat,time\nstrike,s1,37.1,37.2,36.2,2016-02-15T09:00:00Z\n' >"$OUT/ll.csv"
"$SM" validate "$OUT/ll.csv" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF 'll.csv: field "long": a second longitude column beside "lon"' "$OUT/stderr" && pass ||
  { fail "long and lon"; cat "$OUT/stderr" >&2; }
# 15b. A CSV row without a point says which of lon and lat is wrong, after
#     rows with good points (the loader ignores those fields while every row
#     has its point, then reads the layer again with them: issue 12), and
#     a good row after them is read as before.
printf 'kind,id,time,lon,lat\nstrike,a,2016-02-02T00:15:04Z,35.1,33\nstrike,b,2016-02-02T00:15:04Z,35.1abc,33\nstrike,c,2016-02-02T00:15:04Z,35.5,\nstrike,d,2016-02-02T00:15:04Z,x,y\nstrike,e,2016-02-02T00:15:04Z,36,34\n' >"$OUT/badxy.csv"
"$SM" validate "$OUT/badxy.csv" >/dev/null 2>"$OUT/stderr"
[ $? -eq 2 ] && [ "$(grep -c 'empty or not a finite number' "$OUT/stderr")" -eq 4 ] &&
  grep -qF 'feature 1 (id "b"): field "lon": empty or not a finite number; expected a longitude in degrees' "$OUT/stderr" &&
  grep -qF 'feature 2 (id "c"): field "lat": empty or not a finite number; expected a latitude in degrees' "$OUT/stderr" &&
  grep -qF 'feature 3 (id "d"): field "lon"' "$OUT/stderr" && grep -qF 'feature 3 (id "d"): field "lat"' "$OUT/stderr" &&
  pass || { fail "a CSV row without a point: which value"; cat "$OUT/stderr" >&2; }
head -2 "$OUT/badxy.csv" >"$OUT/goodxy.csv"
tail -1 "$OUT/badxy.csv" >>"$OUT/goodxy.csv"
"$SM" check "$OUT/goodxy.csv" --all-pairs --count >"$OUT/stdout" 2>"$OUT/stderr"
grep -qx 'strikes 2' "$OUT/stdout" && pass || { fail "a CSV's good rows"; cat "$OUT/stderr" >&2; }
# 15c. The same far into a table: the loader reads a layer ahead on a
#     second thread (claims/prefetch.c), which is stopped, the layer read
#     again up to the row and read ahead again after it; every row is read
#     once, in order (5,000 rows, row 3,000 without lat, row 4,000 with a
#     bad time after it).
awk 'BEGIN { print "kind,id,time,lon,lat";
             for (i = 0; i < 5000; i++) {
               lat = (i == 3000) ? "" : 33 + (i % 100) / 100;
               t = (i == 4000) ? "yesterday" : "2016-02-02T00:15:04Z";
               print "strike,s" i "," t ",35." (i % 97) "," lat } }' >"$OUT/far.csv"
"$SM" validate --no-position-check "$OUT/far.csv" >/dev/null 2>"$OUT/stderr"
rc=$?
[ $rc -eq 2 ] && [ "$(grep -c 'feature' "$OUT/stderr")" -eq 2 ] &&
  grep -qF 'feature 3000 (id "s3000"): field "lat": empty or not a finite number' "$OUT/stderr" &&
  grep -qF 'feature 4000 (id "s4000"): field "time"' "$OUT/stderr" &&
  pass || { fail "a CSV row without a point at row 3,000: exit $rc"; cat "$OUT/stderr" >&2; }
grep -v ',s3000,\|,s4000,' "$OUT/far.csv" >"$OUT/far-good.csv"
"$SM" check --no-position-check "$OUT/far-good.csv" --all-pairs --count >"$OUT/stdout" \
  2>"$OUT/stderr"
grep -qx 'strikes 4998' "$OUT/stdout" && pass || { fail "4,998 good rows"; cat "$OUT/stderr" >&2; }

# 16. The swapped-coordinates warning reaches every pair of that strike in
#     check --format json (issue 10): s-swapped, attributed to two aircraft.
"$SM" check "$D/swapped-pairs.geojson" --format json -o "$OUT/sw.json" 2>"$OUT/stderr"
python3 - "$OUT/sw.json" <<'PY' && pass || { fail "the swapped warning is missing from a pair"; cat "$OUT/stderr" >&2; }
import json, sys
pairs = [p for p in json.load(open(sys.argv[1]))["pairs"] if p["strike"] == "s-swapped"]
assert sorted(p["aircraft"] for p in pairs) == ["a-f16-1", "a-f16-2"], pairs
for p in pairs:
    assert "are they swapped?" in (p["warnings"] or ""), p
others = [p for p in json.load(open(sys.argv[1]))["pairs"] if p["strike"] != "s-swapped"]
assert others and all("swapped" not in (p["warnings"] or "") for p in others)
PY

# 17. Genuine naval strikes: two in the Black Sea among Syrian claims lie at
#     sea, but exchanging their lon and lat (Iraq) is no better a fit than
#     where they are (each has the other within 100 km), so no "swapped?";
#     position_checked: false silences one claim alone; --far-km fits the
#     "far" threshold to the theatre (the Black Sea is about 1,000 km from
#     Deir ez-Zor: geod below).
"$SM" validate "$D/naval.geojson" >/dev/null 2>"$OUT/stderr"
grep -qF 'id "s-naval-1"): field "geometry": the strike at (31.00000, 45.00000) lies at sea' "$OUT/stderr" && pass ||
  { fail "naval: no at-sea warning"; cat "$OUT/stderr" >&2; }
grep -q 'swapped' "$OUT/stderr" && { fail "naval strikes called swapped"; cat "$OUT/stderr" >&2; } || pass
python3 - "$D/naval.geojson" "$OUT/naval-off.geojson" <<'PY'
import json, sys
fc = json.load(open(sys.argv[1]))
for f in fc["features"]:
    if f["properties"]["id"] == "s-naval-1":
        f["properties"]["position_checked"] = False
json.dump(fc, open(sys.argv[2], "w"))
PY
"$SM" validate "$OUT/naval-off.geojson" >/dev/null 2>"$OUT/stderr"
! grep -qF '"s-naval-1"' "$OUT/stderr" && grep -qF '"s-naval-2"' "$OUT/stderr" && pass ||
  { fail "position_checked: false"; cat "$OUT/stderr" >&2; }
# a strike alone 1,200-odd km from the rest: far by default, not with --far-km 1500
far=$(echo "35.33 40.14 44.0 33.0" | geod +ellps=WGS84 -I +units=km -f %.0f | awk '{print $3}')
printf '{"type":"FeatureCollection","features":[%s]}\n' "$(python3 -c '
import json
pts=[(37.1627,36.1993,"s-aleppo"),(40.14,35.33,"s-deir"),(36.6339,35.9306,"s-idlib"),(38.98,35.95,"s-raqqa"),(33.0,44.0,"s-far")]
print(",".join(json.dumps({"type":"Feature","geometry":{"type":"Point","coordinates":[x,y]},"properties":{"kind":"strike","id":i}}) for x,y,i in pts))')" >"$OUT/far.geojson"
"$SM" validate --no-position-check "$OUT/far.geojson" >/dev/null 2>&1 && pass || fail "far.geojson does not validate"
"$SM" validate "$OUT/far.geojson" >/dev/null 2>"$OUT/stderr"
grep -qF '"s-far"' "$OUT/stderr" && pass || fail "far: not flagged by default ($far km)"
"$SM" validate --far-km 1500 "$OUT/far.geojson" >/dev/null 2>"$OUT/stderr"
! grep -q 'km from every other claim' "$OUT/stderr" && pass || { fail "far: --far-km 1500"; cat "$OUT/stderr" >&2; }
# GDAL's drivers are registered as a file's name asks (core/gdal.c): a file
# whose name says one format and holds another still opens, as it would with
# every driver registered (here a GeoJSON named .shp).
cp "$EX" "$OUT/mislabelled.shp"
"$SM" validate "$OUT/mislabelled.shp" >"$OUT/stdout" 2>"$OUT/stderr"
grep -q '^claims: *17: 7 strikes' "$OUT/stdout" && pass ||
  { fail "a GeoJSON named .shp does not read as the example"; cat "$OUT/stderr" >&2; }
finish
