/*
 * pairs.c: which pairs each strike meets (check/ engine; SPEC §3): the
 * attackers its claimant names (aircraft ids, operators and groups through
 * the operators table), or in the operator and all-pairs modes the
 * aircraft of the mode whose fixes can bind to its time (the time index, a
 * tree of the aircraft's time spans), and how each pair is settled: solved
 * exactly (pair.c) when it is listed, or by the bounds (bounds.c) when only
 * its verdict counts, then kept or counted as the listing's cut allows.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/engine.h"

static bool buf_push(pairbuf *b, const sm_pair *p, int cls)
{
    if (b->len == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        sm_pair *np = realloc(b->pairs, cap * sizeof(*np));
        if (np == NULL)
            return false;
        b->pairs = np;
        unsigned char *nc = realloc(b->cls, cap);
        if (nc == NULL)
            return false;
        b->cls = nc;
        b->cap = cap;
    }
    b->cls[b->len] = (unsigned char)cls;
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

static bool ocls_push(pairbuf *b, int cls)
{
    if (b->olen == b->ocap) {
        size_t cap = b->ocap ? b->ocap * 2 : 256;
        unsigned char *nc = realloc(b->ocls, cap);
        if (nc == NULL)
            return false;
        b->ocls = nc;
        b->ocap = cap;
    }
    b->ocls[b->olen++] = (unsigned char)cls;
    return true;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Sort v[0 .. n): by insertion when short (a strike meets a few dozen
 * aircraft: qsort's calls cost more than the moves), else qsort. */
static void sort_sizes(size_t *v, size_t n)
{
    if (n > 32) {
        qsort(v, n, sizeof(*v), cmp_size);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        size_t x = v[i], j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
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
    bool sorted = true; /* one name's aircraft come sorted (prepare.c) */
    for (size_t i = 1; i < n && sorted; i++)
        sorted = b->cand[i - 1] < b->cand[i];
    if (!sorted)
        sort_sizes(b->cand, n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || b->cand[k - 1] != b->cand[i])
            b->cand[k++] = b->cand[i];
    return k;
}

/* The aircraft of by_start[0 .. prefix) under tree node k (covering
 * [lo, lo + width)) whose span ends at or after t, of the mode, appended
 * from *n; false when out of memory. */
static bool span_hits(const engine *e, pairbuf *b, size_t k, size_t lo, size_t width, size_t prefix,
                      double t, size_t *n)
{
    if (lo >= prefix || e->span_max[k] < t)
        return true;
    if (width == 1) {
        size_t ai = e->by_start[lo];
        return !e->in_mode[ai] || cand_push(b, (*n)++, ai);
    }
    return span_hits(e, b, 2 * k, lo, width / 2, prefix, t, n) &&
           span_hits(e, b, 2 * k + 1, lo + width / 2, width / 2, prefix, t, n);
}

/* Aircraft with a fix that can bind to the strike's window (time index:
 * span_lo <= the window's end, span_hi >= its start), of the mode's
 * operator, sorted; SIZE_MAX when out of memory. */
static size_t by_time(const engine *e, const sm_strike *s, pairbuf *b)
{
    size_t lo = 0, hi = e->n_by_start;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e->by_start_lo[mid] <= s->when.end)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    if (e->n_by_start > 0 && !span_hits(e, b, 1, 0, e->span_leaves, lo, s->when.start, &n))
        return SIZE_MAX;
    sort_sizes(b->cand, n);
    return n;
}

/* A pair of a shortened class left out of the listing: counted only. */
void sm__count_unlisted(sm_check_summary *sum, int cls)
{
    if (cls == SM__ROW_IMPLAUSIBLE)
        sum->unlisted_implausible++;
    else
        sum->unlisted_unknown++;
}

/* A pair evaluated (its sums counted): kept when it is listed, or, when
 * only the summary is wanted (pr NULL or count only), its class counted as
 * hand_over() would list it. false when out of memory. */
static bool settle(const engine *e, pairbuf *b, int cls, const sm_pair *pr)
{
    if (cls == -2 || cls == SM__ROW_COUNTED)
        return true;
    if (cls != SM__ROW_LISTED) {
        if (b->budget == 0) {
            sm__count_unlisted(&b->sum, cls);
            return true;
        }
        if (b->budget != SIZE_MAX)
            b->budget--;
    }
    /* (pr is NULL only when counting: the bounds settle pairs to list
     * only in count-only runs, and else only pairs left unlisted above) */
    if (e->count_only || pr == NULL) {
        if (cls == SM__ROW_LISTED || b->budget == SIZE_MAX) {
            b->n_listed++;
            return true;
        }
        return ocls_push(b, cls);
    }
    return buf_push(b, pr, cls);
}

/* Evaluate a pair exactly and keep it when it is listed; false when out
 * of memory. */
static bool take(const engine *e, size_t si, size_t ai, sm__eval_mode mode, pairbuf *b,
                 const double sxyz[3])
{
    sm_pair pr;
    int cls = sm__evaluate(e, si, ai, mode, &pr, &b->sum, sxyz, &b->known);
    if (cls == -1)
        return false;
    return settle(e, b, cls, &pr);
}

/* The sums of a pair the bounds settled (what sm__evaluate counts). */
static void quick_sum(sm_check_summary *sum, const sm__quick *q)
{
    if (q->cls == -2)
        return;
    sum->pairs++;
    sum->by_verdict[q->verdict]++;
    if (q->cls == SM__ROW_COUNTED) {
        if (q->verdict == SM_VERDICT_IMPLAUSIBLE)
            sum->unlisted_implausible++;
        else
            sum->unlisted_unknown++;
    }
}

/* The pairs of strike si with attackers cand[0 .. n). When no number of
 * theirs can be shown (count only, or the listing of the shortened classes
 * is over), the bounds settle what they can (bounds.c) and only the rest
 * is solved exactly; a pair to list is always solved exactly. */
static bool take_list(const engine *e, size_t si, const size_t *cand, size_t n, sm__eval_mode mode,
                      pairbuf *b, const double sxyz[3])
{
    sm__engine_tracks(e, cand, n);
    if (e->force_exact || !(e->count_only || b->budget == 0)) {
        for (size_t i = 0; i < n; i++)
            if (!take(e, si, cand[i], mode, b, sxyz))
                return false;
        return true;
    }
    if (n > b->qcap) {
        size_t cap = n < 64 ? 64 : n;
        sm__quick *nq = realloc(b->qout, cap * sizeof(*nq));
        if (nq == NULL)
            return false;
        b->qout = nq;
        b->qcap = cap;
    }
    if (!sm__quick_pairs(e, si, cand, n, mode, sxyz, &b->q, b->qout))
        return false;
    for (size_t i = 0; i < n; i++) {
        const sm__quick *q = &b->qout[i];
        if (q->cls == SM__QUICK_EXACT || (!e->count_only && q->cls == SM__ROW_LISTED)) {
            if (!take(e, si, cand[i], mode, b, sxyz))
                return false;
            continue;
        }
        quick_sum(&b->sum, q);
        if (!settle(e, b, q->cls, NULL))
            return false;
    }
    return true;
}

bool sm__do_strike(const engine *e, size_t si, pairbuf *b, size_t n_in_mode)
{
    const sm_strike *s = sm_claims_strike(e->claims, si);
    double sxyz[3];
    if (e->opt.pairing == SM_PAIRS_ATTRIBUTED) {
        size_t n = attributed(e, s, b);
        if (n == SIZE_MAX)
            return false;
        if (n == 0) { /* nothing to pair: most strikes of a large table */
            b->sum.strikes_unattributed++;
            return true;
        }
        sm__ecef_km(s->lon, s->lat, sxyz);
        return take_list(e, si, b->cand, n, SM__EVAL_FULL, b, sxyz);
    }
    sm__ecef_km(s->lon, s->lat, sxyz);
    /* While pairs of the shortened classes are still listed, they are
     * evaluated in full; after that only counted (solved exactly all the
     * same when a test asks for the exact path, SM_CHECK_EXACT). */
    sm__eval_mode prune = e->force_exact && e->count_only ? SM__EVAL_FLAG : SM__EVAL_PRUNE;
    sm__eval_mode mode = b->budget > 0 ? SM__EVAL_FLAG : prune;
    /* Launchers are few: each in the mode is paired with every strike. */
    for (size_t li = 0; li < e->nl; li++)
        if (e->in_mode[e->na + li] && !take(e, si, e->na + li, mode, b, sxyz))
            return false;
    if (b->budget > 0 || !s->when.known || e->mode_is_group) {
        size_t n = 0;
        for (size_t ai = 0; ai < e->na; ai++)
            if (e->in_mode[ai] && !cand_push(b, n++, ai))
                return false;
        return take_list(e, si, b->cand, n, mode, b, sxyz);
    }
    size_t n = by_time(e, s, b);
    if (n == SIZE_MAX || !take_list(e, si, b->cand, n, prune, b, sxyz))
        return false;
    /* The rest of the mode's aircraft have no fix within the gap. */
    size_t rest = n_in_mode - n;
    b->sum.pairs += rest;
    b->sum.by_verdict[SM_VERDICT_UNKNOWN] += rest;
    b->sum.unlisted_unknown += rest;
    return true;
}
