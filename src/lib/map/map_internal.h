/*
 * map_internal.h: what the map files (map*.c) share: the map object's
 * layout, the style, geometry in canvas points, the projection and view,
 * labels, and the drawing context. Nothing here is public.
 *
 * The pipeline (map.c drives it):
 *   options, style, fonts -> frame layout (map_furniture.c) -> extent and
 *   projection (map_projection.c) -> basemap (map_basemap.c) -> claim layers
 *   (map_layers.c) -> furniture (map_furniture.c) -> labels (map_labels.c)
 *   -> drawing (sm_map_draw) -> files (map_output.c).
 * Everything is projected once, into canvas points, when the map is laid
 * out; drawing only replays it, so one layout can be drawn to any surface.
 */
#ifndef SM_MAP_INTERNAL_H
#define SM_MAP_INTERNAL_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <proj.h>

#include "check/check_internal.h"

/* ---- style (map_style.c) ------------------------------------------------ */

typedef struct sm__rgba {
    double r, g, b, a;
} sm__rgba;

/* A style file is read whole before the map is made; one larger than this
 * is refused (no real style comes near it; /dev/zero would never end). */
#define SM__STYLE_MAX_BYTES (1024 * 1024)

typedef struct sm__style {
    const char *font;         /* Pango family list for all text (static or the map's arena) */
    const char *attribution;  /* basemap credit (static or the map's arena) */
    bool attribution_default; /* the built-in credit, not one from a style file */
    double title_pt, subtitle_pt, label_pt, place_pt, place_major_pt, country_pt, legend_pt,
        small_pt, graticule_pt;
    sm__rgba paper, ocean, land, land_focus, border, coast, graticule, frame, text, muted, halo;
    sm__rgba place_dot, place_text, country_text;
    sm__rgba strike[6]; /* by sm_grading */
    sm__rgba strike_label, aircraft, aircraft_label, track, base, base_label;
    sm__rgba verdict[4]; /* by sm_verdict */
    sm__rgba radius, uncertainty, inset_land, inset_ocean, inset_box;
    double border_w, coast_w, graticule_w, frame_w, track_w, verdict_w, ring_w, radius_w,
        uncertainty_w, halo_w;
    double strike_size, fix_size, base_size, place_size; /* marker diameters */
    double ring_fill_alpha;
} sm__style;

void sm__style_defaults(sm__style *s);
/* Read key = value lines over the defaults; errors name path, line and
 * key. Only a regular file of at most SM__STYLE_MAX_BYTES is read; texts
 * go into arena. */
sm_status sm__style_load(sm_ctx *ctx, sm__style *s, const char *path, sm__arena *arena);
void sm__set_rgba(cairo_t *cr, sm__rgba c);

/* ---- geometry in canvas points (map_geom.c) ----------------------------- */

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
typedef struct sm__draw sm__draw;
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

/* ---- projection and view (map_projection.c) ------------------------------ */

typedef struct sm__proj {
    PJ_CONTEXT *ctx;
    PJ *crs;           /* the map CRS */
    PJ *pj;            /* lon/lat (WGS84) -> map CRS, lon/lat and east/north order */
    char *wkt;         /* map CRS as WKT2 */
    bool cut;          /* the projection is discontinuous along a meridian */
    double cut_lon;    /* ... this one (degrees) */
    bool has_antipode; /* azimuthal: singular at the antipode of its centre */
    double anti_lon, anti_lat;
    char *last_error; /* PROJ's own words for its last error (owned), or NULL */
} sm__proj;

typedef struct sm__view {
    double W, H;           /* canvas (pt) */
    double px, py, pw, ph; /* the map panel on the canvas (pt) */
    double x_min, y_max;   /* map-CRS coordinates of the panel's top-left corner */
    double k;              /* pt per map-CRS unit */
    double dev;            /* PNG pixels per pt */
    int width_px, height_px;
    double lon0, lat0;   /* the panel centre */
    double km_per_pt;    /* true at the centre, east-west */
    double scale_spread; /* max relative scale difference over the panel */
    /* Lon/lat window covering the panel, with a margin; lon unwrapped
     * (lon_hi - lon_lo <= 360), full_lon when it goes round. */
    double lon_lo, lon_hi, lat_lo, lat_hi;
    bool full_lon;
    double guard; /* pt around the panel kept when clipping */
} sm__view;

typedef struct sm_map sm_map;

sm_status sm__proj_open(sm_map *m, const char *crs, double lon0, double lat0);
void sm__proj_close(sm__proj *p);
/* Project n lon/lat pairs in place to map-CRS x/y; failures become
 * HUGE_VAL. */
void sm__proj_fwd(const sm_map *m, double *xy, size_t n);
/* Inverse, in place; failures become HUGE_VAL. */
void sm__proj_inv(const sm_map *m, double *xy, size_t n);
/* Map-CRS -> canvas, in place. */
void sm__view_apply(const sm__view *v, double *xy, size_t n);
/* Canvas -> map-CRS, one point. */
void sm__view_unapply(const sm__view *v, double cx, double cy, double *x, double *y);
/* lon/lat -> canvas, in place (projection + view); HUGE_VAL on failure. */
void sm__to_canvas(const sm_map *m, double *xy, size_t n);
/* Choose the projection and extent for the panel already laid out. */
sm_status sm__map_extent(sm_map *m);

/* Lon/lat shapes to canvas paths, handling the projection's cut and poles,
 * clipped to the panel plus its guard band (map_geom.c). */
/* A polygon ring in lon/lat (lon may be unwrapped, i.e. run past +-180). */
void sm__geo_polygon(sm_map *m, const double *lonlat, size_t n, sm__paths *fill, int tag);
/* A polyline in lon/lat (unwrapped). */
void sm__geo_polyline(sm_map *m, const double *lonlat, size_t n, sm__paths *line, int tag);
/* A geodesic circle: fill pieces (may be NULL) and outline runs; false
 * when it covers both poles or the projection's singular point (nothing
 * sensible to draw). */
bool sm__geo_circle(sm_map *m, double lon, double lat, double radius_km, sm__paths *fill,
                    sm__paths *line, int tag);
/* A polyline of geodesics through n lon/lat points (a track). */
void sm__geo_track(sm_map *m, const double *lonlat, size_t n, sm__paths *line, int tag);
/* The geodesic from a to b, densified, as a polyline. */
void sm__geo_geodesic(sm_map *m, double lon1, double lat1, double lon2, double lat2,
                      sm__paths *line, int tag);

/* ---- marks, rings and layers (map_layers.c) ------------------------------ */

enum { SM__MARK_STRIKE, SM__MARK_FIX, SM__MARK_TRACKFIX, SM__MARK_BASE, SM__MARK_PLACE };

typedef struct sm__mark {
    double x, y;  /* canvas (pt) */
    double angle; /* radians clockwise from up, for aircraft */
    int kind;     /* SM__MARK_* */
    int variant;  /* strike grading; place rank */
} sm__mark;

enum { SM__RING_REACH, SM__RING_RADIUS, SM__RING_UNCERTAINTY };

typedef struct sm__ring {
    sm__paths fill, line;
    int kind;
    int verdict;
    double radius_km;
    bool fill_visible;
    bool loose; /* far larger than the distance it decides: outline only, lighter */
} sm__ring;

typedef struct sm__arrow {
    double x, y, angle; /* tip at (x,y), pointing along angle (radians, canvas) */
    int verdict;        /* for verdict arrowheads; -1: track */
} sm__arrow;

/* ---- labels (map_labels.c) ---------------------------------------------- */

enum {
    SM__LABEL_STRIKE,
    SM__LABEL_AIRCRAFT,
    SM__LABEL_BASE,
    SM__LABEL_TIME,
    SM__LABEL_RING,
    SM__LABEL_COUNTRY,
    SM__LABEL_PLACE,
    SM__LABEL_PLACE_MAJOR,
    SM__LABEL_KINDS
};

/* Label priorities (lower first): claims 0-60 beside their marker, big
 * cities, claims that need a leader line, the legend and inset, other
 * cities, country names, other places. */
#define SM__PRIO_CITY      300000
#define SM__PRIO_DEFERRED  350000
#define SM__PRIO_FURNITURE 400000
#define SM__PRIO_TOWN      450000
#define SM__PRIO_COUNTRY   500000
#define SM__PRIO_PLACE     1000000

typedef struct sm__label {
    PangoLayout **lines; /* one layout a line, so each keeps its own direction */
    size_t n_lines;
    double *line_w;    /* logical widths */
    double line_h;     /* height of one line */
    double w, h;       /* the block */
    double ax, ay, ar; /* anchor and the radius kept clear around it */
    double alt[8][2];  /* other anchors to try (ring labels) */
    int n_alt;
    int kind;
    int priority;   /* lower places first */
    bool leader_ok; /* may be moved off with a leader line */
    bool fixed;     /* placed at (x, y) as given, no search */
    bool placed, leader, tried;
    bool deferred;           /* a claim label waiting for its leader round */
    bool over_lines;         /* may cover verdict lines and tracks (last resort) */
    size_t obs_first, obs_n; /* its obstacles, to take it back off the map */
    char *short_text;        /* tried when the full text does not fit (owned) */
    int align;               /* lines flush 0 left, 1 right (label left of its anchor), 2 centred */
    int variant;             /* places: rank */
    double x, y;             /* top-left of the block once placed */
} sm__label;

void sm__labels_init(sm_map *m);
/* A label from lines of text (UTF-8, '\n' separated); the map owns it. */
sm__label *sm__label_add(sm_map *m, const char *text, int kind, int priority, double ax, double ay,
                         double ar);
/* Obstacles that labels must not cover (canvas pt). Markers and lines
 * (there may be a million) go into bitmaps of the canvas; labels and
 * furniture (a few hundred) into a grid of boxes, so that a placed label
 * can be taken back. Soft ones (lines) keep labels off but leader lines
 * may cross them. */
void sm__obstacle_add(sm_map *m, double x0, double y0, double x1, double y1);
void sm__obstacle_add_mark(sm_map *m, double x0, double y0, double x1, double y1);
void sm__obstacle_add_soft(sm_map *m, double x0, double y0, double x1, double y1);
bool sm__obstacle_hit(const sm_map *m, double x0, double y0, double x1, double y1);
/* Place the labels not tried yet whose priority is below `below`. */
void sm__labels_place(sm_map *m, int below);
/* Take a placed label off (its obstacles too), to be placed again. */
void sm__label_unplace(sm_map *m, sm__label *lb);
void sm__labels_free(sm_map *m);
/* A one-line layout in the map's font at size (pt); bold when asked. */
PangoLayout *sm__layout(sm_map *m, const char *text, double size_pt, bool bold, bool italic);
void sm__layout_size(PangoLayout *l, double *w, double *h);

/* ---- drawing --------------------------------------------------------------- */

struct sm__draw {
    cairo_t *cr;
    bool raster;         /* image target with an axis-aligned, uniform scale */
    double dev_k;        /* device pixels per canvas pt (raster) */
    double dev_x, dev_y; /* device position of the canvas origin (raster) */
    double clip[4];      /* canvas region drawn: x0, y0, x1, y1 */
    bool blit;           /* markers may be written straight into the image */
    int blit_clip[4];    /* device pixels they may touch: x0, y0, x1, y1 */
    bool banded;         /* one band of a PNG drawn band by band */
    double cull[4];      /* clip plus the widest stroke: what may show */
};

/* sm_map_draw without diagnostics (safe from a worker thread); banded:
 * cr draws one band of the map's own PNG image. */
cairo_status_t sm__map_draw(sm_map *m, cairo_t *cr, bool banded);
void sm__text_draw(const sm__draw *d, PangoLayout *l, double x, double y, sm__rgba colour,
                   sm__rgba halo, double halo_w);
void sm__draw_labels(sm_map *m, const sm__draw *d);
void sm__draw_basemap(sm_map *m, const sm__draw *d);
void sm__draw_layers_under(sm_map *m, const sm__draw *d);    /* rings, tracks, lines */
void sm__draw_layers_over(sm_map *m, const sm__draw *d);     /* markers */
void sm__draw_furniture_under(sm_map *m, const sm__draw *d); /* graticule lines */
void sm__draw_furniture_over(sm_map *m, const sm__draw *d);
/* One marker symbol centred at (x, y), vector. */
void sm__draw_marker(const sm_map *m, cairo_t *cr, int kind, int variant, double x, double y,
                     double angle, double scale);

/* ---- furniture (map_furniture.c) ------------------------------------------ */

enum {
    SM__LEG_HEADER,
    SM__LEG_STRIKE,
    SM__LEG_AREA,
    SM__LEG_FIX,
    SM__LEG_TRACK,
    SM__LEG_BASE,
    SM__LEG_VERDICT,
    SM__LEG_REACH,
    SM__LEG_RADIUS,
    SM__LEG_UNCERTAINTY
};

typedef struct sm__legend_item {
    int what;    /* SM__LEG_* */
    int variant; /* grading or verdict */
    PangoLayout *layout;
    double h;
} sm__legend_item;

typedef struct sm__fixed_text {
    PangoLayout *layout;
    double x, y;  /* top-left (before rotation) */
    bool rotated; /* read bottom to top */
} sm__fixed_text;

typedef struct sm__furniture {
    PangoLayout *title, *subtitle, *attribution;
    double title_y, subtitle_y, attribution_y, margin;
    sm__paths graticule;
    sm__vec grat_labels;  /* sm__fixed_text */
    sm__vec legend;       /* sm__legend_item */
    double legend_box[4]; /* x, y, w, h; w == 0: none */
    double legend_sym_w, legend_pad;
    bool scale_ok;
    double scale_box[4];
    double scale_km, scale_len_pt;
    int scale_segments;
    PangoLayout *scale_labels[4]; /* 0, half, full; then "km" */
    PangoLayout *scale_note;
    bool north_ok;
    double north_x, north_y, north_angle;
    PangoLayout *north_label;
    bool inset_ok;
    double inset_cx, inset_cy, inset_r;
    sm__paths inset_land; /* tag 1: the focus country */
    sm__paths inset_frame;
    double inset_mark; /* radius of a ring around a tiny frame; 0: none */
} sm__furniture;

/* Header/footer and graticule margins: sets view.px/py/pw/ph. */
void sm__furniture_frame(sm_map *m);
/* Graticule, scale bar, north arrow; their areas become label obstacles. */
sm_status sm__furniture_build(sm_map *m);
/* Legend and inset, in the free spots left once claims are labelled;
 * claim labels under them are placed again. */
void sm__furniture_place(sm_map *m);
void sm__furniture_free(sm_map *m);

/* ---- basemap (map_basemap.c) ----------------------------------------------- */

typedef struct sm__place {
    double x, y; /* canvas */
    long pop;
    int rank;   /* 0 capital, 1 admin seat, 2 other */
    char *name; /* arena */
} sm__place;

sm_status sm__basemap_load(sm_map *m);
/* Is (x, y) inside the polygons of parts tagged tag (even-odd)? */
bool sm__paths_contains(const sm__paths *p, int tag, double x, double y);

/* ---- layers (map_layers.c) ------------------------------------------------- */

sm_status sm__layers_build(sm_map *m);
void sm__layers_free(sm_map *m);

/* ---- the map ------------------------------------------------------------- */

struct sm_map {
    sm_ctx *ctx;
    const sm_claims *claims;
    const sm_check *check;
    sm_check *own_check;
    sm_map_options opt; /* strings point into arena */
    sm__arena arena;
    sm__style style;
    unsigned show; /* SM_MAP_* parts drawn */
    /* The first failure of a step that cannot return one (out of memory in
     * the geometry, a layout): like cairo_status(), sticky; checked at the
     * end of each stage of the layout. */
    sm_status status;
    const char *basemap_dir; /* arena */
    bool basemap_bundled;

    sm__proj proj;
    sm__view view;
    double tol; /* pt: points closer than this are merged */

    PangoFontMap *fontmap;
    PangoContext *pango;

    /* basemap */
    sm__paths countries;   /* polygons, tag = country number */
    sm__vec country_names; /* char * (arena), by tag */
    int focus_country;     /* tag drawn in land_focus; -1 none */
    sm__paths coast;       /* land outlines */
    sm__vec places;        /* sm__place inside the panel, best first */
    /* Every country's outer rings, thinned, lon/lat, for the inset: a ring
     * ends with (NaN, NaN), a country's rings with (NaN, tag). */
    sm__vec world;

    /* claims */
    sm__vec marks; /* sm__mark: strikes, fixes, bases (drawn in this order) */
    size_t n_strike_marks;
    size_t strike_run[7]; /* strikes of drawing rank g: [run[g], run[g + 1]) in marks */
    sm__vec rings;        /* sm__ring */
    sm__paths tracks;     /* tag = aircraft index */
    sm__paths vlines;     /* tag = verdict */
    sm__paths areas;      /* area targets, polygons */
    sm__vec arrows;       /* sm__arrow */
    double mark_scale;    /* markers shrink when there are very many */
    bool has_grading[6], has_verdict[4], has_fix, has_track, has_base, has_reach, has_radius,
        has_uncertainty, has_strike, has_area;
    size_t n_pairs_drawn;
    size_t labels_dropped;

    /* labels */
    sm__vec labels;        /* sm__label * */
    sm__vec obstacles;     /* double[4]: boxes of labels and furniture */
    unsigned char *occ[2]; /* bitmaps: 0 markers, 1 lines */
    int occ_w, occ_h;
    double occ_cell; /* pt a bit */
    sm__vec grid;    /* per cell: sm__vec of obstacle indices */
    int grid_w, grid_h;
    double grid_cell;

    sm__furniture furn;

    /* marker sprites for raster drawing, built on first use per scale:
     * strikes by grading (0-5), the track fix dot (6) */
    cairo_surface_t *sprites[8];
    double sprite_scale;
    /* the image sm_map_write draws into, which markers may be blitted to */
    cairo_surface_t *own_image;
};

/* Out of memory while laying out the map: the first one is recorded (a
 * diagnostic naming what, and m->status = SM_ERR_NOMEM). */
void sm__map_nomem(sm_map *m, const char *what);
/* printf into the map's arena; NULL (and sm__map_nomem) when out of memory. */
char *sm__map_strfmt(sm_map *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report progress if the caller asked for it. */
void sm__map_progress(sm_map *m, const char *stage, double fraction);
/* Is a canvas point inside the panel (with a margin, pt)? */
bool sm__in_panel(const sm_map *m, double x, double y, double margin);

/* PDF creator, title and dates (SOURCE_DATE_EPOCH or none), map_output.c. */
void sm__pdf_metadata(cairo_surface_t *s, const char *title);

#endif
