/*
 * map_symbols.h: the symbols of the map (map_symbols.c): markers (strike
 * dots, aircraft, bases, track fixes, places), the dash of each verdict,
 * arrowheads; and the legend's list of items, each with the function that
 * draws its swatch (the parts that draw something add their own items).
 * Calls the style and text only.
 */
#ifndef SM_MAP_SYMBOLS_H
#define SM_MAP_SYMBOLS_H

#include "map/map_text.h"

enum { SM__MARK_STRIKE, SM__MARK_FIX, SM__MARK_TRACKFIX, SM__MARK_BASE, SM__MARK_PLACE };

/* One marker symbol centred at (x, y), vector; scale multiplies strikes. */
void sm__draw_marker(const sm__style *st, cairo_t *cr, int kind, int variant, double x, double y,
                     double angle, double scale);
/* Dashes of a verdict line of width w: solid plausible, dashed marginal,
 * short dashes implausible, dotted unknown (redundant with colour). */
void sm__set_verdict_dash(cairo_t *cr, int verdict, double w);
/* An arrowhead path with its tip at (x, y) pointing along ang. */
void sm__arrowhead_path(cairo_t *cr, double x, double y, double ang, double len, double half);

/* A legend swatch: drawn in a box `w` wide, centred vertically on y. */
typedef void (*sm__swatch_fn)(const sm_map *m, cairo_t *cr, int variant, double x, double y,
                              double w);

typedef struct sm__legend_item {
    sm__swatch_fn swatch; /* NULL: a header line (bold, no swatch) */
    int variant;          /* grading or verdict */
    PangoLayout *layout;
    double h;
} sm__legend_item;

/* Add a line to the legend (a vector of sm__legend_item). */
void sm__legend_push(sm_map *m, sm__vec *legend, sm__swatch_fn swatch, int variant,
                     const char *text, bool bold);

#endif
