/*
 * fields.c: the one list of fields that every verdict format carries, and
 * a pair's values for them (read from the record the engine keeps in
 * sm_pair, never re-derived), with the JSON and CSV forms of text and
 * numbers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/output_internal.h"

const field sm__fields[X_COUNT] = {
    [X_STRIKE] = {"strike", F_STR, 0},
    [X_STRIKE_LABEL] = {"strike_label", F_STR, 0},
    [X_STRIKE_CLAIMED_BY] = {"strike_claimed_by", F_STR, 0},
    [X_STRIKE_TIME_START] = {"strike_time_start", F_TIME, 0},
    [X_STRIKE_TIME_END] = {"strike_time_end", F_TIME, 0},
    [X_STRIKE_LON] = {"strike_lon", F_NUM, 6},
    [X_STRIKE_LAT] = {"strike_lat", F_NUM, 6},
    [X_AIRCRAFT] = {"aircraft", F_STR, 0},
    [X_AIRCRAFT_KIND] = {"aircraft_kind", F_STR, 0},
    [X_AIRCRAFT_TYPE] = {"aircraft_type", F_STR, 0},
    [X_AIRCRAFT_OPERATOR] = {"aircraft_operator", F_STR, 0},
    [X_AIRCRAFT_CLAIMED_BY] = {"aircraft_claimed_by", F_STR, 0},
    [X_VERDICT] = {"verdict", F_STR, 0},
    [X_DECIDED_BY] = {"decided_by", F_STR, 0},
    [X_DISTANCE] = {"distance_km", F_NUM, 3},
    [X_AVAILABLE] = {"available_minutes", F_NUM, 2},
    [X_REQUIRED] = {"required_speed_kmh", F_NUM, 1},
    [X_CRUISE_SPEED] = {"cruise_speed_kmh", F_NUM, 1},
    [X_MAX_SPEED] = {"max_speed_kmh", F_NUM, 1},
    [X_REACH] = {"reach_km", F_NUM, 3},
    [X_WEAPON] = {"weapon", F_STR, 0},
    [X_WEAPON_BASIS] = {"weapon_basis", F_STR, 0},
    [X_WEAPON_ASSUMED] = {"weapon_assumed", F_BOOL, 0},
    [X_WEAPON_RANGE] = {"weapon_range_km", F_NUM, 3},
    [X_WEAPON_SPEED] = {"weapon_speed_kmh", F_NUM, 1},
    [X_WEAPON_FLAGS] = {"weapon_flags", F_STR, 0},
    [X_WEAPON_NOT_CARRIED] = {"weapon_not_carried", F_BOOL, 0},
    [X_LOC_UNC] = {"location_uncertainty_km", F_NUM, 3},
    [X_BASE] = {"base", F_STR, 0},
    [X_BASE_DISTANCE] = {"base_distance_km", F_NUM, 3},
    [X_ROUTE] = {"route_km", F_NUM, 3},
    [X_COMBAT_RADIUS] = {"combat_radius_km", F_NUM, 3},
    [X_MARGIN] = {"margin_km", F_NUM, 3},
    [X_TIME_MARGIN] = {"time_margin_km", F_NUM, 3},
    [X_SORTIE_MARGIN] = {"sortie_margin_km", F_NUM, 3},
    [X_LAUNCHER_MARGIN] = {"launcher_margin_km", F_NUM, 3},
    [X_CLOSEST] = {"closest_approach_km", F_NUM, 3},
    [X_FIX_INDEX] = {"fix_index", F_INT, 0},
    [X_FIX_LON] = {"fix_lon", F_NUM, 6},
    [X_FIX_LAT] = {"fix_lat", F_NUM, 6},
    [X_FIX_TIME_START] = {"fix_time_start", F_TIME, 0},
    [X_FIX_TIME_END] = {"fix_time_end", F_TIME, 0},
    [X_MISSING] = {"missing", F_STR, 0},
    [X_WARNINGS] = {"warnings", F_STR, 0},
    [X_REASONS] = {"reasons", F_STR, 0},
};

/* A claimed time as two fields, the start and the end of its window (the
 * same instant for a time without a window), each in the claim's offset. */
static void when_fields(row *r, int first, int slot, const sm_when *w)
{
    if (!w->known)
        return;
    for (int k = 0; k < 2; k++) {
        value *v = &r->v[first + k];
        double t = k == 0 ? w->start : w->end;
        sm_time_format(t, w->offset_min, r->times[slot + k], sizeof(r->times[0]));
        v->str = r->times[slot + k];
        v->num = t;
        v->offset_min = w->offset_min;
        v->null = false;
    }
}

void sm__fill_row(row *r, const sm_pair *p, const sm_claims *claims)
{
    const sm_strike *s = sm_claims_strike(claims, p->strike);
    sm__party a;
    sm__pair_party(p, claims, &a);
    for (int i = 0; i < X_COUNT; i++) {
        r->v[i].null = true;
        r->v[i].str = NULL;
        r->v[i].num = (double)NAN;
        r->v[i].offset_min = 0;
    }
#define S(i, text) (r->v[i].str = (text), r->v[i].null = r->v[i].str == NULL)
#define N(i, x)    (r->v[i].num = (x), r->v[i].null = !isfinite(r->v[i].num))
    S(X_STRIKE, s->info.id);
    S(X_STRIKE_LABEL, s->info.label);
    S(X_STRIKE_CLAIMED_BY, s->info.claimed_by);
    when_fields(r, X_STRIKE_TIME_START, 0, &s->when);
    N(X_STRIKE_LON, s->lon);
    N(X_STRIKE_LAT, s->lat);
    S(X_AIRCRAFT, a.info->id);
    S(X_AIRCRAFT_KIND, p->by_kind == SM_KIND_LAUNCHER ? "launcher" : "aircraft");
    if (p->by_kind == SM_KIND_LAUNCHER) {
        S(X_AIRCRAFT_TYPE, NULL);
    } else {
        const sm_aircraft *ac = sm_claims_aircraft(claims, p->aircraft);
        S(X_AIRCRAFT_TYPE, ac->type_ref ? ac->type_ref->type : ac->type);
    }
    S(X_AIRCRAFT_OPERATOR, a.operator_name);
    S(X_AIRCRAFT_CLAIMED_BY, a.info->claimed_by);
    S(X_VERDICT, sm_verdict_str(p->verdict));
    S(X_DECIDED_BY, sm_test_str(p->decided_by));
    N(X_DISTANCE, p->distance_km);
    N(X_AVAILABLE, p->available_minutes);
    N(X_REQUIRED, p->required_speed_kmh);
    N(X_CRUISE_SPEED, p->cruise_speed_kmh);
    N(X_MAX_SPEED, p->max_speed_kmh);
    N(X_REACH, p->reach_km);
    S(X_WEAPON, p->weapon);
    S(X_WEAPON_BASIS, sm_weapon_basis_str(p->weapon_basis));
    r->v[X_WEAPON_ASSUMED].null = p->weapon == NULL;
    r->v[X_WEAPON_ASSUMED].num = p->weapon_assumed;
    N(X_WEAPON_RANGE, p->weapon_range_km);
    N(X_WEAPON_SPEED, p->weapon_speed_kmh);
    snprintf(r->flags, sizeof(r->flags), "%s%s%s%s",
             (p->weapon_flags & SM_WEAPON_NOT_CARRIED) ? "not_carried;" : "",
             (p->weapon_flags & SM_WEAPON_NOT_FIELDED) ? "not_fielded;" : "",
             (p->weapon_flags & SM_WEAPON_NOT_IN_SERVICE) ? "not_in_service;" : "",
             (p->weapon_flags & SM_WEAPON_NOT_AIR) ? "launch_mismatch;" : "");
    size_t fl = strlen(r->flags);
    if (fl > 0) {
        r->flags[fl - 1] = '\0';
        S(X_WEAPON_FLAGS, r->flags);
    }
    r->v[X_WEAPON_NOT_CARRIED].null = p->weapon == NULL;
    r->v[X_WEAPON_NOT_CARRIED].num = (p->weapon_flags & SM_WEAPON_NOT_CARRIED) != 0;
    N(X_LOC_UNC, p->location_uncertainty_km);
    S(X_BASE, a.base);
    N(X_BASE_DISTANCE, p->base_distance_km);
    N(X_ROUTE, p->route_km);
    N(X_COMBAT_RADIUS, p->combat_radius_km);
    N(X_MARGIN, p->margin_km);
    N(X_TIME_MARGIN, p->time_margin_km);
    N(X_SORTIE_MARGIN, p->sortie_margin_km);
    N(X_LAUNCHER_MARGIN, p->launcher_margin_km);
    N(X_CLOSEST, p->closest_approach_km);
    if (a.has_pos) {
        if (p->fix >= 0)
            N(X_FIX_INDEX, (double)p->fix);
        N(X_FIX_LON, a.lon);
        N(X_FIX_LAT, a.lat);
        if (a.when != NULL)
            when_fields(r, X_FIX_TIME_START, 2, a.when);
    }
    snprintf(r->missing, sizeof(r->missing), "%s%s%s%s%s",
             (p->missing & SM_MISSING_STRIKE_TIME) ? "strike.time;" : "",
             (p->missing & SM_MISSING_FIX_TIME) ? "aircraft.time;" : "",
             (p->missing & SM_MISSING_NEAR_FIX) ? "aircraft.fix_within_max_gap;" : "",
             (p->missing & SM_MISSING_COARSE_TIME) ? "strike.time_within_max_gap;" : "",
             (p->missing & SM_MISSING_MAX_SPEED) ? "aircraft.max_speed_kmh;" : "");
    size_t ml = strlen(r->missing);
    if (ml > 0) {
        r->missing[ml - 1] = '\0';
        S(X_MISSING, r->missing);
    }
    r->reasons_heap = NULL;
    r->nomem = false;
    r->warnings = NULL;
    size_t wn = sm_pair_warnings(p, claims, NULL, 0);
    if (wn > 0) {
        r->warnings = malloc(wn + 1);
        if (r->warnings != NULL) {
            sm_pair_warnings(p, claims, r->warnings, wn + 1);
            S(X_WARNINGS, r->warnings);
        } else {
            r->nomem = true;
        }
    }
    size_t need = sm_pair_reasons(p, claims, r->reasons, sizeof(r->reasons));
    if (need >= sizeof(r->reasons)) {
        r->reasons_heap = malloc(need + 1);
        if (r->reasons_heap != NULL) {
            sm_pair_reasons(p, claims, r->reasons_heap, need + 1);
        } else {
            r->nomem = true; /* the writer fails; the row is not used */
        }
    }
    S(X_REASONS, r->reasons_heap != NULL ? r->reasons_heap : r->reasons);
#undef S
#undef N
}

void sm__free_row(row *r)
{
    free(r->reasons_heap);
    r->reasons_heap = NULL;
    free(r->warnings);
    r->warnings = NULL;
}

/* ---- the writer --------------------------------------------------------- */
void sm__json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

void sm__csv_str(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const char *p = s; *p;) {
        const char *q = strchr(p, '"');
        size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
        fwrite(p, 1, n, out);
        if (q)
            fputc('"', out); /* a quote is doubled */
        p += n;
    }
    fputc('"', out);
}

/* A number as JSON and CSV carry it: the shortest of its fixed-point
 * form ("12.5", "3"), exponent form from 1e15 on; never NaN or infinity
 * (the rows hold those as null, and this writes null for any that
 * slips through). */
void sm__num_out(FILE *out, double v, int decimals)
{
    if (!isfinite(v)) {
        fputs("null", out);
        return;
    }
    char buf[1 + SM__FMT_FIXED_MAX];
    buf[0] = '-';
    char *digits = buf + 1;
    size_t len = sm__fmt_fixed(v, decimals, digits);
    /* trim trailing zeros of a fixed-point form: 12.500 -> 12.5, 3.000 -> 3 */
    if (len > 0 && memchr(digits, '.', len) != NULL && memchr(digits, 'e', len) == NULL) {
        while (len > 1 && digits[len - 1] == '0')
            digits[--len] = '\0';
        if (digits[len - 1] == '.')
            digits[--len] = '\0';
    }
    bool zero = strspn(digits, "0.") == len;
    if (v < 0 && !zero)
        fwrite(buf, 1, len + 1, out);
    else
        fwrite(digits, 1, len, out);
}
