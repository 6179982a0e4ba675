/*
 * map_shapes.c: shapes from lon/lat to canvas paths (the view module).
 * Owns clipping them to the panel's guard band, and
 * the two things that make world maps go wrong: projections that tear
 * along a meridian (cylindrical, pseudo-cylindrical, conic: the "cut", at
 * the central meridian + 180 degrees) and shapes that contain a pole.
 *
 * How: a shape is cut along that meridian in lon/lat, where it is still
 * continuous (longitudes unwrapped, so a ring crossing the antimeridian
 * runs on past 180), each piece is shifted into the projection's own
 * longitude range and only then projected. A ring around a pole is closed
 * along the pole's latitude first, so the piece covers the polar cap the
 * way the projection draws it (a line in Mercator, a point in a polar
 * stereographic). Azimuthal projections (the default) have no cut; a ring
 * there is projected whole. Canvas coordinates are clipped to the panel
 * plus a guard band before cairo sees them (cairo's fixed-point path
 * coordinates overflow far outside the surface).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <geodesic.h>

#include "map/map_internal.h"

/* ---- projecting and adding ------------------------------------------------- */

static void guard_rect(const sm_map *m, double r[4])
{
    const sm__view *v = &m->view;
    r[0] = v->px - v->guard;
    r[1] = v->py - v->guard;
    r[2] = v->px + v->pw + v->guard;
    r[3] = v->py + v->ph + v->guard;
}

/* Add a part to out; a failed allocation (out->failed) is the map's. */
static void add_part(sm_map *m, sm__paths *out, const double *xy, size_t n, int tag, bool polygon)
{
    sm__paths_add(out, xy, n, tag, polygon, m->view.tol);
    if (out->failed)
        sm__map_nomem(m, "geometry");
}

/* Canvas polygon: drop failed points, clip to the guard band, add. */
static void add_canvas_polygon(sm_map *m, double *xy, size_t n, sm__paths *out, int tag)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(xy[2 * i]) && isfinite(xy[2 * i + 1])) {
            xy[2 * k] = xy[2 * i];
            xy[2 * k + 1] = xy[2 * i + 1];
            k++;
        }
    if (k < 3)
        return;
    double r[4];
    guard_rect(m, r);
    double *clipped = NULL;
    size_t cap = 0;
    size_t c = sm__clip_polygon(xy, k, r[0], r[1], r[2], r[3], &clipped, &cap);
    if (clipped == NULL)
        sm__map_nomem(m, "geometry");
    else if (c >= 3)
        add_part(m, out, clipped, c, tag, true);
    free(clipped);
}

/* Canvas polyline: break at failed points, clip each segment, add runs. */
static void add_canvas_polyline(sm_map *m, const double *xy, size_t n, sm__paths *out, int tag)
{
    double r[4];
    guard_rect(m, r);
    /* a run has at most one point a segment plus one: n + 2 is room enough */
    double *run = NULL;
    size_t cap = 0, k = 0;
    if (!sm__grow_points(&run, &cap, n + 2) || run == NULL) {
        sm__map_nomem(m, "geometry");
        return;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        const double *a = xy + 2 * i, *b = xy + 2 * i + 2;
        double t0, t1;
        bool ok = isfinite(a[0]) && isfinite(a[1]) && isfinite(b[0]) && isfinite(b[1]) &&
                  sm__clip_segment(a, b, r, &t0, &t1);
        if (!ok) {
            if (k >= 2)
                add_part(m, out, run, k, tag, false);
            k = 0;
            continue;
        }
        double p0[2] = {a[0] + t0 * (b[0] - a[0]), a[1] + t0 * (b[1] - a[1])};
        double p1[2] = {a[0] + t1 * (b[0] - a[0]), a[1] + t1 * (b[1] - a[1])};
        if (k == 0 || t0 > 0) {
            if (k >= 2)
                add_part(m, out, run, k, tag, false);
            k = 0;
            run[2 * k] = p0[0];
            run[2 * k + 1] = p0[1];
            k++;
        }
        run[2 * k] = p1[0];
        run[2 * k + 1] = p1[1];
        k++;
        if (t1 < 1) {
            add_part(m, out, run, k, tag, false);
            k = 0;
        }
    }
    if (k >= 2)
        add_part(m, out, run, k, tag, false);
    free(run);
}

/* Copy lon/lat points, inserting points on long edges (linear in lon/lat),
 * so that a projected edge follows the curve it becomes. An edge more than
 * 180 degrees long in longitude away from the poles is the short way
 * round written with unwrapped longitudes (a ring closing after going
 * round a pole): it is left alone. */
static bool long_edge(const double *a, const double *b, double step_deg, double *d)
{
    double dl = fabs(b[0] - a[0]);
    if (dl > 180 && fabs(a[1]) < 89.99 && fabs(b[1]) < 89.99)
        return false;
    *d = fmax(dl, fabs(b[1] - a[1]));
    return *d > step_deg;
}

static double *densify(const double *ll, size_t n, bool closed, double step_deg, size_t *n_out)
{
    size_t total = 0, edges = closed ? n : n - 1;
    for (size_t i = 0; i < n; i++) {
        total++;
        if (i < edges) {
            double d;
            if (long_edge(ll + 2 * i, ll + 2 * ((i + 1) % n), step_deg, &d))
                total += (size_t)ceil(d / step_deg) - 1;
        }
    }
    double *out = malloc((total + 1) * 2 * sizeof(double));
    if (out == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const double *a = ll + 2 * i;
        out[2 * k] = a[0];
        out[2 * k + 1] = a[1];
        k++;
        if (i < edges) {
            const double *b = ll + 2 * ((i + 1) % n);
            double d;
            if (long_edge(a, b, step_deg, &d)) {
                size_t s = (size_t)ceil(d / step_deg);
                for (size_t j = 1; j < s; j++) {
                    double t = (double)j / (double)s;
                    out[2 * k] = a[0] + t * (b[0] - a[0]);
                    out[2 * k + 1] = a[1] + t * (b[1] - a[1]);
                    k++;
                }
            }
        }
    }
    *n_out = k;
    return out;
}

/* Shift a piece of strip j into the projection's own longitude range
 * [cut - 360, cut], nudging points on the cut just inside, so that the
 * projection puts them on this piece's side of the tear. */
static void shift_piece(const sm_map *m, double *ll, size_t n, long j)
{
    const double eps = 1e-7, cut = m->proj.cut_lon;
    double shift = -360.0 * (double)(j + 1);
    for (size_t i = 0; i < n; i++) {
        double lon = ll[2 * i] + shift;
        if (lon < cut - 360 + eps)
            lon = cut - 360 + eps;
        if (lon > cut - eps)
            lon = cut - eps;
        ll[2 * i] = lon;
    }
}

static void lon_range(const double *ll, size_t n, double *lo, double *hi)
{
    *lo = (double)INFINITY;
    *hi = -(double)INFINITY;
    for (size_t i = 0; i < n; i++) {
        *lo = fmin(*lo, ll[2 * i]);
        *hi = fmax(*hi, ll[2 * i]);
    }
}

static void project_polygon_piece(sm_map *m, double *ll, size_t n, sm__paths *fill, int tag)
{
    size_t nd;
    double *d = densify(ll, n, true, 1.0, &nd);
    if (d == NULL) {
        sm__map_nomem(m, "geometry");
        return;
    }
    sm__to_canvas(m, d, nd);
    add_canvas_polygon(m, d, nd, fill, tag);
    free(d);
}

void sm__geo_polygon(sm_map *m, const double *lonlat, size_t n, sm__paths *fill, int tag)
{
    if (n < 3)
        return;
    if (!m->proj.cut) {
        double *c = malloc(n * 2 * sizeof(double));
        if (c == NULL) {
            sm__map_nomem(m, "geometry");
            return;
        }
        memcpy(c, lonlat, n * 2 * sizeof(double));
        project_polygon_piece(m, c, n, fill, tag);
        free(c);
        return;
    }
    double lo, hi, cut = m->proj.cut_lon;
    lon_range(lonlat, n, &lo, &hi);
    long j0 = (long)floor((lo - cut + 1e-9) / 360.0), j1 = (long)floor((hi - cut - 1e-9) / 360.0);
    double *piece = NULL, *tmp = malloc((2 * n + 8) * 2 * sizeof(double));
    size_t cap = 0;
    if (tmp == NULL || !sm__grow_points(&piece, &cap, 2 * n + 8)) {
        free(tmp);
        free(piece);
        sm__map_nomem(m, "geometry");
        return;
    }
    for (long j = j0; j <= j1; j++) {
        size_t k;
        if (j0 == j1) {
            memcpy(piece, lonlat, n * 2 * sizeof(double));
            k = n;
        } else {
            double a = cut + 360.0 * (double)j, b = a + 360.0;
            k = sm__clip_edge(lonlat, n, tmp, 0, a, 1);
            k = sm__clip_edge(tmp, k, piece, 0, b, -1);
        }
        if (k < 3)
            continue;
        shift_piece(m, piece, k, j);
        project_polygon_piece(m, piece, k, fill, tag);
    }
    free(tmp);
    free(piece);
}

static void project_polyline_run(sm_map *m, double *ll, size_t n, sm__paths *line, int tag)
{
    size_t nd;
    double *d = densify(ll, n, false, 1.0, &nd);
    if (d == NULL) {
        sm__map_nomem(m, "geometry");
        return;
    }
    sm__to_canvas(m, d, nd);
    add_canvas_polyline(m, d, nd, line, tag);
    free(d);
}

void sm__geo_polyline(sm_map *m, const double *lonlat, size_t n, sm__paths *line, int tag)
{
    if (n < 2)
        return;
    double *run = malloc((n + 2) * 2 * sizeof(double));
    if (run == NULL) {
        sm__map_nomem(m, "geometry");
        return;
    }
    if (!m->proj.cut) {
        memcpy(run, lonlat, n * 2 * sizeof(double));
        project_polyline_run(m, run, n, line, tag);
        free(run);
        return;
    }
    /* Walk the line; where it crosses into another strip, end the run on
     * the cut and start the next on the other side of it. */
    double cut = m->proj.cut_lon;
    size_t k = 0;
    long js = (long)floor((lonlat[0] - cut) / 360.0);
    run[0] = lonlat[0];
    run[1] = lonlat[1];
    k = 1;
    for (size_t i = 1; i < n; i++) {
        const double *a = lonlat + 2 * (i - 1), *b = lonlat + 2 * i;
        long jb = (long)floor((b[0] - cut) / 360.0);
        while (jb != js) {
            /* the boundary crossed next, going from a towards b */
            double edge = cut + 360.0 * (double)(jb > js ? js + 1 : js);
            double t = (edge - a[0]) / (b[0] - a[0]);
            double lat = a[1] + t * (b[1] - a[1]);
            run[2 * k] = edge;
            run[2 * k + 1] = lat;
            k++;
            shift_piece(m, run, k, js);
            project_polyline_run(m, run, k, line, tag);
            js += jb > js ? 1 : -1;
            run[0] = edge;
            run[1] = lat;
            k = 1;
        }
        run[2 * k] = b[0];
        run[2 * k + 1] = b[1];
        k++;
    }
    shift_piece(m, run, k, js);
    project_polyline_run(m, run, k, line, tag);
    free(run);
}

/* ---- geodesic shapes ------------------------------------------------------- */

/* Quarter meridian and half of the shortest great ellipse on WGS84 (km):
 * farther than this from its centre, a circle wraps onto itself. */
#define SM__HALF_MERIDIAN_KM 20003.93

bool sm__geo_circle(sm_map *m, double lon, double lat, double radius_km, sm__paths *fill,
                    sm__paths *line, int tag)
{
    if (!(radius_km > 0) || radius_km >= SM__HALF_MERIDIAN_KM)
        return false;
    double to_n = sm__geod_distance_km(lon, lat, lon, 90);
    double to_s = sm__geod_distance_km(lon, lat, lon, -90);
    bool has_n = to_n < radius_km, has_s = to_s < radius_km;
    if (has_n && has_s)
        return false;
    if (m->proj.has_antipode &&
        sm__geod_distance_km(lon, lat, m->proj.anti_lon, m->proj.anti_lat) < radius_km * 1.02)
        return false;
    /* Vertices about every 2 pt along the drawn circle. */
    double r_pt = radius_km / m->view.km_per_pt;
    double nd = ceil(2 * SM__PI * r_pt / 2.0);
    size_t n = nd < 90 ? 90 : (nd > 4096 ? 4096 : (size_t)nd);
    double *ll = calloc((n + 3) * 2, sizeof(double));
    if (ll == NULL) {
        sm__map_nomem(m, "geometry");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        double lo, la;
        sm__geod_direct(lon, lat, 360.0 * (double)i / (double)n, radius_km, &lo, &la);
        if (i > 0) {
            double prev = ll[2 * (i - 1)];
            while (lo - prev > 180)
                lo -= 360;
            while (lo - prev < -180)
                lo += 360;
        } else {
            while (lo - lon > 180)
                lo -= 360;
            while (lo - lon < -180)
                lo += 360;
        }
        ll[2 * i] = lo;
        ll[2 * i + 1] = la;
    }
    /* The outline, closed: the first point again, continuing the unwrapping. */
    double first = ll[0], last = ll[2 * (n - 1)];
    double close = first;
    while (close - last > 180)
        close -= 360;
    while (close - last < -180)
        close += 360;
    ll[2 * n] = close;
    ll[2 * n + 1] = ll[1];
    if (line != NULL)
        sm__geo_polyline(m, ll, n + 1, line, tag);
    if (fill != NULL) {
        if (m->proj.cut && (has_n || has_s)) {
            /* Close along the pole's latitude: the ring ran once round in
             * longitude, so ring + pole segment bound the polar cap. */
            double plat = has_n ? 90 - 1e-6 : -90 + 1e-6;
            ll[2 * (n + 1)] = close;
            ll[2 * (n + 1) + 1] = plat;
            ll[2 * (n + 2)] = first;
            ll[2 * (n + 2) + 1] = plat;
            sm__geo_polygon(m, ll, n + 3, fill, tag);
        } else {
            sm__geo_polygon(m, ll, n, fill, tag);
        }
    }
    free(ll);
    return true;
}

static bool push_pt(sm__vec *out, double lo, double la)
{
    if (out->len == 0)
        return false;
    double prev = ((double *)out->data)[2 * (out->len - 1)];
    while (lo - prev > 180)
        lo -= 360;
    while (lo - prev < -180)
        lo += 360;
    double *p = sm__vec_push(out);
    if (p == NULL)
        return false;
    p[0] = lo;
    p[1] = la;
    return true;
}

/* The geodesic from (lon1, lat1) at azimuth azi, from s0 to s1 km along
 * it, its ends and midpoint on the canvas (c0, c1, cm) already known:
 * points are added where the drawn straight chord would stray more than a
 * tenth of a point from the geodesic (its midpoint, projected). The piece
 * that ends the geodesic (at_end) ends exactly on its end point b. */
static bool refine(const sm_map *m, PJ *pj, sm__vec *out, double lon1, double lat1, double azi,
                   double s0, double s1, const double c0[2], const double c1[2], const double cm[2],
                   const double b[2], bool at_end, int depth)
{
    bool straight = cm[0] != HUGE_VAL && c0[0] != HUGE_VAL && c1[0] != HUGE_VAL &&
                    hypot(cm[0] - (c0[0] + c1[0]) / 2, cm[1] - (c0[1] + c1[1]) / 2) < 0.1 &&
                    hypot(c1[0] - c0[0], c1[1] - c0[1]) < 400;
    if (straight || depth >= 12) {
        if (at_end)
            return push_pt(out, b[0], b[1]);
        double lo1, la1;
        sm__geod_direct(lon1, lat1, azi, s1, &lo1, &la1);
        return push_pt(out, lo1, la1);
    }
    /* the midpoints of both halves, projected together */
    double half = (s0 + s1) / 2, q[4];
    sm__geod_direct(lon1, lat1, azi, (s0 + half) / 2, &q[0], &q[1]);
    sm__geod_direct(lon1, lat1, azi, (half + s1) / 2, &q[2], &q[3]);
    sm__to_canvas_with(m, pj, q, 2);
    return refine(m, pj, out, lon1, lat1, azi, s0, half, c0, cm, q, b, false, depth + 1) &&
           refine(m, pj, out, lon1, lat1, azi, half, s1, cm, c1, q + 2, b, at_end, depth + 1);
}

/* The geodesics between n lon/lat points (n >= 2), each measured once
 * (PROJ's geod_inverseline): its start azimuth and length in g (2 a
 * geodesic), its midpoint on the canvas in mc (2 a geodesic) and, when
 * ahead is not NULL, the point just past the midpoint on the canvas
 * (max(1 %, 10 m) further along: a track's arrow points that way). The
 * points are projected in one batch each (one PROJ call a point cost more
 * than the geodesics). */
static void measure_geodesics(const sm_map *m, PJ *pj, const double *ll, size_t n, double *g,
                              double *mc, double *ahead)
{
    size_t ns = n - 1;
    for (size_t i = 0; i < ns; i++) {
        const double *a = ll + 2 * i, *b = a + 2;
        struct geod_geodesicline line;
        geod_inverseline(&line, sm__wgs84(), a[1], a[0], b[1], b[0],
                         GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
        double km = line.s13 / 1000.0;
        g[2 * i] = line.azi1;
        g[2 * i + 1] = km;
        mc[2 * i] = mc[2 * i + 1] = 0;
        if (km > 0 || ahead != NULL)
            geod_position(&line, km * 500.0, &mc[2 * i + 1], &mc[2 * i], NULL);
        if (ahead != NULL)
            geod_position(&line, (km * 0.5 + fmax(km * 0.01, 0.01)) * 1000.0, &ahead[2 * i + 1],
                          &ahead[2 * i], NULL);
    }
    sm__to_canvas_with(m, pj, mc, ns);
    if (ahead != NULL)
        sm__to_canvas_with(m, pj, ahead, ns);
}

/* Append the geodesics between n lon/lat points (n >= 2), measured (g,
 * mc), without the first point: each with as many points as it takes to
 * draw it as a curve on this map; false when out of memory. */
static bool append_geodesics(const sm_map *m, PJ *pj, sm__vec *out, const double *ll, size_t n,
                             const double *g, const double *mc)
{
    /* the points on the canvas */
    double *c = malloc(2 * n * sizeof(double));
    if (c == NULL)
        return false;
    memcpy(c, ll, 2 * n * sizeof(double));
    sm__to_canvas_with(m, pj, c, n);
    bool ok = true;
    for (size_t i = 0; i + 1 < n && ok; i++) {
        const double *a = ll + 2 * i, *b = a + 2;
        if (!(g[2 * i + 1] > 0))
            ok = push_pt(out, b[0], b[1]);
        else
            ok = refine(m, pj, out, a[0], a[1], g[2 * i], 0, g[2 * i + 1], c + 2 * i, c + 2 * i + 2,
                        mc + 2 * i, b, true, 0);
    }
    free(c);
    return ok;
}

/* Measure the geodesics into g (and the points past their midpoints when
 * ahead) and, when pts is not NULL, append the line's lon/lat points to
 * it; false when out of memory. */
static bool track_points(const sm_map *m, PJ *pj, const double *ll, size_t n, double *g, bool ahead,
                         sm__vec *pts)
{
    size_t ns = n - 1;
    double *mc = g + 2 * ns;
    measure_geodesics(m, pj, ll, n, g, mc, ahead ? mc + 2 * ns : NULL);
    if (pts == NULL)
        return true;
    double *first = sm__vec_push(pts);
    if (first == NULL)
        return false;
    first[0] = ll[0];
    first[1] = ll[1];
    return append_geodesics(m, pj, pts, ll, n, g, mc);
}

bool sm__geo_track_measure(const sm_map *m, PJ *pj, const double *lonlat, size_t n, double *seg,
                           sm__vec *pts)
{
    return track_points(m, pj, lonlat, n, seg, true, pts);
}

bool sm__geo_track(sm_map *m, const double *lonlat, size_t n, sm__paths *line, int tag, double *seg)
{
    if (n < 2)
        return true;
    size_t ns = n - 1;
    double *g = seg;
    if (g == NULL) {
        g = ns <= SIZE_MAX / (4 * sizeof(double)) ? malloc(4 * ns * sizeof(double)) : NULL;
        if (g == NULL) {
            sm__map_nomem(m, "geometry");
            return false;
        }
    }
    sm__vec pts;
    sm__vec_init(&pts, 2 * sizeof(double));
    bool ok = track_points(m, m->proj.pj, lonlat, n, g, seg != NULL, line != NULL ? &pts : NULL);
    if (ok && line != NULL)
        sm__geo_polyline(m, pts.data, pts.len, line, tag);
    sm__vec_free(&pts);
    if (seg == NULL)
        free(g);
    if (!ok)
        sm__map_nomem(m, "geometry"); /* only memory fails here */
    return ok;
}

void sm__geo_geodesic(sm_map *m, double lon1, double lat1, double lon2, double lat2,
                      sm__paths *line, int tag)
{
    double ll[4] = {lon1, lat1, lon2, lat2};
    sm__geo_track(m, ll, 2, line, tag, NULL);
}
