/*
 * check.c: the plausibility engine of SPEC §3. For each strike/aircraft
 * pair: which fixes bind, the geodesic distances (PROJ's geod_inverse), time
 * available, reach, combat radius from the base, the verdict and the numbers
 * behind it.
 *
 * Scale: aircraft are indexed by the time span their fixes can bind, so a
 * strike meets only the aircraft with a fix within the maximum gap; in the
 * operator and all-pairs modes a conservative bound (the straight chord
 * through the Earth never exceeds the geodesic) rules out pairs before any
 * exact distance is computed. Work is split over threads by blocks of
 * strikes and handed to the caller in order, so memory stays bounded.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <geodesic.h>

#include "check/check_internal.h"
#include "output/output_internal.h" /* back edge: the engine drives the writers (issue 11) */

const char *sm_test_str(sm_test t)
{
    switch (t) {
    case SM_TEST_NONE: return "none";
    case SM_TEST_TIME: return "time";
    case SM_TEST_SORTIE: return "sortie";
    case SM_TEST_LAUNCHER: return "launcher";
    }
    return "none";
}

const char *sm_verdict_str(sm_verdict v)
{
    switch (v) {
    case SM_VERDICT_UNKNOWN: return "unknown";
    case SM_VERDICT_PLAUSIBLE: return "plausible";
    case SM_VERDICT_MARGINAL: return "marginal";
    case SM_VERDICT_IMPLAUSIBLE: return "implausible";
    }
    return "unknown";
}

double sm_geodesic_inverse(double lon1, double lat1, double lon2, double lat2, double *azimuth_deg)
{
    double s12, azi1, azi2;
    geod_inverse(sm__wgs84(), lat1, lon1, lat2, lon2, &s12, &azi1, &azi2);
    if (azimuth_deg != NULL)
        *azimuth_deg = azi1;
    return s12 / 1000.0;
}

bool sm__pair_fix_binds(const sm_pair *p)
{
    return p->by_kind != SM_KIND_LAUNCHER && p->fix >= 0 && p->n_binding > 0;
}

void sm__pair_party(const sm_pair *p, const sm_claims *claims, sm__party *out)
{
    memset(out, 0, sizeof(*out));
    if (p->by_kind == SM_KIND_LAUNCHER) {
        const sm_launcher *l = sm_claims_launcher(claims, p->aircraft);
        out->info = &l->info;
        out->type = "launcher";
        out->operator_name = l->operator_name;
        out->has_pos = true;
        out->lon = l->lon;
        out->lat = l->lat;
        out->when = &l->when;
        return;
    }
    const sm_aircraft *a = sm_claims_aircraft(claims, p->aircraft);
    out->info = &a->info;
    out->type = sm__type_name(a, "aircraft");
    out->operator_name = a->operator_name;
    out->base = a->base_index >= 0 ? a->base : NULL;
    if (p->fix >= 0) {
        out->has_pos = true;
        out->lon = a->fixes[p->fix].lon;
        out->lat = a->fixes[p->fix].lat;
        out->when = &a->fixes[p->fix].when;
    }
}

/* ---- what is prepared once per aircraft ---------------------------------- */

typedef struct prep {
    double vmax_kmh;
    double cruise_kmh;       /* (double)NAN when none */
    double radius_km;        /* (double)NAN when none */
    size_t def_off, n_def;   /* into engine.defaults: the type's default weapons
                                this aircraft's operator fields, longest first */
    bool timed;              /* every fix has a time */
    double span_lo, span_hi; /* a strike window outside this meets no binding fix */
    size_t xyz_off;          /* into engine.xyz, one triple per fix */
    double seg_max_km;       /* longest track segment */
    double base_xyz[3];
    size_t blk_off, n_blk; /* into engine.blk */
} prep;

/* A run of SM_BLOCK segments of a track inside a sphere: a strike farther
 * than the sphere's radius from its centre (in km, through the Earth) than
 * the best distance so far cannot come nearer to any point of the run. */
#define SM_BLOCK 8
typedef struct block {
    double c[3];
    double r;
} block;

/* An attacker (aircraft or launcher) by name: attackers are numbered
 * aircraft first, [0, na), then launchers, [na, na + nl). */
typedef struct op_entry {
    const char *name;
    size_t aircraft;
} op_entry;

typedef struct engine {
    sm_ctx *ctx;
    const sm_claims *claims;
    sm_check_options opt;
    size_t na, ns, nl;
    prep *pa;
    const sm_weapon **defaults;
    bool mode_is_group; /* operator mode: the name is a group (dated members) */
    double (*xyz)[3];   /* fixes */
    double *seg_km;     /* per fix: geodesic length of the segment to the next fix */
    double *azi_next;   /* per fix: azimuth there of the segment to the next fix */
    double *azi_prev;   /* per fix: azimuth there of the segment back to the previous */
    block *blk;
    size_t *by_start; /* aircraft with timed fixes, sorted by span_lo */
    double *by_start_lo;
    size_t n_by_start;
    double max_span_s;
    op_entry *ops; /* attackers by canonical operator, sorted case-insensitively */
    size_t n_ops;
    op_entry *ids; /* attackers sorted by id */
    bool *in_mode; /* attackers the mode pairs (operator mode: of that operator) */
} engine;

static int cmp_ops(const void *a, const void *b)
{
    const op_entry *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    return c ? c : (x->aircraft > y->aircraft) - (x->aircraft < y->aircraft);
}

static int cmp_ids(const void *a, const void *b)
{
    const op_entry *x = a, *y = b;
    return strcmp(x->name, y->name);
}

/* An index and the time it sorts by. */
typedef struct timed_index {
    double t;
    size_t i;
} timed_index;

static int cmp_timed(const void *a, const void *b)
{
    const timed_index *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static void engine_free(engine *e)
{
    free(e->pa);
    free(e->defaults);
    free(e->xyz);
    free(e->seg_km);
    free(e->azi_next);
    free(e->azi_prev);
    free(e->blk);
    free(e->by_start);
    free(e->by_start_lo);
    free(e->ops);
    free(e->ids);
    free(e->in_mode);
}

static sm_status engine_init(engine *e, sm_ctx *ctx, const sm_claims *claims,
                             const sm_check_options *options)
{
    memset(e, 0, sizeof(*e));
    e->ctx = ctx;
    /* Every table the workers read is loaded here, on the calling thread. */
    sm_status tst = sm_tables_load_defaults(ctx);
    if (tst != SM_OK)
        return tst;
    e->claims = claims;
    if (options != NULL)
        e->opt = *options;
    if (!(e->opt.marginal_fraction > 0))
        e->opt.marginal_fraction = 0.8;
    if (!(e->opt.max_gap_minutes > 0))
        e->opt.max_gap_minutes = 360;
    e->na = sm_claims_aircraft_count(claims);
    e->ns = sm_claims_strike_count(claims);
    e->nl = sm_claims_launcher_count(claims);
    size_t nt = e->na + e->nl;
    size_t nfix = 0;
    for (size_t i = 0; i < e->na; i++)
        nfix += sm_claims_aircraft(claims, i)->n_fixes;
    e->pa = calloc(e->na + 1, sizeof(*e->pa));
    e->xyz = malloc((nfix + 1) * sizeof(*e->xyz));
    e->seg_km = calloc(nfix + 1, sizeof(*e->seg_km));
    e->azi_next = calloc(nfix + 1, sizeof(*e->azi_next));
    e->azi_prev = calloc(nfix + 1, sizeof(*e->azi_prev));
    e->blk = calloc(nfix / SM_BLOCK + e->na + 1, sizeof(*e->blk));
    e->by_start = calloc(e->na + 1, sizeof(*e->by_start));
    e->by_start_lo = malloc((e->na + 1) * sizeof(*e->by_start_lo));
    e->ops = malloc((nt + 1) * sizeof(*e->ops));
    e->ids = malloc((nt + 1) * sizeof(*e->ids));
    e->in_mode = calloc(nt + 1, sizeof(*e->in_mode));
    if (!e->pa || !e->xyz || !e->seg_km || !e->azi_next || !e->azi_prev || !e->blk ||
        !e->by_start || !e->by_start_lo || !e->ops || !e->ids || !e->in_mode) {
        engine_free(e);
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    }
    double gap_s = e->opt.max_gap_minutes * 60.0;
    size_t off = 0, nblk = 0;
    /* Each aircraft's default weapons, filtered and sorted once (model.c). */
    sm__vec defs, one;
    sm__vec_init(&defs, sizeof(const sm_weapon *));
    sm__vec_init(&one, sizeof(const sm_weapon *));
    for (size_t i = 0; i < e->na; i++) {
        sm_status st = sm__default_weapons(ctx, sm_claims_aircraft(claims, i), &one);
        e->pa[i].def_off = defs.len;
        e->pa[i].n_def = one.len;
        for (size_t k = 0; k < one.len && st == SM_OK; k++) {
            const sm_weapon **slot = sm__vec_push(&defs);
            if (slot == NULL)
                st = sm__nomem(ctx, NULL, -1, NULL, NULL);
            else
                *slot = ((const sm_weapon **)one.data)[k];
        }
        if (st != SM_OK) {
            sm__vec_free(&defs);
            sm__vec_free(&one);
            engine_free(e);
            return st;
        }
    }
    sm__vec_free(&one);
    e->defaults = defs.data; /* owned by the engine now */
    if (e->opt.pairing == SM_PAIRS_OPERATOR) {
        const sm_operator *o = sm_tables_find_operator(ctx, e->opt.operator_name);
        e->mode_is_group = o != NULL && o->members[0] != NULL;
    }
    for (size_t i = 0; i < e->na; i++) {
        const sm_aircraft *a = sm_claims_aircraft(claims, i);
        prep *p = &e->pa[i];
        p->vmax_kmh =
            a->type_ref ? a->type_ref->max_speed_kmh
                        : (e->opt.fallback_speed_kmh > 0 ? e->opt.fallback_speed_kmh : (double)NAN);
        p->radius_km = a->type_ref ? a->type_ref->combat_radius_km : (double)NAN;
        p->cruise_kmh = a->type_ref ? a->type_ref->cruise_speed_kmh : (double)NAN;
        p->xyz_off = off;
        p->timed = a->n_fixes > 0;
        for (size_t k = 0; k < a->n_fixes; k++) {
            sm__ecef_km(a->fixes[k].lon, a->fixes[k].lat, e->xyz[off + k]);
            p->timed = p->timed && a->fixes[k].when.known;
            if (k + 1 < a->n_fixes) {
                double s12, azi1, azi2;
                geod_inverse(sm__wgs84(), a->fixes[k].lat, a->fixes[k].lon, a->fixes[k + 1].lat,
                             a->fixes[k + 1].lon, &s12, &azi1, &azi2);
                e->seg_km[off + k] = s12 / 1000.0;
                e->azi_next[off + k] = azi1;
                e->azi_prev[off + k + 1] = azi2 + 180.0;
                p->seg_max_km = fmax(p->seg_max_km, e->seg_km[off + k]);
            }
        }
        /* bounding spheres of runs of segments */
        p->blk_off = nblk;
        for (size_t k0 = 0; k0 + 1 < a->n_fixes; k0 += SM_BLOCK) {
            size_t k1 = k0 + SM_BLOCK < a->n_fixes - 1 ? k0 + SM_BLOCK : a->n_fixes - 1;
            block *b = &e->blk[nblk++];
            for (size_t k = k0; k <= k1; k++)
                for (int c = 0; c < 3; c++)
                    b->c[c] += e->xyz[off + k][c] / (double)(k1 - k0 + 1);
            double sag = 0;
            for (size_t k = k0; k <= k1; k++) {
                double dx = e->xyz[off + k][0] - b->c[0], dy = e->xyz[off + k][1] - b->c[1],
                       dz = e->xyz[off + k][2] - b->c[2];
                b->r = fmax(b->r, sqrt(dx * dx + dy * dy + dz * dz));
                if (k < k1)
                    sag = fmax(sag, e->seg_km[off + k] * e->seg_km[off + k] / (8 * 6335.439));
            }
            b->r += sag + 1e-6;
        }
        p->n_blk = nblk - p->blk_off;
        off += a->n_fixes;
        if (p->timed) {
            p->span_lo = a->fixes[0].when.start - gap_s;
            p->span_hi = a->fixes[0].when.end + gap_s;
            for (size_t k = 1; k < a->n_fixes; k++) {
                p->span_lo = fmin(p->span_lo, a->fixes[k].when.start - gap_s);
                p->span_hi = fmax(p->span_hi, a->fixes[k].when.end + gap_s);
            }
            e->by_start[e->n_by_start++] = i;
            e->max_span_s = fmax(e->max_span_s, p->span_hi - p->span_lo);
        }
        if (a->base_index >= 0) {
            const sm_base *b = sm_claims_base(claims, (size_t)a->base_index);
            sm__ecef_km(b->lon, b->lat, p->base_xyz);
        }
        e->ids[i] = (op_entry){a->info.id, i};
        if (a->operator_name != NULL)
            e->ops[e->n_ops++] = (op_entry){sm__operator_canonical(ctx, a->operator_name), i};
        /* A group's members at any date here; each strike's date is
         * checked when the pair is made (mode_is_group). */
        e->in_mode[i] =
            e->opt.pairing == SM_PAIRS_ALL ||
            (e->opt.pairing == SM_PAIRS_OPERATOR &&
             sm_tables_operator_includes(ctx, e->opt.operator_name, a->operator_name, (double)NAN));
    }
    for (size_t i = 0; i < e->nl; i++) {
        const sm_launcher *l = sm_claims_launcher(claims, i);
        e->ids[e->na + i] = (op_entry){l->info.id, e->na + i};
        if (l->operator_name != NULL)
            e->ops[e->n_ops++] =
                (op_entry){sm__operator_canonical(ctx, l->operator_name), e->na + i};
        e->in_mode[e->na + i] =
            e->opt.pairing == SM_PAIRS_ALL ||
            (e->opt.pairing == SM_PAIRS_OPERATOR &&
             sm_tables_operator_includes(ctx, e->opt.operator_name, l->operator_name, (double)NAN));
    }
    timed_index *order = malloc((e->n_by_start + 1) * sizeof(*order));
    if (order == NULL) {
        engine_free(e);
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    }
    for (size_t i = 0; i < e->n_by_start; i++)
        order[i] = (timed_index){e->pa[e->by_start[i]].span_lo, e->by_start[i]};
    qsort(order, e->n_by_start, sizeof(*order), cmp_timed);
    for (size_t i = 0; i < e->n_by_start; i++) {
        e->by_start[i] = order[i].i;
        e->by_start_lo[i] = order[i].t;
    }
    free(order);
    qsort(e->ops, e->n_ops, sizeof(*e->ops), cmp_ops);
    qsort(e->ids, nt, sizeof(*e->ids), cmp_ids);
    return SM_OK;
}

/* ---- geometry of one pair ----------------------------------------------- */

static double chord_km(const double a[3], const double b[3])
{
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return sqrt(dx * dx + dy * dy + dz * dz);
}

/* Distance (km) from (lon, lat) to the geodesic segment A-B of length
 * len_km, given the exact distances dA, dB to its ends. The foot of the
 * perpendicular is first placed by the plane triangle (dA, dB, len), then
 * refined: at each step the geodesic inverse from the current point gives
 * the distance and the angle to the line, and the foot moves by d cos(angle)
 * along it, the move that is exact in the tangent plane. Converges to well
 * under a millimetre in two or three steps. */
static double segment_distance(double lon, double lat, const sm_fix *a, const sm_fix *b,
                               double len_km, double dA, double dB, size_t *n_exact)
{
    double best = fmin(dA, dB);
    if (len_km <= 1e-9)
        return best;
    double x = (len_km * len_km + dA * dA - dB * dB) / (2 * len_km);
    if (x <= 0 || x >= len_km)
        return best; /* the nearest point is an end */
    struct geod_geodesicline line;
    geod_inverseline(&line, sm__wgs84(), a->lat, a->lon, b->lat, b->lon,
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH | GEOD_DISTANCE_IN);
    (*n_exact)++;
    double L = line.s13;
    double xm = x * 1000.0;
    for (int iter = 0; iter < 6; iter++) {
        double plat, plon, pazi, s12, azi1, azi2;
        geod_position(&line, xm, &plat, &plon, &pazi);
        geod_inverse(sm__wgs84(), plat, plon, lat, lon, &s12, &azi1, &azi2);
        (*n_exact)++;
        best = fmin(best, s12 / 1000.0);
        double step = s12 * cos((azi1 - pazi) * SM__PI / 180.0);
        double next = fmin(fmax(xm + step, 0.0), L);
        if (fabs(next - xm) < 1e-4)
            break;
        xm = next;
    }
    return best;
}

/* Longitude x moved by whole turns to within 180 degrees of ref. */
static double near_lon(double x, double ref)
{
    while (x - ref > 180)
        x -= 360;
    while (x - ref < -180)
        x += 360;
    return x;
}

/* Crossing-number test of a point against a polygon's rings in lon/lat
 * (small area targets; even-odd over all rings handles holes), with the
 * rings' longitudes taken within 180 degrees of the point's, so that a
 * target across the antimeridian is tested whole. */
static bool in_rings(const sm_strike *s, double lon, double lat)
{
    bool inside = false;
    const double *p = s->ring_lonlat;
    for (size_t r = 0; r < s->n_rings; r++) {
        size_t n = s->ring_sizes[r];
        for (size_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
            double xi = near_lon(p[2 * i], lon), yi = p[2 * i + 1];
            double xj = near_lon(p[2 * j], lon), yj = p[2 * j + 1];
            if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
                inside = !inside;
        }
        p += 2 * n;
    }
    return inside;
}

/* Distance from a point to the strike: to its point, or to the nearest point
 * of its area (0 inside). */
static double strike_distance(const sm_strike *s, double lon, double lat, size_t *n_exact)
{
    if (s->n_rings == 0) {
        (*n_exact)++;
        return sm__geod_distance_km(lon, lat, s->lon, s->lat);
    }
    if (in_rings(s, lon, lat))
        return 0;
    double best = (double)INFINITY;
    const double *p = s->ring_lonlat;
    sm_fix v0 = {0}, v1 = {0};
    for (size_t r = 0; r < s->n_rings; r++) {
        size_t n = s->ring_sizes[r];
        for (size_t i = 0; i + 1 < n; i++) {
            v0.lon = p[2 * i];
            v0.lat = p[2 * i + 1];
            v1.lon = p[2 * i + 2];
            v1.lat = p[2 * i + 3];
            double d0 = sm__geod_distance_km(lon, lat, v0.lon, v0.lat);
            double d1 = sm__geod_distance_km(lon, lat, v1.lon, v1.lat);
            double len = sm__geod_distance_km(v0.lon, v0.lat, v1.lon, v1.lat);
            *n_exact += 3;
            best = fmin(best, segment_distance(lon, lat, &v0, &v1, len, d0, d1, n_exact));
        }
        p += 2 * n;
    }
    return best;
}

/* A lower bound (km) of the geodesic distance from s to any point of the
 * geodesic segment a-b of length len_km: every point of that segment lies
 * within its sagitta, len^2 / 8 R_min, of the straight chord a-b (a
 * geodesic's curvature in space never exceeds 1 / R_min, R_min = b^2 / a
 * the ellipsoid's least radius of curvature), and a geodesic is never
 * shorter than the chord. */
static double segment_bound(const double a[3], const double b[3], const double s[3], double len_km)
{
    double ab[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    double as[3] = {s[0] - a[0], s[1] - a[1], s[2] - a[2]};
    double ab2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
    double t = ab2 > 0 ? (as[0] * ab[0] + as[1] * ab[1] + as[2] * ab[2]) / ab2 : 0;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    double q[3] = {a[0] + t * ab[0] - s[0], a[1] + t * ab[1] - s[1], a[2] + t * ab[2] - s[2]};
    const double r_min = 6335.439; /* km, b^2 / a on WGS84 */
    return sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]) - len_km * len_km / (8 * r_min) - 1e-6;
}

/* The foot of the perpendicular from the strike on the segment leaving
 * vertex (vlon, vlat) at azimuth azi_seg (degrees), len_km long, given the
 * exact distance d and azimuth azi_s from the vertex to the strike. When
 * the strike lies ahead (angle under 90 degrees), the foot is placed by the
 * tangent-plane step d cos(angle), then moved by the same step from there
 * until it stops; the distance reported is the exact geodesic one from the
 * strike to that point of the segment. Returns INFINITY when the nearest
 * point of the segment is the vertex itself. */
static double foot_distance(double vlon, double vlat, double azi_seg, double len_km, double d,
                            double azi_s, double slon, double slat, size_t *n_exact)
{
    double c = cos((azi_s - azi_seg) * SM__PI / 180.0);
    if (c <= 0 || len_km <= 0)
        return (double)INFINITY;
    struct geod_geodesicline line;
    geod_lineinit(&line, sm__wgs84(), vlat, vlon, azi_seg,
                  GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH | GEOD_DISTANCE_IN);
    /* first guess: the foot on a sphere of mean radius, tan(x/R) = tan(d/R)
     * cos(angle); the iteration below makes it right on the ellipsoid */
    const double R = 6371008.8;
    double dm = d * 1000.0;
    double x0 = dm < R * 1.5 ? R * atan(tan(dm / R) * c) : dm * c;
    double L = len_km * 1000.0, x = fmin(x0, L), best = (double)INFINITY;
    for (int iter = 0; iter < 6; iter++) {
        double plat, plon, pazi, s12, azi1, azi2;
        geod_position(&line, x, &plat, &plon, &pazi);
        geod_inverse(sm__wgs84(), plat, plon, slat, slon, &s12, &azi1, &azi2);
        (*n_exact)++;
        best = fmin(best, s12 / 1000.0);
        double step = s12 * cos((azi1 - pazi) * SM__PI / 180.0);
        double next = fmin(fmax(x + step, 0.0), L);
        /* The distance is stationary at the foot: a point |dx| from it is
         * farther by about dx^2 / 2d. Stop when that is under 0.1 mm. */
        double dx = next - x;
        if (dx * dx <= 2e-4 * fmax(s12, 1.0) || fabs(dx) < 1e-3)
            break;
        x = next;
    }
    return best;
}

/* Closest approach of the aircraft's whole track (geodesics between fixes)
 * to the strike. best: an exact distance already known (a binding fix).
 * The vertex with the smallest chord is solved exactly, then the feet on
 * its two segments; any other segment whose chord bound (cA + cB - L) / 2
 * (triangle inequality; chords never exceed geodesics) is under the best
 * so far is solved too, so the result is exact however the track winds. */
typedef struct known_fix {
    size_t fix;
    double d_km, azi; /* exact distance and azimuth from the fix to the strike */
} known_fix;

static double closest_approach(const engine *e, const sm_aircraft *a, const prep *p,
                               const sm_strike *s, const double sxyz[3], double best,
                               const known_fix *known, size_t n_known, size_t *n_exact)
{
    if (s->n_rings > 0) {
        for (size_t k = 0; k < a->n_fixes; k++)
            best = fmin(best, strike_distance(s, a->fixes[k].lon, a->fixes[k].lat, n_exact));
        return best;
    }
    size_t n = a->n_fixes;
    const double(*xyz)[3] = (const double(*)[3])e->xyz + p->xyz_off;
    const double *seg = e->seg_km + p->xyz_off;
    const double *anext = e->azi_next + p->xyz_off, *aprev = e->azi_prev + p->xyz_off;
    const block *blk = e->blk + p->blk_off;
    /* The lower bound of a run of segments is recomputed in the second pass
     * rather than stored: no allocation, so no failure can cut the search. */
    /* the vertex with the smallest chord, among runs that can beat best */
    size_t kmin = 0;
    double c2min = (double)INFINITY;
    for (size_t j = 0; j < p->n_blk; j++) {
        if (chord_km(blk[j].c, sxyz) - blk[j].r >= best)
            continue;
        size_t k1 = (j + 1) * SM_BLOCK < n - 1 ? (j + 1) * SM_BLOCK : n - 1;
        for (size_t k = j * SM_BLOCK; k <= k1; k++) {
            double dx = xyz[k][0] - sxyz[0], dy = xyz[k][1] - sxyz[1], dz = xyz[k][2] - sxyz[2];
            double c2 = dx * dx + dy * dy + dz * dz;
            if (c2 < c2min) {
                c2min = c2;
                kmin = k;
            }
        }
    }
    size_t reuse = n_known;
    for (size_t i = 0; i < n_known; i++)
        if (known[i].fix == kmin)
            reuse = i;
    if (reuse < n_known || sqrt(c2min) < best) {
        double s12, azi1, azi2;
        if (reuse < n_known) {
            /* a binding fix: its distance and azimuth are known already */
            s12 = known[reuse].d_km * 1000.0;
            azi1 = known[reuse].azi;
        } else {
            geod_inverse(sm__wgs84(), a->fixes[kmin].lat, a->fixes[kmin].lon, s->lat, s->lon, &s12,
                         &azi1, &azi2);
            (*n_exact)++;
        }
        double d = s12 / 1000.0;
        best = fmin(best, d);
        if (kmin + 1 < n)
            best = fmin(best, foot_distance(a->fixes[kmin].lon, a->fixes[kmin].lat, anext[kmin],
                                            seg[kmin], d, azi1, s->lon, s->lat, n_exact));
        if (kmin > 0)
            best = fmin(best, foot_distance(a->fixes[kmin].lon, a->fixes[kmin].lat, aprev[kmin],
                                            seg[kmin - 1], d, azi1, s->lon, s->lat, n_exact));
    }
    /* any other segment that could still come nearer is solved exactly */
    for (size_t j = 0; j < p->n_blk; j++) {
        if (chord_km(blk[j].c, sxyz) - blk[j].r >= best)
            continue;
        size_t k1 = (j + 1) * SM_BLOCK < n - 1 ? (j + 1) * SM_BLOCK : n - 1;
        for (size_t k = j * SM_BLOCK; k < k1; k++) {
            if (k == kmin || k + 1 == kmin)
                continue;
            if (segment_bound(xyz[k], xyz[k + 1], sxyz, seg[k]) >= best)
                continue;
            double dA = sm__geod_distance_km(a->fixes[k].lon, a->fixes[k].lat, s->lon, s->lat);
            double dB =
                sm__geod_distance_km(a->fixes[k + 1].lon, a->fixes[k + 1].lat, s->lon, s->lat);
            *n_exact += 2;
            best = fmin(best, segment_distance(s->lon, s->lat, &a->fixes[k], &a->fixes[k + 1],
                                               seg[k], dA, dB, n_exact));
        }
    }
    return best;
}

/* ---- one pair ------------------------------------------------------------ */

/* The widest separation (s) the two windows allow, and the smallest. */
static double widest(const sm_when *s, const sm_when *f)
{
    return fmax(fabs(s->end - f->start), fabs(f->end - s->start));
}

static double gap_between(const sm_when *s, const sm_when *f)
{
    return fmax(0.0, fmax(f->start - s->end, s->start - f->end));
}

/* Time available from fix f to strike s (minutes): SPEC §3's Δt. */
static double available_min(const sm_when *s, const sm_when *f)
{
    return widest(s, f) / 60 + s->uncertainty_min + f->uncertainty_min;
}

/* The fixes of a that can bind to strike window s, as the index range
 * [*lo, *hi): for a track the fix just before the window, every fix inside
 * it and the fix just after (past either end, the nearest end); a Point's
 * one fix. Which of them bind is then decided by their time available.
 * Returns the index of the fix nearest in time. */
static size_t candidate_fixes(const sm_aircraft *a, const sm_when *s, size_t *lo, size_t *hi)
{
    size_t n = a->n_fixes;
    if (!a->is_track || n == 1) {
        *lo = 0;
        *hi = 1;
        return 0;
    }
    size_t l = 0, h = n;
    while (l < h) {
        size_t mid = (l + h) / 2;
        if (a->fixes[mid].when.end <= s->start)
            l = mid + 1;
        else
            h = mid;
    }
    size_t i = l; /* fixes[0 .. l) end at or before s->start */
    *lo = i > 0 ? i - 1 : 0;
    while (i < n && a->fixes[i].when.start < s->end)
        i++;
    *hi = i < n ? i + 1 : n;
    size_t nearest = *lo;
    double best = (double)INFINITY;
    for (size_t k = *lo; k < *hi; k++) {
        double g = gap_between(s, &a->fixes[k].when);
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
    if (s->when.known) {
        double gap_s = e->opt.max_gap_minutes * 60;
        size_t first = SIZE_MAX, last = 0;
        for (size_t k = 0; k < a->n_fixes; k++) {
            const sm_when *w = &a->fixes[k].when;
            double before =
                (s->when.start - s->when.uncertainty_min * 60) - (w->end + w->uncertainty_min * 60);
            if (!w->known || before < 0 || before > gap_s)
                continue;
            if (first == SIZE_MAX)
                first = k;
            last = k;
        }
        if (first != SIZE_MAX) {
            const sm_fix *f0 = &a->fixes[first], *f1 = &a->fixes[last];
            route += fmax(0.0, sm__geod_distance_km(b->lon, b->lat, f0->lon, f0->lat) -
                                   a->location_uncertainty_km);
            for (size_t k = first; k < last; k++)
                route += e->seg_km[p->xyz_off + k];
            double d_rel = strike_distance(s, f1->lon, f1->lat, n_exact);
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
    r.distance_km = strike_distance(s, l->lon, l->lat, &n_exact);
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
    return 1;
}

/* Evaluate one aircraft pair. prune: a bound may rule the pair out without
 * exact distances (then it is only counted). Returns 1 when the pair is to
 * be listed, 0 when only counted, -1 when out of memory. */
static int evaluate(const engine *e, size_t si, size_t ai, bool prune, sm_pair *out,
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
        return 0; /* not a member of the group on the strike's date */
    sm_pair r;
    pair_init(e, &r, si, ai);
    r.max_speed_kmh = p->vmax_kmh;
    r.cruise_speed_kmh = p->cruise_kmh;
    /* The weapon (model.c's rule: claimed, else the fitting default). */
    const sm_weapon *w = NULL;
    if (s->weapon_ref != NULL || a->weapon_ref != NULL) {
        w = s->weapon_ref != NULL ? s->weapon_ref : a->weapon_ref;
        r.weapon_basis = s->weapon_ref != NULL ? SM_WEAPON_STRIKE : SM_WEAPON_AIRCRAFT;
        r.weapon_flags = sm__weapon_fit(e->ctx, w, a, t_strike);
    } else {
        w = p->n_def > 0
                ? sm__pick_default(e->defaults + p->def_off, p->n_def, sm_model_year(t_strike))
                : NULL;
        r.weapon_basis = w != NULL ? SM_WEAPON_DEFAULT : SM_WEAPON_NONE;
    }
    r.weapon = w ? w->name : NULL;
    r.weapon_assumed = r.weapon_basis == SM_WEAPON_DEFAULT;
    r.weapon_not_carried = (r.weapon_flags & SM_WEAPON_NOT_CARRIED) != 0;
    r.weapon_range_km = w ? w->range_km : 0;
    r.weapon_speed_kmh = w ? w->speed_kmh : (double)NAN;
    double R = r.weapon_range_km, W = r.weapon_speed_kmh;
    r.location_uncertainty_km = s->location_uncertainty_km + a->location_uncertainty_km;
    double u = r.location_uncertainty_km;
    bool use_base = a->base_index >= 0 && !a->refuelled && p->radius_km > 0;
    sum->pairs++;

    if (!s->when.known)
        r.missing |= SM_MISSING_STRIKE_TIME;
    if (!p->timed)
        r.missing |= SM_MISSING_FIX_TIME;
    if (!(p->vmax_kmh > 0))
        r.missing |= SM_MISSING_MAX_SPEED;
    size_t lo = 0, hi = 0, nearest = 0, nb = 0;
    double gap_min = e->opt.max_gap_minutes;
    if (r.missing == 0) {
        nearest = candidate_fixes(a, &s->when, &lo, &hi);
        for (size_t k = lo; k < hi; k++)
            nb += available_min(&s->when, &a->fixes[k].when) <= gap_min;
        if (nb == 0) {
            r.missing |= (s->when.end - s->when.start) / 60 + s->when.uncertainty_min > gap_min
                             ? SM_MISSING_COARSE_TIME
                             : SM_MISSING_NEAR_FIX;
            r.gap_minutes = gap_between(&s->when, &a->fixes[nearest].when) / 60;
        }
    }
    if (r.missing != 0 && prune) {
        /* Only counted: no binding fix (the sortie test alone is not
         * looked for in these modes; see the README). */
        sum->by_verdict[SM_VERDICT_UNKNOWN]++;
        sum->unlisted_unknown++;
        return 0;
    }
    if (prune) {
        /* Ruled out without exact geodesics when a chord already exceeds
         * what a test allows (a chord never exceeds the geodesic). Area
         * targets are not pruned. */
        bool out_of_reach = false;
        for (size_t k = lo; k < hi && s->n_rings == 0 && !out_of_reach; k++) {
            double dt = available_min(&s->when, &a->fixes[k].when);
            if (dt > gap_min)
                continue;
            double reach = sm_model_reach_km(p->vmax_kmh, dt, R, W) + u;
            out_of_reach = chord_km((const double *)e->xyz[p->xyz_off + k], sxyz) > reach;
        }
        if (use_base && s->n_rings == 0 &&
            2 * (chord_km(p->base_xyz, sxyz) - s->location_uncertainty_km - R) -
                    2 * a->location_uncertainty_km >
                2 * p->radius_km)
            out_of_reach = true;
        if (out_of_reach) {
            sum->by_verdict[SM_VERDICT_IMPLAUSIBLE]++;
            sum->unlisted_implausible++;
            return 0;
        }
    }
    size_t n_exact = 0;
    double best_dist = (double)INFINITY;
    outcome tests[2];
    size_t n_tests = 0;
    known_buf->len = 0;
    if (r.missing == 0) {
        /* The time test at every binding fix; the worst decides. */
        outcome worst = {SM_TEST_NONE, SM_VERDICT_UNKNOWN, (double)INFINITY};
        for (size_t k = lo; k < hi; k++) {
            const sm_fix *f = &a->fixes[k];
            double dt = available_min(&s->when, &f->when);
            if (dt > gap_min)
                continue;
            double d;
            if (s->n_rings == 0 && a->is_track) {
                double s12, azi1, azi2;
                geod_inverse(sm__wgs84(), f->lat, f->lon, s->lat, s->lon, &s12, &azi1, &azi2);
                n_exact++;
                d = s12 / 1000.0;
                known_fix *kf = sm__vec_push(known_buf);
                if (kf == NULL)
                    return -1;
                *kf = (known_fix){k, d, azi1};
            } else {
                d = strike_distance(s, f->lon, f->lat, &n_exact);
            }
            best_dist = fmin(best_dist, d);
            double de = fmax(0.0, d - u);
            double reach = sm_model_reach_km(p->vmax_kmh, dt, R, W);
            double margin = reach - de;
            double cruise_reach =
                p->cruise_kmh > 0 ? sm_model_reach_km(p->cruise_kmh, dt, R, W) : (double)NAN;
            double need = sm_model_required_speed_kmh(de, dt, R, W);
            bool marginal = p->cruise_kmh > 0 ? de > cruise_reach
                                              : need > e->opt.marginal_fraction * p->vmax_kmh;
            sm_verdict v = grade(margin, marginal);
            if (worst.test == SM_TEST_NONE || v > worst.verdict ||
                (v == worst.verdict && margin < worst.margin_km)) {
                worst = (outcome){SM_TEST_TIME, v, margin};
                r.fix = (long)k;
                r.distance_km = d;
                r.available_minutes = dt;
                r.reach_km = reach + u;
                r.cruise_reach_km = cruise_reach + u;
                r.required_speed_kmh = need;
                r.time_margin_km = margin;
            }
        }
        r.n_binding = (int)nb;
        tests[n_tests++] = worst;
    } else {
        /* Unknown: the distance from the fix nearest in time (without
         * times, the nearest fix), so that the reader sees how far it was. */
        size_t k0 = 0, k1 = a->n_fixes;
        if (s->when.known && p->timed) {
            size_t l2, h2;
            k0 = candidate_fixes(a, &s->when, &l2, &h2);
            k1 = k0 + 1;
        }
        for (size_t k = k0; k < k1; k++) {
            double d = strike_distance(s, a->fixes[k].lon, a->fixes[k].lat, &n_exact);
            if (d < best_dist) {
                best_dist = d;
                r.fix = (long)k;
            }
        }
        r.distance_km = best_dist;
    }
    if (a->base_index >= 0) {
        const sm_base *b = sm_claims_base(e->claims, (size_t)a->base_index);
        r.base_distance_km = strike_distance(s, b->lon, b->lat, &n_exact);
        if (use_base) {
            r.combat_radius_km = p->radius_km;
            tests[n_tests++] = sortie_test(e, s, a, p, &r, &n_exact);
        }
    }
    combine(&r, tests, n_tests);
    if (e->opt.no_closest_approach || !isfinite(best_dist))
        r.closest_approach_km = (double)NAN;
    else
        r.closest_approach_km = a->is_track && r.missing == 0
                                    ? closest_approach(e, a, p, s, sxyz, best_dist, known_buf->data,
                                                       known_buf->len, &n_exact)
                                    : best_dist;
    sum->by_verdict[r.verdict]++;
    sum->exact_distances += n_exact;
    *out = r;
    return 1;
}

/* ---- which pairs ---------------------------------------------------------- */

typedef struct pairbuf {
    sm_pair *pairs;
    size_t len, cap;
    sm_check_summary sum;
    size_t *cand;
    size_t cand_cap;
    sm__vec known; /* known_fix: the binding fixes' geodesics of the pair at hand */
    sm__vec names; /* const char *: what an attributed name stands for */
} pairbuf;

static bool buf_push(pairbuf *b, const sm_pair *p)
{
    if (b->len == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        sm_pair *np = realloc(b->pairs, cap * sizeof(*np));
        if (np == NULL)
            return false;
        b->pairs = np;
        b->cap = cap;
    }
    b->pairs[b->len++] = *p;
    return true;
}

static bool cand_push(pairbuf *b, size_t n, size_t v)
{
    if (n == b->cand_cap) {
        size_t cap = b->cand_cap ? b->cand_cap * 2 : 64;
        size_t *nc = realloc(b->cand, cap * sizeof(*nc));
        if (nc == NULL)
            return false;
        b->cand = nc;
        b->cand_cap = cap;
    }
    b->cand[n] = v;
    return true;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Aircraft a strike is attributed to, sorted and without repeats;
 * SIZE_MAX when out of memory. */
static size_t attributed(const engine *e, const sm_strike *s, pairbuf *b)
{
    size_t n = 0, nt = e->na + e->nl;
    double t = s->when.known ? s->when.start : (double)NAN;
    for (size_t i = 0; s->attributed_to && s->attributed_to[i]; i++) {
        const char *name = s->attributed_to[i];
        size_t lo = 0, hi = nt;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(e->ids[mid].name, name) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < nt && strcmp(e->ids[lo].name, name) == 0) {
            if (!cand_push(b, n++, e->ids[lo].aircraft))
                return SIZE_MAX;
            continue;
        }
        /* An operator or a group, through the operators table: the
         * operators it stands for on the strike's date (tables.c). */
        if (sm__operator_expand(e->ctx, name, t, &b->names) != SM_OK)
            return SIZE_MAX;
        for (size_t m = 0; m < b->names.len; m++) {
            const char *op = ((const char **)b->names.data)[m];
            lo = 0;
            hi = e->n_ops;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (strcasecmp(e->ops[mid].name, op) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (; lo < e->n_ops && strcasecmp(e->ops[lo].name, op) == 0; lo++)
                if (!cand_push(b, n++, e->ops[lo].aircraft))
                    return SIZE_MAX;
        }
    }
    if (n > 1)
        qsort(b->cand, n, sizeof(*b->cand), cmp_size);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || b->cand[k - 1] != b->cand[i])
            b->cand[k++] = b->cand[i];
    return k;
}

/* Aircraft with a fix that can bind to the strike's window (time index),
 * of the mode's operator, sorted; SIZE_MAX when out of memory. */
static size_t by_time(const engine *e, const sm_strike *s, pairbuf *b)
{
    size_t n = 0;
    double hi_bound = s->when.end, lo_bound = s->when.start - e->max_span_s;
    size_t lo = 0, hi = e->n_by_start;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e->by_start_lo[mid] < lo_bound)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < e->n_by_start && e->by_start_lo[i] <= hi_bound; i++) {
        size_t ai = e->by_start[i];
        if (e->in_mode[ai] && e->pa[ai].span_hi >= s->when.start)
            if (!cand_push(b, n++, ai))
                return SIZE_MAX;
    }
    if (n > 1)
        qsort(b->cand, n, sizeof(*b->cand), cmp_size);
    return n;
}

/* Evaluate a pair and keep it when it is listed; false when out of memory. */
static bool take(const engine *e, size_t si, size_t ai, bool prune, pairbuf *b,
                 const double sxyz[3])
{
    sm_pair pr;
    int listed = evaluate(e, si, ai, prune, &pr, &b->sum, sxyz, &b->known);
    return listed >= 0 && (listed == 0 || buf_push(b, &pr));
}

static bool do_strike(const engine *e, size_t si, pairbuf *b, size_t n_in_mode)
{
    const sm_strike *s = sm_claims_strike(e->claims, si);
    double sxyz[3];
    sm__ecef_km(s->lon, s->lat, sxyz);
    if (e->opt.pairing == SM_PAIRS_ATTRIBUTED) {
        size_t n = attributed(e, s, b);
        if (n == SIZE_MAX)
            return false;
        if (n == 0)
            b->sum.strikes_unattributed++;
        for (size_t i = 0; i < n; i++)
            if (!take(e, si, b->cand[i], false, b, sxyz))
                return false;
        return true;
    }
    /* Launchers are few: each in the mode is paired with every strike. */
    for (size_t li = 0; li < e->nl; li++)
        if (e->in_mode[e->na + li] && !take(e, si, e->na + li, false, b, sxyz))
            return false;
    if (e->opt.list_all || !s->when.known) {
        for (size_t ai = 0; ai < e->na; ai++)
            if (e->in_mode[ai] && !take(e, si, ai, !e->opt.list_all, b, sxyz))
                return false;
        return true;
    }
    size_t n = by_time(e, s, b);
    if (n == SIZE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!take(e, si, b->cand[i], true, b, sxyz))
            return false;
    /* The rest of the mode's aircraft have no fix within the gap. */
    size_t rest = n_in_mode - n;
    b->sum.pairs += rest;
    b->sum.by_verdict[SM_VERDICT_UNKNOWN] += rest;
    b->sum.unlisted_unknown += rest;
    return true;
}

/* ---- threads ---------------------------------------------------------------- */

#define SM__CHECK_THREADS 16

typedef struct job {
    const engine *e;
    size_t from, to;
    size_t n_in_mode;
    pairbuf buf;
    bool ok;
    const sm_writer *writer; /* a stream writer: rows are formatted here */
    char *text;
    size_t text_len;
} job;

/* Format the job's pairs as the writer's rows, in the worker's thread. */
static void format_job(job *j)
{
    free(j->text);
    j->text = NULL;
    j->text_len = 0;
    FILE *mem = open_memstream(&j->text, &j->text_len);
    if (mem == NULL) {
        j->ok = false;
        return;
    }
    for (size_t k = 0; k < j->buf.len && j->ok; k++)
        j->ok = sm__writer_format(j->writer, mem, &j->buf.pairs[k]);
    if (fclose(mem) != 0)
        j->ok = false;
}

/* Strikes are taken in time order, so that neighbours meet the same few
 * aircraft and their fixes stay in cache (random order spends most of its
 * time waiting for memory); the pairs are then put back in strike order by
 * a counting sort, so the output does not depend on it. */
static void restore_order(job *j, size_t n);

static void *run_job(void *arg)
{
    job *j = arg;
    j->ok = true;
    size_t n = j->to - j->from;
    timed_index *order = n > 1 ? malloc(n * sizeof(*order)) : NULL;
    if (order == NULL || j->e->opt.pairing == SM_PAIRS_ATTRIBUTED) {
        free(order);
        for (size_t si = j->from; si < j->to && j->ok; si++)
            j->ok = do_strike(j->e, si, &j->buf, j->n_in_mode);
        if (j->ok && j->writer != NULL)
            format_job(j);
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        const sm_strike *s = sm_claims_strike(j->e->claims, j->from + k);
        order[k].t = s->when.known ? s->when.start : -1e300;
        order[k].i = j->from + k;
    }
    qsort(order, n, sizeof(*order), cmp_timed);
    for (size_t k = 0; k < n && j->ok; k++)
        j->ok = do_strike(j->e, order[k].i, &j->buf, j->n_in_mode);
    free(order);
    if (j->ok && j->buf.len >= 2)
        restore_order(j, n);
    if (j->ok && j->writer != NULL)
        format_job(j);
    return NULL;
}

static void restore_order(job *j, size_t n)
{
    size_t *start = calloc(n + 1, sizeof(*start));
    sm_pair *sorted = malloc(j->buf.len * sizeof(*sorted));
    if (start == NULL || sorted == NULL) {
        free(start);
        free(sorted);
        j->ok = false;
        return;
    }
    for (size_t k = 0; k < j->buf.len; k++)
        start[j->buf.pairs[k].strike - j->from + 1]++;
    for (size_t k = 0; k < n; k++)
        start[k + 1] += start[k];
    for (size_t k = 0; k < j->buf.len; k++)
        sorted[start[j->buf.pairs[k].strike - j->from]++] = j->buf.pairs[k];
    free(start);
    free(j->buf.pairs);
    j->buf.pairs = sorted;
    j->buf.cap = j->buf.len;
}

static void sum_add(sm_check_summary *to, const sm_check_summary *from)
{
    to->pairs += from->pairs;
    to->listed += from->listed;
    for (int v = 0; v < 4; v++)
        to->by_verdict[v] += from->by_verdict[v];
    to->unlisted_unknown += from->unlisted_unknown;
    to->unlisted_implausible += from->unlisted_implausible;
    to->exact_distances += from->exact_distances;
    to->strikes_unattributed += from->strikes_unattributed;
}

static sm_status run_all(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                         sm_pair_fn fn, void *user, sm_writer *writer, sm_check_summary *summary)
{
    if (claims == NULL || (fn == NULL && writer == NULL))
        return SM_ERR_USAGE;
    if (options != NULL && options->pairing == SM_PAIRS_OPERATOR &&
        (options->operator_name == NULL || !*options->operator_name)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL,
                 "the operator mode needs an operator name");
        return SM_ERR_USAGE;
    }
    engine e;
    sm_status st = engine_init(&e, ctx, claims, options);
    if (st != SM_OK)
        return st;
    sm_check_summary total;
    memset(&total, 0, sizeof(total));
    total.strikes = e.ns;
    total.aircraft = e.na;
    total.launchers = e.nl;
    size_t n_in_mode = 0;
    for (size_t i = 0; i < e.na; i++)
        n_in_mode += e.in_mode[i];
    /* At most SM__CHECK_THREADS workers (more gives nothing on the machines
     * this runs on); a larger request is clamped, documented in check.h. */
    int threads = e.opt.threads;
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)(n > SM__CHECK_THREADS ? SM__CHECK_THREADS : n) : 1;
    }
    if (threads > SM__CHECK_THREADS)
        threads = SM__CHECK_THREADS;
    /* Blocks of strikes: each worker takes a slice of a block; the block's
     * pairs are handed over in order before the next block starts. */
    const size_t block_size = 2048 * (size_t)threads;
    job jobs[SM__CHECK_THREADS];
    memset(jobs, 0, sizeof(jobs));
    for (int t = 0; t < SM__CHECK_THREADS; t++) {
        sm__vec_init(&jobs[t].buf.known, sizeof(known_fix));
        sm__vec_init(&jobs[t].buf.names, sizeof(const char *));
    }
    bool stop = false;
    for (size_t from = 0; from < e.ns && !stop && st == SM_OK; from += block_size) {
        if (e.opt.progress != NULL && from > 0)
            e.opt.progress(e.opt.progress_user, from, (double)from / (double)e.ns);
        size_t to = from + block_size < e.ns ? from + block_size : e.ns;
        size_t per = (to - from + (size_t)threads - 1) / (size_t)threads;
        pthread_t tid[SM__CHECK_THREADS];
        bool started[SM__CHECK_THREADS] = {false};
        for (int t = 0; t < threads; t++) {
            job *j = &jobs[t];
            j->e = &e;
            j->from = from + (size_t)t * per;
            j->to = j->from + per < to ? j->from + per : to;
            j->n_in_mode = n_in_mode;
            j->writer = writer != NULL && sm__writer_is_stream(writer) ? writer : NULL;
            j->text_len = 0;
            j->buf.len = 0;
            memset(&j->buf.sum, 0, sizeof(j->buf.sum));
            if (j->from >= j->to) {
                j->ok = true;
                continue;
            }
            if (t > 0 && to - from > 256 && pthread_create(&tid[t], NULL, run_job, j) == 0)
                started[t] = true;
            else if (t > 0)
                run_job(j);
        }
        if (jobs[0].from < jobs[0].to)
            run_job(&jobs[0]);
        for (int t = 1; t < threads; t++)
            if (started[t])
                pthread_join(tid[t], NULL);
        for (int t = 0; t < threads && st == SM_OK; t++) {
            job *j = &jobs[t];
            if (!j->ok) {
                st = sm__nomem(ctx, NULL, -1, NULL, NULL);
                break;
            }
            sum_add(&total, &j->buf.sum);
            if (j->writer != NULL) {
                st = sm__writer_put(writer, j->text ? j->text : "", j->text_len, j->buf.len);
                total.listed += j->buf.len;
                continue;
            }
            for (size_t k = 0; k < j->buf.len && !stop; k++) {
                total.listed++;
                if (writer != NULL) {
                    st = sm_writer_add(writer, &j->buf.pairs[k]);
                    stop = st != SM_OK;
                } else if (!fn(user, &j->buf.pairs[k])) {
                    stop = true;
                }
            }
        }
    }
    for (int t = 0; t < SM__CHECK_THREADS; t++) {
        sm__vec_free(&jobs[t].buf.known);
        sm__vec_free(&jobs[t].buf.names);
        free(jobs[t].buf.pairs);
        free(jobs[t].buf.cand);
        free(jobs[t].text);
    }
    engine_free(&e);
    if (summary != NULL)
        *summary = total;
    return st;
}

sm_status sm_check_each(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                        sm_pair_fn fn, void *user, sm_check_summary *summary)
{
    return run_all(ctx, claims, options, fn, user, NULL, summary);
}

sm_status sm_check_write(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                         sm_writer *writer, sm_check_summary *summary)
{
    if (writer == NULL)
        return SM_ERR_USAGE;
    return run_all(ctx, claims, options, NULL, NULL, writer, summary);
}

/* ---- the collected form ------------------------------------------------------ */

struct sm_check {
    sm__vec pairs;
    sm_check_summary summary;
};

static bool collect(void *user, const sm_pair *pair)
{
    sm_check *c = user;
    sm_pair *slot = sm__vec_push(&c->pairs);
    if (slot == NULL)
        return false;
    *slot = *pair;
    return true;
}

sm_status sm_check_run(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                       sm_check **out)
{
    *out = NULL;
    sm_check *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    sm__vec_init(&c->pairs, sizeof(sm_pair));
    sm_status st = sm_check_each(ctx, claims, options, collect, c, &c->summary);
    if (st == SM_OK && c->pairs.len != c->summary.listed)
        st = sm__nomem(ctx, NULL, -1, NULL, NULL); /* collect() could not keep a pair */
    if (st != SM_OK) {
        sm_check_free(c);
        return st;
    }
    *out = c;
    return SM_OK;
}

void sm_check_free(sm_check *c)
{
    if (c == NULL)
        return;
    sm__vec_free(&c->pairs);
    free(c);
}

size_t sm_check_pair_count(const sm_check *c)
{
    return c->pairs.len;
}

const sm_pair *sm_check_pair(const sm_check *c, size_t i)
{
    return i < c->pairs.len ? (const sm_pair *)c->pairs.data + i : NULL;
}

const sm_check_summary *sm_check_summary_get(const sm_check *c)
{
    return &c->summary;
}
