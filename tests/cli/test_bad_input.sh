# The bad-input corpus (SPEC §6): every file in tests/data/bad must exit 2
# with a message naming the file, the feature (index and id) and the field
# (the .expect file beside it), and must not write or clobber any output.
# Every file in tests/data/warn must load (exit 0) with its warning.
source "$(dirname "$0")/lib.sh"
cd "$SRC/tests/data/bad"
for f in *.geojson *.csv; do
  want=$(cat "${f%.*}.expect")
  "$SM" validate "$f" >"$OUT/stdout" 2>"$OUT/stderr"
  rc=$?
  [ $rc -eq 2 ] && pass || fail "$f: validate exit $rc, expected 2"
  grep -qF "$f: $want" "$OUT/stderr" && pass || { fail "$f: no message '$f: $want'"; cat "$OUT/stderr" >&2; }
  # an existing output stays byte for byte; nothing else appears
  printf 'previous output\n' >"$OUT/existing.json"
  "$SM" check "$f" -o "$OUT/existing.json" >/dev/null 2>&1
  rc=$?
  [ $rc -eq 2 ] && pass || fail "$f: check exit $rc, expected 2"
  [ "$(cat "$OUT/existing.json")" = "previous output" ] && pass || fail "$f: check clobbered its output"
  "$SM" check "$f" -o "$OUT/new.json" >/dev/null 2>&1
  [ ! -e "$OUT/new.json" ] && pass || fail "$f: check wrote an output for bad input"
  [ -z "$(ls "$OUT" | grep -v -e '^stdout$' -e '^stderr$' -e '^existing.json$')" ] && pass ||
    fail "$f: left files behind: $(ls "$OUT")"
done
cd "$SRC/tests/data/warn"
for f in *.geojson; do
  want=$(cat "${f%.*}.expect")
  "$SM" validate "$f" >"$OUT/stdout" 2>"$OUT/stderr"
  rc=$?
  [ $rc -eq 0 ] && pass || fail "$f: validate exit $rc, expected 0"
  # one grep for the whole line: it is called a warning and it is the expected one
  # (this used to grep "FILE: warning", a form the CLI never printed, and throw
  # the result away)
  grep -qF "warning: $f: $want" "$OUT/stderr" && pass ||
    { fail "$f: no 'warning: $f: $want'"; cat "$OUT/stderr" >&2; }
done
# unreadable input, unwritable output
"$SM" validate "$OUT/no-such-file.geojson" 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF "no-such-file.geojson: cannot read the file: no such file" "$OUT/stderr" && pass ||
  fail "missing input file"
: >"$OUT/plain-file"
"$SM" check "$SRC/examples/aleppo-2016.geojson" -o "$OUT/plain-file/out.json" 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF "plain-file/out.json: cannot be written" "$OUT/stderr" && pass ||
  { fail "unwritable output"; cat "$OUT/stderr" >&2; }
# a PG: connection's password is never printed, in or out (the servers
# named here do not exist: the connection fails and is named)
"$SM" check "$SRC/examples/aleppo-2016.geojson" \
  -o "PG:dbname=none host=$OUT/nosocket user=u password=hunter2 port=5" 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF "password=*** port=5: cannot be opened" "$OUT/stderr" &&
  ! grep -q hunter2 "$OUT/stderr" && pass || { fail "PG output: password shown"; cat "$OUT/stderr" >&2; }
"$SM" validate "PG:dbname=none host=$OUT/nosocket password='two words'" 2>"$OUT/stderr"
[ $? -eq 2 ] && grep -qF "password=***: cannot be read" "$OUT/stderr" &&
  ! grep -q "two words" "$OUT/stderr" && pass || { fail "PG input: password shown"; cat "$OUT/stderr" >&2; }
# usage errors exit 2
"$SM" check --format xml "$SRC/examples/aleppo-2016.geojson" 2>/dev/null; [ $? -eq 2 ] && pass || fail "bad --format"
"$SM" frobnicate 2>/dev/null; [ $? -eq 2 ] && pass || fail "unknown command"
"$SM" validate 2>/dev/null; [ $? -eq 2 ] && pass || fail "no files"
finish
