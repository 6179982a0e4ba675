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

#include "internal.h"

/* |v| with the given decimals (clamped to 0 to 9) into buf (at least
 * SM__FMT_FIXED_MAX bytes), as printf's "%.*f" would write it, but without
 * its cost: the bulk outputs print tens of millions of numbers. Returns the
 * length, always below SM__FMT_FIXED_MAX.
 * From 1e15 on (no decimals left to a double there) the number is written
 * in exponent form ("1.0000000000000001e+300", at most 23 characters)
 * rather than as up to 309 digits; a non-finite v writes "0" (the writers
 * never pass one: they write such a number as null). */
/* What sm__fmt_fixed writes if snprintf ever failed (it cannot for the
 * lengths above, but the bytes written must never be left undefined). */
static size_t fixed_failed(char *buf)
{
    buf[0] = '0';
    buf[1] = '\0';
    return 1;
}

size_t sm__fmt_fixed(double v, int decimals, char *buf)
{
    static const double pow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    decimals = decimals < 0 ? 0 : (decimals > 9 ? 9 : decimals);
    double a = fabs(v);
    if (!isfinite(a))
        return fixed_failed(buf);
    int n_;
    if (!(a < 1e15)) {
        n_ = snprintf(buf, SM__FMT_FIXED_MAX, "%.17g", a);
        return n_ > 0 && n_ < SM__FMT_FIXED_MAX ? (size_t)n_ : fixed_failed(buf);
    }
    double scaled = a * pow10[decimals];
    /* Near a tie the product has rounded; the exact binary value decides,
     * as printf's would. From 2^53 on the product is no longer exact
     * (and from 2^64 it would overflow the integer). */
    if (!(scaled < 9007199254740992.0) || fabs(scaled - floor(scaled) - 0.5) < 1e-6) {
        n_ = snprintf(buf, SM__FMT_FIXED_MAX, "%.*f", decimals, a);
        return n_ > 0 && n_ < SM__FMT_FIXED_MAX ? (size_t)n_ : fixed_failed(buf);
    }
    unsigned long long n = (unsigned long long)scaled;
    if (scaled - (double)n > 0.5)
        n++;
    char digits[32];
    int k = 0;
    do {
        digits[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0 || k <= decimals);
    size_t len = 0;
    for (int i = k - 1; i >= 0; i--) {
        buf[len++] = digits[i];
        if (i == decimals && decimals > 0)
            buf[len++] = '.';
    }
    buf[len] = '\0';
    return len;
}

/* "1,098" style, with the given decimals; from 1e15 on "1e+300" style. */
char *sm__fmt_num(double v, int decimals, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    if (!isfinite(v)) {
        snprintf(buf, size, "%s", isnan(v) ? "-" : (v > 0 ? "inf" : "-inf"));
        return buf;
    }
    if (!(fabs(v) < 1e15)) {
        snprintf(buf, size, "%.6g", v);
        return buf;
    }
    char raw[SM__FMT_FIXED_MAX];
    size_t raw_len = sm__fmt_fixed(v, decimals, raw);
    char *dot = memchr(raw, '.', raw_len);
    size_t int_len = dot ? (size_t)(dot - raw) : raw_len;
    /* sign, digits with a comma every three, the decimals */
    char out[2 * SM__FMT_FIXED_MAX];
    size_t k = 0;
    /* a value that rounds to zero prints without its sign */
    bool neg = v < 0 && strspn(raw, "0.") != raw_len;
    if (neg)
        out[k++] = '-';
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = raw[i];
    }
    if (dot)
        for (const char *p = dot; *p && k + 1 < sizeof(out); p++)
            out[k++] = *p;
    out[k] = '\0';
    snprintf(buf, size, "%s", out);
    return buf;
}

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

size_t sm_pair_reasons(const sm_pair *p, const sm_claims *claims, char *buf, size_t size)
{
    sbuf b = {buf, size, 0};
    if (size > 0)
        buf[0] = '\0';
    const sm_strike *s = sm_claims_strike(claims, p->strike);
    const sm_aircraft *a = sm_claims_aircraft(claims, p->aircraft);
    if (s == NULL || a == NULL)
        return 0;
    char n1[32], n2[32], n3[32];
    const char *tn = type_name(a);
    if (p->verdict == SM_VERDICT_UNKNOWN) {
        if (p->missing & SM_MISSING_STRIKE_TIME)
            put(&b, "The strike %s has no time (time, or time_start and time_end), so the time "
                    "available cannot be known. ",
                s->info.id);
        if (p->missing & SM_MISSING_FIX_TIME)
            put(&b, "The %s %s has no time on its claimed position (time or times), so the "
                    "time available cannot be known. ",
                tn, a->info.id);
        if (p->missing & SM_MISSING_MAX_SPEED)
            put(&b, "The aircraft table has no top speed for the type of %s (give --speed "
                    "KMH or --aircraft FILE). ",
                a->info.id);
        if (p->missing & SM_MISSING_NEAR_FIX) {
            put(&b, "The %s %s has no claimed position within the maximum gap of the strike",
                tn, a->info.id);
            if (isfinite(p->gap_minutes))
                put(&b, " (the nearest in time is %s h away)",
                    sm__fmt_num(p->gap_minutes / 60, 1, n1, sizeof(n1)));
            put(&b, "; a position that old says little about where it was. ");
        }
        if (b.len > 0 && b.len <= size)
            buf[b.len - 1] = '\0', b.len--;
        return b.len;
    }
    const sm_fix *f = p->fix >= 0 ? &a->fixes[p->fix] : NULL;
    if (f != NULL) {
        char where[96];
        fix_desc(f, where, sizeof(where));
        put(&b, "%s %s claimed at %s: %s km from the strike%s", tn, a->info.id, where,
            sm__fmt_num(p->distance_km, 1, n1, sizeof(n1)),
            s->n_rings ? " area's nearest point" : "");
        if (p->n_binding > 1)
            put(&b, " (the tighter of the %d fixes around the strike time)", p->n_binding);
        put(&b, ". ");
    }
    put(&b, "%s min available (the widest gap the claimed times allow, with uncertainties): "
            "%s km at its top speed of %s km/h. ",
        sm__fmt_num(p->available_minutes, 1, n1, sizeof(n1)),
        sm__fmt_num(p->max_speed_kmh * p->available_minutes / 60, 0, n2, sizeof(n2)),
        sm__fmt_num(p->max_speed_kmh, 0, n3, sizeof(n3)));
    if (p->weapon != NULL && p->weapon_assumed)
        put(&b, "Weapon assumed: %s (%s km), the type's longest-range usual weapon. ", p->weapon,
            sm__fmt_num(p->weapon_range_km, 1, n1, sizeof(n1)));
    else if (p->weapon != NULL)
        put(&b, "Weapon claimed: %s (%s km). ", p->weapon,
            sm__fmt_num(p->weapon_range_km, 1, n1, sizeof(n1)));
    if (p->weapon_not_carried)
        put(&b, "The weapons table does not list the %s among the carriers of the %s; its "
                "range is counted all the same, so check that claim. ",
            tn, p->weapon);
    else
        put(&b, "No weapon known, none counted. ");
    put(&b, "Reach %s km", sm__fmt_num(p->reach_km, 1, n1, sizeof(n1)));
    if (p->location_uncertainty_km > 0)
        put(&b, " with %s km of location uncertainty",
            sm__fmt_num(p->location_uncertainty_km, 1, n1, sizeof(n1)));
    put(&b, ". ");
    if (p->distance_km > p->reach_km)
        put(&b, "It would need %s km/h to bring the strike within weapon range, more than its "
                "top speed: implausible. ",
            sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)));
    else if (p->required_speed_kmh <= 0)
        put(&b, "The strike is within weapon range of the claimed position. ");
    else
        put(&b, "It would need %s km/h, %s%% of its top speed. ",
            sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
            sm__fmt_num(100 * p->required_speed_kmh / p->max_speed_kmh, 0, n2, sizeof(n2)));
    if (a->base_index >= 0) {
        const sm_base *base = sm_claims_base(claims, (size_t)a->base_index);
        if (a->refuelled)
            put(&b, "Base %s is %s km away; air-to-air refuelling is claimed, so combat radius "
                    "does not bind. ",
                base->info.id, sm__fmt_num(p->base_distance_km, 0, n1, sizeof(n1)));
        else if (isfinite(p->combat_radius_km)) {
            double allowed = p->combat_radius_km + p->weapon_range_km +
                             s->location_uncertainty_km;
            put(&b, "Base %s is %s km away, %s its combat radius of %s km plus weapon range and "
                    "uncertainty (%s km)%s. ",
                base->info.id, sm__fmt_num(p->base_distance_km, 0, n1, sizeof(n1)),
                p->base_distance_km <= allowed ? "within" : "beyond",
                sm__fmt_num(p->combat_radius_km, 0, n2, sizeof(n2)),
                sm__fmt_num(allowed, 0, n3, sizeof(n3)),
                p->base_distance_km <= allowed ? "" : ": implausible without air-to-air "
                                                      "refuelling");
        } else
            put(&b, "Base %s is %s km away; the table has no combat radius for the type. ",
                base->info.id, sm__fmt_num(p->base_distance_km, 0, n1, sizeof(n1)));
    }
    if (a->is_track)
        put(&b, "The track comes within %s km of the strike. ",
            sm__fmt_num(p->closest_approach_km, 1, n1, sizeof(n1)));
    if (b.len > 0 && b.len <= size)
        buf[b.len - 1] = '\0', b.len--;
    else if (b.len > 0)
        b.len--;
    return b.len;
}

/* The text table's one-line reason. */
size_t sm__pair_short_reason(const sm_pair *p, const sm_claims *claims, char *buf, size_t size)
{
    char n1[32], n2[32], n3[32];
    const sm_aircraft *a = sm_claims_aircraft(claims, p->aircraft);
    int n = 0;
    if (p->verdict == SM_VERDICT_UNKNOWN) {
        if (p->missing & SM_MISSING_STRIKE_TIME)
            n = snprintf(buf, size, "strike has no time");
        else if (p->missing & SM_MISSING_FIX_TIME)
            n = snprintf(buf, size, "aircraft position has no time");
        else if (p->missing & SM_MISSING_MAX_SPEED)
            n = snprintf(buf, size, "no top speed known for the type");
        else
            n = snprintf(buf, size, "no claimed position near the strike time (nearest %s h "
                                    "away)",
                         sm__fmt_num(p->gap_minutes / 60, 1, n1, sizeof(n1)));
        return n < 0 ? 0 : (size_t)n;
    }
    double unc = sm_claims_strike(claims, p->strike)->location_uncertainty_km;
    bool base_fails = isfinite(p->combat_radius_km) &&
                      p->base_distance_km > p->combat_radius_km + p->weapon_range_km + unc;
    double speed_frac = p->required_speed_kmh / p->max_speed_kmh;
    double radius_frac = isfinite(p->combat_radius_km)
                             ? (p->base_distance_km - p->weapon_range_km - unc) /
                                   p->combat_radius_km
                             : 0;
    if (p->verdict == SM_VERDICT_IMPLAUSIBLE && p->distance_km > p->reach_km)
        n = snprintf(buf, size, "needs %s km/h, top speed %s km/h",
                     sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
                     sm__fmt_num(p->max_speed_kmh, 0, n2, sizeof(n2)));
    else if (p->verdict == SM_VERDICT_IMPLAUSIBLE && base_fails)
        n = snprintf(buf, size, "base %s km away, combat radius %s km",
                     sm__fmt_num(p->base_distance_km, 0, n1, sizeof(n1)),
                     sm__fmt_num(p->combat_radius_km, 0, n2, sizeof(n2)));
    else if (p->required_speed_kmh <= 0 && p->verdict != SM_VERDICT_MARGINAL)
        n = snprintf(buf, size, "within weapon range of the claimed position");
    else if (p->verdict == SM_VERDICT_MARGINAL && radius_frac > speed_frac)
        n = snprintf(buf, size, "base %s km away, near its %s km combat radius",
                     sm__fmt_num(p->base_distance_km, 0, n1, sizeof(n1)),
                     sm__fmt_num(p->combat_radius_km, 0, n2, sizeof(n2)));
    else
        n = snprintf(buf, size, "needs %s%% of top speed (%s of %s km/h)",
                     sm__fmt_num(100 * p->required_speed_kmh / p->max_speed_kmh, 0, n3,
                                 sizeof(n3)),
                     sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
                     sm__fmt_num(p->max_speed_kmh, 0, n2, sizeof(n2)));
    if (n > 0 && p->weapon_not_carried && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " [%s not carried by %s]", p->weapon,
                      a->type_ref ? a->type_ref->type : "its type");
    return n < 0 ? 0 : (size_t)n;
}
