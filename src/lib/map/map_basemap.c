/*
 * map_basemap.c: the basemap from a folder of shapefiles, read through OGR:
 * countries.shp (polygons; fills, borders, country names, the inset globe),
 * land.shp (polygons; their outline is the coastline) and places.shp
 * (points with name, pop, fcode; populated places). Each is optional.
 *
 * Features are fetched with OGR's spatial filter on the map's lon/lat
 * window and every ring is clipped to that window in lon/lat before it is
 * projected (so nothing far off the map, e.g. near the projection's
 * singular point, is ever projected), then clipped again on the canvas.
 * Which places are named depends on the scale and on their size: a
 * population floor that rises with the map's width, capitals and
 * first-order admin seats first, then by population; placement (labels)
 * drops what does not fit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "map/map_internal.h"

void sm__basemap_init(sm__basemap *b)
{
    sm__paths_init(&b->countries);
    sm__paths_init(&b->coast);
    sm__vec_init(&b->country_names, sizeof(char *));
    sm__vec_init(&b->places, sizeof(sm__place));
    sm__vec_init(&b->world, 2 * sizeof(double));
    b->focus_country = -1;
}

void sm__basemap_free(sm__basemap *b)
{
    sm__paths_free(&b->countries);
    sm__paths_free(&b->coast);
    sm__vec_free(&b->places);
    sm__vec_free(&b->country_names);
    sm__vec_free(&b->world);
}

typedef struct reader {
    sm_map *m;
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRCoordinateTransformationH to_wgs84; /* NULL: already lon/lat */
    const char *path;                      /* the map's arena */
    double *buf, *clip;
    size_t buf_cap, clip_cap;
} reader;

static bool open_layer(sm_map *m, reader *r, const char *name, const char *what)
{
    memset(r, 0, sizeof(*r));
    r->m = m;
    r->path = sm__map_strfmt(m, "%s/%s", m->base.dir, name);
    if (r->path == NULL)
        return false;
    struct stat sb;
    if (stat(r->path, &sb) != 0) {
        sm__diag(m->ctx, SM_SEV_WARNING, r->path, -1, NULL, "options.basemap_dir",
                 "not found, so the map has no %s", what);
        return false;
    }
    sm__cpl_capture_begin();
    r->ds = sm__gdal_open(r->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL);
    const char *msg = sm__cpl_capture_end();
    r->layer = r->ds ? GDALDatasetGetLayer(r->ds, 0) : NULL;
    if (r->layer == NULL) {
        sm__diag(m->ctx, SM_SEV_WARNING, r->path, -1, NULL, "options.basemap_dir",
                 "not readable by OGR (%s), so the map has no %s", msg ? msg : "no layer", what);
        if (r->ds)
            GDALClose(r->ds);
        r->ds = NULL;
        return false;
    }
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(r->layer);
    if (srs != NULL && !OSRIsGeographic(srs)) {
        OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(wgs, 4326);
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        r->to_wgs84 = OCTNewCoordinateTransformation(srs, wgs);
        OSRDestroySpatialReference(wgs);
    }
    return true;
}

static void close_layer(reader *r)
{
    if (r->to_wgs84 != NULL)
        OCTDestroyCoordinateTransformation(r->to_wgs84);
    if (r->ds != NULL)
        GDALClose(r->ds);
    free(r->buf);
    free(r->clip);
}

static bool grow(double **b, size_t *cap, size_t n)
{
    if (n <= *cap)
        return true;
    size_t c = *cap ? *cap : 1024;
    while (c < n)
        c *= 2;
    double *nb = realloc(*b, c * 2 * sizeof(double));
    if (nb == NULL)
        return false;
    *b = nb;
    *cap = c;
    return true;
}

/* Natural Earth as world-atlas ships it (TopoJSON, spherical like d3)
 * has rings that cross the antimeridian with one edge from 179.9 to
 * -179.9: as planar lon/lat that edge would run the other way round the
 * world. Unwrap the longitudes so that every edge is the short one; a ring
 * that then goes once round (Antarctica) is closed along its pole. Edges
 * along a pole's own latitude are left as they are: there the long way is
 * the meant one. */
static size_t unwrap_ring(reader *r, size_t n)
{
    double off = 0, prev = r->buf[0];
    for (size_t i = 1; i < n; i++) {
        double raw = r->buf[2 * i], d = raw - prev;
        bool polar = fabs(r->buf[2 * i + 1]) > 89.999 && fabs(r->buf[2 * i - 1]) > 89.999;
        if (!polar && d > 180)
            off -= 360;
        else if (!polar && d < -180)
            off += 360;
        prev = raw;
        r->buf[2 * i] = raw + off;
    }
    if (fabs(off) < 1 || !grow(&r->buf, &r->buf_cap, n + 2))
        return n;
    double mean_lat = 0;
    for (size_t i = 0; i < n; i++)
        mean_lat += r->buf[2 * i + 1] / (double)n;
    double pole = mean_lat < 0 ? -90 : 90;
    r->buf[2 * n] = r->buf[2 * (n - 1)];
    r->buf[2 * n + 1] = pole;
    r->buf[2 * n + 2] = r->buf[0];
    r->buf[2 * n + 3] = pole;
    return n + 2;
}

/* A ring's points as lon/lat pairs into r->buf; returns the count. */
static size_t ring_points(reader *r, OGRGeometryH ring)
{
    int n = OGR_G_GetPointCount(ring);
    if (n <= 0)
        return 0;
    if (!grow(&r->buf, &r->buf_cap, (size_t)n + 2)) {
        sm__map_nomem(r->m, "basemap");
        return 0;
    }
    OGR_G_GetPoints(ring, r->buf, 2 * sizeof(double), r->buf + 1, 2 * sizeof(double), NULL, 0);
    if (r->to_wgs84 != NULL) {
        /* transform in place: split into x and y arrays the API wants */
        double *x = malloc((size_t)n * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
        if (x == NULL || y == NULL) {
            free(x);
            free(y);
            sm__map_nomem(r->m, "basemap");
            return 0;
        }
        for (size_t i = 0; i < (size_t)n; i++) {
            x[i] = r->buf[2 * i];
            y[i] = r->buf[2 * i + 1];
        }
        OCTTransform(r->to_wgs84, n, x, y, NULL);
        for (size_t i = 0; i < (size_t)n; i++) {
            r->buf[2 * i] = x[i];
            r->buf[2 * i + 1] = y[i];
        }
        free(x);
        free(y);
    }
    return unwrap_ring(r, (size_t)n);
}

/* Clip a lon/lat ring to the map's window (each shift of 360 degrees that
 * meets it) and hand the pieces to the projection. */
static void add_ring(reader *r, size_t n, sm__paths *out, int tag)
{
    sm_map *m = r->m;
    const sm__view *v = &m->view;
    double lo = (double)INFINITY, hi = -(double)INFINITY, la0 = 90, la1 = -90;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, r->buf[2 * i]);
        hi = fmax(hi, r->buf[2 * i]);
        la0 = fmin(la0, r->buf[2 * i + 1]);
        la1 = fmax(la1, r->buf[2 * i + 1]);
    }
    if (la1 < v->lat_lo || la0 > v->lat_hi)
        return;
    static const double shifts[3] = {0, 360, -360};
    for (int s = 0; s < (v->full_lon ? 1 : 3); s++) {
        double sh = shifts[s];
        if (!v->full_lon && (hi + sh < v->lon_lo || lo + sh > v->lon_hi))
            continue;
        if (sh != 0)
            for (size_t i = 0; i < n; i++)
                r->buf[2 * i] += sh;
        size_t k =
            sm__clip_polygon(r->buf, n, v->full_lon ? -1e9 : v->lon_lo, v->lat_lo,
                             v->full_lon ? 1e9 : v->lon_hi, v->lat_hi, &r->clip, &r->clip_cap);
        if (sh != 0)
            for (size_t i = 0; i < n; i++)
                r->buf[2 * i] -= sh;
        if (r->clip == NULL) {
            sm__map_nomem(m, "basemap");
            return;
        }
        if (k >= 3)
            sm__geo_polygon(m, r->clip, k, out, tag);
    }
}

/* Every ring of a (multi)polygon. */
static void add_polygons(reader *r, OGRGeometryH g, sm__paths *out, int tag, sm__vec *world)
{
    if (g == NULL)
        return;
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            add_polygons(r, OGR_G_GetGeometryRef(g, i), out, tag, world);
        return;
    }
    if (t != wkbPolygon)
        return;
    for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
        size_t n = ring_points(r, OGR_G_GetGeometryRef(g, i));
        if (n < 3)
            continue;
        if (out != NULL)
            add_ring(r, n, out, tag);
        if (world != NULL && i == 0) {
            /* Outer rings for the inset globe, thinned to about a third of
             * a degree: it is drawn a few centimetres across. */
            size_t start = world->len, kept = 0;
            double *last = NULL;
            for (size_t k = 0; k < n; k++) {
                double *p = r->buf + 2 * k;
                if (last != NULL && fabs(p[0] - last[0]) < 0.35 && fabs(p[1] - last[1]) < 0.35)
                    continue;
                double *q = sm__vec_push(world);
                if (q == NULL) {
                    sm__map_nomem(r->m, "inset");
                    return;
                }
                q[0] = p[0];
                q[1] = p[1];
                last = p;
                kept++;
            }
            if (kept < 4) {
                world->len = start;
            } else {
                /* A separator: NaN, NaN ends a ring. */
                double *q = sm__vec_push(world);
                if (q == NULL) {
                    sm__map_nomem(r->m, "inset");
                    return;
                }
                q[0] = q[1] = (double)NAN;
            }
        }
    }
}

/* Read the features meeting the window (one rectangle, or two when the
 * window crosses the antimeridian), each once. */
typedef void (*feature_fn)(reader *r, OGRFeatureH f, void *user);

static int cmp_fid(const void *a, const void *b)
{
    GIntBig x = *(const GIntBig *)a, y = *(const GIntBig *)b;
    return (x > y) - (x < y);
}

static void each_feature(reader *r, bool filter, feature_fn fn, void *user)
{
    const sm__view *v = &r->m->view;
    double rects[2][4];
    int nr = 1;
    if (!filter || r->to_wgs84 != NULL) {
        nr = 0;
    } else if (v->full_lon) {
        double rc[4] = {-180, v->lat_lo, 180, v->lat_hi};
        memcpy(rects[0], rc, sizeof(rc));
    } else {
        double lo = fmod(v->lon_lo + 540.0, 360.0) - 180.0, hi = lo + (v->lon_hi - v->lon_lo);
        double rc[4] = {lo, v->lat_lo, fmin(hi, 180), v->lat_hi};
        memcpy(rects[0], rc, sizeof(rc));
        if (hi > 180) {
            double rc2[4] = {-180, v->lat_lo, hi - 360, v->lat_hi};
            memcpy(rects[1], rc2, sizeof(rc2));
            nr = 2;
        }
    }
    sm__vec seen;
    sm__vec_init(&seen, sizeof(GIntBig));
    for (int pass = 0; pass < (nr == 0 ? 1 : nr); pass++) {
        if (nr == 0)
            OGR_L_SetSpatialFilter(r->layer, NULL);
        else
            OGR_L_SetSpatialFilterRect(r->layer, rects[pass][0], rects[pass][1], rects[pass][2],
                                       rects[pass][3]);
        OGR_L_ResetReading(r->layer);
        for (;;) {
            if (r->m->status != SM_OK)
                break; /* out of memory: the map fails */
            OGRFeatureH f = OGR_L_GetNextFeature(r->layer);
            if (f == NULL)
                break;
            GIntBig fid = OGR_F_GetFID(f);
            bool dup = false;
            if (nr == 2 && pass == 0) {
                GIntBig *s = sm__vec_push(&seen);
                if (s == NULL)
                    sm__map_nomem(r->m, "basemap");
                else
                    *s = fid;
            } else if (nr == 2) {
                dup = bsearch(&fid, seen.data, seen.len, sizeof(GIntBig), cmp_fid) != NULL;
            }
            if (!dup)
                fn(r, f, user);
            OGR_F_Destroy(f);
        }
        if (nr == 2 && pass == 0 && seen.len > 0)
            qsort(seen.data, seen.len, sizeof(GIntBig), cmp_fid);
    }
    sm__vec_free(&seen);
}

static int field(OGRFeatureH f, const char *const *names)
{
    for (; *names; names++) {
        int i = OGR_F_GetFieldIndex(f, *names);
        if (i >= 0)
            return i;
    }
    return -1;
}

typedef struct country_ctx {
    sm__vec *world;
    bool want_main;
} country_ctx;

static void country_feature(reader *r, OGRFeatureH f, void *user)
{
    country_ctx *cc = user;
    sm_map *m = r->m;
    static const char *const names[] = {"name", "NAME", "ADMIN", "NAME_EN", NULL};
    int fi = field(f, names);
    const char *name = fi >= 0 ? OGR_F_GetFieldAsString(f, fi) : "";
    int tag = (int)m->base.country_names.len;
    char **slot = sm__vec_push(&m->base.country_names);
    if (slot == NULL) {
        sm__map_nomem(m, "basemap");
        return;
    }
    *slot = sm__arena_strdup(&m->arena, name ? name : "");
    if (*slot == NULL) {
        m->base.country_names.len--;
        sm__map_nomem(m, "basemap");
        return;
    }
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (cc->world != NULL) {
        /* The inset wants every country; the map only those in its window. */
        OGREnvelope env;
        bool near = false;
        if (g != NULL) {
            OGR_G_GetEnvelope(g, &env);
            const sm__view *v = &m->view;
            near = env.MaxY >= v->lat_lo && env.MinY <= v->lat_hi &&
                   (v->full_lon || r->to_wgs84 != NULL ||
                    (env.MaxX >= v->lon_lo && env.MinX <= v->lon_hi) ||
                    (env.MaxX + 360 >= v->lon_lo && env.MinX + 360 <= v->lon_hi) ||
                    (env.MaxX - 360 >= v->lon_lo && env.MinX - 360 <= v->lon_hi));
        }
        size_t before = cc->world->len;
        add_polygons(r, g, near && cc->want_main ? &m->base.countries : NULL, tag, cc->world);
        /* mark the world rings of this country with its tag: a NaN, tag pair */
        if (cc->world->len > before) {
            double *q = sm__vec_push(cc->world);
            if (q == NULL) {
                sm__map_nomem(m, "inset");
            } else {
                q[0] = (double)NAN;
                q[1] = (double)tag;
            }
        }
    } else if (cc->want_main) {
        add_polygons(r, g, &m->base.countries, tag, NULL);
    }
}

static void land_feature(reader *r, OGRFeatureH f, void *user)
{
    (void)user;
    add_polygons(r, OGR_F_GetGeometryRef(f), &r->m->base.coast, 0, NULL);
}

typedef struct place_ctx {
    sm__vec *cands; /* sm__place */
    long min_pop;
} place_ctx;

static void place_feature(reader *r, OGRFeatureH f, void *user)
{
    place_ctx *pc = user;
    sm_map *m = r->m;
    static const char *const fname[] = {"name", "NAME", "asciiname", NULL};
    static const char *const fpop[] = {"pop", "population", "POP_MAX", "POP", NULL};
    static const char *const fcode[] = {"fcode", "feature_code", "FEATURECLA", NULL};
    int in = field(f, fname), ip = field(f, fpop), ic = field(f, fcode);
    if (in < 0)
        return;
    long pop = ip >= 0 ? (long)OGR_F_GetFieldAsInteger64(f, ip) : 0;
    const char *code = ic >= 0 ? OGR_F_GetFieldAsString(f, ic) : "";
    /* Sections of towns, and places historical, abandoned or destroyed. */
    if (!strcmp(code, "PPLX") || !strcmp(code, "PPLH") || !strcmp(code, "PPLQ") ||
        !strcmp(code, "PPLW") || !strcmp(code, "PPLCH"))
        return;
    int rank = !strcmp(code, "PPLC") || !strcmp(code, "Admin-0 capital") ? 0
               : !strcmp(code, "PPLA")                                   ? 1
                                                                         : 2;
    if (pop < pc->min_pop && rank > 0)
        return;
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (g == NULL || wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint)
        return;
    double xy[2] = {OGR_G_GetX(g, 0), OGR_G_GetY(g, 0)};
    if (r->to_wgs84 != NULL)
        OCTTransform(r->to_wgs84, 1, &xy[0], &xy[1], NULL);
    sm__to_canvas(m, xy, 1);
    if (xy[0] == HUGE_VAL || !sm__in_panel(m, xy[0], xy[1], 2))
        return;
    sm__place *p = sm__vec_push(pc->cands);
    if (p == NULL) {
        sm__map_nomem(m, "places");
        return;
    }
    p->x = xy[0];
    p->y = xy[1];
    p->pop = pop;
    p->rank = rank;
    p->name = sm__arena_strdup(&m->arena, OGR_F_GetFieldAsString(f, in));
    if (p->name == NULL) {
        pc->cands->len--;
        sm__map_nomem(m, "places");
    }
}

static int cmp_places(const void *a, const void *b)
{
    const sm__place *x = a, *y = b;
    if (x->rank != y->rank && (x->rank == 0 || y->rank == 0))
        return x->rank < y->rank ? -1 : 1;
    if (x->pop != y->pop)
        return x->pop > y->pop ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->x < y->x ? -1 : (x->x > y->x);
}

sm_status sm__basemap_load(sm_map *m)
{
    struct stat sb;
    if (stat(m->base.dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        sm__diag(m->ctx, m->base.bundled ? SM_SEV_WARNING : SM_SEV_ERROR, m->base.dir, -1, NULL,
                 "options.basemap_dir", "not a folder of shapefiles%s",
                 m->base.bundled ? "; drawing without a basemap" : "");
        return m->base.bundled ? SM_OK : SM_ERR_IO;
    }
    sm__gdal_init();
    reader r;
    bool want_countries = (m->show & (SM_MAP_COUNTRIES | SM_MAP_BORDERS)) != 0;
    bool want_inset = (m->show & SM_MAP_INSET) != 0;
    m->base.focus_country = -1;
    if ((want_countries || want_inset) &&
        open_layer(m, &r, "countries.shp", "country fills and borders")) {
        country_ctx cc = {NULL, want_countries};
        sm__vec *world = NULL;
        if (want_inset) {
            world = malloc(sizeof(*world));
            if (world == NULL)
                sm__map_nomem(m, "inset");
            else
                sm__vec_init(world, 2 * sizeof(double));
        }
        cc.world = world;
        each_feature(&r, world == NULL, country_feature, &cc);
        if (world != NULL) {
            m->base.world = *world;
            free(world);
        }
        close_layer(&r);
    }
    sm__map_progress(m, "basemap", 0.25);
    if ((m->show & SM_MAP_COAST) && open_layer(m, &r, "land.shp", "coastline")) {
        each_feature(&r, true, land_feature, NULL);
        close_layer(&r);
    }
    if ((m->show & SM_MAP_PLACES) && open_layer(m, &r, "places.shp", "places")) {
        double width_km = m->view.pw * m->view.km_per_pt;
        /* The floor rises with the map's width: about 10,000 people on a
         * map 500 km across, 80,000 at 2,000 km, a million at 10,000 km. */
        double floor_pop = 800.0 * pow(width_km / 100.0, 1.55);
        place_ctx pc;
        sm__vec cands;
        sm__vec_init(&cands, sizeof(sm__place));
        pc.cands = &cands;
        pc.min_pop = (long)fmin(fmax(floor_pop, 500), 3e6);
        each_feature(&r, true, place_feature, &pc);
        close_layer(&r);
        if (cands.len > 1)
            qsort(cands.data, cands.len, sizeof(sm__place), cmp_places);
        /* More candidates than can ever be placed only cost time. */
        size_t max = (size_t)(m->view.pw * m->view.ph / (70.0 * 44.0)) + 4;
        if (cands.len > 4 * max)
            cands.len = 4 * max;
        m->base.places = cands;
    }
    return SM_OK;
}
