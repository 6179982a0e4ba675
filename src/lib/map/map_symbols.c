/*
 * map_symbols.c: the map's symbols: markers (strike dots, aircraft seen
 * from above, bases, track fixes, places), the dash of each verdict, the
 * arrowhead, and the legend's list of lines.
 */
#include <math.h>
#include <stdlib.h>

#include "map/map_internal.h"

void sm__set_verdict_dash(cairo_t *cr, int verdict, double w)
{
    /* Redundant with colour: solid plausible, dashed marginal, short
     * dashes implausible, dotted unknown. */
    double d[2];
    switch (verdict) {
    case SM_VERDICT_MARGINAL:
        d[0] = 5 * w;
        d[1] = 2.5 * w;
        cairo_set_dash(cr, d, 2, 0);
        break;
    case SM_VERDICT_IMPLAUSIBLE:
        d[0] = 2.2 * w;
        d[1] = 1.8 * w;
        cairo_set_dash(cr, d, 2, 0);
        break;
    case SM_VERDICT_UNKNOWN:
        d[0] = 0.1;
        d[1] = 2 * w;
        cairo_set_dash(cr, d, 2, 0);
        break;
    default: cairo_set_dash(cr, NULL, 0, 0);
    }
}

void sm__arrowhead_path(cairo_t *cr, double x, double y, double ang, double len, double half)
{
    double c = cos(ang), s = sin(ang);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x - c * len - s * half, y - s * len + c * half);
    cairo_line_to(cr, x - c * len * 0.7, y - s * len * 0.7);
    cairo_line_to(cr, x - c * len + s * half, y - s * len - c * half);
    cairo_close_path(cr);
}

/* An aircraft seen from above, nose up, one unit long. */
static const double g_plane[][2] = {
    {0, -0.50},     {0.045, -0.43}, {0.055, -0.13}, {0.47, 0.07},  {0.47, 0.15},    {0.055, 0.06},
    {0.045, 0.30},  {0.19, 0.41},   {0.19, 0.47},   {0, 0.43},     {-0.19, 0.47},   {-0.19, 0.41},
    {-0.045, 0.30}, {-0.055, 0.06}, {-0.47, 0.15},  {-0.47, 0.07}, {-0.055, -0.13}, {-0.045, -0.43},
};

void sm__draw_marker(const sm__style *st, cairo_t *cr, int kind, int variant, double x, double y,
                     double angle, double scale)
{
    cairo_new_path(cr);
    switch (kind) {
    case SM__MARK_STRIKE: {
        double r = st->strike_size / 2 * scale;
        cairo_arc(cr, x, y, r, 0, 2 * SM__PI);
        sm__set_rgba(cr, st->strike[variant]);
        cairo_fill_preserve(cr);
        {
            sm__rgba e = st->marker_edge;
            e.a *= 0.95;
            sm__set_rgba(cr, e);
        }
        cairo_set_line_width(cr, fmax(0.35, 0.9 * scale));
        cairo_stroke(cr);
        cairo_arc(cr, x, y, r + fmax(0.35, 0.9 * scale) / 2 + 0.15 * scale, 0, 2 * SM__PI);
        sm__set_rgba(cr, st->marker_shadow);
        cairo_set_line_width(cr, 0.3 * scale);
        cairo_stroke(cr);
        break;
    }
    case SM__MARK_TRACKFIX:
        cairo_arc(cr, x, y, 1.35, 0, 2 * SM__PI);
        sm__set_rgba(cr, st->track);
        cairo_fill_preserve(cr);
        sm__set_rgba(cr, st->marker_edge);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
        break;
    case SM__MARK_FIX: {
        double s = st->fix_size;
        cairo_save(cr);
        cairo_translate(cr, x, y);
        cairo_rotate(cr, angle);
        for (size_t i = 0; i < SM__ARRAY_LEN(g_plane); i++)
            cairo_line_to(cr, g_plane[i][0] * s, g_plane[i][1] * s);
        cairo_close_path(cr);
        cairo_restore(cr);
        sm__set_rgba(cr, st->marker_edge);
        cairo_set_line_width(cr, 1.3);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke_preserve(cr);
        sm__set_rgba(cr, st->aircraft);
        cairo_fill(cr);
        break;
    }
    case SM__MARK_BASE: {
        double h = st->base_size / 2;
        cairo_rectangle(cr, x - h, y - h, 2 * h, 2 * h);
        sm__set_rgba(cr, st->base);
        cairo_fill_preserve(cr);
        sm__set_rgba(cr, st->marker_edge);
        cairo_set_line_width(cr, 0.9);
        cairo_stroke(cr);
        /* a runway across the square */
        cairo_move_to(cr, x - h * 0.6, y + h * 0.6);
        cairo_line_to(cr, x + h * 0.6, y - h * 0.6);
        cairo_set_line_width(cr, h * 0.35);
        cairo_stroke(cr);
        break;
    }
    default: {
        double r = st->place_size / 2;
        if (variant == 0) {
            cairo_arc(cr, x, y, r * 1.45, 0, 2 * SM__PI);
            sm__set_rgba(cr, st->marker_edge);
            cairo_fill_preserve(cr);
            sm__set_rgba(cr, st->place_dot);
            cairo_set_line_width(cr, 0.55);
            cairo_stroke(cr);
            cairo_arc(cr, x, y, r * 0.7, 0, 2 * SM__PI);
            cairo_fill(cr);
        } else {
            cairo_arc(cr, x, y, r, 0, 2 * SM__PI);
            sm__set_rgba(cr, st->place_dot);
            cairo_fill_preserve(cr);
            sm__set_rgba(cr, st->marker_edge);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
        }
        break;
    }
    }
}

void sm__legend_push(sm_map *m, sm__vec *legend, sm__swatch_fn swatch, int variant,
                     const char *text, bool bold)
{
    sm__legend_item *it = sm__vec_push(legend);
    if (it == NULL) {
        sm__map_nomem(m, "legend");
        return;
    }
    it->swatch = swatch;
    it->variant = variant;
    it->layout = sm__layout(m, text, m->style.legend_pt, bold, false);
    double w, h;
    sm__layout_size(it->layout, &w, &h);
    it->h = fmax(h, m->style.legend_pt * 1.25);
}
