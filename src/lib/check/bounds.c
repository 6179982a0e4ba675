/*
 * bounds.c: verdicts from bounds of the geodesics, both ways, so that a
 * pair whose verdict no printed number needs (check --count, and the pairs
 * only counted in the summary) is decided without an exact geodesic when
 * the bounds leave no doubt, in every pairing mode. The rules are model.c's
 * and pair.c's; here each binding fix's distance d is only known to lie in
 * [L, U], and every test's verdict grows with d (with the route, for the
 * sortie test), so the verdicts at L and at U bound the pair's. When they
 * agree, that is the verdict; else pair.c solves the pair exactly.
 *
 * The bounds, for two points of the WGS84 ellipsoid with straight chord c
 * (km, through the Earth) and geodesic distance d:
 *  - L = c: a chord is never longer than the path.
 *  - U = 2 R asin(c / 2R), R = b^2 / a = 6335.439 km, the ellipsoid's
 *    least radius of curvature. A geodesic's curvature in space is the
 *    normal curvature of its direction, at most 1 / R; by Schur's
 *    comparison theorem a curve of length d <= pi R with curvature at most
 *    1 / R spans a chord of at least 2 R sin(d / 2R), the chord of a circle
 *    arc of radius R, so d <= 2 R asin(c / 2R). The premise d <= pi R holds
 *    for c <= 12,000 km: the radial projection of the sphere of radius a
 *    onto the ellipsoid shortens every path (r^2 + r'^2 <= a^2 in
 *    geocentric latitude, since a^2 <= 2 b^2), so d <= a sigma, sigma the
 *    angle the points make at the centre, and c >= 2 b sin(sigma / 2), so
 *    d <= 2 a asin(c / 2b) <= 15,745 km < pi R = 19,903 km. Beyond, d is at
 *    most half a meridian, 20,004 km.
 *  - For c <= CMAX = 0.2 R, U <= c (1 + K c^2), K = 1.01 / 24 R^2
 *    (asin x <= x (1 + 1.01 x^2 / 6) for x = c / 2R <= 0.1), and for c <= R,
 *    K2 = 1.14 / 24 R^2 ((asin x / x - 1) / (x^2 / 6) grows with x and is
 *    1.1328 at x = 0.5): no asin, no sine in the loops.
 * Both are widened by EPS = 1 mm, far above the rounding of the chord and
 * of PROJ's geodesic (nanometres), so the exact path can never fall outside.
 *
 * The chords are computed over all the binding fixes of a strike's pairs
 * at once, in plain loops over contiguous arrays that the compiler
 * vectorises; each fix's thresholds (the distances at which its verdict
 * changes, turned into squared chords) are computed as the fixes are
 * gathered. Area targets, launchers, and the plausible tier of types
 * without a cruise speed (marginal there is a speed, not a distance) are
 * left to the exact path.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/engine.h"

#define SM_R_MIN 6335.439 /* km: b^2 / a on WGS84, rounded down */
#define SM_EPS   1e-6     /* km */
#define SM_CMAX  (0.2 * SM_R_MIN)
#define SM_K     (1.01 / (24.0 * SM_R_MIN * SM_R_MIN))
#define SM_K2    (1.14 / (24.0 * SM_R_MIN * SM_R_MIN))
#define SM_CFAR  12000.0 /* km: the chord up to which U holds as above */

/* An upper bound of the geodesic distance between two points of the
 * ellipsoid c km apart in a straight line. */
static double geod_upper(double c)
{
    if (c <= SM_CMAX)
        return c * (1 + SM_K * c * c) + SM_EPS;
    if (c <= SM_CFAR)
        return 2 * SM_R_MIN * asin(c / (2 * SM_R_MIN)) * (1 + 1e-12) + SM_EPS;
    return 20004.0;
}

static double geod_lower(double c)
{
    return c - SM_EPS;
}

/* A chord whose points are surely no more than x km apart on the
 * ellipsoid, squared (-1: none): the inverse of U's polynomial forms (no
 * sine a fix). A reach beyond R (6,335 km) settles only chords up to R's. */
static double chord2_within(double x)
{
    x = (x <= SM_R_MIN ? x : SM_R_MIN) - SM_EPS; /* fmin(x, R), inline */
    if (x <= 0)
        return -1;
    /* x (1 - k x^2) <= x / (1 + k x^2): no division either */
    double c = x * (1 - (x <= SM_CMAX ? SM_K : SM_K2) * x * x);
    return c * c;
}

/* The smallest chord beyond which points are surely more than x km apart
 * (x >= 0), squared. */
static double chord2_beyond(double x)
{
    double c = x + SM_EPS;
    return c * c;
}

static double chord_km(const double a[3], const double b[3])
{
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return sqrt(dx * dx + dy * dy + dz * dz);
}

void sm__qscratch_free(sm__qscratch *q)
{
    free(q->x);
    free(q->y);
    free(q->z);
    free(q->t_impl);
    free(q->t_marg);
    free(q->t_plaus);
    free(q->t_reach);
    free(q->lo);
    free(q->hi);
    free(q->r_out);
    free(q->out);
    free(q->off);
    free(q->n);
    free(q->wr);
    free(q->ws);
    free(q->sortie);
    memset(q, 0, sizeof(*q));
}

static bool grow(void **p, size_t cap, size_t size)
{
    void *np = realloc(*p, cap * size);
    if (np == NULL)
        return false;
    *p = np;
    return true;
}

/* Room for n pairs and, for the fixes, at least need in all. */
static bool reserve(sm__qscratch *q, size_t n_pairs, size_t need)
{
    if (n_pairs > q->pcap) {
        size_t cap = n_pairs < 64 ? 64 : n_pairs;
        if (!grow((void **)&q->off, cap, sizeof(size_t)) ||
            !grow((void **)&q->n, cap, sizeof(size_t)) ||
            !grow((void **)&q->wr, cap, sizeof(double)) ||
            !grow((void **)&q->ws, cap, sizeof(double)) ||
            !grow((void **)&q->sortie, cap, sizeof(bool)))
            return false;
        q->pcap = cap;
    }
    if (need > q->cap) {
        size_t cap = q->cap ? q->cap : 256;
        while (cap < need)
            cap *= 2;
        double **arr[] = {&q->x,       &q->y,  &q->z,  &q->t_impl, &q->t_marg, &q->t_plaus,
                          &q->t_reach, &q->lo, &q->hi, &q->r_out,  &q->out};
        for (size_t i = 0; i < sizeof(arr) / sizeof(arr[0]); i++)
            if (!grow((void **)arr[i], cap, sizeof(double)))
                return false;
        q->cap = cap;
    }
    return true;
}

static sm_verdict grade(double margin, bool marginal)
{
    return margin < 0 ? SM_VERDICT_IMPLAUSIBLE
                      : (marginal ? SM_VERDICT_MARGINAL : SM_VERDICT_PLAUSIBLE);
}

/* The sortie test's verdict (pair.c's sortie_test) at the shortest and the
 * longest route the bounds allow, into *lo and *hi. */
static void sortie_range(const engine *e, const sm_strike *s, const sm_aircraft *a, const prep *p,
                         double R, double u, const double sxyz[3], sm_verdict *lo, sm_verdict *hi)
{
    double cb = chord_km(p->base_xyz, sxyz);
    double backL = fmax(0.0, geod_lower(cb) - s->location_uncertainty_km - R);
    double backU = fmax(0.0, geod_upper(cb) - s->location_uncertainty_km - R);
    double routeL = backL, routeU = backU;
    size_t first, last;
    if (s->when.known && sm__route_fixes(e, s, a, &first, &last)) {
        const double(*xyz)[3] = (const double(*)[3])e->xyz + p->xyz_off;
        double c0 = chord_km(p->base_xyz, xyz[first]);
        routeL += fmax(0.0, geod_lower(c0) - a->location_uncertainty_km);
        routeU += fmax(0.0, geod_upper(c0) - a->location_uncertainty_km);
        for (size_t k = first; k < last; k++) {
            routeL += e->seg_km[p->xyz_off + k];
            routeU += e->seg_km[p->xyz_off + k];
        }
        double c1 = chord_km(xyz[last], sxyz);
        routeL += fmax(0.0, geod_lower(c1) - u - R);
        routeU += fmax(0.0, geod_upper(c1) - u - R);
    } else {
        routeL += backL;
        routeU += backU;
    }
    double limit = 2 * p->radius_km, f = e->opt.marginal_fraction;
    *lo = grade(limit - routeL, routeL > f * limit);
    *hi = grade(limit - routeU, routeU > f * limit);
}

/* Pass 1, one pair: what is missing, its weapon, and its binding fixes
 * with their thresholds appended to q from *nf on. Returns the outcome when
 * the pair is settled without its fixes' chords, else SM__QUICK_EXACT with
 * the fixes gathered (q->n[i] of them). */
static sm__quick gather(const engine *e, const sm_strike *s, size_t i, size_t ai,
                        sm__eval_mode mode, int year, const double sxyz[3], sm__qscratch *q,
                        size_t *nf)
{
    const sm_aircraft *a = sm_claims_aircraft(e->claims, ai);
    const prep *p = &e->pa[ai];
    double t_strike = s->when.known ? s->when.start : (double)NAN;
    q->n[i] = 0;
    q->off[i] = *nf;
    q->sortie[i] = false;
    if (e->mode_is_group &&
        !sm_tables_operator_includes(e->ctx, e->opt.operator_name, a->operator_name, t_strike))
        return (sm__quick){-2, SM_VERDICT_UNKNOWN};
    bool use_base = a->base_index >= 0 && !a->refuelled && p->radius_km > 0;
    bool missing = !s->when.known || !p->timed || !(p->vmax_kmh > 0);
    /* a strike window outside the aircraft's span meets no binding fix */
    bool none = missing || s->when.start > p->span_hi + 1 || s->when.end < p->span_lo - 1;
    if (none && !(mode == SM__EVAL_FULL && use_base)) /* (below, without the weapon) */
        return (sm__quick){mode == SM__EVAL_PRUNE ? SM__ROW_COUNTED : SM__ROW_UNKNOWN,
                           SM_VERDICT_UNKNOWN};
    const sm_weapon *w = sm__pair_weapon_of(e, s, a, p, year);
    double R = w ? w->range_km : 0, W = w ? w->speed_kmh : (double)NAN;
    double u = s->location_uncertainty_km + a->location_uncertainty_km;
    q->wr[i] = R;
    q->ws[i] = W;
    size_t nb = 0;
    if (!none) {
        size_t lo, hi;
        sm__candidate_range(e, a, p, &s->when, &lo, &hi);
        bool cruise = p->cruise_kmh > 0;
        for (size_t k = lo; k < hi; k++) {
            double dt = sm__available_min(&s->when, &e->ft[p->xyz_off + k]);
            if (dt > e->opt.max_gap_minutes)
                continue;
            if (!e->count_only) { /* listing: only whether any binds */
                nb++;
                continue;
            }
            size_t j = *nf + nb++;
            const double *xyz = e->xyz[p->xyz_off + k];
            q->x[j] = xyz[0];
            q->y[j] = xyz[1];
            q->z[j] = xyz[2];
            /* pair.c's time test: implausible beyond reach; marginal
             * beyond cruise reach (or, without a cruise speed, above the
             * --marginal fraction of top speed: not bounded here) */
            double reach = sm__reach_km(p->vmax_kmh, dt, R, W);
            double cr = reach;
            if (cruise) { /* fmin, inline */
                double c = sm__reach_km(p->cruise_kmh, dt, R, W);
                cr = c <= reach || isnan(reach) ? c : reach;
            }
            q->r_out[j] = reach + u; /* pair.c's sm__ruled_out, the same sum */
            q->t_impl[j] = chord2_beyond(reach + u);
            q->t_marg[j] = chord2_beyond(cr + u);
            q->t_plaus[j] = cruise && s->n_rings == 0 ? chord2_within(cr + u) : -1;
            q->t_reach[j] = s->n_rings == 0 ? chord2_within(reach + u) : -1;
            if (s->n_rings > 0) /* to the area's nearest point: only the upper side fails */
                q->t_impl[j] = q->t_marg[j] = (double)INFINITY;
        }
    }
    if (missing || nb == 0) {
        if (mode == SM__EVAL_PRUNE)
            return (sm__quick){SM__ROW_COUNTED, SM_VERDICT_UNKNOWN};
        if (mode == SM__EVAL_FULL && use_base) {
            /* the sortie test alone */
            if (s->n_rings > 0)
                return (sm__quick){SM__QUICK_EXACT, SM_VERDICT_UNKNOWN};
            sm_verdict lo, hi;
            sortie_range(e, s, a, p, R, u, sxyz, &lo, &hi);
            return (sm__quick){lo == hi ? SM__ROW_LISTED : SM__QUICK_EXACT, lo};
        }
        return (sm__quick){SM__ROW_UNKNOWN, SM_VERDICT_UNKNOWN};
    }
    if (!e->count_only) /* a pair with a binding fix is listed: solved exactly */
        return (sm__quick){SM__QUICK_EXACT, SM_VERDICT_UNKNOWN};
    q->n[i] = nb;
    *nf += nb;
    q->sortie[i] = use_base;
    return (sm__quick){SM__QUICK_EXACT, SM_VERDICT_UNKNOWN};
}

/* The chords from the strike s to the fixes and each fix's verdict bounds
 * (PLAUSIBLE + how many thresholds the chord passes), and whether the
 * chord itself exceeds the fix's reach (pair.c's sm__ruled_out, the same
 * chord as sm__chord_km computes it), in one loop the compiler vectorises
 * (restrict parameters; doubles throughout: gcc 12 does not vectorise the
 * mix of double compares and integer stores). */
static void chords(size_t n, const sm__qscratch *q, const double s[3])
{
    const double *restrict x = q->x, *restrict y = q->y, *restrict z = q->z;
    const double *restrict ti = q->t_impl, *restrict tm = q->t_marg;
    const double *restrict tp = q->t_plaus, *restrict tr = q->t_reach, *restrict ro = q->r_out;
    double *restrict lo = q->lo, *restrict hi = q->hi, *restrict out = q->out;
    const double sx = s[0], sy = s[1], sz = s[2];
    for (size_t j = 0; j < n; j++) {
        double dx = x[j] - sx, dy = y[j] - sy, dz = z[j] - sz;
        double c2 = dx * dx + dy * dy + dz * dz;
        lo[j] = SM_VERDICT_PLAUSIBLE + (c2 > tm[j] ? 1.0 : 0.0) + (c2 > ti[j] ? 1.0 : 0.0);
        hi[j] = SM_VERDICT_PLAUSIBLE + (c2 > tp[j] ? 1.0 : 0.0) + (c2 > tr[j] ? 1.0 : 0.0);
        out[j] = sqrt(c2) > ro[j] ? 1.0 : 0.0;
    }
}

/* pair.c's sm__ruled_out for pair i, from the chords above. */
static bool ruled_out(const sm__qscratch *q, size_t i, const sm_strike *s, const sm_aircraft *a,
                      const prep *p, const double sxyz[3])
{
    if (s->n_rings > 0)
        return false;
    for (size_t j = q->off[i]; j < q->off[i] + q->n[i]; j++)
        if (q->out[j] != 0)
            return true;
    return q->sortie[i] && sm__base_ruled_out(s, a, p, q->wr[i], sxyz);
}

bool sm__quick_pairs(const engine *e, size_t si, const size_t *cand, size_t n, sm__eval_mode mode,
                     const double sxyz[3], sm__qscratch *q, sm__quick *out)
{
    const sm_strike *s = sm_claims_strike(e->claims, si);
    int year = sm_model_year(s->when.known ? s->when.start : (double)NAN);
    size_t nf = 0;
    if (!reserve(q, n, 1))
        return false;
    /* Pass 1: each pair's binding fixes and their thresholds. */
    for (size_t i = 0; i < n; i++) {
        size_t ai = cand[i];
        if (ai >= e->na) { /* launchers: few, solved exactly */
            q->n[i] = 0;
            out[i] = (sm__quick){SM__QUICK_EXACT, SM_VERDICT_UNKNOWN};
            continue;
        }
        const sm_aircraft *a = sm_claims_aircraft(e->claims, ai);
        /* at most 2 fixes plus those inside the strike's window */
        if (!reserve(q, n, nf + a->n_fixes + 1))
            return false;
        out[i] = gather(e, s, i, ai, mode, year, sxyz, q, &nf);
    }
    /* Pass 2: the chords of all those fixes, and each fix's verdict bounds. */
    chords(nf, q, sxyz);
    const double *lo = q->lo, *hi = q->hi;
    /* Pass 3: each pair's verdict bounds, the worst fix's, and its sortie. */
    for (size_t i = 0; i < n; i++) {
        if (out[i].cls != SM__QUICK_EXACT || q->n[i] == 0)
            continue;
        bool use_sortie = q->sortie[i];
        size_t ai = cand[i];
        const sm_aircraft *a = sm_claims_aircraft(e->claims, ai);
        const prep *p = &e->pa[ai];
        double u = s->location_uncertainty_km + a->location_uncertainty_km;
        if (mode != SM__EVAL_FULL) {
            /* pair.c's chord bound decides the pair's class, as there */
            if (ruled_out(q, i, s, a, p, sxyz)) {
                out[i] = (sm__quick){mode == SM__EVAL_PRUNE ? SM__ROW_COUNTED : SM__ROW_IMPLAUSIBLE,
                                     SM_VERDICT_IMPLAUSIBLE};
                continue;
            }
        }
        double dlo = SM_VERDICT_PLAUSIBLE, dhi = SM_VERDICT_PLAUSIBLE;
        for (size_t j = q->off[i]; j < q->off[i] + q->n[i]; j++) {
            dlo = lo[j] > dlo ? lo[j] : dlo;
            dhi = hi[j] > dhi ? hi[j] : dhi;
        }
        sm_verdict vlo = (sm_verdict)(int)dlo, vhi = (sm_verdict)(int)dhi;
        if (use_sortie && vlo != SM_VERDICT_IMPLAUSIBLE) {
            if (s->n_rings > 0)
                continue;
            sm_verdict slo, shi;
            sortie_range(e, s, a, p, q->wr[i], u, sxyz, &slo, &shi);
            vlo = slo > vlo ? slo : vlo;
            vhi = shi > vhi ? shi : vhi;
        }
        if (vlo == vhi)
            out[i] = (sm__quick){SM__ROW_LISTED, (sm_verdict)vlo};
    }
    return true;
}
