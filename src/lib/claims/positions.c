/*
 * positions.c: the swapped-coordinates check of SPEC §6. A strike at sea (by
 * the basemap's land polygons) or far from every other claim gets a warning;
 * where exchanging its longitude and latitude would put it on land among the
 * others, the warning says so and gives that position.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/load.h"

/* A claim farther than this from every other is "far" (km). Regional claim
 * sets span a few hundred km; 1000 km leaves room for long-range strikes.
 * sm_load_options.far_km (--far-km) fits it to another theatre. */
#define SM_FAR_KM 1000.0

typedef struct grid {
    unsigned *count; /* 180 x 360 one-degree cells */
    double (*xyz)[3];
    size_t n;
} grid;

static size_t cell_of(double lon, double lat)
{
    int r = (int)floor(lat + 90), c = (int)floor(lon + 180);
    r = r < 0 ? 0 : (r > 179 ? 179 : r);
    c = c < 0 ? 0 : (c > 359 ? 359 : c);
    return (size_t)r * 360 + (size_t)c;
}

static bool grid_add(grid *g, double lon, double lat)
{
    g->count[cell_of(lon, lat)]++;
    sm__ecef_km(lon, lat, g->xyz[g->n++]);
    return true;
}

/* Distance (km) from (lon, lat) to the nearest grid point other than
 * itself, or (double)INFINITY; 0 when one lies in the 3 x 3 one-degree
 * cells around it. */
static double nearest_other(const grid *g, double lon, double lat, bool self_in_grid)
{
    size_t self = self_in_grid ? 1 : 0;
    int r0 = (int)floor(lat + 90), c0 = (int)floor(lon + 180);
    unsigned near = 0;
    for (int dr = -1; dr <= 1; dr++)
        for (int dc = -1; dc <= 1; dc++) {
            int r = r0 + dr, c = ((c0 + dc) % 360 + 360) % 360;
            if (r >= 0 && r < 180)
                near += g->count[(size_t)r * 360 + (size_t)c];
        }
    if (near > self)
        return 0; /* a neighbour within about 3 degrees: not far */
    double p[3], best = (double)INFINITY;
    sm__ecef_km(lon, lat, p);
    for (size_t i = 0; i < g->n; i++) {
        double dx = g->xyz[i][0] - p[0], dy = g->xyz[i][1] - p[1], dz = g->xyz[i][2] - p[2];
        double chord = sqrt(dx * dx + dy * dy + dz * dz);
        if (chord < 1e-6 && self_in_grid)
            continue; /* the point itself */
        if (chord < best)
            best = chord;
    }
    return best; /* chord: a lower bound, close to the geodesic at these ranges */
}

#define SM_POSITION_WARNINGS 10

void sm__positions_summarise(sm_ctx *ctx, const char *file, size_t flagged, size_t swapped)
{
    if (flagged <= SM_POSITION_WARNINGS)
        return;
    sm__diag(ctx, SM_SEV_WARNING, file, -1, NULL, "geometry",
             "%zu more strikes lie at sea or far from every other claim (%zu of them would be "
             "on land among the others with longitude and latitude exchanged); the first %d "
             "are named above",
             flagged - SM_POSITION_WARNINGS, swapped, SM_POSITION_WARNINGS);
}

bool sm__positions_named(size_t flagged)
{
    return flagged <= SM_POSITION_WARNINGS;
}

struct sm__positions {
    grid g;
    size_t cap;
    sm__land *land;
    double far_km;
};

sm_status sm__positions_open(sm_ctx *ctx, const sm_load_options *opt, size_t n_points,
                             sm__positions **out)
{
    *out = NULL;
    if (isnan(opt->far_km) || opt->far_km < 0 || opt->far_km > SM_MAX_DISTANCE_KM) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "far_km",
                 "%g km is out of range; expected 0 (the default, 1000 km) to 20004 km",
                 opt->far_km);
        return SM_ERR_USAGE;
    }
    sm__positions *p = calloc(1, sizeof(*p));
    char *dir = opt->basemap_dir != NULL ? sm__strfmt("%s", opt->basemap_dir)
                                         : sm__strfmt("%s/shapefiles", sm_ctx_home(ctx));
    if (p != NULL) {
        p->g.count = calloc((size_t)180 * 360, sizeof(unsigned));
        p->g.xyz = malloc((n_points ? n_points : 1) * sizeof(*p->g.xyz));
        p->cap = n_points;
    }
    if (p == NULL || p->g.count == NULL || p->g.xyz == NULL || dir == NULL) {
        sm__positions_close(p);
        free(dir);
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    }
    sm_status st = sm__land_open(ctx, dir, &p->land);
    free(dir);
    if (st != SM_OK) {
        sm__positions_close(p);
        return st;
    }
    p->far_km = opt->far_km > 0 ? opt->far_km : SM_FAR_KM;
    *out = p;
    return SM_OK;
}

void sm__positions_add(sm__positions *p, double lon, double lat)
{
    if (p->g.n < p->cap)
        grid_add(&p->g, lon, lat);
}

int sm__positions_judge(sm__positions *p, double lon, double lat, char **msg, bool *swapped)
{
    *msg = NULL;
    *swapped = false;
    bool judge_far = p->g.n >= 4; /* "far from the others" needs others */
    bool at_sea = p->land != NULL && !sm__land_contains(p->land, lon, lat);
    double near = judge_far ? nearest_other(&p->g, lon, lat, true) : 0;
    bool far = near > p->far_km;
    if (!at_sea && !far)
        return 0;
    char what[160]; /* fixed texts with one %.0f of a distance under 20,004 km */
    if (at_sea && far)
        snprintf(what, sizeof(what), "lies at sea and %.0f km from every other claim", near);
    else if (at_sea)
        snprintf(what, sizeof(what), "lies at sea (by the basemap's land polygons)");
    else
        snprintf(what, sizeof(what), "lies %.0f km from every other claim", near);
    /* Swapped only where exchanging lon and lat brings the strike on land
     * and much nearer the other claims than it is (a genuine naval strike
     * among other claims at sea or on the coast stays where it is): at
     * most far_km, and under half its distance now. */
    double slon = lat, slat = lon;
    double snear = judge_far ? nearest_other(&p->g, slon, slat, false) : 0;
    bool swap_ok = fabs(slat) <= 90 &&
                   (p->land == NULL || sm__land_contains(p->land, slon, slat)) &&
                   (!judge_far || (snear <= p->far_km && snear < near / 2));
    *swapped = swap_ok;
    *msg = swap_ok
               ? sm__strfmt("the strike at (%.5f, %.5f) %s; with longitude and latitude "
                            "exchanged it would be at (%.5f, %.5f), on land among the other "
                            "claims: are they swapped?",
                            lon, lat, what, slon, slat)
               : sm__strfmt("the strike at (%.5f, %.5f) %s; check its coordinates", lon, lat, what);
    return *msg != NULL ? 1 : -1;
}

void sm__positions_close(sm__positions *p)
{
    if (p == NULL)
        return;
    sm__land_close(p->land);
    free(p->g.count);
    free(p->g.xyz);
    free(p);
}

sm_status sm__check_positions(sm_ctx *ctx, sm_claims *claims, const sm_load_options *opt)
{
    size_t ns = sm_claims_strike_count(claims);
    size_t total = ns + sm_claims_base_count(claims);
    for (size_t i = 0; i < sm_claims_aircraft_count(claims); i++)
        total += sm_claims_aircraft(claims, i)->n_fixes;
    sm__positions *p = NULL;
    sm_status st =
        ns == 0 && isfinite(opt->far_km) && opt->far_km >= 0 && opt->far_km <= SM_MAX_DISTANCE_KM
            ? SM_OK
            : sm__positions_open(ctx, opt, total, &p);
    if (st != SM_OK || p == NULL)
        return st;
    for (size_t i = 0; i < ns; i++)
        sm__positions_add(p, sm_claims_strike(claims, i)->lon, sm_claims_strike(claims, i)->lat);
    sm__positions_add_fixed(p, claims);
    /* The first few of each file are named one by one, the rest counted. */
    size_t flagged = 0, swapped = 0;
    const char *last_file = NULL;
    for (size_t i = 0; i < ns; i++) {
        const sm_strike *s = sm_claims_strike(claims, i);
        if (s->n_rings > 0 || s->position_unchecked)
            continue; /* an area target is drawn by hand, not a swapped pair; a
                         claim may say its position is as meant (a naval strike) */
        char *msg;
        bool swap_ok;
        int j = sm__positions_judge(p, s->lon, s->lat, &msg, &swap_ok);
        if (j == 0)
            continue;
        if (last_file != s->info.file) {
            sm__positions_summarise(ctx, last_file, flagged, swapped);
            last_file = s->info.file;
            flagged = swapped = 0;
        }
        flagged++;
        swapped += swap_ok;
        /* Every flagged strike keeps its warning (the outputs carry it);
         * the first few of a file are named on stderr too. */
        if (j < 0 || !sm__claim_add_warning(claims, &s->info, "geometry", msg)) {
            free(msg);
            sm__positions_close(p);
            return sm__nomem(ctx, s->info.file, s->info.feature, s->info.id, "geometry");
        }
        if (sm__positions_named(flagged))
            sm__diag(ctx, SM_SEV_WARNING, s->info.file, s->info.feature, s->info.id, "geometry",
                     "%s", msg);
        free(msg);
    }
    sm__positions_summarise(ctx, last_file, flagged, swapped);
    sm__positions_close(p);
    return SM_OK;
}

void sm__positions_add_fixed(sm__positions *p, const sm_claims *claims)
{
    for (size_t i = 0; i < sm_claims_aircraft_count(claims); i++) {
        const sm_aircraft *a = sm_claims_aircraft(claims, i);
        for (size_t k = 0; k < a->n_fixes; k++)
            sm__positions_add(p, a->fixes[k].lon, a->fixes[k].lat);
    }
    for (size_t i = 0; i < sm_claims_base_count(claims); i++)
        sm__positions_add(p, sm_claims_base(claims, i)->lon, sm_claims_base(claims, i)->lat);
}
