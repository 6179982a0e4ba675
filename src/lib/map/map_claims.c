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
    free(c->strike_xy);
    free(c->in_pair_s);
    free(c->in_pair_a);
    free(c->heading);
    free(c->best);
    c->best = NULL;
    c->strike_xy = c->heading = NULL;
    c->in_pair_s = c->in_pair_a = NULL;
}

void sm__claims_free(sm__claim_layers *c)
{
    free_layout(c);
    sm__vec_free(&c->marks);
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

/* Drawing rank of a grading: the best attested last, on top. */
static int grading_rank(int g)
{
    static const int rank[6] = {
        [SM_GRADING_DISCOUNTED] = 0, [SM_GRADING_CONTESTED] = 1, [SM_GRADING_WEAK] = 2,
        [SM_GRADING_NONE] = 3,       [SM_GRADING_FAIR] = 4,      [SM_GRADING_CONFIRMED] = 5};
    return g >= 0 && g < 6 ? rank[g] : 3;
}

/* Within one grading and one 4-pt row: left to right, then top to bottom. */
static int cmp_row_marks(const void *a, const void *b)
{
    const sm__mark *x = a, *y = b;
    if (x->x != y->x)
        return x->x < y->x ? -1 : 1;
    return (x->y > y->y) - (x->y < y->y);
}

/* The strike marks in drawing order: by grading (the best attested last:
 * on top where strikes share a spot), then by 4-pt row, then left to
 * right. A counting sort in place by (grading, row), each bucket then
 * sorted alone: glibc's qsort would allocate a copy of the whole array
 * (32 MB at a million strikes) and compare n log n times. False when out
 * of memory. */
static bool sort_strike_marks(sm__mark *mk, size_t n)
{
    if (n < 2)
        return true;
    long r0 = LONG_MAX, r1 = LONG_MIN;
    for (size_t i = 0; i < n; i++) {
        long r = (long)floor(mk[i].y / 4);
        r0 = r < r0 ? r : r0;
        r1 = r > r1 ? r : r1;
    }
    size_t rows = (size_t)(r1 - r0) + 1, nb = 6 * rows;
    size_t *start = rows < SIZE_MAX / 12 ? calloc(2 * nb + 1, sizeof(size_t)) : NULL;
    if (start == NULL)
        return false;
    size_t *next = start + nb + 1;
#define BUCKET(k) ((size_t)grading_rank((k).variant) * rows + (size_t)((long)floor((k).y / 4) - r0))
    for (size_t i = 0; i < n; i++)
        start[BUCKET(mk[i]) + 1]++;
    for (size_t b = 0; b < nb; b++)
        start[b + 1] += start[b];
    memcpy(next, start, nb * sizeof(size_t));
    /* each element swapped straight to its bucket (American flag sort) */
    for (size_t b = 0; b < nb; b++)
        while (next[b] < start[b + 1]) {
            size_t t = BUCKET(mk[next[b]]);
            if (t == b) {
                next[b]++;
                continue;
            }
            sm__mark tmp = mk[next[t]];
            mk[next[t]++] = mk[next[b]];
            mk[next[b]] = tmp;
        }
#undef BUCKET
    for (size_t b = 0; b < nb; b++)
        if (start[b + 1] - start[b] > 1)
            qsort(mk + start[b], start[b + 1] - start[b], sizeof(*mk), cmp_row_marks);
    free(start);
    return true;
}

static void add_arrow(sm_map *m, double x, double y, double angle, int verdict)
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

sm_status sm__claims_prepare(sm_map *m)
{
    sm__claim_layers *cl = &m->cl;
    const sm_claims *c = m->claims;
    size_t ns = sm_claims_strike_count(c), na = sm_claims_aircraft_count(c),
           nb = sm_claims_base_count(c);
    /* Which claims take part in a drawn pair (their labels go first). */
    cl->in_pair_s = calloc(ns + 1, 1);
    cl->in_pair_a = calloc(na + 1, 1);
    cl->heading = calloc(na + 1, sizeof(double));
    cl->best = malloc(ns + 1);
    /* Strikes, projected in one batch. */
    cl->strike_xy =
        ns < SIZE_MAX / (4 * sizeof(double)) ? malloc((ns + 1) * 2 * sizeof(double)) : NULL;
    if (cl->in_pair_s == NULL || cl->in_pair_a == NULL || cl->heading == NULL ||
        cl->strike_xy == NULL || cl->best == NULL) {
        free_layout(cl);
        return sm__nomem(m->ctx, NULL, -1, NULL, "claims on the map");
    }
    double *xy = cl->strike_xy;
    for (size_t i = 0; i < ns; i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        xy[2 * i] = s->lon;
        xy[2 * i + 1] = s->lat;
    }
    sm__to_canvas(m, xy, ns);
    size_t visible = 0;
    for (size_t i = 0; i < ns; i++)
        visible += sm__focus_strike(m, i) && xy[2 * i] != HUGE_VAL &&
                   sm__in_panel(m, xy[2 * i], xy[2 * i + 1], 0);
    cl->visible = visible;
    /* Markers shrink as they crowd. */
    sm__view_density(&m->view, visible);
    memset(cl->best, -1, ns + 1);
    for (size_t i = 0; i < m->pairs.len; i++) {
        const sm__mpair *p = &m->pairs.p[i];
        if (!sm__focus_pair(m, p))
            continue;
        /* the best verdict of a strike's pairs: could any aircraft have
         * made it (plausible, then marginal, unknown, implausible) */
        static const int rank[4] = {[SM_VERDICT_UNKNOWN] = 1,
                                    [SM_VERDICT_PLAUSIBLE] = 3,
                                    [SM_VERDICT_MARGINAL] = 2,
                                    [SM_VERDICT_IMPLAUSIBLE] = 0};
        signed char *b = &cl->best[p->strike];
        if (p->verdict < 4 && (*b < 0 || rank[p->verdict] > rank[*b]))
            *b = (signed char)p->verdict;
        cl->in_pair_s[p->strike] = 1;
        if (!sm__mpair_launcher(p))
            cl->in_pair_a[p->aircraft] = 1;
    }
    /* Room for every marker at once (a vector that doubles as it grows
     * would hold up to twice). */
    size_t n_fixes = 0;
    for (size_t i = 0; i < na; i++)
        n_fixes += sm_claims_aircraft(c, i)->n_fixes;
    if (!sm__vec_reserve(&cl->marks, cl->marks.len + nb + n_fixes + ns))
        return sm__nomem(m->ctx, NULL, -1, NULL, "markers");
    return SM_OK;
}

/* Tracks, with an arrow at the middle of each long enough segment. */
void sm__tracks_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LAYERS)
        return;
    const sm_claims *c = m->claims;
    size_t na = sm_claims_aircraft_count(c);
    double *heading = m->cl.heading;
    for (size_t i = 0; i < na; i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        if (!a->is_track || a->n_fixes < 2 || !sm__focus_aircraft(m, i))
            continue;
        size_t before = m->cl.tracks.parts.len;
        if (m->show & SM_MAP_TRACKS) {
            double *ll = malloc(a->n_fixes * 2 * sizeof(double));
            if (ll == NULL) {
                sm__map_nomem(m, "tracks");
                return;
            }
            for (size_t k = 0; k < a->n_fixes; k++) {
                ll[2 * k] = a->fixes[k].lon;
                ll[2 * k + 1] = a->fixes[k].lat;
            }
            sm__geo_track(m, ll, a->n_fixes, &m->cl.tracks, (int)i);
            free(ll);
        }
        for (size_t k = 0; k + 1 < a->n_fixes; k++) {
            const sm_fix *f0 = &a->fixes[k], *f1 = &a->fixes[k + 1];
            double azi;
            double d = sm_geodesic_inverse(f0->lon, f0->lat, f1->lon, f1->lat, &azi);
            double mid[4];
            sm__geod_direct(f0->lon, f0->lat, azi, d * 0.5, &mid[0], &mid[1]);
            sm__geod_direct(f0->lon, f0->lat, azi, d * 0.5 + fmax(d * 0.01, 0.01), &mid[2],
                            &mid[3]);
            sm__to_canvas(m, mid, 2);
            if (mid[0] == HUGE_VAL || mid[2] == HUGE_VAL)
                continue;
            double ang = atan2(mid[3] - mid[1], mid[2] - mid[0]);
            if ((m->show & SM_MAP_TRACKS) && m->cl.tracks.parts.len > before &&
                d / m->view.km_per_pt > 26 && sm__in_panel(m, mid[0], mid[1], 0))
                add_arrow(m, mid[0], mid[1], ang, -1);
            heading[i] = ang + SM__PI / 2;
        }
        m->cl.has_track = m->cl.has_track || (m->show & SM_MAP_TRACKS);
    }
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
            add_arrow(m, sx - cos(ang) * back, sy - sin(ang) * back, ang, (int)p->verdict);
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

bool sm__strike_mark(sm_map *m, size_t i, double x, double y)
{
    const sm_strike *s = sm_claims_strike(m->claims, i);
    double sr = sm__mark_radius(m, SM__MARK_STRIKE);
    if (!push_mark(m, x, y, SM__MARK_STRIKE, (int)s->grading, 0))
        return false;
    m->cl.has_grading[s->grading] = true;
    m->cl.has_strike = true;
    if (!(m->show & SM_MAP_LABELS) || !sm__in_panel(m, x, y, 0))
        return true;
    const char *text = s->info.label
                           ? s->info.label
                           : (m->cl.visible <= SM__MAP_ID_LABEL_STRIKES ? s->info.id : NULL);
    const char *flag = sm__strike_flagged(s) ? "position flagged: see its warning" : NULL;
    return text == NULL || sm__claims_add_item(m, x, y, sr, SM__LABEL_STRIKE,
                                               m->cl.in_pair_s[i] ? 0 : 30, text, flag);
}

/* A flagged strike off the map: at the frame's edge towards it (or at the
 * top-left corner when it cannot be projected), labelled with where it is. */
static bool edge_mark(sm_map *m, size_t i, double x, double y)
{
    const sm__view *v = &m->view;
    const sm_strike *s = sm_claims_strike(m->claims, i);
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
    if (!push_mark(m, ex, ey, SM__MARK_STRIKE, (int)s->grading, 0))
        return false;
    m->cl.has_grading[s->grading] = true;
    m->cl.has_strike = true;
    if (!(m->show & SM_MAP_LABELS))
        return true;
    char *text = sm__map_strfmt(m, "%s: flagged, off the map at %.4f\u00b0%c %.4f\u00b0%c",
                                s->info.label ? s->info.label : s->info.id, fabs(s->lat),
                                s->lat < 0 ? 'S' : 'N', fabs(s->lon), s->lon < 0 ? 'W' : 'E');
    return text != NULL && sm__claims_add_item(m, ex, ey, sm__mark_radius(m, SM__MARK_STRIKE),
                                               SM__LABEL_STRIKE, 0, text, NULL);
}

/* Area targets, then the strike markers (strikes on top of every other
 * marker) and their labels. */
void sm__strikes_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LAYERS || m->status != SM_OK)
        return;
    const sm_claims *c = m->claims;
    size_t ns = sm_claims_strike_count(c);
    const double *xy = m->cl.strike_xy;
    size_t visible = m->cl.visible;
    double sr = sm__mark_radius(m, SM__MARK_STRIKE);
    for (size_t i = 0; (m->show & SM_MAP_STRIKES) && i < ns; i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        if (!sm__focus_strike(m, i))
            continue;
        const double *ring = s->ring_lonlat;
        for (size_t r = 0; r < s->n_rings; r++) {
            sm__geo_polygon(m, ring, s->ring_sizes[r], &m->cl.areas, (int)s->grading);
            ring += 2 * s->ring_sizes[r];
            m->cl.has_area = true;
        }
    }

    size_t first_strike = m->cl.marks.len;
    size_t *in_view = malloc((ns + 1) * sizeof(size_t)), n_in = 0;
    if (in_view == NULL) {
        sm__map_nomem(m, "markers");
        return;
    }
    for (size_t i = 0; (m->show & SM_MAP_STRIKES) && i < ns; i++) {
        if (!sm__focus_strike(m, i))
            continue;
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (x == HUGE_VAL || !sm__in_panel(m, x, y, sr)) {
            /* A strike whose position is flagged as a likely error is not
             * fitted: it is drawn at the frame's edge, its position written. */
            if (sm__strike_flagged(sm_claims_strike(c, i)) && !edge_mark(m, i, x, y))
                break;
            continue;
        }
        in_view[n_in++] = i;
    }
    if (m->status == SM_OK && visible > SM__MAP_CLUSTER_STRIKES && (m->show & SM_MAP_CLUSTERS))
        sm__strikes_cluster(m, in_view, n_in);
    else
        for (size_t k = 0; k < n_in && m->status == SM_OK; k++)
            if (!sm__strike_mark(m, in_view[k], xy[2 * in_view[k]], xy[2 * in_view[k] + 1]))
                break;
    free(in_view);
    m->cl.n_strike_marks = m->cl.marks.len - first_strike;
}

void sm__claims_finish(sm_map *m)
{
    if (m->status != SM_OK)
        return;
    bool labels = (m->show & SM_MAP_LABELS) != 0;
    size_t first_strike = m->cl.marks.len - m->cl.n_strike_marks;
    /* By grading, the best attested last (on top where strikes share a
     * spot); within a grading row by row: stamping a hundred thousand
     * markers in reading order keeps the image's rows in cache (in claim
     * order every marker lands on cold memory). */
    if (!sort_strike_marks((sm__mark *)m->cl.marks.data + first_strike, m->cl.n_strike_marks)) {
        sm__map_nomem(m, "markers");
        return;
    }
    {
        const sm__mark *mk = m->cl.marks.data;
        size_t j = first_strike;
        for (int g = 0; g < 6; g++) {
            m->cl.strike_run[g] = j;
            while (j < m->cl.marks.len && grading_rank(mk[j].variant) == g)
                j++;
        }
        m->cl.strike_run[6] = j;
    }
    const sm__mark *mk0 = m->cl.marks.data;
    if (mk0 != NULL && m->cl.n_strike_marks > 0)
        sm__basemap_focus(m, &mk0[first_strike].x, sizeof(sm__mark), m->cl.n_strike_marks);
    else
        sm__basemap_focus(m, NULL, sizeof(sm__mark), 0);

    /* Every marker keeps labels off. */
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
