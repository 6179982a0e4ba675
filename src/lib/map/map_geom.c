/*
 * map_geom.c: geometry in canvas points: the sm__paths container, cutting
 * paths to the region drawn, polygon and segment clipping, point in
 * polygon, and a set of quantised keys. The lon/lat side (projections that
 * tear along a meridian, shapes around a pole) is map_shapes.c's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_geom.h"
/* ---- sm__paths --------------------------------------------------------- */

void sm__paths_init(sm__paths *p)
{
    sm__vec_init(&p->pts, 2 * sizeof(double));
    sm__vec_init(&p->parts, sizeof(sm__part));
}

void sm__paths_free(sm__paths *p)
{
    sm__vec_free(&p->pts);
    sm__vec_free(&p->parts);
}

bool sm__paths_add(sm__paths *p, const double *xy, size_t n, int tag, bool polygon, double tol)
{
    size_t need = polygon ? 3 : 2;
    if (n < need)
        return false;
    if (!sm__vec_reserve(&p->pts, p->pts.len + n)) {
        p->failed = true;
        return false;
    }
    double *out = (double *)p->pts.data + 2 * p->pts.len;
    double t2 = tol * tol;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (!isfinite(x) || !isfinite(y))
            continue;
        if (k > 0) {
            double dx = x - out[2 * (k - 1)], dy = y - out[2 * (k - 1) + 1];
            if (dx * dx + dy * dy < t2) {
                /* Keep a polyline's last point exact: it may meet another. */
                if (!polygon && i + 1 == n && k > 1) {
                    out[2 * (k - 1)] = x;
                    out[2 * (k - 1) + 1] = y;
                }
                continue;
            }
        }
        out[2 * k] = x;
        out[2 * k + 1] = y;
        k++;
    }
    if (polygon && k > 1 && out[0] == out[2 * (k - 1)] && out[1] == out[2 * (k - 1) + 1])
        k--;
    if (k < need)
        return false;
    sm__part *part = sm__vec_push(&p->parts);
    if (part == NULL) {
        p->failed = true;
        return false;
    }
    part->start = p->pts.len;
    part->n = k;
    part->tag = tag;
    double b[4] = {out[0], out[1], out[0], out[1]};
    for (size_t i = 1; i < k; i++) {
        b[0] = fmin(b[0], out[2 * i]);
        b[1] = fmin(b[1], out[2 * i + 1]);
        b[2] = fmax(b[2], out[2 * i]);
        b[3] = fmax(b[3], out[2 * i + 1]);
    }
    memcpy(part->box, b, sizeof(b));
    p->pts.len += k;
    return true;
}

static void emit(cairo_t *cr, const double *q, size_t n, bool close)
{
    cairo_move_to(cr, q[0], q[1]);
    for (size_t j = 1; j < n; j++)
        cairo_line_to(cr, q[2 * j], q[2 * j + 1]);
    if (close)
        cairo_close_path(cr);
}

void sm__paths_to_cairo(const sm__paths *p, const sm__draw *d, bool close, int tag, bool cut)
{
    cairo_t *cr = d->cr;
    const double *pts = p->pts.data;
    const sm__part *parts = p->parts.data;
    const double *c = d->cull;
    double *buf = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < p->parts.len; i++) {
        const sm__part *pt = &parts[i];
        if (tag >= 0 && pt->tag != tag)
            continue;
        if (pt->box[2] < c[0] || pt->box[0] > c[2] || pt->box[3] < c[1] || pt->box[1] > c[3])
            continue;
        const double *q = pts + 2 * pt->start;
        bool inside =
            pt->box[0] >= c[0] && pt->box[2] <= c[2] && pt->box[1] >= c[1] && pt->box[3] <= c[3];
        if (inside || !cut || !d->banded) {
            emit(cr, q, pt->n, close);
        } else if (close) {
            size_t k = sm__clip_polygon(q, pt->n, c[0], c[1], c[2], c[3], &buf, &cap);
            if (buf == NULL)
                emit(cr, q, pt->n, true); /* out of memory: uncut, slower but the same */
            else if (k >= 3)
                emit(cr, buf, k, true);
        } else {
            /* runs of the polyline inside the band */
            bool open = false;
            for (size_t j = 0; j + 1 < pt->n; j++) {
                double t0, t1;
                if (!sm__clip_segment(q + 2 * j, q + 2 * j + 2, c, &t0, &t1)) {
                    open = false;
                    continue;
                }
                const double *a = q + 2 * j, *b = q + 2 * j + 2;
                if (!open || t0 > 0)
                    cairo_move_to(cr, a[0] + t0 * (b[0] - a[0]), a[1] + t0 * (b[1] - a[1]));
                cairo_line_to(cr, a[0] + t1 * (b[0] - a[0]), a[1] + t1 * (b[1] - a[1]));
                open = t1 >= 1;
            }
        }
    }
    free(buf);
}

/* ---- clipping ------------------------------------------------------------- */

bool sm__grow_points(double **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    double *b = realloc(*buf, c * 2 * sizeof(double));
    if (b == NULL)
        return false;
    *buf = b;
    *cap = c;
    return true;
}

/* One edge of Sutherland-Hodgman: keep the side where sign * (coord - v) >= 0,
 * coord x (axis 0) or y (axis 1). */
size_t sm__clip_edge(const double *in, size_t n, double *out, int axis, double v, double sign)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const double *a = in + 2 * ((i + n - 1) % n), *b = in + 2 * i;
        double da = sign * (a[axis] - v), db = sign * (b[axis] - v);
        if (db >= 0) {
            if (da < 0) {
                double t = da / (da - db);
                out[2 * k] = a[0] + t * (b[0] - a[0]);
                out[2 * k + 1] = a[1] + t * (b[1] - a[1]);
                out[2 * k + axis] = v;
                k++;
            }
            out[2 * k] = b[0];
            out[2 * k + 1] = b[1];
            k++;
        } else if (da >= 0) {
            double t = da / (da - db);
            out[2 * k] = a[0] + t * (b[0] - a[0]);
            out[2 * k + 1] = a[1] + t * (b[1] - a[1]);
            out[2 * k + axis] = v;
            k++;
        }
    }
    return k;
}

size_t sm__clip_polygon(const double *in, size_t n, double x0, double y0, double x1, double y1,
                        double **out, size_t *cap)
{
    /* Quick accept: everything inside. */
    bool inside = true;
    for (size_t i = 0; i < n && inside; i++)
        inside = in[2 * i] >= x0 && in[2 * i] <= x1 && in[2 * i + 1] >= y0 && in[2 * i + 1] <= y1;
    if (!sm__grow_points(out, cap, 2 * n + 8)) {
        free(*out);
        *out = NULL;
        *cap = 0;
        return 0;
    }
    if (inside) {
        memcpy(*out, in, n * 2 * sizeof(double));
        return n;
    }
    /* Each pass adds at most one point per edge it cuts: 2n is plenty. */
    if (n > SIZE_MAX / (8 * sizeof(double)) - 8) {
        free(*out);
        *out = NULL;
        *cap = 0;
        return 0;
    }
    /* never 0 bytes: n is bounded just above (the analyzer assumes a wrap) */
    /* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI) */
    double *tmp = malloc((2 * n + 8) * 2 * sizeof(double));
    if (tmp == NULL) {
        free(*out);
        *out = NULL;
        *cap = 0;
        return 0;
    }
    size_t k = sm__clip_edge(in, n, tmp, 0, x0, 1);
    k = sm__clip_edge(tmp, k, *out, 0, x1, -1);
    k = sm__clip_edge(*out, k, tmp, 1, y0, 1);
    k = sm__clip_edge(tmp, k, *out, 1, y1, -1);
    free(tmp);
    return k;
}

/* Liang-Barsky: the part of segment a-b inside the rectangle as t0..t1. */
bool sm__clip_segment(const double *a, const double *b, const double r[4], double *t0, double *t1)
{
    double dx = b[0] - a[0], dy = b[1] - a[1];
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {a[0] - r[0], r[2] - a[0], a[1] - r[1], r[3] - a[1]};
    *t0 = 0;
    *t1 = 1;
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0) {
            if (t > *t1)
                return false;
            if (t > *t0)
                *t0 = t;
        } else {
            if (t < *t0)
                return false;
            if (t < *t1)
                *t1 = t;
        }
    }
    return true;
}

bool sm__paths_contains(const sm__paths *p, int tag, double x, double y)
{
    const double *pts = p->pts.data;
    const sm__part *parts = p->parts.data;
    bool in = false;
    for (size_t i = 0; i < p->parts.len; i++) {
        if (parts[i].tag != tag)
            continue;
        const double *q = pts + 2 * parts[i].start;
        size_t n = parts[i].n;
        for (size_t a = 0, b = n - 1; a < n; b = a++) {
            double xa = q[2 * a], ya = q[2 * a + 1], xb = q[2 * b], yb = q[2 * b + 1];
            if ((ya > y) != (yb > y) && x < (xb - xa) * (y - ya) / (yb - ya) + xa)
                in = !in;
        }
    }
    return in;
}

/* ---- a set of keys ---------------------------------------------------------- */

static uint64_t key_hash(const sm__key *k)
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

static bool key_eq(const sm__key *x, const sm__key *y)
{
    return x->a == y->a && x->b == y->b && x->c == y->c && x->d == y->d && x->kind == y->kind &&
           x->verdict == y->verdict;
}

static bool key_set_grow(sm__key_set *ks)
{
    size_t cap = ks->cap ? ks->cap * 2 : 256;
    sm__key *slots = calloc(cap, sizeof(*slots));
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

void sm__key_set_free(sm__key_set *ks)
{
    free(ks->slots);
    memset(ks, 0, sizeof(*ks));
}

bool sm__key_seen(sm__key_set *ks, const double q[4], int kind, int verdict, bool *nomem)
{
    sm__key k = {llround(q[0] * 1e7),
                 llround(q[1] * 1e7),
                 llround(q[2] * 1e7),
                 llround(q[3] * 1e7),
                 kind,
                 verdict,
                 true};
    if (2 * (ks->len + 1) > ks->cap && !key_set_grow(ks)) {
        *nomem = true;
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
