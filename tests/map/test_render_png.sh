#!/usr/bin/env bash
# The PNG's image data (map_png.c): drawn in bands, cut into chunks of rows
# that two threads deflate apart (ISA-L), each but the last ended on a byte
# boundary by a full flush, joined into the one zlib stream a PNG holds.
# Two decoders that share no code with ours must read it whole: Python's
# zlib (every chunk's CRC, one stream ending exactly at the last IDAT byte,
# its Adler-32, every row's filter byte, the row count and length), and
# GDAL through libpng, whose pixels must be the bytes zlib gave. Sizes whose
# height is not a whole number of chunks or bands, one narrower than a
# chunk is tall, a wide one (chunks of several deflate blocks), RGB and
# RGBA (a translucent paper). Then the track lines, which whichever thread
# is free strokes ahead as coverage and the band's drawing lays on in their
# colour: against the same map with the lines stroked in the band
# (SM_MAP_TRACK_MASKS=0, map_png.c), and a translucent colour never stroked
# ahead (map_claims_draw.c).
source "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=0

EX=$SRC/examples/aleppo-2016.geojson
printf 'colour.paper = #ffffff80\n' >"$OUT/clear.style"

# stream PNG W H CHANNELS: the checks above, said by Python; GDAL's pixels
# compared after
stream() {
    python3 - "$@" <<'EOF'
import struct, sys, zlib
path, w, h, ch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
b = open(path, 'rb').read()
assert b[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG signature'
i, idat, types = 8, [], []
while i < len(b):
    n, = struct.unpack('>I', b[i:i + 4])
    t, data = b[i + 4:i + 8], b[i + 8:i + 8 + n]
    crc, = struct.unpack('>I', b[i + 8 + n:i + 12 + n])
    assert zlib.crc32(t + data) == crc, 'bad CRC in a %s chunk' % t
    types.append(t)
    if t == b'IHDR':
        W, H, depth, colour = struct.unpack('>IIBB', data[:10])
        assert (W, H, depth) == (w, h, 8), 'IHDR says %dx%d, %d bits' % (W, H, depth)
        assert colour == (6 if ch == 4 else 2), 'colour type %d' % colour
    if t == b'IDAT':
        idat.append(data)
    i += 12 + n
assert types[-1] == b'IEND', 'no IEND at the end'
z = zlib.decompressobj()
raw = z.decompress(b''.join(idat))
assert z.eof, 'the zlib stream does not end'
assert z.unused_data == b'', '%d bytes after the zlib stream' % len(z.unused_data)
row = 1 + ch * w
assert len(raw) == h * row, '%d bytes inflated, %d expected' % (len(raw), h * row)
assert all(raw[y * row] == 0 for y in range(h)), 'a row whose filter is not none'
pix = b''.join(raw[y * row + 1:(y + 1) * row] for y in range(h))
open(path + '.zlib.raw', 'wb').write(pix)
print(len(idat))
EOF
}

for c in "1000x750" "16x40" "2600x130" "999x333 --style $OUT/clear.style"; do
    read -r size style <<<"$c"
    w=${size%x*}
    h=${size#*x}
    name=png-$size${style:+-rgba}
    ch=3
    [ -n "$style" ] && ch=4
    "$BIN" render "$EX" --size "$size" $style -o "$OUT/$name.png" 2>"$OUT/$name.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        fail "$name: exit $rc: $(tail -1 "$OUT/$name.err")"
        continue
    fi
    if ! n=$(stream "$OUT/$name.png" "$w" "$h" "$ch" 2>"$OUT/$name.py"); then
        fail "$name: $(tail -1 "$OUT/$name.py")"
        continue
    fi
    ok
    # (a map of more than one chunk of rows is joined from several streams)
    [ "$h" -le 16 ] || check "$name: one IDAT chunk per chunk of rows ($n)" test "$n" -gt 1
    gdal_translate -q -of ENVI -co INTERLEAVE=BIP "$OUT/$name.png" "$OUT/$name.envi" \
        2>>"$OUT/$name.err"
    check "$name: libpng's pixels (through GDAL) are not the bytes zlib inflated" \
        cmp -s "$OUT/$name.envi" "$OUT/$name.png.zlib.raw"
done

# ---- the track lines stroked ahead ------------------------------------------
# 60 sorties of 40 fixes (no halo: the line's coverage stroked ahead) and
# 30 of 10 (a translucent halo, stroked in the band, under the line's
# coverage; fixes far enough apart for the line to show between them):
# against the lines stroked in the band, no pixel more than 3 levels apart
# (rounding at their edges), while the map without tracks differs. A
# translucent line is never stroked ahead (laid on once where lines cross
# it would not be the lines stroked one by one): the same bytes both ways.
printf 'colour.track = #1f3a5f80\n' >"$OUT/translucent.style"
for c in "60 40" "30 10"; do
    read -r n fixes <<<"$c"
    python3 "$SRC/bench/render/gen_operator.py" "$OUT/op$n" --strikes 300 --tracks "$n" \
        --fixes "$fixes" >/dev/null
    ops=("$OUT/op$n/strikes.csv" "$OUT/op$n/tracks.csv" --size 1600x1100)
    "$BIN" render "${ops[@]}" -o "$OUT/tracks$n.png" 2>/dev/null &&
        SM_MAP_TRACK_MASKS=0 "$BIN" render "${ops[@]}" -o "$OUT/tracks$n.direct.png" 2>/dev/null &&
        "$BIN" render "${ops[@]}" --no-tracks -o "$OUT/tracks$n.none.png" 2>/dev/null &&
        "$BIN" render "${ops[@]}" --style "$OUT/translucent.style" -o "$OUT/tracks$n.t.png" \
            2>/dev/null &&
        SM_MAP_TRACK_MASKS=0 "$BIN" render "${ops[@]}" --style "$OUT/translucent.style" \
            -o "$OUT/tracks$n.t.direct.png" 2>/dev/null ||
        { fail "tracks $n: a render failed"; continue; }
    res=$("$IMGDIFF" "$OUT/tracks$n.png" "$OUT/tracks$n.direct.png" "$OUT/tracks$n.diff.png" 3)
    share=$(sed -n 's/.*over=\([0-9.e-]*\).*/\1/p' <<<"$res")
    check "$n sorties: the lines stroked ahead differ from those stroked in the band: $res" \
        awk -v s="$share" 'BEGIN { exit !(s == 0) }'
    res=$("$IMGDIFF" "$OUT/tracks$n.png" "$OUT/tracks$n.none.png" "$OUT/tracks$n.nodiff.png" 3)
    share=$(sed -n 's/.*over=\([0-9.e-]*\).*/\1/p' <<<"$res")
    check "$n sorties: the map without tracks is not told apart: $res" \
        awk -v s="$share" 'BEGIN { exit !(s > 0.001) }'
    check "$n sorties, a translucent line: stroked ahead (not the bytes of the lines stroked in the band)" \
        cmp -s "$OUT/tracks$n.t.png" "$OUT/tracks$n.t.direct.png"
done
finish
