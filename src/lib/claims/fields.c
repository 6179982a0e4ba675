/*
 * claims/fields.c: the properties of the feature being read (SPEC §2), as
 * typed values: text, lists, numbers in bounds, booleans, times (ISO 8601,
 * OGR's own text, typed date-times), geometry in lon/lat. Every problem is
 * a diagnostic naming the file, feature, id and field (SPEC §6).
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

#include "claims/load.h"

const sm__prop_def sm__props[P_COUNT] = {
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
    [P_POSITION_CHECKED] = {"position_checked", K_S},
};

void sm__ferr(reader *r, const char *field, const char *fmt, ...)
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
void sm__foom(reader *r, const char *field)
{
    if (!r->nomem)
        sm__nomem(r->ctx, r->file, r->feature, r->id, field);
    r->nomem = r->bad = r->failed = true;
}

/* A warning about the feature: kept with the claim (every output carries
 * it), and a diagnostic when show (repeated kinds are counted after the
 * first few, see SM_REPEAT_WARNINGS, but every claim keeps its own). */
void sm__fwarn_n(reader *r, bool show, const char *field, const char *fmt, ...)
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
        sm__foom(r, field);
        return;
    }
    sprintf(text, "%s: %s", field, msg);
    free(msg);
    *slot = text;
}

/* The feature's warnings, copied into the claim set for its record. */
void sm__keep_warnings(reader *r, sm_claim_info *info)
{
    if (r->fw.len == 0)
        return;
    const char **list = sm__arena_alloc(r->keep, (r->fw.len + 1) * sizeof(*list));
    if (list == NULL) {
        sm__foom(r, NULL);
        return;
    }
    for (size_t i = 0; i < r->fw.len; i++) {
        list[i] = sm__arena_strdup(r->keep, ((const char **)r->fw.data)[i]);
        if (list[i] == NULL) {
            sm__foom(r, NULL);
            return;
        }
    }
    list[r->fw.len] = NULL;
    info->warnings = list;
}

bool sm__field_present(const reader *r, int i)
{
    if (i < 0 || i >= r->n_fields)
        return false;
    OGRField *v = OGR_F_GetRawFieldRef(r->f, i);
    return !OGR_RawField_IsUnset(v) && !OGR_RawField_IsNull(v);
}

bool sm__has(reader *r, prop p)
{
    return sm__field_present(r, r->idx[p]);
}

/* A field as text, copied into the feature's scratch arena: for a field
 * that is not a string (a numeric id, a typed date), OGR formats the value
 * into a buffer that its next call reuses, so its pointer must not be kept
 * across calls; a string is its raw value. NULL when out of memory (after
 * oom()). */
const char *sm__field_text(reader *r, int i, const char *field)
{
    const char *v = r->ftype[i] == OFTString ? OGR_F_GetRawFieldRef(r->f, i)->String
                                             : OGR_F_GetFieldAsString(r->f, i);
    const char *s = sm__arena_strdup(&r->scratch, v);
    if (s == NULL)
        sm__foom(r, field);
    return s;
}

/* The property as text, or NULL when absent. Empty strings count as absent
 * (spreadsheets write empty cells for "no value"). Valid until the next
 * feature. */
const char *sm__text(reader *r, prop p)
{
    if (!sm__has(r, p))
        return NULL;
    const char *s = sm__field_text(r, r->idx[p], sm__props[p].name);
    if (s == NULL)
        return NULL;
    while (*s == ' ')
        s++;
    return *s ? s : NULL;
}

/* The property copied into the claim set, or NULL when absent. */
char *sm__dup_text(reader *r, prop p)
{
    const char *t = sm__text(r, p);
    if (t == NULL)
        return NULL;
    char *s = sm__arena_strdup(r->keep, t);
    if (s == NULL)
        sm__foom(r, sm__props[p].name);
    return s;
}

/* A list property: a JSON array of strings, or one string of items
 * separated by ';'. NULL-terminated; NULL when absent. */
const char **sm__list(reader *r, prop p)
{
    if (!sm__has(r, p))
        return NULL;
    int i = r->idx[p];
    OGRFieldType t = r->ftype[i];
    if (t == OFTStringList) {
        char **items = OGR_F_GetFieldAsStringList(r->f, i);
        size_t n = (size_t)CSLCount(items);
        const char **out = sm__arena_alloc(r->keep, (n + 1) * sizeof(*out));
        if (out == NULL) {
            sm__foom(r, sm__props[p].name);
            return NULL;
        }
        size_t k = 0;
        for (size_t j = 0; j < n; j++) {
            if (items[j][0] == '\0')
                continue;
            out[k] = sm__arena_strdup(r->keep, items[j]);
            if (out[k++] == NULL) {
                sm__foom(r, sm__props[p].name);
                return NULL;
            }
        }
        out[k] = NULL;
        return out;
    }
    const char *s = sm__field_text(r, i, sm__props[p].name);
    if (s == NULL)
        return NULL;
    const char **out = sm__split_list(r->keep, s);
    if (out == NULL)
        sm__foom(r, sm__props[p].name);
    return out;
}

/* A number property in [0, max]; false when absent or after an error. */
bool sm__number(reader *r, prop p, double *out, double max, const char *expect)
{
    if (!sm__has(r, p))
        return false;
    int i = r->idx[p];
    OGRFieldType t = r->ftype[i];
    double v;
    if (t == OFTReal || t == OFTInteger || t == OFTInteger64) {
        v = OGR_F_GetFieldAsDouble(r->f, i);
    } else {
        const char *s = sm__field_text(r, i, sm__props[p].name);
        if (s == NULL)
            return false;
        char *end;
        v = strtod(s, &end);
        while (*end == ' ')
            end++;
        if (end == s || *end != '\0') {
            if (*s == '\0')
                return false;
            sm__ferr(r, sm__props[p].name, "\"%s\" is not a number; expected %s", s, expect);
            return false;
        }
    }
    if (!isfinite(v) || v < 0 || v > max) {
        sm__ferr(r, sm__props[p].name, "%g is out of range; expected %s", v, expect);
        return false;
    }
    *out = v;
    return true;
}

bool sm__boolean(reader *r, prop p)
{
    if (!sm__has(r, p))
        return false;
    int i = r->idx[p];
    OGRFieldType t = r->ftype[i];
    if (t == OFTInteger || t == OFTInteger64) {
        long long v = OGR_F_GetFieldAsInteger64(r->f, i);
        if (v == 0 || v == 1)
            return v == 1;
    } else {
        const char *s = sm__field_text(r, i, sm__props[p].name);
        if (s == NULL)
            return false;
        if (sm__str_ieq(s, "true") || sm__str_ieq(s, "yes") || sm__str_ieq(s, "1"))
            return true;
        if (sm__str_ieq(s, "false") || sm__str_ieq(s, "no") || sm__str_ieq(s, "0") || !*s)
            return false;
    }
    const char *s = sm__field_text(r, i, sm__props[p].name);
    if (s != NULL)
        sm__ferr(r, sm__props[p].name, "\"%s\" is not a boolean; expected true or false", s);
    return false;
}

/* A time property: ISO 8601 text, OGR's own text for a date-time (what
 * ogr2ogr writes to CSV and KML: "2016/02/10 12:55:00+02"), or an OGR
 * date-time when a driver typed the column itself. */
bool sm__parse_time_value(reader *r, const char *field, const char *s, sm_when *w)
{
    if (!sm_time_parse(s, w) && !sm__time_parse_ogr(s, w)) {
        sm__ferr(r, field,
                 "\"%s\" is not a time; expected ISO 8601 with an offset, e.g. "
                 "2016-02-10T13:55:00+03:00",
                 s);
        return false;
    }
    if (!w->offset_given)
        sm__fwarn_n(r, r->no_offset++ < SM_REPEAT_WARNINGS, field,
                    "\"%s\" has no UTC offset; read as UTC (write Z or +03:00 to say so)", s);
    return true;
}

static bool time_prop(reader *r, prop p, sm_when *w)
{
    if (!sm__has(r, p))
        return false;
    int i = r->idx[p];
    OGRFieldType t = r->ftype[i];
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
        return sm__parse_time_value(r, sm__props[p].name, buf, w);
    }
    const char *s = sm__text(r, p);
    if (s == NULL)
        return false;
    return sm__parse_time_value(r, sm__props[p].name, s, w);
}

/* ---- geometry ----------------------------------------------------------- */

bool sm__check_lonlat(reader *r, double lon, double lat, int vertex)
{
    char where[48] = "";
    if (vertex >= 0)
        snprintf(where, sizeof(where), " at vertex %d", vertex);
    if (!isfinite(lon) || !isfinite(lat)) {
        sm__ferr(r, "geometry", "coordinate%s is not finite (%g, %g); expected lon, lat in degrees",
                 where, lon, lat);
        return false;
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        sm__ferr(r, "geometry",
                 "coordinate%s (%.6f, %.6f) is out of range; expected longitude in [-180, 180] "
                 "then latitude in [-90, 90]%s",
                 where, lon, lat,
                 (fabs(lat) > 90 && fabs(lon) <= 90) ? " (are longitude and latitude swapped?)"
                                                     : "");
        return false;
    }
    return true;
}

const char *sm__geom_name(OGRwkbGeometryType t)
{
    return OGRGeometryTypeToName(wkbFlatten(t));
}

/* The feature's geometry in lon/lat, or NULL (after an error). Borrowed
 * from the feature unless transformed, then *owned is set. */
OGRGeometryH sm__feature_geometry(reader *r, bool *owned)
{
    *owned = false;
    OGRGeometryH g = r->geom;
    if (g == NULL || OGR_G_IsEmpty(g))
        return NULL;
    if (r->ct != NULL) {
        g = OGR_G_Clone(g);
        *owned = true;
        if (OGR_G_Transform(g, r->ct) != OGRERR_NONE) {
            sm__ferr(r, "geometry", "cannot be transformed to WGS84 longitude/latitude");
            OGR_G_DestroyGeometry(g);
            *owned = false;
            return NULL;
        }
    }
    return g;
}

bool sm__read_point(reader *r, OGRGeometryH g, double *lon, double *lat)
{
    *lon = OGR_G_GetX(g, 0);
    *lat = OGR_G_GetY(g, 0);
    return sm__check_lonlat(r, *lon, *lat, -1);
}

/* ---- one feature of each kind ------------------------------------------- */

void sm__read_common(reader *r, sm_claim_info *info)
{
    info->id = sm__arena_strdup(r->keep, r->id);
    if (info->id == NULL && r->id != NULL)
        sm__foom(r, "id");
    info->label = sm__dup_text(r, P_LABEL);
    info->claimed_by = sm__dup_text(r, P_CLAIMED_BY);
    info->source = sm__dup_text(r, P_SOURCE);
    info->notes = sm__dup_text(r, P_NOTES);
    info->file = r->file;
    info->feature = r->feature;
}

/* " (did you mean "a", "b" or "c"?)", or "" without suggestions, in arena (names in a user's table
 * can be of any length). */
const char *sm__did_you_mean(sm__arena *arena, const char *const *sug, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(sug[i]) + 20;
    char *hint = sm__arena_alloc(arena, len);
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

const sm_weapon *sm__read_weapon(reader *r, const char **name)
{
    *name = sm__dup_text(r, P_WEAPON);
    if (*name == NULL)
        return NULL;
    const sm_weapon *w = sm_tables_find_weapon(r->ctx, *name);
    if (w == NULL) {
        const char *sug[3];
        size_t n = sm_tables_suggest_weapon(r->ctx, *name, sug, 3);
        sm__ferr(r, "weapon", "\"%s\" is not in the weapons table%s; add it with --weapons FILE",
                 *name, sm__did_you_mean(&r->scratch, sug, n));
    }
    return w;
}

/* time, or time_start + time_end, into *w; false after an error. */
bool sm__read_when(reader *r, sm_when *w)
{
    memset(w, 0, sizeof(*w));
    bool has_t = sm__has(r, P_TIME) && sm__text(r, P_TIME),
         has_s = sm__text(r, P_TIME_START) != NULL, has_e = sm__text(r, P_TIME_END) != NULL;
    if (has_t && (has_s || has_e)) {
        sm__ferr(r, has_s ? "time_start" : "time_end",
                 "given together with \"time\"; expected either time or time_start and time_end");
        return false;
    }
    if (has_t) {
        if (!time_prop(r, P_TIME, w))
            return false;
    } else if (has_s != has_e) {
        sm__ferr(r, has_s ? "time_end" : "time_start",
                 "missing; a window needs both time_start and time_end");
        return false;
    } else if (has_s) {
        sm_when a, b;
        if (!time_prop(r, P_TIME_START, &a) || !time_prop(r, P_TIME_END, &b))
            return false;
        if (b.end < a.start) {
            sm__ferr(r, "time_end",
                     "is before time_start; expected a window that ends after it "
                     "starts");
            return false;
        }
        *w = a;
        w->end = b.end;
        w->offset_given = a.offset_given && b.offset_given;
    }
    double unc = 0;
    if (sm__number(r, P_TIME_UNC, &unc, SM_MAX_TIME_UNCERTAINTY_MIN,
                   "minutes, 0 to 527040 (a year)"))
        w->uncertainty_min = unc;
    return true;
}
