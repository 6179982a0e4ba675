/*
 * test_map_api.c: the map API from another program's side: part names,
 * option errors as diagnostics naming the option, where claims land on the
 * canvas checked against PROJ itself (the map's WKT and geotransform must
 * put every strike on the pixel the canvas mapping gives), drawing into a
 * caller's surfaces (image, PDF, SVG), the same pixels twice, and harmless
 * frees.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <proj.h>

#include "strikemap/strikemap.h"
#include "test.h"

static bool has_diag_field(sm_ctx *ctx, const char *field)
{
    for (size_t i = 0; i < sm_ctx_diag_count(ctx); i++) {
        const sm_diag *d = sm_ctx_diag(ctx, i);
        if (d->field != NULL && strcmp(d->field, field) == 0)
            return true;
    }
    return false;
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
    (void)data;
    *(size_t *)closure += len;
    return CAIRO_STATUS_SUCCESS;
}

int main(void)
{
    /* part names round-trip */
    unsigned part = 0;
    size_t n_parts = 0, n_default = 0;
    const char *name;
    for (size_t i = 0; (name = sm_map_part_name(i, &part)) != NULL; i++) {
        unsigned back = 0;
        CHECK(sm_map_part_parse(name, &back) && back == part);
        CHECK(sm_map_part_about(part) != NULL);
        n_parts++;
        n_default += sm_map_part_is_default(part);
    }
    /* the 22 of map.h's enum, drawn by default, and base-names-2, not */
    CHECK(n_parts == 23 && n_default == 22);
    CHECK(sm_map_part_parse("country-names", &part) && part == SM_MAP_COUNTRY_NAMES &&
          sm_map_part_is_default(part));
    CHECK(sm_map_part_parse("base-names-2", &part) && !sm_map_part_is_default(part));
    CHECK(sm_map_part_parse("Graticule", &part) && part == SM_MAP_GRATICULE);
    CHECK(!sm_map_part_parse("compass", &part));
    sm_map_free(NULL);

    sm_ctx *ctx = sm_ctx_new();
    sm_claims *claims = NULL;
    const char *path = SM_TEST_SOURCE_DIR "/examples/aleppo-2016.geojson";
    sm_load_options lo;
    memset(&lo, 0, sizeof(lo));
    CHECK(sm_claims_load(ctx, &path, 1, &lo, &claims) == SM_OK);
    if (claims == NULL)
        return sm_test_report("test_map_api");
    sm_ctx_diag_clear(ctx);

    /* option errors: a status, and a diagnostic naming the option */
    sm_map *map = NULL;
    sm_map_options o;
    sm_map_options_init(&o);
    o.has_bbox = true;
    double bad[4] = {30, 40, 40, 30};
    memcpy(o.bbox, bad, sizeof(bad));
    CHECK(sm_map_new(ctx, claims, NULL, &o, &map) == SM_ERR_USAGE && map == NULL);
    CHECK(has_diag_field(ctx, "options.bbox"));
    sm_ctx_diag_clear(ctx);
    sm_map_options_init(&o);
    o.crs = "EPSG:999999";
    CHECK(sm_map_new(ctx, claims, NULL, &o, &map) == SM_ERR_PROJ && map == NULL);
    CHECK(has_diag_field(ctx, "options.crs"));
    sm_ctx_diag_clear(ctx);
    sm_map_options_init(&o);
    o.width_px = 5;
    o.height_px = 5;
    CHECK(sm_map_new(ctx, claims, NULL, &o, &map) == SM_ERR_USAGE);
    CHECK(has_diag_field(ctx, "options.width_px"));
    sm_ctx_diag_clear(ctx);

    /* options of another layout (zeroed, as before the size field, or of
     * a smaller struct) are refused before anything else is read: a status
     * and a diagnostic naming options.size, from every entry point */
    memset(&o, 0, sizeof(o));
    CHECK(sm_map_new(ctx, claims, NULL, &o, &map) == SM_ERR_USAGE && map == NULL);
    CHECK(has_diag_field(ctx, "options.size"));
    sm_ctx_diag_clear(ctx);
    o.size = sizeof(o) - sizeof(void *);
    CHECK(sm_map_render_file(ctx, claims, NULL, &o, SM_TEST_OUT "/never.png") == SM_ERR_USAGE);
    CHECK(has_diag_field(ctx, "options.size"));
    sm_ctx_diag_clear(ctx);
    {
        cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 64, 64);
        cairo_t *icr = cairo_create(img);
        CHECK(sm_map_render_cairo(ctx, claims, NULL, &o, icr, 64, 64) == SM_ERR_USAGE);
        CHECK(has_diag_field(ctx, "options.size"));
        cairo_destroy(icr);
        cairo_surface_destroy(img);
    }
    sm_ctx_diag_clear(ctx);
    {
        sm_map_options init = SM_MAP_OPTIONS_INIT;
        CHECK(init.size == sizeof(sm_map_options) && init.hide == 0 && !init.has_bbox);
    }

    /* defaults: 2000 x 1500 px at 200 dpi = 720 x 540 pt */
    CHECK(sm_map_new(ctx, claims, NULL, NULL, &map) == SM_OK);
    if (map == NULL)
        return sm_test_report("test_map_api");
    double w, h;
    sm_map_size(map, &w, &h);
    CHECK_NEAR(w, 720, 1e-9, "pt");
    CHECK_NEAR(h, 540, 1e-9, "pt");

    /* every strike: canvas -> pixel -> geotransform -> map CRS, against
     * PROJ projecting the strike with the map's own WKT */
    double gt[6];
    sm_map_geotransform(map, gt);
    CHECK(gt[1] > 0 && gt[5] < 0 && gt[2] == 0 && gt[4] == 0);
    CHECK_NEAR(gt[1], -gt[5], 1e-9, "m");
    PJ *P = proj_create_crs_to_crs(NULL, "EPSG:4326", sm_map_crs_wkt(map), NULL);
    PJ *N = P ? proj_normalize_for_visualization(NULL, P) : NULL;
    CHECK(N != NULL);
    for (size_t i = 0; N != NULL && i < sm_claims_strike_count(claims); i++) {
        const sm_strike *s = sm_claims_strike(claims, i);
        double x, y;
        CHECK(sm_map_lonlat_to_canvas(map, s->lon, s->lat, &x, &y));
        CHECK(x > 0 && x < w && y > 0 && y < h);
        double px = x * 200.0 / 72, py = y * 200.0 / 72; /* pixels */
        PJ_COORD c = proj_coord(s->lon, s->lat, 0, 0);
        PJ_COORD t = proj_trans(N, PJ_FWD, c);
        CHECK_NEAR(gt[0] + px * gt[1], t.xy.x, gt[1] * 1e-6, "m");
        CHECK_NEAR(gt[3] + py * gt[5], t.xy.y, gt[1] * 1e-6, "m");
    }
    if (N)
        proj_destroy(N);
    if (P)
        proj_destroy(P);

    /* drawn twice into image surfaces: the same pixels */
    cairo_surface_t *a = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 720, 540);
    cairo_surface_t *b = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 720, 540);
    cairo_t *cr = cairo_create(a);
    CHECK(sm_map_draw(map, cr) == SM_OK);
    CHECK(cairo_status(cr) == CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cr = cairo_create(b);
    CHECK(sm_map_draw(map, cr) == SM_OK);
    cairo_destroy(cr);
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    CHECK(memcmp(cairo_image_surface_get_data(a), cairo_image_surface_get_data(b),
                 (size_t)cairo_image_surface_get_stride(a) * 540) == 0);
    /* not all one colour */
    const unsigned *pa = (const unsigned *)(const void *)cairo_image_surface_get_data(a);
    size_t differ = 0;
    for (size_t i = 1; i < 720u * 540u; i++)
        differ += pa[i] != pa[0];
    CHECK(differ > 10000);
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);

    /* a bad file name is a usage error, not a crash */
    CHECK(sm_map_write(map, "/tmp/map.txt") == SM_ERR_USAGE);
    sm_map_free(map);

    /* into a caller's PDF and SVG, at another size, scaled and translated */
    size_t bytes = 0;
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(discard, &bytes, 400, 300);
    cr = cairo_create(pdf);
    cairo_translate(cr, 20, 10);
    CHECK(sm_map_render_cairo(ctx, claims, NULL, NULL, cr, 360, 280) == SM_OK);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    CHECK(cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(pdf);
    CHECK(bytes > 10000);
    bytes = 0;
    cairo_surface_t *svg = cairo_svg_surface_create_for_stream(discard, &bytes, 300, 300);
    cr = cairo_create(svg);
    CHECK(sm_map_render_cairo(ctx, claims, NULL, NULL, cr, 300, 300) == SM_OK);
    cairo_destroy(cr);
    cairo_surface_finish(svg);
    cairo_surface_destroy(svg);
    CHECK(bytes > 10000);
    /* too small a canvas is refused */
    cairo_surface_t *tiny = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 8, 8);
    cr = cairo_create(tiny);
    CHECK(sm_map_render_cairo(ctx, claims, NULL, NULL, cr, 8, 8) == SM_ERR_USAGE);
    cairo_destroy(cr);
    cairo_surface_destroy(tiny);

    sm_claims_free(claims);
    sm_ctx_free(ctx);
    return sm_test_report("test_map_api");
}
