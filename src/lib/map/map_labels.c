/*
 * map_labels.c: label placement. Owns the labels the modules add, the grid
 * and bitmaps of obstacles, and greedy placement; map_label_text.c makes a
 * label's layouts and draws the placed ones.
 *
 * Each line of a label is its own Pango layout, so each keeps its own base
 * direction: an Arabic line is shaped by HarfBuzz and laid out right to
 * left (bidi) even when the line above is English. Placement is greedy in
 * priority order (claims before bases, country names, places): eight
 * positions around the anchor in the usual cartographic order (right,
 * left, the diagonals, above, below), then, for claims, the same at three
 * larger distances with a leader line. A label is placed only where its
 * box (with the halo) touches no marker, no furniture and no label already
 * placed, so no two labels overlap; what cannot be placed is left out and
 * counted.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

#define GRID_CELL 16.0

void sm__labels_init(sm__labels *l)
{
    memset(l, 0, sizeof(*l));
    sm__vec_init(&l->labels, sizeof(sm__label *));
    sm__vec_init(&l->obstacles, 4 * sizeof(double));
    sm__vec_init(&l->grid, sizeof(sm__vec));
}

static void grid_alloc(sm_map *m)
{
    if (m->lab.grid.len > 0)
        return;
    m->lab.grid_cell = GRID_CELL;
    m->lab.grid_w = (int)ceil(m->view.W / GRID_CELL) + 1;
    m->lab.grid_h = (int)ceil(m->view.H / GRID_CELL) + 1;
    size_t n = (size_t)m->lab.grid_w * (size_t)m->lab.grid_h;
    if (!sm__vec_reserve(&m->lab.grid, n)) {
        sm__map_nomem(m, "label placement");
        return;
    }
    for (size_t i = 0; i < n; i++)
        sm__vec_init(&((sm__vec *)m->lab.grid.data)[i], sizeof(uint32_t));
    m->lab.grid.len = n;
    /* A bit a point, at most 4096 bits a side. */
    m->lab.occ_cell = fmax(1.0, fmax(m->view.W, m->view.H) / 4096.0);
    m->lab.occ_w = (int)ceil(m->view.W / m->lab.occ_cell) + 1;
    m->lab.occ_h = (int)ceil(m->view.H / m->lab.occ_cell) + 1;
    for (int k = 0; k < 2; k++) {
        m->lab.occ[k] = calloc(((size_t)m->lab.occ_w * (size_t)m->lab.occ_h + 7) / 8, 1);
        if (m->lab.occ[k] == NULL)
            sm__map_nomem(m, "label placement");
    }
}

static void cell_range(const sm_map *m, double x0, double y0, double x1, double y1, int *c0,
                       int *r0, int *c1, int *r1)
{
    *c0 = (int)floor(x0 / m->lab.grid_cell);
    *r0 = (int)floor(y0 / m->lab.grid_cell);
    *c1 = (int)floor(x1 / m->lab.grid_cell);
    *r1 = (int)floor(y1 / m->lab.grid_cell);
    if (*c0 < 0)
        *c0 = 0;
    if (*r0 < 0)
        *r0 = 0;
    if (*c1 >= m->lab.grid_w)
        *c1 = m->lab.grid_w - 1;
    if (*r1 >= m->lab.grid_h)
        *r1 = m->lab.grid_h - 1;
}

/* The bits a box covers (rounded outwards); false when it misses the canvas. */
static bool occ_range(const sm_map *m, double x0, double y0, double x1, double y1, int r[4])
{
    double c = m->lab.occ_cell;
    r[0] = (int)fmax(0, floor(x0 / c));
    r[1] = (int)fmax(0, floor(y0 / c));
    r[2] = (int)fmin(m->lab.occ_w - 1, floor(x1 / c));
    r[3] = (int)fmin(m->lab.occ_h - 1, floor(y1 / c));
    return r[0] <= r[2] && r[1] <= r[3];
}

static void occ_set(sm_map *m, int k, double x0, double y0, double x1, double y1)
{
    grid_alloc(m);
    int r[4];
    if (m->lab.occ[k] == NULL || !occ_range(m, x0, y0, x1, y1, r))
        return;
    for (int y = r[1]; y <= r[3]; y++)
        for (int x = r[0]; x <= r[2]; x++) {
            size_t i = (size_t)y * (size_t)m->lab.occ_w + (size_t)x;
            m->lab.occ[k][i >> 3] |= (unsigned char)(1u << (i & 7));
        }
}

static bool occ_any(const sm_map *m, int k, double x0, double y0, double x1, double y1)
{
    int r[4];
    if (m->lab.occ[k] == NULL || !occ_range(m, x0, y0, x1, y1, r))
        return false;
    for (int y = r[1]; y <= r[3]; y++)
        for (int x = r[0]; x <= r[2]; x++) {
            size_t i = (size_t)y * (size_t)m->lab.occ_w + (size_t)x;
            if (m->lab.occ[k][i >> 3] & (1u << (i & 7)))
                return true;
        }
    return false;
}

void sm__obstacle_add_mark(sm_map *m, double x0, double y0, double x1, double y1)
{
    occ_set(m, 0, x0, y0, x1, y1);
}

void sm__obstacle_add_soft(sm_map *m, double x0, double y0, double x1, double y1)
{
    occ_set(m, 1, x0, y0, x1, y1);
}

void sm__obstacle_add(sm_map *m, double x0, double y0, double x1, double y1)
{
    grid_alloc(m);
    if (m->lab.grid.len == 0 || !(x1 >= 0 && y1 >= 0 && x0 <= m->view.W && y0 <= m->view.H))
        return;
    double *o = sm__vec_push(&m->lab.obstacles);
    if (o == NULL) {
        sm__map_nomem(m, "label placement");
        return;
    }
    o[0] = x0;
    o[1] = y0;
    o[2] = x1;
    o[3] = y1;
    uint32_t idx = (uint32_t)(m->lab.obstacles.len - 1);
    int c0, r0, c1, r1;
    cell_range(m, x0, y0, x1, y1, &c0, &r0, &c1, &r1);
    for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++) {
            uint32_t *slot =
                sm__vec_push(&((sm__vec *)m->lab.grid.data)[(size_t)r * m->lab.grid_w + c]);
            if (slot == NULL) {
                sm__map_nomem(m, "label placement");
                return;
            }
            *slot = idx;
        }
}

static bool hit(const sm_map *m, double x0, double y0, double x1, double y1, bool hard_only)
{
    if (m->lab.grid.len == 0)
        return false;
    if (occ_any(m, 0, x0, y0, x1, y1) || (!hard_only && occ_any(m, 1, x0, y0, x1, y1)))
        return true;
    int c0, r0, c1, r1;
    cell_range(m, x0, y0, x1, y1, &c0, &r0, &c1, &r1);
    const double *obs = m->lab.obstacles.data;
    for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++) {
            const sm__vec *cell =
                &((const sm__vec *)m->lab.grid.data)[(size_t)r * m->lab.grid_w + c];
            const uint32_t *ids = cell->data;
            for (size_t i = 0; i < cell->len; i++) {
                const double *o = obs + 4 * (size_t)ids[i];
                if (o[0] < x1 && o[2] > x0 && o[1] < y1 && o[3] > y0)
                    return true;
            }
        }
    return false;
}

bool sm__obstacle_hit(const sm_map *m, double x0, double y0, double x1, double y1)
{
    return hit(m, x0, y0, x1, y1, false);
}

sm__label *sm__label_add(sm_map *m, const char *text, int kind, int priority, double ax, double ay,
                         double ar)
{
    sm__label *lb = calloc(1, sizeof(*lb));
    sm__label **slot = lb != NULL ? sm__vec_push(&m->lab.labels) : NULL;
    if (slot == NULL) {
        free(lb);
        sm__map_nomem(m, "labels");
        return NULL;
    }
    *slot = lb;
    lb->kind = kind;
    lb->priority = priority;
    lb->ax = ax;
    lb->ay = ay;
    lb->ar = ar;
    if (!sm__label_set_text(m, lb, text)) {
        /* kept in m->lab.labels (freed with the map), never placed */
        sm__label_clear_lines(lb);
        lb->tried = true;
        sm__map_nomem(m, "labels");
        return NULL;
    }
    return lb;
}

static int cmp_labels(const void *a, const void *b)
{
    const sm__label *x = *(sm__label *const *)a, *y = *(sm__label *const *)b;
    if (x->priority != y->priority)
        return x->priority < y->priority ? -1 : 1;
    /* Stable: by anchor, then by address order of creation is not
     * deterministic, so compare positions. */
    if (x->ay != y->ay)
        return x->ay < y->ay ? -1 : 1;
    if (x->ax != y->ax)
        return x->ax < y->ax ? -1 : 1;
    return 0;
}

/* A box fits inside the panel, on nothing. Place names may cover a line
 * (their halo keeps them legible and the line reads through); claim
 * labels may not. */
static bool fits(const sm_map *m, const sm__label *lb, double x, double y, double w, double h,
                 double pad)
{
    const sm__view *v = &m->view;
    if (x - pad < v->px + 1 || y - pad < v->py + 1 || x + w + pad > v->px + v->pw - 1 ||
        y + h + pad > v->py + v->ph - 1)
        return false;
    bool over_lines = lb->kind == SM__LABEL_PLACE || lb->kind == SM__LABEL_PLACE_MAJOR ||
                      lb->kind == SM__LABEL_COUNTRY || lb->over_lines;
    return !hit(m, x - pad, y - pad, x + w + pad, y + h + pad, over_lines);
}

/* The leader from the anchor to a box at (x, y) crosses no marker and no
 * label: sampled every 1.5 pt beyond the anchor's own marker. */
static bool leader_clear(const sm_map *m, const sm__label *lb, double x, double y)
{
    double cx = fmin(fmax(lb->ax, x), x + lb->w), cy = fmin(fmax(lb->ay, y), y + lb->h);
    double dx = cx - lb->ax, dy = cy - lb->ay, len = hypot(dx, dy);
    /* from beyond the corner of the anchor's own (square) marker box, as
     * the bitmap holds it (rounded out to whole cells) */
    double start = (lb->ar + 0.5 + m->lab.occ_cell) * 1.4143 + 1;
    for (int s = 0; start + 1.5 * s < len - 1.5; s++) {
        double t = start + 1.5 * s;
        double px = lb->ax + dx * t / len, py = lb->ay + dy * t / len;
        if (hit(m, px - 0.6, py - 0.6, px + 0.6, py + 0.6, true))
            return false;
    }
    return true;
}

/* A label moved off with a leader should not settle beside another
 * claim's marker: that is where the other claim's own label goes, and a
 * reader would pair them wrongly. */
static bool near_other_claim(const sm_map *m, const sm__label *lb, double x, double y)
{
    sm__label *const *ls = m->lab.labels.data;
    const double gap = 10;
    if (m->lab.labels.len > 400)
        return false;
    for (size_t i = 0; i < m->lab.labels.len; i++) {
        const sm__label *o = ls[i];
        if (o == lb || o->kind > SM__LABEL_BASE || (o->ax == lb->ax && o->ay == lb->ay))
            continue;
        if (o->ax > x - gap && o->ax < x + lb->w + gap && o->ay > y - gap &&
            o->ay < y + lb->h + gap)
            return true;
    }
    return false;
}

/* Try to put lb at the given distance beyond its anchor's clear radius:
 * the eight classic positions first, then (for leader placements) eight
 * more between them. */
static bool try_ring(sm_map *m, sm__label *lb, double dist, double pad, bool sixteen)
{
    /* Diagonal spots put the box's corner at (r, r): the anchor's marker
     * is kept clear as a square. */
    double r = lb->ar + dist, d = r;
    double w = lb->w, h = lb->h, ax = lb->ax, ay = lb->ay;
    /* x, y, alignment (0 left, 1 right, 2 centre) */
    double cand[16][3] = {
        {ax + r, ay - h / 2, 0},     {ax - r - w, ay - h / 2, 1}, {ax + d, ay - d - h, 0},
        {ax + d, ay + d, 0},         {ax - d - w, ay - d - h, 1}, {ax - d - w, ay + d, 1},
        {ax - w / 2, ay - r - h, 2}, {ax - w / 2, ay + r, 2},
    };
    int n = 8;
    if (sixteen) {
        static const double ang[8] = {22.5, 67.5, 112.5, 157.5, 202.5, 247.5, 292.5, 337.5};
        for (int i = 0; i < 8; i++) {
            double a = ang[i] * SM__PI / 180, cx = ax + r * cos(a), cy = ay + r * sin(a);
            /* the box corner or edge nearest the anchor sits on the circle */
            double x = cos(a) >= 0 ? cx : cx - w, y = sin(a) >= 0 ? cy : cy - h;
            cand[n][0] = x;
            cand[n][1] = y;
            cand[n][2] = cos(a) >= 0 ? 0 : 1;
            n++;
        }
    }
    for (int i = 0; i < n; i++) {
        if (fits(m, lb, cand[i][0], cand[i][1], w, h, pad) &&
            (!sixteen || (leader_clear(m, lb, cand[i][0], cand[i][1]) &&
                          !near_other_claim(m, lb, cand[i][0], cand[i][1])))) {
            lb->x = cand[i][0];
            lb->y = cand[i][1];
            lb->align = (int)cand[i][2];
            return true;
        }
    }
    return false;
}

void sm__label_unplace(sm_map *m, sm__label *lb)
{
    double *o = m->lab.obstacles.data;
    for (size_t i = lb->obs_first; i < lb->obs_first + lb->obs_n; i++) {
        /* an empty box: hit() never matches it */
        o[4 * i] = o[4 * i + 1] = 1e18;
        o[4 * i + 2] = o[4 * i + 3] = -1e18;
    }
    lb->obs_n = 0;
    lb->placed = lb->tried = lb->leader = false;
}

/* A country's name: centred on its anchor, or nudged a little. */
static bool place_country(sm_map *m, sm__label *lb, double pad)
{
    const double off[9][2] = {{0, 0},   {0, -1}, {0, 1},  {-1, 0}, {1, 0},
                              {-1, -1}, {1, -1}, {-1, 1}, {1, 1}};
    for (int k = 0; k < 9; k++) {
        double x = lb->ax - lb->w / 2 + off[k][0] * lb->w * 0.4,
               y = lb->ay - lb->h / 2 + off[k][1] * lb->h * 1.2;
        if (fits(m, lb, x, y, lb->w, lb->h, pad)) {
            lb->x = x;
            lb->y = y;
            lb->align = 2;
            return true;
        }
    }
    return false;
}

/* A label placed: its box (and a place's dot, and its leader) keep later
 * labels off. */
static void occupy(sm_map *m, sm__label *lb, double pad, bool is_place)
{
    lb->placed = true;
    lb->obs_first = m->lab.obstacles.len;
    sm__obstacle_add(m, lb->x - pad, lb->y - pad, lb->x + lb->w + pad, lb->y + lb->h + pad);
    if (is_place)
        sm__obstacle_add(m, lb->ax - lb->ar, lb->ay - lb->ar, lb->ax + lb->ar, lb->ay + lb->ar);
    if (lb->leader) {
        /* Keep later labels and leaders off this leader. */
        double cx = fmin(fmax(lb->ax, lb->x), lb->x + lb->w),
               cy = fmin(fmax(lb->ay, lb->y), lb->y + lb->h);
        double dx = cx - lb->ax, dy = cy - lb->ay, len = hypot(dx, dy);
        double start = (lb->ar + 0.5) * 1.4143 + 1;
        for (int s = 0; start + 2.0 * s < len; s++) {
            double t = start + 2.0 * s;
            sm__obstacle_add(m, lb->ax + dx * t / len - 0.8, lb->ay + dy * t / len - 0.8,
                             lb->ax + dx * t / len + 0.8, lb->ay + dy * t / len + 0.8);
        }
    }
    lb->obs_n = m->lab.obstacles.len - lb->obs_first;
}

void sm__labels_place(sm_map *m, int below)
{
    grid_alloc(m);
    sm__label **ls = m->lab.labels.data;
    if (m->lab.labels.len > 1)
        qsort(ls, m->lab.labels.len, sizeof(sm__label *), cmp_labels);
    double pad = m->style.halo_w / 2 + 0.4;
    /* beside a marker: clear of its box as the bitmap holds it (rounded out
     * to whole cells) and of the label's own halo */
    double near = pad + 0.8 + m->lab.occ_cell;
    size_t deferred = 0;
    for (size_t i = 0; i < m->lab.labels.len; i++) {
        sm__label *lb = ls[i];
        if (lb->n_lines == 0 || lb->fixed || lb->tried || lb->priority >= below)
            continue;
        lb->tried = true;
        bool is_place = lb->kind == SM__LABEL_PLACE || lb->kind == SM__LABEL_PLACE_MAJOR;
        /* A place's dot must be free, except a big city's: the city a
         * strike is in is still worth naming (its dot hides under the
         * strike). */
        if (is_place && (!sm__in_panel(m, lb->ax, lb->ay, 3) ||
                         (lb->priority >= SM__PRIO_PLACE &&
                          sm__obstacle_hit(m, lb->ax - lb->ar, lb->ay - lb->ar, lb->ax + lb->ar,
                                           lb->ay + lb->ar))))
            continue;
        /* A big city under a claim's marker is named around the marker. */
        if (is_place && occ_any(m, 0, lb->ax, lb->ay, lb->ax, lb->ay))
            lb->ar =
                fmax(lb->ar,
                     fmax(m->style.strike_size * m->view.mark_scale, m->style.fix_size) / 2 + 0.8);
        bool ok = false;
        if (lb->kind == SM__LABEL_COUNTRY) {
            ok = place_country(m, lb, pad);
        } else if (lb->n_alt > 0) {
            /* beside its anchor, or beside one of the others */
            ok = try_ring(m, lb, near, pad, false);
            for (int k = 0; !ok && k < lb->n_alt; k++) {
                lb->ax = lb->alt[k][0];
                lb->ay = lb->alt[k][1];
                ok = try_ring(m, lb, near, pad, false);
            }
        } else if (lb->leader_ok && !lb->deferred) {
            /* First round: beside the anchor only, in full, then with the
             * short text (a crowd of claims at one point named by their
             * first lines). A claim label that needs a leader waits until
             * the big cities are named (a reader needs "Aleppo" to find
             * the claims about it). */
            ok = try_ring(m, lb, near, pad, false);
            if (!ok && lb->short_text != NULL) {
                char *full = sm__label_text(lb);
                if (full == NULL || !sm__label_set_text(m, lb, lb->short_text)) {
                    free(full);
                    sm__map_nomem(m, "labels");
                    return;
                }
                ok = try_ring(m, lb, near, pad, false);
                if (!ok && !sm__label_set_text(m, lb, full)) {
                    free(full);
                    sm__map_nomem(m, "labels");
                    return;
                }
                free(full);
            }
            if (!ok) {
                lb->deferred = true;
                lb->tried = false;
                lb->priority = SM__PRIO_DEFERRED;
                deferred++;
                continue;
            }
        } else {
            /* Beside the anchor (labels without leaders); further off with
             * a leader, in full then short; last, a claim may sit on a line
             * (its halo keeps both legible) rather than be left out. */
            if (!lb->leader_ok || is_place)
                ok = try_ring(m, lb, near, pad, false);
            for (int pass = 0; pass < 3 && !ok && lb->leader_ok; pass++) {
                if (pass == 1 && lb->short_text != NULL &&
                    !sm__label_set_text(m, lb, lb->short_text)) {
                    sm__map_nomem(m, "labels");
                    return;
                }
                if (pass == 1 && lb->short_text == NULL)
                    continue;
                lb->over_lines = pass == 2;
                for (int k = 1; !ok && lb->leader_ok && k <= 14; k++) {
                    ok = try_ring(m, lb, near + 12.0 * k, pad, true);
                    lb->leader = ok;
                }
            }
        }
        if (!ok) {
            if (lb->kind == SM__LABEL_STRIKE || lb->kind == SM__LABEL_AIRCRAFT ||
                lb->kind == SM__LABEL_BASE)
                m->lab.dropped++;
            continue;
        }
        occupy(m, lb, pad, is_place);
    }
    if (deferred > 0)
        sm__labels_place(m, below);
}

void sm__labels_free(sm__labels *l)
{
    sm__label **ls = l->labels.data;
    for (size_t i = 0; i < l->labels.len; i++) {
        sm__label_clear_lines(ls[i]);
        free(ls[i]->short_text);
        free(ls[i]);
    }
    sm__vec_free(&l->labels);
    sm__vec_free(&l->obstacles);
    for (size_t i = 0; i < l->grid.len; i++)
        sm__vec_free(&((sm__vec *)l->grid.data)[i]);
    sm__vec_free(&l->grid);
    free(l->occ[0]);
    free(l->occ[1]);
    l->occ[0] = l->occ[1] = NULL;
}
