/*
 * check.c: the plausibility engine of SPEC §3 (module check/: the model,
 * the engine, verdict text and reach; it may call core/, geo/ and claims/
 * and nothing above). This file chooses the pairs each strike meets, runs
 * them on worker threads by blocks of strikes, and hands the listed ones
 * to a sink in order: a callback (sm_check_each), the collected form
 * (sm_check_run), or the verdict writers of output/, which pass their own
 * sink (sm__check_run) so that rows are formatted on the workers. One pair
 * is evaluated in pair.c, its distances in distance.c, the per-run
 * preparation in prepare.c.
 *
 * Scale: aircraft are indexed by the time span their fixes can bind, so a
 * strike meets only the aircraft with a fix within the maximum gap; in the
 * operator and all-pairs modes a conservative bound (the straight chord
 * through the Earth never exceeds the geodesic) rules out pairs before any
 * exact distance is computed. Pairs with no binding fix (and those the
 * bound rules out) are listed only while the listing stays short
 * (SM_CHECK_LIST_SHORT of them), then counted. Memory stays bounded.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "check/engine.h"

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

void sm_check_options_init(sm_check_options *options)
{
    if (options == NULL)
        return;
    memset(options, 0, sizeof(*options));
    options->size = sizeof(*options);
    options->pairing = SM_PAIRS_ATTRIBUTED;
    options->marginal_fraction = 0.8;
    options->max_gap_minutes = 360;
}

/* The options a caller filled: of this library's layout (options.size),
 * and consistent. */
static sm_status check_options(sm_ctx *ctx, const sm_check_options *o)
{
    if (o == NULL)
        return SM_OK;
    if (o->size != sizeof(sm_check_options)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.size",
                 "is %zu, but this libstrikemap's sm_check_options is %zu bytes: set it with "
                 "sm_check_options_init() (a program built against another version must be "
                 "rebuilt)",
                 o->size, sizeof(sm_check_options));
        return SM_ERR_USAGE;
    }
    if (o->pairing == SM_PAIRS_OPERATOR && (o->operator_name == NULL || !*o->operator_name)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.operator_name",
                 "the operator mode (SM_PAIRS_OPERATOR) needs an operator name");
        return SM_ERR_USAGE;
    }
    if ((unsigned)o->pairing > SM_PAIRS_ALL) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.pairing", "is not a sm_pairing");
        return SM_ERR_USAGE;
    }
    return SM_OK;
}

/* ---- which pairs ---------------------------------------------------------- */

/* A worker's pairs of one block, with the class of each (sm__row_class). */
typedef struct pairbuf {
    sm_pair *pairs;
    unsigned char *cls;
    size_t len, cap;
    sm_check_summary sum;
    size_t budget; /* pairs of a shortened class still to keep (SIZE_MAX: all) */
    size_t *cand;
    size_t cand_cap;
    sm__vec known; /* known_fix: the binding fixes' geodesics of the pair at hand */
    sm__vec names; /* const char *: what an attributed name stands for */
} pairbuf;

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
/* A pair of a shortened class left out of the listing: counted only. */
static void count_unlisted(sm_check_summary *sum, int cls)
{
    if (cls == SM__ROW_IMPLAUSIBLE)
        sum->unlisted_implausible++;
    else
        sum->unlisted_unknown++;
}

/* Evaluate a pair and keep it when it is listed; false when out of memory. */
static bool take(const engine *e, size_t si, size_t ai, sm__eval_mode mode, pairbuf *b,
                 const double sxyz[3])
{
    sm_pair pr;
    int cls = sm__evaluate(e, si, ai, mode, &pr, &b->sum, sxyz, &b->known);
    if (cls == -1)
        return false;
    if (cls == -2 || cls == SM__ROW_COUNTED)
        return true;
    if (cls != SM__ROW_LISTED) {
        if (b->budget == 0) {
            count_unlisted(&b->sum, cls);
            return true;
        }
        if (b->budget != SIZE_MAX)
            b->budget--;
    }
    return buf_push(b, &pr, cls);
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
            if (!take(e, si, b->cand[i], SM__EVAL_FULL, b, sxyz))
                return false;
        return true;
    }
    /* While pairs of the shortened classes are still listed, they are
     * evaluated in full; after that only counted. */
    sm__eval_mode mode = b->budget > 0 ? SM__EVAL_FLAG : SM__EVAL_PRUNE;
    /* Launchers are few: each in the mode is paired with every strike. */
    for (size_t li = 0; li < e->nl; li++)
        if (e->in_mode[e->na + li] && !take(e, si, e->na + li, mode, b, sxyz))
            return false;
    if (b->budget > 0 || !s->when.known || e->mode_is_group) {
        for (size_t ai = 0; ai < e->na; ai++)
            if (e->in_mode[ai] && !take(e, si, ai, mode, b, sxyz))
                return false;
        return true;
    }
    size_t n = by_time(e, s, b);
    if (n == SIZE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!take(e, si, b->cand[i], SM__EVAL_PRUNE, b, sxyz))
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
    const sm__pair_sink *sink; /* when set, the job formats its rows (sink->format) */
    char *text;
    size_t text_len;
} job;

/* Format the job's pairs as the sink's rows, in the worker's thread. */
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
        j->ok = j->sink->format(j->sink->user, mem, &j->buf.pairs[k]);
    if (fclose(mem) != 0)
        j->ok = false;
}

/* Strikes are taken in time order, so that neighbours meet the same few
 * aircraft and their fixes stay in cache (random order spends most of its
 * time waiting for memory); the pairs are then put back in strike order by
 * a counting sort, so the output does not depend on it. */
static void restore_order(job *j, size_t n)
{
    size_t *start = calloc(n + 1, sizeof(*start));
    sm_pair *sorted = malloc(j->buf.len * sizeof(*sorted));
    unsigned char *cls = malloc(j->buf.len);
    if (start == NULL || sorted == NULL || cls == NULL) {
        free(start);
        free(sorted);
        free(cls);
        j->ok = false;
        return;
    }
    for (size_t k = 0; k < j->buf.len; k++)
        start[j->buf.pairs[k].strike - j->from + 1]++;
    for (size_t k = 0; k < n; k++)
        start[k + 1] += start[k];
    for (size_t k = 0; k < j->buf.len; k++) {
        size_t to = start[j->buf.pairs[k].strike - j->from]++;
        sorted[to] = j->buf.pairs[k];
        cls[to] = j->buf.cls[k];
    }
    free(start);
    free(j->buf.pairs);
    free(j->buf.cls);
    j->buf.pairs = sorted;
    j->buf.cls = cls;
    j->buf.cap = j->buf.len;
}

static void *run_job(void *arg)
{
    job *j = arg;
    j->ok = true;
    size_t n = j->to - j->from;
    /* in strike order when the order decides which pairs are listed */
    bool by_time = j->e->opt.pairing != SM_PAIRS_ATTRIBUTED &&
                   (j->buf.budget == 0 || j->buf.budget == SIZE_MAX);
    timed_index *order = n > 1 && by_time ? malloc(n * sizeof(*order)) : NULL;
    if (order == NULL) {
        for (size_t si = j->from; si < j->to && j->ok; si++)
            j->ok = do_strike(j->e, si, &j->buf, j->n_in_mode);
    } else {
        for (size_t k = 0; k < n; k++) {
            const sm_strike *s = sm_claims_strike(j->e->claims, j->from + k);
            order[k].t = s->when.known ? s->when.start : -1e300;
            order[k].i = j->from + k;
        }
        qsort(order, n, sizeof(*order), sm__cmp_timed);
        for (size_t k = 0; k < n && j->ok; k++)
            j->ok = do_strike(j->e, order[k].i, &j->buf, j->n_in_mode);
        free(order);
        if (j->ok && j->buf.len >= 2)
            restore_order(j, n);
    }
    if (j->ok && j->sink != NULL)
        format_job(j);
    return NULL;
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

/* The run's state on the calling thread. */
typedef struct run {
    engine e;
    const sm__pair_sink *sink;
    int threads;
    size_t n_in_mode;
    size_t budget; /* pairs of the shortened classes still to list (SIZE_MAX: all) */
    sm_check_summary total;
    bool stop;
    job jobs[SM__CHECK_THREADS];
} run;

/* Start the jobs of the block [from, to) and wait for them. */
static void run_block(run *r, size_t from, size_t to)
{
    size_t per = (to - from + (size_t)r->threads - 1) / (size_t)r->threads;
    /* rows are formatted on the workers when no pair of theirs can be
     * left out afterwards */
    bool fmt = r->sink->format != NULL && (r->budget == 0 || r->budget == SIZE_MAX);
    pthread_t tid[SM__CHECK_THREADS];
    bool started[SM__CHECK_THREADS] = {false};
    for (int t = 0; t < r->threads; t++) {
        job *j = &r->jobs[t];
        j->e = &r->e;
        j->from = from + (size_t)t * per;
        j->to = j->from + per < to ? j->from + per : to;
        j->n_in_mode = r->n_in_mode;
        j->sink = fmt ? r->sink : NULL;
        j->text_len = 0;
        j->buf.len = 0;
        j->buf.budget = r->budget;
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
    if (r->jobs[0].from < r->jobs[0].to)
        run_job(&r->jobs[0]);
    for (int t = 1; t < r->threads; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
}

/* Hand the block's pairs to the sink in order; the pairs of the shortened
 * classes while the budget lasts, the rest counted. */
static sm_status hand_over(run *r, sm_ctx *ctx)
{
    for (int t = 0; t < r->threads; t++) {
        job *j = &r->jobs[t];
        if (!j->ok)
            return sm__nomem(ctx, NULL, -1, NULL, NULL);
        sum_add(&r->total, &j->buf.sum);
        if (r->stop)
            continue;
        if (j->sink != NULL) {
            r->total.listed += j->buf.len;
            if (!r->sink->put(r->sink->user, j->text ? j->text : "", j->text_len, j->buf.len))
                r->stop = true;
            continue;
        }
        for (size_t k = 0; k < j->buf.len && !r->stop; k++) {
            int cls = j->buf.cls[k];
            if (cls != SM__ROW_LISTED && r->budget != SIZE_MAX) {
                if (r->budget == 0) {
                    count_unlisted(&r->total, cls);
                    continue;
                }
                r->budget--;
            }
            r->total.listed++;
            if (!r->sink->add(r->sink->user, &j->buf.pairs[k]))
                r->stop = true;
        }
    }
    return SM_OK;
}

static int thread_count(int asked)
{
    /* At most SM__CHECK_THREADS workers (more gives nothing on the machines
     * this runs on); a larger request is clamped, documented in check.h. */
    int threads = asked;
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)(n > SM__CHECK_THREADS ? SM__CHECK_THREADS : n) : 1;
    }
    return threads > SM__CHECK_THREADS ? SM__CHECK_THREADS : threads;
}

sm_status sm__check_run(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                        const sm__pair_sink *sink, sm_check_summary *summary)
{
    if (summary != NULL)
        memset(summary, 0, sizeof(*summary));
    if (ctx == NULL || claims == NULL || sink == NULL || sink->add == NULL)
        return SM_ERR_USAGE;
    sm_status st = check_options(ctx, options);
    if (st != SM_OK)
        return st;
    run *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    st = sm__engine_init(&r->e, ctx, claims, options);
    if (st != SM_OK) {
        free(r);
        return st;
    }
    const engine *e = &r->e;
    r->sink = sink;
    r->total.strikes = e->ns;
    r->total.aircraft = e->na;
    r->total.launchers = e->nl;
    for (size_t i = 0; i < e->na; i++)
        r->n_in_mode += e->in_mode[i];
    r->threads = thread_count(e->opt.threads);
    r->budget = e->opt.list_all ? SIZE_MAX : SM_CHECK_LIST_SHORT;
    for (int t = 0; t < SM__CHECK_THREADS; t++) {
        sm__vec_init(&r->jobs[t].buf.known, sizeof(known_fix));
        sm__vec_init(&r->jobs[t].buf.names, sizeof(const char *));
    }
    /* Blocks of strikes: each worker takes a slice of a block; the block's
     * pairs are handed over in order before the next block starts. */
    const size_t block_size = 2048 * (size_t)r->threads;
    for (size_t from = 0; from < e->ns && !r->stop && st == SM_OK; from += block_size) {
        if (e->opt.progress != NULL && from > 0)
            e->opt.progress(e->opt.progress_user, from, (double)from / (double)e->ns);
        run_block(r, from, from + block_size < e->ns ? from + block_size : e->ns);
        st = hand_over(r, ctx);
    }
    for (int t = 0; t < SM__CHECK_THREADS; t++) {
        sm__vec_free(&r->jobs[t].buf.known);
        sm__vec_free(&r->jobs[t].buf.names);
        free(r->jobs[t].buf.pairs);
        free(r->jobs[t].buf.cls);
        free(r->jobs[t].buf.cand);
        free(r->jobs[t].text);
    }
    sm__engine_free(&r->e);
    if (summary != NULL)
        *summary = r->total;
    free(r);
    return st;
}

/* ---- the public forms -------------------------------------------------------- */

typedef struct each {
    sm_pair_fn fn;
    void *user;
} each;

static bool each_add(void *user, const sm_pair *pair)
{
    const each *x = user;
    return x->fn(x->user, pair);
}

sm_status sm_check_each(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                        sm_pair_fn fn, void *user, sm_check_summary *summary)
{
    if (fn == NULL) {
        if (summary != NULL)
            memset(summary, 0, sizeof(*summary));
        return SM_ERR_USAGE;
    }
    each x = {fn, user};
    sm__pair_sink sink = {NULL, NULL, each_add, &x};
    return sm__check_run(ctx, claims, options, &sink, summary);
}

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
    if (out == NULL)
        return SM_ERR_USAGE;
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
    return c != NULL ? c->pairs.len : 0;
}

const sm_pair *sm_check_pair(const sm_check *c, size_t i)
{
    return c != NULL && i < c->pairs.len ? (const sm_pair *)c->pairs.data + i : NULL;
}

const sm_check_summary *sm_check_summary_get(const sm_check *c)
{
    return c != NULL ? &c->summary : NULL;
}
