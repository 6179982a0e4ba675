/*
 * map_text.c: the map's text: a Pango context at 72 dpi (a font size in
 * points is the same number of canvas units), layouts in the map's font,
 * and drawing a layout on a halo.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"
#include "map/map_svg.h"

void sm__text_init(sm__text *t)
{
    t->fontmap = pango_cairo_font_map_new();
    t->pango = pango_font_map_create_context(t->fontmap);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(t->pango, fo);
    cairo_font_options_destroy(fo);
    /* 72 dpi: a font size in points is the same number of canvas units. */
    pango_cairo_context_set_resolution(t->pango, 72);
    pango_context_set_round_glyph_positions(t->pango, FALSE);
}

void sm__text_free(sm__text *t)
{
    if (t->pango != NULL)
        g_object_unref(t->pango);
    if (t->fontmap != NULL)
        g_object_unref(t->fontmap);
    t->pango = NULL;
    t->fontmap = NULL;
}

PangoLayout *sm__layout(sm_map *m, const char *text, double size_pt, bool bold, bool italic)
{
    /* Made at the first text, not with the map: Pango's font map starts
     * fontconfig (its configuration, its caches, a thread), about 0.2 s
     * of CPU and 7 MB, which a map without text need not pay. */
    if (m->text.pango == NULL)
        sm__text_init(&m->text);
    PangoLayout *l = pango_layout_new(m->text.pango);
    PangoFontDescription *fd = pango_font_description_from_string(m->style.font);
    pango_font_description_set_absolute_size(fd, size_pt * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    if (italic)
        pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, text, -1);
    return l;
}

void sm__layout_size(PangoLayout *l, double *w, double *h)
{
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
}

void sm__text_draw(const sm__draw *d, PangoLayout *l, double x, double y, sm__rgba colour,
                   sm__rgba halo, double halo_w)
{
    cairo_t *cr = d->cr;
    if (d->svg != NULL) {
        sm__svg_text(d->svg, cr, l, x, y, colour, halo, halo_w);
        return;
    }
    if (halo.a > 0 && halo_w > 0) {
        cairo_new_path(cr);
        cairo_move_to(cr, x, y);
        pango_cairo_layout_path(cr, l);
        sm__set_rgba(cr, halo);
        cairo_set_line_width(cr, halo_w);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_move_to(cr, x, y);
    sm__set_rgba(cr, colour);
    pango_cairo_show_layout(cr, l);
    cairo_new_path(cr);
}
