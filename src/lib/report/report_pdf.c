/*
 * report_pdf.c: the PDF report's frame: pages and their footers, text laid
 * out by Pango (Arabic and Cyrillic shaped; fonts embedded by cairo; words
 * never hyphenated), tables that flow over pages with their header
 * repeated, the title page (summary, the map as vectors through
 * sm_map_render_cairo, the key findings) and the document. The sections
 * after the title page are in report_pdf_body.c. The document is laid out
 * twice, the first time only to count pages for "page N of M".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "report/report_pdf.h"

#define FONT "Noto Sans, Noto Naskh Arabic, DejaVu Sans"

const sm__rgb SM__INK = {0.13, 0.13, 0.15}, SM__MUTED = {0.40, 0.40, 0.43},
              SM__WARN = {0.70, 0.20, 0.0}, SM__LINK = {0.0, 0.35, 0.65};
const sm__rgb SM__VERDICT[4] = {
    {0.45, 0.45, 0.45}, {0.0, 0.447, 0.698}, {0.78, 0.52, 0.0}, {0.835, 0.369, 0.0}};
static const sm__rgb RULE = {0.80, 0.80, 0.82}, SHADE = {0.95, 0.95, 0.96},
                     HEAD = {0.90, 0.90, 0.92};

PangoLayout *sm__pdf_lay(sm__doc *d, const char *text, double size, bool bold, double width)
{
    PangoLayout *l = pango_layout_new(d->pc);
    PangoFontDescription *f = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, f);
    pango_font_description_free(f);
    /* An editor's text: a word too long for its column breaks without a
     * hyphen, and no dictionary hyphenation ("implausi-ble"). */
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, text, -1);
    return l;
}

double sm__pdf_height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void color(sm__doc *d, sm__rgb c)
{
    cairo_set_source_rgb(d->cr, c.r, c.g, c.b);
}

void sm__pdf_show(sm__doc *d, PangoLayout *l, double x, double y, sm__rgb c)
{
    cairo_save(d->cr);
    color(d, c);
    cairo_move_to(d->cr, x, y);
    pango_cairo_show_layout(d->cr, l);
    cairo_restore(d->cr);
}

void sm__pdf_nomem(sm__doc *d, const char *what)
{
    if (d->st == SM_OK)
        d->st = sm__nomem(d->r->ctx, NULL, -1, NULL, what);
}

void sm__pdf_para(sm__doc *d, const char *text, double size, bool bold, sm__rgb c, double after)
{
    PangoLayout *l = sm__pdf_lay(d, text, size, bold, d->right - d->left);
    double h = sm__pdf_height(l);
    sm__pdf_ensure(d, h);
    sm__pdf_show(d, l, d->left, d->y, c);
    g_object_unref(l);
    d->y += h + after;
}

static void footer(sm__doc *d)
{
    char buf[160], a[40], b[40];
    sm__fmt_num(d->page, 0, a, sizeof(a));
    sm__fmt_num(d->pages, 0, b, sizeof(b));
    if (d->pages > 0)
        snprintf(buf, sizeof(buf), "strikemap %s \xc2\xb7 page %s of %s", sm_version(), a, b);
    else
        snprintf(buf, sizeof(buf), "strikemap %s \xc2\xb7 page %s", sm_version(), a);
    PangoLayout *l = sm__pdf_lay(d, buf, 7.5, false, d->right - d->left);
    pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    sm__pdf_show(d, l, d->left, d->H - 30, SM__MUTED);
    g_object_unref(l);
    char *title = sm__report_title_new(d->r);
    if (title == NULL) {
        sm__pdf_nomem(d, "report title");
        return;
    }
    l = sm__pdf_lay(d, title, 7.5, false, (d->right - d->left) * 0.7);
    free(title);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    sm__pdf_show(d, l, d->left, d->H - 30, SM__MUTED);
    g_object_unref(l);
}

void sm__pdf_new_page(sm__doc *d)
{
    if (d->page > 0) {
        footer(d);
        cairo_show_page(d->cr);
    }
    d->page++;
    d->y = d->top;
}

void sm__pdf_ensure(sm__doc *d, double h)
{
    if (d->y + h > d->bottom)
        sm__pdf_new_page(d);
}

void sm__pdf_heading(sm__doc *d, const char *text)
{
    sm__pdf_ensure(d, 60);
    PangoLayout *l = sm__pdf_lay(d, text, 14, true, d->right - d->left);
    sm__pdf_show(d, l, d->left, d->y, SM__INK);
    d->y += sm__pdf_height(l) + 6;
    g_object_unref(l);
}

/* ---- tables ------------------------------------------------------------------- */

#define PAD 1.8

/* Lay out (and with draw, show) one row; returns its height. */
static double table_row(sm__doc *d, sm__pdf_table *t, const sm__pdf_cell *cells, bool header,
                        const char *note, bool draw)
{
    double tw = d->right - d->left, x = d->left, h = 0;
    PangoLayout *ls[16] = {0}, *subs[16] = {0}; /* tables have at most 16 columns */
    size_t n = t->n < 16 ? t->n : 16;
    for (size_t c = 0; c < n; c++) {
        double w = t->cols[c].width * tw - 2 * PAD;
        const char *text = header ? t->cols[c].title : cells[c].text;
        ls[c] = sm__pdf_lay(d, text ? text : "", t->size, header || cells[c].bold, w);
        if (t->cols[c].right)
            pango_layout_set_alignment(ls[c], PANGO_ALIGN_RIGHT);
        if (!header && cells[c].one_line)
            pango_layout_set_ellipsize(ls[c], PANGO_ELLIPSIZE_MIDDLE);
        double ch = sm__pdf_height(ls[c]);
        if (!header && cells[c].sub != NULL) {
            subs[c] = sm__pdf_lay(d, cells[c].sub, t->size * 0.92, false, w);
            ch += sm__pdf_height(subs[c]);
        }
        h = fmax(h, ch);
    }
    PangoLayout *nl = note ? sm__pdf_lay(d, note, t->size * 0.92, false, tw - 2 * PAD) : NULL;
    double nh = nl ? sm__pdf_height(nl) : 0;
    double rh = h + 2 * PAD + nh;
    if (draw) {
        cairo_save(d->cr);
        if (header || t->rows % 2 == 1) {
            color(d, header ? HEAD : SHADE);
            cairo_rectangle(d->cr, d->left, d->y, tw, rh);
            cairo_fill(d->cr);
        }
        color(d, RULE);
        cairo_set_line_width(d->cr, 0.4);
        cairo_move_to(d->cr, d->left, d->y + rh);
        cairo_line_to(d->cr, d->right, d->y + rh);
        cairo_stroke(d->cr);
        cairo_restore(d->cr);
        for (size_t c = 0; c < n; c++) {
            const char *uri = header ? NULL : cells[c].uri;
            if (uri != NULL) {
                char *attr = sm__strfmt("uri='%s'", uri);
                if (attr == NULL) {
                    sm__pdf_nomem(d, "report links");
                    uri = NULL;
                } else {
                    cairo_tag_begin(d->cr, CAIRO_TAG_LINK, attr);
                    free(attr);
                }
            }
            sm__pdf_show(d, ls[c], x + PAD, d->y + PAD, header ? SM__INK : cells[c].color);
            if (uri != NULL)
                cairo_tag_end(d->cr, CAIRO_TAG_LINK);
            if (subs[c] != NULL)
                sm__pdf_show(d, subs[c], x + PAD, d->y + PAD + sm__pdf_height(ls[c]), SM__MUTED);
            x += t->cols[c].width * tw;
        }
        if (nl != NULL)
            sm__pdf_show(d, nl, d->left + PAD, d->y + PAD + h, SM__WARN);
    }
    for (size_t c = 0; c < n; c++) {
        g_object_unref(ls[c]);
        if (subs[c] != NULL)
            g_object_unref(subs[c]);
    }
    if (nl != NULL)
        g_object_unref(nl);
    return rh;
}

void sm__pdf_table_head(sm__doc *d, sm__pdf_table *t)
{
    double h = table_row(d, t, NULL, true, NULL, false);
    sm__pdf_ensure(d, h + 30);
    table_row(d, t, NULL, true, NULL, true);
    d->y += h;
}

void sm__pdf_table_row(sm__doc *d, sm__pdf_table *t, const sm__pdf_cell *cells, const char *note)
{
    double h = table_row(d, t, cells, false, note, false);
    if (d->y + h > d->bottom) {
        sm__pdf_new_page(d);
        sm__pdf_table_head(d, t);
    }
    table_row(d, t, cells, false, note, true);
    d->y += h;
    t->rows++;
}

/* ---- the title page -------------------------------------------------------- */

/* A coloured dot and a finding beside it. */
static void finding(sm__doc *d, const char *text, sm__rgb dot, sm__rgb ink)
{
    double w = d->right - d->left;
    PangoLayout *fl = sm__pdf_lay(d, text, 9, false, w - 14);
    cairo_save(d->cr);
    color(d, dot);
    cairo_arc(d->cr, d->left + 4, d->y + 6, 3, 0, 2 * SM__PI);
    cairo_fill(d->cr);
    cairo_restore(d->cr);
    sm__pdf_show(d, fl, d->left + 14, d->y, ink);
    d->y += sm__pdf_height(fl) + 3;
    g_object_unref(fl);
}

/* The finding of pair i, with the warnings on its claims. */
static bool pair_finding(sm__doc *d, size_t i)
{
    char *text = sm__finding_full_new(d->r, &d->r->pairs[i]);
    if (text == NULL)
        return false;
    finding(d, text, SM__VERDICT[d->r->pairs[i].verdict], SM__INK);
    free(text);
    return true;
}

/* What the findings say when no pair is implausible or marginal, or how
 * many more there are, and the flagged claims in any case. Returns false
 * when out of memory. */
static bool findings_tail(sm__doc *d, size_t total, size_t shown)
{
    char a[96];
    char *text = NULL;
    if (total > shown)
        text = sm__strfmt("\xe2\x80\xa6 and %s in the table of decided pairs.",
                          sm__fmt_count(total - shown, "more", "more", NULL, a, sizeof(a)));
    else if (total == 0)
        text = sm__no_findings_text_new(d->r);
    if (total > shown || total == 0) {
        if (text == NULL)
            return false;
        sm__pdf_para(d, text, 9, false, total > shown ? SM__MUTED : SM__INK, 3);
        free(text);
    }
    text = sm__flagged_text_new(d->r);
    if (text == NULL)
        return false;
    if (*text)
        finding(d, text, SM__WARN, SM__WARN);
    free(text);
    return true;
}

/* More findings than a page holds: one sentence per aircraft or launcher
 * (sm__finding_groups_new), as many as fit. Returns the pairs shown. */
static size_t grouped_findings(sm__doc *d, size_t total)
{
    size_t n, shown = 0;
    bool ok;
    sm__finding_group *g = sm__finding_groups_new(d->r, &n, &ok);
    if (!ok) {
        sm__pdf_nomem(d, "key findings");
        return 0;
    }
    char a[96];
    char *head = sm__strfmt("%s implausible or marginal, by what is said to have made them:",
                            sm__fmt_count(total, "pair is", "pairs are", NULL, a, sizeof(a)));
    if (head == NULL) {
        sm__finding_groups_free(g, n);
        sm__pdf_nomem(d, "key findings");
        return 0;
    }
    sm__pdf_para(d, head, 9, false, SM__INK, 3);
    free(head);
    for (size_t i = 0; i < n && d->y < d->bottom - 90; i++) {
        finding(d, g[i].text, SM__VERDICT[g[i].verdict], SM__INK);
        shown += g[i].n_impl + g[i].n_marg;
    }
    sm__finding_groups_free(g, n);
    return shown;
}

static void key_findings(sm__doc *d)
{
    const sm_report *r = d->r;
    PangoLayout *l = sm__pdf_lay(d, "Key findings", 12, true, 0);
    sm__pdf_show(d, l, d->left, d->y, SM__INK);
    d->y += sm__pdf_height(l) + 5;
    g_object_unref(l);
    size_t shown = 0, total = 0; /* listed pairs: the ones the tables show */
    for (size_t i = 0; i < r->n_pairs; i++)
        total += r->pairs[i].verdict == SM_VERDICT_IMPLAUSIBLE ||
                 r->pairs[i].verdict == SM_VERDICT_MARGINAL;
    if (total > SM__REPORT_MAX_FINDINGS) {
        shown = grouped_findings(d, total);
    } else {
        for (int pass = SM_VERDICT_IMPLAUSIBLE; pass >= SM_VERDICT_MARGINAL; pass--)
            for (size_t i = 0; i < r->n_pairs && d->st == SM_OK; i++) {
                if ((int)r->pairs[i].verdict != pass || d->y > d->bottom - 90)
                    continue;
                if (!pair_finding(d, i)) {
                    sm__pdf_nomem(d, "key findings");
                    return;
                }
                shown++;
            }
    }
    if (!findings_tail(d, total, shown))
        sm__pdf_nomem(d, "key findings");
}

static void title_page(sm__doc *d)
{
    const sm_report *r = d->r;
    char buf[1024]; /* counts and fixed text only */
    char *title = sm__report_title_new(r), *sub = sm__report_subtitle_new(r);
    if (title == NULL || sub == NULL) {
        free(title);
        free(sub);
        sm__pdf_nomem(d, "report title");
        return;
    }
    /* A long title wraps to at most four lines, then ends in Pango's
     * ellipsis (at a character boundary). */
    PangoLayout *l = sm__pdf_lay(d, title, 21, true, d->right - d->left);
    pango_layout_set_height(l, -4);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    sm__pdf_show(d, l, d->left, d->y, SM__INK);
    d->y += sm__pdf_height(l) + 4;
    g_object_unref(l);
    sm__pdf_para(d, sub, 10.5, false, SM__MUTED, 4);
    free(title);
    free(sub);
    sm__report_summary(r, buf, sizeof(buf));
    sm__pdf_para(d, buf, 10.5, false, SM__INK, 10);

    /* The map: the report's title is above it, so not on it. Laid out on
     * the canvas of a default map (720 x 540 pt), where every claim label
     * finds room, and scaled down to the column. */
    double mw = d->right - d->left, mh = mw * 0.75;
    sm_map_options mo = r->options.map;
    mo.hide |= SM_MAP_TITLE;
    size_t decided = r->summary->pairs - r->summary->by_verdict[SM_VERDICT_UNKNOWN];
    bool no_reach = decided > SM__REPORT_MAX_RINGS && !(mo.hide & SM_MAP_REACH);
    if (no_reach)
        mo.hide |= SM_MAP_REACH;
    const double k = 720.0 / mw;
    cairo_save(d->cr);
    cairo_translate(d->cr, d->left, d->y);
    cairo_scale(d->cr, 1 / k, 1 / k);
    sm_status st = sm_map_render_cairo(r->ctx, r->claims, r->check, &mo, d->cr, mw * k, mh * k);
    cairo_restore(d->cr);
    if (st != SM_OK && d->st == SM_OK)
        d->st = st;
    d->y += mh + 4;
    if (no_reach) {
        char n1[64];
        snprintf(buf, sizeof(buf),
                 "Reach rings are left out of this map: %s would hide the claims under them.",
                 sm__fmt_count(decided, "decided pair", "decided pairs", NULL, n1, sizeof(n1)));
        sm__pdf_para(d, buf, 7.5, false, SM__MUTED, 0);
    }
    d->y += 10;
    key_findings(d);
}

static void how_to_read(sm__doc *d)
{
    const sm_report *r = d->r;
    char buf[1024], f[32];
    double frac = r->options.check.marginal_fraction > 0 ? r->options.check.marginal_fraction : 0.8;
    sm__fmt_num(frac * 100, 0, f, sizeof(f));
    sm__pdf_ensure(d, 110);
    d->y += 8;
    sm__pdf_para(d, "How to read the verdicts", 12, true, SM__INK, 5);
    snprintf(buf, sizeof(buf),
             "Implausible: the aircraft, where and when its claimant put it, could not have made "
             "the strike in the time available even at top speed (its weapon's own flight "
             "included), or the sortie from its base exceeds twice its combat radius, or a "
             "launcher's weapon cannot reach the strike in range or time. Marginal: possible, "
             "but only above cruise speed, or at more than %s%% of a sortie or launcher limit. "
             "Plausible: physically possible, which says nothing about whether it happened. "
             "Unknown: a time is missing, or no position was claimed near the strike time. The "
             "method and the sources of every figure are at the end of this report.",
             f);
    sm__pdf_para(d, buf, 9, false, SM__INK, 3);
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
static int run(const sm_report *r, const sm__strike_row *rows, cairo_surface_t *s, double W,
               double H, int pages, sm_status *st)
{
    sm__doc d;
    memset(&d, 0, sizeof(d));
    d.r = r;
    d.rows = rows;
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
    d.left = 36;
    d.right = W - 36;
    d.top = 44;
    d.bottom = H - 48;
    d.pages = pages;
    /* Everything in one structure element: with links but no structure
     * of its own, cairo 1.16 writes a parent tree that points at
     * structure elements it never writes (qpdf: "object 24 0 not found"). */
    cairo_tag_begin(d.cr, "Document", "");
    sm__pdf_new_page(&d);
    title_page(&d);
    how_to_read(&d);
    sm__pdf_strikes(&d);
    sm__pdf_pairs(&d);
    sm__pdf_claims(&d);
    sm__pdf_method(&d);
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

static sm_status write_pdf(const sm_report *r, const sm__strike_row *rows, const char *path)
{
    double W = r->options.paper == SM_PAPER_LETTER ? 612 : 595.276;
    double H = r->options.paper == SM_PAPER_LETTER ? 792 : 841.89;
    sm_status st;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(discard, NULL, W, H);
    int pages = run(r, rows, s, W, H, 0, &st);
    cairo_surface_destroy(s);
    if (st != SM_OK)
        return st;
    sm__out t;
    if (sm__out_open(r->ctx, &t, path, NULL) != SM_OK)
        return SM_ERR_IO;
    s = cairo_pdf_surface_create_for_stream(to_file, t.f, W, H);
    char *title = sm__report_title_new(r);
    if (title == NULL) {
        cairo_surface_destroy(s);
        return sm__report_finish(r->ctx, &t, sm__nomem(r->ctx, path, -1, NULL, "report title"));
    }
    sm__pdf_metadata(s, title);
    free(title);
    run(r, rows, s, W, H, pages, &st);
    cairo_surface_finish(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS && st == SM_OK) {
        sm__diag(r->ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "PDF output failed: %s",
                 cairo_status_to_string(cairo_surface_status(s)));
        st = SM_ERR_RENDER;
    }
    cairo_surface_destroy(s);
    return sm__report_finish(r->ctx, &t, st);
}

sm_status sm__report_pdf(const sm_report *r, const char *path)
{
    bool ok;
    sm__strike_row *rows = sm__strike_rows_new(r, &ok);
    if (!ok)
        return sm__nomem(r->ctx, path, -1, NULL, "report strikes");
    sm_status st = write_pdf(r, rows, path);
    free(rows);
    return st;
}
