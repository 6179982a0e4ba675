/*
 * map_furniture.c: everything on the map that is not data. Owns the page
 * layout (header with title and subtitle, the map panel, the graticule's
 * label bands, the footer with the attribution), the graticule, the scale
 * bar, the north arrow, and the default title and subtitle written from
 * the claims; map_legend.c places the legend and the inset.
 *
 * The scale bar is true at the centre of the map: the length of a short
 * east-west step there is measured as a geodesic (PROJ), and the bar has a
 * round length in km; when the scale varies by more than 2 % over the
 * panel (Mercator, plate carree, a continental extent), the bar says where
 * it holds. The north arrow points to true north at the centre: the
 * direction in which the meridian through the centre is drawn. The legend
 * lists only what the map shows, and goes in the panel corner with the
 * least data under it; the inset takes another free corner.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "map/map_internal.h"

/* Title and subtitle: lines before an ellipsis. */
#define SM__TITLE_LINES 3

/* ---- page layout ------------------------------------------------------------ */

void sm__furniture_frame(sm_map *m)
{
    sm__furniture *f = &m->furn;
    sm__view *v = &m->view;
    const sm__style *st = &m->style;
    double om = fmax(6, fmin(14, fmin(v->W, v->H) * 0.022));
    f->margin = om;
    double y = om;
    if (m->show & SM_MAP_TITLE) {
        sm__sbuf sub = {0};
        const char *title = m->opt.title, *subtitle = m->opt.subtitle;
        if (title == NULL) {
            size_t by[4];
            title = sm__map_drawn_pairs(m, by)
                        ? "Could the claimed aircraft have made these strikes?"
                        : "Airstrike claims";
        }
        if (subtitle == NULL) {
            sm__map_default_subtitle(m, &sub);
            if (sub.failed) {
                sm__sbuf_free(&sub);
                sm__map_nomem(m, "subtitle");
                return;
            }
            subtitle = sm__sbuf_str(&sub);
        }
        /* A long title or subtitle wraps to at most SM__TITLE_LINES lines,
         * then ends in an ellipsis (Pango's, at a character boundary). */
        if (title[0]) {
            f->title = sm__layout(m, title, st->title_pt, true, false);
            pango_layout_set_width(f->title, (int)((v->W - 2 * om) * PANGO_SCALE));
            pango_layout_set_wrap(f->title, PANGO_WRAP_WORD_CHAR);
            pango_layout_set_height(f->title, -SM__TITLE_LINES);
            pango_layout_set_ellipsize(f->title, PANGO_ELLIPSIZE_END);
            double w, h;
            sm__layout_size(f->title, &w, &h);
            f->title_y = y;
            y += h + 1;
        }
        if (subtitle[0]) {
            f->subtitle = sm__layout(m, subtitle, st->subtitle_pt, false, false);
            pango_layout_set_width(f->subtitle, (int)((v->W - 2 * om) * PANGO_SCALE));
            pango_layout_set_wrap(f->subtitle, PANGO_WRAP_WORD_CHAR);
            pango_layout_set_height(f->subtitle, -SM__TITLE_LINES);
            pango_layout_set_ellipsize(f->subtitle, PANGO_ELLIPSIZE_END);
            double w, h;
            sm__layout_size(f->subtitle, &w, &h);
            f->subtitle_y = y;
            y += h;
        }
        sm__sbuf_free(&sub);
        if (f->title || f->subtitle)
            y += om * 0.6;
    }
    double footer = om;
    if (m->show & SM_MAP_ATTRIBUTION) {
        sm__sbuf src = {0}, text = {0};
        sm__map_claim_sources(m, &src);
        sm__sbuf_printf(&text, "%s%s%s", st->attribution, st->attribution[0] && src.len ? ". " : "",
                        sm__sbuf_str(&src));
        if (src.failed || text.failed) {
            sm__sbuf_free(&src);
            sm__sbuf_free(&text);
            sm__map_nomem(m, "attribution");
            return;
        }
        f->attribution = sm__layout(m, sm__sbuf_str(&text), st->small_pt, false, false);
        sm__sbuf_free(&src);
        sm__sbuf_free(&text);
        pango_layout_set_width(f->attribution, (int)((v->W - 2 * om) * PANGO_SCALE));
        pango_layout_set_wrap(f->attribution, PANGO_WRAP_WORD_CHAR);
        /* at most two lines; three on a small (web-size) map */
        pango_layout_set_height(f->attribution, v->W < 600 ? -3 : -2);
        pango_layout_set_ellipsize(f->attribution, PANGO_ELLIPSIZE_END);
        double w, h;
        sm__layout_size(f->attribution, &w, &h);
        footer = h + om * 0.5 + 3;
    }
    double band = (m->show & SM_MAP_GRATICULE) ? st->graticule_pt * 1.3 + 3 : 0;
    v->px = om + band;
    v->py = y;
    v->pw = v->W - v->px - om;
    v->ph = v->H - y - footer - band;
    f->attribution_y = v->H - footer + 3;
    if (v->pw < 40 || v->ph < 40) {
        /* Too small a canvas for furniture: the map takes all of it. */
        v->px = v->py = 0;
        v->pw = v->W;
        v->ph = v->H;
        m->show &= ~(unsigned)(SM_MAP_TITLE | SM_MAP_ATTRIBUTION | SM_MAP_GRATICULE |
                               SM_MAP_LEGEND | SM_MAP_INSET | SM_MAP_SCALEBAR | SM_MAP_NORTH);
        PangoLayout **ls[3] = {&f->title, &f->subtitle, &f->attribution};
        for (int i = 0; i < 3; i++)
            if (*ls[i] != NULL) {
                g_object_unref(*ls[i]);
                *ls[i] = NULL;
            }
    }
    /* Whole pixels for the panel: cairo clips an image to a pixel-aligned
     * rectangle directly; any other clip costs a mask the size of the map
     * for every fill and stroke under it. */
    double x0 = floor(v->px * v->dev + 0.5) / v->dev, y0 = floor(v->py * v->dev + 0.5) / v->dev;
    double x1 = floor((v->px + v->pw) * v->dev + 0.5) / v->dev,
           y1 = floor((v->py + v->ph) * v->dev + 0.5) / v->dev;
    v->px = x0;
    v->py = y0;
    v->pw = x1 - x0;
    v->ph = y1 - y0;
    v->guard = 12;
}

/* ---- graticule ----------------------------------------------------------------- */

static double nice_step(double span, int most)
{
    static const double steps[] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2,
                                   2.5,  5,    10,   15,  20,  30,   45,  90};
    for (size_t i = 0; i < SM__ARRAY_LEN(steps); i++)
        if (span / steps[i] <= most)
            return steps[i];
    return 90;
}

static void degree_text(double v, double step, bool lon, char *buf, size_t size)
{
    int dec = step >= 1 ? 0 : (step >= 0.1 && fmod(step * 10, 1) == 0 ? 1 : 2);
    if (lon) {
        v = fmod(v + 540.0, 360.0) - 180.0;
        if (fabs(v + 180) < 1e-9)
            v = 180;
    }
    double a = fabs(v);
    const char *h = a < 1e-9 || (lon && fabs(a - 180) < 1e-9)
                        ? ""
                        : (lon ? (v < 0 ? "W" : "E") : (v < 0 ? "S" : "N"));
    snprintf(buf, size, "%.*f\u00b0%s", dec, a, h);
}

static void add_grat_label(sm_map *m, const char *text, double x, double y, bool rotated)
{
    sm__fixed_text *t = sm__vec_push(&m->furn.grat_labels);
    if (t == NULL) {
        sm__map_nomem(m, "graticule");
        return;
    }
    t->layout = sm__layout(m, text, m->style.graticule_pt, false, false);
    double w, h;
    sm__layout_size(t->layout, &w, &h);
    if (rotated) {
        t->x = x - h; /* text reads upwards, its top towards the panel */
        t->y = y + w / 2;
    } else {
        t->x = x - w / 2;
        t->y = y;
    }
    t->rotated = rotated;
}

/* Where the parts added since `from` cross the line x = at (vertical) or
 * y = at (horizontal) inside the panel's other extent. */
static bool crossing(const sm_map *m, const sm__paths *p, size_t from, bool vertical, double at,
                     double *where)
{
    const sm__view *v = &m->view;
    const sm__part *parts = p->parts.data;
    const double *pts = p->pts.data;
    for (size_t i = from; i < p->parts.len; i++) {
        const double *q = pts + 2 * parts[i].start;
        for (size_t k = 0; k + 1 < parts[i].n; k++) {
            double a = vertical ? q[2 * k] : q[2 * k + 1],
                   b = vertical ? q[2 * k + 2] : q[2 * k + 3];
            if ((a - at) * (b - at) > 0 || a == b)
                continue;
            double t = (at - a) / (b - a);
            double o = vertical ? q[2 * k + 1] + t * (q[2 * k + 3] - q[2 * k + 1])
                                : q[2 * k] + t * (q[2 * k + 2] - q[2 * k]);
            double lo = vertical ? v->py : v->px, hi = vertical ? v->py + v->ph : v->px + v->pw;
            if (o > lo + 8 && o < hi - 8) {
                *where = o;
                return true;
            }
        }
    }
    return false;
}

static void build_graticule(sm_map *m)
{
    const sm__view *v = &m->view;
    sm__furniture *f = &m->furn;
    double lon_span = v->lon_hi - v->lon_lo, lat_span = v->lat_hi - v->lat_lo;
    int most = v->pw > 500 ? 8 : 6;
    double slon = nice_step(lon_span, most), slat = nice_step(lat_span, v->ph > 400 ? 7 : 5);
    double la0 = fmax(v->lat_lo, -89.999), la1 = fmin(v->lat_hi, 89.999);
    double ll[2 * 201];
    double last_x = -1e9;
    /* counted in whole steps: a sum of 0.1s drifts off the round values */
    long k0 = (long)ceil(v->lon_lo / slon - 1e-9), k1 = (long)floor(v->lon_hi / slon + 1e-9);
    for (long k = k0; k <= k1; k++) {
        double lon = (double)k * slon;
        if (v->full_lon && lon >= 180 - 1e-9)
            break;
        for (size_t i = 0; i <= 200; i++) {
            ll[2 * i] = lon;
            ll[2 * i + 1] = la0 + (la1 - la0) * (double)i / 200.0;
        }
        size_t before = f->graticule.parts.len;
        sm__geo_polyline(m, ll, 201, &f->graticule, 0);
        double x;
        if (crossing(m, &f->graticule, before, false, v->py + v->ph, &x) && x - last_x > 24) {
            char t[32];
            degree_text(lon, slon, true, t, sizeof(t));
            add_grat_label(m, t, x, v->py + v->ph + 1.5, false);
            last_x = x;
        }
    }
    double last_y = 1e9;
    double lo0 = v->full_lon ? -180 : v->lon_lo, lo1 = v->full_lon ? 180 : v->lon_hi;
    long j0 = (long)ceil(la0 / slat - 1e-9), j1 = (long)floor(la1 / slat + 1e-9);
    for (long j = j0; j <= j1; j++) {
        double lat = (double)j * slat;
        for (size_t i = 0; i <= 200; i++) {
            ll[2 * i] = lo0 + (lo1 - lo0) * (double)i / 200.0;
            ll[2 * i + 1] = lat;
        }
        size_t before = f->graticule.parts.len;
        sm__geo_polyline(m, ll, 201, &f->graticule, 1);
        double y;
        if (crossing(m, &f->graticule, before, true, v->px, &y) && last_y - y > 24) {
            char t[32];
            degree_text(lat, slat, false, t, sizeof(t));
            add_grat_label(m, t, v->px - 1.5, y, true);
            last_y = y;
        }
    }
}

/* ---- scale bar and north arrow ------------------------------------------------- */

static void build_scale(sm_map *m)
{
    sm__furniture *f = &m->furn;
    const sm__view *v = &m->view;
    double want = v->pw * 0.2 * v->km_per_pt;
    double p10 = pow(10, floor(log10(want)));
    double lead = want / p10;
    double nice = lead >= 5 ? 5 : (lead >= 2 ? 2 : 1);
    f->scale_km = nice * p10;
    f->scale_len_pt = f->scale_km / v->km_per_pt;
    f->scale_segments = nice == 5 ? 5 : 4;
    char t[4][48];
    snprintf(t[0], sizeof(t[0]), "0");
    snprintf(t[1], sizeof(t[1]), "%g", f->scale_km / 2);
    snprintf(t[2], sizeof(t[2]), "%g", f->scale_km);
    snprintf(t[3], sizeof(t[3]), "km");
    for (int i = 0; i < 4; i++)
        f->scale_labels[i] = sm__layout(m, t[i], m->style.legend_pt, false, false);
    double w, h, kw, kh;
    sm__layout_size(f->scale_labels[2], &w, &h);
    sm__layout_size(f->scale_labels[3], &kw, &kh);
    w += 2 * kw + 3;
    double note_h = 0, note_w = 0;
    if (v->scale_spread > 0.02) {
        f->scale_note =
            sm__layout(m, "scale true at the map centre", m->style.small_pt, false, true);
        sm__layout_size(f->scale_note, &note_w, &note_h);
    }
    double bw = fmax(f->scale_len_pt + w / 2 + 10, note_w + 8), bh = h + 3 + 3.5 + 6 + note_h;
    f->scale_box[0] = v->px + 6;
    f->scale_box[1] = v->py + v->ph - 6 - bh;
    f->scale_box[2] = bw;
    f->scale_box[3] = bh;
    f->scale_ok = f->scale_len_pt > 10 && f->scale_len_pt < v->pw * 0.6;
    if (f->scale_ok)
        sm__obstacle_add(m, f->scale_box[0], f->scale_box[1], f->scale_box[0] + bw,
                         f->scale_box[1] + bh);
}

static void build_north(sm_map *m)
{
    sm__furniture *f = &m->furn;
    const sm__view *v = &m->view;
    double step = v->lat0 > 89.9 ? -0.02 : 0.02;
    double q[4] = {v->lon0, v->lat0, v->lon0, v->lat0 + step};
    sm__to_canvas(m, q, 2);
    if (q[0] == HUGE_VAL || q[2] == HUGE_VAL)
        return;
    double dx = q[2] - q[0], dy = q[3] - q[1];
    if (step < 0) {
        dx = -dx;
        dy = -dy;
    }
    f->north_angle = atan2(dx, -dy); /* clockwise from up */
    double size = 16;
    f->north_x = v->px + 6 + size / 2 + 2;
    f->north_y = (f->scale_ok ? f->scale_box[1] : v->py + v->ph - 6) - size / 2 - 10;
    f->north_label = sm__layout(m, "N", m->style.legend_pt + 1, true, false);
    f->north_ok = true;
    sm__obstacle_add(m, f->north_x - size / 2 - 2, f->north_y - size / 2 - 10,
                     f->north_x + size / 2 + 2, f->north_y + size / 2 + 2);
}

void sm__furniture_init(sm__furniture *f)
{
    memset(f, 0, sizeof(*f));
    sm__paths_init(&f->graticule);
    sm__paths_init(&f->inset_land);
    sm__paths_init(&f->inset_frame);
    sm__vec_init(&f->grat_labels, sizeof(sm__fixed_text));
    sm__vec_init(&f->legend, sizeof(sm__legend_item));
}

sm_status sm__furniture_build(sm_map *m)
{
    if (m->show & SM_MAP_GRATICULE)
        build_graticule(m);
    if (m->show & SM_MAP_SCALEBAR)
        build_scale(m);
    if (m->show & SM_MAP_NORTH)
        build_north(m);
    return SM_OK;
}

void sm__furniture_free(sm__furniture *f)
{
    PangoLayout *ls[] = {f->title,           f->subtitle,        f->attribution,
                         f->scale_labels[0], f->scale_labels[1], f->scale_labels[2],
                         f->scale_labels[3], f->scale_note,      f->north_label};
    for (size_t i = 0; i < SM__ARRAY_LEN(ls); i++)
        if (ls[i] != NULL)
            g_object_unref(ls[i]);
    sm__fixed_text *t = f->grat_labels.data;
    for (size_t i = 0; i < f->grat_labels.len; i++)
        g_object_unref(t[i].layout);
    sm__legend_free(&f->legend);
    sm__vec_free(&f->grat_labels);
    sm__paths_free(&f->graticule);
    sm__paths_free(&f->inset_land);
    sm__paths_free(&f->inset_frame);
    memset(f, 0, sizeof(*f));
}

/* ---- drawing ------------------------------------------------------------------- */

void sm__graticule_draw(sm_map *m, const sm__draw *d, int phase)
{
    cairo_t *cr = d->cr;
    const sm__furniture *f = &m->furn;
    if (phase == SM__PHASE_GRID && f->graticule.parts.len > 0) {
        sm__paths_to_cairo(&f->graticule, d, false, -1, true);
        sm__set_rgba(cr, m->style.graticule);
        cairo_set_line_width(cr, m->style.graticule_w);
        cairo_stroke(cr);
    }
    if (phase != SM__PHASE_TEXT)
        return;
    sm__rgba none = {0, 0, 0, 0};
    const sm__fixed_text *t = f->grat_labels.data;
    for (size_t i = 0; i < f->grat_labels.len; i++) {
        if (t[i].rotated) {
            cairo_save(cr);
            cairo_translate(cr, t[i].x, t[i].y);
            cairo_rotate(cr, -SM__PI / 2);
            sm__text_draw(d, t[i].layout, 0, 0, m->style.muted, none, 0);
            cairo_restore(cr);
        } else {
            sm__text_draw(d, t[i].layout, t[i].x, t[i].y, m->style.muted, none, 0);
        }
    }
}

static void draw_scale(sm_map *m, const sm__draw *d)
{
    sm__furniture *f = &m->furn;
    cairo_t *cr = d->cr;
    const double *b = f->scale_box;
    cairo_rectangle(cr, b[0], b[1], b[2], b[3]);
    sm__set_rgba(cr, m->style.scale_box);
    cairo_fill(cr);
    double tw, th;
    sm__layout_size(f->scale_labels[2], &tw, &th);
    double x = b[0] + 5, y = b[1] + 3 + th + 2, bh = 3.5;
    double seg = f->scale_len_pt / f->scale_segments;
    for (int i = 0; i < f->scale_segments; i++) {
        cairo_rectangle(cr, x + seg * i, y, seg, bh);
        if (i % 2 == 0)
            sm__set_rgba(cr, m->style.text);
        else
            sm__set_rgba(cr, m->style.furniture_light);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x, y, f->scale_len_pt, bh);
    sm__set_rgba(cr, m->style.text);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    sm__rgba none = {0, 0, 0, 0};
    double at[3] = {0, f->scale_len_pt / 2, f->scale_len_pt};
    for (int i = 0; i < 3; i++) {
        double w, h;
        sm__layout_size(f->scale_labels[i], &w, &h);
        sm__text_draw(d, f->scale_labels[i], x + at[i] - w / 2, b[1] + 3, m->style.text, none, 0);
        if (i == 2)
            sm__text_draw(d, f->scale_labels[3], x + at[i] + w / 2 + 1.5, b[1] + 3, m->style.text,
                          none, 0);
    }
    if (f->scale_note != NULL)
        sm__text_draw(d, f->scale_note, x - 1, y + bh + 1.5, m->style.muted, none, 0);
}

static void draw_north(sm_map *m, const sm__draw *d)
{
    sm__furniture *f = &m->furn;
    cairo_t *cr = d->cr;
    double s = 16;
    cairo_save(cr);
    cairo_translate(cr, f->north_x, f->north_y);
    cairo_rotate(cr, f->north_angle);
    /* a slim arrow, its left half dark and its right half white */
    cairo_move_to(cr, 0, -s / 2);
    cairo_line_to(cr, -s * 0.2, s / 2);
    cairo_line_to(cr, 0, s * 0.3);
    cairo_close_path(cr);
    sm__set_rgba(cr, m->style.text);
    cairo_fill(cr);
    cairo_move_to(cr, 0, -s / 2);
    cairo_line_to(cr, s * 0.2, s / 2);
    cairo_line_to(cr, 0, s * 0.3);
    cairo_close_path(cr);
    sm__set_rgba(cr, m->style.furniture_light);
    cairo_fill_preserve(cr);
    sm__set_rgba(cr, m->style.text);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    double w, h;
    sm__layout_size(f->north_label, &w, &h);
    cairo_rotate(cr, 0);
    sm__text_draw(d, f->north_label, -w / 2, -s / 2 - h - 0.5, m->style.text, m->style.halo,
                  m->style.halo_w);
    cairo_restore(cr);
}

void sm__scalebar_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase == SM__PHASE_FURNITURE && (m->show & SM_MAP_SCALEBAR) && m->furn.scale_ok)
        draw_scale(m, d);
}

void sm__north_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase == SM__PHASE_FURNITURE && (m->show & SM_MAP_NORTH) && m->furn.north_ok)
        draw_north(m, d);
}

void sm__title_draw(sm_map *m, const sm__draw *d, int phase)
{
    sm__furniture *f = &m->furn;
    sm__rgba none = {0, 0, 0, 0};
    if (phase != SM__PHASE_TEXT)
        return;
    if (f->title != NULL)
        sm__text_draw(d, f->title, f->margin, f->title_y, m->style.text, none, 0);
    if (f->subtitle != NULL)
        sm__text_draw(d, f->subtitle, f->margin, f->subtitle_y, m->style.muted, none, 0);
}

void sm__attribution_draw(sm_map *m, const sm__draw *d, int phase)
{
    sm__furniture *f = &m->furn;
    sm__rgba none = {0, 0, 0, 0};
    if (phase == SM__PHASE_TEXT && f->attribution != NULL)
        sm__text_draw(d, f->attribution, f->margin, f->attribution_y, m->style.muted, none, 0);
}
