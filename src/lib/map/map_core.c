/*
 * map_core.c: what every module of the map uses of the map object: the
 * sticky status of a layout, strings in the map's arena, progress, which
 * parts are shown.
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
