/*
 * map/map_deflate.h: raw deflate streams (RFC 1951) compressed apart and
 * joined into one, as a PNG's image data must be (map_png.c).
 *
 * libdeflate compresses twice as fast as zlib at the same level, but only
 * whole buffers into whole streams: its last block is marked final, and
 * it ends on a byte with the bits past that block's end zero. Such a
 * stream is made continuable by clearing that mark and adding an empty
 * stored block (what zlib's Z_SYNC_FLUSH writes), which brings the next
 * stream to a byte boundary; where the last block starts and ends is
 * found by decoding its codes (nothing is written out). Depends on
 * nothing but the C library.
 */
#ifndef SM_MAP_DEFLATE_H
#define SM_MAP_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Walk a whole raw deflate stream of n bytes: the bit where its final
 * block starts (*final_bit, counted from bit 0 of z[0], least significant
 * bit first), the bit just past that block's end-of-block code
 * (*end_bit), and the number of bytes it decodes to (*out_bytes). False
 * when z is not exactly such a stream: a set of code lengths that is not
 * a code (as zlib judges it: over-subscribed, or incomplete but for a
 * single one-bit code), a code that is not one, a block type 3, a length
 * or distance out of range, a stored block's lengths that disagree, a
 * stream that runs past z[n - 1] or ends before it, or bits after its end
 * that are not zero. Nothing is read past z[n - 1]. */
bool sm__deflate_walk(const unsigned char *z, size_t n, uint64_t *final_bit, uint64_t *end_bit,
                      uint64_t *out_bytes);

/* Make the whole stream z (n bytes, room for n + 5) continuable: its
 * final block made not final, and an empty stored block after it. The new
 * length, or 0 when z is not a whole stream decoding to raw_bytes bytes
 * (z unchanged). */
size_t sm__deflate_continue(unsigned char *z, size_t n, uint64_t raw_bytes);

#endif
