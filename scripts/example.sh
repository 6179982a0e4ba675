#!/usr/bin/env bash
# The README's first command: set up (packages if missing, build), then run
# the main job on the bundled example: validate the claims, print the
# plausibility table, render the map into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSM_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
./build/strikemap validate examples/aleppo-2016.geojson
echo
./build/strikemap check examples/aleppo-2016.geojson
if ./build/strikemap render --help >/dev/null 2>&1; then
  echo
  ./build/strikemap render examples/aleppo-2016.geojson -o output/aleppo-2016.png
fi
