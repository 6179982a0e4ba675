# Strikes read as a stream (issue 12): `check` streams the strikes in
# batches for every format but text; its outputs are byte for byte those of
# the claims held whole (--in-memory), in every pairing mode, with the
# listing's cut and the summary carried across batches (20,000 strikes: the
# stream's batches hold 16,384); warnings travel the same way; a duplicate id
# found in the second reading, far from its first use, fails with exit 2 and
# no output; an output that names a strikes-only input is refused.
source "$(dirname "$0")/lib.sh"
EX=$SRC/examples/aleppo-2016.geojson
cc -O2 -std=c17 -D_POSIX_C_SOURCE=200809L -o "$OUT/gen_check" "$SRC/bench/check/gen_check.c" -lm ||
  { fail "build gen_check"; finish; }
# 20,000 strikes over 30 days (CSV, lon/lat columns) against 60 sorties of 100 fixes
"$OUT/gen_check" 7 20000 60 100 "$OUT/s.csv" "$OUT/a.geojsons" || { fail "gen_check"; finish; }
# attributed pairs too: every 3rd strike to an aircraft, every 5th to Russia
awk -F, 'NR == 1 { print $0 ",attributed_to"; next }
         { a = (NR % 3 == 0) ? "a" (NR % 60) : ((NR % 5 == 0) ? "Russia" : ""); print $0 "," a }' \
  "$OUT/s.csv" >"$OUT/sa.csv"

same() { # same LABEL ARGS...: streamed and held outputs identical
  local label=$1; shift
  local ext=${FMT:-csv}
  "$SM" check "$@" -o "$OUT/st.$ext" 2>"$OUT/st.err"; local a=$?
  "$SM" check "$@" --in-memory -o "$OUT/mem.$ext" 2>"$OUT/mem.err"; local b=$?
  [ $a -eq 0 ] && [ $b -eq 0 ] && pass || fail "$label: exit $a streamed, $b held"
  cmp -s "$OUT/st.$ext" "$OUT/mem.$ext" && pass || fail "$label: outputs differ"
  # stderr the same but for the output's name
  sed "s/st\.$ext/OUT/" "$OUT/st.err" >"$OUT/st.err2"
  sed "s/mem\.$ext/OUT/" "$OUT/mem.err" >"$OUT/mem.err2"
  cmp -s "$OUT/st.err2" "$OUT/mem.err2" && pass || fail "$label: stderr differs"
}

for mode in attributed "--operator Russia" --all-pairs "--all-pairs --list-all"; do
  args=()
  [ "$mode" != attributed ] && read -ra args <<<"$mode"
  same "20,000 strikes, $mode" --no-position-check "${args[@]}" "$OUT/sa.csv" "$OUT/a.geojsons"
  "$SM" check --no-position-check "${args[@]}" "$OUT/sa.csv" "$OUT/a.geojsons" --count \
    >"$OUT/c1" 2>/dev/null
  "$SM" check --no-position-check "${args[@]}" "$OUT/sa.csv" "$OUT/a.geojsons" --count \
    --in-memory >"$OUT/c2" 2>/dev/null
  # the summaries agree (exact_distances counts work, which may differ)
  cmp -s <(grep -v exact_ "$OUT/c1") <(grep -v exact_ "$OUT/c2") && pass ||
    fail "$mode: --count differs streamed and held"
done
# the listing was cut across batches: 1,000 unknown rows of many more
rows=$(awk -F, 'NR > 1' "$OUT/st.csv" | wc -l)
[ "$rows" -gt 1000 ] && pass || fail "the last listing has $rows rows"

# every format, the example (warnings, launchers, bases, area targets)
for FMT in json csv geojson kml; do
  same "the example as $FMT" "$EX" --all-pairs
  same "the example as $FMT, attributed" "$EX"
done
FMT=json
for f in warnings-travel numeric-ids swapped-pairs negative-offset naval; do
  same "$f.geojson" "$SRC/tests/data/input/$f.geojson"
done
FMT=csv

# the position check over a stream: an attributed strike of the 20,000 at sea
awk -F, 'NR == 3 { $4 = "34.00000"; $5 = "34.00000" } { print }' OFS=, "$OUT/sa.csv" >"$OUT/sw.csv"
same "a strike at sea among 20,000" "$OUT/sw.csv" "$OUT/a.geojsons"
grep -q '^s1,.*lies at sea' "$OUT/st.csv" && pass || fail "the strike at sea has no warning in the CSV"

# a duplicate id 19,000 strikes after its first use: exit 2, no output
awk -F, 'NR == 19002 { $2 = "s0" } { print }' OFS=, "$OUT/s.csv" >"$OUT/dup.csv"
rm -f "$OUT/dup.out.csv"
"$SM" check --no-position-check "$OUT/dup.csv" "$OUT/a.geojsons" -o "$OUT/dup.out.csv" \
  2>"$OUT/dup.err"
rc=$?
[ $rc -eq 2 ] && pass || fail "duplicate id: exit $rc, expected 2"
grep -q 'feature 19000 (id "s0"): field "id": duplicate id; first used by .*dup.csv feature 0' \
  "$OUT/dup.err" && pass || fail "duplicate id: message: $(head -3 "$OUT/dup.err")"
[ ! -e "$OUT/dup.out.csv" ] && pass || fail "duplicate id: an output was written"
ls "$OUT" | grep -q '\.tmp' && fail "a temporary file was left" || pass

# The ids' hashes are kept in sorted runs (claims/idruns.c, 65,536 a run);
# SM_STREAM_ID_RUN makes the runs small, so that these files take the path
# of a million strikes: the same duplicate (its first use and it 19 runs of
# 1,000 apart), ids used three times, and a base that names a strike
SM_STREAM_ID_RUN=1000 "$SM" check --no-position-check "$OUT/dup.csv" "$OUT/a.geojsons" \
  -o "$OUT/dup.out.csv" 2>"$OUT/dup-runs.err"
rc=$?
[ $rc -eq 2 ] && cmp -s "$OUT/dup.err" "$OUT/dup-runs.err" && pass ||
  fail "duplicate id in runs of 1,000: exit $rc, messages differ: $(diff "$OUT/dup.err" "$OUT/dup-runs.err" | head -5)"
awk -F, 'NR == 19002 || NR == 5 { $2 = "s0" } NR == 12000 || NR == 13000 { $2 = "s7" } { print }' \
  OFS=, "$OUT/s.csv" >"$OUT/dup3.csv"
"$SM" validate --no-position-check "$OUT/dup3.csv" >/dev/null 2>"$OUT/dup3.err"
SM_STREAM_ID_RUN=7 "$SM" validate --no-position-check "$OUT/dup3.csv" >/dev/null \
  2>"$OUT/dup3-runs.err"
rc=$?
[ $rc -eq 2 ] && [ "$(grep -c 'duplicate id' "$OUT/dup3-runs.err")" = 4 ] &&
  cmp -s "$OUT/dup3.err" "$OUT/dup3-runs.err" && pass ||
  fail "s0 and s7 three times each in runs of 7: exit $rc: $(grep -c 'duplicate id' "$OUT/dup3-runs.err") of 4, $(diff "$OUT/dup3.err" "$OUT/dup3-runs.err" | head -5)"
SM_STREAM_ID_RUN=1 "$SM" validate "$SRC/tests/data/bad/base-not-base.geojson" >/dev/null \
  2>"$OUT/base-runs.err"
rc=$?
[ $rc -eq 2 ] && grep -qF "$(cat "$SRC/tests/data/bad/base-not-base.expect")" "$OUT/base-runs.err" &&
  pass || fail "a base that names a strike, runs of 1: exit $rc: $(cat "$OUT/base-runs.err")"

# the strikes' temporary copy goes to TMPDIR: one that cannot hold it is an
# error naming it, and nothing is written; no copy is left in it
TMPDIR=$OUT/no-such-folder "$SM" check "$EX" -o "$OUT/tmpdir.csv" 2>"$OUT/tmpdir.err"
rc=$?
[ $rc -eq 2 ] && grep -qF "no-such-folder: cannot hold a temporary copy of the strikes" \
  "$OUT/tmpdir.err" && [ ! -e "$OUT/tmpdir.csv" ] && pass ||
  fail "TMPDIR unusable: exit $rc, $(head -2 "$OUT/tmpdir.err")"
mkdir -p "$OUT/tmp"
TMPDIR=$OUT/tmp "$SM" check --no-position-check "$OUT/s.csv" "$OUT/a.geojsons" --count >/dev/null 2>&1 &&
  [ -z "$(ls -A "$OUT/tmp")" ] && pass || fail "a temporary copy was left in TMPDIR"

# an output naming the strikes-only input is refused before any work
cp "$OUT/s.csv" "$OUT/keep.csv"
"$SM" check --no-position-check "$OUT/s.csv" "$OUT/a.geojsons" -o "$OUT/s.csv" 2>"$OUT/self.err"
rc=$?
[ $rc -eq 2 ] && pass || fail "output = input: exit $rc"
cmp -s "$OUT/s.csv" "$OUT/keep.csv" && pass || fail "output = input: the input was changed"
finish
