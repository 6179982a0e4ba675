/*
 * map_legend.c: the legend (its lines come from the parts shown, in the
 * part table's legend order) and the inset locator globe, each in the spot
 * of the panel with the least data under it (the legend first); claim
 * labels under them are placed again.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

void sm__legend_free(sm__vec *legend)
{
    sm__legend_item *it = legend->data;
    for (size_t i = 0; i < legend->len; i++)
        g_object_unref(it[i].layout);
    sm__vec_free(legend);
}

typedef struct in_box {
    double x0, y0, x1, y1;
    size_t n;
} in_box;

static bool count_in_box(sm_map *m, const sm__smark *mk, size_t n, void *user)
{
    (void)m;
    in_box *b = user;
    for (size_t i = 0; i < n; i++)
        b->n += mk[i].x >= b->x0 && mk[i].x <= b->x1 && mk[i].y >= b->y0 && mk[i].y <= b->y1;
    return true;
}

/* How much data lies under a rectangle (markers, line vertices). */
static double clutter(sm_map *m, double x0, double y0, double x1, double y1)
{
    double score = 0;
    const sm__mark *mk = m->cl.marks.data;
    for (size_t i = 0; i < m->cl.marks.len; i++)
        if (mk[i].x >= x0 && mk[i].x <= x1 && mk[i].y >= y0 && mk[i].y <= y1)
            score += 100; /* a hidden claim is a real loss; a hidden line less so */
    in_box b = {x0, y0, x1, y1, 0};
    sm__smarks_each(m, y0, y1, count_in_box, &b);
    score += 100 * (double)b.n;
    const sm__cluster *cl = m->cl.clusters.data;
    for (size_t i = 0; i < m->cl.clusters.len; i++)
        if (cl[i].x + cl[i].r >= x0 && cl[i].x - cl[i].r <= x1 && cl[i].y + cl[i].r >= y0 &&
            cl[i].y - cl[i].r <= y1)
            score += 100 * (double)cl[i].count;
    const sm__paths *lines[2] = {&m->cl.vlines, &m->cl.tracks};
    for (int k = 0; k < 2; k++) {
        const double *p = lines[k]->pts.data;
        for (size_t i = 0; i < lines[k]->pts.len; i++)
            if (p[2 * i] >= x0 && p[2 * i] <= x1 && p[2 * i + 1] >= y0 && p[2 * i + 1] <= y1)
                score += 1;
    }
    sm__label **ls = m->lab.labels.data;
    for (size_t i = 0; i < m->lab.labels.len; i++) {
        const sm__label *lb = ls[i];
        if (lb->placed && sm__label_is_claim(lb->kind) && lb->x < x1 && lb->x + lb->w > x0 &&
            lb->y < y1 && lb->y + lb->h > y0)
            score += lb->kind == SM__LABEL_TIME || lb->kind == SM__LABEL_RING ? 20 : 60;
    }
    const sm__place *pl = m->base.places.data;
    for (size_t i = 0; i < m->base.places.len && i < 40; i++)
        if (pl[i].x >= x0 && pl[i].x <= x1 && pl[i].y >= y0 && pl[i].y <= y1)
            score += 2;
    return score;
}

/* Spots for a legend or the inset: 0 top-left, 1 top-right, 2 bottom-
 * right, then the middles of the right, left, top and bottom edges
 * (bottom-left holds the scale bar). */
static void corner_rect(const sm_map *m, int corner, double w, double h, double r[4])
{
    const sm__view *v = &m->view;
    double in = 6;
    double left = v->px + in, right = v->px + v->pw - in - w, top = v->py + in,
           bottom = v->py + v->ph - in - h, midx = v->px + (v->pw - w) / 2,
           midy = v->py + (v->ph - h) / 2;
    static const int xs[7] = {0, 1, 1, 1, 0, 2, 2}, ys[7] = {0, 0, 1, 2, 2, 0, 1};
    r[0] = xs[corner] == 0 ? left : (xs[corner] == 1 ? right : midx);
    r[1] = ys[corner] == 0 ? top : (ys[corner] == 1 ? bottom : midy);
    r[2] = w;
    r[3] = h;
}

static bool overlaps(const double a[4], const double b[4])
{
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

/* The spot with the least data under it, corners preferred on a tie,
 * not overlapping what is already there. */
static int best_corner(sm_map *m, double w, double h, const double *avoid)
{
    int best = -1;
    double best_score = 1e18;
    for (int c = 0; c < 7; c++) {
        double r[4];
        corner_rect(m, c, w, h, r);
        if (avoid != NULL && avoid[2] > 0 && overlaps(r, avoid))
            continue;
        if (m->furn.scale_ok) {
            const double *sb = m->furn.scale_box;
            double s4[4] = {sb[0], sb[1] - 28, sb[2], sb[3] + 28};
            if (overlaps(r, s4))
                continue;
        }
        /* middles of edges only when clearly better than the corners */
        double s = clutter(m, r[0], r[1], r[0] + w, r[1] + h) + (c >= 3 ? 30 : 0) + c * 1e-3;
        if (s < best_score) {
            best_score = s;
            best = c;
        }
    }
    return best < 0 ? 1 : best;
}

/* Size the legend whose lines the parts have added, and put it in the
 * spot with the least data under it. */
/* The legend's size (pt) with its lines as they are. */
static void legend_size(const sm__furniture *f, double *w, double *h)
{
    const sm__legend_item *it = f->legend.data;
    *w = *h = 0;
    for (size_t i = 0; i < f->legend.len; i++) {
        double tw, th;
        sm__layout_size(it[i].layout, &tw, &th);
        *w = fmax(*w, (it[i].swatch == NULL ? 0 : f->legend_sym_w + 3) + tw);
        *h += it[i].h + 1.2;
    }
    *w += 2 * f->legend_pad;
    *h += 2 * f->legend_pad - 1.2;
}

/* A legend larger than SM__LEGEND_MAX_W of the panel's width or
 * SM__LEGEND_MAX_H of its height (a web-size map) gets smaller text, down
 * to SM__LEGEND_MIN_SCALE of its size. */
#define SM__LEGEND_MAX_W     0.45
#define SM__LEGEND_MAX_H     0.42
#define SM__LEGEND_MIN_SCALE 0.7

static void fit_legend(sm_map *m, double *w, double *h)
{
    sm__furniture *f = &m->furn;
    const sm__view *v = &m->view;
    double k = fmin(SM__LEGEND_MAX_W * v->pw / *w, SM__LEGEND_MAX_H * v->ph / *h);
    if (!(k < 1))
        return;
    k = fmax(k, SM__LEGEND_MIN_SCALE);
    sm__legend_item *it = f->legend.data;
    for (size_t i = 0; i < f->legend.len; i++) {
        PangoFontDescription *fd =
            pango_font_description_copy(pango_layout_get_font_description(it[i].layout));
        pango_font_description_set_absolute_size(fd, m->style.legend_pt * k * PANGO_SCALE);
        pango_layout_set_font_description(it[i].layout, fd);
        pango_font_description_free(fd);
        double tw, th;
        sm__layout_size(it[i].layout, &tw, &th);
        it[i].h = fmax(th, m->style.legend_pt * k * 1.25);
    }
    f->legend_sym_w *= k;
    f->legend_pad *= k;
    legend_size(f, w, h);
}

static int build_legend(sm_map *m)
{
    sm__furniture *f = &m->furn;
    if (f->legend.len == 0)
        return -1;
    f->legend_sym_w = 16;
    f->legend_pad = 5;
    double w, h;
    legend_size(f, &w, &h);
    fit_legend(m, &w, &h);
    int corner = best_corner(m, w, h, NULL);
    corner_rect(m, corner, w, h, f->legend_box);
    sm__obstacle_add(m, f->legend_box[0], f->legend_box[1], f->legend_box[0] + w,
                     f->legend_box[1] + h);
    return corner;
}

/* ---- inset -------------------------------------------------------------------- */

static void build_inset(sm_map *m)
{
    sm__furniture *f = &m->furn;
    const sm__view *v = &m->view;
    /* A map of half the world needs no locator. */
    if (m->base.world.len == 0 || v->pw * v->km_per_pt > 8000)
        return;
    double r = fmin(fmax(fmin(v->pw, v->ph) * 0.1, 24), 60);
    int corner = best_corner(m, 2 * r + 4, 2 * r + 4, f->legend_box);
    double box[4];
    corner_rect(m, corner, 2 * r + 4, 2 * r + 4, box);
    f->inset_cx = box[0] + r + 2;
    f->inset_cy = box[1] + r + 2;
    f->inset_r = r;
    PJ_CONTEXT *ctx = m->proj.ctx;
    char def[320];
    /* A sphere is plenty for a locator; a pipeline needs no database. */
    snprintf(def, sizeof(def),
             "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=ortho "
             "+lat_0=%.6f +lon_0=%.6f +R=6371000",
             v->lat0, v->lon0);
    PJ *pj = proj_create(ctx, def);
    if (pj == NULL)
        return;
    double k = r / 6371000.0;
    /* Points on the far side go to the rim, in their direction from the
     * centre: a land mass behind the horizon ends at the rim. */
    const double *w = m->base.world.data;
    size_t n = m->base.world.len;
    double *xy = malloc((n + 1) * 2 * sizeof(double));
    if (xy == NULL) {
        proj_destroy(pj);
        sm__map_nomem(m, "inset");
        return;
    }
    memcpy(xy, w, n * 2 * sizeof(double));
    proj_trans_generic(pj, PJ_FWD, xy, 2 * sizeof(double), n, xy + 1, 2 * sizeof(double), n, NULL,
                       0, 0, NULL, 0, 0);
    proj_errno_reset(pj);
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(w[2 * i])) {
            /* end of a ring: (NaN, NaN); end of a country: (NaN, tag) */
            if (isnan(w[2 * i + 1]) && i > start) {
                for (size_t j = start; j < i; j++) {
                    if (!isfinite(xy[2 * j]) || fabs(xy[2 * j]) > 1e9) {
                        double azi;
                        sm_geodesic_inverse(v->lon0, v->lat0, w[2 * j], w[2 * j + 1], &azi);
                        xy[2 * j] = f->inset_cx + r * sin(azi * SM__PI / 180);
                        xy[2 * j + 1] = f->inset_cy - r * cos(azi * SM__PI / 180);
                    } else {
                        xy[2 * j] = f->inset_cx + xy[2 * j] * k;
                        xy[2 * j + 1] = f->inset_cy - xy[2 * j + 1] * k;
                    }
                }
                /* the focus country (tag follows the country's rings) */
                int tag = 0;
                for (size_t q = i; q < n; q++)
                    if (isnan(w[2 * q]) && !isnan(w[2 * q + 1])) {
                        tag = (int)w[2 * q + 1] == m->base.focus_country ? 1 : 0;
                        break;
                    }
                sm__paths_add(&f->inset_land, xy + 2 * start, i - start, tag, true, 0.3);
                if (f->inset_land.failed) {
                    free(xy);
                    proj_destroy(pj);
                    sm__map_nomem(m, "inset");
                    return;
                }
            }
            start = i + 1;
        }
    }
    free(xy);
    /* The map's frame on the globe. */
    enum { E = 24 };
    double fr[4 * E * 2];
    for (size_t i = 0; i < E; i++) {
        double t = (double)i / E;
        double pts[4][2] = {{v->px + t * v->pw, v->py},
                            {v->px + v->pw, v->py + t * v->ph},
                            {v->px + v->pw - t * v->pw, v->py + v->ph},
                            {v->px, v->py + v->ph - t * v->ph}};
        for (size_t e = 0; e < 4; e++)
            sm__view_unapply(v, pts[e][0], pts[e][1], &fr[2 * (e * E + i)],
                             &fr[2 * (e * E + i) + 1]);
    }
    sm__proj_inv(m, fr, 4 * E);
    proj_trans_generic(pj, PJ_FWD, fr, 2 * sizeof(double), 4 * E, fr + 1, 2 * sizeof(double), 4 * E,
                       NULL, 0, 0, NULL, 0, 0);
    double x0 = 1e18, x1 = -1e18, y0 = 1e18, y1 = -1e18;
    bool ok = true;
    for (size_t i = 0; i < 4 * E; i++) {
        if (!isfinite(fr[2 * i]) || fabs(fr[2 * i]) > 1e9) {
            ok = false;
            break;
        }
        fr[2 * i] = f->inset_cx + fr[2 * i] * k;
        fr[2 * i + 1] = f->inset_cy - fr[2 * i + 1] * k;
        x0 = fmin(x0, fr[2 * i]);
        x1 = fmax(x1, fr[2 * i]);
        y0 = fmin(y0, fr[2 * i + 1]);
        y1 = fmax(y1, fr[2 * i + 1]);
    }
    if (ok && !sm__paths_add(&f->inset_frame, fr, 4 * E, 0, true, 0.05) && f->inset_frame.failed)
        sm__map_nomem(m, "inset");
    f->inset_mark = !ok || fmax(x1 - x0, y1 - y0) < 5 ? 5 : 0;
    proj_destroy(pj);
    f->inset_ok = true;
    sm__obstacle_add(m, box[0], box[1], box[0] + box[2], box[1] + box[3]);
}

/* Labels under a box go back to be placed again around it. */
static void replace_under(sm_map *m, const double box[4])
{
    sm__label **ls = m->lab.labels.data;
    bool any = false;
    for (size_t i = 0; i < m->lab.labels.len; i++) {
        sm__label *lb = ls[i];
        if (!lb->placed || !(lb->x < box[0] + box[2] && lb->x + lb->w > box[0] &&
                             lb->y < box[1] + box[3] && lb->y + lb->h > box[1]))
            continue;
        sm__label_unplace(m, lb);
        any = true;
    }
    if (any)
        sm__labels_place(m, SM__PRIO_FURNITURE);
}

void sm__furniture_place(sm_map *m)
{
    sm__furniture *f = &m->furn;
    if (m->show & SM_MAP_LEGEND) {
        if (f->legend.len > 0)
            build_legend(m);
        if (f->legend.len > 0)
            replace_under(m, f->legend_box);
    }
    if (m->show & SM_MAP_INSET) {
        build_inset(m);
        if (f->inset_ok) {
            double box[4] = {f->inset_cx - f->inset_r - 2, f->inset_cy - f->inset_r - 2,
                             2 * f->inset_r + 4, 2 * f->inset_r + 4};
            replace_under(m, box);
        }
    }
}

static void draw_legend(sm_map *m, const sm__draw *d)
{
    sm__furniture *f = &m->furn;
    cairo_t *cr = d->cr;
    const double *b = f->legend_box;
    cairo_rectangle(cr, b[0], b[1], b[2], b[3]);
    sm__set_rgba(cr, m->style.box);
    cairo_fill_preserve(cr);
    sm__set_rgba(cr, m->style.box_edge);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
    double y = b[1] + f->legend_pad;
    const sm__legend_item *it = f->legend.data;
    sm__rgba none = {0, 0, 0, 0};
    for (size_t i = 0; i < f->legend.len; i++) {
        double tw, th;
        sm__layout_size(it[i].layout, &tw, &th);
        double x = b[0] + f->legend_pad;
        if (it[i].swatch == NULL) {
            sm__text_draw(d, it[i].layout, x, y + (it[i].h - th) / 2, m->style.text, none, 0);
        } else {
            cairo_save(cr);
            it[i].swatch(m, cr, it[i].variant, x, y + it[i].h / 2, f->legend_sym_w);
            cairo_restore(cr);
            sm__text_draw(d, it[i].layout, x + f->legend_sym_w + 3, y + (it[i].h - th) / 2,
                          m->style.text, none, 0);
        }
        y += it[i].h + 1.2;
    }
}

static void draw_inset(sm_map *m, const sm__draw *d)
{
    sm__furniture *f = &m->furn;
    const sm__style *st = &m->style;
    cairo_t *cr = d->cr;
    cairo_save(cr);
    cairo_arc(cr, f->inset_cx, f->inset_cy, f->inset_r + 1.5, 0, 2 * SM__PI);
    sm__set_rgba(cr, st->furniture_light);
    cairo_fill(cr);
    cairo_arc(cr, f->inset_cx, f->inset_cy, f->inset_r, 0, 2 * SM__PI);
    sm__set_rgba(cr, st->inset_ocean);
    cairo_fill_preserve(cr);
    cairo_clip(cr);
    for (int tag = 0; tag < 2; tag++) {
        sm__paths_to_cairo(&f->inset_land, d, true, tag, true);
        sm__rgba c = st->inset_land;
        if (tag == 1) {
            c.r *= 0.72;
            c.g *= 0.72;
            c.b *= 0.72;
        }
        sm__set_rgba(cr, c);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
        cairo_fill(cr);
    }
    if (f->inset_frame.parts.len > 0) {
        sm__paths_to_cairo(&f->inset_frame, d, true, -1, false);
        sm__set_rgba(cr, st->inset_box);
        cairo_set_line_width(cr, 1.1);
        cairo_stroke(cr);
    }
    if (f->inset_mark > 0) {
        cairo_arc(cr, f->inset_cx, f->inset_cy, f->inset_mark, 0, 2 * SM__PI);
        sm__set_rgba(cr, st->inset_box);
        cairo_set_line_width(cr, 1.2);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    cairo_arc(cr, f->inset_cx, f->inset_cy, f->inset_r, 0, 2 * SM__PI);
    sm__set_rgba(cr, st->inset_edge);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
}

void sm__legend_part_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase == SM__PHASE_FURNITURE && m->furn.legend.len > 0)
        draw_legend(m, d);
}

void sm__inset_part_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase == SM__PHASE_FURNITURE && m->furn.inset_ok)
        draw_inset(m, d);
}
