/*
 * map_core.c: what every module of the map uses of the map object: the
 * sticky status of a layout, strings in the map's arena, progress, which
 * parts are shown, the passes over the strikes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
} pass;

static sm_status replayed(void *user, const sm_claims *batch)
{
    pass *p = user;
    size_t n = sm_claims_strike_count(batch);
    bool go = p->fn(p->m, sm_claims_strike(batch, 0), n, p->first, p->user);
    p->first += n;
    if (go)
        return SM_OK;
    return p->m->status != SM_OK ? p->m->status : SM_ERR_NOMEM;
}

sm_status sm__strikes_each(sm_map *m, sm__strike_fn fn, void *user)
{
    if (m->status != SM_OK)
        return m->status;
    if (m->stream != NULL) {
        pass p = {m, fn, user, 0};
        sm_status st = sm__claims_stream_replay(m->stream, SM__MAP_BATCH, replayed, &p);
        if (st != SM_OK && m->status == SM_OK)
            m->status = st;
        return m->status;
    }
    size_t ns = sm_claims_strike_count(m->claims);
    for (size_t first = 0; first < ns; first += SM__MAP_BATCH) {
        size_t n = ns - first < SM__MAP_BATCH ? ns - first : SM__MAP_BATCH;
        if (!fn(m, sm_claims_strike(m->claims, first), n, first, user))
            return m->status != SM_OK ? m->status : SM_ERR_NOMEM;
    }
    return SM_OK;
}
