/*
 * strikemap/check.h: plausibility of strike/aircraft pairs (SPEC §3): the
 * verdicts and the engine that gives them. The outputs (formats and
 * writers) are strikemap/output.h; geodesics and the reach area are
 * strikemap/geodesy.h; the model's rules are strikemap/model.h.
 *
 * The model: d is the geodesic distance on WGS84 (PROJ's geod_inverse) from
 * a claimed fix to the strike (to the nearest point of an area target);
 * the time available is the widest separation the two claimed times allow
 * plus both time uncertainties; reach is max speed x time available + weapon
 * range + both location uncertainties. From a known base the strike must lie
 * within combat radius + weapon range + the strike's location uncertainty,
 * unless air-to-air refuelling is claimed. A fix farther in time than the
 * maximum gap (default 6 h) from the strike does not bind.
 */
#ifndef STRIKEMAP_CHECK_H
#define STRIKEMAP_CHECK_H

#include <stddef.h>
#include "claims.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sm_verdict {
    SM_VERDICT_UNKNOWN = 0, /* a needed number is missing */
    SM_VERDICT_PLAUSIBLE = 1,
    SM_VERDICT_MARGINAL = 2,   /* possible, but needs > marginal fraction of a limit */
    SM_VERDICT_IMPLAUSIBLE = 3 /* a binding condition fails */
} sm_verdict;

/* "unknown", "plausible", "marginal", "implausible"; static storage. */
const char *sm_verdict_str(sm_verdict verdict);

/* The tests of SPEC §3; a pair's decided_by names the one that decided its
 * verdict (the failing or marginal one; for a plausible pair the one with
 * the least margin). */
typedef enum sm_test {
    SM_TEST_NONE = 0,    /* no test could be made: the verdict is unknown */
    SM_TEST_TIME = 1,    /* distance against speed x time, weapon flight included */
    SM_TEST_SORTIE = 2,  /* base -> fixes -> release point -> base within the combat radius */
    SM_TEST_LAUNCHER = 3 /* a launcher's weapon: range, and flight time against the time */
} sm_test;

/* "none", "time", "sortie", "launcher"; static storage. */
const char *sm_test_str(sm_test test);

typedef enum sm_pairing {
    SM_PAIRS_ATTRIBUTED = 0, /* each strike with what its claimant attributes it to */
    SM_PAIRS_OPERATOR = 1,   /* each strike with every aircraft of one operator */
    SM_PAIRS_ALL = 2         /* each strike with every aircraft */
} sm_pairing;

/* How many pairs of the shortened classes (no binding fix, or ruled out by
 * the bound) a run lists before it only counts them (SPEC §3). */
#define SM_CHECK_LIST_SHORT 1000

/* Options of a check, filled by the caller: call sm_check_options_init()
 * first (it sets size and the defaults), then set what you need. Zero
 * numbers also take the defaults. A NULL options pointer means the
 * defaults. */
typedef struct sm_check_options {
    /* sizeof(sm_check_options), the layout version (set by
     * sm_check_options_init): any other value is refused with SM_ERR_USAGE
     * and a diagnostic naming options.size (a program built against
     * another version of this header must be rebuilt). */
    size_t size;
    sm_pairing pairing;
    const char *operator_name; /* for SM_PAIRS_OPERATOR; matched case-insensitively; borrowed */
    double marginal_fraction;  /* default 0.8 */
    double max_gap_minutes;    /* default 360 (6 h) */
    double fallback_speed_kmh; /* for types the table does not know; 0: none */
    /* In every pairing mode, decided pairs are listed; pairs with no
     * binding fix (verdict unknown) and, with SM_PAIRS_OPERATOR and
     * SM_PAIRS_ALL, pairs a conservative bound shows implausible are
     * listed only while SM_CHECK_LIST_SHORT of them have been, then
     * counted in the summary (unlisted_unknown, unlisted_implausible);
     * list_all lists them all. With SM_PAIRS_OPERATOR and SM_PAIRS_ALL a
     * pair with no binding fix is unknown (the sortie test alone is not
     * made), listed or not, so the counts never depend on the listing. */
    bool list_all;
    int threads; /* worker threads; 0: one per core; at most 16 */
    /* Leave closest_approach_km NAN: for callers that do not report it (no
     * verdict depends on it, and it costs about a third of the work). */
    bool no_closest_approach;
    /* Called between blocks of strikes, from the calling thread: strikes
     * done and the fraction done. NULL: none. */
    void (*progress)(void *user, size_t strikes_done, double fraction);
    void *progress_user;
} sm_check_options;

/* Set size and the defaults (attributed pairs, marginal 0.8, max gap 6 h,
 * no fallback speed, list short, a thread per core). NULL: nothing. */
void sm_check_options_init(sm_check_options *options);

/* One strike/aircraft pair and the numbers behind its verdict. Distances in
 * km, speeds in km/h, times in minutes; NAN where a number does not apply
 * or is unknown. Pointers are borrowed from the claims or the tables. */
typedef struct sm_pair {
    size_t strike;   /* index in the claim set's strikes */
    size_t aircraft; /* index in the claim set's aircraft */
    sm_verdict verdict;
    long fix;                  /* the binding fix (tightest), index into fixes; -1: none */
    int n_binding;             /* how many fixes bind (0 to 2, more inside a window) */
    double distance_km;        /* binding fix to strike */
    double available_minutes;  /* time available from that fix */
    double required_speed_kmh; /* speed needed to bring the strike within weapon range */
    double max_speed_kmh;
    double reach_km;
    const char *weapon;             /* the weapon assumed; NULL when none is known */
    bool weapon_assumed;            /* true: the type's longest default weapon, not claimed */
    bool weapon_not_carried;        /* the claimed weapon's carriers in the table leave out the
                                       aircraft's type (its range is used all the same) */
    double weapon_range_km;         /* 0 when no weapon is known */
    double location_uncertainty_km; /* strike's + aircraft's */
    double base_distance_km;        /* base to strike; NAN without a base */
    double combat_radius_km;        /* NAN without a base or a radius, or when refuelled */
    double margin_km;               /* smallest slack over all binding conditions; < 0 fails */
    double closest_approach_km;     /* of the whole track (or the fix) to the strike */
    double gap_minutes;             /* unknown verdicts: time to the nearest fix; else NAN */
    unsigned missing;               /* SM_MISSING_* bits for unknown verdicts */
    /* Model v2 (SPEC §3): what decided, and each test's record. */
    sm_kind by_kind;              /* SM_KIND_AIRCRAFT, or SM_KIND_LAUNCHER: then
                                     `aircraft` indexes the claim set's launchers */
    sm_test decided_by;           /* the test that decided the verdict */
    double cruise_speed_kmh;      /* the type's; NAN when the table has none */
    double weapon_speed_kmh;      /* mean speed of the weapon assumed; NAN without one */
    sm_weapon_basis weapon_basis; /* why that weapon */
    unsigned weapon_flags;        /* SM_WEAPON_NOT_* for a claimed weapon that does not fit */
    double time_margin_km;     /* time test: reach at top speed less the distance; NAN: not made */
    double cruise_reach_km;    /* time test: the same reach at cruise speed; NAN: not made */
    double route_km;           /* sortie test: the route; NAN: not made */
    double sortie_limit_km;    /* sortie test: twice the combat radius */
    double sortie_margin_km;   /* sortie test: limit less route; NAN: not made */
    int route_fixes;           /* sortie test: claimed fixes on the route */
    double launcher_margin_km; /* launcher test: the tighter of range and time; NAN: not made */
    double marginal_fraction;  /* the --marginal fraction the verdict used */
    double max_gap_minutes;    /* the --max-gap the verdict used */
} sm_pair;

#define SM_MISSING_STRIKE_TIME 1u /* the strike has no time */
#define SM_MISSING_FIX_TIME    2u /* the aircraft's fix has no time */
#define SM_MISSING_NEAR_FIX    4u /* no fix within the maximum gap */
#define SM_MISSING_MAX_SPEED   8u /* the type is not in the table and no fallback speed */
#define SM_MISSING_COARSE_TIME                                                                     \
    16u /* the strike's time is known only to a window                                             \
           wider than the maximum gap (a date alone) */

/* What a run found, counted over every pair considered. */
typedef struct sm_check_summary {
    size_t strikes;
    size_t aircraft;
    size_t pairs;                /* considered */
    size_t listed;               /* handed to the caller */
    size_t by_verdict[4];        /* indexed by sm_verdict, listed or not */
    size_t unlisted_unknown;     /* unknown (no binding fix), counted only */
    size_t unlisted_implausible; /* ruled out by the bound, counted only */
    size_t exact_distances;      /* geodesic inverse problems solved */
    size_t strikes_unattributed; /* attributed mode: strikes naming nothing to check */
    size_t launchers;            /* launcher claims in the set */
} sm_check_summary;

/* Called for each listed pair, in order of strike then aircraft index,
 * from the calling thread. pair is borrowed for the call only. Return
 * false to stop. */
typedef bool (*sm_pair_fn)(void *user, const sm_pair *pair);

/* Evaluate the pairs the options ask for (NULL: the defaults) and hand each
 * listed one to fn. fn NULL: the summary only (no pair is handed over, and
 * a pair whose verdict conservative bounds settle needs no exact geodesic;
 * the counts are those of a run with fn). Memory stays bounded however
 * many pairs there are.
 * summary (may be NULL) gets the counts of every pair considered, listed
 * or not; it is zeroed on error. claims is borrowed. */
sm_status sm_check_each(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                        sm_pair_fn fn, void *user, sm_check_summary *summary);

/* The same, keeping the listed pairs in an sm_check object: *out is the
 * caller's, to free with sm_check_free (NULL on error). The pairs' pointers
 * borrow from claims, which must outlive it. */
typedef struct sm_check sm_check;
sm_status sm_check_run(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                       sm_check **out);
void sm_check_free(sm_check *check); /* NULL: nothing */
/* 0 for NULL. */
size_t sm_check_pair_count(const sm_check *check);
/* Borrowed from check; NULL for NULL or an index out of range. */
const sm_pair *sm_check_pair(const sm_check *check, size_t index);
/* Borrowed from check; NULL for NULL. */
const sm_check_summary *sm_check_summary_get(const sm_check *check);

/* The reasons for a pair's verdict, as sentences a reader understands,
 * written into buf (always NUL-terminated when size > 0). Returns the length
 * the full text needs. */
size_t sm_pair_reasons(const sm_pair *pair, const sm_claims *claims, char *buf, size_t size);

/* The warnings about the pair's two claims (a time without offset, likely
 * swapped coordinates, an attribution to nothing known...), as
 * "strike ID: field: message; aircraft ID: ...", written into buf like
 * sm_pair_reasons; 0 when none. Every verdict format carries them. */
size_t sm_pair_warnings(const sm_pair *pair, const sm_claims *claims, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
