/*
 * map_label_text.c: a label's text as layouts, one a line (cut to the
 * widest a label may be, in the size and colour of its kind), and drawing
 * the placed labels with their halos and leader lines.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"
#include "map/map_svg.h"

/* The longest line of a label: this fraction of the map panel's width (but
 * at least SM__LABEL_MIN_WIDTH_PT); longer lines end in an ellipsis. */
#define SM__LABEL_MAX_WIDTH_FRACTION 0.3
#define SM__LABEL_MIN_WIDTH_PT       60.0

static double kind_size(const sm_map *m, int kind)
{
    const sm__style *s = &m->style;
    switch (kind) {
    case SM__LABEL_TIME:
    case SM__LABEL_RING: return s->small_pt + 0.6;
    case SM__LABEL_COUNTRY: return s->country_pt;
    case SM__LABEL_PLACE: return s->place_pt;
    case SM__LABEL_PLACE_MAJOR: return s->place_major_pt;
    default: return s->label_pt;
    }
}

static sm__rgba kind_colour(const sm_map *m, int kind)
{
    const sm__style *s = &m->style;
    switch (kind) {
    case SM__LABEL_STRIKE: return s->strike_label;
    case SM__LABEL_AIRCRAFT:
    case SM__LABEL_TIME: return s->aircraft_label;
    case SM__LABEL_BASE: return s->base_label;
    case SM__LABEL_RING: return s->radius;
    case SM__LABEL_COUNTRY: return s->country_text;
    default: return s->place_text;
    }
}

void sm__label_clear_lines(sm__label *lb)
{
    for (size_t k = 0; k < lb->n_lines; k++)
        g_object_unref(lb->lines[k]);
    free(lb->lines);
    free(lb->line_w);
    lb->lines = NULL;
    lb->line_w = NULL;
    lb->n_lines = 0;
    lb->w = lb->h = lb->line_h = 0;
}

/* The label's text as built: its lines joined by '\n' (caller frees). */
char *sm__label_text(const sm__label *lb)
{
    size_t n = 1;
    for (size_t k = 0; k < lb->n_lines; k++)
        n += strlen(pango_layout_get_text(lb->lines[k])) + 1;
    char *t = malloc(n);
    if (t == NULL)
        return NULL;
    size_t at = 0;
    for (size_t k = 0; k < lb->n_lines; k++) {
        const char *line = pango_layout_get_text(lb->lines[k]);
        size_t len = strlen(line);
        if (k > 0)
            t[at++] = '\n';
        memcpy(t + at, line, len);
        at += len;
    }
    t[at] = '\0';
    return t;
}

/* (Re)build a label's line layouts from text ('\n' between lines). */
bool sm__label_set_text(sm_map *m, sm__label *lb, const char *text)
{
    sm__label_clear_lines(lb);
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    lb->lines = calloc(n, sizeof(PangoLayout *));
    lb->line_w = calloc(n, sizeof(double));
    if (lb->lines == NULL || lb->line_w == NULL)
        return false;
    int kind = lb->kind;
    bool bold = kind == SM__LABEL_BASE || kind == SM__LABEL_PLACE_MAJOR;
    bool italic = kind == SM__LABEL_RING;
    double size = kind_size(m, kind);
    const char *p = text;
    while (lb->n_lines < n) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *line = malloc(len + 1);
        if (line == NULL)
            return false;
        memcpy(line, p, len);
        line[len] = '\0';
        if (kind == SM__LABEL_COUNTRY) {
            char *up = g_utf8_strup(line, -1);
            free(line);
            line = up != NULL ? strdup(up) : NULL;
            g_free(up);
            if (line == NULL)
                return false;
        }
        PangoLayout *l = sm__layout(m, line, size, bold, italic);
        /* A line longer than a fraction of the map ends in an ellipsis
         * (Pango's, so at a character boundary and right for right-to-left
         * text): a 200-character name could never be placed whole. */
        pango_layout_set_width(
            l, (int)(fmax(SM__LABEL_MIN_WIDTH_PT, m->view.pw * SM__LABEL_MAX_WIDTH_FRACTION) *
                     PANGO_SCALE));
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        if (kind == SM__LABEL_COUNTRY) {
            PangoAttrList *al = pango_attr_list_new();
            pango_attr_list_insert(al,
                                   pango_attr_letter_spacing_new((int)(size * 0.18 * PANGO_SCALE)));
            pango_layout_set_attributes(l, al);
            pango_attr_list_unref(al);
        }
        /* A line that fits keeps no width: with one, Pango aligns a
         * right-to-left line to the right end of it, far from where the
         * label's box (its logical width from x) says it is. */
        if (!pango_layout_is_ellipsized(l))
            pango_layout_set_width(l, -1);
        free(line);
        double w, h;
        sm__layout_size(l, &w, &h);
        lb->lines[lb->n_lines] = l;
        lb->line_w[lb->n_lines] = w;
        lb->line_h = fmax(lb->line_h, h);
        lb->w = fmax(lb->w, w);
        lb->n_lines++;
        if (e == NULL)
            break;
        p = e + 1;
    }
    /* Lines sit a little tighter than the font's line height. */
    lb->line_h *= 0.92;
    lb->h = lb->line_h * (double)lb->n_lines;
    return true;
}

static void draw_label(sm_map *m, const sm__draw *d, const sm__label *lb)
{
    cairo_t *cr = d->cr;
    /* Skipped when its ink is wholly outside the band (or page) drawn: the
     * box is the text's logical extent; the halo and marks above or below
     * the line (Arabic vowels, accents) reach past it, by up to a line. */
    double ink = m->style.halo_w + lb->line_h;
    if (lb->x - ink > d->clip[2] || lb->y - ink > d->clip[3] || lb->x + lb->w + ink < d->clip[0] ||
        lb->y + lb->h + ink < d->clip[1])
        if (!lb->leader)
            return;
    sm__rgba colour = kind_colour(m, lb->kind);
    if (lb->leader) {
        /* From the marker's edge to the nearest point of the box. */
        double cx = fmin(fmax(lb->ax, lb->x), lb->x + lb->w);
        double cy = fmin(fmax(lb->ay, lb->y), lb->y + lb->h);
        double dx = cx - lb->ax, dy = cy - lb->ay, len = hypot(dx, dy);
        if (len > lb->ar + 1) {
            double sx = lb->ax + dx / len * (lb->ar * 0.8), sy = lb->ay + dy / len * (lb->ar * 0.8);
            cairo_move_to(cr, sx, sy);
            cairo_line_to(cr, cx - dx / len * 1.0, cy - dy / len * 1.0);
            sm__set_rgba(cr, m->style.halo);
            cairo_set_line_width(cr, 1.6);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
            cairo_stroke_preserve(cr);
            sm__rgba c = colour;
            c.a *= 0.8;
            sm__set_rgba(cr, c);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
        }
    }
    static const char *const classes[SM__LABEL_KINDS] = {
        "label-strike", "label-aircraft", "label-base",  "label-time",
        "label-ring",   "label-country",  "label-place", "label-place-major"};
    if (d->svg != NULL)
        d->svg->class = lb->kind >= 0 && lb->kind < SM__LABEL_KINDS ? classes[lb->kind] : NULL;
    for (size_t k = 0; k < lb->n_lines; k++) {
        double x = lb->x;
        if (lb->align == 2)
            x += (lb->w - lb->line_w[k]) / 2;
        else if (lb->align == 1)
            x += lb->w - lb->line_w[k];
        sm__text_draw(d, lb->lines[k], x, lb->y + lb->line_h * (double)k - lb->line_h * 0.04,
                      colour, m->style.halo, m->style.halo_w);
    }
    if (d->svg != NULL)
        d->svg->class = NULL;
}

void sm__draw_labels(sm_map *m, const sm__draw *d)
{
    sm__label **ls = m->lab.labels.data;
    /* Places and countries first, so claim labels and their leaders sit on
     * top (they never overlap anyway; halos may touch). */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < m->lab.labels.len; i++) {
            const sm__label *lb = ls[i];
            bool claim = sm__label_is_claim(lb->kind);
            if (!lb->placed || claim != (pass == 1))
                continue;
            draw_label(m, d, lb);
        }
}
