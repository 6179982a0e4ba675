#!/usr/bin/env bash
# Maps that say what they show (issue 13): a --bbox with west and east (or
# south and north) swapped is refused; a box across the antimeridian is
# not; with --no-aircraft the extent no longer reaches an aircraft far from
# the strikes and the title and subtitle speak of strikes only; --strike and
# --where draw the strikes they pick with their aircraft (counts checked
# against the example read with ogr2ogr); a reach map marks its origin.
source "$(dirname "$0")/lib.sh"

EX=$SRC/examples/aleppo-2016.geojson
expect_refused() { # NAME FIELD ARGS...
    local name=$1 field=$2
    shift 2
    rm -f "$OUT/refused.png"
    "$BIN" render "$EX" "$@" -o "$OUT/refused.png" 2>"$OUT/err.txt"
    local rc=$?
    check "$name: exit 2 (got $rc)" test "$rc" -eq 2
    check "$name: the message names $field: $(head -1 "$OUT/err.txt")" grep -q -- "field \"$field\"" "$OUT/err.txt"
    check "$name: no file" test ! -e "$OUT/refused.png"
}
expect_refused "west and east swapped" --bbox --bbox 38,35.5,36,37
check "west/east: says swapped" grep -q "west and east swapped" "$OUT/err.txt"
expect_refused "south and north swapped" --bbox --bbox 36,37,38,35.5
check "south/north: says swapped" grep -q "south and north swapped" "$OUT/err.txt"
expect_refused "an unknown strike" --strike --strike no-such-strike
expect_refused "a field no strike has" --where --where "colour=red"
expect_refused "an expression that picks nothing" --where --where "grading=bogus"
check "a box across the antimeridian is taken" "$BIN" render "$EX" --bbox 170,-25,-170,-8 \
    --no-labels -o "$OUT/am.png"

# The text of the SVG's title and subtitle groups.
title_of() { sed -n '/<g id="title">/,/<\/g>/p' "$1" | grep -o '<text[^>]*>[^<]*</text>' |
    sed 's/<[^>]*>//g' | tr '\n' ' '; }

# Su-34 over Deir ez-Zor (40.1E 35.3N): an aircraft far east of every strike.
read -r fx fy < <(ogr2ogr -f CSV /vsistdout/ "$EX" -where "id = 'a-su34-deir'" \
    -lco GEOMETRY=AS_XY -select id 2>/dev/null | tail -n +2 | cut -d, -f1,2 | tr ',' ' ')
check "found the Su-34's fix in the example ($fx $fy)" test -n "$fx"
"$BIN" render "$EX" -o "$OUT/all.png" 2>/dev/null
"$BIN" render "$EX" --no-aircraft -o "$OUT/noair.png" 2>/dev/null
"$BIN" render "$EX" --no-aircraft -o "$OUT/noair.svg" 2>/dev/null
probe "$OUT/all.png" -wgs84 "$fx" "$fy"
probe "$OUT/noair.png" -wgs84 "$fx" "$fy"
check "the default map shows the Su-34's fix" test -n "$(rgb_at "$OUT/all.png" "$fx" "$fy")"
check "--no-aircraft: the extent does not reach it" test -z "$(rgb_at "$OUT/noair.png" "$fx" "$fy")"
t=$(title_of "$OUT/noair.svg")
ns=$(ogr2ogr -f CSV /vsistdout/ "$EX" -where "kind = 'strike'" -select id 2>/dev/null | tail -n +2 | wc -l)
check "--no-aircraft: title and subtitle speak of strikes ($t)" grep -q "^Airstrike claims $ns strikes, " <<<"$t"
check "--no-aircraft: no aircraft or pairs counted ($t)" bash -c "! grep -qE 'aircraft|pairs' <<<'$t'"

# One strike: its attributed aircraft (the example's attributed_to) and
# their pairs.
att=$(ogr2ogr -f CSV /vsistdout/ "$EX" -where "id = 's-aleppo-a10'" -select attributed_to \
    2>/dev/null | tail -n +2 | tr -d '"')
na=$(tr ';' '\n' <<<"$att" | grep -c .)
"$BIN" render "$EX" --strike s-aleppo-a10 -o "$OUT/one.svg" 2>/dev/null
t=$(title_of "$OUT/one.svg")
check "--strike: 1 strike, $na aircraft, $na pairs ($t)" \
    grep -q "1 strike, $na aircraft.*· $na pairs checked" <<<"$t"
check "--strike: only its label among the strikes" \
    test "$(grep -c '<text class="label-strike"' "$OUT/one.svg")" -ge 1
check "--strike: no other strike's label" bash -c "! grep -q 'MSF hospital' '$OUT/one.svg'"

nf=$(ogr2ogr -f CSV /vsistdout/ "$EX" -where "kind = 'strike' AND grading = 'fair'" -select id \
    2>/dev/null | tail -n +2 | wc -l)
"$BIN" render "$EX" --where "grading=fair" -o "$OUT/where.svg" 2>/dev/null
t=$(title_of "$OUT/where.svg")
check "--where grading=fair: $nf strikes ($t)" grep -q "^[^·]* $nf strikes\?," <<<"$t"

# A reach map marks where the reach is measured from: a dark dot there.
"$BIN" reach --type Su-24M --from 37.05,35.01 -o "$OUT/reach.png" 2>/dev/null
probe "$OUT/reach.png" -wgs84 37.05 35.01
probe_near "$OUT/reach.png" 1 37.05 35.01
check "reach: the origin is marked (a dark dot at 37.05E 35.01N)" \
    near_colour "$OUT/reach.png" 37.05 35.01 26 26 26 40 1
finish
