/*
 * check/check_internal.h: what the check module (engine, model, verdict
 * text, reach) offers the modules above it.
 */
#ifndef SM_CHECK_INTERNAL_H
#define SM_CHECK_INTERNAL_H

#include <math.h>

#include "core/internal.h"

#include "claims/claims_internal.h"
#include "geo/geo.h"

/* fmax() as glibc gives it (the first when equal, the other when one is a
 * NaN), inline: gcc calls the library's otherwise. */
static inline double sm__fmax(double a, double b)
{
    return a >= b || isnan(b) ? a : b;
}

/* Model (model.c): whether a pair has a weapon to launch, and how far a
 * carrier flying v km/h reaches in minutes with weapon (R km, w km/h):
 * sm_model_reach_km's rule (strikemap/model.h), inline for the engine's
 * bounds, which take it for every binding fix. */
static inline bool sm__has_weapon(double range_km, double speed_kmh)
{
    return range_km > 0 && speed_kmh > 0 && isfinite(speed_kmh);
}

static inline double sm__reach_km(double v, double minutes, double R, double w)
{
    double h = sm__fmax(0.0, minutes) / 60.0;
    if (!(v > 0))
        v = 0;
    if (sm__has_weapon(R, w) && !(v > w)) {
        double flight_h = R / w;
        return h >= flight_h ? v * (h - flight_h) + R : w * h;
    }
    return v * h;
}

/* SM_WEAPON_NOT_* flags of weapon w for aircraft a at
 * instant t (NAN: any date). */
unsigned sm__weapon_fit(sm_ctx *ctx, const sm_weapon *w, const sm_aircraft *a, double t);
/* The type's default weapons that a launches from the air and its operator
 * fields, longest range first (borrowed pointers), into out. */
sm_status sm__default_weapons(sm_ctx *ctx, const sm_aircraft *a, sm__vec *out);
/* The first of a default list in service in year (0: any year), or NULL. */
const sm_weapon *sm__pick_default(const sm_weapon *const *list, size_t n, int year);

/* The claim a pair sets against the strike, aircraft or launcher alike
 * (check.c): its record, type (the table's name, else as written, else
 * "launcher"), operator, and the position the pair measured from (the
 * binding fix, or the launcher; has_pos false for an unknown pair without
 * a fix). Borrowed pointers. */
typedef struct sm__party {
    const sm_claim_info *info;
    const char *type;
    const char *operator_name;
    const char *base; /* base id, or NULL */
    bool has_pos;
    double lon, lat;
    const sm_when *when;
} sm__party;
void sm__pair_party(const sm_pair *p, const sm_claims *claims, sm__party *out);
/* Whether the pair's fix binds to its strike (the time test was made from
 * it): the pairs maps and reports draw a fix-to-strike line for. */
bool sm__pair_fix_binds(const sm_pair *p);

/* An aircraft's type as the table names it, else as written, else
 * fallback. */
const char *sm__type_name(const sm_aircraft *a, const char *fallback);

/* The text table's one-line reason for a verdict. */
size_t sm__pair_short_reason(const sm_pair *p, const sm_claims *claims, char *buf, size_t size);

/* The engine (check.c) hands the pairs it lists to a sink, in order of
 * strike then attacker. format, when set, writes one pair's row into out
 * and is called on the worker threads (it must only read shared state;
 * false: out of memory); put then gets each block's rows, in order, on the
 * calling thread. Pairs that cannot be formatted ahead (while the listing
 * of the shortened classes is being cut) go to add, on the calling thread.
 * put and add return false to stop the run (the sink keeps its own
 * status). This is how the writers of output/ drive the engine without the
 * engine knowing them. */
typedef struct sm__pair_sink {
    bool (*format)(void *user, FILE *out, const sm_pair *pair);
    bool (*put)(void *user, const char *text, size_t len, size_t rows);
    bool (*add)(void *user, const sm_pair *pair);
    void *user;
} sm__pair_sink;
/* Run the check of claims, its listed pairs to sink; a NULL sink: the
 * summary only (check --count), where the pairs the bounds decide need no
 * exact geodesic. It is the stream below with one batch. */
sm_status sm__check_run(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                        const sm__pair_sink *sink, sm_check_summary *summary);

/* The engine fed strikes in batches (streamed loading), with the same
 * output as sm__check_run on all of them at once, whatever the batches'
 * sizes: the pairs in the same order, the listing's cut (SM_CHECK_LIST_SHORT
 * pairs of the shortened classes, or list_all) and the summary carried
 * across batches. The summary's exact_distances, a count of work done,
 * may differ.
 *  - new: the engine prepared once from fixed, a claim set with the
 *    aircraft, bases and launchers (its strikes, if any, are ignored);
 *    sink as sm__check_run's (NULL: the summary only). fixed, options and
 *    sink are borrowed until free.
 *  - batch: a claim set whose aircraft, bases and launchers are exactly
 *    fixed's (same indexes, same pointers; SM_ERR_USAGE otherwise) and
 *    whose strikes are the batch. Pairs go to the sink with `strike`
 *    indexing the batch (the caller points its sink at the batch before
 *    the call); every row of the batch is handed over before it returns,
 *    so the batch may then be freed. Working memory is reused from batch
 *    to batch. The progress callback gets the strikes done over all
 *    batches and the fraction of this batch. After an error (or a sink
 *    that asked to stop), later batches do nothing and return it.
 *  - finish: the summary of all batches (zeroed on error), and the status.
 *  - free: NULL is fine. */
typedef struct sm__check_stream sm__check_stream;
sm_status sm__check_stream_new(sm_ctx *ctx, const sm_claims *fixed, const sm_check_options *options,
                               const sm__pair_sink *sink, sm__check_stream **out);
sm_status sm__check_stream_batch(sm__check_stream *s, const sm_claims *batch);
sm_status sm__check_stream_finish(sm__check_stream *s, sm_check_summary *summary);
void sm__check_stream_free(sm__check_stream *s);

/* Tests only (tests/unit/test_check_stream.c): the library exports its
 * public sm_* names alone, so a test reaches the stream entry through this
 * one exported table. */
typedef struct sm__check_stream_api {
    sm_status (*run)(sm_ctx *, const sm_claims *, const sm_check_options *, const sm__pair_sink *,
                     sm_check_summary *);
    sm_status (*stream_new)(sm_ctx *, const sm_claims *, const sm_check_options *,
                            const sm__pair_sink *, sm__check_stream **);
    sm_status (*stream_batch)(sm__check_stream *, const sm_claims *);
    sm_status (*stream_finish)(sm__check_stream *, sm_check_summary *);
    void (*stream_free)(sm__check_stream *);
} sm__check_stream_api;
const sm__check_stream_api *sm_testhook_check_stream(void);

#endif
