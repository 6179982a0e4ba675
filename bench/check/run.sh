#!/usr/bin/env bash
# The check benchmarks.
# 1. SPEC §8: 1,000,000 strikes over 30 days against 1,000 aircraft, each a
#    sortie of 100 fixes a minute apart, --all-pairs. Times strikemap
#    (loading alone, the verdicts alone, and verdicts written as CSV) and,
#    on the same fix-strike pairs, PROJ's `geod -I`, the obvious alternative
#    a user would script; reports pairs per second, the ratio, and peak
#    memory.
# 2. Issue 12's dense case: N_DENSE strikes in one day over a 6 x 5 degree
#    box, each attributed to "Russia", against 1,000 Russian aircraft, each
#    a sortie of 100 fixes a minute apart in the same day (about 500 of
#    them within 6 h of a strike): `check --count`, verdicts per second
#    against geod -I's pairs per second from benchmark 1.
# Usage: bench/check/run.sh [N_STRIKES [N_DENSE]] (defaults 1000000, 1000000;
# N_DENSE 0 skips the dense case). SM=path/to/strikemap to time another build.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
ND=${2:-1000000}
W=bench/work
mkdir -p "$W"
SM=${SM:-./build/strikemap}
[ -x "$SM" ] || { cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build build -j"$(nproc)" >/dev/null; }
cc -O2 -std=c17 -D_POSIX_C_SOURCE=200809L -o "$W/gen_check" bench/check/gen_check.c -lm
STRIKES="$W/check-strikes-$N.csv"
AIRCRAFT="$W/check-aircraft-$N.geojsons"
[ -s "$STRIKES" ] && [ -s "$AIRCRAFT" ] || "$W/gen_check" 1 "$N" 1000 100 "$STRIKES" "$AIRCRAFT"
DATA="$STRIKES $AIRCRAFT"

t() { # t LABEL COMMAND...: wall seconds and peak RSS (MB) into $W/time.LABEL
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/time.$label" "$@"
}
# shellcheck disable=SC2086 # DATA is two file names
t load "$SM" validate --no-position-check $DATA >/dev/null
t ogrinfo sh -c "ogrinfo -ro -al -q '$STRIKES' >/dev/null && ogrinfo -ro -al -q '$AIRCRAFT' >/dev/null"
# shellcheck disable=SC2086
t count "$SM" check --no-position-check --all-pairs --count $DATA >"$W/count.txt"
# shellcheck disable=SC2086
t csv "$SM" check --no-position-check --all-pairs $DATA -o "$W/pairs.csv" 2>/dev/null
# the same binding fix-strike pairs, as geod -I input (lat1 lon1 lat2 lon2)
# (columns found by name; the fields before reasons hold no commas here)
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         $c["fix_lon"] != "" { print $c["fix_lat"], $c["fix_lon"], $c["strike_lat"], $c["strike_lon"] }' \
  "$W/pairs.csv" >"$W/geod-in.txt"
t geod geod +ellps=WGS84 -I +units=km -f %.10f -F %.6f "$W/geod-in.txt" >"$W/geod-out.txt"

pairs=$(grep '^pairs ' "$W/count.txt" | cut -d' ' -f2)
decided=$(awk '/^(plausible|marginal|implausible) / { n += $2 } END { print n }' "$W/count.txt")
listed=$(($(wc -l <"$W/pairs.csv") - 1))
exact=$(grep '^exact_distances ' "$W/count.txt" | cut -d' ' -f2)
lines=$(wc -l <"$W/geod-in.txt")
read -r load_s load_mb <"$W/time.load"
read -r ogr_s ogr_mb <"$W/time.ogrinfo"
read -r count_s count_mb <"$W/time.count"
read -r csv_s csv_mb <"$W/time.csv"
read -r geod_s geod_mb <"$W/time.geod"
awk -v n="$N" -v pairs="$pairs" -v decided="$decided" -v listed="$listed" -v exact="$exact" -v lines="$lines" \
    -v load_s="$load_s" -v load_mb="$load_mb" -v ogr_s="$ogr_s" -v ogr_mb="$ogr_mb" \
    -v count_s="$count_s" -v count_mb="$count_mb" -v csv_s="$csv_s" -v csv_mb="$csv_mb" \
    -v geod_s="$geod_s" -v geod_mb="$geod_mb" -v cpus="$(nproc)" 'BEGIN {
  printf "workload: %d strikes, 1000 aircraft x 100 fixes, --all-pairs, %d cores\n", n, cpus
  printf "pairs considered: %d; listed (a fix within 6 h): %d; exact geodesics: %d\n", pairs, listed, exact
  printf "%-44s %9s %9s\n", "", "seconds", "peak MB"
  printf "%-44s %9.2f %9.0f\n", "ogrinfo -al -q (reading the file)", ogr_s, ogr_mb / 1024
  printf "%-44s %9.2f %9.0f\n", "strikemap validate (loading)", load_s, load_mb / 1024
  printf "%-44s %9.2f %9.0f\n", "strikemap check --all-pairs --count", count_s, count_mb / 1024
  printf "%-44s %9.2f %9.0f\n", "strikemap check --all-pairs -o pairs.csv", csv_s, csv_mb / 1024
  printf "%-44s %9.2f %9.0f\n", "geod -I on the listed fix-strike pairs", geod_s, geod_mb / 1024
  printf "listed pairs per second: strikemap (CSV, end to end) %.0f; geod -I %.0f; ratio %.1f\n", \
    listed / csv_s, lines / geod_s, (listed / csv_s) / (lines / geod_s)
  printf "strikemap verdicts alone, after loading: %.0f listed pairs/s (%.1f x geod -I)\n", \
    listed / (count_s - load_s), (listed / (count_s - load_s)) / (lines / geod_s)
  printf "every decided verdict (%d, the chord-bound ones included), after loading: %.0f/s (%.1f x geod -I)\n", \
    decided, decided / (count_s - load_s), (decided / (count_s - load_s)) / (lines / geod_s)
  printf "loading, per feature: strikemap %.2f us, ogrinfo %.2f us\n", \
    load_s / (n + 1000) * 1e6, ogr_s / (n + 1000) * 1e6
}' | tee "$W/check-report.txt"

# ---- 2. the dense case ---------------------------------------------------------
[ "$ND" -gt 0 ] || exit 0
DS="$W/dense-strikes-$ND.csv"
DA="$W/dense-aircraft-$ND.geojsons"
[ -s "$DS" ] && [ -s "$DA" ] || "$W/gen_check" 1 "$ND" 1000 100 "$DS" "$DA" dense
t dload "$SM" validate --no-position-check "$DS" "$DA" >/dev/null
t dcount "$SM" check --no-position-check --count "$DS" "$DA" >"$W/dense-count.txt"
read -r dload_s dload_mb <"$W/time.dload"
read -r dcount_s dcount_mb <"$W/time.dcount"
awk -v n="$ND" -v dload_s="$dload_s" -v dload_mb="$dload_mb" -v dcount_s="$dcount_s" \
    -v dcount_mb="$dcount_mb" -v lines="$lines" -v geod_s="$geod_s" '
  /^(plausible|marginal|implausible) / { decided += $2 }
  /^pairs / { pairs = $2 } /^unknown / { unknown = $2 } /^exact_distances / { exact = $2 }
  END {
  printf "\ndense case: %d strikes in one day attributed to Russia, 1000 Russian aircraft x 100 fixes\n", n
  printf "pairs: %d; with a verdict: %d; unknown (no fix within 6 h): %d; exact geodesics: %d\n", \
    pairs, decided, unknown, exact
  printf "%-44s %9s %9s\n", "", "seconds", "peak MB"
  printf "%-44s %9.2f %9.0f\n", "strikemap validate (loading)", dload_s, dload_mb / 1024
  printf "%-44s %9.2f %9.0f\n", "strikemap check --count", dcount_s, dcount_mb / 1024
  printf "verdicts after loading: %.0f/s (%.1f x geod -I pairs/s above)\n", \
    decided / (dcount_s - dload_s), (decided / (dcount_s - dload_s)) / (lines / geod_s)
}' "$W/dense-count.txt" | tee -a "$W/check-report.txt"
