# Listing that scales (SPEC §3 last bullet, issue 10 item 4): in every
# pairing mode decided pairs are listed, and pairs with no binding fix (and,
# with --operator and --all-pairs, pairs the bound rules out) are listed only
# while 1,000 of them have been, then counted; --list-all lists them all; the
# summary counts every verdict whatever is listed, the same in every mode.
# The oracle is gen_strikes.py's own count of binding pairs (|dt| <= 6 h).
source "$(dirname "$0")/lib.sh"
N=2500 # strikes: more than one block of 2048 with --threads 1 (the cap falls in the first)
M=12   # aircraft
python3 "$SRC/tests/cli/gen_strikes.py" $N $M "$OUT/g.geojson" 2>"$OUT/oracle" ||
  { fail "generator"; finish; }
read -r BIND UNBOUND <"$OUT/oracle"
[ $((BIND + UNBOUND)) -eq $((N * M)) ] && [ "$BIND" -gt 1000 ] && [ "$UNBOUND" -gt 1000 ] && pass ||
  fail "oracle: $BIND binding, $UNBOUND not"

# summary FILE.json: "pairs listed plausible marginal implausible unknown
# unlisted_unknown unlisted_implausible rows unknown_rows"
summary() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); s = d['summary']; p = d['pairs']
print(s['pairs'], s['listed'], s['plausible'], s['marginal'], s['implausible'], s['unknown'],
      s['unlisted_unknown'], s['unlisted_implausible'], len(p),
      sum(1 for r in p if r['verdict'] == 'unknown'))
PY
}

for mode in attributed "--operator Russia" --all-pairs; do
  args=()
  [ "$mode" != attributed ] && read -ra args <<<"$mode"
  "$SM" check "${args[@]}" "$OUT/g.geojson" -o "$OUT/l.json" 2>/dev/null || fail "$mode: check failed"
  read -r pairs listed pl mg im un uu ui rows unrows < <(summary "$OUT/l.json")
  # every pair counted, by verdict, as the oracle says
  [ "$pairs" -eq $((N * M)) ] && pass || fail "$mode: $pairs pairs, expected $((N * M))"
  [ "$un" -eq "$UNBOUND" ] && pass || fail "$mode: $un unknown, oracle $UNBOUND"
  [ $((pl + mg + im)) -eq "$BIND" ] && pass || fail "$mode: $((pl + mg + im)) decided, oracle $BIND"
  # listed: the rows in the file; the unlisted ones are counted; exactly
  # 1,000 of the shortened kinds are listed
  [ "$rows" -eq "$listed" ] && pass || fail "$mode: $rows rows, summary says $listed listed"
  [ $((listed + uu + ui)) -eq "$pairs" ] && pass || fail "$mode: listed + unlisted != pairs"
  [ "$unrows" -eq $((UNBOUND - uu)) ] && pass ||
    fail "$mode: $unrows unknown rows listed, $uu counted only (of $UNBOUND)"
  # (the bound's implausible pairs share the 1,000 in the other modes)
  [ "$unrows" -le 1000 ] && [ "$unrows" -ge $((1000 - im)) ] && pass ||
    fail "$mode: $unrows unknown rows listed, not the first 1,000 of their kinds"
  echo "$pl $mg $im $un" >"$OUT/counts.$pairs.${mode// /_}"
  # the CSV lists the same rows (header + listed)
  "$SM" check "${args[@]}" "$OUT/g.geojson" -o "$OUT/l.csv" 2>/dev/null
  n=$(($(wc -l <"$OUT/l.csv") - 1))
  [ "$n" -eq "$listed" ] && pass || fail "$mode: CSV has $n rows, JSON $listed"
  # --list-all lists every pair, with the same counts
  "$SM" check "${args[@]}" --list-all "$OUT/g.geojson" -o "$OUT/all.json" 2>/dev/null
  read -r p2 l2 pl2 mg2 im2 un2 uu2 ui2 rows2 unrows2 < <(summary "$OUT/all.json")
  [ "$rows2" -eq $((N * M)) ] && [ "$uu2" -eq 0 ] && [ "$ui2" -eq 0 ] && pass ||
    fail "$mode --list-all: $rows2 rows, $uu2 + $ui2 unlisted"
  [ "$pl2 $mg2 $im2 $un2" = "$pl $mg $im $un" ] && pass ||
    fail "$mode --list-all: counts $pl2 $mg2 $im2 $un2, listed short $pl $mg $im $un"
done
# the counts are the same in every mode (every aircraft is Russian)
[ "$(cat "$OUT"/counts.* | sort -u | wc -l)" -eq 1 ] && pass || fail "counts differ between modes"

# the rows do not depend on the threads (the cap falls mid-block)
"$SM" check --all-pairs --threads 1 "$OUT/g.geojson" -f csv >"$OUT/t1.csv" 2>/dev/null
"$SM" check --all-pairs --threads 3 "$OUT/g.geojson" -f csv >"$OUT/t3.csv" 2>/dev/null
cmp -s "$OUT/t1.csv" "$OUT/t3.csv" && pass || fail "rows differ between 1 and 3 threads"

# the text table says what was left out
"$SM" check "$OUT/g.geojson" >"$OUT/l.txt" 2>/dev/null
grep -q "^Not listed (past the first 1000 of their kinds): $((UNBOUND - 1000)) unknown pairs" \
  "$OUT/l.txt" && pass || fail "text: no 'Not listed' line: $(tail -2 "$OUT/l.txt")"
finish
