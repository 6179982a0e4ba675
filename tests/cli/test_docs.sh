# The documents quote `strikemap check` only as it is: every block between
# <!-- check:begin --> and <!-- check:end --> in README.md and
# examples/README.md must be lines that `check examples/aleppo-2016.geojson`
# prints, in its order ("..." stands for lines left out; the example README's
# block is the whole output). A changed model or table changes the output;
# the documents must then be regenerated, not left stale.
source "$(dirname "$0")/lib.sh"
"$SM" check "$SRC/examples/aleppo-2016.geojson" >"$OUT/check.txt" 2>"$OUT/stderr"
[ $? -eq 0 ] && pass || fail "check of the example"
for doc in README.md examples/README.md; do
  python3 - "$SRC/$doc" "$OUT/check.txt" "$doc" <<'PY' && pass || fail "$doc quotes check output that check does not print"
import re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
out = [l for l in open(sys.argv[2], encoding="utf-8").read().split("\n") if l != ""]
blocks = re.findall(r"<!-- check:begin -->\s*```\n(.*?)```\s*<!-- check:end -->", doc, re.S)
if not blocks:
    print(f"{sys.argv[3]}: no check block", file=sys.stderr)
    sys.exit(1)
for b in blocks:
    lines = [l for l in b.split("\n") if l != ""]
    pos = 0
    for l in lines:
        if l == "...":
            continue
        try:
            pos = out.index(l, pos) + 1
        except ValueError:
            print(f"{sys.argv[3]}: not printed (or out of order): {l}", file=sys.stderr)
            sys.exit(1)
    if "..." not in lines and lines != out:
        print(f"{sys.argv[3]}: the block is not the whole output", file=sys.stderr)
        sys.exit(1)
PY
done
finish
