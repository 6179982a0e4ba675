# many.sh N OUT: a claim file of N strikes round Aleppo, each attributed to
# one of three aircraft, enough verdict rows to flow over several pages.
n=$1
{
  echo '{"type":"FeatureCollection","features":['
  for a in 1 2 3; do
    printf '{"type":"Feature","geometry":{"type":"Point","coordinates":[%s,36.%s]},"properties":{"kind":"aircraft","id":"a-%s","label":"Су-24М №%s","type":"Su-24M","operator":"Russia","time":"2016-02-15T08:00:00+02:00","claimed_by":"Russian MoD","source":"https://example.org/mod/%s"}},\n' "3$((6 + a)).1" "$a" "$a" "$a" "$a"
  done
  for i in $(seq 1 "$n"); do
    printf '{"type":"Feature","geometry":{"type":"Point","coordinates":[37.%02d,36.%02d]},"properties":{"kind":"strike","id":"s-%03d","label":"مستشفى %d","attributed_to":"a-%d","time":"2016-02-15T%02d:%02d:00+02:00","claimed_by":"Monitor %d","source":"https://example.org/incident/%d","grading":"fair"}}%s\n' \
      $((i % 90)) $((i * 7 % 90)) "$i" "$i" $((i % 3 + 1)) $((8 + i % 3)) $((i % 60)) "$i" "$i" "$([ "$i" -lt "$n" ] && echo ,)"
  done
  echo ']}'
} >"$2"
