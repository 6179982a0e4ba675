/*
 * map_rings.h: geodesic rings (map_rings.c): the reach of each checked
 * pair around its binding fix, combat radius + weapon range around bases,
 * the caller's own circles (sm_map_options.areas), location uncertainty.
 * Calls the view, labels and symbols.
 */
#ifndef SM_MAP_RINGS_H
#define SM_MAP_RINGS_H

#include "map/map_labels.h"
#include "map/map_symbols.h"

/* Reach rings (each distinct ring of a decided pair once, the widest
 * first) drawn while there are this many or fewer; past it, only those of
 * implausible and marginal pairs, at most SM__MAP_DENSE_RINGS, as
 * outlines (the rest are counted in a warning). */
#define SM__MAP_READABLE_RINGS 24
#define SM__MAP_DENSE_RINGS    8
/* ... the widest that cross the panel, looked for among this many of the
 * widest (the rest of the widest may lie wholly off the map). */
#define SM__MAP_DENSE_RING_TRIES 64
/* Location-uncertainty circles drawn; more are left out with a warning. */
#define SM__MAP_MAX_UNCERTAINTY_RINGS 2000

enum { SM__RING_REACH, SM__RING_RADIUS, SM__RING_UNCERTAINTY };

typedef struct sm__ring {
    sm__paths fill, line;
    int kind;
    int verdict;
    double radius_km;
    bool fill_visible;
    bool loose;    /* far larger than the distance it decides: outline only, lighter */
    bool origin;   /* a caller's circle: its centre is marked */
    double ox, oy; /* ... there (canvas) */
} sm__ring;

typedef struct sm__rings {
    sm__vec rings; /* sm__ring */
    sm__key_set keys;
    bool has_reach, has_radius, has_uncertainty, has_origin;
} sm__rings;

void sm__rings_init(sm__rings *r);
void sm__rings_free(sm__rings *r);

/* The parts, for the part table. */
void sm__radius_build(sm_map *m, int stage);
void sm__radius_draw(sm_map *m, const sm__draw *d, int phase);
void sm__radius_legend(sm_map *m, sm__vec *legend);
void sm__reach_build(sm_map *m, int stage);
void sm__reach_draw(sm_map *m, const sm__draw *d, int phase);
void sm__reach_legend(sm_map *m, sm__vec *legend);
void sm__uncertainty_build(sm_map *m, int stage);
void sm__uncertainty_draw(sm_map *m, const sm__draw *d, int phase);
void sm__uncertainty_legend(sm_map *m, sm__vec *legend);

#endif
