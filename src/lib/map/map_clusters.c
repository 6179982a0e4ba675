/*
 * map_clusters.c: the claim layers at city density (SPEC §4: 1,000 strikes
 * in a 40 km box). Past SM__MAP_CLUSTER_STRIKES strikes in view, strikes
 * whose markers would overlap are drawn as one cluster marker: a disc with
 * their count, ringed by the share of each best verdict (the best of each
 * strike's pairs: could any aircraft have made it), in the verdict colours.
 * Past SM__MAP_BUNDLE_LINES fix-to-strike lines, the lines from one fix are
 * bundled by verdict: one line to the middle of its strikes, wider with
 * their number, at most SM__MAP_MAX_BUNDLES of them (the largest of each
 * verdict in turn).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

/* The radius of a cluster of n strikes (pt). */
static double cluster_radius(const sm_map *m, size_t n)
{
    double sr = sm__mark_radius(m, SM__MARK_STRIKE);
    return fmin(sr * (1.5 + 0.5 * log2((double)n)), 4.5 * sr + 4);
}

/* The strikes in view of one grid cell, as the pass adds them; of the
 * first, what a lone strike's marker and label need. */
typedef struct scell {
    long cx, cy;
    double sx, sy; /* sums of x and y */
    size_t count;
    size_t by_verdict[5];
    double x, y; /* the first strike */
    int grading;
    bool flagged, in_pair;
    const char *text; /* its label (in the map's arena), or NULL */
} scell;

static int cmp_cells(const void *a, const void *b)
{
    const scell *x = a, *y = b;
    if (x->cy != y->cy)
        return x->cy < y->cy ? -1 : 1;
    return (x->cx > y->cx) - (x->cx < y->cx);
}

/* Merge cluster b into a (b emptied). */
static void merge(const sm_map *m, sm__cluster *a, sm__cluster *b)
{
    double n = (double)(a->count + b->count);
    a->x = (a->x * (double)a->count + b->x * (double)b->count) / n;
    a->y = (a->y * (double)a->count + b->y * (double)b->count) / n;
    a->count += b->count;
    for (int v = 0; v < 5; v++)
        a->by_verdict[v] += b->by_verdict[v];
    a->r = cluster_radius(m, a->count);
    b->count = 0;
}

/* Clusters by grid cell, for finding those near a point. */
typedef struct grid_item {
    long cx, cy;
    size_t k; /* cluster index */
} grid_item;

static int cmp_grid(const void *a, const void *b)
{
    const grid_item *x = a, *y = b;
    if (x->cy != y->cy)
        return x->cy < y->cy ? -1 : 1;
    if (x->cx != y->cx)
        return x->cx < y->cx ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}

/* The first item of cell (cx, cy) in the sorted grid, or n. */
static size_t grid_find(const grid_item *g, size_t n, long cx, long cy)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (g[mid].cy < cy || (g[mid].cy == cy && g[mid].cx < cx))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The lowest-numbered live cluster after `after` whose disc overlaps a's,
 * or SIZE_MAX. The grid holds each cluster where it was when the pass
 * began; only clusters numbered below a's have moved since (they took
 * others in), so every candidate is where the grid says. Two discs that
 * overlap are less than the cell size apart. */
static size_t next_overlap(const sm__cluster *k, const sm__cluster *a, size_t after,
                           const grid_item *g, size_t n, double cell)
{
    long cx = lround(floor(a->x / cell)), cy = lround(floor(a->y / cell));
    size_t best = SIZE_MAX;
    for (long y = cy - 1; y <= cy + 1; y++)
        for (long x = cx - 1; x <= cx + 1; x++)
            for (size_t i = grid_find(g, n, x, y); i < n && g[i].cx == x && g[i].cy == y; i++) {
                size_t j = g[i].k;
                if (j > after && j < best && k[j].count > 0 &&
                    hypot(a->x - k[j].x, a->y - k[j].y) < a->r + k[j].r + 1)
                    best = j;
            }
    return best;
}

/* Merge clusters whose discs overlap until none does (at most 8 passes).
 * Each pass takes the clusters in order and merges into each, in order,
 * every later one that overlaps it as it grows: the later ones are found
 * through a grid of cells as wide as two of the largest discs, so a pass
 * costs n log n, not n squared (thousands of clusters on a large map). */
static bool merge_overlaps(const sm_map *m, sm__cluster *k, size_t n)
{
    double cell = 2 * cluster_radius(m, SIZE_MAX) + 1.5;
    grid_item *g = malloc((n + 1) * sizeof(*g));
    if (g == NULL)
        return false;
    for (int pass = 0, changed = 1; changed && pass < 8; pass++) {
        changed = 0;
        size_t live = 0;
        for (size_t i = 0; i < n; i++)
            if (k[i].count > 0)
                g[live++] =
                    (grid_item){lround(floor(k[i].x / cell)), lround(floor(k[i].y / cell)), i};
        if (live > 1)
            qsort(g, live, sizeof(*g), cmp_grid);
        for (size_t i = 0; i < n; i++) {
            if (k[i].count == 0)
                continue;
            for (size_t j = i; (j = next_overlap(k, &k[i], j, g, live, cell)) != SIZE_MAX;) {
                merge(m, &k[i], &k[j]);
                changed = 1;
            }
        }
    }
    free(g);
    return true;
}

static uint64_t cell_hash(long cx, long cy)
{
    uint64_t h = (uint64_t)cx * 0x9E3779B97F4A7C15u ^
                 ((uint64_t)cy + 0x632BE59BD9B4E019u) * 0xBF58476D1CE4E5B9u;
    return h ^ (h >> 29);
}

/* The hash table of cells, twice their number at least. */
static bool cells_grow(sm__claim_layers *cl)
{
    size_t cap = cl->cell_cap ? 2 * cl->cell_cap : 1024;
    uint32_t *slot = cap < SIZE_MAX / sizeof(*slot) ? malloc(cap * sizeof(*slot)) : NULL;
    if (slot == NULL)
        return false;
    memset(slot, 0xff, cap * sizeof(*slot));
    const scell *c = cl->cells.data;
    for (size_t i = 0; i < cl->cells.len; i++) {
        size_t at = (size_t)cell_hash(c[i].cx, c[i].cy) & (cap - 1);
        while (slot[at] != UINT32_MAX)
            at = (at + 1) & (cap - 1);
        slot[at] = (uint32_t)i;
    }
    free(cl->cell_slot);
    cl->cell_slot = slot;
    cl->cell_cap = cap;
    return true;
}

bool sm__cluster_add(sm_map *m, const sm__placed *p)
{
    sm__claim_layers *cl = &m->cl;
    if (cl->cells.elem == 0)
        sm__vec_init(&cl->cells, sizeof(scell));
    double size = 2 * cluster_radius(m, 2);
    long cx = lround(floor(p->x / size)), cy = lround(floor(p->y / size));
    if ((2 * (cl->cells.len + 1) > cl->cell_cap && !cells_grow(cl)) ||
        cl->cells.len >= UINT32_MAX) {
        sm__map_nomem(m, "clusters");
        return false;
    }
    size_t at = (size_t)cell_hash(cx, cy) & (cl->cell_cap - 1);
    scell *cs = cl->cells.data;
    while (cl->cell_slot[at] != UINT32_MAX &&
           (cs[cl->cell_slot[at]].cx != cx || cs[cl->cell_slot[at]].cy != cy))
        at = (at + 1) & (cl->cell_cap - 1);
    scell *c;
    if (cl->cell_slot[at] == UINT32_MAX) {
        c = sm__vec_push(&cl->cells);
        if (c == NULL) {
            sm__map_nomem(m, "clusters");
            return false;
        }
        memset(c, 0, sizeof(*c));
        cl->cell_slot[at] = (uint32_t)(cl->cells.len - 1);
        c->cx = cx;
        c->cy = cy;
        c->x = p->x;
        c->y = p->y;
        c->grading = (int)p->s->grading;
        c->flagged = sm__strike_flagged(p->s);
        c->in_pair = p->in_pair;
        const char *text = (m->show & SM_MAP_LABELS) ? sm__strike_text(m, p->s) : NULL;
        if (text != NULL && (c->text = sm__map_strfmt(m, "%s", text)) == NULL)
            return false;
    } else {
        c = &cs[cl->cell_slot[at]];
    }
    c->sx += p->x;
    c->sy += p->y;
    c->count++;
    c->by_verdict[p->best >= 0 && p->best < 4 ? p->best : 4]++;
    return true;
}

void sm__cells_free(sm_map *m)
{
    sm__vec_free(&m->cl.cells);
    free(m->cl.cell_slot);
    m->cl.cell_slot = NULL;
    m->cl.cell_cap = 0;
}

void sm__clusters_finish(sm_map *m)
{
    sm__claim_layers *cl = &m->cl;
    scell *cs = cl->cells.data;
    size_t n = cl->cells.len;
    free(cl->cell_slot);
    cl->cell_slot = NULL;
    cl->cell_cap = 0;
    if (n > 1)
        qsort(cs, n, sizeof(*cs), cmp_cells);
    sm__vec *cv = &cl->clusters;
    if (!sm__vec_reserve(cv, cv->len + n)) { /* the pushes below cannot fail */
        sm__cells_free(m);
        sm__map_nomem(m, "clusters");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        sm__cluster *c = sm__vec_push(cv);
        memset(c, 0, sizeof(*c));
        c->count = cs[i].count;
        c->x = cs[i].sx / (double)cs[i].count;
        c->y = cs[i].sy / (double)cs[i].count;
        memcpy(c->by_verdict, cs[i].by_verdict, sizeof(c->by_verdict));
        c->r = c->count > 1 ? cluster_radius(m, c->count) : sm__mark_radius(m, SM__MARK_STRIKE);
        c->first = i; /* a lone strike keeps its own marker and label */
    }
    sm__cluster *k = cv->data;
    if (m->status == SM_OK && !merge_overlaps(m, k, cv->len))
        sm__map_nomem(m, "clusters");
    /* Lone strikes back to markers; the rest keep their clusters. */
    size_t out = 0;
    for (size_t i = 0; i < cv->len && m->status == SM_OK; i++) {
        if (k[i].count == 0)
            continue;
        if (k[i].count == 1) {
            const scell *c = &cs[k[i].first];
            sm__strike_mark(m, c->grading, c->x, c->y, c->text, c->flagged, c->in_pair);
            continue;
        }
        char num[32];
        snprintf(num, sizeof(num), "%zu", k[i].count);
        k[i].label = sm__layout(m, num, m->style.small_pt + 0.4, true, false);
        cl->clustered += k[i].count;
        cl->has_strike = true;
        k[out++] = k[i];
    }
    cv->len = out;
    sm__cells_free(m);
}

/* ---- bundles of verdict lines -------------------------------------------------- */

typedef struct bundle {
    long long fx, fy; /* the fix's position, to 1e-5 degree: fixes at one place share */
    size_t aircraft;
    long fix;
    int verdict;
    size_t count;
    double lon, lat; /* sums, then the middle */
} bundle;

static int cmp_bundles(const void *a, const void *b)
{
    const bundle *x = a, *y = b;
    if (x->fx != y->fx)
        return x->fx < y->fx ? -1 : 1;
    if (x->fy != y->fy)
        return x->fy < y->fy ? -1 : 1;
    return x->verdict - y->verdict;
}

static int cmp_size(const void *a, const void *b)
{
    const bundle *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (cmp_bundles(a, b) != 0)
        return cmp_bundles(a, b);
    return (x->aircraft > y->aircraft) - (x->aircraft < y->aircraft);
}

/* The bundles of the decided pairs in focus: one per fix position and
 * verdict, found through an open-addressing table of indices into the
 * bundles (keyed by position and verdict), so that memory follows the
 * bundles, not the pairs. Each takes its first pair's fix and sums its
 * strikes' positions in pair order. *n_out: how many; NULL when out of
 * memory. */
static bundle *gather_bundles(sm_map *m, size_t *n_out)
{
    const sm_claims *c = m->claims;
    const sm__mpair *pairs = m->pairs.p;
    size_t np = m->pairs.len, cap = 16, n = 0, room = 64, binding = 0;
    for (size_t i = 0; i < np; i++)
        binding += sm__mpair_binds(&pairs[i]);
    while (cap < 2 * binding && cap < SIZE_MAX / 8)
        cap *= 2;
    uint32_t *slot = malloc(cap * sizeof(*slot));
    bundle *bs = malloc(room * sizeof(*bs));
    if (slot == NULL || bs == NULL) {
        free(slot);
        free(bs);
        return NULL;
    }
    memset(slot, 0xff, cap * sizeof(*slot));
    for (size_t i = 0; i < np; i++) {
        const sm__mpair *p = &pairs[i];
        if (!sm__mpair_binds(p) || !sm__focus_pair(m, p) || p->verdict >= 4)
            continue;
        const sm_fix *f = &sm_claims_aircraft(c, p->aircraft)->fixes[p->fix];
        bundle key = {llround(f->lon * 1e5),
                      llround(f->lat * 1e5),
                      p->aircraft,
                      p->fix,
                      p->verdict,
                      1,
                      p->slon,
                      p->slat};
        uint64_t h = (uint64_t)key.fx * 0x9E3779B97F4A7C15u ^
                     ((uint64_t)key.fy + 0x632BE59BD9B4E019u) * 0xBF58476D1CE4E5B9u ^
                     (uint64_t)key.verdict;
        size_t at = (size_t)(h ^ (h >> 29)) & (cap - 1);
        while (slot[at] != UINT32_MAX && cmp_bundles(&bs[slot[at]], &key) != 0)
            at = (at + 1) & (cap - 1);
        if (slot[at] != UINT32_MAX) {
            bundle *b = &bs[slot[at]];
            b->count++;
            b->lon += key.lon;
            b->lat += key.lat;
            continue;
        }
        if (n == room) {
            bundle *more = realloc(bs, 2 * room * sizeof(*bs));
            if (more == NULL) {
                free(slot);
                free(bs);
                return NULL;
            }
            bs = more;
            room *= 2;
        }
        slot[at] = (uint32_t)n;
        bs[n++] = key;
    }
    free(slot);
    *n_out = n;
    return bs;
}

/* Put the SM__MAP_MAX_BUNDLES bundles to draw first, keeping their order
 * (largest first): the largest of each verdict in turn, implausible,
 * marginal, plausible, unknown, so that the few lines that rule a claim
 * out are not crowded out by the many plausible ones. False when out of
 * memory. */
static bool pick_bundles(bundle *bs, size_t k)
{
    if (k <= SM__MAP_MAX_BUNDLES)
        return true;
    static const int order[4] = {SM_VERDICT_IMPLAUSIBLE, SM_VERDICT_MARGINAL, SM_VERDICT_PLAUSIBLE,
                                 SM_VERDICT_UNKNOWN};
    unsigned char *pick = calloc(k, 1);
    bundle *tmp = malloc(k * sizeof(*tmp));
    if (pick == NULL || tmp == NULL) {
        free(pick);
        free(tmp);
        return false;
    }
    size_t next[4] = {0, 0, 0, 0}, n = 0;
    for (bool more = true; more && n < SM__MAP_MAX_BUNDLES;) {
        more = false;
        for (int o = 0; o < 4 && n < SM__MAP_MAX_BUNDLES; o++) {
            int v = order[o];
            while (next[v] < k && bs[next[v]].verdict != v)
                next[v]++;
            if (next[v] < k) {
                pick[next[v]++] = 1;
                n++;
                more = true;
            }
        }
    }
    size_t t = 0;
    for (int chosen = 1; chosen >= 0; chosen--)
        for (size_t i = 0; i < k; i++)
            if (pick[i] == chosen)
                tmp[t++] = bs[i];
    memcpy(bs, tmp, k * sizeof(*bs));
    free(pick);
    free(tmp);
    return true;
}

void sm__verdicts_bundle(sm_map *m)
{
    const sm_claims *c = m->claims;
    size_t k = 0, pairs = 0;
    bundle *bs = gather_bundles(m, &k);
    if (bs == NULL) {
        sm__map_nomem(m, "verdict lines");
        return;
    }
    if (k > 1)
        qsort(bs, k, sizeof(*bs), cmp_size);
    if (!pick_bundles(bs, k)) {
        free(bs);
        sm__map_nomem(m, "verdict lines");
        return;
    }
    size_t drawn = k < SM__MAP_MAX_BUNDLES ? k : SM__MAP_MAX_BUNDLES, left = 0;
    for (size_t i = drawn; i < k; i++)
        left += bs[i].count;
    for (size_t i = 0; i < drawn && m->status == SM_OK; i++) {
        const bundle *b = &bs[i];
        const sm_fix *f = &sm_claims_aircraft(c, b->aircraft)->fixes[b->fix];
        double lon = b->lon / (double)b->count, lat = b->lat / (double)b->count;
        int wc = b->count >= 16 ? 3 : b->count >= 6 ? 2 : b->count >= 2 ? 1 : 0;
        int tag = b->verdict + 4 * wc;
        size_t before = m->cl.vlines.parts.len;
        sm__geo_geodesic(m, f->lon, f->lat, lon, lat, &m->cl.vlines, tag);
        if (m->cl.vlines.parts.len == before)
            continue;
        m->cl.bundle_tags |= 1u << tag;
        m->cl.has_verdict[b->verdict] = true;
        m->cl.n_pairs_drawn += b->count;
        pairs += b->count;
        double e[2] = {lon, lat};
        sm__to_canvas(m, e, 1);
        const sm__part *last =
            &((const sm__part *)m->cl.vlines.parts.data)[m->cl.vlines.parts.len - 1];
        const double *q = (const double *)m->cl.vlines.pts.data + 2 * last->start;
        if (e[0] != HUGE_VAL && last->n >= 2 && sm__in_panel(m, e[0], e[1], 0)) {
            double ang = atan2(q[2 * last->n - 1] - q[2 * last->n - 3],
                               q[2 * last->n - 2] - q[2 * last->n - 4]);
            sm__arrow *a = sm__vec_push(&m->cl.arrows);
            if (a == NULL) {
                sm__map_nomem(m, "arrows");
                break;
            }
            *a = (sm__arrow){e[0], e[1], ang, b->verdict};
        }
    }
    sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "verdicts",
             "the lines of %zu pairs are drawn as %zu bundles (one for each fix position and "
             "verdict, to the middle of its strikes): one line for each would cover the map",
             pairs, drawn);
    if (left > 0)
        sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "verdicts",
                 "%zu more bundles (the lines of %zu pairs) left out: a map draws at most %d, "
                 "the largest of each verdict in turn",
                 k - drawn, left, SM__MAP_MAX_BUNDLES);
    free(bs);
}

/* ---- drawing --------------------------------------------------------------------- */

static const int g_ring_order[5] = {SM_VERDICT_PLAUSIBLE, SM_VERDICT_MARGINAL, SM_VERDICT_UNKNOWN,
                                    SM_VERDICT_IMPLAUSIBLE, 4};

static void cluster_symbol(const sm_map *m, const sm__draw *d, const sm__cluster *k, double x,
                           double y, double r)
{
    cairo_t *cr = d->cr;
    const sm__style *st = &m->style;
    double a0 = -SM__PI / 2;
    for (int o = 0; o < 5; o++) {
        size_t n = k->by_verdict[g_ring_order[o]];
        if (n == 0)
            continue;
        double a1 = a0 + 2 * SM__PI * (double)n / (double)k->count;
        cairo_new_path(cr);
        cairo_arc(cr, x, y, r, a0, a1);
        cairo_arc_negative(cr, x, y, r * 0.62, a1, a0);
        cairo_close_path(cr);
        sm__set_rgba(cr, g_ring_order[o] < 4 ? st->verdict[g_ring_order[o]] : st->muted);
        cairo_fill(cr);
        a0 = a1;
    }
    cairo_new_path(cr);
    cairo_arc(cr, x, y, r * 0.62, 0, 2 * SM__PI);
    sm__set_rgba(cr, st->strike[SM_GRADING_NONE]);
    cairo_fill(cr);
    cairo_arc(cr, x, y, r, 0, 2 * SM__PI);
    sm__rgba e = st->marker_edge;
    e.a *= 0.95;
    sm__set_rgba(cr, e);
    cairo_set_line_width(cr, 0.7);
    cairo_stroke(cr);
    if (k->label != NULL) {
        double w, h;
        sm__layout_size(k->label, &w, &h);
        sm__rgba white = {1, 1, 1, 1}, none = {0, 0, 0, 0};
        sm__text_draw(d, k->label, x - w / 2, y - h / 2, white, none, 0);
    }
}

void sm__clusters_draw(sm_map *m, const sm__draw *d)
{
    const sm__cluster *k = m->cl.clusters.data;
    for (size_t i = 0; i < m->cl.clusters.len; i++) {
        if (k[i].x + k[i].r < d->clip[0] || k[i].x - k[i].r > d->clip[2] ||
            k[i].y + k[i].r < d->clip[1] || k[i].y - k[i].r > d->clip[3])
            continue;
        cluster_symbol(m, d, &k[i], k[i].x, k[i].y, k[i].r);
    }
}

static void cluster_swatch(const sm_map *m, cairo_t *cr, int variant, double x, double y, double w)
{
    (void)variant;
    sm__cluster k = {0, 0, 0, 4, {1, 2, 1, 0, 0}, NULL, 0};
    sm__draw d;
    memset(&d, 0, sizeof(d));
    d.cr = cr;
    cluster_symbol(m, &d, &k, x + w / 2, y, 6);
}

void sm__clusters_legend(sm_map *m, sm__vec *legend)
{
    if (m->cl.clusters.len > 0)
        sm__legend_push(m, legend, cluster_swatch, 0,
                        "Strikes at one spot: count; ring: best verdict of each", false);
}
