/*
 * map_pairs.c: the pairs a map draws from, as compact records (see
 * map_pairs.h): read from the caller's check, or taken from the engine
 * pair by pair (sm_check_each), so that a map never holds the engine's
 * full records.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

void sm__map_pairs_free(sm__map_pairs *mp)
{
    free(mp->p);
    memset(mp, 0, sizeof(*mp));
}

typedef struct taker {
    sm_map *m;
    const sm_claims *batch; /* the strikes the engine's indices count from */
    size_t first;           /* the index of batch's first strike among all */
    bool nomem, too_many;
} taker;

/* One pair as a record; false when out of memory or past the records'
 * index range (4,294,967,295 claims, far beyond what loads). */
static bool take_pair(void *user, const sm_pair *p)
{
    taker *t = user;
    sm__map_pairs *mp = &t->m->pairs;
    size_t strike = t->first + p->strike;
    if (strike > UINT32_MAX || p->aircraft > UINT32_MAX || p->fix > INT32_MAX) {
        t->too_many = true;
        return false;
    }
    if (mp->len == mp->cap) {
        /* grow by half: a doubling vector would hold up to twice the pairs */
        size_t cap = mp->cap < 1024 ? 1024 : mp->cap + mp->cap / 2;
        sm__mpair *q = cap < SIZE_MAX / sizeof(*q) ? realloc(mp->p, cap * sizeof(*q)) : NULL;
        if (q == NULL) {
            t->nomem = true;
            return false;
        }
        mp->p = q;
        mp->cap = cap;
    }
    sm__mpair *r = &mp->p[mp->len++];
    memset(r, 0, sizeof(*r));
    r->strike = (uint32_t)strike;
    const sm_strike *s = sm_claims_strike(t->batch, p->strike);
    r->slon = s != NULL ? s->lon : (double)NAN;
    r->slat = s != NULL ? s->lat : (double)NAN;
    r->aircraft = (uint32_t)p->aircraft;
    r->fix = p->fix < 0 ? -1 : (int32_t)p->fix;
    r->verdict = (uint8_t)p->verdict;
    bool loose =
        p->verdict == SM_VERDICT_PLAUSIBLE && p->reach_km > SM__MAP_LOOSE_REACH * p->distance_km;
    r->flags = (uint8_t)((sm__pair_fix_binds(p) ? SM__MPAIR_BINDS : 0) |
                         (p->by_kind == SM_KIND_LAUNCHER ? SM__MPAIR_LAUNCHER : 0) |
                         (loose ? SM__MPAIR_LOOSE : 0));
    r->reach_km = p->reach_km;
    return true;
}

/* Give back the room the last growth left unused. */
static void shrink(sm__map_pairs *mp)
{
    if (mp->cap == mp->len || mp->len == 0)
        return;
    sm__mpair *q = realloc(mp->p, mp->len * sizeof(*q));
    if (q == NULL)
        return; /* the larger block is still ours */
    mp->p = q;
    mp->cap = mp->len;
}

/* A stream's batch: checked, its pairs taken. */
typedef struct stream_run {
    taker *t;
    sm__check_stream *cs;
} stream_run;

static sm_status check_batch(void *user, const sm_claims *batch)
{
    stream_run *r = user;
    r->t->batch = batch;
    sm_status st = sm__strike_points_note(r->t->m, batch);
    if (st == SM_OK)
        st = sm__check_stream_batch(r->cs, batch);
    r->t->first += sm_claims_strike_count(batch);
    if (st == SM_OK && (r->t->nomem || r->t->too_many))
        st = SM_ERR_NOMEM; /* said below */
    return st;
}

static sm_status take_streamed(sm_map *m, const sm_check_options *co, taker *t)
{
    sm__pair_sink sink = {NULL, NULL, take_pair, t};
    sm__check_stream *cs = NULL;
    sm_status st = sm__check_stream_new(m->ctx, m->claims, co, &sink, &cs);
    stream_run r = {t, cs};
    if (st == SM_OK) {
        sm__claims_stream_keep(m->stream); /* the later passes read it back */
        st = sm_claims_stream_run(m->stream, SM__MAP_BATCH, check_batch, &r);
    }
    sm_status fs = cs != NULL ? sm__check_stream_finish(cs, &m->pairs.summary) : SM_OK;
    sm__check_stream_free(cs);
    if (t->nomem || t->too_many)
        return SM_OK; /* said by the caller */
    return st != SM_OK ? st : fs;
}

sm_status sm__map_pairs_take(sm_map *m, const sm_check *check)
{
    taker t = {m, m->claims, 0, false, false};
    sm_status st = SM_OK;
    if (check != NULL) {
        size_t n = sm_check_pair_count(check);
        for (size_t i = 0; i < n && !t.nomem && !t.too_many; i++)
            take_pair(&t, sm_check_pair(check, i));
        const sm_check_summary *s = sm_check_summary_get(check);
        if (s != NULL)
            m->pairs.summary = *s;
    } else {
        /* the embedded check options are versioned by the map options' own
         * layout (sm_map_options), so their size is set here */
        sm_check_options co = m->opt.check;
        co.size = sizeof(co);
        co.no_closest_approach = true;
        if (m->stream != NULL)
            st = take_streamed(m, &co, &t);
        else
            st = sm_check_each(m->ctx, m->claims, &co, take_pair, &t, &m->pairs.summary);
    }
    shrink(&m->pairs);
    if (t.nomem) {
        sm__map_nomem(m, "pairs");
        return m->status;
    }
    if (t.too_many) {
        sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL,
                 "a map draws from at most %lu strikes, aircraft and fixes of one aircraft",
                 (unsigned long)UINT32_MAX);
        return SM_ERR_USAGE;
    }
    return st;
}
