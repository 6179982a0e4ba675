/*
 * map_project.c: many points projected to the canvas on two threads.
 *
 * Projecting a hundred thousand strikes through PROJ takes about 15 ms,
 * and while the layout counts them (to size the markers) the second core
 * has little else to do. A team is the calling thread and one helper with
 * a clone of the map's projection in a PROJ context of its own (a clone
 * gives the same numbers, bit for bit: map_tracks.c relies on it too).
 * Each call cuts its points into pieces that either thread takes in turn,
 * so that a helper kept busy by another thread of the process (the
 * tracks' measuring) delays nothing: the caller then takes every piece
 * itself. Without a helper (no thread, no clone) the caller projects
 * everything, the same numbers.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

/* Points a piece: large enough that taking one costs nothing beside it
 * (about 75 µs of PROJ), small enough that the two threads end together. */
#define PIECE 512

struct sm__proj_team {
    const sm_map *m;
    PJ_CONTEXT *ctx;
    PJ *pj;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool quit;
    /* tests: the caller takes no piece, so that every point goes through
     * the helper (SM_MAP_PROJECT_HELPER=1) */
    bool helper_only;
    /* this call's (under mu) */
    uint32_t round; /* calls so far */
    double *xy;
    size_t n, pieces;
    size_t done; /* pieces projected */
    /* round << 32 | the next piece: a thread that takes a piece takes it
     * of its own round only, so a helper late for a call takes nothing of
     * the next one */
    _Atomic uint64_t claim;
};

/* One round's points, as a thread saw them under mu. */
typedef struct job {
    uint32_t round;
    double *xy;
    size_t n, pieces;
} job;

/* Take pieces of the job's round until none is left; their count. */
static size_t take_pieces(sm__proj_team *t, PJ *pj, const job *j)
{
    size_t did = 0;
    for (;;) {
        uint64_t v = atomic_load(&t->claim);
        do {
            if ((uint32_t)(v >> 32) != j->round || (v & UINT32_MAX) >= j->pieces)
                return did;
        } while (!atomic_compare_exchange_weak(&t->claim, &v, v + 1));
        size_t from = (size_t)(v & UINT32_MAX) * PIECE;
        size_t n = j->n - from < PIECE ? j->n - from : PIECE;
        sm__to_canvas_with(t->m, pj, j->xy + 2 * from, n);
        did++;
    }
}

static void *helper(void *arg)
{
    sm__proj_team *t = arg;
    uint32_t seen = 0;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (!t->quit && t->round == seen)
            pthread_cond_wait(&t->cv, &t->mu);
        if (t->quit)
            break;
        job j = {t->round, t->xy, t->n, t->pieces};
        seen = j.round;
        pthread_mutex_unlock(&t->mu);
        size_t did = take_pieces(t, t->pj, &j);
        pthread_mutex_lock(&t->mu);
        if (did > 0) {
            t->done += did; /* (the caller is still in this round: it waits for them) */
            pthread_cond_broadcast(&t->cv);
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

sm__proj_team *sm__proj_team_new(const sm_map *m)
{
    sm__proj_team *t = calloc(1, sizeof(*t));
    if (t == NULL)
        return NULL;
    t->m = m;
    const char *only = getenv("SM_MAP_PROJECT_HELPER");
    t->helper_only = only != NULL && strcmp(only, "1") == 0;
    t->pj = sm__proj_clone(m, &t->ctx);
    if (t->pj == NULL) {
        free(t);
        return NULL;
    }
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    if (pthread_create(&t->thread, NULL, helper, t) != 0) {
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->cv);
        proj_destroy(t->pj);
        proj_context_destroy(t->ctx);
        free(t);
        return NULL;
    }
    return t;
}

void sm__proj_team_to_canvas(sm__proj_team *t, const sm_map *m, double *xy, size_t n)
{
    if (t == NULL || n <= PIECE || n / PIECE >= UINT32_MAX) {
        sm__to_canvas(m, xy, n);
        return;
    }
    pthread_mutex_lock(&t->mu);
    job j = {t->round + 1, xy, n, (n + PIECE - 1) / PIECE};
    t->round = j.round;
    t->xy = xy;
    t->n = n;
    t->pieces = j.pieces;
    t->done = 0;
    atomic_store(&t->claim, (uint64_t)j.round << 32);
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    size_t did = t->helper_only ? 0 : take_pieces(t, m->proj.pj, &j);
    pthread_mutex_lock(&t->mu);
    t->done += did;
    while (t->done < j.pieces)
        pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
}

void sm__proj_team_free(sm__proj_team *t)
{
    if (t == NULL)
        return;
    pthread_mutex_lock(&t->mu);
    t->quit = true;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    proj_destroy(t->pj);
    proj_context_destroy(t->ctx);
    free(t);
}
