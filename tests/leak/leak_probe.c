/*
 * leak_probe.c: leaks one object of a third-party library on purpose, as a
 * strikemap bug would, so that tests/leak/test_leak_reported.sh can prove
 * that .ci/lsan.supp does not hide it (issue 9, item 13).
 *
 *   leak_probe none     use cairo, Pango and OGR the way strikemap does and
 *                       free everything: the suppressions must cover what
 *                       the libraries keep, so LSan reports nothing
 *   leak_probe cairo    leak a cairo image surface
 *   leak_probe pango    leak a Pango layout (after drawing it, so that the
 *                       font caches are warm as they are in strikemap)
 *   leak_probe ogr      leak an OGR feature
 *
 * Each object is allocated by the probe's own function (leak_cairo, ...),
 * which is the frame LSan must name.
 */
#include <gdal.h>
#include <ogr_api.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

/* A sink the compiler cannot see through, so the leaked pointer is not kept
 * in a register or optimised away before LSan looks. */
static void *volatile g_sink;

/* Draw some text with a layout of our own font map, and one through the
 * default font map (as report_pdf.c does), then free what we own. */
static void use_pango(cairo_t *cr, bool leak)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    pango_layout_set_text(l, "Aleppo \xd8\xad\xd9\x84\xd8\xa8 1,900 km/h", -1);
    PangoFontDescription *fd = pango_font_description_from_string("Noto Sans 12");
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    pango_cairo_show_layout(cr, l);
    if (leak)
        g_sink = l;
    else
        g_object_unref(l);
    g_sink = NULL;
}

static void leak_cairo(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 64, 64);
    g_sink = s;
    g_sink = NULL; /* now unreachable */
}

static void leak_ogr(void)
{
    OGRFeatureDefnH defn = OGR_FD_Create("probe");
    OGRFeatureH f = OGR_F_Create(defn);
    OGR_FD_Release(defn); /* the feature keeps its own reference */
    g_sink = f;
    g_sink = NULL;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "none";
    GDALAllRegister(); /* the driver registry, as strikemap loads it */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 320, 80);
    cairo_t *cr = cairo_create(s);
    use_pango(cr, strcmp(what, "pango") == 0);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    if (strcmp(what, "cairo") == 0)
        leak_cairo();
    else if (strcmp(what, "ogr") == 0)
        leak_ogr();
    else if (strcmp(what, "none") != 0 && strcmp(what, "pango") != 0) {
        fprintf(stderr, "leak_probe: none|cairo|pango|ogr\n");
        return 2;
    }
    GDALDestroyDriverManager();
    printf("leak_probe %s: done\n", what);
    return 0;
}
