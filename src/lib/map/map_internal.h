/*
 * map_internal.h: the map object and the part table; what report/ uses of
 * the map (sm__pdf_metadata). Nothing here is public.
 *
 * The map is a pipeline of modules, each with its own header and its own
 * state struct in sm_map (init and free of its own), calling only the
 * modules below it (map_core.h lists them in order):
 *   options, style, fonts -> frame (furniture) -> extent and projection
 *   (view) -> basemap -> the parts' geometry and markers (rings, claim
 *   layers) -> labels -> furniture -> drawing (sm_map_draw) -> files
 *   (map_output.c; markers on images through raster).
 * Everything is projected once, into canvas points, when the map is laid
 * out; drawing only replays it, so one layout can be drawn to any surface.
 *
 * What the map draws is one table of parts (g_parts in map.c): its name
 * (the CLI's --no-<name>), its bit, what builds it in each stage, what
 * draws it in each phase, what it adds to the legend, and the style keys
 * it reads. The mask of all parts and the CLI switches come from it;
 * adding a layer is one entry there and one module.
 */
#ifndef SM_MAP_INTERNAL_H
#define SM_MAP_INTERNAL_H

#include "map/map_focus.h"
#include "map/map_furniture.h"
#include "strikemap/map.h"

/* One part of the map. build and draw are called for every part, shown or
 * not, in table order (a part looks at sm__map_shows itself: some draw for
 * others, e.g. track dots with fixes hidden); legend only for parts shown. */
typedef struct sm__part_def {
    const char *name; /* --no-<name>; sm_map_part_name */
    unsigned bit;     /* SM_MAP_* (or one only the table has) */
    bool off_by_default;
    void (*build)(sm_map *m, int stage);                   /* SM__STAGE_*; may be NULL */
    void (*draw)(sm_map *m, const sm__draw *d, int phase); /* SM__PHASE_*; may be NULL */
    void (*legend)(sm_map *m, sm__vec *legend);            /* may be NULL */
    int legend_rank;                                       /* legend lines in this order */
    const char *style_keys; /* the style keys it reads (docs/render.md) */
    const char *about;      /* one line for --help and the docs */
} sm__part_def;

struct sm_map {
    sm_ctx *ctx;
    /* the aircraft, bases and launchers, and the strikes when held; a
     * stream's set holds strikes only during a pass (sm__strikes_each) */
    const sm_claims *claims;
    sm_claims_stream *stream; /* the strikes streamed, else NULL */
    FILE *points;             /* a stream's strikes' points (sm__strike_points_note) */
    FILE *canvas;             /* their canvas points, for one pass (sm__canvas_keep) */
    int canvas_state;         /* 0 none kept, 1 keeping, 2 read back, -1 given up */
    const sm_check *check;    /* the caller's, or NULL: then only pairs holds them */
    sm__map_pairs pairs;      /* the listed pairs, compact (map_pairs.h) */
    sm_map_options opt;       /* strings point into arena */
    sm__arena arena;
    sm__style style;
    unsigned show; /* parts drawn (bits of the part table) */
    /* The first failure of a step that cannot return one (out of memory in
     * the geometry, a layout): like cairo_status(), sticky; checked at the
     * end of each stage of the layout. */
    sm_status status;

    /* one state struct per module, lowest first */
    sm__proj proj; /* view */
    sm__view view;
    sm__focus focus;
    sm__text text;
    sm__labels lab;
    sm__raster raster;
    sm__basemap base;
    sm__rings rg;
    sm__claim_layers cl;
    sm__furniture furn;
};

/* sm_map_draw without diagnostics (safe from a worker thread); banded:
 * cr draws one band of the map's own PNG image; svg: the map's own SVG,
 * its text and groups collected there (map_svg.h), else NULL. */
cairo_status_t sm__map_draw(sm_map *m, cairo_t *cr, bool banded, struct sm__svg *svg);
/* One pass of the track lines (sm__tracks_first_pass) of a band, as
 * coverage: cr set up as sm__map_draw's for that band, on an A8 image the
 * band's size. Reads the map only: safe beside a drawing on another thread. */
void sm__map_tracks_mask(sm_map *m, cairo_t *cr, int pass);

/* PDF creator, title and dates (SOURCE_DATE_EPOCH or none), map_output.c. */
void sm__pdf_metadata(cairo_surface_t *s, const char *title);

#endif
