/*
 * map_view.c: the map's CRS and extent. Owns the PROJ objects (one
 * PROJ context per map, so maps on different threads do not share state),
 * the choice of the default projection, fitting the extent to the claims
 * or to --bbox, the canvas transform, the scale at the centre, and the
 * lon/lat window used to fetch and clip the basemap.
 *
 * The default CRS is an oblique stereographic projection on WGS84 centred
 * on the map (EPSG method 9809, PROJ's sterea). Why: it is conformal, so
 * shapes and angles are right everywhere and a geodesic circle (a reach
 * ring) stays a circle; its scale error grows only as (d / 2R)^2 with the
 * distance d from the centre, under 0.2 % within 500 km and 0.6 % within
 * 1000 km, so distances read off a regional map are right to a pixel or
 * two; and it is cheap enough (about 0.3 us a point with PROJ 9) to project
 * a million points. The azimuthal equidistant would keep distances from the
 * centre exact but costs about 1.8 us a point on the ellipsoid in PROJ and
 * is not conformal; Lambert azimuthal equal-area is not conformal either.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "map/map_internal.h"

void sm__proj_close(sm__proj *p)
{
    if (p->pj != NULL)
        proj_destroy(p->pj);
    if (p->crs != NULL)
        proj_destroy(p->crs);
    free(p->wkt);
    free(p->last_error);
    if (p->ctx != NULL)
        proj_context_destroy(p->ctx);
    memset(p, 0, sizeof(*p));
}

static bool is_map_crs(PJ_TYPE t)
{
    switch (t) {
    case PJ_TYPE_GEOGRAPHIC_2D_CRS:
    case PJ_TYPE_GEOGRAPHIC_3D_CRS:
    case PJ_TYPE_PROJECTED_CRS:
    case PJ_TYPE_COMPOUND_CRS:
    case PJ_TYPE_BOUND_CRS: return true;
    default: return false;
    }
}

/* The horizontal CRS inside a compound or bound CRS (new reference). */
static PJ *horizontal(PJ_CONTEXT *ctx, PJ *crs)
{
    PJ_TYPE t = proj_get_type(crs);
    if (t == PJ_TYPE_BOUND_CRS) {
        PJ *src = proj_get_source_crs(ctx, crs);
        if (src != NULL) {
            PJ *h = horizontal(ctx, src);
            proj_destroy(src);
            return h;
        }
    }
    if (t == PJ_TYPE_COMPOUND_CRS) {
        PJ *sub = proj_crs_get_sub_crs(ctx, crs, 0);
        if (sub != NULL) {
            PJ *h = horizontal(ctx, sub);
            proj_destroy(sub);
            return h;
        }
    }
    return proj_clone(ctx, crs);
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay != NULL && *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* Where the projection tears, from its method and parameters: azimuthal
 * methods only at the antipode of their centre, the others along the
 * meridian opposite their central one. */
static void classify(sm__proj *p, PJ *h)
{
    PJ_TYPE t = proj_get_type(h);
    p->cut = true;
    p->cut_lon = 180;
    p->has_antipode = false;
    if (t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS)
        return;
    PJ *conv = proj_crs_get_coordoperation(p->ctx, h);
    if (conv == NULL)
        return;
    const char *method = NULL;
    proj_coordoperation_get_method_info(p->ctx, conv, &method, NULL, NULL);
    double lon0 = 0, lat0 = 0;
    bool have_lat = false;
    int np = proj_coordoperation_get_param_count(p->ctx, conv);
    for (int i = 0; i < np; i++) {
        const char *code = NULL;
        double value = 0, factor = 0;
        if (!proj_coordoperation_get_param(p->ctx, conv, i, NULL, NULL, &code, &value, NULL,
                                           &factor, NULL, NULL, NULL, NULL) ||
            code == NULL)
            continue;
        double deg = factor > 0 ? value * factor * 180.0 / SM__PI : value;
        /* EPSG parameter codes: longitude and latitude of the natural
         * origin, false origin, projection centre, origin. */
        if (!strcmp(code, "8802") || !strcmp(code, "8822") || !strcmp(code, "8812") ||
            !strcmp(code, "8833"))
            lon0 = deg;
        if (!strcmp(code, "8801") || !strcmp(code, "8821") || !strcmp(code, "8811") ||
            !strcmp(code, "8832")) {
            lat0 = deg;
            have_lat = true;
        }
    }
    static const char *const azimuthal[] = {"stereographic", "azimuthal",   "orthographic",
                                            "gnomonic",      "perspective", "near-side"};
    bool az = false;
    for (size_t i = 0; i < SM__ARRAY_LEN(azimuthal); i++)
        az = az || contains_ci(method, azimuthal[i]);
    if (az) {
        p->cut = false;
        if (contains_ci(method, "polar"))
            lat0 = lat0 < 0 ? -90 : 90;
        if (have_lat || contains_ci(method, "polar")) {
            p->has_antipode = true;
            p->anti_lon = lon0 + 180;
            p->anti_lat = -lat0;
        }
    } else {
        p->cut_lon = lon0 + 180;
    }
    proj_destroy(conv);
}

/* PROJ's log, kept instead of printed (the library never prints): its
 * messages ("crs not found: EPSG:99999") say more than its error codes. */
static void proj_log(void *user, int level, const char *msg)
{
    sm__proj *p = user;
    if (level == PJ_LOG_ERROR && msg != NULL) {
        /* (out of memory: the message falls back to PROJ's errno text) */
        free(p->last_error);
        p->last_error = strdup(msg);
    }
}

static const char *proj_msg(sm__proj *p)
{
    if (p->last_error != NULL && p->last_error[0])
        return p->last_error;
    int e = proj_context_errno(p->ctx);
    const char *s = e ? proj_context_errno_string(p->ctx, e) : NULL;
    return s != NULL ? s : "not a CRS";
}

sm_status sm__proj_open(sm_map *m, const char *crs, double lon0, double lat0)
{
    sm__proj *p = &m->proj;
    /* One PROJ context a map, kept when the projection is recentred (its
     * database connection is the costly part). */
    PJ_CONTEXT *ctx = p->ctx;
    p->ctx = NULL;
    sm__proj_close(p);
    p->ctx = ctx != NULL ? ctx : proj_context_create();
    if (p->ctx == NULL)
        return sm__nomem(m->ctx, NULL, -1, NULL, "PROJ context");
    /* errors become diagnostics, never stderr */
    proj_log_level(p->ctx, PJ_LOG_ERROR);
    proj_log_func(p->ctx, p, proj_log);
    free(p->last_error);
    p->last_error = NULL;
    char def[512];
    const char *use = crs;
    if (crs == NULL) {
        snprintf(def, sizeof(def),
                 "+proj=sterea +lat_0=%.9f +lon_0=%.9f +k=1 +x_0=0 +y_0=0 +datum=WGS84 "
                 "+units=m +no_defs +type=crs",
                 lat0, lon0);
        use = def;
    }
    PJ *c = proj_create(p->ctx, use);
    if (c != NULL && !is_map_crs(proj_get_type(c)) && strstr(use, "proj=") != NULL &&
        strstr(use, "type=crs") == NULL) {
        /* A bare PROJ string ("+proj=merc") names an operation; as a CRS
         * it needs +type=crs, which cs2cs users do not always write. */
        proj_destroy(c);
        char *withtype = malloc(strlen(use) + 16);
        if (withtype == NULL)
            return sm__nomem(m->ctx, NULL, -1, NULL, "options.crs");
        sprintf(withtype, "%s +type=crs", use);
        c = proj_create(p->ctx, withtype);
        free(withtype);
    }
    if (c == NULL || !is_map_crs(proj_get_type(c))) {
        sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.crs",
                 "PROJ does not know \"%s\" as a horizontal CRS (%s); give an EPSG code, a PROJ "
                 "string or WKT",
                 use, c == NULL ? proj_msg(p) : "not a geographic or projected CRS");
        if (c != NULL)
            proj_destroy(c);
        return SM_ERR_PROJ;
    }
    p->crs = c;
    if (crs == NULL) {
        /* The default CRS is on WGS84 itself: the operation from lon/lat is
         * the projection alone, written out as a pipeline. (Asking PROJ to
         * find it, proj_create_crs_to_crs, opens proj.db and searches it:
         * some 30 ms a map.) */
        char pipe[512];
        snprintf(pipe, sizeof(pipe),
                 "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step "
                 "+proj=sterea +lat_0=%.9f +lon_0=%.9f +k=1 +x_0=0 +y_0=0 +ellps=WGS84",
                 lat0, lon0);
        p->pj = proj_create(p->ctx, pipe);
        p->plain = true;
    } else {
        PJ *src = proj_create(p->ctx, "EPSG:4326");
        PJ *op = src ? proj_create_crs_to_crs_from_pj(p->ctx, src, c, NULL, NULL) : NULL;
        p->pj = op ? proj_normalize_for_visualization(p->ctx, op) : NULL;
        if (op != NULL)
            proj_destroy(op);
        if (src != NULL)
            proj_destroy(src);
    }
    if (p->pj == NULL) {
        sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.crs",
                 "PROJ found no way from WGS84 lon/lat to \"%s\": %s", use, proj_msg(p));
        return SM_ERR_PROJ;
    }
    const char *wkt = proj_as_wkt(p->ctx, c, PJ_WKT2_2019, NULL);
    p->wkt = wkt ? strdup(wkt) : strdup("");
    if (p->wkt == NULL)
        return sm__nomem(m->ctx, NULL, -1, NULL, "map CRS");
    PJ *h = horizontal(p->ctx, c);
    if (h != NULL) {
        classify(p, h);
        proj_destroy(h);
    }
    if (crs == NULL) {
        p->cut = false;
        p->has_antipode = true;
        p->anti_lon = lon0 + 180;
        p->anti_lat = -lat0;
    }
    proj_errno_reset(p->pj);
    return SM_OK;
}

void sm__proj_fwd(const sm_map *m, double *xy, size_t n)
{
    sm__proj_fwd_with(m, m->proj.pj, xy, n);
}

void sm__proj_fwd_with(const sm_map *m, PJ *pj, double *xy, size_t n)
{
    if (n == 0)
        return;
    if (n == 1 && m->proj.plain) {
        /* One point (a map asks for a million one at a time): proj_trans
         * itself, with the z and time proj_trans_generic gives it, costs a
         * quarter less; the same numbers. */
        PJ_COORD c = proj_coord(xy[0], xy[1], 0, HUGE_VAL);
        c = proj_trans(pj, PJ_FWD, c);
        xy[0] = c.xy.x;
        xy[1] = c.xy.y;
    } else {
        proj_trans_generic(pj, PJ_FWD, xy, 2 * sizeof(double), n, xy + 1, 2 * sizeof(double), n,
                           NULL, 0, 0, NULL, 0, 0);
    }
    proj_errno_reset(pj);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1]) || fabs(xy[2 * i]) > 1e15 ||
            fabs(xy[2 * i + 1]) > 1e15)
            xy[2 * i] = xy[2 * i + 1] = HUGE_VAL;
}

static void proj_quiet(void *user, int level, const char *msg)
{
    (void)user;
    (void)level;
    (void)msg;
}

PJ *sm__proj_clone(const sm_map *m, PJ_CONTEXT **ctx)
{
    *ctx = proj_context_create();
    if (*ctx == NULL)
        return NULL;
    /* a point that does not project is HUGE_VAL, as on the map's own */
    proj_log_level(*ctx, PJ_LOG_ERROR);
    proj_log_func(*ctx, NULL, proj_quiet);
    PJ *pj = proj_clone(*ctx, m->proj.pj);
    if (pj == NULL) {
        proj_context_destroy(*ctx);
        *ctx = NULL;
    }
    return pj;
}

void sm__proj_inv(const sm_map *m, double *xy, size_t n)
{
    if (n == 0)
        return;
    proj_trans_generic(m->proj.pj, PJ_INV, xy, 2 * sizeof(double), n, xy + 1, 2 * sizeof(double), n,
                       NULL, 0, 0, NULL, 0, 0);
    proj_errno_reset(m->proj.pj);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1]) || fabs(xy[2 * i + 1]) > 90.001)
            xy[2 * i] = xy[2 * i + 1] = HUGE_VAL;
}

void sm__view_apply(const sm__view *v, double *xy, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (xy[2 * i] == HUGE_VAL)
            continue;
        xy[2 * i] = v->px + (xy[2 * i] - v->x_min) * v->k;
        xy[2 * i + 1] = v->py + (v->y_max - xy[2 * i + 1]) * v->k;
    }
}

void sm__view_unapply(const sm__view *v, double cx, double cy, double *x, double *y)
{
    *x = v->x_min + (cx - v->px) / v->k;
    *y = v->y_max - (cy - v->py) / v->k;
}

void sm__to_canvas(const sm_map *m, double *xy, size_t n)
{
    sm__to_canvas_with(m, m->proj.pj, xy, n);
}

void sm__to_canvas_with(const sm_map *m, PJ *pj, double *xy, size_t n)
{
    sm__proj_fwd_with(m, pj, xy, n);
    sm__view_apply(&m->view, xy, n);
}

/* ---- extent ----------------------------------------------------------------- */

/* Kilometres per map-CRS unit at (x, y), measured along x (or y) over
 * +-d units with a geodesic between the two points' lon/lat. */
static double km_per_unit(const sm_map *m, double x, double y, double d, bool along_y)
{
    double q[4] = {along_y ? x : x - d, along_y ? y - d : y, along_y ? x : x + d,
                   along_y ? y + d : y};
    sm__proj_inv(m, q, 2);
    if (q[0] == HUGE_VAL || q[2] == HUGE_VAL)
        return (double)NAN;
    return sm__geod_distance_km(q[0], q[1], q[2], q[3]) / (2 * d);
}

/* The same, robust at a pole: there a step of a micrometre comes back from
 * PROJ as latitude 90 exactly at both ends (no distance at all), and in a
 * lon/lat CRS every step along x is the pole itself. Try along x, then
 * along y, with steps ten times longer each time, up to `most` units. */
static double km_per_unit_robust(const sm_map *m, double x, double y, double d, double most)
{
    for (double step = d; step <= most; step *= 10) {
        double k = km_per_unit(m, x, y, step, false);
        if (!(k > 0))
            k = km_per_unit(m, x, y, step, true);
        if (k > 0)
            return k;
    }
    return (double)NAN;
}

/* A first guess at the centre: the direction of the mean of the points'
 * unit vectors (any longitude wrap is harmless there). */
/* The mean direction of the points (the sum of their unit vectors) and
 * the first of them, a run at a time. */
typedef struct mean_dir {
    double s[3];
    size_t n;
    double first[2];
} mean_dir;

static bool mean_add(sm_map *m, const double *ll, size_t n, void *user)
{
    (void)m;
    mean_dir *d = user;
    if (d->n == 0 && n > 0) {
        d->first[0] = ll[0];
        d->first[1] = ll[1];
    }
    d->n += n;
    for (size_t i = 0; i < n; i++) {
        double xyz[3];
        sm__ecef_km(ll[2 * i], ll[2 * i + 1], xyz);
        double r = sqrt(xyz[0] * xyz[0] + xyz[1] * xyz[1] + xyz[2] * xyz[2]);
        for (int k = 0; k < 3; k++)
            d->s[k] += xyz[k] / r;
    }
    return true;
}

static void mean_direction(const mean_dir *d, double *lon, double *lat)
{
    const double *s = d->s;
    double h = hypot(s[0], s[1]);
    if (h < 1e-12 && fabs(s[2]) < 1e-12) {
        *lon = d->first[0];
        *lat = d->first[1];
        return;
    }
    *lon = atan2(s[1], s[0]) * 180 / SM__PI;
    *lat = atan2(s[2], h) * 180 / SM__PI;
}

/* The projected bounding box of the points, a run at a time. */
typedef struct proj_box {
    double bb[4];
    size_t ok; /* points that project */
    sm__vec xy;
} proj_box;

static bool box_add(sm_map *m, const double *ll, size_t n, void *user)
{
    proj_box *b = user;
    if (!sm__vec_reserve(&b->xy, n)) {
        sm__map_nomem(m, "map extent");
        return false;
    }
    double *xy = b->xy.data;
    memcpy(xy, ll, n * 2 * sizeof(double));
    sm__proj_fwd(m, xy, n);
    for (size_t i = 0; i < n; i++) {
        if (xy[2 * i] == HUGE_VAL)
            continue;
        b->bb[0] = fmin(b->bb[0], xy[2 * i]);
        b->bb[1] = fmin(b->bb[1], xy[2 * i + 1]);
        b->bb[2] = fmax(b->bb[2], xy[2 * i]);
        b->bb[3] = fmax(b->bb[3], xy[2 * i + 1]);
        b->ok++;
    }
    return true;
}

/* Projected bounding box of the points; false when none projects. */
static bool projected_bbox(sm_map *m, sm__fit *f, bool all, double bb[4])
{
    proj_box b = {
        {(double)INFINITY, (double)INFINITY, -(double)INFINITY, -(double)INFINITY}, 0, {0}};
    sm__vec_init(&b.xy, 2 * sizeof(double));
    bool ok = sm__fit_each(m, f, all, box_add, &b);
    sm__vec_free(&b.xy);
    memcpy(bb, b.bb, sizeof(b.bb));
    return ok && b.ok > 0;
}

/* Frame the projected box in the panel: margin, minimum size, aspect. */
static void frame(sm_map *m, const double bb[4])
{
    sm__view *v = &m->view;
    double w = bb[2] - bb[0], h = bb[3] - bb[1];
    double cx = (bb[0] + bb[2]) / 2, cy = (bb[1] + bb[3]) / 2;
    double probe = fmax(fmax(w, h) * 1e-3, 1e-6);
    double kpu = km_per_unit_robust(m, cx, cy, probe, fmax(probe * 1e9, 1e4));
    /* A single point, or claims a few hundred metres apart, still get a
     * readable neighbourhood: at least 20 km across. */
    double min_units = kpu > 0 ? 20.0 / kpu : fmax(w, h);
    if (!m->opt.has_bbox) {
        double side = fmax(fmax(w, h), min_units);
        double mg = m->opt.margin * side;
        w = fmax(w, min_units) + 2 * mg;
        h = fmax(h, min_units) + 2 * mg;
    }
    if (!(w > 0))
        w = min_units > 0 ? min_units : 1;
    if (!(h > 0))
        h = w;
    double aspect = v->pw / v->ph;
    if (w / h < aspect)
        w = h * aspect;
    else
        h = w / aspect;
    v->k = v->pw / w;
    v->x_min = cx - w / 2;
    v->y_max = cy + h / 2;
}

/* The panel centre's lon/lat. */
static bool panel_centre(const sm_map *m, double *lon, double *lat)
{
    const sm__view *v = &m->view;
    double q[2];
    sm__view_unapply(v, v->px + v->pw / 2, v->py + v->ph / 2, &q[0], &q[1]);
    sm__proj_inv(m, q, 1);
    if (q[0] == HUGE_VAL)
        return false;
    *lon = q[0];
    *lat = q[1];
    return true;
}

/* Scale at the centre and how much it varies over the panel; the lon/lat
 * window that covers the panel and its guard band. */
static void measure(sm_map *m)
{
    sm__view *v = &m->view;
    double cx, cy;
    sm__view_unapply(v, v->px + v->pw / 2, v->py + v->ph / 2, &cx, &cy);
    double d = v->pw / v->k * 0.005;
    double k0 = km_per_unit(m, cx, cy, d, false);
    if (!(k0 > 0)) {
        /* The centre is a pole (in a lon/lat CRS, or where PROJ rounds to
         * latitude 90): measure just beside it, a fifth of the way to the
         * panel's edge. */
        k0 = km_per_unit_robust(m, cx, cy, d, v->pw / v->k);
        if (!(k0 > 0))
            k0 = km_per_unit_robust(m, cx, cy + v->ph / v->k * 0.1, d, v->pw / v->k);
    }
    v->km_per_pt = k0 / v->k;
    v->scale_spread = 0;
    for (int i = 0; i <= 4; i++)
        for (int j = 0; j <= 4; j++) {
            double x, y;
            sm__view_unapply(v, v->px + v->pw * i / 4.0, v->py + v->ph * j / 4.0, &x, &y);
            double kx = km_per_unit(m, x, y, d, false), ky = km_per_unit(m, x, y, d, true);
            if (kx > 0)
                v->scale_spread = fmax(v->scale_spread, fabs(kx / k0 - 1));
            if (ky > 0)
                v->scale_spread = fmax(v->scale_spread, fabs(ky / k0 - 1));
        }
    if (!panel_centre(m, &v->lon0, &v->lat0)) {
        v->lon0 = 0;
        v->lat0 = 0;
    }

    /* The window: the panel's outline (with the guard band) back to
     * lon/lat, longitudes unwrapped around the centre's. */
    enum { PER_EDGE = 48 };
    double ring[4 * PER_EDGE * 2];
    double x0 = v->px - v->guard, y0 = v->py - v->guard, x1 = v->px + v->pw + v->guard,
           y1 = v->py + v->ph + v->guard;
    for (size_t i = 0; i < PER_EDGE; i++) {
        double t = (double)i / PER_EDGE;
        double pts[4][2] = {{x0 + t * (x1 - x0), y0},
                            {x1, y0 + t * (y1 - y0)},
                            {x1 - t * (x1 - x0), y1},
                            {x0, y1 - t * (y1 - y0)}};
        for (size_t e = 0; e < 4; e++)
            sm__view_unapply(v, pts[e][0], pts[e][1], &ring[2 * (e * PER_EDGE + i)],
                             &ring[2 * (e * PER_EDGE + i) + 1]);
    }
    sm__proj_inv(m, ring, 4 * PER_EDGE);
    bool failed = false;
    double lo = 1e9, hi = -1e9, la_lo = 90, la_hi = -90;
    for (size_t i = 0; i < 4 * PER_EDGE; i++) {
        if (ring[2 * i] == HUGE_VAL) {
            failed = true;
            continue;
        }
        double dl = fmod(ring[2 * i] - v->lon0, 360.0);
        if (dl < -180)
            dl += 360;
        if (dl >= 180)
            dl -= 360;
        lo = fmin(lo, v->lon0 + dl);
        hi = fmax(hi, v->lon0 + dl);
        la_lo = fmin(la_lo, ring[2 * i + 1]);
        la_hi = fmax(la_hi, ring[2 * i + 1]);
    }
    double poles[4] = {0, 90, 0, -90};
    sm__to_canvas(m, poles, 2);
    bool north_in = poles[0] != HUGE_VAL && poles[0] >= x0 && poles[0] <= x1 && poles[1] >= y0 &&
                    poles[1] <= y1;
    bool south_in = poles[2] != HUGE_VAL && poles[2] >= x0 && poles[2] <= x1 && poles[3] >= y0 &&
                    poles[3] <= y1;
    double mlon = 0.02 * (hi - lo) + 0.05, mlat = 0.02 * (la_hi - la_lo) + 0.05;
    v->lon_lo = lo - mlon;
    v->lon_hi = hi + mlon;
    v->lat_lo = fmax(-90, la_lo - mlat);
    v->lat_hi = fmin(90, la_hi + mlat);
    v->full_lon = failed || north_in || south_in || v->lon_hi - v->lon_lo >= 359;
    if (north_in)
        v->lat_hi = 90;
    if (south_in)
        v->lat_lo = -90;
    if (failed || lo > hi) {
        v->lat_lo = -90;
        v->lat_hi = 90;
    }
    if (v->full_lon) {
        v->lon_lo = -180;
        v->lon_hi = 180;
    }
}

sm_status sm__map_extent(sm_map *m)
{
    /* what is drawn, or when that has no position, where the claims are */
    sm__fit f = {false, false};
    mean_dir md = {{0, 0, 0}, 0, {0, 0}};
    bool all = false;
    bool ok = sm__fit_each(m, &f, all, mean_add, &md);
    if (ok && md.n == 0) {
        all = true;
        ok = sm__fit_each(m, &f, all, mean_add, &md);
    }
    if (!ok)
        return m->status != SM_OK ? m->status : sm__nomem(m->ctx, NULL, -1, NULL, "map extent");
    if (md.n == 0) {
        sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.bbox",
                 "nothing to map: the claims have no positions; set options.bbox (west, south, "
                 "east, north)");
        return SM_ERR_USAGE;
    }
    double lon0, lat0;
    if (m->opt.has_bbox) {
        double w = m->opt.bbox[0], s = m->opt.bbox[1], e = m->opt.bbox[2], n = m->opt.bbox[3];
        if (e < w)
            e += 360;
        lon0 = (w + e) / 2;
        lat0 = (s + n) / 2;
    } else {
        mean_direction(&md, &lon0, &lat0);
    }
    if (lon0 > 180)
        lon0 -= 360;
    sm_status st = sm__proj_open(m, m->opt.crs, lon0, lat0);
    double bb[4];
    bool boxed = st == SM_OK && projected_bbox(m, &f, all, bb);
    if (st == SM_OK && !boxed && m->status != SM_OK) {
        st = m->status; /* out of memory, said: never frame an unset box */
    } else if (st == SM_OK && !boxed) {
        sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL,
                 m->opt.has_bbox      ? "options.bbox"
                 : m->opt.crs != NULL ? "options.crs"
                                      : NULL,
                 "no claimed position (or corner of options.bbox) can be shown in %s",
                 m->opt.crs != NULL ? "this CRS" : "the default projection");
        st = SM_ERR_PROJ;
    }
    if (st == SM_OK) {
        frame(m, bb);
        /* Centre the default projection on the frame itself: the first
         * guess leans towards where most points are. */
        double clon, clat;
        if (m->opt.crs == NULL && panel_centre(m, &clon, &clat)) {
            st = sm__proj_open(m, NULL, clon, clat);
            if (st == SM_OK && projected_bbox(m, &f, all, bb))
                frame(m, bb);
        }
    }
    if (st == SM_OK)
        st = m->status;
    if (st != SM_OK)
        return st;
    measure(m);
    if (!(m->view.km_per_pt > 0)) {
        /* Only a CRS the user chose is to blame; the default one is ours. */
        if (m->opt.crs != NULL)
            sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.crs",
                     "cannot measure the map's scale at its centre in this CRS");
        else
            sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL,
                     "cannot measure the map's scale at its centre (lon %.6f, lat %.6f) in the "
                     "default projection; set options.crs or options.bbox",
                     m->view.lon0, m->view.lat0);
        return SM_ERR_PROJ;
    }
    return SM_OK;
}

bool sm__in_panel(const sm_map *m, double x, double y, double margin)
{
    const sm__view *v = &m->view;
    return x >= v->px - margin && x <= v->px + v->pw + margin && y >= v->py - margin &&
           y <= v->py + v->ph + margin;
}

void sm__view_density(sm__view *v, size_t visible)
{
    v->strikes_in_view = visible;
    v->mark_scale = visible > SM__MAP_FULL_SIZE_STRIKES
                        ? fmax(0.45, sqrt((double)SM__MAP_FULL_SIZE_STRIKES / (double)visible))
                        : 1.0;
}
