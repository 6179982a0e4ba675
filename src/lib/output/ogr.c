/*
 * ogr.c: the verdict formats GDAL's vector drivers write (GeoJSON,
 * GeoPackage, KML, KMZ; the driver is named in formats.c): one layer of
 * LineStrings along the geodesic from each fix or launcher to its strike,
 * with the fields of fields.c as attributes. A finished file is read back
 * before it replaces anything: a driver that lost a write (a full disk)
 * without saying so is caught. pg.c writes PostGIS with this layer and
 * these rows (sm__ogr_layer_create, sm__ogr_add).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "output/output_internal.h"

/* "cannot be written" with GDAL's message, which can quote a whole SQL
 * script: then its first and last 100 bytes (where SQLite says why), each
 * cut at a UTF-8 character's start. */
static void ogr_fail(sm_writer *w, const char *msg)
{
    /* drivers seldom pass errno on: a full file system is named when it
     * is the case */
    struct statvfs sv;
    const char *why =
        !w->t.direct && w->t.tmp != NULL && statvfs(w->t.tmp, &sv) == 0 && sv.f_bavail == 0
            ? strerror(ENOSPC)
            : NULL;
    if (why != NULL)
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "cannot be written: %s", why);
    if (msg == NULL) {
        if (why == NULL)
            sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "cannot be written");
        return;
    }
    size_t n = strlen(msg);
    if (n <= 240) {
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "%s%s",
                 why ? "GDAL: " : "cannot be written: ", msg);
        return;
    }
    size_t head = 100, tail = n - 100;
    while (head > 0 && ((unsigned char)msg[head] & 0xC0) == 0x80)
        head--;
    while (tail < n && ((unsigned char)msg[tail] & 0xC0) == 0x80)
        tail++;
    sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "%s%.*s [...] %s",
             why ? "GDAL: " : "cannot be written: ", (int)head, msg, msg + tail);
}

/* Whether the format has DateTime fields (GeoJSON, GeoPackage), or is KML
 * (kml.c adds what Google Earth shows). */
static bool time_fields(const sm_writer *w)
{
    return w->format != SM_FORMAT_KML && w->format != SM_FORMAT_KMZ;
}

static sm_status ogr_open(sm_writer *w)
{
    const char *driver = w->fi->driver;
    GDALDriverH drv = sm__gdal_driver(driver);
    if (drv == NULL) {
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "GDAL has no %s driver", driver);
        return SM_ERR_IO;
    }
    sm__cpl_capture_begin();
    w->ds = sm__gdal_create(drv, w->t.direct ? "/vsistdout/" : w->t.tmp);
    const char *msg = sm__cpl_capture_end();
    if (w->ds == NULL) {
        ogr_fail(w, msg);
        return SM_ERR_IO;
    }
    const char *geojson_opts[] = {"RFC7946=YES", "WRITE_NAME=YES", NULL};
    return sm__ogr_layer_create(w, SM__LAYER_NAME,
                                w->format == SM_FORMAT_GEOJSON ? (char **)(uintptr_t)geojson_opts
                                                               : NULL);
}

sm_status sm__ogr_layer_create(sm_writer *w, const char *name, char **options)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRSetWellKnownGeogCS(srs, "WGS84");
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    sm__cpl_capture_begin();
    w->layer = GDALDatasetCreateLayer(w->ds, name, srs, wkbLineString, options);
    OSRDestroySpatialReference(srs);
    bool ok = w->layer != NULL;
    for (int i = 0; i < X_COUNT && ok; i++) {
        static const OGRFieldType types[] = {
            [F_STR] = OFTString,   [F_NUM] = OFTReal,      [F_INT] = OFTInteger,
            [F_BOOL] = OFTInteger, [F_TIME] = OFTDateTime,
        };
        OGRFieldType t = types[sm__fields[i].kind];
        /* KML has no DateTime in its ExtendedData (LIBKML drops the field):
         * the ISO 8601 text, as in JSON and CSV */
        if (t == OFTDateTime && !time_fields(w))
            t = OFTString;
        OGRFieldDefnH fd = OGR_Fld_Create(sm__fields[i].name, t);
        if (sm__fields[i].kind == F_BOOL)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        ok = OGR_L_CreateField(w->layer, fd, TRUE) == OGRERR_NONE;
        OGR_Fld_Destroy(fd);
    }
    if (ok && !time_fields(w))
        ok = sm__kml_fields(w->layer);
    if (ok && w->format == SM_FORMAT_GPKG)
        ok = OGR_L_StartTransaction(w->layer) == OGRERR_NONE;
    const char *msg = sm__cpl_capture_end();
    if (!ok) {
        ogr_fail(w, msg);
        return SM_ERR_IO;
    }
    return SM_OK;
}

/* The fix-to-strike line, along the geodesic (a vertex every 20 km at most)
 * so that it lies right in any projection; RFC 7946 output splits it at the
 * antimeridian. */
static OGRGeometryH pair_line(const sm_pair *p, const sm_claims *claims)
{
    const sm_strike *s = sm_claims_strike(claims, p->strike);
    sm__party a;
    sm__pair_party(p, claims, &a);
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
    if (!a.has_pos)
        return g;
    const sm_fix fix = {a.lon, a.lat, {0}}, *f = &fix;
    double az;
    double d = sm_geodesic_inverse(f->lon, f->lat, s->lon, s->lat, &az);
    int n = (int)ceil(d / 20.0);
    n = n < 1 ? 1 : (n > 500 ? 500 : n);
    double prev = f->lon;
    for (int i = 0; i <= n; i++) {
        double lon, lat;
        sm__geod_direct(f->lon, f->lat, az, d * i / n, &lon, &lat);
        if (i == n) {
            lon = s->lon;
            lat = s->lat;
        }
        while (lon - prev > 180)
            lon -= 360;
        while (lon - prev < -180)
            lon += 360;
        prev = lon;
        OGR_G_AddPoint_2D(g, lon, lat);
    }
    return g;
}

/* An instant as OGR's DateTime in the claim's offset (OGR's TZFlag: 100 +
 * quarter hours east of UTC; an offset OGR cannot hold is written as UTC). */
static void set_time(const sm_writer *w, OGRFeatureH f, int i, const value *v)
{
    /* GeoPackage holds UTC only (its DateTime is ISO 8601 with Z) */
    int offset = w->format == SM_FORMAT_GPKG || v->offset_min % 15 != 0 ? 0 : v->offset_min;
    time_t t = (time_t)floor(v->num + offset * 60.0);
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL) {
        OGR_F_SetFieldString(f, i, v->str);
        return;
    }
    int tz = 100 + offset / 15;
    OGR_F_SetFieldDateTimeEx(f, i, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                             tm.tm_min, (float)tm.tm_sec, tz);
}

/* One pair as a feature. */
sm_status sm__ogr_add(sm_writer *w, const sm_pair *p)
{
    row r;
    sm__fill_row(&r, p, w->claims);
    if (r.nomem) {
        sm__free_row(&r);
        return sm__nomem(w->ctx, w->path, -1, NULL, "reasons");
    }
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(w->layer));
    for (int i = 0; i < X_COUNT; i++) {
        const value *v = &r.v[i];
        if (v->null)
            OGR_F_SetFieldNull(f, i);
        else if (sm__fields[i].kind == F_TIME && time_fields(w))
            set_time(w, f, i, v);
        else if (sm__fields[i].kind == F_STR || sm__fields[i].kind == F_TIME)
            OGR_F_SetFieldString(f, i, v->str); /* KML's times are text */
        else if (sm__fields[i].kind == F_NUM) {
            double scale = pow(10, sm__fields[i].decimals);
            /* past 2^52 a double has no decimals left to round */
            double x =
                fabs(v->num * scale) < 4503599627370496.0 ? round(v->num * scale) / scale : v->num;
            OGR_F_SetFieldDouble(f, i, x);
        } else
            OGR_F_SetFieldInteger(f, i, (int)v->num);
    }
    if (!time_fields(w) && !sm__kml_feature(f, p, w->claims, &r)) {
        OGR_F_Destroy(f);
        sm__free_row(&r);
        return sm__nomem(w->ctx, w->path, -1, NULL, "name");
    }
    OGR_F_SetGeometryDirectly(f, pair_line(p, w->claims));
    OGRErr err = OGR_L_CreateFeature(w->layer, f);
    OGR_F_Destroy(f);
    sm__free_row(&r);
    if (err != OGRERR_NONE) {
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "cannot write a feature");
        return SM_ERR_IO;
    }
    w->count++;
    return SM_OK;
}

/* Read the finished file back: a driver that lost a write (a full disk)
 * without saying so leaves a file that does not open or lacks features. */
sm_status sm__ogr_verify(sm_ctx *ctx, const char *shown, const char *file, const char *driver,
                         size_t count)
{
    const char *drivers[] = {driver, NULL};
    sm__cpl_capture_begin();
    GDALDatasetH ds = sm__gdal_open(file, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL);
    GIntBig n = -1;
    if (ds != NULL) {
        OGRLayerH l = GDALDatasetGetLayerCount(ds) > 0 ? GDALDatasetGetLayer(ds, 0) : NULL;
        n = l != NULL ? OGR_L_GetFeatureCount(l, TRUE) : (count == 0 ? 0 : -1);
        GDALClose(ds);
    }
    sm__cpl_capture_end();
    if (n != (GIntBig)count) {
        /* the driver said nothing; a full file system is the likely cause,
         * and is named when it is the case */
        struct statvfs sv;
        bool full = statvfs(file, &sv) == 0 && sv.f_bavail == 0;
        sm__diag(ctx, SM_SEV_ERROR, shown, -1, NULL, NULL,
                 "cannot be written: %s (read back, the file holds %lld of %zu features)",
                 full ? strerror(ENOSPC) : "the driver lost data", n < 0 ? 0LL : (long long)n,
                 count);
        return SM_ERR_IO;
    }
    /* flushed to the disk before it replaces anything */
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        sm__diag(ctx, SM_SEV_ERROR, shown, -1, NULL, NULL, "cannot be written: %s",
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return SM_ERR_IO;
    }
    close(fd);
    return SM_OK;
}

/* Commit the layer, close the dataset, and read the file back. */
static sm_status ogr_finish(sm_writer *w, const sm_check_summary *summary)
{
    (void)summary;
    sm_status st = SM_OK;
    sm__cpl_capture_begin();
    if (w->format == SM_FORMAT_GPKG && OGR_L_CommitTransaction(w->layer) != OGRERR_NONE)
        st = SM_ERR_IO;
    CPLErrorReset();
    GDALClose(w->ds);
    if (CPLGetLastErrorType() >= CE_Failure)
        st = SM_ERR_IO;
    const char *msg = sm__cpl_capture_end();
    if (msg != NULL)
        st = SM_ERR_IO;
    w->ds = NULL;
    if (st != SM_OK)
        ogr_fail(w, msg);
    else if (w->t.direct && (fflush(stdout) != 0 || ferror(stdout))) {
        sm__diag(w->ctx, SM_SEV_ERROR, "standard output", -1, NULL, NULL, "cannot be written: %s",
                 strerror(errno));
        st = SM_ERR_IO;
    } else if (!w->t.direct)
        st = sm__ogr_verify(w->ctx, w->path, w->t.tmp, w->fi->driver, w->count);
    return st;
}

static void ogr_abort(sm_writer *w)
{
    if (w->ds != NULL) {
        sm__cpl_capture_begin();
        GDALClose(w->ds);
        sm__cpl_capture_end();
        w->ds = NULL;
    }
}

const sm__writer_ops sm__ogr_writer = {ogr_open, sm__ogr_add, NULL, NULL, ogr_finish, ogr_abort};
