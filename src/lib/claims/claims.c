/*
 * claims.c: loading claim files through GDAL/OGR into the typed model of
 * claims.h, and validating them (SPEC §2 and §6). Every problem becomes a
 * diagnostic naming the file, the feature (index and id) and the field, and
 * a file's problems are all reported in one run.
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
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "claims/claims_internal.h"

struct sm_claims {
    sm__arena arena;
    sm__vec strikes;   /* sm_strike */
    sm__vec aircraft;  /* sm_aircraft */
    sm__vec bases;     /* sm_base */
    sm__vec launchers; /* sm_launcher */
    bool finished;
};

/* The properties of SPEC §2 and the kinds each applies to. */
enum {
    K_S = 1 << SM_KIND_STRIKE,
    K_A = 1 << SM_KIND_AIRCRAFT,
    K_B = 1 << SM_KIND_BASE,
    K_L = 1 << SM_KIND_LAUNCHER,
    K_ALL = K_S | K_A | K_B | K_L
};

typedef enum prop {
    P_KIND,
    P_ID,
    P_LABEL,
    P_CLAIMED_BY,
    P_SOURCE,
    P_NOTES,
    P_TIME,
    P_TIME_START,
    P_TIME_END,
    P_TIME_UNC,
    P_LOC_UNC,
    P_ATTRIBUTED_TO,
    P_WEAPON,
    P_TYPE,
    P_OPERATOR,
    P_BASE,
    P_TIMES,
    P_REFUELLED,
    P_GRADING,
    P_GEO_PRECISION,
    P_COUNT
} prop;

static const struct {
    const char *name;
    unsigned kinds;
} g_props[P_COUNT] = {
    [P_KIND] = {"kind", K_ALL},
    [P_ID] = {"id", K_ALL},
    [P_LABEL] = {"label", K_ALL},
    [P_CLAIMED_BY] = {"claimed_by", K_ALL},
    [P_SOURCE] = {"source", K_ALL},
    [P_NOTES] = {"notes", K_ALL},
    [P_TIME] = {"time", K_S | K_A | K_L},
    [P_TIME_START] = {"time_start", K_S | K_A | K_L},
    [P_TIME_END] = {"time_end", K_S | K_A | K_L},
    [P_TIME_UNC] = {"time_uncertainty_min", K_S | K_A | K_L},
    [P_LOC_UNC] = {"location_uncertainty_km", K_S | K_A | K_L},
    [P_ATTRIBUTED_TO] = {"attributed_to", K_S},
    [P_WEAPON] = {"weapon", K_S | K_A | K_L},
    [P_TYPE] = {"type", K_A},
    [P_OPERATOR] = {"operator", K_A | K_B | K_L},
    [P_BASE] = {"base", K_A},
    [P_TIMES] = {"times", K_A},
    [P_REFUELLED] = {"refuelled", K_A},
    [P_GRADING] = {"grading", K_S},
    [P_GEO_PRECISION] = {"geo_precision", K_S},
};

/* Default location uncertainty for ACLED's geo_precision codes: 1, the
 * place itself (the extent of a town); 2, "near" a place or a part of a
 * district; 3, only the wider region (ACLED codebook 2019, §"Geo-precision").
 * The radii are strikemap's reading of those classes, documented in the
 * README. */
static const double g_geo_precision_km[4] = {0, 2.0, 25.0, 100.0};

/* Names that OGR itself adds or that carry coordinates in CSV files; they
 * are not strikemap properties but are not the user's mistake either. */
static const char *const g_ignored_fields[] = {
    "lon", "lat", "longitude", "latitude", "x", "y", "lng", "long", "Name", "Description", "fid",
    "ogc_fid",
    /* added by the KML and LIBKML drivers */
    "timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude", "visibility", "drawOrder",
    "icon", "snippet", NULL};

/* ---- the file being read ---------------------------------------------- */

typedef struct reader {
    sm_ctx *ctx;
    sm_claims *claims;
    const sm_load_options *opt;
    const char *file; /* as the user named it, in the claims arena */
    int idx[P_COUNT]; /* field index of each property in the current layer, or -1 */
    OGRCoordinateTransformationH ct;
    /* the feature being read */
    OGRFeatureH f;
    long feature;
    const char *id;       /* in scratch */
    sm__arena scratch;    /* this feature's text; emptied before the next */
    sm__vec fw;           /* const char *: this feature's warnings, in scratch */
    bool bad;             /* this feature had an error */
    bool failed;          /* some feature or layer of this file had an error */
    bool nomem;           /* an allocation failed (reported once) */
    size_t no_offset;     /* times without an offset in this file */
    size_t not_used;      /* properties set on a kind they do not apply to */
    size_t fallback_used; /* aircraft of types the table lacks, given --speed */
} reader;

/* Warnings that can repeat for every feature of a large file are given for
 * the first few features, then counted in one summary line. */
#define SM_REPEAT_WARNINGS 10

static void ferr(reader *r, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void ferr(reader *r, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sm__vdiag(r->ctx, SM_SEV_ERROR, r->file, r->feature, r->id, field, fmt, ap);
    va_end(ap);
    r->bad = true;
    r->failed = true;
}

/* An allocation failed while reading this feature: one diagnostic for the
 * file, and the feature is not kept (so nothing half-read is used). */
static void oom(reader *r, const char *field)
{
    if (!r->nomem)
        sm__nomem(r->ctx, r->file, r->feature, r->id, field);
    r->nomem = r->bad = r->failed = true;
}

/* A warning about the feature: kept with the claim (every output carries
 * it), and a diagnostic when show (repeated kinds are counted after the
 * first few, see SM_REPEAT_WARNINGS, but every claim keeps its own). */
static void fwarn_n(reader *r, bool show, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fwarn_n(reader *r, bool show, const char *field, const char *fmt, ...)
{
    va_list ap;
    if (show) {
        va_start(ap, fmt);
        sm__vdiag(r->ctx, SM_SEV_WARNING, r->file, r->feature, r->id, field, fmt, ap);
        va_end(ap);
    }
    va_start(ap, fmt);
    char *msg = sm__vstrfmt(fmt, ap);
    va_end(ap);
    char *text = msg != NULL ? sm__arena_alloc(&r->scratch, strlen(field) + strlen(msg) + 3) : NULL;
    const char **slot = text != NULL ? sm__vec_push(&r->fw) : NULL;
    if (slot == NULL) {
        free(msg);
        oom(r, field);
        return;
    }
    sprintf(text, "%s: %s", field, msg);
    free(msg);
    *slot = text;
}

#define fwarn(r, ...) fwarn_n((r), true, __VA_ARGS__)

/* The feature's warnings, copied into the claim set for its record. */
static void keep_warnings(reader *r, sm_claim_info *info)
{
    if (r->fw.len == 0)
        return;
    const char **list = sm__arena_alloc(&r->claims->arena, (r->fw.len + 1) * sizeof(*list));
    if (list == NULL) {
        oom(r, NULL);
        return;
    }
    for (size_t i = 0; i < r->fw.len; i++) {
        list[i] = sm__arena_strdup(&r->claims->arena, ((const char **)r->fw.data)[i]);
        if (list[i] == NULL) {
            oom(r, NULL);
            return;
        }
    }
    list[r->fw.len] = NULL;
    info->warnings = list;
}

static bool has(reader *r, prop p)
{
    int i = r->idx[p];
    return i >= 0 && OGR_F_IsFieldSetAndNotNull(r->f, i);
}

/* A field as text, copied into the feature's scratch arena: for a field
 * that is not a string (a numeric id, a typed date), OGR formats the value
 * into a buffer that its next call reuses, so its pointer must not be kept
 * across calls. NULL when out of memory (after oom()). */
static const char *field_text(reader *r, int i, const char *field)
{
    const char *s = sm__arena_strdup(&r->scratch, OGR_F_GetFieldAsString(r->f, i));
    if (s == NULL)
        oom(r, field);
    return s;
}

/* The property as text, or NULL when absent. Empty strings count as absent
 * (spreadsheets write empty cells for "no value"). Valid until the next
 * feature. */
static const char *text(reader *r, prop p)
{
    if (!has(r, p))
        return NULL;
    const char *s = field_text(r, r->idx[p], g_props[p].name);
    if (s == NULL)
        return NULL;
    while (*s == ' ')
        s++;
    return *s ? s : NULL;
}

/* The property copied into the claim set, or NULL when absent. */
static char *dup_text(reader *r, prop p)
{
    const char *t = text(r, p);
    if (t == NULL)
        return NULL;
    char *s = sm__arena_strdup(&r->claims->arena, t);
    if (s == NULL)
        oom(r, g_props[p].name);
    return s;
}

/* A list property: a JSON array of strings, or one string of items
 * separated by ';'. NULL-terminated; NULL when absent. */
static const char **list(reader *r, prop p)
{
    if (!has(r, p))
        return NULL;
    int i = r->idx[p];
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(r->f, i));
    if (t == OFTStringList) {
        char **items = OGR_F_GetFieldAsStringList(r->f, i);
        size_t n = (size_t)CSLCount(items);
        const char **out = sm__arena_alloc(&r->claims->arena, (n + 1) * sizeof(*out));
        if (out == NULL) {
            oom(r, g_props[p].name);
            return NULL;
        }
        size_t k = 0;
        for (size_t j = 0; j < n; j++) {
            if (items[j][0] == '\0')
                continue;
            out[k] = sm__arena_strdup(&r->claims->arena, items[j]);
            if (out[k++] == NULL) {
                oom(r, g_props[p].name);
                return NULL;
            }
        }
        out[k] = NULL;
        return out;
    }
    const char *s = field_text(r, i, g_props[p].name);
    if (s == NULL)
        return NULL;
    const char **out = sm__split_list(&r->claims->arena, s);
    if (out == NULL)
        oom(r, g_props[p].name);
    return out;
}

/* A number property in [0, max]; false when absent or after an error. */
static bool number(reader *r, prop p, double *out, double max, const char *expect)
{
    if (!has(r, p))
        return false;
    int i = r->idx[p];
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(r->f, i));
    double v;
    if (t == OFTReal || t == OFTInteger || t == OFTInteger64) {
        v = OGR_F_GetFieldAsDouble(r->f, i);
    } else {
        const char *s = field_text(r, i, g_props[p].name);
        if (s == NULL)
            return false;
        char *end;
        v = strtod(s, &end);
        while (*end == ' ')
            end++;
        if (end == s || *end != '\0') {
            if (*s == '\0')
                return false;
            ferr(r, g_props[p].name, "\"%s\" is not a number; expected %s", s, expect);
            return false;
        }
    }
    if (!isfinite(v) || v < 0 || v > max) {
        ferr(r, g_props[p].name, "%g is out of range; expected %s", v, expect);
        return false;
    }
    *out = v;
    return true;
}

static bool boolean(reader *r, prop p)
{
    if (!has(r, p))
        return false;
    int i = r->idx[p];
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(r->f, i));
    if (t == OFTInteger || t == OFTInteger64) {
        long long v = OGR_F_GetFieldAsInteger64(r->f, i);
        if (v == 0 || v == 1)
            return v == 1;
    } else {
        const char *s = field_text(r, i, g_props[p].name);
        if (s == NULL)
            return false;
        if (sm__str_ieq(s, "true") || sm__str_ieq(s, "yes") || sm__str_ieq(s, "1"))
            return true;
        if (sm__str_ieq(s, "false") || sm__str_ieq(s, "no") || sm__str_ieq(s, "0") || !*s)
            return false;
    }
    const char *s = field_text(r, i, g_props[p].name);
    if (s != NULL)
        ferr(r, g_props[p].name, "\"%s\" is not a boolean; expected true or false", s);
    return false;
}

/* A time property: ISO 8601 text, or an OGR date-time when a driver typed
 * the column itself. */
static bool parse_time_value(reader *r, const char *field, const char *s, sm_when *w)
{
    if (!sm_time_parse(s, w)) {
        ferr(r, field,
             "\"%s\" is not a time; expected ISO 8601 with an offset, e.g. "
             "2016-02-10T13:55:00+03:00",
             s);
        return false;
    }
    if (!w->offset_given)
        fwarn_n(r, r->no_offset++ < SM_REPEAT_WARNINGS, field,
                "\"%s\" has no UTC offset; read as UTC (write Z or +03:00 to say so)", s);
    return true;
}

static bool time_prop(reader *r, prop p, sm_when *w)
{
    if (!has(r, p))
        return false;
    int i = r->idx[p];
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(r->f, i));
    if (t == OFTDateTime || t == OFTDate) {
        int y, mo, d, h, mi, tz;
        float sec;
        OGR_F_GetFieldAsDateTimeEx(r->f, i, &y, &mo, &d, &h, &mi, &sec, &tz);
        char buf[64];
        int n = snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, mo, d);
        if (t == OFTDateTime)
            n +=
                snprintf(buf + n, sizeof(buf) - (size_t)n, "T%02d:%02d:%06.3f", h, mi, (double)sec);
        /* OGR's TZFlag: 0 unknown, 1 local time, 100 UTC, 100 + n an offset
         * of n quarter hours (so 80 is -05:00). */
        if (t == OFTDateTime && tz >= 2) {
            int off = (tz - 100) * 15;
            snprintf(buf + n, sizeof(buf) - (size_t)n, "%c%02d:%02d", off < 0 ? '-' : '+',
                     abs(off) / 60, abs(off) % 60);
        }
        return parse_time_value(r, g_props[p].name, buf, w);
    }
    const char *s = text(r, p);
    if (s == NULL)
        return false;
    return parse_time_value(r, g_props[p].name, s, w);
}

/* ---- geometry ----------------------------------------------------------- */

static bool check_lonlat(reader *r, double lon, double lat, int vertex)
{
    char where[48] = "";
    if (vertex >= 0)
        snprintf(where, sizeof(where), " at vertex %d", vertex);
    if (!isfinite(lon) || !isfinite(lat)) {
        ferr(r, "geometry", "coordinate%s is not finite (%g, %g); expected lon, lat in degrees",
             where, lon, lat);
        return false;
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        ferr(r, "geometry",
             "coordinate%s (%.6f, %.6f) is out of range; expected longitude in [-180, 180] "
             "then latitude in [-90, 90]%s",
             where, lon, lat,
             (fabs(lat) > 90 && fabs(lon) <= 90) ? " (are longitude and latitude swapped?)" : "");
        return false;
    }
    return true;
}

static const char *geom_name(OGRwkbGeometryType t)
{
    return OGRGeometryTypeToName(wkbFlatten(t));
}

/* The feature's geometry in lon/lat, or NULL (after an error). Borrowed
 * from the feature unless transformed, then *owned is set. */
static OGRGeometryH feature_geometry(reader *r, bool *owned)
{
    *owned = false;
    OGRGeometryH g = OGR_F_GetGeometryRef(r->f);
    if (g == NULL || OGR_G_IsEmpty(g))
        return NULL;
    if (r->ct != NULL) {
        g = OGR_G_Clone(g);
        *owned = true;
        if (OGR_G_Transform(g, r->ct) != OGRERR_NONE) {
            ferr(r, "geometry", "cannot be transformed to WGS84 longitude/latitude");
            OGR_G_DestroyGeometry(g);
            *owned = false;
            return NULL;
        }
    }
    return g;
}

static bool read_point(reader *r, OGRGeometryH g, double *lon, double *lat)
{
    *lon = OGR_G_GetX(g, 0);
    *lat = OGR_G_GetY(g, 0);
    return check_lonlat(r, *lon, *lat, -1);
}

/* ---- one feature of each kind ------------------------------------------- */

static void read_common(reader *r, sm_claim_info *info)
{
    info->id = sm__arena_strdup(&r->claims->arena, r->id);
    if (info->id == NULL && r->id != NULL)
        oom(r, "id");
    info->label = dup_text(r, P_LABEL);
    info->claimed_by = dup_text(r, P_CLAIMED_BY);
    info->source = dup_text(r, P_SOURCE);
    info->notes = dup_text(r, P_NOTES);
    info->file = r->file;
    info->feature = r->feature;
}

/* " (did you mean "a", "b" or "c"?)", or "" without suggestions, in the
 * feature's scratch arena (names in a user's table can be of any length). */
static const char *did_you_mean(reader *r, const char *const *sug, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(sug[i]) + 20;
    char *hint = sm__arena_alloc(&r->scratch, len);
    if (hint == NULL)
        return "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(hint + used, len - used, "%s\"%s\"",
                         i == 0 ? " (did you mean " : (i + 1 == n ? " or " : ", "), sug[i]);
        used += k > 0 ? (size_t)k : 0;
    }
    if (n > 0)
        snprintf(hint + used, len - used, "?)");
    return hint;
}

static const sm_weapon *read_weapon(reader *r, const char **name)
{
    *name = dup_text(r, P_WEAPON);
    if (*name == NULL)
        return NULL;
    const sm_weapon *w = sm_tables_find_weapon(r->ctx, *name);
    if (w == NULL) {
        const char *sug[3];
        size_t n = sm_tables_suggest_weapon(r->ctx, *name, sug, 3);
        ferr(r, "weapon", "\"%s\" is not in the weapons table%s; add it with --weapons FILE", *name,
             did_you_mean(r, sug, n));
    }
    return w;
}

/* time, or time_start + time_end, into *w; false after an error. */
static bool read_when(reader *r, sm_when *w)
{
    memset(w, 0, sizeof(*w));
    bool has_t = has(r, P_TIME) && text(r, P_TIME), has_s = text(r, P_TIME_START) != NULL,
         has_e = text(r, P_TIME_END) != NULL;
    if (has_t && (has_s || has_e)) {
        ferr(r, has_s ? "time_start" : "time_end",
             "given together with \"time\"; expected either time or time_start and time_end");
        return false;
    }
    if (has_t) {
        if (!time_prop(r, P_TIME, w))
            return false;
    } else if (has_s != has_e) {
        ferr(r, has_s ? "time_end" : "time_start",
             "missing; a window needs both time_start and time_end");
        return false;
    } else if (has_s) {
        sm_when a, b;
        if (!time_prop(r, P_TIME_START, &a) || !time_prop(r, P_TIME_END, &b))
            return false;
        if (b.end < a.start) {
            ferr(r, "time_end",
                 "is before time_start; expected a window that ends after it "
                 "starts");
            return false;
        }
        *w = a;
        w->end = b.end;
        w->offset_given = a.offset_given && b.offset_given;
    }
    double unc = 0;
    if (number(r, P_TIME_UNC, &unc, SM_MAX_TIME_UNCERTAINTY_MIN, "minutes, 0 to 527040 (a year)"))
        w->uncertainty_min = unc;
    return true;
}

static void read_strike(reader *r, OGRGeometryH g)
{
    sm_strike s;
    memset(&s, 0, sizeof(s));
    read_common(r, &s.info);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    sm__arena *a = &r->claims->arena;
    if (t == wkbPoint) {
        read_point(r, g, &s.lon, &s.lat);
    } else if (t == wkbPolygon || t == wkbMultiPolygon) {
        /* Rings of every part; the outer ring of the first part comes first. */
        size_t n_rings = 0, n_pts = 0;
        int parts = t == wkbPolygon ? 1 : OGR_G_GetGeometryCount(g);
        for (int p = 0; p < parts; p++) {
            OGRGeometryH poly = t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, p);
            for (int k = 0; k < OGR_G_GetGeometryCount(poly); k++) {
                n_rings++;
                n_pts += (size_t)OGR_G_GetPointCount(OGR_G_GetGeometryRef(poly, k));
            }
        }
        size_t *sizes = sm__arena_alloc(a, n_rings * sizeof(*sizes) + 1);
        double *xy = sm__arena_alloc(a, n_pts * 2 * sizeof(*xy) + 1);
        if (sizes == NULL || xy == NULL) {
            oom(r, "geometry");
            return;
        }
        size_t ri = 0, pi = 0;
        for (int p = 0; p < parts; p++) {
            OGRGeometryH poly = t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, p);
            for (int k = 0; k < OGR_G_GetGeometryCount(poly); k++) {
                OGRGeometryH ring = OGR_G_GetGeometryRef(poly, k);
                int np = OGR_G_GetPointCount(ring);
                sizes[ri++] = (size_t)np;
                for (int v = 0; v < np; v++) {
                    xy[2 * pi] = OGR_G_GetX(ring, v);
                    xy[2 * pi + 1] = OGR_G_GetY(ring, v);
                    check_lonlat(r, xy[2 * pi], xy[2 * pi + 1], (int)pi);
                    pi++;
                }
            }
        }
        s.n_rings = n_rings;
        s.ring_sizes = sizes;
        s.ring_lonlat = xy;
        /* A representative point on the target for labels and markers. */
        OGRGeometryH pt = OGR_G_PointOnSurface(g);
        if (pt != NULL) {
            s.lon = OGR_G_GetX(pt, 0);
            s.lat = OGR_G_GetY(pt, 0);
            OGR_G_DestroyGeometry(pt);
        } else if (n_pts > 0) {
            s.lon = xy[0];
            s.lat = xy[1];
        }
    } else {
        ferr(r, "geometry", "is a %s; expected a Point (or a Polygon for an area target)",
             geom_name(t));
    }
    read_when(r, &s.when);
    number(r, P_LOC_UNC, &s.location_uncertainty_km, SM_MAX_DISTANCE_KM,
           "km, 0 to 20004 (half the meridian)");
    s.attributed_to = (const char *const *)list(r, P_ATTRIBUTED_TO);
    s.weapon_ref = read_weapon(r, &s.weapon);
    const char *grading = text(r, P_GRADING);
    if (grading != NULL) {
        static const char *names[] = {"confirmed", "fair", "weak", "contested", "discounted"};
        for (size_t i = 0; i < SM__ARRAY_LEN(names); i++)
            if (sm__str_ieq(grading, names[i]))
                s.grading = (sm_grading)(SM_GRADING_CONFIRMED + i);
        if (s.grading == SM_GRADING_NONE)
            ferr(r, "grading",
                 "\"%s\" is not an Airwars grading; expected confirmed, fair, weak, contested "
                 "or discounted",
                 grading);
    }
    double gp;
    if (number(r, P_GEO_PRECISION, &gp, 3, "1, 2 or 3")) {
        if (gp != 1 && gp != 2 && gp != 3) {
            ferr(r, "geo_precision", "%g is not an ACLED geo-precision code; expected 1, 2 or 3",
                 gp);
        } else {
            s.geo_precision = (int)gp;
            if (!has(r, P_LOC_UNC))
                s.location_uncertainty_km = g_geo_precision_km[s.geo_precision];
        }
    }
    keep_warnings(r, &s.info);
    if (!r->bad) {
        sm_strike *slot = sm__vec_push(&r->claims->strikes);
        if (slot == NULL)
            oom(r, NULL);
        else
            *slot = s;
    }
}

static const sm_aircraft_type *read_type(reader *r, const char **name)
{
    *name = dup_text(r, P_TYPE);
    if (*name == NULL) {
        if (r->opt->fallback_speed_kmh <= 0)
            ferr(r, "type",
                 "missing; expected an aircraft type from the aircraft table (or "
                 "give --speed)");
        return NULL;
    }
    const sm_aircraft_type *t = sm_tables_find_aircraft(r->ctx, *name);
    if (t == NULL && r->opt->fallback_speed_kmh > 0)
        fwarn_n(r, r->fallback_used++ < SM_REPEAT_WARNINGS, "type",
                "\"%s\" is not in the aircraft table; the --speed given (%g km/h) stands for "
                "it, with no combat radius and no default weapons",
                *name, r->opt->fallback_speed_kmh);
    if (t == NULL && r->opt->fallback_speed_kmh <= 0) {
        const char *sug[3];
        size_t n = sm_tables_suggest_aircraft(r->ctx, *name, sug, 3);
        ferr(r, "type",
             "\"%s\" is not in the aircraft table%s; add it with --aircraft FILE or give "
             "--speed KMH",
             *name, did_you_mean(r, sug, n));
    }
    return t;
}

static void read_aircraft(reader *r, OGRGeometryH g)
{
    sm_aircraft a;
    memset(&a, 0, sizeof(a));
    read_common(r, &a.info);
    sm__arena *arena = &r->claims->arena;
    a.type_ref = read_type(r, &a.type);
    a.operator_name = dup_text(r, P_OPERATOR);
    a.base = dup_text(r, P_BASE);
    a.base_index = -1;
    a.weapon_ref = read_weapon(r, &a.weapon);
    a.refuelled = boolean(r, P_REFUELLED);
    number(r, P_LOC_UNC, &a.location_uncertainty_km, SM_MAX_DISTANCE_KM,
           "km, 0 to 20004 (half the meridian)");
    number(r, P_TIME_UNC, &a.time_uncertainty_min, SM_MAX_TIME_UNCERTAINTY_MIN,
           "minutes, 0 to 527040 (a year)");

    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint) {
        sm_fix *fix = sm__arena_alloc(arena, sizeof(*fix));
        if (fix == NULL) {
            oom(r, "geometry");
            return;
        }
        read_point(r, g, &fix->lon, &fix->lat);
        read_when(r, &fix->when);
        if (fix->when.uncertainty_min == 0)
            fix->when.uncertainty_min = a.time_uncertainty_min;
        if (has(r, P_TIMES))
            fwarn(r, "times",
                  "ignored: an aircraft Point has one fix; use \"time\" (\"times\" "
                  "goes with a LineString track)");
        a.n_fixes = 1;
        a.fixes = fix;
    } else if (t == wkbLineString) {
        int n = OGR_G_GetPointCount(g);
        sm_fix *fixes = sm__arena_alloc(arena, (size_t)(n > 0 ? n : 1) * sizeof(*fixes));
        if (fixes == NULL) {
            oom(r, "geometry");
            return;
        }
        for (int v = 0; v < n; v++) {
            fixes[v].lon = OGR_G_GetX(g, v);
            fixes[v].lat = OGR_G_GetY(g, v);
            check_lonlat(r, fixes[v].lon, fixes[v].lat, v);
        }
        if (n < 2)
            ferr(r, "geometry", "a track has %d vertex; expected at least 2", n);
        if (text(r, P_TIME) || text(r, P_TIME_START))
            fwarn(r, "time", "ignored on a track: each vertex gets its time from \"times\"");
        const char **times = list(r, P_TIMES);
        size_t nt = 0;
        while (times && times[nt])
            nt++;
        if (times == NULL || nt == 0) {
            ferr(r, "times",
                 "missing; a LineString track needs one ISO 8601 time per vertex "
                 "(%d)",
                 n);
        } else if (nt != (size_t)n) {
            ferr(r, "times", "has %zu times for %d vertices; expected one time per vertex", nt, n);
        } else {
            for (int v = 0; v < n; v++) {
                char field[32]; /* "times[" + an int + "]": 18 bytes at most */
                snprintf(field, sizeof(field), "times[%d]", v);
                if (!parse_time_value(r, field, times[v], &fixes[v].when))
                    continue;
                fixes[v].when.uncertainty_min = a.time_uncertainty_min;
                if (v > 0 && fixes[v - 1].when.known && fixes[v].when.start < fixes[v - 1].when.end)
                    ferr(r, field,
                         "\"%s\" is earlier than the time before it (\"%s\"); "
                         "expected times in order along the track",
                         times[v], times[v - 1]);
            }
        }
        a.is_track = true;
        a.n_fixes = (size_t)n;
        a.fixes = fixes;
    } else {
        ferr(r, "geometry", "is a %s; expected a Point (one fix) or a LineString (a track)",
             geom_name(t));
    }
    keep_warnings(r, &a.info);
    if (!r->bad) {
        sm_aircraft *slot = sm__vec_push(&r->claims->aircraft);
        if (slot == NULL)
            oom(r, NULL);
        else
            *slot = a;
    }
}

static void read_base(reader *r, OGRGeometryH g)
{
    sm_base b;
    memset(&b, 0, sizeof(b));
    read_common(r, &b.info);
    b.operator_name = dup_text(r, P_OPERATOR);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint)
        read_point(r, g, &b.lon, &b.lat);
    else
        ferr(r, "geometry", "is a %s; expected a Point", geom_name(t));
    keep_warnings(r, &b.info);
    if (!r->bad) {
        sm_base *slot = sm__vec_push(&r->claims->bases);
        if (slot == NULL)
            oom(r, NULL);
        else
            *slot = b;
    }
}

/* A ship or ground launcher claimed to have fired a missile (SPEC §2):
 * weapon required, launch time and operator optional. */
static void read_launcher(reader *r, OGRGeometryH g)
{
    sm_launcher l;
    memset(&l, 0, sizeof(l));
    read_common(r, &l.info);
    l.operator_name = dup_text(r, P_OPERATOR);
    l.weapon_ref = read_weapon(r, &l.weapon);
    if (l.weapon == NULL && !r->bad)
        ferr(r, "weapon",
             "missing; a launcher claim needs the weapon it fired (a weapon of "
             "the weapons table)");
    else if (l.weapon_ref != NULL && !(l.weapon_ref->launch & (SM_LAUNCH_SHIP | SM_LAUNCH_GROUND)))
        fwarn(r, "weapon",
              "\"%s\" is launched from the air by the weapons table, not from a "
              "ship or the ground; it is checked as claimed",
              l.weapon);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint)
        read_point(r, g, &l.lon, &l.lat);
    else
        ferr(r, "geometry", "is a %s; expected a Point (where the launcher stood)", geom_name(t));
    read_when(r, &l.when);
    number(r, P_LOC_UNC, &l.location_uncertainty_km, SM_MAX_DISTANCE_KM,
           "km, 0 to 20004 (half the meridian)");
    keep_warnings(r, &l.info);
    if (!r->bad) {
        sm_launcher *slot = sm__vec_push(&r->claims->launchers);
        if (slot == NULL)
            oom(r, NULL);
        else
            *slot = l;
    }
}

/* A CSV row whose lon/lat columns did not make a point: say which value. */
static bool explain_missing_xy(reader *r)
{
    static const char *const names[] = {"lon", "longitude", "lng",      "long",
                                        "x",   "lat",       "latitude", "y"};
    OGRFeatureDefnH defn = OGR_F_GetDefnRef(r->f);
    bool said = false;
    for (size_t k = 0; k < SM__ARRAY_LEN(names); k++) {
        int i = OGR_FD_GetFieldIndex(defn, names[k]);
        if (i < 0)
            continue;
        const char *v = OGR_F_IsFieldSetAndNotNull(r->f, i) ? field_text(r, i, names[k]) : "";
        if (v == NULL)
            return true; /* out of memory, said */
        char *end;
        double d = strtod(v, &end);
        if (*v == '\0' || *end != '\0' || !isfinite(d)) {
            if (*v == '\0')
                ferr(r, names[k], "empty or not a finite number; expected %s in degrees",
                     k < 5 ? "a longitude" : "a latitude");
            else
                ferr(r, names[k], "\"%s\" is not a finite number; expected %s in degrees", v,
                     k < 5 ? "a longitude" : "a latitude");
            said = true;
        }
    }
    return said;
}

/* Every text field of the feature must be UTF-8: the outputs (JSON, HTML,
 * the map's text) are, and a wrong byte would make them invalid. */
static void check_utf8(reader *r)
{
    OGRFeatureDefnH defn = OGR_F_GetDefnRef(r->f);
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        OGRFieldType t = OGR_Fld_GetType(fd);
        if ((t != OFTString && t != OFTStringList) || !OGR_F_IsFieldSetAndNotNull(r->f, i))
            continue;
        char **items = NULL;
        const char *one[2] = {NULL, NULL};
        if (t == OFTStringList) {
            items = OGR_F_GetFieldAsStringList(r->f, i);
        } else {
            one[0] = OGR_F_GetFieldAsString(r->f, i);
            items = (char **)(uintptr_t)one;
        }
        for (size_t k = 0; items != NULL && items[k] != NULL; k++) {
            size_t at = sm__utf8_invalid_at(items[k]);
            if (at != (size_t)-1) {
                ferr(r, OGR_Fld_GetNameRef(fd),
                     "byte %zu (0x%02X) is not valid UTF-8; expected text in UTF-8", at,
                     (unsigned)(unsigned char)items[k][at]);
                break;
            }
        }
    }
}

static void read_feature(reader *r)
{
    r->bad = false;
    sm__arena_reset(&r->scratch);
    r->fw.len = 0;
    /* Messages name the feature by its id only when that is valid text. */
    r->id = text(r, P_ID);
    if (r->id != NULL && sm__utf8_invalid_at(r->id) != (size_t)-1)
        r->id = NULL;
    check_utf8(r);
    if (r->bad)
        return;
    const char *kind_text = text(r, P_KIND);
    sm_kind kind = 0;
    if (r->id == NULL)
        ferr(r, "id", "missing; every claim needs an id, unique in the claim set");
    if (kind_text == NULL) {
        ferr(r, "kind", "missing; expected strike, aircraft, base or launcher");
    } else if (sm__str_ieq(kind_text, "strike")) {
        kind = SM_KIND_STRIKE;
    } else if (sm__str_ieq(kind_text, "aircraft")) {
        kind = SM_KIND_AIRCRAFT;
    } else if (sm__str_ieq(kind_text, "base")) {
        kind = SM_KIND_BASE;
    } else if (sm__str_ieq(kind_text, "launcher")) {
        kind = SM_KIND_LAUNCHER;
    } else {
        ferr(r, "kind", "\"%s\" is not a kind; expected strike, aircraft, base or launcher",
             kind_text);
    }
    if (kind == 0)
        return;
    /* A property that does not apply to this kind is a warning, not an
     * error: the claim is still readable. */
    for (int p = 0; p < P_COUNT; p++)
        if (!(g_props[p].kinds & (1u << kind)) && text(r, (prop)p) != NULL)
            fwarn_n(r, r->not_used++ < SM_REPEAT_WARNINGS, g_props[p].name,
                    "not used for a %s; ignored", kind_text);
    bool owned;
    OGRGeometryH g = feature_geometry(r, &owned);
    if (g == NULL) {
        if (!r->bad && !explain_missing_xy(r))
            ferr(r, "geometry",
                 "missing, empty, or with coordinates that are not finite numbers; expected a "
                 "%s with longitude, latitude in degrees",
                 kind == SM_KIND_AIRCRAFT ? "Point or a LineString" : "Point");
        return;
    }
    switch (kind) {
    case SM_KIND_STRIKE: read_strike(r, g); break;
    case SM_KIND_AIRCRAFT: read_aircraft(r, g); break;
    case SM_KIND_BASE: read_base(r, g); break;
    case SM_KIND_LAUNCHER: read_launcher(r, g); break;
    }
    if (owned)
        OGR_G_DestroyGeometry(g);
}

/* ---- files -------------------------------------------------------------- */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && sm__str_ieq(s + n - m, suffix);
}

/* Field indices of this layer, a warning for each field strikemap does not
 * know, and a transformation when the layer is not in WGS84 lon/lat. */
static bool prepare_layer(reader *r, OGRLayerH layer)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    for (int p = 0; p < P_COUNT; p++)
        r->idx[p] = OGR_FD_GetFieldIndex(defn, g_props[p].name);
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        bool known = false;
        for (int p = 0; p < P_COUNT && !known; p++)
            known = strcmp(name, g_props[p].name) == 0;
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
                unsigned d = sm__edit_distance(name, g_props[p].name);
                size_t ln = strlen(name), lp = strlen(g_props[p].name);
                /* "attributed" for "attributed_to", "time_unc" for ... */
                if (ln >= 4 && ln < lp && strncasecmp(name, g_props[p].name, ln) == 0)
                    d = 1;
                if (d < bd) {
                    bd = d;
                    best = g_props[p].name;
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

sm_status sm_claims_add_file(sm_ctx *ctx, sm_claims *claims, const char *path,
                             const sm_load_options *options)
{
    static const sm_load_options defaults;
    if (options == NULL)
        options = &defaults;
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
    /* A file on disk is checked here, so that a missing file or a FIFO gets
     * a plain message (and a FIFO or device never blocks the read). What
     * is not a file (a PG: connection, a /vsizip/ or /vsicurl/ path) goes
     * to GDAL as it is. */
    struct stat sb;
    bool virtual_path = strncmp(path, "/vsi", 4) == 0 || (strchr(path, ':') != NULL);
    if (stat(path, &sb) == 0) {
        if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                     "is not a regular file (a FIFO, socket or device); expected a file or "
                     "a folder of files");
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
    if (has_suffix(path, ".geojson") || has_suffix(path, ".json")) {
        drivers = geojson;
        open_opts = json_opts;
    } else if (has_suffix(path, ".geojsons") || has_suffix(path, ".geojsonl") ||
               has_suffix(path, ".geojsonseq") || has_suffix(path, ".jsonl")) {
        drivers = seq;
    } else if (has_suffix(path, ".csv")) {
        drivers = csv;
        open_opts = csv_opts;
    }
    sm__cpl_capture_begin();
    GDALDatasetH ds =
        GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, (const char *const *)drivers,
                   (const char *const *)open_opts, NULL);
    const char *msg = sm__cpl_capture_end();
    if (ds == NULL) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cannot be read as %s%s%s",
                 drivers == geojson ? "GeoJSON" : "a vector source",
                 msg ? ": " : " (GDAL/OGR recognises no format in it)", msg ? msg : "");
        return SM_ERR_FORMAT;
    }
    reader r;
    memset(&r, 0, sizeof(r));
    sm__vec_init(&r.fw, sizeof(const char *));
    r.ctx = ctx;
    r.claims = claims;
    r.opt = options;
    r.file = sm__arena_strdup(&claims->arena, path);
    if (r.file == NULL) {
        GDALClose(ds);
        return sm__nomem(ctx, path, -1, NULL, NULL);
    }
    long feature = 0;
    sm_status st = SM_OK;
    int n_layers = GDALDatasetGetLayerCount(ds);
    if (n_layers == 0)
        sm__diag(ctx, SM_SEV_WARNING, path, -1, NULL, NULL, "holds no layer, so no claims");
    for (int li = 0; li < n_layers && !r.nomem; li++) {
        OGRLayerH layer = GDALDatasetGetLayer(ds, li);
        if (!prepare_layer(&r, layer))
            continue;
        OGR_L_ResetReading(layer);
        long long n_known = -1;
        if (options->progress != NULL && OGR_L_TestCapability(layer, OLCFastFeatureCount))
            n_known = (long long)OGR_L_GetFeatureCount(layer, FALSE) + feature;
        for (;;) {
            sm__cpl_capture_begin();
            OGRFeatureH f = OGR_L_GetNextFeature(layer);
            msg = sm__cpl_capture_end();
            if (msg != NULL) {
                /* A streaming driver (GeoJSONSeq, CSV) meets broken input here. */
                sm__diag(ctx, SM_SEV_ERROR, path, feature, NULL, NULL, "cannot be read: %s", msg);
                r.failed = true;
                if (f != NULL)
                    OGR_F_Destroy(f);
                break;
            }
            if (f == NULL)
                break;
            r.f = f;
            r.feature = feature++;
            if (options->progress != NULL && feature % 65536 == 0)
                options->progress(options->progress_user, path, (size_t)feature,
                                  n_known > 0 ? (double)feature / (double)n_known : -1.0);
            read_feature(&r);
            OGR_F_Destroy(f);
            if (r.nomem)
                break;
        }
        if (r.ct != NULL)
            OCTDestroyCoordinateTransformation(r.ct);
        r.ct = NULL;
    }
    GDALClose(ds);
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
    if (feature == 0 && !r.failed)
        sm__diag(ctx, SM_SEV_WARNING, path, -1, NULL, NULL, "holds no features");
    if (r.nomem)
        st = SM_ERR_NOMEM;
    else if (r.failed)
        st = SM_ERR_INVALID;
    claims->finished = false;
    return st;
}

/* ---- the whole set ------------------------------------------------------- */

sm_claims *sm_claims_new(void)
{
    sm_claims *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    sm__vec_init(&c->strikes, sizeof(sm_strike));
    sm__vec_init(&c->aircraft, sizeof(sm_aircraft));
    sm__vec_init(&c->bases, sizeof(sm_base));
    sm__vec_init(&c->launchers, sizeof(sm_launcher));
    return c;
}

void sm_claims_free(sm_claims *claims)
{
    if (claims == NULL)
        return;
    sm__vec_free(&claims->strikes);
    sm__vec_free(&claims->aircraft);
    sm__vec_free(&claims->bases);
    sm__vec_free(&claims->launchers);
    sm__arena_free(&claims->arena);
    free(claims);
}

size_t sm_claims_strike_count(const sm_claims *c)
{
    return c->strikes.len;
}
size_t sm_claims_aircraft_count(const sm_claims *c)
{
    return c->aircraft.len;
}
size_t sm_claims_base_count(const sm_claims *c)
{
    return c->bases.len;
}
size_t sm_claims_launcher_count(const sm_claims *c)
{
    return c->launchers.len;
}

const sm_launcher *sm_claims_launcher(const sm_claims *c, size_t i)
{
    return i < c->launchers.len ? (const sm_launcher *)c->launchers.data + i : NULL;
}

const sm_strike *sm_claims_strike(const sm_claims *c, size_t i)
{
    return i < c->strikes.len ? (const sm_strike *)c->strikes.data + i : NULL;
}

const sm_aircraft *sm_claims_aircraft(const sm_claims *c, size_t i)
{
    return i < c->aircraft.len ? (const sm_aircraft *)c->aircraft.data + i : NULL;
}

const sm_base *sm_claims_base(const sm_claims *c, size_t i)
{
    return i < c->bases.len ? (const sm_base *)c->bases.data + i : NULL;
}

bool sm__claim_add_warning(sm_claims *c, const sm_claim_info *info, const char *field,
                           const char *message)
{
    /* The record lives in the set's own arrays: it is the set's to amend. */
    sm_claim_info *mut = (sm_claim_info *)(uintptr_t)info;
    size_t n = 0;
    while (mut->warnings != NULL && mut->warnings[n] != NULL)
        n++;
    const char **list = sm__arena_alloc(&c->arena, (n + 2) * sizeof(*list));
    char *text = sm__arena_alloc(&c->arena, strlen(field) + strlen(message) + 3);
    if (list == NULL || text == NULL)
        return false;
    sprintf(text, "%s: %s", field, message);
    for (size_t i = 0; i < n; i++)
        list[i] = mut->warnings[i];
    list[n] = text;
    list[n + 1] = NULL;
    mut->warnings = list;
    return true;
}

/* A warning about one claim after loading (cross-claim checks): a
 * diagnostic, and kept with the claim's record. */
static bool claim_warn(sm_ctx *ctx, sm_claims *c, const sm_claim_info *info, const char *field,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static bool claim_warn(sm_ctx *ctx, sm_claims *c, const sm_claim_info *info, const char *field,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = sm__vstrfmt(fmt, ap);
    va_end(ap);
    if (msg == NULL)
        return false;
    sm__diag(ctx, SM_SEV_WARNING, info->file, info->feature, info->id, field, "%s", msg);
    bool ok = sm__claim_add_warning(c, info, field, msg);
    free(msg);
    return ok;
}

/* An id and where it was seen, sorted to find duplicates. */
typedef struct id_ref {
    const sm_claim_info *info;
    sm_kind kind;
    size_t index;
} id_ref;

static int cmp_id_ref(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int c = strcmp(x->info->id, y->info->id);
    if (c != 0)
        return c;
    int f = strcmp(x->info->file, y->info->file);
    if (f != 0)
        return f;
    return (x->info->feature > y->info->feature) - (x->info->feature < y->info->feature);
}

static int find_id(const id_ref *refs, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(refs[mid].info->id, id);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(refs[lo].info->id, id) == 0 ? (int)lo : -1;
}

static const char *kind_name(sm_kind k)
{
    switch (k) {
    case SM_KIND_STRIKE: return "strike";
    case SM_KIND_AIRCRAFT: return "aircraft";
    case SM_KIND_BASE: return "base";
    case SM_KIND_LAUNCHER: return "launcher";
    }
    return "claim";
}

static bool is_known_operator(sm_ctx *ctx, const sm_claims *c, const char *name)
{
    if (sm_tables_find_operator(ctx, name) != NULL)
        return true;
    for (size_t i = 0; i < c->launchers.len; i++)
        if (sm__str_ieq(((const sm_launcher *)c->launchers.data)[i].operator_name, name))
            return true;
    for (size_t i = 0; i < c->aircraft.len; i++)
        if (sm__str_ieq(((const sm_aircraft *)c->aircraft.data)[i].operator_name, name))
            return true;
    for (size_t i = 0; i < c->bases.len; i++)
        if (sm__str_ieq(((const sm_base *)c->bases.data)[i].operator_name, name))
            return true;
    for (size_t i = 0; i < sm_tables_aircraft_count(ctx); i++) {
        const sm_aircraft_type *t = sm_tables_aircraft(ctx, i);
        for (size_t k = 0; t->operators && t->operators[k]; k++)
            if (sm__str_ieq(t->operators[k], name))
                return true;
    }
    return false;
}

/* positions.c: warnings for strikes at sea or far from the rest. */
sm_status sm__check_positions(sm_ctx *ctx, sm_claims *claims, const sm_load_options *opt);

sm_status sm_claims_finish(sm_ctx *ctx, sm_claims *c, const sm_load_options *options)
{
    static const sm_load_options defaults;
    if (options == NULL)
        options = &defaults;
    bool bad = false;
    size_t n = c->strikes.len + c->aircraft.len + c->bases.len + c->launchers.len;
    id_ref *refs = malloc((n ? n : 1) * sizeof(*refs));
    if (refs == NULL)
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    size_t k = 0;
    for (size_t i = 0; i < c->strikes.len; i++)
        refs[k++] = (id_ref){&((sm_strike *)c->strikes.data)[i].info, SM_KIND_STRIKE, i};
    for (size_t i = 0; i < c->aircraft.len; i++)
        refs[k++] = (id_ref){&((sm_aircraft *)c->aircraft.data)[i].info, SM_KIND_AIRCRAFT, i};
    for (size_t i = 0; i < c->bases.len; i++)
        refs[k++] = (id_ref){&((sm_base *)c->bases.data)[i].info, SM_KIND_BASE, i};
    for (size_t i = 0; i < c->launchers.len; i++)
        refs[k++] = (id_ref){&((sm_launcher *)c->launchers.data)[i].info, SM_KIND_LAUNCHER, i};
    qsort(refs, n, sizeof(*refs), cmp_id_ref);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(refs[i].info->id, refs[i - 1].info->id) != 0)
            continue;
        size_t first = i - 1;
        while (first > 0 && strcmp(refs[first - 1].info->id, refs[i].info->id) == 0)
            first--;
        sm__diag(ctx, SM_SEV_ERROR, refs[i].info->file, refs[i].info->feature, refs[i].info->id,
                 "id",
                 "duplicate id; first used by %s feature %ld; expected ids unique in "
                 "the claim set",
                 refs[first].info->file, refs[first].info->feature);
        bad = true;
    }
    sm_aircraft *air = c->aircraft.data;
    for (size_t i = 0; i < c->aircraft.len; i++) {
        air[i].base_index = -1;
        if (air[i].base == NULL)
            continue;
        int j = find_id(refs, n, air[i].base);
        if (j < 0) {
            sm__diag(ctx, SM_SEV_ERROR, air[i].info.file, air[i].info.feature, air[i].info.id,
                     "base", "\"%s\" names no feature; expected the id of a base feature",
                     air[i].base);
            bad = true;
        } else if (refs[j].kind != SM_KIND_BASE) {
            sm__diag(ctx, SM_SEV_ERROR, air[i].info.file, air[i].info.feature, air[i].info.id,
                     "base", "\"%s\" is a %s, not a base; expected the id of a base feature",
                     air[i].base, kind_name(refs[j].kind));
            bad = true;
        } else {
            air[i].base_index = (long)refs[j].index;
        }
    }
    const sm_strike *st = c->strikes.data;
    for (size_t i = 0; i < c->strikes.len; i++) {
        for (size_t a = 0; st[i].attributed_to && st[i].attributed_to[a]; a++) {
            const char *name = st[i].attributed_to[a];
            int j = find_id(refs, n, name);
            if (j >= 0 && (refs[j].kind == SM_KIND_AIRCRAFT || refs[j].kind == SM_KIND_LAUNCHER))
                continue;
            bool kept = true;
            if (j >= 0)
                kept = claim_warn(ctx, c, &st[i].info, "attributed_to",
                                  "\"%s\" is a %s, not an aircraft, launcher or operator; "
                                  "nothing to check",
                                  name, kind_name(refs[j].kind));
            else if (!is_known_operator(ctx, c, name))
                kept = claim_warn(ctx, c, &st[i].info, "attributed_to",
                                  "\"%s\" is neither an aircraft or launcher in the claim set "
                                  "nor a known operator; nothing to check for it",
                                  name);
            if (!kept) {
                free(refs);
                return sm__nomem(ctx, st[i].info.file, st[i].info.feature, st[i].info.id,
                                 "attributed_to");
            }
        }
    }
    free(refs);
    sm_status pst = SM_OK;
    if (!options->no_position_check)
        pst = sm__check_positions(ctx, c, options);
    c->finished = true;
    if (pst != SM_OK)
        return pst;
    return bad ? SM_ERR_INVALID : SM_OK;
}

sm_status sm_claims_load(sm_ctx *ctx, const char *const *paths, size_t n_paths,
                         const sm_load_options *options, sm_claims **out)
{
    *out = NULL;
    sm_claims *c = sm_claims_new();
    if (c == NULL)
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    sm_status st = SM_OK;
    for (size_t i = 0; i < n_paths; i++) {
        sm_status s = sm_claims_add_file(ctx, c, paths[i], options);
        if (st == SM_OK)
            st = s;
    }
    /* Cross-file checks run even after an error, so one run reports all. */
    sm_status s = sm_claims_finish(ctx, c, options);
    if (st == SM_OK)
        st = s;
    if (st != SM_OK) {
        sm_claims_free(c);
        return st;
    }
    *out = c;
    return SM_OK;
}

/* ---- extent and span ----------------------------------------------------- */

typedef struct lon_range {
    double min180, max180, min360, max360, south, north;
    bool any;
} lon_range;

static void add_point(lon_range *e, double lon, double lat)
{
    double l360 = lon < 0 ? lon + 360 : lon;
    if (!e->any) {
        e->min180 = e->max180 = lon;
        e->min360 = e->max360 = l360;
        e->south = e->north = lat;
        e->any = true;
        return;
    }
    e->min180 = fmin(e->min180, lon);
    e->max180 = fmax(e->max180, lon);
    e->min360 = fmin(e->min360, l360);
    e->max360 = fmax(e->max360, l360);
    e->south = fmin(e->south, lat);
    e->north = fmax(e->north, lat);
}

bool sm_claims_extent(const sm_claims *c, double *west, double *south, double *east, double *north)
{
    lon_range e = {0};
    for (size_t i = 0; i < c->strikes.len; i++) {
        const sm_strike *s = (const sm_strike *)c->strikes.data + i;
        add_point(&e, s->lon, s->lat);
        size_t np = 0;
        for (size_t k = 0; k < s->n_rings; k++)
            np += s->ring_sizes[k];
        for (size_t k = 0; k < np; k++)
            add_point(&e, s->ring_lonlat[2 * k], s->ring_lonlat[2 * k + 1]);
    }
    for (size_t i = 0; i < c->aircraft.len; i++) {
        const sm_aircraft *a = (const sm_aircraft *)c->aircraft.data + i;
        for (size_t k = 0; k < a->n_fixes; k++)
            add_point(&e, a->fixes[k].lon, a->fixes[k].lat);
    }
    for (size_t i = 0; i < c->bases.len; i++) {
        const sm_base *b = (const sm_base *)c->bases.data + i;
        add_point(&e, b->lon, b->lat);
    }
    for (size_t i = 0; i < c->launchers.len; i++) {
        const sm_launcher *l = (const sm_launcher *)c->launchers.data + i;
        add_point(&e, l->lon, l->lat);
    }
    if (!e.any)
        return false;
    *south = e.south;
    *north = e.north;
    if (e.max360 - e.min360 < e.max180 - e.min180) {
        /* Narrower when measured across the antimeridian. */
        *west = e.min360 > 180 ? e.min360 - 360 : e.min360;
        *east = e.max360 > 180 ? e.max360 - 360 : e.max360;
    } else {
        *west = e.min180;
        *east = e.max180;
    }
    return true;
}

bool sm_claims_time_span(const sm_claims *c, double *first, double *last)
{
    bool any = false;
    double lo = 0, hi = 0;
#define SM__SPAN(w)                                                                                \
    do {                                                                                           \
        if ((w).known) {                                                                           \
            if (!any || (w).start < lo)                                                            \
                lo = (w).start;                                                                    \
            if (!any || (w).end > hi)                                                              \
                hi = (w).end;                                                                      \
            any = true;                                                                            \
        }                                                                                          \
    } while (0)
    for (size_t i = 0; i < c->strikes.len; i++)
        SM__SPAN(((const sm_strike *)c->strikes.data)[i].when);
    for (size_t i = 0; i < c->launchers.len; i++)
        SM__SPAN(((const sm_launcher *)c->launchers.data)[i].when);
    for (size_t i = 0; i < c->aircraft.len; i++) {
        const sm_aircraft *a = (const sm_aircraft *)c->aircraft.data + i;
        for (size_t k = 0; k < a->n_fixes; k++)
            SM__SPAN(a->fixes[k].when);
    }
#undef SM__SPAN
    if (any) {
        *first = lo;
        *last = hi;
    }
    return any;
}
