# An installed strikemap, as a user gets it from `cmake --install`: the
# binary finds its library without LD_LIBRARY_PATH and its data in the
# prefix without STRIKEMAP_HOME (not in the source tree), and the README's
# C example compiles as written and runs from another folder, on the
# example and on a missing file (a clean error, no crash).
#   bash install.sh BUILD_DIR SOURCE_DIR OUTPUT_DIR [EXTRA_CFLAGS]
set -eu
BUILD=$1 SRC=$2 OUT=$3 EXTRA=${4:-}
rm -rf "$OUT"
mkdir -p "$OUT/elsewhere"
PREFIX=$OUT/prefix
cmake --install "$BUILD" --prefix "$PREFIX" >/dev/null
unset STRIKEMAP_HOME LD_LIBRARY_PATH
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$OUT/elsewhere"
cp "$SRC/examples/aleppo-2016.geojson" claims.geojson

# 1. the installed binary: its library through RPATH, its data from PREFIX
ver=$("$PREFIX/bin/strikemap" --version) || fail "installed strikemap does not run: $ver"
echo "$ver"
echo "$ver" | grep -qE '^strikemap [0-9]+\.[0-9]+\.[0-9]+ \(GDAL [0-9.]+, PROJ [0-9.]+, cairo [0-9.]+, Pango [0-9.]+\)$' ||
    fail "--version does not name the libraries: $ver"
want=$(cd "$PREFIX/share/strikemap" && pwd -P)
echo "$ver" | grep -qx "data: $want" || fail "installed strikemap does not use its installed data ($want): $ver"
ldd "$PREFIX/bin/strikemap" | grep libstrikemap | grep -q "$PREFIX" ||
    fail "installed strikemap does not load the installed library: $(ldd "$PREFIX/bin/strikemap" | grep libstrikemap)"
"$PREFIX/bin/strikemap" check claims.geojson --format csv >check.csv || fail "installed check failed"
grep -q implausible check.csv || fail "installed check gave no verdicts"

# 2. the README's C example, as written
awk '/^## Using the library from C/ {s = 1} s && /^```c$/ {c = 1; next} c && /^```$/ {exit} c' \
    "$SRC/README.md" >prog.c
grep -q 'int main' prog.c || fail "no C example with main() in README.md"
PC=$(find "$PREFIX" -name strikemap.pc | head -1)
export PKG_CONFIG_PATH=$(dirname "$PC")
sed -i "s|^prefix=.*|prefix=$PREFIX|; s|^libdir=.*|libdir=$(dirname "$(dirname "$PC")")|; s|^includedir=.*|includedir=$PREFIX/include|" "$PC"
# shellcheck disable=SC2046 # pkg-config's flags are words
cc -std=c17 -Wall -Wextra -Werror $EXTRA -o prog prog.c $(pkg-config --cflags --libs strikemap) ||
    fail "README's C example does not compile"
LIBDIR=$(pkg-config --variable=libdir strikemap)
set +e
LD_LIBRARY_PATH=$LIBDIR ./prog claims.geojson >prog.out 2>prog.err
rc=$?
set -e
[ "$rc" = 0 ] || fail "README example on the example: exit $rc: $(cat prog.err)"
grep -qE '^s-[^ ]+ (plausible|implausible|marginal|unknown) [0-9]+\.[0-9]{3} km$' prog.out ||
    fail "README example printed no verdicts: $(head -3 prog.out)"
[ -s map-of-my-own.png ] || fail "README example wrote no map"
file map-of-my-own.png | grep -q '1200 x 900' || fail "map-of-my-own.png is not 1200x900"
set +e
LD_LIBRARY_PATH=$LIBDIR ./prog no-such-file.geojson >prog.out 2>prog.err
rc=$?
set -e
[ "$rc" = 2 ] || fail "README example on a missing file: exit $rc (want 2): $(cat prog.err)"
grep -q 'no-such-file.geojson' prog.err || fail "the missing file is not named: $(cat prog.err)"
echo "install: ok"
