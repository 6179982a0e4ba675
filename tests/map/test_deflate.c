/*
 * test_deflate.c: map_deflate.c, the walk that makes libdeflate's whole
 * streams continuable so that a PNG's rows compressed apart are one zlib
 * stream. The oracle is zlib's inflate: data cut into chunks (1 byte to
 * the whole), each compressed by libdeflate at levels 1, 6 and 12 (fixed,
 * dynamic and stored blocks), every chunk but the last made continuable,
 * the chunks joined, must inflate to the data, byte for byte, and the walk
 * must count each chunk's bytes. Both ways of ending a chunk (the empty
 * stored block's header in the last byte's spare bits, or in one more
 * byte) must have been taken. A stream cut short, one with a block of
 * type 3, an incomplete code and bytes that are not deflate are refused,
 * never read past their end (the ASan build runs this too); what the walk
 * accepts of streams with bits flipped, zlib inflates whole to the bytes
 * the walk counted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <zlib.h>

#include "map/map_deflate.h"
#include "test.h"

static uint32_t g_seed = 12345;

static uint32_t rnd(void)
{
    g_seed = g_seed * 1103515245u + 12345u;
    return g_seed >> 8;
}

/* Rows of an RGB image with a filter byte each: flat fills, a gradient,
 * and scattered dots (a map's kinds of rows). */
static void image_rows(unsigned char *d, size_t n)
{
    const size_t row = 3 * 700 + 1;
    for (size_t i = 0; i < n; i++) {
        size_t x = i % row, y = i / row;
        unsigned char v = (unsigned char)(x < 900 ? 0xd5 + (x % 3) : (x + y) & 0xff);
        if (rnd() % 97 == 0)
            v = (unsigned char)rnd();
        d[i] = x == 0 ? 0 : v;
    }
}

typedef struct ends {
    int spare, extra; /* chunks ended in the last byte's spare bits, in one more */
} ends;

/* Cut d into chunks of `piece` bytes, compress and join them; true when
 * zlib inflates the join to d. */
static bool join_and_inflate(const unsigned char *d, size_t n, size_t piece, int level, ends *e)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    size_t cap = 0, len = 0;
    unsigned char *all = NULL;
    bool ok = c != NULL;
    for (size_t at = 0; ok && at < n; at += piece) {
        size_t m = n - at < piece ? n - at : piece;
        size_t bound = libdeflate_deflate_compress_bound(c, m) + 5;
        unsigned char *z = malloc(bound);
        size_t zl = z != NULL ? libdeflate_deflate_compress(c, d + at, m, z, bound - 5) : 0;
        ok = zl > 0;
        uint64_t final_bit = 0, end_bit = 0, out = 0;
        if (ok) {
            ok = sm__deflate_walk(z, zl, &final_bit, &end_bit, &out) && out == m;
            CHECK(ok);
        }
        if (ok && at + m < n) {
            if (8 * (uint64_t)zl - end_bit < 3)
                e->extra++;
            else
                e->spare++;
            size_t zl2 = sm__deflate_continue(z, zl, m);
            CHECK(zl2 == zl + 4 || zl2 == zl + 5);
            zl = zl2;
            ok = zl > 0;
        }
        if (ok && len + zl > cap) {
            cap = (len + zl) * 2;
            unsigned char *na = realloc(all, cap);
            ok = na != NULL;
            if (ok)
                all = na;
        }
        if (ok) {
            memcpy(all + len, z, zl);
            len += zl;
        }
        free(z);
    }
    libdeflate_free_compressor(c);
    unsigned char *back = malloc(n + 16);
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (ok && back != NULL && inflateInit2(&zs, -15) == Z_OK) {
        zs.next_in = all;
        zs.avail_in = (uInt)len;
        zs.next_out = back;
        zs.avail_out = (uInt)(n + 16);
        int r = inflate(&zs, Z_FINISH);
        ok = r == Z_STREAM_END && zs.total_out == n && zs.avail_in == 0 && memcmp(back, d, n) == 0;
        inflateEnd(&zs);
    } else {
        ok = false;
    }
    free(back);
    free(all);
    return ok;
}

int main(void)
{
    const size_t n = 300000;
    unsigned char *img = malloc(n), *noise = malloc(n), *zero = calloc(n, 1);
    image_rows(img, n);
    for (size_t i = 0; i < n; i++)
        noise[i] = (unsigned char)rnd();
    static const char text[] = "Could the claimed aircraft have made these strikes? "
                               "2,000 strikes, 40 aircraft (40 tracks), 1-30 Oct 2015 (UTC)";
    struct {
        const char *name;
        const unsigned char *d;
        size_t n;
    } data[] = {
        {"image rows", img, n},
        {"noise (stored blocks)", noise, 100000},
        {"zeros", zero, 70000},
        {"text (fixed codes)", (const unsigned char *)text, sizeof(text) - 1},
        {"one byte", img, 1},
    };
    const size_t pieces[] = {1, 7, 1000, 24000, 65536, 200000, SIZE_MAX};
    const int levels[] = {1, 6, 12};
    ends e = {0, 0};
    for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++)
        for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++)
            for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++) {
                if (pieces[p] < 1000 && data[i].n > 5000 && levels[l] != 1)
                    continue; /* (thousands of tiny streams: once is enough) */
                bool ok = join_and_inflate(data[i].d, data[i].n, pieces[p], levels[l], &e);
                if (!ok)
                    fprintf(stderr, "%s in pieces of %zu at level %d: not the data back\n",
                            data[i].name, pieces[p], levels[l]);
                CHECK(ok);
            }
    /* both ways of ending a chunk were taken */
    CHECK(e.spare > 100);
    CHECK(e.extra > 100);

    /* refused: cut short, a block of type 3, not deflate */
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
    size_t bound = libdeflate_deflate_compress_bound(c, 50000) + 5;
    unsigned char *z = malloc(bound);
    size_t zl = libdeflate_deflate_compress(c, img, 50000, z, bound - 5);
    libdeflate_free_compressor(c);
    uint64_t fb, eb, out;
    CHECK(sm__deflate_walk(z, zl, &fb, &eb, &out) && out == 50000);
    CHECK(sm__deflate_continue(z, zl, 49999) == 0); /* not the bytes said */
    for (size_t cut = 1; cut < zl; cut += zl / 37 + 1)
        CHECK(sm__deflate_continue(z, zl - cut, 50000) == 0);
    unsigned char type3[4] = {0x07, 0, 0, 0}; /* final, type 3 */
    CHECK(!sm__deflate_walk(type3, sizeof(type3), &fb, &eb, &out));
    for (int k = 0; k < 200; k++) {
        size_t m = 1 + rnd() % 3000;
        (void)sm__deflate_walk(noise + rnd() % 1000, m, &fb, &eb, &out); /* no crash, no overrun */
    }
    CHECK(!sm__deflate_walk(z, 0, &fb, &eb, &out));
    /* Regression (review of 700ef45): an incomplete literal/length code
     * (only the end-of-block code, 2 bits long) was accepted; zlib refuses
     * it ("invalid literal/lengths set"). */
    static const unsigned char incomplete[] = {0x05, 0x80, 0x81, 0x08, 0x00, 0x00,
                                               0x00, 0x80, 0xfc, 0xad, 0x0f};
    CHECK(!sm__deflate_walk(incomplete, sizeof(incomplete), &fb, &eb, &out));
    /* Streams with bits flipped: whatever the walk accepts, zlib inflates
     * whole, to the bytes the walk counted, ending on the last byte. */
    int accepted = 0, agreed = 0;
    unsigned char *mut = malloc(zl), *back = NULL;
    for (int k = 0; k < 3000; k++) {
        size_t m = k % 3 == 0 ? zl : 1 + rnd() % (zl < 400 ? zl : 400);
        memcpy(mut, z, m);
        for (int f = 0; f < 1 + k % 3; f++)
            mut[rnd() % m] ^= (unsigned char)(1u << (rnd() % 8));
        if (!sm__deflate_walk(mut, m, &fb, &eb, &out))
            continue;
        accepted++;
        unsigned char *nb = realloc(back, (size_t)out + 16);
        if (nb == NULL)
            break;
        back = nb;
        z_stream zs;
        memset(&zs, 0, sizeof(zs));
        if (inflateInit2(&zs, -15) != Z_OK)
            break;
        zs.next_in = mut;
        zs.avail_in = (uInt)m;
        zs.next_out = back;
        zs.avail_out = (uInt)out + 16;
        int r = inflate(&zs, Z_FINISH);
        agreed += r == Z_STREAM_END && zs.avail_in == 0 && zs.total_out == out;
        inflateEnd(&zs);
    }
    CHECK(accepted > 0);
    CHECK(agreed == accepted);
    free(mut);
    free(back);
    free(z);
    free(img);
    free(noise);
    free(zero);
    return sm_test_report("test_deflate");
}
