/*
 * spool.c: a claim stream's strikes kept on disk between its two passes
 * (stream.c). The first pass reads each strike once through OGR and writes
 * its record here; the second reads the records back in batches, much
 * faster than parsing the source again, and works for sources that cannot
 * be read twice (standard input). The file is made in TMPDIR (else /tmp)
 * and unlinked at once (stream.c): nothing is left behind, whatever ends
 * the run.
 *
 * A record: its length, then the strike field by field, compactly (a
 * million strikes' records are written once and read two or three times:
 * the sm_strike copied whole made them 280 bytes, most of it zeros and
 * pointers; now a strike with an id and a time takes about 50): a word of
 * flags saying which optional fields follow, numbers as varints where
 * they are counts, doubles as they are, texts as a varint length and
 * their bytes, then its lists (attributions, warnings) and its rings. The
 * file is an index into the set's list of sources; the weapon a pointer
 * into the tables, valid in the process that wrote it: records are read
 * by that process only, so no byte order or versioning.
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

/* An unsigned number in 7-bit groups, low first. */
static void put_var(rec *r, uint64_t v)
{
    unsigned char b[10];
    size_t n = 0;
    do {
        b[n] = (unsigned char)(v & 127);
        v >>= 7;
        if (v != 0)
            b[n] |= 128;
        n++;
    } while (v != 0);
    put(r, b, n);
}

static bool get_var(cur *c, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (c->p == c->end)
            return false;
        unsigned char b = *c->p++;
        *v |= (uint64_t)(b & 127) << shift;
        if (!(b & 128))
            return true;
    }
    return false;
}

/* A text: its length + 1 (0 for NULL), then its bytes. */
static void put_text(rec *r, const char *s)
{
    uint64_t n = s != NULL ? (uint64_t)strlen(s) + 1 : 0;
    put_var(r, n);
    put(r, s, n > 0 ? (size_t)n - 1 : 0);
}

static bool get_text(cur *f, sm__arena *a, const char **out, bool *nomem)
{
    uint64_t n;
    *out = NULL;
    if (!get_var(f, &n))
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
    put_var(r, list != NULL ? n + 1 : 0);
    for (uint64_t i = 0; i < n; i++)
        put_text(r, list[i]);
}

static bool get_list(cur *f, sm__arena *a, const char *const **out, bool *nomem)
{
    uint64_t head;
    *out = NULL;
    if (!get_var(f, &head))
        return false;
    if (head == 0)
        return true;
    if (head - 1 > (uint64_t)(f->end - f->p))
        return false; /* each text takes a byte at least */
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

/* The optional fields of a record, by the bits of its flags. */
enum {
    F_LABEL = 1 << 0,
    F_CLAIMED_BY = 1 << 1,
    F_SOURCE = 1 << 2,
    F_NOTES = 1 << 3,
    F_WEAPON = 1 << 4,
    F_WEAPON_REF = 1 << 5,
    F_WARNINGS = 1 << 6,
    F_ATTRIBUTED = 1 << 7,
    F_RINGS = 1 << 8,
    F_WHEN = 1 << 9,         /* when.known: start, and the rest below */
    F_WHEN_SPAN = 1 << 10,   /* when.end != when.start */
    F_WHEN_OFFSET = 1 << 11, /* when.offset_given */
    F_WHEN_UNC = 1 << 12,    /* when.uncertainty_min != 0 */
    F_LOC_UNC = 1 << 13,     /* location_uncertainty_km != 0 */
    F_UNCHECKED = 1 << 14,   /* position_unchecked */
};

/* Every field of sm_strike is written below: a field added to it must be
 * added here too (this fails to build until it is, on 64-bit machines). */
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(sm_strike) == 192, "sm_strike changed: update the spool's record (spool.c)");
#endif

static uint64_t zigzag(long long v)
{
    return v < 0 ? ((uint64_t)(-(v + 1)) << 1) | 1 : (uint64_t)v << 1;
}

static long long unzigzag(uint64_t v)
{
    return v & 1 ? -(long long)(v >> 1) - 1 : (long long)(v >> 1);
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
    const sm_when *w = &s->when;
    unsigned flags = (s->info.label ? F_LABEL : 0) | (s->info.claimed_by ? F_CLAIMED_BY : 0) |
                     (s->info.source ? F_SOURCE : 0) | (s->info.notes ? F_NOTES : 0) |
                     (s->weapon ? F_WEAPON : 0) | (s->weapon_ref ? F_WEAPON_REF : 0) |
                     (s->info.warnings ? F_WARNINGS : 0) | (s->attributed_to ? F_ATTRIBUTED : 0) |
                     (s->n_rings > 0 ? F_RINGS : 0) | (w->known ? F_WHEN : 0) |
                     (w->end != w->start ? F_WHEN_SPAN : 0) |
                     (w->offset_given ? F_WHEN_OFFSET : 0) |
                     (w->uncertainty_min != 0 ? F_WHEN_UNC : 0) |
                     (s->location_uncertainty_km != 0 ? F_LOC_UNC : 0) |
                     (s->position_unchecked ? F_UNCHECKED : 0);
    rec r;
    rec_init(&r);
    uint64_t len = 0; /* the record's length, set below */
    put(&r, &len, sizeof(len));
    put_var(&r, flags);
    put(&r, &s->lon, sizeof(s->lon));
    put(&r, &s->lat, sizeof(s->lat));
    put_var(&r, file);
    put_var(&r, zigzag(s->info.feature));
    put_var(&r, (uint64_t)s->grading);
    put_var(&r, zigzag(s->geo_precision));
    put_text(&r, s->info.id);
    if (flags & F_LABEL)
        put_text(&r, s->info.label);
    if (flags & F_CLAIMED_BY)
        put_text(&r, s->info.claimed_by);
    if (flags & F_SOURCE)
        put_text(&r, s->info.source);
    if (flags & F_NOTES)
        put_text(&r, s->info.notes);
    if (flags & F_WEAPON)
        put_text(&r, s->weapon);
    if (flags & F_WEAPON_REF) {
        uintptr_t ref = (uintptr_t)s->weapon_ref; /* into the tables: this process's */
        put(&r, &ref, sizeof(ref));
    }
    if (flags & F_WHEN)
        put(&r, &w->start, sizeof(w->start));
    if (flags & F_WHEN_SPAN)
        put(&r, &w->end, sizeof(w->end));
    put_var(&r, zigzag(w->offset_min));
    if (flags & F_WHEN_UNC)
        put(&r, &w->uncertainty_min, sizeof(w->uncertainty_min));
    if (flags & F_LOC_UNC)
        put(&r, &s->location_uncertainty_km, sizeof(s->location_uncertainty_km));
    if (flags & F_WARNINGS)
        put_list(&r, s->info.warnings);
    if (flags & F_ATTRIBUTED)
        put_list(&r, s->attributed_to);
    if (flags & F_RINGS) {
        size_t np = 0;
        put_var(&r, s->n_rings);
        for (size_t k = 0; k < s->n_rings; k++) {
            put_var(&r, s->ring_sizes[k]);
            np += s->ring_sizes[k];
        }
        put(&r, s->ring_lonlat, np * 2 * sizeof(*s->ring_lonlat));
    }
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

static bool get_double(cur *f, double *v)
{
    return get(f, v, sizeof(*v));
}

/* The rings of a record (flag F_RINGS), into the arena. */
static int get_rings(cur *f, sm__arena *a, sm_strike *s)
{
    uint64_t n;
    if (!get_var(f, &n) || n == 0 || n > (uint64_t)(f->end - f->p))
        return -1;
    size_t *sizes = sm__arena_alloc(a, (size_t)n * sizeof(*sizes));
    if (sizes == NULL)
        return -2;
    size_t np = 0;
    for (uint64_t k = 0; k < n; k++) {
        uint64_t v;
        if (!get_var(f, &v) || v > (uint64_t)(f->end - f->p) / (2 * sizeof(double)))
            return -1;
        sizes[k] = (size_t)v;
        np += sizes[k];
    }
    if (np > (size_t)(f->end - f->p) / (2 * sizeof(double)))
        return -1;
    double *xy = sm__arena_alloc(a, np * 2 * sizeof(*xy) + 1);
    if (xy == NULL)
        return -2;
    if (!get(f, xy, np * 2 * sizeof(*xy)))
        return -1;
    s->n_rings = (size_t)n;
    s->ring_sizes = sizes;
    s->ring_lonlat = xy;
    return 1;
}

/* The strike of a record read (pointers into the arena). */
static int parse(cur *f, sm_claims *c, sm_strike *s)
{
    sm__arena *a = &c->strike_arena;
    bool nomem = false;
    uint64_t flags, file, feature, grading, precision;
    memset(s, 0, sizeof(*s));
    if (!get_var(f, &flags) || !get_double(f, &s->lon) || !get_double(f, &s->lat) ||
        !get_var(f, &file) || file > c->files.len || !get_var(f, &feature) ||
        !get_var(f, &grading) || grading > SM_GRADING_DISCOUNTED || !get_var(f, &precision))
        return -1;
    s->info.file = file > 0 ? ((const char *const *)c->files.data)[file - 1] : NULL;
    s->info.feature = (long)unzigzag(feature);
    s->grading = (sm_grading)grading;
    s->geo_precision = (int)unzigzag(precision);
    s->position_unchecked = (flags & F_UNCHECKED) != 0;
    if (!get_text(f, a, &s->info.id, &nomem) ||
        ((flags & F_LABEL) && !get_text(f, a, &s->info.label, &nomem)) ||
        ((flags & F_CLAIMED_BY) && !get_text(f, a, &s->info.claimed_by, &nomem)) ||
        ((flags & F_SOURCE) && !get_text(f, a, &s->info.source, &nomem)) ||
        ((flags & F_NOTES) && !get_text(f, a, &s->info.notes, &nomem)) ||
        ((flags & F_WEAPON) && !get_text(f, a, &s->weapon, &nomem)))
        return nomem ? -2 : -1;
    uintptr_t ref = 0;
    if ((flags & F_WEAPON_REF) && !get(f, &ref, sizeof(ref)))
        return -1;
    s->weapon_ref = (const sm_weapon *)ref;
    sm_when *w = &s->when;
    uint64_t off;
    w->known = (flags & F_WHEN) != 0;
    if (((flags & F_WHEN) && !get_double(f, &w->start)) ||
        ((flags & F_WHEN_SPAN) && !get_double(f, &w->end)) || !get_var(f, &off) ||
        ((flags & F_WHEN_UNC) && !get_double(f, &w->uncertainty_min)))
        return -1;
    if (!(flags & F_WHEN_SPAN))
        w->end = w->start;
    w->offset_min = (int)unzigzag(off);
    w->offset_given = (flags & F_WHEN_OFFSET) != 0;
    if ((flags & F_LOC_UNC) && !get_double(f, &s->location_uncertainty_km))
        return -1;
    if (((flags & F_WARNINGS) && !get_list(f, a, &s->info.warnings, &nomem)) ||
        ((flags & F_ATTRIBUTED) && !get_list(f, a, &s->attributed_to, &nomem)))
        return nomem ? -2 : -1;
    return flags & F_RINGS ? get_rings(f, a, s) : 1;
}

int sm__spool_read(FILE *f, sm_claims *c, sm_strike *s)
{
    uint64_t len;
    if (fread(&len, sizeof(len), 1, f) != 1)
        return feof(f) && !ferror(f) ? 0 : -1;
    if (len == 0 || len > SIZE_MAX / 2)
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
