/*
 * claims.c: the claim set (SPEC §2): its records, the checks across
 * claims once every file is read (duplicate ids, bases, attributions,
 * positions), its extent and time span. Reading a file is load.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/load.h"

/* ---- the whole set ------------------------------------------------------- */

sm_claims *sm_claims_new(void)
{
    sm_claims *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    sm__vec_init(&c->strikes, sizeof(sm_strike));
    sm__vec_init(&c->aircraft, sizeof(sm_aircraft));
    sm__vec_init(&c->bases, sizeof(sm_base));
    sm__vec_init(&c->launchers, sizeof(sm_launcher));
    sm__vec_init(&c->files, sizeof(const char *));
    return c;
}

void sm_claims_free(sm_claims *claims)
{
    if (claims == NULL)
        return;
    sm__vec_free(&claims->strikes);
    sm__vec_free(&claims->aircraft);
    sm__vec_free(&claims->bases);
    sm__vec_free(&claims->launchers);
    sm__vec_free(&claims->files);
    sm__arena_free(&claims->arena);
    sm__arena_free(&claims->strike_arena);
    free(claims);
}

size_t sm_claims_strike_count(const sm_claims *c)
{
    return c->strikes.len;
}
size_t sm_claims_aircraft_count(const sm_claims *c)
{
    return c->aircraft.len;
}
size_t sm_claims_base_count(const sm_claims *c)
{
    return c->bases.len;
}
size_t sm_claims_launcher_count(const sm_claims *c)
{
    return c->launchers.len;
}

size_t sm_claims_file_count(const sm_claims *c)
{
    return c != NULL ? c->files.len : 0;
}

const char *sm_claims_file(const sm_claims *c, size_t i)
{
    return c != NULL && i < c->files.len ? ((const char *const *)c->files.data)[i] : NULL;
}

const sm_launcher *sm_claims_launcher(const sm_claims *c, size_t i)
{
    return i < c->launchers.len ? (const sm_launcher *)c->launchers.data + i : NULL;
}

const sm_strike *sm_claims_strike(const sm_claims *c, size_t i)
{
    return i < c->strikes.len ? (const sm_strike *)c->strikes.data + i : NULL;
}

const sm_aircraft *sm_claims_aircraft(const sm_claims *c, size_t i)
{
    return i < c->aircraft.len ? (const sm_aircraft *)c->aircraft.data + i : NULL;
}

const sm_base *sm_claims_base(const sm_claims *c, size_t i)
{
    return i < c->bases.len ? (const sm_base *)c->bases.data + i : NULL;
}

bool sm__claim_add_warning(sm_claims *c, const sm_claim_info *info, const char *field,
                           const char *message)
{
    /* The record lives in the set's own arrays: it is the set's to amend. */
    sm_claim_info *mut = (sm_claim_info *)(uintptr_t)info;
    size_t n = 0;
    while (mut->warnings != NULL && mut->warnings[n] != NULL)
        n++;
    /* a streamed strike's text lives (and dies) with its batch */
    const char *lo = c->strikes.data, *at = (const char *)info;
    sm__arena *arena =
        c->stream != NULL && lo != NULL && at >= lo && at < lo + c->strikes.len * c->strikes.elem
            ? &c->strike_arena
            : &c->arena;
    const char **list = sm__arena_alloc(arena, (n + 2) * sizeof(*list));
    char *text = sm__arena_alloc(arena, strlen(field) + strlen(message) + 3);
    if (list == NULL || text == NULL)
        return false;
    sprintf(text, "%s: %s", field, message);
    for (size_t i = 0; i < n; i++)
        list[i] = mut->warnings[i];
    list[n] = text;
    list[n + 1] = NULL;
    mut->warnings = list;
    return true;
}

/* A warning about one claim after loading (cross-claim checks): a
 * diagnostic, and kept with the claim's record. */
static bool claim_warn(sm_ctx *ctx, sm_claims *c, const sm_claim_info *info, const char *field,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static bool claim_warn(sm_ctx *ctx, sm_claims *c, const sm_claim_info *info, const char *field,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = sm__vstrfmt(fmt, ap);
    va_end(ap);
    if (msg == NULL)
        return false;
    sm__diag(ctx, SM_SEV_WARNING, info->file, info->feature, info->id, field, "%s", msg);
    bool ok = sm__claim_add_warning(c, info, field, msg);
    free(msg);
    return ok;
}

static int cmp_id_ref(const void *a, const void *b)
{
    const sm__id_ref *x = a, *y = b;
    int c = strcmp(x->info->id, y->info->id);
    if (c != 0)
        return c;
    int f = strcmp(x->info->file, y->info->file);
    if (f != 0)
        return f;
    return (x->info->feature > y->info->feature) - (x->info->feature < y->info->feature);
}

int sm__ids_find(const sm__ids *ids, const char *id)
{
    size_t lo = 0, hi = ids->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(ids->refs[mid].info->id, id);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ids->n && strcmp(ids->refs[lo].info->id, id) == 0 ? (int)lo : -1;
}

const char *sm__kind_name(sm_kind k)
{
    switch (k) {
    case SM_KIND_STRIKE: return "strike";
    case SM_KIND_AIRCRAFT: return "aircraft";
    case SM_KIND_BASE: return "base";
    case SM_KIND_LAUNCHER: return "launcher";
    }
    return "claim";
}

static bool is_known_operator(sm_ctx *ctx, const sm_claims *c, const char *name)
{
    if (sm_tables_find_operator(ctx, name) != NULL)
        return true;
    for (size_t i = 0; i < c->launchers.len; i++)
        if (sm__str_ieq(((const sm_launcher *)c->launchers.data)[i].operator_name, name))
            return true;
    for (size_t i = 0; i < c->aircraft.len; i++)
        if (sm__str_ieq(((const sm_aircraft *)c->aircraft.data)[i].operator_name, name))
            return true;
    for (size_t i = 0; i < c->bases.len; i++)
        if (sm__str_ieq(((const sm_base *)c->bases.data)[i].operator_name, name))
            return true;
    for (size_t i = 0; i < sm_tables_aircraft_count(ctx); i++) {
        const sm_aircraft_type *t = sm_tables_aircraft(ctx, i);
        for (size_t k = 0; t->operators && t->operators[k]; k++)
            if (sm__str_ieq(t->operators[k], name))
                return true;
    }
    return false;
}

void sm__duplicate_id(sm_ctx *ctx, const sm_claim_info *first, const sm_claim_info *again)
{
    sm__diag(ctx, SM_SEV_ERROR, again->file, again->feature, again->id, "id",
             "duplicate id; first used by %s feature %ld; expected ids unique in the claim set",
             first->file, first->feature);
}

sm_status sm__claims_ids(sm_ctx *ctx, const sm_claims *c, bool with_strikes, sm__ids *out,
                         bool *bad)
{
    size_t ns = with_strikes ? c->strikes.len : 0;
    size_t n = ns + c->aircraft.len + c->bases.len + c->launchers.len;
    out->refs = malloc((n ? n : 1) * sizeof(*out->refs));
    out->n = 0; /* a failed table is an empty one: nothing found in it */
    if (out->refs == NULL)
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    out->n = n;
    size_t k = 0;
    for (size_t i = 0; i < ns; i++)
        out->refs[k++] = (sm__id_ref){&((sm_strike *)c->strikes.data)[i].info, SM_KIND_STRIKE, i};
    for (size_t i = 0; i < c->aircraft.len; i++)
        out->refs[k++] =
            (sm__id_ref){&((sm_aircraft *)c->aircraft.data)[i].info, SM_KIND_AIRCRAFT, i};
    for (size_t i = 0; i < c->bases.len; i++)
        out->refs[k++] = (sm__id_ref){&((sm_base *)c->bases.data)[i].info, SM_KIND_BASE, i};
    for (size_t i = 0; i < c->launchers.len; i++)
        out->refs[k++] =
            (sm__id_ref){&((sm_launcher *)c->launchers.data)[i].info, SM_KIND_LAUNCHER, i};
    qsort(out->refs, n, sizeof(*out->refs), cmp_id_ref);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(out->refs[i].info->id, out->refs[i - 1].info->id) != 0)
            continue;
        size_t first = i - 1;
        while (first > 0 && strcmp(out->refs[first - 1].info->id, out->refs[i].info->id) == 0)
            first--;
        sm__duplicate_id(ctx, out->refs[first].info, out->refs[i].info);
        *bad = true;
    }
    return SM_OK;
}

bool sm__claims_bases(sm_ctx *ctx, sm_claims *c, const sm__ids *ids,
                      bool (*is_strike)(void *, const char *), void *user)
{
    bool bad = false;
    sm_aircraft *air = c->aircraft.data;
    for (size_t i = 0; i < c->aircraft.len; i++) {
        air[i].base_index = -1;
        if (air[i].base == NULL)
            continue;
        int j = sm__ids_find(ids, air[i].base);
        if (j < 0 && is_strike != NULL && is_strike(user, air[i].base)) {
            /* a streamed strike, known by its id's hash alone */
            sm__diag(ctx, SM_SEV_ERROR, air[i].info.file, air[i].info.feature, air[i].info.id,
                     "base", "\"%s\" is a %s, not a base; expected the id of a base feature",
                     air[i].base, sm__kind_name(SM_KIND_STRIKE));
            bad = true;
        } else if (j < 0) {
            sm__diag(ctx, SM_SEV_ERROR, air[i].info.file, air[i].info.feature, air[i].info.id,
                     "base", "\"%s\" names no feature; expected the id of a base feature",
                     air[i].base);
            bad = true;
        } else if (ids->refs[j].kind != SM_KIND_BASE) {
            sm__diag(ctx, SM_SEV_ERROR, air[i].info.file, air[i].info.feature, air[i].info.id,
                     "base", "\"%s\" is a %s, not a base; expected the id of a base feature",
                     air[i].base, sm__kind_name(ids->refs[j].kind));
            bad = true;
        } else {
            air[i].base_index = (long)ids->refs[j].index;
        }
    }
    return bad;
}

sm_status sm__strike_attributions(sm_ctx *ctx, sm_claims *c, const sm__ids *ids, const sm_strike *s,
                                  bool (*is_strike)(void *, const char *), void *user)
{
    for (size_t a = 0; s->attributed_to && s->attributed_to[a]; a++) {
        const char *name = s->attributed_to[a];
        int j = sm__ids_find(ids, name);
        if (j >= 0 &&
            (ids->refs[j].kind == SM_KIND_AIRCRAFT || ids->refs[j].kind == SM_KIND_LAUNCHER))
            continue;
        sm_kind kind = j >= 0 ? ids->refs[j].kind : 0;
        if (j < 0 && is_strike != NULL && is_strike(user, name))
            kind = SM_KIND_STRIKE;
        bool kept = true;
        if (kind != 0)
            kept = claim_warn(ctx, c, &s->info, "attributed_to",
                              "\"%s\" is a %s, not an aircraft, launcher or operator; "
                              "nothing to check",
                              name, sm__kind_name(kind));
        else if (!is_known_operator(ctx, c, name))
            kept = claim_warn(ctx, c, &s->info, "attributed_to",
                              "\"%s\" is neither an aircraft or launcher in the claim set "
                              "nor a known operator; nothing to check for it",
                              name);
        if (!kept)
            return sm__nomem(ctx, s->info.file, s->info.feature, s->info.id, "attributed_to");
    }
    return SM_OK;
}

sm_status sm_claims_finish(sm_ctx *ctx, sm_claims *c, const sm_load_options *options)
{
    static const sm_load_options defaults;
    if (options == NULL)
        options = &defaults;
    bool bad = false;
    sm__ids ids;
    sm_status st = sm__claims_ids(ctx, c, true, &ids, &bad);
    if (st != SM_OK)
        return st;
    bad |= sm__claims_bases(ctx, c, &ids, NULL, NULL);
    for (size_t i = 0; i < c->strikes.len && st == SM_OK; i++)
        st = sm__strike_attributions(ctx, c, &ids, (const sm_strike *)c->strikes.data + i, NULL,
                                     NULL);
    free(ids.refs);
    if (st != SM_OK)
        return st;
    if (!options->no_position_check)
        st = sm__check_positions(ctx, c, options);
    c->finished = true;
    if (st != SM_OK)
        return st;
    return bad ? SM_ERR_INVALID : SM_OK;
}

sm_status sm_claims_load(sm_ctx *ctx, const char *const *paths, size_t n_paths,
                         const sm_load_options *options, sm_claims **out)
{
    *out = NULL;
    sm_claims *c = sm_claims_new();
    if (c == NULL)
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    sm_status st = SM_OK;
    for (size_t i = 0; i < n_paths; i++) {
        sm_status s = sm_claims_add_file(ctx, c, paths[i], options);
        if (st == SM_OK)
            st = s;
    }
    /* Cross-file checks run even after an error, so one run reports all. */
    sm_status s = sm_claims_finish(ctx, c, options);
    if (st == SM_OK)
        st = s;
    if (st != SM_OK) {
        sm_claims_free(c);
        return st;
    }
    *out = c;
    return SM_OK;
}

/* ---- extent and span ----------------------------------------------------- */

void sm__lon_range_add(sm__lon_range *e, double lon, double lat)
{
    double l360 = lon < 0 ? lon + 360 : lon;
    if (!e->any) {
        e->min180 = e->max180 = lon;
        e->min360 = e->max360 = l360;
        e->south = e->north = lat;
        e->any = true;
        return;
    }
    e->min180 = fmin(e->min180, lon);
    e->max180 = fmax(e->max180, lon);
    e->min360 = fmin(e->min360, l360);
    e->max360 = fmax(e->max360, l360);
    e->south = fmin(e->south, lat);
    e->north = fmax(e->north, lat);
}

bool sm_claims_extent(const sm_claims *c, double *west, double *south, double *east, double *north)
{
    sm__lon_range e = c->streamed_extent;
    for (size_t i = 0; i < c->strikes.len; i++) {
        const sm_strike *s = (const sm_strike *)c->strikes.data + i;
        sm__lon_range_add(&e, s->lon, s->lat);
        size_t np = 0;
        for (size_t k = 0; k < s->n_rings; k++)
            np += s->ring_sizes[k];
        for (size_t k = 0; k < np; k++)
            sm__lon_range_add(&e, s->ring_lonlat[2 * k], s->ring_lonlat[2 * k + 1]);
    }
    for (size_t i = 0; i < c->aircraft.len; i++) {
        const sm_aircraft *a = (const sm_aircraft *)c->aircraft.data + i;
        for (size_t k = 0; k < a->n_fixes; k++)
            sm__lon_range_add(&e, a->fixes[k].lon, a->fixes[k].lat);
    }
    for (size_t i = 0; i < c->bases.len; i++) {
        const sm_base *b = (const sm_base *)c->bases.data + i;
        sm__lon_range_add(&e, b->lon, b->lat);
    }
    for (size_t i = 0; i < c->launchers.len; i++) {
        const sm_launcher *l = (const sm_launcher *)c->launchers.data + i;
        sm__lon_range_add(&e, l->lon, l->lat);
    }
    if (!e.any)
        return false;
    *south = e.south;
    *north = e.north;
    if (e.max360 - e.min360 < e.max180 - e.min180) {
        /* Narrower when measured across the antimeridian. */
        *west = e.min360 > 180 ? e.min360 - 360 : e.min360;
        *east = e.max360 > 180 ? e.max360 - 360 : e.max360;
    } else {
        *west = e.min180;
        *east = e.max180;
    }
    return true;
}

bool sm_claims_time_span(const sm_claims *c, double *first, double *last)
{
    bool any = c->streamed_span;
    double lo = c->streamed_first, hi = c->streamed_last;
#define SM__SPAN(w)                                                                                \
    do {                                                                                           \
        if ((w).known) {                                                                           \
            if (!any || (w).start < lo)                                                            \
                lo = (w).start;                                                                    \
            if (!any || (w).end > hi)                                                              \
                hi = (w).end;                                                                      \
            any = true;                                                                            \
        }                                                                                          \
    } while (0)
    for (size_t i = 0; i < c->strikes.len; i++)
        SM__SPAN(((const sm_strike *)c->strikes.data)[i].when);
    for (size_t i = 0; i < c->launchers.len; i++)
        SM__SPAN(((const sm_launcher *)c->launchers.data)[i].when);
    for (size_t i = 0; i < c->aircraft.len; i++) {
        const sm_aircraft *a = (const sm_aircraft *)c->aircraft.data + i;
        for (size_t k = 0; k < a->n_fixes; k++)
            SM__SPAN(a->fixes[k].when);
    }
#undef SM__SPAN
    if (any) {
        *first = lo;
        *last = hi;
    }
    return any;
}
