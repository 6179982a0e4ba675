/*
 * map_labels.h: label placement (map_labels.c; map_label_text.c makes a
 * label's layouts and draws the placed ones). Modules add labels with an
 * anchor, a kind and a priority, and obstacles that labels must not cover;
 * placement puts each label beside its anchor, or with a leader line, or
 * leaves it out and counts it. Calls the view and text only.
 */
#ifndef SM_MAP_LABELS_H
#define SM_MAP_LABELS_H

#include "map/map_text.h"

enum {
    SM__LABEL_STRIKE,
    SM__LABEL_AIRCRAFT,
    SM__LABEL_BASE,
    SM__LABEL_TIME,
    SM__LABEL_RING,
    SM__LABEL_COUNTRY,
    SM__LABEL_PLACE,
    SM__LABEL_PLACE_MAJOR,
    SM__LABEL_KINDS
};

/* Label priorities (lower first): claims 0-60 beside their marker, big
 * cities, claims that need a leader line, the legend and inset, other
 * cities, country names, other places. */
#define SM__PRIO_CITY      300000
#define SM__PRIO_DEFERRED  350000
#define SM__PRIO_FURNITURE 400000
#define SM__PRIO_TOWN      450000
#define SM__PRIO_COUNTRY   500000
#define SM__PRIO_PLACE     1000000

typedef struct sm__label {
    PangoLayout **lines; /* one layout a line, so each keeps its own direction */
    size_t n_lines;
    double *line_w;    /* logical widths */
    double line_h;     /* height of one line */
    double w, h;       /* the block */
    double ax, ay, ar; /* anchor and the radius kept clear around it */
    double alt[8][2];  /* other anchors to try (ring labels) */
    int n_alt;
    int kind;
    int priority;   /* lower places first */
    bool leader_ok; /* may be moved off with a leader line */
    bool fixed;     /* placed at (x, y) as given, no search */
    bool placed, leader, tried;
    bool deferred;           /* a claim label waiting for its leader round */
    bool over_lines;         /* may cover verdict lines and tracks (last resort) */
    size_t obs_first, obs_n; /* its obstacles, to take it back off the map */
    char *short_text;        /* tried when the full text does not fit (owned) */
    int align;               /* lines flush 0 left, 1 right (label left of its anchor), 2 centred */
    int variant;             /* places: rank */
    double x, y;             /* top-left of the block once placed */
} sm__label;

/* The labels module's state. */
typedef struct sm__labels {
    sm__vec labels;        /* sm__label * */
    sm__vec obstacles;     /* double[4]: boxes of labels and furniture */
    unsigned char *occ[2]; /* bitmaps: 0 markers, 1 lines */
    int occ_w, occ_h;
    double occ_cell; /* pt a bit */
    sm__vec grid;    /* per cell: sm__vec of obstacle indices */
    int grid_w, grid_h;
    double grid_cell;
    size_t dropped; /* claim labels that did not fit */
} sm__labels;

void sm__labels_init(sm__labels *l);
void sm__labels_free(sm__labels *l);
/* A label from lines of text (UTF-8, '\n' separated); the map owns it. */
sm__label *sm__label_add(sm_map *m, const char *text, int kind, int priority, double ax, double ay,
                         double ar);
/* Obstacles that labels must not cover (canvas pt). Markers and lines
 * (there may be a million) go into bitmaps of the canvas; labels and
 * furniture (a few hundred) into a grid of boxes, so that a placed label
 * can be taken back. Soft ones (lines) keep labels off but leader lines
 * may cross them. */
void sm__obstacle_add(sm_map *m, double x0, double y0, double x1, double y1);
void sm__obstacle_add_mark(sm_map *m, double x0, double y0, double x1, double y1);
void sm__obstacle_add_soft(sm_map *m, double x0, double y0, double x1, double y1);
bool sm__obstacle_hit(const sm_map *m, double x0, double y0, double x1, double y1);
/* Place the labels not tried yet whose priority is below `below`. */
void sm__labels_place(sm_map *m, int below);
/* Take a placed label off (its obstacles too), to be placed again. */
void sm__label_unplace(sm_map *m, sm__label *lb);
/* Is this kind a claim's label (strike, aircraft, base, time, ring)? */
static inline bool sm__label_is_claim(int kind)
{
    return kind <= SM__LABEL_RING;
}

/* map_label_text.c: a label's text as layouts (lines cut to the widest a
 * label may be), and drawing the placed labels. */
bool sm__label_set_text(sm_map *m, sm__label *lb, const char *text);
void sm__label_clear_lines(sm__label *lb);
char *sm__label_text(const sm__label *lb);
/* Draw the placed labels: places and countries first, claims on top. */
void sm__draw_labels(sm_map *m, const sm__draw *d);

#endif
