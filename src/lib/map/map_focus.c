/*
 * map_focus.c: which claims the map draws. Without a selection, all.
 * options.strike_id picks one strike; options.where picks the strikes an
 * expression holds for. The aircraft drawn are those paired with a picked
 * strike (the check's pairs: attributed ones by default), and the bases
 * those aircraft fly from.
 *
 * The expression: conditions joined by " and " (any case), each FIELD OP
 * VALUE with OP "=" (equal), "!=" (not equal) or "~" (contains), compared
 * without regard to case; VALUE runs to the next " and " or the end, blanks
 * around it trimmed, and may be quoted with '...'. FIELD is a strike's id,
 * label, claimed_by, source, notes, grading (confirmed, fair, weak,
 * contested, discounted, none), weapon or attributed_to (any of the names).
 * Example: grading=confirmed and claimed_by~airwars.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "map/map_internal.h"

void sm__focus_free(sm__focus *f)
{
    free(f->strike);
    free(f->aircraft);
    free(f->base);
    f->strike = f->aircraft = f->base = NULL;
}

bool sm__focus_strike(const sm_map *m, size_t i)
{
    return m->focus.all || m->focus.strike[i];
}

bool sm__focus_aircraft(const sm_map *m, size_t i)
{
    return m->focus.all || m->focus.aircraft[i];
}

bool sm__focus_base(const sm_map *m, size_t i)
{
    return m->focus.all || m->focus.base[i];
}

bool sm__focus_pair(const sm_map *m, const sm__mpair *p)
{
    return m->focus.all || (m->focus.strike[p->strike] &&
                            (sm__mpair_launcher(p) || m->focus.aircraft[p->aircraft]));
}

enum { OP_EQ, OP_NE, OP_HAS };

typedef struct cond {
    char *field, *value; /* owned */
    int op;
} cond;

static const char *const g_fields[] = {"id",    "label",   "claimed_by", "source",
                                       "notes", "grading", "weapon",     "attributed_to"};
static const char *const g_gradings[] = {"none", "confirmed", "fair",
                                         "weak", "contested", "discounted"};

static bool ci_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return n == 0;
}

static bool test_one(const char *v, const cond *c)
{
    if (v == NULL)
        return c->op == OP_NE;
    switch (c->op) {
    case OP_EQ: return strcasecmp(v, c->value) == 0;
    case OP_NE: return strcasecmp(v, c->value) != 0;
    default: return ci_contains(v, c->value);
    }
}

static bool holds(const sm_strike *s, const cond *c)
{
    const char *f = c->field;
    if (strcmp(f, "attributed_to") == 0) {
        bool any = false;
        for (const char *const *a = s->attributed_to; a != NULL && *a != NULL; a++)
            any = any || test_one(*a, &(cond){NULL, c->value, c->op == OP_NE ? OP_EQ : c->op});
        return c->op == OP_NE ? !any : any;
    }
    const char *v = strcmp(f, "id") == 0           ? s->info.id
                    : strcmp(f, "label") == 0      ? s->info.label
                    : strcmp(f, "claimed_by") == 0 ? s->info.claimed_by
                    : strcmp(f, "source") == 0     ? s->info.source
                    : strcmp(f, "notes") == 0      ? s->info.notes
                    : strcmp(f, "weapon") == 0     ? s->weapon
                    : (unsigned)s->grading < 6     ? g_gradings[s->grading]
                                                   : NULL;
    return test_one(v, c);
}

static char *trimmed(const char *a, const char *b)
{
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    if (b - a >= 2 && *a == '\'' && b[-1] == '\'') {
        a++;
        b--;
    }
    size_t n = b > a ? (size_t)(b - a) : 0;
    char *t = malloc(n + 1);
    if (t != NULL) {
        memcpy(t, a, n);
        t[n] = '\0';
    }
    return t;
}

/* The end of the condition starting at p: the next " and ", or the end. */
static const char *cond_end(const char *p)
{
    for (const char *q = p; *q; q++)
        if (strncasecmp(q, " and ", 5) == 0)
            return q;
    return p + strlen(p);
}

/* Parse one condition [p, e); false (and a diagnostic) when it is bad. */
static bool parse_cond(sm_map *m, const char *p, const char *e, cond *c)
{
    const char *op = p;
    while (op < e && *op != '=' && *op != '~' && !(op[0] == '!' && op + 1 < e && op[1] == '='))
        op++;
    if (op == e) {
        sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.where",
                 "\"%.*s\": expected FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT, conditions "
                 "joined by \"and\"",
                 (int)(e - p), p);
        return false;
    }
    c->op = *op == '=' ? OP_EQ : *op == '~' ? OP_HAS : OP_NE;
    c->field = trimmed(p, op);
    c->value = trimmed(op + (c->op == OP_NE ? 2 : 1), e);
    if (c->field == NULL || c->value == NULL) {
        sm__map_nomem(m, "options.where");
        return false;
    }
    for (size_t i = 0; i < SM__ARRAY_LEN(g_fields); i++)
        if (strcasecmp(c->field, g_fields[i]) == 0) {
            memcpy(c->field, g_fields[i], strlen(g_fields[i])); /* same length */
            return true;
        }
    sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.where",
             "\"%s\" is not a field of a strike: use id, label, claimed_by, source, notes, "
             "grading, weapon or attributed_to",
             c->field);
    return false;
}

/* The strikes of a batch the conditions (sm__vec of cond) hold for, and
 * of those the one with options.strike_id when it is set. */
static bool pick_batch(sm_map *m, const sm_strike *s, size_t n, size_t first, void *user)
{
    const sm__vec *conds = user;
    const cond *cs = conds != NULL ? conds->data : NULL;
    const char *id = m->opt.strike_id;
    for (size_t i = 0; i < n; i++) {
        bool all = true;
        for (size_t k = 0; cs != NULL && k < conds->len && all; k++)
            all = holds(&s[i], &cs[k]);
        if (id != NULL && id[0] && strcmp(s[i].info.id, id) != 0)
            all = false;
        m->focus.strike[first + i] = all;
    }
    return true;
}

/* Pick the strikes the expression holds for. */
static sm_status pick_where(sm_map *m, const char *expr)
{
    sm__vec conds;
    sm__vec_init(&conds, sizeof(cond));
    sm_status st = SM_OK;
    for (const char *p = expr; st == SM_OK;) {
        const char *e = cond_end(p);
        cond *c = sm__vec_push(&conds);
        if (c == NULL) {
            sm__map_nomem(m, "options.where");
            st = m->status;
            break;
        }
        memset(c, 0, sizeof(*c));
        if (!parse_cond(m, p, e, c))
            st = m->status != SM_OK ? m->status : SM_ERR_USAGE;
        if (*e == '\0')
            break;
        p = e + 5;
    }
    if (st == SM_OK)
        st = sm__strikes_each(m, pick_batch, &conds);
    const cond *cs = conds.data;
    for (size_t k = 0; k < conds.len; k++) {
        free(cs[k].field);
        free(cs[k].value);
    }
    sm__vec_free(&conds);
    return st;
}

sm_status sm__focus_build(sm_map *m)
{
    sm__focus *f = &m->focus;
    const sm_claims *c = m->claims;
    const char *id = m->opt.strike_id, *where = m->opt.where;
    f->all = (id == NULL || !id[0]) && (where == NULL || !where[0]);
    if (f->all)
        return SM_OK;
    /* a byte a strike: a map of a selection holds that much per strike */
    size_t ns = sm__strike_total(m), na = sm_claims_aircraft_count(c), nb = sm_claims_base_count(c);
    f->strike = calloc(ns + 1, 1);
    f->aircraft = calloc(na + 1, 1);
    f->base = calloc(nb + 1, 1);
    if (f->strike == NULL || f->aircraft == NULL || f->base == NULL)
        return sm__nomem(m->ctx, NULL, -1, NULL, "the claims to draw");
    sm_status st =
        where != NULL && where[0] ? pick_where(m, where) : sm__strikes_each(m, pick_batch, NULL);
    if (st != SM_OK)
        return st;
    size_t picked = 0;
    for (size_t i = 0; i < ns; i++)
        picked += f->strike[i];
    if (picked == 0) {
        if (id != NULL && id[0])
            sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.strike_id",
                     "no strike with the id \"%s\"%s", id,
                     where != NULL && where[0] ? " that options.where picks" : "");
        else
            sm__diag(m->ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.where",
                     "\"%s\" holds for none of the %zu strikes", where, ns);
        return SM_ERR_USAGE;
    }
    for (size_t i = 0; i < m->pairs.len; i++) {
        const sm__mpair *p = &m->pairs.p[i];
        if (!f->strike[p->strike] || sm__mpair_launcher(p))
            continue;
        f->aircraft[p->aircraft] = 1;
        int b = sm_claims_aircraft(c, p->aircraft)->base_index;
        if (b >= 0)
            f->base[b] = 1;
    }
    return SM_OK;
}
