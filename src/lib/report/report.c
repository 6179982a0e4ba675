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

sm_status sm__report_finish(sm_ctx *ctx, sm__tmpfile *t, sm_status st)
{
    st = sm__tmp_close(ctx, t, st);
    if (st == SM_OK)
        st = sm__tmp_commit(ctx, t);
    sm__tmp_abort(t);
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
    snprintf(buf, size,
             "%zu strikes, %zu aircraft, %zu bases. %zu pairs checked: %zu plausible, %zu "
             "marginal, %zu implausible, %zu unknown.",
             sm_claims_strike_count(c), sm_claims_aircraft_count(c), sm_claims_base_count(c),
             s->listed, s->by_verdict[SM_VERDICT_PLAUSIBLE], s->by_verdict[SM_VERDICT_MARGINAL],
             s->by_verdict[SM_VERDICT_IMPLAUSIBLE], s->by_verdict[SM_VERDICT_UNKNOWN]);
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
        snprintf(track, sizeof(track), " to %s at %s (a track of %zu positions)", p1, w1,
                 a->n_fixes);
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
