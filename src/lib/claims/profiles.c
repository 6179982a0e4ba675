/*
 * claims/profiles.c: published tables read as they are (SPEC §7). A
 * profile (given, or detected from a header whose columns are
 * unmistakable) turns each row of the source into a claim of SPEC §2,
 * written to an in-memory OGR layer that the ordinary reader then reads,
 * row numbers kept as FIDs so that every message names the table's own
 * row. A row without coordinates or with a value that cannot be read is
 * left out with a warning naming file, row, id and field, and counted;
 * rows that are not claims of the profile's kind (an ACLED protest) are
 * counted. `strikemap import` writes the same layer as a claim file.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal_utils.h>

#include "claims/profiles.h"

typedef struct profile_def {
    const char *name;
    sm__profile id;
    /* columns that, all present, make the layout unmistakable */
    const char *const *detect;
    bool (*run)(sm__ptable *t);
} profile_def;

static const char *const g_acled_cols[] = {"event_id_cnty", "event_date", "sub_event_type",
                                           "latitude",      "longitude",  NULL};
static const char *const g_airwars_cols[] = {"Incidence_id", "Incidence_date", NULL};
static const char *const g_ucdp_cols[] = {"id",     "date_start", "date_end",  "where_prec",
                                          "side_a", "latitude",   "longitude", NULL};
static const char *const g_opensky_cols[] = {"time", "icao24", "lat", "lon", NULL};

static const profile_def g_profiles[] = {
    {"acled", SM__PROFILE_ACLED, g_acled_cols, sm__profile_acled},
    {"airwars", SM__PROFILE_AIRWARS, g_airwars_cols, sm__profile_airwars},
    {"ucdp", SM__PROFILE_UCDP, g_ucdp_cols, sm__profile_ucdp},
    {"opensky", SM__PROFILE_OPENSKY, g_opensky_cols, sm__profile_opensky},
    {"map", SM__PROFILE_MAP, NULL, sm__profile_map},
};

const char *const *sm_claims_profiles(void)
{
    static const char *const names[] = {"acled", "airwars", "ucdp", "opensky", "map", "none", NULL};
    return names;
}

/* ---- columns and values ------------------------------------------------- */

int sm__pcol(sm__ptable *t, const char *const *names)
{
    for (size_t k = 0; names[k] != NULL; k++)
        for (int i = 0; i < OGR_FD_GetFieldCount(t->sdefn); i++)
            if (sm__str_ieq(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(t->sdefn, i)), names[k]))
                return i;
    return -1;
}

int sm__pcol_part(sm__ptable *t, const char *part)
{
    size_t n = strlen(part);
    for (int i = 0; i < OGR_FD_GetFieldCount(t->sdefn); i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(t->sdefn, i));
        for (const char *p = name; *p; p++)
            if (strncasecmp(p, part, n) == 0)
                return i;
    }
    return -1;
}

const char *sm__pval(sm__ptable *t, int i)
{
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(t->f, i))
        return NULL;
    const char *s = OGR_F_GetFieldAsString(t->f, i);
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0)
        return NULL;
    char *c = sm__arena_alloc(&t->scratch, n + 1);
    if (c == NULL) {
        t->nomem = true;
        return NULL;
    }
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

bool sm__pdrop(sm__ptable *t, const char *field, const char *fmt, ...)
{
    if (t->dropped++ < SM_REPEAT_WARNINGS) {
        char *msg;
        va_list ap;
        va_start(ap, fmt);
        msg = sm__vstrfmt(fmt, ap);
        va_end(ap);
        if (msg == NULL) {
            t->nomem = true;
            return false;
        }
        sm__diag(t->ctx, SM_SEV_WARNING, t->file, t->row, t->row_id, field,
                 "%s; the row is left out", msg);
        free(msg);
    }
    return false;
}

bool sm__pnumber(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* One coordinate from the columns named in names: every column present
 * with a value must give the same number (a table with both "long" and
 * "lon" never has one picked silently). */
static bool coordinate(sm__ptable *t, const char *const *names, double lo, double hi,
                       const char *what, double *out, bool *absent)
{
    const char *first = NULL, *first_text = NULL;
    double v = 0;
    *absent = true;
    for (size_t k = 0; names[k] != NULL; k++) {
        const char *only[2] = {names[k], NULL};
        int i = sm__pcol(t, only);
        const char *s = sm__pval(t, i);
        if (s == NULL)
            continue;
        const char *col = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(t->sdefn, i));
        double x;
        if (!sm__pnumber(s, lo, hi, &x))
            return sm__pdrop(t, col, "\"%s\" is not %s in degrees (%g to %g)", s, what, lo, hi);
        if (first != NULL && x != v)
            return sm__pdrop(t, col, "%s disagrees with column \"%s\" (%s); expected one %s", s,
                             first, first_text, what);
        if (first == NULL) {
            first = col;
            first_text = s;
        }
        v = x;
        *absent = false;
    }
    *out = v;
    return true;
}

bool sm__ppoint(sm__ptable *t, const char *const *lons, const char *const *lats, double *lon,
                double *lat)
{
    bool no_x, no_y;
    if (!coordinate(t, lons, -180, 180, "a longitude", lon, &no_x) ||
        !coordinate(t, lats, -90, 90, "a latitude", lat, &no_y))
        return false;
    if (no_x || no_y)
        return sm__pdrop(t, no_x ? lons[0] : lats[0],
                         "empty: the row has no coordinates; expected %s in degrees",
                         no_x ? "a longitude" : "a latitude");
    return true;
}

bool sm__plocal_span(sm__ptable *t, const char *field, double lon, double lat, double local0,
                     double local1, double *start, double *end, const sm__zone **zone_out)
{
    const sm__zone *z = t->tz;
    if (z == NULL) {
        if (t->zones == NULL) {
            sm_status st = sm__zones_open(t->ctx, t->opt->basemap_dir, &t->zones);
            if (st != SM_OK) {
                t->failed = true;
                t->nomem = st == SM_ERR_NOMEM;
                return false;
            }
        }
        sm_status st = sm__zones_at(t->ctx, t->zones, lon, lat, &z);
        if (st != SM_OK) {
            t->failed = true;
            t->nomem = st == SM_ERR_NOMEM;
            return false;
        }
        if (z == NULL)
            return sm__pdrop(t, field,
                             "a local date, but (%.5f, %.5f) lies in no country whose time zone "
                             "the tz database names (at sea?); give --tz ZONE",
                             lon, lat);
    }
    *start = sm__zone_to_utc(z, local0);
    *end = sm__zone_to_utc(z, local1);
    *zone_out = z;
    return true;
}

/* ---- dates as published tables write them ---------------------------------- */

static int month_of(const char *s, size_t n)
{
    static const char *const names[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};
    if (n == 4 && strncasecmp(s, "sept", 4) == 0)
        return 9;
    for (int m = 0; m < 12; m++)
        if ((n == 3 || n == strlen(names[m])) && strncasecmp(s, names[m], n) == 0)
            return m + 1;
    return 0;
}

bool sm__parse_day(const char *s, int *year, int *month, int *day)
{
    /* up to three tokens of digits or letters, separated by ' ', '/', '-',
     * ',' or '.'; then nothing, or a time of day that is all zeros */
    const char *tok[3];
    size_t len[3];
    int n = 0;
    const char *p = s;
    while (n < 3) {
        while (*p == ' ' || *p == '/' || *p == '-' || *p == ',' || *p == '.')
            p++;
        if (!isalnum((unsigned char)*p))
            break;
        tok[n] = p;
        bool digits = isdigit((unsigned char)*p);
        while (*p && (digits ? isdigit((unsigned char)*p) : isalpha((unsigned char)*p)))
            p++;
        len[n] = (size_t)(p - tok[n]);
        n++;
    }
    if (n != 3)
        return false;
    for (const char *q = p; *q; q++)
        if (!strchr("0:. T", *q))
            return false;
    int v[3] = {0, 0, 0}, y = 0, m = 0, d = 0;
    bool num[3];
    for (int i = 0; i < 3; i++) {
        num[i] = isdigit((unsigned char)tok[i][0]);
        if (num[i] && len[i] <= 4)
            v[i] = atoi(tok[i]);
        else if (num[i])
            return false;
    }
    if (num[0] && num[1] && num[2] && len[0] == 4) { /* 2020-08-14 */
        y = v[0], m = v[1], d = v[2];
    } else if (num[0] && num[1] && num[2] && len[2] == 4) { /* 14/08/2020: day first */
        d = v[0], m = v[1], y = v[2];
    } else if (num[0] && !num[1] && num[2] && len[2] == 4) { /* 14 August 2020 */
        d = v[0], m = month_of(tok[1], len[1]), y = v[2];
    } else if (!num[0] && num[1] && num[2] && len[2] == 4) { /* october-7-2023 */
        m = month_of(tok[0], len[0]), d = v[1], y = v[2];
    } else {
        return false;
    }
    if (!sm__civil_valid(y, m, d))
        return false;
    *year = y;
    *month = m;
    *day = d;
    return true;
}

/* ---- the normalised layer ------------------------------------------------ */

/* The claims layer has every property of SPEC §2 as text (the reader
 * checks each strictly), but for the numbers a profile computes itself. */
static OGRFieldType out_type(prop p)
{
    return p == P_LOC_UNC || p == P_TIME_UNC ? OFTReal
                                             : (p == P_GEO_PRECISION ? OFTInteger : OFTString);
}

static bool make_mem(sm__ptable *t)
{
    GDALDriverH drv = sm__gdal_driver("Memory");
    t->mem = drv != NULL ? GDALCreate(drv, "", 0, 0, 0, GDT_Unknown, NULL) : NULL;
    OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(NULL);
    if (t->mem == NULL || wgs84 == NULL) {
        if (wgs84 != NULL)
            OSRDestroySpatialReference(wgs84);
        return false;
    }
    OSRSetWellKnownGeogCS(wgs84, "WGS84");
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    t->out = GDALDatasetCreateLayer(t->mem, "claims", wgs84, wkbUnknown, NULL);
    OSRDestroySpatialReference(wgs84);
    if (t->out == NULL)
        return false;
    for (int p = 0; p < P_COUNT; p++) {
        OGRFieldDefnH fd = OGR_Fld_Create(sm__props[p].name, out_type((prop)p));
        OGRErr e = fd != NULL ? OGR_L_CreateField(t->out, fd, TRUE) : OGRERR_NOT_ENOUGH_MEMORY;
        if (fd != NULL)
            OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return false;
    }
    return true;
}

void sm__pclaim_init(sm__pclaim *c)
{
    memset(c, 0, sizeof(*c));
    c->t1 = -1;
    c->t0 = 0;
    c->loc_unc_km = -1;
    c->time_unc_min = -1;
}

static bool set_text(OGRFeatureH f, prop p, const char *v)
{
    if (v == NULL)
        return true;
    int i = OGR_F_GetFieldIndex(f, sm__props[p].name);
    if (i < 0)
        return false;
    OGR_F_SetFieldString(f, i, v);
    return true;
}

bool sm__pemit(sm__ptable *t, const sm__pclaim *c, long fid)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(t->out));
    OGRGeometryH g = OGR_G_CreateGeometry(c->n_track > 0 ? wkbLineString : wkbPoint);
    if (f == NULL || g == NULL)
        goto nomem;
    if (c->n_track > 0)
        for (size_t k = 0; k < c->n_track; k++)
            OGR_G_AddPoint_2D(g, c->track_xy[2 * k], c->track_xy[2 * k + 1]);
    else
        OGR_G_SetPoint_2D(g, 0, c->lon, c->lat);
    OGR_F_SetGeometryDirectly(f, g);
    g = NULL;
    char a[48], b[48];
    bool ok = set_text(f, P_KIND, c->kind) && set_text(f, P_ID, c->id) &&
              set_text(f, P_LABEL, c->label) && set_text(f, P_CLAIMED_BY, c->claimed_by) &&
              set_text(f, P_SOURCE, c->source) && set_text(f, P_NOTES, c->notes) &&
              set_text(f, P_ATTRIBUTED_TO, c->attributed_to) && set_text(f, P_TYPE, c->type) &&
              set_text(f, P_OPERATOR, c->operator_name) && set_text(f, P_GRADING, c->grading) &&
              set_text(f, P_TIMES, c->times);
    if (ok && c->t1 >= c->t0 && c->instant)
        ok = set_text(f, P_TIME, sm_time_format(c->t0, c->offset_min, a, sizeof(a)));
    else if (ok && c->t1 >= c->t0)
        ok = set_text(f, P_TIME_START, sm_time_format(c->t0, c->offset_min, a, sizeof(a))) &&
             set_text(f, P_TIME_END, sm_time_format(c->t1, c->offset_end_min, b, sizeof(b)));
    for (int p = 0; ok && p < P_COUNT; p++)
        ok = set_text(f, (prop)p, c->text[p]);
    if (ok && c->time_unc_min >= 0)
        OGR_F_SetFieldDouble(f, OGR_F_GetFieldIndex(f, sm__props[P_TIME_UNC].name),
                             c->time_unc_min);
    if (ok && c->loc_unc_km >= 0)
        OGR_F_SetFieldDouble(f, OGR_F_GetFieldIndex(f, sm__props[P_LOC_UNC].name), c->loc_unc_km);
    if (ok && c->geo_precision > 0)
        OGR_F_SetFieldInteger(f, OGR_F_GetFieldIndex(f, sm__props[P_GEO_PRECISION].name),
                              c->geo_precision);
    OGR_F_SetFID(f, fid);
    if (!ok || OGR_L_CreateFeature(t->out, f) != OGRERR_NONE)
        goto nomem;
    OGR_F_Destroy(f);
    return true;
nomem:
    if (g != NULL)
        OGR_G_DestroyGeometry(g);
    if (f != NULL)
        OGR_F_Destroy(f);
    t->nomem = t->failed = true;
    return false;
}

const char *sm__pactors(sm__ptable *t, const char *names, bool split_commas)
{
    sm__sbuf out = {0};
    const char *p = names;
    while (*p) {
        size_t n = strcspn(p, split_commas ? ";," : ";");
        char *item = sm__arena_alloc(&t->scratch, n + 1);
        if (item == NULL) {
            sm__sbuf_free(&out);
            t->nomem = true;
            return NULL;
        }
        memcpy(item, p, n);
        item[n] = '\0';
        char *s = item;
        while (isspace((unsigned char)*s))
            s++;
        size_t k = strlen(s);
        while (k > 0 && isspace((unsigned char)s[k - 1]))
            s[--k] = '\0';
        if (*s) {
            const char *canon = sm__operator_canonical(t->ctx, s);
            bool dup = false;
            const char *have = sm__sbuf_str(&out);
            for (const char *q = have; *q && !dup;) {
                size_t m = strcspn(q, ";");
                dup = m == strlen(canon) && strncasecmp(q, canon, m) == 0;
                q += m + (q[m] == ';');
            }
            if (!dup && out.len > 0)
                sm__sbuf_put(&out, ";", 1);
            if (!dup)
                sm__sbuf_put(&out, canon, strlen(canon));
        }
        p += n + (p[n] != '\0');
    }
    if (out.failed) {
        sm__sbuf_free(&out);
        t->nomem = true;
        return NULL;
    }
    char *r = sm__arena_strdup(&t->scratch, sm__sbuf_str(&out));
    sm__sbuf_free(&out);
    if (r == NULL)
        t->nomem = true;
    return r != NULL && *r ? r : NULL;
}

bool sm__peach(sm__ptable *t, void (*row)(sm__ptable *t, void *user), void *user)
{
    OGR_L_ResetReading(t->src);
    for (long n = 0;; n++) {
        sm__cpl_capture_begin();
        OGRFeatureH f = OGR_L_GetNextFeature(t->src);
        const char *msg = sm__cpl_capture_end();
        if (msg != NULL) {
            sm__diag(t->ctx, SM_SEV_ERROR, t->file, n, NULL, NULL, "cannot be read: %s", msg);
            if (f != NULL)
                OGR_F_Destroy(f);
            t->failed = true;
            return false;
        }
        if (f == NULL)
            return true;
        t->f = f;
        t->row = n;
        t->row_id = NULL;
        sm__arena_reset(&t->scratch);
        row(t, user);
        OGR_F_Destroy(f);
        t->f = NULL;
        if (t->nomem || t->failed)
            return false;
    }
}

/* ---- applying a profile ----------------------------------------------------- */

static const profile_def *find_profile(const char *name)
{
    for (size_t i = 0; i < SM__ARRAY_LEN(g_profiles); i++)
        if (sm__str_ieq(name, g_profiles[i].name))
            return &g_profiles[i];
    return NULL;
}

/* The profile whose columns the layer has, all of them; NULL when none or
 * a claim file (a "kind" column). */
static const profile_def *detect(sm__ptable *t)
{
    const char *kind[] = {"kind", NULL};
    if (sm__pcol(t, kind) >= 0)
        return NULL;
    for (size_t i = 0; i < SM__ARRAY_LEN(g_profiles); i++) {
        const char *const *cols = g_profiles[i].detect;
        bool all = cols != NULL;
        for (size_t k = 0; all && cols[k] != NULL; k++) {
            const char *one[] = {cols[k], NULL};
            all = sm__pcol(t, one) >= 0;
        }
        if (all)
            return &g_profiles[i];
    }
    return NULL;
}

/* The profile to use: given by name (an unknown one is an error with a
 * did-you-mean), implied by a column map, or detected. */
static sm_status choose(sm__ptable *t, const profile_def **out)
{
    const sm_table_options *o = &t->opt->table;
    *out = NULL;
    if (o->profile != NULL && sm__str_ieq(o->profile, "none"))
        return SM_OK;
    if (o->profile != NULL) {
        *out = find_profile(o->profile);
        if (*out != NULL)
            return SM_OK;
        const char *const *names = sm_claims_profiles();
        const char *best = NULL;
        unsigned bd = 4;
        for (size_t i = 0; names[i] != NULL; i++) {
            unsigned d = sm__edit_distance(o->profile, names[i]);
            if (d < bd) {
                bd = d;
                best = names[i];
            }
        }
        sm__diag(t->ctx, SM_SEV_ERROR, NULL, -1, NULL, "profile",
                 "\"%s\" is not a profile%s%s%s; expected acled, airwars, ucdp, opensky, map "
                 "or none",
                 o->profile, best ? " (did you mean \"" : "", best ? best : "", best ? "\"?)" : "");
        return SM_ERR_USAGE;
    }
    if (o->map != NULL && o->map[0] != NULL) {
        *out = find_profile("map");
        return SM_OK;
    }
    *out = detect(t);
    return SM_OK;
}

/* Every column named by def->detect must be there when a profile is given
 * by name (ACLED's and UCDP's layouts; Airwars' and OpenSky's are looked
 * up by their profile with their variants). */
static bool has_layout(sm__ptable *t, const profile_def *def)
{
    if (def->detect == NULL || def->id == SM__PROFILE_AIRWARS)
        return true;
    bool ok = true;
    for (size_t k = 0; def->detect[k] != NULL; k++) {
        const char *one[] = {def->detect[k], NULL};
        if (sm__pcol(t, one) < 0) {
            sm__diag(t->ctx, SM_SEV_ERROR, t->file, -1, NULL, def->detect[k],
                     "missing; the %s profile expects its published columns (%s%s%s%s%s)",
                     def->name, def->detect[0], def->detect[1] ? ", " : "",
                     def->detect[1] ? def->detect[1] : "", def->detect[2] ? ", ..." : "", "");
            ok = false;
        }
    }
    return ok;
}

static void summary(sm__ptable *t)
{
    if (t->dropped > SM_REPEAT_WARNINGS)
        sm__diag(t->ctx, SM_SEV_WARNING, t->file, -1, NULL, NULL,
                 "%zu more rows were left out (the first %d are named above)",
                 t->dropped - SM_REPEAT_WARNINGS, SM_REPEAT_WARNINGS);
    if (t->dropped > 0)
        sm__diag(t->ctx, SM_SEV_WARNING, t->file, -1, NULL, NULL,
                 "%s profile: %zu row%s left out for missing coordinates or values that cannot "
                 "be read",
                 t->profile_name, t->dropped, t->dropped == 1 ? "" : "s");
    if (t->skipped > 0)
        sm__diag(t->ctx, SM_SEV_WARNING, t->file, -1, NULL, NULL, "%s profile: %zu row%s %s",
                 t->profile_name, t->skipped, t->skipped == 1 ? "" : "s",
                 t->skipped_why != NULL ? t->skipped_why : "are not claims and were left out");
}

sm_status sm__profile_apply(sm_ctx *ctx, const char *path, GDALDatasetH src,
                            const sm_load_options *opt, GDALDatasetH *out)
{
    *out = NULL;
    if (GDALDatasetGetLayerCount(src) < 1)
        return SM_OK;
    sm__ptable t;
    memset(&t, 0, sizeof(t));
    t.ctx = ctx;
    t.file = path;
    t.opt = opt;
    t.src = GDALDatasetGetLayer(src, 0);
    t.sdefn = OGR_L_GetLayerDefn(t.src);
    const profile_def *def = NULL;
    sm_status st = choose(&t, &def);
    if (st != SM_OK || def == NULL)
        return st;
    if (!has_layout(&t, def))
        return SM_ERR_INVALID;
    t.profile = def->id;
    t.profile_name = def->name;
    if (opt->table.tz != NULL) {
        st = sm__zone_load(ctx, opt->table.tz, &t.tz);
        if (st != SM_OK)
            return st;
    }
    if (!make_mem(&t)) {
        if (t.mem != NULL)
            GDALClose(t.mem);
        sm__zone_free(t.tz);
        return sm__nomem(ctx, path, -1, NULL, NULL);
    }
    OGR_L_ResetReading(t.src);
    bool ok = def->run(&t);
    summary(&t);
    sm__arena_free(&t.scratch);
    sm__zone_free(t.tz);
    sm__zones_free(t.zones);
    if (t.nomem || !ok || t.failed) {
        GDALClose(t.mem);
        if (t.nomem)
            return sm__nomem(ctx, path, t.row, NULL, NULL);
        return SM_ERR_INVALID;
    }
    *out = t.mem;
    return SM_OK;
}
