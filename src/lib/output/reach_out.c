/*
 * reach_out.c: the reach area (strikemap/geodesy.h's sm_reach_area_geojson)
 * written as a file: GeoJSON as it comes, or KML and KMZ for Google Earth
 * through GDAL's LIBKML driver, each tier a polygon named and styled (top
 * speed #d55e00, cruise #e69f00, sortie #0072b2, filled at a quarter), the
 * tier's fields in its ExtendedData.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>

#include "output/output_internal.h"

static const char *tier_style(const char *tier)
{
    if (tier != NULL && strcmp(tier, "cruise") == 0)
        return "BRUSH(fc:#e69f0040);PEN(c:#e69f00,w:2px)";
    if (tier != NULL && strcmp(tier, "sortie") == 0)
        return "BRUSH(fc:#0072b240);PEN(c:#0072b2,w:2px)";
    return "BRUSH(fc:#d55e0040);PEN(c:#d55e00,w:2px)";
}

/* Copy the GeoJSON's features into a new LIBKML dataset at file. */
static sm_status copy_to_kml(sm_ctx *ctx, const char *shown, const char *src_name, const char *file,
                             size_t *count)
{
    const char *drivers[] = {"GeoJSON", NULL};
    GDALDatasetH src = sm__gdal_open(src_name, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL);
    GDALDriverH drv = sm__gdal_driver("LIBKML");
    GDALDatasetH dst = src != NULL && drv != NULL ? sm__gdal_create(drv, file) : NULL;
    OGRLayerH sl = src != NULL ? GDALDatasetGetLayer(src, 0) : NULL;
    OGRLayerH dl =
        dst != NULL && sl != NULL
            ? GDALDatasetCreateLayer(dst, "reach", OGR_L_GetSpatialRef(sl), wkbUnknown, NULL)
            : NULL;
    bool ok = dl != NULL;
    OGRFeatureDefnH sd = ok ? OGR_L_GetLayerDefn(sl) : NULL;
    for (int i = 0; ok && i < OGR_FD_GetFieldCount(sd); i++)
        ok = OGR_L_CreateField(dl, OGR_FD_GetFieldDefn(sd, i), TRUE) == OGRERR_NONE;
    OGRFieldDefnH name = OGR_Fld_Create("name", OFTString);
    ok = ok && OGR_L_CreateField(dl, name, TRUE) == OGRERR_NONE;
    OGR_Fld_Destroy(name);
    int tier_i = ok ? OGR_FD_GetFieldIndex(sd, "tier") : -1;
    int radius_i = ok ? OGR_FD_GetFieldIndex(sd, "radius_km") : -1;
    OGRFeatureH sf;
    while (ok && (sf = OGR_L_GetNextFeature(sl)) != NULL) {
        (*count)++;
        OGRFeatureH df = OGR_F_Create(OGR_L_GetLayerDefn(dl));
        ok = OGR_F_SetFrom(df, sf, TRUE) == OGRERR_NONE;
        const char *tier = tier_i >= 0 ? OGR_F_GetFieldAsString(sf, tier_i) : "reach";
        char label[96];
        snprintf(label, sizeof(label), "%s: %.0f km", tier,
                 radius_i >= 0 ? OGR_F_GetFieldAsDouble(sf, radius_i) : 0.0);
        OGR_F_SetFieldString(df, OGR_FD_GetFieldCount(sd), label);
        OGR_F_SetStyleString(df, tier_style(tier));
        ok = ok && OGR_L_CreateFeature(dl, df) == OGRERR_NONE;
        OGR_F_Destroy(df);
        OGR_F_Destroy(sf);
    }
    if (src != NULL)
        GDALClose(src);
    if (dst != NULL) {
        CPLErrorReset();
        GDALClose(dst);
        ok = ok && CPLGetLastErrorType() < CE_Failure;
    }
    if (!ok) {
        sm__diag(ctx, SM_SEV_ERROR, shown, -1, NULL, NULL, "cannot be written%s",
                 drv == NULL ? ": GDAL has no LIBKML driver" : "");
        return SM_ERR_IO;
    }
    return SM_OK;
}

sm_status sm_reach_write(sm_ctx *ctx, const sm_reach_options *options, double azimuth_step_deg,
                         const char *path)
{
    if (ctx == NULL || path == NULL)
        return SM_ERR_USAGE;
    sm_format format = SM_FORMAT_GEOJSON;
    const char *ext = sm__path_ext(path);
    bool json = sm__path_is_stdout(path) || (ext != NULL && sm__str_ieq(ext, ".json"));
    if (!json && sm_format_from_path(path, &format) <= 0) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "path",
                 "the reach area is written as .geojson, .json, .kml or .kmz");
        return SM_ERR_USAGE;
    }
    if (!json && format != SM_FORMAT_GEOJSON && format != SM_FORMAT_KML &&
        format != SM_FORMAT_KMZ) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "path",
                 "the reach area is written as .geojson, .json, .kml or .kmz, not %s",
                 sm_format_name(format));
        return SM_ERR_USAGE;
    }
    sm_reach_result r;
    sm_status st = sm_reach_compute(ctx, options, &r);
    if (st != SM_OK)
        return st;
    char *area = sm_reach_area_geojson(ctx, options, azimuth_step_deg);
    if (area == NULL)
        return SM_ERR_INVALID; /* a diagnostic says why (out of memory included) */
    if (json || format == SM_FORMAT_GEOJSON) {
        st = sm_file_write(ctx, path, area, strlen(area));
        free(area);
        return st;
    }
    /* the GeoJSON read from memory, copied by OGR into the temporary */
    char src[64];
    snprintf(src, sizeof(src), "/vsimem/sm-reach-%p.geojson", (void *)area);
    VSILFILE *mem = VSIFileFromMemBuffer(src, (GByte *)area, (vsi_l_offset)strlen(area), FALSE);
    if (mem == NULL) {
        free(area);
        return sm__nomem(ctx, path, -1, NULL, NULL);
    }
    VSIFCloseL(mem);
    sm__out o;
    st = sm__out_open(ctx, &o, path, sm__format_info_get(format)->exts[0]);
    if (st == SM_OK && o.direct) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "path", "KML is written to a file");
        st = SM_ERR_USAGE;
    }
    if (st == SM_OK) {
        /* OGR creates the file itself (the name stays registered, so a
         * signal still removes it) */
        fclose(o.f);
        o.f = NULL;
        unlink(o.tmp);
        size_t count = 0;
        sm__cpl_capture_begin();
        st = copy_to_kml(ctx, path, src, o.tmp, &count);
        sm__cpl_capture_end();
        if (st == SM_OK) /* read back: LIBKML does not say when a write fails */
            st = sm__ogr_verify(ctx, path, o.tmp, "LIBKML", count);
        st = sm__out_close(ctx, &o, st);
        if (st == SM_OK)
            st = sm__out_commit(ctx, &o);
    }
    sm__out_abort(&o);
    VSIUnlink(src);
    free(area);
    return st;
}
