/*
 * map_base_names2.h: the "base-names-2" part (map_base_names2.c): each
 * base's name in its second script, written under its marker. Not drawn
 * by default (sm_map_options.show, the CLI's --base-names-2). Calls the
 * view and labels.
 */
#ifndef SM_MAP_BASE_NAMES2_H
#define SM_MAP_BASE_NAMES2_H

#include "map/map_labels.h"

/* The part's bit (no SM_MAP_* constant: parts added after map.h's enum are
 * named through sm_map_part_parse). */
#define SM__PART_BASE_NAMES_2 (1u << 13)

void sm__base_names2_build(sm_map *m, int stage);

#endif
