/*
 * claims/load.c: a claim file opened through GDAL/OGR (a path, standard
 * input, anything GDALOpenEx takes), its layers prepared (property columns,
 * unknown columns, CRS), and each feature read into the claim set.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "claims/profiles.h"

/* Names that OGR itself adds or that carry coordinates in CSV files; they
 * are not strikemap properties but are not the user's mistake either. */
static const char *const g_ignored_fields[] = {
    "lon", "lat", "longitude", "latitude", "x", "y", "lng", "long", "Name", "Description", "fid",
    "ogc_fid",
    /* added by the KML and LIBKML drivers */
    "timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude", "visibility", "drawOrder",
    "icon", "snippet", NULL};

/* ---- files -------------------------------------------------------------- */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && sm__str_ieq(s + n - m, suffix);
}

/* Field indices of this layer, a warning for each field strikemap does not
 * know, and a transformation when the layer is not in WGS84 lon/lat. */
/* A CSV's point comes from its lon/lat columns (open_source's
 * X_POSSIBLE_NAMES): two columns that could both be the longitude ("long"
 * and "lon") or the latitude would leave OGR to pick one silently, so that
 * is an error naming both. */
static bool one_xy_column(reader *r, OGRFeatureDefnH defn, const char *found[2])
{
    static const char *const xs[] = {"lon", "longitude", "lng", "long", "x", NULL};
    static const char *const ys[] = {"lat", "latitude", "y", NULL};
    static const char *const *const sets[] = {xs, ys};
    bool ok = true;
    for (int k = 0; k < 2; k++) {
        const char *first = NULL;
        for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
            const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
            bool is = false;
            for (size_t j = 0; sets[k][j] != NULL && !is; j++)
                is = sm__str_ieq(name, sets[k][j]);
            if (!is)
                continue;
            if (first != NULL) {
                sm__diag(r->ctx, SM_SEV_ERROR, r->file, -1, NULL, name,
                         "a second %s column beside \"%s\"; expected one (remove or rename the "
                         "other, or read the table with --map)",
                         k == 0 ? "longitude" : "latitude", first);
                ok = false;
            } else {
                first = name;
            }
        }
        found[k] = first;
    }
    if (!ok)
        r->failed = true;
    return ok;
}

static bool prepare_layer(reader *r, OGRLayerH layer)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const char *xy[2] = {NULL, NULL};
    if (r->csv && !one_xy_column(r, defn, xy))
        return false;
    /* OGR makes the point from the lon/lat columns; as fields, OGR would
     * parse them a second time (a tenth of the reading): they are ignored
     * while every row has its point, and read only to say what is wrong
     * with a row that has none (read_layer). */
    r->xy_ignored = false;
    if (xy[0] != NULL && xy[1] != NULL) {
        r->xy_names[0] = xy[0];
        r->xy_names[1] = xy[1];
        r->xy_names[2] = NULL;
        r->xy_ignored = OGR_L_SetIgnoredFields(layer, r->xy_names) == OGRERR_NONE;
    }
    for (int p = 0; p < P_COUNT; p++)
        r->idx[p] = OGR_FD_GetFieldIndex(defn, sm__props[p].name);
    int nf = OGR_FD_GetFieldCount(defn);
    OGRFieldType *ft = realloc(r->ftype, (size_t)(nf > 0 ? nf : 1) * sizeof(*ft));
    if (ft == NULL) {
        sm__nomem(r->ctx, r->file, -1, NULL, "fields");
        r->nomem = true;
        return false;
    }
    r->ftype = ft;
    r->n_fields = nf;
    for (int i = 0; i < nf; i++)
        ft[i] = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i));
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        bool known = false;
        for (int p = 0; p < P_COUNT && !known; p++)
            known = strcmp(name, sm__props[p].name) == 0;
        for (int k = 0; g_ignored_fields[k] && !known; k++)
            known = sm__str_ieq(name, g_ignored_fields[k]);
        if (!known && sm__utf8_invalid_at(name) != (size_t)-1) {
            /* The name itself cannot be quoted: the message would not be
             * valid text (a fuzzing finding). */
            sm__diag(r->ctx, SM_SEV_WARNING, r->file, -1, NULL, NULL,
                     "column %d has a name that is not valid UTF-8 (byte %zu); it is not a "
                     "strikemap property and is ignored",
                     i + 1, sm__utf8_invalid_at(name));
        } else if (!known) {
            const char *best = NULL;
            unsigned bd = 3;
            for (int p = 0; p < P_COUNT; p++) {
                unsigned d = sm__edit_distance(name, sm__props[p].name);
                size_t ln = strlen(name), lp = strlen(sm__props[p].name);
                /* "attributed" for "attributed_to", "time_unc" for ... */
                if (ln >= 4 && ln < lp && strncasecmp(name, sm__props[p].name, ln) == 0)
                    d = 1;
                if (d < bd) {
                    bd = d;
                    best = sm__props[p].name;
                }
            }
            if (best != NULL)
                sm__diag(r->ctx, SM_SEV_WARNING, r->file, -1, NULL, name,
                         "not a strikemap property (did you mean \"%s\"?); ignored", best);
            else
                sm__diag(r->ctx, SM_SEV_WARNING, r->file, -1, NULL, name,
                         "not a strikemap property; ignored");
        }
    }
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(layer);
    r->ct = NULL;
    if (src != NULL) {
        OGRSpatialReferenceH s = OSRClone(src);
        OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(NULL);
        OSRSetWellKnownGeogCS(wgs84, "WGS84");
        OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
        const char *opts[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=NO", NULL};
        if (!OSRIsSameEx(s, wgs84, opts)) {
            r->ct = OCTNewCoordinateTransformation(s, wgs84);
            if (r->ct == NULL)
                sm__diag(r->ctx, SM_SEV_ERROR, r->file, -1, NULL, NULL,
                         "layer \"%s\": its CRS cannot be transformed to WGS84 lon/lat",
                         OGR_L_GetName(layer));
        }
        bool failed = !OSRIsSameEx(s, wgs84, opts) && r->ct == NULL;
        OSRDestroySpatialReference(s);
        OSRDestroySpatialReference(wgs84);
        if (failed) {
            r->failed = true;
            return false;
        }
    }
    return true;
}

/* ---- standard input ------------------------------------------------------ */

bool sm_claims_path_is_stdin(const char *path)
{
    return path != NULL && (strcmp(path, "-") == 0 || strcmp(path, "/vsistdin/") == 0 ||
                            strcmp(path, "/vsistdin") == 0);
}

/* The format of bytes read from a pipe, by their first bytes, as the
 * extension that picks the driver below: GeoPackage (SQLite), KML (XML),
 * GeoJSON or GeoJSONSeq (several lines that each start a JSON object), else
 * CSV. */
static const char *sniff_ext(const unsigned char *b, size_t n)
{
    size_t i = 0;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        i = 3; /* a UTF-8 byte order mark */
    if (n >= 16 && memcmp(b, "SQLite format 3", 16) == 0)
        return ".gpkg";
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    if (i < n && b[i] == '<')
        return ".kml";
    if (i < n && b[i] == 0x1E)
        return ".geojsons";
    if (i < n && (b[i] == '{' || b[i] == '[')) {
        /* GeoJSONSeq: one Feature per line, the second line a new object */
        const unsigned char *nl = memchr(b + i, '\n', n - i);
        while (nl != NULL && (size_t)(nl - b) + 1 < n && (nl[1] == '\r' || nl[1] == '\n'))
            nl++;
        bool seq = b[i] == '{' && nl != NULL && (size_t)(nl - b) + 1 < n && nl[1] == '{';
        return seq ? ".geojsons" : ".geojson";
    }
    return ".csv";
}

/* Standard input ("-" or "/vsistdin/") read whole, up to
 * SM_STDIN_MAX_BYTES, into a GDAL in-memory file named *vsi (with the
 * extension of its format). A terminal is refused rather than waited on. */
static sm_status read_stdin(sm_ctx *ctx, sm_claims *claims, const char *path, char **vsi,
                            unsigned char **data)
{
    *vsi = NULL;
    *data = NULL;
    if (claims->stdin_read) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                 "standard input was already read; expected it once among the inputs");
        return SM_ERR_USAGE;
    }
    claims->stdin_read = true;
    if (isatty(STDIN_FILENO)) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                 "standard input is a terminal; expected claims piped in (cat "
                 "claims.geojson | strikemap check -)");
        return SM_ERR_IO;
    }
    size_t cap = 65536, len = 0;
    unsigned char *buf = malloc(cap);
    if (buf == NULL)
        return sm__nomem(ctx, path, -1, NULL, NULL);
    for (;;) {
        if (len == cap) {
            if (cap >= SM_STDIN_MAX_BYTES) {
                free(buf);
                sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                         "standard input holds more than %llu bytes; expected at most that "
                         "(give a file instead)",
                         (unsigned long long)SM_STDIN_MAX_BYTES);
                return SM_ERR_IO;
            }
            size_t ncap = cap * 2 > SM_STDIN_MAX_BYTES ? SM_STDIN_MAX_BYTES : cap * 2;
            unsigned char *nb = realloc(buf, ncap + 1);
            if (nb == NULL) {
                free(buf);
                return sm__nomem(ctx, path, -1, NULL, NULL);
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t k = read(STDIN_FILENO, buf + len, cap - len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            free(buf);
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cannot read standard input: %s",
                     strerror(e));
            return SM_ERR_IO;
        }
        if (k == 0)
            break;
        len += (size_t)k;
    }
    if (len == 0) {
        free(buf);
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                 "standard input is empty; expected claims piped in");
        return SM_ERR_FORMAT;
    }
    *vsi = sm__strfmt("/vsimem/strikemap-stdin-%p%s", (void *)claims, sniff_ext(buf, len));
    if (*vsi == NULL) {
        free(buf);
        return sm__nomem(ctx, path, -1, NULL, NULL);
    }
    VSILFILE *f = VSIFileFromMemBuffer(*vsi, buf, (vsi_l_offset)len, FALSE);
    if (f == NULL) {
        free(buf);
        free(*vsi);
        *vsi = NULL;
        return sm__nomem(ctx, path, -1, NULL, NULL);
    }
    VSIFCloseL(f);
    *data = buf;
    return SM_OK;
}

/* A file on disk is checked before GDAL sees it, so that a missing file or
 * a FIFO gets a plain message (and a FIFO or device never blocks the read).
 * What is not a file (a PG: connection, a /vsizip/ or /vsicurl/ path) goes
 * to GDAL as it is. */
static sm_status check_path(sm_ctx *ctx, const char *path)
{
    struct stat sb;
    bool virtual_path = strncmp(path, "/vsi", 4) == 0 || (strchr(path, ':') != NULL);
    if (stat(path, &sb) == 0) {
        if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                     "is not a regular file (a FIFO, socket or device); expected a file or "
                     "a folder of files (or - for standard input)");
            return SM_ERR_IO;
        }
        if (access(path, R_OK) != 0) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                     "cannot read the file: permission denied");
            return SM_ERR_IO;
        }
    } else if (!virtual_path) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cannot read the file: %s",
                 errno == ENOENT ? "no such file" : strerror(errno));
        return SM_ERR_IO;
    }
    return SM_OK;
}

/* Opens src (path itself, or the in-memory copy of standard input) with
 * the driver its name says; messages name path. NULL after an error. */
static GDALDatasetH open_source(sm_ctx *ctx, const char *path, const char *src)
{
    /* GeoJSON by name: ask for that driver alone, so that a broken file
     * gets the JSON parser's message instead of "not recognized". */
    const char *geojson[] = {"GeoJSON", NULL}, *seq[] = {"GeoJSONSeq", NULL},
               *csv[] = {"CSV", NULL};
    const char *const *drivers = NULL;
    const char *json_opts[] = {"DATE_AS_STRING=YES", NULL};
    const char *csv_opts[] = {"X_POSSIBLE_NAMES=lon,longitude,lng,long,x",
                              "Y_POSSIBLE_NAMES=lat,latitude,y", "KEEP_GEOM_COLUMNS=YES",
                              "AUTODETECT_TYPE=NO", NULL};
    const char *const *open_opts = NULL;
    if (has_suffix(src, ".geojson") || has_suffix(src, ".json")) {
        drivers = geojson;
        open_opts = json_opts;
    } else if (has_suffix(src, ".geojsons") || has_suffix(src, ".geojsonl") ||
               has_suffix(src, ".geojsonseq") || has_suffix(src, ".jsonl")) {
        drivers = seq;
    } else if (has_suffix(src, ".csv")) {
        drivers = csv;
        open_opts = csv_opts;
    }
    sm__cpl_capture_begin();
    GDALDatasetH ds = sm__gdal_open(src, GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                    (const char *const *)drivers, (const char *const *)open_opts);
    const char *msg = sm__cpl_capture_end();
    if (ds == NULL)
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cannot be read as %s%s%s",
                 drivers == geojson ? "GeoJSON" : "a vector source",
                 msg ? ": " : " (GDAL/OGR recognises no format in it)", msg ? msg : "");
    return ds;
}

static bool has_point(OGRGeometryH g)
{
    return g != NULL && !OGR_G_IsEmpty(g);
}

/* A CSV row without a point while the lon/lat fields are ignored
 * (prepare_layer): the layer read again from the start with them, up to
 * that row (its in_layer rows before were read already), so that
 * kinds.c can say which value is wrong; the fields stay read from then on.
 * NULL when the row cannot be read again. */
static OGRFeatureH with_xy_fields(reader *r, OGRLayerH layer, long in_layer)
{
    r->xy_ignored = false;
    sm__cpl_capture_begin(); /* (what OGR says of those rows was said before) */
    OGR_L_SetIgnoredFields(layer, NULL);
    OGR_L_ResetReading(layer);
    for (long k = 0; k < in_layer; k++) {
        OGRFeatureH skip = OGR_L_GetNextFeature(layer);
        if (skip == NULL)
            break;
        OGR_F_Destroy(skip);
    }
    OGRFeatureH f = OGR_L_GetNextFeature(layer);
    sm__cpl_capture_end();
    return f;
}

/* Every feature of one layer; *feature counts across the file's layers. */
static void read_layer(reader *r, OGRLayerH layer, long *feature)
{
    const sm_load_options *options = r->opt;
    OGR_L_ResetReading(layer);
    long long n_known = -1;
    if (options->progress != NULL && OGR_L_TestCapability(layer, OLCFastFeatureCount))
        n_known = (long long)OGR_L_GetFeatureCount(layer, FALSE) + *feature;
    sm__prefetch *pf = sm__prefetch_start(layer);
    for (long in_layer = 0;; in_layer++) {
        const char *msg = NULL;
        OGRFeatureH f = NULL;
        OGRGeometryH g = NULL;
        bool owned = pf == NULL; /* else the prefetcher's */
        if (pf != NULL) {
            f = sm__prefetch_next(pf, &g, &msg);
        } else {
            sm__cpl_capture_begin();
            f = OGR_L_GetNextFeature(layer);
            msg = sm__cpl_capture_end();
            g = f != NULL ? OGR_F_GetGeometryRef(f) : NULL;
        }
        if (msg != NULL) {
            /* A streaming driver (GeoJSONSeq, CSV) meets broken input here. */
            sm__diag(r->ctx, SM_SEV_ERROR, r->file, *feature, NULL, NULL, "cannot be read: %s",
                     msg);
            r->failed = true;
            if (f != NULL && owned)
                OGR_F_Destroy(f);
            break;
        }
        if (f != NULL && r->xy_ignored && !has_point(g)) {
            /* the layer read again (with_xy_fields): ours alone, then
             * read ahead again from where that left it */
            if (owned)
                OGR_F_Destroy(f);
            sm__prefetch_stop(pf);
            pf = NULL;
            owned = true;
            if ((f = with_xy_fields(r, layer, in_layer)) == NULL) {
                sm__diag(r->ctx, SM_SEV_ERROR, r->file, *feature, NULL, NULL,
                         "cannot be read a second time (did the file change while it was read?)");
                r->failed = true;
                break;
            }
            g = OGR_F_GetGeometryRef(f);
            pf = sm__prefetch_start(layer);
        }
        if (f == NULL)
            break;
        r->f = f;
        r->geom = g;
        /* a table read through a profile keeps its rows' numbers */
        r->feature = r->use_fid ? (long)OGR_F_GetFID(f) : *feature;
        ++*feature;
        if (options->progress != NULL && *feature % 65536 == 0)
            options->progress(options->progress_user, r->file, (size_t)*feature,
                              n_known > 0 ? (double)*feature / (double)n_known : -1.0);
        sm__read_feature(r);
        if (owned)
            OGR_F_Destroy(f);
        if (r->nomem || r->stop)
            break;
    }
    sm__prefetch_stop(pf);
}

/* Every layer of ds into the set, then the file's summary warnings. */
static sm_status read_dataset(sm_ctx *ctx, sm_claims *claims, const char *path, GDALDatasetH ds,
                              const sm_load_options *options, bool use_fid)
{
    reader r;
    memset(&r, 0, sizeof(r));
    sm__vec_init(&r.fw, sizeof(const char *));
    r.ctx = ctx;
    r.claims = claims;
    r.opt = options;
    r.use_fid = use_fid;
    GDALDriverH drv = GDALGetDatasetDriver(ds);
    r.csv = drv != NULL && strcmp(GDALGetDriverShortName(drv), "CSV") == 0;
    r.file = sm__arena_strdup(&claims->arena, path);
    const char **slot = r.file != NULL ? sm__vec_push(&claims->files) : NULL;
    if (slot == NULL)
        return sm__nomem(ctx, path, -1, NULL, NULL);
    *slot = r.file;
    long feature = 0;
    int n_layers = GDALDatasetGetLayerCount(ds);
    if (n_layers == 0)
        sm__diag(ctx, SM_SEV_WARNING, path, -1, NULL, NULL, "holds no layer, so no claims");
    for (int li = 0; li < n_layers && !r.nomem && !r.stop; li++) {
        OGRLayerH layer = GDALDatasetGetLayer(ds, li);
        if (prepare_layer(&r, layer))
            read_layer(&r, layer, &feature);
        if (r.ct != NULL)
            OCTDestroyCoordinateTransformation(r.ct);
        r.ct = NULL;
    }
    if (r.no_offset > SM_REPEAT_WARNINGS)
        sm__diag(ctx, SM_SEV_WARNING, path, -1, NULL, NULL,
                 "%zu more times have no UTC offset and were read as UTC",
                 r.no_offset - SM_REPEAT_WARNINGS);
    if (r.not_used > SM_REPEAT_WARNINGS)
        sm__diag(ctx, SM_SEV_WARNING, path, -1, NULL, NULL,
                 "%zu more properties were set on a kind they do not apply to, and ignored",
                 r.not_used - SM_REPEAT_WARNINGS);
    sm__arena_free(&r.scratch);
    sm__vec_free(&r.fw);
    free(r.ftype);
    if (feature == 0 && !r.failed)
        sm__diag(ctx, SM_SEV_WARNING, path, -1, NULL, NULL, "holds no features");
    if (r.nomem)
        return SM_ERR_NOMEM;
    return r.failed ? SM_ERR_INVALID : SM_OK;
}

sm_status sm__claims_add_source(sm_ctx *ctx, sm_claims *claims, const char *path,
                                const sm_load_options *options, GDALDatasetH *mem_out)
{
    static const sm_load_options defaults;
    if (options == NULL)
        options = &defaults;
    if (mem_out != NULL)
        *mem_out = NULL;
    if (claims == NULL || path == NULL)
        return SM_ERR_USAGE;
    if (!ctx->aircraft.loaded || !ctx->weapons.loaded) {
        sm_status st = sm_tables_load_defaults(ctx);
        if (st != SM_OK)
            return st;
    }
    if (options->fallback_speed_kmh < 0 || options->fallback_speed_kmh > SM_MAX_SPEED_KMH ||
        isnan(options->fallback_speed_kmh)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "--speed",
                 "%g km/h is out of range; expected 0 to 30000 km/h", options->fallback_speed_kmh);
        return SM_ERR_USAGE;
    }
    char *vsi = NULL;
    unsigned char *data = NULL;
    sm_status st = sm_claims_path_is_stdin(path) ? read_stdin(ctx, claims, path, &vsi, &data)
                                                 : check_path(ctx, path);
    if (st != SM_OK)
        return st;
    GDALDatasetH ds = open_source(ctx, path, vsi != NULL ? vsi : path);
    GDALDatasetH mem = NULL;
    if (ds == NULL)
        st = SM_ERR_FORMAT;
    else
        st = sm__profile_apply(ctx, path, ds, options, &mem);
    if (st == SM_OK && mem != NULL) /* a published table, read through its profile */
        st = read_dataset(ctx, claims, path, mem, options, true);
    else if (st == SM_OK)
        st = read_dataset(ctx, claims, path, ds, options, false);
    if (ds != NULL)
        GDALClose(ds);
    if (mem != NULL && mem_out != NULL)
        *mem_out = mem;
    else if (mem != NULL)
        GDALClose(mem);
    if (vsi != NULL)
        VSIUnlink(vsi);
    free(vsi);
    free(data);
    claims->finished = false;
    return st;
}

sm_status sm_claims_add_file(sm_ctx *ctx, sm_claims *claims, const char *path,
                             const sm_load_options *options)
{
    return sm__claims_add_source(ctx, claims, path, options, NULL);
}
