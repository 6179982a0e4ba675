/*
 * report.c: what the PDF and the HTML report share: the choice of format,
 * the pairs, the words (title, summary, findings, the method), descriptions
 * of claims, and writing through a temporary file.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/report_internal.h"

bool sm_paper_parse(const char *name, sm_paper *out)
{
    if (sm__str_ieq(name, "a4")) {
        *out = SM_PAPER_A4;
        return true;
    }
    if (sm__str_ieq(name, "letter")) {
        *out = SM_PAPER_LETTER;
        return true;
    }
    return false;
}

/* ---- files ----------------------------------------------------------------- */

sm_status sm__report_finish(sm_ctx *ctx, sm__out *t, sm_status st)
{
    st = sm__out_close(ctx, t, st);
    if (st == SM_OK)
        st = sm__out_commit(ctx, t);
    sm__out_abort(t);
    return st;
}

/* ---- words ------------------------------------------------------------- */

const char *sm__claim_name(const sm_claim_info *info)
{
    return info->label != NULL ? info->label : info->id;
}

void sm__when_text(const sm_when *w, char *buf, size_t size)
{
    if (!w->known) {
        snprintf(buf, size, "no time given");
        return;
    }
    char a[40], b[40];
    sm_time_format(w->start, w->offset_min, a, sizeof(a));
    if (w->end == w->start) {
        snprintf(buf, size, "%.10s %.5s %s", a, a + 11, a + 19);
    } else {
        sm_time_format(w->end, w->offset_min, b, sizeof(b));
        if (strncmp(a, b, 10) == 0)
            snprintf(buf, size, "%.10s %.5s to %.5s %s", a, a + 11, b + 11, b + 19);
        else
            snprintf(buf, size, "%.10s %.5s to %.10s %.5s %s", a, a + 11, b, b + 11, b + 19);
    }
    if (!w->offset_given) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, " (no offset given: read as UTC)");
    }
    if (w->uncertainty_min > 0) {
        size_t n = strlen(buf);
        char u[32];
        snprintf(buf + n, size - n, ", \xc2\xb1%s min",
                 sm__fmt_num(w->uncertainty_min, 0, u, sizeof(u)));
    }
}

void sm__position_text(double lon, double lat, double unc_km, char *buf, size_t size)
{
    char u[32];
    snprintf(buf, size, "%.4f\xc2\xb0%c %.4f\xc2\xb0%c%s%s%s", fabs(lat), lat < 0 ? 'S' : 'N',
             fabs(lon), lon < 0 ? 'W' : 'E', unc_km > 0 ? " \xc2\xb1" : "",
             unc_km > 0 ? sm__fmt_num(unc_km, unc_km < 10 ? 1 : 0, u, sizeof(u)) : "",
             unc_km > 0 ? " km" : "");
}

const char *sm__grading_name(sm_grading g)
{
    static const char *names[] = {"not graded", "confirmed", "fair",
                                  "weak",       "contested", "discounted"};
    return (unsigned)g < SM__ARRAY_LEN(names) ? names[g] : "not graded";
}

void sm__report_summary(const sm_report *r, char *buf, size_t size)
{
    const sm_claims *c = r->claims;
    const sm_check_summary *s = r->summary;
    char a[4][96], v[4][64], pairs[96];
    sm__fmt_count(sm_claims_strike_count(c), "strike", "strikes", "no strikes", a[0], sizeof(a[0]));
    sm__fmt_count(sm_claims_aircraft_count(c), "aircraft", "aircraft", "no aircraft", a[1],
                  sizeof(a[1]));
    sm__fmt_count(sm_claims_base_count(c), "base", "bases", "no bases", a[2], sizeof(a[2]));
    size_t nl = sm_claims_launcher_count(c);
    sm__fmt_count(nl, "launcher", "launchers", NULL, a[3], sizeof(a[3]));
    sm__fmt_count(s->pairs, "pair", "pairs", "no pairs", pairs, sizeof(pairs));
    for (int k = 0; k < 4; k++)
        sm__fmt_num((double)s->by_verdict[k], 0, v[k], sizeof(v[k]));
    snprintf(buf, size,
             "%s, %s%s%s, %s. %s checked: %s plausible, %s marginal, %s implausible, %s "
             "unknown.",
             a[0], a[1], nl ? ", " : "", nl ? a[3] : "", a[2], pairs, v[SM_VERDICT_PLAUSIBLE],
             v[SM_VERDICT_MARGINAL], v[SM_VERDICT_IMPLAUSIBLE], v[SM_VERDICT_UNKNOWN]);
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A'); /* "No strikes" */
}

void sm__report_title(const sm_report *r, char *buf, size_t size)
{
    if (r->options.title != NULL && *r->options.title) {
        snprintf(buf, size, "%s", r->options.title);
        return;
    }
    snprintf(buf, size, "Could the claimed aircraft have made these strikes?");
}

void sm__report_subtitle(const sm_report *r, char *buf, size_t size)
{
    if (r->options.subtitle != NULL) {
        snprintf(buf, size, "%s", r->options.subtitle);
        return;
    }
    double first, last;
    char a[40], b[40];
    if (sm_claims_time_span(r->claims, &first, &last)) {
        sm_time_format(first, 0, a, sizeof(a));
        sm_time_format(last, 0, b, sizeof(b));
        snprintf(buf, size,
                 "Claims from %.10s to %.10s (UTC), checked against geodesy on the "
                 "WGS84 ellipsoid",
                 a, b);
    } else {
        snprintf(buf, size, "Claims checked against geodesy on the WGS84 ellipsoid");
    }
}

/* One line of facts about each kind of claim, for the claims sections. */
bool sm__strike_facts(const sm_strike *s, char *facts, size_t size)
{
    char when[160], pos[120]; /* two times; a position and a distance */
    sm__when_text(&s->when, when, sizeof(when));
    sm__position_text(s->lon, s->lat, s->location_uncertainty_km, pos, sizeof(pos));
    /* the attribution list, of any length (sm__strike_attributed_len) */
    sm__sbuf ab = {0};
    for (size_t k = 0; s->attributed_to && s->attributed_to[k]; k++) {
        if (k > 0)
            sm__sbuf_put(&ab, ", ", 2);
        sm__sbuf_put(&ab, s->attributed_to[k], strlen(s->attributed_to[k]));
    }
    const char *attr = sm__sbuf_str(&ab);
    snprintf(facts, size,
             "Claimed by %s \xc2\xb7 grading: %s \xc2\xb7 time: %s \xc2\xb7 position: %s%s "
             "\xc2\xb7 attributed to: %s%s%s",
             s->info.claimed_by ? s->info.claimed_by : "no one named", sm__grading_name(s->grading),
             when, pos, s->n_rings ? " (area target)" : "", *attr ? attr : "nobody",
             s->weapon ? " \xc2\xb7 weapon: " : "", s->weapon ? s->weapon : "");
    bool ok = !ab.failed;
    sm__sbuf_free(&ab);
    return ok; /* out of memory: the list would read "nobody" */
}

size_t sm__strike_attributed_len(const sm_strike *s)
{
    size_t n = 0;
    for (size_t k = 0; s->attributed_to && s->attributed_to[k]; k++)
        n += strlen(s->attributed_to[k]) + 2;
    return n;
}

void sm__aircraft_facts(const sm_aircraft *a, char *facts, size_t size)
{
    const sm_fix *f0 = &a->fixes[0], *f1 = &a->fixes[a->n_fixes - 1];
    char when[160], pos[120], track[400] = "";
    sm__when_text(&f0->when, when, sizeof(when));
    sm__position_text(f0->lon, f0->lat, a->location_uncertainty_km, pos, sizeof(pos));
    if (a->is_track) {
        char w1[160], p1[120];
        sm__when_text(&f1->when, w1, sizeof(w1));
        sm__position_text(f1->lon, f1->lat, 0, p1, sizeof(p1));
        char n1[64];
        snprintf(track, sizeof(track), " to %s at %s (a track of %s)", p1, w1,
                 sm__fmt_count(a->n_fixes, "position", "positions", NULL, n1, sizeof(n1)));
    }
    snprintf(facts, size,
             "Claimed by %s \xc2\xb7 %s, operated by %s \xc2\xb7 at %s, %s%s%s%s%s%s%s",
             a->info.claimed_by ? a->info.claimed_by : "no one named",
             sm__type_name(a, "type not given"), a->operator_name ? a->operator_name : "not given",
             pos, when, track, a->base ? " \xc2\xb7 from base " : "", a->base ? a->base : "",
             a->refuelled ? " \xc2\xb7 refuelled in the air" : "",
             a->weapon ? " \xc2\xb7 weapon: " : "", a->weapon ? a->weapon : "");
}

void sm__launcher_facts(const sm_launcher *l, char *facts, size_t size)
{
    char pos[120], when[160] = "no launch time claimed";
    sm__position_text(l->lon, l->lat, l->location_uncertainty_km, pos, sizeof(pos));
    if (l->when.known)
        sm__when_text(&l->when, when, sizeof(when));
    snprintf(facts, size,
             "Claimed by %s \xc2\xb7 a ship or ground launcher of %s, operated by %s \xc2\xb7 "
             "at %s, %s",
             l->info.claimed_by ? l->info.claimed_by : "no one named", l->weapon,
             l->operator_name ? l->operator_name : "not given", pos, when);
}

void sm__base_facts(const sm_base *b, char *facts, size_t size)
{
    char pos[120];
    sm__position_text(b->lon, b->lat, 0, pos, sizeof(pos));
    snprintf(facts, size, "Claimed by %s \xc2\xb7 operated by %s \xc2\xb7 at %s",
             b->info.claimed_by ? b->info.claimed_by : "no one named",
             b->operator_name ? b->operator_name : "not given", pos);
}

/* One finding sentence for an implausible or marginal pair. */
bool sm__finding_text(const sm_report *r, const sm_pair *p, char *buf, size_t size)
{
    const sm_strike *s = sm_claims_strike(r->claims, p->strike);
    sm__party a;
    sm__pair_party(p, r->claims, &a);
    /* the short reason names weapons of any length */
    size_t wn = sm__pair_short_reason(p, r->claims, NULL, 0) + 1;
    char *why = malloc(wn);
    if (why == NULL)
        return false; /* a finding without its reason would mislead */
    sm__pair_short_reason(p, r->claims, why, wn);
    snprintf(buf, size, "%s: %s (%s%s%s) and %s (claimed by %s): %s.",
             p->verdict == SM_VERDICT_IMPLAUSIBLE ? "Implausible" : "Marginal",
             sm__claim_name(a.info), a.type,
             a.info->claimed_by ? (p->by_kind == SM_KIND_LAUNCHER ? ", launch claimed by "
                                                                  : ", position claimed by ")
                                : "",
             a.info->claimed_by ? a.info->claimed_by : "", sm__claim_name(&s->info),
             s->info.claimed_by ? s->info.claimed_by : "nobody named", why);
    free(why);
    return true;
}

/* The method, as paragraphs; the numbers in it follow the options used. */
size_t sm__method_paragraphs(const sm_report *r, char out[][900], size_t max)
{
    double gap = r->options.check.max_gap_minutes > 0 ? r->options.check.max_gap_minutes : 360;
    double frac = r->options.check.marginal_fraction > 0 ? r->options.check.marginal_fraction : 0.8;
    char g[32], f[32];
    sm__fmt_num(gap / 60, gap < 60 ? 2 : (fmod(gap, 60) == 0 ? 0 : 1), g, sizeof(g));
    sm__fmt_num(frac * 100, 0, f, sizeof(f));
    size_t n = 0;
#define PARA(...)                                                                                  \
    do {                                                                                           \
        if (n < max)                                                                               \
            snprintf(out[n++], 900, __VA_ARGS__);                                                  \
    } while (0)
    PARA("Each strike is checked against the aircraft or launcher its claimant says made it "
         "(one named, or every one of a named country, force or coalition on the strike's "
         "date). For each pair the question is physical: could it, where and when it was "
         "claimed to be, have made the strike?");
    PARA("Distances are geodesics on the WGS84 ellipsoid, computed with PROJ's implementation "
         "of C. F. F. Karney's algorithms (accurate to nanometres), from the claimed position "
         "to the strike (to the nearest point of an area target), less the location "
         "uncertainty of both claims. No spherical approximation stands behind any distance "
         "reported.");
    PARA("Time test. The time available is the widest separation the two claimed times allow, "
         "plus both time uncertainties. A position whose time available exceeds %s h does not "
         "bind: it says little about where the aircraft was, and a strike known only to its "
         "day cannot be timed against any position. Flying at speed v to a distance d with a "
         "weapon of range R and mean speed w takes (d - R) / v + R / w when the weapon is at "
         "least as fast, else d / v. A pair fails when even the type's top speed is too slow, "
         "and is marginal when only a speed above its cruise speed makes it.",
         g);
    PARA("Sortie test. From a claimed base, the route base, the claimed positions before the "
         "strike, the release point (the weapon's range short of the target) and back must "
         "fit within twice the type's combat radius, unless air-to-air refuelling is claimed; "
         "over %s%% of it is marginal. A launcher's test: the strike within its weapon's "
         "range, and the weapon's flight within the time from launch to strike (over %s%% of "
         "either is marginal). When no weapon is claimed, the type's longest-range weapon "
         "that its operator fields and that was in service that year is assumed, so that "
         "doubt goes to the claim.",
         f, f);
    PARA("Verdicts: implausible when any test fails; marginal when one is marginal; plausible "
         "when a test could be made and all hold; unknown when none could (a time is "
         "missing, or no position was claimed near the strike time). Each verdict names the "
         "test that decided it. A plausible verdict says only that the claim is physically "
         "possible, not that it is true: the figures are published maxima.");
    PARA("Location uncertainty is the radius each claim gives, or, for strikes coded with "
         "ACLED's geo-precision, 2 km (precision 1, the place itself), 25 km (2, near it or "
         "part of its district) or 100 km (3, the wider region).");
#undef PARA
    return n;
}

/* Aircraft types and weapons the listed pairs relied on, each once, in
 * table order. Returns counts; arrays sized by the tables. */
void sm__report_references(const sm_report *r, const sm_aircraft_type **types, size_t *n_types,
                           const sm_weapon **weapons, size_t *n_weapons)
{
    sm_ctx *ctx = r->ctx;
    *n_types = *n_weapons = 0;
    size_t nt = sm_tables_aircraft_count(ctx), nw = sm_tables_weapon_count(ctx);
    for (size_t i = 0; i < nt; i++) {
        const sm_aircraft_type *t = sm_tables_aircraft(ctx, i);
        for (size_t k = 0; k < r->n_pairs; k++)
            if (r->pairs[k].by_kind != SM_KIND_LAUNCHER &&
                sm_claims_aircraft(r->claims, r->pairs[k].aircraft)->type_ref == t) {
                types[(*n_types)++] = t;
                break;
            }
    }
    for (size_t i = 0; i < nw; i++) {
        const sm_weapon *w = sm_tables_weapon(ctx, i);
        for (size_t k = 0; k < r->n_pairs; k++)
            if (r->pairs[k].weapon != NULL && strcmp(r->pairs[k].weapon, w->name) == 0) {
                weapons[(*n_weapons)++] = w;
                break;
            }
    }
}

/* ---- real sizes ------------------------------------------------------------ */

/* How far a verdict is from plausible; unknown decides nothing. */
static int severity(sm_verdict v)
{
    return v == SM_VERDICT_IMPLAUSIBLE ? 3
           : v == SM_VERDICT_MARGINAL  ? 2
           : v == SM_VERDICT_PLAUSIBLE ? 1
                                       : 0;
}

sm__strike_row *sm__strike_rows_new(const sm_report *r, bool *ok)
{
    size_t ns = sm_claims_strike_count(r->claims);
    *ok = true;
    if (ns == 0)
        return NULL;
    sm__strike_row *rows = calloc(ns, sizeof(*rows));
    if (rows == NULL) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < ns; i++)
        rows[i].worst = rows[i].best = SIZE_MAX;
    for (size_t i = 0; i < r->n_pairs; i++) {
        const sm_pair *p = &r->pairs[i];
        sm__strike_row *row = &rows[p->strike];
        if (row->n == 0)
            row->first = i;
        row->n++;
        int sv = severity(p->verdict);
        row->decided += sv > 0;
        if (row->worst == SIZE_MAX) {
            row->worst = row->best = i;
            row->n_worst = row->n_best = 1;
            continue;
        }
        int w = severity(r->pairs[row->worst].verdict), b = severity(r->pairs[row->best].verdict);
        if (sv == w)
            row->n_worst++;
        else if (sv > w) {
            row->worst = i;
            row->n_worst = 1;
        }
        /* best: the least severe decided verdict; unknown only when none is */
        if (sv == b)
            row->n_best++;
        else if (sv > 0 && (b == 0 || sv < b)) {
            row->best = i;
            row->n_best = 1;
        }
    }
    return rows;
}

bool sm__flagged(const sm_claim_info *info)
{
    return info->warnings != NULL && info->warnings[0] != NULL;
}

char *sm__warnings_text_new(const sm_claim_info *info)
{
    sm__sbuf b = {0};
    for (size_t k = 0; info->warnings && info->warnings[k]; k++) {
        if (k > 0)
            sm__sbuf_put(&b, "; ", 2);
        sm__sbuf_put(&b, info->warnings[k], strlen(info->warnings[k]));
    }
    sm__sbuf_put(&b, "", 0);
    if (b.failed) {
        sm__sbuf_free(&b);
        return NULL;
    }
    return b.s;
}

char *sm__pair_warnings_new(const sm_pair *p, const sm_claims *claims)
{
    char probe[1];
    size_t n = sm_pair_warnings(p, claims, probe, sizeof(probe)) + 1;
    char *buf = malloc(n);
    if (buf != NULL)
        sm_pair_warnings(p, claims, buf, n);
    return buf;
}

size_t sm__flagged_pair_count(const sm_report *r, sm_verdict verdict)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_pairs; i++) {
        const sm_pair *p = &r->pairs[i];
        if (p->verdict != verdict)
            continue;
        sm__party a;
        sm__pair_party(p, r->claims, &a);
        n += sm__flagged(&sm_claims_strike(r->claims, p->strike)->info) || sm__flagged(a.info);
    }
    return n;
}

char *sm__unknown_text_new(const sm_report *r)
{
    /* by the first missing bit, in the order the engine's reasons give them */
    static const struct {
        unsigned bit;
        const char *why;
    } g_why[] = {
        {SM_MISSING_STRIKE_TIME, "the strike has no time"},
        {SM_MISSING_FIX_TIME, "the aircraft's position has no time"},
        {SM_MISSING_MAX_SPEED, "no top speed is known for the type"},
        {SM_MISSING_COARSE_TIME, "the strike is known only to a window wider than the maximum gap"},
    };
    size_t count[SM__ARRAY_LEN(g_why) + 1] = {0};
    for (size_t i = 0; i < r->n_pairs; i++) {
        const sm_pair *p = &r->pairs[i];
        if (p->verdict != SM_VERDICT_UNKNOWN)
            continue;
        size_t k = 0;
        while (k < SM__ARRAY_LEN(g_why) && !(p->missing & g_why[k].bit))
            k++;
        count[k]++;
    }
    count[SM__ARRAY_LEN(g_why)] += r->summary->unlisted_unknown;
    size_t total = r->summary->by_verdict[SM_VERDICT_UNKNOWN];
    char n1[96], n2[64], gap[32];
    double g = r->options.check.max_gap_minutes > 0 ? r->options.check.max_gap_minutes : 360;
    sm__fmt_num(g / 60, fmod(g, 60) == 0 ? 0 : 1, gap, sizeof(gap));
    sm__sbuf b = {0};
    sm__sbuf_printf(&b, "%s undecided (unknown): counted here, not listed.",
                    sm__fmt_count(total, "pair is", "pairs are", "No pair is", n1, sizeof(n1)));
    bool first = true;
    for (size_t k = 0; k <= SM__ARRAY_LEN(g_why); k++) {
        if (count[k] == 0)
            continue;
        sm__sbuf_printf(&b, "%s %s because %s", first ? "" : ";",
                        sm__fmt_num((double)count[k], 0, n2, sizeof(n2)),
                        k < SM__ARRAY_LEN(g_why) ? g_why[k].why : "");
        if (k == SM__ARRAY_LEN(g_why))
            sm__sbuf_printf(&b, "no position of the aircraft was claimed within %s h of the strike",
                            gap);
        first = false;
    }
    if (!first)
        sm__sbuf_put(&b, ".", 1);
    if (b.failed) {
        sm__sbuf_free(&b);
        return NULL;
    }
    return b.s;
}

char *sm__uri_ascii_new(const char *u, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    sm__sbuf b = {0};
    for (size_t i = 0; i < n && u[i]; i++) {
        unsigned char c = (unsigned char)u[i];
        if (c <= 0x20 || c >= 0x7f || c == '\'' || c == '\\' || c == '"' || c == '<' || c == '>') {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            sm__sbuf_put(&b, e, 3);
        } else {
            sm__sbuf_put(&b, (const char *)&u[i], 1);
        }
    }
    sm__sbuf_put(&b, "", 0);
    if (b.failed) {
        sm__sbuf_free(&b);
        return NULL;
    }
    return b.s;
}

/* ---- the entry point ----------------------------------------------------- */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && sm__str_ieq(s + n - m, suffix);
}

sm_status sm_report_write(sm_ctx *ctx, const sm_claims *claims, const sm_check *check,
                          const sm_report_options *options, const char *path)
{
    if (ctx == NULL || claims == NULL || path == NULL)
        return SM_ERR_USAGE;
    bool pdf = has_suffix(path, ".pdf");
    bool html = has_suffix(path, ".html") || has_suffix(path, ".htm");
    if (!pdf && !html) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                 "a report is a .pdf or a .html file; expected one of those extensions");
        return SM_ERR_USAGE;
    }
    sm_status refused = sm__out_refuse_inputs(ctx, path, claims);
    if (refused != SM_OK)
        return refused;
    sm_report r;
    memset(&r, 0, sizeof(r));
    r.ctx = ctx;
    r.claims = claims;
    if (options != NULL)
        r.options = *options;
    /* the map's options are versioned by the report options' own layout */
    r.options.map.size = sizeof(r.options.map);
    sm_check *own = NULL;
    if (check == NULL) {
        /* versioned by the report options' own layout: the size is set here */
        r.options.check.size = sizeof(r.options.check);
        sm_status st = sm_check_run(ctx, claims, &r.options.check, &own);
        if (st != SM_OK)
            return st;
        check = own;
    }
    r.check = check;
    r.summary = sm_check_summary_get(check);
    r.n_pairs = sm_check_pair_count(check);
    r.pairs = r.n_pairs ? sm_check_pair(check, 0) : NULL;
    sm_status st = pdf ? sm__report_pdf(&r, path) : sm__report_html(&r, path);
    sm_check_free(own);
    return st;
}
