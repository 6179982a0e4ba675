#!/usr/bin/env bash
# The README's first command: set up (packages if missing, build), then run
# the main job on the bundled example: validate the claims, print the
# plausibility table, render the map and write the report into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
./build/strikemap validate examples/aleppo-2016.geojson
echo
./build/strikemap check examples/aleppo-2016.geojson
echo
./build/strikemap render examples/aleppo-2016.geojson -o output/aleppo-2016.png
./build/strikemap report examples/aleppo-2016.geojson -o output/aleppo-2016.pdf
./build/strikemap report examples/aleppo-2016.geojson -o output/aleppo-2016.html
echo
echo "Map: output/aleppo-2016.png (with .pgw and .png.aux.xml); report: output/aleppo-2016.pdf and .html"
