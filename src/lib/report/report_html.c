/*
 * report_html.c: the HTML report: one self-contained file (SPEC §5). The
 * map with its hot spots (report_html_map.c); the key findings; one row per
 * strike with its least and most plausible verdicts and its warnings; every
 * listed pair with its numbers; each claim with its source and verdicts;
 * the method and the reference figures. Every table can be filtered and
 * sorted; the map pans and zooms; a phone gets finger-sized targets and the
 * claim panel as a sheet at the bottom; print keeps every column
 * (report_html_assets.c). Without JavaScript it is a plain document whose
 * map links to the claims. No fonts, scripts or images are fetched.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html.h"

/* ---- output helpers ----------------------------------------------------- */

/* n bytes of s, escaped (n stops early at a NUL). */
void sm__html_esc_n(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; s && i < n && s[i]; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(s[i], f);
        }
    }
}

void sm__html_esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* A source as text with every URL in it a link (sources often cite
 * several, separated by ";" or spaces). */
void sm__html_source(FILE *f, const char *source, bool label)
{
    fputs(label ? "<p class=\"source\">Source: " : "<p class=\"source\">", f);
    if (source == NULL) {
        fputs("none given", f);
    } else {
        const char *p = source;
        while (*p) {
            const char *u = strstr(p, "http");
            while (u != NULL && strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
                u = strstr(u + 4, "http");
            if (u == NULL) {
                sm__html_esc(f, p);
                break;
            }
            sm__html_esc_n(f, p, (size_t)(u - p));
            size_t n = sm__url_len(u);
            if (n == 0) {
                sm__html_esc(f, "h");
                p = u + 1;
                continue;
            }
            fputs("<a href=\"", f);
            sm__html_esc_n(f, u, n);
            fputs("\" rel=\"noreferrer noopener\">", f);
            sm__html_esc_n(f, u, n);
            fputs("</a>", f);
            p = u + n;
        }
    }
    fputs("</p>\n", f);
}

/* The anchor of a claim: by kind and index, since ids may hold anything. */
void sm__html_anchor(char *buf, size_t n, char kind, size_t index)
{
    snprintf(buf, n, "claim-%c%zu", kind, index);
}

/* ---- sections ------------------------------------------------------------ */

/* Each section returns false when out of memory. */
static bool findings(const sm_report *r, FILE *f)
{
    fputs("<section id=\"findings\">\n<h2>Key findings</h2>\n<ul class=\"findings\">\n", f);
    size_t n = 0;
    for (int v = SM_VERDICT_IMPLAUSIBLE; v >= SM_VERDICT_MARGINAL; v--)
        for (size_t i = 0; i < r->n_pairs; i++) {
            if ((int)r->pairs[i].verdict != v)
                continue;
            char *text = sm__finding_full_new(r, &r->pairs[i]);
            if (text == NULL)
                return false;
            fprintf(f, "<li class=\"v-%s\"><a href=\"#pair-%zu\">",
                    sm_verdict_str(r->pairs[i].verdict), i);
            sm__html_esc(f, text);
            free(text);
            fputs("</a></li>\n", f);
            n++;
        }
    char *text = n == 0 ? sm__no_findings_text_new(r) : sm__strfmt("%s", "");
    char *flags = sm__flagged_text_new(r);
    bool ok = text != NULL && flags != NULL;
    if (ok && *text) {
        fputs("<li>", f);
        sm__html_esc(f, text);
        fputs("</li>\n", f);
    }
    if (ok && *flags) {
        fputs("<li class=\"flag\">", f);
        sm__html_esc(f, flags);
        fputs("</li>\n", f);
    }
    free(text);
    free(flags);
    fputs("</ul>\n</section>\n", f);
    return ok;
}

static void num_cell(FILE *f, double v, int decimals)
{
    char buf[40];
    if (isfinite(v))
        fprintf(f, "<td class=\"num\" data-v=\"%.6f\">%s</td>", v,
                sm__fmt_num(v, decimals, buf, sizeof(buf)));
    else
        fputs("<td class=\"num\" data-v=\"\">\xe2\x80\x93</td>", f);
}

/* A claim's warnings, marked, in a <div class="warn">; false: no memory. */
static bool warn_div(FILE *f, const sm_claim_info *info)
{
    if (!sm__flagged(info))
        return true;
    char *w = sm__warnings_text_new(info);
    if (w == NULL)
        return false;
    fputs("<div class=\"warn\">\xe2\x9a\xa0 ", f);
    sm__html_esc(f, w);
    fputs("</div>", f);
    free(w);
    return true;
}

/* A table cell naming a claim: its id linking to it, what kind it is (for
 * aircraft, the type), its label below, its warnings. Sorts by id. */
static bool claim_cell(FILE *f, const sm_claim_info *info, const char *anchor_id, const char *what)
{
    fputs("<td data-v=\"", f);
    sm__html_esc(f, info->id);
    fprintf(f, "\"><a class=\"claim-link\" href=\"#%s\">%s", anchor_id,
            sm__flagged(info) ? "\xe2\x9a\xa0 " : "");
    sm__html_esc(f, info->id);
    fputs("</a>", f);
    if (what != NULL) {
        fputs(" (", f);
        sm__html_esc(f, what);
        fputs(")", f);
    }
    if (info->label) {
        fputs("<br><span class=\"label\">", f);
        sm__html_esc(f, info->label);
        fputs("</span>", f);
    }
    bool ok = warn_div(f, info);
    fputs("</td>", f);
    return ok;
}

static void text_cell(FILE *f, const char *text)
{
    fputs("<td>", f);
    sm__html_esc(f, text != NULL ? text : "\xe2\x80\x93");
    fputs("</td>", f);
}

static void verdict_cell(const sm_report *r, FILE *f, size_t pair, size_t count, size_t total)
{
    if (pair == SIZE_MAX) {
        fputs("<td data-v=\"-1\" class=\"muted\">not checked</td>", f);
        return;
    }
    const sm_pair *p = &r->pairs[pair];
    sm__party a;
    sm__pair_party(p, r->claims, &a);
    fprintf(f, "<td data-v=\"%d\" class=\"v-%s\"><span class=\"verdict\">%s</span>",
            (int)p->verdict, sm_verdict_str(p->verdict), sm_verdict_str(p->verdict));
    if (count < total) {
        fputs("<br><span class=\"label\">", f);
        sm__html_esc(f, a.info->id);
        if (count > 1)
            fprintf(f, " +%zu", count - 1);
        fputs("</span>", f);
    }
    fputs("</td>", f);
}

static bool strike_row(const sm_report *r, FILE *f, const sm__strike_row *row, size_t i)
{
    const sm_strike *s = sm_claims_strike(r->claims, i);
    char id[64], when[400], pos[120]; /* times, positions, numbers */
    sm__html_anchor(id, sizeof(id), 's', i);
    fprintf(f, "<tr id=\"strike-%zu\" data-claims=\"%s\">", i, id);
    if (!claim_cell(f, &s->info, id, NULL))
        return false;
    sm__when_text(&s->when, when, sizeof(when));
    fprintf(f, "<td data-v=\"%.0f\">", s->when.known ? s->when.start : -1e18);
    sm__html_esc(f, when);
    fputs("</td>", f);
    sm__position_text(s->lon, s->lat, s->location_uncertainty_km, pos, sizeof(pos));
    text_cell(f, pos);
    text_cell(f, s->info.claimed_by);
    fputs("<td>", f);
    sm__html_source(f, s->info.source, false);
    fputs("</td><td>", f);
    for (size_t k = 0; s->attributed_to && s->attributed_to[k]; k++) {
        if (k > 0)
            fputs(", ", f);
        sm__html_esc(f, s->attributed_to[k]);
    }
    fputs("</td>", f);
    verdict_cell(r, f, row->worst, row->n_worst, row->n);
    verdict_cell(r, f, row->best, row->n_best, row->n);
    fputs("</tr>\n", f);
    return true;
}

static bool strike_table(const sm_report *r, FILE *f)
{
    bool ok;
    sm__strike_row *rows = sm__strike_rows_new(r, &ok);
    if (!ok)
        return false;
    fputs("<section id=\"strikes\">\n<h2>The strikes</h2>\n<p class=\"note\">One row for each "
          "strike claimed, with the least plausible (worst) and the most plausible (best) "
          "verdict of the pairs checked for it and the aircraft or launcher that gave it. A "
          "decided verdict counts before an unknown one. \xe2\x9a\xa0 marks a claim with a "
          "warning, printed beside it.</p>\n"
          "<div class=\"table-wrap\"><table id=\"strike-table\" class=\"sortable filterable\">\n"
          "<thead><tr><th scope=\"col\">Strike</th><th scope=\"col\">When</th>"
          "<th scope=\"col\">Position</th><th scope=\"col\">Claimed by</th>"
          "<th scope=\"col\">Source</th><th scope=\"col\">Attributed to</th>"
          "<th scope=\"col\">Worst verdict</th><th scope=\"col\">Best verdict</th></tr></thead>\n"
          "<tbody>\n",
          f);
    for (size_t i = 0; ok && i < sm_claims_strike_count(r->claims); i++)
        ok = strike_row(r, f, &rows[i], i);
    fputs("</tbody></table></div>\n</section>\n", f);
    free(rows);
    return ok;
}

static bool pair_row(const sm_report *r, FILE *f, size_t i)
{
    const sm_pair *p = &r->pairs[i];
    const sm_strike *s = sm_claims_strike(r->claims, p->strike);
    sm__party a;
    sm__pair_party(p, r->claims, &a);
    char sid[64], aid[64]; /* "claim-s" and a number */
    sm__html_anchor(sid, sizeof(sid), 's', p->strike);
    sm__html_anchor(aid, sizeof(aid), p->by_kind == SM_KIND_LAUNCHER ? 'l' : 'a', p->aircraft);
    fprintf(f, "<tr id=\"pair-%zu\" class=\"v-%s\" data-claims=\"%s %s\">", i,
            sm_verdict_str(p->verdict), sid, aid);
    if (!claim_cell(f, &s->info, sid, NULL) || !claim_cell(f, a.info, aid, a.type))
        return false;
    text_cell(f, s->info.claimed_by);
    fprintf(f, "<td data-v=\"%d\"><span class=\"verdict\">%s</span></td>", (int)p->verdict,
            sm_verdict_str(p->verdict));
    num_cell(f, p->distance_km, 1);
    num_cell(f, p->available_minutes, 1);
    num_cell(f, p->required_speed_kmh, 0);
    num_cell(f, p->max_speed_kmh, 0);
    char *reason = sm__pair_short_reason_new(p, r->claims);
    if (reason == NULL)
        return false;
    fputs("<td class=\"reason\">", f);
    sm__html_esc(f, reason);
    free(reason);
    fputs("</td></tr>\n", f);
    return true;
}

static bool verdict_table(const sm_report *r, FILE *f)
{
    fputs("<section id=\"verdicts\">\n<h2>Verdicts</h2>\n<p class=\"note\">One row for each "
          "strike and each aircraft its claimant says made it. Distance: from the claimed "
          "aircraft position that binds to the strike. Time: the time available. Speed: what "
          "the aircraft would need to bring the strike within weapon range, against its top "
          "speed. Click a column to sort, a row to show the pair on the map.</p>\n"
          "<div class=\"table-wrap\"><table id=\"verdict-table\" class=\"sortable filterable\">\n"
          "<thead><tr>"
          "<th scope=\"col\">Strike</th><th scope=\"col\">Aircraft</th>"
          "<th scope=\"col\">Claimed by</th><th scope=\"col\">Verdict</th>"
          "<th scope=\"col\" class=\"num\">Distance km</th>"
          "<th scope=\"col\" class=\"num\">Time min</th>"
          "<th scope=\"col\" class=\"num\">Speed needed km/h</th>"
          "<th scope=\"col\" class=\"num\">Top speed km/h</th>"
          "<th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < r->n_pairs; i++)
        if (!pair_row(r, f, i))
            return false;
    fputs("</tbody></table></div>\n", f);
    char *unknown = r->n_pairs < r->summary->pairs ? sm__unknown_text_new(r) : NULL;
    if (r->n_pairs < r->summary->pairs && unknown == NULL)
        return false;
    if (unknown != NULL) {
        fputs("<p>", f);
        sm__html_esc(f, unknown);
        fputs("</p>\n", f);
        free(unknown);
    }
    if (r->n_pairs == 0)
        fputs("<p>No pairs to check: no strike names an aircraft or operator in the "
              "claims.</p>\n",
              f);
    fputs("</section>\n", f);
    return true;
}

/* One verdict a claim takes part in, as a link to its row. */
static bool claim_pair(const sm_report *r, FILE *f, size_t i, char kind, bool *any)
{
    const sm_pair *p = &r->pairs[i];
    const sm_strike *s = sm_claims_strike(r->claims, p->strike);
    sm__party party;
    sm__pair_party(p, r->claims, &party);
    fputs(*any ? "</li>\n<li>" : "<ul class=\"claim-pairs\">\n<li>", f);
    fprintf(f, "<a href=\"#pair-%zu\" data-pair=\"%zu\"><span class=\"v v-%s\">%s</span> ", i, i,
            sm_verdict_str(p->verdict), sm_verdict_str(p->verdict));
    sm__html_esc(f, kind == 's' ? party.info->id : s->info.id);
    fputs("</a>: ", f);
    char *why = sm__pair_reasons_new(p, r->claims);
    if (why == NULL)
        return false;
    sm__html_esc(f, why);
    free(why);
    *any = true;
    return true;
}

/* The verdicts a claim takes part in: a strike's are its row's pairs. */
static bool claim_pairs(const sm_report *r, FILE *f, char kind, size_t index,
                        const sm__strike_row *row)
{
    bool any = false;
    size_t from = row ? row->first : 0, to = row ? row->first + row->n : r->n_pairs, unknown = 0;
    for (size_t i = from; i < to; i++) {
        const sm_pair *p = &r->pairs[i];
        bool launcher = p->by_kind == SM_KIND_LAUNCHER;
        if (kind != 's' && !((kind == 'a' && !launcher && p->aircraft == index) ||
                             (kind == 'l' && launcher && p->aircraft == index)))
            continue;
        /* an aircraft of an operator may be paired with every strike: its
         * undecided pairs are counted here (each is in the verdict table
         * and under its strike) */
        if (kind != 's' && p->verdict == SM_VERDICT_UNKNOWN) {
            unknown++;
            continue;
        }
        if (!claim_pair(r, f, i, kind, &any))
            return false;
    }
    if (any)
        fputs("</li>\n</ul>\n", f);
    if (unknown > 0) {
        char n1[64];
        fprintf(f, "<p class=\"note\">%s undecided (unknown): see the verdict table.</p>\n",
                sm__fmt_count(unknown, "pair", "pairs", NULL, n1, sizeof(n1)));
    }
    return true;
}

static bool claim_article(const sm_report *r, FILE *f, char kind, size_t index,
                          const sm_claim_info *info, const char *what, char *facts,
                          const sm__strike_row *row)
{
    if (facts == NULL)
        return false;
    char id[64];
    sm__html_anchor(id, sizeof(id), kind, index);
    fprintf(f, "<article id=\"%s\" class=\"claim\">\n<h3><span class=\"kind\">%s</span> ", id,
            what);
    sm__html_esc(f, info->id);
    if (info->label) {
        fputs(" \xe2\x80\x94 <span class=\"label\">", f);
        sm__html_esc(f, info->label);
        fputs("</span>", f);
    }
    fputs("</h3>\n<p class=\"facts\">", f);
    sm__html_esc(f, facts);
    free(facts);
    fputs("</p>\n", f);
    if (!warn_div(f, info))
        return false;
    sm__html_source(f, info->source, true);
    if (info->notes) {
        fputs("<p class=\"notes\">Notes: ", f);
        sm__html_esc(f, info->notes);
        fputs("</p>\n", f);
    }
    bool ok = kind == 'b' || claim_pairs(r, f, kind, index, row);
    fputs("</article>\n", f);
    return ok;
}

static bool claims_section(const sm_report *r, FILE *f, const sm__html_spots *spots)
{
    const sm_claims *c = r->claims;
    bool ok;
    sm__strike_row *rows = sm__strike_rows_new(r, &ok);
    if (!ok)
        return false;
    fputs("<section id=\"claims\">\n<h2>The claims</h2>\n<p class=\"note\">Each claim as its "
          "claimant made it, with the published source. Positions are longitude and latitude "
          "on WGS84; times as written, with their UTC offset.</p>\n",
          f);
    sm__html_spot_lists(r, f, spots);
    for (size_t i = 0; ok && i < sm_claims_strike_count(c); i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        ok = claim_article(r, f, 's', i, &s->info, "Strike", sm__strike_facts_new(s), &rows[i]);
    }
    for (size_t i = 0; ok && i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        ok = claim_article(r, f, 'a', i, &a->info, a->is_track ? "Aircraft track" : "Aircraft",
                           sm__aircraft_facts_new(a), NULL);
    }
    for (size_t i = 0; ok && i < sm_claims_base_count(c); i++) {
        const sm_base *b = sm_claims_base(c, i);
        ok = claim_article(r, f, 'b', i, &b->info, "Air base", sm__base_facts_new(b), NULL);
    }
    for (size_t i = 0; ok && i < sm_claims_launcher_count(c); i++) {
        const sm_launcher *l = sm_claims_launcher(c, i);
        ok = claim_article(r, f, 'l', i, &l->info, "Launcher", sm__launcher_facts_new(l), NULL);
    }
    free(rows);
    fputs("</section>\n", f);
    return ok;
}

static bool method_section(const sm_report *r, FILE *f)
{
    fputs("<section id=\"method\">\n<h2>Method</h2>\n", f);
    char paras[8][900];
    size_t n = sm__method_paragraphs(r, paras, 8);
    for (size_t i = 0; i < n; i++) {
        fputs("<p>", f);
        sm__html_esc(f, paras[i]);
        fputs("</p>\n", f);
    }
    bool ok;
    sm__ref_row *rows = sm__ref_rows_new(r, &n, &ok);
    if (!ok)
        return false;
    fputs("<h3>Reference figures used</h3>\n<p class=\"note\">The figures of the aircraft and "
          "weapons the checked pairs relied on, each with the part of the table's source that "
          "gives it. Where sources differ, the table takes the figure most favourable to the "
          "claim.</p>\n<div class=\"table-wrap\"><table class=\"refs\">\n<thead><tr>"
          "<th scope=\"col\">Aircraft or weapon</th><th scope=\"col\">Figure</th>"
          "<th scope=\"col\" class=\"num\">Value</th><th scope=\"col\">Source</th></tr></thead>"
          "\n<tbody>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        char num[40];
        fputs("<tr><td>", f);
        sm__html_esc(f, rows[i].subject);
        fprintf(f, "</td><td>%s</td><td class=\"num\">%s %s%s</td><td>", rows[i].figure,
                sm__fmt_num(rows[i].value, 0, num, sizeof(num)), rows[i].unit,
                rows[i].estimate ? " (estimate)" : "");
        sm__html_esc(f, rows[i].source);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div>\n</section>\n", f);
    sm__ref_rows_free(rows, n);
    return true;
}

/* ---- the document ---------------------------------------------------------- */

static void head(const sm_report *r, FILE *f, const char *title, const char *sub)
{
    char summary[512]; /* counts only */
    sm__report_summary(r, summary, sizeof(summary));
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
          f);
    fprintf(f, "<meta name=\"generator\" content=\"strikemap %s\">\n<title>", sm_version());
    sm__html_esc(f, title);
    fputs("</title>\n<style>\n", f);
    sm__html_puts(f, sm__html_css);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>", f);
    sm__html_esc(f, title);
    fputs("</h1>\n<p class=\"sub\">", f);
    sm__html_esc(f, sub);
    fputs("</p>\n<p class=\"summary\">", f);
    sm__html_esc(f, summary);
    fputs("</p>\n</header>\n<main>\n<section class=\"map-section\" id=\"map\">\n"
          "<figure class=\"map-box\">\n",
          f);
}

sm_status sm__report_html(const sm_report *r, const char *path)
{
    sm__out t;
    if (sm__out_open(r->ctx, &t, path, NULL) != SM_OK)
        return SM_ERR_IO;
    FILE *f = t.f;
    char *title = sm__report_title_new(r), *sub = sm__report_subtitle_new(r);
    if (title == NULL || sub == NULL) {
        free(title);
        free(sub);
        return sm__report_finish(r->ctx, &t, sm__nomem(r->ctx, path, -1, NULL, "report title"));
    }
    head(r, f, title, sub);
    free(title);
    free(sub);
    sm__html_spots spots = {0};
    sm_status st = sm__html_map(r, f, &spots);
    if (st == SM_OK) {
        fputs("</figure>\n<aside id=\"panel\" class=\"panel\" aria-live=\"polite\" hidden>"
              "</aside>\n</section>\n",
              f);
        if (!findings(r, f) || !strike_table(r, f) || !verdict_table(r, f) ||
            !claims_section(r, f, &spots) || !method_section(r, f))
            st = sm__nomem(r->ctx, path, -1, NULL, "report text");
        fprintf(f,
                "</main>\n<footer>Made with strikemap %s (GDAL, PROJ, cairo, Pango). "
                "Basemap: Natural Earth (public domain); populated places: GeoNames "
                "(CC BY 4.0).</footer>\n<script>\n",
                sm_version());
        sm__html_puts(f, sm__html_js);
        fputs("</script>\n</body>\n</html>\n", f);
    } else if (st != SM_ERR_NOMEM) {
        sm__diag(r->ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "the map could not be drawn");
    }
    sm__html_spots_free(&spots);
    return sm__report_finish(r->ctx, &t, st);
}
