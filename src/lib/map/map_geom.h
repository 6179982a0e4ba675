/*
 * map_geom.h: geometry in canvas points (map_geom.c): many polylines or
 * polygons in one container (sm__paths), polygon clipping, point in
 * polygon, the drawing context every module's draw receives (sm__draw),
 * and a set of quantised keys (so that each ring and line is drawn once).
 * Calls nothing of the map above the style.
 */
#ifndef SM_MAP_GEOM_H
#define SM_MAP_GEOM_H

#include <stdint.h>

#include "map/map_style.h"

typedef struct sm__part {
    size_t start, n; /* into pts, in points (pairs of doubles) */
    int tag;
    double box[4]; /* bounding box: x0, y0, x1, y1 (pt) */
} sm__part;

/* Many polylines or polygons, each a part of consecutive points. */
typedef struct sm__paths {
    sm__vec pts;   /* double[2] */
    sm__vec parts; /* sm__part */
    bool failed;   /* an add ran out of memory (sticky) */
} sm__paths;

void sm__paths_init(sm__paths *p);
void sm__paths_free(sm__paths *p);
/* Append a part (copied), dropping points closer than the map's tolerance
 * to the previous one. Fewer than 2 points (3 for polygons) add nothing.
 * Out of memory sets p->failed (and returns false). */
bool sm__paths_add(sm__paths *p, const double *xy, size_t n, int tag, bool polygon, double tol);

/* What one drawing of the map targets (sm_map_draw fills it in). */
typedef struct sm__draw {
    cairo_t *cr;
    bool raster;         /* image target with an axis-aligned, uniform scale */
    double dev_k;        /* device pixels per canvas pt (raster) */
    double dev_x, dev_y; /* device position of the canvas origin (raster) */
    double clip[4];      /* canvas region drawn: x0, y0, x1, y1 */
    bool blit;           /* markers may be written straight into the image */
    int blit_clip[4];    /* device pixels they may touch: x0, y0, x1, y1 */
    bool banded;         /* one band of a PNG drawn band by band */
    double cull[4];      /* clip plus the widest stroke: what may show */
    struct sm__svg *svg; /* the map's own SVG: text collected, not drawn (map_svg.h) */
    /* the track lines of each pass stroked ahead as coverage, in device
     * pixels of the target (a PNG's band, map_png.c), or NULL */
    cairo_surface_t *tracks_mask[2];
} sm__draw;

/* Add parts to the draw's current path: all parts (tag -1), or those with
 * the tag; parts wholly outside the region drawn are skipped, and when the
 * map is drawn in bands and `cut` allows (solid strokes, fills), parts
 * are cut to the band so that cairo handles only what it draws. */
void sm__paths_to_cairo(const sm__paths *p, const sm__draw *d, bool close, int tag, bool cut);

/* Clip a polygon (x,y pairs) to a rectangle (Sutherland-Hodgman); *out
 * grows as needed. Returns the number of points out. Out of memory: 0,
 * with *out freed and NULL (the only way *out comes back NULL). */
size_t sm__clip_polygon(const double *in, size_t n, double x0, double y0, double x1, double y1,
                        double **out, size_t *cap);

/* Room for need points (pairs of doubles) in *buf of *cap points; false
 * when out of memory (*buf kept). */
bool sm__grow_points(double **buf, size_t *cap, size_t need);
/* One edge of Sutherland-Hodgman: keep the side where sign * (coord - v)
 * >= 0, coord x (axis 0) or y (axis 1); returns the points written. */
size_t sm__clip_edge(const double *in, size_t n, double *out, int axis, double v, double sign);
/* Liang-Barsky: the part of segment a-b inside the rectangle r (x0, y0,
 * x1, y1) as t0..t1 (from 0 at a to 1 at b); false when none. */
bool sm__clip_segment(const double *a, const double *b, const double r[4], double *t0, double *t1);

/* Is (x, y) inside the polygons of parts tagged tag (even-odd)? */
bool sm__paths_contains(const sm__paths *p, int tag, double x, double y);

/* A set of keys of four quantised numbers (positions to 1e-7 degree) and
 * two small ints, in open addressing, so that a million pairs cost a
 * million look-ups. */
typedef struct sm__key {
    int64_t a, b, c, d;
    int kind, verdict;
    bool used;
} sm__key;

typedef struct sm__key_set {
    sm__key *slots;
    size_t cap, len; /* cap: 0 or a power of two */
} sm__key_set;

/* Has this key been seen? If not, remember it. Out of memory: *nomem set
 * and "not seen". */
bool sm__key_seen(sm__key_set *ks, const double q[4], int kind, int verdict, bool *nomem);
void sm__key_set_free(sm__key_set *ks);

#endif
