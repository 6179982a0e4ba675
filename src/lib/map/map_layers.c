/*
 * map_layers.c: the claims on the map. Owns projecting strikes, aircraft
 * fixes and tracks, and bases into markers; the geodesic rings (reach of
 * each checked pair around its binding fix, combat radius + weapon range
 * around bases, location uncertainty); the fix-to-strike lines coloured by
 * verdict; the claim labels (grouped where claims share a position); and
 * drawing all of it, vector or, on an image surface, with markers stamped
 * from pre-rendered sprites (a hundred thousand strikes as one path of
 * arcs costs cairo about a second; stamped, under a tenth).
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "map/map_internal.h"

/* Limits on what one map draws (docs/render.md, "Limits"). Each keeps a
 * map of a million claims readable and its layout time bounded; each that
 * leaves something out says so in a warning naming the count. */
/* Markers keep their full size up to this many strikes in view, then
 * shrink (to at most 0.45 of it) as they crowd. Nothing is left out. */
#define SM__MAP_FULL_SIZE_STRIKES 300
/* Reach rings drawn, the widest first (so the ones drawn are those that
 * decide the most); more are left out with a warning. */
#define SM__MAP_MAX_REACH_RINGS 2000
/* Location-uncertainty circles drawn; more are left out with a warning. */
#define SM__MAP_MAX_UNCERTAINTY_RINGS 2000
/* Fix-to-strike verdict lines drawn (each line once, however many pairs
 * share it), in pair order; more are left out with a warning. */
#define SM__MAP_MAX_VERDICT_LINES 20000
/* Claim labels laid out (each a block for the claims at one point); more
 * are left out with a warning. */
#define SM__MAP_MAX_CLAIM_LABELS 400
/* Points of verdict lines and tracks that keep labels off them; past this,
 * labels may be placed over the remaining lines (a warning says so). */
#define SM__MAP_MAX_LINE_OBSTACLES 200000
/* A strike without a label is named by its id only while this many
 * strikes or fewer are in view (a rule, not a cap: ids of thousands of
 * strikes would only be left out as labels that cannot fit). */
#define SM__MAP_ID_LABEL_STRIKES 50
/* Times are written along a track only while there are this many tracks or
 * fewer (each track's ends always carry theirs). */
#define SM__MAP_TIMED_TRACKS 12
/* Claims named in one label block before "+ N more claims here". */
#define SM__MAP_BLOCK_LINES 7

/* ---- helpers --------------------------------------------------------------- */

bool sm__in_panel(const sm_map *m, double x, double y, double margin)
{
    const sm__view *v = &m->view;
    return x >= v->px - margin && x <= v->px + v->pw + margin && y >= v->py - margin &&
           y <= v->py + v->ph + margin;
}

static bool push_mark(sm_map *m, double x, double y, int kind, int variant, double angle)
{
    sm__mark *k = sm__vec_push(&m->marks);
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

static double mark_radius(const sm_map *m, int kind)
{
    const sm__style *s = &m->style;
    switch (kind) {
    case SM__MARK_STRIKE: return s->strike_size / 2 * m->mark_scale;
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

/* ---- rings ------------------------------------------------------------------ */

static sm__ring *new_ring(sm_map *m, int kind, int verdict, double radius_km)
{
    sm__ring *r = sm__vec_push(&m->rings);
    if (r == NULL) {
        sm__map_nomem(m, "rings");
        return NULL;
    }
    sm__paths_init(&r->fill);
    sm__paths_init(&r->line);
    r->kind = kind;
    r->verdict = verdict;
    r->radius_km = radius_km;
    return r;
}

/* A fill is worth drawing unless the ring runs entirely outside the panel
 * around it (then it would only tint the whole map). */
static void judge_fill(sm_map *m, sm__ring *r)
{
    const double *p = r->line.pts.data;
    for (size_t i = 0; i < r->line.pts.len; i++)
        if (sm__in_panel(m, p[2 * i], p[2 * i + 1], 0)) {
            r->fill_visible = true;
            return;
        }
    r->fill_visible = false;
}

/* What has been drawn, so that each ring and each verdict line is drawn
 * once: keys quantised (positions to 1e-7 degree, radii to 5 m) in an
 * open-addressing hash set, so that a million pairs cost a million
 * look-ups, not a million squared. */
typedef struct ring_key {
    int64_t a, b, c, d;
    int kind, verdict;
    bool used;
} ring_key;

typedef struct key_set {
    ring_key *slots;
    size_t cap, len; /* cap: 0 or a power of two */
} key_set;

static uint64_t key_hash(const ring_key *k)
{
    /* FNV-1a over the fields */
    uint64_t h = 1469598103934665603u;
    const int64_t v[6] = {k->a, k->b, k->c, k->d, k->kind, k->verdict};
    for (int i = 0; i < 6; i++) {
        h ^= (uint64_t)v[i];
        h *= 1099511628211u;
    }
    return h ^ (h >> 29);
}

static bool key_eq(const ring_key *x, const ring_key *y)
{
    return x->a == y->a && x->b == y->b && x->c == y->c && x->d == y->d && x->kind == y->kind &&
           x->verdict == y->verdict;
}

static bool key_set_grow(key_set *ks)
{
    size_t cap = ks->cap ? ks->cap * 2 : 256;
    ring_key *slots = calloc(cap, sizeof(*slots));
    if (slots == NULL)
        return false;
    for (size_t i = 0; i < ks->cap; i++) {
        if (!ks->slots[i].used)
            continue;
        size_t h = (size_t)key_hash(&ks->slots[i]) & (cap - 1);
        while (slots[h].used)
            h = (h + 1) & (cap - 1);
        slots[h] = ks->slots[i];
    }
    free(ks->slots);
    ks->slots = slots;
    ks->cap = cap;
    return true;
}

static void key_set_free(key_set *ks)
{
    free(ks->slots);
    memset(ks, 0, sizeof(*ks));
}

/* Has this key been seen? If not, remember it. Out of memory: the map's
 * status, and "not seen". */
static bool seen_key(sm_map *m, key_set *ks, const double q[4], int kind, int verdict)
{
    ring_key k = {llround(q[0] * 1e7),
                  llround(q[1] * 1e7),
                  llround(q[2] * 1e7),
                  llround(q[3] * 1e7),
                  kind,
                  verdict,
                  true};
    if (2 * (ks->len + 1) > ks->cap && !key_set_grow(ks)) {
        sm__map_nomem(m, "rings");
        return false;
    }
    size_t h = (size_t)key_hash(&k) & (ks->cap - 1);
    while (ks->slots[h].used) {
        if (key_eq(&ks->slots[h], &k))
            return true;
        h = (h + 1) & (ks->cap - 1);
    }
    ks->slots[h] = k;
    ks->len++;
    return false;
}

/* A ring: centre (degrees) and radius (km, to 5 m). */
static bool seen_ring(sm_map *m, key_set *keys, double lon, double lat, double radius, int kind,
                      int verdict)
{
    const double q[4] = {lon, lat, radius / 0.005 * 1e-7, 0};
    return seen_key(m, keys, q, kind, verdict);
}

/* The aircraft's weapon by the model's rule (model.c: its claimed weapon,
 * else the longest-range default its operator fields, in service in the
 * year of its first timed fix): the one check assumes for it. */
static const sm_weapon *aircraft_weapon(sm_ctx *ctx, const sm_aircraft *a)
{
    double t = (double)NAN;
    for (size_t k = 0; k < a->n_fixes && isnan(t); k++)
        if (a->fixes[k].when.known)
            t = a->fixes[k].when.start;
    return sm_model_weapon(ctx, NULL, a, t, NULL, NULL);
}

/* Label a ring where it is drawn: the topmost vertex well inside the panel. */
/* Label a ring where it is drawn: the topmost of its vertices well inside
 * the panel first, then other spots along it. */
static void ring_label(sm_map *m, const sm__ring *r, const char *text)
{
    const double *p = r->line.pts.data;
    size_t n = r->line.pts.len, best = n, inside = 0;
    for (size_t i = 0; i < n; i++)
        if (sm__in_panel(m, p[2 * i], p[2 * i + 1], -24)) {
            inside++;
            if (best == n || p[2 * i + 1] < p[2 * best + 1])
                best = i;
        }
    if (best == n)
        return;
    sm__label *lb = sm__label_add(m, text, SM__LABEL_RING, 50, p[2 * best], p[2 * best + 1], 1.5);
    if (lb == NULL)
        return;
    size_t step = inside / (SM__ARRAY_LEN(lb->alt) + 1) + 1;
    for (size_t i = 0, seen = 0; i < n && lb->n_alt < (int)SM__ARRAY_LEN(lb->alt); i++)
        if (sm__in_panel(m, p[2 * i], p[2 * i + 1], -24) && ++seen % step == 0 && i != best) {
            lb->alt[lb->n_alt][0] = p[2 * i];
            lb->alt[lb->n_alt][1] = p[2 * i + 1];
            lb->n_alt++;
        }
}

/* Widest reach first; pairs of equal reach in pair order (deterministic). */
static int cmp_reach(const void *a, const void *b)
{
    const sm_pair *x = *(const sm_pair *const *)a, *y = *(const sm_pair *const *)b;
    if (x->reach_km != y->reach_km)
        return x->reach_km > y->reach_km ? -1 : 1;
    return (x > y) - (x < y);
}

static void build_rings(sm_map *m, key_set *keys)
{
    const sm_claims *c = m->claims;
    /* Combat radius + weapon range around each base, once per radius. */
    for (size_t i = 0; (m->show & SM_MAP_RADIUS) && i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        if (a->base_index < 0 || a->refuelled || a->type_ref == NULL ||
            !(a->type_ref->combat_radius_km > 0))
            continue;
        const sm_base *b = sm_claims_base(c, (size_t)a->base_index);
        const sm_weapon *w = aircraft_weapon(m->ctx, a);
        double radius = a->type_ref->combat_radius_km + (w ? w->range_km : 0);
        if (seen_ring(m, keys, b->lon, b->lat, radius, SM__RING_RADIUS, 0))
            continue;
        sm__ring *r = new_ring(m, SM__RING_RADIUS, 0, radius);
        if (r == NULL || !sm__geo_circle(m, b->lon, b->lat, radius, NULL, &r->line, 0))
            continue;
        if (r->line.parts.len == 0)
            continue;
        m->has_radius = true;
        if (!(m->show & SM_MAP_LABELS))
            continue;
        /* The base's first name: up to " / " or "(" (ASCII, so the cut is
         * at a character boundary), without trailing blanks. */
        const char *base = b->info.label ? b->info.label : b->info.id;
        size_t bl = strcspn(base, "/(");
        while (bl > 0 && base[bl - 1] == ' ')
            bl--;
        char *text = bl < INT_MAX ? sm__strfmt("%s radius from %.*s: %.0f km", a->type_ref->type,
                                               (int)bl, base, radius)
                                  : NULL;
        if (text == NULL) {
            sm__map_nomem(m, "ring labels");
            return;
        }
        ring_label(m, r, text);
        free(text);
    }
    /* The caller's own circles (the area a type can reach from a point). */
    for (size_t i = 0; (m->show & SM_MAP_REACH) && i < m->opt.n_areas; i++) {
        const sm_map_area *a = &m->opt.areas[i];
        if (!(a->radius_km > 0))
            continue;
        sm__ring *r = new_ring(m, SM__RING_REACH, SM_VERDICT_PLAUSIBLE, a->radius_km);
        if (r == NULL || !sm__geo_circle(m, a->lon, a->lat, a->radius_km, &r->fill, &r->line, 0))
            continue;
        judge_fill(m, r);
        if (r->line.parts.len > 0 || r->fill_visible)
            m->has_reach = true;
        if (a->label != NULL && (m->show & SM_MAP_LABELS))
            ring_label(m, r, a->label);
    }
    /* Reach of each checked pair around its binding fix, larger first so
     * smaller rings stay visible on top. */
    if (!(m->show & SM_MAP_REACH) || m->check == NULL)
        return;
    size_t np = sm_check_pair_count(m->check);
    sm__vec order;
    sm__vec_init(&order, sizeof(const sm_pair *));
    for (size_t i = 0; i < np; i++) {
        const sm_pair *p = sm_check_pair(m->check, i);
        if (p->fix < 0 || !(p->reach_km > 0) || !isfinite(p->reach_km))
            continue;
        const sm_pair **slot = sm__vec_push(&order);
        if (slot == NULL) {
            sm__vec_free(&order);
            sm__map_nomem(m, "rings");
            return;
        }
        *slot = p;
    }
    const sm_pair **ps = order.data;
    if (order.len > 1)
        qsort(ps, order.len, sizeof(const sm_pair *), cmp_reach);
    size_t drawn = 0, left_out = 0;
    for (size_t i = 0; i < order.len && m->status == SM_OK; i++) {
        const sm_pair *p = ps[i];
        const sm_fix *f = &sm_claims_aircraft(c, p->aircraft)->fixes[p->fix];
        if (seen_ring(m, keys, f->lon, f->lat, p->reach_km, SM__RING_REACH, (int)p->verdict))
            continue;
        if (drawn >= SM__MAP_MAX_REACH_RINGS) {
            left_out++;
            continue;
        }
        drawn++;
        sm__ring *r = new_ring(m, SM__RING_REACH, (int)p->verdict, p->reach_km);
        if (r == NULL || !sm__geo_circle(m, f->lon, f->lat, p->reach_km, &r->fill, &r->line, 0))
            continue;
        judge_fill(m, r);
        /* The rings that rule a claim out, or nearly, are filled: the
         * strike left outside the area the aircraft could reach is the
         * point of the map. A plausible pair's ring is an outline (fills
         * of several rings muddy each other), and one many times wider
         * than the distance it decides, which says only "easily", a
         * lighter one. */
        r->loose = p->verdict == SM_VERDICT_PLAUSIBLE && p->reach_km > 2.5 * p->distance_km;
        if (p->verdict == SM_VERDICT_PLAUSIBLE)
            r->fill_visible = false;
        if (r->line.parts.len > 0 || r->fill_visible)
            m->has_reach = true;
    }
    sm__vec_free(&order);
    if (left_out > 0)
        sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "reach",
                 "%zu reach rings left out: a map draws at most %d, the widest first", left_out,
                 SM__MAP_MAX_REACH_RINGS);
}

static void build_uncertainty(sm_map *m, key_set *keys)
{
    if (!(m->show & SM_MAP_UNCERTAINTY))
        return;
    const sm_claims *c = m->claims;
    size_t count = 0, left_out = 0;
    double min_r = m->style.strike_size * m->mark_scale;
    for (size_t i = 0; i < sm_claims_strike_count(c) + sm_claims_aircraft_count(c); i++) {
        double lon, lat, r;
        bool is_strike = i < sm_claims_strike_count(c);
        if (is_strike) {
            const sm_strike *s = sm_claims_strike(c, i);
            lon = s->lon;
            lat = s->lat;
            r = s->location_uncertainty_km;
            if (!(m->show & SM_MAP_STRIKES))
                continue;
        } else {
            const sm_aircraft *a = sm_claims_aircraft(c, i - sm_claims_strike_count(c));
            if (a->is_track || a->n_fixes != 1 || !(m->show & SM_MAP_FIXES))
                continue;
            lon = a->fixes[0].lon;
            lat = a->fixes[0].lat;
            r = a->location_uncertainty_km;
        }
        if (!(r > 0) || r / m->view.km_per_pt < min_r)
            continue;
        double xy[2] = {lon, lat};
        sm__to_canvas(m, xy, 1);
        if (xy[0] == HUGE_VAL || !sm__in_panel(m, xy[0], xy[1], r / m->view.km_per_pt))
            continue;
        if (seen_ring(m, keys, lon, lat, r, SM__RING_UNCERTAINTY, 0))
            continue;
        if (count >= SM__MAP_MAX_UNCERTAINTY_RINGS) {
            left_out++;
            continue;
        }
        count++;
        sm__ring *rg = new_ring(m, SM__RING_UNCERTAINTY, 0, r);
        if (rg != NULL && sm__geo_circle(m, lon, lat, r, NULL, &rg->line, 0) &&
            rg->line.parts.len > 0)
            m->has_uncertainty = true;
        if (m->status != SM_OK)
            return;
    }
    if (left_out > 0)
        sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "uncertainty",
                 "%zu location-uncertainty circles left out: a map draws at most %d", left_out,
                 SM__MAP_MAX_UNCERTAINTY_RINGS);
}

/* ---- labels of claims ------------------------------------------------------- */

typedef struct label_item {
    double x, y, r;
    int kind;
    int priority;
    const char *label; /* as the claim writes it */
    char extra[96];    /* a time line from format_when (at most ~40 bytes), or "" */
} label_item;

static int cmp_items(const void *a, const void *b)
{
    const label_item *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    if (x->y != y->y)
        return x->y < y->y ? -1 : 1;
    if (x->x != y->x)
        return x->x < y->x ? -1 : 1;
    if (x->priority != y->priority)
        return x->priority - y->priority;
    return strcmp(x->label, y->label);
}

/* Append the lines of a claim's label (" / " separates languages) that
 * the block does not have yet. The cuts are at ASCII separators, so at
 * character boundaries. */
static void append_lines(sm__sbuf *buf, const char *label)
{
    const char *p = label;
    while (*p) {
        const char *sep = strstr(p, " / ");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        bool have = false;
        const char *text = sm__sbuf_str(buf);
        for (const char *q = text; *q && !have;) {
            const char *e = strchr(q, '\n');
            size_t ql = e ? (size_t)(e - q) : strlen(q);
            have = ql == len && strncmp(q, p, ql) == 0;
            q = e ? e + 1 : q + ql;
        }
        if (!have && len > 0) {
            if (buf->len > 0)
                sm__sbuf_put(buf, "\n", 1);
            sm__sbuf_put(buf, p, len);
        }
        if (!sep)
            break;
        p = sep + 3;
    }
}

/* The label blocks of the claims, one for the claims at each point.
 * Returns false when out of memory. */
static bool build_claim_labels(sm_map *m, sm__vec *items)
{
    label_item *it = items->data;
    size_t n = items->len;
    if (n > 1)
        qsort(it, n, sizeof(*it), cmp_items);
    size_t made = 0, left_out = 0;
    sm__sbuf text = {0}, shorter = {0};
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && it[j].kind == it[i].kind && fabs(it[j].x - it[i].x) < 1.0 &&
               fabs(it[j].y - it[i].y) < 1.0)
            j++;
        text.len = shorter.len = 0;
        if (text.s != NULL)
            text.s[0] = '\0';
        if (shorter.s != NULL)
            shorter.s[0] = '\0';
        int prio = it[i].priority;
        size_t lines = 0;
        for (size_t k = i; k < j; k++) {
            prio = it[k].priority < prio ? it[k].priority : prio;
            append_lines(&text, it[k].label);
        }
        for (const char *q = sm__sbuf_str(&text); *q; q++)
            lines += *q == '\n';
        /* Times once per block, after the names. */
        for (size_t k = i; k < j; k++)
            if (it[k].extra[0] && strstr(sm__sbuf_str(&text), it[k].extra) == NULL)
                sm__sbuf_printf(&text, "%s%s", text.len ? "\n" : "", it[k].extra);
        if (lines > SM__MAP_BLOCK_LINES && !text.failed) {
            /* Cut a crowd of claims at one point to its first lines (at a
             * line break, so at a character boundary). */
            char *q = text.s;
            for (int l = 0; l < SM__MAP_BLOCK_LINES - 1 && q; l++) {
                q = strchr(q, '\n');
                if (q)
                    q++;
            }
            if (q) {
                text.len = (size_t)(q - text.s);
                *q = '\0';
                sm__sbuf_printf(&text, "+ %zu more claims here", j - i > 1 ? j - i - 1 : 1);
            }
        }
        if (text.failed)
            break;
        if (text.len > 0 && made >= SM__MAP_MAX_CLAIM_LABELS) {
            left_out++;
        } else if (text.len > 0) {
            sm__label *lb = sm__label_add(m, text.s, it[i].kind, prio, it[i].x, it[i].y, it[i].r);
            if (lb == NULL)
                break;
            lb->leader_ok = true;
            made++;
            /* The fallback: each claim's first language only, at most
             * three claims. */
            for (size_t k = i; k < j && k < i + 3; k++) {
                size_t len = strcspn(it[k].label, "\n");
                const char *sep = strstr(it[k].label, " / ");
                if (sep != NULL && (size_t)(sep - it[k].label) < len)
                    len = (size_t)(sep - it[k].label);
                if (shorter.len > 0)
                    sm__sbuf_put(&shorter, "\n", 1);
                sm__sbuf_put(&shorter, it[k].label, len);
            }
            if (j - i > 3)
                sm__sbuf_printf(&shorter, "\n+ %zu more", j - i - 3);
            if (shorter.failed)
                break;
            if (strcmp(sm__sbuf_str(&shorter), text.s) != 0) {
                lb->short_text = strdup(sm__sbuf_str(&shorter));
                if (lb->short_text == NULL) {
                    sm__map_nomem(m, "claim labels");
                    break;
                }
            }
        }
        i = j;
    }
    bool ok = !text.failed && !shorter.failed && m->status == SM_OK;
    sm__sbuf_free(&text);
    sm__sbuf_free(&shorter);
    if (!ok) {
        sm__map_nomem(m, "claim labels");
        return false;
    }
    if (left_out > 0)
        sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "labels",
                 "%zu claim labels left out: a map lays out at most %d (a smaller --bbox shows "
                 "fewer claims)",
                 left_out, SM__MAP_MAX_CLAIM_LABELS);
    return true;
}

static bool add_item(sm_map *m, sm__vec *items, double x, double y, double r, int kind, int prio,
                     const char *label, const char *extra)
{
    label_item *li = sm__vec_push(items);
    if (li == NULL) {
        sm__map_nomem(m, "claim labels");
        return false;
    }
    li->x = x;
    li->y = y;
    li->r = r;
    li->kind = kind;
    li->priority = prio;
    li->label = label;
    /* a time written by format_when: always fits */
    snprintf(li->extra, sizeof(li->extra), "%s", extra ? extra : "");
    return true;
}

/* ---- build -------------------------------------------------------------------- */

/* Drawing rank of a grading: the best attested last, on top. */
static int grading_rank(int g)
{
    static const int rank[6] = {
        [SM_GRADING_DISCOUNTED] = 0, [SM_GRADING_CONTESTED] = 1, [SM_GRADING_WEAK] = 2,
        [SM_GRADING_NONE] = 3,       [SM_GRADING_FAIR] = 4,      [SM_GRADING_CONFIRMED] = 5};
    return g >= 0 && g < 6 ? rank[g] : 3;
}

static int cmp_strike_marks(const void *a, const void *b)
{
    const sm__mark *x = a, *y = b;
    int rx = grading_rank(x->variant), ry = grading_rank(y->variant);
    if (rx != ry)
        return rx - ry;
    double bx = floor(x->y / 4), by = floor(y->y / 4);
    if (bx != by)
        return bx < by ? -1 : 1;
    if (x->x != y->x)
        return x->x < y->x ? -1 : 1;
    return (x->y > y->y) - (x->y < y->y);
}

static void add_arrow(sm_map *m, double x, double y, double angle, int verdict)
{
    sm__arrow *a = sm__vec_push(&m->arrows);
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

/* The country holding most strikes (of a sample) gets the lighter fill. */
static void focus_country(sm_map *m, const sm__mark *mk, size_t n)
{
    m->focus_country = -1;
    if (m->countries.parts.len == 0 || n == 0)
        return;
    size_t nc = m->country_names.len;
    size_t *votes = calloc(nc + 1, sizeof(size_t));
    if (votes == NULL) {
        sm__map_nomem(m, "basemap");
        return;
    }
    size_t step = n / 256 + 1;
    for (size_t i = 0; i < n; i += step) {
        /* Only countries whose parts' boxes hold the point are tested. */
        const sm__part *parts = m->countries.parts.data;
        int last = -1;
        for (size_t p = 0; p < m->countries.parts.len; p++) {
            int tag = parts[p].tag;
            if (tag == last)
                continue;
            if (sm__paths_contains(&m->countries, tag, mk[i].x, mk[i].y)) {
                votes[tag]++;
                break;
            }
            last = tag;
        }
    }
    size_t best = 0;
    for (size_t t = 0; t < nc; t++)
        if (votes[t] > best) {
            best = votes[t];
            m->focus_country = (int)t;
        }
    free(votes);
}

/* A country's name where most of its visible area is. */
static void country_labels(sm_map *m)
{
    if (!(m->show & SM_MAP_COUNTRIES))
        return;
    const sm__view *v = &m->view;
    const sm__part *parts = m->countries.parts.data;
    const double *pts = m->countries.pts.data;
    double *clip = NULL;
    size_t cap = 0;
    for (size_t t = 0; t < m->country_names.len; t++) {
        const char *name = ((char **)m->country_names.data)[t];
        if (name == NULL || !name[0])
            continue;
        double best_area = 0, bx = 0, by = 0, bb[4] = {0, 0, 0, 0};
        for (size_t p = 0; p < m->countries.parts.len; p++) {
            if (parts[p].tag != (int)t)
                continue;
            size_t k = sm__clip_polygon(pts + 2 * parts[p].start, parts[p].n, v->px, v->py,
                                        v->px + v->pw, v->py + v->ph, &clip, &cap);
            if (clip == NULL) {
                sm__map_nomem(m, "country names");
                return;
            }
            double a = 0, cx = 0, cy = 0;
            double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
            for (size_t i = 0, j = k - 1; i < k; j = i++) {
                double cr = clip[2 * j] * clip[2 * i + 1] - clip[2 * i] * clip[2 * j + 1];
                a += cr;
                cx += (clip[2 * j] + clip[2 * i]) * cr;
                cy += (clip[2 * j + 1] + clip[2 * i + 1]) * cr;
                x0 = fmin(x0, clip[2 * i]);
                x1 = fmax(x1, clip[2 * i]);
                y0 = fmin(y0, clip[2 * i + 1]);
                y1 = fmax(y1, clip[2 * i + 1]);
            }
            if (k < 3 || fabs(a) < 1e-9)
                continue;
            if (fabs(a) / 2 > best_area) {
                best_area = fabs(a) / 2;
                bx = cx / (3 * a);
                by = cy / (3 * a);
                bb[0] = x0;
                bb[1] = y0;
                bb[2] = x1;
                bb[3] = y1;
            }
        }
        if (best_area < 2500)
            continue;
        if (!sm__paths_contains(&m->countries, (int)t, bx, by)) {
            /* A crescent or an L: the inside point of a coarse grid nearest
             * the centroid. */
            double bestd = 1e18, nx = bx, ny = by;
            for (int i = 1; i < 12; i++)
                for (int j = 1; j < 12; j++) {
                    double x = bb[0] + (bb[2] - bb[0]) * i / 12.0,
                           y = bb[1] + (bb[3] - bb[1]) * j / 12.0;
                    double d = hypot(x - bx, y - by);
                    if (d < bestd && sm__paths_contains(&m->countries, (int)t, x, y)) {
                        bestd = d;
                        nx = x;
                        ny = y;
                    }
                }
            if (bestd == 1e18)
                continue;
            bx = nx;
            by = ny;
        }
        sm__label_add(m, name, SM__LABEL_COUNTRY, SM__PRIO_COUNTRY, bx, by, 0);
    }
    free(clip);
}

static void place_labels(sm_map *m)
{
    const sm__place *pl = m->places.data;
    for (size_t i = 0; i < m->places.len; i++) {
        int kind =
            pl[i].rank == 0 || pl[i].pop >= 1000000 ? SM__LABEL_PLACE_MAJOR : SM__LABEL_PLACE;
        /* Capitals and cities of a million before claim labels that need
         * a leader line; cities of a quarter million before country names;
         * the rest after. */
        int prio = pl[i].rank == 0 || pl[i].pop >= 1000000 ? SM__PRIO_CITY
                   : pl[i].pop >= 250000                   ? SM__PRIO_TOWN
                                                           : SM__PRIO_PLACE;
        sm__label *lb = sm__label_add(m, pl[i].name, kind, prio + (int)i, pl[i].x, pl[i].y,
                                      m->style.place_size / 2 + 0.6);
        if (lb != NULL)
            lb->variant = pl[i].rank;
    }
}

sm_status sm__layers_build(sm_map *m)
{
    const sm_claims *c = m->claims;
    size_t ns = sm_claims_strike_count(c), na = sm_claims_aircraft_count(c),
           nb = sm_claims_base_count(c);
    sm__vec items;
    key_set keys = {0};
    sm__vec_init(&items, sizeof(label_item));
    bool labels = (m->show & SM_MAP_LABELS) != 0;

    /* Which claims take part in a drawn pair (their labels go first). */
    unsigned char *in_pair_s = calloc(ns + 1, 1), *in_pair_a = calloc(na + 1, 1);
    double *heading = calloc(na + 1, sizeof(double));
    if (in_pair_s == NULL || in_pair_a == NULL || heading == NULL) {
        free(in_pair_s);
        free(in_pair_a);
        free(heading);
        return sm__nomem(m->ctx, NULL, -1, NULL, "claims on the map");
    }
    size_t np = m->check ? sm_check_pair_count(m->check) : 0;

    /* Strikes, projected in one batch. */
    double *xy =
        ns < SIZE_MAX / (4 * sizeof(double)) ? malloc((ns + 1) * 2 * sizeof(double)) : NULL;
    if (xy == NULL) {
        free(in_pair_s);
        free(in_pair_a);
        free(heading);
        return sm__nomem(m->ctx, NULL, -1, NULL, "claims on the map");
    }
    for (size_t i = 0; i < ns; i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        xy[2 * i] = s->lon;
        xy[2 * i + 1] = s->lat;
    }
    sm__to_canvas(m, xy, ns);
    size_t visible = 0;
    for (size_t i = 0; i < ns; i++)
        visible += xy[2 * i] != HUGE_VAL && sm__in_panel(m, xy[2 * i], xy[2 * i + 1], 0);
    /* Markers shrink as they crowd. */
    m->mark_scale = visible > SM__MAP_FULL_SIZE_STRIKES
                        ? fmax(0.45, sqrt((double)SM__MAP_FULL_SIZE_STRIKES / (double)visible))
                        : 1.0;
    double sr = mark_radius(m, SM__MARK_STRIKE);

    for (size_t i = 0; i < np; i++) {
        const sm_pair *p = sm_check_pair(m->check, i);
        in_pair_s[p->strike] = 1;
        if (p->by_kind != SM_KIND_LAUNCHER)
            in_pair_a[p->aircraft] = 1;
    }

    /* Rings first: they are drawn under everything else. */
    build_rings(m, &keys);
    if (m->status == SM_OK)
        build_uncertainty(m, &keys);
    if (m->status != SM_OK)
        goto done;
    sm__map_progress(m, "rings", 0.45);

    /* Tracks, with an arrow at the middle of each long enough segment. */
    for (size_t i = 0; i < na; i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        if (!a->is_track || a->n_fixes < 2)
            continue;
        size_t before = m->tracks.parts.len;
        if (m->show & SM_MAP_TRACKS) {
            double *ll = malloc(a->n_fixes * 2 * sizeof(double));
            if (ll == NULL) {
                sm__map_nomem(m, "tracks");
                goto done;
            }
            for (size_t k = 0; k < a->n_fixes; k++) {
                ll[2 * k] = a->fixes[k].lon;
                ll[2 * k + 1] = a->fixes[k].lat;
            }
            sm__geo_track(m, ll, a->n_fixes, &m->tracks, (int)i);
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
            if ((m->show & SM_MAP_TRACKS) && m->tracks.parts.len > before &&
                d / m->view.km_per_pt > 26 && sm__in_panel(m, mid[0], mid[1], 0))
                add_arrow(m, mid[0], mid[1], ang, -1);
            heading[i] = ang + SM__PI / 2;
        }
        m->has_track = m->has_track || (m->show & SM_MAP_TRACKS);
    }

    if (m->status != SM_OK)
        goto done;
    /* Fix-to-strike lines, once per fix, strike and verdict, in pair order:
     * only where the fix binds (sm__pair_fix_binds): a position days away
     * says nothing about the strike, whatever the sortie test found. */
    size_t lines_drawn = 0, lines_left_out = 0;
    for (size_t i = 0; (m->show & SM_MAP_VERDICTS) && i < np; i++) {
        const sm_pair *p = sm_check_pair(m->check, i);
        if (!sm__pair_fix_binds(p))
            continue;
        const sm_fix *f = &sm_claims_aircraft(c, p->aircraft)->fixes[p->fix];
        const sm_strike *s = sm_claims_strike(c, p->strike);
        const double line_key[4] = {f->lon, f->lat, s->lon, s->lat};
        if (seen_key(m, &keys, line_key, 99, (int)p->verdict))
            continue;
        if (m->status != SM_OK)
            goto done;
        if (lines_drawn >= SM__MAP_MAX_VERDICT_LINES) {
            lines_left_out++;
            continue;
        }
        lines_drawn++;
        size_t before = m->vlines.parts.len;
        sm__geo_geodesic(m, f->lon, f->lat, s->lon, s->lat, &m->vlines, (int)p->verdict);
        if (m->vlines.parts.len == before)
            continue;
        m->has_verdict[p->verdict] = true;
        m->n_pairs_drawn++;
        double ang;
        double sx = xy[2 * p->strike], sy = xy[2 * p->strike + 1];
        if (end_direction(&m->vlines, before, &ang) && sx != HUGE_VAL &&
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
    if (m->status != SM_OK)
        goto done;
    if (lines_left_out > 0)
        sm__diag(m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "verdicts",
                 "%zu verdict lines left out: a map draws at most %d, in pair order",
                 lines_left_out, SM__MAP_MAX_VERDICT_LINES);
    sm__map_progress(m, "claims", 0.55);

    /* Area targets. */
    for (size_t i = 0; (m->show & SM_MAP_STRIKES) && i < ns; i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        const double *ring = s->ring_lonlat;
        for (size_t r = 0; r < s->n_rings; r++) {
            sm__geo_polygon(m, ring, s->ring_sizes[r], &m->areas, (int)s->grading);
            ring += 2 * s->ring_sizes[r];
            m->has_area = true;
        }
    }

    /* Markers: bases, then fixes, then strikes on top (room for all at
     * once: a vector that doubles as it grows would hold up to twice). */
    size_t n_fixes = 0;
    for (size_t i = 0; i < na; i++)
        n_fixes += sm_claims_aircraft(c, i)->n_fixes;
    if (!sm__vec_reserve(&m->marks, m->marks.len + nb + n_fixes + ns)) {
        sm__map_nomem(m, "markers");
        goto done;
    }
    for (size_t i = 0; (m->show & SM_MAP_BASES) && i < nb; i++) {
        const sm_base *b = sm_claims_base(c, i);
        double q[2] = {b->lon, b->lat};
        sm__to_canvas(m, q, 1);
        if (q[0] == HUGE_VAL || !sm__in_panel(m, q[0], q[1], 0))
            continue;
        if (!push_mark(m, q[0], q[1], SM__MARK_BASE, 0, 0))
            goto done;
        m->has_base = true;
        if (labels &&
            !add_item(m, &items, q[0], q[1], mark_radius(m, SM__MARK_BASE), SM__LABEL_BASE, 20,
                      b->info.label ? b->info.label : b->info.id, NULL))
            goto done;
    }
    /* Times along a track every 70 pt or so; with many tracks only at
     * their ends (the rest could not be placed, and would cost time). */
    size_t n_tracks = 0;
    for (size_t i = 0; i < na; i++)
        n_tracks += sm_claims_aircraft(c, i)->is_track;
    bool few_tracks = n_tracks <= SM__MAP_TIMED_TRACKS;
    for (size_t i = 0; (m->show & (SM_MAP_FIXES | SM_MAP_TRACKS)) && i < na; i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        if (a->n_fixes == 0)
            continue;
        double *q = malloc(a->n_fixes * 2 * sizeof(double));
        if (q == NULL) {
            sm__map_nomem(m, "aircraft positions");
            goto done;
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
                m->has_fix = true;
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
                if (!add_item(m, &items, q[2 * k], q[2 * k + 1], mark_radius(m, SM__MARK_FIX),
                              SM__LABEL_AIRCRAFT, in_pair_a[i] ? 10 : 40,
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
            goto done;
    }
    size_t first_strike = m->marks.len;
    for (size_t i = 0; (m->show & SM_MAP_STRIKES) && i < ns; i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (x == HUGE_VAL || !sm__in_panel(m, x, y, sr))
            continue;
        if (!push_mark(m, x, y, SM__MARK_STRIKE, (int)s->grading, 0))
            goto done;
        m->has_grading[s->grading] = true;
        m->has_strike = true;
        if (!labels || !sm__in_panel(m, x, y, 0))
            continue;
        const char *text = s->info.label
                               ? s->info.label
                               : (visible <= SM__MAP_ID_LABEL_STRIKES ? s->info.id : NULL);
        if (text != NULL &&
            !add_item(m, &items, x, y, sr, SM__LABEL_STRIKE, in_pair_s[i] ? 0 : 30, text, NULL))
            goto done;
    }
    m->n_strike_marks = m->marks.len - first_strike;
    /* By grading, the best attested last (on top where strikes share a
     * spot); within a grading row by row: stamping a hundred thousand
     * markers in reading order keeps the image's rows in cache (in claim
     * order every marker lands on cold memory). */
    if (m->n_strike_marks > 1)
        qsort((sm__mark *)m->marks.data + first_strike, m->n_strike_marks, sizeof(sm__mark),
              cmp_strike_marks);
    {
        const sm__mark *mk = m->marks.data;
        size_t j = first_strike;
        for (int g = 0; g < 6; g++) {
            m->strike_run[g] = j;
            while (j < m->marks.len && grading_rank(mk[j].variant) == g)
                j++;
        }
        m->strike_run[6] = j;
    }
    focus_country(m, (const sm__mark *)m->marks.data + first_strike, m->n_strike_marks);

    /* Every marker keeps labels off. */
    const sm__mark *mk = m->marks.data;
    for (size_t i = 0; i < m->marks.len; i++) {
        double r = mark_radius(m, mk[i].kind) + 0.5;
        sm__obstacle_add_mark(m, mk[i].x - r, mk[i].y - r, mk[i].x + r, mk[i].y + r);
    }
    const sm__arrow *ar = m->arrows.data;
    for (size_t i = 0; i < m->arrows.len; i++)
        sm__obstacle_add_mark(m, ar[i].x - 3, ar[i].y - 3, ar[i].x + 3, ar[i].y + 3);
    /* Labels keep off verdict lines and tracks too: text on a line reads
     * as struck through. */
    const sm__paths *lines[2] = {&m->vlines, &m->tracks};
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
    if (m->status != SM_OK)
        goto done;

    if (labels && !build_claim_labels(m, &items))
        goto done;
    country_labels(m);
    if (m->status == SM_OK && (m->show & SM_MAP_PLACES))
        place_labels(m);

done:
    sm__vec_free(&items);
    key_set_free(&keys);
    free(xy);
    free(in_pair_s);
    free(in_pair_a);
    free(heading);
    return m->status;
}

void sm__layers_free(sm_map *m)
{
    sm__ring *r = m->rings.data;
    for (size_t i = 0; i < m->rings.len; i++) {
        sm__paths_free(&r[i].fill);
        sm__paths_free(&r[i].line);
    }
    sm__vec_free(&m->rings);
    sm__vec_free(&m->marks);
    sm__paths_free(&m->tracks);
    sm__paths_free(&m->vlines);
    sm__paths_free(&m->areas);
    sm__vec_free(&m->arrows);
    for (size_t i = 0; i < SM__ARRAY_LEN(m->sprites); i++)
        if (m->sprites[i] != NULL)
            cairo_surface_destroy(m->sprites[i]);
}

/* ---- drawing ------------------------------------------------------------------- */

static void set_dash(cairo_t *cr, int verdict, double w)
{
    /* Redundant with colour: solid plausible, dashed marginal, short
     * dashes implausible, dotted unknown. */
    double d[2];
    switch (verdict) {
    case SM_VERDICT_MARGINAL:
        d[0] = 5 * w;
        d[1] = 2.5 * w;
        cairo_set_dash(cr, d, 2, 0);
        break;
    case SM_VERDICT_IMPLAUSIBLE:
        d[0] = 2.2 * w;
        d[1] = 1.8 * w;
        cairo_set_dash(cr, d, 2, 0);
        break;
    case SM_VERDICT_UNKNOWN:
        d[0] = 0.1;
        d[1] = 2 * w;
        cairo_set_dash(cr, d, 2, 0);
        break;
    default: cairo_set_dash(cr, NULL, 0, 0);
    }
}

static void draw_arrowhead(cairo_t *cr, double x, double y, double ang, double len, double half)
{
    double c = cos(ang), s = sin(ang);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x - c * len - s * half, y - s * len + c * half);
    cairo_line_to(cr, x - c * len * 0.7, y - s * len * 0.7);
    cairo_line_to(cr, x - c * len + s * half, y - s * len - c * half);
    cairo_close_path(cr);
}

void sm__draw_layers_under(sm_map *m, const sm__draw *d)
{
    cairo_t *cr = d->cr;
    const sm__style *st = &m->style;
    sm__ring *rings = m->rings.data;
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    /* combat radius */
    for (size_t i = 0; i < m->rings.len; i++) {
        if (rings[i].kind != SM__RING_RADIUS)
            continue;
        sm__paths_to_cairo(&rings[i].line, d, false, -1, false);
        double dash[2] = {3.5, 2.5};
        cairo_set_dash(cr, dash, 2, 0);
        sm__set_rgba(cr, st->radius);
        cairo_set_line_width(cr, st->radius_w);
        cairo_stroke(cr);
    }
    /* reach: fills, then outlines */
    for (size_t i = 0; i < m->rings.len; i++) {
        if (rings[i].kind != SM__RING_REACH || !rings[i].fill_visible)
            continue;
        sm__paths_to_cairo(&rings[i].fill, d, true, -1, true);
        sm__rgba c = st->verdict[rings[i].verdict];
        c.a *= st->ring_fill_alpha;
        sm__set_rgba(cr, c);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
        cairo_fill(cr);
    }
    for (size_t i = 0; i < m->rings.len; i++) {
        if (rings[i].kind != SM__RING_REACH)
            continue;
        sm__paths_to_cairo(&rings[i].line, d, false, -1, false);
        double w = rings[i].loose ? st->ring_w * 0.7 : st->ring_w;
        set_dash(cr, rings[i].verdict, w);
        sm__rgba c = st->verdict[rings[i].verdict];
        if (rings[i].loose)
            c.a *= 0.5;
        sm__set_rgba(cr, c);
        cairo_set_line_width(cr, w);
        cairo_stroke(cr);
    }
    for (size_t i = 0; i < m->rings.len; i++) {
        if (rings[i].kind != SM__RING_UNCERTAINTY)
            continue;
        sm__paths_to_cairo(&rings[i].line, d, false, -1, false);
        double dash[2] = {1.2, 1.2};
        cairo_set_dash(cr, dash, 2, 0);
        sm__set_rgba(cr, st->uncertainty);
        cairo_set_line_width(cr, st->uncertainty_w);
        cairo_stroke(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    if (m->areas.parts.len > 0) {
        for (int g = 0; g < 6; g++) {
            sm__paths_to_cairo(&m->areas, d, true, g, true);
            sm__rgba c = st->strike[g];
            c.a *= 0.3;
            sm__set_rgba(cr, c);
            cairo_fill_preserve(cr);
            sm__set_rgba(cr, st->strike[g]);
            cairo_set_line_width(cr, 0.8);
            cairo_stroke(cr);
        }
    }
    /* tracks on a light halo so they read over borders */
    /* One stroke a run: cairo strokes many short, crossing subpaths at
     * once far slower than the same lines one by one. */
    sm__rgba halo = st->halo;
    halo.a *= 0.7;
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    /* The densified tracks turn a little at each vertex: bevel joins look
     * the same there and cost cairo a tenth of round ones. */
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
    /* A halo lets a few tracks read over borders; under many it would only
     * pile up (and costs a second stroke of every track). */
    for (int pass = m->tracks.parts.len > 40 ? 1 : 0; pass < 2; pass++) {
        sm__set_rgba(cr, pass == 0 ? halo : st->track);
        cairo_set_line_width(cr, pass == 0 ? st->track_w + 1.6 : st->track_w);
        for (int t = 0; t < (int)sm_claims_aircraft_count(m->claims); t++) {
            sm__paths_to_cairo(&m->tracks, d, false, t, true);
            cairo_stroke(cr);
        }
    }
    const sm__arrow *ar = m->arrows.data;
    for (size_t i = 0; i < m->arrows.len; i++) {
        if (ar[i].verdict >= 0)
            continue;
        double c = cos(ar[i].angle), s = sin(ar[i].angle), L = 3.2;
        cairo_move_to(cr, ar[i].x - c * L - s * L * 0.8 + c * 1.6,
                      ar[i].y - s * L + c * L * 0.8 + s * 1.6);
        cairo_line_to(cr, ar[i].x + c * 1.6, ar[i].y + s * 1.6);
        cairo_line_to(cr, ar[i].x - c * L + s * L * 0.8 + c * 1.6,
                      ar[i].y - s * L - c * L * 0.8 + s * 1.6);
    }
    sm__set_rgba(cr, st->track);
    cairo_set_line_width(cr, st->track_w * 0.9);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_stroke(cr);
    /* verdict lines, each on a halo */
    for (int v = 0; v < 4; v++) {
        if (!m->has_verdict[v])
            continue;
        sm__paths_to_cairo(&m->vlines, d, false, v, false);
        cairo_set_dash(cr, NULL, 0, 0);
        sm__rgba h = st->halo;
        h.a *= 0.8;
        sm__set_rgba(cr, h);
        cairo_set_line_width(cr, st->verdict_w + 1.4);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        cairo_stroke_preserve(cr);
        set_dash(cr, v, st->verdict_w);
        sm__set_rgba(cr, st->verdict[v]);
        cairo_set_line_width(cr, st->verdict_w);
        cairo_stroke(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    for (size_t i = 0; i < m->arrows.len; i++) {
        if (ar[i].verdict < 0)
            continue;
        draw_arrowhead(cr, ar[i].x, ar[i].y, ar[i].angle, 5.5, 2.6);
        sm__set_rgba(cr, st->halo);
        cairo_set_line_width(cr, 1.0);
        cairo_stroke_preserve(cr);
        sm__set_rgba(cr, st->verdict[ar[i].verdict]);
        cairo_fill(cr);
    }
}

/* An aircraft seen from above, nose up, one unit long. */
static const double g_plane[][2] = {
    {0, -0.50},     {0.045, -0.43}, {0.055, -0.13}, {0.47, 0.07},  {0.47, 0.15},    {0.055, 0.06},
    {0.045, 0.30},  {0.19, 0.41},   {0.19, 0.47},   {0, 0.43},     {-0.19, 0.47},   {-0.19, 0.41},
    {-0.045, 0.30}, {-0.055, 0.06}, {-0.47, 0.15},  {-0.47, 0.07}, {-0.055, -0.13}, {-0.045, -0.43},
};

void sm__draw_marker(const sm_map *m, cairo_t *cr, int kind, int variant, double x, double y,
                     double angle, double scale)
{
    const sm__style *st = &m->style;
    cairo_new_path(cr);
    switch (kind) {
    case SM__MARK_STRIKE: {
        double r = st->strike_size / 2 * scale;
        cairo_arc(cr, x, y, r, 0, 2 * SM__PI);
        sm__set_rgba(cr, st->strike[variant]);
        cairo_fill_preserve(cr);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.95);
        cairo_set_line_width(cr, fmax(0.35, 0.9 * scale));
        cairo_stroke(cr);
        cairo_arc(cr, x, y, r + fmax(0.35, 0.9 * scale) / 2 + 0.15 * scale, 0, 2 * SM__PI);
        cairo_set_source_rgba(cr, 0.15, 0.15, 0.15, 0.5);
        cairo_set_line_width(cr, 0.3 * scale);
        cairo_stroke(cr);
        break;
    }
    case SM__MARK_TRACKFIX:
        cairo_arc(cr, x, y, 1.35, 0, 2 * SM__PI);
        sm__set_rgba(cr, st->track);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
        break;
    case SM__MARK_FIX: {
        double s = st->fix_size;
        cairo_save(cr);
        cairo_translate(cr, x, y);
        cairo_rotate(cr, angle);
        for (size_t i = 0; i < SM__ARRAY_LEN(g_plane); i++)
            cairo_line_to(cr, g_plane[i][0] * s, g_plane[i][1] * s);
        cairo_close_path(cr);
        cairo_restore(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 1.3);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke_preserve(cr);
        sm__set_rgba(cr, st->aircraft);
        cairo_fill(cr);
        break;
    }
    case SM__MARK_BASE: {
        double h = st->base_size / 2;
        cairo_rectangle(cr, x - h, y - h, 2 * h, 2 * h);
        sm__set_rgba(cr, st->base);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 0.9);
        cairo_stroke(cr);
        /* a runway across the square */
        cairo_move_to(cr, x - h * 0.6, y + h * 0.6);
        cairo_line_to(cr, x + h * 0.6, y - h * 0.6);
        cairo_set_line_width(cr, h * 0.35);
        cairo_stroke(cr);
        break;
    }
    default: {
        double r = st->place_size / 2;
        if (variant == 0) {
            cairo_arc(cr, x, y, r * 1.45, 0, 2 * SM__PI);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_fill_preserve(cr);
            sm__set_rgba(cr, st->place_dot);
            cairo_set_line_width(cr, 0.55);
            cairo_stroke(cr);
            cairo_arc(cr, x, y, r * 0.7, 0, 2 * SM__PI);
            cairo_fill(cr);
        } else {
            cairo_arc(cr, x, y, r, 0, 2 * SM__PI);
            sm__set_rgba(cr, st->place_dot);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
        }
        break;
    }
    }
}

/* A marker rendered once at device resolution: strikes by grading (slot
 * 0-5), the track fix dot (slot 6). The sprite's centre is at (sz/2, sz/2). */
static cairo_surface_t *sprite(sm_map *m, int kind, int variant, double dev_k, int *size)
{
    if (m->sprite_scale != dev_k) {
        for (size_t i = 0; i < SM__ARRAY_LEN(m->sprites); i++)
            if (m->sprites[i] != NULL) {
                cairo_surface_destroy(m->sprites[i]);
                m->sprites[i] = NULL;
            }
        m->sprite_scale = dev_k;
    }
    int slot = kind == SM__MARK_STRIKE ? variant : 6;
    /* the marker's radius, its outline, and a pixel for anti-aliasing */
    double r = (kind == SM__MARK_STRIKE ? m->style.strike_size / 2 * m->mark_scale : 1.4) + 0.8 +
               1 / dev_k;
    int sz = (int)ceil(2 * r * dev_k) + 2;
    *size = sz;
    if (m->sprites[slot] == NULL) {
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sz, sz);
        cairo_t *cr = cairo_create(s);
        cairo_translate(cr, sz / 2.0, sz / 2.0);
        cairo_scale(cr, dev_k, dev_k);
        sm__draw_marker(m, cr, kind, variant, 0, 0, 0, m->mark_scale);
        bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
        cairo_destroy(cr);
        cairo_surface_flush(s);
        if (!ok || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
            /* (out of memory: the caller draws the marker as vectors) */
            cairo_surface_destroy(s);
            return NULL;
        }
        m->sprites[slot] = s;
    }
    return m->sprites[slot];
}

/* Porter-Duff OVER of a premultiplied sprite onto the image's pixels,
 * inside the clip: what cairo_paint would do, without its per-call cost. */
static void blit(const sm__draw *d, cairo_surface_t *dst, cairo_surface_t *src, int ix, int iy)
{
    int sz = cairo_image_surface_get_width(src);
    int x0 = ix > d->blit_clip[0] ? ix : d->blit_clip[0];
    int y0 = iy > d->blit_clip[1] ? iy : d->blit_clip[1];
    int x1 = ix + sz < d->blit_clip[2] ? ix + sz : d->blit_clip[2];
    int y1 = iy + sz < d->blit_clip[3] ? iy + sz : d->blit_clip[3];
    if (x0 >= x1 || y0 >= y1)
        return;
    unsigned char *dd = cairo_image_surface_get_data(dst);
    const unsigned char *sd = cairo_image_surface_get_data(src);
    int ds = cairo_image_surface_get_stride(dst), ss = cairo_image_surface_get_stride(src);
    bool opaque = cairo_image_surface_get_format(dst) == CAIRO_FORMAT_RGB24;
    for (int y = y0; y < y1; y++) {
        uint32_t *drow = (uint32_t *)(void *)(dd + (size_t)y * (size_t)ds);
        const uint32_t *srow = (const uint32_t *)(const void *)(sd + (size_t)(y - iy) * (size_t)ss);
        for (int x = x0; x < x1; x++) {
            uint32_t s = srow[x - ix];
            uint32_t a = s >> 24;
            if (a == 0)
                continue;
            if (a == 255) {
                drow[x] = s;
                continue;
            }
            /* dst * (255 - a) / 255 on two channels at a time, rounded
             * (pixman's UN8x4_MUL_UN8), plus the premultiplied source */
            uint32_t t = drow[x], ia = 255 - a;
            uint32_t rb = (t & 0x00ff00ffu) * ia + 0x00800080u;
            rb = ((rb + ((rb >> 8) & 0x00ff00ffu)) >> 8) & 0x00ff00ffu;
            uint32_t ag = ((t >> 8) & 0x00ff00ffu) * ia + 0x00800080u;
            ag = (ag + ((ag >> 8) & 0x00ff00ffu)) & 0xff00ff00u;
            uint32_t out = s + (rb | ag);
            drow[x] = opaque ? out | 0xff000000u : out;
        }
    }
}

static void stamp(sm_map *m, const sm__draw *d, const sm__mark *mk)
{
    int sz;
    cairo_surface_t *s = sprite(m, mk->kind, mk->variant, d->dev_k, &sz);
    if (s == NULL) {
        /* no sprite: the same marker as vectors, in canvas space */
        cairo_save(d->cr);
        cairo_translate(d->cr, d->dev_x, d->dev_y);
        cairo_scale(d->cr, d->dev_k, d->dev_k);
        sm__draw_marker(m, d->cr, mk->kind, mk->variant, mk->x, mk->y, mk->angle,
                        mk->kind == SM__MARK_STRIKE ? m->mark_scale : 1);
        cairo_restore(d->cr);
        return;
    }
    double dx = d->dev_x + mk->x * d->dev_k, dy = d->dev_y + mk->y * d->dev_k;
    double ix = floor(dx - sz / 2.0 + 0.5), iy = floor(dy - sz / 2.0 + 0.5);
    if (d->blit) {
        blit(d, cairo_get_target(d->cr), s, (int)ix, (int)iy);
        return;
    }
    cairo_set_source_surface(d->cr, s, ix, iy);
    cairo_rectangle(d->cr, ix, iy, sz, sz);
    cairo_fill(d->cr);
}

/* Stamp the marks of one kind (device space), or draw them as vectors. */
static void draw_mark(sm_map *m, const sm__draw *d, const sm__mark *mk, double r, bool stamped)
{
    if (mk->x + r < d->clip[0] || mk->x - r > d->clip[2] || mk->y + r < d->clip[1] ||
        mk->y - r > d->clip[3])
        return;
    if (stamped)
        stamp(m, d, mk);
    else
        sm__draw_marker(m, d->cr, mk->kind, mk->variant, mk->x, mk->y, mk->angle,
                        mk->kind == SM__MARK_STRIKE ? m->mark_scale : 1);
}

/* In a run of strikes of one grading (sorted by 4-pt rows), the first
 * whose row is at least b. */
static size_t first_in_bucket(const sm__mark *mk, size_t from, size_t to, double b)
{
    while (from < to) {
        size_t mid = from + (to - from) / 2;
        if (floor(mk[mid].y / 4) < b)
            from = mid + 1;
        else
            to = mid;
    }
    return from;
}

/* Stamp the marks of one kind (device space), or draw them as vectors. */
static void draw_marks(sm_map *m, const sm__draw *d, int kind, size_t count)
{
    cairo_t *cr = d->cr;
    const sm__mark *mk = m->marks.data;
    double r = mark_radius(m, kind) + 1.5;
    bool stamped = d->raster && count >= 64;
    if (stamped) {
        cairo_save(cr);
        cairo_identity_matrix(cr);
        if (d->blit)
            cairo_surface_flush(cairo_get_target(cr));
    }
    size_t first_strike = m->marks.len - m->n_strike_marks;
    if (kind == SM__MARK_STRIKE) {
        /* Each grading's run of strikes, from the rows of the region
         * drawn (a band of a PNG holds a twentieth of them). */
        double b0 = floor((d->clip[1] - r) / 4), b1 = floor((d->clip[3] + r) / 4);
        for (int g = 0; g < 6; g++) {
            size_t i = m->strike_run[g], end = m->strike_run[g + 1];
            if (i >= end)
                continue;
            for (size_t j = first_in_bucket(mk, i, end, b0); j < end && floor(mk[j].y / 4) <= b1;
                 j++)
                draw_mark(m, d, &mk[j], r, stamped);
        }
    } else {
        for (size_t i = 0; i < first_strike; i++)
            if (mk[i].kind == kind)
                draw_mark(m, d, &mk[i], r, stamped);
    }
    if (stamped) {
        if (d->blit)
            cairo_surface_mark_dirty(cairo_get_target(cr));
        cairo_restore(cr);
    }
}

void sm__draw_layers_over(sm_map *m, const sm__draw *d)
{
    cairo_t *cr = d->cr;
    /* place dots of the places that got a name */
    sm__label **ls = m->labels.data;
    for (size_t i = 0; i < m->labels.len; i++)
        if (ls[i]->placed &&
            (ls[i]->kind == SM__LABEL_PLACE || ls[i]->kind == SM__LABEL_PLACE_MAJOR))
            sm__draw_marker(m, cr, SM__MARK_PLACE, ls[i]->variant, ls[i]->ax, ls[i]->ay, 0, 1);
    size_t count[5] = {0, 0, 0, 0, 0};
    const sm__mark *mk = m->marks.data;
    for (size_t i = 0; i < m->marks.len; i++)
        count[mk[i].kind]++;
    /* track dots, then bases and aircraft, then strikes on top */
    draw_marks(m, d, SM__MARK_TRACKFIX, count[SM__MARK_TRACKFIX]);
    draw_marks(m, d, SM__MARK_BASE, count[SM__MARK_BASE]);
    draw_marks(m, d, SM__MARK_FIX, 0);
    draw_marks(m, d, SM__MARK_STRIKE, count[SM__MARK_STRIKE]);
}
