/*
 * spool.c: a claim stream's strikes kept on disk between its two passes
 * (stream.c). The first pass reads each strike once through OGR and writes
 * its record here; the second reads the records back in batches, much
 * faster than parsing the source again, and works for sources that cannot
 * be read twice (standard input). The file is made in TMPDIR (else /tmp)
 * and unlinked at once (stream.c): nothing is left behind, whatever ends
 * the run.
 *
 * A record: the sm_strike itself (its numbers; its pointers are rebuilt
 * on reading), then its texts, its file as an index into the set's list of
 * sources, its lists (attributions, warnings) and its rings. Records are
 * read by the process that wrote them: no byte order or versioning.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/load.h"

static bool put(FILE *f, const void *p, size_t n)
{
    return n == 0 || fwrite(p, n, 1, f) == 1;
}

static bool get(FILE *f, void *p, size_t n)
{
    return n == 0 || fread(p, n, 1, f) == 1;
}

/* A text: its length + 1 (0 for NULL), then its bytes. */
static bool put_text(FILE *f, const char *s)
{
    uint64_t n = s != NULL ? (uint64_t)strlen(s) + 1 : 0;
    return put(f, &n, sizeof(n)) && put(f, s, n > 0 ? (size_t)n - 1 : 0);
}

static bool get_text(FILE *f, sm__arena *a, const char **out, bool *nomem)
{
    uint64_t n;
    *out = NULL;
    if (!get(f, &n, sizeof(n)))
        return false;
    if (n == 0)
        return true;
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
static bool put_list(FILE *f, const char *const *list)
{
    uint64_t n = 0;
    if (list != NULL)
        while (list[n] != NULL)
            n++;
    uint64_t head = list != NULL ? n + 1 : 0;
    if (!put(f, &head, sizeof(head)))
        return false;
    for (uint64_t i = 0; i < n; i++)
        if (!put_text(f, list[i]))
            return false;
    return true;
}

static bool get_list(FILE *f, sm__arena *a, const char *const **out, bool *nomem)
{
    uint64_t head;
    *out = NULL;
    if (!get(f, &head, sizeof(head)))
        return false;
    if (head == 0)
        return true;
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
    return put(f, s, sizeof(*s)) && put(f, &file, sizeof(file)) && put_text(f, s->info.id) &&
           put_text(f, s->info.label) && put_text(f, s->info.claimed_by) &&
           put_text(f, s->info.source) && put_text(f, s->info.notes) && put_text(f, s->weapon) &&
           put_list(f, s->info.warnings) && put_list(f, s->attributed_to) &&
           put(f, s->ring_sizes, s->n_rings * sizeof(*s->ring_sizes)) &&
           put(f, s->ring_lonlat, np * 2 * sizeof(*s->ring_lonlat));
}

int sm__spool_read(FILE *f, sm_claims *c, sm_strike *s)
{
    if (!get(f, s, sizeof(*s)))
        return feof(f) && !ferror(f) ? 0 : -1;
    sm__arena *a = &c->strike_arena;
    bool nomem = false;
    uint64_t file;
    if (!get(f, &file, sizeof(file)) || file > c->files.len)
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
    size_t *sizes = sm__arena_alloc(a, s->n_rings * sizeof(*sizes));
    if (sizes == NULL)
        return -2;
    if (!get(f, sizes, s->n_rings * sizeof(*sizes)))
        return -1;
    size_t np = 0;
    for (size_t r = 0; r < s->n_rings; r++)
        np += sizes[r];
    double *xy = sm__arena_alloc(a, np * 2 * sizeof(*xy) + 1);
    if (xy == NULL)
        return -2;
    if (!get(f, xy, np * 2 * sizeof(*xy)))
        return -1;
    s->ring_sizes = sizes;
    s->ring_lonlat = xy;
    return 1;
}
