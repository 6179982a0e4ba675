/*
 * map_core.c: what every module of the map uses of the map object: the
 * sticky status of a layout, strings in the map's arena, progress, which
 * parts are shown, the passes over the strikes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

void sm__map_progress(sm_map *m, const char *stage, double fraction)
{
    if (m->opt.progress != NULL)
        m->opt.progress(m->opt.progress_user, stage, fraction);
}

char *sm__map_strfmt(sm_map *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = sm__vstrfmt(fmt, ap);
    va_end(ap);
    char *s = t != NULL ? sm__arena_strdup(&m->arena, t) : NULL;
    free(t);
    if (s == NULL)
        sm__map_nomem(m, NULL);
    return s;
}

void sm__map_nomem(sm_map *m, const char *what)
{
    if (m->status == SM_OK)
        m->status = sm__nomem(m->ctx, NULL, -1, NULL, what);
}

bool sm__map_shows(const sm_map *m, unsigned part)
{
    return (m->show & part) != 0;
}

size_t sm__strike_total(const sm_map *m)
{
    return m->stream != NULL ? sm_claims_stream_strike_count(m->stream)
                             : sm_claims_strike_count(m->claims);
}

typedef struct pass {
    sm_map *m;
    sm__strike_fn fn;
    void *user;
    size_t first;
    bool stopped; /* fn asked to stop */
} pass;

static sm_status replayed(void *user, const sm_claims *batch)
{
    pass *p = user;
    size_t n = sm_claims_strike_count(batch);
    bool go = p->fn(p->m, sm_claims_strike(batch, 0), n, p->first, p->user);
    p->first += n;
    if (go)
        return SM_OK;
    p->stopped = true;
    return p->m->status != SM_OK ? p->m->status : SM_ERR_USAGE; /* ends the replay */
}

sm_status sm__strikes_each(sm_map *m, sm__strike_fn fn, void *user)
{
    if (m->status != SM_OK)
        return m->status;
    if (m->stream != NULL) {
        pass p = {m, fn, user, 0, false};
        sm_status st = sm__claims_stream_replay(m->stream, SM__MAP_BATCH, replayed, &p);
        if (st != SM_OK && !p.stopped && m->status == SM_OK)
            m->status = st;
        return m->status;
    }
    size_t ns = sm_claims_strike_count(m->claims);
    for (size_t first = 0; first < ns; first += SM__MAP_BATCH) {
        size_t n = ns - first < SM__MAP_BATCH ? ns - first : SM__MAP_BATCH;
        if (!fn(m, sm_claims_strike(m->claims, first), n, first, user))
            break;
    }
    return m->status;
}

sm_status sm__strike_points_note(sm_map *m, const sm_claims *batch)
{
    size_t n = sm_claims_strike_count(batch);
    if (m->points == NULL && (m->points = sm__scratch_open()) == NULL) {
        int e = errno;
        sm__diag(m->ctx, SM_SEV_ERROR, sm__scratch_dir(), -1, NULL, NULL,
                 "cannot hold a temporary copy of the strikes there (TMPDIR): %s", strerror(e));
        return e == ENOMEM ? SM_ERR_NOMEM : SM_ERR_IO;
    }
    for (size_t i = 0; i < n; i++) {
        const sm_strike *s = sm_claims_strike(batch, i);
        double ll[2] = {s->lon, s->lat};
        if (fwrite(ll, sizeof(ll), 1, m->points) != 1) {
            sm__diag(m->ctx, SM_SEV_ERROR, sm__scratch_dir(), -1, NULL, NULL,
                     "cannot write the temporary copy of the strikes (TMPDIR): %s",
                     strerror(errno));
            return SM_ERR_IO;
        }
    }
    return SM_OK;
}

void sm__canvas_keep(sm_map *m, const double *xy, size_t n)
{
    if (m->canvas_state == 0 && (m->canvas = sm__scratch_open()) != NULL)
        m->canvas_state = 1;
    if (m->canvas_state == 1 && fwrite(xy, 2 * sizeof(double), n, m->canvas) != n)
        m->canvas_state = -1;
    if (m->canvas_state != 1)
        m->canvas_state = -1;
}

bool sm__canvas_next(sm_map *m, double *xy, size_t n)
{
    if (m->canvas_state == 1)
        m->canvas_state = fflush(m->canvas) == 0 && fseek(m->canvas, 0, SEEK_SET) == 0 ? 2 : -1;
    if (m->canvas_state == 2 && fread(xy, 2 * sizeof(double), n, m->canvas) != n)
        m->canvas_state = -1;
    return m->canvas_state == 2;
}

typedef struct points_pass {
    sm__points_fn fn;
    void *user;
    double ll[2 * SM__MAP_POINTS_BATCH];
} points_pass;

static bool points_of(sm_map *m, const sm_strike *s, size_t n, size_t first, void *user)
{
    points_pass *pp = user;
    for (size_t i = 0; i < n; i++) {
        pp->ll[2 * i] = s[i].lon;
        pp->ll[2 * i + 1] = s[i].lat;
    }
    return pp->fn(m, pp->ll, n, first, pp->user);
}

sm_status sm__strike_points_each(sm_map *m, sm__points_fn fn, void *user)
{
    if (m->status != SM_OK)
        return m->status;
    points_pass *pp = malloc(sizeof(*pp));
    if (pp == NULL) {
        sm__map_nomem(m, "strikes");
        return m->status;
    }
    pp->fn = fn;
    pp->user = user;
    sm_status st = SM_OK;
    if (m->stream == NULL) {
        /* held: read in batches as large as the file's */
        size_t total = sm_claims_strike_count(m->claims);
        for (size_t first = 0; first < total;) {
            size_t n = total - first < SM__MAP_POINTS_BATCH ? total - first : SM__MAP_POINTS_BATCH;
            for (size_t i = 0; i < n; i++) {
                const sm_strike *s = sm_claims_strike(m->claims, first + i);
                pp->ll[2 * i] = s->lon;
                pp->ll[2 * i + 1] = s->lat;
            }
            if (!fn(m, pp->ll, n, first, user))
                break;
            first += n;
        }
        st = m->status;
    } else if (m->points == NULL) {
        st = sm__strikes_each(m, points_of, pp);
    } else if (fflush(m->points) != 0 || fseek(m->points, 0, SEEK_SET) != 0) {
        st = SM_ERR_IO;
    } else {
        size_t total = sm__strike_total(m);
        for (size_t first = 0; first < total && st == SM_OK;) {
            size_t n = total - first < SM__MAP_POINTS_BATCH ? total - first : SM__MAP_POINTS_BATCH;
            if (fread(pp->ll, 2 * sizeof(double), n, m->points) != n)
                st = SM_ERR_IO;
            else if (!fn(m, pp->ll, n, first, user))
                st = m->status != SM_OK ? m->status : SM_ERR_NOMEM;
            first += n;
        }
    }
    free(pp);
    if (st == SM_ERR_IO) {
        sm__diag(m->ctx, SM_SEV_ERROR, sm__scratch_dir(), -1, NULL, NULL,
                 "cannot read the temporary copy of the strikes back");
        if (m->status == SM_OK)
            m->status = st;
    }
    return st;
}
