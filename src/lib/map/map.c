/*
 * map.c: the map's driver: the part table (what the map draws, in the
 * order it is built and drawn), the public API (strikemap/map.h), options
 * and their defaults, the order in which a map is laid out, and drawing.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "map/map_base_names2.h"
#include "map/map_internal.h"
#include "map/map_svg.h"

/* The parts of the map, in the order they are built (each stage) and drawn
 * (each phase): the basemap, the graticule's lines, rings under lines
 * under markers (strikes on top), then the furniture. The legend lists
 * them by legend_rank. */
static const sm__part_def g_parts[] = {
    {"countries", SM_MAP_COUNTRIES, false, NULL, sm__countries_draw, NULL, 0,
     "colour.land colour.land.focus", "country fills"},
    {"country-names", SM_MAP_COUNTRY_NAMES, false, sm__country_names_build, NULL, NULL, 0,
     "colour.country.label size.country", "country names (with the fills)"},
    {"borders", SM_MAP_BORDERS, false, NULL, sm__borders_draw, NULL, 0,
     "colour.border width.border", "country borders"},
    {"coast", SM_MAP_COAST, false, NULL, sm__coast_draw, NULL, 0, "colour.coast width.coast",
     "coastline (outline of land.shp)"},
    {"places", SM_MAP_PLACES, false, sm__places_build, sm__places_draw, NULL, 0,
     "colour.place colour.place.label size.place size.place.major size.place.dot",
     "populated places and their names"},
    {"graticule", SM_MAP_GRATICULE, false, NULL, sm__graticule_draw, NULL, 0,
     "colour.graticule width.graticule size.graticule", "meridians, parallels, degree labels"},
    {"radius", SM_MAP_RADIUS, false, sm__radius_build, sm__radius_draw, sm__radius_legend, 7,
     "colour.radius width.radius", "combat-radius rings around bases"},
    {"reach", SM_MAP_REACH, false, sm__reach_build, sm__reach_draw, sm__reach_legend, 6,
     "colour.verdict.* width.ring alpha.ring", "reach rings of checked pairs"},
    {"uncertainty", SM_MAP_UNCERTAINTY, false, sm__uncertainty_build, sm__uncertainty_draw,
     sm__uncertainty_legend, 8, "colour.uncertainty width.uncertainty",
     "location uncertainty circles"},
    {"tracks", SM_MAP_TRACKS, false, sm__tracks_build, sm__tracks_draw, sm__tracks_legend, 3,
     "colour.track width.track", "track lines, direction arrows, times"},
    {"verdicts", SM_MAP_VERDICTS, false, sm__verdicts_build, sm__verdicts_draw, sm__verdicts_legend,
     5, "colour.verdict.* width.verdict", "fix-to-strike lines"},
    {"bases", SM_MAP_BASES, false, sm__bases_build, sm__bases_draw, sm__bases_legend, 4,
     "colour.base colour.base.label size.base", "air bases"},
    {"fixes", SM_MAP_FIXES, false, sm__fixes_build, sm__fixes_draw, sm__fixes_legend, 2,
     "colour.aircraft colour.aircraft.label size.fix", "claimed aircraft positions"},
    {"strikes", SM_MAP_STRIKES, false, sm__strikes_build, sm__strikes_draw, sm__strikes_legend, 1,
     "colour.strike* size.strike", "strike markers"},
    {"clusters", SM_MAP_CLUSTERS, false, NULL, NULL, NULL, 0, "colour.strike size.strike",
     "strikes that would overlap, merged into one marker with their count"},
    {"labels", SM_MAP_LABELS, false, sm__claim_labels_build, NULL, NULL, 0,
     "size.label colour.*.label", "names of strikes, aircraft, bases"},
    {"base-names-2", SM__PART_BASE_NAMES_2, true, sm__base_names2_build, NULL, NULL, 0,
     "colour.base.label size.label", "each base's name in its second script"},
    {"scalebar", SM_MAP_SCALEBAR, false, NULL, sm__scalebar_draw, NULL, 0, "colour.text",
     "scale bar"},
    {"north", SM_MAP_NORTH, false, NULL, sm__north_draw, NULL, 0, "colour.text", "north arrow"},
    {"legend", SM_MAP_LEGEND, false, NULL, sm__legend_part_draw, NULL, 0, "size.legend colour.text",
     "legend"},
    {"inset", SM_MAP_INSET, false, NULL, sm__inset_part_draw, NULL, 0,
     "colour.inset.land colour.inset.ocean colour.inset.box", "locator globe"},
    {"title", SM_MAP_TITLE, false, NULL, sm__title_draw, NULL, 0,
     "size.title size.subtitle colour.text colour.muted", "title and subtitle"},
    {"attribution", SM_MAP_ATTRIBUTION, false, NULL, sm__attribution_draw, NULL, 0,
     "attribution colour.muted size.small", "basemap and claim sources"},
};

/* The parts drawn when none is hidden. */
static unsigned default_parts(void)
{
    unsigned all = 0;
    for (size_t i = 0; i < SM__ARRAY_LEN(g_parts); i++)
        if (!g_parts[i].off_by_default)
            all |= g_parts[i].bit;
    return all;
}

/* Every part the table knows. */
static unsigned known_parts(void)
{
    unsigned all = 0;
    for (size_t i = 0; i < SM__ARRAY_LEN(g_parts); i++)
        all |= g_parts[i].bit;
    return all;
}

bool sm_map_part_parse(const char *name, unsigned *part)
{
    for (size_t i = 0; name != NULL && i < SM__ARRAY_LEN(g_parts); i++)
        if (strcasecmp(name, g_parts[i].name) == 0) {
            if (part != NULL)
                *part = g_parts[i].bit;
            return true;
        }
    return false;
}

const char *sm_map_part_name(size_t index, unsigned *part)
{
    if (index >= SM__ARRAY_LEN(g_parts))
        return NULL;
    if (part != NULL)
        *part = g_parts[index].bit;
    return g_parts[index].name;
}

bool sm_map_part_is_default(unsigned part)
{
    return (default_parts() & part) == part;
}

const char *sm_map_part_about(unsigned part)
{
    for (size_t i = 0; i < SM__ARRAY_LEN(g_parts); i++)
        if (g_parts[i].bit == part)
            return g_parts[i].about;
    return NULL;
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

static sm_status check_options(sm_ctx *ctx, const sm_map_options *o)
{
    if (o->width_px < 16 || o->width_px > 30000 || o->height_px < 16 || o->height_px > 30000) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.width_px",
                 "%dx%d pixels: each side must be from 16 to 30000", o->width_px, o->height_px);
        return SM_ERR_USAGE;
    }
    if (!(o->dpi >= 10 && o->dpi <= 2400)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.dpi", "%g: must be from 10 to 2400",
                 o->dpi);
        return SM_ERR_USAGE;
    }
    if (o->has_bbox) {
        const double *b = o->bbox;
        bool finite = isfinite(b[0]) && isfinite(b[1]) && isfinite(b[2]) && isfinite(b[3]);
        if (finite && b[1] > b[3]) {
            sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.bbox",
                     "%g,%g,%g,%g: south (%g) is north of north (%g): south and north swapped? "
                     "(expected west,south,east,north)",
                     b[0], b[1], b[2], b[3], b[1], b[3]);
            return SM_ERR_USAGE;
        }
        if (!finite || b[0] < -180 || b[0] > 180 || b[2] < -180 || b[2] > 180 || b[1] < -90 ||
            b[3] > 90 || b[1] >= b[3] || b[0] == b[2]) {
            sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.bbox",
                     "%g,%g,%g,%g: expected west,south,east,north in degrees, longitudes from "
                     "-180 to 180 (west > east crosses the antimeridian), latitudes from -90 "
                     "to 90, south < north",
                     b[0], b[1], b[2], b[3]);
            return SM_ERR_USAGE;
        }
        /* West > east crosses the antimeridian; a box that would then go
         * more than half round the world is west and east swapped. */
        if (b[0] > b[2] && b[2] + 360 - b[0] > 180) {
            sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.bbox",
                     "%g,%g,%g,%g: west (%g) is east of east (%g): west and east swapped? "
                     "(west > east means a box across the antimeridian, and this one would "
                     "span %g degrees of longitude; at most 180 are taken that way)",
                     b[0], b[1], b[2], b[3], b[0], b[2], b[2] + 360 - b[0]);
            return SM_ERR_USAGE;
        }
    }
    if (!(o->margin >= 0 && o->margin <= 2)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.margin", "%g: must be from 0 to 2",
                 o->margin);
        return SM_ERR_USAGE;
    }
    return SM_OK;
}

void sm_map_options_init(sm_map_options *o)
{
    if (o == NULL)
        return;
    memset(o, 0, sizeof(*o));
    o->size = sizeof(*o);
}

/* Options of another layout (a program built against another map.h) are
 * refused before any other field is read. */
static sm_status check_size(sm_ctx *ctx, const sm_map_options *o)
{
    if (o == NULL || o->size == sizeof(*o))
        return SM_OK;
    sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.size",
             "%zu: not the size of this library's sm_map_options (%zu); fill the options with "
             "sm_map_options_init() or SM_MAP_OPTIONS_INIT and rebuild against this "
             "strikemap/map.h",
             o->size, sizeof(*o));
    return SM_ERR_USAGE;
}

/* Every part's build for one stage, in table order; stops at the first
 * failure. */
static sm_status build_stage(sm_map *m, int stage)
{
    for (size_t i = 0; i < SM__ARRAY_LEN(g_parts) && m->status == SM_OK; i++)
        if (g_parts[i].build != NULL)
            g_parts[i].build(m, stage);
    return m->status;
}

/* The legend's lines, from the parts shown, by legend rank. */
static void build_legend(sm_map *m)
{
    if (!(m->show & SM_MAP_LEGEND))
        return;
    for (int rank = 1; rank <= (int)SM__ARRAY_LEN(g_parts); rank++)
        for (size_t i = 0; i < SM__ARRAY_LEN(g_parts); i++)
            if (g_parts[i].legend != NULL && g_parts[i].legend_rank == rank &&
                (m->show & g_parts[i].bit))
                g_parts[i].legend(m, &m->furn.legend);
}

/* Copy the caller's options into the map (strings into its arena) and
 * fill in the defaults. */
static sm_status take_options(sm_map *m, const sm_map_options *options)
{
    sm_ctx *ctx = m->ctx;
    if (options != NULL)
        m->opt = *options;
    sm_map_options *o = &m->opt;
    if (!keep(m, &o->crs) || !keep(m, &o->title) || !keep(m, &o->subtitle) ||
        !keep(m, &o->basemap_dir) || !keep(m, &o->style_path) || !keep(m, &o->strike_id) ||
        !keep(m, &o->where) || !keep(m, &o->theme))
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
    m->show = (default_parts() | (o->show & known_parts())) & ~o->hide;
    return SM_OK;
}

/* The style, and the basemap's folder and credit. */
static sm_status take_style(sm_map *m)
{
    sm_map_options *o = &m->opt;
    sm__style_defaults(&m->style);
    if (!sm__style_theme(&m->style, o->theme)) {
        sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.theme",
                 "\"%s\": not a theme; expected light, dark or print", o->theme);
        return SM_ERR_USAGE;
    }
    if (o->style_path != NULL) {
        sm_status st = sm__style_load(m->ctx, &m->style, o->style_path, &m->arena);
        if (st != SM_OK)
            return st;
    }
    if (o->basemap_dir != NULL) {
        m->base.dir = o->basemap_dir;
    } else {
        m->base.dir = sm__map_strfmt(m, "%s/shapefiles", sm_ctx_home(m->ctx));
        m->base.bundled = true;
    }
    if (m->base.dir == NULL)
        return m->status;
    if (!m->base.bundled && m->style.attribution_default) {
        const char *base = strrchr(m->base.dir, '/');
        m->style.attribution =
            sm__map_strfmt(m, "Basemap: %s", base != NULL && base[1] ? base + 1 : m->base.dir);
        if (m->style.attribution == NULL)
            return m->status;
    }
    return SM_OK;
}

/* Lay out the map once the view is set: the basemap, every part's
 * geometry, labels, furniture. */
static sm_status lay_out(sm_map *m)
{
    sm__tracks_start(m);
    sm__map_progress(m, "basemap", 0.1);
    sm_status st = sm__basemap_load(m);
    if (st != SM_OK || m->status != SM_OK)
        return st != SM_OK ? st : m->status;
    sm__map_progress(m, "claims", 0.35);
    st = sm__claims_prepare(m);
    if (st != SM_OK)
        return st;
    if (build_stage(m, SM__STAGE_LAYERS) != SM_OK)
        return m->status;
    sm__claims_finish(m);
    if (build_stage(m, SM__STAGE_LABELS) != SM_OK)
        return m->status;
    st = sm__furniture_build(m);
    if (st != SM_OK || m->status != SM_OK)
        return st != SM_OK ? st : m->status;
    sm__map_progress(m, "labels", 0.6);
    /* Claims first, then the legend and inset where claims leave room,
     * then country and place names in what is left. */
    sm__labels_place(m, SM__PRIO_FURNITURE);
    build_legend(m);
    sm__furniture_place(m);
    sm__labels_place(m, 1 << 30);
    if (m->status != SM_OK)
        return m->status;
    if (m->lab.dropped > 0)
        sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "labels",
                 "%zu claim %s did not fit without overlapping and %s left out (a larger "
                 "options.width_px and options.height_px or a smaller options.bbox makes room)",
                 m->lab.dropped, m->lab.dropped == 1 ? "label" : "labels",
                 m->lab.dropped == 1 ? "was" : "were");
    sm__map_progress(m, "drawing", 0.7);
    return SM_OK;
}

/* Lay out a map on a canvas of W x H points. */
static sm_status map_create(sm_ctx *ctx, const sm_claims *claims, sm_claims_stream *stream,
                            const sm_check *check, const sm_map_options *options, double W,
                            double H, sm_map **out)
{
    sm_map *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return SM_ERR_NOMEM;
    *out = m;
    m->ctx = ctx;
    m->claims = stream != NULL ? sm_claims_stream_claims(stream) : claims;
    m->stream = stream;
    sm__labels_init(&m->lab);
    sm__basemap_init(&m->base);
    sm__rings_init(&m->rg);
    sm__claims_init(&m->cl);
    sm__furniture_init(&m->furn);
    sm_status st = take_options(m, options);
    if (st == SM_OK)
        st = take_style(m);
    if (st != SM_OK)
        return st;
    sm__view *v = &m->view;
    v->W = W;
    v->H = H;
    v->dev = m->opt.dpi / 72.0;
    v->width_px = m->opt.width_px;
    v->height_px = m->opt.height_px;
    /* Points closer than a quarter of a pixel (at most 0.12 pt, a
     * twentieth of a millimetre in print) are merged. */
    v->tol = fmin(0.12, 0.25 / v->dev);
    v->mark_scale = 1;

    /* the pairs, compact (map_pairs.h); without a check, taken from the
     * engine one by one */
    m->check = check;
    st = sm__map_pairs_take(m, check);
    if (st != SM_OK)
        return st;
    st = sm__focus_build(m);
    if (st != SM_OK)
        return st;
    sm__map_progress(m, "layout", 0.05);
    sm__furniture_frame(m);
    if (m->status != SM_OK)
        return m->status;
    st = sm__map_extent(m);
    if (st != SM_OK || m->status != SM_OK)
        return st != SM_OK ? st : m->status;
    return lay_out(m);
}

static sm_status new_map(sm_ctx *ctx, const sm_claims *claims, sm_claims_stream *stream,
                         const sm_check *check, const sm_map_options *options, sm_map **out)
{
    if (out == NULL)
        return SM_ERR_USAGE;
    *out = NULL;
    if (ctx == NULL || (claims == NULL && stream == NULL))
        return SM_ERR_USAGE;
    sm_status refused = check_size(ctx, options);
    if (refused != SM_OK)
        return refused;
    sm_map_options o;
    if (options != NULL)
        o = *options;
    else
        sm_map_options_init(&o);
    int w = o.width_px == 0 && o.height_px == 0 ? 2000 : o.width_px;
    int h = o.width_px == 0 && o.height_px == 0 ? 1500 : o.height_px;
    double dpi = o.dpi == 0 ? 200 : o.dpi;
    sm_map *m = NULL;
    sm_status st =
        map_create(ctx, claims, stream, check, options, w * 72.0 / dpi, h * 72.0 / dpi, &m);
    if (st != SM_OK) {
        sm_map_free(m);
        return st;
    }
    *out = m;
    return SM_OK;
}

sm_status sm_map_new(sm_ctx *ctx, const sm_claims *claims, const sm_check *check,
                     const sm_map_options *options, sm_map **out)
{
    if (claims == NULL) {
        if (out != NULL)
            *out = NULL;
        return SM_ERR_USAGE;
    }
    return new_map(ctx, claims, NULL, check, options, out);
}

sm_status sm_map_new_stream(sm_ctx *ctx, sm_claims_stream *stream, const sm_map_options *options,
                            sm_map **out)
{
    if (stream == NULL) {
        if (out != NULL)
            *out = NULL;
        return SM_ERR_USAGE;
    }
    return new_map(ctx, NULL, stream, NULL, options, out);
}

void sm_map_free(sm_map *m)
{
    if (m == NULL)
        return;
    sm__tracks_stop(m); /* (its thread reads the map) */
    sm__furniture_free(&m->furn);
    sm__claims_free(&m->cl);
    sm__rings_free(&m->rg);
    sm__raster_free(&m->raster);
    sm__labels_free(&m->lab);
    sm__text_free(&m->text);
    sm__basemap_free(&m->base);
    sm__proj_close(&m->proj);
    sm__focus_free(&m->focus);
    sm__map_pairs_free(&m->pairs);
    sm__arena_free(&m->arena);
    if (m->points != NULL)
        fclose(m->points);
    if (m->canvas != NULL)
        fclose(m->canvas);
    free(m);
}

void sm_map_size(const sm_map *m, double *width_pt, double *height_pt)
{
    if (width_pt != NULL)
        *width_pt = m->view.W;
    if (height_pt != NULL)
        *height_pt = m->view.H;
}

/* Every part's draw for the phases from..to, in table order. */
static void draw_phases(sm_map *m, const sm__draw *d, int from, int to)
{
    for (int phase = from; phase <= to; phase++)
        for (size_t i = 0; i < SM__ARRAY_LEN(g_parts); i++)
            if (g_parts[i].draw != NULL) {
                if (d->svg != NULL)
                    sm__svg_begin(d->svg, d->cr, g_parts[i].name, phase);
                g_parts[i].draw(m, d, phase);
            }
}

/* What a drawing of the map on cr targets (sm__draw), from cr's matrix,
 * target and clip; own: cr may target the map's own image (read from
 * m->raster, which only the drawing thread may). */
static void draw_begin(sm_map *m, cairo_t *cr, bool own, bool banded, sm__svg *svg, sm__draw *d)
{
    const sm__view *v = &m->view;
    memset(d, 0, sizeof(*d));
    d->cr = cr;
    d->svg = svg;
    /* Markers may be stamped only where user space maps to whole device
     * pixels by a uniform scale: an image surface, no rotation. */
    cairo_matrix_t mx;
    cairo_get_matrix(cr, &mx);
    cairo_surface_t *target = cairo_get_group_target(cr);
    if (cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE && mx.xy == 0 && mx.yx == 0 &&
        mx.xx > 0 && mx.xx == mx.yy) {
        double ox, oy;
        cairo_surface_get_device_offset(target, &ox, &oy);
        d->raster = true;
        d->dev_k = mx.xx;
        d->dev_x = mx.x0 + ox;
        d->dev_y = mx.y0 + oy;
        /* Our own image (sm_map_write), with no clip but the panel: markers
         * can be composited into its pixels directly. */
        if (own && target == m->raster.own_image && cairo_get_target(cr) == target) {
            d->blit = true;
            d->banded = banded;
            int w = cairo_image_surface_get_width(target),
                h = cairo_image_surface_get_height(target);
            d->blit_clip[0] = (int)fmax(0, ceil(d->dev_x + v->px * d->dev_k - 1e-6));
            d->blit_clip[1] = (int)fmax(0, ceil(d->dev_y + v->py * d->dev_k - 1e-6));
            d->blit_clip[2] = (int)fmin(w, floor(d->dev_x + (v->px + v->pw) * d->dev_k + 1e-6));
            d->blit_clip[3] = (int)fmin(h, floor(d->dev_y + (v->py + v->ph) * d->dev_k + 1e-6));
            d->tracks_mask[0] = m->raster.own_tracks[0];
            d->tracks_mask[1] = m->raster.own_tracks[1];
        }
    }
    cairo_clip_extents(cr, &d->clip[0], &d->clip[1], &d->clip[2], &d->clip[3]);
    /* what may show: the clip, plus the widest stroke or halo */
    d->cull[0] = d->clip[0] - 10;
    d->cull[1] = d->clip[1] - 10;
    d->cull[2] = d->clip[2] + 10;
    d->cull[3] = d->clip[3] + 10;
}

void sm__map_tracks_mask(sm_map *m, cairo_t *cr, int pass)
{
    const sm__view *v = &m->view;
    cairo_save(cr);
    sm__draw d;
    draw_begin(m, cr, false, true, NULL, &d);
    d.banded = true; /* cut as the band's own drawing cuts them */
    cairo_rectangle(cr, v->px, v->py, v->pw, v->ph);
    cairo_clip(cr);
    sm__tracks_mask_draw(m, &d, pass);
    cairo_restore(cr);
}

cairo_status_t sm__map_draw(sm_map *m, cairo_t *cr, bool banded, sm__svg *svg)
{
    const sm__view *v = &m->view;
    cairo_save(cr);
    sm__draw d;
    draw_begin(m, cr, true, banded, svg, &d);

    cairo_rectangle(cr, 0, 0, v->W, v->H);
    sm__set_rgba(cr, m->style.paper);
    cairo_fill(cr);
    /* (after the paper: cairo drops what a paint of the whole page covers) */
    if (svg != NULL)
        sm__svg_begin(svg, cr, "ocean", -1);
    cairo_save(cr);
    cairo_rectangle(cr, v->px, v->py, v->pw, v->ph);
    cairo_clip(cr);
    cairo_rectangle(cr, v->px, v->py, v->pw, v->ph);
    sm__set_rgba(cr, m->style.ocean);
    cairo_fill(cr);
    draw_phases(m, &d, SM__PHASE_LAND, SM__PHASE_MARKS);
    if (svg != NULL)
        sm__svg_begin(svg, cr, "labels", -1);
    sm__draw_labels(m, &d);
    cairo_restore(cr);
    draw_phases(m, &d, SM__PHASE_FURNITURE, SM__PHASE_FURNITURE);
    /* the frame, between the boxes over the map and the text around it */
    if (svg != NULL)
        sm__svg_begin(svg, cr, "frame", -1);
    cairo_rectangle(cr, v->px, v->py, v->pw, v->ph);
    sm__set_rgba(cr, m->style.frame);
    cairo_set_line_width(cr, m->style.frame_w);
    cairo_stroke(cr);
    draw_phases(m, &d, SM__PHASE_TEXT, SM__PHASE_TEXT);
    cairo_status_t cs = cairo_status(cr);
    cairo_restore(cr);
    /* strike markers that could not be read back (out of memory, or the
     * scratch file): never a map with strikes silently missing */
    if (cs == CAIRO_STATUS_SUCCESS && m->cl.smarks.failed)
        cs = CAIRO_STATUS_NO_MEMORY;
    return cs;
}

sm_status sm_map_draw(sm_map *m, cairo_t *cr)
{
    if (m == NULL || cr == NULL)
        return SM_ERR_USAGE;
    cairo_status_t cs = sm__map_draw(m, cr, false, NULL);
    if (m->cl.smarks.failed)
        return sm__smarks_status(m, NULL);
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

sm_status sm_map_render_stream(sm_ctx *ctx, sm_claims_stream *stream, const sm_map_options *options,
                               const char *path)
{
    sm_map *m = NULL;
    sm_status st = sm_map_new_stream(ctx, stream, options, &m);
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
    sm_status refused = check_size(ctx, options);
    if (refused != SM_OK)
        return refused;
    sm_map_options o;
    if (options != NULL)
        o = *options;
    else
        sm_map_options_init(&o);
    /* The canvas is width x height points; the pixel size only matters for
     * merging points closer than a pixel, so take 72 dpi. */
    o.dpi = 72;
    o.width_px = (int)ceil(width);
    o.height_px = (int)ceil(height);
    if (o.width_px > 30000 || o.height_px > 30000)
        return SM_ERR_USAGE;
    sm_map *m = NULL;
    sm_status st = map_create(ctx, claims, NULL, check, &o, width, height, &m);
    if (st == SM_OK)
        st = sm_map_draw(m, cr);
    sm_map_free(m);
    return st;
}
