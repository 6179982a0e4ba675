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

#include "internal.h"

/* Longest geodesic on WGS84 (half the meridian), km: a circle this large
 * covers the whole Earth. */
#define SM_MAX_GEODESIC_KM 20003.93

void sm_geodesic_circle(double lon, double lat, double radius_km, size_t n, double *out)
{
    double prev = lon;
    for (size_t i = 0; i < n; i++) {
        double az = 360.0 * (double)i / (double)n, plon, plat;
        sm__geod_direct(lon, lat, az, radius_km, &plon, &plat);
        while (plon - prev > 180)
            plon -= 360;
        while (plon - prev < -180)
            plon += 360;
        prev = plon;
        out[2 * i] = plon;
        out[2 * i + 1] = plat;
    }
}

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

/* The circle as a geometry in [-180, 180] x [-90, 90] (Polygon or
 * MultiPolygon), or NULL. Caller destroys. */
OGRGeometryH sm__reach_geometry(double lon, double lat, double radius_km, size_t n);
OGRGeometryH sm__reach_geometry(double lon, double lat, double radius_km, size_t n)
{
    if (radius_km >= SM_MAX_GEODESIC_KM)
        return box(-180, -90, 180, 90);
    double *xy = malloc(2 * n * sizeof(*xy));
    if (xy == NULL)
        return NULL;
    sm_geodesic_circle(lon, lat, radius_km, n, xy);
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
        /* the pole inside is the one nearer than the radius */
        double pole = sm__geod_distance_km(lon, lat, 0, 90) < radius_km ? 90 : -90;
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
                        OGR_G_SetPoint_2D(rg, v, OGR_G_GetX(rg, v) - 360 * k,
                                          OGR_G_GetY(rg, v));
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

char *sm_reach_geojson(sm_ctx *ctx, double lon, double lat, double radius_km,
                       double azimuth_step_deg, const char *properties_json)
{
    if (!isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 || lat < -90 ||
        lat > 90 || !(radius_km > 0)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL,
                 "a reach circle needs lon in [-180, 180], lat in [-90, 90] and a radius > 0");
        return NULL;
    }
    if (!(azimuth_step_deg > 0))
        azimuth_step_deg = 1;
    if (azimuth_step_deg < 0.01) {
        /* 36,000 vertices already put them a metre apart at 6,000 km. */
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL,
                 "an azimuth step of %g degrees is finer than the 0.01 degrees a reach "
                 "circle can use",
                 azimuth_step_deg);
        return NULL;
    }
    size_t n = (size_t)ceil(360.0 / azimuth_step_deg);
    if (n < 8)
        n = 8;
    OGRGeometryH g = sm__reach_geometry(lon, lat, radius_km, n);
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
