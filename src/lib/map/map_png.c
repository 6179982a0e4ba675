/*
 * map_png.c: the PNG image of a map, drawn in bands and compressed on two
 * threads.
 *
 * A 4000 x 3000 map is 48 MB of pixels. It is drawn instead in bands of
 * BAND_ROWS rows into SLOTS band images in turn, so the memory is that of
 * two bands (2 MB). Every band draws the whole map under a clip; paths are
 * cut to the band first (sm__paths_to_cairo), markers and labels whose ink
 * is outside it are skipped. Cutting a path moves its antialiased edges
 * by a few levels at most, so the band height changes a few pixels by up
 * to 8 of 255; 64 rows rather than 128 saves 2 MB and no time. One thread
 * (the worker) draws every band, in order: the map's text layouts and
 * sprites are not shared between threads. The track lines are the
 * exception (cairo's strokes, the longest part of a band with many
 * sorties, and no text): either thread strokes a band's lines ahead, as
 * coverage in an A8 image a band in size (up to MASK_SLOTS bands ahead),
 * and the band's drawing lays that coverage on in the lines' colour where
 * it would have stroked them (map_claims_draw.c). Only an opaque colour
 * is stroked ahead: a translucent one composited once over crossings
 * would not be the map stroked track by track. The pixels are those of
 * the lines stroked in the band, but for a level or two of rounding at
 * their edges.
 *
 * Compressing once cost more than drawing, so both threads compress:
 * each band's rows are cut into chunks of CHUNK_ROWS rows, each deflated
 * alone, which either thread takes in order once its band is drawn; the
 * calling thread writes them in order as IDAT chunks, the zlib header
 * before the first and the Adler-32 of the whole (adler32_combine of the
 * chunks') after the last. A chunk is deflated by ISA-L's igzip (level
 * 0) in one call, ended on a byte boundary by a full flush (the last as
 * the stream's end), so the chunks are one valid zlib stream, as pigz makes;
 * the pixels are what libpng would write (no filter), the bytes differ
 * from a single stream's.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <isa-l/igzip_lib.h>
#include <zlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "map/map_internal.h"

#define BAND_ROWS  64
#define SLOTS      2
#define CHUNK_ROWS 16
/* Bands whose track lines may be stroked ahead (their coverage: a quarter
 * of a band image each, a pass) */
#define MASK_SLOTS 2
/* ISA-L's level 0 (one Huffman table made in advance, no working memory): on a
 * 4000 x 3000 map, 0.03 s of CPU where libdeflate's level 1 took 0.09 s
 * (and the walk joining its streams 0.03 s more; zlib's level 1 0.17 s),
 * the file a third larger than libdeflate's. Its levels 1 to 3 compress
 * a fifth smaller as fast, but ISA-L 2.30 gives them the same rows as
 * different bytes now and then (about one chunk in 3,000, whichever
 * thread; its level 0 never did in 300 maps): a map must be the same
 * bytes every time (docs/render.md). */
#define ISAL_LEVEL 0

/* A run of rows deflated alone. */
typedef struct chunk {
    unsigned char *z; /* its deflate data */
    size_t len;
    uLong adler; /* of its filtered rows */
    size_t raw;  /* their bytes */
    bool done;   /* compressed */
} chunk;

typedef struct png_pipe {
    sm_map *m;
    int width, height, n_bands, n_chunks;
    bool alpha;
    size_t row_bytes; /* filter byte + pixels */
    cairo_surface_t *slot[SLOTS];
    chunk *chunks;
    int drawn; /* bands drawn, in order */
    /* the track lines stroked ahead (sm__map_tracks_mask): the passes
     * with mask[.][pass] (sm__tracks_pass_maskable), those of band k in
     * mask[k % MASK_SLOTS], complete when mask_band[] of that slot is k */
    bool masked;
    cairo_surface_t *mask[MASK_SLOTS][2];
    int mask_band[MASK_SLOTS];
    int next_mask;       /* the next band to stroke */
    int masked_upto;     /* bands [0, this) are stroked */
    int next_claim;      /* the next chunk to compress */
    int compressed_upto; /* chunks [0, this) are all compressed */
    bool stop;           /* the writer gave up */
    bool nomem;
    int zerror; /* what ISA-L said, when it failed otherwise (under mu) */
    cairo_status_t failed;
    bool threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} png_pipe;

/* One thread's compressor: a chunk's filtered rows. */
typedef struct compressor {
    unsigned char *rows;
} compressor;

/* cairo's ARGB32/RGB24 (native-endian words, premultiplied) to RGB(A)
 * bytes. */
static void convert_row(const uint32_t *src, unsigned char *dst, int w, bool alpha)
{
    for (int x = 0; x < w; x++) {
        uint32_t p = src[x];
        unsigned a = p >> 24, r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
        if (!alpha) {
            dst[0] = (unsigned char)r;
            dst[1] = (unsigned char)g;
            dst[2] = (unsigned char)b;
            dst += 3;
            continue;
        }
        if (a != 0 && a != 255) {
            r = (r * 255 + a / 2) / a;
            g = (g * 255 + a / 2) / a;
            b = (b * 255 + a / 2) / a;
        }
        dst[0] = (unsigned char)r;
        dst[1] = (unsigned char)g;
        dst[2] = (unsigned char)b;
        dst[3] = (unsigned char)a;
        dst += 4;
    }
}

static cairo_status_t draw_band(png_pipe *p, int k)
{
    cairo_surface_t *s = p->slot[k % SLOTS];
    const sm__view *v = &p->m->view;
    int rows = p->height - k * BAND_ROWS < BAND_ROWS ? p->height - k * BAND_ROWS : BAND_ROWS;
    cairo_t *cr = cairo_create(s);
    cairo_rectangle(cr, 0, 0, p->width, rows);
    cairo_clip(cr);
    cairo_translate(cr, 0, -(double)k * BAND_ROWS);
    cairo_scale(cr, v->dev, v->dev);
    sm__raster_own(&p->m->raster, s);
    for (int pass = 0; pass < 2; pass++)
        p->m->raster.own_tracks[pass] = p->mask[k % MASK_SLOTS][pass];
    cairo_status_t cs = sm__map_draw(p->m, cr, true, NULL);
    sm__raster_own(&p->m->raster, NULL);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return cs;
}

static void chunk_rows(const png_pipe *p, int c, int *r0, int *r1, const unsigned char **data,
                       size_t *stride)
{
    *r0 = c * CHUNK_ROWS;
    *r1 = *r0 + CHUNK_ROWS < p->height ? *r0 + CHUNK_ROWS : p->height;
    int band = *r0 / BAND_ROWS;
    cairo_surface_t *s = p->slot[band % SLOTS];
    *data = cairo_image_surface_get_data(s) +
            (size_t)(*r0 - band * BAND_ROWS) * (size_t)cairo_image_surface_get_stride(s);
    *stride = (size_t)cairo_image_surface_get_stride(s);
}

/* Deflate chunk c from its band's image: its rows filtered (none) into
 * z->rows, compressed by ISA-L in one call, ended on a byte boundary for
 * the next chunk (a full flush) or, the last, as the stream's end. 1; 0
 * out of memory; or ISA-L's error (negative). */
static int compress_chunk(png_pipe *p, compressor *z, int c)
{
    chunk *ch = &p->chunks[c];
    int r0, r1;
    const unsigned char *data;
    size_t stride;
    chunk_rows(p, c, &r0, &r1, &data, &stride);
    size_t raw = (size_t)(r1 - r0) * p->row_bytes;
    for (int y = r0; y < r1; y++) {
        unsigned char *row = z->rows + (size_t)(y - r0) * p->row_bytes;
        row[0] = 0; /* filter: none */
        convert_row((const uint32_t *)(const void *)(data + (size_t)(y - r0) * stride), row + 1,
                    p->width, p->alpha);
    }
    ch->adler = isal_adler32(1, z->rows, raw);
    ch->raw = raw;
    /* incompressible rows become stored blocks: 5 bytes a 64 KB, plus the
     * few bytes of a block header and the flush; grown if ever short */
    size_t cap = raw + raw / 4096 + 1024;
    for (;;) {
        ch->z = malloc(cap);
        if (ch->z == NULL)
            return 0;
        /* zeroed first: ISA-L 2.30's init leaves hist_bits (the window) and
         * its internal state as they were, and a window from the stack's
         * garbage made the same rows compress to other bytes now and then */
        struct isal_zstream zs;
        memset(&zs, 0, sizeof(zs));
        isal_deflate_stateless_init(&zs);
        zs.hist_bits = 0; /* the default: 32 KB, as the zlib header says */
        zs.level = ISAL_LEVEL;
        zs.next_in = z->rows;
        zs.avail_in = (uint32_t)raw;
        zs.next_out = ch->z;
        zs.avail_out = cap <= UINT32_MAX ? (uint32_t)cap : UINT32_MAX;
        zs.end_of_stream = c == p->n_chunks - 1;
        zs.flush = FULL_FLUSH;
        int r = isal_deflate_stateless(&zs);
        if (r == COMP_OK) {
            ch->len = zs.total_out;
            return 1;
        }
        free(ch->z);
        ch->z = NULL;
        if (r != STATELESS_OVERFLOW)
            return r < 0 ? r : -1000;
        if (cap > SIZE_MAX / 2)
            return 0;
        cap *= 2;
    }
}

/* What an error of isal_deflate_stateless means (igzip_lib.h). */
static const char *isal_error(int r)
{
    switch (r) {
    case INVALID_FLUSH: return "an invalid flush";
    case INVALID_PARAM: return "an invalid parameter";
    case STATELESS_OVERFLOW: return "the output did not fit";
    case ISAL_INVALID_OPERATION: return "an invalid operation";
    case ISAL_INVALID_STATE: return "an invalid state";
    case ISAL_INVALID_LEVEL: return "an invalid level";
    case ISAL_INVALID_LEVEL_BUF: return "too little working memory for the level";
    default: return "an unknown error";
    }
}

static int first_chunk(int band)
{
    return band * (BAND_ROWS / CHUNK_ROWS);
}

/* Take the next chunk whose band is drawn and compress it (the lock held
 * on entry and on return); false when there is none to take. */
static bool take_chunk(png_pipe *p, compressor *z)
{
    if (p->next_claim >= p->n_chunks || p->next_claim * CHUNK_ROWS / BAND_ROWS >= p->drawn)
        return false;
    int c = p->next_claim++;
    pthread_mutex_unlock(&p->mu);
    int r = compress_chunk(p, z, c);
    pthread_mutex_lock(&p->mu);
    if (r == 0)
        p->nomem = true;
    else if (r < 0)
        p->zerror = r;
    p->chunks[c].done = r > 0;
    while (p->compressed_upto < p->n_chunks && p->chunks[p->compressed_upto].done)
        p->compressed_upto++;
    pthread_cond_broadcast(&p->cv);
    return true;
}

/* Band k's track lines, each pass stroked as coverage into its slot. */
static cairo_status_t stroke_mask(png_pipe *p, int k)
{
    const sm__view *v = &p->m->view;
    int rows = p->height - k * BAND_ROWS < BAND_ROWS ? p->height - k * BAND_ROWS : BAND_ROWS;
    cairo_status_t cs = CAIRO_STATUS_SUCCESS;
    for (int pass = 0; pass < 2 && cs == CAIRO_STATUS_SUCCESS; pass++) {
        if (p->mask[k % MASK_SLOTS][pass] == NULL)
            continue;
        cairo_t *cr = cairo_create(p->mask[k % MASK_SLOTS][pass]);
        cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
        cairo_paint(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
        cairo_rectangle(cr, 0, 0, p->width, rows);
        cairo_clip(cr);
        cairo_translate(cr, 0, -(double)k * BAND_ROWS);
        cairo_scale(cr, v->dev, v->dev);
        sm__map_tracks_mask(p->m, cr, pass);
        cs = cairo_status(cr);
        cairo_destroy(cr);
        cairo_surface_flush(p->mask[k % MASK_SLOTS][pass]);
    }
    return cs;
}

/* Stroke the next band's track lines when a slot is free (the lock held
 * on entry and on return); false when there is none to stroke. */
static bool take_mask(png_pipe *p)
{
    int k = p->next_mask;
    if (!p->masked || k >= p->n_bands || k >= p->drawn + MASK_SLOTS)
        return false;
    p->next_mask++;
    pthread_mutex_unlock(&p->mu);
    cairo_status_t cs = stroke_mask(p, k);
    pthread_mutex_lock(&p->mu);
    if (cs != CAIRO_STATUS_SUCCESS)
        p->failed = cs;
    p->mask_band[k % MASK_SLOTS] = k;
    while (p->masked_upto < p->n_bands &&
           p->mask_band[p->masked_upto % MASK_SLOTS] == p->masked_upto)
        p->masked_upto++;
    pthread_cond_broadcast(&p->cv);
    return true;
}

/* Draw the next band when its image is free (the lock held on entry and
 * on return); false when it cannot be drawn yet or all are. Its track
 * lines are stroked first, here if no thread has taken them. */
static bool draw_next(png_pipe *p)
{
    int k = p->drawn;
    if (k >= p->n_bands || (k >= SLOTS && p->compressed_upto < first_chunk(k - SLOTS + 1)))
        return false;
    if (p->masked && k >= p->masked_upto)
        return p->next_mask == k && take_mask(p); /* else the other thread strokes them */
    pthread_mutex_unlock(&p->mu);
    cairo_status_t cs = draw_band(p, k);
    pthread_mutex_lock(&p->mu);
    if (cs != CAIRO_STATUS_SUCCESS)
        p->failed = cs;
    else
        p->drawn = k + 1;
    pthread_cond_broadcast(&p->cv);
    return true;
}

static bool compressor_init(compressor *z, size_t row_bytes)
{
    z->rows = malloc(CHUNK_ROWS * row_bytes);
    return z->rows != NULL;
}

static void compressor_free(compressor *z)
{
    free(z->rows);
}

static bool pipe_broken(const png_pipe *p)
{
    return p->stop || p->nomem || p->zerror != 0 || p->failed != CAIRO_STATUS_SUCCESS;
}

/* The worker: draws every band, and compresses while it has to wait. */
static void *worker(void *arg)
{
    png_pipe *p = arg;
    compressor z;
    bool ok = compressor_init(&z, p->row_bytes);
    /* without a compressor it still draws; the caller compresses */
    pthread_mutex_lock(&p->mu);
    while (!pipe_broken(p)) {
        if (draw_next(p))
            continue;
        if (ok && take_chunk(p, &z))
            continue;
        if (take_mask(p))
            continue;
        if (p->drawn >= p->n_bands && (!ok || p->next_claim >= p->n_chunks))
            break;
        pthread_cond_wait(&p->cv, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    compressor_free(&z);
    return NULL;
}

static void put_u32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

/* One PNG chunk: length, type, the data in up to three pieces, CRC. */
static void put_chunk(FILE *f, const char *type, const unsigned char *a, size_t na,
                      const unsigned char *b, size_t nb, const unsigned char *c, size_t nc)
{
    unsigned char hdr[8];
    put_u32(hdr, (uint32_t)(na + nb + nc));
    memcpy(hdr + 4, type, 4);
    uLong crc = crc32(0, hdr + 4, 4);
    fwrite(hdr, 1, 8, f);
    const unsigned char *parts[3] = {a, b, c};
    size_t lens[3] = {na, nb, nc};
    for (int i = 0; i < 3; i++)
        if (lens[i] > 0) {
            crc = crc32(crc, parts[i], (uInt)lens[i]);
            fwrite(parts[i], 1, lens[i], f);
        }
    unsigned char tail[4];
    put_u32(tail, (uint32_t)crc);
    fwrite(tail, 1, 4, f);
}

/* The calling thread: writes the chunks in order, compressing what it can
 * while it waits (and drawing too when there is no worker). */
static sm_status write_chunks(png_pipe *p, compressor *z, FILE *f)
{
    static const unsigned char zhead[2] = {0x78, 0x01}; /* deflate, 32K window, fastest */
    uLong adler = adler32(0, Z_NULL, 0);
    sm_status st = SM_OK;
    pthread_mutex_lock(&p->mu);
    for (int c = 0; c < p->n_chunks;) {
        if (p->nomem || p->zerror != 0 || p->failed != CAIRO_STATUS_SUCCESS) {
            st = p->nomem || p->failed == CAIRO_STATUS_NO_MEMORY ? SM_ERR_NOMEM : SM_ERR_RENDER;
            break;
        }
        if (p->chunks[c].done) {
            chunk *ch = &p->chunks[c];
            pthread_mutex_unlock(&p->mu);
            adler = adler32_combine(adler, ch->adler, (z_off_t)ch->raw);
            unsigned char tail[4];
            put_u32(tail, (uint32_t)adler);
            bool last = c == p->n_chunks - 1;
            put_chunk(f, "IDAT", zhead, c == 0 ? 2 : 0, ch->z, ch->len, tail, last ? 4 : 0);
            free(ch->z);
            ch->z = NULL;
            if ((c + 1) % (BAND_ROWS / CHUNK_ROWS) == 0 || last)
                sm__map_progress(p->m, "writing PNG", 0.7 + 0.3 * (c + 1) / p->n_chunks);
            c++;
            pthread_mutex_lock(&p->mu);
            continue;
        }
        /* the drawing thread is the slower: its track lines first */
        if (p->threaded && take_mask(p))
            continue;
        if (take_chunk(p, z))
            continue;
        if (!p->threaded && draw_next(p))
            continue;
        pthread_cond_wait(&p->cv, &p->mu);
    }
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return st;
}

sm_status sm__png_write(sm_map *m, FILE *f, const char *path)
{
    sm_ctx *ctx = m->ctx;
    const sm__view *v = &m->view;
    png_pipe p;
    memset(&p, 0, sizeof(p));
    p.m = m;
    p.width = v->width_px;
    p.height = v->height_px;
    p.n_bands = (v->height_px + BAND_ROWS - 1) / BAND_ROWS;
    p.n_chunks = (v->height_px + CHUNK_ROWS - 1) / CHUNK_ROWS;
    p.alpha = m->style.paper.a < 1;
    p.row_bytes = 1 + (size_t)p.width * (p.alpha ? 4 : 3);
    int rows = v->height_px < BAND_ROWS ? v->height_px : BAND_ROWS;
#ifdef __GLIBC__
    /* The layout's passes freed more than the bands take: give it back
     * before they are made (glibc keeps freed heap otherwise). */
    malloc_trim(0);
#endif
    bool ok = true;
    for (int i = 0; i < SLOTS; i++) {
        p.slot[i] = cairo_image_surface_create(p.alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                               v->width_px, rows);
        ok = ok && cairo_surface_status(p.slot[i]) == CAIRO_STATUS_SUCCESS;
    }
    /* the track lines' coverage, a slot a band stroked ahead: the passes
     * drawn whose colour allows it (the line's; the halo under few tracks
     * is translucent, stroked in the band). SM_MAP_TRACK_MASKS=0 (tests)
     * strokes them all in the band. */
    const char *masks = getenv("SM_MAP_TRACK_MASKS");
    for (int pass = sm__tracks_first_pass(m); pass < 2; pass++)
        if (sm__tracks_pass_maskable(m, pass) && !(masks != NULL && strcmp(masks, "0") == 0)) {
            p.masked = true;
            for (int i = 0; i < MASK_SLOTS; i++) {
                p.mask[i][pass] = cairo_image_surface_create(CAIRO_FORMAT_A8, v->width_px, rows);
                ok = ok && cairo_surface_status(p.mask[i][pass]) == CAIRO_STATUS_SUCCESS;
            }
        }
    for (int i = 0; i < MASK_SLOTS; i++)
        p.mask_band[i] = -1;
    p.chunks = calloc((size_t)p.n_chunks, sizeof(chunk));
    compressor z;
    bool zok = compressor_init(&z, p.row_bytes);
    if (!ok || p.chunks == NULL || !zok) {
        for (int i = 0; i < SLOTS; i++)
            cairo_surface_destroy(p.slot[i]);
        for (int i = 0; i < MASK_SLOTS; i++)
            for (int pass = 0; pass < 2; pass++)
                cairo_surface_destroy(p.mask[i][pass]);
        free(p.chunks);
        compressor_free(&z);
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.width_px",
                 "cannot make a %d-pixel-wide image (out of memory?)", v->width_px);
        return SM_ERR_NOMEM;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);

    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    fwrite(sig, 1, 8, f);
    unsigned char ihdr[13];
    put_u32(ihdr, (uint32_t)p.width);
    put_u32(ihdr + 4, (uint32_t)p.height);
    ihdr[8] = 8;                        /* bits a sample */
    ihdr[9] = p.alpha ? 6 : 2;          /* RGBA or RGB */
    ihdr[10] = ihdr[11] = ihdr[12] = 0; /* deflate, adaptive filters, no interlace */
    put_chunk(f, "IHDR", ihdr, 13, NULL, 0, NULL, 0);
    unsigned char phys[9];
    uint32_t ppm = (uint32_t)floor(m->opt.dpi / 0.0254 + 0.5);
    put_u32(phys, ppm);
    put_u32(phys + 4, ppm);
    phys[8] = 1; /* metres */
    put_chunk(f, "pHYs", phys, 9, NULL, 0, NULL, 0);

    p.threaded = pthread_create(&p.thread, NULL, worker, &p) == 0;
    sm_status st = write_chunks(&p, &z, f);
    if (p.threaded)
        pthread_join(p.thread, NULL);
    if (st != SM_OK && m->cl.smarks.failed)
        st = sm__smarks_status(m, path);
    else if (st == SM_OK)
        put_chunk(f, "IEND", NULL, 0, NULL, 0, NULL, 0);
    else if (st == SM_ERR_NOMEM)
        sm__nomem(ctx, path, -1, NULL, p.nomem ? "compressing the PNG" : "drawing the PNG");
    else if (p.zerror != 0)
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                 "ISA-L could not compress the image: %s (its error %d)", isal_error(p.zerror),
                 p.zerror);
    else
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cairo: %s",
                 cairo_status_to_string(p.failed));
    for (int i = 0; i < p.n_chunks; i++)
        free(p.chunks[i].z);
    free(p.chunks);
    compressor_free(&z);
    for (int i = 0; i < SLOTS; i++)
        cairo_surface_destroy(p.slot[i]);
    for (int i = 0; i < MASK_SLOTS; i++)
        for (int pass = 0; pass < 2; pass++)
            cairo_surface_destroy(p.mask[i][pass]);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
    return st;
}
