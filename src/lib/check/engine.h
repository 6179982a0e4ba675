/*
 * check/engine.h: the check engine's own state, shared by the files of the
 * engine (prepare.c, distance.c, pair.c, check.c) and by nothing else.
 * What the module offers the modules above is check_internal.h.
 */
#ifndef SM_CHECK_ENGINE_H
#define SM_CHECK_ENGINE_H

#include "check/check_internal.h"

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

/* An index and the time it sorts by. */
typedef struct timed_index {
    double t;
    size_t i;
} timed_index;
int sm__cmp_timed(const void *a, const void *b);

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

#endif
