/*
 * map_raster.h: markers on an image (map_raster.c): each kind rendered
 * once at device resolution into a sprite and stamped, or composited
 * straight into the map's own image (a hundred thousand strikes as one
 * path of arcs costs cairo about a second; stamped, under a tenth).
 * Calls the symbols only.
 */
#ifndef SM_MAP_RASTER_H
#define SM_MAP_RASTER_H

#include "map/map_symbols.h"

typedef struct sm__raster {
    /* sprites built on first use per scale: strikes by grading (0-5), the
     * track fix dot (6) */
    cairo_surface_t *sprites[8];
    /* of each sprite, per row, the first and one past the last pixel that
     * is not transparent (the corners of a round marker's box are empty) */
    short *spans[8];
    double sprite_scale;
    /* of each sprite made: its size, pixels and stride (a million stamps
     * ask; cairo's getters cost more than the blend of a small sprite) */
    int size[8], stride[8];
    const unsigned char *pixels[8];
    /* the image sm_map_write draws into, which markers may be blitted to,
     * and its pixels, stride and whether it is RGB24 (sm__raster_own) */
    cairo_surface_t *own_image;
    unsigned char *own_pixels;
    int own_stride;
    bool own_rgb24;
    /* the own image's track lines by pass, stroked ahead as coverage
     * (map_png.c), or NULL */
    cairo_surface_t *own_tracks[2];
} sm__raster;

void sm__raster_free(sm__raster *r);
/* The image markers may be blitted to (an image surface), or NULL; its
 * track masks none until set. */
void sm__raster_own(sm__raster *r, cairo_surface_t *image);
/* Stamp a marker (strike or track fix) at canvas (x, y) on a raster draw:
 * the caller has set cr to device space (identity matrix). Falls back to
 * vectors when no sprite can be made. */
void sm__raster_stamp(sm_map *m, const sm__draw *d, int kind, int variant, double x, double y,
                      double angle);

/* Draw the map as a PNG to f, in bands, compressed on two threads
 * (map_png.c); diagnostics name path. */
sm_status sm__png_write(sm_map *m, FILE *f, const char *path);

#endif
