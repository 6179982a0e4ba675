/*
 * report_html.c: the HTML report: one self-contained file. The map is the
 * cairo map as inline SVG, with a transparent overlay of hot spots (strikes,
 * aircraft positions and tracks, bases) and of the fix-to-strike lines.
 * Every hot spot is a link to its claim further down, so without JavaScript
 * the page is a plain document whose map links to the claims; with it,
 * clicking a hot spot shows the claim with its source and verdicts beside
 * the map, a row of the verdict table highlights its pair on the map, and
 * the table sorts by any column. No fonts, scripts or images are fetched.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>

#include "report/report_internal.h"

/* ---- texts of any length (report_internal.h) ----------------------------- */

static size_t slen(const char *s)
{
    return s != NULL ? strlen(s) : 0;
}

/* Call a report.c helper that writes into (buf, size) with a buffer of
 * `size` bytes, which the caller has sized from the texts it copies. */
#define TEXT_NEW(size, call)                                                                       \
    do {                                                                                           \
        size_t size_ = (size);                                                                     \
        char *buf = malloc(size_);                                                                 \
        if (buf == NULL)                                                                           \
            return NULL;                                                                           \
        call;                                                                                      \
        return buf;                                                                                \
    } while (0)

/* Room for what the helpers add around the claim's texts (dates,
 * positions, numbers and fixed words, each at most a few hundred bytes). */
#define TEXT_ROOM 2048

char *sm__report_title_new(const sm_report *r)
{
    TEXT_NEW(slen(r->options.title) + TEXT_ROOM, sm__report_title(r, buf, size_));
}

char *sm__report_subtitle_new(const sm_report *r)
{
    TEXT_NEW(slen(r->options.subtitle) + TEXT_ROOM, sm__report_subtitle(r, buf, size_));
}

char *sm__strike_facts_new(const sm_strike *s)
{
    TEXT_NEW(
        slen(s->info.claimed_by) + slen(s->weapon) + sm__strike_attributed_len(s) + TEXT_ROOM,
        if (!sm__strike_facts(s, buf, size_)) {
            free(buf);
            return NULL;
        });
}

char *sm__aircraft_facts_new(const sm_aircraft *a)
{
    TEXT_NEW(slen(a->info.claimed_by) + slen(sm__type_name(a, "")) + slen(a->operator_name) +
                 slen(a->base) + slen(a->weapon) + TEXT_ROOM,
             sm__aircraft_facts(a, buf, size_));
}

char *sm__launcher_facts_new(const sm_launcher *l)
{
    TEXT_NEW(slen(l->info.claimed_by) + slen(l->weapon) + slen(l->operator_name) + TEXT_ROOM,
             sm__launcher_facts(l, buf, size_));
}

char *sm__base_facts_new(const sm_base *b)
{
    TEXT_NEW(slen(b->info.claimed_by) + slen(b->operator_name) + TEXT_ROOM,
             sm__base_facts(b, buf, size_));
}

char *sm__finding_text_new(const sm_report *r, const sm_pair *p)
{
    const sm_strike *s = sm_claims_strike(r->claims, p->strike);
    sm__party a;
    sm__pair_party(p, r->claims, &a);
    TEXT_NEW(
        slen(sm__claim_name(&s->info)) + slen(s->info.claimed_by) + slen(sm__claim_name(a.info)) +
            slen(a.info->claimed_by) + slen(a.type) + sm__pair_short_reason(p, r->claims, NULL, 0) +
            TEXT_ROOM,
        if (!sm__finding_text(r, p, buf, size_)) {
            free(buf);
            return NULL;
        });
}

char *sm__pair_reasons_new(const sm_pair *p, const sm_claims *claims)
{
    char probe[1];
    TEXT_NEW(sm_pair_reasons(p, claims, probe, sizeof(probe)) + 1,
             sm_pair_reasons(p, claims, buf, size_));
}

char *sm__pair_short_reason_new(const sm_pair *p, const sm_claims *claims)
{
    char probe[1];
    TEXT_NEW(sm__pair_short_reason(p, claims, probe, sizeof(probe)) + 1,
             sm__pair_short_reason(p, claims, buf, size_));
}

size_t sm__url_len(const char *u)
{
    size_t n = strcspn(u, " \t\n;,<>\"");
    for (;;) {
        if (n == 0)
            return 0;
        char c = u[n - 1];
        if (c == '.' || c == ']' || c == '\'' || c == '!' || c == '?' || c == ':') {
            n--;
            continue;
        }
        if (c == ')') {
            size_t open = 0, close = 0;
            for (size_t i = 0; i < n; i++) {
                open += u[i] == '(';
                close += u[i] == ')';
            }
            if (close > open) {
                n--;
                continue;
            }
        }
        return n;
    }
}

/* ---- output helpers ----------------------------------------------------- */

/* n bytes of s, escaped (n stops early at a NUL). */
static void esc_n(FILE *f, const char *s, size_t n)
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

static void esc(FILE *f, const char *s)
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
static void source_html(FILE *f, const char *source)
{
    fputs("<p class=\"source\">Source: ", f);
    if (source == NULL) {
        fputs("none given", f);
    } else {
        const char *p = source;
        while (*p) {
            const char *u = strstr(p, "http");
            while (u != NULL && strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
                u = strstr(u + 4, "http");
            if (u == NULL) {
                esc(f, p);
                break;
            }
            esc_n(f, p, (size_t)(u - p));
            size_t n = sm__url_len(u);
            if (n == 0) {
                esc(f, "h");
                p = u + 1;
                continue;
            }
            fputs("<a href=\"", f);
            esc_n(f, u, n);
            fputs("\" rel=\"noreferrer noopener\">", f);
            esc_n(f, u, n);
            fputs("</a>", f);
            p = u + n;
        }
    }
    fputs("</p>\n", f);
}

/* The anchor of a claim: by kind and index, since ids may hold anything. */
static void anchor(char *buf, size_t n, char kind, size_t index)
{
    snprintf(buf, n, "claim-%c%zu", kind, index);
}

/* ---- the map ------------------------------------------------------------ */

typedef struct membuf {
    char *data;
    size_t len, cap;
} membuf;

static cairo_status_t to_mem(void *closure, const unsigned char *data, unsigned int length)
{
    membuf *m = closure;
    if (m->len + length + 1 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1 << 16;
        while (cap < m->len + length + 1)
            cap *= 2;
        char *p = realloc(m->data, cap);
        if (p == NULL)
            return CAIRO_STATUS_NO_MEMORY;
        m->data = p;
        m->cap = cap;
    }
    memcpy(m->data + m->len, data, length);
    m->len += length;
    m->data[m->len] = '\0';
    return CAIRO_STATUS_SUCCESS;
}

#define MAP_W 720
#define MAP_H 540

/* The map SVG, its root tag rewritten to scale with the page. */
static sm_status map_svg(const sm_report *r, sm_map *map, FILE *f)
{
    membuf m = {0};
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_mem, &m, MAP_W, MAP_H);
    cairo_t *cr = cairo_create(s);
    sm_status st = sm_map_draw(map, cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t cs = cairo_surface_status(s);
    if (cs == CAIRO_STATUS_NO_MEMORY && st == SM_OK) {
        st = sm__nomem(r->ctx, NULL, -1, NULL, "the report's map");
    } else if (cs != CAIRO_STATUS_SUCCESS && st == SM_OK) {
        sm__diag(r->ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL, "the report's map (SVG): %s",
                 cairo_status_to_string(cs));
        st = SM_ERR_RENDER;
    }
    cairo_surface_destroy(s);
    char *root = m.data ? strstr(m.data, "<svg") : NULL;
    char *end = root ? strchr(root, '>') : NULL;
    if (st != SM_OK || end == NULL) {
        free(m.data);
        return st != SM_OK ? st : SM_ERR_RENDER;
    }
    char *title = sm__report_title_new(r);
    if (title == NULL) {
        free(m.data);
        return sm__nomem(r->ctx, NULL, -1, NULL, "report title");
    }
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" "
            "xmlns:xlink=\"http://www.w3.org/1999/xlink\" class=\"map\" "
            "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
            MAP_W, MAP_H);
    esc(f, title);
    free(title);
    fputs("\">", f);
    fputs(end + 1, f);
    free(m.data);
    return SM_OK;
}

static void pt(const sm_map *map, double lon, double lat, double *x, double *y)
{
    if (!sm_map_lonlat_to_canvas(map, lon, lat, x, y))
        *x = *y = -1000;
}

/* A round hot spot linking to a claim, with its name as a tooltip. */
static void hot_circle(const sm_map *map, FILE *f, const char *id, double lon, double lat,
                       double radius, const sm_claim_info *info)
{
    double x, y;
    pt(map, lon, lat, &x, &y);
    fprintf(f,
            "<a href=\"#%s\" data-claim=\"%s\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%g\">"
            "<title>",
            id, id, x, y, radius);
    esc(f, sm__claim_name(info));
    fputs("</title></circle></a>\n", f);
}

static void overlay(const sm_report *r, const sm_map *map, FILE *f)
{
    const sm_claims *c = r->claims;
    char id[64];
    fprintf(f, "<svg class=\"overlay\" viewBox=\"0 0 %d %d\">\n<g class=\"pairs\">\n", MAP_W,
            MAP_H);
    for (size_t i = 0; i < r->n_pairs; i++) {
        const sm_pair *p = &r->pairs[i];
        const sm_strike *s = sm_claims_strike(c, p->strike);
        sm__party a;
        sm__pair_party(p, c, &a);
        if (!sm__pair_fix_binds(p))
            continue; /* as on the map: only a fix that binds gets a line */
        double x1, y1, x2, y2;
        pt(map, a.lon, a.lat, &x1, &y1);
        pt(map, s->lon, s->lat, &x2, &y2);
        fprintf(f,
                "<line id=\"line-%zu\" class=\"pair v-%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\"/>\n",
                i, sm_verdict_str(p->verdict), x1, y1, x2, y2);
    }
    fputs("</g>\n<g class=\"hot\">\n", f);
    for (size_t i = 0; i < sm_claims_base_count(c); i++) {
        const sm_base *b = sm_claims_base(c, i);
        anchor(id, sizeof(id), 'b', i);
        hot_circle(map, f, id, b->lon, b->lat, 11, &b->info);
    }
    for (size_t i = 0; i < sm_claims_launcher_count(c); i++) {
        const sm_launcher *l = sm_claims_launcher(c, i);
        anchor(id, sizeof(id), 'l', i);
        hot_circle(map, f, id, l->lon, l->lat, 11, &l->info);
    }
    for (size_t i = 0; i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        anchor(id, sizeof(id), 'a', i);
        fprintf(f, "<a href=\"#%s\" data-claim=\"%s\">", id, id);
        if (a->is_track) {
            fputs("<polyline points=\"", f);
            for (size_t k = 0; k < a->n_fixes; k++) {
                double x, y;
                pt(map, a->fixes[k].lon, a->fixes[k].lat, &x, &y);
                fprintf(f, "%s%.1f,%.1f", k ? " " : "", x, y);
            }
            fputs("\">", f);
        } else {
            double x, y;
            pt(map, a->fixes[0].lon, a->fixes[0].lat, &x, &y);
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"11\">", x, y);
        }
        fputs("<title>", f);
        esc(f, sm__claim_name(&a->info));
        fputs(a->is_track ? "</title></polyline></a>\n" : "</title></circle></a>\n", f);
    }
    for (size_t i = 0; i < sm_claims_strike_count(c); i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        anchor(id, sizeof(id), 's', i);
        hot_circle(map, f, id, s->lon, s->lat, 10, &s->info);
    }
    fputs("</g>\n</svg>\n", f);
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
            char *text = sm__finding_text_new(r, &r->pairs[i]);
            if (text == NULL)
                return false;
            fprintf(f, "<li class=\"v-%s\"><a href=\"#pair-%zu\">",
                    sm_verdict_str(r->pairs[i].verdict), i);
            esc(f, text);
            free(text);
            fputs("</a></li>\n", f);
            n++;
        }
    if (n == 0)
        fputs("<li>No checked pair is implausible or marginal: every claimed aircraft could "
              "have reached its strike in the time the claims allow, or a time was missing "
              "(see the verdict table).</li>\n",
              f);
    fputs("</ul>\n</section>\n", f);
    return true;
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

/* A table cell naming a claim: its id linking to it, what kind it is (for
 * aircraft, the type), its label below. Sorts by id. */
static void claim_cell(FILE *f, const sm_claim_info *info, const char *anchor_id, const char *what)
{
    fputs("<td data-v=\"", f);
    esc(f, info->id);
    fprintf(f, "\"><a href=\"#%s\">", anchor_id);
    esc(f, info->id);
    fputs("</a>", f);
    if (what != NULL) {
        fputs(" (", f);
        esc(f, what);
        fputs(")", f);
    }
    if (info->label) {
        fputs("<br><span class=\"label\">", f);
        esc(f, info->label);
        fputs("</span>", f);
    }
    fputs("</td>", f);
}

static bool verdict_table(const sm_report *r, FILE *f)
{
    const sm_claims *c = r->claims;
    fputs("<section id=\"verdicts\">\n<h2>Verdicts</h2>\n<p class=\"note\">One row for each "
          "strike and each aircraft its claimant says made it. Distance: from the claimed "
          "aircraft position that binds to the strike. Time: the time available. Speed: what "
          "the aircraft would need to bring the strike within weapon range, against its top "
          "speed. Click a column to sort, a row to show the pair on the map.</p>\n"
          "<div class=\"table-wrap\"><table id=\"verdict-table\">\n<thead><tr>"
          "<th scope=\"col\">Strike</th><th scope=\"col\">Aircraft</th>"
          "<th scope=\"col\">Claimed by</th><th scope=\"col\">Verdict</th>"
          "<th scope=\"col\" class=\"num\">Distance km</th>"
          "<th scope=\"col\" class=\"num\">Time min</th>"
          "<th scope=\"col\" class=\"num\">Speed needed km/h</th>"
          "<th scope=\"col\" class=\"num\">Top speed km/h</th>"
          "<th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n",
          f);
    char sid[64], aid[64]; /* "claim-s" and a number */
    for (size_t i = 0; i < r->n_pairs; i++) {
        const sm_pair *p = &r->pairs[i];
        const sm_strike *s = sm_claims_strike(c, p->strike);
        sm__party a;
        sm__pair_party(p, c, &a);
        anchor(sid, sizeof(sid), 's', p->strike);
        anchor(aid, sizeof(aid), p->by_kind == SM_KIND_LAUNCHER ? 'l' : 'a', p->aircraft);
        fprintf(f, "<tr id=\"pair-%zu\" class=\"v-%s\" data-claims=\"%s %s\">", i,
                sm_verdict_str(p->verdict), sid, aid);
        claim_cell(f, &s->info, sid, NULL);
        claim_cell(f, a.info, aid, a.type);
        fputs("<td>", f);
        esc(f, s->info.claimed_by ? s->info.claimed_by : "\xe2\x80\x93");
        fprintf(f, "</td><td data-v=\"%d\"><span class=\"verdict\">%s</span></td>", (int)p->verdict,
                sm_verdict_str(p->verdict));
        num_cell(f, p->distance_km, 1);
        num_cell(f, p->available_minutes, 1);
        num_cell(f, p->required_speed_kmh, 0);
        num_cell(f, p->max_speed_kmh, 0);
        char *reason = sm__pair_short_reason_new(p, c);
        if (reason == NULL)
            return false;
        fputs("<td class=\"reason\">", f);
        esc(f, reason);
        free(reason);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
    if (r->n_pairs == 0)
        fputs("<p>No pairs to check: no strike names an aircraft or operator in the "
              "claims.</p>\n",
              f);
    fputs("</section>\n", f);
    return true;
}

/* The verdicts a claim takes part in, as links to their rows. */
static bool claim_pairs(const sm_report *r, FILE *f, char kind, size_t index)
{
    bool any = false;
    for (size_t i = 0; i < r->n_pairs; i++) {
        const sm_pair *p = &r->pairs[i];
        bool launcher = p->by_kind == SM_KIND_LAUNCHER;
        if (!((kind == 's' && p->strike == index) ||
              (kind == 'a' && !launcher && p->aircraft == index) ||
              (kind == 'l' && launcher && p->aircraft == index)))
            continue;
        const sm_strike *s = sm_claims_strike(r->claims, p->strike);
        sm__party party;
        sm__pair_party(p, r->claims, &party);
        const sm_claim_info *a = party.info;
        fputs(any ? "</li>\n<li>" : "<ul class=\"claim-pairs\">\n<li>", f);
        fprintf(f, "<a href=\"#pair-%zu\" data-pair=\"%zu\"><span class=\"v v-%s\">%s</span> ", i,
                i, sm_verdict_str(p->verdict), sm_verdict_str(p->verdict));
        esc(f, kind == 's' ? a->id : s->info.id);
        fputs("</a>: ", f);
        char *why = sm__pair_reasons_new(p, r->claims);
        if (why == NULL)
            return false;
        esc(f, why);
        free(why);
        any = true;
    }
    if (any)
        fputs("</li>\n</ul>\n", f);
    return true;
}

static void claim_article(FILE *f, const char *anchor_id, const char *kind,
                          const sm_claim_info *info, const char *facts)
{
    fprintf(f, "<article id=\"%s\" class=\"claim\">\n<h3><span class=\"kind\">%s</span> ",
            anchor_id, kind);
    esc(f, info->id);
    if (info->label) {
        fputs(" \xe2\x80\x94 <span class=\"label\">", f);
        esc(f, info->label);
        fputs("</span>", f);
    }
    fputs("</h3>\n<p class=\"facts\">", f);
    esc(f, facts);
    fputs("</p>\n", f);
    source_html(f, info->source);
    if (info->notes) {
        fputs("<p class=\"notes\">Notes: ", f);
        esc(f, info->notes);
        fputs("</p>\n", f);
    }
}

static bool claims_section(const sm_report *r, FILE *f)
{
    const sm_claims *c = r->claims;
    fputs("<section id=\"claims\">\n<h2>The claims</h2>\n<p class=\"note\">Each claim as its "
          "claimant made it, with the published source. Positions are longitude and latitude "
          "on WGS84; times as written, with their UTC offset.</p>\n",
          f);
    char id[64]; /* "claim-s" and a number */
    for (size_t i = 0; i < sm_claims_strike_count(c); i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        char *facts = sm__strike_facts_new(s);
        if (facts == NULL)
            return false;
        anchor(id, sizeof(id), 's', i);
        claim_article(f, id, "Strike", &s->info, facts);
        free(facts);
        if (!claim_pairs(r, f, 's', i))
            return false;
        fputs("</article>\n", f);
    }
    for (size_t i = 0; i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        char *facts = sm__aircraft_facts_new(a);
        if (facts == NULL)
            return false;
        anchor(id, sizeof(id), 'a', i);
        claim_article(f, id, a->is_track ? "Aircraft track" : "Aircraft", &a->info, facts);
        free(facts);
        if (!claim_pairs(r, f, 'a', i))
            return false;
        fputs("</article>\n", f);
    }
    for (size_t i = 0; i < sm_claims_base_count(c); i++) {
        const sm_base *b = sm_claims_base(c, i);
        char *facts = sm__base_facts_new(b);
        if (facts == NULL)
            return false;
        anchor(id, sizeof(id), 'b', i);
        claim_article(f, id, "Air base", &b->info, facts);
        free(facts);
        fputs("</article>\n", f);
    }
    for (size_t i = 0; i < sm_claims_launcher_count(c); i++) {
        const sm_launcher *l = sm_claims_launcher(c, i);
        char *facts = sm__launcher_facts_new(l);
        if (facts == NULL)
            return false;
        anchor(id, sizeof(id), 'l', i);
        claim_article(f, id, "Launcher", &l->info, facts);
        free(facts);
        if (!claim_pairs(r, f, 'l', i))
            return false;
        fputs("</article>\n", f);
    }
    fputs("</section>\n", f);
    return true;
}

static bool method_section(const sm_report *r, FILE *f)
{
    fputs("<section id=\"method\">\n<h2>Method</h2>\n", f);
    char paras[8][900];
    size_t n = sm__method_paragraphs(r, paras, 8);
    for (size_t i = 0; i < n; i++) {
        fputs("<p>", f);
        esc(f, paras[i]);
        fputs("</p>\n", f);
    }
    size_t nt = sm_tables_aircraft_count(r->ctx), nw = sm_tables_weapon_count(r->ctx);
    const sm_aircraft_type **types = calloc(nt + 1, sizeof(const sm_aircraft_type *));
    const sm_weapon **weapons = calloc(nw + 1, sizeof(const sm_weapon *));
    if (types == NULL || weapons == NULL) {
        free(types);
        free(weapons);
        return false;
    }
    {
        sm__report_references(r, types, &nt, weapons, &nw);
        fputs("<h3>Reference figures used</h3>\n<ul class=\"refs\">\n", f);
        char n1[32], n2[32];
        for (size_t i = 0; i < nt; i++) {
            fputs("<li><strong>", f);
            esc(f, types[i]->type);
            fprintf(f, "</strong>: top speed %s km/h, combat radius %s km.",
                    sm__fmt_num(types[i]->max_speed_kmh, 0, n1, sizeof(n1)),
                    isfinite(types[i]->combat_radius_km)
                        ? sm__fmt_num(types[i]->combat_radius_km, 0, n2, sizeof(n2))
                        : "not known");
            source_html(f, types[i]->source);
            fputs("</li>\n", f);
        }
        for (size_t i = 0; i < nw; i++) {
            fputs("<li><strong>", f);
            esc(f, weapons[i]->name);
            fprintf(f, "</strong>: range %s km (%s).",
                    sm__fmt_num(weapons[i]->range_km, 1, n1, sizeof(n1)),
                    weapons[i]->guided ? "guided" : "unguided");
            source_html(f, weapons[i]->source);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    free(types);
    free(weapons);
    fputs("</section>\n", f);
    return true;
}

/* ---- style and script ------------------------------------------------------ */

static const char g_css[] =
    ":root{--ink:#212125;--muted:#66666d;--rule:#d0d0d4;--shade:#f3f3f5;--link:#005aa6;"
    "--plausible:#0072b2;--marginal:#e69f00;--implausible:#d55e00;--unknown:#8c8c8c}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:var(--ink);background:#fff;font:16px/1.5 'Noto Sans','DejaVu Sans',"
    "system-ui,sans-serif}\n"
    "header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}\n"
    "header{padding-top:24px}h1{font-size:1.8em;line-height:1.2;margin:0 0 .2em}\n"
    ".sub{color:var(--muted);margin:0}.summary{margin:.4em 0 1em;font-weight:600}\n"
    "h2{font-size:1.35em;margin:1.6em 0 .4em;border-bottom:1px solid var(--rule)}\n"
    "h3{font-size:1.05em;margin:1.2em 0 .2em}a{color:var(--link)}\n"
    ".note{color:var(--muted);font-size:.9em}\n"
    ".map-section{display:flex;gap:16px;align-items:flex-start}\n"
    ".map-box{flex:1 1 auto;margin:0;min-width:0}\n"
    ".map-stack{position:relative;line-height:0;border:1px solid var(--rule)}\n"
    ".map-stack svg{display:block;width:100%;height:auto}\n"
    ".map-stack .overlay{position:absolute;left:0;top:0;width:100%;height:100%}\n"
    ".overlay .hot circle{fill:transparent;stroke:transparent;cursor:pointer}\n"
    ".overlay .hot polyline{fill:none;stroke:transparent;stroke-width:12;cursor:pointer}\n"
    ".overlay .hot a:hover circle,.overlay .hot a:focus circle{stroke:#000;stroke-width:2}\n"
    ".overlay .hot a.on circle{stroke:#000;stroke-width:3}\n"
    ".overlay .hot a.on polyline{stroke:rgba(0,0,0,.35)}\n"
    ".overlay line.pair{stroke:transparent;stroke-width:6;stroke-linecap:round}\n"
    ".overlay line.pair.on{stroke:#000;stroke-dasharray:2 6;stroke-width:5}\n"
    "figcaption{line-height:1.4;color:var(--muted);font-size:.85em;margin-top:6px}\n"
    ".panel{flex:0 0 320px;max-height:80vh;overflow:auto;border:1px solid var(--rule);"
    "padding:8px 12px;font-size:.9em;background:#fff}\n"
    ".panel h3{margin-top:.2em}.panel button{float:right}\n"
    ".findings li{margin:.3em 0}.findings li.v-implausible::marker{color:var(--implausible)}\n"
    ".findings li.v-marginal::marker{color:var(--marginal)}\n"
    ".table-wrap{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%;font-size:.85em}\n"
    "th,td{text-align:left;padding:5px 6px;border-bottom:1px solid var(--rule);"
    "vertical-align:top}\n"
    "th{background:#e6e6ea;cursor:pointer;white-space:nowrap;position:sticky;top:0}\n"
    "th[aria-sort=ascending]::after{content:' \\25b2'}"
    "th[aria-sort=descending]::after{content:' \\25bc'}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tbody tr:nth-child(even){background:var(--shade)}tbody tr{cursor:pointer}\n"
    "tbody tr.selected{outline:2px solid #000;outline-offset:-2px}\n"
    ".label{color:var(--muted)}\n"
    ".verdict,.v{font-weight:700}\n"
    ".v-plausible .verdict,.v.v-plausible{color:var(--plausible)}\n"
    ".v-marginal .verdict,.v.v-marginal{color:#b07800}\n"
    ".v-implausible .verdict,.v.v-implausible{color:var(--implausible)}\n"
    ".v-unknown .verdict,.v.v-unknown{color:var(--unknown)}\n"
    ".claim{border-top:1px solid var(--rule);padding:.2em 0 .6em}\n"
    ".claim .kind{font-size:.75em;text-transform:uppercase;letter-spacing:.05em;"
    "color:var(--muted)}\n"
    ".facts,.source,.notes{margin:.2em 0;font-size:.92em}.notes{color:var(--muted)}\n"
    ".source a{word-break:break-all}.claim-pairs{font-size:.9em}\n"
    ".claim:target{background:#fff8e0}\n"
    "footer{color:var(--muted);font-size:.8em;padding:24px 16px 40px}\n"
    "@media (max-width:800px){.map-section{display:block}.panel{max-height:none;"
    "margin-top:8px}body{font-size:15px}}\n"
    "@media print{.panel,figcaption{display:none}th{position:static}"
    "tr,.claim{break-inside:avoid}a{color:inherit;text-decoration:none}"
    "body{font-size:11pt}}\n";

static const char g_js[] =
    "(function(){\n"
    "'use strict';\n"
    "var panel=document.getElementById('panel');\n"
    "var rows=document.querySelectorAll('#verdict-table tbody tr');\n"
    "function clear(){document.querySelectorAll('.on,.selected').forEach(function(e){"
    "e.classList.remove('on');e.classList.remove('selected');});}\n"
    "function selectPair(i,scroll){clear();var l=document.getElementById('line-'+i);"
    "var r=document.getElementById('pair-'+i);if(l)l.classList.add('on');"
    "if(r){r.classList.add('selected');r.getAttribute('data-claims').split(' ').forEach("
    "function(c){var a=document.querySelector('.overlay a[data-claim=\"'+c+'\"]');"
    "if(a)a.classList.add('on');});}"
    "if(scroll)document.querySelector('.map-box').scrollIntoView({block:'nearest'});}\n"
    "function showClaim(id){var art=document.getElementById(id);if(!art)return;clear();"
    "var a=document.querySelector('.overlay a[data-claim=\"'+id+'\"]');if(a)a.classList.add('on');"
    "rows.forEach(function(r){if(r.getAttribute('data-claims').split(' ').indexOf(id)>=0){"
    "r.classList.add('selected');var l=document.getElementById('line-'+r.id.slice(5));"
    "if(l)l.classList.add('on');}});"
    "panel.innerHTML='';var b=document.createElement('button');b.type='button';"
    "b.textContent='\\u00d7';b.setAttribute('aria-label','Close');"
    "b.onclick=function(){panel.hidden=true;clear();};panel.appendChild(b);"
    "var c=art.cloneNode(true);c.removeAttribute('id');panel.appendChild(c);"
    "panel.hidden=false;}\n"
    "document.querySelectorAll('.overlay a').forEach(function(a){a.addEventListener('click',"
    "function(e){e.preventDefault();showClaim(a.getAttribute('data-claim'));});});\n"
    "panel.addEventListener('click',function(e){var a=e.target.closest('a[data-pair]');"
    "if(a){e.preventDefault();selectPair(a.getAttribute('data-pair'),true);}});\n"
    "rows.forEach(function(r){r.addEventListener('click',function(e){"
    "if(e.target.closest('a'))return;selectPair(r.id.slice(5),true);});});\n"
    "document.querySelectorAll('#verdict-table th').forEach(function(th,col){"
    "th.tabIndex=0;function sort(){var asc=th.getAttribute('aria-sort')!=='ascending';"
    "document.querySelectorAll('#verdict-table th').forEach(function(h){"
    "h.removeAttribute('aria-sort');});th.setAttribute('aria-sort',asc?'ascending':'descending');"
    "var body=document.querySelector('#verdict-table tbody');"
    "var list=Array.prototype.slice.call(body.rows);"
    "list.sort(function(x,y){var a=x.cells[col],b=y.cells[col];"
    "var va=a.hasAttribute('data-v')?a.getAttribute('data-v'):a.textContent;"
    "var vb=b.hasAttribute('data-v')?b.getAttribute('data-v'):b.textContent;"
    "var na=parseFloat(va),nb=parseFloat(vb),d;"
    "if(!isNaN(na)&&!isNaN(nb)&&/^-?[0-9.]+$/.test(va)&&/^-?[0-9.]+$/.test(vb))d=na-nb;"
    "else if(va===''||vb==='')d=(va==='')-(vb==='');"
    "else d=va.localeCompare(vb);return asc?d:-d;});"
    "list.forEach(function(r){body.appendChild(r);});}"
    "th.addEventListener('click',sort);th.addEventListener('keydown',function(e){"
    "if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();}});});\n"
    "function fromHash(){var h=decodeURIComponent(location.hash.slice(1));"
    "if(h.indexOf('pair-')===0)selectPair(h.slice(5),false);"
    "else if(h.indexOf('claim-')===0&&h.indexOf('claim-')===0&&"
    "document.querySelector('.overlay a[data-claim=\"'+h+'\"]'))showClaim(h);}\n"
    "window.addEventListener('hashchange',fromHash);fromHash();\n"
    "document.documentElement.classList.add('js');\n"
    "})();\n";

/* ---- the document ---------------------------------------------------------- */

sm_status sm__report_html(const sm_report *r, const char *path)
{
    sm_map_options mo = r->options.map;
    mo.hide |= SM_MAP_TITLE;
    mo.width_px = MAP_W;
    mo.height_px = MAP_H;
    mo.dpi = 72;
    sm_map *map = NULL;
    sm_status st = sm_map_new(r->ctx, r->claims, r->check, &mo, &map);
    if (st != SM_OK)
        return st;
    sm__tmpfile t;
    if (sm__tmp_open(r->ctx, &t, path) != SM_OK) {
        sm_map_free(map);
        return SM_ERR_IO;
    }
    FILE *f = t.f;
    char *title = sm__report_title_new(r), *sub = sm__report_subtitle_new(r);
    char summary[512]; /* counts only */
    sm__report_summary(r, summary, sizeof(summary));
    if (title == NULL || sub == NULL) {
        free(title);
        free(sub);
        sm_map_free(map);
        return sm__report_finish(r->ctx, &t, sm__nomem(r->ctx, path, -1, NULL, "report title"));
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
          f);
    fprintf(f, "<meta name=\"generator\" content=\"strikemap %s\">\n<title>", sm_version());
    esc(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", g_css);
    esc(f, title);
    fputs("</h1>\n<p class=\"sub\">", f);
    esc(f, sub);
    free(title);
    free(sub);
    fputs("</p>\n<p class=\"summary\">", f);
    esc(f, summary);
    fputs("</p>\n</header>\n<main>\n<section class=\"map-section\" id=\"map\">\n"
          "<figure class=\"map-box\">\n<div class=\"map-stack\">\n",
          f);
    st = map_svg(r, map, f);
    if (st == SM_OK) {
        overlay(r, map, f);
        fputs("</div>\n<figcaption>Click a strike, an aircraft or a base on the map for its "
              "claims, sources and verdicts; click a row of the verdict table to show its "
              "pair on the map.</figcaption>\n</figure>\n"
              "<aside id=\"panel\" class=\"panel\" aria-live=\"polite\" hidden></aside>\n"
              "</section>\n",
              f);
        if (!findings(r, f) || !verdict_table(r, f) || !claims_section(r, f) ||
            !method_section(r, f))
            st = sm__nomem(r->ctx, path, -1, NULL, "report text");
        fprintf(f,
                "</main>\n<footer>Made with strikemap %s (GDAL, PROJ, cairo, Pango). "
                "Basemap: Natural Earth (public domain); populated places: GeoNames "
                "(CC BY 4.0).</footer>\n<script>\n%s</script>\n</body>\n</html>\n",
                sm_version(), g_js);
    } else {
        sm__diag(r->ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "the map could not be drawn");
    }
    sm_map_free(map);
    return sm__report_finish(r->ctx, &t, st);
}
