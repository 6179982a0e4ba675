/*
 * map_svg.c: an SVG a graphics desk can edit: text as <text> elements in
 * the map's fonts (searchable, editable) and each part of the map in a
 * group named after it (<g id="strikes">, <g id="labels">, ...).
 *
 * How: cairo 1.16's SVG surface writes text as glyph outlines and every
 * drawing operation as one element, in drawing order, at the top of its
 * page group (a clip opens a <g clip-path> around the operations it
 * clips, closed when the clip changes). While the map's own SVG is drawn,
 * sm__text_draw hands each layout here instead of drawing it, and before
 * each part a marker is drawn: a 0.01 pt square, unclipped (so cairo
 * closes any clip group before it), in a colour that numbers the group
 * and an opacity of 1/255. The pass over cairo's output cuts it at the
 * markers, drops them, and wraps what lies between in the part's group
 * with the part's <text> elements last (text is drawn over the part's
 * lines, as Pango would). Empty groups are left out.
 *
 * A <text> is placed where Pango placed the line: its baseline, and the
 * middle of its logical extent with text-anchor="middle", so that a
 * renderer with other metrics (or another font) keeps it centred where it
 * was, for right-to-left lines too; the halo is a stroke under the fill
 * (paint-order="stroke").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_svg.h"

/* The first needle in n bytes of hay, or NULL. */
static const char *find(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

/* The marker's colour: group number in red and green, 213 in blue, and
 * opacity 1/255 (invisible, and no colour of a style). */
#define MARK_BLUE 213

void sm__svg_init(sm__svg *s)
{
    memset(s, 0, sizeof(*s));
    sm__vec_init(&s->groups, sizeof(sm__svg_group));
}

void sm__svg_free(sm__svg *s)
{
    sm__svg_group *g = s->groups.data;
    for (size_t i = 0; i < s->groups.len; i++)
        sm__sbuf_free(&g[i].text);
    sm__vec_free(&s->groups);
}

void sm__svg_begin(sm__svg *s, cairo_t *cr, const char *part, int phase)
{
    size_t idx = s->groups.len;
    if (idx >= 250 * 250) {
        s->failed = true;
        return;
    }
    sm__svg_group *g = sm__vec_push(&s->groups);
    if (g == NULL) {
        s->failed = true;
        return;
    }
    memset(g, 0, sizeof(*g));
    g->part = part;
    g->phase = phase;
    cairo_save(cr);
    cairo_reset_clip(cr);
    cairo_identity_matrix(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, 0, 0, 0.01, 0.01);
    size_t hi = idx / 250 + 1, lo = idx % 250 + 1; /* the group number in two digits */
    cairo_set_source_rgba(cr, (double)lo / 255, (double)hi / 255, MARK_BLUE / 255.0, 1 / 255.0);
    cairo_fill(cr);
    cairo_restore(cr);
}

static void put_escaped(sm__sbuf *b, const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        switch (c) {
        case '&': sm__sbuf_put(b, "&amp;", 5); break;
        case '<': sm__sbuf_put(b, "&lt;", 4); break;
        case '>': sm__sbuf_put(b, "&gt;", 4); break;
        case '"': sm__sbuf_put(b, "&quot;", 6); break;
        default:
            if (c >= 0x20 || c == '\t')
                sm__sbuf_put(b, (const char *)&t[i], 1);
        }
    }
}

static void put_colour(sm__sbuf *b, const char *what, sm__rgba c)
{
    sm__sbuf_printf(b, " %s=\"#%02x%02x%02x\"", what, (unsigned)lround(fmin(fmax(c.r, 0), 1) * 255),
                    (unsigned)lround(fmin(fmax(c.g, 0), 1) * 255),
                    (unsigned)lround(fmin(fmax(c.b, 0), 1) * 255));
    if (c.a < 1)
        sm__sbuf_printf(b, " %s-opacity=\"%.3g\"", what, fmax(c.a, 0));
}

/* The letter spacing of a layout (pt), from its attributes; 0: none. */
static double letter_spacing(PangoLayout *l)
{
    PangoAttrList *al = pango_layout_get_attributes(l);
    if (al == NULL)
        return 0;
    PangoAttrIterator *it = pango_attr_list_get_iterator(al);
    PangoAttribute *a = pango_attr_iterator_get(it, PANGO_ATTR_LETTER_SPACING);
    double ls = a != NULL ? (double)((PangoAttrInt *)a)->value / PANGO_SCALE : 0;
    pango_attr_iterator_destroy(it);
    return ls;
}

/* What an ellipsized line shows: the longest start of text that fits with
 * "…" in the layout's width (caller frees). */
static char *shown_text(PangoLayout *l, const char *text, size_t n)
{
    int width = pango_layout_get_width(l);
    PangoLayout *probe = pango_layout_copy(l);
    pango_layout_set_width(probe, -1);
    pango_layout_set_attributes(probe, NULL);
    char *buf = malloc(n + 4);
    size_t lo = 0, hi = n;
    while (buf != NULL && lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        while (mid > lo && (text[mid] & 0xc0) == 0x80) /* a character boundary */
            mid--;
        if (mid == lo) {
            break;
        }
        memcpy(buf, text, mid);
        memcpy(buf + mid, "\xe2\x80\xa6", 4);
        pango_layout_set_text(probe, buf, -1);
        int w, h;
        pango_layout_get_size(probe, &w, &h);
        if (w <= width)
            lo = mid;
        else
            hi = mid - 1;
    }
    if (buf != NULL) {
        while (lo > 0 && (text[lo] & 0xc0) == 0x80)
            lo--;
        memcpy(buf, text, lo);
        memcpy(buf + lo, "\xe2\x80\xa6", 4);
    }
    g_object_unref(probe);
    return buf;
}

/* The attributes every line of a layout shares. */
static void put_style(sm__sbuf *b, PangoLayout *l, sm__rgba colour, sm__rgba halo, double halo_w)
{
    const PangoFontDescription *fd = pango_layout_get_font_description(l);
    const char *family = fd != NULL ? pango_font_description_get_family(fd) : NULL;
    double size = fd != NULL ? (double)pango_font_description_get_size(fd) / PANGO_SCALE : 10;
    sm__sbuf_put(b, " font-family=\"", 14);
    for (const char *p = family != NULL ? family : ""; *p; p++) {
        if (*p == ',')
            sm__sbuf_put(b, ", ", 2);
        else
            put_escaped(b, p, 1);
    }
    sm__sbuf_printf(b, "%ssans-serif\" font-size=\"%.4g\"", family != NULL ? ", " : "", size);
    if (fd != NULL && pango_font_description_get_weight(fd) >= PANGO_WEIGHT_BOLD)
        sm__sbuf_put(b, " font-weight=\"bold\"", 19);
    if (fd != NULL && pango_font_description_get_style(fd) == PANGO_STYLE_ITALIC)
        sm__sbuf_put(b, " font-style=\"italic\"", 20);
    double ls = letter_spacing(l);
    if (ls != 0)
        sm__sbuf_printf(b, " letter-spacing=\"%.4g\"", ls);
    put_colour(b, "fill", colour);
    if (halo.a > 0 && halo_w > 0) {
        put_colour(b, "stroke", halo);
        sm__sbuf_printf(b,
                        " stroke-width=\"%.4g\" stroke-linejoin=\"round\" "
                        "paint-order=\"stroke\"",
                        halo_w);
    }
}

void sm__svg_text(sm__svg *s, cairo_t *cr, PangoLayout *l, double x, double y, sm__rgba colour,
                  sm__rgba halo, double halo_w)
{
    if (s->failed || s->groups.len == 0)
        return;
    sm__svg_group *g = &((sm__svg_group *)s->groups.data)[s->groups.len - 1];
    sm__sbuf *b = &g->text;
    cairo_matrix_t mx;
    cairo_get_matrix(cr, &mx);
    const char *text = pango_layout_get_text(l);
    bool ellipsized = pango_layout_is_ellipsized(l);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double base = y + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        double cx = x + (logical.x + logical.width / 2.0) / PANGO_SCALE;
        size_t start = (size_t)line->start_index, n = (size_t)line->length;
        if (n == 0)
            continue;
        /* Pango ellipsizes the last line only (the others wrap) */
        char *shown = ellipsized && pango_layout_iter_at_last_line(it)
                          ? shown_text(l, text + start, n)
                          : NULL;
        sm__sbuf_put(b, "<text", 5);
        if (s->class != NULL)
            sm__sbuf_printf(b, " class=\"%s\"", s->class);
        sm__sbuf_printf(b, " x=\"%.3f\" y=\"%.3f\" text-anchor=\"middle\"", cx, base);
        if (mx.xx != 1 || mx.yx != 0 || mx.xy != 0 || mx.yy != 1 || mx.x0 != 0 || mx.y0 != 0)
            sm__sbuf_printf(b, " transform=\"matrix(%.6g %.6g %.6g %.6g %.6g %.6g)\"", mx.xx, mx.yx,
                            mx.xy, mx.yy, mx.x0, mx.y0);
        put_style(b, l, colour, halo, halo_w);
        sm__sbuf_put(b, " xml:space=\"preserve\">", 22);
        if (shown != NULL)
            put_escaped(b, shown, strlen(shown));
        else
            put_escaped(b, text + start, n);
        sm__sbuf_put(b, "</text>\n", 8);
        free(shown);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    if (b->failed)
        s->failed = true;
}

/* ---- the pass over cairo's SVG --------------------------------------------------- */

/* "R%,G%,B%" at p. strtod, not sscanf: glibc's sscanf measures its whole
 * input first, and the input here runs to the end of the document (a
 * map of 100,000 markers took minutes). */
static bool percents(const char *p, double v[3])
{
    for (int i = 0; i < 3; i++) {
        char *e;
        v[i] = strtod(p, &e);
        if (e == p || *e != '%' || (i < 2 && e[1] != ','))
            return false;
        p = e + 2;
    }
    return true;
}

/* The group a marker line numbers, or -1 when the line is no marker. */
static long marker_of(const char *line, size_t n)
{
    const char *p = find(line, n, "fill:rgb(");
    const char *o = find(line, n, "fill-opacity:");
    if (p == NULL || o == NULL || strncmp(line, "<path", 5) != 0)
        return -1;
    double rgb[3], op;
    char *end;
    if (!percents(p + 9, rgb))
        return -1;
    op = strtod(o + 13, &end);
    if (end == o + 13)
        return -1;
    double r = rgb[0], g = rgb[1], bl = rgb[2];
    if (lround(bl * 2.55) != MARK_BLUE || lround(op * 255) != 1)
        return -1;
    long ri = lround(r * 2.55), gi = lround(g * 2.55);
    if (ri < 1 || gi < 1)
        return -1;
    return (gi - 1) * 250 + (ri - 1);
}

static const char *const g_phase_name[SM__PHASES] = {"land",  "lines", "grid", "rings", "areas",
                                                     "lines", "marks", "box",  "text"};

/* A group's id: its part's name; "-areas" for area targets; a part's
 * later groups add their phase. */
static void group_id(const sm__svg *s, size_t k, const bool *used, char *id, size_t size)
{
    const sm__svg_group *g = &((const sm__svg_group *)s->groups.data)[k];
    bool first = true;
    for (size_t i = 0; i < k; i++) {
        const sm__svg_group *h = &((const sm__svg_group *)s->groups.data)[i];
        if (used[i] && strcmp(h->part, g->part) == 0 && h->phase != SM__PHASE_AREAS)
            first = false;
    }
    if (g->phase >= 0 && g->phase < SM__PHASES && (!first || g->phase == SM__PHASE_AREAS))
        snprintf(id, size, "%s-%s", g->part, g_phase_name[g->phase]);
    else
        snprintf(id, size, "%s", g->part);
}

typedef struct pass {
    sm__svg *s;
    FILE *f;
    long open;     /* group being gathered, -1 none */
    sm__sbuf body; /* its elements */
    bool *used;    /* groups written */
} pass;

static void close_group(pass *p)
{
    if (p->open < 0)
        return;
    sm__svg_group *g = &((sm__svg_group *)p->s->groups.data)[p->open];
    if (p->body.len > 0 || g->text.len > 0) {
        char id[96];
        p->used[p->open] = true;
        group_id(p->s, (size_t)p->open, p->used, id, sizeof(id));
        fprintf(p->f, "<g id=\"%s\">\n", id);
        fwrite(sm__sbuf_str(&p->body), 1, p->body.len, p->f);
        fwrite(sm__sbuf_str(&g->text), 1, g->text.len, p->f);
        fputs("</g>\n", p->f);
    }
    p->body.len = 0;
    p->open = -1;
}

bool sm__svg_write(sm__svg *s, const char *svg, size_t len, FILE *f)
{
    if (s->failed)
        return false;
    const char *body = find(svg, len, "<g id=\"surface");
    const char *end = body != NULL ? strstr(body, "</svg>") : NULL;
    if (end == NULL)
        return false;
    /* the page group's own </g> is the last before </svg> */
    const char *close = end;
    while (close > body && strncmp(close, "</g>", 4) != 0)
        close--;
    const char *first = strchr(body, '\n');
    if (first == NULL || close <= first)
        return false;
    fwrite(svg, 1, (size_t)(first + 1 - svg), f);
    pass p = {s, f, -1, {0}, calloc(s->groups.len + 1, 1)};
    if (p.used == NULL)
        return false;
    const char *held = NULL; /* a <g clip-path> line that may wrap a marker */
    int depth = 0;
    for (const char *ln = first + 1; ln < close;) {
        const char *nl = memchr(ln, '\n', (size_t)(close - ln));
        size_t n = nl != NULL ? (size_t)(nl - ln) + 1 : (size_t)(close - ln);
        long k = marker_of(ln, n);
        if (k >= 0 && k < (long)s->groups.len && (depth == 0 || (depth == 1 && held != NULL))) {
            if (held != NULL) { /* <g clip-path> marker </g>: the three go */
                const char *after = ln + n;
                if (after < close && strncmp(after, "</g>", 4) == 0)
                    n += (size_t)((const char *)memchr(after, '\n', (size_t)(close - after)) -
                                  after) +
                         1;
                held = NULL;
                depth = 0;
            }
            close_group(&p);
            p.open = k;
            ln += n;
            continue;
        }
        if (held != NULL) { /* not a wrapped marker: the held line is content */
            if (p.open >= 0)
                sm__sbuf_put(&p.body, held, (size_t)(strchr(held, '\n') - held) + 1);
            else
                fwrite(held, 1, (size_t)(strchr(held, '\n') - held) + 1, f);
            held = NULL;
        }
        if (k >= 0) { /* a marker inside other content: no cut; its text joins */
            if (p.open >= 0 && k < (long)s->groups.len) {
                sm__svg_group *g = s->groups.data;
                sm__sbuf_put(&g[p.open].text, sm__sbuf_str(&g[k].text), g[k].text.len);
            }
            ln += n;
            continue;
        }
        if (strncmp(ln, "<g clip-path", 12) == 0 && depth == 0) {
            held = ln;
            depth++;
            ln += n;
            continue;
        }
        if (strncmp(ln, "<g", 2) == 0 && memchr(ln, '>', n) != NULL &&
            !(n >= 3 && ln[n - 3] == '/'))
            depth++;
        else if (strncmp(ln, "</g>", 4) == 0)
            depth--;
        if (p.open >= 0)
            sm__sbuf_put(&p.body, ln, n);
        else
            fwrite(ln, 1, n, f);
        ln += n;
    }
    if (held != NULL) {
        if (p.open >= 0)
            sm__sbuf_put(&p.body, held, (size_t)(strchr(held, '\n') - held) + 1);
        else
            fwrite(held, 1, (size_t)(strchr(held, '\n') - held) + 1, f);
    }
    close_group(&p);
    fwrite(close, 1, (size_t)(svg + len - close), f);
    bool ok = !p.body.failed;
    sm__sbuf_free(&p.body);
    free(p.used);
    return ok;
}
