# Every file strikemap writes is written safely and never lies (SPEC §6,
# issue 9 items 3, 4, 5, 8, 10, 11): an output that names an input is refused
# before any work; a full disk, an unreplaceable target or a signal leaves
# the old output byte for byte and no temporary behind; a map and its side
# files are replaced together or not at all; the format is what the file's
# extension says; symlinks are written through; "-" is standard output.
# Each block asserts the exit status, the message, the old bytes (cmp) and
# that no temporary is left. Blocks that need root (mount, chattr) say SKIP
# without it.
source "$(dirname "$0")/lib.sh"
EX="$SRC/examples/aleppo-2016.geojson"
TABLE="$SRC/tests/data/tables/aircraft.csv"
W="$OUT/w"
mkdir -p "$W"
cp "$EX" "$W/in.geojson"
cp "$TABLE" "$W/t.csv"
cd "$W" || exit 2

# no_tmp DIR WHAT: no temporary (.NAME.PID-N.tmp*, .NAME.PID-N.old, *.tmp-reach) in DIR
no_tmp() {
  local left
  left=$(ls -a "$1" | grep -E '\.tmp|\.old$' || true)
  [ -z "$left" ] && pass || fail "$2: temporaries left in $1: $left"
}
# expect_run WHAT STATUS MESSAGE COMMAND...: exit status and a line of stderr
expect_run() {
  local what=$1 want=$2 msg=$3 rc
  shift 3
  "$@" >"$OUT/stdout" 2>"$OUT/stderr"
  rc=$?
  [ $rc -eq "$want" ] && pass || { fail "$what: exit $rc, expected $want"; cat "$OUT/stderr" >&2; }
  if [ -n "$msg" ]; then
    grep -qF -- "$msg" "$OUT/stderr" && pass || { fail "$what: no message '$msg'"; cat "$OUT/stderr" >&2; }
  fi
}
same() { # same FILE COPY WHAT: FILE is byte for byte COPY
  cmp -s "$1" "$2" && pass || fail "$3: $1 changed"
}
ROOT=0
[ "$(id -u)" -eq 0 ] && ROOT=1

# ---- item 3: an output that names an input -------------------------------
cp in.geojson in.orig
cp t.csv t.orig
mkdir -p sub
ln -sf ../in.geojson sub/link.geojson
for o in in.geojson ./in.geojson sub/../in.geojson "$W/in.geojson" sub/link.geojson; do
  expect_run "check -o $o" 2 "-o $o: is the claims file in.geojson" "$SM" check in.geojson -o "$o"
  same in.geojson in.orig "check -o $o"
done
expect_run "check --aircraft t.csv -o t.csv" 2 "-o t.csv: is the --aircraft table t.csv" \
  "$SM" check in.geojson --aircraft t.csv -o t.csv
same t.csv t.orig "check --aircraft t.csv -o t.csv"
expect_run "reach --aircraft t.csv -o ./t.csv" 2 "-o ./t.csv: is the --aircraft table t.csv" \
  "$SM" reach --aircraft t.csv --type TestJet --from 36,36 -o ./t.csv
same t.csv t.orig "reach --aircraft t.csv -o t.csv"
# reach refuses a .csv name anyway; a .geojson name clashing with the table:
cp t.csv t.geojson
expect_run "reach --aircraft t.geojson -o t.geojson" 2 "is the --aircraft table t.geojson" \
  "$SM" reach --aircraft t.geojson --type TestJet --from 36,36 -o t.geojson
same t.geojson t.orig "reach --aircraft t.geojson -o t.geojson"
printf 'title_size = 20\n' >style.png
cp style.png style.orig
expect_run "render --style style.png -o style.png" 2 "is the --style file style.png" \
  "$SM" render in.geojson --style style.png -o style.png
same style.png style.orig "render --style"
# a PNG's side file naming an input
cp t.csv m.pgw
expect_run "render --aircraft m.pgw -o m.png" 2 "its side file m.pgw is the --aircraft table m.pgw" \
  "$SM" render in.geojson --aircraft m.pgw -o m.png
same m.pgw t.orig "render side file"
[ ! -e m.png ] && pass || fail "render side file: m.png written"
cp in.geojson in.pdf
expect_run "report -o claims" 2 "is the claims file in.pdf" "$SM" report in.pdf -o in.pdf
same in.pdf in.orig "report -o claims"
rm -f in.pdf t.geojson m.pgw style.png style.orig
no_tmp . "item 3"

# ---- item 10: the format is what the extension says --------------------
expect_run "check -o v.kml" 0 "19 pairs written to v.kml" "$SM" check in.geojson -o v.kml
n=$(ogrinfo -ro -al -so v.kml 2>/dev/null | sed -n 's/^Feature Count: //p')
[ "$n" = 19 ] && pass || fail "v.kml: ogrinfo reads $n features, expected 19"
head -2 v.kml | grep -q '<kml' && pass || fail "v.kml is not KML"
expect_run "check -o v.kmz" 0 "19 pairs written to v.kmz" "$SM" check in.geojson -o v.kmz
n=$(ogrinfo -ro -al -so v.kmz 2>/dev/null | sed -n 's/^Feature Count: //p')
[ "$n" = 19 ] && pass || fail "v.kmz: ogrinfo reads $n features, expected 19"
for ext in shp fgb xlsx; do
  expect_run "check -o v.$ext" 2 "-o v.$ext: no verdict writer for \".$ext\" files" \
    "$SM" check in.geojson -o "v.$ext"
  [ ! -e "v.$ext" ] && pass || fail "check -o v.$ext wrote a file"
done
expect_run "check -f json -o v.geojson" 2 "-o v.geojson: a \".geojson\" file is geojson, not json" \
  "$SM" check in.geojson -f json -o v.geojson
[ ! -e v.geojson ] && pass || fail "check -f json -o v.geojson wrote a file"
expect_run "reach -o reach.fgb" 2 "-o reach.fgb: reach writes GeoJSON" \
  "$SM" reach --type A-10C --from 36,36 -o reach.fgb
[ ! -e reach.fgb ] && pass || fail "reach -o reach.fgb wrote a file"
# a symlink is written through: the link stays, its target is replaced
mkdir -p real
printf 'old\n' >real/target.json
ln -sf real/target.json link.json
ln -sf real/new.json dangling.json
expect_run "check -o link.json" 0 "pairs written to link.json" "$SM" check in.geojson -o link.json
[ -L link.json ] && pass || fail "link.json is no longer a symlink"
grep -q '"pairs"' real/target.json && pass || fail "real/target.json not written through the link"
expect_run "check -o dangling.json" 0 "" "$SM" check in.geojson -o dangling.json
[ -L dangling.json ] && grep -q '"pairs"' real/new.json && pass ||
  fail "dangling.json: the link's target not created"
no_tmp real "symlink"
# - and /dev/stdout are standard output: no file named '-', no temporary
expect_run "check -o -" 0 "" "$SM" check in.geojson -f json -o -
grep -q '"summary"' "$OUT/stdout" && pass || fail "check -o -: no JSON on stdout"
[ ! -e ./- ] && pass || fail "check -o - created a file named '-'"
expect_run "check -f geojson -o -" 0 "" "$SM" check in.geojson -f geojson -o -
grep -q '"FeatureCollection"' "$OUT/stdout" && pass || fail "check -f geojson -o -: no GeoJSON"
expect_run "check -f csv -o /dev/stdout" 0 "" "$SM" check in.geojson -f csv -o /dev/stdout
[ "$(head -c 7 "$OUT/stdout")" = "strike," ] && pass || fail "check -o /dev/stdout: no CSV"
[ -L /dev/stdout ] || [ -c /dev/stdout ] && pass || fail "/dev/stdout replaced"
expect_run "check -f gpkg -o -" 2 "--format gpkg needs a file, not standard output" \
  "$SM" check in.geojson -f gpkg -o -
expect_run "check -f gpkg -o /dev/stdout" 2 "--format gpkg needs a file, not standard output" \
  "$SM" check in.geojson -f gpkg -o /dev/stdout
[ -L /dev/stdout ] || [ -c /dev/stdout ] && pass || fail "/dev/stdout replaced by gpkg"
# a replaced file keeps its permissions
printf 'old\n' >mode.json
chmod 640 mode.json
expect_run "check -o mode.json" 0 "" "$SM" check in.geojson -o mode.json
[ "$(stat -c %a mode.json)" = 640 ] && pass || fail "mode.json: mode $(stat -c %a mode.json), expected 640"
rm -f mode.json
expect_run "reach -o -" 0 "" "$SM" reach --type A-10C --from 36,36 -o -
grep -q '"Feature' "$OUT/stdout" && pass || fail "reach -o -: no GeoJSON on stdout"
[ ! -e ./- ] && pass || fail "reach -o - created a file named '-'"
# a name too long for a temporary's usual pattern (NAME_MAX 255)
long=$(printf 'a%.0s' $(seq 1 248)).json
expect_run "check -o <248-byte name>" 0 "" "$SM" check in.geojson -o "$long"
grep -q '"pairs"' "$long" && pass || fail "long name not written"
rm -f "$long"
no_tmp . "item 10"

# ---- long texts in every format: no cut (a 3,000-letter Arabic id is
# 6,000 bytes, past the 4,096-byte reasons buffer the rows used to have) ----
LONGID=$(printf '\330\243%.0s' $(seq 1 3000))
printf '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[36,36]},"properties":{"kind":"strike","id":"s-%s","time":"2016-02-10T12:00:00Z","attributed_to":"a-%s"}},{"type":"Feature","geometry":{"type":"Point","coordinates":[36.5,36.2]},"properties":{"kind":"aircraft","id":"a-%s","type":"A-10C","time":"2016-02-10T11:30:00Z"}}]}\n' \
  "$LONGID" "$LONGID" "$LONGID" >long.geojson
expect_run "long ids: json" 0 "" "$SM" check long.geojson -f json -o long.json
python3 -c '
import json, sys
r = json.load(open("long.json", encoding="utf-8"))["pairs"][0]["reasons"]
sys.exit(0 if "a-" + "\u0623" * 3000 in r else 1)' && pass || fail "long ids: JSON reasons cut or not valid"
expect_run "long ids: text" 0 "" "$SM" check long.geojson -o long.txt
iconv -f UTF-8 -t UTF-8 long.txt >/dev/null 2>&1 && pass || fail "long ids: text table not valid UTF-8"
grep -qF "a-$LONGID (A-10C)" long.txt && pass || fail "long ids: text table cuts the aircraft"
rm -f long.geojson long.json long.txt
# a message naming a long path shows all of it
LONGDIR=nodir/$(printf 'd%.0s' $(seq 1 200))/$(printf 'e%.0s' $(seq 1 200))/$(printf 'f%.0s' $(seq 1 200))
LONGDIR=$LONGDIR/$LONGDIR/$LONGDIR/$LONGDIR
expect_run "long path" 2 "$LONGDIR/x.json: cannot be written: No such file or directory" \
  "$SM" check in.geojson -o "$LONGDIR/x.json"

# ---- item 11: an empty name, reach's temporary --------------------------
for cmd in check render report; do
  expect_run "$cmd -o ''" 2 "$cmd: -o: the output file name is empty" "$SM" "$cmd" in.geojson -o ''
done
expect_run "reach -o ''" 2 "reach: -o: the output file name is empty" \
  "$SM" reach --type A-10C --from 36,36 -o ''
# reach writes through files.c: not OUT.tmp-reach, which is never touched
printf 'not mine\n' >r.geojson.tmp-reach
expect_run "reach -o r.geojson" 0 "" "$SM" reach --type A-10C --from 36,36 -o r.geojson
grep -q '"Feature' r.geojson && pass || fail "reach -o r.geojson: not GeoJSON"
[ "$(cat r.geojson.tmp-reach)" = "not mine" ] && pass || fail "reach used OUT.tmp-reach"
rm -f r.geojson.tmp-reach
no_tmp . "item 11"

# ---- item 4 (and 11): a full disk -------------------------------------------
# standard output on /dev/full
expect_run "check >/dev/full" 2 "standard output: cannot be written: No space left on device" \
  sh -c '"$0" check "$1" >/dev/full' "$SM" in.geojson
expect_run "check -f geojson -o - >/dev/full" 2 "standard output: cannot be written: No space left on device" \
  sh -c '"$0" check "$1" -f geojson -o - >/dev/full' "$SM" in.geojson
# what no command's writer sees: the CLI flushes standard output itself
# before it ends (main.c ends without the exit handlers that would)
expect_run "--version >/dev/full" 2 "standard output: cannot be written: No space left on device" \
  sh -c '"$0" --version >/dev/full' "$SM"
expect_run "reach >/dev/full" 2 "standard output: cannot be written: No space left on device" \
  sh -c '"$0" reach --type A-10C --from 36,36 >/dev/full' "$SM"
expect_run "check --count >/dev/full" 2 "check: standard output: cannot be written: No space left on device" \
  sh -c '"$0" check "$1" --count >/dev/full' "$SM" in.geojson
expect_run "validate >/dev/full" 2 "validate: standard output: cannot be written: No space left on device" \
  sh -c '"$0" validate "$1" >/dev/full' "$SM" in.geojson
if [ $ROOT -eq 1 ] && mkdir -p full && mount -t tmpfs -o size=16m tmpfs full 2>/dev/null; then
  for f in v.txt v.json v.csv v.geojson v.gpkg v.kml v.kmz; do
    "$SM" check in.geojson -o "full/$f" 2>/dev/null || fail "full: first $f not written"
  done
  "$SM" report in.geojson -o full/r.pdf 2>/dev/null || fail "full: first r.pdf not written"
  "$SM" report in.geojson -o full/r.html 2>/dev/null || fail "full: first r.html not written"
  "$SM" render in.geojson --size 400x300 -o full/m.png 2>/dev/null || fail "full: first m.png not written"
  "$SM" reach --type A-10C --from 36,36 -o full/r.geojson 2>/dev/null || fail "full: first r.geojson"
  "$SM" reach --type A-10C --from 36,36 -o full/r.kml 2>/dev/null || fail "full: first r.kml"
  mkdir -p old
  cp -a full/. old/
  dd if=/dev/zero of=full/fill bs=4k 2>/dev/null
  for f in v.txt v.json v.csv v.geojson v.kml v.kmz; do
    expect_run "full: check -o $f" 2 "full/$f: cannot be written: No space left on device" \
      "$SM" check in.geojson -o "full/$f"
    same "full/$f" "old/$f" "full: check -o $f"
    grep -q "pairs written" "$OUT/stderr" && fail "full: check -o $f says pairs written" || pass
  done
  expect_run "full: reach -o r.kml" 2 "full/r.kml: cannot be written" \
    "$SM" reach --type A-10C --from 36,36 -o full/r.kml
  same full/r.kml old/r.kml "full: reach -o r.kml"
  expect_run "full: check -o v.gpkg" 2 "full/v.gpkg: cannot be written: " \
    "$SM" check in.geojson -o full/v.gpkg
  grep -q "disk is full" "$OUT/stderr" && pass || fail "full: gpkg message does not say the disk is full"
  same full/v.gpkg old/v.gpkg "full: check -o v.gpkg"
  for f in r.pdf r.html; do
    expect_run "full: report -o $f" 2 "full/$f: cannot be written: No space left on device" \
      "$SM" report in.geojson -o "full/$f"
    # the run's verdict is the file, not the drawing
    grep -q "report: drawing failed" "$OUT/stderr" && fail "full: report $f says drawing failed" || pass
    same "full/$f" "old/$f" "full: report -o $f"
  done
  expect_run "full: render -o m.png" 2 "full/m.png: cannot be written: No space left on device" \
    "$SM" render in.geojson --size 500x300 -o full/m.png
  for f in m.png m.pgw m.png.aux.xml; do same "full/$f" "old/$f" "full: render $f"; done
  expect_run "full: reach -o r.geojson" 2 "full/r.geojson: cannot be written: No space left on device" \
    "$SM" reach --type A-10C --from 36,36 --minutes 30 -o full/r.geojson
  same full/r.geojson old/r.geojson "full: reach"
  rm -f full/fill
  no_tmp full "item 4"
  umount full
else
  echo "SKIP: full-disk tests need root and tmpfs" >&2
fi

# ---- item 5: a map and its side files, together or not at all -----------
"$SM" render in.geojson --size 400x300 -o m.png 2>/dev/null || fail "render m.png"
mkdir -p set
cp m.png m.pgw m.png.aux.xml set/
# an immutable map: nothing replaced, the side files included
if [ $ROOT -eq 1 ] && chattr +i m.png 2>/dev/null; then
  expect_run "immutable m.png" 2 "m.png: cannot be replaced: Operation not permitted" \
    "$SM" render in.geojson --size 500x300 -o m.png
  chattr -i m.png
  for f in m.png m.pgw m.png.aux.xml; do same "$f" "set/$f" "immutable m.png"; done
else
  echo "SKIP: chattr +i needs root and a file system with attributes" >&2
fi
# a folder where the map goes: an error before any work
mkdir -p d.png
cp set/m.pgw d.pgw
cp set/m.png.aux.xml d.png.aux.xml
expect_run "folder d.png" 2 "d.png: cannot be written: it is a folder" \
  "$SM" render in.geojson --size 500x300 -o d.png
same d.pgw set/m.pgw "folder d.png: d.pgw"
same d.png.aux.xml set/m.png.aux.xml "folder d.png: d.png.aux.xml"
rm -rf d.png d.pgw d.png.aux.xml
# the map's rename failing after its side files were renamed: they are
# put back (a folder appears where the map was, during the commit's pause)
cp set/m.png set/m.pgw set/m.png.aux.xml .
# (the pause is long and the wait for the side files longer, so that a slow
# sanitizer build on a busy machine still meets its window)
STRIKEMAP_TEST_COMMIT_PAUSE_MS=4000 "$SM" render in.geojson --size 500x300 -o m.png \
  >"$OUT/stdout" 2>"$OUT/stderr" &
pid=$!
for i in $(seq 1 6000); do
  cmp -s m.pgw set/m.pgw || break
  sleep 0.02
done
cmp -s m.pgw set/m.pgw && fail "restore: the side files were never renamed" || pass
mv m.png m.moved
mkdir m.png
wait $pid
rc=$?
[ $rc -eq 2 ] && pass || fail "restore: exit $rc, expected 2"
grep -qF "m.png: cannot be replaced: Is a directory" "$OUT/stderr" && pass ||
  fail "restore: no message 'm.png: cannot be replaced: Is a directory'"
same m.pgw set/m.pgw "restore: m.pgw"
same m.png.aux.xml set/m.png.aux.xml "restore: m.png.aux.xml"
same m.moved set/m.png "restore: the old map"
rmdir m.png
mv m.moved m.png
# the old map's backup link, which could not go back over the folder, is
# named in a message and kept
kept=$(sed -n 's/.*the previous file is kept as //p' "$OUT/stderr")
[ -n "$kept" ] && cmp -s "$kept" set/m.png && pass || fail "restore: backup '$kept' not named or not the old map"
rm -f "$kept"
no_tmp . "restore"
# two runs to one path: the set on disk is always one run's whole set
# (run A pauses 600 ms inside its commit, between its side files and its
# map; run B, started 150 ms later, commits meanwhile: without the lock B's
# files would land between A's)
A="--bbox 35,35,38,37.5"
B="--bbox 35.01,35,38.01,37.5"
"$SM" render in.geojson --size 400x300 $A -o a.png 2>/dev/null
"$SM" render in.geojson --size 400x300 $B -o b.png 2>/dev/null
cmp -s a.pgw b.pgw && fail "concurrent renders: the two runs' world files do not differ"
mixed=0
for i in 1 2 3 4; do
  STRIKEMAP_TEST_COMMIT_PAUSE_MS=600 "$SM" render in.geojson --size 400x300 $A -o c.png 2>/dev/null &
  p1=$!
  sleep 0.15
  "$SM" render in.geojson --size 400x300 $B -o c.png 2>/dev/null &
  p2=$!
  wait $p1 $p2
  if cmp -s c.png a.png; then s=a; elif cmp -s c.png b.png; then s=b; else s=x; fi
  if [ $s = x ] || ! cmp -s c.pgw $s.pgw || ! cmp -s c.png.aux.xml $s.png.aux.xml; then
    mixed=$((mixed + 1))
  fi
done
[ $mixed -eq 0 ] && pass || fail "concurrent renders: $mixed of 4 sets mixed"
no_tmp . "item 5"

# ---- item 8: SIGINT and SIGTERM remove temporaries -------------------------
printf 'old map\n' >big.png
cp big.png big.orig
for sig in INT TERM; do
  # background jobs of a script ignore SIGINT unless told otherwise
  env --default-signal=INT "$SM" render in.geojson --size 8000x6000 -o big.png 2>/dev/null &
  pid=$!
  for i in $(seq 1 300); do
    ls -a | grep -q '^\.big\.png\..*\.tmp$' && break
    sleep 0.05
  done
  ls -a | grep -q '^\.big\.png\..*\.tmp$' && pass || fail "SIG$sig: no temporary seen"
  kill -$sig $pid
  wait $pid
  rc=$?
  want=$((128 + $(kill -l $sig)))
  [ $rc -eq $want ] && pass || fail "SIG$sig: exit $rc, expected $want"
  same big.png big.orig "SIG$sig"
  no_tmp . "SIG$sig"
done
rm -f big.png big.orig
# a GeoPackage interrupted mid-transaction: SQLite's journal goes too
awk 'BEGIN {
  printf "{\"type\":\"FeatureCollection\",\"features\":["
  for (i = 0; i < 3000; i++)
    printf "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.4f,%.4f]},\"properties\":{\"kind\":\"strike\",\"id\":\"s%d\",\"time\":\"2016-02-10T12:00:00+02:00\"}},", 36 + (i % 97) / 97, 36 + (i % 89) / 89, i
  for (j = 0; j < 40; j++)
    printf "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.4f,36.5]},\"properties\":{\"kind\":\"aircraft\",\"id\":\"a%d\",\"type\":\"A-10C\",\"time\":\"2016-02-10T11:30:00+02:00\"}}%s", 36 + j / 40, j, j < 39 ? "," : ""
  print "]}"
}' >many.geojson
printf 'old gpkg\n' >many.gpkg
cp many.gpkg many.orig
# The journal lives only while a transaction is open: on a loaded machine
# the poll can miss it, so the run is tried up to three times; it must be
# seen once, and every interrupted run must leave nothing behind.
seen=0
for attempt in 1 2 3; do
  env --default-signal=INT "$SM" check many.geojson --all-pairs --list-all -o many.gpkg 2>/dev/null &
  pid=$!
  for i in $(seq 1 600); do
    ls -a | grep -q '^\.many\.gpkg\..*-journal$' && break
    sleep 0.02
  done
  ls -a | grep -q '^\.many\.gpkg\..*-journal$' && seen=1
  kill -INT $pid 2>/dev/null
  wait $pid
  rc=$?
  [ $seen -eq 1 ] || { cp many.orig many.gpkg; rm -f .many.gpkg.*; continue; }
  [ $rc -eq 130 ] && pass || fail "gpkg SIGINT: exit $rc, expected 130"
  same many.gpkg many.orig "gpkg SIGINT"
  left=$(ls -a | grep -E '^\.many' || true)
  [ -z "$left" ] && pass || fail "gpkg SIGINT: left $left"
  break
done
[ $seen -eq 1 ] && pass || fail "gpkg SIGINT: no journal seen in three tries"
rm -f many.geojson many.gpkg many.orig

finish
