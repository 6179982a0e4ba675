/*
 * report_pdf.c: the PDF report: a title page with the summary, the map (as
 * vectors, through sm_map_draw) and the key findings; the verdict table,
 * flowing over pages with its header repeated; every claim with its
 * claimant, grading, time, position and source (a link); the method and the
 * reference figures used with their sources. Text is laid out by Pango
 * (Arabic and Cyrillic shaped; fonts embedded by cairo). The document is
 * laid out twice, the first time only to count pages for "page N of M".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "report/report_internal.h"

#define FONT "Noto Sans, Noto Naskh Arabic, DejaVu Sans"

typedef struct rgb {
    double r, g, b;
} rgb;

static const rgb INK = {0.13, 0.13, 0.15}, MUTED = {0.40, 0.40, 0.43}, RULE = {0.80, 0.80, 0.82},
                 SHADE = {0.95, 0.95, 0.96}, LINK = {0.0, 0.35, 0.65};
/* The map's verdict colours (Okabe-Ito, safe for colour-blind readers). */
static const rgb VERDICT[4] = {
    {0.549, 0.549, 0.549}, {0.0, 0.447, 0.698}, {0.902, 0.624, 0.0}, {0.835, 0.369, 0.0}};

typedef struct doc {
    const sm_report *r;
    cairo_t *cr;
    PangoContext *pc;
    double W, H, left, right, top, bottom, y;
    int page, pages; /* pages: total from the first pass, 0 during it */
    sm_status st;
} doc;

static PangoLayout *lay(doc *d, const char *text, double size, bool bold, double width, bool markup)
{
    PangoLayout *l = pango_layout_new(d->pc);
    PangoFontDescription *f = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, f);
    pango_font_description_free(f);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    if (markup)
        pango_layout_set_markup(l, text, -1);
    else
        pango_layout_set_text(l, text, -1);
    return l;
}

static double lay_height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void color(doc *d, rgb c)
{
    cairo_set_source_rgb(d->cr, c.r, c.g, c.b);
}

static void show(doc *d, PangoLayout *l, double x, double y, rgb c)
{
    cairo_save(d->cr);
    color(d, c);
    cairo_move_to(d->cr, x, y);
    pango_cairo_show_layout(d->cr, l);
    cairo_restore(d->cr);
}

static void ensure(doc *d, double h);

/* Out of memory while laying out: the document fails (the first failure
 * is the one reported). */
static void nomem(doc *d, const char *what)
{
    if (d->st == SM_OK)
        d->st = sm__nomem(d->r->ctx, NULL, -1, NULL, what);
}

/* Text at the cursor across the page width; returns its height. */
static double para(doc *d, const char *text, double size, bool bold, rgb c, double after)
{
    PangoLayout *l = lay(d, text, size, bold, d->right - d->left, false);
    double h = lay_height(l);
    ensure(d, h);
    show(d, l, d->left, d->y, c);
    g_object_unref(l);
    d->y += h + after;
    return h;
}

static void footer(doc *d)
{
    char buf[128];
    if (d->pages > 0)
        snprintf(buf, sizeof(buf), "strikemap %s \xc2\xb7 page %d of %d", sm_version(), d->page,
                 d->pages);
    else
        snprintf(buf, sizeof(buf), "strikemap %s \xc2\xb7 page %d", sm_version(), d->page);
    PangoLayout *l = lay(d, buf, 7.5, false, d->right - d->left, false);
    pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    show(d, l, d->left, d->H - 30, MUTED);
    g_object_unref(l);
    char *title = sm__report_title_new(d->r);
    if (title == NULL) {
        nomem(d, "report title");
        return;
    }
    l = lay(d, title, 7.5, false, (d->right - d->left) * 0.7, false);
    free(title);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    show(d, l, d->left, d->H - 30, MUTED);
    g_object_unref(l);
}

static void new_page(doc *d)
{
    if (d->page > 0) {
        footer(d);
        cairo_show_page(d->cr);
    }
    d->page++;
    d->y = d->top;
}

static void ensure(doc *d, double h)
{
    if (d->y + h > d->bottom)
        new_page(d);
}

static void heading(doc *d, const char *text)
{
    ensure(d, 60);
    PangoLayout *l = lay(d, text, 15, true, d->right - d->left, false);
    show(d, l, d->left, d->y, INK);
    d->y += lay_height(l) + 8;
    g_object_unref(l);
}

/* ---- the title page -------------------------------------------------------- */

static void title_page(doc *d)
{
    const sm_report *r = d->r;
    char buf[1024]; /* counts and fixed text only */
    char *title = sm__report_title_new(r), *sub = sm__report_subtitle_new(r);
    if (title == NULL || sub == NULL) {
        free(title);
        free(sub);
        nomem(d, "report title");
        return;
    }
    /* A long title wraps to at most four lines, then ends in Pango's
     * ellipsis (at a character boundary). */
    PangoLayout *l = lay(d, title, 21, true, d->right - d->left, false);
    pango_layout_set_height(l, -4);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    show(d, l, d->left, d->y, INK);
    d->y += lay_height(l) + 4;
    g_object_unref(l);
    para(d, sub, 10.5, false, MUTED, 4);
    free(title);
    free(sub);
    sm__report_summary(r, buf, sizeof(buf));
    para(d, buf, 10.5, false, INK, 10);

    /* The map: the report's title is above it, so not on it. */
    double mw = d->right - d->left, mh = mw * 0.75;
    sm_map_options mo = r->options.map;
    mo.hide |= SM_MAP_TITLE;
    /* Laid out on the canvas of a default map (720 x 540 pt), where every
     * claim label finds room, and scaled down to the column. */
    const double k = 720.0 / mw;
    cairo_save(d->cr);
    cairo_translate(d->cr, d->left, d->y);
    cairo_scale(d->cr, 1 / k, 1 / k);
    sm_status st = sm_map_render_cairo(r->ctx, r->claims, r->check, &mo, d->cr, mw * k, mh * k);
    cairo_restore(d->cr);
    if (st != SM_OK && d->st == SM_OK)
        d->st = st;
    d->y += mh + 14;

    l = lay(d, "Key findings", 12, true, 0, false);
    show(d, l, d->left, d->y, INK);
    d->y += lay_height(l) + 5;
    g_object_unref(l);
    size_t shown = 0, total = 0;
    for (int pass = SM_VERDICT_IMPLAUSIBLE; pass >= SM_VERDICT_MARGINAL; pass--)
        for (size_t i = 0; i < r->n_pairs; i++) {
            if ((int)r->pairs[i].verdict != pass)
                continue;
            total++;
            if (d->y > d->bottom - 40)
                continue;
            char *f = sm__finding_text_new(r, &r->pairs[i]);
            if (f == NULL) {
                nomem(d, "key findings");
                return;
            }
            PangoLayout *fl = lay(d, f, 9, false, mw - 14, false);
            free(f);
            cairo_save(d->cr);
            color(d, VERDICT[pass]);
            cairo_arc(d->cr, d->left + 4, d->y + 6, 3, 0, 2 * SM__PI);
            cairo_fill(d->cr);
            cairo_restore(d->cr);
            show(d, fl, d->left + 14, d->y, INK);
            d->y += lay_height(fl) + 3;
            g_object_unref(fl);
            shown++;
        }
    if (total == 0) {
        para(d,
             "No checked pair is implausible or marginal: every claimed aircraft could have "
             "reached its strike in the time the claims allow, or a time was missing (see the "
             "verdict table).",
             9, false, INK, 3);
    } else if (shown < total) {
        snprintf(buf, sizeof(buf), "\xe2\x80\xa6 and %zu more in the verdict table.",
                 total - shown);
        para(d, buf, 9, false, MUTED, 3);
    }
    if (d->y < d->bottom - 110) {
        d->y += 10;
        l = lay(d, "How to read the verdicts", 12, true, 0, false);
        show(d, l, d->left, d->y, INK);
        d->y += lay_height(l) + 5;
        g_object_unref(l);
        double frac =
            r->options.check.marginal_fraction > 0 ? r->options.check.marginal_fraction : 0.8;
        snprintf(buf, sizeof(buf),
                 "Implausible: the aircraft, where and when its claimant put it, could not "
                 "have made the strike in the time available even at top speed (its weapon's "
                 "own flight included), or the sortie from its base exceeds twice its combat "
                 "radius, or a launcher's weapon cannot reach the strike in range or time. "
                 "Marginal: possible, but only above cruise speed, or at more than %.0f %% of "
                 "a sortie or launcher limit. Plausible: physically possible, which says "
                 "nothing about whether it happened. Unknown: a time is missing, or no "
                 "position was claimed near the strike time. The method and the sources of "
                 "every figure are at the end of this report.",
                 frac * 100);
        para(d, buf, 9, false, INK, 3);
    }
}

/* ---- the verdict table --------------------------------------------------- */

typedef struct column {
    const char *title;
    double width; /* fraction of the text width */
    bool right;
} column;

static const column g_cols[] = {
    {"Strike", 0.15, false},
    {"Aircraft", 0.15, false},
    {"Claimed by", 0.11, false},
    {"Verdict", 0.09, false},
    {"Distance km", 0.08, true},
    {"Time min", 0.07, true},
    {"Speed need / max km/h", 0.11, true},
    {"Reason", 0.24, false},
};
#define N_COLS (sizeof(g_cols) / sizeof(g_cols[0]))

static double row(doc *d, const char *const cells[N_COLS], bool header, int verdict, bool shade,
                  bool measure_only)
{
    double tw = d->right - d->left, pad = 3, x = d->left, h = 0;
    PangoLayout *ls[N_COLS];
    for (size_t c = 0; c < N_COLS; c++) {
        double w = g_cols[c].width * tw - 2 * pad;
        ls[c] = lay(d, cells[c], 7.5, header || (int)c == 3, w, false);
        if (g_cols[c].right)
            pango_layout_set_alignment(ls[c], PANGO_ALIGN_RIGHT);
        h = fmax(h, lay_height(ls[c]));
    }
    h += 2 * pad;
    if (!measure_only) {
        cairo_save(d->cr);
        if (header || shade) {
            color(d, header ? (rgb){0.90, 0.90, 0.92} : SHADE);
            cairo_rectangle(d->cr, d->left, d->y, tw, h);
            cairo_fill(d->cr);
        }
        color(d, RULE);
        cairo_set_line_width(d->cr, 0.4);
        cairo_move_to(d->cr, d->left, d->y + h);
        cairo_line_to(d->cr, d->right, d->y + h);
        cairo_stroke(d->cr);
        cairo_restore(d->cr);
        for (size_t c = 0; c < N_COLS; c++) {
            rgb col = INK;
            if ((int)c == 3 && !header && verdict >= 0)
                col = VERDICT[verdict];
            show(d, ls[c], x + pad, d->y + pad, col);
            x += g_cols[c].width * tw;
        }
    }
    for (size_t c = 0; c < N_COLS; c++)
        g_object_unref(ls[c]);
    return h;
}

static void verdict_table(doc *d)
{
    const sm_report *r = d->r;
    new_page(d);
    heading(d, "Verdicts");
    para(d,
         "One row for each strike and each aircraft its claimant says made it. Distance: from "
         "the claimed aircraft position that binds to the strike. Time: the time available. "
         "Speed: what the aircraft would need to bring the strike within weapon range, "
         "against its top speed.",
         8.5, false, MUTED, 8);
    const char *head[N_COLS];
    for (size_t c = 0; c < N_COLS; c++)
        head[c] = g_cols[c].title;
    double hh = row(d, head, true, -1, false, true);
    row(d, head, true, -1, false, false);
    d->y += hh;
    for (size_t i = 0; i < r->n_pairs; i++) {
        const sm_pair *p = &r->pairs[i];
        const sm_strike *s = sm_claims_strike(r->claims, p->strike);
        sm__party a;
        sm__pair_party(p, r->claims, &a);
        char dist[32], tmin[32], speed[64], n1[32], n2[32]; /* numbers only */
        char *strike = sm__strfmt("%s\n%s", s->info.id, s->info.label ? s->info.label : "");
        char *aircraft =
            sm__strfmt("%s (%s)\n%s", a.info->id, a.type, a.info->label ? a.info->label : "");
        char *reason = sm__pair_short_reason_new(p, r->claims);
        if (strike == NULL || aircraft == NULL || reason == NULL) {
            free(strike);
            free(aircraft);
            free(reason);
            nomem(d, "verdict table");
            return;
        }
        sm__fmt_num(p->distance_km, 1, dist, sizeof(dist));
        sm__fmt_num(p->available_minutes, 1, tmin, sizeof(tmin));
        if (isfinite(p->required_speed_kmh))
            snprintf(speed, sizeof(speed), "%s / %s",
                     sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
                     sm__fmt_num(p->max_speed_kmh, 0, n2, sizeof(n2)));
        else
            snprintf(speed, sizeof(speed), "-");
        const char *cells[N_COLS] = {strike,
                                     aircraft,
                                     s->info.claimed_by ? s->info.claimed_by : "-",
                                     sm_verdict_str(p->verdict),
                                     dist,
                                     tmin,
                                     speed,
                                     reason};
        double h = row(d, cells, false, (int)p->verdict, i % 2 == 1, true);
        if (d->y + h > d->bottom) {
            new_page(d);
            row(d, head, true, -1, false, false);
            d->y += hh;
        }
        row(d, cells, false, (int)p->verdict, i % 2 == 1, false);
        d->y += h;
        free(strike);
        free(aircraft);
        free(reason);
    }
    if (r->n_pairs == 0)
        para(d, "No pairs to check: no strike names an aircraft or operator in the claims.", 9,
             false, INK, 4);
    d->y += 8;
    char buf[512];
    sm__report_summary(r, buf, sizeof(buf));
    ensure(d, 20);
    para(d, buf, 8.5, false, MUTED, 4);
}

/* ---- claims ------------------------------------------------------------------ */

/* A source: each URL in it on a line of its own, as a link; other text as
 * it is. The link's target is the whole URL (cairo's attribute string
 * quotes it: a ' or \ in it is escaped with a backslash). */
static void source_line(doc *d, const char *source, double x, double w)
{
    const char *p = source ? source : "none given";
    bool first = true;
    sm__sbuf text = {0}, attr = {0};
    while (*p) {
        while (*p == ' ' || *p == ';' || *p == ',')
            p++;
        if (*p == '\0')
            break;
        bool url = strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0;
        size_t n = url ? strcspn(p, " \t\n;,") : strcspn(p, ";");
        if (!url) {
            const char *h = strstr(p, "http");
            if (h != NULL && (size_t)(h - p) < n)
                n = (size_t)(h - p);
        }
        size_t keep = url ? sm__url_len(p) : n;
        if (keep > n)
            keep = n;
        if (keep == 0) { /* nothing but punctuation: shown as text */
            keep = n;
            url = false;
        }
        text.len = attr.len = 0;
        if (first)
            sm__sbuf_put(&text, "Source: ", 8);
        sm__sbuf_put(&text, p, keep);
        if (url) {
            sm__sbuf_put(&attr, "uri='", 5);
            for (size_t k = 0; k < keep; k++) {
                if (p[k] == '\'' || p[k] == '\\')
                    sm__sbuf_put(&attr, "\\", 1);
                sm__sbuf_put(&attr, p + k, 1);
            }
            sm__sbuf_put(&attr, "'", 1);
        }
        if (text.failed || attr.failed) {
            nomem(d, "claim sources");
            break;
        }
        PangoLayout *l = lay(d, text.s, 8, false, w, false);
        double h = lay_height(l);
        ensure(d, h);
        if (url)
            cairo_tag_begin(d->cr, CAIRO_TAG_LINK, attr.s);
        show(d, l, first ? x : x + 12, d->y, url ? LINK : MUTED);
        if (url)
            cairo_tag_end(d->cr, CAIRO_TAG_LINK);
        d->y += h + 1;
        g_object_unref(l);
        first = false;
        p += n;
    }
    sm__sbuf_free(&text);
    sm__sbuf_free(&attr);
    d->y += 1;
}

static void claim_block(doc *d, const sm_claim_info *info, const char *kind, const char *facts)
{
    double w = d->right - d->left;
    char *head = sm__strfmt("%s \xe2\x80\x94 %s%s%s", info->id, kind, info->label ? ": " : "",
                            info->label ? info->label : "");
    if (head == NULL) {
        nomem(d, "claims");
        return;
    }
    PangoLayout *l = lay(d, head, 9, true, w, false);
    free(head);
    ensure(d, lay_height(l) + 30);
    show(d, l, d->left, d->y, INK);
    d->y += lay_height(l) + 1;
    g_object_unref(l);
    l = lay(d, facts, 8, false, w, false);
    ensure(d, lay_height(l));
    show(d, l, d->left, d->y, INK);
    d->y += lay_height(l) + 1;
    g_object_unref(l);
    source_line(d, info->source, d->left, w);
    if (info->notes != NULL) {
        char *notes = sm__strfmt("Notes: %s", info->notes);
        if (notes == NULL) {
            nomem(d, "claims");
            return;
        }
        l = lay(d, notes, 8, false, w, false);
        free(notes);
        ensure(d, lay_height(l));
        show(d, l, d->left, d->y, MUTED);
        d->y += lay_height(l);
        g_object_unref(l);
    }
    d->y += 7;
}

static void claims_section(doc *d)
{
    const sm_claims *c = d->r->claims;
    new_page(d);
    heading(d, "The claims");
    para(d,
         "Each claim as its claimant made it, with the published source. Positions are "
         "longitude and latitude on WGS84; times as written, with their UTC offset.",
         8.5, false, MUTED, 8);
    for (size_t i = 0; i < sm_claims_strike_count(c) && d->st == SM_OK; i++) {
        const sm_strike *s = sm_claims_strike(c, i);
        char *facts = sm__strike_facts_new(s);
        if (facts == NULL)
            nomem(d, "claims");
        else
            claim_block(d, &s->info, "strike", facts);
        free(facts);
    }
    for (size_t i = 0; i < sm_claims_aircraft_count(c) && d->st == SM_OK; i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        char *facts = sm__aircraft_facts_new(a);
        if (facts == NULL)
            nomem(d, "claims");
        else
            claim_block(d, &a->info, a->is_track ? "aircraft track" : "aircraft position", facts);
        free(facts);
    }
    for (size_t i = 0; i < sm_claims_base_count(c) && d->st == SM_OK; i++) {
        const sm_base *b = sm_claims_base(c, i);
        char *facts = sm__base_facts_new(b);
        if (facts == NULL)
            nomem(d, "claims");
        else
            claim_block(d, &b->info, "air base", facts);
        free(facts);
    }
    for (size_t i = 0; i < sm_claims_launcher_count(c) && d->st == SM_OK; i++) {
        const sm_launcher *l = sm_claims_launcher(c, i);
        char *facts = sm__launcher_facts_new(l);
        if (facts == NULL)
            nomem(d, "claims");
        else
            claim_block(d, &l->info, "launcher", facts);
        free(facts);
    }
}

/* ---- method ------------------------------------------------------------------ */

static void method_section(doc *d)
{
    const sm_report *r = d->r;
    new_page(d);
    heading(d, "Method");
    char paras[8][900];
    size_t n = sm__method_paragraphs(r, paras, 8);
    for (size_t i = 0; i < n; i++) {
        PangoLayout *l = lay(d, paras[i], 9, false, d->right - d->left, false);
        ensure(d, lay_height(l));
        show(d, l, d->left, d->y, INK);
        d->y += lay_height(l) + 6;
        g_object_unref(l);
    }
    size_t nt = sm_tables_aircraft_count(r->ctx), nw = sm_tables_weapon_count(r->ctx);
    const sm_aircraft_type **types = calloc(nt + 1, sizeof(const sm_aircraft_type *));
    const sm_weapon **weapons = calloc(nw + 1, sizeof(const sm_weapon *));
    if (types == NULL || weapons == NULL) {
        free(types);
        free(weapons);
        nomem(d, "method");
        return;
    }
    sm__report_references(r, types, &nt, weapons, &nw);
    d->y += 4;
    ensure(d, 60);
    para(d, "Reference figures used", 11, true, INK, 4);
    char n1[32], n2[32]; /* numbers */
    for (size_t i = 0; i < nt; i++) {
        char *buf = sm__strfmt("%s: top speed %s km/h, combat radius %s km.", types[i]->type,
                               sm__fmt_num(types[i]->max_speed_kmh, 0, n1, sizeof(n1)),
                               isfinite(types[i]->combat_radius_km)
                                   ? sm__fmt_num(types[i]->combat_radius_km, 0, n2, sizeof(n2))
                                   : "not known");
        if (buf == NULL) {
            nomem(d, "method");
            break;
        }
        ensure(d, 22);
        para(d, buf, 8.5, true, INK, 0);
        free(buf);
        source_line(d, types[i]->source, d->left, d->right - d->left);
    }
    for (size_t i = 0; i < nw; i++) {
        char *buf = sm__strfmt("%s: range %s km (%s).", weapons[i]->name,
                               sm__fmt_num(weapons[i]->range_km, 1, n1, sizeof(n1)),
                               weapons[i]->guided ? "guided" : "unguided");
        if (buf == NULL) {
            nomem(d, "method");
            break;
        }
        ensure(d, 22);
        para(d, buf, 8.5, true, INK, 0);
        free(buf);
        source_line(d, weapons[i]->source, d->left, d->right - d->left);
    }
    free(types);
    free(weapons);
    d->y += 6;
    ensure(d, 40);
    para(d,
         "Basemap: Natural Earth (public domain); populated places: GeoNames (CC BY 4.0). "
         "Made with strikemap, GDAL, PROJ, cairo and Pango.",
         8, false, MUTED, 0);
}

/* ---- the document --------------------------------------------------------- */

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length)
{
    (void)closure;
    (void)data;
    (void)length;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, (FILE *)closure) == length ? CAIRO_STATUS_SUCCESS
                                                              : CAIRO_STATUS_WRITE_ERROR;
}

/* Lay out and draw the whole document on a surface; returns pages. */
static int run(const sm_report *r, cairo_surface_t *s, double W, double H, int pages, sm_status *st)
{
    doc d;
    memset(&d, 0, sizeof(d));
    d.r = r;
    d.cr = cairo_create(s);
    d.pc = pango_cairo_create_context(d.cr);
    pango_cairo_context_set_resolution(d.pc, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(d.pc, fo);
    cairo_font_options_destroy(fo);
    d.W = W;
    d.H = H;
    d.left = 48;
    d.right = W - 48;
    d.top = 48;
    d.bottom = H - 52;
    d.pages = pages;
    /* Everything in one structure element: with links but no structure
     * of its own, cairo 1.16 writes a parent tree that points at
     * structure elements it never writes (qpdf: "object 24 0 not found"). */
    cairo_tag_begin(d.cr, "Document", "");
    new_page(&d);
    title_page(&d);
    verdict_table(&d);
    claims_section(&d);
    method_section(&d);
    footer(&d);
    cairo_tag_end(d.cr, "Document");
    cairo_show_page(d.cr);
    g_object_unref(d.pc);
    if (cairo_status(d.cr) != CAIRO_STATUS_SUCCESS && d.st == SM_OK) {
        sm__diag(r->ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL, "PDF drawing failed: %s",
                 cairo_status_to_string(cairo_status(d.cr)));
        d.st = cairo_status(d.cr) == CAIRO_STATUS_NO_MEMORY ? SM_ERR_NOMEM : SM_ERR_RENDER;
    }
    cairo_destroy(d.cr);
    *st = d.st;
    return d.page;
}

sm_status sm__report_pdf(const sm_report *r, const char *path)
{
    double W = r->options.paper == SM_PAPER_LETTER ? 612 : 595.276;
    double H = r->options.paper == SM_PAPER_LETTER ? 792 : 841.89;
    sm_status st;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(discard, NULL, W, H);
    int pages = run(r, s, W, H, 0, &st);
    cairo_surface_destroy(s);
    if (st != SM_OK)
        return st;
    sm__tmpfile t;
    if (sm__tmp_open(r->ctx, &t, path) != SM_OK)
        return SM_ERR_IO;
    s = cairo_pdf_surface_create_for_stream(to_file, t.f, W, H);
    char *title = sm__report_title_new(r);
    if (title == NULL) {
        cairo_surface_destroy(s);
        return sm__report_finish(r->ctx, &t, sm__nomem(r->ctx, path, -1, NULL, "report title"));
    }
    sm__pdf_metadata(s, title);
    free(title);
    run(r, s, W, H, pages, &st);
    cairo_surface_finish(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS && st == SM_OK) {
        sm__diag(r->ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "PDF output failed: %s",
                 cairo_status_to_string(cairo_surface_status(s)));
        st = SM_ERR_RENDER;
    }
    cairo_surface_destroy(s);
    return sm__report_finish(r->ctx, &t, st);
}
