/*
 * prepare.c: what the check engine prepares once per run, before any pair:
 * the tables (loaded here, on the calling thread, so the workers only
 * read), each aircraft's default weapons, speeds, fixes on the ellipsoid
 * (Earth-centred coordinates for the bounds, the geodesic of each track
 * segment), the bounding spheres of runs of segments, the time span its
 * fixes can bind, and the indexes by time, by operator and by id.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <geodesic.h>

#include "check/engine.h"

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

int sm__cmp_timed(const void *a, const void *b)
{
    const timed_index *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

void sm__engine_free(engine *e)
{
    free(e->pa);
    free(e->defaults);
    free(e->xyz);
    free(e->ft);
    free(e->seg_km);
    free(e->azi_next);
    free(e->azi_prev);
    free(e->blk);
    free(e->by_start);
    free(e->by_start_lo);
    free(e->span_max);
    free(e->ops);
    free(e->ids);
    free(e->in_mode);
    free(e->measured_mem);
    if (e->measure_mu != NULL)
        pthread_mutex_destroy(e->measure_mu);
    free(e->measure_mu);
}

/* Each aircraft's default weapons, filtered and sorted once (model.c). */
static sm_status prepare_defaults(engine *e)
{
    sm__vec defs, one;
    sm__vec_init(&defs, sizeof(const sm_weapon *));
    sm__vec_init(&one, sizeof(const sm_weapon *));
    sm_status st = SM_OK;
    for (size_t i = 0; i < e->na && st == SM_OK; i++) {
        st = sm__default_weapons(e->ctx, sm_claims_aircraft(e->claims, i), &one);
        e->pa[i].def_off = defs.len;
        e->pa[i].n_def = one.len;
        for (size_t k = 0; k < one.len && st == SM_OK; k++) {
            const sm_weapon **slot = sm__vec_push(&defs);
            if (slot == NULL)
                st = sm__nomem(e->ctx, NULL, -1, NULL, NULL);
            else
                *slot = ((const sm_weapon **)one.data)[k];
        }
    }
    sm__vec_free(&one);
    if (st != SM_OK) {
        sm__vec_free(&defs);
        return st;
    }
    e->defaults = defs.data; /* owned by the engine now */
    return SM_OK;
}

/* An aircraft's fix times and the offsets of its arrays. Its geometry
 * waits for its first pair (sm__engine_tracks). */
static void prepare_track(engine *e, const sm_aircraft *a, prep *p, size_t off, size_t *nblk)
{
    p->xyz_off = off;
    p->timed = a->n_fixes > 0;
    for (size_t k = 0; k < a->n_fixes; k++) {
        const sm_when *w = &a->fixes[k].when;
        e->ft[off + k] = (fix_time){w->start, w->end, w->uncertainty_min};
        p->ends_sorted = k == 0 || (p->ends_sorted && w->end >= e->ft[off + k - 1].end);
        p->end_first = k == 0 ? w->end : p->end_first;
        p->end_last = w->end;
        p->timed = p->timed && a->fixes[k].when.known;
    }
    p->blk_off = *nblk;
    p->n_blk = a->n_fixes > 1 ? (a->n_fixes - 2) / SM_BLOCK + 1 : 0;
    *nblk += p->n_blk;
}

/* An aircraft's fixes on the ellipsoid: Earth-centred coordinates, the
 * geodesic of each segment, and bounding spheres of runs of SM_BLOCK
 * segments (their sagitta added: a geodesic bows out of its chord). Only
 * an aircraft's arrays are written. */
static void measure_track(const engine *e, const sm_aircraft *a, const prep *p)
{
    size_t off = p->xyz_off;
    for (size_t k = 0; k < a->n_fixes; k++) {
        sm__ecef_km(a->fixes[k].lon, a->fixes[k].lat, e->xyz[off + k]);
        if (k + 1 < a->n_fixes) {
            double s12, azi1, azi2;
            geod_inverse(sm__wgs84(), a->fixes[k].lat, a->fixes[k].lon, a->fixes[k + 1].lat,
                         a->fixes[k + 1].lon, &s12, &azi1, &azi2);
            e->seg_km[off + k] = s12 / 1000.0;
            e->azi_next[off + k] = azi1;
            e->azi_prev[off + k + 1] = azi2 + 180.0;
        }
    }
    block *b = &e->blk[p->blk_off];
    for (size_t k0 = 0; k0 + 1 < a->n_fixes; k0 += SM_BLOCK, b++) {
        size_t k1 = k0 + SM_BLOCK < a->n_fixes - 1 ? k0 + SM_BLOCK : a->n_fixes - 1;
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
}

void sm__engine_tracks(const engine *e, const size_t *ai, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t a = ai[i];
        if (a >= e->na || atomic_load_explicit(&e->measured[a], memory_order_acquire))
            continue;
        pthread_mutex_lock(e->measure_mu);
        if (!atomic_load_explicit(&e->measured[a], memory_order_relaxed)) {
            measure_track(e, sm_claims_aircraft(e->claims, a), &e->pa[a]);
            atomic_store_explicit(&e->measured[a], true, memory_order_release);
        }
        pthread_mutex_unlock(e->measure_mu);
    }
}

/* Whether the mode pairs strikes with an attacker of this operator. A
 * group's members at any date here; each strike's date is checked when the
 * pair is made (mode_is_group). */
static bool in_mode(const engine *e, const char *operator_name)
{
    return e->opt.pairing == SM_PAIRS_ALL ||
           (e->opt.pairing == SM_PAIRS_OPERATOR &&
            sm_tables_operator_includes(e->ctx, e->opt.operator_name, operator_name, (double)NAN));
}

/* One aircraft: its speeds, track, time span and index entries. */
static void prepare_aircraft(engine *e, size_t i, size_t *off, size_t *nblk)
{
    const sm_aircraft *a = sm_claims_aircraft(e->claims, i);
    prep *p = &e->pa[i];
    double gap_s = e->opt.max_gap_minutes * 60.0;
    p->vmax_kmh = a->type_ref
                      ? a->type_ref->max_speed_kmh
                      : (e->opt.fallback_speed_kmh > 0 ? e->opt.fallback_speed_kmh : (double)NAN);
    p->radius_km = a->type_ref ? a->type_ref->combat_radius_km : (double)NAN;
    p->cruise_kmh = a->type_ref ? a->type_ref->cruise_speed_kmh : (double)NAN;
    prepare_track(e, a, p, *off, nblk);
    *off += a->n_fixes;
    if (p->timed) {
        p->span_lo = a->fixes[0].when.start - gap_s;
        p->span_hi = a->fixes[0].when.end + gap_s;
        for (size_t k = 1; k < a->n_fixes; k++) {
            p->span_lo = fmin(p->span_lo, a->fixes[k].when.start - gap_s);
            p->span_hi = fmax(p->span_hi, a->fixes[k].when.end + gap_s);
        }
        e->by_start[e->n_by_start++] = i;
    }
    if (a->base_index >= 0) {
        const sm_base *b = sm_claims_base(e->claims, (size_t)a->base_index);
        sm__ecef_km(b->lon, b->lat, p->base_xyz);
    }
    e->ids[i] = (op_entry){a->info.id, i};
    if (a->operator_name != NULL)
        e->ops[e->n_ops++] = (op_entry){sm__operator_canonical(e->ctx, a->operator_name), i};
    e->in_mode[i] = in_mode(e, a->operator_name);
}

/* The aircraft with timed fixes, sorted by the start of their span. */
static sm_status sort_by_start(engine *e)
{
    timed_index *order = malloc((e->n_by_start + 1) * sizeof(*order));
    if (order == NULL)
        return sm__nomem(e->ctx, NULL, -1, NULL, NULL);
    for (size_t i = 0; i < e->n_by_start; i++)
        order[i] = (timed_index){e->pa[e->by_start[i]].span_lo, e->by_start[i]};
    qsort(order, e->n_by_start, sizeof(*order), sm__cmp_timed);
    for (size_t i = 0; i < e->n_by_start; i++) {
        e->by_start[i] = order[i].i;
        e->by_start_lo[i] = order[i].t;
    }
    free(order);
    size_t m = 1;
    while (m < e->n_by_start)
        m *= 2;
    e->span_leaves = m;
    e->span_max = malloc(2 * m * sizeof(*e->span_max));
    if (e->span_max == NULL)
        return sm__nomem(e->ctx, NULL, -1, NULL, NULL);
    for (size_t i = 0; i < m; i++)
        e->span_max[m + i] = i < e->n_by_start ? e->pa[e->by_start[i]].span_hi : -(double)INFINITY;
    for (size_t k = m - 1; k >= 1; k--)
        e->span_max[k] = fmax(e->span_max[2 * k], e->span_max[2 * k + 1]);
    return SM_OK;
}

sm_status sm__engine_init(engine *e, sm_ctx *ctx, const sm_claims *claims,
                          const sm_check_options *options)
{
    memset(e, 0, sizeof(*e));
    e->ctx = ctx;
    /* Every table the workers read is loaded here, on the calling thread. */
    sm_status st = sm_tables_load_defaults(ctx);
    if (st != SM_OK)
        return st;
    e->claims = claims;
    sm_check_options_init(&e->opt);
    if (options != NULL)
        e->opt = *options;
    if (!(e->opt.marginal_fraction > 0))
        e->opt.marginal_fraction = 0.8;
    if (!(e->opt.max_gap_minutes > 0))
        e->opt.max_gap_minutes = 360;
    const char *exact = getenv("SM_CHECK_EXACT"); /* tests only: see engine.h */
    e->force_exact = exact != NULL && strcmp(exact, "1") == 0;
    e->na = sm_claims_aircraft_count(claims);
    e->ns = sm_claims_strike_count(claims);
    e->nl = sm_claims_launcher_count(claims);
    size_t nt = e->na + e->nl;
    size_t nfix = 0;
    for (size_t i = 0; i < e->na; i++)
        nfix += sm_claims_aircraft(claims, i)->n_fixes;
    e->pa = calloc(e->na + 1, sizeof(*e->pa));
    e->xyz = malloc((nfix + 1) * sizeof(*e->xyz));
    e->ft = malloc((nfix + 1) * sizeof(*e->ft));
    e->seg_km = calloc(nfix + 1, sizeof(*e->seg_km));
    e->azi_next = calloc(nfix + 1, sizeof(*e->azi_next));
    e->azi_prev = calloc(nfix + 1, sizeof(*e->azi_prev));
    e->blk = calloc(nfix / SM_BLOCK + e->na + 1, sizeof(*e->blk));
    e->by_start = calloc(e->na + 1, sizeof(*e->by_start));
    e->by_start_lo = malloc((e->na + 1) * sizeof(*e->by_start_lo));
    e->ops = malloc((nt + 1) * sizeof(*e->ops));
    e->ids = malloc((nt + 1) * sizeof(*e->ids));
    e->in_mode = calloc(nt + 1, sizeof(*e->in_mode));
    e->measured_mem = calloc(e->na + 1, sizeof(*e->measured));
    e->measured = e->measured_mem;
    e->measure_mu = malloc(sizeof(*e->measure_mu));
    if (e->measure_mu != NULL && pthread_mutex_init(e->measure_mu, NULL) != 0) {
        free(e->measure_mu);
        e->measure_mu = NULL;
    }
    if (!e->pa || !e->xyz || !e->ft || !e->seg_km || !e->azi_next || !e->azi_prev || !e->blk ||
        !e->by_start || !e->by_start_lo || !e->ops || !e->ids || !e->in_mode || !e->measured ||
        !e->measure_mu) {
        sm__engine_free(e);
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    }
    st = prepare_defaults(e);
    if (st != SM_OK) {
        sm__engine_free(e);
        return st;
    }
    if (e->opt.pairing == SM_PAIRS_OPERATOR) {
        const sm_operator *o = sm_tables_find_operator(ctx, e->opt.operator_name);
        e->mode_is_group = o != NULL && o->members[0] != NULL;
    }
    size_t off = 0, nblk = 0;
    for (size_t i = 0; i < e->na; i++)
        prepare_aircraft(e, i, &off, &nblk);
    for (size_t i = 0; i < e->nl; i++) {
        const sm_launcher *l = sm_claims_launcher(claims, i);
        e->ids[e->na + i] = (op_entry){l->info.id, e->na + i};
        if (l->operator_name != NULL)
            e->ops[e->n_ops++] =
                (op_entry){sm__operator_canonical(ctx, l->operator_name), e->na + i};
        e->in_mode[e->na + i] = in_mode(e, l->operator_name);
    }
    st = sort_by_start(e);
    if (st != SM_OK) {
        sm__engine_free(e);
        return st;
    }
    qsort(e->ops, e->n_ops, sizeof(*e->ops), cmp_ops);
    qsort(e->ids, nt, sizeof(*e->ids), cmp_ids);
    return SM_OK;
}
