/*
 * claims/operators.c: operator names and groups (data/operators.csv, read
 * by tables.c): lookup through aliases, a group's members on a date, the
 * canonical name of any alias, and "did you mean" for unknown names.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "claims/claims_internal.h"

/* ---- operator names and groups ------------------------------------------- */

size_t sm_tables_operator_count(sm_ctx *ctx)
{
    if (!ctx->operators.loaded)
        sm_tables_load_defaults(ctx);
    return ctx->operators.rows.len;
}

const sm_operator *sm_tables_operator(sm_ctx *ctx, size_t index)
{
    if (index >= sm_tables_operator_count(ctx))
        return NULL;
    return (const sm_operator *)ctx->operators.rows.data + index;
}

const sm_operator *sm_tables_find_operator(sm_ctx *ctx, const char *name)
{
    if (name == NULL)
        return NULL;
    size_t n = sm_tables_operator_count(ctx);
    const sm_operator *rows = ctx->operators.rows.data;
    for (size_t i = 0; i < n; i++)
        if (sm__name_matches(name, rows[i].name, rows[i].aliases))
            return &rows[i];
    return NULL;
}

/* A group's members nest at most this deep ("US-led coalition" holding
 * "NATO" holding countries); deeper nesting, or a cycle, stops there. */
#define SM__GROUP_DEPTH 8

static bool row_active(const sm_operator *o, double t)
{
    if (isnan(t))
        return true;
    return (isnan(o->from) || t >= o->from) && (isnan(o->to) || t < o->to);
}

static bool expand(sm_ctx *ctx, const char *name, double t, int depth, sm__vec *out)
{
    const sm_operator *o = sm_tables_find_operator(ctx, name);
    bool group = false;
    if (o != NULL) {
        /* Rows that share the canonical name merge: a group is every row
         * of its name that has members. */
        const sm_operator *rows = ctx->operators.rows.data;
        for (size_t i = 0; i < ctx->operators.rows.len; i++) {
            if (!sm__str_ieq(rows[i].name, o->name) || rows[i].members[0] == NULL)
                continue;
            group = true;
            if (!row_active(&rows[i], t) || depth >= SM__GROUP_DEPTH)
                continue;
            for (size_t k = 0; rows[i].members[k]; k++)
                if (!expand(ctx, rows[i].members[k], t, depth + 1, out))
                    return false;
        }
    }
    if (group)
        return true;
    const char **slot = sm__vec_push(out);
    if (slot == NULL)
        return false;
    *slot = o != NULL ? o->name : name;
    return true;
}

sm_status sm__operator_expand(sm_ctx *ctx, const char *name, double t, sm__vec *out)
{
    out->len = 0;
    if (name == NULL)
        return SM_OK;
    if (!expand(ctx, name, t, 0, out))
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    return SM_OK;
}

const char *sm__operator_canonical(sm_ctx *ctx, const char *name)
{
    const sm_operator *o = sm_tables_find_operator(ctx, name);
    return o != NULL ? o->name : name;
}

/* Whether name stands for the canonical operator want at t, searched
 * through nested groups without allocating (so no failure can change the
 * answer). */
static bool includes(sm_ctx *ctx, const char *name, const char *want, double t, int depth)
{
    const sm_operator *o = sm_tables_find_operator(ctx, name);
    if (o == NULL)
        return sm__str_ieq(name, want);
    bool group = false;
    const sm_operator *rows = ctx->operators.rows.data;
    for (size_t i = 0; i < ctx->operators.rows.len; i++) {
        if (!sm__str_ieq(rows[i].name, o->name) || rows[i].members[0] == NULL)
            continue;
        group = true;
        if (!row_active(&rows[i], t) || depth >= SM__GROUP_DEPTH)
            continue;
        for (size_t k = 0; rows[i].members[k]; k++)
            if (includes(ctx, rows[i].members[k], want, t, depth + 1))
                return true;
    }
    return !group && sm__str_ieq(o->name, want);
}

bool sm_tables_operator_includes(sm_ctx *ctx, const char *name, const char *operator_name, double t)
{
    if (name == NULL || operator_name == NULL)
        return false;
    return includes(ctx, name, sm__operator_canonical(ctx, operator_name), t, 0);
}

size_t sm_tables_suggest_operator(sm_ctx *ctx, const char *name, const char **out, size_t max)
{
    size_t n = sm_tables_operator_count(ctx);
    return sm__tables_suggest(name, ctx->operators.rows.data, n, sizeof(sm_operator),
                              offsetof(sm_operator, name), offsetof(sm_operator, aliases), out,
                              max);
}
