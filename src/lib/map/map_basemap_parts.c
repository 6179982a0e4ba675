/*
 * map_basemap_parts.c: the basemap's parts: country fills (with the focus
 * country, where most strikes are, lighter) and names, borders, the
 * coastline, and the populated places' dots and names.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

/* The i-th point of n, stride bytes apart. */
static const double *at(const double *xy, size_t stride, size_t i)
{
    return (const double *)(const void *)((const char *)xy + i * stride);
}

/* The country holding most strikes (of a sample) gets the lighter fill. */
void sm__basemap_focus(sm_map *m, const double *xy, size_t stride, size_t n)
{
    m->base.focus_country = -1;
    if (m->base.countries.parts.len == 0 || n == 0)
        return;
    size_t nc = m->base.country_names.len;
    size_t *votes = calloc(nc + 1, sizeof(size_t));
    if (votes == NULL) {
        sm__map_nomem(m, "basemap");
        return;
    }
    size_t step = n / 256 + 1;
    for (size_t i = 0; i < n; i += step) {
        /* Only countries whose parts' boxes hold the point are tested. */
        const sm__part *parts = m->base.countries.parts.data;
        int last = -1;
        for (size_t p = 0; p < m->base.countries.parts.len; p++) {
            int tag = parts[p].tag;
            if (tag == last)
                continue;
            if (sm__paths_contains(&m->base.countries, tag, at(xy, stride, i)[0],
                                   at(xy, stride, i)[1])) {
                votes[tag]++;
                break;
            }
            last = tag;
        }
    }
    size_t best = 0;
    for (size_t t = 0; t < nc; t++)
        if (votes[t] > best) {
            best = votes[t];
            m->base.focus_country = (int)t;
        }
    free(votes);
}

/* A country's name where most of its visible area is. */
static void country_labels(sm_map *m)
{
    if (!(m->show & SM_MAP_COUNTRIES) || !(m->show & SM_MAP_COUNTRY_NAMES))
        return;
    const sm__view *v = &m->view;
    const sm__part *parts = m->base.countries.parts.data;
    const double *pts = m->base.countries.pts.data;
    double *clip = NULL;
    size_t cap = 0;
    for (size_t t = 0; t < m->base.country_names.len; t++) {
        const char *name = ((char **)m->base.country_names.data)[t];
        if (name == NULL || !name[0])
            continue;
        double best_area = 0, bx = 0, by = 0, bb[4] = {0, 0, 0, 0};
        for (size_t p = 0; p < m->base.countries.parts.len; p++) {
            if (parts[p].tag != (int)t)
                continue;
            size_t k = sm__clip_polygon(pts + 2 * parts[p].start, parts[p].n, v->px, v->py,
                                        v->px + v->pw, v->py + v->ph, &clip, &cap);
            if (clip == NULL) {
                sm__map_nomem(m, "country names");
                return;
            }
            double a = 0, cx = 0, cy = 0;
            double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
            for (size_t i = 0, j = k - 1; i < k; j = i++) {
                double cr = clip[2 * j] * clip[2 * i + 1] - clip[2 * i] * clip[2 * j + 1];
                a += cr;
                cx += (clip[2 * j] + clip[2 * i]) * cr;
                cy += (clip[2 * j + 1] + clip[2 * i + 1]) * cr;
                x0 = fmin(x0, clip[2 * i]);
                x1 = fmax(x1, clip[2 * i]);
                y0 = fmin(y0, clip[2 * i + 1]);
                y1 = fmax(y1, clip[2 * i + 1]);
            }
            if (k < 3 || fabs(a) < 1e-9)
                continue;
            if (fabs(a) / 2 > best_area) {
                best_area = fabs(a) / 2;
                bx = cx / (3 * a);
                by = cy / (3 * a);
                bb[0] = x0;
                bb[1] = y0;
                bb[2] = x1;
                bb[3] = y1;
            }
        }
        if (best_area < 2500)
            continue;
        if (!sm__paths_contains(&m->base.countries, (int)t, bx, by)) {
            /* A crescent or an L: the inside point of a coarse grid nearest
             * the centroid. */
            double bestd = 1e18, nx = bx, ny = by;
            for (int i = 1; i < 12; i++)
                for (int j = 1; j < 12; j++) {
                    double x = bb[0] + (bb[2] - bb[0]) * i / 12.0,
                           y = bb[1] + (bb[3] - bb[1]) * j / 12.0;
                    double d = hypot(x - bx, y - by);
                    if (d < bestd && sm__paths_contains(&m->base.countries, (int)t, x, y)) {
                        bestd = d;
                        nx = x;
                        ny = y;
                    }
                }
            if (bestd == 1e18)
                continue;
            bx = nx;
            by = ny;
        }
        sm__label_add(m, name, SM__LABEL_COUNTRY, SM__PRIO_COUNTRY, bx, by, 0);
    }
    free(clip);
}

static void place_labels(sm_map *m)
{
    const sm__place *pl = m->base.places.data;
    size_t top = 0; /* the largest places named so far before the claims */
    for (size_t i = 0; i < m->base.places.len; i++) {
        int kind =
            pl[i].rank == 0 || pl[i].pop >= 1000000 ? SM__LABEL_PLACE_MAJOR : SM__LABEL_PLACE;
        /* Capitals and cities of a million before claim labels that need
         * a leader line; cities of a quarter million before country names;
         * the rest after. */
        int prio = pl[i].rank == 0 || pl[i].pop >= 1000000 ? SM__PRIO_CITY
                   : pl[i].pop >= 250000                   ? SM__PRIO_TOWN
                                                           : SM__PRIO_PLACE;
        /* The largest places of the map (SM__MAP_TOP_PLACES of at least
         * SM__MAP_TOP_PLACE_POP) outrank claim labels: at city density a
         * reader needs "Gaza" and "Khan Yunis" more than the hundredth
         * strike's name. (places are sorted largest first) */
        if (top < SM__MAP_TOP_PLACES && pl[i].pop >= SM__MAP_TOP_PLACE_POP &&
            m->view.strikes_in_view > SM__MAP_DENSE_STRIKES) {
            kind = SM__LABEL_PLACE_MAJOR;
            prio = -1000 - (int)SM__MAP_TOP_PLACES - (int)i;
            top++;
        }
        sm__label *lb = sm__label_add(m, pl[i].name, kind, prio + (int)i, pl[i].x, pl[i].y,
                                      m->style.place_size / 2 + 0.6);
        if (lb != NULL)
            lb->variant = pl[i].rank;
        /* a top place may be named with a leader when claims crowd its dot */
        if (lb != NULL && prio < 0) {
            lb->leader_ok = true;
            lb->deferred = true;
        }
    }
}

void sm__country_names_build(sm_map *m, int stage)
{
    if (stage == SM__STAGE_LABELS)
        country_labels(m);
}

void sm__places_build(sm_map *m, int stage)
{
    if (stage == SM__STAGE_LABELS && m->status == SM_OK && sm__map_shows(m, SM_MAP_PLACES))
        place_labels(m);
}

void sm__countries_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase != SM__PHASE_LAND)
        return;
    cairo_t *cr = d->cr;
    const sm__style *st = &m->style;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    bool countries = (m->show & SM_MAP_COUNTRIES) && m->base.countries.parts.len > 0;
    if (countries) {
        sm__paths_to_cairo(&m->base.countries, d, true, -1, true);
        sm__set_rgba(cr, st->land);
        cairo_fill(cr);
        if (m->base.focus_country >= 0) {
            sm__paths_to_cairo(&m->base.countries, d, true, m->base.focus_country, true);
            sm__set_rgba(cr, st->land_focus);
            cairo_fill(cr);
        }
    } else if (m->base.coast.parts.len > 0) {
        /* no countries: land.shp's polygons are the land */
        sm__paths_to_cairo(&m->base.coast, d, true, -1, true);
        sm__set_rgba(cr, st->land);
        cairo_fill(cr);
    }
}

void sm__borders_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase != SM__PHASE_BASELINES)
        return;
    cairo_t *cr = d->cr;
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    if ((m->show & SM_MAP_BORDERS) && m->base.countries.parts.len > 0) {
        sm__paths_to_cairo(&m->base.countries, d, true, -1, true);
        sm__set_rgba(cr, m->style.border);
        cairo_set_line_width(cr, m->style.border_w);
        cairo_stroke(cr);
    }
}

void sm__coast_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase != SM__PHASE_BASELINES)
        return;
    cairo_t *cr = d->cr;
    if ((m->show & SM_MAP_COAST) && m->base.coast.parts.len > 0) {
        sm__paths_to_cairo(&m->base.coast, d, true, -1, true);
        sm__set_rgba(cr, m->style.coast);
        cairo_set_line_width(cr, m->style.coast_w);
        cairo_stroke(cr);
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
}

/* The dots of the places that got a name. */
void sm__places_draw(sm_map *m, const sm__draw *d, int phase)
{
    if (phase != SM__PHASE_MARKS)
        return;
    sm__label **ls = m->lab.labels.data;
    for (size_t i = 0; i < m->lab.labels.len; i++)
        if (ls[i]->placed &&
            (ls[i]->kind == SM__LABEL_PLACE || ls[i]->kind == SM__LABEL_PLACE_MAJOR))
            sm__draw_marker(&m->style, d->cr, SM__MARK_PLACE, ls[i]->variant, ls[i]->ax, ls[i]->ay,
                            0, 1);
}
