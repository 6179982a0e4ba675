/*
 * map_smarks.c: the strike markers (SPEC §8: a map's memory does not grow
 * with the strikes). A million strikes drawn one by one are a million
 * markers. They are added as a pass over the strikes places them, in runs
 * of SM__SMARK_RUN: a full run is sorted in drawing order (grading, the
 * best attested last, on top where strikes share a spot; then by 4-pt
 * row, then left to right), indexed by (grading, row), and written to a
 * scratch file (core/files.c); only the run being filled stays in memory.
 * Drawing a region reads from each run the rows it holds, one grading at
 * a time, and puts them back in drawing order. Up to SM__SMARK_RUN markers
 * (most maps) nothing is written or copied. The order does not depend on
 * how the strikes came (held or streamed), so neither do the bytes.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

/* Rows of 4 pt: the sort's second key and the index's unit. */
static long row_of(double y)
{
    return (long)floor(y / 4);
}

int sm__grading_rank(int g)
{
    static const int rank[6] = {
        [SM_GRADING_DISCOUNTED] = 0, [SM_GRADING_CONTESTED] = 1, [SM_GRADING_WEAK] = 2,
        [SM_GRADING_NONE] = 3,       [SM_GRADING_FAIR] = 4,      [SM_GRADING_CONFIRMED] = 5};
    return g >= 0 && g < 6 ? rank[g] : 3;
}

/* Within one grading and one row: left to right, then top to bottom. */
static int cmp_in_row(const void *a, const void *b)
{
    const sm__smark *x = a, *y = b;
    if (x->x != y->x)
        return x->x < y->x ? -1 : 1;
    return (x->y > y->y) - (x->y < y->y);
}

/* Sort a run in drawing order and index it: a counting sort in place by
 * (grading, row), each bucket then sorted alone (glibc's qsort would copy
 * the whole run). False when out of memory. */
static bool sort_run(sm__smark_run *r, sm__smark *mk)
{
    size_t n = r->n;
    long r0 = LONG_MAX, r1 = LONG_MIN;
    for (size_t i = 0; i < n; i++) {
        long row = row_of(mk[i].y);
        r0 = row < r0 ? row : r0;
        r1 = row > r1 ? row : r1;
    }
    if (n == 0)
        r0 = r1 = 0;
    size_t rows = (size_t)(r1 - r0) + 1, nb = 6 * rows;
    size_t *start = rows < SIZE_MAX / 16 ? calloc(2 * nb + 1, sizeof(size_t)) : NULL;
    if (start == NULL)
        return false;
    size_t *next = start + nb + 1;
#define BUCKET(k) ((size_t)sm__grading_rank((k).variant) * rows + (size_t)(row_of((k).y) - r0))
    for (size_t i = 0; i < n; i++)
        start[BUCKET(mk[i]) + 1]++;
    for (size_t b = 0; b < nb; b++)
        start[b + 1] += start[b];
    memcpy(next, start, nb * sizeof(size_t));
    /* each marker swapped straight into its bucket (American flag sort) */
    for (size_t b = 0; b < nb; b++)
        while (next[b] < start[b + 1]) {
            size_t t = BUCKET(mk[next[b]]);
            if (t == b) {
                next[b]++;
                continue;
            }
            sm__smark tmp = mk[next[t]];
            mk[next[t]++] = mk[next[b]];
            mk[next[b]] = tmp;
        }
#undef BUCKET
    for (size_t b = 0; b < nb; b++)
        if (start[b + 1] - start[b] > 1)
            qsort(mk + start[b], start[b + 1] - start[b], sizeof(*mk), cmp_in_row);
    /* keep only the bucket starts */
    size_t *keep = realloc(start, (nb + 1) * sizeof(size_t));
    r->start = keep != NULL ? keep : start;
    r->r0 = r0;
    r->rows = rows;
    return true;
}

void sm__smarks_free(sm__smarks *s)
{
    for (size_t i = 0; i < s->n_runs; i++) {
        free(s->runs[i].mem);
        free(s->runs[i].start);
    }
    free(s->runs);
    free(s->buf);
    if (s->file != NULL)
        fclose(s->file);
    memset(s, 0, sizeof(*s));
}

static bool file_failed(sm_map *m, const char *what)
{
    if (m->status == SM_OK) {
        int e = errno;
        m->status = e == ENOMEM ? SM_ERR_NOMEM : SM_ERR_IO;
        sm__diag(m->ctx, SM_SEV_ERROR, sm__scratch_dir(), -1, NULL, NULL,
                 "cannot %s the temporary copy of the strike markers (TMPDIR): %s", what,
                 strerror(e));
    }
    return false;
}

/* The run being filled, sorted and indexed; written out when it is full
 * (a later one may follow), else kept in memory. */
static bool close_run(sm_map *m, sm__smarks *s, bool full)
{
    if (s->len == 0)
        return true;
    if (s->n_runs == s->cap_runs) {
        size_t cap = s->cap_runs ? 2 * s->cap_runs : 4;
        sm__smark_run *runs = realloc(s->runs, cap * sizeof(*runs));
        if (runs == NULL) {
            sm__map_nomem(m, "strike markers");
            return false;
        }
        s->runs = runs;
        s->cap_runs = cap;
    }
    sm__smark_run *r = &s->runs[s->n_runs];
    memset(r, 0, sizeof(*r));
    r->n = s->len;
    if (!sort_run(r, s->buf)) {
        sm__map_nomem(m, "strike markers");
        return false;
    }
    s->n_runs++;
    if (!full) {
        r->mem = s->buf; /* the last run stays */
        s->buf = NULL;
        s->len = s->cap = 0;
        return true;
    }
    if (s->file == NULL && (s->file = sm__scratch_open()) == NULL)
        return file_failed(m, "make");
    if (fseeko(s->file, 0, SEEK_END) != 0)
        return file_failed(m, "write");
    r->off = ftello(s->file);
    if (r->off < 0 || fwrite(s->buf, sizeof(sm__smark), s->len, s->file) != s->len)
        return file_failed(m, "write");
    s->len = 0;
    return true;
}

/* Markers a run holds: SM__SMARK_RUN, or for tests SM_MAP_MARK_RUN (a
 * small run makes a small map take the path a large one takes). */
static size_t run_size(sm__smarks *s)
{
    if (s->run == 0)
        s->run = sm__run_size("SM_MAP_MARK_RUN", SM__SMARK_RUN);
    return s->run;
}

bool sm__smarks_add(sm_map *m, double x, double y, int variant)
{
    sm__smarks *s = &m->cl.smarks;
    size_t run = run_size(s);
    if (s->len == run && !close_run(m, s, true))
        return false;
    if (s->len == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        cap = cap > run ? run : cap;
        sm__smark *buf = realloc(s->buf, cap * sizeof(*buf));
        if (buf == NULL) {
            sm__map_nomem(m, "strike markers");
            return false;
        }
        s->buf = buf;
        s->cap = cap;
    }
    s->buf[s->len++] = (sm__smark){x, y, variant};
    s->n++;
    return true;
}

bool sm__smarks_finish(sm_map *m)
{
    sm__smarks *s = &m->cl.smarks;
    if (!close_run(m, s, false))
        return false;
    if (s->file != NULL && fflush(s->file) != 0)
        return file_failed(m, "write");
    return true;
}

/* Markers [from, to) of run r: in memory, or read into *tmp (grown as
 * needed). NULL when out of memory or the file cannot be read. */
static const sm__smark *run_range(sm__smarks *s, const sm__smark_run *r, size_t from, size_t to,
                                  sm__vec *tmp)
{
    if (r->mem != NULL)
        return r->mem + from;
    size_t n = to - from;
    size_t at = tmp->len;
    if (!sm__vec_reserve(tmp, at + n))
        return NULL;
    sm__smark *dst = (sm__smark *)tmp->data + at;
    if (fseeko(s->file, r->off + (off_t)(from * sizeof(sm__smark)), SEEK_SET) != 0 ||
        fread(dst, sizeof(sm__smark), n, s->file) != n) {
        s->read_failed = true;
        return NULL;
    }
    tmp->len = at + n;
    return dst;
}

/* The bucket range of rows [a, b] of grading rank g in run r. */
static void rows_range(const sm__smark_run *r, int g, long a, long b, size_t *from, size_t *to)
{
    long lo = a - r->r0, hi = b - r->r0;
    if (hi < 0 || lo >= (long)r->rows || a > b) {
        *from = *to = 0;
        return;
    }
    lo = lo < 0 ? 0 : lo;
    hi = hi >= (long)r->rows ? (long)r->rows - 1 : hi;
    *from = r->start[(size_t)g * r->rows + (size_t)lo];
    *to = r->start[(size_t)g * r->rows + (size_t)hi + 1];
}

/* Rows of 4 pt read at a time when markers come from several runs: they
 * are gathered and merged in memory (a vector drawing holds this many
 * rows' markers of one grading at once, not the map's). */
#define SLAB_ROWS 64

/* Whether a is drawn before b: by row, then as cmp_in_row. */
static bool drawn_first(const sm__smark *a, const sm__smark *b)
{
    long ra = row_of(a->y), rb = row_of(b->y);
    if (ra != rb)
        return ra < rb;
    return a->x < b->x || (a->x == b->x && a->y < b->y);
}

/* The ns sorted segments of a (segment i is [seg[i], seg[i + 1])) merged
 * in drawing order, two by two, through b: in whichever of a and b is
 * returned. Each run's rows are in drawing order already, so this is
 * linear a pass and log2(ns) passes (a sort of the whole slab took a
 * third of a million-strike map's drawing). Markers that compare equal
 * are the same stamp at the same place: their order changes no pixel. */
static sm__smark *merge_runs(sm__smark *a, sm__smark *b, size_t *seg, size_t ns)
{
    while (ns > 1) {
        size_t j = 0;
        for (size_t i = 0; i < ns; i += 2) {
            size_t lo = seg[i], mid = seg[i + 1], hi = i + 2 <= ns ? seg[i + 2] : mid;
            size_t p = lo, q = mid, o = lo;
            while (p < mid && q < hi)
                b[o++] = drawn_first(&a[q], &a[p]) ? a[q++] : a[p++];
            while (p < mid)
                b[o++] = a[p++];
            while (q < hi)
                b[o++] = a[q++];
            seg[j++] = lo;
        }
        seg[j] = seg[ns];
        ns = j;
        sm__smark *t = a;
        a = b;
        b = t;
    }
    return a;
}

bool sm__smarks_each(sm_map *m, double y0, double y1, sm__smarks_fn fn, void *user)
{
    sm__smarks *s = &m->cl.smarks;
    if (s->n == 0 || !(y0 <= y1))
        return true;
    long a = row_of(y0), b = row_of(y1);
    if (s->n_runs == 1 && s->runs[0].mem != NULL) {
        const sm__smark_run *r = &s->runs[0];
        for (int g = 0; g < 6; g++) {
            size_t from, to;
            rows_range(r, g, a, b, &from, &to);
            if (to > from && !fn(m, r->mem + from, to - from, user))
                return true;
        }
        return true;
    }
    sm__vec tmp, alt;
    sm__vec_init(&tmp, sizeof(sm__smark));
    sm__vec_init(&alt, sizeof(sm__smark));
    size_t *seg = malloc((s->n_runs + 1) * sizeof(*seg));
    bool ok = seg != NULL;
    for (int g = 0; g < 6 && ok; g++)
        for (long sa = a; sa <= b && ok; sa += SLAB_ROWS) {
            long sb = sa + SLAB_ROWS - 1 < b ? sa + SLAB_ROWS - 1 : b;
            tmp.len = 0;
            size_t ns = 0;
            for (size_t k = 0; k < s->n_runs && ok; k++) {
                size_t from, to;
                rows_range(&s->runs[k], g, sa, sb, &from, &to);
                if (to == from)
                    continue;
                seg[ns++] = tmp.len;
                const sm__smark *src = run_range(s, &s->runs[k], from, to, &tmp);
                if (src == NULL)
                    ok = false;
                else if (s->runs[k].mem != NULL) {
                    size_t at = tmp.len;
                    ok = sm__vec_reserve(&tmp, at + (to - from));
                    if (ok) {
                        memcpy((sm__smark *)tmp.data + at, src, (to - from) * sizeof(sm__smark));
                        tmp.len = at + (to - from);
                    }
                }
            }
            const sm__smark *in_order = tmp.data;
            if (ok && ns > 1) {
                seg[ns] = tmp.len;
                ok = sm__vec_reserve(&alt, tmp.len);
                if (ok)
                    in_order = merge_runs(tmp.data, alt.data, seg, ns);
            }
            if (ok && tmp.len > 0 && !fn(m, in_order, tmp.len, user))
                break;
        }
    sm__vec_free(&tmp);
    sm__vec_free(&alt);
    free(seg);
    if (!ok)
        s->failed = true;
    return ok;
}

size_t sm__smarks_sample(sm_map *m, double *xy, size_t max)
{
    sm__smarks *s = &m->cl.smarks;
    if (s->n == 0 || max == 0)
        return 0;
    size_t step = s->n / max + 1, k = 0, base = 0;
    sm__vec tmp;
    sm__vec_init(&tmp, sizeof(sm__smark));
    for (size_t r = 0; r < s->n_runs; r++) {
        const sm__smark_run *run = &s->runs[r];
        size_t i = base % step == 0 ? 0 : step - base % step;
        for (; i < run->n && k < max; i += step) {
            tmp.len = 0;
            const sm__smark *p = run_range(s, run, i, i + 1, &tmp);
            if (p == NULL) {
                s->failed = true;
                sm__vec_free(&tmp);
                return k;
            }
            xy[2 * k] = p->x;
            xy[2 * k + 1] = p->y;
            k++;
        }
        base += run->n;
    }
    sm__vec_free(&tmp);
    return k;
}

sm_status sm__smarks_status(sm_map *m, const char *path)
{
    sm__smarks *s = &m->cl.smarks;
    if (!s->failed)
        return SM_OK;
    if (!s->read_failed)
        return sm__nomem(m->ctx, path, -1, NULL, "drawing the strike markers");
    sm__diag(m->ctx, SM_SEV_ERROR, sm__scratch_dir(), -1, NULL, NULL,
             "cannot read the temporary copy of the strike markers back (TMPDIR); %s not written",
             path != NULL ? path : "the map was");
    return SM_ERR_IO;
}
