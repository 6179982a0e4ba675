/*
 * map_style.h: the map's style (colours, sizes, fonts; map_style.c), read
 * from a key = value file over built-in defaults. The bottom of the map's
 * modules: it calls nothing of the map.
 */
#ifndef SM_MAP_STYLE_H
#define SM_MAP_STYLE_H

#include <cairo.h>

#include "check/check_internal.h"

typedef struct sm__rgba {
    double r, g, b, a;
} sm__rgba;

/* A style file is read whole before the map is made; one larger than this
 * is refused (no real style comes near it; /dev/zero would never end). */
#define SM__STYLE_MAX_BYTES (1024 * 1024)

typedef struct sm__style {
    const char *font;         /* Pango family list for all text (static or the map's arena) */
    const char *attribution;  /* basemap credit (static or the map's arena) */
    bool attribution_default; /* the built-in credit, not one from a style file */
    double title_pt, subtitle_pt, label_pt, place_pt, place_major_pt, country_pt, legend_pt,
        small_pt, graticule_pt;
    sm__rgba paper, ocean, land, land_focus, border, coast, graticule, frame, text, muted, halo;
    sm__rgba place_dot, place_text, country_text;
    sm__rgba strike[6]; /* by sm_grading */
    sm__rgba strike_label, aircraft, aircraft_label, track, base, base_label;
    sm__rgba verdict[4]; /* by sm_verdict */
    sm__rgba radius, uncertainty, inset_land, inset_ocean, inset_box;
    /* the furniture's boxes (legend, scale bar), their edges, the light
     * half of the north arrow and of the scale bar, the inset's rim, and
     * the light edge of markers */
    sm__rgba box, box_edge, scale_box, furniture_light, inset_edge, marker_edge, marker_shadow;
    double border_w, coast_w, graticule_w, frame_w, track_w, verdict_w, ring_w, radius_w,
        uncertainty_w, halo_w;
    double strike_size, fix_size, base_size, place_size; /* marker diameters */
    double ring_fill_alpha;
} sm__style;

void sm__style_defaults(sm__style *s);
/* Set a theme over the defaults: "light" (the defaults), "dark" or
 * "print"; false for another name. */
bool sm__style_theme(sm__style *s, const char *theme);
/* Read key = value lines over the defaults; errors name path, line and
 * key. Only a regular file of at most SM__STYLE_MAX_BYTES is read; texts
 * go into arena. */
sm_status sm__style_load(sm_ctx *ctx, sm__style *s, const char *path, sm__arena *arena);
void sm__set_rgba(cairo_t *cr, sm__rgba c);

#endif
