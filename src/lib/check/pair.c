/*
 * pair.c: one strike/aircraft or strike/launcher pair by the model of SPEC
 * §3 (model.c owns each rule): which fixes bind, the weapon assumed, the
 * time test at every binding fix, the sortie test from a base, a
 * launcher's test, and the verdict with the numbers behind it.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <geodesic.h>

#include "check/engine.h"

/* The smallest separation (s) the two windows allow. */
static double gap_between(const sm_when *s, const fix_time *f)
{
    return fmax(0.0, fmax(f->start - s->end, s->start - f->end));
}

/* Sorted ends with ft[0].end <= t < ft[n - 1].end: narrow [*l, *h), the
 * bisection's range for the first fix ending after t, from where t falls
 * between the ends (fixes come at a steady rate on most tracks: then a
 * step or two finds it, where the bisection's steps each wait on memory).
 * The bisection ends on the same fix whatever the range it starts from,
 * since with sorted ends only one fix is the first to end after t. */
static void guess(const fix_time *ft, const prep *p, size_t n, double t, size_t *l, size_t *h)
{
    double f = (t - p->end_first) / (p->end_last - p->end_first) * (double)(n - 1);
    size_t g = f > 0 ? (f < (double)(n - 1) ? (size_t)f : n - 1) : 0;
    *l = 1; /* ft[0] ends at or before t, ft[n - 1] after */
    *h = n - 1;
    if (ft[g].end <= t) {
        *l = g + 1;
        for (int k = 0; k < 3 && *l < *h && ft[*l].end <= t; k++)
            ++*l;
        if (*l < *h && ft[*l].end > t)
            *h = *l;
    } else {
        *h = g;
        for (int k = 0; k < 3 && *h > *l && ft[*h - 1].end > t; k++)
            --*h;
        if (*h > *l && ft[*h - 1].end <= t)
            *l = *h;
    }
}

void sm__candidate_range(const engine *e, const sm_aircraft *a, const prep *p, const sm_when *s,
                         size_t *lo, size_t *hi)
{
    size_t n = a->n_fixes;
    if (!a->is_track || n == 1) {
        *lo = 0;
        *hi = 1;
        return;
    }
    const fix_time *ft = e->ft + p->xyz_off;
    size_t l = 0, h = n;
    /* a window past either end of the track, found at once (what the
     * bisection below finds when the ends are sorted) */
    if (p->ends_sorted && p->end_last <= s->start)
        l = h = n;
    else if (p->ends_sorted && p->end_first > s->start)
        h = 0;
    else if (p->ends_sorted)
        guess(ft, p, n, s->start, &l, &h);
    while (l < h) {
        size_t mid = (l + h) / 2;
        if (ft[mid].end <= s->start)
            l = mid + 1;
        else
            h = mid;
    }
    size_t i = l; /* fixes[0 .. l) end at or before s->start */
    *lo = i > 0 ? i - 1 : 0;
    while (i < n && ft[i].start < s->end)
        i++;
    *hi = i < n ? i + 1 : n;
}

size_t sm__candidate_fixes(const engine *e, const sm_aircraft *a, const prep *p, const sm_when *s,
                           size_t *lo, size_t *hi)
{
    sm__candidate_range(e, a, p, s, lo, hi);
    if (!a->is_track || a->n_fixes == 1)
        return 0;
    const fix_time *ft = e->ft + p->xyz_off;
    size_t nearest = *lo;
    double best = (double)INFINITY;
    for (size_t k = *lo; k < *hi; k++) {
        double g = gap_between(s, &ft[k]);
        if (g < best) {
            best = g;
            nearest = k;
        }
    }
    return nearest;
}

/* One test's outcome, to combine into the verdict. */
typedef struct outcome {
    sm_test test;
    sm_verdict verdict; /* PLAUSIBLE, MARGINAL or IMPLAUSIBLE */
    double margin_km;
} outcome;

/* The verdict of the tests made: the worst of them; decided by the worst
 * test with the least margin. */
static void combine(sm_pair *r, const outcome *o, size_t n)
{
    r->verdict = SM_VERDICT_UNKNOWN;
    r->decided_by = SM_TEST_NONE;
    for (size_t i = 0; i < n; i++) {
        if (o[i].test == SM_TEST_NONE)
            continue;
        if (r->decided_by == SM_TEST_NONE || o[i].verdict > r->verdict ||
            (o[i].verdict == r->verdict && o[i].margin_km < r->margin_km)) {
            r->verdict = o[i].verdict;
            r->decided_by = o[i].test;
            r->margin_km = o[i].margin_km;
        }
    }
}

static sm_verdict grade(double margin, bool marginal)
{
    return margin < 0 ? SM_VERDICT_IMPLAUSIBLE
                      : (marginal ? SM_VERDICT_MARGINAL : SM_VERDICT_PLAUSIBLE);
}

static void pair_init(const engine *e, sm_pair *r, size_t si, size_t ai)
{
    memset(r, 0, sizeof(*r));
    r->strike = si;
    r->aircraft = ai;
    r->by_kind = SM_KIND_AIRCRAFT;
    r->fix = -1;
    r->distance_km = r->available_minutes = r->required_speed_kmh = r->reach_km = (double)NAN;
    r->base_distance_km = r->combat_radius_km = r->closest_approach_km = (double)NAN;
    r->gap_minutes = r->margin_km = r->max_speed_kmh = r->cruise_speed_kmh = (double)NAN;
    r->weapon_speed_kmh = r->time_margin_km = r->cruise_reach_km = (double)NAN;
    r->route_km = r->sortie_limit_km = r->sortie_margin_km = r->launcher_margin_km = (double)NAN;
    r->marginal_fraction = e->opt.marginal_fraction;
    r->max_gap_minutes = e->opt.max_gap_minutes;
}

bool sm__route_fixes(const engine *e, const sm_strike *s, const sm_aircraft *a, size_t *first,
                     size_t *last)
{
    double gap_s = e->opt.max_gap_minutes * 60;
    *first = SIZE_MAX;
    *last = 0;
    for (size_t k = 0; k < a->n_fixes; k++) {
        const sm_when *w = &a->fixes[k].when;
        double before =
            (s->when.start - s->when.uncertainty_min * 60) - (w->end + w->uncertainty_min * 60);
        if (!w->known || before < 0 || before > gap_s)
            continue;
        if (*first == SIZE_MAX)
            *first = k;
        *last = k;
    }
    return *first != SIZE_MAX;
}

/* The sortie test (SPEC §3): base -> the claimed fixes within the maximum
 * gap before the strike, in order -> the release point (the weapon's range
 * short of the strike) -> back to base, against twice the combat radius.
 * A fix is on the route only when it is before the strike whatever the
 * windows and uncertainties allow (a fix that may be after it says nothing
 * of the way there). Legs that end at an uncertain point are shortened by
 * its uncertainty. */
static outcome sortie_test(const engine *e, const sm_strike *s, const sm_aircraft *a, const prep *p,
                           sm_pair *r, size_t *n_exact)
{
    const sm_base *b = sm_claims_base(e->claims, (size_t)a->base_index);
    double R = r->weapon_range_km;
    double back = fmax(0.0, r->base_distance_km - s->location_uncertainty_km - R);
    double route = back;
    int nf = 0;
    size_t first, last;
    if (s->when.known) {
        if (sm__route_fixes(e, s, a, &first, &last)) {
            const sm_fix *f0 = &a->fixes[first], *f1 = &a->fixes[last];
            route += fmax(0.0, sm__geod_distance_km(b->lon, b->lat, f0->lon, f0->lat) -
                                   a->location_uncertainty_km);
            for (size_t k = first; k < last; k++)
                route += e->seg_km[p->xyz_off + k];
            double d_rel = sm__strike_distance(s, f1->lon, f1->lat, n_exact);
            route += fmax(0.0, d_rel - r->location_uncertainty_km - R);
            *n_exact += 1;
            nf = (int)(last - first + 1);
        } else {
            route += back;
        }
    } else {
        route += back;
    }
    r->route_km = route;
    r->route_fixes = nf;
    r->sortie_limit_km = 2 * p->radius_km;
    r->sortie_margin_km = r->sortie_limit_km - route;
    outcome o = {SM_TEST_SORTIE,
                 grade(r->sortie_margin_km, route > e->opt.marginal_fraction * r->sortie_limit_km),
                 r->sortie_margin_km};
    return o;
}

/* A launcher's test (SPEC §3): the strike within the weapon's range, and,
 * with both times, the weapon's flight no longer than the time from launch
 * to strike (a launch after the strike fails). Marginal beyond the
 * --marginal fraction of the range or of the time. */
static int evaluate_launcher(const engine *e, size_t si, size_t li, sm_pair *out,
                             sm_check_summary *sum)
{
    const sm_strike *s = sm_claims_strike(e->claims, si);
    const sm_launcher *l = sm_claims_launcher(e->claims, li);
    sm_pair r;
    pair_init(e, &r, si, li);
    r.by_kind = SM_KIND_LAUNCHER;
    const sm_weapon *w = l->weapon_ref;
    r.weapon = w->name;
    r.weapon_basis = SM_WEAPON_LAUNCHER;
    r.weapon_flags = (w->launch & (SM_LAUNCH_SHIP | SM_LAUNCH_GROUND)) ? 0 : SM_WEAPON_NOT_AIR;
    if (s->when.known && w->in_service > sm_model_year(s->when.start))
        r.weapon_flags |= SM_WEAPON_NOT_IN_SERVICE;
    r.weapon_range_km = w->range_km;
    r.weapon_speed_kmh = w->speed_kmh;
    r.location_uncertainty_km = s->location_uncertainty_km + l->location_uncertainty_km;
    size_t n_exact = 0;
    r.distance_km = sm__strike_distance(s, l->lon, l->lat, &n_exact);
    double d = fmax(0.0, r.distance_km - r.location_uncertainty_km);
    double margin = w->range_km - d;
    bool marginal = d > e->opt.marginal_fraction * w->range_km;
    if (s->when.known && l->when.known && w->speed_kmh > 0) {
        /* signed: a launch after the strike leaves negative time */
        double dt =
            (s->when.end - l->when.start) / 60 + s->when.uncertainty_min + l->when.uncertainty_min;
        r.available_minutes = dt;
        double flight_km = w->speed_kmh * dt / 60;
        r.reach_km = fmin(w->range_km, fmax(0.0, flight_km)) + r.location_uncertainty_km;
        margin = fmin(margin, flight_km - d);
        marginal = marginal || d > e->opt.marginal_fraction * flight_km;
    } else {
        r.reach_km = w->range_km + r.location_uncertainty_km;
    }
    r.launcher_margin_km = margin;
    outcome o = {SM_TEST_LAUNCHER, grade(margin, marginal), margin};
    combine(&r, &o, 1);
    r.closest_approach_km = r.distance_km;
    sum->pairs++;
    sum->by_verdict[r.verdict]++;
    sum->exact_distances += n_exact;
    *out = r;
    return SM__ROW_LISTED;
}
/* The weapon a pair assumes (model.c's rule: the strike's, else the
 * aircraft's, else the fitting default of the type), recorded in r. */
const sm_weapon *sm__pair_weapon_of(const engine *e, const sm_strike *s, const sm_aircraft *a,
                                    const prep *p, int year)
{
    if (s->weapon_ref != NULL)
        return s->weapon_ref;
    if (a->weapon_ref != NULL)
        return a->weapon_ref;
    return p->n_def > 0 ? sm__pick_default(e->defaults + p->def_off, p->n_def, year) : NULL;
}

static const sm_weapon *pair_weapon(const engine *e, const sm_strike *s, const sm_aircraft *a,
                                    const prep *p, double t_strike, sm_pair *r)
{
    const sm_weapon *w = sm__pair_weapon_of(e, s, a, p, sm_model_year(t_strike));
    if (s->weapon_ref != NULL || a->weapon_ref != NULL) {
        r->weapon_basis = s->weapon_ref != NULL ? SM_WEAPON_STRIKE : SM_WEAPON_AIRCRAFT;
        r->weapon_flags = sm__weapon_fit(e->ctx, w, a, t_strike);
    } else {
        r->weapon_basis = w != NULL ? SM_WEAPON_DEFAULT : SM_WEAPON_NONE;
    }
    r->weapon = w ? w->name : NULL;
    r->weapon_assumed = r->weapon_basis == SM_WEAPON_DEFAULT;
    r->weapon_not_carried = (r->weapon_flags & SM_WEAPON_NOT_CARRIED) != 0;
    r->weapon_range_km = w ? w->range_km : 0;
    r->weapon_speed_kmh = w ? w->speed_kmh : (double)NAN;
    return w;
}

/* What is missing for a time test (SM_MISSING_* in r->missing), and the
 * candidate fixes [*lo, *hi); returns how many of them bind. */
static size_t binding_fixes(const engine *e, const sm_strike *s, const sm_aircraft *a,
                            const prep *p, sm_pair *r, size_t *lo, size_t *hi)
{
    if (!s->when.known)
        r->missing |= SM_MISSING_STRIKE_TIME;
    if (!p->timed)
        r->missing |= SM_MISSING_FIX_TIME;
    if (!(p->vmax_kmh > 0))
        r->missing |= SM_MISSING_MAX_SPEED;
    *lo = *hi = 0;
    if (r->missing != 0)
        return 0;
    double gap_min = e->opt.max_gap_minutes;
    size_t nb = 0, nearest = sm__candidate_fixes(e, a, p, &s->when, lo, hi);
    const fix_time *ft = e->ft + p->xyz_off;
    for (size_t k = *lo; k < *hi; k++)
        nb += sm__available_min(&s->when, &ft[k]) <= gap_min;
    if (nb == 0) {
        r->missing |= (s->when.end - s->when.start) / 60 + s->when.uncertainty_min > gap_min
                          ? SM_MISSING_COARSE_TIME
                          : SM_MISSING_NEAR_FIX;
        r->gap_minutes = gap_between(&s->when, &ft[nearest]) / 60;
    }
    return nb;
}

/* Area targets are not ruled out this way. */
bool sm__ruled_out(const engine *e, const sm_strike *s, const sm_aircraft *a, const prep *p,
                   double R, double W, double u, size_t lo, size_t hi, const double sxyz[3],
                   bool use_base)
{
    if (s->n_rings > 0)
        return false;
    for (size_t k = lo; k < hi; k++) {
        double dt = sm__available_min(&s->when, &e->ft[p->xyz_off + k]);
        if (dt > e->opt.max_gap_minutes)
            continue;
        double reach = sm_model_reach_km(p->vmax_kmh, dt, R, W) + u;
        if (sm__chord_km((const double *)e->xyz[p->xyz_off + k], sxyz) > reach)
            return true;
    }
    return use_base && sm__base_ruled_out(s, a, p, R, sxyz);
}

bool sm__base_ruled_out(const sm_strike *s, const sm_aircraft *a, const prep *p, double R,
                        const double sxyz[3])
{
    return 2 * (sm__chord_km(p->base_xyz, sxyz) - s->location_uncertainty_km - R) -
               2 * a->location_uncertainty_km >
           2 * p->radius_km;
}

/* The time test at every binding fix in [lo, hi); the worst decides, and
 * its numbers go into r. The binding fixes' geodesics are kept in known
 * for the closest approach. false when out of memory. */
static bool time_tests(const engine *e, const sm_strike *s, const sm_aircraft *a, const prep *p,
                       sm_pair *r, size_t lo, size_t hi, outcome *worst, double *best_dist,
                       sm__vec *known, size_t *n_exact)
{
    double R = r->weapon_range_km, W = r->weapon_speed_kmh, u = r->location_uncertainty_km;
    *worst = (outcome){SM_TEST_NONE, SM_VERDICT_UNKNOWN, (double)INFINITY};
    for (size_t k = lo; k < hi; k++) {
        const sm_fix *f = &a->fixes[k];
        double dt = sm__available_min(&s->when, &e->ft[p->xyz_off + k]);
        if (dt > e->opt.max_gap_minutes)
            continue;
        double d;
        if (s->n_rings == 0 && a->is_track) {
            double s12, azi1, azi2;
            geod_inverse(sm__wgs84(), f->lat, f->lon, s->lat, s->lon, &s12, &azi1, &azi2);
            (*n_exact)++;
            d = s12 / 1000.0;
            known_fix *kf = sm__vec_push(known);
            if (kf == NULL)
                return false;
            *kf = (known_fix){k, d, azi1};
        } else {
            d = sm__strike_distance(s, f->lon, f->lat, n_exact);
        }
        *best_dist = fmin(*best_dist, d);
        double de = fmax(0.0, d - u);
        double reach = sm_model_reach_km(p->vmax_kmh, dt, R, W);
        double margin = reach - de;
        double cruise_reach =
            p->cruise_kmh > 0 ? sm_model_reach_km(p->cruise_kmh, dt, R, W) : (double)NAN;
        double need = sm_model_required_speed_kmh(de, dt, R, W);
        bool marginal =
            p->cruise_kmh > 0 ? de > cruise_reach : need > e->opt.marginal_fraction * p->vmax_kmh;
        sm_verdict v = grade(margin, marginal);
        if (worst->test == SM_TEST_NONE || v > worst->verdict ||
            (v == worst->verdict && margin < worst->margin_km)) {
            *worst = (outcome){SM_TEST_TIME, v, margin};
            r->fix = (long)k;
            r->distance_km = d;
            r->available_minutes = dt;
            r->reach_km = reach + u;
            r->cruise_reach_km = cruise_reach + u;
            r->required_speed_kmh = need;
            r->time_margin_km = margin;
        }
    }
    return true;
}

/* Unknown: the distance from the fix nearest in time (without times, the
 * nearest fix), so that the reader sees how far it was. */
static double nearest_fix(const engine *e, const sm_strike *s, const sm_aircraft *a, const prep *p,
                          sm_pair *r, size_t *n_exact)
{
    double best = (double)INFINITY;
    size_t k0 = 0, k1 = a->n_fixes;
    if (s->when.known && p->timed) {
        size_t l2, h2;
        k0 = sm__candidate_fixes(e, a, p, &s->when, &l2, &h2);
        k1 = k0 + 1;
    }
    for (size_t k = k0; k < k1; k++) {
        double d = sm__strike_distance(s, a->fixes[k].lon, a->fixes[k].lat, n_exact);
        if (d < best) {
            best = d;
            r->fix = (long)k;
        }
    }
    r->distance_km = best;
    return best;
}

int sm__evaluate(const engine *e, size_t si, size_t ai, sm__eval_mode mode, sm_pair *out,
                 sm_check_summary *sum, const double sxyz[3], sm__vec *known_buf)
{
    if (ai >= e->na)
        return evaluate_launcher(e, si, ai - e->na, out, sum);
    const sm_strike *s = sm_claims_strike(e->claims, si);
    const sm_aircraft *a = sm_claims_aircraft(e->claims, ai);
    const prep *p = &e->pa[ai];
    double t_strike = s->when.known ? s->when.start : (double)NAN;
    if (e->mode_is_group &&
        !sm_tables_operator_includes(e->ctx, e->opt.operator_name, a->operator_name, t_strike))
        return -2; /* not a member of the group on the strike's date */
    sm_pair r;
    pair_init(e, &r, si, ai);
    r.max_speed_kmh = p->vmax_kmh;
    r.cruise_speed_kmh = p->cruise_kmh;
    pair_weapon(e, s, a, p, t_strike, &r);
    r.location_uncertainty_km = s->location_uncertainty_km + a->location_uncertainty_km;
    bool use_base = a->base_index >= 0 && !a->refuelled && p->radius_km > 0;
    sum->pairs++;
    size_t lo, hi;
    size_t nb = binding_fixes(e, s, a, p, &r, &lo, &hi);
    int cls = SM__ROW_LISTED;
    if (r.missing != 0 && mode == SM__EVAL_PRUNE) {
        /* Only counted: no binding fix (the sortie test alone is not
         * looked for in these modes; see the README). */
        sum->by_verdict[SM_VERDICT_UNKNOWN]++;
        sum->unlisted_unknown++;
        return SM__ROW_COUNTED;
    }
    if (mode != SM__EVAL_FULL && r.missing == 0 &&
        sm__ruled_out(e, s, a, p, r.weapon_range_km, r.weapon_speed_kmh, r.location_uncertainty_km,
                      lo, hi, sxyz, use_base)) {
        if (mode == SM__EVAL_PRUNE) {
            sum->by_verdict[SM_VERDICT_IMPLAUSIBLE]++;
            sum->unlisted_implausible++;
            return SM__ROW_COUNTED;
        }
        cls = SM__ROW_IMPLAUSIBLE; /* its exact numbers follow, to list it */
    }
    size_t n_exact = 0;
    double best_dist = (double)INFINITY;
    outcome tests[2];
    size_t n_tests = 0;
    known_buf->len = 0;
    if (r.missing == 0) {
        if (!time_tests(e, s, a, p, &r, lo, hi, &tests[n_tests], &best_dist, known_buf, &n_exact))
            return -1;
        n_tests++;
        r.n_binding = (int)nb;
    } else {
        best_dist = nearest_fix(e, s, a, p, &r, &n_exact);
    }
    if (a->base_index >= 0) {
        const sm_base *b = sm_claims_base(e->claims, (size_t)a->base_index);
        r.base_distance_km = sm__strike_distance(s, b->lon, b->lat, &n_exact);
        /* with no binding fix, the operator and all-pairs modes leave the
         * sortie test out, listed or not (the verdict is what is counted) */
        if (use_base && (mode == SM__EVAL_FULL || r.missing == 0)) {
            r.combat_radius_km = p->radius_km;
            tests[n_tests++] = sortie_test(e, s, a, p, &r, &n_exact);
        }
    }
    combine(&r, tests, n_tests);
    if (e->opt.no_closest_approach || !isfinite(best_dist))
        r.closest_approach_km = (double)NAN;
    else
        r.closest_approach_km =
            a->is_track && r.missing == 0
                ? sm__closest_approach(e, a, p, s, sxyz, best_dist, known_buf->data, known_buf->len,
                                       &n_exact)
                : best_dist;
    sum->by_verdict[r.verdict]++;
    sum->exact_distances += n_exact;
    *out = r;
    if (cls == SM__ROW_LISTED && r.verdict == SM_VERDICT_UNKNOWN)
        cls = SM__ROW_UNKNOWN;
    return cls;
}
