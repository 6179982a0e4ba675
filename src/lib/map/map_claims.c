/*
 * map_claims.c: the claim layers, built: strikes projected into markers
 * (and area targets into polygons), aircraft fixes and tracks (with an
 * arrow along each long segment and the aircraft's heading), bases, and
 * the fix-to-strike lines coloured by verdict (one by one up to
 * SM__MAP_BUNDLE_LINES, bundled past it: map_clusters.c); then markers and
 * lines as label obstacles.
 * Their labels are map_claim_labels.c's, their drawing
 * map_claims_draw.c's.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "map/map_internal.h"

void sm__claims_init(sm__claim_layers *c)
{
    memset(c, 0, sizeof(*c));
    sm__vec_init(&c->marks, sizeof(sm__mark));
    sm__vec_init(&c->arrows, sizeof(sm__arrow));
    sm__vec_init(&c->items, sizeof(sm__label_item));
    sm__vec_init(&c->clusters, sizeof(sm__cluster));
    sm__paths_init(&c->tracks);
    sm__paths_init(&c->vlines);
    sm__paths_init(&c->areas);
}

/* What only the layout needs. */
static void free_layout(sm__claim_layers *c)
{
    sm__vec_free(&c->items);
    sm__key_set_free(&c->keys);
    free(c->in_pair_a);
    free(c->heading);
    free(c->pair_order);
    c->heading = NULL;
    c->in_pair_a = NULL;
    c->pair_order = NULL;
}

void sm__claims_free(sm__claim_layers *c)
{
    free_layout(c);
    sm__vec_free(&c->marks);
    sm__smarks_free(&c->smarks);
    sm__paths_free(&c->tracks);
    sm__paths_free(&c->vlines);
    sm__paths_free(&c->areas);
    sm__vec_free(&c->arrows);
    sm__cluster *k = c->clusters.data;
    for (size_t i = 0; i < c->clusters.len; i++)
        if (k[i].label != NULL)
            g_object_unref(k[i].label);
    sm__vec_free(&c->clusters);
}

static bool push_mark(sm_map *m, double x, double y, int kind, int variant, double angle)
{
    sm__mark *k = sm__vec_push(&m->cl.marks);
    if (k == NULL) {
        sm__map_nomem(m, "markers");
        return false;
    }
    k->x = x;
    k->y = y;
    k->kind = kind;
    k->variant = variant;
    k->angle = angle;
    return true;
}

double sm__mark_radius(const sm_map *m, int kind)
{
    const sm__style *s = &m->style;
    switch (kind) {
    case SM__MARK_STRIKE: return s->strike_size / 2 * m->view.mark_scale;
    case SM__MARK_FIX: return s->fix_size / 2;
    case SM__MARK_TRACKFIX: return 1.4;
    case SM__MARK_BASE: return s->base_size / 2 * 1.15;
    default: return s->place_size / 2;
    }
}

/* "10 Feb 2016 12:55 UTC+2" or "12:55" in the claim's own UTC offset. */
static void format_when(const sm_when *w, bool with_date, char *buf, size_t size)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    time_t tt = (time_t)floor((w->start + w->end) / 2 + w->offset_min * 60.0 + 0.5);
    gmtime_r(&tt, &tm);
    char off[16] = "UTC";
    if (w->offset_min != 0) {
        int a = abs(w->offset_min);
        if (a % 60)
            snprintf(off, sizeof(off), "UTC%c%d:%02d", w->offset_min < 0 ? '-' : '+', a / 60,
                     a % 60);
        else
            snprintf(off, sizeof(off), "UTC%c%d", w->offset_min < 0 ? '-' : '+', a / 60);
    }
    if (with_date)
        snprintf(buf, size, "%d %s %04d %02d:%02d %s", tm.tm_mday, mon[tm.tm_mon],
                 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, off);
    else
        snprintf(buf, size, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

void sm__arrow_add(sm_map *m, double x, double y, double angle, int verdict)
{
    sm__arrow *a = sm__vec_push(&m->cl.arrows);
    if (a == NULL) {
        sm__map_nomem(m, "arrows");
        return;
    }
    a->x = x;
    a->y = y;
    a->angle = angle;
    a->verdict = verdict;
}

/* The direction (canvas) of a polyline's end, from its last parts. */
static bool end_direction(const sm__paths *p, size_t first_part, double *angle)
{
    if (p->parts.len <= first_part)
        return false;
    const sm__part *last = &((const sm__part *)p->parts.data)[p->parts.len - 1];
    const double *q = (const double *)p->pts.data + 2 * last->start;
    if (last->n < 2)
        return false;
    size_t a = last->n - 1, b = a;
    /* back far enough for a stable direction */
    while (b > 0 && hypot(q[2 * a] - q[2 * b], q[2 * a + 1] - q[2 * b + 1]) < 4)
        b--;
    if (b == a)
        return false;
    *angle = atan2(q[2 * a + 1] - q[2 * b + 1], q[2 * a] - q[2 * b]);
    return true;
}

/* Strikes in focus and in the panel, counted batch by batch; projected on
 * two threads from SM__MAP_TEAM_STRIKES strikes (tests lower it:
 * SM_MAP_PROJECT_THREAD). */
#define SM__MAP_TEAM_STRIKES 20000
typedef struct visible_count {
    size_t n;
    sm__proj_team *team;
    double xy[2 * SM__MAP_POINTS_BATCH];
} visible_count;

static bool count_visible(sm_map *m, const double *ll, size_t n, size_t first, void *user)
{
    visible_count *vc = user;
    memcpy(vc->xy, ll, 2 * n * sizeof(double));
    sm__proj_team_to_canvas(vc->team, m, vc->xy, n);
    sm__canvas_keep(m, vc->xy, n); /* for place_batch */
    for (size_t i = 0; i < n; i++)
        vc->n += sm__focus_strike(m, first + i) && vc->xy[2 * i] != HUGE_VAL &&
                 sm__in_panel(m, vc->xy[2 * i], vc->xy[2 * i + 1], 0);
    return true;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The pairs' indices by strike (then by their own order). */
static uint32_t *order_pairs(const sm__map_pairs *mp)
{
    uint64_t *key = mp->len <= UINT32_MAX ? malloc((mp->len + 1) * sizeof(*key)) : NULL;
    uint32_t *order = malloc((mp->len + 1) * sizeof(*order));
    if (key == NULL || order == NULL) {
        free(key);
        free(order);
        return NULL;
    }
    for (size_t i = 0; i < mp->len; i++)
        key[i] = (uint64_t)mp->p[i].strike << 32 | (uint64_t)i;
    qsort(key, mp->len, sizeof(*key), cmp_u64);
    for (size_t i = 0; i < mp->len; i++)
        order[i] = (uint32_t)(key[i] & UINT32_MAX);
    free(key);
    return order;
}

sm_status sm__claims_prepare(sm_map *m)
{
    sm__claim_layers *cl = &m->cl;
    const sm_claims *c = m->claims;
    size_t na = sm_claims_aircraft_count(c), nb = sm_claims_base_count(c);
    /* Which aircraft take part in a drawn pair (their labels go first). */
    cl->in_pair_a = calloc(na + 1, 1);
    cl->heading = calloc(na + 1, sizeof(double));
    if (cl->in_pair_a == NULL || cl->heading == NULL) {
        free_layout(cl);
        return sm__nomem(m->ctx, NULL, -1, NULL, "claims on the map");
    }
    visible_count *vc = malloc(sizeof(*vc));
    if (vc == NULL)
        return sm__nomem(m->ctx, NULL, -1, NULL, "claims on the map");
    vc->n = 0;
    vc->team = sm__strike_total(m) >= sm__run_size("SM_MAP_PROJECT_THREAD", SM__MAP_TEAM_STRIKES)
                   ? sm__proj_team_new(m)
                   : NULL;
    sm_status st = sm__strike_points_each(m, count_visible, vc);
    size_t visible = vc->n;
    sm__proj_team_free(vc->team);
    free(vc);
    if (st != SM_OK)
        return st;
    cl->visible = visible;
    /* Markers shrink as they crowd. */
    sm__view_density(&m->view, visible);
    bool sorted = true;
    for (size_t i = 0; i < m->pairs.len; i++) {
        const sm__mpair *p = &m->pairs.p[i];
        sorted = sorted && (i == 0 || m->pairs.p[i - 1].strike <= p->strike);
        if (sm__focus_pair(m, p) && !sm__mpair_launcher(p))
            cl->in_pair_a[p->aircraft] = 1;
    }
    /* The pass over the strikes meets their pairs in strike order. */
    if (!sorted && (cl->pair_order = order_pairs(&m->pairs)) == NULL)
        return sm__nomem(m->ctx, NULL, -1, NULL, "pairs");
    /* Room for every other marker at once (a vector that doubles as it
     * grows would hold up to twice). */
    size_t n_fixes = 0;
    for (size_t i = 0; i < na; i++)
        n_fixes += sm_claims_aircraft(c, i)->n_fixes;
    if (!sm__vec_reserve(&cl->marks, cl->marks.len + nb + n_fixes))
        return sm__nomem(m->ctx, NULL, -1, NULL, "markers");
    return SM_OK;
}

/* Fix-to-strike lines, once per fix, strike and verdict, in pair order:
 * only where the fix binds (sm__pair_fix_binds): a position days away
 * says nothing about the strike, whatever the sortie test found. Past
 * SM__MAP_BUNDLE_LINES such pairs, bundled (so at most that many lines are
 * drawn one by one). */
void sm__verdicts_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LAYERS || m->status != SM_OK)
        return;
    const sm_claims *c = m->claims;
    size_t np = m->pairs.len;
    double *heading = m->cl.heading;
    double sr = sm__mark_radius(m, SM__MARK_STRIKE);
    /* At city density, one line per fix and verdict (map_clusters.c). */
    size_t binding = 0;
    for (size_t i = 0; (m->show & SM_MAP_VERDICTS) && i < np; i++) {
        const sm__mpair *p = &m->pairs.p[i];
        binding += sm__mpair_binds(p) && sm__focus_pair(m, p);
    }
    if (binding > SM__MAP_BUNDLE_LINES) {
        sm__verdicts_bundle(m);
        return;
    }
    for (size_t i = 0; (m->show & SM_MAP_VERDICTS) && i < np; i++) {
        const sm__mpair *p = &m->pairs.p[i];
        if (!sm__mpair_binds(p) || !sm__focus_pair(m, p))
            continue;
        const sm_fix *f = &sm_claims_aircraft(c, p->aircraft)->fixes[p->fix];
        const double line_key[4] = {f->lon, f->lat, p->slon, p->slat};
        bool nomem = false;
        if (sm__key_seen(&m->cl.keys, line_key, 99, (int)p->verdict, &nomem))
            continue;
        if (nomem) {
            sm__map_nomem(m, "verdict lines");
            return;
        }
        size_t before = m->cl.vlines.parts.len;
        sm__geo_geodesic(m, f->lon, f->lat, p->slon, p->slat, &m->cl.vlines, (int)p->verdict);
        if (m->cl.vlines.parts.len == before)
            continue;
        m->cl.has_verdict[p->verdict] = true;
        m->cl.n_pairs_drawn++;
        double ang;
        double sxy[2] = {p->slon, p->slat};
        sm__to_canvas(m, sxy, 1);
        double sx = sxy[0], sy = sxy[1];
        if (end_direction(&m->cl.vlines, before, &ang) && sx != HUGE_VAL &&
            sm__in_panel(m, sx, sy, 0)) {
            double back = sr + 1.0;
            sm__arrow_add(m, sx - cos(ang) * back, sy - sin(ang) * back, ang, (int)p->verdict);
        }
        /* A lone fix points at the strike it is checked against. */
        const sm_aircraft *a = sm_claims_aircraft(c, p->aircraft);
        if (!a->is_track) {
            double fx[2] = {f->lon, f->lat};
            sm__to_canvas(m, fx, 1);
            if (fx[0] != HUGE_VAL && sx != HUGE_VAL && heading[p->aircraft] == 0 &&
                hypot(sx - fx[0], sy - fx[1]) > 1)
                heading[p->aircraft] = atan2(sy - fx[1], sx - fx[0]) + SM__PI / 2;
        }
    }
}

void sm__bases_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LAYERS || m->status != SM_OK)
        return;
    const sm_claims *c = m->claims;
    size_t nb = sm_claims_base_count(c);
    bool labels = (m->show & SM_MAP_LABELS) != 0;
    for (size_t i = 0; (m->show & SM_MAP_BASES) && i < nb; i++) {
        const sm_base *b = sm_claims_base(c, i);
        if (!sm__focus_base(m, i))
            continue;
        double q[2] = {b->lon, b->lat};
        sm__to_canvas(m, q, 1);
        if (q[0] == HUGE_VAL || !sm__in_panel(m, q[0], q[1], 0))
            continue;
        if (!push_mark(m, q[0], q[1], SM__MARK_BASE, 0, 0))
            return;
        m->cl.has_base = true;
        if (labels &&
            !sm__claims_add_item(m, q[0], q[1], sm__mark_radius(m, SM__MARK_BASE), SM__LABEL_BASE,
                                 20, b->info.label ? b->info.label : b->info.id, NULL))
            return;
    }
}

/* Aircraft positions: lone fixes (and a track's last) as aircraft, the
 * other fixes of a track as dots, with their names and times. */
void sm__fixes_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LAYERS || m->status != SM_OK)
        return;
    const sm_claims *c = m->claims;
    size_t na = sm_claims_aircraft_count(c);
    bool labels = (m->show & SM_MAP_LABELS) != 0;
    const double *heading = m->cl.heading;
    /* Times along a track every 70 pt or so; with many tracks only at
     * their ends (the rest could not be placed, and would cost time). */
    size_t n_tracks = 0;
    for (size_t i = 0; i < na; i++)
        n_tracks += sm_claims_aircraft(c, i)->is_track;
    bool few_tracks = n_tracks <= SM__MAP_TIMED_TRACKS;
    for (size_t i = 0; (m->show & (SM_MAP_FIXES | SM_MAP_TRACKS)) && i < na; i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        if (a->n_fixes == 0 || !sm__focus_aircraft(m, i))
            continue;
        double *q = malloc(a->n_fixes * 2 * sizeof(double));
        if (q == NULL) {
            sm__map_nomem(m, "aircraft positions");
            return;
        }
        for (size_t k = 0; k < a->n_fixes; k++) {
            q[2 * k] = a->fixes[k].lon;
            q[2 * k + 1] = a->fixes[k].lat;
        }
        sm__to_canvas(m, q, a->n_fixes);
        double last_x = -1e9, last_y = -1e9;
        for (size_t k = 0; k < a->n_fixes; k++) {
            if (q[2 * k] == HUGE_VAL || !sm__in_panel(m, q[2 * k], q[2 * k + 1], 0))
                continue;
            bool lone = !a->is_track;
            bool last = a->is_track && k + 1 == a->n_fixes;
            if (lone || last) {
                if (!(m->show & SM_MAP_FIXES))
                    continue;
                if (!push_mark(m, q[2 * k], q[2 * k + 1], SM__MARK_FIX, 0, heading[i]))
                    break;
                m->cl.has_fix = true;
            } else if (!push_mark(m, q[2 * k], q[2 * k + 1], SM__MARK_TRACKFIX, 0, 0)) {
                break;
            }
            const sm_fix *f = &a->fixes[k];
            if (!labels)
                continue;
            char when[96] = "";
            if (f->when.known)
                format_when(&f->when, lone || k == 0 || last, when, sizeof(when));
            if (lone || k == 0) {
                if (!sm__claims_add_item(m, q[2 * k], q[2 * k + 1],
                                         sm__mark_radius(m, SM__MARK_FIX), SM__LABEL_AIRCRAFT,
                                         m->cl.in_pair_a[i] ? 10 : 40,
                                         a->info.label ? a->info.label : a->info.id, when))
                    break;
            } else if (when[0] && (last || (few_tracks && hypot(q[2 * k] - last_x,
                                                                q[2 * k + 1] - last_y) > 70))) {
                if (sm__label_add(m, when, SM__LABEL_TIME, 60, q[2 * k], q[2 * k + 1], 2.5) == NULL)
                    break;
            } else {
                continue;
            }
            last_x = q[2 * k];
            last_y = q[2 * k + 1];
        }
        free(q);
        if (m->status != SM_OK)
            return;
    }
}

bool sm__strike_flagged(const sm_strike *s)
{
    for (const char *const *w = s->info.warnings; w != NULL && *w != NULL; w++)
        if (strncmp(*w, "geometry: the strike at", 23) == 0)
            return true;
    return false;
}

const char *sm__strike_text(const sm_map *m, const sm_strike *s)
{
    if (s->info.label != NULL)
        return s->info.label;
    return m->cl.visible <= SM__MAP_ID_LABEL_STRIKES ? s->info.id : NULL;
}

bool sm__strike_mark(sm_map *m, int grading, double x, double y, const char *text, bool flagged,
                     bool in_pair)
{
    double sr = sm__mark_radius(m, SM__MARK_STRIKE);
    if (!sm__smarks_add(m, x, y, grading))
        return false;
    /* labels keep off it */
    sm__obstacle_add_mark(m, x - sr - 0.5, y - sr - 0.5, x + sr + 0.5, y + sr + 0.5);
    m->cl.has_grading[grading] = true;
    m->cl.has_strike = true;
    if (!(m->show & SM_MAP_LABELS) || !sm__in_panel(m, x, y, 0) || text == NULL)
        return true;
    const char *copy =
        sm__map_strfmt(m, "%s", text); /* a streamed strike is gone after its batch */
    const char *flag = flagged ? "position flagged: see its warning" : NULL;
    return copy != NULL &&
           sm__claims_add_item(m, x, y, sr, SM__LABEL_STRIKE, in_pair ? 0 : 30, copy, flag);
}

/* A flagged strike off the map: at the frame's edge towards it (or at the
 * top-left corner when it cannot be projected), labelled with where it is. */
static bool edge_mark(sm_map *m, const sm_strike *s, double x, double y)
{
    const sm__view *v = &m->view;
    double in = sm__mark_radius(m, SM__MARK_STRIKE) + 3;
    double cx = v->px + v->pw / 2, cy = v->py + v->ph / 2;
    if (x == HUGE_VAL) {
        x = v->px;
        y = v->py;
    }
    /* along the line from the centre, to the panel inset by `in` */
    double dx = x - cx, dy = y - cy, t = 1;
    if (fabs(dx) > 1e-9)
        t = fmin(t, (v->pw / 2 - in) / fabs(dx));
    if (fabs(dy) > 1e-9)
        t = fmin(t, (v->ph / 2 - in) / fabs(dy));
    double ex = cx + dx * t, ey = cy + dy * t;
    double sr = sm__mark_radius(m, SM__MARK_STRIKE);
    if (!sm__smarks_add(m, ex, ey, (int)s->grading))
        return false;
    sm__obstacle_add_mark(m, ex - sr - 0.5, ey - sr - 0.5, ex + sr + 0.5, ey + sr + 0.5);
    m->cl.has_grading[s->grading] = true;
    m->cl.has_strike = true;
    if (!(m->show & SM_MAP_LABELS))
        return true;
    char *text = sm__map_strfmt(m, "%s: flagged, off the map at %.4f\u00b0%c %.4f\u00b0%c",
                                s->info.label ? s->info.label : s->info.id, fabs(s->lat),
                                s->lat < 0 ? 'S' : 'N', fabs(s->lon), s->lon < 0 ? 'W' : 'E');
    return text != NULL && sm__claims_add_item(m, ex, ey, sr, SM__LABEL_STRIKE, 0, text, NULL);
}

/* The pass over the strikes that places them: where the pairs are met. */
typedef struct placing {
    size_t next; /* the next pair (in strike order) */
    bool cluster;
    double xy[2 * SM__MAP_BATCH]; /* a batch's points, projected together */
} placing;

/* The best verdict of strike i's drawn pairs (could any aircraft have made
 * it: plausible, then marginal, unknown, implausible), -1 for none; and
 * whether it is in a drawn pair. */
static signed char strike_pairs(sm_map *m, placing *pl, size_t i, bool *in_pair)
{
    static const int rank[4] = {[SM_VERDICT_UNKNOWN] = 1,
                                [SM_VERDICT_PLAUSIBLE] = 3,
                                [SM_VERDICT_MARGINAL] = 2,
                                [SM_VERDICT_IMPLAUSIBLE] = 0};
    const uint32_t *order = m->cl.pair_order;
    signed char b = -1;
    *in_pair = false;
    for (; pl->next < m->pairs.len; pl->next++) {
        const sm__mpair *p = &m->pairs.p[order != NULL ? order[pl->next] : pl->next];
        if (p->strike > i)
            break;
        if (p->strike < i || !sm__focus_pair(m, p))
            continue;
        if (p->verdict < 4 && (b < 0 || rank[p->verdict] > rank[b]))
            b = (signed char)p->verdict;
        *in_pair = true;
    }
    return b;
}

static bool place_batch(sm_map *m, const sm_strike *s, size_t n, size_t first, void *user)
{
    placing *pl = user;
    bool shown = (m->show & SM_MAP_STRIKES) != 0;
    double sr = sm__mark_radius(m, SM__MARK_STRIKE);
    if (shown && !sm__canvas_next(m, pl->xy, n)) {
        for (size_t i = 0; i < n; i++) {
            pl->xy[2 * i] = s[i].lon;
            pl->xy[2 * i + 1] = s[i].lat;
        }
        sm__to_canvas(m, pl->xy, n); /* one call to PROJ a batch, not one a strike */
    }
    for (size_t i = 0; i < n && m->status == SM_OK; i++) {
        bool in_pair;
        signed char best = strike_pairs(m, pl, first + i, &in_pair);
        if (!shown || !sm__focus_strike(m, first + i))
            continue;
        const double *ring = s[i].ring_lonlat;
        for (size_t r = 0; r < s[i].n_rings; r++) {
            sm__geo_polygon(m, ring, s[i].ring_sizes[r], &m->cl.areas, (int)s[i].grading);
            ring += 2 * s[i].ring_sizes[r];
            m->cl.has_area = true;
        }
        const double *xy = &pl->xy[2 * i];
        if (xy[0] == HUGE_VAL || !sm__in_panel(m, xy[0], xy[1], sr)) {
            /* A strike whose position is flagged as a likely error is not
             * fitted: it is drawn at the frame's edge, its position written. */
            if (sm__strike_flagged(&s[i]) && !edge_mark(m, &s[i], xy[0], xy[1]))
                return false;
            continue;
        }
        sm__placed p = {&s[i], xy[0], xy[1], best, in_pair};
        bool ok = pl->cluster ? sm__cluster_add(m, &p)
                              : sm__strike_mark(m, (int)s[i].grading, xy[0], xy[1],
                                                sm__strike_text(m, &s[i]),
                                                sm__strike_flagged(&s[i]), in_pair);
        if (!ok)
            return false;
    }
    return m->status == SM_OK;
}

/* Area targets, then the strike markers (strikes on top of every other
 * marker) and their labels: one pass over the strikes. */
void sm__strikes_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LAYERS || m->status != SM_OK)
        return;
    placing *pl = malloc(sizeof(*pl));
    if (pl == NULL) {
        sm__map_nomem(m, "strikes");
        return;
    }
    pl->next = 0;
    pl->cluster = m->cl.visible > SM__MAP_CLUSTER_STRIKES && (m->show & SM_MAP_CLUSTERS);
    sm_status st = sm__strikes_each(m, place_batch, pl);
    bool cluster = pl->cluster;
    free(pl);
    if (st != SM_OK)
        return;
    if (cluster)
        sm__clusters_finish(m);
    if (m->status == SM_OK)
        sm__smarks_finish(m);
}

void sm__claims_finish(sm_map *m)
{
    if (m->status != SM_OK)
        return;
    bool labels = (m->show & SM_MAP_LABELS) != 0;
    /* The focus country is where the strikes are: an even sample of their
     * markers. */
    double sample[2 * 256];
    size_t ns = sm__smarks_sample(m, sample, 256);
    if (m->cl.smarks.failed) {
        sm__map_nomem(m, "strike markers");
        return;
    }
    sm__basemap_focus(m, ns > 0 ? sample : NULL, 2 * sizeof(double), ns);

    /* Every marker keeps labels off (the strikes' as they were placed). */
    const sm__mark *mk = m->cl.marks.data;
    for (size_t i = 0; i < m->cl.marks.len; i++) {
        double r = sm__mark_radius(m, mk[i].kind) + 0.5;
        sm__obstacle_add_mark(m, mk[i].x - r, mk[i].y - r, mk[i].x + r, mk[i].y + r);
    }
    const sm__cluster *cls = m->cl.clusters.data;
    for (size_t i = 0; i < m->cl.clusters.len; i++)
        sm__obstacle_add_mark(m, cls[i].x - cls[i].r - 0.5, cls[i].y - cls[i].r - 0.5,
                              cls[i].x + cls[i].r + 0.5, cls[i].y + cls[i].r + 0.5);
    if (m->cl.clustered > 0 && labels)
        sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "labels",
                 "%zu strikes are drawn in %zu clusters (their markers would overlap) and not "
                 "labelled one by one",
                 m->cl.clustered, m->cl.clusters.len);
    const sm__arrow *ar = m->cl.arrows.data;
    for (size_t i = 0; i < m->cl.arrows.len; i++)
        sm__obstacle_add_mark(m, ar[i].x - 3, ar[i].y - 3, ar[i].x + 3, ar[i].y + 3);
    /* Labels keep off verdict lines and tracks too: text on a line reads
     * as struck through. */
    const sm__paths *lines[2] = {&m->cl.vlines, &m->cl.tracks};
    size_t boxes = 0;
    bool lines_cut = false;
    for (int k = 0; k < 2; k++) {
        const sm__part *parts = lines[k]->parts.data;
        const double *pts = lines[k]->pts.data;
        for (size_t p = 0; p < lines[k]->parts.len; p++) {
            if (boxes >= SM__MAP_MAX_LINE_OBSTACLES) {
                lines_cut = true;
                break;
            }
            const double *q = pts + 2 * parts[p].start;
            double lx = -1e9, ly = -1e9;
            for (size_t j = 0; j < parts[p].n; j++) {
                if (j + 1 < parts[p].n && j > 0 && hypot(q[2 * j] - lx, q[2 * j + 1] - ly) < 3)
                    continue;
                if (j > 0) {
                    /* fill long segments */
                    double dx = q[2 * j] - lx, dy = q[2 * j + 1] - ly, len = hypot(dx, dy);
                    for (int s = 1; 3.0 * s < len; s++) {
                        double t = 3.0 * s;
                        sm__obstacle_add_soft(m, lx + dx * t / len - 1, ly + dy * t / len - 1,
                                              lx + dx * t / len + 1, ly + dy * t / len + 1);
                    }
                }
                lx = q[2 * j];
                ly = q[2 * j + 1];
                sm__obstacle_add_soft(m, lx - 1, ly - 1, lx + 1, ly + 1);
                boxes++;
            }
        }
    }

    if (lines_cut && labels)
        sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "labels",
                 "labels are kept off the first %d points of verdict lines and tracks only; "
                 "some may lie on the others",
                 SM__MAP_MAX_LINE_OBSTACLES);
}
