/*
 * model.c: the rules of the plausibility model (SPEC §3) that more than one
 * part of strikemap needs: how long a strike takes from a fix (the time
 * test's t(v)), how far a fix reaches in the time available, the speed a
 * claim requires, and which weapon a pair assumes. The check engine
 * (check.c) records what these give in each sm_pair; the reasons text, the
 * map and the reports read the records. See strikemap/model.h for the
 * formulas and a worked example.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/check_internal.h"

static bool has_weapon(double range_km, double speed_kmh)
{
    return sm__has_weapon(range_km, speed_kmh);
}

double sm_model_time_needed_min(double d, double v, double R, double w)
{
    if (!(d > 0))
        return 0;
    if (has_weapon(R, w) && !(v > w)) {
        double rp = fmin(d, R);
        double fly = d - rp;
        if (fly > 0 && !(v > 0))
            return (double)INFINITY;
        return ((fly > 0 ? fly / v : 0) + rp / w) * 60.0;
    }
    if (!(v > 0))
        return (double)INFINITY;
    return d / v * 60.0;
}

double sm_model_reach_km(double v, double minutes, double R, double w)
{
    return sm__reach_km(v, minutes, R, w); /* check_internal.h */
}

double sm_model_required_speed_kmh(double d, double minutes, double R, double w)
{
    if (!(d > 0))
        return 0;
    double h = fmax(0.0, minutes) / 60.0;
    if (has_weapon(R, w)) {
        if (d <= R) {
            if (d / w <= h)
                return 0;                            /* the weapon alone, launched from the fix */
            return h > 0 ? d / h : (double)INFINITY; /* only faster than the weapon */
        }
        double flight_h = R / w;
        if (h > flight_h) {
            double va = (d - R) / (h - flight_h);
            if (va <= w)
                return va;
        }
        /* Faster than its own weapon: the carrier flies all the way. */
        return h > 0 ? d / h : (double)INFINITY;
    }
    return h > 0 ? d / h : (double)INFINITY;
}

const char *sm_weapon_basis_str(sm_weapon_basis b)
{
    switch (b) {
    case SM_WEAPON_NONE: return "none";
    case SM_WEAPON_STRIKE: return "strike";
    case SM_WEAPON_AIRCRAFT: return "aircraft";
    case SM_WEAPON_DEFAULT: return "default";
    case SM_WEAPON_LAUNCHER: return "launcher";
    }
    return "none";
}

int sm_model_year(double t)
{
    if (!isfinite(t))
        return 0;
    if (fabs(t) < 1e12) {
        /* the proleptic Gregorian year of the day, by arithmetic (what
         * gmtime_r gives, without its lock on the time zone: the engine
         * asks once a strike, on every worker) */
        int64_t z = (int64_t)floor(t / 86400.0) + 719468; /* days from 0000-03-01 */
        int64_t era = (z >= 0 ? z : z - 146096) / 146097;
        int64_t doe = z - era * 146097;                                      /* [0, 146096] */
        int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
        int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* from March 1 */
        int64_t mp = (5 * doy + 2) / 153;                                    /* March is 0 */
        return (int)(yoe + era * 400 + (mp >= 10));
    }
    time_t tt = (time_t)floor(t);
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL)
        return 0;
    return tm.tm_year + 1900;
}

static bool type_matches(const sm_aircraft_type *t, const char *name)
{
    if (sm__str_ieq(t->type, name))
        return true;
    for (size_t i = 0; t->aliases && t->aliases[i]; i++)
        if (sm__str_ieq(t->aliases[i], name))
            return true;
    return false;
}

unsigned sm__weapon_fit(sm_ctx *ctx, const sm_weapon *w, const sm_aircraft *a, double t)
{
    unsigned flags = 0;
    if (!(w->launch & SM_LAUNCH_AIR))
        flags |= SM_WEAPON_NOT_AIR;
    if (a->type_ref != NULL && w->carriers != NULL && w->carriers[0] != NULL) {
        bool carried = false;
        for (size_t k = 0; w->carriers[k] && !carried; k++)
            carried = type_matches(a->type_ref, w->carriers[k]);
        if (!carried)
            flags |= SM_WEAPON_NOT_CARRIED;
    }
    if (a->operator_name != NULL && w->operators != NULL && w->operators[0] != NULL) {
        bool fielded = false;
        for (size_t k = 0; w->operators[k] && !fielded; k++)
            fielded = sm_tables_operator_includes(ctx, w->operators[k], a->operator_name, t);
        if (!fielded)
            flags |= SM_WEAPON_NOT_FIELDED;
    }
    int year = sm_model_year(t);
    if (year > 0 && w->in_service > year)
        flags |= SM_WEAPON_NOT_IN_SERVICE;
    return flags;
}

static int cmp_range_desc(const void *x, const void *y)
{
    const sm_weapon *a = *(const sm_weapon *const *)x, *b = *(const sm_weapon *const *)y;
    if (a->range_km != b->range_km)
        return a->range_km > b->range_km ? -1 : 1;
    return strcmp(a->name, b->name); /* a tie goes by name, the same everywhere */
}

/* Whether w may be one of a's defaults whatever the year: air-launched and
 * fielded by its operator (any operator when it has none). */
static bool default_fits(sm_ctx *ctx, const sm_weapon *w, const sm_aircraft *a)
{
    return !(sm__weapon_fit(ctx, w, a, (double)NAN) & (SM_WEAPON_NOT_AIR | SM_WEAPON_NOT_FIELDED));
}

sm_status sm__default_weapons(sm_ctx *ctx, const sm_aircraft *a, sm__vec *out)
{
    out->len = 0;
    const sm_aircraft_type *t = a->type_ref;
    for (size_t i = 0; t && t->default_weapons && t->default_weapons[i]; i++) {
        const sm_weapon *w = sm_tables_find_weapon(ctx, t->default_weapons[i]);
        if (w == NULL)
            continue;
        /* The year is left to sm__pick_default: one list serves every strike. */
        if (!default_fits(ctx, w, a))
            continue;
        const sm_weapon **slot = sm__vec_push(out);
        if (slot == NULL)
            return sm__nomem(ctx, NULL, -1, NULL, NULL);
        *slot = w;
    }
    if (out->len > 1)
        qsort(out->data, out->len, sizeof(const sm_weapon *), cmp_range_desc);
    return SM_OK;
}

const sm_weapon *sm__pick_default(const sm_weapon *const *list, size_t n, int year)
{
    for (size_t i = 0; i < n; i++)
        if (year <= 0 || list[i]->in_service <= year)
            return list[i];
    return NULL;
}

const sm_weapon *sm_model_weapon(sm_ctx *ctx, const sm_strike *s, const sm_aircraft *a,
                                 double year_time, sm_weapon_basis *basis, unsigned *flags)
{
    unsigned f = 0;
    const sm_weapon *w = NULL;
    sm_weapon_basis b = SM_WEAPON_NONE;
    if (s != NULL && s->weapon_ref != NULL) {
        w = s->weapon_ref;
        b = SM_WEAPON_STRIKE;
    } else if (a != NULL && a->weapon_ref != NULL) {
        w = a->weapon_ref;
        b = SM_WEAPON_AIRCRAFT;
    }
    if (w != NULL && a != NULL) {
        f = sm__weapon_fit(ctx, w, a, year_time);
    } else if (a != NULL && a->type_ref != NULL) {
        /* The same rule as the engine's list (sm__default_weapons then
         * sm__pick_default), without allocating: the fitting default in
         * service that year that sorts first (longest range). */
        int year = sm_model_year(year_time);
        const sm_aircraft_type *t = a->type_ref;
        for (size_t i = 0; t->default_weapons && t->default_weapons[i]; i++) {
            const sm_weapon *d = sm_tables_find_weapon(ctx, t->default_weapons[i]);
            if (d == NULL || !default_fits(ctx, d, a) || (year > 0 && d->in_service > year))
                continue;
            if (w == NULL || cmp_range_desc(&d, &w) < 0)
                w = d;
        }
        b = w != NULL ? SM_WEAPON_DEFAULT : SM_WEAPON_NONE;
    }
    if (basis != NULL)
        *basis = b;
    if (flags != NULL)
        *flags = f;
    return w;
}
