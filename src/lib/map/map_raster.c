/*
 * map_raster.c: markers on an image: each kind rendered once at device
 * resolution into a sprite, then stamped through cairo or, on the map's
 * own image, composited straight into its pixels (a hundred thousand
 * strikes as one path of arcs costs cairo about a second; stamped, under
 * a tenth).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "map/map_internal.h"

void sm__raster_free(sm__raster *r)
{
    for (size_t i = 0; i < SM__ARRAY_LEN(r->sprites); i++) {
        if (r->sprites[i] != NULL)
            cairo_surface_destroy(r->sprites[i]);
        r->sprites[i] = NULL;
        free(r->spans[i]);
        r->spans[i] = NULL;
    }
    r->sprite_scale = 0;
}

void sm__raster_own(sm__raster *r, cairo_surface_t *image)
{
    r->own_image = image;
    r->own_pixels = image != NULL ? cairo_image_surface_get_data(image) : NULL;
    r->own_stride = image != NULL ? cairo_image_surface_get_stride(image) : 0;
    r->own_rgb24 = image != NULL && cairo_image_surface_get_format(image) == CAIRO_FORMAT_RGB24;
    r->own_tracks[0] = r->own_tracks[1] = NULL; /* (set after, by map_png.c) */
}

/* Each row's span of pixels that are not transparent; NULL when out of
 * memory (the blit then walks whole rows). */
static short *sprite_spans(cairo_surface_t *s)
{
    int sz = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    short *sp = calloc(2 * (size_t)h, sizeof(*sp));
    if (sp == NULL)
        return NULL;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        int x0 = 0, x1 = sz;
        while (x0 < sz && (row[x0] >> 24) == 0)
            x0++;
        while (x1 > x0 && (row[x1 - 1] >> 24) == 0)
            x1--;
        sp[2 * y] = (short)x0;
        sp[2 * y + 1] = (short)x1;
    }
    return sp;
}

/* A marker rendered once at device resolution: strikes by grading (slot
 * 0-5), the track fix dot (slot 6). The sprite's centre is at (sz/2, sz/2). */
static cairo_surface_t *sprite(sm_map *m, int kind, int variant, double dev_k, int *size)
{
    if (m->raster.sprite_scale != dev_k) {
        sm__raster_free(&m->raster);
        m->raster.sprite_scale = dev_k;
    }
    int slot = kind == SM__MARK_STRIKE ? variant : 6;
    if (m->raster.sprites[slot] != NULL) {
        *size = m->raster.size[slot];
        return m->raster.sprites[slot];
    }
    /* the marker's radius, its outline, and a pixel for anti-aliasing */
    double r = (kind == SM__MARK_STRIKE ? m->style.strike_size / 2 * m->view.mark_scale : 1.4) +
               0.8 + 1 / dev_k;
    int sz = (int)ceil(2 * r * dev_k) + 2;
    *size = sz;
    if (m->raster.sprites[slot] == NULL) {
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sz, sz);
        cairo_t *cr = cairo_create(s);
        cairo_translate(cr, sz / 2.0, sz / 2.0);
        cairo_scale(cr, dev_k, dev_k);
        sm__draw_marker(&m->style, cr, kind, variant, 0, 0, 0, m->view.mark_scale);
        bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
        cairo_destroy(cr);
        cairo_surface_flush(s);
        if (!ok || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
            /* (out of memory: the caller draws the marker as vectors) */
            cairo_surface_destroy(s);
            return NULL;
        }
        m->raster.sprites[slot] = s;
        m->raster.spans[slot] = sprite_spans(s);
        m->raster.size[slot] = sz;
        m->raster.pixels[slot] = cairo_image_surface_get_data(s);
        m->raster.stride[slot] = cairo_image_surface_get_stride(s);
    }
    return m->raster.sprites[slot];
}

/* Porter-Duff OVER of a premultiplied sprite onto the image's pixels,
 * inside the clip: what cairo_paint would do, without its per-call cost.
 * dst * (255 - a) / 255 on two channels at a time, rounded (pixman's
 * UN8x4_MUL_UN8), plus the premultiplied source. The one formula serves
 * every alpha (a = 255 leaves the source; a = 0, whose premultiplied
 * pixel is 0, leaves dst), without branches: the compiler vectorises the
 * row (a third of a million strikes' rows a band at a million strikes). */
static void blend_row(uint32_t *restrict drow, const uint32_t *restrict srow, int n, uint32_t set)
{
    for (int x = 0; x < n; x++) {
        uint32_t s = srow[x], t = drow[x], ia = 255 - (s >> 24);
        uint32_t rb = (t & 0x00ff00ffu) * ia + 0x00800080u;
        rb = ((rb + ((rb >> 8) & 0x00ff00ffu)) >> 8) & 0x00ff00ffu;
        uint32_t ag = ((t >> 8) & 0x00ff00ffu) * ia + 0x00800080u;
        ag = (ag + ((ag >> 8) & 0x00ff00ffu)) & 0xff00ff00u;
        drow[x] = (s + (rb | ag)) | set;
    }
}

/* Stamp sprite slot at (ix, iy) into the map's own image (the caller
 * checked it is the target), inside the clip. */
static void blit(const sm__draw *d, const sm__raster *r, int slot, int ix, int iy)
{
    int sz = r->size[slot];
    int x0 = ix > d->blit_clip[0] ? ix : d->blit_clip[0];
    int y0 = iy > d->blit_clip[1] ? iy : d->blit_clip[1];
    int x1 = ix + sz < d->blit_clip[2] ? ix + sz : d->blit_clip[2];
    int y1 = iy + sz < d->blit_clip[3] ? iy + sz : d->blit_clip[3];
    if (x0 >= x1 || y0 >= y1)
        return;
    unsigned char *dd = r->own_pixels;
    const unsigned char *sd = r->pixels[slot];
    const short *spans = r->spans[slot];
    size_t ds = (size_t)r->own_stride, ss = (size_t)r->stride[slot];
    /* RGB24 has no alpha: its unused byte is set, as cairo leaves it */
    uint32_t set = r->own_rgb24 ? 0xff000000u : 0;
    for (int y = y0; y < y1; y++) {
        uint32_t *drow = (uint32_t *)(void *)(dd + (size_t)y * ds);
        const uint32_t *srow = (const uint32_t *)(const void *)(sd + (size_t)(y - iy) * ss);
        int xa = x0, xb = x1;
        if (spans != NULL) {
            /* only the row's pixels that are not transparent */
            xa = ix + spans[2 * (y - iy)] > x0 ? ix + spans[2 * (y - iy)] : x0;
            xb = ix + spans[2 * (y - iy) + 1] < x1 ? ix + spans[2 * (y - iy) + 1] : x1;
        }
        if (xa < xb)
            blend_row(drow + xa, srow + (xa - ix), xb - xa, set);
    }
}

void sm__raster_stamp(sm_map *m, const sm__draw *d, int kind, int variant, double x, double y,
                      double angle)
{
    int sz;
    cairo_surface_t *s = sprite(m, kind, variant, d->dev_k, &sz);
    if (s == NULL) {
        /* no sprite: the same marker as vectors, in canvas space */
        cairo_save(d->cr);
        cairo_translate(d->cr, d->dev_x, d->dev_y);
        cairo_scale(d->cr, d->dev_k, d->dev_k);
        sm__draw_marker(&m->style, d->cr, kind, variant, x, y, angle,
                        kind == SM__MARK_STRIKE ? m->view.mark_scale : 1);
        cairo_restore(d->cr);
        return;
    }
    double dx = d->dev_x + x * d->dev_k, dy = d->dev_y + y * d->dev_k;
    double ix = floor(dx - sz / 2.0 + 0.5), iy = floor(dy - sz / 2.0 + 0.5);
    if (d->blit) {
        int slot = kind == SM__MARK_STRIKE ? variant : 6;
        blit(d, &m->raster, slot, (int)ix, (int)iy);
        return;
    }
    cairo_set_source_surface(d->cr, s, ix, iy);
    cairo_rectangle(d->cr, ix, iy, sz, sz);
    cairo_fill(d->cr);
}
