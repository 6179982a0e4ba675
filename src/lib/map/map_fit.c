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
    bool fixes = sm__map_shows(m, SM_MAP_FIXES | SM_MAP_TRACKS),
         bases = sm__map_shows(m, SM_MAP_BASES), rings = sm__map_shows(m, SM_MAP_REACH);
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

/* Which strikes are fitted. */
typedef struct fit_pass {
    sm__fit *f;
    bool all;
    sm__fit_fn fn;
    void *user;
    sm__vec pts;
} fit_pass;

/* Is there a strike in focus whose position is not flagged? */
static bool any_unflagged(sm_map *m, const sm_strike *s, size_t n, size_t first, void *user)
{
    bool *any = user;
    for (size_t i = 0; i < n && !*any; i++)
        *any = sm__focus_strike(m, first + i) && !sm__strike_flagged(&s[i]);
    return true;
}

/* A batch's points: each strike's point and its area's vertices. */
static bool fit_batch(sm_map *m, const sm_strike *s, size_t n, size_t first, void *user)
{
    fit_pass *fp = user;
    fp->pts.len = 0;
    for (size_t i = 0; i < n; i++) {
        if (fp->all) {
            if (!push_ll(&fp->pts, s[i].lon, s[i].lat))
                goto nomem;
            continue;
        }
        if (!sm__focus_strike(m, first + i) || (fp->f->skip_flagged && sm__strike_flagged(&s[i])))
            continue;
        if (!push_ll(&fp->pts, s[i].lon, s[i].lat))
            goto nomem;
        size_t nv = 0;
        for (size_t r = 0; r < s[i].n_rings; r++)
            nv += s[i].ring_sizes[r];
        for (size_t k = 0; k < nv; k++)
            if (!push_ll(&fp->pts, s[i].ring_lonlat[2 * k], s[i].ring_lonlat[2 * k + 1]))
                goto nomem;
    }
    return fp->pts.len == 0 || fp->fn(m, fp->pts.data, fp->pts.len, fp->user);
nomem:
    sm__map_nomem(m, "map extent");
    return false;
}

bool sm__fit_each(sm_map *m, sm__fit *f, bool all, sm__fit_fn fn, void *user)
{
    fit_pass fp = {f, all, fn, user, {0}};
    sm__vec_init(&fp.pts, 2 * sizeof(double));
    /* Strikes are fitted when every claimed position is, or when they are
     * drawn (and no options.bbox). A strike whose position is flagged as
     * a likely error does not stretch the frame (it is drawn at the
     * edge), unless all are. */
    bool shown = sm__map_shows(m, SM_MAP_STRIKES) ||
                 sm__map_shows(m, SM_MAP_FIXES | SM_MAP_TRACKS) || sm__map_shows(m, SM_MAP_BASES);
    fp.all = all || (!shown && !m->opt.has_bbox);
    bool strikes = fp.all || (!m->opt.has_bbox && sm__map_shows(m, SM_MAP_STRIKES));
    if (strikes && !fp.all && !f->known) {
        bool any = false;
        if (sm__strikes_each(m, any_unflagged, &any) != SM_OK)
            return false;
        f->skip_flagged = any;
        f->known = true;
    }
    bool ok = !strikes || sm__strikes_each(m, fit_batch, &fp) == SM_OK;
    if (ok) {
        fp.pts.len = 0;
        if (!(all ? fit_all(m, &fp.pts) : fit_drawn(m, &fp.pts))) {
            sm__map_nomem(m, "map extent");
            ok = false;
        }
    }
    if (ok && fp.pts.len > 0)
        ok = fn(m, fp.pts.data, fp.pts.len, user);
    sm__vec_free(&fp.pts);
    return ok;
}
