/*
 * reach.c: geodesic circles (what an aircraft can reach from a point) as
 * rings and as GeoJSON polygons that stay right across the antimeridian and
 * around a pole. Vertices come from PROJ's geod_direct; cutting the ring into
 * [-180, 180] pieces is GEOS's intersection, through OGR.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <ogr_api.h>

#include "check/check_internal.h"

/* Longest geodesic on WGS84 (half the meridian), km: a circle this large
 * covers the whole Earth. */
#define SM_MAX_GEODESIC_KM 20003.93

static OGRGeometryH box(double w, double s, double e, double n)
{
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    OGR_G_AddPoint_2D(ring, w, s);
    OGR_G_AddPoint_2D(ring, e, s);
    OGR_G_AddPoint_2D(ring, e, n);
    OGR_G_AddPoint_2D(ring, w, n);
    OGR_G_AddPoint_2D(ring, w, s);
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(poly, ring);
    return poly;
}

/* The area around (lon, lat) reaching radii_km[i] at azimuth 360 i / n (a
 * star-shaped area: a circle when the radii are equal) as a geometry in
 * [-180, 180] x [-90, 90] (Polygon or MultiPolygon), or NULL. Caller
 * destroys. */
static OGRGeometryH star_geometry(double lon, double lat, const double *radii_km, size_t n)
{
    bool whole = true;
    for (size_t i = 0; i < n && whole; i++)
        whole = radii_km[i] >= SM_MAX_GEODESIC_KM;
    if (whole)
        return box(-180, -90, 180, 90);
    double *xy = malloc(2 * n * sizeof(*xy));
    if (xy == NULL)
        return NULL;
    double prev_lon = lon;
    for (size_t i = 0; i < n; i++) {
        double az = 360.0 * (double)i / (double)n, plon, plat;
        sm__geod_direct(lon, lat, az, fmin(radii_km[i], SM_MAX_GEODESIC_KM), &plon, &plat);
        while (plon - prev_lon > 180)
            plon -= 360;
        while (plon - prev_lon < -180)
            plon += 360;
        prev_lon = plon;
        xy[2 * i] = plon;
        xy[2 * i + 1] = plat;
    }
    /* Unwrapped, the ring either closes (it winds round no pole) or ends
     * 360 degrees from where it began (it winds round one): then it is
     * closed along that pole's latitude. */
    double wind = 0;
    for (size_t i = 0; i < n; i++) {
        double a = xy[2 * i], b = xy[2 * ((i + 1) % n)];
        double d = b - a;
        if (i + 1 == n) {
            while (d > 180)
                d -= 360;
            while (d < -180)
                d += 360;
        }
        wind += d;
    }
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    for (size_t i = 0; i < n; i++)
        OGR_G_AddPoint_2D(ring, xy[2 * i], xy[2 * i + 1]);
    if (fabs(wind) > 180) {
        /* the pole inside is the one nearer than the radius towards it
         * (azimuth 0 leads to the north pole, 180 to the south) */
        double pole = sm__geod_distance_km(lon, lat, 0, 90) < radii_km[0] ? 90 : -90;
        double first = xy[0];
        /* the point after the last one, at the first one's latitude, 360 on */
        double next = first + (wind > 0 ? 360 : -360);
        OGR_G_AddPoint_2D(ring, next, xy[1]);
        OGR_G_AddPoint_2D(ring, next, pole);
        OGR_G_AddPoint_2D(ring, first, pole);
    }
    OGR_G_AddPoint_2D(ring, xy[0], xy[1]);
    free(xy);
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(poly, ring);
    /* A circle larger than a hemisphere can hold both poles: its ring then
     * bounds the part left out, around the antipode. */
    OGRGeometryH centre = OGR_G_CreateGeometry(wkbPoint);
    bool has_centre = false;
    for (int k = -1; k <= 1 && !has_centre; k++) {
        OGR_G_SetPoint_2D(centre, 0, lon + 360 * k, lat);
        has_centre = OGR_G_Intersects(poly, centre);
    }
    OGR_G_DestroyGeometry(centre);
    bool complement = !has_centre && fabs(wind) <= 180;
    /* Cut into the three 360-degree windows and shift each home. */
    OGRGeometryH out = NULL;
    for (int k = -1; k <= 1; k++) {
        OGRGeometryH win = box(-180 + 360 * k, -90, 180 + 360 * k, 90);
        OGRGeometryH part = OGR_G_Intersection(poly, win);
        OGR_G_DestroyGeometry(win);
        if (part == NULL || OGR_G_IsEmpty(part) || OGR_G_Area(part) <= 0) {
            if (part)
                OGR_G_DestroyGeometry(part);
            continue;
        }
        if (k != 0) {
            /* shift by -360 k */
            int parts = OGR_G_GetGeometryCount(part);
            OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(part));
            for (int pi = 0; pi < (t == wkbPolygon ? 1 : parts); pi++) {
                OGRGeometryH pg = t == wkbPolygon ? part : OGR_G_GetGeometryRef(part, pi);
                for (int r = 0; r < OGR_G_GetGeometryCount(pg); r++) {
                    OGRGeometryH rg = OGR_G_GetGeometryRef(pg, r);
                    for (int v = 0; v < OGR_G_GetPointCount(rg); v++)
                        OGR_G_SetPoint_2D(rg, v, OGR_G_GetX(rg, v) - 360 * k, OGR_G_GetY(rg, v));
                }
            }
        }
        if (out == NULL) {
            out = part;
        } else {
            OGRGeometryH u = OGR_G_Union(out, part);
            OGR_G_DestroyGeometry(out);
            OGR_G_DestroyGeometry(part);
            out = u;
        }
    }
    OGR_G_DestroyGeometry(poly);
    if (complement && out != NULL) {
        /* what was cut is the cap left out; the reach is the rest */
        OGRGeometryH world = box(-180, -90, 180, 90);
        OGRGeometryH rest = OGR_G_Difference(world, out);
        OGR_G_DestroyGeometry(world);
        OGR_G_DestroyGeometry(out);
        out = rest;
    }
    return out;
}

/* Vertices for an azimuth step (degrees; 0: 1 degree): at least 8; 0
 * after a diagnostic when the step is finer than 0.01 degree (36,000
 * vertices already put them a metre apart at 6,000 km). */
static size_t vertex_count(sm_ctx *ctx, double azimuth_step_deg)
{
    if (!(azimuth_step_deg > 0))
        azimuth_step_deg = 1;
    if (azimuth_step_deg < 0.01) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL,
                 "an azimuth step of %g degrees is finer than the 0.01 degrees a reach area "
                 "can use",
                 azimuth_step_deg);
        return 0;
    }
    size_t n = (size_t)ceil(360.0 / azimuth_step_deg);
    return n < 8 ? 8 : n;
}

char *sm_reach_geojson(sm_ctx *ctx, double lon, double lat, double radius_km,
                       double azimuth_step_deg, const char *properties_json)
{
    if (!isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 ||
        !(radius_km > 0)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL,
                 "a reach circle needs lon in [-180, 180], lat in [-90, 90] and a radius > 0");
        return NULL;
    }
    size_t n = vertex_count(ctx, azimuth_step_deg);
    if (n == 0)
        return NULL;
    double *radii = malloc(n * sizeof(*radii));
    if (radii == NULL) {
        sm__nomem(ctx, NULL, -1, NULL, NULL);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        radii[i] = radius_km;
    OGRGeometryH g = star_geometry(lon, lat, radii, n);
    free(radii);
    if (g == NULL) {
        sm__nomem(ctx, NULL, -1, NULL, NULL);
        return NULL;
    }
    char *opts[] = {(char *)(uintptr_t) "COORDINATE_PRECISION=6", NULL};
    char *geom = OGR_G_ExportToJsonEx(g, opts);
    OGR_G_DestroyGeometry(g);
    if (geom == NULL) {
        sm__nomem(ctx, NULL, -1, NULL, NULL);
        return NULL;
    }
    const char *props = properties_json ? properties_json : "{}";
    size_t len = strlen(geom) + strlen(props) + 128;
    char *out = malloc(len);
    if (out == NULL)
        sm__nomem(ctx, NULL, -1, NULL, NULL);
    else
        snprintf(out, len,
                 "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
                 "\"properties\": %s, \"geometry\": %s}]}\n",
                 props, geom);
    CPLFree(geom);
    return out;
}

/* ---- the reach of an aircraft (SPEC §3 `reach`) -------------------------- */

/* The sortie route through a point r km from F at azimuth az (km). */
static double route_at(const sm_reach_options *o, double base_to_from, double az, double r,
                       double R)
{
    double slon, slat;
    sm__geod_direct(o->lon, o->lat, az, r, &slon, &slat);
    double back = fmax(0.0, sm__geod_distance_km(o->base_lon, o->base_lat, slon, slat) - R);
    return base_to_from + fmax(0.0, r - R) + back;
}

/* The farthest r (km) along azimuth az within the sortie limit, at most
 * rmax: the route is not monotone within the weapon's range of F (the way
 * back may shorten), so the ray is sampled, then the last crossing
 * bisected to a metre. */
static double sortie_radius(const sm_reach_options *o, double base_to_from, double az, double rmax,
                            double R, double limit)
{
    if (route_at(o, base_to_from, az, rmax, R) <= limit)
        return rmax;
    const int steps = 256;
    double lo = -1;
    for (int k = steps; k >= 0; k--) {
        double r = rmax * k / steps;
        if (route_at(o, base_to_from, az, r, R) <= limit) {
            lo = r;
            break;
        }
    }
    if (lo < 0)
        return 0;
    double hi = fmin(rmax, lo + rmax / steps);
    while (hi - lo > 0.001) {
        double mid = (lo + hi) / 2;
        if (route_at(o, base_to_from, az, mid, R) <= limit)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void sm_reach_options_init(sm_reach_options *o)
{
    if (o == NULL)
        return;
    memset(o, 0, sizeof(*o));
    o->size = sizeof(*o);
    o->minutes = (double)NAN;
    o->time = (double)NAN;
}

sm_status sm_reach_compute(sm_ctx *ctx, const sm_reach_options *o, sm_reach_result *out)
{
    memset(out, 0, sizeof(*out));
    if (o != NULL && o->size != sizeof(sm_reach_options)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.size",
                 "is %zu, but this libstrikemap's sm_reach_options is %zu bytes: set it with "
                 "sm_reach_options_init() (a program built against another version must be "
                 "rebuilt)",
                 o->size, sizeof(sm_reach_options));
        return SM_ERR_USAGE;
    }
    if (o == NULL || o->type == NULL || !isfinite(o->lon) || !isfinite(o->lat) ||
        fabs(o->lon) > 180 || fabs(o->lat) > 90 ||
        (o->has_base && (!isfinite(o->base_lon) || !isfinite(o->base_lat) ||
                         fabs(o->base_lon) > 180 || fabs(o->base_lat) > 90)) ||
        (!isnan(o->minutes) && !(o->minutes >= 0 && o->minutes <= SM_MAX_TIME_UNCERTAINTY_MIN))) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL,
                 "a reach needs a type, lon in [-180, 180] and lat in [-90, 90] (for the base "
                 "too), and minutes from 0 to 527040 or NAN");
        return SM_ERR_USAGE;
    }
    sm_status st = sm_tables_load_defaults(ctx);
    if (st != SM_OK)
        return st;
    const sm_aircraft_type *t = sm_tables_find_aircraft(ctx, o->type);
    if (t == NULL && !(o->fallback_speed_kmh > 0)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.type",
                 "\"%s\" is not in the aircraft table; give a fallback speed "
                 "(options.fallback_speed_kmh)",
                 o->type);
        return SM_ERR_INVALID;
    }
    out->type = t;
    out->max_speed_kmh = t ? t->max_speed_kmh : o->fallback_speed_kmh;
    out->cruise_speed_kmh = t ? t->cruise_speed_kmh : (double)NAN;
    out->combat_radius_km = t ? t->combat_radius_km : (double)NAN;
    /* The weapon by the model's rule (model.c), for a claim-less aircraft
     * of this type, operator and date. */
    if (o->weapon != NULL && strcmp(o->weapon, "none") == 0) {
        out->basis = SM_WEAPON_NONE;
    } else if (o->weapon != NULL) {
        out->weapon = sm_tables_find_weapon(ctx, o->weapon);
        if (out->weapon == NULL) {
            sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.weapon",
                     "\"%s\" is not in the weapons table", o->weapon);
            return SM_ERR_INVALID;
        }
        out->basis = SM_WEAPON_AIRCRAFT;
    } else {
        sm_aircraft a;
        memset(&a, 0, sizeof(a));
        a.type_ref = t;
        a.operator_name = o->operator_name;
        out->weapon = sm_model_weapon(ctx, NULL, &a, o->time, &out->basis, NULL);
    }
    double R = out->weapon ? out->weapon->range_km : 0;
    double w = out->weapon ? out->weapon->speed_kmh : (double)NAN;
    out->top_km = out->cruise_km = out->sortie_km = (double)NAN;
    if (!isnan(o->minutes)) {
        out->top_km = sm_model_reach_km(out->max_speed_kmh, o->minutes, R, w);
        if (out->cruise_speed_kmh > 0)
            out->cruise_km = sm_model_reach_km(out->cruise_speed_kmh, o->minutes, R, w);
    }
    if (out->combat_radius_km > 0) {
        /* from a base at the starting point, out and back: radius + range */
        out->sortie_km = out->combat_radius_km + R;
    }
    return SM_OK;
}

char *sm_reach_area_geojson(sm_ctx *ctx, const sm_reach_options *o, double azimuth_step_deg)
{
    sm_reach_result r;
    if (sm_reach_compute(ctx, o, &r) != SM_OK)
        return NULL;
    size_t n = vertex_count(ctx, azimuth_step_deg);
    if (n == 0)
        return NULL;
    double R = r.weapon ? r.weapon->range_km : 0;
    /* The tiers drawn: top and cruise speed with minutes; the sortie alone
     * without. With a base, each is cut to what the sortie test allows. */
    typedef struct tier {
        const char *name;
        double radius_km, speed_kmh;
    } tier;
    tier tiers[2];
    int nt = 0;
    if (!isnan(o->minutes)) {
        tiers[nt++] = (tier){"top", r.top_km, r.max_speed_kmh};
        if (isfinite(r.cruise_km))
            tiers[nt++] = (tier){"cruise", r.cruise_km, r.cruise_speed_kmh};
    } else if (isfinite(r.sortie_km) && !o->has_base) {
        tiers[nt++] = (tier){"sortie", r.sortie_km, (double)NAN};
    } else if (o->has_base && r.combat_radius_km > 0) {
        tiers[nt++] = (tier){"sortie", 2 * r.combat_radius_km, (double)NAN};
    } else {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "options.minutes",
                 "the table has no combat radius for \"%s\"; give the minutes available", o->type);
        return NULL;
    }
    bool cut = o->has_base && r.combat_radius_km > 0;
    double limit = 2 * r.combat_radius_km;
    double base_to_from = cut ? sm__geod_distance_km(o->base_lon, o->base_lat, o->lon, o->lat) : 0;
    double *radii = malloc(n * sizeof(*radii));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = radii != NULL ? open_memstream(&buf, &len) : NULL;
    if (f == NULL) {
        free(radii);
        sm__nomem(ctx, NULL, -1, NULL, NULL);
        return NULL;
    }
    fputs("{\"type\": \"FeatureCollection\", \"features\": [", f);
    bool ok = true;
    for (int k = 0; k < nt && ok; k++) {
        double maxr = 0;
        for (size_t i = 0; i < n; i++) {
            radii[i] = cut ? sortie_radius(o, base_to_from, 360.0 * (double)i / (double)n,
                                           fmin(tiers[k].radius_km, SM_MAX_GEODESIC_KM), R, limit)
                           : tiers[k].radius_km;
            maxr = fmax(maxr, radii[i]);
        }
        if (!(maxr > 0))
            continue; /* nothing reachable (the start lies beyond the sortie) */
        OGRGeometryH g = star_geometry(o->lon, o->lat, radii, n);
        char *opts[] = {(char *)(uintptr_t) "COORDINATE_PRECISION=6", NULL};
        char *geom = g != NULL ? OGR_G_ExportToJsonEx(g, opts) : NULL;
        OGR_G_DestroyGeometry(g);
        if (geom == NULL) {
            ok = false;
            break;
        }
        fprintf(f, "%s{\"type\": \"Feature\", \"properties\": {\"tier\": \"%s\", ", k ? ", " : "",
                tiers[k].name);
        if (isfinite(tiers[k].speed_kmh))
            fprintf(f, "\"speed_kmh\": %.1f, ", tiers[k].speed_kmh);
        fprintf(f, "\"radius_km\": %.3f, \"cut_by_sortie\": %s}, \"geometry\": %s}", maxr,
                cut ? "true" : "false", geom);
        CPLFree(geom);
    }
    fputs("]}\n", f);
    free(radii);
    if (fclose(f) != 0 || !ok) {
        free(buf);
        sm__nomem(ctx, NULL, -1, NULL, NULL);
        return NULL;
    }
    return buf;
}
