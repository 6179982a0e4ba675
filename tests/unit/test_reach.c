/*
 * test_reach.c: geodesic circles. Every vertex must lie R from the centre
 * by PROJ's `geod -I` (1 m); the GeoJSON polygon of a circle across the
 * antimeridian is split into parts on both sides, and one round a pole
 * contains the pole.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gdal.h>
#include <ogr_api.h>

#include "strikemap/strikemap.h"
#include "../test.h"

/* Distances (km) from (lon, lat) to each of n points, by one `geod -I` run. */
static void geod_batch(double lon, double lat, const double *xy, size_t n, double *out)
{
    char in[] = "/tmp/sm-reach-XXXXXX";
    int fd = mkstemp(in);
    FILE *f = fdopen(fd, "w");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%.12f %.12f %.12f %.12f\n", lat, lon, xy[2 * i + 1], xy[2 * i]);
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "geod +ellps=WGS84 -I +units=km -f %%.10f -F %%.6f %s", in);
    FILE *p = popen(cmd, "r");
    for (size_t i = 0; i < n; i++) {
        double a, b;
        if (p == NULL || fscanf(p, "%lf %lf %lf", &a, &b, &out[i]) != 3)
            out[i] = (double)NAN;
    }
    if (p)
        pclose(p);
    unlink(in);
}

static void check_circle(double lon, double lat, double r)
{
    enum { N = 72 };
    double xy[2 * N], d[N];
    sm_geodesic_circle(lon, lat, r, N, xy);
    geod_batch(lon, lat, xy, N, d);
    for (size_t i = 0; i < N; i++)
        CHECK_NEAR(d[i], r, 0.001, "km");
}

/* The reach GeoJSON read back with OGR. */
static OGRGeometryH reach_geometry(sm_ctx *ctx, double lon, double lat, double r)
{
    char *json = sm_reach_geojson(ctx, lon, lat, r, 1, NULL);
    CHECK(json != NULL);
    if (json == NULL)
        return NULL;
    OGRGeometryH geom = NULL;
    char path[] = "/tmp/sm-reach-json-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs(json, f);
    fclose(f);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    CHECK(ds != NULL);
    if (ds != NULL) {
        OGRLayerH l = GDALDatasetGetLayer(ds, 0);
        OGRFeatureH feat = OGR_L_GetNextFeature(l);
        if (feat != NULL) {
            geom = OGR_G_Clone(OGR_F_GetGeometryRef(feat));
            OGR_F_Destroy(feat);
        }
        GDALClose(ds);
    }
    unlink(path);
    free(json);
    return geom;
}

static bool covers(OGRGeometryH g, double lon, double lat)
{
    OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(p, 0, lon, lat);
    bool in = OGR_G_Intersects(g, p);
    OGR_G_DestroyGeometry(p);
    return in;
}

int main(void)
{
    sm_ctx *ctx = sm_ctx_new();
    GDALAllRegister();               /* the test reads the GeoJSON with GDAL itself */
    check_circle(37.16, 36.2, 250);  /* Aleppo, regional */
    check_circle(179.5, -17.0, 400); /* across the antimeridian */
    check_circle(10.0, 85.0, 1200);  /* round the north pole */
    check_circle(0, 0, 5000);        /* large */

    /* Antimeridian: parts on both sides, each within [-180, 180], and none
     * spanning the map (no stripe). */
    OGRGeometryH g = reach_geometry(ctx, 179.5, -17.0, 400);
    CHECK(g != NULL);
    if (g) {
        CHECK(wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiPolygon);
        CHECK(OGR_G_GetGeometryCount(g) == 2);
        OGREnvelope e;
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            OGR_G_GetEnvelope(OGR_G_GetGeometryRef(g, i), &e);
            CHECK(e.MaxX - e.MinX < 10);
            CHECK(e.MinX >= -180 && e.MaxX <= 180);
        }
        CHECK(covers(g, 179.5, -17.0));
        CHECK(covers(g, -179.0, -17.0)); /* 55 km east, across the line */
        CHECK(!covers(g, 0, -17.0));
        OGR_G_DestroyGeometry(g);
    }
    /* Round a pole: the polygon contains the pole and every longitude near
     * it, but not the far side of the circle's latitude band. */
    g = reach_geometry(ctx, 10.0, 85.0, 1200);
    CHECK(g != NULL);
    if (g) {
        CHECK(covers(g, 0, 89.99));
        CHECK(covers(g, -170, 88));
        CHECK(covers(g, 170, 88));
        CHECK(!covers(g, 10, 70));
        OGREnvelope e;
        OGR_G_GetEnvelope(g, &e);
        CHECK_NEAR(e.MaxY, 90, 1e-9, "deg");
        OGR_G_DestroyGeometry(g);
    }
    /* Larger than a hemisphere: everything but a cap round the antipode. */
    g = reach_geometry(ctx, 0, 0, 15000);
    if (g) {
        CHECK(covers(g, 0, 0));
        CHECK(covers(g, 0, 89));
        CHECK(covers(g, 0, -89));
        CHECK(!covers(g, 180, 0));
        CHECK(!covers(g, -179.5, 0));
        OGR_G_DestroyGeometry(g);
    }
    sm_ctx_free(ctx);
    return sm_test_report("test_reach");
}
