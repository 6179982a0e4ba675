/*
 * map_basemap.h: the basemap (map_basemap.c reads it, map_basemap_parts.c
 * makes and draws its parts): country fills and borders, the coastline,
 * populated places and their names, country names, the focus country, and
 * the world's outlines for the inset. Calls the view, labels and symbols.
 */
#ifndef SM_MAP_BASEMAP_H
#define SM_MAP_BASEMAP_H

#include "map/map_labels.h"
#include "map/map_symbols.h"

/* The largest places, at least this populous, whose names outrank claim
 * labels on a map of many strikes (map_basemap_parts.c). */
#define SM__MAP_TOP_PLACES    6
#define SM__MAP_TOP_PLACE_POP 100000

typedef struct sm__place {
    double x, y; /* canvas */
    long pop;
    int rank;   /* 0 capital, 1 admin seat, 2 other */
    char *name; /* arena */
} sm__place;

typedef struct sm__basemap {
    const char *dir; /* arena */
    bool bundled;
    sm__paths countries;   /* polygons, tag = country number */
    sm__vec country_names; /* char * (arena), by tag */
    int focus_country;     /* tag drawn in land_focus; -1 none */
    sm__paths coast;       /* land outlines */
    sm__vec places;        /* sm__place inside the panel, best first */
    /* Every country's outer rings, thinned, lon/lat, for the inset: a ring
     * ends with (NaN, NaN), a country's rings with (NaN, tag). */
    sm__vec world;
} sm__basemap;

void sm__basemap_init(sm__basemap *b);
void sm__basemap_free(sm__basemap *b);
/* Read what the parts shown need: countries.shp, land.shp, places.shp. */
sm_status sm__basemap_load(sm_map *m);
/* The country holding most of these points (canvas) gets the lighter fill. */
void sm__basemap_focus(sm_map *m, const double *xy, size_t stride, size_t n);

/* The parts (map_basemap_parts.c), for the part table. */
void sm__country_names_build(sm_map *m, int stage);
void sm__countries_draw(sm_map *m, const sm__draw *d, int phase);
void sm__borders_draw(sm_map *m, const sm__draw *d, int phase);
void sm__coast_draw(sm_map *m, const sm__draw *d, int phase);
void sm__places_build(sm_map *m, int stage);
void sm__places_draw(sm_map *m, const sm__draw *d, int phase);

#endif
