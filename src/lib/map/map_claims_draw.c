/*
 * map_claims_draw.c: drawing the claim layers (area targets, tracks with
 * their arrows, verdict lines with their arrowheads, markers: vector, or
 * on an image stamped from sprites) and their legend lines.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

static void draw_areas(sm_map *m, const sm__draw *d)
{
    cairo_t *cr = d->cr;
    const sm__style *st = &m->style;
    if (m->cl.areas.parts.len > 0) {
        for (int g = 0; g < 6; g++) {
            sm__paths_to_cairo(&m->cl.areas, d, true, g, true);
            sm__rgba c = st->strike[g];
            c.a *= 0.3;
            sm__set_rgba(cr, c);
            cairo_fill_preserve(cr);
            sm__set_rgba(cr, st->strike[g]);
            cairo_set_line_width(cr, 0.8);
            cairo_stroke(cr);
        }
    }
}

int sm__tracks_first_pass(const sm_map *m)
{
    if (m->cl.tracks.parts.len == 0)
        return 2;
    /* A halo lets a few tracks read over borders; under many it would only
     * pile up (and costs a second stroke of every track). */
    return m->cl.tracks.parts.len > 40 ? 1 : 0;
}

/* A pass's colour: tracks on a light halo so they read over borders. */
static sm__rgba pass_colour(const sm_map *m, int pass)
{
    sm__rgba halo = m->style.halo;
    halo.a *= 0.7;
    return pass == 0 ? halo : m->style.track;
}

bool sm__tracks_pass_maskable(const sm_map *m, int pass)
{
    /* One stroke a track composites a translucent colour again where two
     * tracks cross; their coverage in one mask, once: only an opaque
     * colour gives the same map both ways. */
    return pass_colour(m, pass).a >= 1;
}

/* The track lines of one pass (0 the halo, 1 the line) in the current
 * source. One stroke a track: cairo strokes many short, crossing subpaths
 * at once far slower than the same lines one by one. */
static void stroke_tracks(sm_map *m, const sm__draw *d, int pass)
{
    cairo_t *cr = d->cr;
    const sm__style *st = &m->style;
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    /* The densified tracks turn a little at each vertex: bevel joins look
     * the same there and cost cairo a tenth of round ones. */
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
    cairo_set_line_width(cr, pass == 0 ? st->track_w + 1.6 : st->track_w);
    for (int t = 0; t < (int)sm_claims_aircraft_count(m->claims); t++) {
        sm__paths_to_cairo(&m->cl.tracks, d, false, t, true);
        cairo_stroke(cr);
    }
}

void sm__tracks_mask_draw(sm_map *m, const sm__draw *d, int pass)
{
    cairo_set_source_rgba(d->cr, 0, 0, 0, 1);
    stroke_tracks(m, d, pass);
}

static void draw_tracks(sm_map *m, const sm__draw *d)
{
    cairo_t *cr = d->cr;
    const sm__style *st = &m->style;
    for (int pass = sm__tracks_first_pass(m); pass < 2; pass++) {
        sm__set_rgba(cr, pass_colour(m, pass));
        if (d->tracks_mask[pass] != NULL && sm__tracks_pass_maskable(m, pass)) {
            /* stroked ahead as coverage (a PNG's band: map_png.c), laid
             * on here in the same colour */
            cairo_save(cr);
            cairo_identity_matrix(cr);
            cairo_mask_surface(cr, d->tracks_mask[pass], 0, 0);
            cairo_restore(cr);
        } else {
            stroke_tracks(m, d, pass);
        }
    }
    const sm__arrow *ar = m->cl.arrows.data;
    for (size_t i = 0; i < m->cl.arrows.len; i++) {
        /* Only the arrows whose ink reaches the region drawn (a band of a
         * PNG has every arrow otherwise, ten thousand for a hundred
         * sorties): the head's corners are within hypot(L, 0.8 L) + 1.6 pt
         * of its point, and the stroke adds less than its width. */
        double reach = 1.281 * 3.2 + 1.6 + st->track_w;
        if (ar[i].verdict >= 0 || ar[i].x + reach < d->clip[0] || ar[i].x - reach > d->clip[2] ||
            ar[i].y + reach < d->clip[1] || ar[i].y - reach > d->clip[3])
            continue;
        double c = cos(ar[i].angle), s = sin(ar[i].angle), L = 3.2;
        cairo_move_to(cr, ar[i].x - c * L - s * L * 0.8 + c * 1.6,
                      ar[i].y - s * L + c * L * 0.8 + s * 1.6);
        cairo_line_to(cr, ar[i].x + c * 1.6, ar[i].y + s * 1.6);
        cairo_line_to(cr, ar[i].x - c * L + s * L * 0.8 + c * 1.6,
                      ar[i].y - s * L - c * L * 0.8 + s * 1.6);
    }
    sm__set_rgba(cr, st->track);
    cairo_set_line_width(cr, st->track_w * 0.9);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
    cairo_stroke(cr);
}

static void draw_verdict_lines(sm_map *m, const sm__draw *d)
{
    cairo_t *cr = d->cr;
    const sm__style *st = &m->style;
    const sm__arrow *ar = m->cl.arrows.data;
    /* verdict lines, each on a halo; bundles (tag verdict + 4 x width
     * class, map_clusters.c) wider with the pairs they stand for */
    unsigned bundles = m->cl.bundle_tags;
    for (int tag = 0; tag < (bundles != 0 ? 16 : 4); tag++) {
        int v = tag % 4;
        if (bundles != 0 ? !(bundles & (1u << tag)) : !m->cl.has_verdict[v])
            continue;
        int width_class = tag / 4; /* 0 to 3 */
        double w = st->verdict_w * (1 + 0.7 * (double)width_class);
        sm__paths_to_cairo(&m->cl.vlines, d, false, tag, false);
        cairo_set_dash(cr, NULL, 0, 0);
        sm__rgba h = st->halo;
        h.a *= 0.8;
        sm__set_rgba(cr, h);
        cairo_set_line_width(cr, w + 1.4);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        cairo_stroke_preserve(cr);
        sm__set_verdict_dash(cr, v, st->verdict_w);
        sm__set_rgba(cr, st->verdict[v]);
        cairo_set_line_width(cr, w);
        cairo_stroke(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    for (size_t i = 0; i < m->cl.arrows.len; i++) {
        if (ar[i].verdict < 0)
            continue;
        sm__arrowhead_path(cr, ar[i].x, ar[i].y, ar[i].angle, 5.5, 2.6);
        sm__set_rgba(cr, st->halo);
        cairo_set_line_width(cr, 1.0);
        cairo_stroke_preserve(cr);
        sm__set_rgba(cr, st->verdict[ar[i].verdict]);
        cairo_fill(cr);
    }
}

/* One marker, stamped (device space) or as vectors. */
static void draw_mark(sm_map *m, const sm__draw *d, int kind, int variant, double x, double y,
                      double angle, double r, bool stamped)
{
    if (x + r < d->clip[0] || x - r > d->clip[2] || y + r < d->clip[1] || y - r > d->clip[3])
        return;
    if (stamped)
        sm__raster_stamp(m, d, kind, variant, x, y, angle);
    else
        sm__draw_marker(&m->style, d->cr, kind, variant, x, y, angle,
                        kind == SM__MARK_STRIKE ? m->view.mark_scale : 1);
}

/* Markers stamped straight into the image (device space) from here on;
 * false: drawn as vectors. */
static bool stamp_begin(const sm__draw *d, size_t count)
{
    bool stamped = d->raster && count >= 64;
    if (stamped) {
        cairo_save(d->cr);
        cairo_identity_matrix(d->cr);
        if (d->blit)
            cairo_surface_flush(cairo_get_target(d->cr));
    }
    return stamped;
}

static void stamp_end(const sm__draw *d, bool stamped)
{
    if (stamped) {
        if (d->blit)
            cairo_surface_mark_dirty(cairo_get_target(d->cr));
        cairo_restore(d->cr);
    }
}

typedef struct strike_draw {
    const sm__draw *d;
    double r;
    bool stamped;
} strike_draw;

static bool draw_strike_run(sm_map *m, const sm__smark *mk, size_t n, void *user)
{
    const strike_draw *sd = user;
    for (size_t j = 0; j < n; j++)
        draw_mark(m, sd->d, SM__MARK_STRIKE, mk[j].variant, mk[j].x, mk[j].y, 0, sd->r,
                  sd->stamped);
    return true;
}

/* The strikes' markers of the rows of the region drawn (a band of a PNG
 * holds a twentieth of them), each grading in turn. */
static void draw_strike_marks(sm_map *m, const sm__draw *d)
{
    double r = sm__mark_radius(m, SM__MARK_STRIKE) + 1.5;
    strike_draw sd = {d, r, stamp_begin(d, m->cl.smarks.n)};
    sm__smarks_each(m, d->clip[1] - r, d->clip[3] + r, draw_strike_run, &sd);
    stamp_end(d, sd.stamped);
}

/* Stamp the marks of one kind (device space), or draw them as vectors. */
static void draw_marks(sm_map *m, const sm__draw *d, int kind, size_t count)
{
    const sm__mark *mk = m->cl.marks.data;
    double r = sm__mark_radius(m, kind) + 1.5;
    bool stamped = stamp_begin(d, count);
    for (size_t i = 0; i < m->cl.marks.len; i++)
        if (mk[i].kind == kind)
            draw_mark(m, d, kind, mk[i].variant, mk[i].x, mk[i].y, mk[i].angle, r, stamped);
    stamp_end(d, stamped);
}

/* Markers of a kind (a band of a PNG asks every time: the marks are the
 * few fixes and bases, the strikes are elsewhere). */
static size_t count_marks(const sm_map *m, int kind)
{
    size_t n = 0;
    const sm__mark *mk = m->cl.marks.data;
    for (size_t i = 0; i < m->cl.marks.len; i++)
        n += mk[i].kind == kind;
    return n;
}

void sm__strikes_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase == SM__PHASE_AREAS)
        draw_areas(m, d);
    else if (phase == SM__PHASE_MARKS) {
        draw_strike_marks(m, d);
        sm__clusters_draw(m, d);
    }
}

/* Track lines (phase lines); the dots of a track's fixes (phase marks)
 * come under the other markers. */
void sm__tracks_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase == SM__PHASE_LINES)
        draw_tracks(m, d);
    else if (phase == SM__PHASE_MARKS)
        draw_marks(m, d, SM__MARK_TRACKFIX, count_marks(m, SM__MARK_TRACKFIX));
}

void sm__verdicts_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase == SM__PHASE_LINES)
        draw_verdict_lines(m, d);
}

void sm__bases_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase == SM__PHASE_MARKS)
        draw_marks(m, d, SM__MARK_BASE, count_marks(m, SM__MARK_BASE));
}

void sm__fixes_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase == SM__PHASE_MARKS)
        draw_marks(m, d, SM__MARK_FIX, 0);
}

/* ---- legend ---------------------------------------------------------------------- */

static void strike_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y, double w)
{
    sm__draw_marker(&m->style, cr, SM__MARK_STRIKE, variant, x + w / 2, y, 0, 0.85);
}

static void area_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y, double w)
{
    (void)variant;
    const sm__style *st = &m->style;
    double cx = x + w / 2;
    cairo_rectangle(cr, cx - 5, y - 3, 10, 6);
    sm__rgba c = st->strike[0];
    c.a *= 0.3;
    sm__set_rgba(cr, c);
    cairo_fill_preserve(cr);
    sm__set_rgba(cr, st->strike[0]);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
}

static void fix_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y, double w)
{
    (void)variant;
    sm__draw_marker(&m->style, cr, SM__MARK_FIX, 0, x + w / 2, y, SM__PI / 2, 0.8);
}

static void track_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y, double w)
{
    (void)variant;
    const sm__style *st = &m->style;
    cairo_move_to(cr, x + 1, y + 2);
    cairo_line_to(cr, x + w - 1, y - 2);
    sm__set_rgba(cr, st->track);
    cairo_set_line_width(cr, st->track_w);
    cairo_stroke(cr);
    sm__draw_marker(st, cr, SM__MARK_TRACKFIX, 0, x + 1.5, y + 1.8, 0, 1);
    sm__draw_marker(st, cr, SM__MARK_TRACKFIX, 0, x + w - 1.5, y - 1.8, 0, 1);
}

static void base_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y, double w)
{
    (void)variant;
    sm__draw_marker(&m->style, cr, SM__MARK_BASE, 0, x + w / 2, y, 0, 1);
}

static void verdict_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y, double w)
{
    const sm__style *st = &m->style;
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + w - 3, y);
    double d[2];
    double lw = st->verdict_w;
    if (variant == SM_VERDICT_MARGINAL) {
        d[0] = 5 * lw;
        d[1] = 2.5 * lw;
        cairo_set_dash(cr, d, 2, 0);
    } else if (variant == SM_VERDICT_IMPLAUSIBLE) {
        d[0] = 2.2 * lw;
        d[1] = 1.8 * lw;
        cairo_set_dash(cr, d, 2, 0);
    } else if (variant == SM_VERDICT_UNKNOWN) {
        d[0] = 0.1;
        d[1] = 2 * lw;
        cairo_set_dash(cr, d, 2, 0);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    }
    sm__set_rgba(cr, st->verdict[variant]);
    cairo_set_line_width(cr, lw);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_move_to(cr, x + w, y);
    cairo_line_to(cr, x + w - 5, y - 2.4);
    cairo_line_to(cr, x + w - 3.8, y);
    cairo_line_to(cr, x + w - 5, y + 2.4);
    cairo_close_path(cr);
    cairo_fill(cr);
}

void sm__strikes_legend(sm_map *m, sm__vec *legend)
{
    static const char *const grading[] = {"Strike (no grading)", "Strike: confirmed",
                                          "Strike: fair",        "Strike: weak",
                                          "Strike: contested",   "Strike: discounted"};
    const sm__claim_layers *cl = &m->cl;
    bool any_grading = false;
    for (int g = 1; g < 6; g++)
        any_grading = any_grading || cl->has_grading[g];
    if (cl->has_strike && !any_grading)
        sm__legend_push(m, legend, strike_swatch, 0, "Strike claim", false);
    for (int g = 1; g < 6 && any_grading; g++)
        if (cl->has_grading[g])
            sm__legend_push(m, legend, strike_swatch, g, grading[g], false);
    if (any_grading && cl->has_grading[0])
        sm__legend_push(m, legend, strike_swatch, 0, grading[0], false);
    if (cl->has_area)
        sm__legend_push(m, legend, area_swatch, 0, "Area target", false);
    sm__clusters_legend(m, legend);
}

void sm__fixes_legend(sm_map *m, sm__vec *legend)
{
    if (m->cl.has_fix)
        sm__legend_push(m, legend, fix_swatch, 0, "Claimed aircraft position", false);
}

void sm__tracks_legend(sm_map *m, sm__vec *legend)
{
    if (m->cl.has_track)
        sm__legend_push(m, legend, track_swatch, 0, "Claimed track, direction, times", false);
}

void sm__bases_legend(sm_map *m, sm__vec *legend)
{
    if (m->cl.has_base)
        sm__legend_push(m, legend, base_swatch, 0, "Air base", false);
}

void sm__verdicts_legend(sm_map *m, sm__vec *legend)
{
    bool any_v = false;
    for (int v = 0; v < 4; v++)
        any_v = any_v || m->cl.has_verdict[v];
    if (!any_v)
        return;
    sm__legend_push(m, legend, NULL, 0, "Could the aircraft have made the strike?", true);
    /* The threshold the verdicts were made with: the check's record (a
     * check handed in may have run with other options than ours). */
    double frac = m->check != NULL && sm_check_pair_count(m->check) > 0
                      ? sm_check_pair(m->check, 0)->marginal_fraction
                      : (m->opt.check.marginal_fraction > 0 ? m->opt.check.marginal_fraction : 0.8);
    char marginal[128]; /* fixed words and one number */
    snprintf(marginal, sizeof(marginal),
             "Marginal: above cruise speed, or over %.0f %% of a sortie or launcher limit",
             frac * 100);
    const char *text[4] = {"Unknown: no time or fix to check", "Plausible", marginal,
                           "Implausible: out of reach"};
    static const int order[] = {SM_VERDICT_PLAUSIBLE, SM_VERDICT_MARGINAL, SM_VERDICT_IMPLAUSIBLE,
                                SM_VERDICT_UNKNOWN};
    for (int i = 0; i < 4; i++)
        if (m->cl.has_verdict[order[i]])
            sm__legend_push(m, legend, verdict_swatch, order[i], text[order[i]], false);
}
