/*
 * claims/idruns.h: the strike ids of a stream as 64-bit hashes, in memory that
 * does not grow with the strikes (idruns.c). Calls the core only.
 */
#ifndef SM_IDRUNS_H
#define SM_IDRUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "strikemap/core.h"

/* Hashes a run holds (512 KB): past it, a run is sorted and written to a
 * scratch file. */
#define SM__IDRUN 65536

typedef struct sm__idruns {
    uint64_t *buf; /* the run being filled */
    size_t len, cap;
    size_t run;   /* its size: SM__IDRUN, or for tests SM_STREAM_ID_RUN */
    FILE *file;   /* the full runs, sorted, one after another */
    size_t *runs; /* their lengths */
    size_t n_runs, runs_cap;
} sm__idruns;

/* Zeroed is empty (and what sm__idruns_free leaves). */
void sm__idruns_free(sm__idruns *r);
/* Add a hash. SM_ERR_NOMEM, or SM_ERR_IO (errno set) when the scratch
 * file cannot be made or written; the caller says which. */
sm_status sm__idruns_add(sm__idruns *r, uint64_t h);
/* Every hash added, in order, once: those added more than once in *dup
 * (sorted, each once, malloc'd; NULL when none) and, for each of the nq
 * sorted distinct queries q, whether it was added (present[i]). The runs
 * are given back. SM_ERR_NOMEM or SM_ERR_IO as for sm__idruns_add. */
sm_status sm__idruns_scan(sm__idruns *r, const uint64_t *q, size_t nq, bool *present,
                          uint64_t **dup, size_t *n_dup);

/* A strike id's hash (FNV-1a with a finaliser). */
uint64_t sm__id_hash(const char *id);
/* Whether id's hash is among the n sorted hashes. */
bool sm__id_listed(const uint64_t *sorted, size_t n, const char *id);

/* Names asked about: is each some strike's id? (by its hash) */
typedef struct sm__idquery {
    uint64_t *h; /* sorted, distinct once asked */
    bool *is;
    size_t n, cap;
} sm__idquery;

/* Room for cap names to begin with; false when out of memory. */
bool sm__idquery_init(sm__idquery *q, size_t cap);
/* Add a name (the room grows); false when out of memory. */
bool sm__idquery_add(sm__idquery *q, const char *name);
/* Answer every name from the runs (sm__idruns_scan, which gives them
 * back), with the ids used more than once. */
sm_status sm__idquery_ask(sm__idquery *q, sm__idruns *r, uint64_t **dup, size_t *n_dup);
/* Whether name, added and asked, is a strike's id. */
bool sm__idquery_is(const sm__idquery *q, const char *name);
void sm__idquery_free(sm__idquery *q);

#endif
