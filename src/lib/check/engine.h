/*
 * check/engine.h: the check engine's own state, shared by the files of the
 * engine (prepare.c, distance.c, pair.c, check.c) and by nothing else.
 * What the module offers the modules above is check_internal.h.
 */
#ifndef SM_CHECK_ENGINE_H
#define SM_CHECK_ENGINE_H

#include <pthread.h>
#include <stdatomic.h>

#include "check/check_internal.h"

/* ---- what is prepared once per aircraft ---------------------------------- */

typedef struct prep {
    double vmax_kmh;
    double cruise_kmh;       /* (double)NAN when none */
    double radius_km;        /* (double)NAN when none */
    size_t def_off, n_def;   /* into engine.defaults: the type's default weapons
                                this aircraft's operator fields, longest first */
    bool timed;              /* every fix has a time */
    bool ends_sorted;        /* the fixes' window ends never decrease */
    double end_first;        /* the first fix's window end, and the last's */
    double end_last;         /* (ft's, kept here: one cache line less a pair) */
    double span_lo, span_hi; /* a strike window outside this meets no binding fix */
    size_t xyz_off;          /* into engine.xyz, one triple per fix */
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

/* A fix's times, contiguous for the time test and the bounds (prepare.c):
 * its window in seconds and its uncertainty in minutes. */
typedef struct fix_time {
    double start, end, unc_min;
} fix_time;

typedef struct engine {
    sm_ctx *ctx;
    const sm_claims *claims;
    sm_check_options opt;
    /* Only the summary is wanted (no sink): a pair the bounds decide needs
     * no exact geodesic (bounds.c). */
    bool count_only;
    /* Tests only: the environment variable SM_CHECK_EXACT=1 makes a
     * count-only run solve every pair exactly (no bound decides a verdict,
     * and the pairs the chord bound leaves out are solved too), so that its
     * counts can be compared with the bounds' (tests/cli/test_bounds.sh). */
    bool force_exact;
    size_t na, ns, nl;
    prep *pa;
    const sm_weapon **defaults;
    bool mode_is_group; /* operator mode: the name is a group (dated members) */
    double (*xyz)[3];   /* fixes */
    fix_time *ft;       /* fixes' times */
    double *seg_km;     /* per fix: geodesic length of the segment to the next fix */
    double *azi_next;   /* per fix: azimuth there of the segment to the next fix */
    double *azi_prev;   /* per fix: azimuth there of the segment back to the previous */
    block *blk;
    size_t *by_start; /* aircraft with timed fixes, sorted by span_lo */
    double *by_start_lo;
    size_t n_by_start;
    /* A tree of maxima over by_start: node 1 the root, node k's children
     * 2k and 2k + 1, leaf span_leaves + i aircraft by_start[i]'s span_hi
     * (-INF beyond n_by_start). A strike finds the aircraft whose span
     * meets its window in O((hits + 1) log n), however the spans differ. */
    double *span_max;
    size_t span_leaves;
    op_entry *ops; /* attackers by canonical operator, sorted case-insensitively */
    size_t n_ops;
    op_entry *ids; /* attackers sorted by id */
    bool *in_mode; /* attackers the mode pairs (operator mode: of that operator) */
    /* Whether an aircraft's xyz, seg_km, azi_* and blk are measured: at its
     * first pair (sm__engine_tracks), by whichever worker meets it first,
     * under measure_mu. Most aircraft of a large run may never pair. */
    _Atomic bool *measured;
    void *measured_mem; /* (measured's block, to free) */
    pthread_mutex_t *measure_mu;
} engine;

/* An index and the time it sorts by. */
typedef struct timed_index {
    double t;
    size_t i;
} timed_index;
int sm__cmp_timed(const void *a, const void *b);

/* The fixes of a that can bind to strike window s, as the index range
 * [*lo, *hi) (pair.c): for a track the fix just before the window, every
 * fix inside it and the fix just after (past either end, the nearest end);
 * a Point's one fix. Returns the index of the fix nearest in time. */
size_t sm__candidate_fixes(const engine *e, const sm_aircraft *a, const prep *p, const sm_when *s,
                           size_t *lo, size_t *hi);
/* The same range without the nearest fix (the bounds need only the range). */
void sm__candidate_range(const engine *e, const sm_aircraft *a, const prep *p, const sm_when *s,
                         size_t *lo, size_t *hi);
/* Time available from fix time f to strike window s (minutes): SPEC §3's
 * Δt, from the widest separation (s) the two windows allow. Inline: the
 * bounds take it for every binding fix of every pair. */
static inline double sm__available_min(const sm_when *s, const fix_time *f)
{
    return sm__fmax(fabs(s->end - f->start), fabs(f->end - s->start)) / 60 + s->uncertainty_min +
           f->unc_min;
}
/* The claimed fixes on a sortie's route to strike s (SPEC §3): [*first,
 * *last], or false when none. */
bool sm__route_fixes(const engine *e, const sm_strike *s, const sm_aircraft *a, size_t *first,
                     size_t *last);
/* The weapon a pair assumes (model.c's rule): the strike's, else the
 * aircraft's, else the type's default in service in year (0: any). */
const sm_weapon *sm__pair_weapon_of(const engine *e, const sm_strike *s, const sm_aircraft *a,
                                    const prep *p, int year);
/* Whether a chord already exceeds what a test allows (a chord never
 * exceeds the geodesic), so the pair fails without exact geodesics; R, W
 * the weapon's range and speed, u the pair's location uncertainty. */
bool sm__ruled_out(const engine *e, const sm_strike *s, const sm_aircraft *a, const prep *p,
                   double R, double W, double u, size_t lo, size_t hi, const double sxyz[3],
                   bool use_base);
/* Its sortie part: the straight line to the base and back already exceeds
 * the combat radius (with use_base). */
bool sm__base_ruled_out(const sm_strike *s, const sm_aircraft *a, const prep *p, double R,
                        const double sxyz[3]);

/* A binding fix's exact geodesic to the strike, kept for the closest
 * approach (distance.c) once the time test (pair.c) has solved it. */
typedef struct known_fix {
    size_t fix;
    double d_km, azi; /* exact distance and azimuth from the fix to the strike */
} known_fix;

/* prepare.c: what is prepared once per run (tables loaded on the calling
 * thread, each aircraft's defaults, geometry and time span, the indexes). */
sm_status sm__engine_init(engine *e, sm_ctx *ctx, const sm_claims *claims,
                          const sm_check_options *options);
void sm__engine_free(engine *e);
/* Measure the tracks of attackers ai[0 .. n) not measured yet (launchers
 * have none): called before their pairs are evaluated, from any worker. */
void sm__engine_tracks(const engine *e, const size_t *ai, size_t n);

/* distance.c: exact geodesic distances and the bounds that skip them. */
double sm__chord_km(const double a[3], const double b[3]);
/* From a point to the strike: to its point, or to the nearest point of its
 * area (0 inside); n_exact counts the geodesic problems solved. */
double sm__strike_distance(const sm_strike *s, double lon, double lat, size_t *n_exact);
/* Closest approach of the aircraft's whole track to the strike; best: an
 * exact distance already known; known: the binding fixes' geodesics. */
double sm__closest_approach(const engine *e, const sm_aircraft *a, const prep *p,
                            const sm_strike *s, const double sxyz[3], double best,
                            const known_fix *known, size_t n_known, size_t *n_exact);

/* pair.c: one pair. How a pair may be settled without its exact numbers. */
typedef enum sm__eval_mode {
    SM__EVAL_FULL = 0,  /* attributed pairs: every test made */
    SM__EVAL_PRUNE = 1, /* operator and all pairs: a pair with no binding fix, or
                           ruled out by the bound, is only counted */
    SM__EVAL_FLAG = 2   /* the same pairs, with their exact numbers, to list */
} sm__eval_mode;
/* Which pairs the listing may leave out (SPEC §3, "listed only while the
 * listing stays short"). */
typedef enum sm__row_class {
    SM__ROW_LISTED = 0,      /* decided: always listed */
    SM__ROW_UNKNOWN = 1,     /* no binding fix (or nothing to test with) */
    SM__ROW_IMPLAUSIBLE = 2, /* operator and all pairs: ruled out by the bound */
    SM__ROW_COUNTED = 3      /* counted only, no record (PRUNE) */
} sm__row_class;
/* Evaluate the pair of strike si and attacker ai (aircraft below e->na,
 * then launchers) into *out, counting it in *sum. Returns its class, or -1
 * when out of memory, or -2 when the pair is not made (an operator group's
 * non-member on the strike's date). */
int sm__evaluate(const engine *e, size_t si, size_t ai, sm__eval_mode mode, sm_pair *out,
                 sm_check_summary *sum, const double sxyz[3], sm__vec *known_buf);

/* bounds.c: verdicts from bounds of the geodesics, both ways, without
 * exact ones. A pair's outcome: its class (sm__row_class, or -2: not made,
 * or SM__QUICK_EXACT: the bounds do not decide it, sm__evaluate must) and
 * its verdict. */
#define SM__QUICK_EXACT (-3)
typedef struct sm__quick {
    int cls;
    sm_verdict verdict;
} sm__quick;
/* A worker's scratch arrays for the bounds of one strike's pairs. */
typedef struct sm__qscratch {
    double *x, *y, *z;         /* binding fixes, Earth-centred (km) */
    double *t_impl, *t_marg;   /* squared chords beyond which surely implausible,
                                  surely beyond cruise reach */
    double *t_plaus, *t_reach; /* squared chords within which surely plausible,
                                  surely within reach */
    double *lo, *hi;           /* the verdict's bounds at each fix (sm_verdict values) */
    double *r_out, *out;       /* reach + uncertainty; 1 where the chord exceeds it */
    size_t cap;
    size_t *off, *n; /* per pair: its fixes in the arrays */
    double *wr, *ws; /* per pair: weapon range and speed */
    bool *sortie;    /* per pair: the sortie test is made */
    size_t pcap;
} sm__qscratch;
void sm__qscratch_free(sm__qscratch *q);
/* The outcomes of the pairs of strike si with attackers cand[0 .. n) in
 * mode, into out (nothing counted); false when out of memory. */
bool sm__quick_pairs(const engine *e, size_t si, const size_t *cand, size_t n, sm__eval_mode mode,
                     const double sxyz[3], sm__qscratch *q, sm__quick *out);

/* pairs.c: which pairs a strike meets, settled into a worker's buffer. */
/* A worker's pairs of one block, with the class of each (sm__row_class). */
typedef struct pairbuf {
    sm_pair *pairs;
    unsigned char *cls;
    size_t len, cap;
    sm_check_summary sum;
    size_t budget; /* pairs of a shortened class still to keep (SIZE_MAX: all) */
    size_t *cand;
    size_t cand_cap;
    sm__vec known;  /* known_fix: the binding fixes' geodesics of the pair at hand */
    sm__vec names;  /* const char *: what an attributed name stands for */
    sm__qscratch q; /* the bounds' arrays (bounds.c) */
    sm__quick *qout;
    size_t qcap;
    /* count only: pairs not kept, their classes counted (listed) or, while
     * the run's budget must be applied in order, kept in order (ocls) */
    size_t n_listed;
    unsigned char *ocls;
    size_t olen, ocap;
} pairbuf;

/* The pairs of strike si into b (n_in_mode: the aircraft the mode pairs);
 * false when out of memory. */
bool sm__do_strike(const engine *e, size_t si, pairbuf *b, size_t n_in_mode);
/* A pair of a shortened class left out of the listing: counted only. */
void sm__count_unlisted(sm_check_summary *sum, int cls);

#endif
