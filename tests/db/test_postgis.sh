# PostGIS as a real database (SPEC §7, issue 10 item 6): claims read from a
# `PG:` connection check exactly like the same claims in GeoJSON, tables as
# real databases hold them (numeric ids, timestamptz shown with a negative
# offset, tracks with a text[] of times) read right, and a dead connection
# fails fast with a clear error.
#
# The server is a real PostgreSQL + PostGIS (Debian: postgresql,
# postgresql-15-postgis-3; scripts/deps.sh --test installs them) that this
# script starts in a fresh temporary directory and stops on any exit. It
# listens on a Unix socket in that directory only (no TCP), so it can clash
# with no other server on the machine; the port number, chosen at random,
# only names the socket. PostgreSQL refuses to run as root: as root (CI) the
# server runs as the `postgres` user that Debian's package creates, and the
# clients (psql, ogr2ogr, strikemap) connect as its superuser over the socket
# with trust authentication. Exit 77 (ctest: skipped) only where the packages
# are missing.
source "$(dirname "$0")/../cli/lib.sh"
EX=$SRC/examples/aleppo-2016.geojson
SM=$(realpath "$SM") SRC=$(realpath "$SRC") EX=$(realpath "$EX") OUT=$(realpath "$OUT")
cd "$OUT" || exit 2

# ---- find PostgreSQL with PostGIS ----------------------------------------
PGBIN=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
  "$(pg_config --bindir 2>/dev/null)"; do
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/pg_config" ] || continue
  [ -f "$("$d/pg_config" --sharedir)/extension/postgis.control" ] || continue
  PGBIN=$d
  break
done
if [ -z "$PGBIN" ]; then
  echo "SKIP: no PostgreSQL server with PostGIS installed (Debian: apt-get install" \
    "postgresql postgresql-15-postgis-3, or scripts/deps.sh --test)" >&2
  exit 77
fi
if [ "$(id -u)" -eq 0 ]; then
  if ! id -u postgres >/dev/null 2>&1; then
    echo "SKIP: running as root and there is no postgres user to run the server as" \
      "(Debian's postgresql package creates it)" >&2
    exit 77
  fi
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
for t in psql ogr2ogr ogrinfo python3; do
  command -v "$t" >/dev/null || [ -x "$PGBIN/$t" ] || { echo "FAIL: $t not found" >&2; exit 2; }
done
PSQL=$PGBIN/psql
[ -x "$PSQL" ] || PSQL=psql

# ---- start the server; stop it and remove everything on any exit ---------
# A short path: a Unix socket's path is limited to 107 bytes.
PGD=$(mktemp -d /tmp/sm-pg.XXXXXX) || exit 2
stop_server() {
  if [ -f "$PGD/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGD/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$PGD"
}
trap stop_server EXIT
trap 'exit 130' INT TERM HUP
[ "$(id -u)" -eq 0 ] && chown postgres "$PGD"
PORT=$((20000 + RANDOM % 40000))
T0=$(date +%s)
if ! as_pg "$PGBIN/initdb" -D "$PGD/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
  >"$PGD/initdb.log" 2>&1; then
  cat "$PGD/initdb.log" >&2
  echo "FAIL: initdb" >&2
  exit 2
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/server.log" -w -t 30 \
  -o "-k $PGD -p $PORT -c listen_addresses='' -c fsync=off" start >/dev/null; then
  cat "$PGD/server.log" >&2
  echo "FAIL: the PostgreSQL server did not start" >&2
  exit 2
fi
# Only this server, whatever the environment says.
unset PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE PGHOSTADDR PGOPTIONS PGTZ \
  PGDATESTYLE PGCLIENTENCODING PGSSLMODE PGCONNECT_TIMEOUT
export PGHOST=$PGD PGPORT=$PORT PGUSER=postgres
sql() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
sql -d postgres -c 'CREATE DATABASE sm' -c 'CREATE DATABASE field' || { fail "createdb"; finish; }
sql -d sm -c 'CREATE EXTENSION postgis' && sql -d field -c 'CREATE EXTENSION postgis' ||
  { fail "CREATE EXTENSION postgis"; finish; }
echo "PostgreSQL $(sql -d sm -c 'SHOW server_version'), PostGIS $(sql -d sm -c \
  'SELECT postgis_lib_version()') up in $(($(date +%s) - T0)) s on $PGD/.s.PGSQL.$PORT" >&2

# ---- 1. the example, loaded with ogr2ogr, checks as the GeoJSON does ------
ogr2ogr -f PostgreSQL PG:dbname=sm "$EX" -nln claims 2>"$OUT/ogr2ogr.err" ||
  { fail "ogr2ogr into PostGIS"; cat "$OUT/ogr2ogr.err" >&2; finish; }
# The test tests something only if the times arrive typed (timestamptz), not
# as the GeoJSON's text.
[ "$(sql -d sm -c "SELECT data_type FROM information_schema.columns
     WHERE table_name = 'claims' AND column_name = 'time'")" = "timestamp with time zone" ] &&
  pass || fail "ogr2ogr did not make \"time\" a timestamptz column"
CLAIMS="PG:dbname=sm tables=claims"

"$SM" validate "$CLAIMS" >"$OUT/validate-pg.txt" 2>"$OUT/validate-pg.err"
rc=$?
[ $rc -eq 0 ] && pass || { fail "validate $CLAIMS: exit $rc"; cat "$OUT/validate-pg.err" >&2; }
"$SM" validate "$EX" >"$OUT/validate-gj.txt" 2>/dev/null
for key in claims: "time span:" extent: result:; do
  a=$(grep "^$key" "$OUT/validate-pg.txt")
  b=$(grep "^$key" "$OUT/validate-gj.txt")
  [ -n "$b" ] && [ "$a" = "$b" ] && pass || fail "validate: PG says '$a', GeoJSON '$b'"
done
grep -q '^claims: *17: 7 strikes' "$OUT/validate-pg.txt" && pass ||
  fail "validate: not the example's 17 claims: $(grep '^claims' "$OUT/validate-pg.txt")"

# same_verdicts PG.json GEOJSON.json: every pair and the summary equal field
# for field; times (in fields and in the reasons) compared as instants, since
# PostgreSQL keeps a timestamptz as an instant and gives it back in the
# session's zone, not with the offset it was written with.
same_verdicts() {
  python3 - "$1" "$2" <<'PY'
import datetime, json, re, sys
T = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)')
def utc(m):
    t = datetime.datetime.fromisoformat(m.group(0).replace('Z', '+00:00'))
    return t.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
def norm(v):
    if isinstance(v, str):
        return T.sub(utc, v)
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    return v
a, b = (json.load(open(f)) for f in sys.argv[1:3])
bad = 0
if norm(a['summary']) != norm(b['summary']):
    print('summary: %s\n   vs  %s' % (a['summary'], b['summary'])); bad += 1
if len(a['pairs']) != len(b['pairs']):
    print('%d pairs, %d in the GeoJSON' % (len(a['pairs']), len(b['pairs']))); bad += 1
for i, (p, q) in enumerate(zip(a['pairs'], b['pairs'])):
    p, q = norm(p), norm(q)
    for k in sorted(set(p) | set(q)):
        if p.get(k, '<absent>') != q.get(k, '<absent>'):
            print('pair %d (%s / %s): %s: %r, GeoJSON %r' % (i, q.get('strike'), q.get('aircraft'),
                  k, p.get(k, '<absent>'), q.get(k, '<absent>')))
            bad += 1
sys.exit(1 if bad else 0)
PY
}
"$SM" check "$CLAIMS" --format json >"$OUT/check-pg.json" 2>"$OUT/check-pg.err"
rc=$?
[ $rc -eq 0 ] && pass || { fail "check $CLAIMS: exit $rc"; cat "$OUT/check-pg.err" >&2; }
"$SM" check "$EX" --format json >"$OUT/check-gj.json" 2>/dev/null
same_verdicts "$OUT/check-pg.json" "$OUT/check-gj.json" && pass ||
  fail "check: PostGIS and GeoJSON verdicts differ (above)"
# not a comparison of two empty lists: the example's 19 pairs, one implausible
# (the Su-34 at Deir ez-Zor 317.6 km from Maarat al-Numan 6 minutes before)
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["summary"]
p=[x for x in d["pairs"] if x["verdict"]=="implausible"]
sys.exit(not (s["pairs"]==19 and len(p)==1 and p[0]["aircraft"]=="a-su34-deir"
    and p[0]["distance_km"]==317.605))' "$OUT/check-pg.json" && pass ||
  fail "check $CLAIMS: not the example's 19 pairs with a-su34-deir implausible at 317.605 km"
cmp -s "$OUT/check-pg.err" /dev/null && pass ||
  { fail "check $CLAIMS: says something on stderr"; cat "$OUT/check-pg.err" >&2; }

# A table with longitude and latitude columns and no geometry (as an import
# of a CSV makes it) is an error naming the field; a view that makes the
# point (the README's way) checks like the GeoJSON.
sql -d sm <<'SQL' || fail "creating the lon/lat table and its view"
CREATE TABLE claims_xy AS SELECT ogc_fid, kind, id, label, claimed_by, attributed_to, time_start,
  time_end, type, operator, base, "time", time_uncertainty_min, location_uncertainty_km,
  grading, weapon, source, notes, ST_X(wkb_geometry) AS longitude, ST_Y(wkb_geometry) AS latitude
  FROM claims;
CREATE VIEW claims_xy_points AS SELECT *,
  ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geometry(Point, 4326) AS geom
  FROM claims_xy;
SQL
"$SM" check "PG:dbname=sm tables=claims_xy" --format json >"$OUT/xy.json" 2>"$OUT/xy.err"
rc=$?
[ $rc -eq 2 ] && grep -q 'field "geometry": missing' "$OUT/xy.err" && pass ||
  { fail "check of a table without geometry: exit $rc, not an error naming the geometry"; cat "$OUT/xy.err" >&2; }
"$SM" check "PG:dbname=sm tables=claims_xy_points" --format json >"$OUT/xyv.json" 2>"$OUT/xyv.err"
rc=$?
[ $rc -eq 0 ] && pass || { fail "check of a view with points: exit $rc"; cat "$OUT/xyv.err" >&2; }
same_verdicts "$OUT/xyv.json" "$OUT/check-gj.json" && pass ||
  fail "check: a view's verdicts differ from the GeoJSON's (above)"

# The same claims in UTM zone 37N (transformed back to WGS84 by strikemap)
# and as a geography column.
ogr2ogr -f PostgreSQL PG:dbname=sm "$EX" -nln claims_utm -t_srs EPSG:32637 2>/dev/null ||
  fail "ogr2ogr to UTM"
sql -d sm -c "CREATE TABLE claims_geog AS SELECT ogc_fid, kind, id, label, claimed_by,
  attributed_to, time_start, time_end, type, operator, base, \"time\", time_uncertainty_min,
  location_uncertainty_km, grading, weapon, source, notes, wkb_geometry::geography AS geog
  FROM claims" || fail "creating the geography table"
for t in claims_utm claims_geog; do
  "$SM" check "PG:dbname=sm tables=$t" --format json >"$OUT/$t.json" 2>"$OUT/$t.err"
  rc=$?
  [ $rc -eq 0 ] && pass || { fail "check of $t: exit $rc"; cat "$OUT/$t.err" >&2; }
  same_verdicts "$OUT/$t.json" "$OUT/check-gj.json" && pass ||
    fail "check: $t's verdicts differ from the GeoJSON's (above)"
done

# ---- 2. a table as a database holds it ----------------------------------
# bigint ids, timestamptz in a database whose zone is five hours behind UTC
# (so OGR reads 04:00:00-05 and strikemap must keep the offset), a track as a
# LineString with a text[] of times and one with a "a;b" text. Hand-worked as
# in tests/cli/test_input.sh: the strike is at 09:30Z; the fix at
# 04:00-05:00 = 09:00Z is 30 minutes before it, 1,380.012 km away (PROJ's geod
# below), beyond a Su-24M at 1,700 km/h (850 km in 30 min); the track's last
# vertex is the same point at the same time. The strike is also attributed
# to "x-99", which is nothing in the claims: a warning in every pair.
sql -d field <<'SQL' || fail "creating the field tables"
ALTER DATABASE field SET timezone TO 'America/Bogota';
CREATE TABLE incidents (gid serial PRIMARY KEY, kind text NOT NULL, id bigint NOT NULL,
  label text, "time" timestamptz, attributed_to text, geom geometry(Point, 4326));
INSERT INTO incidents (kind, id, label, "time", attributed_to, geom) VALUES
  ('strike', 5, 'حلب', '2016-02-15T09:30:00Z', '7;8;9;x-99', ST_SetSRID(ST_MakePoint(37.16, 36.20), 4326));
CREATE TABLE fixes (gid serial PRIMARY KEY, kind text NOT NULL, id integer NOT NULL,
  type text, "time" timestamptz, geom geometry(Point, 4326));
INSERT INTO fixes (kind, id, type, "time", geom) VALUES
  ('aircraft', 7, 'Su-24M', '2016-02-15T04:00:00-05:00', ST_SetSRID(ST_MakePoint(50, 30), 4326));
CREATE TABLE tracks (gid serial PRIMARY KEY, kind text, id integer, type text, times text[],
  geom geometry(LineString, 4326));
INSERT INTO tracks (kind, id, type, times, geom) VALUES
  ('aircraft', 8, 'Su-24M', ARRAY['2016-02-15T03:00:00-05:00', '2016-02-15T04:00:00-05:00'],
   ST_GeomFromText('LINESTRING(45 30, 50 30)', 4326));
CREATE TABLE tracks_text (gid serial PRIMARY KEY, kind text, id integer, type text, times text,
  geom geometry(LineString, 4326));
INSERT INTO tracks_text (kind, id, type, times, geom) VALUES
  ('aircraft', 9, 'Su-24M', '2016-02-15T03:00:00-05:00;2016-02-15T04:00:00-05:00',
   ST_GeomFromText('LINESTRING(45 30, 50 30)', 4326));
SQL
FIELD="PG:dbname=field tables=incidents,fixes,tracks,tracks_text"
ogrinfo -q "PG:dbname=field" fixes | grep -q 'time (DateTime) = 2016/02/15 04:00:00-05' && pass ||
  fail "OGR does not read a -05 timestamptz (the test would test nothing)"
ogrinfo -q "PG:dbname=field" tracks | grep -q 'times (StringList)' && pass ||
  fail "OGR does not read text[] as a StringList (the test would test nothing)"
want_km=$(echo "36.20 37.16 30 50" | geod +ellps=WGS84 -I +units=km -f %.6f | awk '{print $3}')
"$SM" check "$FIELD" --format json >"$OUT/field.json" 2>"$OUT/field.err"
rc=$?
[ $rc -eq 0 ] && pass || { fail "check $FIELD: exit $rc"; cat "$OUT/field.err" >&2; }
python3 - "$OUT/field.json" "$want_km" <<'PY' && pass || fail "check $FIELD: verdicts (above)"
import json, sys
d = json.load(open(sys.argv[1])); want = float(sys.argv[2]); bad = 0
got = {p['aircraft']: p for p in d['pairs']}
if sorted(got) != ['7', '8', '9']:
    print('pairs with %s, expected 7, 8, 9' % sorted(got)); sys.exit(1)
for a, p in sorted(got.items()):
    for k, v in (('strike', '5'), ('verdict', 'implausible'), ('decided_by', 'time'),
                 ('available_minutes', 30), ('strike_label', 'حلب')):
        if p[k] != v:
            print('aircraft %s: %s %r, expected %r' % (a, k, p[k], v)); bad += 1
    if abs(p['distance_km'] - want) > 0.0005:
        print('aircraft %s: distance_km %r, geod %r' % (a, p['distance_km'], want)); bad += 1
    if 'x-99' not in (p['warnings'] or ''):
        print('aircraft %s: warnings %r, expected x-99 named' % (a, p['warnings'])); bad += 1
    if p['strike_time_start'] not in ('2016-02-15T04:30:00-05:00', '2016-02-15T09:30:00Z'):
        print('aircraft %s: strike_time_start %r, expected 09:30Z' % (a, p['strike_time_start'])); bad += 1
sys.exit(1 if bad else 0)
PY

# ---- 3. a dead or wrong connection fails fast and clearly ----------------
# No server on this port in our socket directory; a database that does not
# exist; a table that does not exist.
for bad in "PG:dbname=sm port=$((PORT == 65535 ? PORT - 1 : PORT + 1))" "PG:dbname=nosuch" \
  "PG:dbname=sm tables=nosuch"; do
  t0=$(date +%s%N)
  "$SM" check "$bad" --format json >"$OUT/dead.json" 2>"$OUT/dead.err"
  rc=$?
  ms=$((($(date +%s%N) - t0) / 1000000))
  [ $rc -eq 2 ] && pass || { fail "check $bad: exit $rc, expected 2"; cat "$OUT/dead.err" >&2; }
  [ $ms -lt 5000 ] && pass || fail "check $bad: took $ms ms to fail"
  grep -qF "error: $bad" "$OUT/dead.err" && pass ||
    { fail "check $bad: the error does not name the connection"; cat "$OUT/dead.err" >&2; }
  [ -s "$OUT/dead.json" ] && fail "check $bad: wrote verdicts" || pass
done

# ---- 4. verdicts written back: check -o PG:... ---------------------------
# The table (the layer name of every format, or the one `tables=` names) is
# replaced in one transaction: read back with psql and ogrinfo it holds
# every pair, field for field as the JSON of the same check, LineStrings in
# SRID 4326 from the fix to the strike along the geodesic (PostGIS's own
# geodesic length, GeographicLib, against PROJ's geod). A write that fails
# (no right to replace the table, the connection dropped half-way) exits 2
# and leaves the old table as it was.
# table_json DB TABLE: the table's rows as strikemap's JSON pairs
table_json() {
  sql -d "$1" -c "SELECT coalesce(json_agg(to_jsonb(v) - 'ogc_fid' - 'wkb_geometry'
                  ORDER BY ogc_fid), '[]') FROM $2 v"
}
# same_rows ROWS.json CHECK.json: the table's rows are the check's pairs
same_rows() {
  python3 - "$1" "$2" <<'PY2'
import datetime, json, re, sys
# times compared as instants: a timestamptz comes back in the session's zone
T = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)')
def utc(m):
    t = datetime.datetime.fromisoformat(m.group(0).replace('Z', '+00:00'))
    return t.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
def norm(d):
    return {k: T.sub(utc, v) if isinstance(v, str) else v for k, v in d.items()}
rows = [norm(r) for r in json.load(open(sys.argv[1]))]
pairs = [norm(p) for p in json.load(open(sys.argv[2]))['pairs']]
bad = 0
if len(rows) != len(pairs) or not rows:
    print('%d rows, %d pairs' % (len(rows), len(pairs))); sys.exit(1)
for i, (r, p) in enumerate(zip(rows, pairs)):
    for k in sorted(set(r) | set(p)):
        a, b = r.get(k, '<absent>'), p.get(k, '<absent>')
        if a != b and not (isinstance(a, float) and isinstance(b, (int, float)) and a == b):
            print('row %d (%s / %s): %s: %r in the table, %r in the JSON' %
                  (i, p.get('strike'), p.get('aircraft'), k, a, b)); bad += 1
sys.exit(1 if bad else 0)
PY2
}
"$SM" check "$CLAIMS" -o PG:dbname=sm >"$OUT/w.out" 2>"$OUT/w.err"
rc=$?
[ $rc -eq 0 ] && pass || { fail "check -o PG:dbname=sm: exit $rc"; cat "$OUT/w.err" >&2; }
grep -qF "19 pairs written to PG:dbname=sm" "$OUT/w.err" && pass ||
  { fail "check -o PG:dbname=sm: no '19 pairs written'"; cat "$OUT/w.err" >&2; }
[ -e "PG:dbname=sm" ] && fail "check -o PG:dbname=sm wrote a file of that name" || pass
"$SM" check "$CLAIMS" --format json >"$OUT/w-check.json" 2>/dev/null
table_json sm verdicts >"$OUT/w-rows.json" || fail "psql: no verdicts table"
same_rows "$OUT/w-rows.json" "$OUT/w-check.json" && pass ||
  fail "the verdicts table is not the check's JSON (above)"
[ "$(sql -d sm -c "SELECT string_agg(column_name || ' ' || data_type, ',' ORDER BY column_name)
     FROM information_schema.columns WHERE table_name = 'verdicts' AND column_name ~ '_time_(start|end)$'")" = \
  "fix_time_end timestamp with time zone,fix_time_start timestamp with time zone,strike_time_end timestamp with time zone,strike_time_start timestamp with time zone" ] &&
  pass || fail "the verdicts' times are not timestamptz columns"
[ "$(sql -d sm -c "SELECT verdict || ' ' || count(*) FROM verdicts GROUP BY verdict ORDER BY verdict" |
  tr '\n' ,)" = "implausible 1,plausible 18," ] && pass || fail "verdict counts in the table"
[ "$(sql -d sm -c "SELECT Find_SRID('public', 'verdicts', 'wkb_geometry') || ' ' ||
     string_agg(DISTINCT ST_SRID(wkb_geometry) || ST_GeometryType(wkb_geometry), ',')
     FROM verdicts")" = "4326 4326ST_LineString" ] && pass ||
  fail "the verdicts are not LineStrings in SRID 4326"
ogrinfo -so PG:dbname=sm verdicts >"$OUT/ogrinfo.txt" 2>&1
grep -q "Feature Count: 19" "$OUT/ogrinfo.txt" && grep -q 'Geometry: Line String' "$OUT/ogrinfo.txt" &&
  grep -q 'ID\["EPSG",4326\]' "$OUT/ogrinfo.txt" && pass ||
  { fail "ogrinfo: not 19 Line Strings in EPSG:4326"; cat "$OUT/ogrinfo.txt" >&2; }
# each line runs from the fix (or launcher) to the strike, along the geodesic
sql -d sm -F ' ' -c "SELECT strike, aircraft, fix_lat, fix_lon, strike_lat, strike_lon,
    ST_Y(ST_StartPoint(wkb_geometry)), ST_X(ST_StartPoint(wkb_geometry)),
    ST_Y(ST_EndPoint(wkb_geometry)), ST_X(ST_EndPoint(wkb_geometry)),
    ST_Length(wkb_geometry::geography) / 1000 FROM verdicts ORDER BY ogc_fid" >"$OUT/lines.txt"
bad_lines=$(awk '{ print $3, $4, $5, $6 }' "$OUT/lines.txt" |
  geod +ellps=WGS84 -I +units=km -f %.6f | paste -d ' ' "$OUT/lines.txt" - | awk '
  function abs(x) { return x < 0 ? -x : x }
  abs($7 - $3) > 5e-5 || abs($8 - $4) > 5e-5 || abs($9 - $5) > 5e-5 || abs($10 - $6) > 5e-5 ||
  abs($11 - $14) > 0.01 { print $1 "/" $2 ": line " $7 "," $8 " to " $9 "," $10 " of " $11 \
    " km; fix " $3 "," $4 ", strike " $5 "," $6 ", geod " $14 " km" }')
[ "$(wc -l <"$OUT/lines.txt")" -eq 19 ] && [ -z "$bad_lines" ] && pass ||
  fail "verdict lines are not the geodesics from fix to strike: $bad_lines"

# tables= names the table; a second write replaces it (not appends); the
# warnings travel into it
"$SM" check "$FIELD" -o "PG:dbname=field tables=checked" 2>"$OUT/w2.err"
rc=$?
[ $rc -eq 0 ] && pass || { fail "check -o 'PG:dbname=field tables=checked': exit $rc"; cat "$OUT/w2.err" >&2; }
"$SM" check "$FIELD" -o "PG:dbname=field tables=checked" 2>"$OUT/w2.err" || fail "second write"
"$SM" check "$FIELD" --format json >"$OUT/w2-check.json" 2>/dev/null
table_json field checked >"$OUT/w2-rows.json" || fail "psql: no table checked"
same_rows "$OUT/w2-rows.json" "$OUT/w2-check.json" && pass ||
  fail "the table checked is not the check's JSON (above)"
[ "$(sql -d field -c "SELECT count(*) FROM checked WHERE warnings LIKE '%x-99%'")" = 3 ] && pass ||
  fail "the warnings did not reach the table"

# no pairs: an empty table, still with its SRID
sql -d sm -c "CREATE TABLE bases AS SELECT * FROM claims WHERE kind = 'base'" || fail "bases"
"$SM" check "PG:dbname=sm tables=bases" -o "PG:dbname=sm tables=no_pairs" 2>"$OUT/w0.err"
rc=$?
[ $rc -eq 0 ] && [ "$(sql -d sm -c "SELECT count(*) || ' ' || Find_SRID('public', 'no_pairs',
  'wkb_geometry') FROM no_pairs")" = "0 4326" ] && pass ||
  { fail "check (no pairs) -o PG: exit $rc, not an empty table in SRID 4326"; cat "$OUT/w0.err" >&2; }
sql -d sm -c "DROP TABLE bases, no_pairs" || fail "DROP TABLE bases, no_pairs"
# an output that names an input table is refused before any work
claims_before=$(sql -d sm -c "SELECT count(*) || md5(string_agg(c::text, '|' ORDER BY ogc_fid)) FROM claims c")
"$SM" check "$CLAIMS" -o "PG:dbname=sm tables=claims" >/dev/null 2>"$OUT/wi.err"
rc=$?
[ $rc -eq 2 ] && grep -qF 'table "claims" is read as claims from PG:dbname=sm tables=claims' "$OUT/wi.err" &&
  pass || { fail "check -o (an input table): exit $rc, not refused"; cat "$OUT/wi.err" >&2; }
[ "$(sql -d sm -c "SELECT count(*) || md5(string_agg(c::text, '|' ORDER BY ogc_fid)) FROM claims c")" = \
  "$claims_before" ] && pass || fail "check -o (an input table): the claims table changed"

# A failed write leaves the old table as it was. (a) A role that may read
# the table but not replace it; (b) the connection dropped half-way: the
# server ends its own backend when the new table's spatial index is made,
# after the old table was dropped inside the transaction.
digest() { sql -d sm -c "SELECT count(*) || ' ' || md5(string_agg(v::text, '|' ORDER BY ogc_fid))
                         FROM verdicts v"; }
# the old table is marked, so that a write of the same verdicts would show
sql -d sm -c "UPDATE verdicts SET reasons = 'the old table'" || fail "UPDATE verdicts"
before=$(digest)
sql -d sm -c "CREATE ROLE reader LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader" ||
  fail "CREATE ROLE"
sql -d sm <<'SQL' || fail "CREATE EVENT TRIGGER"
CREATE FUNCTION drop_connection() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('application_name') <> 'psql' THEN
    PERFORM pg_terminate_backend(pg_backend_pid());
    PERFORM pg_sleep(5);
  END IF;
END $$;
CREATE EVENT TRIGGER drop_connection ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION drop_connection();
SQL
for case in "PG:dbname=sm user=reader|must be owner" "PG:dbname=sm|terminating connection"; do
  dest=${case%%|*} why=${case#*|}
  t0=$(date +%s%N)
  "$SM" check "$CLAIMS" -o "$dest" >/dev/null 2>"$OUT/wf.err"
  rc=$?
  ms=$((($(date +%s%N) - t0) / 1000000))
  [ $rc -eq 2 ] && pass || { fail "check -o '$dest' (failing): exit $rc, expected 2"; cat "$OUT/wf.err" >&2; }
  grep -qF "error: $dest" "$OUT/wf.err" && grep -qF "$why" "$OUT/wf.err" && pass ||
    { fail "check -o '$dest' (failing): no error naming it and saying '$why'"; cat "$OUT/wf.err" >&2; }
  [ "$(digest)" = "$before" ] && pass || fail "check -o '$dest' (failing): the old table changed"
  [ $ms -lt 10000 ] && pass || fail "check -o '$dest' (failing): took $ms ms"
done
# (c) interrupted half-way (SIGTERM): strikemap is stopped while the server holds the
# write at the new table's index (after the DROP); the server rolls back
# the transaction of a client that is gone.
sql -d sm <<'SQL' || fail "CREATE FUNCTION (sleep)"
CREATE OR REPLACE FUNCTION drop_connection() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('application_name') <> 'psql' THEN
    PERFORM pg_sleep(20);
  END IF;
END $$;
SQL
"$SM" check "$CLAIMS" -o PG:dbname=sm >/dev/null 2>"$OUT/wc.err" &
pid=$!
for _ in $(seq 200); do # until the write is held (10 s at most)
  [ "$(sql -d sm -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")" = 1 ] &&
    break
  sleep 0.05
done
kill -TERM $pid # (an asynchronous job of a script ignores SIGINT)
wait $pid
rc=$?
[ $rc -ne 0 ] && pass || fail "check -o PG: interrupted: exit 0"
# the server notices the client gone when the sleep is cut short
sql -d sm -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep'" \
  >/dev/null
for _ in $(seq 200); do
  [ "$(sql -d sm -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'sm'
       AND application_name <> 'psql' AND backend_type = 'client backend'")" = 0 ] && break
  sleep 0.05
done
[ "$(digest)" = "$before" ] && pass || fail "check -o PG: interrupted: the old table changed"
[ "$(sql -d sm -c "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables
     WHERE schemaname = 'public'")" = "claims,claims_geog,claims_utm,claims_xy,spatial_ref_sys,verdicts" ] && pass ||
  fail "tables left behind: $(sql -d sm -c "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")"
sql -d sm -c "DROP EVENT TRIGGER drop_connection" || fail "DROP EVENT TRIGGER"
# a dead server or a format that is not PostGIS: exit 2 before any work
"$SM" check "$CLAIMS" -o "PG:dbname=sm port=$((PORT == 65535 ? PORT - 1 : PORT + 1))" \
  2>"$OUT/wd.err" >/dev/null
[ $? -eq 2 ] && grep -qF "error: PG:dbname=sm port=" "$OUT/wd.err" && pass ||
  { fail "check -o (a dead server): not exit 2 naming it"; cat "$OUT/wd.err" >&2; }
"$SM" check "$CLAIMS" --format json -o PG:dbname=sm 2>"$OUT/wj.err" >/dev/null
[ $? -eq 2 ] && pass || { fail "check --format json -o PG:...: not exit 2"; cat "$OUT/wj.err" >&2; }
[ "$(digest)" = "$before" ] && pass || fail "the failed writes changed the table"

echo "$(basename "$0"): $(($(date +%s) - T0)) s" >&2
finish
