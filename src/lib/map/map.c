/*
 * map.c: the public map API (strikemap/map.h): options and their defaults,
 * the order in which a map is laid out, the drawing order, and the part
 * names the CLI turns into --no-<part> switches.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "map/map_internal.h"

static const struct {
    const char *name;
    unsigned part;
} g_parts[] = {
    {"countries", SM_MAP_COUNTRIES},
    {"borders", SM_MAP_BORDERS},
    {"coast", SM_MAP_COAST},
    {"places", SM_MAP_PLACES},
    {"strikes", SM_MAP_STRIKES},
    {"fixes", SM_MAP_FIXES},
    {"tracks", SM_MAP_TRACKS},
    {"bases", SM_MAP_BASES},
    {"reach", SM_MAP_REACH},
    {"radius", SM_MAP_RADIUS},
    {"verdicts", SM_MAP_VERDICTS},
    {"labels", SM_MAP_LABELS},
    {"uncertainty", SM_MAP_UNCERTAINTY},
    {"title", SM_MAP_TITLE},
    {"legend", SM_MAP_LEGEND},
    {"scalebar", SM_MAP_SCALEBAR},
    {"north", SM_MAP_NORTH},
    {"graticule", SM_MAP_GRATICULE},
    {"inset", SM_MAP_INSET},
    {"attribution", SM_MAP_ATTRIBUTION},
};

#define SM__ALL_PARTS 0x7f1fffu

bool sm_map_part_parse(const char *name, unsigned *part)
{
    for (size_t i = 0; name != NULL && i < SM__ARRAY_LEN(g_parts); i++)
        if (strcasecmp(name, g_parts[i].name) == 0) {
            if (part != NULL)
                *part = g_parts[i].part;
            return true;
        }
    return false;
}

const char *sm_map_part_name(size_t index, unsigned *part)
{
    if (index >= SM__ARRAY_LEN(g_parts))
        return NULL;
    if (part != NULL)
        *part = g_parts[index].part;
    return g_parts[index].name;
}

void sm__map_progress(sm_map *m, const char *stage, double fraction)
{
    if (m->opt.progress != NULL)
        m->opt.progress(m->opt.progress_user, stage, fraction);
}

/* A copy of s in the map's arena; false when out of memory (s NULL stays
 * NULL). */
static bool keep(sm_map *m, const char **s)
{
    if (*s == NULL)
        return true;
    *s = sm__arena_strdup(&m->arena, *s);
    return *s != NULL;
}

char *sm__map_strfmt(sm_map *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = sm__vstrfmt(fmt, ap);
    va_end(ap);
    char *s = t != NULL ? sm__arena_strdup(&m->arena, t) : NULL;
    free(t);
    if (s == NULL)
        sm__map_nomem(m, NULL);
    return s;
}

void sm__map_nomem(sm_map *m, const char *what)
{
    if (m->status == SM_OK)
        m->status = sm__nomem(m->ctx, NULL, -1, NULL, what);
}

static sm_status check_options(sm_ctx *ctx, const sm_map_options *o)
{
    if (o->width_px < 16 || o->width_px > 30000 || o->height_px < 16 || o->height_px > 30000) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "--size",
                 "%dx%d pixels: each side must be from 16 to 30000", o->width_px, o->height_px);
        return SM_ERR_USAGE;
    }
    if (!(o->dpi >= 10 && o->dpi <= 2400)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "--dpi", "%g: must be from 10 to 2400", o->dpi);
        return SM_ERR_USAGE;
    }
    if (o->has_bbox) {
        const double *b = o->bbox;
        bool finite = isfinite(b[0]) && isfinite(b[1]) && isfinite(b[2]) && isfinite(b[3]);
        if (!finite || b[0] < -180 || b[0] > 180 || b[2] < -180 || b[2] > 180 || b[1] < -90 ||
            b[3] > 90 || b[1] >= b[3] || b[0] == b[2]) {
            sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "--bbox",
                     "%g,%g,%g,%g: expected west,south,east,north in degrees, longitudes from "
                     "-180 to 180 (west > east crosses the antimeridian), latitudes from -90 "
                     "to 90, south < north",
                     b[0], b[1], b[2], b[3]);
            return SM_ERR_USAGE;
        }
    }
    if (!(o->margin >= 0 && o->margin <= 2)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "margin", "%g: must be from 0 to 2", o->margin);
        return SM_ERR_USAGE;
    }
    return SM_OK;
}

/* Lay out a map on a canvas of W x H points. */
static sm_status map_create(sm_ctx *ctx, const sm_claims *claims, const sm_check *check,
                            const sm_map_options *options, double W, double H, sm_map **out)
{
    sm_map *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return SM_ERR_NOMEM;
    *out = m;
    m->ctx = ctx;
    m->claims = claims;
    if (options != NULL)
        m->opt = *options;
    sm_map_options *o = &m->opt;
    if (!keep(m, &o->crs) || !keep(m, &o->title) || !keep(m, &o->subtitle) ||
        !keep(m, &o->basemap_dir) || !keep(m, &o->style_path))
        return sm__nomem(ctx, NULL, -1, NULL, "map options");
    if (o->n_areas > 0 && o->areas != NULL) {
        sm_map_area *areas = o->n_areas < SIZE_MAX / sizeof(*areas)
                                 ? sm__arena_alloc(&m->arena, o->n_areas * sizeof(*areas))
                                 : NULL;
        if (areas == NULL)
            return sm__nomem(ctx, NULL, -1, NULL, "map areas");
        for (size_t i = 0; i < o->n_areas; i++) {
            areas[i] = o->areas[i];
            if (!keep(m, &areas[i].label))
                return sm__nomem(ctx, NULL, -1, NULL, "map areas");
        }
        o->areas = areas;
    } else {
        o->areas = NULL;
        o->n_areas = 0;
    }
    if (o->crs != NULL && o->crs[0] == '\0')
        o->crs = NULL;
    if (o->width_px == 0 && o->height_px == 0) {
        o->width_px = 2000;
        o->height_px = 1500;
    }
    if (o->dpi == 0)
        o->dpi = 200;
    if (o->margin == 0)
        o->margin = 0.08;
    sm_status st = check_options(ctx, o);
    if (st != SM_OK)
        return st;
    m->show = SM__ALL_PARTS & ~o->hide;
    sm__vec_init(&m->marks, sizeof(sm__mark));
    sm__vec_init(&m->rings, sizeof(sm__ring));
    sm__vec_init(&m->arrows, sizeof(sm__arrow));
    sm__vec_init(&m->places, sizeof(sm__place));
    sm__vec_init(&m->country_names, sizeof(char *));
    sm__vec_init(&m->world, 2 * sizeof(double));
    sm__paths_init(&m->countries);
    sm__paths_init(&m->coast);
    sm__paths_init(&m->tracks);
    sm__paths_init(&m->vlines);
    sm__paths_init(&m->areas);
    sm__style_defaults(&m->style);
    if (o->style_path != NULL) {
        st = sm__style_load(ctx, &m->style, o->style_path, &m->arena);
        if (st != SM_OK)
            return st;
    }
    if (o->basemap_dir != NULL) {
        m->basemap_dir = o->basemap_dir;
    } else {
        m->basemap_dir = sm__map_strfmt(m, "%s/shapefiles", sm_ctx_home(ctx));
        m->basemap_bundled = true;
    }
    if (m->basemap_dir == NULL)
        return m->status;
    if (!m->basemap_bundled && m->style.attribution_default) {
        const char *base = strrchr(m->basemap_dir, '/');
        m->style.attribution =
            sm__map_strfmt(m, "Basemap: %s", base != NULL && base[1] ? base + 1 : m->basemap_dir);
        if (m->style.attribution == NULL)
            return m->status;
    }

    sm__view *v = &m->view;
    v->W = W;
    v->H = H;
    v->dev = o->dpi / 72.0;
    v->width_px = o->width_px;
    v->height_px = o->height_px;
    /* Points closer than a quarter of a pixel (at most 0.12 pt, a
     * twentieth of a millimetre in print) are merged. */
    m->tol = fmin(0.12, 0.25 / v->dev);

    if (check != NULL) {
        m->check = check;
    } else {
        /* the embedded check options are versioned by the map options' own
         * layout (sm_map_options), so their size is set here */
        sm_check_options co = o->check;
        co.size = sizeof(co);
        st = sm_check_run(ctx, claims, &co, &m->own_check);
        if (st != SM_OK)
            return st;
        m->check = m->own_check;
    }
    sm__map_progress(m, "layout", 0.05);
    sm__labels_init(m);
    if (m->pango == NULL) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL,
                 "no Pango context for the map's text (fontconfig found no fonts?)");
        return SM_ERR_RENDER;
    }
    sm__furniture_frame(m);
    if (m->status != SM_OK)
        return m->status;
    st = sm__map_extent(m);
    if (st != SM_OK)
        return st;
    if (m->status != SM_OK)
        return m->status;
    sm__map_progress(m, "basemap", 0.1);
    st = sm__basemap_load(m);
    if (st != SM_OK)
        return st;
    if (m->status != SM_OK)
        return m->status;
    sm__map_progress(m, "claims", 0.35);
    st = sm__layers_build(m);
    if (st != SM_OK)
        return st;
    if (m->status != SM_OK)
        return m->status;
    st = sm__furniture_build(m);
    if (st != SM_OK)
        return st;
    if (m->status != SM_OK)
        return m->status;
    sm__map_progress(m, "labels", 0.6);
    /* Claims first, then the legend and inset where claims leave room,
     * then country and place names in what is left. */
    sm__labels_place(m, SM__PRIO_FURNITURE);
    sm__furniture_place(m);
    sm__labels_place(m, 1 << 30);
    if (m->status != SM_OK)
        return m->status;
    if (m->labels_dropped > 0)
        sm__diag(ctx, SM_SEV_WARNING, NULL, -1, NULL, "labels",
                 "%zu claim %s did not fit without overlapping and %s left out (a larger "
                 "--size or a smaller --bbox makes room)",
                 m->labels_dropped, m->labels_dropped == 1 ? "label" : "labels",
                 m->labels_dropped == 1 ? "was" : "were");
    sm__map_progress(m, "drawing", 0.7);
    return SM_OK;
}

sm_status sm_map_new(sm_ctx *ctx, const sm_claims *claims, const sm_check *check,
                     const sm_map_options *options, sm_map **out)
{
    if (out == NULL)
        return SM_ERR_USAGE;
    *out = NULL;
    if (ctx == NULL || claims == NULL)
        return SM_ERR_USAGE;
    sm_map_options o;
    if (options != NULL)
        o = *options;
    else
        memset(&o, 0, sizeof(o));
    int w = o.width_px == 0 && o.height_px == 0 ? 2000 : o.width_px;
    int h = o.width_px == 0 && o.height_px == 0 ? 1500 : o.height_px;
    double dpi = o.dpi == 0 ? 200 : o.dpi;
    sm_map *m = NULL;
    sm_status st = map_create(ctx, claims, check, options, w * 72.0 / dpi, h * 72.0 / dpi, &m);
    if (st != SM_OK) {
        sm_map_free(m);
        return st;
    }
    *out = m;
    return SM_OK;
}

void sm_map_free(sm_map *m)
{
    if (m == NULL)
        return;
    sm__furniture_free(m);
    sm__layers_free(m);
    sm__labels_free(m);
    sm__paths_free(&m->countries);
    sm__paths_free(&m->coast);
    sm__vec_free(&m->places);
    sm__vec_free(&m->country_names);
    sm__vec_free(&m->world);
    sm__proj_close(&m->proj);
    sm_check_free(m->own_check);
    sm__arena_free(&m->arena);
    free(m);
}

void sm_map_size(const sm_map *m, double *width_pt, double *height_pt)
{
    if (width_pt != NULL)
        *width_pt = m->view.W;
    if (height_pt != NULL)
        *height_pt = m->view.H;
}

cairo_status_t sm__map_draw(sm_map *m, cairo_t *cr, bool banded)
{
    const sm__view *v = &m->view;
    cairo_save(cr);
    sm__draw d;
    memset(&d, 0, sizeof(d));
    d.cr = cr;
    /* Markers may be stamped only where user space maps to whole device
     * pixels by a uniform scale: an image surface, no rotation. */
    cairo_matrix_t mx;
    cairo_get_matrix(cr, &mx);
    cairo_surface_t *target = cairo_get_group_target(cr);
    if (cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE && mx.xy == 0 && mx.yx == 0 &&
        mx.xx > 0 && mx.xx == mx.yy) {
        double ox, oy;
        cairo_surface_get_device_offset(target, &ox, &oy);
        d.raster = true;
        d.dev_k = mx.xx;
        d.dev_x = mx.x0 + ox;
        d.dev_y = mx.y0 + oy;
        /* Our own image (sm_map_write), with no clip but the panel: markers
         * can be composited into its pixels directly. */
        if (target == m->own_image && cairo_get_target(cr) == target) {
            d.blit = true;
            d.banded = banded;
            int w = cairo_image_surface_get_width(target),
                h = cairo_image_surface_get_height(target);
            d.blit_clip[0] = (int)fmax(0, ceil(d.dev_x + v->px * d.dev_k - 1e-6));
            d.blit_clip[1] = (int)fmax(0, ceil(d.dev_y + v->py * d.dev_k - 1e-6));
            d.blit_clip[2] = (int)fmin(w, floor(d.dev_x + (v->px + v->pw) * d.dev_k + 1e-6));
            d.blit_clip[3] = (int)fmin(h, floor(d.dev_y + (v->py + v->ph) * d.dev_k + 1e-6));
        }
    }
    cairo_clip_extents(cr, &d.clip[0], &d.clip[1], &d.clip[2], &d.clip[3]);
    /* what may show: the clip, plus the widest stroke or halo */
    d.cull[0] = d.clip[0] - 10;
    d.cull[1] = d.clip[1] - 10;
    d.cull[2] = d.clip[2] + 10;
    d.cull[3] = d.clip[3] + 10;

    cairo_rectangle(cr, 0, 0, v->W, v->H);
    sm__set_rgba(cr, m->style.paper);
    cairo_fill(cr);
    cairo_save(cr);
    cairo_rectangle(cr, v->px, v->py, v->pw, v->ph);
    cairo_clip(cr);
    cairo_rectangle(cr, v->px, v->py, v->pw, v->ph);
    sm__set_rgba(cr, m->style.ocean);
    cairo_fill(cr);
    sm__draw_basemap(m, &d);
    sm__draw_furniture_under(m, &d);
    sm__draw_layers_under(m, &d);
    sm__draw_layers_over(m, &d);
    sm__draw_labels(m, &d);
    cairo_restore(cr);
    sm__draw_furniture_over(m, &d);
    cairo_status_t cs = cairo_status(cr);
    cairo_restore(cr);
    return cs;
}

sm_status sm_map_draw(sm_map *m, cairo_t *cr)
{
    if (m == NULL || cr == NULL)
        return SM_ERR_USAGE;
    cairo_status_t cs = sm__map_draw(m, cr, false);
    if (cs == CAIRO_STATUS_NO_MEMORY)
        return sm__nomem(m->ctx, NULL, -1, NULL, "drawing the map");
    if (cs != CAIRO_STATUS_SUCCESS) {
        sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL, "cairo: %s",
                 cairo_status_to_string(cs));
        return SM_ERR_RENDER;
    }
    return SM_OK;
}

bool sm_map_lonlat_to_canvas(const sm_map *m, double lon, double lat, double *x, double *y)
{
    double q[2] = {lon, lat};
    sm__to_canvas(m, q, 1);
    if (q[0] == HUGE_VAL)
        return false;
    *x = q[0];
    *y = q[1];
    return true;
}

void sm_map_geotransform(const sm_map *m, double gt[6])
{
    const sm__view *v = &m->view;
    double res = 1.0 / (v->k * v->dev);
    gt[0] = v->x_min - v->px / v->k;
    gt[1] = res;
    gt[2] = 0;
    gt[3] = v->y_max + v->py / v->k;
    gt[4] = 0;
    gt[5] = -res;
}

const char *sm_map_crs_wkt(const sm_map *m)
{
    return m->proj.wkt != NULL ? m->proj.wkt : "";
}

sm_status sm_map_render_file(sm_ctx *ctx, const sm_claims *claims, const sm_check *check,
                             const sm_map_options *options, const char *path)
{
    sm_map *m = NULL;
    sm_status st = sm_map_new(ctx, claims, check, options, &m);
    if (st == SM_OK)
        st = sm_map_write(m, path);
    sm_map_free(m);
    return st;
}

sm_status sm_map_render_cairo(sm_ctx *ctx, const sm_claims *claims, const sm_check *check,
                              const sm_map_options *options, cairo_t *cr, double width,
                              double height)
{
    if (ctx == NULL || claims == NULL || cr == NULL || !(width >= 16) || !(height >= 16))
        return SM_ERR_USAGE;
    sm_map_options o;
    if (options != NULL)
        o = *options;
    else
        memset(&o, 0, sizeof(o));
    /* The canvas is width x height points; the pixel size only matters for
     * merging points closer than a pixel, so take 72 dpi. */
    o.dpi = 72;
    o.width_px = (int)ceil(width);
    o.height_px = (int)ceil(height);
    if (o.width_px > 30000 || o.height_px > 30000)
        return SM_ERR_USAGE;
    sm_map *m = NULL;
    sm_status st = map_create(ctx, claims, check, &o, width, height, &m);
    if (st == SM_OK)
        st = sm_map_draw(m, cr);
    sm_map_free(m);
    return st;
}
