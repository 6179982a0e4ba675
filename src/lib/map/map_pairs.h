/*
 * map_pairs.h: the pairs a map draws from (map_pairs.c), kept compact.
 * A map needs of each listed pair only who (strike, aircraft, binding
 * fix), the verdict, the reach and where the strike is; an sm_pair is 264
 * bytes, this record 40, so a map of 200,000 strikes attributed to an
 * operator (some 700,000 decided pairs) holds 28 MB of pairs instead of
 * 190 MB. The records are read from the check the caller hands in, or,
 * when there is none, taken one by one from the engine (sm_check_each, or
 * the engine fed a stream's batches) without ever holding the sm_pair
 * records. Calls the core only.
 */
#ifndef SM_MAP_PAIRS_H
#define SM_MAP_PAIRS_H

#include "map/map_core.h"

enum {
    SM__MPAIR_BINDS = 1,    /* the fix binds (sm__pair_fix_binds): a decided pair */
    SM__MPAIR_LAUNCHER = 2, /* by_kind == SM_KIND_LAUNCHER: `aircraft` is a launcher */
    SM__MPAIR_LOOSE = 4     /* plausible by far: reach over SM__MAP_LOOSE_REACH times the
                               distance (its ring is drawn thinner and lighter) */
};

/* A plausible pair whose reach is more than this many times the distance
 * it decides says only "easily": its reach ring is drawn thinner and
 * lighter (docs/render.md, "Reach rings"). */
#define SM__MAP_LOOSE_REACH 2.5

typedef struct sm__mpair {
    uint32_t strike;   /* index in the claim set's strikes */
    uint32_t aircraft; /* index in the aircraft (or the launchers, see flags) */
    int32_t fix;       /* the binding fix, -1: none (sm_pair.fix) */
    uint8_t verdict;   /* sm_verdict */
    uint8_t flags;     /* SM__MPAIR_* */
    double reach_km;   /* sm_pair.reach_km */
    double slon, slat; /* the strike's point (degrees): its lines start there */
} sm__mpair;

typedef struct sm__map_pairs {
    sm__mpair *p; /* listed pairs, in the check's order (strike, then attacker) */
    size_t len, cap;
    sm_check_summary summary; /* of every pair considered; zero without a check */
} sm__map_pairs;

/* Take the pairs of check, or, when check is NULL, run the check the map's
 * options ask for (options.check, no closest approach: the map draws none)
 * and keep its listed pairs as records. With a stream, this is its run:
 * the first pass over the strikes, each batch checked as it comes. */
sm_status sm__map_pairs_take(sm_map *m, const sm_check *check);
void sm__map_pairs_free(sm__map_pairs *mp);

static inline bool sm__mpair_binds(const sm__mpair *p)
{
    return (p->flags & SM__MPAIR_BINDS) != 0;
}

static inline bool sm__mpair_launcher(const sm__mpair *p)
{
    return (p->flags & SM__MPAIR_LAUNCHER) != 0;
}

#endif
