/*
 * map_view.h: the view (map_view.c, map_shapes.c): the map CRS through
 * PROJ, the extent and the frame on the canvas, the scale, and lon/lat
 * shapes (polygons, polylines, geodesic circles and tracks) turned into
 * canvas paths. Calls the core and geometry only.
 */
#ifndef SM_MAP_VIEW_H
#define SM_MAP_VIEW_H

#include <proj.h>

#include "map/map_core.h"

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
    bool plain;       /* pj is the default CRS's pipeline, written out (not inverted) */
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
    double guard;           /* pt around the panel kept when clipping */
    double tol;             /* pt: points closer than this are merged */
    double mark_scale;      /* markers shrink when there are very many (sm__view_density) */
    size_t strikes_in_view; /* (sm__view_density) */
} sm__view;

sm_status sm__proj_open(sm_map *m, const char *crs, double lon0, double lat0);
void sm__proj_close(sm__proj *p);
/* Project n lon/lat pairs in place to map-CRS x/y; failures become
 * HUGE_VAL. */
void sm__proj_fwd(const sm_map *m, double *xy, size_t n);
/* The same through pj: the map's own (m->proj.pj) or a clone of it for
 * another thread (sm__proj_clone). */
void sm__proj_fwd_with(const sm_map *m, PJ *pj, double *xy, size_t n);
/* A copy of the map's projection for another thread, in a PROJ context of
 * its own (*ctx; PROJ objects are used by one thread at a time): the
 * caller destroys both. NULL when PROJ cannot make one. */
PJ *sm__proj_clone(const sm_map *m, PJ_CONTEXT **ctx);
/* Inverse, in place; failures become HUGE_VAL. */
void sm__proj_inv(const sm_map *m, double *xy, size_t n);
/* Map-CRS -> canvas, in place. */
void sm__view_apply(const sm__view *v, double *xy, size_t n);
/* Canvas -> map-CRS, one point. */
void sm__view_unapply(const sm__view *v, double cx, double cy, double *x, double *y);
/* lon/lat -> canvas, in place (projection + view); HUGE_VAL on failure. */
void sm__to_canvas(const sm_map *m, double *xy, size_t n);
void sm__to_canvas_with(const sm_map *m, PJ *pj, double *xy, size_t n);
/* Many points to the canvas on two threads (map_project.c): the caller and
 * a helper with a clone of the projection, the same numbers as
 * sm__to_canvas. New: NULL when no helper can be had (to_canvas then
 * projects on the calling thread alone); free(NULL) does nothing. */
typedef struct sm__proj_team sm__proj_team;
sm__proj_team *sm__proj_team_new(const sm_map *m);
void sm__proj_team_to_canvas(sm__proj_team *t, const sm_map *m, double *xy, size_t n);
void sm__proj_team_free(sm__proj_team *t);
/* Reach rings that rule a claim out are fitted into the default extent
 * while there are at most this many (past it they run off the edge). */
#define SM__MAP_FIT_RINGS 12
/* Lon/lat points the default extent must hold: what the map draws, or
 * (all) every claimed position (map_fit.c), handed to fn in runs (the
 * strikes' first, a batch at a time, in order; then the rest). A pass
 * over the strikes; f (zeroed before the first call) keeps what one
 * call learns for the next. False when out of memory or fn returned
 * false. */
typedef struct sm__fit {
    bool known, skip_flagged;
} sm__fit;
typedef bool (*sm__fit_fn)(sm_map *m, const double *ll, size_t n, void *user);
bool sm__fit_each(sm_map *m, sm__fit *f, bool all, sm__fit_fn fn, void *user);
/* Choose the projection and extent for the panel already laid out. */
sm_status sm__map_extent(sm_map *m);
/* Is a canvas point inside the panel (with a margin, pt)? */
bool sm__in_panel(const sm_map *m, double x, double y, double margin);
/* Markers keep their full size up to this many strikes in view, then
 * shrink (to at most 0.45 of it) as they crowd. Nothing is left out. */
#define SM__MAP_FULL_SIZE_STRIKES 300
/* Strikes in view past which a map is dense: strikes that would overlap
 * are clustered, the largest places outrank claim labels. */
#define SM__MAP_DENSE_STRIKES 50
/* The marker scale for n strikes in view (sets view.mark_scale). */
void sm__view_density(sm__view *v, size_t n_visible);

/* Lon/lat shapes to canvas paths, handling the projection's cut and poles,
 * clipped to the panel plus its guard band (map_shapes.c). */
/* A polygon ring in lon/lat (lon may be unwrapped, i.e. run past +-180). */
void sm__geo_polygon(sm_map *m, const double *lonlat, size_t n, sm__paths *fill, int tag);
/* A polyline in lon/lat (unwrapped). */
void sm__geo_polyline(sm_map *m, const double *lonlat, size_t n, sm__paths *line, int tag);
/* A geodesic circle: fill pieces (may be NULL) and outline runs; false
 * when it covers both poles or the projection's singular point (nothing
 * sensible to draw). */
bool sm__geo_circle(sm_map *m, double lon, double lat, double radius_km, sm__paths *fill,
                    sm__paths *line, int tag);
/* A polyline of geodesics through n lon/lat points (a track), added to
 * line unless it is NULL. With seg not NULL (6 (n - 1) doubles), each
 * geodesic i as measured for the line: seg[2 i] its start azimuth
 * (degrees) and seg[2 i + 1] its length (km); seg[2 (n - 1) + 2 i, + 1]
 * its midpoint on the canvas; seg[4 (n - 1) + 2 i, + 1] the point just
 * past it (max(1 %, 10 m) further along), for the direction of travel
 * there. HUGE_VAL where a point does not project. False when out of
 * memory (the map's status says so). */
bool sm__geo_track(sm_map *m, const double *lonlat, size_t n, sm__paths *line, int tag,
                   double *seg);
/* sm__geo_track's measuring half, for any thread (n >= 2): seg as there
 * (6 (n - 1) doubles) and, when pts is not NULL, the lon/lat points of the
 * line appended to it (2 doubles an element: the first point, then every
 * geodesic's) for sm__geo_polyline. Projects through pj (the map's, or a
 * clone: sm__proj_clone); reads the map's view and changes nothing of the
 * map. False when out of memory. */
bool sm__geo_track_measure(const sm_map *m, PJ *pj, const double *lonlat, size_t n, double *seg,
                           sm__vec *pts);
/* The geodesic from a to b, densified, as a polyline. */
void sm__geo_geodesic(sm_map *m, double lon1, double lat1, double lon2, double lat2,
                      sm__paths *line, int tag);

#endif
