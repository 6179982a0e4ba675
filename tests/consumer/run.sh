# Install the library into a scratch prefix, build count_strikes.c against
# it with pkg-config alone, and run it on the bundled example.
#   bash run.sh BUILD_DIR SOURCE_DIR OUTPUT_DIR [EXTRA_CFLAGS]
set -eu
BUILD=$1 SRC=$2 OUT=$3 EXTRA=${4:-}
rm -rf "$OUT"
mkdir -p "$OUT"
cmake --install "$BUILD" --prefix "$OUT/prefix" >/dev/null
PC=$(find "$OUT/prefix" -name strikemap.pc | head -1)
export PKG_CONFIG_PATH=$(dirname "$PC")
# the .pc was configured for the build's prefix; point it at the scratch one
sed -i "s|^prefix=.*|prefix=$OUT/prefix|; s|^libdir=.*|libdir=$(dirname "$(dirname "$PC")")|; s|^includedir=.*|includedir=$OUT/prefix/include|" "$PC"
cc -std=c17 -Wall -Wextra -Werror $EXTRA -o "$OUT/count_strikes" "$SRC/tests/consumer/count_strikes.c" \
  $(pkg-config --cflags --libs strikemap)
LIBDIR=$(pkg-config --variable=libdir strikemap)
out=$(LD_LIBRARY_PATH="$LIBDIR" STRIKEMAP_HOME="$OUT/prefix/share/strikemap" \
      "$OUT/count_strikes" "$SRC/examples/aleppo-2016.geojson")
echo "$out"
echo "$out" | grep -qx "7 strikes"
# the attributed pairs of the example, launchers included (see examples/README.md)
echo "$out" | grep -qx "19 pairs"
# an options struct of another size is refused with a clear status, and the
# accessors are safe on the NULL it leaves
echo "$out" | grep -q "^old options: .*, options.size, 0 pairs$" ||
  { echo "an options struct of another size was not refused: $out" >&2; exit 1; }
echo "$out" | grep -qx "reach 170.000 km" || { echo "no reach through the public API: $out" >&2; exit 1; }
# the map drawn into the program's own surface: a good share of it inked
echo "$out" | grep -E "^map drawn, [0-9]+ pixels inked$" | awk '{ exit !($3 > 5000) }'
echo "$out" | grep -qx "old map options refused" || { echo "map options of the old size not refused: $out" >&2; exit 1; }
# and through CMake's find_package, with the installed package config
mkdir -p "$OUT/cmake"
cat >"$OUT/cmake/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(strikemap REQUIRED)
add_executable(count_strikes "$SRC/tests/consumer/count_strikes.c")
target_link_libraries(count_strikes PRIVATE strikemap::strikemap)
CMAKE
cmake -S "$OUT/cmake" -B "$OUT/cmake/build" -DCMAKE_PREFIX_PATH="$OUT/prefix" \
  -DCMAKE_C_FLAGS="$EXTRA" >/dev/null
cmake --build "$OUT/cmake/build" >/dev/null
out2=$(LD_LIBRARY_PATH="$LIBDIR" STRIKEMAP_HOME="$OUT/prefix/share/strikemap" \
       "$OUT/cmake/build/count_strikes" "$SRC/examples/aleppo-2016.geojson")
echo "$out2" | grep -qx "7 strikes"
