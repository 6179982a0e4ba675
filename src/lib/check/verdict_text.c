/*
 * verdict_text.c: the words behind a verdict: the full reasons (sentences a
 * reader understands, for JSON, CSV, reports) and the one-line reason of the
 * text table. Numbers are formatted for people: thousands separators and a
 * precision that does not pretend to more than the claim holds.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check/check_internal.h"

typedef struct sbuf {
    char *buf;
    size_t size, len;
} sbuf;

static void put_bytes(sbuf *b, const char *src, size_t n)
{
    if (b->len < b->size) {
        size_t room = b->size - b->len - 1;
        memcpy(b->buf + b->len, src, n < room ? n : room);
        b->buf[b->len + (n < room ? n : room)] = '\0';
    }
    b->len += n;
}

/* A printf for sentences that knows only %s, %d and %%: the bulk outputs
 * write one paragraph a pair, tens of millions of them, and the full printf
 * machinery cost more than all the geodesy. */
static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (pct == NULL) {
            put_bytes(b, p, strlen(p));
            break;
        }
        put_bytes(b, p, (size_t)(pct - p));
        if (pct[1] == 's') {
            const char *arg = va_arg(ap, const char *);
            put_bytes(b, arg ? arg : "", arg ? strlen(arg) : 0);
        } else if (pct[1] == 'd') {
            char num[16];
            int v = va_arg(ap, int), n = 0;
            unsigned u = v < 0 ? (unsigned)(-(long)v) : (unsigned)v;
            char rev[16];
            do {
                rev[n++] = (char)('0' + u % 10);
                u /= 10;
            } while (u);
            int k = 0;
            if (v < 0)
                num[k++] = '-';
            while (n)
                num[k++] = rev[--n];
            put_bytes(b, num, (size_t)k);
        } else if (pct[1] == '%') {
            put_bytes(b, "%", 1);
        }
        p = pct[1] ? pct + 2 : pct + 1;
    }
    va_end(ap);
}

const char *sm__type_name(const sm_aircraft *a, const char *fallback)
{
    return a->type_ref ? a->type_ref->type : (a->type ? a->type : fallback);
}

static const char *type_name(const sm_aircraft *a)
{
    return sm__type_name(a, "aircraft");
}

static void fix_desc(const sm_fix *f, char *buf, size_t size)
{
    char t[40] = "";
    if (f->when.known && f->when.start == f->when.end)
        sm_time_format(f->when.start, f->when.offset_min, t, sizeof(t));
    else if (f->when.known) {
        char a[40], b[40];
        snprintf(t, sizeof(t), "%.16s..%.16s",
                 sm_time_format(f->when.start, f->when.offset_min, a, sizeof(a)),
                 sm_time_format(f->when.end, f->when.offset_min, b, sizeof(b)));
    }
    char la[40], lo[40];
    sm__fmt_fixed(f->lat, 4, la);
    sm__fmt_fixed(f->lon, 4, lo);
    sbuf b = {buf, size, 0};
    if (size > 0)
        buf[0] = '\0';
    put(&b, "%s%s %s%s%s%s", la, f->lat < 0 ? "S" : "N", lo, f->lon < 0 ? "W" : "E",
        *t ? " at " : "", t);
}

/* The weapon sentence: which weapon, why, and what does not fit. */
static void weapon_words(sbuf *b, const sm_pair *p, const char *tn, const char *op,
                         const sm_strike *s)
{
    char n1[32], n2[32];
    const char *wr = sm__fmt_num(p->weapon_range_km, 0, n1, sizeof(n1));
    const char *ws = sm__fmt_num(p->weapon_speed_kmh, 0, n2, sizeof(n2));
    switch (p->weapon_basis) {
    case SM_WEAPON_STRIKE:
        put(b, "Weapon claimed for the strike: %s (%s km at %s km/h). ", p->weapon, wr, ws);
        break;
    case SM_WEAPON_AIRCRAFT:
        put(b, "Weapon claimed for the aircraft: %s (%s km at %s km/h). ", p->weapon, wr, ws);
        break;
    case SM_WEAPON_LAUNCHER:
        put(b, "Weapon: %s (%s km at a mean %s km/h). ", p->weapon, wr, ws);
        break;
    case SM_WEAPON_DEFAULT:
        put(b,
            "Weapon assumed: %s (%s km at %s km/h), the longest-range weapon of the %s's "
            "table",
            p->weapon, wr, ws, tn);
        if (op != NULL)
            put(b, " that %s fields", op);
        if (s->when.known) {
            char y[16];
            snprintf(y, sizeof(y), "%d", sm_model_year(s->when.start));
            put(b, " and that was in service in %s", y);
        }
        put(b, " (none was claimed). ");
        break;
    case SM_WEAPON_NONE:
        put(b, "No weapon is claimed or known for the %s: it must reach the target itself. ", tn);
        break;
    }
    unsigned f = p->weapon_flags;
    if (f != 0) {
        put(b, "The weapons table");
        const char *sep = " ";
        if (f & SM_WEAPON_NOT_CARRIED) {
            put(b, "%sdoes not list the %s among the %s's carriers", sep, tn, p->weapon);
            sep = "; it ";
        }
        if (f & SM_WEAPON_NOT_FIELDED) {
            put(b, "%sdoes not list %s among its operators", sep, op ? op : "the operator");
            sep = "; it ";
        }
        if (f & SM_WEAPON_NOT_IN_SERVICE) {
            put(b, "%sgives its first use after the strike's year", sep);
            sep = "; it ";
        }
        if (f & SM_WEAPON_NOT_AIR)
            put(b, "%s%s", sep,
                p->by_kind == SM_KIND_LAUNCHER ? "has it launched from the air, not from a ship "
                                                 "or the ground"
                                               : "does not have it launched from the air");
        put(b, ". The claim is tested as made, so check it. ");
    }
}

static const char *verdict_word(sm_verdict v)
{
    return v == SM_VERDICT_IMPLAUSIBLE ? "implausible"
                                       : (v == SM_VERDICT_MARGINAL ? "marginal" : "plausible");
}

/* Why no time test: the SM_MISSING_* bits in words. */
static void missing_words(sbuf *b, const sm_pair *p, const sm_strike *s, const sm_aircraft *a,
                          const char *tn)
{
    char n1[32], n2[32];
    if (p->missing & SM_MISSING_STRIKE_TIME)
        put(b,
            "The strike %s has no time (time, or time_start and time_end), so the time "
            "available cannot be known. ",
            s->info.id);
    if (p->missing & SM_MISSING_FIX_TIME)
        put(b,
            "The %s %s has no time on its claimed position (time or times), so the time "
            "available cannot be known. ",
            tn, a->info.id);
    if (p->missing & SM_MISSING_MAX_SPEED)
        put(b,
            "The aircraft table has no top speed for the type of %s (a fallback speed or an "
            "aircraft table that has the type would give one). ",
            a->info.id);
    if (p->missing & SM_MISSING_COARSE_TIME)
        put(b,
            "The strike %s is known only to a window of %s h (a date alone is a whole "
            "day), wider than the %s h maximum gap: no claimed position can be timed "
            "against it. ",
            s->info.id,
            sm__fmt_num((s->when.end - s->when.start) / 3600 + s->when.uncertainty_min / 60, 1, n1,
                        sizeof(n1)),
            sm__fmt_num(p->max_gap_minutes / 60, 1, n2, sizeof(n2)));
    if (p->missing & SM_MISSING_NEAR_FIX) {
        put(b, "The %s %s has no claimed position within the %s h maximum gap of the strike", tn,
            a->info.id, sm__fmt_num(p->max_gap_minutes / 60, 1, n2, sizeof(n2)));
        if (isfinite(p->gap_minutes))
            put(b, " (the nearest in time is %s h away)",
                sm__fmt_num(p->gap_minutes / 60, 1, n1, sizeof(n1)));
        put(b, "; a position that old says little about where it was. ");
    }
}

static void time_words(sbuf *b, const sm_pair *p, const char *tn)
{
    char n1[32], n2[32], n3[32];
    put(b,
        "%s min available (the widest gap the claimed times allow, with their "
        "uncertainties). ",
        sm__fmt_num(p->available_minutes, 1, n1, sizeof(n1)));
    put(b, "At its top speed of %s km/h the %s could put a strike %s km from that position",
        sm__fmt_num(p->max_speed_kmh, 0, n1, sizeof(n1)), tn,
        sm__fmt_num(p->reach_km, 1, n2, sizeof(n2)));
    if (p->location_uncertainty_km > 0)
        put(b, " (with %s km of location uncertainty)",
            sm__fmt_num(p->location_uncertainty_km, 1, n3, sizeof(n3)));
    if (p->weapon != NULL)
        put(b, ", its weapon's own flight time included");
    put(b, ". ");
    bool has_cruise = isfinite(p->cruise_speed_kmh) && p->cruise_speed_kmh > 0;
    if (p->time_margin_km < 0) {
        put(b, "It would need %s km/h, more than its top speed: the time test fails by %s km. ",
            sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
            sm__fmt_num(-p->time_margin_km, 1, n2, sizeof(n2)));
    } else if (p->required_speed_kmh <= 0) {
        put(b,
            "Its weapon alone, launched from the claimed position, reaches the strike in the "
            "time: the time test holds with %s km to spare. ",
            sm__fmt_num(p->time_margin_km, 1, n1, sizeof(n1)));
    } else if (has_cruise && p->required_speed_kmh > p->cruise_speed_kmh) {
        put(b,
            "It needs %s km/h, above its cruise speed of %s km/h (top speed holds with %s km "
            "to spare): marginal. ",
            sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
            sm__fmt_num(p->cruise_speed_kmh, 0, n2, sizeof(n2)),
            sm__fmt_num(p->time_margin_km, 1, n3, sizeof(n3)));
    } else if (has_cruise) {
        put(b,
            "It needs %s km/h, within its cruise speed of %s km/h: the time test holds with "
            "%s km to spare. ",
            sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
            sm__fmt_num(p->cruise_speed_kmh, 0, n2, sizeof(n2)),
            sm__fmt_num(p->time_margin_km, 1, n3, sizeof(n3)));
    } else {
        bool marg = p->required_speed_kmh > p->marginal_fraction * p->max_speed_kmh;
        put(b,
            "It needs %s km/h, %s%% of its top speed (the table gives no cruise speed, so "
            "over %s%% is marginal): %s. ",
            sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
            sm__fmt_num(100 * p->required_speed_kmh / p->max_speed_kmh, 0, n2, sizeof(n2)),
            sm__fmt_num(100 * p->marginal_fraction, 0, n3, sizeof(n3)),
            marg ? "marginal" : "the time test holds");
    }
}

static void sortie_words(sbuf *b, const sm_pair *p, const sm_base *base)
{
    char n1[32], n2[32], n3[32], n4[32];
    put(b, "Sortie from base %s (%s km from the strike): base", base->info.id,
        sm__fmt_num(p->base_distance_km, 0, n1, sizeof(n1)));
    if (p->route_fixes == 1)
        put(b, " -> the claimed position before the strike");
    else if (p->route_fixes > 1)
        put(b, " -> the %d claimed positions before the strike", p->route_fixes);
    put(b,
        " -> release point%s -> base is %s km, against twice its combat radius (2 x %s = "
        "%s km)",
        p->weapon_range_km > 0 ? " (the weapon's range short of the target)" : "",
        sm__fmt_num(p->route_km, 0, n1, sizeof(n1)),
        sm__fmt_num(p->combat_radius_km, 0, n2, sizeof(n2)),
        sm__fmt_num(p->sortie_limit_km, 0, n3, sizeof(n3)));
    if (p->sortie_margin_km < 0)
        put(b, ": %s km too long without air-to-air refuelling, so the sortie test fails. ",
            sm__fmt_num(-p->sortie_margin_km, 0, n4, sizeof(n4)));
    else if (p->route_km > p->marginal_fraction * p->sortie_limit_km)
        put(b, ": within it, but over %s%% of it, so marginal. ",
            sm__fmt_num(100 * p->marginal_fraction, 0, n4, sizeof(n4)));
    else
        put(b, ": within it by %s km. ", sm__fmt_num(p->sortie_margin_km, 0, n4, sizeof(n4)));
}

static void launcher_words(sbuf *b, const sm_pair *p, const sm_launcher *l, const sm_strike *s)
{
    char n1[32], n2[32], n3[32];
    put(b, "Launcher %s: %s km from the strike%s", l->info.id,
        sm__fmt_num(p->distance_km, 1, n1, sizeof(n1)), s->n_rings ? " area's nearest point" : "");
    if (p->location_uncertainty_km > 0)
        put(b, " (%s km of location uncertainty)",
            sm__fmt_num(p->location_uncertainty_km, 1, n2, sizeof(n2)));
    double d = fmax(0.0, p->distance_km - p->location_uncertainty_km);
    if (d > p->weapon_range_km)
        put(b, ", beyond the %s's %s km range by %s km. ", p->weapon,
            sm__fmt_num(p->weapon_range_km, 0, n2, sizeof(n2)),
            sm__fmt_num(d - p->weapon_range_km, 1, n3, sizeof(n3)));
    else
        put(b, ", within the %s's %s km range. ", p->weapon,
            sm__fmt_num(p->weapon_range_km, 0, n2, sizeof(n2)));
    if (!isfinite(p->available_minutes)) {
        put(b, "%s, so only the range is tested. ",
            l->when.known ? "The strike has no time" : "No launch time is claimed");
        return;
    }
    double flight = p->weapon_speed_kmh > 0 ? d / p->weapon_speed_kmh * 60 : (double)NAN;
    if (p->available_minutes < 0)
        put(b, "The claimed launch is %s min after the strike: implausible. ",
            sm__fmt_num(-p->available_minutes, 1, n1, sizeof(n1)));
    else
        put(b,
            "Launched %s min before the strike (with uncertainties); the flight takes %s min "
            "at its mean speed: %s. ",
            sm__fmt_num(p->available_minutes, 1, n1, sizeof(n1)),
            sm__fmt_num(flight, 1, n2, sizeof(n2)),
            flight > p->available_minutes ? "too long" : "it fits");
}

size_t sm_pair_reasons(const sm_pair *p, const sm_claims *claims, char *buf, size_t size)
{
    sbuf b = {buf, size, 0};
    if (size > 0)
        buf[0] = '\0';
    const sm_strike *s = sm_claims_strike(claims, p->strike);
    if (s == NULL)
        return 0;
    char n1[32], n2[32];
    if (p->by_kind == SM_KIND_LAUNCHER) {
        const sm_launcher *l = sm_claims_launcher(claims, p->aircraft);
        if (l == NULL)
            return 0;
        launcher_words(&b, p, l, s);
        weapon_words(&b, p, "launcher", l->operator_name, s);
        put(&b, "Decided by the launcher test: %s. ", verdict_word(p->verdict));
    } else {
        const sm_aircraft *a = sm_claims_aircraft(claims, p->aircraft);
        if (a == NULL)
            return 0;
        const char *tn = type_name(a);
        const sm_fix *f = p->fix >= 0 ? &a->fixes[p->fix] : NULL;
        if (f != NULL) {
            char where[96];
            fix_desc(f, where, sizeof(where));
            put(&b, "%s %s claimed at %s: %s km from the strike%s", tn, a->info.id, where,
                sm__fmt_num(p->distance_km, 1, n1, sizeof(n1)),
                s->n_rings ? " area's nearest point" : "");
            if (p->missing != 0)
                put(&b, " (the claimed position %s)",
                    s->when.known && a->fixes[0].when.known ? "nearest in time" : "nearest");
            else if (p->n_binding > 1)
                put(&b, " (the tightest of the %d positions that bind)", p->n_binding);
            put(&b, ". ");
        }
        if (p->missing != 0)
            missing_words(&b, p, s, a, tn);
        weapon_words(&b, p, tn, a->operator_name, s);
        if (p->missing == 0)
            time_words(&b, p, tn);
        if (a->base_index >= 0) {
            const sm_base *base = sm_claims_base(claims, (size_t)a->base_index);
            if (isfinite(p->route_km))
                sortie_words(&b, p, base);
            else if (a->refuelled)
                put(&b,
                    "Base %s is %s km away; air-to-air refuelling is claimed, so the combat "
                    "radius does not bind. ",
                    base->info.id, sm__fmt_num(p->base_distance_km, 0, n1, sizeof(n1)));
            else
                put(&b,
                    "Base %s is %s km away; the table has no combat radius for the type, "
                    "so no sortie test. ",
                    base->info.id, sm__fmt_num(p->base_distance_km, 0, n1, sizeof(n1)));
        }
        if (p->decided_by != SM_TEST_NONE)
            put(&b, "Decided by the %s test: %s. ", sm_test_str(p->decided_by),
                verdict_word(p->verdict));
        else
            put(&b, "No test could be made: unknown. ");
        if (a->is_track && isfinite(p->closest_approach_km))
            put(&b, "The track comes within %s km of the strike. ",
                sm__fmt_num(p->closest_approach_km, 1, n2, sizeof(n2)));
    }
    if (b.len > 0 && b.len <= size)
        buf[b.len - 1] = '\0', b.len--;
    else if (b.len > 0)
        b.len--;
    return b.len;
}

/* The text table's one-line reason: the deciding test's numbers. */
size_t sm__pair_short_reason(const sm_pair *p, const sm_claims *claims, char *buf, size_t size)
{
    char n1[32], n2[32], n3[32];
    sbuf b = {buf, size, 0};
    if (size > 0)
        buf[0] = '\0';
    switch (p->decided_by) {
    case SM_TEST_NONE:
        if (p->missing & SM_MISSING_STRIKE_TIME)
            put(&b, "strike has no time");
        else if (p->missing & SM_MISSING_FIX_TIME)
            put(&b, "aircraft position has no time");
        else if (p->missing & SM_MISSING_MAX_SPEED)
            put(&b, "no top speed known for the type");
        else if (p->missing & SM_MISSING_COARSE_TIME)
            put(&b, "strike known only to a %s h window",
                sm__fmt_num((sm_claims_strike(claims, p->strike)->when.end -
                             sm_claims_strike(claims, p->strike)->when.start) /
                                3600,
                            0, n1, sizeof(n1)));
        else
            put(&b, "no claimed position within %s h (nearest %s h away)",
                sm__fmt_num(p->max_gap_minutes / 60, 0, n2, sizeof(n2)),
                sm__fmt_num(p->gap_minutes / 60, 1, n1, sizeof(n1)));
        break;
    case SM_TEST_TIME:
        if (p->time_margin_km < 0)
            put(&b, "needs %s km/h, top speed %s km/h",
                sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
                sm__fmt_num(p->max_speed_kmh, 0, n2, sizeof(n2)));
        else if (p->required_speed_kmh <= 0)
            put(&b, "weapon alone reaches it in time");
        else if (isfinite(p->cruise_speed_kmh) && p->cruise_speed_kmh > 0)
            put(&b, "needs %s km/h (cruise %s, top %s)",
                sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
                sm__fmt_num(p->cruise_speed_kmh, 0, n2, sizeof(n2)),
                sm__fmt_num(p->max_speed_kmh, 0, n3, sizeof(n3)));
        else
            put(&b, "needs %s km/h (top %s)", sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
                sm__fmt_num(p->max_speed_kmh, 0, n2, sizeof(n2)));
        break;
    case SM_TEST_SORTIE:
        if (p->route_km <= 0)
            put(&b, "target within weapon range of the base");
        else
            put(&b, "sortie %s km, limit %s km (2 x radius)",
                sm__fmt_num(p->route_km, 0, n1, sizeof(n1)),
                sm__fmt_num(p->sortie_limit_km, 0, n2, sizeof(n2)));
        if (p->missing != 0)
            put(&b, "; no timed position binds");
        break;
    case SM_TEST_LAUNCHER:
        if (isfinite(p->available_minutes) && p->available_minutes < 0)
            put(&b, "launched %s min after the strike",
                sm__fmt_num(-p->available_minutes, 0, n1, sizeof(n1)));
        else
            put(&b, "%s km, %s range %s km", sm__fmt_num(p->distance_km, 0, n1, sizeof(n1)),
                p->weapon, sm__fmt_num(p->weapon_range_km, 0, n2, sizeof(n2)));
        break;
    }
    if (p->weapon_flags & SM_WEAPON_NOT_CARRIED)
        put(&b, " [%s not carried by the type]", p->weapon);
    if (p->weapon_flags & SM_WEAPON_NOT_FIELDED)
        put(&b, " [%s not fielded by its operator]", p->weapon);
    if (p->weapon_flags & SM_WEAPON_NOT_IN_SERVICE)
        put(&b, " [%s not yet in service]", p->weapon);
    return b.len;
}

size_t sm_pair_warnings(const sm_pair *p, const sm_claims *claims, char *buf, size_t size)
{
    sbuf b = {buf, size, 0};
    if (size > 0)
        buf[0] = '\0';
    const sm_strike *s = sm_claims_strike(claims, p->strike);
    if (s == NULL)
        return 0;
    sm__party a;
    sm__pair_party(p, claims, &a);
    const struct {
        const char *what;
        const sm_claim_info *info;
    } parts[2] = {{"strike", &s->info},
                  {p->by_kind == SM_KIND_LAUNCHER ? "launcher" : "aircraft", a.info}};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; parts[k].info->warnings && parts[k].info->warnings[i]; i++)
            put(&b, "%s%s %s: %s", b.len ? "; " : "", parts[k].what, parts[k].info->id,
                parts[k].info->warnings[i]);
    return b.len;
}
