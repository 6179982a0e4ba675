/*
 * map_furniture.h: the map's furniture (map_furniture.c: frame, title and
 * subtitle, attribution, graticule, scale bar, north arrow; map_legend.c:
 * legend and inset locator, placed where the claims leave room). Calls
 * every module below the driver; the legend's lines come from the parts
 * (their legend functions in the part table).
 */
#ifndef SM_MAP_FURNITURE_H
#define SM_MAP_FURNITURE_H

#include "map/map_claims.h"
#include "map/map_rings.h"

typedef struct sm__fixed_text {
    PangoLayout *layout;
    double x, y;  /* top-left (before rotation) */
    bool rotated; /* read bottom to top */
} sm__fixed_text;

typedef struct sm__furniture {
    PangoLayout *title, *subtitle, *attribution;
    double title_y, subtitle_y, attribution_y, margin;
    sm__paths graticule;
    sm__vec grat_labels;  /* sm__fixed_text */
    sm__vec legend;       /* sm__legend_item */
    double legend_box[4]; /* x, y, w, h; w == 0: none */
    double legend_sym_w, legend_pad;
    bool scale_ok;
    double scale_box[4];
    double scale_km, scale_len_pt;
    int scale_segments;
    PangoLayout *scale_labels[4]; /* 0, half, full; then "km" */
    PangoLayout *scale_note;
    bool north_ok;
    double north_x, north_y, north_angle;
    PangoLayout *north_label;
    bool inset_ok;
    double inset_cx, inset_cy, inset_r;
    sm__paths inset_land; /* tag 1: the focus country */
    sm__paths inset_frame;
    double inset_mark; /* radius of a ring around a tiny frame; 0: none */
} sm__furniture;

void sm__furniture_init(sm__furniture *f);
void sm__furniture_free(sm__furniture *f);
/* Header/footer and graticule margins: sets view.px/py/pw/ph. */
void sm__furniture_frame(sm_map *m);
/* Graticule, scale bar, north arrow; their areas become label obstacles. */
sm_status sm__furniture_build(sm_map *m);
/* The legend (its lines already in furn.legend, added by the parts) and
 * the inset, in the free spots left once claims are labelled; claim
 * labels under them are placed again (map_legend.c). */
void sm__furniture_place(sm_map *m);
void sm__legend_free(sm__vec *legend);

/* Texts written from the claims (map_titles.c): the pairs drawn by
 * verdict (false: none), the default subtitle, the attribution's claimants
 * and sources. */
bool sm__map_drawn_pairs(const sm_map *m, size_t by_verdict[4]);
void sm__map_default_subtitle(sm_map *m, sm__sbuf *buf);
void sm__map_claim_sources(sm_map *m, sm__sbuf *buf);

/* The parts, for the part table. */
void sm__graticule_draw(sm_map *m, const sm__draw *d, int phase);
void sm__scalebar_draw(sm_map *m, const sm__draw *d, int phase);
void sm__north_draw(sm_map *m, const sm__draw *d, int phase);
void sm__legend_part_draw(sm_map *m, const sm__draw *d, int phase);
void sm__inset_part_draw(sm_map *m, const sm__draw *d, int phase);
void sm__title_draw(sm_map *m, const sm__draw *d, int phase);
void sm__attribution_draw(sm_map *m, const sm__draw *d, int phase);

#endif
