/*
 * map_focus.h: which claims the map draws (map_focus.c): all of them, or
 * the strikes sm_map_options.strike_id or .where pick, with the aircraft
 * of their pairs and those aircraft's bases. The extent, the layers, the
 * title and the subtitle all ask here, so that a map says what it shows.
 * Calls the core only.
 */
#ifndef SM_MAP_FOCUS_H
#define SM_MAP_FOCUS_H

#include "map/map_pairs.h"

typedef struct sm__focus {
    bool all;                                /* no selection: every claim */
    unsigned char *strike, *aircraft, *base; /* selected (when !all) */
} sm__focus;

void sm__focus_free(sm__focus *f);
/* Read options.strike_id and options.where (after the check ran); an
 * unknown id, a bad expression or nothing selected is an error naming the
 * field. */
sm_status sm__focus_build(sm_map *m);
bool sm__focus_strike(const sm_map *m, size_t i);
bool sm__focus_aircraft(const sm_map *m, size_t i);
bool sm__focus_base(const sm_map *m, size_t i);
/* Both sides of the pair are drawn. */
bool sm__focus_pair(const sm_map *m, const sm__mpair *p);

#endif
