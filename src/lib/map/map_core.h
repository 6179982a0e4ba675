/*
 * map_core.h: what every module of the map uses of the map object itself
 * (map_core.c): the sticky status of a layout, strings in the map's arena,
 * progress. The map object (struct sm_map, map_internal.h) holds one state
 * struct per module; a module writes only its own and reads those of the
 * modules below it.
 *
 * The modules, lowest first (each calls only those before it):
 *   style, geom, core, pairs (the pairs drawn from, compact; map_pairs.c),
 *   view (CRS, extent, scale; map_view.c, map_shapes.c),
 *   text (fonts, layouts), labels (placement only), symbols (markers and
 *   legend swatches), raster (sprites and blitting), basemap, rings, claim
 *   layers, furniture (frame, scale bar, legend, inset), and at the top the
 *   driver (map.c: the part table, layout and drawing order; map_output.c:
 *   files).
 */
#ifndef SM_MAP_CORE_H
#define SM_MAP_CORE_H

#include "map/map_geom.h"

typedef struct sm_map sm_map;

/* Out of memory while laying out the map: the first one is recorded (a
 * diagnostic naming what, and m->status = SM_ERR_NOMEM). */
void sm__map_nomem(sm_map *m, const char *what);
/* printf into the map's arena; NULL (and sm__map_nomem) when out of memory. */
char *sm__map_strfmt(sm_map *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Report progress if the caller asked for it. */
void sm__map_progress(sm_map *m, const char *stage, double fraction);
/* Is this part of the map drawn (an SM_MAP_* bit, or SM__PART_* below)? */
bool sm__map_shows(const sm_map *m, unsigned part);

/* The strikes, read in passes (SPEC §8: memory does not grow with them).
 * A map draws from a set the caller holds, or from a stream
 * (sm_map_render_stream), whose strikes are read back from a temporary
 * file at each pass (the first pass is the check's, map_pairs.c). Every
 * module that needs the strikes takes them from a pass and keeps what it
 * draws, never a strike by its index. fn gets a batch: its strikes, their
 * number and the index of the first among all; it returns false to stop
 * the pass (having set m->status on a failure; with m->status still SM_OK
 * it only stops early). */
#define SM__MAP_BATCH 1024
typedef bool (*sm__strike_fn)(sm_map *m, const sm_strike *s, size_t n, size_t first, void *user);
sm_status sm__strikes_each(sm_map *m, sm__strike_fn fn, void *user);
/* Every strike of the set or the stream. */
size_t sm__strike_total(const sm_map *m);
/* The strikes' points alone (lon, lat pairs, degrees), batch by batch: a
 * pass that needs nothing else reads 16 bytes a strike, not the record
 * (a stream's run notes them, sm__strike_points_note, in a scratch file).
 * Its batches hold up to SM__MAP_POINTS_BATCH points. */
#define SM__MAP_POINTS_BATCH 8192
typedef bool (*sm__points_fn)(sm_map *m, const double *ll, size_t n, size_t first, void *user);
sm_status sm__strike_points_each(sm_map *m, sm__points_fn fn, void *user);
/* During a stream's run: a batch's points onto the scratch file. */
sm_status sm__strike_points_note(sm_map *m, const sm_claims *batch);
/* The strikes' canvas points, projected by the first pass that needs
 * them (the count of those in view) and kept, in strike order, for the
 * next (the one that places them), so that a million strikes are
 * projected once, not twice (0.15 s): keep n more points; then next
 * gives the next n, or false when none are kept (project them then: a
 * scratch file that failed only costs that). */
void sm__canvas_keep(sm_map *m, const double *xy, size_t n);
bool sm__canvas_next(sm_map *m, double *xy, size_t n);

/* The stages of a layout in which every part's build is called, in the
 * part table's order (map.c). */
enum {
    SM__STAGE_LAYERS, /* geometry and markers (rings, lines, markers) */
    SM__STAGE_LABELS  /* labels (after every marker and line is known) */
};

/* The phases of drawing in which every part's draw is called, in the part
 * table's order (map.c); a part draws in the phases it has something for. */
enum {
    SM__PHASE_LAND,      /* land fills */
    SM__PHASE_BASELINES, /* borders, coastline */
    SM__PHASE_GRID,      /* graticule lines */
    SM__PHASE_RINGS,     /* geodesic rings */
    SM__PHASE_AREAS,     /* area targets */
    SM__PHASE_LINES,     /* tracks, verdict lines */
    SM__PHASE_MARKS,     /* markers */
    SM__PHASE_FURNITURE, /* boxes over the map: scale bar, north, legend, inset */
    SM__PHASE_TEXT,      /* text around the frame: degrees, title, attribution */
    SM__PHASES
};

#endif
