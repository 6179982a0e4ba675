/*
 * report_html_map.c: the HTML report's map: the cairo map as inline SVG
 * (through the public map API), and over it a transparent overlay of hot
 * spots and of the fix-to-strike lines. Claims drawn at one spot (the
 * three claims about one hospital) share one hot spot that lists them all,
 * so every claim can be reached by a click or a tap; a lone claim's hot
 * spot links straight to it. Without JavaScript every hot spot is a link
 * to its claim, or to the list of the claims at its spot.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>

#include "report/report_html.h"

#define MAP_W 720
#define MAP_H 540
/* Claims closer than this on the canvas (points; a marker is about 10)
 * are at one spot: they fall in the same cell of a grid of this size. */
#define SPOT 6.0

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
    sm__html_esc(f, title);
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

static const sm_claim_info *ref_info(const sm_claims *c, sm__html_ref ref, double *lon, double *lat)
{
    switch (ref.kind) {
    case 's': {
        const sm_strike *s = sm_claims_strike(c, ref.index);
        *lon = s->lon;
        *lat = s->lat;
        return &s->info;
    }
    case 'b': {
        const sm_base *b = sm_claims_base(c, ref.index);
        *lon = b->lon;
        *lat = b->lat;
        return &b->info;
    }
    case 'l': {
        const sm_launcher *l = sm_claims_launcher(c, ref.index);
        *lon = l->lon;
        *lat = l->lat;
        return &l->info;
    }
    default: {
        const sm_aircraft *a = sm_claims_aircraft(c, ref.index);
        *lon = a->fixes[0].lon;
        *lat = a->fixes[0].lat;
        return &a->info;
    }
    }
}

typedef struct placed {
    sm__html_ref ref;
    double x, y;
    long gx, gy;
    size_t order; /* bases, launchers, aircraft, strikes: strikes drawn on top */
} placed;

static int by_cell(const void *a, const void *b)
{
    const placed *p = a, *q = b;
    if (p->gy != q->gy)
        return p->gy < q->gy ? -1 : 1;
    if (p->gx != q->gx)
        return p->gx < q->gx ? -1 : 1;
    return p->order < q->order ? -1 : (p->order > q->order);
}

/* Every point claim placed on the canvas and grouped by spot. */
static bool find_spots(const sm_report *r, const sm_map *map, sm__html_spots *out)
{
    const sm_claims *c = r->claims;
    size_t nb = sm_claims_base_count(c), nl = sm_claims_launcher_count(c),
           na = sm_claims_aircraft_count(c), ns = sm_claims_strike_count(c);
    placed *p = calloc(nb + nl + na + ns + 1, sizeof(*p));
    size_t n = 0;
    if (p == NULL)
        return false;
    const struct {
        char kind;
        size_t count;
    } kinds[] = {{'b', nb}, {'l', nl}, {'a', na}, {'s', ns}};
    for (size_t k = 0; k < SM__ARRAY_LEN(kinds); k++)
        for (size_t i = 0; i < kinds[k].count; i++) {
            if (kinds[k].kind == 'a' && sm_claims_aircraft(c, i)->is_track)
                continue; /* a track is a line of its own */
            double lon, lat;
            p[n].ref = (sm__html_ref){kinds[k].kind, i};
            ref_info(c, p[n].ref, &lon, &lat);
            pt(map, lon, lat, &p[n].x, &p[n].y);
            p[n].gx = (long)floor(p[n].x / SPOT);
            p[n].gy = (long)floor(p[n].y / SPOT);
            p[n].order = n;
            n++;
        }
    qsort(p, n, sizeof(*p), by_cell);
    out->refs = calloc(n + 1, sizeof(*out->refs));
    out->spots = calloc(n + 1, sizeof(*out->spots));
    if (out->refs == NULL || out->spots == NULL) {
        free(p);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        out->refs[i] = p[i].ref;
        if (i == 0 || p[i].gx != p[i - 1].gx || p[i].gy != p[i - 1].gy)
            out->spots[out->n++] = (sm__html_spot){p[i].x, p[i].y, i, 0};
        out->spots[out->n - 1].n++;
    }
    free(p);
    return true;
}

void sm__html_spots_free(sm__html_spots *spots)
{
    free(spots->spots);
    free(spots->refs);
    memset(spots, 0, sizeof(*spots));
}

/* A hot spot: a link to its one claim, or to the list of its claims. */
static void hot_spot(const sm_report *r, FILE *f, const sm__html_spots *sp, size_t k)
{
    const sm__html_spot *s = &sp->spots[k];
    char id[64];
    double lon, lat;
    if (s->n == 1) {
        sm__html_ref ref = sp->refs[s->first];
        sm__html_anchor(id, sizeof(id), ref.kind, ref.index);
        fprintf(f, "<a href=\"#%s\" data-claim=\"%s\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"10\">",
                id, id, s->x, s->y);
        fputs("<title>", f);
        sm__html_esc(f, sm__claim_name(ref_info(r->claims, ref, &lon, &lat)));
        fputs("</title></circle></a>\n", f);
        return;
    }
    fprintf(f, "<a href=\"#spot-%zu\" class=\"multi\" data-spot=\"", k);
    for (size_t i = 0; i < s->n; i++) {
        sm__html_ref ref = sp->refs[s->first + i];
        sm__html_anchor(id, sizeof(id), ref.kind, ref.index);
        fprintf(f, "%s%s", i ? " " : "", id);
    }
    char n1[64];
    fprintf(f, "\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"10\"><title>%s here: ", s->x, s->y,
            sm__fmt_count(s->n, "claim", "claims", NULL, n1, sizeof(n1)));
    for (size_t i = 0; i < s->n; i++) {
        if (i > 0)
            fputs("; ", f);
        sm__html_esc(f, sm__claim_name(ref_info(r->claims, sp->refs[s->first + i], &lon, &lat)));
    }
    fputs("</title></circle></a>\n", f);
}

static void overlay(const sm_report *r, const sm_map *map, FILE *f, const sm__html_spots *sp)
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
    for (size_t i = 0; i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        if (!a->is_track)
            continue;
        sm__html_anchor(id, sizeof(id), 'a', i);
        fprintf(f, "<a href=\"#%s\" data-claim=\"%s\"><polyline points=\"", id, id);
        for (size_t k = 0; k < a->n_fixes; k++) {
            double x, y;
            pt(map, a->fixes[k].lon, a->fixes[k].lat, &x, &y);
            fprintf(f, "%s%.1f,%.1f", k ? " " : "", x, y);
        }
        fputs("\"><title>", f);
        sm__html_esc(f, sm__claim_name(&a->info));
        fputs("</title></polyline></a>\n", f);
    }
    for (size_t k = 0; k < sp->n; k++)
        hot_spot(r, f, sp, k);
    fputs("</g>\n</svg>\n", f);
}

sm_status sm__html_map(const sm_report *r, FILE *f, sm__html_spots *spots)
{
    sm_map_options mo = r->options.map;
    mo.hide |= SM_MAP_TITLE;
    size_t decided = r->summary->pairs - r->summary->by_verdict[SM_VERDICT_UNKNOWN];
    bool no_reach = decided > SM__REPORT_MAX_RINGS && !(mo.hide & SM_MAP_REACH);
    if (no_reach)
        mo.hide |= SM_MAP_REACH;
    mo.width_px = MAP_W;
    mo.height_px = MAP_H;
    mo.dpi = 72;
    sm_map *map = NULL;
    sm_status st = sm_map_new(r->ctx, r->claims, r->check, &mo, &map);
    if (st != SM_OK)
        return st;
    fputs("<div class=\"map-stack\" id=\"map-stack\">\n<div class=\"map-zoom\">\n", f);
    st = map_svg(r, map, f);
    if (st == SM_OK && !find_spots(r, map, spots))
        st = sm__nomem(r->ctx, NULL, -1, NULL, "the report's map");
    if (st == SM_OK) {
        overlay(r, map, f, spots);
        fputs("</div>\n</div>\n<figcaption>Click or tap a strike, an aircraft or a base on the "
              "map for its claims, sources and verdicts (a spot with several claims lists "
              "them all); click a row of a table to show it on the map. Zoom with the "
              "buttons, the mouse wheel or two fingers; drag to pan.",
              f);
        if (no_reach) {
            char n1[64];
            fprintf(f,
                    " Reach rings are left out of this map: %s would hide the claims under "
                    "them.",
                    sm__fmt_count(decided, "decided pair", "decided pairs", NULL, n1, sizeof(n1)));
        }
        fputs("</figcaption>\n", f);
    }
    sm_map_free(map);
    return st;
}

void sm__html_spot_lists(const sm_report *r, FILE *f, const sm__html_spots *sp)
{
    char id[64], n1[64];
    double lon, lat;
    for (size_t k = 0; k < sp->n; k++) {
        const sm__html_spot *s = &sp->spots[k];
        if (s->n < 2)
            continue;
        fprintf(f,
                "<nav id=\"spot-%zu\" class=\"spot-list\"><h3>%s at one spot of the map</h3>"
                "<ul>\n",
                k, sm__fmt_count(s->n, "claim", "claims", NULL, n1, sizeof(n1)));
        for (size_t i = 0; i < s->n; i++) {
            sm__html_ref ref = sp->refs[s->first + i];
            const sm_claim_info *info = ref_info(r->claims, ref, &lon, &lat);
            sm__html_anchor(id, sizeof(id), ref.kind, ref.index);
            fprintf(f, "<li><a href=\"#%s\">", id);
            sm__html_esc(f, info->id);
            if (info->label != NULL) {
                fputs(" \xe2\x80\x94 ", f);
                sm__html_esc(f, info->label);
            }
            fputs("</a></li>\n", f);
        }
        fputs("</ul></nav>\n", f);
    }
}
