/*
 * land.c: "is this point on land?" against the basemap's land polygons
 * (land.shp), through GEOS prepared geometries as GDAL exposes them. Used to
 * flag strikes at sea, the usual sign of swapped coordinates.
 */
#include <stdio.h>
#include <stdlib.h>

#include <gdal.h>
#include <ogr_api.h>

#include "geo/geo.h"

typedef struct land_part {
    OGRGeometryH geom;
    OGRPreparedGeometryH prepared;
    OGREnvelope env;
} land_part;

struct sm__land {
    land_part *parts;
    size_t n;
    OGRGeometryH probe; /* a reusable point */
};

sm_status sm__land_open(sm_ctx *ctx, const char *dir, sm__land **out)
{
    *out = NULL;
    char *path = sm__strfmt("%s/land.shp", dir);
    if (path == NULL)
        return sm__nomem(ctx, dir, -1, NULL, NULL);
    sm__cpl_capture_begin();
    GDALDatasetH ds = sm__gdal_open(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL);
    sm__cpl_capture_end();
    if (ds == NULL) {
        sm__diag(ctx, SM_SEV_WARNING, path, -1, NULL, NULL,
                 "no land polygons here, so strikes at sea (swapped coordinates) are not "
                 "flagged");
        free(path);
        return SM_OK;
    }
    sm__land *land = calloc(1, sizeof(*land));
    bool nomem = land == NULL;
    sm__vec parts;
    sm__vec_init(&parts, sizeof(land_part));
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH f;
    OGR_L_ResetReading(layer);
    for (f = land ? OGR_L_GetNextFeature(layer) : NULL; f != NULL;
         f = OGR_L_GetNextFeature(layer)) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        OGRwkbGeometryType t = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbUnknown;
        int n = t == wkbMultiPolygon ? OGR_G_GetGeometryCount(g) : (t == wkbPolygon ? 1 : 0);
        /* One prepared geometry a polygon, behind its envelope: most
         * queries end at the envelope test. */
        for (int i = 0; i < n; i++) {
            land_part *p = sm__vec_push(&parts);
            if (p == NULL) {
                nomem = true;
                break;
            }
            p->geom = OGR_G_Clone(t == wkbMultiPolygon ? OGR_G_GetGeometryRef(g, i) : g);
            if (p->geom == NULL) {
                parts.len--;
                nomem = true;
                break;
            }
            OGR_G_GetEnvelope(p->geom, &p->env);
            p->prepared = NULL; /* built on first use */
        }
        OGR_F_Destroy(f);
        if (nomem)
            break;
    }
    GDALClose(ds);
    if (land != NULL) {
        land->parts = parts.data;
        land->n = parts.len;
        land->probe = OGR_G_CreateGeometry(wkbPoint);
        nomem = nomem || land->probe == NULL;
    } else {
        sm__vec_free(&parts);
    }
    if (nomem) {
        /* Half the land would flag harbour towns as at sea: all or none. */
        sm__land_close(land);
        sm_status st = sm__nomem(ctx, path, -1, NULL, NULL);
        free(path);
        return st;
    }
    free(path);
    *out = land;
    return SM_OK;
}

static bool contains_exact(sm__land *land, double lon, double lat);

/* On land, or within 3 km of it: the 1:10m coastline is simplified, and a
 * harbour town must not be flagged as "at sea". */
bool sm__land_contains(sm__land *land, double lon, double lat)
{
    if (contains_exact(land, lon, lat))
        return true;
    for (int az = 0; az < 360; az += 45) {
        double plon, plat;
        sm__geod_direct(lon, lat, az, 3.0, &plon, &plat);
        if (contains_exact(land, plon, plat))
            return true;
    }
    return false;
}

static bool contains_exact(sm__land *land, double lon, double lat)
{
    OGR_G_SetPoint_2D(land->probe, 0, lon, lat);
    for (size_t i = 0; i < land->n; i++) {
        land_part *p = &land->parts[i];
        if (lon < p->env.MinX || lon > p->env.MaxX || lat < p->env.MinY || lat > p->env.MaxY)
            continue;
        if (p->prepared == NULL)
            p->prepared = OGRCreatePreparedGeometry(p->geom);
        if (p->prepared != NULL ? OGRPreparedGeometryIntersects(p->prepared, land->probe)
                                : OGR_G_Intersects(p->geom, land->probe))
            return true;
    }
    return false;
}

void sm__land_close(sm__land *land)
{
    if (land == NULL)
        return;
    for (size_t i = 0; i < land->n; i++) {
        if (land->parts[i].prepared != NULL)
            OGRDestroyPreparedGeometry(land->parts[i].prepared);
        OGR_G_DestroyGeometry(land->parts[i].geom);
    }
    free(land->parts);
    OGR_G_DestroyGeometry(land->probe);
    free(land);
}
