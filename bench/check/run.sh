#!/usr/bin/env bash
# The check benchmarks.
# 1. SPEC §8: 1,000,000 strikes over 30 days against 1,000 aircraft, each a
#    sortie of 100 fixes a minute apart, --all-pairs. Times strikemap
#    (loading alone, the verdicts alone, streamed and held in memory, at N
#    and, for the memory, at N/10 strikes, and verdicts written as CSV) and,
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
N10=$((N / 10))
STRIKES10="$W/check-strikes-$N10.csv"
AIRCRAFT10="$W/check-aircraft-$N10.geojsons"
[ -s "$STRIKES10" ] && [ -s "$AIRCRAFT10" ] || "$W/gen_check" 1 "$N10" 1000 100 "$STRIKES10" "$AIRCRAFT10"

t() { # t LABEL COMMAND...: wall seconds, peak RSS (KB) and CPU seconds into $W/time.LABEL
  local label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$W/time.$label" "$@"
}
cpu() { awk '{ print $3 + $4 }' "$W/time.$1"; } # user + system seconds
# shellcheck disable=SC2086 # DATA is two file names
t load "$SM" validate --no-position-check $DATA >/dev/null
t ogrinfo sh -c "ogrinfo -ro -al -q '$STRIKES' >/dev/null && ogrinfo -ro -al -q '$AIRCRAFT' >/dev/null"
# shellcheck disable=SC2086
t count "$SM" check --no-position-check --all-pairs --count $DATA >"$W/count.txt"
# shellcheck disable=SC2086
t inmem "$SM" check --no-position-check --all-pairs --count --in-memory $DATA >"$W/count-inmem.txt"
cmp -s "$W/count.txt" "$W/count-inmem.txt" || { echo "streamed and in-memory counts differ" >&2; exit 1; }
t count10 "$SM" check --no-position-check --all-pairs --count "$STRIKES10" "$AIRCRAFT10" >/dev/null
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
read -r load_s load_mb _ <"$W/time.load"
read -r ogr_s ogr_mb _ <"$W/time.ogrinfo"
read -r count_s count_mb _ <"$W/time.count"
read -r inmem_s inmem_mb _ <"$W/time.inmem"
read -r _ count10_mb _ <"$W/time.count10"
read -r csv_s csv_mb _ <"$W/time.csv"
read -r geod_s geod_mb _ <"$W/time.geod"
load_cpu=$(cpu load) count_cpu=$(cpu count) geod_cpu=$(cpu geod) inmem_cpu=$(cpu inmem)
awk -v n="$N" -v pairs="$pairs" -v decided="$decided" -v listed="$listed" -v exact="$exact" -v lines="$lines" \
    -v load_s="$load_s" -v load_mb="$load_mb" -v ogr_s="$ogr_s" -v ogr_mb="$ogr_mb" \
    -v count_s="$count_s" -v count_mb="$count_mb" -v csv_s="$csv_s" -v csv_mb="$csv_mb" \
    -v geod_s="$geod_s" -v geod_mb="$geod_mb" -v cpus="$(nproc)" -v load_cpu="$load_cpu" \
    -v count_cpu="$count_cpu" -v geod_cpu="$geod_cpu" -v loadavg="$(cut -d' ' -f1-3 /proc/loadavg)" \
    -v inmem_s="$inmem_s" -v inmem_mb="$inmem_mb" -v inmem_cpu="$inmem_cpu" -v n10="$N10" \
    -v count10_mb="$count10_mb" 'BEGIN {
  printf "workload: %d strikes, 1000 aircraft x 100 fixes, --all-pairs, %d cores\n", n, cpus
  printf "pairs considered: %d; listed (a fix within 6 h): %d; exact geodesics: %d\n", pairs, listed, exact
  printf "%-44s %9s %9s\n", "", "seconds", "peak MB"
  printf "%-44s %9.2f %9.0f\n", "ogrinfo -al -q (reading the file)", ogr_s, ogr_mb / 1024
  printf "%-44s %9.2f %9.0f\n", "strikemap validate (loading)", load_s, load_mb / 1024
  printf "%-44s %9.2f %9.0f\n", "strikemap check --all-pairs --count", count_s, count_mb / 1024
  printf "%-44s %9.2f %9.0f\n", "  the same, --in-memory", inmem_s, inmem_mb / 1024
  printf "%-44s %9s %9.0f\n", sprintf("  the same at %d strikes (memory)", n10), "", count10_mb / 1024
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
  printf "CPU seconds (user + system; the machine is shared): validate %.2f, --count %.2f, geod -I %.2f\n", \
    load_cpu, count_cpu, geod_cpu
  printf "per CPU second: decided verdicts %.0f (check less loading), geod -I pairs %.0f: %.1f x\n", \
    decided / (count_cpu - load_cpu), lines / geod_cpu, (decided / (count_cpu - load_cpu)) / (lines / geod_cpu)
  printf "held in memory (--in-memory, %.2f CPU s): %.0f verdicts per CPU second after loading, %.1f x geod -I\n", \
    inmem_cpu, decided / (inmem_cpu - load_cpu), (decided / (inmem_cpu - load_cpu)) / (lines / geod_cpu)
  printf "load average at the end: %s\n", loadavg
}' | tee "$W/check-report.txt"

# ---- 2. the dense case ---------------------------------------------------------
[ "$ND" -gt 0 ] || exit 0
DS="$W/dense-strikes-$ND.csv"
DA="$W/dense-aircraft-$ND.geojsons"
[ -s "$DS" ] && [ -s "$DA" ] || "$W/gen_check" 1 "$ND" 1000 100 "$DS" "$DA" dense
t dload "$SM" validate --no-position-check "$DS" "$DA" >/dev/null
t dcount "$SM" check --no-position-check --count "$DS" "$DA" >"$W/dense-count.txt"
read -r dload_s dload_mb _ <"$W/time.dload"
read -r dcount_s dcount_mb _ <"$W/time.dcount"
awk -v n="$ND" -v dload_s="$dload_s" -v dload_mb="$dload_mb" -v dcount_s="$dcount_s" \
    -v dcount_mb="$dcount_mb" -v lines="$lines" -v geod_s="$geod_s" -v dload_cpu="$(cpu dload)" \
    -v dcount_cpu="$(cpu dcount)" -v geod_cpu="$geod_cpu" -v loadavg="$(cut -d' ' -f1-3 /proc/loadavg)" '
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
  printf "CPU seconds: validate %.2f, --count %.2f; per CPU second: %.0f verdicts (%.1f x geod -I)\n", \
    dload_cpu, dcount_cpu, decided / (dcount_cpu - dload_cpu), \
    (decided / (dcount_cpu - dload_cpu)) / (lines / geod_cpu)
  printf "load average at the end: %s\n", loadavg
}' "$W/dense-count.txt" | tee -a "$W/check-report.txt"
