/*
 * map_svg.h: an SVG a graphics desk can edit (map_svg.c). cairo's SVG
 * surface writes text as glyph outlines and every part of the map in one
 * flat list; while the map's own SVG is drawn, text is collected instead
 * (as <text> elements in the map's fonts, at the positions Pango gives),
 * and a marker is drawn between the parts; a pass over what cairo wrote
 * then puts each part in a named group (<g id="strikes">) with its text.
 * Calls the text module only.
 */
#ifndef SM_MAP_SVG_H
#define SM_MAP_SVG_H

#include "map/map_text.h"

typedef struct sm__svg_group {
    const char *part; /* static: the part's name */
    int phase;        /* SM__PHASE_*, or -1 */
    sm__sbuf text;    /* its <text> elements */
} sm__svg_group;

typedef struct sm__svg {
    sm__vec groups;    /* sm__svg_group */
    const char *class; /* of the text drawn next ("label-strike"), static; NULL: none */
    bool failed;       /* out of memory (sticky) */
} sm__svg;

void sm__svg_init(sm__svg *s);
void sm__svg_free(sm__svg *s);
/* Start the group of a part in a phase: draws the marker into cr. */
void sm__svg_begin(sm__svg *s, cairo_t *cr, const char *part, int phase);
/* A layout drawn at (x, y) in cr's user space, as <text> in the current
 * group (sm__text_draw calls this instead of drawing when collecting). */
void sm__svg_text(sm__svg *s, cairo_t *cr, PangoLayout *l, double x, double y, sm__rgba colour,
                  sm__rgba halo, double halo_w);
/* What cairo wrote (len bytes), with the groups and text put in, to f.
 * False when out of memory or cairo's SVG is not what was expected. */
bool sm__svg_write(sm__svg *s, const char *svg, size_t len, FILE *f);

#endif
