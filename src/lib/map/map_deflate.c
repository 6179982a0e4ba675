/*
 * map_deflate.c: where a whole raw deflate stream's final block starts and
 * ends, found by decoding its codes (RFC 1951, section 3.2), and the
 * stream made continuable (map_deflate.h).
 *
 * The decoding follows the RFC's description: stored, fixed and dynamic
 * blocks; canonical Huffman codes read a bit at a time past a table of
 * the codes up to FAST_BITS long. Lengths and distances are checked
 * against the bytes decoded so far, so that a walk that went wrong (a bug
 * here, or a stream that is not what its writer meant) fails instead of
 * giving a wrong end: the PNG writer then compresses that run of rows
 * with zlib instead.
 */
#include <string.h>

#include "map/map_deflate.h"

#define MAX_BITS  15
#define FAST_BITS 10
#define N_LITLEN  288
#define N_DIST    30

typedef struct bits {
    const unsigned char *z;
    size_t n;      /* bytes */
    size_t next;   /* the next byte to load */
    uint64_t buf;  /* loaded bits, the next one lowest */
    unsigned have; /* bits in buf */
} bits;

/* Bits consumed. */
static uint64_t used(const bits *b)
{
    return (uint64_t)b->next * 8 - b->have;
}

/* At least 56 bits in buf: eight bytes at once where there are eight
 * (bits already loaded are loaded again, the same), else one at a time,
 * zeros past the end (a walk that reads them fails on used > 8 n). */
static void fill(bits *b)
{
    if (b->next + 8 <= b->n) {
        uint64_t w;
        memcpy(&w, b->z + b->next, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap64(w);
#endif
        b->buf |= w << b->have;
        b->next += (63 - b->have) >> 3;
        b->have |= 56;
        return;
    }
    while (b->have <= 56) {
        uint64_t byte = b->next < b->n ? b->z[b->next] : 0;
        b->buf |= byte << b->have;
        b->have += 8;
        b->next++;
    }
}

static void drop(bits *b, unsigned k)
{
    b->buf >>= k;
    b->have -= k;
}

/* The next k bits (k <= 16), as a number. */
static unsigned take(bits *b, unsigned k)
{
    if (b->have < k)
        fill(b);
    unsigned v = (unsigned)(b->buf & ((1u << k) - 1));
    drop(b, k);
    return v;
}

/* Go to byte i (stored blocks). */
static void seek_byte(bits *b, uint64_t i)
{
    b->next = (size_t)i;
    b->buf = 0;
    b->have = 0;
}

static bool past_end(const bits *b)
{
    return used(b) > (uint64_t)b->n * 8;
}

/* A canonical Huffman code: codes up to FAST_BITS long by table (indexed
 * by the next FAST_BITS bits; symbol << 4 | length, 0 for none), longer
 * ones by their value read most significant bit first against each
 * length's range (lim). */
typedef struct huff {
    uint16_t fast[1u << FAST_BITS];
    uint32_t lim[MAX_BITS + 2];  /* past the last code of each length, as MAX_BITS bits */
    int32_t start[MAX_BITS + 1]; /* symbol[] index of a length's code 0 */
    uint16_t count[MAX_BITS + 1];
    uint16_t symbol[N_LITLEN];
} huff;

/* The low 15 bits of x in reverse order. */
static unsigned reverse15(unsigned x)
{
    x = ((x >> 1) & 0x5555u) | ((x & 0x5555u) << 1);
    x = ((x >> 2) & 0x3333u) | ((x & 0x3333u) << 2);
    x = ((x >> 4) & 0x0f0fu) | ((x & 0x0f0fu) << 4);
    x = ((x >> 8) & 0x00ffu) | ((x & 0x00ffu) << 8);
    return x >> 1;
}

/* False for a set of lengths that is not a code, as zlib judges them
 * (inftrees.c): an over-subscribed one, or an incomplete one, which only
 * a literal/length or distance code may be, and then only a single code
 * of one bit (or none at all: a block without distances). `lengths`: the
 * code-length code, which must be complete. */
static bool build(huff *h, const unsigned char *len, int n, bool lengths)
{
    memset(h->count, 0, sizeof(h->count));
    for (int s = 0; s < n; s++)
        h->count[len[s]]++;
    h->count[0] = 0;
    int left = 1, max = 0;
    for (int l = 1; l <= MAX_BITS; l++) {
        left = (left << 1) - h->count[l];
        if (left < 0)
            return false;
        if (h->count[l] != 0)
            max = l;
    }
    if (left > 0 && max != 0 && (lengths || max != 1))
        return false;
    uint16_t offs[MAX_BITS + 2];
    unsigned next[MAX_BITS + 2];
    offs[1] = 0;
    next[1] = 0;
    for (int l = 1; l <= MAX_BITS; l++) {
        offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
        next[l + 1] = (next[l] + h->count[l]) << 1;
        h->lim[l] = (next[l] + h->count[l]) << (MAX_BITS - l);
        h->start[l] = (int32_t)offs[l] - (int32_t)next[l];
    }
    memset(h->fast, 0, sizeof(h->fast));
    for (int s = 0; s < n; s++) {
        int l = len[s];
        if (l == 0)
            continue;
        h->symbol[offs[l]++] = (uint16_t)s;
        unsigned code = next[l]++;
        if (l > FAST_BITS)
            continue;
        /* the code's bits come first-bit-lowest in the stream */
        unsigned rev = 0;
        for (int i = 0; i < l; i++)
            rev |= ((code >> i) & 1u) << (l - 1 - i);
        for (unsigned i = rev; i < (1u << FAST_BITS); i += 1u << l)
            h->fast[i] = (uint16_t)(s << 4 | l);
    }
    return true;
}

/* A code longer than FAST_BITS at the start of buf (or none: -1), its
 * length in *len. */
static int decode_long(uint64_t buf, const huff *h, unsigned *len)
{
    unsigned v = reverse15((unsigned)(buf & 0x7fff));
    for (int l = FAST_BITS + 1; l <= MAX_BITS; l++)
        if (v < h->lim[l]) {
            *len = (unsigned)l;
            return h->symbol[h->start[l] + (int32_t)(v >> (MAX_BITS - l))];
        }
    return -1;
}

/* The next symbol, or -1 for a code that is not one (at least MAX_BITS
 * bits loaded). */
static int decode(bits *b, const huff *h)
{
    unsigned e = h->fast[b->buf & ((1u << FAST_BITS) - 1)], l = e & 15;
    int s = e != 0 ? (int)(e >> 4) : decode_long(b->buf, h, &l);
    if (s >= 0)
        drop(b, l);
    return s;
}

static const uint16_t g_len_base[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                        15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                        67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t g_len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                        2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t g_dist_base[N_DIST] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t g_dist_extra[N_DIST] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                             6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* The codes of a Huffman block, to its end-of-block code. A length and
 * distance take at most 15 + 5 + 15 + 13 bits: one fill a code. (The
 * bit buffer in locals: this loop is most of the walk's time.) */
static bool codes(bits *b, const huff *lit, const huff *dist, uint64_t *out)
{
    uint64_t buf = b->buf, o = *out;
    unsigned have = b->have;
    bool ok = false;
    for (;;) {
        if (have < 48) {
            b->buf = buf;
            b->have = have;
            fill(b);
            buf = b->buf;
            have = b->have;
            if (b->next > b->n + 8)
                break;
        }
        unsigned e = lit->fast[buf & ((1u << FAST_BITS) - 1)], l = e & 15;
        int s = e != 0 ? (int)(e >> 4) : decode_long(buf, lit, &l);
        if (s < 0)
            break;
        buf >>= l;
        have -= l;
        if (s < 256) {
            o++;
            continue;
        }
        if (s == 256) {
            ok = true;
            break;
        }
        s -= 257;
        if (s >= 29)
            break;
        unsigned k = g_len_extra[s];
        uint64_t length = g_len_base[s] + (buf & ((1u << k) - 1));
        buf >>= k;
        have -= k;
        e = dist->fast[buf & ((1u << FAST_BITS) - 1)];
        l = e & 15;
        int d = e != 0 ? (int)(e >> 4) : decode_long(buf, dist, &l);
        if (d < 0 || d >= N_DIST)
            break;
        buf >>= l;
        have -= l;
        k = g_dist_extra[d];
        uint64_t distance = g_dist_base[d] + (buf & ((1u << k) - 1));
        buf >>= k;
        have -= k;
        if (distance > o)
            break;
        o += length;
    }
    b->buf = buf;
    b->have = have;
    *out = o;
    return ok;
}

static bool fixed_codes(huff *lit, huff *dist)
{
    unsigned char len[N_LITLEN];
    for (int s = 0; s < N_LITLEN; s++)
        len[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    /* 32 distance codes of 5 bits, complete; 30 and 31 are not distances
     * (codes() refuses them) */
    unsigned char dl[32];
    memset(dl, 5, sizeof(dl));
    return build(lit, len, N_LITLEN, false) && build(dist, dl, 32, false);
}

/* A dynamic block's codes, from its header. */
static bool dynamic_codes(bits *b, huff *lit, huff *dist)
{
    static const uint8_t order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                      11, 4,  12, 3, 13, 2, 14, 1, 15};
    int nlen = (int)take(b, 5) + 257, ndist = (int)take(b, 5) + 1, ncode = (int)take(b, 4) + 4;
    if (nlen > 286 || ndist > N_DIST)
        return false;
    unsigned char len[N_LITLEN + N_DIST];
    memset(len, 0, 19);
    for (int i = 0; i < ncode; i++)
        len[order[i]] = (unsigned char)take(b, 3);
    huff *lencode = lit; /* (built again below) */
    if (!build(lencode, len, 19, true))
        return false;
    for (int i = 0; i < nlen + ndist;) {
        if (b->have < 32)
            fill(b);
        int s = decode(b, lencode);
        if (s < 0)
            return false;
        if (s < 16) {
            len[i++] = (unsigned char)s;
            continue;
        }
        int rep;
        unsigned char v = 0;
        if (s == 16) {
            if (i == 0)
                return false;
            v = len[i - 1];
            rep = 3 + (int)take(b, 2);
        } else {
            rep = s == 17 ? 3 + (int)take(b, 3) : 11 + (int)take(b, 7);
        }
        if (i + rep > nlen + ndist)
            return false;
        while (rep-- > 0)
            len[i++] = v;
    }
    if (len[256] == 0 || past_end(b))
        return false;
    return build(lit, len, nlen, false) && build(dist, len + nlen, ndist, false);
}

bool sm__deflate_walk(const unsigned char *z, size_t n, uint64_t *final_bit, uint64_t *end_bit,
                      uint64_t *out_bytes)
{
    bits b = {z, n, 0, 0, 0};
    huff lit, dist;
    uint64_t out = 0;
    for (;;) {
        uint64_t start = used(&b);
        unsigned last = take(&b, 1), type = take(&b, 2);
        if (type == 0) {
            uint64_t at = (used(&b) + 7) / 8;
            if (at + 4 > n)
                return false;
            unsigned len = z[at] | (unsigned)z[at + 1] << 8,
                     nlen = z[at + 2] | (unsigned)z[at + 3] << 8;
            if ((len ^ 0xffffu) != nlen || at + 4 + len > n)
                return false;
            seek_byte(&b, at + 4 + len);
            out += len;
        } else if (type == 3) {
            return false;
        } else {
            if (!(type == 1 ? fixed_codes(&lit, &dist) : dynamic_codes(&b, &lit, &dist)))
                return false;
            if (!codes(&b, &lit, &dist, &out))
                return false;
        }
        if (past_end(&b))
            return false;
        if (last) {
            *final_bit = start;
            break;
        }
    }
    /* it ends in z's last byte, the bits after it zero */
    uint64_t end = used(&b);
    if ((end + 7) / 8 != n || (end % 8 != 0 && z[n - 1] >> (end % 8) != 0))
        return false;
    *end_bit = end;
    *out_bytes = out;
    return true;
}

size_t sm__deflate_continue(unsigned char *z, size_t n, uint64_t raw_bytes)
{
    uint64_t final_bit, end_bit, out;
    if (!sm__deflate_walk(z, n, &final_bit, &end_bit, &out) || out != raw_bytes)
        return 0;
    z[final_bit / 8] &= (unsigned char)~(1u << (final_bit % 8));
    /* An empty stored block: 3 zero bits (not final, type 0), zeros to the
     * byte, then LEN 0 and NLEN 0xffff. The bits after the end are zero
     * already; when fewer than 3, the header runs into one more byte. */
    size_t m = n;
    if (8 * (uint64_t)n - end_bit < 3)
        z[m++] = 0;
    z[m++] = 0;
    z[m++] = 0;
    z[m++] = 0xff;
    z[m++] = 0xff;
    return m;
}
