/*
 * map_tracks.c: the tracks part's lines, arrows and headings, and their
 * geometry measured ahead on a second thread.
 *
 * A track's geometry is a geodesic a segment (its length and azimuth, its
 * midpoint and the direction there for the arrow) and, for its line, the
 * points that draw each geodesic as a curve: the exact geodesics cost
 * about a microsecond and a half a fix, 15 ms for a hundred sorties of a
 * hundred fixes. None of it depends on the strikes, so once the view is
 * fixed (sm__tracks_start, as the layout begins) a second thread measures
 * every track while the layout reads the basemap and projects the strikes
 * on the calling thread; the tracks part (sm__tracks_build, in its place
 * in the part table) then adds what was measured, in aircraft order.
 *
 * The thread only reads the map (its view, focus and parts shown, all
 * fixed by then) and projects through a clone of the map's projection in
 * a PROJ context of its own. What it could not measure (out of memory, or
 * no thread at all) is measured in place by the tracks part, the same
 * numbers by the same code: the map is the same either way.
 */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "map/map_internal.h"

/* Tracks of fewer fixes than this in all are measured in place: a thread
 * and a projection's clone cost more than they save (tests lower it:
 * SM_MAP_TRACKS_THREAD). */
#define SM__TRACKS_THREAD_FIXES 1000

/* One track, measured ahead. */
typedef struct ahead_track {
    double *ll;  /* track_buffer's, measured; NULL: not measured */
    sm__vec pts; /* the line's lon/lat points, when the line is drawn */
} ahead_track;

struct sm__tracks_ahead {
    const sm_map *m;
    PJ_CONTEXT *ctx;
    PJ *pj;
    pthread_t thread;
    bool started, joined;
    size_t na;
    ahead_track t[]; /* one an aircraft */
};

/* The aircraft whose track the part draws (or whose heading it finds). */
static bool wanted(const sm_map *m, size_t i)
{
    const sm_aircraft *a = sm_claims_aircraft(m->claims, i);
    return a->is_track && a->n_fixes >= 2 && sm__focus_aircraft(m, i);
}

/* The fixes' lon/lat (2 a fix) followed by room for what sm__geo_track
 * measures (6 a segment); NULL when out of memory. */
static double *track_buffer(const sm_aircraft *a)
{
    size_t n = a->n_fixes;
    double *ll = n <= SIZE_MAX / (8 * sizeof(double)) ? malloc(8 * n * sizeof(double)) : NULL;
    if (ll == NULL)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        ll[2 * k] = a->fixes[k].lon;
        ll[2 * k + 1] = a->fixes[k].lat;
    }
    return ll;
}

static void *measure_all(void *arg)
{
    sm__tracks_ahead *ta = arg;
    const sm_map *m = ta->m;
    bool line = (m->show & SM_MAP_TRACKS) != 0;
    for (size_t i = 0; i < ta->na; i++) {
        if (!wanted(m, i))
            continue;
        const sm_aircraft *a = sm_claims_aircraft(m->claims, i);
        ahead_track *t = &ta->t[i];
        double *ll = track_buffer(a);
        if (ll == NULL)
            break; /* out of memory: the rest are measured in place */
        if (!sm__geo_track_measure(m, ta->pj, ll, a->n_fixes, ll + 2 * a->n_fixes,
                                   line ? &t->pts : NULL)) {
            free(ll);
            sm__vec_free(&t->pts);
            break;
        }
        t->ll = ll;
    }
    return NULL;
}

void sm__tracks_start(sm_map *m)
{
    if (m->cl.ahead != NULL || !(m->show & SM_MAP_TRACKS))
        return;
    size_t na = sm_claims_aircraft_count(m->claims), fixes = 0;
    for (size_t i = 0; i < na; i++)
        if (wanted(m, i))
            fixes += sm_claims_aircraft(m->claims, i)->n_fixes;
    if (fixes < sm__run_size("SM_MAP_TRACKS_THREAD", SM__TRACKS_THREAD_FIXES))
        return;
    sm__tracks_ahead *ta = calloc(1, sizeof(*ta) + na * sizeof(ahead_track));
    if (ta == NULL)
        return; /* measured in place */
    ta->m = m;
    ta->na = na;
    for (size_t i = 0; i < na; i++)
        sm__vec_init(&ta->t[i].pts, 2 * sizeof(double));
    ta->pj = sm__proj_clone(m, &ta->ctx);
    ta->started = ta->pj != NULL && pthread_create(&ta->thread, NULL, measure_all, ta) == 0;
    m->cl.ahead = ta;
}

void sm__tracks_stop(sm_map *m)
{
    sm__tracks_ahead *ta = m->cl.ahead;
    if (ta == NULL)
        return;
    if (ta->started && !ta->joined)
        pthread_join(ta->thread, NULL);
    for (size_t i = 0; i < ta->na; i++) {
        free(ta->t[i].ll);
        sm__vec_free(&ta->t[i].pts);
    }
    if (ta->pj != NULL)
        proj_destroy(ta->pj);
    if (ta->ctx != NULL)
        proj_context_destroy(ta->ctx);
    free(ta);
    m->cl.ahead = NULL;
}

/* Track i's measures: taken from the thread's (*ll then owned by the
 * caller, and *pts the line's points), else measured here (the line added
 * to the map's tracks, *pts left NULL); false when out of memory (said). */
static bool measure(sm_map *m, size_t i, bool line, double **ll, const sm__vec **pts)
{
    sm__tracks_ahead *ta = m->cl.ahead;
    if (ta != NULL && ta->t[i].ll != NULL) {
        *ll = ta->t[i].ll;
        ta->t[i].ll = NULL;
        *pts = &ta->t[i].pts;
        return true;
    }
    const sm_aircraft *a = sm_claims_aircraft(m->claims, i);
    *pts = NULL;
    *ll = track_buffer(a);
    if (*ll == NULL) {
        sm__map_nomem(m, "tracks");
        return false;
    }
    if (!sm__geo_track(m, *ll, a->n_fixes, line ? &m->cl.tracks : NULL, (int)i,
                       *ll + 2 * a->n_fixes)) {
        free(*ll);
        return false;
    }
    return true;
}

/* Tracks, with an arrow at the middle of each long enough segment; the
 * aircraft's heading is the last segment's. */
void sm__tracks_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LAYERS)
        return;
    sm__tracks_ahead *ta = m->cl.ahead;
    if (ta != NULL && ta->started && !ta->joined) {
        pthread_join(ta->thread, NULL);
        ta->joined = true;
    }
    size_t na = sm_claims_aircraft_count(m->claims);
    double *heading = m->cl.heading;
    bool show = (m->show & SM_MAP_TRACKS) != 0;
    for (size_t i = 0; i < na && m->status == SM_OK; i++) {
        if (!wanted(m, i))
            continue;
        const sm_aircraft *a = sm_claims_aircraft(m->claims, i);
        size_t n = a->n_fixes, ns = n - 1, before = m->cl.tracks.parts.len;
        double *ll;
        const sm__vec *pts;
        if (!measure(m, i, show, &ll, &pts))
            break;
        if (show && pts != NULL)
            sm__geo_polyline(m, pts->data, pts->len, &m->cl.tracks, (int)i);
        const double *seg = ll + 2 * n, *mid = seg + 2 * ns, *ahead = mid + 2 * ns;
        for (size_t k = 0; k < ns; k++) {
            const double *p0 = mid + 2 * k, *p1 = ahead + 2 * k;
            if (p0[0] == HUGE_VAL || p1[0] == HUGE_VAL)
                continue;
            double ang = atan2(p1[1] - p0[1], p1[0] - p0[0]);
            if (show && m->cl.tracks.parts.len > before &&
                seg[2 * k + 1] / m->view.km_per_pt > 26 && sm__in_panel(m, p0[0], p0[1], 0))
                sm__arrow_add(m, p0[0], p0[1], ang, -1);
            heading[i] = ang + SM__PI / 2;
        }
        free(ll);
        m->cl.has_track = m->cl.has_track || show;
    }
    sm__tracks_stop(m);
}
