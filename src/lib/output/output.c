/*
 * output.c: writing verdicts as an aligned text table, JSON, CSV, GeoJSON
 * and GeoPackage. One list of fields serves every format. Files are written
 * under a temporary name beside the target and renamed when complete, so an
 * existing output is never left half-written; GeoJSON and GeoPackage go
 * through OGR.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "output/output_internal.h"

/* The formats: one row each, everything else derived from this table.
 * driver: the OGR driver that writes it (NULL: written here); exts: the
 * file extensions that name it; seekable: the driver needs a real file
 * (not standard output). */
typedef struct format_info {
    const char *name;
    const char *driver;
    const char *exts[3];
    bool seekable;
} format_info;

static const format_info g_formats[] = {
    [SM_FORMAT_TEXT] = {"text", NULL, {".txt", ".text", NULL}, false},
    [SM_FORMAT_JSON] = {"json", NULL, {".json", NULL, NULL}, false},
    [SM_FORMAT_CSV] = {"csv", NULL, {".csv", NULL, NULL}, false},
    [SM_FORMAT_GEOJSON] = {"geojson", "GeoJSON", {".geojson", NULL, NULL}, false},
    [SM_FORMAT_GPKG] = {"gpkg", "GPKG", {".gpkg", NULL, NULL}, true},
    [SM_FORMAT_KML] = {"kml", "KML", {".kml", NULL, NULL}, false},
    [SM_FORMAT_KMZ] = {"kmz", "LIBKML", {".kmz", NULL, NULL}, true},
};

bool sm_format_parse(const char *name, sm_format *out)
{
    for (size_t i = 0; i < SM__ARRAY_LEN(g_formats); i++)
        if (name != NULL && sm__str_ieq(name, g_formats[i].name)) {
            *out = (sm_format)i;
            return true;
        }
    return false;
}

const char *sm_format_name(sm_format format)
{
    return (size_t)format < SM__ARRAY_LEN(g_formats) ? g_formats[format].name : NULL;
}

/* The extension of the last path component, or NULL. */
static const char *path_ext(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot != NULL && dot != base ? dot : NULL;
}

int sm_format_from_path(const char *path, sm_format *out)
{
    if (path == NULL || sm__path_is_stdout(path))
        return 0;
    const char *ext = path_ext(path);
    if (ext == NULL)
        return 0;
    for (size_t i = 0; i < SM__ARRAY_LEN(g_formats); i++)
        for (size_t k = 0; k < SM__ARRAY_LEN(g_formats[i].exts) && g_formats[i].exts[k]; k++)
            if (sm__str_ieq(ext, g_formats[i].exts[k])) {
                *out = (sm_format)i;
                return 1;
            }
    return -1;
}

/* ---- the fields every format carries ----------------------------------- */

typedef enum fkind { F_STR, F_NUM, F_INT, F_BOOL } fkind;

typedef struct field {
    const char *name;
    fkind kind;
    int decimals; /* for F_NUM: km to the metre, minutes to the second or so */
} field;

enum {
    X_STRIKE,
    X_STRIKE_LABEL,
    X_STRIKE_CLAIMED_BY,
    X_STRIKE_TIME,
    X_STRIKE_LON,
    X_STRIKE_LAT,
    X_AIRCRAFT,
    X_AIRCRAFT_KIND,
    X_AIRCRAFT_TYPE,
    X_AIRCRAFT_OPERATOR,
    X_AIRCRAFT_CLAIMED_BY,
    X_VERDICT,
    X_DECIDED_BY,
    X_DISTANCE,
    X_AVAILABLE,
    X_REQUIRED,
    X_CRUISE_SPEED,
    X_MAX_SPEED,
    X_REACH,
    X_WEAPON,
    X_WEAPON_BASIS,
    X_WEAPON_ASSUMED,
    X_WEAPON_RANGE,
    X_WEAPON_SPEED,
    X_WEAPON_FLAGS,
    X_WEAPON_NOT_CARRIED,
    X_LOC_UNC,
    X_BASE,
    X_BASE_DISTANCE,
    X_ROUTE,
    X_COMBAT_RADIUS,
    X_MARGIN,
    X_TIME_MARGIN,
    X_SORTIE_MARGIN,
    X_LAUNCHER_MARGIN,
    X_CLOSEST,
    X_FIX_INDEX,
    X_FIX_LON,
    X_FIX_LAT,
    X_FIX_TIME,
    X_MISSING,
    X_WARNINGS,
    X_REASONS,
    X_COUNT
};

static const field g_fields[X_COUNT] = {
    [X_STRIKE] = {"strike", F_STR, 0},
    [X_STRIKE_LABEL] = {"strike_label", F_STR, 0},
    [X_STRIKE_CLAIMED_BY] = {"strike_claimed_by", F_STR, 0},
    [X_STRIKE_TIME] = {"strike_time", F_STR, 0},
    [X_STRIKE_LON] = {"strike_lon", F_NUM, 6},
    [X_STRIKE_LAT] = {"strike_lat", F_NUM, 6},
    [X_AIRCRAFT] = {"aircraft", F_STR, 0},
    [X_AIRCRAFT_KIND] = {"aircraft_kind", F_STR, 0},
    [X_AIRCRAFT_TYPE] = {"aircraft_type", F_STR, 0},
    [X_AIRCRAFT_OPERATOR] = {"aircraft_operator", F_STR, 0},
    [X_AIRCRAFT_CLAIMED_BY] = {"aircraft_claimed_by", F_STR, 0},
    [X_VERDICT] = {"verdict", F_STR, 0},
    [X_DECIDED_BY] = {"decided_by", F_STR, 0},
    [X_DISTANCE] = {"distance_km", F_NUM, 3},
    [X_AVAILABLE] = {"available_minutes", F_NUM, 2},
    [X_REQUIRED] = {"required_speed_kmh", F_NUM, 1},
    [X_CRUISE_SPEED] = {"cruise_speed_kmh", F_NUM, 1},
    [X_MAX_SPEED] = {"max_speed_kmh", F_NUM, 1},
    [X_REACH] = {"reach_km", F_NUM, 3},
    [X_WEAPON] = {"weapon", F_STR, 0},
    [X_WEAPON_BASIS] = {"weapon_basis", F_STR, 0},
    [X_WEAPON_ASSUMED] = {"weapon_assumed", F_BOOL, 0},
    [X_WEAPON_RANGE] = {"weapon_range_km", F_NUM, 3},
    [X_WEAPON_SPEED] = {"weapon_speed_kmh", F_NUM, 1},
    [X_WEAPON_FLAGS] = {"weapon_flags", F_STR, 0},
    [X_WEAPON_NOT_CARRIED] = {"weapon_not_carried", F_BOOL, 0},
    [X_LOC_UNC] = {"location_uncertainty_km", F_NUM, 3},
    [X_BASE] = {"base", F_STR, 0},
    [X_BASE_DISTANCE] = {"base_distance_km", F_NUM, 3},
    [X_ROUTE] = {"route_km", F_NUM, 3},
    [X_COMBAT_RADIUS] = {"combat_radius_km", F_NUM, 3},
    [X_MARGIN] = {"margin_km", F_NUM, 3},
    [X_TIME_MARGIN] = {"time_margin_km", F_NUM, 3},
    [X_SORTIE_MARGIN] = {"sortie_margin_km", F_NUM, 3},
    [X_LAUNCHER_MARGIN] = {"launcher_margin_km", F_NUM, 3},
    [X_CLOSEST] = {"closest_approach_km", F_NUM, 3},
    [X_FIX_INDEX] = {"fix_index", F_INT, 0},
    [X_FIX_LON] = {"fix_lon", F_NUM, 6},
    [X_FIX_LAT] = {"fix_lat", F_NUM, 6},
    [X_FIX_TIME] = {"fix_time", F_STR, 0},
    [X_MISSING] = {"missing", F_STR, 0},
    [X_WARNINGS] = {"warnings", F_STR, 0},
    [X_REASONS] = {"reasons", F_STR, 0},
};

typedef struct value {
    bool null;
    double num;
    const char *str;
} value;

typedef struct row {
    value v[X_COUNT];
    char strike_time[64], fix_time[64]; /* two ISO 8601 times and a '/' */
    char missing[160], flags[96];       /* fixed lists of fixed words */
    char reasons[4096];                 /* most reasons fit here */
    char *reasons_heap;                 /* longer ones (long ids, names): free_row frees it */
    char *warnings;                     /* the claims' warnings, or NULL: free_row frees it */
    bool nomem;                         /* reasons_heap could not be allocated */
} row;

static void when_text(const sm_when *w, char *buf, size_t size)
{
    if (!w->known) {
        buf[0] = '\0';
        return;
    }
    char a[32], b[32];
    sm_time_format(w->start, w->offset_min, a, sizeof(a));
    size_t la = strlen(a);
    if (w->end == w->start) {
        memcpy(buf, a, la + 1 < size ? la + 1 : size);
    } else {
        /* an ISO 8601 interval */
        sm_time_format(w->end, w->offset_min, b, sizeof(b));
        size_t lb = strlen(b);
        if (la + lb + 2 <= size) {
            memcpy(buf, a, la);
            buf[la] = '/';
            memcpy(buf + la + 1, b, lb + 1);
        }
    }
}

static void fill_row(row *r, const sm_pair *p, const sm_claims *claims)
{
    const sm_strike *s = sm_claims_strike(claims, p->strike);
    sm__party a;
    sm__pair_party(p, claims, &a);
    for (int i = 0; i < X_COUNT; i++) {
        r->v[i].null = true;
        r->v[i].str = NULL;
        r->v[i].num = (double)NAN;
    }
#define S(i, text) (r->v[i].str = (text), r->v[i].null = r->v[i].str == NULL)
#define N(i, x)    (r->v[i].num = (x), r->v[i].null = !isfinite(r->v[i].num))
    S(X_STRIKE, s->info.id);
    S(X_STRIKE_LABEL, s->info.label);
    S(X_STRIKE_CLAIMED_BY, s->info.claimed_by);
    when_text(&s->when, r->strike_time, sizeof(r->strike_time));
    S(X_STRIKE_TIME, r->strike_time[0] ? r->strike_time : NULL);
    N(X_STRIKE_LON, s->lon);
    N(X_STRIKE_LAT, s->lat);
    S(X_AIRCRAFT, a.info->id);
    S(X_AIRCRAFT_KIND, p->by_kind == SM_KIND_LAUNCHER ? "launcher" : "aircraft");
    if (p->by_kind == SM_KIND_LAUNCHER) {
        S(X_AIRCRAFT_TYPE, NULL);
    } else {
        const sm_aircraft *ac = sm_claims_aircraft(claims, p->aircraft);
        S(X_AIRCRAFT_TYPE, ac->type_ref ? ac->type_ref->type : ac->type);
    }
    S(X_AIRCRAFT_OPERATOR, a.operator_name);
    S(X_AIRCRAFT_CLAIMED_BY, a.info->claimed_by);
    S(X_VERDICT, sm_verdict_str(p->verdict));
    S(X_DECIDED_BY, sm_test_str(p->decided_by));
    N(X_DISTANCE, p->distance_km);
    N(X_AVAILABLE, p->available_minutes);
    N(X_REQUIRED, p->required_speed_kmh);
    N(X_CRUISE_SPEED, p->cruise_speed_kmh);
    N(X_MAX_SPEED, p->max_speed_kmh);
    N(X_REACH, p->reach_km);
    S(X_WEAPON, p->weapon);
    S(X_WEAPON_BASIS, sm_weapon_basis_str(p->weapon_basis));
    r->v[X_WEAPON_ASSUMED].null = p->weapon == NULL;
    r->v[X_WEAPON_ASSUMED].num = p->weapon_assumed;
    N(X_WEAPON_RANGE, p->weapon_range_km);
    N(X_WEAPON_SPEED, p->weapon_speed_kmh);
    snprintf(r->flags, sizeof(r->flags), "%s%s%s%s",
             (p->weapon_flags & SM_WEAPON_NOT_CARRIED) ? "not_carried;" : "",
             (p->weapon_flags & SM_WEAPON_NOT_FIELDED) ? "not_fielded;" : "",
             (p->weapon_flags & SM_WEAPON_NOT_IN_SERVICE) ? "not_in_service;" : "",
             (p->weapon_flags & SM_WEAPON_NOT_AIR) ? "launch_mismatch;" : "");
    size_t fl = strlen(r->flags);
    if (fl > 0) {
        r->flags[fl - 1] = '\0';
        S(X_WEAPON_FLAGS, r->flags);
    }
    r->v[X_WEAPON_NOT_CARRIED].null = p->weapon == NULL;
    r->v[X_WEAPON_NOT_CARRIED].num = (p->weapon_flags & SM_WEAPON_NOT_CARRIED) != 0;
    N(X_LOC_UNC, p->location_uncertainty_km);
    S(X_BASE, a.base);
    N(X_BASE_DISTANCE, p->base_distance_km);
    N(X_ROUTE, p->route_km);
    N(X_COMBAT_RADIUS, p->combat_radius_km);
    N(X_MARGIN, p->margin_km);
    N(X_TIME_MARGIN, p->time_margin_km);
    N(X_SORTIE_MARGIN, p->sortie_margin_km);
    N(X_LAUNCHER_MARGIN, p->launcher_margin_km);
    N(X_CLOSEST, p->closest_approach_km);
    if (a.has_pos) {
        if (p->fix >= 0)
            N(X_FIX_INDEX, (double)p->fix);
        N(X_FIX_LON, a.lon);
        N(X_FIX_LAT, a.lat);
        when_text(a.when, r->fix_time, sizeof(r->fix_time));
        S(X_FIX_TIME, r->fix_time[0] ? r->fix_time : NULL);
    }
    snprintf(r->missing, sizeof(r->missing), "%s%s%s%s%s",
             (p->missing & SM_MISSING_STRIKE_TIME) ? "strike.time;" : "",
             (p->missing & SM_MISSING_FIX_TIME) ? "aircraft.time;" : "",
             (p->missing & SM_MISSING_NEAR_FIX) ? "aircraft.fix_within_max_gap;" : "",
             (p->missing & SM_MISSING_COARSE_TIME) ? "strike.time_within_max_gap;" : "",
             (p->missing & SM_MISSING_MAX_SPEED) ? "aircraft.max_speed_kmh;" : "");
    size_t ml = strlen(r->missing);
    if (ml > 0) {
        r->missing[ml - 1] = '\0';
        S(X_MISSING, r->missing);
    }
    r->reasons_heap = NULL;
    r->nomem = false;
    r->warnings = NULL;
    size_t wn = sm_pair_warnings(p, claims, NULL, 0);
    if (wn > 0) {
        r->warnings = malloc(wn + 1);
        if (r->warnings != NULL) {
            sm_pair_warnings(p, claims, r->warnings, wn + 1);
            S(X_WARNINGS, r->warnings);
        } else {
            r->nomem = true;
        }
    }
    size_t need = sm_pair_reasons(p, claims, r->reasons, sizeof(r->reasons));
    if (need >= sizeof(r->reasons)) {
        r->reasons_heap = malloc(need + 1);
        if (r->reasons_heap != NULL) {
            sm_pair_reasons(p, claims, r->reasons_heap, need + 1);
        } else {
            r->nomem = true; /* the writer fails; the row is not used */
        }
    }
    S(X_REASONS, r->reasons_heap != NULL ? r->reasons_heap : r->reasons);
#undef S
#undef N
}

static void free_row(row *r)
{
    free(r->reasons_heap);
    r->reasons_heap = NULL;
    free(r->warnings);
    r->warnings = NULL;
}

/* ---- the writer --------------------------------------------------------- */

struct sm_writer {
    sm_ctx *ctx;
    const sm_claims *claims;
    sm_format format;
    const char *path;
    sm__out t;    /* the file being written, when path is set */
    bool to_file; /* t is open */
    FILE *out;
    size_t count;
    int w_strike, w_aircraft; /* text column widths */
    GDALDatasetH ds;
    OGRLayerH layer;
    /* A row could not get the memory for its text (rows are formatted by
     * worker threads, which cannot add diagnostics): the writer fails at
     * its next add or at close, with SM_ERR_NOMEM. */
    atomic_bool nomem;
};

static void mark_nomem(const sm_writer *w)
{
    atomic_store(&((sm_writer *)(uintptr_t)w)->nomem, true);
}

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void csv_str(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const char *p = s; *p;) {
        const char *q = strchr(p, '"');
        size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
        fwrite(p, 1, n, out);
        if (q)
            fputc('"', out); /* a quote is doubled */
        p += n;
    }
    fputc('"', out);
}

/* A number as JSON and CSV carry it: the shortest of its fixed-point
 * form ("12.5", "3"), exponent form from 1e15 on; never NaN or infinity
 * (the rows hold those as null, and this writes null for any that
 * slips through). */
static void num_out(FILE *out, double v, int decimals)
{
    if (!isfinite(v)) {
        fputs("null", out);
        return;
    }
    char buf[1 + SM__FMT_FIXED_MAX];
    buf[0] = '-';
    char *digits = buf + 1;
    size_t len = sm__fmt_fixed(v, decimals, digits);
    /* trim trailing zeros of a fixed-point form: 12.500 -> 12.5, 3.000 -> 3 */
    if (len > 0 && memchr(digits, '.', len) != NULL && memchr(digits, 'e', len) == NULL) {
        while (len > 1 && digits[len - 1] == '0')
            digits[--len] = '\0';
        if (digits[len - 1] == '.')
            digits[--len] = '\0';
    }
    bool zero = strspn(digits, "0.") == len;
    if (v < 0 && !zero)
        fwrite(buf, 1, len + 1, out);
    else
        fwrite(digits, 1, len, out);
}

static void text_header(sm_writer *w)
{
    fprintf(w->out, "%-*s  %-*s  %-11s  %10s  %9s  %-19s  %s\n", w->w_strike, "STRIKE",
            w->w_aircraft, "AIRCRAFT", "VERDICT", "DIST km", "TIME min", "SPEED NEED/MAX km/h",
            "REASON");
}

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

static sm_status open_ogr(sm_writer *w)
{
    const char *driver = g_formats[w->format].driver;
    GDALDriverH drv = GDALGetDriverByName(driver);
    if (drv == NULL) {
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "GDAL has no %s driver", driver);
        return SM_ERR_IO;
    }
    sm__cpl_capture_begin();
    w->ds = GDALCreate(drv, w->t.direct ? "/vsistdout/" : w->t.tmp, 0, 0, 0, GDT_Unknown, NULL);
    const char *msg = sm__cpl_capture_end();
    if (w->ds == NULL) {
        ogr_fail(w, msg);
        return SM_ERR_IO;
    }
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRSetWellKnownGeogCS(srs, "WGS84");
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    const char *geojson_opts[] = {"RFC7946=YES", "WRITE_NAME=NO", NULL};
    sm__cpl_capture_begin();
    w->layer = GDALDatasetCreateLayer(
        w->ds, "pairs", srs, wkbLineString,
        w->format == SM_FORMAT_GEOJSON ? (char **)(uintptr_t)geojson_opts : NULL);
    OSRDestroySpatialReference(srs);
    bool ok = w->layer != NULL;
    for (int i = 0; i < X_COUNT && ok; i++) {
        OGRFieldType t = g_fields[i].kind == F_NUM
                             ? OFTReal
                             : (g_fields[i].kind == F_STR ? OFTString : OFTInteger);
        OGRFieldDefnH fd = OGR_Fld_Create(g_fields[i].name, t);
        if (g_fields[i].kind == F_BOOL)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        ok = OGR_L_CreateField(w->layer, fd, TRUE) == OGRERR_NONE;
        OGR_Fld_Destroy(fd);
    }
    if (ok && w->format == SM_FORMAT_GPKG)
        ok = OGR_L_StartTransaction(w->layer) == OGRERR_NONE;
    msg = sm__cpl_capture_end();
    if (!ok) {
        ogr_fail(w, msg);
        return SM_ERR_IO;
    }
    return SM_OK;
}

sm_status sm_writer_open(sm_ctx *ctx, const sm_claims *claims, sm_format format, const char *path,
                         FILE *stream, sm_writer **out)
{
    *out = NULL;
    if ((size_t)format >= SM__ARRAY_LEN(g_formats)) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "--format", "not a verdict format");
        return SM_ERR_USAGE;
    }
    const format_info *fi = &g_formats[format];
    if (fi->driver != NULL && path == NULL) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, NULL,
                 "the %s format needs an output file (-o FILE)", fi->name);
        return SM_ERR_USAGE;
    }
    if (path != NULL && fi->seekable && sm__path_is_stdout(path)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "-o",
                 "the %s format cannot be written to standard output: give a file name", fi->name);
        return SM_ERR_USAGE;
    }
    /* a file is not named as another format (an extension no writer
     * knows is the caller's choice; the CLI refuses it) */
    sm_format named = format;
    int known = path != NULL ? sm_format_from_path(path, &named) : 0;
    if (known > 0 && named != format) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "--format", "a \"%s\" file is %s, not %s",
                 path_ext(path), g_formats[named].name, fi->name);
        return SM_ERR_USAGE;
    }
    sm_status refused = sm__out_refuse_inputs(ctx, path, claims);
    if (refused != SM_OK)
        return refused;
    sm_writer *w = calloc(1, sizeof(*w));
    if (w == NULL)
        return sm__nomem(ctx, path, -1, NULL, NULL);
    w->ctx = ctx;
    w->claims = claims;
    w->format = format;
    w->path = path;
    w->out = stream;
    if (path != NULL) {
        bool ogr = fi->driver != NULL;
        /* GDAL picks a driver's behaviour by the name's extension */
        sm_status st = sm__out_open(ctx, &w->t, path, ogr ? fi->exts[0] : NULL);
        if (st != SM_OK) {
            free(w);
            return st;
        }
        w->to_file = true;
        if (ogr) {
            /* OGR creates the file itself (the temporary's name stays
             * registered, so a signal still removes it) */
            if (!w->t.direct) {
                fclose(w->t.f); /* empty: nothing to lose */
                w->t.f = NULL;
                unlink(w->t.tmp);
            }
            st = open_ogr(w);
            if (st != SM_OK) {
                sm_writer_abort(w);
                return st;
            }
        } else {
            w->out = w->t.f;
        }
    }
    if (w->out != NULL) {
        if (format == SM_FORMAT_TEXT) {
            w->w_strike = 6;
            w->w_aircraft = 8;
            for (size_t i = 0; i < sm_claims_strike_count(claims); i++) {
                int n = (int)strlen(sm_claims_strike(claims, i)->info.id);
                w->w_strike = n > w->w_strike ? (n > 40 ? 40 : n) : w->w_strike;
            }
            for (size_t i = 0; i < sm_claims_aircraft_count(claims); i++) {
                const sm_aircraft *a = sm_claims_aircraft(claims, i);
                const char *t = sm__type_name(a, "?");
                int n = (int)(strlen(a->info.id) + strlen(t) + 3);
                w->w_aircraft = n > w->w_aircraft ? (n > 48 ? 48 : n) : w->w_aircraft;
            }
            for (size_t i = 0; i < sm_claims_launcher_count(claims); i++) {
                int n = (int)(strlen(sm_claims_launcher(claims, i)->info.id) + 11);
                w->w_aircraft = n > w->w_aircraft ? (n > 48 ? 48 : n) : w->w_aircraft;
            }
            text_header(w);
        } else if (format == SM_FORMAT_JSON) {
            fputs("{\n  \"pairs\": [", w->out);
        } else if (format == SM_FORMAT_CSV) {
            for (int i = 0; i < X_COUNT; i++)
                fprintf(w->out, "%s%s", g_fields[i].name, i + 1 < X_COUNT ? "," : "\n");
        }
    }
    *out = w;
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

/* One row of a text, JSON or CSV listing into out. JSON rows start with a
 * comma; whoever writes the first row drops it (sm__writer_put). */
static void format_row(const sm_writer *w, FILE *out, const sm_pair *p)
{
    row r_;
    row *r = &r_;
    if (w->format == SM_FORMAT_TEXT) {
        sm__party a;
        sm__pair_party(p, w->claims, &a);
        char dist[32], tmin[32], sp[64], n1[32], n2[32];
        sm__fmt_num(p->distance_km, 1, dist, sizeof(dist));
        sm__fmt_num(p->available_minutes, 1, tmin, sizeof(tmin));
        if (isfinite(p->required_speed_kmh) && isfinite(p->max_speed_kmh))
            snprintf(sp, sizeof(sp), "%s / %s",
                     sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
                     sm__fmt_num(p->max_speed_kmh, 0, n2, sizeof(n2)));
        else
            snprintf(sp, sizeof(sp), "-");
        /* the reason names weapons, of any length */
        size_t rn = sm__pair_short_reason(p, w->claims, NULL, 0) + 1;
        char *reason = malloc(rn);
        if (reason == NULL) {
            mark_nomem(w);
            return;
        }
        sm__pair_short_reason(p, w->claims, reason, rn);
        /* "ID (TYPE)" of any length, padded to the column */
        int ac_len = (int)(strlen(a.info->id) + strlen(a.type) + 3);
        fprintf(out, "%-*s  %s (%s)%*s  %-11s  %10s  %9s  %-19s  %s\n", w->w_strike,
                sm_claims_strike(w->claims, p->strike)->info.id, a.info->id, a.type,
                ac_len < w->w_aircraft ? w->w_aircraft - ac_len : 0, "", sm_verdict_str(p->verdict),
                dist, tmin, sp, reason);
        free(reason);
        return;
    }
    fill_row(r, p, w->claims);
    if (r->nomem)
        mark_nomem(w);
    if (w->format == SM_FORMAT_JSON) {
        fputs(",\n    {", out);
        for (int i = 0; i < X_COUNT; i++) {
            fprintf(out, "%s\"%s\": ", i ? ", " : "", g_fields[i].name);
            const value *v = &r->v[i];
            if (v->null)
                fputs("null", out);
            else if (g_fields[i].kind == F_STR)
                json_str(out, v->str);
            else if (g_fields[i].kind == F_BOOL)
                fputs(v->num != 0 ? "true" : "false", out);
            else
                num_out(out, v->num, g_fields[i].decimals);
        }
        fputs("}", out);
    } else {
        for (int i = 0; i < X_COUNT; i++) {
            const value *v = &r->v[i];
            if (!v->null) {
                if (g_fields[i].kind == F_STR)
                    csv_str(out, v->str);
                else if (g_fields[i].kind == F_BOOL)
                    fputs(v->num != 0 ? "true" : "false", out);
                else
                    num_out(out, v->num, g_fields[i].decimals);
            }
            fputc(i + 1 < X_COUNT ? ',' : '\n', out);
        }
    }
    free_row(r);
}

bool sm__writer_is_stream(const sm_writer *w)
{
    return w->out != NULL;
}

bool sm__writer_format(const sm_writer *w, FILE *out, const sm_pair *p)
{
    format_row(w, out, p);
    return !atomic_load(&w->nomem);
}

sm_status sm__writer_put(sm_writer *w, const char *text, size_t len, size_t rows)
{
    if (atomic_load(&w->nomem))
        return sm__nomem(w->ctx, w->path, -1, NULL, "reasons");
    if (rows == 0)
        return SM_OK;
    if (w->format == SM_FORMAT_JSON && w->count == 0 && len > 0 && text[0] == ',') {
        text++;
        len--;
    }
    if (fwrite(text, 1, len, w->out) != len) {
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "cannot be written: %s",
                 strerror(errno));
        return SM_ERR_IO;
    }
    w->count += rows;
    return SM_OK;
}

sm_status sm_writer_add(sm_writer *w, const sm_pair *p)
{
    if (w->out != NULL) {
        if (w->format == SM_FORMAT_JSON && w->count == 0) {
            /* the first row: without its leading comma */
            char *buf = NULL;
            size_t len = 0;
            FILE *mem = open_memstream(&buf, &len);
            if (mem == NULL)
                return sm__nomem(w->ctx, w->path, -1, NULL, NULL);
            format_row(w, mem, p);
            if (fclose(mem) != 0) {
                free(buf);
                return sm__nomem(w->ctx, w->path, -1, NULL, NULL);
            }
            sm_status st = sm__writer_put(w, buf, len, 1);
            free(buf);
            return st;
        }
        format_row(w, w->out, p);
        if (atomic_load(&w->nomem))
            return sm__nomem(w->ctx, w->path, -1, NULL, "reasons");
        w->count++;
        return SM_OK;
    }
    row r_;
    row *r = &r_;
    fill_row(r, p, w->claims);
    if (r->nomem) {
        free_row(r);
        return sm__nomem(w->ctx, w->path, -1, NULL, "reasons");
    }
    {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(w->layer));
        for (int i = 0; i < X_COUNT; i++) {
            const value *v = &r->v[i];
            if (v->null)
                OGR_F_SetFieldNull(f, i);
            else if (g_fields[i].kind == F_STR)
                OGR_F_SetFieldString(f, i, v->str);
            else if (g_fields[i].kind == F_NUM) {
                double scale = pow(10, g_fields[i].decimals);
                /* past 2^52 a double has no decimals left to round */
                double x = fabs(v->num * scale) < 4503599627370496.0 ? round(v->num * scale) / scale
                                                                     : v->num;
                OGR_F_SetFieldDouble(f, i, x);
            } else
                OGR_F_SetFieldInteger(f, i, (int)v->num);
        }
        OGR_F_SetGeometryDirectly(f, pair_line(p, w->claims));
        OGRErr err = OGR_L_CreateFeature(w->layer, f);
        OGR_F_Destroy(f);
        free_row(r);
        if (err != OGRERR_NONE) {
            sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "cannot write a feature");
            return SM_ERR_IO;
        }
    }
    w->count++;
    return SM_OK;
}

static void summary_json(FILE *out, const sm_check_summary *s)
{
    fprintf(out,
            "  \"summary\": {\"strikes\": %zu, \"aircraft\": %zu, \"pairs\": %zu, \"listed\": "
            "%zu, \"plausible\": %zu, \"marginal\": %zu, \"implausible\": %zu, \"unknown\": %zu, "
            "\"unlisted_unknown\": %zu, \"unlisted_implausible\": %zu, "
            "\"strikes_unattributed\": %zu, \"launchers\": %zu}\n",
            s->strikes, s->aircraft, s->pairs, s->listed, s->by_verdict[SM_VERDICT_PLAUSIBLE],
            s->by_verdict[SM_VERDICT_MARGINAL], s->by_verdict[SM_VERDICT_IMPLAUSIBLE],
            s->by_verdict[SM_VERDICT_UNKNOWN], s->unlisted_unknown, s->unlisted_implausible,
            s->strikes_unattributed, s->launchers);
}

static void summary_text(FILE *out, const sm_check_summary *s)
{
    fprintf(out, "\n%zu strikes, %zu aircraft", s->strikes, s->aircraft);
    if (s->launchers)
        fprintf(out, ", %zu launchers", s->launchers);
    fprintf(out,
            ": %zu pairs considered: %zu plausible, %zu marginal, "
            "%zu implausible, %zu unknown.\n",
            s->pairs, s->by_verdict[SM_VERDICT_PLAUSIBLE], s->by_verdict[SM_VERDICT_MARGINAL],
            s->by_verdict[SM_VERDICT_IMPLAUSIBLE], s->by_verdict[SM_VERDICT_UNKNOWN]);
    if (s->unlisted_unknown || s->unlisted_implausible)
        fprintf(out,
                "Not listed: %zu pairs with no claimed position near the strike time, %zu "
                "ruled out by distance alone (--list-all lists them).\n",
                s->unlisted_unknown, s->unlisted_implausible);
    if (s->strikes_unattributed)
        fprintf(out,
                "%zu strikes are attributed to nothing in the claim set (nothing to check; "
                "try --operator NAME or --all-pairs).\n",
                s->strikes_unattributed);
}

/* Read the finished file back: a driver that lost a write (a full disk)
 * without saying so leaves a file that does not open or lacks features. */
static sm_status verify_ogr(sm_writer *w)
{
    const char *drivers[] = {g_formats[w->format].driver, NULL};
    sm__cpl_capture_begin();
    GDALDatasetH ds = GDALOpenEx(w->t.tmp, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    GIntBig n = -1;
    if (ds != NULL) {
        OGRLayerH l = GDALDatasetGetLayerCount(ds) > 0 ? GDALDatasetGetLayer(ds, 0) : NULL;
        n = l != NULL ? OGR_L_GetFeatureCount(l, TRUE) : (w->count == 0 ? 0 : -1);
        GDALClose(ds);
    }
    sm__cpl_capture_end();
    if (n != (GIntBig)w->count) {
        /* the driver said nothing; a full file system is the likely cause,
         * and is named when it is the case */
        struct statvfs sv;
        bool full = statvfs(w->t.tmp, &sv) == 0 && sv.f_bavail == 0;
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL,
                 "cannot be written: %s (read back, the file holds %lld of %zu features)",
                 full ? strerror(ENOSPC) : "the driver lost data", n < 0 ? 0LL : (long long)n,
                 w->count);
        return SM_ERR_IO;
    }
    /* flushed to the disk before it replaces anything */
    int fd = open(w->t.tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "cannot be written: %s",
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return SM_ERR_IO;
    }
    close(fd);
    return SM_OK;
}

sm_status sm_writer_close(sm_writer *w, const sm_check_summary *summary)
{
    if (w == NULL)
        return SM_OK;
    sm_status st = SM_OK;
    if (atomic_load(&w->nomem))
        st = sm__nomem(w->ctx, w->path, -1, NULL, "reasons");
    if (w->out != NULL && st == SM_OK) {
        if (w->format == SM_FORMAT_TEXT) {
            if (w->count == 0)
                fputs("(no pairs to list)\n", w->out);
            if (summary != NULL)
                summary_text(w->out, summary);
        } else if (w->format == SM_FORMAT_JSON) {
            fputs(w->count ? "\n  ],\n" : "],\n", w->out);
            if (summary != NULL)
                summary_json(w->out, summary);
            else
                fputs("  \"summary\": null\n", w->out);
            fputs("}\n", w->out);
        }
        if (!w->to_file && (fflush(w->out) != 0 || ferror(w->out))) {
            sm__diag(w->ctx, SM_SEV_ERROR, "standard output", -1, NULL, NULL,
                     "cannot be written: %s", strerror(errno));
            st = SM_ERR_IO;
        }
        w->out = NULL;
    }
    if (w->ds != NULL) {
        const char *msg = NULL;
        sm__cpl_capture_begin();
        if (w->format == SM_FORMAT_GPKG && OGR_L_CommitTransaction(w->layer) != OGRERR_NONE)
            st = SM_ERR_IO;
        CPLErrorReset();
        GDALClose(w->ds);
        if (CPLGetLastErrorType() >= CE_Failure)
            st = SM_ERR_IO;
        msg = sm__cpl_capture_end();
        if (msg != NULL)
            st = SM_ERR_IO;
        w->ds = NULL;
        if (st != SM_OK)
            ogr_fail(w, msg);
        else if (w->t.direct && (fflush(stdout) != 0 || ferror(stdout))) {
            sm__diag(w->ctx, SM_SEV_ERROR, "standard output", -1, NULL, NULL,
                     "cannot be written: %s", strerror(errno));
            st = SM_ERR_IO;
        } else if (!w->t.direct)
            st = verify_ogr(w);
    }
    if (w->to_file) {
        st = sm__out_close(w->ctx, &w->t, st);
        if (st == SM_OK)
            st = sm__out_commit(w->ctx, &w->t);
        else if (!w->t.direct)
            sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL,
                     "writing failed; the previous file, if any, is unchanged");
        sm__out_abort(&w->t);
    }
    free(w);
    return st;
}

void sm_writer_abort(sm_writer *w)
{
    if (w == NULL)
        return;
    if (w->ds != NULL) {
        sm__cpl_capture_begin();
        GDALClose(w->ds);
        sm__cpl_capture_end();
    }
    if (w->to_file)
        sm__out_abort(&w->t);
    free(w);
}
