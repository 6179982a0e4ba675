/*
 * stream.c: claims read as a stream (SPEC §8, issue 12). Aircraft, bases
 * and launchers are few and stay in memory; strikes are read from OGR in
 * batches, handed to the caller and forgotten, so that memory does not
 * grow with the strikes.
 *
 * Two passes. The first reads every feature as sm_claims_load does (every
 * error and warning of a feature is given there), keeps the claims that
 * are not strikes, and keeps of each strike only what the checks across
 * claims need: a 64-bit hash of its id (duplicates; in sorted runs that
 * do not grow in memory, idruns.c), and its position when
 * the position check runs; the extent and time span of all strikes are
 * kept in the set. Each strike's record goes to a temporary file (spool.c)
 * as it is read. The second pass reads the records back in batches: each
 * batch gets the warnings the checks across claims give (attributions,
 * positions) and any duplicate id is an error, then goes to the caller.
 * Sources are read once, so standard input and tables read through a
 * profile stream like any file.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "claims/idruns.h"
#include "claims/load.h"

/* A flagged strike of the position check: its ordinal among the strikes
 * and its warning. */
typedef struct flagged {
    size_t ordinal;
    char *msg;
    bool swapped;
} flagged;

struct sm_claims_stream {
    sm_ctx *ctx;
    sm_claims *claims;
    char **paths;
    size_t n_paths;
    sm_load_options opt;
    int pass; /* 1: the survey; 2: the batches */
    size_t batch;
    sm_status status; /* of the caller's batches, or the stream's */
    bool bad;         /* an error found across claims */
    /* the survey: the ids' hashes in sorted runs (idruns.c); with the
     * position check, one entry a strike */
    sm__idruns hashes;
    double (*pos)[2];      /* lon, lat (with the position check) */
    unsigned char *judged; /* whether the position check judges it */
    size_t n, cap;
    sm__vec names;                /* char *: distinct attribution names (malloc'd) */
    size_t *name_slots, name_cap; /* their hash set (names_grow) */
    /* after the survey */
    sm__ids ids;   /* the claims that are not strikes */
    uint64_t *dup; /* hashes of ids seen more than once, sorted */
    size_t n_dup;
    sm__idquery query;    /* names that may be strike ids, and whether they are */
    sm__vec strike_names; /* const char *: attribution names that are strike ids */
    flagged *flag;
    size_t n_flag, next_flag;
    /* the batches */
    size_t ordinal;
    sm__vec seen; /* sm_claim_info: the first strike of each duplicated hash */
    sm__arena seen_arena;
    const char *pos_file;
    size_t pos_flagged, pos_swapped;
    sm_strike_batch_fn fn;
    void *user;
    FILE *spool; /* the strikes' records between the passes (spool.c) */
    /* sm__claims_stream_keep: where each batch's final records are, for
     * sm__claims_stream_replay: in the spool when the run added no warning
     * to the batch, else written again to the kept file */
    bool keep, ran;
    FILE *kept;
    sm__vec batches; /* batch_at */
    sm__vec snap;    /* the batch's warnings before the run's checks */
};

/* A batch of the run, for its replays. */
typedef struct batch_at {
    long long off; /* of its first record */
    size_t n;
    bool kept; /* in the kept file, else in the spool */
} batch_at;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- the first reading: the survey ---------------------------------------- */

/* The index (+ 1; 0 for an empty slot) of the names seen, hashed. */
static bool names_grow(sm_claims_stream *s)
{
    size_t cap = s->name_cap ? s->name_cap * 2 : 64;
    size_t *slots = calloc(cap, sizeof(*slots));
    if (slots == NULL)
        return false;
    const char *const *v = s->names.data;
    for (size_t i = 0; i < s->names.len; i++) {
        size_t h = (size_t)sm__id_hash(v[i]) & (cap - 1);
        while (slots[h] != 0)
            h = (h + 1) & (cap - 1);
        slots[h] = i + 1;
    }
    free(s->name_slots);
    s->name_slots = slots;
    s->name_cap = cap;
    return true;
}

static bool survey_name(sm_claims_stream *s, const char *name)
{
    /* distinct names only (a hash set): however many strikes name them */
    if (2 * (s->names.len + 1) > s->name_cap && !names_grow(s))
        return false;
    const char *const *v = s->names.data;
    size_t h = (size_t)sm__id_hash(name) & (s->name_cap - 1);
    for (; s->name_slots[h] != 0; h = (h + 1) & (s->name_cap - 1))
        if (strcmp(v[s->name_slots[h] - 1], name) == 0)
            return true;
    char *copy = strdup(name);
    char **slot = copy != NULL ? sm__vec_push(&s->names) : NULL;
    if (slot == NULL) {
        free(copy);
        return false;
    }
    *slot = copy;
    s->name_slots[h] = s->names.len;
    return true;
}

static void note_extent(sm_claims *mut, const sm_strike *k);

/* The batch's records onto *f (the spool, or the kept records of
 * sm__claims_stream_keep), a scratch file made on first use. */
static sm_status write_out(sm_claims_stream *s, FILE **f, const sm_claims *c)
{
    if (*f == NULL && (*f = sm__scratch_open()) == NULL) {
        sm__diag(s->ctx, SM_SEV_ERROR, sm__scratch_dir(), -1, NULL, NULL,
                 "cannot hold a temporary copy of the strikes there (TMPDIR): %s", strerror(errno));
        return errno == ENOMEM ? SM_ERR_NOMEM : SM_ERR_IO;
    }
    for (size_t i = 0; i < c->strikes.len; i++)
        if (!sm__spool_write(*f, c, (const sm_strike *)c->strikes.data + i)) {
            if (errno == ENOMEM)
                return sm__nomem(s->ctx, NULL, -1, NULL, NULL);
            sm__diag(s->ctx, SM_SEV_ERROR, sm__scratch_dir(), -1, NULL, NULL,
                     "cannot write the temporary copy of the strikes (TMPDIR): %s",
                     strerror(errno));
            return SM_ERR_IO;
        }
    return SM_OK;
}

static sm_status survey(sm_claims_stream *s, const sm_claims *c)
{
    if (!s->opt.no_position_check && s->n + c->strikes.len > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        while (cap < s->n + c->strikes.len)
            cap *= 2;
        double(*p)[2] = realloc(s->pos, cap * sizeof(*p));
        if (p != NULL)
            s->pos = p;
        unsigned char *j = realloc(s->judged, cap);
        if (j != NULL)
            s->judged = j;
        if (p == NULL || j == NULL)
            return SM_ERR_NOMEM;
        s->cap = cap;
    }
    for (size_t i = 0; i < c->strikes.len; i++) {
        const sm_strike *k = (const sm_strike *)c->strikes.data + i;
        sm_status st = sm__idruns_add(&s->hashes, sm__id_hash(k->info.id));
        if (st != SM_OK)
            return st;
        if (s->pos != NULL) {
            s->judged[s->n] = k->n_rings == 0 && !k->position_unchecked;
            s->pos[s->n][0] = k->lon;
            s->pos[s->n][1] = k->lat;
        }
        s->n++;
        note_extent(s->claims, k);
        for (size_t a = 0; k->attributed_to && k->attributed_to[a]; a++)
            if (!survey_name(s, k->attributed_to[a]))
                return SM_ERR_NOMEM;
    }
    return SM_OK;
}

/* A failure of the survey's ids: out of memory, or their scratch file. */
static sm_status ids_failed(sm_claims_stream *s, sm_status st)
{
    if (st == SM_ERR_NOMEM)
        return sm__nomem(s->ctx, NULL, -1, NULL, NULL);
    sm__diag(s->ctx, SM_SEV_ERROR, sm__scratch_dir(), -1, NULL, NULL,
             "cannot hold a temporary copy of the strikes' ids there (TMPDIR): %s",
             strerror(errno));
    return st;
}

/* The extent and time span of every strike, kept in the set. */
static void note_extent(sm_claims *mut, const sm_strike *k)
{
    {
        sm__lon_range_add(&mut->streamed_extent, k->lon, k->lat);
        size_t np = 0;
        for (size_t r = 0; r < k->n_rings; r++)
            np += k->ring_sizes[r];
        for (size_t v = 0; v < np; v++)
            sm__lon_range_add(&mut->streamed_extent, k->ring_lonlat[2 * v],
                              k->ring_lonlat[2 * v + 1]);
        if (k->when.known) {
            if (!mut->streamed_span || k->when.start < mut->streamed_first)
                mut->streamed_first = k->when.start;
            if (!mut->streamed_span || k->when.end > mut->streamed_last)
                mut->streamed_last = k->when.end;
            mut->streamed_span = true;
        }
    }
}

/* ---- the second pass: the batches ------------------------------------------- */

static bool is_strike_name(void *user, const char *name)
{
    const sm_claims_stream *s = user;
    return s->strike_names.len > 0 && bsearch(&name, s->strike_names.data, s->strike_names.len,
                                              sizeof(const char *), cmp_str) != NULL;
}

/* Whether a comes before b in the order sm_claims_finish names duplicates
 * (file name, then feature). */
static bool info_before(const sm_claim_info *a, const sm_claim_info *b)
{
    int f = strcmp(a->file, b->file);
    return f < 0 || (f == 0 && a->feature < b->feature);
}

static sm_status check_id(sm_claims_stream *s, const sm_strike *k)
{
    int j = sm__ids_find(&s->ids, k->info.id);
    if (j >= 0) {
        const sm_claim_info *o = s->ids.refs[j].info;
        if (info_before(o, &k->info))
            sm__duplicate_id(s->ctx, o, &k->info);
        else
            sm__duplicate_id(s->ctx, &k->info, o);
        s->bad = true;
    }
    if (!sm__id_listed(s->dup, s->n_dup, k->info.id))
        return SM_OK;
    const sm_claim_info *seen = s->seen.data;
    for (size_t i = 0; i < s->seen.len; i++)
        if (strcmp(seen[i].id, k->info.id) == 0) {
            sm__duplicate_id(s->ctx, &seen[i], &k->info);
            s->bad = true;
            return SM_OK;
        }
    sm_claim_info *slot = sm__vec_push(&s->seen);
    if (slot == NULL || (slot->id = sm__arena_strdup(&s->seen_arena, k->info.id)) == NULL)
        return sm__nomem(s->ctx, k->info.file, k->info.feature, k->info.id, "id");
    slot->file = k->info.file; /* in the set's arena: lives as long */
    slot->feature = k->info.feature;
    return SM_OK;
}

static sm_status position_warning(sm_claims_stream *s, const sm_strike *k)
{
    if (s->next_flag >= s->n_flag || s->flag[s->next_flag].ordinal != s->ordinal)
        return SM_OK;
    const flagged *f = &s->flag[s->next_flag++];
    if (s->pos_file != k->info.file) {
        sm__positions_summarise(s->ctx, s->pos_file, s->pos_flagged, s->pos_swapped);
        s->pos_file = k->info.file;
        s->pos_flagged = s->pos_swapped = 0;
    }
    s->pos_flagged++;
    s->pos_swapped += f->swapped;
    if (!sm__claim_add_warning(s->claims, &k->info, "geometry", f->msg))
        return sm__nomem(s->ctx, k->info.file, k->info.feature, k->info.id, "geometry");
    if (sm__positions_named(s->pos_flagged))
        sm__diag(s->ctx, SM_SEV_WARNING, k->info.file, k->info.feature, k->info.id, "geometry",
                 "%s", f->msg);
    return SM_OK;
}

/* The checks across claims for each strike of the batch, then the caller. */
/* Where a batch read from the spool at off is found again: there, or,
 * when the run's checks added a warning to one of its strikes, in the
 * kept file. */
static sm_status keep_batch(sm_claims_stream *s, long long off)
{
    sm_claims *c = s->claims;
    const char *const *const *before = s->snap.data;
    bool changed = false;
    for (size_t i = 0; i < c->strikes.len && !changed; i++)
        changed = ((const sm_strike *)c->strikes.data)[i].info.warnings != before[i];
    batch_at *b = sm__vec_push(&s->batches);
    if (b == NULL)
        return sm__nomem(s->ctx, NULL, -1, NULL, NULL);
    b->n = c->strikes.len;
    b->kept = changed;
    b->off = off;
    if (!changed)
        return SM_OK;
    b->off = s->kept != NULL ? (long long)ftello(s->kept) : 0;
    return b->off < 0 ? SM_ERR_IO : write_out(s, &s->kept, c);
}

static sm_status hand_over(sm_claims_stream *s, long long off)
{
    sm_claims *c = s->claims;
    sm_status st = SM_OK;
    if (s->keep && !sm__vec_reserve(&s->snap, c->strikes.len))
        return sm__nomem(s->ctx, NULL, -1, NULL, NULL);
    for (size_t i = 0; s->keep && i < c->strikes.len; i++)
        ((const char *const **)s->snap.data)[i] =
            ((const sm_strike *)c->strikes.data)[i].info.warnings;
    for (size_t i = 0; i < c->strikes.len && st == SM_OK; i++, s->ordinal++) {
        const sm_strike *k = (const sm_strike *)c->strikes.data + i;
        st = check_id(s, k);
        if (st == SM_OK)
            st = sm__strike_attributions(s->ctx, c, &s->ids, k, is_strike_name, s);
        if (st == SM_OK)
            st = position_warning(s, k);
    }
    if (st == SM_OK && !s->bad && s->keep && c->strikes.len > 0)
        st = keep_batch(s, off);
    if (st == SM_OK && !s->bad && c->strikes.len > 0 && s->fn != NULL)
        st = s->fn(s->user, c);
    return st;
}

bool sm__stream_flush(sm_claims *c)
{
    sm_claims_stream *s = c->stream;
    if (c->strikes.len < s->batch || c->strikes.len == 0)
        return true;
    sm_status st = survey(s, c);
    if (st != SM_OK)
        st = ids_failed(s, st);
    if (st == SM_OK)
        st = write_out(s, &s->spool, c);
    c->strikes.len = 0;
    sm__arena_reset(&c->strike_arena);
    if (st != SM_OK && s->status == SM_OK)
        s->status = st;
    return st == SM_OK;
}

/* ---- the stream ------------------------------------------------------------ */

/* Hand over what is read so far, whatever its size. */
static bool flush_all(sm_claims_stream *s)
{
    size_t batch = s->batch;
    s->batch = 0;
    bool ok = s->claims->strikes.len == 0 || sm__stream_flush(s->claims);
    s->batch = batch;
    return ok;
}

/* One reading of every file; errors of one file do not stop the others
 * (one run reports them all), a stream's own failure does. */
/* A pass over the strikes is done: its batch's memory (the records and
 * their strings, 2.4 MB at 4,096 strikes) is given back rather than held
 * through what follows (a map's drawing); the next pass makes it again. */
static void batch_release(sm_claims *c)
{
    sm__vec_free(&c->strikes);
    sm__arena_free(&c->strike_arena);
}

static sm_status read_all(sm_claims_stream *s)
{
    sm_status st = SM_OK;
    for (size_t i = 0; i < s->n_paths && s->status == SM_OK; i++) {
        sm_status r = sm__claims_add_source(s->ctx, s->claims, s->paths[i], &s->opt, NULL);
        if (st == SM_OK)
            st = r;
    }
    if (s->status == SM_OK && !flush_all(s) && st == SM_OK)
        st = s->status;
    batch_release(s->claims);
    if (s->status != SM_OK)
        return s->status;
    return st;
}

/* Is name the id of a strike (by its hash: the strikes are not held)?
 * Only names asked for in ask_ids are known. */
static bool is_strike_id(void *user, const char *name)
{
    const sm_claims_stream *s = user;
    return sm__idquery_is(&s->query, name);
}

/* The names that may be a strike's id: the aircraft's bases and the
 * attributions that name no other claim. One merge of the ids' runs
 * answers for them all and finds the ids used more than once. */
static sm_status ask_ids(sm_claims_stream *s)
{
    size_t na = sm_claims_aircraft_count(s->claims);
    if (!sm__idquery_init(&s->query, s->names.len + na))
        return SM_ERR_NOMEM;
    char **names = s->names.data;
    for (size_t i = 0; i < s->names.len; i++)
        if (sm__ids_find(&s->ids, names[i]) < 0 && !sm__idquery_add(&s->query, names[i]))
            return SM_ERR_NOMEM;
    for (size_t i = 0; i < na; i++) {
        const char *base = sm_claims_aircraft(s->claims, i)->base;
        if (base != NULL && sm__ids_find(&s->ids, base) < 0 && !sm__idquery_add(&s->query, base))
            return SM_ERR_NOMEM;
    }
    return sm__idquery_ask(&s->query, &s->hashes, &s->dup, &s->n_dup);
}

/* What the checks across claims need once the survey is done. */
static sm_status after_survey(sm_claims_stream *s)
{
    sm_ctx *ctx = s->ctx;
    sm_status st = sm__claims_ids(ctx, s->claims, false, &s->ids, &s->bad);
    if (st != SM_OK)
        return st;
    st = ask_ids(s);
    if (st != SM_OK)
        return ids_failed(s, st);
    s->bad |= sm__claims_bases(ctx, s->claims, &s->ids, is_strike_id, s);
    char **names = s->names.data;
    for (size_t i = 0; i < s->names.len; i++)
        if (sm__ids_find(&s->ids, names[i]) < 0 && is_strike_id(s, names[i])) {
            const char **slot = sm__vec_push(&s->strike_names);
            if (slot == NULL)
                return sm__nomem(ctx, NULL, -1, NULL, NULL);
            *slot = names[i];
        }
    if (s->strike_names.len > 1)
        qsort(s->strike_names.data, s->strike_names.len, sizeof(const char *), cmp_str);
    if (s->opt.no_position_check || s->n == 0)
        return SM_OK;
    size_t total = s->n + sm_claims_base_count(s->claims);
    for (size_t i = 0; i < sm_claims_aircraft_count(s->claims); i++)
        total += sm_claims_aircraft(s->claims, i)->n_fixes;
    sm__positions *p = NULL;
    st = sm__positions_open(ctx, &s->opt, total, &p);
    if (st != SM_OK)
        return st;
    for (size_t i = 0; i < s->n; i++)
        sm__positions_add(p, s->pos[i][0], s->pos[i][1]);
    sm__positions_add_fixed(p, s->claims);
    for (size_t i = 0; i < s->n && st == SM_OK; i++) {
        if (!s->judged[i])
            continue;
        flagged f = {i, NULL, false};
        int j = sm__positions_judge(p, s->pos[i][0], s->pos[i][1], &f.msg, &f.swapped);
        if (j == 0)
            continue;
        flagged *grown = j > 0 ? realloc(s->flag, (s->n_flag + 1) * sizeof(*grown)) : NULL;
        if (grown == NULL) {
            free(f.msg);
            st = sm__nomem(ctx, NULL, -1, NULL, "geometry");
            break;
        }
        s->flag = grown;
        s->flag[s->n_flag++] = f;
    }
    sm__positions_close(p);
    return st;
}

static void survey_free(sm_claims_stream *s)
{
    sm__idruns_free(&s->hashes);
    free(s->pos);
    free(s->judged);
    sm__idquery_free(&s->query);
    s->pos = NULL;
    s->judged = NULL;
}

sm_status sm_claims_stream_open(sm_ctx *ctx, const char *const *paths, size_t n_paths,
                                const sm_load_options *options, sm_claims_stream **out)
{
    static const sm_load_options defaults;
    *out = NULL;
    sm_claims_stream *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    s->ctx = ctx;
    s->opt = options != NULL ? *options : defaults;
    sm__vec_init(&s->names, sizeof(char *));
    sm__vec_init(&s->strike_names, sizeof(const char *));
    sm__vec_init(&s->batches, sizeof(batch_at));
    sm__vec_init(&s->snap, sizeof(const char *const *));
    sm__vec_init(&s->seen, sizeof(sm_claim_info));
    s->paths = calloc(n_paths ? n_paths : 1, sizeof(char *));
    s->claims = sm_claims_new();
    if (s->paths == NULL || s->claims == NULL) {
        sm_claims_stream_free(s);
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    }
    for (size_t i = 0; i < n_paths; i++) {
        s->paths[i] = strdup(paths[i]);
        if (s->paths[i] == NULL) {
            s->n_paths = i;
            sm_claims_stream_free(s);
            return sm__nomem(ctx, NULL, -1, NULL, NULL);
        }
    }
    s->n_paths = n_paths;
    s->pass = 1;
    s->batch = 1024; /* strikes held while surveyed (about 300 KB) */
    s->claims->stream = s;
    sm_status st = read_all(s);
    sm_status x = st == SM_ERR_NOMEM || s->status != SM_OK ? SM_OK : after_survey(s);
    survey_free(s);
    if (st == SM_OK || x == SM_ERR_NOMEM)
        st = x; /* out of memory wins over invalid input: no error pass then */
    if (st == SM_OK && s->bad)
        st = SM_ERR_INVALID;
    if (st == SM_ERR_INVALID && s->n > 0) {
        /* one run reports every error: the strikes' duplicate ids too */
        sm_status y = sm_claims_stream_run(s, 4096, NULL, NULL);
        if (y != SM_OK && y != SM_ERR_INVALID)
            st = y;
    }
    if (st == SM_OK && s->bad)
        st = SM_ERR_INVALID;
    if (st != SM_OK) {
        sm_claims_stream_free(s);
        return st;
    }
    *out = s;
    return SM_OK;
}

const sm_claims *sm_claims_stream_claims(const sm_claims_stream *s)
{
    return s != NULL ? s->claims : NULL;
}

size_t sm_claims_stream_strike_count(const sm_claims_stream *s)
{
    if (s == NULL)
        return 0;
    return s->n;
}

/* The strikes' records back from the spool, a batch at a time. */
/* Read the spool back in batches, each handed over (checked, to the
 * caller). */
static sm_status read_batches(sm_claims_stream *s)
{
    sm_claims *c = s->claims;
    FILE *f = s->spool;
    const char *tmp = sm__scratch_dir();
    if (f == NULL)
        return SM_OK; /* no strikes */
    if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0) {
        sm__diag(s->ctx, SM_SEV_ERROR, tmp, -1, NULL, NULL,
                 "cannot write the temporary copy of the strikes: %s", strerror(errno));
        return SM_ERR_IO;
    }
    sm_status st = SM_OK;
    long long off = 0; /* of the batch's first record */
    for (;;) {
        if (c->strikes.len == 0)
            off = (long long)ftello(f);
        sm_strike *slot = sm__vec_push(&c->strikes);
        if (slot == NULL)
            return sm__nomem(s->ctx, NULL, -1, NULL, NULL);
        int r = sm__spool_read(f, c, slot);
        if (r <= 0)
            c->strikes.len--;
        if (r == -2)
            return sm__nomem(s->ctx, NULL, -1, NULL, NULL);
        if (r < 0 || off < 0) {
            sm__diag(s->ctx, SM_SEV_ERROR, tmp, -1, NULL, NULL,
                     "cannot read the temporary copy of the strikes back");
            return SM_ERR_IO;
        }
        if (r == 0 || c->strikes.len >= s->batch) {
            st = hand_over(s, off);
            c->strikes.len = 0;
            sm__arena_reset(&c->strike_arena);
        }
        if (r == 0 || st != SM_OK) {
            batch_release(c);
            return st;
        }
    }
}

/* The run's batches again, each from where keep_batch noted it. */
static sm_status replay_batches(sm_claims_stream *s)
{
    sm_claims *c = s->claims;
    const batch_at *b = s->batches.data;
    if (s->kept != NULL && fflush(s->kept) != 0)
        return SM_ERR_IO;
    for (size_t k = 0; k < s->batches.len; k++) {
        FILE *f = b[k].kept ? s->kept : s->spool;
        if (f == NULL || fseeko(f, (off_t)b[k].off, SEEK_SET) != 0)
            return SM_ERR_IO;
        for (size_t i = 0; i < b[k].n; i++) {
            sm_strike *slot = sm__vec_push(&c->strikes);
            if (slot == NULL)
                return sm__nomem(s->ctx, NULL, -1, NULL, NULL);
            int r = sm__spool_read(f, c, slot);
            if (r == -2)
                return sm__nomem(s->ctx, NULL, -1, NULL, NULL);
            if (r <= 0)
                return SM_ERR_IO;
        }
        sm_status st = s->fn(s->user, c);
        c->strikes.len = 0;
        sm__arena_reset(&c->strike_arena);
        if (st != SM_OK)
            return st;
    }
    batch_release(c);
    return SM_OK;
}

sm_status sm_claims_stream_run(sm_claims_stream *s, size_t batch, sm_strike_batch_fn fn, void *user)
{
    if (s == NULL || batch == 0 || s->pass != 1)
        return SM_ERR_USAGE; /* one run a stream; fn NULL: errors only */
    s->fn = fn;
    s->user = user;
    s->batch = batch;
    s->pass = 2;
    sm_status st = read_batches(s);
    sm__positions_summarise(s->ctx, s->pos_file, s->pos_flagged, s->pos_swapped);
    if (st == SM_OK && s->bad)
        st = SM_ERR_INVALID;
    s->ran = st == SM_OK;
    if (s->spool != NULL && !s->keep) {
        fclose(s->spool); /* read once */
        s->spool = NULL;
    }
    return st;
}

void sm__claims_stream_keep(sm_claims_stream *s)
{
    if (s != NULL && s->pass == 1)
        s->keep = true;
}

sm_status sm__claims_stream_replay(sm_claims_stream *s, size_t batch, sm_strike_batch_fn fn,
                                   void *user)
{
    if (s == NULL || batch == 0 || fn == NULL || !s->ran || !s->keep)
        return SM_ERR_USAGE;
    s->fn = fn;
    s->user = user;
    sm_status st = replay_batches(s);
    if (st == SM_ERR_IO)
        sm__diag(s->ctx, SM_SEV_ERROR, sm__scratch_dir(), -1, NULL, NULL,
                 "cannot read the temporary copy of the strikes back");
    return st;
}

void sm_claims_stream_free(sm_claims_stream *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; s->paths != NULL && i < s->n_paths; i++)
        free(s->paths[i]);
    free(s->paths);
    sm_claims_free(s->claims);
    survey_free(s);
    for (size_t i = 0; i < s->names.len; i++)
        free(((char **)s->names.data)[i]);
    sm__vec_free(&s->names);
    free(s->name_slots);
    sm__vec_free(&s->strike_names);
    sm__vec_free(&s->batches);
    sm__vec_free(&s->snap);
    sm__vec_free(&s->seen);
    sm__arena_free(&s->seen_arena);
    free(s->ids.refs);
    free(s->dup);
    for (size_t i = 0; i < s->n_flag; i++)
        free(s->flag[i].msg);
    free(s->flag);
    if (s->spool != NULL)
        fclose(s->spool);
    if (s->kept != NULL)
        fclose(s->kept);
    free(s);
}
