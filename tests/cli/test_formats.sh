# Verdict outputs like a GDAL tool's (issue 10 items 2, 3, 5): one layer,
# "verdicts", in every format that has layers; the strike's and the fix's
# windows as two fields each (strike_time_start/_end, fix_time_start/_end),
# DateTime where the format has one; -o - for every stream format; each
# claim's warnings in every data output; warnings capped the same way on
# stderr whatever their kind; KML and KMZ for Google Earth with a name, the
# reasons, a line coloured by verdict and a TimeSpan per pair; reach -o
# x.kml / x.kmz. Oracles: the example file read by Python, ogrinfo (GDAL's
# own reader of each format) and PROJ's geod.
source "$(dirname "$0")/lib.sh"
EX="$SRC/examples/aleppo-2016.geojson"
cd "$OUT" || exit 2

# The claimed windows, read from the example directly: strike id -> start, end
python3 - "$EX" >want.times <<'PY'
import json, sys
for f in json.load(open(sys.argv[1]))['features']:
    p = f['properties']
    if p['kind'] == 'strike':
        print(p['id'], p.get('time_start', p.get('time')), p.get('time_end', p.get('time')))
PY

# ---- JSON and CSV: two fields per window, the claim's own text ----------
"$SM" check "$EX" -o v.json 2>/dev/null || fail "check -o v.json"
"$SM" check "$EX" -o v.csv 2>/dev/null || fail "check -o v.csv"
python3 - v.json v.csv want.times <<'PY' && pass || fail "JSON/CSV windows (above)"
import csv, json, sys
want = {l.split()[0]: l.split()[1:] for l in open(sys.argv[3])}
bad = 0
j = json.load(open(sys.argv[1]))['pairs']
c = list(csv.DictReader(open(sys.argv[2])))
for rows, what in ((j, 'json'), (c, 'csv')):
    if not rows or 'strike_time' in rows[0]:
        print(what, ': no rows, or the old interval field'); bad += 1
    for r in rows:
        got = [r['strike_time_start'], r['strike_time_end']]
        if got != want[r['strike']]:
            print(what, r['strike'], got, 'expected', want[r['strike']]); bad += 1
        if r['fix_time_start'] != r['fix_time_end'] and r['aircraft_kind'] == 'aircraft':
            print(what, 'a fix at one instant with two times', r); bad += 1
sys.exit(1 if bad else 0)
PY

# ---- one layer name, DateTime fields, the same windows through OGR ------
for ext in geojson gpkg kml kmz; do
  "$SM" check "$EX" -o "v.$ext" 2>/dev/null || fail "check -o v.$ext"
  layers=$(ogrinfo -ro -q "v.$ext" 2>/dev/null | sed -n 's/^1: \([^ ]*\).*/\1/p')
  [ "$layers" = verdicts ] && pass || fail "v.$ext: layer '$layers', expected verdicts"
  n=$(ogrinfo -ro -so -al "v.$ext" 2>/dev/null | sed -n 's/^Feature Count: //p')
  [ "$n" = 19 ] && pass || fail "v.$ext: $n features, expected 19"
done
# GeoJSON keeps the offset, GeoPackage holds UTC (its DateTime is UTC only)
ogrinfo -ro -so -al v.geojson | grep -q "strike_time_start: DateTime" && pass ||
  fail "v.geojson: strike_time_start is not a DateTime"
ogrinfo -ro -so -al v.gpkg | grep -q "strike_time_end: DateTime" && pass ||
  fail "v.gpkg: strike_time_end is not a DateTime"
ogrinfo -ro -al -q v.geojson -where "strike = 's-aleppo-a10' AND aircraft = 'a-a10-1'" |
  grep -q "strike_time_end (DateTime) = 2016/02/10 14:00:00+02" && pass ||
  fail "v.geojson: s-aleppo-a10's window end"
ogrinfo -ro -al -q v.gpkg -where "strike = 's-aleppo-a10' AND aircraft = 'a-a10-1'" |
  grep -q "strike_time_start (DateTime) = 2016/02/10 10:55:00" && pass ||
  fail "v.gpkg: s-aleppo-a10's window start in UTC"
ogrinfo -ro -al -q v.gpkg 2>&1 | grep -q "Non-conformant" && fail "v.gpkg: non-conformant DateTime" ||
  pass

# ---- KML and KMZ: what Google Earth shows --------------------------------
for ext in kml kmz; do
  ogrinfo -ro -al -q "v.$ext" >"kml.$ext.txt" 2>&1
  # every pair's verdict, name, style colour by verdict, and span, read back
  python3 - "kml.$ext.txt" v.json <<'PY' && pass || fail "v.$ext: verdicts, names, styles, spans (above)"
import json, re, sys
text = open(sys.argv[1]).read()
feats = text.split('OGRFeature(verdicts):')[1:]
pairs = json.load(open(sys.argv[2]))['pairs']
colour = {'plausible': '#0072B2', 'marginal': '#E69F00', 'implausible': '#D55E00',
          'unknown': '#8C8C8C'}
bad = 0
if len(feats) != len(pairs):
    print(len(feats), 'features,', len(pairs), 'pairs'); sys.exit(1)
def field(f, name):
    m = re.search(r'^  %s \([A-Za-z]+\) = (.*)$' % name, f, re.M)
    return m.group(1) if m else None
for f, p in zip(feats, pairs):
    v = field(f, 'verdict')
    if v != p['verdict'] or field(f, 'strike') != p['strike'] or field(f, 'aircraft') != p['aircraft']:
        print('feature', field(f, 'strike'), field(f, 'aircraft'), v, 'against', p['strike'], p['aircraft'], p['verdict']); bad += 1
    name = field(f, 'Name')
    if name != '%s \u2190 %s: %s' % (p['strike'], p['aircraft'], p['verdict']):
        print('name', name); bad += 1
    st = re.search(r'^  Style = PEN\(c:(#[0-9A-F]{6})', f, re.M)
    if not st or st.group(1) != colour[p['verdict']]:
        print('style', st and st.group(1), 'for', p['verdict']); bad += 1
    if field(f, 'description') is None or not field(f, 'description').startswith(p['reasons'][:40]):
        print('description', field(f, 'description')); bad += 1
    # the span: the earlier to the later of the two claimed windows, in UTC
    from datetime import datetime, timezone
    def utc(s): return datetime.fromisoformat(s).astimezone(timezone.utc)
    times = [utc(t) for t in (p['strike_time_start'], p['strike_time_end'],
                              p['fix_time_start'], p['fix_time_end']) if t]
    b, e = field(f, 'begin'), field(f, 'end')
    want_b = min(times).strftime('%Y/%m/%d %H:%M:%S+00')
    want_e = max(times).strftime('%Y/%m/%d %H:%M:%S+00')
    if (b, e) != (want_b, want_e):
        print('span', b, e, 'expected', want_b, want_e); bad += 1
sys.exit(1 if bad else 0)
PY
done
grep -q "<TimeSpan>" v.kml && grep -q "<LineStyle>" v.kml && pass || fail "v.kml: no TimeSpan or LineStyle"
# the implausible pair is drawn wider
grep -A3 "a-su34-deir: implausible" v.kml >/dev/null && pass || fail "v.kml: the implausible pair's name"

# ---- -o - is standard output for every stream format ----------------------
for f in text json csv geojson kml; do
  "$SM" check "$EX" -f $f -o - >"stdout.$f" 2>/dev/null && pass || fail "check -f $f -o -: exit $?"
done
[ ! -e ./- ] && pass || fail "-o - created a file named '-'"
grep -q "^STRIKE " stdout.text && pass || fail "-f text -o -: no table"
cmp -s stdout.json v.json && pass || fail "-f json -o -: not the file's bytes"
cmp -s stdout.csv v.csv && pass || fail "-f csv -o -: not the file's bytes"
n=$(ogrinfo -ro -so -al stdout.geojson 2>/dev/null | sed -n 's/^Feature Count: //p')
[ "$n" = 19 ] && pass || fail "-f geojson -o -: $n features"
n=$(ogrinfo -ro -so -al stdout.kml 2>/dev/null | sed -n 's/^Feature Count: //p')
[ "$n" = 19 ] && pass || fail "-f kml -o -: $n features"

# ---- warnings in every data output; capped alike on stderr ---------------
# 30 strikes without an offset, attributed to a force with no aircraft and
# to one aircraft: each kind of warning is named 10 times on stderr, then
# counted; every pair's warnings name its claims' own.
python3 - >warn.geojson <<'PY'
import json
f = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.5, 35.5]},
      "properties": {"kind": "aircraft", "id": "a1", "type": "Su-24M", "operator": "Russia",
                     "time": "2016-02-15T08:00:00+03:00"}}]
for j in range(30):
    f.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.6, 35.6]},
              "properties": {"kind": "strike", "id": "s%d" % j,
                             "attributed_to": ["a1", "Nobody Air Force"],
                             "time": "2016-02-15T08:30:00"}})
print(json.dumps({"type": "FeatureCollection", "features": f}))
PY
"$SM" check warn.geojson -o w.json 2>w.err || fail "check warn.geojson"
n=$(grep -c 'feature [0-9]* (id "s[0-9]*"): field "attributed_to"' w.err)
[ "$n" = 10 ] && pass || fail "stderr: $n attributed_to warnings named, expected 10"
grep -q '20 more warnings on field "attributed_to" not shown' w.err && pass ||
  fail "stderr: no count of the other attributed_to warnings: $(tail -3 w.err)"
n=$(grep -c 'feature [0-9]* (id "s[0-9]*"): field "time"' w.err)
[ "$n" = 10 ] && pass || fail "stderr: $n time warnings named, expected 10"
grep -q '20 more times have no UTC offset' w.err && pass || fail "stderr: no count of the other time warnings"
for ext in csv geojson gpkg kml kmz; do
  "$SM" check warn.geojson -o "w.$ext" 2>/dev/null || fail "check -o w.$ext"
done
python3 - w.json w.csv <<'PY' && pass || fail "warnings in JSON and CSV (above)"
import csv, json, sys
bad = 0
rows = json.load(open(sys.argv[1]))['pairs']
rows2 = list(csv.DictReader(open(sys.argv[2])))
if len(rows) != 30 or len(rows2) != 30:
    print(len(rows), len(rows2), 'rows, expected 30'); sys.exit(1)
for r, r2 in zip(rows, rows2):
    w = r['warnings'] or ''
    if not ('strike %s: time:' % r['strike'] in w and 'no UTC offset' in w and
            'Nobody Air Force' in w):
        print(r['strike'], 'warnings', w); bad += 1
    if r2['warnings'] != w:
        print(r['strike'], 'CSV warnings differ'); bad += 1
sys.exit(1 if bad else 0)
PY
for ext in geojson gpkg kml kmz; do
  n=$(ogrinfo -ro -al -q "w.$ext" 2>/dev/null | grep -c "warnings (String) = strike s[0-9]*: time: .*no UTC offset.*Nobody Air Force")
  [ "$n" = 30 ] && pass || fail "w.$ext: $n features carry their warnings, expected 30"
done

# ---- reach for Google Earth -------------------------------------------------
"$SM" reach --type Su-24M --from 37.0,36.0 --minutes 30 -o r.geojson 2>/dev/null || fail "reach -o r.geojson"
for ext in kml kmz; do
  "$SM" reach --type Su-24M --from 37.0,36.0 --minutes 30 -o "r.$ext" 2>"r.$ext.err" && pass ||
    { fail "reach -o r.$ext"; cat "r.$ext.err" >&2; }
  ogrinfo -ro -al -q "r.$ext" >"r.$ext.txt" 2>&1
  # the tiers and their radii as the GeoJSON gives them
  got=$(sed -n 's/^  tier (String) = //p; s/^  radius_km (Real) = //p' "r.$ext.txt" | paste -sd' ')
  want=$(ogrinfo -ro -al -q r.geojson | sed -n 's/^  tier (String) = //p; s/^  radius_km (Real) = //p' | paste -sd' ')
  [ -n "$want" ] && [ "$got" = "$want" ] && pass || fail "r.$ext: tiers '$got', GeoJSON '$want'"
  grep -q "Style = PEN(c:#D55E00" "r.$ext.txt" && pass || fail "r.$ext: no style on the top tier"
  # a vertex of the top tier lies at its radius from the start (geod)
  v=$(grep -m1 -oE "POLYGON Z? ?\(\([0-9.-]+ [0-9.-]+" "r.$ext.txt" | grep -oE "[0-9.-]+ [0-9.-]+$")
  r=$(sed -n 's/^  radius_km (Real) = //p' "r.$ext.txt" | head -1)
  d=$(echo "36.0 37.0 $(echo "$v" | awk '{print $2, $1}')" | geod +ellps=WGS84 -I +units=km -f %.6f |
    awk '{print $3}')
  near "$d" "$r" 0.01 && pass || fail "r.$ext: vertex $v at $d km, radius $r km"
done
"$SM" reach --type Su-24M --from 37.0,36.0 --minutes 30 -o r.shp 2>rs.err &&
  fail "reach -o r.shp succeeded" || pass
grep -q "reach writes GeoJSON (.geojson, .json), KML (.kml, .kmz)" rs.err && pass ||
  fail "reach -o r.shp: $(cat rs.err)"
finish
