/*
 * check/check_internal.h: what the check module (engine, model, verdict
 * text, reach) offers the modules above it.
 */
#ifndef SM_CHECK_INTERNAL_H
#define SM_CHECK_INTERNAL_H

#include "core/internal.h"

#include "claims/claims_internal.h"

/* Model (model.c). SM_WEAPON_NOT_* flags of weapon w for aircraft a at
 * instant t (NAN: any date). */
unsigned sm__weapon_fit(sm_ctx *ctx, const sm_weapon *w, const sm_aircraft *a, double t);
/* The type's default weapons that a launches from the air and its operator
 * fields, longest range first (borrowed pointers), into out. */
sm_status sm__default_weapons(sm_ctx *ctx, const sm_aircraft *a, sm__vec *out);
/* The first of a default list in service in year (0: any year), or NULL. */
const sm_weapon *sm__pick_default(const sm_weapon *const *list, size_t n, int year);

/* The claim a pair sets against the strike, aircraft or launcher alike
 * (check.c): its record, type (the table's name, else as written, else
 * "launcher"), operator, and the position the pair measured from (the
 * binding fix, or the launcher; has_pos false for an unknown pair without
 * a fix). Borrowed pointers. */
typedef struct sm__party {
    const sm_claim_info *info;
    const char *type;
    const char *operator_name;
    const char *base; /* base id, or NULL */
    bool has_pos;
    double lon, lat;
    const sm_when *when;
} sm__party;
void sm__pair_party(const sm_pair *p, const sm_claims *claims, sm__party *out);
/* Whether the pair's fix binds to its strike (the time test was made from
 * it): the pairs maps and reports draw a fix-to-strike line for. */
bool sm__pair_fix_binds(const sm_pair *p);

/* An aircraft's type as the table names it, else as written, else
 * fallback. */
const char *sm__type_name(const sm_aircraft *a, const char *fallback);

/* The text table's one-line reason for a verdict. */
size_t sm__pair_short_reason(const sm_pair *p, const sm_claims *claims, char *buf, size_t size);

#endif
