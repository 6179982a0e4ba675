/*
 * check.c: the plausibility engine of SPEC §3 (module check/: the model,
 * the engine, verdict text and reach; it may call core/, geo/ and claims/
 * and nothing above). This file runs the pairs on worker threads by blocks
 * of strikes, fed in one batch or streamed in many (sm__check_stream_*),
 * and hands the listed ones to a sink in order: a callback (sm_check_each),
 * the collected form (sm_check_run), or the verdict writers of output/,
 * which pass their own sink (sm__check_run) so that rows are formatted on
 * the workers; no sink, the summary only. Which pairs a strike meets is
 * pairs.c, one pair pair.c, its distances distance.c, the bounds that
 * settle a verdict without them bounds.c, the per-run preparation
 * prepare.c.
 *
 * Scale: aircraft are indexed by the time span their fixes can bind, so a
 * strike meets only the aircraft with a fix within the maximum gap; in the
 * operator and all-pairs modes a conservative bound (the straight chord
 * through the Earth never exceeds the geodesic) rules out pairs before any
 * exact distance is computed, and when only the summary is wanted bounds
 * both ways settle nearly every verdict without one. Pairs with no binding
 * fix (and those the chord bound rules out) are listed only while the
 * listing stays short (SM_CHECK_LIST_SHORT of them), then counted. Memory
 * stays bounded: blocks shrink when strikes list many pairs each.
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
    bool by_time = j->buf.budget == 0 || j->buf.budget == SIZE_MAX;
    timed_index *order = n > 1 && by_time ? malloc(n * sizeof(*order)) : NULL;
    if (order == NULL) {
        for (size_t si = j->from; si < j->to && j->ok; si++)
            j->ok = sm__do_strike(j->e, si, &j->buf, j->n_in_mode);
    } else {
        for (size_t k = 0; k < n; k++) {
            const sm_strike *s = sm_claims_strike(j->e->claims, j->from + k);
            order[k].t = s->when.known ? s->when.start : -1e300;
            order[k].i = j->from + k;
        }
        qsort(order, n, sizeof(*order), sm__cmp_timed);
        for (size_t k = 0; k < n && j->ok; k++)
            j->ok = sm__do_strike(j->e, order[k].i, &j->buf, j->n_in_mode);
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
    /* Strikes a worker takes per block: up to 2,048, fewer when the strikes
     * list many pairs each, so that a block's pairs and rows stay near
     * SM__BLOCK_PAIRS a worker (the output does not depend on it); up to
     * SM__BLOCK_COUNTED when only the summary is wanted, since no pair is
     * kept then, and a worker's strikes, taken in time order, sweep the
     * aircraft's fixes once a block (with 2,048 that sweep, mostly cache
     * misses, was a third of --count's engine time on the SPEC workload). */
    size_t per_worker;
    job jobs[SM__CHECK_THREADS];
} run;

#define SM__BLOCK_STRIKES 2048
#define SM__BLOCK_PAIRS   32768
#define SM__BLOCK_COUNTED 16384

/* The next block's strikes per worker, from the pairs this one kept. */
static void fit_block(run *r, size_t strikes)
{
    size_t kept = 0;
    for (int t = 0; t < r->threads; t++)
        kept += r->jobs[t].buf.len;
    size_t per_strike = strikes > 0 ? kept / strikes : 0;
    size_t per = SM__BLOCK_PAIRS / (per_strike + 1),
           cap = r->e.count_only ? SM__BLOCK_COUNTED : SM__BLOCK_STRIKES;
    r->per_worker = per < 64 ? 64 : (per > cap ? cap : per);
}

/* Whether some strike of [from, to) can have a pair: in the attributed
 * mode, one attributed to something (a stream's batches of strikes that
 * name no aircraft, the render benchmark's, started a thread each for
 * nothing: a thousand threads a million strikes). */
static bool block_has_work(const run *r, size_t from, size_t to)
{
    if (r->e.opt.pairing != SM_PAIRS_ATTRIBUTED)
        return true;
    for (size_t i = from; i < to; i++) {
        const sm_strike *s = sm_claims_strike(r->e.claims, i);
        if (s->attributed_to != NULL && s->attributed_to[0] != NULL)
            return true;
    }
    return false;
}

/* Start the jobs of the block [from, to) and wait for them. */
static void run_block(run *r, size_t from, size_t to)
{
    size_t per = (to - from + (size_t)r->threads - 1) / (size_t)r->threads;
    /* rows are formatted on the workers when no pair of theirs can be
     * left out afterwards */
    bool fmt =
        r->sink != NULL && r->sink->format != NULL && (r->budget == 0 || r->budget == SIZE_MAX);
    pthread_t tid[SM__CHECK_THREADS];
    bool started[SM__CHECK_THREADS] = {false};
    bool work = block_has_work(r, from, to);
    for (int t = 0; t < r->threads; t++) {
        job *j = &r->jobs[t];
        j->e = &r->e;
        j->from = from + (size_t)t * per;
        j->to = j->from + per < to ? j->from + per : to;
        j->n_in_mode = r->n_in_mode;
        j->sink = fmt ? r->sink : NULL;
        j->text_len = 0;
        j->buf.len = 0;
        j->buf.n_listed = 0;
        j->buf.olen = 0;
        j->buf.budget = r->budget;
        memset(&j->buf.sum, 0, sizeof(j->buf.sum));
        if (j->from >= j->to) {
            j->ok = true;
            continue;
        }
        bool worth =
            work && (to - from > 256 || r->per_worker < SM__BLOCK_STRIKES); /* a thread's cost */
        if (t > 0 && worth && pthread_create(&tid[t], NULL, run_job, j) == 0)
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
        if (r->sink == NULL) { /* count only: the classes, as below */
            r->total.listed += j->buf.n_listed;
            for (size_t k = 0; k < j->buf.olen; k++) {
                if (r->budget == 0) {
                    sm__count_unlisted(&r->total, j->buf.ocls[k]);
                    continue;
                }
                if (r->budget != SIZE_MAX)
                    r->budget--;
                r->total.listed++;
            }
            continue;
        }
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
                    sm__count_unlisted(&r->total, cls);
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

/* ---- the stream entry --------------------------------------------------------- */

struct sm__check_stream {
    run r;
    sm_status st; /* the first error, kept: later batches do nothing */
    size_t done;  /* strikes of the batches before */
    const sm_claims *fixed;
};

void sm__check_stream_free(sm__check_stream *s)
{
    if (s == NULL)
        return;
    run *r = &s->r;
    for (int t = 0; t < SM__CHECK_THREADS; t++) {
        pairbuf *b = &r->jobs[t].buf;
        sm__vec_free(&b->known);
        sm__vec_free(&b->names);
        free(b->pairs);
        free(b->cls);
        free(b->cand);
        free(b->qout);
        free(b->ocls);
        sm__qscratch_free(&b->q);
        free(r->jobs[t].text);
    }
    sm__engine_free(&r->e);
    free(s);
}

sm_status sm__check_stream_new(sm_ctx *ctx, const sm_claims *fixed, const sm_check_options *options,
                               const sm__pair_sink *sink, sm__check_stream **out)
{
    if (out == NULL)
        return SM_ERR_USAGE;
    *out = NULL;
    if (ctx == NULL || fixed == NULL || (sink != NULL && sink->add == NULL))
        return SM_ERR_USAGE;
    sm_status st = check_options(ctx, options);
    if (st != SM_OK)
        return st;
    sm__check_stream *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    run *r = &s->r;
    for (int t = 0; t < SM__CHECK_THREADS; t++) {
        sm__vec_init(&r->jobs[t].buf.known, sizeof(known_fix));
        sm__vec_init(&r->jobs[t].buf.names, sizeof(const char *));
    }
    st = sm__engine_init(&r->e, ctx, fixed, options);
    if (st != SM_OK) {
        free(s);
        return st;
    }
    s->fixed = fixed;
    r->e.count_only = sink == NULL;
    if (sink == NULL)
        r->e.opt.no_closest_approach = true; /* nothing shows it */
    r->sink = sink;
    r->total.aircraft = r->e.na;
    r->total.launchers = r->e.nl;
    for (size_t i = 0; i < r->e.na; i++)
        r->n_in_mode += r->e.in_mode[i];
    r->threads = thread_count(r->e.opt.threads);
    r->budget = r->e.opt.list_all ? SIZE_MAX : SM_CHECK_LIST_SHORT;
    /* the first block small: it measures the pairs a strike (none kept when
     * counting) */
    r->per_worker = sink == NULL ? SM__BLOCK_COUNTED : 256;
    *out = s;
    return SM_OK;
}

/* Whether batch holds exactly fixed's aircraft, bases and launchers. */
static bool same_fixed(const sm_claims *fixed, const sm_claims *batch)
{
    size_t na = sm_claims_aircraft_count(fixed), nb = sm_claims_base_count(fixed);
    size_t nl = sm_claims_launcher_count(fixed);
    return sm_claims_aircraft_count(batch) == na && sm_claims_base_count(batch) == nb &&
           sm_claims_launcher_count(batch) == nl &&
           (na == 0 || sm_claims_aircraft(batch, 0) == sm_claims_aircraft(fixed, 0)) &&
           (nb == 0 || sm_claims_base(batch, 0) == sm_claims_base(fixed, 0)) &&
           (nl == 0 || sm_claims_launcher(batch, 0) == sm_claims_launcher(fixed, 0));
}

sm_status sm__check_stream_batch(sm__check_stream *s, const sm_claims *batch)
{
    if (s == NULL || batch == NULL)
        return SM_ERR_USAGE;
    if (s->st != SM_OK || s->r.stop)
        return s->st;
    run *r = &s->r;
    engine *e = &r->e;
    if (!same_fixed(s->fixed, batch)) {
        sm__diag(e->ctx, SM_SEV_ERROR, NULL, -1, NULL, "batch",
                 "holds other aircraft, bases or launchers than the stream was made with");
        return s->st = SM_ERR_USAGE;
    }
    e->claims = batch;
    e->ns = sm_claims_strike_count(batch);
    r->total.strikes += e->ns;
    /* Blocks of strikes: each worker takes a slice of a block; the block's
     * pairs are handed over in order before the next block starts. */
    sm_status st = SM_OK;
    for (size_t from = 0, to; from < e->ns && !r->stop && st == SM_OK; from = to) {
        if (e->opt.progress != NULL && s->done + from > 0)
            e->opt.progress(e->opt.progress_user, s->done + from, (double)from / (double)e->ns);
        size_t n_block = r->per_worker * (size_t)r->threads;
        to = from + n_block < e->ns ? from + n_block : e->ns;
        run_block(r, from, to);
        st = hand_over(r, e->ctx);
        fit_block(r, to - from);
    }
    s->done += e->ns;
    e->claims = s->fixed;
    return s->st = st;
}

sm_status sm__check_stream_finish(sm__check_stream *s, sm_check_summary *summary)
{
    if (summary != NULL)
        memset(summary, 0, sizeof(*summary));
    if (s == NULL)
        return SM_ERR_USAGE;
    if (summary != NULL && s->st == SM_OK)
        *summary = s->r.total;
    return s->st;
}

sm_status sm__check_run(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                        const sm__pair_sink *sink, sm_check_summary *summary)
{
    if (summary != NULL)
        memset(summary, 0, sizeof(*summary));
    sm__check_stream *s = NULL;
    sm_status st = sm__check_stream_new(ctx, claims, options, sink, &s);
    if (st == SM_OK)
        st = sm__check_stream_batch(s, claims);
    if (st == SM_OK)
        st = sm__check_stream_finish(s, summary);
    sm__check_stream_free(s);
    return st;
}

const sm__check_stream_api *sm_testhook_check_stream(void)
{
    static const sm__check_stream_api api = {sm__check_run, sm__check_stream_new,
                                             sm__check_stream_batch, sm__check_stream_finish,
                                             sm__check_stream_free};
    return &api;
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
    if (fn == NULL) /* the summary only */
        return sm__check_run(ctx, claims, options, NULL, summary);
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
