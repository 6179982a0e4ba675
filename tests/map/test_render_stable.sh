#!/usr/bin/env bash
# The example's maps do not change by accident: the sha256 of the bundled
# example rendered to PNG (with its world file and .aux.xml), SVG and PDF
# at two sizes, with SOURCE_DATE_EPOCH set, must match the committed list
# tests/map/data/stable.sha256. A refactoring must leave every byte as it
# was; a change meant to alter the maps regenerates the list, on purpose
# and in the same commit, with
#     STRIKEMAP_REGEN_STABLE=1 bash tests/map/test_render_stable.sh \
#         build/strikemap . /tmp/stable
# after looking at the new maps. The bytes depend on the cairo, Pango,
# fontconfig and PROJ of the machine (the list was made on the CI image,
# scripts/deps.sh); a PNG is listed by its pixels (its header and inflated
# rows, "example-*.png.pixels"), since how ISA-L compresses them may change
# with its version and the CPU it picks its code for. The test is skipped
# with a note when the fonts differ (fc-match sans-serif is not Noto Sans).
source "$(dirname "$0")/lib.sh"

LIST=$SRC/tests/map/data/stable.sha256
export SOURCE_DATE_EPOCH=1700000000
if ! fc-match "sans-serif" 2>/dev/null | grep -q "Noto Sans"; then
    echo "$(basename "$0"): skipped: the default sans-serif font is not Noto Sans, which the list was made with" >&2
    exit 0
fi
for size in 2000x1500 1200x800; do
    for ext in png svg pdf; do
        (cd "$SRC" && "$BIN" render examples/aleppo-2016.geojson --size "$size" \
            -o "$OUT/example-$size.$ext") 2>"$OUT/err-$size-$ext.txt"
        rc=$?
        check "render $size .$ext exits 0 (got $rc): $(cat "$OUT/err-$size-$ext.txt")" \
            test "$rc" -eq 0
    done
done
# a PNG's pixels: its IHDR and its inflated image data (Python's zlib)
for png in "$OUT"/example-*.png; do
    python3 - "$png" >"$png.pixels" <<'EOF'
import struct, sys, zlib
b = open(sys.argv[1], 'rb').read()
i, head, data = 8, b'', b''
while i < len(b):
    n, = struct.unpack('>I', b[i:i + 4])
    t = b[i + 4:i + 8]
    if t == b'IHDR':
        head = b[i + 8:i + 8 + n]
    elif t == b'IDAT':
        data += b[i + 8:i + 8 + n]
    i += 12 + n
sys.stdout.buffer.write(head + zlib.decompress(data))
EOF
done
(cd "$OUT" && sha256sum example-*.png.pixels example-*.pgw example-*.png.aux.xml \
    example-*.svg example-*.pdf) >"$OUT/got.sha256"
if [ "${STRIKEMAP_REGEN_STABLE:-}" = 1 ]; then
    cp "$OUT/got.sha256" "$LIST"
    echo "wrote $LIST" >&2
fi
check "the example's maps are byte-identical to $LIST: $(diff "$LIST" "$OUT/got.sha256" | tr '\n' ' ')" \
    cmp -s "$LIST" "$OUT/got.sha256"
finish
