/*
 * map_titles.c: the texts the furniture writes from the claims (the
 * furniture module): the default subtitle (counts, dates and verdicts of
 * what is drawn) and the attribution's claimants and sources.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "map/map_internal.h"

/* ---- default title and subtitle ------------------------------------------ */

static const char *const g_mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void day_of(double t, struct tm *tm)
{
    time_t tt = (time_t)floor(t);
    gmtime_r(&tt, tm);
}

/* "10 Feb 2016", "1-15 Feb 2016", "28 Jan - 15 Feb 2016" (UTC dates). */
static void format_span(double a, double b, char *buf, size_t size)
{
    struct tm x, y;
    day_of(a, &x);
    day_of(b, &y);
    if (x.tm_year == y.tm_year && x.tm_yday == y.tm_yday)
        snprintf(buf, size, "%d %s %d", x.tm_mday, g_mon[x.tm_mon], x.tm_year + 1900);
    else if (x.tm_year == y.tm_year && x.tm_mon == y.tm_mon)
        snprintf(buf, size, "%d\u2013%d %s %d", x.tm_mday, y.tm_mday, g_mon[x.tm_mon],
                 x.tm_year + 1900);
    else if (x.tm_year == y.tm_year)
        snprintf(buf, size, "%d %s \u2013 %d %s %d", x.tm_mday, g_mon[x.tm_mon], y.tm_mday,
                 g_mon[y.tm_mon], x.tm_year + 1900);
    else
        snprintf(buf, size, "%d %s %d \u2013 %d %s %d", x.tm_mday, g_mon[x.tm_mon],
                 x.tm_year + 1900, y.tm_mday, g_mon[y.tm_mon], y.tm_year + 1900);
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* A count for people ("1,000"), in a buffer that lives for the statement. */
#define NUM(n) sm__fmt_num((double)(n), 0, (char[SM__FMT_COUNT_MAX]){0}, SM__FMT_COUNT_MAX)

/* Widen [*lo, *hi] by a claim's time. */
static void span_add(const sm_when *w, bool *any, double *lo, double *hi)
{
    if (!w->known)
        return;
    if (!*any || w->start < *lo)
        *lo = w->start;
    if (!*any || w->end > *hi)
        *hi = w->end;
    *any = true;
}

/* The strikes in focus: their number and time span. */
typedef struct strike_span {
    size_t n;
    bool any;
    double t0, t1;
} strike_span;

static bool span_batch(sm_map *m, const sm_strike *s, size_t n, size_t first, void *user)
{
    strike_span *sp = user;
    for (size_t i = 0; i < n; i++)
        if (sm__focus_strike(m, first + i)) {
            sp->n++;
            span_add(&s[i].when, &sp->any, &sp->t0, &sp->t1);
        }
    return true;
}

/* The time span of what is drawn: of every claim when all are. */
static bool drawn_span(sm_map *m, bool strikes, bool aircraft, double *t0, double *t1)
{
    const sm_claims *c = m->claims;
    if (m->focus.all && strikes && aircraft)
        return sm_claims_time_span(c, t0, t1);
    bool any = false;
    strike_span sp = {0, false, 0, 0};
    if (strikes && sm__strikes_each(m, span_batch, &sp) == SM_OK && sp.any) {
        any = true;
        *t0 = sp.t0;
        *t1 = sp.t1;
    }
    for (size_t i = 0; aircraft && i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        for (size_t k = 0; sm__focus_aircraft(m, i) && k < a->n_fixes; k++)
            span_add(&a->fixes[k].when, &any, t0, t1);
    }
    return any;
}

/* The pairs drawn, by verdict: the check's summary when every claim is
 * drawn, else the listed pairs in focus. False when none is drawn. */
bool sm__map_drawn_pairs(const sm_map *m, size_t by_verdict[4])
{
    memset(by_verdict, 0, 4 * sizeof(size_t));
    if (m->pairs.len == 0 || !sm__map_shows(m, SM_MAP_VERDICTS | SM_MAP_REACH))
        return false;
    if (m->focus.all) {
        memcpy(by_verdict, m->pairs.summary.by_verdict, 4 * sizeof(size_t));
        return true;
    }
    size_t n = 0;
    for (size_t i = 0; i < m->pairs.len; i++) {
        const sm__mpair *p = &m->pairs.p[i];
        if (sm__focus_pair(m, p) && (unsigned)p->verdict < 4) {
            by_verdict[p->verdict]++;
            n++;
        }
    }
    return n > 0;
}

/* Counts, dates and verdicts of what the map draws (the parts shown, the
 * claims in focus). */
void sm__map_default_subtitle(sm_map *m, sm__sbuf *buf)
{
    const sm_claims *c = m->claims;
    bool strikes = sm__map_shows(m, SM_MAP_STRIKES),
         aircraft = sm__map_shows(m, SM_MAP_FIXES | SM_MAP_TRACKS),
         bases = sm__map_shows(m, SM_MAP_BASES);
    size_t ns = sm__strike_total(m), na = 0, nb = 0, tracks = 0;
    if (!m->focus.all) {
        strike_span sp = {0, false, 0, 0};
        sm__strikes_each(m, span_batch, &sp);
        ns = sp.n;
    }
    for (size_t i = 0; i < sm_claims_aircraft_count(c); i++)
        if (sm__focus_aircraft(m, i)) {
            na++;
            tracks += sm_claims_aircraft(c, i)->is_track;
        }
    for (size_t i = 0; i < sm_claims_base_count(c); i++)
        nb += sm__focus_base(m, i);
    const char *sep = "";
    if (strikes) {
        sm__sbuf_printf(buf, "%s %s", NUM(ns), plural(ns, "strike", "strikes"));
        sep = ", ";
    }
    if (aircraft) {
        sm__sbuf_printf(buf, "%s%s %s", sep, NUM(na), plural(na, "aircraft", "aircraft"));
        if (tracks)
            sm__sbuf_printf(buf, " (%s %s)", NUM(tracks), plural(tracks, "track", "tracks"));
        sep = ", ";
    }
    if (bases && nb)
        sm__sbuf_printf(buf, "%s%s %s", sep, NUM(nb), plural(nb, "base", "bases"));
    double t0, t1;
    if (drawn_span(m, strikes, aircraft, &t0, &t1)) {
        char span[96];
        format_span(t0, t1, span, sizeof(span));
        sm__sbuf_printf(buf, "%s%s (UTC)", buf->len ? " \u00b7 " : "", span);
    }
    size_t by[4];
    if (sm__map_drawn_pairs(m, by)) {
        size_t n = by[0] + by[1] + by[2] + by[3];
        sm__sbuf_printf(buf, "%s%s %s checked:", buf->len ? " \u00b7 " : "", NUM(n),
                        plural(n, "pair", "pairs"));
        static const int order[] = {SM_VERDICT_PLAUSIBLE, SM_VERDICT_MARGINAL,
                                    SM_VERDICT_IMPLAUSIBLE, SM_VERDICT_UNKNOWN};
        bool first = true;
        for (int i = 0; i < 4; i++)
            if (by[order[i]]) {
                sm__sbuf_printf(buf, "%s %s %s", first ? "" : ",", NUM(by[order[i]]),
                                sm_verdict_str((sm_verdict)order[i]));
                first = false;
            }
    }
}

/* The attribution names at most this many claimants and this many cited
 * sites ("and N more" counts the rest), read from at most this many
 * claims (a million-claim set is named from its first 200,000). */
#define SM__ATTRIB_NAMES       16
#define SM__ATTRIB_SCAN_CLAIMS 200000

/* Claimants and cited sites, gathered claim by claim (copies in the
 * map's arena: a streamed strike is gone after its batch). */
typedef struct sources {
    const char *who[SM__ATTRIB_NAMES];
    size_t nwho, more_who;
    /* a site: its host name */
    const char *sites[SM__ATTRIB_NAMES];
    int site_len[SM__ATTRIB_NAMES];
    size_t nsites, more_sites;
    size_t scanned; /* claims read, at most SM__ATTRIB_SCAN_CLAIMS */
} sources;

static bool sources_add(sm_map *m, sources *so, const sm_claim_info *info)
{
    so->scanned++;
    if (info->claimed_by != NULL && info->claimed_by[0]) {
        bool have = false;
        for (size_t k = 0; k < so->nwho && !have; k++)
            have = strcmp(so->who[k], info->claimed_by) == 0;
        if (!have && so->nwho < SM__ARRAY_LEN(so->who)) {
            if ((so->who[so->nwho++] = sm__map_strfmt(m, "%s", info->claimed_by)) == NULL)
                return false;
        } else if (!have) {
            so->more_who++;
        }
    }
    for (const char *p = info->source; p != NULL && (p = strstr(p, "://")) != NULL;) {
        p += 3;
        if (strncmp(p, "www.", 4) == 0)
            p += 4;
        /* up to an ASCII delimiter: a whole host, whatever its script */
        size_t len = strcspn(p, "/ ;,)?#");
        if (len == 0 || len > INT_MAX)
            continue;
        bool have = false;
        for (size_t k = 0; k < so->nsites && !have; k++)
            have = (size_t)so->site_len[k] == len && strncmp(so->sites[k], p, len) == 0;
        if (!have && so->nsites < SM__ARRAY_LEN(so->sites)) {
            so->site_len[so->nsites] = (int)len;
            if ((so->sites[so->nsites++] = sm__map_strfmt(m, "%.*s", (int)len, p)) == NULL)
                return false;
        } else if (!have) {
            so->more_sites++;
        }
    }
    return true;
}

static bool sources_batch(sm_map *m, const sm_strike *s, size_t n, size_t first, void *user)
{
    (void)first;
    sources *so = user;
    for (size_t i = 0; i < n && so->scanned < SM__ATTRIB_SCAN_CLAIMS; i++)
        if (!sources_add(m, so, &s[i].info))
            return false;
    return so->scanned < SM__ATTRIB_SCAN_CLAIMS; /* past it, the pass stops */
}

/* Claimants, and the web sites the claims cite, for the attribution. */
void sm__map_claim_sources(sm_map *m, sm__sbuf *buf)
{
    const sm_claims *c = m->claims;
    sources so;
    memset(&so, 0, sizeof(so));
    if (sm__strikes_each(m, sources_batch, &so) != SM_OK)
        return;
    size_t na = sm_claims_aircraft_count(c), nb = sm_claims_base_count(c);
    for (size_t i = 0; i < na + nb && so.scanned < SM__ATTRIB_SCAN_CLAIMS; i++) {
        const sm_claim_info *info =
            i < na ? &sm_claims_aircraft(c, i)->info : &sm_claims_base(c, i - na)->info;
        if (!sources_add(m, &so, info))
            return;
    }
    const char *const *who = so.who, *const *sites = so.sites;
    const int *site_len = so.site_len;
    size_t nwho = so.nwho, more_who = so.more_who, nsites = so.nsites, more_sites = so.more_sites;
    if (nwho) {
        sm__sbuf_printf(buf, "Claims: ");
        for (size_t k = 0; k < nwho; k++)
            sm__sbuf_printf(buf, "%s%s", k ? ", " : "", who[k]);
        if (more_who)
            sm__sbuf_printf(buf, " and %zu more", more_who);
        sm__sbuf_printf(buf, ". ");
    }
    if (nsites) {
        sm__sbuf_printf(buf, "Sources cited: ");
        for (size_t k = 0; k < nsites; k++)
            sm__sbuf_printf(buf, "%s%.*s", k ? ", " : "", site_len[k], sites[k]);
        if (more_sites)
            sm__sbuf_printf(buf, " and %zu more", more_sites);
        sm__sbuf_printf(buf, ".");
    }
}
