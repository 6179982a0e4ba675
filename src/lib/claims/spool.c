/*
 * spool.c: a claim stream's strikes kept on disk between its two passes
 * (stream.c). The first pass reads each strike once through OGR and writes
 * its record here; the second reads the records back in batches, much
 * faster than parsing the source again, and works for sources that cannot
 * be read twice (standard input). The file is made in TMPDIR (else /tmp)
 * and unlinked at once (stream.c): nothing is left behind, whatever ends
 * the run.
 *
 * A record: its length, then the sm_strike itself (its numbers; its pointers are rebuilt
 * on reading), then its texts, its file as an index into the set's list of
 * sources, its lists (attributions, warnings) and its rings. Records are
 * read by the process that wrote them: no byte order or versioning.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/load.h"

/* A record is built in memory and written with its length in front, and
 * read back the same way: two stdio calls a record, not twenty (each
 * takes the stream's lock; at a million strikes the calls were a fifth
 * of a streamed run). */
typedef struct rec {
    unsigned char *p;
    size_t len, cap;
    unsigned char small[1024];
    bool heap, nomem;
} rec;

static void rec_init(rec *r)
{
    r->p = r->small;
    r->len = 0;
    r->cap = sizeof(r->small);
    r->heap = false;
    r->nomem = false;
}

static void rec_free(rec *r)
{
    if (r->heap)
        free(r->p);
}

/* Room for n more bytes; false when out of memory. */
static bool rec_room(rec *r, size_t n)
{
    if (r->nomem)
        return false;
    if (n <= r->cap - r->len)
        return true;
    size_t cap = r->cap;
    while (cap - r->len < n) {
        if (cap > SIZE_MAX / 2) {
            r->nomem = true;
            return false;
        }
        cap *= 2;
    }
    unsigned char *p = r->heap ? realloc(r->p, cap) : malloc(cap);
    if (p == NULL) {
        r->nomem = true;
        return false;
    }
    if (!r->heap)
        memcpy(p, r->p, r->len);
    r->p = p;
    r->cap = cap;
    r->heap = true;
    return true;
}

static void put(rec *r, const void *p, size_t n)
{
    if (n > 0 && rec_room(r, n)) {
        memcpy(r->p + r->len, p, n);
        r->len += n;
    }
}

/* Reading: a cursor over the record read. */
typedef struct cur {
    const unsigned char *p, *end;
} cur;

static bool get(cur *c, void *p, size_t n)
{
    if ((size_t)(c->end - c->p) < n)
        return false;
    if (n > 0)
        memcpy(p, c->p, n);
    c->p += n;
    return true;
}

/* A text: its length + 1 (0 for NULL), then its bytes. */
static void put_text(rec *r, const char *s)
{
    uint64_t n = s != NULL ? (uint64_t)strlen(s) + 1 : 0;
    put(r, &n, sizeof(n));
    put(r, s, n > 0 ? (size_t)n - 1 : 0);
}

static bool get_text(cur *f, sm__arena *a, const char **out, bool *nomem)
{
    uint64_t n;
    *out = NULL;
    if (!get(f, &n, sizeof(n)))
        return false;
    if (n == 0)
        return true;
    if (n - 1 > (uint64_t)(f->end - f->p))
        return false;
    char *s = sm__arena_alloc(a, (size_t)n);
    if (s == NULL) {
        *nomem = true;
        return false;
    }
    s[n - 1] = '\0';
    *out = s;
    return get(f, s, (size_t)n - 1);
}

/* A NULL-terminated list: its count + 1 (0 for NULL), then its texts. */
static void put_list(rec *r, const char *const *list)
{
    uint64_t n = 0;
    if (list != NULL)
        while (list[n] != NULL)
            n++;
    uint64_t head = list != NULL ? n + 1 : 0;
    put(r, &head, sizeof(head));
    for (uint64_t i = 0; i < n; i++)
        put_text(r, list[i]);
}

static bool get_list(cur *f, sm__arena *a, const char *const **out, bool *nomem)
{
    uint64_t head;
    *out = NULL;
    if (!get(f, &head, sizeof(head)))
        return false;
    if (head == 0)
        return true;
    if (head > (uint64_t)(f->end - f->p) / sizeof(uint64_t) + 1)
        return false;
    const char **list = sm__arena_alloc(a, (size_t)head * sizeof(*list));
    if (list == NULL) {
        *nomem = true;
        return false;
    }
    for (uint64_t i = 0; i + 1 < head; i++)
        if (!get_text(f, a, &list[i], nomem))
            return false;
    list[head - 1] = NULL;
    *out = list;
    return true;
}

bool sm__spool_write(FILE *f, const sm_claims *c, const sm_strike *s)
{
    uint64_t file = 0;
    const char *const *files = c->files.data;
    for (size_t i = c->files.len; i > 0; i--)
        if (files[i - 1] == s->info.file) {
            file = i; /* + 1: 0 is no file */
            break;
        }
    size_t np = 0;
    for (size_t r = 0; r < s->n_rings; r++)
        np += s->ring_sizes[r];
    rec r;
    rec_init(&r);
    uint64_t len = 0; /* the record's length, set below */
    put(&r, &len, sizeof(len));
    put(&r, s, sizeof(*s));
    put(&r, &file, sizeof(file));
    put_text(&r, s->info.id);
    put_text(&r, s->info.label);
    put_text(&r, s->info.claimed_by);
    put_text(&r, s->info.source);
    put_text(&r, s->info.notes);
    put_text(&r, s->weapon);
    put_list(&r, s->info.warnings);
    put_list(&r, s->attributed_to);
    put(&r, s->ring_sizes, s->n_rings * sizeof(*s->ring_sizes));
    put(&r, s->ring_lonlat, np * 2 * sizeof(*s->ring_lonlat));
    bool ok = !r.nomem;
    if (ok) {
        len = (uint64_t)(r.len - sizeof(len));
        memcpy(r.p, &len, sizeof(len));
        ok = fwrite(r.p, r.len, 1, f) == 1;
    } else {
        errno = ENOMEM;
    }
    rec_free(&r);
    return ok;
}

/* The strike of a record read (pointers into the arena). */
static int parse(cur *f, sm_claims *c, sm_strike *s)
{
    sm__arena *a = &c->strike_arena;
    bool nomem = false;
    uint64_t file;
    if (!get(f, s, sizeof(*s)) || !get(f, &file, sizeof(file)) || file > c->files.len)
        return -1;
    s->info.file = file > 0 ? ((const char *const *)c->files.data)[file - 1] : NULL;
    if (!get_text(f, a, &s->info.id, &nomem) || !get_text(f, a, &s->info.label, &nomem) ||
        !get_text(f, a, &s->info.claimed_by, &nomem) || !get_text(f, a, &s->info.source, &nomem) ||
        !get_text(f, a, &s->info.notes, &nomem) || !get_text(f, a, &s->weapon, &nomem) ||
        !get_list(f, a, &s->info.warnings, &nomem) || !get_list(f, a, &s->attributed_to, &nomem))
        return nomem ? -2 : -1;
    s->ring_sizes = NULL;
    s->ring_lonlat = NULL;
    if (s->n_rings == 0)
        return 1;
    if (s->n_rings > (size_t)(f->end - f->p) / sizeof(size_t))
        return -1;
    size_t *sizes = sm__arena_alloc(a, s->n_rings * sizeof(*sizes));
    if (sizes == NULL)
        return -2;
    if (!get(f, sizes, s->n_rings * sizeof(*sizes)))
        return -1;
    size_t np = 0;
    for (size_t r = 0; r < s->n_rings; r++)
        np += sizes[r];
    if (np > (size_t)(f->end - f->p) / (2 * sizeof(double)))
        return -1;
    double *xy = sm__arena_alloc(a, np * 2 * sizeof(*xy) + 1);
    if (xy == NULL)
        return -2;
    if (!get(f, xy, np * 2 * sizeof(*xy)))
        return -1;
    s->ring_sizes = sizes;
    s->ring_lonlat = xy;
    return 1;
}

int sm__spool_read(FILE *f, sm_claims *c, sm_strike *s)
{
    uint64_t len;
    if (fread(&len, sizeof(len), 1, f) != 1)
        return feof(f) && !ferror(f) ? 0 : -1;
    if (len < sizeof(*s) || len > SIZE_MAX / 2)
        return -1;
    rec r;
    rec_init(&r);
    if (!rec_room(&r, (size_t)len))
        return -2;
    int got = fread(r.p, (size_t)len, 1, f) == 1 ? 1 : -1;
    if (got == 1) {
        cur k = {r.p, r.p + len};
        got = parse(&k, c, s);
    }
    rec_free(&r);
    return got;
}
