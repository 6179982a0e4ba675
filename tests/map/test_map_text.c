/*
 * test_map_text.c: Arabic labels are shaped. A map with one label, حلب
 * (Aleppo), is drawn through the public API and the label's ink on the
 * image is compared with the same text drawn by Pango twice: shaped
 * (letters joined into initial, medial and final forms, as HarfBuzz does)
 * and unshaped (zero-width non-joiners between the letters, so each keeps
 * its isolated form, as a renderer without shaping draws it). Joined
 * letters make one stroke: the shaped word has fewer separate blobs of ink
 * (connected components) than the unshaped one, and a narrower ink box.
 * The map's label must look like the shaped word, not the unshaped one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pango/pangocairo.h>

#include "strikemap/strikemap.h"
#include "test.h"

#define FONT    "Noto Sans,Noto Naskh Arabic"
#define SIZE_PT 40.0
#define W       800
#define H       600

/* Ink of an image: pixels matching `is_ink`; their bounding width and
 * the number of 8-connected components. */
typedef bool (*ink_fn)(unsigned argb);

static bool blue(unsigned p)
{
    unsigned r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
    return b > 140 && r < 110 && g < 110;
}

static bool dark(unsigned p)
{
    return ((p >> 8) & 255) < 128;
}

static void measure(cairo_surface_t *s, ink_fn is_ink, double *width, int *components)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    int *label = calloc((size_t)w * h, sizeof(int));
    int *stack = malloc((size_t)w * h * sizeof(int));
    int x0 = w, x1 = -1, n = 0;
#define INK(x, y) is_ink(*(const unsigned *)(const void *)(d + (size_t)(y)*stride + 4 * (x)))
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (!INK(x, y) || label[y * w + x])
                continue;
            n++;
            int sp = 0;
            stack[sp++] = y * w + x;
            label[y * w + x] = n;
            while (sp > 0) {
                int i = stack[--sp], cx = i % w, cy = i / w;
                x0 = cx < x0 ? cx : x0;
                x1 = cx > x1 ? cx : x1;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = cx + dx, ny = cy + dy;
                        if (nx < 0 || ny < 0 || nx >= w || ny >= h || label[ny * w + nx] ||
                            !INK(nx, ny))
                            continue;
                        label[ny * w + nx] = n;
                        stack[sp++] = ny * w + nx;
                    }
            }
        }
#undef INK
    free(label);
    free(stack);
    *width = x1 >= x0 ? x1 - x0 + 1 : 0;
    *components = n;
}

/* Pango's rendering of text, black on white. */
static void pango_ink(PangoFontMap *fm, const char *text, double *width, int *components)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, 200);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    PangoContext *pc = pango_font_map_create_context(fm);
    pango_cairo_context_set_resolution(pc, 72);
    PangoLayout *l = pango_layout_new(pc);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, SIZE_PT * PANGO_SCALE);
    pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD); /* base labels are bold */
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, text, -1);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, 50, 50);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    g_object_unref(pc);
    cairo_destroy(cr);
    measure(s, dark, width, components);
    cairo_surface_destroy(s);
}

int main(void)
{
    const char *word = "\xd8\xad\xd9\x84\xd8\xa8"; /* ح ل ب */
    /* the same letters with U+200C ZERO WIDTH NON-JOINER between them */
    const char *unjoined = "\xd8\xad\xe2\x80\x8c\xd9\x84\xe2\x80\x8c\xd8\xa8";

    PangoFontMap *fm = pango_cairo_font_map_new();
    double w_shaped, w_unshaped;
    int c_shaped, c_unshaped;
    pango_ink(fm, word, &w_shaped, &c_shaped);
    pango_ink(fm, unjoined, &w_unshaped, &c_unshaped);
    fprintf(stderr, "Pango: shaped %.0f pt wide in %d blobs; unshaped %.0f pt in %d blobs\n",
            w_shaped, c_shaped, w_unshaped, c_unshaped);
    /* the comparison below can tell shaped from unshaped only if they differ */
    CHECK(c_unshaped >= c_shaped + 2);
    CHECK(w_unshaped > w_shaped + 5);

    /* The map: one base labelled حلب, everything else left out. */
    sm_ctx *ctx = sm_ctx_new();
    sm_claims *claims = NULL;
    const char *path = SM_TEST_DATA "/arabic.geojson";
    sm_load_options lo;
    memset(&lo, 0, sizeof(lo));
    lo.no_position_check = true;
    CHECK(sm_claims_load(ctx, &path, 1, &lo, &claims) == SM_OK);
    if (claims == NULL)
        return sm_test_report("test_map_text");
    sm_map_options o;
    sm_map_options_init(&o);
    o.has_bbox = true;
    o.bbox[0] = 8;
    o.bbox[1] = 8;
    o.bbox[2] = 12;
    o.bbox[3] = 12;
    o.style_path = SM_TEST_DATA "/text.style";
    o.hide = 0xffffffffu & ~(unsigned)(SM_MAP_BASES | SM_MAP_LABELS);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    CHECK(sm_map_render_cairo(ctx, claims, NULL, &o, cr, W, H) == SM_OK);
    cairo_destroy(cr);
    mkdir(SM_TEST_OUT, 0777);
    cairo_surface_write_to_png(s, SM_TEST_OUT "/arabic.png");
    double w_map;
    int c_map;
    measure(s, blue, &w_map, &c_map);
    fprintf(stderr, "map label: %.0f pt wide in %d blobs (1 px = 1 pt here)\n", w_map, c_map);
    CHECK(c_map > 0);
    /* shaped: the shaped word's blobs and width (anti-aliasing may merge or
     * split a blob, and adds a pixel or two) */
    CHECK(abs(c_map - c_shaped) <= 1);
    CHECK_NEAR(w_map, w_shaped, 0.08 * w_shaped + 2, "pt");
    /* not the unshaped letters */
    CHECK(c_map < c_unshaped - 1);
    CHECK(w_map < w_unshaped - 4);

    cairo_surface_destroy(s);
    sm_claims_free(claims);
    sm_ctx_free(ctx);
    g_object_unref(fm);
    return sm_test_report("test_map_text");
}
