/*
 * map_text.h: the map's text (map_text.c): a Pango context at 72 dpi (a
 * font size in points is the same number of canvas units), one-line
 * layouts in the map's font, and drawing a layout with a halo. Calls the
 * core only.
 */
#ifndef SM_MAP_TEXT_H
#define SM_MAP_TEXT_H

#include <pango/pangocairo.h>

#include "map/map_view.h"

typedef struct sm__text {
    PangoFontMap *fontmap;
    PangoContext *pango;
} sm__text;

/* A Pango context for the map's text. GLib aborts when out of memory;
 * these constructors cannot fail otherwise (fontconfig without fonts
 * still gives a context, whose text falls back to boxes). */
void sm__text_init(sm__text *t);
void sm__text_free(sm__text *t);
/* A one-line layout in the map's font at size (pt); bold when asked. The
 * first one makes the Pango context (sm__text_init). */
PangoLayout *sm__layout(sm_map *m, const char *text, double size_pt, bool bold, bool italic);
void sm__layout_size(PangoLayout *l, double *w, double *h);
/* Draw a layout with its top-left at (x, y), on a halo when halo.a > 0. */
void sm__text_draw(const sm__draw *d, PangoLayout *l, double x, double y, sm__rgba colour,
                   sm__rgba halo, double halo_w);

#endif
