/*
 * idruns.c: the strike ids of a stream as 64-bit hashes (SPEC §8: a
 * stream's memory does not grow with the strikes). Before its batches, a
 * stream must know which ids come more than once and whether a name (an
 * aircraft's base, an attribution) is some strike's id. Held whole, the
 * hashes were 8 bytes a strike, and their array's doubling made a
 * million-strike render peak at 16 MB above its drawing. Here they are
 * kept in runs of SM__IDRUN: a full run is sorted and written to a scratch
 * file (core/files.c); at the end of the survey one merge of the runs
 * reads every hash in order once and finds both. Up to SM__IDRUN strikes
 * (most files) nothing is written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "claims/idruns.h"
#include "core/internal.h"

/* Hashes read at a time from each written run in the merge (4 KB). */
#define READ_AHEAD 512

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

void sm__idruns_free(sm__idruns *r)
{
    free(r->buf);
    free(r->runs);
    if (r->file != NULL)
        fclose(r->file);
    memset(r, 0, sizeof(*r));
}

/* SM__IDRUN, or for tests SM_STREAM_ID_RUN (a small run makes a small
 * file take the path a large one takes). */
static size_t run_size(sm__idruns *r)
{
    if (r->run == 0)
        r->run = sm__run_size("SM_STREAM_ID_RUN", SM__IDRUN);
    return r->run;
}

/* Sort n hashes: least significant byte first, through a buffer of the
 * same size (qsort's merge sort allocates one too, and took 8 % of the
 * reading of a million strikes); qsort when the buffer cannot be had. */
static void sort_hashes(uint64_t *v, size_t n)
{
    uint64_t *t = n > 1 ? malloc(n * sizeof(*t)) : NULL;
    if (t == NULL) {
        if (n > 1)
            qsort(v, n, sizeof(*v), cmp_u64);
        return;
    }
    uint64_t *src = v, *dst = t;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((src[i] >> shift) & 255) + 1]++;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 255]++] = src[i];
        uint64_t *x = src;
        src = dst;
        dst = x;
    }
    /* eight passes: the sorted hashes are back in v */
    free(t);
}

/* Room for one more in a growing array of hashes: doubled from first, to
 * at most max. False when out of memory. */
static bool grow(uint64_t **v, size_t *cap, size_t first, size_t max)
{
    size_t c = *cap ? 2 * *cap : first;
    c = c > max ? max : c;
    uint64_t *g = realloc(*v, c * sizeof(*g));
    if (g == NULL)
        return false;
    *v = g;
    *cap = c;
    return true;
}

/* Sort the run being filled and write it after the others. */
static sm_status spill(sm__idruns *r)
{
    if (r->n_runs == r->runs_cap) {
        size_t cap = r->runs_cap ? 2 * r->runs_cap : 16;
        size_t *g = realloc(r->runs, cap * sizeof(*g));
        if (g == NULL)
            return SM_ERR_NOMEM;
        r->runs = g;
        r->runs_cap = cap;
    }
    if (r->file == NULL && (r->file = sm__scratch_open()) == NULL)
        return errno == ENOMEM ? SM_ERR_NOMEM : SM_ERR_IO;
    sort_hashes(r->buf, r->len);
    if (fwrite(r->buf, sizeof(*r->buf), r->len, r->file) != r->len)
        return SM_ERR_IO;
    r->runs[r->n_runs++] = r->len;
    r->len = 0;
    return SM_OK;
}

sm_status sm__idruns_add(sm__idruns *r, uint64_t h)
{
    size_t run = run_size(r);
    if (r->len == run) {
        sm_status st = spill(r);
        if (st != SM_OK)
            return st;
    }
    if (r->len == r->cap && !grow(&r->buf, &r->cap, 4096, run))
        return SM_ERR_NOMEM;
    r->buf[r->len++] = h;
    return SM_OK;
}

/* One run in the merge: the hashes it has left, some read ahead. */
typedef struct cursor {
    const uint64_t *at; /* the next hash */
    size_t ahead;       /* hashes at `at` */
    size_t left;        /* in the file past them */
    off_t off;          /* of those */
    uint64_t *buf;      /* READ_AHEAD, for a written run; NULL for the one in memory */
} cursor;

/* The cursor's next hash in *at (read ahead when needed); false when the
 * run is done or (*io set) cannot be read. */
static bool cursor_ready(FILE *f, cursor *c, bool *io)
{
    if (c->ahead > 0)
        return true;
    if (c->left == 0 || c->buf == NULL)
        return false;
    size_t n = c->left < READ_AHEAD ? c->left : READ_AHEAD;
    if (fseeko(f, c->off, SEEK_SET) != 0 || fread(c->buf, sizeof(*c->buf), n, f) != n) {
        *io = true;
        return false;
    }
    c->at = c->buf;
    c->ahead = n;
    c->left -= n;
    c->off += (off_t)(n * sizeof(*c->buf));
    return true;
}

/* A min-heap of cursors by their next hash. */
static void sift_down(cursor **h, size_t n, size_t i)
{
    for (;;) {
        size_t m = i, l = 2 * i + 1, r = l + 1;
        if (l < n && *h[l]->at < *h[m]->at)
            m = l;
        if (r < n && *h[r]->at < *h[m]->at)
            m = r;
        if (m == i)
            return;
        cursor *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* Note one hash of the merged order: a repeat, a query's answer. */
typedef struct scan {
    const uint64_t *q;
    size_t nq, qi;
    bool *present;
    uint64_t *dup;
    size_t n_dup, dup_cap;
    uint64_t prev;
    bool any;
} scan;

static bool note(scan *s, uint64_t v)
{
    if (s->any && v == s->prev) {
        if (s->n_dup == 0 || s->dup[s->n_dup - 1] != v) {
            if (s->n_dup == s->dup_cap && !grow(&s->dup, &s->dup_cap, 16, SIZE_MAX / 16))
                return false;
            s->dup[s->n_dup++] = v;
        }
        return true;
    }
    while (s->qi < s->nq && s->q[s->qi] < v)
        s->qi++;
    if (s->qi < s->nq && s->q[s->qi] == v)
        s->present[s->qi] = true;
    s->prev = v;
    s->any = true;
    return true;
}

sm_status sm__idruns_scan(sm__idruns *r, const uint64_t *q, size_t nq, bool *present,
                          uint64_t **dup, size_t *n_dup)
{
    scan s = {q, nq, 0, present, NULL, 0, 0, 0, false};
    for (size_t i = 0; i < nq; i++)
        present[i] = false;
    size_t k = r->n_runs + 1;
    cursor *cs = calloc(k, sizeof(*cs));
    cursor **heap = calloc(k, sizeof(cursor *));
    uint64_t *bufs = r->n_runs > 0 ? malloc(r->n_runs * READ_AHEAD * sizeof(*bufs)) : NULL;
    sm_status st = cs == NULL || heap == NULL || (r->n_runs > 0 && bufs == NULL) ? SM_ERR_NOMEM
                   : r->file != NULL && fflush(r->file) != 0                     ? SM_ERR_IO
                                                                                 : SM_OK;
    bool io = false;
    size_t n = 0;
    off_t off = 0;
    for (size_t i = 0; i < r->n_runs && st == SM_OK; i++) {
        cs[i] = (cursor){NULL, 0, r->runs[i], off, bufs + i * READ_AHEAD};
        off += (off_t)(r->runs[i] * sizeof(uint64_t));
        if (cursor_ready(r->file, &cs[i], &io))
            heap[n++] = &cs[i];
    }
    if (st == SM_OK && r->len > 0) {
        sort_hashes(r->buf, r->len);
        cs[k - 1] = (cursor){r->buf, r->len, 0, 0, NULL};
        heap[n++] = &cs[k - 1];
    }
    for (size_t i = n / 2; i-- > 0;)
        sift_down(heap, n, i);
    while (st == SM_OK && !io && n > 0) {
        cursor *c = heap[0];
        if (!note(&s, *c->at)) {
            st = SM_ERR_NOMEM;
            break;
        }
        c->at++;
        c->ahead--;
        if (!cursor_ready(r->file, c, &io))
            heap[0] = heap[--n];
        sift_down(heap, n, 0);
    }
    if (st == SM_OK && io)
        st = SM_ERR_IO;
    free(cs);
    free(heap);
    free(bufs);
    sm__idruns_free(r);
    if (st != SM_OK) {
        free(s.dup);
        s.dup = NULL;
        s.n_dup = 0;
    }
    *dup = s.dup;
    *n_dup = s.n_dup;
    return st;
}

/* ---- names asked about ------------------------------------------------------ */

uint64_t sm__id_hash(const char *id)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a, then a finaliser */
    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 1099511628211ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

bool sm__id_listed(const uint64_t *sorted, size_t n, const char *id)
{
    uint64_t h = sm__id_hash(id);
    return n > 0 && bsearch(&h, sorted, n, sizeof(h), cmp_u64) != NULL;
}

bool sm__idquery_init(sm__idquery *q, size_t cap)
{
    memset(q, 0, sizeof(*q));
    q->h = malloc((cap + 1) * sizeof(*q->h));
    q->is = malloc((cap + 1) * sizeof(*q->is));
    q->cap = cap;
    return q->h != NULL && q->is != NULL;
}

bool sm__idquery_add(sm__idquery *q, const char *name)
{
    if (q->n == q->cap) {
        size_t cap = 2 * q->cap + 16;
        uint64_t *h = realloc(q->h, cap * sizeof(*h));
        if (h != NULL)
            q->h = h;
        bool *is = realloc(q->is, cap * sizeof(*is));
        if (is != NULL)
            q->is = is;
        if (h == NULL || is == NULL)
            return false;
        q->cap = cap;
    }
    q->h[q->n++] = sm__id_hash(name);
    return true;
}

sm_status sm__idquery_ask(sm__idquery *q, sm__idruns *r, uint64_t **dup, size_t *n_dup)
{
    if (q->n > 1)
        qsort(q->h, q->n, sizeof(*q->h), cmp_u64);
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        if (n == 0 || q->h[n - 1] != q->h[i])
            q->h[n++] = q->h[i];
    q->n = n;
    return sm__idruns_scan(r, q->h, n, q->is, dup, n_dup);
}

bool sm__idquery_is(const sm__idquery *q, const char *name)
{
    uint64_t h = sm__id_hash(name);
    const uint64_t *at = q->n > 0 ? bsearch(&h, q->h, q->n, sizeof(h), cmp_u64) : NULL;
    return at != NULL && q->is[at - q->h];
}

void sm__idquery_free(sm__idquery *q)
{
    free(q->h);
    free(q->is);
    memset(q, 0, sizeof(*q));
}
