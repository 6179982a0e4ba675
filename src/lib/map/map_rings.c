/*
 * map_rings.c: geodesic rings: combat radius + weapon range around bases
 * (once per radius), the caller's own circles (sm_map_options.areas), the
 * reach of each decided pair around its binding fix (each distinct ring
 * once, the widest first; past SM__MAP_READABLE_RINGS only the
 * SM__MAP_DENSE_RINGS widest that rule a claim out), and location-
 * uncertainty circles (at most SM__MAP_MAX_UNCERTAINTY_RINGS); each drawn
 * once, their legend lines.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

void sm__rings_init(sm__rings *r)
{
    memset(r, 0, sizeof(*r));
    sm__vec_init(&r->rings, sizeof(sm__ring));
}

void sm__rings_free(sm__rings *r)
{
    sm__ring *rg = r->rings.data;
    for (size_t i = 0; i < r->rings.len; i++) {
        sm__paths_free(&rg[i].fill);
        sm__paths_free(&rg[i].line);
    }
    sm__vec_free(&r->rings);
    sm__key_set_free(&r->keys);
}

static sm__ring *new_ring(sm_map *m, int kind, int verdict, double radius_km)
{
    sm__ring *r = sm__vec_push(&m->rg.rings);
    if (r == NULL) {
        sm__map_nomem(m, "rings");
        return NULL;
    }
    sm__paths_init(&r->fill);
    sm__paths_init(&r->line);
    r->kind = kind;
    r->verdict = verdict;
    r->radius_km = radius_km;
    return r;
}

/* A fill is worth drawing unless the ring runs entirely outside the panel
 * around it (then it would only tint the whole map). */
static void judge_fill(sm_map *m, sm__ring *r)
{
    const double *p = r->line.pts.data;
    for (size_t i = 0; i < r->line.pts.len; i++)
        if (sm__in_panel(m, p[2 * i], p[2 * i + 1], 0)) {
            r->fill_visible = true;
            return;
        }
    r->fill_visible = false;
}

/* Has this ring (centre in degrees, radius in km, to 5 m) been drawn? */
static bool seen_ring(sm_map *m, double lon, double lat, double radius, int kind, int verdict)
{
    const double q[4] = {lon, lat, radius / 0.005 * 1e-7, 0};
    bool nomem = false;
    bool seen = sm__key_seen(&m->rg.keys, q, kind, verdict, &nomem);
    if (nomem)
        sm__map_nomem(m, "rings");
    return seen;
}

/* The aircraft's weapon by the model's rule (model.c: its claimed weapon,
 * else the longest-range default its operator fields, in service in the
 * year of its first timed fix): the one check assumes for it. */
static const sm_weapon *aircraft_weapon(sm_ctx *ctx, const sm_aircraft *a)
{
    double t = (double)NAN;
    for (size_t k = 0; k < a->n_fixes && isnan(t); k++)
        if (a->fixes[k].when.known)
            t = a->fixes[k].when.start;
    return sm_model_weapon(ctx, NULL, a, t, NULL, NULL);
}

/* Label a ring where it is drawn: the topmost of its vertices well inside
 * the panel first, then other spots along it. */
static void ring_label(sm_map *m, const sm__ring *r, const char *text)
{
    const double *p = r->line.pts.data;
    size_t n = r->line.pts.len, best = n, inside = 0;
    for (size_t i = 0; i < n; i++)
        if (sm__in_panel(m, p[2 * i], p[2 * i + 1], -24)) {
            inside++;
            if (best == n || p[2 * i + 1] < p[2 * best + 1])
                best = i;
        }
    if (best == n)
        return;
    sm__label *lb = sm__label_add(m, text, SM__LABEL_RING, 50, p[2 * best], p[2 * best + 1], 1.5);
    if (lb == NULL)
        return;
    size_t step = inside / (SM__ARRAY_LEN(lb->alt) + 1) + 1;
    for (size_t i = 0, seen = 0; i < n && lb->n_alt < (int)SM__ARRAY_LEN(lb->alt); i++)
        if (sm__in_panel(m, p[2 * i], p[2 * i + 1], -24) && ++seen % step == 0 && i != best) {
            lb->alt[lb->n_alt][0] = p[2 * i];
            lb->alt[lb->n_alt][1] = p[2 * i + 1];
            lb->n_alt++;
        }
}

/* A ring's identity: its centre to 1e-7 degree, its radius to 5 m, its
 * verdict (pairs with the same ring draw it once). */
static void ring_key(const sm_map *m, uint32_t pair, int64_t k[4])
{
    const sm__mpair *p = &m->pairs.p[pair];
    const sm_fix *f = &sm_claims_aircraft(m->claims, p->aircraft)->fixes[p->fix];
    k[0] = llround(f->lon * 1e7);
    k[1] = llround(f->lat * 1e7);
    k[2] = llround(p->reach_km / 0.005);
    k[3] = p->verdict;
}

static uint64_t key_hash(const int64_t k[4])
{
    uint64_t h = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 4; i++) {
        h ^= (uint64_t)k[i];
        h *= 0xBF58476D1CE4E5B9u;
        h ^= h >> 31;
    }
    return h;
}

/* The distinct reach rings of the decided pairs in focus, each as the
 * index of its first pair: an open-addressing table of pair indices (4
 * bytes a slot, at most half full; the key recomputed from the pair), so
 * that 700,000 pairs cost 8 MB and no copy of their keys. */
typedef struct ring_set {
    uint32_t *slot; /* a pair index; UINT32_MAX: empty */
    size_t mask, len;
} ring_set;

/* Add a pair's ring unless an equal one is in (the table never grows: it
 * is sized for every candidate). */
static void ring_set_add(const sm_map *m, ring_set *rs, uint32_t pair)
{
    int64_t k[4], o[4];
    ring_key(m, pair, k);
    size_t h = (size_t)key_hash(k) & rs->mask;
    while (rs->slot[h] != UINT32_MAX) {
        ring_key(m, rs->slot[h], o);
        if (memcmp(k, o, sizeof(k)) == 0)
            return;
        h = (h + 1) & rs->mask;
    }
    rs->slot[h] = pair;
    rs->len++;
}

static bool ring_candidate(const sm_map *m, const sm__mpair *p)
{
    return sm__mpair_binds(p) && p->reach_km > 0 && isfinite(p->reach_km) && sm__focus_pair(m, p);
}

/* Widest first; equal reach in pair order (deterministic). */
static bool wider(const sm__mpair *pairs, uint32_t a, uint32_t b)
{
    if (pairs[a].reach_km != pairs[b].reach_km)
        return pairs[a].reach_km > pairs[b].reach_km;
    return a < b;
}

void sm__radius_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LAYERS)
        return;
    const sm_claims *c = m->claims;
    /* Combat radius + weapon range around each base, once per radius. */
    for (size_t i = 0; (m->show & SM_MAP_RADIUS) && i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        if (a->base_index < 0 || a->refuelled || a->type_ref == NULL || !sm__focus_aircraft(m, i) ||
            !(a->type_ref->combat_radius_km > 0))
            continue;
        const sm_base *b = sm_claims_base(c, (size_t)a->base_index);
        const sm_weapon *w = aircraft_weapon(m->ctx, a);
        double radius = a->type_ref->combat_radius_km + (w ? w->range_km : 0);
        if (seen_ring(m, b->lon, b->lat, radius, SM__RING_RADIUS, 0))
            continue;
        sm__ring *r = new_ring(m, SM__RING_RADIUS, 0, radius);
        if (r == NULL || !sm__geo_circle(m, b->lon, b->lat, radius, NULL, &r->line, 0))
            continue;
        if (r->line.parts.len == 0)
            continue;
        m->rg.has_radius = true;
        if (!(m->show & SM_MAP_LABELS))
            continue;
        /* The base's first name: up to " / " or "(" (ASCII, so the cut is
         * at a character boundary), without trailing blanks. */
        const char *base = b->info.label ? b->info.label : b->info.id;
        size_t bl = strcspn(base, "/(");
        while (bl > 0 && base[bl - 1] == ' ')
            bl--;
        char *text = bl < INT_MAX ? sm__strfmt("%s radius from %.*s: %.0f km", a->type_ref->type,
                                               (int)bl, base, radius)
                                  : NULL;
        if (text == NULL) {
            sm__map_nomem(m, "ring labels");
            return;
        }
        ring_label(m, r, text);
        free(text);
    }
}

/* A decided pair's ring; false when out of memory or when its outline
 * does not cross the panel (then, when dense, it is taken back: past
 * SM__MAP_READABLE_RINGS only rings a reader can see are drawn). */
static bool pair_ring(sm_map *m, uint32_t pair, bool dense)
{
    const sm__mpair *p = &m->pairs.p[pair];
    const sm_fix *f = &sm_claims_aircraft(m->claims, p->aircraft)->fixes[p->fix];
    sm__ring *r = new_ring(m, SM__RING_REACH, p->verdict, p->reach_km);
    if (r == NULL)
        return false;
    bool ok = sm__geo_circle(m, f->lon, f->lat, p->reach_km, &r->fill, &r->line, 0);
    if (ok)
        judge_fill(m, r); /* sets fill_visible when some of the outline is in the panel */
    bool seen = ok && r->fill_visible;
    if (dense && !seen) {
        sm__paths_free(&r->fill);
        sm__paths_free(&r->line);
        m->rg.rings.len--;
        return false;
    }
    if (!ok)
        return false;
    /* The rings that rule a claim out, or nearly, are filled: the strike
     * left outside the area the aircraft could reach is the point of the
     * map. A plausible pair's ring is an outline (fills of several rings
     * muddy each other), and one many times wider than the distance it
     * decides, which says only "easily", a lighter one. */
    r->loose = (p->flags & SM__MPAIR_LOOSE) != 0;
    if (p->verdict == SM_VERDICT_PLAUSIBLE || dense) /* dense: fills would tint it all */
        r->fill_visible = false;
    if (r->line.parts.len > 0 || r->fill_visible)
        m->rg.has_reach = true;
    return seen;
}

/* The reach of each decided pair (its fix binds: sm__pair_fix_binds)
 * around its binding fix, each distinct ring once, the widest first so
 * that smaller rings stay visible on top. An undecided pair's fix says
 * nothing about the strike: it has no ring. Past SM__MAP_READABLE_RINGS
 * distinct rings, only those that rule a claim out (or nearly): the
 * SM__MAP_DENSE_RINGS widest of them that cross the panel, looked for
 * among the SM__MAP_DENSE_RING_TRIES widest (dozens of rings cover a
 * city, and the widest may all lie off the map). Linear in the pairs: one
 * pass into the table of distinct rings, one over the table keeping the
 * widest few. */
static void pair_rings(sm_map *m)
{
    const sm__mpair *pairs = m->pairs.p;
    size_t np = m->pairs.len, n = 0;
    for (size_t i = 0; i < np; i++)
        n += ring_candidate(m, &pairs[i]);
    if (n == 0)
        return;
    ring_set rs = {NULL, 15, 0};
    while (rs.mask + 1 < 2 * n && rs.mask < SIZE_MAX / 8)
        rs.mask = 2 * rs.mask + 1;
    rs.slot = malloc((rs.mask + 1) * sizeof(uint32_t));
    if (rs.slot == NULL) {
        sm__map_nomem(m, "rings");
        return;
    }
    memset(rs.slot, 0xff, (rs.mask + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < np; i++)
        if (ring_candidate(m, &pairs[i]))
            ring_set_add(m, &rs, (uint32_t)i);
    bool dense = rs.len > SM__MAP_READABLE_RINGS;
    /* The candidates, widest first, by insertion into a short list. */
    uint32_t pick[SM__MAP_DENSE_RING_TRIES > SM__MAP_READABLE_RINGS ? SM__MAP_DENSE_RING_TRIES
                                                                    : SM__MAP_READABLE_RINGS];
    size_t n_pick = 0, room = dense ? SM__MAP_DENSE_RING_TRIES : SM__MAP_READABLE_RINGS;
    for (size_t h = 0; h <= rs.mask; h++) {
        uint32_t q = rs.slot[h];
        if (q == UINT32_MAX)
            continue;
        int v = pairs[q].verdict;
        if (dense && v != SM_VERDICT_IMPLAUSIBLE && v != SM_VERDICT_MARGINAL)
            continue;
        if (n_pick == room && !wider(pairs, q, pick[room - 1]))
            continue;
        size_t at = n_pick < room ? n_pick++ : room - 1;
        while (at > 0 && wider(pairs, q, pick[at - 1])) {
            pick[at] = pick[at - 1];
            at--;
        }
        pick[at] = q;
    }
    size_t distinct = rs.len, drawn = 0;
    free(rs.slot);
    for (size_t i = 0; i < n_pick && m->status == SM_OK; i++)
        if (!dense || drawn < SM__MAP_DENSE_RINGS)
            drawn += pair_ring(m, pick[i], dense) || !dense;
    if (distinct > drawn && m->status == SM_OK)
        sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "reach",
                 "%zu reach rings left out: with more than %d on a map, only those that rule a "
                 "claim out or nearly (implausible, marginal) are drawn, at most %d, the widest "
                 "that cross the map",
                 distinct - drawn, SM__MAP_READABLE_RINGS, SM__MAP_DENSE_RINGS);
}

void sm__reach_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LAYERS)
        return;
    /* The caller's own circles (the area a type can reach from a point). */
    for (size_t i = 0; (m->show & SM_MAP_REACH) && i < m->opt.n_areas; i++) {
        const sm_map_area *a = &m->opt.areas[i];
        if (!(a->radius_km > 0))
            continue;
        sm__ring *r = new_ring(m, SM__RING_REACH, SM_VERDICT_PLAUSIBLE, a->radius_km);
        if (r == NULL || !sm__geo_circle(m, a->lon, a->lat, a->radius_km, &r->fill, &r->line, 0))
            continue;
        judge_fill(m, r);
        if (r->line.parts.len > 0 || r->fill_visible)
            m->rg.has_reach = true;
        /* The point the reach is measured from is marked, and kept clear. */
        double o[2] = {a->lon, a->lat};
        sm__to_canvas(m, o, 1);
        if (o[0] != HUGE_VAL && sm__in_panel(m, o[0], o[1], 0)) {
            r->origin = true;
            r->ox = o[0];
            r->oy = o[1];
            m->rg.has_origin = true;
            sm__obstacle_add_mark(m, o[0] - 4.5, o[1] - 4.5, o[0] + 4.5, o[1] + 4.5);
        }
        if (a->label != NULL && (m->show & SM_MAP_LABELS))
            ring_label(m, r, a->label);
    }
    if (m->show & SM_MAP_REACH)
        pair_rings(m);
}

/* The uncertainty circles drawn so far. */
typedef struct unc {
    size_t count, left_out;
    double min_r; /* pt */
} unc;

/* A claimed point's uncertainty circle, if it is drawn; false when the
 * layout failed. */
static bool uncertainty_one(sm_map *m, unc *u, double lon, double lat, double r)
{
    if (!(r > 0) || r / m->view.km_per_pt < u->min_r)
        return true;
    double xy[2] = {lon, lat};
    sm__to_canvas(m, xy, 1);
    if (xy[0] == HUGE_VAL || !sm__in_panel(m, xy[0], xy[1], r / m->view.km_per_pt))
        return true;
    if (seen_ring(m, lon, lat, r, SM__RING_UNCERTAINTY, 0))
        return true;
    if (u->count >= SM__MAP_MAX_UNCERTAINTY_RINGS) {
        u->left_out++;
        return true;
    }
    u->count++;
    sm__ring *rg = new_ring(m, SM__RING_UNCERTAINTY, 0, r);
    if (rg != NULL && sm__geo_circle(m, lon, lat, r, NULL, &rg->line, 0) && rg->line.parts.len > 0)
        m->rg.has_uncertainty = true;
    return m->status == SM_OK;
}

static bool uncertainty_batch(sm_map *m, const sm_strike *s, size_t n, size_t first, void *user)
{
    for (size_t i = 0; i < n; i++)
        if (sm__focus_strike(m, first + i) &&
            !uncertainty_one(m, user, s[i].lon, s[i].lat, s[i].location_uncertainty_km))
            return false;
    return true;
}

void sm__uncertainty_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LAYERS || !(m->show & SM_MAP_UNCERTAINTY))
        return;
    const sm_claims *c = m->claims;
    unc u = {0, 0, m->style.strike_size * m->view.mark_scale};
    if ((m->show & SM_MAP_STRIKES) && sm__strikes_each(m, uncertainty_batch, &u) != SM_OK)
        return;
    for (size_t i = 0; i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        if (!sm__focus_aircraft(m, i) || a->is_track || a->n_fixes != 1 ||
            !(m->show & SM_MAP_FIXES))
            continue;
        if (!uncertainty_one(m, &u, a->fixes[0].lon, a->fixes[0].lat, a->location_uncertainty_km))
            return;
    }
    if (u.left_out > 0)
        sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "uncertainty",
                 "%zu location-uncertainty circles left out: a map draws at most %d", u.left_out,
                 SM__MAP_MAX_UNCERTAINTY_RINGS);
}

/* ---- drawing ------------------------------------------------------------------- */

/* The point a caller's circle is measured from: a ringed dot. */
static void origin_symbol(const sm__style *st, cairo_t *cr, double x, double y)
{
    cairo_new_path(cr);
    cairo_arc(cr, x, y, 3.6, 0, 2 * SM__PI);
    sm__set_rgba(cr, st->halo);
    cairo_fill_preserve(cr);
    sm__set_rgba(cr, st->text);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
    cairo_arc(cr, x, y, 1.3, 0, 2 * SM__PI);
    cairo_fill(cr);
}

void sm__radius_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase != SM__PHASE_RINGS)
        return;
    cairo_t *cr = d->cr;
    const sm__style *st = &m->style;
    sm__ring *rings = m->rg.rings.data;
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < m->rg.rings.len; i++) {
        if (rings[i].kind != SM__RING_RADIUS)
            continue;
        sm__paths_to_cairo(&rings[i].line, d, false, -1, false);
        double dash[2] = {3.5, 2.5};
        cairo_set_dash(cr, dash, 2, 0);
        sm__set_rgba(cr, st->radius);
        cairo_set_line_width(cr, st->radius_w);
        cairo_stroke(cr);
    }
}

/* Fills, then outlines. */
void sm__reach_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase != SM__PHASE_RINGS)
        return;
    cairo_t *cr = d->cr;
    const sm__style *st = &m->style;
    sm__ring *rings = m->rg.rings.data;
    for (size_t i = 0; i < m->rg.rings.len; i++) {
        if (rings[i].kind != SM__RING_REACH || !rings[i].fill_visible)
            continue;
        sm__paths_to_cairo(&rings[i].fill, d, true, -1, true);
        sm__rgba c = st->verdict[rings[i].verdict];
        c.a *= st->ring_fill_alpha;
        sm__set_rgba(cr, c);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
        cairo_fill(cr);
    }
    for (size_t i = 0; i < m->rg.rings.len; i++) {
        if (rings[i].kind != SM__RING_REACH)
            continue;
        sm__paths_to_cairo(&rings[i].line, d, false, -1, false);
        double w = rings[i].loose ? st->ring_w * 0.7 : st->ring_w;
        sm__set_verdict_dash(cr, rings[i].verdict, w);
        sm__rgba c = st->verdict[rings[i].verdict];
        if (rings[i].loose)
            c.a *= 0.5;
        sm__set_rgba(cr, c);
        cairo_set_line_width(cr, w);
        cairo_stroke(cr);
    }
    for (size_t i = 0; m->rg.has_origin && i < m->rg.rings.len; i++)
        if (rings[i].origin) {
            cairo_save(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            origin_symbol(st, cr, rings[i].ox, rings[i].oy);
            cairo_restore(cr);
        }
}

void sm__uncertainty_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase != SM__PHASE_RINGS)
        return;
    cairo_t *cr = d->cr;
    sm__ring *rings = m->rg.rings.data;
    for (size_t i = 0; i < m->rg.rings.len; i++) {
        if (rings[i].kind != SM__RING_UNCERTAINTY)
            continue;
        sm__paths_to_cairo(&rings[i].line, d, false, -1, false);
        double dash[2] = {1.2, 1.2};
        cairo_set_dash(cr, dash, 2, 0);
        sm__set_rgba(cr, m->style.uncertainty);
        cairo_set_line_width(cr, m->style.uncertainty_w);
        cairo_stroke(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);
}

/* ---- legend ---------------------------------------------------------------------- */

static void reach_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y, double w)
{
    (void)variant;
    const sm__style *st = &m->style;
    double cx = x + w / 2;
    cairo_arc(cr, cx, y + 6, 8, -SM__PI * 0.85, -SM__PI * 0.15);
    cairo_line_to(cr, cx, y + 6);
    cairo_close_path(cr);
    cairo_set_source_rgba(cr, 0.4, 0.4, 0.4, st->ring_fill_alpha * 1.5);
    cairo_fill(cr);
    cairo_arc(cr, cx, y + 6, 8, -SM__PI * 0.85, -SM__PI * 0.15);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(cr, st->ring_w);
    cairo_stroke(cr);
}

static void radius_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y, double w)
{
    (void)variant;
    double dash[2] = {3.5, 2.5};
    cairo_arc(cr, x + w / 2, y + 6, 8, -SM__PI * 0.85, -SM__PI * 0.15);
    cairo_set_dash(cr, dash, 2, 0);
    sm__set_rgba(cr, m->style.radius);
    cairo_set_line_width(cr, m->style.radius_w);
    cairo_stroke(cr);
}

static void uncertainty_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y,
                               double w)
{
    (void)variant;
    double dash[2] = {1.2, 1.2};
    cairo_arc(cr, x + w / 2, y, 4, 0, 2 * SM__PI);
    cairo_set_dash(cr, dash, 2, 0);
    sm__set_rgba(cr, m->style.uncertainty);
    cairo_set_line_width(cr, m->style.uncertainty_w);
    cairo_stroke(cr);
}

static void origin_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y, double w)
{
    (void)variant;
    origin_symbol(&m->style, cr, x + w / 2, y);
}

void sm__reach_legend(sm_map *m, sm__vec *legend)
{
    bool of_pairs = m->rg.has_reach && m->pairs.len > 0;
    if (of_pairs)
        sm__legend_push(m, legend, reach_swatch, 0, "Reach by the strike time (colour: verdict)",
                        false);
    else if (m->rg.has_reach)
        sm__legend_push(m, legend, reach_swatch, 0, "Area within reach", false);
    if (m->rg.has_origin)
        sm__legend_push(m, legend, origin_swatch, 0, "Where the reach is measured from", false);
}

void sm__radius_legend(sm_map *m, sm__vec *legend)
{
    if (m->rg.has_radius)
        sm__legend_push(m, legend, radius_swatch, 0, "Combat radius + weapon range", false);
}

void sm__uncertainty_legend(sm_map *m, sm__vec *legend)
{
    if (m->rg.has_uncertainty)
        sm__legend_push(m, legend, uncertainty_swatch, 0, "Location uncertainty", false);
}
