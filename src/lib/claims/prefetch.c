/*
 * prefetch.c: a layer's features read ahead on a second thread (SPEC §8).
 * Reading a feature is two halves of about equal cost: OGR's (the file
 * parsed into an OGRFeature) and strikemap's (fields, times, checks, the
 * strike's record); on a machine with two cores they run side by side,
 * and loading a hundred thousand strikes takes the time of the larger
 * half instead of both.
 *
 * The thread alone calls the layer while it runs: it reads blocks of
 * BLOCK features into a ring of RING blocks, each feature with what OGR
 * said while reading it (captured on that thread), and the reading thread
 * takes them in order. Stopping it (sm__prefetch_stop) joins it and drops
 * what it read ahead, so the caller may use the layer again (its reading
 * position is then past the features dropped). A layer is read in the
 * same order, with the same messages, as without: when no thread can be
 * had, the caller reads the layer itself.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "claims/load.h"

/* 2,048 features in flight (a million strikes load in 1.1 s; 384 took
 * 1.24 s, 4,096 1.05 s): the threads' uneven moments even out. */
#define BLOCK 256
#define RING  8

/* What a block says when OGR failed and its message could not be copied:
 * never a quiet end of the layer. */
static char g_nomem[] = "out of memory while reading ahead";

typedef struct block {
    OGRFeatureH f[BLOCK];
    OGRGeometryH g[BLOCK]; /* each feature's geometry, asked for here: asked
                              on the reading thread, OGR reads the layer's
                              definition, whose reference count this thread
                              changes with every feature, and the two
                              threads' caches pass that line to and fro */
    size_t n;
    bool end;  /* the layer's last block */
    char *msg; /* what OGR said when it stopped (with end), or NULL */
} block;

struct sm__prefetch {
    OGRLayerH layer;
    block ring[RING];
    size_t head, count; /* blocks filled, from head (under mu) */
    bool stop;          /* the caller wants the layer back (under mu) */
    block *cur;         /* the block being taken, outside the ring's count */
    size_t pos;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t filled, freed;
};

/* Fill one block from the layer; what OGR says stops the layer there.
 * The block's features from its last round are destroyed here, on the
 * thread that made them, so that glibc's free takes no other thread's
 * arena lock (freed by the reading thread, a fifth of its time went to
 * free); and each just before the feature that takes its place is read,
 * so that the new one's allocations reuse the old one's (glibc's
 * per-thread cache holds 7 of a size: freeing a block's features at once
 * overflowed it, and malloc and free were a quarter of this thread). */
static void fill(sm__prefetch *p, block *b)
{
    size_t old = b->n;
    b->n = 0;
    b->end = false;
    b->msg = NULL;
    while (b->n < BLOCK) {
        if (b->n < old)
            OGR_F_Destroy(b->f[b->n]);
        sm__cpl_capture_begin();
        OGRFeatureH f = OGR_L_GetNextFeature(p->layer);
        const char *msg = sm__cpl_capture_end();
        if (msg != NULL || f == NULL) {
            if (f != NULL)
                OGR_F_Destroy(f);
            /* out of memory copying it: still a failure, said as one */
            b->msg = msg != NULL ? strdup(msg) : NULL;
            if (msg != NULL && b->msg == NULL)
                b->msg = (char *)g_nomem;
            b->end = true;
            for (size_t i = b->n + 1; i < old; i++)
                OGR_F_Destroy(b->f[i]);
            return;
        }
        b->g[b->n] = OGR_F_GetGeometryRef(f);
        b->f[b->n++] = f;
    }
}

static void *run(void *arg)
{
    sm__prefetch *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->count == RING && !p->stop)
            pthread_cond_wait(&p->freed, &p->mu);
        if (p->stop) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        block *b = &p->ring[(p->head + p->count) % RING];
        pthread_mutex_unlock(&p->mu);
        fill(p, b);
        pthread_mutex_lock(&p->mu);
        p->count++;
        pthread_cond_signal(&p->filled);
        pthread_mutex_unlock(&p->mu);
        if (b->end)
            return NULL;
    }
}

sm__prefetch *sm__prefetch_start(OGRLayerH layer)
{
    sm__prefetch *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return NULL;
    p->layer = layer;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->filled, NULL);
    pthread_cond_init(&p->freed, NULL);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->filled);
        pthread_cond_destroy(&p->freed);
        free(p);
        return NULL;
    }
    return p;
}

OGRFeatureH sm__prefetch_next(sm__prefetch *p, OGRGeometryH *geom, const char **msg)
{
    *msg = NULL;
    *geom = NULL;
    for (;;) {
        if (p->cur != NULL) {
            if (p->pos < p->cur->n) {
                *geom = p->cur->g[p->pos];
                return p->cur->f[p->pos++];
            }
            if (p->cur->end) {
                *msg = p->cur->msg;
                return NULL;
            }
            pthread_mutex_lock(&p->mu);
            p->head = (p->head + 1) % RING;
            p->count--;
            p->cur = NULL;
            pthread_cond_signal(&p->freed);
            pthread_mutex_unlock(&p->mu);
        }
        pthread_mutex_lock(&p->mu);
        while (p->count == 0)
            pthread_cond_wait(&p->filled, &p->mu);
        p->cur = &p->ring[p->head];
        p->pos = 0;
        pthread_mutex_unlock(&p->mu);
    }
}

void sm__prefetch_stop(sm__prefetch *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    /* what was read, taken or not */
    for (size_t k = 0; k < RING; k++) {
        block *b = &p->ring[k];
        for (size_t i = 0; i < b->n; i++)
            OGR_F_Destroy(b->f[i]);
        if (b->msg != g_nomem)
            free(b->msg);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->filled);
    pthread_cond_destroy(&p->freed);
    free(p);
}
