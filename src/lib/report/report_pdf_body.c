/*
 * report_pdf_body.c: the PDF report's sections after the title page, sized
 * for real incident tables (SPEC §5): one row per strike with its least and
 * most plausible verdicts; the decided pairs in full; the undecided ones
 * counted; the claims that are not strikes in full, and strikes only where
 * they say more than their row; the method and the reference figures as a
 * table. Every warning about a claim is printed under its row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_pdf.h"

/* ---- sources -------------------------------------------------------------- */

/* The next piece of a source at *p: a URL (its whole length, brackets of
 * its own kept: sm__url_len) or the text up to the next URL or ';'.
 * Returns false at the end. */
static bool next_piece(const char **p, const char **start, size_t *len, bool *url)
{
    const char *s = *p;
    while (*s == ' ' || *s == ';' || *s == ',')
        s++;
    if (*s == '\0')
        return false;
    *url = strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
    size_t n = *url ? strcspn(s, " \t\n;,") : strcspn(s, ";");
    if (!*url) {
        const char *h = strstr(s, "http");
        if (h != NULL && (size_t)(h - s) < n && h > s)
            n = (size_t)(h - s);
    }
    size_t keep = *url ? sm__url_len(s) : n;
    if (keep > n)
        keep = n;
    if (keep == 0) { /* nothing but punctuation: shown as text */
        keep = n;
        *url = false;
    }
    *start = s;
    *len = keep;
    *p = s + (n > keep ? n : keep);
    return true;
}

/* Show text at (x, y) across w, as a link to its ASCII form when url. */
static double link_text(sm__doc *d, const char *text, size_t n, bool url, const char *shown,
                        double size, double x, double w, bool draw)
{
    PangoLayout *l = sm__pdf_lay(d, shown, size, false, w);
    double h = sm__pdf_height(l);
    if (draw) {
        char *uri = url ? sm__uri_ascii_new(text, n) : NULL;
        char *attr = uri ? sm__strfmt("uri='%s'", uri) : NULL;
        if (url && attr == NULL)
            sm__pdf_nomem(d, "report links");
        if (attr != NULL)
            cairo_tag_begin(d->cr, CAIRO_TAG_LINK, attr);
        sm__pdf_show(d, l, x, d->y, url ? SM__LINK : SM__MUTED);
        if (attr != NULL)
            cairo_tag_end(d->cr, CAIRO_TAG_LINK);
        free(uri);
        free(attr);
    }
    g_object_unref(l);
    return h;
}

void sm__pdf_source(sm__doc *d, const char *source, double x, double w)
{
    const char *p = source ? source : "none given", *s;
    size_t n;
    bool url, first = true;
    while (next_piece(&p, &s, &n, &url) && d->st == SM_OK) {
        char *shown = sm__strfmt("%s%.*s", first ? "Source: " : "", (int)n, s);
        if (shown == NULL) {
            sm__pdf_nomem(d, "claim sources");
            return;
        }
        double xx = first ? x : x + 12;
        double h = link_text(d, s, n, url, shown, 8, xx, w - (xx - x), false);
        sm__pdf_ensure(d, h);
        link_text(d, s, n, url, shown, 8, xx, w - (xx - x), true);
        free(shown);
        d->y += h + 1;
        first = false;
    }
    d->y += 1;
}

/* ---- the strikes ------------------------------------------------------------ */

static const sm__pdf_col g_strike_cols[] = {
    {"Strike", 0.15, false},        {"When (UTC)", 0.16, false},   {"Position", 0.135, false},
    {"Claimed by", 0.105, false},   {"Source", 0.165, false},      {"Attributed to", 0.085, false},
    {"Worst verdict", 0.10, false}, {"Best verdict", 0.10, false},
};
#define N_STRIKE_COLS SM__ARRAY_LEN(g_strike_cols)

/* "2023-10-10 02:12", a window "... to 23:59", or "no time given", in UTC. */
static void when_utc(const sm_when *w, char *buf, size_t size)
{
    if (!w->known) {
        snprintf(buf, size, "no time given");
        return;
    }
    char a[40], b[40];
    sm_time_format(w->start, 0, a, sizeof(a));
    sm_time_format(w->end, 0, b, sizeof(b));
    if (w->end == w->start)
        snprintf(buf, size, "%.10s %.5s", a, a + 11);
    else if (strncmp(a, b, 10) == 0)
        snprintf(buf, size, "%.10s %.5s to %.5s", a, a + 11, b + 11);
    else
        snprintf(buf, size, "%.10s %.5s to %.10s %.5s", a, a + 11, b, b + 11);
    if (w->uncertainty_min > 0) {
        char u[32];
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, " \xc2\xb1%s min",
                 sm__fmt_num(w->uncertainty_min, 0, u, sizeof(u)));
    }
}

/* A verdict cell: the verdict, and which aircraft gave it. */
static void verdict_cell(const sm_report *r, size_t pair, size_t count, size_t total,
                         sm__pdf_cell *cell, char *sub, size_t size)
{
    if (pair == SIZE_MAX) {
        cell->text = "not checked";
        cell->color = SM__MUTED;
        return;
    }
    const sm_pair *p = &r->pairs[pair];
    sm__party a;
    sm__pair_party(p, r->claims, &a);
    cell->text = sm_verdict_str(p->verdict);
    cell->color = SM__VERDICT[p->verdict];
    cell->bold = true;
    if (count == total)
        return; /* every pair of the strike: the verdict says it all */
    if (count > 1)
        snprintf(sub, size, "%.*s +%zu", (int)(size / 2), a.info->id, count - 1);
    else
        snprintf(sub, size, "%.*s", (int)(size - 1), a.info->id);
    cell->sub = sub;
}

/* The first URL of a source, shown without its scheme; *n its length. */
static const char *first_url(const char *source, size_t *n)
{
    const char *p = source, *s;
    bool url;
    while (p != NULL && next_piece(&p, &s, n, &url))
        if (url)
            return s;
    return NULL;
}

static bool strike_row(sm__doc *d, sm__pdf_table *t, size_t i)
{
    const sm_report *r = d->r;
    const sm_strike *s = sm_claims_strike(r->claims, i);
    const sm__strike_row *row = &d->rows[i];
    sm__pdf_cell c[N_STRIKE_COLS];
    memset(c, 0, sizeof(c));
    for (size_t k = 0; k < N_STRIKE_COLS; k++)
        c[k].color = SM__INK;
    char when[160], pos[120], unc[40] = "", wsub[160], bsub[160];
    bool flagged = sm__flagged(&s->info);
    char *id = sm__strfmt("%s%s%s%s", flagged ? "\xe2\x9a\xa0 " : "", s->info.id,
                          s->info.label ? " \xc2\xb7 " : "", s->info.label ? s->info.label : "");
    char *attr = sm__strfmt("%s", ""); /* the attribution list, of any length */
    for (size_t k = 0; attr && s->attributed_to && s->attributed_to[k]; k++) {
        char *next = sm__strfmt("%s%s%s", attr, k ? ", " : "", s->attributed_to[k]);
        free(attr);
        attr = next;
    }
    size_t un = 0;
    const char *u = first_url(s->info.source, &un);
    char *shown =
        u ? sm__strfmt("%.*s", (int)(un - (u[4] == 's' ? 8 : 7)), u + (u[4] == 's' ? 8 : 7)) : NULL;
    char *uri = u ? sm__uri_ascii_new(u, un) : NULL;
    char *note = flagged ? sm__warnings_text_new(&s->info) : NULL;
    char *note2 = note ? sm__strfmt("\xe2\x9a\xa0 %s", note) : NULL;
    bool ok = id && attr && (!u || (shown && uri)) && (!flagged || note2);
    if (ok) {
        c[0] = (sm__pdf_cell){id, flagged ? SM__WARN : SM__INK, false, NULL, NULL, false};
        when_utc(&s->when, when, sizeof(when));
        c[1].text = when;
        snprintf(pos, sizeof(pos), "%.4f%c %.4f%c", fabs(s->lat), s->lat < 0 ? 'S' : 'N',
                 fabs(s->lon), s->lon < 0 ? 'W' : 'E');
        if (s->location_uncertainty_km > 0)
            snprintf(unc, sizeof(unc), "\xc2\xb1%s km",
                     sm__fmt_num(s->location_uncertainty_km, s->location_uncertainty_km < 10, wsub,
                                 sizeof(wsub)));
        c[2].text = pos;
        c[2].sub = unc[0] ? unc : NULL;
        c[3].text = s->info.claimed_by ? s->info.claimed_by : "no one named";
        c[3].sub = s->grading != SM_GRADING_NONE ? sm__grading_name(s->grading) : NULL;
        c[4] = (sm__pdf_cell){
            shown ? shown : "none given", u ? SM__LINK : SM__MUTED, false, uri, NULL, true};
        c[5].text = *attr ? attr : "nobody";
        verdict_cell(r, row->worst, row->n_worst, row->n, &c[6], wsub, sizeof(wsub));
        verdict_cell(r, row->best, row->n_best, row->n, &c[7], bsub, sizeof(bsub));
        sm__pdf_table_row(d, t, c, note2);
    }
    free(id);
    free(attr);
    free(shown);
    free(uri);
    free(note);
    free(note2);
    return ok;
}

void sm__pdf_strikes(sm__doc *d)
{
    const sm_report *r = d->r;
    size_t ns = sm_claims_strike_count(r->claims);
    sm__pdf_new_page(d);
    sm__pdf_heading(d, "The strikes");
    sm__pdf_para(d,
                 "One row for each strike claimed: who claimed it, when (in UTC) and where, the "
                 "source (a link to the whole address, shortened with \xe2\x80\xa6 where it is "
                 "long; the HTML report prints it whole), what its claimant attributes it to, and "
                 "of the pairs "
                 "checked for it the least plausible verdict (worst) and the most plausible "
                 "(best), with the aircraft or launcher that gave it. A decided verdict counts "
                 "before an unknown one. Rows marked \xe2\x9a\xa0 carry a warning about the "
                 "claim, printed under them.",
                 8, false, SM__MUTED, 6);
    sm__pdf_table t = {g_strike_cols, N_STRIKE_COLS, 6, 0};
    sm__pdf_table_head(d, &t);
    for (size_t i = 0; i < ns && d->st == SM_OK; i++)
        if (!strike_row(d, &t, i))
            sm__pdf_nomem(d, "strike table");
    if (ns == 0)
        sm__pdf_para(d, "No strikes are claimed.", 9, false, SM__INK, 4);
}

/* ---- the decided pairs ------------------------------------------------------ */

static const sm__pdf_col g_pair_cols[] = {
    {"Strike", 0.14, false},
    {"Aircraft", 0.16, false},
    {"Claimed by", 0.11, false},
    {"Verdict", 0.095, false},
    {"Distance km", 0.08, true},
    {"Time min", 0.065, true},
    {"Speed need / max km/h", 0.11, true},
    {"Reason", 0.24, false},
};
#define N_PAIR_COLS SM__ARRAY_LEN(g_pair_cols)

static bool pair_row(sm__doc *d, sm__pdf_table *t, const sm_pair *p)
{
    const sm_report *r = d->r;
    const sm_strike *s = sm_claims_strike(r->claims, p->strike);
    sm__party a;
    sm__pair_party(p, r->claims, &a);
    char dist[32], tmin[32], speed[64], n1[32], n2[32]; /* numbers only */
    char *aircraft = sm__strfmt("%s (%s)", a.info->id, a.type);
    char *strike =
        sm__strfmt("%s%s%s%s", sm__flagged(&s->info) ? "\xe2\x9a\xa0 " : "", s->info.id,
                   s->info.label ? " \xc2\xb7 " : "", s->info.label ? s->info.label : "");
    char *reason = sm__pair_short_reason_new(p, r->claims);
    char *warn = sm__pair_warnings_new(p, r->claims);
    char *note = warn && *warn ? sm__strfmt("\xe2\x9a\xa0 %s", warn) : NULL;
    bool ok = strike && aircraft && reason && warn && (!*warn || note);
    if (ok) {
        sm__fmt_num(p->distance_km, 1, dist, sizeof(dist));
        sm__fmt_num(p->available_minutes, 1, tmin, sizeof(tmin));
        if (isfinite(p->required_speed_kmh))
            snprintf(speed, sizeof(speed), "%s / %s",
                     sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
                     sm__fmt_num(p->max_speed_kmh, 0, n2, sizeof(n2)));
        else
            snprintf(speed, sizeof(speed), "\xe2\x80\x93");
        sm__pdf_cell c[N_PAIR_COLS] = {
            {strike, sm__flagged(&s->info) ? SM__WARN : SM__INK, false, NULL, NULL, false},
            {aircraft, SM__INK, false, NULL, NULL, false},
            {s->info.claimed_by ? s->info.claimed_by : "\xe2\x80\x93", SM__INK, false, NULL, NULL,
             false},
            {sm_verdict_str(p->verdict), SM__VERDICT[p->verdict], true, NULL, NULL, false},
            {dist, SM__INK, false, NULL, NULL, false},
            {tmin, SM__INK, false, NULL, NULL, false},
            {speed, SM__INK, false, NULL, NULL, false},
            {reason, SM__INK, false, NULL, NULL, false},
        };
        sm__pdf_table_row(d, t, c, note);
    }
    free(strike);
    free(aircraft);
    free(reason);
    free(warn);
    free(note);
    return ok;
}

void sm__pdf_pairs(sm__doc *d)
{
    const sm_report *r = d->r;
    sm__pdf_ensure(d, 200);
    d->y += 14;
    sm__pdf_heading(d, "Decided pairs");
    sm__pdf_para(d,
                 "Every pair of a strike and an aircraft (or launcher) its claimant says made "
                 "it whose verdict could be decided: implausible first, then marginal, then "
                 "plausible. Distance: from the claimed position that binds to the strike. "
                 "Time: the time available. Speed: what the aircraft would need to bring the "
                 "strike within weapon range, against its top speed.",
                 8, false, SM__MUTED, 6);
    sm__pdf_table t = {g_pair_cols, N_PAIR_COLS, 6, 0};
    size_t decided = 0;
    for (int v = SM_VERDICT_IMPLAUSIBLE; v >= SM_VERDICT_PLAUSIBLE && d->st == SM_OK; v--)
        for (size_t i = 0; i < r->n_pairs && d->st == SM_OK; i++) {
            if ((int)r->pairs[i].verdict != v)
                continue;
            if (decided++ == 0)
                sm__pdf_table_head(d, &t);
            if (!pair_row(d, &t, &r->pairs[i]))
                sm__pdf_nomem(d, "decided pairs");
        }
    if (decided == 0)
        sm__pdf_para(d,
                     r->n_pairs == 0 ? "No pairs to check: no strike names an aircraft or "
                                       "operator in the claims."
                                     : "No pair could be decided.",
                     9, false, SM__INK, 4);
    d->y += 6;
    char *unknown = sm__unknown_text_new(r);
    char buf[512];
    sm__report_summary(r, buf, sizeof(buf));
    if (unknown == NULL) {
        sm__pdf_nomem(d, "decided pairs");
        return;
    }
    if (r->summary->by_verdict[SM_VERDICT_UNKNOWN] > 0)
        sm__pdf_para(d, unknown, 8.5, false, SM__INK, 4);
    free(unknown);
    sm__pdf_para(d, buf, 8.5, false, SM__MUTED, 4);
}

/* ---- claims ------------------------------------------------------------------ */

static void claim_block(sm__doc *d, const sm_claim_info *info, const char *kind, const char *facts)
{
    double w = d->right - d->left;
    char *head =
        sm__strfmt("%s%s \xe2\x80\x94 %s%s%s", sm__flagged(info) ? "\xe2\x9a\xa0 " : "", info->id,
                   kind, info->label ? ": " : "", info->label ? info->label : "");
    char *warn = sm__flagged(info) ? sm__warnings_text_new(info) : NULL;
    if (head == NULL || (sm__flagged(info) && warn == NULL)) {
        free(head);
        sm__pdf_nomem(d, "claims");
        return;
    }
    PangoLayout *l = sm__pdf_lay(d, head, 9, true, w);
    free(head);
    sm__pdf_ensure(d, sm__pdf_height(l) + 30);
    sm__pdf_show(d, l, d->left, d->y, sm__flagged(info) ? SM__WARN : SM__INK);
    d->y += sm__pdf_height(l) + 1;
    g_object_unref(l);
    sm__pdf_para(d, facts, 8, false, SM__INK, 1);
    if (warn != NULL)
        sm__pdf_para(d, warn, 8, false, SM__WARN, 1);
    free(warn);
    sm__pdf_source(d, info->source, d->left, w);
    if (info->notes != NULL) {
        char *notes = sm__strfmt("Notes: %s", info->notes);
        if (notes == NULL) {
            sm__pdf_nomem(d, "claims");
            return;
        }
        sm__pdf_para(d, notes, 8, false, SM__MUTED, 0);
        free(notes);
    }
    d->y += 6;
}

/* A strike says more than its row when it has notes, a weapon, an area
 * target, a time given without its offset, or more than one source. */
static bool strike_has_more(const sm_strike *s)
{
    size_t n = 0;
    const char *u = first_url(s->info.source, &n);
    bool more_sources = s->info.source != NULL &&
                        (u == NULL || strlen(s->info.source) > n + (size_t)(u - s->info.source));
    return s->info.notes != NULL || s->weapon != NULL || s->n_rings > 0 ||
           (s->when.known && !s->when.offset_given) || more_sources;
}

void sm__pdf_claims(sm__doc *d)
{
    const sm_claims *c = d->r->claims;
    sm__pdf_new_page(d);
    sm__pdf_heading(d, "The claims");
    sm__pdf_para(d,
                 "Each aircraft, launcher and base claim as its claimant made it, with the "
                 "published source; strikes are in the strike table, and here again only where "
                 "they say more than their row (notes, a weapon, an area target, a time without "
                 "its offset, several sources). Positions are latitude and longitude on WGS84; "
                 "times as written, with their UTC offset.",
                 8, false, SM__MUTED, 8);
    for (size_t i = 0; i < sm_claims_aircraft_count(c) && d->st == SM_OK; i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        char *facts = sm__aircraft_facts_new(a);
        if (facts == NULL)
            sm__pdf_nomem(d, "claims");
        else
            claim_block(d, &a->info, a->is_track ? "aircraft track" : "aircraft position", facts);
        free(facts);
    }
    for (size_t i = 0; i < sm_claims_launcher_count(c) && d->st == SM_OK; i++) {
        const sm_launcher *l = sm_claims_launcher(c, i);
        char *facts = sm__launcher_facts_new(l);
        if (facts == NULL)
            sm__pdf_nomem(d, "claims");
        else
            claim_block(d, &l->info, "launcher", facts);
        free(facts);
    }
    for (size_t i = 0; i < sm_claims_base_count(c) && d->st == SM_OK; i++) {
        const sm_base *b = sm_claims_base(c, i);
        char *facts = sm__base_facts_new(b);
        if (facts == NULL)
            sm__pdf_nomem(d, "claims");
        else
            claim_block(d, &b->info, "air base", facts);
        free(facts);
    }
    for (size_t i = 0; i < sm_claims_strike_count(c) && d->st == SM_OK; i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        if (!strike_has_more(s))
            continue;
        char *facts = sm__strike_facts_new(s);
        if (facts == NULL)
            sm__pdf_nomem(d, "claims");
        else
            claim_block(d, &s->info, "strike", facts);
        free(facts);
    }
}

/* ---- method ------------------------------------------------------------------ */

static const sm__pdf_col g_ref_cols[] = {
    {"Aircraft or weapon", 0.17, false},
    {"Figure", 0.12, false},
    {"Value", 0.13, true},
    {"Source", 0.58, false},
};

static void references(sm__doc *d)
{
    size_t n;
    bool ok;
    sm__ref_row *rows = sm__ref_rows_new(d->r, &n, &ok);
    if (!ok) {
        sm__pdf_nomem(d, "reference figures");
        return;
    }
    d->y += 4;
    sm__pdf_ensure(d, 80);
    sm__pdf_para(d, "Reference figures used", 11, true, SM__INK, 3);
    sm__pdf_para(d,
                 "The figures of the aircraft and weapons the checked pairs relied on, each "
                 "with the part of the table's source that gives it. Where sources differ, the "
                 "table takes the figure most favourable to the claim.",
                 8, false, SM__MUTED, 5);
    sm__pdf_table t = {g_ref_cols, SM__ARRAY_LEN(g_ref_cols), 7, 0};
    if (n > 0)
        sm__pdf_table_head(d, &t);
    for (size_t i = 0; i < n && d->st == SM_OK; i++) {
        char num[40], value[96];
        snprintf(value, sizeof(value), "%s %s%s", sm__fmt_num(rows[i].value, 0, num, sizeof(num)),
                 rows[i].unit, rows[i].estimate ? " (estimate)" : "");
        bool same = i > 0 && strcmp(rows[i - 1].subject, rows[i].subject) == 0;
        sm__pdf_cell c[4] = {
            {same ? "" : rows[i].subject, SM__INK, true, NULL, NULL, false},
            {rows[i].figure, SM__INK, false, NULL, NULL, false},
            {value, SM__INK, false, NULL, NULL, false},
            {rows[i].source, SM__MUTED, false, NULL, NULL, false},
        };
        sm__pdf_table_row(d, &t, c, NULL);
    }
    sm__ref_rows_free(rows, n);
}

void sm__pdf_method(sm__doc *d)
{
    const sm_report *r = d->r;
    sm__pdf_new_page(d);
    sm__pdf_heading(d, "Method");
    char paras[8][900];
    size_t n = sm__method_paragraphs(r, paras, 8);
    for (size_t i = 0; i < n; i++)
        sm__pdf_para(d, paras[i], 9, false, SM__INK, 6);
    references(d);
    d->y += 8;
    sm__pdf_ensure(d, 40);
    sm__pdf_para(d,
                 "Basemap: Natural Earth (public domain); populated places: GeoNames (CC BY 4.0). "
                 "Made with strikemap, GDAL, PROJ, cairo and Pango.",
                 8, false, SM__MUTED, 0);
}
