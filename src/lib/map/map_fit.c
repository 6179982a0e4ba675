/*
 * map_fit.c: the points the default extent must hold (the view module):
 * the corners and edges of options.bbox, or what the map draws (the parts
 * shown, the claims in focus) with the reach rings that rule a claim out
 * and the caller's circles.
 */
#include <math.h>
#include <stdlib.h>

#include "map/map_internal.h"

static bool push_ll(sm__vec *v, double lon, double lat)
{
    if (!isfinite(lon) || !isfinite(lat))
        return true;
    double *p = sm__vec_push(v);
    if (p == NULL)
        return false;
    p[0] = lon;
    p[1] = lat;
    return true;
}

/* Every claimed position (a map whose claim layers are all hidden still
 * shows where the claims are). */
static bool fit_all(const sm_map *m, sm__vec *pts)
{
    const sm_claims *c = m->claims;
    for (size_t i = 0; i < sm_claims_strike_count(c); i++)
        if (!push_ll(pts, sm_claims_strike(c, i)->lon, sm_claims_strike(c, i)->lat))
            return false;
    for (size_t i = 0; i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        for (size_t k = 0; k < a->n_fixes; k++)
            if (!push_ll(pts, a->fixes[k].lon, a->fixes[k].lat))
                return false;
    }
    for (size_t i = 0; i < sm_claims_base_count(c); i++)
        if (!push_ll(pts, sm_claims_base(c, i)->lon, sm_claims_base(c, i)->lat))
            return false;
    return true;
}

/* What the default extent must show: every position drawn, and the reach
 * rings that rule a claim out or nearly (implausible, marginal). Rings of
 * plausible pairs and combat-radius rings can be far larger than the area
 * in question (an aircraft twelve hours away could reach half the globe);
 * they are drawn but not fitted, and run off the edge. */
static bool fit_drawn(sm_map *m, sm__vec *pts)
{
    const sm_claims *c = m->claims;
    if (m->opt.has_bbox) {
        double w = m->opt.bbox[0], s = m->opt.bbox[1], e = m->opt.bbox[2], n = m->opt.bbox[3];
        if (e < w)
            e += 360;
        for (int i = 0; i <= 64; i++) {
            double t = i / 64.0;
            if (!push_ll(pts, w + t * (e - w), s) || !push_ll(pts, w + t * (e - w), n) ||
                !push_ll(pts, w, s + t * (n - s)) || !push_ll(pts, e, s + t * (n - s)))
                return false;
        }
        return true;
    }
    /* What the map draws: the parts shown, the claims in focus. With none
     * of them (every claim layer hidden), all positions. */
    bool any = sm__map_shows(m, SM_MAP_STRIKES) || sm__map_shows(m, SM_MAP_FIXES | SM_MAP_TRACKS) ||
               sm__map_shows(m, SM_MAP_BASES);
    if (!any)
        return fit_all(m, pts);
    bool strikes = sm__map_shows(m, SM_MAP_STRIKES),
         fixes = sm__map_shows(m, SM_MAP_FIXES | SM_MAP_TRACKS),
         bases = sm__map_shows(m, SM_MAP_BASES), rings = sm__map_shows(m, SM_MAP_REACH);
    /* A strike whose position is flagged as a likely error does not
     * stretch the frame (it is drawn at the edge), unless all are. */
    bool skip_flagged = false;
    for (size_t i = 0; strikes && i < sm_claims_strike_count(c) && !skip_flagged; i++)
        skip_flagged = sm__focus_strike(m, i) && !sm__strike_flagged(sm_claims_strike(c, i));
    for (size_t i = 0; i < sm_claims_strike_count(c); i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        if (!strikes || !sm__focus_strike(m, i) || (skip_flagged && sm__strike_flagged(s)))
            continue;
        if (!push_ll(pts, s->lon, s->lat))
            return false;
        size_t nv = 0;
        for (size_t r = 0; r < s->n_rings; r++)
            nv += s->ring_sizes[r];
        for (size_t k = 0; k < nv; k++)
            if (!push_ll(pts, s->ring_lonlat[2 * k], s->ring_lonlat[2 * k + 1]))
                return false;
    }
    for (size_t i = 0; fixes && i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        for (size_t k = 0; sm__focus_aircraft(m, i) && k < a->n_fixes; k++)
            if (!push_ll(pts, a->fixes[k].lon, a->fixes[k].lat))
                return false;
    }
    for (size_t i = 0; bases && i < sm_claims_base_count(c); i++) {
        const sm_base *b = sm_claims_base(c, i);
        if (sm__focus_base(m, i) && !push_ll(pts, b->lon, b->lat))
            return false;
    }
    for (size_t i = 0; rings && i < m->opt.n_areas; i++) {
        const sm_map_area *a = &m->opt.areas[i];
        if (!push_ll(pts, a->lon, a->lat))
            return false;
        for (int k = 0; k < 72 && a->radius_km > 0 && a->radius_km < 20000; k++) {
            double lo, la;
            sm__geod_direct(a->lon, a->lat, k * 5.0, a->radius_km, &lo, &la);
            if (!push_ll(pts, lo, la))
                return false;
        }
    }
    /* The rings that rule a claim out are fitted while they are few; at
     * real sizes (dozens) they would frame a whole region for one city. */
    size_t n_rings = 0;
    for (size_t i = 0; rings && i < m->pairs.len; i++) {
        const sm__mpair *p = &m->pairs.p[i];
        n_rings += sm__focus_pair(m, p) &&
                   (p->verdict == SM_VERDICT_IMPLAUSIBLE || p->verdict == SM_VERDICT_MARGINAL) &&
                   p->fix >= 0 && p->reach_km > 0 && p->reach_km <= 5000;
    }
    if (n_rings > SM__MAP_FIT_RINGS)
        rings = false;
    for (size_t i = 0; rings && i < m->pairs.len; i++) {
        const sm__mpair *p = &m->pairs.p[i];
        if (!sm__focus_pair(m, p) ||
            (p->verdict != SM_VERDICT_IMPLAUSIBLE && p->verdict != SM_VERDICT_MARGINAL) ||
            p->fix < 0 || !(p->reach_km > 0) || p->reach_km > 5000)
            continue;
        const sm_fix *f = &sm_claims_aircraft(c, p->aircraft)->fixes[p->fix];
        for (int k = 0; k < 72; k++) {
            double lo, la;
            sm__geod_direct(f->lon, f->lat, k * 5.0, p->reach_km, &lo, &la);
            if (!push_ll(pts, lo, la))
                return false;
        }
    }
    return true;
}

bool sm__fit_points(sm_map *m, sm__vec *pts, bool all)
{
    return all ? fit_all(m, pts) : fit_drawn(m, pts);
}
